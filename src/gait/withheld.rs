//! What a placement, a sampling rate or a clipped signal cannot support, each with its
//! reason: withheld, never guessed.

use super::{PlacementReport, SidesReport, Step, Withheld};
use crate::recording::Placement;
use crate::vocab::Channel;
use crate::vocab::Confidence;

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
        Placement::Wrist => all(
            &[
                Channel::GroundContactMs.name(),
                Channel::FlightMs.name(),
                Channel::DutyFactorPct.name(),
                Channel::VerticalOscillationCm.name(),
                Channel::VerticalRatioPct.name(),
                Channel::GctBalanceLeftPct.name(),
                Channel::BrakingG.name(),
                Channel::StepSpeedLossMps.name(),
            ],
            "a wrist or hand-held sensor follows the arm swing, not the feet or the trunk: no validated method gives contact, flight, duty factor, vertical oscillation or ratio, left/right balance or braking from it (cadence and steps only)",
        ),
        Placement::Thigh => all(
            &[
                Channel::GroundContactMs.name(),
                Channel::FlightMs.name(),
                Channel::VerticalOscillationCm.name(),
                Channel::BrakingG.name(),
                Channel::GctBalanceLeftPct.name(),
            ],
            "a phone in a trouser pocket moves with the thigh, not the trunk: no vertical oscillation, and no validated contact-time method",
        ),
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

/// What the data says about what can be measured.
pub(super) struct Data {
    /// The placement used.
    pub placement: Placement,
    /// Whether any segment had a forward axis.
    pub any_ap: bool,
    /// Sampling rate, Hz.
    pub rate_hz: f64,
    /// Whether the accelerometer clipped.
    pub clipped: bool,
    /// Running steps found from the rhythm alone.
    pub rhythm_steps: usize,
}

/// Everything the placement, the rate, clipping and flightless running withhold, in that
/// order; a clipped signal's braking values are cleared from `steps`.
pub(super) fn by_data(d: &Data, steps: &mut [Step]) -> Vec<Withheld> {
    let mut w = by_placement(d.placement, d.any_ap);
    w.extend(by_rate(d.rate_hz));
    if d.clipped {
        clear_braking(steps);
        w.push(clipped_braking());
    }
    w.extend(no_flight(d.rhythm_steps));
    w
}

/// Clears `braking_g` of every step (a clipped signal: [`clipped_braking`]).
fn clear_braking(steps: &mut [Step]) {
    for s in steps.iter_mut() {
        s.braking_g = None;
    }
}

/// A clipped accelerometer hides braking peaks.
fn clipped_braking() -> Withheld {
    Withheld {
        metric: Channel::BrakingG.name(),
        reason: "the accelerometer clipped: peak values are unknown".into(),
    }
}

/// Alternate-step asymmetry, %, above which a trunk sensor detected with low confidence is
/// taken to sit off the midline (a lateral hip clip): midline trunk sensors on the
/// force-plate trials and simulated runs of the tests stay within a few per cent, and a
/// 10 % step-time asymmetry would be a limp, not a runner's normal gait.
pub const LATERAL_ASYMMETRY_PCT: f64 = 10.0;

