//! Stage 3, **report**: the terminal summary ([`terminal`]), the `gaitguard.session/1`
//! JSON ([`json`]), PNG reports ([`png`]), and atomic file output ([`write`]).

pub mod block;
pub mod json;
pub mod png;
pub mod steps_csv;
pub mod terminal;
pub mod write;
