//! The data model that ingest produces and every later stage reads.
//!
//! A [`Recording`] is what one input file holds after decoding, in SI-ish units named in the
//! channel names: a time axis and per-record channels (watch/footpod summary data), plus
//! the file's own metadata (device, sessions with the watch's own averages, timer pauses).
//! Missing values are `NaN`; an absent channel is an empty vector.

use crate::vocab::WarningCode;
use serde::Serialize;
use std::path::PathBuf;

pub use crate::vocab::Channel;

/// Per-record columns on a shared time axis.
#[derive(Debug, Clone, Default)]
pub struct Series {
    /// Seconds since the first record (monotone non-decreasing after ingest).
    pub time_s: Vec<f64>,
    columns: Vec<Vec<f64>>,
}

impl Series {
    /// An empty series with every channel absent.
    pub fn new() -> Self {
        Series {
            time_s: Vec::new(),
            columns: vec![Vec::new(); Channel::COUNT],
        }
    }

    /// Number of records.
    pub fn len(&self) -> usize {
        self.time_s.len()
    }

    /// True when there are no records.
    pub fn is_empty(&self) -> bool {
        self.time_s.is_empty()
    }

    /// The channel's values (NaN = missing), or `None` when the channel is absent.
    pub fn get(&self, ch: Channel) -> Option<&[f64]> {
        let c = &self.columns[ch.index()];
        if c.is_empty() { None } else { Some(c) }
    }

    /// Mutable access, creating the channel (all NaN) if absent.
    pub fn get_mut(&mut self, ch: Channel) -> &mut Vec<f64> {
        let n = self.time_s.len();
        let c = &mut self.columns[ch.index()];
        if c.len() < n {
            c.resize(n, f64::NAN);
        }
        c
    }

    /// True when the channel exists and has at least one finite value.
    pub fn has(&self, ch: Channel) -> bool {
        self.get(ch)
            .is_some_and(|v| v.iter().any(|x| x.is_finite()))
    }

    /// Append one record: the time and a value per present channel (others NaN).
    pub fn push(&mut self, time_s: f64, values: &[(Channel, f64)]) {
        let idx = self.time_s.len();
        self.time_s.push(time_s);
        for &(ch, v) in values {
            let c = &mut self.columns[ch.index()];
            if c.len() < idx {
                c.resize(idx, f64::NAN);
            }
            if c.len() == idx {
                c.push(v);
            } else {
                c[idx] = v;
            }
        }
    }

    /// Pad every present channel to the full length (call once after the last push).
    pub fn finish(&mut self) {
        let n = self.time_s.len();
        for c in &mut self.columns {
            if !c.is_empty() && c.len() < n {
                c.resize(n, f64::NAN);
            }
        }
        // A channel with no finite value at all is dropped, so "absent" has one meaning.
        for c in &mut self.columns {
            if !c.is_empty() && !c.iter().any(|x| x.is_finite()) {
                c.clear();
            }
        }
    }

    /// Channels present.
    pub fn channels(&self) -> impl Iterator<Item = Channel> + '_ {
        Channel::ALL.into_iter().filter(|c| self.has(*c))
    }

    /// Drop a channel.
    pub fn remove(&mut self, ch: Channel) {
        self.columns[ch.index()].clear();
    }

    /// Keep only the records whose index satisfies `keep` (all channels together).
    pub fn retain_indices(&mut self, keep: &[bool]) {
        fn filt(v: &mut Vec<f64>, keep: &[bool]) {
            if v.is_empty() {
                return;
            }
            let mut i = 0;
            v.retain(|_| {
                let k = keep[i];
                i += 1;
                k
            });
        }
        filt(&mut self.time_s, keep);
        for c in &mut self.columns {
            filt(c, keep);
        }
    }
}

/// A non-fatal observation about the input or the analysis, shown to the user and kept in JSON.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Warning {
    /// Stable machine-readable code (e.g. `cadence_units`).
    pub code: WarningCode,
    /// One plain-language sentence.
    pub message: String,
}

impl Warning {
    /// Build a warning.
    pub fn new(code: WarningCode, message: impl Into<String>) -> Self {
        Warning {
            code,
            message: message.into(),
        }
    }
}

/// The watch's own averages for one session (FIT `session` message), in our units.
#[derive(Debug, Clone, Default, Serialize)]
pub struct DeviceAverages {
    /// Steps/min.
    pub cadence_spm: Option<f64>,
    /// ms.
    pub ground_contact_ms: Option<f64>,
    /// cm.
    pub vertical_oscillation_cm: Option<f64>,
    /// %.
    pub vertical_ratio_pct: Option<f64>,
    /// m.
    pub step_length_m: Option<f64>,
    /// % left.
    pub gct_balance_left_pct: Option<f64>,
    /// m/s.
    pub speed_mps: Option<f64>,
    /// bpm.
    pub heart_rate_bpm: Option<f64>,
    /// W.
    pub power_w: Option<f64>,
    /// m.
    pub total_ascent_m: Option<f64>,
    /// m.
    pub total_descent_m: Option<f64>,
}

