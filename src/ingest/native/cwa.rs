//! Axivity AX3/AX6 `.cwa` files (OpenMovement "continuous wave accelerometry").
//!
//! Format: OpenMovement, `cwa.h` (Docs/ax3/cwa.h in openmovementproject/openmovement) and
//! the AX technical documentation. All values little-endian, tightly packed:
//!
//! * a 1024-byte header block `MD` (packet length 1020): hardware type @4 (0x64 = AX6),
//!   device id @5 (+ upper word @11), session id @7, sensor configuration @35 (AX6: bottom
//!   nibble n, gyroscope range 8000/2ⁿ deg/s), sampling-rate code @36;
//! * then 512-byte data blocks `AX` (packet length 508): fractional time @4 (top bit set:
//!   15-bit fraction of a second), packed RTC timestamp @14 (`YYYYYYMM MMDDDDDh hhhhmmmm
//!   mmssssss`, year from 2000), light/scale word @18 (top 3 bits n: 16-bit accelerometer
//!   scale 1/2^(8+n) g), rate code @24 (frequency 3200/(1 << (15 − (code & 15))) Hz, range
//!   ±16 >> (code >> 6) g), axes/packing @25 (top nibble 3 or 6 axes, bottom nibble 0 =
//!   3×10-bit values + 2-bit exponent in 32 bits, 2 = 16-bit signed), timestamp sample index
//!   @26, sample count @28, samples @30, checksum @510 (the 16-bit word sum of the block is 0).
//!   Six-axis samples are Gx, Gy, Gz, Ax, Ay, Az. Packed samples are 1/256 g.
//!
//! Sample times follow the documented method (OpenMovement `omconvert`/`cwa_load`): the block
//! timestamp (plus fraction) is the time of the sample at the timestamp index, so the block
//! starts at `t − offset/f`; the samples of a block are spread linearly from its start to the
//! next block's start, which absorbs the device clock's drift; the last block, and a block
//! followed by a gap (a restart), use the stated rate. Light, temperature and battery are
//! ignored. The RTC is the device's local clock: `start_unix_s` is that clock read as UTC.

use super::{Emitter, civil_unix_s, corrupt, le_u16, le_u32, read_full};
use crate::error::IngestError;
use crate::ingest::Dialect;
use crate::ingest::stream::{Collect, SampleSink};
use crate::recording::{RawSignal, TimeSource, Warning};
use crate::vocab::WarningCode;
use std::io::Read;
use std::path::Path;

/// Header block size, bytes.
pub const HEADER_BYTES: usize = 1024;
/// Data block size, bytes.
pub const BLOCK_BYTES: usize = 512;
/// Bytes of sample data in a block.
const SAMPLE_BYTES: usize = 480;
/// Hardware type of an AX6.
const AX6: u8 = 0x64;

/// A CWA file: the `MD` header with its packet length (1020).
pub fn looks_like_cwa(bytes: &[u8]) -> bool {
    bytes.len() >= 4 && &bytes[..2] == b"MD" && le_u16(bytes, 2) == 1020
}

/// What the header says.
#[derive(Debug, Clone, Copy)]
struct Header {
    ax6: bool,
    device_id: u32,
    session_id: u32,
    /// Gyroscope full-scale range, deg/s (AX6 with the gyroscope on).
    gyro_range_dps: Option<f64>,
}

/// One decoded data block.
#[derive(Debug, Clone, Copy)]
struct Block {
    /// Unix time of the block's first sample: a whole second and the seconds after it.
    start: (i64, f64),
    rate_hz: f64,
    count: usize,
    axes: usize,
    packed: bool,
    /// g per count of 16-bit accelerometer values.
    accel_g_per_lsb: f64,
}

/// Decode a `.cwa` file held in memory: [`stream_cwa`] into the [`Collect`] sink.
///
/// # Errors
/// As [`stream_cwa`].
pub fn read_cwa(path: &Path, bytes: &[u8]) -> Result<RawSignal, IngestError> {
    let mut collect = Collect::new();
    stream_cwa(path, bytes, &mut collect)?;
    collect.into_signal(path, "the axivity-cwa file")
}

