//! Apple Health exports: `export.zip` (the Health app's "Export All Health Data") or the
//! `export.xml` inside it, read in place in two streaming passes with constant memory.
//!
//! The export is one XML document, often 0.5–5 GB: every quantity sample the phone and the
//! watch ever wrote (`<Record type=… unit=… startDate=… endDate=… value=…/>`), then the
//! workouts (`<Workout workoutActivityType=… duration=… startDate=… endDate=…>` with
//! `MetadataEntry`, `WorkoutEvent`, `WorkoutStatistics` and `WorkoutRoute` children). The
//! records come first, so which of them belong to a run is only known at the end:
//!
//! 1. **Workouts** ([`scan_workouts`]): one pass keeps the workouts (a few thousand at most),
//!    each with its totals and averages (`WorkoutStatistics`, or the older `totalDistance`
//!    attributes: the device's own averages), pauses (`WorkoutEvent` pause/resume pairs), the
//!    weather temperature (`HKWeatherTemperature`, `59 degF`), the climb
//!    (`HKElevationAscended`, `1036 cm`) and whether it was indoors (`HKIndoorWorkout`).
//! 2. **Samples** ([`scan_samples`]): a second pass keeps only the samples of the running
//!    quantity types that fall inside a running workout (binary search over the workouts'
//!    spans): heart rate, running speed, power, stride length, ground-contact time,
//!    vertical oscillation, step count and walking+running distance. Memory is the workouts
//!    plus their samples, whatever the size of the file.
//! 3. **Sessions** ([`recording`]): each running workout becomes a per-record recording:
//!    instantaneous samples at their time, merged per second; step counts over an interval
//!    become a cadence at the interval's middle (steps ÷ minutes: both feet, as HealthKit
//!    counts steps); distance samples a cumulative distance at their end. HealthKit's
//!    `runningStrideLength` is "the distance covered by a single step" (Apple HealthKit
//!    documentation, HKQuantityTypeIdentifier.runningStrideLength), so it is the step length.
//!    Placement `wrist`, the device the workout's `sourceName`. The workout's route
//!    (`workout-routes/route_….gpx`, in the zip or beside `export.xml`) adds positions and
//!    altitude when present.
//!
//! Units are read from each sample's `unit` attribute (`m/s`, `km/hr`, `mi/hr`; `km`, `mi`,
//! `m`; `ms`, `cm`, `m`, `W`, `count/min`, `count`); a sample in a unit not understood is
//! left out and counted in a warning.
//!
//! Hostile input: the export begins with a DTD (`<!DOCTYPE HealthData [ … ]>`); it is never
//! fetched nor expanded, and only attributes are read (an entity a DTD declares, used in an
//! attribute gaitguard does not need, is never resolved). Malformed XML is an error naming
//! the line.

use crate::error::IngestError;
use crate::recording::{Channel, DeviceAverages, Pause, Placement, Recording, Series, SessionInfo};
use crate::vocab::WarningCode;
use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};
use std::io::{BufRead, Read};
use std::path::{Path, PathBuf};

/// The format name of a session read from an Apple Health export.
pub const FORMAT: &str = "apple-health";

/// `HKWorkoutActivityTypeRunning`.
const RUNNING: &str = "HKWorkoutActivityTypeRunning";

/// True when the first bytes of a document are an Apple Health export (`<HealthData` in
/// the head, after the DTD).
pub fn is_health_xml(head: &[u8]) -> bool {
    let n = head.len().min(64 << 10);
    head[..n].windows(11).any(|w| w == b"<HealthData")
}

/// True when `path` is a regular file holding an Apple Health export: an XML document whose
/// first 64 KiB open `<HealthData`, or a zip with an `export.xml` entry (read from the
/// archive's directory, not decompressed).
pub fn is_export_file(path: &Path) -> bool {
    let Ok(file) = std::fs::File::open(path) else {
        return false;
    };
    if !file.metadata().is_ok_and(|m| m.is_file()) {
        return false;
    }
    let mut head = Vec::with_capacity(64 << 10);
    if (&file).take(64 << 10).read_to_end(&mut head).is_err() {
        return false;
    }
    if head.starts_with(b"PK\x03\x04") {
        return zip::ZipArchive::new(file).is_ok_and(|z| export_entry(z.file_names()).is_some());
    }
    is_health_xml(&head)
}

/// The entry of the export document in an Apple Health `export.zip`
/// (`apple_health_export/export.xml`; not `export_cda.xml`, the clinical copy).
pub fn export_entry(names: impl IntoIterator<Item = impl AsRef<str>>) -> Option<String> {
    names.into_iter().find_map(|n| {
        let n = n.as_ref();
        (n == "export.xml" || n.ends_with("/export.xml")).then(|| n.to_string())
    })
}

/// Which running workouts to build.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WorkoutPick {
    /// Every running workout (`block`).
    All,
    /// The running workouts starting on this local date (`analyze --workout`).
    Date(chrono::NaiveDate),
    /// The latest running workout (`analyze` without `--workout`).
    Latest,
}

