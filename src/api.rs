//! The library's one-call API, for embedders and the Python package (`bindings/python`):
//! the command line's own argument parsing and validation ([`crate::cli`],
//! [`crate::config`]), its stages, and the session or block JSON as text, so every option,
//! default and error message is the command line's. Nothing is printed and no file is
//! written unless an option asks for it.

use crate::cli::{Args, Command};
use crate::config::{AnalyzeConfig, BlockConfig};
use crate::pipeline::{self, AnalyzeError, Detail};
use crate::session::SessionDoc;
use crate::wear::{self, Outcome, WearResult, doc::WearDoc};
use clap::Parser as _;
use thiserror::Error;

/// Why a call failed: the same message the command line prints.
#[derive(Debug, Error)]
pub enum ApiError {
    /// Bad options (the command line's exit code 2).
    #[error("{0}")]
    Usage(String),
    /// An input that could not be analysed (exit code 1).
    #[error("{0}")]
    Input(String),
}

/// Parse `gaitguard <command> <args…>` as the command line does.
fn parse(command: &str, args: &[String]) -> Result<Command, ApiError> {
    let argv = ["gaitguard", command]
        .into_iter()
        .map(String::from)
        .chain(args.iter().cloned());
    Args::try_parse_from(argv)
        .map(|a| a.command)
        .map_err(|e| ApiError::Usage(e.to_string().trim().to_string()))
}

/// What `gaitguard analyze` makes of one file, through the risk stage.
#[derive(Debug)]
pub enum Assessed {
    /// One session: its document (with overstriding and risk) and the detail behind it.
    Session {
        /// The `gaitguard.session/1` document.
        doc: Box<SessionDoc>,
        /// The recording or raw analysis behind it.
        detail: Detail,
    },
    /// A long raw recording of free-living wear ([`crate::wear`]).
    Wear {
        /// The `gaitguard.wear/1` document, each run's session assessed.
        doc: Box<WearDoc>,
        /// The analysis behind it (each run's steps and recording).
        result: Box<WearResult>,
    },
}

/// Analyse one file as `gaitguard analyze` does, through the risk stage: a session document
/// with its overstriding and risk assessment (judged on the machine's today for dated rules
/// such as a recent shoe change), or, for free-living wear, the wear document with every
/// run's session assessed.
///
/// # Errors
/// As [`pipeline::analyze_file`].
pub fn analyze_outcome(cfg: &AnalyzeConfig) -> Result<Assessed, AnalyzeError> {
    let opts = pipeline::SessionOptions {
        ingest: cfg.ingest.clone(),
        placement: cfg.raw.placement,
        speed_mps: cfg.raw.speed_mps,
    };
    match wear::analyze_path(&cfg.input, &opts, cfg.raw.wear)? {
        Outcome::Session(a) => {
            let a = *a;
            Ok(Assessed::Session {
                doc: Box::new(assess(a.doc, cfg)),
                detail: a.detail,
            })
        }
        Outcome::Wear(w) => {
            let sessions = w
                .runs
                .iter()
                .map(|r| assess(r.analysed.doc.clone(), cfg))
                .collect();
            Ok(Assessed::Wear {
                doc: Box::new(WearDoc::new(&w, sessions)),
                result: w,
            })
        }
    }
}

/// A session document with its overstriding and calf-strain risk.
fn assess(doc: SessionDoc, cfg: &AnalyzeConfig) -> SessionDoc {
    let input = pipeline::risk_input(
        &doc,
        doc.start_unix_s(),
        doc.utc_offset_s,
        cfg.raw.speed_mps,
    );
    let today = chrono::Local::now().date_naive();
    let assessment = crate::risk::assess(&input, &cfg.profile, &cfg.risk, today);
    doc.with_assessment(assessment)
}

fn analyze_config(args: &[String]) -> Result<AnalyzeConfig, ApiError> {
    match parse("analyze", args)? {
        Command::Analyze(a) => {
            AnalyzeConfig::from_args(&a).map_err(|e| ApiError::Usage(e.to_string()))
        }
        _ => Err(ApiError::Usage("not an analyze command".into())),
    }
}

