//! Dominant frequency of a periodic signal: the cadence of a run from its spectrum.
//!
//! Method (methods notes §2.1, after the spectral step-frequency estimators of Zijlstra & Hof
//! 2003 and the skdh/GaitPy step-band peak): remove the mean, apply a Hann window, zero-pad to
//! at least 8× the window length, take the power spectrum with rustfft, pick the largest bin
//! inside the search band and refine it with parabolic interpolation over the three bins
//! around the peak (`δ = ½(y₋₁ − y₊₁)/(y₋₁ − 2y₀ + y₊₁)` bins). Long recordings are analysed
//! in 10 s windows with 50 % overlap, giving one estimate per window.

use crate::units::Hertz;
use rustfft::FftPlanner;
use rustfft::num_complex::Complex;
use std::f64::consts::PI;

/// The strongest spectral line in a band.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Peak {
    /// Frequency, Hz (interpolated).
    pub freq_hz: f64,
    /// Power of the peak bin over the mean power in the band (how clearly periodic).
    pub prominence: f64,
    /// Power at the peak (arbitrary units, comparable within one window).
    pub power: f64,
}

/// Power spectrum of one window (Hann, mean removed, zero-padded ×8) and its bin width.
pub struct Spectrum {
    /// Power per bin, bins 0..=N/2.
    pub power: Vec<f64>,
    /// Hz per bin.
    pub bin_hz: f64,
}

/// Compute the power spectrum of `x` sampled at `fs`.
pub fn power_spectrum(planner: &mut FftPlanner<f64>, x: &[f64], fs: Hertz) -> Spectrum {
    SpectrumBuffers::default().power_spectrum(planner, x, fs)
}

/// The Hann window, FFT buffer and FFT scratch of [`power_spectrum`], kept from one window
/// to the next of a windowed analysis (the same numbers as [`power_spectrum`], without
/// recomputing the window's cosines or allocating per window).
#[derive(Default)]
pub struct SpectrumBuffers {
    /// Hann weights for windows of `hann.len()` samples.
    hann: Vec<f64>,
    /// The zero-padded, windowed signal, then its transform.
    buf: Vec<Complex<f64>>,
    /// FFT scratch.
    scratch: Vec<Complex<f64>>,
}

impl SpectrumBuffers {
    /// [`power_spectrum`] of `x` sampled at `fs`, in these buffers.
    pub fn power_spectrum(
        &mut self,
        planner: &mut FftPlanner<f64>,
        x: &[f64],
        fs: Hertz,
    ) -> Spectrum {
        let n = x.len().max(1);
        let nfft = (8 * n).next_power_of_two();
        if self.hann.len() != x.len() {
            self.hann = (0..x.len())
                .map(|i| 0.5 - 0.5 * (2.0 * PI * i as f64 / (n.max(2) - 1) as f64).cos())
                .collect();
        }
        let mean = x.iter().sum::<f64>() / n as f64;
        self.buf.clear();
        self.buf.extend(
            x.iter()
                .zip(&self.hann)
                .map(|(&v, &w)| Complex::new((v - mean) * w, 0.0)),
        );
        self.buf.resize(nfft, Complex::new(0.0, 0.0));
        let fft = planner.plan_fft_forward(nfft);
        self.scratch
            .resize(fft.get_inplace_scratch_len(), Complex::new(0.0, 0.0));
        fft.process_with_scratch(&mut self.buf, &mut self.scratch);
        let power = self.buf[..=nfft / 2].iter().map(|c| c.norm_sqr()).collect();
        Spectrum {
            power,
            bin_hz: fs.0 / nfft as f64,
        }
    }
}

impl Spectrum {
    /// The strongest line in `[lo_hz, hi_hz]`.
    pub fn peak(&self, lo_hz: f64, hi_hz: f64) -> Option<Peak> {
        let lo = ((lo_hz / self.bin_hz).ceil() as usize).max(1);
        let hi = ((hi_hz / self.bin_hz).floor() as usize).min(self.power.len().saturating_sub(2));
        if lo >= hi {
            return None;
        }
        let band = &self.power[lo..=hi];
        let (k, &p) = band.iter().enumerate().max_by(|a, b| a.1.total_cmp(b.1))?;
        if !(p > 0.0) {
            return None;
        }
        let mean = band.iter().sum::<f64>() / band.len() as f64;
        let i = lo + k;
        let (a, b, c) = (self.power[i - 1], self.power[i], self.power[i + 1]);
        let den = a - 2.0 * b + c;
        let delta = if den.abs() > 0.0 {
            (0.5 * (a - c) / den).clamp(-0.5, 0.5)
        } else {
            0.0
        };
        Some(Peak {
            freq_hz: (i as f64 + delta) * self.bin_hz,
            prominence: p / mean.max(f64::MIN_POSITIVE),
            power: p,
        })
    }

    /// Power at a frequency (nearest bin), for harmonic checks.
    pub fn power_at(&self, f_hz: f64) -> f64 {
        let i = (f_hz / self.bin_hz).round() as usize;
        // The largest of the three bins around it, so interpolation error does not matter.
        (i.saturating_sub(1)..=(i + 1).min(self.power.len() - 1))
            .map(|j| self.power[j])
            .fold(0.0, f64::max)
    }
}

/// One windowed estimate.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WindowPeak {
    /// Window start, s from the start of `x`.
    pub start_s: f64,
    /// Window length, s.
    pub len_s: f64,
    /// The peak.
    pub peak: Peak,
}

