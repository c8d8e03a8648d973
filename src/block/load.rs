//! Load maths of a training block: daily and weekly totals, week-over-week change, single-run
//! spikes, acute:chronic ratios (rolling uncoupled and EWMA), monotony and strain.
//!
//! * **Load** of a run, arbitrary units: running minutes × relative intensity, the form of
//!   Foster's session load (duration × intensity; Foster et al. 2001, J Strength Cond Res
//!   15:109) with the session RPE replaced by what files hold: the run's median speed over the
//!   runner's usual speed (the block's median), else its median heart rate over the usual heart
//!   rate, else 1.
//! * **Week-over-week change** of running distance, ISO weeks: > 10 % flagged, > 30 % flagged
//!   high; > 30 % over two weeks was associated with more distance-related injuries in 873
//!   novice runners (Nielsen et al. 2014, J Orthop Sports Phys Ther 44:739). The "10 % rule"
//!   itself did not prevent injuries in a randomised trial (Buist et al. 2008, Am J Sports Med
//!   36:33), so these are flags, not limits.
//! * **Single-run spike**: a run longer than the longest run of the previous 30 days by more
//!   than 10 %, 30 % or 100 %; hazard ratios 1.64, 1.52 and 2.28 for a running-related injury
//!   against runs under 10 % longer (Frandsen et al. 2025, Br J Sports Med, 5,205 runners).
//! * **Acute:chronic workload ratio** of daily load (Gabbett 2016, Br J Sports Med 50:273;
//!   0.8–1.3 "sweet spot", ≥ 1.5 danger). Two forms: *uncoupled rolling* — the mean of the last
//!   7 days over the mean of the 21 days before them (the acute week left out of the chronic
//!   window, Lolli et al. 2019, Br J Sports Med 53:921) — and *EWMA* with λ = 2/(N + 1),
//!   N = 7 and 28 days (Williams et al. 2017, Br J Sports Med 51:209), both started from the mean
//!   daily load of the block's first 7 days. Both need 28 days of the block, with runs on at
//!   least 3 of them, before they are given (a ratio over an almost empty chronic window says
//!   nothing). The ratio's value for injury prediction is disputed (Impellizzeri et al. 2020, Int
//!   J Sports Physiol Perform 15:907): weaker evidence, weighted less.
//! * **Monotony** = mean / standard deviation of the 7 daily loads of a week (rest days count
//!   as 0), capped at 10; **strain** = weekly load × monotony (Foster 1998, Med Sci Sports
//!   Exerc 30:1164; monotony > 2 preceded illness and injury).

use chrono::NaiveDate;
use serde::Serialize;

/// Seconds in a day.
const DAY_S: f64 = 86_400.0;
/// EWMA acute window, days.
pub const ACUTE_DAYS: usize = 7;
/// EWMA chronic window, days.
pub const CHRONIC_DAYS: usize = 28;
/// Fewest days with load in the 28-day window for a ratio to be given.
pub const MIN_LOADED_DAYS: usize = 3;
/// Monotony cap (a week of identical non-zero days has an infinite ratio).
pub const MONOTONY_CAP: f64 = 10.0;

/// One run, as the load maths sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct Run {
    /// Start, Unix seconds.
    pub unix_s: f64,
    /// Local date.
    pub date: NaiveDate,
    /// Running distance, m (0 when unknown).
    pub distance_m: f64,
    /// The file gave a distance.
    pub distance_known: bool,
    /// Running time, s.
    pub running_time_s: f64,
    /// Load, arbitrary units.
    pub load_au: f64,
}

/// Totals of one calendar day.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DayTotals {
    /// Local date.
    pub date: NaiveDate,
    /// Running distance, m.
    pub distance_m: f64,
    /// Running time, s.
    pub duration_s: f64,
    /// Load, au.
    pub load_au: f64,
    /// Runs that day.
    pub sessions: usize,
    /// Longest run that day, m.
    pub longest_run_m: f64,
    /// Runs without a distance that day (treadmill or accelerometer files without speed).
    pub runs_without_distance: usize,
}

