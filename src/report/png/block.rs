//! The training-block page of `gaitguard block DIR --report block.png`.
//!
//! ```text
//! ┌ header: dates, runs counted, failures, distance and time, current risk, warnings ──────────┐
//! │ weekly distance: bars coloured by the change, +10 % / +30 % │ calf-strain risk now: score,  │
//! │ of the previous week marked on each bar                      │ reasons, what to do this week │
//! │ runs: distance of each run on the calendar, spikes marked    │ cadence trend (session medians│
//! │ acute:chronic load ratio with its 0.8–1.3 band               │ ground contact   at constant  │
//! │ daily risk indicator with the level cut-offs                 │ vertical osc.    speed)       │
//! └ disclaimer and sources ────────────────────────────────────────────────────────────────────┘
//! ```
//!
//! Everything drawn comes from the block stage ([`crate::block`]); nothing is recomputed here
//! except the speed normalisation of session medians for the trend panels, which uses the
//! trend's own speed coefficient ([`crate::block::trends::Trend::per_mps`]).
//!
//! Sources of what is drawn: week-over-week change flags > 10 % and > 30 % (Nielsen et al.
//! 2014, J Orthop Sports Phys Ther 44:739; Buist et al. 2008, Am J Sports Med 36:33 for why they
//! are flags, not limits); single-run spikes against the longest run of the previous 30 days
//! (Frandsen et al. 2025, Br J Sports Med); the acute:chronic workload ratio, EWMA 7:28 days
//! (Williams et al. 2017, Br J Sports Med 51:209) with Gabbett's 0.8–1.3 band and ≥ 1.5 danger
//! zone (Gabbett 2016, Br J Sports Med 50:273; disputed: Impellizzeri et al. 2020, Int J Sports
//! Physiol Perform 15:907); form trends are least-squares slopes of session medians, at
//! constant speed when speeds vary (van Oeveren et al. 2017, Gait Posture 52:56).
//!
//! All date panels share one axis: from the Monday of the first week to the Sunday of the last,
//! one unit per day, so a week's bar, its runs and its days line up vertically.
//!
//! A block longer than [`LONG_BLOCK_DAYS`] (a bulk export holds years) would make every week
//! a hairline on a mostly empty page. Its left column then opens with a **history** panel:
//! monthly distance over the whole block with its long-run spikes marked (the runs that
//! matter), the recent [`DETAIL_WEEKS`] weeks shaded; the weekly, run, load-ratio and daily-risk
//! panels below show those recent weeks in full detail. The trend panels keep the whole block.

use super::page::{Page, PageGrid, Sheet, draw_page, render_page, stack, write_page};
use super::panel::{Mark, Panel, XyChart, axis_style, draw_mark, level_bands, level_color};
use super::{
    Rect, bold, dashed_hline, draw_err, fit_text, font, palette, scale_of, style, sub_area,
    text_at, text_width, tick_count, tick_decimals, wrap_text,
};
use crate::block::trends::Trend;
use crate::block::{Block, BlockSession, CurrentRisk, Day, Week};
use crate::error::OutputError;
use crate::vocab::Channel;
use crate::vocab::Confidence;
use chrono::{Datelike, NaiveDate};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use std::path::Path;

/// What the block page is drawn from.
#[derive(Debug, Clone, Copy)]
pub struct BlockInput<'a> {
    /// The analysed block.
    pub block: &'a Block,
    /// Risk level cut-offs (moderate, high), scores out of 100.
    pub risk_levels: (f64, f64),
}

impl<'a> BlockInput<'a> {
    /// Input with the default risk levels.
    pub fn new(block: &'a Block) -> Self {
        let d = crate::risk::config::RiskConfig::default();
        BlockInput {
            block,
            risk_levels: (d.moderate_at, d.high_at),
        }
    }
}

/// The panels of the block page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockPanel {
    /// Title, dates, counts, totals, warnings.
    Header,
    /// Long blocks only: monthly distance over the whole block, spikes marked, the recent
    /// weeks shown in detail below shaded.
    History,
    /// Weekly distance bars with the +10 % / +30 % change marked.
    WeeklyDistance,
    /// Every run's distance on the calendar, long-run spikes marked.
    Runs,
    /// Acute:chronic load ratio with its 0.8–1.3 band.
    AcuteChronic,
    /// The daily risk indicator.
    DailyRisk,
    /// The current risk: score, reasons, this week's plan.
    CurrentRisk,
    /// Per-session trend of one metric (`cadence_spm`, `ground_contact_ms`,
    /// `vertical_oscillation_cm`).
    Trend(&'static str),
    /// Disclaimer and sources.
    Footer,
}

/// One drawn panel: where it is and, when it had nothing to show, why.
pub type BlockPanelReport = super::page::PanelReport<BlockPanel>;

/// The metrics with a trend panel, in page order.
pub const TREND_PANELS: [&str; 3] = [
    Channel::CadenceSpm.name(),
    Channel::GroundContactMs.name(),
    Channel::VerticalOscillationCm.name(),
];

/// Lines of the footer.
const FOOTER_LINES: usize = 5;
/// A block whose axis is longer than this, days, gets the history panel (half a year).
pub const LONG_BLOCK_DAYS: f64 = 182.0;
/// Weeks shown in detail below the history panel.
pub const DETAIL_WEEKS: u64 = 12;
/// Warnings shown in the header (the rest are counted).
const MAX_WARNINGS: usize = 2;
/// Width of the y-axis label area of the date panels, pixels at scale 1.
const Y_AXIS_W: f64 = 64.0;
/// Right margin of the date panels (band names), pixels at scale 1.
const RIGHT_W: f64 = 54.0;

// ───────────────────────────── the date axis ─────────────────────────────

/// The shared date axis: day 0 is the Monday of the first week shown.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Axis {
    start: NaiveDate,
    days: f64,
    /// Most date labels a panel takes (all panels share one set of ticks).
    max_ticks: usize,
}

impl Axis {
    /// From the first to the last date of the block's days and sessions, whole ISO weeks.
    fn of(b: &Block) -> Option<Axis> {
        let dates = b
            .days
            .iter()
            .map(|d| d.date)
            .chain(b.sessions.iter().map(|s| s.block.local_date))
            .chain(b.weeks.iter().map(|w| w.totals.week_start));
        let (lo, hi) = dates.fold(None, |acc: Option<(NaiveDate, NaiveDate)>, d| match acc {
            None => Some((d, d)),
            Some((a, c)) => Some((a.min(d), c.max(d))),
        })?;
        let start = lo - chrono::Days::new(lo.weekday().num_days_from_monday() as u64);
        let end = hi + chrono::Days::new(6 - hi.weekday().num_days_from_monday() as u64);
        Some(Axis {
            start,
            days: ((end - start).num_days() + 1) as f64,
            max_ticks: 16,
        })
    }

    /// The axis with as many date labels as a panel `panel_w` pixels wide takes.
    fn with_ticks(&self, panel_w: u32, s: f64) -> Axis {
        let label_w = text_width("Sep 30 ", &font(13.0 * s)).max(1);
        let plot_w = panel_w.saturating_sub(((Y_AXIS_W + RIGHT_W) * s) as u32);
        Axis {
            max_ticks: tick_count(plot_w, label_w + (14.0 * s) as u32, 16),
            ..*self
        }
    }

    /// Days from the axis start to the start of `d`.
    fn x(&self, d: NaiveDate) -> f64 {
        (d - self.start).num_days() as f64
    }

    /// A session's position: its local date plus the local time of day (noon when unknown).
    fn x_of_session(&self, s: &BlockSession) -> f64 {
        let frac = s
            .block
            .start_time
            .as_deref()
            .and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok())
            .map(|t| {
                let local = t.timestamp() + s.block.utc_offset_s;
                local.rem_euclid(86_400) as f64 / 86_400.0
            })
            .unwrap_or(0.5);
        self.x(s.block.local_date) + frac
    }

    /// Tick positions (days) and labels: daily to fortnightly steps on Mondays for short
    /// blocks, months for long ones; the axis title names the year(s).
    fn ticks(&self, max_ticks: usize) -> (Vec<(f64, String)>, String) {
        let end = self.start + chrono::Days::new(self.days.max(1.0) as u64 - 1);
        let years = if self.start.year() == end.year() {
            format!("date ({})", self.start.year())
        } else {
            format!("date ({}–{})", self.start.year(), end.year())
        };
        let max_ticks = max_ticks.max(2);
        // Single days only for blocks of up to two weeks; Mondays beyond.
        for step in [1u64, 2, 7, 14, 28] {
            if step < 7 && self.days > 14.0 {
                continue;
            }
            if (self.days / step as f64).ceil() as usize <= max_ticks {
                let mut out = Vec::new();
                let mut d = self.start;
                while d <= end {
                    out.push((self.x(d), d.format("%b %-d").to_string()));
                    d = d + chrono::Days::new(step);
                }
                return (out, years);
            }
        }
        for months in [1u32, 2, 3, 6] {
            let mut out = Vec::new();
            let mut d = NaiveDate::from_ymd_opt(self.start.year(), self.start.month(), 1)
                .unwrap_or(self.start);
            if d < self.start {
                d = d.checked_add_months(chrono::Months::new(1)).unwrap_or(end);
            }
            while d <= end {
                if (d.month() - 1) % months == 0 {
                    let label = if d.month() == 1 || out.is_empty() {
                        d.format("%b %Y").to_string()
                    } else {
                        d.format("%b").to_string()
                    };
                    out.push((self.x(d), label));
                }
                match d.checked_add_months(chrono::Months::new(1)) {
                    Some(n) => d = n,
                    None => break,
                }
            }
            if out.len() <= max_ticks {
                return (out, years);
            }
        }
        // Years: every 1, 2, 5, 10… on 1 January.
        let (y0, y1) = (self.start.year() + 1, end.year());
        let mut step = 1;
        while ((y1 - y0) / step + 1) as usize > max_ticks {
            step = match step {
                1 => 2,
                2 => 5,
                n => n * 2,
            };
        }
        let out: Vec<(f64, String)> = (y0..=y1)
            .filter(|y| y % step == 0)
            .filter_map(|y| NaiveDate::from_ymd_opt(y, 1, 1))
            .map(|d| (self.x(d), d.format("%Y").to_string()))
            .collect();
        if !out.is_empty() {
            return (out, years);
        }
        (vec![(0.0, self.start.to_string())], years)
    }
}

