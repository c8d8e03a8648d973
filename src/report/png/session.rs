//! The session page of `gaitguard analyze FILE --report out.png`.
//!
//! ```text
//! ┌ header: file, date, duration, distance, device/sensor, placement, data quality, warnings ┐
//! │ time series (left, shared time axis)        │ raw: detected events (zoomed few seconds)  │
//! │  cadence · ground contact · vertical         │ records: metric table                      │
//! │  oscillation · (vertical ratio · balance ·   │ ground-contact histogram                   │
//! │  pace · heart rate · elevation)              │ overstriding verdict                       │
//! │  zone bands shaded, drift thirds marked      │ calf-strain gauge, factor bars, advice     │
//! └ disclaimer and sources ──────────────────────────────────────────────────────────────────┘
//! ```
//!
//! Sources of what is drawn: zone bands are Garmin's Running Dynamics colour gauges
//! ([`crate::metrics::zones`]); drift is the metrics stage's first-third versus last-third
//! comparison ([`crate::metrics::drift`]); contact events are the trunk threshold method
//! (Auvinet 2002, Wixted 2010) with Lee 2010 toe-off and the half-maximum width, or the foot
//! gyroscope method (Falbriard 2018) ([`crate::gait`]); the risk gauge and factors are the risk
//! stage's ([`crate::risk`], each factor with its citation in `--explain`).
//!
//! Every panel's rectangle is in [`SessionLayout`], and drawing returns a [`PanelReport`]
//! per panel saying whether it was drawn empty and why, so tests can check both the pixels
//! and the intent.

use super::{
    Rect, abbreviate_middle, bold, dashed_hline, dashed_vline, draw_err, draw_lines, empty_panel,
    fit_text, font, frame, nice_step, palette, render_png, scale_of, style, sub_area, text_at,
    text_width, tick_count, tick_decimals, time_unit, wrap_text,
};
use crate::error::OutputError;
use crate::gait::{EventTrace, RawReport};
use crate::metrics::activity::{self, Activity};
use crate::metrics::zones::Zone;
use crate::metrics::{MetricSummary, drift::Drift};
use crate::recording::{Channel, Placement, Recording};
use crate::report::terminal::clock;
use crate::session::SessionDoc;
use plotters::coord::Shift;
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use std::path::Path;

pub use super::DEFAULT_SIZE;

/// What the session page is drawn from.
#[derive(Debug, Clone, Copy)]
pub struct SessionInput<'a> {
    /// The analysed session (summary, raw report, overstriding, risk).
    pub doc: &'a SessionDoc,
    /// The per-record (or, for raw files, per-step) recording the doc was computed from.
    pub recording: &'a Recording,
    /// A few seconds of raw signal with the detected events (raw files).
    pub trace: Option<&'a EventTrace>,
    /// Risk level cut-offs (moderate, high), scores out of 100.
    pub risk_levels: (f64, f64),
}

impl<'a> SessionInput<'a> {
    /// Input with the default risk levels and no event trace.
    pub fn new(doc: &'a SessionDoc, recording: &'a Recording) -> Self {
        let d = crate::risk::config::RiskConfig::default();
        SessionInput {
            doc,
            recording,
            trace: None,
            risk_levels: (d.moderate_at, d.high_at),
        }
    }
}

/// The time series the page can show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SeriesKind {
    /// Cadence, steps/min.
    Cadence,
    /// Ground-contact time, ms.
    GroundContact,
    /// Vertical oscillation, cm.
    VerticalOscillation,
    /// Vertical ratio, %.
    VerticalRatio,
    /// Ground-contact balance, % left.
    Balance,
    /// Pace, min/km.
    Pace,
    /// Heart rate, bpm.
    HeartRate,
    /// Elevation, m.
    Elevation,
}

/// A panel of the page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PanelKind {
    /// File, date, device and data quality.
    Header,
    /// A time series over the run.
    Series(SeriesKind),
    /// The zoomed raw signal with contacts and toe-offs (raw files).
    Events,
    /// Table of metric summaries (watch and app files).
    Table,
    /// Distribution of ground-contact times.
    Histogram,
    /// Overstriding verdict and indicators.
    Overstriding,
    /// Calf-strain gauge, factor bars and advice.
    Risk,
    /// Disclaimer and sources.
    Footer,
}

/// Where every panel sits.
#[derive(Debug, Clone, PartialEq)]
pub struct SessionLayout {
    /// Page width, pixels.
    pub width: u32,
    /// Page height, pixels.
    pub height: u32,
    /// Panels and their rectangles, in drawing order.
    pub panels: Vec<(PanelKind, Rect)>,
}

impl SessionLayout {
    /// The rectangle of a panel, when the page has it.
    pub fn rect(&self, kind: PanelKind) -> Option<Rect> {
        self.panels.iter().find(|p| p.0 == kind).map(|p| p.1)
    }
}

/// What was drawn in one panel.
#[derive(Debug, Clone, PartialEq)]
pub struct PanelReport {
    /// The panel.
    pub kind: PanelKind,
    /// Its rectangle on the page.
    pub rect: Rect,
    /// `Some(reason)` when the panel was drawn as a labelled empty panel.
    pub empty: Option<String>,
}

// ───────────────────────────── zone bands ─────────────────────────────

/// One population band of a metric: values in `[lo, hi)` (unbounded ends as ±∞).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Band {
    /// Lower edge.
    pub lo: f64,
    /// Upper edge.
    pub hi: f64,
    /// Garmin's colour name for it.
    pub zone: Zone,
}

const fn band(lo: f64, hi: f64, zone: Zone) -> Band {
    Band { lo, hi, zone }
}

const INF: f64 = f64::INFINITY;

/// Garmin's Running Dynamics colour bands (owner's manuals; the same table as
/// [`crate::metrics::zones::zone`], whose rounding puts the edges half a unit of the last
/// digit away from the published integers). A unit test checks the two agree.
pub fn bands(metric: &str) -> Option<&'static [Band]> {
    use Zone::*;
    const CADENCE: [Band; 5] = [
        band(-INF, 152.5, Red),
        band(152.5, 163.5, Orange),
        band(163.5, 173.5, Green),
        band(173.5, 183.5, Blue),
        band(183.5, INF, Purple),
    ];
    const GCT: [Band; 5] = [
        band(-INF, 217.5, Purple),
        band(217.5, 248.5, Blue),
        band(248.5, 277.5, Green),
        band(277.5, 308.5, Orange),
        band(308.5, INF, Red),
    ];
    const VO: [Band; 5] = [
        band(-INF, 6.35, Purple),
        band(6.35, 8.15, Blue),
        band(8.15, 9.75, Green),
        band(9.75, 11.55, Orange),
        band(11.55, INF, Red),
    ];
    const VR: [Band; 5] = [
        band(-INF, 6.05, Purple),
        band(6.05, 7.45, Blue),
        band(7.45, 8.65, Green),
        band(8.65, 10.15, Orange),
        band(10.15, INF, Red),
    ];
    const BALANCE: [Band; 5] = [
        band(-INF, 47.75, Red),
        band(47.75, 49.25, Orange),
        band(49.25, 50.75, Green),
        band(50.75, 52.25, Orange),
        band(52.25, INF, Red),
    ];
    Some(match metric {
        "cadence_spm" => &CADENCE,
        "ground_contact_ms" => &GCT,
        "vertical_oscillation_cm" => &VO,
        "vertical_ratio_pct" => &VR,
        "gct_balance_left_pct" => &BALANCE,
        _ => return None,
    })
}

/// The palette colour standing for a Garmin zone (Okabe–Ito: purple → reddish purple,
/// red → vermilion).
pub fn zone_color(z: Zone) -> RGBColor {
    match z {
        Zone::Purple => palette::REDDISH_PURPLE,
        Zone::Blue => palette::BLUE,
        Zone::Green => palette::BLUISH_GREEN,
        Zone::Orange => palette::ORANGE,
        Zone::Red => palette::VERMILION,
    }
}

// ───────────────────────────── data ─────────────────────────────

/// One time series, ready to draw.
#[derive(Debug, Clone)]
struct Series {
    kind: SeriesKind,
    metric: &'static str,
    title: &'static str,
    unit: &'static str,
    /// (elapsed s, value), finite and plausible, in time order.
    points: Vec<(f64, f64)>,
    /// Per-step data (raw files): dots and a running median rather than a line.
    per_step: bool,
    /// Draw the axis upside down (pace: faster up).
    inverted: bool,
    summary: Option<MetricSummary>,
    drift: Option<Drift>,
    /// A fact for the caption that is not a summary (elevation gain and loss).
    extra: Option<String>,
    /// Why the panel is empty.
    empty: Option<String>,
}

/// Everything the page shows, extracted once.
#[derive(Debug, Clone)]
struct Prepared {
    series: Vec<Series>,
    /// Span of the time axis, s.
    span_s: f64,
    /// Start of the analysed time, end of its first third, start of its last third and its
    /// end, elapsed s.
    thirds_s: Option<[f64; 4]>,
    /// A gap longer than this breaks a line, s.
    gap_s: f64,
    /// Stretches of the other gait (walking inside a run), elapsed s: not summarised, so not
    /// drawn in the form panels and shaded in all of them.
    other_spans: Vec<(f64, f64)>,
    /// Name of that other gait.
    other_name: &'static str,
    /// Ground-contact times of the analysed (running) records, ms.
    contact_ms: Vec<f64>,
    /// Why there is no histogram.
    contact_empty: Option<String>,
    running: bool,
}

/// Plausible range per channel (the metrics stage's, [`crate::metrics`]): what lies outside
/// is a glitch and is not drawn.
fn plausible(metric: &str, v: f64) -> bool {
    let (lo, hi) = match metric {
        "cadence_spm" => (60.0, 260.0),
        "ground_contact_ms" => (80.0, 1200.0),
        "vertical_oscillation_cm" | "vertical_ratio_pct" => (1.0, 30.0),
        "gct_balance_left_pct" => (30.0, 70.0),
        "speed_mps" => (1.0, 12.0),
        "heart_rate_bpm" => (30.0, 240.0),
        "altitude_m" => (-500.0, 9000.0),
        _ => (f64::MIN, f64::MAX),
    };
    v.is_finite() && v >= lo && v <= hi
}

fn withheld_reason(raw: Option<&RawReport>, metric: &str) -> Option<String> {
    raw?.withheld
        .iter()
        .find(|w| w.metric == metric)
        .map(|w| format!("withheld: {}", w.reason))
}

