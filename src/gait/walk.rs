//! Walking steps from a trunk sensor (lower back, sacrum, waist): initial contacts, gait
//! sequences and the cadence of every step.
//!
//! Running is found by flight phases ([`super::trunk`]); walking has none, so its steps are
//! found in the rhythm of the vertical acceleration instead. The method follows the
//! Mobilise-D lower-back pipeline (Micó-Amigo et al. 2023, J NeuroEng Rehabil 20:78; mobgap):
//!
//! 1. **Resampling.** The vertical acceleration is decimated by `k = ⌊fs / 40 Hz⌋`, to
//!    40–80 Hz (the 40 Hz working rate of the Paraschiv-Ionescu algorithms), each output
//!    sample being the mean of a block of `k` inputs and standing for the block's centre. The
//!    block mean is the anti-alias filter: its nulls lie at the multiples of the new rate,
//!    exactly the frequencies that would fold onto the 0–3 Hz band used below: a component
//!    within 3.14 Hz of a multiple of the new rate is attenuated at least tenfold, on top of
//!    the caller's 20 Hz low-pass (order 4, zero-phase) above 40 Hz.
//!    One pass over the input; everything below runs at the low rate, so a 1-hour 1 kHz file
//!    costs about what a 1-hour 40 Hz one does.
//!
//! 2. **Band-pass** 0.15–3.14 Hz (zero-phase Butterworth, order 2 per pass): the pass band of
//!    the EPFL gait filter that Paraschiv-Ionescu et al. apply before contact detection. It
//!    keeps the step (≈ 1–2.3 Hz) and stride fundamentals and removes posture (tilt leaking
//!    gravity) and impacts.
//!
//! 3. **Initial-contact candidates** — McCamley et al. 2012 (Gait Posture 36:316) as modified
//!    by Paraschiv-Ionescu et al. 2020 (IEEE EMBC, 4596): the band-passed vertical
//!    acceleration is integrated and transformed by a continuous wavelet transform with the
//!    `gaus2` (Mexican-hat) wavelet at scale 9 at 40 Hz; initial contacts are the minima
//!    between its zero crossings. The Mexican hat is minus the second derivative of a
//!    Gaussian, so that transform of the integral equals minus the first derivative of the
//!    Gaussian-smoothed acceleration: ICs are the maxima of `d/dt (G_σ ∗ a_v)` between its
//!    zero crossings, i.e. the instants where the trunk's upward acceleration rises fastest
//!    as the leading foot is loaded. Scale 9 at 40 Hz is a Gaussian `exp(−x²)` with x in units
//!    of 9 samples, i.e. σ = 9/(√2·40 Hz) = 0.159 s. It is computed here directly, as one
//!    convolution of the acceleration with the sampled Gaussian derivative (±4σ), which needs
//!    no integration and so has no drift; each maximum is refined to a fraction of a sample by
//!    a parabola through its three samples. The scale was chosen by its authors for slow and
//!    impaired gait: at fast walking (≥ 2 Hz) the stride component is weighted above the step
//!    one, so strongly asymmetric fast gait can lose every other contact.
//!
//! 4. **Activity** — Iluz et al. 2014 (J NeuroEng Rehabil 11:48; mobgap `GsdIluz`): a
//!    candidate counts only when the standard deviation of the band-passed vertical
//!    acceleration over the 3 s window centred on it is at least 0.01 g (Iluz's activity
//!    threshold; quiet standing and sitting stay below it: sway and sensor noise, ≈ 0.003–0.01
//!    g on the lower-back recording of the tests). Candidates within half the shortest step
//!    (0.2 s) of a detected running bout are running contacts, not walking ones.
//!
//! 5. **Step sequences** — the pulse trains of Paraschiv-Ionescu et al. 2019 (J NeuroEng
//!    Rehabil 16, doi:10.1186/s12984-019-0494-z; mobgap `GsdIonescu`), with the walking-bout
//!    rules of Mobilise-D (Kluge et al. 2021, PLoS ONE, consensus framework for digital
//!    mobility monitoring; mobgap stride selection):
//!    * two candidates closer than the shortest walking step, 0.40 s (150 steps/min: above it
//!      a trunk signal is running; walking cadence rarely exceeds 135, Dorn, Schache & Pandy
//!      2012, J Exp Biol 215:1944), are one contact, the stronger one;
//!    * consecutive contacts belong to one sequence while they are at most 1.5 s apart (half
//!      the longest Mobilise-D stride, 3 s), so that one soft, missed contact or a hesitation
//!      does not cut a bout in two;
//!    * the ends of a sequence are trimmed while their peak loading rate is under a quarter of
//!      the sequence's median: the decaying sway of standing before and after walking passes
//!      the activity test (its window still holds steps) but has no loading of its own;
//!    * a sequence is walking when it holds at least 5 steps of 0.40–1.00 s: 6 alternating
//!      contacts make 4 strides counting both feet, the smallest Mobilise-D walking bout
//!      (mobgap `WbAssembly` defaults); shorter fragments — a turn on the spot, a shuffle, a
//!      sit-to-stand — are dropped.
//!
//! 6. **Step time and cadence.** A step's time is the interval to the next contact of its
//!    sequence when that is 0.40–1.00 s, and its cadence 60 / step time (60–150 steps/min; 60
//!    is the plausibility floor of the metrics stage). A longer interval inside a sequence
//!    keeps the bout together but is not a step: it is a pause or a contact too soft to find,
//!    and 60/t would understate the rhythm. The last contact of a sequence has no step time.
//!
//! Validation: `tests/raw_accuracy.rs` compares contacts, cadence and walking time with the
//! INDIP reference of mobgap's lower-back example recording.

