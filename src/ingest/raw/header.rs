//! The header side of raw exports: the ActiGraph preamble, the header layout (one line, a
//! two-level `sensor × axis` header, or none at all), and what each column holds, decided from
//! its name: the unit in brackets or as a suffix token (`acc_x_g`, `t_s`, `gyr_z_dps`), then the
//! name itself (`x`, `AccelerationX`, `Accelerometer X`, `x-axis`, `gFx`, `gyr_x`,
//! `sacrum_acc_vertical_g`, …).

use super::{AccelUnit, TimeUnit};
use crate::ingest::columns::parse_header_cell;
use crate::time::{self, DateOrder};

/// What the ActiGraph preamble says.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Preamble {
    /// Lines before the column header.
    pub lines: usize,
    /// `at 90 Hz`.
    pub rate_hz: Option<f64>,
    /// Model and serial number.
    pub device: Option<String>,
    /// Start Date + Start Time, read as UTC.
    pub start_unix_s: Option<f64>,
    /// The stated `date format`.
    pub date_order: Option<DateOrder>,
}

/// The first line of an ActiLife CSV export.
pub(crate) fn is_actigraph(first_line: &str) -> bool {
    let l = first_line
        .trim_start_matches('\u{feff}')
        .trim_start()
        .to_ascii_lowercase();
    l.starts_with("---") && l.contains("data file created by actigraph")
}

fn preamble_value<'a>(line: &'a str, key: &str) -> Option<&'a str> {
    let l = line.trim();
    let head = l.get(..key.len())?;
    if head.eq_ignore_ascii_case(key) {
        Some(l[key.len()..].trim_start_matches(':').trim())
    } else {
        None
    }
}

/// Parse the ActiLife preamble (10 lines between dashed rules).
pub(crate) fn actigraph_preamble(text: &str) -> Preamble {
    let clean = |l: &str| {
        l.trim_start_matches('\u{feff}')
            .trim_end_matches([',', ';', '\t', ' ', '\r'])
            .trim()
            .to_string()
    };
    let lines: Vec<String> = text.lines().take(40).map(clean).collect();
    let mut p = Preamble::default();
    let dashed: Vec<usize> = lines
        .iter()
        .enumerate()
        .filter(|(_, l)| l.starts_with("----"))
        .map(|(i, _)| i)
        .collect();
    p.lines = match dashed.get(1) {
        Some(&i) => i + 1,
        None => 10.min(lines.len()),
    };
    let first = lines.first().cloned().unwrap_or_default();
    let tokens: Vec<&str> = first.split_whitespace().collect();
    for (i, t) in tokens.iter().enumerate() {
        let tl = t.to_ascii_lowercase();
        let rate = if tl == "hz" && i > 0 {
            tokens[i - 1].parse::<f64>().ok()
        } else {
            tl.strip_suffix("hz").and_then(|n| n.parse::<f64>().ok())
        };
        if let Some(r) = rate.filter(|r| r.is_finite() && *r > 0.0) {
            p.rate_hz = Some(r);
        }
        if tl == "format" {
            p.date_order =
                tokens
                    .get(i + 1)
                    .and_then(|f| match f.chars().next()?.to_ascii_lowercase() {
                        'm' => Some(DateOrder::Mdy),
                        'd' => Some(DateOrder::Dmy),
                        'y' => Some(DateOrder::Ymd),
                        _ => None,
                    });
        }
    }
    let lower = first.to_ascii_lowercase();
    let model = lower.find("created by ").map(|i| {
        let rest = &first[i + "created by ".len()..];
        let end = rest
            .to_ascii_lowercase()
            .find(" actilife")
            .unwrap_or(rest.len());
        rest[..end].trim().to_string()
    });
    let mut serial = None;
    let (mut start_time, mut start_date) = (None, None);
    for l in lines.iter().take(p.lines) {
        if let Some(v) = preamble_value(l, "Serial Number") {
            serial = Some(v.to_string());
        } else if let Some(v) = preamble_value(l, "Start Time") {
            start_time = time::parse_clock(v);
        } else if let Some(v) = preamble_value(l, "Start Date") {
            start_date = time::parse_date(v, p.date_order.unwrap_or(DateOrder::Mdy));
        }
    }
    p.device = match (model, serial) {
        (Some(m), Some(s)) if !m.is_empty() => Some(format!("{m} {s}")),
        (Some(m), None) if !m.is_empty() => Some(m),
        (_, Some(s)) => Some(format!("ActiGraph {s}")),
        _ => None,
    };
    if let (Some(d), Some(t)) = (start_date, start_time) {
        p.start_unix_s = Some(d as f64 * 86_400.0 + t);
    }
    p
}

