//! Free-living wear (issue 16): `gaitguard simulate --free-living DAYS` writes an Axivity
//! `.cwa` file and its truth, decoded back with the library's CWA reader; the generator
//! streamed into a [`SampleSink`] in chunks.

use crate::common::gg;
use gaitguard::error::IngestError;
use gaitguard::ingest::native::cwa::read_cwa;
use gaitguard::ingest::stream::{CHUNK_SAMPLES, Chunk, SampleSink, StreamMeta};
use gaitguard::recording::{AccelUnit, AxisFrame, Decided, TimeSource, Warning};
use gaitguard::simulate::free_living::{
    FreeLiving, FreeLivingSpec, TruthActivity, WearPlacement, schedule,
};
use gaitguard::units::STANDARD_GRAVITY_MPS2;
use serde_json::Value;
use std::path::Path;

/// The generator as a stream source: [`StreamMeta`] for a simulated free-living recording
/// (sensor axes, g, gravity included, times from the first sample), then chunks of at most
/// [`CHUNK_SAMPLES`] samples in m/s². The simulator may not depend on `ingest` (the house
/// layering), so this adapter lives with its caller.
fn stream_free_living(
    sim: &mut FreeLiving,
    path: &Path,
    sink: &mut dyn SampleSink,
) -> Result<(), IngestError> {
    let spec = *sim.spec();
    sink.begin(StreamMeta {
        path: path.to_path_buf(),
        format: "simulated-free-living",
        device: Some(format!("simulated {} sensor", spec.placement)),
        origin_unix_s: Some(spec.start_unix_s as f64),
        time_source: TimeSource::Column,
        stated_rate_hz: Some(spec.rate_hz),
        axes: AxisFrame::Sensor,
        has_gyro: false,
        has_speed: false,
        accel_unit: (AccelUnit::G, Decided::Header),
        gravity_included: (true, Decided::Header),
    })?;
    let mut time_s = Vec::with_capacity(CHUNK_SAMPLES);
    let mut acc_g = [
        Vec::with_capacity(CHUNK_SAMPLES),
        Vec::with_capacity(CHUNK_SAMPLES),
        Vec::with_capacity(CHUNK_SAMPLES),
    ];
    let mut chunk = Chunk::with_capacity(CHUNK_SAMPLES, false, false);
    while sim.next_samples(CHUNK_SAMPLES, &mut time_s, &mut acc_g) > 0 {
        chunk.clear();
        for (i, &t) in time_s.iter().enumerate() {
            chunk.push(t, [0, 1, 2].map(|j| acc_g[j][i] * STANDARD_GRAVITY_MPS2));
        }
        sink.push(&chunk)?;
    }
    Ok(())
}

/// A sink that keeps only counts and the time-of-day stillness it sees.
#[derive(Default)]
struct Tally {
    meta: Option<StreamMeta>,
    samples: usize,
    chunks: usize,
    largest_chunk: usize,
    last_t: f64,
    /// Samples whose |a| is within 0.05 g of 1 g.
    near_one_g: usize,
}

impl SampleSink for Tally {
    fn begin(&mut self, meta: StreamMeta) -> Result<(), IngestError> {
        self.meta = Some(meta);
        Ok(())
    }

    fn push(&mut self, chunk: &Chunk) -> Result<(), IngestError> {
        assert!(!chunk.is_empty());
        self.chunks += 1;
        self.largest_chunk = self.largest_chunk.max(chunk.len());
        for i in 0..chunk.len() {
            let t = chunk.time_s[i];
            assert!(self.samples == 0 || t > self.last_t);
            self.last_t = t;
            let g = (0..3)
                .map(|j| chunk.acc_mps2[j][i].powi(2))
                .sum::<f64>()
                .sqrt()
                / STANDARD_GRAVITY_MPS2;
            if (g - 1.0).abs() < 0.05 {
                self.near_one_g += 1;
            }
        }
        self.samples += chunk.len();
        Ok(())
    }

    fn warn(&mut self, _warning: Warning) {}
}

