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

use super::{Decoded, civil_unix_s, corrupt};
use crate::error::IngestError;
use crate::ingest::Dialect;
use crate::recording::{RawSignal, TimeSource};
use std::path::Path;

/// Hex digits per sample.
const HEX_PER_SAMPLE: usize = 12;

/// A GENEActiv file: text starting with `Device Identity`.
pub fn looks_like_geneactiv(bytes: &[u8]) -> bool {
    let b = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    b.starts_with(b"Device Identity")
}

/// One line and the byte offset where it starts.
#[derive(Debug, Clone, Copy)]
struct Line<'a> {
    offset: usize,
    number: usize,
    text: &'a str,
}

/// Per-axis calibration: `g = (raw × 100 − offset) / gain`.
#[derive(Debug, Clone, Copy)]
struct Calibration {
    gain: [f64; 3],
    offset: [f64; 3],
}

/// Decode a GENEActiv `.bin` file.
///
/// # Errors
/// [`IngestError::Sensor`] naming the page and byte offset for a header without calibration
/// or frequency, a page without its time or data, data that is not whole samples of hex
/// digits, an absurd frequency; [`IngestError::NoData`] for a file without pages.
pub fn read_geneactiv(path: &Path, bytes: &[u8]) -> Result<RawSignal, IngestError> {
    let text = String::from_utf8_lossy(bytes);
    let lines = split_lines(&text);
    let first_page = lines
        .iter()
        .position(|l| l.text == "Recorded Data")
        .unwrap_or(lines.len());
    let header = &lines[..first_page];
    let cal = calibration(path, header)?;
    let header_rate = value(header, "Measurement Frequency")
        .map(|v| (v, header_line(header, "Measurement Frequency")));
    let tz_s = value(header, "Time Zone").and_then(parse_tz_s).unwrap_or(0);
    let pages: Vec<&[Line]> = split_pages(&lines[first_page..]);
    let mut out = Decoded::with_capacity(pages.len() * 300, false);
    for (k, page) in pages.iter().enumerate() {
        let rate = read_page(path, k, page, &cal, tz_s, &mut out)?;
        if k == 0 {
            out.rate_hz = rate;
        }
    }
    if pages.is_empty() {
        if let Some((v, l)) = header_rate {
            out.rate_hz = parse_rate(path, v, l, "the header")?;
        }
    }
    out.device = Some(format!(
        "GENEActiv {}",
        value(header, "Device Unique Serial Code").unwrap_or("")
    ));
    out.into_signal(path, Dialect::GeneactivBin, TimeSource::Column)
}

/// Lines with their byte offsets (line ends `\n` or `\r\n`), trailing spaces kept.
fn split_lines(text: &str) -> Vec<Line<'_>> {
    let mut out = Vec::new();
    let mut offset = 0;
    for (i, raw) in text.split_inclusive('\n').enumerate() {
        out.push(Line {
            offset,
            number: i + 1,
            text: raw.trim_end_matches(['\n', '\r']),
        });
        offset += raw.len();
    }
    out
}

/// Pages: runs of lines each starting at a `Recorded Data` line.
fn split_pages<'a, 'b>(lines: &'b [Line<'a>]) -> Vec<&'b [Line<'a>]> {
    let starts: Vec<usize> = lines
        .iter()
        .enumerate()
        .filter(|(_, l)| l.text == "Recorded Data")
        .map(|(i, _)| i)
        .collect();
    starts
        .iter()
        .enumerate()
        .map(|(j, &s)| &lines[s..starts.get(j + 1).copied().unwrap_or(lines.len())])
        .collect()
}

/// The value of the first `key:value` line with this key.
fn value<'a>(lines: &[Line<'a>], key: &str) -> Option<&'a str> {
    lines.iter().find_map(|l| {
        let (k, v) = l.text.split_once(':')?;
        (k.trim() == key).then(|| v.trim())
    })
}

fn header_line<'a>(lines: &[Line<'a>], key: &str) -> Line<'a> {
    lines
        .iter()
        .copied()
        .find(|l| l.text.split_once(':').is_some_and(|(k, _)| k.trim() == key))
        .unwrap_or(Line {
            offset: 0,
            number: 1,
            text: "",
        })
}

