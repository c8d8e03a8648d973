//! `gaitguard block` throughput: 500 one-hour sessions (half binary FIT, half per-record CSV,
//! one record per second, as a watch exports them) written to a temporary folder, then
//! discovered, analysed in parallel, deduplicated and summarised, as the CLI does. Also 125
//! and 250 files to check that time grows linearly with the number of files.

use criterion::{Criterion, criterion_group, criterion_main};
use gaitguard::block::{BlockOptions, analyze_block, discover::discover};
use gaitguard::simulate::{RunPlan, fit_writer::fit_bytes, records_csv, simulate_plan};
use std::path::Path;

/// Write `n` one-hour runs, one a day, alternately FIT and CSV.
fn write_block(dir: &Path, n: usize) {
    let t0 = 1_700_000_000.0;
    for i in 0..n {
        let run = simulate_plan(
            &RunPlan {
                start_unix_s: t0 + i as f64 * 86_400.0,
                duration_s: 3600.0,
                cruise_mps: 2.9 + 0.1 * (i % 7) as f64,
                hill_m: 5.0 + (i % 5) as f64 * 8.0,
                record_every_s: 1,
            },
            i as u64,
        );
        let (name, bytes) = if i % 2 == 0 {
            (format!("run{i:04}.fit"), fit_bytes(&run))
        } else {
            (format!("run{i:04}.csv"), records_csv(&run).into_bytes())
        };
        std::fs::write(dir.join(name), bytes).unwrap();
    }
}

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("block");
    g.sample_size(10);
    g.measurement_time(std::time::Duration::from_secs(20));
    for n in [125usize, 250, 500] {
        let dir = tempfile::tempdir().unwrap();
        write_block(dir.path(), n);
        let opts = BlockOptions::default();
        g.bench_function(format!("{n} one-hour sessions (FIT+CSV)"), |b| {
            b.iter(|| {
                let found = discover(&[dir.path().to_path_buf()]);
                let block = analyze_block(found, &opts, &|| {});
                assert_eq!(block.sessions.len(), n);
                std::hint::black_box(block)
            })
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
