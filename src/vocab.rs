//! The project's vocabulary: the closed sets every stage and output shares, so that a
//! mistyped name cannot compile.
//!
//! * [`Channel`]: every per-record quantity, in the unit its name says.
//! * [`GaitActivity`], [`Confidence`]: a step's activity, how far an estimate is trusted.
//! * [`WarningCode`]: the machine-readable code of every warning (`warnings[].code` in JSON).
//! * [`METRICS`]: the one metric table, keyed by [`Channel`]: JSON name, human label, unit,
//!   decimals, plausible range and Garmin's population bands ([`Zone`], [`Band`]). The
//!   metrics stage, the zones, the terminal, the JSON and the PNG pages all read it.

use serde::Serialize;

/// `name()` (the stable snake-case spelling, as serde writes it in JSON) and `Display` for a
/// closed set of values; a test checks the spelling against serde for each set.
macro_rules! named {
    ($t:ident { $($v:ident => $s:literal),+ $(,)? }) => {
        impl $t {
            /// The stable snake-case name (as in JSON).
            pub fn name(self) -> &'static str {
                match self {
                    $($t::$v => $s),+
                }
            }
        }

        impl std::fmt::Display for $t {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.name())
            }
        }
    };
}
pub(crate) use named;

/// One per-record quantity, always in the unit its name says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Channel {
    /// Steps per minute (both feet), i.e. 2 × FIT per-leg cadence.
    CadenceSpm,
    /// Ground-contact (stance) time, ms.
    GroundContactMs,
    /// Stance time as a share of the step, % (FIT `stance_time_percent`).
    StanceTimePct,
    /// Left foot's share of ground-contact time, % (FIT `stance_time_balance`).
    GctBalanceLeftPct,
    /// Vertical oscillation of the torso per step, cm.
    VerticalOscillationCm,
    /// Vertical oscillation / step length, %.
    VerticalRatioPct,
    /// Step length (one footfall to the next), m.
    StepLengthM,
    /// Speed over ground, m/s.
    SpeedMps,
    /// Cumulative distance, m.
    DistanceM,
    /// Altitude above sea level, m.
    AltitudeM,
    /// Heart rate, beats/min.
    HeartRateBpm,
    /// Running power, W.
    PowerW,
    /// Device temperature, °C.
    TemperatureC,
    /// Latitude, degrees.
    LatitudeDeg,
    /// Longitude, degrees.
    LongitudeDeg,
    /// Stryd "Form Power", W.
    FormPowerW,
    /// Stryd "Leg Spring Stiffness", kN/m.
    LegSpringStiffnessKnPerM,
    /// RunScribe braking g (peak deceleration at contact), g.
    BrakingG,
    /// RunScribe impact g, g.
    ImpactG,
    /// RunScribe footstrike type (1 = heel … 15 = toe).
    FootstrikeType,
    /// RunScribe pronation excursion, degrees.
    PronationDeg,
    /// The device's own per-record activity label (FIT `activity_type`: 1 running, 6 walking).
    DeviceActivityCode,
    /// Flight time measured from the signal (toe-off to the next contact), ms.
    FlightMs,
    /// Duty factor: contact time / stride time, % (Morin; the "contact ratio" is 2× this).
    DutyFactorPct,
    /// Speed lost while braking after contact (−∫ a_AP over the braking phase), m/s.
    StepSpeedLossMps,
    /// The signal engine's label of the step: 1 running, 2 walking.
    GaitClass,
}