// ───────────────────────────── layout ─────────────────────────────

/// Where each panel of the block page goes at `width × height` pixels.
pub fn layout(b: &Block, width: u32, height: u32) -> Vec<(BlockPanel, Rect)> {
    let s = scale_of(width, height);
    let grid = PageGrid::of(width, height, header_lines(b), FOOTER_LINES, 14.0);
    let vgap = (8.0 * s).round() as u32;
    let mut out = vec![(BlockPanel::Header, grid.header)];
    let left: &[(BlockPanel, f64)] = if is_long(b) {
        &[
            (BlockPanel::History, 0.21),
            (BlockPanel::WeeklyDistance, 0.23),
            (BlockPanel::Runs, 0.20),
            (BlockPanel::AcuteChronic, 0.16),
            (BlockPanel::DailyRisk, 0.20),
        ]
    } else {
        &[
            (BlockPanel::WeeklyDistance, 0.29),
            (BlockPanel::Runs, 0.25),
            (BlockPanel::AcuteChronic, 0.21),
            (BlockPanel::DailyRisk, 0.25),
        ]
    };
    out.extend(stack(grid.left, left, vgap));
    out.extend(stack(
        grid.right,
        &[
            (BlockPanel::CurrentRisk, 0.37),
            (BlockPanel::Trend(TREND_PANELS[0]), 0.20),
            (BlockPanel::Trend(TREND_PANELS[1]), 0.20),
            (BlockPanel::Trend(TREND_PANELS[2]), 0.23),
        ],
        vgap,
    ));
    out.push((BlockPanel::Footer, grid.footer));
    out
}

fn header_lines(b: &Block) -> usize {
    let w = b.warnings.len() + usize::from(!b.failures.is_empty());
    2 + w.min(MAX_WARNINGS) + usize::from(w > MAX_WARNINGS)
}

/// Whether the block is long enough for the history panel ([`LONG_BLOCK_DAYS`]).
fn is_long(b: &Block) -> bool {
    Axis::of(b).is_some_and(|a| a.days > LONG_BLOCK_DAYS)
}

/// The first day shown in detail: the Monday [`DETAIL_WEEKS`]` − 1` weeks before the week of
/// the block's last day.
fn detail_start(b: &Block) -> Option<NaiveDate> {
    let axis = Axis::of(b)?;
    let last = b
        .last_day
        .unwrap_or(axis.start + chrono::Days::new(axis.days as u64 - 1));
    let monday = last - chrono::Days::new(u64::from(last.weekday().num_days_from_monday()));
    monday.checked_sub_days(chrono::Days::new(7 * (DETAIL_WEEKS - 1)))
}

/// The block's days, weeks and sessions from `from` on (the rest of it unchanged: ratios,
/// flags and spikes were computed over the whole block).
fn recent_part(b: &Block, from: NaiveDate) -> Block {
    let mut r = b.clone();
    r.days.retain(|d| d.date >= from);
    r.weeks.retain(|w| w.totals.week_start >= from);
    r.sessions.retain(|x| x.block.local_date >= from);
    r
}

/// Running distance per calendar month over the block's days: (first day of the month, km).
fn monthly_km(days: &[Day]) -> Vec<(NaiveDate, f64)> {
    let mut out: Vec<(NaiveDate, f64)> = Vec::new();
    for d in days {
        let Some(m) = NaiveDate::from_ymd_opt(d.date.year(), d.date.month(), 1) else {
            continue;
        };
        match out.last_mut() {
            Some((last, km)) if *last == m => *km += d.distance_m / 1000.0,
            _ => out.push((m, d.distance_m / 1000.0)),
        }
    }
    out
}

// ───────────────────────────── drawing ─────────────────────────────

/// The panels of the left column with the date axis, top to bottom.
const LEFT_DATE_PANELS: [BlockPanel; 4] = [
    BlockPanel::WeeklyDistance,
    BlockPanel::Runs,
    BlockPanel::AcuteChronic,
    BlockPanel::DailyRisk,
];

/// The block page: its input, the whole block's date axis, and for a long block the recent
/// part drawn in detail with its own axis.
struct BlockPage<'a> {
    input: BlockInput<'a>,
    axis: Option<Axis>,
    recent: Option<(Block, Option<Axis>)>,
}

impl<'a> BlockPage<'a> {
    fn new(input: &BlockInput<'a>) -> Self {
        let b = input.block;
        let recent = is_long(b)
            .then(|| detail_start(b))
            .flatten()
            .map(|from| recent_part(b, from))
            .map(|r| {
                let axis = Axis::of(&r);
                (r, axis)
            });
        BlockPage {
            input: *input,
            axis: Axis::of(b),
            recent,
        }
    }

    /// The block and axis of the weekly, runs, load-ratio and daily-risk panels: the recent
    /// part of a long block, else the whole block.
    fn detail(&self) -> (&Block, Option<Axis>) {
        match &self.recent {
            Some((r, a)) => (r, *a),
            None => (self.input.block, self.axis),
        }
    }
}

impl Page for BlockPage<'_> {
    type Kind = BlockPanel;

    fn layout(&self, width: u32, height: u32) -> Vec<(BlockPanel, Rect)> {
        layout(self.input.block, width, height)
    }

    fn empty_reason(&self, kind: BlockPanel) -> Option<String> {
        if LEFT_DATE_PANELS.contains(&kind) {
            let (b, axis) = self.detail();
            if self.recent.is_some() && !b.sessions.iter().any(|x| x.block.counted) {
                return Some(format!(
                    "no run counted in the last {DETAIL_WEEKS} weeks (the history above shows the whole block)"
                ));
            }
            return empty_reason(kind, b, axis.as_ref());
        }
        empty_reason(kind, self.input.block, self.axis.as_ref())
    }

    fn empty_title(&self, kind: BlockPanel) -> String {
        title_of(kind, self.input.block)
    }

    fn draw_panel<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        sheet: &Sheet<'_, BlockPanel>,
        kind: BlockPanel,
        r: Rect,
    ) -> Result<(), OutputError> {
        let (input, b, s) = (&self.input, self.input.block, sheet.scale);
        let x_labels = date_labels_under(sheet.panels).contains(&Some(kind));
        let ticks = |a: Axis| a.with_ticks(narrowest_date_panel(sheet.panels, sheet.width), s);
        let axis = self.axis.map(ticks);
        let (d, d_axis) = self.detail();
        let d_axis = d_axis.map(ticks);
        let detail_input = BlockInput { block: d, ..*input };
        match (kind, axis.as_ref(), d_axis.as_ref()) {
            (BlockPanel::Header, ..) => draw_header(root, r, input, s),
            (BlockPanel::Footer, ..) => draw_footer(root, r, b, s),
            (BlockPanel::CurrentRisk, ..) => draw_current_risk(root, r, input, s),
            (BlockPanel::History, Some(a), _) => draw_history(root, r, b, d, a, s),
            (BlockPanel::Trend(m), Some(a), _) => draw_trend(root, r, b, m, a, x_labels, s),
            (BlockPanel::WeeklyDistance, _, Some(a)) => draw_weekly(root, r, d, a, x_labels, s),
            (BlockPanel::Runs, _, Some(a)) => draw_runs(root, r, d, a, x_labels, s),
            (BlockPanel::AcuteChronic, _, Some(a)) => draw_ratio(root, r, d, a, x_labels, s),
            (BlockPanel::DailyRisk, _, Some(a)) => {
                draw_daily_risk(root, r, &detail_input, a, x_labels, s)
            }
            _ => Ok(()),
        }
    }
}

/// The panels that carry the date labels: the lowest panel with data of the left column and
/// of the trend column (`None` for a column without data).
fn date_labels_under(panels: &[BlockPanelReport]) -> [Option<BlockPanel>; 2] {
    let lowest = |col: &[BlockPanel]| {
        col.iter()
            .rev()
            .find(|k| panels.iter().any(|p| p.kind == **k && p.empty.is_none()))
            .copied()
    };
    [
        lowest(&LEFT_DATE_PANELS),
        lowest(&TREND_PANELS.map(BlockPanel::Trend)),
    ]
}

/// Width of the narrowest date panel, pixels (`page_w` when there is none): every date panel
/// takes as many date ticks as it takes, so they all share one set.
fn narrowest_date_panel(panels: &[BlockPanelReport], page_w: u32) -> u32 {
    let trends = TREND_PANELS.map(BlockPanel::Trend);
    panels
        .iter()
        .filter(|p| LEFT_DATE_PANELS.contains(&p.kind) || trends.contains(&p.kind))
        .map(|p| p.rect.w)
        .min()
        .unwrap_or(page_w)
}

/// Draw the block page on `root` (any plotters backend), laid out at the root's size.
///
/// # Errors
/// [`OutputError::Render`] when the backend fails.
pub fn draw_block<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    input: &BlockInput<'_>,
) -> Result<Vec<BlockPanelReport>, OutputError> {
    draw_page(root, &BlockPage::new(input))
}

