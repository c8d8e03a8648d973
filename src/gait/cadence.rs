//! Cadence that survives asymmetric sensors: from strides, or from the spectrum when the
//! steps do not fit the signal's rhythm.
//!
//! **Strides.** A sensor off the body's midline (a lateral hip clip, a pocket, a one-sided
//! pod) sees the near leg's contacts differently from the far leg's, so the detected step
//! times alternate long/short even when the runner's steps do not (on the hip recording of
//! the tests by ±10 %). Every second contact is the same foot's, so a stride (two steps) is
//! exact whatever the per-side offset: `120 / stride` is the cadence, and a median over
//! single-step cadences — landing in one mode or between the two — is not. Each step's
//! cadence is therefore `120 / mean of the two strides that contain it`, i.e.
//! `240 / (t₋₁ + 2·t₀ + t₊₁)` over contiguous steps (one stride at the ends of a run, the
//! step's own `60 / t` for an isolated step). On a symmetric run this is the step cadence
//! smoothed over three steps.
//!
//! **Spectrum.** The spectral peak of the vertical signal (10 s windows) is an independent
//! estimate of the step rhythm. When the stride cadence and the spectrum disagree by more
//! than 3 steps/min, the estimate that fits the signal's periodicity wins: the normalised
//! autocorrelation of the signal over the stepping samples at the lag of each estimate's
//! period (Moe-Nilssen & Helbostad 2004, J Biomech 37:121: the step and stride regularity
//! of trunk acceleration are its autocorrelation at the step and stride lags). A spectrum at
//! half the stride cadence (within 5 %) has found the stride, not the step, and loses to the
//! strides without a vote. Only the windows at least half covered by the steps count (not
//! the standing or the other activity around them), and running and walking steps are
//! settled apart. Walking keeps its strides: daily-life walking bouts are mostly shorter
//! than the 10 s spectral window (and interrupted by turns), so its spectrum is not an
//! estimate of the step rhythm to put against the contacts of the Mobilise-D detector. When the spectrum wins, each step's cadence is that of the spectral
//! window nearest it.

// Numerical code: index loops over parallel arrays.
#![allow(clippy::needless_range_loop)]

use super::{Step, median};
use crate::signal::preprocess::Segment;
use crate::units::Hertz;
use crate::vocab::GaitActivity;
use serde::Serialize;

/// Where the per-step cadence comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CadenceSource {
    /// 60 / step time (isolated steps).
    Steps,
    /// 120 / the strides around each step.
    Strides,
    /// The spectral peak of the window nearest each step.
    Spectrum,
    /// Twice the arm swing's fundamental (a wrist: [`super::wrist`]).
    ArmSwing,
}

crate::vocab::named!(CadenceSource { Steps => "steps", Strides => "strides", Spectrum => "spectrum", ArmSwing => "arm_swing" });

/// How one segment's cadence was settled, for the steps of one activity.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct CadenceBasis {
    /// The activity of the steps.
    pub activity: GaitActivity,
    /// The source used.
    pub source: CadenceSource,
    /// 120 000 / median stride (two contiguous steps), steps/min.
    pub strides_spm: Option<f64>,
    /// Median of the spectral windows at least half covered by the steps, steps/min.
    pub spectrum_spm: Option<f64>,
    /// Autocorrelation at the stride estimate's step period.
    pub fit_strides: Option<f64>,
    /// Autocorrelation at the spectral estimate's step period.
    pub fit_spectrum: Option<f64>,
    /// Steps of the segment.
    pub steps: usize,
}

/// Two steps are contiguous when the first ends where the second starts (within 1 ms).
fn contiguous(a: &Step, b: &Step) -> bool {
    a.activity == b.activity
        && a.step_time_ms
            .is_some_and(|st| (a.time_s + st / 1000.0 - b.time_s).abs() < 1e-3)
}

/// Step times of contiguous pairs `(k, k + 1)` summed: the strides, ms.
fn strides_ms(steps: &[Step]) -> Vec<f64> {
    steps
        .windows(2)
        .filter(|w| contiguous(&w[0], &w[1]) && w[1].step_time_ms.is_some())
        .map(|w| w[0].step_time_ms.unwrap_or(f64::NAN) + w[1].step_time_ms.unwrap_or(f64::NAN))
        .collect()
}

/// 120 000 / the median stride, steps/min; `None` without a stride.
pub(super) fn strides_spm(steps: &[Step]) -> Option<f64> {
    median(&strides_ms(steps)).map(|s| 120_000.0 / s)
}

