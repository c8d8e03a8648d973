//! Stage 4, **metrics**: a [`Recording`] → [`SessionMetrics`].
//!
//! Only the running portions are summarised (walking when the whole file is a walk), with
//! pauses and invalid records excluded and every record weighted by the time it stands for
//! ([`activity`]). For each metric: time-weighted mean, median, p10, p90 and the number of
//! records ([`stats`]), with Garmin's population zone ([`zones`]). Plus: first-third versus
//! last-third drift and the warm-up check ([`drift`]), elevation gain/loss and time on steep
//! grades ([`terrain`]).
//!
//! Derived metrics (flagged `derived: true`), when the device did not write them:
//! * `flight_ms = 60000 / cadence_spm − ground_contact_ms` (step time minus contact; kept
//!   only when positive, i.e. running);
//! * `step_length_m = 60 · speed_mps / cadence_spm` (Garmin's own definition of step length);
//! * `vertical_ratio_pct = 100 · vertical_oscillation / step_length`.

pub mod activity;
mod columns;
pub mod drift;
mod notes;
pub mod terrain;
pub mod zones;

use crate::error::MetricsError;
use crate::recording::{Channel, DeviceAverages, Recording, Series, Warning};
use crate::vocab;
use activity::{Activity, Timeline};
use columns::Columns;
use serde::Serialize;
use std::collections::BTreeMap;

/// The metrics every session result names (null when the data cannot give them): the core
/// rows of the metric table ([`crate::vocab::METRICS`]), in its order.
pub const CORE_METRICS: [&str; vocab::CORE_METRIC_COUNT] = {
    let mut out = [""; vocab::CORE_METRIC_COUNT];
    let mut i = 0;
    while i < out.len() {
        out[i] = vocab::METRICS[i].channel.name();
        i += 1;
    }
    out
};

/// Extra metrics reported only when the file has them (signal engine, Stryd, RunScribe): the
/// extra rows of the metric table.
pub const EXTRA_METRICS: [(Channel, &str); vocab::EXTRA_METRIC_COUNT] = {
    let mut out = [(Channel::CadenceSpm, ""); vocab::EXTRA_METRIC_COUNT];
    let mut i = 0;
    while i < out.len() {
        let c = vocab::METRICS[vocab::CORE_METRIC_COUNT + i].channel;
        out[i] = (c, c.name());
        i += 1;
    }
    out
};

/// One metric's summary.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct MetricSummary {
    /// Time-weighted mean.
    pub mean: f64,
    /// Time-weighted median.
    pub median: f64,
    /// 10th percentile.
    pub p10: f64,
    /// 90th percentile.
    pub p90: f64,
    /// Records used.
    pub n: usize,
    /// Garmin population band of the mean, for the metrics that have one.
    pub zone: Option<zones::Zone>,
    /// Computed by gaitguard from other fields rather than written by the device.
    pub derived: bool,
}

/// A session the file declares, as analysed.
#[derive(Debug, Clone, Serialize)]
pub struct AnalysedSession {
    /// Position among the file's sessions (0-based).
    pub index: usize,
    /// Sport.
    pub sport: String,
    /// Sub-sport.
    pub sub_sport: Option<String>,
    /// Timer time the device reported, s.
    pub timer_time_s: Option<f64>,
    /// Distance the device reported, m.
    pub distance_m: Option<f64>,
    /// The device's own averages, to read beside gaitguard's.
    pub device_averages: DeviceAverages,
}

/// Everything the metrics stage says about one recording.
#[derive(Debug, Clone, Serialize)]
pub struct SessionMetrics {
    /// Running, walking, mixed or still.
    pub activity: Activity,
    /// Seconds from the first to the last analysed record (pauses included).
    pub duration_s: f64,
    /// Time spent running (pauses and walking excluded), s.
    pub running_time_s: f64,
    /// Time spent walking, s.
    pub walking_time_s: f64,
    /// Distance covered in the analysed portion, m.
    pub distance_m: Option<f64>,
    /// Records per second (1 / median interval).
    pub sample_rate_hz: f64,
    /// Which portion the metrics describe (`running` or `walking` records).
    pub metrics_from: Activity,
    /// Per-metric summaries (core metrics always present as keys).
    pub metrics: BTreeMap<&'static str, Option<MetricSummary>>,
    /// First-third versus last-third drift per metric.
    pub drift: BTreeMap<&'static str, Option<drift::Drift>>,
    /// First 10 minutes versus the rest.
    pub warmup: Option<drift::Warmup>,
    /// Hills.
    pub elevation: Option<terrain::Terrain>,
    /// Sessions analysed.
    pub sessions: Vec<AnalysedSession>,
    /// Sessions not analysed (other sports), by sport.
    pub skipped_sessions: Vec<String>,
    /// How far each summarised metric can be trusted: device values `high`, values derived
    /// from other fields `moderate`; a raw signal's from the engine's evidence
    /// ([`SessionMetrics::apply_confidence`]).
    pub confidence: BTreeMap<&'static str, crate::vocab::MetricConfidence>,
    /// Observations of this stage.
    pub warnings: Vec<Warning>,
}

