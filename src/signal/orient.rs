//! Gravity alignment and the forward axis.
//!
//! **Vertical.** The direction of gravity is the slow mean of the specific force (a centred
//! 5 s moving mean, truncated at the ends: the "5 s moving mean" of methods notes §1.2, which
//! unlike a low-pass filter has no edge transient), so a mount that drifts or a phone that
//! turns is followed; it is normalised per sample. Each sample is
//! rotated by the shortest rotation taking that direction onto +z (nalgebra
//! `Rotation3::rotation_between`, i.e. Rodrigues' formula with axis ĝ×ẑ); its z component is
//! the vertical specific force (1 g standing, ≈ 0 g in flight), x and y span the horizontal
//! plane. This is the gravity alignment of gaitmap's `align_dataset_to_gravity` with a
//! moving rather than a static reference. When the file's acceleration has gravity removed
//! (a phone's "linear" acceleration) the vertical is the principal axis of the covariance,
//! signed so that the distribution has a positive skew (stance peaks up, flight flat), and g
//! is added back; this is marked as lower confidence.
//!
//! **Forward.** Under the spring-mass picture the trunk brakes while the vertical force rises
//! (first half of stance) and is propelled while it falls (second half), so the
//! antero-posterior acceleration is anti-correlated with the time derivative of the vertical
//! acceleration, while the medio-lateral sway (at the stride frequency) is not correlated
//! with it. The forward direction in the horizontal plane is therefore
//! `f = −normalise(Σ h_bp(t) · d a_v/dt)` with `h_bp` the horizontal acceleration band-passed
//! 0.25–7.5 Hz (the band skdh uses for its AP-axis search) — the "mean AP acceleration just
//! after contact is negative" rule of methods notes §1.2 in correlation form. Left is
//! `ẑ × f`. The normalised correlation is the confidence of the heading.

use super::filter::{Band, block_mean, zero_phase};
use crate::recording::AxisFrame;
use crate::units::{Hertz, STANDARD_GRAVITY_MPS2 as G};
use nalgebra::{Matrix3, SymmetricEigen, Vector3};
use serde::Serialize;

/// A segment in the body frame, m/s².
#[derive(Debug, Clone)]
pub struct Aligned {
    /// Vertical specific force (+ up; ≈ 9.81 standing, ≈ 0 in flight), m/s².
    pub vertical_mps2: Vec<f64>,
    /// Antero-posterior acceleration (+ forward), m/s², when a heading was found.
    pub ap_mps2: Option<Vec<f64>>,
    /// Medio-lateral acceleration (+ left), m/s², when a heading was found.
    pub ml_mps2: Option<Vec<f64>>,
    /// What alignment found.
    pub info: AlignInfo,
}

/// Alignment facts for the report.
#[derive(Debug, Clone, Default, Serialize)]
pub struct AlignInfo {
    /// `gravity` (moving low-pass of the specific force), `principal_axis` (gravity removed
    /// in the file) or `columns` (the file names its vertical/AP/ML columns).
    pub vertical_from: &'static str,
    /// Mean angle between the sensor's z axis and vertical, degrees.
    pub tilt_deg: Option<f64>,
    /// Standard deviation of the vertical's direction over the segment, degrees (a strapped
    /// trunk sensor stays within a few degrees; a limb or a loose phone swings).
    pub tilt_spread_deg: Option<f64>,
    /// |correlation| behind the forward axis (0–1), when one was found.
    pub heading_confidence: Option<f64>,
}

/// Centred moving mean over `[i − half, i + half]`, truncated at the ends (prefix sums, O(n)).
pub fn moving_mean(x: &[f64], half: usize) -> Vec<f64> {
    let n = x.len();
    let mut pre = Vec::with_capacity(n + 1);
    pre.push(0.0);
    let mut acc = 0.0;
    for &v in x {
        acc += v;
        pre.push(acc);
    }
    (0..n)
        .map(|i| {
            let a = i.saturating_sub(half);
            let b = (i + half + 1).min(n);
            (pre[b] - pre[a]) / (b - a) as f64
        })
        .collect()
}

fn normalise_or_z(v: Vector3<f64>) -> Vector3<f64> {
    let n = v.norm();
    if n > 1e-9 { v / n } else { Vector3::z() }
}