fn prepare(input: &SessionInput<'_>) -> Prepared {
    let rec = input.recording;
    let doc = input.doc;
    let s = &rec.series;
    let n = s.len();
    let tl = activity::timeline(rec).ok();
    let in_scope = |i: usize| tl.as_ref().is_none_or(|t| t.in_scope[i]);
    let scope: Vec<usize> = (0..n)
        .filter(|&i| in_scope(i) && s.time_s[i].is_finite())
        .collect();
    let t0 = scope.first().map(|&i| s.time_s[i]).unwrap_or(0.0);
    let t_end = scope.last().map(|&i| s.time_s[i]).unwrap_or(0.0);
    let median_dt = tl.as_ref().map(|t| t.median_interval_s).unwrap_or(1.0);
    let gap_s = (5.0 * median_dt).max(10.0);
    let from = doc.summary.metrics_from;
    let running = from == Activity::Running;
    let per_step = doc.raw.is_some();

    // Thirds of the analysed time, as the metrics stage cuts them.
    let thirds_s = tl.as_ref().and_then(|t| {
        let sel: Vec<usize> = scope
            .iter()
            .copied()
            .filter(|&i| t.weight_s[i] > 0.0 && (from == Activity::Still || t.class[i] == from))
            .collect();
        let total: f64 = sel.iter().map(|&i| t.weight_s[i]).sum();
        if sel.len() < 3 || total <= 0.0 {
            return None;
        }
        let (mut cum, mut a, mut b) = (0.0, None, None);
        for &i in &sel {
            let mid = cum + t.weight_s[i] / 2.0;
            cum += t.weight_s[i];
            if a.is_none() && mid >= total / 3.0 {
                a = Some(s.time_s[i] - t0);
            }
            if b.is_none() && mid >= 2.0 * total / 3.0 {
                b = Some(s.time_s[i] - t0);
            }
        }
        let first = s.time_s[sel[0]] - t0;
        let last = sel.last().map(|&i| s.time_s[i] - t0 + t.weight_s[i])?;
        Some([first, a?, b?, last])
    });

    // Records of the summarised gait (running, or walking for a walk).
    let class_ok =
        |i: usize| from == Activity::Still || tl.as_ref().is_none_or(|t| t.class[i] == from);
    let (other, other_name) = match from {
        Activity::Running => (Some(Activity::Walking), "walking"),
        Activity::Walking => (Some(Activity::Running), "running"),
        _ => (None, ""),
    };
    let mut other_spans: Vec<(f64, f64)> = Vec::new();
    if let (Some(t), Some(o)) = (tl.as_ref(), other) {
        for &i in &scope {
            if t.class[i] != o || t.weight_s[i] <= 0.0 {
                continue;
            }
            let (a, b) = (s.time_s[i] - t0, s.time_s[i] - t0 + t.weight_s[i]);
            match other_spans.last_mut() {
                Some(last) if a - last.1 <= gap_s => last.1 = last.1.max(b),
                _ => other_spans.push((a, b)),
            }
        }
    }
    let collect = |ch: Channel, metric: &str, form: bool, map: &dyn Fn(f64) -> f64| {
        let Some(v) = s.get(ch) else {
            return Vec::new();
        };
        scope
            .iter()
            .filter(|&&i| plausible(metric, v[i]) && (!form || class_ok(i)))
            .map(|&i| (s.time_s[i] - t0, map(v[i])))
            .collect::<Vec<(f64, f64)>>()
    };
    let ident = |v: f64| v;
    let summary = |m: &str| doc.summary.metrics.get(m).copied().flatten();
    let drift = |m: &str| doc.summary.drift.get(m).copied().flatten();
    let raw = doc.raw.as_ref();
    let make = |kind, metric: &'static str, title, unit, ch, always: bool, fallback: &str| {
        let points = collect(ch, metric, true, &ident);
        let empty = points.is_empty().then(|| {
            withheld_reason(raw, metric).unwrap_or_else(|| match raw {
                // Raw signals: contact and oscillation are measured on running steps.
                Some(_) if metric != "cadence_spm" && !running => format!(
                    "not measured: contact timing and oscillation come from running steps, and this recording's steps are {}",
                    from.name()
                ),
                _ => fallback.to_string(),
            })
        });
        (always || empty.is_none()).then(|| Series {
            kind,
            metric,
            title,
            unit,
            points,
            per_step,
            inverted: false,
            summary: summary(metric),
            drift: drift(metric),
            extra: None,
            empty,
        })
    };
    let mut series: Vec<Series> = [
        make(
            SeriesKind::Cadence,
            "cadence_spm",
            "Cadence",
            "steps/min",
            Channel::CadenceSpm,
            true,
            "no cadence data in this file",
        ),
        make(
            SeriesKind::GroundContact,
            "ground_contact_ms",
            "Ground contact time",
            "ms",
            Channel::GroundContactMs,
            true,
            "no ground-contact data in this file (it needs a chest strap, a running-dynamics pod or a footpod)",
        ),
        make(
            SeriesKind::VerticalOscillation,
            "vertical_oscillation_cm",
            "Vertical oscillation",
            "cm",
            Channel::VerticalOscillationCm,
            true,
            "no vertical-oscillation data in this file",
        ),
        make(
            SeriesKind::VerticalRatio,
            "vertical_ratio_pct",
            "Vertical ratio",
            "%",
            Channel::VerticalRatioPct,
            false,
            "",
        ),
        make(
            SeriesKind::Balance,
            "gct_balance_left_pct",
            "Ground-contact balance",
            "% left",
            Channel::GctBalanceLeftPct,
            false,
            "",
        ),
    ]
    .into_iter()
    .flatten()
    .collect();
    // Pace, unless it is one fixed value (a treadmill speed given on the command line).
    let pace = collect(Channel::SpeedMps, "speed_mps", false, &|v| {
        1000.0 / 60.0 / v
    });
    let to_pace = |v: f64| 1000.0 / 60.0 / v;
    let pace_summary = summary("speed_mps").map(|m| MetricSummary {
        mean: to_pace(m.mean),
        median: to_pace(m.median),
        p10: to_pace(m.p90),
        p90: to_pace(m.p10),
        zone: None,
        ..m
    });
    let varies = pace
        .iter()
        .any(|p| (p.1 - pace[0].1).abs() > 1e-9 * pace[0].1.abs().max(1.0));
    if !pace.is_empty() && varies {
        series.push(Series {
            kind: SeriesKind::Pace,
            metric: "speed_mps",
            title: "Pace",
            unit: "min/km",
            points: pace,
            per_step,
            inverted: true,
            summary: pace_summary,
            drift: None,
            extra: None,
            empty: None,
        });
    }
    for (kind, metric, title, unit, ch) in [
        (
            SeriesKind::HeartRate,
            "heart_rate_bpm",
            "Heart rate",
            "bpm",
            Channel::HeartRateBpm,
        ),
        (
            SeriesKind::Elevation,
            "altitude_m",
            "Elevation",
            "m",
            Channel::AltitudeM,
        ),
    ] {
        let points = collect(ch, metric, false, &ident);
        if !points.is_empty() {
            series.push(Series {
                kind,
                metric,
                title,
                unit,
                points,
                per_step,
                inverted: false,
                summary: summary(metric),
                drift: if kind == SeriesKind::HeartRate {
                    drift(metric)
                } else {
                    None
                },
                extra: (kind == SeriesKind::Elevation)
                    .then_some(doc.summary.elevation.as_ref())
                    .flatten()
                    .map(|e| format!("gain {:.0} m · loss {:.0} m", e.gain_m, e.loss_m)),
                empty: None,
            });
        }
    }

    // Panels with data first; the labelled empty ones, drawn compact, after them.
    series.sort_by_key(|x| x.empty.is_some());

    // Contact times of the analysed records: running steps (raw) or running records.
    let gct = s.get(Channel::GroundContactMs);
    let class = s.get(Channel::GaitClass);
    let contact_ms: Vec<f64> = match gct {
        None => Vec::new(),
        Some(g) => scope
            .iter()
            .copied()
            .filter(|&i| plausible("ground_contact_ms", g[i]))
            .filter(|&i| match (class, tl.as_ref()) {
                (Some(c), _) if running => c[i] == 1.0,
                (_, Some(t)) => from == Activity::Still || t.class[i] == from,
                _ => true,
            })
            .map(|i| g[i])
            .collect(),
    };
    let contact_empty = contact_ms.is_empty().then(|| {
        withheld_reason(raw, "ground_contact_ms").unwrap_or_else(|| match raw {
            Some(_) if !running => format!(
                "not measured: contact times come from running steps, and this recording's steps are {}",
                from.name()
            ),
            _ => "no ground-contact data in this file".to_string(),
        })
    });
    Prepared {
        series,
        span_s: (t_end - t0).max(0.0),
        thirds_s,
        other_spans,
        other_name,
        gap_s,
        contact_ms,
        contact_empty,
        running,
    }
}

// ───────────────────────────── layout ─────────────────────────────

/// Lines of the footer.
const FOOTER_LINES: usize = 4;

/// Warnings shown in the header (the rest are counted).
const MAX_WARNINGS: usize = 3;

fn header_lines(doc: &SessionDoc) -> usize {
    let w = doc.summary.warnings.len();
    3 + w.min(MAX_WARNINGS) + usize::from(w > MAX_WARNINGS)
}

/// Lay the page out for `input` at `width × height` pixels.
pub fn layout(input: &SessionInput<'_>, width: u32, height: u32) -> SessionLayout {
    let p = prepare(input);
    layout_of(input, &p, width, height)
}

