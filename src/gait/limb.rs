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
//! power at half the frequency, or lies above 2.5 Hz (150 strides/min, 300 steps/min), the
//! half is the stride. Cadence is 2 × the stride frequency
//! (a limb repeats once per stride; methods notes §2.1).

use super::{EventMethod, SegmentOut, Step};
use crate::signal::filter::{Band, zero_phase};
use crate::signal::orient::Aligned;
use crate::signal::preprocess::Segment;
use crate::signal::spectrum::{power_spectrum, windows};
use crate::stats::quantile;
use crate::units::Hertz;
use crate::vocab::GaitActivity;
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
        // A line above 2.5 Hz (150 strides/min, 300 steps/min) cannot be a stride.
        let stride = if (f / 2.0 >= 0.5 && spec.power_at(f / 2.0) >= 0.05 * peak.power) || f > 2.5 {
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
                activity: if spm >= 140.0 {
                    GaitActivity::Running
                } else {
                    GaitActivity::Walking
                },
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
    let w = pitch_rate(gyro, fs);
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
    let peaks = mid_swing_peaks(&w, fs, stride_s);
    let strides = accept_strides(&cycle_events(&w, fs, &peaks), fs);
    out.steps = strides.iter().map(|s| foot_step(seg, s, timing)).collect();
    out.trace = foot_trace(seg, al, &w, &strides);
    out
}

/// The pitch angular velocity, deg/s: the gyroscope axis with the largest variance,
/// low-passed at 15 Hz (order 4, zero-phase), signed so that mid-swing is positive.
///
/// Sign: mid-swing is the largest *slow* excursion (a 3 Hz low-pass keeps the broad swing
/// rotation and suppresses the sharp push-off spike, which can be taller in walking).
fn pitch_rate(gyro: &[Vec<f64>; 3], fs: Hertz) -> Vec<f64> {
    let var = |x: &[f64]| {
        let m = x.iter().sum::<f64>() / x.len().max(1) as f64;
        x.iter().map(|v| (v - m).powi(2)).sum::<f64>()
    };
    let axis = (0..3)
        .max_by(|&a, &b| var(&gyro[a]).total_cmp(&var(&gyro[b])))
        .unwrap_or(0);
    let mut w = zero_phase(&gyro[axis], fs, 4, Band::Low(15.0f64.min(0.45 * fs.0)))
        .unwrap_or_else(|| gyro[axis].clone());
    let slow = zero_phase(&w, fs, 2, Band::Low(3.0)).unwrap_or_else(|| w.clone());
    if quantile(&slow, 0.995).abs() < quantile(&slow, 0.005).abs() {
        for v in &mut w {
            *v = -*v;
        }
    }
    w
}

/// Mid-swing peaks of the pitch rate `w`: local maxima above half its 99th percentile, at
/// least 0.6 × `stride_s` apart (of two closer ones the higher is kept); sample indices.
fn mid_swing_peaks(w: &[f64], fs: Hertz, stride_s: f64) -> Vec<usize> {
    let hi = 0.5 * quantile(w, 0.99);
    let min_dist = (0.6 * stride_s * fs.0) as usize;
    let mut peaks: Vec<usize> = Vec::new();
    for i in 1..w.len().saturating_sub(1) {
        if w[i] < hi || !(w[i] > w[i - 1] && w[i] >= w[i + 1]) {
            continue;
        }
        match peaks.last_mut() {
            Some(p) if i - *p < min_dist => {
                if w[i] > w[*p] {
                    *p = i;
                }
            }
            _ => peaks.push(i),
        }
    }
    peaks
}

/// Index of the smallest `w[i]` for `i` in `[a, b)` (the first of equal ones; `a` when empty).
fn argmin(w: &[f64], a: usize, b: usize) -> usize {
    (a..b).min_by(|&x, &y| w[x].total_cmp(&w[y])).unwrap_or(a)
}

/// Sub-sample position of the extremum at `i`: the vertex of the parabola through
/// `w[i − 1..=i + 1]`, at most half a sample away (`i` at the ends or on a straight line).
fn refine(w: &[f64], i: usize) -> f64 {
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
}

/// Events of one cycle between two mid-swing peaks, samples (fractional).
#[derive(Debug, Clone, Copy, PartialEq)]
struct CycleEvents {
    /// Initial contact if running: the pitch-rate minimum of the cycle's first half.
    ic_run: f64,
    /// Initial contact if walking: the zero crossing before that minimum.
    ic_walk: f64,
    /// Toe-off: the minimum of the second half.
    tc: f64,
}

