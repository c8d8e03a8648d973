//! One page abstraction for the PNG reports.
//!
//! A report page ([`super::session`], [`super::block`]) says where its panels go
//! ([`Page::layout`]), which of them have nothing to show ([`Page::empty_reason`]) and how to
//! draw one panel with data ([`Page::draw_panel`]). Everything else is shared here: the
//! dispatch loop that draws every panel in layout order (a labelled [`empty_panel`] for those
//! without data), the render to an RGB bitmap and PNG bytes ([`render_page`]) and the atomic
//! write at [`DEFAULT_SIZE`] ([`write_page`]).

use super::{DEFAULT_SIZE, Rect, empty_panel, ensure_fonts, render_png, scale_of, write_png};
use crate::error::OutputError;
use plotters::coord::Shift;
use plotters::prelude::*;
use std::path::Path;

/// What was drawn in one panel.
#[derive(Debug, Clone, PartialEq)]
pub struct PanelReport<K> {
    /// The panel.
    pub kind: K,
    /// Its rectangle on the page.
    pub rect: Rect,
    /// `Some(reason)` when the panel was drawn as a labelled empty panel.
    pub empty: Option<String>,
}

/// A rendered page: its PNG bytes and the report of every panel.
pub type Rendered<K> = (Vec<u8>, Vec<PanelReport<K>>);

/// The page being drawn, as a panel sees it: the pixel scale and every panel's report (some
/// panels depend on others, e.g. the block page puts its date labels under the lowest panel
/// with data).
#[derive(Debug, Clone, Copy)]
pub struct Sheet<'a, K> {
    /// Page width, pixels.
    pub width: u32,
    /// Pixel scale relative to [`DEFAULT_SIZE`] ([`scale_of`]).
    pub scale: f64,
    /// Every panel of the page, in drawing order, with its empty reason.
    pub panels: &'a [PanelReport<K>],
}

/// The grid both pages are laid out on: a 16 px margin, the header on top (title line and
/// `header_lines` lines of 21 px), the footer at the bottom (`footer_lines` lines of 18 px),
/// and between them a left column of 60 % and a right column of the rest less `gap` pixels.
/// Pixels at scale 1, scaled with the page ([`scale_of`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageGrid {
    /// Title, facts and warnings.
    pub header: Rect,
    /// The left column of panels.
    pub left: Rect,
    /// The right column of panels.
    pub right: Rect,
    /// Disclaimer and sources.
    pub footer: Rect,
}

impl PageGrid {
    /// The grid of a `width × height` page.
    pub fn of(
        width: u32,
        height: u32,
        header_lines: usize,
        footer_lines: usize,
        gap_px: f64,
    ) -> PageGrid {
        let s = scale_of(width, height);
        let px = |v: f64| (v * s).round() as u32;
        let page = Rect::new(0, 0, width, height).inset(px(16.0));
        let header_h = px(14.0 + 32.0) + px(21.0) * header_lines as u32 + px(6.0);
        let (header, rest) = page.take_top(header_h);
        let footer_h = px(18.0) * footer_lines as u32 + px(10.0);
        let (body, footer) = rest.take_top(rest.h.saturating_sub(footer_h));
        let gap = px(gap_px);
        let (left, right) = body.take_left((body.w as f64 * 0.6) as u32);
        let right = Rect::new(
            right.x + gap as i32,
            right.y,
            right.w.saturating_sub(gap),
            right.h,
        );
        PageGrid {
            header,
            left,
            right,
            footer,
        }
    }
}

/// Panels stacked down `col`, `vgap` pixels apart: each takes its share of the column's
/// height less the gaps, the last what is left (at least 1 pixel).
pub fn stack<K: Copy>(col: Rect, shares: &[(K, f64)], vgap: u32) -> Vec<(K, Rect)> {
    let usable = col
        .h
        .saturating_sub(vgap * (shares.len() as u32).saturating_sub(1));
    let mut y = col.y;
    let mut out = Vec::with_capacity(shares.len());
    for (i, (kind, share)) in shares.iter().enumerate() {
        let h = if i + 1 == shares.len() {
            (col.bottom() - y).max(1) as u32
        } else {
            (usable as f64 * share) as u32
        };
        out.push((*kind, Rect::new(col.x, y, col.w, h)));
        y += (h + vgap) as i32;
    }
    out
}

