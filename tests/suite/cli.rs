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
/// no JSON file left behind; the line (its temporary folder written `<tmp>`) is the insta
/// snapshot `error_<name>`.
fn fails_cleanly(input: &Path, needle: &str, name: &str) {
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
    let folder = if input.is_dir() {
        input
    } else {
        input.parent().unwrap()
    };
    let line = err.replace(&folder.display().to_string(), "<tmp>");
    insta::assert_snapshot!(format!("error_{name}"), line);
}

#[test]
fn empty_file() {
    let d = tmp();
    let p = d.path().join("empty.fit");
    std::fs::write(&p, b"").unwrap();
    fails_cleanly(&p, "empty", "empty_file");
}

#[test]
fn truncated_fit() {
    let bytes = std::fs::read(sample()).unwrap();
    let d = tmp();
    let p = d.path().join("truncated.fit");
    std::fs::write(&p, &bytes[..bytes.len() / 2]).unwrap();
    fails_cleanly(&p, "truncated", "truncated_fit");
}

#[test]
fn corrupt_fit() {
    let mut bytes = std::fs::read(sample()).unwrap();
    let n = bytes.len();
    bytes[n / 2] ^= 0x5A;
    let d = tmp();
    let p = d.path().join("corrupt.fit");
    std::fs::write(&p, &bytes).unwrap();
    fails_cleanly(&p, "corrupt", "corrupt_fit");
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
    fails_cleanly(&p, "not a FIT file", "binary_junk");
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
        "text_in_a_number_column",
    );
}

#[test]
fn unknown_header() {
    let d = tmp();
    let p = d.path().join("other.csv");
    std::fs::write(&p, "foo,bar,baz\n1,2,3\n").unwrap();
    fails_cleanly(&p, "unrecognised format", "unknown_format");
}

#[test]
fn a_directory() {
    let d = tmp();
    fails_cleanly(d.path(), "is a directory", "a_directory");
}

#[test]
fn a_missing_file() {
    let d = tmp();
    fails_cleanly(&d.path().join("nope.fit"), "cannot read", "unreadable_file");
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
    fails_cleanly(&p, "no running or walking session", "no_running_session");
}

/// Run gaitguard in the repository folder and give `$ gaitguard ARGS`, its standard error
/// (the folder `tmp` written `<tmp>`) and its exit code, for a snapshot.
fn transcript(args: &[&str], tmp: &Path) -> String {
    let out = gg()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("COLUMNS", "100")
        .args(args)
        .output()
        .unwrap();
    format!(
        "$ gaitguard {}\n{}exit {}\n",
        args.join(" "),
        String::from_utf8_lossy(&out.stderr),
        out.status.code().unwrap_or(-1)
    )
    .replace(&tmp.display().to_string(), "<tmp>")
}

/// The usage errors a user meets, word for word (all exit 2).
#[test]
fn usage_error_messages() {
    let d = tmp();
    let fit = "samples/simulated-run-40min.fit";
    let raw = "samples/simulated-trunk-run.csv";
    let cases: &[&[&str]] = &[
        &[],
        &["analyze"],
        &["analyze", "--bogus", fit],
        &["analyze", "--format", "kml", fit],
        &["analyze", "--placement", "head", raw],
        &["analyze", "--accel-unit", "furlongs", raw],
        &["analyze", "--time-unit", "h", raw],
        &["analyze", "--gravity", "maybe", raw],
        &["analyze", "--map", "cadence", fit],
        &["analyze", "--speed-mps", "40", raw],
        &["analyze", "--report", "out.jpg", fit],
        &["analyze", "--age", "3", fit],
        &["block", "--jobs", "0", "samples/block"],
        &["block", "--since", "2026-13-01", "samples/block"],
        &["block", "--utc-offset", "+15:00", "samples/block"],
        &["block", "--json", "-", "--csv", "-", "samples/block"],
        &["simulate", "--raw", "--out", "x.fit"],
    ];
    let mut all = String::new();
    for args in cases {
        let t = transcript(args, d.path());
        assert!(t.ends_with("exit 2\n"), "{t}");
        all.push_str(&t);
        all.push('\n');
    }
    insta::assert_snapshot!("usage_errors", all);
}

