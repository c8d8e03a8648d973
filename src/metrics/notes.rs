//! What the metrics stage tells the reader besides the numbers: sessions left out, values
//! excluded, metrics missing, which portion was described, pauses, a short run, and where
//! the temperature comes from.

use super::activity::Activity;
use super::{AnalysedSession, MetricSummary};
use crate::recording::{Recording, Warning};
use crate::vocab::Channel;
use crate::vocab::WarningCode;
use std::collections::BTreeMap;

/// `sessions_skipped` when some of the file's sessions (`skipped`, by sport) were not
/// analysed.
pub(super) fn skipped_sessions(
    rec: &Recording,
    analysed: &[AnalysedSession],
    skipped: &[String],
) -> Option<Warning> {
    if skipped.is_empty() {
        return None;
    }
    let sports: Vec<&str> = analysed.iter().map(|x| x.sport.as_str()).collect();
    Some(Warning::new(
        WarningCode::SessionsSkipped,
        format!(
            "analysed {} of {} sessions ({}); not analysed: {}",
            analysed.len(),
            rec.sessions.len(),
            sports.join(", "),
            skipped.join(", ")
        ),
    ))
}

/// `implausible_values`, one per metric with excluded values (metric, count).
pub(super) fn implausible(excluded: &[(&str, usize)]) -> Vec<Warning> {
    excluded
        .iter()
        .map(|(metric, bad)| {
            Warning::new(
                WarningCode::ImplausibleValues,
                format!("{bad} {metric} values outside the plausible range were excluded"),
            )
        })
        .collect()
}

/// `not_in_file`: the headline metrics without a summary, with a hint on where running
/// dynamics come from when contact time is among them.
pub(super) fn not_in_file(
    metrics: &BTreeMap<&'static str, Option<MetricSummary>>,
) -> Option<Warning> {
    let missing: Vec<&str> = [
        (Channel::CadenceSpm.name(), "cadence"),
        (Channel::GroundContactMs.name(), "ground contact time"),
        (
            Channel::VerticalOscillationCm.name(),
            "vertical oscillation",
        ),
        (Channel::GctBalanceLeftPct.name(), "GCT balance"),
        (Channel::HeartRateBpm.name(), "heart rate"),
        (Channel::SpeedMps.name(), "speed"),
    ]
    .iter()
    .filter(|(m, _)| metrics.get(m).is_none_or(|x| x.is_none()))
    .map(|(_, label)| *label)
    .collect();
    if missing.is_empty() {
        return None;
    }
    let hint = if missing.contains(&"ground contact time") {
        " (ground contact and oscillation need a chest strap, a running-dynamics pod or a footpod)"
    } else {
        ""
    };
    Some(Warning::new(
        WarningCode::NotInFile,
        format!("not in this file: {}{hint}", missing.join(", ")),
    ))
}

/// `walking` when the metrics describe a walk, else `walk_breaks` when running and walking
/// mixed (times in s).
pub(super) fn portion(
    metrics_from: Activity,
    overall: Activity,
    running_s: f64,
    walking_s: f64,
) -> Option<Warning> {
    if metrics_from == Activity::Walking {
        Some(Warning::new(
            WarningCode::Walking,
            "this is a walk, not a run: the metrics describe walking, and running zones do not apply",
        ))
    } else if overall == Activity::Mixed {
        Some(Warning::new(
            WarningCode::WalkBreaks,
            format!(
                "running and walking mixed: metrics describe the {:.0} min of running; {:.0} min of walking excluded",
                running_s / 60.0,
                walking_s / 60.0
            ),
        ))
    } else {
        None
    }
}

/// `gaps` for more than a minute of pauses, `short` for less than 2 minutes of running
/// (times in s).
pub(super) fn pauses_and_length(paused_s: f64, running_s: f64) -> Vec<Warning> {
    let mut warnings = Vec::new();
    if paused_s > 60.0 {
        warnings.push(Warning::new(
            WarningCode::RecordGaps,
            format!(
                "{paused_s:.0} s of gaps between records (pauses, auto-pause or clock jumps) excluded from running time"
            ),
        ));
    }
    if running_s > 0.0 && running_s < 120.0 {
        warnings.push(Warning::new(
            WarningCode::Short,
            format!("only {running_s:.0} s of running: averages are uncertain"),
        ));
    }
    warnings
}

/// `temperature_source` when a temperature above 0 °C was read: it is the device's own.
pub(super) fn temperature_source(
    metrics: &BTreeMap<&'static str, Option<MetricSummary>>,
) -> Option<Warning> {
    let t = metrics
        .get(Channel::TemperatureC.name())
        .copied()
        .flatten()?;
    (t.mean > 0.0).then(|| {
        Warning::new(
            WarningCode::TemperatureSource,
            "temperature is the device's own sensor: on the wrist it reads body heat, not the air",
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_headline_metrics_are_named_with_the_hint_for_running_dynamics() {
        let mut m = BTreeMap::new();
        for k in super::super::CORE_METRICS {
            m.insert(k, None);
        }
        let w = not_in_file(&m).unwrap();
        assert_eq!(
            w.message,
            "not in this file: cadence, ground contact time, vertical oscillation, GCT balance, heart rate, speed (ground contact and oscillation need a chest strap, a running-dynamics pod or a footpod)"
        );
    }

    #[test]
    fn pauses_over_a_minute_and_runs_under_two_are_said() {
        let codes = |w: Vec<Warning>| w.iter().map(|w| w.code).collect::<Vec<_>>();
        assert_eq!(
            codes(pauses_and_length(61.0, 90.0)),
            [WarningCode::RecordGaps, WarningCode::Short]
        );
        assert!(pauses_and_length(60.0, 120.0).is_empty());
        assert!(pauses_and_length(0.0, 0.0).is_empty());
    }

    #[test]
    fn a_walk_is_said_before_a_mix() {
        let w = portion(Activity::Walking, Activity::Mixed, 0.0, 600.0).unwrap();
        assert_eq!(w.code, WarningCode::Walking);
        let w = portion(Activity::Running, Activity::Mixed, 1800.0, 300.0).unwrap();
        assert_eq!(
            w.message,
            "running and walking mixed: metrics describe the 30 min of running; 5 min of walking excluded"
        );
        assert!(portion(Activity::Running, Activity::Running, 1800.0, 0.0).is_none());
    }
}
