//! Columnar outputs: Apache Parquet files holding one Arrow table, for pandas, polars, DuckDB
//! and Spark (CSV stays for people).
//!
//! * [`steps`]: `analyze --steps FILE.parquet`, one row per detected step
//!   (schema `gaitguard.steps/1`).
//! * [`sessions`]: `block --sessions FILE.parquet`, one row per analysed session
//!   (schema `gaitguard.sessions/1`).
//!
//! Every file carries its schema's name and version under the key [`SCHEMA_KEY`] in the
//! Parquet footer's key-value metadata (pyarrow: `pq.read_schema(p).metadata`), and the
//! Arrow schema itself (`ARROW:schema`), so dictionary columns come back as categoricals and
//! timestamps with their zone. A change that removes, renames or retypes a column bumps the
//! version; a column added at the end does not. Column names carry their unit
//! (`ground_contact_ms`); times are `Timestamp(ms, UTC)`, local dates `Date32`, closed sets
//! of words `Dictionary(Int32, Utf8)`, integers `Int32` (Spark has no unsigned types), and a
//! column is nullable exactly when a value can be absent. Files are Snappy-compressed.
//!
//! The column tables (name, type, nullability, meaning) are built beside the data by
//! [`TableBuilder`], so the documentation ([`Table::markdown`], the README's tables) cannot
//! drift from what is written.

pub mod sessions;
pub mod steps;

use arrow_array::types::Int32Type;
use arrow_array::{
    ArrayRef, BooleanArray, Date32Array, DictionaryArray, Float64Array, Int32Array, RecordBatch,
    StringArray, TimestampMillisecondArray,
};
use arrow_schema::{DataType, Field, Schema, TimeUnit};
use parquet::arrow::ArrowWriter;
use parquet::basic::Compression;
use parquet::errors::ParquetError;
use parquet::file::metadata::KeyValue;
use parquet::file::properties::WriterProperties;
use std::fmt::Write as _;
use std::path::Path;
use std::sync::Arc;

/// Key of the schema's name and version in the Parquet file's key-value metadata.
pub const SCHEMA_KEY: &str = "gaitguard.schema";

/// Rows per Parquet row group: large enough for good compression, small enough that a
/// reader can skip parts of a cohort's table.
const ROW_GROUP_ROWS: usize = 128 * 1024;

/// How a table output is written, chosen by its path's extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TableFormat {
    /// Comma-separated text, for people and spreadsheets.
    Csv,
    /// Apache Parquet with an Arrow schema.
    Parquet,
}

impl TableFormat {
    /// `.parquet` (any case) is Parquet; anything else is CSV.
    pub fn of_path(path: &Path) -> TableFormat {
        if path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("parquet"))
        {
            TableFormat::Parquet
        } else {
            TableFormat::Csv
        }
    }
}

/// The kinds of column the schemas use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `Float64`.
    Float,
    /// `Int32`.
    Int,
    /// `Boolean`.
    Bool,
    /// `Utf8`: free text (a file path).
    Text,
    /// `Dictionary(Int32, Utf8)`: one word of a closed set (a categorical in pandas).
    Label,
    /// `Timestamp(ms, UTC)`.
    TimestampMs,
    /// `Date32`: days since 1970-01-01.
    Date,
}

impl Kind {
    /// The Arrow type.
    pub fn data_type(self) -> DataType {
        match self {
            Kind::Float => DataType::Float64,
            Kind::Int => DataType::Int32,
            Kind::Bool => DataType::Boolean,
            Kind::Text => DataType::Utf8,
            Kind::Label => {
                DataType::Dictionary(Box::new(DataType::Int32), Box::new(DataType::Utf8))
            }
            Kind::TimestampMs => DataType::Timestamp(TimeUnit::Millisecond, Some("UTC".into())),
            Kind::Date => DataType::Date32,
        }
    }

    /// The type as the documentation spells it.
    pub fn doc_name(self) -> &'static str {
        match self {
            Kind::Float => "Float64",
            Kind::Int => "Int32",
            Kind::Bool => "Boolean",
            Kind::Text => "Utf8",
            Kind::Label => "Dictionary(Int32, Utf8)",
            Kind::TimestampMs => "Timestamp(ms, UTC)",
            Kind::Date => "Date32",
        }
    }
}

/// One documented column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnDoc {
    /// Column name, unit included.
    pub name: String,
    /// Its type.
    pub kind: Kind,
    /// Whether a value can be absent.
    pub nullable: bool,
    /// What it holds.
    pub meaning: String,
}

/// Null or not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Null {
    /// Always present.
    Never,
    /// Absent when not measured or not applicable.
    Allowed,
}

/// Columns being built, each with its documentation.
#[derive(Debug, Default)]
pub struct TableBuilder {
    docs: Vec<ColumnDoc>,
    arrays: Vec<ArrayRef>,
}

impl TableBuilder {
    fn push(&mut self, name: &str, kind: Kind, null: Null, meaning: &str, array: ArrayRef) {
        self.docs.push(ColumnDoc {
            name: name.to_string(),
            kind,
            nullable: null == Null::Allowed,
            meaning: meaning.to_string(),
        });
        self.arrays.push(array);
    }

