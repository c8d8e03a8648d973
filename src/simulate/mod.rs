//! The project's own physical model of a run, used to make `samples/` and test inputs whose
//! truth is known in closed form.
//!
//! **Spring-mass model** (Morin et al. 2005): the formulas live in [`crate::model`] (peak
//! force, stance drop, vertical oscillation from contact and flight times).
//!
//! **Gait versus speed** (running at 2.5–4.5 m/s): step frequency rises slowly with speed
//! (Dorn, Schache & Pandy 2012, J Exp Biol 215:1944: ≈ 2.7 steps/s at 3.5 m/s), modelled
//! as `cadence = 140 + 9·v` steps/min; contact time falls with speed (≈ 0.25 s at 3 m/s,
//! ≈ 0.21 s at 4.5 m/s in the same data), modelled as `tc = 0.12 + 0.41/v` s. Fatigue in
//! the last third lowers cadence by 2 % and lengthens contact by 3 %.
//!
//! **Heart rate** follows speed with a 30 s first-order lag and drifts up 0.15 bpm/min
//! (cardiovascular drift). Running power is `1.04 J/kg/m × mass × v` (the energy cost of
//! running on the flat that Stryd-style power uses).
//!
//! Noise comes from a seeded SplitMix64 generator ([`crate::rng::Rng`]), so a seed always
//! writes the same file.
//!
//! The simulator depends only on the base layer (units, model, rng, crc, time), never on a
//! stage, so that the stages can be tested against it.

pub mod apple_health;
pub mod arm;
pub mod block;
pub mod cwa_writer;
pub mod fit_writer;
pub mod free_living;
pub mod raw;

use crate::model::vertical_oscillation_m;
use crate::rng::Rng;
use std::f64::consts::PI;
use std::fmt::Write;

/// Model cadence at speed `v` (m/s), steps/min.
pub fn cadence_at(v: f64) -> f64 {
    140.0 + 9.0 * v
}

/// Model contact time at speed `v` (m/s), s.
pub fn contact_at(v: f64) -> f64 {
    0.12 + 0.41 / v
}

/// One simulated per-second record with the model's exact values (before noise) alongside.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SimRecord {
    /// Seconds from the start.
    pub t_s: f64,
    /// Speed, m/s (noisy, as a device reports it).
    pub speed_mps: f64,
    /// Cumulative distance, m.
    pub distance_m: f64,
    /// Altitude, m.
    pub altitude_m: f64,
    /// Heart rate, bpm.
    pub heart_rate_bpm: f64,
    /// Cadence, steps/min (noisy).
    pub cadence_spm: f64,
    /// Ground contact, ms (noisy).
    pub ground_contact_ms: f64,
    /// Vertical oscillation, cm (noisy).
    pub vertical_oscillation_cm: f64,
    /// Step length, m.
    pub step_length_m: f64,
    /// Vertical ratio, %.
    pub vertical_ratio_pct: f64,
    /// Left share of contact time, %.
    pub gct_balance_left_pct: f64,
    /// Power, W.
    pub power_w: f64,
    /// Temperature, °C.
    pub temperature_c: f64,
    /// Model (noise-free) cadence, steps/min.
    pub true_cadence_spm: f64,
    /// Model contact time, ms.
    pub true_ground_contact_ms: f64,
    /// Model flight time, ms.
    pub true_flight_ms: f64,
    /// Model vertical oscillation, cm.
    pub true_vertical_oscillation_cm: f64,
}

/// A simulated run.
#[derive(Debug, Clone)]
pub struct SimulatedRun {
    /// Unix time of the first record.
    pub start_unix_s: f64,
    /// Runner mass, kg.
    pub mass_kg: f64,
    /// Per-second records.
    pub records: Vec<SimRecord>,
}

/// What a simulated run looks like.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RunPlan {
    /// Unix time of the first record.
    pub start_unix_s: f64,
    /// Length, s.
    pub duration_s: f64,
    /// Steady speed after the warm-up, m/s (the warm-up rises from 0.45 m/s below it over 8
    /// minutes).
    pub cruise_mps: f64,
    /// Height of the one hill, m.
    pub hill_m: f64,
    /// One record every this many seconds (1 = per second; watches' "smart recording" writes
    /// every 1–10 s).
    pub record_every_s: usize,
}

impl RunPlan {
    /// The standard sample: start 2026-09-12T07:30:00Z, 3.15 m/s, a 25 m hill, per second.
    pub fn standard(duration_s: f64) -> Self {
        RunPlan {
            start_unix_s: 1_789_198_200.0,
            duration_s,
            cruise_mps: 3.15,
            hill_m: 25.0,
            record_every_s: 1,
        }
    }
}

/// Speed plan: 8 easy minutes rising from `cruise − 0.45` to `cruise` m/s, then steady with a
/// hill (slower up, faster down), easing 2 % in the last third.
fn planned_speed(t: f64, dur: f64, grade: f64, cruise: f64) -> f64 {
    let warm = 8.0 * 60.0;
    let base = if t < warm {
        cruise - 0.45 + 0.45 * t / warm
    } else {
        cruise
    };
    let fatigue = if t > 2.0 * dur / 3.0 { 0.98 } else { 1.0 };
    // About 3 % slower per 1 % of uphill grade is too much; runners lose ~2 % per 1 % grade.
    base * fatigue * (1.0 - 2.0 * grade).clamp(0.8, 1.15)
}

