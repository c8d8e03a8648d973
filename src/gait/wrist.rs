//! A wrist-worn or hand-held sensor: cadence and step counts from the arm swing.
//!
//! The arm swings forward and back once per stride (Hinrichs 1987, Int J Sport Biomech
//! 3:242; Hinrichs 1990 in Cavanagh (ed.), *Biomechanics of Distance Running*; Collins,
//! Adamczyk & Kuo 2009, Proc R Soc B 276:3679 for walking): in the sensor's axes gravity
//! turns and the swing's tangential acceleration acts once per stride, while the trunk's
//! bounce and the swing's centripetal acceleration act once per step (see
//! `simulate::arm`). So, per 10 s window (50 % overlap) of the acceleration low-passed at
//! 10 Hz and decimated to about 25 Hz:
//!
//! 1. **Fundamental.** The strongest line of the summed spectra of the three axes (Hann,
//!    mean removed, zero-padded ×8, parabolic interpolation; `signal::spectrum`) in
//!    0.4–5 Hz, with a prominence of at least 4. It is the stride when the half frequency
//!    holds under 5 % of its power (as in [`super::limb`]), else its half is (the step line was the stronger one);
//!    the stride is re-read as the strongest line within ±10 % of that half. Strides of
//!    0.5–2.5 Hz (60–300 steps/min) only.
//! 2. **Cadence** = 120 × the stride frequency (steps/min): the arm swing's fundamental ×2.
//! 3. **Check.** The step harmonic, the strongest line of |a| within ±5 % of twice the
//!    stride frequency, when it stands out (at least 4 × the mean |a| power in 0.4–5 Hz),
//!    gives an independent cadence of 60 × its frequency; the engine compares the two
//!    (`raw.cadence_check`: `strides_spm` is the swing's, `spectrum_spm` the harmonic's).
//!
//! Each window stands for its first half (the last for all of itself), filled with steps
//! of equal time at its cadence, the stepping carried across windows: the step count. Windows at 140
//! steps/min and above are running, below walking (the walk–run transition lies near
//! 2 steps/s; the cadence-only convention of [`super::limb`]). A window whose axes vary by
//! less than 0.05 g RMS is not movement.

use super::cadence::{CadenceBasis, CadenceSource};
use super::{SegmentOut, Step, median};
use crate::signal::filter::{Band, zero_phase};
use crate::signal::preprocess::Segment;
use crate::signal::spectrum::{Spectrum, power_spectrum, windows};
use crate::units::{Hertz, STANDARD_GRAVITY_MPS2 as G};
use crate::vocab::GaitActivity;
use rustfft::FftPlanner;

/// Cadence of a window from the arm swing.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SwingWindow {
    /// Start, s from the segment's start.
    pub start_s: f64,
    /// Length, s.
    pub len_s: f64,
    /// 120 × the stride fundamental, steps/min.
    pub fundamental_spm: f64,
    /// 60 × the step harmonic of |a|, steps/min, when it stands out.
    pub harmonic_spm: Option<f64>,
}

/// Signals low-passed at 10 Hz (order 4, zero-phase) and decimated to about 25 Hz, with
/// their rate.
fn slow(x: &[&[f64]], fs: Hertz) -> (Vec<Vec<f64>>, Hertz) {
    let k = ((fs.0 / 25.0).floor() as usize).max(1);
    let out = x
        .iter()
        .map(|a| {
            let lp = zero_phase(a, fs, 4, Band::Low(10.0f64.min(0.45 * fs.0)))
                .unwrap_or_else(|| a.to_vec());
            lp.iter().step_by(k).copied().collect()
        })
        .collect();
    (out, Hertz(fs.0 / k as f64))
}

/// Summed power spectra of the axes' samples `a..b`.
fn summed(
    planner: &mut FftPlanner<f64>,
    axes: &[Vec<f64>],
    a: usize,
    b: usize,
    fs: Hertz,
) -> Spectrum {
    let mut total = power_spectrum(planner, &axes[0][a..b], fs);
    for ax in &axes[1..] {
        let s = power_spectrum(planner, &ax[a..b], fs);
        for (p, q) in total.power.iter_mut().zip(&s.power) {
            *p += q;
        }
    }
    total
}

