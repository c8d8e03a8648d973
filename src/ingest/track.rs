//! Distance and speed from a GPS track, for TCX and GPX files that carry positions (or a
//! cumulative distance) but no speed.
//!
//! Method.
//! * **Distance between fixes**: the haversine great-circle distance on a sphere of the
//!   mean Earth radius R₁ = 6 371 008.8 m (IUGG mean radius, Moritz 2000, "Geodetic
//!   Reference System 1980", J Geodesy 74:128). Haversine (Sinnott 1984, "Virtues of the
//!   haversine", Sky & Telescope 68:159) is well conditioned for the few-metre steps of a
//!   1-second track; against the WGS-84 ellipsoid (Vincenty 1975) it errs by at most ~0.5 %,
//!   well below the error of consumer GPS itself.
//! * **Speed**: the central difference of the cumulative distance over a window of
//!   ±[`SPEED_HALF_WINDOW_S`] s, `v(t) = (d(t+h) − d(t−h)) / (2h)` with the records nearest
//!   those times. This is the mean speed over the window, which smooths the metre-scale
//!   position noise of each fix (a 10-s window is what watches themselves use for pace).
//!   Records without a distance get none.

use crate::recording::{Channel, Recording};

/// Mean Earth radius, m (IUGG R₁).
pub const EARTH_RADIUS_M: f64 = 6_371_008.8;

/// Half the speed window, s.
pub const SPEED_HALF_WINDOW_S: f64 = 5.0;

/// Haversine distance between two positions in degrees, m.
pub fn haversine_m(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dp = p2 - p1;
    let dl = (lon2 - lon1).to_radians();
    let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_M * a.sqrt().min(1.0).asin()
}

/// Cumulative distance along the positions, m (NaN for a record without a valid fix).
pub fn cumulative_distance_m(lat: &[f64], lon: &[f64]) -> Vec<f64> {
    let mut out = Vec::with_capacity(lat.len());
    let mut last: Option<(f64, f64)> = None;
    let mut total = f64::NAN;
    for (&la, &lo) in lat.iter().zip(lon) {
        let valid = la.is_finite() && lo.is_finite() && la.abs() <= 90.0 && lo.abs() <= 180.0;
        if valid {
            total = match last {
                Some((pla, plo)) => total + haversine_m(pla, plo, la, lo),
                None => 0.0,
            };
            last = Some((la, lo));
            out.push(total);
        } else {
            out.push(f64::NAN);
        }
    }
    out
}

/// Speed from a cumulative distance by the windowed central difference (module doc), m/s.
pub fn speed_from_distance(time_s: &[f64], distance_m: &[f64]) -> Vec<f64> {
    let n = time_s.len().min(distance_m.len());
    let valid: Vec<usize> = (0..n).filter(|&i| distance_m[i].is_finite()).collect();
    let mut out = vec![f64::NAN; time_s.len()];
    if valid.len() < 2 {
        return out;
    }
    let (mut lo, mut hi) = (0usize, 0usize);
    for (k, &i) in valid.iter().enumerate() {
        let t = time_s[i];
        while time_s[valid[lo]] < t - SPEED_HALF_WINDOW_S && lo < k {
            lo += 1;
        }
        hi = hi.max(k);
        while hi + 1 < valid.len() && time_s[valid[hi + 1]] <= t + SPEED_HALF_WINDOW_S {
            hi += 1;
        }
        let (a, b) = (valid[lo], valid[hi]);
        let dt = time_s[b] - time_s[a];
        if dt > 0.0 {
            out[i] = ((distance_m[b] - distance_m[a]) / dt).max(0.0);
        }
    }
    out
}

/// Where the speed came from when the file gave none.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DerivedSpeed {
    /// The file has speed.
    None,
    /// From the file's cumulative distance.
    FromDistance,
    /// From the GPS positions (distance too).
    FromPositions,
}

