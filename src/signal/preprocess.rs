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

/// Why a signal could not be preprocessed.
#[derive(Debug, Clone, PartialEq)]
pub enum PreprocessError {
    /// No usable samples.
    NoSamples(String),
    /// Time stamps never advance, or the rate is absurd.
    BadTime(String),
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

/// Split and regularise a raw signal.
///
/// # Errors
/// [`PreprocessError`] when no sample is usable or the time stamps never advance.
pub fn preprocess(sig: &RawSignal) -> Result<(Vec<Segment>, Quality), PreprocessError> {
    let n = sig.len();
    let mut q = Quality {
        stated_rate_hz: sig.stated_rate_hz,
        ..Quality::default()
    };
    // Usable samples.
    let absurd = 200.0 * G;
    let usable: Vec<bool> = (0..n)
        .map(|i| {
            let a = [sig.acc_mps2[0][i], sig.acc_mps2[1][i], sig.acc_mps2[2][i]];
            sig.time_s[i].is_finite()
                && a.iter().all(|v| v.is_finite() && v.abs() < absurd)
                && sig
                    .gyro_dps
                    .as_ref()
                    .is_none_or(|g| g.iter().all(|c| c[i].is_finite()))
        })
        .collect();
    let n_ok = usable.iter().filter(|u| **u).count();
    if n_ok < 8 {
        return Err(PreprocessError::NoSamples(format!(
            "only {n_ok} of {n} samples have a finite time and three finite acceleration values"
        )));
    }
    for (axis, a) in sig.acc_mps2.iter().enumerate() {
        let mut it = a.iter().zip(&usable).filter(|(_, u)| **u).map(|(v, _)| *v);
        let first = it.next().unwrap_or(0.0);
        if it.all(|v| v == first) {
            q.constant_axes.push(axis);
        }
        if let Some(c) = clipping(a, axis) {
            q.clipping.push(c);
        }
    }
    // Rate and jitter.
    let mut steps: Vec<f64> = Vec::with_capacity(n_ok);
    let mut last: Option<f64> = None;
    for i in 0..n {
        if !usable[i] {
            continue;
        }
        let t = sig.time_s[i];
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
        return Err(PreprocessError::BadTime(
            "the time stamps never advance".into(),
        ));
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
        return Err(PreprocessError::BadTime(format!(
            "the median time step is {med} s ({fs:.3} Hz): expected a sampling rate from 0.5 Hz to 100 kHz (check the time unit, --time-unit)"
        )));
    }
    q.sample_rate_hz = fs;
    q.jitter_pct = 100.0 * mad / med;
    let repeated_share = q.repeated_stamps as f64 / n_ok as f64;
    q.resampled = q.jitter_pct > 2.0 || q.backwards_stamps > 0 || repeated_share > 0.001;
    // Monotone usable samples.
    let mut idx: Vec<usize> = Vec::with_capacity(n_ok);
    let mut last_t = f64::NEG_INFINITY;
    for i in 0..n {
        if !usable[i] {
            q.dropped_samples += 1;
            continue;
        }
        let t = sig.time_s[i];
        if t <= last_t {
            if t < last_t || !q.resampled {
                q.dropped_samples += 1;
                continue;
            }
            // A repeated stamp on a grid being resampled: keep the first value.
            q.dropped_samples += 1;
            continue;
        }
        idx.push(i);
        last_t = t;
    }
    // Split at gaps.
    let dt = 1.0 / fs;
    let bridge_max = (3.0 * dt).min(0.02 + dt);
    let mut pieces: Vec<(usize, usize)> = Vec::new(); // [a, b) in idx
    let mut a = 0;
    for k in 1..idx.len() {
        let d = sig.time_s[idx[k]] - sig.time_s[idx[k - 1]];
        if d > 1.5 * dt {
            if d <= bridge_max + 1e-12 {
                q.bridged_gaps += 1;
            } else {
                q.gaps.push((sig.time_s[idx[k - 1]], d));
                pieces.push((a, k));
                a = k;
            }
        }
    }
    pieces.push((a, idx.len()));
    let mut segments = Vec::new();
    for (a, b) in pieces {
        let t0 = sig.time_s[idx[a]];
        let t1 = sig.time_s[idx[b - 1]];
        let len_s = t1 - t0 + dt;
        if len_s < MIN_SEGMENT_S || b - a < 16 {
            q.short_segments_s += len_s;
            continue;
        }
        let seg = if q.resampled || (b - a) as f64 + 0.5 < len_s * fs {
            // Interpolate onto the uniform grid (also fills bridged gaps).
            let m = ((t1 - t0) * fs).floor() as usize + 1;
            let mut out = Segment {
                start_s: t0,
                rate: Hertz(fs),
                acc_mps2: [
                    Vec::with_capacity(m),
                    Vec::with_capacity(m),
                    Vec::with_capacity(m),
                ],
                gyro_dps: sig.gyro_dps.as_ref().map(|_| {
                    [
                        Vec::with_capacity(m),
                        Vec::with_capacity(m),
                        Vec::with_capacity(m),
                    ]
                }),
                speed_mps: sig.speed_mps.as_ref().map(|_| Vec::with_capacity(m)),
            };
            let mut j = a;
            for k in 0..m {
                let t = t0 + k as f64 * dt;
                while j + 1 < b && sig.time_s[idx[j + 1]] < t {
                    j += 1;
                }
                let (i0, i1) = (idx[j], idx[(j + 1).min(b - 1)]);
                let (ta, tb) = (sig.time_s[i0], sig.time_s[i1]);
                let w = if tb > ta {
                    ((t - ta) / (tb - ta)).clamp(0.0, 1.0)
                } else {
                    0.0
                };
                let lerp = |v: &[f64]| v[i0] + w * (v[i1] - v[i0]);
                for ax in 0..3 {
                    out.acc_mps2[ax].push(lerp(&sig.acc_mps2[ax]));
                }
                if let (Some(g), Some(src)) = (out.gyro_dps.as_mut(), sig.gyro_dps.as_ref()) {
                    for ax in 0..3 {
                        g[ax].push(lerp(&src[ax]));
                    }
                }
                if let (Some(s), Some(src)) = (out.speed_mps.as_mut(), sig.speed_mps.as_ref()) {
                    s.push(lerp(src));
                }
            }
            out
        } else {
            let take = |v: &[f64]| idx[a..b].iter().map(|&i| v[i]).collect::<Vec<f64>>();
            Segment {
                start_s: t0,
                rate: Hertz(fs),
                acc_mps2: [
                    take(&sig.acc_mps2[0]),
                    take(&sig.acc_mps2[1]),
                    take(&sig.acc_mps2[2]),
                ],
                gyro_dps: sig
                    .gyro_dps
                    .as_ref()
                    .map(|g| [take(&g[0]), take(&g[1]), take(&g[2])]),
                speed_mps: sig.speed_mps.as_ref().map(|s| take(s)),
            }
        };
        segments.push(seg);
    }
    q.segments = segments.len();
    if segments.is_empty() {
        return Err(PreprocessError::NoSamples(format!(
            "no stretch of at least {MIN_SEGMENT_S} s without a gap ({} gaps split the recording)",
            q.gaps.len()
        )));
    }
    Ok((segments, q))
}