/// Why a panel has nothing to show, or `None` when it has.
fn empty_reason(kind: BlockPanel, b: &Block, axis: Option<&Axis>) -> Option<String> {
    let counted = b.sessions.iter().filter(|x| x.block.counted).count();
    let no_counted = || {
        if b.sessions.is_empty() {
            "no session analysed".to_string()
        } else {
            "no run counted in the load (walks, and runs placed only by the file's date, are left out)"
                .to_string()
        }
    };
    match kind {
        BlockPanel::Header | BlockPanel::Footer => None,
        BlockPanel::CurrentRisk => b
            .risk
            .is_none()
            .then(|| format!("not assessed: {}", no_counted())),
        _ if axis.is_none() => Some("no session could be placed on the calendar".to_string()),
        BlockPanel::History if counted == 0 => Some(no_counted()),
        BlockPanel::History => None,
        BlockPanel::WeeklyDistance => {
            if counted == 0 {
                Some(no_counted())
            } else if b.weeks.iter().all(|w| w.totals.distance_m <= 0.0) {
                Some("no distance in these files (runs without GPS or footpod distance)".into())
            } else {
                None
            }
        }
        BlockPanel::Runs => {
            if b.sessions.is_empty() {
                Some(no_counted())
            } else if !b
                .sessions
                .iter()
                .any(|x| x.doc.summary.distance_m.is_some_and(|d| d > 0.0))
            {
                Some("no distance in these files: runs cannot be compared by length".into())
            } else {
                None
            }
        }
        BlockPanel::AcuteChronic => {
            if counted == 0 {
                Some(format!("not given: {}", no_counted()))
            } else if b.days.iter().all(|d| {
                !d.acute_chronic_ratio.is_some_and(f64::is_finite)
                    && !d.acute_chronic_uncoupled.is_some_and(f64::is_finite)
            }) {
                Some(format!(
                    "not given: the ratio needs 28 days of the block with runs on at least 3 of them (this block has {} day(s), {} with a run)",
                    b.days.len(),
                    b.days.iter().filter(|d| d.sessions > 0).count()
                ))
            } else {
                None
            }
        }
        BlockPanel::DailyRisk => (b.days.is_empty() || b.risk.is_none())
            .then(|| format!("not assessed: {}", no_counted())),
        BlockPanel::Trend(metric) => {
            let trend = trend_of(b, metric);
            let any = b
                .sessions
                .iter()
                .filter(|x| x.block.counted)
                .any(|x| speed_normalised(x, metric, trend).is_some());
            if any {
                return None;
            }
            let name = trend_title(metric).0.to_lowercase();
            let has = |x: &BlockSession| {
                x.doc
                    .summary
                    .metrics
                    .get(metric)
                    .copied()
                    .flatten()
                    .is_some()
            };
            Some(if b.sessions.iter().any(has) {
                format!(
                    "no run counted in the load has {name} (walks, and runs placed only by the file's date, are left out)"
                )
            } else {
                format!("no {name} in these files")
            })
        }
    }
}

fn title_of(kind: BlockPanel, b: &Block) -> String {
    match kind {
        BlockPanel::Trend(m) => trend_panel_title(b, m),
        k => panel_title(k).to_string(),
    }
}

fn trend_of<'b>(b: &'b Block, metric: &str) -> Option<&'b Trend> {
    b.trends.metrics.iter().find(|t| t.metric == metric)
}

fn trend_panel_title(b: &Block, metric: &str) -> String {
    let (name, unit, _) = trend_title(metric);
    let trend = trend_of(b, metric);
    match trend.and_then(|t| t.reference_speed_mps) {
        Some(v) => format!("{name} ({unit}) at {v:.2} m/s"),
        None => format!("{name} ({unit})"),
    }
}

/// Render the block page as PNG bytes, with the report of every panel.
///
/// # Errors
/// [`OutputError::Render`] for a page size outside [`super::PAGE_LIMITS_PX`] or a drawing or
/// encoding failure.
pub fn render_block_png(
    input: &BlockInput<'_>,
    width: u32,
    height: u32,
) -> Result<(Vec<u8>, Vec<BlockPanelReport>), OutputError> {
    render_page(&BlockPage::new(input), width, height)
}

/// Render the block page at [`super::DEFAULT_SIZE`] and write it to `path` atomically.
///
/// # Errors
/// As [`render_block_png`]; [`OutputError::Io`] when the file cannot be written.
pub fn write_block_report(path: &Path, input: &BlockInput<'_>) -> Result<(), OutputError> {
    write_page(path, &BlockPage::new(input))
}

fn panel_title(k: BlockPanel) -> &'static str {
    match k {
        BlockPanel::Header => "Training block",
        BlockPanel::History => "History: running distance per month (km)",
        BlockPanel::WeeklyDistance => "Weekly running distance (km)",
        BlockPanel::Runs => "Runs (km)",
        BlockPanel::AcuteChronic => "Acute:chronic load ratio",
        BlockPanel::DailyRisk => "Daily calf-strain risk indicator (0–100)",
        BlockPanel::CurrentRisk => "Calf-strain risk indicator",
        BlockPanel::Trend(m) => trend_title(m).0,
        BlockPanel::Footer => "",
    }
}

/// A trend panel's heading, and the metric's unit and decimals (the shared metric table's,
/// [`crate::vocab::METRICS`]).
fn trend_title(metric: &str) -> (&'static str, &'static str, usize) {
    let title = match metric {
        "cadence_spm" => "Cadence",
        "ground_contact_ms" => "Ground contact",
        "vertical_oscillation_cm" => "Vertical oscillation",
        _ => "",
    };
    crate::vocab::metric_by_name(metric).map_or((title, "", 1), |m| (title, m.unit, m.decimals))
}

fn km(m: f64) -> String {
    let k = m / 1000.0;
    if k >= 100.0 {
        format!("{k:.0}")
    } else {
        format!("{k:.1}")
    }
}

/// `v` with `dp` decimals and its sign, without a sign when it rounds to zero ("0.0", not
/// "-0.0").
fn signed(v: f64, dp: usize) -> String {
    let t = format!("{v:+.dp$}");
    if t[1..].chars().all(|c| c == '0' || c == '.') {
        t[1..].to_string()
    } else {
        t
    }
}

/// A week's change as a label that agrees with its colour: whole percent, with one decimal
/// where whole percent would round onto a flag threshold ("+10.3 %", not "+10 %", on a week
/// flagged for more than 10 %).
fn change_label(pct: f64) -> String {
    let whole = pct.round();
    let near = [
        crate::block::load::WEEK_CHANGE_FLAG_PCT,
        crate::block::load::WEEK_CHANGE_HIGH_PCT,
    ]
    .iter()
    .any(|t| whole == *t && pct != *t);
    format!("{} %", signed(pct, usize::from(near)))
}

/// "23 h 05 min", "45 min".
fn hours_minutes(seconds: f64) -> String {
    let m = (seconds.max(0.0) / 60.0).round() as u64;
    if m >= 60 {
        format!("{} h {:02} min", m / 60, m % 60)
    } else {
        format!("{m} min")
    }
}

fn draw_header<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    r: Rect,
    input: &BlockInput<'_>,
    s: f64,
) -> Result<(), OutputError> {
    let b = input.block;
    let pad = super::page_title(
        root,
        r,
        "gaitguard training-block report",
        &block_dates(b.first_day, b.last_day),
        fit_text,
        s,
    )?;
    let inner_w = r.w.saturating_sub(2 * pad as u32);
    let ff = font(15.0 * s);
    let lh = (21.0 * s) as i32;
    let mut y = r.y + pad + (36.0 * s) as i32;
    for (text, c) in [
        (load_facts(b).join(" · "), palette::INK),
        (risk_fact(b), palette::INK),
    ] {
        text_at(
            root,
            &fit_text(&text, &ff, inner_w),
            &style(ff.clone(), c),
            (r.x + pad, y),
        )?;
        y += lh;
    }
    let warn = block_warnings(b);
    for w in warn.iter().take(MAX_WARNINGS) {
        text_at(
            root,
            &fit_text(&format!("⚠ {w}"), &ff, inner_w),
            &style(ff.clone(), palette::VERMILION),
            (r.x + pad, y),
        )?;
        y += lh;
    }
    if warn.len() > MAX_WARNINGS {
        text_at(
            root,
            &format!(
                "… and {} more warning(s) in the terminal summary",
                warn.len() - MAX_WARNINGS
            ),
            &style(ff, palette::MUTED),
            (r.x + pad, y),
        )?;
    }
    Ok(())
}

/// The block's dates beside the title: "2026-09-07 to 2026-10-18 (6.0 weeks)", in days under
/// two weeks.
fn block_dates(first: Option<NaiveDate>, last: Option<NaiveDate>) -> String {
    match (first, last) {
        (Some(a), Some(c)) => {
            let days = (c - a).num_days() + 1;
            if days < 14 {
                format!("{a} to {c} ({days} day(s))")
            } else {
                format!("{a} to {c} ({:.1} weeks)", days as f64 / 7.0)
            }
        }
        _ => "no dated runs".to_string(),
    }
}

