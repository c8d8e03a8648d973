//! Stage 8, **report**: the terminal summary ([`terminal`]), block summaries and CSV
//! ([`block`]), per-step CSV ([`steps_csv`]), PNG reports ([`png`]), and atomic file output ([`write`]).

pub mod block;
pub mod png;
pub mod steps_csv;
pub mod terminal;
pub mod write;