/// `gaitguard analyze <args…>`: the session document (`gaitguard.session/1`) as JSON text.
///
/// # Errors
/// [`ApiError::Usage`] for bad arguments, [`ApiError::Input`] for a file that cannot be
/// analysed.
pub fn analyze_json(args: &[String]) -> Result<String, ApiError> {
    let cfg = analyze_config(args)?;
    let json = match analyze_outcome(&cfg).map_err(|e| ApiError::Input(e.to_string()))? {
        Assessed::Session { doc, .. } => doc.to_json(),
        Assessed::Wear { doc, .. } => doc.to_json(),
    };
    json.map_err(|e| ApiError::Input(e.to_string()))
}

/// The per-step table of a raw sensor file as Parquet bytes (`gaitguard.steps/1`, as
/// `analyze --steps FILE.parquet` writes it).
///
/// # Errors
/// As [`steps_csv`].
pub fn steps_parquet(args: &[String]) -> Result<Vec<u8>, ApiError> {
    let cfg = analyze_config(args)?;
    let outcome = analyze_outcome(&cfg).map_err(|e| ApiError::Input(e.to_string()))?;
    let input = cfg.input.display().to_string();
    let bytes = match outcome {
        Assessed::Session {
            detail: Detail::Raw(a),
            ..
        } => crate::report::columnar::steps::parquet(&a, &input),
        Assessed::Wear { result, .. } => {
            crate::report::columnar::steps::wear_parquet(&result, &input)
        }
        Assessed::Session { .. } => return Err(not_raw(&cfg)),
    };
    bytes.map_err(|e| ApiError::Input(e.to_string()))
}

/// The error for per-step detail asked of a per-record file.
fn not_raw(cfg: &AnalyzeConfig) -> ApiError {
    ApiError::Usage(format!(
        "{}: per-step detail comes from a raw accelerometer file; this is a per-record watch/app export",
        cfg.input.display()
    ))
}

/// The per-step table of a raw sensor file (`analyze --steps`) as CSV text.
///
/// # Errors
/// As [`analyze_json`]; [`ApiError::Usage`] when the file is not a raw sensor file.
pub fn steps_csv(args: &[String]) -> Result<String, ApiError> {
    let cfg = analyze_config(args)?;
    match analyze_outcome(&cfg).map_err(|e| ApiError::Input(e.to_string()))? {
        Assessed::Session {
            detail: Detail::Raw(a),
            ..
        } => Ok(crate::report::steps_csv::render(&a.steps)),
        Assessed::Wear { result, .. } => Ok(crate::report::steps_csv::render_wear(&result)),
        Assessed::Session { .. } => Err(not_raw(&cfg)),
    }
}

/// `gaitguard block <args…>`: the block document (`gaitguard.block/1`) as JSON text. A file
/// that cannot be analysed is listed in `failures`, as on the command line.
///
/// # Errors
/// [`ApiError::Usage`] for bad arguments; [`ApiError::Input`] when no input holds anything
/// to analyse.
pub fn block_json(args: &[String]) -> Result<String, ApiError> {
    let cfg = match parse("block", args)? {
        Command::Block(a) => {
            BlockConfig::from_args(&a).map_err(|e| ApiError::Usage(e.to_string()))?
        }
        _ => return Err(ApiError::Usage("not a block command".into())),
    };
    let found = crate::block::discover::discover(&cfg.inputs);
    if found.files.is_empty()
        && found.unreadable.is_empty()
        && found.health.is_empty()
        && found.logs.is_empty()
    {
        return Err(ApiError::Input(
            "no activity files or training logs found".into(),
        ));
    }
    let b = crate::block::analyze_block(found, &cfg.options, &|| {});
    crate::report::block::to_json(&b).map_err(|e| ApiError::Input(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usage_errors_and_input_errors_are_told_apart() {
        let bad = analyze_json(&["x.fit".into(), "--speed-mps".into(), "fast".into()]);
        assert!(matches!(bad, Err(ApiError::Usage(m)) if m.contains("--speed-mps")));
        let missing = analyze_json(&["/nonexistent/run.fit".into()]);
        assert!(matches!(missing, Err(ApiError::Input(m)) if m.contains("/nonexistent/run.fit")));
    }
}
