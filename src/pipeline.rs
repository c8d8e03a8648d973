//! One file through stages 1–4 and 6: ingest → (signal → gait for raw sensors) → metrics →
//! a [`SessionDoc`] without the risk stage (5). `analyze` adds the risk stage and prints; `block`
//! runs this on many files in parallel and keeps only the documents.

use crate::error::{ConfigError, IngestError, MetricsError, SignalError};
use crate::gait::{self, RawAnalysis};
use crate::ingest::{self, IngestOptions};
use crate::metrics;
use crate::recording::{Placement, RawSignal, Recording};
use crate::risk::RiskInput;
use crate::session::SessionDoc;
use std::path::Path;
use thiserror::Error;

/// Settings for one file.
#[derive(Debug, Clone, Default)]
pub struct SessionOptions {
    /// Dialect and column overrides.
    pub ingest: IngestOptions,
    /// Forced sensor placement for raw files.
    pub placement: Option<Placement>,
    /// Running speed, m/s, for raw files without a speed column.
    pub speed_mps: Option<f64>,
}

/// What could go wrong with one file.
#[derive(Debug, Error)]
pub enum AnalyzeError {
    /// The file could not be read.
    #[error(transparent)]
    Ingest(#[from] IngestError),
    /// The signal could not be analysed.
    #[error(transparent)]
    Signal(#[from] SignalError),
    /// Nothing to summarise.
    #[error(transparent)]
    Metrics(#[from] MetricsError),
    /// A request that does not fit this file.
    #[error(transparent)]
    Config(#[from] ConfigError),
}

impl AnalyzeError {
    /// What went wrong, without the input file's path: for lists that show the path beside
    /// it (`block`'s failures). A configuration error names its own file, if any.
    pub fn reason(&self) -> String {
        match self {
            AnalyzeError::Ingest(e) => e.reason(),
            AnalyzeError::Signal(e) => e.reason(),
            AnalyzeError::Metrics(e) => e.reason(),
            AnalyzeError::Config(e) => e.to_string(),
        }
    }
}

/// The data behind a session document, for outputs that need more than the summary.
#[derive(Debug)]
pub enum Detail {
    /// A per-record watch or app export.
    Records(Box<Recording>),
    /// A raw sensor file: per-step recording, steps and the engine's report.
    Raw(Box<RawAnalysis>),
}

/// One analysed file.
#[derive(Debug)]
pub struct Analysed {
    /// The session document (no `risk`/`overstriding` yet).
    pub doc: SessionDoc,
    /// The recording it summarises.
    pub detail: Detail,
}

/// Analyse one file.
///
/// # Errors
/// [`AnalyzeError`] naming the file: unreadable or unrecognised input, a signal that cannot be
/// analysed, or no running or walking to summarise.
pub fn analyze_file(path: &Path, opts: &SessionOptions) -> Result<Analysed, AnalyzeError> {
    match ingest::read_input(path, &opts.ingest)? {
        ingest::Input::Records(rec) => analyze_records(rec),
        ingest::Input::Raw(sig) => analyze_signal(sig, opts),
    }
}

/// Analyse a raw signal already read (stages 2–4 and 6): the gait engine, then the metrics
/// with the signal's own duration and the engine's bouts as running and walking time.
///
/// # Errors
/// [`AnalyzeError::Signal`] naming the file when the engine cannot analyse the signal,
/// [`AnalyzeError::Metrics`] when nothing can be summarised.
pub fn analyze_signal(sig: RawSignal, opts: &SessionOptions) -> Result<Analysed, AnalyzeError> {
    let settings = gait::Settings {
        placement: opts.placement,
        speed_mps: opts.speed_mps,
    };
    let duration_s = signal_duration_s(&sig);
    let rejected_start_unix_s = sig.rejected_start_unix_s;
    let path = sig.path.clone();
    let mut a = gait::analyze_owned(sig, &settings)
        .map_err(|e| SignalError::Unanalysable { path, reason: e })?;
    a.recording.rejected_start_unix_s = rejected_start_unix_s;
    let mut m = metrics::summarize(&a.recording)?;
    let bouts: Vec<_> = a
        .report
        .bouts
        .iter()
        .map(|b| (b.activity, b.start_s, b.end_s))
        .collect();
    metrics::activity::use_signal_times(&mut m, duration_s, &bouts);
    m.apply_confidence(&a.report.confidence);
    Ok(Analysed {
        doc: SessionDoc::new_raw(&a.recording, &m, &a.report),
        detail: Detail::Raw(Box::new(a)),
    })
}

/// A raw signal's length, s: its first to its last finite time plus one median sample
/// interval (each sample stands for the interval after it).
fn signal_duration_s(sig: &RawSignal) -> f64 {
    let finite = || sig.time_s.iter().copied().filter(|t| t.is_finite());
    let (Some(lo), Some(hi)) = (
        finite().min_by(f64::total_cmp),
        finite().max_by(f64::total_cmp),
    ) else {
        return 0.0;
    };
    let mut dts: Vec<f64> = sig
        .time_s
        .windows(2)
        .map(|w| w[1] - w[0])
        .filter(|d| *d > 0.0)
        .collect();
    hi - lo + crate::stats::median(&mut dts).unwrap_or(0.0)
}

/// Analyse a per-record recording already read (stages 4 and 6).
///
/// # Errors
/// [`AnalyzeError::Metrics`] when nothing can be summarised.
pub fn analyze_records(rec: Recording) -> Result<Analysed, AnalyzeError> {
    let m = metrics::summarize(&rec)?;
    Ok(Analysed {
        doc: SessionDoc::new(&rec, &m),
        detail: Detail::Records(Box::new(rec)),
    })
}

/// The risk stage's input for a session document placed at `start_unix_s` with local offset
/// `utc_offset_s`: its medians and drifts ([`RiskInput::from_summary`], which also decides
/// whether the session is running), with the `--speed-mps` override `speed_mps` filled in
/// when the session is running and the file has no speed of its own. Shared by `analyze`
/// and `block`.
pub fn risk_input(
    doc: &SessionDoc,
    start_unix_s: Option<f64>,
    utc_offset_s: Option<i64>,
    speed_mps: Option<f64>,
) -> RiskInput {
    let mut input = RiskInput::from_summary(&doc.summary, start_unix_s, utc_offset_s);
    input.sources = crate::risk::sensors::sources(
        doc.raw.as_ref().map(|r| r.placement.placement),
        doc.placement,
        &doc.summary,
    );
    if input.speed_mps.is_none() && input.not_running.is_none() {
        input.speed_mps = speed_mps;
    }
    input
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_error_names_its_file_once_and_its_reason_alone() {
        let e = AnalyzeError::from(IngestError::Csv {
            path: "runs/a.csv".into(),
            line: 12,
            column: Some("speed".into()),
            reason: "expected a number, found 'x'".into(),
        });
        assert_eq!(
            e.reason(),
            "line 12, column 'speed': expected a number, found 'x'"
        );
        assert_eq!(
            e.to_string(),
            "runs/a.csv: line 12, column 'speed': expected a number, found 'x'"
        );
        let e = AnalyzeError::from(MetricsError::NoFootSession {
            path: "b.fit".into(),
            sports: vec!["cycling".into(), "swimming".into()],
        });
        assert_eq!(
            e.reason(),
            "no running or walking session to analyse (sessions: cycling, swimming)"
        );
    }
}
