//! Inputs that lie (issue 13): damaged variants of the project's own files (bit flips,
//! truncation, duplicated chunks, clocks shifted by ±2^31 s, text and absurd numbers in
//! number cells) never panic, exit 0, 1 or 2, write valid JSON with plausible times or
//! nothing at all, and leave no temporary file; and on every file of `../shared/data`,
//! running time plus walking time never exceeds the duration.

use crate::common::{gg, shared_data};
use gaitguard::rng::Rng;
use gaitguard::simulate::{self, fit_writer::fit_bytes, raw};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// 2^31 s: the shift of a corrupt clock or a GPS week-number rollover (about 68 years).
const SHIFT_S: i64 = 1 << 31;
/// The longest plausible session, s (`ingest::plausible::MAX_SESSION_S`).
const MAX_SESSION_S: f64 = 48.0 * 3600.0;
/// The longest plausible raw recording, s (`ingest::plausible::MAX_WEAR_S`).
const MAX_WEAR_S: f64 = 31.0 * 86_400.0;

/// The seeds: a 5-minute FIT, the same run as a per-record CSV, and the raw trunk scenario.
fn seeds() -> Vec<(&'static str, Vec<u8>)> {
    let run = simulate::simulate_run(300.0, 11);
    let sim = raw::simulate_raw(&raw::sample_config(3));
    vec![
        ("fit", fit_bytes(&run)),
        ("csv", simulate::records_csv(&run).into_bytes()),
        ("raw.csv", raw::raw_csv(&sim).into_bytes()),
    ]
}

/// A random index below `n` (0 when `n` is 0).
fn below(rng: &mut Rng, n: usize) -> usize {
    if n == 0 {
        0
    } else {
        (rng.next_u64() % n as u64) as usize
    }
}

/// Flip 1–8 random bits.
fn flip_bits(b: &mut [u8], rng: &mut Rng) {
    for _ in 0..1 + below(rng, 8) {
        let i = below(rng, b.len());
        b[i] ^= 1 << below(rng, 8);
    }
}

/// Copy a random chunk (up to 4 KiB) to a random place.
fn duplicate_chunk(b: &mut Vec<u8>, rng: &mut Rng) {
    let len = 1 + below(rng, 4096.min(b.len() / 4).max(1));
    let from = below(rng, b.len() - len);
    let chunk = b[from..from + len].to_vec();
    let at = below(rng, b.len());
    b.splice(at..at, chunk);
}

/// Replace a random number in a text file by text or an absurd number.
fn text_in_a_number(b: &mut Vec<u8>, rng: &mut Rng) {
    const JUNK: [&str; 7] = ["abc", "1e300", "-1e300", "NaN", "inf", "", "9999999999999"];
    let digits: Vec<usize> = (0..b.len()).filter(|&i| b[i].is_ascii_digit()).collect();
    if digits.is_empty() {
        return;
    }
    let start = digits[below(rng, digits.len())];
    let end = (start..b.len())
        .find(|&i| !(b[i].is_ascii_digit() || b[i] == b'.'))
        .unwrap_or(b.len());
    b.splice(start..end, JUNK[below(rng, JUNK.len())].bytes());
}

