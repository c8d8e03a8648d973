//! The time axis: a time column read row by row (numbers, date-times or clock times), then
//! scaled to seconds from the first sample; or, without a column, sample index / rate.

use super::header::{Preamble, Role, UnitKind, unit_kind};
use super::select::Col;
use super::{RawOptions, TimeSource, TimeUnit, fmt_num, infer};
use crate::ingest::Dialect;
use crate::ingest::records_csv::parse_number;
use crate::recording::Warning;
use crate::time::{DateOrder, Instant};
use crate::vocab::WarningCode;

/// How a time column is written, decided by its first non-empty cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TimeKind {
    Number,
    DateTime,
    Clock,
}

/// Reads a time column row by row, keeping differences exact: each value is stored relative
/// to the first (integers as integers, date-times as whole seconds plus a fraction).
pub(crate) struct TimeReader {
    kind: Option<TimeKind>,
    decimal_comma: bool,
    date_order: Option<DateOrder>,
    offset_s: Option<i64>,
    base_int: Option<i64>,
    base: f64,
    base_instant: Option<Instant>,
    any_zone_less: bool,
    clock_prev: f64,
    clock_add: f64,
    rel: Vec<f64>,
}

impl TimeReader {
    pub(crate) fn new(
        decimal_comma: bool,
        date_order: Option<DateOrder>,
        offset_s: Option<i64>,
        cap: usize,
    ) -> Self {
        TimeReader {
            kind: None,
            decimal_comma,
            date_order,
            offset_s,
            base_int: None,
            base: f64::NAN,
            base_instant: None,
            any_zone_less: false,
            clock_prev: f64::NAN,
            clock_add: 0.0,
            rel: Vec::with_capacity(cap),
        }
    }

    /// A reader that goes on where this one is (same kind, base and clock state) with no
    /// values: the rows after a streamed file's first window.
    pub(crate) fn continuation(&self) -> TimeReader {
        TimeReader {
            kind: self.kind,
            decimal_comma: self.decimal_comma,
            date_order: self.date_order,
            offset_s: self.offset_s,
            base_int: self.base_int,
            base: self.base,
            base_instant: self.base_instant,
            any_zone_less: self.any_zone_less,
            clock_prev: self.clock_prev,
            clock_add: self.clock_add,
            rel: Vec::new(),
        }
    }

    /// Room for `n` more values.
    pub(crate) fn reserve(&mut self, n: usize) {
        self.rel.reserve(n);
    }

    /// Take the values read so far (relative to the first, in the column's unit).
    pub(crate) fn take_values(&mut self) -> Vec<f64> {
        std::mem::take(&mut self.rel)
    }

    fn decide(&self, s: &str, cell: &[u8]) -> Option<TimeKind> {
        if s.parse::<i64>().is_ok() || parse_number(cell, self.decimal_comma).is_some() {
            Some(TimeKind::Number)
        } else if crate::time::parse_instant(s, self.date_order, self.offset_s).is_some() {
            Some(TimeKind::DateTime)
        } else if crate::time::parse_clock(s).is_some() {
            Some(TimeKind::Clock)
        } else {
            None
        }
    }