/// What a column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Role {
    /// A time column; lower priority numbers win (`epoc` before `timestamp` before
    /// `elapsed`).
    Time(u8),
    /// Accelerometer, sensor axis 0..3.
    Acc(usize),
    /// Accelerometer, anatomical axis (0 vertical, 1 AP, 2 ML).
    Anat(usize),
    /// Gyroscope, sensor axis 0..3.
    Gyro(usize),
    /// Speed over ground.
    Speed,
    /// Anything else (magnetometer, temperature, norms, indices).
    Other,
}

/// A unit as written in a header.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum UnitKind {
    /// An acceleration unit.
    Accel(AccelUnit),
    /// Degrees per second.
    GyroDeg,
    /// Radians per second.
    GyroRad,
    /// A time unit.
    Time(TimeUnit),
    /// A UTC offset (`-0500`), seconds east.
    Offset(i64),
    /// A speed unit: factor to m/s.
    Speed(f64),
    /// Magnetic flux density.
    Magnetic,
    /// Not one gaitguard knows.
    Unknown,
}

/// Classify a unit text.
pub(crate) fn unit_kind(u: &str) -> UnitKind {
    let u = u
        .trim()
        .to_ascii_lowercase()
        .replace(' ', "")
        .replace('²', "^2")
        .replace("**", "^");
    match u.as_str() {
        "g" | "gs" | "gforce" | "g-force" => UnitKind::Accel(AccelUnit::G),
        "m/s^2" | "m/s2" | "ms^-2" | "ms-2" | "m/s/s" | "mps2" | "ms2" | "mss" | "m*s^-2" => {
            UnitKind::Accel(AccelUnit::Mps2)
        }
        "deg/s" | "dps" | "°/s" | "degs" | "degree/s" | "degrees/s" | "deg/sec" | "degps" => {
            UnitKind::GyroDeg
        }
        "rad/s" | "rads" | "radps" | "rad/sec" => UnitKind::GyroRad,
        "s" | "sec" | "secs" | "second" | "seconds" => UnitKind::Time(TimeUnit::S),
        "ms" | "msec" | "millisecond" | "milliseconds" => UnitKind::Time(TimeUnit::Ms),
        "us" | "µs" | "μs" | "usec" | "microsecond" | "microseconds" => {
            UnitKind::Time(TimeUnit::Us)
        }
        "ns" | "nsec" | "nanosecond" | "nanoseconds" => UnitKind::Time(TimeUnit::Ns),
        "m/s" | "mps" => UnitKind::Speed(1.0),
        "km/h" | "kph" | "kmh" | "kmph" => UnitKind::Speed(1.0 / 3.6),
        "mph" => UnitKind::Speed(0.44704),
        "µt" | "μt" | "ut" | "t" | "mt" | "nt" | "gauss" => UnitKind::Magnetic,
        _ => time::parse_utc_offset(&u).map_or(UnitKind::Unknown, UnitKind::Offset),
    }
}

