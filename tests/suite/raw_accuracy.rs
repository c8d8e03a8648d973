//! Accuracy of the raw-signal engine against force-plate truth and reference gait events
//! (`../shared/data/raw`), skipped with a printed line when the data is absent.

use crate::common;

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
            let run: Vec<_> = a
                .steps
                .iter()
                .filter(|s| s.activity == gaitguard::vocab::GaitActivity::Running)
                .collect();
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

/// Time-weighted median of `(value, weight)` pairs, as the metrics stage summarises cadence
/// (each step record stands for its step time).
fn weighted_median(mut v: Vec<(f64, f64)>) -> f64 {
    v.sort_by(|a, b| a.0.total_cmp(&b.0));
    let total: f64 = v.iter().map(|p| p.1).sum();
    let mut acc = 0.0;
    for (x, w) in &v {
        acc += w;
        if acc >= 0.5 * total {
            return *x;
        }
    }
    f64::NAN
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
    assert!(
        a.steps
            .iter()
            .all(|s| s.activity == gaitguard::vocab::GaitActivity::Walking)
    );
    // Reference: INDIP walking bouts, cadence weighted by bout duration.
    let text = std::fs::read_to_string(dir.join("HA_001_Test11_INDIP_walkingbouts.csv")).unwrap();
    let mut bouts: Vec<(f64, f64)> = Vec::new();
    let (mut num, mut den) = (0.0, 0.0);
    for line in text.lines().skip(1) {
        let v: Vec<f64> = line.split(',').map(|x| x.parse().unwrap()).collect();
        num += v[4] * (v[2] - v[1]);
        den += v[2] - v[1];
        bouts.push((v[1], v[2]));
    }
    let reference = num / den;
    // Reference initial contacts (both feet), per bout.
    let text = std::fs::read_to_string(dir.join("HA_001_Test11_INDIP_events.csv")).unwrap();
    let mut ref_ics: Vec<(usize, f64)> = text
        .lines()
        .skip(1)
        .filter(|l| l.contains(",IC,"))
        .map(|l| {
            let v: Vec<&str> = l.split(',').collect();
            (v[0].parse().unwrap(), v[3].parse().unwrap())
        })
        .collect();
    ref_ics.sort_by(|a, b| a.1.total_cmp(&b.1));
    // The same statistic as ours (time-weighted median over steps of 0.4–1.0 s) on the INDIP
    // contacts: what a detector that found exactly INDIP's contacts would report.
    let ref_steps: Vec<(f64, f64)> = ref_ics
        .windows(2)
        .filter(|w| w[0].0 == w[1].0)
        .map(|w| w[1].1 - w[0].1)
        .filter(|st| (0.4..=1.0).contains(st))
        .map(|st| (60.0 / st, st))
        .collect();
    let ref_ic_cadence = weighted_median(ref_steps);
    // Ours on the same footing: our steps inside the INDIP bouts only.
    let ours_in_bouts = weighted_median(
        a.steps
            .iter()
            .filter(|s| bouts.iter().any(|b| s.time_s >= b.0 && s.time_s < b.1))
            .filter_map(|s| s.cadence_spm.map(|c| (c, 60.0 / c)))
            .collect(),
    );
    // The metrics stage gives each step record the time to the next one (up to 10 s) as its
    // weight, so a pause of less than 10 s between two bouts counts as walking. What INDIP's
    // own contacts would give under that rule:
    let ics: Vec<f64> = ref_ics.iter().map(|x| x.1).collect();
    let mut dts: Vec<f64> = ics.windows(2).map(|w| w[1] - w[0]).collect();
    let median_dt = med(dts.clone());
    dts.push(median_dt);
    let ref_metrics_time: f64 = dts
        .iter()
        .map(|&d| {
            if d > 10.0f64.max(5.0 * median_dt) {
                median_dt
            } else {
                d
            }
        })
        .sum();
    // Contacts: each INDIP contact matched to our nearest walking contact within ±0.25 s
    // that no earlier INDIP contact took (one to one).
    let ours_t: Vec<f64> = a.steps.iter().map(|s| s.time_s).collect();
    let mut used = vec![false; ours_t.len()];
    let mut errs: Vec<f64> = Vec::new();
    for &(_, r) in &ref_ics {
        if let Some(j) = (0..ours_t.len())
            .filter(|&j| !used[j] && (ours_t[j] - r).abs() <= 0.25)
            .min_by(|&x, &y| (ours_t[x] - r).abs().total_cmp(&(ours_t[y] - r).abs()))
        {
            used[j] = true;
            errs.push(ours_t[j] - r);
        }
    }
    let in_bouts = ours_t
        .iter()
        .filter(|&&t| bouts.iter().any(|b| t >= b.0 - 0.5 && t <= b.1 + 0.5))
        .count();
    let match_rate = errs.len() as f64 / ref_ics.len() as f64;
    let med_err = med(errs.clone());
    let med_abs = med(errs.iter().map(|e| e.abs()).collect());
    let ours = m.metrics["cadence_spm"].unwrap().median;
    let bout_time: f64 = a
        .report
        .bouts
        .iter()
        .filter(|b| b.activity == gaitguard::vocab::GaitActivity::Walking)
        .map(|b| b.end_s - b.start_s)
        .sum();
    println!(
        "lower-back walking cadence: ours {ours:.1} (inside INDIP bouts {ours_in_bouts:.1}), INDIP bouts {reference:.1}, INDIP contacts by our statistic {ref_ic_cadence:.1} steps/min"
    );
    println!(
        "walking time: ours {:.1} s by the metrics stage, {bout_time:.1} s in our bouts; INDIP bouts {den:.1} s, INDIP contacts by the metrics rule {ref_metrics_time:.1} s",
        m.walking_time_s
    );
    println!(
        "contacts: {} of {} INDIP ICs matched within ±0.25 s ({:.0} %), median error {:+.3} s, median |error| {:.3} s; ours {} ({} within INDIP bouts ±0.5 s)",
        errs.len(),
        ref_ics.len(),
        100.0 * match_rate,
        med_err,
        med_abs,
        ours_t.len(),
        in_bouts
    );
    // Measured: 91.9 vs 91.7 (93.4 from our steps inside the INDIP bouts alone). The two
    // INDIP figures differ by 5 steps/min: INDIP's bout cadence counts its long intervals
    // (1.0–2.0 s: pauses, and contacts the insoles did not see), which a step-by-step cadence
    // of 60–150 steps/min leaves out; our slower extra stretches pull the other way.
    assert!((ours - reference).abs() <= 3.0, "{ours} vs {reference}");
    // Measured: 94 % matched, median error −0.087 s (the loading-rate peak comes first).
    assert!(match_rate >= 0.9, "{match_rate}");
    assert!(med_err.abs() <= 0.15, "{med_err}");
    // Measured: 58 s in our bouts against INDIP's 40 s: bout edges (gait initiation and
    // termination, a sit-to-stand) and two stretches of regular stepping (110–115 s,
    // 131–136 s) that INDIP does not count as walking bouts.
    assert!(
        bout_time >= 0.9 * den && bout_time <= 1.5 * den,
        "{bout_time} vs {den}"
    );
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