fn layout_of(input: &SessionInput<'_>, p: &Prepared, width: u32, height: u32) -> SessionLayout {
    let s = scale_of(width, height);
    let px = |v: f64| (v * s).round() as u32;
    let m = px(16.0);
    let page = Rect::new(0, 0, width, height).inset(m);
    let header_h = px(14.0 + 32.0) + px(21.0) * header_lines(input.doc) as u32 + px(6.0);
    let (header, rest) = page.take_top(header_h);
    let footer_h = px(18.0) * FOOTER_LINES as u32 + px(10.0);
    let (body, footer) = rest.take_top(rest.h.saturating_sub(footer_h));
    let mut panels = vec![(PanelKind::Header, header)];

    let gap = px(12.0);
    let left_w = (body.w as f64 * 0.6) as u32;
    let (left, right) = body.take_left(left_w);
    let right = Rect::new(
        right.x + gap as i32,
        right.y,
        right.w.saturating_sub(gap),
        right.h,
    );

    // Series: equal heights for those with data (the last of them also carries the time
    // axis), a compact strip for each labelled empty one.
    let k = p.series.len().max(1) as u32;
    let k_empty = p.series.iter().filter(|x| x.empty.is_some()).count() as u32;
    let k_full = k - k_empty;
    let vgap = px(6.0);
    let (axis_h, empty_h) = if k_full > 0 {
        (px(44.0), px(58.0))
    } else {
        (0, 0)
    };
    let fixed = axis_h + vgap * (k - 1) + empty_h * k_empty;
    let each = left.h.saturating_sub(fixed) / k_full.max(1);
    let mut y = left.y;
    for (i, sr) in p.series.iter().enumerate() {
        let h = if k_full == 0 {
            (left.h.saturating_sub(vgap * (k - 1))) / k
        } else if sr.empty.is_some() {
            empty_h
        } else if i + 1 == k_full as usize {
            each + axis_h
        } else {
            each
        };
        panels.push((PanelKind::Series(sr.kind), Rect::new(left.x, y, left.w, h)));
        y += (h + vgap) as i32;
    }

    // Right column.
    let top_kind = if input.doc.raw.is_some() {
        PanelKind::Events
    } else {
        PanelKind::Table
    };
    let shares = [
        (top_kind, 0.29),
        (PanelKind::Histogram, 0.20),
        (PanelKind::Overstriding, 0.18),
        (PanelKind::Risk, 0.33),
    ];
    let usable = right.h.saturating_sub(vgap * 3);
    let mut y = right.y;
    for (i, (kind, share)) in shares.iter().enumerate() {
        let h = if i + 1 == shares.len() {
            (right.bottom() - y).max(1) as u32
        } else {
            (usable as f64 * share) as u32
        };
        panels.push((*kind, Rect::new(right.x, y, right.w, h)));
        y += (h + vgap) as i32;
    }
    panels.push((PanelKind::Footer, footer));
    SessionLayout {
        width,
        height,
        panels,
    }
}

// ───────────────────────────── drawing ─────────────────────────────

/// Draw the session page on `root` (any plotters backend) laid out at the root's size.
///
/// # Errors
/// [`OutputError::Render`] when the backend fails.
pub fn draw_session<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    input: &SessionInput<'_>,
) -> Result<Vec<PanelReport>, OutputError> {
    super::ensure_fonts()?;
    let (w, h) = root.dim_in_pixel();
    let p = prepare(input);
    let lay = layout_of(input, &p, w, h);
    let s = scale_of(w, h);
    let mut out = Vec::new();
    let last_full = p.series.iter().rfind(|x| x.empty.is_none()).map(|x| x.kind);
    for (kind, rect) in &lay.panels {
        let empty = match kind {
            PanelKind::Header => {
                draw_header(root, *rect, input, s)?;
                None
            }
            PanelKind::Series(sk) => {
                let is_last = last_full == Some(*sk);
                match p.series.iter().find(|x| x.kind == *sk) {
                    Some(sr) => draw_series(root, *rect, sr, &p, is_last, s)?,
                    None => None,
                }
            }
            PanelKind::Events => draw_events(root, *rect, input, s)?,
            PanelKind::Table => {
                draw_table(root, *rect, input.doc, s)?;
                None
            }
            PanelKind::Histogram => draw_histogram(root, *rect, &p, s)?,
            PanelKind::Overstriding => {
                draw_overstriding(root, *rect, input.doc, s)?;
                None
            }
            PanelKind::Risk => {
                draw_risk(root, *rect, input, s)?;
                None
            }
            PanelKind::Footer => {
                draw_footer(root, *rect, input.doc, s)?;
                None
            }
        };
        out.push(PanelReport {
            kind: *kind,
            rect: *rect,
            empty,
        });
    }
    Ok(out)
}

/// Render the session page as PNG bytes, with the report of every panel.
///
/// # Errors
/// [`OutputError::Render`] for a page size outside [`super::PAGE_LIMITS_PX`] or a drawing or
/// encoding failure.
pub fn render_session_png(
    input: &SessionInput<'_>,
    width: u32,
    height: u32,
) -> Result<(Vec<u8>, Vec<PanelReport>), OutputError> {
    render_png(width, height, |root| draw_session(root, input))
}

/// Render the session page at [`DEFAULT_SIZE`] and write it to `path` atomically.
///
/// # Errors
/// As [`render_session_png`]; [`OutputError::Io`] when the file cannot be written.
pub fn write_session_report(path: &Path, input: &SessionInput<'_>) -> Result<(), OutputError> {
    let (bytes, _) = render_session_png(input, DEFAULT_SIZE.0, DEFAULT_SIZE.1)?;
    super::write_png(path, &bytes)
}

fn local_start(doc: &SessionDoc) -> String {
    let Some(t) = doc.start_unix_s() else {
        return "start time unknown".into();
    };
    let off = doc.utc_offset_s.unwrap_or(0);
    let Some(d) = chrono::DateTime::from_timestamp(t.floor() as i64 + off, 0) else {
        return "start time unknown".into();
    };
    let zone = match doc.utc_offset_s {
        None => " UTC".to_string(),
        Some(0) => " UTC".to_string(),
        Some(o) => {
            let sign = if o < 0 { '−' } else { '+' };
            let a = o.unsigned_abs();
            if a % 3600 == 0 {
                format!(" (UTC{sign}{})", a / 3600)
            } else {
                format!(" (UTC{sign}{}:{:02})", a / 3600, (a / 60) % 60)
            }
        }
    };
    format!("{}{zone}", d.format("%Y-%m-%d %H:%M"))
}

fn placement_name(p: Placement) -> &'static str {
    crate::gait::placement_name(p)
}

fn draw_header<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    r: Rect,
    input: &SessionInput<'_>,
    s: f64,
) -> Result<(), OutputError> {
    let doc = input.doc;
    let name = Path::new(&doc.file)
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| doc.file.clone());
    let pad = super::page_title(
        root,
        r,
        "gaitguard session report",
        &name,
        abbreviate_middle,
        s,
    )?;
    let inner_w = r.w.saturating_sub(2 * pad as u32);
    // Facts.
    let sm = &doc.summary;
    let mut l1 = vec![
        local_start(doc),
        format!("duration {}", clock(sm.duration_s)),
        format!(
            "running {} · walking {}",
            clock(sm.running_time_s),
            clock(sm.walking_time_s)
        ),
    ];
    match sm.distance_m {
        Some(d) if d > 0.0 => l1.push(format!("{:.2} km", d / 1000.0)),
        _ => l1.push("distance not recorded".into()),
    }
    l1.push(format!("activity: {}", sm.activity.name()));
    if let Some(sp) = &doc.sport {
        l1.push(format!("sport: {sp}"));
    }
    let mut l2 = Vec::new();
    l2.push(format!(
        "device: {}",
        doc.device.clone().unwrap_or_else(|| "not stated".into())
    ));
    if !doc.sensors.is_empty() {
        l2.push(format!("sensors: {}", doc.sensors.join(", ")));
    }
    match (&doc.raw, doc.placement) {
        (Some(raw), _) => l2.push(format!(
            "sensor placement: {} ({}, {} confidence)",
            placement_name(raw.placement.placement),
            raw.placement.decided,
            raw.placement.confidence
        )),
        (None, Some(p)) => l2.push(format!("sensor placement: {}", placement_name(p))),
        (None, None) => {}
    }
    l2.push(format!("format: {}", doc.format));
    let l3 = match &doc.raw {
        Some(raw) => {
            let mut q = vec![format!(
                "data quality: {:.0} Hz raw signal ({})",
                raw.sample_rate_hz,
                if raw.rate_tier == "full" {
                    "full event timing"
                } else {
                    "cadence and oscillation only"
                }
            )];
            q.push(format!("{} steps detected", raw.steps_detected));
            if let Some(c) = &raw.cadence_check {
                q.push(format!(
                    "cadence check: spectrum {:.1} vs steps {} spm{}",
                    c.spectrum_spm,
                    c.steps_spm
                        .map(|v| format!("{v:.1}"))
                        .unwrap_or_else(|| "–".into()),
                    match c.agree {
                        Some(true) => " (agree)",
                        Some(false) => " (disagree)",
                        None => "",
                    }
                ));
            }
            if !raw.quality.gaps.is_empty() {
                q.push(format!("{} gap(s)", raw.quality.gaps.len()));
            }
            if !raw.quality.clipping.is_empty() {
                q.push("clipped".into());
            }
            q
        }
        None => vec![
            format!(
                "data quality: {} records, {:.2} per second",
                input.recording.series.len(),
                sm.sample_rate_hz
            ),
            format!("metrics from the {} records", sm.metrics_from.name()),
        ],
    };
    let lf = font(15.0 * s);
    let lh = (21.0 * s) as i32;
    let mut y = r.y + pad + (34.0 * s) as i32;
    for parts in [l1, l2, l3] {
        let line = fit_text(&parts.join("  ·  "), &lf, inner_w);
        text_at(
            root,
            &line,
            &style(lf.clone(), palette::INK),
            (r.x + pad, y),
        )?;
        y += lh;
    }
    let ws = &sm.warnings;
    let wf = font(14.0 * s);
    for w in ws.iter().take(MAX_WARNINGS) {
        let line = fit_text(&format!("⚠ {}", w.message), &wf, inner_w);
        text_at(
            root,
            &line,
            &style(wf.clone(), palette::VERMILION),
            (r.x + pad, y),
        )?;
        y += lh;
    }
    if ws.len() > MAX_WARNINGS {
        let line = format!(
            "+ {} more warning(s): see the terminal summary or --json",
            ws.len() - MAX_WARNINGS
        );
        text_at(root, &line, &style(wf, palette::MUTED), (r.x + pad, y))?;
    }
    // A rule under the header.
    let area = sub_area(root, r);
    area.draw(&PathElement::new(
        vec![(0, r.h as i32 - 1), (r.w as i32, r.h as i32 - 1)],
        ShapeStyle::from(&palette::FRAME).stroke_width(1),
    ))
    .map_err(draw_err)?;
    Ok(())
}

/// Robust y range of a series: the 1st–99th percentile widened by 10 % and to a minimum
/// span, so one spike does not flatten the run.
fn y_range(values: &[f64], min_span: f64) -> (f64, f64) {
    let mut v: Vec<f64> = values.iter().copied().filter(|x| x.is_finite()).collect();
    if v.is_empty() {
        return (0.0, 1.0);
    }
    v.sort_by(f64::total_cmp);
    let q = |p: f64| v[((v.len() - 1) as f64 * p).round() as usize];
    let (mut lo, mut hi) = (q(0.01), q(0.99));
    let pad = 0.1 * (hi - lo);
    lo -= pad;
    hi += pad;
    if hi - lo < min_span {
        let mid = 0.5 * (hi + lo);
        lo = mid - min_span / 2.0;
        hi = mid + min_span / 2.0;
    }
    (lo, hi)
}

