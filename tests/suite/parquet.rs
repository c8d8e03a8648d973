//! Columnar outputs (`analyze --steps FILE.parquet`, `block --sessions FILE.parquet`): read
//! back with the arrow/parquet crates and held against the CSV and JSON of the same analysis,
//! the documented schema (README), the schema snapshots, and all-or-nothing output.

use crate::common::gg;
use arrow_array::types::Int32Type;
use arrow_array::{
    Array, ArrayRef, BooleanArray, Date32Array, DictionaryArray, Float64Array, Int32Array,
    RecordBatch, StringArray, TimestampMillisecondArray,
};
use arrow_schema::{DataType, TimeUnit};
use gaitguard::report::columnar::{self, SCHEMA_KEY};
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The start of the clocked raw recording, Unix s (2026-09-12T07:30:00Z).
const T0_S: i64 = 1_789_198_200;

/// A Parquet file read back: its batches and its footer's key-value metadata.
struct Read {
    batches: Vec<RecordBatch>,
    kv: BTreeMap<String, String>,
    row_groups: usize,
}

fn read_parquet(path: &Path) -> Read {
    let file = std::fs::File::open(path).unwrap();
    let r = ParquetRecordBatchReaderBuilder::try_new(file).unwrap();
    let kv = r
        .metadata()
        .file_metadata()
        .key_value_metadata()
        .map(|kv| {
            kv.iter()
                .map(|e| (e.key.clone(), e.value.clone().unwrap_or_default()))
                .collect()
        })
        .unwrap_or_default();
    let row_groups = r.metadata().num_row_groups();
    let batches = r.build().unwrap().map(|b| b.unwrap()).collect();
    Read {
        batches,
        kv,
        row_groups,
    }
}

impl Read {
    fn rows(&self) -> usize {
        self.batches.iter().map(RecordBatch::num_rows).sum()
    }

    /// Every row as (column name → cell).
    fn records(&self) -> Vec<BTreeMap<String, Cell>> {
        let mut out = Vec::new();
        for b in &self.batches {
            for row in 0..b.num_rows() {
                out.push(
                    b.schema()
                        .fields()
                        .iter()
                        .zip(b.columns())
                        .map(|(f, c)| (f.name().clone(), cell(c, row)))
                        .collect(),
                );
            }
        }
        out
    }
}

/// One value read back, whatever its column's type.
#[derive(Debug, Clone, PartialEq)]
enum Cell {
    Null,
    F(f64),
    I(i64),
    B(bool),
    S(String),
}

fn cell(col: &ArrayRef, row: usize) -> Cell {
    if col.is_null(row) {
        return Cell::Null;
    }
    let any = col.as_any();
    if let Some(a) = any.downcast_ref::<Float64Array>() {
        Cell::F(a.value(row))
    } else if let Some(a) = any.downcast_ref::<Int32Array>() {
        Cell::I(a.value(row).into())
    } else if let Some(a) = any.downcast_ref::<BooleanArray>() {
        Cell::B(a.value(row))
    } else if let Some(a) = any.downcast_ref::<StringArray>() {
        Cell::S(a.value(row).to_string())
    } else if let Some(a) = any.downcast_ref::<DictionaryArray<Int32Type>>() {
        let words = a.values().as_any().downcast_ref::<StringArray>().unwrap();
        Cell::S(words.value(a.keys().value(row) as usize).to_string())
    } else if let Some(a) = any.downcast_ref::<TimestampMillisecondArray>() {
        Cell::I(a.value(row))
    } else if let Some(a) = any.downcast_ref::<Date32Array>() {
        Cell::I(a.value(row).into())
    } else {
        panic!("unexpected column type {:?}", col.data_type())
    }
}

/// A CSV file as a header and rows of text.
fn read_csv(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let mut r = csv::Reader::from_path(path).unwrap();
    let header = r.headers().unwrap().iter().map(String::from).collect();
    let rows = r
        .records()
        .map(|x| x.unwrap().iter().map(String::from).collect())
        .collect();
    (header, rows)
}

