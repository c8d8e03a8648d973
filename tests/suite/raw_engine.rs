//! The raw-signal engine on signals whose answer is known in closed form: a sine's
//! displacement, and spring-mass runs from the project's simulator across contact and flight
//! times, tilts, noise, jitter, gaps, clipping and 25–1000 Hz.

use crate::common;

use common::med;
use gaitguard::gait::{Settings, Side, analyze};
use gaitguard::recording::Placement;
use gaitguard::recording::RawSignal;
use gaitguard::simulate::raw::{Phase, RawSim, RawSimConfig, simulate_raw};
use gaitguard::units::STANDARD_GRAVITY_MPS2 as G;

fn signal(sim: &RawSim) -> RawSignal {
    common::raw_signal(sim)
}

fn run(contact_s: f64, flight_s: f64, secs: f64) -> RawSimConfig {
    RawSimConfig {
        phases: vec![Phase::Run {
            duration_s: secs,
            contact_s,
            flight_s,
            asymmetry_s: 0.0,
        }],
        ..RawSimConfig::default()
    }
}

struct Medians {
    cadence: f64,
    gct: Option<f64>,
    flight: Option<f64>,
    vo: f64,
    steps: usize,
}

fn medians(a: &gaitguard::gait::RawAnalysis) -> Medians {
    let r: Vec<_> = a
        .steps
        .iter()
        .filter(|s| s.activity == gaitguard::vocab::GaitActivity::Running)
        .collect();
    let opt = |v: Vec<f64>| if v.is_empty() { None } else { Some(med(v)) };
    Medians {
        cadence: med(r.iter().filter_map(|s| s.cadence_spm).collect()),
        gct: opt(r.iter().filter_map(|s| s.ground_contact_ms).collect()),
        flight: opt(r.iter().filter_map(|s| s.flight_ms).collect()),
        vo: med(r.iter().filter_map(|s| s.vertical_oscillation_cm).collect()),
        steps: r.len(),
    }
}

fn trunk() -> Settings {
    Settings {
        placement: Some(Placement::Trunk),
        speed_mps: None,
    }
}

#[test]
fn sine_displacement_is_recovered_by_double_integration() {
    // a(t) = A sin(2πft) has displacement −A/(2πf)² sin(2πft): peak-to-peak 2A/(2πf)².
    let fs = gaitguard::units::Hertz(200.0);
    for &(amp, f) in &[(5.0, 2.8), (12.0, 2.5), (3.0, 1.8)] {
        let n = (fs.0 / f).round() as usize;
        let f = fs.0 / n as f64; // a whole number of samples per period
        let x: Vec<f64> = (0..3 * n)
            .map(|i| G + amp * (2.0 * std::f64::consts::PI * f * i as f64 / fs.0).sin())
            .collect();
        let vo = gaitguard::gait::trunk::step_vo_m(&x, fs, n, 2 * n).unwrap();
        let expected = 2.0 * amp / (2.0 * std::f64::consts::PI * f).powi(2);
        assert!(
            (vo - expected).abs() / expected < 0.01,
            "{vo} vs {expected}"
        );
    }
}

#[test]
fn spring_mass_runs_across_contact_and_flight_times() {
    for &(tc, tf) in &[(0.30, 0.06), (0.25, 0.11), (0.21, 0.14), (0.18, 0.17)] {
        let sim = simulate_raw(&run(tc, tf, 20.0));
        let a = analyze(&signal(&sim), &trunk()).unwrap();
        let m = medians(&a);
        let cad = 60.0 / (tc + tf);
        let vo = 100.0 * gaitguard::model::vertical_oscillation_m(tc, tf);
        assert!(
            (m.cadence - cad).abs() < 1.0,
            "tc {tc} tf {tf}: cadence {} vs {cad}",
            m.cadence
        );
        let gct = m.gct.unwrap();
        // Contacts are where the signal exceeds 0.05 g above the flight level, after a 20 Hz
        // low-pass: within a few ms of the model's exact contact (the filter spreads steep
        // edges, short flights lift the flight level: up to ±9 ms at the extremes).
        assert!((gct - 1000.0 * tc).abs() < 10.0, "tc {tc}: {gct}");
        assert!((m.flight.unwrap() - 1000.0 * tf).abs() < 10.0);
        assert!(
            (m.vo - vo).abs() < 0.2,
            "tc {tc} tf {tf}: VO {} vs {vo}",
            m.vo
        );
        assert!(m.steps >= (20.0 / (tc + tf)) as usize - 4);
        let check = a.report.vo_check.unwrap();
        assert!(check.difference_pct.abs() < 5.0, "{check:?}");
    }
}

