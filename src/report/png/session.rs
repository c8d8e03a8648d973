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

use super::page::{Page, PageGrid, Sheet, draw_page, render_page, stack, write_page};
use super::panel::{Panel, XyChart, axis_style, level_bands, level_color, level_of};
use super::{
    Rect, abbreviate_middle, bold, dashed_hline, dashed_vline, draw_err, draw_lines, fit_text,
    font, nice_step, palette, scale_of, style, sub_area, text_at, text_width, tick_count,
    tick_decimals, time_unit, wrap_text,
};
use crate::error::OutputError;
use crate::gait::{EventTrace, RawReport};
use crate::metrics::activity::{self, Activity};
use crate::metrics::{MetricSummary, drift::Drift};
use crate::recording::{Channel, Placement, Recording};
use crate::report::terminal::clock;
use crate::risk::overstriding::Indicator;
use crate::risk::{Factor, RiskAssessment};
use crate::session::SessionDoc;
use crate::vocab::{Band, Zone};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::FontDesc;
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

/// What was drawn in one panel of the session page.
pub type PanelReport = super::page::PanelReport<PanelKind>;

// ───────────────────────────── zone bands ─────────────────────────────

/// Garmin's Running Dynamics colour bands of a metric (owner's manuals), from the shared
/// metric table ([`crate::vocab::METRICS`]).
pub fn bands(metric: &str) -> Option<&'static [Band]> {
    crate::vocab::metric_by_name(metric)?.bands
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

/// Slowest speed drawn as pace, m/s (16:40 min/km): slower is standing about, not running,
/// and would stretch the pace axis.
const SLOWEST_PACE_MPS: f64 = 1.0;

/// Whether `v` is drawn: inside the metric's plausible range of the shared metric table
/// ([`crate::vocab::MetricDef::is_plausible`]; what lies outside is a glitch), and for speed
/// at least [`SLOWEST_PACE_MPS`]. Any finite value of a metric not in the table.
fn plausible(metric: &str, v: f64) -> bool {
    match crate::vocab::metric_by_name(metric) {
        Some(m) => m.is_plausible(v) && (m.channel != Channel::SpeedMps || v >= SLOWEST_PACE_MPS),
        None => v.is_finite(),
    }
}

fn withheld_reason(raw: Option<&RawReport>, metric: &str) -> Option<String> {
    raw?.withheld
        .iter()
        .find(|w| w.metric == metric)
        .map(|w| format!("withheld: {}", w.reason))
}

/// The records the page draws from: the analysed time of the recording, its timeline and
/// the gait the summary is of.
struct Scope<'a> {
    /// The per-record series.
    s: &'a crate::recording::Series,
    doc: &'a SessionDoc,
    /// The activity timeline, when the recording has one.
    tl: Option<activity::Timeline>,
    /// Records in scope with a finite time, in order.
    idx: Vec<usize>,
    /// Times of the first and last of them, s.
    t0: f64,
    t_end: f64,
    /// A gap longer than this breaks a line, s.
    gap_s: f64,
    /// The gait the metrics are summarised from.
    from: Activity,
    running: bool,
    /// Per-step data (raw files).
    per_step: bool,
}

impl<'a> Scope<'a> {
    /// The scope of `input`: records in the analysed sessions and outside pauses; lines break
    /// at gaps over five median intervals (at least 10 s).
    fn of(input: &SessionInput<'a>) -> Self {
        let s = &input.recording.series;
        let tl = activity::timeline(input.recording).ok();
        let in_scope = |i: usize| tl.as_ref().is_none_or(|t| t.in_scope[i]);
        let idx: Vec<usize> = (0..s.len())
            .filter(|&i| in_scope(i) && s.time_s[i].is_finite())
            .collect();
        let t0 = idx.first().map(|&i| s.time_s[i]).unwrap_or(0.0);
        let t_end = idx.last().map(|&i| s.time_s[i]).unwrap_or(0.0);
        let median_dt = tl.as_ref().map(|t| t.median_interval_s).unwrap_or(1.0);
        let from = input.doc.summary.metrics_from;
        Scope {
            s,
            doc: input.doc,
            tl,
            idx,
            t0,
            t_end,
            gap_s: (5.0 * median_dt).max(10.0),
            from,
            running: from == Activity::Running,
            per_step: input.doc.raw.is_some(),
        }
    }

    /// Whether record `i` is of the summarised gait (running, or walking for a walk).
    fn class_ok(&self, i: usize) -> bool {
        self.from == Activity::Still || self.tl.as_ref().is_none_or(|t| t.class[i] == self.from)
    }

    /// The plausible values of `ch` in scope as (elapsed s, `map(value)`); for a form metric
    /// (`form`), only the records of the summarised gait.
    fn collect(
        &self,
        ch: Channel,
        metric: &str,
        form: bool,
        map: &dyn Fn(f64) -> f64,
    ) -> Vec<(f64, f64)> {
        let Some(v) = self.s.get(ch) else {
            return Vec::new();
        };
        self.idx
            .iter()
            .filter(|&&i| plausible(metric, v[i]) && (!form || self.class_ok(i)))
            .map(|&i| (self.s.time_s[i] - self.t0, map(v[i])))
            .collect()
    }

    fn summary(&self, metric: &str) -> Option<MetricSummary> {
        self.doc.summary.metrics.get(metric).copied().flatten()
    }

    fn drift(&self, metric: &str) -> Option<Drift> {
        self.doc.summary.drift.get(metric).copied().flatten()
    }

    fn raw(&self) -> Option<&'a RawReport> {
        self.doc.raw.as_ref()
    }
}

fn prepare(input: &SessionInput<'_>) -> Prepared {
    let sc = Scope::of(input);
    let (other_spans, other_name) = other_gait(&sc);
    let mut series = form_series(&sc);
    series.extend(pace_series(&sc));
    series.extend(context_series(&sc));
    // Panels with data first; the labelled empty ones, drawn compact, after them.
    series.sort_by_key(|x| x.empty.is_some());
    let contact_ms = contact_times(&sc);
    let contact_empty = contact_ms.is_empty().then(|| no_contact_reason(&sc));
    Prepared {
        series,
        span_s: (sc.t_end - sc.t0).max(0.0),
        thirds_s: thirds_of(&sc),
        other_spans,
        other_name,
        gap_s: sc.gap_s,
        contact_ms,
        contact_empty,
        running: sc.running,
    }
}

/// Thirds of the analysed time, as the metrics stage cuts them ([`cut_in_thirds`] of the
/// records of the summarised gait), elapsed s.
fn thirds_of(sc: &Scope<'_>) -> Option<[f64; 4]> {
    let t = sc.tl.as_ref()?;
    let recs: Vec<(f64, f64)> = sc
        .idx
        .iter()
        .copied()
        .filter(|&i| t.weight_s[i] > 0.0 && (sc.from == Activity::Still || t.class[i] == sc.from))
        .map(|i| (sc.s.time_s[i] - sc.t0, t.weight_s[i]))
        .collect();
    cut_in_thirds(&recs)
}

/// Start of the analysed time, end of its first third, start of its last third and its end,
/// from records `(t_s, w_s)` (elapsed time, seconds the record stands for): a third ends at
/// the first record whose middle reaches a third of the total weight. `None` for fewer than
/// 3 records or no weight.
fn cut_in_thirds(recs: &[(f64, f64)]) -> Option<[f64; 4]> {
    let total: f64 = recs.iter().map(|r| r.1).sum();
    if recs.len() < 3 || total <= 0.0 {
        return None;
    }
    let (mut cum, mut a, mut b) = (0.0, None, None);
    for &(t, w) in recs {
        let mid = cum + w / 2.0;
        cum += w;
        if a.is_none() && mid >= total / 3.0 {
            a = Some(t);
        }
        if b.is_none() && mid >= 2.0 * total / 3.0 {
            b = Some(t);
        }
    }
    let last = recs.last().map(|&(t, w)| t + w)?;
    Some([recs[0].0, a?, b?, last])
}

/// Stretches of the other gait (walking inside a run), elapsed s, and its name.
fn other_gait(sc: &Scope<'_>) -> (Vec<(f64, f64)>, &'static str) {
    let (other, other_name) = match sc.from {
        Activity::Running => (Some(Activity::Walking), "walking"),
        Activity::Walking => (Some(Activity::Running), "running"),
        _ => (None, ""),
    };
    let (Some(t), Some(o)) = (sc.tl.as_ref(), other) else {
        return (Vec::new(), other_name);
    };
    let mut recs: Vec<(f64, f64)> = Vec::new();
    for &i in &sc.idx {
        if t.class[i] != o || t.weight_s[i] <= 0.0 {
            continue;
        }
        let a = sc.s.time_s[i] - sc.t0;
        recs.push((a, a + t.weight_s[i]));
    }
    (merge_spans(&recs, sc.gap_s), other_name)
}

/// Time spans `(from, to)` in order, merged where one starts at most `gap_s` after the
/// previous ends.
fn merge_spans(spans: &[(f64, f64)], gap_s: f64) -> Vec<(f64, f64)> {
    let mut out: Vec<(f64, f64)> = Vec::new();
    for &(a, b) in spans {
        match out.last_mut() {
            Some(last) if a - last.1 <= gap_s => last.1 = last.1.max(b),
            _ => out.push((a, b)),
        }
    }
    out
}

