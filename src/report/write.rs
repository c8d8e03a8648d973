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
    tmp.write_all(bytes).map_err(io)?;
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
    tmp.persist(path).map_err(|e| io(e.error))?;
    Ok(())
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
}
