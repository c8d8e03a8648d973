//! Plausible times: what every reader's output must satisfy before later stages see it.
//!
//! A file can be readable and still lie about time: a watch with a corrupt clock or a GPS
//! week rollover writes dates decades ahead, an export writes `1e300` in a time cell, a
//! header states a sample rate no sensor has. Left alone these become a block's "today", a
//! duration of 10^293 s, or a rate of 10^-291 Hz. One set of bounds applies to every format:
//!
//! 1. **Times far from the rest** ([`keep_near_median`]): a record or sample more than the
//!    longest plausible span ([`MAX_SESSION_S`] for watch records, [`MAX_WEAR_S`] for raw
//!    sensor signals) from the recording's median time cannot belong to the same recording;
//!    it is left out with an `implausible_time` warning (the median, not the first time, is
//!    the reference, so one bad first row cannot take the recording with it).
//! 2. **The span** ([`check_span`]): what is left may not span more than that limit either
//!    (a running session over 48 hours is not a session; a sensor worn for over a month
//!    does not fit one analysis): refused with [`IngestError::ImplausibleTime`].
//! 3. **The start date** ([`check_start`]): an absolute start outside
//!    [`TimeBounds`] (before 1990, or after the machine's today plus a day) is left out
//!    (the start becomes unknown, kept as `rejected_start_unix_s` so that `block` can list the
//!    session instead of guessing its date) with a warning naming the value.
//! 4. **Rates** ([`check_record_interval`], [`check_sample_rate`]): watch records more often
//!    than every [`MIN_RECORD_INTERVAL_S`], or a raw signal outside [`MIN_SAMPLE_RATE_HZ`]–
//!    [`MAX_SAMPLE_RATE_HZ`] (stated or measured), are refused.
//! 5. **Session totals** ([`check_sessions`]): a FIT session's elapsed or timer time over
//!    [`MAX_SESSION_S`], negative or not finite, is left out with a warning.

use super::IngestError;
use crate::recording::{RawSignal, Recording, Warning};
use crate::time::{TimeBounds, describe_instant};
use crate::vocab::WarningCode;
use std::path::Path;

/// The longest plausible running session, s (48 h: the longest ultramarathon stage races;
/// a recording of watch records longer than this is several sessions or a broken clock).
pub const MAX_SESSION_S: f64 = 48.0 * 3600.0;
/// The longest plausible raw sensor recording, s (31 days: research accelerometers such as
/// the Axivity AX3 record up to about two weeks at 100 Hz, longer at lower rates).
pub const MAX_WEAR_S: f64 = 31.0 * 86_400.0;
/// Watch and app records closer together than this (median) are not per-record data, s.
pub const MIN_RECORD_INTERVAL_S: f64 = 0.001;
/// The lowest sample rate a raw accelerometer file is read at, Hz (activity monitors
/// sample at 10–100 Hz; below 1 Hz there is no signal of a step at all).
pub const MIN_SAMPLE_RATE_HZ: f64 = 1.0;
/// The highest, Hz (laboratory accelerometers and force plates reach 10–20 kHz).
pub const MAX_SAMPLE_RATE_HZ: f64 = 100_000.0;

/// Check and repair the times of a per-record recording (module doc, steps 1–5).
///
/// # Errors
/// [`IngestError::ImplausibleTime`] when the records span more than [`MAX_SESSION_S`] or
/// are closer together than [`MIN_RECORD_INTERVAL_S`].
pub fn check_recording(rec: &mut Recording, bounds: &TimeBounds) -> Result<(), IngestError> {
    let (keep, dropped) = keep_near_median(&rec.series.time_s, MAX_SESSION_S);
    if let Some(d) = dropped {
        rec.series.retain_indices(&keep);
        rec.warnings.push(d.warning("record", MAX_SESSION_S));
        rebase_recording(rec);
    }
    check_span(&rec.path, "record times", &rec.series.time_s, MAX_SESSION_S)?;
    check_record_interval(&rec.path, &rec.series.time_s)?;
    check_sessions(rec);
    let rejected = check_start(&mut rec.start_unix_s, &mut rec.warnings, bounds);
    rec.rejected_start_unix_s = rejected;
    Ok(())
}

/// Check and repair the times of a raw sensor signal (module doc, steps 1–4).
///
/// # Errors
/// [`IngestError::ImplausibleTime`] when the samples span more than [`MAX_WEAR_S`] or the
/// stated or measured sample rate is outside [`MIN_SAMPLE_RATE_HZ`]–[`MAX_SAMPLE_RATE_HZ`].
pub fn check_signal(sig: &mut RawSignal, bounds: &TimeBounds) -> Result<(), IngestError> {
    let (keep, dropped) = keep_near_median(&sig.time_s, MAX_WEAR_S);
    if let Some(d) = dropped {
        retain_samples(sig, &keep);
        sig.warnings.push(d.warning("sample", MAX_WEAR_S));
        rebase_signal(sig);
    }
    check_span(&sig.path, "sample times", &sig.time_s, MAX_WEAR_S)?;
    check_sample_rate(&sig.path, sig.stated_rate_hz, &sig.time_s)?;
    let rejected = check_start(&mut sig.start_unix_s, &mut sig.warnings, bounds);
    sig.rejected_start_unix_s = rejected;
    Ok(())
}

