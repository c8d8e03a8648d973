//! The training-block PNG page (`gaitguard block DIR --report block.png`): the sample block,
//! the real FIT folder, blocks with nothing to draw, a long block, the colours that carry the
//! weekly change, the speed normalisation of the trend panels, and the CLI option.
//!
//! Set `GAITGUARD_PNG_DIR=/some/folder` to keep the rendered pages for a look.

use crate::common::{self, gg};

use gaitguard::block::{Block, BlockOptions, analyze_block, discover::discover};
use gaitguard::report::png::block::{
    BlockInput, BlockPanel, BlockPanelReport, TREND_PANELS, layout, render_block_png,
    speed_normalised,
};
use gaitguard::report::png::{DEFAULT_SIZE, Rect, palette};
use gaitguard::simulate::{RunPlan, fit_writer::fit_bytes, simulate_plan};
use std::path::{Path, PathBuf};

fn block_of(paths: &[PathBuf]) -> Block {
    analyze_block(discover(paths), &BlockOptions::default(), &|| {})
}

fn sample_block() -> Block {
    block_of(&[PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("samples/block")])
}

fn decode(png_bytes: &[u8]) -> (u32, u32, Vec<u8>) {
    common::decode_png(png_bytes)
}

fn count(rgb: &[u8], width: u32, r: Rect, pred: impl Fn([u8; 3]) -> bool) -> usize {
    common::count_pixels(rgb, width, r, pred)
}

/// A coloured (not grey) pixel: the palette's data colours, not text, frames or grid.
fn chromatic(p: [u8; 3]) -> bool {
    let (lo, hi) = (p.iter().min().unwrap(), p.iter().max().unwrap());
    hi - lo >= 40
}

/// A dark pixel: text (ink), not the grid or frames.
fn dark(p: [u8; 3]) -> bool {
    p.iter().all(|&c| c < 110)
}

/// `c` drawn at `alpha` over the white page, as plotters blends it.
fn blended(c: plotters::style::RGBColor, alpha: f64) -> [u8; 3] {
    let b = |v: u8| (v as f64 * alpha + 255.0 * (1.0 - alpha)).round() as u8;
    [b(c.0), b(c.1), b(c.2)]
}

fn near(a: [u8; 3], b: [u8; 3]) -> bool {
    a.iter().zip(b).all(|(x, y)| x.abs_diff(y) <= 2)
}

/// Render at the default size; check the page size, that the layout asked for is the one
/// drawn, and that no panel is blank; keep the page when asked. Returns the panels and pixels.
fn check(name: &str, b: &Block) -> (Vec<BlockPanelReport>, Vec<u8>) {
    let input = BlockInput::new(b);
    let (bytes, panels) = render_block_png(&input, DEFAULT_SIZE.0, DEFAULT_SIZE.1)
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    let (w, h, rgb) = decode(&bytes);
    assert_eq!((w, h), DEFAULT_SIZE, "{name}");
    // The layout a caller can ask for is where the panels were drawn.
    let lay = layout(b, w, h);
    assert_eq!(lay.len(), panels.len(), "{name}");
    for p in &panels {
        // An empty panel is drawn in greys only (frame, title, reason); colours are data.
        if p.empty.is_some() {
            assert_eq!(
                count(&rgb, w, p.rect, chromatic),
                0,
                "{name}: empty panel {:?} has coloured pixels",
                p.kind
            );
        }
    }
    let rects: Vec<(String, Rect)> = panels
        .iter()
        .map(|p| (format!("{:?}", p.kind), p.rect))
        .collect();
    common::check_page(name, &bytes, &rgb, (w, h), &rects);
    (panels, rgb)
}

fn panel(panels: &[BlockPanelReport], kind: BlockPanel) -> &BlockPanelReport {
    panels.iter().find(|p| p.kind == kind).unwrap()
}

#[test]
fn the_sample_block_draws_every_panel_with_data() {
    let b = sample_block();
    let (panels, rgb) = check("block-sample", &b);
    for p in &panels {
        assert_eq!(p.empty, None, "{:?} drawn empty", p.kind);
        if matches!(p.kind, BlockPanel::Header | BlockPanel::Footer) {
            continue;
        }
        // Below the caption (title and legend), data is drawn in colour.
        let body = Rect::new(p.rect.x, p.rect.y + 30, p.rect.w, p.rect.h - 30);
        let n = count(&rgb, DEFAULT_SIZE.0, body, chromatic);
        assert!(n >= 300, "{:?}: {n} coloured pixels of data", p.kind);
    }
    // Same input, same bytes.
    let input = BlockInput::new(&b);
    let a = render_block_png(&input, 1600, 1200).unwrap().0;
    let c = render_block_png(&input, 1600, 1200).unwrap().0;
    assert!(a == c, "the page is not deterministic");
}

