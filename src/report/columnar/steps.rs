//! `analyze --steps FILE.parquet`: one row per detected step, schema [`SCHEMA`].
//!
//! The same steps and values as the per-step CSV ([`crate::report::steps_csv`]), unrounded,
//! with what a table of many recordings needs besides: the step's absolute time when the
//! file has a clock, the activity bout it belongs to (an index into the session JSON's
//! `raw.bouts`), and the engine's confidence in each graded metric.
//!
//! The confidence columns hold the recording's grade of that metric (`high`, `moderate`,
//! `low`; see [`crate::gait`]'s confidence rules: placement certainty, number of steps,
//! spectral agreement, sampling rate, integrated-versus-model oscillation, side votes). The
//! engine grades a metric from the evidence of the whole recording, not step by step, so the
//! value is the same on every step of one file: it is there so that a table pooling many
//! recordings can be filtered by it. Null when the metric was withheld.

use super::{Null, Table, TableBuilder};
use crate::gait::{Bout, RawReport, Side, Step};
use crate::vocab::{Channel, MetricConfidence};
use parquet::errors::ParquetError;
use std::collections::BTreeMap;

/// Name and version of the schema.
pub const SCHEMA: &str = "gaitguard.steps/1";
/// The schema of the steps of free-living wear: a `session` column (the run's index in the
/// `gaitguard.wear/1` document's `sessions`), then the columns of [`SCHEMA`], `time_s`
/// counted from the recording's first sample and `bout` within the run's session.
pub const WEAR_SCHEMA: &str = "gaitguard.wear_steps/1";

/// The per-step metrics: column name, meaning, and the value of a step.
type StepValue = fn(&Step) -> Option<f64>;
const METRICS: [(&str, &str, StepValue); 12] = [
    (
        "step_time_ms",
        "initial contact to the next initial contact, ms",
        |s| s.step_time_ms,
    ),
    (
        "cadence_spm",
        "60 000 / step time, steps/min (both feet)",
        |s| s.cadence_spm,
    ),
    (
        "ground_contact_ms",
        "toe-off minus initial contact, ms",
        |s| s.ground_contact_ms,
    ),
    ("flight_ms", "next initial contact minus toe-off, ms", |s| {
        s.flight_ms
    }),
    (
        "duty_factor_pct",
        "contact time / stride time (two steps) × 100, %",
        |s| s.duty_factor_pct,
    ),
    (
        "vertical_oscillation_cm",
        "vertical displacement of the trunk over the step (double integration), cm",
        |s| s.vertical_oscillation_cm,
    ),
    (
        "vo_spring_mass_cm",
        "vertical oscillation of the spring-mass model for this step's contact and flight (Morin 2005), cm",
        |s| s.vo_spring_mass_cm,
    ),
    (
        "step_length_m",
        "speed × step time, m (with `--speed-mps`)",
        |s| s.step_length_m,
    ),
    (
        "vertical_ratio_pct",
        "vertical oscillation / step length × 100, %",
        |s| s.vertical_ratio_pct,
    ),
    (
        "braking_g",
        "peak fore-aft deceleration after contact, g",
        |s| s.braking_g,
    ),
    (
        "step_speed_loss_mps",
        "speed lost while braking, m/s",
        |s| s.step_speed_loss_mps,
    ),
    (
        "peak_vertical_g",
        "peak vertical specific force of the stance, g",
        |s| s.peak_vertical_g,
    ),
];

/// The graded metrics: confidence column and the metric whose grade it holds.
const CONFIDENCE: [(&str, Channel); 8] = [
    ("cadence_confidence", Channel::CadenceSpm),
    ("ground_contact_confidence", Channel::GroundContactMs),
    ("flight_confidence", Channel::FlightMs),
    ("duty_factor_confidence", Channel::DutyFactorPct),
    (
        "vertical_oscillation_confidence",
        Channel::VerticalOscillationCm,
    ),
    ("vertical_ratio_confidence", Channel::VerticalRatioPct),
    ("braking_confidence", Channel::BrakingG),
    ("step_speed_loss_confidence", Channel::StepSpeedLossMps),
];

/// What the steps table needs besides the steps.
#[derive(Debug, Clone, Copy)]
pub struct StepsContext<'a> {
    /// The activity bouts of the steps, in order (the engine's `raw.bouts`).
    pub bouts: &'a [Bout],
    /// The engine's confidence per metric (`raw.confidence`).
    pub confidence: &'a BTreeMap<&'static str, MetricConfidence>,
    /// Unix s of the recording's `time_s = 0`, when the file has a clock.
    pub start_unix_s: Option<f64>,
}

