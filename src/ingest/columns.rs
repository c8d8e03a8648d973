//! Column names → channels, and units. Columns are matched by name (never by position):
//! a header cell is split into a name and an optional unit (`stance_time[ms]`,
//! `Heart Rate [bpm]`, `Vertical Oscillation (cm)`), the name is folded to lower-case
//! alphanumerics and looked up in an alias table that covers fitparse/fitdecode dumps,
//! Wahoo Fitness (`ma_gct`, `ma_vertosc` …), Stryd, GoldenCheetah (`secs`, `kph`, `rvert`,
//! `rcontact` …) and Strava/intervals.icu streams. A unit from the header wins; otherwise a
//! dialect default; otherwise the unit is inferred from the values and the inference is
//! reported.

use crate::recording::Channel;

/// What a column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// The time axis.
    Time,
    /// A channel.
    Channel(Channel),
    /// FIT `fractional_cadence`, added to cadence.
    FractionalCadence,
    /// 1 while the recording was paused (Wahoo `paused`).
    Paused,
    /// 1 while moving (Strava `moving`), the inverse of paused.
    Moving,
}

/// A unit conversion to the channel's unit: `value × factor + offset`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Conversion {
    /// Multiplier.
    pub factor: f64,
    /// Added after multiplying.
    pub offset: f64,
}

impl Conversion {
    /// No change.
    pub const IDENTITY: Conversion = Conversion {
        factor: 1.0,
        offset: 0.0,
    };
    const fn scale(factor: f64) -> Self {
        Conversion {
            factor,
            offset: 0.0,
        }
    }
    /// Apply.
    #[inline]
    pub fn apply(self, v: f64) -> f64 {
        v * self.factor + self.offset
    }
}

/// A header cell split into folded name and unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeaderCell {
    /// The cell as written.
    pub raw: String,
    /// Lower-case alphanumerics only (`stance_time[ms]` → `stancetime`).
    pub key: String,
    /// Unit text inside `[...]` or `(...)`, lower-cased, when present.
    pub unit: Option<String>,
}

/// Split a header cell.
pub fn parse_header_cell(cell: &str) -> HeaderCell {
    let raw = cell
        .trim()
        .trim_matches('"')
        .trim_start_matches('\u{feff}')
        .to_string();
    let mut name = raw.as_str();
    let mut unit = None;
    for (open, close) in [('[', ']'), ('(', ')')] {
        if let (Some(i), true) = (name.rfind(open), name.trim_end().ends_with(close)) {
            let u = name[i + 1..name.trim_end().len() - 1].trim();
            if !u.is_empty() {
                unit = Some(u.to_ascii_lowercase());
            }
            name = &name[..i];
            break;
        }
    }
    let key = fold(name);
    HeaderCell { raw, key, unit }
}

