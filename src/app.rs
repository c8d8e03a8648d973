//! The one place with `anyhow` and exit codes: arguments → validated config → stages →
//! outputs. Exit 0 on success, 1 when an input could not be analysed, 2 for usage errors
//! (bad options, unwritable output).

use crate::api::Assessed;
use crate::cli::{Args, Command};
use crate::config::{AnalyzeConfig, BlockConfig, JsonTarget, SimulateConfig};
use crate::error::{ConfigError, OutputError};
use crate::report::columnar::{self, TableFormat};
use crate::report::{terminal, write};
use crate::{pipeline, report, simulate};
use std::io::Write as _;
use std::path::Path;
use std::process::ExitCode;

/// Exit code for inputs that could not be analysed.
pub const EXIT_INPUT: u8 = 1;
/// Exit code for usage errors.
pub const EXIT_USAGE: u8 = 2;

/// Run a parsed command line.
pub fn run(args: Args) -> ExitCode {
    ExitCode::from(run_code(args))
}

/// Run the command line with `argv` (the program name first) and return its exit code: the
/// `gaitguard` command of the Python package.
pub fn run_cli(argv: &[String]) -> u8 {
    match <Args as clap::Parser>::try_parse_from(argv) {
        Ok(args) => run_code(args),
        Err(e) => {
            let _ = e.print();
            if e.use_stderr() { EXIT_USAGE } else { 0 }
        }
    }
}

/// Run a parsed command line and return its exit code (0, [`EXIT_INPUT`] or
/// [`EXIT_USAGE`]), for callers that need the number (the Python package's command).
pub fn run_code(args: Args) -> u8 {
    match dispatch(args) {
        Ok(()) => 0,
        // The reader went away (`gaitguard … | head`): a normal end, as in ripgrep.
        Err(e) if e.downcast_ref::<StdoutClosed>().is_some() => 0,
        Err(e) => {
            // `{e}`, not `{e:#}`: every error of the library already says its cause (the OS
            // reason, the line, the field) in its own message, so the chain would repeat it.
            eprintln!("gaitguard: error: {e}");
            let usage = e.downcast_ref::<ConfigError>().is_some()
                || e.downcast_ref::<OutputError>().is_some();
            if usage { EXIT_USAGE } else { EXIT_INPUT }
        }
    }
}

fn dispatch(args: Args) -> anyhow::Result<()> {
    match args.command {
        Command::Analyze(a) => analyze(&AnalyzeConfig::from_args(&a)?),
        Command::Block(a) => block(&BlockConfig::from_args(&a)?),
        Command::Simulate(a) => simulate(&SimulateConfig::from_args(&a)?),
    }
}

