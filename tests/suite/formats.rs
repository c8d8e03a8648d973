//! TCX, GPX, gzip and zip inputs (issue 15): the real exports in `../shared/data/formats`
//! against an independent reading of each file written here (plain string scanning of the
//! XML, chrono for the times, the spherical law of cosines for distances: none of it the
//! parser under test), and every hostile container input through the CLI.

use crate::common;

use gaitguard::ingest::{IngestOptions, read_recording};
use gaitguard::metrics::summarize;
use gaitguard::recording::{Channel, Recording};
use std::path::Path;

/// Text of every element whose local name is `local` (any prefix, no attributes), in order:
/// the text after `<local>` or `<prefix:local>` up to the next `</`.
fn texts(xml: &str, local: &str) -> Vec<String> {
    let needle = format!("{local}>");
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(i) = xml[from..].find(&needle) {
        let at = from + i;
        let lt = xml[..at].rfind('<').unwrap_or(0);
        let between = &xml[lt + 1..at];
        let opening = !between.starts_with('/')
            && (between.is_empty() || (between.ends_with(':') && !between.contains(' ')));
        let after = &xml[at + needle.len()..];
        if opening && xml[lt..].starts_with('<') {
            out.push(after[..after.find("</").unwrap()].trim().to_string());
        }
        from = at + needle.len();
    }
    out
}

fn nums(xml: &str, local: &str) -> Vec<f64> {
    texts(xml, local)
        .iter()
        .map(|t| t.parse::<f64>().unwrap())
        .collect()
}

/// The part of `xml` between each `<open` and the next `</close>` (opening tags matched
/// with any attributes).
fn blocks<'a>(xml: &'a str, open: &str, close: &str) -> Vec<&'a str> {
    let mut out = Vec::new();
    let mut rest = xml;
    while let Some(i) = rest.find(open) {
        let after = &rest[i..];
        let end = after.find(close).unwrap();
        out.push(&after[..end]);
        rest = &after[end..];
    }
    out
}

fn unix(t: &str) -> f64 {
    chrono::DateTime::parse_from_rfc3339(t)
        .unwrap()
        .timestamp_millis() as f64
        / 1000.0
}

fn read(path: &Path) -> Recording {
    read_recording(path, &IngestOptions::default()).unwrap_or_else(|e| panic!("{e}"))
}

fn median_positive(v: &[f64]) -> f64 {
    common::med(v.iter().copied().filter(|c| *c > 0.0).collect())
}

/// Time-weighted mean of per-lap values.
fn weighted(values: &[f64], weights: &[f64]) -> f64 {
    let num: f64 = values.iter().zip(weights).map(|(v, w)| v * w).sum();
    num / weights.iter().sum::<f64>()
}

/// Start, duration, distance, median cadence and the laps of one TCX file, from the text.
struct TcxTruth {
    start: f64,
    end: f64,
    distance_m: f64,
    cadence_raw: Vec<f64>,
    lap_time_s: Vec<f64>,
    lap_distance_m: Vec<f64>,
    lap_hr: Vec<f64>,
    lap_cadence_raw: Vec<f64>,
}

fn tcx_truth(xml: &str) -> TcxTruth {
    let points = blocks(xml, "<Trackpoint>", "</Trackpoint>");
    let times: Vec<f64> = points.iter().map(|p| unix(&texts(p, "Time")[0])).collect();
    let cadence_raw: Vec<f64> = points.iter().flat_map(|p| nums(p, "RunCadence")).collect();
    let laps = blocks(xml, "<Lap ", "</Lap>");
    // The lap's own figures come before its <Track>; its LX extension after it.
    let head = |l: &&str| l[..l.find("<Track>").unwrap()].to_string();
    let tail = |l: &&str| l[l.find("</Track>").unwrap()..].to_string();
    let lap_cadence_raw: Vec<f64> = laps
        .iter()
        .map(|l| {
            nums(&tail(l), "AvgRunCadence")
                .first()
                .or(nums(&head(l), "Cadence").first())
                .copied()
                .unwrap_or(f64::NAN)
        })
        .collect();
    let distances: Vec<f64> = points
        .iter()
        .flat_map(|p| nums(p, "DistanceMeters"))
        .collect();
    TcxTruth {
        start: times[0],
        end: *times.last().unwrap(),
        distance_m: distances[distances.len() - 1] - distances[0],
        cadence_raw,
        lap_time_s: laps
            .iter()
            .map(|l| nums(&head(l), "TotalTimeSeconds")[0])
            .collect(),
        lap_distance_m: laps
            .iter()
            .map(|l| nums(&head(l), "DistanceMeters")[0])
            .collect(),
        lap_hr: laps
            .iter()
            .map(|l| {
                nums(
                    blocks(&head(l), "<AverageHeartRateBpm>", "</AverageHeartRateBpm>")[0],
                    "Value",
                )[0]
            })
            .collect(),
        lap_cadence_raw,
    }
}

