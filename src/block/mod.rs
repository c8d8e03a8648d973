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
mod logs;
pub mod risk;
pub mod timeline;
pub mod trends;

use crate::pipeline::{self, SessionOptions};
use crate::recording::Warning;
use crate::risk::config::RiskConfig;
use crate::risk::profile::RunnerProfile;
use crate::risk::{Factor, Level, NotAssessed, RiskInput};
use crate::session::SessionDoc;
use crate::vocab::Channel;
use crate::vocab::WarningCode;
use crate::wear::{self, Outcome, WearResult};
use chrono::NaiveDate;
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
    /// Keep every raw session's steps (`block --steps`).
    pub keep_steps: bool,
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
            keep_steps: false,
        }
    }
}

/// The steps of one raw session of a block (`block --steps`), with what the steps table
/// needs besides.
#[derive(Debug, Clone)]
pub struct SessionSteps {
    /// The session's `file` (as in `sessions[]`).
    pub file: String,
    /// The steps, times from the session's first sample.
    pub steps: Vec<crate::gait::Step>,
    /// The engine's bouts of the session.
    pub bouts: Vec<crate::gait::Bout>,
    /// The engine's confidence per metric.
    pub confidence: BTreeMap<&'static str, crate::vocab::MetricConfidence>,
    /// Unix s of the session's time 0, when it has a clock.
    pub start_unix_s: Option<f64>,
}

impl SessionSteps {
    /// The steps of an analysis named `file`, when it is a raw one.
    fn of(file: &str, detail: &pipeline::Detail) -> Option<Self> {
        let pipeline::Detail::Raw(a) = detail else {
            return None;
        };
        Some(SessionSteps {
            file: file.to_string(),
            steps: a.steps.clone(),
            bouts: a.report.bouts.clone(),
            confidence: a.report.confidence.clone(),
            start_unix_s: a.recording.start_unix_s,
        })
    }
}

/// A file that could not be analysed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Failure {
    /// Path.
    pub file: String,
    /// Why, without the path.
    pub error: String,
}

/// What measured a run's relative intensity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum IntensityBasis {
    /// Session RPE (Borg CR-10, from a training log) over the runner's usual session RPE:
    /// Foster's session load (RPE × minutes; Foster et al. 2001, J Strength Cond Res
    /// 15:109) made relative, so that it adds up with the speed-based loads of files.
    SessionRpe,
    /// Speed over the runner's usual speed.
    Speed,
    /// Heart rate over the usual heart rate (no speed).
    HeartRate,
    /// Neither: the intensity is taken as 1.
    None,
}

crate::vocab::named!(IntensityBasis { SessionRpe => "session_rpe", Speed => "speed", HeartRate => "heart_rate", None => "none" });

/// Where the usual cadence came from.
/// Where a block's last day ("today") came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LastDaySource {
    /// `--until`.
    Until,
    /// The local day of the last session with a plausible date.
    LastSession,
}

crate::vocab::named!(LastDaySource { Until => "until", LastSession => "last_session" });

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum UsualCadenceSource {
    /// Given in the runner's profile or on the command line.
    Profile,
    /// Learned from the block's runs.
    Learned,
    /// Not known.
    None,
}

crate::vocab::named!(UsualCadenceSource { Profile => "profile", Learned => "learned", None => "none" });

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
    /// What the intensity was measured by: speed, heart rate, or nothing (taken as 1).
    pub intensity_from: IntensityBasis,
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
    /// Given in the profile, learned from the block, or none.
    pub usual_cadence_source: UsualCadenceSource,
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
    /// Last day: the block's "today", whose risk is the current risk.
    pub last_day: Option<NaiveDate>,
    /// Where the last day came from: `until` (`--until`) or `last_session` (the day of the
    /// last session with a plausible date; a session dated in the future never is).
    pub last_day_source: Option<LastDaySource>,
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
    /// The steps of the raw sessions in `sessions`, in their order, when kept
    /// ([`BlockOptions::keep_steps`]); not part of the JSON.
    #[serde(skip)]
    pub steps: Vec<SessionSteps>,
}

/// One file's outcome, before the block is assembled.
#[derive(Debug)]
struct Analysed {
    path: PathBuf,
    doc: SessionDoc,
    mtime_s: Option<f64>,
    /// A training-log row's local date.
    log_date: Option<NaiveDate>,
    /// A training-log row's start, Unix s, and whether it is UTC (else a local time read
    /// as UTC).
    log_start: Option<(f64, bool)>,
    /// Its steps, when kept and raw.
    steps: Option<SessionSteps>,
}

/// Analyse every file in parallel; `done` is called once per file (for a progress bar). A
/// long raw recording of free-living wear gives one session per run ([`wear_runs`]).
fn analyze_all(
    files: &[PathBuf],
    opts: &SessionOptions,
    (jobs, keep_steps): (usize, bool),
    done: &(dyn Fn() + Sync),
) -> (Vec<Result<Analysed, Failure>>, Vec<Skipped>) {
    let one = |path: &PathBuf| -> (Vec<Result<Analysed, Failure>>, Option<Skipped>) {
        let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            wear::analyze_path(path, opts, false)
        }));
        done();
        let failed = |error: String| {
            let f = Failure {
                file: path.display().to_string(),
                error,
            };
            (vec![Err(f)], None)
        };
        match r {
            Ok(Ok(Outcome::Session(a))) => (
                vec![Ok(Analysed {
                    path: path.clone(),
                    steps: keep_steps
                        .then(|| SessionSteps::of(&a.doc.file, &a.detail))
                        .flatten(),
                    doc: a.doc,
                    mtime_s: timeline::modification_time(path),
                    log_date: None,
                    log_start: None,
                })],
                None,
            ),
            Ok(Ok(Outcome::Wear(w))) => wear_runs(path, *w, keep_steps),
            Ok(Err(e)) => failed(e.reason()),
            Err(_) => failed("internal error while analysing this file (please report it)".into()),
        }
    };
    let per_file: Vec<_> = match rayon::ThreadPoolBuilder::new().num_threads(jobs).build() {
        Ok(pool) => pool.install(|| files.par_iter().map(one).collect()),
        Err(_) => files.iter().map(one).collect(),
    };
    let mut out = Vec::new();
    let mut skipped = Vec::new();
    for (results, skip) in per_file {
        out.extend(results);
        skipped.extend(skip);
    }
    (out, skipped)
}

