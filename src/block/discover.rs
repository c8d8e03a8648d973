//! Which files a block is made of: folders are walked recursively (symbolic links to folders
//! are not followed, hidden entries are left out), files named on the command line are taken
//! as they are, and every file whose extension gaitguard does not read is skipped and counted.
//! Only regular files are analysed: a named pipe, a device or a socket is listed as skipped
//! (reading one could block the whole block forever, or never end).
//!
//! A zip archive (by its content, whatever its name) is read as a folder, in place: each
//! activity inside becomes a virtual path (`export.zip/activities/1.fit.gz`, see
//! [`crate::ingest::archive`]), its other entries are listed as skipped, and entries refused
//! as hostile (names with `..`, encrypted, nested too deep, bombs) as failures; the rest of
//! the archive goes on. A TCX file holding several activities becomes one virtual path per
//! activity (`run.tcx/activity-2`).

use crate::ingest::archive;
use serde::Serialize;
use std::path::{Path, PathBuf};

/// Extensions of the formats gaitguard reads (binary FIT and every CSV dialect, including
/// raw accelerometer exports; `.txt` for Garmin FitCSVTool output renamed by some tools; TCX
/// and GPX; gzip of any of them; zip archives; an Apple Health `export.xml`; Suunto app JSON).
pub const EXTENSIONS: [&str; 12] = [
    "fit", "csv", "txt", "tcx", "gpx", "gz", "zip", "xml", "json", "cwa", "gt3x", "bin",
];

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
    /// Apple Health exports (`export.zip`, `export.xml`): read once each, every running
    /// workout a session ([`crate::ingest::apple_health`]).
    pub health: Vec<PathBuf>,
    /// Training logs (plain logs, Strava `activities.csv`, Garmin activity lists; see
    /// [`crate::ingest::log`]): every row a summary session. For a Strava export zip, its
    /// `activities.csv` (virtual path), whose manual entries (no file) are the sessions.
    pub logs: Vec<PathBuf>,
}

/// A supported extension; a `.gz` only around one (`run.fit.gz`, not `backup.tar.gz`).
fn supported(path: &Path) -> bool {
    let ext = |p: &Path| {
        p.extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
    };
    match ext(path).as_deref() {
        Some("gz") => path
            .file_stem()
            .and_then(|s| ext(Path::new(s)))
            .is_some_and(|e| {
                EXTENSIONS.contains(&e.as_str()) && !matches!(e.as_str(), "gz" | "zip")
            }),
        Some(e) => EXTENSIONS.contains(&e),
        None => false,
    }
}

/// What a file that is not a regular file is ("a named pipe (FIFO)", …), or `None` for a
/// regular file or a folder.
fn special_kind(ty: &std::fs::FileType) -> Option<&'static str> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt as _;
        if ty.is_fifo() {
            return Some("a named pipe (FIFO)");
        }
        if ty.is_socket() {
            return Some("a socket");
        }
        if ty.is_block_device() || ty.is_char_device() {
            return Some("a device");
        }
    }
    if ty.is_file() || ty.is_dir() || ty.is_symlink() {
        None
    } else {
        Some("not a regular file")
    }
}

/// The reason a special file is skipped.
fn not_regular(kind: &str) -> String {
    format!("{kind}, not a regular file: only files are analysed")
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
            Ok(m) if special_kind(&m.file_type()).is_some() => found.skipped.push(Skipped {
                file: input.display().to_string(),
                reason: not_regular(special_kind(&m.file_type()).unwrap_or_default()),
            }),
            // Files named explicitly are analysed whatever their extension: the content decides.
            Ok(_) => found.files.push(input.clone()),
            Err(e) => found
                .unreadable
                .push((input.clone(), format!("cannot read: {e}"))),
        }
    }
    found.files.sort();
    found.files.dedup();
    expand(&mut found);
    found.files.sort();
    found.files.dedup();
    found.skipped.sort_by(|a, b| a.file.cmp(&b.file));
    found
}

