//! The session factors, one function each, and the table that lists them in the order of
//! [`default_rules`](super::config::default_rules). A factor function reads what it needs of
//! the session ([`Inputs`]) and returns either its measurement ([`Measured`]: the value the
//! rule scores, the measurement in words and a weight) or why it could not be assessed
//! ([`Unassessed`]). Thresholds, points, evidence and advice stay in the rule table.

use super::RiskInput;
use super::config::SESSION_RULES;
use super::overstriding::{self, Overstriding};
use super::profile::RunnerProfile;
use super::sensors::{Measures, OtherSensor};
use crate::metrics::drift::MIN_DRIFT_RUNNING_S;
use crate::vocab::Channel;
use crate::vocab::Confidence;
use chrono::NaiveDate;
use std::fmt;

/// What the factor functions read.
#[derive(Debug, Clone, Copy)]
pub struct Inputs<'a> {
    /// The session.
    pub input: &'a RiskInput,
    /// Its overstriding indicators.
    pub over: &'a Overstriding,
    /// The runner.
    pub profile: &'a RunnerProfile,
    /// The day the run is taken to be on when its own date is unknown (the caller's today).
    pub today: NaiveDate,
}

/// A factor's measurement.
#[derive(Debug, Clone, PartialEq)]
pub struct Measured {
    /// The value the rule scores (in the rule's unit).
    pub value: f64,
    /// The measurement in words.
    pub detail: String,
    /// Share of the rule's points that apply (1 normally; heat under an hour and an old
    /// shoe change count less or nothing).
    pub weight: f64,
}

impl Measured {
    /// A measurement with full weight.
    fn full(value: f64, detail: String) -> Self {
        Measured {
            value,
            detail,
            weight: 1.0,
        }
    }
}

/// Why a factor was not assessed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unassessed {
    /// The rule is switched off in `--risk-config`.
    Disabled,
    /// The session's steps are not running (`walking`, `still`): running factors do not apply.
    NotRunning(&'static str),
    /// Data the factor needs is missing; the text says what it needs.
    Needs(&'static str),
    /// A sibling rule measured the same thing more precisely; the text names it.
    Replaced(&'static str),
    /// Fewer runs in the last 7 days than the factor needs (the block's long-run share).
    NeedsRuns(usize),
    /// The run is too short to show fatigue drift: its running time, whole seconds.
    TooShortToTire(u32),
    /// The value comes from a sensor family the rule's thresholds are not for.
    OtherSensor(OtherSensor),
}

impl fmt::Display for Unassessed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Unassessed::Disabled => f.write_str("disabled in the risk configuration"),
            Unassessed::NotRunning(a) => write!(
                f,
                "this session's steps are {a}, not running: the running factors do not apply"
            ),
            Unassessed::Needs(s) | Unassessed::Replaced(s) => f.write_str(s),
            Unassessed::NeedsRuns(n) => write!(f, "needs {n} or more runs in the last 7 days"),
            Unassessed::OtherSensor(o) => write!(f, "{o}"),
            Unassessed::TooShortToTire(s) => write!(
                f,
                "{:.1} min of running is too short to show fatigue: drift is assessed from {:.0} minutes (the studies behind it ran 30 minutes to 10 km)",
                f64::from(*s) / 60.0,
                MIN_DRIFT_RUNNING_S / 60.0
            ),
        }
    }
}

/// A factor function.
pub type Measure = fn(&Inputs) -> Result<Measured, Unassessed>;

/// One row of the session-factor table.
#[derive(Debug, Clone, Copy)]
pub struct SessionFactor {
    /// Rule id (the row of the rule table that scores it).
    pub id: &'static str,
    /// Judges running (form, hills, heat): not assessed on walking.
    pub running_only: bool,
    /// What it measures, for the sensor family its rule must name ([`super::sensors`]).
    pub measures: Measures,
    /// The session metric it reads, whose confidence weighs its points.
    pub metric: Option<Channel>,
    /// The measurement.
    pub measure: Measure,
}

