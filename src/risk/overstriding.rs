//! Overstriding indicators (methods notes §2.6): signs that the foot lands ahead of the body
//! and brakes. Each is a measured value beside a reference, flagged when past it, with its
//! confidence and method; none is a diagnosis, and none has a validated cut-off for injury.
//!
//! * **Cadence for speed**: below the runner's usual cadence, or below the population cadence
//!   for the speed (van Oeveren et al. 2017: 154–160 steps/min at 2.4–2.9 m/s, extended at
//!   12 steps/min per m/s), by more than 5 % (Heiderscheit et al. 2011: +5–10 % cadence
//!   lowers loading).
//! * **Contact time for speed**: more than 10 % above `400 − 50·v` ms (v in m/s), the
//!   contact time of the force-plate trials in `../shared/data` (2.5–4.2 m/s).
//! * **Braking**: peak forward deceleration after contact (g, trunk accelerometer or
//!   RunScribe). Provisional reference 0.55 g for trunk accelerometers: no published
//!   cut-off exists for trunk sensors, so it is flagged with low confidence. A shoe pod's
//!   braking (the shoe's deceleration) is shown, not compared ([`super::sensors`]).
//!
//! Every reference names the sensor families it is for (`reference_sensors`); the contact
//! and duty-factor references are the torso's (trunk accelerometer, chest strap), and a
//! value from another family is not assessed, with the reason.
//! * **Duty factor**: contact / stride time above 40 % (a grounded, walking-like gait).
//! * **Step length / leg length** (leg = 0.53 × height, Winter) and **contact length**
//!   `v·t_c` / leg length: reported, not flagged (no validated cut-off; compare within a
//!   runner across runs).
//! * **Spring-mass stiffness** (Morin et al. 2005, J Appl Biomech 21:167):
//!   `F_max = m·g·π/2·(t_f/t_c + 1)`, `Δy_c = F_max·t_c²/(m·π²) − g·t_c²/8`,
//!   `k_vert = F_max/Δy_c`, `ΔL = L − √(L² − (v·t_c/2)²) + Δy_c`, `k_leg = F_max/ΔL`, kN/m.
//!   Reported: overstriding shows as a longer contact length and larger ΔL, a lower k_leg.
//!
//! The **overstride index** is the weighted share of the flagged indicators among those that
//! could be assessed (cadence 1, contact 1, braking 1, duty factor 0.5). Verdict: below 0.25
//! "no clear sign", below 0.6 "some signs", else "signs of overstriding"; confidence is
//! `moderate` with three or more indicators compared, else `low`.

use super::RiskInput;
use super::profile::RunnerProfile;
use super::sensors::{self, SensorFamily};
use crate::model;
use crate::vocab::Channel;
use crate::vocab::Confidence;
use serde::Serialize;

/// Population cadence for a running speed, steps/min (van Oeveren et al. 2017, PLoS One
/// 12:e0184273: 154 at 2.4 m/s, extended at 12 steps/min per m/s; speed clamped to 2–6 m/s).
pub fn population_cadence_spm(speed_mps: f64) -> f64 {
    154.0 + 12.0 * (speed_mps.clamp(2.0, 6.0) - 2.4)
}

/// Reference ground contact time for a running speed, ms (`400 − 50·v`, clamped to
/// 2–6 m/s): the force-plate trials of `../shared/data` (278.7 ms at 2.5 m/s, 212–238 ms at
/// 3.33 m/s, 191.7 ms at 4.17 m/s).
pub fn reference_contact_ms(speed_mps: f64) -> f64 {
    400.0 - 50.0 * speed_mps.clamp(2.0, 6.0)
}

/// One indicator.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Indicator {
    /// Stable id.
    pub id: &'static str,
    /// Measured value.
    pub value: f64,
    /// Unit of the value.
    pub unit: &'static str,
    /// Reference it is compared with (same unit), when there is one.
    pub reference: Option<f64>,
    /// What the reference is.
    pub reference_note: String,
    /// Past the reference; `None` when there is no cut-off to compare with.
    pub flagged: Option<bool>,
    /// `moderate` or `low`.
    pub confidence: Confidence,
    /// Method and source.
    pub method: &'static str,
    /// The sensor families the reference is for (empty: any; [`super::sensors`]).
    pub reference_sensors: &'static [SensorFamily],
}

