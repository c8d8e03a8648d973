//! # gaitguard
//!
//! Running-dynamics analysis of runners' wearable data, one stage per module:
//!
//! ```text
//! Args ─▶ Config ─▶ ingest ─▶ Recording ─▶ metrics (SessionMetrics) ─▶ report (terminal, JSON)
//! ```
//!
//! * [`ingest`] reads FIT files and their CSV conversions into a [`recording::Recording`].
//! * [`metrics`] summarises the running portions: statistics, zones, drift, warm-up, hills.
//! * [`report`] prints the terminal summary and writes the `gaitguard.session/1` JSON.
//! * [`simulate`] is the project's own spring-mass running model that makes `samples/`.
//!
//! gaitguard gives indicators, not diagnoses.

pub mod app;
pub mod block;
pub mod cli;
pub mod config;
pub mod crc;
pub mod error;
pub mod gait;
pub mod ingest;
pub mod metrics;
pub mod model;
pub mod pipeline;
pub mod recording;
pub mod report;
pub mod risk;
pub mod rng;
pub mod session;
pub mod signal;
pub mod simulate;
pub mod stats;
pub mod time;
pub mod units;
pub mod vocab;
