//! Native sensor files (issue 16, item 1): Axivity `.cwa`, ActiGraph `.gt3x` and GENEActiv
//! `.bin` decoded against ActiLife's own CSV of the same GT3X recording and against the
//! closed-form structure of each format; hostile binaries refused with an error naming the
//! file and the block/record/page; `gaitguard analyze` on each real sample.

use crate::common::{gg, med, shared_data};
use gaitguard::ingest::{IngestOptions, Input, read_input};
use gaitguard::recording::RawSignal;
use gaitguard::units::STANDARD_GRAVITY_MPS2 as G;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

fn binaries() -> Option<PathBuf> {
    shared_data("formats/sensor-binaries")
}

fn raw(path: &Path) -> RawSignal {
    match read_input(path, &IngestOptions::default()).unwrap() {
        Input::Raw(s) => s,
        Input::Records(_) => panic!("{}: not a raw signal", path.display()),
    }
}

/// Median |a| in g: a worn or resting accelerometer reads about 1 g.
fn median_norm_g(s: &RawSignal) -> f64 {
    med((0..s.len())
        .map(|i| (0..3).map(|a| s.acc_mps2[a][i].powi(2)).sum::<f64>().sqrt() / G)
        .collect())
}

fn strictly_increasing(t: &[f64]) -> bool {
    t.windows(2).all(|w| w[1] > w[0])
}

#[test]
fn gt3x_neo_matches_the_actilife_reference_sample_by_sample() {
    let Some(dir) = binaries() else { return };
    let sig = raw(&dir.join("actigraph-gt3x-neo-30hz.gt3x"));
    let csv = std::fs::read_to_string(dir.join("actigraph-gt3x-neo-30hz.actilife-reference.csv"))
        .unwrap();
    let rows: Vec<[f64; 3]> = csv
        .lines()
        .skip_while(|l| !l.starts_with("Accelerometer X"))
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let v: Vec<f64> = l.split(',').map(|c| c.trim().parse().unwrap()).collect();
            [v[0], v[1], v[2]]
        })
        .collect();
    assert_eq!(sig.len(), rows.len(), "sample count vs ActiLife");
    // Closed form: activity.bin holds whole 36-bit samples (ActiLife keeps them all, past the
    // Stop Date).
    let members = zip_members(&dir.join("actigraph-gt3x-neo-30hz.gt3x"));
    let act = &members.iter().find(|(n, _)| n == "activity.bin").unwrap().1;
    assert_eq!(rows.len(), act.len() * 8 / 36);
    // ActiLife prints 3 decimals: a correct decoder is within half of the last digit.
    // Rounded as ActiLife rounds (3 decimals, half away from zero), every value is identical.
    let (mut max_err, mut differ) = (0.0f64, 0usize);
    for (i, r) in rows.iter().enumerate() {
        for (a, want) in r.iter().enumerate() {
            let g = sig.acc_mps2[a][i] / G;
            max_err = max_err.max((g - want).abs());
            differ += usize::from(((g * 1000.0).round() / 1000.0 - want).abs() > 1e-9);
        }
    }
    println!(
        "GT3X NEO vs ActiLife: {} samples, max abs error {max_err:.6} g, {differ} values differ after rounding",
        rows.len()
    );
    assert!(max_err <= 0.0005 + 1e-9, "max abs error {max_err} g");
    assert_eq!(differ, 0);
    // Times: Start Time 11:55:00 on 12/20/2021, local time at UTC−06:00, then i/30 s.
    let start = chrono::NaiveDate::from_ymd_opt(2021, 12, 20)
        .unwrap()
        .and_hms_opt(17, 55, 0)
        .unwrap()
        .and_utc()
        .timestamp() as f64;
    assert_eq!(sig.start_unix_s, Some(start));
    assert_eq!(sig.stated_rate_hz, Some(30.0));
    for (i, t) in sig.time_s.iter().enumerate() {
        assert!((t - i as f64 / 30.0).abs() < 1e-9, "sample {i} at {t} s");
    }
}

