//! Limb sensors: a foot or shank pod, and the cadence-only placements (wrist, thigh).
//!
//! **Foot with a gyroscope** — Falbriard, Meyer, Mariani, Millet & Aminian 2018 (Front Physiol
//! 9:610; 41 runners on an instrumented treadmill; IC 2 ± 1 ms, TC 4 ± 2 ms precision). The
//! pitch angular velocity is the gyroscope axis with the largest variance, signed so that the
//! mid-swing peaks are positive. Cycles run from one mid-swing peak to the next (peaks above
//! half the 99th percentile, at least 0.6 stride apart); initial contact is the minimum of
//! the pitch rate in the first half of the cycle, toe-off the minimum in the second half.
//! One foot gives stride time and that foot's contact; cadence is 2 × stride frequency and
//! flight is estimated as half the stride minus the contact (symmetric gait assumed).
//! Cycles with a duty factor above 50 % (stance over stride) are walking.
//!
//! **Foot without a gyroscope, wrist, thigh** — cadence only, from the spectrum of |a|: the
//! stride line (0.5–2.1 Hz) and the step line (1.5–4 Hz) are both searched; when the step
//! line sits at twice the stride line within 0.1 Hz it is used (it is the sharper estimate),
//! otherwise cadence is 2 × the stride line (a limb repeats once per stride; methods notes
//! §2.1).

use super::{EventMethod, SegmentOut, Step};
use crate::signal::filter::{Band, zero_phase};
use crate::signal::orient::Aligned;
use crate::signal::preprocess::Segment;
use crate::signal::spectrum::{power_spectrum, windowed_peaks};
use crate::units::Hertz;
use rustfft::FftPlanner;

fn percentile(v: &[f64], p: f64) -> f64 {
    let mut s: Vec<f64> = v.to_vec();
    if s.is_empty() {
        return f64::NAN;
    }
    let k = ((p * (s.len() - 1) as f64).round() as usize).min(s.len() - 1);
    let (_, m, _) = s.select_nth_unstable_by(k, |a, b| a.total_cmp(b));
    *m
}

/// Cadence per 10 s window of a limb signal, steps/min.
///
/// Windows whose signal barely varies (SD below `min_sd`, in the signal's unit) are not
/// movement and give no estimate.
fn limb_cadence(x: &[f64], fs: Hertz, min_sd: f64) -> Vec<(f64, f64, f64)> {
    let k = ((fs.0 / 50.0).floor() as usize).max(1);
    let lp = zero_phase(x, fs, 4, Band::Low(10.0f64.min(0.45 * fs.0))).unwrap_or_else(|| x.to_vec());
    let d: Vec<f64> = lp.iter().step_by(k).copied().collect();
    let fd = Hertz(fs.0 / k as f64);
    let mut planner = FftPlanner::new();
    let w = (10.0 * fd.0) as usize;
    let mut out = Vec::new();
    for wp in windowed_peaks(&d, fd, 10.0, 0.5, 2.1) {
        if wp.peak.prominence < 8.0 {
            continue;
        }
        let a = (wp.start_s * fd.0) as usize;
        let b = (a + w).min(d.len());
        let seg = &d[a..b];
        let m = seg.iter().sum::<f64>() / seg.len().max(1) as f64;
        let sd = (seg.iter().map(|v| (v - m).powi(2)).sum::<f64>() / seg.len().max(1) as f64).sqrt();
        if sd < min_sd {
            continue;
        }
        let spec = power_spectrum(&mut planner, &d[a..b], fd);
        let stride = wp.peak.freq_hz;
        let spm = match spec.peak(1.5, 4.0) {
            Some(st) if (st.freq_hz - 2.0 * stride).abs() < 0.1 => 60.0 * st.freq_hz,
            _ => 120.0 * stride,
        };
        out.push((wp.start_s, wp.len_s, spm));
    }
    out
}

/// Cadence-only analysis (wrist, thigh, foot without a gyroscope): one pseudo-step per window
/// carrying the window's cadence, labelled running at ≥ 140 steps/min.
pub fn cadence_only_segment(seg: &Segment) -> SegmentOut {
    let mag = super::placement::magnitude(&seg.acc_mps2);
    let spec = limb_cadence(&mag, seg.rate, 0.5);
    let mut out = SegmentOut {
        spectral_spm: spec.iter().map(|w| w.2).collect(),
        ..SegmentOut::default()
    };
    for (i, &(start, len, spm)) in spec.iter().enumerate() {
        // Windows overlap by half: each one stands for its first half (the last for all).
        let span = if i + 1 < spec.len() { len / 2.0 } else { len };
        let n = (span * spm / 60.0).round().max(1.0) as usize;
        let st = 60.0 / spm;
        for k in 0..n {
            out.steps.push(Step {
                time_s: seg.start_s + start + k as f64 * st,
                activity: if spm >= 140.0 { "running" } else { "walking" },
                step_time_ms: Some(1000.0 * st),
                cadence_spm: Some(spm),
                ..Step::default()
            });
        }
    }
    out
}

