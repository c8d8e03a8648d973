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
use gaitguard::simulate::cwa_writer::packed_time;
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

/// A synthetic AX3 recording at 100 Hz: a header block and `blocks` one-second data blocks
/// of 100 packed samples (a sawtooth on x), as tests/suite/native.rs builds them.
fn synthetic_cwa(path: &Path, blocks: usize) {
    use std::io::Write;
    let mut f = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    let mut header = vec![0u8; 1024];
    header[..2].copy_from_slice(b"MD");
    header[2..4].copy_from_slice(&1020u16.to_le_bytes());
    header[4] = 0x17;
    f.write_all(&header).unwrap();
    let mut b = [0u8; 512];
    for k in 0..blocks {
        b.fill(0);
        b[..2].copy_from_slice(b"AX");
        b[2..4].copy_from_slice(&508u16.to_le_bytes());
        b[14..18].copy_from_slice(&packed_time(1_709_618_828 + k as i64).unwrap().to_le_bytes());
        b[24] = 0x4a;
        b[25] = 0x30;
        b[28..30].copy_from_slice(&100u16.to_le_bytes());
        for i in 0..100 {
            let x = ((100 * k + i) % 1000) as i32 - 500;
            let v = (x as u32 & 0x3ff) | ((-256i32 as u32 & 0x3ff) << 10);
            b[30 + 4 * i..34 + 4 * i].copy_from_slice(&v.to_le_bytes());
        }
        let sum = (0..255).fold(0u16, |s, i| {
            s.wrapping_add(u16::from_le_bytes([b[2 * i], b[2 * i + 1]]))
        });
        b[510..512].copy_from_slice(&0u16.wrapping_sub(sum).to_le_bytes());
        f.write_all(&b).unwrap();
    }
    f.flush().unwrap();
}

/// Steady state: six hours of a synthetic 100 Hz CWA (21 600 blocks, 2.16 million samples,
/// 11 MB), whole-file and streamed.
fn bench_long_cwa(c: &mut Criterion) {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("six-hours.cwa");
    let blocks = 21_600;
    synthetic_cwa(&path, blocks);
    let bytes = std::fs::read(&path).unwrap();
    for (unit, per_sample) in [("bytes", false), ("samples", true)] {
        let mut g = c.benchmark_group(format!("native_long_cwa_{unit}"));
        g.sample_size(10);
        g.throughput(if per_sample {
            Throughput::Elements(blocks as u64 * 100)
        } else {
            Throughput::Bytes(bytes.len() as u64)
        });
        g.bench_function("decode", |b| {
            b.iter(|| {
                std::hint::black_box(read_native(&path, &bytes, Dialect::AxivityCwa).unwrap())
            })
        });
        g.bench_function("stream", |b| {
            b.iter(|| std::hint::black_box(stream_count(&path, Dialect::AxivityCwa).sum_x))
        });
        g.finish();
    }
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

criterion_group!(benches, bench, bench_long_cwa);
criterion_main!(benches);