/// The runs of a recording of free-living wear as sessions of their own, named
/// `FILE#runK` (K from 1 in time order); a recording without a run is listed as skipped,
/// with what it held.
fn wear_runs(
    path: &Path,
    w: WearResult,
    keep_steps: bool,
) -> (Vec<Result<Analysed, Failure>>, Option<Skipped>) {
    if w.runs.is_empty() {
        let walks = w
            .bouts
            .iter()
            .filter(|b| b.found.kind == crate::wear::bouts::BoutKind::Walking)
            .count();
        let skip = Skipped {
            file: path.display().to_string(),
            reason: format!(
                "free-living wear of {:.1} days without a run ({walks} walking bouts)",
                w.duration_s() / 86_400.0
            ),
        };
        return (Vec::new(), Some(skip));
    }
    let mtime_s = timeline::modification_time(path);
    let runs = w
        .runs
        .into_iter()
        .enumerate()
        .map(|(k, run)| {
            let name = PathBuf::from(format!("{}#run{}", path.display(), k + 1));
            let mut doc = run.analysed.doc;
            doc.file = name.display().to_string();
            let steps = keep_steps
                .then(|| SessionSteps::of(&doc.file, &run.analysed.detail))
                .flatten();
            Ok(Analysed {
                path: name,
                steps,
                doc,
                mtime_s,
                log_date: None,
                log_start: None,
            })
        })
        .collect();
    (runs, None)
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
        // A training-log row has totals only: any file of the run is preferred.
        _ if doc.summary.sample_rate_hz == 0.0 && doc.raw.is_none() => 9,
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
    let mut failures = unreadable_failures(&found.unreadable);
    let mut skipped = found.skipped;
    let mut warnings: Vec<Warning> = Vec::new();
    let (outcomes, without_runs) = analyze_all(
        &found.files,
        &opts.session,
        (opts.jobs.max(1), opts.keep_steps),
        done,
    );
    skipped.extend(without_runs);
    let (ok, failed) = split_outcomes(outcomes);
    failures.extend(failed);
    let mut ok = ok;
    let health = analyze_health(&found.health, &opts.session.ingest.bounds, done);
    ok.extend(health.analysed);
    failures.extend(health.failures);
    skipped.extend(health.skipped);
    let logged = logs::analyze_logs(&found.logs, done);
    ok.extend(logged.analysed);
    failures.extend(logged.failures);
    skipped.extend(logged.skipped);
    let block_offset = block_offset(&ok);
    let mut placed: Vec<Placed> = Vec::new();
    let mut implausible: Vec<Skipped> = Vec::new();
    let bounds = &opts.session.ingest.bounds;
    for a in ok {
        match place(a, opts.utc_offset_s, block_offset, bounds) {
            Ok(p) => placed.push(p),
            Err(Unplaced::Failed(f)) => failures.push(f),
            Err(Unplaced::Implausible(s)) => implausible.push(s),
        }
    }
    warnings.extend(implausible_warning(&implausible));
    skipped.extend(implausible);
    warnings.extend(placement_warnings(&placed));
    let (kept, duplicates) = drop_duplicates(placed);
    skipped.extend(duplicates);
    let (in_range, outside) = date_range(kept, opts.since, opts.until);
    skipped.extend(outside);
    skipped.sort_by(|a, b| a.file.cmp(&b.file));
    failures.sort_by(|a, b| a.file.cmp(&b.file));
    let mut in_range = in_range;
    let mut steps: BTreeMap<String, SessionSteps> = in_range
        .iter_mut()
        .filter_map(|p| p.a.steps.take())
        .map(|s| (s.file.clone(), s))
        .collect();
    let mut block = assemble(in_range, opts, failures, skipped, warnings);
    block.steps = block
        .sessions
        .iter()
        .filter_map(|s| steps.remove(&s.doc.file))
        .collect();
    block
}

/// What the Apple Health exports of a block gave.
#[derive(Default)]
struct HealthOutcome {
    analysed: Vec<Analysed>,
    failures: Vec<Failure>,
    skipped: Vec<Skipped>,
}

/// Read each Apple Health export once ([`crate::ingest::apple_health::read_export`]) and
/// analyse every running workout in it as a session; other workouts are listed as skipped
/// with their type, an export that cannot be read (or a workout that cannot be summarised)
/// is a failure and the rest go on.
fn analyze_health(
    exports: &[PathBuf],
    bounds: &crate::time::TimeBounds,
    done: &(dyn Fn() + Sync),
) -> HealthOutcome {
    use crate::ingest::apple_health::{WorkoutPick, read_export};
    let mut out = HealthOutcome::default();
    for path in exports {
        let read = read_export(path, WorkoutPick::All);
        done();
        let export = match read {
            Ok(e) => e,
            Err(e) => {
                out.failures.push(Failure {
                    file: path.display().to_string(),
                    error: e.reason(),
                });
                continue;
            }
        };
        out.skipped
            .extend(export.other.iter().map(|(kind, start)| Skipped {
                file: path.display().to_string(),
                reason: format!("{kind} workout on {start}: not a run"),
            }));
        let mtime_s = timeline::modification_time(path);
        let results: Vec<_> = export
            .sessions
            .into_par_iter()
            .map(|mut rec| {
                let p = rec.path.clone();
                let read = crate::ingest::finish_recording(&mut rec, bounds);
                let analysed = read
                    .map_err(pipeline::AnalyzeError::from)
                    .and_then(|()| pipeline::analyze_records(rec));
                (p, analysed)
            })
            .collect();
        for (p, r) in results {
            match r {
                Ok(a) => out.analysed.push(Analysed {
                    path: p,
                    doc: a.doc,
                    mtime_s,
                    log_date: None,
                    log_start: None,
                    steps: None,
                }),
                Err(e) => out.failures.push(Failure {
                    file: p.display().to_string(),
                    error: e.reason(),
                }),
            }
        }
    }
    out
}

/// Paths [`discover`] could not read, as failures.
fn unreadable_failures(unreadable: &[(PathBuf, String)]) -> Vec<Failure> {
    unreadable
        .iter()
        .map(|(p, e)| Failure {
            file: p.display().to_string(),
            error: e.clone(),
        })
        .collect()
}

/// The analysed files and the failures, each in file order.
fn split_outcomes(outcomes: Vec<Result<Analysed, Failure>>) -> (Vec<Analysed>, Vec<Failure>) {
    let mut ok = Vec::new();
    let mut failed = Vec::new();
    for r in outcomes {
        match r {
            Ok(a) => ok.push(a),
            Err(f) => failed.push(f),
        }
    }
    (ok, failed)
}

