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
//! * **Time running and walking** never exceeds the duration ([`within_duration`]). For a
//!   raw sensor signal both come from the gait engine's bouts, not from the time between
//!   step records ([`bout_times`]), and the duration is the signal's own length.

use crate::recording::{Channel, Pause, Recording, Series};
use crate::vocab::GaitActivity;
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

/// Build the timeline of a recording: sessions on foot → records inside them → declared
/// pauses out → median record interval → time weights and gaps → classes, smoothed.
///
/// Returns `Err(sports)` when the file declares sessions but none is on foot.
pub fn timeline(rec: &Recording) -> Result<Timeline, Vec<String>> {
    let s = &rec.series;
    let sessions = foot_sessions(rec)?;
    let mut in_scope = session_scope(rec, &sessions);
    exclude_pauses(&mut in_scope, &s.time_s, &rec.pauses);
    let median_interval_s = median_interval_s(&s.time_s);
    let (weight_s, paused_s) = weights(&s.time_s, &in_scope, median_interval_s);
    let class = majority(&raw_classes(s), 5);
    Ok(Timeline {
        in_scope,
        weight_s,
        class,
        median_interval_s,
        paused_s,
        sessions,
    })
}

/// Indices of the running sessions, else of the walking/hiking/generic ones; empty when the
/// file declares no session. `Err(sports)` when it declares sessions and none is on foot.
fn foot_sessions(rec: &Recording) -> Result<Vec<usize>, Vec<String>> {
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
    Ok(sessions)
}

/// Records inside one of `sessions` (with half a second of slack either side); all records
/// when the file declares no session.
fn session_scope(rec: &Recording, sessions: &[usize]) -> Vec<bool> {
    let time_s = &rec.series.time_s;
    if sessions.is_empty() {
        return vec![true; time_s.len()];
    }
    time_s
        .iter()
        .map(|&t| {
            sessions.iter().any(|&i| {
                let x = &rec.sessions[i];
                t >= x.start_s - 0.5 && t < x.end_s + 0.5
            })
        })
        .collect()
}

/// Take the records strictly inside a declared pause out of scope (pauses sorted by start;
/// a two-pointer walk keeps this linear). `time_s` ascending, s.
fn exclude_pauses(in_scope: &mut [bool], time_s: &[f64], pauses: &[Pause]) {
    let mut pauses = pauses.to_vec();
    pauses.sort_by(|a, b| {
        a.start_s
            .partial_cmp(&b.start_s)
            .unwrap_or(std::cmp::Ordering::Equal)
    });
    let mut pi = 0;
    for (scope, &t) in in_scope.iter_mut().zip(time_s) {
        while pi < pauses.len() && pauses[pi].end_s <= t {
            pi += 1;
        }
        if pi < pauses.len() && t > pauses[pi].start_s && t < pauses[pi].end_s {
            *scope = false;
        }
    }
}

/// Running and walking time, s, limited so that together they never exceed `duration_s`
/// (summing record weights can pass it by a rounding error, or by a median interval given
/// to the last record of a stretch): running first, walking in what is left.
pub fn within_duration(duration_s: f64, running_s: f64, walking_s: f64) -> (f64, f64) {
    let d = duration_s.max(0.0);
    let running = running_s.clamp(0.0, d);
    (running, walking_s.clamp(0.0, d - running))
}

/// Running and walking time of a raw signal lasting `duration_s`, s, from the engine's
/// bouts (activity, start s, end s): the union of each activity's intervals, clipped to the
/// recording; a moment inside both a running and a walking bout (bouts meet where the
/// activity changes) counts once, as running.
pub fn bout_times(bouts: &[(GaitActivity, f64, f64)], duration_s: f64) -> (f64, f64) {
    let clipped = |a: GaitActivity| -> Vec<(f64, f64)> {
        bouts
            .iter()
            .filter(|b| b.0 == a)
            .map(|b| (b.1.clamp(0.0, duration_s), b.2.clamp(0.0, duration_s)))
            .filter(|(s, e)| e > s)
            .collect()
    };
    let running = union(clipped(GaitActivity::Running));
    let walking = union(clipped(GaitActivity::Walking));
    let overlap: f64 = walking
        .iter()
        .flat_map(|w| {
            running
                .iter()
                .map(move |r| (w.1.min(r.1) - w.0.max(r.0)).max(0.0))
        })
        .sum();
    let length = |v: &[(f64, f64)]| v.iter().fold(0.0, |acc, (s, e)| acc + (e - s));
    within_duration(duration_s, length(&running), length(&walking) - overlap)
}

