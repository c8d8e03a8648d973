//! Stage 3, **gait** (raw sensors only): a preprocessed raw signal → steps with their events and metrics →
//! a per-step [`Recording`] that the metrics stage summarises like a watch file.
//!
//! * [`placement`]: trunk, foot, wrist or thigh from the signal (or `--placement`).
//! * [`trunk`]: contacts, contact/flight time, vertical oscillation, braking, sides.
//! * [`walk`]: walking contacts and cadence from a trunk sensor (Mobilise-D lower-back methods).
//! * [`limb`]: foot sensors (Falbriard 2018 with a gyroscope) and cadence-only placements.
//!
//! What a placement or a sampling rate cannot support is withheld with a reason, never
//! guessed: wrist and thigh give cadence only (thigh: no VO, the pocket moves with the leg);
//! below 50 Hz contact and flight times are withheld (±1/(2·fs) ≥ ±10 ms quantisation on a
//! ~250 ms contact); clipped signals lose braking peaks.

// Numerical code: index loops over several parallel arrays read more clearly than
// zipped iterators, and `!(x > 0.0)` deliberately treats NaN as failing the test.
#![allow(clippy::needless_range_loop, clippy::neg_cmp_op_on_partial_ord)]

pub mod limb;
pub mod placement;
pub mod trunk;
pub mod walk;

use crate::recording::{AccelUnit, Decided, RawSignal, TimeSource};
use crate::recording::{Channel, Placement, Recording, Warning};
use crate::signal::orient::{AlignInfo, align};
use crate::signal::preprocess::{PreprocessError, Quality, Segment, preprocess};
use crate::signal::spectrum::windowed_peaks;
use crate::stats::median_of_finite as median;
use crate::units::Hertz;
use crate::vocab::WarningCode;
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
    pub activity: &'static str,
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

/// How the placement was decided.
#[derive(Debug, Clone, Serialize)]
pub struct PlacementReport {
    /// The placement used.
    pub placement: Placement,
    /// `detected` or `override`.
    pub decided: &'static str,
    /// `high` or `low`.
    pub confidence: &'static str,
    /// The features behind the detection.
    pub evidence: Option<placement::Evidence>,
}

/// Cadence from the spectrum versus from the detected steps.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct CadenceCheck {
    /// Median over windows of the spectral peak, steps/min.
    pub spectrum_spm: f64,
    /// 60 000 / median step time, steps/min.
    pub steps_spm: Option<f64>,
    /// Difference, steps/min.
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
    pub activity: &'static str,
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

/// A few seconds of the signal the events were detected on, with the events inside them: the
/// picture that shows whether contacts and toe-offs sit where they should.
///
/// Trunk: the vertical specific force low-passed at 20 Hz (the contact detector's input) and
/// the forward (AP) acceleration low-passed at 30 Hz (the toe-off refinement's input). Foot:
/// the aligned vertical specific force and the pitch rate the Falbriard events come from.
/// About [`TRACE_WINDOW_S`] in the middle of the longest running bout (the longest walking
/// bout when nothing was run); samples above 500 Hz are thinned to at most 500 Hz.
#[derive(Debug, Clone, PartialEq)]
pub struct EventTrace {
    /// Time of the first sample on the recording's time axis, s.
    pub start_s: f64,
    /// Sampling rate of the stored samples, Hz.
    pub sample_rate_hz: f64,
    /// `running` or `walking`: the bout the window comes from.
    pub activity: &'static str,
    /// Where the sensor sat.
    pub placement: Placement,
    /// Vertical specific force, g (≈ 1 g standing, ≈ 0 g in flight).
    pub vertical_g: Vec<f32>,
    /// Forward (antero-posterior) acceleration, g, + forward (trunk, when a heading was found).
    pub forward_g: Option<Vec<f32>>,
    /// Pitch angular rate, deg/s, signed so that mid-swing is positive (foot with a gyroscope).
    pub pitch_rate_dps: Option<Vec<f32>>,
    /// The contact threshold θ on the vertical signal, g (trunk running).
    pub threshold_g: Option<f64>,
    /// Initial contacts inside the window, s on the recording's time axis.
    pub contacts_s: Vec<f64>,
    /// Toe-offs, s: `toe_offs_s[i]` ends the stance that `contacts_s[i]` starts. Empty when
    /// toe-off is not detected (walking from a trunk sensor).
    pub toe_offs_s: Vec<f64>,
}

/// Length of the [`EventTrace`] window, s.
pub const TRACE_WINDOW_S: f64 = 4.0;

/// Highest rate kept in an [`EventTrace`], Hz.
const TRACE_MAX_RATE_HZ: f64 = 500.0;

