//! Time cells of raw exports, parsed once per row: ISO date-times through an allocation-free
//! fast path (`2018-10-25T17:57:30.010`, MetaMotion's dotted `2022-08-05T15.26.13.153`),
//! everything else [`crate::ingest::time::parse_datetime`] knows, ActiGraph dates in the order
//! the preamble states (`M/d/yyyy`, `d/M/yyyy`, …), and clock times (`hh:mm:ss.fff`, Physics
//! Toolbox's `hh:mm:ss:SSS`).
//!
//! Instants are whole Unix seconds plus a fraction so that differences between rows stay exact.

use crate::ingest::time::{days_from_civil, parse_datetime};

/// Date order of an ActiGraph `date format` (`M/d/yyyy`, `d/M/yyyy`, `yyyy-MM-dd`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DateOrder {
    /// Month, day, year.
    Mdy,
    /// Day, month, year.
    Dmy,
    /// Year, month, day.
    Ymd,
}

/// A wall-clock instant.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Instant {
    /// Whole seconds since the Unix epoch (a zone-less time read as UTC).
    pub secs: i64,
    /// Fraction of a second, `0 <= frac < 1`.
    pub frac: f64,
    /// The text (or the column header) named a zone or offset.
    pub has_zone: bool,
}

impl Instant {
    /// Seconds since the Unix epoch.
    pub fn unix_s(self) -> f64 {
        self.secs as f64 + self.frac
    }
}

/// Up to 9 ASCII digits.
#[inline]
fn digits(b: &[u8]) -> Option<i64> {
    if b.is_empty() || b.len() > 9 {
        return None;
    }
    let mut v = 0i64;
    for &c in b {
        if !c.is_ascii_digit() {
            return None;
        }
        v = v * 10 + i64::from(c - b'0');
    }
    Some(v)
}

/// Digits after a decimal point as a fraction (only the first 9 count).
#[inline]
fn fraction(b: &[u8]) -> Option<f64> {
    if b.is_empty() || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let n = b.len().min(9);
    Some(digits(&b[..n])? as f64 / 10f64.powi(n as i32))
}

fn civil_ok(mo: i64, d: i64, h: i64, mi: i64, s: i64) -> bool {
    (1..=12).contains(&mo) && (1..=31).contains(&d) && h <= 24 && mi <= 59 && s <= 60
}

/// `YYYY-MM-DD[T ]hh:mm:ss[.fff]` (or `hh.mm.ss.fff`, or `hh:mm:ss:SSS`) with no zone.
#[inline]
pub(crate) fn fast_iso(b: &[u8]) -> Option<Instant> {
    if b.len() < 19 || b[4] != b'-' || b[7] != b'-' || !(b[10] == b'T' || b[10] == b' ') {
        return None;
    }
    let sep = b[13];
    if !(sep == b':' || sep == b'.') || b[16] != sep {
        return None;
    }
    let y = digits(&b[0..4])?;
    let mo = digits(&b[5..7])?;
    let d = digits(&b[8..10])?;
    let h = digits(&b[11..13])?;
    let mi = digits(&b[14..16])?;
    let s = digits(&b[17..19])?;
    if !civil_ok(mo, d, h, mi, s) {
        return None;
    }
    let frac = if b.len() == 19 {
        0.0
    } else {
        match b[19] {
            b'.' | b',' => fraction(&b[20..])?,
            b':' if sep == b':' && b.len() == 23 => fraction(&b[20..])?,
            _ => return None,
        }
    };
    Some(Instant {
        secs: days_from_civil(y, mo as u32, d as u32) * 86_400 + h * 3600 + mi * 60 + s,
        frac,
        has_zone: false,
    })
}

/// Days since the epoch of a numeric date `a/b/c` (also `-` or `.` separated) in `order`;
/// two-digit years are 20xx.
pub(crate) fn parse_date(s: &str, order: DateOrder) -> Option<i64> {
    let mut it = s.trim().split(['/', '-', '.']);
    let a = digits(it.next()?.trim().as_bytes())?;
    let b = digits(it.next()?.trim().as_bytes())?;
    let c = digits(it.next()?.trim().as_bytes())?;
    if it.next().is_some() {
        return None;
    }
    let (y, mo, d) = match order {
        DateOrder::Mdy => (c, a, b),
        DateOrder::Dmy => (c, b, a),
        DateOrder::Ymd => (a, b, c),
    };
    let y = if y < 100 { y + 2000 } else { y };
    if !civil_ok(mo, d, 0, 0, 0) {
        return None;
    }
    Some(days_from_civil(y, mo as u32, d as u32))
}

/// Seconds of the day of `hh:mm:ss`, `hh:mm:ss.fff`, `hh:mm:ss:SSS` (Physics Toolbox) or
/// `mm:ss.fff`.
pub(crate) fn parse_clock(s: &str) -> Option<f64> {
    let s = s.trim();
    let parts: Vec<&str> = s.split(':').collect();
    let (h, m, sec_part, extra) = match parts.as_slice() {
        [m, s] => ("0", *m, *s, None),
        [h, m, s] => (*h, *m, *s, None),
        [h, m, s, ms] => (*h, *m, *s, Some(*ms)),
        _ => return None,
    };
    let h = digits(h.as_bytes())?;
    let m = digits(m.as_bytes())?;
    let (whole, frac) = match sec_part.split_once(['.', ',']) {
        Some((w, f)) if extra.is_none() => (w, fraction(f.as_bytes())?),
        Some(_) => return None,
        None => (sec_part, 0.0),
    };
    let sec = digits(whole.as_bytes())?;
    let frac = match extra {
        Some(ms) => fraction(ms.as_bytes())?,
        None => frac,
    };
    if h > 24 || m > 59 || sec > 60 {
        return None;
    }
    Some((h * 3600 + m * 60 + sec) as f64 + frac)
}

