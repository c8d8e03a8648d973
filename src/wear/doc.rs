//! The `gaitguard.wear/1` document: a long recording of free-living wear, its days, its
//! bouts and the session document of each confirmed run.
//!
//! Schema (stable; fields are added, never renamed):
//! * `schema`, `file`, `format`, `device`, `start_time` (RFC 3339 UTC of the first sample, or
//!   null), `duration_s`, `samples`, `sample_rate_hz` (mean);
//! * `method`: the epoch length and every threshold of the bout finder ([`super::bouts`]);
//! * `totals`: seconds still, moving without gait, walking (epochs), running (confirmed
//!   runs' running time), and the number of runs and walking bouts;
//! * `days[]`: per calendar day of the recording's clock (`date`, or `day` 1, 2, … when the
//!   file has no clock): seconds recorded, still, moving, walking, running candidate;
//! * `bouts[]`: `activity` (`running` / `walking`), `start_time`, `start_s` and `end_s` (from
//!   the first sample), `active_s`; running bouts add `verdict` (`confirmed`, `not_running`,
//!   `failed`), the engine's `engine_running_s`, `session` (index into `sessions`) and `cut`;
//! * `sessions[]`: one `gaitguard.session/1` document per confirmed run;
//! * `warnings[]`.

use super::bouts::{self, BoutKind};
use super::epochs::EPOCH_S;
use super::sink::{self, Verdict, WearResult};
use crate::recording::Warning;
use crate::session::SessionDoc;
use serde::Serialize;

/// The wear document.
#[derive(Debug, Serialize)]
pub struct WearDoc {
    /// Always `gaitguard.wear/1`.
    pub schema: &'static str,
    /// Input path as given.
    pub file: String,
    /// Dialect.
    pub format: &'static str,
    /// Device, when the file names it.
    pub device: Option<String>,
    /// First sample, RFC 3339 UTC.
    pub start_time: Option<String>,
    /// First to last sample, s.
    pub duration_s: f64,
    /// Samples read.
    pub samples: u64,
    /// Mean sampling rate, Hz.
    pub sample_rate_hz: Option<f64>,
    /// The bout finder's parameters.
    pub method: Method,
    /// Time per kind over the whole recording.
    pub totals: Totals,
    /// Per day.
    pub days: Vec<Day>,
    /// Running and walking bouts, in time order.
    pub bouts: Vec<BoutDoc>,
    /// One session document per confirmed run.
    pub sessions: Vec<SessionDoc>,
    /// Observations of the reader and the analysis.
    pub warnings: Vec<Warning>,
    /// What gaitguard is and is not.
    pub disclaimer: &'static str,
}

/// The bout finder's parameters.
#[derive(Debug, Serialize)]
pub struct Method {
    /// Epoch length, s.
    pub epoch_s: f64,
    /// Lowest autocorrelation peak of gait.
    pub rhythm_min: f64,
    /// Lowest SD of |a| of walking, g.
    pub walking_sd_g: f64,
    /// Lowest SD of |a| of a running candidate, g.
    pub running_sd_g: f64,
    /// Longest pause inside a run, s.
    pub running_gap_s: f64,
    /// Shortest running bout, s.
    pub min_running_s: f64,
    /// Longest pause inside a walk, s.
    pub walking_gap_s: f64,
    /// Shortest walking bout, s.
    pub min_walking_s: f64,
    /// Least running the gait engine must find for a candidate to be a run, s.
    pub min_confirmed_running_s: f64,
    /// The sources.
    pub references: [&'static str; 3],
}

/// Totals over the recording.
#[derive(Debug, Default, Serialize)]
pub struct Totals {
    /// Barely moving, s.
    pub still_s: f64,
    /// Moving without a gait rhythm, s.
    pub moving_s: f64,
    /// Walking epochs, s.
    pub walking_s: f64,
    /// Running time of the confirmed runs, as the engine measured it, s.
    pub running_s: f64,
    /// Confirmed runs.
    pub runs: usize,
    /// Walking bouts.
    pub walking_bouts: usize,
}

/// One day.
#[derive(Debug, Serialize)]
pub struct Day {
    /// Calendar date of the recording's clock, when it has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// Day number from 1, when the file has no clock.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub day: Option<i64>,
    /// The epoch totals.
    #[serde(flatten)]
    pub totals: sink::DayTotals,
    /// Confirmed runs starting that day.
    pub runs: usize,
}

/// One bout.
#[derive(Debug, Serialize)]
pub struct BoutDoc {
    /// `running` or `walking`.
    pub activity: BoutKind,
    /// Start, RFC 3339 UTC, when the file has a clock.
    pub start_time: Option<String>,
    /// Start, s from the first sample.
    pub start_s: f64,
    /// End, s from the first sample.
    pub end_s: f64,
    /// Time in epochs of its kind, s.
    pub active_s: f64,
    /// Running bouts: what the gait engine said.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verdict: Option<Verdict>,
    /// Running bouts: the engine's running time, s.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub engine_running_s: Option<f64>,
    /// Index into `sessions`, for confirmed runs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub session: Option<usize>,
    /// True when the bout reached the most samples analysed at once and goes on in the next.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub cut: bool,
}

impl WearDoc {
    /// The document of a wear analysis, with the runs' session documents `sessions` (in the
    /// order of [`WearResult::runs`], their risk already assessed by the caller).
    pub fn new(w: &WearResult, sessions: Vec<SessionDoc>) -> Self {
        let origin = w.meta.origin_unix_s;
        let abs = |s: f64| origin.and_then(|o| crate::time::rfc3339(o + s));
        let rel = |s: f64| s - w.first_s;
        let bouts: Vec<BoutDoc> = w
            .bouts
            .iter()
            .map(|b| BoutDoc {
                activity: b.found.kind,
                start_time: abs(b.found.start_s.max(w.first_s)),
                start_s: rel(b.found.start_s).max(0.0),
                end_s: rel(b.found.end_s).min(w.duration_s()),
                active_s: b.found.active_s,
                verdict: b.verdict,
                engine_running_s: b.engine_running_s,
                session: b.session,
                cut: b.cut,
            })
            .collect();
        WearDoc {
            schema: "gaitguard.wear/1",
            file: w.meta.path.display().to_string(),
            format: w.meta.format,
            device: w.meta.device.clone(),
            start_time: abs(w.first_s),
            duration_s: w.duration_s(),
            samples: w.samples,
            sample_rate_hz: w.rate_hz(),
            method: method(),
            totals: totals(w, &bouts),
            days: days(w),
            bouts,
            sessions,
            warnings: w.warnings.clone(),
            disclaimer: "gaitguard gives indicators, not diagnoses. Bouts are found from the acceleration's rhythm and intensity; each run is analysed by the gait engine, which has the last word on what was run.",
        }
    }