#[test]
fn tcx_exports_agree_with_an_independent_reading() {
    let Some(dir) = common::shared_data("formats/tcx") else {
        return;
    };
    for name in [
        "garmin-connect-fr945-run.tcx",
        "suunto-movescount-run.tcx",
        "forerunner410-run-no-cadence.tcx",
    ] {
        let path = dir.join(name);
        let xml = std::fs::read_to_string(&path).unwrap();
        let truth = tcx_truth(&xml);
        let rec = read(&path);
        assert_eq!(rec.format, "tcx");
        assert_eq!(rec.start_unix_s, Some(truth.start), "{name}: start");
        let duration = rec.series.time_s.last().unwrap();
        assert!(
            (duration - (truth.end - truth.start)).abs() < 1e-6,
            "{name}: duration"
        );
        let m = summarize(&rec).unwrap();
        let d = m.distance_m.unwrap();
        assert!(
            (d - truth.distance_m).abs() < 1.0,
            "{name}: distance {d} vs {}",
            truth.distance_m
        );
        let s = &rec.sessions[0];
        assert_eq!(s.sport, "running");
        let lap_sum: f64 = truth.lap_distance_m.iter().sum();
        assert!(
            (s.distance_m.unwrap() - lap_sum).abs() < 1e-6,
            "{name}: lap distance"
        );
        let timer: f64 = truth.lap_time_s.iter().sum();
        assert!(
            (s.timer_time_s.unwrap() - timer).abs() < 1e-6,
            "{name}: lap time"
        );
        let hr = weighted(&truth.lap_hr, &truth.lap_time_s);
        assert!(
            (s.device_averages.heart_rate_bpm.unwrap() - hr).abs() < 1e-6,
            "{name}: lap HR"
        );
        if truth.cadence_raw.is_empty() {
            assert!(!rec.series.has(Channel::CadenceSpm), "{name}");
            assert_eq!(s.device_averages.cadence_spm, None, "{name}");
            continue;
        }
        // Both exports write strides/min (one foot): steps are twice the values.
        let cad = rec.series.get(Channel::CadenceSpm).unwrap();
        let ours = median_positive(cad);
        let theirs = 2.0 * median_positive(&truth.cadence_raw);
        assert!(
            (ours - theirs).abs() <= 1.0,
            "{name}: median cadence {ours} vs {theirs}"
        );
        let lap_cad = 2.0 * weighted(&truth.lap_cadence_raw, &truth.lap_time_s);
        let dev = s.device_averages.cadence_spm.unwrap();
        assert!(
            (dev - lap_cad).abs() < 1e-6,
            "{name}: lap cadence {dev} vs {lap_cad}"
        );
    }
}

/// Great-circle distance by the spherical law of cosines (not the haversine the reader
/// uses), m.
fn cosine_law_m(a: (f64, f64), b: (f64, f64)) -> f64 {
    let (p1, p2) = (a.0.to_radians(), b.0.to_radians());
    let dl = (b.1 - a.1).to_radians();
    let c = (p1.sin() * p2.sin() + p1.cos() * p2.cos() * dl.cos()).clamp(-1.0, 1.0);
    6_371_008.8 * c.acos()
}

fn attr_num(tag: &str, key: &str) -> f64 {
    let k = tag.find(&format!("{key}=\"")).unwrap() + key.len() + 2;
    let end = tag[k..].find('"').unwrap();
    tag[k..k + end].parse().unwrap()
}