#[test]
fn cwa_blocks_hold_their_stated_samples_at_the_stated_rate() {
    let Some(dir) = binaries() else { return };
    // (file, samples per full block, stated rate, gyroscope)
    for (name, per_block, rate, gyro) in [
        ("axivity-ax3-200hz.cwa", 120, 200.0, false),
        ("axivity-ax6-100hz-gyro.cwa", 40, 100.0, true),
    ] {
        let path = dir.join(name);
        let bytes = std::fs::read(&path).unwrap();
        let blocks = (bytes.len() - 1024) / 512;
        assert_eq!((bytes.len() - 1024) % 512, 0);
        let counts: Vec<usize> = (0..blocks)
            .map(|k| {
                u16::from_le_bytes([bytes[1024 + 512 * k + 28], bytes[1024 + 512 * k + 29]])
                    as usize
            })
            .collect();
        assert!(counts.iter().all(|&c| c == per_block), "{name}: {counts:?}");
        let sig = raw(&path);
        assert_eq!(sig.len(), blocks * per_block, "{name}");
        assert_eq!(sig.stated_rate_hz, Some(rate), "{name}");
        assert!(
            strictly_increasing(&sig.time_s),
            "{name}: times not monotone"
        );
        // The clock-derived rate is within 5 % of the stated one (AX oscillators drift).
        let measured = (sig.len() - 1) as f64 / sig.time_s[sig.len() - 1];
        assert!(
            (measured / rate - 1.0).abs() < 0.05,
            "{name}: {measured} Hz"
        );
        let g = median_norm_g(&sig);
        assert!((0.9..1.1).contains(&g), "{name}: median |a| {g} g");
        assert_eq!(sig.gyro_dps.is_some(), gyro, "{name}");
        if let Some(gy) = &sig.gyro_dps {
            assert!(
                gy.iter()
                    .flatten()
                    .all(|v| v.is_finite() && v.abs() <= 2000.0)
            );
        }
        println!(
            "{name}: {blocks} blocks × {per_block} = {} samples, {measured:.2} Hz by the clock, median |a| {g:.3} g",
            sig.len()
        );
    }
}

#[test]
fn geneactiv_pages_hold_300_samples() {
    let Some(dir) = binaries() else { return };
    let path = dir.join("geneactiv-50hz.bin");
    let text = std::fs::read_to_string(&path).unwrap();
    let pages = text.lines().filter(|l| *l == "Recorded Data").count();
    assert_eq!(pages, 3);
    let sig = raw(&path);
    assert_eq!(sig.len(), pages * 300);
    assert_eq!(sig.stated_rate_hz, Some(50.0));
    // Within a page, exactly 1/50 s apart; pages start at their own page time.
    for p in 0..pages {
        let t = &sig.time_s[p * 300..(p + 1) * 300];
        assert!(t.windows(2).all(|w| (w[1] - w[0] - 0.02).abs() < 1e-9));
    }
    let g = median_norm_g(&sig);
    assert!((0.9..1.1).contains(&g), "median |a| {g} g");
    // Page 0 at 2019-05-21 16:16:43.500, GMT −04:00.
    let start = chrono::NaiveDate::from_ymd_opt(2019, 5, 21)
        .unwrap()
        .and_hms_milli_opt(20, 16, 43, 500)
        .unwrap()
        .and_utc()
        .timestamp_millis() as f64
        / 1000.0;
    assert_eq!(sig.start_unix_s, Some(start));
}

#[test]
fn gt3x_log_bin_fills_idle_sleep_to_whole_seconds() {
    let Some(dir) = binaries() else { return };
    let sig = raw(&dir.join("actigraph-wgt3x-bt-waist-30hz.gt3x"));
    assert_eq!(sig.stated_rate_hz, Some(30.0));
    assert!(strictly_increasing(&sig.time_s));
    // Every second from the first record to the last holds 30 samples (idle sleep filled).
    let span_s = sig.time_s[sig.len() - 1] + 1.0 / 30.0;
    assert_eq!(sig.len(), (span_s * 30.0).round() as usize);
    assert!(
        sig.warnings
            .iter()
            .any(|w| w.message.contains("idle sleep"))
    );
    let g = median_norm_g(&sig);
    assert!((0.9..1.1).contains(&g), "median |a| {g} g");
}