impl Channel {
    /// Every channel, in a fixed order (the order of the storage array).
    pub const ALL: [Channel; 26] = [
        Channel::CadenceSpm,
        Channel::GroundContactMs,
        Channel::StanceTimePct,
        Channel::GctBalanceLeftPct,
        Channel::VerticalOscillationCm,
        Channel::VerticalRatioPct,
        Channel::StepLengthM,
        Channel::SpeedMps,
        Channel::DistanceM,
        Channel::AltitudeM,
        Channel::HeartRateBpm,
        Channel::PowerW,
        Channel::TemperatureC,
        Channel::LatitudeDeg,
        Channel::LongitudeDeg,
        Channel::FormPowerW,
        Channel::LegSpringStiffnessKnPerM,
        Channel::BrakingG,
        Channel::ImpactG,
        Channel::FootstrikeType,
        Channel::PronationDeg,
        Channel::DeviceActivityCode,
        Channel::FlightMs,
        Channel::DutyFactorPct,
        Channel::StepSpeedLossMps,
        Channel::GaitClass,
    ];
    /// Number of channels.
    pub const COUNT: usize = Self::ALL.len();

    /// Stable snake-case name, used in JSON and in `--map`.
    pub const fn name(self) -> &'static str {
        match self {
            Channel::CadenceSpm => "cadence_spm",
            Channel::GroundContactMs => "ground_contact_ms",
            Channel::StanceTimePct => "stance_time_pct",
            Channel::GctBalanceLeftPct => "gct_balance_left_pct",
            Channel::VerticalOscillationCm => "vertical_oscillation_cm",
            Channel::VerticalRatioPct => "vertical_ratio_pct",
            Channel::StepLengthM => "step_length_m",
            Channel::SpeedMps => "speed_mps",
            Channel::DistanceM => "distance_m",
            Channel::AltitudeM => "altitude_m",
            Channel::HeartRateBpm => "heart_rate_bpm",
            Channel::PowerW => "power_w",
            Channel::TemperatureC => "temperature_c",
            Channel::LatitudeDeg => "latitude_deg",
            Channel::LongitudeDeg => "longitude_deg",
            Channel::FormPowerW => "form_power_w",
            Channel::LegSpringStiffnessKnPerM => "leg_spring_stiffness_kn_per_m",
            Channel::BrakingG => "braking_g",
            Channel::ImpactG => "impact_g",
            Channel::FootstrikeType => "footstrike_type",
            Channel::PronationDeg => "pronation_deg",
            Channel::DeviceActivityCode => "device_activity_code",
            Channel::FlightMs => "flight_ms",
            Channel::DutyFactorPct => "duty_factor_pct",
            Channel::StepSpeedLossMps => "step_speed_loss_mps",
            Channel::GaitClass => "gait_class",
        }
    }

    /// Parse a stable name back (for `--map`).
    pub fn from_name(name: &str) -> Option<Channel> {
        Self::ALL.iter().copied().find(|c| c.name() == name)
    }

    /// Index in the storage array.
    pub fn index(self) -> usize {
        self as usize
    }
}

/// Whether a step or a bout is running or walking.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum GaitActivity {
    /// Running: a flight phase between contacts (the default of an empty step record).
    #[default]
    Running,
    /// Walking: always a foot on the ground.
    Walking,
}

named!(GaitActivity { Running => "running", Walking => "walking" });

/// How far an estimate can be trusted, from what was measured about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Confidence {
    /// Weak: a model, a guess, or too little data.
    Low,
    /// Usable with care.
    Moderate,
    /// Well supported.
    High,
}

named!(Confidence { Low => "low", Moderate => "moderate", High => "high" });

/// How far one reported metric can be trusted, and what lowered it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MetricConfidence {
    /// The level.
    pub level: Confidence,
    /// The evidence that lowered it from `high` (empty when high).
    pub reasons: Vec<String>,
}

impl MetricConfidence {
    /// Weight of a metric of confidence `c` in the risk score: all at `high` (or when not
    /// stated), half at `moderate`, none at `low` (a value the engine itself doubts adds
    /// no risk). Never larger for a lower confidence.
    pub fn risk_weight(c: Option<Confidence>) -> f64 {
        match c {
            None | Some(Confidence::High) => 1.0,
            Some(Confidence::Moderate) => 0.5,
            Some(Confidence::Low) => 0.0,
        }
    }
}

