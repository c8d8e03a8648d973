//! Per-metric confidence of the raw engine, from what it measured about each metric.
//!
//! Every metric starts `high` and is lowered, with the reason, by the evidence against it:
//!
//! * **Placement** detected with low confidence: at most `moderate` for everything (the
//!   methods assume a placement the signal did not clearly show).
//! * **Steps**: fewer than 30 running steps (all steps when nothing was run) leave every
//!   median on a handful of values: at most `moderate`.
//! * **Cadence**: `low` when the cadence used still disagrees with the spectrum by more than
//!   3 steps/min; `moderate` when it had to be taken from the spectrum (the steps did not
//!   fit the signal's rhythm), or from a wrist's arm swing with no step harmonic to check
//!   it against.
//! * **Contact, flight, duty factor**: `moderate` below 100 Hz (±1/(2·fs) ≥ ±5 ms of
//!   quantisation on each event; the force-plate trials of the tests reach ≤ 10 ms at
//!   100 Hz and above).
//! * **Vertical oscillation** (and vertical ratio): `moderate` when the integrated value and
//!   the spring-mass model (Morin et al. 2005) differ by more than 15 %, `low` beyond 30 %
//!   (the engine's `vo_model_disagreement` warning); `moderate` on a clipped signal (the
//!   integral of a clipped stance peak falls short).
//! * **Left/right balance**: `moderate` when fewer than 95 % of the side votes agree with
//!   the alternation.
//! * **Braking and step speed loss**: at most `moderate`: checked against simulated runs
//!   only (the force-plate files hold no fore-aft force for the Alcantara trials).
//!
//! Withheld metrics get no confidence: they are not reported.

use super::cadence::CadenceSource;
use super::{CadenceCheck, PlacementReport, SidesReport, VoCheck, Withheld};
use crate::vocab::{Channel, Confidence, MetricConfidence};
use std::collections::BTreeMap;

/// Fewest steps for a median to be trusted fully.
const MIN_STEPS: usize = 30;

/// What the engine measured that bears on its metrics' confidence.
pub(super) struct Evidence<'a> {
    /// The placement and how sure its detection was.
    pub placement: &'a PlacementReport,
    /// Sampling rate, Hz.
    pub rate_hz: f64,
    /// Steps behind the running metrics (all steps when nothing was run).
    pub steps: usize,
    /// Spectral versus step cadence.
    pub cadence: Option<&'a CadenceCheck>,
    /// Integrated versus model VO.
    pub vo: Option<&'a VoCheck>,
    /// Sides.
    pub sides: Option<&'a SidesReport>,
    /// Metrics withheld (they get no confidence).
    pub withheld: &'a [Withheld],
    /// The accelerometer clipped somewhere.
    pub clipped: bool,
}

/// One metric's confidence being built: the level and the reasons that lowered it.
struct Building {
    level: Confidence,
    reasons: Vec<String>,
}

impl Building {
    fn new() -> Self {
        Building {
            level: Confidence::High,
            reasons: Vec::new(),
        }
    }

    /// Lower to at most `to`, saying why (the reason is kept only when it lowers or
    /// matches a lowered level).
    fn cap(&mut self, to: Confidence, why: impl Into<String>) {
        if to < Confidence::High {
            self.level = self.level.min(to);
            self.reasons.push(why.into());
        }
    }

    fn done(self) -> MetricConfidence {
        MetricConfidence {
            level: self.level,
            reasons: self.reasons,
        }
    }
}

/// Caps shared by every metric: placement and step count.
fn common(e: &Evidence<'_>) -> Building {
    let mut b = Building::new();
    if e.placement.confidence == Confidence::Low {
        b.cap(
            Confidence::Moderate,
            "the sensor placement was detected with low confidence",
        );
    }
    if e.steps < MIN_STEPS {
        b.cap(
            Confidence::Moderate,
            format!("only {} steps (fewer than {MIN_STEPS})", e.steps),
        );
    }
    b
}

