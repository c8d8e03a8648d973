//! Training logs in a block: every row a summary session ([`crate::ingest::log`]).
//!
//! A row becomes a session document with its totals only ([`SessionDoc::from_log`]): it
//! counts in the load, the weekly change, spikes and the ratios like a file's run, never in
//! form trends (it has no running dynamics). Rows that are not runs are listed as skipped
//! with their type; rows that cannot be read are failures naming the line. A Strava export's
//! `activities.csv` contributes only its manual entries (the rows with a file are that
//! file's sessions). A row and a per-second file of the same run count once (module
//! [`super`], step 3).

use super::discover::Skipped;
use super::{Analysed, Failure};
use crate::ingest::log::{Log, LogEntry, read_log};
use crate::session::SessionDoc;
use std::path::{Path, PathBuf};

/// What the logs of a block gave.
#[derive(Default)]
pub(super) struct LogOutcome {
    pub analysed: Vec<Analysed>,
    pub failures: Vec<Failure>,
    pub skipped: Vec<Skipped>,
}

/// Read every log (a file, or `activities.csv` inside a Strava export zip) into sessions.
pub(super) fn analyze_logs(logs: &[PathBuf], done: &(dyn Fn() + Sync)) -> LogOutcome {
    let mut out = LogOutcome::default();
    for path in logs {
        let read = read_text(path).and_then(|text| read_log(path, &text));
        done();
        match read {
            Ok(log) => add_log(&mut out, path, &log),
            Err(e) => out.failures.push(Failure {
                file: path.display().to_string(),
                error: e.reason(),
            }),
        }
    }
    out
}

/// The dialect hint for reading a log's bytes.
const CSV: Option<crate::ingest::Dialect> = Some(crate::ingest::Dialect::RecordsCsv);

/// The log's text: a file, or an entry of an archive (a virtual path).
fn read_text(path: &Path) -> Result<String, crate::error::IngestError> {
    let bytes = match crate::ingest::archive::locate(path) {
        // A log is CSV text: the hint skips format detection (which refuses logs, as
        // `analyze` must) and applies the text budget.
        Some((zip, rest)) => crate::ingest::archive::read_entry(&zip, &rest, path, CSV)?,
        None => crate::ingest::read_bounded(path, CSV)?,
    };
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// One log's rows into `out`.
fn add_log(out: &mut LogOutcome, path: &Path, log: &Log) {
    let strava_export = crate::ingest::archive::locate(path).is_some();
    for e in &log.entries {
        if strava_export && e.file.is_some() {
            continue;
        }
        let row = row_path(path, e);
        if !e.is_run() {
            out.skipped.push(Skipped {
                file: row.display().to_string(),
                reason: format!("a {} on {}: not a run", e.kind, e.date),
            });
            continue;
        }
        let doc = SessionDoc::from_log(&row.display().to_string(), log.format.name(), e);
        out.analysed.push(Analysed {
            path: row,
            doc,
            mtime_s: None,
            log_date: Some(e.date),
            log_start: e.start_s.map(|t| (t, e.utc)),
            steps: None,
        });
    }
    for (line, reason) in &log.problems {
        out.failures.push(Failure {
            file: format!("{} (line {line})", path.display()),
            error: reason.clone(),
        });
    }
}

/// A row's name in lists: `log.csv/line-12`.
fn row_path(path: &Path, e: &LogEntry) -> PathBuf {
    path.join(format!("line-{}", e.line))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_become_sessions_others_are_skipped_and_bad_rows_fail() {
        let text = "date,distance_km,duration_min,rpe,type\n2026-11-02,10,50,6,run\n2026-11-03,30,60,,ride\nbad,1,1,,\n";
        let log = read_log(Path::new("log.csv"), text).unwrap();
        let mut out = LogOutcome::default();
        add_log(&mut out, Path::new("log.csv"), &log);
        assert_eq!(out.analysed.len(), 1);
        let a = &out.analysed[0];
        assert_eq!(a.path, Path::new("log.csv/line-2"));
        assert_eq!(a.doc.summary.running_time_s, 3000.0);
        assert_eq!(a.doc.summary.distance_m, Some(10_000.0));
        assert_eq!(a.doc.rpe, Some(6.0));
        assert_eq!(out.skipped.len(), 1);
        assert!(out.skipped[0].reason.contains("ride"));
        assert_eq!(out.failures.len(), 1);
        assert!(out.failures[0].file.ends_with("(line 4)"));
    }
}
