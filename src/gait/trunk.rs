//! Trunk sensors (chest strap, waist pod, phone or IMU at the lower back, sacrum): foot
//! contacts, contact and flight time, vertical oscillation and braking, step by step.
//!
//! **Contacts** — the physically grounded threshold of the Auvinet/Wixted family (Auvinet et
//! al. 2002, Gait Posture 16 Suppl 1; Wixted et al. 2010, IEEE Sens J 10:1776; methods notes
//! §2.2). Near the centre of mass the vertical specific force is `F_z/m`: ≈ 0 g in flight and
//! well above 1 g in stance. After a 20 Hz zero-phase low-pass (order 4; skdh's trunk
//! smoothing, only when fs > 40 Hz), a contact is a stretch above `θ = flight level + 0.05 g`,
//! where the flight level is the median of the samples below 0.5 g. Wixted takes toe-off where
//! the raw vertical drops to ≤ 0 g; using the same crossing, upwards, for initial contact makes
//! the definition that of a force plate with a small threshold (the reference data define
//! contact as `F_z > 50 N`, 0.07 g for a 75 kg runner). Both crossings are refined to a
//! fraction of a sample by linear interpolation. Dips under θ shorter than 20 ms inside a
//! stance are bridged. The REID plausibility limits (Kiernan et al. 2023 code) are applied
//! loosely: contact 80–450 ms, a stance peak of at least 1.3 g; the step band (60–300
//! steps/min) and the rhythm check are in `trunk_segment`.
//!
//! **Contact time** is the mean of two estimates whose errors have opposite signs on real
//! sensors: the threshold duration above (with Lee's AP toe-off on off-centre sensors), which
//! smoothing and soft tissue lengthen, and 1.5 × the width of the stance pulse at half its
//! height ([`half_max_events`], the half-sine spring-mass pulse), which smoothing leaves in
//! place but a non-sinusoidal force (an impact peak, a long push-off) shortens. Equal weights,
//! no fitted constant; the combination was chosen after seeing the force-plate trials, so
//! those trials check it but are not an independent test of the choice. Initial contact stays
//! at the threshold crossing, so step times and cadence do not depend on it.
//!
//! **Vertical oscillation** — double integration with per-step drift control (skdh
//! `DeltaHModel2`-style; the reference data use the same per-step zero-mean velocity). Over
//! each step `[IC_k, IC_k+1)`: remove the mean vertical acceleration (gravity, bias and tilt
//! leakage, and the assumption that the step is periodic), integrate by trapezoids, remove
//! the mean velocity, integrate again; VO is max − min of that displacement. The spring-mass
//! value from contact and flight times (Morin 2005, [`crate::model::vertical_oscillation_m`])
//! is reported beside it as a cross-check.
//!
//! **Braking** (methods notes §2.6): after removing the step's mean AP acceleration (tilt
//! leakage; at steady speed it averages zero), the peak deceleration in `[IC, IC + tc/2]` in g,
//! and the speed lost `−∫ a_AP dt` over the contiguous negative stretch that starts after IC
//! (Garmin's "step speed loss").

use crate::signal::filter::{Band, cumtrapz, lowpass_or_same, zero_phase};
use crate::units::{Hertz, STANDARD_GRAVITY_MPS2 as G};

/// One detected contact in sample units (fractional).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Contact {
    /// Initial contact, samples.
    pub ic: f64,
    /// Toe-off, samples.
    pub tc: f64,
    /// Peak vertical specific force in the stance, g.
    pub peak_g: f64,
}

/// Threshold settings found for a segment.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Threshold {
    /// Flight level, g.
    pub flight_level_g: f64,
    /// θ, g.
    pub theta_g: f64,
    /// Share of samples below 0.5 g (time unloaded).
    pub unloaded_share: f64,
}

/// The vertical signal in g, low-passed at `cutoff_hz` when the rate allows (fs > 2·cutoff).
pub fn vertical_g(vertical_mps2: &[f64], fs: Hertz, cutoff_hz: f64) -> Vec<f64> {
    vertical_g_of(vertical_mps2.iter().map(|x| x / G).collect(), fs, cutoff_hz)
}

