//! Suunto app JSON: the activity logs the Suunto app and Suunto's developer API hand out.
//!
//! Two shapes are read, told apart by where the samples are:
//! * **DeviceLog** (`{"DeviceLog": {"Header": {…}, "Samples": [{"TimeISO8601": …, "HR": …,
//!   "Cadence": …, …}]}}`): values directly in each sample.
//! * **SuuntoApp zip JSON** (`{"Samples": [{"TimeISO8601": …, "Attributes": {"suunto/sml":
//!   {"Sample": {…}}}}]}`): values under the sample's `suunto/sml` attribute.
//!
//! Units (as Suunto's SML samples store them, SI throughout; the same conversions as the
//! MyTourbook Suunto JSON importer): `HR` and `Cadence` in **hertz** (× 60 for per minute),
//! `Temperature` in **kelvin**, `Latitude`/`Longitude` in **radians**, `Speed` m/s,
//! `Distance` m (cumulative), `Altitude`/`GPSAltitude` m, `Power` W. Cadence units (strides or
//! steps per minute) are then decided from the values by the shared rule
//! ([`super::normalize`]), never assumed. Samples with `"Pause": true` start a pause that the
//! next `"Pause": false` ends. The header's `Activity`/`ActivityType`, `Duration` and
//! `Distance` are kept as the session's sport and the device's own totals.

use super::IngestError;
use crate::recording::{Channel, Pause, Recording, SessionInfo};
use serde_json::Value;
use std::path::Path;

/// The format name.
pub const FORMAT: &str = "suunto-json";

/// True when the head of a document looks like Suunto app JSON (an object with a `Samples`
/// array whose entries carry `TimeISO8601`).
pub fn looks_like_suunto(head: &str) -> bool {
    let t = head.trim_start_matches('\u{feff}').trim_start();
    // A JSON object: its first byte is an opening brace (0x7B).
    t.as_bytes().first() == Some(&0x7B)
        && t.contains("\"Samples\"")
        && t.contains("\"TimeISO8601\"")
}

/// Read a Suunto JSON document.
///
/// # Errors
/// [`IngestError::Json`]-style [`IngestError::NoData`] for text that is not JSON or has no
/// timed sample.
pub fn read_suunto(path: &Path, text: &str) -> Result<Recording, IngestError> {
    let no_data = |reason: String| IngestError::NoData {
        path: path.to_path_buf(),
        reason,
    };
    let doc: Value = serde_json::from_str(text.trim_start_matches('\u{feff}')).map_err(|e| {
        IngestError::Csv {
            path: path.to_path_buf(),
            line: e.line() as u64,
            column: None,
            reason: format!("not valid JSON: {e}"),
        }
    })?;
    let root = doc.get("DeviceLog").unwrap_or(&doc);
    let samples = root
        .get("Samples")
        .and_then(Value::as_array)
        .ok_or_else(|| no_data("no \"Samples\" array (not a Suunto activity log)".into()))?;
    let header = root.get("Header");
    let mut rec = Recording::new(path.to_path_buf(), FORMAT);
    rec.device = header
        .and_then(|h| h.get("Device"))
        .and_then(|d| d.get("Name").or(Some(d)))
        .and_then(Value::as_str)
        .map(|s| format!("suunto {s}"))
        .or(Some("suunto".into()));
    let points = timed_values(samples);
    if points.is_empty() {
        return Err(no_data(
            "no sample with a TimeISO8601 time and a value gaitguard reads".into(),
        ));
    }
    fill(&mut rec, &points);
    rec.sessions.push(session(header, &rec));
    Ok(rec)
}

/// One sample's time and what it says.
struct Point {
    unix_s: f64,
    offset_s: Option<i64>,
    values: Vec<(Channel, f64)>,
    pause: Option<bool>,
}

/// The samples with a time, in time order.
fn timed_values(samples: &[Value]) -> Vec<Point> {
    let mut out: Vec<Point> = samples
        .iter()
        .filter_map(|s| {
            let t = s.get("TimeISO8601")?.as_str()?;
            let parsed = crate::time::parse_datetime(t)?;
            let body = s
                .get("Attributes")
                .and_then(|a| a.get("suunto/sml"))
                .map(|sml| sml.get("Sample").unwrap_or(sml))
                .unwrap_or(s);
            let offset_s = t
                .rfind(['+', '-'])
                .filter(|&i| i > 10)
                .and_then(|i| crate::time::parse_utc_offset(&t[i..]));
            Some(Point {
                unix_s: parsed.unix_s,
                offset_s: offset_s.or(t.ends_with('Z').then_some(0)),
                values: values_of(body),
                pause: body.get("Pause").and_then(Value::as_bool),
            })
        })
        .collect();
    out.sort_by(|a, b| a.unix_s.total_cmp(&b.unix_s));
    out
}

/// The channels of one sample body, converted (module doc).
fn values_of(body: &Value) -> Vec<(Channel, f64)> {
    let num = |k: &str| {
        body.get(k)
            .and_then(Value::as_f64)
            .filter(|v| v.is_finite())
    };
    let deg = |k: &str| num(k).map(f64::to_degrees);
    [
        (Channel::HeartRateBpm, num("HR").map(|v| v * 60.0)),
        (Channel::CadenceSpm, num("Cadence").map(|v| v * 60.0)),
        (Channel::SpeedMps, num("Speed")),
        (Channel::DistanceM, num("Distance")),
        (
            Channel::AltitudeM,
            num("Altitude").or_else(|| num("GPSAltitude")),
        ),
        (Channel::PowerW, num("Power")),
        (
            Channel::TemperatureC,
            num("Temperature").map(|k| k - 273.15),
        ),
        (Channel::LatitudeDeg, deg("Latitude")),
        (Channel::LongitudeDeg, deg("Longitude")),
    ]
    .into_iter()
    .filter_map(|(c, v)| v.map(|v| (c, v)))
    .collect()
}

