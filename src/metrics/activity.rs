//! Which records are running, walking or standing still, and how much time each stands for.
//!
//! * **Sessions.** In a multisport or chained file only running sessions are analysed (or,
//!   when there are none, walking/hiking/generic ones); the others are listed as skipped.
//! * **Pauses.** Timer-stopped intervals from the file are excluded. A record's weight is
//!   the time to the next record, except that a gap longer than
//!   `max(10 s, 5 × median record interval)` counts as a pause (smart recording, auto-pause,
//!   a stopped timer the file did not declare, a clock jump) and the record keeps only the
//!   median interval.
//! * **Per-record class.** Cadence decides when present (≥ 140 steps/min, or ≥ 120 at
//!   ≥ 2.0 m/s: running; 70–139: walking), else speed (≥ 2.2 m/s running, 0.5–2.2 m/s
//!   walking, below: still). Running cadence is rarely under 140 steps/min and walking
//!   rarely over 135 (Dorn, Schache & Pandy 2012, J Exp Biol 215:1944, cadence across speeds);
//!   the walk–run transition is near 2.0 m/s (Hreljac 1993, J Biomech 26:1269). The label is
//!   smoothed with an 11-record majority filter so that a single odd record does not flip it.

use crate::recording::{Channel, Recording};
use serde::Serialize;

/// What a record (or a whole session) was.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Activity {
    /// Running.
    Running,
    /// Walking.
    Walking,
    /// Both, neither dominating (≥ 80 % of moving time).
    Mixed,
    /// Not moving.
    Still,
}

impl Activity {
    /// Lower-case name.
    pub fn name(self) -> &'static str {
        match self {
            Activity::Running => "running",
            Activity::Walking => "walking",
            Activity::Mixed => "mixed",
            Activity::Still => "still",
        }
    }
}

/// Per-record timing and class.
#[derive(Debug, Clone)]
pub struct Timeline {
    /// Inside an analysed session and not in a declared pause.
    pub in_scope: Vec<bool>,
    /// Seconds the record stands for (0 outside scope).
    pub weight_s: Vec<f64>,
    /// Class per record (meaningful in scope).
    pub class: Vec<Activity>,
    /// Median interval between records, s.
    pub median_interval_s: f64,
    /// Time excluded as pauses (declared or gaps), s.
    pub paused_s: f64,
    /// Indices of the analysed sessions in `Recording::sessions`.
    pub sessions: Vec<usize>,
}

/// Sports analysed first; the second list is the fallback when the file has no running session.
const RUN_SPORTS: [&str; 1] = ["running"];
const FALLBACK_SPORTS: [&str; 4] = ["walking", "hiking", "generic", "training"];

fn classify(cad: Option<f64>, speed: Option<f64>) -> Option<Activity> {
    let cad = cad.filter(|c| c.is_finite() && *c > 0.0);
    let speed = speed.filter(|v| v.is_finite() && *v >= 0.0);
    match (cad, speed) {
        (Some(c), v) if c >= 140.0 || (c >= 120.0 && v.is_some_and(|v| v >= 2.0)) => {
            Some(Activity::Running)
        }
        (Some(c), _) if c >= 70.0 => Some(Activity::Walking),
        (_, Some(v)) if v >= 2.2 => Some(Activity::Running),
        (_, Some(v)) if v >= 0.5 => Some(Activity::Walking),
        (_, Some(_)) => Some(Activity::Still),
        (Some(_), None) => Some(Activity::Still),
        (None, None) => None,
    }
}