/// An indicator that could not be computed, and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Missing {
    /// Indicator id.
    pub id: &'static str,
    /// What was missing.
    pub reason: &'static str,
}

/// The overstriding section of the session document.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Overstriding {
    /// Weighted share of flagged indicators (0–1), when at least one could be assessed.
    pub index: Option<f64>,
    /// Plain-language verdict.
    pub verdict: String,
    /// `moderate` when three or more indicators could be compared, else `low`.
    pub confidence: Confidence,
    /// Indicators.
    pub indicators: Vec<Indicator>,
    /// Indicators not assessed.
    pub not_assessed: Vec<Missing>,
}

impl Overstriding {
    /// An indicator by id.
    pub fn get(&self, id: &str) -> Option<&Indicator> {
        self.indicators.iter().find(|i| i.id == id)
    }
}

/// An indicator function: the indicators it computes (none when there is nothing to report
/// and nothing missing), or what was missing.
pub type IndicatorFn = fn(&RiskInput, &RunnerProfile) -> Result<Vec<Indicator>, Missing>;

/// The indicators, in the order of the overstriding section.
pub const INDICATORS: [IndicatorFn; 7] = [
    cadence_for_speed,
    contact_for_speed,
    braking,
    step_speed_loss,
    duty_factor,
    step_length,
    stiffness,
];

/// Compute the indicators.
pub fn indicators(input: &RiskInput, profile: &RunnerProfile) -> Overstriding {
    let mut ind = Vec::new();
    let mut missing = Vec::new();
    for f in INDICATORS {
        match f(input, profile) {
            Ok(found) => ind.extend(found),
            Err(m) => missing.push(m),
        }
    }
    let (index, compared) = overstride_index(&ind);
    Overstriding {
        index,
        verdict: verdict(index, input.not_running),
        confidence: if compared >= 3 {
            Confidence::Moderate
        } else {
            Confidence::Low
        },
        indicators: ind,
        not_assessed: missing,
    }
}

fn missing(id: &'static str, reason: &'static str) -> Missing {
    Missing { id, reason }
}

/// Cadence below the runner's usual cadence (profile), else below the population cadence
/// for the speed ([`population_cadence_spm`]), %; flagged more than 5 % below.
pub fn cadence_for_speed(
    input: &RiskInput,
    profile: &RunnerProfile,
) -> Result<Vec<Indicator>, Missing> {
    const ID: &str = "cadence_below_reference_pct";
    match (
        input.cadence_spm,
        profile.usual_cadence_spm,
        input.speed_mps,
    ) {
        (Some(c), Some(u), _) => Ok(vec![Indicator {
            id: ID,
            value: 100.0 * (u - c) / u,
            unit: "% below",
            reference: Some(5.0),
            reference_note: format!(
                "your usual cadence {u:.0} steps/min (profile); flagged more than 5 % below"
            ),
            flagged: Some(c < 0.95 * u),
            confidence: Confidence::Moderate,
            method: "Heiderscheit et al. 2011 (cadence +5-10 % lowers loading)",
            reference_sensors: sensors::ANY,
        }]),
        (Some(c), None, Some(v)) => {
            let r = population_cadence_spm(v);
            Ok(vec![Indicator {
                id: ID,
                value: 100.0 * (r - c) / r,
                unit: "% below",
                reference: Some(5.0),
                reference_note: format!(
                    "population cadence {r:.0} steps/min at {v:.2} m/s (van Oeveren et al. 2017, extended); flagged more than 5 % below"
                ),
                flagged: Some(c < 0.95 * r),
                confidence: Confidence::Low,
                method: "Heiderscheit et al. 2011; population reference (a runner's own usual cadence is better: usual_cadence_spm in the profile)",
                reference_sensors: sensors::ANY,
            }])
        }
        (None, _, _) => Err(missing(ID, "no cadence in this file")),
        (Some(_), None, None) => Err(missing(
            ID,
            "needs the running speed or your usual cadence (usual_cadence_spm in --profile)",
        )),
    }
}