/// RMS deviation of the axes' samples `a..b` from their means.
fn rms(axes: &[Vec<f64>], a: usize, b: usize) -> f64 {
    let n = (b - a).max(1) as f64;
    let var: f64 = axes
        .iter()
        .map(|x| {
            let m = x[a..b].iter().sum::<f64>() / n;
            x[a..b].iter().map(|v| (v - m).powi(2)).sum::<f64>() / n
        })
        .sum();
    var.sqrt()
}

/// The stride frequency, Hz, of one window's axis spectrum (module notes, step 1).
pub fn stride_hz(spec: &Spectrum) -> Option<f64> {
    let peak = spec.peak(0.4, 5.0)?;
    if peak.prominence < 4.0 {
        return None;
    }
    let f = peak.freq_hz;
    let stride = if f / 2.0 >= 0.4 && spec.power_at(f / 2.0) >= 0.05 * peak.power {
        spec.peak(0.45 * f, 0.55 * f).map_or(f / 2.0, |p| p.freq_hz)
    } else {
        f
    };
    (0.5..=2.5).contains(&stride).then_some(stride)
}

/// The step harmonic near twice `stride` in the |a| spectrum, Hz, when it stands out
/// (module notes, step 3).
pub fn step_harmonic_hz(mag: &Spectrum, stride: f64) -> Option<f64> {
    let near = mag.peak(1.9 * stride, 2.1 * stride)?;
    let lo = ((0.4 / mag.bin_hz).ceil() as usize).max(1);
    let hi = ((5.0 / mag.bin_hz).floor() as usize).min(mag.power.len().saturating_sub(1));
    if hi <= lo {
        return None;
    }
    let mean = mag.power[lo..=hi].iter().sum::<f64>() / (hi - lo + 1) as f64;
    (near.power >= 4.0 * mean && (near.freq_hz / (2.0 * stride) - 1.0).abs() <= 0.05)
        .then_some(near.freq_hz)
}

/// The arm-swing cadence of every 10 s window of `acc` (m/s², three axes) at `fs`.
pub fn swing_windows(acc: &[Vec<f64>; 3], fs: Hertz) -> Vec<SwingWindow> {
    let mag = super::placement::magnitude(acc);
    let (mut sig, fd) = slow(&[&acc[0], &acc[1], &acc[2], &mag], fs);
    let m = sig.pop().unwrap_or_default();
    let mut planner = FftPlanner::new();
    let mut out = Vec::new();
    for (a, b) in windows(m.len(), fd, 10.0) {
        if rms(&sig, a, b) < 0.05 * G {
            continue;
        }
        let Some(stride) = stride_hz(&summed(&mut planner, &sig, a, b, fd)) else {
            continue;
        };
        let mag_spec = power_spectrum(&mut planner, &m[a..b], fd);
        out.push(SwingWindow {
            start_s: a as f64 / fd.0,
            len_s: (b - a) as f64 / fd.0,
            fundamental_spm: 120.0 * stride,
            harmonic_spm: step_harmonic_hz(&mag_spec, stride).map(|f| 60.0 * f),
        });
    }
    out
}

/// Pseudo-steps of the windows (module notes): each window's span filled with steps at its
/// cadence, the stepping carried on from one window into the next (so no step is lost or
/// doubled at a window's edge).
fn steps_of(seg: &Segment, wins: &[SwingWindow]) -> Vec<Step> {
    let mut steps = Vec::new();
    let mut next: Option<f64> = None;
    for (i, w) in wins.iter().enumerate() {
        let span = if i + 1 < wins.len() {
            w.len_s / 2.0
        } else {
            w.len_s
        };
        let (a, b) = (w.start_s, w.start_s + span);
        let spm = w.fundamental_spm;
        let st = 60.0 / spm;
        // Carry on from the previous window's stepping when it reaches into this one.
        let mut t = next.filter(|&t| t >= a && t < b).unwrap_or(a);
        while t < b {
            steps.push(Step {
                time_s: seg.start_s + t,
                activity: activity_of(spm),
                step_time_ms: Some(1000.0 * st),
                cadence_spm: Some(spm),
                ..Step::default()
            });
            t += st;
        }
        next = Some(t);
    }
    steps
}

