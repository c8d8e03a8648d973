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
//! A malformed file is refused with [`IngestError::Sensor`], naming the byte offset and the
//! block, record or page; nothing here panics on user data.

pub mod cwa;
pub mod geneactiv;
pub mod gt3x;

use super::Dialect;
use crate::error::IngestError;
use crate::recording::{AccelUnit, AxisFrame, Decided, RawSignal, TimeSource, Warning};
use crate::units::STANDARD_GRAVITY_MPS2;
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

/// Decode a native sensor file of a known dialect.
///
/// # Errors
/// [`IngestError::Sensor`] for a malformed file, [`IngestError::NoData`] for one without
/// samples, [`IngestError::Archive`] for a GT3X zip that cannot be opened.
pub fn read_native(path: &Path, bytes: &[u8], dialect: Dialect) -> Result<RawSignal, IngestError> {
    match dialect {
        Dialect::AxivityCwa => cwa::read_cwa(path, bytes),
        Dialect::ActigraphGt3x => gt3x::read_gt3x(path, bytes),
        Dialect::GeneactivBin => geneactiv::read_geneactiv(path, bytes),
        other => Err(IngestError::UnknownFormat {
            path: path.to_path_buf(),
            reason: format!("{} is not a native sensor format", other.name()),
        }),
    }
}

/// Samples decoded from a native file, in g and deg/s, before they become a [`RawSignal`].
#[derive(Debug, Default)]
pub struct Decoded {
    /// The whole Unix second the times count from (the first sample's), so that sample times
    /// keep sub-microsecond resolution (an f64 Unix time resolves only about 0.2 µs).
    pub base_unix_s: Option<i64>,
    /// Seconds of each sample after [`Self::base_unix_s`] (device clock, converted to UTC when
    /// the file states its time zone).
    pub rel_s: Vec<f64>,
    /// Acceleration x, y, z, g.
    pub acc_g: [Vec<f64>; 3],
    /// Angular rate x, y, z, deg/s (AX6).
    pub gyro_dps: Option<[Vec<f64>; 3]>,
    /// The rate the file states, Hz.
    pub rate_hz: f64,
    /// Device description (model and serial).
    pub device: Option<String>,
    /// Observations made while decoding.
    pub warnings: Vec<Warning>,
}

impl Decoded {
    /// Room for `n` samples.
    pub fn with_capacity(n: usize, gyro: bool) -> Self {
        let v = || Vec::with_capacity(n);
        Decoded {
            rel_s: v(),
            acc_g: [v(), v(), v()],
            gyro_dps: gyro.then(|| [v(), v(), v()]),
            ..Decoded::default()
        }
    }

    /// Append one accelerometer sample (g) at Unix time `whole_s + offset_s` (a whole second
    /// and the seconds after it).
    pub fn push(&mut self, whole_s: i64, offset_s: f64, acc_g: [f64; 3]) {
        let base = *self.base_unix_s.get_or_insert(whole_s);
        self.rel_s.push((whole_s - base) as f64 + offset_s);
        for (ch, v) in self.acc_g.iter_mut().zip(acc_g) {
            ch.push(v);
        }
    }

    /// Number of samples.
    pub fn len(&self) -> usize {
        self.rel_s.len()
    }

    /// True when no sample was decoded.
    pub fn is_empty(&self) -> bool {
        self.rel_s.is_empty()
    }

    /// The [`RawSignal`]: times from the first sample, g → m/s² (standard gravity), gravity
    /// included (these are accelerometers, not linear-acceleration streams), units decided by
    /// the format ([`Decided::Header`]).
    ///
    /// # Errors
    /// [`IngestError::NoData`] when nothing was decoded.
    pub fn into_signal(
        self,
        path: &Path,
        format: Dialect,
        time_source: TimeSource,
    ) -> Result<RawSignal, IngestError> {
        let (Some(&t0), Some(base)) = (self.rel_s.first(), self.base_unix_s) else {
            return Err(IngestError::NoData {
                path: path.to_path_buf(),
                reason: format!("the {} file holds no samples", format.name()),
            });
        };
        // In place: a week of samples is not copied again.
        let mut time_s = self.rel_s;
        time_s.iter_mut().for_each(|t| *t -= t0);
        let mut acc_mps2 = self.acc_g;
        for ch in &mut acc_mps2 {
            ch.iter_mut().for_each(|g| *g *= STANDARD_GRAVITY_MPS2);
        }
        Ok(RawSignal {
            path: path.to_path_buf(),
            format: format.name(),
            device: self.device,
            start_unix_s: Some(base as f64 + t0),
            rejected_start_unix_s: None,
            time_s,
            time_source,
            stated_rate_hz: Some(self.rate_hz),
            acc_mps2,
            axes: AxisFrame::Sensor,
            gyro_dps: self.gyro_dps,
            speed_mps: None,
            accel_unit: (AccelUnit::G, Decided::Header),
            gravity_included: (true, Decided::Header),
            warnings: self.warnings,
        })
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