/// Each step's cadence from the strides around it (module notes); returns how many steps
/// had at least one stride.
pub(super) fn stride_cadence(steps: &mut [Step]) -> usize {
    let n = steps.len();
    let st: Vec<Option<f64>> = steps.iter().map(|s| s.step_time_ms).collect();
    let mut with_stride = 0;
    for k in 0..n {
        let Some(t0) = st[k] else { continue };
        let before = (k > 0 && contiguous(&steps[k - 1], &steps[k]))
            .then(|| st[k - 1])
            .flatten();
        let after = (k + 1 < n && contiguous(&steps[k], &steps[k + 1]))
            .then(|| st[k + 1])
            .flatten();
        let strides: Vec<f64> = [before, after].iter().flatten().map(|t| t + t0).collect();
        if strides.is_empty() {
            continue;
        }
        let mean = strides.iter().sum::<f64>() / strides.len() as f64;
        steps[k].cadence_spm = Some(120_000.0 / mean);
        with_stride += 1;
    }
    with_stride
}

/// Normalised autocorrelation of `x` at a lag of `lag` samples (fractional: linear between
/// the two whole lags) over the pairs whose both samples are marked in `mask`, after
/// removing the mean of the marked samples. `None` with fewer than 50 pairs.
pub(super) fn periodicity(x: &[f64], mask: &[bool], lag: f64) -> Option<f64> {
    let marked: Vec<f64> = (0..x.len()).filter(|&i| mask[i]).map(|i| x[i]).collect();
    if marked.is_empty() || !(lag >= 1.0) {
        return None;
    }
    let mean = marked.iter().sum::<f64>() / marked.len() as f64;
    let at = |l: usize| -> Option<f64> {
        let (mut sxy, mut sxx, mut syy, mut n) = (0.0, 0.0, 0.0, 0usize);
        for i in 0..x.len().saturating_sub(l) {
            if mask[i] && mask[i + l] {
                let (a, b) = (x[i] - mean, x[i + l] - mean);
                sxy += a * b;
                sxx += a * a;
                syy += b * b;
                n += 1;
            }
        }
        (n >= 50 && sxx > 0.0 && syy > 0.0).then(|| sxy / (sxx * syy).sqrt())
    };
    let (lo, f) = (lag.floor() as usize, lag.fract());
    Some((1.0 - f) * at(lo)? + f * at(lo + 1)?)
}

/// Samples of `seg` covered by the steps (initial contact to the next), for `len` samples.
fn stepping_mask(steps: &[Step], seg: &Segment, len: usize) -> Vec<bool> {
    let mut mask = vec![false; len];
    let fs = seg.rate.0;
    for s in steps {
        let Some(st) = s.step_time_ms else { continue };
        let a = ((s.time_s - seg.start_s) * fs).round().max(0.0) as usize;
        let b = (((s.time_s - seg.start_s + st / 1000.0) * fs)
            .round()
            .max(0.0) as usize)
            .min(len);
        for m in &mut mask[a.min(b)..b] {
            *m = true;
        }
    }
    mask
}

/// The spectral windows at least half covered by stepping samples (`mask`, at `fs`): the
/// spectrum of the same activity as the steps, not of the standing or other activity
/// around them.
fn covered_windows(spectral: &[(f64, f64, f64)], mask: &[bool], fs: Hertz) -> Vec<(f64, f64, f64)> {
    let n = mask.len();
    spectral
        .iter()
        .filter(|w| {
            let a = ((w.0 * fs.0).round() as usize).min(n);
            let b = (((w.0 + w.1) * fs.0).round() as usize).min(n);
            b > a && 2 * mask[a..b].iter().filter(|&&m| m).count() >= b - a
        })
        .copied()
        .collect()
}

/// Whether `strides_spm` is the second harmonic of `spectrum_spm` (within 5 %): the
/// spectrum found the stride rhythm.
fn spectrum_saw_strides(strides_spm: f64, spectrum_spm: f64) -> bool {
    (strides_spm / (2.0 * spectrum_spm) - 1.0).abs() <= 0.05
}