/// One summarised metric: everything an output needs to name, print, check and colour it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MetricDef {
    /// The per-record channel it summarises; its [`Channel::name`] is the JSON name.
    pub channel: Channel,
    /// Human label (`"ground contact"`).
    pub label: &'static str,
    /// Unit as printed (`"ms"`).
    pub unit: &'static str,
    /// Decimals when printed.
    pub decimals: usize,
    /// Plausible range, inclusive; values outside are sensor glitches and are excluded.
    pub plausible: (f64, f64),
    /// Whether an exact 0 is a real value (a temperature, a flight time, sea level) rather
    /// than a device's "no value".
    pub zero_is_a_value: bool,
    /// Garmin's population bands, for the metrics that have them.
    pub bands: Option<&'static [Band]>,
}

impl MetricDef {
    /// The JSON name (`ground_contact_ms`).
    pub fn name(&self) -> &'static str {
        self.channel.name()
    }

    /// True when `v` is finite, inside the plausible range, and not a device's 0 for "no
    /// value".
    pub fn is_plausible(&self, v: f64) -> bool {
        let (lo, hi) = self.plausible;
        v.is_finite() && v >= lo && v <= hi && (v != 0.0 || self.zero_is_a_value)
    }

    /// Garmin's band of `v`, for the metrics that have bands.
    pub fn zone(&self, v: f64) -> Option<Zone> {
        if !v.is_finite() {
            return None;
        }
        self.bands?
            .iter()
            .find(|b| v >= b.lo && v < b.hi)
            .map(|b| b.zone)
    }
}

/// The metric of a JSON name.
pub fn metric_by_name(name: &str) -> Option<&'static MetricDef> {
    METRICS.iter().find(|m| m.name() == name)
}

/// The metric of a channel, for the channels that are summarised as metrics.
pub fn metric(channel: Channel) -> Option<&'static MetricDef> {
    METRICS.iter().find(|m| m.channel == channel)
}

/// Garmin's colour band of a metric value (Garmin Forerunner/fenix owner's manuals,
/// "Running Dynamics" colour gauges, from Garmin's data of many runners). A band says where a
/// value sits among runners, not a target or a risk by itself.
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

/// One population band of a metric: values in `[lo, hi)` (unbounded ends as ±∞).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Band {
    /// Lower edge.
    pub lo: f64,
    /// Upper edge.
    pub hi: f64,
    /// Garmin's colour name for it.
    pub zone: Zone,
}

const fn band(lo: f64, hi: f64, zone: Zone) -> Band {
    Band { lo, hi, zone }
}

const INF: f64 = f64::INFINITY;

// Garmin publishes the bands in whole units of the last printed digit (cadence: red < 153,
// orange 153–163, green 164–173, blue 174–183, purple > 183 spm); a value belongs to the band
// its printed (rounded) value falls in, so the edges sit half a unit of that digit away.
/// Cadence: red < 153, orange 153–163, green 164–173, blue 174–183, purple > 183 spm.
const CADENCE_BANDS: [Band; 5] = [
    band(-INF, 152.5, Zone::Red),
    band(152.5, 163.5, Zone::Orange),
    band(163.5, 173.5, Zone::Green),
    band(173.5, 183.5, Zone::Blue),
    band(183.5, INF, Zone::Purple),
];
/// Ground contact: purple < 218, blue 218–248, green 249–277, orange 278–308, red > 308 ms.
const GCT_BANDS: [Band; 5] = [
    band(-INF, 217.5, Zone::Purple),
    band(217.5, 248.5, Zone::Blue),
    band(248.5, 277.5, Zone::Green),
    band(277.5, 308.5, Zone::Orange),
    band(308.5, INF, Zone::Red),
];
/// Vertical oscillation: purple < 6.4, blue 6.4–8.1, green 8.2–9.7, orange 9.8–11.5,
/// red > 11.5 cm.
const VO_BANDS: [Band; 5] = [
    band(-INF, 6.35, Zone::Purple),
    band(6.35, 8.15, Zone::Blue),
    band(8.15, 9.75, Zone::Green),
    band(9.75, 11.55, Zone::Orange),
    band(11.55, INF, Zone::Red),
];
/// Vertical ratio: purple < 6.1, blue 6.1–7.4, green 7.5–8.6, orange 8.7–10.1, red > 10.1 %.
const VR_BANDS: [Band; 5] = [
    band(-INF, 6.05, Zone::Purple),
    band(6.05, 7.45, Zone::Blue),
    band(7.45, 8.65, Zone::Green),
    band(8.65, 10.15, Zone::Orange),
    band(10.15, INF, Zone::Red),
];
/// GCT balance: green within 50.7 % either way, orange to 52.2 %, red beyond.
const BALANCE_BANDS: [Band; 5] = [
    band(-INF, 47.75, Zone::Red),
    band(47.75, 49.25, Zone::Orange),
    band(49.25, 50.75, Zone::Green),
    band(50.75, 52.25, Zone::Orange),
    band(52.25, INF, Zone::Red),
];

