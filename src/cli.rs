//! Command-line arguments (clap derive). Raw flags only: [`crate::config`] validates them
//! into a configuration before any work starts.

use clap::builder::{EnumValueParser, PossibleValue, TypedValueParser};
use clap::{Args as ClapArgs, Parser, Subcommand, ValueEnum};
use std::ffi::OsStr;
use std::marker::PhantomData;
use std::path::PathBuf;

/// Running-dynamics analysis of runners' wearable data.
///
/// gaitguard reads FIT files from Garmin, COROS, Suunto, Wahoo and Stryd, and their CSV
/// conversions, and reports cadence, ground contact, flight time, vertical oscillation,
/// vertical ratio, step length, balance and how they drift over a run. It gives indicators,
/// not diagnoses.
#[derive(Debug, Parser)]
#[command(name = "gaitguard", version, about, long_about)]
pub struct Args {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Analyse one recording: FIT, TCX, GPX, FitCSVTool CSV, per-record CSV, or a raw
    /// accelerometer CSV (phyphox, Sensor Logger, ActiGraph, MetaMotion, Physics Toolbox,
    /// Axivity, generic time,x,y,z); gzipped, or inside a zip.
    Analyze(Box<AnalyzeArgs>),
    /// Analyse a training block: folders or zip exports of runs (FIT, TCX, GPX and CSV, mixed) → weekly load,
    /// long-run spikes, acute:chronic ratio, form trends and calf-strain risk day by day.
    Block(Box<BlockArgs>),
    /// Write a simulated run from gaitguard's spring-mass model (used to make samples/).
    Simulate(SimulateArgs),
}

/// `gaitguard analyze`.
#[derive(Debug, ClapArgs)]
pub struct AnalyzeArgs {
    /// The recording to analyse; also a .gz, a .zip holding one activity, or an entry of an
    /// archive named as a path inside it (export.zip/activities/123.fit.gz).
    pub file: PathBuf,
    /// Write the gaitguard.session/1 JSON to this file ('-' for standard output).
    #[arg(long, value_name = "PATH")]
    pub json: Option<String>,
    /// Force the input dialect instead of detecting it.
    #[arg(long, value_name = "DIALECT", value_enum)]
    pub format: Option<FormatArg>,
    /// Read a CSV column as a field: FIELD=COLUMN or FIELD=COLUMN:UNIT, e.g.
    /// `--map cadence_spm="Run Cadence"` or `--map ground_contact_ms=GCT:s`. For raw
    /// sensor files FIELD may also be acc_x, acc_y, acc_z, gyr_x, gyr_y, gyr_z (and time).
    /// Otherwise FIELD is time or one of cadence_spm, ground_contact_ms, vertical_oscillation_cm, vertical_ratio_pct,
    /// step_length_m, gct_balance_left_pct, speed_mps, distance_m, altitude_m,
    /// heart_rate_bpm, power_w, temperature_c, latitude_deg, longitude_deg. Repeatable.
    #[arg(long = "map", value_name = "FIELD=COLUMN[:UNIT]")]
    pub map: Vec<String>,
    /// Write a one-page PNG report of the session (time series with population zones and
    /// drift, detected events for raw sensor files, overstriding and calf-strain risk) to
    /// this file; the path must end in .png.
    #[arg(long, value_name = "PATH")]
    pub report: Option<PathBuf>,
    /// Print nothing on standard output except what --json - asks for.
    #[arg(long, short)]
    pub quiet: bool,
    /// Raw sensors: where the sensor sat, instead of detecting it (any case).
    #[arg(long, value_name = "PLACE", ignore_case = true, value_parser = Trimmed::<PlacementArg>::new())]
    pub placement: Option<PlacementArg>,
    /// Raw sensors: running speed in m/s (treadmill belt speed, or an average from GPS), for
    /// step length and vertical ratio.
    #[arg(long = "speed-mps", value_name = "M/S")]
    pub speed_mps: Option<f64>,
    /// Raw sensors: write one row per detected step (time, bout, side, contact, flight,
    /// cadence, VO, braking, confidence …) to this file: Apache Parquet (schema
    /// gaitguard.steps/1) when the path ends in .parquet, CSV otherwise.
    #[arg(long, value_name = "PATH")]
    pub steps: Option<PathBuf>,
    /// Raw sensors: analyse the recording as free-living wear (the running and walking
    /// bouts, each run a session of its own: JSON schema gaitguard.wear/1), as is done
    /// anyway for recordings longer than 6 hours.
    #[arg(long)]
    pub wear: bool,
    /// Apple Health exports (export.zip or export.xml): the local date (YYYY-MM-DD) of the
    /// running workout to analyse; without it, the latest.
    #[arg(long, value_name = "DATE")]
    pub workout: Option<String>,
    /// Raw sensors: sampling rate in Hz, for files without a time column (or to override the
    /// header's rate).
    #[arg(long = "sample-rate", value_name = "HZ")]
    pub sample_rate: Option<f64>,
    /// Raw sensors: accelerometer unit, instead of detecting it (any case).
    #[arg(
        long = "accel-unit",
        value_name = "UNIT",
        value_enum,
        ignore_case = true
    )]
    pub accel_unit: Option<AccelUnitArg>,
    /// Raw sensors: unit of a numeric time column, instead of detecting it (any case).
    #[arg(
        long = "time-unit",
        value_name = "UNIT",
        value_enum,
        ignore_case = true
    )]
    pub time_unit: Option<TimeUnitArg>,
    /// Raw sensors: whether the acceleration includes gravity or not (removed, e.g. a phone's
    /// linear acceleration), instead of detecting it (any case).
    #[arg(long, value_name = "included|removed", value_enum, ignore_case = true)]
    pub gravity: Option<GravityArg>,
    /// List every risk factor, assessed or not, with its evidence and advice.
    #[arg(long)]
    pub explain: bool,
    /// The runner and the risk model.
    #[command(flatten)]
    pub runner: RunnerArgs,
}