// ---- hostile binaries ----

fn refused(path: &Path, wants: &[&str]) {
    let out = gg().arg("analyze").arg(path).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{}: {err}", path.display());
    assert!(!err.contains("panicked"), "{err}");
    let name = path.file_name().unwrap().to_string_lossy();
    assert!(err.contains(&*name), "{err}");
    for w in wants {
        assert!(err.contains(w), "wanted '{w}' in: {err}");
    }
}

/// Set a CWA block's checksum so its 16-bit word sum is 0 again.
fn fix_cwa_checksum(block: &mut [u8]) {
    let sum = (0..255).fold(0u16, |s, i| {
        s.wrapping_add(u16::from_le_bytes([block[2 * i], block[2 * i + 1]]))
    });
    block[510..512].copy_from_slice(&0u16.wrapping_sub(sum).to_le_bytes());
}

#[test]
fn hostile_cwa_files_name_the_block() {
    let Some(dir) = binaries() else { return };
    let real = std::fs::read(dir.join("axivity-ax3-200hz.cwa")).unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let write = |name: &str, b: &[u8]| {
        let p = tmp.path().join(name);
        std::fs::write(&p, b).unwrap();
        p
    };
    let cut = write("cut.cwa", &real[..1024 + 512 * 5 + 100]);
    refused(&cut, &["block 5", "cut short", "byte 3584"]);
    let mut bad = real.clone();
    bad[1024 + 512 * 2 + 100] ^= 0x40;
    refused(&write("checksum.cwa", &bad), &["block 2", "checksum"]);
    let mut rate = real.clone();
    let b7 = 1024 + 512 * 7;
    rate[b7 + 24] = 0x40; // code 0: 0.1 Hz
    fix_cwa_checksum(&mut rate[b7..b7 + 512]);
    refused(
        &write("rate.cwa", &rate),
        &["block 7", "sample-rate code 0x40"],
    );
    let mut axes = real.clone();
    axes[b7 + 25] = 0x31;
    fix_cwa_checksum(&mut axes[b7..b7 + 512]);
    refused(&write("axes.cwa", &axes), &["block 7", "packing"]);
    let mut count = real;
    count[b7 + 28..b7 + 30].copy_from_slice(&500u16.to_le_bytes());
    fix_cwa_checksum(&mut count[b7..b7 + 512]);
    refused(&write("count.cwa", &count), &["block 7", "500 samples"]);
    refused(
        &write("header.cwa", b"MD\xfc\x03short"),
        &["header block is cut short"],
    );
}

/// The members of a zip, in order.
fn zip_members(path: &Path) -> Vec<(String, Vec<u8>)> {
    let mut z = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    (0..z.len())
        .map(|i| {
            let mut f = z.by_index(i).unwrap();
            let mut b = Vec::new();
            f.read_to_end(&mut b).unwrap();
            (f.name().to_string(), b)
        })
        .collect()
}

fn write_zip(path: &Path, members: &[(String, Vec<u8>)]) {
    let mut z = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    for (name, b) in members {
        z.start_file(name.as_str(), zip::write::SimpleFileOptions::default())
            .unwrap();
        z.write_all(b).unwrap();
    }
    z.finish().unwrap();
}

