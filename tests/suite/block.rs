//! `gaitguard block`: the sample block, failure isolation, ordering, dedupe, time zones,
//! JSON/CSV shape, usage errors, and the real FIT files as a block.

use crate::common::{self, gg};

use gaitguard::simulate::{RunPlan, fit_writer::fit_bytes, records_csv, simulate_plan};
use serde_json::Value;
use std::path::{Path, PathBuf};

fn sample_block() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("samples/block")
}

fn json_of(args: &[&str]) -> (Value, i32) {
    let out = gg().args(args).arg("--json").arg("-").output().unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}): {}\nstderr: {}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (v, out.status.code().unwrap_or(-1))
}

/// A simulated run starting at `unix_s`.
fn run_at(unix_s: f64, minutes: f64, seed: u64) -> gaitguard::simulate::SimulatedRun {
    simulate_plan(
        &RunPlan {
            start_unix_s: unix_s,
            duration_s: minutes * 60.0,
            cruise_mps: 3.1,
            hill_m: 10.0,
            record_every_s: 5,
        },
        seed,
    )
}

#[test]
fn the_committed_sample_block_is_what_the_simulator_writes() {
    let files = gaitguard::simulate::block::sample_block();
    let dir = sample_block();
    let mut on_disk: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    on_disk.sort();
    let mut names: Vec<String> = files.iter().map(|f| f.name.clone()).collect();
    names.sort();
    assert_eq!(on_disk, names);
    for f in &files {
        assert!(
            std::fs::read(dir.join(&f.name)).unwrap() == f.bytes,
            "{} differs from `gaitguard simulate --block`",
            f.name
        );
    }
}

