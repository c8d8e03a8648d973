//! A synthetic Apple Health export (`export.xml`) in the documented shape (see
//! `ingest::apple_health`): no real public export exists to test with, so the tests and the
//! speed measurement use this one, whose runs come from the spring-mass simulator and so have
//! known cadence, contact time, oscillation, speed and distance.
//!
//! A day holds the phone's and watch's background records (heart rate every 5 minutes, step
//! counts and active energy every 10 minutes, a body mass in the morning); every other day a
//! run at 07:00 local time (30–60 minutes) with the watch's running samples every 5 s (heart
//! rate, running speed, power, stride length, ground-contact time, vertical oscillation), step
//! counts and walking+running distance every minute, and the workout element with its
//! metadata, statistics, a pause, and a route reference; every seventh day a cycling workout
//! (which a run analyser must skip). Records are written before workouts, as the Health app
//! does; the document starts with a DTD that declares an entity (which must never be
//! expanded). Written as a stream, so a multi-gigabyte export needs no memory.

use super::{RunPlan, SimulatedRun, simulate_plan};
use std::io::{self, Write};

/// What to write.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HealthPlan {
    /// Unix time of the first day's local midnight.
    pub first_day_unix_s: f64,
    /// Days.
    pub days: u32,
    /// Local time minus UTC, s (written in every date).
    pub utc_offset_s: i64,
}

impl HealthPlan {
    /// `days` days ending on 2026-06-14 at UTC+02:00 (a fortnight starts on 2026-06-01; a
    /// long export reaches back years, never into the future).
    pub fn standard(days: u32) -> Self {
        HealthPlan {
            // 2026-06-15T00:00:00+02:00 minus the days.
            first_day_unix_s: 1_781_474_400.0 - f64::from(days) * 86_400.0,
            days,
            utc_offset_s: 7200,
        }
    }

    /// The runs of the plan, in order: every other day at 07:00 local, 30–60 minutes.
    pub fn runs(&self) -> Vec<SimulatedRun> {
        (0..self.days).filter_map(|d| self.run_on(d)).collect()
    }

    /// The run of day `day` (days 0, 2, 4, …), simulated afresh (the same seed gives the same
    /// run, so a long export is written without holding its runs).
    pub fn run_on(&self, day: u32) -> Option<SimulatedRun> {
        if day % 2 != 0 || day >= self.days {
            return None;
        }
        let start = self.first_day_unix_s + f64::from(day) * 86_400.0 + 7.0 * 3600.0;
        let minutes = 30.0 + f64::from((day * 7) % 31);
        Some(simulate_plan(
            &RunPlan {
                start_unix_s: start,
                duration_s: minutes * 60.0,
                cruise_mps: 2.9 + 0.05 * f64::from(day % 9),
                hill_m: 10.0,
                record_every_s: 1,
            },
            u64::from(day),
        ))
    }
}

/// `2026-06-01 07:00:00 +0200`.
fn date(unix_s: f64, offset_s: i64) -> String {
    let local = unix_s.floor() as i64 + offset_s;
    let d = chrono::DateTime::from_timestamp(local, 0).unwrap_or_default();
    let sign = if offset_s < 0 { '-' } else { '+' };
    let o = offset_s.abs();
    format!(
        "{} {sign}{:02}{:02}",
        d.format("%Y-%m-%d %H:%M:%S"),
        o / 3600,
        (o % 3600) / 60
    )
}

const WATCH: &str = r#"sourceName="Apple Watch" sourceVersion="10.1" device="&lt;&lt;HKDevice: 0x282e44be0&gt;, name:Apple Watch, manufacturer:Apple Inc., model:Watch, hardware:Watch6,2, software:10.1&gt;""#;
const PHONE: &str = r#"sourceName="iPhone" sourceVersion="17.1""#;