fn min_span(kind: SeriesKind) -> f64 {
    match kind {
        SeriesKind::Cadence => 12.0,
        SeriesKind::GroundContact => 40.0,
        SeriesKind::VerticalOscillation => 2.0,
        SeriesKind::VerticalRatio => 2.0,
        SeriesKind::Balance => 4.0,
        SeriesKind::Pace => 1.0,
        SeriesKind::HeartRate => 20.0,
        SeriesKind::Elevation => 20.0,
    }
}

fn fmt_pace(min_per_km: f64) -> String {
    let s = (min_per_km * 60.0).round().max(0.0) as u64;
    format!("{}:{:02}", s / 60, s % 60)
}

fn fmt_value(kind: SeriesKind, v: f64) -> String {
    match kind {
        SeriesKind::Cadence | SeriesKind::GroundContact | SeriesKind::HeartRate => {
            format!("{v:.0}")
        }
        SeriesKind::Elevation => format!("{v:.0}"),
        SeriesKind::Pace => fmt_pace(v),
        _ => format!("{v:.1}"),
    }
}

/// Runs of points without a gap longer than `gap_s`.
fn runs(points: &[(f64, f64)], gap_s: f64) -> Vec<&[(f64, f64)]> {
    let mut out = Vec::new();
    let mut a = 0;
    for i in 1..=points.len() {
        if i == points.len() || points[i].0 - points[i - 1].0 > gap_s {
            if i > a {
                out.push(&points[a..i]);
            }
            a = i;
        }
    }
    out
}

/// Centred running trimmed mean over `2·half + 1` points: the middle 60 % of each window
/// averaged. Robust to glitches like a median, and smooth where a median flips between
/// two alternating values (left and right step times at the hip).
fn running_trimmed_mean(points: &[(f64, f64)], half: usize) -> Vec<(f64, f64)> {
    let mut buf = Vec::with_capacity(2 * half + 1);
    (0..points.len())
        .map(|i| {
            let a = i.saturating_sub(half);
            let b = (i + half + 1).min(points.len());
            buf.clear();
            buf.extend(points[a..b].iter().map(|p| p.1));
            buf.sort_by(f64::total_cmp);
            let cut = buf.len() / 5;
            let mid = &buf[cut..buf.len() - cut];
            (points[i].0, mid.iter().sum::<f64>() / mid.len() as f64)
        })
        .collect()
}

/// A polyline of `width` pixels drawn segment by segment: plotters joins thick polylines
/// with unlimited mitres, which shoot far out of the plot at sharp turns.
fn thick_line<DB: DrawingBackend>(
    chart: &mut ChartContext<'_, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>,
    pts: &[(f64, f64)],
    color: RGBColor,
    width: u32,
) -> Result<(), OutputError> {
    let st = ShapeStyle::from(&color).stroke_width(width);
    if width <= 1 {
        chart
            .draw_series(LineSeries::new(pts.iter().copied(), st))
            .map_err(draw_err)?;
        return Ok(());
    }
    chart
        .draw_series(
            pts.windows(2)
                .map(|w| PathElement::new(vec![w[0], w[1]], st)),
        )
        .map_err(draw_err)?;
    Ok(())
}

/// Width of the y-axis label area of the time series, pixels at scale 1.
const Y_AXIS_W: f64 = 74.0;
/// Width of the zone-name column right of the time series, pixels at scale 1.
const ZONE_COL_W: f64 = 58.0;

fn draw_series<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    r: Rect,
    sr: &Series,
    p: &Prepared,
    is_last: bool,
    s: f64,
) -> Result<Option<String>, OutputError> {
    let title = format!("{} ({})", sr.title, sr.unit);
    if let Some(reason) = &sr.empty {
        empty_panel(root, r, &title, reason, s)?;
        return Ok(Some(reason.clone()));
    }
    let cap_h = (24.0 * s) as u32;
    let (cap, body) = r.take_top(cap_h);
    // Caption: title left, summary and drift right.
    let tf = bold(15.0 * s);
    text_at(
        root,
        &title,
        &style(tf.clone(), palette::INK),
        (r.x + (Y_AXIS_W * s * 0.15) as i32, cap.y + (3.0 * s) as i32),
    )?;
    let mut facts = Vec::new();
    if let Some(m) = &sr.summary {
        facts.push(format!(
            "median {} · p10–p90 {}–{}",
            fmt_value(sr.kind, m.median),
            fmt_value(sr.kind, m.p10),
            fmt_value(sr.kind, m.p90)
        ));
        if let Some(z) = m.zone {
            facts.push(format!("zone of the mean: {}", z.name()));
        }
    }
    if let Some(e) = &sr.extra {
        facts.push(e.clone());
    }
    if let Some(d) = &sr.drift {
        facts.push(format!(
            "first ⅓ {} → last ⅓ {} ({:+.1} %)",
            fmt_value(sr.kind, d.first_third),
            fmt_value(sr.kind, d.last_third),
            d.change_pct
        ));
    }
    if bands(sr.metric).is_some() && !p.running {
        facts.push("population zones are for running".into());
    }
    let ff = font(13.5 * s);
    let title_w = text_width(&title, &tf) as i32 + (Y_AXIS_W * s * 0.15) as i32;
    let room = (r.w as i32 - title_w - (ZONE_COL_W * s) as i32 - (16.0 * s) as i32).max(0) as u32;
    // Drop facts from the front (the drift stays longest) until they fit.
    let mut shown = facts.clone();
    while !shown.is_empty() && text_width(&shown.join("   "), &ff) > room {
        shown.remove(0);
    }
    if !shown.is_empty() {
        let txt = shown.join("   ");
        let st = style(ff, palette::MUTED).pos(Pos::new(HPos::Right, VPos::Top));
        text_at(
            root,
            &txt,
            &st,
            (
                r.right() - (ZONE_COL_W * s) as i32,
                cap.y + (5.0 * s) as i32,
            ),
        )?;
    }

    // Chart.
    let area = sub_area(root, body);
    let (div, x_label) = time_unit(p.span_s);
    // The axis ends at the last record or where the last record's time ends, at least 1 s.
    let end_s = p.thirds_s.map_or(p.span_s, |t| t[3].max(p.span_s)).max(1.0);
    let x_max = end_s / div;
    // Every record or step, and where they are dense a running trimmed mean per unbroken run.
    let plot_w = body.w as f64 - (Y_AXIS_W + ZONE_COL_W) * s;
    let dense = sr.per_step || sr.points.len() as f64 > 0.5 * plot_w.max(1.0);
    // Window: about three pixels' worth of points, at least 9 steps for per-step data.
    let min_half = if sr.per_step { 4.0 } else { 2.0 };
    let half = ((sr.points.len() as f64 / plot_w.max(1.0)) * 3.0)
        .round()
        .clamp(min_half, 60.0) as usize;
    let runs_of = runs(&sr.points, p.gap_s);
    let smooth: Vec<Vec<(f64, f64)>> = if dense {
        runs_of
            .iter()
            .map(|r| running_trimmed_mean(r, half))
            .collect()
    } else {
        Vec::new()
    };
    // The axis holds the bulk of the points (1st–99th percentile), all of the smoothed line
    // and the drift means; points beyond are drawn on the edge.
    let ys: Vec<f64> = sr.points.iter().map(|q| q.1).collect();
    let (mut lo, mut hi) = y_range(&ys, min_span(sr.kind));
    let must: Vec<f64> = smooth
        .iter()
        .flatten()
        .map(|q| q.1)
        .chain(sr.drift.iter().flat_map(|d| [d.first_third, d.last_third]))
        .filter(|v| v.is_finite())
        .collect();
    if let (Some(a), Some(b)) = (
        must.iter().copied().reduce(f64::min),
        must.iter().copied().reduce(f64::max),
    ) {
        let pad = 0.05 * (hi - lo);
        lo = lo.min(a - pad);
        hi = hi.max(b + pad);
    }
    // Pace is drawn as its negative so that faster is up.
    let sign = if sr.inverted { -1.0 } else { 1.0 };
    let (ylo, yhi) = if sr.inverted { (-hi, -lo) } else { (lo, hi) };
    let axis_h = if is_last { (44.0 * s) as u32 } else { 0 };
    let mut chart = ChartBuilder::on(&area)
        .margin_right((ZONE_COL_W * s) as u32)
        .margin_top((2.0 * s) as u32)
        .x_label_area_size(axis_h)
        .y_label_area_size((Y_AXIS_W * s) as u32)
        .build_cartesian_2d(0f64..x_max, ylo..yhi)
        .map_err(draw_err)?;
    let plot_h = body.h.saturating_sub(axis_h);
    let y_ticks = tick_count(plot_h, (20.0 * s) as u32, 6);
    let x_ticks = tick_count(body.w, (90.0 * s) as u32, 14);
    let y_dec = tick_decimals(ylo, yhi, y_ticks);
    let x_dec = tick_decimals(0.0, x_max, x_ticks);
    let kind = sr.kind;
    let y_fmt = move |v: &f64| {
        if kind == SeriesKind::Pace {
            fmt_pace(v.abs())
        } else {
            format!("{v:.y_dec$}")
        }
    };
    let x_fmt = move |v: &f64| {
        if is_last {
            format!("{v:.x_dec$}")
        } else {
            String::new()
        }
    };
    let label_font = font(13.0 * s);
    let mut mesh = chart.configure_mesh();
    mesh.x_labels(x_ticks)
        .y_labels(y_ticks)
        .x_label_formatter(&x_fmt)
        .y_label_formatter(&y_fmt)
        .label_style(style(label_font.clone(), palette::INK))
        .axis_desc_style(style(font(13.0 * s), palette::INK))
        .bold_line_style(palette::GRID)
        .light_line_style(palette::BACKGROUND.mix(0.0))
        .axis_style(palette::FRAME)
        .y_desc(sr.unit);
    if is_last {
        mesh.x_desc(x_label);
    }
    mesh.draw().map_err(draw_err)?;

    let clamp = |y: f64| (sign * y).clamp(ylo, yhi);
    let to_x = |t_s: f64| (t_s / div).clamp(0.0, x_max);
    // Zone bands (running only), behind the data, named in the right-hand column.
    if let (Some(bs), true) = (bands(sr.metric), p.running) {
        for b in bs {
            let (a, c) = (b.lo.max(ylo), b.hi.min(yhi));
            if c <= a {
                continue;
            }
            chart
                .draw_series(std::iter::once(Rectangle::new(
                    [(0.0, a), (x_max, c)],
                    zone_color(b.zone).mix(0.16).filled(),
                )))
                .map_err(draw_err)?;
            let (_, ya) = chart.backend_coord(&(x_max, a));
            let (xr, yc) = chart.backend_coord(&(x_max, c));
            if (ya - yc) as f64 >= 14.0 * s {
                let st = style(font(12.5 * s), zone_color(b.zone))
                    .pos(Pos::new(HPos::Left, VPos::Center));
                text_at(
                    root,
                    b.zone.name(),
                    &st,
                    (xr + (6.0 * s) as i32, (ya + yc) / 2),
                )?;
            }
        }
    }
    // The other gait's stretches: not summarised, shaded grey and named once.
    for &(a, b) in &p.other_spans {
        let (xa, xb) = (to_x(a), to_x(b));
        if xb <= xa {
            continue;
        }
        chart
            .draw_series(std::iter::once(Rectangle::new(
                [(xa, ylo), (xb, yhi)],
                palette::THIRD_SHADE.filled(),
            )))
            .map_err(draw_err)?;
        let (pa, py) = chart.backend_coord(&(xa, yhi));
        let (pb, _) = chart.backend_coord(&(xb, yhi));
        let lf = font(12.5 * s);
        if p.series.first().is_some_and(|f| f.kind == sr.kind)
            && text_width(p.other_name, &lf) as i32 + 6 <= pb - pa
        {
            text_at(
                root,
                p.other_name,
                &style(lf, palette::MUTED),
                (pa + 3, py + (4.0 * s) as i32),
            )?;
        }
    }
    // Drift thirds: dashed boundaries and the thirds' means.
    let plot = chart.plotting_area().strip_coord_spec();
    let (px_range, py_range) = chart.plotting_area().get_pixel_range();
    if let Some([_, t1, t2, _]) = p.thirds_s {
        for t in [t1, t2] {
            let (x, _) = chart.backend_coord(&(to_x(t), ylo));
            let (bx, by) = plot.get_base_pixel();
            dashed_vline(
                &plot,
                x - bx,
                py_range.start - by,
                py_range.end - by,
                palette::MUTED,
                (4.0 * s) as i32,
            )?;
        }
    }
    let _ = px_range;
    // Data: per-step dots, or every record, with a running mean when they are dense.
    let line_w = (1.0 * s).round().max(1.0) as u32;
    let sparse = (sr.points.len() as f64) < 0.1 * plot_w;
    for (k, run) in runs_of.iter().enumerate() {
        if sr.per_step {
            chart
                .draw_series(run.iter().map(|&(t, y)| {
                    let (r, a) = if sparse { (3.0, 0.9) } else { (1.5, 0.55) };
                    Circle::new(
                        (to_x(t), clamp(y)),
                        (r * s).max(1.0) as u32,
                        palette::SKY_BLUE.mix(a).filled(),
                    )
                }))
                .map_err(draw_err)?;
        } else if dense {
            chart
                .draw_series(LineSeries::new(
                    run.iter().map(|&(t, y)| (to_x(t), clamp(y))),
                    ShapeStyle::from(&palette::SKY_BLUE.mix(0.7)).stroke_width(line_w),
                ))
                .map_err(draw_err)?;
        } else if run.len() == 1 {
            chart
                .draw_series(std::iter::once(Circle::new(
                    (to_x(run[0].0), clamp(run[0].1)),
                    (2.5 * s) as u32,
                    palette::BLUE.filled(),
                )))
                .map_err(draw_err)?;
        } else {
            let pts: Vec<(f64, f64)> = run.iter().map(|&(t, y)| (to_x(t), clamp(y))).collect();
            thick_line(&mut chart, &pts, palette::BLUE, line_w)?;
        }
        if let Some(sm) = smooth.get(k) {
            let pts: Vec<(f64, f64)> = sm.iter().map(|&(t, y)| (to_x(t), clamp(y))).collect();
            thick_line(&mut chart, &pts, palette::BLUE, line_w + 1)?;
        }
    }
    // Drift means over the first and last thirds.
    if let (Some(d), Some([t0, t1, t2, t3])) = (&sr.drift, p.thirds_s) {
        let w = (3.0 * s).round() as u32;
        for (a, b, v) in [(t0, t1, d.first_third), (t2, t3, d.last_third)] {
            chart
                .draw_series(LineSeries::new(
                    [(to_x(a), clamp(v)), (to_x(b), clamp(v))],
                    ShapeStyle::from(&palette::BLACK).stroke_width(w),
                ))
                .map_err(draw_err)?;
        }
    }
    Ok(None)
}

