//! Which files a block is made of: folders are walked recursively (symbolic links to folders
//! are not followed, hidden entries are left out), files named on the command line are taken
//! as they are, and every file whose extension gaitguard does not read is skipped and counted.

use serde::Serialize;
use std::path::{Path, PathBuf};

/// Extensions of the formats gaitguard reads (binary FIT and every CSV dialect, including
/// raw accelerometer exports; `.txt` for Garmin FitCSVTool output renamed by some tools).
pub const EXTENSIONS: [&str; 3] = ["fit", "csv", "txt"];

/// A file or folder left out, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Skipped {
    /// Path as found.
    pub file: String,
    /// Why it was left out.
    pub reason: String,
}

/// Inputs found.
#[derive(Debug, Clone, Default)]
pub struct Found {
    /// Files to analyse, sorted, each once.
    pub files: Vec<PathBuf>,
    /// Files left out.
    pub skipped: Vec<Skipped>,
    /// Paths that could not be read at all (missing, unreadable folder): reported as failures.
    pub unreadable: Vec<(PathBuf, String)>,
}

fn supported(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| EXTENSIONS.iter().any(|x| e.eq_ignore_ascii_case(x)))
}

fn hidden(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.starts_with('.'))
}

/// Walk `inputs` (files and folders).
pub fn discover(inputs: &[PathBuf]) -> Found {
    let mut found = Found::default();
    for input in inputs {
        match std::fs::metadata(input) {
            Ok(m) if m.is_dir() => walk(input, &mut found),
            // Files named explicitly are analysed whatever their extension: the content decides.
            Ok(_) => found.files.push(input.clone()),
            Err(e) => found
                .unreadable
                .push((input.clone(), format!("cannot read: {e}"))),
        }
    }
    found.files.sort();
    found.files.dedup();
    found.skipped.sort_by(|a, b| a.file.cmp(&b.file));
    found
}

fn walk(dir: &Path, found: &mut Found) {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            found
                .unreadable
                .push((dir.to_path_buf(), format!("cannot read folder: {e}")));
            return;
        }
    };
    let mut paths: Vec<(PathBuf, std::io::Result<std::fs::FileType>)> = entries
        .filter_map(Result::ok)
        .map(|e| (e.path(), e.file_type()))
        .collect();
    paths.sort_by(|a, b| a.0.cmp(&b.0));
    for (path, ty) in paths {
        let skip = |found: &mut Found, reason: &str| {
            found.skipped.push(Skipped {
                file: path.display().to_string(),
                reason: reason.to_string(),
            })
        };
        if hidden(&path) {
            skip(found, "hidden");
            continue;
        }
        match ty {
            Ok(t) if t.is_dir() => walk(&path, found),
            Ok(t) if t.is_symlink() => match std::fs::metadata(&path) {
                Ok(m) if m.is_file() && supported(&path) => found.files.push(path),
                Ok(m) if m.is_dir() => skip(found, "symbolic link to a folder (not followed)"),
                Ok(_) => skip(found, "not a FIT or CSV file"),
                Err(_) => skip(found, "broken symbolic link"),
            },
            Ok(_) if supported(&path) => found.files.push(path),
            Ok(_) => skip(found, "not a FIT or CSV file"),
            Err(e) => found
                .unreadable
                .push((path.clone(), format!("cannot read: {e}"))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn walks_recursively_and_skips_other_extensions() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        std::fs::create_dir_all(d.join("a/b")).unwrap();
        std::fs::create_dir_all(d.join(".git")).unwrap();
        for f in [
            "a/run.FIT",
            "a/b/run.csv",
            "notes.md",
            "a/b/pic.png",
            ".hidden.fit",
        ] {
            std::fs::write(d.join(f), b"x").unwrap();
        }
        let found = discover(&[d.to_path_buf(), d.join("a/run.FIT")]);
        let names: Vec<_> = found
            .files
            .iter()
            .map(|p| p.strip_prefix(d).unwrap().display().to_string())
            .collect();
        assert_eq!(names, ["a/b/run.csv", "a/run.FIT"]);
        let skipped: Vec<_> = found.skipped.iter().map(|s| s.reason.as_str()).collect();
        assert_eq!(skipped.len(), 4, "{skipped:?}");
        assert!(found.unreadable.is_empty());
        let missing = discover(&[d.join("nope")]);
        assert_eq!(missing.unreadable.len(), 1);
    }
}
