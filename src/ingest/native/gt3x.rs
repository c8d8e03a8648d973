//! ActiGraph `.gt3x` files: a zip holding `info.txt` and either the legacy `activity.bin`
//! (GT3X+ "NEO"/ActiSleep "MRA" with firmware up to 2.5.0) or the newer `log.bin` record
//! stream (wGT3X-BT, GT9X Link, GT3X+ firmware ≥ 3.0).
//!
//! Formats (ActiGraph, "GT3X File Format", github.com/actigraph/GT3X-File-Format: README,
//! `info.txt.md`, `LogRecords/Activity.md`, `Activity2.md`, `Parameters.md`; and
//! github.com/actigraph/NHANES-GT3X-File-Format for the legacy files):
//!
//! * `info.txt`: `Key: Value` lines; `Sample Rate` (Hz), `Start Date` / `Stop Date` /
//!   `Last Sample Time` in .NET ticks (100 ns since 0001-01-01, the device's local time),
//!   `TimeZone` (`-06:00:00`), `Acceleration Scale` (counts per g), `Serial Number`,
//!   `Device Type`.
//! * `activity.bin` (legacy): samples from `Start Date` at the stated rate, each 36 bits:
//!   12-bit two's-complement values in the order Y, X, Z, most significant bit first; 341
//!   counts per g (GT3X+ ±6 g).
//! * `log.bin`: records `1E type:u8 timestamp:u32 (Unix s, local clock) size:u16 payload
//!   checksum:u8`, the checksum the one's complement of the XOR of header and payload; zero
//!   bytes between records may be skipped. ACTIVITY (0x00): one second of 12-bit Y, X, Z
//!   samples packed as above; ACTIVITY2 (0x1A): one second of little-endian i16 X, Y, Z (a
//!   1-byte payload is a USB event, not samples); PARAMETERS (0x15): 8-byte key/value pairs,
//!   key (address 0, id 55) ACCEL_SCALE as an SSP float (24-bit two's-complement fraction /
//!   2²³ × 2^exponent). Scale: PARAMETERS, else `info.txt`, else 341 for NEO/CLE serials and
//!   256 for MOS serials.
//!
//! Idle sleep mode: the device stops sampling while it is still and writes no ACTIVITY
//! record (or an empty one) for those seconds; ActiLife fills them with the last sample
//! (read.gt3x and pygt3x document the same), and so does this reader, with a warning. Times
//! are converted to UTC with `TimeZone`.

use super::{Emitter, corrupt, le_u16, le_u32};
use crate::error::IngestError;
use crate::ingest::Dialect;
use crate::ingest::stream::{Collect, SampleSink};
use crate::recording::{RawSignal, TimeSource, Warning};
use crate::vocab::WarningCode;
use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Seek};
use std::path::Path;

/// Record separator.
const SEPARATOR: u8 = 0x1e;
/// ACTIVITY record: packed 12-bit samples.
const ACTIVITY: u8 = 0x00;
/// PARAMETERS record.
const PARAMETERS: u8 = 0x15;
/// ACTIVITY2 record: 16-bit samples.
const ACTIVITY2: u8 = 0x1a;
/// .NET ticks at the Unix epoch.
const TICKS_AT_UNIX_EPOCH: i64 = 621_355_968_000_000_000;
/// The most bytes of one zip member decompressed, the decompression-bomb budget (a week at
/// 100 Hz of ACTIVITY2 is about 360 MB; the member is streamed, never held whole).
const MAX_MEMBER_BYTES: u64 = 1 << 30;
/// The longest idle-sleep gap filled, s (a month: longer is a broken clock).
const MAX_GAP_S: u32 = 31 * 86_400;
/// The most samples idle-sleep filling may bring a recording to (about 3 GB of samples when
/// the whole-file path collects them), so a forged timestamp cannot make a reader emit
/// without bound.
const MAX_FILLED_SAMPLES: usize = 100_000_000;

