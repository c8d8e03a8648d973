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

// ---- streaming (issue 16, item 2) ----

use gaitguard::error::IngestError;
use gaitguard::ingest::Dialect;
use gaitguard::ingest::native::{read_native, stream_native};
use gaitguard::ingest::stream::{CHUNK_SAMPLES, Chunk, SampleSink, StreamMeta};
use gaitguard::recording::Warning;
use gaitguard::simulate::cwa_writer::packed_time;

const SENSOR_FILES: [(&str, Dialect); 5] = [
    ("axivity-ax3-200hz.cwa", Dialect::AxivityCwa),
    ("axivity-ax6-100hz-gyro.cwa", Dialect::AxivityCwa),
    ("actigraph-gt3x-neo-30hz.gt3x", Dialect::ActigraphGt3x),
    ("actigraph-wgt3x-bt-waist-30hz.gt3x", Dialect::ActigraphGt3x),
    ("geneactiv-50hz.bin", Dialect::GeneactivBin),
];

/// A sink that keeps everything it is given and checks the push contract as it goes: one
/// `begin` before any chunk, chunks never empty and never above [`CHUNK_SAMPLES`].
#[derive(Default)]
struct Recorder {
    metas: Vec<StreamMeta>,
    all: Option<Chunk>,
    chunks: usize,
    largest: usize,
    warnings: Vec<Warning>,
}

impl SampleSink for Recorder {
    fn begin(&mut self, meta: StreamMeta) -> Result<(), IngestError> {
        assert!(self.all.is_none(), "begin after a chunk");
        self.all = Some(Chunk::with_capacity(0, meta.has_gyro, meta.has_speed));
        self.metas.push(meta);
        Ok(())
    }

    fn push(&mut self, chunk: &Chunk) -> Result<(), IngestError> {
        assert!(!chunk.is_empty(), "an empty chunk");
        assert!(chunk.len() <= CHUNK_SAMPLES, "{} samples", chunk.len());
        let all = self.all.as_mut().expect("a chunk before begin");
        all.extend_from(chunk, 0..chunk.len());
        self.chunks += 1;
        self.largest = self.largest.max(chunk.len());
        Ok(())
    }

    fn warn(&mut self, warning: Warning) {
        self.warnings.push(warning);
    }
}

/// NaN-aware bit equality of two channels.
fn same_bits(a: &[f64], b: &[f64]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.to_bits() == y.to_bits())
}

/// Streaming the file from disk gives, sample by sample, what decoding the whole file in
/// memory gives: chunk times are seconds after the first sample's whole Unix second, so
/// `origin + t` is the absolute time and `t − t₀` the whole-file time axis, exactly.
#[test]
fn streaming_from_disk_equals_whole_file_decoding_on_every_sensor_binary() {
    let Some(dir) = binaries() else { return };
    for (name, dialect) in SENSOR_FILES {
        let path = dir.join(name);
        let whole = read_native(&path, &std::fs::read(&path).unwrap(), dialect).unwrap();
        let mut rec = Recorder::default();
        stream_native(&path, dialect, &mut rec).unwrap();
        assert_eq!(rec.metas.len(), 1, "{name}: begin once");
        let meta = &rec.metas[0];
        let all = rec.all.unwrap();
        assert_eq!(all.len(), whole.len(), "{name}");
        let origin = meta.origin_unix_s.unwrap();
        assert_eq!(origin.fract(), 0.0, "{name}: a whole second");
        let t0 = all.time_s[0];
        // The first sample's time after the whole second its block or record is stamped
        // with (a CWA block's first sample can precede its stamp).
        assert!(t0.abs() < 60.0, "{name}: t0 {t0}");
        assert_eq!(Some(origin + t0), whole.start_unix_s, "{name}");
        let rel: Vec<f64> = all.time_s.iter().map(|t| t - t0).collect();
        assert!(same_bits(&rel, &whole.time_s), "{name}: times");
        for a in 0..3 {
            assert!(
                same_bits(&all.acc_mps2[a], &whole.acc_mps2[a]),
                "{name}: axis {a}"
            );
        }
        assert_eq!(all.gyro_dps.is_some(), whole.gyro_dps.is_some(), "{name}");
        if let (Some(s), Some(w)) = (&all.gyro_dps, &whole.gyro_dps) {
            assert!((0..3).all(|a| same_bits(&s[a], &w[a])), "{name}: gyro");
        }
        assert_eq!(meta.format, whole.format);
        assert_eq!(meta.device, whole.device);
        assert_eq!(meta.stated_rate_hz, whole.stated_rate_hz);
        assert_eq!(meta.time_source, whole.time_source);
        assert_eq!(meta.accel_unit, whole.accel_unit);
        assert_eq!(meta.gravity_included, whole.gravity_included);
        let msgs = |w: &[Warning]| w.iter().map(|w| w.message.clone()).collect::<Vec<_>>();
        assert_eq!(msgs(&rec.warnings), msgs(&whole.warnings), "{name}");
        // Every chunk but the last is full.
        assert_eq!(rec.chunks, whole.len().div_ceil(CHUNK_SAMPLES), "{name}");
        println!(
            "{name}: {} samples in {} chunks (largest {})",
            all.len(),
            rec.chunks,
            rec.largest
        );
    }
}