/// Decode a `.cwa` stream into `sink`: the header block, then the 512-byte data blocks one
/// at a time. A block's samples are spread to the next block's start, so each block waits
/// for the next one (a one-block lookahead); erased blocks are skipped. Memory: two blocks
/// and one chunk, whatever the file's length.
///
/// # Errors
/// [`IngestError::Sensor`] for a header or block that is cut short, has a bad checksum, an
/// unknown packing, a sample-rate code no AX device records at, or a timestamp that is not a
/// date (naming the block and its byte offset); [`IngestError::NoData`] for a file without
/// samples; [`IngestError::Io`] when the reader fails; whatever the sink returns.
pub fn stream_cwa<R: Read>(
    path: &Path,
    mut reader: R,
    sink: &mut dyn SampleSink,
) -> Result<(), IngestError> {
    let header = read_header(path, &mut reader)?;
    let mut out = Emitter::new(
        sink,
        path,
        Dialect::AxivityCwa,
        TimeSource::Column,
        header.gyro_range_dps.is_some(),
    );
    out.meta.device = Some(format!(
        "Axivity {} #{} (session {})",
        if header.ax6 { "AX6" } else { "AX3" },
        header.device_id,
        header.session_id
    ));
    let mut buf = [0u8; BLOCK_BYTES];
    // The last block read that is not erased, waiting for the next one's start.
    let mut pending: Option<(Block, [u8; BLOCK_BYTES])> = None;
    let mut gaps = 0usize;
    for k in 0usize.. {
        let n = read_full(path, &mut reader, &mut buf)?;
        if n == 0 {
            break;
        }
        let Some(b) = read_block(path, &buf[..n], k, &header)? else {
            continue;
        };
        match pending.take() {
            Some((p, bytes)) => {
                let step_s = sample_step_s(&p, Some(b.start), &mut gaps);
                decode_samples(&bytes, &p, step_s, &header, &mut out)?;
            }
            None => out.meta.stated_rate_hz = Some(b.rate_hz),
        }
        pending = Some((b, buf));
    }
    if let Some((p, bytes)) = pending {
        let step_s = sample_step_s(&p, None, &mut gaps);
        decode_samples(&bytes, &p, step_s, &header, &mut out)?;
    }
    if gaps > 0 {
        out.warn(Warning::new(
            WarningCode::SampleGaps,
            format!("{gaps} CWA block boundaries with a time gap or step back (a restart or a clock change); those blocks use the stated rate"),
        ));
    }
    out.finish()
}

/// The header block, read from the start of the stream.
fn read_header(path: &Path, reader: &mut impl Read) -> Result<Header, IngestError> {
    let mut bytes = [0u8; HEADER_BYTES];
    let n = read_full(path, reader, &mut bytes)?;
    if n < HEADER_BYTES {
        return Err(corrupt(
            path,
            n,
            format!("the CWA header block is cut short ({n} of {HEADER_BYTES} bytes)"),
        ));
    }
    if !looks_like_cwa(&bytes) {
        return Err(corrupt(
            path,
            0,
            "no CWA header block ('MD', packet length 1020)",
        ));
    }
    let ax6 = bytes[4] == AX6;
    let upper = match le_u16(&bytes, 11) {
        0xffff => 0,
        u => u32::from(u),
    };
    let config = bytes[35];
    let gyro_range_dps = (ax6 && config != 0x00 && config != 0xff)
        .then(|| 8000.0 / f64::from(1u32 << (config & 0x0f).min(15)));
    Ok(Header {
        ax6,
        device_id: (upper << 16) | u32::from(le_u16(&bytes, 5)),
        session_id: le_u32(&bytes, 7),
        gyro_range_dps,
    })
}

/// Data block `k` (0-based, after the header), its bytes `b`: `None` for an erased block
/// (all 0xFF or all zero, the unused end of the device's memory).
fn read_block(
    path: &Path,
    b: &[u8],
    k: usize,
    header: &Header,
) -> Result<Option<Block>, IngestError> {
    let offset = HEADER_BYTES + k * BLOCK_BYTES;
    let at = |reason: String| corrupt(path, offset, format!("CWA data block {k}: {reason}"));
    if b.len() < BLOCK_BYTES {
        return Err(at(format!(
            "cut short ({} of {BLOCK_BYTES} bytes)",
            b.len()
        )));
    }
    if b.iter().all(|&x| x == 0xff) || b.iter().all(|&x| x == 0) {
        return Ok(None);
    }
    if &b[..2] != b"AX" || le_u16(b, 2) != 508 {
        return Err(at(
            "not a data block (expected 'AX' and packet length 508)".into()
        ));
    }
    let sum = (0..BLOCK_BYTES / 2).fold(0u16, |s, i| s.wrapping_add(le_u16(b, 2 * i)));
    if sum != 0 {
        return Err(at(format!(
            "bad checksum (word sum {sum:#06x}, expected 0)"
        )));
    }
    let code = b[24];
    let rate_hz = rate_of_code(code).ok_or_else(|| {
        at(format!(
            "sample-rate code {code:#04x} is not a rate an AX device records at (codes 6–15: 6.25–3200 Hz)"
        ))
    })?;
    let (axes, packing) = (usize::from(b[25] >> 4), b[25] & 0x0f);
    let bytes_per_sample = match (axes, packing) {
        (3, 0) => 4,
        (3 | 6 | 9, 2) => 2 * axes,
        _ => {
            return Err(at(format!(
                "unknown axes/packing byte {:#04x} (expected 3 axes packed, or 3/6/9 axes of 16 bits)",
                b[25]
            )));
        }
    };
    if axes >= 6 && header.gyro_range_dps.is_none() && header.ax6 {
        return Err(at(
            "gyroscope samples but the header sets no gyroscope range".into(),
        ));
    }
    let count = usize::from(le_u16(b, 28));
    if count * bytes_per_sample > SAMPLE_BYTES {
        return Err(at(format!(
            "{count} samples of {bytes_per_sample} bytes do not fit the block's {SAMPLE_BYTES} bytes"
        )));
    }
    let start = block_time(b, rate_hz)
        .ok_or_else(|| at(format!("timestamp {:#010x} is not a date", le_u32(b, 14))))?;
    Ok(Some(Block {
        start,
        rate_hz,
        count,
        axes,
        packed: packing == 0,
        accel_g_per_lsb: 1.0 / f64::from(1u32 << (8 + u32::from(le_u16(b, 18) >> 13))),
    }))
}

