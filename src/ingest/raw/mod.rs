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
mod units;

use super::Dialect;
use crate::error::IngestError;
use crate::recording::Warning;
pub use crate::recording::{AccelUnit, AxisFrame, Decided, RawSignal, TimeSource, TimeUnit};
use std::path::Path;
use timecol::TimeReader;

pub(crate) use header::{has_anatomical_accel, is_headerless_row, is_two_level, split_simple};

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
        rejected_start_unix_s: None,
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
