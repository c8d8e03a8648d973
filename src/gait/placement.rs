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
//! * `arm_swing` — a swinging arm ([`arm_swing`]): |a| repeats once per step but the axes
//!   once per stride (the arm turns gravity in the sensor's frame once per swing).
//!
//! Rules, in order: unless a gyroscope shows a foot (≥ 250 °/s with a still stance),
//! running loads (p95 1.5–6 g) at a running cadence (≥ 140 steps/min) with |a|
//! step-periodic (|a| stride share ≤ 0.2) and the axes stride-periodic (share ≥ 0.05 and
//! ≥ 5 × |a|'s) → wrist; ratio ≥ 0.8 with swing < 25° → trunk (high); a quiescent stance in half the strides with a gyroscope peak ≥ 250 °/s
//! (or, without a gyroscope, p95 ≥ 3 g), or p95 ≥ 6 g → foot; swing < 25° → trunk (high
//! confidence when also ratio ≥ 0.6 and swing < 20°); ratio ≥ 0.6 → trunk (low); else
//! p95 < 3 g → wrist, otherwise thigh (low). Thresholds are the table's literature ranges,
//! not fitted, except the arm swing's, which sit between the values measured on trunk
//! recordings and on simulated arm swings (their constants say which); the wrist/thigh
//! split is weak and reported as low confidence.
//! `--placement` always overrides.

use crate::recording::{Placement, Warning};
use crate::signal::filter::{Band, zero_phase, zero_phase_lanes};
use crate::stats::quantile;
use crate::units::{Hertz, STANDARD_GRAVITY_MPS2 as G};
use crate::vocab::Confidence;
use crate::vocab::WarningCode;
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
    /// Arm swing ([`arm_swing`]): the step line of |a| and the share of the axes' power at
    /// half of it (the stride) against at it.
    pub arm_swing: Option<ArmSwingEvidence>,
}

/// The signature of a swinging arm: the axes repeat once per stride while |a| repeats once
/// per step.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct ArmSwingEvidence {
    /// Strongest line of |a| in 1–5 Hz (the step frequency of a trunk or wrist sensor), Hz.
    pub magnitude_hz: f64,
    /// Power of |a| at half that frequency over the power at half of it plus at it (0–1):
    /// a sensor loaded by both legs alike (trunk, wrist) stays low.
    pub magnitude_stride_share: f64,
    /// Power of the three axes (summed spectra) at half that frequency over the power at half
    /// of it plus at it (0–1): a swinging arm ≥ 0.5, a trunk sensor well below.
    pub axis_stride_share: f64,
    /// The same share in the gyroscope's axes, when there is one.
    pub gyro_stride_share: Option<f64>,
}

/// Magnitude of the acceleration, m/s².
pub fn magnitude(acc: &[Vec<f64>; 3]) -> Vec<f64> {
    (0..acc[0].len())
        .map(|i| (acc[0][i].powi(2) + acc[1][i].powi(2) + acc[2][i].powi(2)).sqrt())
        .collect()
}

/// Compute the evidence on (at most 60 s of) a moving segment: the middle minute's |a| →
/// its 95th percentile → step/stride autocorrelation ratio → quiescent stance share → swing
/// angle → gyroscope peak.
pub fn evidence(acc: &[Vec<f64>; 3], gyro: Option<&[Vec<f64>; 3]>, fs: Hertz) -> Evidence {
    let n = acc[0].len();
    let win = ((60.0 * fs.0) as usize).min(n);
    let a0 = (n - win) / 2;
    let norm =
        |x: &[Vec<f64>; 3], i: usize| (x[0][i].powi(2) + x[1][i].powi(2) + x[2][i].powi(2)).sqrt();
    let mag: Vec<f64> = (a0..a0 + win).map(|i| norm(acc, i)).collect();
    let (ratio, stride_s) = step_stride_ratio(&mag, fs);
    let gyro_window = gyro.map(|g| (a0..a0 + win).map(|i| norm(g, i)).collect::<Vec<f64>>());
    let quiescent_share =
        stride_s.map(|t| quiescent_share(&mag, gyro_window.as_deref(), (t * fs.0) as usize, fs));
    Evidence {
        step_stride_ratio: ratio,
        p95_g: quantile(&mag, 0.95) / G,
        quiescent_share,
        stride_s,
        swing_deg: swing_deg(acc, a0, win, fs),
        gyro_p99_dps: gyro_window.map(|m| quantile(&m, 0.99)),
        arm_swing: arm_swing(acc, gyro, &mag, a0, fs),
    }
}

