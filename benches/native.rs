//! Native sensor-file decode throughput (issue 16, items 1 and 2): each real sample of
//! `../shared/data/formats/sensor-binaries` decoded (header, blocks or records or pages,
//! calibration, times), reported per byte of file and per sample, two ways:
//!
//! * `native_decode_*`: the whole-file path, the file's bytes in memory decoded into a
//!   `RawSignal` (`read_native`: the stream over the bytes into the `Collect` sink);
//! * `native_stream_*`: the streaming path, `stream_native` reading the file from disk
//!   (through its 1 MiB buffer, or the GT3X zip member's reader) into a sink that only
//!   counts, in memory that does not grow with the file.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use gaitguard::error::IngestError;
use gaitguard::ingest::Dialect;
use gaitguard::ingest::native::{read_native, stream_native};
use gaitguard::ingest::stream::{Chunk, SampleSink, StreamMeta};
use gaitguard::recording::Warning;
use std::path::Path;

const FILES: [(&str, Dialect); 5] = [
    ("axivity-ax3-200hz.cwa", Dialect::AxivityCwa),
    ("axivity-ax6-100hz-gyro.cwa", Dialect::AxivityCwa),
    ("actigraph-gt3x-neo-30hz.gt3x", Dialect::ActigraphGt3x),
    ("actigraph-wgt3x-bt-waist-30hz.gt3x", Dialect::ActigraphGt3x),
    ("geneactiv-50hz.bin", Dialect::GeneactivBin),
];

/// A sink that keeps nothing: it counts samples and sums one channel (so the decode cannot
/// be optimised away).
#[derive(Default)]
struct Count {
    samples: usize,
    sum_x: f64,
}

impl SampleSink for Count {
    fn begin(&mut self, _: StreamMeta) -> Result<(), IngestError> {
        Ok(())
    }

    fn push(&mut self, chunk: &Chunk) -> Result<(), IngestError> {
        self.samples += chunk.len();
        self.sum_x += chunk.acc_mps2[0].iter().sum::<f64>();
        Ok(())
    }

    fn warn(&mut self, _: Warning) {}
}

fn stream_count(path: &Path, dialect: Dialect) -> Count {
    let mut c = Count::default();
    stream_native(path, dialect, &mut c).unwrap();
    c
}

fn bench(c: &mut Criterion) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/formats/sensor-binaries");
    if !dir.is_dir() {
        println!("skipped: {} is absent", dir.display());
        return;
    }
    for (unit, per_sample) in [("bytes", false), ("samples", true)] {
        for (path_kind, streamed) in [("decode", false), ("stream", true)] {
            let mut g = c.benchmark_group(format!("native_{path_kind}_{unit}"));
            for (name, dialect) in FILES {
                let path = dir.join(name);
                let bytes = std::fs::read(&path).unwrap();
                let n = read_native(&path, &bytes, dialect).unwrap().len();
                assert_eq!(stream_count(&path, dialect).samples, n, "{name}");
                g.throughput(if per_sample {
                    Throughput::Elements(n as u64)
                } else {
                    Throughput::Bytes(bytes.len() as u64)
                });
                if streamed {
                    g.bench_function(name, |b| {
                        b.iter(|| std::hint::black_box(stream_count(&path, dialect).sum_x))
                    });
                } else {
                    g.bench_function(name, |b| {
                        b.iter(|| {
                            std::hint::black_box(read_native(&path, &bytes, dialect).unwrap())
                        })
                    });
                }
            }
            g.finish();
        }
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