/// A zip whose central directory lists `activity.bin` or `log.bin` (its `info.txt` is
/// checked when it is read, so a container without it gets a GT3X error, not an archive one).
pub fn looks_like_gt3x(bytes: &[u8]) -> bool {
    crate::ingest::archive::is_zip(bytes)
        && zip::ZipArchive::new(std::io::Cursor::new(bytes)).is_ok_and(|z| has_members(&z))
}

/// True when `path` is a regular file that is a GT3X zip.
pub fn is_gt3x_file(path: &Path) -> bool {
    let Ok(f) = std::fs::File::open(path) else {
        return false;
    };
    f.metadata().is_ok_and(|m| m.is_file())
        && zip::ZipArchive::new(f).is_ok_and(|z| has_members(&z))
}

fn has_members<R: Read + std::io::Seek>(z: &zip::ZipArchive<R>) -> bool {
    let names: Vec<&str> = z.file_names().collect();
    names.contains(&"log.bin") || names.contains(&"activity.bin")
}

/// A zip head with a local-file header named `info.txt`, `log.bin` or `activity.bin`
/// (format detection on a stream, which cannot read the central directory).
pub fn head_names_gt3x_member(head: &[u8]) -> bool {
    if !crate::ingest::archive::is_zip(head) {
        return false;
    }
    (0..head.len().saturating_sub(30)).any(|i| {
        if &head[i..i + 4] != b"PK\x03\x04" {
            return false;
        }
        let n = usize::from(le_u16(head, i + 26));
        head.get(i + 30..i + 30 + n)
            .is_some_and(|name| matches!(name, b"info.txt" | b"log.bin" | b"activity.bin"))
    })
}

/// What `info.txt` says.
#[derive(Debug, Clone)]
struct Info {
    serial: String,
    device_type: String,
    rate_hz: u32,
    start_ticks: i64,
    /// Local time − UTC, s.
    tz_s: i64,
    scale: Option<f64>,
}

/// Decode a `.gt3x` file held in memory: [`stream_gt3x_from`] into the [`Collect`] sink.
///
/// # Errors
/// As [`stream_gt3x_from`].
pub fn read_gt3x(path: &Path, bytes: &[u8]) -> Result<RawSignal, IngestError> {
    let mut collect = Collect::new();
    stream_gt3x_from(path, std::io::Cursor::new(bytes), &mut collect)?;
    collect.into_signal(path, "the actigraph-gt3x file")
}

