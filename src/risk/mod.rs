//! Stage 5, **risk**: a session's metrics → overstriding indicators and a calf-strain risk
//! indicator, explained point by point. An indicator, not a diagnosis.
//!
//! [`assess`] scores each factor of the table in [`config`] that the data supports: a rule
//! gives `points × clamp((value − threshold)/(full − threshold), 0, 1)`, so every point names
//! the measured value, the threshold, the evidence and the advice. Data that is missing is
//! listed as "not assessed" and never counts as risk. Age and a previous calf strain — the
//! strongest intrinsic predictors in the systematic review of Green & Pizzari 2017 (Br J
//! Sports Med 51:1189) — are modifiers: they multiply the session points and add nothing on
//! their own. The score is the sum, capped at 100; the level is `low` below 25, `moderate`
//! from 25, `high` from 50 (configurable). Every rule names the sensor families its
//! thresholds are for ([`sensors`]: contact, oscillation and balance bands the torso's —
//! trunk accelerometer or chest strap; footstrike type the shoe pod's; the rest any); a
//! value from another family is not assessed, with the reason.
//!
//! | factor | value | threshold → full | points | evidence |
//! |---|---|---|---|---|
//! | `low_cadence` | % below usual or population cadence for the speed | 5 → 15 % | 20 | moderate: Heiderscheit 2011; van Oeveren 2017 |
//! | `overstriding_braking` | braking/duty-factor overstride sub-index | 0.25 → 1 | 12 | moderate: Lieberman 2015; Napier 2018 |
//! | `long_contact` | % above 400 − 50·v ms | 10 → 30 % | 10 | weak: Morin 2005, force-plate trials |
//! | `long_contact_absolute` | contact ms, when speed is unknown | 280 → 330 ms | 6 | weak: Garmin bands |
//! | `high_vertical_ratio` | vertical ratio % | 8.7 → 11 % | 8 | weak: Garmin bands |
//! | `high_vertical_oscillation` | VO cm, when there is no ratio | 9.8 → 12.5 cm | 6 | weak: Garmin bands |
//! | `gct_imbalance` | \|balance − 50\| | 0.7 → 2.2 | 4 | weak: not predictive prospectively |
//! | `cadence_drop` | % cadence fall, last vs first third | 3 → 8 % | 8 | weak: Mizrahi 2000 |
//! | `contact_rise` | % contact rise, last vs first third | 3 → 8 % | 6 | weak: Mizrahi 2000 |
//! | `hills` | (ascent + descent) per km | 20 → 60 m/km | 10 | weak: Roberts & Belliveau 2005 |
//! | `heat` | median temperature, runs over an hour | 25 → 32 °C | 8 | weak: Schwellnus 2009 |
//! | `no_warmup` | hard start (metrics stage's warm-up check) | yes | 6 | moderate: Fradkin 2006 |
//! | `forefoot_strike` | RunScribe footstrike type | 10 → 13 | 6 | moderate: Almonroeder 2013 |
//! | `shoe_drop_decrease` | previous − current drop, × recency (1 to 4 weeks, 0 at 12) | 2 → 6 mm | 10 | moderate: Malisoux 2016 |
//! | modifier `prior_calf_strain` | previous strain | × 1.5 (× 1.7 within 12 months) | | strong: Green & Pizzari 2017 |
//! | modifier `age` | years | × (1 + 0.015·(age − 35)), at most × 1.3 | | strong: Green & Pizzari 2017 |

pub mod config;
pub mod factors;
pub mod overstriding;
pub mod profile;
pub mod sensors;

use crate::metrics::SessionMetrics;
use crate::recording::Channel;
use crate::vocab::Confidence;
use chrono::NaiveDate;
use config::{Modifiers, RiskConfig, Rule, Strength};
use factors::{Inputs, Measured, SESSION_FACTORS, SessionFactor, Unassessed};
use overstriding::Overstriding;
use profile::{PriorStrain, RunnerProfile};
use serde::Serialize;
use std::collections::BTreeMap;

/// Always shown with the score.
pub const DISCLAIMER: &str = "an indicator from running-form and training data, not a diagnosis; it cannot see your tissues, and most of its evidence is about loading, not proven injury prediction";