impl SessionMetrics {
    /// Lower each metric's confidence to the engine's (`raw`: per metric), adding its
    /// reasons.
    pub fn apply_confidence(
        &mut self,
        raw: &BTreeMap<&'static str, crate::vocab::MetricConfidence>,
    ) {
        for (name, c) in self.confidence.iter_mut() {
            if let Some(r) = raw.get(name) {
                c.level = c.level.min(r.level);
                c.reasons.extend(r.reasons.iter().cloned());
            }
        }
    }
}

impl SessionMetrics {
    /// A session known only by its totals (a training-log row): `running` says whether it
    /// was a run (its whole duration then running time, else walking or nothing); every
    /// metric `null`, no drift, no records (`sample_rate_hz` 0).
    pub fn from_totals(duration_s: f64, distance_m: Option<f64>, running: bool) -> Self {
        let duration_s = duration_s.max(0.0);
        let activity = if running {
            Activity::Running
        } else {
            Activity::Still
        };
        SessionMetrics {
            activity,
            duration_s,
            running_time_s: if running { duration_s } else { 0.0 },
            walking_time_s: 0.0,
            distance_m,
            sample_rate_hz: 0.0,
            metrics_from: activity,
            metrics: CORE_METRICS.iter().map(|m| (*m, None)).collect(),
            drift: BTreeMap::new(),
            warmup: None,
            elevation: None,
            sessions: Vec::new(),
            skipped_sessions: Vec::new(),
            confidence: BTreeMap::new(),
            warnings: Vec::new(),
        }
    }
}

/// The confidence of the metrics as the file gives them: `high` for a device's own value,
/// `moderate` for one derived from other fields.
fn file_confidence(
    metrics: &BTreeMap<&'static str, Option<MetricSummary>>,
) -> BTreeMap<&'static str, crate::vocab::MetricConfidence> {
    use crate::vocab::{Confidence, MetricConfidence};
    metrics
        .iter()
        .filter_map(|(name, m)| m.map(|m| (*name, m.derived)))
        .map(|(name, derived)| {
            let c = if derived {
                MetricConfidence {
                    level: Confidence::Moderate,
                    reasons: vec!["derived from other fields".into()],
                }
            } else {
                MetricConfidence {
                    level: Confidence::High,
                    reasons: Vec::new(),
                }
            };
            (name, c)
        })
        .collect()
}

