//! Training logs: one row per session, no per-second data. Years of history for a block's
//! load, weekly change and spikes even when the per-second files are gone.
//!
//! Three shapes, told apart by their header:
//! * **Plain log** (documented in the README): `date,distance_km,duration_min[,rpe][,type]
//!   [,notes]`, a date `YYYY-MM-DD` (optionally with a local time `HH:MM[:SS]`), distance in
//!   km, duration in minutes, RPE on Borg's CR-10 scale (0–10, the scale of Foster's session
//!   RPE), type `run` when absent.
//! * **Strava `activities.csv`** (from a bulk export, English or German names): `Activity
//!   Date` in UTC (`Oct 7, 2020, 2:43:11 PM`; German `20.09.2026, 14:12:12`), `Activity
//!   Type`, `Moving Time` (else the first `Elapsed Time`), s; `Distance` — the second
//!   `Distance` column is in metres, the first in the account's display unit (read as km, with
//!   a note, when it is the only one); `Perceived Exertion` (1–10) as the RPE; `Filename`
//!   (empty for a manual entry).
//! * **Garmin Connect activity list** (the web page's CSV, English or German):
//!   `Activity Type,Date,Favorite,Title,Distance,Calories,Time,…` (`Aktivitätstyp`, `Datum`,
//!   `Titel`, `Distanz`, `Zeit`); `Date` local `YYYY-MM-DD HH:MM:SS`, `Distance` km (decimal
//!   comma in German exports), `Time` `HH:MM:SS[.s]`.
//!
//! A row that cannot be read is listed with its line and the reason; the others go on.

use super::IngestError;
use chrono::{NaiveDate, NaiveDateTime};
use std::path::Path;

/// The shape of a log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    /// `date,distance_km,duration_min,…`.
    Plain,
    /// Strava bulk export `activities.csv`.
    StravaActivities,
    /// Garmin Connect activity list CSV.
    GarminActivities,
}

impl LogFormat {
    /// The format name (`format` of the session documents).
    pub fn name(self) -> &'static str {
        match self {
            LogFormat::Plain => "training-log",
            LogFormat::StravaActivities => "strava-activities",
            LogFormat::GarminActivities => "garmin-activities",
        }
    }
}

/// One logged session.
#[derive(Debug, Clone, PartialEq)]
pub struct LogEntry {
    /// 1-based line of the row.
    pub line: u64,
    /// Local date of the session.
    pub date: NaiveDate,
    /// Start, Unix s, when the row gives a time: UTC for Strava, local (read as UTC, so
    /// `utc` is false) otherwise.
    pub start_s: Option<f64>,
    /// Whether `start_s` is true UTC.
    pub utc: bool,
    /// Distance, m.
    pub distance_m: Option<f64>,
    /// Duration (moving time where the log has it), s.
    pub duration_s: Option<f64>,
    /// Session RPE, CR-10.
    pub rpe: Option<f64>,
    /// Activity type as written (`Run`, `Ride`, `Running`, `Laufen`).
    pub kind: String,
    /// Name or notes.
    pub name: String,
    /// Strava: the activity's file (`activities/123.fit.gz`), `None` for a manual entry.
    pub file: Option<String>,
}

impl LogEntry {
    /// Whether the type is running (any language the logs are written in).
    pub fn is_run(&self) -> bool {
        let k = self.kind.to_lowercase();
        k.contains("run") || k.contains("lauf") || k.contains("jog")
    }
}

/// A log: its shape, sessions, rows that could not be read and notes on assumptions.
#[derive(Debug, Clone)]
pub struct Log {
    /// Shape.
    pub format: LogFormat,
    /// Sessions, in file order.
    pub entries: Vec<LogEntry>,
    /// Rows not read: (line, reason).
    pub problems: Vec<(u64, String)>,
    /// Assumptions made (units).
    pub notes: Vec<String>,
}

/// Column names of each shape, lower case: (plain date, distance, duration), Strava, Garmin.
fn header_cells(head: &str) -> Vec<String> {
    let first = head
        .trim_start_matches('\u{feff}')
        .lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("");
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(first.as_bytes());
    r.records()
        .next()
        .and_then(Result::ok)
        .map(|rec| rec.iter().map(|c| c.trim().to_lowercase()).collect())
        .unwrap_or_default()
}

