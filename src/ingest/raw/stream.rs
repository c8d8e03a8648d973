//! A raw CSV export as a stream of samples: its head (preamble and header) read first, the
//! first window of rows decides the units and the time axis exactly as [`super::read_raw`]
//! does for a whole file, and the rows after it are parsed with those decisions and pushed
//! on in chunks ([`crate::ingest::stream`]), never holding the file's text.
//!
//! A file of up to [`WINDOW_ROWS`] rows is decided on all of its rows (the same signal as
//! [`super::read_raw`]); a longer one on its first [`WINDOW_ROWS`] (about 3 h at 100 Hz,
//! 17 min at 1 kHz): a unit inferred from the values (|a| ≈ 1 → g, the median time step)
//! does not change within a recording.

use super::{Dialect, RawOptions, Reader, layout, rows};
use crate::error::IngestError;
use crate::ingest::stream::{CHUNK_SAMPLES, SampleSink, replay};
use std::io::{BufReader, Read};
use std::path::Path;

/// Bytes of the head that must hold the preamble and the column header.
const HEAD_BYTES: usize = 1 << 20;
/// Rows of the first window, on which the units and the time axis are decided.
pub const WINDOW_ROWS: usize = 1 << 20;

/// Stream a raw CSV export of `dialect` from its file into `sink`.
///
/// # Errors
/// As [`super::read_raw`]: [`IngestError::Csv`] naming the line and column of a malformed
/// row, [`IngestError::NoData`] for a file without samples or time; [`IngestError::Io`]
/// when the file cannot be read.
pub fn stream_raw_csv(
    path: &Path,
    dialect: Dialect,
    opts: &RawOptions,
    sink: &mut dyn SampleSink,
) -> Result<(), IngestError> {
    stream_with(path, dialect, opts, sink, WINDOW_ROWS)
}

/// [`stream_raw_csv`] with a first window of `window_rows` rows.
fn stream_with(
    path: &Path,
    dialect: Dialect,
    opts: &RawOptions,
    sink: &mut dyn SampleSink,
    window_rows: usize,
) -> Result<(), IngestError> {
    let io = |source| IngestError::Io {
        path: path.to_path_buf(),
        source,
    };
    let mut src = BufReader::with_capacity(1 << 20, std::fs::File::open(path).map_err(io)?);
    let (lines, rest) = read_head(&mut src).map_err(io)?;
    let text = std::str::from_utf8(&lines).map_err(|e| IngestError::Csv {
        path: path.to_path_buf(),
        line: 1 + lines[..e.valid_up_to()]
            .iter()
            .filter(|&&b| b == b'\n')
            .count() as u64,
        column: None,
        reason: "the file is not UTF-8 text (binary junk or another encoding)".into(),
    })?;
    let body = layout::skip_preamble(text);
    let shape = layout::detect_layout(body.text);
    let source = body.text.as_bytes().chain(rest.as_slice()).chain(src);
    let rdr = layout::csv_reader_of(source, &shape);
    let mut reader = Reader::open(path, body.line_base, body.pre, &shape, rdr, opts)?;
    let capacity = reader.slots.capacity(shape.rows_estimate, body.text.len());
    let rows = reader.rows(capacity.min(window_rows), window_rows)?;
    if rows.n == 0 {
        return Err(rows::no_rows(path));
    }
    let (sig, mut decisions) = reader.window(rows, dialect, opts)?;
    replay(sig, sink)?;
    while let Some(chunk) = reader.next_chunk(&mut decisions, CHUNK_SAMPLES)? {
        sink.push(&chunk)?;
    }
    Ok(())
}

