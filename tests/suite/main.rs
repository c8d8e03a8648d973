//! gaitguard's integration tests, one binary: each module is one area (the former
//! `tests/*.rs` files), and [`common`] holds what they share (running the binary, the
//! shared-data locator that prints a `skipped:` line when `../shared/data` is absent, PNG
//! helpers, simulated raw signals).

mod common;

mod apple_health;
mod block;
mod cli;
mod confidence_marks;
mod exports;
mod fit_decoding;
mod formats;
mod free_living;
mod house;
mod logs;
mod lying_inputs;
mod native;
mod parquet;
mod png_block_report;
mod png_report;
mod properties;
mod raw_accuracy;
mod raw_engine;
mod raw_formats;
mod real_data;
mod realworld;
mod risk;
mod summaries;
mod wear;
mod wrist;