/// [`vertical_g`] of a vertical already in g (taken by value: returned as it is when the rate
/// allows no low-pass).
pub fn vertical_g_of(v: Vec<f64>, fs: Hertz, cutoff_hz: f64) -> Vec<f64> {
    if fs.0 > 2.0 * cutoff_hz {
        lowpass_or_same(&v, fs, 4, cutoff_hz)
    } else {
        v
    }
}

/// Flight level and θ, or `None` when the signal is never unloaded (no flight phases).
pub fn threshold(v_g: &[f64]) -> Option<Threshold> {
    let low: Vec<f64> = v_g.iter().copied().filter(|x| *x < 0.5).collect();
    let share = low.len() as f64 / v_g.len().max(1) as f64;
    if share < 0.03 {
        return None;
    }
    let level = crate::stats::median_of_finite(&low).unwrap_or(f64::NAN);
    Some(Threshold {
        flight_level_g: level,
        theta_g: level + 0.05,
        unloaded_share: share,
    })
}

/// Contacts: stretches above θ, crossings interpolated, short dips bridged, implausible ones
/// dropped.
pub fn contacts(v_g: &[f64], fs: Hertz, theta_g: f64) -> Vec<Contact> {
    let n = v_g.len();
    let mut raw: Vec<(f64, f64)> = Vec::new();
    let mut start: Option<f64> = None;
    for i in 1..n {
        let (a, b) = (v_g[i - 1], v_g[i]);
        if a <= theta_g && b > theta_g {
            start = Some(i as f64 - 1.0 + (theta_g - a) / (b - a));
        } else if a > theta_g && b <= theta_g {
            if let Some(s) = start.take() {
                raw.push((s, i as f64 - 1.0 + (a - theta_g) / (a - b)));
            }
        }
    }
    // Bridge dips shorter than 20 ms.
    let bridge = 0.020 * fs.0;
    let mut merged: Vec<(f64, f64)> = Vec::with_capacity(raw.len());
    for c in raw {
        if let Some(last) = merged.last_mut() {
            if c.0 - last.1 < bridge && (c.1 - last.0) / fs.0 < 0.45 {
                last.1 = c.1;
                continue;
            }
        }
        merged.push(c);
    }
    merged
        .into_iter()
        .filter_map(|(ic, tc)| {
            let dur = (tc - ic) / fs.0;
            if !(0.08..=0.45).contains(&dur) {
                return None;
            }
            let a = ic.ceil() as usize;
            let b = (tc.floor() as usize).min(n - 1);
            let peak = v_g[a.min(b)..=b].iter().copied().fold(f64::MIN, f64::max);
            (peak >= 1.3).then_some(Contact {
                ic,
                tc,
                peak_g: peak,
            })
        })
        .collect()
}

/// Contact events from the width of the stance pulse at half its height (the full width at
/// half maximum, FWHM). Under the spring-mass model the vertical force is a half-sine over
/// the contact (Blickhan 1989, J Biomech 22:1217; Morin et al. 2005, J Appl Biomech
/// 21:167), which is above half its peak for the middle 2/3 of the contact, so
/// `tc = 1.5 · FWHM`, centred on the middle of the half-height crossings. Smoothing — a
/// zero-phase filter, or the soft tissue between a sacral or chest sensor and the skeleton —
/// scales a sine-shaped pulse without moving its half-height crossings (to second order,
/// `f + σ²/2·f''` with `f'' = −(π/tc)²·f`), while it spreads the low-threshold crossings
/// outwards; real force pulses are not exact half-sines (an impact peak, a long push-off),
/// which biases this estimate the other way. Returns (IC, TC) in samples.
pub fn half_max_events(v_g: &[f64], c: &Contact, flight_level_g: f64) -> Option<(f64, f64)> {
    let n = v_g.len();
    let a = (c.ic.ceil() as usize).min(n.saturating_sub(1));
    let b = (c.tc.floor() as usize).min(n.saturating_sub(1));
    if b <= a + 2 {
        return None;
    }
    let peak = v_g[a..=b].iter().copied().fold(f64::MIN, f64::max);
    let level = flight_level_g + 0.5 * (peak - flight_level_g);
    // The outermost half-height crossings inside the threshold contact (a pulse with an
    // impact peak and a dip between may cross more than twice).
    let i = (a..=b).find(|&i| v_g[i] >= level)?;
    let j = (a..=b).rev().find(|&j| v_g[j] >= level)?;
    if i == 0 || j + 1 >= n {
        return None;
    }
    let up = (i - 1) as f64 + (level - v_g[i - 1]) / (v_g[i] - v_g[i - 1]);
    let down = j as f64 + (v_g[j] - level) / (v_g[j] - v_g[j + 1]);
    let (mid, half_tc) = (0.5 * (up + down), 0.75 * (down - up));
    Some((mid - half_tc, mid + half_tc))
}