    /// Parse one cell; `Err` is the reason, for the caller to place.
    #[inline]
    pub(crate) fn push(&mut self, cell: &[u8]) -> Result<(), String> {
        let s = std::str::from_utf8(cell)
            .unwrap_or("\u{fffd}")
            .trim()
            .trim_matches('"');
        if s.is_empty() {
            self.rel.push(f64::NAN);
            return Ok(());
        }
        let kind = match self.kind {
            Some(k) => k,
            None => {
                if s.parse::<i64>().is_err()
                    && parse_number(cell, self.decimal_comma).is_some_and(f64::is_nan)
                {
                    // `nan`, `null`, `-`: missing, and no hint of how the column is written.
                    self.rel.push(f64::NAN);
                    return Ok(());
                }
                let k = self.decide(s, cell).ok_or_else(|| {
                    format!("expected a time (a number, a date-time or a clock time), found '{s}'")
                })?;
                self.kind = Some(k);
                k
            }
        };
        let v = match kind {
            TimeKind::Number => {
                if let Ok(i) = s.parse::<i64>() {
                    if self.base.is_nan() {
                        self.base_int = Some(i);
                        self.base = i as f64;
                    }
                    match self.base_int {
                        Some(b) => (i128::from(i) - i128::from(b)) as f64,
                        None => i as f64 - self.base,
                    }
                } else {
                    let v = parse_number(cell, self.decimal_comma).ok_or_else(|| {
                        format!("expected a number like the rows above, found '{s}'")
                    })?;
                    if v.is_finite() && self.base.is_nan() {
                        self.base = v;
                    }
                    v - self.base
                }
            }
            TimeKind::DateTime => {
                let t = crate::time::parse_instant(s, self.date_order, self.offset_s).ok_or_else(
                    || format!("expected a date-time like the rows above, found '{s}'"),
                )?;
                self.any_zone_less |= !t.has_zone;
                let b = *self.base_instant.get_or_insert(t);
                t.secs.saturating_sub(b.secs) as f64 + (t.frac - b.frac)
            }
            TimeKind::Clock => {
                let sod = crate::time::parse_clock(s).ok_or_else(|| {
                    format!("expected a clock time like the rows above, found '{s}'")
                })?;
                // Past midnight the clock starts again at 0.
                if sod + self.clock_add < self.clock_prev - 43_200.0 {
                    self.clock_add += 86_400.0;
                }
                let v = sod + self.clock_add;
                self.clock_prev = v;
                if self.base.is_nan() {
                    self.base = v;
                }
                v - self.base
            }
        };
        self.rel.push(v);
        Ok(())
    }
}

/// How the times of rows after the first window follow from the decisions made on it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum NextTime {
    /// The time column's values (relative to the first) times this many seconds per unit.
    Column {
        /// Seconds per unit of the column.
        scale: f64,
    },
    /// Sample index / rate.
    Rate {
        /// The rate, Hz.
        rate_hz: f64,
    },
}

/// The finished time axis.
pub(crate) struct TimeAxis {
    /// How later rows' times follow.
    pub next: NextTime,
    /// Seconds from the first sample.
    pub time_s: Vec<f64>,
    /// Where it came from.
    pub source: TimeSource,
    /// `--sample-rate`, else the rate the file header states.
    pub stated_rate_hz: Option<f64>,
    /// Unix seconds of the first sample, when the file has an absolute clock.
    pub start_unix_s: Option<f64>,
}

/// Finish the time axis of `n` samples: the column `col` read by `time` (its unit from
/// `--time-unit`, the header, the dialect, or the median step), else the rate.
///
/// # Errors
/// The reason, when the time column is empty and no rate is known.
pub(crate) fn time_axis(
    time: TimeReader,
    col: Option<&Col>,
    n: usize,
    dialect: Dialect,
    opts: &RawOptions,
    pre: &Preamble,
    warnings: &mut Vec<Warning>,
) -> Result<TimeAxis, String> {
    let rate = opts.sample_rate_hz.or(pre.rate_hz);
    let mut axis = match (col, time.kind) {
        (Some(c), Some(kind)) => {
            let (time_s, start_unix_s, scale) = column_time(time, kind, c, dialect, opts, warnings);
            TimeAxis {
                next: NextTime::Column { scale },
                time_s,
                source: TimeSource::Column,
                stated_rate_hz: rate,
                start_unix_s,
            }
        }
        (Some(c), None) => empty_column_axis(c, n, rate, opts, warnings)?,
        (None, _) => rate_axis(n, opts, pre),
    };
    if axis.source != TimeSource::Column && axis.start_unix_s.is_none() {
        axis.start_unix_s = pre.start_unix_s;
    }
    if pre.start_unix_s.is_some()
        && axis.start_unix_s.is_some()
        && axis.source != TimeSource::Column
    {
        warnings.push(Warning::new(
            WarningCode::TimeZoneAssumed,
            "the ActiGraph Start Date and Start Time are the device's local clock; read as UTC",
        ));
    }
    Ok(axis)
}