/// A candidate trace of one segment and the length of the bout it comes from, s.
#[derive(Debug)]
pub struct TraceCandidate {
    /// Length of the bout, s.
    pub bout_s: f64,
    /// The trace.
    pub trace: EventTrace,
}

impl TraceCandidate {
    /// Running bouts beat walking ones; then the longer bout wins.
    fn better_than(&self, other: &TraceCandidate) -> bool {
        let run = |c: &TraceCandidate| c.trace.activity == "running";
        match (run(self), run(other)) {
            (true, false) => true,
            (false, true) => false,
            _ => self.bout_s > other.bout_s,
        }
    }
}

/// Signals and events of one bout, in samples of a segment.
pub struct TraceSource<'a> {
    /// The segment.
    pub seg: &'a Segment,
    /// `running` or `walking`.
    pub activity: &'static str,
    /// Placement.
    pub placement: Placement,
    /// Vertical specific force, g.
    pub vertical_g: &'a [f64],
    /// Forward acceleration, m/s².
    pub forward_mps2: Option<&'a [f64]>,
    /// Pitch rate, deg/s.
    pub pitch_rate_dps: Option<&'a [f64]>,
    /// Contact threshold, g.
    pub threshold_g: Option<f64>,
    /// (initial contact, toe-off) of each step of the bout, samples (fractional).
    pub events: &'a [(f64, Option<f64>)],
}

/// Cut [`TRACE_WINDOW_S`] out of the middle of a bout (clamped to the bout, with a quarter
/// of a second either side, and to the segment), keeping only the events inside.
pub fn event_trace(src: &TraceSource<'_>) -> Option<TraceCandidate> {
    let fs = src.seg.rate.0;
    let n = src.vertical_g.len();
    let (first, last) = (src.events.first()?.0, src.events.last()?.0);
    if n < 2 || !(fs > 0.0) || !(last >= first) {
        return None;
    }
    let mid = 0.5 * (first + last);
    let half = 0.5 * TRACE_WINDOW_S * fs;
    let margin = 0.25 * fs;
    let a = (mid - half).max(first - margin).max(0.0).floor() as usize;
    let b = ((mid + half).min(last + margin).ceil() as usize).min(n);
    if b <= a + 1 {
        return None;
    }
    let k = ((fs / TRACE_MAX_RATE_HZ).ceil() as usize).max(1);
    let thin = |x: &[f64], scale: f64| -> Vec<f32> {
        x.get(a..b.min(x.len()))
            .unwrap_or_default()
            .iter()
            .step_by(k)
            .map(|v| (v * scale) as f32)
            .collect()
    };
    let (lo, hi) = (a as f64, (b - 1) as f64);
    let mut contacts_s = Vec::new();
    let mut toe_offs_s = Vec::new();
    let with_toe_off = src.events.iter().all(|e| e.1.is_some());
    for &(ic, tc) in src.events {
        if ic < lo || ic > hi {
            continue;
        }
        match (with_toe_off, tc) {
            (true, Some(t)) if t <= hi => {
                contacts_s.push(src.seg.time_of(ic));
                toe_offs_s.push(src.seg.time_of(t));
            }
            (false, _) => contacts_s.push(src.seg.time_of(ic)),
            _ => {}
        }
    }
    if contacts_s.is_empty() {
        return None;
    }
    Some(TraceCandidate {
        bout_s: (last - first) / fs,
        trace: EventTrace {
            start_s: src.seg.time_of(a as f64),
            sample_rate_hz: fs / k as f64,
            activity: src.activity,
            placement: src.placement,
            vertical_g: thin(src.vertical_g, 1.0),
            forward_g: src
                .forward_mps2
                .map(|f| thin(f, 1.0 / crate::units::STANDARD_GRAVITY_MPS2)),
            pitch_rate_dps: src.pitch_rate_dps.map(|p| thin(p, 1.0)),
            threshold_g: src.threshold_g,
            contacts_s,
            toe_offs_s,
        },
    })
}

/// Errors of the engine.
#[derive(Debug, Clone, PartialEq)]
pub enum GaitError {
    /// Preprocessing failed.
    Preprocess(PreprocessError),
    /// The rate is too low for any gait analysis.
    RateTooLow(f64),
}

impl std::fmt::Display for GaitError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            GaitError::Preprocess(PreprocessError::NoSamples(s))
            | GaitError::Preprocess(PreprocessError::BadTime(s)) => f.write_str(s),
            GaitError::RateTooLow(r) => write!(
                f,
                "sampled at {r:.1} Hz: gait analysis needs at least 20 Hz (steps are 2–4 Hz with harmonics)"
            ),
        }
    }
}

