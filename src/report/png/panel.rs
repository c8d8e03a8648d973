//! What every panel of both pages shares: the frame with its bold title ([`Panel`]), the
//! labelled empty panel ([`empty_panel`]), the caption with a legend ([`caption`], [`Mark`]),
//! the axis style of every chart ([`axis_style`]) and the colours of the risk levels
//! ([`level_of`], [`level_color`], [`level_bands`]).

use super::{Rect, bold, sub_area};
use super::{
    dashed_hline, draw_err, fit_text, font, frame, palette, style, text_at, text_width, wrap_text,
};
use crate::error::OutputError;
use crate::risk::Level;
use plotters::chart::MeshStyle;
use plotters::coord::Shift;
use plotters::coord::ranged1d::{Ranged, ValueFormatter};
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use plotters::style::FontDesc;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// A chart with numeric axes on both sides (time or days across, values up).
pub type XyChart<'a, DB> = ChartContext<'a, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

/// A framed panel: its rectangle, the padding of its content from the frame and the page scale.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Panel {
    /// The panel's rectangle on the page.
    pub r: Rect,
    /// Pixels from the frame to the content.
    pub pad: i32,
    /// Pixel scale of the page.
    pub s: f64,
}

impl Panel {
    /// The font of panel titles: bold, 15 px at scale 1.
    pub fn title_font(s: f64) -> FontDesc<'static> {
        bold(15.0 * s)
    }

    /// Draw the 1-pixel frame of `r` and `title` (bold, ink) `pad_px` pixels (at scale 1) in
    /// from its top-left corner, as given.
    ///
    /// # Errors
    /// [`OutputError::Render`] when the backend fails.
    pub fn framed<DB: DrawingBackend>(
        root: &DrawingArea<DB, Shift>,
        r: Rect,
        title: &str,
        pad_px: f64,
        s: f64,
    ) -> Result<Panel, OutputError> {
        let p = Panel {
            r,
            pad: (pad_px * s) as i32,
            s,
        };
        frame(root, r)?;
        p.title(root, title)?;
        Ok(p)
    }

    /// As [`Panel::framed`], with the title cut ("…") to the width inside the padding.
    ///
    /// # Errors
    /// [`OutputError::Render`] when the backend fails.
    pub fn framed_fitted<DB: DrawingBackend>(
        root: &DrawingArea<DB, Shift>,
        r: Rect,
        title: &str,
        pad_px: f64,
        s: f64,
    ) -> Result<Panel, OutputError> {
        let pad = (pad_px * s) as i32;
        let title = fit_text(title, &Self::title_font(s), Self::inside(r, pad));
        Self::framed(root, r, &title, pad_px, s)
    }

    /// Width inside the padding, pixels.
    pub fn inner_w(&self) -> u32 {
        Self::inside(self.r, self.pad)
    }

    fn inside(r: Rect, pad: i32) -> u32 {
        r.w.saturating_sub(2 * pad as u32)
    }

    fn title<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        title: &str,
    ) -> Result<(), OutputError> {
        text_at(
            root,
            title,
            &style(Self::title_font(self.s), palette::INK),
            (self.r.x + self.pad, self.r.y + self.pad),
        )
    }
}

/// A framed panel that says it has nothing to show: the title at the top-left and the reason
/// in the middle. Used instead of an empty axis or a misleading line.
///
/// # Errors
/// [`OutputError::Render`] when the backend fails.
pub fn empty_panel<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    r: Rect,
    title: &str,
    reason: &str,
    scale: f64,
) -> Result<(), OutputError> {
    let p = Panel::framed_fitted(root, r, title, 8.0, scale)?;
    let pad = p.pad;
    let area = sub_area(root, r);
    let rf = font(15.0 * scale);
    let lines = wrap_text(reason, &rf, r.w.saturating_sub(4 * pad as u32).max(40));
    let line_h = (20.0 * scale) as i32;
    let block = line_h * lines.len() as i32;
    let top = ((r.h as i32 - block) / 2).max(pad + line_h);
    let max_lines = ((r.h as i32 - top) / line_h).max(1) as usize;
    for (i, l) in lines.iter().take(max_lines).enumerate() {
        let w = text_width(l, &rf) as i32;
        area.draw_text(
            l,
            &style(rf.clone(), palette::MUTED),
            (((r.w as i32 - w) / 2).max(pad), top + i as i32 * line_h),
        )
        .map_err(draw_err)?;
    }
    Ok(())
}

