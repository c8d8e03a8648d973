//! Free-living wear: days of an accelerometer worn on the wrist (the usual research placement:
//! the UK Biobank's Axivity AX3, GENEActiv) or the lower back, with a known schedule of what
//! the wearer did — the truth behind the bout finder's tests (issue 16).
//!
//! **The schedule** ([`schedule`]) follows a working adult's week. Nights of sleep from about
//! 23:00 to 07:00 (08:00 at weekends), ±30 min: mid-sleep near 03:30–04:00 and 7–8 h in bed,
//! as in the 100 countries of Walch, Cochran & Forger 2016 ("A global quantification of
//! 'normal' sleep schedules using smartphone data", Sci Adv 2:e1501705). Waking hours are
//! mostly sedentary: US adults spend 7.7 h/day, 55 % of monitored time, sedentary (Matthews
//! et al. 2008, Am J Epidemiol 167:875, NHANES 2003–04 accelerometry), office workers about
//! 70 % of their working hours sitting (Clemes et al. 2014, J Occup Environ Med 56:298). So a
//! work day (Monday–Friday) is breakfast, a walk to the stop, a 20–40 min bus ride, desk work
//! (typing in 15–50 min stretches, meetings and reading sitting, short walks to the kitchen),
//! a walked lunch, the bus home, cooking and chores standing, and an evening sitting; a
//! weekend day has chores, errands on foot and more sitting. Walking bouts last 1–25 min at
//! 95–125 steps/min (free-living adult walking cadence is mostly 100–120 steps/min;
//! Tudor-Locke et al. 2018, Br J Sports Med 52:776, "How fast is fast enough? Walking
//! cadence (steps/min) as a practical estimate of intensity in adults"). Two runs a week
//! (one on a week cut to two days or less), never on consecutive days if avoidable: 5–10 min
//! of walking warm-up, 20–60 min of running, 3–8 min of walking cool-down, on a work-day
//! morning (35 %) or evening, or a weekend morning.
//!
//! **The signal** ([`FreeLiving`]) is made sample by sample in constant memory: the state is
//! the current bout's and the current step's, never the week's samples. Every reading is
//! the specific force (g, gravity included) in the frame of the body segment that carries
//! the sensor (the arm for the wrist, hanging: x forward, y left, z up; the trunk for the
//! lower back), turned into the sensor frame by a fixed mount rotation, plus 3 mg of white
//! noise (the order of an AX3's MEMS accelerometer noise at 100 Hz, below its 3.9 mg
//! resolution at ±8 g).
//!
//! * Posture is the direction gravity takes in the segment frame; it moves to a new
//!   direction drawn from the activity's range with a first-order lag (time constant
//!   0.3–1.5 s), at the activity's rate of posture changes: turns in sleep every 20–90 min
//!   (sleepers change posture a few times an hour to a few times a night; De Koninck,
//!   Lorrain & Gagnon 1992, Sleep 15:143, "Sleep positions and position shifts in five age
//!   groups"), lying supine, on a side or prone for the trunk and anywhere for the wrist;
//!   shifts every few minutes sitting; every few seconds during chores.
//! * Movements are minimum-jerk reaches (Flash & Hogan 1985, J Neurosci 5:1688: the hand's
//!   acceleration `a(τ) = D/T²·(60τ − 180τ² + 120τ³)`, which starts and ends at rest), of
//!   0.05–0.4 g at the wrist, less at the trunk, at the activity's rate.
//! * Typing (wrist): keystrokes are half-sine taps of 30–60 ms and 0.02–0.1 g along the
//!   vertical, in bursts of 2–12 keys at 3–10 keys/s (inter-key intervals of 0.1–0.33 s; a
//!   mean of about 0.24 s in Dhakal et al. 2018, "Observations on typing from 136 million
//!   keystrokes", CHI 2018) with pauses of 0.4–3 s and, one time in ten, 5–30 s of reading;
//!   mouse moves are minimum-jerk reaches of 0.03–0.15 g in the desk's plane.
//! * Breathing (trunk): the lower back tilts with each breath, 12–18 breaths/min, read as
//!   8 mg along the segment's x axis.
//! * The bus: seated whole-body vibration, broadband 5–30 Hz (two broad resonances per axis,
//!   5–12 and 14–28 Hz), 0.04–0.1 g rms vertical at cruising speed and about half
//!   horizontally, scaled with speed, with 6 mg of idling engine at stops — urban buses
//!   expose seated occupants to ISO 2631-1 frequency-weighted rms accelerations of
//!   0.3–0.7 m/s², mostly vertical (Blood et al. 2010, "Whole body vibration exposures in
//!   metropolitan bus drivers: a comparison of three seats", J Sound Vib 329:109; Jonsson et
//!   al. 2015, Ergonomics 58:1133); unweighted broadband rms is higher. Low-frequency sway
//!   (lateral 0.3–1.5 Hz, 0.02–0.06 g; suspension bounce 1–1.5 Hz, 0.01–0.03 g). A drive
//!   cycle of stops (8–40 s), accelerations of 0.08–0.15 g to 8–14 m/s, cruising 15–60 s and
//!   braking at 0.10–0.20 g, each surge eased in with a 0.7 s lag (passenger-comfort limits
//!   of longitudinal acceleration are 0.11–0.15 g; Hoberock 1977, J Dyn Syst Meas Control
//!   99:76, "A survey of longitudinal acceleration comfort studies in ground transportation
//!   vehicles").
//! * Walking and running use the raw simulator's gait model ([`super::raw`]): the
//!   spring-mass contact of Morin et al. 2005 for running steps (contact time from
//!   [`super::contact_at`] at the speed the cadence implies, flight the rest of the step),
//!   the walking rhythm for walking, ±6 ms of step-to-step jitter (±1.5 % for walking), and
//!   on the wrist the arm swing of [`super::arm`]. Walking adds the heel-strike transient
//!   the smooth rhythm lacks (Whittle 1999, "Generation and attenuation of transient
//!   impulsive forces beneath the foot: a review", Gait Posture 10:264): a biphasic 60 ms
//!   pulse of 0.3 g at the trunk (several g at the shank, attenuated on the way up; a model
//!   choice), and a walking wrist takes the trunk's motion whole (bounce gain 1: at 1.6–2 Hz
//!   a hanging arm follows the shoulder; the raw model's 0.6 damps running's landings).
//!   Without them the arm's centripetal pull at the step frequency cancels most of the
//!   bounce and a walking wrist's |a| varies by 0.03 g SD; with them by about 0.1 g, the
//!   low end of the 0.1–0.3 g that wrist accelerometers record in walking (Hildebrand et al.
//!   2014, Med Sci Sports Exerc 46:1816).
//!
//! The generator depends only on the base layer; [`FreeLiving::next_samples`] hands out
//! samples in runs of a caller-chosen length, so any sink (a CWA writer, a streaming
//! analysis) can take them.

use super::arm::{ArmSwing, arm_state, wrist_reading};
use super::raw::{RawSimConfig, Seg, body_acc_g};
use super::{cadence_at, contact_at};
use crate::model::peak_force_bw;
use crate::rng::Rng;
use crate::units::STANDARD_GRAVITY_MPS2;
use std::f64::consts::PI;

/// Seconds in a day.
const DAY_S: f64 = 86_400.0;
/// Sensor noise, g (standard deviation per axis).
const NOISE_G: f64 = 0.003;
/// Heel-strike transient of a walking step: peak, g, and length, s (module notes).
const HEEL_STRIKE_G: f64 = 0.3;
const HEEL_STRIKE_S: f64 = 0.06;

/// Where the sensor is worn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WearPlacement {
    /// On the wrist, as a watch (the UK Biobank placement).
    Wrist,
    /// On the lower back or hip.
    Trunk,
}

crate::vocab::named!(WearPlacement {
    Wrist => "wrist",
    Trunk => "trunk",
});

/// What the wearer was doing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TruthActivity {
    /// In bed, asleep: lying, near-still, turning now and then.
    Sleep,
    /// Sitting without typing: meals, meetings, reading, television.
    Sitting,
    /// Sitting at a desk, typing and using a mouse.
    Typing,
    /// Standing and light chores.
    Standing,
    /// Walking.
    Walking,
    /// Running.
    Running,
    /// Sitting in a bus.
    Bus,
}