/// Running at 140 steps/min and above.
fn activity_of(spm: f64) -> GaitActivity {
    if spm >= 140.0 {
        GaitActivity::Running
    } else {
        GaitActivity::Walking
    }
}

/// How the windows of one activity settled their cadence: the swing's and the harmonic's
/// medians, `None` without a window of that activity.
fn basis(wins: &[SwingWindow], steps: &[Step], activity: GaitActivity) -> Option<CadenceBasis> {
    let of: Vec<&SwingWindow> = wins
        .iter()
        .filter(|w| activity_of(w.fundamental_spm) == activity)
        .collect();
    if of.is_empty() {
        return None;
    }
    let fund: Vec<f64> = of.iter().map(|w| w.fundamental_spm).collect();
    let harm: Vec<f64> = of.iter().filter_map(|w| w.harmonic_spm).collect();
    Some(CadenceBasis {
        activity,
        source: CadenceSource::ArmSwing,
        strides_spm: median(&fund),
        spectrum_spm: median(&harm),
        fit_strides: None,
        fit_spectrum: None,
        steps: steps.iter().filter(|s| s.activity == activity).count(),
    })
}

/// A wrist segment: the arm-swing windows, their pseudo-steps, and the spectral estimates
/// for the engine's check: the step harmonics that stood out, or the swing's own lines when
/// none did (the check then states no agreement: [`super::checks`]).
pub fn wrist_segment(seg: &Segment) -> SegmentOut {
    let wins = swing_windows(&seg.acc_mps2, seg.rate);
    let steps = steps_of(seg, &wins);
    let cadence = [GaitActivity::Running, GaitActivity::Walking]
        .into_iter()
        .filter_map(|a| basis(&wins, &steps, a))
        .collect();
    let harmonics: Vec<f64> = wins.iter().filter_map(|w| w.harmonic_spm).collect();
    SegmentOut {
        spectral_spm: if harmonics.is_empty() {
            wins.iter().map(|w| w.fundamental_spm).collect()
        } else {
            harmonics
        },
        steps,
        cadence,
        ..SegmentOut::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::f64::consts::PI;

    /// Axes with a stride line at `fs_hz` of amplitude `a1` and a step line of `a2`.
    fn swing(stride_hz: f64, a1: f64, a2: f64, fs: f64, secs: f64) -> [Vec<f64>; 3] {
        let n = (secs * fs) as usize;
        let t = |i: usize| i as f64 / fs;
        [
            (0..n)
                .map(|i| a1 * (2.0 * PI * stride_hz * t(i)).sin())
                .collect(),
            (0..n)
                .map(|i| 0.5 * a1 * (2.0 * PI * stride_hz * t(i)).cos())
                .collect(),
            (0..n)
                .map(|i| G + a2 * (2.0 * PI * 2.0 * stride_hz * t(i) + 0.3).cos())
                .collect(),
        ]
    }

    #[test]
    fn the_swing_fundamental_doubled_is_the_cadence_and_the_harmonic_checks_it() {
        // 85 strides/min (170 steps/min) at 50 Hz, the stride line the stronger.
        let acc = swing(170.0 / 120.0, 5.0, 3.0, 50.0, 30.0);
        let w = swing_windows(&acc, Hertz(50.0));
        assert_eq!(w.len(), 5);
        for x in &w {
            assert!((x.fundamental_spm - 170.0).abs() < 0.5, "{x:?}");
            assert!((x.harmonic_spm.unwrap() - 170.0).abs() < 0.5, "{x:?}");
        }
    }

    #[test]
    fn a_stronger_step_line_still_gives_the_stride() {
        // Walking at 110 steps/min, 25 Hz: the step line four times the stride's amplitude.
        let acc = swing(110.0 / 120.0, 1.0, 4.0, 25.0, 20.0);
        let w = swing_windows(&acc, Hertz(25.0));
        assert!(!w.is_empty());
        for x in &w {
            assert!((x.fundamental_spm - 110.0).abs() < 0.5, "{x:?}");
        }
    }

    #[test]
    fn a_still_arm_gives_no_window() {
        let acc = [vec![0.0; 1000], vec![0.0; 1000], vec![G; 1000]];
        assert!(swing_windows(&acc, Hertz(50.0)).is_empty());
    }
}