    /// Pretty JSON.
    ///
    /// # Errors
    /// A serialisation error (non-finite numbers are written as null, so none in practice).
    pub fn to_json(&self) -> Result<String, serde_json::Error> {
        serde_json::to_string_pretty(self).map(|mut s| {
            s.push('\n');
            s
        })
    }
}

/// The bout finder's parameters.
fn method() -> Method {
    Method {
        epoch_s: EPOCH_S,
        rhythm_min: bouts::RHYTHM_MIN,
        walking_sd_g: bouts::WALK_SD_G,
        running_sd_g: bouts::RUN_SD_G,
        running_gap_s: bouts::RUN_GAP_S,
        min_running_s: bouts::MIN_RUN_S,
        walking_gap_s: bouts::WALK_GAP_S,
        min_walking_s: bouts::MIN_WALK_S,
        min_confirmed_running_s: sink::MIN_CONFIRMED_RUN_S,
        references: [
            "van Hees et al. 2013, PLoS ONE 8:e61691 (|a|, ENMO, 5-s epochs)",
            "Moe-Nilssen & Helbostad 2004, J Biomech 37:121 (gait regularity by autocorrelation)",
            "Orendurff et al. 2008, J Rehabil Res Dev 45:1077 (free-living walking bouts)",
        ],
    }
}

/// Totals over the days and bouts.
fn totals(w: &WearResult, bouts: &[BoutDoc]) -> Totals {
    let mut t = Totals::default();
    for d in w.days.values() {
        t.still_s += d.still_s;
        t.moving_s += d.moving_s;
        t.walking_s += d.walking_s;
    }
    t.running_s = bouts
        .iter()
        .filter(|b| b.verdict == Some(Verdict::Confirmed))
        .filter_map(|b| b.engine_running_s)
        .fold(0.0, |a, b| a + b);
    t.runs = w.runs.len();
    t.walking_bouts = bouts
        .iter()
        .filter(|b| b.activity == BoutKind::Walking)
        .count();
    t
}

/// The day list, with each day's confirmed runs.
fn days(w: &WearResult) -> Vec<Day> {
    let origin = w.meta.origin_unix_s;
    let day_of = |stream_s: f64| -> i64 {
        match origin {
            Some(o) => ((o + stream_s) / 86_400.0).floor() as i64,
            None => ((stream_s - w.first_s) / 86_400.0).floor() as i64,
        }
    };
    let first = w.days.keys().next().copied().unwrap_or(0);
    w.days
        .iter()
        .map(|(&k, t)| Day {
            date: origin.map(|_| {
                chrono::DateTime::from_timestamp(k * 86_400, 0)
                    .map(|d| d.date_naive().to_string())
                    .unwrap_or_default()
            }),
            day: origin.is_none().then_some(k - first + 1),
            totals: *t,
            runs: w
                .bouts
                .iter()
                .filter(|b| b.verdict == Some(Verdict::Confirmed))
                .filter(|b| day_of(b.found.start_s) == k)
                .count(),
        })
        .collect()
}