crate::vocab::named!(TruthActivity {
    Sleep => "sleep",
    Sitting => "sitting",
    Typing => "typing",
    Standing => "standing",
    Walking => "walking",
    Running => "running",
    Bus => "bus",
});

/// One stretch of the known truth.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TruthBout {
    /// What the wearer did.
    pub activity: TruthActivity,
    /// Start, s from the recording's start.
    pub start_s: f64,
    /// End, s from the recording's start.
    pub end_s: f64,
    /// Step frequency of a walking or running bout, steps/min.
    pub cadence_spm: Option<f64>,
}

impl TruthBout {
    /// Length, s.
    pub fn duration_s(&self) -> f64 {
        self.end_s - self.start_s
    }
}

/// What to simulate.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FreeLivingSpec {
    /// Length, days.
    pub days: u32,
    /// Sampling rate, Hz.
    pub rate_hz: f64,
    /// Where the sensor is worn.
    pub placement: WearPlacement,
    /// Random seed (a seed always gives the same schedule and samples).
    pub seed: u64,
    /// Unix time of the first sample (the device's clock, read as UTC); the schedule's days
    /// are this clock's calendar days.
    pub start_unix_s: i64,
}

/// 2026-09-07T00:00:00Z, a Monday.
pub const DEFAULT_START_UNIX_S: i64 = 1_788_739_200;

impl Default for FreeLivingSpec {
    /// A week at 100 Hz on the wrist, seed 7, from Monday 2026-09-07 00:00.
    fn default() -> Self {
        FreeLivingSpec {
            days: 7,
            rate_hz: 100.0,
            placement: WearPlacement::Wrist,
            seed: 7,
            start_unix_s: DEFAULT_START_UNIX_S,
        }
    }
}

impl FreeLivingSpec {
    /// Length, s.
    pub fn duration_s(&self) -> f64 {
        f64::from(self.days) * DAY_S
    }

    /// Number of samples.
    pub fn sample_count(&self) -> u64 {
        (self.duration_s() * self.rate_hz).floor() as u64
    }
}

// ---------------------------------------------------------------------------------------
// The schedule
// ---------------------------------------------------------------------------------------

/// The truth schedule: contiguous bouts covering `[0, days × 86 400)` s from the start.
pub fn schedule(spec: &FreeLivingSpec) -> Vec<TruthBout> {
    let day_number = spec.start_unix_s.div_euclid(86_400);
    let offset_s = spec.start_unix_s.rem_euclid(86_400) as f64;
    let total_s = spec.duration_s();
    let calendar_days = ((offset_s + total_s) / DAY_S).ceil().max(1.0) as i64;
    let mut b = Builder {
        rng: Rng::new(spec.seed ^ 0x5C4E_D01E_F7EE_0001),
        t: 0.0,
        bouts: Vec::new(),
    };
    let run_days = pick_run_days(calendar_days, &mut b.rng);
    for d in 0..calendar_days {
        // 1970-01-01 was a Thursday: (days + 3) mod 7 counts from Monday.
        let weekday = (day_number + d + 3).rem_euclid(7);
        plan_day(
            &mut b,
            DayPlan {
                day0_s: d as f64 * DAY_S,
                work: weekday < 5,
                run: run_days.contains(&d),
            },
        );
    }
    clip_and_merge(b.bouts, offset_s, total_s)
}

/// Two run days in every block of seven calendar days (one when the block has two days or
/// fewer), not on consecutive days when a draw allows it.
fn pick_run_days(calendar_days: i64, rng: &mut Rng) -> Vec<i64> {
    let mut days = Vec::new();
    let mut w = 0;
    while w < calendar_days {
        let n = (calendar_days - w).min(7);
        let want = if n <= 2 { 1 } else { 2 };
        let mut picked: Vec<i64> = Vec::new();
        for _ in 0..50 {
            if picked.len() == want {
                break;
            }
            let d = w + (rng.uniform() * n as f64) as i64;
            let near = picked.iter().any(|&p| (p - d).abs() <= 1);
            let same = picked.contains(&d);
            if !same && (!near || n <= 3) {
                picked.push(d);
            }
        }
        days.extend(picked);
        w += 7;
    }
    days
}

/// One calendar day's plan.
#[derive(Debug, Clone, Copy)]
struct DayPlan {
    /// Seconds of the day's midnight from the first calendar day's.
    day0_s: f64,
    /// A work day (bus, office).
    work: bool,
    /// A run day.
    run: bool,
}

/// Builds the schedule: the clock and the bouts so far, (activity, start, end, cadence).
struct Builder {
    rng: Rng,
    t: f64,
    bouts: Vec<(TruthActivity, f64, f64, Option<f64>)>,
}

impl Builder {
    fn uniform(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.rng.uniform()
    }

    fn chance(&mut self, p: f64) -> bool {
        self.rng.uniform() < p
    }

    fn push(&mut self, activity: TruthActivity, dur_s: f64, cadence: Option<f64>) {
        if dur_s > 0.0 {
            self.bouts.push((activity, self.t, self.t + dur_s, cadence));
            self.t += dur_s;
        }
    }

    /// `activity` for `lo`–`hi` minutes.
    fn minutes(&mut self, activity: TruthActivity, lo: f64, hi: f64) {
        let d = 60.0 * self.uniform(lo, hi);
        self.push(activity, d, None);
    }

    /// `activity` until `end_s` (nothing when the clock is past it).
    fn until(&mut self, activity: TruthActivity, end_s: f64) {
        let d = end_s - self.t;
        self.push(activity, d, None);
    }

    /// A walking bout of `lo`–`hi` minutes at 95–125 steps/min (mean 110).
    fn walk(&mut self, lo: f64, hi: f64) {
        let cad = (110.0 + 7.0 * self.rng.normal()).clamp(95.0, 125.0);
        let d = 60.0 * self.uniform(lo, hi);
        self.push(TruthActivity::Walking, d, Some(cad));
    }

    /// A run: walking warm-up, 20–60 min of running at 150–185 steps/min (the model
    /// cadence of a speed of 2.4–4.6 m/s, ± 6 steps/min between runners), walking
    /// cool-down.
    fn run_session(&mut self) {
        let warm = (112.0 + 5.0 * self.rng.normal()).clamp(100.0, 125.0);
        let d = 60.0 * self.uniform(5.0, 10.0);
        self.push(TruthActivity::Walking, d, Some(warm));
        let v = self.uniform(2.4, 4.6);
        let cad = (cadence_at(v) + 6.0 * self.rng.normal()).clamp(150.0, 185.0);
        let d = 60.0 * self.uniform(20.0, 60.0);
        self.push(TruthActivity::Running, d, Some(cad));
        self.walk(3.0, 8.0);
    }

    /// Desk work until `end_s`: typing stretches, meetings and reading, kitchen trips.
    fn office_until(&mut self, end_s: f64) {
        use TruthActivity::*;
        while end_s - self.t > 180.0 {
            let r = self.rng.uniform();
            let before = self.bouts.len();
            if r < 0.55 {
                self.minutes(Typing, 15.0, 50.0);
            } else if r < 0.75 {
                self.minutes(Sitting, 10.0, 40.0);
            } else if r < 0.9 {
                self.walk(1.0, 3.0);
                self.minutes(Standing, 2.0, 6.0);
                self.walk(1.0, 3.0);
            } else {
                self.minutes(Standing, 2.0, 8.0);
            }
            // The block ends at `end_s`: the last piece is cut there.
            if self.t > end_s {
                while self.bouts.len() > before && self.bouts.last().is_some_and(|b| b.1 >= end_s) {
                    self.bouts.pop();
                }
                if let Some(last) = self.bouts.last_mut() {
                    last.2 = end_s;
                    // A walk cut to under a minute is a few steps about the room.
                    if last.0 == Walking && last.2 - last.1 < 60.0 {
                        last.0 = Standing;
                        last.3 = None;
                    }
                }
                self.t = end_s;
            }
        }
        self.until(Typing, end_s);
    }
}

