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
) -> Result<(Vec<u8>, Vec<PanelReport<P::Kind>>), OutputError> {
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