/// The log shape of a text's head, if it is a log.
pub fn log_format(head: &str) -> Option<LogFormat> {
    let cells = header_cells(head);
    let has = |n: &str| cells.iter().any(|c| c == n);
    if has("date") && (has("distance_km") || has("duration_min")) {
        Some(LogFormat::Plain)
    } else if (has("activity type") || has("aktivitätsart"))
        && (has("activity date") || has("aktivitätsdatum"))
    {
        Some(LogFormat::StravaActivities)
    } else if (has("activity type") || has("aktivitätstyp")) && (has("date") || has("datum")) {
        Some(LogFormat::GarminActivities)
    } else {
        None
    }
}

/// Whether `path` is a regular file whose first 4 KiB are a log's header.
pub fn file_is_log(path: &Path) -> bool {
    use std::io::Read as _;
    let Ok(f) = std::fs::File::open(path) else {
        return false;
    };
    let mut head = Vec::with_capacity(4096);
    if f.take(4096).read_to_end(&mut head).is_err() {
        return false;
    }
    log_format(&String::from_utf8_lossy(&head)).is_some()
}

/// Read a log (`path` for messages).
///
/// # Errors
/// [`IngestError::UnknownFormat`] when the header is no log's; [`IngestError::Csv`] for an
/// unreadable header.
pub fn read_log(path: &Path, text: &str) -> Result<Log, IngestError> {
    let text = text.trim_start_matches('\u{feff}');
    let format = log_format(text).ok_or_else(|| IngestError::UnknownFormat {
        path: path.to_path_buf(),
        reason: "not a training log (expected a header date,distance_km,duration_min, Strava's activities.csv or Garmin Connect's activity list)".into(),
    })?;
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = rdr
        .headers()
        .map_err(|e| IngestError::Csv {
            path: path.to_path_buf(),
            line: 1,
            column: None,
            reason: format!("unreadable header: {e}"),
        })?
        .iter()
        .map(|h| h.trim().to_lowercase())
        .collect();
    let cols = Columns::of(format, &headers);
    let mut log = Log {
        format,
        entries: Vec::new(),
        problems: Vec::new(),
        notes: cols.notes.clone(),
    };
    for rec in rdr.records() {
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                log.problems.push((line, format!("unreadable row: {e}")));
                continue;
            }
        };
        let line = rec.position().map_or(0, |p| p.line());
        match cols.entry(&rec, line) {
            Ok(Some(e)) => log.entries.push(e),
            Ok(None) => {}
            Err(reason) => log.problems.push((line, reason)),
        }
    }
    Ok(log)
}

/// Where each field is, by shape.
#[derive(Debug, Clone, Default)]
struct Columns {
    format: Option<LogFormat>,
    date: Option<usize>,
    distance: Option<usize>,
    distance_metres: bool,
    duration: Option<usize>,
    duration_minutes: bool,
    rpe: Option<usize>,
    kind: Option<usize>,
    name: Option<usize>,
    file: Option<usize>,
    notes: Vec<String>,
}

impl Columns {
    fn of(format: LogFormat, headers: &[String]) -> Columns {
        let find = |names: &[&str]| headers.iter().position(|h| names.contains(&h.as_str()));
        let all = |names: &[&str]| -> Vec<usize> {
            (0..headers.len())
                .filter(|&i| names.contains(&headers[i].as_str()))
                .collect()
        };
        let mut c = Columns {
            format: Some(format),
            ..Columns::default()
        };
        match format {
            LogFormat::Plain => {
                c.date = find(&["date"]);
                c.distance = find(&["distance_km"]);
                c.duration = find(&["duration_min"]);
                c.duration_minutes = true;
                c.rpe = find(&["rpe"]);
                c.kind = find(&["type"]);
                c.name = find(&["notes"]);
            }
            LogFormat::StravaActivities => {
                c.date = find(&["activity date", "aktivitätsdatum"]);
                let dist = all(&["distance", "distanz"]);
                c.distance = dist.get(1).or(dist.first()).copied();
                c.distance_metres = dist.len() > 1;
                if dist.len() == 1 {
                    c.notes.push(
                        "Strava's only Distance column is in the account's display unit: read as km (miles if the account uses miles)".into(),
                    );
                }
                c.duration = find(&["moving time", "bewegungszeit"])
                    .or_else(|| find(&["elapsed time", "verstrichene zeit"]));
                c.rpe = find(&["perceived exertion", "wahrgenommene anstrengung"]);
                c.kind = find(&["activity type", "aktivitätsart"]);
                c.name = find(&["activity name", "aktivitätsname"]);
                c.file = find(&["filename", "dateiname"]);
            }
            LogFormat::GarminActivities => {
                c.date = find(&["date", "datum"]);
                c.distance = find(&["distance", "distanz"]);
                c.duration = find(&["time", "zeit"]);
                c.kind = find(&["activity type", "aktivitätstyp"]);
                c.name = find(&["title", "titel"]);
            }
        }
        c
    }