/// Lower-case words of a header name: split at non-alphanumerics and camelCase humps
/// (`AccelerationX` → `acceleration`, `x`).
fn words(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut prev_lower = false;
    for c in s.chars() {
        if !c.is_ascii_alphanumeric() {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            prev_lower = false;
            continue;
        }
        if c.is_ascii_uppercase() && prev_lower && !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
        prev_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        cur.push(c.to_ascii_lowercase());
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// Unit words that may end a snake_case name (`acc_x_g`, `t_s`, `gyr_z_dps`).
const UNIT_WORDS: &[&str] = &[
    "g", "s", "sec", "ms", "us", "ns", "dps", "degs", "rads", "mps2", "ms2", "mss",
];

const ACC_WORDS: &[&str] = &[
    "acc",
    "accel",
    "accelerometer",
    "acceleration",
    "accelerations",
];
const ACC_STEMS: &[&str] = &[
    "acc",
    "accel",
    "accelerometer",
    "acceleration",
    "accelerationincludinggravity",
    "gf",
    "gforce",
];
const GYRO_STEMS: &[&str] = &[
    "gyr",
    "gyro",
    "gyroscope",
    "rotationrate",
    "angularvelocity",
    "angvel",
    "angularrate",
    "omega",
];
const MAG_STEMS: &[&str] = &[
    "mag",
    "magnetometer",
    "magneticfield",
    "magnetic",
    "compass",
];

/// What one header cell says.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ColumnInfo {
    /// What the column holds.
    pub role: Role,
    /// Unit text, from brackets or a suffix word, lower-case.
    pub unit: Option<String>,
    /// The name says accelerometer/gyroscope explicitly (`acc_x`, not a bare `x`).
    pub explicit: bool,
}

fn time_priority(norm: &str) -> Option<u8> {
    Some(match norm {
        "epoc" | "epoch" | "unixtime" | "timeunix" | "unixtimestamp" | "timestampunix"
        | "epochtime" | "timeepoch" => 0,
        "time" | "timestamp" | "datetime" | "timestamputc" | "utctime" | "timeutc" | "t" | "ts" => {
            1
        }
        "secs" | "seconds" | "sec" | "times" => 2,
        "elapsed" | "elapsedtime" | "timeelapsed" | "secondselapsed" | "elapseds" => 3,
        "date" => 4,
        _ => return None,
    })
}

impl ColumnInfo {
    /// A column gaitguard does not read, with its unit.
    fn other(unit: Option<String>) -> ColumnInfo {
        ColumnInfo {
            role: Role::Other,
            unit,
            explicit: false,
        }
    }
}

/// Classify one header cell.
pub(crate) fn classify(cell: &str) -> ColumnInfo {
    let (w, unit) = name_words(cell);
    let norm: String = w.concat();
    if norm.is_empty() {
        return ColumnInfo::other(unit);
    }
    if let Some(p) = time_priority(&norm) {
        return ColumnInfo {
            role: Role::Time(p),
            unit,
            explicit: true,
        };
    }
    if matches!(
        norm.as_str(),
        "speed" | "velocity" | "treadmillspeed" | "beltspeed" | "gpsspeed" | "runningspeed"
    ) {
        return ColumnInfo {
            role: Role::Speed,
            unit,
            explicit: true,
        };
    }
    let uk = unit.as_deref().map(unit_kind);
    if let Some(a) = anatomical_axis(&w, &norm, uk) {
        return ColumnInfo {
            role: Role::Anat(a),
            unit,
            explicit: true,
        };
    }
    sensor_axis(&norm, unit, uk)
}

/// The words of a header cell's name and its unit: the unit in brackets, else a trailing
/// unit word (`acc_x_g` → `g`, when there is a word before it); `axis` words are dropped.
fn name_words(cell: &str) -> (Vec<String>, Option<String>) {
    let hc = parse_header_cell(cell);
    let raw_name = match hc.raw.rfind(['(', '[']) {
        Some(i) if hc.unit.is_some() => &hc.raw[..i],
        _ => hc.raw.as_str(),
    };
    let mut w = words(raw_name);
    let mut unit = hc.unit.clone();
    if unit.is_none() && w.len() >= 2 && UNIT_WORDS.contains(&w[w.len() - 1].as_str()) {
        unit = w.pop();
    }
    w.retain(|t| t != "axis");
    (w, unit)
}

/// The anatomical axis (0 vertical, 1 AP, 2 ML) of an acceleration column named so
/// (`acc_vertical`, `sacrum_acc_ap_g`, `acc_v`, `mediolateral`): a word naming the axis, or
/// the joined name containing it, in a name that says acceleration (a word, an `acc` prefix
/// or an acceleration unit) or is the axis word alone; never for gyroscope or magnetometer
/// units or gyroscope names.
fn anatomical_axis(w: &[String], norm: &str, uk: Option<UnitKind>) -> Option<usize> {
    let accish = w.iter().any(|t| ACC_WORDS.contains(&t.as_str()))
        || norm.starts_with("acc")
        || matches!(uk, Some(UnitKind::Accel(_)));
    let anat = w.iter().find_map(|t| match t.as_str() {
        "vertical" | "vert" | "v" | "vt" => Some(0),
        "anteroposterior" | "ap" => Some(1),
        "mediolateral" | "ml" => Some(2),
        _ => None,
    });
    let full_word = matches!(norm, "vertical" | "anteroposterior" | "mediolateral");
    let anat = anat.or_else(|| {
        if norm.contains("anteroposterior") {
            Some(1)
        } else if norm.contains("mediolateral") {
            Some(2)
        } else if norm.contains("vertical") {
            Some(0)
        } else {
            None
        }
    })?;
    let ok = (accish || full_word)
        && !matches!(
            uk,
            Some(UnitKind::GyroDeg | UnitKind::GyroRad | UnitKind::Magnetic)
        )
        && !GYRO_STEMS.iter().any(|g| norm.contains(g));
    ok.then_some(anat)
}

/// What the part of a sensor-axis name before the axis letter says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stem {
    /// Accelerometer (`acc`, `accel`, `gf`, `a`, …).
    Acc,
    /// Gyroscope (`gyr`, `rotationrate`, `w`, `g`, …).
    Gyro,
    /// Magnetometer (`mag`, `b`, …).
    Mag,
    /// Nothing before the axis letter (`x`).
    Unknown,
}