/// Give a raw signal's summary its own times: `duration_s`, the signal's length, and running
/// and walking time from the engine's bouts ([`bout_times`]).
pub fn use_signal_times(
    m: &mut super::SessionMetrics,
    duration_s: f64,
    bouts: &[(GaitActivity, f64, f64)],
) {
    let (running_s, walking_s) = bout_times(bouts, duration_s);
    m.duration_s = duration_s;
    m.running_time_s = running_s;
    m.walking_time_s = walking_s;
}

/// Disjoint, sorted intervals covering the same time as `v`.
fn union(mut v: Vec<(f64, f64)>) -> Vec<(f64, f64)> {
    v.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut out: Vec<(f64, f64)> = Vec::with_capacity(v.len());
    for (s, e) in v {
        match out.last_mut() {
            Some(last) if s <= last.1 => last.1 = last.1.max(e),
            _ => out.push((s, e)),
        }
    }
    out
}

/// Median of the positive intervals between records, s (1 s when there is none).
fn median_interval_s(time_s: &[f64]) -> f64 {
    let mut dts: Vec<f64> = time_s
        .windows(2)
        .map(|w| w[1] - w[0])
        .filter(|d| *d > 0.0)
        .collect();
    crate::stats::median(&mut dts).unwrap_or(1.0)
}

/// Per record in scope, the time it stands for, s: the interval to the next record in
/// scope (the median interval `median_s` for the last of a stretch); an interval above
/// `max(10 s, 5 × median)` is a pause, of which the record keeps only the median interval.
/// Also returns the time so excluded, s.
fn weights(time_s: &[f64], in_scope: &[bool], median_s: f64) -> (Vec<f64>, f64) {
    let n = time_s.len();
    let gap_limit = (5.0 * median_s).max(10.0);
    let mut weight_s = vec![0.0; n];
    let mut paused_s = 0.0;
    for i in 0..n {
        if !in_scope[i] {
            continue;
        }
        let dt = if i + 1 < n && in_scope[i + 1] {
            time_s[i + 1] - time_s[i]
        } else {
            median_s
        };
        if dt > gap_limit {
            weight_s[i] = median_s;
            paused_s += dt - median_s;
        } else {
            weight_s[i] = dt.max(0.0);
        }
    }
    (weight_s, paused_s)
}

/// The class of each record before smoothing: the signal engine's own step label (gait
/// class 1 running, 2 walking) takes precedence over the cadence/speed rule.
fn raw_classes(s: &Series) -> Vec<Option<Activity>> {
    let cad = s.get(Channel::CadenceSpm);
    let speed = s.get(Channel::SpeedMps);
    let gait = s.get(Channel::GaitClass);
    (0..s.len())
        .map(|i| match gait.map(|g| g[i]) {
            Some(1.0) => Some(Activity::Running),
            Some(2.0) => Some(Activity::Walking),
            _ => classify(cad.map(|c| c[i]), speed.map(|v| v[i])),
        })
        .collect()
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
    fn running_and_walking_time_never_exceed_the_duration() {
        assert_eq!(within_duration(30.0, 34.8, 2.0), (30.0, 0.0));
        assert_eq!(within_duration(30.0, 20.0, 15.0), (20.0, 10.0));
        assert_eq!(within_duration(30.0, 10.0, 5.0), (10.0, 5.0));
        let r = GaitActivity::Running;
        let w = GaitActivity::Walking;
        // Overlapping running bouts count once; a walking bout touching them adds its own
        // time only; a bout past the end is clipped.
        let bouts = [
            (r, 0.0, 10.0),
            (r, 5.0, 12.0),
            (w, 11.0, 20.0),
            (w, 25.0, 40.0),
        ];
        assert_eq!(bout_times(&bouts, 30.0), (12.0, 13.0));
        assert_eq!(bout_times(&[], 30.0), (0.0, 0.0));
    }

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

    #[test]
    fn records_inside_a_declared_pause_leave_the_scope() {
        let t = [0.0, 1.0, 2.0, 3.0, 4.0, 5.0];
        let mut scope = [true; 6];
        let pauses = [
            Pause {
                start_s: 3.5,
                end_s: 10.0,
            },
            Pause {
                start_s: 1.0,
                end_s: 3.0,
            },
        ];
        exclude_pauses(&mut scope, &t, &pauses);
        assert_eq!(scope, [true, true, false, true, false, false]);
    }

    #[test]
    fn a_long_gap_keeps_only_the_median_interval() {
        // 1 s records, a 60 s gap, then two more; record 4 is out of scope.
        let t = [0.0, 1.0, 2.0, 62.0, 63.0, 64.0];
        let scope = [true, true, true, true, false, true];
        assert_eq!(median_interval_s(&t), 1.0);
        let (w, paused) = weights(&t, &scope, 1.0);
        assert_eq!(w, [1.0, 1.0, 1.0, 1.0, 0.0, 1.0]);
        assert_eq!(paused, 59.0);
        assert_eq!(median_interval_s(&[5.0]), 1.0);
    }
}
