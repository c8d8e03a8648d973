//! A trunk segment → steps: running steps from contacts where the trunk is unloaded in
//! flight (the primitives are in [`super::trunk`]), then walking steps, periodic loading
//! without flight, outside the running bouts ([`super::walk`]).

use super::trunk::{self, Contact, Threshold};
use super::walk::{self, WalkStep};
use super::{EventMethod, SegmentOut, Step, TraceCandidate, TraceSource, event_trace};
use crate::recording::Placement;
use crate::signal::filter::lowpass_or_same;
use crate::signal::orient::Aligned;
use crate::signal::preprocess::Segment;
use crate::signal::spectrum::windowed_peaks;
use crate::units::{Hertz, STANDARD_GRAVITY_MPS2};
use crate::vocab::GaitActivity;

/// Steps of a trunk segment `seg`, aligned as `al`; `timing`: the rate supports contact
/// timing (≥ 50 Hz).
pub(super) fn trunk_segment(seg: &Segment, al: &Aligned, timing: bool) -> SegmentOut {
    let fs = seg.rate;
    let v_g = trunk::vertical_g(&al.vertical_mps2, fs, 20.0);
    let mut out = SegmentOut {
        spectral_spm: spectral_cadence(&v_g, fs).iter().map(|w| w.2).collect(),
        ..SegmentOut::default()
    };
    let ap_lp = al
        .ap_mps2
        .as_ref()
        .map(|ap| lowpass_or_same(ap, fs, 4, 30.0));
    // Running: contacts where the trunk is unloaded in flight.
    let mut running = vec![false; v_g.len()];
    if let Some(th) = trunk::threshold(&v_g) {
        let (cs, method) = running_contacts(&v_g, fs, &th, ap_lp.as_deref());
        out.method = Some(method);
        let chains = step_chains(&cs, fs);
        let ml_lp = al.ml_mps2.as_ref().map(|m| trunk::ml_lowpassed(m, fs));
        let signals = StepSignals {
            seg,
            v_g: &v_g,
            ap_mps2: al.ap_mps2.as_deref(),
            timing,
        };
        for &(k, e) in &chains {
            for j in k..e {
                let (c, next) = (&cs[j], &cs[j + 1]);
                mark_running(&mut running, c.ic, next.ic);
                let vote = ml_lp
                    .as_deref()
                    .and_then(|m| trunk::side_vote(m, c.ic, c.tc));
                out.votes.push(vote);
                out.steps.push(running_step(&signals, c, next));
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
    // Walking: periodic loading without flight, outside running bouts.
    let walking = walk::walking_steps(&v_g, fs, &running);
    if out.trace.is_none() {
        out.trace = walking_trace(seg, &v_g, ap_lp.as_deref(), &walking);
    }
    out.steps
        .extend(walking.iter().map(|w| walking_step(seg, w)));
    out.steps.sort_by(|a, b| a.time_s.total_cmp(&b.time_s));
    out
}

/// Spectral step frequency per 10 s window of the vertical signal, steps/min, in 1.0–4.0 Hz,
/// as (window start s, window length s, steps/min).
/// `v_g` is already low-passed at 20 Hz (order 4, zero-phase), so it is decimated to
/// 50–100 Hz by taking every k-th sample: what folds into the 1–4 Hz band comes from within
/// 4 Hz of a multiple of the new rate (≥ 46 Hz), where the filter's |H|² is below 0.2 %.
fn spectral_cadence(v_g: &[f64], fs: Hertz) -> Vec<(f64, f64, f64)> {
    let k = ((fs.0 / 50.0).floor() as usize).max(1);
    let d: Vec<f64> = v_g.iter().step_by(k).copied().collect();
    windowed_peaks(&d, Hertz(fs.0 / k as f64), 10.0, 1.0, 4.0)
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

/// A contact followed by `next` is a plausible running step: 0.25–0.75 s apart, and the
/// next contact not before this toe-off.
fn plausible_step(c: &Contact, next: &Contact, fs: Hertz) -> bool {
    let st = (next.ic - c.ic) / fs.0;
    (0.25..=0.75).contains(&st) && next.ic >= c.tc
}

/// Chains of plausible steps, as (first, last) contact indices: steps `first..last` (each to
/// the next contact) form a running bout when there are at least 4.
fn step_chains(cs: &[Contact], fs: Hertz) -> Vec<(usize, usize)> {
    let mut chains = Vec::new();
    let mut k = 0;
    while k + 1 < cs.len() {
        let mut e = k;
        while e + 1 < cs.len() && plausible_step(&cs[e], &cs[e + 1], fs) {
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
        let out = trunk_segment(&segment(fs), &al, true);
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
        let chains = step_chains(&cs, Hertz(100.0));
        assert_eq!(chains, [(0, 5)]);
        assert_eq!(longest_chain(&cs, &chains), Some((0, 5)));
        // A toe-off after the next contact breaks the chain.
        cs[2].tc = 110.0;
        assert!(step_chains(&cs[..6], Hertz(100.0)).is_empty());
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
