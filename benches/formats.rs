//! Parsing speed of the XML and compressed inputs (issue 15), in memory:
//!
//! * `tcx_synthetic_1h_3600_points`: a one-hour TCX written here (one point a second with
//!   heart rate, distance, position, altitude and a `TPX` speed and run cadence), read into a
//!   recording (cadence units decided).
//! * `gpx_synthetic_1h_3600_points`: the same hour as GPX with TrackPointExtension `hr` and
//!   `cad`, speed and distance derived from the positions.
//! * `tcx_fr945_run` / `tcx_fr945_run_gz` / `gpx_strava_run`: the real Garmin Connect TCX
//!   (1.4 MB, 3,765 points), gzipped, and the real Strava GPX from `../shared/data/formats`
//!   (skipped when absent).

use criterion::{Criterion, criterion_group, criterion_main};
use gaitguard::ingest::{IngestOptions, read_recording_bytes};
use std::hint::black_box;
use std::io::Write as _;
use std::path::Path;

fn parse(name: &str, bytes: &[u8]) -> usize {
    read_recording_bytes(Path::new(name), bytes, &IngestOptions::default())
        .expect("reads")
        .series
        .len()
}

fn clock(t: u32) -> String {
    format!(
        "2025-06-01T{:02}:{:02}:{:02}Z",
        6 + t / 3600,
        (t / 60) % 60,
        t % 60
    )
}

fn synthetic_tcx() -> Vec<u8> {
    let mut s = String::from(
        "<?xml version=\"1.0\"?><TrainingCenterDatabase xmlns=\"http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2\" xmlns:ns3=\"http://www.garmin.com/xmlschemas/ActivityExtension/v2\"><Activities><Activity Sport=\"Running\"><Lap StartTime=\"2025-06-01T06:00:00Z\"><TotalTimeSeconds>3600</TotalTimeSeconds><DistanceMeters>11520</DistanceMeters><Track>\n",
    );
    for t in 0..3600u32 {
        let lat = 45.0 + f64::from(t) * 2.9e-5;
        s.push_str(&format!(
            "<Trackpoint><Time>{}</Time><Position><LatitudeDegrees>{lat:.7}</LatitudeDegrees><LongitudeDegrees>7.0</LongitudeDegrees></Position><AltitudeMeters>{:.1}</AltitudeMeters><DistanceMeters>{:.2}</DistanceMeters><HeartRateBpm><Value>{}</Value></HeartRateBpm><Extensions><ns3:TPX><ns3:Speed>3.2</ns3:Speed><ns3:RunCadence>{}</ns3:RunCadence></ns3:TPX></Extensions></Trackpoint>\n",
            clock(t),
            200.0 + f64::from(t % 300) / 10.0,
            3.2 * f64::from(t),
            140 + t % 20,
            84 + t % 3
        ));
    }
    s.push_str("</Track></Lap></Activity></Activities></TrainingCenterDatabase>\n");
    s.into_bytes()
}

fn synthetic_gpx() -> Vec<u8> {
    let mut s = String::from(
        "<?xml version=\"1.0\"?><gpx version=\"1.1\" creator=\"bench\" xmlns=\"http://www.topografix.com/GPX/1/1\" xmlns:gpxtpx=\"http://www.garmin.com/xmlschemas/TrackPointExtension/v1\"><trk><type>running</type><trkseg>\n",
    );
    for t in 0..3600u32 {
        let lat = 45.0 + f64::from(t) * 2.9e-5;
        s.push_str(&format!(
            "<trkpt lat=\"{lat:.7}\" lon=\"7.0\"><ele>{:.1}</ele><time>{}</time><extensions><gpxtpx:TrackPointExtension><gpxtpx:hr>{}</gpxtpx:hr><gpxtpx:cad>{}</gpxtpx:cad></gpxtpx:TrackPointExtension></extensions></trkpt>\n",
            200.0 + f64::from(t % 300) / 10.0,
            clock(t),
            140 + t % 20,
            84 + t % 3
        ));
    }
    s.push_str("</trkseg></trk></gpx>\n");
    s.into_bytes()
}

fn gz(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(data).expect("compress");
    e.finish().expect("compress")
}

fn bench(c: &mut Criterion) {
    let tcx = synthetic_tcx();
    let gpx = synthetic_gpx();
    c.bench_function("tcx_synthetic_1h_3600_points", |b| {
        b.iter(|| black_box(parse("run.tcx", &tcx)))
    });
    c.bench_function("gpx_synthetic_1h_3600_points", |b| {
        b.iter(|| black_box(parse("run.gpx", &gpx)))
    });
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/formats");
    let real = |p: &str| std::fs::read(dir.join(p)).ok();
    match (
        real("tcx/garmin-connect-fr945-run.tcx"),
        real("gpx/strava-android-run.gpx"),
    ) {
        (Some(fr945), Some(strava)) => {
            let fr945_gz = gz(&fr945);
            c.bench_function("tcx_fr945_run", |b| {
                b.iter(|| black_box(parse("fr945.tcx", &fr945)))
            });
            c.bench_function("tcx_fr945_run_gz", |b| {
                b.iter(|| black_box(parse("fr945.tcx.gz", &fr945_gz)))
            });
            c.bench_function("gpx_strava_run", |b| {
                b.iter(|| black_box(parse("strava.gpx", &strava)))
            });
        }
        _ => println!("skipped: {} not found", dir.display()),
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(30);
    targets = bench
}
criterion_main!(benches);
