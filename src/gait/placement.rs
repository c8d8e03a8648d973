//! Where the sensor sat, from the signal (methods notes §3; after the two-stage, orientation-
//! invariant placement recognition of Mannini, Sabatini & Intille 2015, reduced to three
//! transparent features on the moving part of the recording):
//!
//! * `step_stride_ratio` — autocorrelation of |a| (band-passed 0.5–10 Hz, 50 Hz) at the step
//!   lag over that at the stride lag. A trunk sensor is loaded by both legs alike (≈ 1); a limb
//!   sensor repeats once per stride (< 0.5).
//! * `p95_g` — 95th percentile of |a|: trunk 2–5 g, foot and shank 6–20 g, wrist 2–5 g.
//! * `quiescent_share` — share of strides holding a ≥ 40 ms window with ||a| − 1 g| < 0.3 g
//!   (and |ω| < 50 °/s when there is a gyroscope): the foot is still on the ground in stance.
//!
//! * `swing_deg` — mean angle between the 3 Hz low-passed acceleration and its 5 s mean: a
//!   trunk sensor stays near gravity; an arm or a thigh swings through tens of degrees.
//! * `gyro_p99_dps` — a foot swings at 300–800 °/s.
//!
//! Rules, in order: ratio ≥ 0.8 with swing < 25° → trunk (high); a quiescent stance in half the strides with a gyroscope peak ≥ 250 °/s
//! (or, without a gyroscope, p95 ≥ 3 g), or p95 ≥ 6 g → foot; swing < 25° → trunk (high
//! confidence when also ratio ≥ 0.6 and swing < 20°); ratio ≥ 0.6 → trunk (low); else
//! p95 < 3 g → wrist, otherwise thigh (low). Thresholds are the table's literature ranges,
//! not fitted; the wrist/thigh split is weak and reported as low confidence.
//! `--placement` always overrides.

use crate::recording::Placement;
use crate::signal::filter::{Band, zero_phase};
use crate::stats::quantile;
use crate::units::{Hertz, STANDARD_GRAVITY_MPS2 as G};
use serde::Serialize;

/// The features and the decision.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Evidence {
    /// ACF(step lag) / ACF(stride lag).
    pub step_stride_ratio: Option<f64>,
    /// 95th percentile of |a|, g.
    pub p95_g: f64,
    /// Share of strides with a quiescent stance window.
    pub quiescent_share: Option<f64>,
    /// Stride period found, s.
    pub stride_s: Option<f64>,
    /// Mean angle between the 3 Hz low-passed acceleration and the 5 s mean (gravity),
    /// degrees: how much the segment swings (trunk ≈ 10–20°, arm and thigh more).
    pub swing_deg: f64,
    /// 99th percentile of the angular rate, deg/s, when there is a gyroscope (a foot swings
    /// at 300–800 °/s, a trunk well under 200 °/s).
    pub gyro_p99_dps: Option<f64>,
}

/// Magnitude of the acceleration, m/s².
pub fn magnitude(acc: &[Vec<f64>; 3]) -> Vec<f64> {
    (0..acc[0].len())
        .map(|i| (acc[0][i].powi(2) + acc[1][i].powi(2) + acc[2][i].powi(2)).sqrt())
        .collect()
}