fn definitions() -> BTreeMap<&'static str, &'static str> {
    BTreeMap::from([
        (
            "ground_contact_ms",
            "toe-off minus initial contact of the same foot",
        ),
        (
            "flight_ms",
            "next initial contact (other foot) minus toe-off",
        ),
        (
            "step_time_ms",
            "initial contact to the next initial contact",
        ),
        ("cadence_spm", "60000 / step time (both feet)"),
        (
            "duty_factor_pct",
            "contact time / stride time (two steps) × 100 (Morin); the 'contact ratio' contact/step is twice this",
        ),
        (
            "vertical_oscillation_cm",
            "max − min of the trunk's vertical displacement over one step (double integration, per-step drift removal)",
        ),
        (
            "step_length_m",
            "speed × step time (one footfall to the next)",
        ),
        (
            "vertical_ratio_pct",
            "vertical oscillation / step length × 100",
        ),
        (
            "braking_g",
            "peak AP deceleration in the first half of contact",
        ),
        (
            "step_speed_loss_mps",
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
    let (segments, quality) = preprocess(sig).map_err(GaitError::Preprocess)?;
    analyze_segments(sig, segments, quality, settings)
}

/// [`analyze`] taking the signal by value: its samples are released as soon as they have
/// been copied into segments, which keeps the peak memory of long files down (the CLI's
/// path).
///
/// # Errors
/// As [`analyze`].
pub fn analyze_owned(mut sig: RawSignal, settings: &Settings) -> Result<RawAnalysis, GaitError> {
    let (segments, quality) = preprocess(&sig).map_err(GaitError::Preprocess)?;
    sig.release_samples();
    analyze_segments(&sig, segments, quality, settings)
}

fn analyze_segments(
    sig: &RawSignal,
    mut segments: Vec<Segment>,
    quality: Quality,
    settings: &Settings,
) -> Result<RawAnalysis, GaitError> {
    let fs = quality.sample_rate_hz;
    if fs < 20.0 {
        return Err(GaitError::RateTooLow(fs));
    }
    let mut warnings: Vec<Warning> = sig.warnings.clone();
    let mut withheld: Vec<Withheld> = Vec::new();
    let longest = segments
        .iter()
        .enumerate()
        .max_by_key(|(_, s)| s.len())
        .map(|(i, _)| i)
        .unwrap_or(0);
    // Placement.
    let placement_report = match settings.placement {
        Some(p) => PlacementReport {
            placement: p,
            decided: "override",
            confidence: "high",
            evidence: None,
        },
        None => {
            let s = &segments[longest];
            let ev = placement::evidence(&s.acc_mps2, s.gyro_dps.as_ref(), s.rate);
            let (p, high) = placement::decide(&ev);
            if !high {
                warnings.push(Warning::new(
                    WarningCode::PlacementUncertain,
                    format!(
                        "the sensor placement was detected as {} with low confidence; pass --placement trunk|foot|wrist|thigh if that is wrong",
                        placement_name(p)
                    ),
                ));
            }
            PlacementReport {
                placement: p,
                decided: "detected",
                confidence: if high { "high" } else { "low" },
                evidence: Some(ev),
            }
        }
    };
    let placement = placement_report.placement;
    let rate_tier = if fs >= 50.0 { "full" } else { "cadence_and_vo" };
    if fs < 50.0 {
        warnings.push(Warning::new(
            WarningCode::LowSampleRate,
            format!(
                "sampled at {fs:.0} Hz: contact and flight times need at least 50 Hz, so only cadence and vertical oscillation are reported"
            ),
        ));
    }
    if !quality.clipping.is_empty() {
        let c = &quality.clipping[0];
        warnings.push(Warning::new(
            WarningCode::Clipping,
            format!(
                "the accelerometer saturated at ±{:.1} g ({} episodes on axis {}): braking peaks are withheld",
                c.full_scale_g,
                c.episodes,
                ["x", "y", "z"][c.axis.min(2)]
            ),
        ));
    }
    if quality.resampled {
        warnings.push(Warning::new(
            WarningCode::Resampled,
            format!(
                "irregular time stamps (jitter {:.1} %, {} backwards, {} repeated): resampled to a uniform {fs:.1} Hz grid",
                quality.jitter_pct, quality.backwards_stamps, quality.repeated_stamps
            ),
        ));
    }
    if !quality.gaps.is_empty() {
        warnings.push(Warning::new(
            WarningCode::SampleGaps,
            format!(
                "{} gap(s) in the samples split the recording into {} segment(s); no step is measured across a gap",
                quality.gaps.len(),
                quality.segments
            ),
        ));
    }
    if !quality.constant_axes.is_empty() && quality.constant_axes.len() < 3 {
        warnings.push(Warning::new(
            WarningCode::ConstantAxis,
            format!(
                "axis {} never changes (a dead or absent channel)",
                quality
                    .constant_axes
                    .iter()
                    .map(|a| ["x", "y", "z"][(*a).min(2)])
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ));
    }
    // Per-segment analysis.
    let mut steps: Vec<Step> = Vec::new();
    let mut spectral: Vec<f64> = Vec::new();
    // Lee side votes, one per running step in time order.
    let mut side_votes: Vec<Option<bool>> = Vec::new();
    let mut event_method: Option<EventMethod> = None;
    let mut alignment = AlignInfo::default();
    let mut any_ap = false;
    let mut trace: Option<TraceCandidate> = None;
    let mut keep_trace = |c: Option<TraceCandidate>| {
        if let Some(c) = c {
            if trace.as_ref().is_none_or(|t| c.better_than(t)) {
                trace = Some(c);
            }
        }
    };
    for (si, seg) in segments.iter_mut().enumerate() {
        let al = align(&seg.acc_mps2, seg.rate, sig.axes, sig.gravity_included.0);
        if placement == Placement::Trunk {
            // The trunk path works on the aligned signal only.
            seg.acc_mps2 = Default::default();
        }
        let seg = &*seg;
        if si == longest {
            alignment = al.info.clone();
        }
        any_ap |= al.ap_mps2.is_some();
        match placement {
            Placement::Trunk => {
                let out = trunk_segment(seg, &al, fs >= 50.0);
                spectral.extend(out.spectral_spm);
                if out.method.is_some() && event_method.is_none() {
                    event_method = out.method;
                }
                side_votes.extend(out.votes);
                steps.extend(out.steps);
                keep_trace(out.trace);
            }
            Placement::Foot => {
                let out = limb::foot_segment(seg, &al, fs >= 50.0);
                spectral.extend(out.spectral_spm);
                if out.method.is_some() && event_method.is_none() {
                    event_method = out.method;
                }
                steps.extend(out.steps);
                keep_trace(out.trace);
            }
            Placement::Wrist | Placement::Thigh => {
                let out = limb::cadence_only_segment(seg);
                spectral.extend(out.spectral_spm);
                steps.extend(out.steps);
            }
        }
    }
    // What each placement cannot give.
    match placement {
        Placement::Wrist | Placement::Thigh => {
            let why = if placement == Placement::Wrist {
                "a wrist sensor follows the arm swing: no validated method gives contact, flight, vertical oscillation or braking from it"
            } else {
                "a phone in a trouser pocket moves with the thigh, not the trunk: no vertical oscillation, and no validated contact-time method"
            };
            for m in [
                "ground_contact_ms",
                "flight_ms",
                "vertical_oscillation_cm",
                "braking_g",
                "gct_balance_left_pct",
            ] {
                withheld.push(Withheld {
                    metric: m,
                    reason: why.into(),
                });
            }
        }
        Placement::Foot => {
            for m in [
                "vertical_oscillation_cm",
                "braking_g",
                "gct_balance_left_pct",
            ] {
                withheld.push(Withheld {
                    metric: m,
                    reason: "a foot sensor sees one foot and not the trunk: no trunk oscillation, braking or left/right balance (that needs a sensor on each foot)".into(),
                });
            }
        }
        Placement::Trunk => {
            if !any_ap {
                withheld.push(Withheld {
                    metric: "braking_g",
                    reason: "no forward axis could be found (no horizontal acceleration correlated with the steps)".into(),
                });
            }
        }
    }
    if fs < 50.0 {
        for m in [
            "ground_contact_ms",
            "flight_ms",
            "duty_factor_pct",
            "braking_g",
        ] {
            withheld.push(Withheld {
                metric: m,
                reason: format!("{fs:.0} Hz is below the 50 Hz needed for contact timing"),
            });
        }
    }
    if !quality.clipping.is_empty() {
        for s in &mut steps {
            s.braking_g = None;
        }
        withheld.push(Withheld {
            metric: "braking_g",
            reason: "the accelerometer clipped: peak values are unknown".into(),
        });
    }
    // Speed, step length, vertical ratio.
    if let Some(v) = settings.speed_mps {
        for s in &mut steps {
            if s.activity == "running" {
                if let Some(st) = s.step_time_ms {
                    let l = v * st / 1000.0;
                    s.step_length_m = Some(l);
                    s.vertical_ratio_pct = s.vertical_oscillation_cm.map(|vo| vo / l);
                }
            }
        }
    } else if placement == Placement::Trunk {
        withheld.push(Withheld {
            metric: "step_length_m",
            reason: "needs the running speed: pass --speed-mps (or a file with a speed column)"
                .into(),
        });
    }
    // Sides.
    let sides = if placement == Placement::Trunk && fs >= 50.0 {
        assign_sides(&mut steps, &side_votes)
    } else {
        None
    };
    if let Some(sr) = &sides {
        if !sr.assigned {
            warnings.push(Warning::new(
                WarningCode::SidesUncertain,
                format!(
                    "left and right could not be told apart reliably (alternation confidence {:.2} < 0.80): only the unsigned step-time asymmetry is reported",
                    sr.confidence
                ),
            ));
        }
    }
    // Checks.
    let running: Vec<&Step> = steps.iter().filter(|s| s.activity == "running").collect();
    let moving_steps: Vec<&Step> = if running.is_empty() {
        steps.iter().collect()
    } else {
        running.clone()
    };
    let steps_spm = median(
        &moving_steps
            .iter()
            .filter_map(|s| s.step_time_ms)
            .collect::<Vec<_>>(),
    )
    .map(|t| 60_000.0 / t);
    let cadence_check = median(&spectral).map(|sp| {
        let d = steps_spm.map(|s| s - sp);
        CadenceCheck {
            spectrum_spm: sp,
            steps_spm,
            difference_spm: d,
            agree: d.map(|d| d.abs() <= 3.0),
        }
    });
    if let Some(c) = &cadence_check {
        if c.agree == Some(false) {
            warnings.push(Warning::new(
                WarningCode::CadenceDisagreement,
                format!(
                    "cadence from the spectrum ({:.1}) and from detected steps ({:.1}) differ by more than 3 steps/min: some steps may be missed or doubled",
                    c.spectrum_spm,
                    c.steps_spm.unwrap_or(f64::NAN)
                ),
            ));
        }
    }
    let vo_check = {
        let vi = median(
            &running
                .iter()
                .filter_map(|s| s.vertical_oscillation_cm)
                .collect::<Vec<_>>(),
        );
        let vm = median(
            &running
                .iter()
                .filter_map(|s| s.vo_spring_mass_cm)
                .collect::<Vec<_>>(),
        );
        match (vi, vm) {
            (Some(a), Some(b)) if b > 0.0 => Some(VoCheck {
                integrated_cm: a,
                spring_mass_cm: b,
                difference_pct: 100.0 * (a - b) / b,
            }),
            _ => None,
        }
    };
    if let Some(v) = &vo_check {
        if v.difference_pct.abs() > 30.0 {
            warnings.push(Warning::new(
                WarningCode::VoModelDisagreement,
                format!(
                    "vertical oscillation by integration ({:.1} cm) and by the spring-mass model ({:.1} cm) differ by {:.0} %: treat VO with caution",
                    v.integrated_cm, v.spring_mass_cm, v.difference_pct
                ),
            ));
        }
    }
    if steps.is_empty() {
        warnings.push(Warning::new(
            WarningCode::NoSteps,
            "no steps were found: the recording looks still, or too short or irregular to hold a step",
        ));
    }
    let bouts = bouts_of(&steps);
    // The per-step recording.
    let mut rec = Recording::new(sig.path.clone(), sig.format);
    rec.device = sig.device.clone();
    rec.start_unix_s = sig.start_unix_s;
    rec.placement = Some(placement);
    for s in &steps {
        let mut vals: Vec<(Channel, f64)> = vec![(
            Channel::GaitClass,
            if s.activity == "running" { 1.0 } else { 2.0 },
        )];
        let mut put = |c: Channel, v: Option<f64>| {
            if let Some(v) = v {
                vals.push((c, v));
            }
        };
        put(Channel::CadenceSpm, s.cadence_spm);
        put(Channel::GroundContactMs, s.ground_contact_ms);
        put(Channel::FlightMs, s.flight_ms);
        put(Channel::DutyFactorPct, s.duty_factor_pct);
        put(Channel::VerticalOscillationCm, s.vertical_oscillation_cm);
        put(Channel::StepLengthM, s.step_length_m);
        put(Channel::VerticalRatioPct, s.vertical_ratio_pct);
        put(Channel::BrakingG, s.braking_g);
        put(Channel::StepSpeedLossMps, s.step_speed_loss_mps);
        if s.activity == "running" {
            put(Channel::SpeedMps, settings.speed_mps);
        }
        rec.series.push(s.time_s, &vals);
    }
    rec.series.finish();
    rec.warnings = warnings;
    let report = RawReport {
        placement: placement_report,
        sample_rate_hz: fs,
        rate_tier,
        accel_unit: sig.accel_unit.0,
        accel_unit_decided: sig.accel_unit.1,
        gravity_included: sig.gravity_included.0,
        gravity_decided: sig.gravity_included.1,
        time_source: sig.time_source,
        quality,
        alignment,
        events: event_method,
        definitions: definitions(),
        cadence_check,
        vo_check,
        sides,
        bouts,
        withheld,
        steps_detected: steps.len(),
    };
    Ok(RawAnalysis {
        recording: rec,
        steps,
        report,
        // Event timing needs 50 Hz: below it the events are not shown either.
        trace: trace.filter(|_| fs >= 50.0).map(|c| c.trace),
    })
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

/// What one segment gave.
#[derive(Debug, Default)]
pub struct SegmentOut {
    /// Steps.
    pub steps: Vec<Step>,
    /// Spectral cadence per window, steps/min.
    pub spectral_spm: Vec<f64>,
    /// Lee 2010 side vote of each running step, in time order (`Some(true)` = left).
    pub votes: Vec<Option<bool>>,
    /// Event method used.
    pub method: Option<EventMethod>,
    /// A few seconds of signal around the segment's longest bout, with its events.
    pub trace: Option<TraceCandidate>,
}

/// Spectral step frequency per 10 s window of the vertical signal, steps/min, in 1.0–4.0 Hz.
/// `v_g` is already low-passed at 20 Hz (order 4, zero-phase), so it is decimated to
/// 50–100 Hz by taking every k-th sample: what folds into the 1–4 Hz band comes from within
/// 4 Hz of a multiple of the new rate (≥ 46 Hz), where the filter's |H|² is below 0.2 %.
fn spectral_cadence(v_g: &[f64], fs: Hertz) -> Vec<(f64, f64, f64)> {
    let k = ((fs.0 / 50.0).floor() as usize).max(1);
    let d: Vec<f64> = v_g.iter().step_by(k).copied().collect();
    windowed_peaks(&d, Hertz(fs.0 / k as f64), 10.0, 1.0, 4.0)
        .into_iter()
        .filter(|w| w.peak.prominence >= 8.0)
        .map(|w| (w.start_s, w.len_s, 60.0 * w.peak.freq_hz))
        .collect()
}

fn trunk_segment(seg: &Segment, al: &crate::signal::orient::Aligned, timing: bool) -> SegmentOut {
    let fs = seg.rate;
    let v_g = trunk::vertical_g(&al.vertical_mps2, fs, 20.0);
    let spec = spectral_cadence(&v_g, fs);
    let mut out = SegmentOut {
        spectral_spm: spec.iter().map(|w| w.2).collect(),
        ..SegmentOut::default()
    };
    // Running: contacts where the trunk is unloaded in flight.
    let mut toe_off_from_ap = false;
    let mut running_until = vec![false; v_g.len()];
    let ap_lp = al
        .ap_mps2
        .as_ref()
        .map(|ap| crate::signal::filter::lowpass_or_same(ap, fs, 4, 30.0));
    if let Some(th) = trunk::threshold(&v_g) {
        let mut cs = trunk::contacts(&v_g, fs, th.theta_g);
        let halfmax: Vec<Option<(f64, f64)>> = cs
            .iter()
            .map(|c| trunk::half_max_events(&v_g, c, th.flight_level_g))
            .collect();
        if let Some(ap_lp) = ap_lp.as_deref() {
            let mut refined = 0;
            for c in &mut cs {
                if let Some(t) = trunk::ap_toe_off(ap_lp, fs, c) {
                    c.tc = t;
                    refined += 1;
                }
            }
            if refined * 2 > cs.len() {
                toe_off_from_ap = true;
            }
        }
        // Contact time: the mean of the threshold (or AP toe-off) duration and the
        // half-maximum width estimate (see `trunk` on why the two err in opposite
        // directions); initial contact stays at the threshold crossing.
        let mut widths = 0;
        for (c, h) in cs.iter_mut().zip(&halfmax) {
            if let Some((i, t)) = h {
                c.tc = c.ic + 0.5 * ((c.tc - c.ic) + (t - i));
                widths += 1;
            }
        }
        out.method = Some(EventMethod {
            method: match (toe_off_from_ap, widths * 2 > cs.len()) {
                (true, true) => "contact_vertical_threshold+toe_off_ap_lee2010+half_max_width",
                (true, false) => "contact_vertical_threshold+toe_off_ap_lee2010",
                (false, true) => "contact_vertical_threshold+half_max_width",
                (false, false) => "contact_vertical_threshold",
            },
            threshold_g: Some(th.theta_g),
            flight_level_g: Some(th.flight_level_g),
        });

        let ml_lp = al.ml_mps2.as_ref().map(|m| trunk::ml_lowpassed(m, fs));
        // Chains of plausible steps; the longest one gives the event trace.
        let mut longest: Option<(usize, usize)> = None;
        let mut k = 0;
        while k + 1 < cs.len() {
            let mut e = k;
            while e + 1 < cs.len() {
                let st = (cs[e + 1].ic - cs[e].ic) / fs.0;
                if (0.25..=0.75).contains(&st) && cs[e + 1].ic >= cs[e].tc {
                    e += 1;
                } else {
                    break;
                }
            }
            // Steps k..e (each to the next contact) form a bout when there are ≥ 4.
            if e - k >= 4 {
                if longest.is_none_or(|(a, b)| cs[e].ic - cs[k].ic > cs[b].ic - cs[a].ic) {
                    longest = Some((k, e));
                }
                for j in k..e {
                    let (c, nx) = (cs[j], cs[j + 1]);
                    let st_s = (nx.ic - c.ic) / fs.0;
                    let tc_s = (c.tc - c.ic) / fs.0;
                    let tf_s = (nx.ic - c.tc) / fs.0;
                    // Double integration is linear: integrate in g, convert the result.
                    let vo =
                        trunk::step_vo_m(&v_g, fs, c.ic.ceil() as usize, nx.ic.ceil() as usize)
                            .map(|m| m * crate::units::STANDARD_GRAVITY_MPS2);
                    let br = al
                        .ap_mps2
                        .as_ref()
                        .and_then(|ap| trunk::braking(ap, fs, c.ic, c.tc, nx.ic));
                    let a = c.ic.ceil() as usize;
                    let b = (nx.ic.floor() as usize).min(running_until.len());
                    for r in &mut running_until[a.min(b)..b] {
                        *r = true;
                    }
                    out.votes
                        .push(ml_lp.as_ref().and_then(|m| trunk::side_vote(m, c.ic, c.tc)));
                    out.steps.push(Step {
                        time_s: seg.time_of(c.ic),
                        activity: "running",
                        side: None,
                        step_time_ms: Some(1000.0 * st_s),
                        cadence_spm: Some(60.0 / st_s),
                        ground_contact_ms: timing.then_some(1000.0 * tc_s),
                        flight_ms: timing.then_some(1000.0 * tf_s),
                        duty_factor_pct: timing.then_some(100.0 * tc_s / (2.0 * st_s)),
                        vertical_oscillation_cm: vo.map(|m| 100.0 * m),
                        vo_spring_mass_cm: Some(
                            100.0 * crate::model::vertical_oscillation_m(tc_s, tf_s),
                        ),
                        step_length_m: None,
                        vertical_ratio_pct: None,
                        braking_g: if timing { br.map(|b| b.0) } else { None },
                        step_speed_loss_mps: if timing { br.map(|b| b.1) } else { None },
                        peak_vertical_g: Some(c.peak_g),
                    });
                }
            }
            k = e.max(k + 1);
        }
        if let Some((a, b)) = longest {
            let events: Vec<(f64, Option<f64>)> =
                cs[a..b].iter().map(|c| (c.ic, Some(c.tc))).collect();
            out.trace = event_trace(&TraceSource {
                seg,
                activity: "running",
                placement: Placement::Trunk,
                vertical_g: &v_g,
                forward_mps2: ap_lp.as_deref(),
                pitch_rate_dps: None,
                threshold_g: Some(th.theta_g),
                events: &events,
            });
        }
    }
    // Walking: periodic loading without flight, outside running bouts.
    let walking = walk::walking_steps(&v_g, fs, &running_until);
    if out.trace.is_none() {
        // The longest stretch of walking contacts one step time apart.
        let mut best: Option<(usize, usize)> = None;
        let mut a = 0;
        for i in 0..walking.len() {
            if walking[i].step_time_s.is_none() || i + 1 == walking.len() {
                if best.is_none_or(|(x, y)| i - a > y - x) {
                    best = Some((a, i));
                }
                a = i + 1;
            }
        }
        if let Some((a, b)) = best.filter(|(a, b)| b > a) {
            let events: Vec<(f64, Option<f64>)> =
                walking[a..=b].iter().map(|w| (w.index, None)).collect();
            out.trace = event_trace(&TraceSource {
                seg,
                activity: "walking",
                placement: Placement::Trunk,
                vertical_g: &v_g,
                forward_mps2: ap_lp.as_deref(),
                pitch_rate_dps: None,
                threshold_g: None,
                events: &events,
            });
        }
    }
    for w in walking {
        out.steps.push(Step {
            time_s: seg.time_of(w.index),
            activity: "walking",
            step_time_ms: w.step_time_s.map(|s| 1000.0 * s),
            cadence_spm: w.step_time_s.map(|s| 60.0 / s),
            ..Step::default()
        });
    }
    out.steps.sort_by(|a, b| a.time_s.total_cmp(&b.time_s));
    out
}

/// Lee 2010 votes → strict alternation by majority over even/odd steps of each running bout.
fn assign_sides(steps: &mut [Step], vote_of: &[Option<bool>]) -> Option<SidesReport> {
    // Votes were recorded on running steps in order; match them to running steps in order.
    let running_idx: Vec<usize> = (0..steps.len())
        .filter(|&i| steps[i].activity == "running")
        .collect();
    if running_idx.len() < 6 {
        return None;
    }
    if vote_of.len() != running_idx.len() {
        return None;
    }
    // Parity within chains: a new chain starts after a gap of more than 1 s.
    let mut parity = vec![0usize; running_idx.len()];
    let mut p = 0usize;
    for j in 0..running_idx.len() {
        if j > 0 {
            let prev = &steps[running_idx[j - 1]];
            let gap = steps[running_idx[j]].time_s - prev.time_s;
            p = if gap > 1.0 { 0 } else { p + 1 };
        }
        parity[j] = p;
    }
    // Hypothesis A: even parity = left. Chains are independent, so vote per chain.
    let mut agree = 0usize;
    let mut total = 0usize;
    let mut chain_start = 0;
    let mut labels: Vec<Option<bool>> = vec![None; running_idx.len()];
    for j in 0..=running_idx.len() {
        if j == running_idx.len() || (j > 0 && parity[j] == 0) {
            let (mut a, mut b) = (0usize, 0usize);
            for q in chain_start..j {
                if let Some(v) = vote_of[q] {
                    if v == (parity[q] % 2 == 0) {
                        a += 1;
                    } else {
                        b += 1;
                    }
                }
            }
            let even_left = a >= b;
            agree += a.max(b);
            total += a + b;
            for q in chain_start..j {
                labels[q] = Some((parity[q] % 2 == 0) == even_left);
            }
            chain_start = j;
        }
    }
    let confidence = if total > 0 {
        agree as f64 / total as f64
    } else {
        0.5
    };
    let assigned = confidence >= 0.8 && total >= 6;
    // Unsigned step-time asymmetry from alternate steps (no labels needed).
    let st: Vec<(usize, f64)> = running_idx
        .iter()
        .enumerate()
        .filter_map(|(j, &i)| steps[i].step_time_ms.map(|t| (parity[j] % 2, t)))
        .collect();
    let even = median(
        &st.iter()
            .filter(|x| x.0 == 0)
            .map(|x| x.1)
            .collect::<Vec<_>>(),
    );
    let odd = median(
        &st.iter()
            .filter(|x| x.0 == 1)
            .map(|x| x.1)
            .collect::<Vec<_>>(),
    );
    let unsigned = match (even, odd) {
        (Some(a), Some(b)) => Some(100.0 * (a - b).abs() / (0.5 * (a + b))),
        _ => None,
    };
    let mut rep = SidesReport {
        method: "lee2010_ml_sign",
        confidence,
        assigned,
        left_steps: 0,
        right_steps: 0,
        gct_balance_left_pct: None,
        step_time_symmetry_pct: None,
        step_time_asymmetry_pct: unsigned,
    };
    if assigned {
        for (j, &i) in running_idx.iter().enumerate() {
            steps[i].side = labels[j].map(|l| if l { Side::Left } else { Side::Right });
        }
        let pick = |side: Side, f: fn(&Step) -> Option<f64>| {
            median(
                &steps
                    .iter()
                    .filter(|s| s.side == Some(side))
                    .filter_map(f)
                    .collect::<Vec<_>>(),
            )
        };
        rep.left_steps = steps.iter().filter(|s| s.side == Some(Side::Left)).count();
        rep.right_steps = steps.iter().filter(|s| s.side == Some(Side::Right)).count();
        if let (Some(l), Some(r)) = (
            pick(Side::Left, |s| s.ground_contact_ms),
            pick(Side::Right, |s| s.ground_contact_ms),
        ) {
            rep.gct_balance_left_pct = Some(100.0 * l / (l + r));
        }
        if let (Some(l), Some(r)) = (
            pick(Side::Left, |s| s.step_time_ms),
            pick(Side::Right, |s| s.step_time_ms),
        ) {
            rep.step_time_symmetry_pct = Some(100.0 * (r - l) / (0.5 * (r + l)));
        }
    }
    Some(rep)
}

fn bouts_of(steps: &[Step]) -> Vec<Bout> {
    let mut out: Vec<Bout> = Vec::new();
    for s in steps {
        let end = s.time_s + s.step_time_ms.unwrap_or(0.0) / 1000.0;
        match out.last_mut() {
            Some(b) if b.activity == s.activity && s.time_s - b.end_s < 2.0 => {
                b.end_s = end.max(b.end_s);
                b.steps += 1;
            }
            _ => out.push(Bout {
                activity: s.activity,
                start_s: s.time_s,
                end_s: end,
                steps: 1,
            }),
        }
    }
    out
}
