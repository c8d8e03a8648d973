//! When each session happened, in the runner's own time: the start comes from the file when it
//! has an absolute clock, else from a date (and time) in the file name, else from the file's
//! modification time, and the source is reported with a warning for the last two. Days and
//! weeks are the runner's local calendar days; weeks are ISO 8601 weeks, Monday to Sunday.

use crate::time::{FIRST_YEAR, LAST_YEAR};
use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use serde::Serialize;
use std::path::Path;

/// Where a session's start time came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StartSource {
    /// The file's own clock.
    File,
    /// A date (and perhaps a time) in the file name, read as local time.
    FileName,
    /// The file's modification time (a guess: copying a file changes it).
    ModificationTime,
    /// The date a training log gives for the session (a local day, perhaps with a time).
    Log,
}

/// Where the local-time offset came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OffsetSource {
    /// The file says (FIT `activity.local_timestamp`).
    File,
    /// `--utc-offset`.
    Option,
    /// The offset most files of the block state.
    Block,
    /// Nothing said: UTC.
    Utc,
}

/// A session's place on the calendar.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Start {
    /// Unix seconds.
    pub unix_s: f64,
    /// Local time minus UTC, s.
    pub utc_offset_s: i64,
    /// The local calendar date.
    pub local_date: NaiveDate,
    /// Where the start came from.
    pub source: StartSource,
    /// Where the offset came from.
    pub offset_source: OffsetSource,
}

fn digits(b: &[u8], at: usize, n: usize) -> Option<u32> {
    let s = b.get(at..at + n)?;
    if !s.iter().all(u8::is_ascii_digit) {
        return None;
    }
    s.iter()
        .try_fold(0u32, |acc, d| Some(acc * 10 + u32::from(d - b'0')))
}

/// A date, and a time when one follows it, in a file name: `2026-09-14`, `20260914`,
/// `2026_09_14`, then optionally `-07-30-15`, `T073015`, `_0730`… The date must be a real
/// calendar date between 1990 and 2100, and not part of a longer run of digits.
pub fn datetime_from_name(name: &str) -> Option<NaiveDateTime> {
    let b = name.as_bytes();
    let sep = |i: usize| b.get(i).is_some_and(|c| matches!(c, b'-' | b'_' | b'.'));
    for i in 0..b.len() {
        if i > 0 && b[i - 1].is_ascii_digit() {
            continue;
        }
        let Some(year) = digits(b, i, 4) else {
            continue;
        };
        if !(FIRST_YEAR as u32..=LAST_YEAR as u32).contains(&year) {
            continue;
        }
        // With separators (2026-09-14) or without (20260914).
        let (m_at, d_at, end) = if sep(i + 4) && sep(i + 7) {
            (i + 5, i + 8, i + 10)
        } else {
            (i + 4, i + 6, i + 8)
        };
        let (Some(month), Some(day)) = (digits(b, m_at, 2), digits(b, d_at, 2)) else {
            continue;
        };
        if b.get(end).is_some_and(u8::is_ascii_digit) {
            continue;
        }
        let Some(date) = NaiveDate::from_ymd_opt(year as i32, month, day) else {
            continue;
        };
        let time = time_after(b, end).unwrap_or(NaiveTime::MIN);
        return Some(date.and_time(time));
    }
    None
}

fn time_after(b: &[u8], at: usize) -> Option<NaiveTime> {
    let is_sep = |i: usize| {
        b.get(i)
            .is_some_and(|c| matches!(c, b'-' | b'_' | b':' | b'.'))
    };
    let mut i = match b.get(at)? {
        b'-' | b'_' | b'T' | b't' | b' ' | b'.' => at + 1,
        _ => return None,
    };
    let h = digits(b, i, 2)?;
    i += 2;
    let j = if is_sep(i) { i + 1 } else { i };
    let m = digits(b, j, 2)?;
    i = j + 2;
    let j = if is_sep(i) { i + 1 } else { i };
    let s = match digits(b, j, 2) {
        Some(s) => {
            i = j + 2;
            s
        }
        None => 0,
    };
    if b.get(i).is_some_and(u8::is_ascii_digit) {
        return None;
    }
    NaiveTime::from_hms_opt(h, m, s)
}

/// A file's modification time, Unix seconds.
pub fn modification_time(path: &Path) -> Option<f64> {
    let t = std::fs::metadata(path).ok()?.modified().ok()?;
    t.duration_since(std::time::UNIX_EPOCH)
        .ok()
        .map(|d| d.as_secs_f64())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::{local_date, week_start};

    fn dt(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").unwrap()
    }

    #[test]
    fn dates_in_file_names() {
        assert_eq!(
            datetime_from_name("2013-02-06-12-11-14.fit"),
            Some(dt("2013-02-06 12:11:14"))
        );
        assert_eq!(
            datetime_from_name("Morning_Run_20260914T073015.csv"),
            Some(dt("2026-09-14 07:30:15"))
        );
        assert_eq!(
            datetime_from_name("run_2026_09_14.csv"),
            Some(dt("2026-09-14 00:00:00"))
        );
        assert_eq!(
            datetime_from_name("week3-2026-09-14_0730.fit"),
            Some(dt("2026-09-14 07:30:00"))
        );
        // Not dates: an id, an impossible day, a longer number.
        assert_eq!(datetime_from_name("activity_1234567890.fit"), None);
        assert_eq!(datetime_from_name("2026-02-30.fit"), None);
        assert_eq!(datetime_from_name("x120260914.fit"), None);
        assert_eq!(datetime_from_name("garmin-fenix-5-run.fit"), None);
    }

    #[test]
    fn iso_weeks_start_on_monday_in_local_time() {
        // 2026-11-22 is a Sunday: its week started on Monday 2026-11-16.
        let sun = NaiveDate::from_ymd_opt(2026, 11, 22).unwrap();
        assert_eq!(
            week_start(sun),
            NaiveDate::from_ymd_opt(2026, 11, 16).unwrap()
        );
        let mon = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        assert_eq!(week_start(mon), mon);
        // Sunday 23:30 UTC is already Monday in UTC+1, and still Sunday in UTC-5.
        let t = dt("2026-11-22 23:30:00").and_utc().timestamp() as f64;
        assert_eq!(local_date(t, 3600), Some(mon));
        assert_eq!(week_start(local_date(t, 3600).unwrap()), mon);
        assert_eq!(local_date(t, -5 * 3600), Some(sun));
        // Monday 00:30 local in UTC+2 is Sunday 22:30 UTC: the local week is the new one.
        let t = dt("2026-11-22 22:30:00").and_utc().timestamp() as f64;
        assert_eq!(week_start(local_date(t, 7200).unwrap()), mon);
        assert_eq!(week_start(local_date(t, 0).unwrap()), week_start(sun));
    }
}