/// Toe-off from the antero-posterior signal (Lee et al. 2010, J Biomech 43:1467: toe-off is
/// the AP peak that follows the propulsive phase). A sensor away from the centre of mass
/// (sacrum, chest) stays loaded for a while after the foot leaves the ground, and a
/// zero-phase filter spreads the unloading edge, so the vertical threshold is late there;
/// the AP acceleration turns at toe-off, when propulsion ends. The first local minimum of
/// the 20 Hz low-passed AP acceleration after the propulsive maximum (the largest AP value in
/// the second half of the stance) is taken, and accepted only from 60 ms before to 10 ms
/// after the vertical-threshold toe-off, and only when it is a real deceleration (below
/// −0.1 g): a sensor at the centre of mass has no such turn and keeps the vertical toe-off.
pub fn ap_toe_off(ap_lp: &[f64], fs: Hertz, c: &Contact) -> Option<f64> {
    let n = ap_lp.len();
    let mid = (0.5 * (c.ic + c.tc)).ceil() as usize;
    let tc_i = c.tc.floor() as usize;
    if mid >= tc_i || tc_i + 2 >= n {
        return None;
    }
    let (pmax, _) = (mid..=tc_i)
        .map(|i| (i, ap_lp[i]))
        .fold((mid, f64::MIN), |a, x| if x.1 > a.1 { x } else { a });
    let lo = c.tc - 0.060 * fs.0;
    let hi = c.tc + 0.010 * fs.0;
    let end = (hi.ceil() as usize + 1).min(n - 1);
    for i in (pmax + 1).max(1)..end {
        // A real turn: the trunk decelerates (≥ 0.1 g) as propulsion ends.
        if ap_lp[i] <= ap_lp[i - 1] && ap_lp[i] < ap_lp[i + 1] && ap_lp[i] < -0.1 * G {
            let (a, b, cc) = (ap_lp[i - 1], ap_lp[i], ap_lp[i + 1]);
            let den = a - 2.0 * b + cc;
            let d = if den.abs() > 1e-12 {
                (0.5 * (a - cc) / den).clamp(-0.5, 0.5)
            } else {
                0.0
            };
            let t = i as f64 + d;
            return (t >= lo && t <= hi && t > c.ic).then_some(t);
        }
    }
    None
}

/// Vertical oscillation over samples `[a, b)`, m: per-step mean removal and double
/// integration.
pub fn step_vo_m(vertical_mps2: &[f64], fs: Hertz, a: usize, b: usize) -> Option<f64> {
    if b <= a + 3 || b > vertical_mps2.len() {
        return None;
    }
    let w = &vertical_mps2[a..b];
    let mean = w.iter().sum::<f64>() / w.len() as f64;
    let acc: Vec<f64> = w.iter().map(|x| x - mean).collect();
    let mut vel = cumtrapz(&acc, fs);
    let vm = vel.iter().sum::<f64>() / vel.len() as f64;
    for v in &mut vel {
        *v -= vm;
    }
    let z = cumtrapz(&vel, fs);
    let (lo, hi) = z
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), &x| {
            (l.min(x), h.max(x))
        });
    Some(hi - lo)
}

