//! Validated configuration: raw CLI arguments become typed settings before any work starts,
//! and a bad value is a usage error naming the option.

use crate::cli::{
    AccelUnitArg, AnalyzeArgs, BlockArgs, FormatArg, GravityArg, PlacementArg, RunnerArgs,
    SimulateArgs, TimeUnitArg,
};
use crate::error::ConfigError;
use crate::ingest::columns::Target;
use crate::ingest::raw::{AccelUnit, RawOptions, TimeUnit};
use crate::ingest::{ColumnMapping, Dialect, IngestOptions};
use crate::recording::{Channel, Placement};
use crate::risk::config::RiskConfig;
use crate::risk::profile::{PriorStrain, RunnerProfile};
use std::path::{Path, PathBuf};

/// Where JSON goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JsonTarget {
    /// Standard output.
    Stdout,
    /// A file, written atomically.
    File(PathBuf),
}

/// `analyze`, validated.
#[derive(Debug, Clone)]
pub struct AnalyzeConfig {
    /// Input file.
    pub input: PathBuf,
    /// JSON output.
    pub json: Option<JsonTarget>,
    /// Ingest options (dialect, column mapping).
    pub ingest: IngestOptions,
    /// Print the terminal summary.
    pub print_summary: bool,
    /// Raw-signal analysis settings.
    pub raw: RawAnalysisConfig,
    /// Runner profile (file and flags).
    pub profile: RunnerProfile,
    /// Risk model settings.
    pub risk: RiskConfig,
    /// List all risk factors (`--explain`).
    pub explain: bool,
    /// PNG report output (`--report`), a path ending in `.png`.
    pub report: Option<PathBuf>,
}

/// Settings of the raw-signal engine that come from the command line.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RawAnalysisConfig {
    /// Placement forced by `--placement`.
    pub placement: Option<Placement>,
    /// Running speed, m/s (`--speed-mps`).
    pub speed_mps: Option<f64>,
    /// Per-step output (`--steps`): Parquet for a `.parquet` path, CSV otherwise.
    pub steps: Option<PathBuf>,
    /// Analyse as free-living wear whatever the length (`--wear`).
    pub wear: bool,
}

/// `simulate`, validated.
#[derive(Debug, Clone)]
pub struct SimulateConfig {
    /// Output path.
    pub out: PathBuf,
    /// Duration, s.
    pub duration_s: f64,
    /// Seed.
    pub seed: u64,
    /// Write binary FIT (the output path ends in `.fit`) instead of CSV.
    pub fit: bool,
    /// Write the raw trunk-accelerometer scenario instead of records.
    pub raw: bool,
    /// Write the sample training block into the folder `out`.
    pub block: bool,
    /// Start of a simulated run, Unix s (`None`: the simulator's standard start).
    pub start_unix_s: Option<f64>,
    /// Write a synthetic Apple Health export of this many days.
    pub apple_health_days: Option<u32>,
    /// Write a free-living `.cwa` recording of this many days, and where it is worn.
    pub free_living: Option<(u32, crate::simulate::free_living::WearPlacement)>,
}

/// Parse one `--map` value.
///
/// # Errors
/// [`ConfigError::Invalid`] when the value is not `FIELD=COLUMN[:UNIT]` with a known FIELD.
pub fn parse_mapping(value: &str) -> Result<ColumnMapping, ConfigError> {
    let bad = |expected: &str| ConfigError::Invalid {
        option: "--map",
        value: value.to_string(),
        expected: expected.to_string(),
    };
    let (field, rest) = value
        .split_once('=')
        .ok_or_else(|| bad("FIELD=COLUMN or FIELD=COLUMN:UNIT"))?;
    let (column, unit) = match rest.rsplit_once(':') {
        Some((c, u)) if !u.is_empty() && !u.contains(' ') => (c, Some(u.to_ascii_lowercase())),
        _ => (rest, None),
    };
    if column.trim().is_empty() {
        return Err(bad("a column name after '='"));
    }
    let target = match field.trim() {
        "time" => Target::Time,
        f => Target::Channel(Channel::from_name(f).ok_or_else(|| {
            bad("FIELD to be time or a channel name such as cadence_spm, ground_contact_ms, speed_mps")
        })?),
    };
    if let (Target::Channel(ch), Some(u)) = (target, &unit) {
        if crate::ingest::columns::conversion(ch, u).is_none() {
            return Err(bad(&format!("a unit gaitguard knows for {}", ch.name())));
        }
    }
    if let (Target::Time, Some(u)) = (target, &unit) {
        if u != "s" && u != "ms" {
            return Err(bad("time units s or ms"));
        }
    }
    Ok(ColumnMapping {
        target,
        column: column.trim().to_string(),
        unit,
    })
}