/// Records (one per second; samples of the same second merged), pauses, start and offset.
fn fill(rec: &mut Recording, points: &[Point]) {
    let t0 = points[0].unix_s.floor();
    rec.start_unix_s = Some(t0);
    rec.utc_offset_s = points.iter().find_map(|p| p.offset_s);
    let mut paused_at: Option<f64> = None;
    let mut vals: Vec<(Channel, f64)> = Vec::new();
    let mut i = 0;
    while i < points.len() {
        let second = (points[i].unix_s - t0).round();
        vals.clear();
        while i < points.len() && (points[i].unix_s - t0).round() == second {
            let p = &points[i];
            for &(c, v) in &p.values {
                vals.retain(|x| x.0 != c);
                vals.push((c, v));
            }
            match (p.pause, paused_at) {
                (Some(true), None) => paused_at = Some(second),
                (Some(false), Some(a)) => {
                    rec.pauses.push(Pause {
                        start_s: a,
                        end_s: second,
                    });
                    paused_at = None;
                }
                _ => {}
            }
            i += 1;
        }
        if !vals.is_empty() {
            rec.series.push(second, &vals);
        }
    }
    rec.series.finish();
}

/// The one session: the header's activity, duration and distance.
fn session(header: Option<&Value>, rec: &Recording) -> SessionInfo {
    let h = |k: &str| header.and_then(|h| h.get(k));
    let sport = h("Activity")
        .and_then(Value::as_str)
        .map(|s| s.to_ascii_lowercase())
        .unwrap_or_else(|| "running".into());
    let end = rec.series.time_s.last().copied().unwrap_or(0.0);
    SessionInfo {
        sport,
        sub_sport: None,
        start_s: 0.0,
        end_s: end,
        timer_time_s: h("Duration").and_then(Value::as_f64),
        elapsed_time_s: None,
        distance_m: h("Distance").and_then(Value::as_f64),
        device_averages: Default::default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hertz_kelvin_and_radians_become_per_minute_celsius_and_degrees() {
        let text = r#"{"DeviceLog": {"Header": {"Activity": "Running", "Duration": 3.0, "Distance": 9.5},
          "Samples": [
            {"TimeISO8601": "2020-05-03T09:31:06.000+02:00", "HR": 2.5, "Cadence": 1.4, "Speed": 3.1, "Distance": 0.0, "Temperature": 293.15},
            {"TimeISO8601": "2020-05-03T09:31:07.400+02:00", "Latitude": 1.0, "Longitude": -0.5, "GPSAltitude": 40.0},
            {"TimeISO8601": "2020-05-03T09:31:08.000+02:00", "HR": 2.6, "Pause": true},
            {"TimeISO8601": "2020-05-03T09:31:09.000+02:00", "HR": 2.7, "Pause": false}
          ]}}"#;
        assert!(looks_like_suunto(text));
        let r = read_suunto(Path::new("s.json"), text).unwrap();
        assert_eq!(r.utc_offset_s, Some(7200));
        assert_eq!(
            crate::time::rfc3339(r.start_unix_s.unwrap()).unwrap(),
            "2020-05-03T07:31:06Z"
        );
        assert_eq!(r.series.time_s, [0.0, 1.0, 2.0, 3.0]);
        let hr = r.series.get(Channel::HeartRateBpm).unwrap();
        assert_eq!((hr[0], hr[2]), (150.0, 156.0));
        assert!((r.series.get(Channel::CadenceSpm).unwrap()[0] - 84.0).abs() < 1e-9);
        assert!((r.series.get(Channel::TemperatureC).unwrap()[0] - 20.0).abs() < 1e-9);
        let lat = r.series.get(Channel::LatitudeDeg).unwrap()[1];
        assert!((lat - 57.29577951308232).abs() < 1e-9);
        assert_eq!(r.pauses.len(), 1);
        assert_eq!((r.pauses[0].start_s, r.pauses[0].end_s), (2.0, 3.0));
        assert_eq!(r.sessions[0].sport, "running");
        assert_eq!(r.sessions[0].distance_m, Some(9.5));
    }

    #[test]
    fn the_suunto_app_shape_keeps_values_under_its_sml_attribute() {
        let text = r#"{"Samples": [
            {"TimeISO8601": "2021-01-01T10:00:00.000Z", "Attributes": {"suunto/sml": {"Sample": {"HR": 2.0, "Cadence": 1.45}}}},
            {"TimeISO8601": "2021-01-01T10:00:01.000Z", "Attributes": {"suunto/sml": {"Sample": {"HR": 2.1}}}}
        ]}"#;
        let r = read_suunto(Path::new("s.json"), text).unwrap();
        assert_eq!(r.utc_offset_s, Some(0));
        assert_eq!(r.series.get(Channel::HeartRateBpm).unwrap(), [120.0, 126.0]);
        assert!(read_suunto(Path::new("x.json"), r#"{"Samples": []}"#).is_err());
        assert!(read_suunto(Path::new("x.json"), "{not json").is_err());
    }
}