const fn def(
    channel: Channel,
    label: &'static str,
    unit: &'static str,
    decimals: usize,
    plausible: (f64, f64),
) -> MetricDef {
    MetricDef {
        channel,
        label,
        unit,
        decimals,
        plausible,
        zero_is_a_value: false,
        bands: None,
    }
}

const fn with_bands(mut d: MetricDef, bands: &'static [Band]) -> MetricDef {
    d.bands = Some(bands);
    d
}

const fn zero_valid(mut d: MetricDef) -> MetricDef {
    d.zero_is_a_value = true;
    d
}

/// The metric table: the core metrics every session result names (null when the data cannot
/// give them) in their order, then the extras reported only when a file has them (signal
/// engine, Stryd, RunScribe), then altitude (drawn, not summarised).
pub const METRICS: [MetricDef; 20] = [
    with_bands(
        def(Channel::CadenceSpm, "cadence", "spm", 0, (60.0, 260.0)),
        &CADENCE_BANDS,
    ),
    with_bands(
        def(
            Channel::GroundContactMs,
            "ground contact",
            "ms",
            0,
            (80.0, 1200.0),
        ),
        &GCT_BANDS,
    ),
    zero_valid(def(Channel::FlightMs, "flight time", "ms", 0, (0.0, 400.0))),
    with_bands(
        def(
            Channel::VerticalOscillationCm,
            "vertical oscillation",
            "cm",
            1,
            (1.0, 30.0),
        ),
        &VO_BANDS,
    ),
    with_bands(
        def(
            Channel::VerticalRatioPct,
            "vertical ratio",
            "%",
            1,
            (1.0, 30.0),
        ),
        &VR_BANDS,
    ),
    def(Channel::StepLengthM, "step length", "m", 2, (0.2, 3.0)),
    with_bands(
        def(
            Channel::GctBalanceLeftPct,
            "GCT balance (left)",
            "%",
            1,
            (30.0, 70.0),
        ),
        &BALANCE_BANDS,
    ),
    def(Channel::SpeedMps, "speed", "m/s", 2, (0.0, 12.0)),
    def(Channel::HeartRateBpm, "heart rate", "bpm", 0, (30.0, 240.0)),
    def(Channel::PowerW, "power", "W", 0, (1.0, 2500.0)),
    zero_valid(def(
        Channel::TemperatureC,
        "temperature",
        "°C",
        1,
        (-40.0, 60.0),
    )),
    def(Channel::DutyFactorPct, "duty factor", "%", 1, (5.0, 70.0)),
    def(
        Channel::StepSpeedLossMps,
        "step speed loss",
        "m/s",
        2,
        (0.0, 3.0),
    ),
    def(Channel::FormPowerW, "form power", "W", 0, (1.0, 1000.0)),
    def(
        Channel::LegSpringStiffnessKnPerM,
        "leg spring stiffness",
        "kN/m",
        1,
        (1.0, 50.0),
    ),
    def(Channel::BrakingG, "braking", "g", 2, (0.0, 20.0)),
    def(Channel::ImpactG, "impact", "g", 2, (0.0, 20.0)),
    def(
        Channel::FootstrikeType,
        "footstrike type",
        "1–15",
        1,
        (1.0, 15.0),
    ),
    def(Channel::PronationDeg, "pronation", "°", 1, (-40.0, 40.0)),
    zero_valid(def(
        Channel::AltitudeM,
        "elevation",
        "m",
        0,
        (-500.0, 9000.0),
    )),
];

