//! PNG reports: shared drawing helpers, the session page ([`session`]) and the training-block
//! page ([`block`]).
//!
//! Both pages are a [`page::Page`]: a layout on the shared [`page::PageGrid`], an empty reason
//! per panel and a draw of one panel; [`page`] holds the one draw loop, render and write.
//! What panels share (frame and title, empty panel, caption with legend, axis style, risk
//! level colours) is in [`panel`].
//!
//! Everything is drawn with `plotters` on its bitmap backend into an in-memory RGB buffer,
//! encoded with the `png` crate and written atomically ([`crate::report::write`]). Text uses
//! DejaVu Sans embedded in the binary (`fonts/`, Bitstream Vera licence in
//! `fonts/LICENSE-DejaVu.txt`) and registered with plotters' `ab_glyph` font table, so no
//! system font library (fontconfig, freetype) is needed and the same input gives the same
//! bytes on every machine.
//!
//! Colours are the Okabe–Ito palette (Okabe & Ito 2008, "Color Universal Design"), which
//! stays distinguishable with the common colour-vision deficiencies; every colour that
//! carries meaning is also named in text (zone names, legends).
//!
//! The drawing functions are generic over [`DrawingBackend`], so tests can draw into
//! `BitMapBackend::with_buffer` and inspect the pixels of each panel ([`Rect`]).

pub mod block;
pub mod page;
pub mod panel;
pub mod session;

use crate::error::OutputError;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::{FontDesc, FontFamily, FontStyle, RGBColor, TextStyle};
use std::path::Path;
use std::sync::OnceLock;

pub use panel::empty_panel;

pub use block::{BlockInput, BlockPanel, BlockPanelReport, render_block_png, write_block_report};
pub use session::{
    PanelKind, PanelReport, SessionInput, SessionLayout, render_session_png, write_session_report,
};

/// Okabe–Ito colours (Okabe & Ito 2008), as named constants.
pub mod palette {
    use plotters::style::RGBColor;
    /// Black.
    pub const BLACK: RGBColor = RGBColor(0, 0, 0);
    /// Orange.
    pub const ORANGE: RGBColor = RGBColor(230, 159, 0);
    /// Sky blue.
    pub const SKY_BLUE: RGBColor = RGBColor(86, 180, 233);
    /// Bluish green.
    pub const BLUISH_GREEN: RGBColor = RGBColor(0, 158, 115);
    /// Yellow.
    pub const YELLOW: RGBColor = RGBColor(240, 228, 66);
    /// Blue.
    pub const BLUE: RGBColor = RGBColor(0, 114, 178);
    /// Vermilion.
    pub const VERMILION: RGBColor = RGBColor(213, 94, 0);
    /// Reddish purple.
    pub const REDDISH_PURPLE: RGBColor = RGBColor(204, 121, 167);

    /// Page background.
    pub const BACKGROUND: RGBColor = RGBColor(255, 255, 255);
    /// Body text.
    pub const INK: RGBColor = RGBColor(30, 30, 30);
    /// Secondary text.
    pub const MUTED: RGBColor = RGBColor(90, 90, 90);
    /// Grid lines.
    pub const GRID: RGBColor = RGBColor(228, 228, 228);
    /// Panel frames.
    pub const FRAME: RGBColor = RGBColor(170, 170, 170);
    /// Shading of the first and last thirds of a run (drift windows).
    pub const THIRD_SHADE: RGBColor = RGBColor(238, 238, 238);
}

/// The family name the embedded fonts are registered under.
pub const FONT_FAMILY: &str = "sans-serif";

const SANS_TTF: &[u8] = include_bytes!("fonts/DejaVuSans.ttf");
const SANS_BOLD_TTF: &[u8] = include_bytes!("fonts/DejaVuSans-Bold.ttf");

/// Register the embedded DejaVu Sans (regular and bold) with plotters, once per process.
///
/// # Errors
/// [`OutputError::Render`] when the embedded font cannot be parsed (a broken build).
pub fn ensure_fonts() -> Result<(), OutputError> {
    static REGISTERED: OnceLock<bool> = OnceLock::new();
    let ok = *REGISTERED.get_or_init(|| {
        plotters::style::register_font(FONT_FAMILY, FontStyle::Normal, SANS_TTF).is_ok()
            && plotters::style::register_font(FONT_FAMILY, FontStyle::Bold, SANS_BOLD_TTF).is_ok()
    });
    if ok {
        Ok(())
    } else {
        Err(OutputError::Render(
            "the embedded DejaVu Sans font could not be loaded".into(),
        ))
    }
}

