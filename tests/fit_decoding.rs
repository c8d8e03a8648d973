//! The FIT decoder against independent decoders: python-fitparse's record means in
//! `../shared/data/fit/expected.jsonl`, and the fitparser crate record by record.

mod common;

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

#[test]
#[ignore]
fn debug_backwards() {
    let Some(dir) = common::shared_data("fit") else {
        return;
    };
    let bytes = std::fs::read(dir.join("activity-large-fenxi2-multisport.fit")).unwrap();
    let recs = fitparser::from_bytes(&bytes).unwrap();
    let mut last: Option<chrono::DateTime<chrono::Local>> = None;
    for (i, r) in recs
        .iter()
        .filter(|r| r.kind() == fitparser::profile::MesgNum::Record)
        .enumerate()
    {
        let ts = r
            .fields()
            .iter()
            .find(|f| f.name() == "timestamp")
            .map(|f| match f.value() {
                fitparser::Value::Timestamp(t) => *t,
                _ => panic!(),
            });
        if let (Some(l), Some(t)) = (last, ts) {
            if t < l {
                println!("record {i}: {t} after {l}");
            }
        }
        if ts.is_some() {
            last = ts;
        }
    }
}
