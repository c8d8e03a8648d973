//! Stage 7, **block**: many runs → load, spikes, trends and calf-strain risk day by day.
//!
//! [`analyze_block`] takes the files [`discover`] found and:
//! 1. analyses them in parallel (rayon, `jobs` threads) through [`crate::pipeline`], keeping
//!    only each session's summary document; a file that fails (or even panics) is reported
//!    with its path and reason and the rest go on;
//! 2. places each session on the runner's calendar ([`timeline`]): the file's start time, else
//!    a date in its name, else its modification time (with a warning), in the runner's local
//!    time (the file's offset, `--utc-offset`, the offset most files state, or UTC);
//! 3. keeps one copy of an activity present twice (a FIT file and its CSV conversion: same
//!    start within 60 s and running time within 5 %, or the same name stem without a start
//!    time), preferring FIT, then the richer file;
//! 4. learns the runner's usual cadence when the profile does not give it ([`trends`]) and
//!    assesses each session with it ([`crate::risk::assess`]);
//! 5. computes the load maths ([`load`]) over running sessions (walks are listed, not counted),
//!    the form trends ([`trends`]) and each day's risk ([`risk`]); the current risk is the last
//!    day's, with what to do this week.

pub mod discover;
pub mod load;
pub mod risk;
pub mod timeline;
pub mod trends;

use crate::metrics::activity::Activity;
use crate::pipeline::{self, SessionOptions};
use crate::recording::Warning;
use crate::risk::config::RiskConfig;
use crate::risk::profile::RunnerProfile;
use crate::risk::{Factor, Level, NotAssessed, RiskInput};
use crate::session::SessionDoc;
use crate::vocab::WarningCode;
use chrono::{Datelike, NaiveDate};
use discover::Skipped;
use load::Spike;
use rayon::prelude::*;
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use timeline::{OffsetSource, Start, StartSource};
use trends::{DriftFrequency, Trend, UsualCadence};

/// Schema identifier of the block document.
pub const BLOCK_SCHEMA: &str = "gaitguard.block/1";

/// Settings of a block analysis.
#[derive(Debug, Clone)]
pub struct BlockOptions {
    /// How each file is read.
    pub session: SessionOptions,
    /// First local date to include.
    pub since: Option<NaiveDate>,
    /// Last local date to include (also the block's last day).
    pub until: Option<NaiveDate>,
    /// Worker threads (≥ 1).
    pub jobs: usize,
    /// Local time offset for files that do not state one, s.
    pub utc_offset_s: Option<i64>,
    /// Runner profile.
    pub profile: RunnerProfile,
    /// Risk model settings.
    pub risk: RiskConfig,
}

impl Default for BlockOptions {
    /// Every file, every core, the default runner and risk settings.
    fn default() -> Self {
        BlockOptions {
            session: SessionOptions::default(),
            since: None,
            until: None,
            jobs: std::thread::available_parallelism().map_or(1, |n| n.get()),
            utc_offset_s: None,
            profile: RunnerProfile::default(),
            risk: RiskConfig::default(),
        }
    }
}

/// A file that could not be analysed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Failure {
    /// Path.
    pub file: String,
    /// Why.
    pub error: String,
}

/// A session's place in the block.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SessionBlock {
    /// Local date.
    pub local_date: NaiveDate,
    /// The start time the session was placed by (RFC 3339 UTC), whatever its source.
    pub start_time: Option<String>,
    /// Where the start time came from.
    pub start_source: StartSource,
    /// Local offset used, s.
    pub utc_offset_s: i64,
    /// Where the offset came from.
    pub utc_offset_source: OffsetSource,
    /// Counted in the running load (running sessions only).
    pub counted: bool,
    /// Relative intensity (speed or heart rate over the runner's usual).
    pub intensity: Option<f64>,
    /// What the intensity was measured by: `speed`, `heart_rate` or `none` (taken as 1).
    pub intensity_from: &'static str,
    /// Load, au (running minutes × intensity).
    pub load_au: f64,
    /// A hard run (≥ 10 % faster than usual or ≥ 1.5 × the usual running time).
    pub hard: bool,
    /// Longer than the longest run of the previous 30 days by > 10 %.
    pub spike: Option<Spike>,
    /// % faster than the fastest run of the previous 28 days.
    pub faster_pct: Option<f64>,
    /// % more climbing per km than any run of the previous 28 days.
    pub more_climb_pct: Option<f64>,
    /// The usual cadence the session was assessed against, steps/min, and its source.
    pub usual_cadence_spm: Option<f64>,
}

/// One session of the block: its summary document (no per-step detail) and its place.
#[derive(Debug, Clone, Serialize)]
pub struct BlockSession {
    /// The session document with its risk assessment.
    #[serde(flatten)]
    pub doc: SessionDoc,
    /// Its place in the block.
    pub block: SessionBlock,
}