/// Daily totals from `first` to `last` inclusive (rest days included as zeros). Runs outside
/// the range are ignored.
pub fn daily(runs: &[Run], first: NaiveDate, last: NaiveDate) -> Vec<DayTotals> {
    let n = (last - first).num_days().max(-1) + 1;
    let mut days: Vec<DayTotals> = (0..n.max(0))
        .map(|i| DayTotals {
            date: first + chrono::Days::new(i as u64),
            distance_m: 0.0,
            duration_s: 0.0,
            load_au: 0.0,
            sessions: 0,
            longest_run_m: 0.0,
            runs_without_distance: 0,
        })
        .collect();
    for r in runs {
        let i = (r.date - first).num_days();
        if let Some(d) = usize::try_from(i).ok().and_then(|i| days.get_mut(i)) {
            d.distance_m += r.distance_m;
            d.duration_s += r.running_time_s;
            d.load_au += r.load_au;
            d.sessions += 1;
            d.longest_run_m = d.longest_run_m.max(r.distance_m);
            d.runs_without_distance += usize::from(!r.distance_known);
        }
    }
    days
}

/// Percentage change from `before` to `now`; `None` when `before` is not positive.
pub fn change_pct(now: f64, before: f64) -> Option<f64> {
    (before > 0.0).then(|| 100.0 * (now - before) / before)
}

/// Totals of one ISO week.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WeekTotals {
    /// Monday.
    pub week_start: NaiveDate,
    /// Running distance, m.
    pub distance_m: f64,
    /// Running time, s.
    pub duration_s: f64,
    /// Load, au.
    pub load_au: f64,
    /// Runs.
    pub sessions: usize,
    /// Longest run, m.
    pub longest_run_m: f64,
    /// Distance change from the previous week, %.
    pub change_pct: Option<f64>,
    /// Distance change from two weeks before, %.
    pub change_2w_pct: Option<f64>,
    /// Foster's monotony of the week's daily loads.
    pub monotony: Option<f64>,
    /// Foster's strain, au.
    pub strain_au: Option<f64>,
    /// The longest run's share of the week's distance, %.
    pub long_run_share_pct: Option<f64>,
    /// Days of the week inside the block (7 but for the first and last week).
    pub days_covered: usize,
    /// Runs without a distance: the week's distance is incomplete and not compared.
    pub runs_without_distance: usize,
}

/// Week-over-week change above which a week is flagged, %.
pub const WEEK_CHANGE_FLAG_PCT: f64 = 10.0;
/// Change above which it is flagged high (Nielsen 2014), %.
pub const WEEK_CHANGE_HIGH_PCT: f64 = 30.0;

/// ISO weeks over daily totals (which must be consecutive days).
pub fn weekly(days: &[DayTotals]) -> Vec<WeekTotals> {
    let mut weeks: Vec<WeekTotals> = Vec::new();
    let mut loads: Vec<Vec<f64>> = Vec::new();
    for d in days {
        let ws = crate::time::week_start(d.date);
        if weeks.last().is_none_or(|w| w.week_start != ws) {
            weeks.push(WeekTotals {
                week_start: ws,
                distance_m: 0.0,
                duration_s: 0.0,
                load_au: 0.0,
                sessions: 0,
                longest_run_m: 0.0,
                change_pct: None,
                change_2w_pct: None,
                monotony: None,
                strain_au: None,
                long_run_share_pct: None,
                days_covered: 0,
                runs_without_distance: 0,
            });
            loads.push(Vec::new());
        }
        let (Some(w), Some(l)) = (weeks.last_mut(), loads.last_mut()) else {
            continue;
        };
        w.distance_m += d.distance_m;
        w.duration_s += d.duration_s;
        w.load_au += d.load_au;
        w.sessions += d.sessions;
        w.longest_run_m = w.longest_run_m.max(d.longest_run_m);
        w.days_covered += 1;
        w.runs_without_distance += d.runs_without_distance;
        l.push(d.load_au);
    }
    // A week only partly inside the block, or with runs of unknown distance, is not compared:
    // its total is incomplete.
    let complete = |w: &WeekTotals| w.days_covered == 7 && w.runs_without_distance == 0;
    for i in 0..weeks.len() {
        let now = weeks[i].distance_m;
        if i >= 1 && complete(&weeks[i]) && complete(&weeks[i - 1]) {
            weeks[i].change_pct = change_pct(now, weeks[i - 1].distance_m);
        }
        if i >= 2 && complete(&weeks[i]) && complete(&weeks[i - 2]) {
            weeks[i].change_2w_pct = change_pct(now, weeks[i - 2].distance_m);
        }
        if weeks[i].days_covered == 7 {
            weeks[i].monotony = monotony(&loads[i]);
            weeks[i].strain_au = weeks[i].monotony.map(|m| m * weeks[i].load_au);
        }
        weeks[i].long_run_share_pct = (now > 0.0).then(|| 100.0 * weeks[i].longest_run_m / now);
    }
    weeks
}