fn draw_events<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    r: Rect,
    input: &SessionInput<'_>,
    s: f64,
) -> Result<Option<String>, OutputError> {
    let title = "Detected events (a few seconds of the raw signal)";
    let Some(tr) = input.trace.filter(|t| !t.vertical_g.is_empty()) else {
        let reason = no_trace_reason(input.doc.raw.as_ref());
        empty_panel(root, r, title, &reason, s)?;
        return Ok(Some(reason));
    };
    frame(root, r)?;
    let pad = (8.0 * s) as i32;
    let tf = bold(15.0 * s);
    let end_s = tr.start_s + tr.vertical_g.len() as f64 / tr.sample_rate_hz;
    let head = format!(
        "Detected events: {} bout, {:.1}–{:.1} s into the recording",
        tr.activity, tr.start_s, end_s
    );
    text_at(
        root,
        &fit_text(&head, &tf, r.w.saturating_sub(2 * pad as u32)),
        &style(tf, palette::INK),
        (r.x + pad, r.y + pad),
    )?;
    // Legend.
    let lf = font(13.0 * s);
    let ly = r.y + pad + (24.0 * s) as i32;
    let mut lx = r.x + pad;
    let toe = !tr.toe_offs_s.is_empty();
    let mut legend: Vec<(RGBColor, &str, bool)> = Vec::new();
    let (top_name, top_color, bottom) = match (&tr.pitch_rate_dps, &tr.forward_g) {
        (Some(pitch), _) => (
            "pitch rate (°/s)",
            palette::BLUISH_GREEN,
            Some(("vertical (g)", palette::BLUE, pitch, true)),
        ),
        (None, Some(fwd)) => (
            "vertical (g)",
            palette::BLUE,
            Some(("forward (g)", palette::BLUISH_GREEN, fwd, false)),
        ),
        (None, None) => ("vertical (g)", palette::BLUE, None),
    };
    legend.push((top_color, top_name, false));
    if let Some((name, c, _, _)) = &bottom {
        legend.push((*c, name, false));
    }
    legend.push((palette::BLACK, "contact", true));
    if toe {
        legend.push((palette::VERMILION, "toe-off", true));
    }
    let area = sub_area(root, r);
    for (c, name, vertical) in &legend {
        let (bx, by) = area.get_base_pixel();
        let (x, y) = (lx - bx, ly - by + (8.0 * s) as i32);
        let st = ShapeStyle::from(c).stroke_width((2.0 * s).round() as u32);
        let seg = if *vertical {
            vec![
                (x + (6.0 * s) as i32, y - (7.0 * s) as i32),
                (x + (6.0 * s) as i32, y + (7.0 * s) as i32),
            ]
        } else {
            vec![(x, y), (x + (18.0 * s) as i32, y)]
        };
        area.draw(&PathElement::new(seg, st)).map_err(draw_err)?;
        lx += (24.0 * s) as i32;
        text_at(root, name, &style(lf.clone(), palette::INK), (lx, ly))?;
        lx += text_width(name, &lf) as i32 + (16.0 * s) as i32;
    }
    if toe {
        text_at(
            root,
            "shaded: stance",
            &style(lf.clone(), palette::MUTED),
            (lx, ly),
        )?;
    } else if tr.placement == Placement::Trunk {
        text_at(
            root,
            &fit_text(
                "walking: contacts only",
                &lf,
                (r.right() - lx - pad).max(0) as u32,
            ),
            &style(lf.clone(), palette::MUTED),
            (lx, ly),
        )?;
    }
    // Two stacked charts sharing the time axis.
    let top = (48.0 * s) as u32;
    let body = Rect::new(
        r.x + 1,
        r.y + top as i32,
        r.w - 2,
        r.h.saturating_sub(top + 2),
    );
    let axis_h = (40.0 * s) as u32;
    let h1 = body.h.saturating_sub(axis_h) / 2;
    let (r1, r2) = body.take_top(h1);
    let top_vals: &[f32] = match (&tr.pitch_rate_dps, bottom.is_some()) {
        (Some(p), _) => p,
        _ => &tr.vertical_g,
    };
    let stances: Vec<(f64, Option<f64>)> = tr
        .contacts_s
        .iter()
        .enumerate()
        .map(|(i, &c)| (c, tr.toe_offs_s.get(i).copied()))
        .collect();
    let thr = if tr.pitch_rate_dps.is_none() {
        tr.threshold_g
    } else {
        None
    };
    let top_unit = if tr.pitch_rate_dps.is_some() {
        "°/s"
    } else {
        "g"
    };
    match &bottom {
        Some((_, c2, _, _)) => {
            let (b_vals, b_unit): (&[f32], &str) = match (&tr.pitch_rate_dps, &tr.forward_g) {
                (Some(_), _) => (&tr.vertical_g, "g"),
                (None, Some(f)) => (f, "g"),
                (None, None) => (&tr.vertical_g, "g"),
            };
            signal_chart(
                root, r1, tr, top_vals, top_unit, top_color, thr, &stances, false, s,
            )?;
            signal_chart(root, r2, tr, b_vals, b_unit, *c2, None, &stances, true, s)?;
        }
        None => {
            signal_chart(
                root, body, tr, top_vals, top_unit, top_color, thr, &stances, true, s,
            )?;
        }
    }
    Ok(None)
}

fn no_trace_reason(raw: Option<&RawReport>) -> String {
    let Some(raw) = raw else {
        return "per-record watch data: no raw signal to show contact events".into();
    };
    match raw.placement.placement {
        Placement::Wrist | Placement::Thigh => format!(
            "a {} sensor gives cadence only: no contact or toe-off events to show",
            placement_name(raw.placement.placement)
        ),
        _ if raw.sample_rate_hz < 50.0 => format!(
            "sampled at {:.0} Hz: contact events need at least 50 Hz",
            raw.sample_rate_hz
        ),
        Placement::Foot if raw.events.is_none() => {
            "a foot sensor without a gyroscope gives cadence only: no events to show".into()
        }
        _ => "no bout of detected steps to show".into(),
    }
}

