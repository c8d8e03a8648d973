//! Training logs in a block (issue 15, item 6): plain logs, Strava's `activities.csv` (its
//! manual entries inside an export zip), Garmin Connect's activity list; session-RPE load;
//! a log row and a file of the same run counted once.

use crate::common::gg;
use serde_json::Value;
use std::io::Write;
use std::path::{Path, PathBuf};

fn sample_block() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("samples/block")
}

fn block_json(args: &[&Path]) -> (Value, String) {
    let out = gg()
        .arg("block")
        .args(args)
        .args(["--json", "-"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(matches!(out.status.code(), Some(0 | 1)), "{err}");
    (serde_json::from_slice(&out.stdout).unwrap(), err)
}

fn by_file<'a>(b: &'a Value, suffix: &str) -> Option<&'a Value> {
    b["sessions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["file"].as_str().unwrap().ends_with(suffix))
}

#[test]
fn a_plain_log_extends_the_history_with_session_rpe_loads() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("training-log.csv");
    // Three runs in August (RPE 4, 5, 6: usual 5), a ride, and the sample block's first run
    // (2026-09-08, 40 min) logged again.
    std::fs::write(
        &log,
        "date,distance_km,duration_min,rpe,type,notes\n2026-08-01,8,45,4,run,easy\n2026-08-03,10,55,5,run,\n2026-08-05,25,60,,ride,\n2026-08-08,12,65,6,run,long\n2026-09-08,7.4,40,5,run,the FIT's run\n",
    )
    .unwrap();
    let (b, err) = block_json(&[&sample_block(), &log]);
    assert_eq!(b["first_day"], "2026-08-01", "{err}");
    let row = by_file(&b, "training-log.csv/line-2").expect("the first row");
    assert_eq!(row["format"], "training-log");
    assert_eq!(row["block"]["start_source"], "log");
    assert_eq!(row["block"]["local_date"], "2026-08-01");
    assert_eq!(row["block"]["intensity_from"], "session_rpe");
    // Foster's session load made relative: 45 min × 4 / 5.
    assert!((row["block"]["load_au"].as_f64().unwrap() - 36.0).abs() < 1e-9);
    assert!(row["block"]["counted"].as_bool().unwrap());
    assert!(row["metrics"]["cadence_spm"].is_null());
    // The ride is listed, not counted; the re-logged run counts once, as its FIT.
    let skipped = b["skipped"].as_array().unwrap();
    assert!(
        skipped
            .iter()
            .any(|s| s["file"].as_str().unwrap().ends_with("line-4")
                && s["reason"].as_str().unwrap().contains("ride"))
    );
    assert!(
        skipped
            .iter()
            .any(|s| s["file"].as_str().unwrap().ends_with("line-6")
                && s["reason"].as_str().unwrap().contains("the same activity")),
        "{skipped:?}"
    );
    assert!(by_file(&b, "week1-day2-40min.fit").is_some());
    // The sample block alone has 26 sessions; the log adds its 3 August runs.
    assert_eq!(b["sessions"].as_array().unwrap().len(), 29);
}

#[test]
fn analyze_says_a_log_is_for_block() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("log.csv");
    std::fs::write(&log, "date,distance_km,duration_min\n2026-08-01,8,45\n").unwrap();
    let out = gg().arg("analyze").arg(&log).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("training log") && err.contains("gaitguard block"),
        "{err}"
    );
}

#[test]
fn strava_manual_entries_count_in_the_load() {
    let dir = tempfile::tempdir().unwrap();
    let zip_path = dir.path().join("export_1.zip");
    let mut z = zip::ZipWriter::new(std::fs::File::create(&zip_path).unwrap());
    let opts = zip::write::SimpleFileOptions::default();
    let fit = std::fs::read(sample_block().join("week8-day2-45min.fit"))
        .or_else(|_| std::fs::read(sample_block().join("week6-day2-45min.fit")))
        .unwrap();
    z.start_file("activities/111.fit", opts).unwrap();
    z.write_all(&fit).unwrap();
    z.start_file("activities.csv", opts).unwrap();
    z.write_all(
        b"Activity ID,Activity Date,Activity Name,Activity Type,Elapsed Time,Distance,Filename,Moving Time,Distance,Perceived Exertion\n\
1,\"Oct 20, 2026, 5:00:00 AM\",Morning Run,Run,2700,7.5,activities/111.fit,2700,7500.0,\n\
2,\"Oct 22, 2026, 5:00:00 PM\",Treadmill (manual),Run,3000,9.0,,3000,9000.0,6\n\
3,\"Oct 23, 2026, 5:00:00 PM\",Yoga,Yoga,3600,0,,3600,0,\n",
    )
    .unwrap();
    z.finish().unwrap();
    let (b, err) = block_json(&[&zip_path]);
    let manual = by_file(&b, "activities.csv/line-3").unwrap_or_else(|| panic!("{b}\n{err}"));
    assert_eq!(manual["format"], "strava-activities");
    assert_eq!(manual["start_time"], "2026-10-22T17:00:00Z");
    assert_eq!(manual["distance_m"], 9000.0);
    assert!(manual["block"]["counted"].as_bool().unwrap());
    // The row with a file is that file's session, not a second one.
    assert_eq!(b["sessions"].as_array().unwrap().len(), 2);
    assert!(
        b["skipped"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["reason"].as_str().unwrap().contains("Yoga"))
    );
}

#[test]
fn garmin_activity_lists_in_two_languages() {
    let dir = tempfile::tempdir().unwrap();
    let en = dir.path().join("Activities.csv");
    std::fs::write(
        &en,
        "Activity Type,Date,Favorite,Title,Distance,Calories,Time,Avg HR\nRunning,2026-11-02 07:31:12,false,Morning Run,10.02,700,00:52:10,150\nCycling,2026-11-03 17:00:00,false,Ride,30.0,800,01:05:00,130\n",
    )
    .unwrap();
    let de = dir.path().join("Aktivitaeten.csv");
    std::fs::write(
        &de,
        "Aktivitätstyp,Datum,Favorit,Titel,Distanz,Kalorien,Zeit\nLaufen,2026-11-05 18:00:00,false,Lauf,\"8,50\",600,00:45:00\n",
    )
    .unwrap();
    let (b, err) = block_json(&[&en, &de]);
    let sessions = b["sessions"].as_array().unwrap();
    assert_eq!(sessions.len(), 2, "{err}");
    assert_eq!(sessions[0]["distance_m"], 10020.0);
    assert_eq!(sessions[0]["running_time_s"], 3130.0);
    assert_eq!(sessions[1]["distance_m"], 8500.0);
    assert_eq!(sessions[1]["block"]["local_date"], "2026-11-05");
}