/// Whether a Parquet cell holds what the CSV's text says: empty is null; a number is
/// within half a unit of the CSV's last decimal (the CSV rounds, Parquet does not); times
/// are the same instant, dates the same day; words and flags the same.
fn agrees(dt: &DataType, parquet: &Cell, csv: &str) -> bool {
    if csv.is_empty() {
        return *parquet == Cell::Null;
    }
    match (dt, parquet) {
        (DataType::Float64, Cell::F(v)) => {
            let dp = csv.split_once('.').map_or(0, |(_, d)| d.len());
            let c: f64 = csv.parse().unwrap();
            (v - c).abs() <= 0.5 * 10f64.powi(-(dp as i32)) + 1e-9
        }
        (DataType::Int32, Cell::I(v)) => csv.parse::<i64>().ok() == Some(*v),
        (DataType::Boolean, Cell::B(v)) => csv.parse::<bool>().ok() == Some(*v),
        (DataType::Timestamp(TimeUnit::Millisecond, _), Cell::I(v)) => {
            chrono::DateTime::parse_from_rfc3339(csv).map(|d| d.timestamp_millis()) == Ok(*v)
        }
        (DataType::Date32, Cell::I(v)) => {
            let d = chrono::NaiveDate::parse_from_str(csv, "%Y-%m-%d").unwrap();
            let epoch = chrono::NaiveDate::from_ymd_opt(1970, 1, 1).unwrap();
            (d - epoch).num_days() == *v
        }
        (_, Cell::S(v)) => v == csv,
        _ => false,
    }
}

/// Hold every Parquet row against its CSV row, column by column, for the columns both have;
/// returns how many columns were compared.
fn assert_rows_agree(read: &Read, header: &[String], csv_rows: &[Vec<String>]) -> usize {
    let schema = read.batches[0].schema();
    let records = read.records();
    assert_eq!(records.len(), csv_rows.len());
    let shared: Vec<(usize, &String, DataType)> = header
        .iter()
        .enumerate()
        .filter_map(|(i, h)| {
            schema
                .field_with_name(h)
                .ok()
                .map(|f| (i, h, f.data_type().clone()))
        })
        .collect();
    for (n, (rec, row)) in records.iter().zip(csv_rows).enumerate() {
        for (i, name, dt) in &shared {
            assert!(
                agrees(dt, &rec[*name], &row[*i]),
                "row {n}, {name}: parquet {:?}, CSV '{}'",
                rec[*name],
                row[*i]
            );
        }
    }
    shared.len()
}

/// Arrow type as the README spells it.
fn doc_type(dt: &DataType) -> String {
    match dt {
        DataType::Float64 => "Float64".into(),
        DataType::Int32 => "Int32".into(),
        DataType::Boolean => "Boolean".into(),
        DataType::Utf8 => "Utf8".into(),
        DataType::Dictionary(k, v) if **k == DataType::Int32 && **v == DataType::Utf8 => {
            "Dictionary(Int32, Utf8)".into()
        }
        DataType::Timestamp(TimeUnit::Millisecond, Some(tz)) if &**tz == "UTC" => {
            "Timestamp(ms, UTC)".into()
        }
        DataType::Date32 => "Date32".into(),
        other => format!("{other:?}"),
    }
}

/// The README's table of a schema: (column, type, nullable) rows after the line naming it.
fn readme_columns(schema: &str) -> Vec<(String, String, bool)> {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let start = readme
        .find(&format!("Schema `{schema}`"))
        .unwrap_or_else(|| panic!("the README documents {schema}"));
    readme[start..]
        .lines()
        .skip_while(|l| !l.starts_with("| `"))
        .take_while(|l| l.starts_with("| `"))
        .map(|l| {
            let cells: Vec<&str> = l.split('|').map(str::trim).collect();
            (
                cells[1].trim_matches('`').to_string(),
                cells[2].to_string(),
                cells[3] == "yes",
            )
        })
        .collect()
}

/// The file's columns are the README's, with the documented types and nullability.
fn assert_documented(read: &Read, schema: &str) {
    let ours: Vec<(String, String, bool)> = read.batches[0]
        .schema()
        .fields()
        .iter()
        .map(|f| (f.name().clone(), doc_type(f.data_type()), f.is_nullable()))
        .collect();
    assert_eq!(ours, readme_columns(schema));
}