/// Times left out by [`keep_near_median`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Dropped {
    /// How many.
    pub count: usize,
    /// The one farthest from the median.
    pub example_s: f64,
}

impl Dropped {
    fn warning(&self, what: &str, limit_s: f64) -> Warning {
        Warning::new(
            WarningCode::ImplausibleTime,
            format!(
                "{} {what}{} with times more than {} from the rest of the recording (e.g. {:e} s) {} left out",
                self.count,
                if self.count == 1 { "" } else { "s" },
                hours(limit_s),
                self.example_s,
                if self.count == 1 { "was" } else { "were" }
            ),
        )
    }
}

/// `48 h`, `744 h`.
fn hours(s: f64) -> String {
    format!("{:.0} h", s / 3600.0)
}

/// Which times to keep: those within `limit_s` of the median finite time (a missing or
/// non-finite time is kept: the readers and preprocessing deal with those); `None` for the
/// second value when every time is kept.
pub fn keep_near_median(time_s: &[f64], limit_s: f64) -> (Vec<bool>, Option<Dropped>) {
    let mut finite: Vec<f64> = time_s.iter().copied().filter(|t| t.is_finite()).collect();
    let median = crate::stats::median(&mut finite);
    let keep: Vec<bool> = time_s
        .iter()
        .map(|&t| !t.is_finite() || median.is_some_and(|m| (t - m).abs() <= limit_s))
        .collect();
    let count = keep.iter().filter(|k| !**k).count();
    if count == 0 {
        return (keep, None);
    }
    let example_s = time_s
        .iter()
        .zip(&keep)
        .filter(|(_, k)| !**k)
        .map(|(t, _)| *t)
        .max_by(|a, b| {
            let m = median.unwrap_or(0.0);
            (a - m).abs().total_cmp(&(b - m).abs())
        })
        .unwrap_or(f64::NAN);
    (keep, Some(Dropped { count, example_s }))
}

/// Refuse times that span more than `limit_s`.
fn check_span(path: &Path, field: &str, time_s: &[f64], limit_s: f64) -> Result<(), IngestError> {
    let (lo, hi) = time_s
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &t| {
            (lo.min(t), hi.max(t))
        });
    if hi - lo > limit_s {
        return Err(IngestError::ImplausibleTime {
            path: path.to_path_buf(),
            field: field.into(),
            found: format!("they span {:.1} h", (hi - lo) / 3600.0),
            expected: format!(
                "at most {} in one recording (split the file)",
                hours(limit_s)
            ),
        });
    }
    Ok(())
}

/// The median of the positive intervals between consecutive times, s.
fn median_interval_s(time_s: &[f64]) -> Option<f64> {
    let mut dts: Vec<f64> = time_s
        .windows(2)
        .map(|w| w[1] - w[0])
        .filter(|d| *d > 0.0)
        .collect();
    crate::stats::median(&mut dts)
}

/// Refuse watch records closer together than [`MIN_RECORD_INTERVAL_S`] (median).
fn check_record_interval(path: &Path, time_s: &[f64]) -> Result<(), IngestError> {
    match median_interval_s(time_s) {
        Some(dt) if dt < MIN_RECORD_INTERVAL_S => Err(IngestError::ImplausibleTime {
            path: path.to_path_buf(),
            field: "record times".into(),
            found: format!("records {dt:e} s apart (median)"),
            expected: "a record every 1 ms or more (watches write one every 0.25-10 s); is the time column's unit right? (--map time=COLUMN:s)".into(),
        }),
        _ => Ok(()),
    }
}

/// Time steps needed before the measured rate is judged (a rate from a handful of samples is
/// not a measurement; the gait stage refuses too few samples anyway).
const MIN_INTERVALS_FOR_RATE: usize = 8;