/// A form series of the page: kind, metric, title, unit, channel, whether it is shown
/// (labelled empty) without data, why it has none when nothing else says.
type FormSpec = (
    SeriesKind,
    &'static str,
    &'static str,
    &'static str,
    Channel,
    bool,
    &'static str,
);

/// The running-form series, in page order: cadence, ground contact and vertical oscillation
/// always (labelled empty without data), vertical ratio and balance when the file has them.
const FORM_SERIES: [FormSpec; 5] = [
    (
        SeriesKind::Cadence,
        Channel::CadenceSpm.name(),
        "Cadence",
        "steps/min",
        Channel::CadenceSpm,
        true,
        "no cadence data in this file",
    ),
    (
        SeriesKind::GroundContact,
        Channel::GroundContactMs.name(),
        "Ground contact time",
        "ms",
        Channel::GroundContactMs,
        true,
        "no ground-contact data in this file (it needs a chest strap, a running-dynamics pod or a footpod)",
    ),
    (
        SeriesKind::VerticalOscillation,
        Channel::VerticalOscillationCm.name(),
        "Vertical oscillation",
        "cm",
        Channel::VerticalOscillationCm,
        true,
        "no vertical-oscillation data in this file",
    ),
    (
        SeriesKind::VerticalRatio,
        Channel::VerticalRatioPct.name(),
        "Vertical ratio",
        "%",
        Channel::VerticalRatioPct,
        false,
        "",
    ),
    (
        SeriesKind::Balance,
        Channel::GctBalanceLeftPct.name(),
        "Ground-contact balance",
        "% left",
        Channel::GctBalanceLeftPct,
        false,
        "",
    ),
];

/// The form series of [`FORM_SERIES`] that are shown, from the records of the summarised gait.
fn form_series(sc: &Scope<'_>) -> Vec<Series> {
    FORM_SERIES
        .iter()
        .filter_map(|&(kind, metric, title, unit, ch, always, fallback)| {
            let points = sc.collect(ch, metric, true, &|v| v);
            let empty = points
                .is_empty()
                .then(|| no_form_reason(sc, metric, fallback));
            (always || empty.is_none()).then(|| Series {
                kind,
                metric,
                title,
                unit,
                points,
                per_step: sc.per_step,
                inverted: false,
                summary: sc.summary(metric),
                drift: sc.drift(metric),
                extra: None,
                empty,
            })
        })
        .collect()
}

/// Why a form series has no points: withheld by the raw-signal stage, not measured on the
/// steps of a walk, or `fallback`.
fn no_form_reason(sc: &Scope<'_>, metric: &str, fallback: &str) -> String {
    withheld_reason(sc.raw(), metric).unwrap_or_else(|| match sc.raw() {
        // Raw signals: contact and oscillation are measured on running steps.
        Some(_) if metric != Channel::CadenceSpm.name() && !sc.running => format!(
            "not measured: contact timing and oscillation come from running steps, and this recording's steps are {}",
            sc.from.name()
        ),
        _ => fallback.to_string(),
    })
}

/// Speed as pace, min/km.
fn to_pace(v_mps: f64) -> f64 {
    1000.0 / 60.0 / v_mps
}

/// Pace over the run (drawn faster up), unless it is one fixed value (a treadmill speed
/// given on the command line). Its summary is the speed's, as pace (p10 and p90 swap).
fn pace_series(sc: &Scope<'_>) -> Option<Series> {
    let pace = sc.collect(Channel::SpeedMps, Channel::SpeedMps.name(), false, &to_pace);
    let pace_summary = sc.summary(Channel::SpeedMps.name()).map(|m| MetricSummary {
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
    (!pace.is_empty() && varies).then_some(Series {
        kind: SeriesKind::Pace,
        metric: Channel::SpeedMps.name(),
        title: "Pace",
        unit: "min/km",
        points: pace,
        per_step: sc.per_step,
        inverted: true,
        summary: pace_summary,
        drift: None,
        extra: None,
        empty: None,
    })
}

/// Heart rate (with its drift) and elevation (with gain and loss), over all records, when
/// the file has them.
fn context_series(sc: &Scope<'_>) -> Vec<Series> {
    let mut out = Vec::new();
    for (kind, metric, title, unit, ch) in [
        (
            SeriesKind::HeartRate,
            Channel::HeartRateBpm.name(),
            "Heart rate",
            "bpm",
            Channel::HeartRateBpm,
        ),
        (
            SeriesKind::Elevation,
            Channel::AltitudeM.name(),
            "Elevation",
            "m",
            Channel::AltitudeM,
        ),
    ] {
        let points = sc.collect(ch, metric, false, &|v| v);
        if points.is_empty() {
            continue;
        }
        out.push(Series {
            kind,
            metric,
            title,
            unit,
            points,
            per_step: sc.per_step,
            inverted: false,
            summary: sc.summary(metric),
            drift: if kind == SeriesKind::HeartRate {
                sc.drift(metric)
            } else {
                None
            },
            extra: (kind == SeriesKind::Elevation)
                .then_some(sc.doc.summary.elevation.as_ref())
                .flatten()
                .map(|e| format!("gain {:.0} m · loss {:.0} m", e.gain_m, e.loss_m)),
            empty: None,
        });
    }
    out
}

/// Contact times of the analysed records, ms: running steps (raw) or records of the
/// summarised gait.
fn contact_times(sc: &Scope<'_>) -> Vec<f64> {
    let Some(g) = sc.s.get(Channel::GroundContactMs) else {
        return Vec::new();
    };
    let class = sc.s.get(Channel::GaitClass);
    sc.idx
        .iter()
        .copied()
        .filter(|&i| plausible(Channel::GroundContactMs.name(), g[i]))
        .filter(|&i| match (class, sc.tl.as_ref()) {
            (Some(c), _) if sc.running => c[i] == 1.0,
            (_, Some(t)) => sc.from == Activity::Still || t.class[i] == sc.from,
            _ => true,
        })
        .map(|i| g[i])
        .collect()
}

/// Why there is no contact-time histogram.
fn no_contact_reason(sc: &Scope<'_>) -> String {
    withheld_reason(sc.raw(), Channel::GroundContactMs.name()).unwrap_or_else(|| match sc.raw() {
        Some(_) if !sc.running => format!(
            "not measured: contact times come from running steps, and this recording's steps are {}",
            sc.from.name()
        ),
        _ => "no ground-contact data in this file".to_string(),
    })
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
    let grid = PageGrid::of(width, height, header_lines(input.doc), FOOTER_LINES, 12.0);
    let vgap = px(6.0);
    let mut panels = vec![(PanelKind::Header, grid.header)];
    panels.extend(series_column(p, grid.left, vgap, s));
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
    panels.extend(stack(grid.right, &shares, vgap));
    panels.push((PanelKind::Footer, grid.footer));
    SessionLayout {
        width,
        height,
        panels,
    }
}

/// The series panels down the left column, `vgap` pixels apart: equal heights for those
/// with data (the last of them also carries the time axis), a compact strip for each
/// labelled empty one.
fn series_column(p: &Prepared, left: Rect, vgap: u32, s: f64) -> Vec<(PanelKind, Rect)> {
    let px = |v: f64| (v * s).round() as u32;
    let k = p.series.len().max(1) as u32;
    let k_empty = p.series.iter().filter(|x| x.empty.is_some()).count() as u32;
    let k_full = k - k_empty;
    let (axis_h, empty_h) = if k_full > 0 {
        (px(44.0), px(58.0))
    } else {
        (0, 0)
    };
    let fixed = axis_h + vgap * (k - 1) + empty_h * k_empty;
    let each = left.h.saturating_sub(fixed) / k_full.max(1);
    let mut y = left.y;
    let mut out = Vec::new();
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
        out.push((PanelKind::Series(sr.kind), Rect::new(left.x, y, left.w, h)));
        y += (h + vgap) as i32;
    }
    out
}

// ───────────────────────────── drawing ─────────────────────────────

/// The session page: its input and what is drawn from it, extracted once.
struct SessionPage<'a> {
    input: SessionInput<'a>,
    p: Prepared,
    /// The last series with data (it carries the time axis).
    last_full: Option<SeriesKind>,
}

impl<'a> SessionPage<'a> {
    fn new(input: &SessionInput<'a>) -> Self {
        let p = prepare(input);
        let last_full = p.series.iter().rfind(|x| x.empty.is_none()).map(|x| x.kind);
        SessionPage {
            input: *input,
            p,
            last_full,
        }
    }

    /// The event trace, when it has samples to show.
    fn trace(&self) -> Option<&'a EventTrace> {
        self.input.trace.filter(|t| !t.vertical_g.is_empty())
    }

    fn series(&self, kind: SeriesKind) -> Option<&Series> {
        self.p.series.iter().find(|x| x.kind == kind)
    }
}

