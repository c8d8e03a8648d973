//! Stage 6, **session**: the session document, `gaitguard.session/1`: what one analysed file says, in the names
//! every output (JSON, terminal, PNG, block) reads.
//!
//! Stable names for users' scripts and for later stages: `schema, file, format, source,
//! device, sensors, sport, placement, activity, start_time, start_time_rejected (only when
//! the file's clock was implausible), utc_offset_s, duration_s, running_time_s,
//! walking_time_s, distance_m, sample_rate_hz, metrics_from, metrics{name: {mean, median,
//! p10, p90, n, zone, derived} | null}, drift{name: {first_third, last_third, change,
//! change_pct} | null}, warmup, elevation, sessions[], skipped_sessions[],
//! warnings[{code, message}]`, and for raw sensor files (`source: "raw"`) a `raw` object
//! (placement, sample_rate_hz, rate_tier, accel_unit, gravity_included, quality, alignment,
//! events, definitions, cadence_check, vo_check, sides, bouts, withheld, steps_detected). A
//! metric the data cannot give is `null`, never 0.

use crate::gait::RawReport;
use crate::metrics::SessionMetrics;
use crate::recording::{Placement, Recording};
use serde::Serialize;

/// What a session's metrics were computed from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// Per-record watch, footpod or app data (the device's own running dynamics).
    Summary,
    /// A raw accelerometer signal, through the signal and gait stages.
    Raw,
}

/// Schema identifier.
pub const SESSION_SCHEMA: &str = "gaitguard.session/1";

/// The session document.
#[derive(Debug, Clone, Serialize)]
pub struct SessionDoc {
    /// Always `gaitguard.session/1`.
    pub schema: &'static str,
    /// Input path as given.
    pub file: String,
    /// Dialect.
    pub format: &'static str,
    /// `summary` (per-record watch/footpod data) or `raw` (accelerometer signal).
    pub source: Source,
    /// Recording device.
    pub device: Option<String>,
    /// Sensors paired with it.
    pub sensors: Vec<String>,
    /// Sport of the analysed session(s), when the file says.
    pub sport: Option<String>,
    /// Where the dynamics sensor sat, when known.
    pub placement: Option<Placement>,
    /// Start of the analysed portion, RFC 3339 UTC, or null.
    pub start_time: Option<String>,
    /// The file's own start time when it was implausible (before 1990 or in the future) and
    /// so left out of `start_time`; absent otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start_time_rejected: Option<String>,
    /// Local time minus UTC, s, when the file says.
    pub utc_offset_s: Option<i64>,
    /// The metrics stage's result (activity, times, metrics, drift, warm-up, elevation,
    /// sessions), its warnings preceded by those of ingest.
    /// Session RPE (Borg CR-10) from a training log; absent otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rpe: Option<f64>,
    #[serde(flatten)]
    pub summary: SessionMetrics,
    /// Raw-signal engine details (`source: "raw"` only): placement and how it was decided,
    /// sampling rate and its tier, units, gravity, data quality, alignment, event method,
    /// definitions, cross-checks, sides, bouts and withheld metrics.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub raw: Option<RawReport>,
    /// Overstriding indicators, index and verdict.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub overstriding: Option<crate::risk::overstriding::Overstriding>,
    /// Calf-strain risk indicator: score, level, factors, not-assessed factors, disclaimer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub risk: Option<crate::risk::RiskAssessment>,
}

impl SessionDoc {
    /// Assemble the document from a recording and its metrics.
    pub fn new(rec: &Recording, m: &SessionMetrics) -> Self {
        let first_session = m.sessions.first().and_then(|s| rec.sessions.get(s.index));
        let start = rec
            .start_unix_s
            .map(|t0| t0 + first_session.map(|s| s.start_s.max(0.0)).unwrap_or(0.0));
        let mut sports: Vec<String> = Vec::new();
        for s in &m.sessions {
            if !sports.contains(&s.sport) {
                sports.push(s.sport.clone());
            }
        }
        let mut summary = m.clone();
        summary.warnings = rec.warnings.iter().chain(&m.warnings).cloned().collect();
        SessionDoc {
            schema: SESSION_SCHEMA,
            file: rec.path.display().to_string(),
            format: rec.format,
            source: Source::Summary,
            device: rec.device.clone(),
            sensors: rec.sensors.clone(),
            sport: if sports.is_empty() {
                None
            } else {
                Some(sports.join("+"))
            },
            placement: rec.placement,
            start_time: start.and_then(crate::time::rfc3339),
            start_time_rejected: rec.rejected_start_unix_s.map(crate::time::describe_instant),
            utc_offset_s: rec.utc_offset_s,
            rpe: None,
            summary,
            raw: None,
            overstriding: None,
            risk: None,
        }
    }

    /// The document of a raw-signal analysis: the per-step recording's summary, with the
    /// sensor's own sampling rate and the engine's report.
    /// A session from one training-log row (`path` names the row): totals only, the
    /// row's RPE kept for the block's load, a note that there are no records.
    pub fn from_log(path: &str, format: &'static str, e: &crate::ingest::log::LogEntry) -> Self {
        let duration_s = e.duration_s.unwrap_or(0.0);
        let mut summary = SessionMetrics::from_totals(duration_s, e.distance_m, e.is_run());
        summary.warnings.push(crate::recording::Warning::new(
            crate::vocab::WarningCode::NotInFile,
            "a training-log entry: totals only (no records, so no running dynamics)",
        ));
        SessionDoc {
            schema: SESSION_SCHEMA,
            file: path.to_string(),
            format,
            source: Source::Summary,
            device: None,
            sensors: Vec::new(),
            sport: Some(e.kind.clone()),
            placement: None,
            start_time: e.start_s.filter(|_| e.utc).and_then(crate::time::rfc3339),
            start_time_rejected: None,
            utc_offset_s: None,
            rpe: e.rpe,
            summary,
            raw: None,
            overstriding: None,
            risk: None,
        }
    }

    pub fn new_raw(rec: &Recording, m: &SessionMetrics, report: &RawReport) -> Self {
        let mut doc = SessionDoc::new(rec, m);
        doc.source = Source::Raw;
        doc.summary.sample_rate_hz = report.sample_rate_hz;
        doc.raw = Some(report.clone());
        doc
    }

    /// Add the risk stage's result: overstriding indicators and the calf-strain indicator.
    pub fn with_assessment(mut self, a: crate::risk::Assessment) -> Self {
        self.overstriding = Some(a.overstriding);
        self.risk = Some(a.risk);
        self
    }

    /// Start of the analysed portion, Unix seconds, from `start_time`.
    pub fn start_unix_s(&self) -> Option<f64> {
        let t = self.start_time.as_deref()?;
        chrono::DateTime::parse_from_rfc3339(t)
            .ok()
            .map(|d| d.timestamp() as f64)
    }

    /// Pretty JSON text with a trailing newline.
    ///
    /// # Errors
    /// Serialisation errors (not expected for this type).
    pub fn to_json(&self) -> Result<String, serde_json::Error> {
        let mut s = serde_json::to_string_pretty(self)?;
        s.push('\n');
        Ok(s)
    }
}
