//! A streaming decoder for the FIT binary container (Garmin FIT SDK, "Flexible and
//! Interoperable Data Transfer" protocol 1.0/2.0).
//!
//! Layout handled: 12- or 14-byte file header (`.FIT` signature, data size, optional header
//! CRC); definition messages (local type 0–15, architecture byte for endianness, global
//! message number, field definitions, developer field definitions when bit 5 of the header
//! is set); data messages with normal headers and *compressed-timestamp* headers (bit 7: a
//! 2-bit local type and a 5-bit offset added to the last full timestamp with roll-over);
//! the trailing CRC-16 over header and data; and *chained* files (several header+data+CRC
//! blocks back to back, as triathlon watches write).
//!
//! Fields are not copied: each data message is handed to a [`FitVisitor`] as slices into the
//! file's bytes ([`RawField`]), which the visitor decodes on demand. This keeps decoding at a
//! few nanoseconds per field; the profile (which field means what) lives in the visitor.

use crate::crc::fit_crc16;
/// One field of a data message, still in the file's bytes.
#[derive(Debug, Clone, Copy)]
pub struct RawField<'a> {
    /// Field definition number within its message.
    pub num: u8,
    /// FIT base type number (low 5 bits of the base-type byte).
    pub base: u8,
    /// Big-endian architecture.
    pub big_endian: bool,
    /// The field's bytes (size from the definition; arrays hold several elements).
    pub data: &'a [u8],
}

/// One developer field of a data message, still in the file's bytes.
#[derive(Debug, Clone, Copy)]
pub struct RawDevField<'a> {
    /// Developer data index (which app defined it).
    pub dev_index: u8,
    /// Field number within that developer's fields.
    pub num: u8,
    /// Big-endian architecture.
    pub big_endian: bool,
    /// The field's bytes.
    pub data: &'a [u8],
}

/// Size in bytes of one element of a FIT base type.
pub fn base_type_size(base: u8) -> usize {
    match base {
        0 | 1 | 2 | 7 | 10 | 13 => 1,
        3 | 4 | 11 => 2,
        5 | 6 | 8 | 12 => 4,
        9 | 14 | 15 | 16 => 8,
        _ => 1,
    }
}

impl RawField<'_> {
    /// First element as a number, or `None` when it holds the base type's "invalid" value.
    pub fn value(&self) -> Option<f64> {
        decode_number(self.base, self.big_endian, self.data)
    }

    /// Element `i` of an array field.
    pub fn element(&self, i: usize) -> Option<f64> {
        let sz = base_type_size(self.base);
        let start = i * sz;
        self.data
            .get(start..start + sz)
            .and_then(|b| decode_number(self.base, self.big_endian, b))
    }

    /// The field as a string (base type 7), up to the first NUL.
    pub fn string(&self) -> Option<String> {
        decode_string(self.data)
    }
}

/// Decode a NUL-terminated UTF-8 string field.
pub fn decode_string(data: &[u8]) -> Option<String> {
    let end = data.iter().position(|&b| b == 0).unwrap_or(data.len());
    let s = String::from_utf8_lossy(&data[..end]).trim().to_string();
    if s.is_empty() { None } else { Some(s) }
}

