//! The event trace: a few seconds of the signal with the contacts and toe-offs detected in
//! it, for the PNG report.

use crate::recording::Placement;
use crate::signal::preprocess::Segment;
use crate::vocab::GaitActivity;

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
    pub activity: GaitActivity,
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
    pub(super) fn better_than(&self, other: &TraceCandidate) -> bool {
        let run = |c: &TraceCandidate| c.trace.activity == GaitActivity::Running;
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
    pub activity: GaitActivity,
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
