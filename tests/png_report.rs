//! The session PNG report: every input `analyze` accepts in `samples/` and `../shared/data`
//! renders a page of at least 1600×1200 whose panels are not blank; missing data gives a
//! labelled empty panel; the same input gives the same bytes; `--report` works end to end.
//!
//! Set `GAITGUARD_PNG_DIR=/some/folder` to keep the rendered pages for a look.

mod common;

use assert_cmd::Command;
use gaitguard::gait::{EventTrace, Settings, analyze_owned};
use gaitguard::ingest::raw::RawOptions;
use gaitguard::ingest::{IngestOptions, Input, read_input};
use gaitguard::recording::Recording;
use gaitguard::report::png::SessionInput;
use gaitguard::report::png::session::{
    DEFAULT_SIZE, PanelKind, PanelReport, SeriesKind, layout, render_session_png,
};
use gaitguard::risk::{self, RiskInput};
use gaitguard::session::SessionDoc;
use std::path::{Path, PathBuf};

/// The analysis `gaitguard analyze` runs, kept for drawing.
struct Analysed {
    doc: SessionDoc,
    recording: Recording,
    trace: Option<EventTrace>,
}

fn analyse(path: &Path, raw: RawOptions) -> Result<Analysed, String> {
    analyse_with(path, raw, &Settings::default())
}

fn analyse_with(path: &Path, raw: RawOptions, settings: &Settings) -> Result<Analysed, String> {
    let opts = IngestOptions {
        raw,
        ..IngestOptions::default()
    };
    let (doc, recording, trace) = match read_input(path, &opts).map_err(|e| e.to_string())? {
        Input::Records(rec) => {
            let m = gaitguard::metrics::summarize(&rec).map_err(|e| e.to_string())?;
            (SessionDoc::new(&rec, &m), rec, None)
        }
        Input::Raw(sig) => {
            let a = analyze_owned(sig, settings).map_err(|e| e.to_string())?;
            let m = gaitguard::metrics::summarize(&a.recording).map_err(|e| e.to_string())?;
            (
                SessionDoc::new_raw(&a.recording, &m, &a.report),
                a.recording,
                a.trace,
            )
        }
    };
    let input = RiskInput::from_summary(&doc.summary, doc.start_unix_s(), doc.utc_offset_s);
    let doc = doc.with_assessment(risk::assess(
        &input,
        &Default::default(),
        &Default::default(),
    ));
    Ok(Analysed {
        doc,
        recording,
        trace,
    })
}

fn decode(png_bytes: &[u8]) -> (u32, u32, Vec<u8>) {
    common::decode_png(png_bytes)
}

/// Render, check the page and every panel, keep the page when asked; returns the panels.
fn check(name: &str, a: &Analysed) -> Vec<PanelReport> {
    let mut input = SessionInput::new(&a.doc, &a.recording);
    input.trace = a.trace.as_ref();
    let (bytes, panels) = render_session_png(&input, DEFAULT_SIZE.0, DEFAULT_SIZE.1)
        .unwrap_or_else(|e| {
            panic!("{name}: {e}");
        });
    let (w, h, rgb) = decode(&bytes);
    assert!(w >= 1600 && h >= 1200, "{name}: {w}×{h}");
    // The layout the tests can ask for is the one drawn.
    let lay = layout(&input, w, h);
    assert_eq!(
        lay.panels,
        panels.iter().map(|p| (p.kind, p.rect)).collect::<Vec<_>>(),
        "{name}"
    );
    let rects: Vec<(String, gaitguard::report::png::Rect)> = panels
        .iter()
        .map(|p| (format!("{:?}", p.kind), p.rect))
        .collect();
    common::check_page(name, &bytes, &rgb, (w, h), &rects);
    panels
}

fn samples() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("samples")
}

fn empty_of(panels: &[PanelReport], kind: PanelKind) -> Option<String> {
    panels
        .iter()
        .find(|p| p.kind == kind)
        .unwrap_or_else(|| panic!("no {kind:?} panel"))
        .empty
        .clone()
}

#[test]
fn samples_render_with_every_panel_drawn() {
    let a = analyse(
        &samples().join("simulated-run-40min.fit"),
        RawOptions::default(),
    )
    .unwrap();
    let panels = check("sample-40min-fit", &a);
    // A watch file: a metric table, no event panel, all three form series filled.
    assert!(panels.iter().any(|p| p.kind == PanelKind::Table));
    assert!(!panels.iter().any(|p| p.kind == PanelKind::Events));
    for k in [
        SeriesKind::Cadence,
        SeriesKind::GroundContact,
        SeriesKind::VerticalOscillation,
        SeriesKind::HeartRate,
    ] {
        assert_eq!(empty_of(&panels, PanelKind::Series(k)), None, "{k:?}");
    }

    let a = analyse(
        &samples().join("simulated-trunk-run.csv"),
        RawOptions::default(),
    )
    .unwrap();
    let tr = a
        .trace
        .as_ref()
        .expect("a raw trunk run has an event trace");
    assert!(!tr.contacts_s.is_empty() && tr.contacts_s.len() == tr.toe_offs_s.len());
    let panels = check("sample-trunk-csv", &a);
    assert_eq!(empty_of(&panels, PanelKind::Events), None);
    assert_eq!(empty_of(&panels, PanelKind::Histogram), None);
}

