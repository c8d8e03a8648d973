//! GPS Exchange Format (GPX 1.1, and 1.0's `<speed>`): recorded tracks from Garmin Connect,
//! Strava, phone apps and Apple Health's workout routes.
//!
//! Read: every `trk/trkseg/trkpt` (`lat`, `lon`, `ele`, `time`) with the per-point
//! extensions watches and apps write, matched by local name under any prefix: Garmin
//! TrackPointExtension v1/v2 (`hr`, `cad`, `atemp`, v2 `speed`), Cluetrust `gpxdata:`
//! (`hr`, `cadence`, `temp`), power (`power`, Garmin PowerExtension `PowerInWatts`), and the
//! un-namespaced `<extensions><speed>` of Apple Health route files (`creator="Apple Health
//! Export"`). The track's `<type>` gives the sport (Strava writes its activity-type number,
//! 9 for a run and 1 for a ride; other apps a word); a type gaitguard does not know is
//! analysed as running or walking from the data, and named in a note.
//!
//! * Segments are joined in time order; the gap between two segments is a pause.
//! * Speed and distance come from the positions when the file has no speed
//!   ([`super::track`]: haversine distance, windowed speed), and a warning says so.
//! * Cadence units are decided from the values as for every format ([`super::normalize`]):
//!   Garmin's `cad` is strides/min, but not every app's is.
//! * A GPX whose points have no time is a planned route or course, not a recording: an
//!   error says so.

use super::track;
use super::xml::{self, XmlEvent, attr};
use crate::error::IngestError;
use crate::recording::{Channel, Pause, Recording, SessionInfo};
use crate::vocab::WarningCode;
use std::path::Path;

/// One track point (cadence as written).
#[derive(Debug, Clone, Copy)]
struct Point {
    unix_s: f64,
    lat: f64,
    lon: f64,
    ele_m: f64,
    hr_bpm: f64,
    cadence: f64,
    temp_c: f64,
    speed_mps: f64,
    power_w: f64,
}

impl Default for Point {
    fn default() -> Self {
        Point {
            unix_s: f64::NAN,
            lat: f64::NAN,
            lon: f64::NAN,
            ele_m: f64::NAN,
            hr_bpm: f64::NAN,
            cadence: f64::NAN,
            temp_c: f64::NAN,
            speed_mps: f64::NAN,
            power_w: f64::NAN,
        }
    }
}

/// What the scanner collected.
#[derive(Default)]
struct Doc {
    creator: Option<String>,
    /// `<type>` of the first track.
    kind: Option<String>,
    /// Segments of timed points.
    segments: Vec<Vec<Point>>,
    untimed: usize,
    route_points: usize,
    zone_less: usize,
    utc_offset_s: Option<i64>,
    in_trk: bool,
    in_point: bool,
    point: Point,
    depth_in_point: usize,
}

impl Doc {
    fn open(&mut self, name: &[u8], tag: &quick_xml::events::BytesStart<'_>) -> Result<(), String> {
        if self.in_point {
            self.depth_in_point += 1;
            return Ok(());
        }
        match name {
            b"gpx" => self.creator = attr(tag, b"creator").filter(|c| !c.is_empty()),
            b"trk" => self.in_trk = true,
            b"trkseg" if self.in_trk => self.segments.push(Vec::new()),
            b"trkpt" if self.in_trk => {
                if self.segments.is_empty() {
                    self.segments.push(Vec::new());
                }
                self.in_point = true;
                self.depth_in_point = 0;
                self.point = Point {
                    lat: coordinate(tag, b"lat", 90.0)?,
                    lon: coordinate(tag, b"lon", 180.0)?,
                    ..Point::default()
                };
            }
            b"rtept" | b"wpt" => self.route_points += 1,
            _ => {}
        }
        Ok(())
    }