/// When to stop reading numbers.
pub const SEE_A_CLINICIAN: &str = "pain at rest or at night, swelling or bruising, a sudden sharp pain or a 'pop' in the calf while running, or pain that lasts more than a few days: stop running and see a clinician";

/// What the risk stage reads from a session (all optional; missing is never risk).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RiskInput {
    /// Median cadence, steps/min.
    pub cadence_spm: Option<f64>,
    /// Median running speed, m/s.
    pub speed_mps: Option<f64>,
    /// Median ground contact, ms.
    pub ground_contact_ms: Option<f64>,
    /// Median flight time, ms.
    pub flight_ms: Option<f64>,
    /// Median vertical oscillation, cm.
    pub vertical_oscillation_cm: Option<f64>,
    /// Median vertical ratio, %.
    pub vertical_ratio_pct: Option<f64>,
    /// Median step length, m.
    pub step_length_m: Option<f64>,
    /// Median GCT balance, % left.
    pub gct_balance_left_pct: Option<f64>,
    /// Median braking, g.
    pub braking_g: Option<f64>,
    /// Median step speed loss, m/s.
    pub step_speed_loss_mps: Option<f64>,
    /// Median duty factor, %.
    pub duty_factor_pct: Option<f64>,
    /// Median RunScribe footstrike type (1 heel … 15 toe).
    pub footstrike_type: Option<f64>,
    /// Cadence change, last third vs first, %.
    pub cadence_drift_pct: Option<f64>,
    /// Ground-contact change, last third vs first, %.
    pub contact_drift_pct: Option<f64>,
    /// How well the thirds resolve the cadence change (`None`: not stated, taken as high).
    pub cadence_drift_confidence: Option<Confidence>,
    /// How well the thirds resolve the contact change.
    pub contact_drift_confidence: Option<Confidence>,
    /// Ascent plus descent per km, m/km.
    pub climb_per_km_m: Option<f64>,
    /// Median temperature, °C.
    pub temperature_c: Option<f64>,
    /// Running time, s.
    pub running_time_s: Option<f64>,
    /// Hard start without warm-up (the metrics stage's check), when it could be judged.
    pub hard_start: Option<bool>,
    /// Local date of the run.
    pub date: Option<NaiveDate>,
    /// Set when the session's steps are not running (`walking`, `still`): the running-form
    /// fields are then left empty and their factors are not assessed.
    pub not_running: Option<&'static str>,
    /// Which sensor family measured the dynamics and the foot-strike values (set by the
    /// caller from the session document, [`sensors::sources`]); not stated by default.
    pub sources: sensors::Sources,
    /// Confidence of each metric (by name) the session states; a factor's points are
    /// weighted by it ([`crate::vocab::MetricConfidence::risk_weight`]); absent: `high`.
    pub confidence: BTreeMap<&'static str, Confidence>,
}

