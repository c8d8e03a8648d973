//! Is a `--sample-rate` plausible for the signal? A file without a time column is read at
//! the rate the user gives; a wrong rate scales every frequency by the same factor, so the
//! signal's rhythm moves out of the range of human gait.
//!
//! Walking and running lie at 60–300 steps/min (1–5 Hz; slow walking to sprinting), so a
//! gait signal's strongest rhythm — its step line, or its stride line (30–150 strides/min,
//! 0.5–2.5 Hz) for a limb — lies in 0.5–5 Hz. The strongest line of |a| (mean removed,
//! Hann, `signal::spectrum`) over the middle minute of the longest segment, searched in
//! 0.1 Hz–0.45 × the rate and standing out (prominence ≥ 10 over the band's mean power), is
//! that rhythm. Outside 0.5–5 Hz the rate is implausible for the signal: rates of
//! `r·0.5/f` to `r·5/f` would put it back in range (`r` the rate given, `f` the line at
//! it). No such line and no step found: the signal holds no rhythm at that rate.

use super::Step;
use crate::recording::{TimeSource, Warning};
use crate::signal::preprocess::Segment;
use crate::signal::spectrum::power_spectrum;
use crate::units::Hertz;
use crate::vocab::WarningCode;

/// The lowest and highest frequency of a gait rhythm (step or stride), Hz.
const GAIT_HZ: (f64, f64) = (0.5, 5.0);

/// What the signal's rhythm says about a given sampling rate.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum RateCheck {
    /// The time axis did not come from `--sample-rate`: nothing to check.
    NotGiven,
    /// The strongest line of |a|, Hz at the rate given, or `None` without one.
    Given(Option<f64>),
}

/// The strongest rhythm of the `longest` segment when its time axis came from
/// `--sample-rate` (`source`).
pub(super) fn check(source: TimeSource, longest: &Segment) -> RateCheck {
    if source != TimeSource::OverrideRate {
        return RateCheck::NotGiven;
    }
    let fs = longest.rate;
    let mag = super::placement::magnitude(&longest.acc_mps2);
    let win = ((60.0 * fs.0) as usize).min(mag.len());
    let a0 = (mag.len() - win) / 2;
    RateCheck::Given(strongest_hz(&mag[a0..a0 + win], fs))
}

/// The strongest line of `x` in 0.1 Hz–0.45 `fs` with a prominence of at least 10, Hz.
fn strongest_hz(x: &[f64], fs: Hertz) -> Option<f64> {
    if x.len() < 16 {
        return None;
    }
    let mut planner = rustfft::FftPlanner::new();
    let spec = power_spectrum(&mut planner, x, fs);
    spec.peak(0.1, 0.45 * fs.0)
        .filter(|p| p.prominence >= 10.0)
        .map(|p| p.freq_hz)
}

/// `sample_rate_implausible` when the rhythm at the given rate `rate_hz` lies outside
/// walking and running, or when there is neither a rhythm nor a step (module notes).
pub(super) fn warning(check: RateCheck, rate_hz: f64, steps: &[Step]) -> Option<Warning> {
    let RateCheck::Given(rhythm) = check else {
        return None;
    };
    // The rate as given (to the millihertz: the time axis rounds it a little).
    let given = (rate_hz * 1000.0).round() / 1000.0;
    let message = match rhythm {
        Some(f) if f < GAIT_HZ.0 || f > GAIT_HZ.1 => format!(
            "at --sample-rate {given} Hz the signal's strongest rhythm is {:.0} per minute ({f:.2} Hz), outside the 60–300 steps/min (30–150 strides/min) of walking and running; a rate of {:.0}–{:.0} Hz would put it in range: check the rate the file was recorded at",
            60.0 * f,
            rate_hz * GAIT_HZ.0 / f,
            rate_hz * GAIT_HZ.1 / f
        ),
        None if steps.is_empty() => format!(
            "at --sample-rate {given} Hz the signal holds no periodic rhythm at all: check the rate the file was recorded at (or the recording holds no walking or running)"
        ),
        _ => return None,
    };
    Some(Warning::new(WarningCode::SampleRateImplausible, message))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::f64::consts::PI;

    #[test]
    fn a_rhythm_outside_gait_names_the_rates_that_would_fit() {
        // 2.8 Hz steps recorded at 100 Hz but read at 25 Hz: 0.7 Hz… in range as a stride;
        // read at 10 Hz… 0.28 Hz: out, and 17.9–178.6 Hz would fit (100 Hz among them).
        let x: Vec<f64> = (0..600)
            .map(|i| (2.0 * PI * 0.28 * i as f64 / 10.0).sin())
            .collect();
        let f = strongest_hz(&x, Hertz(10.0)).unwrap();
        assert!((f - 0.28).abs() < 0.01, "{f}");
        let w = warning(RateCheck::Given(Some(f)), 10.0, &[]).unwrap();
        assert_eq!(w.code, WarningCode::SampleRateImplausible);
        assert!(w.message.contains("--sample-rate 10 Hz"), "{}", w.message);
        assert!(w.message.contains("17 per minute"), "{}", w.message);
        assert!(w.message.contains("18–179 Hz"), "{}", w.message);
        // In range as a step or a stride: no warning.
        assert!(warning(RateCheck::Given(Some(2.8)), 100.0, &[]).is_none());
        assert!(warning(RateCheck::Given(Some(0.7)), 25.0, &[]).is_none());
        let w = warning(RateCheck::Given(Some(11.32)), 400.0000000000085, &[]).unwrap();
        assert!(
            w.message.starts_with("at --sample-rate 400 Hz"),
            "{}",
            w.message
        );
        // A file with a time column is never questioned.
        assert!(warning(RateCheck::NotGiven, 10.0, &[]).is_none());
    }

    #[test]
    fn no_rhythm_and_no_step_is_said() {
        let mut r = crate::rng::Rng::new(5);
        let noise: Vec<f64> = (0..3000).map(|_| r.normal()).collect();
        assert_eq!(strongest_hz(&noise, Hertz(50.0)), None);
        let w = warning(RateCheck::Given(None), 50.0, &[]).unwrap();
        assert!(w.message.contains("no periodic rhythm"), "{}", w.message);
        assert!(warning(RateCheck::Given(None), 50.0, &[Step::default()]).is_none());
    }
}