/// A report page drawn panel by panel.
pub trait Page {
    /// Which panel (the page's enum of panels).
    type Kind: Copy + PartialEq;

    /// The panels and their rectangles at `width × height` pixels, in drawing order.
    fn layout(&self, width: u32, height: u32) -> Vec<(Self::Kind, Rect)>;

    /// Why `kind` has nothing to show (it is then drawn as a labelled empty panel), or `None`
    /// when it has.
    fn empty_reason(&self, kind: Self::Kind) -> Option<String>;

    /// The title of `kind` when it is drawn as an empty panel.
    fn empty_title(&self, kind: Self::Kind) -> String;

    /// Draw one panel that has data into its rectangle `r`.
    ///
    /// # Errors
    /// [`OutputError::Render`] when the backend fails.
    fn draw_panel<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        sheet: &Sheet<'_, Self::Kind>,
        kind: Self::Kind,
        r: Rect,
    ) -> Result<(), OutputError>;
}

/// Every panel of `page` at `width × height` pixels with its empty reason, in drawing order.
pub fn plan<P: Page>(page: &P, width: u32, height: u32) -> Vec<PanelReport<P::Kind>> {
    page.layout(width, height)
        .into_iter()
        .map(|(kind, rect)| PanelReport {
            kind,
            rect,
            empty: page.empty_reason(kind),
        })
        .collect()
}

/// Draw `page` on `root` (any plotters backend), laid out at the root's size: every panel in
/// layout order, those without data as labelled empty panels. Returns the panel reports.
///
/// # Errors
/// [`OutputError::Render`] when the fonts cannot be loaded or the backend fails.
pub fn draw_page<P: Page, DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    page: &P,
) -> Result<Vec<PanelReport<P::Kind>>, OutputError> {
    ensure_fonts()?;
    let (w, h) = root.dim_in_pixel();
    let panels = plan(page, w, h);
    let sheet = Sheet {
        width: w,
        scale: scale_of(w, h),
        panels: &panels,
    };
    for p in &panels {
        match &p.empty {
            Some(reason) => {
                empty_panel(root, p.rect, &page.empty_title(p.kind), reason, sheet.scale)?
            }
            None => page.draw_panel(root, &sheet, p.kind, p.rect)?,
        }
    }
    Ok(panels)
}

/// Render `page` at `width × height` pixels as PNG bytes, with the report of every panel.
///
/// # Errors
/// [`OutputError::Render`] for a page size outside [`super::PAGE_LIMITS_PX`] or a drawing or
/// encoding failure.
pub fn render_page<P: Page>(
    page: &P,
    width: u32,
    height: u32,
) -> Result<Rendered<P::Kind>, OutputError> {
    render_png(width, height, |root| draw_page(root, page))
}