#[allow(clippy::too_many_arguments)]
fn signal_chart<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    r: Rect,
    tr: &EventTrace,
    vals: &[f32],
    unit: &str,
    color: RGBColor,
    threshold: Option<f64>,
    stances: &[(f64, Option<f64>)],
    with_axis: bool,
    s: f64,
) -> Result<(), OutputError> {
    let area = sub_area(root, r);
    let dt = 1.0 / tr.sample_rate_hz;
    let t_end = tr.start_s + vals.len().max(2) as f64 * dt;
    let mut lo = vals.iter().copied().fold(f32::INFINITY, f32::min) as f64;
    let mut hi = vals.iter().copied().fold(f32::NEG_INFINITY, f32::max) as f64;
    if !(lo.is_finite() && hi.is_finite()) {
        (lo, hi) = (0.0, 1.0);
    }
    if let Some(t) = threshold {
        lo = lo.min(t);
        hi = hi.max(t);
    }
    let pad = 0.08 * (hi - lo).max(1e-3);
    let (lo, hi) = (lo - pad, hi + pad);
    let axis_h = if with_axis { (40.0 * s) as u32 } else { 0 };
    let mut chart = ChartBuilder::on(&area)
        .margin_right((12.0 * s) as u32)
        .margin_top((4.0 * s) as u32)
        .x_label_area_size(axis_h)
        .y_label_area_size((62.0 * s) as u32)
        .build_cartesian_2d(tr.start_s..t_end, lo..hi)
        .map_err(draw_err)?;
    let x_ticks = tick_count(r.w, (80.0 * s) as u32, 10);
    let y_ticks = tick_count(r.h.saturating_sub(axis_h), (24.0 * s) as u32, 5);
    let y_dec = tick_decimals(lo, hi, y_ticks);
    let x_dec = tick_decimals(tr.start_s, t_end, x_ticks);
    let y_fmt = move |v: &f64| format!("{v:.y_dec$}");
    let x_fmt = move |v: &f64| {
        if with_axis {
            format!("{v:.x_dec$}")
        } else {
            String::new()
        }
    };
    let mut mesh = chart.configure_mesh();
    mesh.x_labels(x_ticks)
        .y_labels(y_ticks)
        .x_label_formatter(&x_fmt)
        .y_label_formatter(&y_fmt)
        .label_style(style(font(13.0 * s), palette::INK))
        .axis_desc_style(style(font(13.0 * s), palette::INK))
        .bold_line_style(palette::GRID)
        .light_line_style(palette::BACKGROUND.mix(0.0))
        .axis_style(palette::FRAME)
        .y_desc(unit);
    if with_axis {
        mesh.x_desc("time in the recording (s)");
    }
    mesh.draw().map_err(draw_err)?;
    // Stance shading.
    for &(c, t) in stances {
        if let Some(t) = t {
            chart
                .draw_series(std::iter::once(Rectangle::new(
                    [(c.max(tr.start_s), lo), (t.min(t_end), hi)],
                    palette::SKY_BLUE.mix(0.22).filled(),
                )))
                .map_err(draw_err)?;
        }
    }
    if let Some(th) = threshold {
        let plot = chart.plotting_area().strip_coord_spec();
        let (bx, by) = plot.get_base_pixel();
        let (x0, y) = chart.backend_coord(&(tr.start_s, th));
        let (x1, _) = chart.backend_coord(&(t_end, th));
        dashed_hline(
            &plot,
            y - by,
            x0 - bx,
            x1 - bx,
            palette::MUTED,
            (5.0 * s) as i32,
        )?;
    }
    let w = (1.5 * s).round().max(1.0) as u32;
    let pts: Vec<(f64, f64)> = vals
        .iter()
        .enumerate()
        .filter(|(_, v)| v.is_finite())
        .map(|(i, v)| (tr.start_s + i as f64 * dt, *v as f64))
        .collect();
    thick_line(&mut chart, &pts, color, w)?;
    for &(c, t) in stances {
        chart
            .draw_series(std::iter::once(PathElement::new(
                vec![(c, lo), (c, hi)],
                ShapeStyle::from(&palette::BLACK).stroke_width(w),
            )))
            .map_err(draw_err)?;
        if let Some(t) = t {
            chart
                .draw_series(std::iter::once(PathElement::new(
                    vec![(t, lo), (t, hi)],
                    ShapeStyle::from(&palette::VERMILION).stroke_width(w),
                )))
                .map_err(draw_err)?;
        }
    }
    Ok(())
}

fn draw_histogram<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    r: Rect,
    p: &Prepared,
    s: f64,
) -> Result<Option<String>, OutputError> {
    let title = "Ground contact time: distribution";
    if let Some(reason) = &p.contact_empty {
        empty_panel(root, r, title, reason, s)?;
        return Ok(Some(reason.clone()));
    }
    frame(root, r)?;
    let pad = (8.0 * s) as i32;
    let mut v = p.contact_ms.clone();
    v.sort_by(f64::total_cmp);
    let q = |x: f64| v[((v.len() - 1) as f64 * x).round() as usize];
    let median = q(0.5);
    let (a, b) = (q(0.005), q(0.995));
    let step = nice_step((b - a).max(10.0), 24).max(2.0);
    let lo = (a / step).floor() * step;
    let hi = ((b / step).floor() + 1.0) * step;
    let nb = (((hi - lo) / step).round() as usize).max(1);
    let mut counts = vec![0usize; nb];
    let mut outside = 0usize;
    for &x in &v {
        if x < lo || x >= hi {
            outside += 1;
            continue;
        }
        counts[(((x - lo) / step) as usize).min(nb - 1)] += 1;
    }
    let max_c = counts.iter().copied().max().unwrap_or(1).max(1) as f64;
    let tf = bold(15.0 * s);
    let what = if p.series.first().is_some_and(|x| x.per_step) {
        "steps"
    } else {
        "records"
    };
    text_at(
        root,
        title,
        &style(tf.clone(), palette::INK),
        (r.x + pad, r.y + pad),
    )?;
    let mut note = format!("median {median:.0} ms · {} {what}", v.len());
    if outside > 0 {
        note.push_str(&format!(" · {outside} outside the axis"));
    }
    let nf = font(13.5 * s);
    let room = (r.w as i32 - 3 * pad - text_width(title, &tf) as i32).max(0) as u32;
    if text_width(&note, &nf) <= room {
        let st = style(nf, palette::MUTED).pos(Pos::new(HPos::Right, VPos::Top));
        text_at(
            root,
            &note,
            &st,
            (r.right() - pad, r.y + pad + (2.0 * s) as i32),
        )?;
    }
    let body = Rect::new(
        r.x + 1,
        r.y + (30.0 * s) as i32,
        r.w - 2,
        r.h.saturating_sub((32.0 * s) as u32),
    );
    let area = sub_area(root, body);
    let mut chart = ChartBuilder::on(&area)
        .margin_right((14.0 * s) as u32)
        .x_label_area_size((40.0 * s) as u32)
        .y_label_area_size((62.0 * s) as u32)
        .build_cartesian_2d(lo..hi, 0f64..max_c * 1.08)
        .map_err(draw_err)?;
    let x_ticks = tick_count(body.w, (70.0 * s) as u32, 10);
    let y_ticks = tick_count(body.h, (28.0 * s) as u32, 5);
    let y_fmt = |v: &f64| format!("{v:.0}");
    let x_fmt = |v: &f64| format!("{v:.0}");
    chart
        .configure_mesh()
        .x_labels(x_ticks)
        .y_labels(y_ticks)
        .x_label_formatter(&x_fmt)
        .y_label_formatter(&y_fmt)
        .label_style(style(font(13.0 * s), palette::INK))
        .axis_desc_style(style(font(13.0 * s), palette::INK))
        .bold_line_style(palette::GRID)
        .light_line_style(palette::BACKGROUND.mix(0.0))
        .axis_style(palette::FRAME)
        .x_desc("ground contact time (ms)")
        .y_desc(what)
        .draw()
        .map_err(draw_err)?;
    if p.running {
        if let Some(bs) = bands("ground_contact_ms") {
            for bd in bs {
                let (x0, x1) = (bd.lo.max(lo), bd.hi.min(hi));
                if x1 > x0 {
                    chart
                        .draw_series(std::iter::once(Rectangle::new(
                            [(x0, 0.0), (x1, max_c * 1.08)],
                            zone_color(bd.zone).mix(0.14).filled(),
                        )))
                        .map_err(draw_err)?;
                }
            }
        }
    }
    chart
        .draw_series(
            counts
                .iter()
                .enumerate()
                .filter(|c| *c.1 > 0)
                .map(|(i, &c)| {
                    let x0 = lo + i as f64 * step;
                    Rectangle::new(
                        [(x0, 0.0), (x0 + step, c as f64)],
                        palette::BLUE.mix(0.85).filled(),
                    )
                }),
        )
        .map_err(draw_err)?;
    chart
        .draw_series(std::iter::once(PathElement::new(
            vec![(median, 0.0), (median, max_c * 1.08)],
            ShapeStyle::from(&palette::BLACK).stroke_width((2.0 * s) as u32),
        )))
        .map_err(draw_err)?;
    Ok(None)
}

fn indicator_name(id: &str) -> String {
    match id {
        "cadence_below_reference_pct" => "cadence below reference".into(),
        "contact_above_reference_pct" => "contact time above reference".into(),
        "braking_g" => "braking peak".into(),
        "step_speed_loss_mps" => "speed lost per step".into(),
        "duty_factor_pct" => "duty factor".into(),
        "step_length_per_leg_length" => "step length / leg length".into(),
        "vertical_stiffness_kn_per_m" => "vertical stiffness".into(),
        "leg_stiffness_kn_per_m" => "leg stiffness".into(),
        "contact_length_per_leg_length" => "contact length / leg length".into(),
        other => other.replace('_', " "),
    }
}

pub(crate) fn factor_name(id: &str) -> String {
    match id {
        "low_cadence" => "low cadence".into(),
        "overstriding_braking" => "overstriding (braking)".into(),
        "long_contact" | "long_contact_absolute" => "long ground contact".into(),
        "high_vertical_ratio" => "high vertical ratio".into(),
        "high_vertical_oscillation" => "high vertical oscillation".into(),
        "gct_imbalance" => "left/right imbalance".into(),
        "cadence_drop" => "cadence drop (fatigue)".into(),
        "contact_rise" => "contact rise (fatigue)".into(),
        "no_warmup" => "no warm-up".into(),
        "forefoot_strike" => "forefoot strike".into(),
        "shoe_drop_decrease" => "lower-drop shoe".into(),
        "prior_calf_strain" => "previous calf strain".into(),
        "acute_chronic_ratio" => "acute:chronic ratio".into(),
        "long_run_spike" => "long-run spike".into(),
        other => other.replace('_', " "),
    }
}

