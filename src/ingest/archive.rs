//! zip archives read as folders, in place: nothing is extracted to disk.
//!
//! An activity inside an archive is named by a **virtual path**, the archive's path joined
//! with the entry's name (`export_12345.zip/activities/4711.fit.gz`), and one level of
//! nesting (`garmin.zip/DI_CONNECT/…/UploadedFiles_0.zip/run.fit`, the Garmin Connect data
//! export). Such a path cannot exist on disk (a regular file has no children), so it is
//! unambiguous: [`locate`] finds the archive as the first ancestor that is a regular file.
//! A TCX file with several activities is named the same way, one virtual path per activity
//! (`run.tcx/activity-2`), on disk and inside archives.
//!
//! Exports understood.
//! * **Strava bulk export**: `activities.csv` at the root maps each file of `activities/` to
//!   its type, name and date (English or German column names); runs are analysed, other
//!   types listed as skipped with their type, manual entries (no file) listed too.
//! * **Garmin Connect data export**: zips of uploaded FIT files inside the zip.
//! * Anything else: every FIT, TCX, GPX or CSV entry (gzipped or not); the content decides.
//!
//! Hostile archives. Entry names with `..` or an absolute path, encrypted entries, an archive
//! nested more than one level deep, entries compressed more than
//! [`compressed::MAX_RATIO`]-fold (a zip bomb, checked while decompressing against the
//! entry's compressed size), more than [`MAX_ENTRIES`] entries, or a nested zip larger than
//! [`MAX_NESTED_ZIP_BYTES`]: each is an error naming the archive and the entry; the other
//! entries are still read.

use super::compressed;
use super::{Dialect, Stream, read_stream};
use crate::error::IngestError;
use std::collections::HashMap;
use std::io::{Read, Seek};
use std::path::{Path, PathBuf};

/// Most entries an archive may list (a 1,000-activity export has a few thousand).
pub const MAX_ENTRIES: usize = 200_000;

/// Largest zip inside a zip that is held in memory to be read, bytes (1 GiB).
pub const MAX_NESTED_ZIP_BYTES: u64 = 1 << 30;

/// Largest `activities.csv` read, bytes.
const MAX_INDEX_BYTES: u64 = 64 << 20;

/// True when the bytes start a zip archive (a local file header or an empty archive's end
/// record).
pub fn is_zip(head: &[u8]) -> bool {
    head.starts_with(b"PK\x03\x04") || head.starts_with(b"PK\x05\x06")
}

/// True when `path` is a regular file that starts like a zip archive and is not an
/// ActiGraph `.gt3x` container (a zip of one recording, read by [`super::native::gt3x`],
/// never an archive of activities).
pub fn is_zip_file(path: &Path) -> bool {
    let Ok(mut f) = std::fs::File::open(path) else {
        return false;
    };
    if !f.metadata().is_ok_and(|m| m.is_file()) {
        return false;
    }
    let mut head = [0u8; 4];
    f.read_exact(&mut head).is_ok() && is_zip(&head) && !super::native::gt3x::is_gt3x_file(path)
}

/// A virtual path split into the file on disk and the rest (`None` when `path` names no
/// child of a regular file).
pub fn locate(path: &Path) -> Option<(PathBuf, String)> {
    if path.as_os_str() == "-" || std::fs::symlink_metadata(path).is_ok() {
        return None;
    }
    let mut rest: Vec<String> = Vec::new();
    let mut cur = path;
    while let Some(parent) = cur.parent() {
        rest.push(cur.file_name()?.to_string_lossy().into_owned());
        if parent.as_os_str().is_empty() {
            return None;
        }
        if std::fs::metadata(parent).is_ok_and(|m| m.is_file()) {
            rest.reverse();
            return Some((parent.to_path_buf(), rest.join("/")));
        }
        cur = parent;
    }
    None
}