/// What an export holds.
#[derive(Debug, Default)]
pub struct Export {
    /// The running workouts picked, as recordings, in start order.
    pub sessions: Vec<Recording>,
    /// Running workouts in the export.
    pub running: usize,
    /// Other workouts, by type (`Cycling`, `Walking`) and start (RFC 3339).
    pub other: Vec<(String, String)>,
}

/// Read an Apple Health export (`export.zip` or `export.xml`) at `path`.
///
/// # Errors
/// [`IngestError::Io`], [`IngestError::Archive`] (no `export.xml` in the zip),
/// [`IngestError::Xml`] for malformed XML, [`IngestError::NoData`] when no running workout
/// matches `pick`.
pub fn read_export(path: &Path, pick: WorkoutPick) -> Result<Export, IngestError> {
    let mut workouts = with_document(path, |r| scan_workouts(path, r))?;
    workouts.sort_by(|a, b| a.start_s.total_cmp(&b.start_s));
    let running: Vec<&Workout> = workouts.iter().filter(|w| w.kind == RUNNING).collect();
    let picked = pick_workouts(&running, pick);
    let mut export = Export {
        running: running.len(),
        other: workouts
            .iter()
            .filter(|w| w.kind != RUNNING)
            .map(|w| {
                (
                    short_type(&w.kind),
                    crate::time::rfc3339(w.start_s).unwrap_or_default(),
                )
            })
            .collect(),
        ..Export::default()
    };
    if picked.is_empty() {
        return Err(IngestError::NoData {
            path: path.to_path_buf(),
            reason: no_workout_reason(&running, pick),
        });
    }
    let spans: Vec<(f64, f64)> = picked.iter().map(|w| (w.start_s, w.end_s)).collect();
    let samples = with_document(path, |r| scan_samples(path, r, &spans))?;
    for (w, s) in picked.iter().zip(samples) {
        let mut rec = recording(path, w, s, running.len(), pick);
        if let Some(route) = w.route.as_deref() {
            add_route(&mut rec, path, route, w.start_s);
        }
        export.sessions.push(rec);
    }
    Ok(export)
}

/// The running workouts `pick` asks for.
fn pick_workouts<'w>(running: &[&'w Workout], pick: WorkoutPick) -> Vec<&'w Workout> {
    match pick {
        WorkoutPick::All => running.to_vec(),
        WorkoutPick::Latest => running.last().map(|w| vec![*w]).unwrap_or_default(),
        WorkoutPick::Date(d) => running
            .iter()
            .filter(|w| w.local_date() == Some(d))
            .copied()
            .collect(),
    }
}

/// Why no workout was picked.
fn no_workout_reason(running: &[&Workout], pick: WorkoutPick) -> String {
    match pick {
        WorkoutPick::Date(d) => {
            let dates: Vec<String> = running
                .iter()
                .rev()
                .take(5)
                .filter_map(|w| w.local_date().map(|d| d.to_string()))
                .collect();
            format!(
                "the export holds no running workout on {d} ({} running workouts{})",
                running.len(),
                if dates.is_empty() {
                    String::new()
                } else {
                    format!("; the latest on {}", dates.join(", "))
                }
            )
        }
        _ => "the export holds no running workout (HKWorkoutActivityTypeRunning)".into(),
    }
}

/// `Cycling` for `HKWorkoutActivityTypeCycling`.
fn short_type(kind: &str) -> String {
    kind.strip_prefix("HKWorkoutActivityType")
        .unwrap_or(kind)
        .to_string()
}

// ───────────────────────────── routes ─────────────────────────────

/// Largest route file read, bytes (an hour's route is about 1 MB).
const MAX_ROUTE_BYTES: u64 = 64 << 20;

/// The workout's route (`FileReference path="/workout-routes/route_….gpx"`): beside the
/// `export.xml` on disk, or its entry in the zip. `None` when it is missing, too large or
/// unreadable (the workout is analysed without it).
fn route_text(export: &Path, reference: &str) -> Option<String> {
    let rel = reference.trim_start_matches('/');
    if rel.split('/').any(|c| c == "..") {
        return None;
    }
    let file = std::fs::File::open(export).ok()?;
    let mut head = [0u8; 2];
    let zipped = (&file).read_exact(&mut head).is_ok() && head == *b"PK";
    let mut text = String::new();
    if zipped {
        let mut zip = zip::ZipArchive::new(std::fs::File::open(export).ok()?).ok()?;
        let doc = export_entry(zip.file_names())?;
        let dir = doc.rsplit_once('/').map_or("", |(d, _)| d);
        let name = if dir.is_empty() {
            rel.to_string()
        } else {
            format!("{dir}/{rel}")
        };
        let entry = zip.by_name(&name).ok()?;
        if entry.size() > MAX_ROUTE_BYTES {
            return None;
        }
        entry.take(MAX_ROUTE_BYTES).read_to_string(&mut text).ok()?;
    } else {
        let p = export.parent()?.join(rel);
        std::fs::File::open(p)
            .ok()?
            .take(MAX_ROUTE_BYTES)
            .read_to_string(&mut text)
            .ok()?;
    }
    Some(text)
}