/// The schema of a file as text: its version key, then one line per column.
fn schema_text(read: &Read) -> String {
    let mut s = format!("{SCHEMA_KEY} = {}\n", read.kv[SCHEMA_KEY]);
    for f in read.batches[0].schema().fields() {
        s.push_str(&format!(
            "{}: {:?}{}\n",
            f.name(),
            f.data_type(),
            if f.is_nullable() { " (nullable)" } else { "" }
        ));
    }
    s
}

/// The simulated raw trunk recording with an epoch-seconds time column from [`T0_S`] (so
/// the steps have an absolute time).
fn clocked_raw(dir: &Path) -> PathBuf {
    let plain = dir.join("plain.csv");
    gg().args(["simulate", "--raw", "--out"])
        .arg(&plain)
        .assert()
        .success();
    let text = std::fs::read_to_string(&plain).unwrap();
    let mut lines = text.lines();
    let mut out = format!("{}\n", lines.next().unwrap());
    for l in lines {
        let (t, rest) = l.split_once(',').unwrap();
        let t: f64 = t.parse().unwrap();
        out.push_str(&format!("{:.3},{rest}\n", T0_S as f64 + t));
    }
    let p = dir.join("clocked.csv");
    std::fs::write(&p, out).unwrap();
    p
}

/// The steps of one analysis as Parquet and as CSV: the same rows, the CSV's values
/// unrounded, the absolute time, the bouts and the confidence of the session JSON.
#[test]
fn steps_parquet_holds_the_csv_steps_with_time_bout_and_confidence() {
    let dir = tempfile::tempdir().unwrap();
    let raw = clocked_raw(dir.path());
    let (csv_path, pq_path, json_path) = (
        dir.path().join("steps.csv"),
        dir.path().join("steps.parquet"),
        dir.path().join("s.json"),
    );
    gg().arg("analyze")
        .arg(&raw)
        .arg("--steps")
        .arg(&csv_path)
        .arg("--json")
        .arg(&json_path)
        .assert()
        .success();
    gg().arg("analyze")
        .arg(&raw)
        .arg("--steps")
        .arg(&pq_path)
        .arg("-q")
        .assert()
        .success();
    let read = read_parquet(&pq_path);
    let (header, rows) = read_csv(&csv_path);
    assert!(rows.len() > 250, "{} steps", rows.len());
    assert_eq!(read.rows(), rows.len());
    assert_eq!(read.kv[SCHEMA_KEY], "gaitguard.steps/1");
    assert_eq!(read.kv["gaitguard.file"], raw.display().to_string());
    // Every CSV column is in the Parquet file and agrees on every row.
    assert_eq!(assert_rows_agree(&read, &header, &rows), header.len());
    assert_documented(&read, "gaitguard.steps/1");

    let doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json_path).unwrap()).unwrap();
    assert_eq!(doc["start_time"], "2026-09-12T07:30:00Z");
    let bouts = doc["raw"]["bouts"].as_array().unwrap();
    let confidence = &doc["raw"]["confidence"];
    for (i, r) in read.records().iter().enumerate() {
        let Cell::F(t) = r["time_s"] else {
            panic!("time_s")
        };
        // The absolute time is the file's clock at the step, to the millisecond.
        let Cell::I(ms) = r["time"] else {
            panic!("row {i}: no time")
        };
        assert!(
            ((ms - T0_S * 1000) as f64 - t * 1000.0).abs() <= 1.0,
            "row {i}"
        );
        // The step lies in its bout, of its activity.
        let Cell::I(k) = r["bout"] else {
            panic!("bout")
        };
        let b = &bouts[k as usize];
        assert_eq!(
            Cell::S(b["activity"].as_str().unwrap().into()),
            r["activity"]
        );
        let (s, e) = (b["start_s"].as_f64().unwrap(), b["end_s"].as_f64().unwrap());
        assert!(
            t >= s - 1e-9 && t <= e + 1e-9,
            "row {i}: {t} outside {s}-{e}"
        );
        // The confidence is the session's grade of the metric.
        for (col, metric) in [
            ("cadence_confidence", "cadence_spm"),
            ("ground_contact_confidence", "ground_contact_ms"),
            ("vertical_oscillation_confidence", "vertical_oscillation_cm"),
            ("braking_confidence", "braking_g"),
        ] {
            let want = match confidence[metric]["level"].as_str() {
                Some(l) => Cell::S(l.into()),
                None => Cell::Null,
            };
            assert_eq!(r[col], want, "row {i}, {col}");
        }
    }
    // Every bout index appears, in order.
    let used: Vec<i64> = read
        .records()
        .iter()
        .map(|r| match r["bout"] {
            Cell::I(k) => k,
            _ => -1,
        })
        .collect();
    assert!(used.windows(2).all(|w| w[1] == w[0] || w[1] == w[0] + 1));
    assert_eq!(used.last().copied(), Some(bouts.len() as i64 - 1));
}

