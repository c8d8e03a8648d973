//! The steps as a per-step [`Recording`]: one record per step, which the metrics stage
//! summarises like a watch file.

use super::Step;
use crate::recording::RawSignal;
use crate::recording::{Channel, Placement, Recording, Warning};
use crate::vocab::GaitActivity;

/// The per-step recording of `steps` (file identity from `sig`), carrying `warnings`.
/// `speed_mps`, m/s, when given, is the speed of every running step.
pub(super) fn recording(
    sig: &RawSignal,
    placement: Placement,
    steps: &[Step],
    speed_mps: Option<f64>,
    warnings: Vec<Warning>,
) -> Recording {
    let mut rec = Recording::new(sig.path.clone(), sig.format);
    rec.device = sig.device.clone();
    rec.start_unix_s = sig.start_unix_s;
    rec.placement = Some(placement);
    let mut vals: Vec<(Channel, f64)> = Vec::new();
    for s in steps {
        step_values(s, speed_mps, &mut vals);
        rec.series.push(s.time_s, &vals);
    }
    rec.series.finish();
    rec.warnings = warnings;
    rec
}

/// The channels of one step, into `vals` (cleared first): the gait class (1 running,
/// 2 walking), then each measured value, and the speed on running steps.
fn step_values(s: &Step, speed_mps: Option<f64>, vals: &mut Vec<(Channel, f64)>) {
    vals.clear();
    let running = s.activity == GaitActivity::Running;
    vals.push((Channel::GaitClass, if running { 1.0 } else { 2.0 }));
    let present = [
        (Channel::CadenceSpm, s.cadence_spm),
        (Channel::GroundContactMs, s.ground_contact_ms),
        (Channel::FlightMs, s.flight_ms),
        (Channel::DutyFactorPct, s.duty_factor_pct),
        (Channel::VerticalOscillationCm, s.vertical_oscillation_cm),
        (Channel::StepLengthM, s.step_length_m),
        (Channel::VerticalRatioPct, s.vertical_ratio_pct),
        (Channel::BrakingG, s.braking_g),
        (Channel::StepSpeedLossMps, s.step_speed_loss_mps),
        (Channel::SpeedMps, speed_mps.filter(|_| running)),
    ];
    vals.extend(present.iter().filter_map(|&(c, v)| v.map(|v| (c, v))));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_step_gives_its_class_its_values_and_the_speed_when_running() {
        let mut vals = vec![(Channel::PowerW, 1.0)];
        let run = Step {
            activity: GaitActivity::Running,
            cadence_spm: Some(170.0),
            braking_g: Some(0.4),
            ..Step::default()
        };
        step_values(&run, Some(3.5), &mut vals);
        assert_eq!(
            vals,
            [
                (Channel::GaitClass, 1.0),
                (Channel::CadenceSpm, 170.0),
                (Channel::BrakingG, 0.4),
                (Channel::SpeedMps, 3.5)
            ]
        );
        let walk = Step {
            activity: GaitActivity::Walking,
            cadence_spm: Some(110.0),
            ..Step::default()
        };
        step_values(&walk, Some(3.5), &mut vals);
        assert_eq!(
            vals,
            [(Channel::GaitClass, 2.0), (Channel::CadenceSpm, 110.0)]
        );
    }
}