/// Lower-case alphanumerics only.
pub fn fold(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// Alias table: folded name → (target, default unit when the header has none, priority;
/// lower priority wins when two columns claim the same channel).
static ALIASES: &[(&str, Target, Option<&str>, u8)] = {
    use Channel::*;
    use Target::Channel as C;
    &[
        ("timestamp", Target::Time, None, 0),
        ("time", Target::Time, None, 1),
        ("secs", Target::Time, Some("s"), 0),
        ("seconds", Target::Time, Some("s"), 1),
        ("elapsedtime", Target::Time, Some("s"), 2),
        ("elapsed", Target::Time, Some("s"), 2),
        ("timeelapsed", Target::Time, Some("s"), 2),
        ("secondselapsed", Target::Time, Some("s"), 2),
        ("datetime", Target::Time, None, 1),
        ("date", Target::Time, None, 3),
        ("times", Target::Time, Some("s"), 2),
        ("cadence", C(CadenceSpm), None, 1),
        ("cad", C(CadenceSpm), None, 2),
        ("rcad", C(CadenceSpm), None, 1),
        ("runcadence", C(CadenceSpm), None, 1),
        ("runningcadence", C(CadenceSpm), None, 1),
        ("macadence", C(CadenceSpm), Some("spm"), 1),
        ("fpcadence", C(CadenceSpm), None, 1),
        ("stepsperminute", C(CadenceSpm), Some("spm"), 1),
        ("fractionalcadence", Target::FractionalCadence, None, 0),
        ("stancetime", C(GroundContactMs), Some("ms"), 1),
        ("groundtime", C(GroundContactMs), None, 1),
        ("groundcontacttime", C(GroundContactMs), None, 1),
        ("groundcontact", C(GroundContactMs), None, 1),
        ("gct", C(GroundContactMs), None, 1),
        ("contacttime", C(GroundContactMs), None, 1),
        ("rcontact", C(GroundContactMs), Some("ms"), 1),
        ("magct", C(GroundContactMs), Some("s"), 1),
        ("stancetimepercent", C(StanceTimePct), Some("%"), 1),
        ("stancetimebalance", C(GctBalanceLeftPct), Some("%"), 1),
        ("gctbalance", C(GctBalanceLeftPct), Some("%"), 1),
        ("groundcontactbalance", C(GctBalanceLeftPct), Some("%"), 1),
        ("groundtimebalance", C(GctBalanceLeftPct), Some("%"), 1),
        ("verticaloscillation", C(VerticalOscillationCm), None, 1),
        ("vertosc", C(VerticalOscillationCm), None, 1),
        ("rvert", C(VerticalOscillationCm), Some("cm"), 1),
        ("mavertosc", C(VerticalOscillationCm), Some("m"), 1),
        ("verticalratio", C(VerticalRatioPct), Some("%"), 1),
        ("steplength", C(StepLengthM), None, 1),
        ("speed", C(SpeedMps), None, 2),
        ("enhancedspeed", C(SpeedMps), None, 1),
        ("velocity", C(SpeedMps), None, 2),
        ("velocitysmooth", C(SpeedMps), None, 2),
        ("kph", C(SpeedMps), Some("km/h"), 2),
        ("gpsspeed", C(SpeedMps), Some("m/s"), 3),
        ("spdinstspeed", C(SpeedMps), Some("m/s"), 2),
        // Wahoo's footpod (running speed and cadence sensor) speed: measured at the foot,
        // preferred to GPS and to a speed sensor.
        ("fpinstspeed", C(SpeedMps), Some("m/s"), 1),
        ("fpspeed", C(SpeedMps), Some("m/s"), 1),
        ("distance", C(DistanceM), None, 2),
        ("km", C(DistanceM), Some("km"), 2),
        ("gpsdist", C(DistanceM), Some("m"), 2),
        ("spdaccdist", C(DistanceM), Some("m"), 3),
        ("fpaccdist", C(DistanceM), Some("m"), 3),
        ("altitude", C(AltitudeM), None, 2),
        ("enhancedaltitude", C(AltitudeM), None, 1),
        ("alt", C(AltitudeM), None, 2),
        ("elevation", C(AltitudeM), None, 2),
        ("ele", C(AltitudeM), None, 2),
        ("dispaltitude", C(AltitudeM), Some("m"), 2),
        ("gpsaltitude", C(AltitudeM), Some("m"), 3),
        ("heartrate", C(HeartRateBpm), Some("bpm"), 1),
        ("hr", C(HeartRateBpm), Some("bpm"), 1),
        ("hrheartrate", C(HeartRateBpm), Some("bpm"), 1),
        ("power", C(PowerW), Some("w"), 1),
        ("watts", C(PowerW), Some("w"), 1),
        ("pwrinstpwr", C(PowerW), Some("w"), 1),
        ("temperature", C(TemperatureC), None, 1),
        ("temp", C(TemperatureC), None, 1),
        ("atemp", C(TemperatureC), None, 1),
        ("disptemperature", C(TemperatureC), Some("c"), 1),
        ("positionlat", C(LatitudeDeg), None, 1),
        ("lat", C(LatitudeDeg), None, 1),
        ("latitude", C(LatitudeDeg), None, 1),
        ("gpslat", C(LatitudeDeg), None, 1),
        ("positionlong", C(LongitudeDeg), None, 1),
        ("lon", C(LongitudeDeg), None, 1),
        ("lng", C(LongitudeDeg), None, 1),
        ("long", C(LongitudeDeg), None, 1),
        ("longitude", C(LongitudeDeg), None, 1),
        ("gpslon", C(LongitudeDeg), None, 1),
        ("formpower", C(FormPowerW), Some("w"), 1),
        (
            "legspringstiffness",
            C(LegSpringStiffnessKnPerM),
            Some("kn/m"),
            1,
        ),
        ("brakinggs", C(BrakingG), Some("g"), 1),
        ("braking", C(BrakingG), Some("g"), 1),
        ("impactgs", C(ImpactG), Some("g"), 1),
        ("impact", C(ImpactG), Some("g"), 1),
        ("footstriketype", C(FootstrikeType), None, 1),
        ("footstrike", C(FootstrikeType), None, 1),
        ("pronationexcursion", C(PronationDeg), Some("deg"), 1),
        ("pronation", C(PronationDeg), Some("deg"), 1),
        ("activitytype", C(DeviceActivityCode), None, 1),
        ("paused", Target::Paused, None, 1),
        ("moving", Target::Moving, None, 1),
    ]
};

/// Look a folded name up.
pub fn lookup(key: &str) -> Option<(Target, Option<&'static str>, u8)> {
    ALIASES
        .iter()
        .find(|(k, ..)| *k == key)
        .map(|(_, t, u, p)| (*t, *u, *p))
}

/// Conversion from a stated unit to the channel's unit; `None` when the unit is not one the
/// channel can be in.
pub fn conversion(ch: Channel, unit: &str) -> Option<Conversion> {
    use Channel::*;
    let u = unit.trim().to_ascii_lowercase().replace(' ', "");
    let c = Conversion::scale;
    Some(match ch {
        GroundContactMs => match u.as_str() {
            "ms" | "msec" | "milliseconds" => Conversion::IDENTITY,
            "s" | "sec" | "seconds" => c(1000.0),
            _ => return None,
        },
        VerticalOscillationCm => match u.as_str() {
            "cm" | "centimeters" | "centimetres" => Conversion::IDENTITY,
            "mm" | "millimeters" | "millimetres" => c(0.1),
            "m" | "meters" | "metres" => c(100.0),
            "in" | "inches" => c(2.54),
            _ => return None,
        },
        StepLengthM => match u.as_str() {
            "m" | "meters" | "metres" => Conversion::IDENTITY,
            "cm" => c(0.01),
            "mm" => c(0.001),
            "ft" | "feet" => c(0.3048),
            "in" | "inches" => c(0.0254),
            _ => return None,
        },
        SpeedMps => match u.as_str() {
            "m/s" | "mps" | "meters/second" => Conversion::IDENTITY,
            "km/h" | "kph" | "kmh" | "kmph" => c(1.0 / 3.6),
            "mph" | "mi/h" => c(0.44704),
            _ => return None,
        },
        DistanceM => match u.as_str() {
            "m" | "meters" | "metres" => Conversion::IDENTITY,
            "km" | "kilometers" | "kilometres" => c(1000.0),
            "mi" | "miles" => c(1609.344),
            "ft" | "feet" => c(0.3048),
            _ => return None,
        },
        AltitudeM => match u.as_str() {
            "m" | "meters" | "metres" => Conversion::IDENTITY,
            "ft" | "feet" => c(0.3048),
            _ => return None,
        },
        CadenceSpm => match u.as_str() {
            "spm" | "steps/min" | "steps/minute" | "stepsperminute" => Conversion::IDENTITY,
            "rpm" | "strides/min" | "stridesperminute" | "spm/2" => c(2.0),
            _ => return None,
        },
        HeartRateBpm => match u.as_str() {
            "bpm" | "beats/min" | "1/min" => Conversion::IDENTITY,
            _ => return None,
        },
        PowerW | FormPowerW => match u.as_str() {
            "w" | "watts" | "watt" => Conversion::IDENTITY,
            _ => return None,
        },
        TemperatureC => match u.as_str() {
            "c" | "°c" | "degc" | "celsius" | "deg_c" => Conversion::IDENTITY,
            "f" | "°f" | "degf" | "fahrenheit" => Conversion {
                factor: 5.0 / 9.0,
                offset: -32.0 * 5.0 / 9.0,
            },
            _ => return None,
        },
        LatitudeDeg | LongitudeDeg => match u.as_str() {
            "deg" | "degrees" | "°" => Conversion::IDENTITY,
            "semicircles" => c(180.0 / 2_147_483_648.0),
            _ => return None,
        },
        StanceTimePct | GctBalanceLeftPct | VerticalRatioPct => match u.as_str() {
            "%" | "percent" | "pct" => Conversion::IDENTITY,
            "fraction" => c(100.0),
            _ => return None,
        },
        LegSpringStiffnessKnPerM => match u.as_str() {
            "kn/m" => Conversion::IDENTITY,
            "n/m" => c(0.001),
            _ => return None,
        },
        BrakingG | ImpactG => match u.as_str() {
            "g" | "gs" => Conversion::IDENTITY,
            "m/s^2" | "m/s2" | "m/s²" => c(1.0 / 9.806_65),
            _ => return None,
        },
        PronationDeg => match u.as_str() {
            "deg" | "degrees" | "°" => Conversion::IDENTITY,
            _ => return None,
        },
        FootstrikeType | DeviceActivityCode | FlightMs | DutyFactorPct | StepSpeedLossMps
        | GaitClass => return None,
    })
}

/// Infer a unit from typical values when the header names none. Returns the unit and
/// whether this was a guess worth reporting.
pub fn infer_unit(ch: Channel, median_abs: f64) -> Option<&'static str> {
    use Channel::*;
    Some(match ch {
        GroundContactMs => {
            if median_abs < 2.0 {
                "s"
            } else {
                "ms"
            }
        }
        VerticalOscillationCm => {
            if median_abs < 0.5 {
                "m"
            } else if median_abs < 25.0 {
                "cm"
            } else {
                "mm"
            }
        }
        StepLengthM => {
            if median_abs < 3.0 {
                "m"
            } else if median_abs < 300.0 {
                "cm"
            } else {
                "mm"
            }
        }
        SpeedMps => {
            // Running is 1.5–7 m/s, i.e. 5–25 km/h; above 8 the numbers are km/h.
            if median_abs > 8.0 { "km/h" } else { "m/s" }
        }
        LatitudeDeg | LongitudeDeg => {
            if median_abs > 360.0 {
                "semicircles"
            } else {
                "deg"
            }
        }
        GctBalanceLeftPct | StanceTimePct | VerticalRatioPct => {
            return if median_abs <= 1.0 {
                Some("fraction")
            } else {
                Some("%")
            };
        }
        _ => return None,
    })
}