/// A sensor off the midline (a trunk placement detected with low confidence and alternate
/// step times differing by more than [`LATERAL_ASYMMETRY_PCT`]) sees the near leg's
/// stances differently from the far leg's: contact, flight, duty factor, vertical
/// oscillation and ratio, and the left/right balance are not the runner's. Clears them from
/// the steps and the sides report and says why; empty otherwise.
pub(super) fn lateral_sensor(
    placement: &PlacementReport,
    sides: Option<&mut SidesReport>,
    steps: &mut [Step],
) -> Vec<Withheld> {
    let Some(sides) = sides else {
        return Vec::new();
    };
    let asym = sides.step_time_asymmetry_pct.unwrap_or(0.0);
    if placement.placement != Placement::Trunk
        || placement.confidence != Confidence::Low
        || !(asym > LATERAL_ASYMMETRY_PCT)
    {
        return Vec::new();
    }
    for s in steps.iter_mut() {
        s.ground_contact_ms = None;
        s.flight_ms = None;
        s.duty_factor_pct = None;
        s.vertical_oscillation_cm = None;
        s.vo_spring_mass_cm = None;
        s.vertical_ratio_pct = None;
    }
    sides.gct_balance_left_pct = None;
    all(
        &[
            Channel::GroundContactMs.name(),
            Channel::FlightMs.name(),
            Channel::DutyFactorPct.name(),
            Channel::VerticalOscillationCm.name(),
            Channel::VerticalRatioPct.name(),
            Channel::GctBalanceLeftPct.name(),
        ],
        &format!(
            "the sensor looks off the body's midline (a lateral hip or pocket: trunk placement of low confidence, alternate step times {asym:.0} % apart): it sees the near leg's stances differently from the far leg's, so contact, oscillation and balance are not the runner's"
        ),
    )
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
    fn a_lateral_sensor_loses_contact_oscillation_and_balance() {
        let placement = |confidence| PlacementReport {
            placement: Placement::Trunk,
            decided: super::super::PlacementDecision::Detected,
            confidence,
            evidence: None,
        };
        let sides = |asym| SidesReport {
            method: "lee2010_ml_sign",
            confidence: 0.9,
            assigned: true,
            left_steps: 3,
            right_steps: 3,
            gct_balance_left_pct: Some(39.6),
            step_time_symmetry_pct: Some(23.0),
            step_time_asymmetry_pct: Some(asym),
        };
        let step = || Step {
            ground_contact_ms: Some(300.0),
            vertical_oscillation_cm: Some(8.0),
            cadence_spm: Some(157.0),
            ..Step::default()
        };
        let mut steps = vec![step(), step()];
        let mut s = sides(17.6);
        let w = lateral_sensor(&placement(Confidence::Low), Some(&mut s), &mut steps);
        assert_eq!(w.len(), 6);
        assert!(w[0].reason.contains("18 % apart"), "{}", w[0].reason);
        assert_eq!(s.gct_balance_left_pct, None);
        assert!(steps.iter().all(|x| x.ground_contact_ms.is_none()
            && x.vertical_oscillation_cm.is_none()
            && x.cadence_spm == Some(157.0)));
        // A midline sensor (high confidence) or a small asymmetry keeps everything.
        let mut steps = vec![step()];
        let mut s = sides(17.6);
        assert!(lateral_sensor(&placement(Confidence::High), Some(&mut s), &mut steps).is_empty());
        let mut s = sides(4.0);
        assert!(lateral_sensor(&placement(Confidence::Low), Some(&mut s), &mut steps).is_empty());
        assert_eq!(steps[0].ground_contact_ms, Some(300.0));
        assert!(lateral_sensor(&placement(Confidence::Low), None, &mut steps).is_empty());
    }

    #[test]
    fn data_withholds_in_order_placement_rate_clipping_flight() {
        let mut steps = [Step {
            braking_g: Some(0.5),
            ..Step::default()
        }];
        let w = by_data(
            &Data {
                placement: Placement::Trunk,
                any_ap: false,
                rate_hz: 25.0,
                clipped: true,
                rhythm_steps: 3,
            },
            &mut steps,
        );
        assert_eq!(steps[0].braking_g, None);
        assert_eq!(
            metrics(&w),
            [
                "braking_g",
                "ground_contact_ms",
                "flight_ms",
                "duty_factor_pct",
                "braking_g",
                "braking_g",
                "ground_contact_ms",
                "flight_ms",
                "duty_factor_pct"
            ]
        );
        let mut kept = [Step {
            braking_g: Some(0.5),
            ..Step::default()
        }];
        let none = by_data(
            &Data {
                placement: Placement::Trunk,
                any_ap: true,
                rate_hz: 100.0,
                clipped: false,
                rhythm_steps: 0,
            },
            &mut kept,
        );
        assert!(none.is_empty());
        assert_eq!(kept[0].braking_g, Some(0.5));
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
        assert_eq!(
            metrics(&by_placement(Placement::Wrist, true)),
            [
                "ground_contact_ms",
                "flight_ms",
                "duty_factor_pct",
                "vertical_oscillation_cm",
                "vertical_ratio_pct",
                "gct_balance_left_pct",
                "braking_g",
                "step_speed_loss_mps"
            ]
        );
        assert_eq!(by_placement(Placement::Thigh, true).len(), 5);
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
        clear_braking(&mut steps);
        assert_eq!(clipped_braking().metric, "braking_g");
        assert!(steps.iter().all(|s| s.braking_g.is_none()));
    }
}
