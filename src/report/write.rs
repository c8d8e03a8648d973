//! Atomic output: write to a temporary file in the destination's folder, then rename, so a
//! reader never sees a half-written file and a failed run leaves no partial output.

use crate::error::OutputError;
use std::io::Write;
use std::path::Path;

/// The OS error alone: tempfile appends ` at path "<random temporary name>"` to its errors,
/// which says nothing to the user (the error names the output path).
fn without_temp_path(e: std::io::Error) -> std::io::Error {
    let text = e.to_string();
    match text.find(" at path \"") {
        Some(i) => std::io::Error::new(e.kind(), text[..i].to_string()),
        None => e,
    }
}

/// Write `bytes` to `path` atomically.
///
/// # Errors
/// [`OutputError::Io`] naming `path` when the folder is not writable or the rename fails.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), OutputError> {
    let mut staged = Staged::default();
    staged.add(path, bytes)?;
    staged.commit()
}

/// A run's output files, all or nothing: each is written in full to a temporary file beside
/// its destination ([`Staged::add`]); only when every one of them is written are they renamed
/// into place together ([`Staged::commit`]). Dropping a `Staged` (an error on the way) removes
/// the temporary files, so a failed run leaves none of its outputs behind.
#[derive(Debug, Default)]
pub struct Staged {
    files: Vec<(tempfile::NamedTempFile, std::path::PathBuf)>,
}

impl Staged {
    /// Write `bytes` to a temporary file in `path`'s folder.
    ///
    /// # Errors
    /// [`OutputError::Io`] naming `path` when the folder is not writable.
    pub fn add(&mut self, path: &Path, bytes: &[u8]) -> Result<(), OutputError> {
        self.add_with(path, |w| w.write_all(bytes))
    }

    /// Stream an output to a temporary file in `path`'s folder: `write` gets a buffered
    /// writer (for outputs too large to build in memory, such as a simulated multi-gigabyte
    /// export).
    ///
    /// # Errors
    /// [`OutputError::Io`] naming `path` when the folder is not writable or `write` fails.
    pub fn add_with(
        &mut self,
        path: &Path,
        write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
    ) -> Result<(), OutputError> {
        let io = |source| OutputError::Io {
            path: path.to_path_buf(),
            source,
        };
        let dir = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        let mut tmp = tempfile::Builder::new()
            .prefix(".gaitguard-")
            .suffix(".tmp")
            .tempfile_in(dir)
            .map_err(|e| io(without_temp_path(e)))?;
        {
            let mut buf = std::io::BufWriter::with_capacity(1 << 16, tmp.as_file_mut());
            write(&mut buf).map_err(io)?;
            buf.flush().map_err(io)?;
        }
        // Temporary files are created private (0600); outputs are ordinary files.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(path)
                .map(|m| m.permissions().mode())
                .unwrap_or(0o644);
            tmp.as_file()
                .set_permissions(std::fs::Permissions::from_mode(mode))
                .map_err(io)?;
        }
        tmp.as_file().sync_all().map_err(io)?;
        self.files.push((tmp, path.to_path_buf()));
        Ok(())
    }

    /// Rename every staged file into place.
    ///
    /// # Errors
    /// [`OutputError::Io`] naming the output whose rename failed.
    pub fn commit(self) -> Result<(), OutputError> {
        for (tmp, path) in self.files {
            tmp.persist(&path).map_err(|e| OutputError::Io {
                path: path.clone(),
                source: e.error,
            })?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_write_names_the_output_and_the_os_reason_once() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("no-such-folder").join("out.json");
        let err = write_atomic(&path, b"{}").unwrap_err().to_string();
        assert!(err.starts_with(&path.display().to_string()), "{err}");
        assert!(!err.contains(".gaitguard-"), "{err}");
        assert_eq!(err.matches("os error").count(), 1, "{err}");
        assert!(!path.exists());
    }

    #[test]
    fn staged_outputs_appear_together_or_not_at_all() {
        let dir = tempfile::tempdir().unwrap();
        let good = dir.path().join("a.json");
        let bad = dir.path().join("missing").join("b.png");
        let mut staged = Staged::default();
        staged.add(&good, b"{}").unwrap();
        assert!(!good.exists(), "nothing is visible before the commit");
        assert!(staged.add(&bad, b"png").is_err());
        drop(staged);
        let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().flatten().collect();
        assert!(left.is_empty(), "a failed run leaves nothing: {left:?}");
        let mut staged = Staged::default();
        staged.add(&good, b"{}").unwrap();
        staged.add(&dir.path().join("c.csv"), b"x").unwrap();
        staged.commit().unwrap();
        assert_eq!(std::fs::read(&good).unwrap(), b"{}");
        assert_eq!(std::fs::read(dir.path().join("c.csv")).unwrap(), b"x");
    }
}
