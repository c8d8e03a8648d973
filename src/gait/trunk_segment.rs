//! A trunk segment → steps: running steps from contacts where the trunk is unloaded in
//! flight (the primitives are in [`super::trunk`]), then walking steps, periodic loading
//! without flight, outside the running bouts ([`super::walk`]); between them, running whose
//! flight the sensor does not show ([`rhythm_steps`]).
//!
//! **The range of running.** Cadences of 60–300 steps/min are covered: elite sprinters
//! reach step frequencies near 5 Hz (Weyand et al. 2000, J Appl Physiol 89:1991, top speeds
//! with ≈ 0.1 s contacts), uphill and elite distance running 200–260 steps/min. Steps are
//! accepted from 0.16 to 1.0 s: 300 steps/min is a median, and single steps vary around it
//! (the shortest bound leaves 20 % for that). Inside that band the signal's own rhythm decides what a step is: an interval
//! longer than 1.6 local spectral step periods is a missed contact, not a step (a missed
//! contact doubles the interval; alternate steps of a lateral sensor differ by well under
//! 60 %), and the spectrum searches 1–5 Hz (60–300 steps/min). The refractory period of
//! a step is its own contact: the next contact cannot start before this toe-off.

use super::cadence::{self, Windows};
use super::trunk::{self, Contact, Threshold};
use super::walk::{self, WalkStep};
use super::{EventMethod, SegmentOut, Step, TraceCandidate, TraceSource, event_trace};
use crate::recording::Placement;
use crate::signal::filter::{Band, lowpass_or_same, zero_phase_lanes};
use crate::signal::orient::Aligned;
use crate::signal::preprocess::Segment;
use crate::signal::spectrum::windowed_peaks;
use crate::units::{Hertz, STANDARD_GRAVITY_MPS2};
use crate::vocab::GaitActivity;

/// Steps of a trunk segment `seg`, aligned as `al`; `timing`: the rate supports contact
/// timing (≥ 50 Hz).
pub(super) fn trunk_segment(seg: &Segment, al: Aligned, timing: bool) -> SegmentOut {
    let fs = seg.rate;
    let Aligned {
        vertical_mps2,
        ap_mps2,
        ml_mps2,
        ..
    } = al;
    let Lowpassed { v_g, ap_lp, ml_lp } = lowpassed(vertical_mps2, ap_mps2.as_deref(), ml_mps2, fs);
    let spectral = spectral_cadence(&v_g, fs);
    let mut out = SegmentOut {
        spectral_spm: spectral.iter().map(|w| w.2).collect(),
        ..SegmentOut::default()
    };
    // Running: contacts where the trunk is unloaded in flight; each step with its side vote.
    let mut running = vec![false; v_g.len()];
    let mut voted: Vec<(Step, Option<bool>)> = Vec::new();
    if let Some(th) = trunk::threshold(&v_g) {
        let (cs, method) = running_contacts(&v_g, fs, &th, ap_lp.as_deref());
        out.method = Some(method);
        let chains = step_chains(&cs, fs, &spectral);
        let signals = StepSignals {
            seg,
            v_g: &v_g,
            ap_mps2: ap_mps2.as_deref(),
            timing,
        };
        for &(k, e) in &chains {
            for j in k..e {
                let (c, next) = (&cs[j], &cs[j + 1]);
                mark_running(&mut running, c.ic, next.ic);
                let vote = ml_lp
                    .as_deref()
                    .and_then(|m| trunk::side_vote(m, c.ic, c.tc));
                voted.push((running_step(&signals, c, next), vote));
            }
        }
        if let Some((a, b)) = longest_chain(&cs, &chains) {
            let events: Vec<(f64, Option<f64>)> =
                cs[a..b].iter().map(|c| (c.ic, Some(c.tc))).collect();
            out.trace = event_trace(&TraceSource {
                seg,
                activity: GaitActivity::Running,
                placement: Placement::Trunk,
                vertical_g: &v_g,
                forward_mps2: ap_lp.as_deref(),
                pitch_rate_dps: None,
                threshold_g: Some(th.theta_g),
                events: &events,
            });
        }
    }
    // Running without a visible flight: the rhythm of the stance peaks (no side votes),
    // where a window's rhythm is faster than walking and no running was found.
    let rhythm = rhythm_steps(&v_g, fs, &spectral, &running);
    out.rhythm_steps = rhythm.len();
    for r in &rhythm {
        mark_running(&mut running, r.at, r.next);
    }
    voted.extend(rhythm.iter().map(|r| (rhythm_step(seg, &v_g, r), None)));
    // Walking: periodic loading without flight, outside running bouts.
    let walking = walk::walking_steps(&v_g, fs, &running);
    if out.trace.is_none() {
        out.trace = walking_trace(seg, &v_g, ap_lp.as_deref(), &walking);
    }
    voted.sort_by(|a, b| a.0.time_s.total_cmp(&b.0.time_s));
    out.votes = voted.iter().map(|v| v.1).collect();
    let mut run_steps: Vec<Step> = voted.into_iter().map(|v| v.0).collect();
    let mut walk_steps: Vec<Step> = walking.iter().map(|w| walking_step(seg, w)).collect();
    // Cadence from strides or the spectrum, each activity apart.
    for steps in [&mut run_steps, &mut walk_steps] {
        out.cadence
            .extend(cadence::settle(steps, seg, &v_g, &spectral));
    }
    out.steps.extend(run_steps);
    out.steps.extend(walk_steps);
    out.steps.sort_by(|a, b| a.time_s.total_cmp(&b.time_s));
    out
}