// Numerical code: index loops over parallel arrays, NaN-safe negated comparisons.
#![allow(clippy::needless_range_loop, clippy::neg_cmp_op_on_partial_ord)]

use crate::signal::filter::{Band, block_mean, zero_phase};
use crate::units::Hertz;

/// Working rate of the Paraschiv-Ionescu algorithms, Hz (the decimated rate is 40–80 Hz).
const WORK_RATE_HZ: f64 = 40.0;
/// Band-pass of the vertical acceleration, Hz (EPFL gait filter pass band).
#[allow(clippy::approx_constant)] // 3.14 Hz is the documented cut-off, not π.
const BAND_HZ: (f64, f64) = (0.15, 3.14);
/// σ of the Gaussian: `gaus2` scale 9 at 40 Hz, s.
const SIGMA_S: f64 = 9.0 / (std::f64::consts::SQRT_2 * 40.0);
/// Activity window centred on each candidate, s (Iluz 2014).
const ACTIVITY_WINDOW_S: f64 = 3.0;
/// Least standard deviation of the band-passed vertical acceleration in that window, g.
const ACTIVITY_SD_G: f64 = 0.01;
/// Step times that give a cadence, s (150 and 60 steps/min).
const STEP_TIME_S: (f64, f64) = (0.40, 1.00);
/// Longest interval between contacts inside a sequence, s (half the longest Mobilise-D
/// stride, 3 s).
const MAX_GAP_S: f64 = 1.5;
/// Sequence ends whose peak loading rate is under this fraction of the sequence's median
/// are trimmed.
const END_FRACTION: f64 = 0.25;
/// Fewest steps of 0.40–1.00 s in a walking sequence (4 strides of both feet).
const MIN_STEPS: usize = 5;

/// One walking contact.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WalkStep {
    /// Initial contact, in samples of the input (fractional).
    pub index: f64,
    /// Time to the next contact of the same sequence, s, when it is a walking step time
    /// (0.40–1.00 s); `None` for a longer pause inside the sequence and for the last contact.
    pub step_time_s: Option<f64>,
}