/// `simulate`: write the sample block (a folder of runs), the raw trunk-accelerometer
/// scenario (CSV), or one simulated run (FIT or per-record CSV).
fn simulate(cfg: &SimulateConfig) -> anyhow::Result<()> {
    if cfg.block {
        std::fs::create_dir_all(&cfg.out).map_err(|source| OutputError::Io {
            path: cfg.out.clone(),
            source,
        })?;
        let files = simulate::block::sample_block();
        for f in &files {
            write::write_atomic(&cfg.out.join(&f.name), &f.bytes)?;
        }
        eprintln!("wrote {} files into {}", files.len(), cfg.out.display());
        return Ok(());
    }
    if let Some(days) = cfg.apple_health_days {
        let plan = simulate::apple_health::HealthPlan::standard(days);
        let mut staged = write::Staged::default();
        staged.add_with(&cfg.out, |mut w| {
            simulate::apple_health::write_export(&mut w, &plan)
        })?;
        staged.commit()?;
        eprintln!(
            "wrote {} (an Apple Health export of {days} days, {} running workouts)",
            cfg.out.display(),
            plan.days.div_ceil(2)
        );
        return Ok(());
    }
    if let Some((days, placement)) = cfg.free_living {
        return free_living(cfg, days, placement);
    }
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
    let mut run = simulate::simulate_run(cfg.duration_s, cfg.seed);
    if let Some(t) = cfg.start_unix_s {
        run.start_unix_s = t;
    }
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

/// `simulate --free-living DAYS`: the `.cwa` recording streamed to a temporary file, and
/// its truth (`<out>.truth.json`), renamed into place together.
fn free_living(
    cfg: &SimulateConfig,
    days: u32,
    placement: simulate::free_living::WearPlacement,
) -> anyhow::Result<()> {
    use simulate::free_living::{DEFAULT_START_UNIX_S, FreeLiving, FreeLivingSpec, truth_json};
    let spec = FreeLivingSpec {
        days,
        placement,
        seed: cfg.seed,
        start_unix_s: cfg
            .start_unix_s
            .map_or(DEFAULT_START_UNIX_S, |t| t.floor() as i64),
        ..FreeLivingSpec::default()
    };
    let mut sim = FreeLiving::new(spec);
    let truth_path = cfg.out.with_extension("truth.json");
    let mut staged = write::Staged::default();
    let mut samples = 0;
    staged.add_with(&cfg.out, |w| {
        samples = simulate::cwa_writer::write_free_living(w, &mut sim)?;
        Ok(())
    })?;
    staged.add(&truth_path, truth_json(&spec, sim.truth()).as_bytes())?;
    staged.commit()?;
    let runs = sim
        .truth()
        .iter()
        .filter(|b| b.activity == simulate::free_living::TruthActivity::Running)
        .count();
    eprintln!(
        "wrote {} ({days} days of {} wear, {samples} samples at 100 Hz, {runs} runs) and {}",
        cfg.out.display(),
        placement.name(),
        truth_path.display()
    );
    Ok(())
}

fn analyze(cfg: &AnalyzeConfig) -> anyhow::Result<()> {
    // Stages 1-6: the session document with its overstriding and calf-strain risk, or, for
    // free-living wear, the wear document with every run's.
    match crate::api::analyze_outcome(cfg)? {
        Assessed::Session { doc, detail } => analyze_session(cfg, *doc, detail),
        Assessed::Wear { doc, result } => analyze_wear(cfg, &doc, &result),
    }
}

/// The outputs of free-living wear: the wear JSON, the steps of every run, the PNG page of
/// the longest run, the terminal summary.
fn analyze_wear(
    cfg: &AnalyzeConfig,
    doc: &crate::wear::doc::WearDoc,
    w: &crate::wear::WearResult,
) -> anyhow::Result<()> {
    let mut staged = write::Staged::default();
    if let Some(p) = &cfg.raw.steps {
        match TableFormat::of_path(p) {
            TableFormat::Csv => staged.add(p, report::steps_csv::render_wear(w).as_bytes())?,
            TableFormat::Parquet => {
                let input = cfg.input.display().to_string();
                let bytes =
                    columnar::steps::wear_parquet(w, &input).map_err(|e| parquet_error(p, e))?;
                staged.add(p, &bytes)?;
            }
        }
    }
    let json = match &cfg.json {
        Some(target) => Some((target, doc.to_json().map_err(OutputError::from)?)),
        None => None,
    };
    if let Some((JsonTarget::File(p), text)) = &json {
        staged.add(p, text.as_bytes())?;
    }
    let longest = report::wear::longest_run(doc, w);
    if let (Some(path), Some((session, run))) = (&cfg.report, longest) {
        if let pipeline::Detail::Raw(a) = &run.analysed.detail {
            let mut input = report::png::SessionInput::new(session, &a.recording);
            input.trace = a.trace.as_ref();
            input.risk_levels = (cfg.risk.moderate_at, cfg.risk.high_at);
            let (wd, h) = report::png::DEFAULT_SIZE;
            staged.add(path, &report::png::render_session_png(&input, wd, h)?.0)?;
        }
    }
    staged.commit()?;
    if let Some((JsonTarget::Stdout, text)) = &json {
        print_stdout(text)?;
    }
    if cfg.report.is_some() && longest.is_none() {
        eprintln!("no run was found in the recording: no PNG report written");
    }
    if cfg.print_summary {
        print_stdout(&report::wear::render(doc))?;
        if let (Some(path), Some(_)) = (&cfg.report, longest) {
            eprintln!("wrote {} (the longest run)", path.display());
        }
    }
    Ok(())
}

/// The outputs of one session.
fn analyze_session(
    cfg: &AnalyzeConfig,
    doc: crate::session::SessionDoc,
    detail: pipeline::Detail,
) -> anyhow::Result<()> {
    // Every output file is staged first and renamed into place only when all are written.
    let mut staged = write::Staged::default();
    match (&detail, &cfg.raw.steps) {
        (pipeline::Detail::Raw(a), Some(p)) => stage_steps(&mut staged, p, a, &cfg.input)?,
        (pipeline::Detail::Records(_), Some(_)) => {
            return Err(ConfigError::Invalid {
                option: "--steps",
                value: cfg.input.display().to_string(),
                expected: "a raw accelerometer file (per-step detail comes from the signal; this is a per-record watch/app export)".into(),
            }
            .into());
        }
        _ => {}
    }
    // The recording and event trace are kept only for the PNG report.
    let kept: Option<(crate::recording::Recording, Option<crate::gait::EventTrace>)> =
        match (cfg.report.is_some(), detail) {
            (false, _) => None,
            (true, pipeline::Detail::Records(rec)) => Some((*rec, None)),
            (true, pipeline::Detail::Raw(a)) => {
                let a = *a;
                Some((a.recording, a.trace))
            }
        };
    let json = match &cfg.json {
        Some(target) => Some((target, doc.to_json().map_err(OutputError::from)?)),
        None => None,
    };
    if let Some((JsonTarget::File(p), text)) = &json {
        staged.add(p, text.as_bytes())?;
    }
    if let (Some(path), Some((rec, trace))) = (&cfg.report, &kept) {
        let mut input = report::png::SessionInput::new(&doc, rec);
        input.trace = trace.as_ref();
        input.risk_levels = (cfg.risk.moderate_at, cfg.risk.high_at);
        let (w, h) = report::png::DEFAULT_SIZE;
        staged.add(path, &report::png::render_session_png(&input, w, h)?.0)?;
    }
    staged.commit()?;
    if let Some((JsonTarget::Stdout, text)) = &json {
        print_stdout(text)?;
    }
    if cfg.print_summary {
        print_stdout(&terminal::render_with(&doc, cfg.explain))?;
        if let Some(path) = &cfg.report {
            eprintln!("wrote {}", path.display());
        }
    }
    Ok(())
}

/// A table that could not be encoded as Parquet, as an error naming the output.
fn parquet_error(path: &Path, e: parquet::errors::ParquetError) -> OutputError {
    OutputError::Io {
        path: path.to_path_buf(),
        source: std::io::Error::other(e.to_string()),
    }
}

/// Stage the per-step table (`--steps`): Parquet for a `.parquet` path, CSV otherwise.
fn stage_steps(
    staged: &mut write::Staged,
    path: &Path,
    a: &crate::gait::RawAnalysis,
    input: &Path,
) -> anyhow::Result<()> {
    match TableFormat::of_path(path) {
        TableFormat::Csv => staged.add(path, report::steps_csv::render(&a.steps).as_bytes())?,
        TableFormat::Parquet => {
            let ctx = columnar::steps::StepsContext::of(&a.report, a.recording.start_unix_s);
            let input = input.display().to_string();
            let bytes = columnar::steps::table(&a.steps, &ctx)
                .and_then(|t| t.to_parquet(&[("gaitguard.file", &input)]))
                .map_err(|e| parquet_error(path, e))?;
            staged.add(path, &bytes)?;
        }
    }
    Ok(())
}

/// Stage the block's CSV text (`--csv`, `--sessions FILE.csv`).
fn block_csv(b: &crate::block::Block, path: &Path) -> Result<String, OutputError> {
    report::block::to_csv(b).map_err(|e| OutputError::Io {
        path: path.to_path_buf(),
        source: std::io::Error::other(e.to_string()),
    })
}

/// Stage the sessions table (`--sessions`): Parquet for a `.parquet` path, the CSV of
/// `--csv` otherwise (the configuration admits `.csv` only).
fn stage_sessions(
    staged: &mut write::Staged,
    path: &Path,
    b: &crate::block::Block,
) -> anyhow::Result<()> {
    match TableFormat::of_path(path) {
        TableFormat::Csv => staged.add(path, block_csv(b, path)?.as_bytes())?,
        TableFormat::Parquet => {
            let bytes = columnar::sessions::table(b)
                .and_then(|t| t.to_parquet(&[]))
                .map_err(|e| parquet_error(path, e))?;
            staged.add(path, &bytes)?;
        }
    }
    Ok(())
}

/// Stage text for a file, or keep it for standard output (returned).
fn stage_or_keep(
    staged: &mut write::Staged,
    target: &JsonTarget,
    text: String,
) -> anyhow::Result<Option<String>> {
    match target {
        JsonTarget::Stdout => Ok(Some(text)),
        JsonTarget::File(p) => {
            staged.add(p, text.as_bytes())?;
            Ok(None)
        }
    }
}

/// Standard output was closed by its reader (a broken pipe): [`run`] ends quietly with exit 0.
#[derive(Debug, thiserror::Error)]
#[error("standard output closed")]
struct StdoutClosed;

/// Write text to standard output and flush it. A broken pipe becomes [`StdoutClosed`] (a
/// normal end); any other write error goes up as it is.
fn print_stdout(text: &str) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Err(StdoutClosed.into()),
        Err(e) => Err(anyhow::anyhow!("cannot write to standard output: {e}")),
        Ok(()) => Ok(()),
    }
}