/// Cut or flipped files fail (or decode) alike streamed from disk and decoded whole: the
/// same error text, naming the same block, record or page and byte offset.
#[test]
fn cut_or_flipped_files_fail_alike_streamed_and_whole() {
    let Some(dir) = binaries() else { return };
    let tmp = tempfile::tempdir().unwrap();
    for (name, dialect) in SENSOR_FILES {
        let real = std::fs::read(dir.join(name)).unwrap();
        let path = tmp.path().join(name);
        let mut x: u64 = 0x2545_f491_4f6c_dd1d;
        for round in 0..12 {
            x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            let at = (x >> 33) as usize % real.len();
            let bytes = if round % 2 == 0 {
                real[..at].to_vec()
            } else {
                let mut b = real.clone();
                b[at] ^= 1 << ((x >> 20) % 8);
                b
            };
            std::fs::write(&path, &bytes).unwrap();
            let whole = read_native(&path, &bytes, dialect);
            let mut rec = Recorder::default();
            let streamed = stream_native(&path, dialect, &mut rec);
            match (whole, streamed) {
                (Ok(w), Ok(())) => assert_eq!(rec.all.map_or(0, |c| c.len()), w.len()),
                (Err(w), Err(s)) => assert_eq!(w.to_string(), s.to_string(), "{name} @ {at}"),
                (w, s) => panic!(
                    "{name} @ {at}: whole {:?}, streamed {s:?}",
                    w.map(|w| w.len())
                ),
            }
        }
    }
}

/// Start of the synthetic CWA recordings, Unix s (2024-03-05 06:07:08 UTC).
const SYNTH_START_S: i64 = 1_709_618_828;

/// The x count of synthetic sample `n` (a sawtooth over the 10-bit range), 1/256 g.
fn synth_x(n: usize) -> i32 {
    (n % 1000) as i32 - 500
}

/// A synthetic AX3 recording at 100 Hz: the header block, then `blocks` data blocks of 100
/// packed samples (one second each, the RTC counting seconds), x a sawtooth, y −1 g, z 0.
/// Written block by block, never held whole.
fn write_synthetic_cwa(path: &Path, blocks: usize) {
    let mut f = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    let mut header = vec![0u8; 1024];
    header[..2].copy_from_slice(b"MD");
    header[2..4].copy_from_slice(&1020u16.to_le_bytes());
    header[4] = 0x17; // AX3
    header[5..7].copy_from_slice(&4242u16.to_le_bytes());
    header[7..11].copy_from_slice(&7u32.to_le_bytes());
    f.write_all(&header).unwrap();
    let mut b = [0u8; 512];
    for k in 0..blocks {
        b.fill(0);
        b[..2].copy_from_slice(b"AX");
        b[2..4].copy_from_slice(&508u16.to_le_bytes());
        b[14..18].copy_from_slice(&packed_time(SYNTH_START_S + k as i64).unwrap().to_le_bytes());
        b[24] = 0x4a; // 100 Hz, ±8 g
        b[25] = 0x30; // 3 axes, packed
        b[28..30].copy_from_slice(&100u16.to_le_bytes());
        for i in 0..100 {
            let ten = |v: i32| (v as u32) & 0x3ff;
            let v = ten(synth_x(100 * k + i)) | (ten(-256) << 10);
            b[30 + 4 * i..34 + 4 * i].copy_from_slice(&v.to_le_bytes());
        }
        fix_cwa_checksum(&mut b);
        f.write_all(&b).unwrap();
    }
    f.flush().unwrap();
}

/// A sink that keeps no sample: counts, checks the sawtooth and the time axis as chunks pass.
#[derive(Default)]
struct Counter {
    begun: usize,
    origin_unix_s: Option<f64>,
    samples: usize,
    chunks: usize,
    largest: usize,
    max_time_err_s: f64,
    wrong_values: usize,
}

impl SampleSink for Counter {
    fn begin(&mut self, meta: StreamMeta) -> Result<(), IngestError> {
        self.begun += 1;
        self.origin_unix_s = meta.origin_unix_s;
        Ok(())
    }

    fn push(&mut self, chunk: &Chunk) -> Result<(), IngestError> {
        assert!(chunk.len() <= CHUNK_SAMPLES && !chunk.is_empty());
        for (j, t) in chunk.time_s.iter().enumerate() {
            let n = self.samples + j;
            self.max_time_err_s = self.max_time_err_s.max((t - n as f64 / 100.0).abs());
            let want = [f64::from(synth_x(n)) / 256.0 * G, -G, 0.0];
            self.wrong_values += usize::from((0..3).any(|a| chunk.acc_mps2[a][j] != want[a]));
        }
        self.samples += chunk.len();
        self.chunks += 1;
        self.largest = self.largest.max(chunk.len());
        Ok(())
    }