/// Hours after the day's midnight, s.
fn hours(p: &DayPlan, h: f64) -> f64 {
    p.day0_s + 3600.0 * h
}

/// One calendar day: sleep until waking, the day's plan, sleep from bedtime to midnight.
fn plan_day(b: &mut Builder, p: DayPlan) {
    use TruthActivity::*;
    let morning_run = p.run && (!p.work || b.chance(0.35));
    let wake_h = if p.work { 7.0 } else { 8.0 } + b.uniform(-0.5, 0.5);
    let wake_h = wake_h - if morning_run && p.work { 0.75 } else { 0.0 };
    b.until(Sleep, hours(&p, wake_h));
    b.minutes(Standing, 15.0, 35.0);
    if morning_run && p.work {
        b.run_session();
        b.minutes(Standing, 10.0, 20.0);
    }
    b.minutes(Sitting, 10.0, 25.0);
    if p.work {
        work_day(b, &p);
    } else {
        weekend_day(b, morning_run);
    }
    if p.run && !morning_run {
        b.minutes(Standing, 5.0, 10.0);
        b.run_session();
        b.minutes(Standing, 10.0, 20.0);
    }
    b.minutes(Standing, 25.0, 50.0);
    b.minutes(Sitting, 20.0, 35.0);
    b.minutes(Standing, 5.0, 20.0);
    if b.chance(0.4) {
        b.walk(10.0, 25.0);
    }
    let bed = hours(&p, 23.0 + b.uniform(-0.5, 0.5));
    b.until(Sitting, bed - 900.0);
    b.until(Standing, bed);
    b.until(Sleep, hours(&p, 24.0));
}

/// Commute, office, lunch, office, commute.
fn work_day(b: &mut Builder, p: &DayPlan) {
    use TruthActivity::*;
    b.minutes(Standing, 2.0, 6.0);
    b.walk(4.0, 10.0);
    b.minutes(Standing, 2.0, 8.0);
    b.minutes(Bus, 20.0, 40.0);
    b.walk(3.0, 8.0);
    let lunch = hours(p, 12.25 + b.uniform(-0.25, 0.25));
    b.office_until(lunch);
    b.walk(4.0, 10.0);
    b.minutes(Sitting, 20.0, 35.0);
    b.walk(4.0, 10.0);
    let home = hours(p, 17.25 + b.uniform(-0.4, 0.4));
    b.office_until(home);
    b.walk(3.0, 8.0);
    b.minutes(Standing, 2.0, 8.0);
    b.minutes(Bus, 20.0, 40.0);
    b.walk(4.0, 10.0);
}

/// Chores, (a morning run), errands on foot, sitting.
fn weekend_day(b: &mut Builder, run: bool) {
    use TruthActivity::*;
    b.minutes(Standing, 30.0, 75.0);
    if run {
        b.minutes(Standing, 5.0, 10.0);
        b.run_session();
        b.minutes(Standing, 15.0, 30.0);
    }
    b.walk(8.0, 20.0);
    b.minutes(Standing, 20.0, 45.0);
    b.walk(8.0, 20.0);
    b.minutes(Sitting, 40.0, 100.0);
    b.minutes(Standing, 15.0, 40.0);
    b.walk(5.0, 20.0);
    b.minutes(Sitting, 30.0, 90.0);
}

/// Bouts shifted to the recording's start (`offset_s` after the first midnight), cut to
/// `[0, total_s)`, neighbours of the same activity (and cadence) merged.
fn clip_and_merge(
    bouts: Vec<(TruthActivity, f64, f64, Option<f64>)>,
    offset_s: f64,
    total_s: f64,
) -> Vec<TruthBout> {
    let mut out: Vec<TruthBout> = Vec::new();
    for (activity, s, e, cadence_spm) in bouts {
        let (s, e) = ((s - offset_s).max(0.0), (e - offset_s).min(total_s));
        if e <= s {
            continue;
        }
        if let Some(last) = out.last_mut() {
            if last.activity == activity && last.cadence_spm == cadence_spm {
                last.end_s = e;
                continue;
            }
        }
        out.push(TruthBout {
            activity,
            start_s: s,
            end_s: e,
            cadence_spm,
        });
    }
    if let Some(last) = out.last_mut() {
        last.end_s = total_s;
    }
    out
}

// ---------------------------------------------------------------------------------------
// Small signal parts
// ---------------------------------------------------------------------------------------

type V3 = [f64; 3];

fn add(a: V3, b: V3) -> V3 {
    [a[0] + b[0], a[1] + b[1], a[2] + b[2]]
}

fn scale(a: V3, k: f64) -> V3 {
    [a[0] * k, a[1] * k, a[2] * k]
}

fn dot(a: V3, b: V3) -> f64 {
    a[0] * b[0] + a[1] * b[1] + a[2] * b[2]
}

fn cross(a: V3, b: V3) -> V3 {
    [
        a[1] * b[2] - a[2] * b[1],
        a[2] * b[0] - a[0] * b[2],
        a[0] * b[1] - a[1] * b[0],
    ]
}

fn unit(a: V3) -> V3 {
    let n = dot(a, a).sqrt();
    if n > 1e-12 {
        scale(a, 1.0 / n)
    } else {
        [0.0, 0.0, 1.0]
    }
}

fn mat_vec(m: &[V3; 3], v: V3) -> V3 {
    [dot(m[0], v), dot(m[1], v), dot(m[2], v)]
}

/// A cheap near-Gaussian draw (unit variance): the sum of four 16-bit uniforms (Irwin–Hall),
/// centred and scaled; one 64-bit draw instead of Box–Muller's logarithm and cosine, for the
/// per-sample noise of 60 million samples.
fn fast_normal(rng: &mut Rng) -> f64 {
    let u = rng.next_u64();
    let s = (u & 0xffff) + ((u >> 16) & 0xffff) + ((u >> 32) & 0xffff) + (u >> 48);
    (s as f64 / 65_536.0 - 2.0) * 3f64.sqrt()
}

/// A random unit vector.
fn random_unit(rng: &mut Rng) -> V3 {
    unit([rng.normal(), rng.normal(), rng.normal()])
}

/// Gravity's direction in the segment frame for a segment raised forward by `pitch_deg`
/// (0: hanging or upright) and rolled about its long axis by `roll_deg`.
fn gravity_dir(pitch_deg: f64, roll_deg: f64) -> V3 {
    let (sp, cp) = pitch_deg.to_radians().sin_cos();
    let (sr, cr) = roll_deg.to_radians().sin_cos();
    [sp * cr, sp * sr, cp]
}

/// A unit vector perpendicular to `v`, and the third of the right-handed basis.
fn perpendiculars(v: V3) -> (V3, V3) {
    let helper = if v[0].abs() < 0.9 {
        [1.0, 0.0, 0.0]
    } else {
        [0.0, 1.0, 0.0]
    };
    let a = unit(add(helper, scale(v, -dot(helper, v))));
    (a, cross(v, a))
}

/// The rotation taking the segment's "up" (0, 0, 1) to `g` (Rodrigues' formula), rows.
fn rotation_from_up(g: V3) -> [V3; 3] {
    let c = g[2];
    if c < -1.0 + 1e-9 {
        return [[1.0, 0.0, 0.0], [0.0, -1.0, 0.0], [0.0, 0.0, -1.0]];
    }
    // v = ez × g = (−g_y, g_x, 0); R = I + [v]× + [v]×² / (1 + c).
    let (vx, vy) = (-g[1], g[0]);
    let k = 1.0 / (1.0 + c);
    [
        [1.0 - vy * vy * k, vx * vy * k, vy],
        [vx * vy * k, 1.0 - vx * vx * k, -vx],
        [-vy, vx, 1.0 - (vx * vx + vy * vy) * k],
    ]
}

/// A sinusoid advanced by a rotating phasor (no sine per sample).
#[derive(Debug, Clone, Copy)]
struct Osc {
    c: f64,
    s: f64,
    cd: f64,
    sd: f64,
}

impl Osc {
    fn new(freq_hz: f64, rate_hz: f64, phase: f64) -> Self {
        let (sd, cd) = (2.0 * PI * freq_hz / rate_hz).sin_cos();
        Osc {
            c: phase.cos(),
            s: phase.sin(),
            cd,
            sd,
        }
    }

