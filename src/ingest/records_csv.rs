//! Per-record CSV exports with one column per field: fitparse/fitdecode record dumps (with or
//! without `[unit]` suffixes), Wahoo Fitness CSV (blocks `Device`/`interval`/`time`, TICKR
//! running analytics `ma_cadence` spm, `ma_gct` s, `ma_vertosc` m, a `paused` flag), Stryd
//! exports, GoldenCheetah (`secs,cad,hr,km,kph,…,rvert,rcad,rcontact`), Strava and
//! intervals.icu streams, and anything else whose columns the alias table or `--map` names.
//!
//! Parsing works on `csv::ByteRecord`s; each cell is parsed once. Units come from the header,
//! a dialect default, or the values (reported as a warning).

use super::columns::{self, Conversion, HeaderCell, Target};
use super::{ColumnMapping, Dialect};
use crate::error::IngestError;
use crate::recording::{Channel, Pause, Placement, Recording};
use crate::time::parse_datetime;
use crate::vocab::WarningCode;
use std::path::Path;

/// Field delimiter guessed from the header line: `;` and tab (European spreadsheets) or `,`.
pub fn sniff_delimiter(header_line: &str) -> u8 {
    let counts = [
        (b',', header_line.matches(',').count()),
        (b';', header_line.matches(';').count()),
        (b'\t', header_line.matches('\t').count()),
    ];
    counts
        .iter()
        .max_by_key(|(_, n)| *n)
        .filter(|(_, n)| *n > 0)
        .map(|(d, _)| *d)
        .unwrap_or(b',')
}

/// Byte offset and 1-based line number of the header line (Wahoo files carry blocks before
/// the per-second `time` block).
pub fn find_header(text: &str, dialect: Dialect) -> (usize, u64) {
    if dialect == Dialect::WahooCsv {
        let mut off = 0;
        for (i, line) in text.split_inclusive('\n').enumerate() {
            let first = line.split([',', ';', '\t']).next().unwrap_or("").trim();
            if first.eq_ignore_ascii_case("time") {
                return (off, i as u64 + 1);
            }
            off += line.len();
        }
    }
    (0, 1)
}

/// Plain decimals — optional spaces, sign, up to 15 significant digits, an optional point
/// (or comma when `decimal_comma`), no exponent — parsed exactly: the digits form an integer
/// m < 10¹⁵ < 2⁵³ and the value is m / 10^f with f ≤ 22, both exact in f64, so the one
/// division is correctly rounded (Clinger 1990, "How to read floating point numbers
/// accurately", the fast path). Anything else returns `None` for the general parser. This
/// is the hot loop of a 3.6 M-row accelerometer file.
#[inline]
fn fast_decimal(cell: &[u8], decimal_comma: bool) -> Option<f64> {
    const POW10: [f64; 23] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
        1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ];
    let mut b = cell;
    while let [c, rest @ ..] = b {
        if *c == b' ' || *c == b'\t' {
            b = rest;
        } else {
            break;
        }
    }
    while let [rest @ .., c] = b {
        if *c == b' ' || *c == b'\t' || *c == b'\r' {
            b = rest;
        } else {
            break;
        }
    }
    let neg = match b.first() {
        Some(b'-') => {
            b = &b[1..];
            true
        }
        Some(b'+') => {
            b = &b[1..];
            false
        }
        _ => false,
    };
    let point = if decimal_comma { b',' } else { b'.' };
    let (mut m, mut digits, mut frac, mut seen_point, mut any) = (0u64, 0u32, 0usize, false, false);
    for &c in b {
        if c.is_ascii_digit() {
            any = true;
            if m == 0 && c == b'0' {
                // Leading zeros are not significant.
            } else {
                digits += 1;
                if digits > 15 {
                    return None;
                }
                m = m * 10 + u64::from(c - b'0');
            }
            if seen_point {
                frac += 1;
            }
        } else if c == point && !seen_point {
            seen_point = true;
        } else {
            return None;
        }
    }
    if !any || frac > 22 {
        return None;
    }
    let v = m as f64 / POW10[frac];
    Some(if neg { -v } else { v })
}

/// Parse a numeric cell: empty, `null`, `nan`, `-` are missing; a decimal comma is accepted
/// when the delimiter is not a comma. `None` for text.
#[inline]
pub fn parse_number(cell: &[u8], decimal_comma: bool) -> Option<f64> {
    if let Some(v) = fast_decimal(cell, decimal_comma) {
        return Some(v);
    }
    let s = match std::str::from_utf8(cell) {
        Ok(s) => s.trim().trim_matches('"'),
        Err(_) => return None,
    };
    if s.is_empty() {
        return Some(f64::NAN);
    }
    match s.parse::<f64>() {
        Ok(v) => Some(if v.is_finite() { v } else { f64::NAN }),
        Err(_) => {
            let l = s.to_ascii_lowercase();
            match l.as_str() {
                "null" | "none" | "nan" | "na" | "n/a" | "-" | "--" | "inf" | "-inf" => {
                    Some(f64::NAN)
                }
                "true" => Some(1.0),
                "false" => Some(0.0),
                _ if decimal_comma && s.matches(',').count() == 1 => {
                    s.replace(',', ".").parse::<f64>().ok()
                }
                _ => None,
            }
        }
    }
}