/// The head of a stream: its first [`HEAD_BYTES`] cut after their last line break (whole
/// lines), and the bytes read after that break.
fn read_head(src: &mut impl Read) -> std::io::Result<(Vec<u8>, Vec<u8>)> {
    let mut head = Vec::with_capacity(HEAD_BYTES);
    src.by_ref()
        .take(HEAD_BYTES as u64)
        .read_to_end(&mut head)?;
    let cut = head
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(head.len(), |i| i + 1);
    let rest = head.split_off(cut);
    Ok((head, rest))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::stream::Collect;

    /// Stream `text` (written to a temporary file) with a first window of `window` rows.
    fn streamed(text: &str, dialect: Dialect, window: usize) -> crate::recording::RawSignal {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("x.csv");
        std::fs::write(&p, text).unwrap();
        let mut c = Collect::new();
        stream_with(&p, dialect, &RawOptions::default(), &mut c, window).unwrap();
        let mut sig = c.into_signal(&p, "the file").unwrap();
        sig.path = "x.csv".into();
        sig
    }

    fn whole(text: &str, dialect: Dialect) -> crate::recording::RawSignal {
        super::super::read_raw(Path::new("x.csv"), text, dialect, &RawOptions::default()).unwrap()
    }

    /// A generic export: epoch milliseconds (no unit in the header: inferred), acceleration in
    /// g (inferred from |a| ≈ 1).
    fn epoch_ms_csv(rows: usize) -> String {
        let mut s = String::from("timestamp,x,y,z\n");
        for i in 0..rows {
            let t = 1_760_000_000_000u64 + 10 * i as u64;
            let v = (i as f64 * 0.37).sin() * 0.5;
            s.push_str(&format!(
                "{t},{:.4},{:.4},{:.4}\n",
                0.1 + v,
                0.98 - v * 0.2,
                0.05
            ));
        }
        s
    }

    #[test]
    fn a_stream_with_a_short_window_is_the_whole_file_read_at_once() {
        let text = epoch_ms_csv(25_000);
        let a = whole(&text, Dialect::GenericAccel);
        for window in [1_000, 8_192, 100_000] {
            let b = streamed(&text, Dialect::GenericAccel, window);
            assert_eq!(a.len(), b.len(), "window {window}");
            assert_eq!(a.start_unix_s, b.start_unix_s);
            assert_eq!(a.time_s, b.time_s, "window {window}");
            assert_eq!(a.acc_mps2, b.acc_mps2, "window {window}");
            assert_eq!(a.accel_unit, b.accel_unit);
            assert_eq!(a.time_source, b.time_source);
            let codes = |s: &crate::recording::RawSignal| -> Vec<_> {
                s.warnings.iter().map(|w| w.code).collect()
            };
            assert_eq!(codes(&a), codes(&b));
        }
    }

    #[test]
    fn rate_timed_rows_go_on_counting_after_the_window() {
        let mut text = String::from("x,y,z\n");
        for i in 0..3000 {
            text.push_str(&format!("{},0,1\n", i % 7));
        }
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("r.csv");
        std::fs::write(&p, &text).unwrap();
        let opts = RawOptions {
            sample_rate_hz: Some(50.0),
            ..RawOptions::default()
        };
        let mut c = Collect::new();
        stream_with(&p, Dialect::GenericAccel, &opts, &mut c, 500).unwrap();
        let sig = c.into_signal(&p, "the file").unwrap();
        assert_eq!(sig.len(), 3000);
        assert!((sig.time_s[2999] - 2999.0 / 50.0).abs() < 1e-9);
    }

    #[test]
    fn a_bad_row_after_the_window_names_its_line() {
        let mut text = epoch_ms_csv(3000);
        text.push_str("1760000030000,0.1,oops,0.2\n");
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("bad.csv");
        std::fs::write(&p, &text).unwrap();
        let mut c = Collect::new();
        let e = stream_with(
            &p,
            Dialect::GenericAccel,
            &RawOptions::default(),
            &mut c,
            1000,
        )
        .unwrap_err();
        assert_eq!(
            e.reason(),
            "line 3002, column 'y': expected a number, found 'oops'"
        );
    }

    #[test]
    fn the_head_ends_after_a_line_break() {
        let text = b"a,b\n1,2\n3,";
        let (h, r) = read_head(&mut &text[..]).unwrap();
        assert_eq!(h, b"a,b\n1,2\n");
        assert_eq!(r, b"3,");
        let (h, r) = read_head(&mut &b"no break"[..]).unwrap();
        assert_eq!((h.as_slice(), r.as_slice()), (&b"no break"[..], &b""[..]));
    }
}