    fn warn(&mut self, _: Warning) {}
}

/// A long synthetic CWA (20 000 one-second blocks, 2 million samples) streams through a
/// counting sink: every sample arrives once, in chunks of at most CHUNK_SAMPLES (all full
/// but the last: nothing is held back), with the closed-form values and times.
#[test]
fn a_long_synthetic_cwa_streams_in_bounded_chunks() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("long.cwa");
    let blocks = 20_000;
    write_synthetic_cwa(&path, blocks);
    let mut c = Counter::default();
    stream_native(&path, Dialect::AxivityCwa, &mut c).unwrap();
    assert_eq!(c.begun, 1);
    assert_eq!(c.origin_unix_s, Some(SYNTH_START_S as f64));
    assert_eq!(c.samples, blocks * 100);
    assert_eq!(c.largest, CHUNK_SAMPLES);
    assert_eq!(c.chunks, (blocks * 100).div_ceil(CHUNK_SAMPLES));
    assert_eq!(c.wrong_values, 0);
    assert!(c.max_time_err_s < 1e-9, "{} s", c.max_time_err_s);
}

/// Damage deep in a long CWA is found mid-stream and named as the whole-file decoder names
/// it: a bad checksum in block 1000, a block cut short at the end after 1200 good ones.
#[test]
fn damage_deep_in_a_long_cwa_names_the_block_mid_stream() {
    let tmp = tempfile::tempdir().unwrap();
    let good = tmp.path().join("good.cwa");
    write_synthetic_cwa(&good, 1500);
    let real = std::fs::read(&good).unwrap();
    let block = |k: usize| 1024 + 512 * k;
    let mut flipped = real.clone();
    flipped[block(1000) + 100] ^= 0x08;
    let cut = real[..block(1200) + 300].to_vec();
    for (name, bytes, wants) in [
        (
            "checksum.cwa",
            flipped,
            vec!["CWA data block 1000", "bad checksum", "byte 513024"],
        ),
        (
            "cut.cwa",
            cut,
            vec![
                "CWA data block 1200",
                "cut short (300 of 512 bytes)",
                "byte 615424",
            ],
        ),
    ] {
        let path = tmp.path().join(name);
        std::fs::write(&path, &bytes).unwrap();
        let mut c = Counter::default();
        let e = stream_native(&path, Dialect::AxivityCwa, &mut c)
            .unwrap_err()
            .to_string();
        for w in &wants {
            assert!(e.contains(w), "wanted '{w}' in {e}");
        }
        assert!(e.contains(name), "{e}");
        let whole = read_native(&path, &bytes, Dialect::AxivityCwa).unwrap_err();
        assert_eq!(whole.to_string(), e);
        // The good blocks before the damage went through before it was found.
        assert!(c.samples > 900 * 100, "{} samples streamed", c.samples);
        assert_eq!(c.wrong_values, 0);
    }
}

/// Peak memory of decoding a long synthetic CWA (a measurement, not a check; run alone:
/// `RSS_CWA_BLOCKS=604800 cargo test --test suite peak_rss -- --ignored --nocapture`, with
/// `RSS_CWA_WHOLE=1` for the whole-file path). The default is a week at 100 Hz: 604 800
/// one-second blocks, 60.5 million samples, 310 MB. Prints the process's VmHWM (peak
/// resident set) before and after decoding.
#[test]
#[ignore]
fn peak_rss_of_decoding_a_long_synthetic_cwa() {
    let blocks: usize = std::env::var("RSS_CWA_BLOCKS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(604_800);
    let whole = std::env::var("RSS_CWA_WHOLE").is_ok_and(|v| v == "1");
    let vm_hwm_kib = || {
        std::fs::read_to_string("/proc/self/status")
            .ok()
            .and_then(|s| {
                s.lines()
                    .find_map(|l| l.strip_prefix("VmHWM:"))
                    .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
            })
            .unwrap_or(0)
    };
    let tmp = tempfile::tempdir_in(std::env::temp_dir()).unwrap();
    let path = tmp.path().join("week.cwa");
    write_synthetic_cwa(&path, blocks);
    let size_mb = std::fs::metadata(&path).unwrap().len() as f64 / 1e6;
    let before = vm_hwm_kib();
    let samples = if whole {
        let bytes = std::fs::read(&path).unwrap();
        read_native(&path, &bytes, Dialect::AxivityCwa)
            .unwrap()
            .len()
    } else {
        let mut c = Counter::default();
        stream_native(&path, Dialect::AxivityCwa, &mut c).unwrap();
        assert_eq!(c.wrong_values, 0);
        c.samples
    };
    assert_eq!(samples, blocks * 100);
    println!(
        "{} {size_mb:.0} MB CWA, {samples} samples: VmHWM {} MiB before decoding, {} MiB after",
        if whole { "whole-file" } else { "streamed" },
        before / 1024,
        vm_hwm_kib() / 1024
    );
}