#[test]
fn sampling_rates_from_25_to_1000_hz() {
    let (tc, tf) = (0.24, 0.12);
    for &fs in &[25.0, 50.0, 100.0, 200.0, 500.0, 1000.0] {
        let sim = simulate_raw(&RawSimConfig {
            rate_hz: fs,
            ..run(tc, tf, 15.0)
        });
        let a = analyze(&signal(&sim), &trunk()).unwrap();
        let m = medians(&a);
        assert!(
            (m.cadence - 60.0 / (tc + tf)).abs() < 1.0,
            "{fs} Hz: {}",
            m.cadence
        );
        // Below 50 Hz a step has under 20 samples and trapezoids lose up to ~15 %.
        let vo = 100.0 * gaitguard::model::vertical_oscillation_m(tc, tf);
        let tol = if fs < 50.0 { 0.15 * vo } else { 0.4 };
        assert!((m.vo - vo).abs() < tol, "{fs} Hz: VO {}", m.vo);
        if fs < 50.0 {
            assert!(m.gct.is_none(), "{fs} Hz must withhold contact time");
            assert_eq!(a.report.rate_tier, "cadence_and_vo");
            assert!(
                a.recording
                    .warnings
                    .iter()
                    .any(|w| w.code == gaitguard::vocab::WarningCode::LowSampleRate)
            );
        } else {
            assert!(
                (m.gct.unwrap() - 1000.0 * tc).abs() < 8.0,
                "{fs} Hz: GCT {:?}",
                m.gct
            );
        }
    }
}

#[test]
fn tilt_noise_and_jitter() {
    let (tc, tf) = (0.25, 0.11);
    for (tilt, noise, jitter) in [
        ([0.35, 0.0, 0.0], 0.0, 0.0),
        ([0.0, -0.6, 1.2], 0.0, 0.0),
        ([0.1, 0.3, 2.0], 0.05, 0.0),
        ([0.2, 0.2, 0.0], 0.02, 0.08),
    ] {
        let sim = simulate_raw(&RawSimConfig {
            tilt_rad: tilt,
            noise_g: noise,
            time_jitter: jitter,
            seed: 11,
            ..run(tc, tf, 30.0)
        });
        let a = analyze(&signal(&sim), &trunk()).unwrap();
        let m = medians(&a);
        let ctx = format!("tilt {tilt:?} noise {noise} jitter {jitter}");
        assert!(
            (m.cadence - 60.0 / (tc + tf)).abs() < 1.0,
            "{ctx}: {}",
            m.cadence
        );
        assert!(
            (m.gct.unwrap() - 1000.0 * tc).abs() < 10.0,
            "{ctx}: {:?}",
            m.gct
        );
        assert!(
            (m.vo - 100.0 * gaitguard::model::vertical_oscillation_m(tc, tf)).abs() < 0.4,
            "{ctx}: {}",
            m.vo
        );
        if jitter > 0.02 {
            assert!(a.report.quality.resampled, "{ctx}");
        }
        // Tilt is found: the forward axis recovers the braking pulse.
        let br = med(a.steps.iter().filter_map(|s| s.braking_g).collect());
        assert!((br - 0.45).abs() < 0.08, "{ctx}: braking {br}");
    }
}

#[test]
fn braking_and_speed_loss_match_the_model() {
    // a_AP = −A sin(2πt/tc) in stance: peak A, speed lost over the braking half A·tc/π.
    let (tc, tf) = (0.25, 0.11);
    let sim = simulate_raw(&RawSimConfig {
        rate_hz: 500.0,
        braking_g: 0.5,
        ..run(tc, tf, 20.0)
    });
    let a = analyze(&signal(&sim), &trunk()).unwrap();
    let br = med(a.steps.iter().filter_map(|s| s.braking_g).collect());
    let loss = med(a
        .steps
        .iter()
        .filter_map(|s| s.step_speed_loss_mps)
        .collect());
    assert!((br - 0.5).abs() < 0.03, "{br}");
    let expected = 0.5 * G * tc / std::f64::consts::PI;
    assert!(
        (loss - expected).abs() / expected < 0.1,
        "{loss} vs {expected}"
    );
}