#[test]
fn the_sample_block_finds_its_planted_load_errors() {
    let (v, code) = json_of(&["block", sample_block().to_str().unwrap()]);
    assert_eq!(code, 0);
    assert_eq!(v["schema"], "gaitguard.block/1");
    let sessions = v["sessions"].as_array().unwrap();
    assert_eq!(
        sessions.len(),
        26,
        "26 planned runs, the duplicate analysed once"
    );
    // Ordered by start time.
    let starts: Vec<&str> = sessions
        .iter()
        .map(|s| s["start_time"].as_str().unwrap())
        .collect();
    let mut sorted = starts.clone();
    sorted.sort();
    assert_eq!(starts, sorted);
    // No per-step detail, but the session summary and its risk.
    assert!(sessions[0]["metrics"]["cadence_spm"]["median"].is_number());
    assert!(sessions[0]["risk"]["score"].is_number());
    assert!(sessions[0].get("steps").is_none());
    // Skipped: the README and the CSV copy of the first run.
    let skipped = v["skipped"].as_array().unwrap();
    assert_eq!(skipped.len(), 2, "{skipped:?}");
    assert!(skipped.iter().any(|s| {
        s["file"]
            .as_str()
            .unwrap()
            .ends_with("week1-day2-40min-records.csv")
            && s["reason"].as_str().unwrap().contains("same activity")
    }));
    assert!(
        skipped
            .iter()
            .any(|s| s["file"].as_str().unwrap().ends_with("README.md"))
    );
    assert_eq!(v["failures"].as_array().unwrap().len(), 0);
    // Eight ISO weeks from Monday 2026-09-07.
    let weeks = v["weeks"].as_array().unwrap();
    assert_eq!(weeks.len(), 8);
    assert_eq!(weeks[0]["week_start"], "2026-09-07");
    for w in weeks {
        for k in [
            "week_start",
            "distance_m",
            "duration_s",
            "sessions",
            "longest_run_m",
            "change_pct",
            "flags",
        ] {
            assert!(w.get(k).is_some(), "week lacks {k}: {w}");
        }
    }
    let flags = |i: usize| -> Vec<String> {
        weeks[i]["flags"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f.as_str().unwrap().to_string())
            .collect()
    };
    assert!(
        flags(4).contains(&"up_30pct".to_string()),
        "week 5: {:?}",
        flags(4)
    );
    assert!(
        flags(7).contains(&"spike_30-100".to_string()),
        "week 8: {:?}",
        flags(7)
    );
    for i in [1, 2, 3, 5, 6] {
        assert!(
            !flags(i)
                .iter()
                .any(|f| f.starts_with("spike") || f.starts_with("up_")),
            "week {}: {:?}",
            i + 1,
            flags(i)
        );
    }
    // The long run of week 8 is the only spike.
    let spikes: Vec<&Value> = sessions
        .iter()
        .filter(|s| !s["block"]["spike"].is_null())
        .collect();
    assert_eq!(spikes.len(), 1);
    assert_eq!(spikes[0]["block"]["local_date"], "2026-11-01");
    let inc = spikes[0]["block"]["spike"]["increase_pct"]
        .as_f64()
        .unwrap();
    assert!((40.0..70.0).contains(&inc), "{inc}");
    // Days: every day of the block, with the ratio once 28 days are in.
    let days = v["days"].as_array().unwrap();
    assert_eq!(days.first().unwrap()["date"], "2026-09-08");
    assert_eq!(days.last().unwrap()["date"], "2026-11-01");
    assert_eq!(days.len(), 55);
    assert!(days[10]["acute_chronic_ratio"].is_null());
    assert!(days[40]["acute_chronic_ratio"].is_number());
    for k in [
        "date",
        "distance_m",
        "acute_chronic_ratio",
        "risk_score",
        "flags",
    ] {
        assert!(days[0].get(k).is_some(), "day lacks {k}");
    }
    // The current risk names the spike and the volume jump first.
    let risk = &v["risk"];
    assert_eq!(risk["date"], "2026-11-01");
    let ids: Vec<&str> = risk["factors"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["points"].as_f64().unwrap() > 0.0)
        .map(|f| f["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        &ids[..2],
        ["long_run_spike", "weekly_volume_jump"],
        "{ids:?}"
    );
    for f in risk["factors"].as_array().unwrap() {
        for k in ["id", "value", "threshold", "points", "evidence", "advice"] {
            assert!(f.get(k).is_some(), "factor lacks {k}");
        }
    }
    assert!(
        risk["score"].as_u64().unwrap() >= 25,
        "moderate at least: {}",
        risk["score"]
    );
    assert!(!risk["this_week"].as_array().unwrap().is_empty());
    assert!(
        risk["disclaimer"]
            .as_str()
            .unwrap()
            .contains("not a diagnosis")
    );
    // The day before the spike scores less than the day of it.
    let score = |d: &str| {
        days.iter().find(|x| x["date"] == d).unwrap()["risk_score"]
            .as_u64()
            .unwrap()
    };
    assert!(score("2026-10-31") < score("2026-11-01"));
    // The usual cadence was learned and used.
    assert_eq!(v["trends"]["usual_cadence_source"], "learned");
}

#[test]
fn the_terminal_table_has_one_line_per_week_and_the_readme_command_works() {
    let out = gg().arg("block").arg(sample_block()).output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    // One line per week, flagged weeks marked "!!" (high) in the margin.
    let week_lines: Vec<&str> = text
        .lines()
        .filter(|l| l.trim_start_matches(['!', ' ']).starts_with("2026-"))
        .filter(|l| !l.contains("km,"))
        .collect();
    assert_eq!(week_lines.len(), 8, "{text}");
    assert!(week_lines[4].starts_with("!!") && week_lines[7].starts_with("!!"));
    assert!(week_lines[1].starts_with("  "));
    assert!(text.contains("Calf-strain risk on 2026-11-01"));
    assert!(text.contains("This week:"));
    assert!(text.contains("not a diagnosis"));
    assert!(
        out.stderr.is_empty(),
        "no progress bar when stderr is not a terminal: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn one_bad_file_is_reported_and_the_rest_go_on() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let t0 = 1_788_739_200.0 + 7.0 * 3600.0;
    for i in 0..4 {
        let r = run_at(t0 + i as f64 * 2.0 * 86_400.0, 30.0, i);
        std::fs::write(d.join(format!("run{i}.fit")), fit_bytes(&r)).unwrap();
    }
    std::fs::write(d.join("broken.fit"), b".FIT not really").unwrap();
    std::fs::write(d.join("empty.csv"), b"").unwrap();
    std::fs::create_dir(d.join("sub")).unwrap();
    std::fs::write(d.join("sub/notes.kml"), b"<kml/>").unwrap();
    let json = d.join("out/block.json");
    std::fs::create_dir(d.join("out")).unwrap();
    let csv = d.join("out/sessions.csv");
    let out = gg()
        .arg("block")
        .arg(d)
        .arg("--json")
        .arg(&json)
        .arg("--csv")
        .arg(&csv)
        .arg("--jobs")
        .arg("2")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "exit 1 when any input failed");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("broken.fit") && err.contains("empty.csv"),
        "{err}"
    );
    let v: Value = serde_json::from_slice(&std::fs::read(&json).unwrap()).unwrap();
    assert_eq!(v["sessions"].as_array().unwrap().len(), 4);
    let failures = v["failures"].as_array().unwrap();
    assert_eq!(failures.len(), 2);
    for f in failures {
        assert!(f["file"].is_string() && !f["error"].as_str().unwrap().is_empty());
    }
    let skipped = v["skipped"].as_array().unwrap();
    assert!(
        skipped
            .iter()
            .any(|s| s["file"].as_str().unwrap().ends_with("notes.kml"))
    );
    // CSV: one row per input file, failures with their error.
    let mut r = csv::Reader::from_path(&csv).unwrap();
    let header: Vec<String> = r.headers().unwrap().iter().map(str::to_string).collect();
    assert_eq!(header, gaitguard::report::block::CSV_COLUMNS);
    let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 4 + 2 + 1);
    let err_col = header.iter().position(|h| h == "error").unwrap();
    let status: Vec<&str> = rows.iter().map(|r| &r[1]).collect();
    assert_eq!(status.iter().filter(|s| **s == "analysed").count(), 4);
    for row in rows.iter().filter(|r| &r[1] == "failed") {
        assert!(!row[err_col].is_empty());
    }
    // No temporary files left behind.
    let left: Vec<_> = std::fs::read_dir(d.join("out")).unwrap().collect();
    assert_eq!(left.len(), 2);
}