/// One column read: where it is, what it feeds, its unit, and its values.
struct Col {
    index: usize,
    target: Target,
    header: HeaderCell,
    unit: Option<String>,
    values: Vec<f64>,
}

/// Read a per-record CSV export.
///
/// # Errors
/// [`IngestError::Csv`] naming the line and column for text in a number column or a row
/// that cannot be read; [`IngestError::NoData`] when no column maps to anything gaitguard
/// uses.
pub fn read_records_csv(
    path: &Path,
    text: &str,
    dialect: Dialect,
    mapping: &[ColumnMapping],
) -> Result<Recording, IngestError> {
    let (offset, header_line_no) = find_header(text, dialect);
    let body = &text[offset..];
    let delim = sniff_delimiter(body.lines().next().unwrap_or(""));
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(delim)
        .has_headers(true)
        .flexible(true)
        .from_reader(body.as_bytes());
    let cells = read_header_cells(path, &mut rdr, header_line_no)?;
    let mut cols = map_columns(path, &cells, mapping)?;
    let ctx = RowContext {
        path,
        dialect,
        header_line_no,
        header_len: cells.len(),
        decimal_comma: delim != b',',
    };
    let (rows, time_form) = read_rows(&ctx, &mut rdr, &mut cols)?;

    let mut rec = Recording::new(path.to_path_buf(), dialect.name());
    let times = time_axis(&mut cols, rows, time_form, &mut rec);
    if dialect == Dialect::WahooCsv && rec.start_unix_s.is_none() {
        wahoo_start(&text[..offset], &times, &mut rec);
    }
    let mut columns = convert_columns(&mut cols, &mut rec);
    add_fractional_cadence(&mut columns);
    let dropped = assemble_series(&mut rec, &times, &columns, rows);
    warn_dropped(&mut rec, dropped);
    drop_zero_temperature(&mut rec);
    if rec.series.is_empty() {
        return Err(IngestError::NoData {
            path: path.to_path_buf(),
            reason: "no row has a usable time".into(),
        });
    }
    rec.placement = placement(dialect, &rec).or(rec.placement);
    Ok(rec)
}

/// The header cells, split into name, key and unit.
///
/// # Errors
/// [`IngestError::Csv`] at the header line when it cannot be read.
fn read_header_cells(
    path: &Path,
    rdr: &mut csv::Reader<&[u8]>,
    header_line_no: u64,
) -> Result<Vec<HeaderCell>, IngestError> {
    let headers = rdr.byte_headers().map_err(|e| IngestError::Csv {
        path: path.to_path_buf(),
        line: header_line_no,
        column: None,
        reason: format!("cannot read the header: {e}"),
    })?;
    Ok(headers
        .iter()
        .map(|h| columns::parse_header_cell(&String::from_utf8_lossy(h)))
        .collect())
}

