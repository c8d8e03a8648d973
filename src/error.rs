//! Typed errors, one enum per stage. Every error that comes from a user's file names the file
//! and, where it applies, the line, byte offset or field, and what was expected.

use std::path::{Path, PathBuf};
use thiserror::Error;

/// Errors while reading an input file.
#[derive(Debug, Error)]
pub enum IngestError {
    /// The file could not be opened or read.
    #[error("{}: {}", path.display(), self.reason())]
    Io {
        /// Input path.
        path: PathBuf,
        /// OS error.
        source: std::io::Error,
    },
    /// The path is a directory (use `gaitguard block` for folders).
    #[error("{}: {}", path.display(), self.reason())]
    IsDirectory {
        /// Input path.
        path: PathBuf,
    },
    /// The file has no bytes.
    #[error("{}: {}", path.display(), self.reason())]
    Empty {
        /// Input path.
        path: PathBuf,
    },
    /// The content matched no known dialect.
    #[error("{}: {}", path.display(), self.reason())]
    UnknownFormat {
        /// Input path.
        path: PathBuf,
        /// What was seen and what was expected.
        reason: String,
    },
    /// A FIT file is malformed at a byte offset.
    #[error("{}: {}", path.display(), self.reason())]
    Fit {
        /// Input path.
        path: PathBuf,
        /// Byte offset from the start of the file.
        offset: usize,
        /// What was wrong.
        reason: String,
    },
    /// A CSV file is malformed at a line (1-based), optionally in a named column.
    #[error("{}: {}", path.display(), self.reason())]
    Csv {
        /// Input path.
        path: PathBuf,
        /// 1-based line number.
        line: u64,
        /// Column name, when the problem is in one field.
        column: Option<String>,
        /// What was wrong and what was expected.
        reason: String,
    },
    /// The input is larger than gaitguard reads for its format (or never ends).
    #[error("{}: {}", path.display(), self.reason())]
    TooLarge {
        /// Input path.
        path: PathBuf,
        /// What kind of input (`FIT file`, `text file`).
        kind: &'static str,
        /// The budget, bytes.
        limit_bytes: u64,
        /// The size, when the file system knows it (a pipe or device does not).
        size_bytes: Option<u64>,
    },
    /// An XML document (TCX, GPX) is malformed, or a value in it is not what was expected.
    #[error("{}: {}", path.display(), self.reason())]
    Xml {
        /// Input path.
        path: PathBuf,
        /// 1-based line number.
        line: u64,
        /// What was wrong and what was expected.
        reason: String,
    },
    /// A compressed file or an archive (gzip, zip) is refused: cut short, a compression
    /// bomb, an entry escaping the archive, encrypted, nested too deep. `path` names the
    /// archive and, for an entry, the entry (`export.zip/activities/1.gpx`).
    #[error("{}: {}", path.display(), self.reason())]
    Archive {
        /// Archive path, or archive path joined with the entry name.
        path: PathBuf,
        /// What was wrong.
        reason: String,
    },
    /// A native sensor file (Axivity CWA, ActiGraph GT3X, GENEActiv) is malformed at a byte
    /// offset; the reason names the block, record or page.
    #[error("{}: {}", path.display(), self.reason())]
    Sensor {
        /// Input path.
        path: PathBuf,
        /// Byte offset from the start of the file (of the zip member for GT3X).
        offset: u64,
        /// What was wrong, naming the block, record or page.
        reason: String,
    },
    /// A time the file states is outside what a recording can plausibly hold (a session
    /// longer than 48 hours, a sample rate no sensor records at).
    #[error("{}: {}", path.display(), self.reason())]
    ImplausibleTime {
        /// Input path.
        path: PathBuf,
        /// The field or quantity (`record times`, `sample rate`).
        field: String,
        /// What the file says.
        found: String,
        /// What a recording can hold.
        expected: String,
    },
    /// The file decoded but holds nothing to analyse.
    #[error("{}: {}", path.display(), self.reason())]
    NoData {
        /// Input path.
        path: PathBuf,
        /// What is missing.
        reason: String,
    },
}