/// Foot sensor: Falbriard 2018 events with a gyroscope, cadence only without.
pub fn foot_segment(seg: &Segment, _al: &Aligned, timing: bool) -> SegmentOut {
    let Some(gyro) = seg.gyro_dps.as_ref() else {
        return cadence_only_segment(seg);
    };
    let fs = seg.rate;
    // Pitch axis: largest variance.
    let var = |x: &[f64]| {
        let m = x.iter().sum::<f64>() / x.len().max(1) as f64;
        x.iter().map(|v| (v - m).powi(2)).sum::<f64>()
    };
    let axis = (0..3)
        .max_by(|&a, &b| var(&gyro[a]).total_cmp(&var(&gyro[b])))
        .unwrap_or(0);
    let mut w = zero_phase(&gyro[axis], fs, 4, Band::Low(15.0f64.min(0.45 * fs.0)))
        .unwrap_or_else(|| gyro[axis].clone());
    // Sign: mid-swing is the largest excursion.
    if percentile(&w, 0.995).abs() < percentile(&w, 0.005).abs() {
        for v in &mut w {
            *v = -*v;
        }
    }
    let spec = limb_cadence(&w, fs, 20.0);
    let mut out = SegmentOut {
        spectral_spm: spec.iter().map(|x| x.2).collect(),
        method: Some(EventMethod {
            method: "foot_gyro_falbriard2018",
            threshold_g: None,
            flight_level_g: None,
        }),
        ..SegmentOut::default()
    };
    let Some(stride_s) = super::median(&spec.iter().map(|x| 120.0 / x.2).collect::<Vec<_>>())
    else {
        return out;
    };
    let hi = 0.5 * percentile(&w, 0.99);
    let min_dist = (0.6 * stride_s * fs.0) as usize;
    let mut peaks: Vec<usize> = Vec::new();
    for i in 1..w.len().saturating_sub(1) {
        if w[i] < hi || !(w[i] > w[i - 1] && w[i] >= w[i + 1]) {
            continue;
        }
        match peaks.last() {
            Some(&p) if i - p < min_dist => {
                if w[i] > w[p] {
                    *peaks.last_mut().unwrap() = i;
                }
            }
            _ => peaks.push(i),
        }
    }
    let argmin = |a: usize, b: usize| -> usize {
        (a..b)
            .min_by(|&x, &y| w[x].total_cmp(&w[y]))
            .unwrap_or(a)
    };
    let refine = |i: usize| -> f64 {
        if i == 0 || i + 1 >= w.len() {
            return i as f64;
        }
        let (a, b, c) = (w[i - 1], w[i], w[i + 1]);
        let den = a - 2.0 * b + c;
        if den.abs() > 1e-12 {
            i as f64 + (0.5 * (a - c) / den).clamp(-0.5, 0.5)
        } else {
            i as f64
        }
    };
    let mut events: Vec<(f64, f64)> = Vec::new();
    for pair in peaks.windows(2) {
        let (m0, m1) = (pair[0], pair[1]);
        let len_s = (m1 - m0) as f64 / fs.0;
        if !(0.5..=2.5).contains(&len_s) {
            continue;
        }
        let mid = (m0 + m1) / 2;
        let ic = refine(argmin(m0, mid));
        let tc = refine(argmin(mid, m1));
        events.push((ic, tc));
    }
    for k in 0..events.len() {
        let (ic, tc) = events[k];
        let stride = events
            .get(k + 1)
            .map(|e| (e.0 - ic) / fs.0)
            .filter(|s| (0.5..=2.5).contains(s));
        let contact_s = (tc - ic) / fs.0;
        let Some(stride) = stride else { continue };
        if !(0.08..=1.5).contains(&contact_s) {
            continue;
        }
        let duty = contact_s / stride;
        let running = duty < 0.5;
        let step_s = stride / 2.0;
        out.steps.push(Step {
            time_s: seg.time_of(ic),
            activity: if running { "running" } else { "walking" },
            step_time_ms: Some(1000.0 * step_s),
            cadence_spm: Some(60.0 / step_s),
            ground_contact_ms: timing.then_some(1000.0 * contact_s),
            flight_ms: (timing && running).then_some(1000.0 * (step_s - contact_s).max(0.0)),
            duty_factor_pct: timing.then_some(100.0 * duty),
            ..Step::default()
        });
    }
    out
}
