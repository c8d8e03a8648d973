//! Raw-signal engine throughput: parse + preprocess + events + metrics, in memory.
//! The real 25-minute 100 Hz hip run when `../shared/data` is present, and a simulated
//! 10-minute and a 1-hour 1 kHz trunk run (600 000 and 3.6 M rows).

use criterion::{Criterion, criterion_group, criterion_main};
use gaitguard::gait::{Settings, analyze_owned};
use gaitguard::ingest::{IngestOptions, Input, read_input_bytes};
use gaitguard::simulate::raw::{Phase, RawSimConfig, raw_csv, simulate_raw};
use std::path::Path;

fn end_to_end(name: &str, bytes: &[u8]) {
    let Input::Raw(sig) =
        read_input_bytes(Path::new(name), bytes, &IngestOptions::default()).unwrap()
    else {
        panic!("not raw")
    };
    let a = analyze_owned(sig, &Settings::default()).unwrap();
    let m = gaitguard::metrics::summarize(&a.recording).unwrap();
    std::hint::black_box(m);
}

/// A simulated steady trunk-sensor run at 1 kHz, as CSV bytes.
fn trunk_run_csv(duration_s: f64) -> Vec<u8> {
    let sim = simulate_raw(&RawSimConfig {
        phases: vec![Phase::Run {
            duration_s,
            contact_s: 0.25,
            flight_s: 0.11,
            asymmetry_s: 0.0,
        }],
        rate_hz: 1000.0,
        noise_g: 0.03,
        ..RawSimConfig::default()
    });
    raw_csv(&sim).into_bytes()
}

fn bench(c: &mut Criterion) {
    let hip = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/data/raw/hip-running/acc_running_left_hip.csv");
    if let Ok(bytes) = std::fs::read(&hip) {
        c.bench_function("raw hip run 25 min 100 Hz (150k rows)", |b| {
            b.iter(|| end_to_end("hip.csv", &bytes))
        });
    } else {
        println!("skipped: {} not found", hip.display());
    }
    let bytes = trunk_run_csv(600.0);
    c.bench_function("raw trunk run 10 min 1 kHz (600k rows)", |b| {
        b.iter(|| end_to_end("sim.csv", &bytes))
    });
    // The hour at 1 kHz (3.6 M rows, 115 MB of CSV).
    let bytes = trunk_run_csv(3600.0);
    c.bench_function("raw trunk run 1 h 1 kHz (3.6M rows)", |b| {
        b.iter(|| end_to_end("sim.csv", &bytes))
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(10);
    targets = bench
}
criterion_main!(benches);
