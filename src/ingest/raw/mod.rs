//! Raw accelerometer (and gyroscope) exports → one [`RawSignal`].
//!
//! Dialects are recognised in [`super::detect`] by header signature; columns are found by
//! name. Everything is stored in m/s² (accelerometer) and deg/s (gyroscope), on a time axis in
//! seconds from the first sample. What was detected (units, gravity, time source) is recorded
//! with how it was decided, so the report can say it and the user can override it.

mod header;
mod infer;
mod layout;
mod rows;
mod select;
mod timecol;
mod timeparse;
mod units;

use super::Dialect;
use crate::error::IngestError;
use crate::recording::Warning;
use serde::Serialize;
use std::path::{Path, PathBuf};
use timecol::TimeReader;

pub(crate) use header::{has_anatomical_accel, is_headerless_row, is_two_level, split_simple};

/// Accelerometer units.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum AccelUnit {
    /// Multiples of standard gravity (9.80665 m/s²).
    #[serde(rename = "g")]
    G,
    /// Metres per second squared.
    #[serde(rename = "m/s^2")]
    Mps2,
}

/// Time-column units for numeric time stamps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TimeUnit {
    /// Seconds.
    S,
    /// Milliseconds.
    Ms,
    /// Microseconds.
    Us,
    /// Nanoseconds.
    Ns,
}

impl TimeUnit {
    /// Seconds per unit.
    pub fn seconds(self) -> f64 {
        match self {
            TimeUnit::S => 1.0,
            TimeUnit::Ms => 1e-3,
            TimeUnit::Us => 1e-6,
            TimeUnit::Ns => 1e-9,
        }
    }
}

/// How a property of the input was decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Decided {
    /// The file says so (header, unit in the column name, dialect documentation).
    Header,
    /// Inferred from the values (e.g. median |a| ≈ 1 → g).
    Inferred,
    /// The user said so on the command line.
    Override,
}

/// Where the time axis came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TimeSource {
    /// A time column in the file.
    Column,
    /// No time column: sample index / rate, the rate from the file header.
    HeaderRate,
    /// No time column: sample index / `--sample-rate`.
    OverrideRate,
}

/// What the three acceleration channels of a [`RawSignal`] mean.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AxisFrame {
    /// The sensor's own x, y, z axes (orientation unknown: the engine aligns them).
    Sensor,
    /// Already anatomical, as the column names say: `acc[0]` vertical (+ up), `acc[1]`
    /// antero-posterior (+ forward), `acc[2]` medio-lateral. `has_ap`/`has_ml` are false when
    /// the file has no such column (the channel is then all zeros).
    Anatomical {
        /// The file has an AP column.
        has_ap: bool,
        /// The file has an ML column.
        has_ml: bool,
    },
}

/// User overrides for raw files (`--map acc_x=COL`, `--accel-unit`, `--time-unit`,
/// `--sample-rate`, `--gravity`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RawOptions {
    /// Column names for time, acc x/y/z and gyro x/y/z (any may be `None`: found by name).
    pub time_column: Option<String>,
    /// Accelerometer x, y, z column names.
    pub acc_columns: [Option<String>; 3],
    /// Gyroscope x, y, z column names.
    pub gyro_columns: [Option<String>; 3],
    /// Speed column name (m/s).
    pub speed_column: Option<String>,
    /// Force the accelerometer unit.
    pub accel_unit: Option<AccelUnit>,
    /// Force the unit of a numeric time column.
    pub time_unit: Option<TimeUnit>,
    /// Sampling rate, Hz: used when the file has no time column (and overrides a header rate).
    pub sample_rate_hz: Option<f64>,
    /// Force whether gravity is included in the acceleration (`false` = linear acceleration).
    pub gravity_included: Option<bool>,
}

/// One raw sensor recording in SI units.
#[derive(Debug, Clone)]
pub struct RawSignal {
    /// Input path as given.
    pub path: PathBuf,
    /// Dialect name (`phyphox`, `sensor-logger`, `actigraph-raw`, …).
    pub format: &'static str,
    /// Device description when the file names it (serial, model).
    pub device: Option<String>,
    /// Unix seconds of `time_s[0]`, when the file has an absolute clock.
    pub start_unix_s: Option<f64>,
    /// Seconds from the first sample, in file order (may be non-uniform, may even step back:
    /// preprocessing deals with it). Same length as every channel.
    pub time_s: Vec<f64>,
    /// Where `time_s` came from.
    pub time_source: TimeSource,
    /// Rate stated by the file header or `--sample-rate`, Hz.
    pub stated_rate_hz: Option<f64>,
    /// Acceleration, m/s², in the axes `axes` says (sensor x, y, z unless the file names
    /// vertical/AP/ML columns). NaN = missing sample.
    pub acc_mps2: [Vec<f64>; 3],
    /// What the acceleration channels are.
    pub axes: AxisFrame,
    /// Angular rate in the sensor's axes, deg/s, when the file has a gyroscope.
    pub gyro_dps: Option<[Vec<f64>; 3]>,
    /// Speed over ground per sample, m/s, when the file has a speed column.
    pub speed_mps: Option<Vec<f64>>,
    /// The accelerometer unit of the file, and how it was decided.
    pub accel_unit: (AccelUnit, Decided),
    /// Whether gravity is included (`false` for phyphox "Linear Accelerometer", user
    /// acceleration), and how it was decided.
    pub gravity_included: (bool, Decided),
    /// Observations made while reading (inferred units, skipped rows, …).
    pub warnings: Vec<Warning>,
}