/// The header cells as written, comma-separated, for messages.
fn header_list(cells: &[HeaderCell]) -> String {
    cells
        .iter()
        .map(|c| c.raw.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Columns by name: `--map` first (its unit, else the header's), then the alias table, the
/// best priority per target (the header's unit, else the alias's default unit).
///
/// # Errors
/// [`IngestError::UnknownFormat`] when `--map` names a column that is not in the header, or
/// when no column feeds a channel.
fn map_columns(
    path: &Path,
    cells: &[HeaderCell],
    mapping: &[ColumnMapping],
) -> Result<Vec<Col>, IngestError> {
    let mut cols: Vec<Col> = Vec::new();
    let mut claimed: Vec<(Target, u8)> = Vec::new();
    for m in mapping {
        let idx = cells
            .iter()
            .position(|c| c.raw == m.column || c.raw.eq_ignore_ascii_case(&m.column))
            .ok_or_else(|| IngestError::UnknownFormat {
                path: path.to_path_buf(),
                reason: format!(
                    "--map names column '{}', which is not in the header (columns: {})",
                    m.column,
                    header_list(cells)
                ),
            })?;
        cols.push(Col {
            index: idx,
            target: m.target,
            header: cells[idx].clone(),
            unit: m.unit.clone().or_else(|| cells[idx].unit.clone()),
            values: Vec::new(),
        });
        claimed.push((m.target, 0));
    }
    let mut candidates: Vec<(usize, Target, Option<&'static str>, u8)> = Vec::new();
    for (i, cell) in cells.iter().enumerate() {
        if cols.iter().any(|c| c.index == i) {
            continue;
        }
        if let Some((t, default_unit, prio)) = columns::lookup(&cell.key) {
            candidates.push((i, t, default_unit, prio));
        }
    }
    candidates.sort_by_key(|c| c.3);
    for (i, t, default_unit, prio) in candidates {
        if claimed.iter().any(|(ct, _)| *ct == t) {
            continue;
        }
        claimed.push((t, prio));
        cols.push(Col {
            index: i,
            target: t,
            header: cells[i].clone(),
            unit: cells[i].unit.clone().or(default_unit.map(str::to_string)),
            values: Vec::new(),
        });
    }
    if !cols.iter().any(|c| matches!(c.target, Target::Channel(_))) {
        return Err(IngestError::UnknownFormat {
            path: path.to_path_buf(),
            reason: format!(
                "no column is one gaitguard knows (header: {}); name them with --map FIELD=COLUMN",
                header_list(cells)
            ),
        });
    }
    Ok(cols)
}

/// What the row loop needs to know besides the columns.
struct RowContext<'a> {
    /// Input path, for errors.
    path: &'a Path,
    /// The dialect (a Wahoo time block ends where a shorter row starts).
    dialect: Dialect,
    /// 1-based line of the header in the file.
    header_line_no: u64,
    /// Number of header cells.
    header_len: usize,
    /// Accept decimal commas (the delimiter is not a comma).
    decimal_comma: bool,
}

/// How the time column is written, learnt from its first non-empty cell.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct TimeForm {
    /// Date-times (`Some(true)`) or numbers (`Some(false)`); `None` before the first cell.
    is_datetime: Option<bool>,
    /// Any date-time named its zone.
    has_zone: bool,
}

/// Read every data row into the columns' `values` (one reused `csv::ByteRecord`, each cell
/// parsed once); blank rows are skipped, and a Wahoo file stops where the time block ends.
/// Returns the row count and the time column's form.
///
/// # Errors
/// [`IngestError::Csv`] with the line and column for a row that cannot be read or a cell
/// that cannot be parsed; [`IngestError::NoData`] when there is no row.
fn read_rows(
    ctx: &RowContext<'_>,
    rdr: &mut csv::Reader<&[u8]>,
    cols: &mut [Col],
) -> Result<(usize, TimeForm), IngestError> {
    let csv_err = |line: u64, column: Option<String>, reason: String| IngestError::Csv {
        path: ctx.path.to_path_buf(),
        line,
        column,
        reason,
    };
    let mut form = TimeForm::default();
    let mut record = csv::ByteRecord::new();
    let mut row = 0usize;
    loop {
        match rdr.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                let line = e.position().map(|p| p.line()).unwrap_or(0) + ctx.header_line_no - 1;
                return Err(csv_err(line, None, format!("cannot read the row: {e}")));
            }
        }
        let line = record
            .position()
            .map(|p| p.line())
            .unwrap_or(row as u64 + 2)
            + ctx.header_line_no
            - 1;
        if record.iter().all(|c| c.iter().all(u8::is_ascii_whitespace)) {
            continue;
        }
        // A Wahoo file may continue with another block after the time block.
        if ctx.dialect == Dialect::WahooCsv && record.len() < ctx.header_len / 2 {
            break;
        }
        for c in cols.iter_mut() {
            let cell = record.get(c.index).unwrap_or(b"");
            let v = parse_cell(c.target, cell, ctx.decimal_comma, &mut form)
                .map_err(|reason| csv_err(line, Some(c.header.raw.clone()), reason))?;
            c.values.push(v);
        }
        row += 1;
    }
    if row == 0 {
        return Err(IngestError::NoData {
            path: ctx.path.to_path_buf(),
            reason: "the header is followed by no data rows".into(),
        });
    }
    Ok((row, form))
}

/// Parse one cell of a column feeding `target`: a time (seconds, or a date-time as Unix
/// seconds, as the first non-empty time cell decided in `form`), an activity (`running` 1,
/// `walking` 6, `cycling` 2, else a number, NaN when neither), or a number. Missing is NaN;
/// `Err` is the reason, for the caller to place.
#[inline]
fn parse_cell(
    target: Target,
    cell: &[u8],
    decimal_comma: bool,
    form: &mut TimeForm,
) -> Result<f64, String> {
    Ok(match target {
        Target::Time => {
            let s = String::from_utf8_lossy(cell);
            let s = s.trim();
            if s.is_empty() {
                f64::NAN
            } else {
                let is_dt = *form.is_datetime.get_or_insert_with(|| {
                    s.parse::<f64>().is_err() && parse_datetime(s).is_some()
                });
                if is_dt {
                    let p = parse_datetime(s).ok_or_else(|| {
                        format!("expected a date-time like the rows above, found '{s}'")
                    })?;
                    form.has_zone |= p.has_zone;
                    p.unix_s
                } else {
                    parse_number(cell, decimal_comma).ok_or_else(|| {
                        format!("expected a time (seconds or a date-time), found '{s}'")
                    })?
                }
            }
        }
        Target::Channel(Channel::DeviceActivityCode) => {
            let s = String::from_utf8_lossy(cell).trim().to_ascii_lowercase();
            match s.as_str() {
                "running" => 1.0,
                "walking" => 6.0,
                "cycling" => 2.0,
                "" => f64::NAN,
                other => other.parse::<f64>().unwrap_or(f64::NAN),
            }
        }
        _ => parse_number(cell, decimal_comma).ok_or_else(|| {
            format!(
                "expected a number, found '{}'",
                String::from_utf8_lossy(cell).trim()
            )
        })?,
    })
}