/// Build the timeline of a recording.
///
/// Returns `Err(sports)` when the file declares sessions but none is on foot.
pub fn timeline(rec: &Recording) -> Result<Timeline, Vec<String>> {
    let s = &rec.series;
    let n = s.len();
    // Sessions in scope.
    let pick = |sports: &[&str]| -> Vec<usize> {
        rec.sessions
            .iter()
            .enumerate()
            .filter(|(_, x)| sports.contains(&x.sport.as_str()))
            .map(|(i, _)| i)
            .collect()
    };
    let mut sessions = pick(&RUN_SPORTS);
    if sessions.is_empty() {
        sessions = pick(&FALLBACK_SPORTS);
    }
    if !rec.sessions.is_empty() && sessions.is_empty() {
        return Err(rec.sessions.iter().map(|x| x.sport.clone()).collect());
    }
    let mut in_scope: Vec<bool> = if sessions.is_empty() {
        vec![true; n]
    } else {
        s.time_s
            .iter()
            .map(|&t| {
                sessions.iter().any(|&i| {
                    let x = &rec.sessions[i];
                    t >= x.start_s - 0.5 && t < x.end_s + 0.5
                })
            })
            .collect()
    };
    // Declared pauses (sorted by start); a two-pointer walk keeps this linear.
    let mut pauses = rec.pauses.clone();
    pauses.sort_by(|a, b| {
        a.start_s
            .partial_cmp(&b.start_s)
            .unwrap_or(std::cmp::Ordering::Equal)
    });
    let mut pi = 0;
    for (scope, &t) in in_scope.iter_mut().zip(&s.time_s) {
        while pi < pauses.len() && pauses[pi].end_s <= t {
            pi += 1;
        }
        if pi < pauses.len() && t > pauses[pi].start_s && t < pauses[pi].end_s {
            *scope = false;
        }
    }
    // Median interval.
    let mut dts: Vec<f64> = s
        .time_s
        .windows(2)
        .map(|w| w[1] - w[0])
        .filter(|d| *d > 0.0)
        .collect();
    let median_interval_s = crate::stats::median(&mut dts).unwrap_or(1.0);
    let gap_limit = (5.0 * median_interval_s).max(10.0);
    let mut weight_s = vec![0.0; n];
    let mut paused_s = 0.0;
    for i in 0..n {
        if !in_scope[i] {
            continue;
        }
        let dt = if i + 1 < n && in_scope[i + 1] {
            s.time_s[i + 1] - s.time_s[i]
        } else {
            median_interval_s
        };
        if dt > gap_limit {
            weight_s[i] = median_interval_s;
            paused_s += dt - median_interval_s;
        } else {
            weight_s[i] = dt.max(0.0);
        }
    }
    // Classes, then an 11-record majority filter.
    let cad = s.get(Channel::CadenceSpm);
    let speed = s.get(Channel::SpeedMps);
    // The signal engine's own step labels take precedence over the cadence/speed rule.
    let gait = s.get(Channel::GaitClass);
    let raw: Vec<Option<Activity>> = (0..n)
        .map(|i| match gait.map(|g| g[i]) {
            Some(1.0) => Some(Activity::Running),
            Some(2.0) => Some(Activity::Walking),
            _ => classify(cad.map(|c| c[i]), speed.map(|v| v[i])),
        })
        .collect();
    let class = majority(&raw, 5);
    Ok(Timeline {
        in_scope,
        weight_s,
        class,
        median_interval_s,
        paused_s,
        sessions,
    })
}

/// Majority label in a ±`half` window (unknown labels abstain; ties keep the record's own).
fn majority(raw: &[Option<Activity>], half: usize) -> Vec<Activity> {
    let n = raw.len();
    let idx = |a: Activity| match a {
        Activity::Running => 0,
        Activity::Walking => 1,
        Activity::Still => 2,
        Activity::Mixed => 3,
    };
    let all = [
        Activity::Running,
        Activity::Walking,
        Activity::Still,
        Activity::Mixed,
    ];
    let mut counts = [0usize; 4];
    let add = |c: &mut [usize; 4], a: Option<Activity>, d: isize| {
        if let Some(a) = a {
            c[idx(a)] = (c[idx(a)] as isize + d) as usize;
        }
    };
    for a in raw.iter().take(half.min(n)) {
        add(&mut counts, *a, 1);
    }
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        if i + half < n {
            add(&mut counts, raw[i + half], 1);
        }
        if i > half {
            add(&mut counts, raw[i - half - 1], -1);
        }
        let best = (0..4).max_by_key(|&k| counts[k]).unwrap_or(2);
        let own = raw[i];
        let label = match own {
            Some(o) if counts[idx(o)] == counts[best] => o,
            _ if counts[best] == 0 => Activity::Still,
            _ => all[best],
        };
        out.push(label);
    }
    out
}

/// Overall activity from time per class.
///
/// Watch files need 10 s of movement (records are ~1 s apart); a raw signal's per-step records
/// are exact, so a 5 s treadmill trial of 13 steps is a run.
pub fn overall(running_s: f64, walking_s: f64) -> Activity {
    let moving = running_s + walking_s;
    if moving < 3.0 {
        Activity::Still
    } else if running_s >= 0.8 * moving {
        Activity::Running
    } else if walking_s >= 0.8 * moving {
        Activity::Walking
    } else {
        Activity::Mixed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes_from_cadence_and_speed() {
        assert_eq!(classify(Some(170.0), None), Some(Activity::Running));
        assert_eq!(classify(Some(125.0), Some(2.5)), Some(Activity::Running));
        assert_eq!(classify(Some(115.0), Some(1.4)), Some(Activity::Walking));
        assert_eq!(classify(None, Some(3.0)), Some(Activity::Running));
        assert_eq!(classify(None, Some(0.2)), Some(Activity::Still));
        assert_eq!(classify(Some(0.0), Some(0.2)), Some(Activity::Still));
        assert_eq!(classify(None, None), None);
    }

    #[test]
    fn single_odd_records_are_smoothed_away() {
        let mut raw = vec![Some(Activity::Running); 30];
        raw[10] = Some(Activity::Walking);
        let m = majority(&raw, 5);
        assert!(m.iter().all(|a| *a == Activity::Running));
        let mut raw = vec![Some(Activity::Running); 30];
        for r in raw.iter_mut().skip(12).take(10) {
            *r = Some(Activity::Walking);
        }
        let m = majority(&raw, 5);
        assert_eq!(m[16], Activity::Walking);
        assert_eq!(m[2], Activity::Running);
    }
}