#[test]
fn gpx_exports_agree_with_an_independent_reading() {
    let Some(dir) = common::shared_data("formats/gpx") else {
        return;
    };
    for name in ["garmin-connect-run.gpx", "strava-android-run.gpx"] {
        let path = dir.join(name);
        let xml = std::fs::read_to_string(&path).unwrap();
        let points = blocks(&xml, "<trkpt ", "</trkpt>");
        let times: Vec<f64> = points.iter().map(|p| unix(&texts(p, "time")[0])).collect();
        let pos: Vec<(f64, f64)> = points
            .iter()
            .map(|p| (attr_num(p, "lat"), attr_num(p, "lon")))
            .collect();
        let cad: Vec<f64> = points.iter().flat_map(|p| nums(p, "cad")).collect();
        let hr: Vec<f64> = points.iter().flat_map(|p| nums(p, "hr")).collect();
        let rec = read(&path);
        assert_eq!(rec.format, "gpx");
        assert_eq!(rec.start_unix_s, Some(times[0]), "{name}: start");
        assert_eq!(rec.series.len(), points.len(), "{name}: points");
        let duration = rec.series.time_s.last().unwrap();
        assert!((duration - (times[times.len() - 1] - times[0])).abs() < 1e-6);
        let truth_m: f64 = pos.windows(2).map(|w| cosine_law_m(w[0], w[1])).sum();
        let d = rec.series.get(Channel::DistanceM).unwrap();
        let ours = d[d.len() - 1];
        assert!(
            (ours - truth_m).abs() < 1e-3 * truth_m,
            "{name}: distance {ours} vs {truth_m}"
        );
        let m = summarize(&rec).unwrap();
        assert!((m.distance_m.unwrap() - truth_m).abs() < 1e-3 * truth_m);
        assert!(
            rec.warnings
                .iter()
                .any(|w| w.code.name() == "speed_derived")
        );
        // Garmin's and Strava's `cad` is strides/min.
        let ours = median_positive(rec.series.get(Channel::CadenceSpm).unwrap());
        let theirs = 2.0 * median_positive(&cad);
        assert!(
            (ours - theirs).abs() <= 1.0,
            "{name}: cadence {ours} vs {theirs}"
        );
        let ours_hr = median_positive(rec.series.get(Channel::HeartRateBpm).unwrap());
        assert_eq!(ours_hr, median_positive(&hr), "{name}: heart rate");
        assert_eq!(rec.sessions[0].sport, "running", "{name}: <type>");
    }
}

/// Hand-written TCX shapes: a default-namespace `TPX`, an unusual prefix, BOM and blank
/// lines before `<?xml`, offsets, and the CLI naming which of several activities it read.
#[test]
fn tcx_shapes_through_the_cli() {
    let dir = tempfile::tempdir().unwrap();
    let point = |t: u32, ext: &str| {
        format!(
            "<Trackpoint><Time>2025-03-09T07:{:02}:{:02}-05:00</Time><DistanceMeters>{}</DistanceMeters><Extensions>{ext}</Extensions></Trackpoint>",
            t / 60,
            t % 60,
            3.2 * f64::from(t)
        )
    };
    let activity = |sport: &str, ext: &dyn Fn(u32) -> String| {
        let pts: String = (0..600).map(|t| point(t, &ext(t))).collect();
        format!(
            "<Activity Sport=\"{sport}\"><Lap StartTime=\"2025-03-09T07:00:00-05:00\"><TotalTimeSeconds>600</TotalTimeSeconds><DistanceMeters>1917</DistanceMeters><Track>{pts}</Track></Lap></Activity>"
        )
    };
    let default_ns = |_t| {
        "<TPX xmlns=\"http://www.garmin.com/xmlschemas/ActivityExtension/v2\"><RunCadence>86</RunCadence></TPX>".to_string()
    };
    let odd_prefix = |_t| {
        "<q9:TPX xmlns:q9=\"http://www.garmin.com/xmlschemas/ActivityExtension/v2\"><q9:Speed>3.2</q9:Speed><q9:RunCadence>172</q9:RunCadence></q9:TPX>".to_string()
    };
    let doc = format!(
        "\u{feff}\n\n  <?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<TrainingCenterDatabase xmlns=\"http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2\"><Activities>{}{}</Activities></TrainingCenterDatabase>",
        activity("Other", &default_ns),
        activity("Running", &odd_prefix)
    );
    let path = dir.path().join("two.tcx");
    std::fs::write(&path, doc).unwrap();
    let out = common::gg()
        .args(["analyze", "--json", "-", "--quiet"])
        .arg(&path)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let j: serde_json::Value = serde_json::from_slice(&out).unwrap();
    let text = j.to_string();
    // The running activity (the second) was read: steps already, speed from the file.
    assert!(text.contains("activity 2 was analysed"), "{text}");
    let med = j["metrics"]["cadence_spm"]["median"].as_f64().unwrap();
    assert_eq!(med, 172.0);
    // Read alone, the first ("Other", strides under a default namespace) is doubled, its
    // speed derived from the distance, and the sport stated.
    let rec = gaitguard::ingest::read_recording(
        &path,
        &IngestOptions {
            activity: gaitguard::ingest::tcx::Pick::Index(0),
            ..IngestOptions::default()
        },
    )
    .unwrap();
    assert_eq!(
        median_positive(rec.series.get(Channel::CadenceSpm).unwrap()),
        172.0
    );
    assert_eq!(rec.utc_offset_s, Some(-5 * 3600));
    let v = rec.series.get(Channel::SpeedMps).unwrap();
    assert!(v.iter().all(|s| (s - 3.2).abs() < 1e-9));
    let codes: Vec<&str> = rec.warnings.iter().map(|w| w.code.name()).collect();
    assert!(
        codes.contains(&"sport_declared") && codes.contains(&"speed_derived"),
        "{codes:?}"
    );
}