impl AnalyzeConfig {
    /// Validate `analyze` arguments.
    ///
    /// # Errors
    /// [`ConfigError::Invalid`] naming the option.
    pub fn from_args(a: &AnalyzeArgs) -> Result<Self, ConfigError> {
        let (raw, mapping) = raw_options(a)?;
        let speed_mps = speed_mps(a.speed_mps)?;
        if a.steps.as_deref().is_some_and(|p| p.as_os_str().is_empty()) {
            return Err(ConfigError::Invalid {
                option: "--steps",
                value: String::new(),
                expected: "a file path".into(),
            });
        }
        let report = png_report_path(a.report.as_deref())?;
        let json = output_target("--json", a.json.as_deref())?;
        let (profile, risk) = runner_from_args(&a.runner)?;
        let placement = a.placement.map(placement).or(profile.sensor_placement);
        Ok(AnalyzeConfig {
            profile,
            risk,
            explain: a.explain,
            report,
            input: a.file.clone(),
            print_summary: !a.quiet && json != Some(JsonTarget::Stdout),
            json,
            ingest: IngestOptions {
                format: a.format.map(dialect),
                mapping,
                raw,
                activity: Default::default(),
                bounds: crate::time::TimeBounds::now(),
                workout: block_date("--workout", a.workout.as_deref())?,
            },
            raw: RawAnalysisConfig {
                placement,
                speed_mps,
                steps: a.steps.clone(),
                wear: a.wear,
            },
        })
    }
}

/// The raw-sensor reading options of `analyze` (column mappings, sampling rate, units,
/// gravity) and the `--map` mappings for per-record files.
///
/// # Errors
/// [`ConfigError::Invalid`] for a bad `--map` or `--sample-rate`.
fn raw_options(a: &AnalyzeArgs) -> Result<(RawOptions, Vec<ColumnMapping>), ConfigError> {
    let mut raw = RawOptions::default();
    let mapping = mappings(&a.map, &mut raw)?;
    if let Some(r) = a.sample_rate {
        if !(r.is_finite() && (1.0..=100_000.0).contains(&r)) {
            return Err(ConfigError::Invalid {
                option: "--sample-rate",
                value: r.to_string(),
                expected: "a rate in Hz from 1 to 100000".into(),
            });
        }
        raw.sample_rate_hz = Some(r);
    }
    raw.accel_unit = a.accel_unit.map(accel_unit);
    raw.time_unit = a.time_unit.map(time_unit);
    raw.gravity_included = a.gravity.map(|g| g == GravityArg::Included);
    Ok((raw, mapping))
}

/// The `--map` values: raw sensor axes (`acc_x` … `gyr_z`) go into `raw`'s column names, as do
/// the time and speed columns; every other mapping (time and speed included) is returned.
///
/// # Errors
/// [`ConfigError::Invalid`] naming `--map`.
fn mappings(maps: &[String], raw: &mut RawOptions) -> Result<Vec<ColumnMapping>, ConfigError> {
    let mut mapping = Vec::new();
    for m in maps {
        if let Some((field, column)) = m.split_once('=') {
            let column = column.trim().to_string();
            let slot = match field.trim() {
                "acc_x" => Some(&mut raw.acc_columns[0]),
                "acc_y" => Some(&mut raw.acc_columns[1]),
                "acc_z" => Some(&mut raw.acc_columns[2]),
                "gyr_x" => Some(&mut raw.gyro_columns[0]),
                "gyr_y" => Some(&mut raw.gyro_columns[1]),
                "gyr_z" => Some(&mut raw.gyro_columns[2]),
                _ => None,
            };
            if let Some(slot) = slot {
                if column.is_empty() {
                    return Err(ConfigError::Invalid {
                        option: "--map",
                        value: m.clone(),
                        expected: "a column name after '='".into(),
                    });
                }
                *slot = Some(column);
                continue;
            }
        }
        let parsed = parse_mapping(m)?;
        match parsed.target {
            Target::Time => raw.time_column = Some(parsed.column.clone()),
            Target::Channel(Channel::SpeedMps) => raw.speed_column = Some(parsed.column.clone()),
            _ => {}
        }
        mapping.push(parsed);
    }
    Ok(mapping)
}

