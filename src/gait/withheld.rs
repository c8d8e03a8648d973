//! What a placement, a sampling rate or a clipped signal cannot support, each with its
//! reason: withheld, never guessed.

use super::{Step, Withheld};
use crate::recording::Placement;
use crate::vocab::Channel;

/// Withheld entries for `metrics`, all with the same `reason`.
fn all(metrics: &[&'static str], reason: &str) -> Vec<Withheld> {
    metrics
        .iter()
        .map(|&metric| Withheld {
            metric,
            reason: reason.into(),
        })
        .collect()
}

/// What each placement cannot give: wrist and thigh give cadence only; a foot sensor sees
/// neither the trunk nor the other foot; a trunk sensor gives no braking without a forward
/// axis (`any_ap`: whether any segment had one).
pub(super) fn by_placement(placement: Placement, any_ap: bool) -> Vec<Withheld> {
    match placement {
        Placement::Wrist | Placement::Thigh => {
            let why = if placement == Placement::Wrist {
                "a wrist sensor follows the arm swing: no validated method gives contact, flight, vertical oscillation or braking from it"
            } else {
                "a phone in a trouser pocket moves with the thigh, not the trunk: no vertical oscillation, and no validated contact-time method"
            };
            all(
                &[
                    Channel::GroundContactMs.name(),
                    Channel::FlightMs.name(),
                    Channel::VerticalOscillationCm.name(),
                    Channel::BrakingG.name(),
                    Channel::GctBalanceLeftPct.name(),
                ],
                why,
            )
        }
        Placement::Foot => all(
            &[
                Channel::VerticalOscillationCm.name(),
                Channel::BrakingG.name(),
                Channel::GctBalanceLeftPct.name(),
            ],
            "a foot sensor sees one foot and not the trunk: no trunk oscillation, braking or left/right balance (that needs a sensor on each foot)",
        ),
        Placement::Trunk if !any_ap => all(
            &[Channel::BrakingG.name()],
            "no forward axis could be found (no horizontal acceleration correlated with the steps)",
        ),
        Placement::Trunk => Vec::new(),
    }
}

/// Contact timing below 50 Hz: ±1/(2·fs) ≥ ±10 ms of quantisation on a ~250 ms contact.
/// `fs` in Hz.
pub(super) fn by_rate(fs: f64) -> Vec<Withheld> {
    if fs >= 50.0 {
        return Vec::new();
    }
    all(
        &[
            Channel::GroundContactMs.name(),
            Channel::FlightMs.name(),
            Channel::DutyFactorPct.name(),
            Channel::BrakingG.name(),
        ],
        &format!("{fs:.0} Hz is below the 50 Hz needed for contact timing"),
    )
}

/// Running steps found from the rhythm alone (`rhythm_steps` of them: the trunk signal
/// showed no flight there) carry no contact timing: says so for contact, flight and duty
/// factor. Empty when there are none.
pub(super) fn no_flight(rhythm_steps: usize) -> Vec<Withheld> {
    if rhythm_steps == 0 {
        return Vec::new();
    }
    all(
        &[
            Channel::GroundContactMs.name(),
            Channel::FlightMs.name(),
            Channel::DutyFactorPct.name(),
        ],
        &format!(
            "{rhythm_steps} running steps were found from the step rhythm alone: the trunk signal shows no flight phase there (grounded running, or soft tissue filling a short flight), so their contact timing is not measured"
        ),
    )
}

/// A clipped accelerometer hides braking peaks: clears `braking_g` of every step and says so.
pub(super) fn clipped_braking(steps: &mut [Step]) -> Withheld {
    for s in steps.iter_mut() {
        s.braking_g = None;
    }
    Withheld {
        metric: Channel::BrakingG.name(),
        reason: "the accelerometer clipped: peak values are unknown".into(),
    }
}

/// Step length needs the running speed.
pub(super) fn step_length() -> Withheld {
    Withheld {
        metric: Channel::StepLengthM.name(),
        reason: "needs the running speed: pass --speed-mps (or a file with a speed column)".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn metrics(w: &[Withheld]) -> Vec<&'static str> {
        w.iter().map(|w| w.metric).collect()
    }

    #[test]
    fn rates_below_50_hz_withhold_contact_timing() {
        assert!(by_rate(50.0).is_empty());
        let w = by_rate(25.0);
        assert_eq!(
            metrics(&w),
            [
                "ground_contact_ms",
                "flight_ms",
                "duty_factor_pct",
                "braking_g"
            ]
        );
        assert_eq!(
            w[0].reason,
            "25 Hz is below the 50 Hz needed for contact timing"
        );
    }

    #[test]
    fn trunk_withholds_braking_only_without_a_forward_axis() {
        assert!(by_placement(Placement::Trunk, true).is_empty());
        assert_eq!(
            metrics(&by_placement(Placement::Trunk, false)),
            ["braking_g"]
        );
        assert_eq!(by_placement(Placement::Wrist, true).len(), 5);
        assert_eq!(by_placement(Placement::Foot, true).len(), 3);
    }

    #[test]
    fn clipping_clears_every_braking_value() {
        let mut steps = vec![
            Step {
                braking_g: Some(0.5),
                ..Step::default()
            };
            3
        ];
        assert_eq!(clipped_braking(&mut steps).metric, "braking_g");
        assert!(steps.iter().all(|s| s.braking_g.is_none()));
    }
}