/// Regular font of `size_px` pixels.
pub fn font(size_px: f64) -> FontDesc<'static> {
    FontDesc::new(FontFamily::Name(FONT_FAMILY), size_px, FontStyle::Normal)
}

/// Bold font of `size_px` pixels.
pub fn bold(size_px: f64) -> FontDesc<'static> {
    FontDesc::new(FontFamily::Name(FONT_FAMILY), size_px, FontStyle::Bold)
}

/// A text style: `font` in `color`.
pub fn style(font: FontDesc<'static>, color: RGBColor) -> TextStyle<'static> {
    font.color(&color)
}

/// A rectangle on the page, pixels from the top-left corner.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rect {
    /// Left edge.
    pub x: i32,
    /// Top edge.
    pub y: i32,
    /// Width.
    pub w: u32,
    /// Height.
    pub h: u32,
}

impl Rect {
    /// A rectangle.
    pub fn new(x: i32, y: i32, w: u32, h: u32) -> Self {
        Rect { x, y, w, h }
    }
    /// Right edge (exclusive).
    pub fn right(&self) -> i32 {
        self.x + self.w as i32
    }
    /// Bottom edge (exclusive).
    pub fn bottom(&self) -> i32 {
        self.y + self.h as i32
    }
    /// The rectangle shrunk by `d` pixels on every side (never below 1×1).
    pub fn inset(&self, d: u32) -> Rect {
        Rect {
            x: self.x + d.min(self.w / 2) as i32,
            y: self.y + d.min(self.h / 2) as i32,
            w: self.w.saturating_sub(2 * d).max(1),
            h: self.h.saturating_sub(2 * d).max(1),
        }
    }
    /// Split off the top `h` pixels: (top, rest).
    pub fn take_top(&self, h: u32) -> (Rect, Rect) {
        let h = h.min(self.h);
        (
            Rect::new(self.x, self.y, self.w, h),
            Rect::new(self.x, self.y + h as i32, self.w, self.h - h),
        )
    }
    /// Split off the left `w` pixels: (left, rest).
    pub fn take_left(&self, w: u32) -> (Rect, Rect) {
        let w = w.min(self.w);
        (
            Rect::new(self.x, self.y, w, self.h),
            Rect::new(self.x + w as i32, self.y, self.w - w, self.h),
        )
    }
    /// Whether the pixel lies inside.
    pub fn contains(&self, x: i32, y: i32) -> bool {
        x >= self.x && x < self.right() && y >= self.y && y < self.bottom()
    }
}

/// The sub-area of `root` covering `r`.
pub fn sub_area<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    r: Rect,
) -> DrawingArea<DB, Shift> {
    let (x0, y0) = root.get_base_pixel();
    root.clone()
        .shrink((r.x - x0, r.y - y0), (r.w.max(1), r.h.max(1)))
}

/// A drawing error as an [`OutputError`].
pub fn draw_err<E: std::error::Error + Send + Sync>(
    e: plotters::drawing::DrawingAreaErrorKind<E>,
) -> OutputError {
    OutputError::Render(e.to_string())
}

/// The file name of `path` ("run.fit" of "exports/run.fit"), or `path` itself when it has
/// none ("..").
pub fn file_name(path: &str) -> String {
    Path::new(path)
        .file_name()
        .map_or_else(|| path.to_string(), |n| n.to_string_lossy().to_string())
}

/// Width of `text` in `font`, pixels (an estimate from the glyph advances).
pub fn text_width(text: &str, font: &FontDesc<'_>) -> u32 {
    font.box_size(text)
        .map(|(w, _)| w)
        .unwrap_or_else(|_| (text.chars().count() as f64 * font.get_size() * 0.6) as u32)
}

