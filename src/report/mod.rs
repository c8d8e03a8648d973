//! Stage 8, **report**: the terminal summary ([`terminal`]), block summaries and CSV
//! ([`block`]), per-step CSV ([`steps_csv`]), Parquet tables of steps and sessions
//! ([`columnar`]), PNG reports ([`png`]), and atomic file output ([`write`]).

pub mod block;
pub mod columnar;
pub mod png;
pub mod steps_csv;
pub mod terminal;
pub mod wear;
pub mod write;