/// Every ISO date-time (`YYYY-MM-DDTHH:MM:SS…Z`) moved by `shift_s`, and a leading numeric
/// time column (raw `time_s`) likewise.
fn shift_text_times(text: &str, shift_s: i64) -> String {
    let shift_line = |line: &str| -> String {
        let mut out = line.to_string();
        if let Some(end) = line.find('Z') {
            if let Ok(t) = chrono::DateTime::parse_from_rfc3339(&line[..=end]) {
                let moved = chrono::DateTime::from_timestamp(t.timestamp() + shift_s, 0)
                    .map(|d| d.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
                    .unwrap_or_else(|| "1e300".into());
                out = format!("{moved}{}", &line[end + 1..]);
            }
        } else if let Some((first, rest)) = line.split_once(',') {
            if let Ok(v) = first.parse::<f64>() {
                out = format!("{},{rest}", v + shift_s as f64);
            }
        }
        out
    };
    text.lines().map(shift_line).collect::<Vec<_>>().join("\n")
}

/// One damaged variant of `seed` (kind `k` of 6).
fn variant(ext: &str, seed: &[u8], k: usize, rng: &mut Rng) -> Vec<u8> {
    let mut b = seed.to_vec();
    let shift = if rng.uniform() < 0.5 {
        SHIFT_S
    } else {
        -SHIFT_S
    };
    match k {
        0 => flip_bits(&mut b, rng),
        1 => b.truncate(below(rng, b.len())),
        2 => duplicate_chunk(&mut b, rng),
        3 if ext == "fit" => {
            let mut run = simulate::simulate_run(300.0, 11);
            run.start_unix_s += shift as f64;
            b = fit_bytes(&run);
        }
        3 => b = shift_text_times(&String::from_utf8_lossy(&b), shift).into_bytes(),
        4 if ext != "fit" => text_in_a_number(&mut b, rng),
        _ => {
            flip_bits(&mut b, rng);
            duplicate_chunk(&mut b, rng);
        }
    }
    b
}

/// What a successful run's JSON must hold: finite, plausible times.
fn check_document(doc: &serde_json::Value, raw: bool, what: &str) {
    let num = |k: &str| doc[k].as_f64();
    let duration = num("duration_s").unwrap_or_else(|| panic!("{what}: no duration_s"));
    let limit = if raw { MAX_WEAR_S } else { 2.0 * MAX_SESSION_S };
    assert!(
        duration.is_finite() && (0.0..=limit).contains(&duration),
        "{what}: duration_s {duration}"
    );
    let running = num("running_time_s").unwrap_or(0.0);
    let walking = num("walking_time_s").unwrap_or(0.0);
    assert!(
        running >= 0.0 && walking >= 0.0 && running + walking <= duration,
        "{what}: running {running} + walking {walking} > duration {duration}"
    );
    if let Some(r) = num("sample_rate_hz") {
        assert!(r.is_finite() && r > 0.0, "{what}: sample_rate_hz {r}");
    }
    if let Some(t) = doc["start_time"].as_str() {
        let t = chrono::DateTime::parse_from_rfc3339(t).unwrap().timestamp() as f64;
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs_f64();
        assert!(
            (631_152_000.0..=now + 86_400.0).contains(&t),
            "{what}: start_time {t}"
        );
    }
}

/// The files in `dir` other than `keep`.
fn others(dir: &Path, keep: &[&str]) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !keep.contains(&n.as_str()))
        .collect()
}

/// Analyse one variant with the CLI and check the outcome; returns the exit code.
fn run_variant(dir: &Path, ext: &str, bytes: &[u8], what: &str) -> i32 {
    let input = format!("v.{ext}");
    std::fs::write(dir.join(&input), bytes).unwrap();
    let raw = ext == "raw.csv";
    let mut cmd = gg();
    cmd.current_dir(dir)
        .args(["analyze", &input, "--json", "out.json", "--quiet"])
        // A hang detector, not a speed test: a variant that has not finished in five
        // minutes is stuck.
        .timeout(Duration::from_secs(300));
    if raw {
        cmd.args(["--steps", "steps.csv"]);
    }
    let out = cmd.output().unwrap();
    let code = out.status.code();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        matches!(code, Some(0..=2)),
        "{what}: exit {code:?} (killed or panicked?)\n{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{what}: {stderr}");
    let outputs: &[&str] = if raw {
        &["out.json", "steps.csv"]
    } else {
        &["out.json"]
    };
    if code == Some(0) {
        let text = std::fs::read_to_string(dir.join("out.json")).unwrap();
        let doc: serde_json::Value =
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{what}: bad JSON {e}"));
        check_document(&doc, raw, what);
    } else {
        assert!(
            stderr.contains(&input),
            "{what}: the error does not name the file: {stderr}"
        );
        let left: Vec<String> = others(dir, &[input.as_str()]);
        assert!(left.is_empty(), "{what}: failed run left {left:?}");
    }
    let mut expected = outputs.to_vec();
    expected.push(&input);
    let stray = others(dir, &expected);
    assert!(stray.is_empty(), "{what}: stray files {stray:?}");
    for o in outputs.iter().chain([&input.as_str()]) {
        let _ = std::fs::remove_file(dir.join(o));
    }
    code.unwrap_or(-1)
}

#[test]
fn damaged_variants_never_panic_and_never_lie_about_time() {
    let dir = tempfile::tempdir().unwrap();
    let mut rng = Rng::new(2026);
    let mut exits = [0usize; 3];
    for (ext, seed) in seeds() {
        for i in 0..48 {
            let k = i % 6;
            let bytes = variant(ext, &seed, k, &mut rng);
            let what = format!("{ext} variant {i} (kind {k})");
            exits[run_variant(dir.path(), ext, &bytes, &what) as usize] += 1;
        }
    }
    println!(
        "damaged variants: {} analysed, {} refused (exit 1), {} usage errors",
        exits[0], exits[1], exits[2]
    );
    // Both outcomes occur: the damage is real, and most files survive it.
    assert!(exits[0] > 0 && exits[1] > 0, "{exits:?}");
}