/// The session factors, in rule-table order (the order of `not_assessed`).
pub const SESSION_FACTORS: [SessionFactor; SESSION_RULES.len()] = [
    row(
        "low_cadence",
        true,
        Measures::Other,
        Some(Channel::CadenceSpm),
        low_cadence,
    ),
    row(
        "overstriding_braking",
        true,
        Measures::Other,
        Some(Channel::BrakingG),
        overstriding_braking,
    ),
    row(
        "long_contact",
        true,
        Measures::Dynamics,
        Some(Channel::GroundContactMs),
        long_contact,
    ),
    row(
        "long_contact_absolute",
        true,
        Measures::Dynamics,
        Some(Channel::GroundContactMs),
        long_contact_absolute,
    ),
    row(
        "high_vertical_ratio",
        true,
        Measures::Dynamics,
        Some(Channel::VerticalRatioPct),
        high_vertical_ratio,
    ),
    row(
        "high_vertical_oscillation",
        true,
        Measures::Dynamics,
        Some(Channel::VerticalOscillationCm),
        high_vertical_oscillation,
    ),
    row(
        "gct_imbalance",
        true,
        Measures::Dynamics,
        Some(Channel::GctBalanceLeftPct),
        gct_imbalance,
    ),
    row("cadence_drop", true, Measures::Other, None, cadence_drop),
    row("contact_rise", true, Measures::Other, None, contact_rise),
    row("hills", true, Measures::Other, None, hills),
    row("heat", true, Measures::Other, None, heat),
    row("no_warmup", true, Measures::Other, None, no_warmup),
    row(
        "forefoot_strike",
        true,
        Measures::Strike,
        Some(Channel::FootstrikeType),
        forefoot_strike,
    ),
    row(
        "shoe_drop_decrease",
        false,
        Measures::Other,
        None,
        shoe_drop_decrease,
    ),
];

const fn row(
    id: &'static str,
    running_only: bool,
    measures: Measures,
    metric: Option<Channel>,
    measure: Measure,
) -> SessionFactor {
    SessionFactor {
        id,
        running_only,
        measures,
        metric,
        measure,
    }
}

/// Cadence below the runner's usual or the population cadence for the speed, % (the
/// overstriding indicator `cadence_below_reference_pct`; negative when above).
pub fn low_cadence(x: &Inputs) -> Result<Measured, Unassessed> {
    let Some(i) = x.over.get("cadence_below_reference_pct") else {
        let why = x
            .over
            .not_assessed
            .iter()
            .find(|m| m.id == "cadence_below_reference_pct")
            .map_or("no cadence", |m| m.reason);
        return Err(Unassessed::Needs(why));
    };
    let c = x.input.cadence_spm.unwrap_or(f64::NAN);
    Ok(Measured::full(
        i.value,
        format!(
            "cadence {c:.0} steps/min, {:.1} % {} {}",
            i.value.abs(),
            if i.value >= 0.0 { "below" } else { "above" },
            i.reference_note.split(';').next().unwrap_or_default()
        ),
    ))
}

/// The braking / duty-factor overstride sub-index, 0–1 ([`overstriding::braking_index`]):
/// from the indicators compared with their references (a braking value from a sensor its
/// reference is not for is shown, not compared).
pub fn overstriding_braking(x: &Inputs) -> Result<Measured, Unassessed> {
    let index = overstriding::braking_index(x.over).ok_or_else(|| {
        let shown = x.over.get(Channel::BrakingG.name()).is_some();
        Unassessed::Needs(if shown {
            "the braking value is from a sensor its provisional trunk reference is not for (see the overstriding indicators), and there is no measured duty factor"
        } else {
            "needs braking from a trunk accelerometer or a measured duty factor (raw sensors)"
        })
    })?;
    let mut parts = Vec::new();
    if let Some(b) = x.over.get(Channel::BrakingG.name()) {
        parts.push(format!(
            "braking {:.2} g (provisional reference 0.55 g)",
            b.value
        ));
    }
    if let Some(d) = x.over.get(Channel::DutyFactorPct.name()) {
        parts.push(format!("duty factor {:.1} % (reference 40 %)", d.value));
    }
    Ok(Measured::full(index, parts.join("; ")))
}

const NO_CONTACT: Unassessed = Unassessed::Needs("no ground contact time in this file");

/// Ground contact above the reference for the speed (`400 − 50·v` ms), %.
pub fn long_contact(x: &Inputs) -> Result<Measured, Unassessed> {
    let t = x.input.ground_contact_ms.ok_or(NO_CONTACT)?;
    let v = x.input.speed_mps.ok_or(Unassessed::Needs(
        "needs the running speed (--speed-mps or a speed column)",
    ))?;
    let r = overstriding::reference_contact_ms(v);
    Ok(Measured::full(
        100.0 * (t - r) / r,
        format!("contact {t:.0} ms at {v:.2} m/s; reference {r:.0} ms"),
    ))
}