/// The signals the trunk detectors work on, low-passed (order 4, zero-phase).
struct Lowpassed {
    /// Vertical specific force, g, at 20 Hz ([`trunk::vertical_g`]).
    v_g: Vec<f64>,
    /// Forward acceleration, m/s², at 30 Hz, when a heading was found.
    ap_lp: Option<Vec<f64>>,
    /// Medio-lateral acceleration, m/s², at 10 Hz ([`trunk::ml_lowpassed`]), when a heading
    /// was found.
    ml_lp: Option<Vec<f64>>,
}

/// Low-pass the aligned segment sampled at `fs` for the detectors: the three signals are
/// filtered in lockstep ([`zero_phase_lanes`], bit-identical to filtering them one by one)
/// when there is a heading and the rate allows the vertical's 20 Hz cut-off. The vertical
/// and medio-lateral channels are taken by value: the vertical becomes g in place and the
/// raw medio-lateral is released once filtered (an hour at 1 kHz holds one 29 MB channel
/// fewer at the peak); the raw forward channel stays with the caller (braking).
fn lowpassed(
    vertical_mps2: Vec<f64>,
    ap: Option<&[f64]>,
    ml: Option<Vec<f64>>,
    fs: Hertz,
) -> Lowpassed {
    let mut v = vertical_mps2;
    v.iter_mut().for_each(|x| *x /= STANDARD_GRAVITY_MPS2);
    let (Some(ap), Some(ml)) = (ap, ml.as_deref()) else {
        return lowpassed_one_by_one(v, ap, ml, fs);
    };
    if !(fs.0 > 2.0 * 20.0) {
        return lowpassed_one_by_one(v, Some(ap), Some(ml.to_vec()), fs);
    }
    let bands = [Band::Low(20.0), Band::Low(30.0), Band::Low(10.0)];
    let [v_lp, ap_lp, ml_lp] = zero_phase_lanes([&v, ap, ml], fs, 4, bands);
    Lowpassed {
        v_g: v_lp.unwrap_or(v),
        ap_lp: Some(ap_lp.unwrap_or_else(|| ap.to_vec())),
        ml_lp: Some(ml_lp.unwrap_or_else(|| ml.to_vec())),
    }
}

/// [`lowpassed`], one signal at a time (`v_g`: the vertical already in g).
fn lowpassed_one_by_one(
    v_g: Vec<f64>,
    ap: Option<&[f64]>,
    ml: Option<Vec<f64>>,
    fs: Hertz,
) -> Lowpassed {
    Lowpassed {
        v_g: trunk::vertical_g_of(v_g, fs, 20.0),
        ap_lp: ap.map(|ap| lowpass_or_same(ap, fs, 4, 30.0)),
        ml_lp: ml.map(|m| trunk::ml_lowpassed(&m, fs)),
    }
}

