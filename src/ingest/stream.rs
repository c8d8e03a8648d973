//! Raw samples as a stream: a reader pushes consecutive [`Chunk`]s of samples into a
//! [`SampleSink`] as it decodes them, so a week-long recording never has to be held whole.
//!
//! Push, not pull: a decoder is written as one loop over its blocks, records, pages or rows
//! that hands each run of samples on, and needs no self-referential reader state (a GT3X
//! member is read through the zip archive that owns it). Two sinks exist: [`Collect`]
//! builds the whole-file [`RawSignal`] the gait engine analyses as one session (short
//! recordings, the classic path), and `crate::wear` finds the bouts of free-living wear in
//! bounded memory.

use crate::error::IngestError;
use crate::recording::{AccelUnit, AxisFrame, Decided, RawSignal, TimeSource, Warning};
use std::path::{Path, PathBuf};

/// What a source states about its samples, known once its header (and, for formats whose
/// clock is per block, its first block) has been read.
#[derive(Debug, Clone)]
pub struct StreamMeta {
    /// Input path as given.
    pub path: PathBuf,
    /// Dialect name (`axivity-cwa`, `phyphox`, …).
    pub format: &'static str,
    /// Device description when the file names it.
    pub device: Option<String>,
    /// Unix seconds at time 0 of the chunks' time axis, when the file has an absolute clock
    /// (a whole second for native files, so that chunk times keep sub-microsecond
    /// resolution).
    pub origin_unix_s: Option<f64>,
    /// Where the times came from.
    pub time_source: TimeSource,
    /// Rate stated by the header or `--sample-rate`, Hz.
    pub stated_rate_hz: Option<f64>,
    /// What the acceleration channels are.
    pub axes: AxisFrame,
    /// Whether chunks carry angular rate.
    pub has_gyro: bool,
    /// Whether chunks carry a speed channel.
    pub has_speed: bool,
    /// The file's accelerometer unit (samples are already m/s²), and how it was decided.
    pub accel_unit: (AccelUnit, Decided),
    /// Whether gravity is included, and how it was decided.
    pub gravity_included: (bool, Decided),
}

/// A run of consecutive samples, in file order.
#[derive(Debug, Clone, Default)]
pub struct Chunk {
    /// Seconds after [`StreamMeta::origin_unix_s`] (or after the file's own time zero).
    pub time_s: Vec<f64>,
    /// Acceleration, m/s², in the axes [`StreamMeta::axes`] says. NaN = missing sample.
    pub acc_mps2: [Vec<f64>; 3],
    /// Angular rate, deg/s, when [`StreamMeta::has_gyro`].
    pub gyro_dps: Option<[Vec<f64>; 3]>,
    /// Speed over ground, m/s, when [`StreamMeta::has_speed`].
    pub speed_mps: Option<Vec<f64>>,
}

impl Chunk {
    /// An empty chunk with room for `n` samples.
    pub fn with_capacity(n: usize, gyro: bool, speed: bool) -> Self {
        let v = || Vec::with_capacity(n);
        Chunk {
            time_s: v(),
            acc_mps2: [v(), v(), v()],
            gyro_dps: gyro.then(|| [v(), v(), v()]),
            speed_mps: speed.then(v),
        }
    }

    /// Number of samples.
    pub fn len(&self) -> usize {
        self.time_s.len()
    }

    /// True when the chunk holds no sample.
    pub fn is_empty(&self) -> bool {
        self.time_s.is_empty()
    }

    /// Append one accelerometer sample (m/s²) at `time_s`.
    pub fn push(&mut self, time_s: f64, acc_mps2: [f64; 3]) {
        self.time_s.push(time_s);
        for (ch, v) in self.acc_mps2.iter_mut().zip(acc_mps2) {
            ch.push(v);
        }
    }

    /// Empty the chunk, keeping its allocations.
    pub fn clear(&mut self) {
        self.time_s.clear();
        self.acc_mps2.iter_mut().for_each(Vec::clear);
        if let Some(g) = self.gyro_dps.as_mut() {
            g.iter_mut().for_each(Vec::clear);
        }
        if let Some(s) = self.speed_mps.as_mut() {
            s.clear();
        }
    }