/// Every spelling the value flags took before they became clap value enums is still taken
/// (any case where it was), and the help lists each flag's canonical values.
#[test]
fn value_flags_take_their_aliases() {
    let raw = "samples/simulated-trunk-run.csv";
    let cases: &[(&str, &[&str])] = &[
        (
            "--placement",
            &[
                "trunk",
                "chest",
                "waist",
                "lower-back",
                "lowback",
                "sacrum",
                "hip",
                "TRUNK",
                " Chest ",
            ],
        ),
        (
            "--accel-unit",
            &["g", "G", "m/s2", "m/s^2", "mps2", "m/s²", "M/S2"],
        ),
        ("--gravity", &["included", "with", "yes", "Included"]),
    ];
    for (flag, values) in cases {
        for v in *values {
            gg().current_dir(env!("CARGO_MANIFEST_DIR"))
                .args(["analyze", "-q", flag, v, raw])
                .assert()
                .success();
        }
    }
    // Spellings whose analysis of this file may fail (exit 1) but must parse (not exit 2).
    let parse_only: &[(&str, &[&str])] = &[
        (
            "--placement",
            &[
                "foot", "shoe", "shank", "ankle", "wrist", "arm", "thigh", "pocket",
            ],
        ),
        ("--time-unit", &["s", "ms", "us", "µs", "ns", "MS"]),
        ("--gravity", &["removed", "without", "no", "linear"]),
    ];
    for (flag, values) in parse_only {
        for v in *values {
            let code = gg()
                .current_dir(env!("CARGO_MANIFEST_DIR"))
                .args(["analyze", "-q", flag, v, raw])
                .output()
                .unwrap()
                .status
                .code();
            assert!(matches!(code, Some(0 | 1)), "{flag} {v}: {code:?}");
        }
    }
    for format in [
        "fit",
        "fit-csv-tool",
        "fitparse-records",
        "wahoo-csv",
        "stryd-csv",
        "goldencheetah-csv",
        "records-csv",
        "phyphox",
        "sensor-logger",
        "actigraph-raw",
        "actigraph-imu",
        "metamotion",
        "physics-toolbox",
        "accel-csv",
    ] {
        let code = gg()
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .args(["analyze", "-q", "--format", format, raw])
            .output()
            .unwrap()
            .status
            .code();
        assert!(matches!(code, Some(0 | 1)), "--format {format}: {code:?}");
    }
}

/// A reader that goes away (`gaitguard … | head -c 10`) is a normal end: exit 0, nothing on
/// standard error, for the JSON, the terminal summary and the block outputs alike.
#[test]
fn a_closed_stdout_is_a_normal_end() {
    use std::process::{Command as StdCommand, Stdio};
    let bin = assert_cmd::cargo::cargo_bin("gaitguard");
    let cases: &[&[&str]] = &[
        &["analyze", "--json", "-", "samples/simulated-run-40min.fit"],
        &["analyze", "--explain", "samples/simulated-run-40min.fit"],
        &["block", "--json", "-", "samples/block"],
        &["block", "--csv", "-", "samples/block"],
        &["block", "--verbose", "samples/block"],
    ];
    for args in cases {
        let mut child = StdCommand::new(&bin)
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .args(*args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // Close the reading end before gaitguard has written anything.
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {err}");
        assert!(!err.contains("error"), "{args:?}: {err}");
    }
}

/// Standard output that cannot take the output (`/dev/full`: a full disk) is an error that
/// says so, exit 1, for the JSON and the summary alike.
#[cfg(target_os = "linux")]
#[test]
fn a_full_stdout_is_an_error_that_says_so() {
    for args in [
        &["analyze", "--json", "-", "samples/simulated-run-40min.fit"][..],
        &["analyze", "samples/simulated-run-40min.fit"][..],
        &["block", "--csv", "-", "samples/block"][..],
    ] {
        let Ok(full) = std::fs::OpenOptions::new().write(true).open("/dev/full") else {
            println!("skipped: /dev/full is not available");
            return;
        };
        let out = std::process::Command::new(assert_cmd::cargo::cargo_bin("gaitguard"))
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .args(args)
            .stdout(full)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {err}");
        assert_eq!(
            err.matches("No space left on device").count(),
            1,
            "{args:?}: {err}"
        );
        assert!(err.contains("standard output"), "{args:?}: {err}");
    }
}

#[test]
fn usage_errors_exit_2() {
    gg().args(["analyze", "--format", "kml"])
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

/// Old-Mac line endings (a lone `\r`): every text dialect reads the same as with `\n`.
#[test]
fn carriage_return_only_line_endings_read_like_line_feeds() {
    let dir = tmp();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for sample in [
        "samples/simulated-trunk-run.csv",
        "samples/simulated-run-40min.csv",
    ] {
        let lf = std::fs::read_to_string(root.join(sample)).unwrap();
        let cr_path = dir.path().join("cr.csv");
        std::fs::write(&cr_path, lf.replace("\r\n", "\n").replace('\n', "\r")).unwrap();
        let lf_path = dir.path().join("lf.csv");
        std::fs::write(&lf_path, &lf).unwrap();
        let json = |p: &Path| {
            let out = gg()
                .arg("analyze")
                .arg(p)
                .args(["--json", "-"])
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "{sample}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            let mut v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
            v["file"] = serde_json::Value::Null;
            v
        };
        assert_eq!(json(&cr_path), json(&lf_path), "{sample}");
    }
    // A dialect that shows only from its second line (a Wahoo device block, then the table).
    let mut wahoo = String::from("Device,TICKR\ntime,hr_heartrate,ma_cadence\n");
    for i in 0..300 {
        wahoo.push_str(&format!("{i},140,85\n"));
    }
    let json_of = |text: &str, name: &str| {
        let p = dir.path().join(name);
        std::fs::write(&p, text).unwrap();
        let out = gg()
            .arg("analyze")
            .arg(&p)
            .args(["--json", "-"])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{name}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let mut v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        v["file"] = serde_json::Value::Null;
        v
    };
    assert_eq!(
        json_of(&wahoo.replace('\n', "\r"), "wahoo-cr.csv"),
        json_of(&wahoo, "wahoo-lf.csv")
    );
    // An ActiLife export with its preamble, CR only: the same reading as the original.
    if let Some(dir_data) = crate::common::shared_data("export-formats") {
        let text = std::fs::read_to_string(dir_data.join("actigraph_gt3x_raw.csv")).unwrap();
        let cr_path = dir.path().join("actigraph-cr.csv");
        std::fs::write(&cr_path, text.replace("\r\n", "\n").replace('\n', "\r")).unwrap();
        let lf_path = dir.path().join("actigraph-lf.csv");
        std::fs::write(&lf_path, text.replace("\r\n", "\n")).unwrap();
        let reason = |p: &Path| {
            let out = gg()
                .arg("analyze")
                .arg(p)
                .args(["--json", "-"])
                .output()
                .unwrap();
            let err = String::from_utf8_lossy(&out.stderr).replace(&p.display().to_string(), "F");
            (out.status.code(), err, out.stdout.len())
        };
        let (cr, lf) = (reason(&cr_path), reason(&lf_path));
        assert_eq!(cr, lf);
        assert!(!cr.1.contains("no samples"), "{}", cr.1);
    }
}

/// Endless and giant inputs are refused from their first bytes or their size, not read whole.
#[cfg(unix)]
#[test]
fn endless_and_giant_inputs_are_refused_without_reading_them() {
    let timeout = std::time::Duration::from_secs(60);
    // An endless device: the first 64 KiB show it is no format gaitguard reads.
    let out = gg()
        .args(["analyze", "/dev/zero"])
        .timeout(timeout)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("/dev/zero: unrecognised format"), "{err}");
    // A FIT header on a sparse 3 GiB file: refused from its size.
    let dir = tmp();
    let big = dir.path().join("big.fit");
    let mut header = vec![14u8, 0x20, 0x34, 0x08];
    header.extend_from_slice(&(3u32 << 30).to_le_bytes());
    header.extend_from_slice(b".FIT\0\0");
    std::fs::write(&big, &header).unwrap();
    std::fs::OpenOptions::new()
        .write(true)
        .open(&big)
        .unwrap()
        .set_len(3 << 30)
        .unwrap();
    let out = gg()
        .arg("analyze")
        .arg(&big)
        .timeout(timeout)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("3072 MiB is larger than a FIT file"), "{err}");
    assert!(err.contains("256 MiB at most"), "{err}");
}

