//! A streaming writer of Axivity AX3 `.cwa` files, so simulated wear exists as a real native
//! file (the format the UK Biobank's week-long wrist recordings use).
//!
//! Format: OpenMovement, `cwa.h` (Docs/ax3/cwa.h in openmovementproject/openmovement), as
//! the decoder [`crate::ingest::native::cwa`] reads it; all values little-endian:
//!
//! * a 1024-byte header block `MD` (packet length 1020): hardware type @4 (0x17, AX3),
//!   device id @5 (upper word @11), session id @7, logging start and end @13/@17 (0: at
//!   once, 0xFFFFFFFF: until stopped), capacity @21 (0: unlimited), sensor configuration
//!   @35 (0xFF: accelerometer only), sampling-rate code @36, last change @37, firmware @41,
//!   time zone @42 (−1: unknown), the 448-byte annotation @64 (spaces: none) and 512
//!   reserved bytes (0xFF);
//! * then one 512-byte `AX` block (packet length 508) per 80 samples: fractional time @4
//!   (top bit set, 15-bit fraction of a second), session id @6, sequence number @10,
//!   packed RTC time @14 (`YYYYYYMM MMDDDDDh hhhhmmmm mmssssss`, year from 2000), light and
//!   accelerometer scale @18 (top three bits 0: 1/256 g per count), temperature @20, events
//!   @22, battery @23, rate code @24 (`3200/(1 << (15 − (code & 15)))` Hz, range
//!   `±16 >> (code >> 6)` g), 0x32 @25 (3 axes, 16-bit signed), timestamp offset @26,
//!   sample count @28, the samples x, y, z @30, and a checksum @510 that makes the 16-bit
//!   word sum of the block 0.
//!
//! Times are written as the AX firmware writes them: the whole second and the fraction of
//! the block's first sample, with the timestamp offset moved back by ⌊fraction × rate⌋
//! samples for older readers (`cwa.h`, `deviceFractional`), which the readers undo. The
//! clock is ideal: sample `n` is at `start + n / rate`. The last block may hold fewer than
//! 80 samples. Memory is one block, whatever the length.

use std::io::{self, Write};

/// Samples in a full block (3 axes × 16 bits).
pub const SAMPLES_PER_BLOCK: usize = 80;
const BLOCK_BYTES: usize = 512;
const HEADER_BYTES: usize = 1024;

/// What the writer says about the device and the recording.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CwaSettings {
    /// Device id (the low word goes @5, the high word @11).
    pub device_id: u32,
    /// Session id.
    pub session_id: u32,
    /// Sampling rate, Hz: an AX rate, 3200/2^k for k = 0…9 (6.25–3200 Hz).
    pub rate_hz: f64,
    /// Accelerometer range, ±g: 2, 4, 8 or 16 (values beyond are clipped).
    pub range_g: u8,
}

impl Default for CwaSettings {
    /// AX3 #43210, session 1, 100 Hz, ±8 g (the UK Biobank's setting).
    fn default() -> Self {
        CwaSettings {
            device_id: 43_210,
            session_id: 1,
            rate_hz: 100.0,
            range_g: 8,
        }
    }
}

/// The sample-rate byte for `rate_hz` and `range_g`: rate code `15 − log2(3200 / rate)` in
/// the low nibble, range code `log2(16 / range)` in the top two bits; `None` for a rate or
/// range an AX device does not record at.
pub fn rate_code(rate_hz: f64, range_g: u8) -> Option<u8> {
    let k = (0u8..10).find(|&k| (3200.0 / f64::from(1u32 << k) - rate_hz).abs() < 1e-9)?;
    let range = match range_g {
        16 => 0u8,
        8 => 1,
        4 => 2,
        2 => 3,
        _ => return None,
    };
    Some((range << 6) | (15 - k))
}

/// The packed RTC time of Unix second `unix_s` (read as the device's local clock), `None`
/// outside 2000–2063 (six bits of year).
pub fn packed_time(unix_s: i64) -> Option<u32> {
    use chrono::{Datelike, Timelike};
    let d = chrono::DateTime::from_timestamp(unix_s, 0)?;
    let year = u32::try_from(d.year() - 2000).ok().filter(|y| *y < 64)?;
    Some(
        (year << 26)
            | (d.month() << 22)
            | (d.day() << 17)
            | (d.hour() << 12)
            | (d.minute() << 6)
            | d.second(),
    )
}