/// Add the route's positions and altitude to a workout's records (by time, on the records'
/// one-second grid); a route that cannot be read is noted, not an error.
fn add_route(rec: &mut Recording, export: &Path, reference: &str, start_s: f64) {
    let route =
        route_text(export, reference).and_then(|text| super::gpx::read_gpx(&rec.path, &text).ok());
    let Some(route) = route else {
        rec.warn(
            WarningCode::NotInFile,
            format!(
                "the workout's route ({reference}) is not in the export or cannot be read: no positions or altitude"
            ),
        );
        return;
    };
    let Some(route_t0) = route.start_unix_s else {
        return;
    };
    rec.series = merge_route(&rec.series, &route.series, route_t0 - start_s);
}

/// The workout's records with the route's altitude and positions merged in by time: route
/// times shifted by `shift_s` onto the workout's clock and rounded to the second; a second
/// both have is one record.
fn merge_route(a: &Series, b: &Series, shift_s: f64) -> Series {
    let channels = [
        Channel::AltitudeM,
        Channel::LatitudeDeg,
        Channel::LongitudeDeg,
    ];
    let at = |s: &Series, k: usize, ch: Channel| s.get(ch).map_or(f64::NAN, |v| v[k]);
    let mut merged = Series::new();
    let mut vals: Vec<(Channel, f64)> = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        let ta = a.time_s.get(i).copied().unwrap_or(f64::INFINITY);
        let tb = b
            .time_s
            .get(j)
            .map_or(f64::INFINITY, |t| (t + shift_s).round());
        let t = ta.min(tb);
        vals.clear();
        if ta == t {
            vals.extend(
                Channel::ALL
                    .into_iter()
                    .map(|c| (c, at(a, i, c)))
                    .filter(|v| v.1.is_finite()),
            );
            i += 1;
        }
        if tb == t {
            for c in channels {
                let v = at(b, j, c);
                if v.is_finite() {
                    vals.retain(|x| x.0 != c);
                    vals.push((c, v));
                }
            }
            j += 1;
        }
        merged.push(t, &vals);
    }
    merged.finish();
    merged
}

// ───────────────────────────── the document ─────────────────────────────

/// Call `f` with a buffered reader of the export document: the file itself, or the
/// `export.xml` entry of a zip (decompressed as it is read, never extracted).
fn with_document<T>(
    path: &Path,
    f: impl FnOnce(&mut LineCounting<'_>) -> Result<T, IngestError>,
) -> Result<T, IngestError> {
    let io = |source| IngestError::Io {
        path: path.to_path_buf(),
        source,
    };
    let file = std::fs::File::open(path).map_err(io)?;
    let mut head = [0u8; 4];
    let zipped = {
        let mut f = &file;
        f.read_exact(&mut head).is_ok() && head.starts_with(b"PK")
    };
    use std::io::Seek as _;
    let mut file = file;
    file.rewind().map_err(io)?;
    if !zipped {
        let mut r = std::io::BufReader::with_capacity(1 << 16, file);
        return f(&mut LineCounting::new(&mut r));
    }
    let archive_error = |reason: String| IngestError::Archive {
        path: path.to_path_buf(),
        reason,
    };
    let mut zip = zip::ZipArchive::new(file)
        .map_err(|e| archive_error(format!("not a readable zip archive: {e}")))?;
    let name = export_entry(zip.file_names())
        .ok_or_else(|| archive_error("no apple_health_export/export.xml in the archive".into()))?;
    let entry = zip
        .by_name(&name)
        .map_err(|e| archive_error(format!("{name}: {e}")))?;
    let mut r = std::io::BufReader::with_capacity(1 << 16, entry);
    f(&mut LineCounting::new(&mut r))
}

/// A buffered reader that counts the line breaks it has handed out (for error messages on
/// a document too large to hold).
pub struct LineCounting<'r> {
    inner: &'r mut dyn BufRead,
    lines: u64,
}

impl<'r> LineCounting<'r> {
    fn new(inner: &'r mut dyn BufRead) -> Self {
        LineCounting { inner, lines: 1 }
    }
}

impl Read for LineCounting<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.lines += buf[..n].iter().filter(|&&b| b == b'\n').count() as u64;
        Ok(n)
    }
}

impl BufRead for LineCounting<'_> {
    fn fill_buf(&mut self) -> std::io::Result<&[u8]> {
        self.inner.fill_buf()
    }
    fn consume(&mut self, amt: usize) {
        if let Ok(buf) = self.inner.fill_buf() {
            let n = amt.min(buf.len());
            self.lines += buf[..n].iter().filter(|&&b| b == b'\n').count() as u64;
        }
        self.inner.consume(amt);
    }
}