impl Page for SessionPage<'_> {
    type Kind = PanelKind;

    fn layout(&self, width: u32, height: u32) -> Vec<(PanelKind, Rect)> {
        layout_of(&self.input, &self.p, width, height).panels
    }

    fn empty_reason(&self, kind: PanelKind) -> Option<String> {
        match kind {
            PanelKind::Series(sk) => self.series(sk).and_then(|sr| sr.empty.clone()),
            PanelKind::Events => self
                .trace()
                .is_none()
                .then(|| no_trace_reason(self.input.doc.raw.as_ref())),
            PanelKind::Histogram => self.p.contact_empty.clone(),
            _ => None,
        }
    }

    fn empty_title(&self, kind: PanelKind) -> String {
        match kind {
            PanelKind::Series(sk) => self.series(sk).map(series_title).unwrap_or_default(),
            PanelKind::Events => EVENTS_TITLE.to_string(),
            PanelKind::Histogram => HISTOGRAM_TITLE.to_string(),
            _ => String::new(),
        }
    }

    fn draw_panel<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        sheet: &Sheet<'_, PanelKind>,
        kind: PanelKind,
        r: Rect,
    ) -> Result<(), OutputError> {
        let (input, p, s) = (&self.input, &self.p, sheet.scale);
        match kind {
            PanelKind::Header => draw_header(root, r, input, s),
            PanelKind::Series(sk) => match self.series(sk) {
                Some(sr) => draw_series(root, r, sr, p, self.last_full == Some(sk), s),
                None => Ok(()),
            },
            PanelKind::Events => match self.trace() {
                Some(tr) => draw_events(root, r, tr, s),
                None => Ok(()),
            },
            PanelKind::Table => draw_table(root, r, input.doc, s),
            PanelKind::Histogram => draw_histogram(root, r, p, s),
            PanelKind::Overstriding => draw_overstriding(root, r, input.doc, s),
            PanelKind::Risk => draw_risk(root, r, input, s),
            PanelKind::Footer => draw_footer(root, r, input.doc, s),
        }
    }
}

/// Draw the session page on `root` (any plotters backend) laid out at the root's size.
///
/// # Errors
/// [`OutputError::Render`] when the backend fails.
pub fn draw_session<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    input: &SessionInput<'_>,
) -> Result<Vec<PanelReport>, OutputError> {
    draw_page(root, &SessionPage::new(input))
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
    render_page(&SessionPage::new(input), width, height)
}

/// Render the session page at [`DEFAULT_SIZE`] and write it to `path` atomically.
///
/// # Errors
/// As [`render_session_png`]; [`OutputError::Io`] when the file cannot be written.
pub fn write_session_report(path: &Path, input: &SessionInput<'_>) -> Result<(), OutputError> {
    write_page(path, &SessionPage::new(input))
}

fn local_start(doc: &SessionDoc) -> String {
    let Some(t) = doc.start_unix_s() else {
        return match &doc.start_time_rejected {
            Some(r) => format!("start time unknown (clock reads {r})"),
            None => "start time unknown".into(),
        };
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
    let name = super::file_name(&doc.file);
    let pad = super::page_title(
        root,
        r,
        "gaitguard session report",
        &name,
        abbreviate_middle,
        s,
    )?;
    let inner_w = r.w.saturating_sub(2 * pad as u32);
    let lf = font(15.0 * s);
    let lh = (21.0 * s) as i32;
    let mut y = r.y + pad + (34.0 * s) as i32;
    for parts in [run_facts(doc), device_facts(doc), quality_facts(input)] {
        let line = fit_text(&parts.join("  ·  "), &lf, inner_w);
        text_at(
            root,
            &line,
            &style(lf.clone(), palette::INK),
            (r.x + pad, y),
        )?;
        y += lh;
    }
    let ws = &doc.summary.warnings;
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

/// The first header line: start, duration, running and walking time, distance, activity,
/// sport.
fn run_facts(doc: &SessionDoc) -> Vec<String> {
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
    l1
}

/// The second header line: device, sensors, sensor placement (how it was decided, for raw
/// files), file format.
fn device_facts(doc: &SessionDoc) -> Vec<String> {
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
    l2
}

/// The third header line: data quality (raw signal: rate, steps, cadence check, gaps,
/// clipping; records: count and rate, and which gait the metrics come from).
fn quality_facts(input: &SessionInput<'_>) -> Vec<String> {
    let sm = &input.doc.summary;
    let Some(raw) = &input.doc.raw else {
        return vec![
            format!(
                "data quality: {} records, {:.2} per second",
                input.recording.series.len(),
                sm.sample_rate_hz
            ),
            format!("metrics from the {} records", sm.metrics_from.name()),
        ];
    };
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
            "cadence from {}: spectrum {:.1} vs {} spm{}",
            c.source,
            c.spectrum_spm,
            c.cadence_spm
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
    chart: &mut XyChart<'_, DB>,
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
) -> Result<(), OutputError> {
    let cap_h = (24.0 * s) as u32;
    let (_, body) = r.take_top(cap_h);
    series_caption(root, r, sr, p, s)?;
    let area = sub_area(root, body);
    let plot = SeriesPlot::of(sr, p, body, s);
    let mut chart = series_chart(&area, body, sr, &plot, is_last, s)?;
    draw_zone_bands(root, &mut chart, sr, p, &plot, s)?;
    draw_other_gait(root, &mut chart, sr, p, &plot, s)?;
    draw_third_lines(&chart, p, &plot, s)?;
    draw_series_points(&mut chart, sr, &plot, s)?;
    draw_drift_means(&mut chart, sr, p, &plot, s)
}

/// The facts of a series caption, least important first: median and p10–p90, the zone of the
/// mean, the extra fact (elevation gain), the drift from the first to the last third, and a
/// note when population zones do not apply (not running).
fn caption_facts(sr: &Series, running: bool) -> Vec<String> {
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
    if bands(sr.metric).is_some() && !running {
        facts.push("population zones are for running".into());
    }
    facts
}

/// The caption of a series panel: the title left, and right-aligned before the zone column
/// as many of its [`caption_facts`] as fit (dropped from the front: the drift stays longest).
fn series_caption<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    r: Rect,
    sr: &Series,
    p: &Prepared,
    s: f64,
) -> Result<(), OutputError> {
    let title = series_title(sr);
    let tf = Panel::title_font(s);
    text_at(
        root,
        &title,
        &style(tf.clone(), palette::INK),
        (r.x + (Y_AXIS_W * s * 0.15) as i32, r.y + (3.0 * s) as i32),
    )?;
    let ff = font(13.5 * s);
    let title_w = text_width(&title, &tf) as i32 + (Y_AXIS_W * s * 0.15) as i32;
    let room = (r.w as i32 - title_w - (ZONE_COL_W * s) as i32 - (16.0 * s) as i32).max(0) as u32;
    let mut shown = caption_facts(sr, p.running);
    while !shown.is_empty() && text_width(&shown.join("   "), &ff) > room {
        shown.remove(0);
    }
    if shown.is_empty() {
        return Ok(());
    }
    let st = style(ff, palette::MUTED).pos(Pos::new(HPos::Right, VPos::Top));
    text_at(
        root,
        &shown.join("   "),
        &st,
        (r.right() - (ZONE_COL_W * s) as i32, r.y + (5.0 * s) as i32),
    )
}

/// How a series lies on its chart: the time axis, the value axis and the lines to draw.
struct SeriesPlot<'p> {
    /// Divisor from seconds to the time axis' unit, and the axis title.
    div: f64,
    x_label: &'static str,
    /// End of the time axis, in its unit.
    x_max: f64,
    /// Width of the plot, pixels.
    plot_w: f64,
    /// More points than half the plot's pixels (or per-step data): a running mean over them.
    dense: bool,
    /// The value axis (negated for an inverted series: faster pace up).
    ylo: f64,
    yhi: f64,
    /// −1 for an inverted series, else 1.
    sign: f64,
    /// Unbroken runs of points (no gap over the page's gap).
    runs: Vec<&'p [(f64, f64)]>,
    /// Their running trimmed means, when dense.
    smooth: Vec<Vec<(f64, f64)>>,
}

impl<'p> SeriesPlot<'p> {
    /// Lay `sr` on a chart of `body` at scale `s`.
    fn of(sr: &'p Series, p: &Prepared, body: Rect, s: f64) -> Self {
        let (div, x_label) = time_unit(p.span_s);
        // The axis ends at the last record or where the last record's time ends, at least 1 s.
        let end_s = p.thirds_s.map_or(p.span_s, |t| t[3].max(p.span_s)).max(1.0);
        // Every record or step, and where they are dense a running trimmed mean per unbroken run.
        let plot_w = body.w as f64 - (Y_AXIS_W + ZONE_COL_W) * s;
        let dense = sr.per_step || sr.points.len() as f64 > 0.5 * plot_w.max(1.0);
        // Window: about three pixels' worth of points, at least 9 steps for per-step data.
        let min_half = if sr.per_step { 4.0 } else { 2.0 };
        let half = ((sr.points.len() as f64 / plot_w.max(1.0)) * 3.0)
            .round()
            .clamp(min_half, 60.0) as usize;
        let runs = runs(&sr.points, p.gap_s);
        let smooth: Vec<Vec<(f64, f64)>> = if dense {
            runs.iter().map(|r| running_trimmed_mean(r, half)).collect()
        } else {
            Vec::new()
        };
        let (lo, hi) = value_range(sr, &smooth);
        // Pace is drawn as its negative so that faster is up.
        let sign = if sr.inverted { -1.0 } else { 1.0 };
        let (ylo, yhi) = if sr.inverted { (-hi, -lo) } else { (lo, hi) };
        SeriesPlot {
            div,
            x_label,
            x_max: end_s / div,
            plot_w,
            dense,
            ylo,
            yhi,
            sign,
            runs,
            smooth,
        }
    }

