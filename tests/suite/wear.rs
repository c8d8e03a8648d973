//! Free-living wear (`gaitguard.wear/1`): a simulated trunk day (standing, two walks, a
//! 12-minute run, a bus ride) read as a stream, its bouts found, its run analysed as a
//! session; the wear steps table read back.

use crate::common::gg;
use arrow_array::{Array, Float64Array, Int32Array};
use gaitguard::report::columnar::SCHEMA_KEY;
use gaitguard::simulate::raw::{raw_csv, wear_day};
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use std::path::Path;

/// Run start and end in the simulated day, s.
const RUN: (f64, f64) = (780.0, 1500.0);
/// The bus ride, s.
const BUS: (f64, f64) = (1800.0, 2400.0);

/// The simulator's short day of wear ([`wear_day`]) as a generic accelerometer CSV.
fn day_csv(dir: &Path) -> std::path::PathBuf {
    let p = dir.join("day.csv");
    std::fs::write(&p, raw_csv(&wear_day(5))).unwrap();
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

#[test]
fn block_steps_hold_every_raw_sessions_steps_with_its_file() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples");
    let dir = tempfile::tempdir().unwrap();
    let runs = dir.path().join("runs");
    std::fs::create_dir(&runs).unwrap();
    for f in ["simulated-trunk-run.csv", "simulated-run-40min.fit"] {
        std::fs::copy(root.join(f), runs.join(f)).unwrap();
    }
    let (json, pq, csv) = (
        dir.path().join("b.json"),
        dir.path().join("s.parquet"),
        dir.path().join("s.csv"),
    );
    let out = gg()
        .arg("block")
        .arg(&runs)
        .args(["-q", "--json"])
        .arg(&json)
        .arg("--steps")
        .arg(&pq)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    let raw: Vec<_> = doc["sessions"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["source"] == "raw")
        .collect();
    assert_eq!(raw.len(), 1);
    let expected = raw[0]["raw"]["steps_detected"].as_u64().unwrap() as usize;
    let file = raw[0]["file"].as_str().unwrap();
    let r = ParquetRecordBatchReaderBuilder::try_new(std::fs::File::open(&pq).unwrap()).unwrap();
    let kv = r
        .metadata()
        .file_metadata()
        .key_value_metadata()
        .unwrap()
        .clone();
    let schema = kv.iter().find(|e| e.key == SCHEMA_KEY).unwrap();
    assert_eq!(schema.value.as_deref(), Some("gaitguard.block_steps/1"));
    let mut rows = 0;
    for b in r.build().unwrap() {
        let b = b.unwrap();
        let files = arrow_cast_strings(b.column(0));
        assert!(files.iter().all(|f| f == file), "{files:?}");
        rows += b.num_rows();
    }
    assert_eq!(rows, expected);
    let out = gg()
        .arg("block")
        .arg(&runs)
        .args(["-q", "--steps"])
        .arg(&csv)
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = std::fs::read_to_string(&csv).unwrap();
    assert!(text.starts_with("file,time_s,"));
    assert_eq!(text.lines().count(), expected + 1);
}

/// The values of a dictionary-encoded string column.
fn arrow_cast_strings(a: &arrow_array::ArrayRef) -> Vec<String> {
    use arrow_array::types::Int32Type;
    let d = a
        .as_any()
        .downcast_ref::<arrow_array::DictionaryArray<Int32Type>>()
        .unwrap();
    let values = d
        .values()
        .as_any()
        .downcast_ref::<arrow_array::StringArray>()
        .unwrap();
    d.keys()
        .iter()
        .map(|k| values.value(k.unwrap() as usize).to_string())
        .collect()
}

/// The real sensor samples are short test recordings, none of them a run: Axivity AX3 (5 min
/// at 200 Hz, the engine finds mostly walking), AX6 (1.8 min), GENEActiv (18 s), ActiGraph
/// NEO (10 min, mostly still) and wGT3X-BT at the waist (29.5 min, mostly idle). Read as
/// wear, each is streamed, no run is claimed, and the epochs account for the recording.
#[test]
fn the_real_sensor_samples_read_as_wear_hold_no_run() {
    let Some(dir) = crate::common::shared_data("formats/sensor-binaries") else {
        return;
    };
    let mut seen = 0;
    for e in std::fs::read_dir(&dir).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "csv") {
            continue;
        }
        let out = gg()
            .arg("analyze")
            .arg(&p)
            .args(["--wear", "--json", "-", "-q"])
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", p.display());
        let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(doc["schema"], "gaitguard.wear/1", "{}", p.display());
        assert_eq!(doc["totals"]["runs"], 0, "{}", p.display());
        let judged: f64 = doc["days"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|d| {
                ["still_s", "moving_s", "walking_s", "running_candidate_s"]
                    .map(|k| d[k].as_f64().unwrap())
            })
            .sum();
        let duration = doc["duration_s"].as_f64().unwrap();
        assert!(
            judged <= duration + 10.0 && judged >= duration - 10.0,
            "{}: {judged} s of epochs for {duration} s",
            p.display()
        );
        seen += 1;
    }
    assert_eq!(seen, 5);
}

/// The real 25-minute hip run (with its walking breaks) read as wear: its running bouts are
/// confirmed runs whose running time is the engine's on the whole file.
#[test]
fn the_real_hip_run_read_as_wear_is_runs() {
    let Some(dir) = crate::common::shared_data("raw/hip-running") else {
        return;
    };
    let p = dir.join("acc_running_left_hip.csv");
    let run = |wear: bool| -> serde_json::Value {
        let mut c = gg();
        c.arg("analyze").arg(&p).args(["--json", "-", "-q"]);
        if wear {
            c.arg("--wear");
        }
        serde_json::from_slice(&c.output().unwrap().stdout).unwrap()
    };
    let (w, whole) = (run(true), run(false));
    assert!(w["totals"]["runs"].as_u64().unwrap() >= 1);
    let wear_s = w["totals"]["running_s"].as_f64().unwrap();
    let whole_s = whole["running_time_s"].as_f64().unwrap();
    assert!(
        (wear_s - whole_s).abs() < 0.05 * whole_s,
        "{wear_s} vs {whole_s}"
    );
}