/// The activity index of a trailing `activity-N` component (1-based in the name, 0-based
/// returned) and the path before it.
pub fn split_activity(rest: &str) -> (&str, Option<usize>) {
    let (head, last) = match rest.rsplit_once('/') {
        Some((h, l)) => (h, l),
        None => ("", rest),
    };
    match last
        .strip_prefix("activity-")
        .and_then(|n| n.parse::<usize>().ok())
        .filter(|n| *n >= 1)
    {
        Some(n) => (head, Some(n - 1)),
        None => (rest, None),
    }
}

/// What an archive holds.
#[derive(Debug, Default)]
pub struct Listing {
    /// Virtual paths of the activity files, in archive order.
    pub activities: Vec<PathBuf>,
    /// Entries left out, and why (virtual path, reason).
    pub skipped: Vec<(String, String)>,
    /// Entries refused (virtual path, reason): failures of the block.
    pub problems: Vec<(PathBuf, String)>,
    /// A Strava bulk export: its `activities.csv` lists the activities, and its manual
    /// entries (no file) are summary sessions ([`crate::ingest::log`]).
    pub strava: bool,
}

/// A Strava `activities.csv` row.
#[derive(Debug, Clone)]
struct StravaRow {
    kind: String,
    name: String,
    date: String,
}

fn archive_error(path: &Path, reason: impl Into<String>) -> IngestError {
    IngestError::Archive {
        path: path.to_path_buf(),
        reason: reason.into(),
    }
}

fn open_zip<R: Read + Seek>(path: &Path, reader: R) -> Result<zip::ZipArchive<R>, IngestError> {
    let zip = zip::ZipArchive::new(reader)
        .map_err(|e| archive_error(path, format!("not a readable zip archive: {e}")))?;
    if zip.len() > MAX_ENTRIES {
        return Err(archive_error(
            path,
            format!(
                "{} entries, more than the {MAX_ENTRIES} gaitguard reads from one archive",
                zip.len()
            ),
        ));
    }
    Ok(zip)
}

/// A file reader that can be cloned cheaply: each clone opens the file again on its first
/// read, at the position it was cloned at. It lets one parsed central directory (a
/// `ZipArchive`, cloned per reader) serve every entry read, in parallel, without parsing a
/// 1,000-entry directory 1,000 times.
#[derive(Debug)]
struct Reopen {
    path: std::sync::Arc<PathBuf>,
    file: Option<std::io::BufReader<std::fs::File>>,
    pos: u64,
}

impl Clone for Reopen {
    fn clone(&self) -> Self {
        Reopen {
            path: self.path.clone(),
            file: None,
            pos: self.pos,
        }
    }
}

impl Reopen {
    fn file(&mut self) -> std::io::Result<&mut std::io::BufReader<std::fs::File>> {
        if self.file.is_none() {
            let mut f = std::io::BufReader::new(std::fs::File::open(self.path.as_ref())?);
            f.seek(std::io::SeekFrom::Start(self.pos))?;
            self.file = Some(f);
        }
        Ok(self.file.as_mut().expect("opened above"))
    }
}

impl Read for Reopen {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.file()?.read(buf)?;
        self.pos += n as u64;
        Ok(n)
    }
}

impl Seek for Reopen {
    fn seek(&mut self, to: std::io::SeekFrom) -> std::io::Result<u64> {
        self.pos = self.file()?.seek(to)?;
        Ok(self.pos)
    }
}

/// Bytes shared between the clones of a cursor over a nested archive.
#[derive(Debug, Clone)]
struct Shared(std::sync::Arc<Vec<u8>>);