impl<'a> StepsContext<'a> {
    /// The context of an analysis: its report and its recording's clock.
    pub fn of(report: &'a RawReport, start_unix_s: Option<f64>) -> Self {
        StepsContext {
            bouts: &report.bouts,
            confidence: &report.confidence,
            start_unix_s,
        }
    }
}

/// The schema with no rows: its documented columns (the README's table).
///
/// # Errors
/// None expected: an empty table always matches its declaration.
pub fn schema_doc() -> Result<Table, ParquetError> {
    let none = BTreeMap::new();
    let ctx = StepsContext {
        bouts: &[],
        confidence: &none,
        start_unix_s: None,
    };
    table(&[], &ctx)
}

/// The index of each step's bout: the bouts are consecutive runs of the time-ordered steps,
/// each holding `steps` of them ([`crate::gait`] groups them so).
///
/// # Errors
/// [`ParquetError::General`] when the bouts do not hold exactly the steps (a programming
/// error: the report and the steps come from one analysis).
fn bout_of_each(bouts: &[Bout], steps: usize) -> Result<Vec<i32>, ParquetError> {
    let mut out = Vec::with_capacity(steps);
    for (i, b) in bouts.iter().enumerate() {
        let i = i32::try_from(i).map_err(|_| ParquetError::General("too many bouts".into()))?;
        out.extend(std::iter::repeat_n(i, b.steps));
    }
    if out.len() != steps {
        return Err(ParquetError::General(format!(
            "the bouts hold {} steps, the analysis {steps}",
            out.len()
        )));
    }
    Ok(out)
}

/// The steps table.
///
/// # Errors
/// [`ParquetError`] when the report's bouts do not match the steps (not expected).
pub fn table(steps: &[Step], ctx: &StepsContext<'_>) -> Result<Table, ParquetError> {
    let mut t = TableBuilder::default();
    columns(&mut t, steps, ctx, 0.0)?;
    t.finish(SCHEMA)
}

/// The Parquet bytes of a raw analysis's steps table, the input's path in the footer.
///
/// # Errors
/// As [`table`].
pub fn parquet(a: &crate::gait::RawAnalysis, input: &str) -> Result<Vec<u8>, ParquetError> {
    let ctx = StepsContext::of(&a.report, a.recording.start_unix_s);
    table(&a.steps, &ctx)?.to_parquet(&[("gaitguard.file", input)])
}

/// The steps of every run of free-living wear ([`WEAR_SCHEMA`]): one batch per run (its
/// own confidence), times from the recording's first sample.
///
/// # Errors
/// As [`table`].
pub fn wear_tables(w: &crate::wear::WearResult) -> Result<Vec<Table>, ParquetError> {
    let start = w.meta.origin_unix_s.map(|o| o + w.first_s);
    let none = BTreeMap::new();
    let empty = StepsContext {
        bouts: &[],
        confidence: &none,
        start_unix_s: start,
    };
    let mut out = Vec::new();
    for (k, run) in w.runs.iter().enumerate() {
        let crate::pipeline::Detail::Raw(a) = &run.analysed.detail else {
            continue;
        };
        let ctx = StepsContext {
            start_unix_s: start,
            ..StepsContext::of(&a.report, start)
        };
        let session =
            i32::try_from(k).map_err(|_| ParquetError::General("too many runs".into()))?;
        out.push(wear_table(&a.steps, &ctx, session, run.offset_s)?);
    }
    if out.is_empty() {
        out.push(wear_table(&[], &empty, 0, 0.0)?);
    }
    Ok(out)
}

/// The schema of a block's steps (`block --steps`): a `file` column (the session's `file` in
/// the block JSON), then the columns of [`SCHEMA`].
pub const BLOCK_SCHEMA: &str = "gaitguard.block_steps/1";

/// The steps of every raw session of a block ([`BLOCK_SCHEMA`]), one batch per session, as
/// Parquet bytes.
///
/// # Errors
/// As [`table`].
pub fn block_parquet(sessions: &[crate::block::SessionSteps]) -> Result<Vec<u8>, ParquetError> {
    let none = BTreeMap::new();
    let mut tables = Vec::with_capacity(sessions.len().max(1));
    for s in sessions {
        let ctx = StepsContext {
            bouts: &s.bouts,
            confidence: &s.confidence,
            start_unix_s: s.start_unix_s,
        };
        tables.push(block_table(&s.steps, &ctx, &s.file)?);
    }
    if tables.is_empty() {
        let ctx = StepsContext {
            bouts: &[],
            confidence: &none,
            start_unix_s: None,
        };
        tables.push(block_table(&[], &ctx, "")?);
    }
    super::parquet_of(&tables, &[])
}

