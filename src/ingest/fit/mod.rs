//! FIT activity files (Garmin, COROS, Suunto, Wahoo, Stryd …): the binary container
//! ([`decode`]), the profile subset gaitguard reads ([`profile`]) and the assembly of
//! messages into a [`Recording`] ([`assemble`]), shared with the FitCSVTool reader.

pub mod assemble;
pub mod decode;
mod names;
pub mod profile;

use crate::error::IngestError;
use crate::recording::Recording;
use crate::vocab::WarningCode;
use assemble::{Assembler, Msg, dev_channel};
use decode::{FitVisitor, RawDevField, RawField, decode_number};
use std::path::Path;

struct Visitor {
    asm: Assembler,
    lookup: profile::Lookup,
    msg: Msg,
}

impl FitVisitor for Visitor {
    fn file_start(&mut self, _index: usize) {}

    fn message(
        &mut self,
        global: u16,
        timestamp: Option<u32>,
        fields: &[RawField<'_>],
        dev_fields: &[RawDevField<'_>],
    ) {
        let Some(slot) = profile::slot(global) else {
            return;
        };
        self.msg.clear();
        for f in fields {
            if global == profile::mesg::RECORD
                && f.num == profile::record::COMPRESSED_SPEED_DISTANCE
            {
                if f.data.len() >= 3 && f.data[..3] != [0xFF, 0xFF, 0xFF] {
                    let bits =
                        f.data[0] as u32 | (f.data[1] as u32) << 8 | (f.data[2] as u32) << 16;
                    self.msg.set(f.num, bits as f64);
                }
                continue;
            }
            if let Some(spec) = self.lookup.get(slot, f.num) {
                if let Some(raw) = f.value() {
                    self.msg.set(f.num, raw / spec.scale - spec.offset);
                }
            } else if f.base == 7
                && profile::STRING_FIELDS
                    .iter()
                    .any(|(m, n, _)| *m == global && *n == f.num)
            {
                if let Some(s) = f.string() {
                    self.msg.strings.push((f.num, s));
                }
            }
        }
        if global == profile::mesg::RECORD {
            for d in dev_fields {
                if let Some(desc) = self.asm.dev_desc(d.dev_index, d.num) {
                    if let (Some(ch), Some(raw)) =
                        (desc.channel, decode_number(desc.base, d.big_endian, d.data))
                    {
                        let (_, factor) = dev_channel(&desc.name, &desc.units).unwrap_or((ch, 1.0));
                        let v = (raw / desc.scale - desc.offset) * factor;
                        self.msg.dev.push((ch, v));
                    }
                }
            }
        }
        self.asm.message(global, timestamp, &self.msg);
    }
}

/// Read a FIT file's bytes into a [`Recording`].
///
/// # Errors
/// [`IngestError::Fit`] with the byte offset when the container is malformed (truncated,
/// corrupt CRC, undefined local message type).
pub fn read_fit(path: &Path, bytes: &[u8]) -> Result<Recording, IngestError> {
    let mut v = Visitor {
        asm: Assembler::new(path.to_path_buf(), "fit"),
        lookup: profile::Lookup::new(),
        msg: Msg::default(),
    };
    let report = decode::decode(bytes, &mut v).map_err(|e| IngestError::Fit {
        path: path.to_path_buf(),
        offset: e.offset,
        reason: e.reason,
    })?;
    let mut rec = v.asm.finish();
    if report.files > 1 {
        rec.warn(
            WarningCode::ChainedFit,
            format!("{} FIT files chained in one; all were read", report.files),
        );
    }
    if report.trailing_bytes > 0 {
        rec.warn(
            WarningCode::TrailingBytes,
            format!(
                "{} bytes after the last FIT file were not a FIT header and were ignored",
                report.trailing_bytes
            ),
        );
    }
    Ok(rec)
}
