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
    for st in steps {
        row(&mut s, st, 0.0);
    }
    s
}

/// Render the steps of every run of free-living wear: a leading `session` column (the run's
/// index in the wear JSON's `sessions`), times from the recording's first sample.
pub fn render_wear(w: &crate::wear::WearResult) -> String {
    let mut s = String::with_capacity(1024);
    s.push_str("session,");
    s.push_str(HEADER);
    s.push('\n');
    for (k, run) in w.runs.iter().enumerate() {
        if let crate::pipeline::Detail::Raw(a) = &run.analysed.detail {
            for st in &a.steps {
                let _ = write!(s, "{k},");
                row(&mut s, st, run.offset_s);
            }
        }
    }
    s
}

/// Render the steps of every raw session of a block: a leading `file` column (the session's
/// `file` in the block JSON, quoted), times from that session's first sample.
pub fn render_block(sessions: &[crate::block::SessionSteps]) -> String {
    let mut s = String::with_capacity(1024);
    s.push_str("file,");
    s.push_str(HEADER);
    s.push('\n');
    for sess in sessions {
        let file = format!("\"{}\"", sess.file.replace('"', "\"\""));
        for st in &sess.steps {
            let _ = write!(s, "{file},");
            row(&mut s, st, 0.0);
        }
    }
    s
}

/// One step's row, its time shifted by `offset_s`.
fn row(s: &mut String, st: &Step, offset_s: f64) {
    let f = |v: Option<f64>, dp: usize| v.map(|x| format!("{x:.dp$}")).unwrap_or_default();
    let side = match st.side {
        Some(Side::Left) => "left",
        Some(Side::Right) => "right",
        None => "",
    };
    let _ = writeln!(
        s,
        "{:.3},{},{},{},{},{},{},{},{},{},{},{},{},{},{}",
        offset_s + st.time_s,
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