/// Scale to seconds of a numeric time column, and whether it is an absolute (Unix) clock:
/// the stated unit `ms` or `s`, else the magnitude of the first finite value (≥ 1e17 ns,
/// ≥ 1e14 µs, ≥ 1e11 ms, ≥ 2.7e8 s when the column is named `…timestamp…`), else relative
/// seconds.
fn numeric_time_scale(unit: Option<&str>, first: Option<f64>, key: &str) -> (f64, bool) {
    match unit {
        Some("ms") => (0.001, false),
        Some("s") => (1.0, false),
        _ => {
            let f = first.unwrap_or(0.0).abs();
            if f >= 1e17 {
                (1e-9, true)
            } else if f >= 1e14 {
                (1e-6, true)
            } else if f >= 1e11 {
                (1e-3, true)
            } else if f >= 2.7e8 && key.contains("timestamp") {
                (1.0, true)
            } else {
                (1.0, false)
            }
        }
    }
}

/// The time of each of `rows` rows in seconds (absolute for date-times and epoch counts,
/// which also set `rec.start_unix_s`), taken out of the time column; one second apart with a
/// `no_time_column` warning when there is none, and `time_zone_assumed` for date-times that
/// name no zone.
fn time_axis(cols: &mut [Col], rows: usize, form: TimeForm, rec: &mut Recording) -> Vec<f64> {
    let Some(tc) = cols.iter().position(|c| c.target == Target::Time) else {
        rec.warn(
            WarningCode::NoTimeColumn,
            "no time column: records are taken as one second apart",
        );
        return (0..rows).map(|i| i as f64).collect();
    };
    let t = std::mem::take(&mut cols[tc].values);
    let is_dt = form.is_datetime.unwrap_or(false);
    let first = t.iter().copied().find(|v| v.is_finite());
    let (scale, absolute) = if is_dt {
        (1.0, true)
    } else {
        numeric_time_scale(cols[tc].unit.as_deref(), first, &cols[tc].header.key)
    };
    let times = t.iter().map(|v| v * scale).collect();
    if absolute {
        if let Some(f) = first {
            rec.start_unix_s = Some(f * scale);
        }
        if is_dt && !form.has_zone {
            rec.warn(
                WarningCode::TimeZoneAssumed,
                format!(
                    "the '{}' column names no time zone; read as UTC",
                    cols[tc].header.raw
                ),
            );
        }
    }
    times
}

/// A temperature column that holds nothing but zeros (Wahoo's `disp_temperature` when no
/// sensor sent one) is "not recorded", not 0 °C for the whole run: dropped, with a note.
fn drop_zero_temperature(rec: &mut Recording) {
    let Some(t) = rec.series.get(Channel::TemperatureC) else {
        return;
    };
    let mut finite = t.iter().filter(|v| v.is_finite()).peekable();
    if finite.peek().is_some() && finite.all(|v| *v == 0.0) {
        rec.series.remove(Channel::TemperatureC);
        rec.warn(
            WarningCode::ImplausibleValues,
            "the temperature column holds only zeros: taken as not recorded",
        );
    }
}

/// A Wahoo file's start from its header block (`Year,2016,Month,10,Day,7,Hour,17,Minute,
/// 3,Second,12`: names and values alternating on one line, before the time block), which is
/// the time column's zero; local time without a zone, read as UTC with a note.
fn wahoo_start(header_block: &str, times: &[f64], rec: &mut Recording) {
    let Some(start) = header_block.lines().find_map(wahoo_clock) else {
        return;
    };
    let first = times.iter().copied().find(|v| v.is_finite()).unwrap_or(0.0);
    rec.start_unix_s = Some(start + first);
    rec.warn(
        WarningCode::TimeZoneAssumed,
        "the start in the Wahoo header names no time zone; read as UTC",
    );
}

