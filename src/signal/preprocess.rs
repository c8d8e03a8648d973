//! From file-order samples to uniform segments, with a record of everything that was done.
//!
//! Rules (methods notes §1.1, after skdh `apply_resample` and the gap rules of mobgap):
//! * the rate is `1 / median(Δt)` over positive steps (never the mean, which gaps corrupt);
//! * jitter is `MAD(Δt) / median(Δt)`; above 2 %, or with time stamps that repeat or run
//!   backwards, the samples are linearly interpolated onto `t0 + k/fs`;
//! * a gap is `Δt > 1.5/fs`; gaps of at most 2 missing samples and 20 ms are bridged by linear
//!   interpolation, longer ones split the recording (an interpolated stretch could erase a
//!   foot contact, about 10 % of a step);
//! * samples with a missing axis, or |a| above 200 g (no body-worn sensor reads that), are
//!   dropped and become gaps;
//! * clipping: an axis is clipped when its extreme value is held for ≥ 3 consecutive samples
//!   in at least 3 separate episodes (two equal samples happen at any sampled peak) (a real peak varies from step to step; a saturated
//!   sensor repeats its full scale).

use crate::recording::RawSignal;
use crate::units::{Hertz, STANDARD_GRAVITY_MPS2 as G};
use serde::Serialize;

pub use crate::error::PreprocessError;

/// Segments shorter than this are dropped, s.
pub const MIN_SEGMENT_S: f64 = 2.0;

/// A stretch of uniformly sampled data with no gap.
#[derive(Debug, Clone)]
pub struct Segment {
    /// Time of sample 0 on the recording's time axis, s.
    pub start_s: f64,
    /// Sampling rate.
    pub rate: Hertz,
    /// Acceleration, m/s², in the frame of the [`RawSignal`].
    pub acc_mps2: [Vec<f64>; 3],
    /// Angular rate, deg/s.
    pub gyro_dps: Option<[Vec<f64>; 3]>,
    /// Speed, m/s.
    pub speed_mps: Option<Vec<f64>>,
}

impl Segment {
    /// Samples.
    pub fn len(&self) -> usize {
        self.acc_mps2[0].len()
    }
    /// True when empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// Duration, s.
    pub fn duration_s(&self) -> f64 {
        self.len() as f64 / self.rate.0
    }
    /// Time of sample `i` on the recording axis, s.
    pub fn time_of(&self, i: f64) -> f64 {
        self.start_s + i / self.rate.0
    }
}

/// Clipping found on one axis.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Clipping {
    /// Axis index (0 = x).
    pub axis: usize,
    /// The saturated value, g.
    pub full_scale_g: f64,
    /// Separate saturated episodes.
    pub episodes: usize,
}

/// What preprocessing found and did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Quality {
    /// Sampling rate used, Hz.
    pub sample_rate_hz: f64,
    /// Rate the file states (header or `--sample-rate`), Hz.
    pub stated_rate_hz: Option<f64>,
    /// MAD(Δt)/median(Δt), %.
    pub jitter_pct: f64,
    /// Time stamps that ran backwards.
    pub backwards_stamps: usize,
    /// Time stamps equal to the previous one.
    pub repeated_stamps: usize,
    /// Whether samples were interpolated onto a uniform grid.
    pub resampled: bool,
    /// Samples dropped (missing axis, absurd value, or out of time order).
    pub dropped_samples: usize,
    /// Short gaps bridged by interpolation.
    pub bridged_gaps: usize,
    /// Gaps that split the recording: (start s, length s).
    pub gaps: Vec<(f64, f64)>,
    /// Segments analysed.
    pub segments: usize,
    /// Seconds in segments too short to analyse (< 2 s).
    pub short_segments_s: f64,
    /// Clipped axes.
    pub clipping: Vec<Clipping>,
    /// Axes with no variation at all.
    pub constant_axes: Vec<usize>,
}

