//! Accuracy of the raw-signal engine against force-plate truth and reference gait events
//! (`../shared/data/raw`), skipped with a printed line when the data is absent.

mod common;

use gaitguard::gait::{Settings, analyze};
use gaitguard::ingest::raw::{AccelUnit, AxisFrame, Decided, RawSignal, TimeSource};
use std::path::Path;

/// Minimal reader for the reference CSVs (time in s, then acceleration columns in g).
fn load(path: &Path, axes: AxisFrame) -> RawSignal {
    let text = std::fs::read_to_string(path).unwrap();
    let mut time = Vec::new();
    let mut acc = [Vec::new(), Vec::new(), Vec::new()];
    for line in text.lines().skip(1) {
        let v: Vec<f64> = line.split(',').map(|x| x.parse().unwrap()).collect();
        time.push(v[0]);
        for k in 0..3 {
            acc[k].push(v.get(1 + k).copied().unwrap_or(0.0) * 9.80665);
        }
    }
    RawSignal {
        path: path.to_path_buf(),
        format: "accel-csv",
        device: None,
        start_unix_s: None,
        time_s: time,
        time_source: TimeSource::Column,
        stated_rate_hz: None,
        acc_mps2: acc,
        axes,
        gyro_dps: None,
        speed_mps: None,
        accel_unit: (AccelUnit::G, Decided::Header),
        gravity_included: (true, Decided::Header),
        warnings: vec![],
    }
}

fn med(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    let m = v.len() / 2;
    if v.len() % 2 == 1 { v[m] } else { 0.5 * (v[m - 1] + v[m]) }
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
    println!("| trial | file | cadence ours/truth | GCT ours/truth | flight ours/truth | VO ours/truth |");
    for name in names {
        let truth: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(dir.join(format!("{name}_truth.json"))).unwrap()).unwrap();
        let speed = truth["speed_m_s"].as_f64();
        for (suffix, axes) in [
            ("_accel.csv", AxisFrame::Sensor),
            ("_accel_native.csv", AxisFrame::Sensor),
            ("_sacrum_imu.csv", AxisFrame::Anatomical { has_ap: true, has_ml: false }),
        ] {
            let p = dir.join(format!("{name}{suffix}"));
            if !p.exists() {
                continue;
            }
            let sig = load(&p, axes);
            let a = analyze(&sig, &Settings { placement: Some(gaitguard::recording::Placement::Trunk), speed_mps: speed }).unwrap();
            let run: Vec<_> = a.steps.iter().filter(|s| s.activity == "running").collect();
            let cad = med(run.iter().filter_map(|s| s.cadence_spm).collect());
            let gct = med(run.iter().filter_map(|s| s.ground_contact_ms).collect());
            let fl = med(run.iter().filter_map(|s| s.flight_ms).collect());
            let vo = med(run.iter().filter_map(|s| s.vertical_oscillation_cm).collect());
            println!(
                "| {name} | {suffix} | {cad:.1}/{:.1} | {gct:.1}/{:.1} | {fl:.1}/{:.1} | {vo:.2}/{:.2} | n={} steps, truth {} |",
                truth["cadence_spm"].as_f64().unwrap(),
                truth["gct_ms_median"].as_f64().unwrap(),
                truth["flight_ms_median"].as_f64().unwrap(),
                truth["vertical_oscillation_cm_median"].as_f64().unwrap(),
                run.len(),
                truth["step_count"],
            );
        }
    }
}

#[test]
#[ignore]
fn debug_sacrum_events() {
    let Some(dir) = common::shared_data("raw/running-grf") else {
        return;
    };
    for name in ["alcantara_S02_t05_v3.33_slope+0", "alcantara_S02_t06_v4.17_slope+0", "alcantara_S02_t03_v3.33_slope+0"] {
        let truth: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(dir.join(format!("{name}_truth.json"))).unwrap()).unwrap();
        let sig = load(&dir.join(format!("{name}_sacrum_imu.csv")), AxisFrame::Anatomical { has_ap: true, has_ml: false });
        let a = analyze(&sig, &Settings { placement: Some(gaitguard::recording::Placement::Trunk), speed_mps: None }).unwrap();
        println!("{name} {:?}", a.report.events);
        for s in &a.steps {
            let ic = s.time_s;
            let tc = ic + s.ground_contact_ms.unwrap_or(0.0) / 1000.0;
            let c = truth["contacts_s"].as_array().unwrap().iter().map(|c| (c[0].as_f64().unwrap(), c[1].as_f64().unwrap())).min_by(|a, b| (a.0 - ic).abs().total_cmp(&(b.0 - ic).abs())).unwrap();
            println!("  IC err {:+.1} ms  TC err {:+.1} ms", 1000.0 * (ic - c.0), 1000.0 * (tc - c.1));
        }
    }
}
