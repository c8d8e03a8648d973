//! Calf-strain risk day by day over a block: the block factors of each day (load up to and
//! including that day) plus the session factors of that day's run, multiplied by the runner's
//! modifiers — the same factor format and rule table as the session model ([`crate::risk`]).
//!
//! | factor | value on day *d* | threshold → full | points | evidence |
//! |---|---|---|---|---|
//! | `long_run_spike` | % longer than the longest run of the previous 30 days, for runs on days *d*−6…*d* that have 30 days of the block before them | bands: > 10 % half the points, > 100 % all; × (1 − k/7) *k* days after the run | 30 | strong: Frandsen 2025 |
//! | `weekly_volume_jump` | distance of days *d*−6…*d* against *d*−13…*d*−7 or, when larger, the mean week of *d*−27…*d*−7, % | 10 → 30 % | 12 | moderate: Nielsen 2014 (Buist 2008: the 10 % rule failed in a trial) |
//! | `acute_chronic_ratio` | EWMA 7/28-day load ratio | 1.3 → 1.5 | 8 | weak: Gabbett 2016, Williams 2017 |
//! | `monotony` | mean/SD of the last 7 daily loads | 2 → 3 | 4 | weak: Foster 1998 |
//! | `hard_back_to_back` | hard days in a row ending on *d* | 1 → 2 | 5 | weak: Foster 1998 |
//! | `new_speed` | % faster than the fastest run of the previous 28 days | 3 → 10 % | 6 | moderate: Dorn 2012 |
//! | `new_climbing` | % more climb per km than any run of the previous 28 days (≥ 20 m/km) | 25 → 100 % | 6 | weak: Roberts & Belliveau 2005 |
//! | `long_run_share` | longest run / distance of the last 7 days (≥ 4 runs), % | 40 → 55 % | 4 | weak: coaching consensus |
//!
//! The session factors are those of the day's run with the most session points. Day score =
//! min(100, (block points + session points) × modifiers); levels as in the session model. The
//! spike's fading over 6 days and the band weights are this model's choices, not the paper's.

use super::load::{self, Spike};
use crate::risk::config::{BLOCK_RULES, RiskConfig, Rule};
use crate::risk::factors::Unassessed;
use crate::risk::profile::RunnerProfile;
use crate::risk::{self, Factor, Level, NotAssessed, RiskInput, round1};
use chrono::NaiveDate;
use serde::Serialize;

/// What the block risk needs to know of each run (in start-time order).
#[derive(Debug, Clone, PartialEq)]
pub struct RunInfo {
    /// Index of the day in the block (0 = first day).
    pub day: usize,
    /// Date.
    pub date: NaiveDate,
    /// Distance, m.
    pub distance_m: f64,
    /// Spike against the previous 30 days.
    pub spike: Option<Spike>,
    /// Longest run of the previous 30 days was known (a spike could be judged).
    pub spike_judged: bool,
    /// Hard run (fast or long for this runner).
    pub hard: bool,
    /// % faster than the fastest run of the previous 28 days, when judged.
    pub faster_pct: Option<f64>,
    /// % more climbing per km than any run of the previous 28 days, when judged.
    pub more_climb_pct: Option<f64>,
    /// Session points of its own assessment (before modifiers).
    pub session_points: f64,
    /// Its session factors with points.
    pub session_factors: Vec<Factor>,
}

/// One day's risk.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DayRisk {
    /// Score 0–100.
    pub score: u32,
    /// Level.
    pub level: Level,
    /// Block points before modifiers.
    pub block_points: f64,
    /// Session points of the day's run, before modifiers.
    pub session_points: f64,
    /// Modifiers' product.
    pub multiplier: f64,
    /// Factors with points that day (block, then session, most points first).
    pub factors: Vec<Factor>,
    /// Block factors that could not be judged that day.
    pub not_assessed: Vec<NotAssessed>,
    /// Modifier factors (age, previous strain).
    pub modifiers: Vec<Factor>,
}

/// Load series of the block, one value per day from the first day.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    /// Distance per day, m.
    pub distance_m: Vec<f64>,
    /// Load per day, au.
    pub load_au: Vec<f64>,
    /// EWMA acute:chronic ratio per day.
    pub ewma_ratio: Vec<Option<f64>>,
    /// Uncoupled rolling ratio per day.
    pub uncoupled_ratio: Vec<Option<f64>>,
}