fn clipping(x: &[f64], axis: usize) -> Option<Clipping> {
    let (lo, hi) = x
        .iter()
        .filter(|v| v.is_finite())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &v| {
            (a.min(v), b.max(v))
        });
    let mut best: Option<Clipping> = None;
    for ext in [hi, lo] {
        if !(ext.abs() >= 1.5 * G) {
            continue;
        }
        let tol = 1e-9 * ext.abs();
        let mut episodes = 0;
        let mut run = 0;
        for &v in x {
            if (v - ext).abs() <= tol {
                run += 1;
                if run == 3 {
                    episodes += 1;
                }
            } else {
                run = 0;
            }
        }
        if episodes >= 3 && best.is_none_or(|b| episodes > b.episodes) {
            best = Some(Clipping {
                axis,
                full_scale_g: ext.abs() / G,
                episodes,
            });
        }
    }
    best
}

/// Split and regularise a raw signal: usable samples → axis findings (constant, clipped) →
/// rate and jitter → time-ordered samples → pieces between gaps → uniform segments.
///
/// # Errors
/// [`PreprocessError`] when no sample is usable or the time stamps never advance.
pub fn preprocess(sig: &RawSignal) -> Result<(Vec<Segment>, Quality), PreprocessError> {
    let (plan, q) = plan(sig)?;
    let segments = plan
        .pieces
        .iter()
        .map(|&(a, b, on_grid)| segment_of(sig, &plan.idx[a..b], plan.fs, on_grid))
        .collect();
    finish(segments, q)
}

/// [`preprocess`] that takes the samples out of `sig` (left without samples, as
/// [`RawSignal::release_samples`] leaves it): a signal that is one segment as it stands
/// (every sample usable, in order, on its own grid) becomes that segment without a copy.
///
/// # Errors
/// As [`preprocess`].
pub fn preprocess_owned(sig: &mut RawSignal) -> Result<(Vec<Segment>, Quality), PreprocessError> {
    let (plan, q) = plan(sig)?;
    let whole = matches!(plan.pieces[..], [(0, b, false)] if b == sig.len());
    let segments = if whole {
        vec![Segment {
            start_s: sig.time_s[0],
            rate: Hertz(plan.fs),
            acc_mps2: std::mem::take(&mut sig.acc_mps2),
            gyro_dps: sig.gyro_dps.take(),
            speed_mps: sig.speed_mps.take(),
        }]
    } else {
        plan.pieces
            .iter()
            .map(|&(a, b, on_grid)| segment_of(sig, &plan.idx[a..b], plan.fs, on_grid))
            .collect()
    };
    sig.release_samples();
    finish(segments, q)
}

/// What [`preprocess`] decided before building segments.
struct Plan {
    /// The usable samples in time order (indices into the signal).
    idx: Vec<usize>,
    /// Sampling rate, Hz.
    fs: f64,
    /// Pieces `[a, b)` of `idx` long enough to be segments, and whether each is interpolated
    /// onto the uniform grid.
    pieces: Vec<(usize, usize, bool)>,
}

/// The steps of [`preprocess`] up to the segments: usable samples, axis findings, rate and
/// jitter, time order, and the pieces between gaps long enough to keep.
fn plan(sig: &RawSignal) -> Result<(Plan, Quality), PreprocessError> {
    let n = sig.len();
    let mut q = Quality {
        stated_rate_hz: sig.stated_rate_hz,
        ..Quality::default()
    };
    let usable = usable_samples(&sig.time_s, &sig.acc_mps2, sig.gyro_dps.as_ref());
    let n_ok = usable.iter().filter(|u| **u).count();
    if n_ok < 8 {
        return Err(PreprocessError::TooFewUsableSamples {
            usable: n_ok,
            total: n,
        });
    }
    for (axis, a) in sig.acc_mps2.iter().enumerate() {
        if is_constant(a, &usable) {
            q.constant_axes.push(axis);
        }
        q.clipping.extend(clipping(a, axis));
    }
    let fs = rate_and_jitter(&sig.time_s, &usable, n_ok, &mut q)?;
    let idx = ordered_samples(&sig.time_s, &usable, &mut q.dropped_samples);
    let mut pieces = Vec::new();
    for (a, b) in split_at_gaps(&sig.time_s, &idx, fs, &mut q) {
        let t0 = sig.time_s[idx[a]];
        let t1 = sig.time_s[idx[b - 1]];
        let len_s = t1 - t0 + 1.0 / fs;
        if len_s < MIN_SEGMENT_S || b - a < 16 {
            q.short_segments_s += len_s;
            continue;
        }
        // Interpolate onto the uniform grid when resampling, or to fill bridged gaps.
        let on_grid = q.resampled || (b - a) as f64 + 0.5 < len_s * fs;
        pieces.push((a, b, on_grid));
    }
    Ok((Plan { idx, fs, pieces }, q))
}