    /// A value on the value axis, clamped to it (points beyond are drawn on the edge).
    fn y(&self, v: f64) -> f64 {
        (self.sign * v).clamp(self.ylo, self.yhi)
    }

    /// Elapsed seconds on the time axis, clamped to it.
    fn x(&self, t_s: f64) -> f64 {
        (t_s / self.div).clamp(0.0, self.x_max)
    }
}

/// The value axis of a series: the bulk of the points (1st–99th percentile, [`y_range`]),
/// widened by 5 % of it to hold all of the smoothed line and the drift means.
fn value_range(sr: &Series, smooth: &[Vec<(f64, f64)>]) -> (f64, f64) {
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
    (lo, hi)
}

/// The chart of a series with its mesh: time labels and title only on the last panel
/// (`is_last`), pace ticks as m:ss.
fn series_chart<'a, DB: DrawingBackend>(
    area: &'a DrawingArea<DB, Shift>,
    body: Rect,
    sr: &Series,
    plot: &SeriesPlot<'_>,
    is_last: bool,
    s: f64,
) -> Result<XyChart<'a, DB>, OutputError> {
    let (ylo, yhi, x_max) = (plot.ylo, plot.yhi, plot.x_max);
    let axis_h = if is_last { (44.0 * s) as u32 } else { 0 };
    let mut chart = ChartBuilder::on(area)
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
    let mut mesh = chart.configure_mesh();
    mesh.x_labels(x_ticks)
        .y_labels(y_ticks)
        .x_label_formatter(&x_fmt)
        .y_label_formatter(&y_fmt);
    axis_style(&mut mesh, s).y_desc(sr.unit);
    if is_last {
        mesh.x_desc(plot.x_label);
    }
    mesh.draw().map_err(draw_err)?;
    Ok(chart)
}

/// Zone bands (running only), behind the data, named in the right-hand column where a band
/// is at least 14 px high.
fn draw_zone_bands<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    chart: &mut XyChart<'_, DB>,
    sr: &Series,
    p: &Prepared,
    plot: &SeriesPlot<'_>,
    s: f64,
) -> Result<(), OutputError> {
    let (Some(bs), true) = (bands(sr.metric), p.running) else {
        return Ok(());
    };
    let (ylo, yhi, x_max) = (plot.ylo, plot.yhi, plot.x_max);
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
            let st =
                style(font(12.5 * s), zone_color(b.zone)).pos(Pos::new(HPos::Left, VPos::Center));
            text_at(
                root,
                b.zone.name(),
                &st,
                (xr + (6.0 * s) as i32, (ya + yc) / 2),
            )?;
        }
    }
    Ok(())
}

/// The other gait's stretches: not summarised, shaded grey, and named once (in the first
/// panel, where the stretch is wide enough).
fn draw_other_gait<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    chart: &mut XyChart<'_, DB>,
    sr: &Series,
    p: &Prepared,
    plot: &SeriesPlot<'_>,
    s: f64,
) -> Result<(), OutputError> {
    for &(a, b) in &p.other_spans {
        let (xa, xb) = (plot.x(a), plot.x(b));
        if xb <= xa {
            continue;
        }
        chart
            .draw_series(std::iter::once(Rectangle::new(
                [(xa, plot.ylo), (xb, plot.yhi)],
                palette::THIRD_SHADE.filled(),
            )))
            .map_err(draw_err)?;
        let (pa, py) = chart.backend_coord(&(xa, plot.yhi));
        let (pb, _) = chart.backend_coord(&(xb, plot.yhi));
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
    Ok(())
}

/// Drift thirds: dashed lines where the first third ends and the last begins.
fn draw_third_lines<DB: DrawingBackend>(
    chart: &XyChart<'_, DB>,
    p: &Prepared,
    plot: &SeriesPlot<'_>,
    s: f64,
) -> Result<(), OutputError> {
    let Some([_, t1, t2, _]) = p.thirds_s else {
        return Ok(());
    };
    let area = chart.plotting_area().strip_coord_spec();
    let (_, py_range) = chart.plotting_area().get_pixel_range();
    for t in [t1, t2] {
        let (x, _) = chart.backend_coord(&(plot.x(t), plot.ylo));
        let (bx, by) = area.get_base_pixel();
        dashed_vline(
            &area,
            x - bx,
            py_range.start - by,
            py_range.end - by,
            palette::MUTED,
            (4.0 * s) as i32,
        )?;
    }
    Ok(())
}

/// The data: per-step dots, or every record (a light line when dense, a dot for a lone
/// record), with the running mean over them when dense.
fn draw_series_points<DB: DrawingBackend>(
    chart: &mut XyChart<'_, DB>,
    sr: &Series,
    plot: &SeriesPlot<'_>,
    s: f64,
) -> Result<(), OutputError> {
    let line_w = (1.0 * s).round().max(1.0) as u32;
    let sparse = (sr.points.len() as f64) < 0.1 * plot.plot_w;
    for (k, run) in plot.runs.iter().enumerate() {
        if sr.per_step {
            chart
                .draw_series(run.iter().map(|&(t, y)| {
                    let (r, a) = if sparse { (3.0, 0.9) } else { (1.5, 0.55) };
                    Circle::new(
                        (plot.x(t), plot.y(y)),
                        (r * s).max(1.0) as u32,
                        palette::SKY_BLUE.mix(a).filled(),
                    )
                }))
                .map_err(draw_err)?;
        } else if plot.dense {
            chart
                .draw_series(LineSeries::new(
                    run.iter().map(|&(t, y)| (plot.x(t), plot.y(y))),
                    ShapeStyle::from(&palette::SKY_BLUE.mix(0.7)).stroke_width(line_w),
                ))
                .map_err(draw_err)?;
        } else if run.len() == 1 {
            chart
                .draw_series(std::iter::once(Circle::new(
                    (plot.x(run[0].0), plot.y(run[0].1)),
                    (2.5 * s) as u32,
                    palette::BLUE.filled(),
                )))
                .map_err(draw_err)?;
        } else {
            let pts: Vec<(f64, f64)> = run.iter().map(|&(t, y)| (plot.x(t), plot.y(y))).collect();
            thick_line(chart, &pts, palette::BLUE, line_w)?;
        }
        if let Some(sm) = plot.smooth.get(k) {
            let pts: Vec<(f64, f64)> = sm.iter().map(|&(t, y)| (plot.x(t), plot.y(y))).collect();
            thick_line(chart, &pts, palette::BLUE, line_w + 1)?;
        }
    }
    Ok(())
}

/// Drift means over the first and last thirds: black bars across each third.
fn draw_drift_means<DB: DrawingBackend>(
    chart: &mut XyChart<'_, DB>,
    sr: &Series,
    p: &Prepared,
    plot: &SeriesPlot<'_>,
    s: f64,
) -> Result<(), OutputError> {
    let (Some(d), Some([t0, t1, t2, t3])) = (&sr.drift, p.thirds_s) else {
        return Ok(());
    };
    let w = (3.0 * s).round() as u32;
    for (a, b, v) in [(t0, t1, d.first_third), (t2, t3, d.last_third)] {
        chart
            .draw_series(LineSeries::new(
                [(plot.x(a), plot.y(v)), (plot.x(b), plot.y(v))],
                ShapeStyle::from(&palette::BLACK).stroke_width(w),
            ))
            .map_err(draw_err)?;
    }
    Ok(())
}

/// Title of a series panel: "Cadence (steps/min)".
fn series_title(sr: &Series) -> String {
    format!("{} ({})", sr.title, sr.unit)
}

/// Title of the event panel when it is drawn empty.
const EVENTS_TITLE: &str = "Detected events (a few seconds of the raw signal)";
/// Title of the contact-time histogram.
const HISTOGRAM_TITLE: &str = "Ground contact time: distribution";

fn draw_events<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    r: Rect,
    tr: &EventTrace,
    s: f64,
) -> Result<(), OutputError> {
    let end_s = tr.start_s + tr.vertical_g.len() as f64 / tr.sample_rate_hz;
    let head = format!(
        "Detected events: {} bout, {:.1}–{:.1} s into the recording",
        tr.activity, tr.start_s, end_s
    );
    let pad = Panel::framed_fitted(root, r, &head, 8.0, s)?.pad;
    let (top, bottom) = event_signals(tr);
    draw_event_legend(root, r, pad, tr, (&top, bottom.as_ref()), s)?;
    // Two stacked charts sharing the time axis.
    let head_h = (48.0 * s) as u32;
    let body = Rect::new(
        r.x + 1,
        r.y + head_h as i32,
        r.w - 2,
        r.h.saturating_sub(head_h + 2),
    );
    let stances: Vec<(f64, Option<f64>)> = tr
        .contacts_s
        .iter()
        .enumerate()
        .map(|(i, &c)| (c, tr.toe_offs_s.get(i).copied()))
        .collect();
    match &bottom {
        Some(b) => {
            let axis_h = (40.0 * s) as u32;
            let (r1, r2) = body.take_top(body.h.saturating_sub(axis_h) / 2);
            signal_chart(root, r1, tr, &top, &stances, false, s)?;
            signal_chart(root, r2, tr, b, &stances, true, s)
        }
        None => signal_chart(root, body, tr, &top, &stances, true, s),
    }
}

