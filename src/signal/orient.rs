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

use super::filter::{Band, block_mean, zero_phase_lanes};
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

/// Where the vertical axis came from.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum VerticalFrom {
    /// A moving low-pass of the specific force (gravity).
    #[default]
    Gravity,
    /// The principal axis of the signal (gravity removed in the file).
    PrincipalAxis,
    /// The file names its vertical/AP/ML columns.
    Columns,
}

crate::vocab::named!(VerticalFrom { Gravity => "gravity", PrincipalAxis => "principal_axis", Columns => "columns" });

/// Alignment facts for the report.
#[derive(Debug, Clone, Default, Serialize)]
pub struct AlignInfo {
    /// `gravity` (moving low-pass of the specific force), `principal_axis` (gravity removed
    /// in the file) or `columns` (the file names its vertical/AP/ML columns).
    pub vertical_from: VerticalFrom,
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
    if let AxisFrame::Anatomical { has_ap, has_ml } = frame {
        return from_columns(acc, has_ap, has_ml, gravity);
    }
    let Levelled {
        vertical,
        mut hx,
        mut hy,
        mut info,
    } = if gravity {
        level_by_gravity(acc, fs)
    } else {
        level_by_principal_axis(acc)
    };
    // Heading from the vertical jerk.
    let (fwd, conf) = heading(&vertical, &hx, &hy, fs);
    info.heading_confidence = conf;
    let (ap, ml) = match fwd {
        Some(f) => {
            turn_to_heading(&mut hx, &mut hy, f);
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

/// The file names its axes: vertical, AP and ML columns in that order (g added back when
/// the file removed it, `gravity` false).
fn from_columns(acc: &[Vec<f64>; 3], has_ap: bool, has_ml: bool, gravity: bool) -> Aligned {
    let add = if gravity { 0.0 } else { G };
    let vertical: Vec<f64> = acc[0].iter().map(|v| v + add).collect();
    let ap = has_ap.then(|| acc[1].clone());
    let ml = has_ml.then(|| acc[2].clone());
    let heading_confidence = ap.as_ref().map(|_| 1.0);
    Aligned {
        vertical_mps2: vertical,
        ap_mps2: ap,
        ml_mps2: ml,
        info: AlignInfo {
            vertical_from: VerticalFrom::Columns,
            heading_confidence,
            ..AlignInfo::default()
        },
    }
}

/// A segment rotated so that z is vertical, m/s²: the vertical specific force and the two
/// horizontal components (x, y of no particular heading yet).
struct Levelled {
    vertical: Vec<f64>,
    hx: Vec<f64>,
    hy: Vec<f64>,
    info: AlignInfo,
}

/// Level each sample by the direction of its 5 s moving mean (gravity; see the module
/// notes), with the mean tilt and its spread for the report.
fn level_by_gravity(acc: &[Vec<f64>; 3], fs: Hertz) -> Levelled {
    let n = acc[0].len();
    let mut out = Levelled {
        vertical: Vec::with_capacity(n),
        hx: Vec::with_capacity(n),
        hy: Vec::with_capacity(n),
        info: AlignInfo {
            vertical_from: VerticalFrom::Gravity,
            ..AlignInfo::default()
        },
    };
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
        out.vertical.push(a.z);
        out.hx.push(a.x);
        out.hy.push(a.y);
    }
    let (tilt, spread) = tilt_and_spread_deg(&sampled, normalise_or_z(mean_dir));
    out.info.tilt_deg = Some(tilt);
    out.info.tilt_spread_deg = Some(spread);
    out
}

/// Tilt and its spread, degrees, from ~2000 evenly spaced directions `sampled` of the
/// vertical (the direction is a 5 s mean): the mean angle to +z, and the RMS angle to their
/// mean direction `mean_dir`.
fn tilt_and_spread_deg(sampled: &[Vector3<f64>], mean_dir: Vector3<f64>) -> (f64, f64) {
    let (mut spread, mut tilt_sum) = (0.0, 0.0);
    for up in sampled {
        spread += up.dot(&mean_dir).clamp(-1.0, 1.0).acos().powi(2);
        tilt_sum += up.z.clamp(-1.0, 1.0).acos();
    }
    let m = sampled.len().max(1) as f64;
    (
        (tilt_sum / m).to_degrees(),
        (spread / m).sqrt().to_degrees(),
    )
}

/// Gravity removed in the file: level by the principal axis and add g back.
fn level_by_principal_axis(acc: &[Vec<f64>; 3]) -> Levelled {
    let n = acc[0].len();
    let up = principal_up(acc);
    let mut out = Levelled {
        vertical: Vec::with_capacity(n),
        hx: Vec::with_capacity(n),
        hy: Vec::with_capacity(n),
        info: AlignInfo {
            vertical_from: VerticalFrom::PrincipalAxis,
            ..AlignInfo::default()
        },
    };
    for i in 0..n {
        let a = rotate_onto_z(&up, Vector3::new(acc[0][i], acc[1][i], acc[2][i]));
        out.vertical.push(a.z + G);
        out.hx.push(a.x);
        out.hy.push(a.y);
    }
    out
}

/// The principal axis of the covariance of `acc` (the direction of largest variance),
/// signed so that the projection has a positive skew (stance peaks up, flight flat).
fn principal_up(acc: &[Vec<f64>; 3]) -> Vector3<f64> {
    let n = acc[0].len();
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
    let up: Vector3<f64> = eig.eigenvectors.column(k).into_owned();
    let proj: Vec<f64> = (0..n)
        .map(|i| Vector3::new(acc[0][i], acc[1][i], acc[2][i]).dot(&up))
        .collect();
    let pm = proj.iter().sum::<f64>() / n.max(1) as f64;
    let skew: f64 = proj.iter().map(|p| (p - pm).powi(3)).sum();
    if skew < 0.0 { -up } else { up }
}

/// Rotate the horizontal plane in place: x → forward `(fx, fy)` (a unit vector), y → left
/// = z × f = (−fy, fx).
fn turn_to_heading(hx: &mut [f64], hy: &mut [f64], (fx, fy): (f64, f64)) {
    for (x, y) in hx.iter_mut().zip(hy.iter_mut()) {
        let (a, b) = (*x, *y);
        *x = a * fx + b * fy;
        *y = -a * fy + b * fx;
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
    let [bx, by, vl] = zero_phase_lanes([&hx, &hy, &v], fs, 4, [band; 3]);
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

    #[test]
    fn a_still_sensor_tilted_30_degrees_is_levelled() {
        let t = 30f64.to_radians();
        let n = 500;
        let acc = [vec![G * t.sin(); n], vec![0.0; n], vec![G * t.cos(); n]];
        let l = level_by_gravity(&acc, Hertz(100.0));
        assert!(l.vertical.iter().all(|v| (v - G).abs() < 1e-9));
        assert!(l.hx.iter().chain(&l.hy).all(|h| h.abs() < 1e-9));
        assert!((l.info.tilt_deg.unwrap() - 30.0).abs() < 1e-6);
        assert!(l.info.tilt_spread_deg.unwrap() < 1e-6);
    }

    #[test]
    fn the_principal_axis_points_to_the_stance_peaks() {
        // Short tall peaks along (1, 0, 1)/√2 and a small alternation along y that is
        // uncorrelated with them (each peak spans as many even as odd samples).
        let d = Vector3::new(1.0, 0.0, 1.0) / 2f64.sqrt();
        let mut acc = [vec![0.0; 400], vec![0.0; 400], vec![0.0; 400]];
        for i in 0..400 {
            let p = if i % 40 < 8 { 20.0 } else { -4.0 };
            acc[0][i] = p * d.x;
            acc[1][i] = if i % 2 == 0 { 0.5 } else { -0.5 };
            acc[2][i] = p * d.z;
        }
        assert!((principal_up(&acc) - d).norm() < 1e-6);
    }

    #[test]
    fn turning_to_the_heading_puts_forward_on_x_and_left_on_y() {
        // Forward is +y: a forward push reads +x, a push to the right (+x) reads −y.
        let (mut hx, mut hy) = (vec![0.0, 1.0], vec![1.0, 0.0]);
        turn_to_heading(&mut hx, &mut hy, (0.0, 1.0));
        assert_eq!((hx, hy), (vec![1.0, 0.0], vec![0.0, -1.0]));
    }

    #[test]
    fn named_columns_are_taken_as_they_are_with_g_added_back() {
        let acc = [vec![0.5, -0.5], vec![1.0, 2.0], vec![3.0, 4.0]];
        let a = from_columns(&acc, true, false, false);
        assert_eq!(a.vertical_mps2, [0.5 + G, -0.5 + G]);
        assert_eq!(a.ap_mps2, Some(vec![1.0, 2.0]));
        assert_eq!(a.ml_mps2, None);
        assert_eq!(a.info.heading_confidence, Some(1.0));
    }
}
