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
pub mod drift;
pub mod terrain;
pub mod zones;

use crate::error::MetricsError;
use crate::recording::{Channel, DeviceAverages, Recording, Warning};
use crate::vocab::WarningCode;
use activity::Activity;
use serde::Serialize;
use std::collections::BTreeMap;

/// The metrics every session result names (null when the data cannot give them).
pub const CORE_METRICS: [&str; 11] = [
    "cadence_spm",
    "ground_contact_ms",
    "flight_ms",
    "vertical_oscillation_cm",
    "vertical_ratio_pct",
    "step_length_m",
    "gct_balance_left_pct",
    "speed_mps",
    "heart_rate_bpm",
    "power_w",
    "temperature_c",
];

/// Extra metrics reported only when the file has them (Stryd, RunScribe).
pub const EXTRA_METRICS: [(Channel, &str); 8] = [
    (Channel::DutyFactorPct, "duty_factor_pct"),
    (Channel::StepSpeedLossMps, "step_speed_loss_mps"),
    (Channel::FormPowerW, "form_power_w"),
    (
        Channel::LegSpringStiffnessKnPerM,
        "leg_spring_stiffness_kn_per_m",
    ),
    (Channel::BrakingG, "braking_g"),
    (Channel::ImpactG, "impact_g"),
    (Channel::FootstrikeType, "footstrike_type"),
    (Channel::PronationDeg, "pronation_deg"),
];

/// Plausible range per metric; values outside are sensor glitches and are excluded.
fn plausible(metric: &str, v: f64) -> bool {
    let (lo, hi) = match metric {
        "cadence_spm" => (60.0, 260.0),
        "ground_contact_ms" => (80.0, 1200.0),
        "flight_ms" => (0.0, 400.0),
        "vertical_oscillation_cm" => (1.0, 30.0),
        "vertical_ratio_pct" => (1.0, 30.0),
        "step_length_m" => (0.2, 3.0),
        "gct_balance_left_pct" => (30.0, 70.0),
        "speed_mps" => (0.0, 12.0),
        "heart_rate_bpm" => (30.0, 240.0),
        "power_w" => (1.0, 2500.0),
        "temperature_c" => (-40.0, 60.0),
        "form_power_w" => (1.0, 1000.0),
        "leg_spring_stiffness_kn_per_m" => (1.0, 50.0),
        "braking_g" | "impact_g" => (0.0, 20.0),
        "duty_factor_pct" => (5.0, 70.0),
        "step_speed_loss_mps" => (0.0, 3.0),
        "footstrike_type" => (1.0, 15.0),
        "pronation_deg" => (-40.0, 40.0),
        _ => return v.is_finite(),
    };
    v.is_finite()
        && v >= lo
        && v <= hi
        && (v != 0.0 || metric == "temperature_c" || metric == "flight_ms")
}

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
    /// Observations of this stage.
    pub warnings: Vec<Warning>,
}

fn metric_channel(metric: &str) -> Option<Channel> {
    Some(match metric {
        "cadence_spm" => Channel::CadenceSpm,
        "ground_contact_ms" => Channel::GroundContactMs,
        "flight_ms" => Channel::FlightMs,
        "vertical_oscillation_cm" => Channel::VerticalOscillationCm,
        "vertical_ratio_pct" => Channel::VerticalRatioPct,
        "step_length_m" => Channel::StepLengthM,
        "gct_balance_left_pct" => Channel::GctBalanceLeftPct,
        "speed_mps" => Channel::SpeedMps,
        "heart_rate_bpm" => Channel::HeartRateBpm,
        "power_w" => Channel::PowerW,
        "temperature_c" => Channel::TemperatureC,
        _ => {
            return EXTRA_METRICS
                .iter()
                .find(|(_, n)| *n == metric)
                .map(|(c, _)| *c);
        }
    })
}