/// Stream the document's start tags (and empty tags) to `handle`, with whether each is an
/// empty tag; end tags of `Workout` are reported as `None`.
fn stream(
    path: &Path,
    r: &mut LineCounting<'_>,
    mut handle: impl FnMut(Option<&BytesStart<'_>>, bool),
) -> Result<(), IngestError> {
    let mut reader = Reader::from_reader(r);
    let mut buf = Vec::with_capacity(4096);
    let mut depth = 0usize;
    loop {
        let ev = reader
            .read_event_into(&mut buf)
            .map_err(|e| IngestError::Xml {
                path: path.to_path_buf(),
                line: reader.get_ref().lines,
                reason: format!("malformed XML: {e}"),
            })?;
        match ev {
            Event::Start(t) => {
                depth += 1;
                handle(Some(&t), false);
            }
            Event::Empty(t) => handle(Some(&t), true),
            Event::End(t) => {
                depth = depth.saturating_sub(1);
                if t.local_name().as_ref() == b"Workout" {
                    handle(None, false);
                }
            }
            Event::Eof => break,
            // Text, the DTD (never fetched nor expanded), comments: nothing to read.
            _ => {}
        }
        buf.clear();
    }
    if depth > 0 {
        return Err(IngestError::Xml {
            path: path.to_path_buf(),
            line: reader.get_ref().lines,
            reason: "the document ends inside an element (an export cut short?)".into(),
        });
    }
    Ok(())
}

/// An attribute's raw bytes by name (attributes gaitguard reads hold no entities).
fn attr<'a>(tag: &'a BytesStart<'_>, name: &[u8]) -> Option<std::borrow::Cow<'a, [u8]>> {
    tag.attributes()
        .flatten()
        .find(|a| a.key.as_ref() == name)
        .map(|a| a.value)
}

/// An attribute as text.
fn attr_str(tag: &BytesStart<'_>, name: &[u8]) -> Option<String> {
    attr(tag, name).map(|v| String::from_utf8_lossy(&v).trim().to_string())
}

/// An attribute as a finite number.
fn attr_num(tag: &BytesStart<'_>, name: &[u8]) -> Option<f64> {
    let v = attr(tag, name)?;
    std::str::from_utf8(&v)
        .ok()?
        .trim()
        .parse::<f64>()
        .ok()
        .filter(|x| x.is_finite())
}

/// An Apple Health date, `2025-01-14 12:35:20 +0900`: Unix seconds and the offset written
/// (local minus UTC, s).
pub fn apple_time(text: &[u8]) -> Option<(f64, i64)> {
    let t = std::str::from_utf8(text).ok()?.trim();
    let (date_time, offset) = t.rsplit_once(' ')?;
    let off = crate::time::parse_utc_offset(offset)?;
    let (date, clock) = date_time.split_once(' ')?;
    let mut d = date.splitn(3, '-').map(|p| p.parse::<i64>().ok());
    let (y, m, day) = (d.next()??, d.next()??, d.next()??);
    let mut c = clock.splitn(3, ':').map(|p| p.parse::<f64>().ok());
    let (hh, mm, ss) = (c.next()??, c.next()??, c.next()??);
    let days = crate::time::days_from_civil(y, u32::try_from(m).ok()?, u32::try_from(day).ok()?)?;
    let local = days as f64 * 86_400.0 + hh * 3600.0 + mm * 60.0 + ss;
    Some((local - off as f64, off))
}

fn attr_time(tag: &BytesStart<'_>, name: &[u8]) -> Option<(f64, i64)> {
    apple_time(&attr(tag, name)?)
}

// ───────────────────────────── pass 1: workouts ─────────────────────────────

/// One workout and what its element and children say.
#[derive(Debug, Clone, Default)]
struct Workout {
    /// `workoutActivityType`.
    kind: String,
    /// `sourceName` (`Apple Watch van Anna`).
    source: Option<String>,
    /// Start and end, Unix s.
    start_s: f64,
    end_s: f64,
    /// The offset its start was written with, s.
    utc_offset_s: i64,
    /// `duration` (active time), s.
    duration_s: Option<f64>,
    /// Distance, m (`totalDistance` or the distance statistic's sum).
    distance_m: Option<f64>,
    /// `WorkoutStatistics` averages (and step sum) by type.
    stats: Vec<(String, f64, String)>,
    /// Pauses: (start, end) Unix s.
    pauses: Vec<(f64, f64)>,
    /// An open pause.
    paused_at: Option<f64>,
    /// `HKWeatherTemperature`, °C.
    temperature_c: Option<f64>,
    /// `HKElevationAscended`, m.
    ascent_m: Option<f64>,
    /// `HKIndoorWorkout`.
    indoor: bool,
    /// `WorkoutRoute` file reference.
    route: Option<String>,
}

impl Workout {
    fn local_date(&self) -> Option<chrono::NaiveDate> {
        crate::time::local_date(self.start_s, self.utc_offset_s)
    }
}

/// Pass 1: every workout with its children.
fn scan_workouts(path: &Path, r: &mut LineCounting<'_>) -> Result<Vec<Workout>, IngestError> {
    let mut out: Vec<Workout> = Vec::new();
    let mut cur: Option<Workout> = None;
    stream(path, r, |tag, empty| {
        let Some(tag) = tag else {
            out.extend(cur.take());
            return;
        };
        match tag.local_name().as_ref() {
            b"Workout" => {
                let w = workout_of(tag);
                match (w, empty) {
                    (Some(w), true) => out.push(w),
                    (w, false) => cur = w,
                    (None, true) => {}
                }
            }
            name => {
                if let Some(w) = cur.as_mut() {
                    workout_child(w, name, tag);
                }
            }
        }
    })?;
    out.extend(cur);
    Ok(out)
}

/// A `<Workout>` element's attributes (`None` without a readable start and end).
fn workout_of(tag: &BytesStart<'_>) -> Option<Workout> {
    let (start_s, utc_offset_s) = attr_time(tag, b"startDate")?;
    let (end_s, _) = attr_time(tag, b"endDate")?;
    let duration_s = attr_num(tag, b"duration")
        .zip(attr_str(tag, b"durationUnit"))
        .and_then(|(v, u)| duration_s(v, &u));
    let distance_m = attr_num(tag, b"totalDistance")
        .zip(attr_str(tag, b"totalDistanceUnit"))
        .and_then(|(v, u)| distance_m(v, &u));
    Some(Workout {
        kind: attr_str(tag, b"workoutActivityType").unwrap_or_default(),
        source: attr_str(tag, b"sourceName"),
        start_s,
        end_s: end_s.max(start_s),
        utc_offset_s,
        duration_s,
        distance_m,
        ..Workout::default()
    })
}

/// A child element of a workout.
fn workout_child(w: &mut Workout, name: &[u8], tag: &BytesStart<'_>) {
    match name {
        b"MetadataEntry" => metadata(w, tag),
        b"WorkoutEvent" => event(w, tag),
        b"WorkoutStatistics" => {
            let kind = attr_str(tag, b"type").unwrap_or_default();
            let unit = attr_str(tag, b"unit").unwrap_or_default();
            let value = if kind.ends_with("StepCount") || kind.ends_with("DistanceWalkingRunning") {
                attr_num(tag, b"sum")
            } else {
                attr_num(tag, b"average")
            };
            if let Some(v) = value {
                if !w.stats.iter().any(|s| s.0 == kind) {
                    w.stats.push((kind, v, unit));
                }
            }
        }
        b"FileReference" => w.route = attr_str(tag, b"path"),
        _ => {}
    }
}

/// `HKWeatherTemperature`, `HKElevationAscended`, `HKIndoorWorkout`.
fn metadata(w: &mut Workout, tag: &BytesStart<'_>) {
    let (Some(key), Some(value)) = (attr_str(tag, b"key"), attr_str(tag, b"value")) else {
        return;
    };
    let (num, unit) = split_quantity(&value);
    match key.as_str() {
        "HKWeatherTemperature" => {
            w.temperature_c = num.and_then(|v| match unit {
                "degF" => Some((v - 32.0) * 5.0 / 9.0),
                "degC" => Some(v),
                "K" => Some(v - 273.15),
                _ => None,
            });
        }
        "HKElevationAscended" => {
            w.ascent_m = num.and_then(|v| match unit {
                "cm" => Some(v / 100.0),
                "m" => Some(v),
                "ft" => Some(v * 0.3048),
                _ => None,
            });
        }
        "HKIndoorWorkout" => w.indoor = value == "1",
        _ => {}
    }
}

/// `59 degF` as (59, `degF`).
fn split_quantity(text: &str) -> (Option<f64>, &str) {
    let (n, u) = text.trim().split_once(' ').unwrap_or((text.trim(), ""));
    (n.parse::<f64>().ok().filter(|v| v.is_finite()), u.trim())
}

/// Pause and resume events (manual and automatic).
fn event(w: &mut Workout, tag: &BytesStart<'_>) {
    let Some(kind) = attr_str(tag, b"type") else {
        return;
    };
    let Some((t, _)) = attr_time(tag, b"date") else {
        return;
    };
    match kind.as_str() {
        "HKWorkoutEventTypePause" | "HKWorkoutEventTypeMotionPaused" => {
            w.paused_at.get_or_insert(t);
        }
        "HKWorkoutEventTypeResume" | "HKWorkoutEventTypeMotionResumed" => {
            if let Some(p) = w.paused_at.take() {
                if t > p {
                    w.pauses.push((p, t));
                }
            }
        }
        _ => {}
    }
}

fn duration_s(v: f64, unit: &str) -> Option<f64> {
    Some(match unit {
        "min" => v * 60.0,
        "s" | "sec" => v,
        "hr" | "h" => v * 3600.0,
        _ => return None,
    })
}

fn distance_m(v: f64, unit: &str) -> Option<f64> {
    Some(match unit {
        "km" => v * 1000.0,
        "m" => v,
        "mi" => v * 1609.344,
        "yd" => v * 0.9144,
        "ft" => v * 0.3048,
        _ => return None,
    })
}

// ───────────────────────────── pass 2: samples ─────────────────────────────

/// The running quantity types read, and their channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    HeartRate,
    Speed,
    Power,
    StrideLength,
    GroundContact,
    VerticalOscillation,
    Steps,
    Distance,
}

