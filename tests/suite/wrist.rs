//! Wrist and hand-held sensors (issue 14, item 3): simulated arm swing with known truth.

use crate::common;

use common::med;
use gaitguard::gait::{RawAnalysis, Settings, analyze};
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

#[test]
fn explore() {
    for &(cad, walk) in &[
        (150.0, false),
        (170.0, false),
        (190.0, false),
        (100.0, true),
        (120.0, true),
    ] {
        for rate in [25.0, 50.0, 100.0] {
            for gyro in [false, true] {
                let sim = simulate_raw(&wrist(cad, walk, rate, 3));
                let a = analyze(&wrist_signal(&sim, gyro), &Settings::default()).unwrap();
                println!(
                    "{cad} {rate} gyro {gyro}: truth {:.1} {}",
                    truth_cadence(&sim),
                    describe(&a)
                );
            }
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

#[test]
fn explore_shared() {
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