/// Ground contact, ms, only when the speed is unknown (else [`long_contact`] judges it).
pub fn long_contact_absolute(x: &Inputs) -> Result<Measured, Unassessed> {
    let t = x.input.ground_contact_ms.ok_or(NO_CONTACT)?;
    if x.input.speed_mps.is_some() {
        return Err(Unassessed::Replaced(
            "the speed-aware rule long_contact was used",
        ));
    }
    Ok(Measured::full(
        t,
        format!("contact {t:.0} ms (speed unknown)"),
    ))
}

const NO_BOUNCE: Unassessed = Unassessed::Needs("no vertical oscillation in this file");

/// Vertical ratio, %.
pub fn high_vertical_ratio(x: &Inputs) -> Result<Measured, Unassessed> {
    match (x.input.vertical_ratio_pct, x.input.vertical_oscillation_cm) {
        (Some(r), _) => Ok(Measured::full(r, format!("vertical ratio {r:.1} %"))),
        (None, Some(_)) => Err(Unassessed::Needs(
            "needs the step length (speed) for a vertical ratio",
        )),
        (None, None) => Err(NO_BOUNCE),
    }
}

/// Vertical oscillation, cm, only when there is no vertical ratio.
pub fn high_vertical_oscillation(x: &Inputs) -> Result<Measured, Unassessed> {
    match (x.input.vertical_ratio_pct, x.input.vertical_oscillation_cm) {
        (Some(_), _) => Err(Unassessed::Replaced("the vertical ratio was used")),
        (None, Some(vo)) => Ok(Measured::full(
            vo,
            format!("vertical oscillation {vo:.1} cm"),
        )),
        (None, None) => Err(NO_BOUNCE),
    }
}

/// Left/right ground-contact imbalance, |balance − 50| percentage points.
pub fn gct_imbalance(x: &Inputs) -> Result<Measured, Unassessed> {
    let b = x.input.gct_balance_left_pct.ok_or(Unassessed::Needs(
        "no left/right balance in this file (or sides were uncertain)",
    ))?;
    Ok(Measured::full(
        (b - 50.0).abs(),
        format!("ground-contact balance {b:.1} % left"),
    ))
}

/// A drift factor's input: the drift, or why there is none — a run shorter than
/// [`MIN_DRIFT_RUNNING_S`] is too short to tire, else the data is missing (`needs`).
fn drift_input(x: &Inputs, drift: Option<f64>, needs: &'static str) -> Result<f64, Unassessed> {
    match (drift, x.input.running_time_s) {
        (Some(d), _) => Ok(d),
        (None, Some(s)) if s < MIN_DRIFT_RUNNING_S => Err(Unassessed::TooShortToTire(s as u32)),
        (None, _) => Err(Unassessed::Needs(needs)),
    }
}

/// Weight of a drift by its confidence: all points when the thirds resolve a change within
/// 1 % (`high`, or not stated), half within 3 % (`moderate`), none beyond (`low`: the
/// change cannot be told from step-to-step noise); with the reason in words.
fn drift_weight(c: Option<Confidence>) -> (f64, &'static str) {
    match c {
        None | Some(Confidence::High) => (1.0, ""),
        Some(Confidence::Moderate) => (
            0.5,
            " (moderate confidence: few steps behind each third, half weight)",
        ),
        Some(Confidence::Low) => (
            0.0,
            " (low confidence: too few steps behind each third to tell it from noise, not counted)",
        ),
    }
}

/// Cadence fall from the first to the last third, % (a rise is negative), weighted by the
/// drift's confidence.
pub fn cadence_drop(x: &Inputs) -> Result<Measured, Unassessed> {
    let d = drift_input(
        x,
        x.input.cadence_drift_pct,
        "needs cadence over a run long enough to split in thirds",
    )?;
    let (weight, note) = drift_weight(x.input.cadence_drift_confidence);
    Ok(Measured {
        value: -d,
        detail: format!("cadence {d:+.1} % from the first to the last third{note}"),
        weight,
    })
}

/// Ground-contact rise from the first to the last third, %, weighted by the drift's
/// confidence.
pub fn contact_rise(x: &Inputs) -> Result<Measured, Unassessed> {
    let d = drift_input(
        x,
        x.input.contact_drift_pct,
        "needs contact times over a run long enough to split in thirds",
    )?;
    let (weight, note) = drift_weight(x.input.contact_drift_confidence);
    Ok(Measured {
        value: d,
        detail: format!("ground contact {d:+.1} % from the first to the last third{note}"),
        weight,
    })
}

