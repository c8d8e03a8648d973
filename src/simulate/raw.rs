//! A raw trunk-accelerometer signal from the spring-mass model, with known contact, flight and
//! vertical oscillation per step: the closed-form truth behind the signal engine's tests and
//! the `samples/simulated-trunk-run.csv` sample.
//!
//! **Vertical.** During contact the ground reaction force is the half-sine of Morin et al.
//! 2005 (`F(t) = Fmax·sin(π t/tc)`, `Fmax = m g (π/2)(tf/tc + 1)`); an accelerometer at the
//! centre of mass reads the specific force `F/m` (1 g standing, 0 g in flight). The true
//! vertical oscillation of a step is then exactly
//! [`vertical_oscillation_m`](super::vertical_oscillation_m).
//!
//! **Antero-posterior.** Braking then propulsion, `a_AP = −A·sin(2π t/tc)` (net zero over the
//! contact, so speed is steady), with `A` = 0.45 g by default: the shape of the horizontal
//! force in Cavagna's running data.
//!
//! **Medio-lateral.** During a left stance the ground pushes the trunk to the right (Lee et
//! al. 2010 use this sign to tell the feet apart): `a_ML = ∓B·sin(π t/tc)` with `B` = 0.15 g,
//! ML positive to the left.
//!
//! **Walking** bouts have no flight: vertical `1 g + 0.25 g·cos(2π f t)` peaking at each heel
//! strike, so they carry cadence but no contact/flight truth.
//!
//! **Grade.** Running up or down a slope of grade `G` (rise over run) at speed `v`, the
//! landing is `v·tf·G` above (below) the take-off. With the take-off vertical velocity of
//! level running, projectile motion gives the flight time `tf_G = tf − 2·v·G/g`: shorter
//! flights uphill, longer ones downhill, at the same contact time; the step frequency rises
//! uphill and falls downhill as a result — the direction of the changes reviewed by Vernillo
//! et al. 2017 (Sports Med 47:615, "Biomechanics and physiology of uphill and downhill
//! running"). Runners partly compensate (a larger take-off velocity uphill), so this bounds
//! the real change from the hard side; the flight is kept at ≥ 10 ms. The mean specific
//! force over a step stays 1 g vertical (steady speed along the slope), so the pulses keep
//! the spring-mass shape of their own contact and flight times.
//!
//! **Step-time asymmetry.** `step_asymmetry_s` lengthens every left step (IC to the next IC)
//! by half of it and shortens every right step by the same, through the flight: what a
//! lateral sensor reports when it sees the near leg's contacts earlier than the far leg's,
//! or a runner with uneven steps. The stride (two steps) is unchanged.
//!
//! **Wrist.** With [`RawSimConfig::arm`] the sensor sits on the wrist of a swinging arm
//! instead of the trunk: the arm swings once per stride, locked to the steps above (its
//! phase advances by π over every step), and the trunk's specific force reaches the wrist
//! attenuated ([`super::arm`]); the gyroscope channel ([`RawSim::gyro_dps`]) then holds the
//! arm's angular rate.
//!
//! The sensor frame is the anatomical frame (x forward, y left, z up) rotated by a tilt; then
//! Gaussian noise, optional timestamp jitter, gaps and clipping are applied.

use super::arm::{ArmSwing, arm_state, wrist_reading};
use crate::model::peak_force_bw;
use crate::rng::Rng;
use nalgebra::{Rotation3, Vector3};
use std::f64::consts::PI;
use std::fmt::Write;

/// One kind of movement for a stretch of time.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Phase {
    /// Running: contact and flight time (s) of every step, left/right contact-time difference
    /// (s, left minus right).
    Run {
        /// Duration of the phase, s.
        duration_s: f64,
        /// Mean contact time, s.
        contact_s: f64,
        /// Mean flight time, s.
        flight_s: f64,
        /// Left minus right contact time, s.
        asymmetry_s: f64,
    },
    /// Walking at a step frequency, steps/min.
    Walk {
        /// Duration of the phase, s.
        duration_s: f64,
        /// Cadence, steps/min.
        cadence_spm: f64,
    },
    /// Standing still.
    Stand {
        /// Duration of the phase, s.
        duration_s: f64,
    },
}

