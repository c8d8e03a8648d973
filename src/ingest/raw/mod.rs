//! Raw accelerometer (and gyroscope) exports → one [`RawSignal`].
//!
//! Dialects are recognised in [`super::detect`] by header signature; columns are found by
//! name. Everything is stored in m/s² (accelerometer) and deg/s (gyroscope), on a time axis in
//! seconds from the first sample. What was detected (units, gravity, time source) is recorded
//! with how it was decided, so the report can say it and the user can override it.

mod header;
mod infer;
mod select;
mod timecol;

use super::Dialect;
use super::records_csv::{parse_number, sniff_delimiter};
use crate::error::IngestError;
use crate::recording::Warning;
pub use crate::recording::{AccelUnit, AxisFrame, Decided, RawSignal, TimeSource, TimeUnit};
use crate::units::STANDARD_GRAVITY_MPS2;
use crate::vocab::WarningCode;
use header::UnitKind;
use select::{Col, list_columns};
use std::path::Path;

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

/// How the header is laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Layout {
    /// One header line.
    OneLine,
    /// Sensor names, then axis names (gaitmap/NilsPod).
    TwoLevel,
    /// No header: date-time, x, y, z (Axivity/OMGUI).
    Headerless,
}

fn cell_text(field: &[u8]) -> String {
    String::from_utf8_lossy(field)
        .trim()
        .trim_matches('"')
        .trim()
        .to_string()
}