impl RawSignal {
    /// Drop the sample vectors (time, acceleration, gyro, speed) and keep the metadata: what
    /// an owner calls once the samples have been copied into preprocessed segments, so an
    /// hour-long 1 kHz file is not held twice.
    pub fn release_samples(&mut self) {
        self.time_s = Vec::new();
        self.acc_mps2 = Default::default();
        self.gyro_dps = None;
        self.speed_mps = None;
    }

    /// Number of samples.
    pub fn len(&self) -> usize {
        self.time_s.len()
    }

    /// True when there are no samples.
    pub fn is_empty(&self) -> bool {
        self.time_s.is_empty()
    }
}

/// Read a raw accelerometer export of a known dialect.
///
/// Columns are found by name (`--map` names them otherwise); units come from the header, the
/// dialect's documented default, or the values (reported as a warning). Samples stay in file
/// order: nothing is sorted, dropped or resampled.
///
/// # Errors
/// [`IngestError::Csv`] naming the line and column for malformed rows, and
/// [`IngestError::NoData`] when the file has no time column and no rate is known, or holds
/// no samples.
pub fn read_raw(
    path: &Path,
    text: &str,
    dialect: Dialect,
    opts: &RawOptions,
) -> Result<RawSignal, IngestError> {
    let mut warnings: Vec<Warning> = Vec::new();
    let body = layout::skip_preamble(text);
    let shape = layout::detect_layout(body.text);
    let mut rdr = layout::csv_reader(body.text, &shape);
    let mut rec = csv::ByteRecord::new();
    let cols = layout::read_header(
        path,
        &mut rdr,
        &mut rec,
        &shape,
        body.line_base,
        &mut warnings,
    )?;
    let sel = select::select(path, &cols, opts, &mut warnings)?;
    rows::require_time_source(path, &cols, sel.time, opts, &body.pre)?;

    let slots = rows::Slots::of(&sel);
    let time_offset = rows::time_offset_s(&cols, sel.time);
    let capacity = slots.capacity(shape.rows_estimate, body.text.len());
    let mut time = TimeReader::new(
        shape.decimal_comma,
        body.pre.date_order,
        time_offset,
        capacity,
    );
    let reader = rows::RowReader {
        path,
        rdr: &mut rdr,
        rec: &mut rec,
        line_base: body.line_base,
        decimal_comma: shape.decimal_comma,
    };
    let rows = rows::read_rows(reader, &cols, sel.time, &mut time, &slots, capacity)?;
    let n = rows.n;

    let time_col = sel.time.map(|t| &cols[t]);
    let axis = timecol::time_axis(time, time_col, n, dialect, opts, &body.pre, &mut warnings)
        .map_err(|reason| IngestError::NoData {
            path: path.to_path_buf(),
            reason,
        })?;

    let ch = rows.into_channels(&slots);
    let accel = units::decide_accel(opts, dialect, &cols, &sel.acc, &ch.acc);
    units::warn_inferred(&accel, &mut warnings);
    let acc_mps2 = units::acc_to_mps2(ch.acc, accel.unit.0, n);
    let gyro_dps = units::gyro_to_dps(ch.gyro, sel.gyro, &cols, dialect, &mut warnings);
    let speed_mps = units::speed_to_mps(ch.speed, sel.speed, &cols, &mut warnings);

    Ok(RawSignal {
        path: path.to_path_buf(),
        format: dialect.name(),
        device: body.pre.device,
        start_unix_s: axis.start_unix_s,
        time_s: axis.time_s,
        time_source: axis.source,
        stated_rate_hz: axis.stated_rate_hz,
        acc_mps2,
        axes: sel.axes,
        gyro_dps,
        speed_mps,
        accel_unit: accel.unit,
        gravity_included: accel.gravity_included,
        warnings,
    })
}

/// A number for a warning: `n/a` when not finite, no decimals from 100, two from 1, else
/// four.
pub(crate) fn fmt_num(v: f64) -> String {
    if !v.is_finite() {
        "n/a".into()
    } else if v.abs() >= 100.0 {
        format!("{v:.0}")
    } else if v.abs() >= 1.0 {
        format!("{v:.2}")
    } else {
        format!("{v:.4}")
    }
}
