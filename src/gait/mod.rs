//! Stage 3, **gait** (raw sensors only): a preprocessed raw signal → steps with their events and metrics →
//! a per-step [`Recording`] that the metrics stage summarises like a watch file.
//!
//! * [`placement`]: trunk, foot, wrist or thigh from the signal (or `--placement`).
//! * [`trunk`]: contacts, contact/flight time, vertical oscillation, braking, sides.
//! * [`walk`]: walking contacts and cadence from a trunk sensor (Mobilise-D lower-back methods).
//! * [`limb`]: foot sensors (Falbriard 2018 with a gyroscope) and the thigh (cadence only).
//! * [`wrist`]: cadence and step counts from the arm swing.
//!
//! What a placement or a sampling rate cannot support is withheld with a reason, never
//! guessed: wrist and thigh give cadence only (thigh: no VO, the pocket moves with the leg);
//! below 50 Hz contact and flight times are withheld (±1/(2·fs) ≥ ±10 ms quantisation on a
//! ~250 ms contact); clipped signals lose braking peaks.

// Numerical code: index loops over several parallel arrays read more clearly than
// zipped iterators, and `!(x > 0.0)` deliberately treats NaN as failing the test.
#![allow(clippy::needless_range_loop, clippy::neg_cmp_op_on_partial_ord)]

use crate::vocab::Channel;
use crate::vocab::Confidence;
use crate::vocab::GaitActivity;

mod bouts;
pub mod cadence;
mod checks;
mod confidence;
pub mod limb;
mod notes;
pub mod placement;
mod rate_check;
mod segment;
mod sides;
mod to_recording;
pub mod trace;
pub mod trunk;
mod trunk_segment;
pub mod walk;
mod withheld;
pub mod wrist;

pub use crate::error::GaitError;
pub use segment::SegmentOut;
pub use trace::{EventTrace, TRACE_WINDOW_S, TraceCandidate, TraceSource, event_trace};

use crate::recording::{AccelUnit, Decided, RawSignal, TimeSource};
use crate::recording::{Placement, Recording, Warning};
use crate::signal::orient::AlignInfo;
use crate::signal::preprocess::{Quality, Segment, preprocess, preprocess_owned};
use crate::stats::median_of_finite as median;
use serde::Serialize;
use std::collections::BTreeMap;

/// Settings of the engine (from the command line).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Settings {
    /// Forced placement.
    pub placement: Option<Placement>,
    /// Running speed, m/s, for step length and vertical ratio.
    pub speed_mps: Option<f64>,
}

/// Foot of a step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    /// Left foot.
    Left,
    /// Right foot.
    Right,
}

/// One step: its contact and what was measured over it (to the next contact).
#[derive(Debug, Clone, Default, Serialize)]
pub struct Step {
    /// Initial contact, s on the recording's time axis.
    pub time_s: f64,
    /// `running` or `walking`.
    pub activity: GaitActivity,
    /// Foot, when sides could be assigned.
    pub side: Option<Side>,
    /// Initial contact to the next initial contact, ms.
    pub step_time_ms: Option<f64>,
    /// 60 000 / step time.
    pub cadence_spm: Option<f64>,
    /// Toe-off minus initial contact, ms.
    pub ground_contact_ms: Option<f64>,
    /// Next initial contact minus toe-off, ms.
    pub flight_ms: Option<f64>,
    /// Contact / stride time (2 steps), %.
    pub duty_factor_pct: Option<f64>,
    /// Vertical oscillation by double integration, cm.
    pub vertical_oscillation_cm: Option<f64>,
    /// Vertical oscillation of the spring-mass model for this step's contact and flight, cm.
    pub vo_spring_mass_cm: Option<f64>,
    /// Speed × step time, m.
    pub step_length_m: Option<f64>,
    /// VO / step length, %.
    pub vertical_ratio_pct: Option<f64>,
    /// Peak deceleration after contact, g.
    pub braking_g: Option<f64>,
    /// Speed lost while braking, m/s.
    pub step_speed_loss_mps: Option<f64>,
    /// Peak vertical specific force of the stance, g.
    pub peak_vertical_g: Option<f64>,
}

/// Whether the placement was detected from the signal or given with `--placement`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PlacementDecision {
    /// Detected from the signal's features.
    Detected,
    /// Given by the user.
    Override,
}

crate::vocab::named!(PlacementDecision { Detected => "detected", Override => "override" });

/// How the placement was decided.
#[derive(Debug, Clone, Serialize)]
pub struct PlacementReport {
    /// The placement used.
    pub placement: Placement,
    /// Detected or given.
    pub decided: PlacementDecision,
    /// `high` or `low`.
    pub confidence: Confidence,
    /// The features behind the detection.
    pub evidence: Option<placement::Evidence>,
}