    /// A `Float64` column; non-finite values are stored as nulls (as the CSV leaves them
    /// empty).
    pub fn float(
        &mut self,
        name: &str,
        null: Null,
        meaning: &str,
        v: impl IntoIterator<Item = Option<f64>>,
    ) {
        let a: Float64Array = v.into_iter().map(|x| x.filter(|x| x.is_finite())).collect();
        self.push(name, Kind::Float, null, meaning, Arc::new(a));
    }

    /// An `Int32` column.
    pub fn int(
        &mut self,
        name: &str,
        null: Null,
        meaning: &str,
        v: impl IntoIterator<Item = Option<i32>>,
    ) {
        let a: Int32Array = v.into_iter().collect();
        self.push(name, Kind::Int, null, meaning, Arc::new(a));
    }

    /// A `Boolean` column.
    pub fn bool(
        &mut self,
        name: &str,
        null: Null,
        meaning: &str,
        v: impl IntoIterator<Item = Option<bool>>,
    ) {
        let a: BooleanArray = v.into_iter().collect();
        self.push(name, Kind::Bool, null, meaning, Arc::new(a));
    }

    /// A `Utf8` column.
    pub fn text<'a>(
        &mut self,
        name: &str,
        null: Null,
        meaning: &str,
        v: impl IntoIterator<Item = Option<&'a str>>,
    ) {
        let a: StringArray = v.into_iter().collect();
        self.push(name, Kind::Text, null, meaning, Arc::new(a));
    }

    /// A `Dictionary(Int32, Utf8)` column of words from a closed set.
    pub fn label<'a>(
        &mut self,
        name: &str,
        null: Null,
        meaning: &str,
        v: impl IntoIterator<Item = Option<&'a str>>,
    ) {
        let a: DictionaryArray<Int32Type> = v.into_iter().collect();
        self.push(name, Kind::Label, null, meaning, Arc::new(a));
    }

    /// A `Timestamp(ms, UTC)` column from Unix milliseconds.
    pub fn timestamp_ms(
        &mut self,
        name: &str,
        null: Null,
        meaning: &str,
        v: impl IntoIterator<Item = Option<i64>>,
    ) {
        let a = TimestampMillisecondArray::from_iter(v).with_timezone("UTC");
        self.push(name, Kind::TimestampMs, null, meaning, Arc::new(a));
    }

    /// A `Date32` column from days since 1970-01-01.
    pub fn date(
        &mut self,
        name: &str,
        null: Null,
        meaning: &str,
        v: impl IntoIterator<Item = Option<i32>>,
    ) {
        let a: Date32Array = v.into_iter().collect();
        self.push(name, Kind::Date, null, meaning, Arc::new(a));
    }

    /// The finished table of schema `schema` (`gaitguard.steps/1`).
    ///
    /// # Errors
    /// [`ParquetError`] when a column's length or nulls disagree with its declaration (a
    /// programming error, not a property of the input).
    pub fn finish(self, schema: &'static str) -> Result<Table, ParquetError> {
        let fields: Vec<Field> = self
            .docs
            .iter()
            .map(|d| Field::new(&d.name, d.kind.data_type(), d.nullable))
            .collect();
        let batch = RecordBatch::try_new(Arc::new(Schema::new(fields)), self.arrays)?;
        Ok(Table {
            schema,
            columns: self.docs,
            batch,
        })
    }
}

/// A finished table: its schema version, documented columns, and the data.
#[derive(Debug)]
pub struct Table {
    /// Schema name and version, stored under [`SCHEMA_KEY`].
    pub schema: &'static str,
    /// The columns, in order.
    pub columns: Vec<ColumnDoc>,
    /// The data.
    pub batch: RecordBatch,
}

impl Table {
    /// The column table in Markdown (as in the README): name, type, null, meaning.
    pub fn markdown(&self) -> String {
        let mut s = format!(
            "Schema `{}` (key `{SCHEMA_KEY}` in the file's metadata):\n\n",
            self.schema
        );
        s.push_str("| column | type | null | meaning |\n| --- | --- | --- | --- |\n");
        for c in &self.columns {
            let _ = writeln!(
                s,
                "| `{}` | {} | {} | {} |",
                c.name,
                c.kind.doc_name(),
                if c.nullable { "yes" } else { "no" },
                c.meaning
            );
        }
        s
    }

    /// The table as a Parquet file (Snappy, the Arrow schema embedded, [`SCHEMA_KEY`] and
    /// `extra` key-value pairs in the footer).
    ///
    /// # Errors
    /// [`ParquetError`] from the writer (not expected when writing to memory).
    pub fn to_parquet(&self, extra: &[(&str, &str)]) -> Result<Vec<u8>, ParquetError> {
        parquet_of(std::slice::from_ref(self), extra)
    }
}

