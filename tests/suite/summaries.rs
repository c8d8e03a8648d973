//! What a user reads: the terminal summaries of the bundled samples and of the sample block,
//! and the help pages, as insta snapshots (`tests/suite/snapshots/`; review a change with
//! `cargo insta review`, and CI, with `CI=true`, fails on a missing or changed snapshot); and
//! the summaries' promise of at most 100 columns.

use crate::common::gg;
use std::path::{Path, PathBuf};

fn samples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("samples")
}

/// Standard output of gaitguard run in the repository folder (so that the paths it prints
/// are the relative ones the user typed), in UTC, with help wrapped at 100 columns; the
/// exit code must be `code`.
fn stdout_of(args: &[&str], code: i32) -> String {
    let out = gg()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("TZ", "UTC")
        .env("COLUMNS", "100")
        .args(args)
        .assert()
        .code(code)
        .get_output()
        .clone();
    String::from_utf8(out.stdout).expect("UTF-8 output")
}

/// Lines wider than 100 columns (characters), with their width.
fn too_wide(text: &str) -> Vec<(usize, &str)> {
    text.lines()
        .map(|l| (l.chars().count(), l))
        .filter(|(n, _)| *n > 100)
        .collect()
}

#[test]
fn fit_sample_summary() {
    insta::assert_snapshot!(
        "analyze_fit",
        stdout_of(&["analyze", "samples/simulated-run-40min.fit"], 0)
    );
}

#[test]
fn fit_sample_summary_explained() {
    insta::assert_snapshot!(
        "analyze_fit_explain",
        stdout_of(
            &["analyze", "--explain", "samples/simulated-run-40min.fit"],
            0
        )
    );
}

#[test]
fn raw_sample_summary() {
    insta::assert_snapshot!(
        "analyze_raw",
        stdout_of(&["analyze", "samples/simulated-trunk-run.csv"], 0)
    );
}

#[test]
fn raw_sample_summary_explained() {
    insta::assert_snapshot!(
        "analyze_raw_explain",
        stdout_of(
            &["analyze", "--explain", "samples/simulated-trunk-run.csv"],
            0
        )
    );
}

#[test]
fn block_sample_summary() {
    insta::assert_snapshot!("block", stdout_of(&["block", "samples/block"], 0));
}

#[test]
fn block_sample_summary_verbose() {
    insta::assert_snapshot!(
        "block_verbose",
        stdout_of(&["block", "--verbose", "samples/block"], 0)
    );
}

#[test]
fn help_pages() {
    insta::assert_snapshot!("help", stdout_of(&["--help"], 0));
    insta::assert_snapshot!("help_analyze", stdout_of(&["analyze", "--help"], 0));
    insta::assert_snapshot!("help_block", stdout_of(&["block", "--help"], 0));
    insta::assert_snapshot!("help_simulate", stdout_of(&["simulate", "--help"], 0));
}

/// Every line of every summary of the bundled samples (every recording in `samples/`, with
/// and without `--explain`, and the sample block, plain and verbose) fits in 100 columns.
#[test]
fn summaries_keep_to_100_columns() {
    let mut inputs: Vec<PathBuf> = std::fs::read_dir(samples())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file() && p.extension().is_some_and(|e| e == "fit" || e == "csv"))
        .collect();
    inputs.sort();
    assert!(inputs.len() >= 3, "{inputs:?}");
    let mut runs: Vec<Vec<String>> = Vec::new();
    for p in &inputs {
        let p = p.display().to_string();
        runs.push(vec!["analyze".into(), p.clone()]);
        runs.push(vec!["analyze".into(), "--explain".into(), p]);
    }
    let block = samples().join("block").display().to_string();
    runs.push(vec!["block".into(), block.clone()]);
    runs.push(vec!["block".into(), "--verbose".into(), block]);
    for args in runs {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let text = stdout_of(&args, 0);
        assert!(text.lines().count() > 10, "{args:?}: {text}");
        assert_eq!(too_wide(&text), Vec::<(usize, &str)>::new(), "{args:?}");
    }
}