/// The runner's profile and the risk model's settings (shared by `analyze` and `block`).
#[derive(Debug, Clone, Default, ClapArgs)]
pub struct RunnerArgs {
    /// Runner profile (TOML): height_cm, mass_kg, age, sex, prior_calf_strain (true/false or a
    /// date), usual_cadence_spm, [shoe] model/drop_mm/since/previous_drop_mm,
    /// [sensor] placement. The flags below override it.
    #[arg(long, value_name = "FILE")]
    pub profile: Option<PathBuf>,
    /// Override the risk model's thresholds, points, levels and modifiers (TOML; see the
    /// `risk` module's documentation).
    #[arg(long = "risk-config", value_name = "FILE")]
    pub risk_config: Option<PathBuf>,
    /// Runner's height in cm (overrides the profile).
    #[arg(long = "height-cm", value_name = "CM")]
    pub height_cm: Option<f64>,
    /// Runner's body mass in kg (overrides the profile).
    #[arg(long = "mass-kg", value_name = "KG")]
    pub mass_kg: Option<f64>,
    /// Runner's age in years (overrides the profile).
    #[arg(long, value_name = "YEARS")]
    pub age: Option<f64>,
    /// The runner's usual cadence, steps/min (overrides the profile).
    #[arg(long = "usual-cadence", value_name = "SPM")]
    pub usual_cadence: Option<f64>,
    /// The runner has had a calf strain before (overrides the profile).
    #[arg(long = "prior-calf-strain")]
    pub prior_calf_strain: bool,
}

/// `gaitguard block`.
#[derive(Debug, ClapArgs)]
pub struct BlockArgs {
    /// Folders (searched recursively for .fit, .tcx, .gpx, .csv, .txt, .gz and .zip files),
    /// files and zip archives (read in place: Strava and Garmin bulk exports).
    #[arg(required = true, value_name = "DIR|FILE")]
    pub paths: Vec<PathBuf>,
    /// Write the gaitguard.block/1 JSON to this file ('-' for standard output).
    #[arg(long, value_name = "PATH")]
    pub json: Option<String>,
    /// Write one CSV row per input file (failures and skipped files included) to this file
    /// ('-' for standard output).
    #[arg(long, value_name = "PATH")]
    pub csv: Option<String>,
    /// Write one row per analysed session (metrics, load, intensity, spike, risk, start
    /// time, date …) to this file: Apache Parquet (schema gaitguard.sessions/1) for a path
    /// ending in .parquet, the CSV of --csv for one ending in .csv.
    #[arg(long, value_name = "PATH")]
    pub sessions: Option<PathBuf>,
    /// Write one row per detected step of every raw-sensor session (its file, then the
    /// columns of analyze --steps) to this file: Apache Parquet (schema
    /// gaitguard.block_steps/1) for a path ending in .parquet, CSV otherwise.
    #[arg(long, value_name = "PATH")]
    pub steps: Option<PathBuf>,
    /// Write a one-page PNG report of the block (weekly distance with the +10 %/+30 % change,
    /// runs with long-run spikes, acute:chronic ratio, daily risk, form trends) to this file;
    /// the path must end in .png.
    #[arg(long, value_name = "PATH")]
    pub report: Option<std::path::PathBuf>,
    /// Only runs on or after this local date (YYYY-MM-DD); also the block's first day.
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,
    /// Only runs on or before this local date (YYYY-MM-DD); also the block's last day ("today"
    /// for the current risk). Default: the day of the last run.
    #[arg(long, value_name = "DATE")]
    pub until: Option<String>,
    /// Files analysed in parallel (default: all cores).
    #[arg(long, short = 'j', value_name = "N")]
    pub jobs: Option<usize>,
    /// The runner's local time offset for files that do not state one, e.g. +02:00 or -0500
    /// (default: the offset most files of the block state, else UTC).
    #[arg(long = "utc-offset", value_name = "±HH:MM", allow_hyphen_values = true)]
    pub utc_offset: Option<String>,
    /// List skipped files and the factors of the current risk in full.
    #[arg(long, short)]
    pub verbose: bool,
    /// Print nothing on standard output except what --json - or --csv - asks for.
    #[arg(long, short)]
    pub quiet: bool,
    /// The runner and the risk model.
    #[command(flatten)]
    pub runner: RunnerArgs,
}