/// The core metrics: the first eleven rows of [`METRICS`].
pub const CORE_METRIC_COUNT: usize = 11;

/// The extra metrics: the rows after the core ones, up to altitude.
pub const EXTRA_METRIC_COUNT: usize = 8;

/// The core metrics every session result names.
pub fn core_metrics() -> &'static [MetricDef] {
    &METRICS[..CORE_METRIC_COUNT]
}

/// The extra metrics reported only when a file has them.
pub fn extra_metrics() -> &'static [MetricDef] {
    &METRICS[CORE_METRIC_COUNT..CORE_METRIC_COUNT + EXTRA_METRIC_COUNT]
}

/// The code of a [`crate::recording::Warning`]: stable snake-case names in JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum WarningCode {
    /// The sensor placement was guessed with low confidence.
    PlacementUncertain,
    /// The sampling rate is too low for some metrics (they are withheld).
    LowSampleRate,
    /// Samples at the sensor's range limit (impacts clipped).
    Clipping,
    /// Jittery or non-monotonic time stamps: the signal was resampled to a uniform grid.
    Resampled,
    /// Gaps in a raw signal's samples split it into segments.
    SampleGaps,
    /// Gaps between a watch file's records (pauses, auto-pause, clock jumps) excluded from running time.
    RecordGaps,
    /// An acceleration axis never changes (a dead or missing channel).
    ConstantAxis,
    /// Left and right feet could not be told apart reliably.
    SidesUncertain,
    /// Spectral and step-count cadences disagree.
    CadenceDisagreement,
    /// Integrated and spring-mass vertical oscillation disagree.
    VoModelDisagreement,
    /// No steps were detected in the signal.
    NoSteps,
    /// Sessions of other sports in the file were not analysed.
    SessionsSkipped,
    /// Values outside a metric's plausible range were left out.
    ImplausibleValues,
    /// A metric the file does not hold.
    NotInFile,
    /// The recording is mostly walking.
    Walking,
    /// Walk breaks were excluded from the running metrics.
    WalkBreaks,
    /// The running portion is short for drift and warm-up comparisons.
    Short,
    /// Temperature is the device's own sensor (warmed by the body), not the air.
    TemperatureSource,
    /// A block session's start came from the file name or modification time.
    StartTimeGuessed,
    /// A block session's local time zone is unknown (UTC or --utc-offset used).
    TimeZoneUnknown,
    /// A block holds no running session.
    NoRuns,
    /// Cadence in strides/min was doubled to steps/min.
    CadenceUnits,
    /// Cadence switched between strides/min and steps/min; corrected record by record.
    CadenceMixedUnits,
    /// Zone-less time stamps were read as UTC.
    TimeZoneAssumed,
    /// A per-record CSV has no time column (records taken as one second apart).
    NoTimeColumn,
    /// A column's unit text is not recognised (the default unit was used).
    UnknownUnit,
    /// A column's unit was inferred from its values.
    UnitsInferred,
    /// Time stamps step backwards.
    TimeBackwards,
    /// Records without a time stamp were skipped.
    NoTimestamp,
    /// A FIT file holds several chained FIT files.
    ChainedFit,
    /// Bytes after the last FIT file were ignored.
    TrailingBytes,
    /// The file's clock is relative (no absolute start time).
    RelativeTime,
    /// FIT developer fields were read (or ignored when unknown).
    DeveloperFields,
    /// An acceleration axis column is missing.
    AccAxisMissing,
    /// The gyroscope has fewer than three axes (ignored).
    GyroIncomplete,
    /// The unit of a numeric time column was inferred from its values.
    TimeUnitsInferred,
    /// The time column is empty (the sample rate is used instead).
    TimeColumnEmpty,
    /// A raw file without a header row (columns taken in the documented order).
    NoHeader,
    /// The accelerometer unit was inferred from the values.
    AccelUnitsInferred,
    /// The acceleration excludes gravity (linear acceleration).
    GravityRemoved,
    /// The gyroscope unit was assumed.
    GyroUnitsAssumed,
    /// A file holds several activities; one was analysed (TCX).
    MultipleActivities,
    /// The file declares a sport other than running.
    SportDeclared,
    /// Speed (and maybe distance) were derived from the file's distance or GPS positions.
    SpeedDerived,
    /// A time outside what a recording can plausibly hold (a date before 1990 or in the
    /// future, records far from the rest): left out, the field named.
    ImplausibleTime,
    /// The `--sample-rate` given puts the signal's rhythm outside walking and running.
    SampleRateImplausible,
    /// A bout of free-living wear could not be analysed (the reason is named).
    BoutNotAnalysed,
    /// A running bout reached the most samples analysed at once and goes on as a new piece.
    BoutSplit,
}