    /// Append the samples `range` of `other` (same channels).
    pub fn extend_from(&mut self, other: &Chunk, range: std::ops::Range<usize>) {
        self.time_s.extend_from_slice(&other.time_s[range.clone()]);
        for (a, b) in self.acc_mps2.iter_mut().zip(&other.acc_mps2) {
            a.extend_from_slice(&b[range.clone()]);
        }
        if let (Some(a), Some(b)) = (self.gyro_dps.as_mut(), other.gyro_dps.as_ref()) {
            for (a, b) in a.iter_mut().zip(b) {
                a.extend_from_slice(&b[range.clone()]);
            }
        }
        if let (Some(a), Some(b)) = (self.speed_mps.as_mut(), other.speed_mps.as_ref()) {
            a.extend_from_slice(&b[range]);
        }
    }
}

/// Samples a chunk should hold: about ten seconds at 1 kHz, a minute and a half at 100 Hz.
pub const CHUNK_SAMPLES: usize = 8192;

/// Where a streaming reader puts what it decodes.
pub trait SampleSink {
    /// The source's metadata, once, before its first chunk.
    ///
    /// # Errors
    /// A sink may refuse a source (an [`IngestError`] naming the file).
    fn begin(&mut self, meta: StreamMeta) -> Result<(), IngestError>;

    /// The next run of samples (never empty).
    ///
    /// # Errors
    /// A sink may stop the stream (an [`IngestError`] naming the file).
    fn push(&mut self, chunk: &Chunk) -> Result<(), IngestError>;

    /// An observation made while reading (skipped rows, gaps, inferred units).
    fn warn(&mut self, warning: Warning);

    /// A whole signal decoded at once (a file that fit one window): its metadata, warnings
    /// and samples. By default replayed in chunks; a sink that keeps every sample may take
    /// the vectors as they are.
    ///
    /// # Errors
    /// What the sink refuses.
    fn whole(&mut self, sig: RawSignal) -> Result<(), IngestError> {
        replay(sig, self)
    }
}

/// The sink of the classic path: every sample kept, then one [`RawSignal`].
#[derive(Debug, Default)]
pub struct Collect {
    meta: Option<StreamMeta>,
    samples: Chunk,
    warnings: Vec<Warning>,
}

impl Collect {
    /// An empty collector.
    pub fn new() -> Self {
        Collect::default()
    }

    /// A collector already holding `samples` of the source `meta`.
    pub fn from_parts(meta: StreamMeta, samples: Chunk) -> Self {
        Collect {
            meta: Some(meta),
            samples,
            warnings: Vec::new(),
        }
    }

    /// Samples collected so far.
    pub fn len(&self) -> usize {
        self.samples.len()
    }

    /// True before the first sample.
    pub fn is_empty(&self) -> bool {
        self.samples.is_empty()
    }

    /// The metadata, once [`SampleSink::begin`] was called.
    pub fn meta(&self) -> Option<&StreamMeta> {
        self.meta.as_ref()
    }

    /// The samples collected so far.
    pub fn samples(&self) -> &Chunk {
        &self.samples
    }

    /// Take the metadata, samples and warnings out (a sink that switches mode on the way).
    pub fn into_parts(self) -> (Option<StreamMeta>, Chunk, Vec<Warning>) {
        (self.meta, self.samples, self.warnings)
    }

    /// The [`RawSignal`]: times from the first sample, the start the first sample's absolute
    /// time. Nothing is sorted, dropped or resampled.
    ///
    /// # Errors
    /// [`IngestError::NoData`] when no sample arrived (`what` names the source, e.g. "the
    /// axivity-cwa file").
    pub fn into_signal(self, path: &Path, what: &str) -> Result<RawSignal, IngestError> {
        let (Some(meta), Some(&t0)) = (self.meta, self.samples.time_s.first()) else {
            return Err(IngestError::NoData {
                path: path.to_path_buf(),
                reason: format!("{what} holds no samples"),
            });
        };
        let Chunk {
            mut time_s,
            mut acc_mps2,
            mut gyro_dps,
            mut speed_mps,
        } = self.samples;
        time_s.iter_mut().for_each(|t| *t -= t0);
        // Growing by doubling leaves up to half of each vector unused: give it back before
        // the engine allocates its own (for a long file, a reallocation in place).
        time_s.shrink_to_fit();
        acc_mps2.iter_mut().for_each(Vec::shrink_to_fit);
        gyro_dps.iter_mut().flatten().for_each(Vec::shrink_to_fit);
        speed_mps.iter_mut().for_each(Vec::shrink_to_fit);
        Ok(RawSignal {
            path: meta.path,
            format: meta.format,
            device: meta.device,
            start_unix_s: meta.origin_unix_s.map(|o| o + t0),
            rejected_start_unix_s: None,
            time_s,
            time_source: meta.time_source,
            stated_rate_hz: meta.stated_rate_hz,
            acc_mps2,
            axes: meta.axes,
            gyro_dps,
            speed_mps,
            accel_unit: meta.accel_unit,
            gravity_included: meta.gravity_included,
            warnings: self.warnings,
        })
    }
}