/// ActiGraph `date clock` (`2/14/2019 08:58:00.010`) in the preamble's date order.
fn parse_ordered(s: &str, order: DateOrder) -> Option<Instant> {
    let (date, clock) = s.trim().split_once([' ', 'T'])?;
    let days = parse_date(date, order)?;
    let sod = parse_clock(clock)?;
    let whole = sod.floor();
    Some(Instant {
        secs: days * 86_400 + whole as i64,
        frac: sod - whole,
        has_zone: false,
    })
}

/// Parse a date-time cell. `order` is the ActiGraph date order, when the file states one;
/// `offset_s` a UTC offset the column header names (MetaMotion `timestamp (-0500)`), applied
/// to zone-less text.
pub(crate) fn parse_instant(
    text: &str,
    order: Option<DateOrder>,
    offset_s: Option<i64>,
) -> Option<Instant> {
    let t = text.trim().trim_matches('"');
    let mut inst = if let Some(i) = fast_iso(t.as_bytes()) {
        i
    } else if let Some(i) = order
        .filter(|_| t.contains('/') || t.split_once(' ').is_some_and(|(d, _)| d.contains('.')))
        .and_then(|o| parse_ordered(t, o))
    {
        i
    } else {
        let p = parse_datetime(t)?;
        if !p.unix_s.is_finite() {
            return None;
        }
        let whole = p.unix_s.floor();
        Instant {
            secs: whole as i64,
            frac: p.unix_s - whole,
            has_zone: p.has_zone,
        }
    };
    if let (false, Some(off)) = (inst.has_zone, offset_s) {
        inst.secs = inst.secs.saturating_sub(off);
        inst.has_zone = true;
    }
    Some(inst)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fast_path_agrees_with_the_general_parser() {
        for s in [
            "2018-10-25T17:57:30.010",
            "2018-10-25 17:57:30",
            "2022-08-05T15.26.13.153",
            "2019-02-14T08:58:00.0100000",
        ] {
            let fast = fast_iso(s.as_bytes()).unwrap().unix_s();
            let slow = parse_datetime(s).unwrap().unix_s;
            assert!((fast - slow).abs() < 1e-6, "{s}: {fast} vs {slow}");
        }
        // 2018-10-25T17:57:30Z = 1540490250 (date -u -d ... +%s).
        let i = fast_iso(b"2018-10-25T17:57:30.010").unwrap();
        assert_eq!(i.secs, 1_540_490_250);
        assert!((i.frac - 0.010).abs() < 1e-12);
        assert!(fast_iso(b"2018-10-25T17:57:30+02:00").is_none());
        assert!(fast_iso(b"2018-13-25T17:57:30").is_none());
        assert!(fast_iso(b"not a date at all!!").is_none());
    }

    #[test]
    fn zones_and_header_offsets() {
        let z = parse_instant("2018-10-25T19:57:30+02:00", None, None).unwrap();
        assert!(z.has_zone);
        assert_eq!(z.secs, 1_540_490_250);
        // MetaMotion: local 15:26:13.153 at -0500 is 20:26:13.153 UTC = epoc 1659731173153 ms.
        let m = parse_instant("2022-08-05T15.26.13.153", None, Some(-5 * 3600)).unwrap();
        assert!((m.unix_s() - 1_659_731_173.153).abs() < 1e-6);
    }

    #[test]
    fn actigraph_dates_follow_the_stated_order() {
        let us = parse_instant("2/14/2019 08:58:00.010", Some(DateOrder::Mdy), None).unwrap();
        let eu = parse_instant("14/2/2019 08:58:00.010", Some(DateOrder::Dmy), None).unwrap();
        let iso = parse_instant("2019-02-14T08:58:00.010", Some(DateOrder::Dmy), None).unwrap();
        assert_eq!(us, eu);
        assert!((us.unix_s() - iso.unix_s()).abs() < 1e-9);
        assert_eq!(
            parse_date("2019-02-14", DateOrder::Ymd),
            parse_date("14.02.19", DateOrder::Dmy)
        );
        assert!(parse_date("14/14/2019", DateOrder::Mdy).is_none());
    }

    #[test]
    fn clocks() {
        let near = |s: &str, v: f64| (parse_clock(s).unwrap() - v).abs() < 1e-9;
        assert!(near("10:15:30:123", 36_930.123));
        assert!(near("10:15:30.5", 36_930.5));
        assert!(near("01:02.25", 62.25));
        assert!(parse_clock("10:75:30").is_none());
        assert!(parse_clock("abc").is_none());
        assert!(parse_clock("1:2:3:4:5").is_none());
    }
}
