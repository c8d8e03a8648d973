//! How the run changed: first third versus last third of running time (fatigue drift), and
//! the first 10 minutes versus the rest (warm-up).
//!
//! Thirds are cut by cumulative *running time*, not by record count, so pauses and uneven
//! recording do not move the cut. Fatigue shows as cadence falling and ground contact and
//! oscillation rising late in a run at constant speed (e.g. Mizrahi, Verbitsky & Isakov
//! 2000, Hum Mov Sci 19:139; Hanley & Mohan 2014, J Sports Sci 32:1073), which is why drift
//! is reported together with the speed drift that may explain it.
//!
//! Warm-up: a run whose first 10 minutes are as fast as the rest (speed ratio ≥ 0.97) or
//! whose heart rate is already ≥ 95 % of the rest's average started hard, without easing in.
//! A dynamic warm-up before running is standard injury-prevention advice (e.g. the
//! FIFA 11+ family of programmes); the ratios are this project's operational definition.

use serde::Serialize;

/// Drift of one metric.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Drift {
    /// Time-weighted mean over the first third of running time.
    pub first_third: f64,
    /// Time-weighted mean over the last third.
    pub last_third: f64,
    /// `last_third − first_third`, in the metric's unit.
    pub change: f64,
    /// Change relative to the first third, %.
    pub change_pct: f64,
}

/// First 10 minutes versus the rest.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Warmup {
    /// Mean speed over the first 10 minutes of running, m/s.
    pub first_10min_speed_mps: Option<f64>,
    /// Mean speed over the rest, m/s.
    pub rest_speed_mps: Option<f64>,
    /// first / rest.
    pub speed_ratio: Option<f64>,
    /// Mean heart rate over the first 10 minutes, bpm.
    pub first_10min_heart_rate_bpm: Option<f64>,
    /// Mean heart rate over the rest, bpm.
    pub rest_heart_rate_bpm: Option<f64>,
    /// first / rest.
    pub heart_rate_ratio: Option<f64>,
    /// The run started as hard as it went on (speed ratio ≥ 0.97 or heart-rate ratio ≥ 0.95).
    pub hard_start: bool,
}

/// Speed ratio at or above which the start counts as hard.
pub const HARD_START_SPEED_RATIO: f64 = 0.97;
/// Heart-rate ratio at or above which the start counts as hard.
pub const HARD_START_HR_RATIO: f64 = 0.95;
/// Length of the warm-up window, s.
pub const WARMUP_WINDOW_S: f64 = 600.0;

/// Index ranges of the first and last thirds of `weights` (cumulative), as boolean tags:
/// returns for each position 0 (first third), 1 (middle), 2 (last third).
pub fn thirds(weights: &[f64]) -> Vec<u8> {
    let total: f64 = weights.iter().sum();
    let mut cum = 0.0;
    weights
        .iter()
        .map(|w| {
            let mid = cum + w / 2.0;
            cum += w;
            if mid < total / 3.0 {
                0
            } else if mid >= 2.0 * total / 3.0 {
                2
            } else {
                1
            }
        })
        .collect()
}

/// Drift from values and weights (NaN values skipped) given the thirds tags.
pub fn drift(values: &[f64], weights: &[f64], tags: &[u8]) -> Option<Drift> {
    let mean_of = |tag: u8| {
        crate::stats::weighted_mean(
            values
                .iter()
                .zip(weights)
                .zip(tags)
                .filter(|((v, _), t)| v.is_finite() && **t == tag)
                .map(|((v, w), _)| (*v, *w)),
        )
    };
    let (a, b) = (mean_of(0)?, mean_of(2)?);
    Some(Drift {
        first_third: a,
        last_third: b,
        change: b - a,
        change_pct: if a != 0.0 { 100.0 * (b - a) / a } else { 0.0 },
    })
}

/// Warm-up comparison; `None` when the running time is under 20 minutes (no "rest" to
/// compare with) or neither speed nor heart rate is present.
pub fn warmup(speed: Option<&[f64]>, hr: Option<&[f64]>, weights: &[f64]) -> Option<Warmup> {
    let total: f64 = weights.iter().sum();
    if total < 2.0 * WARMUP_WINDOW_S {
        return None;
    }
    let mut first = Vec::with_capacity(weights.len());
    let mut cum = 0.0;
    for w in weights {
        first.push(cum + w / 2.0 < WARMUP_WINDOW_S);
        cum += w;
    }
    let split = |v: Option<&[f64]>| -> (Option<f64>, Option<f64>) {
        let Some(v) = v else { return (None, None) };
        let m = |want: bool| {
            crate::stats::weighted_mean(
                v.iter()
                    .zip(weights)
                    .zip(&first)
                    .filter(|((x, _), f)| x.is_finite() && **x > 0.0 && **f == want)
                    .map(|((x, w), _)| (*x, *w)),
            )
        };
        (m(true), m(false))
    };
    let (s1, s2) = split(speed);
    let (h1, h2) = split(hr);
    if s1.is_none() && h1.is_none() {
        return None;
    }
    let ratio = |a: Option<f64>, b: Option<f64>| match (a, b) {
        (Some(a), Some(b)) if b > 0.0 => Some(a / b),
        _ => None,
    };
    let sr = ratio(s1, s2);
    let hr_r = ratio(h1, h2);
    Some(Warmup {
        first_10min_speed_mps: s1,
        rest_speed_mps: s2,
        speed_ratio: sr,
        first_10min_heart_rate_bpm: h1,
        rest_heart_rate_bpm: h2,
        heart_rate_ratio: hr_r,
        hard_start: sr.is_some_and(|r| r >= HARD_START_SPEED_RATIO)
            || hr_r.is_some_and(|r| r >= HARD_START_HR_RATIO),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn linear_drift_is_recovered() {
        // Cadence falls linearly from 180 to 168 over 90 equal records: the first-third mean
        // is 180 − 2 = 178, the last-third mean 170 (means of each third of a line).
        let v: Vec<f64> = (0..90)
            .map(|i| 180.0 - 12.0 * (i as f64 + 0.5) / 90.0)
            .collect();
        let w = vec![1.0; 90];
        let d = drift(&v, &w, &thirds(&w)).unwrap();
        assert!((d.first_third - 178.0).abs() < 1e-9, "{d:?}");
        assert!((d.last_third - 170.0).abs() < 1e-9, "{d:?}");
        assert!((d.change + 8.0).abs() < 1e-9);
    }

    #[test]
    fn thirds_follow_time_not_record_count() {
        // 10 records of 60 s then 100 records of 1 s: the first third (≈233 s) is the first
        // four long records only.
        let mut w = vec![60.0; 10];
        w.extend(vec![1.0; 100]);
        let t = thirds(&w);
        assert_eq!(t.iter().filter(|x| **x == 0).count(), 4);
    }

    #[test]
    fn hard_and_easy_starts() {
        let n = 40 * 60;
        let w = vec![1.0; n];
        let flat = vec![3.0; n];
        assert!(warmup(Some(&flat), None, &w).unwrap().hard_start);
        let eased: Vec<f64> = (0..n).map(|i| if i < 600 { 2.5 } else { 3.0 }).collect();
        let wu = warmup(Some(&eased), None, &w).unwrap();
        assert!(!wu.hard_start);
        assert!((wu.speed_ratio.unwrap() - 2.5 / 3.0).abs() < 1e-9);
        assert!(warmup(Some(&flat[..600]), None, &w[..600]).is_none());
    }
}