impl WarningCode {
    /// The stable snake-case name (as in JSON).
    pub fn name(self) -> &'static str {
        match self {
            WarningCode::PlacementUncertain => "placement_uncertain",
            WarningCode::LowSampleRate => "low_sample_rate",
            WarningCode::Clipping => "clipping",
            WarningCode::Resampled => "resampled",
            WarningCode::SampleGaps => "sample_gaps",
            WarningCode::RecordGaps => "record_gaps",
            WarningCode::ConstantAxis => "constant_axis",
            WarningCode::SidesUncertain => "sides_uncertain",
            WarningCode::CadenceDisagreement => "cadence_disagreement",
            WarningCode::VoModelDisagreement => "vo_model_disagreement",
            WarningCode::NoSteps => "no_steps",
            WarningCode::SessionsSkipped => "sessions_skipped",
            WarningCode::ImplausibleValues => "implausible_values",
            WarningCode::NotInFile => "not_in_file",
            WarningCode::Walking => "walking",
            WarningCode::WalkBreaks => "walk_breaks",
            WarningCode::Short => "short",
            WarningCode::TemperatureSource => "temperature_source",
            WarningCode::StartTimeGuessed => "start_time_guessed",
            WarningCode::TimeZoneUnknown => "time_zone_unknown",
            WarningCode::NoRuns => "no_runs",
            WarningCode::CadenceUnits => "cadence_units",
            WarningCode::CadenceMixedUnits => "cadence_mixed_units",
            WarningCode::TimeZoneAssumed => "time_zone_assumed",
            WarningCode::NoTimeColumn => "no_time_column",
            WarningCode::UnknownUnit => "unknown_unit",
            WarningCode::UnitsInferred => "units_inferred",
            WarningCode::TimeBackwards => "time_backwards",
            WarningCode::NoTimestamp => "no_timestamp",
            WarningCode::ChainedFit => "chained_fit",
            WarningCode::TrailingBytes => "trailing_bytes",
            WarningCode::RelativeTime => "relative_time",
            WarningCode::DeveloperFields => "developer_fields",
            WarningCode::AccAxisMissing => "acc_axis_missing",
            WarningCode::GyroIncomplete => "gyro_incomplete",
            WarningCode::TimeUnitsInferred => "time_units_inferred",
            WarningCode::TimeColumnEmpty => "time_column_empty",
            WarningCode::NoHeader => "no_header",
            WarningCode::AccelUnitsInferred => "accel_units_inferred",
            WarningCode::GravityRemoved => "gravity_removed",
            WarningCode::GyroUnitsAssumed => "gyro_units_assumed",
            WarningCode::MultipleActivities => "multiple_activities",
            WarningCode::SportDeclared => "sport_declared",
            WarningCode::SpeedDerived => "speed_derived",
            WarningCode::ImplausibleTime => "implausible_time",
            WarningCode::SampleRateImplausible => "sample_rate_implausible",
            WarningCode::BoutNotAnalysed => "bout_not_analysed",
            WarningCode::BoutSplit => "bout_split",
        }
    }
}