/// Contact time above the reference for the speed ([`reference_contact_ms`]), %; flagged
/// more than 10 % above.
pub fn contact_for_speed(input: &RiskInput, _: &RunnerProfile) -> Result<Vec<Indicator>, Missing> {
    const ID: &str = "contact_above_reference_pct";
    let t = input
        .ground_contact_ms
        .ok_or(missing(ID, "no ground contact time in this file"))?;
    let v = input.speed_mps.ok_or(missing(
        ID,
        "needs the running speed (--speed-mps or a speed column)",
    ))?;
    torso_only(input.sources.dynamics).map_err(|why| missing(ID, why))?;
    let r = reference_contact_ms(v);
    Ok(vec![Indicator {
        id: ID,
        value: 100.0 * (t - r) / r,
        unit: "% above",
        reference: Some(10.0),
        reference_note: format!(
            "{r:.0} ms at {v:.2} m/s (400 - 50 × speed, force-plate trials); flagged more than 10 % above"
        ),
        flagged: Some(t > 1.1 * r),
        confidence: Confidence::Low,
        method: "contact time falls with speed (Morin et al. 2005); reference from force-plate running trials",
        reference_sensors: sensors::TORSO,
    }])
}

/// Peak braking, g; flagged above the provisional 0.55 g, a trunk-accelerometer reference.
/// Braking from another sensor (a RunScribe shoe pod reads the shoe's deceleration, an
/// order of magnitude larger) is shown with the reason and not compared: no published
/// injury cut-off exists for it.
pub fn braking(input: &RiskInput, _: &RunnerProfile) -> Result<Vec<Indicator>, Missing> {
    let b = input.braking_g.ok_or(missing(
        Channel::BrakingG.name(),
        "needs a trunk accelerometer with a forward axis, or RunScribe braking",
    ))?;
    let compared = sensors::applies(sensors::TRUNK, input.sources.strike);
    Ok(vec![Indicator {
        id: Channel::BrakingG.name(),
        value: b,
        unit: "g",
        reference: compared.is_ok().then_some(0.55),
        reference_note: match compared {
            Ok(()) => {
                "provisional 0.55 g for trunk accelerometers: no published cut-off exists".into()
            }
            Err(e) => format!(
                "not compared: {e}; no published injury cut-off exists for it, so it is shown, not scored"
            ),
        },
        flagged: compared.is_ok().then_some(b > 0.55),
        confidence: Confidence::Low,
        method: "peak forward deceleration in the first half of stance (methods notes §2.6; Lieberman et al. 2015)",
        reference_sensors: sensors::TRUNK,
    }])
}

/// The reason a torso reference (contact for speed, duty factor) does not judge a value
/// from `measured`, or `Ok` when it does (or the family is not stated).
fn torso_only(measured: Option<SensorFamily>) -> Result<(), &'static str> {
    sensors::applies(sensors::TORSO, measured).map_err(|e| match e.measured {
        SensorFamily::ShoePod => "measured by a shoe pod (such as RunScribe); the reference is for a trunk accelerometer or chest strap (force-plate contact), and no published conversion between them exists",
        SensorFamily::FootPod => "measured by a foot pod (such as Stryd); the reference is for a trunk accelerometer or chest strap (force-plate contact), and no published conversion between them exists",
        _ => "measured by a wrist sensor; the reference is for a trunk accelerometer or chest strap (force-plate contact), and no published conversion between them exists",
    })
}

/// Step speed loss, m/s: reported when measured, never flagged, not listed when absent.
pub fn step_speed_loss(input: &RiskInput, _: &RunnerProfile) -> Result<Vec<Indicator>, Missing> {
    Ok(input
        .step_speed_loss_mps
        .map(|s| Indicator {
            id: Channel::StepSpeedLossMps.name(),
            value: s,
            unit: "m/s",
            reference: None,
            reference_note: "no published cut-off; compare within a runner".into(),
            flagged: None,
            confidence: Confidence::Low,
            method: "speed lost while braking, −∫a_AP dt (Garmin's step speed loss)",
            reference_sensors: sensors::ANY,
        })
        .into_iter()
        .collect())
}