#[test]
fn hostile_gt3x_files_name_the_record() {
    let Some(dir) = binaries() else { return };
    let real = zip_members(&dir.join("actigraph-wgt3x-bt-waist-30hz.gt3x"));
    let tmp = tempfile::tempdir().unwrap();
    let with = |name: &str, f: &dyn Fn(&str, &mut Vec<u8>) -> bool| {
        let members: Vec<(String, Vec<u8>)> = real
            .iter()
            .filter_map(|(n, b)| {
                let mut b = b.clone();
                f(n, &mut b).then(|| (n.clone(), b))
            })
            .collect();
        let p = tmp.path().join(name);
        write_zip(&p, &members);
        p
    };
    let no_info = with("no-info.gt3x", &|n, _| n != "info.txt");
    refused(&no_info, &["no info.txt"]);
    let cut = with("cut.gt3x", &|n, b| {
        if n == "log.bin" {
            b.truncate(b.len() - 50);
        }
        true
    });
    refused(&cut, &["log.bin record", "cut short"]);
    // Flip a payload byte of the first ACTIVITY record (type 0x00).
    let bad = with("checksum.gt3x", &|n, b| {
        if n == "log.bin" {
            let at = (0..b.len())
                .find(|&i| b[i] == 0x1e && b[i + 1] == 0x00)
                .unwrap();
            b[at + 20] ^= 0x10;
        }
        true
    });
    refused(&bad, &["log.bin record", "bad checksum"]);
    let rate = with("rate.gt3x", &|n, b| {
        if n == "info.txt" {
            *b = String::from_utf8_lossy(b)
                .replace("Sample Rate: 30", "Sample Rate: 0")
                .into_bytes();
        }
        true
    });
    refused(&rate, &["Sample Rate", "from 1 to 10000"]);
}

#[test]
fn hostile_geneactiv_files_name_the_page() {
    let Some(dir) = binaries() else { return };
    let real = std::fs::read_to_string(dir.join("geneactiv-50hz.bin")).unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let p = tmp.path().join("cut.bin");
    std::fs::write(&p, &real[..real.len() - 1000]).unwrap();
    refused(&p, &["GENEActiv page 2", "whole samples"]);
    let p = tmp.path().join("nocal.bin");
    std::fs::write(&p, real.replace("x gain:", "x gayn:")).unwrap();
    refused(&p, &["no 'x gain'"]);
    let p = tmp.path().join("rate.bin");
    std::fs::write(
        &p,
        real.replace("Measurement Frequency:50.0", "Measurement Frequency:0.0"),
    )
    .unwrap();
    refused(&p, &["page 0", "Measurement Frequency '0.0'"]);
}

#[test]
fn analyze_runs_on_every_real_sensor_file() {
    let Some(dir) = binaries() else { return };
    for (name, format) in [
        ("axivity-ax3-200hz.cwa", "axivity-cwa"),
        ("axivity-ax6-100hz-gyro.cwa", "axivity-cwa"),
        ("actigraph-gt3x-neo-30hz.gt3x", "actigraph-gt3x"),
        ("actigraph-wgt3x-bt-waist-30hz.gt3x", "actigraph-gt3x"),
        ("geneactiv-50hz.bin", "geneactiv-bin"),
    ] {
        let out = gg().arg("analyze").arg(dir.join(name)).output().unwrap();
        let (stdout, stderr) = (
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr),
        );
        assert!(!stderr.contains("panicked"), "{name}: {stderr}");
        match out.status.code() {
            Some(0) => {
                assert!(stdout.contains(format), "{name}: {stdout}");
                let activity = stdout
                    .lines()
                    .find(|l| l.trim_start().starts_with("activity"));
                println!("{name}: {}", activity.unwrap_or("").trim());
            }
            Some(1) => {
                assert!(stderr.contains(name), "{name}: {stderr}");
                println!("{name}: refused: {}", stderr.trim());
            }
            c => panic!("{name}: exit {c:?}: {stderr}"),
        }
    }
}

