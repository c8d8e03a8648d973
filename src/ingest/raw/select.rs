//! Which columns are read: `--map` first, then what the names say; for two-level headers one
//! sensor group (the one `--map` names, else the first); sensor axes, or anatomical
//! vertical/AP/ML columns when the file names those instead.

use super::header::{ColumnInfo, Role};
use super::{AxisFrame, RawOptions};
use crate::error::IngestError;
use crate::recording::Warning;
use crate::vocab::WarningCode;
use std::path::Path;

/// One header column.
pub(crate) struct Col {
    /// Name as shown and as `--map` names it (two-level headers: `group.axis`).
    pub name: String,
    /// Name within its group (the second header row), or the name.
    pub sub: String,
    /// Sensor group of a two-level header (`left_sensor`).
    pub group: Option<String>,
    /// What the name says.
    pub info: ColumnInfo,
}

impl Col {
    /// A column of a one-line header: no group, its own name throughout.
    pub fn plain(name: String) -> Col {
        Col {
            info: super::header::classify(&name),
            sub: name.clone(),
            name,
            group: None,
        }
    }
}

/// The columns chosen, by index.
pub(crate) struct Selection {
    /// Time column.
    pub time: Option<usize>,
    /// Acceleration channels in the order `axes` says.
    pub acc: [Option<usize>; 3],
    /// Sensor or anatomical axes.
    pub axes: AxisFrame,
    /// Gyroscope x, y, z (all three, or none).
    pub gyro: Option<[Option<usize>; 3]>,
    /// Speed column.
    pub speed: Option<usize>,
}

/// The columns `--map` names, by index.
struct Mapped {
    time: Option<usize>,
    acc: [Option<usize>; 3],
    gyro: [Option<usize>; 3],
    speed: Option<usize>,
}

const ACC_FIELDS: [&str; 3] = ["acc_x", "acc_y", "acc_z"];
const GYR_FIELDS: [&str; 3] = ["gyr_x", "gyr_y", "gyr_z"];

/// Choose the columns to read.
///
/// # Errors
/// [`IngestError::UnknownFormat`] for a `--map` column that is not in the header or when no
/// accelerometer column is found; [`IngestError::NoData`] for a gyroscope-only file.
pub(crate) fn select(
    path: &Path,
    cols: &[Col],
    opts: &RawOptions,
    warnings: &mut Vec<Warning>,
) -> Result<Selection, IngestError> {
    let mapped = mapped_columns(path, cols, opts)?;
    let mut picker = Picker {
        cols,
        group: sensor_group(cols, &mapped),
        used: mapped
            .time
            .iter()
            .chain(mapped.acc.iter().flatten())
            .chain(mapped.gyro.iter().flatten())
            .chain(mapped.speed.iter())
            .copied()
            .collect(),
    };
    let time = mapped.time.or_else(|| best_time_column(cols, &picker.used));
    picker.used.extend(time);
    let acc = fill(mapped.acc, |i| picker.pick(Role::Acc(i)));
    let anat = [0, 1, 2].map(|i| picker.pick(Role::Anat(i)));
    let gyro = fill(mapped.gyro, |i| picker.pick(Role::Gyro(i)));
    let speed = mapped.speed.or_else(|| picker.pick(Role::Speed));
    let any_acc_map = mapped.acc.iter().any(Option::is_some);
    let (axes, acc) = choose_axes(path, cols, any_acc_map, acc, anat, &gyro)?;
    if axes == AxisFrame::Sensor {
        warn_missing_axes(&acc, warnings);
    }
    Ok(Selection {
        time,
        acc,
        axes,
        gyro: complete_gyro(gyro, warnings),
        speed,
    })
}

/// The column `name` (trimmed): the exact name, else the name ignoring case, else the name
/// within its group ignoring case.
fn find_column(cols: &[Col], name: &str) -> Option<usize> {
    let n = name.trim();
    cols.iter()
        .position(|c| c.name == n)
        .or_else(|| cols.iter().position(|c| c.name.eq_ignore_ascii_case(n)))
        .or_else(|| cols.iter().position(|c| c.sub.eq_ignore_ascii_case(n)))
}

/// The columns `--map` names.
///
/// # Errors
/// [`IngestError::UnknownFormat`] naming the first `--map` column (time, acc x/y/z and
/// gyro x/y/z interleaved, speed) that is not in the header.
fn mapped_columns(path: &Path, cols: &[Col], opts: &RawOptions) -> Result<Mapped, IngestError> {
    let mapped = |what: &str, name: &Option<String>| -> Result<Option<usize>, IngestError> {
        match name {
            None => Ok(None),
            Some(n) => find_column(cols, n)
                .map(Some)
                .ok_or_else(|| IngestError::UnknownFormat {
                    path: path.to_path_buf(),
                    reason: format!(
                        "--map {what}={n}: no such column (columns: {})",
                        list_columns(cols)
                    ),
                }),
        }
    };
    let time = mapped("time", &opts.time_column)?;
    let mut acc = [None; 3];
    let mut gyro = [None; 3];
    for i in 0..3 {
        acc[i] = mapped(ACC_FIELDS[i], &opts.acc_columns[i])?;
        gyro[i] = mapped(GYR_FIELDS[i], &opts.gyro_columns[i])?;
    }
    let speed = mapped("speed", &opts.speed_column)?;
    Ok(Mapped {
        time,
        acc,
        gyro,
        speed,
    })
}