/// One signal of the event panel.
struct SignalLine<'t> {
    /// Legend name.
    name: &'static str,
    color: RGBColor,
    /// Samples at the trace's rate.
    vals: &'t [f32],
    /// Axis unit.
    unit: &'static str,
    /// The contact threshold drawn dashed on it, g (trunk: on the vertical signal).
    threshold: Option<f64>,
}

/// The signals of the event panel, top and bottom: the pitch rate over the vertical force
/// (foot gyroscope), or the vertical over the forward acceleration (trunk), or the vertical
/// alone.
fn event_signals(tr: &EventTrace) -> (SignalLine<'_>, Option<SignalLine<'_>>) {
    let vertical = |threshold| SignalLine {
        name: "vertical (g)",
        color: palette::BLUE,
        vals: &tr.vertical_g,
        unit: "g",
        threshold,
    };
    match (&tr.pitch_rate_dps, &tr.forward_g) {
        (Some(pitch), _) => (
            SignalLine {
                name: "pitch rate (°/s)",
                color: palette::BLUISH_GREEN,
                vals: pitch,
                unit: "°/s",
                threshold: None,
            },
            Some(vertical(None)),
        ),
        (None, Some(fwd)) => (
            vertical(tr.threshold_g),
            Some(SignalLine {
                name: "forward (g)",
                color: palette::BLUISH_GREEN,
                vals: fwd,
                unit: "g",
                threshold: None,
            }),
        ),
        (None, None) => (vertical(tr.threshold_g), None),
    }
}

/// The legend of the event panel under its title: the signals, contacts and toe-offs, and a
/// note (stance shading, or that a walk from the trunk has contacts only).
fn draw_event_legend<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    r: Rect,
    pad: i32,
    tr: &EventTrace,
    (top, bottom): (&SignalLine<'_>, Option<&SignalLine<'_>>),
    s: f64,
) -> Result<(), OutputError> {
    let lf = font(13.0 * s);
    let ly = r.y + pad + (24.0 * s) as i32;
    let mut lx = r.x + pad;
    let toe = !tr.toe_offs_s.is_empty();
    // (colour, name, drawn as a vertical tick)
    let mut legend: Vec<(RGBColor, &str, bool)> = vec![(top.color, top.name, false)];
    if let Some(b) = bottom {
        legend.push((b.color, b.name, false));
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
    Ok(())
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

/// One signal of the event trace over its window in `r`: stance shading, the threshold, the
/// signal, and a black line at each contact and a vermilion one at each toe-off; time labels
/// only `with_axis`.
fn signal_chart<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    r: Rect,
    tr: &EventTrace,
    line: &SignalLine<'_>,
    stances: &[(f64, Option<f64>)],
    with_axis: bool,
    s: f64,
) -> Result<(), OutputError> {
    let area = sub_area(root, r);
    let dt = 1.0 / tr.sample_rate_hz;
    let t_end = tr.start_s + line.vals.len().max(2) as f64 * dt;
    let (lo, hi) = signal_range(line.vals, line.threshold);
    let mut chart = signal_axes(
        &area,
        r,
        (tr.start_s, t_end),
        (lo, hi),
        line.unit,
        with_axis,
        s,
    )?;
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
    if let Some(th) = line.threshold {
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
    let pts: Vec<(f64, f64)> = line
        .vals
        .iter()
        .enumerate()
        .filter(|(_, v)| v.is_finite())
        .map(|(i, v)| (tr.start_s + i as f64 * dt, *v as f64))
        .collect();
    thick_line(&mut chart, &pts, line.color, w)?;
    draw_event_lines(&mut chart, stances, (lo, hi), w)
}

/// The value axis of a signal: its range with the threshold, 8 % of it (at least 1e-3)
/// added on both sides; 0–1 before the padding when there is no finite sample.
fn signal_range(vals: &[f32], threshold: Option<f64>) -> (f64, f64) {
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
    (lo - pad, hi + pad)
}

/// The chart of a signal over `(t0, t1)` s with its mesh; time labels only `with_axis`.
fn signal_axes<'a, DB: DrawingBackend>(
    area: &'a DrawingArea<DB, Shift>,
    r: Rect,
    (t0, t1): (f64, f64),
    (lo, hi): (f64, f64),
    unit: &str,
    with_axis: bool,
    s: f64,
) -> Result<XyChart<'a, DB>, OutputError> {
    let axis_h = if with_axis { (40.0 * s) as u32 } else { 0 };
    let mut chart = ChartBuilder::on(area)
        .margin_right((12.0 * s) as u32)
        .margin_top((4.0 * s) as u32)
        .x_label_area_size(axis_h)
        .y_label_area_size((62.0 * s) as u32)
        .build_cartesian_2d(t0..t1, lo..hi)
        .map_err(draw_err)?;
    let x_ticks = tick_count(r.w, (80.0 * s) as u32, 10);
    let y_ticks = tick_count(r.h.saturating_sub(axis_h), (24.0 * s) as u32, 5);
    let y_dec = tick_decimals(lo, hi, y_ticks);
    let x_dec = tick_decimals(t0, t1, x_ticks);
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
        .y_label_formatter(&y_fmt);
    axis_style(&mut mesh, s).y_desc(unit);
    if with_axis {
        mesh.x_desc("time in the recording (s)");
    }
    mesh.draw().map_err(draw_err)?;
    Ok(chart)
}

/// A black line at each contact and a vermilion one at each toe-off, `w` px wide, across
/// the value axis `(lo, hi)`.
fn draw_event_lines<DB: DrawingBackend>(
    chart: &mut XyChart<'_, DB>,
    stances: &[(f64, Option<f64>)],
    (lo, hi): (f64, f64),
    w: u32,
) -> Result<(), OutputError> {
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
) -> Result<(), OutputError> {
    let pad = Panel::framed(root, r, HISTOGRAM_TITLE, 8.0, s)?.pad;
    let h = Histogram::of(&p.contact_ms);
    let what = if p.series.first().is_some_and(|x| x.per_step) {
        "steps"
    } else {
        "records"
    };
    draw_histogram_note(root, r, pad, &h, what, s)?;
    let body = Rect::new(
        r.x + 1,
        r.y + (30.0 * s) as i32,
        r.w - 2,
        r.h.saturating_sub((32.0 * s) as u32),
    );
    let area = sub_area(root, body);
    let mut chart = histogram_chart(&area, body, &h, what, s)?;
    let top = h.max_count() * 1.08;
    if p.running {
        draw_contact_bands(&mut chart, &h, top)?;
    }
    chart
        .draw_series(
            h.counts
                .iter()
                .enumerate()
                .filter(|c| *c.1 > 0)
                .map(|(i, &c)| {
                    let x0 = h.lo + i as f64 * h.step;
                    Rectangle::new(
                        [(x0, 0.0), (x0 + h.step, c as f64)],
                        palette::BLUE.mix(0.85).filled(),
                    )
                }),
        )
        .map_err(draw_err)?;
    chart
        .draw_series(std::iter::once(PathElement::new(
            vec![(h.median, 0.0), (h.median, top)],
            ShapeStyle::from(&palette::BLACK).stroke_width((2.0 * s) as u32),
        )))
        .map_err(draw_err)?;
    Ok(())
}

/// Contact times binned for the histogram, ms.
#[derive(Debug, Clone, PartialEq)]
struct Histogram {
    /// Number of values.
    n: usize,
    median: f64,
    /// Axis from `lo` to `hi` in bins of `step` (a nice step of at least 2 ms, about 24 bins
    /// over the 0.5th–99.5th percentiles).
    lo: f64,
    hi: f64,
    step: f64,
    /// Values per bin.
    counts: Vec<usize>,
    /// Values outside `lo..hi`.
    outside: usize,
}

impl Histogram {
    /// Bin `values` (at least one).
    fn of(values: &[f64]) -> Self {
        let mut v = values.to_vec();
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
        Histogram {
            n: v.len(),
            median,
            lo,
            hi,
            step,
            counts,
            outside,
        }
    }

    /// The largest count (at least 1).
    fn max_count(&self) -> f64 {
        self.counts.iter().copied().max().unwrap_or(1).max(1) as f64
    }
}

/// The median and count right of the histogram's title, when they fit.
fn draw_histogram_note<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    r: Rect,
    pad: i32,
    h: &Histogram,
    what: &str,
    s: f64,
) -> Result<(), OutputError> {
    let mut note = format!("median {:.0} ms · {} {what}", h.median, h.n);
    if h.outside > 0 {
        note.push_str(&format!(" · {} outside the axis", h.outside));
    }
    let nf = font(13.5 * s);
    let title_w = text_width(HISTOGRAM_TITLE, &Panel::title_font(s)) as i32;
    let room = (r.w as i32 - 3 * pad - title_w).max(0) as u32;
    if text_width(&note, &nf) > room {
        return Ok(());
    }
    let st = style(nf, palette::MUTED).pos(Pos::new(HPos::Right, VPos::Top));
    text_at(
        root,
        &note,
        &st,
        (r.right() - pad, r.y + pad + (2.0 * s) as i32),
    )
}