/// Rotate `a` by the shortest rotation taking the unit vector `up` onto +z (Rodrigues'
/// formula with axis `k = up × ẑ` and cos θ = up_z: `R a = a + k × a + k × (k × a) / (1 + cos θ)`,
/// the same rotation as nalgebra's `Rotation3::rotation_between`, without trigonometry).
/// Upside down (up ≈ −z) it is the half-turn about x.
#[inline]
pub fn rotate_onto_z(up: &Vector3<f64>, a: Vector3<f64>) -> Vector3<f64> {
    let c = up.z;
    if c < -1.0 + 1e-12 {
        return Vector3::new(a.x, -a.y, -a.z);
    }
    let k = Vector3::new(up.y, -up.x, 0.0);
    let ka = k.cross(&a);
    a + ka + k.cross(&ka) / (1.0 + c)
}

/// Align one segment. `frame` says whether the file already named its axes; `gravity`
/// whether the acceleration includes gravity.
pub fn align(acc: &[Vec<f64>; 3], fs: Hertz, frame: AxisFrame, gravity: bool) -> Aligned {
    let n = acc[0].len();
    if let AxisFrame::Anatomical { has_ap, has_ml } = frame {
        let add = if gravity { 0.0 } else { G };
        let vertical: Vec<f64> = acc[0].iter().map(|v| v + add).collect();
        let ap = has_ap.then(|| acc[1].clone());
        let ml = has_ml.then(|| acc[2].clone());
        let heading_confidence = ap.as_ref().map(|_| 1.0);
        return Aligned {
            vertical_mps2: vertical,
            ap_mps2: ap,
            ml_mps2: ml,
            info: AlignInfo {
                vertical_from: "columns",
                heading_confidence,
                ..AlignInfo::default()
            },
        };
    }
    let mut vertical = Vec::with_capacity(n);
    let mut hx = Vec::with_capacity(n);
    let mut hy = Vec::with_capacity(n);
    let mut info = AlignInfo::default();
    if gravity {
        info.vertical_from = "gravity";
        // Centred moving sums over [i − half, i + half] (truncated at the ends), slid along.
        let half = ((2.5 * fs.0) as usize).max(1);
        let mut sum = [0.0f64; 3];
        for j in 0..half.min(n) {
            for ax in 0..3 {
                sum[ax] += acc[ax][j];
            }
        }
        let every = (n / 2000).max(1);
        let mut sampled: Vec<Vector3<f64>> = Vec::with_capacity(n / every + 1);
        let mut mean_dir = Vector3::zeros();
        for i in 0..n {
            if i + half < n {
                for ax in 0..3 {
                    sum[ax] += acc[ax][i + half];
                }
            }
            if i > half {
                for ax in 0..3 {
                    sum[ax] -= acc[ax][i - half - 1];
                }
            }
            // The mean's direction is the sum's direction.
            let up = normalise_or_z(Vector3::new(sum[0], sum[1], sum[2]));
            mean_dir += up;
            if i % every == 0 {
                sampled.push(up);
            }
            let a = rotate_onto_z(&up, Vector3::new(acc[0][i], acc[1][i], acc[2][i]));
            vertical.push(a.z);
            hx.push(a.x);
            hy.push(a.y);
        }
        let mean_dir = normalise_or_z(mean_dir);
        // Tilt and its spread from ~2000 evenly spaced samples (the direction is a 5 s mean).
        let (mut spread, mut tilt_sum) = (0.0, 0.0);
        for up in &sampled {
            spread += up.dot(&mean_dir).clamp(-1.0, 1.0).acos().powi(2);
            tilt_sum += up.z.clamp(-1.0, 1.0).acos();
        }
        let m = sampled.len().max(1) as f64;
        info.tilt_deg = Some((tilt_sum / m).to_degrees());
        info.tilt_spread_deg = Some((spread / m).sqrt().to_degrees());
    } else {
        info.vertical_from = "principal_axis";
        let mean: Vector3<f64> = (0..n)
            .map(|i| Vector3::new(acc[0][i], acc[1][i], acc[2][i]))
            .sum::<Vector3<f64>>()
            / n.max(1) as f64;
        let mut cov = Matrix3::zeros();
        for i in 0..n {
            let d = Vector3::new(acc[0][i], acc[1][i], acc[2][i]) - mean;
            cov += d * d.transpose();
        }
        let eig = SymmetricEigen::new(cov);
        let k = eig.eigenvalues.imax();
        let mut up: Vector3<f64> = eig.eigenvectors.column(k).into_owned();
        let proj: Vec<f64> = (0..n)
            .map(|i| Vector3::new(acc[0][i], acc[1][i], acc[2][i]).dot(&up))
            .collect();
        let pm = proj.iter().sum::<f64>() / n.max(1) as f64;
        let skew: f64 = proj.iter().map(|p| (p - pm).powi(3)).sum();
        if skew < 0.0 {
            up = -up;
        }
        for i in 0..n {
            let a = rotate_onto_z(&up, Vector3::new(acc[0][i], acc[1][i], acc[2][i]));
            vertical.push(a.z + G);
            hx.push(a.x);
            hy.push(a.y);
        }
    }
    // Heading from the vertical jerk.
    let (fwd, conf) = heading(&vertical, &hx, &hy, fs);
    info.heading_confidence = conf;
    let (ap, ml) = match fwd {
        Some((fx, fy)) => {
            // Rotate the horizontal plane in place: x → forward, y → left = z × f = (−fy, fx).
            for i in 0..n {
                let (x, y) = (hx[i], hy[i]);
                hx[i] = x * fx + y * fy;
                hy[i] = -x * fy + y * fx;
            }
            (Some(hx), Some(hy))
        }
        None => (None, None),
    };
    Aligned {
        vertical_mps2: vertical,
        ap_mps2: ap,
        ml_mps2: ml,
        info,
    }
}

