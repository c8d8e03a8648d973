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
mod stream;
mod timecol;
mod units;

use super::Dialect;
use crate::error::IngestError;
use crate::recording::Warning;
pub use crate::recording::{AccelUnit, AxisFrame, Decided, RawSignal, TimeSource, TimeUnit};
use std::path::Path;
use timecol::TimeReader;

pub(crate) use header::{has_anatomical_accel, is_headerless_row, is_two_level, split_simple};
pub use stream::stream_raw_csv;

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
    let body = layout::skip_preamble(text);
    let shape = layout::detect_layout(body.text);
    let rdr = layout::csv_reader(body.text, &shape);
    let capacity_hint = (shape.rows_estimate, body.text.len());
    let mut reader = Reader::open(path, body.line_base, body.pre, &shape, rdr, opts)?;
    let capacity = reader.slots.capacity(capacity_hint.0, capacity_hint.1);
    let rows = reader.rows(capacity, usize::MAX)?;
    if rows.n == 0 {
        return Err(rows::no_rows(path));
    }
    reader.window(rows, dialect, opts).map(|(sig, _)| sig)
}

/// A raw export's reader after its header: the columns chosen, the time column being read.
pub(crate) struct Reader<'p, R: std::io::Read> {
    path: &'p Path,
    rdr: csv::Reader<R>,
    rec: csv::ByteRecord,
    line_base: u64,
    decimal_comma: bool,
    pre: header::Preamble,
    cols: Vec<select::Col>,
    sel: select::Selection,
    slots: rows::Slots,
    time: TimeReader,
    warnings: Vec<Warning>,
}

/// What the first window decided, for the rows after it ([`Reader::next_chunk`]).
pub(crate) struct Decisions {
    dialect: Dialect,
    next: timecol::NextTime,
    accel_unit: AccelUnit,
    /// Samples so far.
    n: usize,
}

impl<'p, R: std::io::Read> Reader<'p, R> {
    /// Read the header (after `line_base` lines of preamble), choose the columns and check
    /// that the samples can be placed in time: header → columns → time source → slots.
    ///
    /// # Errors
    /// As [`read_raw`].
    pub(crate) fn open(
        path: &'p Path,
        line_base: u64,
        pre: header::Preamble,
        shape: &layout::Shape,
        mut rdr: csv::Reader<R>,
        opts: &RawOptions,
    ) -> Result<Self, IngestError> {
        let mut warnings: Vec<Warning> = Vec::new();
        let mut rec = csv::ByteRecord::new();
        let cols = layout::read_header(path, &mut rdr, &mut rec, shape, line_base, &mut warnings)?;
        let sel = select::select(path, &cols, opts, &mut warnings)?;
        rows::require_time_source(path, &cols, sel.time, opts, &pre)?;
        let slots = rows::Slots::of(&sel);
        let time_offset = rows::time_offset_s(&cols, sel.time);
        let time = TimeReader::new(shape.decimal_comma, pre.date_order, time_offset, 0);
        Ok(Reader {
            path,
            rdr,
            rec,
            line_base,
            decimal_comma: shape.decimal_comma,
            pre,
            cols,
            sel,
            slots,
            time,
            warnings,
        })
    }

    /// The next `limit` data rows (0 at the end of the file).
    ///
    /// # Errors
    /// [`IngestError::Csv`] naming the line and column of a malformed row.
    pub(crate) fn rows(
        &mut self,
        capacity: usize,
        limit: usize,
    ) -> Result<rows::Rows, IngestError> {
        self.time.reserve(capacity);
        let reader = rows::RowReader {
            path: self.path,
            rdr: &mut self.rdr,
            rec: &mut self.rec,
            line_base: self.line_base,
            decimal_comma: self.decimal_comma,
        };
        rows::read_rows(
            reader,
            &self.cols,
            self.sel.time,
            &mut self.time,
            &self.slots,
            capacity,
            limit,
        )
    }

    /// The first window's signal, its units and time axis decided from its rows: time axis →
    /// accelerometer unit → channels in m/s², deg/s and m/s. Also what the rows after it
    /// need.
    ///
    /// # Errors
    /// [`IngestError::NoData`] when the time column is empty and no rate is known.
    pub(crate) fn window(
        &mut self,
        rows: rows::Rows,
        dialect: Dialect,
        opts: &RawOptions,
    ) -> Result<(RawSignal, Decisions), IngestError> {
        let n = rows.n;
        let mut warnings = std::mem::take(&mut self.warnings);
        let next = self.time.continuation();
        let time = std::mem::replace(&mut self.time, next);
        let time_col = self.sel.time.map(|t| &self.cols[t]);
        let axis = timecol::time_axis(time, time_col, n, dialect, opts, &self.pre, &mut warnings)
            .map_err(|reason| IngestError::NoData {
            path: self.path.to_path_buf(),
            reason,
        })?;
        let ch = rows.into_channels(&self.slots);
        let accel = units::decide_accel(opts, dialect, &self.cols, &self.sel.acc, &ch.acc);
        units::warn_inferred(&accel, &mut warnings);
        let acc_mps2 = units::acc_to_mps2(ch.acc, accel.unit.0, n);
        let gyro_dps =
            units::gyro_to_dps(ch.gyro, self.sel.gyro, &self.cols, dialect, &mut warnings);
        let speed_mps = units::speed_to_mps(ch.speed, self.sel.speed, &self.cols, &mut warnings);
        let decisions = Decisions {
            dialect,
            next: axis.next,
            accel_unit: accel.unit.0,
            n,
        };
        let sig = RawSignal {
            path: self.path.to_path_buf(),
            format: dialect.name(),
            device: self.pre.device.clone(),
            start_unix_s: axis.start_unix_s,
            rejected_start_unix_s: None,
            time_s: axis.time_s,
            time_source: axis.source,
            stated_rate_hz: axis.stated_rate_hz,
            acc_mps2,
            axes: self.sel.axes,
            gyro_dps,
            speed_mps,
            accel_unit: accel.unit,
            gravity_included: accel.gravity_included,
            warnings,
        };
        Ok((sig, decisions))
    }

    /// The next rows after the first window as a chunk, with the window's decisions: times
    /// on the window's axis (seconds from its first sample), values in its units. `None` at
    /// the end of the file.
    ///
    /// # Errors
    /// [`IngestError::Csv`] naming the line and column of a malformed row.
    pub(crate) fn next_chunk(
        &mut self,
        d: &mut Decisions,
        limit: usize,
    ) -> Result<Option<crate::ingest::stream::Chunk>, IngestError> {
        let rows = self.rows(limit, limit)?;
        let n = rows.n;
        if n == 0 {
            return Ok(None);
        }
        let time_s = match d.next {
            timecol::NextTime::Column { scale } => {
                let mut v = self.time.take_values();
                v.iter_mut().for_each(|x| *x *= scale);
                v
            }
            timecol::NextTime::Rate { rate_hz } => {
                (d.n..d.n + n).map(|i| i as f64 / rate_hz).collect()
            }
        };
        d.n += n;
        let mut scratch = Vec::new();
        let ch = rows.into_channels(&self.slots);
        Ok(Some(crate::ingest::stream::Chunk {
            time_s,
            acc_mps2: units::acc_to_mps2(ch.acc, d.accel_unit, n),
            gyro_dps: units::gyro_to_dps(
                ch.gyro,
                self.sel.gyro,
                &self.cols,
                d.dialect,
                &mut scratch,
            ),
            speed_mps: units::speed_to_mps(ch.speed, self.sel.speed, &self.cols, &mut scratch),
        }))
    }
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
