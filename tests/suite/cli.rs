//! The command line as a user meets it: the README's sample, JSON output, and every kind of
//! bad input (clear one-line error naming the file, exit 1; usage errors exit 2; never a
//! panic, never a partial output file).

use crate::common::gg;

use predicates::prelude::*;
use std::path::{Path, PathBuf};

fn sample() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/simulated-run-40min.fit")
}

fn tmp() -> tempfile::TempDir {
    tempfile::tempdir().unwrap()
}

#[test]
fn readme_sample_prints_a_summary() {
    gg().args(["analyze"])
        .arg(sample())
        .assert()
        .success()
        .stdout(predicate::str::contains("cadence (spm)"))
        .stdout(predicate::str::contains("ground contact (ms)"))
        .stdout(predicate::str::contains("indicators, not diagnoses"));
}

#[test]
fn json_to_stdout_has_the_schema_and_nulls() {
    let out = gg()
        .args(["analyze", "--json", "-"])
        .arg(sample())
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out).expect("stdout is only JSON");
    assert_eq!(v["schema"], "gaitguard.session/1");
    assert_eq!(v["source"], "summary");
    assert_eq!(v["activity"], "running");
    assert_eq!(v["start_time"], "2026-09-12T07:30:00Z");
    for k in [
        "cadence_spm",
        "ground_contact_ms",
        "flight_ms",
        "vertical_oscillation_cm",
        "vertical_ratio_pct",
        "step_length_m",
        "gct_balance_left_pct",
        "speed_mps",
        "heart_rate_bpm",
        "power_w",
        "temperature_c",
    ] {
        let m = &v["metrics"][k];
        assert!(m.is_object(), "{k}: {m}");
        for f in ["mean", "median", "p10", "p90", "n"] {
            assert!(m[f].is_number(), "{k}.{f}");
        }
    }
    assert!(v["warnings"].is_array());
}

#[test]
fn a_missing_metric_is_null_not_zero() {
    let d = tmp();
    let p = d.path().join("hr-only.csv");
    let mut s = String::from("secs,hr,kph\n");
    for i in 0..300 {
        s.push_str(&format!("{i},{},{}\n", 140 + i % 5, 11.0));
    }
    std::fs::write(&p, s).unwrap();
    let out = gg()
        .args(["analyze", "--json", "-"])
        .arg(&p)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(v["format"], "goldencheetah-csv");
    assert!(v["metrics"]["cadence_spm"].is_null());
    assert!(v["metrics"]["ground_contact_ms"].is_null());
    let sp = v["metrics"]["speed_mps"]["mean"].as_f64().unwrap();
    assert!((sp - 11.0 / 3.6).abs() < 1e-9, "kph read as km/h: {sp}");
}