/// Braking of one step: (peak deceleration in g, speed loss in m/s).
pub fn braking(ap_mps2: &[f64], fs: Hertz, ic: f64, tc: f64, next_ic: f64) -> Option<(f64, f64)> {
    let a = ic.ceil() as usize;
    let e = (next_ic.floor() as usize).min(ap_mps2.len());
    if e <= a + 3 {
        return None;
    }
    let mean = ap_mps2[a..e].iter().sum::<f64>() / (e - a) as f64;
    let half = ((ic + 0.5 * (tc - ic)).floor() as usize).clamp(a + 1, e);
    let peak = ap_mps2[a..half]
        .iter()
        .map(|x| x - mean)
        .fold(f64::INFINITY, f64::min);
    // The contiguous negative stretch starting in the first third of the stance.
    let search_end = ((ic + 0.33 * (tc - ic)).ceil() as usize).clamp(a + 1, e);
    let first_neg = (a..search_end).find(|&i| ap_mps2[i] - mean < 0.0)?;
    let mut loss = 0.0;
    let mut i = first_neg;
    while i + 1 < e && ap_mps2[i] - mean < 0.0 {
        loss -= 0.5 * ((ap_mps2[i] - mean) + (ap_mps2[i + 1] - mean).min(0.0)) / fs.0;
        i += 1;
    }
    Some(((-peak).max(0.0) / G, loss.max(0.0)))
}

/// Medio-lateral acceleration low-passed at 10 Hz (Lee et al. 2010 side detection).
pub fn ml_lowpassed(ml_mps2: &[f64], fs: Hertz) -> Vec<f64> {
    zero_phase(ml_mps2, fs, 4, Band::Low(10.0)).unwrap_or_else(|| ml_mps2.to_vec())
}

/// Lee et al. 2010 (J Biomech 43:1467) side vote of one stance: `Some(true)` for a left
/// foot (the trunk is pushed to the right, −ML), `Some(false)` for right.
pub fn side_vote(ml_lp: &[f64], ic: f64, tc: f64) -> Option<bool> {
    let a = ic.ceil() as usize;
    let b = (tc.floor() as usize).min(ml_lp.len().saturating_sub(1));
    if b <= a {
        return None;
    }
    let (lo, hi) = ml_lp[a..=b]
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), &x| {
            (l.min(x), h.max(x))
        });
    if (hi + lo).abs() < 1e-9 {
        return None;
    }
    Some(-lo > hi)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::f64::consts::PI;

    /// A half-sine stance of known length between flat flights, sampled at 500 Hz.
    fn pulse(tc_s: f64, smooth: bool) -> (Vec<f64>, Hertz) {
        let fs = Hertz(500.0);
        let n = 500;
        let (ic, peak) = (0.4, 2.5);
        let mut v: Vec<f64> = (0..n)
            .map(|i| {
                let t = i as f64 / fs.0 - ic;
                if (0.0..tc_s).contains(&t) {
                    peak * (PI * t / tc_s).sin()
                } else {
                    0.0
                }
            })
            .collect();
        if smooth {
            v = zero_phase(&v, fs, 4, Band::Low(12.0)).unwrap();
        }
        (v, fs)
    }

    #[test]
    fn half_max_width_recovers_a_half_sine_contact_and_survives_smoothing() {
        for tc_s in [0.18, 0.25, 0.32] {
            for smooth in [false, true] {
                let (v, fs) = pulse(tc_s, smooth);
                let th = threshold(&v).unwrap();
                let cs = contacts(&v, fs, th.theta_g);
                assert_eq!(cs.len(), 1);
                let (ic, tc) = half_max_events(&v, &cs[0], th.flight_level_g).unwrap();
                let ms = 1000.0 * (tc - ic) / fs.0;
                let err = (ms - 1000.0 * tc_s).abs();
                assert!(
                    err < if smooth { 6.0 } else { 2.0 },
                    "{tc_s} {smooth}: {ms}"
                );
                // Smoothing lengthens the threshold duration far more than it moves the
                // half-maximum width.
                let thr_ms = 1000.0 * (cs[0].tc - cs[0].ic) / fs.0;
                if smooth {
                    assert!(thr_ms - 1000.0 * tc_s > 2.0 * err + 5.0, "{thr_ms} {err}");
                }
            }
        }
    }
}