impl Kind {
    fn of(t: &[u8]) -> Option<Kind> {
        let t = t.strip_prefix(b"HKQuantityTypeIdentifier")?;
        Some(match t {
            b"HeartRate" => Kind::HeartRate,
            b"RunningSpeed" => Kind::Speed,
            b"RunningPower" => Kind::Power,
            b"RunningStrideLength" => Kind::StrideLength,
            b"RunningGroundContactTime" => Kind::GroundContact,
            b"RunningVerticalOscillation" => Kind::VerticalOscillation,
            b"StepCount" => Kind::Steps,
            b"DistanceWalkingRunning" => Kind::Distance,
            _ => return None,
        })
    }

    /// The value in gaitguard's unit for the channel, from the sample's unit.
    fn convert(self, v: f64, unit: &str) -> Option<f64> {
        Some(match (self, unit) {
            (Kind::HeartRate, "count/min") => v,
            (Kind::Speed, "m/s") => v,
            (Kind::Speed, "km/hr") => v / 3.6,
            (Kind::Speed, "mi/hr") => v * 0.44704,
            (Kind::Power, "W") => v,
            (Kind::StrideLength, "m") => v,
            (Kind::StrideLength, "cm") => v / 100.0,
            (Kind::StrideLength, "ft") => v * 0.3048,
            (Kind::GroundContact, "ms") => v,
            (Kind::GroundContact, "s") => v * 1000.0,
            (Kind::VerticalOscillation, "cm") => v,
            (Kind::VerticalOscillation, "mm") => v / 10.0,
            (Kind::VerticalOscillation, "in") => v * 2.54,
            (Kind::Steps, "count") => v,
            (Kind::Distance, u) => distance_m(v, u)?,
            _ => return None,
        })
    }
}