fn draw_overstriding<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    r: Rect,
    doc: &SessionDoc,
    s: f64,
) -> Result<(), OutputError> {
    frame(root, r)?;
    let pad = (8.0 * s) as i32;
    let inner = r.w.saturating_sub(2 * pad as u32);
    let tf = bold(15.0 * s);
    text_at(
        root,
        "Overstriding",
        &style(tf.clone(), palette::INK),
        (r.x + pad, r.y + pad),
    )?;
    let lh = (19.0 * s) as i32;
    let bf = font(14.0 * s);
    let Some(ov) = &doc.overstriding else {
        text_at(
            root,
            "not assessed",
            &style(bf, palette::MUTED),
            (r.x + pad, r.y + pad + lh + (4.0 * s) as i32),
        )?;
        return Ok(());
    };
    let mut lines: Vec<(String, RGBColor)> = Vec::new();
    let mut verdict = ov.verdict.clone();
    if let Some(x) = ov.index {
        verdict.push_str(&format!(" (index {x:.2}, {} confidence)", ov.confidence));
    }
    let vf = bold(14.0 * s);
    let vcol = match ov.index {
        Some(x) if x >= 0.6 => palette::VERMILION,
        Some(x) if x >= 0.25 => palette::ORANGE,
        Some(_) => palette::BLUISH_GREEN,
        None => palette::MUTED,
    };
    let vlines = wrap_text(&verdict, &vf, inner);
    let mut y = r.y + pad + lh + (4.0 * s) as i32;
    let max_lines = ((r.bottom() - y - pad) / lh).max(1) as usize;
    y = draw_lines(
        root,
        &vlines,
        &style(vf, vcol),
        (r.x + pad, y),
        lh,
        max_lines.min(2),
    )?;
    for i in &ov.indicators {
        let (mark, col) = match i.flagged {
            Some(true) => ("▲", palette::VERMILION),
            Some(false) => ("✓", palette::BLUISH_GREEN),
            None => ("·", palette::MUTED),
        };
        let dp = if i.unit == "g" || i.unit == "m/s" {
            2
        } else {
            1
        };
        let reference = match i.reference {
            Some(v) => format!(" · flagged from {v:.dp$}"),
            None => " · no published cut-off".to_string(),
        };
        lines.push((
            format!(
                "{mark} {}: {:.dp$} {}{reference}",
                indicator_name(i.id),
                i.value,
                i.unit
            ),
            col,
        ));
    }
    if !ov.not_assessed.is_empty() {
        let names: Vec<String> = ov
            .not_assessed
            .iter()
            .map(|m| indicator_name(m.id))
            .collect();
        let text = format!("not assessed: {}", names.join(", "));
        for l in wrap_text(&text, &bf, inner) {
            lines.push((l, palette::MUTED));
        }
    }
    let room = ((r.bottom() - y - pad / 2) / lh).max(0) as usize;
    let total = lines.len();
    for (k, (l, c)) in lines.into_iter().enumerate().take(room) {
        let text = if k + 1 == room && total > room {
            format!("+ {} more line(s): see --json", total - k)
        } else {
            fit_text(&l, &bf, inner)
        };
        text_at(root, &text, &style(bf.clone(), c), (r.x + pad, y))?;
        y += lh;
    }
    Ok(())
}

fn draw_risk<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    r: Rect,
    input: &SessionInput<'_>,
    s: f64,
) -> Result<(), OutputError> {
    frame(root, r)?;
    let pad = (8.0 * s) as i32;
    let tf = bold(15.0 * s);
    text_at(
        root,
        "Calf-strain risk indicator",
        &style(tf, palette::INK),
        (r.x + pad, r.y + pad),
    )?;
    let Some(risk) = &input.doc.risk else {
        text_at(
            root,
            "not assessed",
            &style(font(14.0 * s), palette::MUTED),
            (r.x + pad, r.y + pad + (24.0 * s) as i32),
        )?;
        return Ok(());
    };
    let (mod_at, high_at) = input.risk_levels;
    let level_color = |v: f64| {
        if v >= high_at {
            palette::VERMILION
        } else if v >= mod_at {
            palette::ORANGE
        } else {
            palette::BLUISH_GREEN
        }
    };
    // Gauge: a half ring from 0 (left) to 100 (right).
    let gw = ((r.w as f64 * 0.33).min(230.0 * s)) as i32;
    let radius = (gw / 2 - pad).max(10);
    let cx = r.x + pad + gw / 2;
    let cy = r.y + (34.0 * s) as i32 + radius;
    let ring = (radius as f64 * 0.28).max(6.0);
    let area = sub_area(root, r);
    let (bx, by) = area.get_base_pixel();
    let pt = |v: f64, rad: f64| {
        let a = std::f64::consts::PI * (1.0 - v / 100.0);
        (
            cx - bx + (rad * a.cos()).round() as i32,
            cy - by - (rad * a.sin()).round() as i32,
        )
    };
    for (a, b) in [(0.0, mod_at), (mod_at, high_at), (high_at, 100.0)] {
        let (a, b) = (a.clamp(0.0, 100.0), b.clamp(0.0, 100.0));
        if b <= a {
            continue;
        }
        let steps = ((b - a) / 2.0).ceil().max(1.0) as usize;
        let mut poly: Vec<(i32, i32)> = (0..=steps)
            .map(|k| pt(a + (b - a) * k as f64 / steps as f64, radius as f64))
            .collect();
        poly.extend(
            (0..=steps)
                .rev()
                .map(|k| pt(a + (b - a) * k as f64 / steps as f64, radius as f64 - ring)),
        );
        area.draw(&Polygon::new(
            poly,
            level_color(0.5 * (a + b)).mix(0.85).filled(),
        ))
        .map_err(draw_err)?;
    }
    let score = (risk.score as f64).clamp(0.0, 100.0);
    // Nothing assessed (a walk, a file without running form): no needle, no level.
    let assessed = !risk.factors.is_empty();
    if assessed {
        area.draw(&PathElement::new(
            vec![pt(score, 0.0), pt(score, radius as f64 + 4.0 * s)],
            ShapeStyle::from(&palette::BLACK).stroke_width((3.0 * s) as u32),
        ))
        .map_err(draw_err)?;
        area.draw(&Circle::new(
            pt(score, 0.0),
            (5.0 * s) as u32,
            palette::BLACK.filled(),
        ))
        .map_err(draw_err)?;
    }
    let small = font(12.5 * s);
    for (v, anchor) in [(0.0, HPos::Left), (100.0, HPos::Right)] {
        let (x, y) = pt(v, radius as f64);
        text_at(
            root,
            &format!("{v:.0}"),
            &style(small.clone(), palette::MUTED).pos(Pos::new(anchor, VPos::Top)),
            (x + bx, y + by + (4.0 * s) as i32),
        )?;
    }
    let sf = bold(26.0 * s);
    let (big, level, level_col) = if assessed {
        (
            format!("{}/100", risk.score),
            format!("{} risk", risk.level.name()),
            level_color(score),
        )
    } else {
        ("–".to_string(), "not assessed".to_string(), palette::MUTED)
    };
    text_at(
        root,
        &big,
        &style(sf, palette::INK).pos(Pos::new(HPos::Center, VPos::Top)),
        (cx, cy + (16.0 * s) as i32),
    )?;
    text_at(
        root,
        &level,
        &style(bold(15.0 * s), level_col).pos(Pos::new(HPos::Center, VPos::Top)),
        (cx, cy + (48.0 * s) as i32),
    )?;
    let levels = format!("low < {mod_at:.0} ≤ moderate < {high_at:.0} ≤ high");
    text_at(
        root,
        &fit_text(&levels, &small, gw as u32),
        &style(small.clone(), palette::MUTED).pos(Pos::new(HPos::Center, VPos::Top)),
        (cx, cy + (70.0 * s) as i32),
    )?;
    let gauge_bottom = cy + (90.0 * s) as i32;

    // Factor bars right of the gauge.
    let bx0 = r.x + pad + gw + (10.0 * s) as i32;
    let bw = (r.right() - pad - bx0).max(20);
    let lf = font(13.5 * s);
    let mut y = r.y + pad + (26.0 * s) as i32;
    text_at(
        root,
        "points per factor (bar: of its maximum)",
        &style(small.clone(), palette::MUTED),
        (bx0, y),
    )?;
    y += (20.0 * s) as i32;
    let scored: Vec<_> = risk
        .factors
        .iter()
        .filter(|f| f.points >= 0.05 || (f.kind == "modifier" && f.value > 1.0))
        .collect();
    let row = (22.0 * s) as i32;
    let max_rows = ((gauge_bottom.max(r.y + r.h as i32 / 2) - y) / row).max(1) as usize;
    if scored.is_empty() {
        let msg = if assessed {
            format!(
                "no factor scored points: {} assessed at 0, {} not assessed",
                risk.factors.len(),
                risk.not_assessed.len()
            )
        } else {
            format!(
                "none of the {} factors could be assessed from this file",
                risk.not_assessed.len()
            )
        };
        let lines = wrap_text(&msg, &lf, bw as u32);
        y = draw_lines(
            root,
            &lines,
            &style(lf.clone(), palette::INK),
            (bx0, y),
            (19.0 * s) as i32,
            3,
        )?;
    }
    for (k, f) in scored.iter().enumerate().take(max_rows) {
        if k + 1 == max_rows && scored.len() > max_rows {
            text_at(
                root,
                &format!(
                    "+ {} more factors (gaitguard analyze --explain)",
                    scored.len() - k
                ),
                &style(lf.clone(), palette::MUTED),
                (bx0, y),
            )?;
            break;
        }
        let value = if f.kind == "modifier" {
            format!("×{:.2}", f.value)
        } else {
            format!("+{:.1} of {:.0}", f.points, f.max_points)
        };
        // One row: name, bar (points of the factor's maximum), value.
        let name_w = (bw as f64 * 0.42) as i32;
        let val_w = text_width("+10.0 of 20", &lf) as i32 + (12.0 * s) as i32;
        let name = fit_text(
            &factor_name(f.id),
            &lf,
            (name_w - (6.0 * s) as i32).max(10) as u32,
        );
        text_at(root, &name, &style(lf.clone(), palette::INK), (bx0, y))?;
        text_at(
            root,
            &value,
            &style(lf.clone(), palette::INK).pos(Pos::new(HPos::Right, VPos::Top)),
            (bx0 + bw, y),
        )?;
        let bar_w = (bw - name_w - val_w).max(10);
        let bar_h = (11.0 * s).max(3.0) as i32;
        let bar_y = y - by;
        let x0 = bx0 + name_w - bx;
        area.draw(&Rectangle::new(
            [(x0, bar_y), (x0 + bar_w, bar_y + bar_h)],
            palette::GRID.filled(),
        ))
        .map_err(draw_err)?;
        let frac = if f.max_points > 0.0 {
            (f.points / f.max_points).clamp(0.0, 1.0)
        } else {
            1.0
        };
        let c = if f.kind == "modifier" {
            palette::REDDISH_PURPLE
        } else {
            palette::BLUE
        };
        area.draw(&Rectangle::new(
            [
                (x0, bar_y),
                (x0 + (bar_w as f64 * frac).round() as i32, bar_y + bar_h),
            ],
            c.filled(),
        ))
        .map_err(draw_err)?;
        y += row;
    }

    // Advice for the factors that scored: beside the gauge under the bars while there is
    // room there, then across the panel.
    let af = font(14.0 * s);
    let lh = (19.0 * s) as i32;
    let inner = r.w.saturating_sub(2 * pad as u32);
    let mut paragraphs: Vec<String> = risk
        .factors
        .iter()
        .filter(|f| f.points >= 0.5)
        .map(|f| format!("• {}: {}", factor_name(f.id), f.advice))
        .collect();
    if paragraphs.is_empty() && !assessed {
        paragraphs.push(
            risk.not_assessed
                .first()
                .map(|n| format!("Why: {}.", n.reason))
                .unwrap_or_default(),
        );
    }
    if paragraphs.is_empty() {
        paragraphs.push(format!(
            "Nothing to change from this session's data. {} factor(s) could not be assessed (gaitguard analyze --explain says why).",
            risk.not_assessed.len()
        ));
    }
    let beside = y + (6.0 * s) as i32 + 3 * lh <= gauge_bottom;
    let (mut x, mut y, mut width) = if beside {
        (bx0, y + (6.0 * s) as i32, bw as u32)
    } else {
        (r.x + pad, gauge_bottom.max(y) + (6.0 * s) as i32, inner)
    };
    text_at(
        root,
        "What to do",
        &style(bold(14.0 * s), palette::INK),
        (x, y),
    )?;
    y += lh;
    let bottom = r.bottom() - pad / 2;
    let ink = style(af.clone(), palette::INK);
    let n_par = paragraphs.len();
    'paragraphs: for (pi, para) in paragraphs.iter().enumerate() {
        let mut words = para.split_whitespace().peekable();
        while words.peek().is_some() {
            if y >= gauge_bottom && x != r.x + pad {
                (x, width) = (r.x + pad, inner);
            }
            if y + lh > bottom {
                break 'paragraphs;
            }
            let mut line = String::new();
            while let Some(w) = words.peek() {
                let cand = if line.is_empty() {
                    (*w).to_string()
                } else {
                    format!("{line} {w}")
                };
                if text_width(&cand, &af) <= width || line.is_empty() {
                    line = fit_text(&cand, &af, width);
                    words.next();
                } else {
                    break;
                }
            }
            let last_room = y + 2 * lh > bottom;
            if last_room && (words.peek().is_some() || pi + 1 < n_par) {
                let more = if pi + 1 < n_par {
                    format!(" … (+{} more: --explain)", n_par - pi - 1)
                } else {
                    " …".to_string()
                };
                let keep = fit_text(&line, &af, width.saturating_sub(text_width(&more, &af)));
                line = format!("{}{more}", keep.trim_end_matches('…'));
            }
            text_at(root, &line, &ink, (x, y))?;
            y += lh;
        }
    }
    Ok(())
}

