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
//! **Foot without a gyroscope, wrist, thigh** — cadence only, from the spectrum of |a| (or
//! of the pitch rate for the foot's stride period): the strongest line in 0.5–4 Hz is the
//! stride frequency or one of its harmonics; when the spectrum holds at least 5 % of that
//! power at half the frequency, the half is the stride. Cadence is 2 × the stride frequency
//! (a limb repeats once per stride; methods notes §2.1).

use super::{EventMethod, SegmentOut, Step};
use crate::signal::filter::{Band, zero_phase};
use crate::signal::orient::Aligned;
use crate::signal::preprocess::Segment;
use crate::signal::spectrum::{power_spectrum, windows};
use crate::stats::quantile;
use crate::units::Hertz;
use rustfft::FftPlanner;

/// Cadence per 10 s window of a limb signal, steps/min.
///
/// Windows whose signal barely varies (SD below `min_sd`, in the signal's unit) are not
/// movement and give no estimate.
fn limb_cadence(x: &[f64], fs: Hertz, min_sd: f64) -> Vec<(f64, f64, f64)> {
    let k = ((fs.0 / 50.0).floor() as usize).max(1);
    let lp =
        zero_phase(x, fs, 4, Band::Low(10.0f64.min(0.45 * fs.0))).unwrap_or_else(|| x.to_vec());
    let d: Vec<f64> = lp.iter().step_by(k).copied().collect();
    let fd = Hertz(fs.0 / k as f64);
    let mut planner = FftPlanner::new();
    let mut out = Vec::new();
    for (a, b) in windows(d.len(), fd, 10.0) {
        let seg = &d[a..b];
        let spec = power_spectrum(&mut planner, seg, fd);
        let Some(peak) = spec.peak(0.5, 4.0) else {
            continue;
        };
        if peak.prominence < 4.0 {
            continue;
        }
        let m = seg.iter().sum::<f64>() / seg.len().max(1) as f64;
        let sd =
            (seg.iter().map(|v| (v - m).powi(2)).sum::<f64>() / seg.len().max(1) as f64).sqrt();
        if sd < min_sd {
            continue;
        }
        // The strongest line is the stride frequency or one of its harmonics: a line at
        // half of it (≥ 5 % of its power, and ≥ 0.5 Hz) is the stride.
        let f = peak.freq_hz;
        let stride = if f / 2.0 >= 0.5 && spec.power_at(f / 2.0) >= 0.05 * peak.power {
            f / 2.0
        } else {
            f
        };
        let spm = 120.0 * stride;
        out.push((a as f64 / fd.0, (b - a) as f64 / fd.0, spm));
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
pub fn foot_segment(seg: &Segment, al: &Aligned, timing: bool) -> SegmentOut {
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
    // Sign: mid-swing is the largest *slow* excursion (a 3 Hz low-pass keeps the broad swing
    // rotation and suppresses the sharp push-off spike, which can be taller in walking).
    let slow = zero_phase(&w, fs, 2, Band::Low(3.0)).unwrap_or_else(|| w.clone());
    if quantile(&slow, 0.995).abs() < quantile(&slow, 0.005).abs() {
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
    let Some(stride_s) =
        crate::stats::median_of_finite(&spec.iter().map(|x| 120.0 / x.2).collect::<Vec<_>>())
    else {
        return out;
    };
    let hi = 0.5 * quantile(&w, 0.99);
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
        (a..b).min_by(|&x, &y| w[x].total_cmp(&w[y])).unwrap_or(a)
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
    let mut events: Vec<(f64, f64, f64)> = Vec::new(); // (IC run, IC walk, TC)
    for pair in peaks.windows(2) {
        let (m0, m1) = (pair[0], pair[1]);
        let len_s = (m1 - m0) as f64 / fs.0;
        if !(0.5..=2.5).contains(&len_s) {
            continue;
        }
        let mid = (m0 + m1) / 2;
        let ic_min = argmin(m0, mid);
        let tc = refine(argmin(mid, m1));
        // Walking: the heel lands where the forward swing rotation ends, the zero crossing
        // between mid-swing and the minimum (Sabatini et al. 2005, IEEE TBME 52:486; the
        // IC search of Rampp 2014); running: the minimum itself (Falbriard 2018).
        let zc = (m0..ic_min)
            .find(|&i| w[i] > 0.0 && w[i + 1] <= 0.0)
            .map(|i| i as f64 + w[i] / (w[i] - w[i + 1]));
        events.push((refine(ic_min), zc.unwrap_or(ic_min as f64), tc));
    }
    // Accepted steps as (IC, TC, running), for the event trace.
    let mut accepted: Vec<(f64, f64, bool)> = Vec::new();
    for k in 0..events.len() {
        let (ic_run, ic_walk, tc) = events[k];
        let Some(&(next_run, _, _)) = events.get(k + 1) else {
            continue;
        };
        let stride = (next_run - ic_run) / fs.0;
        if !(0.5..=2.5).contains(&stride) {
            continue;
        }
        let running = (tc - ic_run) / fs.0 / stride < 0.5;
        let ic = if running { ic_run } else { ic_walk };
        let contact_s = (tc - ic) / fs.0;
        if !(0.08..=1.5).contains(&contact_s) {
            continue;
        }
        let duty = contact_s / stride;
        let step_s = stride / 2.0;
        accepted.push((ic, tc, running));
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
    out.trace = foot_trace(seg, al, &w, &accepted);
    out
}

/// The event trace of a foot segment: the longest run of consecutive strides of one activity
/// (running preferred), one stride apart at most 2.5 s.
fn foot_trace(
    seg: &Segment,
    al: &Aligned,
    pitch_dps: &[f64],
    accepted: &[(f64, f64, bool)],
) -> Option<super::TraceCandidate> {
    let fs = seg.rate.0;
    let mut best: Option<(usize, usize)> = None;
    let mut a = 0;
    for i in 0..accepted.len() {
        let ends = i + 1 == accepted.len()
            || accepted[i + 1].2 != accepted[a].2
            || accepted[i + 1].0 - accepted[i].0 > 2.5 * fs;
        if ends {
            let better = match best {
                None => true,
                Some((x, y)) => {
                    let (run_new, run_old) = (accepted[a].2, accepted[x].2);
                    (run_new && !run_old) || (run_new == run_old && i - a > y - x)
                }
            };
            if better {
                best = Some((a, i));
            }
            a = i + 1;
        }
    }
    let (a, b) = best?;
    let events: Vec<(f64, Option<f64>)> = accepted[a..=b]
        .iter()
        .map(|&(ic, tc, _)| (ic, Some(tc)))
        .collect();
    let vertical_g: Vec<f64> = al
        .vertical_mps2
        .iter()
        .map(|v| v / crate::units::STANDARD_GRAVITY_MPS2)
        .collect();
    super::event_trace(&super::TraceSource {
        seg,
        activity: if accepted[a].2 { "running" } else { "walking" },
        placement: crate::recording::Placement::Foot,
        vertical_g: &vertical_g,
        forward_mps2: None,
        pitch_rate_dps: Some(pitch_dps),
        threshold_g: None,
        events: &events,
    })
}
