//! Timestamp parsing for CSV exports: ISO 8601 / RFC 3339 (with `T` or space, optional
//! fraction, `Z` or a numeric offset), clock times with dots (`15.26.13.153`, MetaMotion),
//! `date(1)` style (`Sun Jun 11 07:34:09 PDT 2017`, fitparse's default printing), and US
//! `M/D/YYYY HH:MM:SS` (ActiGraph). Hand-written because it runs once per row.

/// A parsed wall-clock instant.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ParsedTime {
    /// Seconds since the Unix epoch, reading a zone-less time as UTC.
    pub unix_s: f64,
    /// The text named a zone or offset.
    pub has_zone: bool,
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's `days_from_civil`).
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (m as i64 + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn num(s: &str) -> Option<u32> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

fn month_by_name(s: &str) -> Option<u32> {
    const M: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    let l = s.get(..3)?.to_ascii_lowercase();
    M.iter().position(|m| *m == l).map(|i| i as u32 + 1)
}

/// Offset in seconds of common zone abbreviations (what `date` prints).
fn zone_abbrev(s: &str) -> Option<i64> {
    Some(match s {
        "UTC" | "GMT" | "Z" | "UT" => 0,
        "PST" => -8 * 3600,
        "PDT" | "MST" => -7 * 3600,
        "MDT" | "CST" => -6 * 3600,
        "CDT" | "EST" => -5 * 3600,
        "EDT" | "AST" => -4 * 3600,
        "AKST" => -9 * 3600,
        "AKDT" => -8 * 3600,
        "HST" => -10 * 3600,
        "BST" | "CET" | "WEST" => 3600,
        "CEST" | "EET" | "SAST" => 2 * 3600,
        "EEST" | "MSK" => 3 * 3600,
        "IST" => 5 * 3600 + 1800,
        "JST" | "KST" => 9 * 3600,
        "AEST" => 10 * 3600,
        "AEDT" => 11 * 3600,
        "NZST" => 12 * 3600,
        "NZDT" => 13 * 3600,
        _ => return None,
    })
}

/// Parse `HH:MM:SS[.fff]` or `HH.MM.SS[.fff]` into seconds of the day.
fn parse_clock(s: &str) -> Option<f64> {
    let sep = if s.contains(':') { ':' } else { '.' };
    let mut it = s.splitn(3, sep);
    let h = num(it.next()?)?;
    let m = num(it.next()?)?;
    let rest = it.next().unwrap_or("0");
    // Seconds may carry a fraction with '.' (or ',' in some locales).
    let rest = rest.replace(',', ".");
    let (sec_s, frac_s) = match rest.split_once('.') {
        Some((a, b)) => (a.to_string(), b.to_string()),
        None => (rest.clone(), String::new()),
    };
    let sec = num(&sec_s)?;
    let frac = if frac_s.is_empty() {
        0.0
    } else {
        num(&frac_s)? as f64 / 10f64.powi(frac_s.len().min(9) as i32)
    };
    if h > 24 || m > 59 || sec > 60 {
        return None;
    }
    Some(h as f64 * 3600.0 + m as f64 * 60.0 + sec as f64 + frac)
}

fn parse_offset(s: &str) -> Option<i64> {
    let sign = match s.as_bytes().first()? {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let body = s[1..].replace(':', "");
    if body.len() != 4 && body.len() != 2 {
        return None;
    }
    let h = num(&body[..2])? as i64;
    let m = if body.len() == 4 {
        num(&body[2..])? as i64
    } else {
        0
    };
    Some(sign * (h * 3600 + m * 60))
}

/// Parse one timestamp text. `None` when it is no recognised date-time.
pub fn parse_datetime(text: &str) -> Option<ParsedTime> {
    let t = text.trim().trim_matches('"');
    if t.len() < 8 {
        return None;
    }
    let b = t.as_bytes();
    // ISO: YYYY-MM-DD[T ]clock[zone]
    if b.len() >= 10 && b[4] == b'-' && b[7] == b'-' {
        let y = num(&t[..4])? as i64;
        let mo = num(&t[5..7])?;
        let d = num(&t[8..10])?;
        if mo == 0 || mo > 12 || d == 0 || d > 31 {
            return None;
        }
        let days = days_from_civil(y, mo, d);
        let rest = t[10..].trim_start_matches(['T', ' ']);
        if rest.is_empty() {
            return Some(ParsedTime {
                unix_s: days as f64 * 86400.0,
                has_zone: false,
            });
        }
        // Split the zone off the clock.
        let (clock, zone): (&str, Option<i64>) = if let Some(c) = rest.strip_suffix('Z') {
            (c, Some(0))
        } else if let Some(i) = rest.rfind(['+', '-']) {
            (&rest[..i], Some(parse_offset(&rest[i..])?))
        } else if let Some((c, z)) = rest.split_once(' ') {
            (c, Some(zone_abbrev(z.trim())?))
        } else {
            (rest, None)
        };
        let secs = parse_clock(clock.trim())?;
        return Some(ParsedTime {
            unix_s: days as f64 * 86400.0 + secs - zone.unwrap_or(0) as f64,
            has_zone: zone.is_some(),
        });
    }
    let parts: Vec<&str> = t.split_whitespace().collect();
    // date(1): Sun Jun 11 07:34:09 PDT 2017
    if parts.len() >= 5 && month_by_name(parts[1]).is_some() {
        let mo = month_by_name(parts[1])?;
        let d = num(parts[2])?;
        let secs = parse_clock(parts[3])?;
        let (zone, year) = if parts.len() >= 6 {
            (
                Some(zone_abbrev(parts[4]).or_else(|| parse_offset(parts[4]))?),
                parts[5],
            )
        } else {
            (None, parts[4])
        };
        let y = num(year)? as i64;
        return Some(ParsedTime {
            unix_s: days_from_civil(y, mo, d) as f64 * 86400.0 + secs - zone.unwrap_or(0) as f64,
            has_zone: zone.is_some(),
        });
    }
    // US: M/D/YYYY HH:MM:SS(.fff)
    if parts.len() == 2 && parts[0].matches('/').count() == 2 {
        let mut dm = parts[0].split('/');
        let mo = num(dm.next()?)?;
        let d = num(dm.next()?)?;
        let y = num(dm.next()?)? as i64;
        let secs = parse_clock(parts[1])?;
        if mo == 0 || mo > 12 || d == 0 || d > 31 {
            return None;
        }
        return Some(ParsedTime {
            unix_s: days_from_civil(y, mo, d) as f64 * 86400.0 + secs,
            has_zone: false,
        });
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unix_epoch_and_known_dates() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        // FIT epoch 1989-12-31 is 631065600 s after the Unix epoch.
        assert_eq!(days_from_civil(1989, 12, 31) * 86400, 631_065_600);
        let p = parse_datetime("2015-08-15 14:45:08").unwrap();
        assert_eq!(p.unix_s, 1_439_649_908.0);
        assert!(!p.has_zone);
    }

    #[test]
    fn zones_and_styles_agree() {
        // 07:34:09 PDT is 14:34:09 UTC (the fenix 5 session start in expected.jsonl).
        let a = parse_datetime("Sun Jun 11 07:34:09 PDT 2017").unwrap();
        let b = parse_datetime("2017-06-11T14:34:09Z").unwrap();
        let c = parse_datetime("2017-06-11T16:34:09+02:00").unwrap();
        assert_eq!(a.unix_s, b.unix_s);
        assert_eq!(b.unix_s, c.unix_s);
        assert!(a.has_zone && b.has_zone && c.has_zone);
    }

    #[test]
    fn fractions_and_dotted_clocks() {
        let a = parse_datetime("2022-08-05T15.26.13.153").unwrap();
        let b = parse_datetime("2022-08-05T15:26:13.153").unwrap();
        assert!((a.unix_s - b.unix_s).abs() < 1e-9);
        let c = parse_datetime("2019-02-14T08:58:00.0100000").unwrap();
        let d = parse_datetime("2/14/2019 08:58:00.010").unwrap();
        assert!((c.unix_s - d.unix_s).abs() < 1e-6);
    }

    #[test]
    fn rejects_non_dates() {
        assert!(parse_datetime("12.5").is_none());
        assert!(parse_datetime("hello world").is_none());
        assert!(parse_datetime("2019-13-45T99:00:00").is_none());
    }
}