/// Settle the cadence of one segment's `steps`, all of one activity (module notes): stride
/// cadence, then, when it disagrees with the spectrum of the windows they cover
/// (`spectral`: windows as (start s, length s, steps/min)),
/// the estimate whose period fits `v_g` (the vertical signal the steps were found in, at the
/// segment's rate) better. `None` without steps.
pub(super) fn settle(
    steps: &mut [Step],
    seg: &Segment,
    v_g: &[f64],
    spectral: &[(f64, f64, f64)],
) -> Option<CadenceBasis> {
    if steps.is_empty() {
        return None;
    }
    let with_stride = stride_cadence(steps);
    let strides = strides_spm(steps);
    let mask = stepping_mask(steps, seg, v_g.len());
    let windows = covered_windows(spectral, &mask, seg.rate);
    let spectrum = median(&windows.iter().map(|w| w.2).collect::<Vec<_>>());
    let mut basis = CadenceBasis {
        activity: steps[0].activity,
        source: if with_stride * 2 > steps.len() {
            CadenceSource::Strides
        } else {
            CadenceSource::Steps
        },
        strides_spm: strides,
        spectrum_spm: spectrum,
        fit_strides: None,
        fit_spectrum: None,
        steps: steps.len(),
    };
    let (Some(st), Some(sp)) = (strides, spectrum) else {
        return Some(basis);
    };
    if (st - sp).abs() <= 3.0
        || spectrum_saw_strides(st, sp)
        || basis.activity != GaitActivity::Running
    {
        return Some(basis);
    }
    let fs = seg.rate;
    basis.fit_strides = periodicity(v_g, &mask, 60.0 / st * fs.0);
    basis.fit_spectrum = periodicity(v_g, &mask, 60.0 / sp * fs.0);
    if let (Some(a), Some(b)) = (basis.fit_strides, basis.fit_spectrum) {
        if b > a {
            from_spectrum(steps, seg, &windows);
            basis.source = CadenceSource::Spectrum;
        }
    }
    Some(basis)
}

/// Each step's cadence := the spectral cadence of the window nearest it.
fn from_spectrum(steps: &mut [Step], seg: &Segment, spectral: &[(f64, f64, f64)]) {
    let windows = Windows::new(spectral);
    for s in steps.iter_mut() {
        if let Some(w) = windows.nearest(s.time_s - seg.start_s) {
            s.cadence_spm = Some(w.2);
        }
    }
}

/// Spectral windows (start s, length s, steps/min) looked up by time: the window whose
/// centre (start + ½ length) is nearest.
pub(super) struct Windows<'a> {
    /// The windows, in the order given.
    windows: &'a [(f64, f64, f64)],
    /// Whether the centres are in ascending order (windows slid along a segment are), for a
    /// binary search; otherwise every lookup scans.
    sorted: bool,
}

impl<'a> Windows<'a> {
    /// Index `windows` for [`Windows::nearest`].
    pub(super) fn new(windows: &'a [(f64, f64, f64)]) -> Self {
        let sorted = windows.windows(2).all(|p| centre(&p[0]) <= centre(&p[1]));
        Windows { windows, sorted }
    }

    /// The window whose centre is nearest to `t_s` (`|start + ½·length − t|`, compared with
    /// `total_cmp`), the first of equally near ones; `None` without windows. The same as a
    /// scan with `Iterator::min_by`, in O(log n) when the centres are sorted: the distance
    /// falls up to the first centre at or after `t_s` and rises from there (rounding is
    /// monotone), so the nearest is that one or the last before it.
    pub(super) fn nearest(&self, t_s: f64) -> Option<&'a (f64, f64, f64)> {
        let w = self.windows;
        let dist = |i: usize| (w[i].0 + 0.5 * w[i].1 - t_s).abs();
        if !self.sorted || !t_s.is_finite() {
            return w.iter().min_by(|a, b| {
                let da = (a.0 + 0.5 * a.1 - t_s).abs();
                let db = (b.0 + 0.5 * b.1 - t_s).abs();
                da.total_cmp(&db)
            });
        }
        let p = w.partition_point(|x| centre(x) < t_s);
        let mut best = match (p.checked_sub(1), (p < w.len()).then_some(p)) {
            (Some(l), Some(r)) if dist(r).total_cmp(&dist(l)).is_lt() => return Some(&w[r]),
            (Some(l), _) => l,
            (None, Some(r)) => return Some(&w[r]),
            (None, None) => return None,
        };
        // Equally near windows before it (equal centres): the first of them.
        while best > 0 && dist(best - 1).total_cmp(&dist(best)).is_eq() {
            best -= 1;
        }
        Some(&w[best])
    }
}

/// Centre of a spectral window (start s, length s, ·), s.
fn centre(w: &(f64, f64, f64)) -> f64 {
    w.0 + 0.5 * w.1
}

