//! Stage 3b, **wear**: long raw recordings of free-living wear (a week on the wrist, the hip
//! or the lower back) streamed in bounded memory, their running and walking bouts found,
//! and each running bout analysed by the gait engine as a session of its own.
//!
//! * [`epochs`]: 5-s epochs of |a| (intensity and gait rhythm), computed as samples pass.
//! * [`bouts`]: epoch labels and the online bout finder (typing and a bus ride are never
//!   running).
//! * [`sink`]: the [`crate::ingest::stream::SampleSink`] that ties them together and hands
//!   each running bout to [`crate::pipeline::analyze_signal`].
//!
//! [`analyze_path`] decides per file: a recording that fits a session (up to
//! [`WEAR_SPAN_S`] and [`sink::MAX_PIECE_SAMPLES`]) is analysed whole as before; a longer
//! one, or any with `--wear`, as wear.

pub mod bouts;
pub mod doc;
pub mod epochs;
pub mod sink;

use crate::error::IngestError;
use crate::ingest::stream::{Chunk, Collect, SampleSink, StreamMeta};
use crate::ingest::{self, plausible};
use crate::pipeline::{self, Analysed, AnalyzeError, SessionOptions};
use crate::recording::Warning;
pub use sink::{WearResult, WearSink};
use std::path::Path;

/// Recordings longer than this are analysed as wear, s (6 h: longer than any session a raw
/// sensor records on purpose but an ultra, shorter than a day of wear).
pub const WEAR_SPAN_S: f64 = 6.0 * 3600.0;

/// What one file became.
#[derive(Debug)]
pub enum Outcome {
    /// One session (every per-record file; raw recordings that fit a session).
    Session(Box<Analysed>),
    /// Free-living wear: its bouts and the sessions of its runs.
    Wear(Box<WearResult>),
}

/// Analyse one file: streamed when it is a raw recording that can be ([`ingest::streamable`]),
/// as wear when it is long or `wear` is set, else as one session.
///
/// # Errors
/// [`AnalyzeError`] naming the file, as [`pipeline::analyze_file`].
pub fn analyze_path(
    path: &Path,
    opts: &SessionOptions,
    wear: bool,
) -> Result<Outcome, AnalyzeError> {
    let Some(dialect) = ingest::streamable(path, &opts.ingest)? else {
        return pipeline::analyze_file(path, opts).map(|a| Outcome::Session(Box::new(a)));
    };
    let mut auto = Auto::new(opts, wear);
    ingest::stream_raw(path, dialect, &opts.ingest, &mut auto)?;
    match auto.finish(path, dialect.name())? {
        Finished::Signal(sig) => {
            let mut sig = *sig;
            plausible::check_signal(&mut sig, &opts.ingest.bounds)?;
            pipeline::analyze_signal(sig, opts).map(|a| Outcome::Session(Box::new(a)))
        }
        Finished::Wear(w) => Ok(Outcome::Wear(w)),
    }
}

/// What [`Auto`] ended as.
enum Finished {
    Signal(Box<crate::recording::RawSignal>),
    Wear(Box<WearResult>),
}

