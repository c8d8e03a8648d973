//! Accuracy of the raw-signal engine against force-plate truth and reference gait events
//! (`../shared/data/raw`), skipped with a printed line when the data is absent.

mod common;

use common::med;
use gaitguard::gait::{RawAnalysis, Settings, analyze};
use gaitguard::ingest::raw::RawOptions;
use gaitguard::ingest::{IngestOptions, Input, read_input};
use gaitguard::recording::Placement;
use std::path::Path;

fn load_opts(path: &Path, raw: RawOptions) -> gaitguard::ingest::raw::RawSignal {
    match read_input(
        path,
        &IngestOptions {
            raw,
            ..IngestOptions::default()
        },
    )
    .unwrap()
    {
        Input::Raw(s) => s,
        Input::Records(_) => panic!("{} read as records", path.display()),
    }
}

fn run_file(path: &Path, settings: &Settings) -> RawAnalysis {
    analyze(&load_opts(path, RawOptions::default()), settings).unwrap()
}

#[test]
fn force_plate_trials() {
    let Some(dir) = common::shared_data("raw/running-grf") else {
        return;
    };
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|n| n.ends_with("_truth.json"))
        .map(|n| n.trim_end_matches("_truth.json").to_string())
        .collect();
    names.sort();
    assert_eq!(names.len(), 8);
    println!(
        "| trial | file | cadence ours/truth | GCT ours/truth | flight ours/truth | VO ours/truth | steps |"
    );
    let mut sacral_worst: f64 = 0.0;
    for name in names {
        let truth: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(dir.join(format!("{name}_truth.json"))).unwrap(),
        )
        .unwrap();
        for suffix in ["_accel.csv", "_accel_native.csv", "_sacrum_imu.csv"] {
            let p = dir.join(format!("{name}{suffix}"));
            if !p.exists() {
                continue;
            }
            // Placement detected, not forced.
            let a = run_file(&p, &Settings::default());
            assert_eq!(
                a.report.placement.placement,
                Placement::Trunk,
                "{name}{suffix}"
            );
            let run: Vec<_> = a.steps.iter().filter(|s| s.activity == "running").collect();
            let cad = med(run.iter().filter_map(|s| s.cadence_spm).collect());
            let gct = med(run.iter().filter_map(|s| s.ground_contact_ms).collect());
            let fl = med(run.iter().filter_map(|s| s.flight_ms).collect());
            let vo = med(run
                .iter()
                .filter_map(|s| s.vertical_oscillation_cm)
                .collect());
            let t = |k: &str| truth[k].as_f64().unwrap();
            println!(
                "| {name} | {suffix} | {cad:.1}/{:.1} | {gct:.1}/{:.1} | {fl:.1}/{:.1} | {vo:.2}/{:.2} | {}/{} |",
                t("cadence_spm"),
                t("gct_ms_median"),
                t("flight_ms_median"),
                t("vertical_oscillation_cm_median"),
                run.len(),
                truth["step_count"],
            );
            let ctx = format!("{name}{suffix}");
            let cad_tol = if suffix == "_sacrum_imu.csv" {
                3.0
            } else {
                1.0
            };
            assert!(
                (cad - t("cadence_spm")).abs() <= cad_tol,
                "{ctx}: cadence {cad}"
            );
            if suffix == "_sacrum_imu.csv" {
                sacral_worst = sacral_worst.max((gct - t("gct_ms_median")).abs());
                assert!((gct - t("gct_ms_median")).abs() <= 25.0, "{ctx}: GCT {gct}");
            } else {
                assert!((gct - t("gct_ms_median")).abs() <= 10.0, "{ctx}: GCT {gct}");
                assert!(
                    (vo - t("vertical_oscillation_cm_median")).abs() <= 0.6,
                    "{ctx}: VO {vo}"
                );
            }
            assert!(
                run.len() + 3 >= truth["step_count"].as_u64().unwrap() as usize,
                "{ctx}"
            );
        }
    }
    println!("worst sacral GCT error {sacral_worst:.1} ms");
}