/// The sensor a stem names; `None` for a stem that names none (`temperaturex`).
fn stem_kind(stem: &str) -> Option<Stem> {
    Some(if stem.is_empty() {
        Stem::Unknown
    } else if GYRO_STEMS.iter().any(|g| stem.ends_with(g)) || stem == "w" || stem == "g" {
        Stem::Gyro
    } else if MAG_STEMS.iter().any(|m| stem.ends_with(m)) || stem == "b" {
        Stem::Mag
    } else if ACC_STEMS.iter().any(|a| stem.ends_with(a)) || stem == "a" {
        Stem::Acc
    } else {
        return None;
    })
}

/// A sensor-axis column: the name ends with x, y or z. The unit decides between sensors
/// when it names one, else the stem; a bare `x` is acceleration; a stem that names no
/// sensor is read only by its unit. g-force columns (Physics Toolbox `gFx`) are in g.
fn sensor_axis(norm: &str, unit: Option<String>, uk: Option<UnitKind>) -> ColumnInfo {
    let axis = match norm.as_bytes()[norm.len() - 1] {
        b'x' => 0,
        b'y' => 1,
        b'z' => 2,
        _ => return ColumnInfo::other(unit),
    };
    let stem = &norm[..norm.len() - 1];
    let Some(k) = stem_kind(stem) else {
        return match uk {
            Some(UnitKind::Accel(_)) => ColumnInfo {
                role: Role::Acc(axis),
                unit,
                explicit: false,
            },
            Some(UnitKind::GyroDeg | UnitKind::GyroRad) => ColumnInfo {
                role: Role::Gyro(axis),
                unit,
                explicit: false,
            },
            _ => ColumnInfo::other(unit),
        };
    };
    let explicit = k != Stem::Unknown;
    // g-force columns (Physics Toolbox gFx) are in g.
    let unit = if unit.is_none() && (stem == "gf" || stem == "gforce") {
        Some("g".to_string())
    } else {
        unit
    };
    let role = match (uk, k) {
        (Some(UnitKind::Magnetic), _) | (None | Some(UnitKind::Unknown), Stem::Mag) => Role::Other,
        (Some(UnitKind::GyroDeg | UnitKind::GyroRad), _) => Role::Gyro(axis),
        (Some(UnitKind::Accel(_)), _) => Role::Acc(axis),
        (_, Stem::Gyro) => Role::Gyro(axis),
        (_, Stem::Mag) => Role::Other,
        (_, Stem::Acc | Stem::Unknown) => Role::Acc(axis),
    };
    ColumnInfo {
        role,
        unit,
        explicit,
    }
}

/// Split a line on `delim` for sniffing (quotes trimmed; no quoting rules).
pub(crate) fn split_simple(line: &str, delim: u8) -> Vec<String> {
    line.trim_end_matches(['\r', '\n'])
        .split(delim as char)
        .map(|c| c.trim().trim_matches('"').to_string())
        .collect()
}

/// A two-level header: row 2 names axes explicitly (`acc_x`, `gyr_z`, …) that repeat across
/// sensor groups named in row 1 (gaitmap/NilsPod `sensor,left_sensor,…` / `axis,acc_x,…`).
pub(crate) fn is_two_level(row1: &[String], row2: &[String]) -> bool {
    let explicit_axes = |row: &[String]| {
        row.iter()
            .map(|c| classify(c))
            .filter(|i| i.explicit && matches!(i.role, Role::Acc(_) | Role::Gyro(_)))
            .count()
    };
    let groups: std::collections::HashSet<&str> = row1
        .iter()
        .skip(1)
        .map(String::as_str)
        .filter(|c| !c.is_empty())
        .collect();
    row1.len() >= 4
        && row2.len() == row1.len()
        && explicit_axes(row2) >= 3
        && explicit_axes(row1) == 0
        && !row1
            .iter()
            .any(|c| matches!(classify(c).role, Role::Time(_)))
        && groups.len() < row1.len() - 1
}