/// The events of each cycle from one mid-swing peak to the next (cycles of 0.5–2.5 s).
fn cycle_events(w: &[f64], fs: Hertz, peaks: &[usize]) -> Vec<CycleEvents> {
    let mut events = Vec::new();
    for pair in peaks.windows(2) {
        let (m0, m1) = (pair[0], pair[1]);
        let len_s = (m1 - m0) as f64 / fs.0;
        if !(0.5..=2.5).contains(&len_s) {
            continue;
        }
        let mid = (m0 + m1) / 2;
        let ic_min = argmin(w, m0, mid);
        let tc = refine(w, argmin(w, mid, m1));
        // Walking: the heel lands where the forward swing rotation ends, the zero crossing
        // between mid-swing and the minimum (Sabatini et al. 2005, IEEE TBME 52:486; the
        // IC search of Rampp 2014); running: the minimum itself (Falbriard 2018).
        let zc = (m0..ic_min)
            .find(|&i| w[i] > 0.0 && w[i + 1] <= 0.0)
            .map(|i| i as f64 + w[i] / (w[i] - w[i + 1]));
        events.push(CycleEvents {
            ic_run: refine(w, ic_min),
            ic_walk: zc.unwrap_or(ic_min as f64),
            tc,
        });
    }
    events
}

/// One accepted stride of the foot, samples (fractional).
#[derive(Debug, Clone, Copy, PartialEq)]
struct Stride {
    /// Initial contact.
    ic: f64,
    /// Toe-off.
    tc: f64,
    /// Running (duty factor below 50 %) or walking.
    running: bool,
    /// To the next initial contact of the same foot, s.
    stride_s: f64,
}

/// Strides from consecutive cycles: a stride of 0.5–2.5 s (running IC to running IC) is
/// running when contact / stride < 50 %, and kept when its contact lasts 0.08–1.5 s.
fn accept_strides(events: &[CycleEvents], fs: Hertz) -> Vec<Stride> {
    let mut strides = Vec::new();
    for pair in events.windows(2) {
        let (e, next) = (pair[0], pair[1]);
        let stride_s = (next.ic_run - e.ic_run) / fs.0;
        if !(0.5..=2.5).contains(&stride_s) {
            continue;
        }
        let running = (e.tc - e.ic_run) / fs.0 / stride_s < 0.5;
        let ic = if running { e.ic_run } else { e.ic_walk };
        if !(0.08..=1.5).contains(&((e.tc - ic) / fs.0)) {
            continue;
        }
        strides.push(Stride {
            ic,
            tc: e.tc,
            running,
            stride_s,
        });
    }
    strides
}

/// A step from one foot's stride: step time = half the stride (symmetric gait assumed);
/// contact, duty factor and, when running, flight = step − contact when `timing`.
fn foot_step(seg: &Segment, s: &Stride, timing: bool) -> Step {
    let contact_s = (s.tc - s.ic) / seg.rate.0;
    let duty = contact_s / s.stride_s;
    let step_s = s.stride_s / 2.0;
    Step {
        time_s: seg.time_of(s.ic),
        activity: if s.running {
            GaitActivity::Running
        } else {
            GaitActivity::Walking
        },
        step_time_ms: Some(1000.0 * step_s),
        cadence_spm: Some(60.0 / step_s),
        ground_contact_ms: timing.then_some(1000.0 * contact_s),
        flight_ms: (timing && s.running).then_some(1000.0 * (step_s - contact_s).max(0.0)),
        duty_factor_pct: timing.then_some(100.0 * duty),
        ..Step::default()
    }
}