/// `--speed-mps`: a running speed above 0 and at most 12 m/s.
///
/// # Errors
/// [`ConfigError::Invalid`] naming `--speed-mps`.
fn speed_mps(v: Option<f64>) -> Result<Option<f64>, ConfigError> {
    match v {
        Some(v) if !(v.is_finite() && v > 0.0 && v <= 12.0) => Err(ConfigError::Invalid {
            option: "--speed-mps",
            value: v.to_string(),
            expected: "a running speed in m/s above 0 and at most 12".into(),
        }),
        _ => Ok(v),
    }
}

/// The dialect a `--format` value names.
pub fn dialect(f: FormatArg) -> Dialect {
    match f {
        FormatArg::Fit => Dialect::Fit,
        FormatArg::FitCsvTool => Dialect::FitCsvTool,
        FormatArg::FitparseRecords => Dialect::FitparseRecords,
        FormatArg::WahooCsv => Dialect::WahooCsv,
        FormatArg::StrydCsv => Dialect::StrydCsv,
        FormatArg::GoldenCheetahCsv => Dialect::GoldenCheetahCsv,
        FormatArg::RecordsCsv => Dialect::RecordsCsv,
        FormatArg::Phyphox => Dialect::Phyphox,
        FormatArg::SensorLogger => Dialect::SensorLogger,
        FormatArg::ActigraphRaw => Dialect::ActigraphRaw,
        FormatArg::ActigraphImu => Dialect::ActigraphImu,
        FormatArg::MetaMotion => Dialect::MetaMotion,
        FormatArg::PhysicsToolbox => Dialect::PhysicsToolbox,
        FormatArg::GenericAccel => Dialect::GenericAccel,
        FormatArg::Tcx => Dialect::Tcx,
        FormatArg::Gpx => Dialect::Gpx,
        FormatArg::PolarCsv => Dialect::PolarCsv,
        FormatArg::SuuntoJson => Dialect::SuuntoJson,
        FormatArg::AxivityCwa => Dialect::AxivityCwa,
        FormatArg::ActigraphGt3x => Dialect::ActigraphGt3x,
        FormatArg::GeneactivBin => Dialect::GeneactivBin,
    }
}

/// The placement a `--placement` value names.
pub fn placement(p: PlacementArg) -> Placement {
    match p {
        PlacementArg::Trunk => Placement::Trunk,
        PlacementArg::Foot => Placement::Foot,
        PlacementArg::Wrist => Placement::Wrist,
        PlacementArg::Thigh => Placement::Thigh,
    }
}

/// The unit an `--accel-unit` value names.
pub fn accel_unit(u: AccelUnitArg) -> AccelUnit {
    match u {
        AccelUnitArg::G => AccelUnit::G,
        AccelUnitArg::Mps2 => AccelUnit::Mps2,
    }
}

/// The unit a `--time-unit` value names.
pub fn time_unit(u: TimeUnitArg) -> TimeUnit {
    match u {
        TimeUnitArg::S => TimeUnit::S,
        TimeUnitArg::Ms => TimeUnit::Ms,
        TimeUnitArg::Us => TimeUnit::Us,
        TimeUnitArg::Ns => TimeUnit::Ns,
    }
}