    /// One row as a session (`Ok(None)` for an empty row).
    fn entry(&self, rec: &csv::StringRecord, line: u64) -> Result<Option<LogEntry>, String> {
        let get = |c: Option<usize>| c.and_then(|c| rec.get(c)).unwrap_or("").trim();
        if rec.iter().all(|c| c.trim().is_empty()) {
            return Ok(None);
        }
        let date_text = get(self.date);
        let (date, start_s, utc) = self
            .date_time(date_text)
            .ok_or_else(|| format!("date '{date_text}' is not a date this log writes"))?;
        let distance_m = number(get(self.distance))
            .map(|d| if self.distance_metres { d } else { d * 1000.0 })
            .filter(|d| *d >= 0.0);
        let duration_s = self.duration_s(get(self.duration));
        let rpe = number(get(self.rpe)).filter(|r| (0.0..=10.0).contains(r));
        let kind = match get(self.kind) {
            "" => "run".to_string(),
            k => k.to_string(),
        };
        if distance_m.is_none() && duration_s.is_none() {
            return Err("neither a distance nor a duration".into());
        }
        let _ = line;
        Ok(Some(LogEntry {
            line,
            date,
            start_s,
            utc,
            distance_m,
            duration_s,
            rpe,
            kind,
            name: get(self.name).to_string(),
            file: self
                .file
                .map(|_| get(self.file).to_string())
                .filter(|f| !f.is_empty()),
        }))
    }

    /// The row's local date, start (Unix s) and whether the start is UTC.
    fn date_time(&self, t: &str) -> Option<(NaiveDate, Option<f64>, bool)> {
        let as_unix = |d: NaiveDateTime| d.and_utc().timestamp() as f64;
        match self.format? {
            LogFormat::StravaActivities => {
                let d = [
                    "%b %d, %Y, %I:%M:%S %p",
                    "%d.%m.%Y, %H:%M:%S",
                    "%Y-%m-%d %H:%M:%S",
                ]
                .iter()
                .find_map(|f| NaiveDateTime::parse_from_str(t, f).ok())?;
                // UTC: the local date follows from the block's offset, set from the start.
                Some((d.date(), Some(as_unix(d)), true))
            }
            _ => {
                if let Some(d) = crate::time::parse_iso_date(t) {
                    return Some((d, None, false));
                }
                let d = ["%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"]
                    .iter()
                    .find_map(|f| NaiveDateTime::parse_from_str(t, f).ok())?;
                Some((d.date(), Some(as_unix(d)), false))
            }
        }
    }

    /// A duration cell: minutes (plain log), seconds (Strava), `HH:MM:SS[.s]` (Garmin).
    fn duration_s(&self, t: &str) -> Option<f64> {
        if t.contains(':') {
            let mut s = 0.0;
            for part in t.split(':') {
                s = s * 60.0 + number(part)?;
            }
            return Some(s).filter(|s| *s > 0.0);
        }
        let v = number(t)?;
        Some(if self.duration_minutes { v * 60.0 } else { v }).filter(|s| *s > 0.0)
    }
}

