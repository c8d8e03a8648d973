//! Running form across a block: per-session medians of cadence, ground contact, vertical
//! oscillation, vertical ratio and balance, their slope per week, fatigue drift becoming more
//! frequent, and the runner's usual cadence learned from the block.
//!
//! **Slope** by ordinary least squares of the session medians on the session day. Form depends
//! on speed (cadence rises and contact shortens as a runner speeds up: van Oeveren et al. 2017,
//! Gait Posture 52:56; Morin et al. 2005, J Appl Biomech 21:167), so when at least 6 sessions
//! have a speed that varies by ≥ 0.1 m/s (SD), the model is `value = a + b·day + c·speed`
//! and `b` is the trend at constant speed. Confidence is `low` with fewer than 6 sessions or
//! when |b| is under twice its standard error (no trend told apart from noise).

use crate::vocab::Confidence;
use nalgebra::{DMatrix, DVector};
use serde::Serialize;

/// One session's value of a metric.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Point {
    /// Days since the block's first day.
    pub day: f64,
    /// Median running speed, m/s.
    pub speed_mps: Option<f64>,
    /// The session median.
    pub value: f64,
}

/// A metric's trend over the block.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Trend {
    /// Metric name.
    pub metric: &'static str,
    /// Sessions used.
    pub n: usize,
    /// Mean of the session medians.
    pub mean: f64,
    /// Slope, metric units per week.
    pub per_week: f64,
    /// Slope, % of the mean per week.
    pub per_week_pct: f64,
    /// Standard error of the slope, per week.
    pub standard_error_per_week: f64,
    /// The slope is at constant speed (speed in the model).
    pub speed_adjusted: bool,
    /// With speed in the model: its coefficient, metric units per m/s (how much the session
    /// median moves with the session's speed); `None` otherwise.
    pub per_mps: Option<f64>,
    /// With speed in the model: the median of the sessions' speeds, m/s — the speed that
    /// speed-normalised values (`value − per_mps·(speed − reference)`) are quoted at.
    pub reference_speed_mps: Option<f64>,
    /// `low` or `moderate`.
    pub confidence: Confidence,
}

/// Least squares `y ≈ X·β`; returns β and its standard errors, or `None` when the system is
/// singular or has no residual degrees of freedom.
fn ols(x: &DMatrix<f64>, y: &DVector<f64>) -> Option<(DVector<f64>, DVector<f64>)> {
    let (n, p) = x.shape();
    if n <= p {
        return None;
    }
    let xtx = x.transpose() * x;
    let inv = xtx.try_inverse()?;
    let beta = &inv * x.transpose() * y;
    let resid = y - x * &beta;
    let s2 = resid.norm_squared() / (n - p) as f64;
    let se = DVector::from_iterator(p, (0..p).map(|i| (s2 * inv[(i, i)]).max(0.0).sqrt()));
    beta.iter().all(|b| b.is_finite()).then_some((beta, se))
}

fn sd(x: &[f64]) -> f64 {
    let n = x.len() as f64;
    let m = x.iter().sum::<f64>() / n;
    (x.iter().map(|v| (v - m).powi(2)).sum::<f64>() / n).sqrt()
}

/// The trend of one metric; `None` with fewer than 3 sessions or all on one day.
pub fn trend(metric: &'static str, points: &[Point]) -> Option<Trend> {
    let pts: Vec<Point> = points
        .iter()
        .copied()
        .filter(|p| p.value.is_finite() && p.day.is_finite())
        .collect();
    let n = pts.len();
    if n < 3 {
        return None;
    }
    let mean = pts.iter().map(|p| p.value).sum::<f64>() / n as f64;
    let y = DVector::from_iterator(n, pts.iter().map(|p| p.value));
    let speeds: Option<Vec<f64>> = pts.iter().map(|p| p.speed_mps).collect();
    let with_speed = speeds
        .as_ref()
        .filter(|s| s.len() >= 6 && sd(s) >= 0.1)
        .and_then(|s| {
            let x = DMatrix::from_fn(n, 3, |i, j| match j {
                0 => 1.0,
                1 => pts[i].day,
                _ => s[i],
            });
            ols(&x, &y)
        });
    let (beta, se, adjusted) = match with_speed {
        Some((b, e)) => (b, e, true),
        None => {
            let x = DMatrix::from_fn(n, 2, |i, j| if j == 0 { 1.0 } else { pts[i].day });
            let (b, e) = ols(&x, &y)?;
            (b, e, false)
        }
    };
    let (per_mps, reference_speed_mps) = match (adjusted, speeds) {
        (true, Some(s)) => (Some(beta[2]), crate::stats::median(&mut s.clone())),
        _ => (None, None),
    };
    let per_week = beta[1] * 7.0;
    let se_week = se[1] * 7.0;
    Some(Trend {
        metric,
        n,
        mean,
        per_week,
        per_week_pct: if mean != 0.0 {
            100.0 * per_week / mean
        } else {
            0.0
        },
        standard_error_per_week: se_week,
        speed_adjusted: adjusted,
        per_mps,
        reference_speed_mps,
        confidence: if n < 6 || per_week.abs() < 2.0 * se_week {
            Confidence::Low
        } else {
            Confidence::Moderate
        },
    })
}

