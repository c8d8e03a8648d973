//! The risk model's properties: bounded, monotone in every worsening input, missing data is
//! never risk; the command line's profile and explain paths; the real FIT files read sensibly.

use crate::common::{self, gg};

use chrono::NaiveDate;
use gaitguard::risk::config::RiskConfig;
use gaitguard::risk::profile::{PriorStrain, RunnerProfile};
use gaitguard::risk::{RiskInput, assess};
use proptest::prelude::*;

/// The day the tests run on (stands in for an unknown run date).
const TODAY: NaiveDate = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();

fn opt(r: std::ops::Range<f64>) -> impl Strategy<Value = Option<f64>> {
    prop::option::of(r)
}

prop_compose! {
    fn any_input()(
        cadence in opt(130.0..210.0),
        speed in opt(1.5..6.5),
        gct in opt(150.0..400.0),
        vo in opt(4.0..14.0),
        vr in opt(5.0..13.0),
        bal in opt(46.0..54.0),
        braking in opt(0.1..1.2),
        duty in opt(25.0..50.0),
        fs in opt(1.0..15.0),
        cd in opt(-15.0..5.0),
        gd in opt(-5.0..20.0),
        climb in opt(0.0..120.0),
        temp in opt(0.0..40.0),
        time in opt(600.0..10_000.0),
        hard in prop::option::of(any::<bool>()),
    ) -> RiskInput {
        RiskInput {
            cadence_spm: cadence,
            speed_mps: speed,
            ground_contact_ms: gct,
            vertical_oscillation_cm: vo,
            vertical_ratio_pct: vr,
            gct_balance_left_pct: bal,
            braking_g: braking,
            duty_factor_pct: duty,
            footstrike_type: fs,
            cadence_drift_pct: cd,
            contact_drift_pct: gd,
            climb_per_km_m: climb,
            temperature_c: temp,
            running_time_s: time,
            hard_start: hard,
            date: NaiveDate::from_ymd_opt(2026, 11, 1),
            ..RiskInput::default()
        }
    }
}

prop_compose! {
    fn any_profile()(
        age in opt(15.0..90.0),
        prior in prop::option::of(any::<bool>()),
        usual in opt(150.0..195.0),
        drop in opt(0.0..12.0),
        prev in opt(0.0..12.0),
        days in 0i64..150,
    ) -> RunnerProfile {
        RunnerProfile {
            age,
            prior_calf_strain: prior.map(PriorStrain::Known),
            usual_cadence_spm: usual,
            height_cm: Some(175.0),
            mass_kg: Some(70.0),
            shoe: gaitguard::risk::profile::Shoe {
                drop_mm: drop,
                previous_drop_mm: prev,
                since: NaiveDate::from_ymd_opt(2026, 11, 1).map(|d| d - chrono::Duration::days(days)),
                model: None,
            },
            ..RunnerProfile::default()
        }
    }
}

fn score(i: &RiskInput, p: &RunnerProfile) -> f64 {
    let r = assess(i, p, &RiskConfig::default(), TODAY).risk;
    // Compare the unrounded total (the rounded score can tie either way).
    (r.session_points * r.multiplier).min(100.0)
}