/// The event trace of a simulated run: about four seconds from the middle of the run, each
/// marked contact and toe-off within 20 ms of the simulator's truth, and inside the window.
#[test]
fn event_trace_marks_the_true_events() {
    use gaitguard::simulate::raw::{Phase, RawSimConfig, simulate_raw};
    let sim = simulate_raw(&RawSimConfig {
        phases: vec![Phase::Run {
            duration_s: 30.0,
            contact_s: 0.25,
            flight_s: 0.11,
            asymmetry_s: 0.0,
        }],
        ..RawSimConfig::default()
    });
    let sig = common::raw_signal(&sim);
    let a = analyze_owned(sig, &Settings::default()).unwrap();
    let tr = a.trace.expect("a trace");
    let len_s = tr.vertical_g.len() as f64 / tr.sample_rate_hz;
    assert!((3.5..=4.5).contains(&len_s), "{len_s}");
    assert!(
        tr.start_s > 8.0 && tr.start_s + len_s < 22.0,
        "{}",
        tr.start_s
    );
    assert!(
        tr.forward_g
            .as_ref()
            .is_some_and(|f| f.len() == tr.vertical_g.len())
    );
    assert!(tr.contacts_s.len() >= 9, "{:?}", tr.contacts_s);
    assert_eq!(tr.contacts_s.len(), tr.toe_offs_s.len());
    for (c, t) in tr.contacts_s.iter().zip(&tr.toe_offs_s) {
        assert!(*c >= tr.start_s && *t <= tr.start_s + len_s && t > c);
        let truth = sim
            .steps
            .iter()
            .min_by(|a, b| (a.ic_s - c).abs().total_cmp(&(b.ic_s - c).abs()))
            .unwrap();
        assert!(
            (truth.ic_s - c).abs() < 0.02,
            "contact {c} vs {}",
            truth.ic_s
        );
        assert!(
            (truth.tc_s - t).abs() < 0.02,
            "toe-off {t} vs {}",
            truth.tc_s
        );
    }
}

#[test]
fn same_input_same_bytes() {
    let a = analyse(
        &samples().join("simulated-trunk-run.csv"),
        RawOptions::default(),
    )
    .unwrap();
    let mut input = SessionInput::new(&a.doc, &a.recording);
    input.trace = a.trace.as_ref();
    let one = render_session_png(&input, 1600, 1200).unwrap().0;
    let two = render_session_png(&input, 1600, 1200).unwrap().0;
    assert!(one == two, "two renders of one input differ");
}

#[test]
fn other_page_sizes_lay_out_and_draw() {
    let a = analyse(
        &samples().join("simulated-run-40min.fit"),
        RawOptions::default(),
    )
    .unwrap();
    let input = SessionInput::new(&a.doc, &a.recording);
    for (w, h) in [(2400, 1800), (1600, 1600), (1920, 1080)] {
        let (bytes, panels) = render_session_png(&input, w, h).unwrap();
        if let Ok(dir) = std::env::var("GAITGUARD_PNG_DIR") {
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(Path::new(&dir).join(format!("size-{w}x{h}.png")), &bytes).unwrap();
        }
        let (dw, dh, _) = decode(&bytes);
        assert_eq!((dw, dh), (w, h));
        for p in panels {
            assert!(p.rect.right() <= w as i32 && p.rect.bottom() <= h as i32);
            assert!(p.rect.w > 0 && p.rect.h > 0, "{:?}", p.kind);
        }
    }
}

#[test]
fn a_file_without_contact_times_gets_labelled_empty_panels() {
    // A records CSV with cadence, speed and heart rate only: no ground contact.
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("cadence-only.csv");
    let mut csv = String::from("time[s],cadence[spm],speed[m/s],heart_rate[bpm]\n");
    for i in 0..900 {
        csv.push_str(&format!(
            "{i},{},{},{}\n",
            168 + (i % 5),
            3.0 + 0.001 * i as f64,
            140 + i / 60
        ));
    }
    std::fs::write(&p, csv).unwrap();
    let a = analyse(&p, RawOptions::default()).unwrap();
    let panels = check("no-contact-times", &a);
    let why = empty_of(&panels, PanelKind::Series(SeriesKind::GroundContact))
        .expect("ground contact drawn as empty");
    assert!(why.contains("no ground-contact data"), "{why}");
    assert!(empty_of(&panels, PanelKind::Histogram).is_some());
    assert_eq!(
        empty_of(&panels, PanelKind::Series(SeriesKind::Cadence)),
        None
    );
}

