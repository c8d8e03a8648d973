//! Garmin Training Center XML (TCX, `TrainingCenterDatabase` v2): what Garmin Connect,
//! Suunto Movescount, Polar Flow and many phone apps export.
//!
//! Read: each `Activity` (its `Sport` attribute), its `Lap`s (`StartTime`,
//! `TotalTimeSeconds`, `DistanceMeters`, `AverageHeartRateBpm`, core `Cadence`, and the
//! ActivityExtension v2 `LX` averages `AvgSpeed`, `AvgRunCadence`, `AvgWatts`) and their
//! `Trackpoint`s (`Time`, `Position`, `AltitudeMeters`, `DistanceMeters`, `HeartRateBpm`,
//! core `Cadence`, and the `TPX` extension's `Speed`, `RunCadence`, `Watts`, whose
//! `CadenceSensor="Footpod"` names a footpod). Elements are matched by local name, so the
//! extension reads the same under `ns3:`, any other prefix, or a default namespace.
//!
//! * Time stamps are ISO 8601 with `Z` or an offset ([`crate::time::parse_datetime`]); an
//!   offset on the first point is the file's local UTC offset.
//! * The laps become the device's own averages of the session (as FIT `session` messages
//!   do): distance and timer time are the laps' sums, heart rate, cadence, speed and power
//!   their means weighted by lap time.
//! * Cadence units are not taken from the tag name (`RunCadence` is usually strides/min, but
//!   apps differ): the records' values decide, by the same rule as every other format
//!   ([`super::normalize`]), and the laps' averages follow the records' unit.
//! * Without `Speed`, speed is derived from `DistanceMeters`, else from the positions
//!   ([`super::track`]), and a warning says so.
//! * A file with several activities: the one asked for, else the first running one, with a
//!   warning naming the others (`gaitguard block` reads each).

use super::normalize;
use super::track;
use super::xml::{self, XmlEvent, attr};
use crate::error::IngestError;
use crate::recording::{Channel, DeviceAverages, Recording, SessionInfo};
use crate::vocab::WarningCode;
use std::path::Path;

/// One trackpoint, in the file's units (cadence as written).
#[derive(Debug, Clone, Copy)]
struct Point {
    unix_s: f64,
    lat: f64,
    lon: f64,
    alt_m: f64,
    dist_m: f64,
    hr_bpm: f64,
    cadence: f64,
    run_cadence: f64,
    speed_mps: f64,
    power_w: f64,
}

impl Default for Point {
    fn default() -> Self {
        Point {
            unix_s: f64::NAN,
            lat: f64::NAN,
            lon: f64::NAN,
            alt_m: f64::NAN,
            dist_m: f64::NAN,
            hr_bpm: f64::NAN,
            cadence: f64::NAN,
            run_cadence: f64::NAN,
            speed_mps: f64::NAN,
            power_w: f64::NAN,
        }
    }
}

/// One lap's own figures.
#[derive(Debug, Clone, Copy, Default)]
struct Lap {
    start_unix_s: Option<f64>,
    total_time_s: Option<f64>,
    distance_m: Option<f64>,
    avg_hr_bpm: Option<f64>,
    cadence: Option<f64>,
    avg_run_cadence: Option<f64>,
    avg_speed_mps: Option<f64>,
    avg_power_w: Option<f64>,
}

/// One activity as the file holds it.
#[derive(Debug, Clone, Default)]
struct Activity {
    sport: String,
    laps: Vec<Lap>,
    points: Vec<Point>,
    creator: Option<String>,
    footpod: bool,
    utc_offset_s: Option<i64>,
    zone_less: usize,
    no_time: usize,
}

/// Which activity of a multi-activity file to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Pick {
    /// The first running activity, else the first (with a warning when there are several).
    #[default]
    FirstRun,
    /// The activity at this index (0-based).
    Index(usize),
}