    fn close(&mut self, name: &[u8], text: &str) -> Result<(), String> {
        if self.in_point {
            if name == b"trkpt" && self.depth_in_point == 0 {
                self.in_point = false;
                if self.point.unix_s.is_finite() {
                    if let Some(seg) = self.segments.last_mut() {
                        seg.push(self.point);
                    }
                } else {
                    self.untimed += 1;
                }
                return Ok(());
            }
            self.depth_in_point = self.depth_in_point.saturating_sub(1);
            return self.point_field(name, text);
        }
        match name {
            b"type" if self.in_trk && self.kind.is_none() && !text.is_empty() => {
                self.kind = Some(text.to_string());
            }
            b"trk" => self.in_trk = false,
            _ => {}
        }
        Ok(())
    }

    fn point_field(&mut self, name: &[u8], text: &str) -> Result<(), String> {
        let num = || xml::number(name, text);
        let p = &mut self.point;
        match name {
            b"time" => {
                let t = crate::time::parse_datetime(text).ok_or_else(|| {
                    format!("<time>: expected an ISO 8601 date-time, found '{text}'")
                })?;
                p.unix_s = t.unix_s;
                if !t.has_zone {
                    self.zone_less += 1;
                }
                if self.utc_offset_s.is_none() {
                    self.utc_offset_s = super::tcx::written_offset_s(text);
                }
            }
            b"ele" => p.ele_m = num()?,
            b"hr" | b"heartrate" => p.hr_bpm = num()?,
            b"cad" | b"cadence" => p.cadence = num()?,
            b"atemp" | b"temp" => p.temp_c = num()?,
            b"speed" => p.speed_mps = num()?,
            b"power" | b"PowerInWatts" => p.power_w = num()?,
            _ => {}
        }
        Ok(())
    }
}

/// A `lat`/`lon` attribute in degrees within ±`limit`.
fn coordinate(
    tag: &quick_xml::events::BytesStart<'_>,
    key: &[u8],
    limit: f64,
) -> Result<f64, String> {
    let name = String::from_utf8_lossy(key);
    let text = attr(tag, key).ok_or_else(|| format!("<trkpt> without its '{name}' attribute"))?;
    match text.parse::<f64>() {
        Ok(v) if v.abs() <= limit => Ok(v),
        _ => Err(format!(
            "<trkpt {name}=\"{text}\">: expected degrees between -{limit} and {limit}"
        )),
    }
}

/// Read a GPX document into a [`Recording`].
///
/// # Errors
/// [`IngestError::Xml`] with the line for malformed XML or a bad value;
/// [`IngestError::NoData`] when the file holds no track point with a time (a planned route).
pub fn read_gpx(path: &Path, text: &str) -> Result<Recording, IngestError> {
    let mut doc = Doc::default();
    xml::scan(path, text, |ev| match ev {
        XmlEvent::Open { name, tag } => doc.open(name, tag),
        XmlEvent::Close { name, text } => doc.close(name, text),
    })?;
    let mut points: Vec<(usize, Point)> = doc
        .segments
        .iter()
        .enumerate()
        .flat_map(|(i, s)| s.iter().map(move |p| (i, *p)))
        .collect();
    if points.is_empty() {
        return Err(IngestError::NoData {
            path: path.to_path_buf(),
            reason: no_times_reason(&doc),
        });
    }
    points.sort_by(|a, b| a.1.unix_s.total_cmp(&b.1.unix_s));
    let t0 = points[0].1.unix_s;
    let mut rec = Recording::new(path.to_path_buf(), "gpx");
    rec.start_unix_s = Some(t0);
    rec.utc_offset_s = doc.utc_offset_s;
    rec.device = doc.creator.clone();
    push_points(&mut rec, &points, t0);
    rec.pauses = segment_pauses(&points, t0);
    let derived = track::fill_speed(&mut rec);
    let (sport, sport_note) = sport(doc.kind.as_deref());
    if let Some(sport) = sport {
        let end_s = rec.series.time_s.last().copied().unwrap_or(0.0);
        rec.sessions.push(SessionInfo {
            sport,
            sub_sport: None,
            start_s: 0.0,
            end_s,
            timer_time_s: None,
            elapsed_time_s: None,
            distance_m: None,
            device_averages: Default::default(),
        });
    }
    warn_reading(&mut rec, &doc, sport_note, derived);
    Ok(rec)
}