/// Duty factor, %; flagged above 40 %.
///
/// Measured only (the raw engine's per-step t_c / stride): derived from the median contact
/// and cadence it would fall as cadence falls, against the grain of the other indicators.
pub fn duty_factor(input: &RiskInput, _: &RunnerProfile) -> Result<Vec<Indicator>, Missing> {
    let d = input.duty_factor_pct.ok_or(missing(
        Channel::DutyFactorPct.name(),
        "measured by the raw-signal engine only (contact and stride per step)",
    ))?;
    torso_only(input.sources.dynamics)
        .map_err(|why| missing(Channel::DutyFactorPct.name(), why))?;
    Ok(vec![Indicator {
        id: Channel::DutyFactorPct.name(),
        value: d,
        unit: "%",
        reference: Some(40.0),
        reference_note:
            "contact over stride time; flagged above 40 % (grounded, walking-like running)".into(),
        flagged: Some(d > 40.0),
        confidence: Confidence::Low,
        method: "duty factor = t_c / stride time",
        reference_sensors: sensors::TORSO,
    }])
}

/// Step length (else 60·v / cadence) over the leg length (0.53 × height); reported, not
/// flagged.
pub fn step_length(input: &RiskInput, profile: &RunnerProfile) -> Result<Vec<Indicator>, Missing> {
    const ID: &str = "step_length_per_leg_length";
    let step_m = input.step_length_m.or_else(|| {
        let (v, c) = (input.speed_mps?, input.cadence_spm?);
        Some(60.0 * v / c)
    });
    let s = step_m.ok_or(missing(ID, "needs the step length or the running speed"))?;
    let l = profile
        .leg_length_m()
        .ok_or(missing(ID, "needs your height (height_cm in --profile)"))?;
    Ok(vec![Indicator {
        id: ID,
        value: s / l,
        unit: "ratio",
        reference: None,
        reference_note: format!("leg length {l:.2} m = 0.53 × height; no validated cut-off"),
        flagged: None,
        confidence: Confidence::Low,
        method: "step length / (0.53 × height) (methods notes §2.6)",
        reference_sensors: sensors::ANY,
    }])
}

/// Spring-mass stiffness (Morin et al. 2005; module doc): vertical and leg stiffness, kN/m,
/// and the contact length over the leg length; reported, not flagged. Flight time is the
/// measured one, else stride − contact from the cadence. Nothing when the model does not
/// apply (Δy_c ≤ 0 or half the contact length not shorter than the leg).
pub fn stiffness(input: &RiskInput, profile: &RunnerProfile) -> Result<Vec<Indicator>, Missing> {
    let flight_ms = input.flight_ms.or_else(|| {
        let (t, c) = (input.ground_contact_ms?, input.cadence_spm?);
        Some(60_000.0 / c - t)
    });
    let (tc_ms, tf_ms, v, m, l) = match (
        input.ground_contact_ms,
        flight_ms,
        input.speed_mps,
        profile.mass_kg,
        profile.leg_length_m(),
    ) {
        (Some(tc), Some(tf), Some(v), Some(m), Some(l)) if tf >= 0.0 => (tc, tf, v, m, l),
        _ => return Err(NO_STIFFNESS),
    };
    let (tc, tf) = (tc_ms / 1000.0, tf_ms / 1000.0);
    let f_max = model::peak_force_n(m, tc, tf);
    let dy = model::stance_drop_m(f_max, m, tc);
    let half = v * tc / 2.0;
    let Some(dl) = model::leg_compression_m(l, v, tc, dy).filter(|_| dy > 0.0) else {
        return Ok(Vec::new());
    };
    Ok(vec![
        Indicator {
            id: "vertical_stiffness_kn_per_m",
            value: f_max / dy / 1000.0,
            unit: "kN/m",
            reference: None,
            reference_note: "no cut-off; higher with shorter, stiffer contacts".into(),
            flagged: None,
            confidence: Confidence::Low,
            method: "Morin et al. 2005 sine-wave model: F_max / Δy_c",
            reference_sensors: sensors::ANY,
        },
        Indicator {
            id: "leg_stiffness_kn_per_m",
            value: f_max / dl / 1000.0,
            unit: "kN/m",
            reference: None,
            reference_note: "no cut-off; overstriding lengthens the contact and lowers it".into(),
            flagged: None,
            confidence: Confidence::Low,
            method: "Morin et al. 2005: F_max / (L − √(L² − (v·t_c/2)²) + Δy_c)",
            reference_sensors: sensors::ANY,
        },
        Indicator {
            id: "contact_length_per_leg_length",
            value: 2.0 * half / l,
            unit: "ratio",
            reference: None,
            reference_note: "v·t_c / leg length; no validated cut-off".into(),
            flagged: None,
            confidence: Confidence::Low,
            method: "contact length v·t_c (Morin et al. 2005)",
            reference_sensors: sensors::ANY,
        },
    ])
}