/// Each axis of `x` over `win` samples from `a0` (and `mag` as given), low-passed at 10 Hz
/// and decimated to about 25 Hz: (the signals, their rate).
fn slow_axes(x: &[Vec<f64>; 3], a0: usize, win: usize, fs: Hertz) -> (Vec<Vec<f64>>, Hertz) {
    let k = ((fs.0 / 25.0).floor() as usize).max(1);
    let w: [&[f64]; 3] = std::array::from_fn(|i| &x[i][a0..a0 + win]);
    let band = Band::Low(10.0f64.min(0.45 * fs.0));
    let lp = zero_phase_lanes(w, fs, 4, [band; 3]);
    let axes = lp
        .iter()
        .zip(w)
        .map(|(lp, w)| {
            lp.as_deref()
                .unwrap_or(w)
                .iter()
                .step_by(k)
                .copied()
                .collect()
        })
        .collect();
    (axes, Hertz(fs.0 / k as f64))
}

/// Summed power spectra of `axes` at `fs`.
fn vector_spectrum(axes: &[Vec<f64>], fs: Hertz) -> crate::signal::spectrum::Spectrum {
    let mut planner = rustfft::FftPlanner::new();
    let mut total: Option<crate::signal::spectrum::Spectrum> = None;
    for a in axes {
        let s = crate::signal::spectrum::power_spectrum(&mut planner, a, fs);
        total = Some(match total {
            None => s,
            Some(mut t) => {
                for (p, q) in t.power.iter_mut().zip(&s.power) {
                    *p += q;
                }
                t
            }
        });
    }
    total.unwrap_or(crate::signal::spectrum::Spectrum {
        power: vec![0.0; 2],
        bin_hz: 1.0,
    })
}

/// `P(f/2) / (P(f/2) + P(f))` of a spectrum, `None` when both are zero.
fn stride_share(spec: &crate::signal::spectrum::Spectrum, f_step: f64) -> Option<f64> {
    let (stride, step) = (spec.power_at(f_step / 2.0), spec.power_at(f_step));
    (stride + step > 0.0).then(|| stride / (stride + step))
}

/// The arm-swing signature on the window of `win` samples of `mag` (|a|, m/s²) from `a0`.
///
/// A wrist moves with the trunk, which both legs load alike, so |a| repeats once per
/// *step* (the transmitted bounce and the swing's centripetal acceleration, `r·θ̇²`, peak
/// twice per swing); but the arm swings forward and back once per *stride* (Hinrichs 1987,
/// 1990; see `simulate::arm`), turning the sensor and gravity in it by tens of degrees and
/// adding the tangential acceleration `r·θ̈`: in the axes, the stride line outweighs the step
/// line. A trunk sensor turns only a few degrees (its axes, like |a|, are dominated by the
/// vertical bounce at the step frequency); a foot's or thigh's |a| repeats once per stride
/// (its own leg's impact), so its strongest |a| line is the stride (and half of it holds
/// little power in the axes) or a harmonic with the stride line beside it. Features: the
/// strongest |a| line in 1–5 Hz (60–300 steps/min), and the power of |a|, of the axes and
/// of the gyroscope's axes at half of it over the power at half plus at it, from the 60 s
/// window's spectra (Hann, mean removed). `None` without a clear line (prominence < 4) or below 12 Hz of rate.
pub fn arm_swing(
    acc: &[Vec<f64>; 3],
    gyro: Option<&[Vec<f64>; 3]>,
    mag: &[f64],
    a0: usize,
    fs: Hertz,
) -> Option<ArmSwingEvidence> {
    let win = mag.len();
    if fs.0 < 12.0 || win < 8 {
        return None;
    }
    let (axes, fd) = slow_axes(acc, a0, win, fs);
    let k = ((fs.0 / 25.0).floor() as usize).max(1);
    let m =
        zero_phase(mag, fs, 4, Band::Low(10.0f64.min(0.45 * fs.0))).unwrap_or_else(|| mag.to_vec());
    let m: Vec<f64> = m.iter().step_by(k).copied().collect();
    let mut planner = rustfft::FftPlanner::new();
    let mag_spec = crate::signal::spectrum::power_spectrum(&mut planner, &m, fd);
    let peak = mag_spec.peak(1.0, 5.0f64.min(0.45 * fd.0))?;
    if peak.prominence < 4.0 {
        return None;
    }
    let f = peak.freq_hz;
    let magnitude_stride_share = stride_share(&mag_spec, f)?;
    let axis_stride_share = stride_share(&vector_spectrum(&axes, fd), f)?;
    let gyro_stride_share = gyro.and_then(|g| {
        let (gx, gd) = slow_axes(g, a0, win, fs);
        stride_share(&vector_spectrum(&gx, gd), f)
    });
    Some(ArmSwingEvidence {
        magnitude_hz: f,
        magnitude_stride_share,
        axis_stride_share,
        gyro_stride_share,
    })
}