impl SampleSink for Collect {
    fn begin(&mut self, meta: StreamMeta) -> Result<(), IngestError> {
        self.samples = Chunk::with_capacity(0, meta.has_gyro, meta.has_speed);
        self.meta = Some(meta);
        Ok(())
    }

    fn push(&mut self, chunk: &Chunk) -> Result<(), IngestError> {
        self.samples.extend_from(chunk, 0..chunk.len());
        Ok(())
    }

    fn warn(&mut self, warning: Warning) {
        self.warnings.push(warning);
    }

    /// Before any sample: the signal's vectors become the collection (no copy).
    fn whole(&mut self, sig: RawSignal) -> Result<(), IngestError> {
        if self.meta.is_some() {
            return replay(sig, self);
        }
        let (meta, warnings, samples) = parts(sig);
        self.meta = Some(meta);
        self.warnings = warnings;
        self.samples = samples;
        Ok(())
    }
}

/// A signal's metadata, warnings and samples (times from its first sample, the origin its
/// start).
fn parts(sig: RawSignal) -> (StreamMeta, Vec<Warning>, Chunk) {
    let meta = StreamMeta {
        path: sig.path,
        format: sig.format,
        device: sig.device,
        origin_unix_s: sig.start_unix_s,
        time_source: sig.time_source,
        stated_rate_hz: sig.stated_rate_hz,
        axes: sig.axes,
        has_gyro: sig.gyro_dps.is_some(),
        has_speed: sig.speed_mps.is_some(),
        accel_unit: sig.accel_unit,
        gravity_included: sig.gravity_included,
    };
    let chunk = Chunk {
        time_s: sig.time_s,
        acc_mps2: sig.acc_mps2,
        gyro_dps: sig.gyro_dps,
        speed_mps: sig.speed_mps,
    };
    (meta, sig.warnings, chunk)
}

/// Push a whole [`RawSignal`] into a sink in chunks of [`CHUNK_SAMPLES`] (times from its
/// first sample, the origin its start).
///
/// # Errors
/// What the sink refuses.
pub fn replay<S: SampleSink + ?Sized>(sig: RawSignal, sink: &mut S) -> Result<(), IngestError> {
    let (meta, warnings, whole) = parts(sig);
    let (has_gyro, has_speed) = (meta.has_gyro, meta.has_speed);
    sink.begin(meta)?;
    for w in warnings {
        sink.warn(w);
    }
    let mut c = Chunk::with_capacity(CHUNK_SAMPLES, has_gyro, has_speed);
    let n = whole.len();
    for start in (0..n).step_by(CHUNK_SAMPLES) {
        c.clear();
        c.extend_from(&whole, start..n.min(start + CHUNK_SAMPLES));
        sink.push(&c)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta() -> StreamMeta {
        StreamMeta {
            path: "x.cwa".into(),
            format: "axivity-cwa",
            device: None,
            origin_unix_s: Some(1_700_000_000.0),
            time_source: TimeSource::Column,
            stated_rate_hz: Some(100.0),
            axes: AxisFrame::Sensor,
            has_gyro: false,
            has_speed: false,
            accel_unit: (AccelUnit::G, Decided::Header),
            gravity_included: (true, Decided::Header),
        }
    }

    #[test]
    fn collect_keeps_every_sample_in_order_and_starts_at_the_first() {
        let mut c = Collect::new();
        c.begin(meta()).unwrap();
        let mut chunk = Chunk::with_capacity(4, false, false);
        for k in 0..3 {
            chunk.clear();
            for i in 0..4 {
                let n = (4 * k + i) as f64;
                chunk.push(0.5 + n * 0.01, [n, -n, 9.8]);
            }
            c.push(&chunk).unwrap();
        }
        let sig = c.into_signal(Path::new("x.cwa"), "the file").unwrap();
        assert_eq!(sig.len(), 12);
        assert_eq!(sig.start_unix_s, Some(1_700_000_000.5));
        assert!((sig.time_s[11] - 0.11).abs() < 1e-12);
        assert_eq!(sig.acc_mps2[1][7], -7.0);
    }

    #[test]
    fn collect_without_samples_says_so() {
        let mut c = Collect::new();
        c.begin(meta()).unwrap();
        let e = c
            .into_signal(Path::new("x.cwa"), "the axivity-cwa file")
            .unwrap_err();
        assert!(e.to_string().contains("holds no samples"), "{e}");
    }
}
