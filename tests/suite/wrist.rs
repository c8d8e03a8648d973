//! Wrist and hand-held sensors (issue 14, item 3): simulated arm swing with known truth.

use crate::common;

use common::med;
use gaitguard::gait::{RawAnalysis, Settings, analyze};
use gaitguard::recording::Placement;
use gaitguard::simulate::arm::ArmSwing;
use gaitguard::simulate::raw::{Phase, RawSim, RawSimConfig, simulate_raw};

/// A wrist signal (with the gyroscope when `gyro`).
fn wrist_signal(sim: &RawSim, gyro: bool) -> gaitguard::recording::RawSignal {
    let mut s = common::raw_signal(sim);
    if gyro {
        s.gyro_dps = sim.gyro_dps.clone();
    }
    s
}

/// A wrist run of 60 s at `cadence_spm` (contact 42 % of the step) or a walk, at `rate_hz`.
fn wrist(cadence_spm: f64, walking: bool, rate_hz: f64, seed: u64) -> RawSimConfig {
    let step = 60.0 / cadence_spm;
    let phase = if walking {
        Phase::Walk {
            duration_s: 60.0,
            cadence_spm,
        }
    } else {
        Phase::Run {
            duration_s: 60.0,
            contact_s: 0.42 * step,
            flight_s: 0.58 * step,
            asymmetry_s: 0.0,
        }
    };
    RawSimConfig {
        phases: vec![phase],
        rate_hz,
        tilt_rad: [0.3, -0.2, 0.9],
        noise_g: 0.05,
        step_jitter_s: 0.01 * step,
        arm: Some(ArmSwing::default()),
        seed,
        ..RawSimConfig::default()
    }
}

fn truth_cadence(sim: &RawSim) -> f64 {
    let ics: Vec<f64> = if sim.steps.is_empty() {
        sim.walk_steps_s.clone()
    } else {
        sim.steps.iter().map(|s| s.ic_s).collect()
    };
    60.0 / med(ics.windows(2).map(|w| w[1] - w[0]).collect())
}

fn describe(a: &RawAnalysis) -> String {
    let ev = a.report.placement.evidence;
    format!(
        "placement {:?} {:?} ratio {:?} share {:?} cadence {:?} steps {}",
        a.report.placement.placement,
        a.report.placement.confidence,
        ev.and_then(|e| e.step_stride_ratio),
        ev.and_then(|e| e.arm_swing).map(|w| w.axis_stride_share),
        a.report.cadence_check.map(|c| (
            c.source.name(),
            c.spectrum_spm,
            c.strides_spm,
            c.cadence_spm,
            c.agree
        )),
        a.steps.len()
    )
}

/// The eight metrics a wrist cannot give.
const WRIST_WITHHELD: [&str; 8] = [
    "ground_contact_ms",
    "flight_ms",
    "duty_factor_pct",
    "vertical_oscillation_cm",
    "vertical_ratio_pct",
    "gct_balance_left_pct",
    "braking_g",
    "step_speed_loss_mps",
];

/// Summary cadence (median of the per-step cadences), steps/min.
fn summary_cadence(a: &RawAnalysis) -> f64 {
    let m = gaitguard::metrics::summarize(&a.recording).unwrap();
    m.metrics["cadence_spm"].unwrap().median
}

/// Simulated wrist runs at 150–190 steps/min and 25–100 Hz (with and without the
/// gyroscope): detected as a wrist, cadence within 1.5 steps/min of the truth from the
/// arm swing and checked by the step harmonic, steps counted within 3 %, and what a wrist
/// cannot measure withheld (no confidence given for it).
#[test]
fn wrist_runs_read_as_a_wrist_with_their_cadence() {
    println!("trial | truth spm | ours spm | harmonic spm | steps truth/ours");
    for cad in [150.0, 160.0, 170.0, 180.0, 190.0] {
        for rate in [25.0, 50.0, 100.0] {
            for gyro in [false, true] {
                let sim = simulate_raw(&wrist(cad, false, rate, cad as u64));
                let a = analyze(&wrist_signal(&sim, gyro), &Settings::default()).unwrap();
                let truth = truth_cadence(&sim);
                let ours = summary_cadence(&a);
                let c = a.report.cadence_check.unwrap();
                let ctx = format!("{cad} spm at {rate} Hz, gyro {gyro}: {}", describe(&a));
                println!(
                    "wrist run {cad} spm {rate} Hz gyro {gyro} | {truth:.1} | {ours:.1} | {:.1} | {}/{}",
                    c.spectrum_spm,
                    sim.steps.len(),
                    a.steps.len()
                );
                assert_eq!(a.report.placement.placement, Placement::Wrist, "{ctx}");
                assert!((ours - truth).abs() <= 1.5, "{ctx}");
                assert_eq!(c.source.name(), "arm_swing", "{ctx}");
                assert_eq!(c.agree, Some(true), "{ctx}");
                let n = a.steps.len() as f64;
                assert!((n / sim.steps.len() as f64 - 1.0).abs() <= 0.03, "{ctx}");
                let withheld: Vec<&str> = a.report.withheld.iter().map(|w| w.metric).collect();
                for m in WRIST_WITHHELD {
                    assert!(withheld.contains(&m), "{ctx}: {m}");
                    assert!(!a.report.confidence.contains_key(m), "{ctx}: {m}");
                }
                assert!(a.report.confidence.contains_key("cadence_spm"));
                assert!(
                    a.steps
                        .iter()
                        .all(|s| s.ground_contact_ms.is_none()
                            && s.vertical_oscillation_cm.is_none())
                );
            }
        }
    }
}

