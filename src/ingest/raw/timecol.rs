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

/// The finished time axis.
pub(crate) struct TimeAxis {
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
    mut time: TimeReader,
    col: Option<&Col>,
    n: usize,
    dialect: Dialect,
    opts: &RawOptions,
    pre: &Preamble,
    warnings: &mut Vec<Warning>,
) -> Result<TimeAxis, String> {
    let mut start_unix_s = None;
    let by_rate = |r: f64| (0..n).map(|i| i as f64 / r).collect::<Vec<f64>>();
    let rate = opts.sample_rate_hz.or(pre.rate_hz);
    let (time_s, time_source, stated_rate_hz) = match (col, time.kind) {
        (Some(c), Some(kind)) => {
            let name = &c.name;
            let time_s = match kind {
                TimeKind::Number => {
                    let header_unit = match c.info.unit.as_deref().map(unit_kind) {
                        Some(UnitKind::Time(u)) => Some(u),
                        _ => None,
                    };
                    let dialect_unit = match (dialect, c.info.role) {
                        (_, Role::Time(2 | 3)) => Some(TimeUnit::S),
                        (Dialect::SensorLogger, _) => Some(TimeUnit::Ns),
                        (Dialect::MetaMotion, Role::Time(0)) => Some(TimeUnit::Ms),
                        (Dialect::Phyphox | Dialect::PhysicsToolbox, _) => Some(TimeUnit::S),
                        _ => None,
                    };
                    let unit = match opts.time_unit.or(header_unit).or(dialect_unit) {
                        Some(u) => u,
                        None => {
                            let step = infer::median_positive_step(&time.rel);
                            let u = infer::infer_time_unit(time.base.abs(), step);
                            warnings.push(Warning::new(
                                WarningCode::TimeUnitsInferred,
                                format!(
                                    "the '{name}' column names no unit; a median step of {} read as {}; pass --time-unit to override",
                                    fmt_num(step),
                                    time_unit_name(u)
                                ),
                            ));
                            u
                        }
                    };
                    let scale = unit.seconds();
                    let base_s = time.base * scale;
                    if infer::is_epoch_seconds(base_s) {
                        start_unix_s = Some(base_s);
                    }
                    let mut v = std::mem::take(&mut time.rel);
                    if scale != 1.0 {
                        v.iter_mut().for_each(|x| *x *= scale);
                    }
                    v
                }
                TimeKind::DateTime => {
                    start_unix_s = time.base_instant.map(Instant::unix_s);
                    if time.any_zone_less {
                        warnings.push(Warning::new(
                            WarningCode::TimeZoneAssumed,
                            format!("the '{name}' column names no time zone; read as UTC"),
                        ));
                    }
                    std::mem::take(&mut time.rel)
                }
                TimeKind::Clock => std::mem::take(&mut time.rel),
            };
            (time_s, TimeSource::Column, rate)
        }
        (Some(c), None) => match rate {
            Some(r) => {
                warnings.push(Warning::new(
                    WarningCode::TimeColumnEmpty,
                    format!(
                        "the '{}' column is empty; samples are taken {} s apart",
                        c.name,
                        fmt_num(1.0 / r)
                    ),
                ));
                let src = if opts.sample_rate_hz.is_some() {
                    TimeSource::OverrideRate
                } else {
                    TimeSource::HeaderRate
                };
                (by_rate(r), src, Some(r))
            }
            None => {
                return Err(format!(
                    "the time column '{}' is empty: pass --sample-rate HZ",
                    c.name
                ));
            }
        },
        (None, _) => {
            let (r, src) = match opts.sample_rate_hz {
                Some(r) => (r, TimeSource::OverrideRate),
                None => (pre.rate_hz.unwrap_or(1.0), TimeSource::HeaderRate),
            };
            (by_rate(r), src, Some(r))
        }
    };
    if time_source != TimeSource::Column && start_unix_s.is_none() {
        start_unix_s = pre.start_unix_s;
    }
    if pre.start_unix_s.is_some() && start_unix_s.is_some() && time_source != TimeSource::Column {
        warnings.push(Warning::new(
            WarningCode::TimeZoneAssumed,
            "the ActiGraph Start Date and Start Time are the device's local clock; read as UTC",
        ));
    }
    Ok(TimeAxis {
        time_s,
        source: time_source,
        stated_rate_hz,
        start_unix_s,
    })
}

fn time_unit_name(u: TimeUnit) -> &'static str {
    match u {
        TimeUnit::S => "s",
        TimeUnit::Ms => "ms",
        TimeUnit::Us => "µs",
        TimeUnit::Ns => "ns",
    }
}