#[test]
fn lowback_walking_is_walking_with_its_cadence() {
    let Some(dir) = common::shared_data("raw/lowback-walking") else {
        return;
    };
    let a = run_file(
        &dir.join("HA_001_Test11_lowerback_imu.csv"),
        &Settings::default(),
    );
    let m = gaitguard::metrics::summarize(&a.recording).unwrap();
    assert_eq!(m.activity.name(), "walking");
    assert!(a.steps.iter().all(|s| s.activity == "walking"));
    // Reference: INDIP walking bouts, cadence weighted by bout duration.
    let text = std::fs::read_to_string(dir.join("HA_001_Test11_INDIP_walkingbouts.csv")).unwrap();
    let (mut num, mut den) = (0.0, 0.0);
    for line in text.lines().skip(1) {
        let v: Vec<f64> = line.split(',').map(|x| x.parse().unwrap()).collect();
        num += v[4] * (v[2] - v[1]);
        den += v[2] - v[1];
    }
    let reference = num / den;
    let ours = m.metrics["cadence_spm"].unwrap().median;
    println!(
        "lower-back walking cadence: ours {ours:.1}, INDIP {reference:.1} steps/min; walking time ours {:.0} s, reference {den:.0} s",
        m.walking_time_s
    );
    // Target 3 steps/min; short daily-living bouts are partly missed (see the issue note).
    assert!((ours - reference).abs() <= 10.0, "{ours} vs {reference}");
}

#[test]
fn foot_imu_stance_time_against_motion_capture() {
    let Some(dir) = common::shared_data("raw/foot-walking") else {
        return;
    };
    let sig = load_opts(
        &dir.join("imu_sample.csv"),
        RawOptions {
            sample_rate_hz: Some(204.8),
            ..RawOptions::default()
        },
    );
    let a = analyze(&sig, &Settings::default()).unwrap();
    assert_eq!(a.report.placement.placement, Placement::Foot);
    let fs = 204.8;
    let text = std::fs::read_to_string(dir.join("stride_events_sample.csv")).unwrap();
    let ev: Vec<(f64, f64)> = text
        .lines()
        .skip(1)
        .filter(|l| l.contains(",left,"))
        .map(|l| {
            let v: Vec<&str> = l.split(',').collect();
            (v[4].parse::<f64>().unwrap(), v[5].parse::<f64>().unwrap())
        })
        .collect();
    let mut errs = Vec::new();
    for k in 0..ev.len() - 1 {
        // A footfall's stance: its IC to the toe-off that starts the next stride.
        let (ic, tc) = (ev[k].0 / fs, ev[k + 1].1 / fs);
        if let Some(s) = a.steps.iter().find(|s| (s.time_s - ic).abs() < 0.1) {
            if let Some(g) = s.ground_contact_ms {
                errs.push(g - 1000.0 * (tc - ic));
            }
        }
    }
    let e = med(errs.clone());
    println!(
        "foot stance: {} of {} strides matched, median error {e:.1} ms",
        errs.len(),
        ev.len() - 1
    );
    assert!(errs.len() + 6 >= ev.len());
    assert!(e.abs() <= 20.0, "{e}");
}

#[test]
fn real_hip_run_is_running_at_a_plausible_cadence() {
    let Some(dir) = common::shared_data("raw/hip-running") else {
        return;
    };
    let a = run_file(&dir.join("acc_running_left_hip.csv"), &Settings::default());
    let m = gaitguard::metrics::summarize(&a.recording).unwrap();
    let c = a.report.cadence_check.unwrap();
    println!(
        "hip run: {} · spectrum {:.1} spm, steps {:?} · running {:.0} s",
        m.activity.name(),
        c.spectrum_spm,
        c.steps_spm,
        m.running_time_s
    );
    assert_eq!(m.activity.name(), "running");
    assert!((150.0..=170.0).contains(&c.spectrum_spm), "{c:?}");
}