/// Shortest and longest step, s (300 steps/min less 20 % step-to-step variation, and 60
/// steps/min; module notes).
const STEP_TIME_S: (f64, f64) = (0.16, 1.0);
/// An interval longer than this many local spectral step periods is a missed contact.
const MAX_PERIODS: f64 = 1.6;
/// Spectral search band, Hz (60–300 steps/min).
const SPECTRAL_BAND_HZ: (f64, f64) = (1.0, 5.0);
/// Least cadence of a step found from the rhythm alone, steps/min: below it a trunk signal
/// without flight is walking, which [`walk`] detects (its shortest step, 0.40 s).
const RHYTHM_MIN_SPM: f64 = 150.0;

/// The spectral step period nearest in time to `t_s` (s from the segment start): that of
/// the window whose centre is closest, s; `None` without spectral windows.
fn local_period_s(spectral: &Windows<'_>, t_s: f64) -> Option<f64> {
    spectral.nearest(t_s).map(|w| 60.0 / w.2)
}

/// One step found from the rhythm of the stance peaks.
#[derive(Debug, Clone, Copy, PartialEq)]
struct RhythmStep {
    /// Stance peak, samples.
    at: f64,
    /// Next stance peak, samples.
    next: f64,
}

/// Running whose flight the signal does not show (grounded running, very short flights,
/// a sensor whose soft tissue fills the flight): where a spectral window holds a clear
/// step rhythm of at least [`RHYTHM_MIN_SPM`] and no running was found (`covered`, the
/// running samples, under 10 % of it), the stance peaks — local maxima of `v_g` above the window's median, one per
/// 0.6 local periods (the refractory period: the stronger of two closer maxima) — are the
/// steps, in chains of at least 4 intervals of 0.6–1.6 periods. The stance peak is the
/// mid-stance of the spring-mass model (Blickhan 1989), so peak-to-peak intervals are step
/// times; contact and flight are not measured.
fn rhythm_steps(
    v_g: &[f64],
    fs: Hertz,
    spectral: &[(f64, f64, f64)],
    covered: &[bool],
) -> Vec<RhythmStep> {
    let n = v_g.len();
    let mut peaks: Vec<usize> = Vec::new();
    for &(start_s, len_s, spm) in spectral.iter().filter(|w| w.2 >= RHYTHM_MIN_SPM) {
        let a = ((start_s * fs.0).round() as usize).min(n);
        let b = (((start_s + len_s) * fs.0).round() as usize).min(n);
        let done = covered[a..b].iter().filter(|&&c| c).count();
        if b < a + 3 || done * 10 > b - a {
            continue;
        }
        let refractory = 0.6 * 60.0 / spm * fs.0;
        let floor = crate::stats::median_of_finite(&v_g[a..b]).unwrap_or(f64::NAN);
        for i in a + 1..b - 1 {
            if peaks.last().is_some_and(|&l| i <= l) {
                continue;
            }
            if !(v_g[i] > floor && v_g[i] >= v_g[i - 1] && v_g[i] > v_g[i + 1]) {
                continue;
            }
            match peaks.last_mut() {
                Some(l) if ((i - *l) as f64) < refractory => {
                    if v_g[i] > v_g[*l] {
                        *l = i;
                    }
                }
                _ => peaks.push(i),
            }
        }
    }
    let refined: Vec<f64> = peaks.iter().map(|&i| parabolic_vertex(v_g, i)).collect();
    rhythm_chains(&refined, fs, spectral)
}

/// The vertex of the parabola through samples `i − 1`, `i`, `i + 1` of `x` (a local
/// maximum inside `x`), in samples: `i + ½(x₋ − x₊)/(x₋ − 2x₀ + x₊)`.
fn parabolic_vertex(x: &[f64], i: usize) -> f64 {
    if i == 0 || i + 1 >= x.len() {
        return i as f64;
    }
    let (a, b, c) = (x[i - 1], x[i], x[i + 1]);
    let den = a - 2.0 * b + c;
    if den.abs() > 1e-12 {
        i as f64 + (0.5 * (a - c) / den).clamp(-0.5, 0.5)
    } else {
        i as f64
    }
}

