//! Raw accelerometer/gyroscope exports: every dialect read into SI units, checked against
//! facts taken from the files themselves (first values, row counts, stated rates and start
//! times) and the dataset descriptions in `../shared/data/README.md`; error cases with small
//! inline files.

mod common;

use gaitguard::error::IngestError;
use gaitguard::ingest::raw::{
    AccelUnit, AxisFrame, Decided, RawOptions, RawSignal, TimeSource, TimeUnit,
};
use gaitguard::ingest::{Dialect, IngestOptions, Input, detect, read_input, read_input_bytes};
use gaitguard::vocab::WarningCode;
use std::path::{Path, PathBuf};

const G: f64 = 9.806_65;

fn opts(raw: RawOptions) -> IngestOptions {
    IngestOptions {
        raw,
        ..IngestOptions::default()
    }
}

fn raw_file(p: &Path, o: &IngestOptions) -> RawSignal {
    match read_input(p, o) {
        Ok(Input::Raw(s)) => s,
        Ok(Input::Records(r)) => panic!("{}: read as records ({})", p.display(), r.format),
        Err(e) => panic!("{e}"),
    }
}

fn raw_text(text: &str, o: &IngestOptions) -> Result<RawSignal, IngestError> {
    match read_input_bytes(Path::new("inline.csv"), text.as_bytes(), o)? {
        Input::Raw(s) => Ok(s),
        Input::Records(r) => panic!("read as records ({})", r.format),
    }
}

fn raw_ok(text: &str) -> RawSignal {
    raw_text(text, &IngestOptions::default()).unwrap_or_else(|e| panic!("{e}"))
}

fn close(a: f64, b: f64, tol: f64) -> bool {
    (a - b).abs() <= tol
}

fn median_step(t: &[f64]) -> f64 {
    let mut d: Vec<f64> = t.windows(2).map(|w| w[1] - w[0]).collect();
    d.sort_by(f64::total_cmp);
    d[d.len() / 2]
}