/// A recording without a clock: `time` is null on every step, `time_s` still there.
#[test]
fn steps_of_a_recording_without_a_clock_have_no_absolute_time() {
    let dir = tempfile::tempdir().unwrap();
    let raw = dir.path().join("raw.csv");
    gg().args(["simulate", "--raw", "--out"])
        .arg(&raw)
        .assert()
        .success();
    let pq = dir.path().join("steps.PARQUET");
    gg().arg("analyze")
        .arg(&raw)
        .arg("--steps")
        .arg(&pq)
        .arg("-q")
        .assert()
        .success();
    let read = read_parquet(&pq);
    assert!(read.rows() > 250);
    for r in read.records() {
        assert_eq!(r["time"], Cell::Null);
        assert!(matches!(r["time_s"], Cell::F(_)));
    }
}

/// The sessions of a block as Parquet and as the CSV's analysed rows: the same sessions and
/// values, and every metric's median as the block JSON has it.
#[test]
fn sessions_parquet_holds_the_csv_sessions_and_the_json_medians() {
    let dir = tempfile::tempdir().unwrap();
    let blk = dir.path().join("blk");
    gg().args(["simulate", "--block", "--out"])
        .arg(&blk)
        .assert()
        .success();
    let (csv_path, pq_path, json_path) = (
        dir.path().join("b.csv"),
        dir.path().join("sessions.parquet"),
        dir.path().join("b.json"),
    );
    gg().arg("block")
        .arg(&blk)
        .arg("--csv")
        .arg(&csv_path)
        .arg("--json")
        .arg(&json_path)
        .arg("--sessions")
        .arg(&pq_path)
        .assert()
        .success();
    let read = read_parquet(&pq_path);
    let (header, rows) = read_csv(&csv_path);
    let status = header.iter().position(|h| h == "status").unwrap();
    let analysed: Vec<Vec<String>> = rows
        .into_iter()
        .filter(|r| r[status] == "analysed")
        .collect();
    assert!(analysed.len() >= 20, "{} sessions", analysed.len());
    assert_eq!(read.rows(), analysed.len());
    assert_eq!(read.kv[SCHEMA_KEY], "gaitguard.sessions/1");
    // Every CSV column but status and error is compared.
    let compared = assert_rows_agree(&read, &header, &analysed);
    assert_eq!(compared, header.len() - 2, "{header:?}");
    assert_documented(&read, "gaitguard.sessions/1");

    let doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json_path).unwrap()).unwrap();
    let sessions = doc["sessions"].as_array().unwrap();
    let records = read.records();
    assert_eq!(sessions.len(), records.len());
    let mut medians = 0;
    for (s, r) in sessions.iter().zip(&records) {
        assert_eq!(Cell::S(s["file"].as_str().unwrap().into()), r["file"]);
        for m in &gaitguard::vocab::METRICS {
            // serde_json reads a float to within an ulp (no `float_roundtrip`).
            match (s["metrics"][m.name()]["median"].as_f64(), &r[m.name()]) {
                (Some(want), Cell::F(v)) => {
                    medians += 1;
                    assert!(
                        (v - want).abs() <= 1e-12 * want.abs(),
                        "{}: {}",
                        s["file"],
                        m.name()
                    );
                }
                (None, Cell::Null) => {}
                (want, got) => panic!("{}: {}: {got:?}, JSON {want:?}", s["file"], m.name()),
            }
        }
        let want = match s["risk"]["score"].as_i64() {
            Some(v) => Cell::I(v),
            None => Cell::Null,
        };
        assert_eq!(r["risk_score"], want);
    }
    assert!(medians > 5 * sessions.len(), "{medians} medians");
    // The block has its spike and its uncounted sessions, typed.
    assert!(records.iter().any(|r| r["spike_band"] != Cell::Null));
    assert!(records.iter().all(|r| matches!(r["counted"], Cell::B(_))));
    assert_eq!(read.row_groups, 1);
}