/// A week of the block.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Week {
    /// Totals and changes.
    #[serde(flatten)]
    pub totals: load::WeekTotals,
    /// `partial` (not all 7 days in the block), `up_10pct`, `up_30pct`, `up_30pct_2w`,
    /// `spike_10-30`, `spike_30-100`, `spike_over-100`, `monotony_over_2`,
    /// `long_run_over_40pct` (with 4 or more runs).
    pub flags: Vec<String>,
}

/// A day of the block.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Day {
    /// Local date.
    pub date: NaiveDate,
    /// Running distance, m.
    pub distance_m: f64,
    /// Running time, s.
    pub duration_s: f64,
    /// Load, au.
    pub load_au: f64,
    /// Runs.
    pub sessions: usize,
    /// EWMA acute:chronic ratio.
    pub acute_chronic_ratio: Option<f64>,
    /// Uncoupled rolling acute:chronic ratio.
    pub acute_chronic_uncoupled: Option<f64>,
    /// Risk score 0–100.
    pub risk_score: u32,
    /// Risk level.
    pub risk_level: Level,
    /// Factors with points that day, and `acwr_below_0.8`.
    pub flags: Vec<&'static str>,
}

/// Form trends of the block.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Trends {
    /// Per metric (cadence, contact, VO, vertical ratio, balance), when ≥ 3 runs have it.
    pub metrics: Vec<Trend>,
    /// Fatigue drift frequency.
    pub fatigue_drift: Option<DriftFrequency>,
    /// The usual cadence learned from the block.
    pub usual_cadence: Option<UsualCadence>,
    /// `profile` (given), `learned` (from the block) or `none`.
    pub usual_cadence_source: &'static str,
}

/// The current risk: the last day's, with its reasons and what to do this week.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CurrentRisk {
    /// The day.
    pub date: NaiveDate,
    /// Score 0–100.
    pub score: u32,
    /// Level.
    pub level: Level,
    /// Block points before modifiers.
    pub block_points: f64,
    /// Session points of that day's run.
    pub session_points: f64,
    /// Modifiers' product.
    pub multiplier: f64,
    /// Factors with their value, threshold, points, evidence and advice (most points first).
    pub factors: Vec<Factor>,
    /// Modifiers.
    pub modifiers: Vec<Factor>,
    /// Block factors that could not be judged.
    pub not_assessed: Vec<NotAssessed>,
    /// The top reasons in words.
    pub top_reasons: Vec<String>,
    /// What to do this week.
    pub this_week: Vec<String>,
    /// What this is not.
    pub disclaimer: &'static str,
    /// When to see a clinician.
    pub see_a_clinician: &'static str,
}

/// The block.
#[derive(Debug, Clone, Serialize)]
pub struct Block {
    /// Always `gaitguard.block/1`.
    pub schema: &'static str,
    /// First and last day.
    pub first_day: Option<NaiveDate>,
    /// Last day.
    pub last_day: Option<NaiveDate>,
    /// Sessions by start time.
    pub sessions: Vec<BlockSession>,
    /// Files that failed.
    pub failures: Vec<Failure>,
    /// Files left out (other formats, hidden, duplicates, outside the dates).
    pub skipped: Vec<Skipped>,
    /// ISO weeks.
    pub weeks: Vec<Week>,
    /// Days.
    pub days: Vec<Day>,
    /// Form trends.
    pub trends: Trends,
    /// The current risk.
    pub risk: Option<CurrentRisk>,
    /// Block-level observations.
    pub warnings: Vec<Warning>,
}

/// One file's outcome, before the block is assembled.
#[derive(Debug)]
struct Analysed {
    path: PathBuf,
    doc: SessionDoc,
    mtime_s: Option<f64>,
}

/// Analyse every file in parallel; `done` is called once per file (for a progress bar).
fn analyze_all(
    files: &[PathBuf],
    opts: &SessionOptions,
    jobs: usize,
    done: &(dyn Fn() + Sync),
) -> Vec<Result<Analysed, Failure>> {
    let one = |path: &PathBuf| {
        let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            pipeline::analyze_file(path, opts)
        }));
        done();
        match r {
            Ok(Ok(a)) => Ok(Analysed {
                path: path.clone(),
                doc: a.doc,
                mtime_s: timeline::modification_time(path),
            }),
            Ok(Err(e)) => Err(Failure {
                file: path.display().to_string(),
                error: e.to_string(),
            }),
            Err(_) => Err(Failure {
                file: path.display().to_string(),
                error: "internal error while analysing this file (please report it)".into(),
            }),
        }
    };
    match rayon::ThreadPoolBuilder::new().num_threads(jobs).build() {
        Ok(pool) => pool.install(|| files.par_iter().map(one).collect()),
        Err(_) => files.iter().map(one).collect(),
    }
}

