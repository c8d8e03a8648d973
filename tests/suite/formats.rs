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
                    &blocks(&head(l), "<AverageHeartRateBpm>", "</AverageHeartRateBpm>")[0]
                        .to_string(),
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