/// One session (a sport leg) as the file describes it.
#[derive(Debug, Clone, Serialize)]
pub struct SessionInfo {
    /// Sport name as in the FIT profile (`running`, `cycling`, `walking`, …).
    pub sport: String,
    /// Sub-sport (`treadmill`, `trail`, `generic`, …) when given.
    pub sub_sport: Option<String>,
    /// Start, seconds on the recording's time axis.
    #[serde(skip)]
    pub start_s: f64,
    /// End, seconds on the recording's time axis.
    #[serde(skip)]
    pub end_s: f64,
    /// Timer time reported by the device, s.
    pub timer_time_s: Option<f64>,
    /// Elapsed time reported by the device, s.
    pub elapsed_time_s: Option<f64>,
    /// Distance reported by the device, m.
    pub distance_m: Option<f64>,
    /// The device's own averages.
    pub device_averages: DeviceAverages,
}

/// An interval during which the device's timer was stopped (seconds on the time axis).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Pause {
    /// Timer stopped at.
    pub start_s: f64,
    /// Timer restarted at (or the end of the data).
    pub end_s: f64,
}

/// Where the sensor that measured the dynamics sat.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Placement {
    /// Chest strap, waist pod, lower back, sacrum.
    Trunk,
    /// Footpod or shoe sensor (Stryd, RunScribe), shank.
    Foot,
    /// Watch on the wrist.
    Wrist,
    /// Phone in a trouser pocket.
    Thigh,
}

impl Placement {
    /// From its name (`trunk`, `chest`, `waist`, `lower-back`, `sacrum`, `hip`, `foot`,
    /// `shoe`, `shank`, `ankle`, `wrist`, `arm`, `thigh`, `pocket`), any case.
    pub fn parse(name: &str) -> Option<Placement> {
        Some(match name.trim().to_ascii_lowercase().as_str() {
            "trunk" | "chest" | "waist" | "lower-back" | "lowback" | "sacrum" | "hip" => {
                Placement::Trunk
            }
            "foot" | "shoe" | "shank" | "ankle" => Placement::Foot,
            "wrist" | "arm" => Placement::Wrist,
            "thigh" | "pocket" => Placement::Thigh,
            _ => return None,
        })
    }
}

/// Everything one input file holds.
#[derive(Debug, Clone)]
pub struct Recording {
    /// The input path as given.
    pub path: PathBuf,
    /// Dialect name (`fit`, `fit-csv-tool`, `records-csv`, `wahoo-csv`, …).
    pub format: &'static str,
    /// Device description when known (`garmin fenix5`).
    pub device: Option<String>,
    /// Sensors attached to the recording device (`heart_rate strap`, `footpod` …), informative.
    pub sensors: Vec<String>,
    /// Unix seconds of `time_s = 0`, when the file has an absolute clock.
    pub start_unix_s: Option<f64>,
    /// Local time minus UTC, seconds, when the file says (FIT `activity.local_timestamp`).
    pub utc_offset_s: Option<i64>,
    /// The file's own start, Unix s, when it was implausible and so left out of
    /// `start_unix_s` (see [`crate::time::TimeBounds`]).
    pub rejected_start_unix_s: Option<f64>,
    /// Per-record data.
    pub series: Series,
    /// Sessions (sport legs) the file declares; empty for formats without them.
    pub sessions: Vec<SessionInfo>,
    /// Timer-stopped intervals the file declares.
    pub pauses: Vec<Pause>,
    /// Where the dynamics sensor sat, when the file tells.
    pub placement: Option<Placement>,
    /// Observations made while reading.
    pub warnings: Vec<Warning>,
}

impl Recording {
    /// An empty recording for `path` in `format`.
    pub fn new(path: PathBuf, format: &'static str) -> Self {
        Recording {
            path,
            format,
            device: None,
            sensors: Vec::new(),
            start_unix_s: None,
            utc_offset_s: None,
            rejected_start_unix_s: None,
            series: Series::new(),
            sessions: Vec::new(),
            pauses: Vec::new(),
            placement: None,
            warnings: Vec::new(),
        }
    }

    /// Record a warning.
    pub fn warn(&mut self, code: WarningCode, message: impl Into<String>) {
        self.warnings.push(Warning::new(code, message));
    }
}