impl RiskInput {
    /// From the metrics stage's result. `start_unix_s` and `utc_offset_s` give the run's
    /// local date (for the shoe and prior-strain recency).
    pub fn from_summary(
        m: &SessionMetrics,
        start_unix_s: Option<f64>,
        utc_offset_s: Option<i64>,
    ) -> Self {
        let med = |c: Channel| m.metrics.get(c.name()).copied().flatten().map(|s| s.median);
        let drift_of = |c: Channel| m.drift.get(c.name()).copied().flatten();
        let drift = |c: Channel| drift_of(c).map(|d| d.change_pct);
        let drift_confidence = |c: Channel| drift_of(c).map(|d| d.confidence);
        let date = start_unix_s.and_then(|t| crate::time::local_date(t, utc_offset_s.unwrap_or(0)));
        let not_running = (m.metrics_from != crate::metrics::activity::Activity::Running)
            .then(|| m.metrics_from.name());
        if not_running.is_some() {
            return RiskInput {
                climb_per_km_m: None,
                temperature_c: None,
                running_time_s: None,
                date,
                not_running,
                ..RiskInput::default()
            };
        }
        RiskInput {
            not_running: None,
            cadence_spm: med(Channel::CadenceSpm),
            speed_mps: med(Channel::SpeedMps),
            ground_contact_ms: med(Channel::GroundContactMs),
            flight_ms: med(Channel::FlightMs),
            vertical_oscillation_cm: med(Channel::VerticalOscillationCm),
            vertical_ratio_pct: med(Channel::VerticalRatioPct),
            step_length_m: med(Channel::StepLengthM),
            gct_balance_left_pct: med(Channel::GctBalanceLeftPct),
            braking_g: med(Channel::BrakingG),
            step_speed_loss_mps: med(Channel::StepSpeedLossMps),
            duty_factor_pct: med(Channel::DutyFactorPct),
            footstrike_type: med(Channel::FootstrikeType),
            cadence_drift_pct: drift(Channel::CadenceSpm),
            contact_drift_pct: drift(Channel::GroundContactMs),
            cadence_drift_confidence: drift_confidence(Channel::CadenceSpm),
            contact_drift_confidence: drift_confidence(Channel::GroundContactMs),
            climb_per_km_m: m
                .elevation
                .as_ref()
                .and_then(|e| Some(e.gain_per_km_m? + e.loss_per_km_m?)),
            temperature_c: med(Channel::TemperatureC),
            running_time_s: (m.running_time_s > 0.0).then_some(m.running_time_s),
            hard_start: m.warmup.as_ref().map(|w| w.hard_start),
            date,
            sources: sensors::Sources::default(),
            confidence: m.confidence.iter().map(|(k, c)| (*k, c.level)).collect(),
        }
    }
}

/// `low`, `moderate` or `high`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// Below the moderate cut-off.
    Low,
    /// From the moderate cut-off.
    Moderate,
    /// From the high cut-off.
    High,
}

impl Level {
    /// The level of a score under the configuration's cut-offs.
    pub fn of(score: f64, cfg: &RiskConfig) -> Level {
        if score >= cfg.high_at {
            Level::High
        } else if score >= cfg.moderate_at {
            Level::Moderate
        } else {
            Level::Low
        }
    }

    /// Lower-case name.
    pub fn name(self) -> &'static str {
        match self {
            Level::Low => "low",
            Level::Moderate => "moderate",
            Level::High => "high",
        }
    }
}

/// What a factor belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FactorKind {
    /// Measured in one session.
    Session,
    /// A multiplier from who is running (age, a previous strain).
    Modifier,
    /// From the training block's load.
    Block,
}

crate::vocab::named!(FactorKind { Session => "session", Modifier => "modifier", Block => "block" });

/// One scored factor.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Factor {
    /// Stable id.
    pub id: &'static str,
    /// Session, block or modifier.
    pub kind: FactorKind,
    /// What it is.
    pub label: &'static str,
    /// Measured value (a multiplier for modifiers).
    pub value: f64,
    /// Unit of the value.
    pub unit: &'static str,
    /// Where points start (1 for modifiers).
    pub threshold: f64,
    /// Where all points are reached.
    pub full: f64,
    /// Points given (0.1 resolution); for a modifier, the points it adds by multiplying.
    pub points: f64,
    /// The rule's maximum.
    pub max_points: f64,
    /// The measurement in words.
    pub detail: String,
    /// Short citation.
    pub cite: &'static str,
    /// Evidence.
    pub evidence: &'static str,
    /// Its strength.
    pub strength: Strength,
    /// What to do.
    pub advice: &'static str,
    /// The sensor families the thresholds are for (empty: any; [`sensors`]).
    pub sensors: &'static [sensors::SensorFamily],
}

/// A factor the data could not support.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NotAssessed {
    /// Factor id.
    pub id: &'static str,
    /// Why.
    pub reason: String,
}

/// The `risk` section.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RiskAssessment {
    /// 0–100.
    pub score: u32,
    /// Level.
    pub level: Level,
    /// Sum of the session factors' points before modifiers.
    pub session_points: f64,
    /// Product of the modifiers.
    pub multiplier: f64,
    /// Assessed factors, most points first (silent ones with 0 points included).
    pub factors: Vec<Factor>,
    /// Factors this session could not assess, and why.
    pub not_assessed: Vec<NotAssessed>,
    /// What this is not.
    pub disclaimer: &'static str,
    /// When to see a clinician.
    pub see_a_clinician: &'static str,
}