/// The segments with their count in `q`, or the error for none long enough.
fn finish(
    segments: Vec<Segment>,
    mut q: Quality,
) -> Result<(Vec<Segment>, Quality), PreprocessError> {
    q.segments = segments.len();
    if segments.is_empty() {
        return Err(PreprocessError::NoLongSegment {
            min_segment_s: MIN_SEGMENT_S,
            gaps: q.gaps.len(),
        });
    }
    Ok((segments, q))
}

/// Samples with a finite time, three finite accelerations below 200 g (no body-worn sensor
/// reads that; `acc_mps2` in m/s²) and, with a gyroscope, three finite angular rates.
fn usable_samples(
    time_s: &[f64],
    acc_mps2: &[Vec<f64>; 3],
    gyro_dps: Option<&[Vec<f64>; 3]>,
) -> Vec<bool> {
    let absurd = 200.0 * G;
    (0..time_s.len())
        .map(|i| {
            let a = [acc_mps2[0][i], acc_mps2[1][i], acc_mps2[2][i]];
            time_s[i].is_finite()
                && a.iter().all(|v| v.is_finite() && v.abs() < absurd)
                && gyro_dps.is_none_or(|g| g.iter().all(|c| c[i].is_finite()))
        })
        .collect()
}

/// True when every usable value of `x` is the same.
fn is_constant(x: &[f64], usable: &[bool]) -> bool {
    let mut it = x.iter().zip(usable).filter(|(_, u)| **u).map(|(v, _)| *v);
    let first = it.next().unwrap_or(0.0);
    it.all(|v| v == first)
}

/// The sampling rate, Hz: `1 / median(Δt)` over the positive steps between usable samples
/// (`n_ok` of them); records in `q` the rate, the jitter `MAD(Δt) / median(Δt)`, the stamps
/// that ran backwards or repeated, and whether to resample (jitter above 2 %, any backwards
/// stamp, or more than 0.1 % repeated).
///
/// # Errors
/// When no step is positive, or the rate is outside 0.5 Hz – 100 kHz.
fn rate_and_jitter(
    time_s: &[f64],
    usable: &[bool],
    n_ok: usize,
    q: &mut Quality,
) -> Result<f64, PreprocessError> {
    let mut steps: Vec<f64> = Vec::with_capacity(n_ok);
    let mut last: Option<f64> = None;
    for (&t, _) in time_s.iter().zip(usable).filter(|(_, u)| **u) {
        if let Some(p) = last {
            let d = t - p;
            if d < 0.0 {
                q.backwards_stamps += 1;
            } else if d == 0.0 {
                q.repeated_stamps += 1;
            } else {
                steps.push(d);
            }
        }
        last = Some(t);
    }
    if steps.is_empty() {
        return Err(PreprocessError::TimeNeverAdvances);
    }
    // Median step and median absolute deviation, selected in place (no copies of an
    // hour-long 1 kHz file's 3.6 M steps).
    let med = crate::stats::median(&mut steps).unwrap_or(f64::NAN);
    for d in &mut steps {
        *d = (*d - med).abs();
    }
    let mad = crate::stats::median(&mut steps).unwrap_or(f64::NAN);
    drop(steps);
    let fs = 1.0 / med;
    if !(0.5..=100_000.0).contains(&fs) {
        return Err(PreprocessError::RateOutOfRange {
            median_step_s: med,
            rate_hz: fs,
        });
    }
    q.sample_rate_hz = fs;
    q.jitter_pct = 100.0 * mad / med;
    let repeated_share = q.repeated_stamps as f64 / n_ok as f64;
    q.resampled = q.jitter_pct > 2.0 || q.backwards_stamps > 0 || repeated_share > 0.001;
    Ok(fs)
}

