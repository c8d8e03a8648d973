//! Per-metric columns over the summarised records: the values the file has (implausible ones
//! excluded) and the metrics derived from them.

use super::activity::Activity;
use crate::recording::{Channel, Series};
use crate::vocab::{self, MetricDef};
use std::collections::BTreeMap;

/// Per metric: its value on each summarised record (NaN where missing or implausible) and
/// whether gaitguard derived it.
pub(super) type Columns = BTreeMap<&'static str, (Vec<f64>, bool)>;

/// The columns of every core and extra metric ([`vocab::core_metrics`],
/// [`vocab::extra_metrics`]) the file has on the records `idx`, with implausible values set
/// to NaN; a column with no finite value is left out. Also returns, per metric, how many
/// non-zero values were implausible (zero is "no value" on devices).
pub(super) fn measured(s: &Series, idx: &[usize]) -> (Columns, Vec<(&'static str, usize)>) {
    let mut columns = Columns::new();
    let mut implausible = Vec::new();
    for def in vocab::core_metrics().iter().chain(vocab::extra_metrics()) {
        let Some(all) = s.get(def.channel) else {
            continue;
        };
        let metric = def.name();
        let mut v: Vec<f64> = idx.iter().map(|&i| all[i]).collect();
        let bad = exclude_implausible(def, &mut v);
        if bad > 0 {
            implausible.push((metric, bad));
        }
        if v.iter().any(|x| x.is_finite()) {
            columns.insert(metric, (v, false));
        }
    }
    (columns, implausible)
}

/// Set the finite values of a metric outside its plausible range ([`MetricDef::is_plausible`])
/// to NaN; returns how many of them were not zero.
fn exclude_implausible(def: &MetricDef, v: &mut [f64]) -> usize {
    let mut bad = 0;
    for x in v.iter_mut() {
        if x.is_finite() && !def.is_plausible(*x) {
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
            Channel::FlightMs,
            Channel::CadenceSpm,
            Channel::GroundContactMs,
            |c, g| 60_000.0 / c - g,
        );
    }
    derive(
        columns,
        Channel::StepLengthM,
        Channel::CadenceSpm,
        Channel::SpeedMps,
        |c, v| 60.0 * v / c,
    );
    // VO in cm over step length in m is already a percentage: 100 · (VO_cm/100) / L_m.
    derive(
        columns,
        Channel::VerticalRatioPct,
        Channel::VerticalOscillationCm,
        Channel::StepLengthM,
        |o, l| o / l,
    );
}

/// Derived metrics: combine the columns of `a` and `b` record by record into `out`, keeping
/// plausible results. Nothing when `out` is already there, an input is missing, or no
/// result is plausible.
fn derive(
    columns: &mut Columns,
    out: Channel,
    a: Channel,
    b: Channel,
    f: impl Fn(f64, f64) -> f64,
) {
    let Some(def) = vocab::metric(out) else {
        return;
    };
    if columns.contains_key(def.name()) {
        return;
    }
    let (Some((x, _)), Some((y, _))) = (columns.get(a.name()), columns.get(b.name())) else {
        return;
    };
    let v: Vec<f64> = x
        .iter()
        .zip(y)
        .map(|(x, y)| {
            let r = f(*x, *y);
            if def.is_plausible(r) { r } else { f64::NAN }
        })
        .collect();
    if v.iter().any(|r| r.is_finite()) {
        columns.insert(def.name(), (v, true));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn implausible_values_are_excluded_and_counted_unless_zero() {
        let mut v = [170.0, 0.0, 400.0, f64::NAN, 59.0];
        let def = |c: Channel| vocab::metric(c).unwrap();
        assert_eq!(exclude_implausible(def(Channel::CadenceSpm), &mut v), 2);
        assert_eq!(v[0], 170.0);
        assert!(v[1..].iter().all(|x| x.is_nan()));
        // Zero flight is a real value.
        let mut f = [0.0];
        assert_eq!(exclude_implausible(def(Channel::FlightMs), &mut f), 0);
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