/// The runner's profile (file and flags) and the risk model's settings.
///
/// # Errors
/// [`ConfigError`] naming the option, or the file and key.
pub fn runner_from_args(a: &RunnerArgs) -> Result<(RunnerProfile, RiskConfig), ConfigError> {
    let invalid = |option: &'static str, value: &str, expected: &str| ConfigError::Invalid {
        option,
        value: value.to_string(),
        expected: expected.to_string(),
    };
    let mut profile = match &a.profile {
        Some(p) => RunnerProfile::from_file(p)?,
        None => RunnerProfile::default(),
    };
    let range = |option: &'static str, v: Option<f64>, lo: f64, hi: f64, unit: &str| match v {
        Some(x) if !(lo..=hi).contains(&x) => Err(invalid(
            option,
            &x.to_string(),
            &format!("{lo}-{hi} {unit}"),
        )),
        _ => Ok(v),
    };
    if let Some(h) = range("--height-cm", a.height_cm, 100.0, 250.0, "cm")? {
        profile.height_cm = Some(h);
    }
    if let Some(m) = range("--mass-kg", a.mass_kg, 25.0, 250.0, "kg")? {
        profile.mass_kg = Some(m);
    }
    if let Some(y) = range("--age", a.age, 8.0, 110.0, "years")? {
        profile.age = Some(y);
    }
    if let Some(c) = range(
        "--usual-cadence",
        a.usual_cadence,
        120.0,
        240.0,
        "steps/min",
    )? {
        profile.usual_cadence_spm = Some(c);
    }
    if a.prior_calf_strain && !profile.prior_calf_strain.is_some_and(|p| p.any()) {
        profile.prior_calf_strain = Some(PriorStrain::Known(true));
    }
    let risk = match &a.risk_config {
        Some(p) => RiskConfig::from_file(p)?,
        None => RiskConfig::default(),
    };
    Ok((profile, risk))
}

/// Where a text output goes: standard output or a file (written atomically).
fn output_target(option: &'static str, v: Option<&str>) -> Result<Option<JsonTarget>, ConfigError> {
    match v {
        None => Ok(None),
        Some("-") => Ok(Some(JsonTarget::Stdout)),
        Some("") => Err(ConfigError::Invalid {
            option,
            value: String::new(),
            expected: "a file path or '-'".into(),
        }),
        Some(p) => Ok(Some(JsonTarget::File(PathBuf::from(p)))),
    }
}

/// `block`, validated.
#[derive(Debug, Clone)]
pub struct BlockConfig {
    /// Folders and files.
    pub inputs: Vec<PathBuf>,
    /// JSON output.
    pub json: Option<JsonTarget>,
    /// CSV output.
    pub csv: Option<JsonTarget>,
    /// Sessions table (`--sessions`): a path ending in `.parquet` or `.csv`.
    pub sessions: Option<PathBuf>,
    /// Steps table (`--steps`): Parquet for a `.parquet` path, CSV otherwise.
    pub steps: Option<PathBuf>,
    /// PNG report output (`--report`), a path ending in `.png`.
    pub report: Option<PathBuf>,
    /// Print the terminal summary.
    pub print_summary: bool,
    /// List skipped files and all current factors.
    pub verbose: bool,
    /// Show a progress bar (when standard error is a terminal).
    pub progress: bool,
    /// The analysis settings.
    pub options: crate::block::BlockOptions,
}

/// Validate a `--report` path: it must name a file ending in `.png`.
///
/// # Errors
/// [`ConfigError::Invalid`] naming `--report`.
pub fn png_report_path(p: Option<&Path>) -> Result<Option<PathBuf>, ConfigError> {
    let Some(p) = p else { return Ok(None) };
    let is_png = p.extension().is_some_and(|e| e.eq_ignore_ascii_case("png"));
    if p.as_os_str().is_empty() || !is_png || p.file_stem().is_none() {
        return Err(ConfigError::Invalid {
            option: "--report",
            value: p.display().to_string(),
            expected: "a file path ending in .png".into(),
        });
    }
    Ok(Some(p.to_path_buf()))
}

/// Validate a `--sessions` path: it must name a file ending in `.parquet` or `.csv`.
///
/// # Errors
/// [`ConfigError::Invalid`] naming `--sessions`.
pub fn sessions_path(p: Option<&Path>) -> Result<Option<PathBuf>, ConfigError> {
    let Some(p) = p else { return Ok(None) };
    let ok = p
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("parquet") || e.eq_ignore_ascii_case("csv"));
    if !ok || p.file_stem().is_none() {
        return Err(ConfigError::Invalid {
            option: "--sessions",
            value: p.display().to_string(),
            expected: "a file path ending in .parquet or .csv".into(),
        });
    }
    Ok(Some(p.to_path_buf()))
}