#[test]
fn clocks_shifted_by_2_pow_31_lose_their_date_not_their_analysis() {
    let dir = tempfile::tempdir().unwrap();
    for shift in [SHIFT_S, -SHIFT_S] {
        // A FIT whose record timestamps all moved (a watch with a corrupt clock).
        let mut run = simulate::simulate_run(300.0, 11);
        run.start_unix_s += shift as f64;
        let p = dir.path().join("shifted.fit");
        std::fs::write(&p, fit_bytes(&run)).unwrap();
        let out = gg()
            .arg("analyze")
            .arg(&p)
            .args(["--json", "-"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "shift {shift}");
        let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert!(
            doc["start_time"].is_null(),
            "shift {shift}: {}",
            doc["start_time"]
        );
        assert!(doc["start_time_rejected"].is_string());
        assert!(
            doc["warnings"]
                .as_array()
                .unwrap()
                .iter()
                .any(|w| w["code"] == "implausible_time"
                    && w["message"].as_str().unwrap().contains("start time"))
        );
        // The analysis itself is unchanged: five minutes of running.
        assert!((doc["running_time_s"].as_f64().unwrap() - 300.0).abs() < 2.0);
    }
}

#[test]
fn an_absurd_time_cell_is_left_out_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::from("timestamp,cadence[spm],enhanced_speed[m/s]\n");
    for i in 0..120 {
        text.push_str(&format!("{i},170,3.0\n"));
    }
    text.push_str("1e300,170,3.0\n");
    let p = dir.path().join("absurd.csv");
    std::fs::write(&p, &text).unwrap();
    let out = gg()
        .arg("analyze")
        .arg(&p)
        .args(["--json", "-"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["duration_s"].as_f64(), Some(120.0));
    assert_eq!(doc["sample_rate_hz"].as_f64(), Some(1.0));
    let warned = doc["warnings"].as_array().unwrap().iter().any(|w| {
        w["code"] == "implausible_time" && w["message"].as_str().unwrap().contains("1e300")
    });
    assert!(warned, "{}", doc["warnings"]);
    // The same with --csv output of a block: no 290-digit duration cell.
    let out = gg()
        .arg("block")
        .arg(&p)
        .args(["--csv", "-", "--quiet"])
        .output()
        .unwrap();
    let csv = String::from_utf8_lossy(&out.stdout);
    assert!(!csv.contains("e29") && !csv.contains("e+29"), "{csv}");
    assert!(csv.lines().all(|l| l.len() < 2000));
}

#[test]
fn a_session_longer_than_48_hours_is_refused_with_its_span() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::from("timestamp,cadence[spm]\n");
    for i in 0..61 {
        text.push_str(&format!("{},170\n", i * 3600));
    }
    let p = dir.path().join("long.csv");
    std::fs::write(&p, &text).unwrap();
    let out = gg().arg("analyze").arg(&p).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("long.csv") && err.contains("span 60.0 h") && err.contains("48 h"),
        "{err}"
    );
}

#[test]
fn a_raw_time_column_at_an_impossible_rate_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::from("time_s,acc_x_g,acc_y_g,acc_z_g\n");
    for i in 0..200 {
        // 1e-300 s apart: a rate of 1e300 Hz.
        text.push_str(&format!("{:e},0.0,0.0,1.0\n", i as f64 * 1e-300));
    }
    let p = dir.path().join("fast.csv");
    std::fs::write(&p, &text).unwrap();
    let out = gg().arg("analyze").arg(&p).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("fast.csv") && err.contains("sample rate"),
        "{err}"
    );
}

/// Every analysable file under `dir`.
fn files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    for e in rd.flatten() {
        let p = e.path();
        if p.is_dir() {
            files_under(&p, out);
        } else if p
            .extension()
            .and_then(|x| x.to_str())
            .is_some_and(|x| matches!(x.to_ascii_lowercase().as_str(), "csv" | "fit" | "txt"))
        {
            out.push(p);
        }
    }
}

#[test]
fn running_and_walking_time_never_exceed_the_duration_on_shared_data() {
    use rayon::prelude::*;
    let Some(root) = shared_data("") else { return };
    let mut files = Vec::new();
    files_under(&root, &mut files);
    files.sort();
    let opts = gaitguard::pipeline::SessionOptions::default();
    let checked: Vec<String> = files
        .par_iter()
        .filter_map(|p| {
            let a = gaitguard::pipeline::analyze_file(p, &opts).ok()?;
            let m = &a.doc.summary;
            assert!(
                m.running_time_s + m.walking_time_s <= m.duration_s,
                "{}: running {} + walking {} > duration {}",
                p.display(),
                m.running_time_s,
                m.walking_time_s,
                m.duration_s
            );
            Some(p.display().to_string())
        })
        .collect();
    println!(
        "running + walking <= duration on {} of {} shared files (the rest are not analysable)",
        checked.len(),
        files.len()
    );
    assert!(checked.len() >= 20, "only {} files analysed", checked.len());
}