/// The rate of a sample-rate code, Hz: 3200/(1 << (15 − (code & 15))); `None` below code 6
/// (6.25 Hz), which no AX device records at.
pub fn rate_of_code(code: u8) -> Option<f64> {
    let c = code & 0x0f;
    (c >= 6).then(|| 3200.0 / f64::from(1u32 << (15 - c)))
}

/// Unix s of the block's first sample. The packed RTC time (whole seconds) is the time of
/// the sample at index `timestampOffset`. With a fraction (top bit of `deviceFractional`),
/// the firmware moved `timestampOffset` back by ⌊fraction × f⌋ samples for older readers; as
/// OpenMovement's readers do, that is undone, and the whole time plus the fraction is the
/// time of the sample at the restored index (`cwa.h`, `deviceFractional`).
fn block_time(b: &[u8], rate_hz: f64) -> Option<(i64, f64)> {
    let ts = le_u32(b, 14);
    let whole = civil_unix_s(
        2000 + (ts >> 26) as i32,
        (ts >> 22) & 0x0f,
        (ts >> 17) & 0x1f,
        (ts >> 12) & 0x1f,
        (ts >> 6) & 0x3f,
        ts & 0x3f,
    )?;
    let mut offset = f64::from(i16::from_le_bytes([b[26], b[27]]));
    let frac = le_u16(b, 4);
    let mut frac_s = 0.0;
    if frac & 0x8000 != 0 {
        // 1/65536 s units, as the readers use them.
        let frac_65536 = u32::from(frac & 0x7fff) << 1;
        frac_s = f64::from(frac_65536) / 65536.0;
        offset += ((f64::from(frac_65536) * rate_hz) / 65536.0).floor();
    }
    Some((whole, frac_s - offset / rate_hz))
}

/// Seconds between samples of a block: spread to the next block's start when that start is
/// within a factor 2 of the nominal block length (clock drift), else the stated rate.
fn sample_step_s(b: &Block, next_start: Option<(i64, f64)>, gaps: &mut usize) -> f64 {
    let nominal = 1.0 / b.rate_hz;
    if b.count == 0 {
        return nominal;
    }
    let Some(next) = next_start else {
        return nominal;
    };
    let span = (next.0 - b.start.0) as f64 + (next.1 - b.start.1);
    let expected = b.count as f64 * nominal;
    if span > 0.5 * expected && span < 2.0 * expected {
        span / b.count as f64
    } else {
        *gaps += 1;
        nominal
    }
}

