//! Zero-phase Butterworth filters and integration.
//!
//! Filters are designed with sci-rs `butter_dyn` as second-order sections (SciPy's
//! `butter(..., output='sos')`) and applied forward and backward by [`sosfiltfilt`], SciPy's
//! `sosfiltfilt` algorithm (Gustafsson's forward–backward filtering with odd-extension
//! padding of 3·(2·sections + 1) samples and steady-state initial conditions from
//! `sosfilt_zi`). It gives the same output as sci-rs `sosfiltfilt_dyn` (which matches SciPy
//! to 12 decimals, methods notes §0.5; a unit test holds ours to sci-rs) but works in one
//! buffer of n + 2·pad samples instead of five, which matters for hour-long 1 kHz files.
//! Zero-phase filtering doubles the order and squares |H|, so the cut-off is the −6 dB point.

use crate::units::Hertz;
use sci_rs::signal::filter::design::{
    DigitalFilter, FilterBandType, FilterOutputType, Sos, butter_dyn,
};

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
    sosfiltfilt(x, &sos)
}

/// Steady-state initial conditions of a cascade for a unit step input (SciPy `sosfilt_zi`):
/// per section `lfilter_zi` — the solution of (I − Aᵀ)·zi = b[1..] − a[1..]·b₀ for the
/// transposed direct form II state — scaled by the DC gain of the sections before it.
fn sosfilt_zi(sos: &[Sos<f64>]) -> Vec<[f64; 2]> {
    let mut scale = 1.0;
    sos.iter()
        .map(|s| {
            let (b, a) = (
                s.b.map(|v| v / s.a[0]),
                [1.0, s.a[1] / s.a[0], s.a[2] / s.a[0]],
            );
            let (r0, r1) = (b[1] - a[1] * b[0], b[2] - a[2] * b[0]);
            // (1 + a1)·z0 − z1 = r0 and a2·z0 + z1 = r1.
            let z0 = (r0 + r1) / (1.0 + a[1] + a[2]);
            let z = [scale * z0, scale * (r1 - a[2] * z0)];
            scale *= b.iter().sum::<f64>() / a.iter().sum::<f64>();
            z
        })
        .collect()
}

/// One pass of a cascade of second-order sections (transposed direct form II) over
/// `buf[i]` in the order of `idx`, in place, starting from the states `zi · x_first`.
fn sosfilt_in_place(
    buf: &mut [f64],
    sos: &[Sos<f64>],
    zi: &[[f64; 2]],
    idx: impl Iterator<Item = usize>,
    first: f64,
) {
    let coef: Vec<[f64; 5]> = sos
        .iter()
        .map(|s| {
            let a0 = s.a[0];
            [
                s.b[0] / a0,
                s.b[1] / a0,
                s.b[2] / a0,
                s.a[1] / a0,
                s.a[2] / a0,
            ]
        })
        .collect();
    let mut st: Vec<[f64; 2]> = zi.iter().map(|z| [z[0] * first, z[1] * first]).collect();
    for i in idx {
        let mut x = buf[i];
        for (c, z) in coef.iter().zip(st.iter_mut()) {
            let y = c[0] * x + z[0];
            z[0] = c[1] * x - c[3] * y + z[1];
            z[1] = c[2] * x - c[4] * y;
            x = y;
        }
        buf[i] = x;
    }
}

/// Zero-phase forward–backward filtering by second-order sections (SciPy `sosfiltfilt`
/// with its default odd padding). `None` when `x` is not longer than the padding.
pub fn sosfiltfilt(x: &[f64], sos: &[Sos<f64>]) -> Option<Vec<f64>> {
    let n = x.len();
    let zeros = sos
        .iter()
        .filter(|s| s.b[2] == 0.0)
        .count()
        .min(sos.iter().filter(|s| s.a[2] == 0.0).count());
    let pad = 3 * (2 * sos.len() + 1 - zeros);
    if n <= pad || sos.is_empty() {
        return None;
    }
    // Odd extension: 2·x₀ − x[pad..1] before, 2·x_{n−1} − x[n−2..n−2−pad] after.
    let mut buf = Vec::with_capacity(n + 2 * pad);
    buf.extend((1..=pad).rev().map(|k| 2.0 * x[0] - x[k]));
    buf.extend_from_slice(x);
    buf.extend((0..pad).map(|k| 2.0 * x[n - 1] - x[n - 2 - k]));
    let zi = sosfilt_zi(sos);
    let m = buf.len();
    let first = buf[0];
    sosfilt_in_place(&mut buf, sos, &zi, 0..m, first);
    let last = buf[m - 1];
    sosfilt_in_place(&mut buf, sos, &zi, (0..m).rev(), last);
    buf.truncate(pad + n);
    buf.drain(..pad);
    Some(buf)
}

/// Low-pass, or the input unchanged when the cut-off is at or above Nyquist.
pub fn lowpass_or_same(x: &[f64], fs: Hertz, order: usize, cutoff_hz: f64) -> Vec<f64> {
    zero_phase(x, fs, order, Band::Low(cutoff_hz)).unwrap_or_else(|| x.to_vec())
}

/// Block means of `k` samples: a boxcar anti-alias filter with nulls at multiples of fs/k,
/// then decimation by `k` (output sample j stands for input sample j·k + (k − 1)/2; a
/// trailing partial block is dropped).
pub fn block_mean(x: &[f64], k: usize) -> Vec<f64> {
    x.chunks_exact(k)
        .map(|c| c.iter().sum::<f64>() / k as f64)
        .collect()
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
    fn sosfiltfilt_matches_sci_rs() {
        // Low-, high- and band-pass designs, short and long signals, an odd-order design.
        let x: Vec<f64> = (0..5000)
            .map(|i| {
                let t = i as f64 / 200.0;
                (2.0 * PI * 1.7 * t).sin() + 0.3 * (2.0 * PI * 31.0 * t).cos() + 0.01 * t
            })
            .collect();
        for (order, band) in [
            (4, Band::Low(20.0)),
            (2, Band::High(0.5)),
            (4, Band::Pass(0.25, 7.5)),
            (3, Band::Low(5.0)),
        ] {
            let sos = design(order, band, Hertz(200.0)).unwrap();
            for len in [40, 1000, 5000] {
                let theirs = sci_rs::signal::filter::sosfiltfilt_dyn(x[..len].iter(), &sos);
                let ours = sosfiltfilt(&x[..len], &sos).unwrap();
                assert_eq!(ours.len(), len);
                let worst = ours
                    .iter()
                    .zip(&theirs)
                    .map(|(a, b)| (a - b).abs())
                    .fold(0.0, f64::max);
                assert!(worst < 1e-9, "{band:?} order {order} n {len}: {worst}");
            }
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