/// Name stem for pairing a FIT file with its CSV conversion: lower case, without the
/// extension and the suffixes conversion tools add.
fn pairing_stem(path: &str) -> String {
    let name = Path::new(path)
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or(path)
        .to_ascii_lowercase();
    let mut s = name.as_str();
    for suffix in [
        ".fitparse-records",
        "-records",
        "_records",
        ".records",
        "_data",
        "-data",
        ".fit",
    ] {
        if let Some(x) = s.strip_suffix(suffix) {
            s = x;
        }
    }
    s.to_string()
}

/// Preference when an activity is present twice: FIT first, then FitCSVTool, then the file
/// with more metrics.
fn preference(doc: &SessionDoc) -> (u8, usize) {
    let fmt = match doc.format {
        "fit" => 0,
        "fit-csv-tool" => 1,
        f if f.ends_with("-csv") || f.starts_with("fitparse") || f == "records-csv" => 2,
        _ => 3,
    };
    let missing = doc.summary.metrics.values().filter(|m| m.is_none()).count();
    (fmt, missing)
}

struct Placed {
    a: Analysed,
    start: Start,
}

/// Analyse a block. `done` is called once per analysed file.
pub fn analyze_block(
    found: discover::Found,
    opts: &BlockOptions,
    done: &(dyn Fn() + Sync),
) -> Block {
    let mut failures: Vec<Failure> = found
        .unreadable
        .iter()
        .map(|(p, e)| Failure {
            file: p.display().to_string(),
            error: e.clone(),
        })
        .collect();
    let mut skipped = found.skipped;
    let mut warnings: Vec<Warning> = Vec::new();
    let mut ok = Vec::new();
    for r in analyze_all(&found.files, &opts.session, opts.jobs.max(1), done) {
        match r {
            Ok(a) => ok.push(a),
            Err(f) => failures.push(f),
        }
    }

    // Local offset for files that do not state one.
    let mut offsets: BTreeMap<i64, usize> = BTreeMap::new();
    for a in &ok {
        if let Some(o) = a.doc.utc_offset_s {
            *offsets.entry(o).or_default() += 1;
        }
    }
    let block_offset = offsets
        .iter()
        .max_by_key(|(o, n)| (**n, -(**o).abs()))
        .map(|(o, _)| *o);
    let mut name_or_mtime = Vec::new();
    let mut placed: Vec<Placed> = Vec::new();
    for a in ok {
        let (offset, offset_source) = match (a.doc.utc_offset_s, opts.utc_offset_s, block_offset) {
            (Some(o), _, _) => (o, OffsetSource::File),
            (None, Some(o), _) => (o, OffsetSource::Option),
            (None, None, Some(o)) => (o, OffsetSource::Block),
            (None, None, None) => (0, OffsetSource::Utc),
        };
        let name = a
            .path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        let (unix_s, source) = match a.doc.start_unix_s() {
            Some(t) => (Some(t), StartSource::File),
            None => match timeline::datetime_from_name(name) {
                Some(local) => (
                    Some((local.and_utc().timestamp() - offset) as f64),
                    StartSource::FileName,
                ),
                None => (a.mtime_s, StartSource::ModificationTime),
            },
        };
        let Some(unix_s) = unix_s else {
            failures.push(Failure {
                file: a.path.display().to_string(),
                error: "no start time in the file, no date in its name and no modification time: cannot place it on the calendar".into(),
            });
            continue;
        };
        let Some(local_date) = timeline::local_date(unix_s, offset)
            .filter(|d| (timeline::FIRST_YEAR..=timeline::LAST_YEAR).contains(&d.year()))
        else {
            failures.push(Failure {
                file: a.path.display().to_string(),
                error: format!(
                    "start time {} is outside {}-{}: cannot place it on the calendar",
                    crate::time::rfc3339(unix_s).unwrap_or_else(|| format!("{unix_s} s")),
                    timeline::FIRST_YEAR,
                    timeline::LAST_YEAR
                ),
            });
            continue;
        };
        if source != StartSource::File {
            name_or_mtime.push(format!(
                "{} ({})",
                a.path.display(),
                if source == StartSource::FileName {
                    "date from the file name"
                } else {
                    "modification time"
                }
            ));
        }
        placed.push(Placed {
            a,
            start: Start {
                unix_s,
                utc_offset_s: offset,
                local_date,
                source,
                offset_source,
            },
        });
    }
    if !name_or_mtime.is_empty() {
        warnings.push(Warning::new(
            WarningCode::StartTimeGuessed,
            format!(
                "{} file(s) have no start time of their own; placed by the date in the name or the modification time: {}",
                name_or_mtime.len(),
                name_or_mtime.join(", ")
            ),
        ));
    }
    if placed
        .iter()
        .any(|p| p.start.offset_source == OffsetSource::Utc)
    {
        warnings.push(Warning::new(
            WarningCode::TimeZoneUnknown,
            "some files state no local time offset and none of the block does: their days are UTC days (use --utc-offset)".to_string(),
        ));
    }

    // Duplicates.
    placed.sort_by(|x, y| {
        x.start
            .unix_s
            .total_cmp(&y.start.unix_s)
            .then(preference(&x.a.doc).cmp(&preference(&y.a.doc)))
            .then(x.a.path.cmp(&y.a.path))
    });
    let same = |x: &Placed, y: &Placed| {
        let rt = |p: &Placed| {
            p.a.doc
                .summary
                .running_time_s
                .max(p.a.doc.summary.duration_s)
        };
        let close = (rt(x) - rt(y)).abs() <= 0.05 * rt(x).max(rt(y)).max(60.0);
        if !close {
            return false;
        }
        let both_file = x.start.source == StartSource::File && y.start.source == StartSource::File;
        let dt = (x.start.unix_s - y.start.unix_s).abs();
        if both_file && dt <= 60.0 {
            return true;
        }
        if pairing_stem(&x.a.doc.file) != pairing_stem(&y.a.doc.file) {
            return false;
        }
        if both_file {
            // A conversion that wrote local clock times without a zone is read as UTC: the
            // same start shifted by a whole number of quarter hours, at most 14 h.
            dt <= 14.0 * 3600.0 && (dt % 900.0).min(900.0 - dt % 900.0) <= 60.0
        } else {
            x.start.local_date == y.start.local_date
        }
    };
    let mut kept: Vec<Placed> = Vec::new();
    for p in placed {
        let Some(i) = kept.iter().position(|k| same(k, &p)) else {
            kept.push(p);
            continue;
        };
        let (kept_path, dropped) = if preference(&p.a.doc) < preference(&kept[i].a.doc) {
            let old = std::mem::replace(&mut kept[i], p);
            (kept[i].a.path.clone(), old)
        } else {
            (kept[i].a.path.clone(), p)
        };
        skipped.push(Skipped {
            file: dropped.a.path.display().to_string(),
            reason: format!(
                "the same activity as {} (analysed once)",
                kept_path.display()
            ),
        });
    }
    kept.sort_by(|x, y| {
        x.start
            .unix_s
            .total_cmp(&y.start.unix_s)
            .then(x.a.path.cmp(&y.a.path))
    });

    // Dates: runs after --until are left out; runs before --since are kept as history (for
    // spikes, ratios and changes) but not reported.
    let mut in_range = Vec::new();
    for p in kept {
        let d = p.start.local_date;
        if opts.until.is_some_and(|u| d > u) {
            skipped.push(Skipped {
                file: p.a.path.display().to_string(),
                reason: format!("{d} is after --until"),
            });
        } else {
            if opts.since.is_some_and(|s| d < s) {
                skipped.push(Skipped {
                    file: p.a.path.display().to_string(),
                    reason: format!("{d} is before --since (used only as history for the load)"),
                });
            }
            in_range.push(p);
        }
    }
    skipped.sort_by(|a, b| a.file.cmp(&b.file));
    failures.sort_by(|a, b| a.file.cmp(&b.file));
    assemble(in_range, opts, failures, skipped, warnings)
}