/// Cadence from the spectrum versus from the detected steps, and the cadence used.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct CadenceCheck {
    /// Median over windows of the spectral peak, steps/min.
    pub spectrum_spm: f64,
    /// 60 000 / median step time (single steps), steps/min.
    pub steps_spm: Option<f64>,
    /// 120 000 / median stride (two contiguous steps), steps/min.
    pub strides_spm: Option<f64>,
    /// Median of the per-step cadences the metrics use, steps/min.
    pub cadence_spm: Option<f64>,
    /// Where the per-step cadences come from ([`cadence`]).
    pub source: cadence::CadenceSource,
    /// Autocorrelation of the signal at the strides' and at the spectrum's step period,
    /// when the two disagreed and were put to the signal.
    pub fit_strides: Option<f64>,
    /// See `fit_strides`.
    pub fit_spectrum: Option<f64>,
    /// Cadence used minus spectrum, steps/min.
    pub difference_spm: Option<f64>,
    /// Within 3 steps/min.
    pub agree: Option<bool>,
}

/// Integrated versus spring-mass vertical oscillation (medians over running steps).
#[derive(Debug, Clone, Copy, Serialize)]
pub struct VoCheck {
    /// Double integration, cm.
    pub integrated_cm: f64,
    /// Morin 2005 spring-mass model from contact and flight times, cm.
    pub spring_mass_cm: f64,
    /// (integrated − model) / model, %.
    pub difference_pct: f64,
}

/// Left/right assignment and asymmetry.
#[derive(Debug, Clone, Serialize)]
pub struct SidesReport {
    /// `lee2010_ml_sign` (trunk) — the method.
    pub method: &'static str,
    /// Share of steps whose own side vote agrees with strict alternation (0.5–1).
    pub confidence: f64,
    /// Whether sides were assigned (confidence ≥ 0.8).
    pub assigned: bool,
    /// Left steps.
    pub left_steps: usize,
    /// Right steps.
    pub right_steps: usize,
    /// Median left contact / (median left + median right), %; only when assigned.
    pub gct_balance_left_pct: Option<f64>,
    /// Symmetry index of step time 100·(R − L)/mean, %; only when assigned.
    pub step_time_symmetry_pct: Option<f64>,
    /// |symmetry index| of step time from alternate steps, %: needs no side labels.
    pub step_time_asymmetry_pct: Option<f64>,
}

/// A stretch of one activity.
#[derive(Debug, Clone, Serialize)]
pub struct Bout {
    /// `running`, `walking`.
    pub activity: GaitActivity,
    /// Start, s.
    pub start_s: f64,
    /// End, s.
    pub end_s: f64,
    /// Steps in it.
    pub steps: usize,
}

/// A metric the data cannot support, and why.
#[derive(Debug, Clone, Serialize)]
pub struct Withheld {
    /// Metric name.
    pub metric: &'static str,
    /// Why.
    pub reason: String,
}

/// Contact detection used.
#[derive(Debug, Clone, Serialize)]
pub struct EventMethod {
    /// Method name.
    pub method: &'static str,
    /// Threshold, g (trunk).
    pub threshold_g: Option<f64>,
    /// Flight level, g (trunk).
    pub flight_level_g: Option<f64>,
}

/// Everything the engine says besides the steps (the `raw` object of the session JSON).
#[derive(Debug, Clone, Serialize)]
pub struct RawReport {
    /// Placement.
    pub placement: PlacementReport,
    /// Sampling rate used, Hz.
    pub sample_rate_hz: f64,
    /// `full` (≥ 50 Hz: events), `cadence_and_vo` (20–50 Hz).
    pub rate_tier: &'static str,
    /// Accelerometer unit of the file and how it was decided.
    pub accel_unit: AccelUnit,
    /// How the unit was decided.
    pub accel_unit_decided: Decided,
    /// Whether the file's acceleration includes gravity.
    pub gravity_included: bool,
    /// How that was decided.
    pub gravity_decided: Decided,
    /// Where the time axis came from.
    pub time_source: TimeSource,
    /// Preprocessing.
    pub quality: Quality,
    /// Alignment of the longest segment.
    pub alignment: AlignInfo,
    /// Contact detection.
    pub events: Option<EventMethod>,
    /// Definitions of the reported quantities.
    pub definitions: BTreeMap<&'static str, &'static str>,
    /// Spectral versus step cadence.
    pub cadence_check: Option<CadenceCheck>,
    /// Integrated versus model VO.
    pub vo_check: Option<VoCheck>,
    /// Sides and asymmetry.
    pub sides: Option<SidesReport>,
    /// Activity bouts.
    pub bouts: Vec<Bout>,
    /// Metrics withheld, with the reason.
    pub withheld: Vec<Withheld>,
    /// Confidence of every reported metric, from the evidence ([`confidence`]).
    pub confidence: BTreeMap<&'static str, crate::vocab::MetricConfidence>,
    /// Steps detected (all activities).
    pub steps_detected: usize,
}