/// The event trace of a foot segment: the longest run of consecutive strides of one activity
/// (running preferred), one stride apart at most 2.5 s.
fn foot_trace(
    seg: &Segment,
    al: &Aligned,
    pitch_dps: &[f64],
    accepted: &[Stride],
) -> Option<super::TraceCandidate> {
    let fs = seg.rate.0;
    let mut best: Option<(usize, usize)> = None;
    let mut a = 0;
    for i in 0..accepted.len() {
        let ends = i + 1 == accepted.len()
            || accepted[i + 1].running != accepted[a].running
            || accepted[i + 1].ic - accepted[i].ic > 2.5 * fs;
        if ends {
            let better = match best {
                None => true,
                Some((x, y)) => {
                    let (run_new, run_old) = (accepted[a].running, accepted[x].running);
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
    let events: Vec<(f64, Option<f64>)> =
        accepted[a..=b].iter().map(|s| (s.ic, Some(s.tc))).collect();
    let vertical_g: Vec<f64> = al
        .vertical_mps2
        .iter()
        .map(|v| v / crate::units::STANDARD_GRAVITY_MPS2)
        .collect();
    super::event_trace(&super::TraceSource {
        seg,
        activity: if accepted[a].running {
            GaitActivity::Running
        } else {
            GaitActivity::Walking
        },
        placement: crate::recording::Placement::Foot,
        vertical_g: &vertical_g,
        forward_mps2: None,
        pitch_rate_dps: Some(pitch_dps),
        threshold_g: None,
        events: &events,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::f64::consts::PI;

    #[test]
    fn the_parabola_vertex_is_found_between_samples() {
        let w: Vec<f64> = (0..5).map(|x| (x as f64 - 2.3).powi(2)).collect();
        assert!((refine(&w, 2) - 2.3).abs() < 1e-12);
        assert_eq!(refine(&w, 0), 0.0);
        assert_eq!(argmin(&w, 0, 5), 2);
        assert_eq!(argmin(&w, 3, 3), 3);
    }

    #[test]
    fn pitch_rate_takes_the_busiest_axis_with_mid_swing_positive() {
        // Axis 1 swings through broad negative lobes (mid-swing seen upside down).
        let fs = Hertz(100.0);
        let lobe = |i: usize| (2.0 * PI * 1.4 * i as f64 / fs.0).sin().max(0.0);
        let gyro = [
            (0..1000).map(|i| 5.0 * lobe(i)).collect(),
            (0..1000).map(|i| -300.0 * lobe(i)).collect(),
            vec![0.0; 1000],
        ];
        let w = pitch_rate(&gyro, fs);
        assert!(quantile(&w, 0.995) > 250.0);
        assert!(quantile(&w, 0.005) > -50.0);
    }

    #[test]
    fn mid_swing_peaks_of_a_sine_are_one_period_apart() {
        // 1.25 Hz strides at 100 Hz for 10 s: peaks at 20, 100, 180, …
        let w: Vec<f64> = (0..1000)
            .map(|i| (2.0 * PI * 1.25 * i as f64 / 100.0).sin())
            .collect();
        let peaks = mid_swing_peaks(&w, Hertz(100.0), 0.8);
        assert_eq!(peaks.len(), 13);
        assert!(peaks.windows(2).all(|p| p[1] - p[0] == 80));
        assert_eq!(peaks[0], 20);
    }

    fn cycle(ic: f64, ic_walk: f64, tc: f64) -> CycleEvents {
        CycleEvents {
            ic_run: ic,
            ic_walk,
            tc,
        }
    }

    #[test]
    fn strides_below_half_contact_run_and_the_others_walk_from_the_heel_strike() {
        let fs = Hertz(100.0);
        // 1 s strides, 0.3 s contact: running.
        let run: Vec<CycleEvents> = (0..3)
            .map(|k| {
                cycle(
                    100.0 * k as f64,
                    100.0 * k as f64 - 5.0,
                    100.0 * k as f64 + 30.0,
                )
            })
            .collect();
        let s = accept_strides(&run, fs);
        assert_eq!(s.len(), 2);
        assert!(s[0].running && s[0].ic == 0.0 && s[0].stride_s == 1.0);
        // 0.6 s from the minimum to toe-off: walking, contact from the zero crossing.
        let walk: Vec<CycleEvents> = (0..2)
            .map(|k| {
                cycle(
                    100.0 * k as f64,
                    100.0 * k as f64 - 5.0,
                    100.0 * k as f64 + 60.0,
                )
            })
            .collect();
        let s = accept_strides(&walk, fs);
        assert_eq!(s.len(), 1);
        assert!(!s[0].running && s[0].ic == -5.0);
        // A 3 s stride is no stride.
        assert!(
            accept_strides(&[cycle(0.0, 0.0, 30.0), cycle(300.0, 300.0, 330.0)], fs).is_empty()
        );
    }

    #[test]
    fn a_foot_stride_gives_one_step_of_half_its_time() {
        let seg = Segment {
            start_s: 5.0,
            rate: Hertz(100.0),
            acc_mps2: Default::default(),
            gyro_dps: None,
            speed_mps: None,
        };
        let stride = Stride {
            ic: 50.0,
            tc: 80.0,
            running: true,
            stride_s: 1.0,
        };
        let s = foot_step(&seg, &stride, true);
        assert_eq!(s.time_s, 5.5);
        assert_eq!(s.step_time_ms, Some(500.0));
        assert_eq!(s.cadence_spm, Some(120.0));
        assert!((s.ground_contact_ms.unwrap() - 300.0).abs() < 1e-9);
        assert!((s.flight_ms.unwrap() - 200.0).abs() < 1e-9);
        assert!((s.duty_factor_pct.unwrap() - 30.0).abs() < 1e-9);
        assert_eq!(foot_step(&seg, &stride, false).flight_ms, None);
    }
}