/// `--sessions x.csv` writes what `--csv` writes; another extension is a usage error.
#[test]
fn sessions_csv_is_the_block_csv_and_other_extensions_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let blk = dir.path().join("blk");
    gg().args(["simulate", "--block", "--out"])
        .arg(&blk)
        .assert()
        .success();
    let (a, b) = (dir.path().join("a.csv"), dir.path().join("b.CSV"));
    gg().arg("block")
        .arg(&blk)
        .arg("--csv")
        .arg(&a)
        .arg("--sessions")
        .arg(&b)
        .arg("-q")
        .assert()
        .success();
    assert_eq!(std::fs::read(&a).unwrap(), std::fs::read(&b).unwrap());
    let out = gg()
        .arg("block")
        .arg(&blk)
        .args(["--sessions", "s.json"])
        .assert()
        .code(2)
        .get_output()
        .stderr
        .clone();
    let err = String::from_utf8(out).unwrap();
    assert!(
        err.contains("--sessions") && err.contains(".parquet or .csv"),
        "{err}"
    );
}

/// An output that cannot be written fails the run and leaves none of its outputs.
#[test]
fn an_unwritable_parquet_output_leaves_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let raw = dir.path().join("raw.csv");
    gg().args(["simulate", "--raw", "--out"])
        .arg(&raw)
        .assert()
        .success();
    let blk = dir.path().join("blk");
    gg().args(["simulate", "--block", "--out"])
        .arg(&blk)
        .assert()
        .success();
    let out = dir.path().join("out");
    std::fs::create_dir(&out).unwrap();
    let missing = out.join("no-such-folder");
    gg().arg("analyze")
        .arg(&raw)
        .arg("--json")
        .arg(out.join("s.json"))
        .arg("--steps")
        .arg(missing.join("steps.parquet"))
        .assert()
        .code(2);
    gg().arg("block")
        .arg(&blk)
        .arg("--json")
        .arg(out.join("b.json"))
        .arg("--csv")
        .arg(out.join("b.csv"))
        .arg("--sessions")
        .arg(missing.join("sessions.parquet"))
        .assert()
        .code(2);
    let left: Vec<_> = std::fs::read_dir(&out).unwrap().flatten().collect();
    assert!(left.is_empty(), "a failed run leaves nothing: {left:?}");
}

/// The schemas as written (types, nullability, version key): a change shows in review.
#[test]
fn schema_snapshots() {
    let dir = tempfile::tempdir().unwrap();
    let raw = clocked_raw(dir.path());
    let steps = dir.path().join("steps.parquet");
    gg().arg("analyze")
        .arg(&raw)
        .arg("--steps")
        .arg(&steps)
        .arg("-q")
        .assert()
        .success();
    insta::assert_snapshot!("steps_schema", schema_text(&read_parquet(&steps)));
    let blk = dir.path().join("blk");
    gg().args(["simulate", "--block", "--out"])
        .arg(&blk)
        .assert()
        .success();
    let sessions = dir.path().join("sessions.parquet");
    gg().arg("block")
        .arg(&blk)
        .arg("--sessions")
        .arg(&sessions)
        .arg("-q")
        .assert()
        .success();
    insta::assert_snapshot!("sessions_schema", schema_text(&read_parquet(&sessions)));
}

/// The README's tables are the schemas' own documentation, word for word.
#[test]
fn the_readme_documents_both_schemas() {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    for t in [
        columnar::steps::schema_doc().unwrap(),
        columnar::sessions::schema_doc().unwrap(),
    ] {
        let md = t.markdown();
        assert!(
            readme.contains(&md),
            "README lacks the table of {}; it should read:\n{md}",
            t.schema
        );
    }
}