/// The axis style of every chart: labels and axis names 13 px in ink, grid lines (grey) at
/// the labelled ticks only, axis lines in the frame grey.
pub fn axis_style<'a, 'b, 'm, X, Y, XT, YT, DB>(
    mesh: &'m mut MeshStyle<'a, 'b, X, Y, DB>,
    s: f64,
) -> &'m mut MeshStyle<'a, 'b, X, Y, DB>
where
    X: Ranged<ValueType = XT> + ValueFormatter<XT>,
    Y: Ranged<ValueType = YT> + ValueFormatter<YT>,
    DB: DrawingBackend,
{
    mesh.label_style(style(font(13.0 * s), palette::INK))
        .axis_desc_style(style(font(13.0 * s), palette::INK))
        .bold_line_style(palette::GRID)
        .light_line_style(palette::BACKGROUND.mix(0.0))
        .axis_style(palette::FRAME)
}

/// The level of a risk score (out of 100) under the cut-offs `(moderate, high)`: high from
/// `high`, moderate from `moderate`, low below.
pub fn level_of(score: f64, (moderate_at, high_at): (f64, f64)) -> Level {
    if score >= high_at {
        Level::High
    } else if score >= moderate_at {
        Level::Moderate
    } else {
        Level::Low
    }
}

/// The colour of a risk level: bluish green, orange, vermilion.
pub fn level_color(level: Level) -> RGBColor {
    match level {
        Level::Low => palette::BLUISH_GREEN,
        Level::Moderate => palette::ORANGE,
        Level::High => palette::VERMILION,
    }
}

/// The score bands of the three levels on the 0–100 scale under the cut-offs
/// `(moderate, high)`: (from, to, level), low first.
pub fn level_bands((moderate_at, high_at): (f64, f64)) -> [(f64, f64, Level); 3] {
    [
        (0.0, moderate_at, Level::Low),
        (moderate_at, high_at, Level::Moderate),
        (high_at, 100.0, Level::High),
    ]
}

/// A legend mark.
#[derive(Debug, Clone, Copy)]
pub enum Mark {
    /// A filled square.
    Square(RGBColor),
    /// A square of the colour at the given opacity.
    Shade(RGBColor, f64),
    /// A filled dot.
    Dot(RGBColor),
    /// A ring.
    Ring(RGBColor),
    /// A filled triangle pointing up.
    Triangle(RGBColor),
    /// A line of the given width, pixels.
    Line(RGBColor, u32),
    /// A dashed line.
    Dashed(RGBColor),
}

/// Draw a caption: the bold title on the left, the legend right-aligned `0.2 · right_w`
/// pixels (at scale 1) in from the right edge; legend items that do not fit are dropped from
/// the end. Returns the caption's height.
///
/// # Errors
/// [`OutputError::Render`] when the backend fails.
pub fn caption<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    r: Rect,
    title: &str,
    legend: &[(Mark, String)],
    right_w: f64,
    s: f64,
) -> Result<u32, OutputError> {
    let cap_h = (24.0 * s) as u32;
    let tf = Panel::title_font(s);
    let x0 = r.x + (6.0 * s) as i32;
    let title = fit_text(title, &tf, r.w.saturating_sub((12.0 * s) as u32));
    text_at(
        root,
        &title,
        &style(tf.clone(), palette::INK),
        (x0, r.y + (3.0 * s) as i32),
    )?;
    let lf = font(13.0 * s);
    let mark_w = (16.0 * s) as i32;
    let sep = (14.0 * s) as i32;
    let room = r.w as i32 - (text_width(&title, &tf) as i32 + (24.0 * s) as i32);
    let widths: Vec<i32> = legend
        .iter()
        .map(|(_, t)| mark_w + (4.0 * s) as i32 + text_width(t, &lf) as i32)
        .collect();
    let k = legend_items_that_fit(&widths, sep, room);
    let total: i32 = widths[..k].iter().sum::<i32>() + sep * (k as i32 - 1).max(0);
    let mut x = r.right() - (right_w * s * 0.2) as i32 - total;
    let cy = r.y + (12.0 * s) as i32;
    for ((mark, text), w) in legend.iter().zip(&widths).take(k) {
        draw_mark(root, *mark, (x + mark_w / 2, cy), s)?;
        text_at(
            root,
            text,
            &style(lf.clone(), palette::INK).pos(Pos::new(HPos::Left, VPos::Center)),
            (x + mark_w + (4.0 * s) as i32, cy),
        )?;
        x += w + sep;
    }
    Ok(cap_h)
}

