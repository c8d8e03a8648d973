//! A wrist-worn sensor on a swinging arm: the arm-swing model of the raw simulator
//! ([`super::raw::RawSimConfig::arm`]), with closed-form kinematics.
//!
//! **Arm swing.** In running and walking the arms swing about the shoulders once per stride
//! (at half the step frequency), each arm opposite the leg of its own side: forward while
//! the other leg is forward (Hinrichs 1987, "Upper extremity function in running. II:
//! Angular momentum considerations", Int J Sport Biomech 3:242; Hinrichs 1990, "Upper
//! extremity function in distance running", in Cavanagh (ed.), *Biomechanics of Distance
//! Running*, Human Kinetics, pp. 107–133). The arms cancel part of the legs' angular
//! momentum about the vertical; running with the arms held still costs 3–13 % more energy
//! (Arellano & Kram 2014, "The metabolic cost of human running: is swinging the arms worth
//! it?", J Exp Biol 217:2456). In walking the arms swing at the stride frequency too, with
//! a nearly straight elbow (Collins, Adamczyk & Kuo 2009, "Dynamic arm swinging in human
//! walking", Proc R Soc B 276:3679).
//!
//! The model is a rigid arm of radius `r` (shoulder to wrist: ≈ 0.40 m with the elbow bent
//! near 90° in running, ≈ 0.60 m nearly straight in walking) swinging in the sagittal plane
//! by an angle `θ(t) = −θ₀·cos φ(t)` from hanging, `φ` the stride phase (0 at a left
//! contact, π at the next right one, advancing linearly over each step): a watch on the
//! left wrist is back at the left contact. Amplitudes `θ₀` of 20–50° (the default 35°
//! running, 20° walking) span the arm swings of the studies above.
//!
//! With the wrist at `p = r(sin θ, 0, −cos θ)` from the shoulder (x forward, z up), its
//! acceleration is `p̈ = r[θ̈(cos θ, 0, sin θ) + θ̇²(−sin θ, 0, cos θ)]`, a tangential part
//! at the stride frequency and a centripetal part at twice it. The shoulder moves with the
//! trunk: the trunk's specific force (the spring-mass model of [`super::raw`]) reaches the
//! wrist scaled by `bounce_gain` about 1 g (default 0.6: the shoulder and elbow damp the
//! landing transients; a model parameter, not a measured transfer). The sensor turns with
//! the arm, so gravity rotates in its frame by `±θ₀` once per stride: the reading is the
//! specific force `f = a_trunk + p̈ − g` expressed in the arm's frame, `R_y(θ)·f`, and the
//! gyroscope reads the arm's angular rate `−θ̇` about the lateral axis.

use crate::units::STANDARD_GRAVITY_MPS2 as G;

/// The arm swing of a wrist-worn sensor.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ArmSwing {
    /// Swing amplitude while running, degrees (from hanging, each way).
    pub run_amplitude_deg: f64,
    /// Shoulder-to-wrist distance while running (elbow bent), m.
    pub run_radius_m: f64,
    /// Swing amplitude while walking, degrees.
    pub walk_amplitude_deg: f64,
    /// Shoulder-to-wrist distance while walking (arm nearly straight), m.
    pub walk_radius_m: f64,
    /// Share of the trunk's acceleration (about 1 g) that reaches the wrist.
    pub bounce_gain: f64,
}

impl Default for ArmSwing {
    fn default() -> Self {
        ArmSwing {
            run_amplitude_deg: 35.0,
            run_radius_m: 0.40,
            walk_amplitude_deg: 20.0,
            walk_radius_m: 0.60,
            bounce_gain: 0.6,
        }
    }
}

/// The arm's state at one instant: angle (rad), angular rate (rad/s) and angular
/// acceleration (rad/s²) from hanging, and the radius, m.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct ArmState {
    /// Angle from hanging, rad (forward positive).
    pub theta: f64,
    /// Angular rate, rad/s.
    pub theta_dot: f64,
    /// Angular acceleration, rad/s².
    pub theta_ddot: f64,
    /// Shoulder-to-wrist distance, m.
    pub radius_m: f64,
}

