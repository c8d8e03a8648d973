//! GENEActiv `.bin` files (ActivInsights GENEActiv Original/Sleep).
//!
//! Format (GENEActiv Instructions for Use, "Binary file format" and the worked conversion;
//! the same as GGIRread's `readGENEActiv` and the GENEAread R package): text, lines
//! `Key:Value`. A header (`Device Identity`, `Device Capabilities`, `Configuration Info` with
//! `Measurement Frequency:50 Hz` and `Time Zone:GMT -04:00`, `Calibration Data` with
//! `x gain`, `x offset`, … , `Volts`, `Lux`, `Memory Status`), then pages, each a
//! `Recorded Data` line, `Key:Value` lines (`Sequence Number`, `Page Time:2019-05-21
//! 16:16:43:500` = the first sample's local time, `Measurement Frequency:50.0`) and one line
//! of hexadecimal data: 12 hex digits (48 bits, most significant first) per sample: x, y, z
//! as 12-bit two's complement, light 10 bits, button 1 bit, 1 reserved bit; 300 samples a
//! page. Calibrated acceleration: `g = (raw × 100 − offset) / gain` per axis.
//!
//! Sample times: the page time plus sample index / page frequency (pages are not joined:
//! the device clock's page times carry its drift). Times are converted to UTC with the
//! header's time zone. Light, temperature and button are ignored.

use super::{Emitter, civil_unix_s, corrupt};
use crate::error::IngestError;
use crate::ingest::Dialect;
use crate::ingest::stream::{Collect, SampleSink};
use crate::recording::{RawSignal, TimeSource};
use std::borrow::Cow;
use std::io::{BufRead, Read};
use std::path::Path;

/// Hex digits per sample.
const HEX_PER_SAMPLE: usize = 12;
/// The longest line read, bytes (a page's data line is 3600 hex digits).
const MAX_LINE_BYTES: u64 = 1 << 20;
/// The header's `Key:Value` lines the decoder uses.
const HEADER_KEYS: [&str; 9] = [
    "x gain",
    "x offset",
    "y gain",
    "y offset",
    "z gain",
    "z offset",
    "Measurement Frequency",
    "Time Zone",
    "Device Unique Serial Code",
];
/// A page's `Key:Value` lines the decoder uses.
const PAGE_KEYS: [&str; 2] = ["Page Time", "Measurement Frequency"];

/// A GENEActiv file: text starting with `Device Identity`.
pub fn looks_like_geneactiv(bytes: &[u8]) -> bool {
    let b = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    b.starts_with(b"Device Identity")
}

/// Where a line is: its byte offset and 1-based number.
#[derive(Debug, Clone, Copy, Default)]
struct At {
    offset: usize,
    number: usize,
}

/// The first `key:value` line of a key: where it is and its trimmed value.
#[derive(Debug, Clone)]
struct Field {
    key: &'static str,
    at: At,
    value: String,
}

/// Per-axis calibration: `g = (raw × 100 − offset) / gain`.
#[derive(Debug, Clone, Copy)]
struct Calibration {
    gain: [f64; 3],
    offset: [f64; 3],
}

/// Decode a GENEActiv `.bin` file held in memory: [`stream_geneactiv`] into the
/// [`Collect`] sink.
///
/// # Errors
/// As [`stream_geneactiv`].
pub fn read_geneactiv(path: &Path, bytes: &[u8]) -> Result<RawSignal, IngestError> {
    let mut collect = Collect::new();
    stream_geneactiv(path, bytes, &mut collect)?;
    collect.into_signal(path, "the geneactiv-bin file")
}