/// Parse a local-time offset: `+02:00`, `-0500`, `+5`, `Z` or `UTC`, into seconds.
///
/// # Errors
/// [`ConfigError::Invalid`] for anything else or beyond ±14 h.
pub fn parse_utc_offset(v: &str) -> Result<i64, ConfigError> {
    let bad = || ConfigError::Invalid {
        option: "--utc-offset",
        value: v.to_string(),
        expected: "an offset such as +02:00, -0500 or Z, within ±14:00".into(),
    };
    crate::time::parse_utc_offset(v).ok_or_else(bad)
}

/// A `--since`/`--until`/`--workout` local date: `YYYY-MM-DD` within the years the timeline covers.
///
/// # Errors
/// [`ConfigError::Invalid`] naming `option`.
fn block_date(
    option: &'static str,
    v: Option<&str>,
) -> Result<Option<chrono::NaiveDate>, ConfigError> {
    use crate::time::{FIRST_YEAR, LAST_YEAR};
    use chrono::Datelike as _;
    let Some(s) = v else { return Ok(None) };
    crate::time::parse_iso_date(s)
        .filter(|d| (FIRST_YEAR..=LAST_YEAR).contains(&d.year()))
        .map(Some)
        .ok_or_else(|| ConfigError::Invalid {
            option,
            value: s.to_string(),
            expected: format!("a date YYYY-MM-DD from {FIRST_YEAR} to {LAST_YEAR}"),
        })
}

/// The block's first and last days (`--since`, `--until`), the last not before the first.
///
/// # Errors
/// [`ConfigError::Invalid`] naming `--since` or `--until`.
fn block_days(
    since: Option<&str>,
    until: Option<&str>,
) -> Result<(Option<chrono::NaiveDate>, Option<chrono::NaiveDate>), ConfigError> {
    let since = block_date("--since", since)?;
    let until = block_date("--until", until)?;
    if let (Some(s), Some(u)) = (since, until) {
        if s > u {
            return Err(ConfigError::Invalid {
                option: "--until",
                value: u.to_string(),
                expected: format!("a date on or after --since ({s})"),
            });
        }
    }
    Ok((since, until))
}

/// `--jobs`: at least 1; by default every core.
///
/// # Errors
/// [`ConfigError::Invalid`] naming `--jobs` for 0.
fn jobs(n: Option<usize>) -> Result<usize, ConfigError> {
    match n {
        Some(0) => Err(ConfigError::Invalid {
            option: "--jobs",
            value: "0".into(),
            expected: "at least 1".into(),
        }),
        Some(n) => Ok(n),
        None => Ok(std::thread::available_parallelism().map_or(1, |n| n.get())),
    }
}

impl BlockConfig {
    /// Validate `block` arguments.
    ///
    /// # Errors
    /// [`ConfigError`] naming the option.
    pub fn from_args(a: &BlockArgs) -> Result<Self, ConfigError> {
        let (since, until) = block_days(a.since.as_deref(), a.until.as_deref())?;
        let jobs = jobs(a.jobs)?;
        let utc_offset_s = a.utc_offset.as_deref().map(parse_utc_offset).transpose()?;
        let json = output_target("--json", a.json.as_deref())?;
        let csv = output_target("--csv", a.csv.as_deref())?;
        if json == Some(JsonTarget::Stdout) && csv == Some(JsonTarget::Stdout) {
            return Err(ConfigError::Invalid {
                option: "--csv",
                value: "-".into(),
                expected: "a file path: --json already writes to standard output".into(),
            });
        }
        let (profile, risk) = runner_from_args(&a.runner)?;
        let to_stdout = json == Some(JsonTarget::Stdout) || csv == Some(JsonTarget::Stdout);
        Ok(BlockConfig {
            inputs: a.paths.clone(),
            print_summary: !a.quiet && !to_stdout,
            report: png_report_path(a.report.as_deref())?,
            json,
            csv,
            sessions: sessions_path(a.sessions.as_deref())?,
            steps: a.steps.clone(),
            verbose: a.verbose,
            progress: !a.quiet,
            options: crate::block::BlockOptions {
                session: crate::pipeline::SessionOptions {
                    placement: profile.sensor_placement,
                    ..Default::default()
                },
                since,
                until,
                jobs,
                utc_offset_s,
                profile,
                risk,
                keep_steps: a.steps.is_some(),
            },
        })
    }
}