/// Metrics whose trends the block reports.
pub const TREND_METRICS: [&str; 5] = [
    "cadence_spm",
    "ground_contact_ms",
    "vertical_oscillation_cm",
    "vertical_ratio_pct",
    "gct_balance_left_pct",
];

/// Speed above the runner's usual that makes a run hard.
const HARD_SPEED: f64 = 1.10;
/// Heart rate above usual that makes a run hard (when there is no speed).
const HARD_HEART_RATE: f64 = 1.05;
/// Running time over the usual that makes a run hard.
const HARD_DURATION: f64 = 1.5;
/// Days looked back for new speed and climbing.
const NEW_INTENSITY_DAYS: f64 = 28.0;

fn assemble(
    placed: Vec<Placed>,
    opts: &BlockOptions,
    failures: Vec<Failure>,
    skipped: Vec<Skipped>,
    mut warnings: Vec<Warning>,
) -> Block {
    let profile = &opts.profile;
    let med = |p: &Placed, k: &str| {
        p.a.doc
            .summary
            .metrics
            .get(k)
            .copied()
            .flatten()
            .map(|s| s.median)
    };
    let inputs: Vec<RiskInput> = placed
        .iter()
        .map(|p| {
            let mut i = RiskInput::from_summary(
                &p.a.doc.summary,
                Some(p.start.unix_s),
                Some(p.start.utc_offset_s),
            );
            if i.speed_mps.is_none() && i.not_running.is_none() {
                i.speed_mps = opts.session.speed_mps;
            }
            i
        })
        .collect();
    // Runs placed by modification time are not counted: copying a folder stamps them all with
    // one date, which would make a false spike of load.
    let counted: Vec<bool> = placed
        .iter()
        .map(|p| {
            p.a.doc.summary.metrics_from == Activity::Running
                && p.start.source != StartSource::ModificationTime
        })
        .collect();
    let running = |i: usize| counted[i];

    // Usual cadence, speed, heart rate and running time.
    let learned = trends::usual_cadence(
        &(0..placed.len())
            .filter(|&i| running(i))
            .filter_map(|i| Some((inputs[i].cadence_spm?, inputs[i].speed_mps)))
            .collect::<Vec<_>>(),
    );
    let usual_source = if profile.usual_cadence_spm.is_some() {
        "profile"
    } else if learned.is_some() {
        "learned"
    } else {
        "none"
    };
    let usual_of = |f: &dyn Fn(usize) -> Option<f64>| {
        let mut v: Vec<f64> = (0..placed.len())
            .filter(|&i| running(i))
            .filter_map(f)
            .filter(|x| x.is_finite() && *x > 0.0)
            .collect();
        crate::stats::median(&mut v)
    };
    let usual_speed = usual_of(&|i| inputs[i].speed_mps);
    let usual_hr = usual_of(&|i| med(&placed[i], "heart_rate_bpm"));
    let usual_time = usual_of(&|i| Some(placed[i].a.doc.summary.running_time_s));

    // Per-session block facts and the session assessment.
    let mut sessions: Vec<BlockSession> = Vec::with_capacity(placed.len());
    let mut runs: Vec<load::Run> = Vec::new();
    let mut run_of_session: Vec<Option<usize>> = Vec::new();
    for (i, p) in placed.into_iter().enumerate() {
        let input = &inputs[i];
        let (intensity, from) = match (
            input.speed_mps,
            usual_speed,
            med(&p, "heart_rate_bpm"),
            usual_hr,
        ) {
            (Some(v), Some(u), _, _) => (Some(v / u), "speed"),
            (_, _, Some(h), Some(u)) => (Some(h / u), "heart_rate"),
            _ => (None, "none"),
        };
        let rt = p.a.doc.summary.running_time_s;
        let load_au = if counted[i] {
            rt / 60.0 * intensity.unwrap_or(1.0)
        } else {
            0.0
        };
        let hard = counted[i]
            && (match from {
                "speed" => intensity.is_some_and(|x| x >= HARD_SPEED),
                "heart_rate" => intensity.is_some_and(|x| x >= HARD_HEART_RATE),
                _ => false,
            } || usual_time.is_some_and(|u| rt >= HARD_DURATION * u));
        // Learned from earlier runs only, so a gradual change is judged against the habit
        // before it, not hidden by it.
        let usual_cadence = profile.usual_cadence_spm.or_else(|| {
            let prior: Vec<(f64, Option<f64>)> = (0..i)
                .filter(|&j| running(j))
                .filter_map(|j| Some((inputs[j].cadence_spm?, inputs[j].speed_mps)))
                .collect();
            trends::usual_cadence(&prior).map(|l| l.at(input.speed_mps))
        });
        let mut prof = profile.clone();
        prof.usual_cadence_spm = usual_cadence;
        let assessment = crate::risk::assess(input, &prof, &opts.risk);
        if counted[i] {
            run_of_session.push(Some(runs.len()));
            runs.push(load::Run {
                unix_s: p.start.unix_s,
                date: p.start.local_date,
                distance_m: p.a.doc.summary.distance_m.unwrap_or(0.0),
                distance_known: p.a.doc.summary.distance_m.is_some_and(|d| d > 0.0),
                running_time_s: rt,
                load_au,
            });
        } else {
            run_of_session.push(None);
        }
        sessions.push(BlockSession {
            doc: p.a.doc.with_assessment(assessment),
            block: SessionBlock {
                local_date: p.start.local_date,
                start_time: crate::time::rfc3339(p.start.unix_s),
                start_source: p.start.source,
                utc_offset_s: p.start.utc_offset_s,
                utc_offset_source: p.start.offset_source,
                counted: counted[i],
                intensity,
                intensity_from: from,
                load_au,
                hard,
                spike: None,
                faster_pct: None,
                more_climb_pct: None,
                usual_cadence_spm: usual_cadence.filter(|_| input.cadence_spm.is_some()),
            },
        });
    }

    // Spikes and new intensity, against earlier runs only.
    let session_of_run: Vec<usize> = (0..sessions.len())
        .filter(|&si| run_of_session[si].is_some())
        .collect();
    let run_speed: Vec<Option<f64>> = session_of_run
        .iter()
        .map(|&si| inputs[si].speed_mps)
        .collect();
    let run_climb: Vec<Option<f64>> = session_of_run
        .iter()
        .map(|&si| inputs[si].climb_per_km_m)
        .collect();
    // The calendar starts at the first run (runs before --since are history) or at --since.
    let first_day = match (sessions.first().map(|s| s.block.local_date), opts.since) {
        (Some(f), Some(s)) => Some(f.min(s)),
        (f, s) => f.or(s),
    };
    // A spike is judged only for runs with 30 days of the block before them: runs outside the
    // block are unknown, and the first runs of a block are not spikes for lack of history.
    let covered = |date: NaiveDate| first_day.is_some_and(|f| (date - f).num_days() >= 30);
    for (k, &si) in session_of_run.iter().enumerate() {
        let t = runs[k].unix_s;
        let earlier =
            |j: &usize| runs[*j].unix_s < t && runs[*j].unix_s >= t - NEW_INTENSITY_DAYS * 86_400.0;
        let prev_max = |v: &[Option<f64>]| {
            let xs: Vec<f64> = (0..runs.len())
                .filter(earlier)
                .filter_map(|j| v[j])
                .collect();
            (xs.len() >= 3).then(|| xs.iter().copied().fold(f64::MIN, f64::max))
        };
        let b = &mut sessions[si].block;
        if runs[k].distance_m > 0.0 && covered(runs[k].date) {
            b.spike = load::spike(&runs, k);
        }
        b.faster_pct = match (run_speed[k], prev_max(&run_speed)) {
            (Some(v), Some(m)) if m > 0.0 => Some(100.0 * (v / m - 1.0)),
            _ => None,
        };
        b.more_climb_pct = match (run_climb[k], prev_max(&run_climb)) {
            (Some(c), Some(m)) => {
                let pct = 100.0 * (c / m.max(1.0) - 1.0);
                // Below 20 m per km a run is not hilly, whatever the ratio.
                Some(if c < MIN_CLIMB_PER_KM {
                    pct.min(0.0)
                } else {
                    pct
                })
            }
            _ => None,
        };
    }

    // Calendar.
    let last_day = opts
        .until
        .or_else(|| sessions.last().map(|s| s.block.local_date));
    let (days_tot, first) = match (first_day, last_day) {
        (Some(f), Some(l)) if f <= l => (load::daily(&runs, f, l), f),
        _ => (Vec::new(), NaiveDate::MIN),
    };
    let distance: Vec<f64> = days_tot.iter().map(|d| d.distance_m).collect();
    let loads: Vec<f64> = days_tot.iter().map(|d| d.load_au).collect();
    let series = risk::Series {
        ewma_ratio: load::ewma_ratio(&loads),
        uncoupled_ratio: load::uncoupled_ratio(&loads),
        distance_m: distance,
        load_au: loads,
    };
    let run_infos: Vec<risk::RunInfo> = session_of_run
        .iter()
        .enumerate()
        .filter_map(|(k, &si)| {
            let s = &sessions[si];
            let day = usize::try_from((s.block.local_date - first).num_days()).ok()?;
            let a = s.doc.risk.as_ref()?;
            Some(risk::RunInfo {
                day,
                date: s.block.local_date,
                distance_m: runs[k].distance_m,
                spike: s.block.spike.clone(),
                spike_judged: runs[k].distance_m > 0.0
                    && covered(runs[k].date)
                    && load::previous_longest_m(&runs, k).is_some(),
                hard: s.block.hard,
                faster_pct: s.block.faster_pct,
                more_climb_pct: s.block.more_climb_pct,
                session_points: a.session_points,
                session_factors: a
                    .factors
                    .iter()
                    .filter(|f| f.kind == "session" && f.points > 0.0)
                    .cloned()
                    .collect(),
            })
        })
        .collect();
    let mut days = Vec::with_capacity(days_tot.len());
    let mut last_risk = None;
    for (d, t) in days_tot.iter().enumerate() {
        let r = risk::day_risk(d, t.date, &run_infos, &series, profile, &opts.risk);
        let mut flags: Vec<&'static str> = r
            .factors
            .iter()
            .filter(|f| f.points > 0.0)
            .map(|f| f.id)
            .collect();
        if series.ewma_ratio[d].is_some_and(|x| x < 0.8) {
            flags.push("acwr_below_0.8");
        }
        days.push(Day {
            date: t.date,
            distance_m: t.distance_m,
            duration_s: t.duration_s,
            load_au: t.load_au,
            sessions: t.sessions,
            acute_chronic_ratio: series.ewma_ratio[d],
            acute_chronic_uncoupled: series.uncoupled_ratio[d],
            risk_score: r.score,
            risk_level: r.level,
            flags,
        });
        if d + 1 == days_tot.len() {
            last_risk = Some(r);
        }
    }
    let weeks = week_rows(&days_tot, &sessions);
    let week_ago = last_day.map(|d| d - chrono::Days::new(6));
    let recent_spike = sessions
        .iter()
        .filter(|s| week_ago.is_some_and(|w| s.block.local_date >= w))
        .filter_map(|s| s.block.spike.as_ref())
        .max_by(|a, b| a.increase_pct.total_cmp(&b.increase_pct))
        .map(|s| s.previous_longest_m);
    let any_run = !runs.is_empty();
    let risk = last_risk
        .filter(|_| any_run)
        .map(|r| current_risk(r, &days_tot, &runs, recent_spike));
    // Trends, over the reported runs.
    let reported = |d: NaiveDate| opts.since.is_none_or(|s| d >= s);
    let first_unix = runs
        .iter()
        .find(|r| reported(r.date))
        .map_or(0.0, |r| r.unix_s);
    let metrics = TREND_METRICS
        .iter()
        .filter_map(|&m| {
            let pts: Vec<trends::Point> = session_of_run
                .iter()
                .enumerate()
                .filter(|(k, _)| reported(runs[*k].date))
                .filter_map(|(k, &si)| {
                    let v = sessions[si]
                        .doc
                        .summary
                        .metrics
                        .get(m)
                        .copied()
                        .flatten()?
                        .median;
                    Some(trends::Point {
                        day: (runs[k].unix_s - first_unix) / 86_400.0,
                        speed_mps: inputs[si].speed_mps,
                        value: v,
                    })
                })
                .collect();
            trends::trend(m, &pts)
        })
        .collect();
    let drift: Vec<(Option<f64>, Option<f64>)> = session_of_run
        .iter()
        .enumerate()
        .filter(|(k, _)| reported(runs[*k].date))
        .map(|(_, &si)| (inputs[si].cadence_drift_pct, inputs[si].contact_drift_pct))
        .collect();
    // Report from --since on; earlier runs were history only.
    let (sessions, days, weeks) = match opts.since {
        Some(since) => (
            sessions
                .into_iter()
                .filter(|s| s.block.local_date >= since)
                .collect::<Vec<_>>(),
            days.into_iter()
                .filter(|d| d.date >= since)
                .collect::<Vec<_>>(),
            weeks
                .into_iter()
                .filter(|w| w.totals.week_start + chrono::Days::new(6) >= since)
                .collect::<Vec<_>>(),
        ),
        None => (sessions, days, weeks),
    };
    if !any_run {
        warnings.push(Warning::new(
            WarningCode::NoRuns,
            "no running session was counted (walks and runs placed by modification time are not): no load or block risk".to_string(),
        ));
    }

    Block {
        schema: BLOCK_SCHEMA,
        first_day: days.first().map(|d| d.date),
        last_day: days.last().map(|d| d.date),
        sessions,
        failures,
        skipped,
        weeks,
        days,
        trends: Trends {
            metrics,
            fatigue_drift: trends::drift_frequency(&drift),
            usual_cadence: learned,
            usual_cadence_source: usual_source,
        },
        risk,
        warnings,
    }
}