/// Decode a GENEActiv `.bin` stream into `sink`: the header's lines up to the first
/// `Recorded Data`, then page by page, a line at a time. Memory: one line, one page's data
/// line and one chunk, whatever the file's length.
///
/// # Errors
/// [`IngestError::Sensor`] naming the page and byte offset for a header without calibration
/// or frequency, a page without its time or data, data that is not whole samples of hex
/// digits, an absurd frequency, a line longer than 1 MiB; [`IngestError::NoData`] for a
/// file without pages; [`IngestError::Io`] when the reader fails; whatever the sink returns.
pub fn stream_geneactiv<R: BufRead>(
    path: &Path,
    reader: R,
    sink: &mut dyn SampleSink,
) -> Result<(), IngestError> {
    let mut lines = Lines {
        reader,
        buf: Vec::new(),
        next: At {
            offset: 0,
            number: 1,
        },
    };
    let mut header = Vec::new();
    let mut first_page = None;
    while let Some((at, text)) = lines.next_line(path)? {
        if text == "Recorded Data" {
            first_page = Some(at);
            break;
        }
        remember(&mut header, &HEADER_KEYS, at, &text);
    }
    let cal = calibration(path, &header)?;
    let tz_s = find(&header, "Time Zone")
        .and_then(|f| parse_tz_s(&f.value))
        .unwrap_or(0);
    let mut out = Emitter::new(sink, path, Dialect::GeneactivBin, TimeSource::Column, false);
    out.meta.device = Some(format!(
        "GENEActiv {}",
        find(&header, "Device Unique Serial Code").map_or("", |f| f.value.as_str())
    ));
    let Some(head) = first_page else {
        if let Some(f) = find(&header, "Measurement Frequency") {
            parse_rate(path, f, "the header")?;
        }
        return out.finish();
    };
    let mut page = Page::new(0, head);
    loop {
        match lines.next_line(path)? {
            None => break,
            Some((at, text)) if text == "Recorded Data" => {
                read_page(path, &page, &cal, tz_s, &mut out)?;
                page = Page::new(page.k + 1, at);
            }
            Some((at, text)) => page.take(at, &text),
        }
    }
    read_page(path, &page, &cal, tz_s, &mut out)?;
    out.finish()
}

/// Lines of a stream with their byte offsets (line ends `\n` or `\r\n`), read one at a time.
struct Lines<R> {
    reader: R,
    buf: Vec<u8>,
    /// Where the next line starts.
    next: At,
}

impl<R: BufRead> Lines<R> {
    /// The next line (UTF-8, invalid bytes replaced; trailing spaces kept), `None` at the end.
    fn next_line(&mut self, path: &Path) -> Result<Option<(At, Cow<'_, str>)>, IngestError> {
        self.buf.clear();
        let n = (&mut self.reader)
            .take(MAX_LINE_BYTES + 1)
            .read_until(b'\n', &mut self.buf)
            .map_err(|source| IngestError::Io {
                path: path.to_path_buf(),
                source,
            })?;
        let at = self.next;
        if n == 0 {
            return Ok(None);
        }
        if n as u64 > MAX_LINE_BYTES {
            return Err(corrupt(
                path,
                at.offset,
                format!(
                    "GENEActiv line {} is longer than {} MiB (not a line of a GENEActiv file)",
                    at.number,
                    MAX_LINE_BYTES >> 20
                ),
            ));
        }
        self.next = At {
            offset: at.offset + n,
            number: at.number + 1,
        };
        let text = match String::from_utf8_lossy(&self.buf) {
            Cow::Borrowed(s) => Cow::Borrowed(s.trim_end_matches(['\n', '\r'])),
            Cow::Owned(s) => Cow::Owned(s.trim_end_matches(['\n', '\r']).to_string()),
        };
        Ok(Some((at, text)))
    }
}

/// Keep a `key:value` line when its key is one of `keys` and not seen before.
fn remember(fields: &mut Vec<Field>, keys: &[&'static str], at: At, text: &str) {
    let Some((k, v)) = text.split_once(':') else {
        return;
    };
    let k = k.trim();
    let Some(&key) = keys.iter().find(|&&want| want == k) else {
        return;
    };
    if find(fields, key).is_none() {
        fields.push(Field {
            key,
            at,
            value: v.trim().to_string(),
        });
    }
}

/// The first line with this key.
fn find<'f>(fields: &'f [Field], key: &str) -> Option<&'f Field> {
    fields.iter().find(|f| f.key == key)
}

/// What a page holds, gathered line by line until the next page starts.
#[derive(Debug)]
struct Page {
    /// 0-based page number.
    k: usize,
    /// The `Recorded Data` line.
    head: At,
    fields: Vec<Field>,
    /// The first line of data (not empty, no `:`) and where it is.
    data: Option<(At, String)>,
}

