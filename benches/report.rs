//! PNG reports: draw + encode + atomic write of one 1600×1200 page, the analysis done once
//! outside the loop. Session pages: the 40-minute watch sample, the raw trunk sample, and the
//! real 25-minute 100 Hz hip run when `../shared/data` is present. Block pages: the sample
//! block (26 runs) and 500 simulated runs over 500 days.

use criterion::{Criterion, criterion_group, criterion_main};
use gaitguard::block::{BlockOptions, analyze_block, discover::discover};
use gaitguard::gait::{EventTrace, Settings, analyze_owned};
use gaitguard::ingest::{IngestOptions, Input, read_input};
use gaitguard::recording::Recording;
use gaitguard::report::png::{BlockInput, SessionInput, write_block_report, write_session_report};
use gaitguard::risk::{RiskInput, assess};
use gaitguard::session::SessionDoc;
use gaitguard::simulate::{RunPlan, fit_writer::fit_bytes, simulate_plan};
use std::path::Path;

/// What `gaitguard analyze` has in hand when it draws the report.
fn analysed(path: &Path) -> (SessionDoc, Recording, Option<EventTrace>) {
    let (doc, rec, trace) = match read_input(path, &IngestOptions::default()).unwrap() {
        Input::Records(rec) => {
            let m = gaitguard::metrics::summarize(&rec).unwrap();
            (SessionDoc::new(&rec, &m), rec, None)
        }
        Input::Raw(sig) => {
            let a = analyze_owned(sig, &Settings::default()).unwrap();
            let m = gaitguard::metrics::summarize(&a.recording).unwrap();
            (
                SessionDoc::new_raw(&a.recording, &m, &a.report),
                a.recording,
                a.trace,
            )
        }
    };
    let input = RiskInput::from_summary(&doc.summary, doc.start_unix_s(), doc.utc_offset_s);
    let doc = doc.with_assessment(assess(&input, &Default::default(), &Default::default()));
    (doc, rec, trace)
}

fn bench(c: &mut Criterion) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out_dir = tempfile::tempdir().unwrap();
    let out = out_dir.path().join("report.png");
    let mut inputs = vec![
        (
            "session report, 40-min watch sample (2400 records)",
            root.join("samples/simulated-run-40min.fit"),
        ),
        (
            "session report, raw trunk sample (2 min, 100 Hz)",
            root.join("samples/simulated-trunk-run.csv"),
        ),
    ];
    let hip = root.join("../shared/data/raw/hip-running/acc_running_left_hip.csv");
    if hip.exists() {
        inputs.push(("session report, real hip run (25 min, 100 Hz raw)", hip));
    } else {
        println!("skipped: {} not found", hip.display());
    }
    for (name, path) in inputs {
        let (doc, rec, trace) = analysed(&path);
        let mut input = SessionInput::new(&doc, &rec);
        input.trace = trace.as_ref();
        c.bench_function(name, |b| {
            b.iter(|| write_session_report(&out, &input).unwrap())
        });
    }
}

fn bench_block(c: &mut Criterion) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out_dir = tempfile::tempdir().unwrap();
    let out = out_dir.path().join("block.png");
    let sample = analyze_block(
        discover(&[root.join("samples/block")]),
        &BlockOptions::default(),
        &|| {},
    );
    c.bench_function("block report, sample block (26 runs)", |b| {
        b.iter(|| write_block_report(&out, &BlockInput::new(&sample)).unwrap())
    });
    // 500 runs, one a day, 30-minute runs recorded every 10 s (the page does not depend on
    // the record rate), with a long run every seventh day.
    let dir = tempfile::tempdir().unwrap();
    for i in 0..500 {
        let run = simulate_plan(
            &RunPlan {
                start_unix_s: 1_700_000_000.0 + i as f64 * 86_400.0,
                duration_s: if i % 7 == 6 { 5400.0 } else { 1800.0 },
                cruise_mps: 2.9 + 0.1 * (i % 7) as f64,
                hill_m: 5.0 + (i % 5) as f64 * 8.0,
                record_every_s: 10,
            },
            i as u64,
        );
        std::fs::write(dir.path().join(format!("run{i:04}.fit")), fit_bytes(&run)).unwrap();
    }
    let big = analyze_block(
        discover(&[dir.path().to_path_buf()]),
        &BlockOptions::default(),
        &|| {},
    );
    assert_eq!(big.sessions.len(), 500);
    c.bench_function("block report, 500 runs over 500 days", |b| {
        b.iter(|| write_block_report(&out, &BlockInput::new(&big)).unwrap())
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(10);
    targets = bench, bench_block
}
criterion_main!(benches);
