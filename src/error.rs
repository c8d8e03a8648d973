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

/// Errors of the raw-signal engine.
#[derive(Debug, Error)]
pub enum SignalError {
    /// The signal could not be analysed.
    #[error("{}: {}", path.display(), self.reason())]
    Unanalysable {
        /// Input path.
        path: PathBuf,
        /// Why.
        reason: String,
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
            SignalError::Unanalysable { reason, .. } => reason.clone(),
        }
    }
}