impl Page {
    fn new(k: usize, head: At) -> Self {
        Page {
            k,
            head,
            fields: Vec::new(),
            data: None,
        }
    }

    /// A line after the page's head.
    fn take(&mut self, at: At, text: &str) {
        if text.contains(':') {
            remember(&mut self.fields, &PAGE_KEYS, at, text);
        } else if !text.is_empty() && self.data.is_none() {
            self.data = Some((at, text.to_string()));
        }
    }
}

/// The `Calibration Data` gains and offsets.
fn calibration(path: &Path, header: &[Field]) -> Result<Calibration, IngestError> {
    let mut gain = [0.0; 3];
    let mut offset = [0.0; 3];
    for (a, axis) in ["x", "y", "z"].iter().enumerate() {
        for (slot, what) in [(&mut gain[a], "gain"), (&mut offset[a], "offset")] {
            let key = format!("{axis} {what}");
            let f = find(header, &key).ok_or_else(|| {
                corrupt(
                    path,
                    0,
                    format!("GENEActiv header: no '{key}' in its Calibration Data"),
                )
            })?;
            let v = &f.value;
            *slot = v
                .parse()
                .ok()
                .filter(|g: &f64| g.is_finite())
                .ok_or_else(|| {
                    corrupt(
                        path,
                        f.at.offset,
                        format!(
                            "GENEActiv header line {}: '{key}' is '{v}', expected a number",
                            f.at.number
                        ),
                    )
                })?;
        }
        if gain[a] == 0.0 {
            return Err(corrupt(
                path,
                0,
                format!("GENEActiv header: '{axis} gain' is 0"),
            ));
        }
    }
    Ok(Calibration { gain, offset })
}

/// `50 Hz` / `50.0` → 50, within 1–10000 Hz.
fn parse_rate(path: &Path, f: &Field, whose: &str) -> Result<f64, IngestError> {
    let v = &f.value;
    v.trim_end_matches("Hz")
        .trim()
        .parse::<f64>()
        .ok()
        .filter(|r| (1.0..=10_000.0).contains(r))
        .ok_or_else(|| {
            corrupt(
                path,
                f.at.offset,
                format!("GENEActiv {whose} (line {}): Measurement Frequency '{v}' is not a rate from 1 to 10000 Hz", f.at.number),
            )
        })
}

/// `GMT -04:00` → −14400 s.
fn parse_tz_s(v: &str) -> Option<i64> {
    let v = v.trim_start_matches("GMT").trim();
    let (sign, rest) = match v.strip_prefix('-') {
        Some(r) => (-1, r),
        None => (1, v.trim_start_matches('+')),
    };
    let (h, m) = rest.split_once(':').unwrap_or((rest, "0"));
    Some(sign * (h.trim().parse::<i64>().ok()? * 3600 + m.trim().parse::<i64>().ok()? * 60))
}

/// `2019-05-21 16:16:43:500` → Unix time of that local time read as UTC (whole seconds,
/// fraction).
fn parse_page_time(v: &str) -> Option<(i64, f64)> {
    let (date, time) = v.trim().split_once(' ')?;
    let mut d = date.split('-').map(|p| p.parse::<u32>());
    let (y, mo, day) = (d.next()?.ok()?, d.next()?.ok()?, d.next()?.ok()?);
    let mut t = time.split(':').map(|p| p.parse::<u32>());
    let (h, mi, s) = (t.next()?.ok()?, t.next()?.ok()?, t.next()?.ok()?);
    let ms = t.next().unwrap_or(Ok(0)).ok()?;
    Some((
        civil_unix_s(y as i32, mo, day, h, mi, s)?,
        f64::from(ms) / 1000.0,
    ))
}

