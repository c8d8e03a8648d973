//! gaitguard's command line: parse, then hand over to the library.

use clap::Parser;

fn main() -> std::process::ExitCode {
    gaitguard::app::run(gaitguard::cli::Args::parse())
}