/// One step worse in each input, one at a time.
fn worsen(i: &RiskInput, p: &RunnerProfile, k: usize, by: f64) -> (RiskInput, RunnerProfile) {
    let (mut i, mut p) = (i.clone(), p.clone());
    let up = |v: &mut Option<f64>| {
        if let Some(x) = v.as_mut() {
            *x += by
        }
    };
    match k {
        0 => {
            if let Some(c) = i.cadence_spm.as_mut() {
                *c -= by
            }
        }
        1 => up(&mut i.ground_contact_ms),
        2 => up(&mut i.vertical_oscillation_cm),
        3 => up(&mut i.vertical_ratio_pct),
        4 => {
            if let Some(b) = i.gct_balance_left_pct.as_mut() {
                *b += by * (*b - 50.0).signum().max(0.0) - by * (*b < 50.0) as i32 as f64
            }
        }
        5 => up(&mut i.braking_g),
        6 => up(&mut i.duty_factor_pct),
        7 => up(&mut i.footstrike_type),
        8 => {
            if let Some(c) = i.cadence_drift_pct.as_mut() {
                *c -= by
            }
        }
        9 => up(&mut i.contact_drift_pct),
        10 => up(&mut i.climb_per_km_m),
        11 => up(&mut i.temperature_c),
        12 => {
            if let Some(t) = i.running_time_s.as_mut() {
                *t += 600.0 * by
            }
        }
        13 => {
            if i.hard_start.is_some() {
                i.hard_start = Some(true)
            }
        }
        14 => up(&mut p.age),
        15 => {
            if p.prior_calf_strain.is_some() {
                p.prior_calf_strain = Some(PriorStrain::Known(true))
            }
        }
        16 => {
            if let Some(d) = p.shoe.drop_mm.as_mut() {
                *d -= by
            }
        }
        _ => {
            if let Some(u) = p.usual_cadence_spm.as_mut() {
                *u += by
            }
        }
    }
    (i, p)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn score_is_bounded_and_points_add_up(i in any_input(), p in any_profile()) {
        let r = assess(&i, &p, &RiskConfig::default(), TODAY).risk;
        prop_assert!(r.score <= 100);
        for f in &r.factors {
            prop_assert!(f.points >= 0.0);
            if f.kind == gaitguard::risk::FactorKind::Session {
                prop_assert!(f.points <= f.max_points + 1e-9);
            }
        }
        let sum: f64 = r.factors.iter().map(|f| f.points).sum();
        if r.session_points * r.multiplier <= 100.0 {
            prop_assert!((sum - r.session_points * r.multiplier).abs() < 0.2 * r.factors.len() as f64 + 1e-9);
        }
    }

    #[test]
    fn worsening_any_single_input_never_lowers_the_score(
        i in any_input(), p in any_profile(), k in 0usize..18, by in 0.01f64..20.0
    ) {
        let before = score(&i, &p);
        let (wi, wp) = worsen(&i, &p, k, by);
        let after = score(&wi, &wp);
        prop_assert!(after >= before - 1e-9, "input {k}: {before} → {after}");
    }

    #[test]
    fn removing_a_measurement_never_adds_risk(i in any_input(), p in any_profile(), k in 0usize..13) {
        // The vertical ratio and the speed are left out: without them the engine falls back
        // to another measured value (vertical oscillation, the absolute contact band), which
        // is present data, not missing data counted as risk.
        let mut j = i.clone();
        match k {
            0 => j.cadence_spm = None,
            1 => j.ground_contact_ms = None,
            2 => j.vertical_oscillation_cm = None,
            3 => j.gct_balance_left_pct = None,
            4 => j.braking_g = None,
            5 => j.duty_factor_pct = None,
            6 => j.footstrike_type = None,
            7 => j.cadence_drift_pct = None,
            8 => j.contact_drift_pct = None,
            9 => j.climb_per_km_m = None,
            10 => j.temperature_c = None,
            11 => j.running_time_s = None,
            _ => j.hard_start = None,
        }
        prop_assert!(score(&j, &p) <= score(&i, &p) + 1e-9);
    }
}

#[test]
fn nothing_known_is_nothing_scored() {
    let a = assess(
        &RiskInput::default(),
        &RunnerProfile {
            age: Some(70.0),
            prior_calf_strain: Some(PriorStrain::Known(true)),
            ..RunnerProfile::default()
        },
        &RiskConfig::default(),
        TODAY,
    );
    assert_eq!(a.risk.score, 0);
    assert!(a.risk.not_assessed.iter().any(|n| n.id == "low_cadence"));
    assert_eq!(a.overstriding.index, None);
}

fn sample_fit() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/simulated-run-40min.fit")
}