/// The arm at stride phase `phase` (rad; 0 at a left contact) advancing at `rate` rad/s,
/// swinging by `amplitude_deg` at `radius_m`: `θ = −θ₀ cos φ` and its derivatives.
pub fn arm_state(phase: f64, rate: f64, amplitude_deg: f64, radius_m: f64) -> ArmState {
    let a = amplitude_deg.to_radians();
    ArmState {
        theta: -a * phase.cos(),
        theta_dot: a * phase.sin() * rate,
        theta_ddot: a * phase.cos() * rate * rate,
        radius_m,
    }
}

/// What a wrist sensor reads, in the arm's frame before the mount tilt: specific force, g
/// (forward, left, up when the arm hangs), and angular rate, deg/s, for a trunk specific
/// force `trunk_g` (forward, left, up; 1 g up standing) passed on with `bounce_gain`.
pub fn wrist_reading(trunk_g: [f64; 3], arm: &ArmState, bounce_gain: f64) -> ([f64; 3], [f64; 3]) {
    let (s, c) = arm.theta.sin_cos();
    let r = arm.radius_m / G;
    let w2 = arm.theta_dot * arm.theta_dot;
    // Wrist acceleration relative to the shoulder, g.
    let rel = [
        r * (arm.theta_ddot * c - w2 * s),
        0.0,
        r * (arm.theta_ddot * s + w2 * c),
    ];
    let f = [
        bounce_gain * trunk_g[0] + rel[0],
        bounce_gain * trunk_g[1] + rel[1],
        1.0 + bounce_gain * (trunk_g[2] - 1.0) + rel[2],
    ];
    // The arm is turned by R_y(−θ) from hanging: its frame reads R_y(θ)·f.
    let acc = [c * f[0] + s * f[2], f[1], -s * f[0] + c * f[2]];
    let gyro = [0.0, -arm.theta_dot.to_degrees(), 0.0];
    (acc, gyro)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hanging_still_arm_reads_one_g_up() {
        let arm = arm_state(std::f64::consts::FRAC_PI_2, 0.0, 35.0, 0.4);
        let (acc, gyro) = wrist_reading([0.0, 0.0, 1.0], &arm, 0.6);
        assert!(acc[0].abs() < 1e-12 && acc[1].abs() < 1e-12);
        assert!((acc[2] - 1.0).abs() < 1e-12);
        assert_eq!(gyro, [0.0, 0.0, 0.0]);
    }

    #[test]
    fn a_held_tilt_turns_gravity_in_the_sensor_frame() {
        // Arm held 30° forward (no motion): gravity reads sin 30° along the arm's x.
        let arm = ArmState {
            theta: 30f64.to_radians(),
            radius_m: 0.4,
            ..ArmState::default()
        };
        let (acc, _) = wrist_reading([0.0, 0.0, 1.0], &arm, 1.0);
        assert!((acc[0] - 0.5).abs() < 1e-12, "{acc:?}");
        assert!((acc[2] - 3f64.sqrt() / 2.0).abs() < 1e-12);
    }

    #[test]
    fn a_pendulum_at_its_natural_frequency_feels_no_tangential_force() {
        // Small swings at ω² = g/r: the tangential specific force cancels (θ̈ r = −g θ).
        let r = 0.5;
        let w = (G / r).sqrt();
        let amp = 2.0;
        let arm = arm_state(0.3, w, amp, r);
        let (acc, _) = wrist_reading([0.0, 0.0, 1.0], &arm, 1.0);
        // Second order in the 2° amplitude.
        assert!(acc[0].abs() < 1e-3, "{acc:?}");
        // The swing's angular rate is the gyroscope's reading.
        let (_, gyro) = wrist_reading([0.0, 0.0, 1.0], &arm, 1.0);
        assert!((gyro[1] + arm.theta_dot.to_degrees()).abs() < 1e-12);
    }
}