/// Compute the evidence on (at most 60 s of) a moving segment.
pub fn evidence(acc: &[Vec<f64>; 3], gyro: Option<&[Vec<f64>; 3]>, fs: Hertz) -> Evidence {
    let n = acc[0].len();
    let win = ((60.0 * fs.0) as usize).min(n);
    let a0 = (n - win) / 2;
    let mag: Vec<f64> = (a0..a0 + win)
        .map(|i| (acc[0][i].powi(2) + acc[1][i].powi(2) + acc[2][i].powi(2)).sqrt())
        .collect();
    let p95_g = quantile(&mag, 0.95) / G;
    // Decimate to ~50 Hz after an anti-alias low-pass.
    let k = ((fs.0 / 50.0).floor() as usize).max(1);
    let fd = fs.0 / k as f64;
    let bp = zero_phase(&mag, fs, 4, Band::Pass(0.5, 10.0f64.min(0.45 * fs.0)));
    let (ratio, stride_s) = match bp {
        Some(bp) => {
            let d: Vec<f64> = bp.iter().step_by(k).copied().collect();
            acf_ratio(&d, fd)
        }
        None => (None, None),
    };
    // Quiescent stance windows, per stride.
    let quiescent_share = stride_s.map(|t| {
        let stride = (t * fs.0) as usize;
        let need = ((0.04 * fs.0).ceil() as usize).max(2);
        let mut strides = 0;
        let mut with = 0;
        let mut s = 0;
        while s + stride <= mag.len() && stride > 0 {
            strides += 1;
            let mut run = 0;
            let mut found = false;
            for i in s..s + stride {
                let still = (mag[i] - G).abs() < 0.3 * G
                    && gyro.is_none_or(|g| {
                        let j = a0 + i;
                        (g[0][j].powi(2) + g[1][j].powi(2) + g[2][j].powi(2)).sqrt() < 50.0
                    });
                run = if still { run + 1 } else { 0 };
                if run >= need {
                    found = true;
                    break;
                }
            }
            if found {
                with += 1;
            }
            s += stride;
        }
        with as f64 / strides.max(1) as f64
    });
    // Swing: angle between the slow (3 Hz) acceleration and the 5 s mean.
    let half = ((2.5 * fs.0) as usize).max(1);
    let lp: Vec<Vec<f64>> = acc
        .iter()
        .map(|a| {
            let w = &a[a0..a0 + win];
            zero_phase(w, fs, 2, Band::Low(3.0f64.min(0.45 * fs.0))).unwrap_or_else(|| w.to_vec())
        })
        .collect();
    let slow: Vec<Vec<f64>> = lp
        .iter()
        .map(|a| crate::signal::orient::moving_mean(a, half))
        .collect();
    let mut ang = 0.0;
    let mut cnt = 0usize;
    for i in (0..win).step_by(((fs.0 / 25.0) as usize).max(1)) {
        let u = [lp[0][i], lp[1][i], lp[2][i]];
        let v = [slow[0][i], slow[1][i], slow[2][i]];
        let nu = (u[0] * u[0] + u[1] * u[1] + u[2] * u[2]).sqrt();
        let nv = (v[0] * v[0] + v[1] * v[1] + v[2] * v[2]).sqrt();
        if nu > 1e-6 && nv > 1e-6 {
            let c = (u[0] * v[0] + u[1] * v[1] + u[2] * v[2]) / (nu * nv);
            ang += c.clamp(-1.0, 1.0).acos().to_degrees();
            cnt += 1;
        }
    }
    let gyro_p99_dps = gyro.map(|g| {
        let m: Vec<f64> = (a0..a0 + win)
            .map(|i| (g[0][i].powi(2) + g[1][i].powi(2) + g[2][i].powi(2)).sqrt())
            .collect();
        quantile(&m, 0.99)
    });
    Evidence {
        step_stride_ratio: ratio,
        p95_g,
        quiescent_share,
        stride_s,
        swing_deg: ang / cnt.max(1) as f64,
        gyro_p99_dps,
    }
}

fn acf_ratio(x: &[f64], fs: f64) -> (Option<f64>, Option<f64>) {
    let n = x.len();
    let acf = |lag: usize| -> f64 {
        if lag >= n {
            return 0.0;
        }
        let mut s = 0.0;
        for i in 0..n - lag {
            s += x[i] * x[i + lag];
        }
        s / (n - lag) as f64
    };
    let r0 = acf(0);
    if !(r0 > 0.0) {
        return (None, None);
    }
    let lo = (0.5 * fs) as usize;
    let hi = ((1.7 * fs) as usize).min(n / 2);
    if hi <= lo + 2 {
        return (None, None);
    }
    let vals: Vec<f64> = (lo..=hi).map(acf).collect();
    let (k, &best) = vals
        .iter()
        .enumerate()
        .max_by(|a, b| a.1.total_cmp(b.1))
        .unwrap_or((0, &0.0));
    if !(best > 0.05 * r0) {
        return (None, None);
    }
    let stride = lo + k;
    let step = acf(stride / 2)
        .max(acf(stride / 2 + 1))
        .max(acf(stride.div_ceil(2) - 1));
    (Some((step / best).max(0.0)), Some(stride as f64 / fs))
}

/// Decide the placement: (placement, high confidence?).
pub fn decide(e: &Evidence) -> (Placement, bool) {
    let quiescent = e.quiescent_share.is_some_and(|q| q >= 0.5);
    let ratio = e.step_stride_ratio.unwrap_or(0.0);
    // Both legs load it alike: a single limb cannot do that.
    if ratio >= 0.8 && e.swing_deg < 25.0 {
        return (Placement::Trunk, true);
    }
    // A foot: a still stance every stride and a fast swing (gyro), or hard impacts.
    if let Some(w) = e.gyro_p99_dps {
        if w >= 250.0 && quiescent {
            return (Placement::Foot, true);
        }
    } else if quiescent && e.p95_g >= 3.0 {
        return (Placement::Foot, false);
    }
    if e.p95_g >= 6.0 {
        return (Placement::Foot, false);
    }
    if e.swing_deg < 25.0 {
        // Trunk: both legs load it alike, and it does not swing.
        return (Placement::Trunk, ratio >= 0.6 && e.swing_deg < 20.0);
    }
    if ratio >= 0.6 {
        return (Placement::Trunk, false);
    }
    if e.p95_g < 3.0 {
        (Placement::Wrist, false)
    } else {
        (Placement::Thigh, false)
    }
}