/// Decode the `.gt3x` file at `path` into `sink`, reading the zip from the file (its central
/// directory, then the members through their decompressing readers).
///
/// # Errors
/// [`IngestError::Io`] when the file cannot be opened; otherwise as [`stream_gt3x_from`].
pub fn stream_gt3x(path: &Path, sink: &mut dyn SampleSink) -> Result<(), IngestError> {
    let file = std::fs::File::open(path).map_err(|source| IngestError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    stream_gt3x_from(path, BufReader::new(file), sink)
}

/// Decode a `.gt3x` zip read from `reader` into `sink`: `info.txt` first (rate, start, time
/// zone, scale), then `log.bin` record by record, or `activity.bin` a buffer at a time,
/// never a member whole. `log.bin` is walked twice: first only as far as the first
/// PARAMETERS record stating ACCEL_SCALE (the scale of every sample, also of those before
/// it; a few hundred bytes into a real file, the whole member when no record states it),
/// then from the start for the samples.
///
/// # Errors
/// [`IngestError::Archive`] when the zip or a member cannot be read (or a member
/// decompresses to more than [`MAX_MEMBER_BYTES`]), [`IngestError::Sensor`] for a missing or
/// malformed `info.txt`, a record cut short or with a bad checksum, an absurd sample rate;
/// [`IngestError::NoData`] when no samples are stored; whatever the sink returns.
pub fn stream_gt3x_from<R: Read + Seek>(
    path: &Path,
    reader: R,
    sink: &mut dyn SampleSink,
) -> Result<(), IngestError> {
    let mut zip = zip::ZipArchive::new(reader).map_err(|e| IngestError::Archive {
        path: path.to_path_buf(),
        reason: format!("not a readable GT3X zip: {e}"),
    })?;
    let info_text = small_member(path, &mut zip, "info.txt")?.ok_or_else(|| {
        corrupt(
            path,
            0,
            "the GT3X zip holds no info.txt (its sample rate, start and scale)",
        )
    })?;
    let info = parse_info(path, &String::from_utf8_lossy(&info_text))?;
    let mut out = Emitter::new(
        sink,
        path,
        Dialect::ActigraphGt3x,
        TimeSource::Column,
        false,
    );
    out.meta.stated_rate_hz = Some(f64::from(info.rate_hz));
    out.meta.device = Some(format!("ActiGraph {} {}", info.device_type, info.serial));
    if has_member(&zip, "log.bin") {
        let scale = match parameters_scale(&mut open_member(path, &mut zip, "log.bin")?)? {
            Some(s) => s,
            None => info.scale.unwrap_or_else(|| default_scale(&info.serial)),
        };
        let mut log = open_member(path, &mut zip, "log.bin")?;
        read_log(&mut log, &info, scale, &mut out)?;
    } else if has_member(&zip, "activity.bin") {
        let mut act = open_member(path, &mut zip, "activity.bin")?;
        read_legacy(&mut act, &info, &mut out)?;
    } else {
        return Err(corrupt(
            path,
            0,
            "the GT3X zip holds neither log.bin nor activity.bin",
        ));
    }
    out.finish()
}

/// Bytes of `info.txt` read at most (a few hundred bytes in every real file).
const MAX_INFO_BYTES: u64 = 1 << 20;

/// True when the zip's central directory lists `name`.
fn has_member<R: Read + Seek>(zip: &zip::ZipArchive<R>, name: &str) -> bool {
    zip.file_names().any(|n| n == name)
}

/// A zip member error: the archive path joined with the member's name.
fn member_err(path: &Path, name: &str, reason: String) -> IngestError {
    IngestError::Archive {
        path: path.join(name),
        reason,
    }
}

/// The bytes of a small zip member (`None` when absent), at most [`MAX_INFO_BYTES`].
fn small_member<R: Read + Seek>(
    path: &Path,
    zip: &mut zip::ZipArchive<R>,
    name: &str,
) -> Result<Option<Vec<u8>>, IngestError> {
    if !has_member(zip, name) {
        return Ok(None);
    }
    let f = zip
        .by_name(name)
        .map_err(|e| member_err(path, name, format!("cannot open the entry: {e}")))?;
    let mut buf = Vec::new();
    f.take(MAX_INFO_BYTES + 1)
        .read_to_end(&mut buf)
        .map_err(|e| member_err(path, name, format!("cannot decompress the entry: {e}")))?;
    if buf.len() as u64 > MAX_INFO_BYTES {
        return Err(member_err(
            path,
            name,
            format!("decompresses to more than {} MiB", MAX_INFO_BYTES >> 20),
        ));
    }
    Ok(Some(buf))
}

/// A member's decompressing reader, buffered, at most [`MAX_MEMBER_BYTES`] (the
/// decompression-bomb budget).
fn open_member<'a, R: Read + Seek>(
    path: &'a Path,
    zip: &'a mut zip::ZipArchive<R>,
    name: &'a str,
) -> Result<Member<'a, zip::read::ZipFile<'a, R>>, IngestError> {
    let entry = zip
        .by_name(name)
        .map_err(|e| member_err(path, name, format!("cannot open the entry: {e}")))?;
    Ok(Member {
        path,
        name,
        inner: BufReader::with_capacity(
            1 << 16,
            Budget {
                inner: entry,
                left: MAX_MEMBER_BYTES,
            },
        ),
        at: 0,
    })
}

/// A reader that fails once more than its budget of bytes came through.
struct Budget<R> {
    inner: R,
    left: u64,
}

/// The marker of [`Budget`]'s error.
#[derive(Debug)]
struct OverBudget;

impl std::fmt::Display for OverBudget {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "decompresses to more than {} MiB",
            MAX_MEMBER_BYTES >> 20
        )
    }
}

impl std::error::Error for OverBudget {}