/// Refuse a stated or measured sample rate outside [`MIN_SAMPLE_RATE_HZ`]–
/// [`MAX_SAMPLE_RATE_HZ`].
fn check_sample_rate(
    path: &Path,
    stated_hz: Option<f64>,
    time_s: &[f64],
) -> Result<(), IngestError> {
    // A relative tolerance of 1e-9 keeps a rate at a bound (1e5 Hz from µs times) inside.
    let in_range = |r: f64| {
        (MIN_SAMPLE_RATE_HZ * (1.0 - 1e-9)..=MAX_SAMPLE_RATE_HZ * (1.0 + 1e-9)).contains(&r)
    };
    let expected =
        format!("{MIN_SAMPLE_RATE_HZ}-{MAX_SAMPLE_RATE_HZ} Hz, what accelerometers record");
    let refuse = |field: &str, r: f64| IngestError::ImplausibleTime {
        path: path.to_path_buf(),
        field: field.into(),
        found: format!("{r:e} Hz"),
        expected: expected.clone(),
    };
    if let Some(r) = stated_hz.filter(|&r| !in_range(r)) {
        return Err(refuse("stated sample rate (header or --sample-rate)", r));
    }
    let intervals = time_s.windows(2).filter(|w| w[1] > w[0]).count();
    if let Some(r) = median_interval_s(time_s)
        .map(|dt| 1.0 / dt)
        .filter(|&r| intervals >= MIN_INTERVALS_FOR_RATE && !in_range(r))
    {
        return Err(refuse("sample rate of the time column", r));
    }
    Ok(())
}

/// Leave out an implausible absolute start: returns it (now rejected) after a warning.
fn check_start(
    start_unix_s: &mut Option<f64>,
    warnings: &mut Vec<Warning>,
    bounds: &TimeBounds,
) -> Option<f64> {
    let t = (*start_unix_s).filter(|t| !bounds.contains(*t))?;
    *start_unix_s = None;
    warnings.push(Warning::new(
        WarningCode::ImplausibleTime,
        format!(
            "start time: the file's clock reads {}, outside {} (a clock that was never set, \
             rolled over or jumped); the start time is left out",
            describe_instant(t),
            bounds.describe()
        ),
    ));
    Some(t)
}

/// Leave out a session's implausible elapsed or timer time (negative, not finite, or over
/// [`MAX_SESSION_S`]).
fn check_sessions(rec: &mut Recording) {
    let bad = |v: &Option<f64>| v.is_some_and(|t| !(0.0..=MAX_SESSION_S).contains(&t));
    let mut dropped = Vec::new();
    for s in &mut rec.sessions {
        for (name, v) in [
            ("total_elapsed_time", &mut s.elapsed_time_s),
            ("total_timer_time", &mut s.timer_time_s),
        ] {
            if bad(v) {
                dropped.push(format!("{name} {:e} s", v.unwrap_or(f64::NAN)));
                *v = None;
            }
        }
    }
    if !dropped.is_empty() {
        rec.warn(
            WarningCode::ImplausibleTime,
            format!(
                "session totals outside 0-{} left out: {}",
                hours(MAX_SESSION_S),
                dropped.join(", ")
            ),
        );
    }
}

/// After records were left out: times again from the first record (the start, sessions and
/// pauses moved with them).
fn rebase_recording(rec: &mut Recording) {
    let Some(&t0) = rec.series.time_s.first().filter(|t| **t != 0.0) else {
        return;
    };
    for t in &mut rec.series.time_s {
        *t -= t0;
    }
    if let Some(s) = rec.start_unix_s.as_mut() {
        *s += t0;
    }
    for s in &mut rec.sessions {
        s.start_s -= t0;
        s.end_s -= t0;
    }
    for p in &mut rec.pauses {
        p.start_s -= t0;
        p.end_s -= t0;
    }
}

/// Keep the samples `keep` marks, in every channel.
fn retain_samples(sig: &mut RawSignal, keep: &[bool]) {
    fn filt(v: &mut Vec<f64>, keep: &[bool]) {
        if v.len() != keep.len() {
            return;
        }
        let mut i = 0;
        v.retain(|_| {
            i += 1;
            keep[i - 1]
        });
    }
    filt(&mut sig.time_s, keep);
    for a in &mut sig.acc_mps2 {
        filt(a, keep);
    }
    if let Some(g) = sig.gyro_dps.as_mut() {
        for a in g {
            filt(a, keep);
        }
    }
    if let Some(v) = sig.speed_mps.as_mut() {
        filt(v, keep);
    }
}