/// `simulate --start`: an RFC 3339 date-time from [`crate::time::FIRST_YEAR`] to
/// [`crate::time::LAST_YEAR`] (what a FIT timestamp can hold), as Unix s.
fn simulate_start(text: &str) -> Result<f64, ConfigError> {
    use crate::time::{FIRST_YEAR, LAST_YEAR};
    use chrono::Datelike;
    chrono::DateTime::parse_from_rfc3339(text.trim())
        .ok()
        .filter(|d| (FIRST_YEAR..=LAST_YEAR).contains(&d.year()))
        .map(|d| d.timestamp() as f64)
        .ok_or_else(|| ConfigError::Invalid {
            option: "--start",
            value: text.into(),
            expected: format!(
                "an RFC 3339 date-time such as 2026-09-12T07:30:00Z, from {FIRST_YEAR} to {LAST_YEAR}"
            ),
        })
}

/// `simulate --free-living DAYS [--placement]`: 1–30 days (an AX3 at 100 Hz fills its
/// memory in about two weeks) into a `.cwa` path, worn on the wrist or the trunk.
fn free_living(
    a: &SimulateArgs,
    days: u32,
) -> Result<(u32, crate::simulate::free_living::WearPlacement), ConfigError> {
    use crate::simulate::free_living::WearPlacement;
    if !(1..=30).contains(&days) {
        return Err(ConfigError::Invalid {
            option: "--free-living",
            value: days.to_string(),
            expected: "a number of days from 1 to 30".into(),
        });
    }
    if !a
        .out
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("cwa"))
    {
        return Err(ConfigError::Invalid {
            option: "--out",
            value: a.out.display().to_string(),
            expected: "a .cwa path: free-living wear is written as an Axivity file".into(),
        });
    }
    let placement = match a.placement {
        None | Some(PlacementArg::Wrist) => WearPlacement::Wrist,
        Some(PlacementArg::Trunk) => WearPlacement::Trunk,
        Some(other) => {
            return Err(ConfigError::Invalid {
                option: "--placement",
                value: format!("{other:?}").to_ascii_lowercase(),
                expected: "wrist or trunk for a free-living recording".into(),
            });
        }
    };
    Ok((days, placement))
}

