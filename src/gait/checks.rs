//! Cross-checks of the detected steps against independent estimates: the spectral cadence
//! and the spring-mass vertical oscillation (Morin 2005).

use super::{CadenceCheck, Step, VoCheck, median};
use crate::recording::Warning;
use crate::vocab::GaitActivity;
use crate::vocab::WarningCode;

/// Cadence from the spectrum (median of the per-window peaks `spectral_spm`, steps/min)
/// against 60 000 / the median step time of the running steps (of all steps when nothing
/// was run); they agree within 3 steps/min. `None` without any spectral estimate.
pub(super) fn cadence_check(steps: &[Step], spectral_spm: &[f64]) -> Option<CadenceCheck> {
    let any_running = steps.iter().any(|s| s.activity == GaitActivity::Running);
    let step_times: Vec<f64> = steps
        .iter()
        .filter(|s| !any_running || s.activity == GaitActivity::Running)
        .filter_map(|s| s.step_time_ms)
        .collect();
    let steps_spm = median(&step_times).map(|t| 60_000.0 / t);
    median(spectral_spm).map(|sp| {
        let d = steps_spm.map(|s| s - sp);
        CadenceCheck {
            spectrum_spm: sp,
            steps_spm,
            difference_spm: d,
            agree: d.map(|d| d.abs() <= 3.0),
        }
    })
}

/// Median integrated VO against the median spring-mass VO over the running steps, cm, and
/// their difference relative to the model, %. `None` unless both exist and the model is
/// positive.
pub(super) fn vo_check(steps: &[Step]) -> Option<VoCheck> {
    let running = || steps.iter().filter(|s| s.activity == GaitActivity::Running);
    let integrated = median(
        &running()
            .filter_map(|s| s.vertical_oscillation_cm)
            .collect::<Vec<_>>(),
    );
    let model = median(
        &running()
            .filter_map(|s| s.vo_spring_mass_cm)
            .collect::<Vec<_>>(),
    );
    match (integrated, model) {
        (Some(a), Some(b)) if b > 0.0 => Some(VoCheck {
            integrated_cm: a,
            spring_mass_cm: b,
            difference_pct: 100.0 * (a - b) / b,
        }),
        _ => None,
    }
}

/// `cadence_disagreement` when the two cadences differ by more than 3 steps/min, then
/// `vo_model_disagreement` when the two VOs differ by more than 30 %.
pub(super) fn warnings(cadence: Option<&CadenceCheck>, vo: Option<&VoCheck>) -> Vec<Warning> {
    let mut warnings = Vec::new();
    if let Some(c) = cadence.filter(|c| c.agree == Some(false)) {
        warnings.push(Warning::new(
            WarningCode::CadenceDisagreement,
            format!(
                "cadence from the spectrum ({:.1}) and from detected steps ({:.1}) differ by more than 3 steps/min: some steps may be missed or doubled",
                c.spectrum_spm,
                c.steps_spm.unwrap_or(f64::NAN)
            ),
        ));
    }
    if let Some(v) = vo.filter(|v| v.difference_pct.abs() > 30.0) {
        warnings.push(Warning::new(
            WarningCode::VoModelDisagreement,
            format!(
                "vertical oscillation by integration ({:.1} cm) and by the spring-mass model ({:.1} cm) differ by {:.0} %: treat VO with caution",
                v.integrated_cm, v.spring_mass_cm, v.difference_pct
            ),
        ));
    }
    warnings
}

#[cfg(test)]
mod tests {
    use super::*;

    fn step(activity: &'static str, step_time_ms: f64, vo: f64, model: f64) -> Step {
        Step {
            activity: if activity == "running" {
                GaitActivity::Running
            } else {
                GaitActivity::Walking
            },
            step_time_ms: Some(step_time_ms),
            vertical_oscillation_cm: Some(vo),
            vo_spring_mass_cm: Some(model),
            ..Step::default()
        }
    }

    #[test]
    fn cadence_of_running_steps_is_compared_with_the_spectrum() {
        // 375 ms running steps = 160 steps/min; the walking step is ignored.
        let steps = [
            step("running", 375.0, 8.0, 10.0),
            step("running", 375.0, 8.0, 10.0),
            step("walking", 600.0, 0.0, 0.0),
        ];
        let c = cadence_check(&steps, &[158.0, 161.0, 170.0]).unwrap();
        assert_eq!(c.spectrum_spm, 161.0);
        assert!((c.steps_spm.unwrap() - 160.0).abs() < 1e-9);
        assert_eq!(c.agree, Some(true));
        let far = cadence_check(&steps, &[150.0]).unwrap();
        assert_eq!(far.agree, Some(false));
        assert_eq!(
            warnings(Some(&far), None)[0].code,
            WarningCode::CadenceDisagreement
        );
        assert!(cadence_check(&steps, &[]).is_none());
    }

    #[test]
    fn walking_steps_give_the_cadence_when_nothing_was_run() {
        let steps = [step("walking", 500.0, 0.0, 0.0)];
        let c = cadence_check(&steps, &[120.0]).unwrap();
        assert!((c.steps_spm.unwrap() - 120.0).abs() < 1e-9);
    }

    #[test]
    fn vo_difference_is_relative_to_the_model() {
        let steps = [
            step("running", 350.0, 6.0, 10.0),
            step("running", 350.0, 6.0, 10.0),
        ];
        let v = vo_check(&steps).unwrap();
        assert!((v.difference_pct + 40.0).abs() < 1e-9);
        assert_eq!(
            warnings(None, Some(&v))[0].code,
            WarningCode::VoModelDisagreement
        );
        assert!(vo_check(&[step("walking", 500.0, 6.0, 10.0)]).is_none());
    }
}