/// Decode the first element of a numeric base type; `None` for the invalid sentinel.
pub fn decode_number(base: u8, big_endian: bool, data: &[u8]) -> Option<f64> {
    macro_rules! read {
        ($t:ty, $n:expr) => {{
            let b: [u8; $n] = data.get(..$n)?.try_into().ok()?;
            if big_endian {
                <$t>::from_be_bytes(b)
            } else {
                <$t>::from_le_bytes(b)
            }
        }};
    }
    let v = match base {
        0 | 2 | 13 => {
            let v = *data.first()?;
            if v == 0xFF {
                return None;
            }
            v as f64
        }
        1 => {
            let v = *data.first()? as i8;
            if v == 0x7F {
                return None;
            }
            v as f64
        }
        10 => {
            let v = *data.first()?;
            if v == 0 {
                return None;
            }
            v as f64
        }
        3 => {
            let v = read!(i16, 2);
            if v == 0x7FFF {
                return None;
            }
            v as f64
        }
        4 => {
            let v = read!(u16, 2);
            if v == 0xFFFF {
                return None;
            }
            v as f64
        }
        11 => {
            let v = read!(u16, 2);
            if v == 0 {
                return None;
            }
            v as f64
        }
        5 => {
            let v = read!(i32, 4);
            if v == 0x7FFF_FFFF {
                return None;
            }
            v as f64
        }
        6 => {
            let v = read!(u32, 4);
            if v == 0xFFFF_FFFF {
                return None;
            }
            v as f64
        }
        12 => {
            let v = read!(u32, 4);
            if v == 0 {
                return None;
            }
            v as f64
        }
        8 => {
            let v = read!(f32, 4);
            if !v.is_finite() {
                return None;
            }
            v as f64
        }
        9 => {
            let v = read!(f64, 8);
            if !v.is_finite() {
                return None;
            }
            v
        }
        14 => {
            let v = read!(i64, 8);
            if v == i64::MAX {
                return None;
            }
            v as f64
        }
        15 => {
            let v = read!(u64, 8);
            if v == u64::MAX {
                return None;
            }
            v as f64
        }
        16 => {
            let v = read!(u64, 8);
            if v == 0 {
                return None;
            }
            v as f64
        }
        _ => return None,
    };
    Some(v)
}

/// Receives decoded structure from [`decode`].
pub trait FitVisitor {
    /// A new FIT file header (index 0 for the first file of a chain).
    fn file_start(&mut self, index: usize);
    /// One data message. `timestamp` is field 253 when present, or the time resolved from a
    /// compressed-timestamp header (FIT seconds).
    fn message(
        &mut self,
        global: u16,
        timestamp: Option<u32>,
        fields: &[RawField<'_>],
        dev_fields: &[RawDevField<'_>],
    );
}

/// A structural problem, with the byte offset where it was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError {
    /// Byte offset from the start of the input.
    pub offset: usize,
    /// What was wrong.
    pub reason: String,
}

/// Non-fatal findings of the container decoder.
#[derive(Debug, Default, Clone)]
pub struct DecodeReport {
    /// Number of chained files decoded.
    pub files: usize,
    /// Bytes after the last complete file that were not a FIT header.
    pub trailing_bytes: usize,
    /// Data messages decoded.
    pub messages: usize,
}

#[derive(Debug, Clone, Default)]
struct Definition {
    global: u16,
    big_endian: bool,
    /// (field number, size, base type)
    fields: Vec<(u8, u8, u8)>,
    /// (field number, size, developer data index)
    dev_fields: Vec<(u8, u8, u8)>,
    size: usize,
}

/// True when `bytes` starts with a plausible FIT file header.
pub fn looks_like_fit(bytes: &[u8]) -> bool {
    bytes.len() >= 12 && bytes[0] >= 12 && &bytes[8..12] == b".FIT"
}

/// Decode every file of a (possibly chained) FIT byte stream, calling `visitor` per message.
///
/// # Errors
/// A [`DecodeError`] with the byte offset for a bad signature, a header or data section that
/// runs past the end of the input (truncated file), a data message whose local type was never
/// defined, or a CRC mismatch.
pub fn decode(bytes: &[u8], visitor: &mut impl FitVisitor) -> Result<DecodeReport, DecodeError> {
    let mut report = DecodeReport::default();
    let mut pos = 0usize;
    while pos < bytes.len() {
        if !looks_like_fit(&bytes[pos..]) {
            if report.files == 0 {
                return Err(DecodeError {
                    offset: pos,
                    reason:
                        "no FIT header (expected a 12- or 14-byte header with '.FIT' at bytes 8–11)"
                            .into(),
                });
            }
            report.trailing_bytes = bytes.len() - pos;
            break;
        }
        visitor.file_start(report.files);
        pos = decode_one(bytes, pos, visitor, &mut report)?;
        report.files += 1;
    }
    Ok(report)
}

fn err(offset: usize, reason: impl Into<String>) -> DecodeError {
    DecodeError {
        offset,
        reason: reason.into(),
    }
}

/// Decode one header + data + CRC block starting at `start`: check its frame (header,
/// sizes, CRCs), then every message of its data section. Returns the offset after it.
fn decode_one(
    bytes: &[u8],
    start: usize,
    visitor: &mut impl FitVisitor,
    report: &mut DecodeReport,
) -> Result<usize, DecodeError> {
    let frame = check_frame(bytes, start)?;
    decode_messages(bytes, frame.data_start, frame.data_end, visitor, report)?;
    Ok(frame.after)
}

/// Where one file's data section lies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Frame {
    /// First byte of the data section.
    data_start: usize,
    /// One past its last byte (where the 2-byte file CRC starts).
    data_end: usize,
    /// One past the file CRC: where a chained file would start.
    after: usize,
}