    /// The next value of sin(phase).
    fn step(&mut self) -> f64 {
        let c = self.c * self.cd - self.s * self.sd;
        self.s = self.s * self.cd + self.c * self.sd;
        self.c = c;
        self.s
    }
}

/// A broad resonance: white noise through two poles `r·e^{±iθ}` (an AR(2) process), scaled
/// to unit variance (the AR(2) variance `(1 − φ₂)/((1 + φ₂)((1 − φ₂)² − φ₁²))`).
#[derive(Debug, Clone, Copy)]
struct Resonance {
    phi1: f64,
    phi2: f64,
    gain: f64,
    y1: f64,
    y2: f64,
}

impl Resonance {
    /// Centre `freq_hz`, bandwidth about the centre frequency (Q ≈ 1).
    fn new(freq_hz: f64, rate_hz: f64) -> Self {
        let f = freq_hz.min(0.4 * rate_hz);
        let r = (-PI * f / rate_hz).exp();
        let phi1 = 2.0 * r * (2.0 * PI * f / rate_hz).cos();
        let phi2 = -r * r;
        let var = (1.0 - phi2) / ((1.0 + phi2) * ((1.0 - phi2).powi(2) - phi1 * phi1));
        Resonance {
            phi1,
            phi2,
            gain: 1.0 / var.sqrt(),
            y1: 0.0,
            y2: 0.0,
        }
    }

    fn step(&mut self, white: f64) -> f64 {
        let y = self.phi1 * self.y1 + self.phi2 * self.y2 + white;
        self.y2 = self.y1;
        self.y1 = y;
        y * self.gain
    }
}

/// A short acceleration pulse: a minimum-jerk reach (peak-normalised) or a half-sine tap.
#[derive(Debug, Clone, Copy, Default)]
struct Pulse {
    t0: f64,
    dur: f64,
    peak: V3,
    tap: bool,
}

impl Pulse {
    fn at(&self, t: f64) -> Option<V3> {
        let u = (t - self.t0) / self.dur;
        if !(0.0..1.0).contains(&u) {
            return None;
        }
        let shape = if self.tap {
            (PI * u).sin()
        } else {
            // Minimum-jerk acceleration, 60u − 180u² + 120u³, peak 10/√3 at u = (3 − √3)/6.
            (60.0 * u - 180.0 * u * u + 120.0 * u * u * u) * (3f64.sqrt() / 10.0)
        };
        Some(scale(self.peak, shape))
    }
}

// ---------------------------------------------------------------------------------------
// Activity habits
// ---------------------------------------------------------------------------------------

/// How a still (non-gait) activity moves: seconds between posture changes, the lag of a
/// change, seconds between movements, their size (g) and length (s), and the movement that
/// comes with a posture change (g; 0: none).
#[derive(Debug, Clone, Copy)]
struct Habit {
    posture_every_s: (f64, f64),
    posture_tau_s: f64,
    move_every_s: (f64, f64),
    move_g: (f64, f64),
    move_s: (f64, f64),
    turn_g: (f64, f64),
}

fn habit(activity: TruthActivity, placement: WearPlacement) -> Habit {
    use TruthActivity::*;
    let wrist = placement == WearPlacement::Wrist;
    let h = |pe, tau, me, mg, ms, tg| Habit {
        posture_every_s: pe,
        posture_tau_s: tau,
        move_every_s: me,
        move_g: mg,
        move_s: ms,
        turn_g: tg,
    };
    match (activity, wrist) {
        (Sleep, true) => h(
            (1200.0, 5400.0),
            1.5,
            (300.0, 1200.0),
            (0.02, 0.08),
            (0.5, 2.0),
            (0.1, 0.3),
        ),
        (Sleep, false) => h(
            (1200.0, 5400.0),
            1.5,
            (600.0, 1800.0),
            (0.01, 0.04),
            (0.5, 2.0),
            (0.1, 0.3),
        ),
        (Sitting, true) => h(
            (60.0, 300.0),
            0.8,
            (10.0, 90.0),
            (0.05, 0.3),
            (0.4, 1.5),
            (0.05, 0.15),
        ),
        (Sitting, false) => h(
            (120.0, 600.0),
            1.0,
            (30.0, 180.0),
            (0.02, 0.06),
            (0.5, 1.5),
            (0.05, 0.12),
        ),
        (Typing, true) => h(
            (60.0, 300.0),
            0.6,
            (5.0, 40.0),
            (0.03, 0.15),
            (0.3, 1.0),
            (0.03, 0.08),
        ),
        (Typing, false) => h(
            (180.0, 600.0),
            1.0,
            (60.0, 240.0),
            (0.01, 0.04),
            (0.5, 1.5),
            (0.03, 0.08),
        ),
        (Standing, true) => h(
            (1.0, 5.0),
            0.3,
            (0.5, 3.0),
            (0.05, 0.4),
            (0.3, 1.5),
            (0.0, 0.0),
        ),
        (Standing, false) => h(
            (5.0, 30.0),
            0.6,
            (1.0, 5.0),
            (0.03, 0.2),
            (0.4, 1.5),
            (0.0, 0.0),
        ),
        (Bus, true) => h(
            (180.0, 600.0),
            0.8,
            (60.0, 300.0),
            (0.05, 0.2),
            (0.5, 1.5),
            (0.05, 0.1),
        ),
        (Bus, false) => h(
            (180.0, 600.0),
            1.0,
            (120.0, 600.0),
            (0.02, 0.05),
            (0.5, 1.5),
            (0.05, 0.1),
        ),
        (Walking | Running, _) => h(
            (1e9, 1e9),
            0.7,
            (1e9, 1e9),
            (0.0, 0.0),
            (1.0, 1.0),
            (0.0, 0.0),
        ),
    }
}

fn between(rng: &mut Rng, (lo, hi): (f64, f64)) -> f64 {
    lo + (hi - lo) * rng.uniform()
}

/// A posture for `activity`: gravity's direction in the segment frame (module notes).
fn draw_posture(activity: TruthActivity, placement: WearPlacement, rng: &mut Rng) -> V3 {
    use TruthActivity::*;
    let mut u = |lo: f64, hi: f64| lo + (hi - lo) * rng.uniform();
    match (placement, activity) {
        (WearPlacement::Wrist, Sleep) => unit([u(-1.0, 1.0), u(-1.0, 1.0), u(-1.0, 1.0)]),
        (WearPlacement::Wrist, Typing) => gravity_dir(u(70.0, 100.0), u(-25.0, 25.0)),
        (WearPlacement::Wrist, Sitting) => gravity_dir(u(40.0, 100.0), u(-90.0, 60.0)),
        (WearPlacement::Wrist, Bus) => gravity_dir(u(50.0, 95.0), u(-60.0, 60.0)),
        (WearPlacement::Wrist, Standing) => gravity_dir(u(-20.0, 110.0), u(-90.0, 90.0)),
        (WearPlacement::Trunk, Sleep) => {
            // Supine 40 %, either side 25 %, prone 10 %, ±15°.
            let r = u(0.0, 1.0);
            let (pitch, roll) = match r {
                r if r < 0.4 => (-90.0, 0.0),
                r if r < 0.65 => (90.0, 90.0),
                r if r < 0.9 => (90.0, -90.0),
                _ => (90.0, 0.0),
            };
            gravity_dir(pitch + u(-15.0, 15.0), roll + u(-15.0, 15.0))
        }
        (WearPlacement::Trunk, Sitting | Bus) => gravity_dir(u(-35.0, -10.0), u(-8.0, 8.0)),
        (WearPlacement::Trunk, Typing) => gravity_dir(u(-20.0, 5.0), u(-6.0, 6.0)),
        (WearPlacement::Trunk, Standing) => gravity_dir(u(-5.0, 35.0), u(-8.0, 8.0)),
        (_, Walking | Running) => [0.0, 0.0, 1.0],
    }
}

// ---------------------------------------------------------------------------------------
// Per-bout state
// ---------------------------------------------------------------------------------------