/// The `Calibration Data` gains and offsets.
fn calibration(path: &Path, header: &[Line]) -> Result<Calibration, IngestError> {
    let mut gain = [0.0; 3];
    let mut offset = [0.0; 3];
    for (a, axis) in ["x", "y", "z"].iter().enumerate() {
        for (slot, what) in [(&mut gain[a], "gain"), (&mut offset[a], "offset")] {
            let key = format!("{axis} {what}");
            let l = header_line(header, &key);
            let v = value(header, &key).ok_or_else(|| {
                corrupt(
                    path,
                    0,
                    format!("GENEActiv header: no '{key}' in its Calibration Data"),
                )
            })?;
            *slot = v
                .parse()
                .ok()
                .filter(|g: &f64| g.is_finite())
                .ok_or_else(|| {
                    corrupt(
                        path,
                        l.offset,
                        format!(
                            "GENEActiv header line {}: '{key}' is '{v}', expected a number",
                            l.number
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
fn parse_rate(path: &Path, v: &str, l: Line, whose: &str) -> Result<f64, IngestError> {
    v.trim_end_matches("Hz")
        .trim()
        .parse::<f64>()
        .ok()
        .filter(|r| (1.0..=10_000.0).contains(r))
        .ok_or_else(|| {
            corrupt(
                path,
                l.offset,
                format!("GENEActiv {whose} (line {}): Measurement Frequency '{v}' is not a rate from 1 to 10000 Hz", l.number),
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

/// Decode page `k`; returns its frequency, Hz.
fn read_page(
    path: &Path,
    k: usize,
    page: &[Line],
    cal: &Calibration,
    tz_s: i64,
    out: &mut Decoded,
) -> Result<f64, IngestError> {
    let head = page[0];
    let err = |l: Line, reason: String| {
        corrupt(
            path,
            l.offset,
            format!("GENEActiv page {k} (line {}): {reason}", l.number),
        )
    };
    let time_line = header_line(page, "Page Time");
    let t0 = value(page, "Page Time").ok_or_else(|| err(head, "no 'Page Time'".into()))?;
    let (whole, frac) = parse_page_time(t0).ok_or_else(|| {
        err(
            time_line,
            format!("Page Time '{t0}' is not yyyy-mm-dd hh:mm:ss:mmm"),
        )
    })?;
    let whole = whole - tz_s;
    let rate_v = value(page, "Measurement Frequency")
        .ok_or_else(|| err(head, "no 'Measurement Frequency'".into()))?;
    let rate = parse_rate(
        path,
        rate_v,
        header_line(page, "Measurement Frequency"),
        &format!("page {k}"),
    )?;
    let data = page
        .iter()
        .skip(1)
        .find(|l| !l.text.is_empty() && !l.text.contains(':'))
        .ok_or_else(|| err(head, "no line of hexadecimal samples".into()))?;
    let hex = data.text.trim().as_bytes();
    if hex.len() % HEX_PER_SAMPLE != 0 {
        return Err(err(
            *data,
            format!(
                "{} hex digits are not whole samples of {HEX_PER_SAMPLE} (the page is cut short?)",
                hex.len()
            ),
        ));
    }
    for (i, s) in hex.chunks_exact(HEX_PER_SAMPLE).enumerate() {
        let word = s.iter().try_fold(0u64, |acc, &c| {
            (c as char).to_digit(16).map(|d| (acc << 4) | u64::from(d))
        });
        let Some(word) = word else {
            return Err(err(*data, format!("sample {i} is not hexadecimal")));
        };
        let axis = |a: usize| -> f64 {
            let u = ((word >> (36 - 12 * a)) & 0xfff) as i32;
            let raw = if u >= 2048 { u - 4096 } else { u };
            (f64::from(raw) * 100.0 - cal.offset[a]) / cal.gain[a]
        };
        out.push(whole, frac + i as f64 / rate, [axis(0), axis(1), axis(2)]);
    }
    Ok(rate)
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