/// Check the file header at `start` (its size, the data size it announces, its own CRC when
/// it has one) and the file CRC over the header (when it has no CRC of its own, as the SDK
/// does) and the data. A stored CRC of 0 is not checked (nor computed). The data size the
/// header announces is trusted only as far as the bytes really present: a size past the end
/// is a truncated file, never an allocation (the whole input was read within
/// [`crate::ingest::MAX_FIT_BYTES`] before decoding).
///
/// # Errors
/// A [`DecodeError`] for a truncated file or a CRC mismatch.
fn check_frame(bytes: &[u8], start: usize) -> Result<Frame, DecodeError> {
    let header_size = bytes[start] as usize;
    if start + header_size > bytes.len() {
        return Err(err(
            start,
            "header runs past the end of the file (truncated)",
        ));
    }
    let data_size =
        u32::from_le_bytes(bytes[start + 4..start + 8].try_into().expect("4 bytes")) as usize;
    let data_start = start + header_size;
    let data_end = data_start + data_size;
    if data_end > bytes.len() {
        return Err(err(
            bytes.len(),
            format!(
                "truncated: the header announces {data_size} bytes of data but only {} follow",
                bytes.len() - data_start
            ),
        ));
    }
    if header_size >= 14 {
        let stored = u16::from_le_bytes([bytes[start + 12], bytes[start + 13]]);
        if stored != 0 && fit_crc16(0, &bytes[start..start + 12]) != stored {
            return Err(err(start + 12, "header CRC mismatch (the file is corrupt)"));
        }
    }
    // CRC over the header (when it has no CRC of its own the SDK includes it) and data.
    let crc_from = if header_size >= 14 && bytes[start + 12..start + 14] != [0, 0] {
        data_start
    } else {
        start
    };
    if data_end + 2 > bytes.len() {
        return Err(err(data_end, "truncated: the final 2-byte CRC is missing"));
    }
    let stored = u16::from_le_bytes([bytes[data_end], bytes[data_end + 1]]);
    // A stored 0 means "not computed" (some writers leave it so): the data is not walked for
    // a CRC nobody can compare.
    let computed = if stored == 0 {
        0
    } else {
        fit_crc16(0, &bytes[crc_from..data_end])
    };
    if stored != computed {
        return Err(err(
            data_end,
            format!(
                "data CRC mismatch (stored {stored:#06x}, computed {computed:#06x}): the file is corrupt"
            ),
        ));
    }
    Ok(Frame {
        data_start,
        data_end,
        after: data_end + 2,
    })
}