/// Error of a block in which some inputs failed (exit code 1 after all outputs are written).
#[derive(Debug, thiserror::Error)]
#[error("{failed} of {total} input file(s) could not be analysed (listed above)")]
struct SomeFailed {
    failed: usize,
    total: usize,
}

fn block(cfg: &BlockConfig) -> anyhow::Result<()> {
    use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
    use std::io::IsTerminal as _;
    let found = crate::block::discover::discover(&cfg.inputs);
    let total = found.files.len() + found.unreadable.len() + found.health.len() + found.logs.len();
    if total == 0 {
        anyhow::bail!(
            "no activity files or training logs found in {} ({} other file(s) skipped)",
            cfg.inputs
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", "),
            found.skipped.len()
        );
    }
    let bar = if cfg.progress && std::io::stderr().is_terminal() {
        ProgressBar::with_draw_target(
            Some((found.files.len() + found.health.len() + found.logs.len()) as u64),
            ProgressDrawTarget::stderr(),
        )
    } else {
        ProgressBar::hidden()
    };
    if let Ok(style) =
        ProgressStyle::with_template("{spinner} analysing {pos}/{len} files [{bar:30}] {eta}")
    {
        bar.set_style(style.progress_chars("=> "));
    }
    let b = crate::block::analyze_block(found, &cfg.options, &|| bar.inc(1));
    bar.finish_and_clear();
    for f in &b.failures {
        eprintln!("gaitguard: {}: {}", f.file, f.error);
    }
    // Every output file is staged first and renamed into place only when all are written.
    let mut staged = write::Staged::default();
    let mut stdout_parts: Vec<String> = Vec::new();
    if let Some(t) = &cfg.json {
        let text = report::block::to_json(&b).map_err(OutputError::from)?;
        stdout_parts.extend(stage_or_keep(&mut staged, t, text)?);
    }
    if let Some(t) = &cfg.csv {
        let text = block_csv(
            &b,
            match t {
                JsonTarget::File(p) => p,
                JsonTarget::Stdout => Path::new("-"),
            },
        )?;
        stdout_parts.extend(stage_or_keep(&mut staged, t, text)?);
    }
    if let Some(path) = &cfg.sessions {
        stage_sessions(&mut staged, path, &b)?;
    }
    if let Some(path) = &cfg.steps {
        match TableFormat::of_path(path) {
            TableFormat::Csv => {
                staged.add(path, report::steps_csv::render_block(&b.steps).as_bytes())?
            }
            TableFormat::Parquet => {
                let bytes =
                    columnar::steps::block_parquet(&b.steps).map_err(|e| parquet_error(path, e))?;
                staged.add(path, &bytes)?;
            }
        }
    }
    if let Some(path) = &cfg.report {
        let mut input = report::png::BlockInput::new(&b);
        input.risk_levels = (cfg.options.risk.moderate_at, cfg.options.risk.high_at);
        let (w, h) = report::png::DEFAULT_SIZE;
        staged.add(path, &report::png::render_block_png(&input, w, h)?.0)?;
    }
    if cfg.print_summary {
        stdout_parts.push(report::block::render(&b, cfg.verbose));
    }
    staged.commit()?;
    for text in &stdout_parts {
        print_stdout(text)?;
    }
    if !b.failures.is_empty() {
        return Err(SomeFailed {
            failed: b.failures.len(),
            total,
        }
        .into());
    }
    Ok(())
}