// ---- Raw sensor signals (what the raw readers produce and the signal stage reads) ----

/// Accelerometer units.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum AccelUnit {
    /// Multiples of standard gravity (9.80665 m/s²).
    #[serde(rename = "g")]
    G,
    /// Metres per second squared.
    #[serde(rename = "m/s^2")]
    Mps2,
}

/// Time-column units for numeric time stamps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TimeUnit {
    /// Seconds.
    S,
    /// Milliseconds.
    Ms,
    /// Microseconds.
    Us,
    /// Nanoseconds.
    Ns,
}

impl TimeUnit {
    /// Seconds per unit.
    pub fn seconds(self) -> f64 {
        match self {
            TimeUnit::S => 1.0,
            TimeUnit::Ms => 1e-3,
            TimeUnit::Us => 1e-6,
            TimeUnit::Ns => 1e-9,
        }
    }
}

/// How a property of the input was decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Decided {
    /// The file says so (header, unit in the column name, dialect documentation).
    Header,
    /// Inferred from the values (e.g. median |a| ≈ 1 → g).
    Inferred,
    /// The user said so on the command line.
    Override,
}

/// Where the time axis came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TimeSource {
    /// A time column in the file.
    Column,
    /// No time column: sample index / rate, the rate from the file header.
    HeaderRate,
    /// No time column: sample index / `--sample-rate`.
    OverrideRate,
}

/// What the three acceleration channels of a [`RawSignal`] mean.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AxisFrame {
    /// The sensor's own x, y, z axes (orientation unknown: the engine aligns them).
    Sensor,
    /// Already anatomical, as the column names say: `acc[0]` vertical (+ up), `acc[1]`
    /// antero-posterior (+ forward), `acc[2]` medio-lateral. `has_ap`/`has_ml` are false when
    /// the file has no such column (the channel is then all zeros).
    Anatomical {
        /// The file has an AP column.
        has_ap: bool,
        /// The file has an ML column.
        has_ml: bool,
    },
}

/// One raw sensor recording in SI units.
#[derive(Debug, Clone)]
pub struct RawSignal {
    /// Input path as given.
    pub path: PathBuf,
    /// Dialect name (`phyphox`, `sensor-logger`, `actigraph-raw`, …).
    pub format: &'static str,
    /// Device description when the file names it (serial, model).
    pub device: Option<String>,
    /// Unix seconds of `time_s[0]`, when the file has an absolute clock.
    pub start_unix_s: Option<f64>,
    /// The file's own start, Unix s, when it was implausible and so left out of
    /// `start_unix_s` (see [`crate::time::TimeBounds`]).
    pub rejected_start_unix_s: Option<f64>,
    /// Seconds from the first sample, in file order (may be non-uniform, may even step back:
    /// preprocessing deals with it). Same length as every channel.
    pub time_s: Vec<f64>,
    /// Where `time_s` came from.
    pub time_source: TimeSource,
    /// Rate stated by the file header or `--sample-rate`, Hz.
    pub stated_rate_hz: Option<f64>,
    /// Acceleration, m/s², in the axes `axes` says (sensor x, y, z unless the file names
    /// vertical/AP/ML columns). NaN = missing sample.
    pub acc_mps2: [Vec<f64>; 3],
    /// What the acceleration channels are.
    pub axes: AxisFrame,
    /// Angular rate in the sensor's axes, deg/s, when the file has a gyroscope.
    pub gyro_dps: Option<[Vec<f64>; 3]>,
    /// Speed over ground per sample, m/s, when the file has a speed column.
    pub speed_mps: Option<Vec<f64>>,
    /// The accelerometer unit of the file, and how it was decided.
    pub accel_unit: (AccelUnit, Decided),
    /// Whether gravity is included (`false` for phyphox "Linear Accelerometer", user
    /// acceleration), and how it was decided.
    pub gravity_included: (bool, Decided),
    /// Observations made while reading (inferred units, skipped rows, …).
    pub warnings: Vec<Warning>,
}

impl RawSignal {
    /// Drop the sample vectors (time, acceleration, gyro, speed) and keep the metadata: what
    /// an owner calls once the samples have been copied into preprocessed segments, so an
    /// hour-long 1 kHz file is not held twice.
    pub fn release_samples(&mut self) {
        self.time_s = Vec::new();
        self.acc_mps2 = Default::default();
        self.gyro_dps = None;
        self.speed_mps = None;
    }

    /// Number of samples.
    pub fn len(&self) -> usize {
        self.time_s.len()
    }

    /// True when there are no samples.
    pub fn is_empty(&self) -> bool {
        self.time_s.is_empty()
    }
}
