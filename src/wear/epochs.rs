//! Five-second epochs of free-living wear, computed as the samples stream past, in constant
//! memory: how hard the sensor moves and whether it moves in a gait rhythm.
//!
//! **Magnitude.** Each sample's vector magnitude |a| (g) is averaged into 20 ms bins (a fixed
//! 50 Hz, whatever the sensor's rate: enough for step rhythms up to 5 Hz, and the same
//! features at 25 Hz and at 1 kHz); a bin no sample fell in repeats the previous bin. The
//! magnitude needs no orientation, so the features hold for any placement (van Hees et al.
//! 2013, PLoS ONE 8:e61691, for the use of |a| in free-living wrist data).
//!
//! **Per epoch** (5 s, GGIR's default epoch, van Hees et al. 2013), with the epoch's mean of
//! |a| removed (`d`):
//! * `sd_g`: the standard deviation of |a|, g: movement intensity (gravity-free, so it
//!   serves files with and without gravity alike).
//! * `enmo_g`: the Euclidean norm minus one, mean of max(|a| − 1, 0), g (van Hees 2013), when
//!   the file includes gravity.
//! * **Rhythm**: the unbiased, normalised autocorrelation of `d`,
//!   r(L) = Σ d[i]·d[i+L] / √(Σ d[i]² · Σ d[i+L]²) over the overlapping samples, at lags of
//!   0.24–1.4 s (Moe-Nilssen & Helbostad 2004, J Biomech 37:121: gait is regular from step
//!   to step and stride to stride, so r has a peak at the step or the stride period). The
//!   rhythm is the shortest-lag **local maximum** of r in that range within 90 % of the
//!   highest (a smooth, slow sway raises r at short lags without a peak, and is not a
//!   rhythm; a rhythm at P repeats at 2P), its lag the period. Epochs that
//!   barely move (`sd_g` under [`MOVING_SD_G`]) are not searched.

use crate::units::STANDARD_GRAVITY_MPS2 as G;

/// Width of a magnitude bin, s (50 Hz).
pub const BIN_S: f64 = 0.02;
/// Bins per epoch (5 s).
pub const EPOCH_BINS: usize = 250;
/// Epoch length, s.
pub const EPOCH_S: f64 = BIN_S * EPOCH_BINS as f64;
/// Below this SD of |a| an epoch is not searched for a rhythm, g.
pub const MOVING_SD_G: f64 = 0.05;
/// Shortest lag searched, bins (0.24 s: 250 steps/min).
const MIN_LAG: usize = 12;
/// Longest lag searched, bins (1.4 s: a slow walking stride).
const MAX_LAG: usize = 70;

/// The features of one epoch.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Epoch {
    /// Start, s on the stream's time axis.
    pub start_s: f64,
    /// Standard deviation of |a|, g.
    pub sd_g: f64,
    /// Mean of max(|a| − 1 g, 0), g.
    pub enmo_g: f64,
    /// The highest local maximum of the autocorrelation at 0.24–1.4 s (0 when none).
    pub rhythm: f64,
    /// Its lag, s (`None` when there is no rhythm).
    pub period_s: Option<f64>,
    /// Share of the epoch's bins that held a sample (0–1): gaps and the recording's edges.
    pub coverage: f64,
}

/// Streams samples into 20 ms bins and bins into epochs.
#[derive(Debug)]
pub struct EpochBuilder {
    /// Time of bin 0, s.
    origin_s: Option<f64>,
    /// Index of the bin being filled.
    bin: u64,
    sum_g: f64,
    count: u32,
    /// The current epoch's bins (|a|, g) and whether each held a sample.
    bins: Vec<f64>,
    filled: usize,
    last_g: f64,
    /// Epochs completed and not yet taken.
    ready: Vec<Epoch>,
}

impl Default for EpochBuilder {
    fn default() -> Self {
        EpochBuilder {
            origin_s: None,
            bin: 0,
            sum_g: 0.0,
            count: 0,
            bins: Vec::with_capacity(EPOCH_BINS),
            filled: 0,
            last_g: 1.0,
            ready: Vec::new(),
        }
    }
}

impl EpochBuilder {
    /// A builder whose epochs start at the first sample.
    pub fn new() -> Self {
        EpochBuilder::default()
    }

