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
//! from 25, `high` from 50 (configurable).
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
pub mod overstriding;
pub mod profile;

use crate::metrics::SessionMetrics;
use chrono::NaiveDate;
use config::{RiskConfig, Rule, Strength};
use overstriding::Overstriding;
use profile::{PriorStrain, RunnerProfile};
use serde::Serialize;

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
}

/// Factors that judge running form (not assessed on walking).
const FORM_FACTORS: [&str; 11] = [
    "low_cadence",
    "overstriding_braking",
    "long_contact",
    "long_contact_absolute",
    "high_vertical_ratio",
    "high_vertical_oscillation",
    "gct_imbalance",
    "cadence_drop",
    "contact_rise",
    "no_warmup",
    "forefoot_strike",
];

impl RiskInput {
    /// From the metrics stage's result. `start_unix_s` and `utc_offset_s` give the run's
    /// local date (for the shoe and prior-strain recency).
    pub fn from_summary(
        m: &SessionMetrics,
        start_unix_s: Option<f64>,
        utc_offset_s: Option<i64>,
    ) -> Self {
        let med = |k: &str| m.metrics.get(k).copied().flatten().map(|s| s.median);
        let drift = |k: &str| m.drift.get(k).copied().flatten().map(|d| d.change_pct);
        let date = start_unix_s.and_then(|t| {
            let local = t + utc_offset_s.unwrap_or(0) as f64;
            chrono::DateTime::from_timestamp(local.floor() as i64, 0).map(|d| d.date_naive())
        });
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
            cadence_spm: med("cadence_spm"),
            speed_mps: med("speed_mps"),
            ground_contact_ms: med("ground_contact_ms"),
            flight_ms: med("flight_ms"),
            vertical_oscillation_cm: med("vertical_oscillation_cm"),
            vertical_ratio_pct: med("vertical_ratio_pct"),
            step_length_m: med("step_length_m"),
            gct_balance_left_pct: med("gct_balance_left_pct"),
            braking_g: med("braking_g"),
            step_speed_loss_mps: med("step_speed_loss_mps"),
            duty_factor_pct: med("duty_factor_pct"),
            footstrike_type: med("footstrike_type"),
            cadence_drift_pct: drift("cadence_spm"),
            contact_drift_pct: drift("ground_contact_ms"),
            climb_per_km_m: m
                .elevation
                .as_ref()
                .and_then(|e| Some(e.gain_per_km_m? + e.loss_per_km_m?)),
            temperature_c: med("temperature_c"),
            running_time_s: (m.running_time_s > 0.0).then_some(m.running_time_s),
            hard_start: m.warmup.as_ref().map(|w| w.hard_start),
            date,
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

/// One scored factor.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Factor {
    /// Stable id.
    pub id: &'static str,
    /// `session` or `modifier`.
    pub kind: &'static str,
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

fn session_factor(rule: &Rule, value: f64, detail: String, weight: f64) -> Factor {
    Factor {
        id: rule.id,
        kind: "session",
        label: rule.label,
        value,
        unit: rule.unit,
        threshold: rule.threshold,
        full: rule.full,
        points: round1(rule.score(value) * weight),
        max_points: rule.points,
        detail,
        cite: rule.cite,
        evidence: rule.evidence,
        strength: rule.strength,
        advice: rule.advice,
    }
}

/// Assess a session.
pub fn assess(input: &RiskInput, profile: &RunnerProfile, cfg: &RiskConfig) -> Assessment {
    let over = overstriding::indicators(input, profile);
    let mut factors: Vec<Factor> = Vec::new();
    let mut missing: Vec<NotAssessed> = Vec::new();
    let mut push = |id: &'static str, f: Option<(f64, String, f64)>, why: &str| {
        let Some(rule) = cfg.rule(id) else { return };
        if !rule.enabled {
            missing.push(NotAssessed {
                id,
                reason: "disabled in the risk configuration".into(),
            });
            return;
        }
        match f {
            Some((v, detail, w)) => factors.push(session_factor(rule, v, detail, w)),
            None => missing.push(NotAssessed {
                id,
                reason: match input.not_running {
                    Some(a) if FORM_FACTORS.contains(&id) || id == "hills" || id == "heat" => {
                        format!("this session's steps are {a}, not running: the running factors do not apply")
                    }
                    _ => why.to_string(),
                },
            }),
        }
    };
    // Cadence.
    let cad = over.get("cadence_below_reference_pct").map(|i| {
        let c = input.cadence_spm.unwrap_or(f64::NAN);
        (
            i.value,
            format!(
                "cadence {c:.0} steps/min, {:.1} % {} {}",
                i.value.abs(),
                if i.value >= 0.0 { "below" } else { "above" },
                i.reference_note.split(';').next().unwrap_or_default()
            ),
            1.0,
        )
    });
    push(
        "low_cadence",
        cad,
        over.not_assessed
            .iter()
            .find(|m| m.id == "cadence_below_reference_pct")
            .map_or("no cadence", |m| m.reason),
    );
    // Braking / duty factor.
    let bi = overstriding::braking_index(&over).map(|x| {
        let mut parts = Vec::new();
        if let Some(b) = over.get("braking_g") {
            parts.push(format!(
                "braking {:.2} g (provisional reference 0.55 g)",
                b.value
            ));
        }
        if let Some(d) = over.get("duty_factor_pct") {
            parts.push(format!("duty factor {:.1} % (reference 40 %)", d.value));
        }
        (x, parts.join("; "), 1.0)
    });
    push(
        "overstriding_braking",
        bi,
        "needs braking (trunk accelerometer or RunScribe) or a measured duty factor (raw sensors)",
    );
    // Contact time.
    match (input.ground_contact_ms, input.speed_mps) {
        (Some(t), Some(v)) => {
            let r = overstriding::reference_contact_ms(v);
            push(
                "long_contact",
                Some((
                    100.0 * (t - r) / r,
                    format!("contact {t:.0} ms at {v:.2} m/s; reference {r:.0} ms"),
                    1.0,
                )),
                "",
            );
            push(
                "long_contact_absolute",
                None,
                "the speed-aware rule long_contact was used",
            );
        }
        (Some(t), None) => {
            push(
                "long_contact",
                None,
                "needs the running speed (--speed-mps or a speed column)",
            );
            push(
                "long_contact_absolute",
                Some((t, format!("contact {t:.0} ms (speed unknown)"), 1.0)),
                "",
            );
        }
        (None, _) => {
            push("long_contact", None, "no ground contact time in this file");
            push(
                "long_contact_absolute",
                None,
                "no ground contact time in this file",
            );
        }
    }
    // Bounce.
    match (input.vertical_ratio_pct, input.vertical_oscillation_cm) {
        (Some(r), _) => {
            push(
                "high_vertical_ratio",
                Some((r, format!("vertical ratio {r:.1} %"), 1.0)),
                "",
            );
            push(
                "high_vertical_oscillation",
                None,
                "the vertical ratio was used",
            );
        }
        (None, Some(vo)) => {
            push(
                "high_vertical_ratio",
                None,
                "needs the step length (speed) for a vertical ratio",
            );
            push(
                "high_vertical_oscillation",
                Some((vo, format!("vertical oscillation {vo:.1} cm"), 1.0)),
                "",
            );
        }
        (None, None) => {
            push(
                "high_vertical_ratio",
                None,
                "no vertical oscillation in this file",
            );
            push(
                "high_vertical_oscillation",
                None,
                "no vertical oscillation in this file",
            );
        }
    }
    push(
        "gct_imbalance",
        input.gct_balance_left_pct.map(|b| {
            (
                (b - 50.0).abs(),
                format!("ground-contact balance {b:.1} % left"),
                1.0,
            )
        }),
        "no left/right balance in this file (or sides were uncertain)",
    );
    push(
        "cadence_drop",
        input.cadence_drift_pct.map(|d| {
            (
                -d,
                format!("cadence {d:+.1} % from the first to the last third"),
                1.0,
            )
        }),
        "needs cadence over a run long enough to split in thirds",
    );
    push(
        "contact_rise",
        input.contact_drift_pct.map(|d| {
            (
                d,
                format!("ground contact {d:+.1} % from the first to the last third"),
                1.0,
            )
        }),
        "needs contact times over a run long enough to split in thirds",
    );
    push(
        "hills",
        input
            .climb_per_km_m
            .map(|c| (c, format!("{c:.0} m of ascent and descent per km"), 1.0)),
        "no elevation in this file",
    );
    push(
        "heat",
        match (input.temperature_c, input.running_time_s) {
            (Some(t), Some(s)) => Some((
                t,
                if s >= 3600.0 {
                    format!("{t:.0} °C over {:.0} min", s / 60.0)
                } else {
                    format!(
                        "{t:.0} °C over {:.0} min (counted only for runs over an hour)",
                        s / 60.0
                    )
                },
                if s >= 3600.0 { 1.0 } else { 0.0 },
            )),
            _ => None,
        },
        "no temperature in this file",
    );
    push(
        "no_warmup",
        input.hard_start.map(|h| {
            (
                if h { 1.0 } else { 0.0 },
                if h {
                    "the first 10 minutes were as hard as the rest".to_string()
                } else {
                    "an easier start".to_string()
                },
                1.0,
            )
        }),
        "needs speed or heart rate over at least 20 minutes",
    );
    push(
        "forefoot_strike",
        input
            .footstrike_type
            .map(|f| (f, format!("footstrike type {f:.0} (1 heel, 15 toe)"), 1.0)),
        "no footstrike data (RunScribe) in this file",
    );
    // Shoes.
    let shoe = &profile.shoe;
    let shoe_f = match (shoe.previous_drop_mm, shoe.drop_mm, shoe.since) {
        (Some(prev), Some(now), Some(since)) => {
            let day = input
                .date
                .unwrap_or_else(|| chrono::Local::now().date_naive());
            let days = (day - since).num_days();
            let w = if days < 0 {
                0.0
            } else {
                (1.0 - (days as f64 - 28.0) / 56.0).clamp(0.0, 1.0)
            };
            Some((
                prev - now,
                format!(
                    "drop {now:.0} mm since {since} ({days} days before this run), previously {prev:.0} mm; recency weight {w:.2}{}",
                    if input.date.is_none() {
                        " (run date unknown: today used)"
                    } else {
                        ""
                    }
                ),
                w,
            ))
        }
        _ => None,
    };
    push(
        "shoe_drop_decrease",
        shoe_f,
        "needs shoe.drop_mm, shoe.previous_drop_mm and shoe.since in --profile",
    );

    let session_points: f64 = factors.iter().map(|f| f.points).sum();
    // Modifiers.
    let m = &cfg.modifiers;
    let mut multiplier = 1.0;
    let mut mods: Vec<(f64, Factor)> = Vec::new();
    match profile.prior_calf_strain {
        Some(p) if p.any() => {
            let (x, detail) = match (p, input.date) {
                (PriorStrain::On(d), Some(run)) if run < d => (
                    1.0,
                    format!("calf strain on {d}, after this run: not applied"),
                ),
                (PriorStrain::On(d), Some(run)) if (run - d).num_days() <= 365 => (
                    m.recent_prior_calf_strain,
                    format!("previous calf strain on {d}, within 12 months of this run"),
                ),
                (PriorStrain::On(d), _) => {
                    (m.prior_calf_strain, format!("previous calf strain on {d}"))
                }
                _ => (m.prior_calf_strain, "previous calf strain".to_string()),
            };
            mods.push((
                x,
                Factor {
                    id: "prior_calf_strain",
                    kind: "modifier",
                    label: "a previous calf strain (multiplies the session points)",
                    value: x,
                    unit: "×",
                    threshold: 1.0,
                    full: m.recent_prior_calf_strain,
                    points: 0.0,
                    max_points: 0.0,
                    detail,
                    cite: "Green & Pizzari 2017",
                    evidence: "a previous calf strain is the strongest predictor of another (Green & Pizzari 2017, Br J Sports Med 51:1189, systematic review)",
                    strength: Strength::Strong,
                    advice: "keep up calf strength work (bent- and straight-knee eccentric calf raises, 2-3 times a week) even when pain-free, and build load slowly",
                },
            ));
        }
        Some(_) => {}
        None => missing.push(NotAssessed {
            id: "prior_calf_strain",
            reason: "not in the profile (prior_calf_strain in --profile)".into(),
        }),
    }
    match profile.age {
        Some(a) => {
            let x = (1.0 + m.age_per_year * (a - m.age_from)).clamp(1.0, m.age_max);
            mods.push((
                x,
                Factor {
                    id: "age",
                    kind: "modifier",
                    label: "age (multiplies the session points)",
                    value: x,
                    unit: "×",
                    threshold: 1.0,
                    full: m.age_max,
                    points: 0.0,
                    max_points: 0.0,
                    detail: format!("age {a:.0}"),
                    cite: "Green & Pizzari 2017",
                    evidence: "older age raises calf-strain risk (Green & Pizzari 2017, Br J Sports Med 51:1189, systematic review)",
                    strength: Strength::Strong,
                    advice: "with age the calf needs more strength work and recovery: calf raises 2-3 times a week, and extra easy days after long or hilly runs",
                },
            ));
        }
        None => missing.push(NotAssessed {
            id: "age",
            reason: "not in the profile (age in --profile)".into(),
        }),
    }
    for (x, mut f) in mods {
        // Each modifier's share of the added points, in the order applied.
        let before = session_points * multiplier;
        multiplier *= x;
        f.points = round1(session_points * multiplier - before);
        factors.push(f);
    }
    let total = (session_points * multiplier).min(100.0);
    let score = total.round() as u32;
    let level = Level::of(total, cfg);
    let order = |id: &str| cfg.rules.iter().position(|r| r.id == id).unwrap_or(99);
    factors.sort_by(|a, b| {
        (a.kind == "modifier")
            .cmp(&(b.kind == "modifier"))
            .then(b.points.total_cmp(&a.points))
            .then(order(a.id).cmp(&order(b.id)))
    });
    Assessment {
        overstriding: over,
        risk: RiskAssessment {
            score,
            level,
            session_points: round1(session_points),
            multiplier,
            factors,
            not_assessed: missing,
            disclaimer: DISCLAIMER,
            see_a_clinician: SEE_A_CLINICIAN,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn normal() -> RiskInput {
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
        let a = assess(&normal(), &RunnerProfile::default(), &RiskConfig::default());
        assert_eq!(a.risk.score, 0, "{:#?}", a.risk.factors);
        assert_eq!(a.risk.level, Level::Low);
        assert!(a.risk.factors.iter().all(|f| f.points == 0.0));
    }

    #[test]
    fn each_factor_fires_on_its_own_trigger() {
        let cfg = RiskConfig::default();
        let p = RunnerProfile {
            shoe: profile::Shoe {
                drop_mm: Some(4.0),
                previous_drop_mm: Some(10.0),
                since: NaiveDate::from_ymd_opt(2026, 10, 20),
                model: None,
            },
            ..RunnerProfile::default()
        };
        let cases: Vec<(&str, RiskInput)> = vec![
            (
                "low_cadence",
                RiskInput {
                    cadence_spm: Some(150.0),
                    ..normal()
                },
            ),
            (
                "overstriding_braking",
                RiskInput {
                    braking_g: Some(0.8),
                    ..normal()
                },
            ),
            (
                "long_contact",
                RiskInput {
                    ground_contact_ms: Some(275.0),
                    ..normal()
                },
            ),
            (
                "long_contact_absolute",
                RiskInput {
                    ground_contact_ms: Some(295.0),
                    cadence_spm: Some(160.0),
                    speed_mps: None,
                    ..normal()
                },
            ),
            (
                "high_vertical_ratio",
                RiskInput {
                    vertical_ratio_pct: Some(10.5),
                    ..normal()
                },
            ),
            (
                "high_vertical_oscillation",
                RiskInput {
                    vertical_ratio_pct: None,
                    vertical_oscillation_cm: Some(12.0),
                    ..normal()
                },
            ),
            (
                "gct_imbalance",
                RiskInput {
                    gct_balance_left_pct: Some(52.0),
                    ..normal()
                },
            ),
            (
                "cadence_drop",
                RiskInput {
                    cadence_drift_pct: Some(-6.0),
                    ..normal()
                },
            ),
            (
                "contact_rise",
                RiskInput {
                    contact_drift_pct: Some(7.0),
                    ..normal()
                },
            ),
            (
                "hills",
                RiskInput {
                    climb_per_km_m: Some(50.0),
                    ..normal()
                },
            ),
            (
                "heat",
                RiskInput {
                    temperature_c: Some(30.0),
                    running_time_s: Some(4000.0),
                    ..normal()
                },
            ),
            (
                "no_warmup",
                RiskInput {
                    hard_start: Some(true),
                    ..normal()
                },
            ),
            (
                "forefoot_strike",
                RiskInput {
                    footstrike_type: Some(13.0),
                    ..normal()
                },
            ),
        ];
        for (id, input) in cases {
            let a = assess(&input, &RunnerProfile::default(), &cfg);
            let fired: Vec<_> = a
                .risk
                .factors
                .iter()
                .filter(|f| f.points > 0.0)
                .map(|f| f.id)
                .collect();
            assert_eq!(fired, vec![id], "{id}");
        }
        let a = assess(&normal(), &p, &cfg);
        let fired: Vec<_> = a
            .risk
            .factors
            .iter()
            .filter(|f| f.points > 0.0)
            .map(|f| f.id)
            .collect();
        assert_eq!(fired, vec!["shoe_drop_decrease"]);
        // Heat under an hour is assessed but silent.
        let a = assess(
            &RiskInput {
                temperature_c: Some(30.0),
                ..normal()
            },
            &RunnerProfile::default(),
            &cfg,
        );
        assert_eq!(a.risk.score, 0);
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
        assert_eq!(assess(&normal(), &old, &cfg).risk.score, 0);
        let slow = RiskInput {
            cadence_spm: Some(150.0),
            ..normal()
        };
        let young = assess(&slow, &RunnerProfile::default(), &cfg).risk;
        let aged = assess(&slow, &old, &cfg).risk;
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
        );
        assert_eq!(a.risk.score, 0);
        assert!(a.risk.factors.is_empty());
        assert!(a.risk.not_assessed.len() >= 14);
    }
}