impl IngestError {
    /// The input file.
    pub fn path(&self) -> &Path {
        match self {
            IngestError::Io { path, .. }
            | IngestError::IsDirectory { path }
            | IngestError::Empty { path }
            | IngestError::UnknownFormat { path, .. }
            | IngestError::Fit { path, .. }
            | IngestError::Csv { path, .. }
            | IngestError::TooLarge { path, .. }
            | IngestError::Xml { path, .. }
            | IngestError::Archive { path, .. }
            | IngestError::Sensor { path, .. }
            | IngestError::ImplausibleTime { path, .. }
            | IngestError::NoData { path, .. } => path,
        }
    }

    /// What went wrong, without the path (the message is `{path}: {reason}`).
    pub fn reason(&self) -> String {
        match self {
            IngestError::Io { source, .. } => format!("cannot read: {source}"),
            IngestError::IsDirectory { .. } => {
                "is a directory, expected a file (use `gaitguard block` for folders)".into()
            }
            IngestError::Empty { .. } => "the file is empty".into(),
            IngestError::UnknownFormat { reason, .. } => format!("unrecognised format: {reason}"),
            IngestError::Fit { offset, reason, .. } => {
                format!("corrupt FIT file at byte {offset}: {reason}")
            }
            IngestError::Csv {
                line,
                column,
                reason,
                ..
            } => format!(
                "line {line}{}: {reason}",
                column
                    .as_ref()
                    .map(|c| format!(", column '{c}'"))
                    .unwrap_or_default()
            ),
            IngestError::TooLarge {
                kind,
                limit_bytes,
                size_bytes,
                ..
            } => format!(
                "{} a {kind} gaitguard reads ({} MiB at most{})",
                match size_bytes {
                    Some(s) => format!("{} MiB is larger than", s >> 20),
                    None => "this input does not end within".to_string(),
                },
                limit_bytes >> 20,
                if *kind == "FIT file" {
                    "; a day of 1-second records is about 5 MiB"
                } else {
                    "; split it, the raw engine holds a recording in memory"
                }
            ),
            IngestError::Xml { line, reason, .. } => format!("line {line}: {reason}"),
            IngestError::Archive { reason, .. } => reason.clone(),
            IngestError::Sensor { offset, reason, .. } => {
                format!("corrupt sensor file at byte {offset}: {reason}")
            }
            IngestError::ImplausibleTime {
                field,
                found,
                expected,
                ..
            } => format!("implausible {field}: {found}; expected {expected}"),
            IngestError::NoData { reason, .. } => reason.clone(),
        }
    }
}

/// Errors while writing outputs.
#[derive(Debug, Error)]
pub enum OutputError {
    /// Writing or renaming failed.
    #[error("{path}: cannot write: {source}")]
    Io {
        /// Output path.
        path: PathBuf,
        /// OS error.
        source: std::io::Error,
    },
    /// Serialisation failed.
    #[error("cannot serialise JSON: {0}")]
    Json(#[from] serde_json::Error),
    /// A PNG report could not be drawn or encoded.
    #[error("cannot draw the PNG report: {0}")]
    Render(String),
}

/// Errors in user-supplied options (usage errors, exit code 2).
#[derive(Debug, Error)]
pub enum ConfigError {
    /// An option's value is invalid.
    #[error("invalid value for {option}: '{value}': {expected}")]
    Invalid {
        /// The option, as the user typed it (`--map`).
        option: &'static str,
        /// The value given.
        value: String,
        /// What was expected.
        expected: String,
    },
    /// A configuration file (`--profile`, `--risk-config`) could not be read or has a bad key.
    #[error("{}: {}{reason}", path.display(), key.as_deref().map(|k| format!("key `{k}`: ")).unwrap_or_default())]
    File {
        /// The file.
        path: std::path::PathBuf,
        /// The offending key (dotted, `shoe.drop_mm`), when one is to blame.
        key: Option<String>,
        /// What is wrong and what was expected.
        reason: String,
    },
}

/// Errors while summarising a recording.
#[derive(Debug, Error)]
pub enum MetricsError {
    /// The file declares sessions, none of them on foot.
    #[error("{}: {}", path.display(), self.reason())]
    NoFootSession {
        /// Input path.
        path: PathBuf,
        /// Sports the file declares.
        sports: Vec<String>,
    },
}

impl MetricsError {
    /// The input file.
    pub fn path(&self) -> &Path {
        match self {
            MetricsError::NoFootSession { path, .. } => path,
        }
    }