/// Number of activities in a TCX document, counted without parsing it (`<Activity ` or
/// `<Activity>` start tags under any prefix); for `block`, which reads each.
pub fn count_activities(text: &str) -> usize {
    let b = text.as_bytes();
    let mut n = 0;
    let mut from = 0;
    while let Some(i) = find(&b[from..], b"Activity") {
        let at = from + i;
        let before = at.checked_sub(1).map(|k| b[k]);
        let after = b.get(at + 8).copied();
        let opens = matches!(before, Some(b'<') | Some(b':'))
            && matches!(
                after,
                Some(b' ') | Some(b'>') | Some(b'\t') | Some(b'\n') | Some(b'\r')
            );
        let is_start = opens && {
            // `<Activity` or `<prefix:Activity`, not `</Activity`.
            let lt = b[..at].iter().rposition(|&c| c == b'<');
            lt.is_some_and(|k| b.get(k + 1) != Some(&b'/') && !b[k + 1..at].contains(&b' '))
        };
        if is_start {
            n += 1;
        }
        from = at + 8;
    }
    n
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// Read a TCX document into a [`Recording`] of one activity ([`Pick`]).
///
/// # Errors
/// [`IngestError::Xml`] with the line for malformed XML or a value that is not a number;
/// [`IngestError::NoData`] when the file holds no activity, the activity asked for does not
/// exist, or it has no timed trackpoint.
pub fn read_tcx(path: &Path, text: &str, pick: Pick) -> Result<Recording, IngestError> {
    let activities = parse(path, text)?;
    let no_data = |reason: String| IngestError::NoData {
        path: path.to_path_buf(),
        reason,
    };
    if activities.is_empty() {
        return Err(no_data(
            "the TCX file holds no activity (a course or a workout plan is not a recording)".into(),
        ));
    }
    let index = match pick {
        Pick::Index(i) if i < activities.len() => i,
        Pick::Index(i) => {
            return Err(no_data(format!(
                "the TCX file holds {} activities; there is no activity {}",
                activities.len(),
                i + 1
            )));
        }
        Pick::FirstRun => activities
            .iter()
            .position(|a| a.sport == "Running")
            .unwrap_or(0),
    };
    let mut rec = build(path, &activities[index])?;
    if activities.len() > 1 && pick == Pick::FirstRun {
        rec.warn(WarningCode::MultipleActivities, several(&activities, index));
    }
    Ok(rec)
}

/// The warning for a file with several activities.
fn several(activities: &[Activity], index: usize) -> String {
    let list: Vec<String> = activities
        .iter()
        .enumerate()
        .map(|(i, a)| {
            let start = a
                .points
                .first()
                .and_then(|p| crate::time::rfc3339(p.unix_s))
                .unwrap_or_else(|| "no time".into());
            format!("{} {} ({start})", i + 1, a.sport)
        })
        .collect();
    format!(
        "the file holds {} activities ({}); activity {} was analysed; `gaitguard block` reads each",
        activities.len(),
        list.join(", "),
        index + 1
    )
}

/// What the scanner is inside.
#[derive(Default)]
struct State {
    activities: Vec<Activity>,
    in_activity: bool,
    in_lap: bool,
    in_point: bool,
    lap: Lap,
    point: Point,
    /// Local names of the open elements below the activity.
    stack: Vec<Vec<u8>>,
}

impl State {
    fn parent(&self) -> &[u8] {
        self.stack
            .len()
            .checked_sub(2)
            .map(|i| self.stack[i].as_slice())
            .unwrap_or(b"")
    }

    fn inside(&self, name: &[u8]) -> bool {
        self.stack.iter().any(|n| n == name)
    }

    fn open(&mut self, name: &[u8], tag: &quick_xml::events::BytesStart<'_>) {
        self.stack.push(name.to_vec());
        match name {
            b"Activity" if self.inside(b"Activities") => {
                self.in_activity = true;
                self.activities.push(Activity {
                    sport: attr(tag, b"Sport").unwrap_or_else(|| "Other".into()),
                    ..Activity::default()
                });
            }
            b"Lap" if self.in_activity => {
                self.in_lap = true;
                self.lap = Lap {
                    start_unix_s: attr(tag, b"StartTime")
                        .and_then(|t| crate::time::parse_datetime(&t))
                        .map(|p| p.unix_s),
                    ..Lap::default()
                };
            }
            b"Trackpoint" if self.in_lap => {
                self.in_point = true;
                self.point = Point::default();
            }
            b"TPX"
                if self.in_point
                    && attr(tag, b"CadenceSensor")
                        .is_some_and(|s| s.eq_ignore_ascii_case("footpod")) =>
            {
                if let Some(a) = self.activities.last_mut() {
                    a.footpod = true;
                }
            }
            _ => {}
        }
    }

    fn close(&mut self, name: &[u8], text: &str) -> Result<(), String> {
        let num = || xml::number(name, text);
        if self.in_point {
            self.point_field(name, text, num)?;
        } else if self.in_lap {
            self.lap_field(name, num)?;
        } else if self.in_activity && name == b"Name" && self.parent() == b"Creator" {
            if let Some(a) = self.activities.last_mut() {
                a.creator = Some(text.to_string()).filter(|s| !s.is_empty());
            }
        }
        match name {
            b"Trackpoint" if self.in_point => {
                self.in_point = false;
                if let Some(a) = self.activities.last_mut() {
                    if self.point.unix_s.is_finite() {
                        a.points.push(self.point);
                    } else {
                        a.no_time += 1;
                    }
                }
            }
            b"Lap" if self.in_lap => {
                self.in_lap = false;
                if let Some(a) = self.activities.last_mut() {
                    a.laps.push(self.lap);
                }
            }
            b"Activity" if self.in_activity => self.in_activity = false,
            _ => {}
        }
        self.stack.pop();
        Ok(())
    }

    fn point_field(
        &mut self,
        name: &[u8],
        text: &str,
        num: impl Fn() -> Result<f64, String>,
    ) -> Result<(), String> {
        let parent = self.parent().to_vec();
        let p = &mut self.point;
        match name {
            b"Time" => {
                let t = crate::time::parse_datetime(text).ok_or_else(|| {
                    format!("<Time>: expected an ISO 8601 date-time, found '{text}'")
                })?;
                p.unix_s = t.unix_s;
                if let Some(a) = self.activities.last_mut() {
                    if !t.has_zone {
                        a.zone_less += 1;
                    }
                    if a.points.is_empty() && a.utc_offset_s.is_none() {
                        a.utc_offset_s = written_offset_s(text);
                    }
                }
            }
            b"LatitudeDegrees" => p.lat = num()?,
            b"LongitudeDegrees" => p.lon = num()?,
            b"AltitudeMeters" => p.alt_m = num()?,
            b"DistanceMeters" => p.dist_m = num()?,
            b"Value" if parent == b"HeartRateBpm" => p.hr_bpm = num()?,
            b"Cadence" if parent == b"Trackpoint" => p.cadence = num()?,
            b"RunCadence" => p.run_cadence = num()?,
            b"Speed" => p.speed_mps = num()?,
            b"Watts" => p.power_w = num()?,
            _ => {}
        }
        Ok(())
    }

    fn lap_field(
        &mut self,
        name: &[u8],
        num: impl Fn() -> Result<f64, String>,
    ) -> Result<(), String> {
        let parent = self.parent().to_vec();
        let l = &mut self.lap;
        match name {
            b"TotalTimeSeconds" if parent == b"Lap" => l.total_time_s = Some(num()?),
            b"DistanceMeters" if parent == b"Lap" => l.distance_m = Some(num()?),
            b"Value" if parent == b"AverageHeartRateBpm" => l.avg_hr_bpm = Some(num()?),
            b"Cadence" if parent == b"Lap" => l.cadence = Some(num()?),
            b"AvgRunCadence" => l.avg_run_cadence = Some(num()?),
            b"AvgSpeed" => l.avg_speed_mps = Some(num()?),
            b"AvgWatts" => l.avg_power_w = Some(num()?),
            _ => {}
        }
        Ok(())
    }
}

/// The UTC offset written at the end of a date-time (`+01:00`, `-0500`), s; `None` for `Z`
/// or no zone.
pub fn written_offset_s(text: &str) -> Option<i64> {
    let t = text.trim();
    let clock = t.get(10..)?;
    let i = clock.rfind(['+', '-'])?;
    crate::time::parse_utc_offset(&clock[i..])
}

/// Every activity of the document.
fn parse(path: &Path, text: &str) -> Result<Vec<Activity>, IngestError> {
    let mut st = State::default();
    xml::scan(path, text, |ev| match ev {
        XmlEvent::Open { name, tag } => {
            st.open(name, tag);
            Ok(())
        }
        XmlEvent::Close { name, text } => st.close(name, text),
    })?;
    Ok(st.activities)
}

/// The recording of one activity: records → device → session from the laps → warnings.
fn build(path: &Path, a: &Activity) -> Result<Recording, IngestError> {
    let mut rec = Recording::new(path.to_path_buf(), "tcx");
    let t0 = a
        .points
        .first()
        .map(|p| p.unix_s)
        .ok_or_else(|| IngestError::NoData {
            path: path.to_path_buf(),
            reason: format!(
                "the {} activity has no trackpoint with a time (nothing to analyse)",
                a.sport
            ),
        })?;
    let backwards = push_points(&mut rec, &a.points, t0);
    rec.start_unix_s = Some(t0);
    rec.utc_offset_s = a.utc_offset_s;
    rec.device = a.creator.clone();
    if a.footpod {
        rec.sensors.push("footpod".into());
    }
    let derived = track::fill_speed(&mut rec);
    let session = session(a, t0, &rec);
    rec.sessions.push(session);
    warn_reading(&mut rec, a, backwards, derived);
    Ok(rec)
}

/// Append the points in time order (a point stamped before its predecessor is skipped;
/// returned: how many), times relative to `t0`, cadence `RunCadence` else core `Cadence`.
fn push_points(rec: &mut Recording, points: &[Point], t0: f64) -> usize {
    let mut last = f64::NEG_INFINITY;
    let mut backwards = 0;
    let mut vals: Vec<(Channel, f64)> = Vec::with_capacity(10);
    for p in points {
        if p.unix_s < last {
            backwards += 1;
            continue;
        }
        last = p.unix_s;
        vals.clear();
        let cadence = if p.run_cadence.is_finite() {
            p.run_cadence
        } else {
            p.cadence
        };
        for (ch, v) in [
            (Channel::LatitudeDeg, p.lat),
            (Channel::LongitudeDeg, p.lon),
            (Channel::AltitudeM, p.alt_m),
            (Channel::DistanceM, p.dist_m),
            (Channel::HeartRateBpm, p.hr_bpm),
            (Channel::CadenceSpm, cadence),
            (Channel::SpeedMps, p.speed_mps),
            (Channel::PowerW, p.power_w),
        ] {
            if v.is_finite() {
                vals.push((ch, v));
            }
        }
        rec.series.push(p.unix_s - t0, &vals);
    }
    rec.series.finish();
    backwards
}

/// gaitguard's sport name of a TCX `Sport` (`Running`, `Biking`, `Other`).
fn sport_name(sport: &str) -> String {
    match sport {
        "Running" => "running".into(),
        "Biking" => "cycling".into(),
        "Other" => "generic".into(),
        other => other.to_ascii_lowercase(),
    }
}

/// The session of the activity with the laps' figures as the device's own averages; the lap
/// cadence in the records' unit ([`normalize::cadence_unit`]) or, without cadence records,
/// by the same rule on the laps' own mean.
fn session(a: &Activity, t0: f64, rec: &Recording) -> SessionInfo {
    let end_of_data = rec.series.time_s.last().copied().unwrap_or(0.0);
    let laps = &a.laps;
    let sum = |f: fn(&Lap) -> Option<f64>| -> Option<f64> {
        let v: Vec<f64> = laps.iter().filter_map(f).collect();
        (!v.is_empty()).then(|| v.iter().sum())
    };
    let timer = sum(|l| l.total_time_s);
    let distance = sum(|l| l.distance_m);
    let weighted = |f: fn(&Lap) -> Option<f64>| -> Option<f64> {
        let (mut num, mut den) = (0.0, 0.0);
        for l in laps {
            if let (Some(v), Some(w)) = (f(l), l.total_time_s.filter(|w| *w > 0.0)) {
                num += v * w;
                den += w;
            }
        }
        (den > 0.0).then(|| num / den)
    };
    let lap_cadence = weighted(|l| l.avg_run_cadence.or(l.cadence).filter(|c| *c > 0.0));
    let foot = a.sport != "Biking";
    let factor = normalize::cadence_unit(rec)
        .map(|u| u.factor)
        .or_else(|| lap_cadence.map(|c| normalize::unit_factor(c, None)))
        .unwrap_or(1.0);
    let first_lap = laps.iter().filter_map(|l| l.start_unix_s).reduce(f64::min);
    let last_end = laps
        .iter()
        .filter_map(|l| Some(l.start_unix_s? + l.total_time_s?))
        .reduce(f64::max);
    SessionInfo {
        sport: sport_name(&a.sport),
        sub_sport: None,
        start_s: first_lap.map_or(0.0, |s| (s - t0).min(0.0)),
        end_s: last_end.map_or(end_of_data, |e| (e - t0).max(end_of_data)),
        timer_time_s: timer,
        elapsed_time_s: first_lap.zip(last_end).map(|(s, e)| e - s),
        distance_m: distance,
        device_averages: DeviceAverages {
            cadence_spm: lap_cadence.filter(|_| foot).map(|c| c * factor),
            speed_mps: weighted(|l| l.avg_speed_mps)
                .or_else(|| Some(distance? / timer.filter(|t| *t > 0.0)?)),
            heart_rate_bpm: weighted(|l| l.avg_hr_bpm),
            power_w: weighted(|l| l.avg_power_w),
            ..DeviceAverages::default()
        },
    }
}

/// Warnings: sport, points skipped, zone-less times, derived speed.
fn warn_reading(rec: &mut Recording, a: &Activity, backwards: usize, derived: track::DerivedSpeed) {
    if a.sport != "Running" {
        rec.warn(
            WarningCode::SportDeclared,
            format!(
                "the file's sport is \"{}\", not Running{}",
                a.sport,
                if a.sport == "Other" {
                    ": analysed as running or walking from its cadence and speed"
                } else {
                    ""
                }
            ),
        );
    }
    if backwards > 0 {
        rec.warn(
            WarningCode::TimeBackwards,
            format!("{backwards} trackpoints were stamped before the trackpoint before them and were skipped"),
        );
    }
    track::warn_points(rec, (a.no_time, a.zone_less), "<Time>", derived);
}

#[cfg(test)]
mod tests {
    use super::*;

    const TWO: &str = r#"<?xml version="1.0"?>
<TrainingCenterDatabase xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2" xmlns:x="http://www.garmin.com/xmlschemas/ActivityExtension/v2">
 <Activities>
  <Activity Sport="Biking"><Id>2024-05-01T06:00:00Z</Id>
   <Lap StartTime="2024-05-01T06:00:00Z"><TotalTimeSeconds>2</TotalTimeSeconds><Track>
    <Trackpoint><Time>2024-05-01T06:00:00Z</Time><Cadence>90</Cadence></Trackpoint>
    <Trackpoint><Time>2024-05-01T06:00:01Z</Time><Cadence>91</Cadence></Trackpoint>
   </Track></Lap>
  </Activity>
  <Activity Sport="Running"><Id>2024-05-02T08:00:00+02:00</Id>
   <Lap StartTime="2024-05-02T08:00:00+02:00"><TotalTimeSeconds>10</TotalTimeSeconds><DistanceMeters>30</DistanceMeters>
    <AverageHeartRateBpm><Value>150</Value></AverageHeartRateBpm><Track>
    <Trackpoint><Time>2024-05-02T08:00:00+02:00</Time><HeartRateBpm><Value>140</Value></HeartRateBpm>
     <Extensions><x:TPX CadenceSensor="Footpod"><x:Speed>3.0</x:Speed><x:RunCadence>85</x:RunCadence></x:TPX></Extensions></Trackpoint>
    <Trackpoint><Time>2024-05-02T08:00:05+02:00</Time><HeartRateBpm><Value>160</Value></HeartRateBpm>
     <Extensions><x:TPX><x:Speed>3.0</x:Speed><x:RunCadence>86</x:RunCadence></x:TPX></Extensions></Trackpoint>
   </Track><Extensions><x:LX><x:AvgRunCadence>85</x:AvgRunCadence><x:AvgSpeed>3.0</x:AvgSpeed></x:LX></Extensions></Lap>
  </Activity>
 </Activities>
</TrainingCenterDatabase>"#;

    #[test]
    fn the_first_run_of_several_activities_with_its_offset_and_laps() {
        assert_eq!(count_activities(TWO), 2);
        let rec = read_tcx(Path::new("t.tcx"), TWO, Pick::FirstRun).unwrap();
        // 2024-05-02T06:00:00Z
        assert_eq!(rec.start_unix_s, Some(1_714_629_600.0));
        assert_eq!(rec.utc_offset_s, Some(7200));
        assert_eq!(rec.series.time_s, [0.0, 5.0]);
        assert_eq!(rec.series.get(Channel::CadenceSpm).unwrap(), [85.0, 86.0]);
        assert_eq!(rec.sensors, ["footpod"]);
        let s = &rec.sessions[0];
        assert_eq!(
            (s.sport.as_str(), s.distance_m, s.timer_time_s),
            ("running", Some(30.0), Some(10.0))
        );
        // Strides (median 85.5, 2.1 m per "step" at 3 m/s): the lap average follows.
        assert_eq!(s.device_averages.cadence_spm, Some(170.0));
        assert_eq!(s.device_averages.heart_rate_bpm, Some(150.0));
        assert!(
            rec.warnings.iter().any(
                |w| w.code == WarningCode::MultipleActivities && w.message.contains("1 Biking")
            )
        );
        let bike = read_tcx(Path::new("t.tcx"), TWO, Pick::Index(0)).unwrap();
        assert_eq!(bike.sessions[0].sport, "cycling");
        assert_eq!(bike.sessions[0].device_averages.cadence_spm, None);
        assert!(
            bike.warnings
                .iter()
                .any(|w| w.code == WarningCode::SportDeclared)
        );
        let e = read_tcx(Path::new("t.tcx"), TWO, Pick::Index(2)).unwrap_err();
        assert!(e.to_string().contains("there is no activity 3"), "{e}");
    }

    #[test]
    fn speed_from_distance_or_positions_is_stated() {
        let doc = |inner: &str| {
            format!(
                "<TrainingCenterDatabase><Activities><Activity Sport=\"Running\"><Lap><Track>{inner}</Track></Lap></Activity></Activities></TrainingCenterDatabase>"
            )
        };
        let pts: String = (0..30)
            .map(|i| format!("<Trackpoint><Time>2024-01-01T10:00:{i:02}Z</Time><DistanceMeters>{}</DistanceMeters></Trackpoint>", 3 * i))
            .collect();
        let rec = read_tcx(Path::new("d.tcx"), &doc(&pts), Pick::FirstRun).unwrap();
        let v = rec.series.get(Channel::SpeedMps).unwrap();
        assert!(v.iter().all(|s| (s - 3.0).abs() < 1e-9));
        assert!(
            rec.warnings
                .iter()
                .any(|w| w.code == WarningCode::SpeedDerived)
        );
        let bad = doc(
            "<Trackpoint><Time>2024-01-01T10:00:00Z</Time><DistanceMeters>x</DistanceMeters></Trackpoint>",
        );
        let e = read_tcx(Path::new("d.tcx"), &bad, Pick::FirstRun)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("line 1") && e.contains("<DistanceMeters>: expected a number"),
            "{e}"
        );
        let none = read_tcx(Path::new("d.tcx"), &doc(""), Pick::FirstRun)
            .unwrap_err()
            .to_string();
        assert!(none.contains("no trackpoint with a time"), "{none}");
    }

    #[test]
    fn offsets_are_read_from_the_time_text() {
        assert_eq!(written_offset_s("2024-05-02T08:00:00+02:00"), Some(7200));
        assert_eq!(
            written_offset_s("2024-05-02T08:00:00.5-05:30"),
            Some(-19800)
        );
        assert_eq!(written_offset_s("2024-05-02T08:00:00Z"), None);
    }
}