/// A header-less data row: a date-time then three or more numbers (Axivity/OMGUI export).
pub(crate) fn is_headerless_row(cells: &[String]) -> bool {
    cells.len() >= 4
        && time::parse_instant(&cells[0], None, None).is_some()
        && cells[1..]
            .iter()
            .take(6)
            .all(|c| c.trim().parse::<f64>().is_ok())
}

/// Column names of a header-less file with `n` columns.
pub(crate) fn headerless_names(n: usize) -> Vec<String> {
    const NAMES: [&str; 7] = ["time", "x", "y", "z", "gx", "gy", "gz"];
    (0..n)
        .map(|i| {
            NAMES
                .get(i)
                .map_or_else(|| format!("column{}", i + 1), |s| s.to_string())
        })
        .collect()
}

/// The header has accelerometer columns named anatomically (vertical/AP/ML).
pub(crate) fn has_anatomical_accel(cells: &[String]) -> bool {
    cells
        .iter()
        .any(|c| matches!(classify(c).role, Role::Anat(_)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn role(c: &str) -> Role {
        classify(c).role
    }

    #[test]
    fn names_of_every_dialect() {
        assert_eq!(role("Time (s)"), Role::Time(1));
        assert_eq!(role("X (m/s^2)"), Role::Acc(0));
        assert_eq!(role("Acceleration y (m/s^2)"), Role::Acc(1));
        assert_eq!(role("Linear Acceleration z (m/s^2)"), Role::Acc(2));
        assert_eq!(role("Gyroscope x (rad/s)"), Role::Gyro(0));
        assert_eq!(role("X (rad/s)"), Role::Gyro(0));
        assert_eq!(role("Absolute acceleration (m/s^2)"), Role::Other);
        assert_eq!(role("seconds_elapsed"), Role::Time(3));
        assert_eq!(role("AccelerationZ"), Role::Acc(2));
        assert_eq!(role("Accelerometer Y"), Role::Acc(1));
        assert_eq!(role("Gyroscope Z"), Role::Gyro(2));
        assert_eq!(role("Magnetometer X"), Role::Other);
        assert_eq!(role("Temperature"), Role::Other);
        assert_eq!(role("epoc (ms)"), Role::Time(0));
        assert_eq!(role("x-axis (g)"), Role::Acc(0));
        assert_eq!(role("z-axis (deg/s)"), Role::Gyro(2));
        assert_eq!(role("gFx"), Role::Acc(0));
        assert_eq!(role("TgF"), Role::Other);
        assert_eq!(role("wy"), Role::Gyro(1));
        assert_eq!(role("gx"), Role::Gyro(0));
        assert_eq!(role("date_time"), Role::Time(1));
        assert_eq!(role("t_s"), Role::Time(1));
        assert_eq!(role("acc_x_g"), Role::Acc(0));
        assert_eq!(role("gyr_z_dps"), Role::Gyro(2));
        assert_eq!(role("sacrum_acc_vertical_g"), Role::Anat(0));
        assert_eq!(role("sacrum_acc_ap_g"), Role::Anat(1));
        assert_eq!(role("acc_ml"), Role::Anat(2));
        assert_eq!(role("mediolateral"), Role::Anat(2));
        assert_eq!(role("vertical_oscillation"), Role::Other);
        assert_eq!(role("axis"), Role::Other);
        assert_eq!(role("index"), Role::Other);
        assert_eq!(role("speed"), Role::Speed);
        assert_eq!(classify("acc_x_g").unit.as_deref(), Some("g"));
        assert_eq!(classify("t_s").unit.as_deref(), Some("s"));
        assert_eq!(classify("gFz").unit.as_deref(), Some("g"));
        assert!(!classify("x").explicit);
        assert!(classify("acc_x").explicit);
    }

    #[test]
    fn classify_steps() {
        let (w, unit) = name_words("Acc X axis (m/s^2)");
        assert_eq!(
            (w, unit.as_deref()),
            (vec!["acc".to_string(), "x".into()], Some("m/s^2"))
        );
        let (w, unit) = name_words("sacrum_acc_ap_g");
        assert_eq!(
            (w.concat(), unit.as_deref()),
            ("sacrumaccap".to_string(), Some("g"))
        );
        let (w, unit) = name_words("g");
        assert_eq!((w.concat(), unit), ("g".to_string(), None));
        let words = |s: &str| name_words(s).0;
        assert_eq!(anatomical_axis(&words("acc_v"), "accv", None), Some(0));
        assert_eq!(
            anatomical_axis(&words("mediolateral"), "mediolateral", None),
            Some(2)
        );
        assert_eq!(anatomical_axis(&words("ap"), "ap", None), None);
        assert_eq!(
            anatomical_axis(&words("acc_v"), "accv", Some(UnitKind::GyroDeg)),
            None
        );
        assert_eq!(stem_kind(""), Some(Stem::Unknown));
        assert_eq!(stem_kind("g"), Some(Stem::Gyro));
        assert_eq!(stem_kind("gf"), Some(Stem::Acc));
        assert_eq!(stem_kind("b"), Some(Stem::Mag));
        assert_eq!(stem_kind("temperature"), None);
        let gf = sensor_axis("gfx", None, None);
        assert_eq!(
            (gf.role, gf.unit.as_deref(), gf.explicit),
            (Role::Acc(0), Some("g"), true)
        );
        let t = sensor_axis("tempz", Some("rad/s".into()), Some(UnitKind::GyroRad));
        assert_eq!((t.role, t.explicit), (Role::Gyro(2), false));
        assert_eq!(sensor_axis("magy", None, None).role, Role::Other);
        assert_eq!(sensor_axis("accel", None, None).role, Role::Other);
    }

    #[test]
    fn units() {
        assert_eq!(unit_kind("m/s^2"), UnitKind::Accel(AccelUnit::Mps2));
        assert_eq!(unit_kind("m/s²"), UnitKind::Accel(AccelUnit::Mps2));
        assert_eq!(unit_kind("g"), UnitKind::Accel(AccelUnit::G));
        assert_eq!(unit_kind("rad/s"), UnitKind::GyroRad);
        assert_eq!(unit_kind("dps"), UnitKind::GyroDeg);
        assert_eq!(unit_kind("ns"), UnitKind::Time(TimeUnit::Ns));
        assert_eq!(unit_kind("-0500"), UnitKind::Offset(-5 * 3600));
        assert_eq!(unit_kind("+02:00"), UnitKind::Offset(7200));
        assert_eq!(unit_kind("furlongs"), UnitKind::Unknown);
    }

    #[test]
    fn actigraph_preamble_lines() {
        let text = "------------ Data File Created By ActiGraph GT3X+ ActiLife v6.13.3 Firmware v1.7.2 date format d/M/yyyy at 30 Hz  Filter Normal -----------,,\n\
Serial Number: ABC123,,\nStart Time 10:00:00,,\nStart Date 14/2/2019,,\nEpoch Period (hh:mm:ss) 00:00:00,,\n\
Download Time 09:03:03,,\nDownload Date 2/14/2019,,\nCurrent Memory Address: 0,,\nCurrent Battery Voltage: 4.15     Mode = 12,,\n\
--------------------------------------------------,,\nAccelerometer X,Accelerometer Y,Accelerometer Z\n0,0,1\n";
        let p = actigraph_preamble(text);
        assert_eq!(p.lines, 10);
        assert_eq!(p.rate_hz, Some(30.0));
        assert_eq!(p.date_order, Some(DateOrder::Dmy));
        assert_eq!(p.device.as_deref(), Some("ActiGraph GT3X+ ABC123"));
        // 2019-02-14T10:00:00Z
        assert_eq!(p.start_unix_s, Some(1_550_138_400.0));
    }

    #[test]
    fn layouts() {
        let s = |l: &str| split_simple(l, b',');
        assert!(is_two_level(
            &s("sensor,left_sensor,right_sensor,left_sensor,right_sensor"),
            &s("axis,acc_x,acc_x,acc_y,acc_y")
        ));
        // Motion-capture markers: bare x,y,z are not sensor axes.
        assert!(!is_two_level(
            &s(",L_TOE,L_TOE,L_TOE,R_TOE"),
            &s(",x,y,z,x")
        ));
        // An ordinary header followed by data.
        assert!(!is_two_level(
            &s("t_s,acc_x_g,acc_y_g,acc_z_g"),
            &s("0.00,0.98,-0.05,-0.01")
        ));
        assert!(is_headerless_row(&s(
            "2019-01-01 10:00:00.000,0.1,-0.9,0.2"
        )));
        assert!(!is_headerless_row(&s("time,x,y,z")));
        assert!(!is_headerless_row(&s("0.01,0.1,-0.9,0.2")));
    }
}