/// The step/stride autocorrelation ratio of |a| and the stride time, s: |a| band-passed
/// 0.5–10 Hz, then decimated to ~50 Hz (the band-pass is the anti-alias filter).
fn step_stride_ratio(mag: &[f64], fs: Hertz) -> (Option<f64>, Option<f64>) {
    let k = ((fs.0 / 50.0).floor() as usize).max(1);
    let fd = fs.0 / k as f64;
    match zero_phase(mag, fs, 4, Band::Pass(0.5, 10.0f64.min(0.45 * fs.0))) {
        Some(bp) => {
            let d: Vec<f64> = bp.iter().step_by(k).copied().collect();
            acf_ratio(&d, fd)
        }
        None => (None, None),
    }
}

/// Share of the strides (`stride` samples each) of `mag` (|a|, m/s²) holding a still
/// window of at least 40 ms: ||a| − 1 g| < 0.3 g, and |ω| < 50 °/s when there is a
/// gyroscope (`gyro_mag`: |ω|, deg/s, on the same samples).
fn quiescent_share(mag: &[f64], gyro_mag: Option<&[f64]>, stride: usize, fs: Hertz) -> f64 {
    let need = ((0.04 * fs.0).ceil() as usize).max(2);
    let mut strides = 0;
    let mut with = 0;
    let mut s = 0;
    while s + stride <= mag.len() && stride > 0 {
        strides += 1;
        let mut run = 0;
        for i in s..s + stride {
            let still = (mag[i] - G).abs() < 0.3 * G && gyro_mag.is_none_or(|g| g[i] < 50.0);
            run = if still { run + 1 } else { 0 };
            if run >= need {
                with += 1;
                break;
            }
        }
        s += stride;
    }
    with as f64 / strides.max(1) as f64
}

