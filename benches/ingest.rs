//! Whole-file analysis speed: ingest → metrics → JSON text, in memory (no disk).
//!
//! * `fit_2h24_8640_records`: a 2.4-hour run (8,640 one-second records with every running
//!   dynamics field) written by gaitguard's own simulator as binary FIT.
//! * `records_csv_2h24`: the same run as a per-record CSV.
//! * `fit_multisport_24239_records`: the real 1 MB Fenix 2 multisport file from
//!   `../shared/data/fit` (skipped when absent).

use criterion::{Criterion, criterion_group, criterion_main};
use gaitguard::ingest::{IngestOptions, read_recording_bytes};
use gaitguard::metrics::summarize;
use gaitguard::session::SessionDoc;
use gaitguard::simulate::{fit_writer::fit_bytes, records_csv, simulate_run};
use std::hint::black_box;
use std::path::Path;

fn analyze(name: &str, bytes: &[u8]) -> String {
    let rec =
        read_recording_bytes(Path::new(name), bytes, &IngestOptions::default()).expect("reads");
    let m = summarize(&rec).expect("summarises");
    SessionDoc::new(&rec, &m).to_json().expect("json")
}

fn bench(c: &mut Criterion) {
    let run = simulate_run(2.4 * 3600.0, 11);
    let fit = fit_bytes(&run);
    let csv = records_csv(&run).into_bytes();
    c.bench_function("fit_2h24_8640_records", |b| {
        b.iter(|| black_box(analyze("run.fit", &fit)))
    });
    c.bench_function("records_csv_2h24", |b| {
        b.iter(|| black_box(analyze("run.csv", &csv)))
    });
    let real = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/data/fit/activity-large-fenxi2-multisport.fit");
    match std::fs::read(&real) {
        Ok(bytes) => {
            c.bench_function("fit_multisport_24239_records", |b| {
                b.iter(|| black_box(analyze("multisport.fit", &bytes)))
            });
        }
        Err(_) => println!("skipped: {} not found", real.display()),
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(30);
    targets = bench
}
criterion_main!(benches);