    /// Time of the start of the bin grid, s (the first sample's time), once known.
    pub fn origin_s(&self) -> Option<f64> {
        self.origin_s
    }

    /// Add one sample (time s, acceleration m/s²). Times that step back stay in the current
    /// bin; NaN samples are skipped.
    pub fn push(&mut self, t_s: f64, acc_mps2: [f64; 3]) {
        let [x, y, z] = acc_mps2;
        let g = (x * x + y * y + z * z).sqrt() / G;
        if !g.is_finite() || !t_s.is_finite() {
            return;
        }
        let origin = *self.origin_s.get_or_insert(t_s);
        let k = ((t_s - origin) / BIN_S).floor().max(0.0) as u64;
        while k > self.bin {
            self.close_bin();
        }
        self.sum_g += g;
        self.count += 1;
    }

    /// Close the bins up to the end of the stream (a last, partial epoch is kept when it
    /// holds at least one second).
    pub fn finish(&mut self) {
        if self.count > 0 {
            self.close_bin();
        }
        if self.bins.len() >= 50 {
            self.close_epoch();
        }
        self.bins.clear();
    }

    /// Take the epochs completed so far.
    pub fn take(&mut self) -> Vec<Epoch> {
        std::mem::take(&mut self.ready)
    }

    fn close_bin(&mut self) {
        let v = if self.count > 0 {
            self.filled += 1;
            self.sum_g / f64::from(self.count)
        } else {
            self.last_g
        };
        self.last_g = v;
        self.bins.push(v);
        self.sum_g = 0.0;
        self.count = 0;
        self.bin += 1;
        if self.bins.len() == EPOCH_BINS {
            self.close_epoch();
        }
    }

    fn close_epoch(&mut self) {
        let n = self.bins.len();
        let first_bin = self.bin - n as u64;
        let start_s = self.origin_s.unwrap_or(0.0) + first_bin as f64 * BIN_S;
        let mut e = features(&self.bins, start_s);
        e.coverage = self.filled as f64 / EPOCH_BINS as f64;
        self.ready.push(e);
        self.bins.clear();
        self.filled = 0;
    }
}

/// The features of one epoch's bins (|a| in g at 50 Hz), starting at `start_s`.
pub fn features(bins: &[f64], start_s: f64) -> Epoch {
    let n = bins.len().max(1) as f64;
    let mean = bins.iter().sum::<f64>() / n;
    let var = bins.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / n;
    let sd_g = var.sqrt();
    let enmo_g = bins.iter().map(|v| (v - 1.0).max(0.0)).sum::<f64>() / n;
    let (rhythm, period_s) = if sd_g >= MOVING_SD_G {
        let d: Vec<f64> = bins.iter().map(|v| v - mean).collect();
        rhythm_of(&d)
    } else {
        (0.0, None)
    };
    Epoch {
        start_s,
        sd_g,
        enmo_g,
        rhythm,
        period_s,
        coverage: 1.0,
    }
}

/// The rhythm: the shortest-lag local maximum (within 90 % of the highest) of the unbiased normalised autocorrelation of `d` at lags
/// [`MIN_LAG`]..=[`MAX_LAG`] bins, and its lag in seconds (parabolic interpolation between
/// neighbouring lags).
fn rhythm_of(d: &[f64]) -> (f64, Option<f64>) {
    let max_lag = MAX_LAG.min(d.len().saturating_sub(d.len() / 3));
    if max_lag <= MIN_LAG + 1 {
        return (0.0, None);
    }
    let r: Vec<f64> = (MIN_LAG - 1..=max_lag + 1)
        .map(|lag| autocorrelation(d, lag))
        .collect();
    // The local maxima; the first within 90 % of the highest (a signal periodic at P is
    // as periodic at 2P: the shortest period is the rhythm's).
    let peaks: Vec<(usize, f64)> = (1..r.len() - 1)
        .filter(|&i| r[i] > r[i - 1] && r[i] >= r[i + 1])
        .map(|i| (i, r[i]))
        .collect();
    let top = peaks.iter().map(|p| p.1).fold(f64::NEG_INFINITY, f64::max);
    let best = peaks.into_iter().find(|p| p.1 >= 0.9 * top);
    match best {
        Some((i, v)) if v > 0.0 => {
            let (a, b, c) = (r[i - 1], r[i], r[i + 1]);
            let den = a - 2.0 * b + c;
            let shift = if den.abs() > 1e-12 {
                (0.5 * (a - c) / den).clamp(-0.5, 0.5)
            } else {
                0.0
            };
            let lag = (MIN_LAG - 1 + i) as f64 + shift;
            (v, Some(lag * BIN_S))
        }
        _ => (0.0, None),
    }
}