/// Cadence: agreement of the cadence used with the spectrum, and its source.
fn cadence(e: &Evidence<'_>) -> MetricConfidence {
    let mut b = common(e);
    if let Some(c) = e.cadence {
        if c.agree == Some(false) {
            b.cap(
                Confidence::Low,
                format!(
                    "the cadence used and the spectrum ({:.1}) differ by more than 3 steps/min",
                    c.spectrum_spm
                ),
            );
        }
        if c.source == CadenceSource::ArmSwing && c.agree.is_none() {
            b.cap(
                Confidence::Moderate,
                "from the arm swing alone: no step harmonic stood out to check it",
            );
        }
        if c.source == CadenceSource::Spectrum {
            b.cap(
                Confidence::Moderate,
                "taken from the spectrum: the detected steps did not fit the signal's rhythm",
            );
        }
    }
    b.done()
}

/// Contact, flight and duty factor: the sampling rate.
fn timing(e: &Evidence<'_>) -> MetricConfidence {
    let mut b = common(e);
    if e.rate_hz < 100.0 {
        b.cap(
            Confidence::Moderate,
            format!(
                "{:.0} Hz: ±{:.0} ms quantisation on each event",
                e.rate_hz,
                500.0 / e.rate_hz
            ),
        );
    }
    b.done()
}

/// Vertical oscillation and ratio: agreement with the spring-mass model.
fn oscillation(e: &Evidence<'_>) -> MetricConfidence {
    let mut b = common(e);
    if e.clipped {
        b.cap(
            Confidence::Moderate,
            "the accelerometer clipped: stance peaks are cut",
        );
    }
    if let Some(v) = e.vo {
        let d = v.difference_pct.abs();
        if d > 30.0 {
            b.cap(
                Confidence::Low,
                format!("integration and the spring-mass model differ by {d:.0} %"),
            );
        } else if d > 15.0 {
            b.cap(
                Confidence::Moderate,
                format!("integration and the spring-mass model differ by {d:.0} %"),
            );
        }
    }
    b.done()
}

/// Left/right balance: the side votes' agreement.
fn balance(e: &Evidence<'_>) -> MetricConfidence {
    let mut b = common(e);
    if let Some(s) = e.sides {
        if s.confidence < 0.95 {
            b.cap(
                Confidence::Moderate,
                format!(
                    "{:.0} % of the side votes agree with the alternation",
                    100.0 * s.confidence
                ),
            );
        }
    }
    b.done()
}

/// Braking and speed loss: simulated validation only.
fn braking(e: &Evidence<'_>) -> MetricConfidence {
    let mut b = common(e);
    b.cap(
        Confidence::Moderate,
        "checked on simulated runs only (no fore-aft force-plate truth)",
    );
    b.done()
}

