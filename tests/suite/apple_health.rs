//! Apple Health exports (`export.xml`, `export.zip`): the synthetic export of
//! `gaitguard::simulate::apple_health` (no real public export exists), read back and compared
//! with the simulated runs it was written from: start, duration, distance, cadence, contact
//! time, the workout's own averages; the zip read in place; hostile documents refused.

use crate::common::gg;
use gaitguard::simulate::SimulatedRun;
use gaitguard::simulate::apple_health::{HealthPlan, write_export};
use serde_json::Value;
use std::io::Write;
use std::path::{Path, PathBuf};

/// A 14-day export (7 runs, 2 rides) written into `dir`; its plan.
fn export_in(dir: &Path) -> (PathBuf, HealthPlan) {
    let plan = HealthPlan::standard(14);
    let p = dir.join("export.xml");
    let mut f = std::io::BufWriter::new(std::fs::File::create(&p).unwrap());
    write_export(&mut f, &plan).unwrap();
    f.flush().unwrap();
    (p, plan)
}

/// The route file of `run` as the Health app writes it (`creator="Apple Health Export"`,
/// un-namespaced speed), on a made-up straight line that climbs 20 m; its name as the
/// workout's `FileReference` gives it.
fn route_of(run: &SimulatedRun, plan: &HealthPlan) -> (String, String) {
    let local = run.start_unix_s as i64 + plan.utc_offset_s;
    let stamp = chrono::DateTime::from_timestamp(local, 0)
        .unwrap()
        .format("%Y-%m-%d_%H_%M_%S__0200")
        .to_string();
    let mut gpx = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<gpx version=\"1.1\" creator=\"Apple Health Export\" xmlns=\"http://www.topografix.com/GPX/1/1\">\n<trk><trkseg>\n",
    );
    for (k, r) in run.records.iter().enumerate().step_by(2) {
        let t = gaitguard::time::rfc3339(run.start_unix_s + r.t_s).unwrap();
        gpx.push_str(&format!(
            "<trkpt lon=\"{:.6}\" lat=\"{:.6}\"><ele>{:.1}</ele><time>{t}</time><extensions><speed>{:.2}</speed><course>90</course><hAcc>3</hAcc><vAcc>2</vAcc></extensions></trkpt>\n",
            10.0 + r.distance_m / 68_000.0,
            50.0,
            100.0 + 20.0 * k as f64 / run.records.len() as f64,
            r.speed_mps
        ));
    }
    gpx.push_str("</trkseg></trk>\n</gpx>\n");
    (
        format!("apple_health_export/workout-routes/route_{stamp}.gpx"),
        gpx,
    )
}

/// The same document inside `export.zip` as the Health app writes it, with the latest run's
/// route file and the clinical copy beside it.
fn zipped(xml: &Path, dir: &Path) -> PathBuf {
    let plan = HealthPlan::standard(14);
    let (route_name, route) = route_of(plan.runs().last().unwrap(), &plan);
    let p = dir.join("export.zip");
    let mut z = zip::ZipWriter::new(std::fs::File::create(&p).unwrap());
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    z.start_file("apple_health_export/export_cda.xml", opts)
        .unwrap();
    z.write_all(b"<ClinicalDocument/>").unwrap();
    z.start_file(route_name, opts).unwrap();
    z.write_all(route.as_bytes()).unwrap();
    z.start_file("apple_health_export/export.xml", opts)
        .unwrap();
    z.write_all(&std::fs::read(xml).unwrap()).unwrap();
    z.finish().unwrap();
    p
}

fn json(args: &[&str]) -> (Value, i32, String) {
    let out = gg().args(args).args(["--json", "-"]).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    let v = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    (v, out.status.code().unwrap_or(-1), err)
}

fn median(mut v: Vec<f64>) -> f64 {
    crate::common::med(std::mem::take(&mut v))
}

/// Local date of a run (the plan's offset).
fn local_date(r: &SimulatedRun, plan: &HealthPlan) -> String {
    gaitguard::time::local_date(r.start_unix_s, plan.utc_offset_s)
        .unwrap()
        .to_string()
}