/// One `<Record …/>`.
#[allow(clippy::too_many_arguments)]
fn record(
    w: &mut impl Write,
    kind: &str,
    source: &str,
    unit: &str,
    start: f64,
    end: f64,
    value: f64,
    off: i64,
) -> io::Result<()> {
    writeln!(
        w,
        r#" <Record type="HKQuantityTypeIdentifier{kind}" {source} unit="{unit}" creationDate="{}" startDate="{}" endDate="{}" value="{}"/>"#,
        date(end, off),
        date(start, off),
        date(end, off),
        (value * 1000.0).round() / 1000.0
    )
}

/// Write the export document of `plan` to `w`.
///
/// # Errors
/// The writer's.
pub fn write_export(w: &mut impl Write, plan: &HealthPlan) -> io::Result<()> {
    let off = plan.utc_offset_s;
    header(w, plan)?;
    for day in 0..plan.days {
        let midnight = plan.first_day_unix_s + f64::from(day) * 86_400.0;
        background(w, midnight, day, off)?;
    }
    for day in 0..plan.days {
        if let Some(r) = plan.run_on(day) {
            run_records(w, &r, off)?;
        }
    }
    for (i, day) in (0..plan.days).step_by(2).enumerate() {
        if let Some(r) = plan.run_on(day) {
            run_workout(w, &r, off, i)?;
        }
    }
    for day in (0..plan.days).filter(|d| d % 7 == 3) {
        let start = plan.first_day_unix_s + f64::from(day) * 86_400.0 + 17.0 * 3600.0;
        writeln!(
            w,
            r#" <Workout workoutActivityType="HKWorkoutActivityTypeCycling" duration="45" durationUnit="min" {WATCH} creationDate="{}" startDate="{}" endDate="{}">"#,
            date(start + 2700.0, off),
            date(start, off),
            date(start + 2700.0, off)
        )?;
        writeln!(
            w,
            r#"  <WorkoutStatistics type="HKQuantityTypeIdentifierDistanceCycling" startDate="{}" endDate="{}" sum="18.2" unit="km"/>"#,
            date(start, off),
            date(start + 2700.0, off)
        )?;
        writeln!(w, " </Workout>")?;
    }
    writeln!(w, "</HealthData>")
}

/// The prolog, the DTD (with an entity that must never be expanded), `ExportDate` and `Me`.
fn header(w: &mut impl Write, plan: &HealthPlan) -> io::Result<()> {
    let end = plan.first_day_unix_s + f64::from(plan.days) * 86_400.0;
    write!(
        w,
        r#"<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE HealthData [
<!-- HealthKit Export Version: 14 -->
<!ELEMENT HealthData (ExportDate,Me,(Record|Correlation|Workout|ActivitySummary|ClinicalRecord|Audiogram|VisionPrescription)*)>
<!ATTLIST HealthData
  locale CDATA #REQUIRED
>
<!ELEMENT Record ((MetadataEntry|HeartRateVariabilityMetadataList)*)>
<!ATTLIST Record
  type          CDATA #REQUIRED
  unit          CDATA #IMPLIED
  value         CDATA #IMPLIED
  sourceName    CDATA #REQUIRED
  sourceVersion CDATA #IMPLIED
  device        CDATA #IMPLIED
  creationDate  CDATA #IMPLIED
  startDate     CDATA #REQUIRED
  endDate       CDATA #REQUIRED
>
<!ENTITY boom "a declared entity that a reader must never expand">
]>
<HealthData locale="en_US">
 <ExportDate value="{}"/>
 <Me HKCharacteristicTypeIdentifierDateOfBirth="1984-05-01" HKCharacteristicTypeIdentifierBiologicalSex="HKBiologicalSexFemale" HKCharacteristicTypeIdentifierBloodType="HKBloodTypeNotSet" HKCharacteristicTypeIdentifierFitzpatrickSkinType="HKFitzpatrickSkinTypeNotSet" HKCharacteristicTypeIdentifierCardioFitnessMedicationsUse="None"/>
"#,
        date(end, plan.utc_offset_s)
    )
}