/// Render `page` at [`DEFAULT_SIZE`] and write it to `path` atomically.
///
/// # Errors
/// As [`render_page`]; [`OutputError::Io`] when the file cannot be written.
pub fn write_page<P: Page>(path: &Path, page: &P) -> Result<(), OutputError> {
    let (bytes, _) = render_page(page, DEFAULT_SIZE.0, DEFAULT_SIZE.1)?;
    write_png(path, &bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::RefCell;

    /// Two panels side by side; the right one has nothing to show. Records what it drew.
    struct Halves {
        drawn: RefCell<Vec<(u8, Rect)>>,
    }

    impl Page for Halves {
        type Kind = u8;
        fn layout(&self, width: u32, height: u32) -> Vec<(u8, Rect)> {
            let (l, r) = Rect::new(0, 0, width, height).take_left(width / 2);
            vec![(0, l), (1, r)]
        }
        fn empty_reason(&self, kind: u8) -> Option<String> {
            (kind == 1).then(|| "nothing here".to_string())
        }
        fn empty_title(&self, kind: u8) -> String {
            format!("panel {kind}")
        }
        fn draw_panel<DB: DrawingBackend>(
            &self,
            root: &DrawingArea<DB, Shift>,
            sheet: &Sheet<'_, u8>,
            kind: u8,
            r: Rect,
        ) -> Result<(), OutputError> {
            assert_eq!(sheet.panels.len(), 2);
            self.drawn.borrow_mut().push((kind, r));
            super::super::frame(root, r)
        }
    }

    /// Whether two rectangles share a pixel.
    fn overlap(a: Rect, b: Rect) -> bool {
        a.x < b.right() && b.x < a.right() && a.y < b.bottom() && b.y < a.bottom()
    }

    #[test]
    fn the_grid_tiles_the_page_inside_its_margin() {
        for (w, h, lines) in [(1600, 1200, 5), (3200, 2400, 2), (800, 600, 3)] {
            let g = PageGrid::of(w, h, lines, 4, 12.0);
            let parts = [g.header, g.left, g.right, g.footer];
            let m = (16.0 * scale_of(w, h)).round() as i32;
            let page = Rect::new(m, m, w - 2 * m as u32, h - 2 * m as u32);
            for (i, a) in parts.iter().enumerate() {
                assert!(a.x >= page.x && a.right() <= page.right(), "{a:?}");
                assert!(a.y >= page.y && a.bottom() <= page.bottom(), "{a:?}");
                for b in &parts[i + 1..] {
                    assert!(!overlap(*a, *b), "{a:?} {b:?}");
                }
            }
            // Header, body and footer stack without a gap; the columns share the body.
            assert_eq!(g.header.bottom(), g.left.y);
            assert_eq!(g.left.bottom(), g.footer.y);
            assert_eq!(g.footer.bottom(), page.bottom());
            assert_eq!((g.left.y, g.left.h), (g.right.y, g.right.h));
            assert_eq!(g.right.right(), page.right());
            assert_eq!(g.left.w, (page.w as f64 * 0.6) as u32);
        }
    }

    #[test]
    fn stacked_panels_fill_the_column_with_the_gaps_between() {
        let col = Rect::new(10, 20, 300, 410);
        let out = stack(col, &[('a', 0.5), ('b', 0.25), ('c', 0.25)], 5);
        // 400 px of panels: 200, 100, and the last takes what is left (100).
        let rects: Vec<Rect> = out.iter().map(|p| p.1).collect();
        assert_eq!(
            rects,
            vec![
                Rect::new(10, 20, 300, 200),
                Rect::new(10, 225, 300, 100),
                Rect::new(10, 330, 300, 100),
            ]
        );
        assert_eq!(rects[2].bottom(), col.bottom());
        assert_eq!(out.iter().map(|p| p.0).collect::<String>(), "abc");
        assert!(stack::<u8>(col, &[], 5).is_empty());
    }

    #[test]
    fn the_loop_draws_panels_with_data_and_labels_the_empty_ones() {
        let page = Halves {
            drawn: RefCell::new(Vec::new()),
        };
        let (png, reports) = render_page(&page, 400, 200).unwrap();
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
        assert_eq!(
            reports,
            vec![
                PanelReport {
                    kind: 0,
                    rect: Rect::new(0, 0, 200, 200),
                    empty: None
                },
                PanelReport {
                    kind: 1,
                    rect: Rect::new(200, 0, 200, 200),
                    empty: Some("nothing here".into())
                },
            ]
        );
        // Only the panel with data reached draw_panel.
        assert_eq!(*page.drawn.borrow(), vec![(0, Rect::new(0, 0, 200, 200))]);
        // Same page, same bytes; a page outside the limits is refused.
        assert_eq!(render_page(&page, 400, 200).unwrap().0, png);
        assert!(render_page(&page, 100, 200).is_err());
    }
}