/// Altitude profile: one hill of `hill_m` centred at 45 % of the run, rolling ±2 m elsewhere.
fn altitude_at(distance_m: f64, total_m: f64, hill_m: f64) -> f64 {
    let c = 0.45 * total_m;
    let half_width = 450.0;
    let hill = if (distance_m - c).abs() < half_width {
        hill_m * 0.5 * (1.0 + (PI * (distance_m - c) / half_width).cos())
    } else {
        0.0
    };
    40.0 + hill + 2.0 * (2.0 * PI * distance_m / 1500.0).sin()
}

/// Simulate the standard run ([`RunPlan::standard`]) of `duration_s` seconds.
pub fn simulate_run(duration_s: f64, seed: u64) -> SimulatedRun {
    simulate_plan(&RunPlan::standard(duration_s), seed)
}

/// Simulate a run to a plan. The model runs per second; records are kept every
/// `record_every_s` seconds.
pub fn simulate_plan(plan: &RunPlan, seed: u64) -> SimulatedRun {
    let duration_s = plan.duration_s;
    let hill_m = plan.hill_m;
    let mut rng = Rng::new(seed);
    let mass_kg = 68.0;
    let n = duration_s.round() as usize;
    let total_m = (plan.cruise_mps - 0.05) * duration_s;
    let mut records = Vec::with_capacity(n);
    let mut dist = 0.0;
    let mut hr = 95.0;
    for i in 0..n {
        let t = i as f64;
        let grade = (altitude_at(dist + 5.0, total_m, hill_m)
            - altitude_at(dist - 5.0, total_m, hill_m))
            / 10.0;
        let v = planned_speed(t, duration_s, grade, plan.cruise_mps);
        let fatigue = t > 2.0 * duration_s / 3.0;
        let cad = cadence_at(v) * if fatigue { 0.98 } else { 1.0 };
        let tc = contact_at(v) * if fatigue { 1.03 } else { 1.0 };
        let step_s = 60.0 / cad;
        let tf = (step_s - tc).max(0.0);
        let vo_m = vertical_oscillation_m(tc, tf);
        let hr_target = 60.0 + 28.0 * v + 0.15 * t / 60.0 + 300.0 * grade.max(0.0);
        hr += (hr_target - hr) / 30.0;
        let speed_obs = v + 0.04 * rng.normal();
        dist += v;
        let step_len = v * step_s;
        let vo_obs = 100.0 * vo_m + 0.25 * rng.normal();
        records.push(SimRecord {
            t_s: t,
            speed_mps: speed_obs,
            distance_m: dist,
            altitude_m: altitude_at(dist, total_m, hill_m) + 0.3 * rng.normal(),
            heart_rate_bpm: (hr + 1.5 * rng.normal()).round(),
            cadence_spm: cad + 1.2 * rng.normal(),
            ground_contact_ms: 1000.0 * tc + 4.0 * rng.normal(),
            vertical_oscillation_cm: vo_obs,
            step_length_m: step_len,
            vertical_ratio_pct: vo_obs / step_len,
            gct_balance_left_pct: 50.6 + 0.3 * rng.normal(),
            power_w: 1.04 * mass_kg * v * (1.0 + 4.0 * grade.max(0.0)) + 6.0 * rng.normal(),
            temperature_c: 17.0 + 2.0 * t / duration_s,
            true_cadence_spm: cad,
            true_ground_contact_ms: 1000.0 * tc,
            true_flight_ms: 1000.0 * tf,
            true_vertical_oscillation_cm: 100.0 * vo_m,
        });
    }
    let every = plan.record_every_s.max(1);
    if every > 1 {
        records = records.into_iter().step_by(every).collect();
    }
    SimulatedRun {
        start_unix_s: plan.start_unix_s,
        mass_kg,
        records,
    }
}

/// The run as a per-record CSV with `name[unit]` columns (the layout fitparse-style record
/// dumps use), one row per second, ISO 8601 UTC timestamps.
pub fn records_csv(run: &SimulatedRun) -> String {
    let mut s = String::with_capacity(run.records.len() * 140);
    s.push_str("timestamp,distance[m],enhanced_speed[m/s],enhanced_altitude[m],heart_rate[bpm],cadence[spm],stance_time[ms],vertical_oscillation[mm],step_length[mm],vertical_ratio[percent],stance_time_balance[percent],power[watts],temperature[C]\n");
    for r in &run.records {
        let ts = crate::time::rfc3339(run.start_unix_s + r.t_s).unwrap_or_default();
        let _ = writeln!(
            s,
            "{ts},{:.2},{:.3},{:.1},{:.0},{:.1},{:.1},{:.1},{:.0},{:.2},{:.2},{:.0},{:.0}",
            r.distance_m,
            r.speed_mps,
            r.altitude_m,
            r.heart_rate_bpm,
            r.cadence_spm,
            r.ground_contact_ms,
            10.0 * r.vertical_oscillation_cm,
            1000.0 * r.step_length_m,
            r.vertical_ratio_pct,
            r.gct_balance_left_pct,
            r.power_w,
            r.temperature_c
        );
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_run() {
        let a = simulate_run(120.0, 3);
        let b = simulate_run(120.0, 3);
        assert_eq!(a.records, b.records);
        let c = simulate_run(120.0, 4);
        assert_ne!(a.records[5].cadence_spm, c.records[5].cadence_spm);
    }
}
