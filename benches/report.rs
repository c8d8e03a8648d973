//! PNG session report: draw + encode + atomic write of one 1600×1200 page, the analysis done
//! once outside the loop. The 40-minute watch sample, the raw trunk sample, and the real
//! 25-minute 100 Hz hip run when `../shared/data` is present.

use criterion::{Criterion, criterion_group, criterion_main};
use gaitguard::gait::{EventTrace, Settings, analyze_owned};
use gaitguard::ingest::{IngestOptions, Input, read_input};
use gaitguard::recording::Recording;
use gaitguard::report::json::SessionDoc;
use gaitguard::report::png::{SessionInput, write_session_report};
use gaitguard::risk::{RiskInput, assess};
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

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(10);
    targets = bench
}
criterion_main!(benches);