/// Foster's monotony of daily loads: mean / population standard deviation, capped at
/// [`MONOTONY_CAP`]; `None` without load.
pub fn monotony(daily_load: &[f64]) -> Option<f64> {
    let n = daily_load.len() as f64;
    if n < 2.0 || daily_load.iter().any(|x| !x.is_finite()) {
        return None;
    }
    let mean = daily_load.iter().sum::<f64>() / n;
    if mean <= 0.0 {
        return None;
    }
    let var = daily_load.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n;
    let sd = var.sqrt();
    Some(if sd > 0.0 {
        (mean / sd).min(MONOTONY_CAP)
    } else {
        MONOTONY_CAP
    })
}

/// A run longer than any of the previous 30 days.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Spike {
    /// This run, m.
    pub distance_m: f64,
    /// Longest run of the 30 days before it, m.
    pub previous_longest_m: f64,
    /// How much longer, %.
    pub increase_pct: f64,
    /// `10-30`, `30-100` or `over-100` (% longer).
    pub band: &'static str,
    /// Frandsen et al. 2025's hazard ratio for the band.
    pub hazard_ratio: f64,
}

/// Spike bands of Frandsen et al. 2025: (lower bound %, name, hazard ratio).
pub const SPIKE_BANDS: [(f64, &str, f64); 3] = [
    (10.0, "10-30", 1.64),
    (30.0, "30-100", 1.52),
    (100.0, "over-100", 2.28),
];

/// The spike band of an increase, %.
pub fn spike_band(increase_pct: f64) -> Option<(&'static str, f64)> {
    SPIKE_BANDS
        .iter()
        .rev()
        .find(|(lo, _, _)| increase_pct > *lo)
        .map(|&(_, name, hr)| (name, hr))
}

/// The longest run in the 30 days before `runs[i]` (by start time), m; `None` when there was
/// none.
pub fn previous_longest_m(runs: &[Run], i: usize) -> Option<f64> {
    let t = runs.get(i)?.unix_s;
    runs.iter()
        .enumerate()
        .filter(|(j, r)| *j != i && r.unix_s < t && r.unix_s >= t - 30.0 * DAY_S)
        .map(|(_, r)| r.distance_m)
        .filter(|d| *d > 0.0)
        .reduce(f64::max)
}

/// `runs[i]` against the longest run of its previous 30 days; a [`Spike`] when it is more than
/// 10 % longer. `runs` must be ordered by start time.
pub fn spike(runs: &[Run], i: usize) -> Option<Spike> {
    let prev = previous_longest_m(runs, i)?;
    let d = runs[i].distance_m;
    let inc = 100.0 * (d - prev) / prev;
    let (band, hr) = spike_band(inc)?;
    Some(Spike {
        distance_m: d,
        previous_longest_m: prev,
        increase_pct: inc,
        band,
        hazard_ratio: hr,
    })
}

/// Days with load among the 28 ending on day `i`.
fn loaded_days(daily_load: &[f64], i: usize) -> usize {
    daily_load[(i + 1).saturating_sub(CHRONIC_DAYS)..=i]
        .iter()
        .filter(|x| **x > 0.0)
        .count()
}

fn seed(loads: &[f64]) -> f64 {
    let n = loads.len().min(ACUTE_DAYS);
    if n == 0 {
        0.0
    } else {
        loads[..n].iter().sum::<f64>() / n as f64
    }
}