fn unit_name(u: AccelUnit) -> &'static str {
    match u {
        AccelUnit::G => "g",
        AccelUnit::Mps2 => "m/s²",
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
    let csv_err = |line: u64, column: Option<&str>, reason: String| IngestError::Csv {
        path: path.to_path_buf(),
        line,
        column: column.map(str::to_string),
        reason,
    };
    let no_data = |reason: String| IngestError::NoData {
        path: path.to_path_buf(),
        reason,
    };
    let mut warnings: Vec<Warning> = Vec::new();
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);

    // Leading blank lines, then the ActiGraph preamble.
    let mut offset = 0usize;
    let mut line_no = 1u64;
    for l in text.split_inclusive('\n') {
        if !l.trim().is_empty() {
            break;
        }
        offset += l.len();
        line_no += 1;
    }
    let first_line = text[offset..].lines().next().unwrap_or("");
    let pre = if header::is_actigraph(first_line) {
        let p = header::actigraph_preamble(&text[offset..]);
        for l in text[offset..].split_inclusive('\n').take(p.lines) {
            offset += l.len();
            line_no += 1;
        }
        p
    } else {
        header::Preamble::default()
    };
    let body = &text[offset..];

    // Layout and delimiter from the first lines.
    let mut lines = body.lines();
    let l1 = lines.next().unwrap_or("");
    let l2 = lines.next().unwrap_or("");
    let delim = sniff_delimiter(l1);
    let decimal_comma = delim != b',';
    let cells1 = split_simple(l1, delim);
    let cells2 = split_simple(l2, delim);
    let layout = if is_headerless_row(&cells1) {
        Layout::Headerless
    } else if is_two_level(&cells1, &cells2) {
        Layout::TwoLevel
    } else {
        Layout::OneLine
    };
    let sample_line = match layout {
        Layout::Headerless => l1,
        Layout::OneLine => l2,
        Layout::TwoLevel => lines.next().unwrap_or(l2),
    };
    let rows_estimate = body.len() / (sample_line.len() + 1).max(8);

    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(delim)
        .has_headers(false)
        .flexible(true)
        .from_reader(body.as_bytes());
    let line_base = line_no - 1;
    let mut rec = csv::ByteRecord::new();
    let mut next_header = |rec: &mut csv::ByteRecord| -> Result<Vec<String>, IngestError> {
        match rdr.read_byte_record(rec) {
            Ok(true) => Ok(rec.iter().map(cell_text).collect()),
            Ok(false) => Err(no_data(
                "no samples: the file has no column header and no data rows".into(),
            )),
            Err(e) => Err(csv_err(
                line_base + e.position().map_or(1, |p| p.line()),
                None,
                format!("cannot read the header: {e}"),
            )),
        }
    };
    let cols: Vec<Col> = match layout {
        Layout::OneLine => next_header(&mut rec)?.into_iter().map(Col::plain).collect(),
        Layout::TwoLevel => {
            let groups = next_header(&mut rec)?;
            let subs = next_header(&mut rec)?;
            let mut last_group = String::new();
            subs.into_iter()
                .enumerate()
                .map(|(i, sub)| {
                    if i == 0 {
                        let name = if sub.is_empty() {
                            "index".to_string()
                        } else {
                            sub.clone()
                        };
                        return Col::plain(name);
                    }
                    if let Some(g) = groups.get(i).filter(|g| !g.is_empty()) {
                        last_group = g.clone();
                    }
                    Col {
                        info: header::classify(&sub),
                        name: format!("{last_group}.{sub}"),
                        sub,
                        group: Some(last_group.clone()),
                    }
                })
                .collect()
        }
        Layout::Headerless => {
            warnings.push(Warning::new(
                WarningCode::NoHeader,
                "the file has no column header: columns read as time, x, y, z (and gyroscope gx, gy, gz)",
            ));
            header::headerless_names(cells1.len())
                .into_iter()
                .map(Col::plain)
                .collect()
        }
    };

    let sel = select::select(path, &cols, opts, &mut warnings)?;
    let (time_col, acc_cols, axes, gyr, speed_col) =
        (sel.time, sel.acc, sel.axes, sel.gyro, sel.speed);

    // The time axis: a column, else a rate (--sample-rate, then the file header).
    if let Some(r) = opts.sample_rate_hz
        && !(r.is_finite() && r > 0.0)
    {
        return Err(no_data(format!(
            "the sampling rate {r} Hz is not a positive number"
        )));
    }
    let rate = opts.sample_rate_hz.or(pre.rate_hz);
    if time_col.is_none() && rate.is_none() {
        return Err(no_data(format!(
            "no time column and no sampling rate (columns: {}): pass --sample-rate HZ, or name the time column with --map time=COLUMN",
            list_columns(&cols)
        )));
    }
    let time_offset =
        time_col.and_then(
            |t| match cols[t].info.unit.as_deref().map(header::unit_kind) {
                Some(UnitKind::Offset(o)) => Some(o),
                _ => None,
            },
        );
    // Rows.
    let mut numeric: Vec<usize> = Vec::new();
    let slot = |c: Option<usize>, numeric: &mut Vec<usize>| {
        c.map(|c| {
            numeric.push(c);
            numeric.len() - 1
        })
    };
    let acc_slot = acc_cols.map(|c| slot(c, &mut numeric));
    let gyr_slot = gyr.map(|g| g.map(|c| slot(c, &mut numeric)));
    let speed_slot = slot(speed_col, &mut numeric);
    // Every row takes at least two bytes per column read: junk with short lines cannot make
    // this reserve more than a few times the file size.
    let capacity = rows_estimate.min(body.len() / (2 * (numeric.len() + 1))) + 16;
    let mut time = timecol::TimeReader::new(decimal_comma, pre.date_order, time_offset, capacity);
    let mut vals: Vec<Vec<f64>> = (0..numeric.len())
        .map(|_| Vec::with_capacity(capacity))
        .collect();
    let mut n = 0usize;
    loop {
        match rdr.read_byte_record(&mut rec) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                return Err(csv_err(
                    line_base + e.position().map_or(0, |p| p.line()),
                    None,
                    format!("cannot read the row: {e}"),
                ));
            }
        }
        if rec.iter().all(|c| c.iter().all(u8::is_ascii_whitespace)) {
            continue;
        }
        let line = |rec: &csv::ByteRecord| line_base + rec.position().map_or(0, |p| p.line());
        if let Some(t) = time_col {
            time.push(rec.get(t).unwrap_or(b""))
                .map_err(|reason| csv_err(line(&rec), Some(&cols[t].name), reason))?;
        }
        for (k, &c) in numeric.iter().enumerate() {
            let cell = rec.get(c).unwrap_or(b"");
            match parse_number(cell, decimal_comma) {
                Some(v) => vals[k].push(v),
                None => {
                    return Err(csv_err(
                        line(&rec),
                        Some(&cols[c].name),
                        format!(
                            "expected a number, found '{}'",
                            String::from_utf8_lossy(cell)
                                .trim()
                                .chars()
                                .take(60)
                                .collect::<String>()
                        ),
                    ));
                }
            }
        }
        n += 1;
    }
    if n == 0 {
        return Err(no_data(
            "no samples: the header is followed by no data rows".into(),
        ));
    }

    // Time.
    let axis = timecol::time_axis(
        time,
        time_col.map(|t| &cols[t]),
        n,
        dialect,
        opts,
        &pre,
        &mut warnings,
    )
    .map_err(no_data)?;
    let (time_s, time_source, stated_rate_hz, start_unix_s) = (
        axis.time_s,
        axis.source,
        axis.stated_rate_hz,
        axis.start_unix_s,
    );

    // Take the channels out.
    let mut take = |s: Option<usize>| s.map(|k| std::mem::take(&mut vals[k]));
    let mut acc_raw: [Option<Vec<f64>>; 3] = [None, None, None];
    for i in 0..3 {
        acc_raw[i] = take(acc_slot[i]);
    }
    let gyr_raw = gyr_slot.map(|g| g.map(|s| take(s).unwrap_or_default()));
    let speed_raw = take(speed_slot);

    // Accelerometer unit and gravity.
    let header_unit = acc_cols.iter().flatten().find_map(|&c| {
        match cols[c].info.unit.as_deref().map(header::unit_kind) {
            Some(UnitKind::Accel(u)) => Some(u),
            _ => None,
        }
    });
    let g_force = acc_cols
        .iter()
        .flatten()
        .any(|&c| cols[c].sub.to_ascii_lowercase().starts_with("gf"));
    let dialect_unit = match dialect {
        Dialect::Phyphox | Dialect::SensorLogger => Some(AccelUnit::Mps2),
        Dialect::ActigraphRaw | Dialect::ActigraphImu | Dialect::MetaMotion => Some(AccelUnit::G),
        Dialect::PhysicsToolbox if g_force => Some(AccelUnit::G),
        _ => None,
    };
    let dialect_gravity = match dialect {
        Dialect::ActigraphRaw | Dialect::ActigraphImu | Dialect::MetaMotion => Some(true),
        Dialect::PhysicsToolbox if g_force => Some(true),
        _ => None,
    };
    let stats = || {
        infer::accel_stats([
            acc_raw[0].as_deref(),
            acc_raw[1].as_deref(),
            acc_raw[2].as_deref(),
        ])
    };
    let known_unit = match (opts.accel_unit, header_unit.or(dialect_unit)) {
        (Some(u), _) => Some((u, Decided::Override)),
        (None, Some(u)) => Some((u, Decided::Header)),
        _ => None,
    };
    let known_gravity = match (opts.gravity_included, dialect_gravity) {
        (Some(g), _) => Some((g, Decided::Override)),
        (None, Some(g)) => Some((g, Decided::Header)),
        _ => None,
    };
    let (accel_unit, gravity_included, stats_used) = match (known_unit, known_gravity) {
        (Some(u), Some(g)) => (u, g, None),
        (Some(u), None) => {
            let s = stats();
            let g = s.as_ref().is_none_or(|s| infer::infer_gravity(s, u.0));
            (u, (g, Decided::Inferred), s)
        }
        (None, Some(g)) => {
            let s = stats();
            let u = s
                .as_ref()
                .map_or(AccelUnit::G, |s| infer::infer_accel_unit(s, g.0));
            ((u, Decided::Inferred), g, s)
        }
        (None, None) => {
            let s = stats();
            let g = s.as_ref().is_none_or(infer::has_steady_component);
            let u = s
                .as_ref()
                .map_or(AccelUnit::G, |s| infer::infer_accel_unit(s, g));
            ((u, Decided::Inferred), (g, Decided::Inferred), s)
        }
    };
    if accel_unit.1 == Decided::Inferred {
        let msg = match &stats_used {
            Some(s) => format!(
                "the accelerometer columns name no unit; median |a| {} (95th percentile {}) read as {}; pass --accel-unit to override",
                fmt_num(s.median_norm),
                fmt_num(s.p95_norm),
                unit_name(accel_unit.0)
            ),
            None => format!(
                "the accelerometer columns name no unit and hold no finite value; read as {}",
                unit_name(accel_unit.0)
            ),
        };
        warnings.push(Warning::new(WarningCode::AccelUnitsInferred, msg));
    }
    if gravity_included == (false, Decided::Inferred) {
        let mean = stats_used.as_ref().map_or(f64::NAN, |s| s.mean_norm);
        let k = match accel_unit.0 {
            AccelUnit::G => STANDARD_GRAVITY_MPS2,
            AccelUnit::Mps2 => 1.0,
        };
        warnings.push(Warning::new(
            WarningCode::GravityRemoved,
            format!(
                "the acceleration has no steady gravity component (mean vector {} m/s²): read as linear, gravity-removed acceleration; pass --gravity included to override",
                fmt_num(mean * k)
            ),
        ));
    }
    let factor = match accel_unit.0 {
        AccelUnit::G => STANDARD_GRAVITY_MPS2,
        AccelUnit::Mps2 => 1.0,
    };
    let acc_mps2 = acc_raw.map(|c| match c {
        Some(mut v) => {
            if factor != 1.0 {
                v.iter_mut().for_each(|x| *x *= factor);
            }
            v
        }
        None => vec![0.0; n],
    });

    // Gyroscope: deg/s.
    let gyro_dps = match (gyr_raw, gyr) {
        (Some(mut g), Some(gc)) => {
            let header_rad = gc.iter().flatten().find_map(|&c| {
                match cols[c].info.unit.as_deref().map(header::unit_kind) {
                    Some(UnitKind::GyroRad) => Some(true),
                    Some(UnitKind::GyroDeg) => Some(false),
                    _ => None,
                }
            });
            let rad = match header_rad {
                Some(r) => r,
                None => match dialect {
                    Dialect::Phyphox | Dialect::SensorLogger | Dialect::PhysicsToolbox => true,
                    Dialect::ActigraphImu | Dialect::ActigraphRaw | Dialect::MetaMotion => false,
                    _ => {
                        warnings.push(Warning::new(
                            WarningCode::GyroUnitsAssumed,
                            "the gyroscope columns name no unit; read as deg/s",
                        ));
                        false
                    }
                },
            };
            if rad {
                let k = 180.0 / std::f64::consts::PI;
                for ch in g.iter_mut() {
                    ch.iter_mut().for_each(|x| *x *= k);
                }
            }
            Some(g)
        }
        _ => None,
    };

    // Speed: m/s.
    let speed_mps = speed_raw.map(|mut v| {
        let c = speed_col.expect("a speed slot has a column");
        let k = match cols[c].info.unit.as_deref().map(header::unit_kind) {
            Some(UnitKind::Speed(k)) => k,
            // `speed_ms` is m/s, not milliseconds.
            None | Some(UnitKind::Time(TimeUnit::Ms)) => 1.0,
            Some(_) => {
                warnings.push(Warning::new(
                    WarningCode::UnknownUnit,
                    format!(
                        "column '{}': unit is not one gaitguard knows for speed; values read as m/s",
                        cols[c].name
                    ),
                ));
                1.0
            }
        };
        if k != 1.0 {
            v.iter_mut().for_each(|x| *x *= k);
        }
        v
    });

    Ok(RawSignal {
        path: path.to_path_buf(),
        format: dialect.name(),
        device: pre.device.clone(),
        start_unix_s,
        time_s,
        time_source,
        stated_rate_hz,
        acc_mps2,
        axes,
        gyro_dps,
        speed_mps,
        accel_unit,
        gravity_included,
        warnings,
    })
}

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