/// The local offset for files that do not state one: the offset most files state (ties to
/// the one nearest UTC), s.
fn block_offset(ok: &[Analysed]) -> Option<i64> {
    let mut offsets: BTreeMap<i64, usize> = BTreeMap::new();
    for a in ok {
        if let Some(o) = a.doc.utc_offset_s {
            *offsets.entry(o).or_default() += 1;
        }
    }
    offsets
        .iter()
        .max_by_key(|(o, n)| (**n, -(**o).abs()))
        .map(|(o, _)| *o)
}

/// A file's local offset and its source: the file's, else `--utc-offset`, else the block's,
/// else UTC.
fn offset_of(
    file_s: Option<i64>,
    option_s: Option<i64>,
    block_s: Option<i64>,
) -> (i64, OffsetSource) {
    match (file_s, option_s, block_s) {
        (Some(o), _, _) => (o, OffsetSource::File),
        (None, Some(o), _) => (o, OffsetSource::Option),
        (None, None, Some(o)) => (o, OffsetSource::Block),
        (None, None, None) => (0, OffsetSource::Utc),
    }
}

/// Why a session was not placed on the calendar.
enum Unplaced {
    /// No start at all: a failure.
    Failed(Failure),
    /// A start outside [`crate::time::TimeBounds`]: listed as skipped, with a warning.
    Implausible(Skipped),
}

/// Place a session on the calendar (module doc, step 2): its start (the file's, else a date
/// in its name, else its modification time) and local date. Unplaced when it has none, or
/// when its date is implausible (the file's clock was rejected at ingest, or the date is
/// outside `bounds`): such a session never becomes the block's last day nor enters the load.
fn place(
    a: Analysed,
    option_offset_s: Option<i64>,
    block_offset_s: Option<i64>,
    bounds: &crate::time::TimeBounds,
) -> Result<Placed, Unplaced> {
    let (offset, offset_source) = offset_of(a.doc.utc_offset_s, option_offset_s, block_offset_s);
    let implausible = |what: String| {
        Unplaced::Implausible(Skipped {
            file: a.path.display().to_string(),
            reason: format!(
                "{what}, outside {}: not placed on the calendar and not counted in the load",
                bounds.describe()
            ),
        })
    };
    if let Some(t) = &a.doc.start_time_rejected {
        return Err(implausible(format!("its clock reads {t}")));
    }
    if let Some(date) = a.log_date {
        let (unix_s, local_date) = log_start(date, a.log_start, offset);
        if !bounds.contains_date(local_date) {
            return Err(implausible(format!("the log's date is {local_date}")));
        }
        return Ok(Placed {
            a,
            start: Start {
                unix_s,
                utc_offset_s: offset,
                local_date,
                source: StartSource::Log,
                offset_source,
            },
        });
    }
    let Some((unix_s, source)) = start_of(&a, offset) else {
        return Err(Unplaced::Failed(Failure {
            file: a.path.display().to_string(),
            error: "no start time in the file, no date in its name and no modification time: cannot place it on the calendar".into(),
        }));
    };
    let Some(local_date) =
        crate::time::local_date(unix_s, offset).filter(|d| bounds.contains_date(*d))
    else {
        let from = match source {
            StartSource::File => "its clock",
            StartSource::FileName => "the date in its name",
            StartSource::ModificationTime => "its modification time",
            StartSource::Log => "the log",
        };
        return Err(implausible(format!(
            "{from} reads {}",
            crate::time::describe_instant(unix_s)
        )));
    };
    Ok(Placed {
        a,
        start: Start {
            unix_s,
            utc_offset_s: offset,
            local_date,
            source,
            offset_source,
        },
    })
}

/// A training-log row's start, Unix s, and local day at `offset_s`: a UTC start as it is
/// (its local day from the offset), a local time shifted by the offset, a bare date at noon
/// local time.
fn log_start(date: NaiveDate, start: Option<(f64, bool)>, offset_s: i64) -> (f64, NaiveDate) {
    match start {
        Some((t, true)) => (t, crate::time::local_date(t, offset_s).unwrap_or(date)),
        Some((t, false)) => (t - offset_s as f64, date),
        None => {
            let noon = date
                .and_hms_opt(12, 0, 0)
                .map_or(0.0, |d| d.and_utc().timestamp() as f64);
            (noon - offset_s as f64, date)
        }
    }
}

/// A session's start, Unix s, and where it came from: the file's, else a date-time in its
/// name (local, at `offset_s`), else its modification time.
fn start_of(a: &Analysed, offset_s: i64) -> Option<(f64, StartSource)> {
    if let Some(t) = a.doc.start_unix_s() {
        return Some((t, StartSource::File));
    }
    let name = a
        .path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    match timeline::datetime_from_name(name) {
        Some(local) => Some((
            (local.and_utc().timestamp() - offset_s) as f64,
            StartSource::FileName,
        )),
        None => a.mtime_s.map(|t| (t, StartSource::ModificationTime)),
    }
}

/// The warning for sessions left out for an implausible date.
fn implausible_warning(files: &[Skipped]) -> Option<Warning> {
    if files.is_empty() {
        return None;
    }
    let names: Vec<&str> = files.iter().map(|s| s.file.as_str()).collect();
    Some(Warning::new(
        WarningCode::ImplausibleTime,
        format!(
            "{} with an implausible date (a clock before 1990 or in the future) left out of the calendar and the load: {}",
            if files.len() == 1 {
                "1 session".to_string()
            } else {
                format!("{} sessions", files.len())
            },
            names.join(", ")
        ),
    ))
}