/// `gaitguard simulate`.
#[derive(Debug, ClapArgs)]
pub struct SimulateArgs {
    /// Output file (a folder with --block): a `.fit` path writes a binary FIT activity, anything else a per-record
    /// CSV with `name[unit]` columns.
    #[arg(long, short, value_name = "PATH")]
    pub out: PathBuf,
    /// Length of the run, minutes.
    #[arg(long, default_value_t = 40.0)]
    pub minutes: f64,
    /// Random seed (the same seed writes the same file).
    #[arg(long, default_value_t = 7)]
    pub seed: u64,
    /// Start of the run, an RFC 3339 date-time (`2026-09-12T07:30:00Z`, `…+02:00`) from
    /// 1990 to 2100 [default: 2026-09-12T07:30:00Z]. A date in the future writes a file as a
    /// watch with a wrong clock would.
    #[arg(long, value_name = "DATETIME")]
    pub start: Option<String>,
    /// Write a raw trunk-accelerometer recording (time_s,acc_x_g,acc_y_g,acc_z_g at 100 Hz)
    /// instead of watch records: a fixed scenario of a 20 s walk, 100 s of running that
    /// tires, and 10 s standing, with a tilted sensor and noise (--minutes is not used).
    #[arg(long)]
    pub raw: bool,
    /// Write the sample training block instead: eight weeks of runs (FIT and CSV) into the
    /// folder --out, with a weekly volume jump and a long-run spike (--minutes and --seed are
    /// not used).
    #[arg(long, conflicts_with = "raw")]
    pub block: bool,
    /// Write a synthetic Apple Health export (export.xml) of this many days instead: the
    /// phone's and watch's background records, a simulated run every other day with the
    /// watch's running samples, a ride every week (--minutes and --seed are not used).
    #[arg(long, value_name = "DAYS", conflicts_with_all = ["raw", "block"])]
    pub apple_health: Option<u32>,
    /// Write a simulated free-living recording of this many days (1–30) instead: an Axivity
    /// AX3 .cwa file at 100 Hz of nights asleep, desk work, walks, bus rides on work days and
    /// two runs a week, with the truth beside it as `<out>.truth.json` (the first sample at
    /// --start, default 2026-09-07T00:00:00Z, a Monday; --minutes is not used).
    #[arg(long, value_name = "DAYS", conflicts_with_all = ["raw", "block", "apple_health"])]
    pub free_living: Option<u32>,
    /// Where the free-living sensor is worn: wrist (the default) or trunk (lower back).
    #[arg(long, value_name = "PLACE", ignore_case = true, value_parser = Trimmed::<PlacementArg>::new(), requires = "free_living", hide_possible_values = true)]
    pub placement: Option<PlacementArg>,
}

