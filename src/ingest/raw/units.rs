//! The last steps of reading a raw export: decide the accelerometer unit and whether gravity
//! is in the signal (`--accel-unit`/`--gravity`, the header, the dialect's documented default,
//! else the values), say what was inferred, and convert every channel to SI: acceleration to
//! m/s², angular rate to deg/s, speed to m/s.

use super::header::{UnitKind, unit_kind};
use super::infer::{self, AccelStats};
use super::select::Col;
use super::{AccelUnit, Decided, RawOptions, TimeUnit, fmt_num};
use crate::ingest::Dialect;
use crate::recording::Warning;
use crate::units::STANDARD_GRAVITY_MPS2;
use crate::vocab::WarningCode;

/// The accelerometer unit and gravity, each with how it was decided, and the statistics of
/// |a| when the values had to be looked at.
pub(crate) struct AccelDecision {
    /// The file's accelerometer unit.
    pub unit: (AccelUnit, Decided),
    /// Whether gravity is included.
    pub gravity_included: (bool, Decided),
    /// |a| statistics in the file's unit, when computed (and any sample was finite).
    pub stats: Option<AccelStats>,
}

/// The acceleration unit the header states on any of the acceleration columns.
fn header_accel_unit(cols: &[Col], acc_cols: &[Option<usize>; 3]) -> Option<AccelUnit> {
    acc_cols
        .iter()
        .flatten()
        .find_map(|&c| match cols[c].info.unit.as_deref().map(unit_kind) {
            Some(UnitKind::Accel(u)) => Some(u),
            _ => None,
        })
}

/// The dialect's documented accelerometer unit and gravity: phyphox and Sensor Logger write
/// m/s²; ActiGraph and MetaMotion write g with gravity; Physics Toolbox `gFx` columns are g
/// with gravity (`g_force`).
fn dialect_accel(dialect: Dialect, g_force: bool) -> (Option<AccelUnit>, Option<bool>) {
    let unit = match dialect {
        Dialect::Phyphox | Dialect::SensorLogger => Some(AccelUnit::Mps2),
        Dialect::ActigraphRaw | Dialect::ActigraphImu | Dialect::MetaMotion => Some(AccelUnit::G),
        Dialect::PhysicsToolbox if g_force => Some(AccelUnit::G),
        _ => None,
    };
    let gravity = match dialect {
        Dialect::ActigraphRaw | Dialect::ActigraphImu | Dialect::MetaMotion => Some(true),
        Dialect::PhysicsToolbox if g_force => Some(true),
        _ => None,
    };
    (unit, gravity)
}

/// `--accel-unit`/`--gravity` first, then the header, then the dialect; what is still
/// unknown is inferred from the values `acc` (in the file's unit).
pub(crate) fn decide_accel(
    opts: &RawOptions,
    dialect: Dialect,
    cols: &[Col],
    acc_cols: &[Option<usize>; 3],
    acc: &[Option<Vec<f64>>; 3],
) -> AccelDecision {
    let g_force = acc_cols
        .iter()
        .flatten()
        .any(|&c| cols[c].sub.to_ascii_lowercase().starts_with("gf"));
    let (dialect_unit, dialect_gravity) = dialect_accel(dialect, g_force);
    let header_unit = header_accel_unit(cols, acc_cols);
    let known_unit = match (opts.accel_unit, header_unit.or(dialect_unit)) {
        (Some(u), _) => Some((u, Decided::Override)),
        (None, Some(u)) => Some((u, Decided::Header)),
        _ => None,
    };
    let known_gravity = match (opts.gravity_included, dialect_gravity) {
        (Some(g), _) => Some((g, Decided::Override)),
        (None, Some(g)) => Some((g, Decided::Header)),
        _ => None,
    };
    let stats = || infer::accel_stats([acc[0].as_deref(), acc[1].as_deref(), acc[2].as_deref()]);
    let (unit, gravity_included, stats) = match (known_unit, known_gravity) {
        (Some(u), Some(g)) => (u, g, None),
        (Some(u), None) => {
            let s = stats();
            let g = s.as_ref().is_none_or(|s| infer::infer_gravity(s, u.0));
            (u, (g, Decided::Inferred), s)
        }
        (None, Some(g)) => {
            let s = stats();
            let u = s
                .as_ref()
                .map_or(AccelUnit::G, |s| infer::infer_accel_unit(s, g.0));
            ((u, Decided::Inferred), g, s)
        }
        (None, None) => {
            let s = stats();
            let g = s.as_ref().is_none_or(infer::has_steady_component);
            let u = s
                .as_ref()
                .map_or(AccelUnit::G, |s| infer::infer_accel_unit(s, g));
            ((u, Decided::Inferred), (g, Decided::Inferred), s)
        }
    };
    AccelDecision {
        unit,
        gravity_included,
        stats,
    }
}

