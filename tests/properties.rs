//! Closed-form and simulated-truth checks, and properties that must hold for any input.

use gaitguard::ingest::{IngestOptions, read_recording_bytes};
use gaitguard::metrics::{SessionMetrics, summarize};
use gaitguard::recording::Channel;
use gaitguard::simulate::{fit_writer::fit_bytes, records_csv, simulate_run};
use proptest::prelude::*;
use std::path::Path;

fn analyse(name: &str, bytes: &[u8]) -> (gaitguard::recording::Recording, SessionMetrics) {
    let rec = read_recording_bytes(Path::new(name), bytes, &IngestOptions::default()).unwrap();
    let m = summarize(&rec).unwrap();
    (rec, m)
}

fn mean(m: &SessionMetrics, k: &str) -> f64 {
    m.metrics[k].unwrap().mean
}

/// The simulator's spring-mass truth (noise-free model values) is recovered from its FIT and
/// CSV renderings: what goes in through the device fields comes out in the summary.
#[test]
fn simulated_truth_is_recovered() {
    let run = simulate_run(40.0 * 60.0, 21);
    let n = run.records.len() as f64;
    let truth =
        |f: fn(&gaitguard::simulate::SimRecord) -> f64| run.records.iter().map(f).sum::<f64>() / n;
    let cad = truth(|r| r.true_cadence_spm);
    let gct = truth(|r| r.true_ground_contact_ms);
    let flight = truth(|r| r.true_flight_ms);
    let vo = truth(|r| r.true_vertical_oscillation_cm);
    for (name, bytes) in [
        ("sim.fit", fit_bytes(&run)),
        ("sim.csv", records_csv(&run).into_bytes()),
    ] {
        let (_, m) = analyse(name, &bytes);
        assert_eq!(m.activity.name(), "running", "{name}");
        assert!(
            (mean(&m, "cadence_spm") - cad).abs() < 1.0,
            "{name} cadence {} vs {cad}",
            mean(&m, "cadence_spm")
        );
        assert!(
            (mean(&m, "ground_contact_ms") - gct).abs() / gct < 0.01,
            "{name} gct"
        );
        assert!(
            (mean(&m, "vertical_oscillation_cm") - vo).abs() / vo < 0.02,
            "{name} vo"
        );
        assert!(
            (mean(&m, "flight_ms") - flight).abs() < 6.0,
            "{name} flight {} vs {flight}",
            mean(&m, "flight_ms")
        );
        assert!(m.metrics["flight_ms"].unwrap().derived);
        // The model slows cadence 2 % and lengthens contact 3 % in the last third.
        let d = m.drift["ground_contact_ms"].unwrap();
        assert!(d.change > 0.0, "{name} {d:?}");
        let d = m.drift["cadence_spm"].unwrap();
        assert!(d.change < 0.0, "{name} {d:?}");
        // It eases in over 8 minutes, so the start is not hard.
        assert!(!m.warmup.unwrap().hard_start, "{name}");
        // One hill with grades up to 8.7 %: some, not most, time on steep grades.
        let e = m.elevation.clone().unwrap();
        let up = e.time_uphill_steep_s.unwrap();
        assert!(up > 30.0 && up < 600.0, "{name} uphill {up}");
    }
}

/// Wahoo TICKR running analytics: ma_gct in seconds, ma_vertosc in metres, a paused block.
#[test]
fn wahoo_units_and_pauses() {
    let mut s =
        String::from("Device,Wahoo Fitness\nYear,2016,Month,5,Day,3,Hour,7,Minute,0,Second,0\n\n");
    s.push_str("time,paused,hr_heartrate,ma_cadence,ma_gct,ma_vertosc,gps_speed,gps_dist\n");
    for i in 0..900 {
        let paused = (300..420).contains(&i) as u8;
        s.push_str(&format!(
            "{i},{paused},150,172,0.245,0.083,3.2,{}\n",
            3.2 * i as f64
        ));
    }
    let (rec, m) = analyse("wahoo.csv", s.as_bytes());
    assert_eq!(rec.format, "wahoo-csv");
    assert!((mean(&m, "ground_contact_ms") - 245.0).abs() < 1e-9);
    assert!((mean(&m, "vertical_oscillation_cm") - 8.3).abs() < 1e-9);
    assert!((mean(&m, "cadence_spm") - 172.0).abs() < 1e-9);
    assert_eq!(rec.pauses.len(), 1);
    assert!(
        (m.running_time_s - 780.0).abs() <= 1.0,
        "{}",
        m.running_time_s
    );
}