fn unix(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> f64 {
    chrono::NaiveDate::from_ymd_opt(y, mo, d)
        .unwrap()
        .and_hms_opt(h, mi, s)
        .unwrap()
        .and_utc()
        .timestamp() as f64
}

fn has_warning(s: &RawSignal, code: WarningCode) -> bool {
    s.warnings.iter().any(|w| w.code == code)
}

// ---------------------------------------------------------------------------------------
// export-formats/: the first lines of real exports, one per dialect.

fn export(name: &str) -> Option<PathBuf> {
    common::shared_data("export-formats").map(|d| d.join(name))
}

#[test]
fn every_raw_export_sample_parses_with_its_dialect_units_and_gravity() {
    let Some(dir) = common::shared_data("export-formats") else {
        return;
    };
    // (file, dialect, rows, unit, gravity included, gravity decided, time source)
    let expect = [
        (
            "actigraph_gt3x_raw.csv",
            Dialect::ActigraphRaw,
            8,
            AccelUnit::G,
            true,
            Decided::Header,
            TimeSource::HeaderRate,
        ),
        (
            "actigraph_link_imu.csv",
            Dialect::ActigraphImu,
            5,
            AccelUnit::G,
            true,
            Decided::Header,
            TimeSource::Column,
        ),
        (
            "metamotion_metawear_accel.csv",
            Dialect::MetaMotion,
            6,
            AccelUnit::G,
            true,
            Decided::Header,
            TimeSource::Column,
        ),
        (
            "phyphox_acceleration_with_g_resaved.csv",
            Dialect::Phyphox,
            5,
            AccelUnit::Mps2,
            true,
            Decided::Inferred,
            TimeSource::Column,
        ),
        (
            "phyphox_accelerometer_with_g.csv",
            Dialect::Phyphox,
            5,
            AccelUnit::Mps2,
            true,
            Decided::Inferred,
            TimeSource::Column,
        ),
        (
            "phyphox_linear_accelerometer.csv",
            Dialect::Phyphox,
            5,
            AccelUnit::Mps2,
            false,
            Decided::Inferred,
            TimeSource::Column,
        ),
        (
            "sensorlogger_totalacceleration_variant.csv",
            Dialect::SensorLogger,
            5,
            AccelUnit::Mps2,
            true,
            Decided::Inferred,
            TimeSource::Column,
        ),
    ];
    for (name, dialect, rows, unit, gravity, gravity_how, source) in expect {
        let p = dir.join(name);
        assert_eq!(
            detect(&std::fs::read(&p).unwrap()).unwrap(),
            dialect,
            "{name}"
        );
        let s = raw_file(&p, &IngestOptions::default());
        assert_eq!(s.format, dialect.name(), "{name}");
        assert_eq!(s.len(), rows, "{name}");
        assert_eq!(s.accel_unit, (unit, Decided::Header), "{name}");
        assert_eq!(s.gravity_included, (gravity, gravity_how), "{name}");
        assert_eq!(s.time_source, source, "{name}");
        assert_eq!(s.time_s[0], 0.0, "{name}");
        assert_eq!(s.axes, AxisFrame::Sensor, "{name}");
        for ch in &s.acc_mps2 {
            assert_eq!(ch.len(), rows, "{name}");
        }
    }
}

#[test]
fn metamotion_first_sample_and_epoch_clock() {
    let Some(p) = export("metamotion_metawear_accel.csv") else {
        return;
    };
    let s = raw_file(&p, &IngestOptions::default());
    // First row: epoc 1659731173153 ms, x -0.061 g, y 0.991 g, z 0.036 g.
    assert!(close(s.acc_mps2[0][0], -0.061 * G, 1e-9)); // -0.5982 m/s²
    assert!(close(s.acc_mps2[0][0], -0.5982, 1e-4));
    assert!(close(s.acc_mps2[1][0], 0.991 * G, 1e-9));
    assert!(close(s.start_unix_s.unwrap(), 1_659_731_173.153, 1e-6));
    // Fourth row: epoc ...184 → 31 ms after the first.
    assert!(close(s.time_s[3], 0.031, 1e-9));
    assert!(s.gyro_dps.is_none());
}

#[test]
fn actigraph_raw_time_comes_from_the_stated_rate() {
    let Some(p) = export("actigraph_gt3x_raw.csv") else {
        return;
    };
    let s = raw_file(&p, &IngestOptions::default());
    assert_eq!(s.stated_rate_hz, Some(90.0));
    assert!(close(s.time_s[1], 1.0 / 90.0, 1e-12));
    assert!(close(s.time_s[7], 7.0 / 90.0, 1e-12));
    assert_eq!(s.device.as_deref(), Some("ActiGraph GT3X+ TAS1E31150129"));
    // Start Time 08:58:00, Start Date 2/14/2019 (date format M/d/yyyy), read as UTC.
    assert_eq!(s.start_unix_s, Some(unix(2019, 2, 14, 8, 58, 0)));
    assert!(has_warning(&s, WarningCode::TimeZoneAssumed));
    // First row: -0.004, -0.008, 0.961 g.
    assert!(close(s.acc_mps2[2][0], 0.961 * G, 1e-9));
    assert!(close(s.acc_mps2[0][0], -0.004 * G, 1e-9));

    // --sample-rate overrides the header rate.
    let o = opts(RawOptions {
        sample_rate_hz: Some(30.0),
        ..RawOptions::default()
    });
    let s = raw_file(&p, &o);
    assert_eq!(s.time_source, TimeSource::OverrideRate);
    assert_eq!(s.stated_rate_hz, Some(30.0));
    assert!(close(s.time_s[1], 1.0 / 30.0, 1e-12));
}

#[test]
fn actigraph_imu_reads_time_accel_and_gyro_but_not_magnetometer() {
    let Some(p) = export("actigraph_link_imu.csv") else {
        return;
    };
    let s = raw_file(&p, &IngestOptions::default());
    assert_eq!(s.time_source, TimeSource::Column);
    assert_eq!(s.stated_rate_hz, Some(100.0));
    assert!(close(s.time_s[1], 0.01, 1e-9));
    assert!(close(s.time_s[4], 0.04, 1e-9));
    assert_eq!(s.start_unix_s, Some(unix(2019, 2, 14, 8, 58, 0)));
    assert!(
        s.device
            .as_deref()
            .is_some_and(|d| d.contains("ActiGraph") && d.contains("TAS1E31150129"))
    );
    // First row: accel 0.012695, -0.005371, 0.992188 g; gyro -0.793457, 0.244141,
    // 0.183105 deg/s; magnetometer 28.56… µT must not appear anywhere.
    assert!(close(s.acc_mps2[0][0], 0.012695 * G, 1e-9));
    assert!(close(s.acc_mps2[2][0], 0.992188 * G, 1e-9));
    let g = s.gyro_dps.as_ref().expect("gyro");
    assert!(close(g[0][0], -0.793457, 1e-12));
    assert!(close(g[1][0], 0.244141, 1e-12));
    assert!(close(g[2][0], 0.183105, 1e-12));
}

#[test]
fn sensor_logger_maps_axes_by_name_and_starts_at_the_ns_epoch() {
    let Some(p) = export("sensorlogger_totalacceleration_variant.csv") else {
        return;
    };
    let s = raw_file(&p, &IngestOptions::default());
    // Header order is Z, Y, X.
    assert!(close(s.acc_mps2[0][0], -2.9730820655822754, 1e-12));
    assert!(close(s.acc_mps2[1][0], 3.827319860458374, 1e-12));
    assert!(close(s.acc_mps2[2][0], 12.315857887268066, 1e-12));
    // 1729260574556450300 ns; the second stamp is 9,582,900 ns later.
    assert!(close(
        s.start_unix_s.unwrap(),
        1_729_260_574.556_450_3,
        1e-6
    ));
    assert!(close(s.time_s[1], 0.009_582_9, 1e-9));
}

#[test]
fn phyphox_gravity_is_decided_from_the_data_and_ties_are_kept() {
    let Some(dir) = common::shared_data("export-formats") else {
        return;
    };
    let with_g = raw_file(
        &dir.join("phyphox_accelerometer_with_g.csv"),
        &IngestOptions::default(),
    );
    assert!(close(with_g.acc_mps2[0][0], 9.910441132, 1e-12));
    assert!(!has_warning(&with_g, WarningCode::GravityRemoved));
    let linear = raw_file(
        &dir.join("phyphox_linear_accelerometer.csv"),
        &IngestOptions::default(),
    );
    assert!(close(linear.acc_mps2[0][0], 0.6531436363, 1e-12));
    assert!(has_warning(&linear, WarningCode::GravityRemoved));
    // The user can say otherwise.
    let forced = raw_file(
        &dir.join("phyphox_linear_accelerometer.csv"),
        &opts(RawOptions {
            gravity_included: Some(true),
            ..RawOptions::default()
        }),
    );
    assert_eq!(forced.gravity_included, (true, Decided::Override));
    // Resaved with 3 significant digits: the first two stamps are both 0.00E+00.
    let resaved = raw_file(
        &dir.join("phyphox_acceleration_with_g_resaved.csv"),
        &IngestOptions::default(),
    );
    assert_eq!(&resaved.time_s[..3], &[0.0, 0.0, 0.0166]);
    assert!(close(resaved.acc_mps2[1][1], 9.87, 1e-12));
}

// ---------------------------------------------------------------------------------------
// raw/: real recordings that must parse.

#[test]
fn hip_run_150000_samples_at_100_hz_from_iso_stamps() {
    let Some(dir) = common::shared_data("raw/hip-running") else {
        return;
    };
    let p = dir.join("acc_running_left_hip.csv");
    assert_eq!(
        detect(&std::fs::read(&p).unwrap()).unwrap(),
        Dialect::GenericAccel
    );
    let s = raw_file(&p, &IngestOptions::default());
    // README: ActiGraph GT9X, 100 Hz, g, 150,000 rows, first stamp 2018-10-25T17:57:30.000.
    assert_eq!(s.len(), 150_000);
    assert_eq!(s.time_source, TimeSource::Column);
    assert!(close(median_step(&s.time_s), 0.010, 1e-6));
    assert_eq!(s.start_unix_s, Some(unix(2018, 10, 25, 17, 57, 30)));
    assert!(close(s.time_s[149_999], 1499.99, 1e-6)); // 18:22:29.990
    assert_eq!(s.accel_unit, (AccelUnit::G, Decided::Inferred));
    assert!(has_warning(&s, WarningCode::AccelUnitsInferred));
    assert!(has_warning(&s, WarningCode::TimeZoneAssumed));
    assert_eq!(s.gravity_included, (true, Decided::Inferred));
    // First row: -0.199, -1.012, 0.133 g.
    assert!(close(s.acc_mps2[0][0], -0.199 * G, 1e-9));
    assert!(close(s.acc_mps2[1][0], -1.012 * G, 1e-9));
    assert!(close(s.acc_mps2[2][0], 0.133 * G, 1e-9));
}

#[test]
#[ignore = "timing: cargo test --test raw_formats -- --ignored --nocapture"]
fn hip_run_parse_time() {
    let Some(dir) = common::shared_data("raw/hip-running") else {
        return;
    };
    let bytes = std::fs::read(dir.join("acc_running_left_hip.csv")).unwrap();
    let mut best = f64::INFINITY;
    for _ in 0..5 {
        let t = std::time::Instant::now();
        let input = read_input_bytes(Path::new("hip.csv"), &bytes, &IngestOptions::default());
        best = best.min(t.elapsed().as_secs_f64());
        assert!(matches!(input, Ok(Input::Raw(_))));
    }
    println!(
        "hip file, 150,000 rows x 4 columns: best of 5 {:.1} ms",
        best * 1e3
    );
}

#[test]
fn lowback_imu_with_gyro_in_dps() {
    let Some(dir) = common::shared_data("raw/lowback-walking") else {
        return;
    };
    let s = raw_file(
        &dir.join("HA_001_Test11_lowerback_imu.csv"),
        &IngestOptions::default(),
    );
    assert_eq!(s.len(), 13_759);
    assert_eq!(s.accel_unit, (AccelUnit::G, Decided::Header));
    assert!(close(median_step(&s.time_s), 0.01, 1e-9));
    assert!(close(*s.time_s.last().unwrap(), 137.58, 1e-9));
    assert!(close(s.acc_mps2[0][0], 0.988154 * G, 1e-9)); // x ≈ vertical, 0.99 g
    let g = s.gyro_dps.as_ref().expect("gyro");
    assert!(close(g[0][0], -2.32621, 1e-12));
    assert!(close(g[2][0], -0.91673, 1e-12));
    assert!(s.start_unix_s.is_none());
}

#[test]
fn running_grf_accel_files_at_their_stated_rates() {
    let Some(dir) = common::shared_data("raw/running-grf") else {
        return;
    };
    let mut seen = 0;
    for e in std::fs::read_dir(&dir).unwrap() {
        let p = e.unwrap().path();
        let name = p.file_name().unwrap().to_string_lossy().to_string();
        if !name.ends_with("_accel.csv") && !name.ends_with("_accel_native.csv") {
            continue;
        }
        let s = raw_file(&p, &IngestOptions::default());
        // README: _accel 100 Hz; native 300 Hz (Fukuchi) or 500 Hz (Alcantara).
        let rate = if name.ends_with("_accel.csv") {
            100.0
        } else if name.starts_with("fukuchi") {
            300.0
        } else {
            500.0
        };
        assert!(
            close(median_step(&s.time_s), 1.0 / rate, 2e-5),
            "{name}: {}",
            median_step(&s.time_s)
        );
        assert_eq!(s.accel_unit, (AccelUnit::G, Decided::Header), "{name}");
        assert_eq!(s.axes, AxisFrame::Sensor, "{name}");
        // Fz/(m·g) has a mean near 1 g: gravity is in.
        assert!(s.gravity_included.0, "{name}");
        let text = std::fs::read_to_string(&p).unwrap();
        assert_eq!(s.len(), text.lines().count() - 1, "{name}");
        seen += 1;
    }
    assert_eq!(seen, 16);
}

#[test]
fn sacrum_imu_is_anatomical_vertical_and_ap() {
    let Some(dir) = common::shared_data("raw/running-grf") else {
        return;
    };
    let p = dir.join("alcantara_S02_t02_v2.50_slope+0_sacrum_imu.csv");
    assert_eq!(
        detect(&std::fs::read(&p).unwrap()).unwrap(),
        Dialect::GenericAccel
    );
    let s = raw_file(&p, &IngestOptions::default());
    assert_eq!(
        s.axes,
        AxisFrame::Anatomical {
            has_ap: true,
            has_ml: false
        }
    );
    // First row: vertical 1.85273 g, AP 0.05022 g.
    assert!(close(s.acc_mps2[0][0], 1.85273 * G, 1e-9));
    assert!(close(s.acc_mps2[1][0], 0.05022 * G, 1e-9));
    assert!(s.acc_mps2[2].iter().all(|v| *v == 0.0));
    assert_eq!(s.acc_mps2[2].len(), s.len());
    assert!(close(median_step(&s.time_s), 0.002, 1e-9));
}

#[test]
fn foot_imu_two_level_header_needs_a_rate_and_selects_sensor_groups() {
    let Some(dir) = common::shared_data("raw/foot-walking") else {
        return;
    };
    let p = dir.join("imu_sample.csv");
    assert_eq!(
        detect(&std::fs::read(&p).unwrap()).unwrap(),
        Dialect::GenericAccel
    );
    // Motion capture markers (bare x,y,z under marker names) are not an accelerometer.
    assert!(detect(&std::fs::read(dir.join("mocap_sample.csv")).unwrap()).is_err());

    // No time column, no rate: the message names the file and the option.
    let err = read_input(&p, &IngestOptions::default()).unwrap_err();
    assert!(matches!(err, IngestError::NoData { .. }), "{err}");
    let msg = err.to_string();
    assert!(
        msg.contains("imu_sample.csv") && msg.contains("--sample-rate"),
        "{msg}"
    );

    // README: 204.8 Hz, acc m/s², gyro deg/s. Left sensor by default.
    let rate = opts(RawOptions {
        sample_rate_hz: Some(204.8),
        ..RawOptions::default()
    });
    let left = raw_file(&p, &rate);
    assert_eq!(left.len(), 7928);
    assert_eq!(left.time_source, TimeSource::OverrideRate);
    assert_eq!(left.stated_rate_hz, Some(204.8));
    assert!(close(left.time_s[1], 1.0 / 204.8, 1e-12));
    assert_eq!(left.accel_unit.0, AccelUnit::Mps2);
    assert!(close(left.acc_mps2[0][0], 0.8808107066241624, 1e-12));
    assert!(close(left.acc_mps2[1][0], 2.7622080650315652, 1e-12));
    assert!(close(left.acc_mps2[2][0], 9.408650477990726, 1e-12));
    let g = left.gyro_dps.as_ref().expect("gyro");
    assert!(close(g[0][0], -0.11240170597252427, 1e-12));

    // --map acc_x=right_sensor.acc_x selects the right sensor for every channel.
    let mut o = RawOptions {
        sample_rate_hz: Some(204.8),
        ..RawOptions::default()
    };
    o.acc_columns[0] = Some("right_sensor.acc_x".into());
    let right = raw_file(&p, &opts(o));
    assert!(close(right.acc_mps2[0][0], 0.3115525903932168, 1e-12));
    assert!(close(right.acc_mps2[1][0], -2.398646095075656, 1e-12));
    assert!(close(right.acc_mps2[2][0], 9.513275480139699, 1e-12));
    let g = right.gyro_dps.as_ref().expect("gyro");
    assert!(close(g[0][0], -0.3230373811130934, 1e-12));
}

// ---------------------------------------------------------------------------------------
// Dialects without a shared sample, and options.

#[test]
fn physics_toolbox_seconds_and_clock_times() {
    let secs = "time,gFx,gFy,gFz,TgF\n0.000,0.01,-0.98,0.05,0.98\n0.010,0.02,-0.97,0.04,0.97\n";
    assert_eq!(detect(secs.as_bytes()).unwrap(), Dialect::PhysicsToolbox);
    let s = raw_ok(secs);
    assert_eq!(s.accel_unit, (AccelUnit::G, Decided::Header));
    assert!(close(s.acc_mps2[1][0], -0.98 * G, 1e-12));
    assert!(close(s.time_s[1], 0.01, 1e-12));
    // Clock times hh:mm:ss:SSS, across midnight.
    let clock = "time,gFx,gFy,gFz,TgF\n23:59:59:990,0.01,-0.98,0.05,0.98\n00:00:00:000,0.02,-0.97,0.04,0.97\n00:00:00:010,0.02,-0.97,0.04,0.97\n";
    let s = raw_ok(clock);
    assert!(close(s.time_s[1], 0.01, 1e-9), "{:?}", s.time_s);
    assert!(close(s.time_s[2], 0.02, 1e-9));
}

#[test]
fn sensor_logger_documented_header() {
    let text = "time,seconds_elapsed,z,y,x\n1729260574556450300,0.05,9.7,0.2,0.1\n1729260574566450300,0.06,9.8,0.3,0.2\n";
    assert_eq!(detect(text.as_bytes()).unwrap(), Dialect::SensorLogger);
    let s = raw_ok(text);
    assert_eq!(s.acc_mps2[0], vec![0.1, 0.2]);
    assert_eq!(s.acc_mps2[2], vec![9.7, 9.8]);
    assert!(close(s.time_s[1], 0.01, 1e-9));
    assert!(close(
        s.start_unix_s.unwrap(),
        1_729_260_574.556_450_3,
        1e-6
    ));
}

#[test]
fn headerless_axivity_export() {
    let text = "2019-01-01 10:00:00.000,0.1,-0.9,0.2\n2019-01-01 10:00:00.010,0.1,-0.95,0.2\n2019-01-01 10:00:00.020,0.12,-1.0,0.21\n";
    assert_eq!(detect(text.as_bytes()).unwrap(), Dialect::GenericAccel);
    let s = raw_ok(text);
    assert_eq!(s.len(), 3);
    assert_eq!(s.start_unix_s, Some(unix(2019, 1, 1, 10, 0, 0)));
    assert!(close(s.time_s[2], 0.02, 1e-9));
    assert_eq!(s.accel_unit.0, AccelUnit::G);
    assert!(close(s.acc_mps2[1][0], -0.9 * G, 1e-12));
    assert!(has_warning(&s, WarningCode::NoHeader));
}

#[test]
fn phyphox_gyroscope_alone_is_no_data() {
    let text = "\"Time (s)\",\"Gyroscope x (rad/s)\",\"Gyroscope y (rad/s)\",\"Gyroscope z (rad/s)\"\n0.01,0.1,0.2,0.3\n";
    assert_eq!(detect(text.as_bytes()).unwrap(), Dialect::Phyphox);
    let err = raw_text(text, &IngestOptions::default()).unwrap_err();
    assert!(matches!(err, IngestError::NoData { .. }), "{err}");
    assert!(err.to_string().contains("gyroscope"), "{err}");
}

#[test]
fn gyro_in_rad_s_becomes_deg_s() {
    let text = "t_s,acc_x_g,acc_y_g,acc_z_g,gyr_x (rad/s),gyr_y (rad/s),gyr_z (rad/s)\n0,0,0,1,3.141592653589793,0,-1\n";
    let s = raw_ok(text);
    let g = s.gyro_dps.expect("gyro");
    assert!(close(g[0][0], 180.0, 1e-9));
    assert!(close(g[2][0], -57.29577951308232, 1e-9));
}

#[test]
fn metamotion_gyro_file_is_no_data() {
    let text = "epoc (ms),timestamp (-0500),elapsed (s),x-axis (deg/s),y-axis (deg/s),z-axis (deg/s)\n1659731173153,2022-08-05T15.26.13.153,0.000,1.0,2.0,3.0\n";
    let err = raw_text(text, &IngestOptions::default()).unwrap_err();
    assert!(matches!(err, IngestError::NoData { .. }), "{err}");
}

#[test]
fn overrides_for_units_time_and_rate() {
    let text = "time,x,y,z\n1000,0.1,0.2,9.8\n1010,0.1,0.2,9.8\n1020,0.1,0.2,9.8\n";
    // Inferred: ms from the median step of 10, m/s² from |a| ≈ 9.8.
    let s = raw_ok(text);
    assert!(close(s.time_s[1], 0.01, 1e-12));
    assert!(has_warning(&s, WarningCode::TimeUnitsInferred));
    assert_eq!(s.accel_unit, (AccelUnit::Mps2, Decided::Inferred));
    assert!(close(s.acc_mps2[2][0], 9.8, 1e-12));
    // Overridden.
    let o = opts(RawOptions {
        accel_unit: Some(AccelUnit::G),
        time_unit: Some(TimeUnit::Us),
        sample_rate_hz: Some(100_000.0),
        ..RawOptions::default()
    });
    let s = raw_text(text, &o).unwrap();
    assert_eq!(s.accel_unit, (AccelUnit::G, Decided::Override));
    assert!(close(s.acc_mps2[2][0], 9.8 * G, 1e-9));
    assert!(close(s.time_s[1], 10e-6, 1e-15));
    // A time column is kept; the rate is only stated.
    assert_eq!(s.time_source, TimeSource::Column);
    assert_eq!(s.stated_rate_hz, Some(100_000.0));
    assert!(!has_warning(&s, WarningCode::TimeUnitsInferred));
}

#[test]
fn mapped_columns_and_speed() {
    let text = "stamp,a1,a2,a3,belt\n0.00,0.1,0.2,1.0,3.3\n0.01,0.1,0.2,1.0,3.4\n";
    let mut o = RawOptions {
        time_column: Some("stamp".into()),
        speed_column: Some("belt".into()),
        accel_unit: Some(AccelUnit::G),
        ..RawOptions::default()
    };
    o.acc_columns = [Some("a3".into()), Some("a2".into()), Some("a1".into())];
    let io = IngestOptions {
        format: Some(Dialect::GenericAccel),
        raw: o,
        ..IngestOptions::default()
    };
    let s = raw_text(text, &io).unwrap();
    assert!(close(s.acc_mps2[0][0], 1.0 * G, 1e-12));
    assert!(close(s.acc_mps2[2][0], 0.1 * G, 1e-12));
    assert!(close(s.time_s[1], 0.01, 1e-12));
    assert_eq!(s.speed_mps, Some(vec![3.3, 3.4]));

    // A mapped column that is not there.
    let mut o = RawOptions::default();
    o.acc_columns[0] = Some("nope".into());
    let err = raw_text(
        text,
        &IngestOptions {
            format: Some(Dialect::GenericAccel),
            raw: o,
            ..IngestOptions::default()
        },
    )
    .unwrap_err();
    let msg = err.to_string();
    assert!(msg.contains("nope") && msg.contains("a1"), "{msg}");
}

#[test]
fn decimal_commas_with_semicolons() {
    let text = "t_s;acc_x_g;acc_y_g;acc_z_g\n0,00;0,10;-0,98;0,05\n0,01;0,12;-0,97;0,04\n";
    let s = raw_ok(text);
    assert!(close(s.acc_mps2[0][0], 0.10 * G, 1e-12));
    assert!(close(s.acc_mps2[1][1], -0.97 * G, 1e-12));
    assert!(close(s.time_s[1], 0.01, 1e-12));
    // phyphox's own "semicolon, decimal comma" export.
    let text = "\"Time (s)\";\"X (m/s^2)\";\"Y (m/s^2)\";\"Z (m/s^2)\"\n0,01;9,91;-0,55;-2,11\n0,02;10,28;0,27;-2,17\n";
    assert_eq!(detect(text.as_bytes()).unwrap(), Dialect::Phyphox);
    let s = raw_ok(text);
    assert!(close(s.acc_mps2[0][0], 9.91, 1e-12));
    assert!(close(s.time_s[1], 0.01, 1e-12));
}

#[test]
fn samples_stay_in_file_order_with_gaps_and_missing_cells() {
    let text = "t_s,acc_x_g,acc_y_g,acc_z_g\n0.00,0,0,1\n0.02,0,,1\n0.01,0,0,1\n0.01,0,0,1\n5.00,1e30,0,1\n,0,0,1\n0.03,0,0\n";
    let s = raw_ok(text);
    assert_eq!(s.len(), 7);
    assert_eq!(s.time_s[..5], [0.0, 0.02, 0.01, 0.01, 5.0]);
    assert!(s.time_s[5].is_nan());
    assert!(s.acc_mps2[1][1].is_nan()); // empty cell
    assert!(s.acc_mps2[2][6].is_nan()); // short row
    assert!(close(s.acc_mps2[0][4], 1e30 * G, 1e20)); // absurd but kept
}

#[test]
fn constant_and_all_nan_columns_are_not_errors() {
    let s = raw_ok("t_s,acc_x_g,acc_y_g,acc_z_g\n0,,0,1\n0.01,nan,0,1\n");
    assert!(s.acc_mps2[0].iter().all(|v| v.is_nan()));
    let s = raw_ok("t_s,acc_x_g,acc_y_g,acc_z_g\n0,,,\n0.01,,,\n");
    assert_eq!(s.len(), 2);
}

#[test]
fn text_in_a_number_column_names_line_and_column() {
    let text = "time_s,acc_x_g,acc_y_g,acc_z_g\n0.00,0.1,0.2,0.98\n0.01,0.1,abc,0.98\n";
    match raw_text(text, &IngestOptions::default()) {
        Err(IngestError::Csv {
            line,
            column,
            reason,
            ..
        }) => {
            assert_eq!(line, 3);
            assert_eq!(column.as_deref(), Some("acc_y_g"));
            assert!(
                reason.contains("expected a number, found 'abc'"),
                "{reason}"
            );
        }
        other => panic!("{other:?}"),
    }
    // After an ActiGraph preamble the line still counts from the top of the file.
    let Some(p) = export("actigraph_gt3x_raw.csv") else {
        return;
    };
    let mut text = std::fs::read_to_string(p).unwrap();
    text.push_str("0.1,oops,0.9\n");
    match raw_text(&text, &IngestOptions::default()) {
        Err(IngestError::Csv { line, column, .. }) => {
            assert_eq!(line, 20); // 10 preamble lines, header, 8 rows, then this one
            assert_eq!(column.as_deref(), Some("Accelerometer Y"));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn header_only_and_empty_files() {
    let err = raw_text("t_s,acc_x_g,acc_y_g,acc_z_g\n", &IngestOptions::default()).unwrap_err();
    assert!(matches!(err, IngestError::NoData { .. }), "{err}");
    assert!(err.to_string().contains("no samples"), "{err}");
    let err = raw_text("", &IngestOptions::default()).unwrap_err();
    assert!(matches!(err, IngestError::Empty { .. }), "{err}");
    // The ActiGraph preamble alone.
    let Some(p) = export("actigraph_gt3x_raw.csv") else {
        return;
    };
    let text = std::fs::read_to_string(p).unwrap();
    let head: String = text.lines().take(11).map(|l| format!("{l}\n")).collect();
    let err = raw_text(&head, &IngestOptions::default()).unwrap_err();
    assert!(matches!(err, IngestError::NoData { .. }), "{err}");
}

#[test]
fn time_column_of_text_is_an_error() {
    let text = "time,x,y,z\nsoon,0,0,1\n";
    match raw_text(text, &IngestOptions::default()) {
        Err(IngestError::Csv { line, column, .. }) => {
            assert_eq!(line, 2);
            assert_eq!(column.as_deref(), Some("time"));
        }
        other => panic!("{other:?}"),
    }
}

/// A tiny deterministic generator (no external randomness in tests).
struct Lcg(u64);
impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }
}

#[test]
fn binary_junk_and_damaged_files_never_panic() {
    let raw_dialects: Vec<Dialect> = Dialect::ALL.into_iter().filter(|d| d.is_raw()).collect();
    let mut inputs: Vec<Vec<u8>> = vec![
        vec![0u8, 159, 146, 150, 0, 1, 2, 3],
        b"\xff\xfe\x00t\x00i\x00m\x00e".to_vec(),
        "time,x,y,z\n\u{1F600},\u{e9},1,2\n".as_bytes().to_vec(),
        b"------------ Data File Created By ActiGraph GT3X+ \xc3\xa9 at 0 Hz".to_vec(),
        b"sensor,a,a,a,a\naxis,acc_x,acc_y,acc_z,gyr_x\n1,2\n".to_vec(),
        b"time,x,y,z\n2019-99-99T99:99:99,1,2,3\n".to_vec(),
        b"time,x,y,z\n99999999999999999999999,1e999,-1e999,1\n-9223372036854775808,0,0,1\n9223372036854775807,0,0,1\n".to_vec(),
        b"\"time,x\ny,z\n".to_vec(),
        b"time;x;y;z\n1,2,3;4,5,6;7;8\n".to_vec(),
    ];
    if let Some(dir) = common::shared_data("export-formats") {
        for e in std::fs::read_dir(dir).unwrap() {
            inputs.push(std::fs::read(e.unwrap().path()).unwrap());
        }
    }
    let mut rng = Lcg(42);
    let mut damaged = Vec::new();
    for base in &inputs {
        for _ in 0..20 {
            let mut b = base.clone();
            if b.is_empty() {
                continue;
            }
            match rng.next() % 3 {
                0 => b.truncate(rng.next() as usize % b.len()),
                1 => {
                    for _ in 0..4 {
                        let i = rng.next() as usize % b.len();
                        b[i] = (rng.next() % 256) as u8;
                    }
                }
                _ => {
                    let i = rng.next() as usize % b.len();
                    let j = rng.next() as usize % b.len();
                    let chunk = b[i.min(j)..i.max(j)].to_vec();
                    b.splice(i..i, chunk);
                }
            }
            damaged.push(b);
        }
    }
    inputs.extend(damaged);
    let p = Path::new("junk.csv");
    for b in &inputs {
        let _ = read_input_bytes(p, b, &IngestOptions::default());
        for &d in &raw_dialects {
            let o = IngestOptions {
                format: Some(d),
                ..IngestOptions::default()
            };
            let _ = read_input_bytes(p, b, &o);
            let o = IngestOptions {
                format: Some(d),
                raw: RawOptions {
                    sample_rate_hz: Some(50.0),
                    ..RawOptions::default()
                },
                ..IngestOptions::default()
            };
            let _ = read_input_bytes(p, b, &o);
        }
    }
    // Junk with a NUL is refused by detection with a reason, not a panic.
    let err = read_input_bytes(p, &[0u8, 1, 2, 3, 255], &IngestOptions::default()).unwrap_err();
    assert!(matches!(err, IngestError::UnknownFormat { .. }), "{err}");
}
