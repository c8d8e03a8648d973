//! Stage 1, **ingest**: one input file → one [`Recording`].
//!
//! The dialect is recognised from the content (FIT signature, CSV header signature), never
//! from the file name; `--format` forces it. Each dialect family has its own module:
//! [`fit`] (binary FIT), [`fitcsv`] (FitCSVTool), [`records_csv`] (one column per field:
//! fitparse dumps, Wahoo, Stryd, GoldenCheetah, streams). After reading, [`normalize`] fixes
//! cadence units (strides vs steps, mixed files).

pub mod apple_health;
pub mod archive;
pub mod columns;
pub mod compressed;
pub mod fit;
pub mod fitcsv;
pub mod gpx;
pub mod log;
pub mod native;
pub mod normalize;
pub mod plausible;
pub mod polar;
pub mod raw;
pub mod records_csv;
pub mod stream;
pub mod suunto;
pub mod tcx;
pub mod track;
pub mod xml;

use crate::error::IngestError;
use crate::recording::Recording;
use crate::vocab::WarningCode;
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
    /// Garmin Training Center XML (TCX).
    Tcx,
    /// GPS Exchange Format 1.1 (GPX) track.
    Gpx,
    /// Polar Flow session CSV (summary lines, then one row a second).
    PolarCsv,
    /// Suunto app JSON activity log.
    SuuntoJson,
    /// Axivity AX3/AX6 binary (`.cwa`).
    AxivityCwa,
    /// ActiGraph `.gt3x` (zip of info.txt and activity.bin or log.bin).
    ActigraphGt3x,
    /// GENEActiv `.bin` (text pages of hex samples).
    GeneactivBin,
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
            Dialect::Tcx => "tcx",
            Dialect::Gpx => "gpx",
            Dialect::PolarCsv => "polar-csv",
            Dialect::SuuntoJson => "suunto-json",
            Dialect::AxivityCwa => "axivity-cwa",
            Dialect::ActigraphGt3x => "actigraph-gt3x",
            Dialect::GeneactivBin => "geneactiv-bin",
        }
    }

    /// All dialects.
    pub const ALL: [Dialect; 21] = [
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
        Dialect::Tcx,
        Dialect::Gpx,
        Dialect::PolarCsv,
        Dialect::SuuntoJson,
        Dialect::AxivityCwa,
        Dialect::ActigraphGt3x,
        Dialect::GeneactivBin,
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
        ) || self.is_native()
    }

    /// True for native sensor files ([`native`]: Axivity, ActiGraph GT3X, GENEActiv).
    pub fn is_native(self) -> bool {
        matches!(
            self,
            Dialect::AxivityCwa | Dialect::ActigraphGt3x | Dialect::GeneactivBin
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
    /// Which activity of a multi-activity file (TCX) to read.
    pub activity: tcx::Pick,
    /// The instants a recording may hold (the machine's clock, read once per run).
    pub bounds: crate::time::TimeBounds,
    /// Apple Health exports: the local date of the running workout to read (`None`: the
    /// latest).
    pub workout: Option<chrono::NaiveDate>,
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
    if let Some(d) = native::sniff_head(bytes) {
        return Ok(d);
    }
    let head = &bytes[..bytes.len().min(16 * 1024)];
    if archive::is_zip(head) {
        return Err(
            "a zip archive given as a stream; name its path instead (gaitguard reads archives in place: `analyze x.zip`, `block x.zip`)".into(),
        );
    }
    if compressed::is_gzip(head) {
        return Err("a gzip stream inside a gzip stream (gaitguard decompresses one level)".into());
    }
    if head.contains(&0) {
        return Err("binary content that is not a FIT file (no '.FIT' signature)".into());
    }
    let text = String::from_utf8_lossy(head);
    if let Some(d) = xml_dialect(&text)? {
        return Ok(d);
    }
    if suunto::looks_like_suunto(&text) {
        return Ok(Dialect::SuuntoJson);
    }
    if let Some(f) = log::log_format(&text) {
        return Err(format!(
            "a training log ({}: one row per session, no records to analyse); `gaitguard block` reads it into the load",
            f.name()
        ));
    }
    let mut lines = text
        .lines()
        .map(|l| l.trim_start_matches('\u{feff}'))
        .filter(|l| !l.trim().is_empty());
    let first = lines.next().ok_or("no text")?;
    let cells: Vec<String> = first
        .split([',', ';', '\t'])
        .map(|c| c.trim().trim_matches('"').to_string())
        .collect();
    if is_fit_csv_tool(&cells) {
        return Ok(Dialect::FitCsvTool);
    }
    if polar::is_polar(&cells) {
        return Ok(Dialect::PolarCsv);
    }
    if let Some(d) = actigraph_dialect(first) {
        return Ok(d);
    }
    let keys: Vec<String> = cells
        .iter()
        .map(|c| columns::parse_header_cell(c).key)
        .collect();
    if is_wahoo(&cells, &text) {
        return Ok(Dialect::WahooCsv);
    }
    if let Some(d) = raw_dialect(first, &keys) {
        return Ok(d);
    }
    let accel_axes = has_accel_axes(&cells, &keys);
    if let Some(d) = records_dialect(&cells, &keys, accel_axes) {
        return Ok(d);
    }
    if accel_axes || is_unnamed_raw(first, lines.next().unwrap_or("")) {
        return Ok(Dialect::GenericAccel);
    }
    Err(format!(
        "the first line '{}' is not a header gaitguard knows (FIT, FitCSVTool, a per-record CSV with named columns, or an accelerometer CSV); use --format and --map to say what the columns are",
        first.chars().take(120).collect::<String>()
    ))
}

/// XML documents by their root element: TCX (`TrainingCenterDatabase`), GPX (`gpx`); `Ok(None)` for text
/// that is not XML, `Err` for XML of another kind.
fn xml_dialect(text: &str) -> Result<Option<Dialect>, String> {
    if !xml::strip_prolog_junk(text).starts_with('<') {
        return Ok(None);
    }
    match xml::root_element(text).as_deref() {
        Some("TrainingCenterDatabase") => Ok(Some(Dialect::Tcx)),
        Some("gpx") => Ok(Some(Dialect::Gpx)),
        Some("HealthData") => Err(
            "an Apple Health export.xml, which gaitguard does not read yet (its workout routes, workout-routes/*.gpx, are read)".into(),
        ),
        Some(other) => Err(format!(
            "an XML document whose root element is <{other}>, not a TCX (TrainingCenterDatabase) or GPX activity"
        )),
        None => Err("text starting with '<' that is not a well-formed XML document".into()),
    }
}

/// FitCSVTool: a header "Type,Local Number,Message,…" or header-less Definition/Data rows.
fn is_fit_csv_tool(cells: &[String]) -> bool {
    let c0 = cells.first().map(String::as_str).unwrap_or("");
    (c0 == "Type" && cells.get(1).is_some_and(|c| c == "Local Number"))
        || ((c0 == "Definition" || c0 == "Data")
            && cells.len() > 3
            && cells[1].parse::<u8>().is_ok())
}

/// ActiLife's preamble line: IMU or RAW export.
fn actigraph_dialect(first: &str) -> Option<Dialect> {
    let first_l = first.to_ascii_lowercase();
    if !first_l.starts_with("------------ data file created by actigraph") {
        return None;
    }
    Some(if first_l.contains("imu") {
        Dialect::ActigraphImu
    } else {
        Dialect::ActigraphRaw
    })
}

/// Wahoo: blocks (a `Device` first cell), or a time block with its sensor-prefixed columns
/// on any line of `text`.
fn is_wahoo(cells: &[String], text: &str) -> bool {
    cells.first().is_some_and(|c| c == "Device")
        || text.lines().any(|l| {
            let l = l.to_ascii_lowercase();
            l.starts_with("time,")
                && (l.contains(",paused") || l.contains("hr_heartrate") || l.contains("ma_gct"))
        })
}

/// Raw accelerometer dialects recognised by their column keys: MetaMotion (`epoc` and
/// `x-axis`), Sensor Logger, phyphox, Physics Toolbox (`gFx`, `gFy`, `gFz`).
fn raw_dialect(first: &str, keys: &[String]) -> Option<Dialect> {
    let has = |k: &str| keys.iter().any(|x| x == k);
    if (has("epoc") || has("epocms")) && keys.iter().any(|k| k.starts_with("xaxis")) {
        return Some(Dialect::MetaMotion);
    }
    if (has("secondselapsed") && (has("z") || has("accelerationz")))
        || keys.iter().any(|k| k == "accelerationx") && has("timestamp")
    {
        return Some(Dialect::SensorLogger);
    }
    // phyphox: "Time (s)" then axes in m/s^2 (accelerometer, "Acceleration x", "Linear
    // Acceleration x") or rad/s (gyroscope).
    if has("time")
        && (first.contains("(m/s^2)") || first.contains("(rad/s)"))
        && keys.iter().any(|k| k.ends_with('x'))
    {
        return Some(Dialect::Phyphox);
    }
    if has("gfx") && has("gfy") && has("gfz") {
        return Some(Dialect::PhysicsToolbox);
    }
    None
}

/// The header names three accelerometer axes (`x,y,z`, `acc_x…`, `accelerometer_x…`) or
/// anatomical acceleration columns.
fn has_accel_axes(cells: &[String], keys: &[String]) -> bool {
    let has = |k: &str| keys.iter().any(|x| x == k);
    let has_prefix = |p: &str| keys.iter().any(|x| x.starts_with(p));
    (has("x") && has("y") && has("z"))
        || (has("accx") && has("accy") && has("accz"))
        || (has_prefix("accx") && has_prefix("accy") && has_prefix("accz"))
        || (has_prefix("accelerometerx") && has_prefix("accelerometery"))
        || raw::has_anatomical_accel(cells)
}

/// Per-record dialects, when some column is a channel gaitguard knows: GoldenCheetah
/// (`secs` with `kph`/`km`/`rvert`/`rcad`), Stryd (`ground_time`, `form_power`, …), and,
/// unless the header also names accelerometer axes, fitparse dumps (`[unit]` suffixes or
/// FIT field names with underscores) or any other per-record CSV.
fn records_dialect(cells: &[String], keys: &[String], accel_axes: bool) -> Option<Dialect> {
    let has = |k: &str| keys.iter().any(|x| x == k);
    let known: usize = keys
        .iter()
        .filter(|k| matches!(columns::lookup(k), Some((Target::Channel(_), ..))))
        .count();
    if known == 0 {
        return None;
    }
    if has("secs") && (has("kph") || has("km") || has("rvert") || has("rcad")) {
        return Some(Dialect::GoldenCheetahCsv);
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
        return Some(Dialect::StrydCsv);
    }
    if fitparse_style && !accel_axes {
        return Some(Dialect::FitparseRecords);
    }
    if !accel_axes {
        return Some(Dialect::RecordsCsv);
    }
    None
}

/// Raw data without a one-line header: a two-level header (sensor row, then acc_x/gyr_x
/// axis row: gaitmap/NilsPod) or no header at all (a date-time then x, y, z:
/// Axivity/OMGUI).
fn is_unnamed_raw(first: &str, second: &str) -> bool {
    let delim = records_csv::sniff_delimiter(first);
    let row1 = raw::split_simple(first, delim);
    raw::is_two_level(&row1, &raw::split_simple(second, delim)) || raw::is_headerless_row(&row1)
}

/// Read one file into a [`Recording`], detecting its dialect, then normalise cadence units.
///
/// # Errors
/// [`IngestError`] naming the file (and line, byte offset or column) when the file cannot be
/// read, is empty, is a directory, matches no dialect, or is malformed.
pub fn read_input(path: &Path, opts: &IngestOptions) -> Result<Input, IngestError> {
    if apple_health::is_export_file(path) {
        return read_health_workout(path, opts).map(Input::Records);
    }
    if native::gt3x::is_gt3x_file(path) {
        let bytes = read_bounded(path, Some(Dialect::ActigraphGt3x))?;
        return read_input_bytes(path, &bytes, opts);
    }
    if archive::is_zip_file(path) {
        let (entry, bytes) = archive::read_single(path, opts.format)?;
        return read_input_bytes(&entry, &bytes, opts);
    }
    if let Some((file, rest)) = archive::locate(path) {
        // A virtual path: an entry of an archive, or one activity of a TCX file.
        let (rest, pick) = archive::split_activity(&rest);
        let mut opts = opts.clone();
        if let Some(i) = pick {
            opts.activity = tcx::Pick::Index(i);
        }
        let bytes = if rest.is_empty() {
            read_bounded(&file, opts.format)?
        } else if archive::is_zip_file(&file) {
            archive::read_entry(&file, rest, path, opts.format)?
        } else {
            read_bounded(path, opts.format)?
        };
        return read_input_bytes(path, &bytes, &opts);
    }
    let bytes = read_bounded(path, opts.format)?;
    read_input_bytes(path, &bytes, opts)
}

/// The raw dialect of a file that can be read as a stream of samples ([`stream::SampleSink`]),
/// from its first 64 KiB: a regular file (not standard input, an archive entry or a gzip)
/// holding a native sensor recording or a raw CSV export (lines ending in `\n` or `\r\n`).
/// `None`: read it whole with [`read_input`].
///
/// # Errors
/// [`IngestError::Io`] when the file cannot be opened or read.
pub fn streamable(path: &Path, opts: &IngestOptions) -> Result<Option<Dialect>, IngestError> {
    if path.as_os_str() == "-" || !path.is_file() {
        return Ok(None);
    }
    if let Some(d) = opts.format {
        return Ok(d.is_raw().then_some(d));
    }
    let io = |source| IngestError::Io {
        path: path.to_path_buf(),
        source,
    };
    let mut head = Vec::with_capacity(HEAD_BYTES as usize);
    let mut file = std::io::Read::take(std::fs::File::open(path).map_err(io)?, HEAD_BYTES);
    std::io::Read::read_to_end(&mut file, &mut head).map_err(io)?;
    if archive::is_zip(&head) {
        return Ok(native::gt3x::is_gt3x_file(path).then_some(Dialect::ActigraphGt3x));
    }
    if compressed::is_gzip(&head) {
        return Ok(None);
    }
    Ok(detect(&head).ok().filter(|d| {
        // Text with lone-CR line ends is read whole (rewritten line by line first).
        d.is_native() || (d.is_raw() && lf_for_lone_cr(&head).is_none())
    }))
}

/// Stream the samples of a file of a streamable raw `dialect` ([`streamable`]) into `sink`,
/// checking the clock's plausibility on the way.
///
/// # Errors
/// As the dialect's reader: [`IngestError::Sensor`] naming the byte offset and block of a
/// malformed native file, [`IngestError::NoData`] for one without samples.
pub fn stream_raw(
    path: &Path,
    dialect: Dialect,
    opts: &IngestOptions,
    sink: &mut dyn stream::SampleSink,
) -> Result<(), IngestError> {
    if !dialect.is_native() {
        return raw::stream_raw_csv(path, dialect, &opts.raw, sink);
    }
    native::stream_native(path, dialect, sink)
}

/// One running workout of an Apple Health export (`--workout DATE`, else the latest),
/// streamed from the file or zip ([`apple_health`]), its cadence units normalised.
///
/// # Errors
/// As [`apple_health::read_export`].
fn read_health_workout(path: &Path, opts: &IngestOptions) -> Result<Recording, IngestError> {
    let pick = match opts.workout {
        Some(d) => apple_health::WorkoutPick::Date(d),
        None => apple_health::WorkoutPick::Latest,
    };
    let export = apple_health::read_export(path, pick)?;
    let n = export.sessions.len();
    let mut rec = export
        .sessions
        .into_iter()
        .next()
        .ok_or_else(|| IngestError::NoData {
            path: path.to_path_buf(),
            reason: "the export holds no running workout".into(),
        })?;
    if n > 1 {
        rec.warn(
            WarningCode::MultipleActivities,
            format!(
                "{n} running workouts on that day; the first was analysed (`gaitguard block` reads them all)"
            ),
        );
    }
    finish_recording(&mut rec, &opts.bounds)?;
    Ok(rec)
}

/// The last steps of every per-record reader: plausible times ([`plausible`]), then cadence
/// units ([`normalize`]). Public for records read outside [`read_input`] (the workouts of an
/// Apple Health export in `block`).
///
/// # Errors
/// [`IngestError::ImplausibleTime`].
pub fn finish_recording(
    rec: &mut Recording,
    bounds: &crate::time::TimeBounds,
) -> Result<(), IngestError> {
    plausible::check_recording(rec, bounds)?;
    normalize::normalize(rec);
    Ok(())
}

/// The most bytes of a FIT file gaitguard reads: a day of 1-second records is about 5 MiB, a
/// week of them well under 100 MiB.
pub const MAX_FIT_BYTES: u64 = 256 << 20;
/// The most bytes of a text (CSV) file gaitguard reads: a one-hour 1 kHz raw export is about
/// 115 MiB; the engine holds a recording in memory, so larger files must be split.
pub const MAX_TEXT_BYTES: u64 = 4 << 30;
/// Bytes read first to recognise the format (detection looks at the first 16 KiB).
const HEAD_BYTES: u64 = 64 << 10;

/// Read an input within its format's budget: the first [`HEAD_BYTES`] decide the format (an
/// unrecognised input, such as `/dev/zero`, is refused before anything more is read), then
/// at most [`MAX_FIT_BYTES`] or [`MAX_TEXT_BYTES`]. A regular file over its budget is refused
/// from its size, without reading; a pipe or device is refused when it passes the budget.
/// A gzip stream (by its magic bytes) is decompressed on the way, its output held to the same
/// budgets and to [`compressed::MAX_RATIO`]. `-` is standard input.
///
/// # Errors
/// [`IngestError::Io`], [`IngestError::IsDirectory`], [`IngestError::UnknownFormat`],
/// [`IngestError::TooLarge`] and, for gzip, [`IngestError::Archive`], naming the path.
pub fn read_bounded(path: &Path, format: Option<Dialect>) -> Result<Vec<u8>, IngestError> {
    let io = |source| IngestError::Io {
        path: path.to_path_buf(),
        source,
    };
    // Standard input, or a file (its size known when it is a regular file).
    let (reader, size): (Box<dyn std::io::Read>, Option<u64>) = if path.as_os_str() == "-" {
        (Box::new(std::io::stdin().lock()), None)
    } else {
        let meta = std::fs::metadata(path).map_err(io)?;
        if meta.is_dir() {
            return Err(IngestError::IsDirectory {
                path: path.to_path_buf(),
            });
        }
        let size = meta.is_file().then_some(meta.len());
        (Box::new(std::fs::File::open(path).map_err(io)?), size)
    };
    read_stream(path, reader, size, format, Stream::Plain)
}

/// Where a stream's bytes come from, for its error messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stream {
    /// A file or standard input as it is.
    Plain,
    /// The output of a gzip decoder.
    Gunzipped,
    /// An entry of a zip archive, decompressed.
    ZipEntry,
}

