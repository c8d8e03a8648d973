//! The first steps of reading a raw export: skip the leading blank lines and the ActiGraph
//! preamble, decide the header layout and delimiter from the first lines, and read the
//! column header (one line, two levels, or none) into [`Col`]s.

use super::header::{self, Preamble, is_headerless_row, is_two_level, split_simple};
use super::select::Col;
use crate::error::IngestError;
use crate::ingest::records_csv::sniff_delimiter;
use crate::recording::Warning;
use crate::vocab::WarningCode;
use std::path::Path;

/// The text after the preamble, and what the preamble said.
pub(crate) struct Body<'a> {
    /// The column header (or first data row) and everything after it.
    pub text: &'a str,
    /// Lines before `text` (blank lines and the preamble): add to a 1-based line number
    /// within `text` to get the line number in the file.
    pub line_base: u64,
    /// What the ActiGraph preamble says (default when there is none).
    pub pre: Preamble,
}

/// Skip a byte-order mark, leading blank lines and, when the first non-blank line opens an
/// ActiLife export, its preamble.
pub(crate) fn skip_preamble(text: &str) -> Body<'_> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut offset = 0usize;
    let mut line_no = 1u64;
    for l in text.split_inclusive('\n') {
        if !l.trim().is_empty() {
            break;
        }
        offset += l.len();
        line_no += 1;
    }
    let first_line = text[offset..].lines().next().unwrap_or("");
    let pre = if header::is_actigraph(first_line) {
        let p = header::actigraph_preamble(&text[offset..]);
        for l in text[offset..].split_inclusive('\n').take(p.lines) {
            offset += l.len();
            line_no += 1;
        }
        p
    } else {
        Preamble::default()
    };
    Body {
        text: &text[offset..],
        line_base: line_no - 1,
        pre,
    }
}

/// How the header is laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Layout {
    /// One header line.
    OneLine,
    /// Sensor names, then axis names (gaitmap/NilsPod).
    TwoLevel,
    /// No header: date-time, x, y, z (Axivity/OMGUI).
    Headerless,
}

/// What the first lines of the body say about the file's shape.
pub(crate) struct Shape {
    /// Header layout.
    pub layout: Layout,
    /// Field delimiter.
    pub delim: u8,
    /// Decimal commas are accepted (the delimiter is not a comma).
    pub decimal_comma: bool,
    /// Number of cells on the first line (the column count of a header-less file).
    pub first_cells: usize,
    /// Rough row count: body length / (length of the first sample line + 1), the divisor
    /// at least 8.
    pub rows_estimate: usize,
}

/// Decide the delimiter and layout from the first two (three for a two-level header) lines.
pub(crate) fn detect_layout(body: &str) -> Shape {
    let mut lines = body.lines();
    let l1 = lines.next().unwrap_or("");
    let l2 = lines.next().unwrap_or("");
    let delim = sniff_delimiter(l1);
    let cells1 = split_simple(l1, delim);
    let cells2 = split_simple(l2, delim);
    let layout = if is_headerless_row(&cells1) {
        Layout::Headerless
    } else if is_two_level(&cells1, &cells2) {
        Layout::TwoLevel
    } else {
        Layout::OneLine
    };
    let sample_line = match layout {
        Layout::Headerless => l1,
        Layout::OneLine => l2,
        Layout::TwoLevel => lines.next().unwrap_or(l2),
    };
    Shape {
        layout,
        delim,
        decimal_comma: delim != b',',
        first_cells: cells1.len(),
        rows_estimate: body.len() / (sample_line.len() + 1).max(8),
    }
}

/// A CSV reader over `body` in this shape: no header handling (the header is read by
/// [`read_header`]), rows of any length.
pub(crate) fn csv_reader<'a>(body: &'a str, shape: &Shape) -> csv::Reader<&'a [u8]> {
    csv_reader_of(body.as_bytes(), shape)
}

/// [`csv_reader`] over any byte stream (a file being streamed).
pub(crate) fn csv_reader_of<R: std::io::Read>(source: R, shape: &Shape) -> csv::Reader<R> {
    csv::ReaderBuilder::new()
        .delimiter(shape.delim)
        .has_headers(false)
        .flexible(true)
        .buffer_capacity(1 << 16)
        .from_reader(source)
}

/// A header cell as text: lossy UTF-8, blanks and quotes trimmed.
fn cell_text(field: &[u8]) -> String {
    String::from_utf8_lossy(field)
        .trim()
        .trim_matches('"')
        .trim()
        .to_string()
}

/// Read the column header in `layout` from `rdr` (a header-less file has none: its columns
/// are named `time, x, y, z, gx, gy, gz, column8, …` with a `no_header` warning).
///
/// # Errors
/// [`IngestError::NoData`] when the body ends before the header, [`IngestError::Csv`] when
/// a header row cannot be read.
pub(crate) fn read_header<R: std::io::Read>(
    path: &Path,
    rdr: &mut csv::Reader<R>,
    rec: &mut csv::ByteRecord,
    shape: &Shape,
    line_base: u64,
    warnings: &mut Vec<Warning>,
) -> Result<Vec<Col>, IngestError> {
    let mut next_header = || header_row(path, rdr, rec, line_base);
    Ok(match shape.layout {
        Layout::OneLine => next_header()?.into_iter().map(Col::plain).collect(),
        Layout::TwoLevel => {
            let groups = next_header()?;
            let subs = next_header()?;
            two_level_columns(&groups, subs)
        }
        Layout::Headerless => {
            warnings.push(Warning::new(
                WarningCode::NoHeader,
                "the file has no column header: columns read as time, x, y, z (and gyroscope gx, gy, gz)",
            ));
            header::headerless_names(shape.first_cells)
                .into_iter()
                .map(Col::plain)
                .collect()
        }
    })
}

