//! Real-world signals (issue 14): the whole range of running on simulated runs with known
//! truth — cadences 60–300 steps/min, contacts 80–450 ms, grades of ±15 % — and the real
//! recordings in `../shared/data/raw` that exercise them.

use crate::common;

use common::med;
use gaitguard::gait::{RawAnalysis, Settings, analyze};
use gaitguard::simulate::raw::{Phase, RawSimConfig, graded_flight_s, simulate_raw};
use gaitguard::vocab::GaitActivity;

fn running(a: &RawAnalysis) -> Vec<&gaitguard::gait::Step> {
    a.steps
        .iter()
        .filter(|s| s.activity == GaitActivity::Running)
        .collect()
}

/// A 30 s run at `rate_hz` with contact `tc` and level flight `tf` on `grade_pct` at
/// `speed_mps`, with 3 % step jitter and 0.03 g noise.
fn graded_run(tc: f64, tf: f64, grade_pct: f64, speed_mps: f64, rate_hz: f64) -> RawSimConfig {
    RawSimConfig {
        phases: vec![Phase::Run {
            duration_s: 30.0,
            contact_s: tc,
            flight_s: tf,
            asymmetry_s: 0.0,
        }],
        rate_hz,
        noise_g: 0.03,
        step_jitter_s: 0.03 * (tc + tf) / 2.0_f64.sqrt(),
        grade_pct,
        speed_mps,
        seed: 7,
        ..RawSimConfig::default()
    }
}

#[test]
fn running_from_sprints_to_slow_jogs_on_grades_of_15_percent() {
    // (contact s, level flight s, speed m/s, grade %): sprinting (80 ms contacts, 300
    // steps/min), fast and uphill running, level, downhill and slow jogging (450 ms).
    let cases = [
        (0.080, 0.120, 9.0, 0.0),
        (0.100, 0.120, 7.0, 0.0),
        (0.193, 0.063, 4.17, 0.0),
        (0.193, 0.099, 4.17, 5.0),
        (0.250, 0.120, 3.0, 15.0),
        (0.250, 0.110, 3.0, 0.0),
        (0.250, 0.110, 3.0, -15.0),
        (0.300, 0.080, 2.5, 10.0),
        (0.350, 0.080, 2.2, 0.0),
        (0.450, 0.050, 1.8, 0.0),
        (0.250, 0.120, 4.0, 15.0),
    ];
    for rate in [100.0, 500.0] {
        for &(tc, tf, v, g) in &cases {
            let cfg = graded_run(tc, tf, g, v, rate);
            let sim = simulate_raw(&cfg);
            let truth_st: Vec<f64> = sim
                .steps
                .windows(2)
                .map(|w| w[1].ic_s - w[0].ic_s)
                .collect();
            let truth_cad = 60.0 / med(truth_st.clone());
            let flight = graded_flight_s(tf, g, v);
            let a = analyze(&common::raw_signal(&sim), &Settings::default()).unwrap();
            let r = running(&a);
            let cads: Vec<f64> = r.iter().filter_map(|s| s.cadence_spm).collect();
            let cad = if cads.is_empty() { f64::NAN } else { med(cads) };
            let gct: Vec<f64> = r.iter().filter_map(|s| s.ground_contact_ms).collect();
            println!(
                "{rate} Hz tc {tc} tf {flight:.3} grade {g}: placement {:?} steps {}/{} cadence {cad:.1}/{truth_cad:.1} gct {:?} spectrum {:?}",
                a.report.placement.placement,
                r.len(),
                sim.steps.len(),
                (!gct.is_empty()).then(|| med(gct.clone())),
                a.report.cadence_check.map(|c| c.spectrum_spm),
            );
            let ctx = format!("{rate} Hz, contact {tc} s, flight {flight:.3} s, grade {g} %");
            // Never "still": the summary calls it running.
            let m = gaitguard::metrics::summarize(&a.recording).unwrap();
            assert_eq!(m.activity.name(), "running", "{ctx}");
            assert!(r.len() + 4 >= sim.steps.len(), "{ctx}: {} steps", r.len());
            assert!((cad - truth_cad).abs() <= 1.0, "{ctx}: cadence {cad}");
            let spectrum = a.report.cadence_check.unwrap().spectrum_spm;
            assert!(
                (spectrum - truth_cad).abs() <= 3.0,
                "{ctx}: spectrum {spectrum}"
            );
            // A flight under 60 ms is lifted by the 20 Hz low-pass (the flight level rises,
            // the threshold crossings move inwards): contacts read up to ~20 ms short there.
            let gct = med(gct);
            let tol = if flight >= 0.06 { 10.0 } else { 25.0 };
            assert!((gct - 1000.0 * tc).abs() <= tol, "{ctx}: GCT {gct}");
        }
    }
}

