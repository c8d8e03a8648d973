//! The spring-mass model of running, in one place for the simulator (which makes signals
//! from it), the gait stage (which estimates oscillation from contact and flight times) and
//! the risk stage (which derives stiffness).
//!
//! **Spring-mass model** (Blickhan 1989, J Biomech 22:1217; Morin, Dalleau, Kyröläinen,
//! Jeannin & Belli 2005, J Appl Biomech 21:167–180). The vertical ground reaction force
//! during contact is a half-sine. From contact time `tc` and flight time `tf` (s), body mass
//! `m` (kg) and `g` = 9.80665 m/s²:
//! * peak force `Fmax = m·g·(π/2)·(tf/tc + 1)` (Morin Eq. 4; [`peak_force_n`],
//!   [`peak_force_bw`] in body weights);
//! * downward displacement of the centre of mass during contact
//!   `|Δyc| = Fmax·tc²/(m·π²) − g·tc²/8` (Eq. 7, as a magnitude; [`stance_drop_m`]),
//!   which equals `g·tc·(tc+tf)/(2π) − g·tc²/8`;
//! * the ballistic rise in flight adds `g·tf²/8`, so the oscillation per step is
//!   `VO = g·tc·(tc+tf)/(2π) − g·tc²/8 + g·tf²/8` ([`vertical_oscillation_m`]);
//! * vertical stiffness `k_vert = Fmax/Δyc`; leg stiffness `k_leg = Fmax/ΔL` with the leg's
//!   compression `ΔL = L − √(L² − (v·tc/2)²) + Δyc` for leg length `L` (m) and speed `v`
//!   (m/s) ([`leg_compression_m`]).

use crate::units::STANDARD_GRAVITY_MPS2 as G;
use std::f64::consts::PI;

/// Vertical oscillation of the centre of mass per step, m: the stance drop plus the
/// ballistic rise in flight (see the module docs).
///
/// ```
/// // Morin 2005 worked example: tc = 0.25 s, tf = 0.12 s → 6.8 cm stance drop + 1.8 cm rise.
/// let vo = gaitguard::model::vertical_oscillation_m(0.25, 0.12);
/// assert!((vo - 0.086).abs() < 0.001);
/// ```
pub fn vertical_oscillation_m(contact_s: f64, flight_s: f64) -> f64 {
    let stance_drop =
        G * contact_s * (contact_s + flight_s) / (2.0 * PI) - G * contact_s * contact_s / 8.0;
    stance_drop + G * flight_s * flight_s / 8.0
}

/// Peak vertical force in body weights, `Fmax / (m·g) = (π/2)·(tf/tc + 1)` (Morin Eq. 4).
pub fn peak_force_bw(contact_s: f64, flight_s: f64) -> f64 {
    (PI / 2.0) * (flight_s / contact_s + 1.0)
}

/// Peak vertical force, N, of a runner of `mass_kg` (Morin Eq. 4).
pub fn peak_force_n(mass_kg: f64, contact_s: f64, flight_s: f64) -> f64 {
    mass_kg * G * PI / 2.0 * (flight_s / contact_s + 1.0)
}

/// Downward displacement of the centre of mass during contact, m, from the peak force (N),
/// the mass (kg) and the contact time (s) (Morin Eq. 7, as a magnitude).
pub fn stance_drop_m(peak_force_n: f64, mass_kg: f64, contact_s: f64) -> f64 {
    peak_force_n * contact_s * contact_s / (mass_kg * PI * PI) - G * contact_s * contact_s / 8.0
}

/// Compression of the leg spring during contact, m: `L − √(L² − (v·tc/2)²) + Δyc`
/// (Morin 2005), or `None` when half the contact length `v·tc/2` reaches the leg length.
pub fn leg_compression_m(
    leg_length_m: f64,
    speed_mps: f64,
    contact_s: f64,
    stance_drop_m: f64,
) -> Option<f64> {
    let half = speed_mps * contact_s / 2.0;
    (half < leg_length_m)
        .then(|| leg_length_m - (leg_length_m * leg_length_m - half * half).sqrt() + stance_drop_m)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn morin_worked_example() {
        // methods note: tc = 0.25 s, tf = 0.12 s → stance drop 6.8 cm, VO 8.6 cm.
        let (tc, tf, m) = (0.25, 0.12, 70.0);
        let drop = stance_drop_m(peak_force_n(m, tc, tf), m, tc);
        assert!((drop - 0.068).abs() < 0.001, "{drop}");
        // The closed form of the same drop.
        let closed = G * tc * (tc + tf) / (2.0 * PI) - G * tc * tc / 8.0;
        assert!((drop - closed).abs() < 1e-12);
        assert!((vertical_oscillation_m(tc, tf) - 0.086).abs() < 0.001);
        // Without flight the force peak is π/2 body weights.
        assert!((peak_force_bw(0.3, 0.0) - PI / 2.0).abs() < 1e-12);
        assert!((peak_force_n(m, tc, tf) / (m * G) - peak_force_bw(tc, tf)).abs() < 1e-12);
    }

    #[test]
    fn leg_compression_is_the_arc_plus_the_drop() {
        // v·tc/2 = 0.6 m on a 1 m leg: the arc lowers the hip by 1 − 0.8 = 0.2 m.
        let dl = leg_compression_m(1.0, 4.0, 0.3, 0.05).unwrap();
        assert!((dl - 0.25).abs() < 1e-12);
        assert!(leg_compression_m(1.0, 10.0, 0.3, 0.05).is_none());
    }
}