/// A day's background records: heart rate every 5 minutes, step counts and active energy
/// every 10 minutes (from the phone), a body mass at 07:00 with a metadata child.
fn background(w: &mut impl Write, midnight: f64, day: u32, off: i64) -> io::Result<()> {
    for k in 0..288u32 {
        let t = midnight + f64::from(k) * 300.0;
        let hr = 58.0 + f64::from((k * 7 + day) % 23);
        record(w, "HeartRate", WATCH, "count/min", t, t, hr, off)?;
    }
    for k in 0..144u32 {
        let t = midnight + f64::from(k) * 600.0;
        let steps = f64::from((k * 13 + day) % 90);
        record(w, "StepCount", PHONE, "count", t, t + 540.0, steps, off)?;
        record(
            w,
            "ActiveEnergyBurned",
            WATCH,
            "kcal",
            t,
            t + 600.0,
            4.5,
            off,
        )?;
    }
    let t = midnight + 7.0 * 3600.0;
    writeln!(
        w,
        r#" <Record type="HKQuantityTypeIdentifierBodyMass" {PHONE} unit="kg" creationDate="{}" startDate="{}" endDate="{}" value="61.5">
  <MetadataEntry key="HKWasUserEntered" value="1"/>
 </Record>"#,
        date(t, off),
        date(t, off),
        date(t, off)
    )
}

/// The watch's samples during a run: every 5 s the instantaneous running metrics (speed in
/// km/hr on odd minutes, as some exports mix units), every minute the step count and the
/// distance.
fn run_records(w: &mut impl Write, r: &SimulatedRun, off: i64) -> io::Result<()> {
    let t0 = r.start_unix_s;
    for x in r.records.iter().step_by(5) {
        let t = t0 + x.t_s;
        record(
            w,
            "HeartRate",
            WATCH,
            "count/min",
            t,
            t,
            x.heart_rate_bpm,
            off,
        )?;
        if (x.t_s as u64 / 60) % 2 == 1 {
            record(
                w,
                "RunningSpeed",
                WATCH,
                "km/hr",
                t,
                t,
                x.speed_mps * 3.6,
                off,
            )?;
        } else {
            record(w, "RunningSpeed", WATCH, "m/s", t, t, x.speed_mps, off)?;
        }
        record(w, "RunningPower", WATCH, "W", t, t, x.power_w, off)?;
        record(
            w,
            "RunningStrideLength",
            WATCH,
            "m",
            t,
            t,
            x.step_length_m,
            off,
        )?;
        record(
            w,
            "RunningGroundContactTime",
            WATCH,
            "ms",
            t,
            t,
            x.ground_contact_ms,
            off,
        )?;
        record(
            w,
            "RunningVerticalOscillation",
            WATCH,
            "cm",
            t,
            t,
            x.vertical_oscillation_cm,
            off,
        )?;
    }
    for minute in r.records.chunks(60) {
        let (a, b) = (minute[0].t_s, minute[minute.len() - 1].t_s + 1.0);
        let steps: f64 = minute.iter().map(|x| x.cadence_spm / 60.0).sum();
        let first = minute[0].distance_m - minute[0].speed_mps;
        let dist_km = (minute[minute.len() - 1].distance_m - first) / 1000.0;
        record(w, "StepCount", WATCH, "count", t0 + a, t0 + b, steps, off)?;
        record(
            w,
            "DistanceWalkingRunning",
            WATCH,
            "km",
            t0 + a,
            t0 + b,
            dist_km,
            off,
        )?;
    }
    Ok(())
}

