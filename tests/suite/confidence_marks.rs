//! The low-confidence marker of issue 14 item 2: a metric the session rates `low` is
//! marked in the terminal summary ("low confidence", followed by "(--json says why)" where
//! the terminal is wide enough) and in the PNG's
//! metric table ("(low confidence)"); a metric rated `high` or `moderate` is not.

use crate::common;

use gaitguard::ingest::{IngestOptions, Input, read_input};
use gaitguard::recording::Recording;
use gaitguard::report::png::SessionInput;
use gaitguard::report::png::session::{DEFAULT_SIZE, PanelKind, layout, render_session_png};
use gaitguard::session::SessionDoc;
use gaitguard::vocab::{Confidence, MetricConfidence};
use std::path::PathBuf;

/// The 40-minute simulated watch run of `samples/`, summarised.
fn watch_run() -> (SessionDoc, Recording) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("samples/simulated-run-40min.fit");
    let Input::Records(rec) = read_input(&path, &IngestOptions::default()).unwrap() else {
        panic!("a watch file");
    };
    let m = gaitguard::metrics::summarize(&rec).unwrap();
    (SessionDoc::new(&rec, &m), rec)
}

/// The doc with `metric` rated `level`.
fn rated(doc: &SessionDoc, metric: &'static str, level: Confidence) -> SessionDoc {
    let mut d = doc.clone();
    d.summary.confidence.insert(
        metric,
        MetricConfidence {
            level,
            reasons: vec!["a test".into()],
        },
    );
    d
}

/// Terminal lines that carry the marker (the 80-column summary keeps its first words).
fn marked_lines(doc: &SessionDoc) -> Vec<String> {
    gaitguard::report::terminal::render(doc)
        .lines()
        .filter(|l| l.trim_end().ends_with("low confidence"))
        .map(str::to_string)
        .collect()
}

#[test]
fn the_terminal_marks_exactly_the_low_confidence_metrics() {
    let (doc, _) = watch_run();
    assert!(marked_lines(&doc).is_empty());
    for level in [Confidence::High, Confidence::Moderate] {
        assert!(marked_lines(&rated(&doc, "cadence_spm", level)).is_empty());
    }
    let low = marked_lines(&rated(&doc, "cadence_spm", Confidence::Low));
    assert_eq!(low.len(), 1, "{low:?}");
    assert!(low[0].trim_start().starts_with("cadence (spm)"), "{low:?}");
    let two = rated(
        &rated(&doc, "cadence_spm", Confidence::Low),
        "ground_contact_ms",
        Confidence::Low,
    );
    assert_eq!(marked_lines(&two).len(), 2);
}

/// Dark pixels (text) inside the PNG's metric table.
fn table_ink(doc: &SessionDoc, rec: &Recording) -> usize {
    let input = SessionInput::new(doc, rec);
    let (bytes, _) = render_session_png(&input, DEFAULT_SIZE.0, DEFAULT_SIZE.1).unwrap();
    let (w, _, rgb) = common::decode_png(&bytes);
    let r = layout(&input, DEFAULT_SIZE.0, DEFAULT_SIZE.1)
        .rect(PanelKind::Table)
        .expect("a watch file's page has a metric table");
    common::count_pixels(&rgb, w, r, |p| p.iter().all(|&c| c < 110))
}

#[test]
fn the_png_table_marks_a_low_confidence_metric() {
    let (doc, rec) = watch_run();
    let plain = table_ink(&doc, &rec);
    // A moderate rating draws nothing more; a low one writes the marker in its row.
    assert_eq!(
        table_ink(&rated(&doc, "cadence_spm", Confidence::Moderate), &rec),
        plain
    );
    let low = table_ink(&rated(&doc, "cadence_spm", Confidence::Low), &rec);
    assert!(low > plain + 100, "{low} vs {plain}");
}