/// The instant of a `Year,…,Month,…,Day,…[,Hour,…,Minute,…,Second,…]` line, Unix s.
fn wahoo_clock(line: &str) -> Option<f64> {
    let cells: Vec<&str> = line.split(',').map(str::trim).collect();
    let get = |name: &str| -> Option<f64> {
        let i = cells.iter().position(|c| c.eq_ignore_ascii_case(name))?;
        cells
            .get(i + 1)?
            .parse::<f64>()
            .ok()
            .filter(|v| v.is_finite() && *v >= 0.0)
    };
    let (y, mo, d) = (get("Year")?, get("Month")?, get("Day")?);
    let days = crate::time::days_from_civil(y as i64, mo as u32, d as u32)?;
    let clock = get("Hour").unwrap_or(0.0) * 3600.0
        + get("Minute").unwrap_or(0.0) * 60.0
        + get("Second").unwrap_or(0.0);
    Some(days as f64 * 86_400.0 + clock)
}

/// The columns other than time, converted: channels in their channel units, FIT
/// `fractional_cadence`, and a paused flag per row.
struct Converted {
    /// Channel values per column, in column order.
    channels: Vec<(Channel, Vec<f64>)>,
    /// FIT fractional cadence (rpm), when there is such a column.
    frac: Option<Vec<f64>>,
    /// Paused per row (`paused` > 0.5, or `moving` < 0.5).
    paused: Option<Vec<bool>>,
}

/// Take the values out of the columns and convert each channel to its unit (warnings for
/// inferred and unknown units, in column order).
fn convert_columns(cols: &mut [Col], rec: &mut Recording) -> Converted {
    let mut out = Converted {
        channels: Vec::new(),
        frac: None,
        paused: None,
    };
    for c in cols.iter_mut() {
        match c.target {
            Target::Time => {}
            Target::FractionalCadence => out.frac = Some(std::mem::take(&mut c.values)),
            Target::Paused => {
                out.paused = Some(c.values.iter().map(|v| *v > 0.5).collect());
            }
            Target::Moving => {
                out.paused = Some(c.values.iter().map(|v| *v < 0.5).collect());
            }
            Target::Channel(ch) => {
                let mut values = std::mem::take(&mut c.values);
                let conv = match c.unit.as_deref() {
                    Some(u) => stated_conversion(ch, u, &c.header.raw, rec),
                    None => inferred_conversion(ch, &values, &c.header.raw, rec),
                };
                if conv != Conversion::IDENTITY {
                    for v in &mut values {
                        *v = conv.apply(*v);
                    }
                }
                out.channels.push((ch, values));
            }
        }
    }
    out
}

/// The conversion from the stated unit `u` of column `raw` to channel `ch`'s unit; identity
/// for a unit gaitguard does not know (with an `unknown_unit` warning, except for the
/// unitless footstrike type and activity code).
fn stated_conversion(ch: Channel, u: &str, raw: &str, rec: &mut Recording) -> Conversion {
    match columns::conversion(ch, u) {
        Some(conv) => conv,
        None if matches!(ch, Channel::FootstrikeType | Channel::DeviceActivityCode) => {
            Conversion::IDENTITY
        }
        None => {
            rec.warn(
                WarningCode::UnknownUnit,
                format!(
                    "column '{raw}': unit '{u}' is not one gaitguard knows for {}; values used as they are",
                    ch.name()
                ),
            );
            Conversion::IDENTITY
        }
    }
}

/// The conversion for a column `raw` that names no unit: the unit inferred from the median
/// of its non-zero |values|, with a `units_inferred` warning when that changes the values or
/// the channel is one whose unit commonly varies (ground contact, vertical oscillation,
/// step length).
fn inferred_conversion(ch: Channel, values: &[f64], raw: &str, rec: &mut Recording) -> Conversion {
    let med = median_abs_nonzero(values);
    match med.and_then(|m| columns::infer_unit(ch, m).map(|u| (m, u))) {
        Some((m, u)) => {
            let conv = columns::conversion(ch, u).unwrap_or(Conversion::IDENTITY);
            if conv != Conversion::IDENTITY
                || matches!(
                    ch,
                    Channel::GroundContactMs
                        | Channel::VerticalOscillationCm
                        | Channel::StepLengthM
                )
            {
                rec.warn(
                    WarningCode::UnitsInferred,
                    format!(
                        "column '{raw}' names no unit; values (median {}) read as {u}",
                        fmt_num(m)
                    ),
                );
            }
            conv
        }
        None => Conversion::IDENTITY,
    }
}

/// Add FIT fractional cadence to cadence (spm): fitparse prints cadence and
/// fractional_cadence as separate rpm columns; the cadence column was already doubled if its
/// unit was rpm, so the fraction counts twice.
fn add_fractional_cadence(columns: &mut Converted) {
    if let Some(frac) = columns.frac.take() {
        if let Some((_, cad)) = columns
            .channels
            .iter_mut()
            .find(|(c, _)| *c == Channel::CadenceSpm)
        {
            for (c, f) in cad.iter_mut().zip(frac) {
                if c.is_finite() && f.is_finite() {
                    *c += 2.0 * f;
                }
            }
        }
    }
}

/// Rows dropped while assembling.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Dropped {
    /// Rows with a time earlier than the row kept before them.
    back: usize,
    /// Rows with no time.
    no_time: usize,
}