/// Steps between consecutive stance `peaks` (fractional samples) whose interval is 0.6–1.6 local
/// periods and a step time of [`STEP_TIME_S`], kept in runs of at least 4.
fn rhythm_chains(peaks: &[f64], fs: Hertz, spectral: &[(f64, f64, f64)]) -> Vec<RhythmStep> {
    let spectral = Windows::new(spectral);
    let ok = |j: usize| {
        let st = (peaks[j + 1] - peaks[j]) / fs.0;
        local_period_s(&spectral, peaks[j] / fs.0).is_some_and(|p| {
            (0.6 * p..=MAX_PERIODS * p).contains(&st)
                && (STEP_TIME_S.0..=STEP_TIME_S.1).contains(&st)
        })
    };
    let mut out = Vec::new();
    let mut k = 0;
    while k + 1 < peaks.len() {
        let mut e = k;
        while e + 1 < peaks.len() && ok(e) {
            e += 1;
        }
        if e - k >= 4 {
            out.extend((k..e).map(|j| RhythmStep {
                at: peaks[j],
                next: peaks[j + 1],
            }));
        }
        k = e.max(k + 1);
    }
    out
}

/// A step from the rhythm: its time, step time, cadence and vertical oscillation (double
/// integration over the peak-to-peak interval, a whole step); no contact timing.
fn rhythm_step(seg: &Segment, v_g: &[f64], r: &RhythmStep) -> Step {
    let fs = seg.rate;
    let st_s = (r.next - r.at) / fs.0;
    let vo = trunk::step_vo_m(v_g, fs, r.at.round() as usize, r.next.round() as usize)
        .map(|m| 100.0 * m * STANDARD_GRAVITY_MPS2);
    Step {
        time_s: seg.time_of(r.at),
        activity: GaitActivity::Running,
        step_time_ms: Some(1000.0 * st_s),
        cadence_spm: Some(60.0 / st_s),
        vertical_oscillation_cm: vo,
        ..Step::default()
    }
}

/// Spectral step frequency per 10 s window of the vertical signal, steps/min, in 1.0–5.0 Hz,
/// as (window start s, window length s, steps/min).
/// `v_g` is already low-passed at 20 Hz (order 4, zero-phase), so it is decimated to
/// 50–100 Hz by taking every k-th sample: what folds into the 1–4 Hz band comes from within
/// 4 Hz of a multiple of the new rate (≥ 46 Hz), where the filter's |H|² is below 0.2 %.
fn spectral_cadence(v_g: &[f64], fs: Hertz) -> Vec<(f64, f64, f64)> {
    let k = ((fs.0 / 50.0).floor() as usize).max(1);
    let d: Vec<f64> = v_g.iter().step_by(k).copied().collect();
    windowed_peaks(
        &d,
        Hertz(fs.0 / k as f64),
        10.0,
        SPECTRAL_BAND_HZ.0,
        SPECTRAL_BAND_HZ.1,
    )
    .into_iter()
    .filter(|w| w.peak.prominence >= 8.0)
    .map(|w| (w.start_s, w.len_s, 60.0 * w.peak.freq_hz))
    .collect()
}

/// Running contacts of `v_g` (g, low-passed) above the threshold `th`, with their toe-offs
/// refined, and the name of the method that gave them. `ap_lp`: the forward acceleration
/// low-passed at 30 Hz, m/s², when a heading was found.
///
/// Contact time is the mean of the threshold (or AP toe-off) duration and the half-maximum
/// width estimate (see [`trunk`] on why the two err in opposite directions); initial contact
/// stays at the threshold crossing.
fn running_contacts(
    v_g: &[f64],
    fs: Hertz,
    th: &Threshold,
    ap_lp: Option<&[f64]>,
) -> (Vec<Contact>, EventMethod) {
    let mut cs = trunk::contacts(v_g, fs, th.theta_g);
    let halfmax: Vec<Option<(f64, f64)>> = cs
        .iter()
        .map(|c| trunk::half_max_events(v_g, c, th.flight_level_g))
        .collect();
    let from_ap = ap_lp.is_some_and(|ap| ap_toe_offs(&mut cs, ap, fs));
    let widths = average_with_half_max(&mut cs, &halfmax);
    let method = EventMethod {
        method: match (from_ap, widths * 2 > cs.len()) {
            (true, true) => "contact_vertical_threshold+toe_off_ap_lee2010+half_max_width",
            (true, false) => "contact_vertical_threshold+toe_off_ap_lee2010",
            (false, true) => "contact_vertical_threshold+half_max_width",
            (false, false) => "contact_vertical_threshold",
        },
        threshold_g: Some(th.theta_g),
        flight_level_g: Some(th.flight_level_g),
    };
    (cs, method)
}