/// `text` cut to fit `max_w` pixels, ending in "…" when it had to be cut.
pub fn fit_text(text: &str, font: &FontDesc<'_>, max_w: u32) -> String {
    if text_width(text, font) <= max_w {
        return text.to_string();
    }
    let chars: Vec<char> = text.chars().collect();
    let (mut lo, mut hi) = (0usize, chars.len());
    while lo < hi {
        let mid = (lo + hi).div_ceil(2);
        let s: String = chars[..mid].iter().collect::<String>() + "…";
        if text_width(&s, font) <= max_w {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    let mut s: String = chars[..lo].iter().collect::<String>();
    s = s.trim_end().to_string();
    s.push('…');
    s
}

/// A long name shortened in the middle ("run-2024-…-final.fit") to fit `max_w` pixels, so
/// that both its start and its extension stay readable.
pub fn abbreviate_middle(text: &str, font: &FontDesc<'_>, max_w: u32) -> String {
    if text_width(text, font) <= max_w {
        return text.to_string();
    }
    let chars: Vec<char> = text.chars().collect();
    let n = chars.len();
    // Keep k characters in all: 40 % at the start, 60 % at the end.
    let make = |k: usize| -> String {
        let head = (k * 2) / 5;
        let tail = k - head;
        let mut s: String = chars[..head].iter().collect();
        s.push('…');
        s.extend(chars[n - tail..].iter());
        s
    };
    let (mut lo, mut hi) = (0usize, n.saturating_sub(1));
    while lo < hi {
        let mid = (lo + hi).div_ceil(2);
        if text_width(&make(mid), font) <= max_w {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    make(lo)
}

/// Greedy word wrap of `text` to lines of at most `max_w` pixels (a word longer than a line
/// is cut with "…").
pub fn wrap_text(text: &str, font: &FontDesc<'_>, max_w: u32) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let candidate = if line.is_empty() {
            word.to_string()
        } else {
            format!("{line} {word}")
        };
        if text_width(&candidate, font) <= max_w {
            line = candidate;
        } else {
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            line = fit_text(word, font, max_w);
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// Draw `lines` from the top-left `(x, y)` with a line height of `line_h` pixels, at most
/// `max_lines` of them (the last one shown ending in "…" when some are left out). Returns the
/// y below the last line drawn.
pub fn draw_lines<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    lines: &[String],
    style: &TextStyle<'_>,
    (x, y): (i32, i32),
    line_h: i32,
    max_lines: usize,
) -> Result<i32, OutputError> {
    let mut y = y;
    let (x0, y0) = area.get_base_pixel();
    for (i, l) in lines.iter().enumerate().take(max_lines) {
        let text = if i + 1 == max_lines && lines.len() > max_lines {
            let mut s = l.trim_end_matches('…').to_string();
            s.push_str(" …");
            s
        } else {
            l.clone()
        };
        area.draw_text(&text, style, (x - x0, y - y0))
            .map_err(draw_err)?;
        y += line_h;
    }
    Ok(y)
}

/// A 1-pixel frame around `r`.
///
/// # Errors
/// [`OutputError::Render`] when the backend fails.
pub fn frame<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    r: Rect,
) -> Result<(), OutputError> {
    sub_area(root, r)
        .draw(&Rectangle::new(
            [(0, 0), (r.w as i32 - 1, r.h as i32 - 1)],
            ShapeStyle::from(&palette::FRAME).stroke_width(1),
        ))
        .map_err(draw_err)
}

/// Draw `text` with its anchor at the page pixel `(x, y)`.
///
/// # Errors
/// [`OutputError::Render`] when the backend fails.
pub fn text_at<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    text: &str,
    st: &TextStyle<'_>,
    (x, y): (i32, i32),
) -> Result<(), OutputError> {
    let (x0, y0) = root.get_base_pixel();
    root.draw_text(text, st, (x - x0, y - y0)).map_err(draw_err)
}

/// A dashed vertical line at `x` from `y0` to `y1` (pixels of `area`), dashes of `dash` px.
///
/// # Errors
/// [`OutputError::Render`] when the backend fails.
pub fn dashed_vline<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    x: i32,
    y0: i32,
    y1: i32,
    color: RGBColor,
    dash: i32,
) -> Result<(), OutputError> {
    let mut y = y0;
    while y < y1 {
        area.draw(&PathElement::new(
            vec![(x, y), (x, (y + dash).min(y1))],
            ShapeStyle::from(&color).stroke_width(1),
        ))
        .map_err(draw_err)?;
        y += 2 * dash;
    }
    Ok(())
}

/// A dashed horizontal line at `y` from `x0` to `x1` (pixels of `area`), dashes of `dash` px.
///
/// # Errors
/// [`OutputError::Render`] when the backend fails.
pub fn dashed_hline<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    y: i32,
    x0: i32,
    x1: i32,
    color: RGBColor,
    dash: i32,
) -> Result<(), OutputError> {
    let mut x = x0;
    while x < x1 {
        area.draw(&PathElement::new(
            vec![(x, y), ((x + dash).min(x1), y)],
            ShapeStyle::from(&color).stroke_width(1),
        ))
        .map_err(draw_err)?;
        x += 2 * dash;
    }
    Ok(())
}

