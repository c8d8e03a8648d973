//! Native sensor-file decode throughput (issue 16, item 1): each real sample of
//! `../shared/data/formats/sensor-binaries` decoded into a `RawSignal` (header, blocks or
//! records or pages, calibration, times), reported per byte of file and per sample.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use gaitguard::ingest::Dialect;
use gaitguard::ingest::native::read_native;
use std::path::Path;

const FILES: [(&str, Dialect); 5] = [
    ("axivity-ax3-200hz.cwa", Dialect::AxivityCwa),
    ("axivity-ax6-100hz-gyro.cwa", Dialect::AxivityCwa),
    ("actigraph-gt3x-neo-30hz.gt3x", Dialect::ActigraphGt3x),
    ("actigraph-wgt3x-bt-waist-30hz.gt3x", Dialect::ActigraphGt3x),
    ("geneactiv-50hz.bin", Dialect::GeneactivBin),
];

fn bench(c: &mut Criterion) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/formats/sensor-binaries");
    if !dir.is_dir() {
        println!("skipped: {} is absent", dir.display());
        return;
    }
    for (unit, per_sample) in [("bytes", false), ("samples", true)] {
        let mut g = c.benchmark_group(format!("native_decode_{unit}"));
        for (name, dialect) in FILES {
            let path = dir.join(name);
            let bytes = std::fs::read(&path).unwrap();
            let n = read_native(&path, &bytes, dialect).unwrap().len() as u64;
            g.throughput(if per_sample {
                Throughput::Elements(n)
            } else {
                Throughput::Bytes(bytes.len() as u64)
            });
            g.bench_function(name, |b| {
                b.iter(|| std::hint::black_box(read_native(&path, &bytes, dialect).unwrap()))
            });
        }
        g.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
