//! Per-metric columns over the summarised records: the values the file has (implausible ones
//! excluded) and the metrics derived from them.

use super::activity::Activity;
use super::{CORE_METRICS, EXTRA_METRICS};
use crate::recording::{Channel, Series};
use std::collections::BTreeMap;

/// Per metric: its value on each summarised record (NaN where missing or implausible) and
/// whether gaitguard derived it.
pub(super) type Columns = BTreeMap<&'static str, (Vec<f64>, bool)>;

/// Plausible range per metric; values outside are sensor glitches and are excluded.
fn plausible(metric: &str, v: f64) -> bool {
    let (lo, hi) = match metric {
        "cadence_spm" => (60.0, 260.0),
        "ground_contact_ms" => (80.0, 1200.0),
        "flight_ms" => (0.0, 400.0),
        "vertical_oscillation_cm" => (1.0, 30.0),
        "vertical_ratio_pct" => (1.0, 30.0),
        "step_length_m" => (0.2, 3.0),
        "gct_balance_left_pct" => (30.0, 70.0),
        "speed_mps" => (0.0, 12.0),
        "heart_rate_bpm" => (30.0, 240.0),
        "power_w" => (1.0, 2500.0),
        "temperature_c" => (-40.0, 60.0),
        "form_power_w" => (1.0, 1000.0),
        "leg_spring_stiffness_kn_per_m" => (1.0, 50.0),
        "braking_g" | "impact_g" => (0.0, 20.0),
        "duty_factor_pct" => (5.0, 70.0),
        "step_speed_loss_mps" => (0.0, 3.0),
        "footstrike_type" => (1.0, 15.0),
        "pronation_deg" => (-40.0, 40.0),
        _ => return v.is_finite(),
    };
    v.is_finite()
        && v >= lo
        && v <= hi
        && (v != 0.0 || metric == "temperature_c" || metric == "flight_ms")
}

/// The channel a metric is read from.
fn metric_channel(metric: &str) -> Option<Channel> {
    Some(match metric {
        "cadence_spm" => Channel::CadenceSpm,
        "ground_contact_ms" => Channel::GroundContactMs,
        "flight_ms" => Channel::FlightMs,
        "vertical_oscillation_cm" => Channel::VerticalOscillationCm,
        "vertical_ratio_pct" => Channel::VerticalRatioPct,
        "step_length_m" => Channel::StepLengthM,
        "gct_balance_left_pct" => Channel::GctBalanceLeftPct,
        "speed_mps" => Channel::SpeedMps,
        "heart_rate_bpm" => Channel::HeartRateBpm,
        "power_w" => Channel::PowerW,
        "temperature_c" => Channel::TemperatureC,
        _ => {
            return EXTRA_METRICS
                .iter()
                .find(|(_, n)| *n == metric)
                .map(|(c, _)| *c);
        }
    })
}