#[test]
fn sessions_are_ordered_by_start_time_not_by_name() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let t0 = 1_788_739_200.0 + 7.0 * 3600.0;
    // Names run backwards in time; one CSV, two FIT.
    for (name, day) in [("a.fit", 4.0), ("b.csv", 2.0), ("c.fit", 0.0)] {
        let r = run_at(t0 + day * 86_400.0, 25.0, day as u64);
        let bytes = if name.ends_with(".fit") {
            fit_bytes(&r)
        } else {
            records_csv(&r).into_bytes()
        };
        std::fs::write(d.join(name), bytes).unwrap();
    }
    let (v, code) = json_of(&["block", d.to_str().unwrap()]);
    assert_eq!(code, 0);
    let files: Vec<String> = v["sessions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            Path::new(s["file"].as_str().unwrap())
                .file_name()
                .unwrap()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    assert_eq!(files, ["c.fit", "b.csv", "a.fit"]);
}

#[test]
fn weeks_follow_the_runners_time_zone() {
    // A run at 23:30 UTC on Sunday 2026-09-13 (CSV: no offset of its own).
    let dir = tempfile::tempdir().unwrap();
    let sunday_2330 = 1_788_739_200.0 + 6.0 * 86_400.0 + 23.5 * 3600.0;
    std::fs::write(
        dir.path().join("late.csv"),
        records_csv(&run_at(sunday_2330, 20.0, 1)),
    )
    .unwrap();
    let week = |offset: &str| {
        let (v, code) = json_of(&[
            "block",
            dir.path().to_str().unwrap(),
            "--utc-offset",
            offset,
        ]);
        assert_eq!(code, 0);
        (
            v["sessions"][0]["block"]["local_date"]
                .as_str()
                .unwrap()
                .to_string(),
            v["weeks"][0]["week_start"].as_str().unwrap().to_string(),
        )
    };
    // UTC+1: Monday 00:30, the next ISO week.
    assert_eq!(week("+01:00"), ("2026-09-14".into(), "2026-09-14".into()));
    // UTC-5: Sunday 18:30, still the week of Monday the 7th.
    assert_eq!(week("-05:00"), ("2026-09-13".into(), "2026-09-07".into()));
}

