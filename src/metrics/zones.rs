//! Garmin's population colour bands for running dynamics (Garmin Forerunner/fenix owner's
//! manuals, "Running Dynamics" colour gauges; based on Garmin's data from many runners).
//! They describe where a value sits among runners, not a target or a risk by themselves.
//! The bands themselves are rows of the metric table ([`crate::vocab::METRICS`]).

pub use crate::vocab::Zone;

/// Band of a metric value, for the metrics that have one.
///
/// ```
/// use gaitguard::metrics::zones::{zone, Zone};
/// assert_eq!(zone("cadence_spm", 170.0), Some(Zone::Green));
/// assert_eq!(zone("ground_contact_ms", 320.0), Some(Zone::Red));
/// assert_eq!(zone("speed_mps", 3.0), None);
/// ```
pub fn zone(metric: &str, v: f64) -> Option<Zone> {
    crate::vocab::metric_by_name(metric)?.zone(v)
}