/// The engine's result.
#[derive(Debug, Clone)]
pub struct RawAnalysis {
    /// Per-step records for the metrics stage.
    pub recording: Recording,
    /// The steps.
    pub steps: Vec<Step>,
    /// The report.
    pub report: RawReport,
    /// A few seconds of the signal with the events detected in it (for the PNG report), when
    /// events were detected.
    pub trace: Option<EventTrace>,
}

/// Definitions of the reported per-step quantities (the `definitions` object of the report).
fn definitions() -> BTreeMap<&'static str, &'static str> {
    BTreeMap::from([
        (
            Channel::GroundContactMs.name(),
            "toe-off minus initial contact of the same foot",
        ),
        (
            Channel::FlightMs.name(),
            "next initial contact (other foot) minus toe-off",
        ),
        (
            "step_time_ms",
            "initial contact to the next initial contact",
        ),
        (Channel::CadenceSpm.name(), "60000 / step time (both feet)"),
        (
            Channel::DutyFactorPct.name(),
            "contact time / stride time (two steps) × 100 (Morin); the 'contact ratio' contact/step is twice this",
        ),
        (
            Channel::VerticalOscillationCm.name(),
            "max − min of the trunk's vertical displacement over one step (double integration, per-step drift removal)",
        ),
        (
            Channel::StepLengthM.name(),
            "speed × step time (one footfall to the next)",
        ),
        (
            Channel::VerticalRatioPct.name(),
            "vertical oscillation / step length × 100",
        ),
        (
            Channel::BrakingG.name(),
            "peak AP deceleration in the first half of contact",
        ),
        (
            Channel::StepSpeedLossMps.name(),
            "−∫ a_AP dt over the braking phase after contact",
        ),
    ])
}

/// Analyse a raw signal.
///
/// # Errors
/// [`GaitError`] when nothing can be analysed (no usable samples, time that never advances,
/// a rate below 20 Hz).
pub fn analyze(sig: &RawSignal, settings: &Settings) -> Result<RawAnalysis, GaitError> {
    let (segments, quality) = preprocess(sig)?;
    analyze_segments(sig, segments, quality, settings)
}

/// [`analyze`] taking the signal by value: its samples are released as soon as they have
/// been copied into segments (or moved, when the signal is one segment as it stands:
/// [`preprocess_owned`]), which keeps the peak memory of long files down (the CLI's path).
///
/// # Errors
/// As [`analyze`].
pub fn analyze_owned(mut sig: RawSignal, settings: &Settings) -> Result<RawAnalysis, GaitError> {
    let (segments, quality) = preprocess_owned(&mut sig)?;
    analyze_segments(&sig, segments, quality, settings)
}

