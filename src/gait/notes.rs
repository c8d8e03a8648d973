//! Warnings about the signal itself: what preprocessing found (rate, clipping, resampling,
//! gaps, dead axes) and a recording without steps.

use super::Step;
use crate::recording::Warning;
use crate::signal::preprocess::Quality;
use crate::vocab::WarningCode;

/// Axis name of an axis index (0 = x; larger indices read as z).
fn axis_name(axis: usize) -> &'static str {
    ["x", "y", "z"][axis.min(2)]
}

/// The warnings preprocessing calls for, in report order: `low_sample_rate` (below 50 Hz),
/// `clipping` (the first clipped axis), `resampled`, `gaps`, `constant_axis` (one or two
/// dead axes; three constant axes are no signal at all and say nothing about a channel).
pub(super) fn quality_warnings(q: &Quality) -> Vec<Warning> {
    let fs = q.sample_rate_hz;
    let mut warnings = Vec::new();
    if fs < 50.0 {
        warnings.push(Warning::new(
            WarningCode::LowSampleRate,
            format!(
                "sampled at {fs:.0} Hz: contact and flight times need at least 50 Hz, so only cadence and vertical oscillation are reported"
            ),
        ));
    }
    if let Some(c) = q.clipping.first() {
        warnings.push(Warning::new(
            WarningCode::Clipping,
            format!(
                "the accelerometer saturated at ±{:.1} g ({} episodes on axis {}): braking peaks are withheld",
                c.full_scale_g,
                c.episodes,
                axis_name(c.axis)
            ),
        ));
    }
    if q.resampled {
        warnings.push(Warning::new(
            WarningCode::Resampled,
            format!(
                "irregular time stamps (jitter {:.1} %, {} backwards, {} repeated): resampled to a uniform {fs:.1} Hz grid",
                q.jitter_pct, q.backwards_stamps, q.repeated_stamps
            ),
        ));
    }
    if !q.gaps.is_empty() {
        warnings.push(Warning::new(
            WarningCode::SampleGaps,
            format!(
                "{} gap(s) in the samples split the recording into {} segment(s); no step is measured across a gap",
                q.gaps.len(),
                q.segments
            ),
        ));
    }
    if !q.constant_axes.is_empty() && q.constant_axes.len() < 3 {
        let axes: Vec<&str> = q.constant_axes.iter().map(|a| axis_name(*a)).collect();
        warnings.push(Warning::new(
            WarningCode::ConstantAxis,
            format!(
                "axis {} never changes (a dead or absent channel)",
                axes.join(", ")
            ),
        ));
    }
    warnings
}

/// `no_steps` when nothing was found. With a clear step rhythm in the spectrum
/// (`spectral_spm`, steps/min per window) the recording is not still: the warning says
/// that steps could not be separated, and at what rhythm.
pub(super) fn no_steps_warning(steps: &[Step], spectral_spm: &[f64]) -> Option<Warning> {
    if !steps.is_empty() {
        return None;
    }
    Some(match crate::stats::median_of_finite(spectral_spm) {
        Some(spm) => Warning::new(
            WarningCode::NoSteps,
            format!(
                "no steps could be separated although the signal holds a step rhythm of {spm:.0} steps/min: the recording is not still; check --placement and --sample-rate"
            ),
        ),
        None => Warning::new(
            WarningCode::NoSteps,
            "no steps were found: the recording looks still, or too short or irregular to hold a step",
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::signal::preprocess::Clipping;

    fn codes(w: &[Warning]) -> Vec<&'static str> {
        w.iter().map(|w| w.code.name()).collect()
    }

    #[test]
    fn a_clean_100_hz_signal_has_no_quality_warning() {
        let q = Quality {
            sample_rate_hz: 100.0,
            constant_axes: vec![0, 1, 2],
            ..Quality::default()
        };
        assert!(quality_warnings(&q).is_empty());
    }

    #[test]
    fn each_finding_gives_its_warning_in_report_order() {
        let q = Quality {
            sample_rate_hz: 25.0,
            clipping: vec![Clipping {
                axis: 2,
                full_scale_g: 8.0,
                episodes: 5,
            }],
            resampled: true,
            gaps: vec![(10.0, 3.0)],
            segments: 2,
            constant_axes: vec![0],
            ..Quality::default()
        };
        let w = quality_warnings(&q);
        assert_eq!(
            codes(&w),
            [
                "low_sample_rate",
                "clipping",
                "resampled",
                "sample_gaps",
                "constant_axis"
            ]
        );
        assert!(
            w[1].message
                .starts_with("the accelerometer saturated at ±8.0 g (5 episodes on axis z)")
        );
        assert!(
            w[3].message
                .starts_with("1 gap(s) in the samples split the recording into 2 segment(s)")
        );
        assert_eq!(
            w[4].message,
            "axis x never changes (a dead or absent channel)"
        );
    }

    #[test]
    fn no_steps_is_said_only_without_steps() {
        assert!(
            no_steps_warning(&[], &[])
                .unwrap()
                .message
                .contains("still")
        );
        let rhythm = no_steps_warning(&[], &[233.0]).unwrap();
        assert!(
            rhythm.message.contains("233 steps/min"),
            "{}",
            rhythm.message
        );
        assert!(!rhythm.message.contains("looks still"));
        assert!(no_steps_warning(&[Step::default()], &[233.0]).is_none());
    }
}