/// How many legend items, from the first, fit in `room` pixels: items of `widths` pixels
/// with `sep` pixels between them.
fn legend_items_that_fit(widths: &[i32], sep: i32, room: i32) -> usize {
    let mut k = widths.len();
    while k > 0 && widths[..k].iter().sum::<i32>() + sep * (k as i32 - 1) > room {
        k -= 1;
    }
    k
}

/// Draw a legend mark centred on the page pixel `(x, y)`, 5 px in radius at scale 1.
///
/// # Errors
/// [`OutputError::Render`] when the backend fails.
pub fn draw_mark<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    mark: Mark,
    (x, y): (i32, i32),
    s: f64,
) -> Result<(), OutputError> {
    let (bx, by) = root.get_base_pixel();
    let (x, y) = (x - bx, y - by);
    let r = (5.0 * s).max(2.0) as i32;
    match mark {
        Mark::Square(c) => root
            .draw(&Rectangle::new(
                [(x - r, y - r), (x + r, y + r)],
                c.filled(),
            ))
            .map_err(draw_err),
        Mark::Shade(c, a) => root
            .draw(&Rectangle::new(
                [(x - r, y - r), (x + r, y + r)],
                c.mix(a).filled(),
            ))
            .map_err(draw_err),
        Mark::Dot(c) => root
            .draw(&Circle::new((x, y), r as u32, c.filled()))
            .map_err(draw_err),
        Mark::Ring(c) => root
            .draw(&Circle::new(
                (x, y),
                r as u32,
                ShapeStyle::from(&c).stroke_width((1.5 * s).max(1.0) as u32),
            ))
            .map_err(draw_err),
        Mark::Triangle(c) => root
            .draw(&Polygon::new(
                vec![(x, y - r - 1), (x - r - 1, y + r), (x + r + 1, y + r)],
                c.filled(),
            ))
            .map_err(draw_err),
        Mark::Line(c, w) => root
            .draw(&PathElement::new(
                vec![(x - 2 * r, y), (x + 2 * r, y)],
                ShapeStyle::from(&c).stroke_width(w),
            ))
            .map_err(draw_err),
        Mark::Dashed(c) => dashed_hline(root, y, x - 2 * r, x + 2 * r, c, (3.0 * s) as i32),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_follow_the_cut_offs_and_bands_cover_the_scale() {
        let cut = (40.0, 70.0);
        assert_eq!(level_of(0.0, cut), Level::Low);
        assert_eq!(level_of(39.9, cut), Level::Low);
        assert_eq!(level_of(40.0, cut), Level::Moderate);
        assert_eq!(level_of(70.0, cut), Level::High);
        assert_eq!(level_color(level_of(100.0, cut)), palette::VERMILION);
        let bands = level_bands(cut);
        assert_eq!(bands[0].0, 0.0);
        assert_eq!(bands[2].1, 100.0);
        for w in bands.windows(2) {
            assert_eq!(w[0].1, w[1].0);
        }
        // Each band's middle has the band's level.
        for (a, b, l) in bands {
            assert_eq!(level_of(0.5 * (a + b), cut), l);
        }
    }

    #[test]
    fn legend_items_are_dropped_from_the_end() {
        // 30 + 10 + 40 = 80 fits in 80; the third item (50 more with its gap) does not.
        assert_eq!(legend_items_that_fit(&[30, 40, 40], 10, 80), 2);
        assert_eq!(legend_items_that_fit(&[30, 40, 40], 10, 140), 3);
        assert_eq!(legend_items_that_fit(&[30], 10, 29), 0);
        assert_eq!(legend_items_that_fit(&[], 10, 0), 0);
    }

    #[test]
    fn inner_width_leaves_the_padding_on_both_sides() {
        let p = Panel {
            r: Rect::new(5, 5, 300, 100),
            pad: 8,
            s: 1.0,
        };
        assert_eq!(p.inner_w(), 284);
        let tiny = Panel {
            r: Rect::new(0, 0, 10, 10),
            pad: 8,
            s: 1.0,
        };
        assert_eq!(tiny.inner_w(), 0);
    }
}