#[test]
fn weekly_bars_take_their_colour_from_the_change() {
    let b = sample_block();
    let high = b
        .weeks
        .iter()
        .filter(|w| w.totals.change_pct.is_some_and(|c| c > 30.0))
        .count();
    let mid = b
        .weeks
        .iter()
        .filter(|w| w.totals.change_pct.is_some_and(|c| c > 10.0 && c <= 30.0))
        .count();
    assert!(high > 0, "the sample block has a week up more than 30 %");
    let vermilion_bar = blended(palette::VERMILION, 0.85);
    let orange_bar = blended(palette::ORANGE, 0.85);
    let measure = |b: &Block| {
        let (panels, rgb) = check("block-colours", b);
        let r = panel(&panels, BlockPanel::WeeklyDistance).rect;
        (
            count(&rgb, DEFAULT_SIZE.0, r, |p| near(p, vermilion_bar)),
            count(&rgb, DEFAULT_SIZE.0, r, |p| near(p, orange_bar)),
        )
    };
    let (v, o) = measure(&b);
    // A bar is hundreds of pixels; the legend's squares use the unblended colours.
    assert!(v > 500 * high, "{v} vermilion bar pixels for {high} weeks");
    assert_eq!(o > 500, mid > 0, "{o} orange bar pixels for {mid} weeks");
    // A week up 20 % turns orange.
    let mut up20 = b.clone();
    let k = up20
        .weeks
        .iter()
        .position(|w| w.totals.change_pct.is_some_and(|c| c <= 10.0))
        .unwrap();
    up20.weeks[k].totals.change_pct = Some(20.0);
    let (_, o20) = measure(&up20);
    assert!(o20 > 500, "{o20} orange bar pixels for a week up 20 %");
    // Without a change to judge, every bar is blue.
    let mut flat = b.clone();
    for w in &mut flat.weeks {
        w.totals.change_pct = None;
    }
    assert_eq!(measure(&flat), (0, 0));
}

#[test]
fn date_labels_move_up_when_the_lowest_panel_is_empty() {
    let b = sample_block();
    let gct = BlockPanel::Trend(TREND_PANELS[1]);
    // Text in the bottom strip of the ground-contact panel's plot (right of its y labels).
    let strip_text = |b: &Block, name: &str| {
        let (panels, rgb) = check(name, b);
        let r = panel(&panels, gct).rect;
        let strip = Rect::new(r.x + 90, r.bottom() - 40, r.w - 150, 40);
        count(&rgb, DEFAULT_SIZE.0, strip, dark)
    };
    assert!(strip_text(&b, "block-labels-normal") < 20);
    // Without vertical oscillation the ground-contact panel is the lowest with data.
    let mut no_vo = b.clone();
    for x in &mut no_vo.sessions {
        x.doc
            .summary
            .metrics
            .insert("vertical_oscillation_cm", None);
    }
    no_vo
        .trends
        .metrics
        .retain(|t| t.metric != "vertical_oscillation_cm");
    let n = strip_text(&no_vo, "block-labels-no-vo");
    assert!(n > 100, "{n} text pixels under the ground-contact panel");
}

