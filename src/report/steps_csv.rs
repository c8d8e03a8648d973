//! `--steps FILE`: one CSV row per detected step, empty cells where a value was not measured.

use crate::gait::{Side, Step};
use std::fmt::Write;

/// Column names, in order.
pub const HEADER: &str = "time_s,activity,side,step_time_ms,cadence_spm,ground_contact_ms,flight_ms,duty_factor_pct,vertical_oscillation_cm,vo_spring_mass_cm,step_length_m,vertical_ratio_pct,braking_g,step_speed_loss_mps,peak_vertical_g";

/// Render the steps.
pub fn render(steps: &[Step]) -> String {
    let mut s = String::with_capacity(64 + steps.len() * 100);
    s.push_str(HEADER);
    s.push('\n');
    let f = |v: Option<f64>, dp: usize| v.map(|x| format!("{x:.dp$}")).unwrap_or_default();
    for st in steps {
        let side = match st.side {
            Some(Side::Left) => "left",
            Some(Side::Right) => "right",
            None => "",
        };
        let _ = writeln!(
            s,
            "{:.3},{},{},{},{},{},{},{},{},{},{},{},{},{},{}",
            st.time_s,
            st.activity,
            side,
            f(st.step_time_ms, 1),
            f(st.cadence_spm, 1),
            f(st.ground_contact_ms, 1),
            f(st.flight_ms, 1),
            f(st.duty_factor_pct, 1),
            f(st.vertical_oscillation_cm, 2),
            f(st.vo_spring_mass_cm, 2),
            f(st.step_length_m, 3),
            f(st.vertical_ratio_pct, 2),
            f(st.braking_g, 3),
            f(st.step_speed_loss_mps, 3),
            f(st.peak_vertical_g, 2),
        );
    }
    s
}