/// Acute:chronic ratio by exponentially weighted moving averages, one per day:
/// `EWMA_today = λ·load_today + (1 − λ)·EWMA_yesterday`, λ = 2/(N + 1), N = 7 (acute) and 28
/// (chronic), both started from the mean load of the first 7 days; `None` for the first 27
/// days, when the chronic average is 0, and when fewer than 3 of the last 28 days had load.
pub fn ewma_ratio(daily_load: &[f64]) -> Vec<Option<f64>> {
    let la = 2.0 / (ACUTE_DAYS as f64 + 1.0);
    let lc = 2.0 / (CHRONIC_DAYS as f64 + 1.0);
    let s = seed(daily_load);
    let (mut a, mut c) = (s, s);
    daily_load
        .iter()
        .enumerate()
        .map(|(i, &x)| {
            a = la * x + (1.0 - la) * a;
            c = lc * x + (1.0 - lc) * c;
            (i + 1 >= CHRONIC_DAYS && c > 0.0 && loaded_days(daily_load, i) >= MIN_LOADED_DAYS)
                .then(|| a / c)
        })
        .collect()
}

/// Uncoupled rolling acute:chronic ratio, one per day: mean load of the last 7 days over the
/// mean of the 21 days before them; `None` for the first 27 days, when the chronic mean is 0,
/// and when fewer than 3 of the 28 days had load.
pub fn uncoupled_ratio(daily_load: &[f64]) -> Vec<Option<f64>> {
    (0..daily_load.len())
        .map(|i| {
            if i + 1 < CHRONIC_DAYS {
                return None;
            }
            let acute = daily_load[i + 1 - ACUTE_DAYS..=i].iter().sum::<f64>() / ACUTE_DAYS as f64;
            let chronic = daily_load[i + 1 - CHRONIC_DAYS..=i - ACUTE_DAYS]
                .iter()
                .sum::<f64>()
                / (CHRONIC_DAYS - ACUTE_DAYS) as f64;
            (chronic > 0.0 && loaded_days(daily_load, i) >= MIN_LOADED_DAYS)
                .then(|| acute / chronic)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn run(day: i64, km: f64) -> Run {
        let d0 = date(2026, 9, 7); // a Monday
        let date = d0 + chrono::Duration::days(day);
        Run {
            unix_s: date.and_hms_opt(7, 0, 0).unwrap().and_utc().timestamp() as f64,
            date,
            distance_m: km * 1000.0,
            distance_known: true,
            running_time_s: km * 300.0,
            load_au: km * 5.0,
        }
    }

    #[test]
    fn spike_bands_against_the_longest_of_30_days() {
        // Longest in the previous 30 days: 10 km (the 20 km run is 31 days before).
        let base = vec![run(0, 20.0), run(10, 8.0), run(20, 10.0), run(25, 6.0)];
        let with = |km: f64| {
            let mut r = base.clone();
            r.push(run(31, km));
            spike(&r, r.len() - 1)
        };
        assert_eq!(
            previous_longest_m(
                &{
                    let mut r = base.clone();
                    r.push(run(31, 1.0));
                    r
                },
                4
            ),
            Some(10_000.0)
        );
        assert!(with(10.5).is_none(), "5 % longer is not a spike");
        assert!(with(11.0).is_none(), "exactly 10 % is not above 10 %");
        let s = with(11.5).unwrap();
        assert_eq!((s.band, s.hazard_ratio), ("10-30", 1.64));
        assert!((s.increase_pct - 15.0).abs() < 1e-9);
        assert_eq!(with(14.0).unwrap().band, "30-100");
        assert_eq!(with(21.0).unwrap().band, "over-100");
        assert_eq!(with(21.0).unwrap().hazard_ratio, 2.28);
        // Exactly 30 days before still counts.
        let r = vec![run(0, 10.0), run(30, 12.0)];
        assert_eq!(spike(&r, 1).unwrap().band, "10-30");
        // The first run of a block has nothing to compare with.
        assert!(spike(&r, 0).is_none());
    }

    #[test]
    fn ewma_by_hand() {
        // Constant load: ratio 1 once defined.
        let flat = vec![10.0; 40];
        let r = ewma_ratio(&flat);
        assert!(r[..27].iter().all(Option::is_none));
        assert!(r[27..].iter().all(|x| (x.unwrap() - 1.0).abs() < 1e-12));
        // 28 days of 10, then 20: acute 0.25·20 + 0.75·10 = 12.5, chronic (2/29)·20 +
        // (27/29)·10 = 10.689655…, ratio 1.169355…
        let mut step = vec![10.0; 28];
        step.push(20.0);
        let r = ewma_ratio(&step);
        let want = 12.5 / (10.0 + 20.0 / 29.0);
        assert!((r[28].unwrap() - want).abs() < 1e-12, "{:?}", r[28]);
        // Seeded by the first 7 days' mean: 7 days of 14 then 0s.
        let mut s = vec![14.0; 7];
        s.extend(vec![0.0; 21]);
        let r = ewma_ratio(&s);
        let (mut a, mut c) = (14.0, 14.0);
        for x in &s {
            a = 0.25 * x + 0.75 * a;
            c = x * 2.0 / 29.0 + c * 27.0 / 29.0;
        }
        assert!((r[27].unwrap() - a / c).abs() < 1e-12);
    }

    #[test]
    fn uncoupled_by_hand() {
        let mut l = vec![10.0; 21];
        l.extend(vec![15.0; 7]);
        let r = uncoupled_ratio(&l);
        assert!(r[26].is_none());
        assert!((r[27].unwrap() - 1.5).abs() < 1e-12);
        let mut l = vec![0.0; 21];
        l.extend(vec![15.0; 7]);
        assert_eq!(
            uncoupled_ratio(&l)[27],
            None,
            "no chronic load: undefined, not infinite"
        );
        // One run in 28 days: no ratio, however large it would be.
        let mut l = vec![0.0; 40];
        l[0] = 50.0;
        l[35] = 50.0;
        assert_eq!(uncoupled_ratio(&l)[35], None);
        assert_eq!(ewma_ratio(&l)[35], None);
    }

    #[test]
    fn weeks_totals_changes_and_monotony() {
        // Block from Monday 2026-09-07: week 1 runs 10+10+10 km, week 2 12+12+15, week 3 20+20.
        let runs = vec![
            run(0, 10.0),
            run(2, 10.0),
            run(4, 10.0),
            run(7, 12.0),
            run(9, 12.0),
            run(11, 15.0),
            run(14, 20.0),
            run(16, 20.0),
        ];
        let days = daily(&runs, date(2026, 9, 7), date(2026, 9, 27));
        assert_eq!(days.len(), 21);
        let w = weekly(&days);
        assert_eq!(w.len(), 3);
        assert_eq!(w[1].week_start, date(2026, 9, 14));
        assert_eq!(w[0].distance_m, 30_000.0);
        assert_eq!(w[0].change_pct, None);
        assert!((w[1].change_pct.unwrap() - 30.0).abs() < 1e-9);
        assert!((w[2].change_pct.unwrap() - 100.0 * (40.0 - 39.0) / 39.0).abs() < 1e-9);
        assert!((w[2].change_2w_pct.unwrap() - 100.0 * 10.0 / 30.0).abs() < 1e-9);
        assert_eq!(w[2].longest_run_m, 20_000.0);
        assert!((w[2].long_run_share_pct.unwrap() - 50.0).abs() < 1e-9);
        // Week 1 loads: 50, 0, 50, 0, 50, 0, 0 → mean 150/7, sd by hand.
        let l = [50.0, 0.0, 50.0, 0.0, 50.0, 0.0, 0.0];
        let mean = 150.0 / 7.0;
        let sd = (l.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / 7.0).sqrt();
        assert!((w[0].monotony.unwrap() - mean / sd).abs() < 1e-12);
        assert!((w[0].strain_au.unwrap() - 150.0 * mean / sd).abs() < 1e-9);
        // A partial first week is not compared with.
        let days = daily(&runs[3..], date(2026, 9, 16), date(2026, 9, 27));
        let w = weekly(&days);
        assert_eq!(w[0].days_covered, 5);
        assert_eq!(w[0].monotony, None);
        assert_eq!(w[1].change_pct, None);
        assert_eq!(monotony(&[5.0; 7]), Some(MONOTONY_CAP));
        assert_eq!(monotony(&[0.0; 7]), None);
    }
}