/// Walking with a swinging arm at 100–120 steps/min and 25–100 Hz, given as a wrist:
/// cadence within 1.5 steps/min of the truth, all of it walking.
#[test]
fn wrist_walks_give_their_cadence() {
    let settings = Settings {
        placement: Some(Placement::Wrist),
        ..Settings::default()
    };
    for cad in [100.0, 110.0, 120.0] {
        for rate in [25.0, 50.0, 100.0] {
            let sim = simulate_raw(&wrist(cad, true, rate, 11));
            let a = analyze(&wrist_signal(&sim, false), &settings).unwrap();
            let truth = truth_cadence(&sim);
            let ours = summary_cadence(&a);
            println!(
                "wrist walk {cad} spm {rate} Hz | {truth:.1} | {ours:.1} | {}",
                describe(&a)
            );
            assert!((ours - truth).abs() <= 1.5, "{cad} at {rate} Hz: {ours}");
            assert!(
                a.steps
                    .iter()
                    .all(|s| s.activity == gaitguard::vocab::GaitActivity::Walking)
            );
        }
    }
}

fn load_opts(
    path: &std::path::Path,
    raw: gaitguard::ingest::raw::RawOptions,
) -> gaitguard::recording::RawSignal {
    let opts = gaitguard::ingest::IngestOptions {
        raw,
        ..gaitguard::ingest::IngestOptions::default()
    };
    match gaitguard::ingest::read_input(path, &opts).unwrap() {
        gaitguard::ingest::Input::Raw(s) => s,
        gaitguard::ingest::Input::Records(_) => panic!("{} read as records", path.display()),
    }
}

/// The arm-swing rule leaves every real trunk and foot recording where it was: the
/// force-plate centre of mass and the sacral IMU (running-grf), the lateral hip run and
/// the lower-back walk are trunk, the foot IMU walk is foot.
#[test]
fn real_trunk_and_foot_recordings_keep_their_placement() {
    let Some(dir) = common::shared_data("raw") else {
        return;
    };
    let mut files: Vec<(std::path::PathBuf, Option<f64>)> = vec![
        (dir.join("hip-running/acc_running_left_hip.csv"), None),
        (
            dir.join("lowback-walking/HA_001_Test11_lowerback_imu.csv"),
            None,
        ),
        (dir.join("foot-walking/imu_sample.csv"), Some(204.8)),
    ];
    for e in std::fs::read_dir(dir.join("running-grf")).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "csv") {
            files.push((p, None));
        }
    }
    files.sort_by(|a, b| a.0.cmp(&b.0));
    for (p, rate) in files {
        let sig = load_opts(
            &p,
            gaitguard::ingest::raw::RawOptions {
                sample_rate_hz: rate,
                ..Default::default()
            },
        );
        let a = analyze(&sig, &Settings::default()).unwrap();
        println!(
            "{}: {}",
            p.file_name().unwrap().to_string_lossy(),
            describe(&a)
        );
    }
}

/// A wrist run written without a time column (`acc_x_g,acc_y_g,acc_z_g`, 100 Hz).
fn untimed_wrist_file(dir: &std::path::Path) -> std::path::PathBuf {
    let sim = simulate_raw(&RawSimConfig {
        phases: vec![Phase::Run {
            duration_s: 60.0,
            contact_s: 0.15,
            flight_s: 0.203,
            asymmetry_s: 0.0,
        }],
        ..wrist(170.0, false, 100.0, 4)
    });
    let mut text = String::from("acc_x_g,acc_y_g,acc_z_g\n");
    for i in 0..sim.time_s.len() {
        text.push_str(&format!(
            "{:.4},{:.4},{:.4}\n",
            sim.acc_g[0][i], sim.acc_g[1][i], sim.acc_g[2][i]
        ));
    }
    let p = dir.join("wrist.csv");
    std::fs::write(&p, text).unwrap();
    p
}