/// The columns of every core and extra metric the file has on the records `idx`, with
/// implausible values set to NaN; a column with no finite value is left out. Also returns,
/// per metric, how many non-zero values were implausible (zero is "no value" on devices).
pub(super) fn measured(s: &Series, idx: &[usize]) -> (Columns, Vec<(&'static str, usize)>) {
    let mut columns = Columns::new();
    let mut implausible = Vec::new();
    let core = CORE_METRICS
        .iter()
        .filter_map(|m| metric_channel(m).map(|c| (*m, c)));
    let extra = EXTRA_METRICS.iter().map(|(c, m)| (*m, *c));
    for (metric, ch) in core.chain(extra) {
        let Some(all) = s.get(ch) else {
            continue;
        };
        let mut v: Vec<f64> = idx.iter().map(|&i| all[i]).collect();
        let bad = exclude_implausible(metric, &mut v);
        if bad > 0 {
            implausible.push((metric, bad));
        }
        if v.iter().any(|x| x.is_finite()) {
            columns.insert(metric, (v, false));
        }
    }
    (columns, implausible)
}

/// Set the finite values of `metric` outside its plausible range to NaN; returns how many
/// of them were not zero.
fn exclude_implausible(metric: &str, v: &mut [f64]) -> usize {
    let mut bad = 0;
    for x in v.iter_mut() {
        if x.is_finite() && !plausible(metric, *x) {
            if *x != 0.0 {
                bad += 1;
            }
            *x = f64::NAN;
        }
    }
    bad
}

/// Add the derived metrics the file lacks (see the module notes of [`super`]): flight time
/// when running, then step length, then vertical ratio (which may use the derived step
/// length).
pub(super) fn derive_all(columns: &mut Columns, metrics_from: Activity) {
    if metrics_from == Activity::Running {
        // Step time minus contact time.
        derive(
            columns,
            "flight_ms",
            "cadence_spm",
            "ground_contact_ms",
            |c, g| 60_000.0 / c - g,
        );
    }
    derive(
        columns,
        "step_length_m",
        "cadence_spm",
        "speed_mps",
        |c, v| 60.0 * v / c,
    );
    // VO in cm over step length in m is already a percentage: 100 · (VO_cm/100) / L_m.
    derive(
        columns,
        "vertical_ratio_pct",
        "vertical_oscillation_cm",
        "step_length_m",
        |o, l| o / l,
    );
}

/// Derived metrics: combine two columns record by record, keep plausible results. Nothing
/// when `out` is already there or an input is missing, or no result is plausible.
fn derive(columns: &mut Columns, out: &'static str, a: &str, b: &str, f: impl Fn(f64, f64) -> f64) {
    if columns.contains_key(out) {
        return;
    }
    let (Some((x, _)), Some((y, _))) = (columns.get(a), columns.get(b)) else {
        return;
    };
    let v: Vec<f64> = x
        .iter()
        .zip(y)
        .map(|(x, y)| {
            let r = f(*x, *y);
            if plausible(out, r) { r } else { f64::NAN }
        })
        .collect();
    if v.iter().any(|r| r.is_finite()) {
        columns.insert(out, (v, true));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn implausible_values_are_excluded_and_counted_unless_zero() {
        let mut v = [170.0, 0.0, 400.0, f64::NAN, 59.0];
        assert_eq!(exclude_implausible("cadence_spm", &mut v), 2);
        assert_eq!(v[0], 170.0);
        assert!(v[1..].iter().all(|x| x.is_nan()));
        // Zero flight is a real value.
        let mut f = [0.0];
        assert_eq!(exclude_implausible("flight_ms", &mut f), 0);
        assert_eq!(f[0], 0.0);
    }

    #[test]
    fn derived_metrics_follow_their_formulas() {
        // 180 steps/min at 3.6 m/s: step 333.3 ms, step length 1.2 m; 250 ms contact
        // leaves 83.3 ms of flight; 9.6 cm VO over 1.2 m is 8 %.
        let mut c = Columns::new();
        c.insert("cadence_spm", (vec![180.0], false));
        c.insert("speed_mps", (vec![3.6], false));
        c.insert("ground_contact_ms", (vec![250.0], false));
        c.insert("vertical_oscillation_cm", (vec![9.6], false));
        derive_all(&mut c, Activity::Running);
        assert!((c["flight_ms"].0[0] - (1000.0 / 3.0 - 250.0)).abs() < 1e-9);
        assert!((c["step_length_m"].0[0] - 1.2).abs() < 1e-12);
        assert!((c["vertical_ratio_pct"].0[0] - 8.0).abs() < 1e-9);
        assert!(c["step_length_m"].1);
        // Walking derives no flight, and a measured column is never replaced.
        let mut c = Columns::new();
        c.insert("cadence_spm", (vec![110.0], false));
        c.insert("ground_contact_ms", (vec![400.0], false));
        c.insert("step_length_m", (vec![0.7], false));
        c.insert("speed_mps", (vec![1.5], false));
        derive_all(&mut c, Activity::Walking);
        assert!(!c.contains_key("flight_ms"));
        assert_eq!(c["step_length_m"], (vec![0.7], false));
    }
}