/// The next record of `rdr` as header cells.
fn header_row<R: std::io::Read>(
    path: &Path,
    rdr: &mut csv::Reader<R>,
    rec: &mut csv::ByteRecord,
    line_base: u64,
) -> Result<Vec<String>, IngestError> {
    match rdr.read_byte_record(rec) {
        Ok(true) => Ok(rec.iter().map(cell_text).collect()),
        Ok(false) => Err(IngestError::NoData {
            path: path.to_path_buf(),
            reason: "no samples: the file has no column header and no data rows".into(),
        }),
        Err(e) => Err(IngestError::Csv {
            path: path.to_path_buf(),
            line: line_base + e.position().map_or(1, |p| p.line()),
            column: None,
            reason: format!("cannot read the header: {e}"),
        }),
    }
}

/// Columns of a two-level header: `groups` (row 1: sensor names, blank where the previous
/// group continues) over `subs` (row 2: axis names). Column 0 keeps its own name (`index`
/// when blank); the others are named `group.axis`.
fn two_level_columns(groups: &[String], subs: Vec<String>) -> Vec<Col> {
    let mut last_group = String::new();
    subs.into_iter()
        .enumerate()
        .map(|(i, sub)| {
            if i == 0 {
                let name = if sub.is_empty() {
                    "index".to_string()
                } else {
                    sub.clone()
                };
                return Col::plain(name);
            }
            if let Some(g) = groups.get(i).filter(|g| !g.is_empty()) {
                last_group = g.clone();
            }
            Col {
                info: header::classify(&sub),
                name: format!("{last_group}.{sub}"),
                sub,
                group: Some(last_group.clone()),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blank_lines_and_bom_are_skipped() {
        let b = skip_preamble("\u{feff}\n  \nx,y,z\n1,2,3\n");
        assert_eq!(b.text, "x,y,z\n1,2,3\n");
        assert_eq!(b.line_base, 2);
        assert_eq!(b.pre, Preamble::default());
    }

    #[test]
    fn the_actigraph_preamble_is_skipped_and_read() {
        let text = "------------ Data File Created By ActiGraph GT3X+ ActiLife v6.13.3 Firmware v2.5.0 date format M/d/yyyy at 30 Hz  Filter Normal -----------\n\
                    Serial Number: NEO1F00000\n\
                    Start Time 10:00:00\n\
                    Start Date 1/2/2020\n\
                    Epoch Period (hh:mm:ss) 00:00:00\n\
                    Download Time 11:00:00\n\
                    Download Date 1/2/2020\n\
                    Current Memory Address: 0\n\
                    Current Battery Voltage: 4.2     Mode = 12\n\
                    --------------------------------------------------\n\
                    Accelerometer X,Accelerometer Y,Accelerometer Z\n\
                    0.1,0.2,0.9\n";
        let b = skip_preamble(text);
        assert_eq!(b.line_base, 10);
        assert!(b.text.starts_with("Accelerometer X,"));
        assert_eq!(b.pre.rate_hz, Some(30.0));
        // 2020-01-02 10:00:00 read as UTC.
        assert_eq!(b.pre.start_unix_s, Some(1_577_959_200.0));
    }

    #[test]
    fn layouts_and_delimiters() {
        let one = detect_layout("t;x;y;z\n0;1,5;2;3\n");
        assert_eq!(
            (one.layout, one.delim, one.decimal_comma),
            (Layout::OneLine, b';', true)
        );
        let none = detect_layout("2020-01-01 10:00:00.000,0.1,0.2,0.9\n");
        assert_eq!((none.layout, none.first_cells), (Layout::Headerless, 4));
        let two = detect_layout(
            "sensor,left,left,left,right,right,right\naxis,acc_x,acc_y,acc_z,acc_x,acc_y,acc_z\n0,1,2,3,4,5,6\n",
        );
        assert_eq!((two.layout, two.delim), (Layout::TwoLevel, b','));
        // 21 bytes / max(8, 6 + 1).
        assert_eq!(detect_layout("a,b\n1,2\n1,2\n1,2\n1,2\n").rows_estimate, 2);
    }

    #[test]
    fn two_level_names_carry_the_group_forward() {
        let groups: Vec<String> = ["", "left", "", "right"].map(String::from).to_vec();
        let subs: Vec<String> = ["", "acc_x", "acc_y", "acc_x"].map(String::from).to_vec();
        let cols = two_level_columns(&groups, subs);
        let names: Vec<&str> = cols.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["index", "left.acc_x", "left.acc_y", "right.acc_x"]);
        assert_eq!(cols[2].group.as_deref(), Some("left"));
        assert_eq!(cols[3].sub, "acc_x");
    }

    #[test]
    fn a_missing_header_is_no_data() {
        let body = "";
        let shape = detect_layout(body);
        let mut rdr = csv_reader(body, &shape);
        let mut rec = csv::ByteRecord::new();
        let mut w = Vec::new();
        let e = read_header(Path::new("f.csv"), &mut rdr, &mut rec, &shape, 0, &mut w);
        assert!(matches!(e, Err(IngestError::NoData { .. })));
        let body = "2020-01-01 10:00:00,0.1,0.2,0.9,1,2,3,4\n";
        let shape = detect_layout(body);
        let mut rdr = csv_reader(body, &shape);
        let cols = read_header(Path::new("f.csv"), &mut rdr, &mut rec, &shape, 0, &mut w).unwrap();
        let names: Vec<&str> = cols.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["time", "x", "y", "z", "gx", "gy", "gz", "column8"]);
        assert_eq!(w.len(), 1);
    }
}