/// Keystrokes: the next key's time, the keys left in the burst, the current tap.
#[derive(Debug, Clone, Copy, Default)]
struct Keys {
    next_s: f64,
    left_in_burst: u32,
    tap: Pulse,
}

/// The bus's drive cycle and vibration.
#[derive(Debug, Clone, Copy)]
struct Bus {
    drive: Drive,
    until_s: f64,
    v_mps: f64,
    v_cruise_mps: f64,
    a_cmd_mps2: f64,
    a_mps2: f64,
    road_g: f64,
    res: [[Resonance; 2]; 3],
    sway: Osc,
    sway_g: f64,
    bounce: Osc,
    bounce_g: f64,
    /// Forward, left, up in the segment frame.
    basis: [V3; 3],
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Drive {
    Stop,
    Accel,
    Cruise,
    Brake,
}

/// A still (non-gait) bout's state.
#[derive(Debug, Clone)]
struct Still {
    habit: Habit,
    next_posture_s: f64,
    next_move_s: f64,
    mv: Pulse,
    keys: Option<Keys>,
    bus: Option<Box<Bus>>,
}

/// A walking or running bout's state: the current step.
#[derive(Debug, Clone, Copy)]
struct Gait {
    running: bool,
    cadence_spm: f64,
    contact_s: f64,
    step_t0: f64,
    period_s: f64,
    tc_s: f64,
    fmax: f64,
    left: bool,
}

#[derive(Debug, Clone, Default)]
enum State {
    /// Between bouts (never seen by a sample).
    #[default]
    Idle,
    Still(Still),
    Gait(Gait),
}

/// A free-living recording, generated sample by sample in constant memory (module notes).
#[derive(Debug, Clone)]
pub struct FreeLiving {
    spec: FreeLivingSpec,
    truth: Vec<TruthBout>,
    n_total: u64,
    /// Next sample's index.
    k: u64,
    /// Current bout (index into `truth`).
    bout: usize,
    rng: Rng,
    /// Segment frame → sensor frame, rows.
    mount: [V3; 3],
    /// Gravity's direction in the segment frame now, and where it is going.
    g_now: V3,
    g_target: V3,
    /// Per-sample smoothing factor of the posture lag.
    g_alpha: f64,
    g_moving: bool,
    breath: Osc,
    state: State,
    gait_cfg: RawSimConfig,
    arm: ArmSwing,
}

impl FreeLiving {
    /// A generator for `spec` (its schedule drawn now).
    pub fn new(spec: FreeLivingSpec) -> Self {
        let truth = schedule(&spec);
        let mount = match spec.placement {
            // The watch face up on the back of the forearm: sensor x along the arm, with a
            // few degrees of strap tilt.
            WearPlacement::Wrist => {
                mount_rotation([0.0, 90f64.to_radians(), 0.0], [0.08, -0.05, 0.12])
            }
            // The raw sample's tilted waist pod.
            WearPlacement::Trunk => mount_rotation([0.0, 0.0, 0.0], [0.05, 0.21, 0.4]),
        };
        let mut rng = Rng::new(spec.seed ^ 0xF4EE_11F1_0000_0002);
        let breath = Osc::new(between(&mut rng, (0.2, 0.3)), spec.rate_hz, 0.0);
        let mut sim = FreeLiving {
            n_total: spec.sample_count(),
            spec,
            truth,
            k: 0,
            bout: 0,
            rng,
            mount,
            g_now: [0.0, 0.0, 1.0],
            g_target: [0.0, 0.0, 1.0],
            g_alpha: 0.0,
            g_moving: false,
            breath,
            state: State::Idle,
            gait_cfg: RawSimConfig::default(),
            arm: ArmSwing::default(),
        };
        sim.enter_bout(0, 0.0);
        sim.g_now = sim.g_target;
        sim.g_moving = false;
        sim
    }

    /// What was simulated.
    pub fn spec(&self) -> &FreeLivingSpec {
        &self.spec
    }

    /// The truth schedule.
    pub fn truth(&self) -> &[TruthBout] {
        &self.truth
    }

    /// Samples in the whole recording.
    pub fn sample_count(&self) -> u64 {
        self.n_total
    }

    /// Samples handed out so far.
    pub fn position(&self) -> u64 {
        self.k
    }

    /// Bytes this generator holds on the heap: the schedule, the gait model's settings and
    /// a bus ride's state, whatever the number of samples.
    pub fn heap_bytes(&self) -> usize {
        let bus = match &self.state {
            State::Still(st) if st.bus.is_some() => std::mem::size_of::<Bus>(),
            _ => 0,
        };
        self.truth.capacity() * std::mem::size_of::<TruthBout>()
            + self.gait_cfg.phases.capacity() * std::mem::size_of::<super::raw::Phase>()
            + bus
    }

    /// The next samples, at most `max`: `time_s` (s from the start) and `acc_g` (sensor x,
    /// y, z, g, gravity included) are cleared and filled. Returns how many (0 at the end).
    pub fn next_samples(
        &mut self,
        max: usize,
        time_s: &mut Vec<f64>,
        acc_g: &mut [Vec<f64>; 3],
    ) -> usize {
        time_s.clear();
        acc_g.iter_mut().for_each(Vec::clear);
        let n = (self.n_total - self.k).min(max as u64) as usize;
        for _ in 0..n {
            let t = self.k as f64 / self.spec.rate_hz;
            let a = self.sample(t);
            time_s.push(t);
            for (ch, v) in acc_g.iter_mut().zip(a) {
                ch.push(v);
            }
            self.k += 1;
        }
        n
    }

    /// The next samples into a callback, one call per sample (time s, acceleration g): no
    /// buffer at all. Returns how many (0 at the end).
    pub fn for_each_sample(&mut self, max: usize, mut f: impl FnMut(f64, V3)) -> usize {
        let n = (self.n_total - self.k).min(max as u64) as usize;
        for _ in 0..n {
            let t = self.k as f64 / self.spec.rate_hz;
            let a = self.sample(t);
            f(t, a);
            self.k += 1;
        }
        n
    }

    /// One sample at `t`: the bout's segment-frame reading, mounted, plus noise.
    fn sample(&mut self, t: f64) -> V3 {
        while self.bout + 1 < self.truth.len() && t >= self.truth[self.bout].end_s {
            self.enter_bout(self.bout + 1, t);
        }
        self.settle_posture();
        let mut state = std::mem::take(&mut self.state);
        let f = match &mut state {
            State::Gait(g) => self.gait_reading(g, t),
            State::Still(st) => self.still_reading(st, t),
            State::Idle => self.g_now,
        };
        self.state = state;
        let s = mat_vec(&self.mount, f);
        [
            s[0] + NOISE_G * fast_normal(&mut self.rng),
            s[1] + NOISE_G * fast_normal(&mut self.rng),
            s[2] + NOISE_G * fast_normal(&mut self.rng),
        ]
    }

    /// Move the posture one sample towards its target (first-order lag), snapping when there.
    fn settle_posture(&mut self) {
        if !self.g_moving {
            return;
        }
        let g = add(
            self.g_now,
            scale(add(self.g_target, scale(self.g_now, -1.0)), self.g_alpha),
        );
        self.g_now = unit(g);
        let d = add(self.g_target, scale(self.g_now, -1.0));
        if dot(d, d) < 1e-10 {
            self.g_now = self.g_target;
            self.g_moving = false;
        }
    }

    /// Aim the posture at `target` with lag `tau_s`.
    fn aim(&mut self, target: V3, tau_s: f64) {
        self.g_target = target;
        self.g_alpha = 1.0 - (-1.0 / (tau_s * self.spec.rate_hz)).exp();
        self.g_moving = true;
    }

