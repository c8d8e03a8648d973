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
    // Columns by name: --map first, then what the names say.
    let find = |name: &str| -> Option<usize> {
        let n = name.trim();
        cols.iter()
            .position(|c| c.name == n)
            .or_else(|| cols.iter().position(|c| c.name.eq_ignore_ascii_case(n)))
            .or_else(|| cols.iter().position(|c| c.sub.eq_ignore_ascii_case(n)))
    };
    let mapped = |what: &str, name: &Option<String>| -> Result<Option<usize>, IngestError> {
        match name {
            None => Ok(None),
            Some(n) => find(n).map(Some).ok_or_else(|| IngestError::UnknownFormat {
                path: path.to_path_buf(),
                reason: format!(
                    "--map {what}={n}: no such column (columns: {})",
                    list_columns(cols)
                ),
            }),
        }
    };
    const ACC_FIELDS: [&str; 3] = ["acc_x", "acc_y", "acc_z"];
    const GYR_FIELDS: [&str; 3] = ["gyr_x", "gyr_y", "gyr_z"];
    let time_map = mapped("time", &opts.time_column)?;
    let mut acc_map = [None; 3];
    let mut gyr_map = [None; 3];
    for i in 0..3 {
        acc_map[i] = mapped(ACC_FIELDS[i], &opts.acc_columns[i])?;
        gyr_map[i] = mapped(GYR_FIELDS[i], &opts.gyro_columns[i])?;
    }
    let speed_map = mapped("speed", &opts.speed_column)?;

    // The sensor group (two-level headers): the one --map names, else the first.
    let group: Option<String> = acc_map
        .iter()
        .chain(gyr_map.iter())
        .flatten()
        .find_map(|&i| cols[i].group.clone())
        .or_else(|| {
            cols.iter()
                .find(|c| c.group.is_some() && matches!(c.info.role, Role::Acc(_) | Role::Anat(_)))
                .and_then(|c| c.group.clone())
        });
    let mut used: Vec<usize> = time_map
        .iter()
        .chain(acc_map.iter().flatten())
        .chain(gyr_map.iter().flatten())
        .chain(speed_map.iter())
        .copied()
        .collect();
    let pick = |role: Role, used: &mut Vec<usize>| -> Option<usize> {
        let i = cols.iter().enumerate().position(|(i, c)| {
            c.info.role == role
                && !used.contains(&i)
                && (c.group.is_none() || group.is_none() || c.group == group)
        })?;
        used.push(i);
        Some(i)
    };
    let time_col = time_map.or_else(|| {
        cols.iter()
            .enumerate()
            .filter_map(|(i, c)| match c.info.role {
                Role::Time(p) if !used.contains(&i) => Some((p, i)),
                _ => None,
            })
            .min()
            .map(|(_, i)| i)
    });
    if let Some(t) = time_col {
        used.push(t);
    }
    let mut acc = acc_map;
    for (i, a) in acc.iter_mut().enumerate() {
        if a.is_none() {
            *a = pick(Role::Acc(i), &mut used);
        }
    }
    let anat = [0, 1, 2].map(|i| pick(Role::Anat(i), &mut used));
    let mut gyr = gyr_map;
    for (i, g) in gyr.iter_mut().enumerate() {
        if g.is_none() {
            *g = pick(Role::Gyro(i), &mut used);
        }
    }
    let speed_col = speed_map.or_else(|| pick(Role::Speed, &mut used));

    let sensor_complete = acc.iter().all(Option::is_some);
    let any_acc_map = acc_map.iter().any(Option::is_some);
    let (axes, acc_cols) = if any_acc_map
        || sensor_complete
        || (anat[0].is_none() && acc.iter().any(Option::is_some))
    {
        (AxisFrame::Sensor, acc)
    } else if anat[0].is_some() {
        (
            AxisFrame::Anatomical {
                has_ap: anat[1].is_some(),
                has_ml: anat[2].is_some(),
            },
            anat,
        )
    } else if gyr.iter().any(Option::is_some) {
        return Err(IngestError::NoData {
            path: path.to_path_buf(),
            reason: format!(
                "only gyroscope columns and no accelerometer (columns: {}): gaitguard needs the accelerometer export of this recording",
                list_columns(cols)
            ),
        });
    } else {
        return Err(IngestError::UnknownFormat {
            path: path.to_path_buf(),
            reason: format!(
                "no accelerometer column found (columns: {}); name them with --map acc_x=COLUMN --map acc_y=COLUMN --map acc_z=COLUMN",
                list_columns(cols)
            ),
        });
    };
    if axes == AxisFrame::Sensor && !acc_cols.iter().all(Option::is_some) {
        let missing: Vec<&str> = (0..3)
            .filter(|&i| acc_cols[i].is_none())
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
    let gyr_found = gyr.iter().filter(|g| g.is_some()).count();
    let gyr = if gyr_found == 3 {
        Some(gyr)
    } else {
        if gyr_found > 0 {
            warnings.push(Warning::new(
                WarningCode::GyroIncomplete,
                "the gyroscope has fewer than three axes in the file; it is not used",
            ));
        }
        None
    };
    Ok(Selection {
        time: time_col,
        acc: acc_cols,
        axes,
        gyro: gyr,
        speed: speed_col,
    })
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