/// r(L) = Σ d[i]·d[i+L] / √(Σ d[i]² · Σ d[i+L]²) over i < n − L (0 when either part is flat).
fn autocorrelation(d: &[f64], lag: usize) -> f64 {
    if lag >= d.len() {
        return 0.0;
    }
    let (a, b) = (&d[..d.len() - lag], &d[lag..]);
    let (mut ab, mut aa, mut bb) = (0.0, 0.0, 0.0);
    for (x, y) in a.iter().zip(b) {
        ab += x * y;
        aa += x * x;
        bb += y * y;
    }
    let den = (aa * bb).sqrt();
    if den > 0.0 { ab / den } else { 0.0 }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::f64::consts::PI;

    /// Epochs of |a| = 1 g + a sine of `amp_g` at `hz`, sampled at `fs`, along z.
    fn epochs_of(hz: f64, amp_g: f64, fs: f64, secs: f64) -> Vec<Epoch> {
        let mut b = EpochBuilder::new();
        let n = (secs * fs) as usize;
        for i in 0..n {
            let t = i as f64 / fs;
            let g = 1.0 + amp_g * (2.0 * PI * hz * t).sin();
            b.push(100.0 + t, [0.0, 0.0, g * G]);
        }
        b.finish();
        b.take()
    }

    #[test]
    fn a_sine_has_its_sd_and_its_period_at_any_rate() {
        for fs in [25.0, 100.0, 1000.0] {
            let e = epochs_of(2.8, 0.6, fs, 20.0);
            assert_eq!(e.len(), 4, "{fs} Hz");
            for ep in &e {
                // SD of a sine = amp/√2; 20 ms bin averaging lowers it by sinc(f·BIN_S) only
                // when several samples share a bin.
                let sd = 0.6 / 2f64.sqrt();
                assert!((ep.sd_g - sd).abs() < 0.03 * sd, "{fs} Hz: {}", ep.sd_g);
                let p = ep.period_s.unwrap();
                assert!((p - 1.0 / 2.8).abs() < 0.01, "{fs} Hz: period {p}");
                assert!(ep.rhythm > 0.9);
                assert!((ep.coverage - 1.0).abs() < 1e-9 || fs < 50.0);
            }
            assert!((e[1].start_s - 105.0).abs() < 1e-9);
        }
    }

    #[test]
    fn a_slow_sway_is_not_a_rhythm_and_stillness_is_not_searched() {
        // A 0.4 Hz sway (2.5 s period): r falls through the searched lags without a peak.
        let e = epochs_of(0.4, 0.1, 100.0, 10.0);
        assert!(e.iter().all(|ep| ep.period_s.is_none()), "{e:?}");
        let e = epochs_of(2.0, 0.01, 100.0, 10.0);
        assert!(e.iter().all(|ep| ep.rhythm == 0.0 && ep.sd_g < MOVING_SD_G));
    }

    #[test]
    fn white_noise_has_no_strong_rhythm() {
        let mut rng = crate::rng::Rng::new(3);
        let mut b = EpochBuilder::new();
        for i in 0..5000 {
            let g = 1.0 + 0.3 * rng.normal();
            b.push(i as f64 / 100.0, [0.0, g * G, 0.0]);
        }
        b.finish();
        for ep in b.take() {
            assert!(ep.rhythm < 0.4, "{ep:?}");
        }
    }

    #[test]
    fn a_gap_repeats_the_last_bin_and_lowers_coverage() {
        let mut b = EpochBuilder::new();
        for i in 0..250 {
            b.push(i as f64 / 100.0, [0.0, 0.0, G]);
        }
        b.push(4.99, [0.0, 0.0, G]);
        b.finish();
        let e = b.take();
        assert_eq!(e.len(), 1);
        assert!(
            (e[0].coverage - 126.0 / 250.0).abs() < 1e-9,
            "{}",
            e[0].coverage
        );
        assert!(e[0].sd_g < 1e-12);
    }
}