#[test]
fn trend_dots_are_normalised_to_one_speed() {
    // Runs at speeds from 2.6 to 4.0 m/s: the simulator's cadence rises with speed, so the raw
    // session medians spread widely; at the trend's reference speed they should not.
    let dir = tempfile::tempdir().unwrap();
    let t0 = 1_780_000_000.0;
    for i in 0..10 {
        let run = simulate_plan(
            &RunPlan {
                start_unix_s: t0 + i as f64 * 2.0 * 86_400.0,
                duration_s: 20.0 * 60.0,
                cruise_mps: 2.6 + 0.14 * ((i * 3) % 10) as f64,
                hill_m: 0.0,
                record_every_s: 5,
            },
            i as u64,
        );
        std::fs::write(dir.path().join(format!("run{i:02}.fit")), fit_bytes(&run)).unwrap();
    }
    let b = block_of(&[dir.path().to_path_buf()]);
    let t = b
        .trends
        .metrics
        .iter()
        .find(|t| t.metric == "cadence_spm")
        .expect("a cadence trend");
    assert!(
        t.speed_adjusted && t.per_mps.is_some_and(|c| c > 3.0),
        "{t:?}"
    );
    let raw: Vec<f64> = b
        .sessions
        .iter()
        .map(|s| s.doc.summary.metrics["cadence_spm"].unwrap().median)
        .collect();
    let norm: Vec<f64> = b
        .sessions
        .iter()
        .map(|s| speed_normalised(s, "cadence_spm", Some(t)).unwrap())
        .collect();
    let spread = |v: &[f64]| {
        v.iter().copied().fold(f64::MIN, f64::max) - v.iter().copied().fold(f64::MAX, f64::min)
    };
    assert!(
        spread(&norm) < 0.25 * spread(&raw),
        "normalised spread {:.2} vs raw {:.2}",
        spread(&norm),
        spread(&raw)
    );
    // Without a speed-adjusted trend the median is drawn as it is.
    assert_eq!(
        speed_normalised(&b.sessions[0], "cadence_spm", None),
        Some(raw[0])
    );
    check("block-speeds", &b);
}

#[test]
fn a_block_with_nothing_to_draw_labels_every_panel() {
    // One raw accelerometer file with no clock of its own: placed by its modification time, so
    // not counted; no distance, no load, no risk.
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/simulated-trunk-run.csv"),
        dir.path().join("trunk.csv"),
    )
    .unwrap();
    let b = block_of(&[dir.path().to_path_buf()]);
    assert_eq!(b.sessions.len(), 1);
    let (panels, _) = check("block-nothing", &b);
    let reason = |k| panel(&panels, k).empty.clone().unwrap_or_default();
    // Not "no distance": nothing was counted, and the page says so.
    assert!(reason(BlockPanel::WeeklyDistance).contains("no run counted"));
    assert!(reason(BlockPanel::Runs).contains("no distance"));
    assert!(reason(BlockPanel::AcuteChronic).contains("no run counted"));
    assert!(reason(BlockPanel::DailyRisk).contains("not assessed"));
    assert!(reason(BlockPanel::CurrentRisk).contains("not assessed"));
    // The file has a cadence; the panel says why it is not drawn instead of "no cadence".
    assert!(
        reason(BlockPanel::Trend(TREND_PANELS[0])).contains("no run counted"),
        "{}",
        reason(BlockPanel::Trend(TREND_PANELS[0]))
    );
    // And an analysis with no session at all.
    let mut none = b.clone();
    none.sessions.clear();
    none.days.clear();
    none.weeks.clear();
    none.first_day = None;
    none.last_day = None;
    let (panels, _) = check("block-empty", &none);
    assert!(
        panels
            .iter()
            .filter(|p| !matches!(p.kind, BlockPanel::Header | BlockPanel::Footer))
            .all(|p| p.empty.is_some())
    );
}

#[test]
fn a_two_year_block_renders() {
    // 240 short runs every third day (about two years): month ticks, thin bars, many stems.
    let dir = tempfile::tempdir().unwrap();
    // Ends 2026-10-17: every run is in the past (a run dated after the machine's today plus
    // a day is not placed on the calendar).
    let t0 = 1_730_000_000.0;
    for i in 0..240 {
        let run = simulate_plan(
            &RunPlan {
                start_unix_s: t0 + i as f64 * 3.0 * 86_400.0,
                duration_s: if i % 9 == 8 { 1800.0 } else { 900.0 },
                cruise_mps: 2.9 + 0.1 * (i % 5) as f64,
                hill_m: 5.0,
                record_every_s: 30,
            },
            i as u64,
        );
        std::fs::write(dir.path().join(format!("r{i:03}.fit")), fit_bytes(&run)).unwrap();
    }
    let b = block_of(&[dir.path().to_path_buf()]);
    assert_eq!(b.sessions.len(), 240);
    let (panels, rgb) = check("block-two-years", &b);
    for p in &panels {
        assert_eq!(p.empty, None, "{:?}", p.kind);
    }
    // Two years: the history panel opens the left column, and the weekly panel below shows
    // only the last 12 weeks: at most 12 week bars (runs of blue or flagged colour wide
    // enough to be a bar, counted along a row near the panel's bottom).
    let kinds: Vec<BlockPanel> = panels.iter().map(|p| p.kind).collect();
    assert_eq!(kinds[1], BlockPanel::History);
    let weekly = panel(&panels, BlockPanel::WeeklyDistance).rect;
    let bars = bar_count(&rgb, DEFAULT_SIZE.0, weekly);
    assert!((10..=12).contains(&bars), "{bars} week bars");
    let history = panel(&panels, BlockPanel::History).rect;
    let months = bar_count(&rgb, DEFAULT_SIZE.0, history);
    assert!((22..=25).contains(&months), "{months} month bars");
}

