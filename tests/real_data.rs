//! Session analysis of the reference recordings in `../shared/data` (skipped when absent).

mod common;

use gaitguard::ingest::{Dialect, IngestOptions, detect, read_recording};
use gaitguard::metrics::activity::Activity;
use gaitguard::metrics::summarize;

fn analyse(
    path: &std::path::Path,
) -> (
    gaitguard::recording::Recording,
    gaitguard::metrics::SessionMetrics,
) {
    let rec = read_recording(path, &IngestOptions::default()).unwrap_or_else(|e| panic!("{e}"));
    let m = summarize(&rec).unwrap_or_else(|e| panic!("{e}"));
    (rec, m)
}

fn mean(m: &gaitguard::metrics::SessionMetrics, k: &str) -> Option<f64> {
    m.metrics.get(k).copied().flatten().map(|s| s.mean)
}

#[test]
fn every_fit_file_is_analysed() {
    let Some(dir) = common::shared_data("fit") else {
        return;
    };
    for e in std::fs::read_dir(&dir).unwrap() {
        let p = e.unwrap().path();
        if p.extension().and_then(|x| x.to_str()) == Some("fit") {
            let (_, m) = analyse(&p);
            assert!(m.running_time_s + m.walking_time_s > 0.0, "{}", p.display());
            for k in gaitguard::metrics::CORE_METRICS {
                assert!(m.metrics.contains_key(k), "{} lacks key {k}", p.display());
            }
        }
    }
}

/// The run legs' means against the watch's own session averages (expected.jsonl). The
/// watch averages the whole session; gaitguard averages running time only, so the bound is
/// looser than the decoder's (which is exact, see fit_decoding.rs).
#[test]
fn running_means_agree_with_the_watch() {
    let Some(dir) = common::shared_data("fit") else {
        return;
    };
    // Fenix 5 run: watch 2×(83+0.67) = 167.3 spm, GCT 270.3 ms, VO 7.62 cm, step 0.972 m.
    let (_, m) = analyse(&dir.join("garmin-fenix-5-run.fit"));
    assert_eq!(m.activity, Activity::Running);
    let cad = mean(&m, "cadence_spm").unwrap();
    // 21 records over 57 s including the start from standstill: within 8 spm of the watch.
    assert!((cad - 167.3).abs() < 8.0, "{cad}");
    // Triathlon run leg (sample_mulitple_header.fit session 5): watch 167.0 spm, 252 ms,
    // 10.14 cm, 1.238 m, balance 51.66 %.
    let (_, m) = analyse(&dir.join("sample_mulitple_header.fit"));
    assert_eq!(m.sessions.len(), 1);
    assert_eq!(m.sessions[0].sport, "running");
    assert!(m.skipped_sessions.contains(&"swimming".to_string()));
    assert!(m.skipped_sessions.contains(&"cycling".to_string()));
    let d = &m.sessions[0].device_averages;
    assert!((d.cadence_spm.unwrap() - 167.03).abs() < 0.01);
    let rel = |k: &str, watch: f64| (mean(&m, k).unwrap() - watch).abs() / watch;
    assert!((mean(&m, "cadence_spm").unwrap() - 167.03).abs() < 1.0);
    assert!(rel("ground_contact_ms", 252.0) < 0.01);
    assert!(rel("vertical_oscillation_cm", 10.14) < 0.02);
    assert!(rel("step_length_m", 1.238) < 0.02);
    assert!(rel("gct_balance_left_pct", 51.66) < 0.01);
}

#[test]
fn the_walk_is_called_walking() {
    let Some(dir) = common::shared_data("fit") else {
        return;
    };
    let (_, m) = analyse(&dir.join("garmin-fenix-5-walk.fit"));
    assert_eq!(m.activity, Activity::Walking);
    assert_eq!(m.metrics_from, Activity::Walking);
    let cad = mean(&m, "cadence_spm").unwrap();
    assert!((cad - 121.2).abs() < 3.0, "{cad}");
    // Running zones do not apply to walking.
    assert!(m.metrics["cadence_spm"].unwrap().zone.is_none());
}

#[test]
fn the_file_without_cadence_is_analysed_for_what_it_has() {
    let Some(dir) = common::shared_data("fit") else {
        return;
    };
    let (rec, m) = analyse(&dir.join("2013-02-06-12-11-14.fit"));
    assert!(m.metrics["cadence_spm"].is_none());
    assert!(m.metrics["ground_contact_ms"].is_none());
    assert!(m.metrics["heart_rate_bpm"].is_some());
    assert!(m.metrics["speed_mps"].is_some());
    let note = m
        .warnings
        .iter()
        .find(|w| w.code == gaitguard::vocab::WarningCode::NotInFile)
        .expect("a note of what is missing");
    assert!(note.message.contains("cadence") && note.message.contains("ground contact"));
    assert_eq!(rec.start_unix_s, Some(1_360_152_674.0)); // 2013-02-06T12:11:14Z
    assert!((m.distance_m.unwrap() - 4835.4).abs() < 5.0);
}

#[test]
fn multisport_analyses_the_running_sessions_and_says_which() {
    let Some(dir) = common::shared_data("fit") else {
        return;
    };
    let (_, m) = analyse(&dir.join("activity-large-fenxi2-multisport.fit"));
    assert_eq!(
        m.sessions.iter().map(|s| s.index).collect::<Vec<_>>(),
        vec![2, 4]
    );
    assert!(m.skipped_sessions.contains(&"cycling".to_string()));
    assert!(
        m.warnings
            .iter()
            .any(|w| w.code == gaitguard::vocab::WarningCode::SessionsSkipped)
    );
}