/// A number, with a decimal comma or point and thousands separators tolerated (`10,02`,
/// `1,234.5`).
fn number(t: &str) -> Option<f64> {
    let t = t.trim().trim_matches('"');
    if t.is_empty() || t == "--" {
        return None;
    }
    let cleaned = if t.contains(',') && t.contains('.') {
        t.replace(',', "")
    } else {
        t.replace(',', ".")
    };
    cleaned.parse::<f64>().ok().filter(|v| v.is_finite())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn a_plain_log_reads_minutes_km_and_rpe() {
        let text = "date,distance_km,duration_min,rpe,type,notes\n2026-11-02,10.5,52,6,run,tempo\n2026-11-03,,45,,ride,\n2026-11-04 07:30,8,,3,,easy\nnot-a-date,5,30,,,\n2026-11-05,,,,,\n";
        let log = read_log(Path::new("log.csv"), text).unwrap();
        assert_eq!(log.format, LogFormat::Plain);
        assert_eq!(log.entries.len(), 3);
        let e = &log.entries[0];
        assert_eq!(
            (e.date, e.distance_m, e.duration_s, e.rpe),
            (d("2026-11-02"), Some(10_500.0), Some(3120.0), Some(6.0))
        );
        assert!(e.is_run() && !log.entries[1].is_run());
        assert_eq!(log.entries[2].kind, "run");
        assert_eq!(log.entries[2].start_s, Some(1_793_777_400.0));
        assert_eq!(log.problems.len(), 2);
        assert_eq!(log.problems[0].0, 5);
        assert!(log.problems[1].1.contains("neither"));
    }

    #[test]
    fn strava_activities_use_metres_moving_time_and_utc_dates() {
        let text = "Activity ID,Activity Date,Activity Name,Activity Type,Elapsed Time,Distance,Perceived Exertion,Filename,Moving Time,Distance\n1,\"Oct 7, 2020, 2:43:11 PM\",Lunch Run,Run,2000,\"5,20\",7,activities/1.fit.gz,1900,5200.0\n2,\"Oct 8, 2020, 6:00:00 AM\",Treadmill,Run,1800,4.0,,,1800,4000\n";
        let log = read_log(Path::new("activities.csv"), text).unwrap();
        assert_eq!(log.format, LogFormat::StravaActivities);
        let e = &log.entries[0];
        assert_eq!(e.distance_m, Some(5200.0));
        assert_eq!(e.duration_s, Some(1900.0));
        assert_eq!(e.rpe, Some(7.0));
        assert!(e.utc);
        assert_eq!(
            crate::time::rfc3339(e.start_s.unwrap()).unwrap(),
            "2020-10-07T14:43:11Z"
        );
        assert_eq!(e.file.as_deref(), Some("activities/1.fit.gz"));
        assert_eq!(log.entries[1].file, None);
        // German.
        let de = "Aktivitäts-ID,Aktivitätsdatum,Aktivitätsname,Aktivitätsart,Distanz\n1,\"20.09.2026, 14:12:12\",Lauf,Lauf,\"10,5\"\n";
        let log = read_log(Path::new("a.csv"), de).unwrap();
        assert_eq!(log.entries[0].distance_m, Some(10_500.0));
        assert!(log.entries[0].is_run());
        assert_eq!(log.notes.len(), 1);
    }

    #[test]
    fn garmin_activity_lists_in_english_and_german() {
        let en = "Activity Type,Date,Favorite,Title,Distance,Calories,Time,Avg HR\nRunning,2026-11-28 07:31:12,false,Morning Run,10.02,700,00:52:10,150\nCycling,2026-11-27 17:00:00,false,Ride,30.0,800,01:05:00.5,130\n";
        let log = read_log(Path::new("Activities.csv"), en).unwrap();
        assert_eq!(log.format, LogFormat::GarminActivities);
        assert_eq!(log.entries[0].distance_m, Some(10_020.0));
        assert_eq!(log.entries[0].duration_s, Some(3130.0));
        assert_eq!(log.entries[1].duration_s, Some(3900.5));
        let de = "Aktivitätstyp,Datum,Favorit,Titel,Distanz,Kalorien,Zeit\nLaufen,2026-11-28 07:31:12,false,Lauf,\"10,02\",700,00:52:10\n";
        let log = read_log(Path::new("a.csv"), de).unwrap();
        assert_eq!(log.entries[0].distance_m, Some(10_020.0));
        assert!(log.entries[0].is_run());
    }

    #[test]
    fn numbers_with_commas() {
        assert_eq!(number("10,02"), Some(10.02));
        assert_eq!(number("1,234.5"), Some(1234.5));
        assert_eq!(number("--"), None);
        assert!(log_format("time,cadence\n").is_none());
    }
}
