//! Stage 1, **ingest**: one input file → one [`Recording`].
//!
//! The dialect is recognised from the content (FIT signature, CSV header signature), never
//! from the file name; `--format` forces it. Each dialect family has its own module:
//! [`fit`] (binary FIT), [`fitcsv`] (FitCSVTool), [`records_csv`] (one column per field:
//! fitparse dumps, Wahoo, Stryd, GoldenCheetah, streams). After reading, [`normalize`] fixes
//! cadence units (strides vs steps, mixed files).

pub mod columns;
pub mod fit;
pub mod fitcsv;
pub mod normalize;
pub mod raw;
pub mod records_csv;

use crate::error::IngestError;
use crate::recording::Recording;
use columns::Target;
use std::path::Path;

/// Every input dialect gaitguard recognises.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Dialect {
    /// Binary FIT.
    Fit,
    /// Garmin FitCSVTool conversion.
    FitCsvTool,
    /// fitparse / fitdecode per-record dump.
    FitparseRecords,
    /// Wahoo Fitness app CSV.
    WahooCsv,
    /// Stryd export.
    StrydCsv,
    /// GoldenCheetah CSV.
    GoldenCheetahCsv,
    /// Any other per-record CSV whose columns are named.
    RecordsCsv,
    /// phyphox accelerometer export.
    Phyphox,
    /// Sensor Logger (iOS/Android) accelerometer export.
    SensorLogger,
    /// ActiGraph GT3X+ RAW CSV (ActiLife).
    ActigraphRaw,
    /// ActiGraph Link IMU CSV (ActiLife).
    ActigraphImu,
    /// MbientLab MetaMotion / MetaWear CSV.
    MetaMotion,
    /// Physics Toolbox Sensor Suite.
    PhysicsToolbox,
    /// Generic `time,x,y,z` accelerometer CSV (Axivity/OMGUI and others).
    GenericAccel,
}

impl Dialect {
    /// Stable name (JSON `format`, `--format`).
    pub fn name(self) -> &'static str {
        match self {
            Dialect::Fit => "fit",
            Dialect::FitCsvTool => "fit-csv-tool",
            Dialect::FitparseRecords => "fitparse-records",
            Dialect::WahooCsv => "wahoo-csv",
            Dialect::StrydCsv => "stryd-csv",
            Dialect::GoldenCheetahCsv => "goldencheetah-csv",
            Dialect::RecordsCsv => "records-csv",
            Dialect::Phyphox => "phyphox",
            Dialect::SensorLogger => "sensor-logger",
            Dialect::ActigraphRaw => "actigraph-raw",
            Dialect::ActigraphImu => "actigraph-imu",
            Dialect::MetaMotion => "metamotion",
            Dialect::PhysicsToolbox => "physics-toolbox",
            Dialect::GenericAccel => "accel-csv",
        }
    }

    /// All dialects.
    pub const ALL: [Dialect; 14] = [
        Dialect::Fit,
        Dialect::FitCsvTool,
        Dialect::FitparseRecords,
        Dialect::WahooCsv,
        Dialect::StrydCsv,
        Dialect::GoldenCheetahCsv,
        Dialect::RecordsCsv,
        Dialect::Phyphox,
        Dialect::SensorLogger,
        Dialect::ActigraphRaw,
        Dialect::ActigraphImu,
        Dialect::MetaMotion,
        Dialect::PhysicsToolbox,
        Dialect::GenericAccel,
    ];

    /// Parse a `--format` value.
    pub fn from_name(s: &str) -> Option<Dialect> {
        Self::ALL.into_iter().find(|d| d.name() == s)
    }

    /// True for raw accelerometer dialects (analysed by the signal engine).
    pub fn is_raw(self) -> bool {
        matches!(
            self,
            Dialect::Phyphox
                | Dialect::SensorLogger
                | Dialect::ActigraphRaw
                | Dialect::ActigraphImu
                | Dialect::MetaMotion
                | Dialect::PhysicsToolbox
                | Dialect::GenericAccel
        )
    }
}

/// `--map FIELD=COLUMN[:UNIT]`: read column COLUMN as FIELD.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnMapping {
    /// What the column holds.
    pub target: Target,
    /// Column name as in the header.
    pub column: String,
    /// Unit override.
    pub unit: Option<String>,
}

/// Options for reading one file.
#[derive(Debug, Clone, Default)]
pub struct IngestOptions {
    /// Force a dialect instead of detecting it.
    pub format: Option<Dialect>,
    /// Column overrides.
    pub mapping: Vec<ColumnMapping>,
    /// Overrides for raw accelerometer files.
    pub raw: raw::RawOptions,
}