#[test]
fn since_and_until_select_the_block() {
    let (v, code) = json_of(&[
        "block",
        sample_block().to_str().unwrap(),
        "--since",
        "2026-10-05",
        "--until",
        "2026-10-18",
    ]);
    assert_eq!(code, 0);
    let sessions = v["sessions"].as_array().unwrap();
    assert_eq!(sessions.len(), 7, "weeks 5 and 6");
    assert_eq!(v["days"].as_array().unwrap().len(), 14);
    assert_eq!(v["risk"]["date"], "2026-10-18");
    let outside = v["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| {
            let r = s["reason"].as_str().unwrap();
            r.contains("--since") || r.contains("--until")
        })
        .count();
    assert_eq!(outside, 26 - 7);
}

#[test]
fn runs_before_since_are_history_for_the_load() {
    let full = json_of(&["block", sample_block().to_str().unwrap()]).0;
    let (v, code) = json_of(&[
        "block",
        sample_block().to_str().unwrap(),
        "--since",
        "2026-10-10",
    ]);
    assert_eq!(code, 0);
    assert_eq!(v["first_day"], "2026-10-10");
    assert!(
        v["sessions"]
            .as_array()
            .unwrap()
            .iter()
            .all(|s| s["block"]["local_date"].as_str().unwrap() >= "2026-10-10")
    );
    // The week-8 spike is still judged against the runs before --since, and today's risk is
    // the same as with the whole block.
    let spike = v["sessions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["block"]["local_date"] == "2026-11-01")
        .unwrap();
    assert_eq!(spike["block"]["spike"]["band"], "30-100");
    assert_eq!(v["risk"]["score"], full["risk"]["score"]);
    assert_eq!(v["days"][0]["date"], "2026-10-10");
}

/// The records CSV of a run with its ISO timestamps replaced: `elapsed` seconds from 0, or
/// local clock times without a zone, `shift_s` later than UTC.
fn csv_with_time(run: &gaitguard::simulate::SimulatedRun, elapsed: bool, shift_s: f64) -> String {
    let text = records_csv(run);
    let mut out = String::new();
    for (i, line) in text.lines().enumerate() {
        if i == 0 {
            out.push_str(line);
        } else {
            let (_, rest) = line.split_once(',').unwrap();
            let t = run.records[i - 1].t_s;
            let stamp = if elapsed {
                format!("{t}")
            } else {
                gaitguard::time::rfc3339(run.start_unix_s + t + shift_s)
                    .unwrap()
                    .trim_end_matches('Z')
                    .to_string()
            };
            out.push_str(&stamp);
            out.push(',');
            out.push_str(rest);
        }
        out.push('\n');
    }
    out
}

#[test]
fn same_name_different_days_are_two_runs_but_a_local_time_conversion_is_one() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let t0 = 1_788_739_200.0 + 5.5 * 3600.0;
    // Two different runs without a clock of their own, placed by the dates in their names a
    // week apart, of the same length: they stay two.
    std::fs::create_dir_all(d.join("w1")).unwrap();
    std::fs::create_dir_all(d.join("w2")).unwrap();
    let a = run_at(t0, 40.0, 1);
    let b = run_at(t0 + 7.0 * 86_400.0, 40.0, 2);
    std::fs::write(
        d.join("w1/2026-09-07-run.csv"),
        csv_with_time(&a, true, 0.0),
    )
    .unwrap();
    std::fs::write(
        d.join("w2/2026-09-14-run.csv"),
        csv_with_time(&b, true, 0.0),
    )
    .unwrap();
    // The same stem on different days must not merge either.
    std::fs::write(d.join("w1/easy.csv"), csv_with_time(&a, true, 0.0)).unwrap();
    let (v, _) = json_of(&["block", d.to_str().unwrap(), "--utc-offset", "+00:00"]);
    let n = v["sessions"].as_array().unwrap().len();
    // easy.csv has no date in its name: it is placed by its modification time (today), a
    // different day from both dated runs, so nothing merges.
    assert_eq!(n, 3, "{}", v["skipped"]);

    // A FIT file and its conversion written in local time (UTC+2) without a zone: one activity.
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let r = run_at(t0, 40.0, 3);
    std::fs::write(d.join("morning.fit"), fit_bytes(&r)).unwrap();
    std::fs::write(
        d.join("morning-records.csv"),
        csv_with_time(&r, false, 7200.0),
    )
    .unwrap();
    let (v, code) = json_of(&["block", d.to_str().unwrap()]);
    assert_eq!(code, 0);
    assert_eq!(
        v["sessions"].as_array().unwrap().len(),
        1,
        "{}",
        v["skipped"]
    );
    assert!(
        v["sessions"][0]["file"]
            .as_str()
            .unwrap()
            .ends_with("morning.fit")
    );
    assert!(
        v["skipped"][0]["reason"]
            .as_str()
            .unwrap()
            .contains("same activity")
    );
}