/// The first header line: files analysed and runs counted, failures, skipped files, the
/// counted runs' distance and running time, runs without distance.
fn load_facts(b: &Block) -> Vec<String> {
    let counted: Vec<&BlockSession> = b.sessions.iter().filter(|x| x.block.counted).collect();
    // (Start from +0.0: an empty float sum is −0.0.)
    let dist: f64 = counted
        .iter()
        .filter_map(|x| x.doc.summary.distance_m)
        .fold(0.0, |a, v| a + v);
    let time: f64 = counted
        .iter()
        .map(|x| x.doc.summary.running_time_s)
        .fold(0.0, |a, v| a + v);
    let mut l1 = vec![format!(
        "{} file(s) analysed, {} run(s) counted in the load",
        b.sessions.len(),
        counted.len()
    )];
    if !b.failures.is_empty() {
        l1.push(format!("{} failed", b.failures.len()));
    }
    if !b.skipped.is_empty() {
        l1.push(format!("{} other file(s) skipped", b.skipped.len()));
    }
    l1.push(format!(
        "{} km, {} of running",
        km(dist),
        hours_minutes(time)
    ));
    let no_dist = counted
        .iter()
        .filter(|x| x.doc.summary.distance_m.is_none())
        .count();
    if no_dist > 0 {
        l1.push(format!("{no_dist} run(s) without distance"));
    }
    l1
}

/// The second header line: the current risk indicator, or why there is none.
fn risk_fact(b: &Block) -> String {
    match &b.risk {
        Some(x) => format!(
            "calf-strain risk indicator on {}: {}/100, {} (an indicator, not a diagnosis)",
            x.date,
            x.score,
            x.level.name()
        ),
        None => "calf-strain risk indicator: not assessed (no run counted)".to_string(),
    }
}

/// The header's warnings: the files that could not be analysed (the first three named),
/// then the block's warnings.
fn block_warnings(b: &Block) -> Vec<String> {
    let mut warn: Vec<String> = Vec::new();
    if !b.failures.is_empty() {
        let names: Vec<String> = b
            .failures
            .iter()
            .take(3)
            .map(|f| super::file_name(&f.file))
            .collect();
        warn.push(format!(
            "could not analyse {} file(s): {}{} (reasons in the terminal summary and --json)",
            b.failures.len(),
            names.join(", "),
            if b.failures.len() > 3 { ", …" } else { "" }
        ));
    }
    warn.extend(b.warnings.iter().map(|w| w.message.clone()));
    warn
}

/// A caption: the bold title on the left, the legend right-aligned above the band names.
/// Returns the caption's height.
fn caption<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    r: Rect,
    title: &str,
    legend: &[(Mark, String)],
    s: f64,
) -> Result<u32, OutputError> {
    super::panel::caption(root, r, title, legend, RIGHT_W, s)
}

/// A chart on the shared date axis.
type DateChart<'a, DB> = XyChart<'a, DB>;

/// A chart on `body` with the shared date axis (grid lines at the date ticks, labels only when
/// `x_labels`) and a numeric y axis labelled `y_desc`.
#[allow(clippy::too_many_arguments)]
fn date_chart<'a, DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    area: &'a DrawingArea<DB, Shift>,
    body: Rect,
    axis: &Axis,
    (ylo, yhi): (f64, f64),
    y_desc: &str,
    y_fmt: &dyn Fn(&f64) -> String,
    x_labels: bool,
    s: f64,
) -> Result<DateChart<'a, DB>, OutputError> {
    let axis_h = if x_labels { (44.0 * s) as u32 } else { 0 };
    let mut chart = ChartBuilder::on(area)
        .margin_right((RIGHT_W * s) as u32)
        .margin_top((4.0 * s) as u32)
        .x_label_area_size(axis_h)
        .y_label_area_size((Y_AXIS_W * s) as u32)
        .build_cartesian_2d(0f64..axis.days, ylo..yhi)
        .map_err(draw_err)?;
    let plot_h = body.h.saturating_sub(axis_h);
    let y_ticks = tick_count(plot_h, (22.0 * s) as u32, 6);
    let mut mesh = chart.configure_mesh();
    mesh.x_labels(0).y_labels(y_ticks).y_label_formatter(y_fmt);
    axis_style(&mut mesh, s)
        .y_desc(y_desc)
        .draw()
        .map_err(draw_err)?;
    // Date grid and labels.
    let lf = font(13.0 * s);
    let (ticks, years) = axis.ticks(axis.max_ticks);
    let (_, ytop) = chart.backend_coord(&(0.0, yhi));
    let (_, ybot) = chart.backend_coord(&(0.0, ylo));
    let (bx, by) = root.get_base_pixel();
    for (x, label) in &ticks {
        let (px, _) = chart.backend_coord(&(*x, ylo));
        root.draw(&PathElement::new(
            vec![(px - bx, ytop - by), (px - bx, ybot - by)],
            ShapeStyle::from(&palette::GRID).stroke_width(1),
        ))
        .map_err(draw_err)?;
        if x_labels {
            root.draw(&PathElement::new(
                vec![
                    (px - bx, ybot - by),
                    (px - bx, ybot - by + (5.0 * s) as i32),
                ],
                ShapeStyle::from(&palette::FRAME).stroke_width(1),
            ))
            .map_err(draw_err)?;
            text_at(
                root,
                label,
                &style(lf.clone(), palette::INK).pos(Pos::new(HPos::Left, VPos::Top)),
                (px + (3.0 * s) as i32, ybot + (7.0 * s) as i32),
            )?;
        }
    }
    if x_labels {
        let (xl, _) = chart.backend_coord(&(0.0, ylo));
        let (xr, _) = chart.backend_coord(&(axis.days, ylo));
        text_at(
            root,
            &years,
            &style(font(13.0 * s), palette::INK).pos(Pos::new(HPos::Center, VPos::Top)),
            ((xl + xr) / 2, ybot + (26.0 * s) as i32),
        )?;
    }
    Ok(chart)
}

/// A date chart of distance, 0 to `yhi` km.
fn km_chart<'a, DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    area: &'a DrawingArea<DB, Shift>,
    body: Rect,
    axis: &Axis,
    yhi: f64,
    x_labels: bool,
    s: f64,
) -> Result<DateChart<'a, DB>, OutputError> {
    let y_dec = tick_decimals(0.0, yhi, 6);
    let y_fmt = move |v: &f64| format!("{v:.y_dec$}");
    date_chart(
        root,
        area,
        body,
        axis,
        (0.0, yhi),
        "km",
        &y_fmt,
        x_labels,
        s,
    )
}

/// The history panel of a long block: a bar per calendar month (its running distance) on
/// the whole block's axis, a triangle over the month of each long-run spike, and the recent
/// part (`recent`, drawn in detail below) shaded.
fn draw_history<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    r: Rect,
    b: &Block,
    recent: &Block,
    axis: &Axis,
    s: f64,
) -> Result<(), OutputError> {
    let cap = caption(
        root,
        r,
        panel_title(BlockPanel::History),
        &[
            (Mark::Square(palette::BLUE), "month".into()),
            (Mark::Triangle(palette::VERMILION), "long-run spike".into()),
            (
                Mark::Shade(palette::MUTED, 0.18),
                format!("last {DETAIL_WEEKS} weeks, in detail below"),
            ),
        ],
        s,
    )?;
    let (_, body) = r.take_top(cap);
    let months = monthly_km(&b.days);
    let top = months.iter().map(|m| m.1).fold(0.0, f64::max);
    let yhi = (top * 1.2).max(1.0);
    let area = sub_area(root, body);
    let mut chart = km_chart(root, &area, body, axis, yhi, true, s)?;
    if let Some(from) = recent.days.first().map(|d| d.date) {
        chart
            .draw_series(std::iter::once(Rectangle::new(
                [(axis.x(from), 0.0), (axis.days, yhi)],
                palette::MUTED.mix(0.18).filled(),
            )))
            .map_err(draw_err)?;
    }
    for (m, km) in &months {
        let next = m
            .checked_add_months(chrono::Months::new(1))
            .unwrap_or(*m + chrono::Days::new(31));
        let (a, c) = (axis.x(*m) + 2.0, axis.x(next) - 2.0);
        chart
            .draw_series(std::iter::once(Rectangle::new(
                [(a, 0.0), (c, *km)],
                palette::BLUE.mix(0.85).filled(),
            )))
            .map_err(draw_err)?;
    }
    // Spikes: a triangle above their month's bar, stacked when a month has several.
    let size = (5.0 * s).max(2.0) as i32;
    let mut stacked: Vec<(NaiveDate, i32)> = Vec::new();
    for x in b.sessions.iter().filter(|x| x.block.spike.is_some()) {
        let d = x.block.local_date;
        let Some(m) = NaiveDate::from_ymd_opt(d.year(), d.month(), 1) else {
            continue;
        };
        let km = months.iter().find(|(mm, _)| *mm == m).map_or(0.0, |v| v.1);
        let n = match stacked.iter_mut().find(|(mm, _)| *mm == m) {
            Some(e) => {
                e.1 += 1;
                e.1
            }
            None => {
                stacked.push((m, 0));
                0
            }
        };
        let (px, py) = chart.backend_coord(&(axis.x_of_session(x), km));
        let y = py - size - 2 - n * (2 * size + 1);
        draw_mark(root, Mark::Triangle(palette::VERMILION), (px, y), s)?;
    }
    Ok(())
}

