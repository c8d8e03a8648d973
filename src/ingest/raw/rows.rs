//! The data rows of a raw export: which columns are parsed as numbers, the row loop itself
//! (one reused `csv::ByteRecord`, each cell parsed once), and the channels taken out of it.

use super::RawOptions;
use super::header::{Preamble, UnitKind, unit_kind};
use super::select::{Col, Selection, list_columns};
use super::timecol::TimeReader;
use crate::error::IngestError;
use crate::ingest::records_csv::parse_number;
use std::path::Path;

/// Check that the samples can be placed in time: `--sample-rate` (when given) is a positive
/// number, and there is a time column or a rate (`--sample-rate`, else the preamble's).
///
/// # Errors
/// [`IngestError::NoData`] saying which is missing.
pub(crate) fn require_time_source(
    path: &Path,
    cols: &[Col],
    time_col: Option<usize>,
    opts: &RawOptions,
    pre: &Preamble,
) -> Result<(), IngestError> {
    let no_data = |reason: String| IngestError::NoData {
        path: path.to_path_buf(),
        reason,
    };
    if let Some(r) = opts.sample_rate_hz.filter(|r| !(r.is_finite() && *r > 0.0)) {
        return Err(no_data(format!(
            "the sampling rate {r} Hz is not a positive number"
        )));
    }
    let rate = opts.sample_rate_hz.or(pre.rate_hz);
    if time_col.is_none() && rate.is_none() {
        return Err(no_data(format!(
            "no time column and no sampling rate (columns: {}): pass --sample-rate HZ, or name the time column with --map time=COLUMN",
            list_columns(cols)
        )));
    }
    Ok(())
}

/// The UTC offset, seconds east, that the time column's header states as its unit
/// (`time [-0500]`), if any.
pub(crate) fn time_offset_s(cols: &[Col], time_col: Option<usize>) -> Option<i64> {
    time_col.and_then(|t| match cols[t].info.unit.as_deref().map(unit_kind) {
        Some(UnitKind::Offset(o)) => Some(o),
        _ => None,
    })
}

/// The numeric columns read per row, in the order acc x/y/z, gyro x/y/z, speed, and where
/// each channel's values land among them.
pub(crate) struct Slots {
    /// Column index of each numeric slot.
    pub numeric: Vec<usize>,
    /// Slot of each acceleration channel.
    pub acc: [Option<usize>; 3],
    /// Slots of the gyroscope channels.
    pub gyro: Option<[Option<usize>; 3]>,
    /// Slot of the speed column.
    pub speed: Option<usize>,
}

impl Slots {
    /// The numeric slots of a column selection.
    pub(crate) fn of(sel: &Selection) -> Slots {
        let mut numeric: Vec<usize> = Vec::new();
        let mut slot = |c: Option<usize>| {
            c.map(|c| {
                numeric.push(c);
                numeric.len() - 1
            })
        };
        let acc = sel.acc.map(&mut slot);
        let gyro = sel.gyro.map(|g| g.map(&mut slot));
        let speed = slot(sel.speed);
        Slots {
            numeric,
            acc,
            gyro,
            speed,
        }
    }

    /// Row capacity to reserve: the layout's row estimate, capped so that rows of at least
    /// two bytes per column read cannot reserve more than a few times the file size, plus 16.
    pub(crate) fn capacity(&self, rows_estimate: usize, body_len: usize) -> usize {
        rows_estimate.min(body_len / (2 * (self.numeric.len() + 1))) + 16
    }
}

/// Values read from the rows: one vector per numeric slot, and the row count.
pub(crate) struct Rows {
    /// Values per slot, in row order (NaN = missing).
    pub vals: Vec<Vec<f64>>,
    /// Rows read (blank rows are skipped and not counted).
    pub n: usize,
}