/// Summarise a recording.
///
/// # Errors
/// [`MetricsError::NoFootSession`] when the file declares sessions and none is on foot.
pub fn summarize(rec: &Recording) -> Result<SessionMetrics, MetricsError> {
    let tl = activity::timeline(rec).map_err(|sports| MetricsError::NoFootSession {
        path: rec.path.clone(),
        sports,
    })?;
    let s = &rec.series;
    let n = s.len();
    let mut warnings = Vec::new();

    // Time per class.
    let (mut running_s, mut walking_s) = (0.0, 0.0);
    for i in 0..n {
        match tl.class[i] {
            Activity::Running => running_s += tl.weight_s[i],
            Activity::Walking => walking_s += tl.weight_s[i],
            _ => {}
        }
    }
    let overall = activity::overall(running_s, walking_s);
    // Summarise the running records when there is real running; else the walking ones.
    let moving = running_s + walking_s;
    let metrics_from = if running_s >= (0.5 * moving).min(60.0) && running_s > 0.0 {
        Activity::Running
    } else if walking_s > 0.0 {
        Activity::Walking
    } else {
        Activity::Still
    };
    let idx: Vec<usize> = (0..n)
        .filter(|&i| {
            tl.in_scope[i]
                && tl.weight_s[i] > 0.0
                && (metrics_from == Activity::Still || tl.class[i] == metrics_from)
        })
        .collect();
    let w: Vec<f64> = idx.iter().map(|&i| tl.weight_s[i]).collect();

    // Per-record metric values on the selected records (NaN where missing or implausible).
    let mut columns: BTreeMap<&'static str, (Vec<f64>, bool)> = BTreeMap::new();
    let mut implausible: Vec<(&str, usize)> = Vec::new();
    let take = |ch: Channel| {
        s.get(ch)
            .map(|v| idx.iter().map(|&i| v[i]).collect::<Vec<f64>>())
    };
    for &(metric, ch) in CORE_METRICS
        .iter()
        .filter_map(|m| metric_channel(m).map(|c| (*m, c)))
        .collect::<Vec<_>>()
        .iter()
        .chain(
            EXTRA_METRICS
                .iter()
                .map(|(c, m)| (*m, *c))
                .collect::<Vec<_>>()
                .iter(),
        )
    {
        if let Some(mut v) = take(ch) {
            let mut bad = 0;
            for x in v.iter_mut() {
                if x.is_finite() && !plausible(metric, *x) {
                    if *x != 0.0 {
                        bad += 1;
                    }
                    *x = f64::NAN;
                }
            }
            if bad > 0 {
                implausible.push((metric, bad));
            }
            if v.iter().any(|x| x.is_finite()) {
                columns.insert(metric, (v, false));
            }
        }
    }
    // Derived metrics: combine two columns record by record, keep plausible results.
    fn derive(
        columns: &mut BTreeMap<&'static str, (Vec<f64>, bool)>,
        out: &'static str,
        a: &str,
        b: &str,
        f: impl Fn(f64, f64) -> f64,
    ) {
        if columns.contains_key(out) {
            return;
        }
        let (Some((x, _)), Some((y, _))) = (columns.get(a), columns.get(b)) else {
            return;
        };
        let v: Vec<f64> = x
            .iter()
            .zip(y)
            .map(|(x, y)| {
                let r = f(*x, *y);
                if plausible(out, r) { r } else { f64::NAN }
            })
            .collect();
        if v.iter().any(|r| r.is_finite()) {
            columns.insert(out, (v, true));
        }
    }
    if metrics_from == Activity::Running {
        // Step time minus contact time.
        derive(
            &mut columns,
            "flight_ms",
            "cadence_spm",
            "ground_contact_ms",
            |c, g| 60_000.0 / c - g,
        );
    }
    derive(
        &mut columns,
        "step_length_m",
        "cadence_spm",
        "speed_mps",
        |c, v| 60.0 * v / c,
    );
    // VO in cm over step length in m is already a percentage: 100 · (VO_cm/100) / L_m.
    derive(
        &mut columns,
        "vertical_ratio_pct",
        "vertical_oscillation_cm",
        "step_length_m",
        |o, l| o / l,
    );

    // Summaries and drift.
    let tags = drift::thirds(&w);
    let mut metrics = BTreeMap::new();
    let mut drifts = BTreeMap::new();
    for m in CORE_METRICS {
        metrics.insert(m, None);
    }
    let mut pairs: Vec<(f64, f64)> = Vec::with_capacity(w.len());
    for (&name, (values, derived)) in &columns {
        pairs.clear();
        pairs.extend(
            values
                .iter()
                .zip(&w)
                .filter(|(v, _)| v.is_finite())
                .map(|(v, w)| (*v, *w)),
        );
        if let Some(sm) = crate::stats::summarize(&mut pairs) {
            metrics.insert(
                name,
                Some(MetricSummary {
                    mean: sm.mean,
                    median: sm.median,
                    p10: sm.p10,
                    p90: sm.p90,
                    n: sm.n,
                    zone: if metrics_from == Activity::Running {
                        zones::zone(name, sm.mean)
                    } else {
                        None
                    },
                    derived: *derived,
                }),
            );
        }
    }
    // Drift for every core metric but temperature (the device warms up with the runner).
    for name in CORE_METRICS.into_iter().filter(|m| *m != "temperature_c") {
        drifts.insert(
            name,
            columns
                .get(name)
                .and_then(|(v, _)| drift::drift(v, &w, &tags)),
        );
    }
    let warmup = drift::warmup(
        columns.get("speed_mps").map(|c| c.0.as_slice()),
        columns.get("heart_rate_bpm").map(|c| c.0.as_slice()),
        &w,
    );

    // Distance and duration over the analysed scope (all in-scope records, any class).
    let scope: Vec<usize> = (0..n).filter(|&i| tl.in_scope[i]).collect();
    let distance_m = match s.get(Channel::DistanceM) {
        Some(d) => {
            let mut total = 0.0;
            let mut last: Option<f64> = None;
            for &i in &scope {
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
                .map(|&i| v[i] * tl.weight_s[i])
                .sum()
        }),
    };
    let duration_s = match (scope.first(), scope.last()) {
        (Some(&a), Some(&b)) => s.time_s[b] - s.time_s[a] + tl.median_interval_s,
        _ => 0.0,
    };
    let elevation = s.get(Channel::AltitudeM).and_then(|alt| {
        terrain::terrain(
            &scope,
            alt,
            s.get(Channel::DistanceM),
            &tl.weight_s,
            distance_m,
        )
    });

    // Sessions.
    let sessions: Vec<AnalysedSession> = tl
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
    let skipped_sessions: Vec<String> = rec
        .sessions
        .iter()
        .enumerate()
        .filter(|(i, _)| !tl.sessions.contains(i))
        .map(|(_, x)| x.sport.clone())
        .collect();
    if !skipped_sessions.is_empty() {
        warnings.push(Warning::new(
            WarningCode::SessionsSkipped,
            format!(
                "analysed {} of {} sessions ({}); not analysed: {}",
                sessions.len(),
                rec.sessions.len(),
                sessions
                    .iter()
                    .map(|x| x.sport.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
                skipped_sessions.join(", ")
            ),
        ));
    }

    // What is missing or doubtful.
    for (metric, bad) in implausible {
        warnings.push(Warning::new(
            WarningCode::ImplausibleValues,
            format!("{bad} {metric} values outside the plausible range were excluded"),
        ));
    }
    let missing: Vec<&str> = [
        ("cadence_spm", "cadence"),
        ("ground_contact_ms", "ground contact time"),
        ("vertical_oscillation_cm", "vertical oscillation"),
        ("gct_balance_left_pct", "GCT balance"),
        ("heart_rate_bpm", "heart rate"),
        ("speed_mps", "speed"),
    ]
    .iter()
    .filter(|(m, _)| metrics.get(m).is_none_or(|x| x.is_none()))
    .map(|(_, label)| *label)
    .collect();
    if !missing.is_empty() {
        let hint = if missing.contains(&"ground contact time") {
            " (ground contact and oscillation need a chest strap, a running-dynamics pod or a footpod)"
        } else {
            ""
        };
        warnings.push(Warning::new(
            WarningCode::NotInFile,
            format!("not in this file: {}{hint}", missing.join(", ")),
        ));
    }
    if metrics_from == Activity::Walking {
        warnings.push(Warning::new(
            WarningCode::Walking,
            "this is a walk, not a run: the metrics describe walking, and running zones do not apply",
        ));
    } else if overall == Activity::Mixed {
        warnings.push(Warning::new(
            WarningCode::WalkBreaks,
            format!(
                "running and walking mixed: metrics describe the {:.0} min of running; {:.0} min of walking excluded",
                running_s / 60.0,
                walking_s / 60.0
            ),
        ));
    }
    if tl.paused_s > 60.0 {
        warnings.push(Warning::new(
            WarningCode::RecordGaps,
            format!(
                "{:.0} s of gaps between records (pauses, auto-pause or clock jumps) excluded from running time",
                tl.paused_s
            ),
        ));
    }
    if running_s > 0.0 && running_s < 120.0 {
        warnings.push(Warning::new(
            WarningCode::Short,
            format!("only {running_s:.0} s of running: averages are uncertain"),
        ));
    }
    if let Some(t) = metrics.get("temperature_c").copied().flatten() {
        if t.mean > 0.0 {
            warnings.push(Warning::new(
                WarningCode::TemperatureSource,
                "temperature is the device's own sensor: on the wrist it reads body heat, not the air",
            ));
        }
    }

    Ok(SessionMetrics {
        activity: overall,
        duration_s,
        running_time_s: running_s,
        walking_time_s: walking_s,
        distance_m,
        sample_rate_hz: 1.0 / tl.median_interval_s,
        metrics_from,
        metrics,
        drift: drifts,
        warmup,
        elevation,
        sessions,
        skipped_sessions,
        warnings,
    })
}