/// Push the rows into `rec.series` at seconds from the first finite time, dropping rows
/// with no time, paused rows (recorded as `rec.pauses`) and rows that go back in time.
fn assemble_series(
    rec: &mut Recording,
    times: &[f64],
    columns: &Converted,
    rows: usize,
) -> Dropped {
    let t0 = times.iter().copied().find(|v| v.is_finite()).unwrap_or(0.0);
    let mut last = f64::NEG_INFINITY;
    let mut dropped = Dropped::default();
    let mut pause_start: Option<f64> = None;
    let mut vals: Vec<(Channel, f64)> = Vec::with_capacity(columns.channels.len());
    for (i, &t) in times.iter().enumerate().take(rows) {
        if !t.is_finite() {
            dropped.no_time += 1;
            continue;
        }
        let rel = t - t0;
        if let Some(p) = &columns.paused {
            if p[i] {
                pause_start.get_or_insert(rel);
                continue;
            } else if let Some(s) = pause_start.take() {
                rec.pauses.push(Pause {
                    start_s: s,
                    end_s: rel,
                });
            }
        }
        if rel < last {
            dropped.back += 1;
            continue;
        }
        last = rel;
        vals.clear();
        for (ch, v) in &columns.channels {
            if v[i].is_finite() {
                vals.push((*ch, v[i]));
            }
        }
        rec.series.push(rel, &vals);
    }
    rec.series.finish();
    dropped
}

/// Say how many rows were dropped: `time_backwards`, then `no_timestamp`.
fn warn_dropped(rec: &mut Recording, dropped: Dropped) {
    if dropped.back > 0 {
        rec.warn(
            WarningCode::TimeBackwards,
            format!(
                "{} rows had a time earlier than the row before them and were skipped",
                dropped.back
            ),
        );
    }
    if dropped.no_time > 0 {
        rec.warn(
            WarningCode::NoTimestamp,
            format!("{} rows had no time and were skipped", dropped.no_time),
        );
    }
}

/// Where the device sat, when the dialect and channels say: a Stryd file with ground
/// contact is a foot pod, a Wahoo one a chest strap (TICKR).
fn placement(dialect: Dialect, rec: &Recording) -> Option<Placement> {
    if !rec.series.has(Channel::GroundContactMs) {
        return None;
    }
    match dialect {
        Dialect::StrydCsv => Some(Placement::Foot),
        Dialect::WahooCsv => Some(Placement::Trunk),
        _ => None,
    }
}

/// Median magnitude of the finite non-zero values.
fn median_abs_nonzero(v: &[f64]) -> Option<f64> {
    let mut a: Vec<f64> = v
        .iter()
        .filter(|x| x.is_finite() && **x != 0.0)
        .map(|x| x.abs())
        .collect();
    crate::stats::median(&mut a)
}