/// The histogram's chart with its mesh: contact time across, count up.
fn histogram_chart<'a, DB: DrawingBackend>(
    area: &'a DrawingArea<DB, Shift>,
    body: Rect,
    h: &Histogram,
    what: &str,
    s: f64,
) -> Result<XyChart<'a, DB>, OutputError> {
    let mut chart = ChartBuilder::on(area)
        .margin_right((14.0 * s) as u32)
        .x_label_area_size((40.0 * s) as u32)
        .y_label_area_size((62.0 * s) as u32)
        .build_cartesian_2d(h.lo..h.hi, 0f64..h.max_count() * 1.08)
        .map_err(draw_err)?;
    let x_ticks = tick_count(body.w, (70.0 * s) as u32, 10);
    let y_ticks = tick_count(body.h, (28.0 * s) as u32, 5);
    let y_fmt = |v: &f64| format!("{v:.0}");
    let x_fmt = |v: &f64| format!("{v:.0}");
    let mut mesh = chart.configure_mesh();
    mesh.x_labels(x_ticks)
        .y_labels(y_ticks)
        .x_label_formatter(&x_fmt)
        .y_label_formatter(&y_fmt);
    axis_style(&mut mesh, s)
        .x_desc("ground contact time (ms)")
        .y_desc(what)
        .draw()
        .map_err(draw_err)?;
    Ok(chart)
}

/// The ground-contact zone bands behind the bars, up to `top`.
fn draw_contact_bands<DB: DrawingBackend>(
    chart: &mut XyChart<'_, DB>,
    h: &Histogram,
    top: f64,
) -> Result<(), OutputError> {
    for bd in bands(Channel::GroundContactMs.name()).unwrap_or_default() {
        let (x0, x1) = (bd.lo.max(h.lo), bd.hi.min(h.hi));
        if x1 > x0 {
            chart
                .draw_series(std::iter::once(Rectangle::new(
                    [(x0, 0.0), (x1, top)],
                    zone_color(bd.zone).mix(0.14).filled(),
                )))
                .map_err(draw_err)?;
        }
    }
    Ok(())
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
    let panel = Panel::framed(root, r, "Overstriding", 8.0, s)?;
    let (pad, inner) = (panel.pad, panel.inner_w());
    let lh = (19.0 * s) as i32;
    let bf = font(14.0 * s);
    let mut y = r.y + pad + lh + (4.0 * s) as i32;
    let Some(ov) = &doc.overstriding else {
        text_at(
            root,
            "not assessed",
            &style(bf, palette::MUTED),
            (r.x + pad, y),
        )?;
        return Ok(());
    };
    // The verdict in bold, in its colour, on at most two lines.
    let mut verdict = ov.verdict.clone();
    if let Some(x) = ov.index {
        verdict.push_str(&format!(" (index {x:.2}, {} confidence)", ov.confidence));
    }
    let vf = bold(14.0 * s);
    let vlines = wrap_text(&verdict, &vf, inner);
    let max_lines = ((r.bottom() - y - pad) / lh).max(1) as usize;
    y = draw_lines(
        root,
        &vlines,
        &style(vf, verdict_color(ov.index)),
        (r.x + pad, y),
        lh,
        max_lines.min(2),
    )?;
    // The indicators and what was not assessed, as many lines as fit.
    let mut lines: Vec<(String, RGBColor)> = ov.indicators.iter().map(indicator_line).collect();
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

/// The colour of the overstriding verdict by its index: vermilion from 0.6, orange from
/// 0.25, bluish green below, muted without an index.
fn verdict_color(index: Option<f64>) -> RGBColor {
    match index {
        Some(x) if x >= 0.6 => palette::VERMILION,
        Some(x) if x >= 0.25 => palette::ORANGE,
        Some(_) => palette::BLUISH_GREEN,
        None => palette::MUTED,
    }
}

/// One overstriding indicator as a line: a mark (▲ flagged, ✓ not, · no cut-off), its name,
/// value and unit (2 decimals in g and m/s, else 1) and its cut-off, in the mark's colour.
fn indicator_line(i: &Indicator) -> (String, RGBColor) {
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
    (
        format!(
            "{mark} {}: {:.dp$} {}{reference}",
            indicator_name(i.id),
            i.value,
            i.unit
        ),
        col,
    )
}

fn draw_risk<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    r: Rect,
    input: &SessionInput<'_>,
    s: f64,
) -> Result<(), OutputError> {
    let pad = Panel::framed(root, r, "Calf-strain risk indicator", 8.0, s)?.pad;
    let Some(risk) = &input.doc.risk else {
        text_at(
            root,
            "not assessed",
            &style(font(14.0 * s), palette::MUTED),
            (r.x + pad, r.y + pad + (24.0 * s) as i32),
        )?;
        return Ok(());
    };
    let g = RiskGeom::of(r, pad, s);
    draw_gauge_ring(root, &g, input.risk_levels)?;
    if assessed(risk) {
        draw_gauge_needle(root, &g, risk)?;
    }
    draw_gauge_text(root, &g, risk, input.risk_levels)?;
    let y = draw_factor_bars(root, &g, risk)?;
    draw_advice(root, &g, &advice_paragraphs(risk), y)
}

/// Whether any factor was assessed (a walk, a file without running form: none, and then no
/// needle and no level).
fn assessed(risk: &RiskAssessment) -> bool {
    !risk.factors.is_empty()
}

/// Where the parts of the risk panel go: the gauge (a half ring from 0 on the left to 100 on
/// the right) in the left third, the factor bars right of it, the advice under them.
struct RiskGeom {
    r: Rect,
    pad: i32,
    s: f64,
    /// Width of the gauge column, pixels.
    gw: i32,
    /// Outer radius of the ring, pixels.
    radius: i32,
    /// Centre of the ring, page pixels.
    cx: i32,
    cy: i32,
    /// Bottom of the gauge and its labels, page pixels.
    gauge_bottom: i32,
    /// Left edge and width of the factor bars, pixels.
    bx0: i32,
    bw: i32,
}

impl RiskGeom {
    /// The geometry of a risk panel `r` with content `pad` pixels in, at scale `s`.
    fn of(r: Rect, pad: i32, s: f64) -> Self {
        let gw = ((r.w as f64 * 0.33).min(230.0 * s)) as i32;
        let radius = (gw / 2 - pad).max(10);
        let cy = r.y + (34.0 * s) as i32 + radius;
        let bx0 = r.x + pad + gw + (10.0 * s) as i32;
        RiskGeom {
            r,
            pad,
            s,
            gw,
            radius,
            cx: r.x + pad + gw / 2,
            cy,
            gauge_bottom: cy + (90.0 * s) as i32,
            bx0,
            bw: (r.right() - pad - bx0).max(20),
        }
    }

    /// The point of score `v` (0 left, 100 right) `rad` pixels from the ring's centre, page
    /// pixels.
    fn gauge_pt(&self, v: f64, rad: f64) -> (i32, i32) {
        let a = std::f64::consts::PI * (1.0 - v / 100.0);
        (
            self.cx + (rad * a.cos()).round() as i32,
            self.cy - (rad * a.sin()).round() as i32,
        )
    }
}

/// The gauge's ring: one segment per risk level, in the level's colour.
fn draw_gauge_ring<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    g: &RiskGeom,
    levels: (f64, f64),
) -> Result<(), OutputError> {
    let area = sub_area(root, g.r);
    let (bx, by) = area.get_base_pixel();
    let at = |v: f64, rad: f64| {
        let (x, y) = g.gauge_pt(v, rad);
        (x - bx, y - by)
    };
    let outer = g.radius as f64;
    let ring = (outer * 0.28).max(6.0);
    for (a, b, _) in level_bands(levels) {
        let (a, b) = (a.clamp(0.0, 100.0), b.clamp(0.0, 100.0));
        if b <= a {
            continue;
        }
        let steps = ((b - a) / 2.0).ceil().max(1.0) as usize;
        let along = |k: usize| a + (b - a) * k as f64 / steps as f64;
        let mut poly: Vec<(i32, i32)> = (0..=steps).map(|k| at(along(k), outer)).collect();
        poly.extend((0..=steps).rev().map(|k| at(along(k), outer - ring)));
        let color = level_color(level_of(0.5 * (a + b), levels));
        area.draw(&Polygon::new(poly, color.mix(0.85).filled()))
            .map_err(draw_err)?;
    }
    Ok(())
}

/// The needle at the score, with its hub.
fn draw_gauge_needle<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    g: &RiskGeom,
    risk: &RiskAssessment,
) -> Result<(), OutputError> {
    let s = g.s;
    let area = sub_area(root, g.r);
    let (bx, by) = area.get_base_pixel();
    let at = |v: f64, rad: f64| {
        let (x, y) = g.gauge_pt(v, rad);
        (x - bx, y - by)
    };
    let score = (risk.score as f64).clamp(0.0, 100.0);
    area.draw(&PathElement::new(
        vec![at(score, 0.0), at(score, g.radius as f64 + 4.0 * s)],
        ShapeStyle::from(&palette::BLACK).stroke_width((3.0 * s) as u32),
    ))
    .map_err(draw_err)?;
    area.draw(&Circle::new(
        at(score, 0.0),
        (5.0 * s) as u32,
        palette::BLACK.filled(),
    ))
    .map_err(draw_err)
}

