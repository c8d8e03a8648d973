//! Cadence units: strides/min (one foot, what FIT and many footpods store) versus
//! steps/min (both feet, what runners quote), and files that mix both.
//!
//! Method. Running cadence is 150–200 steps/min and walking 90–130; per-leg values are half
//! that. The file-wide unit is decided on the records of running/walking sessions:
//! 1. With speed, the implied step length L = 60·v/c (m) decides: a running or walking step
//!    is 0.4–1.8 m, so L > 1.6 m means `c` counts strides (double it) and L < 0.4 m means `c`
//!    counts steps twice (halve it).
//! 2. Without speed, the median decides: 40–105 → strides, 250–420 → doubled.
//!
//! Then each record is compared to the file median: a value 1.8–2.2× the median that is
//! physically impossible (> 230 steps/min) or implies a step shorter than 0.4 m is halved; a
//! value 0.45–0.55× the median that implies a step longer than 1.6 m is doubled. This catches
//! footpods that switch units part of the time. Every correction is reported.

use crate::recording::{Channel, Recording};
use crate::stats::median;
use crate::vocab::WarningCode;

const MAX_STEP_M: f64 = 1.6;
const MIN_STEP_M: f64 = 0.4;

/// Records inside running or walking sessions (all records when the file declares none).
pub fn foot_sport_mask(rec: &Recording) -> Vec<bool> {
    let n = rec.series.len();
    let foot: Vec<_> = rec
        .sessions
        .iter()
        .filter(|s| matches!(s.sport.as_str(), "running" | "walking" | "hiking"))
        .collect();
    if rec.sessions.is_empty() || foot.is_empty() {
        return vec![true; n];
    }
    rec.series
        .time_s
        .iter()
        .map(|&t| {
            foot.iter()
                .any(|s| t >= s.start_s - 0.5 && t <= s.end_s + 0.5)
        })
        .collect()
}

/// How a file's cadence values are to be read (step 1 or 2 of the module doc).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CadenceUnit {
    /// Multiply the file's values by this to get steps/min (2 strides, 0.5 doubled, 1 steps).
    pub factor: f64,
    /// Median of the file's values in running/walking sessions, in the file's unit.
    pub median: f64,
    /// Median step length the values imply read as steps, m, when the file has speed.
    pub implied_step_m: Option<f64>,
}

/// The factor for a median cadence `med` (file unit) and the step length it implies read as
/// steps/min (module doc, steps 1 and 2). Shared by every reader whose device averages are
/// in the same unit as its records (TCX laps), so that there is one rule.
pub fn unit_factor(med: f64, implied_step_m: Option<f64>) -> f64 {
    match implied_step_m {
        Some(l) if l > MAX_STEP_M && med < 130.0 => 2.0,
        Some(l) if l < MIN_STEP_M && med > 200.0 => 0.5,
        Some(_) => 1.0,
        None if (40.0..=105.0).contains(&med) => 2.0,
        None if (250.0..=420.0).contains(&med) => 0.5,
        None => 1.0,
    }
}

/// Decide the unit of the cadence channel from its values (module doc); `None` without
/// cadence values on foot.
pub fn cadence_unit(rec: &Recording) -> Option<CadenceUnit> {
    let cad = rec.series.get(Channel::CadenceSpm)?;
    let mask = foot_sport_mask(rec);
    let speed = rec.series.get(Channel::SpeedMps);
    let mut vals: Vec<f64> = Vec::new();
    let mut steps: Vec<f64> = Vec::new();
    for i in 0..cad.len() {
        let c = cad[i];
        if !mask[i] || c.is_nan() || c <= 0.0 {
            continue;
        }
        vals.push(c);
        if let Some(v) = speed.map(|s| s[i]).filter(|v| *v > 1.0) {
            steps.push(60.0 * v / c);
        }
    }
    let med = median(&mut vals)?;
    let implied_step_m = if steps.len() >= 10 {
        median(&mut steps)
    } else {
        None
    };
    Some(CadenceUnit {
        factor: unit_factor(med, implied_step_m),
        median: med,
        implied_step_m,
    })
}