#[test]
fn sides_and_contact_time_balance() {
    // Left contacts 20 ms longer than right: balance = 260/(260+240) = 52 %.
    let sim = simulate_raw(&RawSimConfig {
        phases: vec![Phase::Run {
            duration_s: 40.0,
            contact_s: 0.25,
            flight_s: 0.11,
            asymmetry_s: 0.02,
        }],
        noise_g: 0.02,
        seed: 5,
        ..RawSimConfig::default()
    });
    let a = analyze(&signal(&sim), &trunk()).unwrap();
    let s = a.report.sides.clone().unwrap();
    assert!(s.assigned && s.confidence > 0.9, "{s:?}");
    let bal = s.gct_balance_left_pct.unwrap();
    assert!((bal - 52.0).abs() < 0.6, "{bal}");
    // Labels agree with the truth on nearly every step.
    let mut right = 0;
    let mut total = 0;
    for st in a.steps.iter().filter(|s| s.side.is_some()) {
        if let Some(t) = sim.steps.iter().find(|t| (t.ic_s - st.time_s).abs() < 0.03) {
            total += 1;
            if (st.side == Some(Side::Left)) == t.left {
                right += 1;
            }
        }
    }
    assert!(
        total > 80 && right as f64 / total as f64 > 0.95,
        "{right}/{total}"
    );
}

#[test]
fn walking_running_and_standing_bouts() {
    let sim = simulate_raw(&gaitguard::simulate::raw::sample_config(7));
    let a = analyze(&signal(&sim), &Settings::default()).unwrap();
    assert_eq!(a.report.placement.placement, Placement::Trunk);
    let acts: Vec<&str> = a.report.bouts.iter().map(|b| b.activity.name()).collect();
    assert_eq!(acts.first(), Some(&"walking"), "{:?}", a.report.bouts);
    assert!(acts.contains(&"running"));
    let walk_steps = a
        .steps
        .iter()
        .filter(|s| s.activity == gaitguard::vocab::GaitActivity::Walking)
        .count();
    assert!(
        (walk_steps as i64 - sim.walk_steps_s.len() as i64).abs() <= 4,
        "{walk_steps} vs {}",
        sim.walk_steps_s.len()
    );
    let run_steps = a
        .steps
        .iter()
        .filter(|s| s.activity == gaitguard::vocab::GaitActivity::Running)
        .count();
    assert!(
        (run_steps as i64 - sim.steps.len() as i64).abs() <= 6,
        "{run_steps} vs {}",
        sim.steps.len()
    );
    let m = gaitguard::metrics::summarize(&a.recording).unwrap();
    assert_eq!(m.activity.name(), "running");
    assert!(
        (m.walking_time_s - 20.0).abs() < 3.0,
        "{}",
        m.walking_time_s
    );
    assert!(
        (m.running_time_s - 100.0).abs() < 5.0,
        "{}",
        m.running_time_s
    );
}

#[test]
fn gaps_split_and_no_step_spans_a_gap() {
    let sim = simulate_raw(&RawSimConfig {
        gaps: vec![(10.0, 1.5), (20.0, 0.015)],
        ..run(0.25, 0.11, 30.0)
    });
    let a = analyze(&signal(&sim), &trunk()).unwrap();
    assert_eq!(a.report.quality.gaps.len(), 1);
    assert_eq!(a.report.quality.bridged_gaps, 1);
    assert_eq!(a.report.quality.segments, 2);
    for s in &a.steps {
        let end = s.time_s + s.step_time_ms.unwrap() / 1000.0;
        assert!(
            !(s.time_s < 10.0 && end > 11.5),
            "step across the gap at {}",
            s.time_s
        );
    }
    assert!((medians(&a).cadence - 60.0 / 0.36).abs() < 1.0);
}