const NO_STIFFNESS: Missing = Missing {
    id: "leg_stiffness_kn_per_m",
    reason: "needs contact time, speed, and your mass and height (--profile)",
};

/// Weight of an indicator in the overstride index (module doc).
fn index_weight(id: &str) -> f64 {
    match id {
        "cadence_below_reference_pct" | "contact_above_reference_pct" | "braking_g" => 1.0,
        "duty_factor_pct" => 0.5,
        _ => 0.0,
    }
}

/// The overstride index (flagged weight over compared weight) and how many indicators were
/// compared.
pub fn overstride_index(ind: &[Indicator]) -> (Option<f64>, usize) {
    let (mut num, mut den, mut compared) = (0.0, 0.0, 0);
    for i in ind {
        if let Some(f) = i.flagged {
            let w = index_weight(i.id);
            if w > 0.0 {
                compared += 1;
                den += w;
                if f {
                    num += w;
                }
            }
        }
    }
    ((den > 0.0).then(|| num / den), compared)
}

/// The verdict in words: below 0.25 no clear sign, below 0.6 some signs, else signs of
/// overstriding; not assessed without an index (saying so for walking).
pub fn verdict(index: Option<f64>, not_running: Option<&'static str>) -> String {
    match (index, not_running) {
        (None, Some(a)) => format!("not assessed: this session's steps are {a}, not running"),
        (None, None) => "not assessed: this file has none of cadence with speed, contact time with speed, braking or duty factor".to_string(),
        (Some(x), _) if x < 0.25 => "no clear sign of overstriding".to_string(),
        (Some(x), _) if x < 0.6 => "some signs of overstriding".to_string(),
        (Some(_), _) => "signs of overstriding: the foot probably lands ahead of the body and brakes".to_string(),
    }
}