impl AsRef<[u8]> for Shared {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

type FileZip = zip::ZipArchive<Reopen>;
/// An archive file as it is on disk: path, size, modification time.
type FileKey = (PathBuf, u64, Option<std::time::SystemTime>);
type MemZip = zip::ZipArchive<std::io::Cursor<Shared>>;

/// Archives opened lately, by path, size and modification time (a changed file is parsed
/// again); and the last nested archive read, by its virtual path.
#[derive(Default)]
struct Cache {
    files: Vec<(FileKey, FileZip)>,
    nested: Option<(PathBuf, MemZip)>,
}

/// Archives kept parsed at once.
const CACHED_ARCHIVES: usize = 4;

fn cache() -> std::sync::MutexGuard<'static, Cache> {
    static CACHE: std::sync::OnceLock<std::sync::Mutex<Cache>> = std::sync::OnceLock::new();
    let m = CACHE.get_or_init(Default::default);
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// The parsed archive at `path` (from the cache when unchanged), as a fresh clone.
fn open_file(path: &Path) -> Result<FileZip, IngestError> {
    let meta = std::fs::metadata(path).map_err(|source| IngestError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let key = (path.to_path_buf(), meta.len(), meta.modified().ok());
    let mut c = cache();
    if let Some((_, z)) = c.files.iter().find(|(k, _)| *k == key) {
        return Ok(z.clone());
    }
    let reader = Reopen {
        path: std::sync::Arc::new(path.to_path_buf()),
        file: None,
        pos: 0,
    };
    let zip = open_zip(path, reader)?;
    if c.files.len() >= CACHED_ARCHIVES {
        c.files.remove(0);
    }
    c.files.push((key, zip.clone()));
    Ok(zip)
}

/// The nested archive at entry `i` of `zip` (virtual path `vpath`), from the cache when it
/// was the last one read: a Garmin export's thousand FIT files in one nested zip are then
/// decompressed once, not once per file. The cache lock is held while reading, so parallel
/// readers of the same nested archive wait for one decompression.
fn open_nested<R: Read + Seek>(
    zip: &mut zip::ZipArchive<R>,
    i: usize,
    vpath: &Path,
) -> Result<MemZip, IngestError> {
    let mut c = cache();
    if let Some((p, z)) = &c.nested {
        if p == vpath {
            return Ok(z.clone());
        }
    }
    let bytes = read_entry_bytes(zip, i, vpath, MAX_NESTED_ZIP_BYTES)?;
    let z = open_zip(
        vpath,
        std::io::Cursor::new(Shared(std::sync::Arc::new(bytes))),
    )?;
    c.nested = Some((vpath.to_path_buf(), z.clone()));
    Ok(z)
}

/// Why an entry name is refused: `..` components, an absolute path, a drive letter.
fn unsafe_name(name: &str) -> Option<&'static str> {
    let n = name.replace('\\', "/");
    if n.starts_with('/') || n.as_bytes().get(1) == Some(&b':') {
        return Some("an absolute path");
    }
    if n.split('/').any(|c| c == "..") {
        return Some("a '..' component that climbs out of the archive");
    }
    if n.contains('\0') {
        return Some("a NUL byte");
    }
    None
}

/// Extensions of activity files (before an optional `.gz`).
fn activity_ext(lower: &str) -> bool {
    let base = lower.strip_suffix(".gz").unwrap_or(lower);
    if base != lower && !base.contains('.') {
        return true;
    }
    ["fit", "tcx", "gpx", "csv", "txt"]
        .iter()
        .any(|e| base.rsplit_once('.').is_some_and(|(_, x)| x == *e))
}

fn hidden(name: &str) -> bool {
    name.split('/')
        .any(|c| c.starts_with('.') || c == "__MACOSX")
}

/// List the activities of an archive on disk (module doc).
///
/// # Errors
/// [`IngestError::Archive`] when the archive itself cannot be read (not a zip, too many
/// entries); problems of single entries are in [`Listing::problems`].
pub fn list(path: &Path) -> Result<Listing, IngestError> {
    let mut zip = open_file(path)?;
    let strava = strava_index(path, &mut zip)?;
    let mut listing = Listing::default();
    let mut other = 0usize;
    list_entries(&mut zip, path, strava.as_ref(), 0, &mut listing, &mut other);
    // Manual entries (no file) are read as a training log by `block`.
    listing.strava = strava.is_some();
    if other > 0 {
        listing.skipped.push((
            path.display().to_string(),
            format!("{other} other entries in the archive (not FIT, TCX, GPX or CSV files)"),
        ));
    }
    Ok(listing)
}

/// Strava's index: file name → row, and the manual entries.
struct StravaIndex {
    by_file: HashMap<String, StravaRow>,
    manual: Vec<StravaRow>,
}

/// Read `activities.csv` at the root, when there is one.
fn strava_index<R: Read + Seek>(
    path: &Path,
    zip: &mut zip::ZipArchive<R>,
) -> Result<Option<StravaIndex>, IngestError> {
    let Some(i) = zip.index_for_name("activities.csv") else {
        return Ok(None);
    };
    let entry = path.join("activities.csv");
    let bytes = read_entry_bytes(zip, i, &entry, MAX_INDEX_BYTES)?;
    let text = String::from_utf8_lossy(&bytes);
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers = rdr
        .headers()
        .map_err(|e| archive_error(&entry, format!("unreadable header: {e}")))?
        .clone();
    let col = |names: &[&str]| {
        headers
            .iter()
            .position(|h| names.iter().any(|n| h.trim().eq_ignore_ascii_case(n)))
    };
    let (Some(kind), Some(file)) = (
        col(&["Activity Type", "Aktivitätsart"]),
        col(&["Filename", "Dateiname"]),
    ) else {
        return Ok(None);
    };
    let name = col(&["Activity Name", "Aktivitätsname"]);
    let date = col(&["Activity Date", "Aktivitätsdatum"]);
    let mut index = StravaIndex {
        by_file: HashMap::new(),
        manual: Vec::new(),
    };
    for rec in rdr.records().flatten() {
        let get = |c: Option<usize>| c.and_then(|c| rec.get(c)).unwrap_or("").trim().to_string();
        let row = StravaRow {
            kind: get(Some(kind)),
            name: get(name),
            date: get(date),
        };
        let f = get(Some(file));
        if f.is_empty() {
            index.manual.push(row);
        } else {
            index.by_file.insert(f, row);
        }
    }
    Ok(Some(index))
}

/// A Strava activity type that is a run (`Run`, `Trail Run`, `Virtual Run`; German `Lauf`).
fn strava_run(kind: &str) -> bool {
    let k = kind.to_lowercase();
    k.contains("run") || k.contains("lauf")
}

/// Walk the entries of one archive (`base` its virtual path) into `listing`.
fn list_entries<R: Read + Seek>(
    zip: &mut zip::ZipArchive<R>,
    base: &Path,
    strava: Option<&StravaIndex>,
    depth: usize,
    listing: &mut Listing,
    other: &mut usize,
) {
    for i in 0..zip.len() {
        let (name, is_dir, encrypted) = match zip.by_index_raw(i) {
            Ok(f) => (f.name().to_string(), f.is_dir(), f.encrypted()),
            Err(e) => {
                listing.problems.push((
                    base.join(format!("entry {}", i + 1)),
                    format!("unreadable entry: {e}"),
                ));
                continue;
            }
        };
        let vpath = base.join(&name);
        if is_dir {
            continue;
        }
        if let Some(why) = unsafe_name(&name) {
            listing.problems.push((
                PathBuf::from(format!("{}/{name}", base.display())),
                format!("the entry's name has {why}: refused (gaitguard reads entries in place and never writes them)"),
            ));
            continue;
        }
        if hidden(&name) {
            *other += 1;
            continue;
        }
        let lower = name.to_ascii_lowercase();
        let is_zip_name = lower.ends_with(".zip");
        if !is_zip_name && !activity_ext(&lower) {
            *other += 1;
            continue;
        }
        if encrypted {
            listing.problems.push((
                vpath,
                "an encrypted (password-protected) entry: gaitguard does not decrypt archives"
                    .into(),
            ));
            continue;
        }
        if is_zip_name {
            nested(zip, i, &vpath, depth, listing, other);
            continue;
        }
        if let Some(s) = strava {
            if lower == "activities.csv" {
                listing.skipped.push((
                    vpath.display().to_string(),
                    "Strava's list of activities (read for their types)".into(),
                ));
                continue;
            }
            if !lower.starts_with("activities/") {
                *other += 1;
                continue;
            }
            if let Some(row) = s.by_file.get(&name).filter(|r| !strava_run(&r.kind)) {
                listing.skipped.push((
                    vpath.display().to_string(),
                    format!("a {} ('{}', {}): not a run", row.kind, row.name, row.date),
                ));
                continue;
            }
        }
        // Strava writes one activity per file (its list says so); other archives' TCX
        // files may hold several.
        let tcx = lower.ends_with(".tcx") || lower.ends_with(".tcx.gz");
        let n = if tcx && strava.is_none() {
            tcx_activities(zip, i, &vpath)
        } else {
            1
        };
        if n > 1 {
            let each = (1..=n).map(|k| vpath.join(format!("activity-{k}")));
            listing.activities.extend(each);
        } else {
            listing.activities.push(vpath);
        }
    }
}

/// Activities in a TCX entry (1 when it cannot be read: its reader will say why).
fn tcx_activities<R: Read + Seek>(zip: &mut zip::ZipArchive<R>, i: usize, vpath: &Path) -> usize {
    match read_activity(zip, i, vpath, Some(Dialect::Tcx)) {
        Ok(bytes) => super::tcx::count_activities(&String::from_utf8_lossy(&bytes)).max(1),
        Err(_) => 1,
    }
}

/// List a zip inside the zip (one level only).
fn nested<R: Read + Seek>(
    zip: &mut zip::ZipArchive<R>,
    i: usize,
    vpath: &Path,
    depth: usize,
    listing: &mut Listing,
    other: &mut usize,
) {
    if depth >= 1 {
        listing.problems.push((
            vpath.to_path_buf(),
            "an archive inside an archive inside an archive: gaitguard opens one level of nesting"
                .into(),
        ));
        return;
    }
    let inner = read_entry_bytes(zip, i, vpath, MAX_NESTED_ZIP_BYTES)
        .and_then(|bytes| open_zip(vpath, std::io::Cursor::new(bytes)));
    // (Listing reads each nested archive once; readers of its entries use [`open_nested`].)
    match inner {
        Ok(mut z) => list_entries(&mut z, vpath, None, depth + 1, listing, other),
        Err(e) => listing.problems.push((vpath.to_path_buf(), e.reason())),
    }
}

/// The decompressed bytes of entry `i`, at most `cap`, guarded against bombs.
fn read_entry_bytes<R: Read + Seek>(
    zip: &mut zip::ZipArchive<R>,
    i: usize,
    vpath: &Path,
    cap: u64,
) -> Result<Vec<u8>, IngestError> {
    let f = open_entry(zip, i, vpath)?;
    if f.size() > cap {
        return Err(archive_error(
            vpath,
            format!(
                "{} MiB uncompressed, more than the {} MiB gaitguard reads of it",
                f.size() >> 20,
                cap >> 20
            ),
        ));
    }
    let compressed = f.compressed_size();
    let mut out = Vec::new();
    compressed::Ratio::new(f, compressed)
        .take(cap + 1)
        .read_to_end(&mut out)
        .map_err(|e| {
            archive_error(
                vpath,
                compressed::bomb_reason(&e)
                    .unwrap_or_else(|| format!("cannot decompress the entry: {e}")),
            )
        })?;
    if out.len() as u64 > cap {
        return Err(archive_error(
            vpath,
            format!(
                "decompresses to more than {} MiB, the most gaitguard reads of it",
                cap >> 20
            ),
        ));
    }
    Ok(out)
}

/// Entry `i` opened for reading, with the safety checks of the module doc.
fn open_entry<'z, R: Read + Seek>(
    zip: &'z mut zip::ZipArchive<R>,
    i: usize,
    vpath: &Path,
) -> Result<zip::read::ZipFile<'z, R>, IngestError> {
    {
        let raw = zip
            .by_index_raw(i)
            .map_err(|e| archive_error(vpath, format!("unreadable entry: {e}")))?;
        if let Some(why) = unsafe_name(raw.name()) {
            return Err(archive_error(
                vpath,
                format!("the entry's name has {why}: refused"),
            ));
        }
        if raw.encrypted() {
            return Err(archive_error(
                vpath,
                "an encrypted (password-protected) entry: gaitguard does not decrypt archives",
            ));
        }
    }
    zip.by_index(i)
        .map_err(|e| archive_error(vpath, format!("cannot read the entry: {e}")))
}

