//! The one place with `anyhow` and exit codes: arguments → validated config → stages →
//! outputs. Exit 0 on success, 1 when an input could not be analysed, 2 for usage errors
//! (bad options, unwritable output).

use crate::cli::{Args, Command};
use crate::config::{AnalyzeConfig, JsonTarget, SimulateConfig};
use crate::error::{ConfigError, OutputError, SignalError};
use crate::report::json::SessionDoc;
use crate::report::{terminal, write};
use crate::{gait, ingest, metrics, report, risk, simulate};
use std::io::Write as _;
use std::process::ExitCode;

/// Exit code for inputs that could not be analysed.
pub const EXIT_INPUT: u8 = 1;
/// Exit code for usage errors.
pub const EXIT_USAGE: u8 = 2;

/// Run a parsed command line.
pub fn run(args: Args) -> ExitCode {
    match dispatch(args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("gaitguard: error: {e:#}");
            let usage = e.downcast_ref::<ConfigError>().is_some()
                || e.downcast_ref::<OutputError>().is_some();
            ExitCode::from(if usage { EXIT_USAGE } else { EXIT_INPUT })
        }
    }
}

fn dispatch(args: Args) -> anyhow::Result<()> {
    match args.command {
        Command::Analyze(a) => analyze(&AnalyzeConfig::from_args(&a)?),
        Command::Simulate(a) => {
            let cfg = SimulateConfig::from_args(&a)?;
            if cfg.raw {
                let sim = simulate::raw::simulate_raw(&simulate::raw::sample_config(cfg.seed));
                write::write_atomic(&cfg.out, simulate::raw::raw_csv(&sim).as_bytes())?;
                eprintln!(
                    "wrote {} ({} samples at 100 Hz, {} running steps)",
                    cfg.out.display(),
                    sim.time_s.len(),
                    sim.steps.len()
                );
                return Ok(());
            }
            let run = simulate::simulate_run(cfg.duration_s, cfg.seed);
            let bytes = if cfg.fit {
                simulate::fit_writer::fit_bytes(&run)
            } else {
                simulate::records_csv(&run).into_bytes()
            };
            write::write_atomic(&cfg.out, &bytes)?;
            eprintln!(
                "wrote {} ({} records, {:.1} km simulated)",
                cfg.out.display(),
                run.records.len(),
                run.records
                    .last()
                    .map(|r| r.distance_m / 1000.0)
                    .unwrap_or(0.0)
            );
            Ok(())
        }
    }
}

fn analyze(cfg: &AnalyzeConfig) -> anyhow::Result<()> {
    // The recording and event trace are kept only for the PNG report.
    let mut kept: Option<(crate::recording::Recording, Option<gait::EventTrace>)> = None;
    let doc = match ingest::read_input(&cfg.input, &cfg.ingest)? {
        ingest::Input::Records(rec) => {
            if cfg.raw.steps_csv.is_some() {
                return Err(ConfigError::Invalid {
                    option: "--steps",
                    value: cfg.input.display().to_string(),
                    expected: "a raw accelerometer file (per-step detail comes from the signal; this is a per-record watch/app export)".into(),
                }
                .into());
            }
            let m = metrics::summarize(&rec)?;
            let doc = SessionDoc::new(&rec, &m);
            if cfg.report.is_some() {
                kept = Some((rec, None));
            }
            doc
        }
        ingest::Input::Raw(sig) => {
            let settings = gait::Settings {
                placement: cfg.raw.placement,
                speed_mps: cfg.raw.speed_mps,
            };
            let a = gait::analyze_owned(sig, &settings).map_err(|e| SignalError::Unanalysable {
                path: cfg.input.clone(),
                reason: e.to_string(),
            })?;
            let m = metrics::summarize(&a.recording)?;
            if let Some(p) = &cfg.raw.steps_csv {
                write::write_atomic(p, report::steps_csv::render(&a.steps).as_bytes())?;
            }
            let doc = SessionDoc::new_raw(&a.recording, &m, &a.report);
            if cfg.report.is_some() {
                kept = Some((a.recording, a.trace));
            }
            doc
        }
    };
    // Stage 3: overstriding and calf-strain risk.
    let mut input =
        risk::RiskInput::from_summary(&doc.summary, doc.start_unix_s(), doc.utc_offset_s);
    if input.speed_mps.is_none() {
        input.speed_mps = cfg.raw.speed_mps;
    }
    let doc = doc.with_assessment(risk::assess(&input, &cfg.profile, &cfg.risk));
    if let Some(target) = &cfg.json {
        let text = doc.to_json().map_err(OutputError::from)?;
        match target {
            JsonTarget::Stdout => {
                let mut out = std::io::stdout().lock();
                out.write_all(text.as_bytes())?;
                out.flush()?;
            }
            JsonTarget::File(p) => write::write_atomic(p, text.as_bytes())?,
        }
    }
    if cfg.print_summary {
        let mut out = std::io::stdout().lock();
        out.write_all(terminal::render_with(&doc, cfg.explain).as_bytes())?;
        out.flush()?;
    }
    if let (Some(path), Some((rec, trace))) = (&cfg.report, &kept) {
        let mut input = report::png::SessionInput::new(&doc, rec);
        input.trace = trace.as_ref();
        input.risk_levels = (cfg.risk.moderate_at, cfg.risk.high_at);
        report::png::write_session_report(path, &input)?;
        if cfg.print_summary {
            eprintln!("wrote {}", path.display());
        }
    }
    Ok(())
}