impl std::fmt::Display for WarningCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bands_follow_the_published_integers() {
        let z = |name: &str, v: f64| metric_by_name(name).unwrap().zone(v);
        assert_eq!(z("cadence_spm", 152.6), Some(Zone::Orange)); // prints as 153
        assert_eq!(z("cadence_spm", 152.4), Some(Zone::Red));
        assert_eq!(z("cadence_spm", 173.0), Some(Zone::Green));
        assert_eq!(z("cadence_spm", 184.0), Some(Zone::Purple));
        assert_eq!(z("ground_contact_ms", 309.0), Some(Zone::Red));
        assert_eq!(z("ground_contact_ms", 278.0), Some(Zone::Orange));
        assert_eq!(z("ground_contact_ms", 217.0), Some(Zone::Purple));
        assert_eq!(z("vertical_oscillation_cm", 9.7), Some(Zone::Green));
        assert_eq!(z("vertical_oscillation_cm", 6.3), Some(Zone::Purple));
        assert_eq!(z("vertical_ratio_pct", 10.2), Some(Zone::Red));
        assert_eq!(z("gct_balance_left_pct", 49.3), Some(Zone::Green));
        assert_eq!(z("gct_balance_left_pct", 52.2), Some(Zone::Orange));
        assert_eq!(z("gct_balance_left_pct", 47.7), Some(Zone::Red));
        assert_eq!(z("speed_mps", 3.0), None);
        assert_eq!(z("cadence_spm", f64::NAN), None);
    }

    #[test]
    fn bands_tile_the_line_and_names_are_unique() {
        for m in &METRICS {
            if let Some(bs) = m.bands {
                assert_eq!(bs[0].lo, f64::NEG_INFINITY, "{}", m.name());
                assert_eq!(bs[bs.len() - 1].hi, f64::INFINITY, "{}", m.name());
                for w in bs.windows(2) {
                    assert_eq!(w[0].hi, w[1].lo, "{}", m.name());
                }
            }
            assert_eq!(METRICS.iter().filter(|o| o.channel == m.channel).count(), 1);
            assert!(m.plausible.0 < m.plausible.1);
        }
        assert_eq!(core_metrics()[0].name(), "cadence_spm");
        assert_eq!(
            core_metrics()[CORE_METRIC_COUNT - 1].name(),
            "temperature_c"
        );
        assert_eq!(extra_metrics().len(), EXTRA_METRIC_COUNT);
    }

    #[test]
    fn zeros_are_values_only_where_zero_is_real() {
        let p = |name: &str, v: f64| metric_by_name(name).unwrap().is_plausible(v);
        assert!(!p("speed_mps", 0.0) && p("speed_mps", 0.5));
        assert!(p("temperature_c", 0.0) && p("flight_ms", 0.0) && p("altitude_m", 0.0));
        assert!(!p("cadence_spm", 59.0) && p("cadence_spm", 170.0) && !p("cadence_spm", f64::NAN));
    }

    #[test]
    fn closed_sets_print_as_serde_writes_them() {
        fn check<T: Serialize + std::fmt::Display>(v: T) {
            assert_eq!(serde_json::to_string(&v).unwrap(), format!("\"{v}\""));
        }
        check(GaitActivity::Walking);
        check(Confidence::Moderate);
        check(crate::gait::PlacementDecision::Override);
        check(crate::signal::orient::VerticalFrom::PrincipalAxis);
        check(crate::risk::FactorKind::Modifier);
        check(crate::block::IntensityBasis::HeartRate);
        check(crate::block::UsualCadenceSource::Learned);
    }

    #[test]
    fn json_names_are_the_snake_case_names() {
        for c in [
            WarningCode::CadenceUnits,
            WarningCode::SampleGaps,
            WarningCode::VoModelDisagreement,
        ] {
            assert_eq!(
                serde_json::to_string(&c).unwrap(),
                format!("\"{}\"", c.name())
            );
        }
    }
}