/// Climb per km below which a run does not count as hilly, m/km.
const MIN_CLIMB_PER_KM: f64 = 20.0;

fn week_rows(days: &[load::DayTotals], sessions: &[BlockSession]) -> Vec<Week> {
    load::weekly(days)
        .into_iter()
        .map(|w| {
            let mut flags = Vec::new();
            if w.days_covered < 7 {
                flags.push("partial".to_string());
            }
            if let Some(c) = w.change_pct {
                if c > load::WEEK_CHANGE_HIGH_PCT {
                    flags.push("up_30pct".into());
                } else if c > load::WEEK_CHANGE_FLAG_PCT {
                    flags.push("up_10pct".into());
                }
            }
            if w.change_2w_pct
                .is_some_and(|c| c > load::WEEK_CHANGE_HIGH_PCT)
            {
                flags.push("up_30pct_2w".into());
            }
            let end = w.week_start + chrono::Days::new(6);
            let worst = sessions
                .iter()
                .filter(|s| s.block.local_date >= w.week_start && s.block.local_date <= end)
                .filter_map(|s| s.block.spike.as_ref())
                .max_by(|a, b| a.increase_pct.total_cmp(&b.increase_pct));
            if let Some(s) = worst {
                flags.push(format!("spike_{}", s.band));
            }
            if w.monotony.is_some_and(|m| m > 2.0) {
                flags.push("monotony_over_2".into());
            }
            if w.sessions >= risk::LONG_RUN_SHARE_MIN_RUNS
                && w.long_run_share_pct.is_some_and(|s| s > 40.0)
            {
                flags.push("long_run_over_40pct".into());
            }
            Week { totals: w, flags }
        })
        .collect()
}