/// What one input file turned out to hold.
#[derive(Debug, Clone)]
pub enum Input {
    /// Per-record summary data (watch, footpod, app export).
    Records(Recording),
    /// A raw accelerometer/gyroscope signal, for the signal engine.
    Raw(raw::RawSignal),
}

/// Recognise the dialect of a file's first bytes.
///
/// # Errors
/// `Err(reason)` describing what was seen when nothing matches.
pub fn detect(bytes: &[u8]) -> Result<Dialect, String> {
    if fit::decode::looks_like_fit(bytes) {
        return Ok(Dialect::Fit);
    }
    let head = &bytes[..bytes.len().min(16 * 1024)];
    if head.contains(&0) {
        return Err("binary content that is not a FIT file (no '.FIT' signature)".into());
    }
    let text = String::from_utf8_lossy(head);
    let mut lines = text
        .lines()
        .map(|l| l.trim_start_matches('\u{feff}'))
        .filter(|l| !l.trim().is_empty());
    let first = lines.next().ok_or("no text")?;
    let first_l = first.to_ascii_lowercase();
    let cells: Vec<String> = first
        .split([',', ';', '\t'])
        .map(|c| c.trim().trim_matches('"').to_string())
        .collect();
    let c0 = cells.first().map(String::as_str).unwrap_or("");
    // FitCSVTool: a header "Type,Local Number,Message,…" or header-less Definition/Data rows.
    if (c0 == "Type" && cells.get(1).is_some_and(|c| c == "Local Number"))
        || ((c0 == "Definition" || c0 == "Data")
            && cells.len() > 3
            && cells[1].parse::<u8>().is_ok())
    {
        return Ok(Dialect::FitCsvTool);
    }
    if first_l.starts_with("------------ data file created by actigraph") {
        return Ok(if first_l.contains("imu") {
            Dialect::ActigraphImu
        } else {
            Dialect::ActigraphRaw
        });
    }
    let keys: Vec<String> = cells
        .iter()
        .map(|c| columns::parse_header_cell(c).key)
        .collect();
    let has = |k: &str| keys.iter().any(|x| x == k);
    let has_prefix = |p: &str| keys.iter().any(|x| x.starts_with(p));
    // Wahoo: blocks, or a time block with its sensor-prefixed columns.
    if c0 == "Device"
        || text.lines().any(|l| {
            let l = l.to_ascii_lowercase();
            l.starts_with("time,")
                && (l.contains(",paused") || l.contains("hr_heartrate") || l.contains("ma_gct"))
        })
    {
        return Ok(Dialect::WahooCsv);
    }
    // Raw accelerometer dialects.
    if (has("epoc") || has("epocms")) && keys.iter().any(|k| k.starts_with("xaxis")) {
        return Ok(Dialect::MetaMotion);
    }
    if (has("secondselapsed") && (has("z") || has("accelerationz")))
        || keys.iter().any(|k| k == "accelerationx") && has("timestamp")
    {
        return Ok(Dialect::SensorLogger);
    }
    // phyphox: "Time (s)" then axes in m/s^2 (accelerometer, "Acceleration x", "Linear
    // Acceleration x") or rad/s (gyroscope).
    if has("time")
        && (first.contains("(m/s^2)") || first.contains("(rad/s)"))
        && keys.iter().any(|k| k.ends_with('x'))
    {
        return Ok(Dialect::Phyphox);
    }
    if has("gfx") && has("gfy") && has("gfz") {
        return Ok(Dialect::PhysicsToolbox);
    }
    let accel_axes = (has("x") && has("y") && has("z"))
        || (has("accx") && has("accy") && has("accz"))
        || (has_prefix("accx") && has_prefix("accy") && has_prefix("accz"))
        || (has_prefix("accelerometerx") && has_prefix("accelerometery"))
        || raw::has_anatomical_accel(&cells);
    // Per-record dialects.
    let known: usize = keys
        .iter()
        .filter(|k| matches!(columns::lookup(k), Some((Target::Channel(_), ..))))
        .count();
    if known > 0 {
        if has("secs") && (has("kph") || has("km") || has("rvert") || has("rcad")) {
            return Ok(Dialect::GoldenCheetahCsv);
        }
        let fit_names = [
            "positionlat",
            "stancetime",
            "enhancedspeed",
            "fractionalcadence",
            "verticaloscillation",
            "heartrate",
        ];
        let fitparse_style = cells.iter().any(|c| c.contains('[') && c.ends_with(']'))
            || keys
                .iter()
                .any(|k| fit_names.contains(&k.as_str()) && cells.iter().any(|c| c.contains('_')));
        if (has("groundtime") || has("formpower") || has("legspringstiffness"))
            && !has("stancetime")
            && !has("positionlat")
        {
            return Ok(Dialect::StrydCsv);
        }
        if fitparse_style && !accel_axes {
            return Ok(Dialect::FitparseRecords);
        }
        if !accel_axes {
            return Ok(Dialect::RecordsCsv);
        }
    }
    if accel_axes {
        return Ok(Dialect::GenericAccel);
    }
    // Two-level header (sensor row, then acc_x/gyr_x axis row: gaitmap/NilsPod) or no header
    // at all (a date-time then x, y, z: Axivity/OMGUI).
    let delim = records_csv::sniff_delimiter(first);
    let second = lines.next().unwrap_or("");
    let row1 = raw::split_simple(first, delim);
    if raw::is_two_level(&row1, &raw::split_simple(second, delim)) || raw::is_headerless_row(&row1)
    {
        return Ok(Dialect::GenericAccel);
    }
    Err(format!(
        "the first line '{}' is not a header gaitguard knows (FIT, FitCSVTool, a per-record CSV with named columns, or an accelerometer CSV); use --format and --map to say what the columns are",
        first.chars().take(120).collect::<String>()
    ))
}