/// Ascent plus descent per km, m/km.
pub fn hills(x: &Inputs) -> Result<Measured, Unassessed> {
    let c = x
        .input
        .climb_per_km_m
        .ok_or(Unassessed::Needs("no elevation in this file"))?;
    Ok(Measured::full(
        c,
        format!("{c:.0} m of ascent and descent per km"),
    ))
}

/// Runs of at least this long count for heat, s.
const HEAT_MIN_RUN_S: f64 = 3600.0;

/// Median temperature, °C; counted (weight 1) only for runs of an hour or more.
pub fn heat(x: &Inputs) -> Result<Measured, Unassessed> {
    let (Some(t), Some(s)) = (x.input.temperature_c, x.input.running_time_s) else {
        return Err(Unassessed::Needs("no temperature in this file"));
    };
    let long = s >= HEAT_MIN_RUN_S;
    Ok(Measured {
        value: t,
        detail: if long {
            format!("{t:.0} °C over {:.0} min", s / 60.0)
        } else {
            format!(
                "{t:.0} °C over {:.0} min (counted only for runs over an hour)",
                s / 60.0
            )
        },
        weight: if long { 1.0 } else { 0.0 },
    })
}

/// A hard start without warm-up (the metrics stage's check): 1 yes, 0 no.
pub fn no_warmup(x: &Inputs) -> Result<Measured, Unassessed> {
    let h = x.input.hard_start.ok_or(Unassessed::Needs(
        "needs speed or heart rate over at least 20 minutes",
    ))?;
    Ok(if h {
        Measured::full(1.0, "the first 10 minutes were as hard as the rest".into())
    } else {
        Measured::full(0.0, "an easier start".into())
    })
}

/// RunScribe footstrike type (1 heel … 15 toe).
pub fn forefoot_strike(x: &Inputs) -> Result<Measured, Unassessed> {
    let f = x.input.footstrike_type.ok_or(Unassessed::Needs(
        "no footstrike data (RunScribe) in this file",
    ))?;
    Ok(Measured::full(
        f,
        format!("footstrike type {f:.0} (1 heel, 15 toe)"),
    ))
}

/// Recency weight of a shoe change `days` before the run: 1 within 4 weeks, falling
/// linearly to 0 at 12 weeks; 0 for a change after the run.
pub fn shoe_recency_weight(days: i64) -> f64 {
    if days < 0 {
        0.0
    } else {
        (1.0 - (days as f64 - 28.0) / 56.0).clamp(0.0, 1.0)
    }
}

/// Drop decrease of the current shoe against the previous one, mm, weighted by how recent
/// the switch was ([`shoe_recency_weight`]); the run's date, else `today`.
pub fn shoe_drop_decrease(x: &Inputs) -> Result<Measured, Unassessed> {
    let shoe = &x.profile.shoe;
    let (Some(prev), Some(now), Some(since)) = (shoe.previous_drop_mm, shoe.drop_mm, shoe.since)
    else {
        return Err(Unassessed::Needs(
            "needs shoe.drop_mm, shoe.previous_drop_mm and shoe.since in --profile",
        ));
    };
    let day = x.input.date.unwrap_or(x.today);
    let days = (day - since).num_days();
    let w = shoe_recency_weight(days);
    Ok(Measured {
        value: prev - now,
        detail: format!(
            "drop {now:.0} mm since {since} ({days} days before this run), previously {prev:.0} mm; recency weight {w:.2}{}",
            if x.input.date.is_none() {
                " (run date unknown: today used)"
            } else {
                ""
            }
        ),
        weight: w,
    })
}

#[cfg(test)]
mod tests {
    use super::super::config::RiskConfig;
    use super::super::profile::Shoe;
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    use crate::risk::tests::normal;

    /// Points the default rule gives `measure` on `input` (None when not assessed).
    fn points_with(
        measure: Measure,
        id: &str,
        input: &RiskInput,
        p: &RunnerProfile,
    ) -> Option<f64> {
        let over = overstriding::indicators(input, p);
        let x = Inputs {
            input,
            over: &over,
            profile: p,
            today: day(2026, 12, 1),
        };
        let cfg = RiskConfig::default();
        let m = measure(&x).ok()?;
        Some(cfg.rule(id)?.score(m.value) * m.weight)
    }