impl<R: Read> Read for Budget<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        if n as u64 > self.left {
            return Err(std::io::Error::other(OverBudget));
        }
        self.left -= n as u64;
        Ok(n)
    }
}

/// A zip member being read: its buffered reader and the byte offset reached in it.
struct Member<'a, Z> {
    path: &'a Path,
    name: &'a str,
    inner: BufReader<Budget<Z>>,
    /// Bytes of the member consumed so far.
    at: usize,
}

impl<Z: Read> Member<'_, Z> {
    /// The error of a failed read: the budget, or the decompression.
    fn read_err(&self, e: &std::io::Error) -> IngestError {
        let reason = match e.get_ref().filter(|x| x.is::<OverBudget>()) {
            Some(x) => x.to_string(),
            None => format!("cannot decompress the entry: {e}"),
        };
        member_err(self.path, self.name, reason)
    }

    /// Fill `buf` as far as the member goes; the bytes read.
    fn read_full(&mut self, buf: &mut [u8]) -> Result<usize, IngestError> {
        let mut n = 0;
        while n < buf.len() {
            match self.inner.read(&mut buf[n..]) {
                Ok(0) => break,
                Ok(k) => n += k,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(self.read_err(&e)),
            }
        }
        self.at += n;
        Ok(n)
    }

    /// Skip zero bytes; the next byte (not consumed), `None` at the end.
    fn skip_zeros(&mut self) -> Result<Option<u8>, IngestError> {
        loop {
            let buf = match self.inner.fill_buf() {
                Ok(b) => b,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(self.read_err(&e)),
            };
            let Some(&first) = buf.first() else {
                return Ok(None);
            };
            let zeros = buf.iter().take_while(|&&b| b == 0).count();
            if zeros == 0 {
                return Ok(Some(first));
            }
            self.inner.consume(zeros);
            self.at += zeros;
        }
    }
}

/// Parse `info.txt` (`Key: Value` lines).
fn parse_info(path: &Path, text: &str) -> Result<Info, IngestError> {
    let kv: HashMap<&str, &str> = text
        .lines()
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim(), v.trim()))
        .collect();
    let field = |k: &str| -> Result<&str, IngestError> {
        kv.get(k)
            .copied()
            .ok_or_else(|| corrupt(path, 0, format!("info.txt has no '{k}'")))
    };
    let bad = |k: &str, v: &str, want: &str| {
        corrupt(path, 0, format!("info.txt '{k}' is '{v}', expected {want}"))
    };
    let rate = field("Sample Rate")?;
    let rate_hz: u32 = rate
        .parse()
        .ok()
        .filter(|r| (1..=10_000).contains(r))
        .ok_or_else(|| bad("Sample Rate", rate, "a whole number of Hz from 1 to 10000"))?;
    let ticks = |k: &str| -> Result<i64, IngestError> {
        let v = field(k)?;
        v.parse().map_err(|_| bad(k, v, "a .NET tick count"))
    };
    let start_ticks = ticks("Start Date")?;
    if start_ticks < TICKS_AT_UNIX_EPOCH {
        return Err(bad("Start Date", field("Start Date")?, "a date after 1970"));
    }
    let scale = match kv.get("Acceleration Scale") {
        Some(v) => Some(
            v.replace(',', ".")
                .parse::<f64>()
                .ok()
                .filter(|s| *s > 0.0 && s.is_finite())
                .ok_or_else(|| bad("Acceleration Scale", v, "counts per g (> 0)"))?,
        ),
        None => None,
    };
    Ok(Info {
        serial: kv.get("Serial Number").unwrap_or(&"").to_string(),
        device_type: kv.get("Device Type").unwrap_or(&"").to_string(),
        rate_hz,
        start_ticks,
        tz_s: kv.get("TimeZone").and_then(|v| parse_tz_s(v)).unwrap_or(0),
        scale,
    })
}