/// Overstriding and risk of one session.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Assessment {
    /// Overstriding indicators.
    pub overstriding: Overstriding,
    /// Calf-strain risk.
    pub risk: RiskAssessment,
}

/// Rounded to 0.1 (points are shown at that resolution).
pub(crate) fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

/// A session factor's row of the `risk` section: the rule's thresholds, evidence and advice
/// around the measurement; points = rule score × the measurement's weight, to 0.1.
fn session_factor(rule: &Rule, m: Measured) -> Factor {
    Factor {
        id: rule.id,
        kind: FactorKind::Session,
        label: rule.label,
        value: m.value,
        unit: rule.unit,
        threshold: rule.threshold,
        full: rule.full,
        points: round1(rule.score(m.value) * m.weight),
        max_points: rule.points,
        detail: m.detail,
        cite: rule.cite,
        evidence: rule.evidence,
        strength: rule.strength,
        advice: rule.advice,
        sensors: rule.sensors,
    }
}

/// One factor of the table under its rule: not assessed when the rule is disabled, when its
/// data is missing (on a session that is not running, a running factor says so rather than
/// what it lacks), or when the value comes from a sensor family the rule's thresholds are
/// not for.
fn evaluate(row: &SessionFactor, rule: &Rule, x: &Inputs) -> Result<Measured, Unassessed> {
    if !rule.enabled {
        return Err(Unassessed::Disabled);
    }
    let m = (row.measure)(x).map_err(|why| match x.input.not_running {
        Some(activity) if row.running_only => Unassessed::NotRunning(activity),
        _ => why,
    })?;
    sensors::applies(rule.sensors, x.input.sources.of(row.measures))
        .map_err(Unassessed::OtherSensor)?;
    Ok(by_confidence(m, row, x.input))
}

/// A measurement weighted by the confidence of the metric its factor reads (`row.metric`):
/// all points at `high`, half at `moderate`, none at `low`, said in its detail. A lower
/// confidence never gives more points.
fn by_confidence(mut m: Measured, row: &SessionFactor, input: &RiskInput) -> Measured {
    let Some(metric) = row.metric else {
        return m;
    };
    let c = input.confidence.get(metric.name()).copied();
    m.weight *= crate::vocab::MetricConfidence::risk_weight(c);
    match c {
        Some(Confidence::Moderate) => m.detail.push_str(" (moderate confidence: half weight)"),
        Some(Confidence::Low) => m.detail.push_str(" (low confidence: not counted)"),
        _ => {}
    }
    m
}

/// Every factor of [`SESSION_FACTORS`] that has a rule in `cfg`, in table order: the
/// scored factors and the ones not assessed, with why.
fn session_factors(x: &Inputs, cfg: &RiskConfig) -> (Vec<Factor>, Vec<NotAssessed>) {
    let mut factors = Vec::new();
    let mut missing = Vec::new();
    for row in &SESSION_FACTORS {
        let Some(rule) = cfg.rule(row.id) else {
            continue;
        };
        match evaluate(row, rule, x) {
            Ok(m) => factors.push(session_factor(rule, m)),
            Err(why) => missing.push(NotAssessed {
                id: row.id,
                reason: why.to_string(),
            }),
        }
    }
    (factors, missing)
}

/// A modifier's row: `value` is its multiplier; its points are set by [`apply_modifiers`].
fn modifier_factor(
    id: &'static str,
    label: &'static str,
    x: f64,
    full: f64,
    detail: String,
    evidence: &'static str,
    advice: &'static str,
) -> Factor {
    Factor {
        id,
        kind: FactorKind::Modifier,
        label,
        value: x,
        unit: "×",
        threshold: 1.0,
        full,
        points: 0.0,
        max_points: 0.0,
        detail,
        cite: "Green & Pizzari 2017",
        evidence,
        strength: Strength::Strong,
        advice,
        sensors: sensors::ANY,
    }
}

