//! The streaming analysis of free-living wear, as a [`SampleSink`]: samples → epochs →
//! bouts, keeping only the samples a bout may still need, and each running bout analysed
//! by the gait engine as its own session the moment it closes.
//!
//! Memory: the samples kept are those of the open running bout (at most
//! [`MAX_PIECE_SAMPLES`]: a longer bout is cut there and goes on as a new piece) plus
//! [`RETAIN_S`] of the recent past; per-day totals and the closed bouts' results are small.
//! Nothing grows with the recording's length except those totals and results.

use super::bouts::{self, BoutFinder, BoutKind, EpochLabel, FoundBout};
use super::epochs::{EPOCH_S, EpochBuilder};
use crate::error::IngestError;
use crate::ingest::stream::{Chunk, SampleSink, StreamMeta};
use crate::pipeline::{self, Analysed, SessionOptions};
use crate::recording::{RawSignal, Warning};
use crate::vocab::GaitActivity;
use std::collections::BTreeMap;

/// The most samples analysed as one piece (about 11.6 h at 100 Hz, 70 min at 1 kHz).
pub const MAX_PIECE_SAMPLES: usize = 1 << 22;
/// Samples before a bout's first epoch and after its last one handed to the engine, s.
pub const MARGIN_S: f64 = 5.0;
/// Seconds of recent samples always kept (a bout opens when its first epoch completes).
pub const RETAIN_S: f64 = 2.0 * EPOCH_S + MARGIN_S + 1.0;
/// Least running the engine must confirm for a candidate to become a session, s.
pub const MIN_CONFIRMED_RUN_S: f64 = 30.0;

/// What became of a running candidate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// The engine found running steps: a session.
    Confirmed,
    /// The engine found too little running (walking, or no steps).
    NotRunning,
    /// The engine could not analyse the piece (its reason is in the warnings).
    Failed,
}

/// A bout of the recording.
#[derive(Debug, Clone)]
pub struct WearBout {
    /// As found in the epochs.
    pub found: FoundBout,
    /// For running candidates: what the engine said.
    pub verdict: Option<Verdict>,
    /// Index into [`WearResult::runs`] when confirmed.
    pub session: Option<usize>,
    /// Running and walking time the engine measured in the piece, s.
    pub engine_running_s: Option<f64>,
    /// Cut at [`MAX_PIECE_SAMPLES`]: the bout goes on in the next piece.
    pub cut: bool,
}

/// A confirmed run: its analysis and where its piece sits on the recording's time axis.
#[derive(Debug)]
pub struct RunSession {
    /// The session (no risk stage yet).
    pub analysed: Analysed,
    /// Time of the piece's first sample, s from the recording's first sample.
    pub offset_s: f64,
    /// Index of its bout in [`WearResult::bouts`].
    pub bout: usize,
}

/// Time per epoch label in one calendar day of the recording's clock.
#[derive(Debug, Clone, Copy, Default, PartialEq, serde::Serialize)]
pub struct DayTotals {
    /// Epochs with samples, s.
    pub recorded_s: f64,
    /// Barely moving, s.
    pub still_s: f64,
    /// Moving without a gait rhythm, s.
    pub moving_s: f64,
    /// Walking epochs, s.
    pub walking_s: f64,
    /// Running-candidate epochs, s.
    pub running_candidate_s: f64,
}

/// The analysis of a stream of wear.
#[derive(Debug)]
pub struct WearResult {
    /// The source.
    pub meta: StreamMeta,
    /// First and last sample time, s on the stream's axis.
    pub first_s: f64,
    /// See `first_s`.
    pub last_s: f64,
    /// Samples read.
    pub samples: u64,
    /// Bouts in time order.
    pub bouts: Vec<WearBout>,
    /// Confirmed runs, in time order.
    pub runs: Vec<RunSession>,
    /// Totals per day (key: day number from the Unix epoch of the recording's clock, or
    /// from the first sample when the clock is unknown).
    pub days: BTreeMap<i64, DayTotals>,
    /// Observations of the reader and of the analysis.
    pub warnings: Vec<Warning>,
    /// The most samples held at once.
    pub peak_buffer_samples: usize,
}

impl WearResult {
    /// Recording length, s (first to last sample).
    pub fn duration_s(&self) -> f64 {
        (self.last_s - self.first_s).max(0.0)
    }

    /// Mean sampling rate, Hz.
    pub fn rate_hz(&self) -> Option<f64> {
        let d = self.duration_s();
        (d > 0.0 && self.samples > 1).then(|| (self.samples - 1) as f64 / d)
    }
}