#[test]
fn block_usage_errors_exit_2() {
    let s = sample_block();
    for args in [
        vec!["--since", "2026-13-01"],
        vec!["--until", "+262142-12-31"],
        vec!["--since", "1900-01-01"],
        vec!["--since", "2026-10-10", "--until", "2026-10-01"],
        vec!["--jobs", "0"],
        vec!["--utc-offset", "+15:00"],
        vec!["--utc-offset", "CET"],
        vec!["--json", "-", "--csv", "-"],
    ] {
        let out = gg().arg("block").arg(&s).args(&args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("invalid value"),
            "{args:?}"
        );
    }
    // A folder with nothing to analyse is an input error.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("notes.txt.bak"), b"x").unwrap();
    let out = gg().arg("block").arg(dir.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no activity files or training logs"));
}

#[test]
fn the_real_fit_files_as_a_block() {
    let Some(dir) = common::shared_data("fit") else {
        return;
    };
    let (v, code) = json_of(&["block", dir.to_str().unwrap(), "--verbose"]);
    let sessions = v["sessions"].as_array().unwrap();
    let skipped = v["skipped"].as_array().unwrap();
    let failures = v["failures"].as_array().unwrap();
    println!(
        "shared/data/fit as a block: {} sessions, {} skipped, {} failed",
        sessions.len(),
        skipped.len(),
        failures.len()
    );
    for s in sessions {
        println!(
            "  {} {} {} km, risk {}",
            s["block"]["local_date"],
            s["file"].as_str().unwrap().rsplit('/').next().unwrap(),
            s["distance_m"].as_f64().unwrap_or(0.0) / 1000.0,
            s["risk"]["score"]
        );
    }
    assert_eq!(code, if failures.is_empty() { 0 } else { 1 });
    // Every fitparse CSV dump that has its FIT file beside it is analysed once.
    let fits: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| {
            let n = e.unwrap().file_name().to_string_lossy().into_owned();
            n.strip_suffix(".fit").map(str::to_string)
        })
        .collect();
    for e in std::fs::read_dir(&dir).unwrap() {
        let name = e.unwrap().file_name().to_string_lossy().into_owned();
        let Some(stem) = name
            .strip_suffix(".fitparse-records.csv")
            .or_else(|| name.strip_suffix("-records.csv"))
        else {
            continue;
        };
        if fits.iter().any(|x| x == stem) {
            assert!(
                skipped
                    .iter()
                    .any(|s| s["file"].as_str().unwrap().ends_with(&name)
                        && s["reason"].as_str().unwrap().contains("same activity")),
                "{name} was not recognised as its FIT file's conversion"
            );
        }
    }
    assert!(
        skipped
            .iter()
            .any(|s| s["file"].as_str().unwrap().ends_with("expected.jsonl"))
    );
    // The watch files carry their own clock: the garmin run is placed on its own date.
    let fenix = sessions
        .iter()
        .find(|s| {
            s["file"]
                .as_str()
                .unwrap()
                .ends_with("garmin-fenix-5-run.fit")
        })
        .expect("garmin-fenix-5-run.fit analysed");
    assert_eq!(fenix["block"]["start_source"], "file");
}

