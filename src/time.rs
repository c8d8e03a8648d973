//! Time, the base layer every stage shares: calendar days, RFC 3339 text, UTC offsets, local
//! dates, and the one parser of the date-time texts that exports write.
//!
//! * [`days_from_civil`], [`local_date`], [`week_start`]: proleptic Gregorian calendar
//!   arithmetic (chrono), the years a recording may plausibly hold ([`FIRST_YEAR`],
//!   [`LAST_YEAR`]).
//! * [`rfc3339`]: the text every output writes.
//! * [`parse_utc_offset`], [`parse_iso_date`]: what users and files write for offsets and days.
//! * [`parse_datetime`]: ISO 8601 / RFC 3339 (with `T` or space, optional fraction, `Z` or a
//!   numeric offset), clock times with dots (`15.26.13.153`, MetaMotion), `date(1)` style
//!   (`Sun Jun 11 07:34:09 PDT 2017`, fitparse's default printing), and US
//!   `M/D/YYYY HH:MM:SS` (ActiGraph).
//! * [`parse_instant`]: the same texts as whole seconds plus a fraction (so that differences
//!   between rows of a raw file stay exact), through an allocation-free fast path for ISO
//!   date-times ([`fast_iso`]), ActiGraph dates in the order a preamble states ([`DateOrder`]),
//!   and bare clock cells ([`parse_clock`]: `hh:mm:ss.fff`, Physics Toolbox's `hh:mm:ss:SSS`,
//!   `mm:ss.fff`).
//!
//! Hand-written where it runs once per row; chrono does the calendar.

use chrono::{Datelike, NaiveDate};

/// First calendar year a recording may hold (clocks and dates before it are implausible).
pub const FIRST_YEAR: i32 = 1990;
/// Last calendar year a recording may hold.
pub const LAST_YEAR: i32 = 2100;

/// The instants a recording may plausibly hold: from the start of [`FIRST_YEAR`] (before the
/// first consumer GPS watches and wearable accelerometers; a clock reading earlier is an
/// unset or rolled-over clock) to one day after the machine's clock (a file cannot have been
/// recorded in the future; the day allows for time zones and a machine clock a little
/// behind). Every reader and both commands use this one notion, read once from the machine
/// clock when a run starts ([`TimeBounds::now`]) and passed explicitly from there.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TimeBounds {
    /// Earliest plausible instant, Unix s (1990-01-01T00:00:00Z).
    pub earliest_unix_s: f64,
    /// Latest plausible instant, Unix s (the machine's clock plus 86 400 s).
    pub latest_unix_s: f64,
}

/// Seconds a clock may run ahead of the machine's: one day.
pub const FUTURE_MARGIN_S: f64 = 86_400.0;

impl TimeBounds {
    /// Bounds for a machine whose clock reads `now_unix_s`.
    pub fn until(now_unix_s: f64) -> Self {
        let first_day = days_from_civil(i64::from(FIRST_YEAR), 1, 1).unwrap_or(7305);
        TimeBounds {
            earliest_unix_s: first_day as f64 * 86_400.0,
            latest_unix_s: now_unix_s + FUTURE_MARGIN_S,
        }
    }

    /// Bounds for this machine's clock now.
    pub fn now() -> Self {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0.0, |d| d.as_secs_f64());
        Self::until(now)
    }

    /// Whether `unix_s` is a plausible recording time.
    pub fn contains(&self, unix_s: f64) -> bool {
        unix_s >= self.earliest_unix_s && unix_s <= self.latest_unix_s
    }

    /// Whether a local calendar day is plausible: on or after 1990-01-01 and not after the
    /// day of [`TimeBounds::latest_unix_s`] (the latest local day anywhere is at most 14 h
    /// ahead of UTC, inside the one-day margin).
    pub fn contains_date(&self, date: NaiveDate) -> bool {
        let first = local_date(self.earliest_unix_s, 0);
        let last = local_date(self.latest_unix_s, 0);
        first.is_some_and(|f| date >= f) && last.is_some_and(|l| date <= l)
    }

    /// The bounds as text, for messages: `1990-01-01 to 2026-12-03`.
    pub fn describe(&self) -> String {
        let day = |t: f64| local_date(t, 0).map_or_else(|| format!("{t} s"), |d| d.to_string());
        format!(
            "{} to {}",
            day(self.earliest_unix_s),
            day(self.latest_unix_s)
        )
    }
}

impl Default for TimeBounds {
    /// [`TimeBounds::now`].
    fn default() -> Self {
        Self::now()
    }
}