/// The streaming analysis.
#[derive(Debug)]
pub struct WearSink<'o> {
    opts: &'o SessionOptions,
    meta: Option<StreamMeta>,
    /// Samples kept: `buf[live..]` are live.
    buf: Chunk,
    live: usize,
    epochs: EpochBuilder,
    finder: BoutFinder,
    first_s: Option<f64>,
    last_s: f64,
    samples: u64,
    bouts: Vec<WearBout>,
    runs: Vec<RunSession>,
    days: BTreeMap<i64, DayTotals>,
    warnings: Vec<Warning>,
    peak: usize,
}

impl<'o> WearSink<'o> {
    /// A sink analysing runs with `opts`.
    pub fn new(opts: &'o SessionOptions) -> Self {
        WearSink {
            opts,
            meta: None,
            buf: Chunk::default(),
            live: 0,
            epochs: EpochBuilder::new(),
            finder: BoutFinder::new(),
            first_s: None,
            last_s: f64::NAN,
            samples: 0,
            bouts: Vec::new(),
            runs: Vec::new(),
            days: BTreeMap::new(),
            warnings: Vec::new(),
            peak: 0,
        }
    }

    /// Close the open bouts and return the result.
    ///
    /// # Errors
    /// [`IngestError::NoData`] when no sample arrived.
    pub fn finish(mut self, path: &std::path::Path) -> Result<WearResult, IngestError> {
        self.epochs.finish();
        self.take_epochs();
        for b in self.finder.finish() {
            self.closed(b, false);
        }
        self.bouts
            .sort_by(|a, b| a.found.start_s.total_cmp(&b.found.start_s));
        self.renumber_sessions();
        let (Some(meta), Some(first_s)) = (self.meta, self.first_s) else {
            return Err(IngestError::NoData {
                path: path.to_path_buf(),
                reason: "the recording holds no samples".into(),
            });
        };
        Ok(WearResult {
            meta,
            first_s,
            last_s: self.last_s,
            samples: self.samples,
            bouts: self.bouts,
            runs: self.runs,
            days: self.days,
            warnings: self.warnings,
            peak_buffer_samples: self.peak,
        })
    }

    /// After sorting the bouts by time: point each run at its bout again.
    fn renumber_sessions(&mut self) {
        for (i, b) in self.bouts.iter().enumerate() {
            if let Some(s) = b.session {
                self.runs[s].bout = i;
            }
        }
    }

    /// Label the completed epochs, add them to the day totals, and act on the bouts they
    /// close.
    fn take_epochs(&mut self) {
        for e in self.epochs.take() {
            let l = bouts::label(&e);
            self.count_day(e.start_s, e.coverage, l);
            for b in self.finder.feed(&e, l) {
                self.closed(b, false);
            }
        }
    }

    /// Add one epoch to its day.
    fn count_day(&mut self, start_s: f64, coverage: f64, l: EpochLabel) {
        let origin = self.meta.as_ref().and_then(|m| m.origin_unix_s);
        let key = match origin {
            Some(o) => ((o + start_s) / 86_400.0).floor() as i64,
            None => ((start_s - self.first_s.unwrap_or(0.0)) / 86_400.0).floor() as i64,
        };
        let d = self.days.entry(key).or_default();
        d.recorded_s += EPOCH_S * coverage;
        let slot = match l {
            EpochLabel::Still => &mut d.still_s,
            EpochLabel::Moving => &mut d.moving_s,
            EpochLabel::Walking => &mut d.walking_s,
            EpochLabel::Running => &mut d.running_candidate_s,
        };
        *slot += EPOCH_S;
    }

    /// A bout closed: a running candidate goes to the engine; a walking bout is listed.
    fn closed(&mut self, found: FoundBout, cut: bool) {
        let mut bout = WearBout {
            found,
            verdict: None,
            session: None,
            engine_running_s: None,
            cut,
        };
        if found.kind == BoutKind::Running {
            self.analyse_run(&mut bout);
        }
        self.bouts.push(bout);
    }