/// The gauge's words: 0 and 100 at the ends, the score and level under the ring (a dash and
/// "not assessed" when nothing was), and the level cut-offs.
fn draw_gauge_text<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    g: &RiskGeom,
    risk: &RiskAssessment,
    levels: (f64, f64),
) -> Result<(), OutputError> {
    let s = g.s;
    let (mod_at, high_at) = levels;
    let small = font(12.5 * s);
    for (v, anchor) in [(0.0, HPos::Left), (100.0, HPos::Right)] {
        let (x, y) = g.gauge_pt(v, g.radius as f64);
        text_at(
            root,
            &format!("{v:.0}"),
            &style(small.clone(), palette::MUTED).pos(Pos::new(anchor, VPos::Top)),
            (x, y + (4.0 * s) as i32),
        )?;
    }
    let score = (risk.score as f64).clamp(0.0, 100.0);
    let (big, level, level_col) = if assessed(risk) {
        (
            format!("{}/100", risk.score),
            format!("{} risk", risk.level.name()),
            level_color(level_of(score, levels)),
        )
    } else {
        ("–".to_string(), "not assessed".to_string(), palette::MUTED)
    };
    let centred = Pos::new(HPos::Center, VPos::Top);
    text_at(
        root,
        &big,
        &style(bold(26.0 * s), palette::INK).pos(centred),
        (g.cx, g.cy + (16.0 * s) as i32),
    )?;
    text_at(
        root,
        &level,
        &style(bold(15.0 * s), level_col).pos(centred),
        (g.cx, g.cy + (48.0 * s) as i32),
    )?;
    let cut_offs = format!("low < {mod_at:.0} ≤ moderate < {high_at:.0} ≤ high");
    text_at(
        root,
        &fit_text(&cut_offs, &small, g.gw as u32),
        &style(small.clone(), palette::MUTED).pos(centred),
        (g.cx, g.cy + (70.0 * s) as i32),
    )
}

/// The factors shown as bars: those with at least 0.05 points and the modifiers above 1.
fn scored_factors(risk: &RiskAssessment) -> Vec<&Factor> {
    risk.factors
        .iter()
        .filter(|f| {
            f.points >= 0.05 || (f.kind == crate::risk::FactorKind::Modifier && f.value > 1.0)
        })
        .collect()
}

/// What the bars say when no factor scored.
fn no_scored_message(risk: &RiskAssessment) -> String {
    if assessed(risk) {
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
    }
}

/// The factor bars right of the gauge, down to the gauge's bottom or the middle of the panel
/// (the rest counted). Returns the y below them.
fn draw_factor_bars<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    g: &RiskGeom,
    risk: &RiskAssessment,
) -> Result<i32, OutputError> {
    let (r, s) = (g.r, g.s);
    let lf = font(13.5 * s);
    let mut y = r.y + g.pad + (26.0 * s) as i32;
    text_at(
        root,
        "points per factor (bar: of its maximum)",
        &style(font(12.5 * s), palette::MUTED),
        (g.bx0, y),
    )?;
    y += (20.0 * s) as i32;
    let scored = scored_factors(risk);
    let row = (22.0 * s) as i32;
    let max_rows = ((g.gauge_bottom.max(r.y + r.h as i32 / 2) - y) / row).max(1) as usize;
    if scored.is_empty() {
        let lines = wrap_text(&no_scored_message(risk), &lf, g.bw as u32);
        y = draw_lines(
            root,
            &lines,
            &style(lf.clone(), palette::INK),
            (g.bx0, y),
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
                (g.bx0, y),
            )?;
            break;
        }
        draw_factor_row(root, g, f, y)?;
        y += row;
    }
    Ok(y)
}

/// One factor row at `y`: name, bar (points of the factor's maximum; a modifier's bar in
/// reddish purple) and value ("+4.0 of 10", "×1.20").
fn draw_factor_row<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    g: &RiskGeom,
    f: &Factor,
    y: i32,
) -> Result<(), OutputError> {
    let (s, bx0, bw) = (g.s, g.bx0, g.bw);
    let lf = font(13.5 * s);
    let area = sub_area(root, g.r);
    let (bx, by) = area.get_base_pixel();
    let value = if f.kind == crate::risk::FactorKind::Modifier {
        format!("×{:.2}", f.value)
    } else {
        format!("+{:.1} of {:.0}", f.points, f.max_points)
    };
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
    let c = if f.kind == crate::risk::FactorKind::Modifier {
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
    .map_err(draw_err)
}

/// The advice: "• factor: advice" for each factor with at least 0.5 points; without any, why
/// nothing was assessed, or that nothing needs changing.
fn advice_paragraphs(risk: &RiskAssessment) -> Vec<String> {
    let mut paragraphs: Vec<String> = risk
        .factors
        .iter()
        .filter(|f| f.points >= 0.5)
        .map(|f| format!("• {}: {}", factor_name(f.id), f.advice))
        .collect();
    if paragraphs.is_empty() && !assessed(risk) {
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
    paragraphs
}

/// "What to do" and the advice paragraphs from `y_bars`: beside the gauge under the bars
/// while there is room there, then across the panel; the last line that fits ends in "…"
/// (with the number of paragraphs left out).
fn draw_advice<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    g: &RiskGeom,
    paragraphs: &[String],
    y_bars: i32,
) -> Result<(), OutputError> {
    let (r, pad, s) = (g.r, g.pad, g.s);
    let af = font(14.0 * s);
    let lh = (19.0 * s) as i32;
    let inner = r.w.saturating_sub(2 * pad as u32);
    let beside = y_bars + (6.0 * s) as i32 + 3 * lh <= g.gauge_bottom;
    let (mut x, mut y, mut width) = if beside {
        (g.bx0, y_bars + (6.0 * s) as i32, g.bw as u32)
    } else {
        (
            r.x + pad,
            g.gauge_bottom.max(y_bars) + (6.0 * s) as i32,
            inner,
        )
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
            if y >= g.gauge_bottom && x != r.x + pad {
                (x, width) = (r.x + pad, inner);
            }
            if y + lh > bottom {
                break 'paragraphs;
            }
            let mut line = take_line(&mut words, &af, width);
            let last_room = y + 2 * lh > bottom;
            if last_room && (words.peek().is_some() || pi + 1 < n_par) {
                line = with_more_mark(&line, n_par - pi - 1, &af, width);
            }
            text_at(root, &line, &ink, (x, y))?;
            y += lh;
        }
    }
    Ok(())
}

/// The next line of `words` that fits `width` pixels in `font` (a first word longer than the
/// line is cut with "…").
fn take_line<'w>(
    words: &mut std::iter::Peekable<impl Iterator<Item = &'w str>>,
    font: &FontDesc<'_>,
    width: u32,
) -> String {
    let mut line = String::new();
    while let Some(w) = words.peek() {
        let cand = if line.is_empty() {
            (*w).to_string()
        } else {
            format!("{line} {w}")
        };
        if text_width(&cand, font) <= width || line.is_empty() {
            line = fit_text(&cand, font, width);
            words.next();
        } else {
            break;
        }
    }
    line
}

/// `line` shortened to end in " …" within `width` pixels, or, when `more` paragraphs are left
/// out, in " … (+more more: --explain)".
fn with_more_mark(line: &str, more: usize, font: &FontDesc<'_>, width: u32) -> String {
    let more = if more > 0 {
        format!(" … (+{more} more: --explain)")
    } else {
        " …".to_string()
    };
    let keep = fit_text(line, font, width.saturating_sub(text_width(&more, font)));
    format!("{}{more}", keep.trim_end_matches('…'))
}

/// Left edges of the metric table's columns (metric, median, p10–p90, zone), fractions of
/// the width inside the padding.
const TABLE_COLS: [f64; 4] = [0.0, 0.42, 0.60, 0.84];

fn draw_table<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    r: Rect,
    doc: &SessionDoc,
    s: f64,
) -> Result<(), OutputError> {
    let title = format!("Metrics of the {} records", doc.summary.metrics_from.name());
    let pad = Panel::framed(root, r, &title, 8.0, s)?.pad;
    let hf = bold(13.5 * s);
    let bf = font(14.0 * s);
    let cols = TABLE_COLS;
    let inner = r.w as f64 - 2.0 * pad as f64;
    let col_x = |i: usize| r.x + pad + (cols[i] * inner) as i32;
    let lh = (19.0 * s) as i32;
    let mut y = r.y + pad + (26.0 * s) as i32;
    for (i, h) in ["metric", "median", "p10–p90", "zone"].iter().enumerate() {
        text_at(root, h, &style(hf.clone(), palette::MUTED), (col_x(i), y))?;
    }
    y += lh;
    let rows = table_rows(doc);
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
        let mut cells = table_cells(m, &x);
        if low_confidence(doc, m) {
            cells[0].push_str(" (low confidence)");
        }
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
            draw_zone_cell(root, r, z, (col_x(3), y), &bf, s)?;
        }
        y += lh;
    }
    Ok(())
}