#[test]
fn walking_from_62_to_140_steps_per_minute() {
    // 62, not 60: walking step times end at 1.00 s (walk.rs, the metrics stage's floor of 60
    // steps/min), and a 60 steps/min walk puts half its steps on either side of it.
    for spm in [62.0, 80.0, 100.0, 120.0, 140.0] {
        let sim = simulate_raw(&RawSimConfig {
            phases: vec![
                Phase::Stand { duration_s: 5.0 },
                Phase::Walk {
                    duration_s: 40.0,
                    cadence_spm: spm,
                },
                Phase::Stand { duration_s: 5.0 },
            ],
            noise_g: 0.01,
            ..RawSimConfig::default()
        });
        let a = analyze(&common::raw_signal(&sim), &Settings::default()).unwrap();
        let cads: Vec<f64> = a
            .steps
            .iter()
            .filter(|s| s.activity == GaitActivity::Walking)
            .filter_map(|s| s.cadence_spm)
            .collect();
        println!(
            "walking {spm}: {} steps of {}",
            cads.len(),
            sim.walk_steps_s.len()
        );
        assert!(
            cads.len() + 6 >= sim.walk_steps_s.len(),
            "{spm}: {} steps",
            cads.len()
        );
        assert!((med(cads) - spm).abs() <= 1.0, "{spm}");
    }
}

fn load(path: &std::path::Path) -> gaitguard::recording::RawSignal {
    match gaitguard::ingest::read_input(path, &gaitguard::ingest::IngestOptions::default()).unwrap()
    {
        gaitguard::ingest::Input::Raw(s) => s,
        gaitguard::ingest::Input::Records(_) => panic!("{} read as records", path.display()),
    }
}

/// A lateral sensor: the far leg's contacts seen later than the near leg's, so the detected
/// step times alternate long/short (±`a` s) around a steady stride. Single steps put their
/// median in one mode; strides and the spectrum give the true cadence.
#[test]
fn alternating_step_times_of_a_lateral_sensor_give_the_stride_cadence() {
    for asym in [0.0, 0.04, 0.08] {
        let sim = simulate_raw(&RawSimConfig {
            phases: vec![Phase::Run {
                duration_s: 60.0,
                contact_s: 0.25,
                flight_s: 0.12,
                asymmetry_s: 0.0,
            }],
            noise_g: 0.03,
            step_jitter_s: 0.004,
            step_asymmetry_s: asym,
            ..RawSimConfig::default()
        });
        let truth = 120.0
            / med(sim
                .steps
                .windows(3)
                .map(|w| w[2].ic_s - w[0].ic_s)
                .collect());
        let a = analyze(&common::raw_signal(&sim), &Settings::default()).unwrap();
        let c = a.report.cadence_check.unwrap();
        let m = gaitguard::metrics::summarize(&a.recording).unwrap();
        let summary = m.metrics["cadence_spm"].unwrap().median;
        println!("asymmetry {asym}: truth {truth:.1}, summary {summary:.1}, {c:?}");
        assert_eq!(c.source.name(), "strides");
        assert!((summary - truth).abs() <= 1.0, "{asym}: summary {summary}");
        assert!(
            (c.strides_spm.unwrap() - truth).abs() <= 1.0,
            "{asym}: {c:?}"
        );
        assert!((c.spectrum_spm - truth).abs() <= 1.5, "{asym}: {c:?}");
        assert_eq!(c.agree, Some(true));
        assert!(
            !a.recording
                .warnings
                .iter()
                .any(|w| w.code == gaitguard::vocab::WarningCode::CadenceDisagreement)
        );
    }
}