/// Speed (and distance) from the track when the file has no speed (module doc).
pub fn fill_speed(rec: &mut Recording) -> DerivedSpeed {
    let s = &mut rec.series;
    if s.has(Channel::SpeedMps) {
        return DerivedSpeed::None;
    }
    let mut how = DerivedSpeed::FromDistance;
    if !s.has(Channel::DistanceM) {
        let (Some(lat), Some(lon)) = (s.get(Channel::LatitudeDeg), s.get(Channel::LongitudeDeg))
        else {
            return DerivedSpeed::None;
        };
        let d = cumulative_distance_m(lat, lon);
        *s.get_mut(Channel::DistanceM) = d;
        how = DerivedSpeed::FromPositions;
    }
    let Some(d) = s.get(Channel::DistanceM) else {
        return DerivedSpeed::None;
    };
    let v = speed_from_distance(&s.time_s, d);
    *s.get_mut(Channel::SpeedMps) = v;
    s.finish();
    how
}

/// The warnings every track reader (TCX, GPX) gives about its points: `untimed` points
/// without a time (named by `time_tag`, e.g. `<Time>`) skipped, `zone_less` times read as
/// UTC, and a speed derived by `derived`.
pub fn warn_points(
    rec: &mut crate::recording::Recording,
    (untimed, zone_less): (usize, usize),
    time_tag: &str,
    derived: DerivedSpeed,
) {
    use crate::vocab::WarningCode;
    if untimed > 0 {
        rec.warn(
            WarningCode::NoTimestamp,
            format!("{untimed} track points had no {time_tag} and were skipped"),
        );
    }
    if zone_less > 0 {
        rec.warn(
            WarningCode::TimeZoneAssumed,
            "the track point times name no time zone; read as UTC",
        );
    }
    if let Some(w) = derived_speed_warning(derived) {
        rec.warn(WarningCode::SpeedDerived, w);
    }
}

/// The warning for a derived speed, if any.
pub fn derived_speed_warning(how: DerivedSpeed) -> Option<String> {
    match how {
        DerivedSpeed::None => None,
        DerivedSpeed::FromDistance => Some(format!(
            "the file has no speed: speed was derived from its distance over a {:.0}-s window",
            2.0 * SPEED_HALF_WINDOW_S
        )),
        DerivedSpeed::FromPositions => Some(format!(
            "the file has no speed or distance: both were derived from the GPS positions (haversine distance, speed over a {:.0}-s window)",
            2.0 * SPEED_HALF_WINDOW_S
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn haversine_matches_closed_forms() {
        // One degree of latitude along a meridian is R·π/180.
        let d = haversine_m(10.0, 20.0, 11.0, 20.0);
        assert!((d - EARTH_RADIUS_M * std::f64::consts::PI / 180.0).abs() < 1e-6);
        // Along the equator as well; and a quarter of the globe.
        assert!((haversine_m(0.0, 0.0, 0.0, 1.0) - d).abs() < 1e-6);
        let q = haversine_m(0.0, 0.0, 90.0, 0.0);
        assert!((q - EARTH_RADIUS_M * std::f64::consts::FRAC_PI_2).abs() < 1e-6);
        assert_eq!(haversine_m(45.0, 7.0, 45.0, 7.0), 0.0);
    }

    #[test]
    fn a_steady_run_along_a_meridian_has_its_speed() {
        // 3 m/s due north, one fix a second, a gap in the fixes.
        let deg_per_m = 180.0 / (std::f64::consts::PI * EARTH_RADIUS_M);
        let time: Vec<f64> = (0..120).map(f64::from).collect();
        let mut lat: Vec<f64> = time.iter().map(|t| 45.0 + 3.0 * t * deg_per_m).collect();
        let lon = vec![7.0; 120];
        lat[50] = f64::NAN;
        let d = cumulative_distance_m(&lat, &lon);
        assert!((d[119] - 357.0).abs() < 1e-6, "{}", d[119]);
        assert!(d[50].is_nan());
        let v = speed_from_distance(&time, &d);
        assert!(v[50].is_nan());
        for (i, s) in v.iter().enumerate().filter(|(i, _)| *i != 50) {
            assert!((s - 3.0).abs() < 1e-6, "{i}: {s}");
        }
    }
}