/// How often runs showed fatigue drift (cadence down or contact up by ≥ 3 % from the first to
/// the last third; the thresholds of the session model's `cadence_drop` and `contact_rise`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DriftFrequency {
    /// Runs with drift data.
    pub runs: usize,
    /// Runs with fatigue drift.
    pub with_drift: usize,
    /// Share in the first half of those runs (by date), %.
    pub first_half_pct: f64,
    /// Share in the second half, %.
    pub second_half_pct: f64,
    /// The second half has it at least 15 points more often, in at least 2 runs.
    pub more_frequent: bool,
}

/// Drift percentage that counts as fatigue drift.
pub const DRIFT_PCT: f64 = 3.0;

/// Drift frequency over runs in date order: `(cadence change %, contact change %)`, either
/// possibly missing; runs with neither are left out. `None` with fewer than 4 such runs.
pub fn drift_frequency(runs: &[(Option<f64>, Option<f64>)]) -> Option<DriftFrequency> {
    let flags: Vec<bool> = runs
        .iter()
        .filter(|(c, g)| c.is_some() || g.is_some())
        .map(|(c, g)| c.is_some_and(|c| c <= -DRIFT_PCT) || g.is_some_and(|g| g >= DRIFT_PCT))
        .collect();
    let n = flags.len();
    if n < 4 {
        return None;
    }
    let half = n / 2;
    let share = |f: &[bool]| 100.0 * f.iter().filter(|x| **x).count() as f64 / f.len() as f64;
    let (a, b) = flags.split_at(half);
    let (first, second) = (share(a), share(b));
    Some(DriftFrequency {
        runs: n,
        with_drift: flags.iter().filter(|x| **x).count(),
        first_half_pct: first,
        second_half_pct: second,
        more_frequent: second >= first + 15.0 && b.iter().filter(|x| **x).count() >= 2,
    })
}

/// The runner's usual cadence, learned from the block.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UsualCadence {
    /// `speed_fit` (cadence = a + b·speed over the block's runs) or `median`.
    pub method: &'static str,
    /// Runs used.
    pub n: usize,
    /// Usual cadence at the block's median speed, steps/min.
    pub spm_at_median_speed: f64,
    /// Median speed of those runs, m/s.
    pub median_speed_mps: Option<f64>,
    /// Cadence change per m/s (speed fit), steps/min per m/s.
    pub per_mps: Option<f64>,
}

/// Fewest runs to learn a usual cadence from.
pub const USUAL_MIN_RUNS: usize = 5;

impl UsualCadence {
    /// The usual cadence at `speed_mps` (the fit's value, limited to the range of speeds it was
    /// learned on by ± 0.5 m/s), or the median.
    pub fn at(&self, speed_mps: Option<f64>) -> f64 {
        match (self.per_mps, self.median_speed_mps, speed_mps) {
            (Some(b), Some(m), Some(v)) => self.spm_at_median_speed + b * (v - m).clamp(-0.5, 0.5),
            _ => self.spm_at_median_speed,
        }
    }
}