/// The parts of the reader a row needs.
pub(crate) struct RowReader<'r, R: std::io::Read> {
    /// Input path, for errors.
    pub path: &'r Path,
    /// Reader positioned after the header.
    pub rdr: &'r mut csv::Reader<R>,
    /// The record buffer, reused for every row.
    pub rec: &'r mut csv::ByteRecord,
    /// Lines before the CSV body.
    pub line_base: u64,
    /// Accept decimal commas.
    pub decimal_comma: bool,
}

/// Read the data rows, up to `limit`: the time column (when there is one) into `time`, the
/// numeric slots into `Rows::vals`. Blank rows are skipped. `Rows::n` is 0 at the end of the
/// file.
///
/// # Errors
/// [`IngestError::Csv`] with the line and column for a row that cannot be read, a time that
/// cannot be read, or text in a number column.
pub(crate) fn read_rows<R: std::io::Read>(
    r: RowReader<'_, R>,
    cols: &[Col],
    time_col: Option<usize>,
    time: &mut TimeReader,
    slots: &Slots,
    capacity: usize,
    limit: usize,
) -> Result<Rows, IngestError> {
    let RowReader {
        path,
        rdr,
        rec,
        line_base,
        decimal_comma,
    } = r;
    let csv_err = |line: u64, column: Option<&str>, reason: String| IngestError::Csv {
        path: path.to_path_buf(),
        line,
        column: column.map(str::to_string),
        reason,
    };
    let numeric = &slots.numeric;
    let mut vals: Vec<Vec<f64>> = (0..numeric.len())
        .map(|_| Vec::with_capacity(capacity))
        .collect();
    let mut n = 0usize;
    while n < limit {
        match rdr.read_byte_record(rec) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                return Err(csv_err(
                    line_base + e.position().map_or(0, |p| p.line()),
                    None,
                    format!("cannot read the row: {e}"),
                ));
            }
        }
        if rec.iter().all(|c| c.iter().all(u8::is_ascii_whitespace)) {
            continue;
        }
        let line = |rec: &csv::ByteRecord| line_base + rec.position().map_or(0, |p| p.line());
        if let Some(t) = time_col {
            time.push(rec.get(t).unwrap_or(b""))
                .map_err(|reason| csv_err(line(rec), Some(&cols[t].name), reason))?;
        }
        for (k, &c) in numeric.iter().enumerate() {
            let cell = rec.get(c).unwrap_or(b"");
            match parse_number(cell, decimal_comma) {
                Some(v) => vals[k].push(v),
                None => {
                    return Err(csv_err(
                        line(rec),
                        Some(&cols[c].name),
                        format!(
                            "expected a number, found '{}'",
                            String::from_utf8_lossy(cell)
                                .trim()
                                .chars()
                                .take(60)
                                .collect::<String>()
                        ),
                    ));
                }
            }
        }
        n += 1;
    }
    Ok(Rows { vals, n })
}

/// The error for a header followed by no data row.
pub(crate) fn no_rows(path: &Path) -> IngestError {
    IngestError::NoData {
        path: path.to_path_buf(),
        reason: "no samples: the header is followed by no data rows".into(),
    }
}

/// The channels as read, in the file's units.
pub(crate) struct Channels {
    /// Acceleration channels (`None`: no column).
    pub acc: [Option<Vec<f64>>; 3],
    /// Gyroscope x, y, z.
    pub gyro: Option<[Vec<f64>; 3]>,
    /// Speed.
    pub speed: Option<Vec<f64>>,
}