/// The page title in bold at the top-left of `r`, and beside it `subtitle` in blue, shortened
/// to the room left by `shorten` (e.g. [`fit_text`] or [`abbreviate_middle`]). Returns the
/// padding used (pixels from `r`'s left edge to the text).
///
/// # Errors
/// [`OutputError::Render`] when the backend fails.
pub fn page_title<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    r: Rect,
    title: &str,
    subtitle: &str,
    shorten: fn(&str, &FontDesc<'_>, u32) -> String,
    scale: f64,
) -> Result<i32, OutputError> {
    let pad = (10.0 * scale) as i32;
    let inner_w = r.w.saturating_sub(2 * pad as u32);
    let tf = bold(24.0 * scale);
    text_at(
        root,
        title,
        &style(tf.clone(), palette::INK),
        (r.x + pad, r.y + pad),
    )?;
    let ff = bold(18.0 * scale);
    let tw = text_width(title, &tf) as i32 + (24.0 * scale) as i32;
    let sub = shorten(subtitle, &ff, (inner_w as i32 - tw).max(40) as u32);
    text_at(
        root,
        &sub,
        &style(ff, palette::BLUE),
        (r.x + pad + tw, r.y + pad + (5.0 * scale) as i32),
    )?;
    Ok(pad)
}

/// The page footer: the disclaimer, when to see a clinician, and `sources` (muted), wrapped
/// to the width of `r`, at most `max_lines` lines (the last ending in "…" when cut).
/// `disclaimer` and `see_a_clinician` default to the risk stage's wording.
///
/// # Errors
/// [`OutputError::Render`] when the backend fails.
pub fn draw_footer<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    r: Rect,
    disclaimer: Option<&str>,
    see_a_clinician: Option<&str>,
    sources: &str,
    max_lines: usize,
    scale: f64,
) -> Result<(), OutputError> {
    let ff = font(13.5 * scale);
    let lh = (18.0 * scale) as i32;
    let first = format!(
        "gaitguard gives indicators, not diagnoses: {}.",
        disclaimer.unwrap_or(crate::risk::DISCLAIMER)
    );
    let second = format!(
        "See a clinician for {}.",
        see_a_clinician.unwrap_or(crate::risk::SEE_A_CLINICIAN)
    );
    let mut lines: Vec<(String, RGBColor)> = Vec::new();
    for (text, c) in [
        (first.as_str(), palette::INK),
        (second.as_str(), palette::INK),
        (sources, palette::MUTED),
    ] {
        for l in wrap_text(text, &ff, r.w) {
            lines.push((l, c));
        }
    }
    let total = lines.len();
    let mut y = r.y + (6.0 * scale) as i32;
    for (i, (l, c)) in lines.into_iter().enumerate().take(max_lines) {
        let l = if i + 1 == max_lines && total > max_lines {
            fit_text(&format!("{l} …"), &ff, r.w)
        } else {
            l
        };
        text_at(root, &l, &style(ff.clone(), c), (r.x, y))?;
        y += lh;
    }
    Ok(())
}

/// About how many tick labels fit along `length_px` pixels when each needs `per_label_px`
/// (at least 2, at most `max`).
pub fn tick_count(length_px: u32, per_label_px: u32, max: usize) -> usize {
    ((length_px / per_label_px.max(1)) as usize).clamp(2, max.max(2))
}