#[test]
fn the_generator_streams_into_a_sink_in_bounded_chunks() {
    let spec = FreeLivingSpec {
        days: 1,
        rate_hz: 25.0,
        placement: WearPlacement::Trunk,
        seed: 4,
        ..FreeLivingSpec::default()
    };
    let mut sim = FreeLiving::new(spec);
    let mut sink = Tally::default();
    stream_free_living(&mut sim, Path::new("sim.cwa"), &mut sink).unwrap();
    assert_eq!(sink.samples, 86_400 * 25);
    assert_eq!(sink.largest_chunk, CHUNK_SAMPLES);
    assert_eq!(sink.chunks, (86_400 * 25usize).div_ceil(CHUNK_SAMPLES));
    assert!((sink.last_t - (86_400.0 - 0.04)).abs() < 1e-6);
    let meta = sink.meta.unwrap();
    assert_eq!(meta.origin_unix_s, Some(1_788_739_200.0));
    // Most of a day is still (sleep, sitting, desk): gravity alone.
    let still: f64 = sim
        .truth()
        .iter()
        .filter(|b| {
            matches!(
                b.activity,
                TruthActivity::Sleep | TruthActivity::Sitting | TruthActivity::Typing
            )
        })
        .map(|b| b.duration_s())
        .sum();
    let share = sink.near_one_g as f64 / sink.samples as f64;
    assert!(share > 0.9 * still / 86_400.0, "{share} {still}");
}

fn truth_of(path: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

#[test]
fn simulate_free_living_writes_a_cwa_day_and_its_truth() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("day.cwa");
    let o = gg()
        .args(["simulate", "--free-living", "1", "--placement", "trunk"])
        .args(["--seed", "3", "--start", "2026-09-12T00:00:00Z", "--out"])
        .arg(&out)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(stderr.contains("8640000 samples"), "{stderr}");

    // The truth is the library's schedule for the same specification.
    let truth = truth_of(&dir.path().join("day.truth.json"));
    let spec = FreeLivingSpec {
        days: 1,
        placement: WearPlacement::Trunk,
        seed: 3,
        start_unix_s: 1_789_171_200,
        ..FreeLivingSpec::default()
    };
    let want = schedule(&spec);
    let bouts = truth["bouts"].as_array().unwrap();
    assert_eq!(bouts.len(), want.len());
    assert_eq!(truth["placement"], "trunk");
    assert_eq!(truth["start"], "2026-09-12T00:00:00Z");
    for (b, w) in bouts.iter().zip(&want) {
        assert_eq!(b["activity"], w.activity.name());
        assert!((b["end_s"].as_f64().unwrap() - w.end_s).abs() < 1e-3);
    }
    assert_eq!(bouts.last().unwrap()["end_s"], 86_400.0);
    // A Saturday: no bus, one run.
    assert!(bouts.iter().all(|b| b["activity"] != "bus"));
    assert_eq!(
        bouts.iter().filter(|b| b["activity"] == "running").count(),
        1
    );

    // The file is a real AX3 recording of the whole day.
    let bytes = std::fs::read(&out).unwrap();
    assert_eq!(bytes.len(), 1024 + 108_000 * 512);
    let sig = read_cwa(&out, &bytes).unwrap();
    assert_eq!(sig.len(), 8_640_000);
    assert_eq!(sig.start_unix_s, Some(1_789_171_200.0));
    assert_eq!(sig.stated_rate_hz, Some(100.0));
    assert!((sig.time_s[8_639_999] - 86_399.99).abs() < 1e-4);
    assert!(sig.warnings.is_empty(), "{:?}", sig.warnings);
}