/// Move each toe-off to Lee's AP toe-off where one is found ([`trunk::ap_toe_off`]);
/// true when that held for more than half of the contacts.
fn ap_toe_offs(cs: &mut [Contact], ap_lp: &[f64], fs: Hertz) -> bool {
    let mut refined = 0;
    for c in cs.iter_mut() {
        if let Some(t) = trunk::ap_toe_off(ap_lp, fs, c) {
            c.tc = t;
            refined += 1;
        }
    }
    refined * 2 > cs.len()
}

/// Contact duration := the mean of the current one and the half-maximum estimate
/// `halfmax[i]` = (start, end), samples, where there is one; returns how many there were.
fn average_with_half_max(cs: &mut [Contact], halfmax: &[Option<(f64, f64)>]) -> usize {
    let mut widths = 0;
    for (c, h) in cs.iter_mut().zip(halfmax) {
        if let Some((i, t)) = h {
            c.tc = c.ic + 0.5 * ((c.tc - c.ic) + (t - i));
            widths += 1;
        }
    }
    widths
}

/// A contact followed by `next` is a plausible running step: [`STEP_TIME_S`] apart, at most
/// `max_s` (1.6 local spectral periods, when there is a spectrum), and the next contact not
/// before this toe-off (the refractory period).
fn plausible_step(c: &Contact, next: &Contact, fs: Hertz, max_s: Option<f64>) -> bool {
    let st = (next.ic - c.ic) / fs.0;
    (STEP_TIME_S.0..=STEP_TIME_S.1).contains(&st)
        && max_s.is_none_or(|m| st <= m)
        && next.ic >= c.tc
}

/// Chains of plausible steps, as (first, last) contact indices: steps `first..last` (each to
/// the next contact) form a running bout when there are at least 4. `spectral`: the
/// segment's spectral windows (start s, length s, steps/min).
fn step_chains(cs: &[Contact], fs: Hertz, spectral: &[(f64, f64, f64)]) -> Vec<(usize, usize)> {
    let spectral = Windows::new(spectral);
    let max_s = |c: &Contact| local_period_s(&spectral, c.ic / fs.0).map(|p| MAX_PERIODS * p);
    let mut chains = Vec::new();
    let mut k = 0;
    while k + 1 < cs.len() {
        let mut e = k;
        while e + 1 < cs.len() && plausible_step(&cs[e], &cs[e + 1], fs, max_s(&cs[e])) {
            e += 1;
        }
        if e - k >= 4 {
            chains.push((k, e));
        }
        k = e.max(k + 1);
    }
    chains
}

/// The chain spanning the longest time (the first of equal ones): it gives the event trace.
fn longest_chain(cs: &[Contact], chains: &[(usize, usize)]) -> Option<(usize, usize)> {
    let mut longest: Option<(usize, usize)> = None;
    for &(k, e) in chains {
        if longest.is_none_or(|(a, b)| cs[e].ic - cs[k].ic > cs[b].ic - cs[a].ic) {
            longest = Some((k, e));
        }
    }
    longest
}

/// Mark the samples `[⌈ic⌉, ⌊next_ic⌋)` as running (clamped to the segment).
fn mark_running(running: &mut [bool], ic: f64, next_ic: f64) {
    let a = ic.ceil() as usize;
    let b = (next_ic.floor() as usize).min(running.len());
    for r in &mut running[a.min(b)..b] {
        *r = true;
    }
}

/// What a running step is measured on.
struct StepSignals<'a> {
    /// The segment (time axis and rate).
    seg: &'a Segment,
    /// Vertical specific force, g, low-passed at 20 Hz.
    v_g: &'a [f64],
    /// Forward acceleration, m/s², when a heading was found.
    ap_mps2: Option<&'a [f64]>,
    /// Whether contact timing (contact, flight, duty factor, braking) is reported.
    timing: bool,
}