fn draw_weekly<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    r: Rect,
    b: &Block,
    axis: &Axis,
    x_labels: bool,
    s: f64,
) -> Result<(), OutputError> {
    let title = panel_title(BlockPanel::WeeklyDistance);
    let cap = caption(
        root,
        r,
        title,
        &[
            (Mark::Square(palette::BLUE), "not flagged".into()),
            (Mark::Square(palette::ORANGE), "up > 10 %".into()),
            (Mark::Square(palette::VERMILION), "up > 30 %".into()),
            (Mark::Line(palette::INK, 1), "+10 %".into()),
            (
                Mark::Line(palette::INK, 3),
                "+30 % of the week before".into(),
            ),
        ],
        s,
    )?;
    let (_, body) = r.take_top(cap);
    // Room for the bars and, on flagged weeks, their +30 % marks.
    let top = b
        .weeks
        .iter()
        .map(|w| {
            let mark = marked_prev(w).map_or(0.0, |p| 1.3 * p);
            w.totals.distance_m.max(mark)
        })
        .fold(0.0, f64::max)
        / 1000.0;
    let yhi = (top * 1.22).max(1.0);
    let area = sub_area(root, body);
    let mut chart = km_chart(root, &area, body, axis, yhi, x_labels, s)?;
    for w in &b.weeks {
        draw_week(root, &mut chart, axis, w, yhi, s)?;
    }
    Ok(())
}

/// The previous week's distance, m, on weeks flagged for rising more than 10 % (it is where
/// their +10 % and +30 % marks go; on every week they would only clutter a steady block).
fn marked_prev(w: &Week) -> Option<f64> {
    w.totals
        .change_pct
        .filter(|c| *c > crate::block::load::WEEK_CHANGE_FLAG_PCT)
        .map(|c| w.totals.distance_m / (1.0 + c / 100.0))
}

/// The colour of a week's bar by its change from the week before: vermilion over +30 %,
/// orange over +10 %, blue otherwise.
fn week_color(change_pct: Option<f64>) -> RGBColor {
    match change_pct {
        Some(ch) if ch > crate::block::load::WEEK_CHANGE_HIGH_PCT => palette::VERMILION,
        Some(ch) if ch > crate::block::load::WEEK_CHANGE_FLAG_PCT => palette::ORANGE,
        _ => palette::BLUE,
    }
}

/// One week: its bar (pale when the week is partial), the +10 % and +30 % marks of the week
/// before on flagged weeks, and its labels above.
fn draw_week<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    chart: &mut DateChart<'_, DB>,
    axis: &Axis,
    w: &Week,
    yhi: f64,
    s: f64,
) -> Result<(), OutputError> {
    let t = &w.totals;
    let x0 = axis.x(t.week_start);
    let (a, c) = (x0 + 0.6, x0 + 6.4);
    let d = t.distance_m / 1000.0;
    let partial = w.flags.iter().any(|f| f == "partial");
    let color = week_color(t.change_pct);
    let fill = if partial {
        color.mix(0.35).filled()
    } else {
        color.mix(0.85).filled()
    };
    chart
        .draw_series(std::iter::once(Rectangle::new([(a, 0.0), (c, d)], fill)))
        .map_err(draw_err)?;
    let (pa, _) = chart.backend_coord(&(a, 0.0));
    let (pc, py) = chart.backend_coord(&(c, d));
    // The +10 % and +30 % marks of the previous week's distance, a little wider than the
    // bar so they show on any colour.
    if let Some(p) = marked_prev(w) {
        for (k, wid) in [(1.1, 1u32), (1.3, 3u32)] {
            let y = k * p / 1000.0;
            chart
                .draw_series(std::iter::once(PathElement::new(
                    vec![(a - 0.35, y), (c + 0.35, y)],
                    ShapeStyle::from(&palette::INK).stroke_width((wid as f64 * s).max(1.0) as u32),
                )))
                .map_err(draw_err)?;
        }
    }
    // Labels above the bar and its marks.
    let mark_top = marked_prev(w).map_or(d, |p| d.max(1.3 * p / 1000.0));
    let y = chart.backend_coord(&(a, mark_top)).1.min(py) - (5.0 * s) as i32;
    let pct_top = chart.backend_coord(&(a, yhi)).1;
    let lines = week_labels(w, color, partial, s);
    draw_stacked_labels(root, &lines, ((pa, pc), y, pct_top), s)
}

/// A week's labels, top to bottom: the change (in the bar's colour, muted when not
/// flagged), the distance, "partial", runs of unknown distance.
fn week_labels(
    w: &Week,
    color: RGBColor,
    partial: bool,
    s: f64,
) -> Vec<(String, FontDesc<'static>, RGBColor)> {
    let t = &w.totals;
    let (lf, lfb) = (font(12.5 * s), bold(12.5 * s));
    let mut lines = Vec::new();
    if let Some(ch) = t.change_pct {
        let c = if color == palette::BLUE {
            palette::MUTED
        } else {
            color
        };
        lines.push((change_label(ch), lfb, c));
    }
    lines.push((km(t.distance_m), lf.clone(), palette::INK));
    if partial {
        lines.push(("partial".into(), lf.clone(), palette::MUTED));
    }
    if t.runs_without_distance > 0 {
        lines.push((
            format!("+{} run(s) of unknown km", t.runs_without_distance),
            lf,
            palette::MUTED,
        ));
    }
    lines
}

/// Labels stacked upwards from `y` (their bottom) centred over the bar from `pa` to `pc`,
/// pixels: the last first; a label wider than the bar (plus 8 px) is left out, and stacking
/// stops below `top`.
fn draw_stacked_labels<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    lines: &[(String, FontDesc<'static>, RGBColor)],
    ((pa, pc), y, top): ((i32, i32), i32, i32),
    s: f64,
) -> Result<(), OutputError> {
    let bar_w = (pc - pa).max(1);
    let mut y = y;
    for (text, f, c) in lines.iter().rev() {
        if text_width(text, f) as i32 > bar_w + (8.0 * s) as i32 {
            continue;
        }
        if y - (14.0 * s) as i32 <= top {
            break;
        }
        text_at(
            root,
            text,
            &style(f.clone(), *c).pos(Pos::new(HPos::Center, VPos::Bottom)),
            ((pa + pc) / 2, y),
        )?;
        y -= (15.0 * s) as i32;
    }
    Ok(())
}

fn draw_runs<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    r: Rect,
    b: &Block,
    axis: &Axis,
    x_labels: bool,
    s: f64,
) -> Result<(), OutputError> {
    let title = panel_title(BlockPanel::Runs);
    let with_dist: Vec<&BlockSession> = b
        .sessions
        .iter()
        .filter(|x| x.doc.summary.distance_m.is_some_and(|d| d > 0.0))
        .collect();
    let cap = caption(
        root,
        r,
        title,
        &[
            (Mark::Dot(palette::BLUE), "run".into()),
            (Mark::Dot(palette::ORANGE), "hard run".into()),
            (
                Mark::Triangle(palette::VERMILION),
                "spike over the longest of 30 days".into(),
            ),
            (Mark::Dashed(palette::INK), "that longest".into()),
            (Mark::Ring(palette::MUTED), "not counted".into()),
        ],
        s,
    )?;
    let (_, body) = r.take_top(cap);
    let top = with_dist
        .iter()
        .filter_map(|x| x.doc.summary.distance_m)
        .fold(0.0, f64::max)
        / 1000.0;
    let yhi = (top * 1.25).max(1.0);
    let area = sub_area(root, body);
    let mut chart = km_chart(root, &area, body, axis, yhi, x_labels, s)?;
    // Stems first, then marks, then spike labels (kept apart so that they never overlap).
    for x in &with_dist {
        let d = x.doc.summary.distance_m.unwrap_or(0.0) / 1000.0;
        let t = axis.x_of_session(x);
        chart
            .draw_series(std::iter::once(PathElement::new(
                vec![(t, 0.0), (t, d)],
                ShapeStyle::from(&palette::FRAME).stroke_width(1),
            )))
            .map_err(draw_err)?;
    }
    let mut label_right = i32::MIN;
    for x in &with_dist {
        draw_run_mark(root, &chart, axis, x, &mut label_right, s)?;
    }
    Ok(())
}

/// The mark of one run at its distance: a grey ring when not counted, a spike's triangle
/// (with the longest run of the previous 30 days dashed and the increase above it, unless
/// that label would overlap the previous one, whose right edge is `label_right`), an orange
/// dot for a hard run, a blue one otherwise.
fn draw_run_mark<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    chart: &DateChart<'_, DB>,
    axis: &Axis,
    x: &BlockSession,
    label_right: &mut i32,
    s: f64,
) -> Result<(), OutputError> {
    let (bx, by) = root.get_base_pixel();
    let d = x.doc.summary.distance_m.unwrap_or(0.0) / 1000.0;
    let t = axis.x_of_session(x);
    let (px, py) = chart.backend_coord(&(t, d));
    if !x.block.counted {
        return draw_mark(root, Mark::Ring(palette::MUTED), (px, py), s * 0.8);
    }
    let Some(sp) = &x.block.spike else {
        let c = if x.block.hard {
            palette::ORANGE
        } else {
            palette::BLUE
        };
        let rad = (4.0 * s).max(2.0) as u32;
        return root
            .draw(&Circle::new((px - bx, py - by), rad, c.filled()))
            .map_err(draw_err);
    };
    let p = sp.previous_longest_m / 1000.0;
    let (_, pp) = chart.backend_coord(&(t, p));
    dashed_hline(
        root,
        pp - by,
        px - bx - (14.0 * s) as i32,
        px - bx + (14.0 * s) as i32,
        palette::INK,
        (3.0 * s) as i32,
    )?;
    draw_mark(root, Mark::Triangle(palette::VERMILION), (px, py), s * 1.3)?;
    let text = format!("{:+.0} %", sp.increase_pct);
    let lf = bold(12.5 * s);
    let w = text_width(&text, &lf) as i32;
    if px - w / 2 > *label_right {
        text_at(
            root,
            &text,
            &style(lf, palette::VERMILION).pos(Pos::new(HPos::Center, VPos::Bottom)),
            (px, py - (9.0 * s) as i32),
        )?;
        *label_right = px + w / 2 + (4.0 * s) as i32;
    }
    Ok(())
}

