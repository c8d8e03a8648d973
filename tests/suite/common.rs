//! Shared helpers for the integration tests.

use std::path::PathBuf;

/// The `gaitguard` binary built for these tests, ready to take arguments.
pub fn gg() -> assert_cmd::Command {
    assert_cmd::Command::cargo_bin("gaitguard").unwrap()
}

/// `../shared/data` beside the repository, or `None` (with one printed line) when absent,
/// as on a user's fresh clone.
pub fn shared_data(sub: &str) -> Option<PathBuf> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join("shared")
        .join("data")
        .join(sub);
    if p.is_dir() {
        Some(p)
    } else {
        println!(
            "skipped: {} not found (reference data lives beside the repository)",
            p.display()
        );
        None
    }
}

/// Minimal JSON-lines reader for expected.jsonl via serde_json.
pub fn read_jsonl(path: &std::path::Path) -> Vec<serde_json::Value> {
    std::fs::read_to_string(path)
        .expect("read jsonl")
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).expect("valid json line"))
        .collect()
}

/// Median of a non-empty list (the mean of the two middle values for an even count).
pub fn med(mut v: Vec<f64>) -> f64 {
    assert!(!v.is_empty(), "no values");
    v.sort_by(f64::total_cmp);
    let m = v.len() / 2;
    if v.len() % 2 == 1 {
        v[m]
    } else {
        0.5 * (v[m - 1] + v[m])
    }
}

/// A PNG page decoded: (width, height, RGB bytes).
pub fn decode_png(png_bytes: &[u8]) -> (u32, u32, Vec<u8>) {
    let dec = png::Decoder::new(std::io::Cursor::new(png_bytes));
    let mut reader = dec.read_info().expect("a PNG header");
    let mut buf = vec![0; reader.output_buffer_size().expect("a buffer size")];
    let info = reader.next_frame(&mut buf).expect("a PNG frame");
    assert_eq!(info.color_type, png::ColorType::Rgb);
    buf.truncate(info.buffer_size());
    (info.width, info.height, buf)
}

/// Pixels of an RGB page `width` wide inside `r` for which `pred(rgb)` holds.
pub fn count_pixels(
    rgb: &[u8],
    width: u32,
    r: gaitguard::report::png::Rect,
    pred: impl Fn([u8; 3]) -> bool,
) -> usize {
    let mut n = 0;
    for y in r.y.max(0)..r.bottom() {
        for x in r.x.max(0)..r.right().min(width as i32) {
            let i = (y as usize * width as usize + x as usize) * 3;
            if i + 2 < rgb.len() && pred([rgb[i], rgb[i + 1], rgb[i + 2]]) {
                n += 1;
            }
        }
    }
    n
}

/// Check the panels of a rendered page: each inside the page, none blank (even an empty panel
/// has its frame and its sentence, ≥ 0.3 % of its pixels), no two overlapping; and keep the
/// page in `$GAITGUARD_PNG_DIR` as `name.png` when that is set.
pub fn check_page(
    name: &str,
    png_bytes: &[u8],
    rgb: &[u8],
    (w, h): (u32, u32),
    panels: &[(String, gaitguard::report::png::Rect)],
) {
    let bg = gaitguard::report::png::palette::BACKGROUND;
    for (kind, r) in panels {
        let area = r.w as usize * r.h as usize;
        let n = count_pixels(rgb, w, *r, |p| p != [bg.0, bg.1, bg.2]);
        assert!(
            n * 1000 >= area * 3,
            "{name}: panel {kind} is blank ({n} of {area} pixels drawn)"
        );
        assert!(
            r.right() <= w as i32 && r.bottom() <= h as i32,
            "{name}: {kind} off the page"
        );
    }
    for (i, (ka, a)) in panels.iter().enumerate() {
        for (kc, c) in &panels[i + 1..] {
            let apart =
                a.right() <= c.x || c.right() <= a.x || a.bottom() <= c.y || c.bottom() <= a.y;
            assert!(apart, "{name}: {ka} overlaps {kc}");
        }
    }
    if let Ok(dir) = std::env::var("GAITGUARD_PNG_DIR") {
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            std::path::Path::new(&dir).join(format!("{name}.png")),
            png_bytes,
        )
        .unwrap();
    }
}

/// A simulated raw run as the ingest stage would hand it over: a headered accelerometer CSV
/// in g, gravity included, with a time column.
pub fn raw_signal(sim: &gaitguard::simulate::raw::RawSim) -> gaitguard::recording::RawSignal {
    use gaitguard::recording::{AccelUnit, AxisFrame, Decided, RawSignal, TimeSource};
    let g = gaitguard::units::STANDARD_GRAVITY_MPS2;
    RawSignal {
        path: PathBuf::from("sim.csv"),
        format: "accel-csv",
        device: None,
        start_unix_s: None,
        rejected_start_unix_s: None,
        time_s: sim.time_s.clone(),
        time_source: TimeSource::Column,
        stated_rate_hz: None,
        acc_mps2: [0, 1, 2].map(|k| sim.acc_g[k].iter().map(|x| x * g).collect()),
        axes: AxisFrame::Sensor,
        gyro_dps: None,
        speed_mps: None,
        accel_unit: (AccelUnit::G, Decided::Header),
        gravity_included: (true, Decided::Header),
        warnings: vec![],
    }
}