/// Tables of one schema as one Parquet file, a batch after the other (see
/// [`Table::to_parquet`]); the first table gives the schema.
///
/// # Errors
/// [`ParquetError`] when there is no table or their schemas differ.
pub fn parquet_of(tables: &[Table], extra: &[(&str, &str)]) -> Result<Vec<u8>, ParquetError> {
    let first = tables
        .first()
        .ok_or_else(|| ParquetError::General("no table to write".into()))?;
    {
        let mut kv = vec![KeyValue::new(
            SCHEMA_KEY.to_string(),
            first.schema.to_string(),
        )];
        kv.extend(
            extra
                .iter()
                .map(|(k, v)| KeyValue::new(k.to_string(), v.to_string())),
        );
        let props = WriterProperties::builder()
            .set_compression(Compression::SNAPPY)
            .set_max_row_group_row_count(Some(ROW_GROUP_ROWS))
            .set_created_by(format!("gaitguard {}", env!("CARGO_PKG_VERSION")))
            .set_key_value_metadata(Some(kv))
            .build();
        let mut w = ArrowWriter::try_new(Vec::new(), first.batch.schema(), Some(props))?;
        for t in tables {
            w.write(&t.batch)?;
        }
        w.into_inner()
    }
}

/// Unix milliseconds of an RFC 3339 date-time.
pub(crate) fn rfc3339_ms(text: &str) -> Option<i64> {
    chrono::DateTime::parse_from_rfc3339(text)
        .ok()
        .map(|d| d.timestamp_millis())
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow_array::Array as _;
    use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;

    #[test]
    fn the_extension_chooses_the_format() {
        assert_eq!(
            TableFormat::of_path(Path::new("a/s.parquet")),
            TableFormat::Parquet
        );
        assert_eq!(
            TableFormat::of_path(Path::new("S.PARQUET")),
            TableFormat::Parquet
        );
        assert_eq!(TableFormat::of_path(Path::new("s.csv")), TableFormat::Csv);
        assert_eq!(TableFormat::of_path(Path::new("parquet")), TableFormat::Csv);
    }

    /// Every kind round-trips with its type, its nulls and the schema key.
    #[test]
    fn a_table_round_trips_through_parquet() {
        let mut t = TableBuilder::default();
        t.float(
            "x_ms",
            Null::Allowed,
            "x",
            [Some(1.5), None, Some(f64::NAN)],
        );
        t.int("n", Null::Never, "n", [Some(1), Some(2), Some(3)]);
        t.bool("b", Null::Allowed, "b", [Some(true), None, Some(false)]);
        t.text("f", Null::Never, "f", [Some("a"), Some("b"), Some("c")]);
        t.label("l", Null::Allowed, "l", [Some("low"), None, Some("low")]);
        t.timestamp_ms("t", Null::Allowed, "t", [Some(1_000), None, Some(-5)]);
        t.date("d", Null::Never, "d", [Some(0), Some(20_000), Some(-1)]);
        let table = t.finish("test/1").unwrap();
        let bytes = table.to_parquet(&[("k", "v")]).unwrap();
        let mut file = tempfile::tempfile().unwrap();
        std::io::Write::write_all(&mut file, &bytes).unwrap();
        let r = ParquetRecordBatchReaderBuilder::try_new(file).unwrap();
        let kv = r.metadata().file_metadata().key_value_metadata().unwrap();
        let get = |k: &str| kv.iter().find(|e| e.key == k).and_then(|e| e.value.clone());
        assert_eq!(get(SCHEMA_KEY).as_deref(), Some("test/1"));
        assert_eq!(get("k").as_deref(), Some("v"));
        let batches: Vec<RecordBatch> = r.build().unwrap().map(|b| b.unwrap()).collect();
        assert_eq!(batches.len(), 1);
        let b = &batches[0];
        assert_eq!(b.schema().fields(), table.batch.schema().fields());
        let x = b.column(0).as_any().downcast_ref::<Float64Array>().unwrap();
        assert_eq!((x.value(0), x.is_null(1), x.is_null(2)), (1.5, true, true));
        let ts = b
            .column(5)
            .as_any()
            .downcast_ref::<TimestampMillisecondArray>()
            .unwrap();
        assert_eq!((ts.value(0), ts.is_null(1), ts.value(2)), (1_000, true, -5));
        assert!(
            table
                .markdown()
                .contains("| `t` | Timestamp(ms, UTC) | yes | t |")
        );
    }

    /// A column declared never-null that holds a null is refused, not written.
    #[test]
    fn a_null_in_a_required_column_is_an_error() {
        let mut t = TableBuilder::default();
        t.float("x", Null::Never, "x", [Some(1.0), None]);
        assert!(t.finish("test/1").is_err());
    }

    #[test]
    fn rfc3339_times_become_unix_milliseconds() {
        assert_eq!(rfc3339_ms("1970-01-01T00:00:01.5Z"), Some(1_500));
        assert_eq!(
            rfc3339_ms("2026-09-12T09:30:00+02:00"),
            Some(1_789_198_200_000)
        );
        assert_eq!(rfc3339_ms("yesterday"), None);
    }
}
