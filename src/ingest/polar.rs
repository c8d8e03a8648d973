//! Polar Flow session CSV ("Export session" in Polar Flow): line 1 a summary header
//! (`Name,Sport,Date,Start time,Duration,Total distance (km),Average heart rate (bpm),…,
//! Average cadence (rpm),…`), line 2 its values (`Date` as dd-mm-yyyy, times as hh:mm:ss),
//! line 3 the per-second header (`Sample rate,Time,HR (bpm),Speed (km/h),Pace (min/km),
//! Cadence,Altitude (m),Stride length (m),Distances (m),Temperatures (C),Power (W),`), then
//! one row a second. Every line ends with a comma; older exports lack the power column.
//!
//! * The start is the summary's date and start time, local time without a zone: read as UTC
//!   with a note, like every zone-less export.
//! * The summary's averages are the device's own (distance, duration, heart rate, speed,
//!   cadence, power, ascent and descent). Running cadence is strides/min in Polar's files, but
//!   the unit is decided from the values like every format ([`super::normalize`]); the
//!   summary's average follows the records' unit.
//! * `Pace` is left out (it is the speed again) and so is `Stride length` (gaitguard derives
//!   the step length from speed and cadence).

use super::normalize;
use crate::error::IngestError;
use crate::recording::{Channel, DeviceAverages, Recording, SessionInfo};
use crate::time::{DateOrder, parse_clock, parse_date};
use crate::vocab::WarningCode;
use std::path::Path;

/// True when the first line is Polar Flow's summary header.
pub fn is_polar(cells: &[String]) -> bool {
    let at = |i: usize, name: &str| cells.get(i).is_some_and(|c| c.eq_ignore_ascii_case(name));
    at(0, "Name") && at(1, "Sport") && at(2, "Date") && at(3, "Start time")
}

/// The per-second columns gaitguard reads, by Polar's header names, and the factor to its
/// units.
const SAMPLE_COLUMNS: [(&str, Channel, f64); 7] = [
    ("HR (bpm)", Channel::HeartRateBpm, 1.0),
    ("Speed (km/h)", Channel::SpeedMps, 1.0 / 3.6),
    ("Cadence", Channel::CadenceSpm, 1.0),
    ("Altitude (m)", Channel::AltitudeM, 1.0),
    ("Distances (m)", Channel::DistanceM, 1.0),
    ("Temperatures (C)", Channel::TemperatureC, 1.0),
    ("Power (W)", Channel::PowerW, 1.0),
];

fn csv_error(path: &Path, line: u64, column: Option<&str>, reason: String) -> IngestError {
    IngestError::Csv {
        path: path.to_path_buf(),
        line,
        column: column.map(str::to_string),
        reason,
    }
}

/// Cells of one CSV line (Polar writes no quotes inside fields except around names).
fn cells(line: &str) -> Vec<String> {
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(line.as_bytes());
    rdr.records()
        .next()
        .and_then(Result::ok)
        .map(|r| r.iter().map(|c| c.trim().to_string()).collect())
        .unwrap_or_default()
}