#[test]
fn a_planned_route_and_broken_xml_are_clear_errors() {
    let dir = tempfile::tempdir().unwrap();
    let route = dir.path().join("plan.gpx");
    std::fs::write(
        &route,
        "<?xml version=\"1.0\"?><gpx version=\"1.1\"><trk><trkseg><trkpt lat=\"1\" lon=\"2\"><ele>3</ele></trkpt><trkpt lat=\"1.1\" lon=\"2\"/></trkseg></trk></gpx>",
    )
    .unwrap();
    let err = common::gg()
        .arg("analyze")
        .arg(&route)
        .assert()
        .code(1)
        .get_output()
        .stderr
        .clone();
    let err = String::from_utf8_lossy(&err);
    assert!(
        err.contains("plan.gpx") && err.contains("planned route"),
        "{err}"
    );
    let broken = dir.path().join("cut.tcx");
    std::fs::write(
        &broken,
        "<?xml version=\"1.0\"?>\n<TrainingCenterDatabase>\n<Activities><Activity Sport=\"Running\">\n<Lap><Track><Trackpoint><Time>2020-01-01T00:00:00Z</Time>",
    )
    .unwrap();
    let err = common::gg()
        .arg("analyze")
        .arg(&broken)
        .assert()
        .code(1)
        .get_output()
        .stderr
        .clone();
    let err = String::from_utf8_lossy(&err);
    assert!(
        err.contains("cut.tcx: line 4") && err.contains("cut short"),
        "{err}"
    );
    let other = dir.path().join("feed.xml");
    std::fs::write(&other, "<rss><channel/></rss>").unwrap();
    let err = common::gg()
        .arg("analyze")
        .arg(&other)
        .assert()
        .code(1)
        .get_output()
        .stderr
        .clone();
    assert!(String::from_utf8_lossy(&err).contains("root element is <rss>"));
}

// ---- gzip and zip ------------------------------------------------------------------------

use std::io::Write as _;

fn gz(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

/// A zip of `entries` (deflated), written to `path`.
fn zip_of(path: &Path, entries: &[(&str, Vec<u8>)]) {
    let mut w = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, data) in entries {
        w.start_file(*name, opts).unwrap();
        w.write_all(data).unwrap();
    }
    w.finish().unwrap();
}

fn sample(name: &str) -> Vec<u8> {
    std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("samples")
            .join(name),
    )
    .unwrap()
}

/// A CSV that compresses about 1000-fold: a compression bomb once past 16 MiB.
fn csv_bomb() -> Vec<u8> {
    let mut v = b"time,cadence,speed\n".to_vec();
    v.extend(b"1,170,3\n".repeat(6 << 20));
    v
}

