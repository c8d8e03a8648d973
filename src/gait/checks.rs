//! Cross-checks of the detected steps against independent estimates: the spectral cadence
//! and the spring-mass vertical oscillation (Morin 2005).

use super::cadence::{CadenceBasis, CadenceSource};
use super::{CadenceCheck, Step, VoCheck, median};
use crate::recording::Placement;
use crate::recording::Warning;
use crate::vocab::GaitActivity;
use crate::vocab::WarningCode;

/// Cadence from the spectrum (median of the per-window peaks `spectral_spm`, steps/min)
/// against the detected steps: single steps (60 000 / median step time), strides (from
/// `basis`, how the trunk segments settled their cadence) and the median of the per-step
/// cadences used, of the running steps (of all steps when nothing was run); the used cadence
/// and the spectrum agree within 3 steps/min (not stated for an arm swing without a visible
/// step harmonic: nothing independent to compare with). Without a basis the source follows the
/// `placement`: a foot sensor's steps are half strides, a wrist's cadence is the arm
/// swing's, a thigh's spectral. `None` without any spectral estimate.
pub(super) fn cadence_check(
    steps: &[Step],
    spectral_spm: &[f64],
    placement: Placement,
    basis: Option<CadenceBasis>,
) -> Option<CadenceCheck> {
    let any_running = steps.iter().any(|s| s.activity == GaitActivity::Running);
    let counted = || {
        steps
            .iter()
            .filter(move |s| !any_running || s.activity == GaitActivity::Running)
    };
    let step_times: Vec<f64> = counted().filter_map(|s| s.step_time_ms).collect();
    let steps_spm = median(&step_times).map(|t| 60_000.0 / t);
    let used = median(&counted().filter_map(|s| s.cadence_spm).collect::<Vec<_>>());
    let source = basis.map(|b| b.source).unwrap_or(match placement {
        Placement::Foot => CadenceSource::Strides,
        Placement::Wrist => CadenceSource::ArmSwing,
        Placement::Thigh => CadenceSource::Spectrum,
        Placement::Trunk => CadenceSource::Steps,
    });
    // A wrist without a visible step harmonic has only its own swing to compare with.
    let unchecked =
        basis.is_some_and(|b| b.source == CadenceSource::ArmSwing && b.spectrum_spm.is_none());
    median(spectral_spm).map(|sp| {
        let d = used.map(|s| s - sp).filter(|_| !unchecked);
        CadenceCheck {
            spectrum_spm: sp,
            steps_spm,
            strides_spm: basis.and_then(|b| b.strides_spm),
            cadence_spm: used,
            source,
            fit_strides: basis.and_then(|b| b.fit_strides),
            fit_spectrum: basis.and_then(|b| b.fit_spectrum),
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

/// What a remaining disagreement between the cadence used and the spectrum means, and why
/// the cadence used was kept.
fn disagreement_message(c: &CadenceCheck) -> String {
    let used = c.cadence_spm.unwrap_or(f64::NAN);
    let why = match (c.fit_strides, c.fit_spectrum) {
        (Some(a), Some(b)) => format!(
            "the steps fit the signal's rhythm better (autocorrelation {a:.2} at their period, {b:.2} at the spectrum's), so the cadence is taken from {}",
            c.source
        ),
        _ if c
            .strides_spm
            .is_some_and(|s| (s / (2.0 * c.spectrum_spm) - 1.0).abs() <= 0.05) =>
        {
            "the spectrum is at half the stride cadence: it found the stride rhythm, not the step"
                .to_string()
        }
        _ => "some steps may be missed or doubled".to_string(),
    };
    format!(
        "cadence from {} ({used:.1}) and from the spectrum ({:.1}) differ by more than 3 steps/min: {why}",
        c.source, c.spectrum_spm
    )
}

/// `cadence_disagreement` when the two cadences differ by more than 3 steps/min, then
/// `vo_model_disagreement` when the two VOs differ by more than 30 %.
pub(super) fn warnings(cadence: Option<&CadenceCheck>, vo: Option<&VoCheck>) -> Vec<Warning> {
    let mut warnings = Vec::new();
    if let Some(c) = cadence.filter(|c| c.agree == Some(false)) {
        warnings.push(Warning::new(
            WarningCode::CadenceDisagreement,
            disagreement_message(c),
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
            cadence_spm: Some(60_000.0 / step_time_ms),
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
        let trunk = Placement::Trunk;
        let c = cadence_check(&steps, &[158.0, 161.0, 170.0], trunk, None).unwrap();
        assert_eq!(c.spectrum_spm, 161.0);
        assert!((c.steps_spm.unwrap() - 160.0).abs() < 1e-9);
        assert!((c.cadence_spm.unwrap() - 160.0).abs() < 1e-9);
        assert_eq!(c.source, CadenceSource::Steps);
        assert_eq!(c.agree, Some(true));
        let far = cadence_check(&steps, &[150.0], trunk, None).unwrap();
        assert_eq!(far.agree, Some(false));
        let w = &warnings(Some(&far), None)[0];
        assert_eq!(w.code, WarningCode::CadenceDisagreement);
        assert!(w.message.contains("missed or doubled"), "{}", w.message);
        assert!(cadence_check(&steps, &[], trunk, None).is_none());
        let wrist = cadence_check(&steps, &[160.0], Placement::Wrist, None).unwrap();
        assert_eq!(wrist.source, CadenceSource::ArmSwing);
    }

    #[test]
    fn a_spectrum_at_the_stride_rhythm_is_named_as_such() {
        let steps = [step("running", 375.0, 8.0, 10.0)];
        let basis = CadenceBasis {
            activity: GaitActivity::Running,
            source: CadenceSource::Strides,
            strides_spm: Some(160.0),
            spectrum_spm: Some(80.0),
            fit_strides: None,
            fit_spectrum: None,
            steps: 1,
        };
        let c = cadence_check(&steps, &[80.0], Placement::Trunk, Some(basis)).unwrap();
        assert_eq!(c.source, CadenceSource::Strides);
        let w = &warnings(Some(&c), None)[0];
        assert!(w.message.contains("stride rhythm"), "{}", w.message);
    }

    #[test]
    fn an_arm_swing_without_a_step_harmonic_states_no_agreement() {
        let steps = [step("running", 375.0, 0.0, 0.0)];
        let basis = |harmonic: Option<f64>| CadenceBasis {
            activity: GaitActivity::Running,
            source: CadenceSource::ArmSwing,
            strides_spm: Some(160.0),
            spectrum_spm: harmonic,
            fit_strides: None,
            fit_spectrum: None,
            steps: 1,
        };
        let wrist = Placement::Wrist;
        let c = cadence_check(&steps, &[160.0], wrist, Some(basis(None))).unwrap();
        assert_eq!((c.agree, c.difference_spm), (None, None));
        let c = cadence_check(&steps, &[160.5], wrist, Some(basis(Some(160.5)))).unwrap();
        assert_eq!(c.agree, Some(true));
        assert_eq!(c.source, CadenceSource::ArmSwing);
    }

    #[test]
    fn walking_steps_give_the_cadence_when_nothing_was_run() {
        let steps = [step("walking", 500.0, 0.0, 0.0)];
        let c = cadence_check(&steps, &[120.0], Placement::Trunk, None).unwrap();
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