/// Raw files whose events cannot be shown say why in the event panel.
#[test]
fn raw_files_without_events_explain_the_empty_event_panel() {
    let trunk = samples().join("simulated-trunk-run.csv");
    let wrist = Settings {
        placement: Some(gaitguard::recording::Placement::Wrist),
        speed_mps: None,
    };
    let a = analyse_with(&trunk, RawOptions::default(), &wrist).unwrap();
    assert!(a.trace.is_none());
    let panels = check("wrist-placement", &a);
    let why = empty_of(&panels, PanelKind::Events).expect("empty event panel");
    assert!(why.contains("cadence only"), "{why}");
    // The same run sampled at 25 Hz: too slow for contact timing.
    let dir = tempfile::tempdir().unwrap();
    let slow = dir.path().join("slow.csv");
    let text = std::fs::read_to_string(&trunk).unwrap();
    let mut out = String::new();
    for (i, line) in text.lines().enumerate() {
        if i == 0 || (i - 1) % 4 == 0 {
            out.push_str(line);
            out.push('\n');
        }
    }
    std::fs::write(&slow, out).unwrap();
    let a = analyse(&slow, RawOptions::default()).unwrap();
    let panels = check("25-hz", &a);
    let why = empty_of(&panels, PanelKind::Events).expect("empty event panel");
    assert!(why.contains("50 Hz"), "{why}");
    assert!(empty_of(&panels, PanelKind::Series(SeriesKind::GroundContact)).is_some());
}

#[test]
fn tiny_and_still_files_do_not_panic() {
    let dir = tempfile::tempdir().unwrap();
    // Three records; and a minute of standing still (no running, no walking).
    for (name, rows) in [
        ("three.csv", vec!["0,170,3.0", "1,171,3.0", "2,172,3.1"]),
        ("still.csv", (0..60).map(|_| "x,0,0.0").collect::<Vec<_>>()),
    ] {
        let p = dir.path().join(name);
        let mut csv = String::from("time[s],cadence[spm],speed[m/s]\n");
        for (i, r) in rows.iter().enumerate() {
            csv.push_str(&r.replacen('x', &i.to_string(), 1));
            csv.push('\n');
        }
        std::fs::write(&p, csv).unwrap();
        match analyse(&p, RawOptions::default()) {
            Ok(a) => {
                check(&format!("tiny-{name}"), &a);
            }
            Err(e) => println!("{name}: not analysed ({e})"),
        }
    }
}

/// Every file under `../shared/data` that `analyze` accepts (a file it refuses is printed and
/// skipped: the truth tables and event lists there are not recordings).
#[test]
fn every_shared_recording_renders() {
    let Some(root) = common::shared_data("") else {
        return;
    };
    let mut files: Vec<PathBuf> = Vec::new();
    let mut stack = vec![root.clone()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if matches!(p.extension().and_then(|x| x.to_str()), Some("fit" | "csv")) {
                files.push(p);
            }
        }
    }
    files.sort();
    let mut rendered = 0;
    for p in &files {
        let rel = p.strip_prefix(&root).unwrap().display().to_string();
        // The foot IMU sample has no time column: its rate comes from its documentation.
        let raw = if rel.ends_with("foot-walking/imu_sample.csv") {
            RawOptions {
                sample_rate_hz: Some(204.8),
                ..RawOptions::default()
            }
        } else {
            RawOptions::default()
        };
        match analyse(p, raw) {
            Ok(a) => {
                let name = rel.replace(['/', '.'], "_");
                let panels = check(&name, &a);
                // A file without ground contact says so instead of drawing a line.
                if a.doc.summary.metrics["ground_contact_ms"].is_none() {
                    assert!(
                        empty_of(&panels, PanelKind::Series(SeriesKind::GroundContact)).is_some(),
                        "{rel}"
                    );
                }
                rendered += 1;
            }
            Err(e) => println!("not analysed, skipped: {rel}: {e}"),
        }
    }
    println!("rendered {rendered} of {} files", files.len());
    assert!(rendered >= 10, "only {rendered} shared files rendered");
}

#[test]
fn report_option_writes_a_png() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report.png");
    Command::cargo_bin("gaitguard")
        .unwrap()
        .args(["analyze", "-q", "--report"])
        .arg(&out)
        .arg(samples().join("simulated-trunk-run.csv"))
        .assert()
        .success();
    let (w, h, _) = decode(&std::fs::read(&out).unwrap());
    assert!(w >= 1600 && h >= 1200);
    // No temporary file is left beside it.
    let left: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(left.len(), 1, "{left:?}");
}

#[test]
fn report_option_needs_a_png_path() {
    for bad in ["out.jpg", "", "report"] {
        Command::cargo_bin("gaitguard")
            .unwrap()
            .args(["analyze", "--report", bad])
            .arg(samples().join("simulated-run-40min.fit"))
            .assert()
            .code(2)
            .stderr(predicates::str::contains("--report"));
    }
    // An unwritable folder is an output error (exit 2) naming the path.
    Command::cargo_bin("gaitguard")
        .unwrap()
        .args(["analyze", "-q", "--report", "/nonexistent-folder/r.png"])
        .arg(samples().join("simulated-run-40min.fit"))
        .assert()
        .code(2)
        .stderr(predicates::str::contains("nonexistent-folder"));
}