/// The sensor group of a two-level header: the group of the first mapped acc/gyro column,
/// else the first group with an accelerometer column.
fn sensor_group(cols: &[Col], mapped: &Mapped) -> Option<String> {
    mapped
        .acc
        .iter()
        .chain(mapped.gyro.iter())
        .flatten()
        .find_map(|&i| cols[i].group.clone())
        .or_else(|| {
            cols.iter()
                .find(|c| c.group.is_some() && matches!(c.info.role, Role::Acc(_) | Role::Anat(_)))
                .and_then(|c| c.group.clone())
        })
}

/// The unused time column of best (lowest) priority, the first of equals.
fn best_time_column(cols: &[Col], used: &[usize]) -> Option<usize> {
    cols.iter()
        .enumerate()
        .filter_map(|(i, c)| match c.info.role {
            Role::Time(p) if !used.contains(&i) => Some((p, i)),
            _ => None,
        })
        .min()
        .map(|(_, i)| i)
}

/// Picks columns by role, each once, within the sensor group.
struct Picker<'a> {
    cols: &'a [Col],
    group: Option<String>,
    used: Vec<usize>,
}

impl Picker<'_> {
    /// The first unused column in `role` (in the sensor group, or ungrouped), marked used.
    fn pick(&mut self, role: Role) -> Option<usize> {
        let i = self.cols.iter().enumerate().position(|(i, c)| {
            c.info.role == role
                && !self.used.contains(&i)
                && (c.group.is_none() || self.group.is_none() || c.group == self.group)
        })?;
        self.used.push(i);
        Some(i)
    }
}

/// `mapped` with each empty axis `i` filled by `pick(i)`, in axis order.
fn fill(
    mut mapped: [Option<usize>; 3],
    mut pick: impl FnMut(usize) -> Option<usize>,
) -> [Option<usize>; 3] {
    for (i, a) in mapped.iter_mut().enumerate() {
        if a.is_none() {
            *a = pick(i);
        }
    }
    mapped
}

/// Sensor axes when `--map` names an acceleration column, all three sensor axes are found,
/// or some are and no vertical column is; else anatomical axes when there is a vertical
/// column.
///
/// # Errors
/// [`IngestError::NoData`] when only gyroscope columns are found,
/// [`IngestError::UnknownFormat`] when nothing is.
fn choose_axes(
    path: &Path,
    cols: &[Col],
    any_acc_map: bool,
    acc: [Option<usize>; 3],
    anat: [Option<usize>; 3],
    gyro: &[Option<usize>; 3],
) -> Result<(AxisFrame, [Option<usize>; 3]), IngestError> {
    let sensor_complete = acc.iter().all(Option::is_some);
    if any_acc_map || sensor_complete || (anat[0].is_none() && acc.iter().any(Option::is_some)) {
        Ok((AxisFrame::Sensor, acc))
    } else if anat[0].is_some() {
        let axes = AxisFrame::Anatomical {
            has_ap: anat[1].is_some(),
            has_ml: anat[2].is_some(),
        };
        Ok((axes, anat))
    } else if gyro.iter().any(Option::is_some) {
        Err(IngestError::NoData {
            path: path.to_path_buf(),
            reason: format!(
                "only gyroscope columns and no accelerometer (columns: {}): gaitguard needs the accelerometer export of this recording",
                list_columns(cols)
            ),
        })
    } else {
        Err(IngestError::UnknownFormat {
            path: path.to_path_buf(),
            reason: format!(
                "no accelerometer column found (columns: {}); name them with --map acc_x=COLUMN --map acc_y=COLUMN --map acc_z=COLUMN",
                list_columns(cols)
            ),
        })
    }
}

/// Warn (`acc_axis_missing`) about sensor axes without a column: they read as zeros.
fn warn_missing_axes(acc: &[Option<usize>; 3], warnings: &mut Vec<Warning>) {
    if acc.iter().all(Option::is_some) {
        return;
    }
    let missing: Vec<&str> = (0..3)
        .filter(|&i| acc[i].is_none())
        .map(|i| ACC_FIELDS[i])
        .collect();
    warnings.push(Warning::new(
        WarningCode::AccAxisMissing,
        format!(
            "no column for {}: that channel is all zeros",
            missing.join(", ")
        ),
    ));
}