/// Warnings about placement: starts guessed from the name or modification time, and days
/// that are UTC days for lack of any offset.
fn placement_warnings(placed: &[Placed]) -> Vec<Warning> {
    let mut warnings = Vec::new();
    let guessed: Vec<String> = placed
        .iter()
        .filter(|p| !matches!(p.start.source, StartSource::File | StartSource::Log))
        .map(|p| {
            format!(
                "{} ({})",
                p.a.path.display(),
                if p.start.source == StartSource::FileName {
                    "date from the file name"
                } else {
                    "modification time"
                }
            )
        })
        .collect();
    if !guessed.is_empty() {
        warnings.push(Warning::new(
            WarningCode::StartTimeGuessed,
            format!(
                "{} file(s) have no start time of their own; placed by the date in the name or the modification time: {}",
                guessed.len(),
                guessed.join(", ")
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
    warnings
}

/// A training-log row and another session of the same run: the same local day, and running
/// times within 5 % (at least 60 s) or distances within 5 % (at least 100 m), whichever both
/// give. A log row knows its day, rarely its time, so the day and the totals decide.
fn same_logged_run(x: &Placed, y: &Placed) -> bool {
    if x.start.local_date != y.start.local_date {
        return false;
    }
    let near = |a: f64, b: f64, floor: f64| (a - b).abs() <= 0.05 * a.max(b).max(floor);
    let (rx, ry) = (running_or_duration_s(x), running_or_duration_s(y));
    let time = (rx > 0.0 && ry > 0.0).then(|| near(rx, ry, 60.0));
    let dist =
        x.a.doc
            .summary
            .distance_m
            .zip(y.a.doc.summary.distance_m)
            .filter(|(a, b)| *a > 0.0 && *b > 0.0)
            .map(|(a, b)| near(a, b, 100.0));
    match (time, dist) {
        (Some(t), Some(d)) => t || d,
        (Some(t), None) => t,
        (None, Some(d)) => d,
        (None, None) => false,
    }
}

/// Running time of a placed session (its duration when longer), s.
fn running_or_duration_s(p: &Placed) -> f64 {
    p.a.doc
        .summary
        .running_time_s
        .max(p.a.doc.summary.duration_s)
}

/// The same activity twice (module doc, step 3): running times within 5 % (at least 60 s),
/// and starts from both files within 60 s, or the same name stem and either a whole number of
/// quarter hours apart (at most 14 h: a conversion that wrote local clock times without a
/// zone) or, without file starts, the same local date.
fn same_activity(x: &Placed, y: &Placed) -> bool {
    if x.start.source == StartSource::Log || y.start.source == StartSource::Log {
        return same_logged_run(x, y);
    }
    let (rx, ry) = (running_or_duration_s(x), running_or_duration_s(y));
    let close = (rx - ry).abs() <= 0.05 * rx.max(ry).max(60.0);
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
}

/// One copy of each activity, the preferred file ([`preference`]) kept, in start order; the
/// dropped copies as skipped files.
fn drop_duplicates(mut placed: Vec<Placed>) -> (Vec<Placed>, Vec<Skipped>) {
    placed.sort_by(|x, y| {
        x.start
            .unix_s
            .total_cmp(&y.start.unix_s)
            .then(preference(&x.a.doc).cmp(&preference(&y.a.doc)))
            .then(x.a.path.cmp(&y.a.path))
    });
    let mut kept: Vec<Placed> = Vec::new();
    let mut skipped = Vec::new();
    for p in placed {
        let Some(i) = kept.iter().position(|k| same_activity(k, &p)) else {
            kept.push(p);
            continue;
        };
        let dropped = if preference(&p.a.doc) < preference(&kept[i].a.doc) {
            std::mem::replace(&mut kept[i], p)
        } else {
            p
        };
        skipped.push(Skipped {
            file: dropped.a.path.display().to_string(),
            reason: format!(
                "the same activity as {} (analysed once)",
                kept[i].a.path.display()
            ),
        });
    }
    kept.sort_by(|x, y| {
        x.start
            .unix_s
            .total_cmp(&y.start.unix_s)
            .then(x.a.path.cmp(&y.a.path))
    });
    (kept, skipped)
}

/// Sessions after `--until` are left out; sessions before `--since` are kept as history
/// (for spikes, ratios and changes) but listed as skipped (not reported).
fn date_range(
    kept: Vec<Placed>,
    since: Option<NaiveDate>,
    until: Option<NaiveDate>,
) -> (Vec<Placed>, Vec<Skipped>) {
    let mut in_range = Vec::new();
    let mut skipped = Vec::new();
    for p in kept {
        let d = p.start.local_date;
        if until.is_some_and(|u| d > u) {
            skipped.push(Skipped {
                file: p.a.path.display().to_string(),
                reason: format!("{d} is after --until"),
            });
            continue;
        }
        if since.is_some_and(|s| d < s) {
            skipped.push(Skipped {
                file: p.a.path.display().to_string(),
                reason: format!("{d} is before --since (used only as history for the load)"),
            });
        }
        in_range.push(p);
    }
    (in_range, skipped)
}

/// Metrics whose trends the block reports.
pub const TREND_METRICS: [&str; 5] = [
    Channel::CadenceSpm.name(),
    Channel::GroundContactMs.name(),
    Channel::VerticalOscillationCm.name(),
    Channel::VerticalRatioPct.name(),
    Channel::GctBalanceLeftPct.name(),
];

/// A session RPE this many times the runner's usual is hard (7 against a usual 5: "very
/// hard" on Borg's CR-10 scale, the scale of Foster's session RPE).
const HARD_SESSION_RPE: f64 = 1.4;
/// Speed above the runner's usual that makes a run hard.
const HARD_SPEED: f64 = 1.10;
/// Heart rate above usual that makes a run hard (when there is no speed).
const HARD_HEART_RATE: f64 = 1.05;
/// Running time over the usual that makes a run hard.
const HARD_DURATION: f64 = 1.5;
/// Days looked back for new speed and climbing.
const NEW_INTENSITY_DAYS: f64 = 28.0;

/// A placed session with the risk input it is assessed with, before the block facts.
struct Candidate {
    placed: Placed,
    input: RiskInput,
    /// Counted in the running load.
    counted: bool,
}

/// A session of the block with what the later steps read: its risk input and, when it
/// counts in the running load, its run (the block's runs are the counted sessions' runs,
/// in session order).
struct Entry {
    session: BlockSession,
    input: RiskInput,
    run: Option<load::Run>,
}

/// The runner's usual values: medians over the counted runs of the block.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
struct Usual {
    /// Session RPE (CR-10) of the runs that have one.
    rpe: Option<f64>,
    /// Speed, m/s.
    speed_mps: Option<f64>,
    /// Heart rate, bpm.
    heart_rate_bpm: Option<f64>,
    /// Running time, s.
    running_time_s: Option<f64>,
}

/// Median heart rate of a session document, bpm.
fn heart_rate_bpm(doc: &SessionDoc) -> Option<f64> {
    doc.summary
        .metrics
        .get(crate::recording::Channel::HeartRateBpm.name())
        .copied()
        .flatten()
        .map(|s| s.median)
}

/// Each placed session with its risk input ([`pipeline::risk_input`]) and whether it counts
/// in the running load: running sessions not placed by modification time (copying a folder
/// stamps them all with one date, which would make a false spike of load).
fn candidates(placed: Vec<Placed>, opts: &BlockOptions) -> Vec<Candidate> {
    placed
        .into_iter()
        .map(|p| {
            let input = pipeline::risk_input(
                &p.a.doc,
                Some(p.start.unix_s),
                Some(p.start.utc_offset_s),
                opts.session.speed_mps,
            );
            let counted =
                input.not_running.is_none() && p.start.source != StartSource::ModificationTime;
            Candidate {
                placed: p,
                input,
                counted,
            }
        })
        .collect()
}

/// (cadence, speed) of the counted runs among `c` that have a cadence: what the usual
/// cadence is learned from.
fn cadence_points(c: &[Candidate]) -> Vec<(f64, Option<f64>)> {
    c.iter()
        .filter(|c| c.counted)
        .filter_map(|c| Some((c.input.cadence_spm?, c.input.speed_mps)))
        .collect()
}

/// Median of the positive finite values of `f` over the counted runs.
fn usual_of(c: &[Candidate], f: impl Fn(&Candidate) -> Option<f64>) -> Option<f64> {
    let mut v: Vec<f64> = c
        .iter()
        .filter(|c| c.counted)
        .filter_map(f)
        .filter(|x| x.is_finite() && *x > 0.0)
        .collect();
    crate::stats::median(&mut v)
}

/// The runner's usual speed, heart rate and running time over the block.
fn usual(c: &[Candidate]) -> Usual {
    Usual {
        rpe: usual_of(c, |c| c.placed.a.doc.rpe),
        speed_mps: usual_of(c, |c| c.input.speed_mps),
        heart_rate_bpm: usual_of(c, |c| heart_rate_bpm(&c.placed.a.doc)),
        running_time_s: usual_of(c, |c| Some(c.placed.a.doc.summary.running_time_s)),
    }
}

/// Relative intensity and what measured it: speed over the usual speed, else heart rate over
/// the usual heart rate, else none.
fn intensity(
    rpe: Option<f64>,
    speed_mps: Option<f64>,
    heart_rate_bpm: Option<f64>,
    usual: &Usual,
) -> (Option<f64>, IntensityBasis) {
    if let (Some(r), Some(u)) = (rpe, usual.rpe.filter(|u| *u > 0.0)) {
        return (Some(r / u), IntensityBasis::SessionRpe);
    }
    match (
        speed_mps,
        usual.speed_mps,
        heart_rate_bpm,
        usual.heart_rate_bpm,
    ) {
        (Some(v), Some(u), _, _) => (Some(v / u), IntensityBasis::Speed),
        (_, _, Some(h), Some(u)) => (Some(h / u), IntensityBasis::HeartRate),
        _ => (None, IntensityBasis::None),
    }
}

/// A hard run: at least [`HARD_SPEED`] × the usual speed (or [`HARD_HEART_RATE`] × the
/// usual heart rate when there is no speed), or [`HARD_DURATION`] × the usual running time.
fn is_hard(
    intensity: Option<f64>,
    from: IntensityBasis,
    running_time_s: f64,
    usual_time_s: Option<f64>,
) -> bool {
    let intense = match from {
        IntensityBasis::SessionRpe => intensity.is_some_and(|x| x >= HARD_SESSION_RPE),
        IntensityBasis::Speed => intensity.is_some_and(|x| x >= HARD_SPEED),
        IntensityBasis::HeartRate => intensity.is_some_and(|x| x >= HARD_HEART_RATE),
        IntensityBasis::None => false,
    };
    intense || usual_time_s.is_some_and(|u| running_time_s >= HARD_DURATION * u)
}

/// Assess every session in start order and give it its block facts (intensity, load, hard,
/// the usual cadence it was judged against). Without a usual cadence in the profile, each
/// session is judged against the cadence learned from the counted runs before it only, so a
/// gradual change is judged against the habit before it, not hidden by it.
fn assess_sessions(candidates: Vec<Candidate>, usual: &Usual, opts: &BlockOptions) -> Vec<Entry> {
    let mut earlier_cadence: Vec<(f64, Option<f64>)> = Vec::new();
    let mut entries = Vec::with_capacity(candidates.len());
    for c in candidates {
        let Candidate {
            placed: p,
            input,
            counted,
        } = c;
        let (intensity, from) = intensity(
            p.a.doc.rpe,
            input.speed_mps,
            heart_rate_bpm(&p.a.doc),
            usual,
        );
        let rt = p.a.doc.summary.running_time_s;
        let load_au = if counted {
            rt / 60.0 * intensity.unwrap_or(1.0)
        } else {
            0.0
        };
        let hard = counted && is_hard(intensity, from, rt, usual.running_time_s);
        let usual_cadence = opts
            .profile
            .usual_cadence_spm
            .or_else(|| trends::usual_cadence(&earlier_cadence).map(|l| l.at(input.speed_mps)));
        let mut prof = opts.profile.clone();
        prof.usual_cadence_spm = usual_cadence;
        // The run's placed date is known: no clock is read.
        let assessment = crate::risk::assess(&input, &prof, &opts.risk, p.start.local_date);
        let run = counted.then(|| load::Run {
            unix_s: p.start.unix_s,
            date: p.start.local_date,
            distance_m: p.a.doc.summary.distance_m.unwrap_or(0.0),
            distance_known: p.a.doc.summary.distance_m.is_some_and(|d| d > 0.0),
            running_time_s: rt,
            load_au,
        });
        if let Some(cad) = input.cadence_spm.filter(|_| counted) {
            earlier_cadence.push((cad, input.speed_mps));
        }
        let session = BlockSession {
            doc: p.a.doc.with_assessment(assessment),
            block: SessionBlock {
                local_date: p.start.local_date,
                start_time: crate::time::rfc3339(p.start.unix_s),
                start_source: p.start.source,
                utc_offset_s: p.start.utc_offset_s,
                utc_offset_source: p.start.offset_source,
                counted,
                intensity,
                intensity_from: from,
                load_au,
                hard,
                spike: None,
                faster_pct: None,
                more_climb_pct: None,
                usual_cadence_spm: usual_cadence.filter(|_| input.cadence_spm.is_some()),
            },
        };
        entries.push(Entry {
            session,
            input,
            run,
        });
    }
    entries
}

/// The (session, run) pairs of the counted sessions, in order: the k-th pair's run is
/// `runs[k]`.
fn counted_runs(entries: &[Entry]) -> impl Iterator<Item = (&Entry, &load::Run)> {
    entries.iter().filter_map(|e| Some((e, e.run.as_ref()?)))
}

/// The block's first day: the first session's (runs before `--since` are history) or
/// `--since`, whichever is earlier.
fn first_day(entries: &[Entry], since: Option<NaiveDate>) -> Option<NaiveDate> {
    match (entries.first().map(|e| e.session.block.local_date), since) {
        (Some(f), Some(s)) => Some(f.min(s)),
        (f, s) => f.or(s),
    }
}

/// A spike is judged only for runs with 30 days of the block before them: runs outside the
/// block are unknown, and the first runs of a block are not spikes for lack of history.
fn spike_covered(first_day: Option<NaiveDate>, date: NaiveDate) -> bool {
    first_day.is_some_and(|f| (date - f).num_days() >= 30)
}

/// % faster than `prev_max_mps`, the fastest of the earlier runs.
fn faster_pct(speed_mps: Option<f64>, prev_max_mps: Option<f64>) -> Option<f64> {
    match (speed_mps, prev_max_mps) {
        (Some(v), Some(m)) if m > 0.0 => Some(100.0 * (v / m - 1.0)),
        _ => None,
    }
}

/// % more climb per km than `prev_max_m`, the hilliest of the earlier runs (at least 1 m/km);
/// below [`MIN_CLIMB_PER_KM`] a run is not hilly, whatever the ratio (at most 0).
fn more_climb_pct(climb_per_km_m: Option<f64>, prev_max_m: Option<f64>) -> Option<f64> {
    let (c, m) = (climb_per_km_m?, prev_max_m?);
    let pct = 100.0 * (c / m.max(1.0) - 1.0);
    Some(if c < MIN_CLIMB_PER_KM {
        pct.min(0.0)
    } else {
        pct
    })
}

/// Spikes and new speed and climbing of each counted run, against earlier runs only: the
/// longest run of the previous 30 days ([`load::spike`], for covered runs with a distance)
/// and the fastest and hilliest of the previous [`NEW_INTENSITY_DAYS`] days (with at least
/// 3 such runs).
fn mark_new_load(entries: &mut [Entry], runs: &[load::Run], first_day: Option<NaiveDate>) {
    let speed: Vec<Option<f64>> = counted_runs(entries)
        .map(|(e, _)| e.input.speed_mps)
        .collect();
    let climb: Vec<Option<f64>> = counted_runs(entries)
        .map(|(e, _)| e.input.climb_per_km_m)
        .collect();
    let counted = entries.iter_mut().filter(|e| e.run.is_some());
    for (k, e) in counted.enumerate() {
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
        let b = &mut e.session.block;
        if runs[k].distance_m > 0.0 && spike_covered(first_day, runs[k].date) {
            b.spike = load::spike(runs, k);
        }
        b.faster_pct = faster_pct(speed[k], prev_max(&speed));
        b.more_climb_pct = more_climb_pct(climb[k], prev_max(&climb));
    }
}

/// The daily load series of the block (distance, load and both acute:chronic ratios).
fn series(days: &[load::DayTotals]) -> risk::Series {
    let distance: Vec<f64> = days.iter().map(|d| d.distance_m).collect();
    let loads: Vec<f64> = days.iter().map(|d| d.load_au).collect();
    risk::Series {
        ewma_ratio: load::ewma_ratio(&loads),
        uncoupled_ratio: load::uncoupled_ratio(&loads),
        distance_m: distance,
        load_au: loads,
    }
}

/// What the day-by-day risk needs of each counted run; `first` is the calendar's first day.
fn run_infos(
    entries: &[Entry],
    runs: &[load::Run],
    first: NaiveDate,
    first_day: Option<NaiveDate>,
) -> Vec<risk::RunInfo> {
    counted_runs(entries)
        .enumerate()
        .filter_map(|(k, (e, run))| {
            let s = &e.session;
            let day = usize::try_from((s.block.local_date - first).num_days()).ok()?;
            let a = s.doc.risk.as_ref()?;
            Some(risk::RunInfo {
                day,
                date: s.block.local_date,
                distance_m: run.distance_m,
                spike: s.block.spike.clone(),
                spike_judged: run.distance_m > 0.0
                    && spike_covered(first_day, run.date)
                    && load::previous_longest_m(runs, k).is_some(),
                hard: s.block.hard,
                faster_pct: s.block.faster_pct,
                more_climb_pct: s.block.more_climb_pct,
                session_points: a.session_points,
                session_factors: a
                    .factors
                    .iter()
                    .filter(|f| f.kind == crate::risk::FactorKind::Session && f.points > 0.0)
                    .cloned()
                    .collect(),
            })
        })
        .collect()
}

/// One row per day with its risk ([`risk::day_risk`]), and the last day's risk.
fn day_rows(
    days_tot: &[load::DayTotals],
    run_infos: &[risk::RunInfo],
    series: &risk::Series,
    opts: &BlockOptions,
) -> (Vec<Day>, Option<risk::DayRisk>) {
    let mut days = Vec::with_capacity(days_tot.len());
    let mut last_risk = None;
    for (d, t) in days_tot.iter().enumerate() {
        let r = risk::day_risk(d, t.date, run_infos, series, &opts.profile, &opts.risk);
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
    (days, last_risk)
}

/// The longest run before the biggest spike of the 7 days ending `last_day`, when there was
/// one.
fn recent_spike_prev_m(sessions: &[BlockSession], last_day: Option<NaiveDate>) -> Option<f64> {
    let week_ago = last_day.map(|d| d - chrono::Days::new(6));
    sessions
        .iter()
        .filter(|s| week_ago.is_some_and(|w| s.block.local_date >= w))
        .filter_map(|s| s.block.spike.as_ref())
        .max_by(|a, b| a.increase_pct.total_cmp(&b.increase_pct))
        .map(|s| s.previous_longest_m)
}

/// Form trends of [`TREND_METRICS`] and the fatigue drift over the counted runs reported
/// (from `--since` on), days counted from the first reported run.
fn form_trends(
    entries: &[Entry],
    since: Option<NaiveDate>,
) -> (Vec<Trend>, Option<DriftFrequency>) {
    let reported: Vec<(&Entry, &load::Run)> = counted_runs(entries)
        .filter(|(_, r)| since.is_none_or(|s| r.date >= s))
        .collect();
    let first_unix = reported.first().map_or(0.0, |(_, r)| r.unix_s);
    let metrics = TREND_METRICS
        .iter()
        .filter_map(|&m| {
            let pts: Vec<trends::Point> = reported
                .iter()
                .filter_map(|(e, run)| {
                    let v = e
                        .session
                        .doc
                        .summary
                        .metrics
                        .get(m)
                        .copied()
                        .flatten()?
                        .median;
                    Some(trends::Point {
                        day: (run.unix_s - first_unix) / 86_400.0,
                        speed_mps: e.input.speed_mps,
                        value: v,
                    })
                })
                .collect();
            trends::trend(m, &pts)
        })
        .collect();
    let drift: Vec<(Option<f64>, Option<f64>)> = reported
        .iter()
        .map(|(e, _)| (e.input.cadence_drift_pct, e.input.contact_drift_pct))
        .collect();
    (metrics, trends::drift_frequency(&drift))
}

/// Sessions, days and weeks from `--since` on (earlier runs were history only).
fn from_since(
    since: Option<NaiveDate>,
    sessions: Vec<BlockSession>,
    days: Vec<Day>,
    weeks: Vec<Week>,
) -> (Vec<BlockSession>, Vec<Day>, Vec<Week>) {
    let Some(since) = since else {
        return (sessions, days, weeks);
    };
    (
        sessions
            .into_iter()
            .filter(|s| s.block.local_date >= since)
            .collect(),
        days.into_iter().filter(|d| d.date >= since).collect(),
        weeks
            .into_iter()
            .filter(|w| w.totals.week_start + chrono::Days::new(6) >= since)
            .collect(),
    )
}

/// Where the usual cadence comes from: `profile`, `learned` or `none`.
fn usual_cadence_source(
    profile: &RunnerProfile,
    learned: Option<&UsualCadence>,
) -> UsualCadenceSource {
    if profile.usual_cadence_spm.is_some() {
        UsualCadenceSource::Profile
    } else if learned.is_some() {
        UsualCadenceSource::Learned
    } else {
        UsualCadenceSource::None
    }
}

/// Steps 4–5 of the module doc over the placed, de-duplicated sessions in start order.
fn assemble(
    placed: Vec<Placed>,
    opts: &BlockOptions,
    failures: Vec<Failure>,
    skipped: Vec<Skipped>,
    mut warnings: Vec<Warning>,
) -> Block {
    let candidates = candidates(placed, opts);
    let learned = trends::usual_cadence(&cadence_points(&candidates));
    let usual = usual(&candidates);
    let mut entries = assess_sessions(candidates, &usual, opts);
    let runs: Vec<load::Run> = counted_runs(&entries).map(|(_, r)| r.clone()).collect();
    let first_day = first_day(&entries, opts.since);
    mark_new_load(&mut entries, &runs, first_day);
    let (last_day, last_day_source) = match opts.until {
        Some(u) => (Some(u), LastDaySource::Until),
        None => (
            entries.last().map(|e| e.session.block.local_date),
            LastDaySource::LastSession,
        ),
    };
    let (days_tot, first) = match (first_day, last_day) {
        (Some(f), Some(l)) if f <= l => (load::daily(&runs, f, l), f),
        _ => (Vec::new(), NaiveDate::MIN),
    };
    let series = series(&days_tot);
    let run_infos = run_infos(&entries, &runs, first, first_day);
    let (days, last_risk) = day_rows(&days_tot, &run_infos, &series, opts);
    let (trend_metrics, fatigue_drift) = form_trends(&entries, opts.since);
    let sessions: Vec<BlockSession> = entries.into_iter().map(|e| e.session).collect();
    let weeks = week_rows(&days_tot, &sessions);
    let recent_spike = recent_spike_prev_m(&sessions, last_day);
    let risk = last_risk
        .filter(|_| !runs.is_empty())
        .map(|r| current_risk(r, &days_tot, &runs, recent_spike));
    let (sessions, days, weeks) = from_since(opts.since, sessions, days, weeks);
    if runs.is_empty() {
        warnings.push(Warning::new(
            WarningCode::NoRuns,
            "no running session was counted (walks and runs placed by modification time are not): no load or block risk".to_string(),
        ));
    }
    Block {
        schema: BLOCK_SCHEMA,
        first_day: days.first().map(|d| d.date),
        last_day: days.last().map(|d| d.date),
        last_day_source: days.last().map(|_| last_day_source),
        sessions,
        failures,
        skipped,
        weeks,
        days,
        trends: Trends {
            metrics: trend_metrics,
            fatigue_drift,
            usual_cadence_source: usual_cadence_source(&opts.profile, learned.as_ref()),
            usual_cadence: learned,
        },
        risk,
        warnings,
        steps: Vec::new(),
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

/// Load factors whose advice is the computed plan rather than the rule's text.
const LOAD_FACTORS: [&str; 3] = [
    "long_run_spike",
    "weekly_volume_jump",
    "acute_chronic_ratio",
];

/// The longest-run advice: after a spike in the last 7 days (`recent_spike_prev_m`, the
/// longest run before it), at most 10 % over what was built up to; else at most 10 % over the
/// longest run of the 30 days ending `date` (Frandsen et al. 2025). None without runs.
fn long_run_advice(
    date: NaiveDate,
    runs: &[load::Run],
    recent_spike_prev_m: Option<f64>,
) -> Option<String> {
    let month_ago = date - chrono::Days::new(29);
    let longest = runs
        .iter()
        .filter(|x| x.date >= month_ago && x.date <= date)
        .map(|x| x.distance_m)
        .fold(0.0, f64::max);
    match recent_spike_prev_m {
        Some(prev) => Some(format!(
            "your long run this week was a spike: go back to runs of at most {:.1} km (10 % over the {:.1} km you had built up to) until you have recovered; bigger single jumps carried injury hazard ratios of 1.5-2.3 (Frandsen et al. 2025)",
            1.1 * prev / 1000.0,
            prev / 1000.0
        )),
        None if longest > 0.0 => Some(format!(
            "keep every run of the next 7 days under {:.1} km: 10 % over your longest run of the last 30 days ({:.1} km); longer single runs carried injury hazard ratios of 1.5-2.3 (Frandsen et al. 2025)",
            1.1 * longest / 1000.0,
            longest / 1000.0
        )),
        None => None,
    }
}

/// The next 7 days' distance: back towards the 4-week average when a load factor scored
/// (`loaded`) and 4 weeks are known, held below the last 7 days when loaded otherwise, else
/// under 10 % more (a guide, not a proven limit: Buist et al. 2008). None without distance
/// in the last 7 days.
fn volume_advice(days: &[load::DayTotals], loaded: bool) -> Option<String> {
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
    (last7 > 0.0).then(|| if loaded && n >= 28 {
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
    })
}

/// What to do this week: the long-run and volume advice, the advice of the top factors other
/// than the load factors (once each), and an easier week when the level is high.
fn this_week(
    r: &risk::DayRisk,
    top: &[&Factor],
    date: NaiveDate,
    days: &[load::DayTotals],
    runs: &[load::Run],
    recent_spike_prev_m: Option<f64>,
) -> Vec<String> {
    let loaded = r
        .factors
        .iter()
        .any(|f| f.points > 0.0 && LOAD_FACTORS.contains(&f.id));
    let mut plan: Vec<String> = long_run_advice(date, runs, recent_spike_prev_m)
        .into_iter()
        .chain(volume_advice(days, loaded))
        .collect();
    for f in top.iter().filter(|f| !LOAD_FACTORS.contains(&f.id)) {
        let a = f.advice.to_string();
        if !plan.contains(&a) {
            plan.push(a);
        }
    }
    if r.level == Level::High {
        plan.push("consider an easier week: shorter runs, no hills or fast running, and calf strength work (bent- and straight-knee eccentric calf raises)".into());
    }
    plan
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
    let plan = this_week(&r, &top, date, days, runs, recent_spike_prev_m);
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

#[cfg(test)]
mod tests {
    use super::*;

    fn usual() -> Usual {
        Usual {
            rpe: Some(5.0),
            speed_mps: Some(3.0),
            heart_rate_bpm: Some(150.0),
            running_time_s: Some(3000.0),
        }
    }

    #[test]
    fn a_session_rpe_comes_first_and_makes_a_run_hard_at_1_4_times_the_usual() {
        assert_eq!(
            intensity(Some(7.0), Some(3.3), Some(160.0), &usual()),
            (Some(1.4), IntensityBasis::SessionRpe)
        );
        assert!(is_hard(Some(1.4), IntensityBasis::SessionRpe, 100.0, None));
        assert!(!is_hard(Some(1.2), IntensityBasis::SessionRpe, 100.0, None));
        // Without a usual RPE (no other run has one) the speed decides.
        let no_rpe = Usual {
            rpe: None,
            ..usual()
        };
        assert_eq!(
            intensity(Some(7.0), Some(3.3), None, &no_rpe).1,
            IntensityBasis::Speed
        );
    }

    #[test]
    fn intensity_is_speed_then_heart_rate_over_the_usual() {
        assert_eq!(
            intensity(None, Some(3.3), Some(160.0), &usual()).1,
            IntensityBasis::Speed
        );
        assert!((intensity(None, Some(3.3), None, &usual()).0.unwrap() - 1.1).abs() < 1e-12);
        assert_eq!(
            intensity(None, None, Some(165.0), &usual()),
            (Some(1.1), IntensityBasis::HeartRate)
        );
        assert_eq!(
            intensity(None, None, None, &usual()),
            (None, IntensityBasis::None)
        );
    }

    #[test]
    fn hard_is_fast_or_long_for_this_runner() {
        assert!(is_hard(
            Some(1.1),
            IntensityBasis::Speed,
            1000.0,
            Some(3000.0)
        ));
        assert!(!is_hard(
            Some(1.09),
            IntensityBasis::Speed,
            1000.0,
            Some(3000.0)
        ));
        assert!(is_hard(
            Some(1.05),
            IntensityBasis::HeartRate,
            1000.0,
            Some(3000.0)
        ));
        assert!(is_hard(None, IntensityBasis::None, 4500.0, Some(3000.0)));
        assert!(!is_hard(None, IntensityBasis::None, 4499.0, Some(3000.0)));
    }

    #[test]
    fn new_speed_and_climbing_against_the_earlier_maximum() {
        assert_eq!(
            faster_pct(Some(3.3), Some(3.0)).map(|p| p.round()),
            Some(10.0)
        );
        assert_eq!(faster_pct(Some(3.3), None), None);
        assert_eq!(faster_pct(Some(3.3), Some(0.0)), None);
        // 40 m/km against 20: 100 % more; 15 m/km is not hilly, whatever the ratio.
        assert_eq!(more_climb_pct(Some(40.0), Some(20.0)), Some(100.0));
        assert_eq!(more_climb_pct(Some(15.0), Some(5.0)), Some(0.0));
        assert_eq!(more_climb_pct(Some(15.0), Some(30.0)), Some(-50.0));
        assert_eq!(more_climb_pct(None, Some(30.0)), None);
    }

    #[test]
    fn offset_is_the_files_then_the_options_then_the_blocks() {
        assert_eq!(
            offset_of(Some(3600), Some(7200), Some(0)),
            (3600, OffsetSource::File)
        );
        assert_eq!(
            offset_of(None, Some(7200), Some(0)),
            (7200, OffsetSource::Option)
        );
        assert_eq!(
            offset_of(None, None, Some(-3600)),
            (-3600, OffsetSource::Block)
        );
        assert_eq!(offset_of(None, None, None), (0, OffsetSource::Utc));
    }

    fn d(n: u64) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 9, 1).unwrap() + chrono::Days::new(n)
    }

    fn days(km: &[f64]) -> Vec<load::DayTotals> {
        km.iter()
            .enumerate()
            .map(|(i, k)| load::DayTotals {
                date: d(i as u64),
                distance_m: k * 1000.0,
                duration_s: 0.0,
                load_au: 0.0,
                sessions: usize::from(*k > 0.0),
                longest_run_m: k * 1000.0,
                runs_without_distance: 0,
            })
            .collect()
    }

    #[test]
    fn long_run_advice_is_10_pct_over_the_reference() {
        let run = |n: u64, km: f64| load::Run {
            unix_s: 0.0,
            date: d(n),
            distance_m: km * 1000.0,
            distance_known: true,
            running_time_s: 0.0,
            load_au: 0.0,
        };
        // The longest of the 30 days ending day 40 is day 20's 10 km (day 5's 20 km is older).
        let runs = [run(5, 20.0), run(20, 10.0), run(38, 8.0)];
        let a = long_run_advice(d(40), &runs, None).unwrap();
        assert!(
            a.starts_with("keep every run of the next 7 days under 11.0 km"),
            "{a}"
        );
        let a = long_run_advice(d(40), &runs, Some(5000.0)).unwrap();
        assert!(a.contains("at most 5.5 km"), "{a}");
        assert_eq!(long_run_advice(d(40), &[], None), None);
    }

    #[test]
    fn volume_advice_follows_the_load() {
        let mut km = vec![5.0; 28];
        km[27] = 15.0; // last 7 days: 45 km; 4-week mean 150/4 = 37.5 km
        let t = days(&km);
        let calm = volume_advice(&t, false).unwrap();
        assert!(
            calm.starts_with("next 7 days: up to about 49.5 km"),
            "{calm}"
        );
        let loaded = volume_advice(&t, true).unwrap();
        assert!(
            loaded.starts_with("next 7 days: about 41.2 km or less"),
            "{loaded}"
        );
        let short = volume_advice(&t[20..], true).unwrap();
        assert!(short.starts_with("hold the next 7 days below"), "{short}");
        assert_eq!(volume_advice(&days(&[0.0; 10]), false), None);
    }

    #[test]
    fn spikes_need_30_days_of_the_block_before_the_run() {
        assert!(!spike_covered(Some(d(0)), d(29)));
        assert!(spike_covered(Some(d(0)), d(30)));
        assert!(!spike_covered(None, d(30)));
    }
}