/// Fix cadence units in place and record what was done.
pub fn normalize(rec: &mut Recording) {
    let Some(unit) = cadence_unit(rec) else {
        return;
    };
    let (factor, med, implied_step) = (unit.factor, unit.median, unit.implied_step_m);
    let mask = foot_sport_mask(rec);
    let speed = rec.series.get(Channel::SpeedMps);
    let med_fixed = med * factor;
    let speed_owned: Option<Vec<f64>> = speed.map(<[f64]>::to_vec);
    let cad = rec.series.get_mut(Channel::CadenceSpm);
    let mut halved = 0usize;
    let mut doubled = 0usize;
    let mut total = 0usize;
    for i in 0..cad.len() {
        if cad[i].is_nan() || cad[i] <= 0.0 {
            continue;
        }
        cad[i] *= factor;
        if !mask[i] {
            continue;
        }
        total += 1;
        let c = cad[i];
        let r = c / med_fixed;
        let v = speed_owned
            .as_ref()
            .map(|s| s[i])
            .filter(|v| v.is_finite() && *v > 1.0);
        let step = v.map(|v| 60.0 * v / c);
        if (1.8..=2.2).contains(&r) && (c > 230.0 || step.is_some_and(|l| l < MIN_STEP_M)) {
            cad[i] = c / 2.0;
            halved += 1;
        } else if (0.45..=0.55).contains(&r) && step.is_some_and(|l| l > MAX_STEP_M) {
            cad[i] = c * 2.0;
            doubled += 1;
        }
    }
    if factor == 2.0 {
        rec.warn(
            WarningCode::CadenceUnits,
            format!(
                "cadence values (median {med:.0}) count strides per minute (one foot); doubled to steps per minute{}",
                implied_step.map(|l| format!(" (read as steps they would mean {l:.1} m per step)")).unwrap_or_default()
            ),
        );
    } else if factor == 0.5 {
        rec.warn(
            WarningCode::CadenceUnits,
            format!("cadence values (median {med:.0}) are twice a possible step rate; halved to steps per minute"),
        );
    }
    if halved + doubled > 0 {
        rec.warn(
            WarningCode::CadenceMixedUnits,
            format!(
                "{} of {} records reported cadence at {} the surrounding values (a sensor switching between strides and steps); corrected",
                halved + doubled,
                total,
                match (halved > 0, doubled > 0) {
                    (true, true) => "double or half",
                    (true, false) => "double",
                    _ => "half",
                }
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn rec_with(cad: &[f64], speed: Option<f64>) -> Recording {
        let mut r = Recording::new(PathBuf::from("t.csv"), "records-csv");
        for (i, c) in cad.iter().enumerate() {
            let mut v = vec![(Channel::CadenceSpm, *c)];
            if let Some(s) = speed {
                v.push((Channel::SpeedMps, s));
            }
            r.series.push(i as f64, &v);
        }
        r.series.finish();
        r
    }

    #[test]
    fn strides_are_doubled_with_and_without_speed() {
        for speed in [None, Some(3.0)] {
            let mut r = rec_with(&[84.0; 60], speed);
            normalize(&mut r);
            assert_eq!(r.series.get(Channel::CadenceSpm).unwrap()[0], 168.0);
            assert!(
                r.warnings
                    .iter()
                    .any(|w| w.code == crate::vocab::WarningCode::CadenceUnits)
            );
        }
    }

    #[test]
    fn steps_are_left_alone() {
        let mut r = rec_with(&[172.0; 60], Some(3.2));
        normalize(&mut r);
        assert_eq!(r.series.get(Channel::CadenceSpm).unwrap()[0], 172.0);
        assert!(r.warnings.is_empty());
    }

    #[test]
    fn mixed_doubling_is_fixed_and_counted() {
        let mut cad = vec![170.0; 100];
        for c in cad.iter_mut().skip(40).take(10) {
            *c = 340.0;
        }
        let mut r = rec_with(&cad, Some(3.0));
        normalize(&mut r);
        let fixed = r.series.get(Channel::CadenceSpm).unwrap();
        assert!(fixed.iter().all(|c| *c == 170.0));
        let w = r
            .warnings
            .iter()
            .find(|w| w.code == crate::vocab::WarningCode::CadenceMixedUnits)
            .unwrap();
        assert!(w.message.starts_with("10 of 100"), "{}", w.message);
    }

    #[test]
    fn walk_breaks_are_not_mistaken_for_unit_errors() {
        // 120 spm walking among 170 spm running is a real change, not a unit switch.
        let mut cad = vec![170.0; 100];
        for c in cad.iter_mut().skip(40).take(10) {
            *c = 120.0;
        }
        let mut r = rec_with(&cad, None);
        normalize(&mut r);
        assert_eq!(r.series.get(Channel::CadenceSpm).unwrap()[45], 120.0);
    }
}
