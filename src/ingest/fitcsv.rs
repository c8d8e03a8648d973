//! Garmin FitCSVTool conversions (`java -jar FitCSVTool.jar activity.fit`): one row per FIT
//! message, `Type,Local Number,Message` then `Field k,Value k,Units k` triples. Definition
//! rows are skipped; data rows are read as name/value/unit triples (values quoted or not,
//! arrays joined with `|`, enums printed by name) and handed to the same assembler as
//! binary FIT, so both give the same [`Recording`]. Timestamps are FIT-epoch seconds.

use super::fit::assemble::{Assembler, Msg, dev_channel};
use super::fit::profile;
use crate::error::IngestError;
use crate::recording::Recording;
use std::path::Path;

/// Read a FitCSVTool CSV.
///
/// # Errors
/// [`IngestError::Csv`] naming the line for a row that cannot be read or a value that should
/// be a number and is not; [`IngestError::NoData`] when no record rows exist.
pub fn read_fit_csv(path: &Path, text: &str) -> Result<Recording, IngestError> {
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut asm = Assembler::new(path.to_path_buf(), "fit-csv-tool");
    let mut msg = Msg::default();
    let mut record = csv::ByteRecord::new();
    let mut records = 0usize;
    loop {
        match rdr.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                return Err(IngestError::Csv {
                    path: path.to_path_buf(),
                    line: e.position().map(|p| p.line()).unwrap_or(0),
                    column: None,
                    reason: format!("cannot read the row: {e}"),
                });
            }
        }
        let line = record.position().map(|p| p.line()).unwrap_or(0);
        if record.get(0).map(|t| t.trim_ascii()) != Some(b"Data") {
            continue;
        }
        let message = String::from_utf8_lossy(record.get(2).unwrap_or(b""));
        let Some(global) = profile::mesg_by_name(message.trim()) else {
            continue;
        };
        msg.clear();
        let mut ts: Option<u32> = None;
        let mut i = 3;
        while i + 1 < record.len() {
            let name = String::from_utf8_lossy(record.get(i).unwrap_or(b""))
                .trim()
                .to_string();
            let value = String::from_utf8_lossy(record.get(i + 1).unwrap_or(b""))
                .trim()
                .trim_matches('"')
                .to_string();
            let units = String::from_utf8_lossy(record.get(i + 2).unwrap_or(b""))
                .trim()
                .to_string();
            i += 3;
            if name.is_empty() || value.is_empty() {
                continue;
            }
            if global == profile::mesg::RECORD && name == "compressed_speed_distance" {
                let bytes: Vec<u32> = value
                    .split('|')
                    .filter_map(|b| b.trim().parse().ok())
                    .collect();
                if bytes.len() == 3 && bytes.iter().all(|b| *b <= 255) {
                    msg.set(
                        profile::record::COMPRESSED_SPEED_DISTANCE,
                        (bytes[0] | bytes[1] << 8 | bytes[2] << 16) as f64,
                    );
                }
                continue;
            }
            if let Some(num) = profile::num_by_name(global, &name) {
                let first = value.split('|').next().unwrap_or("").trim();
                let v =
                    profile::enum_code(global, &name, first).ok_or_else(|| IngestError::Csv {
                        path: path.to_path_buf(),
                        line,
                        column: Some(name.clone()),
                        reason: format!("expected a number for {message}.{name}, found '{value}'"),
                    })?;
                if v < 0.0 && matches!(name.as_str(), "event") {
                    continue;
                }
                if num == 253 {
                    ts = Some(v as u32);
                }
                msg.set(num, v);
            } else if let Some(num) = profile::string_num_by_name(global, &name) {
                msg.strings.push((num, value.clone()));
            } else if global == profile::mesg::RECORD {
                // Developer fields are printed under the developer's own field name.
                if let Some((ch, factor)) = dev_channel(&name, &units) {
                    if let Ok(v) = value.split('|').next().unwrap_or("").trim().parse::<f64>() {
                        msg.dev.push((ch, v * factor));
                        asm.note_dev_field(&name);
                    }
                }
            }
        }
        if global == profile::mesg::RECORD {
            records += 1;
        }
        asm.message(global, ts, &msg);
    }
    if records == 0 {
        return Err(IngestError::NoData {
            path: path.to_path_buf(),
            reason: "FitCSVTool file with no 'record' data rows".into(),
        });
    }
    Ok(asm.finish())
}