/// Settings of one simulated sensor recording.
#[derive(Debug, Clone)]
pub struct RawSimConfig {
    /// What happens, in order.
    pub phases: Vec<Phase>,
    /// Sampling rate, Hz.
    pub rate_hz: f64,
    /// Sensor tilt: rotation (radians) about the forward, left and up axes.
    pub tilt_rad: [f64; 3],
    /// Gaussian noise per axis, g (standard deviation).
    pub noise_g: f64,
    /// Per-step random variation of contact and flight times (standard deviation), s.
    pub step_jitter_s: f64,
    /// Timestamp jitter (standard deviation) as a fraction of the sample interval.
    pub time_jitter: f64,
    /// Gaps: (start s, length s) with no samples.
    pub gaps: Vec<(f64, f64)>,
    /// Full scale of the accelerometer, g (values beyond are clipped).
    pub full_scale_g: f64,
    /// Peak braking deceleration, g.
    pub braking_g: f64,
    /// Peak medio-lateral acceleration, g.
    pub ml_g: f64,
    /// Grade of the ground, % (rise over run × 100; negative downhill); changes the flight
    /// time (module notes).
    pub grade_pct: f64,
    /// Running speed along the ground, m/s (used with the grade).
    pub speed_mps: f64,
    /// Left step time minus right step time, s (module notes).
    pub step_asymmetry_s: f64,
    /// A wrist-worn sensor on a swinging arm instead of a trunk sensor (module notes).
    pub arm: Option<ArmSwing>,
    /// Random seed.
    pub seed: u64,
}

impl Default for RawSimConfig {
    fn default() -> Self {
        RawSimConfig {
            phases: vec![Phase::Run {
                duration_s: 30.0,
                contact_s: 0.25,
                flight_s: 0.11,
                asymmetry_s: 0.0,
            }],
            rate_hz: 100.0,
            tilt_rad: [0.0; 3],
            noise_g: 0.0,
            step_jitter_s: 0.0,
            time_jitter: 0.0,
            gaps: Vec::new(),
            full_scale_g: 16.0,
            braking_g: 0.45,
            ml_g: 0.15,
            grade_pct: 0.0,
            speed_mps: 3.5,
            step_asymmetry_s: 0.0,
            arm: None,
            seed: 1,
        }
    }
}

/// One simulated running step (truth).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TrueStep {
    /// Initial contact, s.
    pub ic_s: f64,
    /// Toe-off, s.
    pub tc_s: f64,
    /// Flight after this contact, s.
    pub flight_s: f64,
    /// True when this is a left-foot contact.
    pub left: bool,
    /// Vertical oscillation of this step (spring-mass closed form), m.
    pub vo_m: f64,
}

/// A simulated recording: samples in the sensor frame, g, and the truth.
#[derive(Debug, Clone, Default)]
pub struct RawSim {
    /// Sample times, s.
    pub time_s: Vec<f64>,
    /// Acceleration, sensor x, y, z, g.
    pub acc_g: [Vec<f64>; 3],
    /// Running steps, in order.
    pub steps: Vec<TrueStep>,
    /// Walking heel strikes, s.
    pub walk_steps_s: Vec<f64>,
    /// Angular rate, sensor x, y, z, deg/s: the swinging arm's, with [`RawSimConfig::arm`].
    pub gyro_dps: Option<[Vec<f64>; 3]>,
}

/// One step of the arm's swing: from a contact to the next, s.
#[derive(Debug, Clone, Copy)]
struct Swing {
    t0: f64,
    period: f64,
    left: bool,
    running: bool,
}

/// The arm at time `ts` (`k`: the index into `swings` to search from, advanced), hanging
/// still outside every step.
fn arm_at(swings: &[Swing], k: &mut usize, ts: f64, arm: &ArmSwing) -> super::arm::ArmState {
    while *k + 1 < swings.len() && ts >= swings[*k + 1].t0 {
        *k += 1;
    }
    let Some(s) = swings
        .get(*k)
        .filter(|s| ts >= s.t0 && ts < s.t0 + s.period)
    else {
        return arm_state(std::f64::consts::FRAC_PI_2, 0.0, 0.0, arm.run_radius_m);
    };
    let rate = PI / s.period;
    let phase = if s.left { 0.0 } else { PI } + rate * (ts - s.t0);
    if s.running {
        arm_state(phase, rate, arm.run_amplitude_deg, arm.run_radius_m)
    } else {
        arm_state(phase, rate, arm.walk_amplitude_deg, arm.walk_radius_m)
    }
}