/// Seconds from the first sample of a time column written as `kind`, and the Unix time of
/// the first sample when the column is an absolute clock: numbers scaled by their unit
/// ([`numeric_time_unit`]; absolute when the first value is epoch seconds), date-times
/// (absolute; `time_zone_assumed` when one names no zone), clock times (relative).
fn column_time(
    mut time: TimeReader,
    kind: TimeKind,
    c: &Col,
    dialect: Dialect,
    opts: &RawOptions,
    warnings: &mut Vec<Warning>,
) -> (Vec<f64>, Option<f64>, f64) {
    match kind {
        TimeKind::Number => {
            let unit = numeric_time_unit(&time, c, dialect, opts, warnings);
            let scale = unit.seconds();
            let base_s = time.base * scale;
            let start_unix_s = infer::is_epoch_seconds(base_s).then_some(base_s);
            let mut v = std::mem::take(&mut time.rel);
            if scale != 1.0 {
                v.iter_mut().for_each(|x| *x *= scale);
            }
            (v, start_unix_s, scale)
        }
        TimeKind::DateTime => {
            if time.any_zone_less {
                warnings.push(Warning::new(
                    WarningCode::TimeZoneAssumed,
                    format!("the '{}' column names no time zone; read as UTC", c.name),
                ));
            }
            (
                std::mem::take(&mut time.rel),
                time.base_instant.map(Instant::unix_s),
                1.0,
            )
        }
        TimeKind::Clock => (std::mem::take(&mut time.rel), None, 1.0),
    }
}

/// The unit the dialect documents for a numeric time column in `role`: `secs`/`elapsed`
/// columns are seconds; Sensor Logger writes nanoseconds, MetaMotion `epoc` milliseconds,
/// phyphox and Physics Toolbox seconds.
fn dialect_time_unit(dialect: Dialect, role: Role) -> Option<TimeUnit> {
    match (dialect, role) {
        (_, Role::Time(2 | 3)) => Some(TimeUnit::S),
        (Dialect::SensorLogger, _) => Some(TimeUnit::Ns),
        (Dialect::MetaMotion, Role::Time(0)) => Some(TimeUnit::Ms),
        (Dialect::Phyphox | Dialect::PhysicsToolbox, _) => Some(TimeUnit::S),
        _ => None,
    }
}

/// The unit of a numeric time column: `--time-unit`, the header, the dialect, else inferred
/// from the first value and the median step (`time_units_inferred`).
fn numeric_time_unit(
    time: &TimeReader,
    c: &Col,
    dialect: Dialect,
    opts: &RawOptions,
    warnings: &mut Vec<Warning>,
) -> TimeUnit {
    let header_unit = match c.info.unit.as_deref().map(unit_kind) {
        Some(UnitKind::Time(u)) => Some(u),
        _ => None,
    };
    let dialect_unit = dialect_time_unit(dialect, c.info.role);
    if let Some(u) = opts.time_unit.or(header_unit).or(dialect_unit) {
        return u;
    }
    let step = infer::median_positive_step(&time.rel);
    let u = infer::infer_time_unit(time.base.abs(), step);
    warnings.push(Warning::new(
        WarningCode::TimeUnitsInferred,
        format!(
            "the '{}' column names no unit; a median step of {} read as {}; pass --time-unit to override",
            c.name,
            fmt_num(step),
            time_unit_name(u)
        ),
    ));
    u
}

/// `n` samples `1 / rate_hz` apart from 0.
fn by_rate(n: usize, rate_hz: f64) -> Vec<f64> {
    (0..n).map(|i| i as f64 / rate_hz).collect()
}

/// A time column with no value: samples at the rate (`time_column_empty`).
///
/// # Errors
/// The reason, when no rate is known.
fn empty_column_axis(
    c: &Col,
    n: usize,
    rate: Option<f64>,
    opts: &RawOptions,
    warnings: &mut Vec<Warning>,
) -> Result<TimeAxis, String> {
    let Some(r) = rate else {
        return Err(format!(
            "the time column '{}' is empty: pass --sample-rate HZ",
            c.name
        ));
    };
    warnings.push(Warning::new(
        WarningCode::TimeColumnEmpty,
        format!(
            "the '{}' column is empty; samples are taken {} s apart",
            c.name,
            fmt_num(1.0 / r)
        ),
    ));
    let source = if opts.sample_rate_hz.is_some() {
        TimeSource::OverrideRate
    } else {
        TimeSource::HeaderRate
    };
    Ok(TimeAxis {
        next: NextTime::Rate { rate_hz: r },
        time_s: by_rate(n, r),
        source,
        stated_rate_hz: Some(r),
        start_unix_s: None,
    })
}