/// The workout element of a run: duration, metadata (outdoor, weather, climb), a
/// pause of 30 s in the middle (events), statistics, a route reference.
fn run_workout(w: &mut impl Write, r: &SimulatedRun, off: i64, i: usize) -> io::Result<()> {
    let t0 = r.start_unix_s;
    let n = r.records.len() as f64;
    let end = t0 + n;
    let mean = |f: fn(&super::SimRecord) -> f64| r.records.iter().map(f).sum::<f64>() / n;
    let steps: f64 = r.records.iter().map(|x| x.cadence_spm / 60.0).sum();
    let km = r.records.last().map_or(0.0, |x| x.distance_m) / 1000.0;
    let mid = t0 + (n / 2.0).floor();
    writeln!(
        w,
        r#" <Workout workoutActivityType="HKWorkoutActivityTypeRunning" duration="{:.4}" durationUnit="min" {WATCH} creationDate="{}" startDate="{}" endDate="{}">"#,
        n / 60.0,
        date(end, off),
        date(t0, off),
        date(end, off)
    )?;
    writeln!(w, r#"  <MetadataEntry key="HKIndoorWorkout" value="0"/>"#)?;
    writeln!(
        w,
        r#"  <MetadataEntry key="HKWeatherTemperature" value="{:.1} degF"/>"#,
        mean(|x| x.temperature_c) * 9.0 / 5.0 + 32.0
    )?;
    writeln!(
        w,
        r#"  <MetadataEntry key="HKElevationAscended" value="{:.0} cm"/>"#,
        1000.0 + 100.0 * (i % 7) as f64
    )?;
    writeln!(
        w,
        r#"  <MetadataEntry key="HKTimeZone" value="Europe/Amsterdam"/>"#
    )?;
    writeln!(
        w,
        r#"  <WorkoutEvent type="HKWorkoutEventTypeSegment" date="{}" duration="1" durationUnit="min"/>"#,
        date(t0, off)
    )?;
    for (kind, t) in [("Pause", mid), ("Resume", mid + 30.0)] {
        writeln!(
            w,
            r#"  <WorkoutEvent type="HKWorkoutEventType{kind}" date="{}"/>"#,
            date(t, off)
        )?;
    }
    let stats: [(&str, &str, &str, f64); 8] = [
        (
            "HeartRate",
            "average",
            "count/min",
            mean(|x| x.heart_rate_bpm),
        ),
        (
            "RunningSpeed",
            "average",
            "km/hr",
            mean(|x| x.speed_mps) * 3.6,
        ),
        ("RunningPower", "average", "W", mean(|x| x.power_w)),
        (
            "RunningStrideLength",
            "average",
            "m",
            mean(|x| x.step_length_m),
        ),
        (
            "RunningGroundContactTime",
            "average",
            "ms",
            mean(|x| x.ground_contact_ms),
        ),
        (
            "RunningVerticalOscillation",
            "average",
            "cm",
            mean(|x| x.vertical_oscillation_cm),
        ),
        ("StepCount", "sum", "count", steps),
        ("DistanceWalkingRunning", "sum", "km", km),
    ];
    for (kind, what, unit, v) in stats {
        writeln!(
            w,
            r#"  <WorkoutStatistics type="HKQuantityTypeIdentifier{kind}" startDate="{}" endDate="{}" {what}="{v:.4}" unit="{unit}"/>"#,
            date(t0, off),
            date(end, off)
        )?;
    }
    writeln!(
        w,
        r#"  <WorkoutRoute {WATCH} creationDate="{}" startDate="{}" endDate="{}">
   <MetadataEntry key="HKMetadataKeySyncVersion" value="2"/>
   <FileReference path="/workout-routes/route_{}.gpx"/>
  </WorkoutRoute>
 </Workout>"#,
        date(end, off),
        date(t0, off),
        date(end, off),
        date(t0, off).replace([' ', ':', '+'], "_")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_written_in_local_time_with_the_offset() {
        assert_eq!(date(1_780_290_000.0, 7200), "2026-06-01 07:00:00 +0200");
        assert_eq!(date(0.0, -18_000), "1969-12-31 19:00:00 -0500");
    }

    #[test]
    fn a_fortnight_holds_seven_runs_and_two_rides() {
        let plan = HealthPlan::standard(14);
        assert_eq!(plan.runs().len(), 7);
        let mut out = Vec::new();
        write_export(&mut out, &plan).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(text.matches("HKWorkoutActivityTypeRunning").count(), 7);
        assert_eq!(text.matches("HKWorkoutActivityTypeCycling").count(), 2);
        assert!(text.starts_with("<?xml") && text.trim_end().ends_with("</HealthData>"));
    }
}