/// Walking contacts of `v_g`, the vertical acceleration in g with gravity removed, sampled at
/// `fs`; `running[i]` marks samples inside detected running bouts (same length as `v_g`),
/// which are left out. In time order; empty when the signal is too short to filter.
pub fn walking_steps(v_g: &[f64], fs: Hertz, running: &[bool]) -> Vec<WalkStep> {
    // 1. Resampling.
    let k = ((fs.0 / WORK_RATE_HZ).floor() as usize).max(1);
    let rate = Hertz(fs.0 / k as f64);
    let x = block_mean(v_g, k);
    // Output sample j stands for input sample j·k + (k − 1)/2.
    let to_input = |p: f64| p * k as f64 + 0.5 * (k - 1) as f64;
    // 2. Band-pass.
    let Some(bp) = zero_phase(&x, rate, 2, Band::Pass(BAND_HZ.0, BAND_HZ.1)) else {
        return Vec::new();
    };
    // 3. Candidates.
    let candidates = lobe_maxima(&gaussian_derivative(&bp, rate, SIGMA_S));
    // 4. Activity, and not running.
    let half_window = ((0.5 * ACTIVITY_WINDOW_S * rate.0).round() as usize).max(1);
    let sd = centred_sd(&bp, half_window);
    let near_running = near_mask(running, (0.5 * STEP_TIME_S.0 * fs.0).round() as usize);
    let active: Vec<(f64, f64)> = candidates
        .into_iter()
        .filter(|&(p, _)| {
            let i = (p.round() as usize).min(bp.len() - 1);
            let j = (to_input(p).round() as usize).min(v_g.len().saturating_sub(1));
            sd[i] >= ACTIVITY_SD_G && !near_running(j)
        })
        .collect();
    // 5–6. Sequences and cadence, back in input samples.
    sequences(&active, rate)
        .into_iter()
        .map(|s| WalkStep {
            index: to_input(s.index),
            ..s
        })
        .collect()
}

/// Step sequences from active candidates `(sample, peak loading rate)` at `rate`
/// (rules 5 and 6 of the module notes); indices stay in the samples of `rate`.
fn sequences(active: &[(f64, f64)], rate: Hertz) -> Vec<WalkStep> {
    // One contact per shortest step: the stronger of two close candidates.
    let min_gap = STEP_TIME_S.0 * rate.0;
    let mut c: Vec<(f64, f64)> = Vec::with_capacity(active.len());
    for &(p, a) in active {
        match c.last_mut() {
            Some(last) if p - last.0 < min_gap => {
                if a > last.1 {
                    *last = (p, a);
                }
            }
            _ => c.push((p, a)),
        }
    }
    let interval = |j: usize| (c[j + 1].0 - c[j].0) / rate.0;
    let mut out = Vec::new();
    let mut s = 0;
    while s < c.len() {
        let mut e = s;
        while e + 1 < c.len() && interval(e) <= MAX_GAP_S {
            e += 1;
        }
        let next = e + 1;
        let peaks: Vec<f64> = c[s..=e].iter().map(|x| x.1).collect();
        let floor = END_FRACTION * crate::stats::median_of_finite(&peaks).unwrap_or(f64::NAN);
        while s < e && c[s].1 < floor {
            s += 1;
        }
        while e > s && c[e].1 < floor {
            e -= 1;
        }
        let steps = (s..e).filter(|&j| interval(j) <= STEP_TIME_S.1).count();
        if steps >= MIN_STEPS {
            for j in s..=e {
                out.push(WalkStep {
                    index: c[j].0,
                    step_time_s: (j < e).then(|| interval(j)).filter(|&t| t <= STEP_TIME_S.1),
                });
            }
        }
        s = next;
    }
    out
}