/// Read a Polar Flow CSV: summary → start → samples → session → notes.
///
/// # Errors
/// [`IngestError::Csv`] naming the line and column of a summary or sample value that is not
/// what Polar writes.
pub fn read_polar(path: &Path, text: &str) -> Result<Recording, IngestError> {
    let mut lines = text.lines();
    let head = cells(lines.next().unwrap_or(""));
    let values = cells(lines.next().unwrap_or(""));
    let field = |name: &str| {
        head.iter()
            .position(|h| h.eq_ignore_ascii_case(name))
            .and_then(|i| values.get(i))
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    };
    let mut rec = Recording::new(path.to_path_buf(), "polar-csv");
    let date = field("Date").ok_or_else(|| csv_error(path, 2, Some("Date"), "no date".into()))?;
    let days = parse_date(date, DateOrder::Dmy).ok_or_else(|| {
        csv_error(
            path,
            2,
            Some("Date"),
            format!("expected dd-mm-yyyy, found '{date}'"),
        )
    })?;
    let start = field("Start time")
        .and_then(parse_clock)
        .ok_or_else(|| csv_error(path, 2, Some("Start time"), "expected hh:mm:ss".into()))?;
    rec.start_unix_s = Some(days as f64 * 86_400.0 + start);
    read_samples(path, &mut lines, &mut rec)?;
    if rec.series.is_empty() {
        return Ok(rec);
    }
    let sport_raw = field("Sport").unwrap_or("").to_string();
    let (sport, known) = sport_name(&sport_raw);
    let num = |name: &str| field(name).and_then(|v| v.replace(',', ".").parse::<f64>().ok());
    let factor = normalize::cadence_unit(&rec)
        .map(|u| u.factor)
        .or_else(|| num("Average cadence (rpm)").map(|c| normalize::unit_factor(c, None)))
        .unwrap_or(1.0);
    let end_s = rec.series.time_s.last().copied().unwrap_or(0.0);
    let duration = field("Duration").and_then(parse_clock);
    rec.sessions.push(SessionInfo {
        sport: sport.clone(),
        sub_sport: None,
        start_s: 0.0,
        end_s,
        timer_time_s: duration,
        elapsed_time_s: duration,
        distance_m: num("Total distance (km)").map(|km| km * 1000.0),
        device_averages: DeviceAverages {
            cadence_spm: num("Average cadence (rpm)")
                .filter(|c| *c > 0.0 && sport != "cycling")
                .map(|c| c * factor),
            speed_mps: num("Average speed (km/h)").map(|v| v / 3.6),
            heart_rate_bpm: num("Average heart rate (bpm)"),
            power_w: num("Average power (W)"),
            total_ascent_m: num("Ascent (m)"),
            total_descent_m: num("Descent (m)"),
            ..DeviceAverages::default()
        },
    });
    if !known || sport != "running" {
        rec.warn(
            WarningCode::SportDeclared,
            format!("the file's sport is \"{sport_raw}\", not running"),
        );
    }
    rec.warn(
        WarningCode::TimeZoneAssumed,
        "Polar's start time is local time without a zone; read as UTC",
    );
    Ok(rec)
}

/// gaitguard's sport of a Polar sport (`RUNNING`, `TRAIL_RUNNING`, `CYCLING`, …), and whether
/// it is one gaitguard knows.
fn sport_name(sport: &str) -> (String, bool) {
    let s = sport.to_ascii_uppercase();
    let name = if s.contains("RUNNING") {
        "running"
    } else if s.contains("CYCLING") || s.contains("BIKING") {
        "cycling"
    } else if s.contains("WALKING") {
        "walking"
    } else if s.contains("HIKING") {
        "hiking"
    } else {
        return ("generic".into(), false);
    };
    (name.into(), true)
}

