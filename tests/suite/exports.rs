//! App exports without a public sample, built here from the simulator's runs (known truth)
//! in the documented shapes: Suunto app JSON (DeviceLog and the SuuntoApp zip JSON).

use crate::common::gg;
use gaitguard::simulate::simulate_run;
use serde_json::{Value, json};

/// A Suunto DeviceLog of `run`: HR and cadence in hertz (cadence per leg, as a footpod
/// counts strides), temperature in kelvin, positions in radians, times with the +02:00
/// offset the watch writes.
fn device_log(run: &gaitguard::simulate::SimulatedRun) -> String {
    let samples: Vec<Value> = run
        .records
        .iter()
        .map(|r| {
            let local = run.start_unix_s as i64 + r.t_s as i64 + 7200;
            let t = chrono::DateTime::from_timestamp(local, 0)
                .unwrap()
                .format("%Y-%m-%dT%H:%M:%S.000+02:00")
                .to_string();
            json!({
                "TimeISO8601": t,
                "HR": r.heart_rate_bpm / 60.0,
                "Cadence": r.cadence_spm / 2.0 / 60.0,
                "Speed": r.speed_mps,
                "Distance": r.distance_m,
                "Altitude": r.altitude_m,
                "Temperature": r.temperature_c + 273.15,
                "Latitude": 0.9,
                "Longitude": 0.1 + r.distance_m / 6.4e6,
            })
        })
        .collect();
    json!({"DeviceLog": {
        "Header": {"Activity": "Running", "Duration": run.records.len() as f64,
                   "Distance": run.records.last().unwrap().distance_m,
                   "Device": {"Name": "Suunto 9"}},
        "Samples": samples
    }})
    .to_string()
}

#[test]
fn a_suunto_device_log_reads_back_as_its_run() {
    let run = simulate_run(1200.0, 4);
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("suunto.json");
    std::fs::write(&p, device_log(&run)).unwrap();
    let out = gg()
        .arg("analyze")
        .arg(&p)
        .args(["--json", "-"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["format"], "suunto-json");
    assert_eq!(doc["utc_offset_s"], 7200);
    assert_eq!(
        doc["start_time"].as_str().unwrap(),
        gaitguard::time::rfc3339(run.start_unix_s).unwrap()
    );
    // Strides per minute in hertz became steps per minute (the shared unit rule).
    let mut cad: Vec<f64> = run.records.iter().map(|r| r.cadence_spm).collect();
    let truth = crate::common::med(std::mem::take(&mut cad));
    let ours = doc["metrics"]["cadence_spm"]["median"].as_f64().unwrap();
    assert!((ours - truth).abs() <= 1.0, "cadence {ours} vs {truth}");
    let hr: Vec<f64> = run.records.iter().map(|r| r.heart_rate_bpm).collect();
    let hr_truth = crate::common::med(hr);
    let hr_ours = doc["metrics"]["heart_rate_bpm"]["median"].as_f64().unwrap();
    assert!((hr_ours - hr_truth).abs() <= 1.0);
    let t: Vec<f64> = run.records.iter().map(|r| r.temperature_c).collect();
    let t_ours = doc["metrics"]["temperature_c"]["median"].as_f64().unwrap();
    assert!((t_ours - crate::common::med(t)).abs() <= 0.1);
    let km = run.records.last().unwrap().distance_m;
    assert!((doc["distance_m"].as_f64().unwrap() / km - 1.0).abs() < 0.01);
}
