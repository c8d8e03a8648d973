//! Garmin FitCSVTool conversions (`java -jar FitCSVTool.jar activity.fit`): one row per FIT
//! message, `Type,Local Number,Message` then `Field k,Value k,Units k` triples. Definition
//! rows are skipped; data rows are read as name/value/unit triples (values quoted or not,
//! arrays joined with `|`, enums printed by name) and handed to the same assembler as
//! binary FIT, so both give the same [`Recording`]. Timestamps are FIT-epoch seconds.

use super::fit::assemble::{Assembler, Msg, dev_channel};
use super::fit::profile;
use crate::error::IngestError;
use crate::recording::Recording;
use std::borrow::Cow;
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
    while next_row(path, &mut rdr, &mut record)? {
        let Some((global, message)) = data_message(&record) else {
            continue;
        };
        let line = record.position().map(|p| p.line()).unwrap_or(0);
        msg.clear();
        let ts = read_fields(&record, global, &message, &mut msg, &mut asm).map_err(
            |(name, reason)| IngestError::Csv {
                path: path.to_path_buf(),
                line,
                column: Some(name),
                reason,
            },
        )?;
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

/// Read the next row into `record`; `false` at the end.
///
/// # Errors
/// [`IngestError::Csv`] at the line of a row that cannot be read.
fn next_row(
    path: &Path,
    rdr: &mut csv::Reader<&[u8]>,
    record: &mut csv::ByteRecord,
) -> Result<bool, IngestError> {
    rdr.read_byte_record(record).map_err(|e| IngestError::Csv {
        path: path.to_path_buf(),
        line: e.position().map(|p| p.line()).unwrap_or(0),
        column: None,
        reason: format!("cannot read the row: {e}"),
    })
}

/// The global message number and name of a `Data` row whose message the profile knows;
/// `None` for definition rows, the header and unknown messages.
fn data_message(record: &csv::ByteRecord) -> Option<(u16, Cow<'_, str>)> {
    if record.get(0).map(|t| t.trim_ascii()) != Some(b"Data") {
        return None;
    }
    let message = String::from_utf8_lossy(record.get(2).unwrap_or(b""));
    let global = profile::mesg_by_name(message.trim())?;
    Some((global, message))
}

/// Read the `Field k,Value k,Units k` triples of a data row into `msg` (numbers by field
/// name, strings, a record's compressed speed/distance and developer fields, which are also
/// noted in `asm`). Triples without a name or value are skipped. Returns the timestamp
/// (field 253) when the row has one.
///
/// # Errors
/// `(field name, reason)` for a value that should be a number and is not.
fn read_fields(
    record: &csv::ByteRecord,
    global: u16,
    message: &str,
    msg: &mut Msg,
    asm: &mut Assembler,
) -> Result<Option<u32>, (String, String)> {
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
            if let Some(v) = compressed_speed_distance(&value) {
                msg.set(profile::record::COMPRESSED_SPEED_DISTANCE, v);
            }
            continue;
        }
        if let Some(num) = profile::num_by_name(global, &name) {
            let v = profile::enum_code(global, &name, first_element(&value)).ok_or_else(|| {
                let reason = format!("expected a number for {message}.{name}, found '{value}'");
                (name.clone(), reason)
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
                if let Ok(v) = first_element(&value).parse::<f64>() {
                    msg.dev.push((ch, v * factor));
                    asm.note_dev_field(&name);
                }
            }
        }
    }
    Ok(ts)
}

/// The first element of a value that may be an array joined with `|`, trimmed.
fn first_element(value: &str) -> &str {
    value.split('|').next().unwrap_or("").trim()
}

/// A record's `compressed_speed_distance`, printed as its three bytes `b0|b1|b2`, as the
/// 24-bit little-endian number the binary field holds; `None` unless there are exactly three
/// bytes.
fn compressed_speed_distance(value: &str) -> Option<f64> {
    let bytes: Vec<u32> = value
        .split('|')
        .filter_map(|b| b.trim().parse().ok())
        .collect();
    (bytes.len() == 3 && bytes.iter().all(|b| *b <= 255))
        .then(|| (bytes[0] | bytes[1] << 8 | bytes[2] << 16) as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compressed_bytes_and_arrays() {
        assert_eq!(compressed_speed_distance("1|2|3"), Some(197_121.0));
        assert_eq!(compressed_speed_distance("1|2"), None);
        assert_eq!(compressed_speed_distance("1|2|300"), None);
        assert_eq!(first_element(" 12 | 13"), "12");
        assert_eq!(first_element("7"), "7");
    }

    #[test]
    fn data_rows_and_fields() {
        let mut rdr = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(
                "Definition,0,record,timestamp,1,\nData,0,nosuchmessage,x,1,\nData,0,record,timestamp,\"1000\",s,heart_rate,abc,bpm\n"
                    .as_bytes(),
            );
        let mut rec = csv::ByteRecord::new();
        let p = Path::new("f.csv");
        assert!(next_row(p, &mut rdr, &mut rec).unwrap());
        assert!(data_message(&rec).is_none());
        assert!(next_row(p, &mut rdr, &mut rec).unwrap());
        assert!(data_message(&rec).is_none());
        assert!(next_row(p, &mut rdr, &mut rec).unwrap());
        let (global, name) = data_message(&rec).unwrap();
        assert_eq!((global, &*name), (profile::mesg::RECORD, "record"));
        let mut msg = Msg::default();
        let mut asm = Assembler::new("f.csv".into(), "fit-csv-tool");
        let e = read_fields(&rec, global, &name, &mut msg, &mut asm).unwrap_err();
        assert_eq!(e.0, "heart_rate");
        assert_eq!(e.1, "expected a number for record.heart_rate, found 'abc'");
        assert!(!next_row(p, &mut rdr, &mut rec).unwrap());
    }
}