/// Decode page `k` into `out`; page 0's frequency is the stated rate.
fn read_page(
    path: &Path,
    page: &Page,
    cal: &Calibration,
    tz_s: i64,
    out: &mut Emitter,
) -> Result<(), IngestError> {
    let k = page.k;
    let err = |at: At, reason: String| {
        corrupt(
            path,
            at.offset,
            format!("GENEActiv page {k} (line {}): {reason}", at.number),
        )
    };
    let time =
        find(&page.fields, "Page Time").ok_or_else(|| err(page.head, "no 'Page Time'".into()))?;
    let (whole, frac) = parse_page_time(&time.value).ok_or_else(|| {
        err(
            time.at,
            format!("Page Time '{}' is not yyyy-mm-dd hh:mm:ss:mmm", time.value),
        )
    })?;
    let whole = whole - tz_s;
    let rate_f = find(&page.fields, "Measurement Frequency")
        .ok_or_else(|| err(page.head, "no 'Measurement Frequency'".into()))?;
    let rate = parse_rate(path, rate_f, &format!("page {k}"))?;
    let (data_at, data) = page
        .data
        .as_ref()
        .ok_or_else(|| err(page.head, "no line of hexadecimal samples".into()))?;
    let hex = data.trim().as_bytes();
    if hex.len() % HEX_PER_SAMPLE != 0 {
        return Err(err(
            *data_at,
            format!(
                "{} hex digits are not whole samples of {HEX_PER_SAMPLE} (the page is cut short?)",
                hex.len()
            ),
        ));
    }
    if k == 0 {
        out.meta.stated_rate_hz = Some(rate);
    }
    for (i, s) in hex.chunks_exact(HEX_PER_SAMPLE).enumerate() {
        let word = s.iter().try_fold(0u64, |acc, &c| {
            (c as char).to_digit(16).map(|d| (acc << 4) | u64::from(d))
        });
        let Some(word) = word else {
            return Err(err(*data_at, format!("sample {i} is not hexadecimal")));
        };
        let axis = |a: usize| -> f64 {
            let u = ((word >> (36 - 12 * a)) & 0xfff) as i32;
            let raw = if u >= 2048 { u - 4096 } else { u };
            (f64::from(raw) * 100.0 - cal.offset[a]) / cal.gain[a]
        };
        out.push(
            whole,
            frac + i as f64 / rate,
            [axis(0), axis(1), axis(2)],
            None,
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn samples_are_12_bit_twos_complement_calibrated() {
        let text = "Device Identity\nCalibration Data\nx gain:25000\nx offset:100\ny gain:25000\ny offset:0\nz gain:20000\nz offset:-200\n\nRecorded Data\nPage Time:2020-01-01 00:00:00:500\nMeasurement Frequency:10.0\n0FA800C18000800FFF000000\n";
        // sample 0: x=0x0FA=250, y=0x800=-2048, z=0xC18=-1000; sample 1: x=0x800, y=0xFFF=-1, z=0.
        let sig = read_geneactiv(Path::new("g.bin"), text.as_bytes()).unwrap();
        let g = |mps2: f64| mps2 / crate::units::STANDARD_GRAVITY_MPS2;
        assert!((g(sig.acc_mps2[0][0]) - (25000.0 - 100.0) / 25000.0).abs() < 1e-12);
        assert!((g(sig.acc_mps2[1][0]) - (-204_800.0 / 25000.0)).abs() < 1e-12);
        assert!((g(sig.acc_mps2[2][0]) - (-100_000.0 + 200.0) / 20000.0).abs() < 1e-12);
        assert!((g(sig.acc_mps2[1][1]) - (-100.0 / 25000.0)).abs() < 1e-12);
        assert!((g(sig.acc_mps2[2][1]) - 200.0 / 20000.0).abs() < 1e-12);
        assert_eq!(sig.time_s.len(), 2);
        assert!((sig.time_s[1] - 0.1).abs() < 1e-12);
        assert_eq!(sig.start_unix_s, Some(1_577_836_800.5));
        assert_eq!(sig.stated_rate_hz, Some(10.0));
    }

    #[test]
    fn a_cut_page_names_the_page_and_line() {
        let text = "Device Identity\nx gain:1\nx offset:0\ny gain:1\ny offset:0\nz gain:1\nz offset:0\nRecorded Data\nPage Time:2020-01-01 00:00:00:000\nMeasurement Frequency:10.0\n0FA800C1800\n";
        let e = read_geneactiv(Path::new("g.bin"), text.as_bytes())
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("page 0 (line 11)") && e.contains("whole samples"),
            "{e}"
        );
        assert_eq!(parse_tz_s("GMT -04:00"), Some(-14_400));
    }
}