/// The forward direction (fx, fy) in the gravity-aligned horizontal plane and the
/// normalised correlation behind it. The correlation is a property of the 0.25–7.5 Hz band,
/// so it is computed after block-mean decimation to 40–80 Hz (k = ⌊fs/40⌋): the boxcar's
/// nulls at multiples of fs/k keep what folds into the band below 1 % at these rates, and a
/// 1-hour 1 kHz file costs three short filters instead of three full-rate ones.
fn heading(v: &[f64], hx: &[f64], hy: &[f64], fs: Hertz) -> (Option<(f64, f64)>, Option<f64>) {
    let k = ((fs.0 / 40.0).floor() as usize).max(1);
    let (v, hx, hy, fs) = if k > 1 {
        (
            block_mean(v, k),
            block_mean(hx, k),
            block_mean(hy, k),
            Hertz(fs.0 / k as f64),
        )
    } else {
        (v.to_vec(), hx.to_vec(), hy.to_vec(), fs)
    };
    let n = v.len();
    let band = Band::Pass(0.25, 7.5f64.min(0.45 * fs.0));
    let bx = zero_phase(&hx, fs, 4, band);
    let by = zero_phase(&hy, fs, 4, band);
    let vl = zero_phase(&v, fs, 4, band);
    let (Some(bx), Some(by), Some(vl)) = (bx, by, vl) else {
        return (None, None);
    };
    let (mut cx, mut cy, mut sj, mut sh) = (0.0, 0.0, 0.0, 0.0);
    for i in 1..n.saturating_sub(1) {
        let j = (vl[i + 1] - vl[i - 1]) * fs.0 / 2.0;
        cx += bx[i] * j;
        cy += by[i] * j;
        sj += j * j;
        sh += bx[i] * bx[i] + by[i] * by[i];
    }
    let c = (cx * cx + cy * cy).sqrt();
    if !(c > 0.0) || !(sh > 1e-12) {
        return (None, None);
    }
    let conf = c / (sj * sh).sqrt();
    (Some((-cx / c, -cy / c)), Some(conf))
}

#[cfg(test)]
mod tests {
    use super::*;
    use nalgebra::Rotation3;

    #[test]
    fn rodrigues_matches_nalgebra_rotation_between() {
        // Directions over the whole sphere (not the exact antipode, where the axis is arbitrary).
        for i in 0..200 {
            let th = 0.0157 * i as f64 * 0.99;
            let ph = 0.7 * i as f64;
            let up = Vector3::new(th.sin() * ph.cos(), th.sin() * ph.sin(), th.cos());
            let a = Vector3::new(1.3, -0.4, 9.1);
            let r = Rotation3::rotation_between(&up, &Vector3::z()).unwrap();
            let ours = rotate_onto_z(&up, a);
            assert!(
                (ours - r * a).norm() < 1e-9,
                "{up:?}: {ours:?} vs {:?}",
                r * a
            );
            assert!((rotate_onto_z(&up, up) - Vector3::z()).norm() < 1e-9);
        }
        let down = rotate_onto_z(&-Vector3::z(), Vector3::new(1.0, 2.0, 3.0));
        assert_eq!(down, Vector3::new(1.0, -2.0, -3.0));
    }
}
