//! What the values say when the header does not: the accelerometer unit (g or m/s²), whether
//! gravity is in the signal, and the unit of a numeric time column.
//!
//! Acceleration: with gravity in, |a| sits near 1 g whatever the orientation, and the mean
//! vector over the recording is about 1 g long (gravity is the only steady acceleration of a
//! body that ends where it started). Without gravity the mean vector is close to zero, so the
//! unit can only come from the spread (95th percentile of |a|).

use super::{AccelUnit, TimeUnit};
use crate::stats::quantile_in_place;
use crate::units::STANDARD_GRAVITY_MPS2 as G;

/// Summary of the acceleration magnitude, in the file's own unit.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct AccelStats {
    /// Median of |a| over samples with every channel finite.
    pub median_norm: f64,
    /// 95th percentile of |a|.
    pub p95_norm: f64,
    /// Length of the mean acceleration vector.
    pub mean_norm: f64,
}

/// At most this many samples enter the statistics (evenly spaced).
const MAX_STATS_SAMPLES: usize = 100_000;

/// Statistics of |a| over the channels present (a missing anatomical channel is `None`).
/// `None` when no sample has all present channels finite.
pub(crate) fn accel_stats(ch: [Option<&[f64]>; 3]) -> Option<AccelStats> {
    let present: Vec<&[f64]> = ch.iter().flatten().copied().collect();
    let n = present.iter().map(|c| c.len()).min()?;
    let stride = (n / MAX_STATS_SAMPLES).max(1);
    let mut norms = Vec::with_capacity(n / stride + 1);
    let mut sum = vec![0.0; present.len()];
    let mut i = 0;
    while i < n {
        let mut ss = 0.0;
        let mut ok = true;
        for c in &present {
            let v = c[i];
            if !v.is_finite() {
                ok = false;
                break;
            }
            ss += v * v;
        }
        if ok && ss.is_finite() {
            for (s, c) in sum.iter_mut().zip(&present) {
                *s += c[i];
            }
            norms.push(ss.sqrt());
        }
        i += stride;
    }
    if norms.is_empty() {
        return None;
    }
    let k = norms.len() as f64;
    let mean_norm = sum.iter().map(|s| (s / k) * (s / k)).sum::<f64>().sqrt();
    let median_norm = crate::stats::median(&mut norms).unwrap_or(f64::NAN);
    let p95_norm = quantile_in_place(&mut norms, 0.95);
    Some(AccelStats {
        median_norm,
        p95_norm,
        mean_norm,
    })
}

/// A steady component (gravity) dominates: the mean vector is a good part of the typical
/// magnitude. Unit-free.
pub(crate) fn has_steady_component(s: &AccelStats) -> bool {
    s.mean_norm >= 0.3 * s.median_norm
}

/// The accelerometer unit from the values, given whether gravity is in the signal.
/// With gravity: median |a| near 1 → g, near 9.8 → m/s² (threshold at their geometric mean).
/// Without: 95th percentile of |a| of 2 or more → m/s² (2 g of linear acceleration is a hard
/// landing, 2 m/s² a stroll).
pub(crate) fn infer_accel_unit(s: &AccelStats, gravity_included: bool) -> AccelUnit {
    if gravity_included {
        if s.median_norm < G.sqrt() {
            AccelUnit::G
        } else {
            AccelUnit::Mps2
        }
    } else if s.p95_norm >= 2.0 {
        AccelUnit::Mps2
    } else {
        AccelUnit::G
    }
}

/// Whether gravity is in the signal, the unit known: the mean vector at least 0.4 g long,
/// or |a| typically near 1 g with some steady component.
pub(crate) fn infer_gravity(s: &AccelStats, unit: AccelUnit) -> bool {
    let k = match unit {
        AccelUnit::G => G,
        AccelUnit::Mps2 => 1.0,
    };
    let (med, mean) = (s.median_norm * k, s.mean_norm * k);
    mean >= 0.4 * G || ((0.6 * G..=1.6 * G).contains(&med) && mean >= 0.15 * G)
}

/// Median of the positive steps between consecutive finite values (ties and backward stamps
/// left out). NaN when there is none.
pub(crate) fn median_positive_step(t: &[f64]) -> f64 {
    let stride = (t.len() / MAX_STATS_SAMPLES).max(1);
    let mut steps: Vec<f64> = Vec::with_capacity(t.len().min(MAX_STATS_SAMPLES) + 1);
    let mut i = 1;
    while i < t.len() {
        let d = t[i] - t[i - 1];
        if d.is_finite() && d > 0.0 {
            steps.push(d);
        }
        i += stride;
    }
    crate::stats::median(&mut steps).unwrap_or(f64::NAN)
}

/// Unit of a numeric time column from its first value and median step: the step says
/// s (< 0.5), ms (< 500), µs (< 5·10⁵) or ns; epoch-sized first values (≥ 10⁸ s after 1970 in
/// the unit) decide when there is no step or the step's unit would put the start past the
/// year 2286.
pub(crate) fn infer_time_unit(first_abs: f64, median_step: f64) -> TimeUnit {
    let by_step = (median_step.is_finite() && median_step > 0.0).then_some(if median_step < 0.5 {
        TimeUnit::S
    } else if median_step < 500.0 {
        TimeUnit::Ms
    } else if median_step < 5e5 {
        TimeUnit::Us
    } else {
        TimeUnit::Ns
    });
    let by_magnitude = if !first_abs.is_finite() {
        None
    } else if first_abs >= 1e17 {
        Some(TimeUnit::Ns)
    } else if first_abs >= 1e14 {
        Some(TimeUnit::Us)
    } else if first_abs >= 1e11 {
        Some(TimeUnit::Ms)
    } else if first_abs >= 1e8 {
        Some(TimeUnit::S)
    } else {
        None
    };
    match (by_step, by_magnitude) {
        (Some(s), Some(m)) if first_abs * s.seconds() > 1e10 => m,
        (Some(s), _) => s,
        (None, Some(m)) => m,
        (None, None) => TimeUnit::S,
    }
}