/// Summarise a recording: choose the portion to describe → its records and their time
/// weights → per-metric columns (implausible values out, derived metrics in) → statistics
/// and zones per metric → drift and warm-up → distance, duration, hills → sessions → notes.
///
/// # Errors
/// [`MetricsError::NoFootSession`] when the file declares sessions and none is on foot.
pub fn summarize(rec: &Recording) -> Result<SessionMetrics, MetricsError> {
    let tl = activity::timeline(rec).map_err(|sports| MetricsError::NoFootSession {
        path: rec.path.clone(),
        sports,
    })?;
    let s = &rec.series;
    let (running_s, walking_s) = time_per_class(&tl);
    let metrics_from = portion(running_s, walking_s);
    let idx = selected_records(&tl, metrics_from);
    let w: Vec<f64> = idx.iter().map(|&i| tl.weight_s[i]).collect();
    let (mut columns, implausible) = columns::measured(s, &idx);
    columns::derive_all(&mut columns, metrics_from);
    let metrics = summaries(&columns, &w, metrics_from);
    let drift = drifts(&columns, &w);
    let warmup = drift::warmup(
        columns
            .get(Channel::SpeedMps.name())
            .map(|c| c.0.as_slice()),
        columns
            .get(Channel::HeartRateBpm.name())
            .map(|c| c.0.as_slice()),
        &w,
    );
    // Distance, duration and hills over the analysed scope (all in-scope records, any class).
    let scope: Vec<usize> = (0..s.len()).filter(|&i| tl.in_scope[i]).collect();
    let distance_m = distance(s, &scope, &tl.weight_s);
    let duration_s = match (scope.first(), scope.last()) {
        (Some(&a), Some(&b)) => s.time_s[b] - s.time_s[a] + tl.median_interval_s,
        _ => 0.0,
    };
    let (running_s, walking_s) = activity::within_duration(duration_s, running_s, walking_s);
    let elevation = s.get(Channel::AltitudeM).and_then(|alt| {
        terrain::terrain(
            &scope,
            alt,
            s.get(Channel::DistanceM),
            &tl.weight_s,
            distance_m,
        )
    });
    let (sessions, skipped_sessions) = sessions(rec, &tl);
    let overall = activity::overall(running_s, walking_s);
    let mut warnings = Vec::new();
    warnings.extend(notes::skipped_sessions(rec, &sessions, &skipped_sessions));
    warnings.extend(notes::implausible(&implausible));
    warnings.extend(notes::not_in_file(&metrics));
    warnings.extend(notes::portion(metrics_from, overall, running_s, walking_s));
    warnings.extend(notes::pauses_and_length(tl.paused_s, running_s));
    warnings.extend(notes::temperature_source(&metrics));
    let confidence = file_confidence(&metrics);
    Ok(SessionMetrics {
        activity: overall,
        duration_s,
        running_time_s: running_s,
        walking_time_s: walking_s,
        distance_m,
        sample_rate_hz: 1.0 / tl.median_interval_s,
        metrics_from,
        metrics,
        drift,
        warmup,
        elevation,
        sessions,
        skipped_sessions,
        confidence,
        warnings,
    })
}

/// Time running and time walking, s: the weights of the records of each class.
fn time_per_class(tl: &Timeline) -> (f64, f64) {
    let (mut running_s, mut walking_s) = (0.0, 0.0);
    for (class, w) in tl.class.iter().zip(&tl.weight_s) {
        match class {
            Activity::Running => running_s += w,
            Activity::Walking => walking_s += w,
            _ => {}
        }
    }
    (running_s, walking_s)
}

/// The portion the metrics describe: running when there is real running (at least half of
/// the moving time, or a minute), else walking, else (nothing moving) everything.
fn portion(running_s: f64, walking_s: f64) -> Activity {
    let moving = running_s + walking_s;
    if running_s >= (0.5 * moving).min(60.0) && running_s > 0.0 {
        Activity::Running
    } else if walking_s > 0.0 {
        Activity::Walking
    } else {
        Activity::Still
    }
}

/// The records summarised: in scope, with a time weight, and of the chosen class (any
/// class when nothing moved).
fn selected_records(tl: &Timeline, metrics_from: Activity) -> Vec<usize> {
    (0..tl.in_scope.len())
        .filter(|&i| {
            tl.in_scope[i]
                && tl.weight_s[i] > 0.0
                && (metrics_from == Activity::Still || tl.class[i] == metrics_from)
        })
        .collect()
}

/// Time-weighted statistics of every column (weights `w`, s), with the population zone of
/// the mean when running; core metrics without data are present as `None`.
fn summaries(
    columns: &Columns,
    w: &[f64],
    metrics_from: Activity,
) -> BTreeMap<&'static str, Option<MetricSummary>> {
    let mut metrics = BTreeMap::new();
    for m in CORE_METRICS {
        metrics.insert(m, None);
    }
    let mut pairs: Vec<(f64, f64)> = Vec::with_capacity(w.len());
    for (&name, (values, derived)) in columns {
        pairs.clear();
        pairs.extend(
            values
                .iter()
                .zip(w)
                .filter(|(v, _)| v.is_finite())
                .map(|(v, w)| (*v, *w)),
        );
        if let Some(sm) = crate::stats::summarize(&mut pairs) {
            let zone = if metrics_from == Activity::Running {
                zones::zone(name, sm.mean)
            } else {
                None
            };
            metrics.insert(
                name,
                Some(MetricSummary {
                    mean: sm.mean,
                    median: sm.median,
                    p10: sm.p10,
                    p90: sm.p90,
                    n: sm.n,
                    zone,
                    derived: *derived,
                }),
            );
        }
    }
    metrics
}