/// The hip run (`../shared/data/raw/hip-running`, ActiGraph GT9X at the left hip): its
/// detected step times alternate (a lateral sensor). Measured before issue 14: summary
/// median 148.4 steps/min, spectrum 156.8, single steps 162.7, strides 157.2; a peer lumbar
/// package reports a median near 158 on it (dataset README). The summary must sit within
/// 1.5 steps/min of the spectrum and of the steps' stride rate.
#[test]
fn the_hip_run_cadence_agrees_with_its_spectrum_and_strides() {
    let Some(dir) = common::shared_data("raw/hip-running") else {
        return;
    };
    let a = analyze(
        &load(&dir.join("acc_running_left_hip.csv")),
        &Settings::default(),
    )
    .unwrap();
    let c = a.report.cadence_check.unwrap();
    let m = gaitguard::metrics::summarize(&a.recording).unwrap();
    let summary = m.metrics["cadence_spm"].unwrap().median;
    println!(
        "hip run cadence: summary {summary:.1}, spectrum {:.1}, single steps {:.1}, strides {:.1}, used {:.1} from {}",
        c.spectrum_spm,
        c.steps_spm.unwrap(),
        c.strides_spm.unwrap(),
        c.cadence_spm.unwrap(),
        c.source
    );
    for (k, v) in &a.report.confidence {
        println!("hip run confidence: {k} {} {:?}", v.level, v.reasons);
    }
    for w in &a.report.withheld {
        println!("hip run withheld: {} ({})", w.metric, w.reason);
    }
    // A lateral sensor: contact, oscillation and balance are withheld, with the reason.
    for metric in [
        "ground_contact_ms",
        "vertical_oscillation_cm",
        "gct_balance_left_pct",
    ] {
        assert!(
            a.report
                .withheld
                .iter()
                .any(|w| w.metric == metric && w.reason.contains("midline")),
            "{metric}"
        );
    }
    assert!(m.metrics["ground_contact_ms"].is_none());
    assert_eq!(a.report.sides.as_ref().unwrap().gct_balance_left_pct, None);
    assert_eq!(c.source.name(), "strides");
    assert!(
        (summary - c.spectrum_spm).abs() <= 1.5,
        "{summary} vs {c:?}"
    );
    assert!(
        (summary - c.strides_spm.unwrap()).abs() <= 1.5,
        "{summary} vs {c:?}"
    );
    assert_eq!(c.agree, Some(true));
}

/// A 5-second treadmill trial (`../shared/data/raw/running-grf`, Alcantara et al. 2022) is
/// too short to tire: no drift, and the fatigue factors are not assessed with that reason
/// (issue 14 reports a 4-second treadmill clip scoring "+3.5 contact rise").
#[test]
fn a_five_second_trial_is_too_short_for_fatigue() {
    let Some(dir) = common::shared_data("raw/running-grf") else {
        return;
    };
    let a = analyze(
        &load(&dir.join("alcantara_S02_t06_v4.17_slope+0_accel.csv")),
        &Settings::default(),
    )
    .unwrap();
    let m = gaitguard::metrics::summarize(&a.recording).unwrap();
    assert!(m.drift.values().all(|d| d.is_none()), "{:?}", m.drift);
    let input = gaitguard::risk::RiskInput::from_summary(&m, None, None);
    let r = gaitguard::risk::assess(
        &input,
        &gaitguard::risk::profile::RunnerProfile::default(),
        &gaitguard::risk::config::RiskConfig::default(),
        chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(),
    );
    for id in ["cadence_drop", "contact_rise"] {
        let n = r
            .risk
            .not_assessed
            .iter()
            .find(|n| n.id == id)
            .unwrap_or_else(|| panic!("{id} assessed"));
        assert!(
            n.reason.contains("too short to show fatigue"),
            "{id}: {}",
            n.reason
        );
    }
    assert!(r.risk.factors.iter().all(|f| f.id != "contact_rise"));
}

