//! The sample training block: eight weeks of simulated runs (Monday 2026-09-07 to Sunday
//! 2026-11-01, a runner in UTC+2) with two deliberate load errors for `gaitguard block` to find:
//! a jump in weekly running time of about a third in week 5 (an extra run and longer runs), and
//! in week 8 another jump plus a long run about 55 % longer than the longest of the previous 30
//! days (Frandsen et al. 2025's 30–100 % band). Most runs are FIT files; Thursday runs are
//! per-record CSV, and the first run is present twice (FIT and its CSV conversion) to show
//! that an activity is analysed once.

use super::{RunPlan, SimulatedRun, fit_writer::fit_bytes, records_csv, simulate_plan};

/// First day of the block, Unix seconds (Monday 2026-09-07 00:00 UTC).
const BLOCK_START_UNIX_S: f64 = 1_788_739_200.0;
/// The runner's offset from UTC, s (the FIT writer's `local_timestamp` says the same).
const LOCAL_OFFSET_S: f64 = 7200.0;

/// One planned run: (week 1–8, day 0 = Monday, minutes, cruise m/s, hill m).
const PLAN: [(u32, u32, f64, f64, f64); 26] = [
    (1, 1, 40.0, 3.05, 10.0),
    (1, 3, 40.0, 3.45, 10.0),
    (1, 6, 65.0, 2.95, 25.0),
    (2, 1, 40.0, 3.05, 10.0),
    (2, 3, 40.0, 3.45, 10.0),
    (2, 6, 70.0, 2.95, 25.0),
    (3, 1, 40.0, 3.05, 10.0),
    (3, 3, 40.0, 3.45, 10.0),
    (3, 6, 70.0, 2.95, 25.0),
    (4, 1, 40.0, 3.05, 10.0),
    (4, 3, 40.0, 3.45, 10.0),
    (4, 6, 75.0, 2.95, 25.0),
    // Week 5: an extra run and longer runs, +35 % running time.
    (5, 1, 45.0, 3.05, 10.0),
    (5, 2, 40.0, 3.05, 10.0),
    (5, 3, 45.0, 3.45, 10.0),
    (5, 6, 80.0, 2.95, 25.0),
    (6, 1, 45.0, 3.05, 10.0),
    (6, 3, 45.0, 3.45, 10.0),
    (6, 6, 80.0, 2.95, 25.0),
    (7, 1, 40.0, 3.05, 10.0),
    (7, 3, 40.0, 3.45, 10.0),
    (7, 6, 70.0, 2.95, 25.0),
    // Week 8: back up, and a long run ~55 % longer than any of the previous 30 days.
    (8, 1, 45.0, 3.05, 10.0),
    (8, 2, 40.0, 3.05, 10.0),
    (8, 3, 45.0, 3.45, 10.0),
    (8, 6, 125.0, 2.95, 30.0),
];

/// A file of the sample block.
#[derive(Debug, Clone, PartialEq)]
pub struct SampleFile {
    /// File name.
    pub name: String,
    /// Contents.
    pub bytes: Vec<u8>,
}

fn run(i: usize) -> SimulatedRun {
    let (week, day, minutes, cruise, hill) = PLAN[i];
    let local_start =
        BLOCK_START_UNIX_S + f64::from((week - 1) * 7 + day) * 86_400.0 + 7.5 * 3600.0;
    simulate_plan(
        &RunPlan {
            start_unix_s: local_start - LOCAL_OFFSET_S,
            duration_s: minutes * 60.0,
            cruise_mps: cruise,
            hill_m: hill,
            record_every_s: 5,
        },
        100 + i as u64,
    )
}

/// The files of the sample block, in plan order, plus its README.
pub fn sample_block() -> Vec<SampleFile> {
    let mut files = Vec::new();
    for (i, &(week, day, minutes, _, _)) in PLAN.iter().enumerate() {
        let r = run(i);
        let stem = format!("week{week}-day{}-{minutes:.0}min", day + 1);
        if day == 3 {
            files.push(SampleFile {
                name: format!("{stem}.csv"),
                bytes: records_csv(&r).into_bytes(),
            });
        } else {
            files.push(SampleFile {
                name: format!("{stem}.fit"),
                bytes: fit_bytes(&r),
            });
        }
        if i == 0 {
            files.push(SampleFile {
                name: format!("{stem}-records.csv"),
                bytes: records_csv(&r).into_bytes(),
            });
        }
    }
    files.push(SampleFile {
        name: "README.md".into(),
        bytes: b"# Sample training block\n\nEight ISO weeks of runs (Monday 2026-09-07 to Sunday 2026-11-01; the first run is on the\nTuesday) simulated by `gaitguard simulate --block --out samples/block` (the project\'s\nspring-mass model), a runner in UTC+2, records every 5 s. Two deliberate load errors: week 5 adds a run and lengthens the others\n(about +35 % running time), and week 8 jumps again and ends with a 125-minute long run,\nabout 55 % longer than the longest run of the previous 30 days. Thursday runs are CSV;\nthe first run is there twice (FIT and CSV) and is analysed once. This README is skipped.\n\n    gaitguard block samples/block\n".to_vec(),
    });
    files
}
