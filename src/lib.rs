//! # gaitguard
//!
//! Running-dynamics analysis of runners' wearable data. gaitguard gives indicators, not
//! diagnoses.
//!
//! ## The flow
//!
//! One folder or file per stage, numbered in the order data flows through them; a stage
//! imports only the stages before it and the base layer, never one after it:
//!
//! ```text
//! Args ─▶ Config ─▶ 1 ingest ─▶ Recording ─┬─ per-record watch/app data ─────────────────┐
//!                                          └─ raw signal ─▶ 2 signal ─▶ 3 gait (steps) ─┤
//!                                                                                         ▼
//!                               4 metrics (SessionMetrics) ─▶ 5 risk (Assessment) ─▶ 6 session
//!                                                                                         │
//!                  7 block (many sessions: load, spikes, trends, risk day by day) ◀───────┤
//!                                                                                         ▼
//!                                         8 report: terminal · JSON/CSV · PNG pages
//! ```
//!
//! * [`ingest`] (1) reads FIT files, their CSV conversions, app exports and raw sensor files
//!   into a [`recording::Recording`] or a [`recording::RawSignal`].
//! * [`signal`] (2) turns a raw signal into clean, uniformly sampled, gravity-aligned segments.
//! * [`gait`] (3) finds steps, contacts and toe-offs and writes a per-step recording.
//! * [`metrics`] (4) summarises the running portions: statistics, zones, drift, warm-up, hills.
//! * [`risk`] (5) gives overstriding indicators and the calf-strain indicator.
//! * [`session`] (6) is the `gaitguard.session/1` document every output reads.
//! * [`block`] (7) analyses many files: load, spikes, trends, block risk.
//! * [`report`] (8) prints the terminal summaries, writes CSV and PNG pages, atomically.
//!
//! [`pipeline`] runs one file through stages 1–4 and 6 (what `analyze` and `block` share);
//! [`cli`], [`config`] and [`app`] are the edge (arguments → validated configuration →
//! stages → outputs and exit codes).
//!
//! ## The base layer
//!
//! What every stage may use and none imports back: [`units`], [`error`] (typed errors per
//! stage), [`recording`] (the data model), [`vocab`] (the metric table and the warning
//! codes), [`time`] (calendar, RFC 3339, offsets, the date-time parser), [`stats`] (the one
//! median and the quantiles), [`model`] (the spring-mass relations), [`rng`] and [`crc`].
//! [`simulate`], the project's own spring-mass running model that makes `samples/` and test
//! signals, depends on the base layer only.

// The edge.
pub mod api;
pub mod app;
pub mod cli;
pub mod config;
pub mod pipeline;
pub mod wear;

// The base layer.
pub mod crc;
pub mod error;
pub mod model;
pub mod recording;
pub mod rng;
pub mod stats;
pub mod time;
pub mod units;
pub mod vocab;

// The stages, in the order data flows.
pub mod ingest; // 1

pub mod signal; // 2

pub mod gait; // 3

pub mod metrics; // 4

pub mod risk; // 5

pub mod session; // 6

pub mod block; // 7

pub mod report; // 8

// The physical model behind samples/ and the tests.
pub mod simulate;
