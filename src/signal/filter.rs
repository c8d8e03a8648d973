//! Zero-phase Butterworth filters and integration.
//!
//! Filters are designed with sci-rs `butter_dyn` as second-order sections and applied forward
//! and backward with `sosfiltfilt_dyn`, which matches SciPy's `butter(..., output='sos')` +
//! `sosfiltfilt` (odd padding) to 12 decimals (methods notes §0.5). Zero-phase filtering
//! doubles the order and squares |H|, so the cut-off is the −6 dB point.

use crate::units::Hertz;
use sci_rs::signal::filter::design::{
    DigitalFilter, FilterBandType, FilterOutputType, Sos, butter_dyn,
};
use sci_rs::signal::filter::sosfiltfilt_dyn;

/// The pass band of a filter.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Band {
    /// Keep below the cut-off, Hz.
    Low(f64),
    /// Keep above the cut-off, Hz.
    High(f64),
    /// Keep between the two cut-offs, Hz.
    Pass(f64, f64),
}

fn design(order: usize, band: Band, fs: Hertz) -> Option<Vec<Sos<f64>>> {
    let nyq = fs.0 / 2.0;
    let ok = |f: f64| f > 0.0 && f < nyq * 0.98;
    let (wn, bt) = match band {
        Band::Low(f) if ok(f) => (vec![f], FilterBandType::Lowpass),
        Band::High(f) if ok(f) => (vec![f], FilterBandType::Highpass),
        Band::Pass(a, b) if ok(a) && ok(b) && a < b => (vec![a, b], FilterBandType::Bandpass),
        _ => return None,
    };
    match butter_dyn(
        order,
        wn,
        Some(bt),
        Some(false),
        Some(FilterOutputType::Sos),
        Some(fs.0),
    ) {
        DigitalFilter::Sos(s) => Some(s.sos),
        _ => None,
    }
}

/// Zero-phase Butterworth filter of `order` (per pass) on `x` sampled at `fs`.
///
/// Returns `None` when the band is not realisable at this rate (a cut-off at or above
/// Nyquist) or the signal is too short for the edge padding (3 × (2·sections + 1) samples,
/// as SciPy). A low-pass above Nyquist is a no-op, so callers may treat `None` for
/// [`Band::Low`] as "unfiltered".
pub fn zero_phase(x: &[f64], fs: Hertz, order: usize, band: Band) -> Option<Vec<f64>> {
    let sos = design(order, band, fs)?;
    let padlen = 3 * (2 * sos.len() + 1);
    if x.len() <= padlen {
        return None;
    }
    Some(sosfiltfilt_dyn(x.iter(), &sos))
}

/// Low-pass, or the input unchanged when the cut-off is at or above Nyquist.
pub fn lowpass_or_same(x: &[f64], fs: Hertz, order: usize, cutoff_hz: f64) -> Vec<f64> {
    zero_phase(x, fs, order, Band::Low(cutoff_hz)).unwrap_or_else(|| x.to_vec())
}

/// Cumulative trapezoidal integral with `y[0] = 0`.
pub fn cumtrapz(x: &[f64], fs: Hertz) -> Vec<f64> {
    let h = 0.5 / fs.0;
    let mut out = Vec::with_capacity(x.len());
    let mut acc = 0.0;
    for (i, &v) in x.iter().enumerate() {
        if i > 0 {
            acc += h * (x[i - 1] + v);
        }
        out.push(acc);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::f64::consts::PI;

    fn sine(f: f64, fs: f64, n: usize) -> Vec<f64> {
        (0..n)
            .map(|i| (2.0 * PI * f * i as f64 / fs).sin())
            .collect()
    }

    fn rms(x: &[f64]) -> f64 {
        (x.iter().map(|v| v * v).sum::<f64>() / x.len() as f64).sqrt()
    }

    #[test]
    fn zero_phase_gain_is_squared_butterworth() {
        // |H|² of a zero-phase order-4 low-pass at f: 1 / (1 + (f/fc)^8).
        let fs = Hertz(100.0);
        for &f in &[2.0, 10.0, 20.0] {
            let x = sine(f, fs.0, 4000);
            let y = zero_phase(&x, fs, 4, Band::Low(10.0)).unwrap();
            let gain = rms(&y[500..3500]) / rms(&x[500..3500]);
            let expected = 1.0 / (1.0 + (f / 10.0f64).powi(8));
            assert!(
                (gain - expected).abs() < 0.01,
                "f={f}: {gain} vs {expected}"
            );
        }
    }

    #[test]
    fn zero_phase_has_no_lag() {
        let fs = Hertz(200.0);
        let x = sine(2.0, fs.0, 2000);
        let y = zero_phase(&x, fs, 4, Band::Low(20.0)).unwrap();
        // Peaks at the same samples.
        let peak = |v: &[f64]| {
            (1000..1100)
                .max_by(|&a, &b| v[a].partial_cmp(&v[b]).unwrap())
                .unwrap()
        };
        assert_eq!(peak(&x), peak(&y));
    }

    #[test]
    fn cumtrapz_of_a_cosine_is_a_sine() {
        let fs = Hertz(1000.0);
        let x: Vec<f64> = (0..1000)
            .map(|i| (2.0 * PI * i as f64 / 1000.0).cos())
            .collect();
        let y = cumtrapz(&x, fs);
        for i in (0..1000).step_by(97) {
            let expected = (2.0 * PI * i as f64 / 1000.0).sin() / (2.0 * PI);
            assert!((y[i] - expected).abs() < 1e-5);
        }
    }

    #[test]
    fn unrealisable_bands_and_short_signals_are_refused() {
        let x = vec![0.0; 100];
        assert!(zero_phase(&x, Hertz(50.0), 4, Band::Low(30.0)).is_none());
        assert!(zero_phase(&x[..10], Hertz(50.0), 4, Band::Low(5.0)).is_none());
        assert_eq!(lowpass_or_same(&x, Hertz(50.0), 4, 30.0), x);
    }
}
