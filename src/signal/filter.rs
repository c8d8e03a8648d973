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

/// The coefficients of each section normalised by `a0`: `[b0, b1, b2, a1, a2]`.
fn normalised(sos: &[Sos<f64>]) -> Vec<[f64; 5]> {
    sos.iter()
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
        .collect()
}

/// One pass of `L` cascades of second-order sections (transposed direct form II), one per
/// lane, over `bufs[l][i]` in the order of `idx`, in place, each lane starting from its
/// states `zi · x_first`. `coef[s][l]` and `zi[s][l]` are section `s` of lane `l`; every
/// lane has the same number of sections.
///
/// Each lane gets exactly the operations of a one-lane pass, in the same order, so the
/// result is bit-identical to filtering the lanes one at a time. The lanes run in lockstep
/// because one cascade is bound by the latency of its recursion (each output needs the
/// previous state), which leaves the processor idle between steps: independent lanes fill
/// that time.
fn sosfilt_lanes<const L: usize>(
    bufs: &mut [Vec<f64>; L],
    coef: &[[[f64; 5]; L]],
    zi: &[[[f64; 2]; L]],
    idx: impl Iterator<Item = usize>,
    first: [f64; L],
) {
    let mut st: Vec<[[f64; 2]; L]> = zi
        .iter()
        .map(|z| std::array::from_fn(|l| [z[l][0] * first[l], z[l][1] * first[l]]))
        .collect();
    for i in idx {
        let mut x: [f64; L] = std::array::from_fn(|l| bufs[l][i]);
        for (c, z) in coef.iter().zip(st.iter_mut()) {
            for l in 0..L {
                let (c, z) = (&c[l], &mut z[l]);
                let y = c[0] * x[l] + z[0];
                z[0] = c[1] * x[l] - c[3] * y + z[1];
                z[1] = c[2] * x[l] - c[4] * y;
                x[l] = y;
            }
        }
        for l in 0..L {
            bufs[l][i] = x[l];
        }
    }
}

/// Odd-extension padding of SciPy's `sosfiltfilt` for `sos`: 3·(2·sections + 1), less the
/// sections whose `b2` and `a2` are zero (first-order ones).
fn padding(sos: &[Sos<f64>]) -> usize {
    let zeros = sos
        .iter()
        .filter(|s| s.b[2] == 0.0)
        .count()
        .min(sos.iter().filter(|s| s.a[2] == 0.0).count());
    3 * (2 * sos.len() + 1 - zeros)
}

/// `x` with its odd extension of `pad` samples each side: 2·x₀ − x[pad..1] before,
/// 2·x_{n−1} − x[n−2..n−2−pad] after (needs `x.len() > pad`).
fn odd_extended(x: &[f64], pad: usize) -> Vec<f64> {
    let n = x.len();
    let mut buf = Vec::with_capacity(n + 2 * pad);
    buf.extend((1..=pad).rev().map(|k| 2.0 * x[0] - x[k]));
    buf.extend_from_slice(x);
    buf.extend((0..pad).map(|k| 2.0 * x[n - 1] - x[n - 2 - k]));
    buf
}

/// Zero-phase forward–backward filtering by second-order sections (SciPy `sosfiltfilt`
/// with its default odd padding). `None` when `x` is not longer than the padding.
pub fn sosfiltfilt(x: &[f64], sos: &[Sos<f64>]) -> Option<Vec<f64>> {
    let [y] = sosfiltfilt_lanes([x], [sos]);
    y
}

/// [`sosfiltfilt`] of `L` signals at once, each by its own cascade: bit-identical to `L`
/// calls of [`sosfiltfilt`], and faster when the signals have the same length and their
/// cascades the same number of sections (they are then filtered in lockstep; otherwise one
/// by one). A lane is `None` as [`sosfiltfilt`] would give it.
pub fn sosfiltfilt_lanes<const L: usize>(
    xs: [&[f64]; L],
    sos: [&[Sos<f64>]; L],
) -> [Option<Vec<f64>>; L] {
    let (n, sections) = (xs[0].len(), sos[0].len());
    let lockstep = (0..L).all(|l| xs[l].len() == n && sos[l].len() == sections);
    if L > 1 && !lockstep {
        return std::array::from_fn(|l| sosfiltfilt(xs[l], sos[l]));
    }
    let pad = padding(sos[0]);
    if (0..L).any(|l| padding(sos[l]) != pad) {
        return std::array::from_fn(|l| sosfiltfilt(xs[l], sos[l]));
    }
    if n <= pad || sections == 0 {
        return std::array::from_fn(|_| None);
    }
    let mut bufs: [Vec<f64>; L] = std::array::from_fn(|l| odd_extended(xs[l], pad));
    let coefs: [Vec<[f64; 5]>; L] = std::array::from_fn(|l| normalised(sos[l]));
    let zis: [Vec<[f64; 2]>; L] = std::array::from_fn(|l| sosfilt_zi(sos[l]));
    let coef: Vec<[[f64; 5]; L]> = (0..sections)
        .map(|s| std::array::from_fn(|l| coefs[l][s]))
        .collect();
    let zi: Vec<[[f64; 2]; L]> = (0..sections)
        .map(|s| std::array::from_fn(|l| zis[l][s]))
        .collect();
    let m = n + 2 * pad;
    let first = std::array::from_fn(|l| bufs[l][0]);
    sosfilt_lanes(&mut bufs, &coef, &zi, 0..m, first);
    let last = std::array::from_fn(|l| bufs[l][m - 1]);
    sosfilt_lanes(&mut bufs, &coef, &zi, (0..m).rev(), last);
    bufs.map(|mut buf| {
        buf.truncate(pad + n);
        buf.drain(..pad);
        Some(buf)
    })
}

