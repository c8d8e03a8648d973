//! Apple Health export reading speed: the synthetic export of
//! `gaitguard::simulate::apple_health` (56 days: 28 runs with the watch's running samples,
//! 8 rides, the background records of every day; about 44 MiB of XML), written to a temporary
//! file and read with every running workout built (`block`'s path), as XML and zipped.

use criterion::{Criterion, criterion_group, criterion_main};
use gaitguard::ingest::apple_health::{WorkoutPick, read_export};
use gaitguard::simulate::apple_health::{HealthPlan, write_export};
use std::hint::black_box;
use std::io::Write;

fn bench(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temp dir");
    let xml = dir.path().join("export.xml");
    let mut f = std::io::BufWriter::new(std::fs::File::create(&xml).expect("create"));
    write_export(&mut f, &HealthPlan::standard(56)).expect("write");
    f.flush().expect("flush");
    drop(f);
    let zip = dir.path().join("export.zip");
    let mut z = zip::ZipWriter::new(std::fs::File::create(&zip).expect("create"));
    z.start_file(
        "apple_health_export/export.xml",
        zip::write::SimpleFileOptions::default(),
    )
    .expect("entry");
    z.write_all(&std::fs::read(&xml).expect("read"))
        .expect("zip");
    z.finish().expect("finish");
    let mb = std::fs::metadata(&xml).map_or(0, |m| m.len()) >> 20;
    println!("export.xml: {mb} MiB");
    c.bench_function("apple_health_56_days_xml", |b| {
        b.iter(|| {
            black_box(
                read_export(&xml, WorkoutPick::All)
                    .expect("reads")
                    .sessions
                    .len(),
            )
        })
    });
    c.bench_function("apple_health_56_days_zip", |b| {
        b.iter(|| {
            black_box(
                read_export(&zip, WorkoutPick::All)
                    .expect("reads")
                    .sessions
                    .len(),
            )
        })
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(10);
    targets = bench
}
criterion_main!(benches);
