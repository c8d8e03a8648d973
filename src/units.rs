//! Physical units as types, so that a sampling rate can never be passed where a period is
//! expected. Only the units that cross module boundaries get a newtype; inside a module,
//! names carry the unit (`ground_contact_ms`, `speed_mps`).

use serde::Serialize;

/// A frequency in hertz (samples or events per second).
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Serialize)]
#[serde(transparent)]
pub struct Hertz(pub f64);

/// A duration in seconds.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Serialize)]
#[serde(transparent)]
pub struct Seconds(pub f64);

impl Hertz {
    /// The period of one cycle.
    pub fn period(self) -> Seconds {
        Seconds(1.0 / self.0)
    }
}

/// Seconds between the FIT epoch (1989-12-31T00:00:00Z) and the Unix epoch.
pub const FIT_EPOCH_OFFSET_S: i64 = 631_065_600;

/// Standard gravity, m/s².
pub const STANDARD_GRAVITY_MPS2: f64 = 9.806_65;