/// The gyroscope when all three axes are found; with one or two, `gyro_incomplete` and none.
fn complete_gyro(
    gyro: [Option<usize>; 3],
    warnings: &mut Vec<Warning>,
) -> Option<[Option<usize>; 3]> {
    let found = gyro.iter().filter(|g| g.is_some()).count();
    if found == 3 {
        return Some(gyro);
    }
    if found > 0 {
        warnings.push(Warning::new(
            WarningCode::GyroIncomplete,
            "the gyroscope has fewer than three axes in the file; it is not used",
        ));
    }
    None
}

pub(crate) fn list_columns(cols: &[Col]) -> String {
    let names: Vec<&str> = cols.iter().map(|c| c.name.as_str()).collect();
    let mut s = names
        .iter()
        .take(40)
        .copied()
        .collect::<Vec<_>>()
        .join(", ");
    if names.len() > 40 {
        s.push_str(", …");
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cols(names: &[&str]) -> Vec<Col> {
        names.iter().map(|n| Col::plain(n.to_string())).collect()
    }

    fn grouped(group: &str, sub: &str) -> Col {
        Col {
            info: super::super::header::classify(sub),
            name: format!("{group}.{sub}"),
            sub: sub.to_string(),
            group: Some(group.to_string()),
        }
    }

    fn sel(c: &[Col], opts: &RawOptions) -> (Result<Selection, IngestError>, Vec<Warning>) {
        let mut w = Vec::new();
        (select(Path::new("f.csv"), c, opts, &mut w), w)
    }

    #[test]
    fn names_then_map() {
        let c = cols(&["elapsed", "epoch", "x", "y", "z", "gx", "gy"]);
        let (s, w) = sel(&c, &RawOptions::default());
        let s = s.unwrap();
        // `epoch` outranks `elapsed`.
        assert_eq!(
            (s.time, s.acc, s.axes),
            (Some(1), [Some(2), Some(3), Some(4)], AxisFrame::Sensor)
        );
        assert_eq!(s.gyro, None);
        assert_eq!(w[0].code, WarningCode::GyroIncomplete);
        let opts = RawOptions {
            time_column: Some(" ELAPSED ".into()),
            acc_columns: [Some("gx".into()), None, None],
            ..RawOptions::default()
        };
        let (s, w) = sel(&c, &opts);
        let s = s.unwrap();
        assert_eq!((s.time, s.acc), (Some(0), [Some(5), Some(3), Some(4)]));
        // `gx` went to acc_x: the gyroscope has `gy` only.
        assert_eq!(w.len(), 1);
        let opts = RawOptions {
            speed_column: Some("nope".into()),
            ..RawOptions::default()
        };
        assert!(matches!(
            sel(&c, &opts).0,
            Err(IngestError::UnknownFormat { .. })
        ));
    }

    #[test]
    fn anatomical_missing_and_gyro_only() {
        let c = cols(&["t", "acc_vertical_g", "acc_ap_g"]);
        let s = sel(&c, &RawOptions::default()).0.unwrap();
        assert_eq!(
            s.axes,
            AxisFrame::Anatomical {
                has_ap: true,
                has_ml: false
            }
        );
        assert_eq!(s.acc, [Some(1), Some(2), None]);
        let (s, w) = sel(&cols(&["t", "x", "z"]), &RawOptions::default());
        assert_eq!(s.unwrap().acc, [Some(1), None, Some(2)]);
        assert_eq!(
            w[0].message,
            "no column for acc_y: that channel is all zeros"
        );
        let gyro_only = cols(&["t", "gyr_x", "gyr_y", "gyr_z"]);
        assert!(matches!(
            sel(&gyro_only, &RawOptions::default()).0,
            Err(IngestError::NoData { .. })
        ));
        assert!(matches!(
            sel(&cols(&["t", "temp"]), &RawOptions::default()).0,
            Err(IngestError::UnknownFormat { .. })
        ));
    }

    #[test]
    fn the_first_group_unless_mapped() {
        let mut c = vec![Col::plain("index".into())];
        for g in ["left", "right"] {
            for a in ["acc_x", "acc_y", "acc_z"] {
                c.push(grouped(g, a));
            }
        }
        let s = sel(&c, &RawOptions::default()).0.unwrap();
        assert_eq!(s.acc, [Some(1), Some(2), Some(3)]);
        let opts = RawOptions {
            acc_columns: [Some("right.acc_x".into()), None, None],
            sample_rate_hz: Some(100.0),
            ..RawOptions::default()
        };
        let s = sel(&c, &opts).0.unwrap();
        assert_eq!(s.acc, [Some(4), Some(5), Some(6)]);
    }
}