fn draw_table<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    r: Rect,
    doc: &SessionDoc,
    s: f64,
) -> Result<(), OutputError> {
    frame(root, r)?;
    let pad = (8.0 * s) as i32;
    let tf = bold(15.0 * s);
    text_at(
        root,
        &format!("Metrics of the {} records", doc.summary.metrics_from.name()),
        &style(tf, palette::INK),
        (r.x + pad, r.y + pad),
    )?;
    let hf = bold(13.5 * s);
    let bf = font(14.0 * s);
    let cols = [0.0, 0.42, 0.60, 0.84];
    let inner = r.w as f64 - 2.0 * pad as f64;
    let col_x = |i: usize| r.x + pad + (cols[i] * inner) as i32;
    let lh = (19.0 * s) as i32;
    let mut y = r.y + pad + (26.0 * s) as i32;
    for (i, h) in ["metric", "median", "p10–p90", "zone"].iter().enumerate() {
        text_at(root, h, &style(hf.clone(), palette::MUTED), (col_x(i), y))?;
    }
    y += lh;
    // The session's metrics except temperature (a condition, not running form).
    let rows: Vec<(&str, MetricSummary)> = crate::metrics::CORE_METRICS
        .into_iter()
        .filter(|m| *m != "temperature_c")
        .filter_map(|m| {
            doc.summary
                .metrics
                .get(m)
                .copied()
                .flatten()
                .map(|x| (m, x))
        })
        .collect();
    if rows.is_empty() {
        text_at(
            root,
            "no metric could be computed from this file",
            &style(bf, palette::MUTED),
            (r.x + pad, y),
        )?;
        return Ok(());
    }
    let room = ((r.bottom() - y - pad / 2) / lh).max(0) as usize;
    let total = rows.len();
    for (k, (m, x)) in rows.into_iter().enumerate().take(room) {
        if k + 1 == room && total > room {
            text_at(
                root,
                &format!("+ {} more metric(s): see the terminal summary", total - k),
                &style(bf.clone(), palette::MUTED),
                (r.x + pad, y),
            )?;
            break;
        }
        let (label, unit, dp) = crate::report::terminal::label(m);
        let (med, range) = if m == "speed_mps" {
            (
                format!("{} /km", fmt_pace(1000.0 / 60.0 / x.median)),
                format!(
                    "{}–{}",
                    fmt_pace(1000.0 / 60.0 / x.p90),
                    fmt_pace(1000.0 / 60.0 / x.p10)
                ),
            )
        } else {
            (
                format!("{:.dp$} {unit}", x.median),
                format!("{:.dp$}–{:.dp$}", x.p10, x.p90),
            )
        };
        let name = if m == "speed_mps" { "pace" } else { label };
        let name = if x.derived {
            format!("{name} (derived)")
        } else {
            name.to_string()
        };
        let cells = [name, med, range];
        for (i, c) in cells.iter().enumerate() {
            let w = ((cols.get(i + 1).copied().unwrap_or(1.0) - cols[i]) * inner) as u32;
            text_at(
                root,
                &fit_text(c, &bf, w.saturating_sub(6)),
                &style(bf.clone(), palette::INK),
                (col_x(i), y),
            )?;
        }
        if let Some(z) = x.zone {
            let area = sub_area(root, r);
            let (bx, by) = area.get_base_pixel();
            let sq = (12.0 * s) as i32;
            let x0 = col_x(3) - bx;
            let y0 = y - by - (4.0 * s) as i32;
            area.draw(&Rectangle::new(
                [(x0, y0), (x0 + sq, y0 + sq)],
                zone_color(z).filled(),
            ))
            .map_err(draw_err)?;
            text_at(
                root,
                z.name(),
                &style(bf.clone(), palette::INK),
                (col_x(3) + sq + (6.0 * s) as i32, y),
            )?;
        }
        y += lh;
    }
    Ok(())
}

fn draw_footer<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    r: Rect,
    doc: &SessionDoc,
    s: f64,
) -> Result<(), OutputError> {
    let sources = "How to read it and sources: coloured bands are Garmin's Running Dynamics population zones \
        (owner's manuals); light blue is every record or step, dark blue their running mean (middle 60 % of each window); dashed lines cut the \
        analysed time in thirds and black bars are the first- and last-third means (drift); contacts come from the \
        trunk threshold method (Auvinet 2002, Wixted 2010) with Lee 2010 toe-off, or the foot gyroscope (Falbriard 2018); \
        each risk factor's citation is in gaitguard analyze --explain.";
    let risk = doc.risk.as_ref();
    super::draw_footer(
        root,
        r,
        risk.map(|x| x.disclaimer),
        risk.map(|x| x.see_a_clinician),
        sources,
        FOOTER_LINES,
        s,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::zones::zone;

    #[test]
    fn drawn_bands_agree_with_the_zone_table() {
        for metric in [
            "cadence_spm",
            "ground_contact_ms",
            "vertical_oscillation_cm",
            "vertical_ratio_pct",
            "gct_balance_left_pct",
        ] {
            let bs = bands(metric).unwrap();
            for b in bs {
                // Just inside each edge, and the middle of finite bands.
                let eps = 1e-6;
                let probes: Vec<f64> = [b.lo + eps, b.hi - eps, 0.5 * (b.lo + b.hi)]
                    .into_iter()
                    .filter(|x| x.is_finite())
                    .collect();
                for v in probes {
                    assert_eq!(zone(metric, v), Some(b.zone), "{metric} {v}");
                }
            }
            // Contiguous.
            for w in bs.windows(2) {
                assert_eq!(w[0].hi, w[1].lo, "{metric}");
            }
        }
    }

    #[test]
    fn robust_range_ignores_a_spike_and_keeps_a_minimum_span() {
        let mut v: Vec<f64> = (0..500).map(|i| 170.0 + (i % 5) as f64).collect();
        v.push(255.0);
        let (lo, hi) = y_range(&v, 12.0);
        assert!(lo > 150.0 && hi < 200.0, "{lo} {hi}");
        let (lo, hi) = y_range(&[170.0; 10], 12.0);
        assert!((hi - lo - 12.0).abs() < 1e-9);
        assert_eq!(y_range(&[], 5.0), (0.0, 1.0));
    }

    #[test]
    fn gaps_break_lines_and_the_median_is_centred() {
        let pts = vec![(0.0, 1.0), (1.0, 2.0), (30.0, 3.0), (31.0, 4.0)];
        assert_eq!(runs(&pts, 10.0).len(), 2);
        assert!(runs(&[], 10.0).is_empty());
        // Alternating step values average out; a glitch in a window of 11 is trimmed.
        let alt: Vec<(f64, f64)> = (0..40)
            .map(|i| (i as f64, if i % 2 == 0 { 140.0 } else { 180.0 }))
            .collect();
        let m = running_trimmed_mean(&alt, 5);
        assert!(m[10..30].iter().all(|p| (p.1 - 160.0).abs() < 4.0), "{m:?}");
        let mut g = vec![(0.0, 170.0); 11];
        g[5].1 = 250.0;
        assert_eq!(running_trimmed_mean(&g, 5)[5].1, 170.0);
    }
}