#[test]
fn cut_or_flipped_sensor_files_never_panic() {
    use gaitguard::ingest::Dialect;
    use gaitguard::ingest::native::read_native;
    let Some(dir) = binaries() else { return };
    for (name, dialect) in [
        ("axivity-ax3-200hz.cwa", Dialect::AxivityCwa),
        ("axivity-ax6-100hz-gyro.cwa", Dialect::AxivityCwa),
        ("actigraph-gt3x-neo-30hz.gt3x", Dialect::ActigraphGt3x),
        ("actigraph-wgt3x-bt-waist-30hz.gt3x", Dialect::ActigraphGt3x),
        ("geneactiv-50hz.bin", Dialect::GeneactivBin),
    ] {
        let real = std::fs::read(dir.join(name)).unwrap();
        let path = Path::new(name);
        // A fixed linear-congruential sequence of positions: reproducible, spread over the file.
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        for _ in 0..60 {
            x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            let at = (x >> 33) as usize % real.len();
            let _ = read_native(path, &real[..at], dialect);
            let mut flipped = real.clone();
            flipped[at] ^= 1 << ((x >> 20) % 8);
            let _ = read_native(path, &flipped, dialect);
        }
    }
}

/// The AX6 gyroscope scale checked by physics: over half-second windows in which the sensor
/// is quasi-static (|a| within 0.1 g of 1 g throughout), the rotation the gyroscope integrates
/// matches the change of the gravity direction the accelerometer sees. A wrong full-scale
/// range (1000 instead of 2000 deg/s, or the reverse) would put the median ratio near 0.5
/// or 2.
#[test]
fn ax6_gyroscope_rotation_matches_the_accelerometer_tilt() {
    let Some(dir) = binaries() else { return };
    let sig = raw(&dir.join("axivity-ax6-100hz-gyro.cwa"));
    let gyro = sig.gyro_dps.as_ref().unwrap();
    let a = |i: usize| [0, 1, 2].map(|k| sig.acc_mps2[k][i] / G);
    let norm = |v: [f64; 3]| v.iter().map(|x| x * x).sum::<f64>().sqrt();
    let w = 50; // about 0.5 s at 98 Hz
    let mut ratios = Vec::new();
    for s in (0..sig.len() - w).step_by(w / 2) {
        if (s..=s + w).any(|j| (norm(a(j)) - 1.0).abs() > 0.1) {
            continue;
        }
        let (a0, a1) = (a(s), a(s + w));
        let cos = (0..3).map(|k| a0[k] * a1[k]).sum::<f64>() / norm(a0) / norm(a1);
        let tilt_deg = cos.clamp(-1.0, 1.0).acos().to_degrees();
        let turned = [0, 1, 2].map(|k| {
            (s..s + w)
                .map(|j| gyro[k][j] * (sig.time_s[j + 1] - sig.time_s[j]))
                .sum::<f64>()
        });
        if tilt_deg > 10.0 {
            ratios.push(norm(turned) / tilt_deg);
        }
    }
    assert!(ratios.len() >= 5, "{} quasi-static turns", ratios.len());
    let r = med(ratios.clone());
    println!(
        "AX6: gyro/accel rotation ratio median {r:.2} over {} windows",
        ratios.len()
    );
    assert!((0.75..1.33).contains(&r), "median ratio {r}");
}

/// `block` reads a folder of native recordings: each file a session; a `.bin` that is not a
/// GENEActiv recording is skipped, not a failure.
#[test]
fn block_reads_native_recordings() {
    let Some(src) = crate::common::shared_data("formats/sensor-binaries") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let mut n = 0;
    for e in std::fs::read_dir(&src).unwrap().flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        if name.ends_with(".cwa") || name.ends_with(".gt3x") || name.ends_with(".bin") {
            std::fs::copy(e.path(), dir.path().join(&name)).unwrap();
            n += 1;
        }
    }
    std::fs::write(dir.path().join("firmware.bin"), [0u8, 1, 2, 3]).unwrap();
    let out = crate::common::gg()
        .arg("block")
        .arg(dir.path())
        .args(["--json", "-", "--quiet"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["sessions"].as_array().unwrap().len(), n, "{v}");
    assert!(
        v["failures"].as_array().unwrap().is_empty(),
        "{}",
        v["failures"]
    );
    assert!(
        v["skipped"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["file"].as_str().unwrap().ends_with("firmware.bin"))
    );
}