fn stderr_of(args: &[&std::ffi::OsStr]) -> String {
    let out = common::gg()
        .args(args)
        .assert()
        .code(1)
        .get_output()
        .clone();
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// The block JSON of `input` (exit 0, or 1 when some file failed).
fn block_json(input: &Path) -> serde_json::Value {
    let out = common::gg()
        .args(["block", "--json", "-", "--quiet"])
        .arg(input)
        .output()
        .unwrap();
    assert!(matches!(out.status.code(), Some(0) | Some(1)), "{out:?}");
    serde_json::from_slice(&out.stdout).unwrap()
}

fn listed(j: &serde_json::Value, key: &str, field: &str) -> Vec<(String, String)> {
    j[key]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| {
            (
                x["file"].as_str().unwrap().to_string(),
                x[field].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn gzip_is_read_by_its_content_and_hostile_gzip_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let fit = sample("simulated-run-40min.fit");
    let plain =
        read(&Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/simulated-run-40min.fit"));
    // Named without .gz: the magic bytes decide.
    let z = dir.path().join("run.bin");
    std::fs::write(&z, gz(&fit)).unwrap();
    let rec = read(&z);
    assert_eq!(rec.format, "fit");
    assert_eq!(rec.start_unix_s, plain.start_unix_s);
    assert_eq!(rec.series.len(), plain.series.len());
    // Cut short: a clear error, exit 1.
    let whole = gz(&fit);
    let cut = dir.path().join("cut.fit.gz");
    std::fs::write(&cut, &whole[..whole.len() / 2]).unwrap();
    let err = stderr_of(&["analyze".as_ref(), cut.as_os_str()]);
    assert!(
        err.contains("cut.fit.gz: the gzip stream ends early"),
        "{err}"
    );
    // A bomb: refused with the cap in the message, long before its 48 MiB.
    let bomb = dir.path().join("bomb.csv.gz");
    std::fs::write(&bomb, gz(&csv_bomb())).unwrap();
    let err = stderr_of(&["analyze".as_ref(), bomb.as_os_str()]);
    assert!(
        err.contains("bomb.csv.gz:") && err.contains("compression bomb") && err.contains("100:1"),
        "{err}"
    );
    // gzip inside gzip.
    let twice = dir.path().join("twice.gz");
    std::fs::write(&twice, gz(&gz(&fit))).unwrap();
    let err = stderr_of(&["analyze".as_ref(), twice.as_os_str()]);
    assert!(err.contains("gzip stream inside a gzip stream"), "{err}");
}

#[test]
fn the_real_gzipped_ride_is_stated_not_analysed_as_a_run() {
    let Some(dir) = common::shared_data("formats/containers") else {
        return;
    };
    let ride = dir.join("cycling-ride-14582164182.fit.gz");
    let err = stderr_of(&["analyze".as_ref(), ride.as_os_str()]);
    assert!(
        err.contains("no running or walking session") && err.contains("cycling"),
        "{err}"
    );
}

/// A Strava-style bulk export built from the real files: runs analysed (gzipped TCX, GPX),
/// the ride listed with its type, the manual entry a summary session, nothing else analysed.
#[test]
fn a_strava_bulk_export_is_read_in_place() {
    let Some(formats) = common::shared_data("formats") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let tcx = std::fs::read(formats.join("tcx/suunto-movescount-run.tcx")).unwrap();
    let gpx = std::fs::read(formats.join("gpx/strava-android-run.gpx")).unwrap();
    let ride = std::fs::read(formats.join("containers/cycling-ride-14582164182.fit.gz")).unwrap();
    let csv = "Activity ID,Activity Date,Activity Name,Activity Type,Elapsed Time,Distance,Filename,Distance\n\
        11,\"Feb 23, 2018, 4:55:43 PM\",Lunch Run,Run,908,2.9,activities/101.tcx.gz,2910\n\
        12,\"Mar 19, 2017, 4:49:30 PM\",Run avec Nico,Run,1960,4.6,activities/102.gpx,4590\n\
        13,\"Jan 1, 2021, 1:00:00 PM\",Sunday Ride,Ride,3600,30,activities/103.fit.gz,30000\n\
        14,\"Jan 2, 2021, 1:00:00 PM\",Treadmill,Run,1800,5,,5000\n";
    let export = dir.path().join("export_12345.zip");
    zip_of(
        &export,
        &[
            ("activities.csv", csv.as_bytes().to_vec()),
            ("activities/101.tcx.gz", gz(&tcx)),
            ("activities/102.gpx", gpx),
            ("activities/103.fit.gz", ride),
            ("profile.csv", b"Email,First Name\nx@y,Z\n".to_vec()),
            ("media/1.jpg", vec![0xFF, 0xD8, 0xFF]),
        ],
    );
    let j = block_json(&export);
    let files: Vec<&str> = j["sessions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["file"].as_str().unwrap())
        .collect();
    let e = export.display().to_string();
    // The runs with a file, and the manual treadmill entry as a summary session (a
    // training-log row: totals only, counted in the load).
    assert_eq!(
        files,
        [
            format!("{e}/activities/102.gpx"),
            format!("{e}/activities/101.tcx.gz"),
            format!("{e}/activities.csv/line-5")
        ]
    );
    assert!(
        j["failures"].as_array().unwrap().is_empty(),
        "{}",
        j["failures"]
    );
    let skipped = listed(&j, "skipped", "reason");
    let reason = |f: &str| {
        skipped
            .iter()
            .find(|(file, _)| file.as_str() == f)
            .map(|(_, r)| r.clone())
            .unwrap_or_else(|| panic!("{f} not skipped: {skipped:?}"))
    };
    assert!(reason(&format!("{e}/activities/103.fit.gz")).starts_with("a Ride ('Sunday Ride'"));
    let manual = &j["sessions"][2];
    assert_eq!(manual["format"], "strava-activities");
    assert_eq!(manual["distance_m"], 5000.0);
    assert_eq!(manual["running_time_s"], 1800.0);
    assert!(reason(&e).starts_with("2 other entries"));
    // Nothing was extracted beside the archive.
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}

/// Garmin's export: zips of FIT files inside the zip (one level), read in place; deeper
/// nesting refused while the rest goes on; `analyze` of a one-activity zip.
#[test]
fn nested_zips_one_level_deep() {
    let dir = tempfile::tempdir().unwrap();
    let fit = sample("simulated-run-40min.fit");
    let inner = dir.path().join("inner.zip");
    zip_of(&inner, &[("12345_ACTIVITY.fit", fit.clone())]);
    let deeper = dir.path().join("deeper.zip");
    zip_of(&deeper, &[("x.zip", std::fs::read(&inner).unwrap())]);
    let export = dir.path().join("garmin.zip");
    zip_of(
        &export,
        &[
            (
                "DI_CONNECT/DI-Connect-Fitness/x_summarizedActivities.json",
                b"[]".to_vec(),
            ),
            (
                "DI_CONNECT/DI-Connect-Uploaded-Files/UploadedFiles_0.zip",
                std::fs::read(&inner).unwrap(),
            ),
            ("nest/deeper.zip", std::fs::read(&deeper).unwrap()),
        ],
    );
    std::fs::remove_file(&inner).unwrap();
    std::fs::remove_file(&deeper).unwrap();
    let j = block_json(&export);
    let e = export.display().to_string();
    assert_eq!(
        j["sessions"][0]["file"],
        format!("{e}/DI_CONNECT/DI-Connect-Uploaded-Files/UploadedFiles_0.zip/12345_ACTIVITY.fit")
    );
    let failures = listed(&j, "failures", "error");
    assert_eq!(failures.len(), 1, "{failures:?}");
    assert_eq!(failures[0].0, format!("{e}/nest/deeper.zip/x.zip"));
    assert!(failures[0].1.contains("one level of nesting"));
    // The nested entry is also a path `analyze` takes.
    let one = &j["sessions"][0]["file"];
    common::gg()
        .args(["analyze", "--quiet", one.as_str().unwrap()])
        .assert()
        .success();
    let single = dir.path().join("one.zip");
    zip_of(&single, &[("run.fit", fit)]);
    let out = common::gg()
        .arg("analyze")
        .arg(&single)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    assert!(String::from_utf8_lossy(&out).contains("one.zip/run.fit"));
}

/// Entries that escape the archive, encrypted entries, bombs and malformed XML: each a
/// failure naming the archive and the entry, the rest of the archive analysed, nothing
/// written; `analyze` of such an archive exits 1 with the same message.
#[test]
fn hostile_zip_entries_are_refused_by_name_and_the_rest_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let work = dir.path().join("work");
    std::fs::create_dir(&work).unwrap();
    let fit = sample("simulated-run-40min.fit");
    let gpx_bad = b"<?xml version=\"1.0\"?>\n<gpx>\n<trk><trkseg>\n<trkpt lat=\"1\" lon=\"2\"><time>2020-01-01T00:00:00Z</time></trkpt>\n</trk>\n".to_vec();
    let export = work.join("hostile.zip");
    zip_of(
        &export,
        &[
            ("good/run.fit", fit.clone()),
            ("../escape.fit", fit.clone()),
            ("/abs/run.fit", fit.clone()),
            ("locked.fit", fit.clone()),
            ("bomb.csv", csv_bomb()),
            ("broken.gpx", gpx_bad),
        ],
    );
    set_encrypted(&export, "locked.fit");
    let before: Vec<_> = walk(dir.path());
    let j = block_json(&export);
    assert_eq!(j["sessions"].as_array().unwrap().len(), 1);
    let e = export.display().to_string();
    let failures = listed(&j, "failures", "error");
    let error_of = |f: &str| {
        failures
            .iter()
            .find(|(file, _)| file == f)
            .map(|(_, r)| r.clone())
            .unwrap_or_else(|| panic!("{f} not a failure: {failures:?}"))
    };
    assert!(error_of(&format!("{e}/../escape.fit")).contains("'..'"));
    assert!(error_of(&format!("{e}//abs/run.fit")).contains("absolute path"));
    assert!(error_of(&format!("{e}/locked.fit")).contains("encrypted"));
    let bomb = error_of(&format!("{e}/bomb.csv"));
    assert!(
        bomb.contains("compression bomb") && bomb.contains("100:1"),
        "{bomb}"
    );
    let xml = error_of(&format!("{e}/broken.gpx"));
    assert!(
        xml.starts_with("line 6: malformed XML") || xml.contains("line"),
        "{xml}"
    );
    assert_eq!(failures.len(), 5, "{failures:?}");
    assert_eq!(
        walk(dir.path()),
        before,
        "block wrote or extracted something"
    );
    // analyze: one archive, one bad entry → exit 1 naming archive and entry.
    for (name, data, expect) in [
        ("bomb.zip", csv_bomb(), "compression bomb"),
        ("esc.zip", fit.clone(), "'..'"),
    ] {
        let z = work.join(name);
        let entry = if name == "esc.zip" {
            "../x.fit"
        } else {
            "big.csv"
        };
        zip_of(&z, &[(entry, data)]);
        let err = stderr_of(&["analyze".as_ref(), z.as_os_str()]);
        assert!(
            err.contains(&format!("{}/{entry}", z.display())) && err.contains(expect),
            "{err}"
        );
    }
    // A zip cut short is not an archive gaitguard can read.
    let bytes = std::fs::read(&export).unwrap();
    let cut = work.join("cut.zip");
    std::fs::write(&cut, &bytes[..bytes.len() / 2]).unwrap();
    let err = stderr_of(&["analyze".as_ref(), cut.as_os_str()]);
    assert!(err.contains("cut.zip: not a readable zip archive"), "{err}");
    let j = block_json(&cut);
    assert!(
        listed(&j, "failures", "error")[0]
            .1
            .contains("not a readable zip archive")
    );
}

/// Every file under `dir`, sorted.
fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        }
        out.push(p);
    }
    out.sort();
    out
}

/// Set the "encrypted" flag (general purpose bit 0) of entry `name` in both its local and
/// central headers, as a password-protected archive has it.
fn set_encrypted(zip_path: &Path, name: &str) {
    let mut b = std::fs::read(zip_path).unwrap();
    let n = name.as_bytes();
    for (sig, flags_at, name_at) in [(b"PK\x03\x04", 6usize, 30usize), (b"PK\x01\x02", 8, 46)] {
        let mut i = 0;
        while i + name_at + n.len() <= b.len() {
            if &b[i..i + 4] == sig && &b[i + name_at..i + name_at + n.len()] == n {
                b[i + flags_at] |= 1;
            }
            i += 1;
        }
    }
    std::fs::write(zip_path, b).unwrap();
}

/// A TCX with two runs is two sessions of a block.
#[test]
fn each_activity_of_a_tcx_is_a_block_session() {
    let dir = tempfile::tempdir().unwrap();
    let activity = |day: u32| {
        let pts: String = (0..900)
            .map(|t| {
                format!(
                    "<Trackpoint><Time>2025-03-{day:02}T07:{:02}:{:02}Z</Time><DistanceMeters>{}</DistanceMeters><Extensions><TPX><RunCadence>85</RunCadence></TPX></Extensions></Trackpoint>",
                    t / 60,
                    t % 60,
                    3.0 * f64::from(t)
                )
            })
            .collect();
        format!("<Activity Sport=\"Running\"><Lap><Track>{pts}</Track></Lap></Activity>")
    };
    let path = dir.path().join("week.tcx");
    let doc = format!(
        "<TrainingCenterDatabase><Activities>{}{}</Activities></TrainingCenterDatabase>",
        activity(3),
        activity(5)
    );
    std::fs::write(&path, &doc).unwrap();
    let j = block_json(dir.path());
    let files: Vec<&str> = j["sessions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["file"].as_str().unwrap())
        .collect();
    let p = path.display().to_string();
    assert_eq!(
        files,
        [format!("{p}/activity-1"), format!("{p}/activity-2")]
    );
    let starts: Vec<&str> = j["sessions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["start_time"].as_str().unwrap())
        .collect();
    assert_eq!(starts, ["2025-03-03T07:00:00Z", "2025-03-05T07:00:00Z"]);
    // The same file gzipped inside an archive.
    let other = tempfile::tempdir().unwrap();
    let z = other.path().join("x.zip");
    zip_of(&z, &[("a/week.tcx.gz", gz(doc.as_bytes()))]);
    let j = block_json(&z);
    let files: Vec<&str> = j["sessions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["file"].as_str().unwrap())
        .collect();
    let e = z.display().to_string();
    assert_eq!(
        files,
        [
            format!("{e}/a/week.tcx.gz/activity-1"),
            format!("{e}/a/week.tcx.gz/activity-2")
        ]
    );
}

/// A Polar Flow session CSV in the documented shape (summary header and values, then the
/// per-second table, every line ending in a comma), through the CLI: start from the summary,
/// strides doubled, the summary's averages as the watch's.
#[test]
fn polar_flow_csv_through_the_cli() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = String::from(
        "Name,Sport,Date,Start time,Duration,Total distance (km),Average heart rate (bpm),Average speed (km/h),Average cadence (rpm),Average stride length (cm),Ascent (m),Descent (m),\n\
         A B,RUNNING,02-11-2026,07:05:00,00:20:00,3.60,151,10.80,86,105,20,19,\n\
         Sample rate,Time,HR (bpm),Speed (km/h),Pace (min/km),Cadence,Altitude (m),Stride length (m),Distances (m),Temperatures (C),\n",
    );
    for t in 0..1200u32 {
        s.push_str(&format!(
            "{},{:02}:{:02}:{:02},{},10.80,05:33,{},{},1.05,{},18,\n",
            if t == 0 { "1" } else { "" },
            t / 3600,
            (t / 60) % 60,
            t % 60,
            145 + t % 12,
            85 + t % 3,
            100 + t % 9,
            3 * t
        ));
    }
    let path = dir.path().join("polar.csv");
    std::fs::write(&path, s).unwrap();
    let out = common::gg()
        .args(["analyze", "--json", "-", "--quiet"])
        .arg(&path)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let j: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(j["format"], "polar-csv");
    assert_eq!(j["start_time"], "2026-11-02T07:05:00Z");
    assert_eq!(j["metrics"]["cadence_spm"]["median"].as_f64(), Some(172.0));
    let d = j["distance_m"].as_f64().unwrap();
    assert!((d - 3597.0).abs() < 1e-6, "{d}");
    let watch = &j["sessions"][0];
    assert_eq!(watch["sport"], "running");
    let text = watch.to_string();
    assert!(text.contains("\"cadence_spm\":172.0"), "{text}");
    assert!(text.contains("\"distance_m\":3600.0"), "{text}");
}

/// The same run as FIT and as TCX (written here from the FIT's records) in one folder is
/// analysed once, the FIT kept: dedupe works across formats.
#[test]
fn the_same_run_as_fit_and_tcx_counts_once() {
    let dir = tempfile::tempdir().unwrap();
    let fit_path = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/simulated-run-40min.fit");
    let rec = read(&fit_path);
    let t0 = rec.start_unix_s.unwrap();
    let s = &rec.series;
    let col = |c: Channel| s.get(c).unwrap().to_vec();
    let (cad, speed, dist) = (
        col(Channel::CadenceSpm),
        col(Channel::SpeedMps),
        col(Channel::DistanceM),
    );
    let mut tcx = String::from(
        "<?xml version=\"1.0\"?><TrainingCenterDatabase xmlns=\"http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2\" xmlns:ns3=\"http://www.garmin.com/xmlschemas/ActivityExtension/v2\"><Activities><Activity Sport=\"Running\"><Lap><Track>",
    );
    for i in 0..s.len() {
        let time = chrono::DateTime::from_timestamp((t0 + s.time_s[i]) as i64, 0).unwrap();
        tcx.push_str(&format!(
            "<Trackpoint><Time>{}</Time><DistanceMeters>{}</DistanceMeters><Extensions><ns3:TPX><ns3:Speed>{}</ns3:Speed><ns3:RunCadence>{}</ns3:RunCadence></ns3:TPX></Extensions></Trackpoint>",
            time.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            dist[i],
            speed[i],
            (cad[i] / 2.0).round()
        ));
    }
    tcx.push_str("</Track></Lap></Activity></Activities></TrainingCenterDatabase>");
    std::fs::write(dir.path().join("run.tcx"), tcx).unwrap();
    std::fs::copy(&fit_path, dir.path().join("run.fit")).unwrap();
    let j = block_json(dir.path());
    let sessions = j["sessions"].as_array().unwrap();
    assert_eq!(sessions.len(), 1);
    assert!(sessions[0]["file"].as_str().unwrap().ends_with("run.fit"));
    let skipped = listed(&j, "skipped", "reason");
    assert!(
        skipped
            .iter()
            .any(|(f, r)| f.ends_with("run.tcx") && r.starts_with("the same activity as")),
        "{skipped:?}"
    );
}