fn fmt_num(v: f64) -> String {
    if v.abs() >= 100.0 {
        format!("{v:.0}")
    } else if v.abs() >= 1.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.3}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fast_decimals_are_bit_exact_with_the_standard_parser() {
        // Pseudo-random plain decimals of 1–15 significant digits with 0–12 decimals.
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for _ in 0..200_000 {
            let digits = 1 + (next() % 15) as usize;
            let mut text: String = (0..digits)
                .map(|_| char::from(b'0' + (next() % 10) as u8))
                .collect();
            let point = (next() % (digits as u64 + 1)) as usize;
            if point < digits {
                text.insert(point, '.');
            }
            if next() % 2 == 0 {
                text.insert(0, '-');
            }
            let fast = fast_decimal(text.as_bytes(), false);
            let std: f64 = text.parse().unwrap();
            if let Some(f) = fast {
                assert_eq!(f.to_bits(), std.to_bits(), "{text}");
            }
        }
        assert_eq!(fast_decimal(b" 1,25 ", true), Some(1.25));
        assert_eq!(fast_decimal(b"1,25", false), None);
        assert_eq!(fast_decimal(b"1e3", false), None);
        assert_eq!(fast_decimal(b"-", false), None);
        assert_eq!(fast_decimal(b"1.2.3", false), None);
        assert_eq!(parse_number(b"1.2.3", false), None);
        assert_eq!(parse_number(b"\"2.5\"", false), Some(2.5));
        assert_eq!(fast_decimal(b"0.0000000000000000001", false), Some(1e-19));
    }

    fn cells(header: &str) -> Vec<HeaderCell> {
        header.split(',').map(columns::parse_header_cell).collect()
    }

    fn col(target: Target, name: &str, unit: Option<&str>, values: Vec<f64>) -> Col {
        Col {
            index: 0,
            target,
            header: columns::parse_header_cell(name),
            unit: unit.map(str::to_string),
            values,
        }
    }

    #[test]
    fn columns_by_map_then_best_alias() {
        let p = Path::new("f.csv");
        let c = cells("timestamp,time,cadence,CAD");
        let cols = map_columns(p, &c, &[]).unwrap();
        let got: Vec<(usize, Target)> = cols.iter().map(|c| (c.index, c.target)).collect();
        assert_eq!(
            got,
            [(0, Target::Time), (2, Target::Channel(Channel::CadenceSpm))]
        );
        let map = ColumnMapping {
            target: Target::Channel(Channel::CadenceSpm),
            column: "cad".into(),
            unit: Some("rpm".into()),
        };
        let cols = map_columns(p, &c, std::slice::from_ref(&map)).unwrap();
        assert_eq!((cols[0].index, cols[0].unit.as_deref()), (3, Some("rpm")));
        assert_eq!(cols.len(), 2);
        assert_eq!(cols[1].target, Target::Time);
        assert!(matches!(
            map_columns(p, &cells("timestamp,foo"), &[]),
            Err(IngestError::UnknownFormat { .. })
        ));
        let missing = ColumnMapping {
            column: "nope".into(),
            ..map
        };
        assert!(matches!(
            map_columns(p, &c, &[missing]),
            Err(IngestError::UnknownFormat { .. })
        ));
    }

    #[test]
    fn cells_by_target() {
        let mut form = TimeForm::default();
        let dt = parse_cell(Target::Time, b" 2024-05-01T10:00:00Z", false, &mut form);
        assert_eq!(dt, Ok(1_714_557_600.0));
        assert_eq!(
            form,
            TimeForm {
                is_datetime: Some(true),
                has_zone: true
            }
        );
        assert!(
            parse_cell(Target::Time, b"", false, &mut form)
                .unwrap()
                .is_nan()
        );
        assert_eq!(
            parse_cell(Target::Time, b"12", false, &mut form),
            Err("expected a date-time like the rows above, found '12'".into())
        );
        let mut form = TimeForm::default();
        assert_eq!(parse_cell(Target::Time, b"12,5", true, &mut form), Ok(12.5));
        assert_eq!(form.is_datetime, Some(false));
        let act = Target::Channel(Channel::DeviceActivityCode);
        assert_eq!(parse_cell(act, b"Running", false, &mut form), Ok(1.0));
        assert_eq!(parse_cell(act, b"walking", false, &mut form), Ok(6.0));
        assert!(
            parse_cell(act, b"swimming", false, &mut form)
                .unwrap()
                .is_nan()
        );
        let cad = Target::Channel(Channel::CadenceSpm);
        assert_eq!(
            parse_cell(cad, b" abc ", false, &mut form),
            Err("expected a number, found 'abc'".into())
        );
    }

    #[test]
    fn numeric_time_units() {
        assert_eq!(
            numeric_time_scale(Some("ms"), Some(5.0), "t"),
            (0.001, false)
        );
        assert_eq!(numeric_time_scale(None, Some(1.7e12), "time"), (1e-3, true));
        assert_eq!(numeric_time_scale(None, Some(1.7e18), "time"), (1e-9, true));
        assert_eq!(
            numeric_time_scale(None, Some(1.7e9), "timestamp"),
            (1.0, true)
        );
        assert_eq!(numeric_time_scale(None, Some(1.7e9), "secs"), (1.0, false));
        assert_eq!(numeric_time_scale(None, None, "timestamp"), (1.0, false));
    }

    #[test]
    fn a_wahoo_header_block_gives_the_start() {
        let text = "Device,TICKR X\nYear,2016,Month,10,Day,7,Hour,17,Minute,3,Second,12\ntime,hr_heartrate,ma_cadence\n0,140,170\n1,141,171\n";
        let rec = read_records_csv(Path::new("w.csv"), text, Dialect::WahooCsv, &[]).unwrap();
        // 2016-10-07T17:03:12, read as UTC.
        assert_eq!(rec.start_unix_s, Some(1_475_859_792.0));
        assert!(
            rec.warnings
                .iter()
                .any(|w| w.code == WarningCode::TimeZoneAssumed)
        );
        assert_eq!(wahoo_clock("Year,2016,Month,13,Day,7"), None);
        let zeros = "time,hr_heartrate,disp_temperature\n0,140,0\n1,141,0\n";
        let rec = read_records_csv(Path::new("w.csv"), zeros, Dialect::WahooCsv, &[]).unwrap();
        assert!(!rec.series.has(Channel::TemperatureC));
        let warm = zeros.replace("1,141,0", "1,141,21.5");
        let rec = read_records_csv(Path::new("w.csv"), &warm, Dialect::WahooCsv, &[]).unwrap();
        assert!(rec.series.has(Channel::TemperatureC));
        assert_eq!(wahoo_clock("interval,1,2"), None);
        // Speed: the footpod's before a speed sensor's before GPS.
        let speeds = "time,gps_speed,spd_instSpeed,fp_instSpeed\n0,3.1,3.0,3.05\n1,3.1,3.0,3.05\n";
        let rec = read_records_csv(Path::new("w.csv"), speeds, Dialect::WahooCsv, &[]).unwrap();
        assert_eq!(rec.series.get(Channel::SpeedMps).unwrap()[0], 3.05);
        let gps = "time,gps_speed\n0,3.1\n1,3.1\n";
        let rec = read_records_csv(Path::new("w.csv"), gps, Dialect::WahooCsv, &[]).unwrap();
        assert_eq!(rec.series.get(Channel::SpeedMps).unwrap()[0], 3.1);
    }

    #[test]
    fn time_axis_without_a_column_is_one_second_per_row() {
        let mut rec = Recording::new("f.csv".into(), "records-csv");
        let mut cols = [col(
            Target::Channel(Channel::CadenceSpm),
            "cad",
            None,
            vec![],
        )];
        assert_eq!(
            time_axis(&mut cols, 3, TimeForm::default(), &mut rec),
            [0.0, 1.0, 2.0]
        );
        assert_eq!(rec.warnings[0].code, WarningCode::NoTimeColumn);
        let mut cols = [col(
            Target::Time,
            "time",
            None,
            vec![f64::NAN, 1.7e12, 1.7e12 + 500.0],
        )];
        let t = time_axis(&mut cols, 3, TimeForm::default(), &mut rec);
        assert_eq!(t[1..], [1.7e9, 1.7e9 + 0.5]);
        assert_eq!(rec.start_unix_s, Some(1.7e9));
    }

    #[test]
    fn units_stated_inferred_and_fractional_cadence() {
        let mut rec = Recording::new("f.csv".into(), "records-csv");
        let mut cols = [
            col(
                Target::Channel(Channel::CadenceSpm),
                "cadence",
                Some("rpm"),
                vec![80.0, 81.0],
            ),
            col(
                Target::FractionalCadence,
                "fractional_cadence",
                None,
                vec![0.5, f64::NAN],
            ),
            col(
                Target::Channel(Channel::GroundContactMs),
                "gct",
                None,
                vec![0.25, 0.3, 0.35],
            ),
            col(
                Target::Channel(Channel::VerticalOscillationCm),
                "vo",
                Some("furlong"),
                vec![1.0, 1.0],
            ),
            col(Target::Moving, "moving", None, vec![1.0, 0.0]),
        ];
        let mut conv = convert_columns(&mut cols, &mut rec);
        add_fractional_cadence(&mut conv);
        assert_eq!(conv.channels[0].1, [161.0, 162.0]);
        assert_eq!(conv.channels[1].1, [250.0, 300.0, 350.0]);
        assert_eq!(conv.channels[2].1, [1.0, 1.0]);
        assert_eq!(conv.paused, Some(vec![false, true]));
        let codes: Vec<WarningCode> = rec.warnings.iter().map(|w| w.code).collect();
        assert_eq!(
            codes,
            [WarningCode::UnitsInferred, WarningCode::UnknownUnit]
        );
        assert_eq!(
            rec.warnings[0].message,
            "column 'gct' names no unit; values (median 0.300) read as s"
        );
        let mut quiet = Recording::new("f.csv".into(), "records-csv");
        let c = stated_conversion(Channel::FootstrikeType, "furlong", "fs", &mut quiet);
        assert_eq!(c, Conversion::IDENTITY);
        assert!(quiet.warnings.is_empty());
    }

    #[test]
    fn assembly_drops_rows_and_records_pauses() {
        let mut rec = Recording::new("f.csv".into(), "wahoo-csv");
        let times = [10.0, f64::NAN, 11.0, 10.5, 12.0, 13.0];
        let columns = Converted {
            channels: vec![(
                Channel::GroundContactMs,
                vec![200.0, 1.0, 210.0, 3.0, 4.0, 220.0],
            )],
            frac: None,
            paused: Some(vec![false, false, false, false, true, false]),
        };
        let d = assemble_series(&mut rec, &times, &columns, times.len());
        assert_eq!(
            d,
            Dropped {
                back: 1,
                no_time: 1
            }
        );
        assert_eq!(rec.series.time_s, [0.0, 1.0, 3.0]);
        assert_eq!(
            rec.series.get(Channel::GroundContactMs),
            Some(&[200.0, 210.0, 220.0][..])
        );
        assert_eq!((rec.pauses[0].start_s, rec.pauses[0].end_s), (2.0, 3.0));
        assert_eq!(placement(Dialect::WahooCsv, &rec), Some(Placement::Trunk));
        assert_eq!(placement(Dialect::StrydCsv, &rec), Some(Placement::Foot));
        assert_eq!(placement(Dialect::RecordsCsv, &rec), None);
        warn_dropped(&mut rec, d);
        let codes: Vec<WarningCode> = rec.warnings.iter().map(|w| w.code).collect();
        assert_eq!(
            codes,
            [WarningCode::TimeBackwards, WarningCode::NoTimestamp]
        );
    }
}
