//! Free-living wear (`gaitguard.wear/1`): a simulated trunk day (standing, two walks, a
//! 12-minute run, a bus ride) read as a stream, its bouts found, its run analysed as a
//! session; the wear steps table read back.

use crate::common::gg;
use arrow_array::{Array, Float64Array, Int32Array};
use gaitguard::report::columnar::SCHEMA_KEY;
use gaitguard::simulate::raw::{Phase, RawSimConfig, raw_csv, simulate_raw};
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use std::path::Path;

/// Run start and end in the simulated day, s.
const RUN: (f64, f64) = (780.0, 1500.0);
/// The bus ride, s.
const BUS: (f64, f64) = (1800.0, 2400.0);

/// A 45-min trunk recording at 100 Hz: stand 10 min, walk 3 min at 110 steps/min, run
/// 12 min, stand 15 min with a 10-min bus ride in it (seated vibration and sway), walk 2
/// min, stand 3 min.
fn day_csv(dir: &Path) -> std::path::PathBuf {
    let mut sim = simulate_raw(&RawSimConfig {
        phases: vec![
            Phase::Stand { duration_s: 600.0 },
            Phase::Walk {
                duration_s: 180.0,
                cadence_spm: 110.0,
            },
            Phase::Run {
                duration_s: RUN.1 - RUN.0,
                contact_s: 0.25,
                flight_s: 0.11,
                asymmetry_s: 0.0,
            },
            Phase::Stand { duration_s: 900.0 },
            Phase::Walk {
                duration_s: 120.0,
                cadence_spm: 105.0,
            },
            Phase::Stand { duration_s: 180.0 },
        ],
        rate_hz: 100.0,
        noise_g: 0.02,
        ..RawSimConfig::default()
    });
    let mut rng = gaitguard::rng::Rng::new(5);
    for i in 0..sim.time_s.len() {
        let t = sim.time_s[i];
        if (BUS.0..BUS.1).contains(&t) {
            let sway = 0.05 * (2.0 * std::f64::consts::PI * 0.7 * t).sin();
            for (k, ch) in sim.acc_g.iter_mut().enumerate() {
                ch[i] += 0.08 * rng.normal() + if k == 0 { sway } else { 0.0 };
            }
        }
    }
    let p = dir.join("day.csv");
    std::fs::write(&p, raw_csv(&sim)).unwrap();
    p
}

#[test]
fn a_day_of_wear_has_its_run_as_a_session_and_its_walks_and_no_bus() {
    let dir = tempfile::tempdir().unwrap();
    let csv = day_csv(dir.path());
    let json = dir.path().join("w.json");
    let steps = dir.path().join("s.parquet");
    let out = gg()
        .arg("analyze")
        .arg(&csv)
        .args(["--wear", "--json"])
        .arg(&json)
        .arg("--steps")
        .arg(&steps)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let term = String::from_utf8(out.stdout).unwrap();
    assert!(term.contains("free-living wear"), "{term}");
    assert!(term.contains("(1 runs)"), "{term}");
    let doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    assert_eq!(doc["schema"], "gaitguard.wear/1");
    assert_eq!(doc["totals"]["runs"], 1);
    assert_eq!(doc["totals"]["walking_bouts"], 2);
    let bouts = doc["bouts"].as_array().unwrap();
    for b in bouts {
        let (s, e) = (b["start_s"].as_f64().unwrap(), b["end_s"].as_f64().unwrap());
        assert!(
            e <= BUS.0 + 10.0 || s >= BUS.1 - 10.0,
            "a bout in the bus: {b}"
        );
    }
    let run = bouts
        .iter()
        .find(|b| b["verdict"] == "confirmed")
        .expect("a confirmed run");
    assert!(
        (run["start_s"].as_f64().unwrap() - RUN.0).abs() <= 10.0,
        "{run}"
    );
    assert!(
        (run["end_s"].as_f64().unwrap() - RUN.1).abs() <= 10.0,
        "{run}"
    );
    let session = &doc["sessions"][0];
    assert_eq!(session["schema"], "gaitguard.session/1");
    let cad = session["metrics"]["cadence_spm"]["median"]
        .as_f64()
        .unwrap();
    assert!((cad - 60.0 / 0.36).abs() < 2.0, "cadence {cad}");
    assert!(session["risk"]["score"].is_number(), "each run is assessed");

    // The steps: one batch per run, the session column, times from the recording's start.
    let r = ParquetRecordBatchReaderBuilder::try_new(std::fs::File::open(&steps).unwrap()).unwrap();
    let kv = r
        .metadata()
        .file_metadata()
        .key_value_metadata()
        .unwrap()
        .clone();
    let schema = kv.iter().find(|e| e.key == SCHEMA_KEY).unwrap();
    assert_eq!(schema.value.as_deref(), Some("gaitguard.wear_steps/1"));
    let mut rows = 0;
    for b in r.build().unwrap() {
        let b = b.unwrap();
        let s = b.column(0).as_any().downcast_ref::<Int32Array>().unwrap();
        assert!(s.iter().all(|v| v == Some(0)));
        let t = b
            .column_by_name("time_s")
            .unwrap()
            .as_any()
            .downcast_ref::<Float64Array>()
            .unwrap();
        let running: Vec<f64> = (0..t.len()).map(|i| t.value(i)).collect();
        assert!(
            running
                .iter()
                .all(|&x| x > RUN.0 - 70.0 && x < RUN.1 + 70.0)
        );
        rows += b.num_rows();
    }
    let expected = 2.0 * (RUN.1 - RUN.0) / 0.72;
    assert!(
        (rows as f64 - expected).abs() < 0.05 * expected,
        "{rows} steps"
    );
}

#[test]
fn the_same_short_file_without_wear_is_one_session() {
    let dir = tempfile::tempdir().unwrap();
    let csv = day_csv(dir.path());
    let out = gg()
        .arg("analyze")
        .arg(&csv)
        .args(["--json", "-", "-q"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["schema"], "gaitguard.session/1");
    let steps_csv = dir.path().join("s.csv");
    let out = gg()
        .arg("analyze")
        .arg(&csv)
        .args(["--wear", "-q", "--steps"])
        .arg(&steps_csv)
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = std::fs::read_to_string(&steps_csv).unwrap();
    assert!(
        text.starts_with("session,time_s,activity,"),
        "{}",
        &text[..80]
    );
}
