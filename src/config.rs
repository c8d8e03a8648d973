//! Validated configuration: raw CLI arguments become typed settings before any work starts,
//! and a bad value is a usage error naming the option.

use crate::cli::{AnalyzeArgs, BlockArgs, RunnerArgs, SimulateArgs};
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
    /// Per-step CSV output (`--steps`).
    pub steps_csv: Option<PathBuf>,
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
        let format = match &a.format {
            None => None,
            Some(f) => Some(Dialect::from_name(f).ok_or_else(|| ConfigError::Invalid {
                option: "--format",
                value: f.clone(),
                expected: format!(
                    "one of {}",
                    Dialect::ALL.iter().map(|d| d.name()).collect::<Vec<_>>().join(", ")
                ),
            })?),
        };
        let mut raw = RawOptions::default();
        let mut mapping = Vec::new();
        for m in &a.map {
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
                Target::Channel(Channel::SpeedMps) => {
                    raw.speed_column = Some(parsed.column.clone())
                }
                _ => {}
            }
            mapping.push(parsed);
        }
        let invalid = |option: &'static str, value: &str, expected: &str| ConfigError::Invalid {
            option,
            value: value.to_string(),
            expected: expected.to_string(),
        };
        if let Some(r) = a.sample_rate {
            if !(r.is_finite() && (1.0..=100_000.0).contains(&r)) {
                return Err(invalid(
                    "--sample-rate",
                    &r.to_string(),
                    "a rate in Hz from 1 to 100000",
                ));
            }
            raw.sample_rate_hz = Some(r);
        }
        raw.accel_unit = match a
            .accel_unit
            .as_deref()
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            None => None,
            Some("g") => Some(AccelUnit::G),
            Some("m/s2" | "m/s^2" | "mps2" | "m/s²") => Some(AccelUnit::Mps2),
            Some(v) => return Err(invalid("--accel-unit", v, "g or m/s2")),
        };
        raw.time_unit = match a
            .time_unit
            .as_deref()
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            None => None,
            Some("s") => Some(TimeUnit::S),
            Some("ms") => Some(TimeUnit::Ms),
            Some("us" | "µs") => Some(TimeUnit::Us),
            Some("ns") => Some(TimeUnit::Ns),
            Some(v) => return Err(invalid("--time-unit", v, "s, ms, us or ns")),
        };
        raw.gravity_included = match a.gravity.as_deref().map(str::to_ascii_lowercase).as_deref() {
            None => None,
            Some("included" | "with" | "yes") => Some(true),
            Some("removed" | "without" | "no" | "linear") => Some(false),
            Some(v) => return Err(invalid("--gravity", v, "included or removed")),
        };
        let placement = match a.placement.as_deref() {
            None => None,
            Some(v) => Some(
                Placement::parse(v)
                    .ok_or_else(|| invalid("--placement", v, "trunk, foot, wrist or thigh"))?,
            ),
        };
        if let Some(v) = a.speed_mps {
            if !(v.is_finite() && v > 0.0 && v <= 12.0) {
                return Err(invalid(
                    "--speed-mps",
                    &v.to_string(),
                    "a running speed in m/s above 0 and at most 12",
                ));
            }
        }
        if a.steps.as_deref().is_some_and(|p| p.as_os_str().is_empty()) {
            return Err(invalid("--steps", "", "a file path"));
        }
        let report = png_report_path(a.report.as_deref())?;
        let json = output_target("--json", a.json.as_deref())?;
        let (profile, risk) = runner_from_args(&a.runner)?;
        let placement = placement.or(profile.sensor_placement);
        Ok(AnalyzeConfig {
            profile,
            risk,
            explain: a.explain,
            report,
            input: a.file.clone(),
            print_summary: !a.quiet && json != Some(JsonTarget::Stdout),
            json,
            ingest: IngestOptions {
                format,
                mapping,
                raw,
            },
            raw: RawAnalysisConfig {
                placement,
                speed_mps: a.speed_mps,
                steps_csv: a.steps.clone(),
            },
        })
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

impl BlockConfig {
    /// Validate `block` arguments.
    ///
    /// # Errors
    /// [`ConfigError`] naming the option.
    pub fn from_args(a: &BlockArgs) -> Result<Self, ConfigError> {
        let date = |option: &'static str, v: &Option<String>| match v {
            None => Ok(None),
            Some(s) => crate::time::parse_iso_date(s)
                .filter(|d| {
                    use chrono::Datelike as _;
                    (crate::time::FIRST_YEAR..=crate::time::LAST_YEAR).contains(&d.year())
                })
                .map(Some)
                .ok_or_else(|| ConfigError::Invalid {
                    option,
                    value: s.clone(),
                    expected: format!(
                        "a date YYYY-MM-DD from {} to {}",
                        crate::time::FIRST_YEAR,
                        crate::time::LAST_YEAR
                    ),
                }),
        };
        let since = date("--since", &a.since)?;
        let until = date("--until", &a.until)?;
        if let (Some(s), Some(u)) = (since, until) {
            if s > u {
                return Err(ConfigError::Invalid {
                    option: "--until",
                    value: u.to_string(),
                    expected: format!("a date on or after --since ({s})"),
                });
            }
        }
        let jobs = match a.jobs {
            Some(0) => {
                return Err(ConfigError::Invalid {
                    option: "--jobs",
                    value: "0".into(),
                    expected: "at least 1".into(),
                });
            }
            Some(n) => n,
            None => std::thread::available_parallelism().map_or(1, |n| n.get()),
        };
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
            },
        })
    }
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
        Ok(SimulateConfig {
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