/// Fewest runs in 7 days for the long-run share to count.
pub const LONG_RUN_SHARE_MIN_RUNS: usize = 4;

fn block_factor(rule: &Rule, value: f64, points: f64, detail: String) -> Factor {
    Factor {
        id: rule.id,
        kind: crate::risk::FactorKind::Block,
        label: rule.label,
        value,
        unit: rule.unit,
        threshold: rule.threshold,
        full: rule.full,
        points: round1(points),
        max_points: rule.points,
        detail,
        cite: rule.cite,
        evidence: rule.evidence,
        strength: rule.strength,
        advice: rule.advice,
        sensors: rule.sensors,
    }
}

/// Spike points before fading: half the rule's points above 10 % (hazard ratios 1.64 and 1.52
/// for 10–30 % and 30–100 %, confidence intervals overlapping), all above 100 % (2.28).
pub fn spike_points(rule: &Rule, increase_pct: f64) -> f64 {
    if !rule.enabled || increase_pct.is_nan() || increase_pct <= rule.threshold {
        0.0
    } else if increase_pct > rule.full {
        rule.points
    } else {
        0.5 * rule.points
    }
}

fn sum(v: &[f64]) -> f64 {
    v.iter().sum()
}

/// What the block factor functions read on day `d`.
#[derive(Debug, Clone)]
pub struct DayInputs<'a> {
    /// Index of the day in the block.
    pub d: usize,
    /// All runs of the block.
    pub runs: &'a [RunInfo],
    /// The day's runs.
    pub today: Vec<&'a RunInfo>,
    /// The runs of days `d`−6…`d`.
    pub week: Vec<&'a RunInfo>,
    /// The load series.
    pub series: &'a Series,
}

impl<'a> DayInputs<'a> {
    /// The inputs of day `d`.
    pub fn new(d: usize, runs: &'a [RunInfo], series: &'a Series) -> Self {
        DayInputs {
            d,
            runs,
            today: runs.iter().filter(|r| r.day == d).collect(),
            week: runs
                .iter()
                .filter(|r| r.day <= d && r.day + 7 > d)
                .collect(),
            series,
        }
    }
}

/// A block factor's measurement on a day.
#[derive(Debug, Clone, PartialEq)]
pub struct DayMeasured {
    /// The value in the rule's unit.
    pub value: f64,
    /// Points, when the rule's linear score does not apply (the spike's bands and fading).
    pub points: Option<f64>,
    /// The measurement in words.
    pub detail: String,
}

fn measured(value: f64, detail: String) -> Result<DayMeasured, Unassessed> {
    Ok(DayMeasured {
        value,
        points: None,
        detail,
    })
}

/// A block factor function: the day's inputs and the factor's rule.
pub type DayMeasure = fn(&DayInputs, &Rule) -> Result<DayMeasured, Unassessed>;

/// The block factors, in the order of the rule table (and of `not_assessed`).
pub const BLOCK_FACTORS: [(&str, DayMeasure); BLOCK_RULES.len()] = [
    ("long_run_spike", long_run_spike),
    ("weekly_volume_jump", weekly_volume_jump),
    ("acute_chronic_ratio", acute_chronic_ratio),
    ("monotony", monotony),
    ("hard_back_to_back", hard_back_to_back),
    ("new_speed", new_speed),
    ("new_climbing", new_climbing),
    ("long_run_share", long_run_share),
];