/// Archives become their activities, multi-activity TCX files one path per activity.
fn expand(found: &mut Found) {
    let files = std::mem::take(&mut found.files);
    for f in files {
        if crate::ingest::apple_health::is_export_file(&f) {
            found.health.push(f);
            continue;
        }
        if archive::is_zip_file(&f) {
            match archive::list(&f) {
                Ok(listing) => {
                    if listing.strava {
                        found.logs.push(f.join("activities.csv"));
                    }
                    found.files.extend(listing.activities);
                    found.skipped.extend(
                        listing
                            .skipped
                            .into_iter()
                            .map(|(file, reason)| Skipped { file, reason }),
                    );
                    found.unreadable.extend(listing.problems);
                }
                Err(e) => found.unreadable.push((f, e.reason())),
            }
            continue;
        }
        if crate::ingest::log::file_is_log(&f) {
            found.logs.push(f);
            continue;
        }
        if has_extension(&f, "bin") && !is_native_file(&f) {
            found.skipped.push(Skipped {
                file: f.display().to_string(),
                reason: "a .bin file that is not a GENEActiv recording".into(),
            });
            continue;
        }
        if has_extension(&f, "json") && !is_suunto_file(&f) {
            // Other JSON beside the activities (gaitguard's own output, app settings).
            found.skipped.push(Skipped {
                file: f.display().to_string(),
                reason: "a JSON file that is not a Suunto activity log".into(),
            });
            continue;
        }
        let tcx = f
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| e.eq_ignore_ascii_case("tcx"));
        let n = if tcx { tcx_activities(&f) } else { 1 };
        if n > 1 {
            found
                .files
                .extend((1..=n).map(|k| f.join(format!("activity-{k}"))));
        } else {
            found.files.push(f);
        }
    }
}

/// Whether `path`'s extension is `ext` (any case).
fn has_extension(path: &Path, ext: &str) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case(ext))
}

/// Whether a file's first 64 KiB are a native sensor recording's (GENEActiv text pages).
fn is_native_file(path: &Path) -> bool {
    use std::io::Read as _;
    let mut head = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(64 << 10).read_to_end(&mut head))
        .is_ok_and(|_| crate::ingest::native::sniff_head(&head).is_some())
}

/// Whether a file's first 64 KiB look like Suunto app JSON.
fn is_suunto_file(path: &Path) -> bool {
    use std::io::Read as _;
    let mut head = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(64 << 10).read_to_end(&mut head))
        .is_ok_and(|_| crate::ingest::suunto::looks_like_suunto(&String::from_utf8_lossy(&head)))
}

/// Activities in a TCX file on disk (1 when it cannot be read: the reader will say why).
fn tcx_activities(path: &Path) -> usize {
    match crate::ingest::read_bounded(path, Some(crate::ingest::Dialect::Tcx)) {
        Ok(bytes) => crate::ingest::tcx::count_activities(&String::from_utf8_lossy(&bytes)).max(1),
        Err(_) => 1,
    }
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
                Ok(m) if special_kind(&m.file_type()).is_some() => skip(
                    found,
                    &not_regular(special_kind(&m.file_type()).unwrap_or_default()),
                ),
                Ok(_) => skip(found, "not a FIT, TCX, GPX, CSV or zip file"),
                Err(_) => skip(found, "broken symbolic link"),
            },
            Ok(t) if special_kind(&t).is_some() => {
                skip(found, &not_regular(special_kind(&t).unwrap_or_default()))
            }
            Ok(_) if supported(&path) => found.files.push(path),
            Ok(_) => skip(found, "not a FIT, TCX, GPX, CSV or zip file"),
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
            "a/run.gpx.GZ",
            "backup.tar.gz",
        ] {
            std::fs::write(d.join(f), b"x").unwrap();
        }
        let found = discover(&[d.to_path_buf(), d.join("a/run.FIT")]);
        let names: Vec<_> = found
            .files
            .iter()
            .map(|p| p.strip_prefix(d).unwrap().display().to_string())
            .collect();
        assert_eq!(names, ["a/b/run.csv", "a/run.FIT", "a/run.gpx.GZ"]);
        let skipped: Vec<_> = found.skipped.iter().map(|s| s.reason.as_str()).collect();
        assert_eq!(skipped.len(), 5, "{skipped:?}");
        assert!(found.unreadable.is_empty());
        let missing = discover(&[d.join("nope")]);
        assert_eq!(missing.unreadable.len(), 1);
    }

    #[cfg(unix)]
    #[test]
    fn named_pipes_and_devices_are_skipped_not_read() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("pipe.fit");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        if !made.is_ok_and(|s| s.success()) {
            eprintln!("skipped: mkfifo is not available");
            return;
        }
        std::fs::write(dir.path().join("run.csv"), b"x").unwrap();
        let found = discover(&[dir.path().to_path_buf(), PathBuf::from("/dev/zero")]);
        assert_eq!(found.files, [dir.path().join("run.csv")]);
        let reasons: Vec<&str> = found.skipped.iter().map(|s| s.reason.as_str()).collect();
        assert!(
            reasons.iter().any(|r| r.starts_with("a named pipe (FIFO)")),
            "{reasons:?}"
        );
        assert!(
            reasons.iter().any(|r| r.starts_with("a device")),
            "{reasons:?}"
        );
    }
}