/// A Unix time as text for messages: RFC 3339 when the calendar holds it, else the number of
/// seconds (`1e300 s`).
pub fn describe_instant(unix_s: f64) -> String {
    rfc3339(unix_s).unwrap_or_else(|| format!("{unix_s:e} s since 1970"))
}

/// Days from 0001-01-01 (chrono's day 1 of the common era) to 1970-01-01.
const UNIX_EPOCH_DAYS_FROM_CE: i64 = 719_163;

/// A parsed wall-clock instant.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ParsedTime {
    /// Seconds since the Unix epoch, reading a zone-less time as UTC.
    pub unix_s: f64,
    /// The text named a zone or offset.
    pub has_zone: bool,
}

/// Days since 1970-01-01 of a proleptic Gregorian date; `None` for a day the calendar does
/// not have (February 30) or a year chrono cannot hold.
pub fn days_from_civil(y: i64, m: u32, d: u32) -> Option<i64> {
    let y = i32::try_from(y).ok()?;
    let date = NaiveDate::from_ymd_opt(y, m, d)?;
    Some(i64::from(date.num_days_from_ce()) - UNIX_EPOCH_DAYS_FROM_CE)
}

/// RFC 3339 UTC text of Unix seconds (whole seconds unless the time has a fraction, then
/// milliseconds); `None` outside chrono's range.
pub fn rfc3339(unix_s: f64) -> Option<String> {
    let secs = unix_s.floor() as i64;
    let nanos = ((unix_s - secs as f64) * 1e9).round().min(999_999_999.0) as u32;
    let dt = chrono::DateTime::from_timestamp(secs, nanos)?;
    let fmt = if nanos == 0 {
        chrono::SecondsFormat::Secs
    } else {
        chrono::SecondsFormat::Millis
    };
    Some(dt.to_rfc3339_opts(fmt, true))
}

/// Local calendar date of a Unix time, `utc_offset_s` (local minus UTC, s) east of UTC.
pub fn local_date(unix_s: f64, utc_offset_s: i64) -> Option<NaiveDate> {
    let local = unix_s.floor() as i64 + utc_offset_s;
    chrono::DateTime::from_timestamp(local, 0).map(|d| d.date_naive())
}

/// Monday of the ISO week holding `date`.
pub fn week_start(date: NaiveDate) -> NaiveDate {
    date - chrono::Days::new(u64::from(date.weekday().num_days_from_monday()))
}

/// A calendar day written `YYYY-MM-DD` (surrounding white space ignored).
pub fn parse_iso_date(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").ok()
}

/// A UTC offset (local minus UTC) in seconds: `+02:00`, `-0500`, `+5`, `+530`, `UTC+1`,
/// `GMT-03:00`, `Z` or `UTC` (any case). The hours may not exceed 14 (the widest offset in
/// use, Kiribati's +14:00) and the minutes 59. `None` for anything else.
pub fn parse_utc_offset(text: &str) -> Option<i64> {
    let t = text.trim();
    if t.eq_ignore_ascii_case("z") || t.eq_ignore_ascii_case("utc") || t.eq_ignore_ascii_case("gmt")
    {
        return Some(0);
    }
    let lower = t.to_ascii_lowercase();
    let body = lower
        .strip_prefix("utc")
        .or_else(|| lower.strip_prefix("gmt"))
        .unwrap_or(&lower);
    let sign = match body.as_bytes().first()? {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let digits: String = body[1..].chars().filter(|c| *c != ':').collect();
    if digits.is_empty() || digits.len() > 4 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    // One or two digits are hours; three or four are hours and minutes (`530`, `0500`).
    let (h, m): (i64, i64) = if digits.len() <= 2 {
        (digits.parse().ok()?, 0)
    } else {
        let (h, m) = digits.split_at(digits.len() - 2);
        (h.parse().ok()?, m.parse().ok()?)
    };
    (m < 60 && h * 60 + m <= 14 * 60).then_some(sign * (h * 3600 + m * 60))
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

/// Seconds of the day of the clock after a date: `HH:MM[:SS[.fff]]` or `HH.MM.SS[.fff]`
/// (two parts are hours and minutes here, unlike a bare clock cell, see [`parse_clock`]).
fn clock_after_date(s: &str) -> Option<f64> {
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
        let days = days_from_civil(y, mo, d)?;
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
            (&rest[..i], Some(parse_utc_offset(&rest[i..])?))
        } else if let Some((c, z)) = rest.split_once(' ') {
            (c, Some(zone_abbrev(z.trim())?))
        } else {
            (rest, None)
        };
        let secs = clock_after_date(clock.trim())?;
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
        let secs = clock_after_date(parts[3])?;
        let (zone, year) = if parts.len() >= 6 {
            (
                Some(zone_abbrev(parts[4]).or_else(|| parse_utc_offset(parts[4]))?),
                parts[5],
            )
        } else {
            (None, parts[4])
        };
        let y = num(year)? as i64;
        return Some(ParsedTime {
            unix_s: days_from_civil(y, mo, d)? as f64 * 86400.0 + secs - zone.unwrap_or(0) as f64,
            has_zone: zone.is_some(),
        });
    }
    // US: M/D/YYYY HH:MM:SS(.fff)
    if parts.len() == 2 && parts[0].matches('/').count() == 2 {
        let mut dm = parts[0].split('/');
        let mo = num(dm.next()?)?;
        let d = num(dm.next()?)?;
        let y = num(dm.next()?)? as i64;
        let secs = clock_after_date(parts[1])?;
        if mo == 0 || mo > 12 || d == 0 || d > 31 {
            return None;
        }
        return Some(ParsedTime {
            unix_s: days_from_civil(y, mo, d)? as f64 * 86400.0 + secs,
            has_zone: false,
        });
    }
    None
}