/// Read one file into a [`Recording`], detecting its dialect, then normalise cadence units.
///
/// # Errors
/// [`IngestError`] naming the file (and line, byte offset or column) when the file cannot be
/// read, is empty, is a directory, matches no dialect, or is malformed.
pub fn read_input(path: &Path, opts: &IngestOptions) -> Result<Input, IngestError> {
    let io = |source| IngestError::Io {
        path: path.to_path_buf(),
        source,
    };
    let meta = std::fs::metadata(path).map_err(io)?;
    if meta.is_dir() {
        return Err(IngestError::IsDirectory {
            path: path.to_path_buf(),
        });
    }
    let bytes = std::fs::read(path).map_err(io)?;
    read_input_bytes(path, &bytes, opts)
}

/// Read a per-record (watch/footpod) file; a raw accelerometer file is an error here.
///
/// # Errors
/// As [`read_input`], plus [`IngestError::NoData`] for raw signals.
pub fn read_recording(path: &Path, opts: &IngestOptions) -> Result<Recording, IngestError> {
    records_only(path, read_input(path, opts)?)
}

/// [`read_recording`] for bytes already in memory.
///
/// # Errors
/// As [`read_recording`].
pub fn read_recording_bytes(
    path: &Path,
    bytes: &[u8],
    opts: &IngestOptions,
) -> Result<Recording, IngestError> {
    records_only(path, read_input_bytes(path, bytes, opts)?)
}

fn records_only(path: &Path, input: Input) -> Result<Recording, IngestError> {
    match input {
        Input::Records(r) => Ok(r),
        Input::Raw(r) => Err(IngestError::NoData {
            path: path.to_path_buf(),
            reason: format!(
                "raw accelerometer recording ({}): use the signal engine (`gaitguard analyze`)",
                r.format
            ),
        }),
    }
}

/// [`read_input`] for bytes already in memory (`path` is used in messages only).
///
/// # Errors
/// As [`read_input`].
pub fn read_input_bytes(
    path: &Path,
    bytes: &[u8],
    opts: &IngestOptions,
) -> Result<Input, IngestError> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(IngestError::Empty {
            path: path.to_path_buf(),
        });
    }
    let dialect = match opts.format {
        Some(d) => d,
        None => detect(bytes).map_err(|reason| IngestError::UnknownFormat {
            path: path.to_path_buf(),
            reason,
        })?,
    };
    let mut rec = match dialect {
        Dialect::Fit => fit::read_fit(path, bytes)?,
        other => {
            let text = std::str::from_utf8(bytes).map_err(|e| IngestError::Csv {
                path: path.to_path_buf(),
                line: line_of_offset(bytes, e.valid_up_to()),
                column: None,
                reason: "the file is not UTF-8 text (binary junk or another encoding)".into(),
            })?;
            match other {
                Dialect::FitCsvTool => fitcsv::read_fit_csv(path, text)?,
                d if d.is_raw() => {
                    let sig = raw::read_raw(path, text, d, &opts.raw)?;
                    if sig.is_empty() {
                        return Err(IngestError::NoData {
                            path: path.to_path_buf(),
                            reason: "the file holds no samples".into(),
                        });
                    }
                    return Ok(Input::Raw(sig));
                }
                d => records_csv::read_records_csv(path, text, d, &opts.mapping)?,
            }
        }
    };
    if rec.series.is_empty() {
        return Err(IngestError::NoData {
            path: path.to_path_buf(),
            reason: "the file holds no records (no per-second data to analyse)".into(),
        });
    }
    normalize::normalize(&mut rec);
    Ok(Input::Records(rec))
}

fn line_of_offset(bytes: &[u8], offset: usize) -> u64 {
    1 + bytes[..offset.min(bytes.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count() as u64
}