/// The per-second table from its header line (line 3) on.
fn read_samples<'a>(
    path: &Path,
    lines: &mut impl Iterator<Item = &'a str>,
    rec: &mut Recording,
) -> Result<(), IngestError> {
    let header = cells(lines.next().unwrap_or(""));
    let time_col = header
        .iter()
        .position(|h| h.eq_ignore_ascii_case("Time"))
        .ok_or_else(|| {
            csv_error(
                path,
                3,
                None,
                "the sample header (line 3) has no 'Time' column".into(),
            )
        })?;
    let cols: Vec<(usize, &str, Channel, f64)> = SAMPLE_COLUMNS
        .iter()
        .filter_map(|&(name, ch, f)| {
            header
                .iter()
                .position(|h| h.eq_ignore_ascii_case(name))
                .map(|i| (i, name, ch, f))
        })
        .collect();
    let mut vals: Vec<(Channel, f64)> = Vec::with_capacity(cols.len());
    let mut last = f64::NEG_INFINITY;
    for (k, line) in lines.enumerate() {
        let line_no = k as u64 + 4;
        if line.trim().is_empty() {
            continue;
        }
        let row = cells(line);
        let t_text = row.get(time_col).map(String::as_str).unwrap_or("");
        let t = parse_clock(t_text).ok_or_else(|| {
            csv_error(
                path,
                line_no,
                Some("Time"),
                format!("expected hh:mm:ss, found '{t_text}'"),
            )
        })?;
        if t < last {
            continue;
        }
        last = t;
        vals.clear();
        for &(i, name, ch, f) in &cols {
            let cell = row.get(i).map(String::as_str).unwrap_or("");
            if cell.is_empty() {
                continue;
            }
            let v = cell.replace(',', ".").parse::<f64>().map_err(|_| {
                csv_error(
                    path,
                    line_no,
                    Some(name),
                    format!("expected a number, found '{cell}'"),
                )
            })?;
            // A heart rate of 0 is Polar's "no reading".
            if ch == Channel::HeartRateBpm && v <= 0.0 {
                continue;
            }
            vals.push((ch, v * f));
        }
        rec.series.push(t, &vals);
    }
    rec.series.finish();
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A Polar Flow export in the documented shape: 10 minutes at 11.52 km/h, 85 strides/min.
    pub fn fixture(power: bool) -> String {
        let mut s = String::from(
            "Name,Sport,Date,Start time,Duration,Total distance (km),Average heart rate (bpm),Average speed (km/h),Max speed (km/h),Average pace (min/km),Max pace (min/km),Calories,Fat percentage of calories(%),Average cadence (rpm),Average stride length (cm),Running index,Training load,Ascent (m),Descent (m),Average power (W),Max power (W),Notes,Height (cm),Weight (kg),HR max,HR sit,VO2max,\n\
             Jo Runner,RUNNING,16-05-2019,18:30:12,00:10:00,1.92,150,11.52,12.60,05:13,04:46,130,30,85,113,52,20,12,11,251,300,,178,70,190,50,52,\n",
        );
        s.push_str("Sample rate,Time,HR (bpm),Speed (km/h),Pace (min/km),Cadence,Altitude (m),Stride length (m),Distances (m),Temperatures (C)");
        s.push_str(if power { ",Power (W),\n" } else { ",\n" });
        for t in 0..600u32 {
            s.push_str(&format!(
                "{},{:02}:{:02}:{:02},{},11.52,05:13,{},{},1.13,{:.2},21.5{}\n",
                if t == 0 { "1" } else { "" },
                t / 3600,
                (t / 60) % 60,
                t % 60,
                if t == 0 { 0 } else { 140 + t % 20 },
                84 + t % 3,
                50 + t % 5,
                3.2 * f64::from(t),
                if power { ",251," } else { "," }
            ));
        }
        s
    }

    #[test]
    fn summary_samples_and_the_devices_averages() {
        let rec = read_polar(Path::new("p.csv"), &fixture(true)).unwrap();
        // 2019-05-16T18:30:12, read as UTC.
        assert_eq!(rec.start_unix_s, Some(1_558_031_412.0));
        assert_eq!(rec.series.len(), 600);
        assert_eq!(rec.series.time_s[599], 599.0);
        let v = rec.series.get(Channel::SpeedMps).unwrap();
        assert!((v[10] - 3.2).abs() < 1e-12);
        assert!(rec.series.get(Channel::HeartRateBpm).unwrap()[0].is_nan());
        assert_eq!(rec.series.get(Channel::PowerW).unwrap()[5], 251.0);
        let s = &rec.sessions[0];
        assert_eq!(s.sport, "running");
        assert_eq!(s.distance_m, Some(1920.0));
        assert_eq!(s.timer_time_s, Some(600.0));
        // Strides (85 at 3.2 m/s would be 2.26 m steps): the average doubles with the records.
        assert_eq!(s.device_averages.cadence_spm, Some(170.0));
        assert_eq!(s.device_averages.power_w, Some(251.0));
        let old = read_polar(Path::new("p.csv"), &fixture(false)).unwrap();
        assert!(!old.series.has(Channel::PowerW));
    }

    #[test]
    fn bad_cells_name_line_and_column() {
        let text = fixture(true).replace("\n,00:00:05,", "\n,00:00:0x,");
        let e = read_polar(Path::new("p.csv"), &text)
            .unwrap_err()
            .to_string();
        assert!(e.contains("line 9, column 'Time'"), "{e}");
        let text = fixture(true).replace("16-05-2019", "2019/16/05");
        let e = read_polar(Path::new("p.csv"), &text)
            .unwrap_err()
            .to_string();
        assert!(e.contains("line 2, column 'Date'"), "{e}");
        assert!(is_polar(&cells("Name,Sport,Date,Start time,Duration,")));
        assert!(!is_polar(&cells("time,cadence")));
    }
}