/// Seconds since the epoch look like a wall clock (1973 to 2286).
pub(crate) fn is_epoch_seconds(v: f64) -> bool {
    (1e8..=1e10).contains(&v)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stats(x: &[f64], y: &[f64], z: &[f64]) -> AccelStats {
        accel_stats([Some(x), Some(y), Some(z)]).unwrap()
    }

    /// A walking-like signal: gravity on z plus a 2 Hz oscillation of amplitude `amp`.
    fn signal(gravity: f64, amp: f64, scale: f64) -> [Vec<f64>; 3] {
        let n = 1000;
        let t = |i: usize| i as f64 / 100.0;
        let x = (0..n)
            .map(|i| scale * amp * (2.0 * std::f64::consts::PI * 2.0 * t(i)).sin())
            .collect();
        let y = (0..n)
            .map(|i| scale * 0.5 * amp * (2.0 * std::f64::consts::PI * 1.0 * t(i)).cos())
            .collect();
        let z = (0..n)
            .map(|i| scale * (gravity + amp * (2.0 * std::f64::consts::PI * 2.0 * t(i)).cos()))
            .collect();
        [x, y, z]
    }

    #[test]
    fn accel_unit_and_gravity_from_values() {
        // (gravity in g, oscillation in g, file scale: 1 = g, G = m/s²)
        for (grav, amp, scale, unit, g_in) in [
            (1.0, 0.3, 1.0, AccelUnit::G, true),
            (1.0, 0.3, G, AccelUnit::Mps2, true),
            (1.0, 1.5, 1.0, AccelUnit::G, true), // running, hard impacts
            (0.0, 0.3, G, AccelUnit::Mps2, false),
            (0.0, 0.1, 1.0, AccelUnit::G, false),
        ] {
            let [x, y, z] = signal(grav, amp, scale);
            let s = stats(&x, &y, &z);
            let g = has_steady_component(&s);
            assert_eq!(g, g_in, "{grav} {amp} {scale}: {s:?}");
            assert_eq!(infer_accel_unit(&s, g), unit, "{grav} {amp} {scale}: {s:?}");
            assert_eq!(infer_gravity(&s, unit), g_in, "{grav} {amp} {scale}: {s:?}");
        }
    }

    #[test]
    fn gravity_removed_running_in_mps2_is_not_mistaken_for_gravity() {
        // User acceleration of a phone while running: |a| about 9.8 m/s² but zero mean.
        let [x, y, z] = signal(0.0, 1.0, G);
        let s = stats(&x, &y, &z);
        assert!(!infer_gravity(&s, AccelUnit::Mps2), "{s:?}");
    }

    #[test]
    fn stats_skip_missing_samples_and_channels() {
        let v = [1.0, f64::NAN, 1.0, 1.0];
        let s = accel_stats([Some(&v[..]), None, None]).unwrap();
        assert_eq!(s.median_norm, 1.0);
        assert_eq!(s.mean_norm, 1.0);
        assert!(accel_stats([Some(&[f64::NAN][..]), None, None]).is_none());
        assert!(accel_stats([None, None, None]).is_none());
    }

    #[test]
    fn time_units_from_steps_and_magnitudes() {
        use TimeUnit::*;
        // Relative stamps at 100 Hz in each unit.
        assert_eq!(infer_time_unit(0.0, 0.01), S);
        assert_eq!(infer_time_unit(0.0, 10.0), Ms);
        assert_eq!(infer_time_unit(0.0, 10_000.0), Us);
        assert_eq!(infer_time_unit(0.0, 1e7), Ns);
        // Epoch stamps (Sensor Logger ns, MetaMotion ms, Unix seconds).
        assert_eq!(infer_time_unit(1.729e18, 9.58e6), Ns);
        assert_eq!(infer_time_unit(1.659e12, 10.0), Ms);
        assert_eq!(infer_time_unit(1.54e9, 0.01), S);
        // ns epoch at 5 kHz: the step alone would say µs and a start in the year 56000.
        assert_eq!(infer_time_unit(1.729e18, 2e5), Ns);
        // No step (one row, or all ties): the magnitude, else seconds.
        assert_eq!(infer_time_unit(1.729e18, f64::NAN), Ns);
        assert_eq!(infer_time_unit(3.0, f64::NAN), S);
        // Device uptime in ms (3.7 days) is not an epoch.
        assert_eq!(infer_time_unit(3.2e8, 10.0), Ms);
    }

    #[test]
    fn steps_ignore_ties_and_gaps() {
        let t = [0.0, 0.0, 0.01, 0.02, 0.02, 0.03, 5.0, f64::NAN, 5.01];
        assert!((median_positive_step(&t) - 0.01).abs() < 1e-12);
        assert!(median_positive_step(&[1.0]).is_nan());
    }
}
