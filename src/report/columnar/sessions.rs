//! `block --sessions FILE.parquet`: one row per analysed session of a block, schema
//! [`SCHEMA`].
//!
//! The analysed rows of `block --csv` ([`crate::report::block::to_csv`]), typed and
//! unrounded, with every metric of [`crate::vocab::METRICS`] (the session's median over its
//! running records or steps, in the metric's unit) instead of the CSV's seven, and a few
//! fields the CSV leaves to the JSON (source, local offset, what measured the intensity,
//! overstriding index, session RPE). Files that failed or were skipped are not sessions: they
//! are in the CSV and the JSON, not here.

use super::{Null, Table, TableBuilder, rfc3339_ms};
use crate::block::{Block, BlockSession};
use crate::report::terminal::json_name;
use crate::vocab::METRICS;
use chrono::NaiveDate;
use parquet::errors::ParquetError;

/// Name and version of the schema.
pub const SCHEMA: &str = "gaitguard.sessions/1";

/// Days from 1970-01-01 (Arrow's `Date32`).
fn days_since_epoch(d: NaiveDate) -> Option<i32> {
    let epoch = NaiveDate::from_ymd_opt(1970, 1, 1)?;
    i32::try_from((d - epoch).num_days()).ok()
}

/// A session's median of a metric, when it has one.
fn median(s: &BlockSession, metric: &str) -> Option<f64> {
    s.doc
        .summary
        .metrics
        .get(metric)
        .copied()
        .flatten()
        .map(|m| m.median)
}

/// Who the session is: file, format, source, start, date and offset.
fn identity_columns(t: &mut TableBuilder, ss: &[BlockSession]) {
    t.text(
        "file",
        Null::Never,
        "input path as given (an archive entry as archive/entry)",
        ss.iter().map(|s| Some(s.doc.file.as_str())),
    );
    t.label(
        "format",
        Null::Never,
        "input dialect (`fit`, `tcx`, `gpx`, `training-log` …, as `--format` names them)",
        ss.iter().map(|s| Some(s.doc.format)),
    );
    let sources: Vec<String> = ss.iter().map(|s| json_name(&s.doc.source)).collect();
    t.label(
        "source",
        Null::Never,
        "`summary` (a watch's or app's records) or `raw` (an accelerometer signal)",
        sources.iter().map(|s| Some(s.as_str())),
    );
    t.timestamp_ms(
        "start_time",
        Null::Allowed,
        "start of the analysed portion by the file's clock, UTC; null when the file has none (or an implausible one)",
        ss.iter()
            .map(|s| s.doc.start_time.as_deref().and_then(rfc3339_ms)),
    );
    t.date(
        "local_date",
        Null::Never,
        "the runner's local calendar day of the session (by whatever placed it: see `start_source`)",
        ss.iter().map(|s| days_since_epoch(s.block.local_date)),
    );
    let sources: Vec<String> = ss
        .iter()
        .map(|s| json_name(&s.block.start_source))
        .collect();
    t.label(
        "start_source",
        Null::Never,
        "where the start came from: `file`, `file_name`, `modification_time`, `log`",
        sources.iter().map(|s| Some(s.as_str())),
    );
    t.int(
        "utc_offset_s",
        Null::Never,
        "local time minus UTC used for `local_date`, s",
        ss.iter().map(|s| i32::try_from(s.block.utc_offset_s).ok()),
    );
}