/// One running step from contact `c` to the `next` one: step time and cadence; contact,
/// flight, duty factor (contact / two steps) and braking when `timing`; vertical oscillation
/// by double integration and by the spring-mass model (Morin 2005).
fn running_step(sig: &StepSignals<'_>, c: &Contact, next: &Contact) -> Step {
    let fs = sig.seg.rate;
    let st_s = (next.ic - c.ic) / fs.0;
    let tc_s = (c.tc - c.ic) / fs.0;
    let tf_s = (next.ic - c.tc) / fs.0;
    // Double integration is linear: integrate in g, convert the result.
    let (a, b) = (c.ic.ceil() as usize, next.ic.ceil() as usize);
    let vo = trunk::step_vo_m(sig.v_g, fs, a, b).map(|m| m * STANDARD_GRAVITY_MPS2);
    let br = sig
        .ap_mps2
        .and_then(|ap| trunk::braking(ap, fs, c.ic, c.tc, next.ic))
        .filter(|_| sig.timing);
    let timing = sig.timing;
    Step {
        time_s: sig.seg.time_of(c.ic),
        activity: GaitActivity::Running,
        side: None,
        step_time_ms: Some(1000.0 * st_s),
        cadence_spm: Some(60.0 / st_s),
        ground_contact_ms: timing.then_some(1000.0 * tc_s),
        flight_ms: timing.then_some(1000.0 * tf_s),
        duty_factor_pct: timing.then_some(100.0 * tc_s / (2.0 * st_s)),
        vertical_oscillation_cm: vo.map(|m| 100.0 * m),
        vo_spring_mass_cm: Some(100.0 * crate::model::vertical_oscillation_m(tc_s, tf_s)),
        step_length_m: None,
        vertical_ratio_pct: None,
        braking_g: br.map(|b| b.0),
        step_speed_loss_mps: br.map(|b| b.1),
        peak_vertical_g: Some(c.peak_g),
    }
}

/// The longest stretch of walking contacts one step time apart, as (first, last) indices.
fn longest_walk(walking: &[WalkStep]) -> Option<(usize, usize)> {
    let mut best: Option<(usize, usize)> = None;
    let mut a = 0;
    for i in 0..walking.len() {
        if walking[i].step_time_s.is_none() || i + 1 == walking.len() {
            if best.is_none_or(|(x, y)| i - a > y - x) {
                best = Some((a, i));
            }
            a = i + 1;
        }
    }
    best
}

/// The event trace of the longest walking stretch (contacts only: no toe-off from a trunk
/// sensor in walking).
fn walking_trace(
    seg: &Segment,
    v_g: &[f64],
    ap_lp: Option<&[f64]>,
    walking: &[WalkStep],
) -> Option<TraceCandidate> {
    let (a, b) = longest_walk(walking).filter(|(a, b)| b > a)?;
    let events: Vec<(f64, Option<f64>)> = walking[a..=b].iter().map(|w| (w.index, None)).collect();
    event_trace(&TraceSource {
        seg,
        activity: GaitActivity::Walking,
        placement: Placement::Trunk,
        vertical_g: v_g,
        forward_mps2: ap_lp,
        pitch_rate_dps: None,
        threshold_g: None,
        events: &events,
    })
}