/// One sample inside a workout.
#[derive(Debug, Clone, Copy)]
struct Sample {
    kind: Kind,
    start_s: f64,
    end_s: f64,
    /// In the channel's unit (steps for step counts, m for distance).
    value: f64,
}

/// Samples of each workout span, and the samples left out for an unknown unit.
#[derive(Debug, Default)]
struct Found {
    samples: Vec<Sample>,
    unknown_units: usize,
}

/// Pass 2: the samples of the running types inside each of `spans` (sorted by start).
fn scan_samples(
    path: &Path,
    r: &mut LineCounting<'_>,
    spans: &[(f64, f64)],
) -> Result<Vec<Found>, IngestError> {
    let mut out: Vec<Found> = (0..spans.len()).map(|_| Found::default()).collect();
    stream(path, r, |tag, _| {
        let Some(tag) = tag else { return };
        if tag.local_name().as_ref() != b"Record" {
            return;
        }
        let Some(kind) = attr(tag, b"type").and_then(|t| Kind::of(&t)) else {
            return;
        };
        let Some((start_s, _)) = attr_time(tag, b"startDate") else {
            return;
        };
        let end_s = attr_time(tag, b"endDate").map_or(start_s, |e| e.0.max(start_s));
        let Some(i) = span_of(spans, start_s, end_s) else {
            return;
        };
        let unit = attr_str(tag, b"unit").unwrap_or_default();
        match attr_num(tag, b"value").and_then(|v| kind.convert(v, &unit)) {
            Some(value) => out[i].samples.push(Sample {
                kind,
                start_s,
                end_s,
                value,
            }),
            None => out[i].unknown_units += 1,
        }
    })?;
    Ok(out)
}

/// The span (sorted by start, not overlapping) holding the middle of `[start, end]`.
fn span_of(spans: &[(f64, f64)], start_s: f64, end_s: f64) -> Option<usize> {
    let mid = 0.5 * (start_s + end_s);
    let i = spans.partition_point(|s| s.0 <= mid).checked_sub(1)?;
    (mid <= spans[i].1).then_some(i)
}

// ───────────────────────────── sessions ─────────────────────────────