/// How one metric's confidence is judged.
type Rule = fn(&Evidence<'_>) -> MetricConfidence;

/// The confidence of every metric the engine reports (not the withheld ones).
pub(super) fn per_metric(e: &Evidence<'_>) -> BTreeMap<&'static str, MetricConfidence> {
    let rows: [(Channel, Rule); 9] = [
        (Channel::CadenceSpm, cadence),
        (Channel::GroundContactMs, timing),
        (Channel::FlightMs, timing),
        (Channel::DutyFactorPct, timing),
        (Channel::VerticalOscillationCm, oscillation),
        (Channel::VerticalRatioPct, oscillation),
        (Channel::GctBalanceLeftPct, balance),
        (Channel::BrakingG, braking),
        (Channel::StepSpeedLossMps, braking),
    ];
    rows.iter()
        .filter(|(c, _)| !e.withheld.iter().any(|w| w.metric == c.name()))
        .map(|(c, f)| (c.name(), f(e)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::recording::Placement;

    fn placement(confidence: Confidence) -> PlacementReport {
        PlacementReport {
            placement: Placement::Trunk,
            decided: super::super::PlacementDecision::Detected,
            confidence,
            evidence: None,
        }
    }

    fn check(agree: bool, source: CadenceSource) -> CadenceCheck {
        CadenceCheck {
            spectrum_spm: 160.0,
            steps_spm: Some(160.0),
            strides_spm: Some(160.0),
            cadence_spm: Some(if agree { 160.0 } else { 170.0 }),
            source,
            fit_strides: None,
            fit_spectrum: None,
            difference_spm: Some(if agree { 0.0 } else { 10.0 }),
            agree: Some(agree),
        }
    }

    #[test]
    fn evidence_lowers_each_metric_with_its_reason() {
        let p = placement(Confidence::High);
        let good = check(true, CadenceSource::Strides);
        let vo = VoCheck {
            integrated_cm: 8.0,
            spring_mass_cm: 10.0,
            difference_pct: -20.0,
        };
        let e = Evidence {
            placement: &p,
            rate_hz: 100.0,
            steps: 200,
            cadence: Some(&good),
            vo: Some(&vo),
            sides: None,
            withheld: &[],
            clipped: false,
        };
        let m = per_metric(&e);
        assert_eq!(m["cadence_spm"].level, Confidence::High);
        assert!(m["cadence_spm"].reasons.is_empty());
        assert_eq!(m["ground_contact_ms"].level, Confidence::High);
        assert_eq!(m["vertical_oscillation_cm"].level, Confidence::Moderate);
        assert_eq!(m["braking_g"].level, Confidence::Moderate);
        // Disagreeing cadence, 50 Hz, a low-confidence placement, a big VO gap, few steps.
        let lp = placement(Confidence::Low);
        let bad = check(false, CadenceSource::Strides);
        let far = VoCheck {
            difference_pct: 40.0,
            ..vo
        };
        let withheld = [Withheld {
            metric: "braking_g",
            reason: String::new(),
        }];
        let e = Evidence {
            placement: &lp,
            rate_hz: 50.0,
            steps: 12,
            cadence: Some(&bad),
            vo: Some(&far),
            sides: None,
            withheld: &withheld,
            clipped: true,
        };
        let m = per_metric(&e);
        assert_eq!(m["cadence_spm"].level, Confidence::Low);
        assert_eq!(m["cadence_spm"].reasons.len(), 3);
        assert_eq!(m["ground_contact_ms"].level, Confidence::Moderate);
        assert!(m["ground_contact_ms"].reasons[2].contains("±10 ms"));
        assert_eq!(m["vertical_oscillation_cm"].level, Confidence::Low);
        assert!(!m.contains_key("braking_g"));
        // A spectral cadence is moderate at best.
        let spec = check(true, CadenceSource::Spectrum);
        let e = Evidence {
            placement: &p,
            rate_hz: 100.0,
            steps: 200,
            cadence: Some(&spec),
            vo: None,
            sides: None,
            withheld: &[],
            clipped: true,
        };
        let m = per_metric(&e);
        assert_eq!(m["cadence_spm"].level, Confidence::Moderate);
        assert_eq!(m["vertical_oscillation_cm"].level, Confidence::Moderate);
        assert!(m["vertical_oscillation_cm"].reasons[0].contains("clipped"));
    }

    #[test]
    fn an_arm_swing_cadence_is_high_only_when_its_step_harmonic_checks_it() {
        let p = placement(Confidence::High);
        let checked = check(true, CadenceSource::ArmSwing);
        let unchecked = CadenceCheck {
            agree: None,
            difference_spm: None,
            ..checked
        };
        let level = |c: &CadenceCheck| {
            per_metric(&Evidence {
                placement: &p,
                rate_hz: 50.0,
                steps: 200,
                cadence: Some(c),
                vo: None,
                sides: None,
                withheld: &[],
                clipped: false,
            })["cadence_spm"]
                .clone()
        };
        assert_eq!(level(&checked).level, Confidence::High);
        let m = level(&unchecked);
        assert_eq!(m.level, Confidence::Moderate);
        assert!(m.reasons[0].contains("no step harmonic"), "{:?}", m.reasons);
    }
}