#[test]
fn profile_and_explain_on_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let prof = dir.path().join("runner.toml");
    std::fs::write(
        &prof,
        "age = 50\nprior_calf_strain = true\nusual_cadence_spm = 190\n",
    )
    .unwrap();
    let out = gg()
        .args([
            "analyze",
            sample_fit().to_str().unwrap(),
            "--json",
            "-",
            "--profile",
        ])
        .arg(&prof)
        .output()
        .unwrap();
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let risk = &v["risk"];
    // The simulated runner's ~170 steps/min is >5 % below a usual 190: low cadence fires,
    // and the modifiers scale it.
    let ids: Vec<&str> = risk["factors"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["points"].as_f64().unwrap() > 0.0)
        .map(|f| f["id"].as_str().unwrap())
        .collect();
    assert!(ids.contains(&"low_cadence"), "{ids:?}");
    assert!(
        ids.contains(&"prior_calf_strain") && ids.contains(&"age"),
        "{ids:?}"
    );
    for f in risk["factors"].as_array().unwrap() {
        for k in ["id", "value", "threshold", "points", "evidence", "advice"] {
            assert!(!f[k].is_null(), "{k} in {f}");
        }
    }
    assert!(
        risk["disclaimer"]
            .as_str()
            .unwrap()
            .contains("not a diagnosis")
    );
    assert!(v["overstriding"]["verdict"].is_string());
    // Flags override the profile.
    let out = gg()
        .args([
            "analyze",
            sample_fit().to_str().unwrap(),
            "--json",
            "-",
            "--usual-cadence",
            "170",
            "--profile",
        ])
        .arg(&prof)
        .output()
        .unwrap();
    let v2: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(v2["risk"]["score"].as_u64().unwrap() < risk["score"].as_u64().unwrap());
    // --explain lists every factor, assessed or not.
    let out = gg()
        .args(["analyze", sample_fit().to_str().unwrap(), "--explain"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    for id in [
        "low_cadence",
        "heat",
        "shoe_drop_decrease",
        "prior_calf_strain",
        "age",
    ] {
        assert!(text.contains(id), "{id} missing from --explain:\n{text}");
    }
    assert!(text.contains("an indicator, not a diagnosis"));
}

#[test]
fn bad_profile_and_risk_config_are_usage_errors_naming_the_key() {
    let dir = tempfile::tempdir().unwrap();
    let prof = dir.path().join("runner.toml");
    std::fs::write(&prof, "[shoe]\ndrop_mm = \"low\"\n").unwrap();
    let out = gg()
        .args(["analyze", sample_fit().to_str().unwrap(), "--profile"])
        .arg(&prof)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("runner.toml") && err.contains("shoe.drop_mm"),
        "{err}"
    );
    let rc = dir.path().join("risk.toml");
    std::fs::write(&rc, "[factors.low_cadance]\npoints = 5\n").unwrap();
    let out = gg()
        .args(["analyze", sample_fit().to_str().unwrap(), "--risk-config"])
        .arg(&rc)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("factors.low_cadance") && err.contains("low_cadence"),
        "{err}"
    );
    let out = gg()
        .args(["analyze", sample_fit().to_str().unwrap(), "--age", "300"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

/// The real FIT files: every one gets a bounded score, walking files no running-form points,
/// and the figures are printed for the issue note.
#[test]
fn real_fit_files_read_sensibly() {
    let Some(dir) = common::shared_data("fit") else {
        return;
    };
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "fit"))
        .collect();
    names.sort();
    for p in names {
        let out = gg()
            .args(["analyze", p.to_str().unwrap(), "--json", "-"])
            .output()
            .unwrap();
        if !out.status.success() {
            println!(
                "{}: not analysed ({})",
                p.display(),
                String::from_utf8_lossy(&out.stderr).trim()
            );
            continue;
        }
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let r = &v["risk"];
        let score = r["score"].as_u64().unwrap();
        assert!(score <= 100);
        let fired: Vec<String> = r["factors"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["points"].as_f64().unwrap() > 0.0)
            .map(|f| format!("{} +{}", f["id"].as_str().unwrap(), f["points"]))
            .collect();
        println!(
            "{}: {} · score {score} ({}) · {} · overstriding: {}",
            p.file_name().unwrap().to_string_lossy(),
            v["activity"].as_str().unwrap(),
            r["level"].as_str().unwrap(),
            if fired.is_empty() {
                "no factor".to_string()
            } else {
                fired.join(", ")
            },
            v["overstriding"]["verdict"].as_str().unwrap()
        );
        if v["metrics_from"] == "walking" {
            assert_eq!(score, 0, "a walk scored running-form risk");
        }
    }
}