fn unit_name(u: AccelUnit) -> &'static str {
    match u {
        AccelUnit::G => "g",
        AccelUnit::Mps2 => "m/s²",
    }
}

/// m/s² per unit.
fn mps2_per(u: AccelUnit) -> f64 {
    match u {
        AccelUnit::G => STANDARD_GRAVITY_MPS2,
        AccelUnit::Mps2 => 1.0,
    }
}

/// Say what was inferred: `accel_units_inferred` (with the median and 95th percentile of
/// |a|), then `gravity_removed` (with the mean vector length in m/s²).
pub(crate) fn warn_inferred(d: &AccelDecision, warnings: &mut Vec<Warning>) {
    if d.unit.1 == Decided::Inferred {
        let msg = match &d.stats {
            Some(s) => format!(
                "the accelerometer columns name no unit; median |a| {} (95th percentile {}) read as {}; pass --accel-unit to override",
                fmt_num(s.median_norm),
                fmt_num(s.p95_norm),
                unit_name(d.unit.0)
            ),
            None => format!(
                "the accelerometer columns name no unit and hold no finite value; read as {}",
                unit_name(d.unit.0)
            ),
        };
        warnings.push(Warning::new(WarningCode::AccelUnitsInferred, msg));
    }
    if d.gravity_included == (false, Decided::Inferred) {
        let mean = d.stats.as_ref().map_or(f64::NAN, |s| s.mean_norm);
        warnings.push(Warning::new(
            WarningCode::GravityRemoved,
            format!(
                "the acceleration has no steady gravity component (mean vector {} m/s²): read as linear, gravity-removed acceleration; pass --gravity included to override",
                fmt_num(mean * mps2_per(d.unit.0))
            ),
        ));
    }
}

/// Acceleration in m/s² from `unit`; a channel without a column becomes `n` zeros.
pub(crate) fn acc_to_mps2(acc: [Option<Vec<f64>>; 3], unit: AccelUnit, n: usize) -> [Vec<f64>; 3] {
    let factor = mps2_per(unit);
    acc.map(|c| match c {
        Some(mut v) => {
            if factor != 1.0 {
                v.iter_mut().for_each(|x| *x *= factor);
            }
            v
        }
        None => vec![0.0; n],
    })
}

/// Angular rate in deg/s: rad/s when the header says so or the dialect writes rad/s
/// (phyphox, Sensor Logger, Physics Toolbox); deg/s when the header or dialect (ActiGraph,
/// MetaMotion) says so, else deg/s with a `gyro_units_assumed` warning.
pub(crate) fn gyro_to_dps(
    gyro: Option<[Vec<f64>; 3]>,
    gyro_cols: Option<[Option<usize>; 3]>,
    cols: &[Col],
    dialect: Dialect,
    warnings: &mut Vec<Warning>,
) -> Option<[Vec<f64>; 3]> {
    let (mut g, gc) = gyro.zip(gyro_cols)?;
    let header_rad =
        gc.iter()
            .flatten()
            .find_map(|&c| match cols[c].info.unit.as_deref().map(unit_kind) {
                Some(UnitKind::GyroRad) => Some(true),
                Some(UnitKind::GyroDeg) => Some(false),
                _ => None,
            });
    let rad = match header_rad {
        Some(r) => r,
        None => match dialect {
            Dialect::Phyphox | Dialect::SensorLogger | Dialect::PhysicsToolbox => true,
            Dialect::ActigraphImu | Dialect::ActigraphRaw | Dialect::MetaMotion => false,
            _ => {
                warnings.push(Warning::new(
                    WarningCode::GyroUnitsAssumed,
                    "the gyroscope columns name no unit; read as deg/s",
                ));
                false
            }
        },
    };
    if rad {
        let k = 180.0 / std::f64::consts::PI;
        for ch in g.iter_mut() {
            ch.iter_mut().for_each(|x| *x *= k);
        }
    }
    Some(g)
}