/// `analyze -` reads standard input (a pipe), within the same budget.
#[test]
fn standard_input_is_an_input() {
    let fit = std::fs::read(sample()).unwrap();
    let from_stdin = gg()
        .args(["analyze", "-", "--json", "-"])
        .write_stdin(fit)
        .output()
        .unwrap();
    assert!(
        from_stdin.status.success(),
        "{}",
        String::from_utf8_lossy(&from_stdin.stderr)
    );
    let from_file = gg()
        .arg("analyze")
        .arg(sample())
        .args(["--json", "-"])
        .output()
        .unwrap();
    let mut a: serde_json::Value = serde_json::from_slice(&from_stdin.stdout).unwrap();
    let mut b: serde_json::Value = serde_json::from_slice(&from_file.stdout).unwrap();
    assert_eq!(a["file"], "-");
    a["file"] = serde_json::Value::Null;
    b["file"] = serde_json::Value::Null;
    assert_eq!(a, b);
}

/// Outputs are all or nothing: when one requested output cannot be written, none is left.
#[test]
fn one_unwritable_output_leaves_none_behind() {
    let dir = tmp();
    let json = dir.path().join("run.json");
    let steps_dir = dir.path().join("no-such-folder");
    let out = gg()
        .arg("analyze")
        .arg(sample())
        .arg("--json")
        .arg(&json)
        .arg("--report")
        .arg(steps_dir.join("run.png"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("run.png: cannot write"), "{err}");
    let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().flatten().collect();
    assert!(left.is_empty(), "nothing may be left: {left:?}");
    // The same for a block.
    let block = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/block");
    let out = gg()
        .arg("block")
        .arg(&block)
        .arg("--json")
        .arg(&json)
        .arg("--csv")
        .arg(dir.path().join("s.csv"))
        .arg("--report")
        .arg(steps_dir.join("b.png"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().flatten().collect();
    assert!(left.is_empty(), "nothing may be left: {left:?}");
}