/// Decode the messages in `bytes[data_start..data_end]`: definitions are kept per local
/// type; data messages (normal or compressed-timestamp) go to `visitor` with their time.
///
/// # Errors
/// A [`DecodeError`] for a message that runs past the data or uses an undefined local type.
fn decode_messages(
    bytes: &[u8],
    data_start: usize,
    data_end: usize,
    visitor: &mut impl FitVisitor,
    report: &mut DecodeReport,
) -> Result<(), DecodeError> {
    let mut defs: [Option<Definition>; 16] = Default::default();
    let mut last_ts: Option<u32> = None;
    let mut fields: Vec<RawField<'_>> = Vec::with_capacity(32);
    let mut dev_fields: Vec<RawDevField<'_>> = Vec::with_capacity(8);
    let mut p = data_start;
    while p < data_end {
        let h = bytes[p];
        let msg_at = p;
        p += 1;
        if h & 0x80 != 0 {
            // Compressed-timestamp data message.
            let local = ((h >> 5) & 0x3) as usize;
            let def = defs[local].as_ref().ok_or_else(|| {
                err(
                    msg_at,
                    format!("compressed-timestamp message for undefined local type {local}"),
                )
            })?;
            let ts = last_ts.map(|base| compressed_timestamp(base, h & 0x1F));
            if let Some(t) = ts {
                last_ts = Some(t);
            }
            p = read_data(bytes, p, data_end, def, &mut fields, &mut dev_fields)?;
            visitor.message(def.global, ts, &fields, &dev_fields);
            report.messages += 1;
        } else if h & 0x40 != 0 {
            let (def, next) = read_definition(bytes, p, data_end, h & 0x20 != 0)?;
            defs[(h & 0x0F) as usize] = Some(def);
            p = next;
        } else {
            let local = (h & 0x0F) as usize;
            let def = defs[local].as_ref().ok_or_else(|| {
                err(
                    msg_at,
                    format!("data message for local type {local} before its definition"),
                )
            })?;
            p = read_data(bytes, p, data_end, def, &mut fields, &mut dev_fields)?;
            let ts = fields
                .iter()
                .find(|f| f.num == 253)
                .and_then(|f| f.value())
                .map(|v| v as u32);
            if ts.is_some() {
                last_ts = ts;
            }
            visitor.message(def.global, ts, &fields, &dev_fields);
            report.messages += 1;
        }
    }
    Ok(())
}

/// The time of a compressed-timestamp message: the 5-bit `offset` replaces the low 5 bits
/// of the last full timestamp `base`, rolling over (+32 s) when it is below them.
#[inline]
fn compressed_timestamp(base: u32, offset: u8) -> u32 {
    let offset = u32::from(offset);
    let t = (base & !0x1F) + offset;
    if offset < (base & 0x1F) { t + 0x20 } else { t }
}

/// Read a definition message whose content starts at `p` (after the record header):
/// reserved byte, architecture, global number, field definitions (number, size, base
/// type), then, with `has_dev`, developer field definitions (number, size, developer data
/// index). Returns the definition and the offset after it.
///
/// # Errors
/// A [`DecodeError`] when the definition runs past `data_end`.
fn read_definition(
    bytes: &[u8],
    mut p: usize,
    data_end: usize,
    has_dev: bool,
) -> Result<(Definition, usize), DecodeError> {
    if p + 5 > data_end {
        return Err(err(p, "definition message runs past the end of the data"));
    }
    let big_endian = bytes[p + 1] == 1;
    let global = if big_endian {
        u16::from_be_bytes([bytes[p + 2], bytes[p + 3]])
    } else {
        u16::from_le_bytes([bytes[p + 2], bytes[p + 3]])
    };
    let n = bytes[p + 4] as usize;
    p += 5;
    if p + 3 * n > data_end {
        return Err(err(p, "definition message runs past the end of the data"));
    }
    let mut def = Definition {
        global,
        big_endian,
        ..Default::default()
    };
    for i in 0..n {
        let (num, size, base) = (bytes[p + 3 * i], bytes[p + 3 * i + 1], bytes[p + 3 * i + 2]);
        def.fields.push((num, size, base & 0x1F));
        def.size += size as usize;
    }
    p += 3 * n;
    if has_dev {
        let nd = *bytes
            .get(p)
            .ok_or_else(|| err(p, "developer field count missing"))? as usize;
        p += 1;
        if p + 3 * nd > data_end {
            return Err(err(
                p,
                "developer field definitions run past the end of the data",
            ));
        }
        for i in 0..nd {
            let (num, size, idx) = (bytes[p + 3 * i], bytes[p + 3 * i + 1], bytes[p + 3 * i + 2]);
            def.dev_fields.push((num, size, idx));
            def.size += size as usize;
        }
        p += 3 * nd;
    }
    Ok((def, p))
}