/// The basis of the whole recording: among the running bases (all, when nothing was run),
/// the source behind most steps, with the figures of its largest segment.
pub(super) fn overall(bases: &[CadenceBasis]) -> Option<CadenceBasis> {
    let any_running = bases.iter().any(|b| b.activity == GaitActivity::Running);
    let bases: Vec<CadenceBasis> = bases
        .iter()
        .filter(|b| !any_running || b.activity == GaitActivity::Running)
        .copied()
        .collect();
    let count = |src: CadenceSource| -> usize {
        bases
            .iter()
            .filter(|b| b.source == src)
            .map(|b| b.steps)
            .sum()
    };
    if bases.is_empty() {
        return None;
    }
    // The first of equal counts: strides, then spectrum, then steps.
    let mut best = CadenceSource::Strides;
    for s in [
        CadenceSource::Spectrum,
        CadenceSource::Steps,
        CadenceSource::ArmSwing,
    ] {
        if count(s) > count(best) {
            best = s;
        }
    }
    bases
        .iter()
        .filter(|b| b.source == best)
        .max_by_key(|b| b.steps)
        .copied()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vocab::GaitActivity;
    use std::f64::consts::PI;

    /// Contiguous running steps with the given step times, from t = 0.
    fn steps_of(times_ms: &[f64]) -> Vec<Step> {
        let mut t = 0.0;
        times_ms
            .iter()
            .map(|&st| {
                let s = Step {
                    time_s: t,
                    activity: GaitActivity::Running,
                    step_time_ms: Some(st),
                    cadence_spm: Some(60_000.0 / st),
                    ..Step::default()
                };
                t += st / 1000.0;
                s
            })
            .collect()
    }

    #[test]
    fn alternating_step_times_give_the_stride_cadence_on_every_step() {
        // 320/420 ms alternate: single steps say 187.5 and 142.9, the stride 740 ms says
        // 162.16 steps/min.
        let mut steps = steps_of(&[320.0, 420.0, 320.0, 420.0, 320.0, 420.0]);
        assert_eq!(stride_cadence(&mut steps), 6);
        for s in &steps {
            assert!((s.cadence_spm.unwrap() - 120_000.0 / 740.0).abs() < 1e-9);
        }
        assert!((strides_spm(&steps).unwrap() - 120_000.0 / 740.0).abs() < 1e-9);
    }

    #[test]
    fn a_pause_breaks_the_strides_and_a_lone_step_keeps_its_own_cadence() {
        let mut steps = steps_of(&[400.0, 400.0]);
        let mut lone = steps_of(&[300.0]);
        lone[0].time_s = 10.0;
        steps.extend(lone);
        assert_eq!(stride_cadence(&mut steps), 2);
        assert!((steps[0].cadence_spm.unwrap() - 150.0).abs() < 1e-9);
        assert!((steps[2].cadence_spm.unwrap() - 200.0).abs() < 1e-9);
        assert_eq!(strides_ms(&steps), [800.0]);
    }

    #[test]
    fn periodicity_peaks_at_the_period() {
        let x: Vec<f64> = (0..2000)
            .map(|i| (2.0 * PI * i as f64 / 37.5).sin())
            .collect();
        let mask = vec![true; x.len()];
        let at = periodicity(&x, &mask, 37.5).unwrap();
        assert!(at > 0.99, "{at}");
        assert!(periodicity(&x, &mask, 40.0).unwrap() < at);
        assert!(periodicity(&x, &mask, 18.75).unwrap() < -0.99);
        assert_eq!(periodicity(&x, &vec![false; x.len()], 37.5), None);
    }

    #[test]
    fn the_spectrum_at_half_the_strides_found_the_stride() {
        assert!(spectrum_saw_strides(160.0, 81.0));
        assert!(!spectrum_saw_strides(160.0, 150.0));
    }

    fn segment(fs: f64) -> Segment {
        Segment {
            start_s: 0.0,
            rate: Hertz(fs),
            acc_mps2: Default::default(),
            gyro_dps: None,
            speed_mps: None,
        }
    }

    #[test]
    fn steps_off_the_rhythm_lose_to_the_spectrum_that_fits_it() {
        // The signal repeats every 0.36 s (166.7 steps/min), the spectrum says so, but the
        // steps claim 0.40 s (150): the spectrum fits the signal and wins.
        let fs = 100.0;
        let v: Vec<f64> = (0..3000)
            .map(|i| (2.0 * PI * i as f64 / 36.0).sin())
            .collect();
        let mut steps = steps_of(&[400.0; 70]);
        let spectral = [(0.0, 10.0, 166.7), (5.0, 10.0, 166.7), (10.0, 10.0, 166.7)];
        let b = settle(&mut steps, &segment(fs), &v, &spectral).unwrap();
        assert_eq!(b.source, CadenceSource::Spectrum);
        assert!(b.fit_spectrum.unwrap() > b.fit_strides.unwrap());
        assert!(steps.iter().all(|s| s.cadence_spm == Some(166.7)));
        // Steps on the rhythm keep the strides.
        let mut steps = steps_of(&[360.0; 80]);
        let b = settle(&mut steps, &segment(fs), &v, &spectral).unwrap();
        assert_eq!(b.source, CadenceSource::Strides);
        // Walking steps keep their strides.
        let mut walking = steps_of(&[400.0; 70]);
        for s in &mut walking {
            s.activity = GaitActivity::Walking;
        }
        let b = settle(&mut walking, &segment(fs), &v, &spectral).unwrap();
        assert_eq!(b.source, CadenceSource::Strides);
        // A spectrum at the stride rhythm loses without a vote.
        let mut steps = steps_of(&[360.0; 80]);
        let b = settle(&mut steps, &segment(fs), &v, &[(0.0, 10.0, 83.0)]).unwrap();
        assert_eq!(b.source, CadenceSource::Strides);
        assert_eq!(b.fit_spectrum, None);
    }

    #[test]
    fn the_overall_basis_is_that_of_most_steps() {
        let b = |source, steps| CadenceBasis {
            activity: GaitActivity::Running,
            source,
            strides_spm: None,
            spectrum_spm: None,
            fit_strides: None,
            fit_spectrum: None,
            steps,
        };
        let all = [
            b(CadenceSource::Spectrum, 30),
            b(CadenceSource::Strides, 20),
            b(CadenceSource::Strides, 25),
        ];
        let o = overall(&all).unwrap();
        assert_eq!((o.source, o.steps), (CadenceSource::Strides, 25));
        assert!(overall(&[]).is_none());
        // Walking bases count only when nothing was run.
        let walk = CadenceBasis {
            activity: GaitActivity::Walking,
            ..b(CadenceSource::Steps, 500)
        };
        assert_eq!(
            overall(&[all[0], walk]).unwrap().source,
            CadenceSource::Spectrum
        );
        assert_eq!(overall(&[walk]).unwrap().source, CadenceSource::Steps);
    }

    /// The scan [`Windows::nearest`] replaces.
    fn nearest_by_scan(w: &[(f64, f64, f64)], t: f64) -> Option<&(f64, f64, f64)> {
        w.iter().min_by(|a, b| {
            let da = (a.0 + 0.5 * a.1 - t).abs();
            let db = (b.0 + 0.5 * b.1 - t).abs();
            da.total_cmp(&db)
        })
    }

    #[test]
    fn the_nearest_window_is_the_first_of_equally_near_ones() {
        // Centres 5, 10, 10, 15: t = 7.5 is as near 5 as 10; t = 10 hits the pair.
        let w = [
            (0.0, 10.0, 1.0),
            (5.0, 10.0, 2.0),
            (5.0, 10.0, 3.0),
            (10.0, 10.0, 4.0),
        ];
        let idx = Windows::new(&w);
        for t in [-3.0, 5.0, 7.5, 9.0, 10.0, 12.5, 13.0, 40.0, f64::NAN] {
            assert_eq!(idx.nearest(t), nearest_by_scan(&w, t), "t = {t}");
        }
        assert_eq!(idx.nearest(7.5).map(|x| x.2), Some(1.0));
        assert_eq!(idx.nearest(10.0).map(|x| x.2), Some(2.0));
        assert_eq!(Windows::new(&[]).nearest(1.0), None);
    }

    proptest::proptest! {
        /// Sorted windows slid along (some repeated), unsorted ones, any time: the same
        /// window as the scan.
        #[test]
        fn the_nearest_window_matches_the_scan(
            starts in proptest::collection::vec(0u32..400, 0..40),
            len in 1u32..20,
            ts in proptest::collection::vec(-50.0f64..500.0, 1..20),
            shuffle in proptest::bool::ANY,
        ) {
            let mut s = starts.clone();
            if !shuffle {
                s.sort_unstable();
            }
            // Quarter-second steps give exact ties between neighbours.
            let w: Vec<(f64, f64, f64)> = s
                .iter()
                .enumerate()
                .map(|(i, &a)| (0.25 * a as f64, 0.5 * len as f64, i as f64))
                .collect();
            let idx = Windows::new(&w);
            for &t in &ts {
                for t in [t, (4.0 * t).round() / 4.0] {
                    proptest::prop_assert_eq!(idx.nearest(t), nearest_by_scan(&w, t));
                }
            }
        }
    }
}