/// Emit a block's samples: accelerometer in g (packed: 10 bits × 2^exponent / 256;
/// 16-bit: the block's scale), gyroscope in deg/s (range / 32768 per count; NaN for a
/// 3-axis block of a file with the gyroscope on).
fn decode_samples(
    block: &[u8],
    b: &Block,
    step_s: f64,
    header: &Header,
    out: &mut Emitter,
) -> Result<(), IngestError> {
    let raw = &block[30..30 + SAMPLE_BYTES];
    for i in 0..b.count {
        let t = b.start.1 + i as f64 * step_s;
        if b.packed {
            let v = le_u32(raw, 4 * i);
            let e = v >> 30;
            let axis = |shift: u32| -> f64 {
                // 10-bit two's complement, sign-extended, then shifted by the exponent.
                let ten = ((v >> shift) & 0x3ff) as i32;
                let signed = if ten >= 512 { ten - 1024 } else { ten };
                f64::from(signed << e) / 256.0
            };
            let gyro = header.gyro_range_dps.map(|_| [f64::NAN; 3]);
            out.push(b.start.0, t, [axis(0), axis(10), axis(20)], gyro)?;
            continue;
        }
        let word = |j: usize| {
            f64::from(i16::from_le_bytes([
                raw[2 * (i * b.axes + j)],
                raw[2 * (i * b.axes + j) + 1],
            ]))
        };
        let acc0 = if b.axes >= 6 { 3 } else { 0 };
        let g = b.accel_g_per_lsb;
        let gyro = header.gyro_range_dps.map(|range| {
            let dps = range / 32768.0;
            [0, 1, 2].map(|j| if b.axes >= 6 { word(j) * dps } else { f64::NAN })
        });
        out.push(
            b.start.0,
            t,
            [word(acc0) * g, word(acc0 + 1) * g, word(acc0 + 2) * g],
            gyro,
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rate_codes_follow_the_documented_formula() {
        assert_eq!(rate_of_code(0x4a), Some(100.0)); // 3200/(1<<5)
        assert_eq!(rate_of_code(0x8b), Some(200.0));
        assert_eq!(rate_of_code(0x0f), Some(3200.0));
        assert_eq!(rate_of_code(0x06), Some(6.25));
        assert_eq!(rate_of_code(0x00), None);
    }

    /// A hand-built block: packed samples with an exponent, the checksum made to sum to 0.
    fn packed_block(samples: &[(i32, i32, i32, u32)]) -> Vec<u8> {
        let mut b = vec![0u8; BLOCK_BYTES];
        b[..2].copy_from_slice(b"AX");
        b[2..4].copy_from_slice(&508u16.to_le_bytes());
        // 2024-03-05 06:07:08
        let ts: u32 = (24 << 26) | (3 << 22) | (5 << 17) | (6 << 12) | (7 << 6) | 8;
        b[14..18].copy_from_slice(&ts.to_le_bytes());
        b[24] = 0x4a;
        b[25] = 0x30;
        b[28..30].copy_from_slice(&(samples.len() as u16).to_le_bytes());
        for (i, &(x, y, z, e)) in samples.iter().enumerate() {
            let ten = |v: i32| (v as u32) & 0x3ff;
            let v = ten(x) | (ten(y) << 10) | (ten(z) << 20) | (e << 30);
            b[30 + 4 * i..34 + 4 * i].copy_from_slice(&v.to_le_bytes());
        }
        let sum = (0..255).fold(0u16, |s, i| s.wrapping_add(le_u16(&b, 2 * i)));
        b[510..512].copy_from_slice(&0u16.wrapping_sub(sum).to_le_bytes());
        b
    }

    #[test]
    fn packed_values_sign_extend_and_shift_by_the_exponent() {
        let h = Header {
            ax6: false,
            device_id: 1,
            session_id: 1,
            gyro_range_dps: None,
        };
        let blk = packed_block(&[(256, -256, -512, 0), (100, -1, 511, 2)]);
        let b = read_block(Path::new("t.cwa"), &blk, 0, &h)
            .unwrap()
            .unwrap();
        assert_eq!(b.count, 2);
        assert_eq!(b.start, (1_709_618_828, 0.0));
        let mut sink = Collect::new();
        let mut out = Emitter::new(
            &mut sink,
            Path::new("t.cwa"),
            Dialect::AxivityCwa,
            TimeSource::Column,
            false,
        );
        decode_samples(&blk, &b, 0.01, &h, &mut out).unwrap();
        out.finish().unwrap();
        // In g, then × standard gravity as the emitter converts.
        let mps2 = |g: [f64; 2]| g.map(|g| g * crate::units::STANDARD_GRAVITY_MPS2).to_vec();
        let got = sink.samples();
        assert_eq!(got.acc_mps2[0], mps2([1.0, 400.0 / 256.0]));
        assert_eq!(got.acc_mps2[1], mps2([-1.0, -4.0 / 256.0]));
        assert_eq!(got.acc_mps2[2], mps2([-2.0, 2044.0 / 256.0]));
        assert_eq!(got.time_s, vec![0.0, 0.01]);
    }

    #[test]
    fn a_bad_checksum_names_the_block() {
        let h = Header {
            ax6: false,
            device_id: 1,
            session_id: 1,
            gyro_range_dps: None,
        };
        let mut blk = packed_block(&[(1, 2, 3, 0)]);
        blk[40] ^= 1;
        let e = read_block(Path::new("t.cwa"), &blk, 3, &h)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("block 3") && e.contains("checksum") && e.contains("byte 2560"),
            "{e}"
        );
    }
}