/// Mean angle, degrees, between the slow (3 Hz low-passed) acceleration and its 5 s moving
/// mean over `win` samples from `a0`, sampled at 25 Hz.
fn swing_deg(acc: &[Vec<f64>; 3], a0: usize, win: usize, fs: Hertz) -> f64 {
    let half = ((2.5 * fs.0) as usize).max(1);
    let w: [&[f64]; 3] = std::array::from_fn(|i| &acc[i][a0..a0 + win]);
    let band = Band::Low(3.0f64.min(0.45 * fs.0));
    let lanes = zero_phase_lanes(w, fs, 2, [band; 3]);
    let lp: Vec<Vec<f64>> = lanes
        .into_iter()
        .zip(w)
        .map(|(lp, w)| lp.unwrap_or_else(|| w.to_vec()))
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
    ang / cnt.max(1) as f64
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
    let foot_gyro = e.gyro_p99_dps.is_some_and(|w| w >= 250.0) && quiescent;
    if let Some(high) = swinging_arm(e).filter(|_| !foot_gyro) {
        return (Placement::Wrist, high);
    }
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

/// Axis stride share ([`ArmSwingEvidence::axis_stride_share`]) from which the axes are taken
/// to swing once per stride: the running trunk sensors of the tests (force-plate centre of
/// mass, sacral IMU, lateral hip) stay at or under 0.01, the simulated arm swings (20–50°,
/// 0.3–0.55 m, 30–100 % of the bounce passed on, 150–190 steps/min) reach 0.05–0.75.
pub const ARM_STRIDE_SHARE: f64 = 0.05;

/// How many times |a|'s own stride share the axes' must reach: a trunk sensor whose steps
/// alternate (a limp, a lateral clip) puts the same share of stride power in |a| and in
/// the axes (simulated ±40 ms alternation: 0.083 and 0.088), while a swinging arm's
/// rotation shows in the axes only (|a| ≤ 0.003 on the simulated swings).
pub const ARM_OVER_MAG: f64 = 5.0;

/// |a| stride share ([`ArmSwingEvidence::magnitude_stride_share`]) up to which |a| is taken
/// to repeat once per step (its step line at least four times its stride line's power).
pub const MAG_STRIDE_SHARE: f64 = 0.2;

/// Step frequency, Hz (140 steps/min, the engine's running threshold), from which the arm
/// swing is looked for. In walking the trunk's axes also repeat once per stride: the
/// lower back sways sideways and turns once per stride while its bounce is small (the
/// lower-back walk of the tests has an axis stride share of 0.57), so the share does not
/// tell a walking wrist from a walking trunk. A walking wrist needs `--placement wrist`.
pub const ARM_MIN_STEP_HZ: f64 = 140.0 / 60.0;

/// 95th percentile of |a|, g, from which the loading is running's: landings load the trunk
/// to 2–3 g (the force-plate trials' p95 2.1–2.4 g) against 1.2–1.3 g in walking (the
/// lower-back walk 1.16 g, simulated walks up to 140 steps/min 1.25 g); a running wrist
/// adds the swing's centripetal pull to the attenuated bounce (simulated: ≥ 1.84 g).
pub const ARM_MIN_P95_G: f64 = 1.5;

/// A swinging arm of a runner: running loads (p95 of [`ARM_MIN_P95_G`] to 6 g: no foot
/// impacts) at a running cadence (|a|'s step line ≥ [`ARM_MIN_STEP_HZ`]); |a| repeats once
/// per step (share ≤ [`MAG_STRIDE_SHARE`]: the trunk's bounce, loaded by both legs alike,
/// and the swing's centripetal pull) while the axes repeat once per stride (share ≥
/// [`ARM_STRIDE_SHARE`] and ≥ [`ARM_OVER_MAG`] × |a|'s). `Some(high confidence?)`: high
/// when the axes' share is ≥ 0.4, |a|'s ≤ 0.1 and a gyroscope, if any, turns mostly once
/// per stride (its own share ≥ 0.5). `None` when not an arm.
fn swinging_arm(e: &Evidence) -> Option<bool> {
    let arm = e.arm_swing?;
    let axes = arm.axis_stride_share;
    let mag = arm.magnitude_stride_share;
    let running = arm.magnitude_hz >= ARM_MIN_STEP_HZ && e.p95_g >= ARM_MIN_P95_G && e.p95_g < 6.0;
    if !(running && mag <= MAG_STRIDE_SHARE && axes >= ARM_STRIDE_SHARE.max(ARM_OVER_MAG * mag)) {
        return None;
    }
    let gyro_ok = arm.gyro_stride_share.is_none_or(|g| g >= 0.5);
    Some(axes >= 0.4 && mag <= 0.1 && gyro_ok)
}

/// The placement to use and how it was decided: `forced` (`--placement`) when given, else
/// detected from the `longest` segment's signal. A low-confidence detection comes with a
/// `placement_uncertain` warning.
pub fn report(
    forced: Option<Placement>,
    longest: &crate::signal::preprocess::Segment,
) -> (super::PlacementReport, Option<Warning>) {
    if let Some(p) = forced {
        let report = super::PlacementReport {
            placement: p,
            decided: super::PlacementDecision::Override,
            confidence: Confidence::High,
            evidence: None,
        };
        return (report, None);
    }
    let ev = evidence(&longest.acc_mps2, longest.gyro_dps.as_ref(), longest.rate);
    let (p, high) = decide(&ev);
    let warning = (!high).then(|| {
        Warning::new(
            WarningCode::PlacementUncertain,
            format!(
                "the sensor placement was detected as {} with low confidence; pass --placement trunk|foot|wrist|thigh if that is wrong",
                super::placement_name(p)
            ),
        )
    });
    let report = super::PlacementReport {
        placement: p,
        decided: super::PlacementDecision::Detected,
        confidence: if high {
            Confidence::High
        } else {
            Confidence::Low
        },
        evidence: Some(ev),
    };
    (report, warning)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_still_stance_in_every_other_stride_is_half_the_strides() {
        // 100 Hz, strides of 50 samples: strides 0 and 2 hold 10 samples at 1 g.
        let fs = Hertz(100.0);
        let mut mag = vec![3.0 * G; 200];
        for s in [0, 100] {
            for v in &mut mag[s + 20..s + 30] {
                *v = G;
            }
        }
        assert_eq!(quiescent_share(&mag, None, 50, fs), 0.5);
        // A spinning gyroscope rules the stance out.
        let gyro = vec![200.0; 200];
        assert_eq!(quiescent_share(&mag, Some(&gyro), 50, fs), 0.0);
        // Still runs of 3, 2 and 3 samples (< 40 ms) do not count; one of 6 still does.
        mag[23] = 3.0 * G;
        mag[123] = 3.0 * G;
        mag[126] = 3.0 * G;
        assert_eq!(quiescent_share(&mag, None, 50, fs), 0.25);
        assert_eq!(quiescent_share(&mag, None, 0, fs), 0.0);
    }

    #[test]
    fn a_sensor_that_does_not_turn_does_not_swing() {
        let fs = Hertz(50.0);
        let n = 1000;
        let still = [vec![1.0; n], vec![2.0; n], vec![9.0; n]];
        assert!(swing_deg(&still, 0, n, fs) < 1e-6);
        // Gravity turning ±30° about x at 1 Hz swings by tens of degrees.
        let th =
            |i: usize| 30f64.to_radians() * (2.0 * std::f64::consts::PI * i as f64 / 50.0).sin();
        let arm = [
            vec![0.0; n],
            (0..n).map(|i| G * th(i).sin()).collect(),
            (0..n).map(|i| G * th(i).cos()).collect(),
        ];
        let s = swing_deg(&arm, 0, n, fs);
        assert!(s > 10.0 && s < 30.0, "{s}");
    }
}