/// A threshold belongs to the sensor that measured the value: RunScribe braking (the shoe's
/// deceleration, 7.25 g in the file of issue 14) is shown, not compared with the trunk
/// accelerometer's provisional 0.55 g, and adds no points; the same value from a trunk
/// accelerometer would be flagged. A foot pod's contact time is not judged by the torso's
/// force-plate reference.
#[test]
fn references_judge_only_their_own_sensor_family() {
    use gaitguard::risk::sensors::{SensorFamily, Sources};
    use gaitguard::risk::{RiskInput, assess};
    let day = chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
    let profile = gaitguard::risk::profile::RunnerProfile::default();
    let cfg = gaitguard::risk::config::RiskConfig::default();
    let shoe = RiskInput {
        cadence_spm: Some(170.0),
        speed_mps: Some(3.3),
        braking_g: Some(7.25),
        ground_contact_ms: Some(300.0),
        running_time_s: Some(1800.0),
        sources: Sources {
            dynamics: Some(SensorFamily::ShoePod),
            strike: Some(SensorFamily::ShoePod),
        },
        ..RiskInput::default()
    };
    let a = assess(&shoe, &profile, &cfg, day);
    let b = a.overstriding.get("braking_g").unwrap();
    assert_eq!((b.reference, b.flagged), (None, None));
    assert!(
        b.reference_note.contains("shoe pod"),
        "{}",
        b.reference_note
    );
    assert_eq!(b.reference_sensors, [SensorFamily::TrunkAccelerometer]);
    assert!(
        a.risk
            .factors
            .iter()
            .all(|f| f.id != "overstriding_braking")
    );
    for id in ["long_contact", "overstriding_braking"] {
        assert!(a.risk.not_assessed.iter().any(|n| n.id == id), "{id}");
    }
    let lc = a
        .risk
        .not_assessed
        .iter()
        .find(|n| n.id == "long_contact")
        .unwrap();
    assert!(lc.reason.contains("shoe pod"), "{}", lc.reason);
    assert_eq!(a.risk.score, 0);
    // The same numbers from a trunk accelerometer are judged.
    let trunk = RiskInput {
        sources: Sources {
            dynamics: Some(SensorFamily::TrunkAccelerometer),
            strike: Some(SensorFamily::TrunkAccelerometer),
        },
        ..shoe.clone()
    };
    let t = assess(&trunk, &profile, &cfg, day);
    assert_eq!(t.overstriding.get("braking_g").unwrap().flagged, Some(true));
    assert!(
        t.risk
            .factors
            .iter()
            .any(|f| f.id == "overstriding_braking" && f.points > 0.0)
    );
    assert!(t.risk.score > 0);
    // Every session rule names its families.
    for r in &cfg.rules {
        let torso = [
            "long_contact",
            "long_contact_absolute",
            "high_vertical_ratio",
            "high_vertical_oscillation",
            "gct_imbalance",
        ];
        if torso.contains(&r.id) {
            assert_eq!(r.sensors, gaitguard::risk::sensors::TORSO, "{}", r.id);
        }
    }
}