fn draw_ratio<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    r: Rect,
    b: &Block,
    axis: &Axis,
    x_labels: bool,
    s: f64,
) -> Result<(), OutputError> {
    let title = panel_title(BlockPanel::AcuteChronic);
    // (day centre, EWMA ratio, rolling ratio)
    let pts: Vec<(f64, Option<f64>, Option<f64>)> = b
        .days
        .iter()
        .map(|d: &Day| {
            (
                axis.x(d.date) + 0.5,
                d.acute_chronic_ratio.filter(|v| v.is_finite()),
                d.acute_chronic_uncoupled.filter(|v| v.is_finite()),
            )
        })
        .collect();
    let cap = caption(
        root,
        r,
        title,
        &[
            (
                Mark::Line(palette::BLUE, (2.0 * s) as u32),
                "EWMA 7:28 d".into(),
            ),
            (
                Mark::Dashed(palette::REDDISH_PURPLE),
                "rolling 7:21 d".into(),
            ),
            (
                Mark::Shade(palette::BLUISH_GREEN, 0.35),
                "0.8–1.3 usual".into(),
            ),
            (Mark::Shade(palette::VERMILION, 0.25), "≥ 1.5".into()),
        ],
        s,
    )?;
    let (_, body) = r.take_top(cap);
    let top = pts
        .iter()
        .flat_map(|p| [p.1, p.2])
        .flatten()
        .fold(0.0, f64::max);
    let yhi = (top * 1.08).clamp(2.0, 5.0);
    let area = sub_area(root, body);
    let y_fmt = |v: &f64| format!("{v:.1}");
    let mut chart = date_chart(
        root,
        &area,
        body,
        axis,
        (0.0, yhi),
        "ratio",
        &y_fmt,
        x_labels,
        s,
    )?;
    draw_ratio_bands(root, &mut chart, axis, yhi, s)?;
    if top * 1.08 > yhi {
        // Cut at the top: say so, with the highest value.
        let (xl, yt) = chart.backend_coord(&(0.0, yhi));
        text_at(
            root,
            &format!("highest {top:.1}: values above {yhi:.0} drawn on the top edge"),
            &style(font(12.5 * s), palette::INK),
            (xl + (6.0 * s) as i32, yt + (4.0 * s) as i32),
        )?;
    }
    let lw = (2.0 * s).round().max(1.0) as u32;
    let rolling: Vec<(f64, Option<f64>)> = pts.iter().map(|p| (p.0, p.2)).collect();
    for run in unbroken_runs(&rolling, yhi) {
        draw_daily_run(&mut chart, &run, palette::REDDISH_PURPLE, 1, true)?;
    }
    let ewma: Vec<(f64, Option<f64>)> = pts.iter().map(|p| (p.0, p.1)).collect();
    for run in unbroken_runs(&ewma, yhi) {
        draw_daily_run(&mut chart, &run, palette::BLUE, lw, false)?;
    }
    Ok(())
}

/// The usual 0.8–1.3 band and the ≥ 1.5 danger zone behind the ratio, named right of the
/// plot.
fn draw_ratio_bands<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    chart: &mut DateChart<'_, DB>,
    axis: &Axis,
    yhi: f64,
    s: f64,
) -> Result<(), OutputError> {
    for (lo, hi, c, a, name) in [
        (0.8, 1.3, palette::BLUISH_GREEN, 0.22, "0.8–1.3"),
        (1.5, yhi, palette::VERMILION, 0.14, "≥ 1.5"),
    ] {
        chart
            .draw_series(std::iter::once(Rectangle::new(
                [(0.0, lo), (axis.days, hi)],
                c.mix(a).filled(),
            )))
            .map_err(draw_err)?;
        let (xr, ya) = chart.backend_coord(&(axis.days, lo));
        let (_, yb) = chart.backend_coord(&(axis.days, hi.min(lo + 0.5)));
        text_at(
            root,
            name,
            &style(font(12.5 * s), c).pos(Pos::new(HPos::Left, VPos::Center)),
            (xr + (5.0 * s) as i32, (ya + yb) / 2),
        )?;
    }
    Ok(())
}

/// Unbroken runs of days with a value, `(x, value)` with values above `yhi` drawn on `yhi`.
fn unbroken_runs(pts: &[(f64, Option<f64>)], yhi: f64) -> Vec<Vec<(f64, f64)>> {
    let mut out = Vec::new();
    let mut run: Vec<(f64, f64)> = Vec::new();
    for &(x, v) in pts {
        match v {
            Some(v) => run.push((x, v.min(yhi))),
            None if !run.is_empty() => out.push(std::mem::take(&mut run)),
            None => {}
        }
    }
    if !run.is_empty() {
        out.push(run);
    }
    out
}

/// One unbroken run of daily values: a line `width` px wide (`dashed`: every other daily
/// segment), or a dot for a single day.
fn draw_daily_run<DB: DrawingBackend>(
    chart: &mut DateChart<'_, DB>,
    run: &[(f64, f64)],
    color: RGBColor,
    width: u32,
    dashed: bool,
) -> Result<(), OutputError> {
    let st = ShapeStyle::from(&color).stroke_width(width);
    if run.len() >= 2 && dashed {
        chart
            .draw_series(
                run.windows(2)
                    .enumerate()
                    .filter(|(i, _)| i % 2 == 0)
                    .map(|(_, w)| PathElement::new(vec![w[0], w[1]], st)),
            )
            .map_err(draw_err)?;
    } else if run.len() >= 2 {
        chart
            .draw_series(LineSeries::new(run.iter().copied(), st))
            .map_err(draw_err)?;
    } else if let Some(&p) = run.first() {
        chart
            .draw_series(std::iter::once(Circle::new(p, 2, color.filled())))
            .map_err(draw_err)?;
    }
    Ok(())
}

fn draw_daily_risk<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    r: Rect,
    input: &BlockInput<'_>,
    axis: &Axis,
    x_labels: bool,
    s: f64,
) -> Result<(), OutputError> {
    let b = input.block;
    let title = panel_title(BlockPanel::DailyRisk);
    let (mod_at, high_at) = input.risk_levels;
    let cap = caption(
        root,
        r,
        title,
        &[
            (Mark::Square(palette::BLUISH_GREEN), "low".into()),
            (
                Mark::Square(palette::ORANGE),
                format!("moderate (≥ {mod_at:.0})"),
            ),
            (
                Mark::Square(palette::VERMILION),
                format!("high (≥ {high_at:.0})"),
            ),
        ],
        s,
    )?;
    let (_, body) = r.take_top(cap);
    let top = b
        .days
        .iter()
        .map(|d| d.risk_score as f64)
        .fold(0.0, f64::max);
    let yhi = (top.max(high_at) * 1.15).clamp(10.0, 100.0);
    let area = sub_area(root, body);
    let y_fmt = |v: &f64| format!("{v:.0}");
    let mut chart = date_chart(
        root,
        &area,
        body,
        axis,
        (0.0, yhi),
        "score",
        &y_fmt,
        x_labels,
        s,
    )?;
    chart
        .draw_series(b.days.iter().filter(|d| d.risk_score > 0).map(|d| {
            let x = axis.x(d.date);
            Rectangle::new(
                [(x + 0.1, 0.0), (x + 0.9, (d.risk_score as f64).min(yhi))],
                level_color(d.risk_level).mix(0.85).filled(),
            )
        }))
        .map_err(draw_err)?;
    let (bx, by) = root.get_base_pixel();
    for (v, name, c) in [
        (mod_at, "moderate", palette::ORANGE),
        (high_at, "high", palette::VERMILION),
    ] {
        if v >= yhi {
            continue;
        }
        let (xl, y) = chart.backend_coord(&(0.0, v));
        let (xr, _) = chart.backend_coord(&(axis.days, v));
        dashed_hline(root, y - by, xl - bx, xr - bx, c, (5.0 * s) as i32)?;
        text_at(
            root,
            name,
            &style(font(12.5 * s), c).pos(Pos::new(HPos::Left, VPos::Center)),
            (xr + (5.0 * s) as i32, y),
        )?;
    }
    Ok(())
}

fn draw_current_risk<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    r: Rect,
    input: &BlockInput<'_>,
    s: f64,
) -> Result<(), OutputError> {
    let Some(risk) = &input.block.risk else {
        return Ok(());
    };
    let title = panel_title(BlockPanel::CurrentRisk);
    let panel = Panel::framed(
        root,
        r,
        &format!("{title} on {}, the block's last day", risk.date),
        10.0,
        s,
    )?;
    let y0 = r.y + panel.pad + (24.0 * s) as i32;
    draw_score(root, &panel, risk, y0)?;
    draw_level_bar(root, &panel, risk, input.risk_levels, y0)?;
    let lines = wrap_reasons(&reason_lines(risk), &panel);
    draw_reasons(root, &panel, lines, y0 + (50.0 * s) as i32)
}

/// The score, large, and "/100  level" beside it, in the level's colour, at `y0`.
fn draw_score<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    panel: &Panel,
    risk: &CurrentRisk,
    y0: i32,
) -> Result<(), OutputError> {
    let (r, pad, s) = (panel.r, panel.pad, panel.s);
    let big = bold(34.0 * s);
    let score = format!("{}", risk.score);
    let c = level_color(risk.level);
    text_at(root, &score, &style(big.clone(), c), (r.x + pad, y0))?;
    let sw = text_width(&score, &big) as i32;
    text_at(
        root,
        &format!("/100  {}", risk.level.name()),
        &style(bold(17.0 * s), c),
        (r.x + pad + sw + (6.0 * s) as i32, y0 + (13.0 * s) as i32),
    )
}

