//! The project's vocabulary: the closed sets every stage and output shares, so that a
//! mistyped name cannot compile.
//!
//! * [`WarningCode`]: the machine-readable code of every warning (`warnings[].code` in JSON).

use serde::Serialize;

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