/// A stretch of the body's motion (also driven step by step by [`super::free_living`]).
#[derive(Debug, Clone, Copy)]
pub(super) enum Seg {
    Contact {
        t0: f64,
        tc: f64,
        fmax: f64,
        left: bool,
    },
    Flight,
    Walk {
        t0: f64,
        period: f64,
    },
    Stand,
}

/// Flight time on a grade of `grade_pct` % at `speed_mps` for a level flight of
/// `level_flight_s`, s: `tf − 2·v·G/g`, at least 10 ms (module notes).
pub fn graded_flight_s(level_flight_s: f64, grade_pct: f64, speed_mps: f64) -> f64 {
    let rise = 2.0 * speed_mps * grade_pct / 100.0 / crate::units::STANDARD_GRAVITY_MPS2;
    (level_flight_s - rise).max(0.01)
}

/// Simulate a recording.
pub fn simulate_raw(cfg: &RawSimConfig) -> RawSim {
    let mut rng = Rng::new(cfg.seed);
    let timeline = event_timeline(cfg, &mut rng);
    sample(cfg, timeline, &mut rng)
}

/// The events of a scenario: body segments in time order, the true steps, the walking
/// steps' times, the arm swings, and the total length, s.
#[derive(Default)]
struct Timeline {
    /// (start, end, kind).
    segs: Vec<(f64, f64, Seg)>,
    steps: Vec<TrueStep>,
    walk_steps: Vec<f64>,
    swings: Vec<Swing>,
    total_s: f64,
}

/// Step 1: the event timeline, phase by phase (running steps drawn with jitter from `rng`).
fn event_timeline(cfg: &RawSimConfig, rng: &mut Rng) -> Timeline {
    let mut tl = Timeline::default();
    let mut t = 0.0;
    let mut left = true;
    for phase in &cfg.phases {
        match *phase {
            Phase::Run {
                duration_s,
                contact_s,
                flight_s,
                asymmetry_s,
            } => {
                let shape = (contact_s, flight_s, asymmetry_s);
                run_phase(cfg, rng, &mut tl, (&mut t, &mut left), duration_s, shape);
            }
            Phase::Walk {
                duration_s,
                cadence_spm,
            } => walk_phase(&mut tl, &mut t, duration_s, cadence_spm),
            Phase::Stand { duration_s } => {
                tl.segs.push((t, t + duration_s, Seg::Stand));
                t += duration_s;
            }
        }
    }
    tl.total_s = t;
    tl
}

/// The running steps of one phase of `duration_s`: contact and flight times (`shape`:
/// contact, flight and left/right asymmetry, s) with the grade's flight change, the step
/// asymmetry and jitter; each step a contact and a flight segment, an arm swing and a
/// true step. `(t, left)`: the clock and the next foot, advanced.
fn run_phase(
    cfg: &RawSimConfig,
    rng: &mut Rng,
    tl: &mut Timeline,
    (t, left): (&mut f64, &mut bool),
    duration_s: f64,
    (contact_s, flight_s, asymmetry_s): (f64, f64, f64),
) {
    let end = *t + duration_s;
    while *t < end - 1e-9 {
        let side = if *left { 0.5 } else { -0.5 };
        let tc = (contact_s + side * asymmetry_s + cfg.step_jitter_s * rng.normal()).max(0.08);
        let tf = (graded_flight_s(flight_s, cfg.grade_pct, cfg.speed_mps)
            + side * cfg.step_asymmetry_s
            + cfg.step_jitter_s * rng.normal())
        .max(0.01);
        let fmax = peak_force_bw(tc, tf);
        let t0 = *t;
        tl.segs.push((
            t0,
            t0 + tc,
            Seg::Contact {
                t0,
                tc,
                fmax,
                left: *left,
            },
        ));
        tl.segs.push((t0 + tc, t0 + tc + tf, Seg::Flight));
        tl.swings.push(Swing {
            t0,
            period: tc + tf,
            left: *left,
            running: true,
        });
        tl.steps.push(TrueStep {
            ic_s: t0,
            tc_s: t0 + tc,
            flight_s: tf,
            left: *left,
            vo_m: super::vertical_oscillation_m(tc, tf),
        });
        *t += tc + tf;
        *left = !*left;
    }
}