/// Single-run spike, fading over the 6 days after the run: the judged run of the last 7
/// days with the most points ([`spike_points`] × (1 − k/7), *k* days after it; ties to the
/// latest).
pub fn long_run_spike(x: &DayInputs, rule: &Rule) -> Result<DayMeasured, Unassessed> {
    let d = x.d;
    let best = x
        .week
        .iter()
        .filter(|r| r.spike_judged)
        .map(|r| {
            let k = (d - r.day) as f64;
            let inc = r.spike.as_ref().map_or(0.0, |s| s.increase_pct);
            (r, spike_points(rule, inc) * (1.0 - k / 7.0), inc, k)
        })
        .max_by(|a, b| a.1.total_cmp(&b.1).then(b.3.total_cmp(&a.3)));
    let Some((r, p, inc, k)) = best else {
        return Err(Unassessed::Needs(
            "no run in the last 7 days with 30 days of the block and a run before it to compare with",
        ));
    };
    let detail = match &r.spike {
        Some(s) => format!(
            "{:.1} km on {}, {:.0} % longer than the longest run of the 30 days before ({:.1} km; hazard ratio {:.2}){}",
            s.distance_m / 1000.0,
            r.date,
            s.increase_pct,
            s.previous_longest_m / 1000.0,
            s.hazard_ratio,
            if k > 0.0 {
                format!("; {k:.0} days ago, weight {:.2}", 1.0 - k / 7.0)
            } else {
                String::new()
            }
        ),
        None => format!(
            "{:.1} km on {}: no longer than 10 % over the longest run of the 30 days before",
            r.distance_m / 1000.0,
            r.date
        ),
    };
    Ok(DayMeasured {
        value: inc,
        points: Some(p),
        detail,
    })
}

/// Weekly volume, %: the last 7 days against the 7 before, or against the mean week of the
/// 21 days before when that is larger (so the week after a planned recovery week, or a long
/// run moved by a day, is not a jump).
pub fn weekly_volume_jump(x: &DayInputs, _: &Rule) -> Result<DayMeasured, Unassessed> {
    let (d, dist) = (x.d, &x.series.distance_m);
    if d < 13 {
        return Err(Unassessed::Needs("needs 14 days of the block"));
    }
    let now = sum(&dist[d - 6..=d]);
    let before = sum(&dist[d - 13..=d - 7]);
    let mean3 = (d >= 27).then(|| sum(&dist[d - 27..=d - 7]) / 3.0);
    let (reference, what) = match mean3 {
        Some(m) if m > before => (m, "the mean week of the 3 weeks before"),
        _ => (before, "the 7 days before"),
    };
    let c = load::change_pct(now, reference).ok_or(Unassessed::Needs(
        "no running in the 7 days before the last 7",
    ))?;
    measured(
        c,
        format!(
            "{:.1} km in the last 7 days against {:.1} km in {what} ({c:+.0} %)",
            now / 1000.0,
            reference / 1000.0
        ),
    )
}

/// The EWMA acute:chronic load ratio of the day (with the uncoupled rolling ratio in words).
pub fn acute_chronic_ratio(x: &DayInputs, _: &Rule) -> Result<DayMeasured, Unassessed> {
    let s = x.series;
    let r = s
        .ewma_ratio
        .get(x.d)
        .copied()
        .flatten()
        .ok_or(Unassessed::Needs(
            "needs 28 days of the block with runs on at least 3 of them",
        ))?;
    let uncoupled = s
        .uncoupled_ratio
        .get(x.d)
        .copied()
        .flatten()
        .map(|u| format!(", rolling uncoupled {u:.2}"))
        .unwrap_or_default();
    measured(
        r,
        format!("EWMA ratio {r:.2}{uncoupled} (0.8-1.3 is the usual zone)"),
    )
}

/// Monotony (mean/SD) of the last 7 daily loads (Foster 1998).
pub fn monotony(x: &DayInputs, _: &Rule) -> Result<DayMeasured, Unassessed> {
    let d = x.d;
    if d < 6 {
        return Err(Unassessed::Needs("needs 7 days of the block"));
    }
    let m = load::monotony(&x.series.load_au[d - 6..=d])
        .ok_or(Unassessed::Needs("no load in the last 7 days"))?;
    measured(m, format!("monotony {m:.2} over the last 7 days"))
}

/// Days in a row with a hard run, ending on the day.
pub fn hard_streak(runs: &[RunInfo], d: usize) -> usize {
    (0..=d)
        .take_while(|k| runs.iter().any(|r| r.day == d - k && r.hard))
        .count()
}

/// Hard days in a row ending on the day.
pub fn hard_back_to_back(x: &DayInputs, _: &Rule) -> Result<DayMeasured, Unassessed> {
    let streak = hard_streak(x.runs, x.d);
    measured(
        streak as f64,
        match streak {
            0 => "no hard run this day".to_string(),
            1 => "a hard run this day, after an easier day".to_string(),
            n => format!("{n} hard days in a row"),
        },
    )
}

