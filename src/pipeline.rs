//! One file through stages 1–4 and 6: ingest → (signal → gait for raw sensors) → metrics →
//! a [`SessionDoc`] without the risk stage (5). `analyze` adds the risk stage and prints; `block`
//! runs this on many files in parallel and keeps only the documents.

use crate::error::{ConfigError, IngestError, MetricsError, SignalError};
use crate::gait::{self, RawAnalysis};
use crate::ingest::{self, IngestOptions};
use crate::metrics;
use crate::recording::{Placement, Recording};
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
        ingest::Input::Records(rec) => {
            let m = metrics::summarize(&rec)?;
            Ok(Analysed {
                doc: SessionDoc::new(&rec, &m),
                detail: Detail::Records(Box::new(rec)),
            })
        }
        ingest::Input::Raw(sig) => {
            let settings = gait::Settings {
                placement: opts.placement,
                speed_mps: opts.speed_mps,
            };
            let a = gait::analyze_owned(sig, &settings).map_err(|e| SignalError::Unanalysable {
                path: path.to_path_buf(),
                reason: e.to_string(),
            })?;
            let m = metrics::summarize(&a.recording)?;
            Ok(Analysed {
                doc: SessionDoc::new_raw(&a.recording, &m, &a.report),
                detail: Detail::Raw(Box::new(a)),
            })
        }
    }
}