/// `d/dt (G_σ ∗ x)`: convolution with the sampled derivative of a Gaussian of σ seconds,
/// truncated at ±4σ, the edges held (units of `x` per second). O(n·σ·fs).
fn gaussian_derivative(x: &[f64], fs: Hertz, sigma_s: f64) -> Vec<f64> {
    let s = sigma_s * fs.0;
    let half = (4.0 * s).ceil() as usize;
    let offsets = || (0..=2 * half).map(|m| m as f64 - half as f64);
    // y(i) = Σ_j x(i − j)·g'(j), g'(j) ∝ −j·g(j), scaled so that Σ_j (−j)·g'(j) = 1 (a
    // straight line gives its exact slope, as the continuous kernel would), × fs per second.
    let g = |j: f64| (-j * j / (2.0 * s * s)).exp();
    let second_moment: f64 = offsets().map(|j| j * j * g(j)).sum();
    let kernel: Vec<f64> = offsets()
        .map(|j| -j * g(j) / second_moment * fs.0)
        .collect();
    convolve_held(x, &kernel, half)
}

/// `y(i) = Σ_m w[m]·x(i + half − m)` over the taps `w` in order, `x` held at its first and
/// last sample beyond its ends. Each `y(i)` is summed tap by tap from −0.0 (what
/// `Iterator::sum` does), so the result is bit-identical to summing per output sample; the
/// loop runs tap-major over a padded copy of `x` so that it vectorises across outputs.
fn convolve_held(x: &[f64], w: &[f64], half: usize) -> Vec<f64> {
    let n = x.len();
    let Some(&last) = x.last() else {
        return Vec::new();
    };
    // padded[k] = x[clamp(k − 2·half, 0, n − 1)]: x(i + half − m) = padded[i + 2·half − m]
    // for m ≤ 2·half.
    let span = w.len().max(2 * half + 1);
    let lead = span - 1 - half;
    let mut padded = Vec::with_capacity(n + span);
    padded.extend(std::iter::repeat_n(x[0], lead));
    padded.extend_from_slice(x);
    padded.extend(std::iter::repeat_n(last, half));
    let mut y = vec![-0.0; n];
    // Blocks of outputs small enough to stay in the L1 cache while every tap passes.
    for (b, block) in y.chunks_mut(1024).enumerate() {
        let at = b * 1024;
        for (m, &wm) in w.iter().enumerate() {
            let src = &padded[at + span - 1 - m..];
            for (yi, &xi) in block.iter_mut().zip(src) {
                *yi += wm * xi;
            }
        }
    }
    y
}

/// The largest sample of each positive lobe of `y` (from an upward zero crossing to the next
/// downward one), refined by a parabola through it and its neighbours: (sample, value).
/// A lobe still open at the end of the signal is not a complete contact and is left out.
fn lobe_maxima(y: &[f64]) -> Vec<(f64, f64)> {
    let mut out = Vec::new();
    let mut best: Option<usize> = None;
    for i in 0..y.len() {
        if y[i] > 0.0 {
            if best.is_none_or(|b| y[i] > y[b]) {
                best = Some(i);
            }
        } else if let Some(b) = best.take() {
            out.push(refine(y, b));
        }
    }
    out
}

/// Parabolic interpolation of the maximum at sample `i`.
fn refine(y: &[f64], i: usize) -> (f64, f64) {
    if i == 0 || i + 1 >= y.len() {
        return (i as f64, y[i]);
    }
    let (a, b, c) = (y[i - 1], y[i], y[i + 1]);
    let den = a - 2.0 * b + c;
    if !(den < 0.0) {
        return (i as f64, b);
    }
    let d = (0.5 * (a - c) / den).clamp(-0.5, 0.5);
    (i as f64 + d, b - 0.25 * (a - c) * d)
}

/// Standard deviation of `x` over `[i − half, i + half]` (truncated at the ends), by prefix
/// sums in O(n).
fn centred_sd(x: &[f64], half: usize) -> Vec<f64> {
    let n = x.len();
    let (mut s1, mut s2) = (vec![0.0; n + 1], vec![0.0; n + 1]);
    for i in 0..n {
        s1[i + 1] = s1[i] + x[i];
        s2[i + 1] = s2[i] + x[i] * x[i];
    }
    (0..n)
        .map(|i| {
            let a = i.saturating_sub(half);
            let b = (i + half + 1).min(n);
            let m = (b - a) as f64;
            let mean = (s1[b] - s1[a]) / m;
            ((s2[b] - s2[a]) / m - mean * mean).max(0.0).sqrt()
        })
        .collect()
}