/// [`read_bounded`] on an open stream of `size` bytes (when known) from `source` (a gzip
/// inside a gzip is refused, and read errors of decompressed streams are decompression
/// errors naming the archive or entry).
///
/// # Errors
/// As [`read_bounded`].
pub fn read_stream(
    path: &Path,
    mut reader: Box<dyn std::io::Read + '_>,
    size: Option<u64>,
    format: Option<Dialect>,
    source: Stream,
) -> Result<Vec<u8>, IngestError> {
    use std::io::Read as _;
    let unpacked = source != Stream::Plain;
    let io = |e: std::io::Error| {
        let archive = |reason| IngestError::Archive {
            path: path.to_path_buf(),
            reason,
        };
        match (compressed::bomb_reason(&e), source) {
            (Some(bomb), _) => archive(bomb),
            (None, Stream::Gunzipped) => archive(compressed::reason(&e)),
            (None, Stream::ZipEntry) => archive(format!("cannot decompress the entry: {e}")),
            (None, Stream::Plain) => IngestError::Io {
                path: path.to_path_buf(),
                source: e,
            },
        }
    };
    let too_large = |kind, limit_bytes: u64, size_bytes| {
        if unpacked {
            IngestError::Archive {
                path: path.to_path_buf(),
                reason: format!(
                    "decompresses to more than {} MiB, the most gaitguard reads of a {kind}",
                    limit_bytes >> 20
                ),
            }
        } else {
            IngestError::TooLarge {
                path: path.to_path_buf(),
                kind,
                limit_bytes,
                size_bytes,
            }
        }
    };
    if let Some(s) = size.filter(|&s| s > MAX_TEXT_BYTES.max(MAX_FIT_BYTES)) {
        return Err(too_large(
            "file",
            MAX_TEXT_BYTES.max(MAX_FIT_BYTES),
            Some(s),
        ));
    }
    let mut bytes = Vec::with_capacity(size.map_or(HEAD_BYTES, |s| s.min(MAX_TEXT_BYTES)) as usize);
    (&mut reader)
        .take(HEAD_BYTES)
        .read_to_end(&mut bytes)
        .map_err(io)?;
    if compressed::is_gzip(&bytes) {
        if source == Stream::Gunzipped {
            return Err(IngestError::Archive {
                path: path.to_path_buf(),
                reason: "a gzip stream inside a gzip stream: gaitguard decompresses one level"
                    .into(),
            });
        }
        let whole = std::io::Cursor::new(bytes).chain(reader);
        return read_stream(
            path,
            Box::new(compressed::Guard::new(whole)),
            None,
            format,
            Stream::Gunzipped,
        );
    }
    let dialect = match format {
        Some(d) => Some(d),
        None if bytes.iter().all(|b| b.is_ascii_whitespace()) => None,
        // Detected as `read_input_bytes` will: on the head with lone-CR line ends made `\n`.
        None => {
            let lf = (!fit::decode::looks_like_fit(&bytes))
                .then(|| lf_for_lone_cr(&bytes))
                .flatten();
            let head = lf.as_deref().unwrap_or(&bytes);
            Some(detect(head).map_err(|reason| IngestError::UnknownFormat {
                path: path.to_path_buf(),
                reason,
            })?)
        }
    };
    let (kind, limit) = match dialect {
        Some(Dialect::Fit) => ("FIT file", MAX_FIT_BYTES),
        Some(d) if d.is_native() => ("sensor file", MAX_TEXT_BYTES),
        _ => ("text file", MAX_TEXT_BYTES),
    };
    if let Some(s) = size.filter(|&s| s > limit) {
        return Err(too_large(kind, limit, Some(s)));
    }
    let rest = (limit + 1).saturating_sub(bytes.len() as u64);
    reader.take(rest).read_to_end(&mut bytes).map_err(io)?;
    if bytes.len() as u64 > limit {
        return Err(too_large(kind, limit, size));
    }
    Ok(bytes)
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
    if compressed::is_gzip(bytes) {
        let plain = read_stream(path, Box::new(bytes), None, opts.format, Stream::Plain)?;
        return read_input_bytes(path, &plain, opts);
    }
    let native = match opts.format {
        Some(d) if d.is_native() => Some(d),
        Some(_) => None,
        None => native::sniff(bytes),
    };
    if let Some(d) = native {
        let mut sig = native::read_native(path, bytes, d)?;
        plausible::check_signal(&mut sig, &opts.bounds)?;
        return Ok(Input::Raw(sig));
    }
    let is_fit = opts.format == Some(Dialect::Fit) || fit::decode::looks_like_fit(bytes);
    let converted = if is_fit { None } else { lf_for_lone_cr(bytes) };
    let bytes = converted.as_deref().unwrap_or(bytes);
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
                Dialect::Tcx => tcx::read_tcx(path, text, opts.activity)?,
                Dialect::Gpx => gpx::read_gpx(path, text)?,
                Dialect::PolarCsv => polar::read_polar(path, text)?,
                Dialect::SuuntoJson => suunto::read_suunto(path, text)?,
                d if d.is_raw() => {
                    let mut sig = raw::read_raw(path, text, d, &opts.raw)?;
                    if sig.is_empty() {
                        return Err(IngestError::NoData {
                            path: path.to_path_buf(),
                            reason: "the file holds no samples".into(),
                        });
                    }
                    plausible::check_signal(&mut sig, &opts.bounds)?;
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
    finish_recording(&mut rec, &opts.bounds)?;
    Ok(Input::Records(rec))
}

/// Text whose lines end in a lone carriage return (classic Mac OS, some ActiLife and Excel
/// exports) rewritten with `\n`, so that every reader sees ordinary lines; `None` (no copy)
/// when the first line ends in `\n` or `\r\n`, or the text has no line break at all. A file
/// is taken to use one convention throughout: the first line break decides, and then every
/// lone `\r` becomes `\n` (a `\r\n` pair is kept).
fn lf_for_lone_cr(bytes: &[u8]) -> Option<Vec<u8>> {
    let first = bytes.iter().position(|&b| b == b'\r' || b == b'\n')?;
    if bytes[first] == b'\n' || bytes.get(first + 1) == Some(&b'\n') {
        return None;
    }
    let mut out = bytes.to_vec();
    for i in 0..out.len() {
        if out[i] == b'\r' && out.get(i + 1) != Some(&b'\n') {
            out[i] = b'\n';
        }
    }
    Some(out)
}

fn line_of_offset(bytes: &[u8], offset: usize) -> u64 {
    1 + bytes[..offset.min(bytes.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count() as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lone_carriage_returns_become_line_feeds() {
        assert_eq!(
            lf_for_lone_cr(b"a,b\r1,2\r3,4\r").unwrap(),
            b"a,b\n1,2\n3,4\n"
        );
        // The first break decides; a CRLF pair later is kept.
        assert_eq!(lf_for_lone_cr(b"a\rb\r\nc").unwrap(), b"a\nb\r\nc");
        assert!(lf_for_lone_cr(b"a,b\r\n1,2\r\n").is_none());
        assert!(lf_for_lone_cr(b"a,b\n1,2\r").is_none());
        assert!(lf_for_lone_cr(b"no line break").is_none());
    }

    fn split(line: &str) -> (Vec<String>, Vec<String>) {
        let cells: Vec<String> = line.split(',').map(str::to_string).collect();
        let keys = cells
            .iter()
            .map(|c| columns::parse_header_cell(c).key)
            .collect();
        (cells, keys)
    }

    #[test]
    fn detection_steps() {
        assert!(is_fit_csv_tool(&split("Type,Local Number,Message").0));
        assert!(is_fit_csv_tool(&split("Data,2,record,timestamp").0));
        assert!(!is_fit_csv_tool(&split("Data,x,record,timestamp").0));
        assert_eq!(
            actigraph_dialect(
                "------------ Data File Created By ActiGraph Link ActiLife v6 IMU ---"
            ),
            Some(Dialect::ActigraphImu)
        );
        assert_eq!(actigraph_dialect("time,x,y,z"), None);
        assert!(is_wahoo(&[], "Device,x\ntime,hr_heartrate\n"));
        assert!(!is_wahoo(&split("time,x").0, "time,x\n"));
        let first = "Time (s),Acceleration x (m/s^2),Acceleration y (m/s^2)";
        assert_eq!(raw_dialect(first, &split(first).1), Some(Dialect::Phyphox));
        assert_eq!(
            raw_dialect("gFx,gFy,gFz", &split("gFx,gFy,gFz").1),
            Some(Dialect::PhysicsToolbox)
        );
        let (c, k) = split("time,x,y,z");
        assert!(has_accel_axes(&c, &k));
        assert_eq!(records_dialect(&c, &k, true), None);
        let (c, k) = split("secs,cad,hr,kph");
        assert_eq!(
            records_dialect(&c, &k, false),
            Some(Dialect::GoldenCheetahCsv)
        );
        let (c, k) = split("timestamp,heart_rate,cadence");
        assert_eq!(
            records_dialect(&c, &k, false),
            Some(Dialect::FitparseRecords)
        );
        let (c, k) = split("time,ground_time,cadence");
        assert_eq!(records_dialect(&c, &k, false), Some(Dialect::StrydCsv));
        assert!(is_unnamed_raw("2020-01-01 10:00:00.000,0.1,0.2,0.9", ""));
        assert!(!is_unnamed_raw("a,b,c,d", "1,2,3,4"));
    }
}