#[test]
fn a_workout_reads_back_as_the_run_it_was_written_from() {
    let dir = tempfile::tempdir().unwrap();
    let (xml, plan) = export_in(dir.path());
    let runs = plan.runs();
    let run = &runs[2];
    let (doc, code, err) = json(&[
        "analyze",
        xml.to_str().unwrap(),
        "--workout",
        &local_date(run, &plan),
    ]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(doc["format"], "apple-health");
    assert_eq!(doc["placement"], "wrist");
    assert_eq!(
        doc["start_time"].as_str().unwrap(),
        gaitguard::time::rfc3339(run.start_unix_s).unwrap()
    );
    assert_eq!(doc["utc_offset_s"], plan.utc_offset_s);
    let n = run.records.len() as f64;
    // Within one record interval (the watch's samples are 5 s apart).
    let duration = doc["duration_s"].as_f64().unwrap();
    assert!((duration - n).abs() <= 5.0, "duration {duration} of {n}");
    // The 30 s pause in the middle is not running time.
    let running = doc["running_time_s"].as_f64().unwrap();
    assert!(
        (running - (n - 30.0)).abs() <= 10.0,
        "running {running} of {n}"
    );
    // Distance: the workout's own total as written (4 decimals of km), and the analysed
    // distance from the per-minute samples (the pause's records left out) within 1 %.
    let km = run.records.last().unwrap().distance_m / 1000.0;
    let session_km = doc["sessions"][0]["distance_m"].as_f64().unwrap() / 1000.0;
    assert!((session_km - km).abs() < 1e-3, "{session_km} vs {km}");
    let analysed_km = doc["distance_m"].as_f64().unwrap() / 1000.0;
    assert!(
        (analysed_km / km - 1.0).abs() < 0.01,
        "{analysed_km} vs {km}"
    );
    // Cadence from the per-minute step counts, against the run's own per-second cadence.
    let truth = median(run.records.iter().map(|r| r.cadence_spm).collect());
    let cad = doc["metrics"]["cadence_spm"]["median"].as_f64().unwrap();
    assert!((cad - truth).abs() <= 1.0, "cadence {cad} vs {truth}");
    // Contact time: the 5-second samples themselves.
    let truth = median(
        run.records
            .iter()
            .step_by(5)
            .map(|r| r.ground_contact_ms)
            .collect(),
    );
    let gct = doc["metrics"]["ground_contact_ms"]["median"]
        .as_f64()
        .unwrap();
    assert!((gct - truth).abs() <= 2.0, "contact {gct} vs {truth}");
    // The workout's own averages are the device's.
    let mean_hr = run.records.iter().map(|r| r.heart_rate_bpm).sum::<f64>() / n;
    let dev = &doc["sessions"][0]["device_averages"];
    assert!(
        (dev["heart_rate_bpm"].as_f64().unwrap() - mean_hr).abs() < 0.01,
        "{dev}"
    );
    let speed = run.records.iter().map(|r| r.speed_mps).sum::<f64>() / n;
    assert!((dev["speed_mps"].as_f64().unwrap() - speed).abs() < 0.001);
}

#[test]
fn the_zip_is_read_in_place_and_the_latest_run_is_the_default() {
    let dir = tempfile::tempdir().unwrap();
    let (xml, plan) = export_in(dir.path());
    let zip = zipped(&xml, dir.path());
    std::fs::remove_file(&xml).unwrap();
    let (doc, code, err) = json(&["analyze", zip.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let last = plan.runs().last().unwrap().start_unix_s;
    assert_eq!(
        doc["start_time"].as_str().unwrap(),
        gaitguard::time::rfc3339(last).unwrap()
    );
    let warned = doc["warnings"].as_array().unwrap().iter().any(|w| {
        w["message"]
            .as_str()
            .unwrap()
            .contains("7 running workouts; the latest")
    });
    assert!(warned, "{}", doc["warnings"]);
    // Its route is in the zip: positions and a 20 m climb.
    let climb = doc["elevation"]["gain_m"].as_f64();
    assert!(
        climb.is_some_and(|c| (c - 20.0).abs() < 3.0),
        "{}",
        doc["elevation"]
    );
    assert!(
        !doc["warnings"].to_string().contains("route"),
        "{}",
        doc["warnings"]
    );
    // Nothing was extracted beside the archive.
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["export.zip"]);
}

#[test]
fn a_date_without_a_run_names_the_dates_there_are() {
    let dir = tempfile::tempdir().unwrap();
    let (xml, _) = export_in(dir.path());
    // Day 1 (2026-06-02) is a rest day.
    let (_, code, err) = json(&["analyze", xml.to_str().unwrap(), "--workout", "2026-06-02"]);
    assert_eq!(code, 1);
    assert!(
        err.contains("no running workout on 2026-06-02") && err.contains("2026-06-13"),
        "{err}"
    );
    let (_, code, err) = json(&["analyze", xml.to_str().unwrap(), "--workout", "June 2"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("--workout"));
}

#[test]
fn hostile_documents_are_refused_with_the_line() {
    let dir = tempfile::tempdir().unwrap();
    let (xml, _) = export_in(dir.path());
    let text = std::fs::read_to_string(&xml).unwrap();
    // Cut short in the middle of the workouts.
    let cut = dir.path().join("cut.xml");
    let at = text.find("HKWorkoutActivityTypeRunning").unwrap() + 2000;
    std::fs::write(&cut, &text[..at]).unwrap();
    let (_, code, err) = json(&["analyze", cut.to_str().unwrap()]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("cut.xml") && err.contains("line"), "{err}");
    // A mismatched end tag.
    let bad = dir.path().join("bad.xml");
    std::fs::write(&bad, text.replacen("</Workout>", "</Workot>", 1)).unwrap();
    let (_, code, err) = json(&["analyze", bad.to_str().unwrap()]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("bad.xml") && err.contains("malformed XML"),
        "{err}"
    );
    // A billion-laughs DTD is declared, never expanded: the document reads (its entities
    // appear in no attribute gaitguard reads) and quickly.
    let mut laughs = String::from("<!DOCTYPE HealthData [\n<!ENTITY a \"lol\">\n");
    for k in 1..10 {
        laughs.push_str(&format!(
            "<!ENTITY {} \"{}\">\n",
            (b'a' + k) as char,
            format!("&{};", (b'a' + k - 1) as char).repeat(10)
        ));
    }
    laughs.push_str("]>\n");
    let lol = dir.path().join("lol.xml");
    let body = text.split_once("]>\n").unwrap().1;
    std::fs::write(
        &lol,
        format!(
            "<?xml version=\"1.0\"?>\n{laughs}{}",
            body.replacen("<Me ", "<Me note=\"&j;\" ", 1)
        ),
    )
    .unwrap();
    let (doc, code, err) = json(&["analyze", lol.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(doc["format"], "apple-health");
}

#[test]
fn block_reads_every_running_workout_once_and_lists_the_rides() {
    let dir = tempfile::tempdir().unwrap();
    let sub = dir.path().join("in");
    std::fs::create_dir(&sub).unwrap();
    let (xml, plan) = export_in(dir.path());
    zipped(&xml, &sub);
    // The watch's own FIT of the first run, beside the export: the same run, counted once.
    let runs = plan.runs();
    std::fs::write(
        sub.join("first-run.fit"),
        gaitguard::simulate::fit_writer::fit_bytes(&runs[0]),
    )
    .unwrap();
    let out = gg()
        .arg("block")
        .arg(&sub)
        .args(["--json", "-"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let sessions = v["sessions"].as_array().unwrap();
    assert_eq!(
        sessions.len(),
        7,
        "7 runs, the FIT and the workout of run 1 once"
    );
    for (s, r) in sessions.iter().zip(&runs) {
        assert_eq!(
            s["start_time"].as_str().unwrap(),
            gaitguard::time::rfc3339(r.start_unix_s).unwrap()
        );
    }
    let skipped = v["skipped"].as_array().unwrap();
    let rides = skipped
        .iter()
        .filter(|s| s["reason"].as_str().unwrap().starts_with("Cycling workout"))
        .count();
    assert_eq!(rides, 2, "{skipped:?}");
    assert!(
        skipped
            .iter()
            .any(|s| s["reason"].as_str().unwrap().contains("the same activity")),
        "{skipped:?}"
    );
}