/// One session's batch of [`BLOCK_SCHEMA`].
fn block_table(steps: &[Step], ctx: &StepsContext<'_>, file: &str) -> Result<Table, ParquetError> {
    let mut t = TableBuilder::default();
    t.label(
        "file",
        Null::Never,
        "the session's `file` in the block JSON (a run of a wear file as FILE#runK)",
        steps.iter().map(|_| Some(file)),
    );
    columns(&mut t, steps, ctx, 0.0)?;
    t.finish(BLOCK_SCHEMA)
}

/// One run's batch of [`WEAR_SCHEMA`].
fn wear_table(
    steps: &[Step],
    ctx: &StepsContext<'_>,
    session: i32,
    offset_s: f64,
) -> Result<Table, ParquetError> {
    let mut t = TableBuilder::default();
    t.int(
        "session",
        Null::Never,
        "index of the step's run in the wear JSON's `sessions`, from 0",
        steps.iter().map(|_| Some(session)),
    );
    columns(&mut t, steps, ctx, offset_s)?;
    t.finish(WEAR_SCHEMA)
}

/// The Parquet bytes of the steps of free-living wear.
///
/// # Errors
/// As [`table`].
pub fn wear_parquet(w: &crate::wear::WearResult, input: &str) -> Result<Vec<u8>, ParquetError> {
    super::parquet_of(&wear_tables(w)?, &[("gaitguard.file", input)])
}

/// The columns of [`SCHEMA`], step times shifted by `offset_s`.
fn columns(
    t: &mut TableBuilder,
    steps: &[Step],
    ctx: &StepsContext<'_>,
    offset_s: f64,
) -> Result<(), ParquetError> {
    t.float(
        "time_s",
        Null::Never,
        "initial contact, s from the recording's first sample",
        steps.iter().map(|s| Some(offset_s + s.time_s)),
    );
    t.timestamp_ms(
        "time",
        Null::Allowed,
        "initial contact, UTC; null when the file has no clock",
        steps.iter().map(|s| {
            ctx.start_unix_s
                .map(|t0| ((t0 + offset_s + s.time_s) * 1000.0).round() as i64)
        }),
    );
    let bouts = bout_of_each(ctx.bouts, steps.len())?;
    t.int(
        "bout",
        Null::Never,
        "index of the step's activity bout in the session JSON's `raw.bouts`, from 0",
        bouts.into_iter().map(Some),
    );
    t.label(
        "activity",
        Null::Never,
        "`running` or `walking`",
        steps.iter().map(|s| Some(s.activity.name())),
    );
    t.label(
        "side",
        Null::Allowed,
        "`left` or `right`; null when sides could not be assigned",
        steps.iter().map(|s| {
            s.side.map(|x| match x {
                Side::Left => "left",
                Side::Right => "right",
            })
        }),
    );
    for (name, meaning, value) in METRICS {
        let meaning = format!("{meaning}; null when not measured");
        t.float(name, Null::Allowed, &meaning, steps.iter().map(value));
    }
    for (name, channel) in CONFIDENCE {
        let level = ctx.confidence.get(channel.name()).map(|c| c.level.name());
        let meaning = format!(
            "the recording's confidence in `{}` (`high`, `moderate`, `low`); null when withheld",
            channel.name()
        );
        t.label(name, Null::Allowed, &meaning, steps.iter().map(|_| level));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vocab::GaitActivity;

    fn bout(steps: usize) -> Bout {
        Bout {
            activity: GaitActivity::Running,
            start_s: 0.0,
            end_s: 1.0,
            steps,
        }
    }

    #[test]
    fn each_step_gets_the_index_of_its_bout() {
        assert_eq!(
            bout_of_each(&[bout(2), bout(1), bout(3)], 6).unwrap(),
            [0, 0, 1, 2, 2, 2]
        );
        assert!(bout_of_each(&[bout(2)], 3).is_err());
        assert!(bout_of_each(&[], 0).unwrap().is_empty());
    }

    /// The per-step columns are the CSV's, in its order (the CSV's `activity` and `side`
    /// are labels here), then the confidence columns.
    #[test]
    fn the_metric_columns_are_the_csvs() {
        let csv: Vec<&str> = crate::report::steps_csv::HEADER.split(',').collect();
        let ours: Vec<&str> = ["time_s", "activity", "side"]
            .into_iter()
            .chain(METRICS.iter().map(|m| m.0))
            .collect();
        assert_eq!(csv, ours);
    }
}