/// A named pipe inside a block folder is listed as skipped, never opened: the block finishes
/// (before, reading it waited forever for a writer).
#[cfg(unix)]
#[test]
fn a_named_pipe_in_the_folder_is_skipped_not_waited_on() {
    let dir = tempfile::tempdir().unwrap();
    for e in std::fs::read_dir(sample_block()).unwrap().flatten() {
        std::fs::copy(e.path(), dir.path().join(e.file_name())).unwrap();
    }
    let fifo = dir.path().join("zz-pipe.fit");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    if !made.is_ok_and(|s| s.success()) {
        eprintln!("skipped: mkfifo is not available");
        return;
    }
    let out = gg()
        .arg("block")
        .arg(dir.path())
        .args(["--json", "-"])
        .timeout(std::time::Duration::from_secs(120))
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let skipped = v["skipped"].as_array().unwrap();
    assert!(
        skipped.iter().any(|s| s["file"]
            .as_str()
            .is_some_and(|f| f.ends_with("zz-pipe.fit"))
            && s["reason"]
                .as_str()
                .is_some_and(|r| r.contains("named pipe"))),
        "{skipped:?}"
    );
    assert!(v["sessions"].as_array().is_some_and(|s| !s.is_empty()));
}

/// A watch file whose clock is 2^31 s ahead (a corrupt clock, a GPS week rollover) dropped
/// into the sample block: listed as skipped with a warning, never the block's "today", never
/// in the load. The block's current risk and last day are those of the block without it.
#[test]
fn a_future_dated_file_never_becomes_the_blocks_today() {
    let (plain, _) = json_of(&["block", sample_block().to_str().unwrap()]);
    let dir = tempfile::tempdir().unwrap();
    for e in std::fs::read_dir(sample_block()).unwrap().flatten() {
        std::fs::copy(e.path(), dir.path().join(e.file_name())).unwrap();
    }
    let last_start = plain["sessions"].as_array().unwrap().last().unwrap()["start_time"]
        .as_str()
        .map(|t| chrono::DateTime::parse_from_rfc3339(t).unwrap().timestamp())
        .unwrap() as f64;
    let future = run_at(last_start + 2f64.powi(31), 40.0, 5);
    std::fs::write(dir.path().join("week9-day1.fit"), fit_bytes(&future)).unwrap();
    // And one from before 1990: a clock that was never set.
    let past = run_at(400_000_000.0, 40.0, 6);
    std::fs::write(dir.path().join("unset-clock.fit"), fit_bytes(&past)).unwrap();
    let (v, code) = json_of(&["block", dir.path().to_str().unwrap()]);
    assert_eq!(code, 0);
    assert_eq!(v["last_day"], plain["last_day"]);
    assert_eq!(v["last_day_source"], "last_session");
    assert_eq!(v["risk"]["score"], plain["risk"]["score"]);
    assert_eq!(
        plain["risk"]["score"], 36,
        "the sample block's planted risk"
    );
    assert_eq!(v["sessions"].as_array().unwrap().len(), 26);
    assert_eq!(v["days"], plain["days"]);
    let skipped = v["skipped"].as_array().unwrap();
    for name in ["week9-day1.fit", "unset-clock.fit"] {
        assert!(
            skipped
                .iter()
                .any(|s| s["file"].as_str().unwrap().ends_with(name)
                    && s["reason"]
                        .as_str()
                        .unwrap()
                        .contains("not counted in the load")),
            "{name}: {skipped:?}"
        );
    }
    let warning = v["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["code"] == "implausible_time")
        .expect("a warning");
    assert!(warning["message"].as_str().unwrap().contains("2 sessions"));
    // `--until` names its own source.
    let (u, _) = json_of(&[
        "block",
        dir.path().to_str().unwrap(),
        "--until",
        "2026-10-25",
    ]);
    assert_eq!(
        (u["last_day"].as_str(), u["last_day_source"].as_str()),
        (Some("2026-10-25"), Some("until"))
    );
}