/// `-06:00:00` → −21600 s.
fn parse_tz_s(v: &str) -> Option<i64> {
    let (sign, rest) = match v.strip_prefix('-') {
        Some(r) => (-1, r),
        None => (1, v.trim_start_matches('+')),
    };
    let mut parts = rest.split(':').map(|p| p.trim().parse::<i64>());
    let h = parts.next()?.ok()?;
    let m = parts.next().unwrap_or(Ok(0)).ok()?;
    let s = parts.next().unwrap_or(Ok(0)).ok()?;
    Some(sign * (h * 3600 + m * 60 + s))
}

/// Unix time (UTC) of a .NET tick count of the device's local clock: whole seconds and the
/// fraction after them.
fn ticks_to_unix(ticks: i64, tz_s: i64) -> (i64, f64) {
    let t = ticks - TICKS_AT_UNIX_EPOCH;
    (
        t.div_euclid(10_000_000) - tz_s,
        t.rem_euclid(10_000_000) as f64 / 1e7,
    )
}

/// Counts per g when neither PARAMETERS nor `info.txt` says: 341 for NEO/CLE (and MRA)
/// serials, 256 for MOS serials (`Activity2.md`).
fn default_scale(serial: &str) -> f64 {
    if serial.starts_with("MOS") {
        256.0
    } else {
        341.0
    }
}

/// The 12-bit Y, X, Z samples packed in `bytes` (36 bits each, MSB first), as X, Y, Z counts.
fn unpack12(bytes: &[u8], n: usize, mut f: impl FnMut([i16; 3])) {
    let nibble = |k: usize| -> u16 {
        let b = bytes[k / 2];
        u16::from(if k % 2 == 0 { b >> 4 } else { b & 0x0f })
    };
    for i in 0..n {
        let mut v = [0i16; 3];
        for (a, slot) in v.iter_mut().enumerate() {
            let k = 9 * i + 3 * a;
            let u = (nibble(k) << 8) | (nibble(k + 1) << 4) | nibble(k + 2);
            *slot = if u & 0x800 != 0 {
                (u | 0xf000) as i16
            } else {
                u as i16
            };
        }
        f([v[1], v[0], v[2]]);
    }
}

/// Legacy `activity.bin`: samples from `Start Date` at the stated rate, every whole sample
/// stored (ActiLife's own export keeps the few past `Stop Date` too). Read a multiple of 9
/// bytes (two 36-bit samples) at a time.
fn read_legacy(
    act: &mut Member<'_, impl Read>,
    info: &Info,
    out: &mut Emitter,
) -> Result<(), IngestError> {
    let scale = info.scale.unwrap_or_else(|| default_scale(&info.serial));
    let (whole, frac) = ticks_to_unix(info.start_ticks, info.tz_s);
    let rate = f64::from(info.rate_hz);
    let mut buf = vec![0u8; 9 * 4096];
    let mut i = 0usize;
    loop {
        let got = act.read_full(&mut buf)?;
        let mut result = Ok(());
        unpack12(&buf[..got], got * 2 / 9, |c| {
            if result.is_ok() {
                result = out.push(
                    whole,
                    frac + i as f64 / rate,
                    c.map(|v| f64::from(v) / scale),
                    None,
                );
            }
            i += 1;
        });
        result?;
        if got < buf.len() {
            return Ok(());
        }
    }
}

/// One record of `log.bin`, its payload in the walker's buffer.
#[derive(Debug, Clone, Copy)]
struct Record {
    index: usize,
    offset: usize,
    kind: u8,
    unix_s: u32,
}

/// Walks the records of `log.bin` one at a time, checking separators, lengths and
/// checksums; holds one payload (at most 64 KiB).
struct Records<'m, 'a, Z> {
    log: &'m mut Member<'a, Z>,
    index: usize,
    payload: Vec<u8>,
}

impl<'m, 'a, Z: Read> Records<'m, 'a, Z> {
    fn new(log: &'m mut Member<'a, Z>) -> Self {
        Records {
            log,
            index: 0,
            payload: Vec::new(),
        }
    }