/// No time column: samples at `--sample-rate`, else the header's rate (1 Hz when neither,
/// which the caller has already ruled out).
fn rate_axis(n: usize, opts: &RawOptions, pre: &Preamble) -> TimeAxis {
    let (r, source) = match opts.sample_rate_hz {
        Some(r) => (r, TimeSource::OverrideRate),
        None => (pre.rate_hz.unwrap_or(1.0), TimeSource::HeaderRate),
    };
    TimeAxis {
        next: NextTime::Rate { rate_hz: r },
        time_s: by_rate(n, r),
        source,
        stated_rate_hz: Some(r),
        start_unix_s: None,
    }
}

fn time_unit_name(u: TimeUnit) -> &'static str {
    match u {
        TimeUnit::S => "s",
        TimeUnit::Ms => "ms",
        TimeUnit::Us => "µs",
        TimeUnit::Ns => "ns",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(cells: &[&str]) -> TimeReader {
        let mut t = TimeReader::new(false, None, None, 4);
        for c in cells {
            t.push(c.as_bytes()).unwrap();
        }
        t
    }

    #[test]
    fn numeric_columns_scale_by_their_unit() {
        let c = Col::plain("timestamp".into());
        let mut w = Vec::new();
        let opts = RawOptions::default();
        let t = read(&["1700000000000", "1700000000010", "1700000000020"]);
        let a = time_axis(
            t,
            Some(&c),
            3,
            Dialect::GenericAccel,
            &opts,
            &Preamble::default(),
            &mut w,
        )
        .unwrap();
        assert_eq!(a.time_s, [0.0, 0.01, 0.02]);
        assert_eq!(a.start_unix_s, Some(1_700_000_000.0));
        assert_eq!(a.source, TimeSource::Column);
        assert_eq!(w[0].code, WarningCode::TimeUnitsInferred);
        let t = read(&["0", "5", "10"]);
        let ms = RawOptions {
            time_unit: Some(TimeUnit::Ms),
            ..RawOptions::default()
        };
        let (v, start, _) =
            column_time(t, TimeKind::Number, &c, Dialect::GenericAccel, &ms, &mut w);
        assert_eq!((v, start), (vec![0.0, 0.005, 0.01], None));
        assert_eq!(
            dialect_time_unit(Dialect::SensorLogger, Role::Time(1)),
            Some(TimeUnit::Ns)
        );
        assert_eq!(
            dialect_time_unit(Dialect::SensorLogger, Role::Time(2)),
            Some(TimeUnit::S)
        );
        assert_eq!(dialect_time_unit(Dialect::MetaMotion, Role::Time(1)), None);
    }

    #[test]
    fn without_a_column_the_rate_decides() {
        let pre = Preamble {
            rate_hz: Some(4.0),
            start_unix_s: Some(1000.0),
            ..Preamble::default()
        };
        let mut w = Vec::new();
        let opts = RawOptions::default();
        let a = time_axis(
            read(&[]),
            None,
            3,
            Dialect::ActigraphRaw,
            &opts,
            &pre,
            &mut w,
        )
        .unwrap();
        assert_eq!(
            (a.time_s, a.source),
            (vec![0.0, 0.25, 0.5], TimeSource::HeaderRate)
        );
        assert_eq!(
            (a.stated_rate_hz, a.start_unix_s),
            (Some(4.0), Some(1000.0))
        );
        assert_eq!(w[0].code, WarningCode::TimeZoneAssumed);
        let c = Col::plain("time".into());
        let e = time_axis(
            read(&["", ""]),
            Some(&c),
            2,
            Dialect::GenericAccel,
            &opts,
            &Preamble::default(),
            &mut w,
        );
        assert_eq!(
            e.err().as_deref(),
            Some("the time column 'time' is empty: pass --sample-rate HZ")
        );
        let two = RawOptions {
            sample_rate_hz: Some(2.0),
            ..RawOptions::default()
        };
        let a = empty_column_axis(&c, 2, Some(2.0), &two, &mut w).unwrap();
        assert_eq!(
            (a.time_s, a.source),
            (vec![0.0, 0.5], TimeSource::OverrideRate)
        );
    }
}