#[test]
fn free_living_options_are_checked() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("week.csv");
    let o = gg()
        .args(["simulate", "--free-living", "2", "--out"])
        .arg(&csv)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("a .cwa path"));
    let cwa = dir.path().join("week.cwa");
    for (args, says) in [
        (vec!["--free-living", "0"], "from 1 to 30"),
        (vec!["--free-living", "31"], "from 1 to 30"),
        (
            vec!["--free-living", "1", "--placement", "foot"],
            "wrist or trunk",
        ),
        (vec!["--placement", "wrist"], "--free-living"),
        (vec!["--free-living", "1", "--raw"], "cannot be used with"),
    ] {
        let o = gg()
            .arg("simulate")
            .args(&args)
            .arg("--out")
            .arg(&cwa)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains(says), "{args:?}: {err}");
    }
    assert!(!cwa.exists());
}

/// The bout finder and the engine on simulated days of wear, against the simulator's truth:
/// every run found and confirmed at its cadence, no bus ride or typing ever a running
/// candidate, walking time near the truth's.
#[test]
fn a_simulated_day_of_wear_gives_the_truths_runs_and_walks() {
    use gaitguard::wear::WearSink;
    use gaitguard::wear::bouts::BoutKind;
    use gaitguard::wear::sink::Verdict;
    for (placement, seed) in [(WearPlacement::Wrist, 21), (WearPlacement::Trunk, 22)] {
        let spec = FreeLivingSpec {
            days: 1,
            placement,
            seed,
            ..FreeLivingSpec::default()
        };
        let mut sim = FreeLiving::new(spec);
        let opts = gaitguard::pipeline::SessionOptions::default();
        let mut sink = WearSink::new(&opts);
        stream_free_living(&mut sim, Path::new("day.cwa"), &mut sink).unwrap();
        let w = sink.finish(Path::new("day.cwa")).unwrap();
        let truth = sim.truth();
        let of = |a: TruthActivity| truth.iter().filter(move |b| b.activity == a);
        let overlaps = |s: f64, e: f64, a: TruthActivity| {
            of(a).any(|b| b.start_s < e - 5.0 && b.end_s > s + 5.0)
        };
        // No bus ride, typing or sleep is ever a running candidate.
        for b in w.bouts.iter().filter(|b| b.found.kind == BoutKind::Running) {
            for a in [
                TruthActivity::Bus,
                TruthActivity::Typing,
                TruthActivity::Sleep,
            ] {
                assert!(
                    !overlaps(b.found.start_s, b.found.end_s, a),
                    "{placement}: a running candidate in {a}: {:?}",
                    b.found
                );
            }
        }
        // Every true run is a confirmed run at its cadence.
        let runs: Vec<_> = of(TruthActivity::Running).collect();
        assert!(!runs.is_empty());
        for r in &runs {
            let found = w
                .runs
                .iter()
                .find(|s| {
                    let b = &w.bouts[s.bout].found;
                    b.start_s < r.end_s && b.end_s > r.start_s
                })
                .unwrap_or_else(|| panic!("{placement}: no run found for {r:?}"));
            assert_eq!(w.bouts[found.bout].verdict, Some(Verdict::Confirmed));
            let b = &w.bouts[found.bout].found;
            assert!(
                (b.start_s - r.start_s).abs() < 30.0,
                "{placement}: {b:?} vs {r:?}"
            );
            assert!(
                (b.end_s - r.end_s).abs() < 30.0,
                "{placement}: {b:?} vs {r:?}"
            );
            let cad = found.analysed.doc.summary.metrics["cadence_spm"]
                .unwrap()
                .median;
            let truth_cad = r.cadence_spm.unwrap();
            assert!(
                (cad - truth_cad).abs() < 3.0,
                "{placement}: {cad} vs {truth_cad}"
            );
        }
        assert_eq!(w.runs.len(), runs.len(), "{placement}: extra runs");
        // Walking time within a quarter of the truth's (short walks under 30 s are not
        // bouts; epochs at the edges of a walk count either way).
        let walked: f64 = w.days.values().map(|d| d.walking_s).sum();
        let truth_walk: f64 = of(TruthActivity::Walking).map(|b| b.duration_s()).sum();
        assert!(
            (walked - truth_walk).abs() < 0.25 * truth_walk,
            "{placement}: walking {walked} s vs {truth_walk} s"
        );
    }
}