/// Sample ranges `[start, end)` of windows of `window_s` with 50 % overlap over `n` samples
/// (the last one flush with the end; one window covering everything when `n` is shorter
/// than a window; none below 8 samples).
pub fn windows(n: usize, fs: Hertz, window_s: f64) -> Vec<(usize, usize)> {
    let w = ((window_s * fs.0).round() as usize).max(8);
    if n < 8 {
        return Vec::new();
    }
    if n <= w {
        return vec![(0, n)];
    }
    let mut v: Vec<(usize, usize)> = (0..=(n - w)).step_by(w / 2).map(|s| (s, s + w)).collect();
    if let Some(&(last, _)) = v.last() {
        if last + w < n {
            v.push((n - w, n));
        }
    }
    v
}

/// Peaks of `x` in `[lo_hz, hi_hz]` on windows of `window_s` with 50 % overlap (one window
/// covering everything when `x` is shorter than a window).
pub fn windowed_peaks(
    x: &[f64],
    fs: Hertz,
    window_s: f64,
    lo_hz: f64,
    hi_hz: f64,
) -> Vec<WindowPeak> {
    let mut planner = FftPlanner::new();
    let mut buffers = SpectrumBuffers::default();
    let mut out = Vec::new();
    for (s, e) in windows(x.len(), fs, window_s) {
        let spec = buffers.power_spectrum(&mut planner, &x[s..e], fs);
        if let Some(peak) = spec.peak(lo_hz, hi_hz) {
            out.push(WindowPeak {
                start_s: s as f64 / fs.0,
                len_s: (e - s) as f64 / fs.0,
                peak,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_a_sine_between_bins() {
        let fs = Hertz(100.0);
        for &f in &[1.9, 2.713, 3.05] {
            let x: Vec<f64> = (0..1000)
                .map(|i| (2.0 * PI * f * i as f64 / 100.0).sin())
                .collect();
            let p = windowed_peaks(&x, fs, 10.0, 1.0, 4.0);
            assert_eq!(p.len(), 1);
            assert!((p[0].peak.freq_hz - f).abs() < 0.005, "{f}: {:?}", p[0]);
        }
    }

    #[test]
    fn windows_follow_a_changing_rate() {
        let fs = Hertz(50.0);
        // 30 s at 2.5 Hz then 30 s at 3.0 Hz (phase-continuous).
        let mut ph = 0.0;
        let x: Vec<f64> = (0..3000)
            .map(|i| {
                let f = if i < 1500 { 2.5 } else { 3.0 };
                ph += 2.0 * PI * f / 50.0;
                ph.sin()
            })
            .collect();
        let p = windowed_peaks(&x, fs, 10.0, 1.0, 4.0);
        assert!((p[0].peak.freq_hz - 2.5).abs() < 0.01);
        assert!((p.last().unwrap().peak.freq_hz - 3.0).abs() < 0.01);
    }

    #[test]
    fn noise_only_is_not_prominent() {
        let mut r = crate::rng::Rng::new(3);
        let x: Vec<f64> = (0..1000).map(|_| r.normal()).collect();
        let p = windowed_peaks(&x, Hertz(100.0), 10.0, 1.0, 4.0);
        assert!(p[0].peak.prominence < 15.0, "{:?}", p[0]);
    }

    /// The one-window spectrum as it was before the buffers were kept.
    fn reference_spectrum(planner: &mut FftPlanner<f64>, x: &[f64], fs: Hertz) -> Spectrum {
        let n = x.len().max(1);
        let nfft = (8 * n).next_power_of_two();
        let mean = x.iter().sum::<f64>() / n as f64;
        let mut buf: Vec<Complex<f64>> = Vec::with_capacity(nfft);
        for (i, &v) in x.iter().enumerate() {
            let w = 0.5 - 0.5 * (2.0 * PI * i as f64 / (n.max(2) - 1) as f64).cos();
            buf.push(Complex::new((v - mean) * w, 0.0));
        }
        buf.resize(nfft, Complex::new(0.0, 0.0));
        planner.plan_fft_forward(nfft).process(&mut buf);
        let power = buf[..=nfft / 2].iter().map(|c| c.norm_sqr()).collect();
        Spectrum {
            power,
            bin_hz: fs.0 / nfft as f64,
        }
    }

    /// Spectra from reused buffers over windows of changing length are those of the
    /// one-window reference, bit for bit.
    #[test]
    fn reused_buffers_give_the_same_spectra() {
        let x: Vec<f64> = (0..900)
            .map(|i| (0.21 * i as f64).sin() + 0.01 * i as f64)
            .collect();
        let mut planner = FftPlanner::new();
        let mut buffers = SpectrumBuffers::default();
        for (a, b) in [(0, 500), (250, 750), (400, 900), (10, 13), (0, 1), (0, 500)] {
            let fresh = reference_spectrum(&mut planner, &x[a..b], Hertz(50.0));
            let reused = buffers.power_spectrum(&mut planner, &x[a..b], Hertz(50.0));
            let bits = |s: &Spectrum| s.power.iter().map(|p| p.to_bits()).collect::<Vec<_>>();
            assert_eq!(bits(&fresh), bits(&reused), "{a}..{b}");
            assert_eq!(fresh.bin_hz, reused.bin_hz);
        }
    }
}