    /// The next record (its payload in `self.payload`), `None` at the end of the member.
    fn next_record(&mut self) -> Result<Option<Record>, IngestError> {
        // Zero padding between records (README: "Extra bytes with 0's").
        let Some(first) = self.log.skip_zeros()? else {
            return Ok(None);
        };
        let (at, index, path) = (self.log.at, self.index, self.log.path);
        let here = |reason: String| corrupt(path, at, format!("log.bin record {index}: {reason}"));
        if first != SEPARATOR {
            return Err(here(format!(
                "expected the separator 0x1E, found {first:#04x}"
            )));
        }
        let mut head = [0u8; 8];
        if self.log.read_full(&mut head)? < 8 {
            return Err(here("cut short inside its 8-byte header".into()));
        }
        let size = usize::from(le_u16(&head, 6));
        self.payload.resize(size + 1, 0);
        let got = self.log.read_full(&mut self.payload)?;
        if got < size + 1 {
            return Err(here(format!(
                "cut short: a {size}-byte payload and its checksum need {} bytes, {} remain",
                size + 9,
                8 + got
            )));
        }
        let sum = self.payload[size];
        self.payload.truncate(size);
        let xor = head.iter().chain(&self.payload).fold(0u8, |x, b| x ^ b);
        if !xor != sum {
            return Err(here(format!(
                "bad checksum {sum:#04x} (expected {:#04x})",
                !xor
            )));
        }
        self.index += 1;
        Ok(Some(Record {
            index,
            offset: at,
            kind: head[1],
            unix_s: le_u32(&head, 2),
        }))
    }
}

/// The ACCEL_SCALE of the first PARAMETERS record that states one (`None` when none does),
/// walking `log.bin` only as far as that record.
fn parameters_scale(log: &mut Member<'_, impl Read>) -> Result<Option<f64>, IngestError> {
    let mut recs = Records::new(log);
    while let Some(r) = recs.next_record()? {
        if r.kind == PARAMETERS {
            if let Some(s) = accel_scale(&recs.payload) {
                return Ok(Some(s));
            }
        }
    }
    Ok(None)
}

/// ACCEL_SCALE (address 0, id 55) of a PARAMETERS payload, decoded from its SSP float.
fn accel_scale(payload: &[u8]) -> Option<f64> {
    payload
        .chunks_exact(8)
        .find_map(|kv| {
            (le_u16(kv, 0) == 0 && le_u16(kv, 2) == 55).then(|| ssp_float(le_u32(kv, 4)))
        })
        .filter(|s| *s > 0.0 && s.is_finite())
}

/// SSP float: a 24-bit two's-complement fraction / 2²³ times 2^(8-bit signed exponent)
/// (`Parameters.md`).
pub fn ssp_float(v: u32) -> f64 {
    let exponent = f64::from((v >> 24) as u8 as i8);
    let frac = ((v & 0x00ff_ffff) << 8) as i32 >> 8;
    f64::from(frac) / 8_388_608.0 * exponent.exp2()
}

/// `log.bin`: ACTIVITY and ACTIVITY2 records, one second each; idle-sleep seconds (absent or
/// empty records) filled with the last sample. `scale`: counts per g.
fn read_log(
    log: &mut Member<'_, impl Read>,
    info: &Info,
    scale: f64,
    out: &mut Emitter,
) -> Result<(), IngestError> {
    let path = log.path;
    let rate = info.rate_hz as usize;
    let mut fill = Filler {
        last: None,
        prev_s: None,
        filled_s: 0,
        back: 0,
    };
    let mut recs = Records::new(log);
    while let Some(r) = recs.next_record()? {
        let payload = &recs.payload;
        if !(r.kind == ACTIVITY || (r.kind == ACTIVITY2 && payload.len() != 1)) {
            continue;
        }
        if !fill.before(path, &r, rate, info.tz_s, out)? {
            continue; // a record not after the previous one in time: skipped (counted)
        }
        let t0 = i64::from(r.unix_s) - info.tz_s;
        let mut i = 0usize;
        let mut last = None;
        let mut result = Ok(());
        let mut push = |c: [i16; 3]| {
            let g = c.map(|v| f64::from(v) / scale);
            if result.is_ok() {
                result = out.push(t0, i as f64 / rate as f64, g, None);
            }
            last = Some(g);
            i += 1;
        };
        if r.kind == ACTIVITY {
            let n = (payload.len() * 2 / 9).min(rate);
            unpack12(payload, n, &mut push);
        } else {
            for s in payload.chunks_exact(6).take(rate) {
                let w = |j: usize| i16::from_le_bytes([s[j], s[j + 1]]);
                push([w(0), w(2), w(4)]);
            }
        }
        result?;
        match last {
            None => fill.repeat(t0, rate, out)?, // an empty record: a second of idle sleep
            Some(g) => fill.last = Some(g),
        }
    }
    fill.warn(out);
    Ok(())
}

