//! Hills: elevation gain and loss, and time on steep grades.
//!
//! * Gain/loss use a hysteresis (dead-band) of 3 m: a climb counts only once the altitude has
//!   risen 3 m above the last turning point, which removes barometric and GPS altitude noise
//!   that would otherwise add up to tens of metres per hour (the same idea as the
//!   thresholded accumulation watches use; the 3 m band is this project's choice).
//! * Grade at a record is the altitude change over the next ≥ 30 m of distance
//!   (Δalt/Δdistance); time is counted on grades steeper than +5 % (uphill) and −5 %
//!   (downhill). Hills shift load to the calves (uphill: more plantar-flexor work) and
//!   downhill running adds eccentric load; ±5 % is the threshold.

use serde::Serialize;

/// Dead-band for gain/loss, m.
pub const HYSTERESIS_M: f64 = 3.0;
/// Distance over which a grade is measured, m.
pub const GRADE_WINDOW_M: f64 = 30.0;
/// Steep grade threshold, %.
pub const STEEP_GRADE_PCT: f64 = 5.0;

/// Terrain summary of the analysed records.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Terrain {
    /// Total climb, m.
    pub gain_m: f64,
    /// Total descent, m.
    pub loss_m: f64,
    /// Climb per km, m/km (null without distance).
    pub gain_per_km_m: Option<f64>,
    /// Descent per km, m/km.
    pub loss_per_km_m: Option<f64>,
    /// Time on grades steeper than +5 %, s (null without distance).
    pub time_uphill_steep_s: Option<f64>,
    /// Time on grades steeper than −5 %, s.
    pub time_downhill_steep_s: Option<f64>,
}

/// Gain and loss with a dead-band.
pub fn gain_loss(alt: impl Iterator<Item = f64>, band_m: f64) -> (f64, f64) {
    let (mut gain, mut loss) = (0.0, 0.0);
    let mut anchor: Option<f64> = None;
    for a in alt.filter(|a| a.is_finite()) {
        match anchor {
            None => anchor = Some(a),
            Some(p) => {
                if a - p >= band_m {
                    gain += a - p;
                    anchor = Some(a);
                } else if p - a >= band_m {
                    loss += p - a;
                    anchor = Some(a);
                }
            }
        }
    }
    (gain, loss)
}

/// Terrain of records `idx` (in time order) with altitude, optional distance and weights.
pub fn terrain(
    idx: &[usize],
    alt: &[f64],
    dist: Option<&[f64]>,
    weight_s: &[f64],
    distance_m: Option<f64>,
) -> Option<Terrain> {
    if idx.iter().filter(|&&i| alt[i].is_finite()).count() < 2 {
        return None;
    }
    let (gain_m, loss_m) = gain_loss(idx.iter().map(|&i| alt[i]), HYSTERESIS_M);
    let per_km = |x: f64| distance_m.filter(|d| *d > 100.0).map(|d| x / (d / 1000.0));
    let (mut up, mut down) = (None, None);
    if let Some(d) = dist {
        let pts: Vec<usize> = idx
            .iter()
            .copied()
            .filter(|&i| alt[i].is_finite() && d[i].is_finite())
            .collect();
        if pts.len() >= 2 {
            let (mut u, mut dn) = (0.0, 0.0);
            let mut j = 0;
            for (k, &i) in pts.iter().enumerate() {
                if j < k {
                    j = k;
                }
                while j + 1 < pts.len() && d[pts[j]] - d[i] < GRADE_WINDOW_M {
                    j += 1;
                }
                let dd = d[pts[j]] - d[i];
                if dd >= GRADE_WINDOW_M {
                    let grade = 100.0 * (alt[pts[j]] - alt[i]) / dd;
                    if grade > STEEP_GRADE_PCT {
                        u += weight_s[i];
                    } else if grade < -STEEP_GRADE_PCT {
                        dn += weight_s[i];
                    }
                }
            }
            up = Some(u);
            down = Some(dn);
        }
    }
    Some(Terrain {
        gain_m,
        loss_m,
        gain_per_km_m: per_km(gain_m),
        loss_per_km_m: per_km(loss_m),
        time_uphill_steep_s: up,
        time_downhill_steep_s: down,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn noise_below_the_band_adds_nothing() {
        let alt = (0..1000).map(|i| 100.0 + if i % 2 == 0 { 1.0 } else { -1.0 });
        assert_eq!(gain_loss(alt, HYSTERESIS_M), (0.0, 0.0));
    }

    #[test]
    fn a_hill_up_and_down() {
        let alt: Vec<f64> = (0..=100)
            .map(|i| 50.0 + 40.0 * (std::f64::consts::PI * i as f64 / 100.0).sin())
            .collect();
        let (g, l) = gain_loss(alt.iter().copied(), HYSTERESIS_M);
        assert!(
            (g - 40.0).abs() < HYSTERESIS_M && (l - 40.0).abs() < HYSTERESIS_M,
            "{g} {l}"
        );
    }

    #[test]
    fn steep_time_on_a_constant_grade() {
        // 10 % up for 100 records at 3 m/s, then flat.
        let n = 200;
        let dist: Vec<f64> = (0..n).map(|i| 3.0 * i as f64).collect();
        let alt: Vec<f64> = (0..n)
            .map(|i| if i < 100 { 0.3 * i as f64 } else { 30.0 })
            .collect();
        let w = vec![1.0; n];
        let idx: Vec<usize> = (0..n).collect();
        let t = terrain(&idx, &alt, Some(&dist), &w, Some(600.0)).unwrap();
        let up = t.time_uphill_steep_s.unwrap();
        assert!((88.0..=100.0).contains(&up), "{up}");
        assert_eq!(t.time_downhill_steep_s, Some(0.0));
        assert!((t.gain_m - 30.0).abs() <= HYSTERESIS_M);
    }
}