/// Speed in m/s from the unit the header of column `speed_col` states (m/s when none, or
/// when it reads `ms`: `speed_ms` is m/s, not milliseconds); an unknown unit is read as m/s
/// with an `unknown_unit` warning.
pub(crate) fn speed_to_mps(
    speed: Option<Vec<f64>>,
    speed_col: Option<usize>,
    cols: &[Col],
    warnings: &mut Vec<Warning>,
) -> Option<Vec<f64>> {
    let (mut v, c) = speed.zip(speed_col)?;
    let k = match cols[c].info.unit.as_deref().map(unit_kind) {
        Some(UnitKind::Speed(k)) => k,
        // `speed_ms` is m/s, not milliseconds.
        None | Some(UnitKind::Time(TimeUnit::Ms)) => 1.0,
        Some(_) => {
            warnings.push(Warning::new(
                WarningCode::UnknownUnit,
                format!(
                    "column '{}': unit is not one gaitguard knows for speed; values read as m/s",
                    cols[c].name
                ),
            ));
            1.0
        }
    };
    if k != 1.0 {
        v.iter_mut().for_each(|x| *x *= k);
    }
    Some(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cols(names: &[&str]) -> Vec<Col> {
        names.iter().map(|n| Col::plain(n.to_string())).collect()
    }

    #[test]
    fn override_then_header_then_dialect() {
        let c = cols(&["acc_x [g]", "acc_y [g]", "acc_z [g]"]);
        let idx = [Some(0), Some(1), Some(2)];
        let acc = [None, None, None];
        let opts = RawOptions {
            gravity_included: Some(true),
            ..RawOptions::default()
        };
        let d = decide_accel(&opts, Dialect::Phyphox, &c, &idx, &acc);
        assert_eq!(d.unit, (AccelUnit::G, Decided::Header));
        assert_eq!(d.gravity_included, (true, Decided::Override));
        assert!(d.stats.is_none());
        let opts = RawOptions {
            accel_unit: Some(AccelUnit::Mps2),
            ..opts
        };
        let d = decide_accel(&opts, Dialect::Phyphox, &c, &idx, &acc);
        assert_eq!(d.unit, (AccelUnit::Mps2, Decided::Override));
        let d = decide_accel(
            &RawOptions::default(),
            Dialect::MetaMotion,
            &cols(&["x", "y", "z"]),
            &idx,
            &acc,
        );
        assert_eq!(d.unit, (AccelUnit::G, Decided::Header));
        assert_eq!(d.gravity_included, (true, Decided::Header));
        assert_eq!(dialect_accel(Dialect::PhysicsToolbox, false), (None, None));
        assert_eq!(
            dialect_accel(Dialect::PhysicsToolbox, true),
            (Some(AccelUnit::G), Some(true))
        );
    }

    #[test]
    fn a_still_sensor_in_g_is_inferred_with_gravity() {
        let c = cols(&["x", "y", "z"]);
        let idx = [Some(0), Some(1), Some(2)];
        let acc = [
            Some(vec![0.0; 10]),
            Some(vec![0.0; 10]),
            Some(vec![1.0; 10]),
        ];
        let d = decide_accel(
            &RawOptions::default(),
            Dialect::GenericAccel,
            &c,
            &idx,
            &acc,
        );
        assert_eq!(d.unit, (AccelUnit::G, Decided::Inferred));
        assert_eq!(d.gravity_included, (true, Decided::Inferred));
        let mut w = Vec::new();
        warn_inferred(&d, &mut w);
        assert_eq!(w.len(), 1);
        assert_eq!(
            w[0].message,
            "the accelerometer columns name no unit; median |a| 1.00 (95th percentile 1.00) read as g; pass --accel-unit to override"
        );
    }

    #[test]
    fn conversions_to_si() {
        let a = acc_to_mps2([Some(vec![1.0]), None, Some(vec![-2.0])], AccelUnit::G, 1);
        assert_eq!(
            a,
            [
                vec![STANDARD_GRAVITY_MPS2],
                vec![0.0],
                vec![-2.0 * STANDARD_GRAVITY_MPS2]
            ]
        );
        let c = cols(&["gx [rad/s]", "gy", "gz"]);
        let mut w = Vec::new();
        let g = gyro_to_dps(
            Some([vec![std::f64::consts::PI], vec![0.0], vec![0.0]]),
            Some([Some(0), Some(1), Some(2)]),
            &c,
            Dialect::GenericAccel,
            &mut w,
        )
        .unwrap();
        assert!((g[0][0] - 180.0).abs() < 1e-12);
        assert!(w.is_empty());
        let c = cols(&[
            "gx",
            "gy",
            "gz",
            "speed [km/h]",
            "speed_ms",
            "speed [furlong]",
        ]);
        let g = gyro_to_dps(
            Some([vec![1.0], vec![0.0], vec![0.0]]),
            Some([Some(0), Some(1), Some(2)]),
            &c,
            Dialect::GenericAccel,
            &mut w,
        )
        .unwrap();
        assert_eq!(g[0], [1.0]);
        assert_eq!(w[0].code, WarningCode::GyroUnitsAssumed);
        let s = speed_to_mps(Some(vec![36.0]), Some(3), &c, &mut w).unwrap();
        assert!((s[0] - 10.0).abs() < 1e-12);
        assert_eq!(
            speed_to_mps(Some(vec![3.0]), Some(4), &c, &mut w),
            Some(vec![3.0])
        );
        assert_eq!(w.len(), 1);
        assert_eq!(
            speed_to_mps(Some(vec![3.0]), Some(5), &c, &mut w),
            Some(vec![3.0])
        );
        assert_eq!(w[1].code, WarningCode::UnknownUnit);
    }
}