/// Idle-sleep filling state of [`read_log`].
struct Filler {
    /// The last sample, g.
    last: Option<[f64; 3]>,
    /// The second of the record being decoded (`None` before the first).
    prev_s: Option<u32>,
    filled_s: u64,
    back: usize,
}

impl Filler {
    /// Before record `r`: fill the seconds since the previous record with the last sample;
    /// `false` when `r` is not after the previous record (it is skipped).
    fn before(
        &mut self,
        path: &Path,
        r: &Record,
        rate: usize,
        tz_s: i64,
        out: &mut Emitter,
    ) -> Result<bool, IngestError> {
        let Some(prev) = self.prev_s else {
            self.prev_s = Some(r.unix_s);
            return Ok(true);
        };
        if r.unix_s <= prev {
            self.back += 1;
            return Ok(false);
        }
        let gap = r.unix_s - prev - 1;
        if gap > MAX_GAP_S {
            return Err(corrupt(
                path,
                r.offset,
                format!(
                    "log.bin record {}: its time is {gap} s after the previous record's (more than {MAX_GAP_S} s of idle sleep: a broken clock)",
                    r.index
                ),
            ));
        }
        if out.len() + gap as usize * rate > MAX_FILLED_SAMPLES {
            return Err(corrupt(
                path,
                r.offset,
                format!(
                    "log.bin record {}: filling {gap} s of idle sleep at {rate} Hz would pass {MAX_FILLED_SAMPLES} samples, more than gaitguard holds in memory",
                    r.index
                ),
            ));
        }
        for s in 1..=gap {
            self.repeat(i64::from(prev + s) - tz_s, rate, out)?;
        }
        self.prev_s = Some(r.unix_s);
        Ok(true)
    }

    /// One second of the last sample from `t0`.
    fn repeat(&mut self, t0: i64, rate: usize, out: &mut Emitter) -> Result<(), IngestError> {
        let Some(last) = self.last else {
            return Ok(());
        };
        for i in 0..rate {
            out.push(t0, i as f64 / rate as f64, last, None)?;
        }
        self.filled_s += 1;
        Ok(())
    }