/// Why a GPX without timed points is not an activity.
fn no_times_reason(doc: &Doc) -> String {
    if doc.untimed > 0 {
        format!(
            "the GPX track's {} points have no <time>: a planned route or course, not a recorded activity (export the activity, not the route)",
            doc.untimed
        )
    } else if doc.route_points > 0 {
        format!(
            "the GPX holds a route or waypoints ({} points) and no track: a planned route, not a recorded activity",
            doc.route_points
        )
    } else {
        "the GPX holds no track points".into()
    }
}

/// Append the points, times relative to `t0`.
fn push_points(rec: &mut Recording, points: &[(usize, Point)], t0: f64) {
    let mut vals: Vec<(Channel, f64)> = Vec::with_capacity(9);
    for (_, p) in points {
        vals.clear();
        for (ch, v) in [
            (Channel::LatitudeDeg, p.lat),
            (Channel::LongitudeDeg, p.lon),
            (Channel::AltitudeM, p.ele_m),
            (Channel::HeartRateBpm, p.hr_bpm),
            (Channel::CadenceSpm, p.cadence),
            (Channel::TemperatureC, p.temp_c),
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
}

/// The gaps between consecutive segments as pauses.
fn segment_pauses(points: &[(usize, Point)], t0: f64) -> Vec<Pause> {
    points
        .windows(2)
        .filter(|w| w[0].0 != w[1].0 && w[1].1.unix_s > w[0].1.unix_s)
        .map(|w| Pause {
            start_s: w[0].1.unix_s - t0,
            end_s: w[1].1.unix_s - t0,
        })
        .collect()
}

/// The sport of a track `<type>` (Strava's numbers or a word), and a note when it is not
/// running; `None` sport without a type (all points are then analysed).
fn sport(kind: Option<&str>) -> (Option<String>, Option<String>) {
    let Some(k) = kind.map(str::trim) else {
        return (None, None);
    };
    let lower = k.to_ascii_lowercase().replace([' ', '-'], "_");
    let sport = match lower.as_str() {
        "9" | "run" | "running" | "trail_running" | "treadmill_running" | "street_running"
        | "track_running" | "virtual_run" | "virtualrun" => "running",
        "1" | "ride" | "cycling" | "biking" | "road_biking" | "mountain_biking"
        | "virtual_ride" => "cycling",
        "walk" | "walking" => "walking",
        "hike" | "hiking" => "hiking",
        _ => "generic",
    };
    let note = (sport != "running").then(|| {
        format!(
            "the track's type is \"{k}\" ({}), not a run{}",
            if sport == "generic" { "unknown" } else { sport },
            if sport == "generic" {
                ": analysed as running or walking from its data"
            } else {
                ""
            }
        )
    });
    (Some(sport.to_string()), note)
}

/// Warnings: sport, untimed points, zone-less times, derived speed.
fn warn_reading(
    rec: &mut Recording,
    doc: &Doc,
    sport_note: Option<String>,
    derived: track::DerivedSpeed,
) {
    if let Some(n) = sport_note {
        rec.warn(WarningCode::SportDeclared, n);
    }
    track::warn_points(rec, (doc.untimed, doc.zone_less), "<time>", derived);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gpx(ext: &str, kind: &str, times: bool) -> String {
        let deg_per_m = 180.0 / (std::f64::consts::PI * track::EARTH_RADIUS_M);
        let pts: String = (0..40)
            .map(|i| {
                let lat = 45.0 + 3.0 * f64::from(i) * deg_per_m;
                let time = if times {
                    format!("<time>2023-06-01T07:00:{i:02}-04:00</time>")
                } else {
                    String::new()
                };
                format!(
                    "<trkpt lat=\"{lat:.9}\" lon=\"7.0\"><ele>10</ele>{time}<extensions>{ext}</extensions></trkpt>"
                )
            })
            .collect();
        format!(
            "<?xml version=\"1.0\"?><gpx version=\"1.1\" creator=\"test\" xmlns=\"http://www.topografix.com/GPX/1/1\" xmlns:g=\"http://www.garmin.com/xmlschemas/TrackPointExtension/v2\" xmlns:gpxdata=\"http://www.cluetrust.com/XML/GPXDATA/1/0\"><trk>{kind}<trkseg>{pts}</trkseg></trk></gpx>"
        )
    }

    #[test]
    fn extensions_under_any_prefix_and_speed_from_positions() {
        let text = gpx(
            "<g:TrackPointExtension><g:hr>150</g:hr><g:cad>86</g:cad><g:atemp>12</g:atemp></g:TrackPointExtension>",
            "<type>9</type>",
            true,
        );
        let rec = read_gpx(Path::new("a.gpx"), &text).unwrap();
        assert_eq!(rec.sessions[0].sport, "running");
        assert_eq!(rec.utc_offset_s, Some(-4 * 3600));
        // 2023-06-01T11:00:00Z
        assert_eq!(rec.start_unix_s, Some(1_685_617_200.0));
        assert_eq!(rec.series.get(Channel::HeartRateBpm).unwrap()[3], 150.0);
        assert_eq!(rec.series.get(Channel::TemperatureC).unwrap()[3], 12.0);
        let d = rec.series.get(Channel::DistanceM).unwrap();
        assert!((d[39] - 117.0).abs() < 0.01, "{}", d[39]);
        let v = rec.series.get(Channel::SpeedMps).unwrap();
        assert!(v.iter().all(|s| (s - 3.0).abs() < 0.01), "{v:?}");
        assert!(
            rec.warnings
                .iter()
                .any(|w| w.code == WarningCode::SpeedDerived)
        );
        let cluetrust = gpx(
            "<gpxdata:hr>140</gpxdata:hr><gpxdata:cadence>170</gpxdata:cadence>",
            "",
            true,
        );
        let rec = read_gpx(Path::new("b.gpx"), &cluetrust).unwrap();
        assert_eq!(rec.series.get(Channel::CadenceSpm).unwrap()[0], 170.0);
        assert!(rec.sessions.is_empty());
    }

    #[test]
    fn apple_health_speed_and_a_ride() {
        let text = gpx(
            "<speed>2.5</speed><course>10</course><hAcc>3</hAcc>",
            "<type>Ride</type>",
            true,
        );
        let rec = read_gpx(Path::new("route.gpx"), &text).unwrap();
        assert_eq!(rec.series.get(Channel::SpeedMps).unwrap()[5], 2.5);
        assert!(!rec.series.has(Channel::DistanceM));
        assert_eq!(rec.sessions[0].sport, "cycling");
        assert!(
            rec.warnings
                .iter()
                .any(|w| w.code == WarningCode::SportDeclared)
        );
    }

    #[test]
    fn a_route_without_times_is_not_an_activity() {
        let e = read_gpx(Path::new("plan.gpx"), &gpx("", "", false))
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("40 points have no <time>") && e.contains("planned route"),
            "{e}"
        );
        let rte = "<gpx><rte><rtept lat=\"1\" lon=\"2\"/><rtept lat=\"1\" lon=\"3\"/></rte></gpx>";
        let e = read_gpx(Path::new("r.gpx"), rte).unwrap_err().to_string();
        assert!(e.contains("a route or waypoints (2 points)"), "{e}");
        let bad = "<gpx><trk><trkseg><trkpt lat=\"95\" lon=\"2\"/></trkseg></trk></gpx>";
        let e = read_gpx(Path::new("r.gpx"), bad).unwrap_err().to_string();
        assert!(e.contains("expected degrees between -90 and 90"), "{e}");
    }

    #[test]
    fn segments_leave_pauses_between_them() {
        let seg = |from: u32| -> String {
            (from..from + 5)
                .map(|i| {
                    format!(
                        "<trkpt lat=\"1\" lon=\"{}\"><time>2023-01-01T00:00:{i:02}Z</time></trkpt>",
                        1.0 + f64::from(i) * 1e-5
                    )
                })
                .collect()
        };
        let text = format!(
            "<gpx><trk><trkseg>{}</trkseg><trkseg>{}</trkseg></trk></gpx>",
            seg(0),
            seg(30)
        );
        let rec = read_gpx(Path::new("s.gpx"), &text).unwrap();
        assert_eq!(
            rec.pauses,
            [Pause {
                start_s: 4.0,
                end_s: 30.0
            }]
        );
    }
}