/// A bar of 0–100 right of the score, coloured by level, with the cut-offs labelled and a
/// triangle under the score; left out when the panel is too narrow for it.
fn draw_level_bar<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    panel: &Panel,
    risk: &CurrentRisk,
    levels: (f64, f64),
    y0: i32,
) -> Result<(), OutputError> {
    let (r, pad, s) = (panel.r, panel.pad, panel.s);
    let (mod_at, high_at) = levels;
    let bar_x0 = r.x + pad + (200.0 * s) as i32;
    let bar_x1 = r.right() - pad;
    let bar_y = y0 + (10.0 * s) as i32;
    let bar_h = (12.0 * s) as i32;
    let (bx, by) = root.get_base_pixel();
    if bar_x1 - bar_x0 <= (80.0 * s) as i32 {
        return Ok(());
    }
    let px = |v: f64| bar_x0 + ((bar_x1 - bar_x0) as f64 * v / 100.0).round() as i32;
    for (a, z, level) in level_bands(levels) {
        root.draw(&Rectangle::new(
            [(px(a) - bx, bar_y - by), (px(z) - bx, bar_y + bar_h - by)],
            level_color(level).mix(0.8).filled(),
        ))
        .map_err(draw_err)?;
    }
    let xs = px((risk.score as f64).clamp(0.0, 100.0));
    let tip_y = bar_y + bar_h - by;
    root.draw(&Polygon::new(
        vec![
            (xs - bx, tip_y + 1),
            (xs - bx - (6.0 * s) as i32, tip_y + (10.0 * s) as i32),
            (xs - bx + (6.0 * s) as i32, tip_y + (10.0 * s) as i32),
        ],
        palette::BLACK.filled(),
    ))
    .map_err(draw_err)?;
    let sf = font(12.0 * s);
    for v in [0.0, mod_at, high_at, 100.0] {
        text_at(
            root,
            &format!("{v:.0}"),
            &style(sf.clone(), palette::MUTED).pos(Pos::new(HPos::Center, VPos::Bottom)),
            (px(v), bar_y - (2.0 * s) as i32),
        )?;
    }
    Ok(())
}

/// One line of the current risk's reasons: text, colour, whether it is a heading.
type ReasonLine = (String, RGBColor, bool);

/// The reasons under the score: the (at most four) factors with points and their citations,
/// the modifiers, what could not be assessed, and this week's plan.
fn reason_lines(risk: &CurrentRisk) -> Vec<ReasonLine> {
    let mut lines: Vec<ReasonLine> = Vec::new();
    let scored: Vec<_> = risk.factors.iter().filter(|f| f.points > 0.0).collect();
    if scored.is_empty() {
        lines.push(("No factor scored on this day.".into(), palette::INK, false));
    }
    for f in scored.iter().take(4) {
        lines.push((
            format!("+{:.1}  {}: {} ({})", f.points, f.label, f.detail, f.cite),
            palette::INK,
            false,
        ));
    }
    for m in &risk.modifiers {
        lines.push((
            format!("×{:.2}  {}: {}", m.value, m.label, m.detail),
            palette::INK,
            false,
        ));
    }
    for n in &risk.not_assessed {
        lines.push((
            format!(
                "not assessed: {}: {}",
                super::session::factor_name(n.id),
                n.reason
            ),
            palette::MUTED,
            false,
        ));
    }
    if !risk.this_week.is_empty() {
        lines.push(("This week:".into(), palette::BLUE, true));
        for p in &risk.this_week {
            lines.push((format!("• {p}"), palette::INK, false));
        }
    }
    lines
}

/// The font of a reason line: 13.5 px, bold for a heading.
fn reason_font(is_head: bool, s: f64) -> FontDesc<'static> {
    if is_head {
        bold(13.5 * s)
    } else {
        font(13.5 * s)
    }
}

/// The reasons wrapped to the panel, continuation lines indented: (line, colour, heading,
/// indent in pixels).
fn wrap_reasons(lines: &[ReasonLine], panel: &Panel) -> Vec<(String, RGBColor, bool, i32)> {
    let s = panel.s;
    let mut wrapped = Vec::new();
    for (text, c, is_head) in lines {
        let f = reason_font(*is_head, s);
        let width = panel.inner_w().saturating_sub((14.0 * s) as u32);
        for (i, l) in wrap_text(text, &f, width).into_iter().enumerate() {
            let indent = if i > 0 { (14.0 * s) as i32 } else { 0 };
            wrapped.push((l, *c, *is_head, indent));
        }
    }
    wrapped
}

/// The wrapped reasons from `y` down to the panel's padding; when they do not all fit, the
/// last line says where the rest is.
fn draw_reasons<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    panel: &Panel,
    wrapped: Vec<(String, RGBColor, bool, i32)>,
    y: i32,
) -> Result<(), OutputError> {
    let (r, pad, s) = (panel.r, panel.pad, panel.s);
    let lh = (18.0 * s) as i32;
    let bottom = r.bottom() - pad;
    let mut y = y;
    let fit = ((bottom - y) / lh).max(0) as usize;
    let cut = wrapped.len() > fit;
    for (k, (l, c, is_head, indent)) in wrapped.into_iter().enumerate().take(fit) {
        if cut && k + 1 == fit {
            text_at(
                root,
                "… (the rest in the terminal summary and --json)",
                &style(reason_font(false, s), palette::MUTED),
                (r.x + pad, y),
            )?;
            break;
        }
        text_at(
            root,
            &l,
            &style(reason_font(is_head, s), c),
            (r.x + pad + indent, y),
        )?;
        y += lh;
    }
    Ok(())
}

/// A session's value of `metric` for the trend panel: its median, normalised to the trend's
/// reference speed with the trend's speed coefficient when the trend is speed-adjusted
/// (`median − per_mps · (speed − reference_speed)`); `None` when the session lacks the metric
/// (or, for a speed-adjusted trend, its speed).
pub fn speed_normalised(s: &BlockSession, metric: &str, t: Option<&Trend>) -> Option<f64> {
    let m = s.doc.summary.metrics.get(metric).copied().flatten()?.median;
    if !m.is_finite() {
        return None;
    }
    match t.and_then(|t| Some((t.per_mps?, t.reference_speed_mps?))) {
        Some((c, v_ref)) => {
            let v = s
                .doc
                .summary
                .metrics
                .get(Channel::SpeedMps.name())
                .copied()
                .flatten()
                .map(|x| x.median)?;
            Some(m - c * (v - v_ref))
        }
        None => Some(m),
    }
}

fn draw_trend<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    r: Rect,
    b: &Block,
    metric: &'static str,
    axis: &Axis,
    x_labels: bool,
    s: f64,
) -> Result<(), OutputError> {
    let (_, unit, dec) = trend_title(metric);
    let trend = trend_of(b, metric);
    let pts: Vec<(f64, f64)> = b
        .sessions
        .iter()
        .filter(|x| x.block.counted)
        .filter_map(|x| Some((axis.x_of_session(x), speed_normalised(x, metric, trend)?)))
        .collect();
    let title = trend_panel_title(b, metric);
    let summary = match trend {
        Some(t) => format!(
            "{} {unit}/week ± {:.dp$}, {} confidence",
            signed(t.per_week, dec + 1),
            t.standard_error_per_week,
            t.confidence,
            dp = dec + 1
        ),
        None => "fewer than 3 runs: no trend".to_string(),
    };
    let cap = caption(
        root,
        r,
        &title,
        &[(Mark::Dot(palette::SKY_BLUE), summary)],
        s,
    )?;
    let (_, body) = r.take_top(cap);
    let line = trend.map(|t| fitted_line(&pts, t.per_week));
    let (ylo, yhi) = trend_range(&pts, line, metric);
    let area = sub_area(root, body);
    let y_dec = tick_decimals(ylo, yhi, 4);
    let y_fmt = move |v: &f64| format!("{v:.y_dec$}");
    let mut chart = date_chart(
        root,
        &area,
        body,
        axis,
        (ylo, yhi),
        unit,
        &y_fmt,
        x_labels,
        s,
    )?;
    let rad = (3.5 * s).max(2.0) as u32;
    chart
        .draw_series(
            pts.iter()
                .map(|&p| Circle::new(p, rad, palette::SKY_BLUE.mix(0.9).filled())),
        )
        .map_err(draw_err)?;
    match (trend, line) {
        (Some(t), Some(line)) => {
            draw_trend_line(&mut chart, line, t.confidence == Confidence::Low, s)
        }
        _ => Ok(()),
    }
}

/// The fitted slope of `per_week` through the centroid of `pts` (days, value), from the
/// first to the last point's day: the least-squares line passes through the means, and the
/// day origin only shifts the intercept.
fn fitted_line(pts: &[(f64, f64)], per_week: f64) -> [(f64, f64); 2] {
    let n = pts.len() as f64;
    let (mx, my) = (
        pts.iter().map(|p| p.0).sum::<f64>() / n,
        pts.iter().map(|p| p.1).sum::<f64>() / n,
    );
    let (x0, x1) = (
        pts.iter().map(|p| p.0).fold(f64::INFINITY, f64::min),
        pts.iter().map(|p| p.0).fold(f64::NEG_INFINITY, f64::max),
    );
    let per_day = per_week / 7.0;
    [
        (x0, my + per_day * (x0 - mx)),
        (x1, my + per_day * (x1 - mx)),
    ]
}