    fn points(measure: Measure, id: &str, input: &RiskInput) -> Option<f64> {
        points_with(measure, id, input, &RunnerProfile::default())
    }

    /// Asserts that `measure` scores nothing on the normal run and some points on `trigger`.
    fn fires(measure: Measure, id: &str, trigger: RiskInput) {
        assert_eq!(points(measure, id, &normal()).unwrap_or(0.0), 0.0, "{id}");
        let p = points(measure, id, &trigger).unwrap_or(0.0);
        assert!(p > 0.0, "{id}: {p}");
    }

    #[test]
    fn low_cadence_fires_below_the_population_cadence() {
        // Population cadence at 3.3 m/s: 154 + 12·0.9 = 164.8; 150 is 9 % below.
        let trigger = RiskInput {
            cadence_spm: Some(150.0),
            ..normal()
        };
        fires(low_cadence, "low_cadence", trigger.clone());
        assert!(
            (points(low_cadence, "low_cadence", &trigger).unwrap()
                - 20.0 * (100.0 * (164.8 - 150.0) / 164.8 - 5.0) / 10.0)
                .abs()
                < 1e-9
        );
    }

    #[test]
    fn overstriding_braking_fires_on_hard_braking() {
        fires(
            overstriding_braking,
            "overstriding_braking",
            RiskInput {
                braking_g: Some(0.8),
                ..normal()
            },
        );
        let none = RiskInput {
            braking_g: None,
            ..normal()
        };
        assert!(matches!(
            overstriding_braking(&Inputs {
                input: &none,
                over: &overstriding::indicators(&none, &RunnerProfile::default()),
                profile: &RunnerProfile::default(),
                today: day(2026, 12, 1),
            }),
            Err(Unassessed::Needs(_))
        ));
    }

    #[test]
    fn long_contact_fires_above_the_speed_reference() {
        // Reference at 3.3 m/s: 400 − 165 = 235 ms; 275 ms is 17 % above.
        fires(
            long_contact,
            "long_contact",
            RiskInput {
                ground_contact_ms: Some(275.0),
                ..normal()
            },
        );
    }

    #[test]
    fn long_contact_absolute_fires_only_without_speed() {
        let slow = RiskInput {
            ground_contact_ms: Some(295.0),
            speed_mps: None,
            ..normal()
        };
        assert_eq!(
            points(long_contact_absolute, "long_contact_absolute", &slow),
            Some(6.0 * (15.0 / 50.0))
        );
        let with_speed = RiskInput {
            speed_mps: Some(3.3),
            ..slow
        };
        assert_eq!(
            points(long_contact_absolute, "long_contact_absolute", &with_speed),
            None
        );
    }

    #[test]
    fn vertical_ratio_fires_and_oscillation_steps_aside() {
        fires(
            high_vertical_ratio,
            "high_vertical_ratio",
            RiskInput {
                vertical_ratio_pct: Some(10.5),
                ..normal()
            },
        );
        let vo = RiskInput {
            vertical_ratio_pct: None,
            vertical_oscillation_cm: Some(12.0),
            ..normal()
        };
        assert!(points(high_vertical_oscillation, "high_vertical_oscillation", &vo).unwrap() > 0.0);
        assert_eq!(
            points(
                high_vertical_oscillation,
                "high_vertical_oscillation",
                &normal()
            ),
            None
        );
    }

    #[test]
    fn gct_imbalance_fires_past_the_band() {
        fires(
            gct_imbalance,
            "gct_imbalance",
            RiskInput {
                gct_balance_left_pct: Some(52.0),
                ..normal()
            },
        );
    }

    #[test]
    fn fatigue_factors_fire_on_their_drift() {
        fires(
            cadence_drop,
            "cadence_drop",
            RiskInput {
                cadence_drift_pct: Some(-6.0),
                ..normal()
            },
        );
        fires(
            contact_rise,
            "contact_rise",
            RiskInput {
                contact_drift_pct: Some(7.0),
                ..normal()
            },
        );
    }