#[test]
fn stryd_developer_fields_are_read() {
    let Some(dir) = common::shared_data("fit") else {
        return;
    };
    let (rec, m) = analyse(&dir.join("developer-types-sample.fit"));
    assert_eq!(rec.placement, Some(gaitguard::recording::Placement::Foot));
    let lss = mean(&m, "leg_spring_stiffness_kn_per_m").expect("Leg Spring Stiffness");
    assert!((5.0..30.0).contains(&lss), "{lss}");
    assert!(mean(&m, "form_power_w").is_some());
}

#[test]
fn compressed_timestamps_give_no_false_date() {
    let Some(dir) = common::shared_data("fit") else {
        return;
    };
    let (rec, m) = analyse(&dir.join("compressed-speed-distance.fit"));
    assert_eq!(rec.start_unix_s, None);
    assert!(
        rec.warnings
            .iter()
            .any(|w| w.code == gaitguard::vocab::WarningCode::RelativeTime)
    );
    assert!((mean(&m, "cadence_spm").unwrap() - 176.0).abs() < 3.0);
}

/// The same activity as FIT and as a per-record CSV dump gives the same metrics.
#[test]
fn csv_dumps_agree_with_their_fit() {
    let Some(dir) = common::shared_data("fit") else {
        return;
    };
    for stem in ["activity-small-fenix2-run", "developer-types-sample"] {
        let (_, a) = analyse(&dir.join(format!("{stem}.fit")));
        let (rec, b) = analyse(&dir.join(format!("{stem}.fitparse-records.csv")));
        assert_eq!(rec.format, "fitparse-records");
        for k in [
            "cadence_spm",
            "ground_contact_ms",
            "vertical_oscillation_cm",
            "speed_mps",
            "heart_rate_bpm",
        ] {
            let (x, y) = (mean(&a, k).unwrap(), mean(&b, k).unwrap());
            assert!(
                (x - y).abs() <= 0.01 * x.abs().max(1.0),
                "{stem} {k}: fit {x} csv {y}"
            );
        }
    }
}

#[test]
fn every_export_format_is_recognised() {
    let Some(dir) = common::shared_data("export-formats") else {
        return;
    };
    let expect = [
        ("actigraph_gt3x_raw.csv", Dialect::ActigraphRaw),
        ("actigraph_link_imu.csv", Dialect::ActigraphImu),
        ("fitparse_fenix5_run_records.csv", Dialect::FitparseRecords),
        ("garmin_fitcsvtool_sdk_activity.csv", Dialect::FitCsvTool),
        (
            "garmin_fitcsvtool_vivoactive3_quoted.csv",
            Dialect::FitCsvTool,
        ),
        ("metamotion_metawear_accel.csv", Dialect::MetaMotion),
        ("phyphox_acceleration_with_g_resaved.csv", Dialect::Phyphox),
        ("phyphox_accelerometer_with_g.csv", Dialect::Phyphox),
        ("phyphox_linear_accelerometer.csv", Dialect::Phyphox),
        (
            "sensorlogger_totalacceleration_variant.csv",
            Dialect::SensorLogger,
        ),
    ];
    let mut seen = 0;
    for e in std::fs::read_dir(&dir).unwrap() {
        let p = e.unwrap().path();
        let name = p.file_name().unwrap().to_string_lossy().to_string();
        let want = expect
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, d)| *d)
            .unwrap_or_else(|| panic!("new file {name}: add it here"));
        let got = detect(&std::fs::read(&p).unwrap()).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(got, want, "{name}");
        seen += 1;
    }
    assert_eq!(seen, expect.len());
}

#[test]
fn watch_export_formats_are_read() {
    let Some(dir) = common::shared_data("export-formats") else {
        return;
    };
    // FitCSVTool SDK example: compressed speed/distance "132|0|3" is 1.32 m/s and 3.0 m.
    let rec = read_recording(
        &dir.join("garmin_fitcsvtool_sdk_activity.csv"),
        &IngestOptions::default(),
    )
    .unwrap();
    let sp = rec
        .series
        .get(gaitguard::recording::Channel::SpeedMps)
        .unwrap();
    assert!((sp[0] - 1.32).abs() < 1e-9, "{}", sp[0]);
    let d = rec
        .series
        .get(gaitguard::recording::Channel::DistanceM)
        .unwrap();
    assert!((d[0] - 3.0).abs() < 1e-9, "{}", d[0]);
    // Quoted FitCSVTool rows without a header: FIT-epoch timestamps 944854563 → 2019-12-10.
    let rec = read_recording(
        &dir.join("garmin_fitcsvtool_vivoactive3_quoted.csv"),
        &IngestOptions::default(),
    )
    .unwrap();
    assert_eq!(rec.start_unix_s, Some(944_854_563.0 + 631_065_600.0));
    // fitparse dump with date(1) timestamps in PDT and strides/min cadence.
    let rec = read_recording(
        &dir.join("fitparse_fenix5_run_records.csv"),
        &IngestOptions::default(),
    )
    .unwrap();
    assert_eq!(rec.start_unix_s, Some(1_497_191_649.0)); // 2017-06-11T14:34:09Z
    assert!(
        rec.warnings
            .iter()
            .any(|w| w.code == gaitguard::vocab::WarningCode::CadenceUnits)
    );
}