/// The largest of `f` over the day's runs.
fn max_today(x: &DayInputs, f: fn(&RunInfo) -> Option<f64>) -> Option<f64> {
    x.today.iter().filter_map(|r| f(r)).max_by(f64::total_cmp)
}

/// % faster than the fastest run of the previous 28 days, on days with a run.
pub fn new_speed(x: &DayInputs, _: &Rule) -> Result<DayMeasured, Unassessed> {
    if x.today.is_empty() {
        return Err(Unassessed::Needs("no run this day"));
    }
    let p = max_today(x, |r| r.faster_pct).ok_or(Unassessed::Needs(
        "needs speed and at least 3 runs with speed in the previous 28 days",
    ))?;
    measured(
        p,
        format!("{p:+.1} % against the fastest run of the previous 28 days"),
    )
}

/// % more climb per km than the hilliest run of the previous 28 days, on days with a run.
pub fn new_climbing(x: &DayInputs, _: &Rule) -> Result<DayMeasured, Unassessed> {
    if x.today.is_empty() {
        return Err(Unassessed::Needs("no run this day"));
    }
    let p = max_today(x, |r| r.more_climb_pct).ok_or(Unassessed::Needs(
        "needs elevation and at least 3 runs with elevation in the previous 28 days",
    ))?;
    measured(
        p,
        format!("{p:+.0} % climb per km against the hilliest run of the previous 28 days"),
    )
}

/// The longest run's share of the last 7 days' distance, %, with
/// [`LONG_RUN_SHARE_MIN_RUNS`] or more runs.
pub fn long_run_share(x: &DayInputs, _: &Rule) -> Result<DayMeasured, Unassessed> {
    if x.week.len() < LONG_RUN_SHARE_MIN_RUNS {
        return Err(Unassessed::NeedsRuns(LONG_RUN_SHARE_MIN_RUNS));
    }
    let total: f64 = x.week.iter().map(|r| r.distance_m).sum();
    let longest = x.week.iter().map(|r| r.distance_m).fold(0.0, f64::max);
    if total > 0.0 {
        measured(
            100.0 * longest / total,
            format!(
                "longest {:.1} km of {:.1} km in the last 7 days",
                longest / 1000.0,
                total / 1000.0
            ),
        )
    } else {
        Err(Unassessed::Needs("no distance in the last 7 days"))
    }
}

/// The block factors of the day in table order: scored ones and the ones not judged.
fn block_factors(x: &DayInputs, cfg: &RiskConfig) -> (Vec<Factor>, Vec<NotAssessed>) {
    let mut factors = Vec::new();
    let mut missing = Vec::new();
    for (id, measure) in BLOCK_FACTORS {
        let Some(rule) = cfg.rule(id) else { continue };
        let r = if rule.enabled {
            measure(x, rule)
        } else {
            Err(Unassessed::Disabled)
        };
        match r {
            Ok(m) => {
                let p = m.points.unwrap_or_else(|| rule.score(m.value));
                factors.push(block_factor(rule, m.value, p, m.detail));
            }
            Err(why) => missing.push(NotAssessed {
                id,
                reason: why.to_string(),
            }),
        }
    }
    (factors, missing)
}

/// The modifiers as the session model applies them on `date`, and their product.
fn day_modifiers(date: NaiveDate, profile: &RunnerProfile, cfg: &RiskConfig) -> (Vec<Factor>, f64) {
    let m = risk::assess(
        &RiskInput {
            date: Some(date),
            ..RiskInput::default()
        },
        profile,
        cfg,
        date,
    );
    let modifiers = m
        .risk
        .factors
        .into_iter()
        .filter(|f| f.kind == crate::risk::FactorKind::Modifier)
        .collect();
    (modifiers, m.risk.multiplier)
}

