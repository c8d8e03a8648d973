//! The FIT decoder against independent decoders: python-fitparse's record means in
//! `../shared/data/fit/expected.jsonl`, and the fitparser crate record by record.

use crate::common;

use gaitguard::ingest::{IngestOptions, read_recording};
use gaitguard::recording::Channel;

fn nonzero_mean(v: Option<&[f64]>) -> Option<f64> {
    let v = v?;
    let nz: Vec<f64> = v
        .iter()
        .copied()
        .filter(|x| x.is_finite() && *x != 0.0)
        .collect();
    if nz.is_empty() {
        None
    } else {
        Some(nz.iter().sum::<f64>() / nz.len() as f64)
    }
}

#[test]
fn record_means_match_fitparse() {
    let Some(dir) = common::shared_data("fit") else {
        return;
    };
    let expected = common::read_jsonl(&dir.join("expected.jsonl"));
    assert_eq!(expected.len(), 8);
    for e in expected {
        let file = e["file"].as_str().unwrap();
        let rec = read_recording(&dir.join(file), &IngestOptions::default())
            .unwrap_or_else(|err| panic!("{file}: {err}"));
        let means = &e["record_means"];
        let checks: [(&str, Channel, f64, bool); 6] = [
            ("cad", Channel::CadenceSpm, 1.0, true),
            ("gct", Channel::GroundContactMs, 1.0, false),
            ("vo", Channel::VerticalOscillationCm, 10.0, false),
            ("vr", Channel::VerticalRatioPct, 1.0, false),
            ("step", Channel::StepLengthM, 1000.0, false),
            ("bal", Channel::GctBalanceLeftPct, 1.0, false),
        ];
        println!(
            "{file}: {} records (fitparse {})",
            rec.series.len(),
            e["records"]
        );
        assert_eq!(
            rec.series.len() as u64,
            e["records"].as_u64().unwrap(),
            "{file}: record count"
        );
        for (key, ch, to_expected_unit, absolute) in checks {
            let ours = nonzero_mean(rec.series.get(ch)).map(|m| m * to_expected_unit);
            match (means[key].as_f64(), ours) {
                (None, None) => {}
                (Some(x), Some(o)) => {
                    println!("  {key}: fitparse {x:.3}  gaitguard {o:.3}");
                    if absolute {
                        assert!((x - o).abs() <= 1.0, "{file} {key}: {o} vs {x}");
                    } else {
                        assert!(((x - o) / x).abs() <= 0.01, "{file} {key}: {o} vs {x}");
                    }
                }
                (x, o) => panic!("{file} {key}: fitparse {x:?}, gaitguard {o:?}"),
            }
        }
    }
}

/// Every record field gaitguard reads, record by record, against the fitparser crate
/// (an independent decoder of the same files).
#[test]
fn records_match_fitparser_field_by_field() {
    let Some(dir) = common::shared_data("fit") else {
        return;
    };
    let fields: [(&str, Channel, f64); 7] = [
        ("heart_rate", Channel::HeartRateBpm, 1.0),
        ("distance", Channel::DistanceM, 1.0),
        ("enhanced_speed", Channel::SpeedMps, 1.0),
        ("stance_time", Channel::GroundContactMs, 1.0),
        ("vertical_oscillation", Channel::VerticalOscillationCm, 10.0),
        ("step_length", Channel::StepLengthM, 1000.0),
        ("stance_time_balance", Channel::GctBalanceLeftPct, 1.0),
    ];
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().and_then(|e| e.to_str()) != Some("fit") {
            continue;
        }
        let bytes = std::fs::read(&path).unwrap();
        let theirs: Vec<_> = fitparser::from_bytes(&bytes)
            .unwrap()
            .into_iter()
            .filter(|r| r.kind() == fitparser::profile::MesgNum::Record)
            .collect();
        let ours = read_recording(&path, &IngestOptions::default()).unwrap();
        assert_eq!(theirs.len(), ours.series.len(), "{}", path.display());
        let mut compared = 0usize;
        let compressed = path
            .file_name()
            .unwrap()
            .to_string_lossy()
            .contains("compressed");
        for (name, ch, to_theirs) in fields {
            // fitparser adds each compressed distance value instead of its 12-bit delta; that
            // file is checked against python-fitparse's dump below.
            if compressed && name == "distance" {
                continue;
            }
            let Some(col) = ours.series.get(ch) else {
                continue;
            };
            for (i, r) in theirs.iter().enumerate() {
                let v =
                    r.fields()
                        .iter()
                        .find(|f| f.name() == name)
                        .and_then(|f| match f.value() {
                            fitparser::Value::Float64(x) => Some(*x),
                            fitparser::Value::Float32(x) => Some(*x as f64),
                            fitparser::Value::UInt8(x) => Some(*x as f64),
                            fitparser::Value::UInt16(x) => Some(*x as f64),
                            fitparser::Value::UInt32(x) => Some(*x as f64),
                            _ => None,
                        });
                if let Some(v) = v {
                    assert!(
                        (col[i] * to_theirs - v).abs() < 1e-6 * v.abs().max(1.0),
                        "{} record {i} {name}: {} vs {v}",
                        path.display(),
                        col[i] * to_theirs
                    );
                    compared += 1;
                }
            }
        }
        println!(
            "{}: {compared} values identical to fitparser",
            path.file_name().unwrap().to_string_lossy()
        );
    }
}

/// Compressed speed/distance (12-bit speed in 1/100 m/s, 12-bit accumulating distance in
/// 1/16 m) against python-fitparse's decoded records of the same file.
#[test]
fn compressed_speed_distance_matches_fitparse_dump() {
    let Some(dir) = common::shared_data("fit") else {
        return;
    };
    let rec = read_recording(
        &dir.join("compressed-speed-distance.fit"),
        &IngestOptions::default(),
    )
    .unwrap();
    let text = std::fs::read_to_string(dir.join("compressed-speed-distance-records.csv")).unwrap();
    let speed = rec.series.get(Channel::SpeedMps).unwrap();
    let dist = rec.series.get(Channel::DistanceM).unwrap();
    let mut checked = 0;
    for line in text.lines().skip(1) {
        let c: Vec<&str> = line.split(',').collect();
        let ts: f64 = c[0].parse().unwrap();
        // Our time axis starts at the first record (device time 17217864 s).
        let i = rec
            .series
            .time_s
            .iter()
            .position(|t| (t + 17_217_864.0 - ts).abs() < 0.5)
            .unwrap_or_else(|| panic!("no record at {ts}"));
        let (v, d): (f64, f64) = (c[2].parse().unwrap(), c[3].parse().unwrap());
        assert!(
            (speed[i] - v).abs() < 1e-9,
            "speed at {ts}: {} vs {v}",
            speed[i]
        );
        assert!(
            (dist[i] - d).abs() < 1e-9,
            "distance at {ts}: {} vs {d}",
            dist[i]
        );
        checked += 1;
    }
    assert!(checked > 700, "{checked}");
}