fn level(i: u8) -> gaitguard::vocab::Confidence {
    use gaitguard::vocab::Confidence;
    match i % 3 {
        0 => Confidence::Low,
        1 => Confidence::Moderate,
        _ => Confidence::High,
    }
}

const CONFIDENCE_METRICS: [&str; 7] = [
    "cadence_spm",
    "ground_contact_ms",
    "vertical_ratio_pct",
    "vertical_oscillation_cm",
    "gct_balance_left_pct",
    "braking_g",
    "footstrike_type",
];

/// The property below is not empty: a long contact from a trusted sensor scores, the same
/// contact at low confidence does not, at moderate half as much.
#[test]
fn a_doubted_metric_counts_less() {
    use gaitguard::risk::{RiskInput, assess};
    use gaitguard::vocab::Confidence;
    let day = chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
    let profile = gaitguard::risk::profile::RunnerProfile::default();
    let cfg = gaitguard::risk::config::RiskConfig::default();
    let points = |c: Confidence| {
        let input = RiskInput {
            speed_mps: Some(3.0),
            ground_contact_ms: Some(330.0),
            confidence: [("ground_contact_ms", c)].into_iter().collect(),
            ..RiskInput::default()
        };
        let a = assess(&input, &profile, &cfg, day).risk;
        a.factors
            .iter()
            .find(|f| f.id == "long_contact")
            .unwrap()
            .points
    };
    // 330 ms against 250 ms: 32 % above, past the 30 % of full points: 10 points.
    assert_eq!(points(Confidence::High), 10.0);
    assert_eq!(points(Confidence::Moderate), 5.0);
    assert_eq!(points(Confidence::Low), 0.0);
}

proptest::proptest! {
    /// Lowering any metric's confidence (or a drift's) never raises the risk score: a value
    /// the engine doubts counts at most as much as one it trusts.
    #[test]
    fn lowering_a_metrics_confidence_never_raises_the_risk(
        cad in 140.0f64..200.0,
        v in 2.0f64..5.5,
        gct in 180.0f64..360.0,
        ratio in 6.0f64..12.0,
        vo in 6.0f64..13.0,
        bal in 46.0f64..54.0,
        brk in 0.2f64..1.0,
        foot in 1.0f64..15.0,
        drift in -10.0f64..10.0,
        levels in proptest::collection::vec(0u8..3, 9),
        which in 0usize..9,
        down in 1u8..3,
    ) {
        use gaitguard::risk::{RiskInput, assess};
        let input = |lv: &[u8]| RiskInput {
            cadence_spm: Some(cad),
            speed_mps: Some(v),
            ground_contact_ms: Some(gct),
            vertical_ratio_pct: Some(ratio),
            vertical_oscillation_cm: Some(vo),
            gct_balance_left_pct: Some(bal),
            braking_g: Some(brk),
            footstrike_type: Some(foot),
            cadence_drift_pct: Some(-drift),
            contact_drift_pct: Some(drift),
            cadence_drift_confidence: Some(level(lv[7])),
            contact_drift_confidence: Some(level(lv[8])),
            running_time_s: Some(3600.0),
            confidence: CONFIDENCE_METRICS
                .iter()
                .zip(lv)
                .map(|(m, l)| (*m, level(*l)))
                .collect(),
            ..RiskInput::default()
        };
        let day = chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        let profile = gaitguard::risk::profile::RunnerProfile::default();
        let cfg = gaitguard::risk::config::RiskConfig::default();
        let score = |lv: &[u8]| {
            let a = assess(&input(lv), &profile, &cfg, day).risk;
            (a.score, a.session_points)
        };
        let mut lower = levels.clone();
        lower[which] = levels[which].saturating_sub(down);
        let (hi, hi_pts) = score(&levels);
        let (lo, lo_pts) = score(&lower);
        proptest::prop_assert!(lo <= hi && lo_pts <= hi_pts + 1e-9, "{levels:?} → {lower:?}: {hi} → {lo}");
    }
}
