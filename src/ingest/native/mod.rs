//! Native sensor files: Axivity `.cwa` ([`cwa`]), ActiGraph `.gt3x` ([`gt3x`]) and
//! GENEActiv `.bin` ([`geneactiv`]) decoded into the same [`RawSignal`] the CSV raw readers
//! build (acceleration in m/s², angular rate in deg/s, time in seconds from the first sample),
//! so the signal engine analyses them unchanged.
//!
//! Recognised by content, never by name: a CWA file starts with its `MD` header block
//! (packet length 1020), a GENEActiv file with the text `Device Identity`, a GT3X file is a
//! zip holding `info.txt` and `activity.bin` or `log.bin`. No maintained Rust crate reads
//! these formats (compared: `actfast` and `cwa-reader-rs` are Python packages with Rust cores,
//! not published as Rust library crates; the reference readers are OpenMovement's C and Python
//! code, pygt3x, read.gt3x and GGIRread), so the decoders here follow the published format
//! descriptions cited in each module.
//!
//! Every decoder streams: it reads its header, then one CWA block, GT3X record (or buffer of
//! legacy samples) or GENEActiv page at a time, and pushes [`Chunk`]s of at most
//! [`CHUNK_SAMPLES`] samples into a [`SampleSink`] (through the crate-private `Emitter`), so a week-long
//! recording (60 million samples at 100 Hz) decodes in memory that does not grow with it
//! ([`stream_native`] from disk). The whole-file [`read_native`] is the same stream over the
//! bytes into the [`Collect`] sink.
//!
//! A malformed file is refused with [`IngestError::Sensor`], naming the byte offset and the
//! block, record or page (mid-stream too: the samples before it have reached the sink);
//! nothing here panics on user data.

pub mod cwa;
pub mod geneactiv;
pub mod gt3x;

use super::Dialect;
use super::stream::{CHUNK_SAMPLES, Chunk, Collect, SampleSink, StreamMeta};
use crate::error::IngestError;
use crate::recording::{AccelUnit, AxisFrame, Decided, RawSignal, TimeSource, Warning};
use crate::units::STANDARD_GRAVITY_MPS2;
use std::fs::File;
use std::io::{BufRead, BufReader, Cursor, Read, Seek};
use std::path::Path;

/// The native dialect of a whole file, by its content (`None`: not a native sensor file).
pub fn sniff(bytes: &[u8]) -> Option<Dialect> {
    if cwa::looks_like_cwa(bytes) {
        Some(Dialect::AxivityCwa)
    } else if geneactiv::looks_like_geneactiv(bytes) {
        Some(Dialect::GeneactivBin)
    } else if gt3x::looks_like_gt3x(bytes) {
        Some(Dialect::ActigraphGt3x)
    } else {
        None
    }
}

/// The native dialect from a file's first bytes only (format detection on a stream's head):
/// CWA and GENEActiv by their first bytes, GT3X by a zip local-file header naming one of its
/// members (`info.txt`, `log.bin`, `activity.bin`) within the head.
pub fn sniff_head(head: &[u8]) -> Option<Dialect> {
    if cwa::looks_like_cwa(head) {
        Some(Dialect::AxivityCwa)
    } else if geneactiv::looks_like_geneactiv(head) {
        Some(Dialect::GeneactivBin)
    } else if gt3x::head_names_gt3x_member(head) {
        Some(Dialect::ActigraphGt3x)
    } else {
        None
    }
}

/// Decode a native sensor file of a known dialect held whole in memory: the streaming
/// decoder ([`stream_reader`]) over the bytes into the [`Collect`] sink.
///
/// # Errors
/// [`IngestError::Sensor`] for a malformed file, [`IngestError::NoData`] for one without
/// samples, [`IngestError::Archive`] for a GT3X zip that cannot be opened.
pub fn read_native(path: &Path, bytes: &[u8], dialect: Dialect) -> Result<RawSignal, IngestError> {
    let mut collect = Collect::new();
    stream_reader(path, Cursor::new(bytes), dialect, &mut collect)?;
    collect.into_signal(path, &format!("the {} file", dialect.name()))
}