/// First-third versus last-third drift of every core metric but temperature (the device
/// warms up with the runner); weights `w`, s; none under 10 minutes of running.
fn drifts(columns: &Columns, w: &[f64]) -> BTreeMap<&'static str, Option<drift::Drift>> {
    let tags = drift::thirds(w);
    CORE_METRICS
        .into_iter()
        .filter(|m| *m != Channel::TemperatureC.name())
        .map(|name| {
            let d = columns
                .get(name)
                .and_then(|(v, _)| drift::drift_if_long(v, w, &tags));
            (name, d)
        })
        .collect()
}

/// Distance over the records `scope`, m: the sum of the increases of the distance channel
/// (resets and glitches backwards are not subtracted), or speed × time weight (`weight_s`,
/// s) without one; `None` with neither.
fn distance(s: &Series, scope: &[usize], weight_s: &[f64]) -> Option<f64> {
    match s.get(Channel::DistanceM) {
        Some(d) => {
            let mut total = 0.0;
            let mut last: Option<f64> = None;
            for &i in scope {
                if d[i].is_finite() {
                    if let Some(l) = last {
                        if d[i] > l {
                            total += d[i] - l;
                        }
                    }
                    last = Some(d[i]);
                }
            }
            Some(total)
        }
        None => s.get(Channel::SpeedMps).map(|v| {
            scope
                .iter()
                .filter(|&&i| v[i].is_finite())
                .map(|&i| v[i] * weight_s[i])
                .sum()
        }),
    }
}

/// The sessions analysed, and the sports of those not analysed.
fn sessions(rec: &Recording, tl: &Timeline) -> (Vec<AnalysedSession>, Vec<String>) {
    let analysed = tl
        .sessions
        .iter()
        .map(|&i| {
            let x = &rec.sessions[i];
            AnalysedSession {
                index: i,
                sport: x.sport.clone(),
                sub_sport: x.sub_sport.clone(),
                timer_time_s: x.timer_time_s,
                distance_m: x.distance_m,
                device_averages: x.device_averages.clone(),
            }
        })
        .collect();
    let skipped = rec
        .sessions
        .iter()
        .enumerate()
        .filter(|(i, _)| !tl.sessions.contains(i))
        .map(|(_, x)| x.sport.clone())
        .collect();
    (analysed, skipped)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_metric_name_lists_follow_the_metric_table() {
        let names = |d: &[crate::vocab::MetricDef]| d.iter().map(|d| d.name()).collect::<Vec<_>>();
        assert_eq!(names(crate::vocab::core_metrics()), CORE_METRICS);
        let extra: Vec<&str> = EXTRA_METRICS
            .iter()
            .map(|(c, n)| {
                assert_eq!(c.name(), *n);
                *n
            })
            .collect();
        assert_eq!(names(crate::vocab::extra_metrics()), extra);
    }

    #[test]
    fn running_is_described_from_half_the_moving_time_or_a_minute() {
        assert_eq!(portion(40.0, 30.0), Activity::Running);
        assert_eq!(portion(30.0, 40.0), Activity::Walking);
        assert_eq!(portion(60.0, 3600.0), Activity::Running);
        assert_eq!(portion(59.0, 3600.0), Activity::Walking);
        assert_eq!(portion(0.0, 0.0), Activity::Still);
    }

    #[test]
    fn distance_adds_the_increases_of_the_distance_channel() {
        let mut s = Series::new();
        for (t, d) in [
            (0.0, 100.0),
            (1.0, 103.0),
            (2.0, f64::NAN),
            (3.0, 50.0),
            (4.0, 54.0),
        ] {
            s.push(t, &[(Channel::DistanceM, d)]);
        }
        s.finish();
        // 3 m, a reset to 50 m (not subtracted), then 4 m; record 4 is out of scope.
        assert_eq!(distance(&s, &[0, 1, 2, 3], &[1.0; 5]), Some(3.0));
        assert_eq!(distance(&s, &[0, 1, 2, 3, 4], &[1.0; 5]), Some(7.0));
    }

    #[test]
    fn without_a_distance_channel_distance_is_speed_times_time() {
        let mut s = Series::new();
        for (t, v) in [(0.0, 3.0), (1.0, f64::NAN), (2.0, 4.0)] {
            s.push(t, &[(Channel::SpeedMps, v)]);
        }
        s.finish();
        assert_eq!(distance(&s, &[0, 1, 2], &[2.0, 1.0, 0.5]), Some(8.0));
        assert_eq!(distance(&Series::new(), &[], &[]), None);
    }
}