/// A running workout and its samples as a per-record recording.
fn recording(
    path: &Path,
    w: &Workout,
    found: Found,
    running: usize,
    pick: WorkoutPick,
) -> Recording {
    let name = format!(
        "workout-{}",
        crate::time::rfc3339(w.start_s + w.utc_offset_s as f64)
            .unwrap_or_default()
            .trim_end_matches('Z')
            .replace(':', "-")
    );
    let mut rec = Recording::new(PathBuf::from(path).join(name), FORMAT);
    rec.device = w.source.clone();
    rec.placement = Some(Placement::Wrist);
    rec.start_unix_s = Some(w.start_s);
    rec.utc_offset_s = Some(w.utc_offset_s);
    fill_series(&mut rec, w, &found.samples);
    rec.sessions.push(session_info(w, &found.samples));
    rec.pauses = w
        .pauses
        .iter()
        .map(|&(a, b)| Pause {
            start_s: a - w.start_s,
            end_s: b - w.start_s,
        })
        .collect();
    notes(&mut rec, w, &found, running, pick);
    rec
}

/// The per-second records: instantaneous samples at their start, step counts as a cadence
/// at the middle of their interval, distances cumulated at their end; the weather
/// temperature on every record.
fn fill_series(rec: &mut Recording, w: &Workout, samples: &[Sample]) {
    let mut points: Vec<(f64, Channel, f64)> = Vec::with_capacity(samples.len());
    let mut steps: Vec<&Sample> = samples.iter().filter(|s| s.kind == Kind::Steps).collect();
    steps.sort_by(|a, b| a.start_s.total_cmp(&b.start_s));
    for s in samples {
        let t = s.start_s - w.start_s;
        let ch = match s.kind {
            Kind::HeartRate => Channel::HeartRateBpm,
            Kind::Speed => Channel::SpeedMps,
            Kind::Power => Channel::PowerW,
            Kind::StrideLength => Channel::StepLengthM,
            Kind::GroundContact => Channel::GroundContactMs,
            Kind::VerticalOscillation => Channel::VerticalOscillationCm,
            Kind::Steps | Kind::Distance => continue,
        };
        points.push((t, ch, s.value));
    }
    for s in &steps {
        let minutes = (s.end_s - s.start_s) / 60.0;
        // A cadence needs an interval of a few seconds (a 0-length count is not a rate).
        if minutes >= 5.0 / 60.0 {
            let mid = 0.5 * (s.start_s + s.end_s) - w.start_s;
            points.push((mid, Channel::CadenceSpm, s.value / minutes));
        }
    }
    let mut dist: Vec<&Sample> = samples
        .iter()
        .filter(|s| s.kind == Kind::Distance)
        .collect();
    dist.sort_by(|a, b| a.end_s.total_cmp(&b.end_s));
    // Distance is 0 at the workout's start (the samples count what was covered since).
    if !dist.is_empty() {
        points.push((0.0, Channel::DistanceM, 0.0));
    }
    let mut total = 0.0;
    for s in dist {
        total += s.value;
        points.push((s.end_s - w.start_s, Channel::DistanceM, total));
    }
    points.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut vals: Vec<(Channel, f64)> = Vec::new();
    let mut i = 0;
    while i < points.len() {
        let second = points[i].0.round();
        vals.clear();
        while i < points.len() && points[i].0.round() == second {
            vals.retain(|(c, _)| *c != points[i].1);
            vals.push((points[i].1, points[i].2));
            i += 1;
        }
        if let Some(t) = w.temperature_c {
            vals.push((Channel::TemperatureC, t));
        }
        rec.series.push(second, &vals);
    }
    rec.series.finish();
}

/// The workout as a session with the device's own totals and averages.
fn session_info(w: &Workout, samples: &[Sample]) -> SessionInfo {
    let stat = |suffix: &str| {
        w.stats
            .iter()
            .find(|s| s.0.ends_with(suffix))
            .map(|s| (s.1, s.2.as_str()))
    };
    let conv = |kind: Kind, suffix: &str| stat(suffix).and_then(|(v, u)| kind.convert(v, u));
    let active_s = w.duration_s.unwrap_or(w.end_s - w.start_s);
    let distance = w
        .distance_m
        .or_else(|| conv(Kind::Distance, "DistanceWalkingRunning"))
        .or_else(|| {
            let d: f64 = samples
                .iter()
                .filter(|s| s.kind == Kind::Distance)
                .map(|s| s.value)
                .sum();
            (d > 0.0).then_some(d)
        });
    let steps = conv(Kind::Steps, "StepCount");
    SessionInfo {
        sport: "running".into(),
        sub_sport: w.indoor.then(|| "indoor".to_string()),
        start_s: 0.0,
        end_s: w.end_s - w.start_s,
        timer_time_s: Some(active_s),
        elapsed_time_s: Some(w.end_s - w.start_s),
        distance_m: distance,
        device_averages: DeviceAverages {
            cadence_spm: steps
                .filter(|_| active_s > 0.0)
                .map(|n| n / (active_s / 60.0)),
            ground_contact_ms: conv(Kind::GroundContact, "RunningGroundContactTime"),
            vertical_oscillation_cm: conv(Kind::VerticalOscillation, "RunningVerticalOscillation"),
            step_length_m: conv(Kind::StrideLength, "RunningStrideLength"),
            speed_mps: conv(Kind::Speed, "RunningSpeed"),
            heart_rate_bpm: conv(Kind::HeartRate, "HeartRate"),
            power_w: conv(Kind::Power, "RunningPower"),
            total_ascent_m: w.ascent_m,
            ..DeviceAverages::default()
        },
    }
}