/// Learn the usual cadence from runs' `(cadence, speed)`. With ≥ 5 runs that all have a speed
/// varying by ≥ 0.15 m/s (SD), a straight line in speed whose slope is plausible (0–25
/// steps/min per m/s; van Oeveren et al. 2017 report about 8–12); else the median cadence of
/// ≥ 5 runs; else `None`.
pub fn usual_cadence(runs: &[(f64, Option<f64>)]) -> Option<UsualCadence> {
    let runs: Vec<(f64, Option<f64>)> = runs
        .iter()
        .copied()
        .filter(|(c, _)| c.is_finite() && (100.0..=260.0).contains(c))
        .collect();
    let n = runs.len();
    if n < USUAL_MIN_RUNS {
        return None;
    }
    let cad_median =
        crate::stats::median(&mut runs.iter().map(|r| r.0).collect::<Vec<_>>()).unwrap_or(f64::NAN);
    let speeds: Option<Vec<f64>> = runs.iter().map(|r| r.1).collect();
    if let Some(s) = speeds.filter(|s| sd(s) >= 0.15) {
        let x = DMatrix::from_fn(n, 2, |i, j| if j == 0 { 1.0 } else { s[i] });
        let y = DVector::from_iterator(n, runs.iter().map(|r| r.0));
        if let Some((b, _)) = ols(&x, &y) {
            let m = crate::stats::median(&mut s.clone()).unwrap_or(f64::NAN);
            if (0.0..=25.0).contains(&b[1]) {
                return Some(UsualCadence {
                    method: "speed_fit",
                    n,
                    spm_at_median_speed: b[0] + b[1] * m,
                    median_speed_mps: Some(m),
                    per_mps: Some(b[1]),
                });
            }
        }
    }
    Some(UsualCadence {
        method: "median",
        n,
        spm_at_median_speed: cad_median,
        median_speed_mps: None,
        per_mps: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slope_of_a_straight_line_and_its_speed_adjustment() {
        // Cadence 170 + 0.5/day exactly: 3.5 spm per week, moderate confidence.
        let pts: Vec<Point> = (0..10)
            .map(|i| Point {
                day: i as f64 * 3.0,
                speed_mps: None,
                value: 170.0 + 0.5 * i as f64 * 3.0,
            })
            .collect();
        let t = trend("cadence_spm", &pts).unwrap();
        assert!((t.per_week - 3.5).abs() < 1e-9);
        assert!(!t.speed_adjusted);
        assert_eq!((t.per_mps, t.reference_speed_mps), (None, None));
        // Cadence rising only because the runs got faster (10 spm per m/s): no trend at
        // constant speed.
        let pts: Vec<Point> = (0..10)
            .map(|i| {
                let v = 2.8 + 0.05 * i as f64 + if i % 2 == 0 { 0.2 } else { -0.2 };
                Point {
                    day: i as f64 * 3.0,
                    speed_mps: Some(v),
                    value: 150.0 + 10.0 * v,
                }
            })
            .collect();
        let t = trend("cadence_spm", &pts).unwrap();
        assert!(t.speed_adjusted);
        assert!(t.per_week.abs() < 1e-6, "{}", t.per_week);
        // The speed coefficient is the 10 spm per m/s the values were made with.
        assert!((t.per_mps.unwrap() - 10.0).abs() < 1e-6, "{:?}", t.per_mps);
        let mut v: Vec<f64> = pts.iter().filter_map(|p| p.speed_mps).collect();
        v.sort_by(f64::total_cmp);
        assert!((t.reference_speed_mps.unwrap() - 0.5 * (v[4] + v[5])).abs() < 1e-12);
        assert!(trend("x", &pts[..2]).is_none());
    }

    #[test]
    fn drift_that_becomes_more_frequent() {
        let mut runs = vec![(Some(-0.5), Some(1.0)); 4];
        runs.extend(vec![(Some(-4.0), None); 3]);
        runs.push((None, Some(0.5)));
        runs.push((None, None));
        let d = drift_frequency(&runs).unwrap();
        assert_eq!(d.runs, 8);
        assert_eq!(d.with_drift, 3);
        assert_eq!(d.first_half_pct, 0.0);
        assert_eq!(d.second_half_pct, 75.0);
        assert!(d.more_frequent);
        assert!(drift_frequency(&runs[..3]).is_none());
    }

    #[test]
    fn usual_cadence_from_speed_or_median() {
        let runs: Vec<(f64, Option<f64>)> = [2.6, 2.9, 3.1, 3.3, 3.6, 3.0]
            .iter()
            .map(|v| (140.0 + 10.0 * v, Some(*v)))
            .collect();
        let u = usual_cadence(&runs).unwrap();
        assert_eq!(u.method, "speed_fit");
        assert!((u.per_mps.unwrap() - 10.0).abs() < 1e-9);
        assert!((u.at(Some(3.2)) - 172.0).abs() < 1e-9);
        // Extrapolation is limited to ±0.5 m/s from the median speed (3.05).
        assert!((u.at(Some(5.0)) - (140.0 + 10.0 * 3.55)).abs() < 1e-9);
        let no_speed: Vec<(f64, Option<f64>)> = [170.0, 172.0, 168.0, 171.0, 175.0]
            .iter()
            .map(|c| (*c, None))
            .collect();
        let u = usual_cadence(&no_speed).unwrap();
        assert_eq!((u.method, u.spm_at_median_speed), ("median", 171.0));
        assert!(usual_cadence(&no_speed[..4]).is_none());
    }
}