    /// Start bout `i` at time `t`: its state, and the posture it takes.
    fn enter_bout(&mut self, i: usize, t: f64) {
        self.bout = i;
        let b = self.truth[i];
        let placement = self.spec.placement;
        let h = habit(b.activity, placement);
        match b.activity {
            TruthActivity::Walking | TruthActivity::Running => {
                let running = b.activity == TruthActivity::Running;
                let cadence_spm = b.cadence_spm.unwrap_or(if running { 165.0 } else { 110.0 });
                // The speed the model cadence implies, for the contact time.
                let v = ((cadence_spm - 140.0) / 9.0).clamp(2.2, 5.0);
                let mut g = Gait {
                    running,
                    cadence_spm,
                    contact_s: contact_at(v),
                    step_t0: t,
                    period_s: 0.0,
                    tc_s: 0.0,
                    fmax: 0.0,
                    left: true,
                };
                self.draw_step(&mut g);
                self.state = State::Gait(g);
                self.aim([0.0, 0.0, 1.0], h.posture_tau_s);
            }
            activity => {
                let rng = &mut self.rng;
                let keys = (activity == TruthActivity::Typing && placement == WearPlacement::Wrist)
                    .then(|| Keys {
                        next_s: t + between(rng, (0.5, 3.0)),
                        ..Keys::default()
                    });
                let target = draw_posture(activity, placement, rng);
                let bus = (activity == TruthActivity::Bus)
                    .then(|| Box::new(new_bus(rng, self.spec.rate_hz, target, t)));
                let st = Still {
                    habit: h,
                    next_posture_s: t + between(rng, h.posture_every_s),
                    next_move_s: t + between(rng, h.move_every_s),
                    mv: Pulse::default(),
                    keys,
                    bus,
                };
                self.state = State::Still(st);
                self.breath = Osc::new(between(&mut self.rng, (0.2, 0.3)), self.spec.rate_hz, 0.0);
                self.aim(target, h.posture_tau_s.max(0.6));
            }
        }
    }

    /// The next step's timing (jittered) from the bout's cadence.
    fn draw_step(&mut self, g: &mut Gait) {
        let step_s = 60.0 / g.cadence_spm;
        if g.running {
            let tc = (g.contact_s + 0.006 * self.rng.normal()).max(0.08);
            let tf = (step_s - g.contact_s + 0.006 * self.rng.normal()).max(0.01);
            g.tc_s = tc;
            g.period_s = tc + tf;
            g.fmax = peak_force_bw(tc, tf);
        } else {
            g.period_s = step_s * (1.0 + 0.015 * self.rng.normal()).clamp(0.9, 1.1);
        }
    }

    /// A walking or running sample: the raw simulator's body acceleration (the arm's reading
    /// on the wrist), turned from the previous posture while it settles.
    fn gait_reading(&mut self, g: &mut Gait, t: f64) -> V3 {
        while t >= g.step_t0 + g.period_s {
            g.step_t0 += g.period_s;
            g.left = !g.left;
            self.draw_step(g);
        }
        let seg = if !g.running {
            Seg::Walk {
                t0: g.step_t0 - if g.left { 0.0 } else { g.period_s },
                period: g.period_s,
            }
        } else if t - g.step_t0 < g.tc_s {
            Seg::Contact {
                t0: g.step_t0,
                tc: g.tc_s,
                fmax: g.fmax,
                left: g.left,
            }
        } else {
            Seg::Flight
        };
        let mut body = body_acc_g(Some(seg), t, &self.gait_cfg);
        if !g.running {
            // The heel-strike transient (module notes): biphasic, no net impulse.
            let u = (t - g.step_t0) / HEEL_STRIKE_S;
            if u < 1.0 {
                body[2] += HEEL_STRIKE_G * (2.0 * PI * u).sin();
            }
        }
        let f = match self.spec.placement {
            WearPlacement::Trunk => body,
            WearPlacement::Wrist => {
                let rate = PI / g.period_s;
                let phase = if g.left { 0.0 } else { PI } + rate * (t - g.step_t0);
                let (amp, radius, gain) = if g.running {
                    let a = &self.arm;
                    (a.run_amplitude_deg, a.run_radius_m, a.bounce_gain)
                } else {
                    (self.arm.walk_amplitude_deg, self.arm.walk_radius_m, 1.0)
                };
                wrist_reading(body, &arm_state(phase, rate, amp, radius), gain).0
            }
        };
        if self.g_moving {
            mat_vec(&rotation_from_up(self.g_now), f)
        } else {
            f
        }
    }

    /// A still sample: gravity in the current posture plus the bout's movements, taps,
    /// breathing and vehicle motion.
    fn still_reading(&mut self, st: &mut Still, t: f64) -> V3 {
        self.still_events(st, t);
        let mut f = self.g_now;
        if let Some(a) = st.mv.at(t) {
            f = add(f, a);
        }
        if let Some(a) = st.keys.as_ref().and_then(|k| k.tap.at(t)) {
            f = add(f, a);
        }
        if self.spec.placement == WearPlacement::Trunk {
            f[0] += 0.008 * self.breath.step();
        }
        if let Some(bus) = st.bus.as_mut() {
            f = add(f, bus_step(bus, &mut self.rng, t, 1.0 / self.spec.rate_hz));
        }
        f
    }

    /// Posture changes, movements and keystrokes whose time has come.
    fn still_events(&mut self, st: &mut Still, t: f64) {
        let h = st.habit;
        let activity = self.truth[self.bout].activity;
        if t >= st.next_posture_s {
            st.next_posture_s = t + between(&mut self.rng, h.posture_every_s);
            let target = draw_posture(activity, self.spec.placement, &mut self.rng);
            self.aim(target, h.posture_tau_s);
            if h.turn_g.1 > 0.0 {
                let dur = between(&mut self.rng, (2.0, 4.0)).min(1.5 * h.posture_tau_s + 1.0);
                let peak = scale(random_unit(&mut self.rng), between(&mut self.rng, h.turn_g));
                st.mv = Pulse {
                    t0: t,
                    dur,
                    peak,
                    tap: false,
                };
            }
        }
        if t >= st.next_move_s {
            st.next_move_s = t + between(&mut self.rng, h.move_every_s);
            let dir = if activity == TruthActivity::Typing
                && self.spec.placement == WearPlacement::Wrist
            {
                // A mouse move, in the desk's plane.
                unit(cross(self.g_now, random_unit(&mut self.rng)))
            } else {
                random_unit(&mut self.rng)
            };
            let dur = between(&mut self.rng, h.move_s);
            st.mv = Pulse {
                t0: t,
                dur,
                peak: scale(dir, between(&mut self.rng, h.move_g)),
                tap: false,
            };
        }
        if let Some(keys) = st.keys.as_mut() {
            if t >= keys.next_s {
                key_event(keys, self.g_now, &mut self.rng, t);
            }
        }
    }

