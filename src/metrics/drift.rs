//! How the run changed: first third versus last third of running time (fatigue drift), and
//! the first 10 minutes versus the rest (warm-up).
//!
//! Thirds are cut by cumulative *running time*, not by record count, so pauses and uneven
//! recording do not move the cut. Fatigue shows as cadence falling and ground contact and
//! oscillation rising late in a run at constant speed (e.g. Mizrahi, Verbitsky & Isakov
//! 2000, Hum Mov Sci 19:139; Hanley & Mohan 2014, J Sports Sci 32:1073), which is why drift
//! is reported together with the speed drift that may explain it.
//!
//! **Time to tire.** Those changes were measured over a 30-minute run at the anaerobic
//! threshold (Mizrahi et al. 2000) and over a 10 km race (Hanley & Mohan 2014); none of
//! that work reports them within the first minutes. Drift is therefore computed only on at
//! least [`MIN_DRIFT_RUNNING_S`] = 10 minutes of running (thirds of at least 3 min 20 s):
//! an operational floor well below those durations, so that a clip of seconds — a treadmill
//! trial — is never read as fatigue; below it drift is not assessed. The warm-up check needs
//! 20 minutes (10 minutes against at least as many after them).
//!
//! **Confidence** follows the records (steps, for a raw sensor) behind each third: the 95 %
//! half-width of the change, `1.96·√(s₁²/n₁ + s₃²/n₃)` with the time-weighted standard
//! deviation `s` and the effective count `n = (Σw)²/Σw²` of each third, relative to the
//! first third's mean. `high` when it is within 1 %, `moderate` within 3 % (the smallest
//! drift threshold of the risk table: a change of that size can be told from noise), `low`
//! beyond, and at most `moderate` with fewer than 30 records in a third (the normal
//! approximation behind the half-width).
//!
//! Warm-up: a run whose first 10 minutes are as fast as the rest (speed ratio ≥ 0.97) or
//! whose heart rate is already ≥ 95 % of the rest's average started hard, without easing in.
//! A dynamic warm-up before running is standard injury-prevention advice (e.g. the
//! FIFA 11+ family of programmes); the ratios are this project's operational definition.

use crate::vocab::Confidence;
use serde::Serialize;

/// Least running time for drift, s (module notes: time to tire).
pub const MIN_DRIFT_RUNNING_S: f64 = 600.0;

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
    /// Records (steps, for a raw sensor) in the first third.
    pub n_first: usize,
    /// Records in the last third.
    pub n_last: usize,
    /// How well the records resolve the change (module notes).
    pub confidence: Confidence,
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

/// Time-weighted mean, standard deviation, record count and effective count of one third.
#[derive(Debug, Clone, Copy, PartialEq)]
struct ThirdStats {
    mean: f64,
    sd: f64,
    n: usize,
    n_eff: f64,
}

/// Statistics of the finite `values` tagged `tag`, weighted by `weights`.
fn third_stats(values: &[f64], weights: &[f64], tags: &[u8], tag: u8) -> Option<ThirdStats> {
    let pairs: Vec<(f64, f64)> = values
        .iter()
        .zip(weights)
        .zip(tags)
        .filter(|((v, w), t)| v.is_finite() && **w > 0.0 && **t == tag)
        .map(|((v, w), _)| (*v, *w))
        .collect();
    let mean = crate::stats::weighted_mean(pairs.iter().copied())?;
    let sw: f64 = pairs.iter().map(|p| p.1).sum();
    let sw2: f64 = pairs.iter().map(|p| p.1 * p.1).sum();
    let var = pairs
        .iter()
        .map(|(v, w)| w * (v - mean).powi(2))
        .sum::<f64>()
        / sw;
    Some(ThirdStats {
        mean,
        sd: var.sqrt(),
        n: pairs.len(),
        n_eff: sw * sw / sw2,
    })
}

/// Confidence of a change between two thirds (module notes).
fn confidence(a: &ThirdStats, b: &ThirdStats) -> Confidence {
    let half_width = 1.96 * (a.sd * a.sd / a.n_eff + b.sd * b.sd / b.n_eff).sqrt();
    let rel_pct = if a.mean != 0.0 {
        100.0 * half_width / a.mean.abs()
    } else {
        f64::INFINITY
    };
    let by_width = if rel_pct <= 1.0 {
        Confidence::High
    } else if rel_pct <= 3.0 {
        Confidence::Moderate
    } else {
        Confidence::Low
    };
    if a.n.min(b.n) < 30 {
        by_width.min(Confidence::Moderate)
    } else {
        by_width
    }
}

/// Drift from values and weights (NaN values skipped) given the thirds tags.
pub fn drift(values: &[f64], weights: &[f64], tags: &[u8]) -> Option<Drift> {
    let (first, last) = (
        third_stats(values, weights, tags, 0)?,
        third_stats(values, weights, tags, 2)?,
    );
    let (a, b) = (first.mean, last.mean);
    Some(Drift {
        first_third: a,
        last_third: b,
        change: b - a,
        change_pct: if a != 0.0 { 100.0 * (b - a) / a } else { 0.0 },
        n_first: first.n,
        n_last: last.n,
        confidence: confidence(&first, &last),
    })
}

/// Drift of `values` over the running records weighted by `weights` (s), or `None` on less
/// than [`MIN_DRIFT_RUNNING_S`] of running.
pub fn drift_if_long(values: &[f64], weights: &[f64], tags: &[u8]) -> Option<Drift> {
    if weights.iter().sum::<f64>() < MIN_DRIFT_RUNNING_S {
        return None;
    }
    drift(values, weights, tags)
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
    fn drift_needs_ten_minutes_of_running() {
        let v = vec![170.0; 599];
        let w = vec![1.0; 599];
        assert!(drift_if_long(&v, &w, &thirds(&w)).is_none());
        let w = vec![1.0; 600];
        let v = vec![170.0; 600];
        let d = drift_if_long(&v, &w, &thirds(&w)).unwrap();
        assert_eq!(d.change, 0.0);
        assert_eq!((d.n_first, d.n_last), (200, 200));
    }

    #[test]
    fn confidence_follows_the_records_behind_each_third() {
        // Alternating ±5 (sd 5) around 170 with n records per third: half-width
        // 1.96·5·√(2/n) → 100 records: 1.39 = 0.82 % (high); 12 records: 4.0 = 2.35 %
        // (moderate); 2 records: 9.8 = 5.8 % (low).
        for (n, want) in [
            (100, Confidence::High),
            (12, Confidence::Moderate),
            (2, Confidence::Low),
        ] {
            let v: Vec<f64> = (0..3 * n)
                .map(|i| 170.0 + if i % 2 == 0 { 5.0 } else { -5.0 })
                .collect();
            let w = vec![1.0; 3 * n];
            let d = drift(&v, &w, &thirds(&w)).unwrap();
            assert_eq!(d.confidence, want, "{n}: {d:?}");
        }
        // 29 records of a perfectly steady third: high by width, moderate by count.
        let w = vec![1.0; 87];
        let d = drift(&[170.0; 87], &w, &thirds(&w)).unwrap();
        assert_eq!(d.confidence, Confidence::Moderate);
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
