//! Command-line arguments (clap derive). Raw flags only: [`crate::config`] validates them
//! into a configuration before any work starts.

use clap::{Args as ClapArgs, Parser, Subcommand};
use std::path::PathBuf;

/// Running-dynamics analysis of runners' wearable data.
///
/// gaitguard reads FIT files from Garmin, COROS, Suunto, Wahoo and Stryd, and their CSV
/// conversions, and reports cadence, ground contact, flight time, vertical oscillation,
/// vertical ratio, step length, balance and how they drift over a run. It gives indicators,
/// not diagnoses.
#[derive(Debug, Parser)]
#[command(name = "gaitguard", version, about, long_about)]
pub struct Args {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Analyse one recording (FIT, FitCSVTool CSV, per-record CSV).
    Analyze(AnalyzeArgs),
    /// Write a simulated run from gaitguard's spring-mass model (used to make samples/).
    Simulate(SimulateArgs),
}

/// `gaitguard analyze`.
#[derive(Debug, ClapArgs)]
pub struct AnalyzeArgs {
    /// The recording to analyse.
    pub file: PathBuf,
    /// Write the gaitguard.session/1 JSON to this file ('-' for standard output).
    #[arg(long, value_name = "PATH")]
    pub json: Option<String>,
    /// Force the input dialect instead of detecting it: fit, fit-csv-tool,
    /// fitparse-records, wahoo-csv, stryd-csv, goldencheetah-csv, records-csv.
    #[arg(long, value_name = "DIALECT")]
    pub format: Option<String>,
    /// Read a CSV column as a field: FIELD=COLUMN or FIELD=COLUMN:UNIT, e.g.
    /// `--map cadence_spm="Run Cadence"` or `--map ground_contact_ms=GCT:s`. FIELD is time or
    /// one of cadence_spm, ground_contact_ms, vertical_oscillation_cm, vertical_ratio_pct,
    /// step_length_m, gct_balance_left_pct, speed_mps, distance_m, altitude_m,
    /// heart_rate_bpm, power_w, temperature_c, latitude_deg, longitude_deg. Repeatable.
    #[arg(long = "map", value_name = "FIELD=COLUMN[:UNIT]")]
    pub map: Vec<String>,
    /// Print nothing on standard output except what --json - asks for.
    #[arg(long, short)]
    pub quiet: bool,
}

/// `gaitguard simulate`.
#[derive(Debug, ClapArgs)]
pub struct SimulateArgs {
    /// Output file: a `.fit` path writes a binary FIT activity, anything else a per-record
    /// CSV with `name[unit]` columns.
    #[arg(long, short, value_name = "PATH")]
    pub out: PathBuf,
    /// Length of the run, minutes.
    #[arg(long, default_value_t = 40.0)]
    pub minutes: f64,
    /// Random seed (the same seed writes the same file).
    #[arg(long, default_value_t = 7)]
    pub seed: u64,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_is_well_formed() {
        Args::command().debug_assert();
    }
}