/// The walking steps of one phase: a whole number of steps at `cadence_spm`.
fn walk_phase(tl: &mut Timeline, t: &mut f64, duration_s: f64, cadence_spm: f64) {
    let period = 60.0 / cadence_spm;
    let n = (duration_s / period).round().max(1.0);
    for k in 0..n as usize {
        tl.walk_steps.push(*t + k as f64 * period);
        tl.swings.push(Swing {
            t0: *t + k as f64 * period,
            period,
            left: k % 2 == 0,
            running: false,
        });
    }
    tl.segs
        .push((*t, *t + n * period, Seg::Walk { t0: *t, period }));
    *t += n * period;
}

/// Step 2: sample the timeline at the configured rate (gaps left out, time stamps
/// jittered), each sample the body's acceleration seen by the tilted sensor (or the wrist),
/// plus noise, clipped at the sensor's full scale.
fn sample(cfg: &RawSimConfig, tl: Timeline, rng: &mut Rng) -> RawSim {
    let rot = Rotation3::from_euler_angles(cfg.tilt_rad[0], cfg.tilt_rad[1], cfg.tilt_rad[2]);
    let dt = 1.0 / cfg.rate_hz;
    let n = (tl.total_s * cfg.rate_hz).floor() as usize;
    let mut out = RawSim {
        steps: tl.steps,
        walk_steps_s: tl.walk_steps,
        ..RawSim::default()
    };
    for a in &mut out.acc_g {
        a.reserve(n);
    }
    out.time_s.reserve(n);
    if cfg.arm.is_some() {
        out.gyro_dps = Some(Default::default());
    }
    let (segs, swings) = (&tl.segs, &tl.swings);
    let mut si = 0;
    let mut ki = 0;
    for k in 0..n {
        let nominal = k as f64 * dt;
        if cfg
            .gaps
            .iter()
            .any(|&(g0, len)| nominal >= g0 && nominal < g0 + len)
        {
            continue;
        }
        let ts = if cfg.time_jitter > 0.0 && k > 0 {
            nominal + cfg.time_jitter * dt * rng.normal().clamp(-3.0, 3.0)
        } else {
            nominal
        };
        while si + 1 < segs.len() && ts >= segs[si].1 {
            si += 1;
        }
        let body = body_acc_g(segs.get(si).map(|s| s.2), ts, cfg);
        let s = match &cfg.arm {
            None => rot * Vector3::from(body),
            Some(arm) => {
                let state = arm_at(swings, &mut ki, ts, arm);
                let (acc, gyro) = wrist_reading(body, &state, arm.bounce_gain);
                let w = rot * Vector3::from(gyro);
                if let Some(g) = out.gyro_dps.as_mut() {
                    for i in 0..3 {
                        g[i].push(w[i]);
                    }
                }
                rot * Vector3::from(acc)
            }
        };
        out.time_s.push(ts);
        for i in 0..3 {
            let x = s[i] + cfg.noise_g * rng.normal();
            out.acc_g[i].push(x.clamp(-cfg.full_scale_g, cfg.full_scale_g));
        }
    }
    out
}