impl Rows {
    /// Move the values out into their channels.
    pub(crate) fn into_channels(mut self, slots: &Slots) -> Channels {
        let mut take = |s: Option<usize>| s.map(|k| std::mem::take(&mut self.vals[k]));
        let acc = slots.acc.map(&mut take);
        let gyro = slots.gyro.map(|g| g.map(|s| take(s).unwrap_or_default()));
        let speed = take(slots.speed);
        Channels { acc, gyro, speed }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::raw::AxisFrame;

    fn cols(names: &[&str]) -> Vec<Col> {
        names.iter().map(|n| Col::plain(n.to_string())).collect()
    }

    fn read(
        body: &'static str,
        cols: &[Col],
        time_col: Option<usize>,
        slots: &Slots,
    ) -> Result<Rows, IngestError> {
        let mut rdr = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(body.as_bytes());
        let mut rec = csv::ByteRecord::new();
        let mut time = TimeReader::new(false, None, None, 4);
        let r = RowReader {
            path: Path::new("f.csv"),
            rdr: &mut rdr,
            rec: &mut rec,
            line_base: 1,
            decimal_comma: false,
        };
        let rows = read_rows(r, cols, time_col, &mut time, slots, 4, usize::MAX)?;
        if rows.n == 0 {
            return Err(no_rows(Path::new("f.csv")));
        }
        Ok(rows)
    }

    fn selection() -> Selection {
        Selection {
            time: Some(0),
            acc: [Some(3), None, Some(1)],
            axes: AxisFrame::Sensor,
            gyro: None,
            speed: Some(2),
        }
    }

    #[test]
    fn slots_follow_acc_gyro_speed_order() {
        let s = Slots::of(&selection());
        assert_eq!(s.numeric, [3, 1, 2]);
        assert_eq!(s.acc, [Some(0), None, Some(1)]);
        assert_eq!(s.speed, Some(2));
        // min(1000, 100 / (2 * 4)) + 16
        assert_eq!(s.capacity(1000, 100), 28);
    }

    #[test]
    fn rows_land_in_their_channels() {
        let c = cols(&["t", "z", "speed", "x"]);
        let slots = Slots::of(&selection());
        let rows = read("0,1,2,3\n \n1,4,,6\n", &c, Some(0), &slots).unwrap();
        assert_eq!(rows.n, 2);
        let ch = rows.into_channels(&slots);
        assert_eq!(ch.acc[0], Some(vec![3.0, 6.0]));
        assert_eq!(ch.acc[1], None);
        assert_eq!(ch.acc[2], Some(vec![1.0, 4.0]));
        assert!(ch.speed.unwrap()[1].is_nan());
    }

    #[test]
    fn text_in_a_number_column_names_line_and_column() {
        let c = cols(&["t", "z", "speed", "x"]);
        let slots = Slots::of(&selection());
        match read("0,1,2,3\n1,oops,2,3\n", &c, Some(0), &slots) {
            Err(IngestError::Csv {
                line,
                column,
                reason,
                ..
            }) => {
                assert_eq!((line, column.as_deref()), (3, Some("z")));
                assert_eq!(reason, "expected a number, found 'oops'");
            }
            _ => panic!("expected a CSV error"),
        }
        assert!(matches!(
            read("", &c, Some(0), &slots),
            Err(IngestError::NoData { .. })
        ));
    }

    #[test]
    fn time_sources() {
        let c = cols(&["x", "y", "z"]);
        let p = Path::new("f.csv");
        let pre = Preamble::default();
        let mut opts = RawOptions::default();
        assert!(matches!(
            require_time_source(p, &c, None, &opts, &pre),
            Err(IngestError::NoData { .. })
        ));
        assert!(require_time_source(p, &c, Some(0), &opts, &pre).is_ok());
        opts.sample_rate_hz = Some(0.0);
        assert!(require_time_source(p, &c, Some(0), &opts, &pre).is_err());
        opts.sample_rate_hz = Some(50.0);
        assert!(require_time_source(p, &c, None, &opts, &pre).is_ok());
        let pre = Preamble {
            rate_hz: Some(30.0),
            ..Preamble::default()
        };
        assert!(require_time_source(p, &c, None, &RawOptions::default(), &pre).is_ok());
        let c = cols(&["time [+0100]", "x"]);
        assert_eq!(time_offset_s(&c, Some(0)), Some(3600));
        assert_eq!(time_offset_s(&c, None), None);
    }
}