#[test]
fn clipping_is_flagged_and_braking_withheld() {
    let sim = simulate_raw(&RawSimConfig {
        full_scale_g: 2.0,
        ..run(0.25, 0.11, 20.0)
    });
    let a = analyze(&signal(&sim), &trunk()).unwrap();
    assert!(!a.report.quality.clipping.is_empty());
    assert!((a.report.quality.clipping[0].full_scale_g - 2.0).abs() < 1e-6);
    assert!(a.steps.iter().all(|s| s.braking_g.is_none()));
    assert!(a.report.withheld.iter().any(|w| w.metric == "braking_g"));
    // Contact timing does not depend on the clipped peaks.
    assert!((medians(&a).gct.unwrap() - 250.0).abs() < 10.0);
}

#[test]
fn a_five_second_recording_works() {
    let sim = simulate_raw(&run(0.22, 0.10, 5.0));
    let a = analyze(&signal(&sim), &trunk()).unwrap();
    let m = medians(&a);
    assert!(m.steps >= 10, "{}", m.steps);
    assert!((m.cadence - 60.0 / 0.32).abs() < 1.0);
    assert!((m.gct.unwrap() - 220.0).abs() < 10.0);
}

#[test]
fn more_flight_never_lowers_vertical_oscillation() {
    let mut last = 0.0;
    for k in 0..5 {
        let tf = 0.06 + 0.03 * k as f64;
        let sim = simulate_raw(&run(0.24, tf, 10.0));
        let vo = medians(&analyze(&signal(&sim), &trunk()).unwrap()).vo;
        assert!(vo > last, "tf {tf}: {vo} ≤ {last}");
        last = vo;
    }
}

#[test]
fn degenerate_signals_give_errors_or_warnings_not_panics() {
    let base = simulate_raw(&run(0.25, 0.11, 10.0));
    // All NaN.
    let mut s = signal(&base);
    for a in &mut s.acc_mps2 {
        a.iter_mut().for_each(|v| *v = f64::NAN);
    }
    assert!(analyze(&s, &trunk()).is_err());
    // Constant.
    let mut s = signal(&base);
    for a in &mut s.acc_mps2 {
        a.iter_mut().for_each(|v| *v = 1.0);
    }
    let a = analyze(&s, &Settings::default()).unwrap();
    assert!(a.steps.is_empty());
    assert!(
        a.recording
            .warnings
            .iter()
            .any(|w| w.code == gaitguard::vocab::WarningCode::NoSteps)
    );
    // Backwards time.
    let mut s = signal(&base);
    s.time_s.swap(100, 101);
    s.time_s.swap(300, 302);
    let a = analyze(&s, &trunk()).unwrap();
    assert!(a.report.quality.resampled && a.report.quality.backwards_stamps >= 2);
    // Absurd values.
    let mut s = signal(&base);
    s.acc_mps2[2][50] = 1e30;
    let a = analyze(&s, &trunk()).unwrap();
    assert_eq!(a.report.quality.dropped_samples, 1);
    // Too short for a step.
    let mut s = signal(&base);
    s.time_s.truncate(30);
    for a in &mut s.acc_mps2 {
        a.truncate(30);
    }
    assert!(analyze(&s, &trunk()).is_err());
    // Time that never advances.
    let mut s = signal(&base);
    s.time_s.iter_mut().for_each(|t| *t = 0.0);
    assert!(analyze(&s, &trunk()).is_err());
    // Below 20 Hz.
    let sim = simulate_raw(&RawSimConfig {
        rate_hz: 10.0,
        ..run(0.25, 0.11, 10.0)
    });
    assert!(analyze(&signal(&sim), &trunk()).is_err());
}

#[test]
fn the_raw_sample_is_what_the_simulator_writes() {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/simulated-trunk-run.csv");
    let committed = std::fs::read_to_string(&path).unwrap();
    let sim = simulate_raw(&gaitguard::simulate::raw::sample_config(7));
    assert!(
        committed == gaitguard::simulate::raw::raw_csv(&sim),
        "samples/simulated-trunk-run.csv is stale: regenerate with `gaitguard simulate --raw --out samples/simulated-trunk-run.csv`"
    );
}