/// `--format`: the input dialects, by the names the JSON `format` field uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    /// Binary FIT.
    #[value(name = "fit")]
    Fit,
    /// Garmin FitCSVTool conversion.
    #[value(name = "fit-csv-tool")]
    FitCsvTool,
    /// fitparse / fitdecode per-record dump.
    #[value(name = "fitparse-records")]
    FitparseRecords,
    /// Wahoo Fitness app CSV.
    #[value(name = "wahoo-csv")]
    WahooCsv,
    /// Stryd export.
    #[value(name = "stryd-csv")]
    StrydCsv,
    /// GoldenCheetah CSV.
    #[value(name = "goldencheetah-csv")]
    GoldenCheetahCsv,
    /// Any other per-record CSV whose columns are named.
    #[value(name = "records-csv")]
    RecordsCsv,
    /// phyphox accelerometer export.
    #[value(name = "phyphox")]
    Phyphox,
    /// Sensor Logger (iOS/Android) accelerometer export.
    #[value(name = "sensor-logger")]
    SensorLogger,
    /// ActiGraph GT3X+ RAW CSV (ActiLife).
    #[value(name = "actigraph-raw")]
    ActigraphRaw,
    /// ActiGraph Link IMU CSV (ActiLife).
    #[value(name = "actigraph-imu")]
    ActigraphImu,
    /// MbientLab MetaMotion / MetaWear CSV.
    #[value(name = "metamotion")]
    MetaMotion,
    /// Physics Toolbox Sensor Suite.
    #[value(name = "physics-toolbox")]
    PhysicsToolbox,
    /// Generic time,x,y,z accelerometer CSV (Axivity/OMGUI and others).
    #[value(name = "accel-csv")]
    GenericAccel,
    /// Garmin Training Center XML.
    #[value(name = "tcx")]
    Tcx,
    /// GPS Exchange Format 1.1 track.
    #[value(name = "gpx")]
    Gpx,
    /// Polar Flow session CSV.
    #[value(name = "polar-csv")]
    PolarCsv,
    /// Suunto app JSON activity log.
    #[value(name = "suunto-json")]
    SuuntoJson,
    /// Axivity AX3/AX6 binary (.cwa).
    #[value(name = "axivity-cwa")]
    AxivityCwa,
    /// ActiGraph .gt3x (zip of info.txt and activity.bin or log.bin).
    #[value(name = "actigraph-gt3x")]
    ActigraphGt3x,
    /// GENEActiv .bin (text pages of hex samples).
    #[value(name = "geneactiv-bin")]
    GeneactivBin,
}

/// `--placement`: where a raw sensor sat.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PlacementArg {
    /// Chest strap, waist pod, phone at the lower back.
    #[value(
        alias = "chest",
        alias = "waist",
        alias = "lower-back",
        alias = "lowback"
    )]
    #[value(alias = "sacrum", alias = "hip")]
    Trunk,
    /// Shoe pod, shank or ankle.
    #[value(alias = "shoe", alias = "shank", alias = "ankle")]
    Foot,
    /// Wrist or arm.
    #[value(alias = "arm")]
    Wrist,
    /// Thigh or trouser pocket.
    #[value(alias = "pocket")]
    Thigh,
}

/// `--accel-unit`: the accelerometer's unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AccelUnitArg {
    /// Standard gravities.
    #[value(name = "g")]
    G,
    /// Metres per second squared.
    #[value(name = "m/s2", alias = "m/s^2", alias = "mps2", alias = "m/s²")]
    Mps2,
}

/// `--time-unit`: the unit of a numeric time column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TimeUnitArg {
    /// Seconds.
    #[value(name = "s")]
    S,
    /// Milliseconds.
    #[value(name = "ms")]
    Ms,
    /// Microseconds.
    #[value(name = "us", alias = "µs")]
    Us,
    /// Nanoseconds.
    #[value(name = "ns")]
    Ns,
}

/// `--gravity`: whether the acceleration includes gravity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum GravityArg {
    /// Gravity included (a plain accelerometer).
    #[value(alias = "with", alias = "yes")]
    Included,
    /// Gravity removed (e.g. a phone's linear acceleration).
    #[value(alias = "without", alias = "no", alias = "linear")]
    Removed,
}

/// A [`ValueEnum`] parser that trims surrounding white space first (as the profile's
/// `[sensor] placement` is read), then parses as clap's [`EnumValueParser`] does: the same
/// errors, the same possible values in `--help`.
#[derive(Debug, Clone)]
pub struct Trimmed<E>(PhantomData<E>);

impl<E> Trimmed<E> {
    /// The parser.
    pub fn new() -> Self {
        Trimmed(PhantomData)
    }
}

impl<E> Default for Trimmed<E> {
    fn default() -> Self {
        Self::new()
    }
}

impl<E: ValueEnum + Clone + Send + Sync + 'static> TypedValueParser for Trimmed<E> {
    type Value = E;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &OsStr,
    ) -> Result<E, clap::Error> {
        let trimmed = value.to_str().map_or(value, |v| OsStr::new(v.trim()));
        EnumValueParser::<E>::new().parse_ref(cmd, arg, trimmed)
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        Some(Box::new(
            E::value_variants()
                .iter()
                .filter_map(ValueEnum::to_possible_value),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_is_well_formed() {
        Args::command().debug_assert();
    }
}
