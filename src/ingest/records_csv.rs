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
use crate::recording::{Channel, Pause, Recording};
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
    let first_line = body.lines().next().unwrap_or("");
    let delim = sniff_delimiter(first_line);
    let decimal_comma = delim != b',';
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(delim)
        .has_headers(true)
        .flexible(true)
        .from_reader(body.as_bytes());
    let csv_err = |line: u64, column: Option<String>, reason: String| IngestError::Csv {
        path: path.to_path_buf(),
        line,
        column,
        reason,
    };
    let headers = rdr
        .byte_headers()
        .map_err(|e| csv_err(header_line_no, None, format!("cannot read the header: {e}")))?
        .clone();
    let cells: Vec<HeaderCell> = headers
        .iter()
        .map(|h| columns::parse_header_cell(&String::from_utf8_lossy(h)))
        .collect();

    // Columns by name: user mapping first, then aliases (best priority per target).
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
                    cells
                        .iter()
                        .map(|c| c.raw.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
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
                cells
                    .iter()
                    .map(|c| c.raw.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        });
    }
    let time_col = cols.iter().position(|c| c.target == Target::Time);

    // Read rows.
    let times: Vec<f64>;
    let mut time_has_zone = false;
    let mut time_is_datetime: Option<bool> = None;
    let mut record = csv::ByteRecord::new();
    let mut row = 0usize;
    loop {
        match rdr.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                let line = e.position().map(|p| p.line()).unwrap_or(0) + header_line_no - 1;
                return Err(csv_err(line, None, format!("cannot read the row: {e}")));
            }
        }
        let line = record
            .position()
            .map(|p| p.line())
            .unwrap_or(row as u64 + 2)
            + header_line_no
            - 1;
        if record.iter().all(|c| c.iter().all(u8::is_ascii_whitespace)) {
            continue;
        }
        // A Wahoo file may continue with another block after the time block.
        if dialect == Dialect::WahooCsv && record.len() < headers.len() / 2 {
            break;
        }
        for c in cols.iter_mut() {
            let cell = record.get(c.index).unwrap_or(b"");
            let v = match c.target {
                Target::Time => {
                    let s = String::from_utf8_lossy(cell);
                    let s = s.trim();
                    if s.is_empty() {
                        f64::NAN
                    } else {
                        let is_dt = *time_is_datetime.get_or_insert_with(|| {
                            s.parse::<f64>().is_err() && parse_datetime(s).is_some()
                        });
                        if is_dt {
                            let p = parse_datetime(s).ok_or_else(|| {
                                csv_err(
                                    line,
                                    Some(c.header.raw.clone()),
                                    format!(
                                        "expected a date-time like the rows above, found '{s}'"
                                    ),
                                )
                            })?;
                            time_has_zone |= p.has_zone;
                            p.unix_s
                        } else {
                            parse_number(cell, decimal_comma).ok_or_else(|| {
                                csv_err(
                                    line,
                                    Some(c.header.raw.clone()),
                                    format!(
                                        "expected a time (seconds or a date-time), found '{s}'"
                                    ),
                                )
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
                    csv_err(
                        line,
                        Some(c.header.raw.clone()),
                        format!(
                            "expected a number, found '{}'",
                            String::from_utf8_lossy(cell).trim()
                        ),
                    )
                })?,
            };
            c.values.push(v);
        }
        row += 1;
    }
    if row == 0 {
        return Err(IngestError::NoData {
            path: path.to_path_buf(),
            reason: "the header is followed by no data rows".into(),
        });
    }

    let mut rec = Recording::new(path.to_path_buf(), dialect.name());

    // Time axis.
    match time_col {
        Some(tc) => {
            let t = std::mem::take(&mut cols[tc].values);
            let name = cols[tc].header.key.clone();
            let is_dt = time_is_datetime.unwrap_or(false);
            let first = t.iter().copied().find(|v| v.is_finite());
            let (scale, absolute) = if is_dt {
                (1.0, true)
            } else {
                let unit = cols[tc].unit.as_deref();
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
                        } else if f >= 2.7e8 && name.contains("timestamp") {
                            (1.0, true)
                        } else {
                            (1.0, false)
                        }
                    }
                }
            };
            times = t.iter().map(|v| v * scale).collect();
            if absolute {
                if let Some(f) = first {
                    rec.start_unix_s = Some(f * scale);
                }
                if is_dt && !time_has_zone {
                    rec.warn(
                        WarningCode::TimeZoneAssumed,
                        format!(
                            "the '{}' column names no time zone; read as UTC",
                            cols[tc].header.raw
                        ),
                    );
                }
            }
        }
        None => {
            rec.warn(
                WarningCode::NoTimeColumn,
                "no time column: records are taken as one second apart",
            );
            times = (0..row).map(|i| i as f64).collect();
        }
    }

    // Units and conversion per channel column.
    let mut frac: Option<Vec<f64>> = None;
    let mut paused: Option<Vec<bool>> = None;
    let mut channel_cols: Vec<(Channel, Vec<f64>)> = Vec::new();
    for c in cols.iter_mut() {
        match c.target {
            Target::Time => {}
            Target::FractionalCadence => frac = Some(std::mem::take(&mut c.values)),
            Target::Paused => {
                paused = Some(c.values.iter().map(|v| *v > 0.5).collect());
            }
            Target::Moving => {
                paused = Some(c.values.iter().map(|v| *v < 0.5).collect());
            }
            Target::Channel(ch) => {
                let mut values = std::mem::take(&mut c.values);
                let conv = match c.unit.as_deref() {
                    Some(u) => match columns::conversion(ch, u) {
                        Some(conv) => conv,
                        None if matches!(
                            ch,
                            Channel::FootstrikeType | Channel::DeviceActivityCode
                        ) =>
                        {
                            Conversion::IDENTITY
                        }
                        None => {
                            rec.warn(
                                WarningCode::UnknownUnit,
                                format!(
                                    "column '{}': unit '{u}' is not one gaitguard knows for {}; values used as they are",
                                    c.header.raw,
                                    ch.name()
                                ),
                            );
                            Conversion::IDENTITY
                        }
                    },
                    None => {
                        let med = median_abs_nonzero(&values);
                        match med.and_then(|m| columns::infer_unit(ch, m).map(|u| (m, u))) {
                            Some((m, u)) => {
                                let conv =
                                    columns::conversion(ch, u).unwrap_or(Conversion::IDENTITY);
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
                                            "column '{}' names no unit; values (median {}) read as {u}",
                                            c.header.raw,
                                            fmt_num(m)
                                        ),
                                    );
                                }
                                conv
                            }
                            None => Conversion::IDENTITY,
                        }
                    }
                };
                if conv != Conversion::IDENTITY {
                    for v in &mut values {
                        *v = conv.apply(*v);
                    }
                }
                channel_cols.push((ch, values));
            }
        }
    }
    if let Some(frac) = frac {
        if let Some((_, cad)) = channel_cols
            .iter_mut()
            .find(|(c, _)| *c == Channel::CadenceSpm)
        {
            // fitparse prints cadence and fractional_cadence as separate rpm columns; the
            // cadence column was already doubled if its unit was rpm.
            for (c, f) in cad.iter_mut().zip(frac) {
                if c.is_finite() && f.is_finite() {
                    *c += 2.0 * f;
                }
            }
        }
    }

    // Assemble, dropping rows with no time, paused rows and rows that go back in time.
    let t0 = times.iter().copied().find(|v| v.is_finite()).unwrap_or(0.0);
    let mut last = f64::NEG_INFINITY;
    let mut dropped_back = 0usize;
    let mut dropped_no_time = 0usize;
    let mut pause_start: Option<f64> = None;
    let mut vals: Vec<(Channel, f64)> = Vec::with_capacity(channel_cols.len());
    for i in 0..row {
        let t = times[i];
        if !t.is_finite() {
            dropped_no_time += 1;
            continue;
        }
        let rel = t - t0;
        if let Some(p) = &paused {
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
            dropped_back += 1;
            continue;
        }
        last = rel;
        vals.clear();
        for (ch, v) in &channel_cols {
            if v[i].is_finite() {
                vals.push((*ch, v[i]));
            }
        }
        rec.series.push(rel, &vals);
    }
    rec.series.finish();
    if dropped_back > 0 {
        rec.warn(
            WarningCode::TimeBackwards,
            format!(
                "{dropped_back} rows had a time earlier than the row before them and were skipped"
            ),
        );
    }
    if dropped_no_time > 0 {
        rec.warn(
            WarningCode::NoTimestamp,
            format!("{dropped_no_time} rows had no time and were skipped"),
        );
    }
    if rec.series.is_empty() {
        return Err(IngestError::NoData {
            path: path.to_path_buf(),
            reason: "no row has a usable time".into(),
        });
    }
    if dialect == Dialect::StrydCsv && rec.series.has(Channel::GroundContactMs) {
        rec.placement = Some(crate::recording::Placement::Foot);
    }
    if dialect == Dialect::WahooCsv && rec.series.has(Channel::GroundContactMs) {
        rec.placement = Some(crate::recording::Placement::Trunk);
    }
    Ok(rec)
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
}