/// The engine after preprocessing, as a list of steps: placement → warnings about the
/// signal's quality and a given rate's plausibility → steps of every segment → what cannot be measured → step length →
/// sides → cross-checks → bouts → the per-step recording and the report.
fn analyze_segments(
    sig: &RawSignal,
    mut segments: Vec<Segment>,
    quality: Quality,
    settings: &Settings,
) -> Result<RawAnalysis, GaitError> {
    let fs = quality.sample_rate_hz;
    if fs < 20.0 {
        return Err(GaitError::RateTooLow { rate_hz: fs });
    }
    // Contact and flight timing need 50 Hz (see the module notes).
    let timing = fs >= 50.0;
    let mut warnings: Vec<Warning> = sig.warnings.clone();
    let longest = segment::longest(&segments);
    let (placement_report, uncertain) = placement::report(settings.placement, &segments[longest]);
    let placement = placement_report.placement;
    warnings.extend(uncertain);
    warnings.extend(notes::quality_warnings(&quality));
    let rate = rate_check::check(sig.time_source, &segments[longest]);
    let found = segment::analyze_all(sig, &mut segments, placement, longest, timing);
    let mut steps = found.steps;
    let data = withheld::Data {
        placement,
        any_ap: found.any_ap,
        rate_hz: fs,
        clipped: !quality.clipping.is_empty(),
        rhythm_steps: found.rhythm_steps,
    };
    let mut withheld = withheld::by_data(&data, &mut steps);
    match settings.speed_mps {
        Some(v) => step_lengths(&mut steps, v),
        None if placement == Placement::Trunk => withheld.push(withheld::step_length()),
        None => {}
    }
    let (sides, lateral) = sides_of(&placement_report, timing, &mut steps, &found.side_votes);
    withheld.extend(lateral);
    warnings.extend(sides.as_ref().and_then(sides::uncertain_warning));
    let basis = cadence::overall(&found.cadence);
    let cadence_check = checks::cadence_check(&steps, &found.spectral_spm, placement, basis);
    let vo_check = checks::vo_check(&steps);
    warnings.extend(checks::warnings(cadence_check.as_ref(), vo_check.as_ref()));
    warnings.extend(notes::no_steps_warning(&steps, &found.spectral_spm));
    warnings.extend(rate_check::warning(rate, fs, &steps));
    let bouts = bouts::bouts_of(&steps);
    let confidence = confidence::per_metric(&confidence::Evidence {
        placement: &placement_report,
        rate_hz: fs,
        steps: counted_steps(&steps),
        cadence: cadence_check.as_ref(),
        vo: vo_check.as_ref(),
        sides: sides.as_ref(),
        withheld: &withheld,
        clipped: data.clipped,
    });
    let recording = to_recording::recording(sig, placement, &steps, settings.speed_mps, warnings);
    let report = RawReport {
        placement: placement_report,
        sample_rate_hz: fs,
        rate_tier: if timing { "full" } else { "cadence_and_vo" },
        accel_unit: sig.accel_unit.0,
        accel_unit_decided: sig.accel_unit.1,
        gravity_included: sig.gravity_included.0,
        gravity_decided: sig.gravity_included.1,
        time_source: sig.time_source,
        quality,
        alignment: found.alignment,
        events: found.event_method,
        definitions: definitions(),
        cadence_check,
        vo_check,
        sides,
        bouts,
        withheld,
        confidence,
        steps_detected: steps.len(),
    };
    Ok(RawAnalysis {
        recording,
        steps,
        report,
        // Event timing needs 50 Hz: below it the events are not shown either.
        trace: found.trace.filter(|_| timing).map(|c| c.trace),
    })
}

/// Left/right sides of a trunk sensor's running steps (with event timing), and what a
/// sensor off the midline cannot give ([`withheld::lateral_sensor`]).
fn sides_of(
    placement: &PlacementReport,
    timing: bool,
    steps: &mut [Step],
    votes: &[Option<bool>],
) -> (Option<SidesReport>, Vec<Withheld>) {
    if placement.placement != Placement::Trunk || !timing {
        return (None, Vec::new());
    }
    let mut sides = sides::assign_sides(steps, votes);
    let lateral = withheld::lateral_sensor(placement, sides.as_mut(), steps);
    (sides, lateral)
}

/// Steps behind the summary's metrics: the running steps, or all steps when nothing was run.
fn counted_steps(steps: &[Step]) -> usize {
    let running = steps
        .iter()
        .filter(|s| s.activity == GaitActivity::Running)
        .count();
    if running > 0 { running } else { steps.len() }
}

/// Step length (speed × step time, m) and vertical ratio (VO / step length, %) of every
/// running step with a step time, from the running speed `speed_mps`, m/s.
fn step_lengths(steps: &mut [Step], speed_mps: f64) {
    for s in steps
        .iter_mut()
        .filter(|s| s.activity == GaitActivity::Running)
    {
        if let Some(st) = s.step_time_ms {
            let l = speed_mps * st / 1000.0;
            s.step_length_m = Some(l);
            // VO in cm over step length in m is already a percentage.
            s.vertical_ratio_pct = s.vertical_oscillation_cm.map(|vo| vo / l);
        }
    }
}

/// Stable placement name.
pub fn placement_name(p: Placement) -> &'static str {
    match p {
        Placement::Trunk => "trunk",
        Placement::Foot => "foot",
        Placement::Wrist => "wrist",
        Placement::Thigh => "thigh",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn step_length_is_speed_times_step_time_and_ratio_is_vo_over_it() {
        let run = Step {
            activity: GaitActivity::Running,
            step_time_ms: Some(350.0),
            vertical_oscillation_cm: Some(7.0),
            ..Step::default()
        };
        let walk = Step {
            activity: GaitActivity::Walking,
            step_time_ms: Some(500.0),
            ..Step::default()
        };
        let mut steps = [run, walk];
        step_lengths(&mut steps, 4.0);
        assert!((steps[0].step_length_m.unwrap() - 1.4).abs() < 1e-12);
        assert!((steps[0].vertical_ratio_pct.unwrap() - 5.0).abs() < 1e-12);
        assert_eq!(steps[1].step_length_m, None);
    }
}