/// Instants of raw rows: whole seconds plus a fraction.
/// Date order of an ActiGraph `date format` (`M/d/yyyy`, `d/M/yyyy`, `yyyy-MM-dd`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateOrder {
    /// Month, day, year.
    Mdy,
    /// Day, month, year.
    Dmy,
    /// Year, month, day.
    Ymd,
}

/// A wall-clock instant.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Instant {
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
pub fn fast_iso(b: &[u8]) -> Option<Instant> {
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
        secs: days_from_civil(y, mo as u32, d as u32)? * 86_400 + h * 3600 + mi * 60 + s,
        frac,
        has_zone: false,
    })
}

/// Days since the epoch of a numeric date `a/b/c` (also `-` or `.` separated) in `order`;
/// two-digit years are 20xx.
pub fn parse_date(s: &str, order: DateOrder) -> Option<i64> {
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
    days_from_civil(y, mo as u32, d as u32)
}

/// Seconds of the day of `hh:mm:ss`, `hh:mm:ss.fff`, `hh:mm:ss:SSS` (Physics Toolbox) or
/// `mm:ss.fff`.
pub fn parse_clock(s: &str) -> Option<f64> {
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
pub fn parse_instant(
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
    fn time_bounds_run_from_1990_to_a_day_after_now() {
        // 2026-12-02T00:00:00Z
        let b = TimeBounds::until(1_796_169_600.0);
        assert_eq!(b.earliest_unix_s, 631_152_000.0); // 1990-01-01
        assert!(b.contains(631_152_000.0) && !b.contains(631_151_999.0));
        assert!(b.contains(1_796_169_600.0 + 86_400.0));
        assert!(!b.contains(1_796_169_600.0 + 86_401.0));
        assert!(!b.contains(f64::NAN) && !b.contains(1e300));
        let d = |s: &str| parse_iso_date(s).unwrap();
        assert!(b.contains_date(d("2026-12-03")) && !b.contains_date(d("2026-12-04")));
        assert!(b.contains_date(d("1990-01-01")) && !b.contains_date(d("1989-12-31")));
        assert_eq!(b.describe(), "1990-01-01 to 2026-12-03");
        assert_eq!(describe_instant(1e300), "1e300 s since 1970");
    }

    #[test]
    fn rfc3339_formats() {
        assert_eq!(rfc3339(0.0).unwrap(), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(1_497_191_649.0).unwrap(), "2017-06-11T14:34:09Z");
        assert_eq!(rfc3339(1.5).unwrap(), "1970-01-01T00:00:01.500Z");
    }

    #[test]
    fn utc_offsets() {
        for (text, s) in [
            ("+02:00", 7200),
            ("-0500", -18_000),
            ("+5", 18_000),
            ("+530", 19_800),
            ("UTC+1", 3600),
            ("gmt-03:00", -10_800),
            ("Z", 0),
            ("utc", 0),
            ("+14:00", 50_400),
        ] {
            assert_eq!(parse_utc_offset(text), Some(s), "{text}");
        }
        for text in ["", "02:00", "+15", "+01:60", "+12345", "+ab", "UTC+"] {
            assert_eq!(parse_utc_offset(text), None, "{text}");
        }
    }

    #[test]
    fn unix_epoch_and_known_dates() {
        assert_eq!(days_from_civil(1970, 1, 1), Some(0));
        // FIT epoch 1989-12-31 is 631065600 s after the Unix epoch.
        assert_eq!(
            days_from_civil(1989, 12, 31).map(|d| d * 86400),
            Some(631_065_600)
        );
        assert_eq!(days_from_civil(2024, 2, 29), Some(19_782));
        assert_eq!(days_from_civil(2023, 2, 29), None);
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