fn analyse_json(file: &std::path::Path, rate: &str) -> serde_json::Value {
    let out = common::gg()
        .args(["analyze", "-q", "--json", "-", "--sample-rate", rate])
        .arg(file)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn warning_codes(j: &serde_json::Value) -> Vec<String> {
    let mut codes = Vec::new();
    let mut stack = vec![j];
    while let Some(v) = stack.pop() {
        match v {
            serde_json::Value::Object(m) => {
                if let (Some(c), Some(_)) = (m.get("code"), m.get("message")) {
                    codes.push(c.as_str().unwrap_or_default().to_string());
                }
                stack.extend(m.values());
            }
            serde_json::Value::Array(a) => stack.extend(a.iter()),
            _ => {}
        }
    }
    codes
}

/// The command line on an untimed wrist file: at its true rate the JSON says wrist, the
/// arm-swing cadence and what is withheld (and the terminal lists the withheld metrics);
/// at four times the true rate the rhythm leaves walking and running and a warning names
/// the rate given and the rates that would fit (the true 100 Hz among them).
#[test]
fn an_untimed_wrist_file_at_a_right_and_a_wrong_sample_rate() {
    let dir = tempfile::tempdir().unwrap();
    let file = untimed_wrist_file(dir.path());
    let j = analyse_json(&file, "100");
    let median = j["metrics"]["cadence_spm"]["median"].as_f64().unwrap();
    assert!((median - 170.0).abs() <= 1.5, "{median}");
    let confidence = j["confidence"].as_object().unwrap();
    assert!(confidence.contains_key("cadence_spm"));
    assert!(WRIST_WITHHELD.iter().all(|m| !confidence.contains_key(*m)));
    assert_eq!(
        j["raw"]["placement"]["placement"], "wrist",
        "{}",
        j["raw"]["placement"]
    );
    assert_eq!(j["raw"]["cadence_check"]["source"], "arm_swing");
    let cad = j["raw"]["cadence_check"]["cadence_spm"].as_f64().unwrap();
    assert!((cad - 170.0).abs() <= 1.5, "{cad}");
    let withheld: Vec<&str> = j["raw"]["withheld"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["metric"].as_str().unwrap())
        .collect();
    for m in WRIST_WITHHELD {
        assert!(withheld.contains(&m), "{m}: {withheld:?}");
    }
    assert!(!warning_codes(&j).contains(&"sample_rate_implausible".to_string()));

    let term = common::gg()
        .args(["analyze", "--sample-rate", "100"])
        .arg(&file)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&term.stdout);
    assert!(
        text.contains("withheld ground_contact_ms: a wrist"),
        "{text}"
    );
    assert!(text.contains("from arm_swing"), "{text}");

    let wrong = analyse_json(&file, "400");
    let codes = warning_codes(&wrong);
    assert!(
        codes.contains(&"sample_rate_implausible".to_string()),
        "{codes:?}"
    );
    let text = serde_json::to_string(&wrong).unwrap();
    let at = text
        .find("at --sample-rate 400 Hz")
        .unwrap_or_else(|| panic!("{text}"));
    let msg = &text[at..at + 300];
    println!("{msg}");
    // The range of rates that would fit holds the true rate.
    let range = msg.split("a rate of ").nth(1).unwrap();
    let (lo, rest) = range.split_once('–').unwrap();
    let hi = rest.split(' ').next().unwrap();
    let (lo, hi): (f64, f64) = (lo.parse().unwrap(), hi.parse().unwrap());
    assert!(lo <= 100.0 && hi >= 100.0, "{lo}–{hi}");
}

/// Arms that swing little or much (20–50°), short or long (0.3–0.55 m), passing on 30–100 %
/// of the trunk's bounce, at 150–190 steps/min (50 Hz): all read as a wrist, cadence within
/// 1.5 steps/min of the truth.
#[test]
fn every_arm_swing_reads_as_a_wrist() {
    let mut worst: f64 = 0.0;
    for cad in [150.0, 170.0, 190.0] {
        for amp in [20.0, 35.0, 50.0] {
            for r in [0.3, 0.4, 0.55] {
                for gain in [0.3, 0.6, 1.0] {
                    let mut cfg = wrist(cad, false, 50.0, 5);
                    cfg.arm = Some(ArmSwing {
                        run_amplitude_deg: amp,
                        run_radius_m: r,
                        bounce_gain: gain,
                        ..ArmSwing::default()
                    });
                    let sim = simulate_raw(&cfg);
                    let a = analyze(&wrist_signal(&sim, false), &Settings::default()).unwrap();
                    let ctx = format!("{cad} spm, {amp}°, {r} m, gain {gain}: {}", describe(&a));
                    assert_eq!(a.report.placement.placement, Placement::Wrist, "{ctx}");
                    let err = (summary_cadence(&a) - truth_cadence(&sim)).abs();
                    assert!(err <= 1.5, "{ctx}");
                    worst = worst.max(err);
                }
            }
        }
    }
    println!("81 arm swings: worst cadence error {worst:.2} steps/min");
}