/// The bytes of the activity file at `rest` inside `archive` (one level of nesting), read
/// within the budgets of its format like any input ([`read_stream`]); `vpath` names it in
/// errors.
///
/// # Errors
/// [`IngestError::Archive`] naming the archive and entry, or the errors of [`read_stream`].
pub fn read_entry(
    archive: &Path,
    rest: &str,
    vpath: &Path,
    format: Option<Dialect>,
) -> Result<Vec<u8>, IngestError> {
    let mut zip = open_file(archive)?;
    if let Some(i) = zip.index_for_name(rest) {
        return read_activity(&mut zip, i, vpath, format);
    }
    // A zip inside the zip: the longest `…zip/` prefix that is an entry.
    for (k, _) in rest
        .match_indices('/')
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
    {
        let (outer, inner) = (&rest[..k], &rest[k + 1..]);
        if !outer.to_ascii_lowercase().ends_with(".zip") {
            continue;
        }
        let Some(i) = zip.index_for_name(outer) else {
            continue;
        };
        let outer_path = archive.join(outer);
        let mut z = open_nested(&mut zip, i, &outer_path)?;
        let j = z.index_for_name(inner).ok_or_else(|| {
            archive_error(
                vpath,
                format!("no entry '{inner}' in {}", outer_path.display()),
            )
        })?;
        if inner.to_ascii_lowercase().ends_with(".zip") {
            return Err(archive_error(
                vpath,
                "an archive inside an archive inside an archive: gaitguard opens one level of nesting",
            ));
        }
        return read_activity(&mut z, j, vpath, format);
    }
    Err(archive_error(
        vpath,
        format!("no entry '{rest}' in the archive {}", archive.display()),
    ))
}