/// A streaming `.cwa` writer: the header at [`CwaWriter::new`], a block every 80 samples,
/// the last (partial) block at [`CwaWriter::finish`].
#[derive(Debug)]
pub struct CwaWriter<W: Write> {
    out: W,
    settings: CwaSettings,
    code: u8,
    start_unix_s: i64,
    /// Samples written into finished blocks.
    written: u64,
    sequence: u32,
    samples: [[i16; 3]; SAMPLES_PER_BLOCK],
    fill: usize,
    full_scale: f64,
}

fn invalid(msg: String) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidInput, msg)
}

impl<W: Write> CwaWriter<W> {
    /// Write the header; the first sample is at `start_unix_s` (a whole second).
    ///
    /// # Errors
    /// [`io::ErrorKind::InvalidInput`] for a rate or range an AX3 does not record at or a
    /// start outside 2000–2063; the writer's own errors.
    pub fn new(mut out: W, settings: CwaSettings, start_unix_s: i64) -> io::Result<Self> {
        let code = rate_code(settings.rate_hz, settings.range_g).ok_or_else(|| {
            invalid(format!(
                "an AX3 records at 3200/2^k Hz (6.25–3200) and ±2, 4, 8 or 16 g, not {} Hz ±{} g",
                settings.rate_hz, settings.range_g
            ))
        })?;
        let start_time = packed_time(start_unix_s)
            .ok_or_else(|| invalid("a CWA clock runs from 2000 to 2063".into()))?;
        out.write_all(&header(&settings, code, start_time))?;
        Ok(CwaWriter {
            out,
            settings,
            code,
            start_unix_s,
            written: 0,
            sequence: 0,
            samples: [[0; 3]; SAMPLES_PER_BLOCK],
            fill: 0,
            full_scale: f64::from(settings.range_g),
        })
    }

    /// Samples accepted so far.
    pub fn len(&self) -> u64 {
        self.written + self.fill as u64
    }

    /// True before the first sample.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Append one sample, g (clipped to the range, rounded to 1/256 g).
    ///
    /// # Errors
    /// The writer's errors (a block is written every 80 samples).
    pub fn push(&mut self, acc_g: [f64; 3]) -> io::Result<()> {
        let fs = self.full_scale;
        let count = |g: f64| (g.clamp(-fs, fs) * 256.0).round() as i16;
        self.samples[self.fill] = [count(acc_g[0]), count(acc_g[1]), count(acc_g[2])];
        self.fill += 1;
        if self.fill == SAMPLES_PER_BLOCK {
            self.write_block()?;
        }
        Ok(())
    }

    /// Write the last, partial block and hand back the writer.
    ///
    /// # Errors
    /// The writer's errors.
    pub fn finish(mut self) -> io::Result<W> {
        if self.fill > 0 {
            self.write_block()?;
        }
        self.out.flush()?;
        Ok(self.out)
    }

    /// The block of the buffered samples.
    fn write_block(&mut self) -> io::Result<()> {
        let mut b = [0u8; BLOCK_BYTES];
        b[..2].copy_from_slice(b"AX");
        b[2..4].copy_from_slice(&508u16.to_le_bytes());
        let rate = self.settings.rate_hz;
        let secs = self.written as f64 / rate;
        let mut whole = self.start_unix_s + secs.floor() as i64;
        let mut frac15 = ((secs - secs.floor()) * 32_768.0).round() as u32;
        if frac15 >= 32_768 {
            whole += 1;
            frac15 = 0;
        }
        // The firmware moves the offset back by ⌊fraction × rate⌋ (the reader adds it back).
        let back = ((f64::from(frac15 << 1) * rate) / 65_536.0).floor() as i16;
        let time = packed_time(whole)
            .ok_or_else(|| invalid("the recording runs past the CWA clock's 2063".into()))?;
        b[4..6].copy_from_slice(&(0x8000u16 | frac15 as u16).to_le_bytes());
        b[6..10].copy_from_slice(&self.settings.session_id.to_le_bytes());
        b[10..14].copy_from_slice(&self.sequence.to_le_bytes());
        b[14..18].copy_from_slice(&time.to_le_bytes());
        // Light 0, accelerometer scale n = 0 (1/256 g); 25 °C (raw × 75/256 − 50); battery.
        b[20..22].copy_from_slice(&256u16.to_le_bytes());
        b[23] = 200;
        b[24] = self.code;
        b[25] = 0x32;
        b[26..28].copy_from_slice(&(-back).to_le_bytes());
        b[28..30].copy_from_slice(&(self.fill as u16).to_le_bytes());
        for (i, s) in self.samples[..self.fill].iter().enumerate() {
            for (j, v) in s.iter().enumerate() {
                let at = 30 + 6 * i + 2 * j;
                b[at..at + 2].copy_from_slice(&v.to_le_bytes());
            }
        }
        let sum = (0..BLOCK_BYTES / 2 - 1).fold(0u16, |s, i| {
            s.wrapping_add(u16::from_le_bytes([b[2 * i], b[2 * i + 1]]))
        });
        b[510..512].copy_from_slice(&0u16.wrapping_sub(sum).to_le_bytes());
        self.out.write_all(&b)?;
        self.written += self.fill as u64;
        self.fill = 0;
        self.sequence = self.sequence.wrapping_add(1);
        Ok(())
    }
}