/// A walking step: its contact and, inside a sequence, step time and cadence.
fn walking_step(seg: &Segment, w: &WalkStep) -> Step {
    Step {
        time_s: seg.time_of(w.index),
        activity: GaitActivity::Walking,
        step_time_ms: w.step_time_s.map(|s| 1000.0 * s),
        cadence_spm: w.step_time_s.map(|s| 60.0 / s),
        ..Step::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::signal::orient::AlignInfo;
    use std::f64::consts::PI;

    fn segment(fs: f64) -> Segment {
        Segment {
            start_s: 10.0,
            rate: Hertz(fs),
            acc_mps2: Default::default(),
            gyro_dps: None,
            speed_mps: None,
        }
    }

    fn contact(ic: f64, tc: f64) -> Contact {
        Contact {
            ic,
            tc,
            peak_g: 2.5,
        }
    }

    /// A spring-mass run: half-sine stance pulses of `tc_s` with flight `tf_s` between
    /// them, the peak set so the specific force averages 1 g over a step; m/s².
    fn spring_mass_vertical(fs: f64, tc_s: f64, tf_s: f64, duration_s: f64) -> Vec<f64> {
        let st = tc_s + tf_s;
        let peak_g = PI * st / (2.0 * tc_s);
        (0..(duration_s * fs) as usize)
            .map(|i| {
                let t = (i as f64 / fs) % st;
                let g = if t < tc_s {
                    peak_g * (PI * t / tc_s).sin()
                } else {
                    0.0
                };
                g * STANDARD_GRAVITY_MPS2
            })
            .collect()
    }

    #[test]
    fn a_simulated_spring_mass_run_gives_its_contact_and_flight_times() {
        let fs = 500.0;
        let (tc_s, tf_s) = (0.25, 0.12);
        let al = Aligned {
            vertical_mps2: spring_mass_vertical(fs, tc_s, tf_s, 20.0),
            ap_mps2: None,
            ml_mps2: None,
            info: AlignInfo::default(),
        };
        let out = trunk_segment(&segment(fs), al, true);
        let running: Vec<&Step> = out
            .steps
            .iter()
            .filter(|s| s.activity == GaitActivity::Running)
            .collect();
        // 20 s of 0.37 s steps: about 54 steps, the ends lost to the filter and the chain.
        assert!(running.len() >= 45, "{} running steps", running.len());
        assert_eq!(out.votes.len(), running.len());
        // The first contact starts with the signal: the filter's edge moves it.
        for s in running.iter().skip(1) {
            assert!((s.step_time_ms.unwrap() - 370.0).abs() < 0.5);
            // Within 10 ms: the 20 Hz low-pass rounds the pulse's corners.
            assert!((s.ground_contact_ms.unwrap() - 250.0).abs() < 10.0);
            assert!((s.flight_ms.unwrap() - 120.0).abs() < 10.0);
        }
        assert!(out.method.unwrap().method.contains("half_max_width"));
        assert_eq!(out.trace.unwrap().trace.activity, GaitActivity::Running);
    }

    #[test]
    fn running_without_visible_flight_is_found_from_its_rhythm() {
        // A trunk that never unloads (1 ± 0.45 g) at 170 steps/min: no flight for the
        // threshold, too fast for walking; the stance peaks are one step apart.
        let (fs, spm) = (100.0, 170.0);
        let f = spm / 60.0;
        let vertical: Vec<f64> = (0..3000)
            .map(|i| (1.0 + 0.45 * (2.0 * PI * f * i as f64 / fs).sin()) * STANDARD_GRAVITY_MPS2)
            .collect();
        let al = Aligned {
            vertical_mps2: vertical,
            ap_mps2: None,
            ml_mps2: None,
            info: AlignInfo::default(),
        };
        let out = trunk_segment(&segment(fs), al, true);
        assert!(out.rhythm_steps >= 75, "{}", out.rhythm_steps);
        assert_eq!(out.votes.len(), out.rhythm_steps);
        for s in &out.steps {
            assert_eq!(s.activity, GaitActivity::Running);
            assert!(
                (s.cadence_spm.unwrap() - spm).abs() < 0.5,
                "{:?}",
                s.cadence_spm
            );
            assert_eq!(s.ground_contact_ms, None);
        }
        // VO of a sine: 2·A/ω².
        let w = 2.0 * PI * f;
        let vo_cm = 100.0 * 2.0 * 0.45 * STANDARD_GRAVITY_MPS2 / (w * w);
        let vo = out.steps[10].vertical_oscillation_cm.unwrap();
        assert!((vo - vo_cm).abs() < 0.05 * vo_cm, "{vo} vs {vo_cm}");
        // The same rhythm below 150 steps/min is left to the walking detector.
        let slow: Vec<f64> = (0..3000)
            .map(|i| 1.0 + 0.45 * (2.0 * PI * 2.0 * i as f64 / fs).sin())
            .collect();
        let spectral = spectral_cadence(&slow, Hertz(fs));
        assert!(rhythm_steps(&slow, Hertz(fs), &spectral, &[false; 3000]).is_empty());
    }

    #[test]
    fn a_missed_contact_is_not_a_step() {
        // 0.35 s steps with the spectrum at 0.35 s: a 0.70 s interval breaks the chain.
        let spectral = [(0.0, 10.0, 60.0 / 0.35)];
        let mut cs: Vec<Contact> = (0..6)
            .map(|k| contact(35.0 * k as f64, 35.0 * k as f64 + 10.0))
            .collect();
        assert_eq!(step_chains(&cs, Hertz(100.0), &spectral), [(0, 5)]);
        cs.remove(3);
        assert!(step_chains(&cs, Hertz(100.0), &spectral).is_empty());
        assert_eq!(local_period_s(&Windows::new(&spectral), 3.0), Some(0.35));
        assert_eq!(local_period_s(&Windows::new(&[]), 3.0), None);
    }

    #[test]
    fn spectral_cadence_of_a_sine_is_its_frequency() {
        // 2.8 Hz = 168 steps/min; within half of a 10 s window's 0.1 Hz bin.
        let fs = 100.0;
        let v: Vec<f64> = (0..3000)
            .map(|i| 0.8 * (2.0 * PI * 2.8 * i as f64 / fs).sin())
            .collect();
        let w = spectral_cadence(&v, Hertz(fs));
        assert!(!w.is_empty());
        for (_, len_s, spm) in w {
            assert_eq!(len_s, 10.0);
            assert!((spm - 168.0).abs() <= 3.0, "{spm}");
        }
    }

    #[test]
    fn contact_time_averages_threshold_and_half_max_estimates() {
        let mut cs = [contact(10.0, 30.0), contact(100.0, 120.0)];
        let n = average_with_half_max(&mut cs, &[Some((12.0, 34.0)), None]);
        assert_eq!(n, 1);
        assert_eq!(cs[0].tc, 31.0);
        assert_eq!(cs[1].tc, 120.0);
    }

    #[test]
    fn chains_need_four_plausible_steps_in_a_row() {
        // At 100 Hz: steps of 0.35 s, then a 1.5 s pause, then 3 more steps.
        let mut cs: Vec<Contact> = (0..6)
            .map(|k| contact(35.0 * k as f64, 35.0 * k as f64 + 10.0))
            .collect();
        cs.extend((0..4).map(|k| contact(325.0 + 35.0 * k as f64, 335.0 + 35.0 * k as f64)));
        let chains = step_chains(&cs, Hertz(100.0), &[]);
        assert_eq!(chains, [(0, 5)]);
        assert_eq!(longest_chain(&cs, &chains), Some((0, 5)));
        // A toe-off after the next contact breaks the chain.
        cs[2].tc = 110.0;
        assert!(step_chains(&cs[..6], Hertz(100.0), &[]).is_empty());
    }

    #[test]
    fn running_marks_whole_samples_between_contacts() {
        let mut r = vec![false; 8];
        mark_running(&mut r, 1.5, 5.5);
        assert_eq!(r, [false, false, true, true, true, false, false, false]);
        mark_running(&mut r, 6.2, 20.0);
        assert!(r[7]);
    }

    #[test]
    fn a_running_step_of_a_sine_has_its_closed_form_values() {
        // One 0.35 s period of a 1 g sine: displacement amplitude g/ω², VO = 2·g/ω².
        let fs = 1000.0;
        let w = 2.0 * PI / 0.35;
        let v_g: Vec<f64> = (0..400).map(|i| (w * i as f64 / fs).sin()).collect();
        let seg = segment(fs);
        let signals = StepSignals {
            seg: &seg,
            v_g: &v_g,
            ap_mps2: None,
            timing: true,
        };
        let s = running_step(&signals, &contact(0.0, 100.0), &contact(350.0, 450.0));
        assert_eq!(s.time_s, 10.0);
        assert!((s.step_time_ms.unwrap() - 350.0).abs() < 1e-9);
        assert!((s.cadence_spm.unwrap() - 60.0 / 0.35).abs() < 1e-9);
        assert!((s.ground_contact_ms.unwrap() - 100.0).abs() < 1e-9);
        assert!((s.flight_ms.unwrap() - 250.0).abs() < 1e-9);
        assert!((s.duty_factor_pct.unwrap() - 100.0 / 7.0).abs() < 1e-9);
        let vo_cm = 100.0 * 2.0 * STANDARD_GRAVITY_MPS2 / (w * w);
        assert!((s.vertical_oscillation_cm.unwrap() - vo_cm).abs() < 0.01 * vo_cm);
        let untimed = running_step(
            &StepSignals {
                timing: false,
                ..signals
            },
            &contact(0.0, 100.0),
            &contact(350.0, 450.0),
        );
        assert_eq!(untimed.ground_contact_ms, None);
        assert!(untimed.vertical_oscillation_cm.is_some());
    }

    #[test]
    fn the_longest_walk_is_the_longest_stretch_without_a_pause() {
        let w = |t: Option<f64>| WalkStep {
            index: 0.0,
            step_time_s: t,
        };
        let walking = [w(Some(0.5)), w(Some(0.5)), w(None), w(Some(0.5)), w(None)];
        assert_eq!(longest_walk(&walking), Some((0, 2)));
        assert_eq!(longest_walk(&[]), None);
    }
}