/// After samples were left out: times again from the first sample.
fn rebase_signal(sig: &mut RawSignal) {
    let Some(&t0) = sig.time_s.first().filter(|t| **t != 0.0) else {
        return;
    };
    for t in &mut sig.time_s {
        *t -= t0;
    }
    if let Some(s) = sig.start_unix_s.as_mut() {
        *s += t0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::recording::Channel;
    use std::path::PathBuf;

    const NOW: f64 = 1_796_169_600.0; // 2026-12-02T00:00:00Z

    fn rec(times: &[f64], start: Option<f64>) -> Recording {
        let mut r = Recording::new(PathBuf::from("x.csv"), "records-csv");
        for &t in times {
            r.series.push(t, &[(Channel::CadenceSpm, 170.0)]);
        }
        r.series.finish();
        r.start_unix_s = start;
        r
    }

    #[test]
    fn a_time_far_from_the_median_is_left_out_whatever_its_position() {
        let (keep, d) = keep_near_median(&[0.0, 1.0, 2.0, 1e300, 3.0], MAX_SESSION_S);
        assert_eq!(keep, [true, true, true, false, true]);
        assert_eq!(d.unwrap().count, 1);
        assert_eq!(d.unwrap().example_s, 1e300);
        // A bad first row does not take the recording with it.
        let (keep, _) = keep_near_median(&[-1e12, 0.0, 1.0, 2.0], MAX_SESSION_S);
        assert_eq!(keep, [false, true, true, true]);
        let (keep, d) = keep_near_median(&[0.0, f64::NAN, 1.0], MAX_SESSION_S);
        assert_eq!((keep, d), (vec![true, true, true], None));
        assert!(
            keep_near_median(&[0.0, 100.0, 1e5], MAX_SESSION_S)
                .1
                .is_none()
        );
    }

    #[test]
    fn a_recording_keeps_its_plausible_records_rebased_from_the_first() {
        let mut r = rec(&[-1e9, 10.0, 11.0, 12.0], Some(NOW - 3600.0));
        check_recording(&mut r, &TimeBounds::until(NOW)).unwrap();
        assert_eq!(r.series.time_s, [0.0, 1.0, 2.0]);
        // The start moved to the first kept record, which is plausible.
        assert_eq!(r.start_unix_s, Some(NOW - 3600.0 + 10.0));
        assert_eq!(r.rejected_start_unix_s, None);
        assert_eq!(r.warnings[0].code, WarningCode::ImplausibleTime);
    }

    #[test]
    fn a_start_in_the_future_or_before_1990_is_left_out_and_kept_aside() {
        let b = TimeBounds::until(NOW);
        for bad in [NOW + 2f64.powi(31), 0.0, NOW + 86_401.0] {
            let mut r = rec(&[0.0, 1.0], Some(bad));
            check_recording(&mut r, &b).unwrap();
            assert_eq!((r.start_unix_s, r.rejected_start_unix_s), (None, Some(bad)));
            assert!(r.warnings[0].message.contains("start time"));
        }
        let mut r = rec(&[0.0, 1.0], Some(NOW + 86_000.0));
        check_recording(&mut r, &b).unwrap();
        assert_eq!(r.start_unix_s, Some(NOW + 86_000.0));
        assert!(r.warnings.is_empty());
    }

    #[test]
    fn spans_and_rates_outside_the_physical_bounds_are_refused() {
        let b = TimeBounds::until(NOW);
        // 60 h of records around a median: all within 48 h of it, but spanning 60 h.
        let mut r = rec(&[0.0, 30.0 * 3600.0, 60.0 * 3600.0], None);
        let e = check_recording(&mut r, &b).unwrap_err().to_string();
        assert!(e.contains("span 60.0 h") && e.contains("48 h"), "{e}");
        let mut r = rec(&[0.0, 1e-300, 2e-300, 3e-300], None);
        let e = check_recording(&mut r, &b).unwrap_err().to_string();
        assert!(e.contains("record times"), "{e}");
        let mut r = rec(&[0.0, 47.0 * 3600.0], None);
        assert!(check_recording(&mut r, &b).is_ok());
        assert!(check_sample_rate(Path::new("x"), Some(0.5), &[]).is_err());
        assert!(check_sample_rate(Path::new("x"), Some(2e5), &[]).is_err());
        let micro: Vec<f64> = (0..10).map(|i| i as f64 * 1e-6).collect();
        assert!(check_sample_rate(Path::new("x"), None, &micro).is_err());
        assert!(check_sample_rate(Path::new("x"), None, &micro[..3]).is_ok());
        let ten_us: Vec<f64> = (0..10).map(|i| i as f64 * 1e-5).collect();
        assert!(check_sample_rate(Path::new("x"), Some(1e5), &ten_us).is_ok());
        assert!(check_sample_rate(Path::new("x"), Some(100.0), &[0.0, 0.01, 0.02]).is_ok());
    }

    #[test]
    fn session_totals_over_48_hours_are_left_out() {
        let mut r = rec(&[0.0, 1.0], None);
        r.sessions.push(crate::recording::SessionInfo {
            sport: "running".into(),
            sub_sport: None,
            start_s: 0.0,
            end_s: 1.0,
            timer_time_s: Some(1e12),
            elapsed_time_s: Some(1.0),
            distance_m: None,
            device_averages: Default::default(),
        });
        check_recording(&mut r, &TimeBounds::until(NOW)).unwrap();
        assert_eq!(r.sessions[0].timer_time_s, None);
        assert_eq!(r.sessions[0].elapsed_time_s, Some(1.0));
        assert!(r.warnings[0].message.contains("total_timer_time"));
    }
}