/// A footpod that reports doubled cadence for a stretch is corrected and reported.
#[test]
fn mixed_cadence_units_are_fixed() {
    let mut s = String::from("time,cadence,speed\n");
    for i in 0..600 {
        let c = if (200..260).contains(&i) { 340 } else { 170 };
        s.push_str(&format!("{i},{c},3.0\n"));
    }
    let (rec, m) = analyse("pod.csv", s.as_bytes());
    assert!((mean(&m, "cadence_spm") - 170.0).abs() < 1e-9);
    assert!(rec.warnings.iter().any(|w| w.code
        == gaitguard::vocab::WarningCode::CadenceMixedUnits
        && w.message.starts_with("60 of 600")));
}

#[test]
fn the_committed_csv_sample_is_the_simulator_output() {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/simulated-run-40min.csv");
    let same = std::fs::read_to_string(p).unwrap() == records_csv(&simulate_run(2400.0, 7));
    assert!(same, "regenerate samples/ (README, Samples)");
}

fn zone_rank(z: Option<gaitguard::metrics::zones::Zone>) -> u8 {
    use gaitguard::metrics::zones::Zone::*;
    match z.unwrap() {
        Red => 0,
        Orange => 1,
        Green => 2,
        Blue => 3,
        Purple => 4,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// Summary statistics stay inside the data and in order, whatever the weights.
    #[test]
    fn summaries_are_ordered(v in prop::collection::vec((100.0f64..250.0, 0.01f64..30.0), 1..200)) {
        let mut pairs = v.clone();
        let s = gaitguard::stats::summarize(&mut pairs).unwrap();
        let lo = v.iter().map(|p| p.0).fold(f64::INFINITY, f64::min);
        let hi = v.iter().map(|p| p.0).fold(f64::NEG_INFINITY, f64::max);
        prop_assert!(lo - 1e-9 <= s.p10 && s.p10 <= s.median + 1e-9 && s.median <= s.p90 + 1e-9 && s.p90 <= hi + 1e-9);
        prop_assert!(lo - 1e-9 <= s.mean && s.mean <= hi + 1e-9);
        // Scaling every weight leaves every statistic unchanged.
        let mut scaled: Vec<(f64, f64)> = v.iter().map(|(x, w)| (*x, w * 7.0)).collect();
        let t = gaitguard::stats::summarize(&mut scaled).unwrap();
        prop_assert!((s.mean - t.mean).abs() < 1e-9 && (s.median - t.median).abs() < 1e-9);
    }

    /// A better value never lands in a worse population band.
    #[test]
    fn zones_are_monotone(a in 100.0f64..220.0, b in 100.0f64..220.0, g1 in 150.0f64..400.0, g2 in 150.0f64..400.0) {
        use gaitguard::metrics::zones::zone;
        let (lo, hi) = if a < b { (a, b) } else { (b, a) };
        prop_assert!(zone_rank(zone("cadence_spm", lo)) <= zone_rank(zone("cadence_spm", hi)));
        let (short, long) = if g1 < g2 { (g1, g2) } else { (g2, g1) };
        prop_assert!(zone_rank(zone("ground_contact_ms", short)) >= zone_rank(zone("ground_contact_ms", long)));
    }

    /// RFC 3339 output parses back to the same instant.
    #[test]
    fn timestamps_round_trip(t in 0i64..4_000_000_000) {
        let text = gaitguard::time::rfc3339(t as f64).unwrap();
        let p = gaitguard::time::parse_datetime(&text).unwrap();
        prop_assert_eq!(p.unix_s, t as f64);
        prop_assert!(p.has_zone);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// Never a panic on a damaged FIT: any truncation and any byte flip gives a result or a
    /// clear error.
    #[test]
    fn damaged_fit_never_panics(cut in 0usize..20_000, flip_at in 0usize..20_000, flip in 1u8..=255) {
        let bytes = fit_bytes(&simulate_run(300.0, 3));
        let mut b = bytes[..cut.min(bytes.len())].to_vec();
        if !b.is_empty() {
            let i = flip_at % b.len();
            b[i] ^= flip;
        }
        let _ = read_recording_bytes(Path::new("x.fit"), &b, &IngestOptions::default())
            .map(|r| summarize(&r).map(|m| m.activity));
    }

    /// Never a panic on arbitrary CSV-ish text.
    #[test]
    fn arbitrary_csv_never_panics(header in "[a-z_\\[\\] ]{0,12}(,[a-z_\\[\\] ]{0,12}){0,6}", rows in prop::collection::vec("[0-9a-z.,;:\\- ]{0,40}", 0..30)) {
        let text = format!("{header}\n{}", rows.join("\n"));
        let _ = read_recording_bytes(Path::new("x.csv"), text.as_bytes(), &IngestOptions::default())
            .map(|r| summarize(&r).map(|m| m.activity));
    }
}

#[test]
fn a_channel_absent_from_the_file_is_absent_from_the_recording() {
    let (rec, _) = analyse("hr.csv", b"time,heart_rate\n0,120\n1,121\n2,122\n");
    assert!(rec.series.get(Channel::CadenceSpm).is_none());
    assert!(rec.series.get(Channel::HeartRateBpm).is_some());
}