/// Indices of the usable samples whose time is later than every kept one; the others
/// (unusable, backwards, or a repeated stamp: on a grid being resampled the first value is
/// kept) are counted in `dropped`.
fn ordered_samples(time_s: &[f64], usable: &[bool], dropped: &mut usize) -> Vec<usize> {
    let mut idx: Vec<usize> = Vec::with_capacity(usable.len());
    let mut last_t = f64::NEG_INFINITY;
    for (i, (&t, &ok)) in time_s.iter().zip(usable).enumerate() {
        if !ok || t <= last_t {
            *dropped += 1;
            continue;
        }
        idx.push(i);
        last_t = t;
    }
    idx
}

/// Pieces `[a, b)` of `idx` between gaps: a step above 1.5/fs is a gap; one of at most 2
/// missing samples and 20 ms is bridged (counted in `q.bridged_gaps`), a longer one splits
/// the recording (recorded in `q.gaps` as (start s, length s)). `fs` in Hz.
fn split_at_gaps(time_s: &[f64], idx: &[usize], fs: f64, q: &mut Quality) -> Vec<(usize, usize)> {
    let dt = 1.0 / fs;
    let bridge_max = (3.0 * dt).min(0.02 + dt);
    let mut pieces: Vec<(usize, usize)> = Vec::new();
    let mut a = 0;
    for k in 1..idx.len() {
        let d = time_s[idx[k]] - time_s[idx[k - 1]];
        if d > 1.5 * dt {
            if d <= bridge_max + 1e-12 {
                q.bridged_gaps += 1;
            } else {
                q.gaps.push((time_s[idx[k - 1]], d));
                pieces.push((a, k));
                a = k;
            }
        }
    }
    pieces.push((a, idx.len()));
    pieces
}

/// The segment of the samples `idx` (time-ordered, not empty) at `fs` Hz: interpolated onto
/// `t0 + k/fs` when `on_grid` (also fills bridged gaps), else the samples as they are.
fn segment_of(sig: &RawSignal, idx: &[usize], fs: f64, on_grid: bool) -> Segment {
    let mut channels: Vec<&[f64]> = sig.acc_mps2.iter().map(|v| v.as_slice()).collect();
    if let Some(g) = &sig.gyro_dps {
        channels.extend(g.iter().map(|v| v.as_slice()));
    }
    if let Some(s) = &sig.speed_mps {
        channels.push(s);
    }
    let columns = if on_grid {
        interpolate(&sig.time_s, idx, fs, &channels)
    } else {
        channels
            .iter()
            .map(|v| idx.iter().map(|&i| v[i]).collect())
            .collect()
    };
    let mut cols = columns.into_iter();
    let mut three = || {
        [
            cols.next().unwrap_or_default(),
            cols.next().unwrap_or_default(),
            cols.next().unwrap_or_default(),
        ]
    };
    let acc_mps2 = three();
    let gyro_dps = sig.gyro_dps.as_ref().map(|_| three());
    let speed_mps = sig
        .speed_mps
        .as_ref()
        .map(|_| cols.next().unwrap_or_default());
    Segment {
        start_s: sig.time_s[idx[0]],
        rate: Hertz(fs),
        acc_mps2,
        gyro_dps,
        speed_mps,
    }
}

