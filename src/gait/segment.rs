//! Steps of every segment: align each segment, run the placement's detector on it, and
//! gather what the segments gave.

use super::{EventMethod, Step, TraceCandidate, limb, trunk_segment::trunk_segment};
use crate::recording::Placement;
use crate::recording::RawSignal;
use crate::signal::orient::{AlignInfo, align};
use crate::signal::preprocess::Segment;

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
    /// Running steps found from the rhythm alone (no flight visible: no contact timing).
    pub rhythm_steps: usize,
    /// How the cadence of its running and of its walking steps was settled.
    pub cadence: Vec<super::cadence::CadenceBasis>,
}

/// What all segments gave together.
#[derive(Debug, Default)]
pub(super) struct Found {
    /// Steps of all segments, segment by segment.
    pub steps: Vec<Step>,
    /// Spectral cadence per window, steps/min.
    pub spectral_spm: Vec<f64>,
    /// Lee side votes, one per running step in time order.
    pub side_votes: Vec<Option<bool>>,
    /// The first segment's event method.
    pub event_method: Option<EventMethod>,
    /// Alignment of the longest segment.
    pub alignment: AlignInfo,
    /// Whether any segment had a forward (AP) axis.
    pub any_ap: bool,
    /// The best event trace ([`TraceCandidate::better_than`]).
    pub trace: Option<TraceCandidate>,
    /// Running steps found from the rhythm alone, all segments.
    pub rhythm_steps: usize,
    /// How each segment's cadence was settled.
    pub cadence: Vec<super::cadence::CadenceBasis>,
}

impl Found {
    /// Add one segment's output.
    fn add(&mut self, out: SegmentOut) {
        self.spectral_spm.extend(out.spectral_spm);
        if self.event_method.is_none() {
            self.event_method = out.method;
        }
        self.side_votes.extend(out.votes);
        self.rhythm_steps += out.rhythm_steps;
        self.cadence.extend(out.cadence);
        self.steps.extend(out.steps);
        if let Some(c) = out.trace {
            if self.trace.as_ref().is_none_or(|t| c.better_than(t)) {
                self.trace = Some(c);
            }
        }
    }
}

/// Index of the longest segment (the last of equally long ones; 0 when there is none).
pub(super) fn longest(segments: &[Segment]) -> usize {
    segments
        .iter()
        .enumerate()
        .max_by_key(|(_, s)| s.len())
        .map(|(i, _)| i)
        .unwrap_or(0)
}

/// Align every segment and detect its steps with the `placement`'s method; `timing`: the
/// rate supports contact timing (≥ 50 Hz). A trunk segment's raw acceleration is released
/// once aligned (the trunk path works on the aligned signal only).
pub(super) fn analyze_all(
    sig: &RawSignal,
    segments: &mut [Segment],
    placement: Placement,
    longest: usize,
    timing: bool,
) -> Found {
    let mut found = Found::default();
    for (si, seg) in segments.iter_mut().enumerate() {
        let al = align(&seg.acc_mps2, seg.rate, sig.axes, sig.gravity_included.0);
        if placement == Placement::Trunk {
            seg.acc_mps2 = Default::default();
        }
        if si == longest {
            found.alignment = al.info.clone();
        }
        found.any_ap |= al.ap_mps2.is_some();
        found.add(match placement {
            Placement::Trunk => trunk_segment(seg, al, timing),
            Placement::Foot => limb::foot_segment(seg, &al, timing),
            Placement::Wrist => super::wrist::wrist_segment(seg),
            Placement::Thigh => limb::cadence_only_segment(seg),
        });
    }
    found
}