    /// Where the generator is in the schedule: the bout index of the next sample.
    pub fn current_bout(&self) -> usize {
        self.bout
    }
}

/// A keystroke now, and when the next comes: within a burst 0.1–0.33 s later, after a
/// burst 0.4–3 s (or, one time in ten, 5–30 s of reading).
fn key_event(keys: &mut Keys, g_now: V3, rng: &mut Rng, t: f64) {
    let jitter = scale(random_unit(rng), 0.3);
    keys.tap = Pulse {
        t0: t,
        dur: between(rng, (0.03, 0.06)),
        peak: scale(unit(add(g_now, jitter)), -between(rng, (0.02, 0.1))),
        tap: true,
    };
    if keys.left_in_burst == 0 {
        keys.left_in_burst = 2 + (rng.uniform() * 11.0) as u32;
    }
    keys.left_in_burst -= 1;
    keys.next_s = t + if keys.left_in_burst > 0 {
        between(rng, (0.1, 0.33))
    } else if rng.uniform() < 0.1 {
        between(rng, (5.0, 30.0))
    } else {
        between(rng, (0.4, 3.0))
    };
}

/// A bus ride's state at its start `t` (pulling away from the stop), the passenger's
/// posture `up` (gravity's direction in the segment frame).
fn new_bus(rng: &mut Rng, rate_hz: f64, up: V3, t: f64) -> Bus {
    let (fwd, left) = perpendiculars(up);
    let res = |rng: &mut Rng| {
        [
            Resonance::new(between(rng, (5.0, 12.0)), rate_hz),
            Resonance::new(between(rng, (14.0, 28.0)), rate_hz),
        ]
    };
    Bus {
        drive: Drive::Stop,
        until_s: t + between(rng, (3.0, 10.0)),
        v_mps: 0.0,
        v_cruise_mps: between(rng, (8.0, 14.0)),
        a_cmd_mps2: 0.0,
        a_mps2: 0.0,
        road_g: between(rng, (0.04, 0.1)),
        res: [res(rng), res(rng), res(rng)],
        sway: Osc::new(between(rng, (0.3, 1.5)), rate_hz, 0.0),
        sway_g: between(rng, (0.02, 0.06)),
        bounce: Osc::new(between(rng, (1.0, 1.5)), rate_hz, 0.0),
        bounce_g: between(rng, (0.01, 0.03)),
        basis: [fwd, left, up],
    }
}

/// One sample of the bus: the drive cycle advances, and the vehicle's acceleration and
/// vibration reach the passenger (segment frame, g).
fn bus_step(bus: &mut Bus, rng: &mut Rng, t: f64, dt: f64) -> V3 {
    const G: f64 = STANDARD_GRAVITY_MPS2;
    match bus.drive {
        Drive::Stop if t >= bus.until_s => {
            bus.drive = Drive::Accel;
            bus.a_cmd_mps2 = G * between(rng, (0.08, 0.15));
        }
        Drive::Accel if bus.v_mps >= bus.v_cruise_mps => {
            bus.drive = Drive::Cruise;
            bus.a_cmd_mps2 = 0.0;
            bus.until_s = t + between(rng, (15.0, 60.0));
        }
        Drive::Cruise if t >= bus.until_s => {
            bus.drive = Drive::Brake;
            bus.a_cmd_mps2 = -G * between(rng, (0.10, 0.20));
        }
        Drive::Brake if bus.v_mps <= 0.05 => {
            bus.drive = Drive::Stop;
            bus.v_mps = 0.0;
            bus.a_cmd_mps2 = 0.0;
            bus.until_s = t + between(rng, (8.0, 40.0));
        }
        _ => {}
    }
    // Braking eases off as the bus comes to rest.
    let cmd = if bus.drive == Drive::Brake {
        bus.a_cmd_mps2 * (bus.v_mps / 1.5).clamp(0.05, 1.0)
    } else {
        bus.a_cmd_mps2
    };
    bus.a_mps2 += (cmd - bus.a_mps2) * (dt / 0.7).min(1.0);
    bus.v_mps = (bus.v_mps + bus.a_mps2 * dt).max(0.0);
    let moving = (bus.v_mps / bus.v_cruise_mps).min(1.3);
    let level = bus.road_g * moving + 0.006;
    let weights = [0.5, 0.6, 1.0];
    let mut vib = [0.0; 3];
    for (i, r) in bus.res.iter_mut().enumerate() {
        let w = fast_normal(rng);
        let w2 = fast_normal(rng);
        vib[i] = weights[i] * level * (0.8 * r[0].step(w) + 0.6 * r[1].step(w2));
    }
    let sway = bus.sway_g * moving * bus.sway.step();
    let bounce = bus.bounce_g * moving * bus.bounce.step();
    let [fwd, left, up] = bus.basis;
    let surge = bus.a_mps2 / G;
    add(
        add(scale(fwd, vib[0] + surge), scale(left, vib[1] + sway)),
        scale(up, vib[2] + bounce),
    )
}

/// The mount: a fixed turn `base` (rad about x, y, z) then a small tilt `tilt` (rad), as
/// rows of the segment-to-sensor rotation.
fn mount_rotation(base: V3, tilt: V3) -> [V3; 3] {
    use nalgebra::Rotation3;
    let r = Rotation3::from_euler_angles(tilt[0], tilt[1], tilt[2])
        * Rotation3::from_euler_angles(base[0], base[1], base[2]);
    let m = r.matrix();
    [
        [m[(0, 0)], m[(0, 1)], m[(0, 2)]],
        [m[(1, 0)], m[(1, 1)], m[(1, 2)]],
        [m[(2, 0)], m[(2, 1)], m[(2, 2)]],
    ]
}

/// The truth file's document.
#[derive(serde::Serialize)]
struct TruthDoc<'a> {
    schema: &'static str,
    start: Option<String>,
    start_unix_s: i64,
    days: u32,
    rate_hz: f64,
    placement: &'static str,
    seed: u64,
    bouts: Vec<TruthRow<'a>>,
}

/// One bout in the truth file: times to the millisecond, cadence to 0.1 steps/min.
#[derive(serde::Serialize)]
struct TruthRow<'a> {
    activity: &'a str,
    start_s: f64,
    end_s: f64,
    cadence_spm: Option<f64>,
}