/// The current risk with its reasons and a plan. `recent_spike_prev_m`: the longest run
/// before the biggest spike of the last 7 days, when there was one.
fn current_risk(
    r: risk::DayRisk,
    days: &[load::DayTotals],
    runs: &[load::Run],
    recent_spike_prev_m: Option<f64>,
) -> CurrentRisk {
    let date = days.last().map_or(NaiveDate::MIN, |d| d.date);
    let top: Vec<&Factor> = r
        .factors
        .iter()
        .filter(|f| f.points > 0.0)
        .take(3)
        .collect();
    let top_reasons = top
        .iter()
        .map(|f| format!("+{:.1} {}: {} ({})", f.points, f.label, f.detail, f.cite))
        .collect();
    let mut plan = Vec::new();
    let month_ago = date - chrono::Days::new(29);
    let recent: Vec<&load::Run> = runs
        .iter()
        .filter(|x| x.date >= month_ago && x.date <= date)
        .collect();
    let longest = recent.iter().map(|x| x.distance_m).fold(0.0, f64::max);
    // After a spike in the last 7 days, the reference is the longest run before it.
    match recent_spike_prev_m {
        Some(prev) => plan.push(format!(
            "your long run this week was a spike: go back to runs of at most {:.1} km (10 % over the {:.1} km you had built up to) until you have recovered; bigger single jumps carried injury hazard ratios of 1.5-2.3 (Frandsen et al. 2025)",
            1.1 * prev / 1000.0,
            prev / 1000.0
        )),
        None if longest > 0.0 => plan.push(format!(
            "keep every run of the next 7 days under {:.1} km: 10 % over your longest run of the last 30 days ({:.1} km); longer single runs carried injury hazard ratios of 1.5-2.3 (Frandsen et al. 2025)",
            1.1 * longest / 1000.0,
            longest / 1000.0
        )),
        None => {}
    }
    let n = days.len();
    let last7: f64 = days[n.saturating_sub(7)..]
        .iter()
        .map(|d| d.distance_m)
        .sum();
    let avg4 = days[n.saturating_sub(28)..]
        .iter()
        .map(|d| d.distance_m)
        .sum::<f64>()
        / 4.0;
    let loaded = r.factors.iter().any(|f| {
        f.points > 0.0
            && matches!(
                f.id,
                "weekly_volume_jump" | "acute_chronic_ratio" | "long_run_spike"
            )
    });
    if last7 > 0.0 {
        plan.push(if loaded && n >= 28 {
            format!(
                "next 7 days: about {:.1} km or less, back towards your average of the last 4 weeks ({:.1} km a week) after {:.1} km in the last 7 days",
                (1.1 * avg4).min(last7) / 1000.0,
                avg4 / 1000.0,
                last7 / 1000.0
            )
        } else if loaded {
            format!(
                "hold the next 7 days below the last 7 days' {:.1} km while the load settles",
                last7 / 1000.0
            )
        } else {
            format!(
                "next 7 days: up to about {:.1} km (the last 7 days' {:.1} km plus under 10 %; a guide, not a proven limit: Buist et al. 2008)",
                1.1 * last7 / 1000.0,
                last7 / 1000.0
            )
        });
    }
    for f in &top {
        // The load factors' advice is the computed plan above.
        if matches!(
            f.id,
            "long_run_spike" | "weekly_volume_jump" | "acute_chronic_ratio"
        ) {
            continue;
        }
        let a = f.advice.to_string();
        if !plan.contains(&a) {
            plan.push(a);
        }
    }
    if r.level == Level::High {
        plan.push("consider an easier week: shorter runs, no hills or fast running, and calf strength work (bent- and straight-knee eccentric calf raises)".into());
    }
    CurrentRisk {
        date,
        score: r.score,
        level: r.level,
        block_points: r.block_points,
        session_points: r.session_points,
        multiplier: r.multiplier,
        factors: r.factors,
        modifiers: r.modifiers,
        not_assessed: r.not_assessed,
        top_reasons,
        this_week: plan,
        disclaimer: crate::risk::DISCLAIMER,
        see_a_clinician: crate::risk::SEE_A_CLINICIAN,
    }
}