/// The body's acceleration at time `ts` in segment `seg`, g, as (AP, ML, vertical): a
/// half-sine vertical force over contact with AP braking then propulsion and a sideways
/// push to the stance side; nothing in flight; a walking rhythm; 1 g standing.
pub(super) fn body_acc_g(seg: Option<Seg>, ts: f64, cfg: &RawSimConfig) -> [f64; 3] {
    match seg {
        Some(Seg::Contact { t0, tc, fmax, left }) => {
            let u = ((ts - t0) / tc).clamp(0.0, 1.0);
            let s = (PI * u).sin();
            let ml_sign = if left { -1.0 } else { 1.0 };
            [
                -cfg.braking_g * (2.0 * PI * u).sin(),
                ml_sign * cfg.ml_g * s,
                fmax * s,
            ]
        }
        Some(Seg::Flight) => [0.0, 0.0, 0.0],
        Some(Seg::Walk { t0, period }) => {
            let ph = (ts - t0) / period;
            let side = if (ph.floor() as i64) % 2 == 0 {
                -1.0
            } else {
                1.0
            };
            [
                -0.15 * (2.0 * PI * ph).sin(),
                side * 0.08 * (PI * ph.fract()).sin(),
                1.0 + 0.25 * (2.0 * PI * ph).cos(),
            ]
        }
        Some(Seg::Stand) | None => [0.0, 0.0, 1.0],
    }
}

/// The generic accelerometer CSV rendering: `time_s,acc_x_g,acc_y_g,acc_z_g`.
pub fn raw_csv(sim: &RawSim) -> String {
    let mut s = String::with_capacity(sim.time_s.len() * 36);
    s.push_str("time_s,acc_x_g,acc_y_g,acc_z_g\n");
    for i in 0..sim.time_s.len() {
        let _ = writeln!(
            s,
            "{:.4},{:.4},{:.4},{:.4}",
            sim.time_s[i], sim.acc_g[0][i], sim.acc_g[1][i], sim.acc_g[2][i]
        );
    }
    s
}

/// A short day of wear for tests of the bout finder, 45 min at 100 Hz at the trunk: stand
/// 10 min, walk 3 min at 110 steps/min, run 12 min (780–1500 s; contact 0.25 s, flight
/// 0.11 s), stand 15 min with a 10-min bus ride in it (1800–2400 s: seated, broadband
/// vibration of 0.08 g SD on every axis and a 0.7 Hz sway of 0.05 g vertically, the ranges of
/// ISO 2631-1 bus measurements), walk 2 min at 105 steps/min, stand 3 min.
pub fn wear_day(seed: u64) -> RawSim {
    let mut sim = simulate_raw(&RawSimConfig {
        phases: vec![
            Phase::Stand { duration_s: 600.0 },
            Phase::Walk {
                duration_s: 180.0,
                cadence_spm: 110.0,
            },
            Phase::Run {
                duration_s: 720.0,
                contact_s: 0.25,
                flight_s: 0.11,
                asymmetry_s: 0.0,
            },
            Phase::Stand { duration_s: 900.0 },
            Phase::Walk {
                duration_s: 120.0,
                cadence_spm: 105.0,
            },
            Phase::Stand { duration_s: 180.0 },
        ],
        rate_hz: 100.0,
        noise_g: 0.02,
        seed,
        ..RawSimConfig::default()
    });
    let mut rng = Rng::new(seed ^ 0xb05);
    for i in 0..sim.time_s.len() {
        let t = sim.time_s[i];
        if (1800.0..2400.0).contains(&t) {
            let sway = 0.05 * (2.0 * PI * 0.7 * t).sin();
            for (k, ch) in sim.acc_g.iter_mut().enumerate() {
                ch[i] += 0.08 * rng.normal() + if k == 0 { sway } else { 0.0 };
            }
        }
    }
    sim
}