/// Days after a calf strain within which it counts as recent (12 months).
const RECENT_STRAIN_DAYS: i64 = 365;

/// The previous-calf-strain modifier (Green & Pizzari 2017): × `prior_calf_strain`, or
/// × `recent_prior_calf_strain` within 12 months before the run; × 1 for a strain dated after
/// the run. `Ok(None)` when the profile says there was none.
pub fn prior_strain_modifier(
    profile: &RunnerProfile,
    run_date: Option<NaiveDate>,
    m: &Modifiers,
) -> Result<Option<Factor>, Unassessed> {
    let p = profile.prior_calf_strain.ok_or(Unassessed::Needs(
        "not in the profile (prior_calf_strain in --profile)",
    ))?;
    if !p.any() {
        return Ok(None);
    }
    let (x, detail) = match (p, run_date) {
        (PriorStrain::On(d), Some(run)) if run < d => (
            1.0,
            format!("calf strain on {d}, after this run: not applied"),
        ),
        (PriorStrain::On(d), Some(run)) if (run - d).num_days() <= RECENT_STRAIN_DAYS => (
            m.recent_prior_calf_strain,
            format!("previous calf strain on {d}, within 12 months of this run"),
        ),
        (PriorStrain::On(d), _) => (m.prior_calf_strain, format!("previous calf strain on {d}")),
        _ => (m.prior_calf_strain, "previous calf strain".to_string()),
    };
    Ok(Some(modifier_factor(
        "prior_calf_strain",
        "a previous calf strain (multiplies the session points)",
        x,
        m.recent_prior_calf_strain,
        detail,
        "a previous calf strain is the strongest predictor of another (Green & Pizzari 2017, Br J Sports Med 51:1189, systematic review)",
        "keep up calf strength work (bent- and straight-knee eccentric calf raises, 2-3 times a week) even when pain-free, and build load slowly",
    )))
}

/// The age modifier (Green & Pizzari 2017): × (1 + `age_per_year`·(age − `age_from`)),
/// between 1 and `age_max`.
pub fn age_modifier(profile: &RunnerProfile, m: &Modifiers) -> Result<Factor, Unassessed> {
    let a = profile
        .age
        .ok_or(Unassessed::Needs("not in the profile (age in --profile)"))?;
    let x = (1.0 + m.age_per_year * (a - m.age_from)).clamp(1.0, m.age_max);
    Ok(modifier_factor(
        "age",
        "age (multiplies the session points)",
        x,
        m.age_max,
        format!("age {a:.0}"),
        "older age raises calf-strain risk (Green & Pizzari 2017, Br J Sports Med 51:1189, systematic review)",
        "with age the calf needs more strength work and recovery: calf raises 2-3 times a week, and extra easy days after long or hilly runs",
    ))
}

/// The modifiers that apply (previous strain, then age) and the ones not assessed.
fn modifiers(
    profile: &RunnerProfile,
    run_date: Option<NaiveDate>,
    m: &Modifiers,
) -> (Vec<Factor>, Vec<NotAssessed>) {
    let mut mods = Vec::new();
    let mut missing = Vec::new();
    let mut not = |id, why: Unassessed| {
        missing.push(NotAssessed {
            id,
            reason: why.to_string(),
        })
    };
    match prior_strain_modifier(profile, run_date, m) {
        Ok(f) => mods.extend(f),
        Err(why) => not("prior_calf_strain", why),
    }
    match age_modifier(profile, m) {
        Ok(f) => mods.push(f),
        Err(why) => not("age", why),
    }
    (mods, missing)
}

/// Multiply `session_points` by each modifier in turn; each modifier's points are its share
/// of the added points, in the order applied. Returns the product of the multipliers.
fn apply_modifiers(session_points: f64, mods: &mut [Factor]) -> f64 {
    let mut multiplier = 1.0;
    for f in mods {
        let before = session_points * multiplier;
        multiplier *= f.value;
        f.points = round1(session_points * multiplier - before);
    }
    multiplier
}