/// Decimals that write every tick plotters puts on `lo..hi` (asked for at most `max_ticks`)
/// exactly and distinctly: 0 for 160, 170, 180; 1 for 7.5, 8.0, 8.5 (at most 3).
pub fn tick_decimals(lo: f64, hi: f64, max_ticks: usize) -> usize {
    use plotters::coord::ranged1d::Ranged;
    if !(lo.is_finite() && hi.is_finite() && hi > lo) {
        return 0;
    }
    let ticks = plotters::coord::types::RangedCoordf64::from(lo..hi).key_points(max_ticks);
    let tol = 1e-6 * (hi - lo);
    (0..=3)
        .find(|&d| {
            let p = 10f64.powi(d as i32);
            ticks.iter().all(|t| ((t * p).round() / p - t).abs() <= tol)
        })
        .unwrap_or(3)
}

/// A "nice" tick step (1, 2 or 5 × 10^k) giving at most about `max_ticks` ticks over `span`.
pub fn nice_step(span: f64, max_ticks: usize) -> f64 {
    if !(span.is_finite() && span > 0.0) {
        return 1.0;
    }
    let raw = span / max_ticks.max(1) as f64;
    let mag = 10f64.powf(raw.log10().floor());
    for m in [1.0, 2.0, 5.0, 10.0] {
        if m * mag >= raw {
            return m * mag;
        }
    }
    10.0 * mag
}

/// The time axis of a run: elapsed seconds for runs under 3 minutes, minutes up to 5 hours,
/// hours beyond. Returns (divisor from seconds, axis label).
pub fn time_unit(span_s: f64) -> (f64, &'static str) {
    if span_s < 180.0 {
        (1.0, "elapsed time (s)")
    } else if span_s <= 5.0 * 3600.0 {
        (60.0, "elapsed time (min)")
    } else {
        (3600.0, "elapsed time (h)")
    }
}

/// Encode an RGB buffer (`width × height × 3` bytes) as PNG.
///
/// # Errors
/// [`OutputError::Render`] when the buffer does not match the size or encoding fails.
pub fn encode_png(rgb: &[u8], width: u32, height: u32) -> Result<Vec<u8>, OutputError> {
    let err = |e: ::png::EncodingError| OutputError::Render(format!("PNG encoding failed: {e}"));
    if rgb.len() != width as usize * height as usize * 3 {
        return Err(OutputError::Render(format!(
            "image buffer of {} bytes does not match {width}×{height} RGB",
            rgb.len()
        )));
    }
    let mut out = Vec::with_capacity(rgb.len() / 16);
    {
        let mut enc = ::png::Encoder::new(&mut out, width, height);
        enc.set_color(::png::ColorType::Rgb);
        enc.set_depth(::png::BitDepth::Eight);
        enc.set_compression(::png::Compression::Balanced);
        let mut w = enc.write_header().map_err(err)?;
        w.write_image_data(rgb).map_err(err)?;
        w.finish().map_err(err)?;
    }
    Ok(out)
}

/// Default page size of both reports, pixels (the smallest the issue accepts; every size is
/// laid out from it).
pub const DEFAULT_SIZE: (u32, u32) = (1600, 1200);

/// Pixel scale of a page relative to [`DEFAULT_SIZE`] (text and spacing grow with it).
pub fn scale_of(width: u32, height: u32) -> f64 {
    (width as f64 / DEFAULT_SIZE.0 as f64)
        .min(height as f64 / DEFAULT_SIZE.1 as f64)
        .clamp(0.5, 4.0)
}

/// Smallest and largest page accepted, pixels per side.
pub const PAGE_LIMITS_PX: (u32, u32) = (200, 10_000);