impl SimulateConfig {
    /// Validate `simulate` arguments.
    ///
    /// # Errors
    /// [`ConfigError::Invalid`] for a duration outside 1–600 minutes.
    pub fn from_args(a: &SimulateArgs) -> Result<Self, ConfigError> {
        if a.raw
            && a.out
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("fit"))
        {
            return Err(ConfigError::Invalid {
                option: "--out",
                value: a.out.display().to_string(),
                expected: "a .csv path: raw accelerometer data is written as CSV".into(),
            });
        }
        if a.block && a.out.is_file() {
            return Err(ConfigError::Invalid {
                option: "--out",
                value: a.out.display().to_string(),
                expected: "a folder for the sample block (this is an existing file)".into(),
            });
        }
        if !(1.0..=600.0).contains(&a.minutes) {
            return Err(ConfigError::Invalid {
                option: "--minutes",
                value: a.minutes.to_string(),
                expected: "a duration from 1 to 600 minutes".into(),
            });
        }
        if let Some(d) = a.apple_health.filter(|d| !(1..=20_000).contains(d)) {
            return Err(ConfigError::Invalid {
                option: "--apple-health",
                value: d.to_string(),
                expected: "a number of days from 1 to 20000".into(),
            });
        }
        let start_unix_s = a.start.as_deref().map(simulate_start).transpose()?;
        let free_living = a.free_living.map(|d| free_living(a, d)).transpose()?;
        Ok(SimulateConfig {
            free_living,
            start_unix_s,
            apple_health_days: a.apple_health,
            out: a.out.clone(),
            duration_s: a.minutes * 60.0,
            seed: a.seed,
            raw: a.raw,
            block: a.block,
            fit: a
                .out
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("fit")),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::ValueEnum as _;

    /// Every `--format` value is the name of the dialect it maps to, and every dialect has one.
    #[test]
    fn format_values_are_the_dialect_names() {
        let names: Vec<String> = FormatArg::value_variants()
            .iter()
            .map(|f| {
                let pv = f.to_possible_value().unwrap();
                assert_eq!(pv.get_name(), dialect(*f).name());
                pv.get_name().to_string()
            })
            .collect();
        let all: Vec<&str> = Dialect::ALL.iter().map(|d| d.name()).collect();
        assert_eq!(names, all);
    }

    /// Every spelling `--placement` takes is one [`Placement::parse`] reads the same way (the
    /// profile's `[sensor] placement` and the flag agree).
    #[test]
    fn placement_values_agree_with_the_profile_parser() {
        for p in PlacementArg::value_variants() {
            let pv = p.to_possible_value().unwrap();
            let spellings: Vec<&str> = pv.get_name_and_aliases().collect();
            for s in spellings {
                assert_eq!(Placement::parse(s), Some(placement(*p)), "{s}");
            }
        }
    }

    /// Raw axes fill the raw column names; time and speed fill them and stay mappings.
    #[test]
    fn map_values_split_into_raw_columns_and_mappings() {
        let mut raw = RawOptions::default();
        let maps = [
            "acc_x=ax",
            "gyr_z= gz ",
            "time=t:ms",
            "speed_mps=v",
            "cadence_spm=c",
        ]
        .map(String::from);
        let m = mappings(&maps, &mut raw).unwrap();
        assert_eq!(raw.acc_columns[0].as_deref(), Some("ax"));
        assert_eq!(raw.gyro_columns[2].as_deref(), Some("gz"));
        assert_eq!(raw.time_column.as_deref(), Some("t"));
        assert_eq!(raw.speed_column.as_deref(), Some("v"));
        assert_eq!(m.len(), 3);
        assert!(mappings(&["acc_y=".to_string()], &mut raw).is_err());
    }

    #[test]
    fn sessions_paths_end_in_parquet_or_csv() {
        let ok = |s: &str| sessions_path(Some(Path::new(s))).unwrap();
        assert_eq!(ok("out/s.parquet"), Some(PathBuf::from("out/s.parquet")));
        assert_eq!(ok("S.CSV"), Some(PathBuf::from("S.CSV")));
        assert_eq!(sessions_path(None).unwrap(), None);
        for bad in ["", "-", "s.json", "parquet", "s.parquet.gz"] {
            assert!(sessions_path(Some(Path::new(bad))).is_err(), "{bad}");
        }
    }

    #[test]
    fn speed_is_checked() {
        assert_eq!(speed_mps(Some(3.5)).unwrap(), Some(3.5));
        assert_eq!(speed_mps(None).unwrap(), None);
        for bad in [0.0, -1.0, 12.5, f64::NAN] {
            assert!(speed_mps(Some(bad)).is_err(), "{bad}");
        }
    }

    #[test]
    fn block_days_are_dates_in_order() {
        let d = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        assert_eq!(
            block_days(Some(" 2026-01-05"), Some("2026-02-01")).unwrap(),
            (Some(d("2026-01-05")), Some(d("2026-02-01")))
        );
        assert_eq!(block_days(None, None).unwrap(), (None, None));
        assert!(block_days(Some("2026-02-02"), Some("2026-02-01")).is_err());
        assert!(block_days(Some("2026-13-01"), None).is_err());
        assert!(block_days(None, Some("1900-01-01")).is_err());
        assert!(jobs(Some(0)).is_err());
        assert_eq!(jobs(Some(3)).unwrap(), 3);
    }

    #[test]
    fn mappings_parse_and_validate() {
        let m = parse_mapping("ground_contact_ms=GCT:s").unwrap();
        assert_eq!(m.target, Target::Channel(Channel::GroundContactMs));
        assert_eq!(m.column, "GCT");
        assert_eq!(m.unit.as_deref(), Some("s"));
        let m = parse_mapping("cadence_spm=Run Cadence").unwrap();
        assert_eq!(m.column, "Run Cadence");
        assert!(m.unit.is_none());
        assert!(parse_mapping("nonsense=x").is_err());
        assert!(parse_mapping("cadence_spm").is_err());
        assert!(parse_mapping("ground_contact_ms=GCT:furlongs").is_err());
    }
}