/// Session factors before modifiers; within each, most points first, ties in rule order.
fn sort_factors(factors: &mut [Factor], cfg: &RiskConfig) {
    let order = |id: &str| cfg.rules.iter().position(|r| r.id == id).unwrap_or(99);
    factors.sort_by(|a, b| {
        (a.kind == FactorKind::Modifier)
            .cmp(&(b.kind == FactorKind::Modifier))
            .then(b.points.total_cmp(&a.points))
            .then(order(a.id).cmp(&order(b.id)))
    });
}

/// Assess a session. `today` stands in for the run's date when the input has none (for the
/// shoe change's recency); the caller reads the clock.
pub fn assess(
    input: &RiskInput,
    profile: &RunnerProfile,
    cfg: &RiskConfig,
    today: NaiveDate,
) -> Assessment {
    let over = overstriding::indicators(input, profile);
    let x = Inputs {
        input,
        over: &over,
        profile,
        today,
    };
    let (mut factors, mut not_assessed) = session_factors(&x, cfg);
    let session_points: f64 = factors.iter().map(|f| f.points).sum();
    let (mut mods, mods_missing) = modifiers(profile, input.date, &cfg.modifiers);
    not_assessed.extend(mods_missing);
    let multiplier = apply_modifiers(session_points, &mut mods);
    factors.extend(mods);
    sort_factors(&mut factors, cfg);
    let total = (session_points * multiplier).min(100.0);
    Assessment {
        overstriding: over,
        risk: RiskAssessment {
            score: total.round() as u32,
            level: Level::of(total, cfg),
            session_points: round1(session_points),
            multiplier,
            factors,
            not_assessed,
            disclaimer: DISCLAIMER,
            see_a_clinician: SEE_A_CLINICIAN,
        },
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    const TODAY: NaiveDate = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();

    /// A run that triggers nothing (shared with the factor tests).
    pub(crate) fn normal() -> RiskInput {
        RiskInput {
            cadence_spm: Some(172.0),
            speed_mps: Some(3.3),
            ground_contact_ms: Some(235.0),
            flight_ms: Some(114.0),
            vertical_ratio_pct: Some(7.5),
            vertical_oscillation_cm: Some(8.5),
            gct_balance_left_pct: Some(50.2),
            braking_g: Some(0.4),
            cadence_drift_pct: Some(-0.5),
            contact_drift_pct: Some(1.0),
            climb_per_km_m: Some(5.0),
            temperature_c: Some(15.0),
            running_time_s: Some(3000.0),
            hard_start: Some(false),
            footstrike_type: Some(4.0),
            date: NaiveDate::from_ymd_opt(2026, 11, 1),
            ..RiskInput::default()
        }
    }

    #[test]
    fn a_normal_run_scores_nothing() {
        let a = assess(
            &normal(),
            &RunnerProfile::default(),
            &RiskConfig::default(),
            TODAY,
        );
        assert_eq!(a.risk.score, 0, "{:#?}", a.risk.factors);
        assert_eq!(a.risk.level, Level::Low);
        assert!(a.risk.factors.iter().all(|f| f.points == 0.0));
    }

    #[test]
    fn one_trigger_scores_one_factor() {
        // Each factor's own trigger is tested in `factors`; here, the assessment keeps them apart.
        let a = assess(
            &RiskInput {
                climb_per_km_m: Some(50.0),
                ..normal()
            },
            &RunnerProfile::default(),
            &RiskConfig::default(),
            TODAY,
        );
        let fired: Vec<_> = a
            .risk
            .factors
            .iter()
            .filter(|f| f.points > 0.0)
            .map(|f| f.id)
            .collect();
        assert_eq!(fired, vec!["hills"]);
        assert_eq!(a.risk.score, 8);
    }

    #[test]
    fn walking_and_disabled_factors_say_why() {
        let mut cfg = RiskConfig::default();
        cfg.rules
            .iter_mut()
            .find(|r| r.id == "hills")
            .unwrap()
            .enabled = false;
        let walk = RiskInput {
            not_running: Some("walking"),
            date: normal().date,
            ..RiskInput::default()
        };
        let a = assess(&walk, &RunnerProfile::default(), &cfg, TODAY);
        let why = |id: &str| {
            a.risk
                .not_assessed
                .iter()
                .find(|n| n.id == id)
                .map(|n| n.reason.clone())
        };
        assert_eq!(
            why("hills").as_deref(),
            Some("disabled in the risk configuration")
        );
        assert!(
            why("low_cadence")
                .unwrap()
                .starts_with("this session's steps are walking")
        );
        assert!(
            why("shoe_drop_decrease")
                .unwrap()
                .starts_with("needs shoe.drop_mm")
        );
    }

    #[test]
    fn prior_strain_counts_more_within_a_year_and_not_after_the_run() {
        let m = RiskConfig::default().modifiers;
        let p = |d| RunnerProfile {
            prior_calf_strain: Some(PriorStrain::On(d)),
            ..RunnerProfile::default()
        };
        let run = NaiveDate::from_ymd_opt(2026, 11, 1);
        let x = |d| {
            prior_strain_modifier(&p(d), run, &m)
                .unwrap()
                .unwrap()
                .value
        };
        assert_eq!(x(NaiveDate::from_ymd_opt(2026, 5, 1).unwrap()), 1.7);
        assert_eq!(x(NaiveDate::from_ymd_opt(2024, 5, 1).unwrap()), 1.5);
        assert_eq!(x(NaiveDate::from_ymd_opt(2026, 11, 2).unwrap()), 1.0);
        assert!(prior_strain_modifier(&RunnerProfile::default(), run, &m).is_err());
    }

    #[test]
    fn age_multiplies_from_35_up_to_the_cap() {
        let m = RiskConfig::default().modifiers;
        let x = |a| {
            age_modifier(
                &RunnerProfile {
                    age: Some(a),
                    ..RunnerProfile::default()
                },
                &m,
            )
            .unwrap()
            .value
        };
        assert_eq!(x(30.0), 1.0);
        assert!((x(45.0) - 1.15).abs() < 1e-12);
        assert_eq!(x(80.0), 1.3);
    }

    #[test]
    fn modifier_points_share_the_added_points() {
        let mk = |x: f64| Factor {
            value: x,
            ..age_modifier(
                &RunnerProfile {
                    age: Some(40.0),
                    ..RunnerProfile::default()
                },
                &RiskConfig::default().modifiers,
            )
            .unwrap()
        };
        let mut mods = vec![mk(1.5), mk(1.2)];
        let multiplier = apply_modifiers(10.0, &mut mods);
        assert!((multiplier - 1.8).abs() < 1e-12);
        assert_eq!(mods[0].points, 5.0);
        assert_eq!(mods[1].points, 3.0);
    }

    #[test]
    fn modifiers_scale_but_do_not_score_alone() {
        let cfg = RiskConfig::default();
        let old = RunnerProfile {
            age: Some(55.0),
            prior_calf_strain: Some(PriorStrain::On(
                NaiveDate::from_ymd_opt(2026, 5, 1).unwrap(),
            )),
            ..RunnerProfile::default()
        };
        assert_eq!(assess(&normal(), &old, &cfg, TODAY).risk.score, 0);
        let slow = RiskInput {
            cadence_spm: Some(150.0),
            ..normal()
        };
        let young = assess(&slow, &RunnerProfile::default(), &cfg, TODAY).risk;
        let aged = assess(&slow, &old, &cfg, TODAY).risk;
        assert!((aged.multiplier - 1.7 * 1.3).abs() < 1e-9);
        assert_eq!(
            aged.score,
            (young.session_points * 1.7 * 1.3).min(100.0).round() as u32
        );
        // The points add up to the score.
        let sum: f64 = aged.factors.iter().map(|f| f.points).sum();
        assert!(
            (sum - aged.score as f64).abs() <= 1.0,
            "{sum} vs {}",
            aged.score
        );
    }

    #[test]
    fn missing_data_is_not_assessed_and_not_risk() {
        let a = assess(
            &RiskInput::default(),
            &RunnerProfile::default(),
            &RiskConfig::default(),
            TODAY,
        );
        assert_eq!(a.risk.score, 0);
        assert!(a.risk.factors.is_empty());
        assert!(a.risk.not_assessed.len() >= 14);
    }
}