/// Whether any sample of `mask` within ±`half` of a sample is set (prefix counts: O(1) per
/// query).
fn near_mask(mask: &[bool], half: usize) -> impl Fn(usize) -> bool + '_ {
    let mut before = Vec::with_capacity(mask.len() + 1);
    before.push(0usize);
    for &m in mask {
        before.push(before[before.len() - 1] + usize::from(m));
    }
    move |i| {
        let a = i.saturating_sub(half).min(mask.len());
        let b = (i + half + 1).min(mask.len());
        before[b] > before[a]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::f64::consts::PI;

    /// Standing (noise only), walking at `spm` with a vertical step oscillation of 0.15 g and
    /// a stride component of 0.04 g (left/right asymmetry), standing again: `(signal, contact
    /// times)`, contacts at the steepest rise of the step oscillation.
    fn stand_walk_stand(fs: f64, spm: f64, stand_s: f64, walk_s: f64) -> (Vec<f64>, Vec<f64>) {
        let mut rng = crate::rng::Rng::new(11);
        let f = spm / 60.0;
        let n = ((2.0 * stand_s + walk_s) * fs) as usize;
        let v = (0..n)
            .map(|i| {
                let t = i as f64 / fs;
                let w = t - stand_s;
                let gait = if (0.0..walk_s).contains(&w) {
                    // Both components rise fastest at w = k/f.
                    0.15 * (2.0 * PI * f * w).sin() + 0.04 * (PI * f * w).sin()
                } else {
                    0.0
                };
                gait + 0.003 * rng.normal()
            })
            .collect();
        let steps = (0..)
            .map(|k| stand_s + k as f64 / f)
            .take_while(|t| *t < stand_s + walk_s)
            .collect();
        (v, steps)
    }

    #[test]
    fn gaussian_derivative_is_the_slope() {
        let fs = Hertz(50.0);
        // A ramp of 0.3 per second, and a sine whose derivative is known.
        let ramp: Vec<f64> = (0..500).map(|i| 0.3 * i as f64 / fs.0).collect();
        let d = gaussian_derivative(&ramp, fs, SIGMA_S);
        assert!((d[250] - 0.3).abs() < 1e-12, "{}", d[250]);
        let f = 1.5;
        let x: Vec<f64> = (0..500)
            .map(|i| (2.0 * PI * f * i as f64 / fs.0).sin())
            .collect();
        let d = gaussian_derivative(&x, fs, SIGMA_S);
        // Smoothing scales a sine's derivative by exp(−2π²f²σ²).
        let gain = 2.0 * PI * f * (-2.0 * PI * PI * f * f * SIGMA_S * SIGMA_S).exp();
        for i in (100..400).step_by(37) {
            let expected = gain * (2.0 * PI * f * i as f64 / fs.0).cos();
            assert!(
                (d[i] - expected).abs() < 0.01,
                "{i}: {} vs {expected}",
                d[i]
            );
        }
    }

    #[test]
    fn walking_between_standing_gives_its_steps_and_cadence() {
        let fs = 100.0;
        let (v, truth) = stand_walk_stand(fs, 100.0, 10.0, 20.0);
        let steps = walking_steps(&v, Hertz(fs), &vec![false; v.len()]);
        // Every contact found and none while standing.
        assert!(
            (steps.len() as i64 - truth.len() as i64).abs() <= 1,
            "{} vs {}",
            steps.len(),
            truth.len()
        );
        // Away from the onset and the end of the walk, where the synthetic signal jumps.
        for s in steps
            .iter()
            .filter(|s| (10.5..29.0).contains(&(s.index / fs)))
        {
            let t = s.index / fs;
            let err = truth
                .iter()
                .map(|r| (r - t).abs())
                .fold(f64::INFINITY, f64::min);
            assert!(
                err < 0.01,
                "contact at {t:.2} s is {err:.3} s from the truth"
            );
            let c = 60.0 / s.step_time_s.unwrap();
            assert!((c - 100.0).abs() < 1.0, "{c}");
        }
        assert_eq!(steps.last().unwrap().step_time_s, None);
    }

    #[test]
    fn any_sampling_rate_gives_the_same_contacts() {
        let (v100, _) = stand_walk_stand(100.0, 110.0, 5.0, 15.0);
        let base = walking_steps(&v100, Hertz(100.0), &vec![false; v100.len()]);
        for fs in [25.0, 60.0, 1000.0] {
            let (v, _) = stand_walk_stand(fs, 110.0, 5.0, 15.0);
            let s = walking_steps(&v, Hertz(fs), &vec![false; v.len()]);
            assert_eq!(s.len(), base.len(), "{fs} Hz");
            for (a, b) in s.iter().zip(&base) {
                assert!((a.index / fs - b.index / 100.0).abs() < 0.02, "{fs} Hz");
            }
        }
    }

    #[test]
    fn running_standing_and_short_signals_give_no_walking() {
        let fs = 100.0;
        let (v, _) = stand_walk_stand(fs, 100.0, 10.0, 20.0);
        assert!(walking_steps(&v, Hertz(fs), &vec![true; v.len()]).is_empty());
        let (still, _) = stand_walk_stand(fs, 100.0, 30.0, 0.0);
        assert!(walking_steps(&still, Hertz(fs), &vec![false; still.len()]).is_empty());
        assert!(walking_steps(&v[..10], Hertz(fs), &[false; 10]).is_empty());
        assert!(walking_steps(&[], Hertz(fs), &[]).is_empty());
    }

    #[test]
    fn two_steps_are_not_a_walk_but_a_pause_inside_one_is_kept() {
        let rate = Hertz(50.0);
        // Candidates every 0.6 s with a 1.3 s pause in the middle, then a lone pair.
        let mut c: Vec<(f64, f64)> = [0.0, 0.6, 1.2, 1.8, 3.1, 3.7, 4.3, 10.0, 10.6]
            .iter()
            .map(|t| (t * rate.0, 0.3))
            .collect();
        // Standing sway at the end of the walk: weak, trimmed.
        c.insert(7, (4.9 * rate.0, 0.02));
        let s = sequences(&c, rate);
        assert_eq!(s.len(), 7, "{s:?}");
        // The pause keeps the bout but is not a step.
        assert_eq!(s[3].step_time_s, None);
        assert!((s[0].step_time_s.unwrap() - 0.6).abs() < 1e-9);
        assert!((s[4].index / rate.0 - 3.1).abs() < 1e-9);
    }

    /// The per-output sum [`convolve_held`] replaces.
    fn convolve_by_output(x: &[f64], w: &[f64], half: usize) -> Vec<f64> {
        let last = x.len().saturating_sub(1);
        (0..x.len())
            .map(|i| {
                w.iter()
                    .enumerate()
                    .map(|(m, &k)| k * x[(i + half).saturating_sub(m).min(last)])
                    .sum()
            })
            .collect()
    }

    proptest::proptest! {
        /// Any signal (shorter or longer than the kernel) and any kernel: the bits of the
        /// per-output sum, edges held.
        #[test]
        fn the_tap_major_convolution_is_the_per_output_sum(
            x in proptest::collection::vec(-5.0f64..5.0, 0..120),
            half in 0usize..12,
            seed in 0.1f64..3.0,
        ) {
            let w: Vec<f64> = (0..=2 * half).map(|m| (seed * m as f64).sin() - 0.3).collect();
            let got: Vec<u64> = convolve_held(&x, &w, half).iter().map(|v| v.to_bits()).collect();
            let want: Vec<u64> = convolve_by_output(&x, &w, half).iter().map(|v| v.to_bits()).collect();
            proptest::prop_assert_eq!(got, want);
        }
    }
}