/// The index over the indicators not already scored as their own risk factors (braking 1,
/// duty factor 0.5), for the `overstriding_braking` risk factor: the flagged weight over the
/// weight of both, so an indicator that could not be measured counts as not flagged (missing
/// data never adds risk). `None` when neither was measured.
pub fn braking_index(o: &Overstriding) -> Option<f64> {
    let parts: Vec<(f64, bool)> = [
        (Channel::BrakingG.name(), 1.0),
        (Channel::DutyFactorPct.name(), 0.5),
    ]
    .iter()
    .filter_map(|(id, w)| o.get(id).and_then(|i| i.flagged).map(|f| (*w, f)))
    .collect();
    (!parts.is_empty()).then(|| parts.iter().filter(|p| p.1).map(|p| p.0).sum::<f64>() / 1.5)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn profile() -> RunnerProfile {
        RunnerProfile {
            height_cm: Some(180.0),
            mass_kg: Some(70.0),
            ..RunnerProfile::default()
        }
    }

    #[test]
    fn stiffness_matches_morin_worked_values() {
        // tc 0.25 s, tf 0.11 s, 3.33 m/s, 70 kg, L = 0.954 m: F_max = 70·9.80665·π/2·1.44.
        let input = RiskInput {
            ground_contact_ms: Some(250.0),
            flight_ms: Some(110.0),
            speed_mps: Some(3.33),
            cadence_spm: Some(60_000.0 / 360.0),
            ..RiskInput::default()
        };
        let o = indicators(&input, &profile());
        // Morin 2005 Eq. 4 and 7 written out: tc = 0.25 s, tf = 0.11 s, m = 70 kg.
        use crate::units::STANDARD_GRAVITY_MPS2 as G;
        use std::f64::consts::PI;
        let f_max = 70.0 * G * PI / 2.0 * (0.11 / 0.25 + 1.0);
        let dy = f_max * 0.0625 / (70.0 * PI * PI) - G * 0.0625 / 8.0;
        let kv = o.get("vertical_stiffness_kn_per_m").unwrap().value;
        assert!((kv - f_max / dy / 1000.0).abs() < 1e-9);
        assert!((15.0..35.0).contains(&kv), "{kv}");
        let kl = o.get("leg_stiffness_kn_per_m").unwrap().value;
        assert!((5.0..15.0).contains(&kl), "{kl}");
    }

    #[test]
    fn each_indicator_flags_past_its_reference() {
        let p = profile();
        let base = RiskInput {
            cadence_spm: Some(170.0),
            speed_mps: Some(3.0),
            ground_contact_ms: Some(250.0),
            braking_g: Some(0.5),
            duty_factor_pct: Some(38.0),
            ..RiskInput::default()
        };
        let flagged = |f: IndicatorFn, i: &RiskInput| f(i, &p).unwrap()[0].flagged;
        // Population cadence at 3 m/s: 154 + 12·0.6 = 161.2; 95 % of it is 153.1.
        assert_eq!(flagged(cadence_for_speed, &base), Some(false));
        let slow = RiskInput {
            cadence_spm: Some(153.0),
            ..base.clone()
        };
        assert_eq!(flagged(cadence_for_speed, &slow), Some(true));
        // Reference contact at 3 m/s: 250 ms; flagged above 275.
        let long = RiskInput {
            ground_contact_ms: Some(276.0),
            ..base.clone()
        };
        assert_eq!(flagged(contact_for_speed, &base), Some(false));
        assert_eq!(flagged(contact_for_speed, &long), Some(true));
        let hard = RiskInput {
            braking_g: Some(0.56),
            duty_factor_pct: Some(41.0),
            ..base.clone()
        };
        assert_eq!(flagged(braking, &base), Some(false));
        assert_eq!(flagged(braking, &hard), Some(true));
        assert_eq!(flagged(duty_factor, &base), Some(false));
        assert_eq!(flagged(duty_factor, &hard), Some(true));
        // Step length from speed and cadence: 60·3/170 m over 0.954 m of leg.
        let s = step_length(&base, &p).unwrap()[0].value;
        assert!((s - 60.0 * 3.0 / 170.0 / (0.53 * 1.8)).abs() < 1e-12);
        assert!(step_length(&base, &RunnerProfile::default()).is_err());
        assert!(step_speed_loss(&base, &p).unwrap().is_empty());
    }

    #[test]
    fn index_weights_and_verdicts() {
        let ind = |id: &'static str, flagged: bool| Indicator {
            id,
            value: 0.0,
            unit: "",
            reference: None,
            reference_note: String::new(),
            flagged: Some(flagged),
            confidence: Confidence::Low,
            method: "",
            reference_sensors: sensors::ANY,
        };
        // Duty factor flagged (0.5) of cadence (1) + duty factor (0.5): 1/3.
        let (x, n) = overstride_index(&[
            ind("cadence_below_reference_pct", false),
            ind("duty_factor_pct", true),
        ]);
        assert!((x.unwrap() - 1.0 / 3.0).abs() < 1e-12);
        assert_eq!(n, 2);
        assert_eq!(verdict(x, None), "some signs of overstriding");
        assert_eq!(
            verdict(None, Some("walking")),
            "not assessed: this session's steps are walking, not running"
        );
    }

    #[test]
    fn overstriding_runs_are_flagged_and_normal_ones_are_not() {
        let normal = RiskInput {
            cadence_spm: Some(170.0),
            speed_mps: Some(3.33),
            ground_contact_ms: Some(230.0),
            braking_g: Some(0.4),
            ..RiskInput::default()
        };
        let o = indicators(&normal, &profile());
        assert_eq!(o.index, Some(0.0));
        assert_eq!(o.verdict, "no clear sign of overstriding");
        let over = RiskInput {
            cadence_spm: Some(150.0),
            ground_contact_ms: Some(300.0),
            braking_g: Some(0.7),
            ..normal
        };
        let o = indicators(&over, &profile());
        // Cadence, contact and braking flagged (no measured duty factor): 3 of 3.
        assert_eq!(o.index, Some(1.0));
        assert!(o.verdict.starts_with("signs of overstriding"));
        assert_eq!(o.confidence, Confidence::Moderate);
        // Nothing measured: not assessed, no index.
        let o = indicators(&RiskInput::default(), &RunnerProfile::default());
        assert_eq!(o.index, None);
        assert!(o.verdict.starts_with("not assessed"));
    }
}