/// The value axis of a trend panel: every point and both ends of the line, 15 % wider than
/// their spread and at least the metric's minimum span (8 spm, 20 ms, 1 cm), centred.
fn trend_range(pts: &[(f64, f64)], line: Option<[(f64, f64); 2]>, metric: &str) -> (f64, f64) {
    let ys: Vec<f64> = pts
        .iter()
        .map(|p| p.1)
        .chain(line.iter().flat_map(|l| [l[0].1, l[1].1]))
        .filter(|v| v.is_finite())
        .collect();
    let lo = ys.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = ys.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let min_span = match metric {
        "cadence_spm" => 8.0,
        "ground_contact_ms" => 20.0,
        _ => 1.0,
    };
    let mid = 0.5 * (lo + hi);
    let half = (0.5 * (hi - lo) * 1.15).max(0.5 * min_span);
    (mid - half, mid + half)
}

/// The trend line, dashed when its confidence is low (no trend told apart from noise).
fn draw_trend_line<DB: DrawingBackend>(
    chart: &mut DateChart<'_, DB>,
    line: [(f64, f64); 2],
    dashed: bool,
    s: f64,
) -> Result<(), OutputError> {
    let w = (2.5 * s).round().max(1.0) as u32;
    if dashed {
        let k = 24;
        chart
            .draw_series((0..k).filter(|i| i % 2 == 0).map(|i| {
                let f = |j: usize| {
                    let u = j as f64 / k as f64;
                    (
                        line[0].0 + u * (line[1].0 - line[0].0),
                        line[0].1 + u * (line[1].1 - line[0].1),
                    )
                };
                PathElement::new(
                    vec![f(i), f(i + 1)],
                    ShapeStyle::from(&palette::BLUE).stroke_width(w),
                )
            }))
            .map_err(draw_err)?;
    } else {
        chart
            .draw_series(std::iter::once(PathElement::new(
                line.to_vec(),
                ShapeStyle::from(&palette::BLUE).stroke_width(w),
            )))
            .map_err(draw_err)?;
    }
    Ok(())
}

fn draw_footer<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    r: Rect,
    b: &Block,
    s: f64,
) -> Result<(), OutputError> {
    let sources = "How to read it and sources: weekly change is against the previous full week, \
        > 10 % and > 30 % flagged (Nielsen 2014; the 10 % rule did not prevent injuries in a trial, Buist 2008); \
        spikes are runs longer than the longest of the previous 30 days (Frandsen 2025); acute:chronic ratio of daily \
        load, EWMA 7:28 days (Williams 2017) and rolling 7:21 days (Lolli 2019), 0.8–1.3 band and ≥ 1.5 (Gabbett 2016; \
        disputed, Impellizzeri 2020); trends are least-squares slopes of the session medians, at constant speed where \
        speeds vary (dashed: not told apart from noise); each factor's citation is in gaitguard block --json.";
    let risk = b.risk.as_ref();
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

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn day(date: &str, km: f64) -> Day {
        Day {
            date: d(date),
            distance_m: km * 1000.0,
            duration_s: 0.0,
            load_au: 0.0,
            sessions: usize::from(km > 0.0),
            acute_chronic_ratio: None,
            acute_chronic_uncoupled: None,
            risk_score: 0,
            risk_level: crate::risk::Level::Low,
            flags: vec![],
        }
    }

    #[test]
    fn months_sum_their_days() {
        let days = [
            day("2025-01-30", 5.0),
            day("2025-01-31", 7.5),
            day("2025-02-01", 10.0),
            day("2025-02-02", 0.0),
            day("2025-03-15", 2.0),
        ];
        assert_eq!(
            monthly_km(&days),
            [
                (d("2025-01-01"), 12.5),
                (d("2025-02-01"), 10.0),
                (d("2025-03-01"), 2.0)
            ]
        );
    }

    #[test]
    fn signs_and_durations() {
        assert_eq!(change_label(10.3), "+10.3 %");
        assert_eq!(change_label(29.6), "+29.6 %");
        assert_eq!(change_label(35.1), "+35 %");
        assert_eq!(change_label(-0.3), "0 %");
        assert_eq!(change_label(-18.7), "-19 %");
        assert_eq!(signed(-0.004, 1), "0.0");
        assert_eq!(signed(0.26, 1), "+0.3");
        assert_eq!(signed(-1.0, 0), "-1");
        assert_eq!(hours_minutes(83_100.0), "23 h 05 min");
        assert_eq!(hours_minutes(2_700.0), "45 min");
    }

    #[test]
    fn weeks_are_coloured_by_their_flag() {
        use crate::block::load::{WEEK_CHANGE_FLAG_PCT as FLAG, WEEK_CHANGE_HIGH_PCT as HIGH};
        assert_eq!(week_color(None), palette::BLUE);
        assert_eq!(week_color(Some(FLAG)), palette::BLUE);
        assert_eq!(week_color(Some(FLAG + 0.1)), palette::ORANGE);
        assert_eq!(week_color(Some(HIGH)), palette::ORANGE);
        assert_eq!(week_color(Some(HIGH + 0.1)), palette::VERMILION);
        assert_eq!(week_color(Some(-50.0)), palette::BLUE);
    }

    #[test]
    fn daily_values_break_into_runs_at_missing_days() {
        let pts = [
            (0.5, None),
            (1.5, Some(1.0)),
            (2.5, None),
            (3.5, Some(2.0)),
            (4.5, Some(9.0)),
        ];
        assert_eq!(
            unbroken_runs(&pts, 5.0),
            vec![vec![(1.5, 1.0)], vec![(3.5, 2.0), (4.5, 5.0)]]
        );
        assert!(unbroken_runs(&[(0.5, None)], 5.0).is_empty());
    }

    #[test]
    fn the_trend_line_passes_through_the_centroid() {
        let pts = [(0.0, 0.0), (7.0, 1.0), (14.0, 2.0)];
        let [(x0, y0), (x1, y1)] = fitted_line(&pts, 1.0);
        assert_eq!((x0, x1), (0.0, 14.0));
        assert!(y0.abs() < 1e-9 && (y1 - 2.0).abs() < 1e-9, "{y0} {y1}");
        // A flat cadence keeps the minimum span of 8 spm, centred.
        assert_eq!(
            trend_range(&[(0.0, 170.0), (7.0, 171.0)], None, "cadence_spm"),
            (166.5, 174.5)
        );
        // A wide spread is widened by 15 %, and the line's ends count.
        let (lo, hi) = trend_range(&[(0.0, 200.0)], Some([(0.0, 200.0), (7.0, 300.0)]), "x");
        assert!(
            (lo - 192.5).abs() < 1e-9 && (hi - 307.5).abs() < 1e-9,
            "{lo} {hi}"
        );
    }

    #[test]
    fn header_dates_in_days_or_weeks() {
        assert_eq!(
            block_dates(Some(d("2026-09-07")), Some(d("2026-09-13"))),
            "2026-09-07 to 2026-09-13 (7 day(s))"
        );
        assert_eq!(
            block_dates(Some(d("2026-09-07")), Some(d("2026-10-18"))),
            "2026-09-07 to 2026-10-18 (6.0 weeks)"
        );
        assert_eq!(block_dates(None, None), "no dated runs");
    }

    #[test]
    fn date_labels_go_under_the_lowest_panel_with_data() {
        let p = |kind, w, empty: bool| BlockPanelReport {
            kind,
            rect: Rect::new(0, 0, w, 100),
            empty: empty.then(|| "none".to_string()),
        };
        let panels = vec![
            p(BlockPanel::Header, 1500, false),
            p(BlockPanel::WeeklyDistance, 900, false),
            p(BlockPanel::Runs, 900, false),
            p(BlockPanel::DailyRisk, 900, true),
            p(BlockPanel::Trend(TREND_PANELS[0]), 580, true),
            p(BlockPanel::Trend(TREND_PANELS[1]), 560, true),
        ];
        assert_eq!(date_labels_under(&panels), [Some(BlockPanel::Runs), None]);
        // The narrowest date panel, empty or not; the header does not count.
        assert_eq!(narrowest_date_panel(&panels, 1600), 560);
        assert_eq!(narrowest_date_panel(&panels[..1], 1600), 1600);
    }

    #[test]
    fn date_ticks_are_mondays_or_months_and_fit() {
        // 2026-09-07 is a Monday; six weeks.
        let a = Axis {
            start: d("2026-09-07"),
            days: 42.0,
            max_ticks: 8,
        };
        let (t, years) = a.ticks(8);
        assert_eq!(years, "date (2026)");
        assert!(t.len() <= 8 && t.len() >= 3, "{t:?}");
        assert_eq!(t[0], (0.0, "Sep 7".to_string()));
        assert!(t.iter().all(|(x, _)| x.rem_euclid(7.0) == 0.0), "{t:?}");
        // Two years: months, labelled with the year in January.
        let a = Axis {
            start: d("2025-01-06"),
            days: 721.0,
            max_ticks: 14,
        };
        let (t, years) = a.ticks(14);
        assert_eq!(years, "date (2025–2026)");
        assert!(t.len() <= 14, "{t:?}");
        assert!(t.iter().any(|(_, l)| l == "Jan 2026"), "{t:?}");
        for (x, _) in &t {
            let day = a.start + chrono::Days::new(*x as u64);
            assert_eq!(day.day(), 1, "{t:?}");
        }
        // Thirteen years: years, at most the ticks asked for.
        let a = Axis {
            start: d("2013-02-04"),
            days: 5040.0,
            max_ticks: 6,
        };
        let (t, _) = a.ticks(6);
        assert!(t.len() <= 6 && t.len() >= 2, "{t:?}");
        assert!(t.iter().all(|(_, l)| l.len() == 4), "{t:?}");
        // A one-day axis still gets a tick.
        let a = Axis {
            start: d("2026-09-07"),
            days: 1.0,
            max_ticks: 2,
        };
        assert!(!a.ticks(2).0.is_empty());
    }
}