/// Collects a recording whole while it fits a session, and becomes a [`WearSink`] as soon
/// as it does not (longer than [`WEAR_SPAN_S`] or more than [`sink::MAX_PIECE_SAMPLES`]).
enum Auto<'o> {
    Collect(Box<Collect>, &'o SessionOptions),
    Wear(Box<WearSink<'o>>),
}

impl<'o> Auto<'o> {
    fn new(opts: &'o SessionOptions, wear: bool) -> Self {
        if wear {
            Auto::Wear(Box::new(WearSink::new(opts)))
        } else {
            Auto::Collect(Box::default(), opts)
        }
    }

    /// The collected recording is too long for a session: replay it into a wear sink.
    fn switch(&mut self) -> Result<(), IngestError> {
        let Auto::Collect(c, opts) = self else {
            return Ok(());
        };
        let opts: &'o SessionOptions = opts;
        let (meta, samples, warnings) = std::mem::take(&mut **c).into_parts();
        let mut w = WearSink::new(opts);
        if let Some(meta) = meta {
            w.begin(meta)?;
        }
        for warning in warnings {
            w.warn(warning);
        }
        let step = ingest::stream::CHUNK_SAMPLES;
        let mut part = Chunk::with_capacity(
            step,
            samples.gyro_dps.is_some(),
            samples.speed_mps.is_some(),
        );
        let n = samples.len();
        for start in (0..n).step_by(step) {
            part.clear();
            part.extend_from(&samples, start..n.min(start + step));
            w.push(&part)?;
        }
        *self = Auto::Wear(Box::new(w));
        Ok(())
    }

    fn finish(self, path: &Path, format: &str) -> Result<Finished, IngestError> {
        match self {
            Auto::Collect(c, _) => c
                .into_signal(path, &format!("the {format} file"))
                .map(|s| Finished::Signal(Box::new(s))),
            Auto::Wear(w) => w.finish(path).map(|r| Finished::Wear(Box::new(r))),
        }
    }
}

/// A collected recording too long for one session.
fn too_long(c: &Collect) -> bool {
    let t = &c.samples().time_s;
    let span = match (t.first(), t.last()) {
        (Some(a), Some(b)) => b - a,
        _ => 0.0,
    };
    span > WEAR_SPAN_S || c.len() > sink::MAX_PIECE_SAMPLES
}

impl SampleSink for Auto<'_> {
    fn begin(&mut self, meta: StreamMeta) -> Result<(), IngestError> {
        match self {
            Auto::Collect(c, _) => c.begin(meta),
            Auto::Wear(w) => w.begin(meta),
        }
    }

    fn push(&mut self, chunk: &Chunk) -> Result<(), IngestError> {
        match self {
            Auto::Collect(c, _) => {
                c.push(chunk)?;
                if too_long(c) {
                    self.switch()?;
                }
                Ok(())
            }
            Auto::Wear(w) => w.push(chunk),
        }
    }

    fn warn(&mut self, warning: Warning) {
        match self {
            Auto::Collect(c, _) => c.warn(warning),
            Auto::Wear(w) => w.warn(warning),
        }
    }

    fn whole(&mut self, sig: crate::recording::RawSignal) -> Result<(), IngestError> {
        match self {
            Auto::Collect(c, _) => {
                c.whole(sig)?;
                if too_long(c) {
                    self.switch()?;
                }
                Ok(())
            }
            Auto::Wear(w) => ingest::stream::replay(sig, &mut **w),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::stream::replay;
    use crate::recording::{AccelUnit, AxisFrame, Decided, RawSignal, TimeSource};
    use crate::units::STANDARD_GRAVITY_MPS2 as G;
    use sink::Verdict;

    /// The simulator's short trunk day of wear ([`crate::simulate::raw::wear_day`]: a 12-min
    /// run at 780–1500 s, two walks, a bus ride at 1800–2400 s) as a clocked signal.
    fn day_signal() -> RawSignal {
        let sim = crate::simulate::raw::wear_day(11);
        let acc = sim.acc_g;
        RawSignal {
            path: "day.cwa".into(),
            format: "axivity-cwa",
            device: None,
            start_unix_s: Some(1_788_000_000.0),
            rejected_start_unix_s: None,
            time_s: sim.time_s,
            time_source: TimeSource::Column,
            stated_rate_hz: Some(100.0),
            acc_mps2: acc.map(|c| c.into_iter().map(|g| g * G).collect()),
            axes: AxisFrame::Sensor,
            gyro_dps: None,
            speed_mps: None,
            accel_unit: (AccelUnit::G, Decided::Header),
            gravity_included: (true, Decided::Header),
            warnings: Vec::new(),
        }
    }

    #[test]
    fn a_day_has_one_run_two_walks_and_the_bus_is_neither() {
        let opts = SessionOptions::default();
        let mut sink = WearSink::new(&opts);
        replay(day_signal(), &mut sink).unwrap();
        let w = sink.finish(Path::new("day.cwa")).unwrap();
        let runs: Vec<_> = w
            .bouts
            .iter()
            .filter(|b| b.verdict == Some(Verdict::Confirmed))
            .collect();
        assert_eq!(runs.len(), 1, "{:#?}", w.bouts);
        let r = runs[0];
        assert!((r.found.start_s - 780.0).abs() <= 10.0, "{:?}", r.found);
        assert!((r.found.end_s - 1500.0).abs() <= 10.0, "{:?}", r.found);
        let engine = r.engine_running_s.unwrap();
        assert!((engine - 720.0).abs() < 20.0, "engine running {engine}");
        let walks: Vec<_> = w
            .bouts
            .iter()
            .filter(|b| b.found.kind == bouts::BoutKind::Walking)
            .collect();
        assert_eq!(walks.len(), 2, "{walks:#?}");
        // Nothing between 1800 and 2400 s (the bus) is a bout.
        assert!(
            w.bouts
                .iter()
                .all(|b| b.found.end_s <= 1810.0 || b.found.start_s >= 2390.0),
            "{:#?}",
            w.bouts
        );
        // The run's session: cadence of the simulated run, its start on the clock.
        let doc = &w.runs[0].analysed.doc;
        let cad = doc.summary.metrics["cadence_spm"].unwrap().median;
        assert!((cad - 60.0 / 0.36).abs() < 2.0, "cadence {cad}");
        assert!(doc.start_unix_s().unwrap() > 1_788_000_000.0 + 770.0);
        // Memory: the samples held never exceeded the run plus margins.
        // (the run, the 60-s gap that closes it, one chunk and the retention).
        let bound = 100 * (720 + 60 + 82 + 30);
        assert!(w.peak_buffer_samples < bound, "{}", w.peak_buffer_samples);
    }

    #[test]
    fn the_document_counts_what_the_bouts_say() {
        let opts = SessionOptions::default();
        let mut sink = WearSink::new(&opts);
        replay(day_signal(), &mut sink).unwrap();
        let w = sink.finish(Path::new("day.cwa")).unwrap();
        let sessions = w.runs.iter().map(|r| r.analysed.doc.clone()).collect();
        let doc = doc::WearDoc::new(&w, sessions);
        assert_eq!(doc.totals.runs, 1);
        assert_eq!(doc.totals.walking_bouts, 2);
        assert_eq!(doc.days.len(), 1);
        assert_eq!(doc.days[0].runs, 1);
        let recorded = doc.days[0].totals.recorded_s;
        assert!((recorded - doc.duration_s).abs() < 10.0, "{recorded}");
        let json = doc.to_json().unwrap();
        assert!(json.contains("\"schema\": \"gaitguard.wear/1\""));
    }
}