/// The truth as JSON (`<out>.truth.json`, schema `gaitguard.free-living-truth/1`): the
/// specification and the bouts with activity names, start and end (s from the first
/// sample, to the millisecond) and cadence (steps/min, null when not walking or running).
pub fn truth_json(spec: &FreeLivingSpec, truth: &[TruthBout]) -> String {
    let ms = |t: f64| (t * 1000.0).round() / 1000.0;
    let doc = TruthDoc {
        schema: "gaitguard.free-living-truth/1",
        start: crate::time::rfc3339(spec.start_unix_s as f64),
        start_unix_s: spec.start_unix_s,
        days: spec.days,
        rate_hz: spec.rate_hz,
        placement: spec.placement.name(),
        seed: spec.seed,
        bouts: truth
            .iter()
            .map(|b| TruthRow {
                activity: b.activity.name(),
                start_s: ms(b.start_s),
                end_s: ms(b.end_s),
                cadence_spm: b.cadence_spm.map(|c| (c * 10.0).round() / 10.0),
            })
            .collect(),
    };
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(days: u32, seed: u64, placement: WearPlacement) -> FreeLivingSpec {
        FreeLivingSpec {
            days,
            seed,
            placement,
            ..FreeLivingSpec::default()
        }
    }

    fn check_contiguous(spec: &FreeLivingSpec, truth: &[TruthBout]) {
        assert_eq!(truth[0].start_s, 0.0);
        assert_eq!(truth.last().unwrap().end_s, spec.duration_s());
        for w in truth.windows(2) {
            assert_eq!(w[0].end_s, w[1].start_s, "{w:?}");
            assert!(w[0].end_s > w[0].start_s, "{w:?}");
            assert!(
                w[0].activity != w[1].activity || w[0].cadence_spm != w[1].cadence_spm,
                "unmerged neighbours {w:?}"
            );
        }
    }

    /// The activity at `t` s from the start.
    fn at(truth: &[TruthBout], t: f64) -> TruthActivity {
        truth
            .iter()
            .find(|b| t >= b.start_s && t < b.end_s)
            .unwrap()
            .activity
    }

    #[test]
    fn the_schedule_covers_the_recording_contiguously_for_any_start_and_seed() {
        for seed in 0..12 {
            for (days, start) in [
                (7, DEFAULT_START_UNIX_S),
                (3, DEFAULT_START_UNIX_S + 50_000),
                (1, 1_700_000_123),
            ] {
                let s = FreeLivingSpec {
                    start_unix_s: start,
                    ..spec(days, seed, WearPlacement::Wrist)
                };
                check_contiguous(&s, &schedule(&s));
            }
        }
    }

    #[test]
    fn nights_are_asleep_and_work_days_are_not() {
        for seed in 0..8 {
            let s = spec(7, seed, WearPlacement::Wrist);
            let truth = schedule(&s);
            for d in 0..7 {
                let day = f64::from(d) * DAY_S;
                assert_eq!(at(&truth, day + 3.0 * 3600.0), TruthActivity::Sleep);
                assert_eq!(at(&truth, day + 23.75 * 3600.0), TruthActivity::Sleep);
                assert_ne!(at(&truth, day + 11.0 * 3600.0), TruthActivity::Sleep);
                let asleep: f64 = truth
                    .iter()
                    .filter(|b| b.activity == TruthActivity::Sleep)
                    .map(|b| b.end_s.min(day + DAY_S) - b.start_s.max(day))
                    .filter(|x| *x > 0.0)
                    .sum();
                assert!(
                    (6.0 * 3600.0..10.0 * 3600.0).contains(&asleep),
                    "day {d}: {asleep}"
                );
            }
            // The bus only on work days (the default start is a Monday).
            for b in truth.iter().filter(|b| b.activity == TruthActivity::Bus) {
                assert!(b.start_s < 5.0 * DAY_S, "{b:?}");
                assert!((1200.0..=2400.0).contains(&b.duration_s()), "{b:?}");
            }
            let buses = truth
                .iter()
                .filter(|b| b.activity == TruthActivity::Bus)
                .count();
            assert_eq!(buses, 10);
        }
    }

    #[test]
    fn a_week_has_a_couple_of_runs_with_warm_ups_at_running_cadence() {
        for seed in 0..20 {
            let s = spec(7, seed, WearPlacement::Trunk);
            let truth = schedule(&s);
            let runs: Vec<usize> = (0..truth.len())
                .filter(|&i| truth[i].activity == TruthActivity::Running)
                .collect();
            assert_eq!(runs.len(), 2, "seed {seed}");
            let days: Vec<i64> = runs
                .iter()
                .map(|&i| (truth[i].start_s / DAY_S) as i64)
                .collect();
            assert_ne!(days[0], days[1]);
            for &i in &runs {
                let r = truth[i];
                let cad = r.cadence_spm.unwrap();
                assert!((150.0..=185.0).contains(&cad), "{r:?}");
                assert!((1200.0..=3600.0).contains(&r.duration_s()), "{r:?}");
                let warm = truth[i - 1];
                assert_eq!(warm.activity, TruthActivity::Walking);
                assert!((300.0..=600.0).contains(&warm.duration_s()), "{warm:?}");
                assert_eq!(truth[i + 1].activity, TruthActivity::Walking);
            }
            for b in truth
                .iter()
                .filter(|b| b.activity == TruthActivity::Walking)
            {
                let cad = b.cadence_spm.unwrap();
                assert!((95.0..=125.0).contains(&cad), "{b:?}");
                assert!(b.duration_s() >= 60.0, "{b:?}");
            }
            assert!(truth.iter().all(|b| b.cadence_spm.is_some()
                == matches!(b.activity, TruthActivity::Walking | TruthActivity::Running)));
        }
    }

    #[test]
    fn a_seed_always_gives_the_same_samples_whatever_the_chunk_size() {
        let s = FreeLivingSpec {
            rate_hz: 50.0,
            ..spec(1, 11, WearPlacement::Wrist)
        };
        let take = |chunk: usize, n: usize, seed: u64| {
            let mut sim = FreeLiving::new(FreeLivingSpec { seed, ..s });
            let (mut t, mut a) = (Vec::new(), [Vec::new(), Vec::new(), Vec::new()]);
            let mut out = Vec::new();
            while out.len() < n {
                sim.next_samples(chunk, &mut t, &mut a);
                out.extend((0..t.len()).map(|i| (t[i], a[0][i], a[1][i], a[2][i])));
            }
            out.truncate(n);
            out
        };
        let a = take(1000, 30_000, 11);
        assert_eq!(a, take(777, 30_000, 11));
        assert_ne!(a, take(1000, 30_000, 12));
        assert_eq!(a[100].0, 2.0);
    }

    /// Per-bout statistics of a streamed recording: samples, mean and spread of |a| (g), and
    /// the upward crossings of |a| through `level` g.
    #[derive(Debug, Clone, Copy, Default)]
    struct Stats {
        n: f64,
        sum: f64,
        sum2: f64,
        crossings: usize,
        above: bool,
    }

    fn bout_stats(sim: &mut FreeLiving, level: f64) -> Vec<Stats> {
        let mut stats = vec![Stats::default(); sim.truth().len()];
        let truth = sim.truth().to_vec();
        let mut i = 0;
        let heap = sim.heap_bytes();
        while sim.for_each_sample(4096, |t, a| {
            while t >= truth[i].end_s {
                i += 1;
            }
            let m = dot(a, a).sqrt();
            let s = &mut stats[i];
            s.n += 1.0;
            s.sum += m;
            s.sum2 += m * m;
            if m > level && !s.above {
                s.crossings += 1;
            }
            s.above = m > level;
        }) > 0
        {}
        assert_eq!(sim.heap_bytes(), heap, "the generator's memory grew");
        stats
    }

    #[test]
    fn a_trunk_day_reads_gravity_when_still_and_steps_at_the_truth_cadence() {
        let s = FreeLivingSpec {
            rate_hz: 50.0,
            ..spec(1, 3, WearPlacement::Trunk)
        };
        let mut sim = FreeLiving::new(s);
        let truth = sim.truth().to_vec();
        let stats = bout_stats(&mut sim, 1.5);
        assert_eq!(sim.position(), s.sample_count());
        for (b, st) in truth.iter().zip(&stats) {
            let mean = st.sum / st.n;
            let sd = (st.sum2 / st.n - mean * mean).max(0.0).sqrt();
            match b.activity {
                TruthActivity::Sleep | TruthActivity::Sitting | TruthActivity::Typing => {
                    assert!((mean - 1.0).abs() < 0.02 && sd < 0.05, "{b:?} {mean} {sd}");
                }
                TruthActivity::Bus => {
                    assert!(
                        (mean - 1.0).abs() < 0.05 && (0.02..0.2).contains(&sd),
                        "{b:?} {mean} {sd}"
                    );
                }
                TruthActivity::Running => {
                    // Every running contact lifts |a| above 1.5 g once: the steps are the
                    // crossings.
                    let steps = b.cadence_spm.unwrap() * b.duration_s() / 60.0;
                    let got = st.crossings as f64;
                    assert!((got - steps).abs() < 0.02 * steps, "{b:?} {got} vs {steps}");
                    assert!((mean - 1.0).abs() < 0.1, "{b:?} {mean}");
                }
                TruthActivity::Walking => {
                    // Far from running's flights and 2–3 g landings.
                    assert!((0.1..0.3).contains(&sd), "{b:?} {sd}");
                    assert!((mean - 1.0).abs() < 0.05, "{b:?} {mean}");
                }
                TruthActivity::Standing => {}
            }
        }
    }

    #[test]
    fn a_wrist_types_lightly_and_sleeps_still() {
        let s = FreeLivingSpec {
            rate_hz: 50.0,
            ..spec(1, 5, WearPlacement::Wrist)
        };
        let mut sim = FreeLiving::new(s);
        let truth = sim.truth().to_vec();
        let stats = bout_stats(&mut sim, 1.5);
        for (b, st) in truth.iter().zip(&stats) {
            let mean = st.sum / st.n;
            let sd = (st.sum2 / st.n - mean * mean).max(0.0).sqrt();
            match b.activity {
                TruthActivity::Sleep => assert!(sd < 0.03, "{b:?} {sd}"),
                TruthActivity::Typing => assert!((0.004..0.06).contains(&sd), "{b:?} {sd}"),
                // Walking wrists: |a| varies by 0.1–0.3 g SD (module notes).
                TruthActivity::Walking => assert!((0.08..0.3).contains(&sd), "{b:?} {sd}"),
                _ => {}
            }
        }
    }

    #[test]
    fn rotation_from_up_takes_up_to_the_posture() {
        for g in [
            gravity_dir(30.0, 40.0),
            gravity_dir(170.0, -20.0),
            [0.0, 0.0, 1.0],
        ] {
            let r = rotation_from_up(g);
            let up = mat_vec(&r, [0.0, 0.0, 1.0]);
            for i in 0..3 {
                assert!((up[i] - g[i]).abs() < 1e-12, "{up:?} {g:?}");
            }
            let x = mat_vec(&r, [1.0, 0.0, 0.0]);
            assert!((dot(x, x) - 1.0).abs() < 1e-12 && dot(x, up).abs() < 1e-12);
        }
    }

    #[test]
    fn resonance_noise_has_unit_variance() {
        let mut rng = Rng::new(1);
        let mut r = Resonance::new(10.0, 100.0);
        let x: Vec<f64> = (0..200_000)
            .map(|_| r.step(fast_normal(&mut rng)))
            .collect();
        let v = x.iter().map(|a| a * a).sum::<f64>() / x.len() as f64;
        assert!((v - 1.0).abs() < 0.05, "{v}");
    }
}
