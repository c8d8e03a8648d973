//! gzip-compressed inputs (`run.fit.gz`, `activity.gpx.gz`, a Strava bulk export's
//! `activities/*.gz`), recognised by their magic bytes (1F 8B, RFC 1952 §2.3.1), not by their
//! name, and decompressed as a stream (flate2; concatenated members are read as one, as
//! `gunzip` does) within bounds:
//!
//! * the decompressed bytes count against the budget of the format they turn out to be
//!   ([`super::MAX_FIT_BYTES`], [`super::MAX_TEXT_BYTES`]);
//! * a stream that expands more than [`MAX_RATIO`]-fold once past [`RATIO_FREE_BYTES`] is
//!   refused as a compression bomb: real activity files compress 3–20-fold (XML and CSV
//!   text), a bomb of zeros ~1000-fold. Small files may exceed the ratio freely;
//! * a stream cut short (a partial download) or corrupt is an error, never a shorter file.

use std::io::Read;

/// The first two bytes of a gzip member.
pub const GZIP_MAGIC: [u8; 2] = [0x1F, 0x8B];

/// Most output per input byte tolerated past [`RATIO_FREE_BYTES`].
pub const MAX_RATIO: u64 = 100;

/// Output below which the ratio is not checked (16 MiB).
pub const RATIO_FREE_BYTES: u64 = 16 << 20;

/// True when `bytes` start a gzip stream.
pub fn is_gzip(bytes: &[u8]) -> bool {
    bytes.starts_with(&GZIP_MAGIC)
}

/// The error a [`Guard`] raises inside the I/O error it returns.
#[derive(Debug)]
pub struct Bomb {
    /// Compressed bytes read when it was stopped.
    pub compressed_bytes: u64,
    /// Bytes it had expanded to.
    pub expanded_bytes: u64,
}

impl std::fmt::Display for Bomb {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} KiB of compressed data expanded to over {} MiB, more than {MAX_RATIO} times its size: refused as a compression bomb (gaitguard allows at most {MAX_RATIO}:1 beyond the first {} MiB)",
            self.compressed_bytes >> 10,
            self.expanded_bytes >> 20,
            RATIO_FREE_BYTES >> 20
        )
    }
}

impl std::error::Error for Bomb {}

/// Counts the bytes read through it.
struct Counting<R> {
    inner: R,
    count: std::rc::Rc<std::cell::Cell<u64>>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.set(self.count.get() + n as u64);
        Ok(n)
    }
}

/// A gzip decoder that stops with a [`Bomb`] error once the output outgrows the input
/// beyond the allowed ratio.
pub struct Guard<R: Read> {
    decoder: flate2::read::MultiGzDecoder<Counting<R>>,
    compressed: std::rc::Rc<std::cell::Cell<u64>>,
    expanded: u64,
}

impl<R: Read> Guard<R> {
    /// Decode the gzip stream `inner`.
    pub fn new(inner: R) -> Self {
        let compressed = std::rc::Rc::new(std::cell::Cell::new(0));
        Guard {
            decoder: flate2::read::MultiGzDecoder::new(Counting {
                inner,
                count: compressed.clone(),
            }),
            compressed,
            expanded: 0,
        }
    }
}

impl<R: Read> Read for Guard<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.decoder.read(buf)?;
        self.expanded += n as u64;
        let c = self.compressed.get().max(1);
        if self.expanded > RATIO_FREE_BYTES && self.expanded > MAX_RATIO.saturating_mul(c) {
            return Err(std::io::Error::other(Bomb {
                compressed_bytes: c,
                expanded_bytes: self.expanded,
            }));
        }
        Ok(n)
    }
}

/// Stops with a [`Bomb`] error once the output of a decoder of `compressed_bytes` known
/// bytes (a zip entry's compressed size) outgrows it beyond the allowed ratio.
pub struct Ratio<R: Read> {
    inner: R,
    compressed_bytes: u64,
    expanded: u64,
}

impl<R: Read> Ratio<R> {
    /// Guard `inner`, the decoder of `compressed_bytes` bytes.
    pub fn new(inner: R, compressed_bytes: u64) -> Self {
        Ratio {
            inner,
            compressed_bytes,
            expanded: 0,
        }
    }
}

impl<R: Read> Read for Ratio<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.expanded += n as u64;
        let c = self.compressed_bytes.max(1);
        if self.expanded > RATIO_FREE_BYTES && self.expanded > MAX_RATIO.saturating_mul(c) {
            return Err(std::io::Error::other(Bomb {
                compressed_bytes: c,
                expanded_bytes: self.expanded,
            }));
        }
        Ok(n)
    }
}

/// The [`Bomb`] message, when `e` is one.
pub fn bomb_reason(e: &std::io::Error) -> Option<String> {
    e.get_ref()
        .and_then(|x| x.downcast_ref::<Bomb>())
        .map(ToString::to_string)
}

/// The reason for an I/O error met while decompressing: the bomb's own message, or a
/// stream cut short or corrupt.
pub fn reason(e: &std::io::Error) -> String {
    if let Some(b) = bomb_reason(e) {
        return b;
    }
    if e.kind() == std::io::ErrorKind::UnexpectedEof {
        "the gzip stream ends early: the file is cut short (an interrupted download?)".into()
    } else {
        format!("the gzip stream is corrupt: {e}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write as _;

    fn gz(data: &[u8]) -> Vec<u8> {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        e.write_all(data).unwrap();
        e.finish().unwrap()
    }

    #[test]
    fn round_trip_members_and_truncation() {
        let text = b"time,cadence\n0,170\n1,171\n".repeat(100);
        let mut z = gz(&text);
        assert!(is_gzip(&z));
        let mut out = Vec::new();
        Guard::new(&z[..]).read_to_end(&mut out).unwrap();
        assert_eq!(out, text);
        // Two members read as one file.
        z.extend(gz(b"2,172\n"));
        out.clear();
        Guard::new(&z[..]).read_to_end(&mut out).unwrap();
        assert!(out.ends_with(b"1,171\n2,172\n"));
        let cut = &z[..z.len() / 3];
        let e = Guard::new(cut).read_to_end(&mut Vec::new()).unwrap_err();
        assert!(reason(&e).contains("cut short"), "{}", reason(&e));
    }

    #[test]
    fn a_bomb_stops_early_with_the_cap_in_the_message() {
        let z = gz(&vec![0u8; 64 << 20]);
        let mut out = Vec::new();
        let e = Guard::new(&z[..]).read_to_end(&mut out).unwrap_err();
        assert!(out.len() < (20 << 20), "{}", out.len());
        let r = reason(&e);
        assert!(r.contains("compression bomb") && r.contains("100:1"), "{r}");
    }
}