    /// What went wrong, without the path (the message is `{path}: {reason}`).
    pub fn reason(&self) -> String {
        match self {
            MetricsError::NoFootSession { sports, .. } => format!(
                "no running or walking session to analyse (sessions: {})",
                sports.join(", ")
            ),
        }
    }
}

/// Why a raw signal could not be preprocessed into uniform segments.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum PreprocessError {
    /// Fewer than 8 samples have a finite time and three finite, plausible acceleration values.
    #[error(
        "only {usable} of {total} samples have a finite time and three finite acceleration values"
    )]
    TooFewUsableSamples {
        /// Usable samples.
        usable: usize,
        /// Samples in the file.
        total: usize,
    },
    /// No time step between usable samples is positive.
    #[error("the time stamps never advance")]
    TimeNeverAdvances,
    /// `1 / median(Δt)` lies outside 0.5 Hz – 100 kHz (usually a wrong time unit).
    #[error(
        "the median time step is {median_step_s} s ({rate_hz:.3} Hz): expected a sampling rate from 0.5 Hz to 100 kHz (check the time unit, --time-unit)"
    )]
    RateOutOfRange {
        /// Median positive time step, s.
        median_step_s: f64,
        /// The rate it implies, Hz.
        rate_hz: f64,
    },
    /// Gaps leave no stretch long enough to analyse.
    #[error(
        "no stretch of at least {min_segment_s} s without a gap ({gaps} gaps split the recording)"
    )]
    NoLongSegment {
        /// Shortest segment analysed, s.
        min_segment_s: f64,
        /// Gaps that split the recording.
        gaps: usize,
    },
}

/// Errors of the gait engine (a raw signal → steps).
#[derive(Debug, Clone, PartialEq, Error)]
pub enum GaitError {
    /// Preprocessing failed.
    #[error(transparent)]
    Preprocess(#[from] PreprocessError),
    /// The rate is too low for any gait analysis.
    #[error(
        "sampled at {rate_hz:.1} Hz: gait analysis needs at least 20 Hz (steps are 2–4 Hz with harmonics)"
    )]
    RateTooLow {
        /// Sampling rate, Hz.
        rate_hz: f64,
    },
}

/// Errors of the raw-signal engine.
#[derive(Debug, Error)]
pub enum SignalError {
    /// The signal could not be analysed.
    ///
    /// The [`GaitError`] is printed inside this message rather than chained as its `source`:
    /// the CLI prints error chains with `{:#}` (each source appended after `": "`), so a
    /// chained source would print its text twice; block reports print the reason alone.
    #[error("{}: {}", path.display(), self.reason())]
    Unanalysable {
        /// Input path.
        path: PathBuf,
        /// Why.
        reason: GaitError,
    },
}

impl SignalError {
    /// The input file.
    pub fn path(&self) -> &Path {
        match self {
            SignalError::Unanalysable { path, .. } => path,
        }
    }

    /// What went wrong, without the path (the message is `{path}: {reason}`).
    pub fn reason(&self) -> String {
        match self {
            SignalError::Unanalysable { reason, .. } => reason.to_string(),
        }
    }
}