/// Linear interpolation of each of `channels` (indexed like `time_s`) from the samples `idx`
/// (time-ordered, not empty) onto `t0 + k/fs`, k = 0 … ⌊(t_last − t0)·fs⌋. One pass.
fn interpolate(time_s: &[f64], idx: &[usize], fs: f64, channels: &[&[f64]]) -> Vec<Vec<f64>> {
    let dt = 1.0 / fs;
    let b = idx.len();
    let (t0, t1) = (time_s[idx[0]], time_s[idx[b - 1]]);
    let m = ((t1 - t0) * fs).floor() as usize + 1;
    let mut out: Vec<Vec<f64>> = channels.iter().map(|_| Vec::with_capacity(m)).collect();
    let mut j = 0;
    for k in 0..m {
        let t = t0 + k as f64 * dt;
        while j + 1 < b && time_s[idx[j + 1]] < t {
            j += 1;
        }
        let (i0, i1) = (idx[j], idx[(j + 1).min(b - 1)]);
        let (ta, tb) = (time_s[i0], time_s[i1]);
        let w = if tb > ta {
            ((t - ta) / (tb - ta)).clamp(0.0, 1.0)
        } else {
            0.0
        };
        for (o, v) in out.iter_mut().zip(channels) {
            o.push(v[i0] + w * (v[i1] - v[i0]));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn samples_with_a_missing_or_absurd_value_are_unusable() {
        let t = vec![0.0, 0.01, f64::NAN, 0.03];
        let acc = [
            vec![0.0, 1.0, 0.0, 0.0],
            vec![0.0, f64::NAN, 0.0, 0.0],
            vec![9.8, 9.8, 9.8, 201.0 * G],
        ];
        assert_eq!(usable_samples(&t, &acc, None), [true, false, false, false]);
        let gyro = [vec![0.0; 4], vec![f64::NAN; 4], vec![0.0; 4]];
        assert_eq!(usable_samples(&t, &acc, Some(&gyro)), [false; 4]);
    }

    #[test]
    fn the_rate_is_one_over_the_median_step_and_disorder_asks_for_resampling() {
        // 100 Hz with one repeated and one backwards stamp.
        let t = [0.0, 0.01, 0.02, 0.02, 0.03, 0.025, 0.04, 0.05];
        let mut q = Quality::default();
        let fs = rate_and_jitter(&t, &[true; 8], 8, &mut q).unwrap();
        assert!((fs - 100.0).abs() < 1e-6);
        assert_eq!((q.repeated_stamps, q.backwards_stamps), (1, 1));
        assert!(q.resampled);
        let mut q = Quality::default();
        assert_eq!(
            rate_and_jitter(&[1.0; 8], &[true; 8], 8, &mut q),
            Err(PreprocessError::TimeNeverAdvances)
        );
        let hours: Vec<f64> = (0..8).map(|i| 3600.0 * i as f64).collect();
        assert!(matches!(
            rate_and_jitter(&hours, &[true; 8], 8, &mut q),
            Err(PreprocessError::RateOutOfRange { .. })
        ));
    }

    #[test]
    fn out_of_order_and_unusable_samples_are_dropped() {
        let t = [0.0, 0.01, 0.01, 0.005, 0.02, 0.03];
        let mut dropped = 0;
        let idx = ordered_samples(&t, &[true, true, true, true, true, false], &mut dropped);
        assert_eq!(idx, [0, 1, 4]);
        assert_eq!(dropped, 3);
    }

    #[test]
    fn short_gaps_are_bridged_and_long_ones_split() {
        // 100 Hz: one missing sample (bridged), then a 1 s gap.
        let t = [0.0, 0.01, 0.03, 0.04, 1.04, 1.05];
        let mut q = Quality::default();
        let pieces = split_at_gaps(&t, &[0, 1, 2, 3, 4, 5], 100.0, &mut q);
        assert_eq!(pieces, [(0, 4), (4, 6)]);
        assert_eq!(q.bridged_gaps, 1);
        assert_eq!(q.gaps.len(), 1);
        assert!((q.gaps[0].0 - 0.04).abs() < 1e-12 && (q.gaps[0].1 - 1.0).abs() < 1e-9);
    }

    #[test]
    fn interpolation_puts_a_line_onto_the_grid_exactly() {
        let t = [0.0, 0.011, 0.019, 0.031, 0.04];
        let line: Vec<f64> = t.iter().map(|t| 2.0 * t + 1.0).collect();
        let out = interpolate(&t, &[0, 1, 2, 3, 4], 100.0, &[&line]);
        assert_eq!(out[0].len(), 5);
        for (k, v) in out[0].iter().enumerate() {
            assert!((v - (2.0 * 0.01 * k as f64 + 1.0)).abs() < 1e-12);
        }
    }

    #[test]
    fn clipping_needs_three_held_episodes_at_the_extreme() {
        let full = 8.0 * G;
        let mut x = vec![0.0; 40];
        for e in 0..3 {
            for i in 0..3 {
                x[5 + 10 * e + i] = full;
            }
        }
        let c = clipping(&x, 1).unwrap();
        assert_eq!((c.axis, c.episodes), (1, 3));
        assert!((c.full_scale_g - 8.0).abs() < 1e-12);
        x[25] = 0.0;
        assert!(clipping(&x, 1).is_none());
    }

    /// A 100 Hz signal of `n` samples with a gyroscope, the stamps `time_s` of its samples.
    fn signal(time_s: Vec<f64>) -> RawSignal {
        use crate::recording::{AccelUnit, AxisFrame, Decided, TimeSource};
        let n = time_s.len();
        let ch = |k: f64| (0..n).map(|i| (k * i as f64).sin()).collect::<Vec<f64>>();
        RawSignal {
            path: "sim.csv".into(),
            format: "accel-csv",
            device: None,
            start_unix_s: None,
            rejected_start_unix_s: None,
            time_s,
            time_source: TimeSource::Column,
            stated_rate_hz: None,
            acc_mps2: [ch(0.1), ch(0.2), ch(0.3)],
            axes: AxisFrame::Sensor,
            gyro_dps: Some([ch(0.4), ch(0.5), ch(0.6)]),
            speed_mps: Some(ch(0.7)),
            accel_unit: (AccelUnit::Mps2, Decided::Header),
            gravity_included: (true, Decided::Header),
            warnings: Vec::new(),
        }
    }

    fn same_segments(a: &[Segment], b: &[Segment]) {
        assert_eq!(a.len(), b.len());
        for (x, y) in a.iter().zip(b) {
            assert_eq!((x.start_s, x.rate), (y.start_s, y.rate));
            assert_eq!(x.acc_mps2, y.acc_mps2);
            assert_eq!(x.gyro_dps, y.gyro_dps);
            assert_eq!(x.speed_mps, y.speed_mps);
        }
    }

    #[test]
    fn taking_the_samples_gives_the_segments_of_copying_them() {
        // In order and gapless (moved whole); with a 1 s gap (two copied segments); with a
        // bridged gap (interpolated).
        let steady: Vec<f64> = (0..600).map(|i| 5.0 + 0.01 * i as f64).collect();
        let mut gap = steady.clone();
        gap.iter_mut().skip(300).for_each(|t| *t += 1.0);
        let mut bridged = steady.clone();
        bridged.remove(200);
        for t in [steady, gap, bridged] {
            let sig = signal(t);
            let (want, wq) = preprocess(&sig).unwrap();
            let mut owned = sig.clone();
            let (got, gq) = preprocess_owned(&mut owned).unwrap();
            same_segments(&got, &want);
            assert_eq!(format!("{gq:?}"), format!("{wq:?}"));
            assert!(owned.is_empty() && owned.acc_mps2[0].is_empty() && owned.gyro_dps.is_none());
        }
        let mut short = signal((0..50).map(|i| 0.01 * i as f64).collect());
        assert!(matches!(
            preprocess_owned(&mut short),
            Err(PreprocessError::NoLongSegment { .. })
        ));
    }
}
