//! gaitguard's command line: parse, then hand over to the library.

use clap::Parser;

/// mimalloc keeps freed blocks for reuse: the engine's per-stage vectors of a long signal
/// no longer cost a fresh round of page faults each.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    gaitguard::app::run(gaitguard::cli::Args::parse())
}