/// Draw a page of `width × height` pixels with `draw` on a white bitmap, present it and
/// encode it as PNG. Returns the PNG bytes and what `draw` returned.
///
/// # Errors
/// [`OutputError::Render`] for a page size outside [`PAGE_LIMITS_PX`], a drawing error or an
/// encoding error; whatever `draw` returns.
pub fn render_png<T>(
    width: u32,
    height: u32,
    draw: impl FnOnce(&DrawingArea<BitMapBackend<'_>, Shift>) -> Result<T, OutputError>,
) -> Result<(Vec<u8>, T), OutputError> {
    let rgb_and_out = render_rgb(width, height, draw)?;
    Ok((encode_png(&rgb_and_out.0, width, height)?, rgb_and_out.1))
}

/// As [`render_png`], returning the raw RGB pixels instead of PNG bytes.
///
/// # Errors
/// As [`render_png`], without the encoding.
pub fn render_rgb<T>(
    width: u32,
    height: u32,
    draw: impl FnOnce(&DrawingArea<BitMapBackend<'_>, Shift>) -> Result<T, OutputError>,
) -> Result<(Vec<u8>, T), OutputError> {
    let (lo, hi) = PAGE_LIMITS_PX;
    if !(lo..=hi).contains(&width) || !(lo..=hi).contains(&height) {
        return Err(OutputError::Render(format!(
            "page size {width}×{height} outside {lo}–{hi} pixels per side"
        )));
    }
    ensure_fonts()?;
    let mut rgb = vec![255u8; width as usize * height as usize * 3];
    let out = {
        let root = BitMapBackend::with_buffer(&mut rgb, (width, height)).into_drawing_area();
        root.fill(&palette::BACKGROUND).map_err(draw_err)?;
        let out = draw(&root)?;
        root.present().map_err(draw_err)?;
        out
    };
    Ok((rgb, out))
}

/// Write PNG bytes to `path` atomically (temporary file in the same folder, then rename).
///
/// # Errors
/// [`OutputError::Io`] naming the path.
pub fn write_png(path: &Path, bytes: &[u8]) -> Result<(), OutputError> {
    super::write::write_atomic(path, bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_helpers_fit_and_wrap() {
        ensure_fonts().unwrap();
        let f = font(14.0);
        let long = "a-very-long-file-name-from-a-watch-export-2024-06-11-07-30-12.fit";
        let short = abbreviate_middle(long, &f, 200);
        assert!(text_width(&short, &f) <= 200, "{short}");
        assert!(short.ends_with(".fit") && short.contains('…'), "{short}");
        assert_eq!(abbreviate_middle("run.fit", &f, 200), "run.fit");
        let cut = fit_text(long, &f, 120);
        assert!(cut.ends_with('…') && text_width(&cut, &f) <= 120);
        let lines = wrap_text(
            "an indicator from running-form and training data, not a diagnosis",
            &f,
            160,
        );
        assert!(lines.len() >= 3);
        assert!(lines.iter().all(|l| text_width(l, &f) <= 160), "{lines:?}");
    }

    #[test]
    fn file_names_drop_the_folder() {
        assert_eq!(file_name("exports/2024/run.fit"), "run.fit");
        assert_eq!(file_name("run.fit"), "run.fit");
        assert_eq!(file_name(".."), "..");
    }

    #[test]
    fn ticks_and_units() {
        assert_eq!(nice_step(40.0, 8), 5.0);
        assert_eq!(nice_step(0.9, 5), 0.2);
        assert_eq!(tick_decimals(6.0, 9.6, 8), 1);
        assert_eq!(tick_decimals(6.0, 9.6, 5), 0);
        assert_eq!(tick_decimals(0.0, 0.3, 4), 1);
        assert_eq!(tick_decimals(150.0, 190.0, 5), 0);
        assert_eq!(tick_decimals(1.0, 1.0, 5), 0);
        assert_eq!(tick_count(900, 90, 12), 10);
        assert_eq!(tick_count(50, 90, 12), 2);
        assert_eq!(time_unit(30.0).1, "elapsed time (s)");
        assert_eq!(time_unit(2400.0).0, 60.0);
    }

    #[test]
    fn pages_encode_and_are_deterministic() {
        let draw = |root: &DrawingArea<BitMapBackend<'_>, Shift>| {
            empty_panel(
                root,
                Rect::new(10, 10, 300, 120),
                "ground contact",
                "no ground-contact data in this file",
                1.0,
            )
        };
        let (a, ()) = render_png(320, 240, draw).unwrap();
        let (b, ()) = render_png(320, 240, draw).unwrap();
        assert_eq!(a, b);
        assert_eq!(&a[..8], b"\x89PNG\r\n\x1a\n");
        assert!(render_png(10, 10, draw).is_err());
        // Text was drawn (some pixels are not white).
        let (rgb, ()) = render_rgb(320, 240, draw).unwrap();
        assert!(rgb.chunks(3).any(|p| p != [255, 255, 255]));
    }
}