    #[test]
    fn drift_counts_by_its_confidence_and_not_on_a_short_run() {
        // −6 % cadence: (6 − 3)/(8 − 3) of 8 points = 4.8, halved at moderate, none at low.
        let at = |c: Option<Confidence>| {
            let input = RiskInput {
                cadence_drift_pct: Some(-6.0),
                cadence_drift_confidence: c,
                ..normal()
            };
            points(cadence_drop, "cadence_drop", &input)
        };
        assert_eq!(at(Some(Confidence::High)), Some(4.8));
        assert_eq!(at(None), Some(4.8));
        assert_eq!(at(Some(Confidence::Moderate)), Some(2.4));
        assert_eq!(at(Some(Confidence::Low)), Some(0.0));
        // A 4-second clip has no drift: too short to tire, said so.
        let clip = RiskInput {
            contact_drift_pct: None,
            running_time_s: Some(4.0),
            ..normal()
        };
        let over = overstriding::indicators(&clip, &RunnerProfile::default());
        let x = Inputs {
            input: &clip,
            over: &over,
            profile: &RunnerProfile::default(),
            today: day(2026, 12, 1),
        };
        let why = contact_rise(&x).unwrap_err();
        assert_eq!(why, Unassessed::TooShortToTire(4));
        assert!(
            why.to_string().contains("too short to show fatigue"),
            "{why}"
        );
        let long = RiskInput {
            running_time_s: Some(3600.0),
            ..clip.clone()
        };
        let x = Inputs { input: &long, ..x };
        assert!(matches!(contact_rise(&x), Err(Unassessed::Needs(_))));
    }

    #[test]
    fn hills_fire_on_climbing() {
        // 50 m/km: (50 − 20)/(60 − 20) of 10 points.
        let h = RiskInput {
            climb_per_km_m: Some(50.0),
            ..normal()
        };
        fires(hills, "hills", h.clone());
        assert_eq!(points(hills, "hills", &h), Some(7.5));
    }

    #[test]
    fn heat_fires_only_over_an_hour() {
        let hot = RiskInput {
            temperature_c: Some(30.0),
            running_time_s: Some(4000.0),
            ..normal()
        };
        fires(heat, "heat", hot.clone());
        let short = RiskInput {
            running_time_s: Some(3000.0),
            ..hot
        };
        assert_eq!(points(heat, "heat", &short), Some(0.0));
    }

    #[test]
    fn no_warmup_fires_on_a_hard_start() {
        fires(
            no_warmup,
            "no_warmup",
            RiskInput {
                hard_start: Some(true),
                ..normal()
            },
        );
    }

    #[test]
    fn forefoot_strike_fires_on_toe_strikers() {
        fires(
            forefoot_strike,
            "forefoot_strike",
            RiskInput {
                footstrike_type: Some(13.0),
                ..normal()
            },
        );
    }

    #[test]
    fn shoe_drop_decrease_fires_on_a_recent_switch_and_fades() {
        let p = |since| RunnerProfile {
            shoe: Shoe {
                drop_mm: Some(4.0),
                previous_drop_mm: Some(10.0),
                since: Some(since),
                model: None,
            },
            ..RunnerProfile::default()
        };
        let f = shoe_drop_decrease;
        let id = "shoe_drop_decrease";
        // 12 days before the run: full weight, 6 mm less drop = all 10 points.
        assert_eq!(
            points_with(f, id, &normal(), &p(day(2026, 10, 20))),
            Some(10.0)
        );
        // 12 weeks before: no weight.
        assert_eq!(
            points_with(f, id, &normal(), &p(day(2026, 8, 9))),
            Some(0.0)
        );
        assert_eq!(points(f, id, &normal()), None);
        // Without a run date, `today` (2026-12-01) is the day: 42 days, weight 0.75.
        let undated = RiskInput {
            date: None,
            ..normal()
        };
        assert_eq!(
            points_with(f, id, &undated, &p(day(2026, 10, 20))),
            Some(7.5)
        );
    }

    #[test]
    fn shoe_recency_weight_is_full_for_4_weeks_and_gone_at_12() {
        assert_eq!(shoe_recency_weight(-1), 0.0);
        assert_eq!(shoe_recency_weight(28), 1.0);
        assert_eq!(shoe_recency_weight(56), 0.5);
        assert_eq!(shoe_recency_weight(84), 0.0);
    }

    #[test]
    fn reasons_read_as_before() {
        assert_eq!(
            Unassessed::Disabled.to_string(),
            "disabled in the risk configuration"
        );
        assert_eq!(
            Unassessed::NotRunning("walking").to_string(),
            "this session's steps are walking, not running: the running factors do not apply"
        );
    }

    #[test]
    fn the_table_follows_the_rule_table() {
        let ids: Vec<&str> = SESSION_FACTORS.iter().map(|f| f.id).collect();
        let rules: Vec<&str> = SESSION_RULES.iter().map(|r| r.id).collect();
        assert_eq!(ids, rules);
    }
}