    /// Run the gait engine on a running candidate's samples and keep it as a session when
    /// the engine confirms enough running.
    fn analyse_run(&mut self, bout: &mut WearBout) {
        let Some(sig) = self.piece(bout.found.start_s - MARGIN_S, bout.found.end_s + MARGIN_S)
        else {
            bout.verdict = Some(Verdict::Failed);
            return;
        };
        let offset_s = sig.1 - self.first_s.unwrap_or(sig.1);
        match pipeline::analyze_signal(sig.0, self.opts) {
            Ok(a) => {
                let running_s = engine_running_s(&a);
                bout.engine_running_s = Some(running_s);
                if running_s >= MIN_CONFIRMED_RUN_S {
                    bout.verdict = Some(Verdict::Confirmed);
                    bout.session = Some(self.runs.len());
                    self.runs.push(RunSession {
                        analysed: a,
                        offset_s,
                        bout: self.bouts.len(),
                    });
                } else {
                    bout.verdict = Some(Verdict::NotRunning);
                }
            }
            Err(e) => {
                bout.verdict = Some(Verdict::Failed);
                self.warnings.push(Warning::new(
                    crate::vocab::WarningCode::BoutNotAnalysed,
                    format!(
                        "the running bout at {:.0} s could not be analysed: {}",
                        offset_s,
                        e.reason()
                    ),
                ));
            }
        }
    }

    /// The kept samples from `from_s` to `to_s` as a [`RawSignal`] of their own (times from
    /// its first sample, its start the first sample's absolute time), with the first
    /// sample's stream time.
    fn piece(&self, from_s: f64, to_s: f64) -> Option<(RawSignal, f64)> {
        let meta = self.meta.as_ref()?;
        let t = &self.buf.time_s[self.live..];
        let a = self.live + t.partition_point(|&x| x < from_s);
        let b = self.live + t.partition_point(|&x| x <= to_s);
        if b <= a + 1 {
            return None;
        }
        let mut c = Chunk::with_capacity(b - a, meta.has_gyro, meta.has_speed);
        c.extend_from(&self.buf, a..b);
        let t0 = c.time_s[0];
        let collect = crate::ingest::stream::Collect::from_parts(meta.clone(), c);
        let sig = collect.into_signal(&meta.path, "the bout").ok()?;
        Some((sig, t0))
    }

    /// Forget samples no bout can need any more; cut a running bout that reached
    /// [`MAX_PIECE_SAMPLES`].
    fn trim(&mut self) {
        if self.buf.len() - self.live > MAX_PIECE_SAMPLES {
            if let Some(b) = self.finder.cut_run() {
                self.closed(b, true);
            }
        }
        let keep_from = match self.finder.open_run_start_s() {
            Some(s) => s - MARGIN_S,
            None => self.last_s - RETAIN_S,
        };
        let t = &self.buf.time_s[self.live..];
        self.live += t.partition_point(|&x| x < keep_from);
        // Compact once the dead prefix is at least as long as what is live.
        if self.live >= 65_536 && self.live * 2 >= self.buf.len() {
            let live = self.live;
            let n = self.buf.len();
            let mut c = Chunk::with_capacity(
                n - live,
                self.buf.gyro_dps.is_some(),
                self.buf.speed_mps.is_some(),
            );
            c.extend_from(&self.buf, live..n);
            self.buf = c;
            self.live = 0;
        }
    }
}

/// Seconds of the engine's running bouts in a piece.
fn engine_running_s(a: &Analysed) -> f64 {
    match &a.detail {
        pipeline::Detail::Raw(r) => r
            .report
            .bouts
            .iter()
            .filter(|b| b.activity == GaitActivity::Running)
            .map(|b| b.end_s - b.start_s)
            .sum(),
        pipeline::Detail::Records(_) => 0.0,
    }
}

impl SampleSink for WearSink<'_> {
    fn begin(&mut self, meta: StreamMeta) -> Result<(), IngestError> {
        self.buf = Chunk::with_capacity(0, meta.has_gyro, meta.has_speed);
        self.meta = Some(meta);
        Ok(())
    }

    fn push(&mut self, chunk: &Chunk) -> Result<(), IngestError> {
        for i in 0..chunk.len() {
            let t = chunk.time_s[i];
            let a = [
                chunk.acc_mps2[0][i],
                chunk.acc_mps2[1][i],
                chunk.acc_mps2[2][i],
            ];
            self.epochs.push(t, a);
            if t.is_finite() {
                self.first_s.get_or_insert(t);
                self.last_s = if self.last_s.is_nan() {
                    t
                } else {
                    self.last_s.max(t)
                };
            }
        }
        self.samples += chunk.len() as u64;
        self.buf.extend_from(chunk, 0..chunk.len());
        self.peak = self.peak.max(self.buf.len() - self.live);
        self.take_epochs();
        self.trim();
        Ok(())
    }

    fn warn(&mut self, warning: Warning) {
        self.warnings.push(warning);
    }
}