/// Bytes of the read buffer [`stream_native`] puts in front of the file: large reads keep
/// the system calls few, and the buffer is the decoder's only allocation that grows with
/// the read size (not with the file).
pub const READ_BUFFER_BYTES: usize = 1 << 20;

/// Decode a native sensor file of a known dialect from disk into `sink`, in memory that does
/// not grow with the file: CWA blocks and GENEActiv pages are read one at a time through a
/// [`READ_BUFFER_BYTES`] buffer, a GT3X zip member through its decompressing reader. Chunks
/// hold at most [`CHUNK_SAMPLES`] samples; times are seconds after
/// [`StreamMeta::origin_unix_s`], the first sample's whole Unix second.
///
/// # Errors
/// [`IngestError::Io`] when the file cannot be opened or read; otherwise as [`read_native`]
/// (a file without samples is [`IngestError::NoData`]), and whatever the sink returns.
pub fn stream_native(
    path: &Path,
    dialect: Dialect,
    sink: &mut dyn SampleSink,
) -> Result<(), IngestError> {
    if dialect == Dialect::ActigraphGt3x {
        return gt3x::stream_gt3x(path, sink);
    }
    let file = File::open(path).map_err(|source| io_error(path, source))?;
    stream_reader(
        path,
        BufReader::with_capacity(READ_BUFFER_BYTES, file),
        dialect,
        sink,
    )
}

/// Decode a native sensor file of a known dialect from any seekable buffered reader (the
/// GT3X zip needs to seek to its central directory).
///
/// # Errors
/// As [`stream_native`].
pub fn stream_reader<R: BufRead + Seek>(
    path: &Path,
    reader: R,
    dialect: Dialect,
    sink: &mut dyn SampleSink,
) -> Result<(), IngestError> {
    match dialect {
        Dialect::AxivityCwa => cwa::stream_cwa(path, reader, sink),
        Dialect::ActigraphGt3x => gt3x::stream_gt3x_from(path, reader, sink),
        Dialect::GeneactivBin => geneactiv::stream_geneactiv(path, reader, sink),
        other => Err(IngestError::UnknownFormat {
            path: path.to_path_buf(),
            reason: format!("{} is not a native sensor format", other.name()),
        }),
    }
}

/// Samples on their way from a native decoder to a [`SampleSink`]: g → m/s² (standard
/// gravity), times as seconds after the first sample's whole Unix second, gathered into
/// chunks of [`CHUNK_SAMPLES`] samples. The sink's [`SampleSink::begin`] is called at the
/// first sample, when the time origin is known; what the meta states (device, rate) is set by
/// the decoder before that. The chunk is the only buffer, reused: memory does not grow with
/// the file.
pub(crate) struct Emitter<'s> {
    sink: &'s mut dyn SampleSink,
    /// What the sink is told at the first sample (`origin_unix_s` filled in then).
    meta: StreamMeta,
    /// The first sample's whole Unix second, the time origin.
    base_unix_s: Option<i64>,
    chunk: Chunk,
    /// Samples pushed so far.
    samples: usize,
}

impl<'s> Emitter<'s> {
    /// An emitter for a file of `format` whose times come from `time_source`; `gyro` when
    /// every sample carries angular rate (NaN where a block has none).
    pub(crate) fn new(
        sink: &'s mut dyn SampleSink,
        path: &Path,
        format: Dialect,
        time_source: TimeSource,
        gyro: bool,
    ) -> Self {
        Emitter {
            sink,
            meta: StreamMeta {
                path: path.to_path_buf(),
                format: format.name(),
                device: None,
                origin_unix_s: None,
                time_source,
                stated_rate_hz: None,
                axes: AxisFrame::Sensor,
                has_gyro: gyro,
                has_speed: false,
                // These are accelerometers in g, gravity included (not linear-acceleration
                // streams): the format decides both.
                accel_unit: (AccelUnit::G, Decided::Header),
                gravity_included: (true, Decided::Header),
            },
            base_unix_s: None,
            chunk: Chunk::with_capacity(CHUNK_SAMPLES, gyro, false),
            samples: 0,
        }
    }

