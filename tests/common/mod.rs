//! Shared helpers for the integration tests.
#![allow(dead_code)]

use std::path::PathBuf;

/// `../shared/data` beside the repository, or `None` (with one printed line) when absent,
/// as on a user's fresh clone.
pub fn shared_data(sub: &str) -> Option<PathBuf> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join("shared")
        .join("data")
        .join(sub);
    if p.is_dir() {
        Some(p)
    } else {
        println!(
            "skipped: {} not found (reference data lives beside the repository)",
            p.display()
        );
        None
    }
}

/// Minimal JSON-lines reader for expected.jsonl via serde_json.
pub fn read_jsonl(path: &std::path::Path) -> Vec<serde_json::Value> {
    std::fs::read_to_string(path)
        .expect("read jsonl")
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).expect("valid json line"))
        .collect()
}