/// [`zero_phase`] of `L` signals sampled at `fs`, each with its own band, all of `order`:
/// the same results, filtered in lockstep ([`sosfiltfilt_lanes`]).
pub fn zero_phase_lanes<const L: usize>(
    xs: [&[f64]; L],
    fs: Hertz,
    order: usize,
    bands: [Band; L],
) -> [Option<Vec<f64>>; L] {
    let designs: [Option<Vec<Sos<f64>>>; L] = std::array::from_fn(|l| design(order, bands[l], fs));
    if designs.iter().any(|d| d.is_none()) {
        return std::array::from_fn(|l| designs[l].as_deref().and_then(|s| sosfiltfilt(xs[l], s)));
    }
    let sos: [&[Sos<f64>]; L] = std::array::from_fn(|l| designs[l].as_deref().unwrap_or(&[]));
    sosfiltfilt_lanes(xs, sos)
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

    /// The one-signal algorithm as it was before the lanes: the reference the lanes must
    /// reproduce bit for bit.
    fn reference_sosfiltfilt(x: &[f64], sos: &[Sos<f64>]) -> Option<Vec<f64>> {
        let n = x.len();
        let pad = padding(sos);
        if n <= pad || sos.is_empty() {
            return None;
        }
        let mut buf = odd_extended(x, pad);
        let coef = normalised(sos);
        let zi = sosfilt_zi(sos);
        let pass = |buf: &mut Vec<f64>, idx: &mut dyn Iterator<Item = usize>, first: f64| {
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
        };
        let m = buf.len();
        let first = buf[0];
        pass(&mut buf, &mut (0..m), first);
        let last = buf[m - 1];
        pass(&mut buf, &mut (0..m).rev(), last);
        Some(buf[pad..pad + n].to_vec())
    }

    fn bits(y: &Option<Vec<f64>>) -> Option<Vec<u64>> {
        y.as_ref().map(|v| v.iter().map(|x| x.to_bits()).collect())
    }

    #[test]
    fn lanes_are_bit_identical_to_filtering_one_signal_at_a_time() {
        let fs = Hertz(100.0);
        let x: Vec<f64> = (0..3000)
            .map(|i| (0.37 * i as f64).sin() + 0.2 * (2.9 * i as f64).cos() + 1e-3 * i as f64)
            .collect();
        let y: Vec<f64> = x.iter().rev().map(|v| 2.0 * v - 0.5).collect();
        let z: Vec<f64> = x.iter().map(|v| v * v).collect();
        // Lockstep: equal lengths and sections, different cut-offs.
        let bands = [Band::Low(20.0), Band::Low(30.0), Band::Low(10.0)];
        let got = zero_phase_lanes([&x, &y, &z], fs, 4, bands);
        for (l, (sig, band)) in [(&x, bands[0]), (&y, bands[1]), (&z, bands[2])]
            .iter()
            .enumerate()
        {
            let want = reference_sosfiltfilt(sig, &design(4, *band, fs).unwrap());
            assert_eq!(bits(&got[l]), bits(&want), "lane {l}");
        }
        // One by one: different lengths, different section counts, an unrealisable band.
        let short = &x[..500];
        let mixed = zero_phase_lanes(
            [&x, short, &z],
            fs,
            4,
            [Band::Low(20.0), Band::Pass(0.25, 7.5), Band::Low(60.0)],
        );
        let want0 = reference_sosfiltfilt(&x, &design(4, Band::Low(20.0), fs).unwrap());
        let want1 = reference_sosfiltfilt(short, &design(4, Band::Pass(0.25, 7.5), fs).unwrap());
        assert_eq!(bits(&mixed[0]), bits(&want0));
        assert_eq!(bits(&mixed[1]), bits(&want1));
        assert!(mixed[2].is_none());
        // Too short for the padding: every lane refused.
        let tiny = zero_phase_lanes([&x[..10], &y[..10]], fs, 4, [Band::Low(5.0); 2]);
        assert!(tiny.iter().all(|t| t.is_none()));
    }

    proptest::proptest! {
        /// Random signals through a band-pass and a low-pass of the same order in lockstep
        /// give the reference's bits.
        #[test]
        fn lanes_match_the_reference_on_random_signals(
            a in proptest::collection::vec(-20.0f64..20.0, 40..400),
            seed in 0u64..1000,
        ) {
            let b: Vec<f64> = a.iter().enumerate().map(|(i, v)| v * ((i as u64 + seed) % 7) as f64).collect();
            let fs = Hertz(200.0);
            let bands = [Band::Pass(0.5, 12.0), Band::High(1.0)];
            let got = zero_phase_lanes([&a, &b], fs, 2, bands);
            for l in 0..2 {
                let sig = if l == 0 { &a } else { &b };
                let want = reference_sosfiltfilt(sig, &design(2, bands[l], fs).unwrap());
                proptest::prop_assert_eq!(bits(&got[l]), bits(&want));
            }
        }
    }
}