    fn warn(&self, out: &mut Emitter) {
        if self.filled_s > 0 {
            out.warn(Warning::new(
                WarningCode::SampleGaps,
                format!(
                    "{} s of idle sleep (no samples stored while the device was still) filled with the last sample, as ActiLife does",
                    self.filled_s
                ),
            ));
        }
        if self.back > 0 {
            out.warn(Warning::new(
                WarningCode::TimeBackwards,
                format!(
                    "{} GT3X activity records not after the previous one in time were skipped",
                    self.back
                ),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn twelve_bit_samples_follow_the_documented_example() {
        // Activity.md: "00 60 08 EB D0 07 00 9E BF 00 70 08 EB F0" → (Y, X, Z) counts
        // (6, 8, −323), (7, 9, −321), (7, 8, −321).
        let bytes = [
            0x00, 0x60, 0x08, 0xEB, 0xD0, 0x07, 0x00, 0x9E, 0xBF, 0x00, 0x70, 0x08, 0xEB, 0xF0,
        ];
        let mut got = Vec::new();
        unpack12(&bytes, 3, |c| got.push(c));
        assert_eq!(got, vec![[8, 6, -323], [9, 7, -321], [8, 7, -321]]);
    }

    #[test]
    fn ssp_floats_decode_as_documented() {
        // Parameters.md: 00 00 40 09 → ACCEL_SCALE 256; 00 00 40 0C → 2048; 81 95 41 03 → 4.1 V.
        assert_eq!(ssp_float(0x0940_0000), 256.0);
        assert_eq!(ssp_float(0x0C40_0000), 2048.0);
        assert!((ssp_float(0x0341_9581) - 4.1).abs() < 0.01);
        assert_eq!(ssp_float(0), 0.0);
    }

    /// A `log.bin` record: separator, type, time, size, payload, checksum.
    fn record(kind: u8, unix_s: u32, payload: &[u8]) -> Vec<u8> {
        let mut r = vec![SEPARATOR, kind];
        r.extend_from_slice(&unix_s.to_le_bytes());
        r.extend_from_slice(&(payload.len() as u16).to_le_bytes());
        r.extend_from_slice(payload);
        r.push(!r.iter().fold(0u8, |x, b| x ^ b));
        r
    }

    /// A GT3X zip of `info.txt` and `log.bin`.
    fn gt3x_zip(info: &str, log: &[u8]) -> Vec<u8> {
        use std::io::Write;
        let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        for (name, b) in [("info.txt", info.as_bytes()), ("log.bin", log)] {
            z.start_file(name, zip::write::SimpleFileOptions::default())
                .unwrap();
            z.write_all(b).unwrap();
        }
        z.finish().unwrap().into_inner()
    }

    /// The PARAMETERS record's ACCEL_SCALE is the scale of every sample, also of those
    /// stored before it (the stream looks ahead for it); an idle-sleep gap is filled with
    /// the last sample, zero padding between records is skipped.
    #[test]
    fn a_later_parameters_record_scales_the_earlier_samples() {
        let info = format!(
            "Serial Number: NEO1A23456789\nDevice Type: wGT3XBT\nSample Rate: 2\nStart Date: {}\nTimeZone: 00:00:00\n",
            TICKS_AT_UNIX_EPOCH + 1_000 * 10_000_000
        );
        let samples = |v: [[i16; 3]; 2]| -> Vec<u8> {
            v.iter().flatten().flat_map(|c| c.to_le_bytes()).collect()
        };
        let mut params = Vec::new();
        params.extend_from_slice(&0u16.to_le_bytes());
        params.extend_from_slice(&55u16.to_le_bytes());
        params.extend_from_slice(&0x0940_0000u32.to_le_bytes()); // 256 counts per g
        let mut log = record(ACTIVITY2, 1_000, &samples([[256, -512, 128], [0, 0, 256]]));
        log.extend_from_slice(&[0, 0, 0]);
        log.extend(record(PARAMETERS, 1_000, &params));
        log.extend(record(
            ACTIVITY2,
            1_001,
            &samples([[-256, 64, 0], [512, 0, -128]]),
        ));
        log.extend(record(
            ACTIVITY2,
            1_004,
            &samples([[0, 0, 256], [0, 256, 0]]),
        ));
        let sig = read_gt3x(Path::new("p.gt3x"), &gt3x_zip(&info, &log)).unwrap();
        let g = crate::units::STANDARD_GRAVITY_MPS2;
        let x: Vec<f64> = sig.acc_mps2[0].iter().map(|v| v / g).collect();
        // 256 counts per g, not the 341 a NEO serial defaults to; 1002 and 1003 filled.
        assert_eq!(x, vec![1.0, 0.0, -1.0, 2.0, 2.0, 2.0, 2.0, 2.0, 0.0, 0.0]);
        assert_eq!(sig.acc_mps2[1][1], 0.0);
        assert_eq!(sig.start_unix_s, Some(1_000.0));
        assert_eq!(sig.time_s[9], 4.5);
        assert!(sig.warnings[0].message.starts_with("2 s of idle sleep"));
    }

    #[test]
    fn time_zones_and_ticks() {
        assert_eq!(parse_tz_s("-06:00:00"), Some(-21_600));
        assert_eq!(parse_tz_s("02:00:00"), Some(7200));
        assert_eq!(
            ticks_to_unix(TICKS_AT_UNIX_EPOCH + 15_000_000, 3600),
            (1 - 3600, 0.5)
        );
    }
}