/// What the session was and how much it loaded the runner.
fn load_columns(t: &mut TableBuilder, ss: &[BlockSession]) {
    t.label(
        "activity",
        Null::Never,
        "what the metrics summarise: `running`, `walking`, `mixed`, `still`",
        ss.iter().map(|s| Some(s.doc.summary.metrics_from.name())),
    );
    t.bool(
        "counted",
        Null::Never,
        "counted in the running load (running sessions only)",
        ss.iter().map(|s| Some(s.block.counted)),
    );
    t.float(
        "distance_m",
        Null::Allowed,
        "distance, m; null when the file gives none",
        ss.iter().map(|s| s.doc.summary.distance_m),
    );
    t.float(
        "duration_s",
        Null::Never,
        "elapsed time of the analysed portion, s",
        ss.iter().map(|s| Some(s.doc.summary.duration_s)),
    );
    t.float(
        "running_time_s",
        Null::Never,
        "time spent running, s",
        ss.iter().map(|s| Some(s.doc.summary.running_time_s)),
    );
    t.float(
        "load_au",
        Null::Never,
        "load, arbitrary units (running minutes × intensity)",
        ss.iter().map(|s| Some(s.block.load_au)),
    );
    t.float(
        "intensity",
        Null::Allowed,
        "relative intensity (speed, heart rate or session RPE over the runner's usual); null when unmeasured (taken as 1 in the load)",
        ss.iter().map(|s| s.block.intensity),
    );
    t.label(
        "intensity_from",
        Null::Never,
        "what measured the intensity: `speed`, `heart_rate`, `session_rpe`, `none`",
        ss.iter().map(|s| Some(s.block.intensity_from.name())),
    );
    t.bool(
        "hard",
        Null::Never,
        "a hard run (≥ 10 % faster than usual or ≥ 1.5 × the usual running time)",
        ss.iter().map(|s| Some(s.block.hard)),
    );
    t.label(
        "spike_band",
        Null::Allowed,
        "long-run spike band against the longest run of the previous 30 days (`10-30`, `30-100`, `over-100` % longer; Frandsen 2025); null when no spike",
        ss.iter().map(|s| s.block.spike.as_ref().map(|x| x.band)),
    );
    t.float(
        "spike_pct",
        Null::Allowed,
        "how much longer than that longest run, %; null when no spike",
        ss.iter()
            .map(|s| s.block.spike.as_ref().map(|x| x.increase_pct)),
    );
    t.float(
        "rpe",
        Null::Allowed,
        "session RPE (Borg CR-10) from a training log; null otherwise",
        ss.iter().map(|s| s.doc.rpe),
    );
}

/// The medians of every metric, then overstriding and risk.
fn form_and_risk_columns(t: &mut TableBuilder, ss: &[BlockSession]) {
    for m in &METRICS {
        let meaning = format!(
            "median {}, {}; null when not measured",
            m.label,
            if m.unit.is_empty() { "-" } else { m.unit }
        );
        t.float(
            m.name(),
            Null::Allowed,
            &meaning,
            ss.iter().map(|s| median(s, m.name())),
        );
    }
    t.float(
        "overstriding_index",
        Null::Allowed,
        "weighted share of overstriding indicators flagged, 0-1; null when none could be assessed",
        ss.iter()
            .map(|s| s.doc.overstriding.as_ref().and_then(|o| o.index)),
    );
    t.label(
        "overstriding",
        Null::Allowed,
        "the overstriding verdict in words",
        ss.iter()
            .map(|s| s.doc.overstriding.as_ref().map(|o| o.verdict.as_str())),
    );
    t.int(
        "risk_score",
        Null::Allowed,
        "calf-strain risk indicator of the session, 0-100 (an indicator, not a diagnosis)",
        ss.iter().map(|s| {
            s.doc
                .risk
                .as_ref()
                .and_then(|r| i32::try_from(r.score).ok())
        }),
    );
    t.label(
        "risk_level",
        Null::Allowed,
        "`low`, `moderate` or `high`",
        ss.iter()
            .map(|s| s.doc.risk.as_ref().map(|r| r.level.name())),
    );
    t.float(
        "usual_cadence_spm",
        Null::Allowed,
        "the usual cadence the session was judged against, steps/min; null when none was known",
        ss.iter().map(|s| s.block.usual_cadence_spm),
    );
}

/// The sessions table of a block: identity, load, form and risk.
///
/// # Errors
/// [`ParquetError`] when a column disagrees with its declaration (not expected).
pub fn table(b: &Block) -> Result<Table, ParquetError> {
    table_of(&b.sessions)
}

/// The sessions table of these sessions.
///
/// # Errors
/// [`ParquetError`] when a column disagrees with its declaration (not expected).
pub fn table_of(sessions: &[BlockSession]) -> Result<Table, ParquetError> {
    let mut t = TableBuilder::default();
    identity_columns(&mut t, sessions);
    load_columns(&mut t, sessions);
    form_and_risk_columns(&mut t, sessions);
    t.finish(SCHEMA)
}

/// The schema with no rows: its documented columns (the README's table).
///
/// # Errors
/// None expected: an empty table always matches its declaration.
pub fn schema_doc() -> Result<Table, ParquetError> {
    table_of(&[])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_count_days_from_1970() {
        let d = |y, m, dd| NaiveDate::from_ymd_opt(y, m, dd).unwrap();
        assert_eq!(days_since_epoch(d(1970, 1, 1)), Some(0));
        assert_eq!(days_since_epoch(d(1969, 12, 31)), Some(-1));
        assert_eq!(days_since_epoch(d(2000, 3, 1)), Some(11_017));
    }
}