/// Whether the session rates `metric` low confidence (issue 14: shown as such).
fn low_confidence(doc: &SessionDoc, metric: &str) -> bool {
    doc.summary
        .confidence
        .get(metric)
        .is_some_and(|c| c.level == crate::vocab::Confidence::Low)
}

/// The rows of the metric table: the session's metrics except temperature (a condition, not
/// running form), in the order of the shared metric table ([`crate::vocab::core_metrics`]).
fn table_rows(doc: &SessionDoc) -> Vec<(&'static str, MetricSummary)> {
    crate::vocab::core_metrics()
        .iter()
        .filter(|m| m.channel != Channel::TemperatureC)
        .map(|m| m.name())
        .filter_map(|m| {
            doc.summary
                .metrics
                .get(m)
                .copied()
                .flatten()
                .map(|x| (m, x))
        })
        .collect()
}

/// The name, median and p10–p90 cells of one table row; speed as pace ("4:10 /km",
/// p10–p90 swapped into faster–slower).
fn table_cells(metric: &str, x: &MetricSummary) -> [String; 3] {
    // Label, unit and decimals of the shared metric table.
    let (label, unit, dp) = crate::vocab::metric_by_name(metric)
        .map_or((metric, "", 1), |m| (m.label, m.unit, m.decimals));
    let (med, range) = if metric == Channel::SpeedMps.name() {
        (
            format!("{} /km", fmt_pace(to_pace(x.median))),
            format!("{}–{}", fmt_pace(to_pace(x.p90)), fmt_pace(to_pace(x.p10))),
        )
    } else {
        (
            format!("{:.dp$} {unit}", x.median),
            format!("{:.dp$}–{:.dp$}", x.p10, x.p90),
        )
    };
    let name = if metric == Channel::SpeedMps.name() {
        "pace"
    } else {
        label
    };
    let name = if x.derived {
        format!("{name} (derived)")
    } else {
        name.to_string()
    };
    [name, med, range]
}

/// The zone cell of a table row at the page pixel `(x, y)`: a square of the zone's colour
/// and its name.
fn draw_zone_cell<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    r: Rect,
    z: Zone,
    (x, y): (i32, i32),
    bf: &FontDesc<'static>,
    s: f64,
) -> Result<(), OutputError> {
    let area = sub_area(root, r);
    let (bx, by) = area.get_base_pixel();
    let sq = (12.0 * s) as i32;
    let x0 = x - bx;
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
        (x + sq + (6.0 * s) as i32, y),
    )
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

    #[test]
    fn pace_starts_at_a_walk_and_glitches_are_not_drawn() {
        assert!(plausible("speed_mps", 1.0) && !plausible("speed_mps", 0.5));
        assert!(plausible("cadence_spm", 170.0) && !plausible("cadence_spm", 300.0));
        assert!(plausible("altitude_m", 0.0) && !plausible("heart_rate_bpm", f64::NAN));
        assert!(plausible("not_a_metric", -1e300) && !plausible("not_a_metric", f64::INFINITY));
        assert_eq!(bands("cadence_spm").map(|b| b.len()), Some(5));
        assert!(bands("heart_rate_bpm").is_none());
    }

    #[test]
    fn indicator_lines_say_flag_value_and_cut_off() {
        let i = Indicator {
            id: "braking_g",
            value: 0.4567,
            unit: "g",
            reference: Some(0.5),
            reference_note: String::new(),
            flagged: Some(false),
            confidence: crate::vocab::Confidence::Moderate,
            method: "",
            reference_sensors: &[],
        };
        assert_eq!(
            indicator_line(&i),
            (
                "✓ braking peak: 0.46 g · flagged from 0.50".to_string(),
                palette::BLUISH_GREEN
            )
        );
        let j = Indicator {
            id: "duty_factor_pct",
            value: 38.26,
            unit: "%",
            reference: None,
            flagged: None,
            ..i
        };
        assert_eq!(
            indicator_line(&j).0,
            "· duty factor: 38.3 % · no published cut-off"
        );
        assert_eq!(verdict_color(Some(0.6)), palette::VERMILION);
        assert_eq!(verdict_color(Some(0.3)), palette::ORANGE);
        assert_eq!(verdict_color(Some(0.0)), palette::BLUISH_GREEN);
        assert_eq!(verdict_color(None), palette::MUTED);
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
    fn thirds_cut_at_the_record_whose_middle_reaches_a_third() {
        // Three records of 1 s: middles at 0.5, 1.5, 2.5 of 3 s.
        let recs = [(0.0, 1.0), (1.0, 1.0), (2.0, 1.0)];
        assert_eq!(cut_in_thirds(&recs), Some([0.0, 1.0, 2.0, 3.0]));
        // A heavy first record holds the first third and more.
        let recs = [(0.0, 10.0), (10.0, 1.0), (11.0, 1.0), (12.0, 1.0)];
        assert_eq!(cut_in_thirds(&recs), Some([0.0, 0.0, 10.0, 13.0]));
        assert_eq!(cut_in_thirds(&recs[..2]), None);
        assert_eq!(cut_in_thirds(&[(0.0, 0.0); 4]), None);
    }

    #[test]
    fn spans_merge_across_short_gaps_only() {
        let spans = [(0.0, 1.0), (2.0, 3.0), (20.0, 21.0), (21.5, 21.6)];
        assert_eq!(merge_spans(&spans, 5.0), vec![(0.0, 3.0), (20.0, 21.6)]);
        assert_eq!(merge_spans(&spans, 0.5).len(), 3);
        assert!(merge_spans(&[], 5.0).is_empty());
    }

    #[test]
    fn advice_lines_fill_the_width_and_say_what_is_left_out() {
        super::super::ensure_fonts().unwrap();
        let f = font(14.0);
        let width = text_width("alpha beta", &f);
        let mut words = "alpha beta gamma".split_whitespace().peekable();
        assert_eq!(take_line(&mut words, &f, width), "alpha beta");
        assert_eq!(take_line(&mut words, &f, width), "gamma");
        assert!(words.peek().is_none());
        // A word longer than the line is cut, not lost.
        let mut long = "abcdefghijklmnopqrstuvwxyz".split_whitespace().peekable();
        let cut = take_line(&mut long, &f, 60);
        assert!(cut.ends_with('…') && text_width(&cut, &f) <= 60, "{cut}");
        let wide = 10 * width;
        assert_eq!(with_more_mark("alpha beta", 0, &f, wide), "alpha beta …");
        assert_eq!(
            with_more_mark("alpha beta", 2, &f, wide),
            "alpha beta … (+2 more: --explain)"
        );
        // Too long with the mark: the end of the line gives way to it.
        let line = "alpha beta gamma delta";
        let tight = with_more_mark(line, 1, &f, text_width(line, &f) + text_width(" … (+1", &f));
        assert!(tight.starts_with("alpha"), "{tight}");
        assert!(tight.ends_with(" … (+1 more: --explain)"), "{tight}");
        assert!(!tight.contains("delta"), "{tight}");
    }

    #[test]
    fn histogram_bins_the_bulk_and_counts_the_rest() {
        let h = Histogram::of(&[200.0; 10]);
        assert_eq!((h.lo, h.hi, h.step, h.median), (200.0, 202.0, 2.0, 200.0));
        assert_eq!((h.counts.clone(), h.outside, h.n), (vec![10], 0, 10));
        // 200…1199 ms and one 5 s glitch: 20 bins of 50 ms, the glitch outside.
        let mut v: Vec<f64> = (0..1000).map(|i| 200.0 + i as f64).collect();
        v.push(5000.0);
        let h = Histogram::of(&v);
        assert_eq!((h.lo, h.hi, h.step), (200.0, 1200.0, 50.0));
        assert_eq!(h.counts, vec![50; 20]);
        assert_eq!((h.outside, h.median, h.max_count()), (1, 700.0, 50.0));
    }

    #[test]
    fn table_cells_write_speed_as_pace() {
        let x = MetricSummary {
            mean: 4.0,
            median: 4.0,
            p10: 3.5,
            p90: 4.5,
            n: 10,
            zone: None,
            derived: false,
        };
        assert_eq!(
            table_cells("speed_mps", &x),
            ["pace", "4:10 /km", "3:42–4:46"]
        );
        let c = MetricSummary {
            median: 172.4,
            p10: 165.0,
            p90: 180.0,
            derived: true,
            ..x
        };
        assert_eq!(
            table_cells("cadence_spm", &c),
            ["cadence (derived)", "172 spm", "165–180"]
        );
    }

    #[test]
    fn signal_range_holds_the_threshold_with_a_margin() {
        let close =
            |a: (f64, f64), b: (f64, f64)| (a.0 - b.0).abs() < 1e-9 && (a.1 - b.1).abs() < 1e-9;
        assert!(close(signal_range(&[0.0, 2.0], None), (-0.16, 2.16)));
        assert!(close(signal_range(&[0.0, 2.0], Some(3.0)), (-0.24, 3.24)));
        assert!(close(signal_range(&[], None), (-0.08, 1.08)));
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