/// Warnings: which workout of how many, samples in units not understood, the temperature's
/// source, and no samples at all.
fn notes(rec: &mut Recording, w: &Workout, found: &Found, running: usize, pick: WorkoutPick) {
    if pick == WorkoutPick::Latest && running > 1 {
        rec.warn(
            WarningCode::MultipleActivities,
            format!(
                "the export holds {running} running workouts; the latest ({}) was analysed: choose one with --workout YYYY-MM-DD, or read them all with `gaitguard block`",
                w.local_date().map(|d| d.to_string()).unwrap_or_default()
            ),
        );
    }
    if found.unknown_units > 0 {
        rec.warn(
            WarningCode::UnknownUnit,
            format!(
                "{} samples in a unit gaitguard does not know were left out",
                found.unknown_units
            ),
        );
    }
    if w.temperature_c.is_some() {
        rec.warn(
            WarningCode::TemperatureSource,
            "temperature is the weather at the workout's start (HKWeatherTemperature), not measured",
        );
    }
    if found.samples.is_empty() {
        rec.warn(
            WarningCode::NotInFile,
            "no heart-rate, speed, step or running-dynamics samples inside this workout: only the workout's own totals",
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_route_merges_into_the_records_by_second() {
        let mut a = Series::new();
        a.push(0.0, &[(Channel::HeartRateBpm, 140.0)]);
        a.push(5.0, &[(Channel::HeartRateBpm, 150.0)]);
        a.finish();
        let mut b = Series::new();
        // Route times are 100 s earlier on their own clock; one lands on a record's second.
        b.push(-100.2, &[(Channel::AltitudeM, 10.0)]);
        b.push(-97.0, &[(Channel::AltitudeM, 11.0)]);
        b.push(-95.0, &[(Channel::AltitudeM, 12.0)]);
        b.finish();
        let m = merge_route(&a, &b, 100.0);
        assert_eq!(m.time_s, [0.0, 3.0, 5.0]);
        assert_eq!(m.get(Channel::AltitudeM).unwrap(), [10.0, 11.0, 12.0]);
        let hr = m.get(Channel::HeartRateBpm).unwrap();
        assert_eq!((hr[0], hr[2]), (140.0, 150.0));
        assert!(hr[1].is_nan());
    }

    #[test]
    fn apple_dates_carry_their_offset() {
        // 2025-01-14 12:35:20 +0900 = 03:35:20 UTC.
        let (t, off) = apple_time(b"2025-01-14 12:35:20 +0900").unwrap();
        assert_eq!(crate::time::rfc3339(t).unwrap(), "2025-01-14T03:35:20Z");
        assert_eq!(off, 9 * 3600);
        assert_eq!(
            apple_time(b"2021-01-08 18:44:00 -0500").map(|x| x.1),
            Some(-18_000)
        );
        assert!(apple_time(b"2021-02-30 18:44:00 +0000").is_none());
        assert!(apple_time(b"yesterday").is_none());
    }

    #[test]
    fn units_convert_to_the_channels() {
        assert_eq!(Kind::Speed.convert(3.6, "km/hr"), Some(1.0));
        assert_eq!(Kind::Distance.convert(1.0, "mi"), Some(1609.344));
        assert_eq!(Kind::GroundContact.convert(0.25, "s"), Some(250.0));
        assert_eq!(Kind::HeartRate.convert(150.0, "count/s"), None);
        assert_eq!(split_quantity("59 degF"), (Some(59.0), "degF"));
    }

    #[test]
    fn a_sample_belongs_to_the_span_holding_its_middle() {
        let spans = [(100.0, 200.0), (300.0, 400.0)];
        assert_eq!(span_of(&spans, 150.0, 150.0), Some(0));
        assert_eq!(span_of(&spans, 190.0, 230.0), None); // middle 210: between
        assert_eq!(span_of(&spans, 390.0, 400.0), Some(1));
        assert_eq!(span_of(&spans, 50.0, 60.0), None);
        assert_eq!(span_of(&spans, 500.0, 500.0), None);
    }

    #[test]
    fn the_export_entry_is_export_xml_not_the_clinical_copy() {
        let names = [
            "apple_health_export/export_cda.xml",
            "apple_health_export/workout-routes/route_1.gpx",
            "apple_health_export/export.xml",
        ];
        assert_eq!(
            export_entry(names).as_deref(),
            Some("apple_health_export/export.xml")
        );
        assert_eq!(export_entry(["a/b.xml"]), None);
        assert!(is_health_xml(
            b"<?xml version=\"1.0\"?>\n<!DOCTYPE HealthData [\n]>\n<HealthData locale=\"en\">"
        ));
        assert!(!is_health_xml(b"<gpx>"));
    }
}