/// Coloured runs (bars) along a row 60 px above the bottom of `r`, in the x-label-free part.
fn bar_count(rgb: &[u8], w: u32, r: gaitguard::report::png::Rect) -> usize {
    let y = (r.bottom() - 60) as usize;
    let mut n = 0;
    let mut inside = false;
    for x in r.x.max(0) as usize..r.right() as usize {
        let i = 3 * (y * w as usize + x);
        let p = [rgb[i], rgb[i + 1], rgb[i + 2]];
        let c = chromatic(p);
        if c && !inside {
            n += 1;
        }
        inside = c;
    }
    n
}

#[test]
fn the_shared_fit_folder_renders() {
    let Some(dir) = common::shared_data("fit") else {
        return;
    };
    let b = block_of(&[dir]);
    let (panels, _) = check("block-shared-fit", &b);
    // Six runs over thirteen years: the history panel shows them by month; the detail
    // panels below cover the last 12 weeks, which hold no counted run, and say so.
    assert_eq!(panel(&panels, BlockPanel::History).empty, None);
    for kind in [
        BlockPanel::WeeklyDistance,
        BlockPanel::Runs,
        BlockPanel::AcuteChronic,
        BlockPanel::DailyRisk,
    ] {
        let reason = panel(&panels, kind).empty.clone();
        assert!(
            reason
                .as_deref()
                .is_some_and(|r| r.contains("last 12 weeks")),
            "{kind:?}: {reason:?}"
        );
    }
}

#[test]
fn report_option_writes_the_block_page() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("block.png");
    gg().args(["block", "samples/block", "--quiet", "--report"])
        .arg(&out)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .assert()
        .success();
    let (w, h, _) = decode(&std::fs::read(&out).unwrap());
    assert_eq!((w, h), DEFAULT_SIZE);
    // No temporary file left beside it.
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}

#[test]
fn report_option_needs_a_png_path_and_survives_a_bad_file() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("block.jpg");
    let a = gg()
        .args(["block", "samples/block", "--report"])
        .arg(&out)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .assert()
        .code(2);
    let err = String::from_utf8_lossy(&a.get_output().stderr).to_string();
    assert!(err.contains("--report") && err.contains(".png"), "{err}");
    assert!(!out.exists());
    // One unreadable file among good ones: exit 1, the page is still written.
    let runs = tempfile::tempdir().unwrap();
    for i in 0..3 {
        let run = simulate_plan(
            &RunPlan {
                start_unix_s: 1_780_000_000.0 + i as f64 * 86_400.0,
                duration_s: 900.0,
                cruise_mps: 3.0,
                hill_m: 0.0,
                record_every_s: 10,
            },
            i,
        );
        std::fs::write(runs.path().join(format!("r{i}.fit")), fit_bytes(&run)).unwrap();
    }
    std::fs::write(runs.path().join("broken.fit"), b"not a FIT file").unwrap();
    let png_out = dir.path().join("block.png");
    gg().arg("block")
        .arg(runs.path())
        .args(["--quiet", "--report"])
        .arg(&png_out)
        .assert()
        .code(1);
    assert!(decode(&std::fs::read(&png_out).unwrap()).0 == DEFAULT_SIZE.0);
}

#[test]
fn the_committed_example_image_is_what_the_code_draws() {
    // README shows samples/report-block.png; regenerate it with the command in README.md
    // ("Samples") when the page changes.
    let b = sample_block();
    let (bytes, _) =
        render_block_png(&BlockInput::new(&b), DEFAULT_SIZE.0, DEFAULT_SIZE.1).unwrap();
    let committed =
        std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/report-block.png"))
            .unwrap();
    assert!(
        bytes == committed,
        "samples/report-block.png is out of date: cargo run --release -- block samples/block -q --report samples/report-block.png"
    );
}