    /// Samples pushed so far.
    pub(crate) fn len(&self) -> usize {
        self.samples
    }

    /// One sample at Unix time `whole_s + offset_s` (a whole second and the seconds after
    /// it): acceleration in g, angular rate in deg/s when the emitter carries it.
    ///
    /// # Errors
    /// What the sink returns when it refuses the source or a chunk.
    pub(crate) fn push(
        &mut self,
        whole_s: i64,
        offset_s: f64,
        acc_g: [f64; 3],
        gyro_dps: Option<[f64; 3]>,
    ) -> Result<(), IngestError> {
        let base = match self.base_unix_s {
            Some(b) => b,
            None => {
                self.base_unix_s = Some(whole_s);
                let mut meta = self.meta.clone();
                meta.origin_unix_s = Some(whole_s as f64);
                self.sink.begin(meta)?;
                whole_s
            }
        };
        self.chunk.push(
            (whole_s - base) as f64 + offset_s,
            acc_g.map(|g| g * STANDARD_GRAVITY_MPS2),
        );
        if let (Some(ch), Some(v)) = (self.chunk.gyro_dps.as_mut(), gyro_dps) {
            ch.iter_mut().zip(v).for_each(|(c, v)| c.push(v));
        }
        self.samples += 1;
        if self.chunk.len() >= CHUNK_SAMPLES {
            self.flush()?;
        }
        Ok(())
    }

    /// An observation for the sink.
    pub(crate) fn warn(&mut self, warning: Warning) {
        self.sink.warn(warning);
    }

    /// Hand the samples gathered so far to the sink.
    fn flush(&mut self) -> Result<(), IngestError> {
        if !self.chunk.is_empty() {
            self.sink.push(&self.chunk)?;
            self.chunk.clear();
        }
        Ok(())
    }

    /// The last chunk.
    ///
    /// # Errors
    /// [`IngestError::NoData`] when the file held no sample (the sink was never begun).
    pub(crate) fn finish(mut self) -> Result<(), IngestError> {
        if self.samples == 0 {
            return Err(IngestError::NoData {
                path: self.meta.path,
                reason: format!("the {} file holds no samples", self.meta.format),
            });
        }
        self.flush()
    }
}

/// Read until `buf` is full or the reader ends; the bytes read (short only at the end).
fn read_full(path: &Path, r: &mut impl Read, buf: &mut [u8]) -> Result<usize, IngestError> {
    let mut n = 0;
    while n < buf.len() {
        match r.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(source) => return Err(io_error(path, source)),
        }
    }
    Ok(n)
}

/// The file could not be read.
fn io_error(path: &Path, source: std::io::Error) -> IngestError {
    IngestError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// A decoding error at byte `offset` of `path`; `reason` names the block, record or page.
pub(crate) fn corrupt(path: &Path, offset: usize, reason: impl Into<String>) -> IngestError {
    IngestError::Sensor {
        path: path.to_path_buf(),
        offset: offset as u64,
        reason: reason.into(),
    }
}

/// Little-endian u16 at `at` (the caller has checked the length).
fn le_u16(b: &[u8], at: usize) -> u16 {
    u16::from_le_bytes([b[at], b[at + 1]])
}

/// Little-endian u32 at `at` (the caller has checked the length).
fn le_u32(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}

/// Unix seconds of a civil date-time (no leap seconds), `None` when the fields are not a date.
fn civil_unix_s(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> Option<i64> {
    let date = chrono::NaiveDate::from_ymd_opt(y, mo, d)?;
    let dt = date.and_hms_opt(h, mi, s)?;
    Some(dt.and_utc().timestamp())
}