/// The sample's scenario: a 20 s walk, 100 s of running that tires (contact time up 4 %,
/// flight down), 10 s standing; 100 Hz, a 12° forward lean of the waist pod, 0.03 g noise.
pub fn sample_config(seed: u64) -> RawSimConfig {
    RawSimConfig {
        phases: vec![
            Phase::Walk {
                duration_s: 20.0,
                cadence_spm: 112.0,
            },
            Phase::Run {
                duration_s: 50.0,
                contact_s: 0.245,
                flight_s: 0.115,
                asymmetry_s: 0.008,
            },
            Phase::Run {
                duration_s: 50.0,
                contact_s: 0.255,
                flight_s: 0.105,
                asymmetry_s: 0.008,
            },
            Phase::Stand { duration_s: 10.0 },
        ],
        rate_hz: 100.0,
        tilt_rad: [0.05, 0.21, 0.4],
        noise_g: 0.03,
        step_jitter_s: 0.006,
        seed,
        ..RawSimConfig::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grade_shortens_flight_uphill_and_lengthens_it_downhill() {
        // 4 m/s on +10 %: the landing is 0.4·tf higher; 2·4·0.1/9.80665 = 81.6 ms less flight.
        let up = graded_flight_s(0.12, 10.0, 4.0);
        assert!((up - (0.12 - 0.8 / crate::units::STANDARD_GRAVITY_MPS2)).abs() < 1e-12);
        assert!(graded_flight_s(0.12, -10.0, 4.0) > 0.2);
        assert_eq!(graded_flight_s(0.12, 0.0, 4.0), 0.12);
        assert_eq!(graded_flight_s(0.05, 15.0, 5.0), 0.01);
        let sim = simulate_raw(&RawSimConfig {
            grade_pct: 10.0,
            speed_mps: 4.0,
            ..RawSimConfig::default()
        });
        // The default run's level flight is 0.11 s.
        let expected = graded_flight_s(0.11, 10.0, 4.0);
        assert!((sim.steps[3].flight_s - expected).abs() < 1e-12);
        assert!((expected - (up - 0.01)).abs() < 1e-12);
    }

    #[test]
    fn step_asymmetry_alternates_step_times_and_keeps_the_stride() {
        let sim = simulate_raw(&RawSimConfig {
            step_asymmetry_s: 0.06,
            ..RawSimConfig::default()
        });
        let st: Vec<f64> = sim
            .steps
            .windows(2)
            .map(|w| w[1].ic_s - w[0].ic_s)
            .collect();
        for k in 1..st.len() {
            assert!((st[k - 1] - st[k]).abs() > 0.059);
            assert!((st[k - 1] + st[k] - 0.72).abs() < 1e-9);
        }
    }

    #[test]
    fn a_wrist_swings_once_per_stride_locked_to_the_steps() {
        // 0.36 s steps, 35° swing: peak rate θ₀·π/0.36 s; still at each contact.
        let sim = simulate_raw(&RawSimConfig {
            rate_hz: 1000.0,
            arm: Some(ArmSwing::default()),
            ..RawSimConfig::default()
        });
        let gyro = sim.gyro_dps.as_ref().unwrap();
        let peak = gyro[1].iter().fold(0.0f64, |m, v| m.max(v.abs()));
        let expected = 35.0 * PI / 0.36;
        assert!(
            (peak - expected).abs() < 0.01 * expected,
            "{peak} vs {expected}"
        );
        for s in &sim.steps[1..10] {
            let i = (s.ic_s * 1000.0).round() as usize;
            assert!(gyro[1][i].abs() < 0.02 * expected, "{}", gyro[1][i]);
        }
        // Gravity turns forward and back by the swing: the forward axis reads sin θ₀
        // of gravity and the tangential pull at the swing's ends, once per stride, with
        // opposite signs at a left and at a right contact.
        let at = |t: f64| sim.acc_g[0][(t * 1000.0).round() as usize];
        let (l, r) = (at(sim.steps[2].ic_s), at(sim.steps[3].ic_s));
        assert!(l * r < 0.0 && (l + r).abs() < 0.05, "{l} {r}");
    }

    #[test]
    fn impulse_balances_gravity_over_a_step() {
        // Mean specific force over whole steps is 1 g (the runner neither rises nor sinks).
        let sim = simulate_raw(&RawSimConfig {
            rate_hz: 2000.0,
            ..RawSimConfig::default()
        });
        let (a, b) = (sim.steps[2].ic_s, sim.steps[12].ic_s);
        let v: Vec<f64> = sim
            .time_s
            .iter()
            .zip(&sim.acc_g[2])
            .filter(|(t, _)| **t >= a && **t < b)
            .map(|(_, v)| *v)
            .collect();
        let mean = v.iter().sum::<f64>() / v.len() as f64;
        assert!((mean - 1.0).abs() < 0.01, "{mean}");
    }
}