/// The 1024-byte header block.
fn header(s: &CwaSettings, code: u8, start_time: u32) -> [u8; HEADER_BYTES] {
    let mut h = [0u8; HEADER_BYTES];
    h[..2].copy_from_slice(b"MD");
    h[2..4].copy_from_slice(&1020u16.to_le_bytes());
    h[4] = 0x17;
    h[5..7].copy_from_slice(&((s.device_id & 0xffff) as u16).to_le_bytes());
    h[7..11].copy_from_slice(&s.session_id.to_le_bytes());
    h[11..13].copy_from_slice(&((s.device_id >> 16) as u16).to_le_bytes());
    h[17..21].copy_from_slice(&u32::MAX.to_le_bytes());
    h[27..35].fill(0xff);
    h[35] = 0xff;
    h[36] = code;
    h[37..41].copy_from_slice(&start_time.to_le_bytes());
    h[41] = 45;
    h[42..44].copy_from_slice(&(-1i16).to_le_bytes());
    h[44..64].fill(0xff);
    h[64..512].fill(b' ');
    h[512..].fill(0xff);
    h
}

/// Write a whole free-living simulation as a `.cwa` file (100 Hz or another AX rate, ±8 g),
/// in chunks of 8192 samples; returns the number of samples.
///
/// # Errors
/// The writer's errors; [`io::ErrorKind::InvalidInput`] for a rate an AX3 does not record at.
pub fn write_free_living(
    out: &mut dyn Write,
    sim: &mut super::free_living::FreeLiving,
) -> io::Result<u64> {
    let spec = *sim.spec();
    let settings = CwaSettings {
        session_id: spec.seed as u32,
        rate_hz: spec.rate_hz,
        ..CwaSettings::default()
    };
    let mut w = CwaWriter::new(out, settings, spec.start_unix_s)?;
    let mut failed = None;
    loop {
        let n = sim.for_each_sample(8192, |_, a| {
            if failed.is_none() {
                if let Err(e) = w.push(a) {
                    failed = Some(e);
                }
            }
        });
        if let Some(e) = failed {
            return Err(e);
        }
        if n == 0 {
            break;
        }
    }
    let n = w.len();
    w.finish()?;
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::native::cwa::read_cwa;
    use crate::simulate::free_living::{FreeLiving, FreeLivingSpec, WearPlacement};
    use crate::units::STANDARD_GRAVITY_MPS2;
    use std::path::Path;

    #[test]
    fn rate_codes_and_clock_words_match_the_decoder() {
        assert_eq!(rate_code(100.0, 8), Some(0x4a));
        assert_eq!(rate_code(200.0, 16), Some(0x0b));
        assert_eq!(rate_code(6.25, 2), Some(0xc6));
        assert_eq!(rate_code(99.0, 8), None);
        assert_eq!(rate_code(100.0, 3), None);
        for code in [0x4a, 0x0b, 0xc6] {
            let rate = crate::ingest::native::cwa::rate_of_code(code).unwrap();
            assert_eq!(rate_code(rate, 16 >> (code >> 6)), Some(code));
        }
        // 2024-03-05 06:07:08, the decoder's own hand-built block.
        let want: u32 = (24 << 26) | (3 << 22) | (5 << 17) | (6 << 12) | (7 << 6) | 8;
        assert_eq!(packed_time(1_709_618_828), Some(want));
        assert_eq!(packed_time(900_000_000), None);
    }

    /// A closed-form signal: three sines of different frequencies, the x axis past ±8 g.
    fn signal(n: usize) -> Vec<[f64; 3]> {
        (0..n)
            .map(|i| {
                let t = i as f64 / 100.0;
                [
                    9.0 * (0.7 * t).sin(),
                    1.0 + 0.3 * (11.0 * t).sin(),
                    -0.5 + 2.0 * (3.1 * t).cos(),
                ]
            })
            .collect()
    }

    #[test]
    fn what_the_writer_writes_the_decoder_reads_back_within_one_count() {
        let n = 80 * 37 + 29;
        let start = 1_789_198_200;
        let mut w = CwaWriter::new(Vec::new(), CwaSettings::default(), start).unwrap();
        let x = signal(n);
        for a in &x {
            w.push(*a).unwrap();
        }
        assert_eq!(w.len(), n as u64);
        let bytes = w.finish().unwrap();
        assert_eq!(bytes.len(), 1024 + 38 * 512);
        let sig = read_cwa(Path::new("w.cwa"), &bytes).unwrap();
        assert_eq!(sig.len(), n);
        assert_eq!(sig.start_unix_s, Some(start as f64));
        assert_eq!(sig.stated_rate_hz, Some(100.0));
        assert!(sig.warnings.is_empty(), "{:?}", sig.warnings);
        for (i, a) in x.iter().enumerate() {
            // The decoder spreads a block's samples to the next block's start, which the
            // 15-bit fraction of a second places to 1/32768 s.
            assert!(
                (sig.time_s[i] - i as f64 / 100.0).abs() < 2e-5,
                "{i}: {}",
                sig.time_s[i]
            );
            for (j, want) in a.iter().enumerate() {
                let got = sig.acc_mps2[j][i] / STANDARD_GRAVITY_MPS2;
                let want = want.clamp(-8.0, 8.0);
                assert!(
                    (got - want).abs() <= 0.5 / 256.0 + 1e-9,
                    "{i},{j}: {got} vs {want}"
                );
            }
        }
        assert!(
            sig.acc_mps2[0]
                .iter()
                .any(|v| (v / STANDARD_GRAVITY_MPS2 - 8.0).abs() < 1e-9)
        );
    }

    #[test]
    fn header_and_blocks_carry_the_ids_sequence_and_checksums() {
        let settings = CwaSettings {
            device_id: 0x0003_1234,
            session_id: 77,
            ..CwaSettings::default()
        };
        let mut w = CwaWriter::new(Vec::new(), settings, 1_789_198_200).unwrap();
        for a in signal(200) {
            w.push(a).unwrap();
        }
        let bytes = w.finish().unwrap();
        let sig = read_cwa(Path::new("w.cwa"), &bytes).unwrap();
        assert_eq!(
            sig.device.as_deref(),
            Some("Axivity AX3 #201268 (session 77)")
        );
        for k in 0..3 {
            let b = &bytes[1024 + 512 * k..1024 + 512 * (k + 1)];
            let seq = u32::from_le_bytes([b[10], b[11], b[12], b[13]]);
            assert_eq!(seq, k as u32);
            let sum = (0..256).fold(0u16, |s, i| {
                s.wrapping_add(u16::from_le_bytes([b[2 * i], b[2 * i + 1]]))
            });
            assert_eq!(sum, 0);
        }
        assert_eq!(
            u16::from_le_bytes([bytes[1024 + 1024 + 28], bytes[1024 + 1024 + 29]]),
            40
        );
    }

    #[test]
    fn an_unrecorded_rate_is_refused() {
        let settings = CwaSettings {
            rate_hz: 60.0,
            ..CwaSettings::default()
        };
        let e = CwaWriter::new(Vec::new(), settings, 1_789_198_200).unwrap_err();
        assert!(e.to_string().contains("not 60 Hz"), "{e}");
    }

    #[test]
    fn a_free_living_day_decodes_to_its_schedule_length() {
        // 12.5 Hz keeps the decoded day small; the clock rules are the same at 100 Hz.
        let spec = FreeLivingSpec {
            days: 1,
            rate_hz: 12.5,
            placement: WearPlacement::Trunk,
            seed: 9,
            start_unix_s: 1_789_000_000,
        };
        let mut sim = FreeLiving::new(spec);
        let mut bytes = Vec::new();
        let n = write_free_living(&mut bytes, &mut sim).unwrap();
        assert_eq!(n, 1_080_000);
        let sig = read_cwa(Path::new("day.cwa"), &bytes).unwrap();
        assert_eq!(sig.len() as u64, n);
        assert_eq!(sig.start_unix_s, Some(1_789_000_000.0));
        let end = sim.truth().last().unwrap().end_s;
        let last = *sig.time_s.last().unwrap();
        assert!((last + 1.0 / 12.5 - end).abs() < 1e-4, "{last} vs {end}");
        // Asleep at 03:00 local: gravity alone, 1 g.
        let i = ((3.0 * 3600.0 - (1_789_000_000 % 86_400) as f64) * 12.5) as usize;
        let g: f64 = (0..3)
            .map(|j| sig.acc_mps2[j][i].powi(2))
            .sum::<f64>()
            .sqrt();
        assert!((g / STANDARD_GRAVITY_MPS2 - 1.0).abs() < 0.05, "{g}");
    }
}
