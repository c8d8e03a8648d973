//! Garmin's population colour bands for running dynamics (Garmin Forerunner/fenix owner's
//! manuals, "Running Dynamics" colour gauges; based on Garmin's data from many runners).
//! They describe where a value sits among runners, not a target or a risk by themselves.

use serde::Serialize;

/// A colour band.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Zone {
    /// Top ~5 % of runners (cadence > 183 spm, GCT < 218 ms, …).
    Purple,
    /// 70–95th percentile.
    Blue,
    /// 30–69th percentile.
    Green,
    /// 5–29th percentile.
    Orange,
    /// Bottom ~5 %.
    Red,
}

impl Zone {
    /// Lower-case name.
    pub fn name(self) -> &'static str {
        match self {
            Zone::Purple => "purple",
            Zone::Blue => "blue",
            Zone::Green => "green",
            Zone::Orange => "orange",
            Zone::Red => "red",
        }
    }
}

/// Band of a metric value, for the metrics that have one.
///
/// ```
/// use gaitguard::metrics::zones::{zone, Zone};
/// assert_eq!(zone("cadence_spm", 170.0), Some(Zone::Green));
/// assert_eq!(zone("ground_contact_ms", 320.0), Some(Zone::Red));
/// assert_eq!(zone("speed_mps", 3.0), None);
/// ```
pub fn zone(metric: &str, v: f64) -> Option<Zone> {
    use Zone::*;
    if !v.is_finite() {
        return None;
    }
    Some(match metric {
        // red < 153, orange 153–163, green 164–173, blue 174–183, purple > 183 spm.
        "cadence_spm" => match v.round() {
            x if x < 153.0 => Red,
            x if x <= 163.0 => Orange,
            x if x <= 173.0 => Green,
            x if x <= 183.0 => Blue,
            _ => Purple,
        },
        // red > 308, orange 278–308, green 249–277, blue 218–248, purple < 218 ms.
        "ground_contact_ms" => match v.round() {
            x if x > 308.0 => Red,
            x if x >= 278.0 => Orange,
            x if x >= 249.0 => Green,
            x if x >= 218.0 => Blue,
            _ => Purple,
        },
        // red > 11.5, orange 9.8–11.5, green 8.2–9.7, blue 6.4–8.1, purple < 6.4 cm.
        "vertical_oscillation_cm" => match (v * 10.0).round() / 10.0 {
            x if x > 11.5 => Red,
            x if x >= 9.8 => Orange,
            x if x >= 8.2 => Green,
            x if x >= 6.4 => Blue,
            _ => Purple,
        },
        // red > 10.1, orange 8.7–10.1, green 7.5–8.6, blue 6.1–7.4, purple < 6.1 %.
        "vertical_ratio_pct" => match (v * 10.0).round() / 10.0 {
            x if x > 10.1 => Red,
            x if x >= 8.7 => Orange,
            x if x >= 7.5 => Green,
            x if x >= 6.1 => Blue,
            _ => Purple,
        },
        // green within 50.7 % either way, orange to 52.2 %, red beyond.
        "gct_balance_left_pct" => {
            let off = ((v - 50.0).abs() * 10.0).round() / 10.0;
            if off <= 0.7 {
                Green
            } else if off <= 2.2 {
                Orange
            } else {
                Red
            }
        }
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn band_edges_follow_the_published_table() {
        assert_eq!(zone("cadence_spm", 152.6), Some(Zone::Orange)); // rounds to 153
        assert_eq!(zone("cadence_spm", 152.4), Some(Zone::Red));
        assert_eq!(zone("cadence_spm", 173.0), Some(Zone::Green));
        assert_eq!(zone("cadence_spm", 184.0), Some(Zone::Purple));
        assert_eq!(zone("ground_contact_ms", 309.0), Some(Zone::Red));
        assert_eq!(zone("ground_contact_ms", 278.0), Some(Zone::Orange));
        assert_eq!(zone("ground_contact_ms", 217.0), Some(Zone::Purple));
        assert_eq!(zone("vertical_oscillation_cm", 9.7), Some(Zone::Green));
        assert_eq!(zone("vertical_oscillation_cm", 6.3), Some(Zone::Purple));
        assert_eq!(zone("vertical_ratio_pct", 10.2), Some(Zone::Red));
        assert_eq!(zone("gct_balance_left_pct", 49.3), Some(Zone::Green));
        assert_eq!(zone("gct_balance_left_pct", 52.2), Some(Zone::Orange));
        assert_eq!(zone("gct_balance_left_pct", 47.7), Some(Zone::Red));
        assert_eq!(zone("speed_mps", 3.0), None);
    }
}