#[test]
fn json_file_is_written_whole() {
    let d = tmp();
    let out = d.path().join("r.json");
    gg().args(["analyze", "--quiet", "--json"])
        .arg(&out)
        .arg(sample())
        .assert()
        .success()
        .stdout("");
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(v["format"], "fit");
    let leftovers: Vec<_> = std::fs::read_dir(d.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(leftovers.len(), 1, "{leftovers:?}");
}

/// Analyse a bad input: exit 1, one line on stderr naming the file and containing `needle`,
/// no JSON file left behind.
fn fails_cleanly(input: &Path, needle: &str) {
    let d = tmp();
    let json = d.path().join("out.json");
    let assert = gg()
        .args(["analyze", "--json"])
        .arg(&json)
        .arg(input)
        .assert()
        .code(1);
    let err = String::from_utf8_lossy(&assert.get_output().stderr).to_string();
    assert_eq!(err.lines().count(), 1, "one line: {err}");
    assert!(
        err.contains(&input.display().to_string()),
        "names the file: {err}"
    );
    assert!(err.contains(needle), "says '{needle}': {err}");
    assert!(!err.contains("panicked"), "{err}");
    assert!(!json.exists(), "no partial output");
}

#[test]
fn empty_file() {
    let d = tmp();
    let p = d.path().join("empty.fit");
    std::fs::write(&p, b"").unwrap();
    fails_cleanly(&p, "empty");
}

#[test]
fn truncated_fit() {
    let bytes = std::fs::read(sample()).unwrap();
    let d = tmp();
    let p = d.path().join("truncated.fit");
    std::fs::write(&p, &bytes[..bytes.len() / 2]).unwrap();
    fails_cleanly(&p, "truncated");
}

#[test]
fn corrupt_fit() {
    let mut bytes = std::fs::read(sample()).unwrap();
    let n = bytes.len();
    bytes[n / 2] ^= 0x5A;
    let d = tmp();
    let p = d.path().join("corrupt.fit");
    std::fs::write(&p, &bytes).unwrap();
    fails_cleanly(&p, "corrupt");
}

#[test]
fn binary_junk() {
    let d = tmp();
    let p = d.path().join("junk.bin");
    std::fs::write(
        &p,
        (0..4096u32)
            .map(|i| (i.wrapping_mul(2_654_435_761u32) >> 13) as u8)
            .collect::<Vec<_>>(),
    )
    .unwrap();
    fails_cleanly(&p, "not a FIT file");
}

#[test]
fn text_in_a_number_column_names_line_and_column() {
    let d = tmp();
    let p = d.path().join("bad.csv");
    std::fs::write(
        &p,
        "timestamp,cadence[spm],stance_time[ms]\n0,170,250\n1,171,251\n2,abc,252\n",
    )
    .unwrap();
    fails_cleanly(
        &p,
        "line 4, column 'cadence[spm]': expected a number, found 'abc'",
    );
}

#[test]
fn unknown_header() {
    let d = tmp();
    let p = d.path().join("other.csv");
    std::fs::write(&p, "foo,bar,baz\n1,2,3\n").unwrap();
    fails_cleanly(&p, "unrecognised format");
}

#[test]
fn a_directory() {
    let d = tmp();
    fails_cleanly(d.path(), "is a directory");
}

#[test]
fn a_missing_file() {
    let d = tmp();
    fails_cleanly(&d.path().join("nope.fit"), "cannot read");
}

#[test]
fn no_running_session() {
    let d = tmp();
    let p = d.path().join("ride.csv");
    // FitCSVTool rows: one cycling session.
    let mut s =
        String::from("Type,Local Number,Message,Field 1,Value 1,Units 1,Field 2,Value 2,Units 2\n");
    for i in 0..60 {
        s.push_str(&format!(
            "Data,0,record,timestamp,{},s,heart_rate,130,bpm\n",
            1_000_000_000 + i
        ));
    }
    s.push_str("Data,1,session,start_time,1000000000,,sport,cycling,\n");
    std::fs::write(&p, s).unwrap();
    fails_cleanly(&p, "no running or walking session");
}

#[test]
fn usage_errors_exit_2() {
    gg().args(["analyze", "--format", "gpx"])
        .arg(sample())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--format"));
    gg().args(["analyze", "--map", "cadence"])
        .arg(sample())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--map"));
    gg().args(["analyze", "--bogus"])
        .arg(sample())
        .assert()
        .code(2);
    gg().assert().code(2);
    let d = tmp();
    gg().args(["analyze", "--json"])
        .arg(d.path().join("no/such/dir/out.json"))
        .arg(sample())
        .assert()
        .code(2);
}

#[test]
fn column_mapping_reads_unknown_names() {
    let d = tmp();
    let p = d.path().join("custom.csv");
    let mut s = String::from("t,Run Cadence,Contact\n");
    for i in 0..200 {
        s.push_str(&format!("{i},{},{}\n", 172 + i % 3, 0.24));
    }
    std::fs::write(&p, s).unwrap();
    let out = gg()
        .args([
            "analyze",
            "--json",
            "-",
            "--map",
            "time=t:s",
            "--map",
            "cadence_spm=Run Cadence",
            "--map",
            "ground_contact_ms=Contact:s",
        ])
        .arg(&p)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert!((v["metrics"]["ground_contact_ms"]["mean"].as_f64().unwrap() - 240.0).abs() < 1e-9);
    assert!((v["metrics"]["cadence_spm"]["mean"].as_f64().unwrap() - 173.0).abs() < 0.1);
}

#[test]
fn simulate_regenerates_the_sample_byte_for_byte() {
    let d = tmp();
    let p = d.path().join("s.fit");
    gg().args(["simulate", "--minutes", "40", "--seed", "7", "--out"])
        .arg(&p)
        .assert()
        .success();
    let same = std::fs::read(&p).unwrap() == std::fs::read(sample()).unwrap();
    assert!(
        same,
        "samples/simulated-run-40min.fit differs from what the simulator writes now: regenerate it (README, Samples)"
    );
}