fn read_data<'a>(
    bytes: &'a [u8],
    mut p: usize,
    end: usize,
    def: &Definition,
    fields: &mut Vec<RawField<'a>>,
    dev_fields: &mut Vec<RawDevField<'a>>,
) -> Result<usize, DecodeError> {
    if p + def.size > end {
        return Err(err(p, "data message runs past the end of the data section"));
    }
    fields.clear();
    dev_fields.clear();
    for &(num, size, base) in &def.fields {
        let size = size as usize;
        fields.push(RawField {
            num,
            base,
            big_endian: def.big_endian,
            data: &bytes[p..p + size],
        });
        p += size;
    }
    for &(num, size, dev_index) in &def.dev_fields {
        let size = size as usize;
        dev_fields.push(RawDevField {
            dev_index,
            num,
            big_endian: def.big_endian,
            data: &bytes[p..p + size],
        });
        p += size;
    }
    Ok(p)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_sentinels_decode_to_none() {
        assert_eq!(decode_number(2, false, &[0xFF]), None);
        assert_eq!(decode_number(4, false, &[0xFF, 0xFF]), None);
        assert_eq!(decode_number(4, true, &[0x01, 0x02]), Some(258.0));
        assert_eq!(decode_number(4, false, &[0x01, 0x02]), Some(513.0));
        assert_eq!(decode_number(1, false, &[0xFE]), Some(-2.0));
        assert_eq!(decode_number(10, false, &[0]), None);
    }

    #[test]
    fn compressed_timestamps_roll_over() {
        // Low 5 bits of 1000 are 8: offset 10 is 1002, offset 3 has rolled over to 1027.
        assert_eq!(compressed_timestamp(1000, 10), 1002);
        assert_eq!(compressed_timestamp(1000, 8), 1000);
        assert_eq!(compressed_timestamp(1000, 3), 1027);
    }

    #[test]
    fn definitions_with_developer_fields() {
        // reserved, big-endian, global 20, 2 fields, then 1 developer field.
        let b = [0u8, 1, 0, 20, 2, 253, 4, 0x86, 3, 1, 2, 1, 7, 2, 0, 99];
        let (def, next) = read_definition(&b, 0, b.len(), true).unwrap();
        assert_eq!((def.global, def.big_endian, next), (20, true, 15));
        assert_eq!(def.fields, [(253, 4, 6), (3, 1, 2)]);
        assert_eq!((def.dev_fields.clone(), def.size), (vec![(7, 2, 0)], 7));
        let e = read_definition(&b, 0, 8, false).unwrap_err();
        assert_eq!(
            (e.offset, e.reason.as_str()),
            (5, "definition message runs past the end of the data")
        );
    }

    #[test]
    fn frames_check_sizes_and_crcs() {
        let mut f = vec![12u8, 0x10, 0, 0, 2, 0, 0, 0];
        f.extend_from_slice(b".FIT");
        f.extend_from_slice(&[0xAB, 0xCD]);
        let crc = fit_crc16(0, &f);
        f.extend_from_slice(&crc.to_le_bytes());
        let frame = check_frame(&f, 0).unwrap();
        assert_eq!(
            (frame.data_start, frame.data_end, frame.after),
            (12, 14, 16)
        );
        f[12] ^= 1;
        assert!(
            check_frame(&f, 0)
                .unwrap_err()
                .reason
                .starts_with("data CRC mismatch")
        );
        f[14] = 0;
        f[15] = 0;
        assert!(
            check_frame(&f, 0).is_ok(),
            "a stored CRC of 0 is not checked"
        );
        assert_eq!(check_frame(&f[..15], 0).unwrap_err().offset, 14);
    }

    #[test]
    fn rejects_non_fit_and_truncation() {
        struct Nop;
        impl FitVisitor for Nop {
            fn file_start(&mut self, _: usize) {}
            fn message(
                &mut self,
                _: u16,
                _: Option<u32>,
                _: &[RawField<'_>],
                _: &[RawDevField<'_>],
            ) {
            }
        }
        assert!(decode(b"hello world, not a fit file", &mut Nop).is_err());
        let mut h = vec![12u8, 0x10, 0, 0, 100, 0, 0, 0];
        h.extend_from_slice(b".FIT");
        h.extend_from_slice(&[0u8; 10]);
        let e = decode(&h, &mut Nop).unwrap_err();
        assert!(e.reason.contains("truncated"), "{e:?}");
    }
}