/// Read one activity entry through the common budgets.
fn read_activity<R: Read + Seek>(
    zip: &mut zip::ZipArchive<R>,
    i: usize,
    vpath: &Path,
    format: Option<Dialect>,
) -> Result<Vec<u8>, IngestError> {
    let f = open_entry(zip, i, vpath)?;
    if f.is_dir() {
        return Err(archive_error(vpath, "a folder in the archive, not a file"));
    }
    let size = f.size();
    let compressed = f.compressed_size();
    read_stream(
        vpath,
        Box::new(compressed::Ratio::new(f, compressed)),
        Some(size),
        format,
        Stream::ZipEntry,
    )
}

/// The one activity of an archive named to `analyze` (its virtual path and bytes).
///
/// # Errors
/// [`IngestError::Archive`] when the archive holds no activity or several (naming them and
/// `gaitguard block`), or the entry's own error.
pub fn read_single(
    path: &Path,
    format: Option<Dialect>,
) -> Result<(PathBuf, Vec<u8>), IngestError> {
    let listing = list(path)?;
    match listing.activities.as_slice() {
        [one] => {
            let rest = one
                .strip_prefix(path)
                .map(|r| r.to_string_lossy().into_owned())
                .unwrap_or_default();
            let bytes = read_entry(path, &rest, one, format)?;
            Ok((one.clone(), bytes))
        }
        [] => {
            let why = listing
                .problems
                .first()
                .map(|(p, r)| format!(" ({}: {r})", p.display()))
                .or_else(|| listing.skipped.first().map(|(p, r)| format!(" ({p}: {r})")))
                .unwrap_or_default();
            Err(archive_error(
                path,
                format!("the archive holds no activity to analyse{why}"),
            ))
        }
        many => Err(archive_error(
            path,
            format!(
                "the archive holds {} activities: `gaitguard block {}` analyses them all, or name one, e.g. `gaitguard analyze {}`",
                many.len(),
                path.display(),
                many[0].display()
            ),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_extensions() {
        assert_eq!(
            unsafe_name("a/../../etc/passwd"),
            Some("a '..' component that climbs out of the archive")
        );
        assert_eq!(unsafe_name("/etc/x.gpx"), Some("an absolute path"));
        assert_eq!(unsafe_name("C:\\x.gpx"), Some("an absolute path"));
        assert_eq!(unsafe_name("activities/1..2.gpx"), None);
        assert!(
            activity_ext("activities/1.fit.gz") && activity_ext("a.tcx") && activity_ext("123.gz")
        );
        assert!(!activity_ext("media/p.jpg") && !activity_ext("x.json.gz"));
        assert!(hidden("__MACOSX/a.fit") && hidden("a/.b.fit") && !hidden("a/b.fit"));
        assert!(strava_run("Trail Run") && strava_run("Lauf") && !strava_run("Ride"));
        assert_eq!(split_activity("a/b.tcx/activity-2"), ("a/b.tcx", Some(1)));
        assert_eq!(split_activity("activity-1"), ("", Some(0)));
        assert_eq!(split_activity("a/activity-0"), ("a/activity-0", None));
    }

    fn write_zip(path: &Path, entries: &[(&str, &[u8])]) {
        use std::io::Write as _;
        let mut w = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
        let o = zip::write::SimpleFileOptions::default();
        for (n, d) in entries {
            w.start_file(*n, o).unwrap();
            w.write_all(d).unwrap();
        }
        w.finish().unwrap();
    }

    #[test]
    fn cached_archives_follow_changes_and_nested_entries_share_one_read() {
        let dir = tempfile::tempdir().unwrap();
        let z = dir.path().join("a.zip");
        let csv = |n: usize| format!("time,cadence\n{}", "0,170\n".repeat(n));
        write_zip(&z, &[("r.csv", csv(2).as_bytes())]);
        let read = |rest: &str| read_entry(&z, rest, &z.join(rest), None).unwrap();
        assert_eq!(read("r.csv"), csv(2).as_bytes());
        // Rewritten with other content: parsed again, not served from the cache.
        write_zip(&z, &[("r.csv", csv(5).as_bytes())]);
        assert_eq!(read("r.csv"), csv(5).as_bytes());
        let inner = dir.path().join("inner.zip");
        write_zip(
            &inner,
            &[("x.csv", csv(1).as_bytes()), ("y.csv", csv(3).as_bytes())],
        );
        let nested = std::fs::read(&inner).unwrap();
        write_zip(&z, &[("up/inner.zip", &nested)]);
        assert_eq!(read("up/inner.zip/x.csv"), csv(1).as_bytes());
        assert_eq!(read("up/inner.zip/y.csv"), csv(3).as_bytes());
        let listing = list(&z).unwrap();
        assert_eq!(
            listing.activities,
            [z.join("up/inner.zip/x.csv"), z.join("up/inner.zip/y.csv")]
        );
        let e = read_entry(&z, "up/inner.zip/none.csv", &z.join("n"), None).unwrap_err();
        assert!(e.reason().contains("no entry 'none.csv'"), "{e}");
    }

    #[test]
    fn virtual_paths_find_their_archive() {
        let dir = tempfile::tempdir().unwrap();
        let z = dir.path().join("x.zip");
        std::fs::write(&z, b"PK\x05\x06").unwrap();
        assert!(is_zip_file(&z));
        assert_eq!(
            locate(&z.join("activities/1.gpx")),
            Some((z.clone(), "activities/1.gpx".to_string()))
        );
        assert_eq!(locate(&z), None);
        assert_eq!(locate(&dir.path().join("missing/a.fit")), None);
    }
}