/// The risk of day `d`: its block factors, the session factors of its run with the most
/// session points, both multiplied by the modifiers.
pub fn day_risk(
    d: usize,
    date: NaiveDate,
    runs: &[RunInfo],
    series: &Series,
    profile: &RunnerProfile,
    cfg: &RiskConfig,
) -> DayRisk {
    let x = DayInputs::new(d, runs, series);
    let (mut factors, not_assessed) = block_factors(&x, cfg);
    let best = x
        .today
        .iter()
        .max_by(|a, b| a.session_points.total_cmp(&b.session_points));
    let session_points = best.map_or(0.0, |r| r.session_points);
    let block_points: f64 = factors.iter().map(|f| f.points).sum();
    let (modifiers, multiplier) = day_modifiers(date, profile, cfg);
    let total = ((block_points + session_points) * multiplier).min(100.0);
    if let Some(r) = best {
        factors.extend(r.session_factors.iter().cloned());
    }
    // Most points first; among equal points, block factors in table order, then the run's.
    factors.sort_by(|a, b| b.points.total_cmp(&a.points));
    DayRisk {
        score: total.round() as u32,
        level: Level::of(total, cfg),
        block_points: round1(block_points),
        session_points: round1(session_points),
        multiplier,
        factors,
        not_assessed,
        modifiers,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn series(days: usize, km_per_day: f64) -> Series {
        let d = vec![km_per_day * 1000.0; days];
        let l: Vec<f64> = d.iter().map(|x| x / 200.0).collect();
        Series {
            ewma_ratio: load::ewma_ratio(&l),
            uncoupled_ratio: load::uncoupled_ratio(&l),
            distance_m: d,
            load_au: l,
        }
    }

    fn date(d: usize) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 9, 7).unwrap() + chrono::Days::new(d as u64)
    }

    fn run(day: usize, km: f64, spike_pct: Option<f64>) -> RunInfo {
        RunInfo {
            day,
            date: date(day),
            distance_m: km * 1000.0,
            spike: spike_pct.and_then(|p| {
                load::spike_band(p).map(|(band, hr)| Spike {
                    distance_m: km * 1000.0,
                    previous_longest_m: km * 1000.0 / (1.0 + p / 100.0),
                    increase_pct: p,
                    band,
                    hazard_ratio: hr,
                })
            }),
            spike_judged: true,
            hard: false,
            faster_pct: None,
            more_climb_pct: None,
            session_points: 0.0,
            session_factors: vec![],
        }
    }

    fn points(r: &DayRisk, id: &str) -> f64 {
        r.factors
            .iter()
            .find(|f| f.id == id)
            .map_or(0.0, |f| f.points)
    }

    #[test]
    fn a_spike_scores_by_band_and_fades() {
        let cfg = RiskConfig::default();
        let p = RunnerProfile::default();
        let s = series(40, 5.0);
        for (pct, want) in [(5.0, 0.0), (20.0, 15.0), (60.0, 15.0), (120.0, 30.0)] {
            let runs = vec![run(30, 20.0, Some(pct))];
            let r = day_risk(30, date(30), &runs, &s, &p, &cfg);
            assert_eq!(points(&r, "long_run_spike"), want, "{pct} %");
        }
        let runs = vec![run(30, 20.0, Some(120.0))];
        let later = |k: usize| {
            points(
                &day_risk(30 + k, date(30 + k), &runs, &s, &p, &cfg),
                "long_run_spike",
            )
        };
        assert_eq!(later(2), round1(30.0 * 5.0 / 7.0));
        assert_eq!(later(6), round1(30.0 / 7.0));
        assert_eq!(later(7), 0.0);
    }

    #[test]
    fn volume_jump_and_back_to_back_hard_days() {
        let cfg = RiskConfig::default();
        let p = RunnerProfile::default();
        let mut s = series(30, 5.0);
        for d in 23..30 {
            s.distance_m[d] = 6.5 * 1000.0; // +30 % on the previous 7 days
        }
        let mut runs = vec![run(28, 6.5, None), run(29, 6.5, None)];
        runs[0].hard = true;
        runs[1].hard = true;
        let r = day_risk(29, date(29), &runs, &s, &p, &cfg);
        assert_eq!(points(&r, "weekly_volume_jump"), 12.0);
        assert_eq!(points(&r, "hard_back_to_back"), 5.0);
        let f = r
            .factors
            .iter()
            .find(|f| f.id == "weekly_volume_jump")
            .unwrap();
        assert!((f.value - 30.0).abs() < 1e-9);
        // Too early in the block: not judged, never counted.
        let r = day_risk(10, date(10), &runs, &s, &p, &cfg);
        assert!(r.not_assessed.iter().any(|n| n.id == "weekly_volume_jump"));
        assert!(r.not_assessed.iter().any(|n| n.id == "acute_chronic_ratio"));
    }

    #[test]
    fn the_table_follows_the_rule_table() {
        let ids: Vec<&str> = BLOCK_FACTORS.iter().map(|f| f.0).collect();
        let rules: Vec<&str> = BLOCK_RULES.iter().map(|r| r.id).collect();
        assert_eq!(ids, rules);
    }

    #[test]
    fn hard_streak_counts_back_from_the_day() {
        let mut runs = vec![run(3, 5.0, None), run(4, 5.0, None), run(5, 5.0, None)];
        runs[1].hard = true;
        runs[2].hard = true;
        assert_eq!(hard_streak(&runs, 5), 2);
        assert_eq!(hard_streak(&runs, 4), 1);
        assert_eq!(hard_streak(&runs, 3), 0);
        assert_eq!(hard_streak(&runs, 6), 0);
    }

    #[test]
    fn long_run_share_needs_four_runs_in_the_week() {
        let s = series(20, 5.0);
        let rule = RiskConfig::default()
            .rule("long_run_share")
            .cloned()
            .unwrap();
        let three = vec![run(10, 10.0, None), run(11, 5.0, None), run(12, 5.0, None)];
        let e = long_run_share(&DayInputs::new(12, &three, &s), &rule).unwrap_err();
        assert_eq!(e.to_string(), "needs 4 or more runs in the last 7 days");
        let mut four = three.clone();
        four.push(run(13, 0.0, None));
        // 10 km of 20 km: 50 %.
        let m = long_run_share(&DayInputs::new(13, &four, &s), &rule).unwrap();
        assert_eq!(m.value, 50.0);
    }

    #[test]
    fn monotony_and_volume_need_their_days() {
        let s = series(20, 5.0);
        let rule = RiskConfig::default().rule("monotony").cloned().unwrap();
        assert!(monotony(&DayInputs::new(5, &[], &s), &rule).is_err());
        assert!(weekly_volume_jump(&DayInputs::new(12, &[], &s), &rule).is_err());
        // Equal weeks: no change.
        assert_eq!(
            weekly_volume_jump(&DayInputs::new(13, &[], &s), &rule)
                .unwrap()
                .value,
            0.0
        );
    }

    proptest::proptest! {
        /// A longer spike or more distance in the last 7 days never lowers the day's score,
        /// which stays in 0-100. (Monotony is left out: by Foster's definition, more load on
        /// some days of a uniform week lowers it.)
        #[test]
        fn more_load_never_lowers_the_day_score(
            base_km in 2.0f64..15.0,
            recent_km in 0.0f64..25.0,
            extra_km in 0.0f64..10.0,
            pct in -50.0f64..250.0,
            extra_pct in 0.0f64..150.0,
            day in 28usize..40,
        ) {
            let mut cfg = RiskConfig::default();
            if let Some(r) = cfg.rules.iter_mut().find(|r| r.id == "monotony") {
                r.enabled = false;
            }
            let p = RunnerProfile { age: Some(50.0), ..RunnerProfile::default() };
            let mk = |recent: f64, pct: f64| {
                let mut s = series(40, base_km);
                for d in 34..40 {
                    s.distance_m[d] = recent * 1000.0;
                    s.load_au[d] = recent * 5.0;
                }
                s.ewma_ratio = load::ewma_ratio(&s.load_au);
                s.uncoupled_ratio = load::uncoupled_ratio(&s.load_au);
                let runs = vec![run(34, 20.0, Some(pct))];
                day_risk(day, date(day), &runs, &s, &p, &cfg)
            };
            let a = mk(recent_km, pct);
            let b = mk(recent_km + extra_km, pct + extra_pct);
            proptest::prop_assert!(a.score <= 100 && b.score <= 100);
            proptest::prop_assert!(b.score >= a.score, "{} then {}", a.score, b.score);
        }
    }
}
