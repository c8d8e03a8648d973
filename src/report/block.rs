//! Outputs of a block: the `gaitguard.block/1` JSON, one CSV row per input file, and the
//! terminal table (one line per week, flags marked) with trends and the current risk.

use crate::block::{Block, BlockSession};
use crate::report::terminal::{WIDTH, clock, fit_width, json_name};
use crate::vocab::Channel;
use std::fmt::Write as _;

/// Pretty JSON text of the block, with a trailing newline.
///
/// # Errors
/// Serialisation errors (not expected for these types).
pub fn to_json(b: &Block) -> Result<String, serde_json::Error> {
    let mut s = serde_json::to_string_pretty(b)?;
    s.push('\n');
    Ok(s)
}

/// CSV columns, in order.
pub const CSV_COLUMNS: [&str; 28] = [
    "file",
    "status",
    "format",
    "start_time",
    "local_date",
    "start_source",
    "activity",
    "counted",
    "distance_m",
    "duration_s",
    "running_time_s",
    "load_au",
    "intensity",
    "hard",
    "spike_band",
    "spike_pct",
    Channel::SpeedMps.name(),
    Channel::CadenceSpm.name(),
    Channel::GroundContactMs.name(),
    Channel::VerticalOscillationCm.name(),
    Channel::VerticalRatioPct.name(),
    Channel::GctBalanceLeftPct.name(),
    Channel::HeartRateBpm.name(),
    "overstriding",
    "risk_score",
    "risk_level",
    "usual_cadence_spm",
    "error",
];

fn f(v: Option<f64>, dp: usize) -> String {
    v.filter(|x| x.is_finite())
        .map(|x| format!("{x:.dp$}"))
        .unwrap_or_default()
}

fn session_row(s: &BlockSession) -> Vec<String> {
    let d = &s.doc;
    let med = |k: &str| {
        d.summary
            .metrics
            .get(k)
            .copied()
            .flatten()
            .map(|m| m.median)
    };
    let b = &s.block;
    vec![
        d.file.clone(),
        "analysed".into(),
        d.format.into(),
        d.start_time.clone().unwrap_or_default(),
        b.local_date.to_string(),
        json_name(&b.start_source),
        d.summary.metrics_from.name().into(),
        b.counted.to_string(),
        f(d.summary.distance_m, 1),
        f(Some(d.summary.duration_s), 1),
        f(Some(d.summary.running_time_s), 1),
        f(Some(b.load_au), 1),
        f(b.intensity, 3),
        b.hard.to_string(),
        b.spike
            .as_ref()
            .map(|x| x.band.to_string())
            .unwrap_or_default(),
        f(b.spike.as_ref().map(|x| x.increase_pct), 1),
        f(med(Channel::SpeedMps.name()), 3),
        f(med(Channel::CadenceSpm.name()), 1),
        f(med(Channel::GroundContactMs.name()), 1),
        f(med(Channel::VerticalOscillationCm.name()), 2),
        f(med(Channel::VerticalRatioPct.name()), 2),
        f(med(Channel::GctBalanceLeftPct.name()), 2),
        f(med(Channel::HeartRateBpm.name()), 0),
        d.overstriding
            .as_ref()
            .map(|o| o.verdict.to_string())
            .unwrap_or_default(),
        d.risk
            .as_ref()
            .map(|r| r.score.to_string())
            .unwrap_or_default(),
        d.risk
            .as_ref()
            .map(|r| r.level.name().to_string())
            .unwrap_or_default(),
        f(b.usual_cadence_spm, 1),
        String::new(),
    ]
}

/// One CSV row per input file: analysed sessions, then failures, then skipped files (with the
/// reason in `error`).
///
/// # Errors
/// CSV writer errors (not expected when writing to memory).
pub fn to_csv(b: &Block) -> Result<String, csv::Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(CSV_COLUMNS)?;
    let blank = |file: &str, status: &str, error: &str| {
        let mut r = vec![String::new(); CSV_COLUMNS.len()];
        r[0] = file.to_string();
        r[1] = status.to_string();
        r[CSV_COLUMNS.len() - 1] = error.to_string();
        r
    };
    for s in &b.sessions {
        w.write_record(session_row(s))?;
    }
    for x in &b.failures {
        w.write_record(blank(&x.file, "failed", &x.error))?;
    }
    for x in &b.skipped {
        w.write_record(blank(&x.file, "skipped", &x.reason))?;
    }
    let bytes = w.into_inner().map_err(|e| e.into_error())?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

fn km(m: f64) -> String {
    format!("{:.1}", m / 1000.0)
}

/// The terminal summary: every line fits in [`WIDTH`] columns.
pub fn render(b: &Block, verbose: bool) -> String {
    let mut o = String::new();
    title_line(&mut o, b);
    week_table(&mut o, b);
    spikes_section(&mut o, b);
    acute_chronic_line(&mut o, b);
    trends_section(&mut o, b);
    if let Some(r) = &b.risk {
        risk_section(&mut o, r, verbose);
    }
    for w in &b.warnings {
        let _ = writeln!(o, "warning: {}", w.message);
    }
    failed_section(&mut o, b);
    if verbose {
        skipped_section(&mut o, b);
    }
    fit_width(&o, WIDTH)
}

/// The first line: the block's days and how many files were analysed, counted, failed and
/// skipped.
fn title_line(o: &mut String, b: &Block) {
    let analysed = b.sessions.len();
    let counted = b.sessions.iter().filter(|s| s.block.counted).count();
    let _ = writeln!(
        o,
        "Training block {} to {}: {analysed} session(s) analysed ({counted} runs counted in the load), {} failed, {} skipped",
        b.first_day
            .map(|d| d.to_string())
            .unwrap_or_else(|| "-".into()),
        b.last_day
            .map(|d| d.to_string())
            .unwrap_or_else(|| "-".into()),
        b.failures.len(),
        b.skipped.len()
    );
}

/// One line per week (runs, km, time, longest run, change, monotony, flags; `!!` marks a
/// high jump or spike, `! ` any other flag), runs of empty weeks folded into one line, and
/// what the change means.
fn week_table(o: &mut String, b: &Block) {
    if b.weeks.is_empty() {
        return;
    }
    let _ = writeln!(
        o,
        "\n  {:<10}  {:>4}  {:>7}  {:>7}  {:>8}  {:>7}  {:>8}  flags",
        "week of", "runs", "km", "time", "longest", "change", "monotony"
    );
    let is_empty = |w: &crate::block::Week| w.totals.sessions == 0 && w.flags.is_empty();
    let mut empty_run = 0usize;
    for (i, w) in b.weeks.iter().enumerate() {
        // Runs of empty weeks (a break, or a folder spanning years) fold into one line.
        let next_empty = b.weeks.get(i + 1).is_some_and(is_empty);
        if is_empty(w) && (empty_run > 0 || next_empty) {
            empty_run += 1;
            if !next_empty {
                let _ = writeln!(o, "  {:<10}  ... {empty_run} weeks without runs", "");
                empty_run = 0;
            }
            continue;
        }
        week_row(o, w);
    }
    let _ = writeln!(
        o,
        "  change: distance against the previous full week (> 10 % flagged, > 30 % high: Nielsen 2014;\n  the 10 % rule itself did not prevent injuries in a trial: Buist 2008)"
    );
}

/// One week's row of the table.
fn week_row(o: &mut String, w: &crate::block::Week) {
    let t = &w.totals;
    let mark =
        if w.flags.iter().any(|f| {
            f.starts_with("up_30") || f.starts_with("spike_over") || f.starts_with("spike_30")
        }) {
            "!!"
        } else if w.flags.iter().any(|f| f != "partial") {
            "! "
        } else {
            "  "
        };
    let _ = writeln!(
        o,
        "{mark}{:<10}  {:>4}  {:>7}  {:>7}  {:>8}  {:>7}  {:>8}  {}",
        t.week_start,
        t.sessions,
        km(t.distance_m),
        clock(t.duration_s),
        km(t.longest_run_m),
        t.change_pct
            .map(|c| format!("{c:+.0} %"))
            .unwrap_or_else(|| "-".into()),
        t.monotony
            .map(|m| format!("{m:.1}"))
            .unwrap_or_else(|| "-".into()),
        w.flags.join(" ")
    );
}

/// Runs longer than the longest of the previous 30 days by a hazard band (Frandsen 2025).
fn spikes_section(o: &mut String, b: &Block) {
    let spikes: Vec<&BlockSession> = b
        .sessions
        .iter()
        .filter(|s| s.block.spike.is_some())
        .collect();
    if spikes.is_empty() {
        return;
    }
    let _ = writeln!(
        o,
        "\nLong-run spikes (against the longest run of the previous 30 days; Frandsen 2025):"
    );
    for s in spikes {
        if let Some(x) = &s.block.spike {
            let _ = writeln!(
                o,
                "  {}  {} km, {:+.0} % on {} km  (band {}, hazard ratio {:.2})",
                s.block.local_date,
                km(x.distance_m),
                x.increase_pct,
                km(x.previous_longest_m),
                x.band,
                x.hazard_ratio
            );
        }
    }
}

/// The acute:chronic load ratio on the block's last day, EWMA and rolling (Gabbett 2016).
fn acute_chronic_line(o: &mut String, b: &Block) {
    let Some(d) = b.days.last() else { return };
    let _ = writeln!(
        o,
        "\nAcute:chronic load ratio on {}: {} (EWMA), {} (rolling, uncoupled); 0.8-1.3 is the usual zone (Gabbett 2016, weak evidence)",
        d.date,
        d.acute_chronic_ratio
            .map(|x| format!("{x:.2}"))
            .unwrap_or_else(|| {
                "not given (needs 28 days of the block with runs on at least 3 of them)".into()
            }),
        d.acute_chronic_uncoupled
            .map(|x| format!("{x:.2}"))
            .unwrap_or_else(|| "-".into()),
    );
}

/// Form trends per week across runs, fatigue drift, and the usual cadence.
fn trends_section(o: &mut String, b: &Block) {
    let t = &b.trends;
    if !t.metrics.is_empty() {
        let _ = writeln!(o, "\nForm trends across runs (per week):");
        for m in &t.metrics {
            let (name, unit, dp) = crate::report::terminal::label(m.metric);
            let _ = writeln!(
                o,
                "  {:<26} {:>+8.dp$} {:<6} ({:+.1} %/week; {} runs{}; {} confidence)",
                name,
                m.per_week,
                unit,
                m.per_week_pct,
                m.n,
                if m.speed_adjusted {
                    ", at constant speed"
                } else {
                    ""
                },
                m.confidence,
                dp = dp.max(1)
            );
        }
    }
    if let Some(d) = &t.fatigue_drift {
        let _ = writeln!(
            o,
            "  fatigue drift (cadence down or contact up >= 3 % in the last third): {} of {} runs; {:.0} % in the first half, {:.0} % in the second{}",
            d.with_drift,
            d.runs,
            d.first_half_pct,
            d.second_half_pct,
            if d.more_frequent {
                "  <- more frequent"
            } else {
                ""
            }
        );
    }
    match (&t.usual_cadence, t.usual_cadence_source) {
        (_, crate::block::UsualCadenceSource::Profile) => {
            let _ = writeln!(o, "  usual cadence: from the profile");
        }
        (Some(u), _) => {
            let _ = writeln!(
                o,
                "  usual cadence learned from {} runs: {:.0} steps/min{} (each run is judged against it)",
                u.n,
                u.spm_at_median_speed,
                match (u.median_speed_mps, u.per_mps) {
                    (Some(v), Some(b)) => format!(" at {v:.2} m/s, {b:+.1} per m/s"),
                    _ => String::new(),
                }
            );
        }
        _ => {}
    }
}

/// The calf-strain risk on the last day: score, the factors that scored (all with
/// `verbose`), modifiers, what was not assessed (with `verbose`), this week's advice, the
/// disclaimer and when to see a clinician.
fn risk_section(o: &mut String, r: &crate::block::CurrentRisk, verbose: bool) {
    let _ = writeln!(
        o,
        "\nCalf-strain risk on {}: {}/100 ({}) - an indicator, not a diagnosis",
        r.date,
        r.score,
        r.level.name()
    );
    let shown: Vec<_> = r
        .factors
        .iter()
        .filter(|f| verbose || f.points > 0.0)
        .collect();
    if shown.is_empty() {
        let _ = writeln!(o, "  no factor scored on this day");
    }
    for f in shown {
        let _ = writeln!(
            o,
            "  {:>+5.1}  [{}] {}: {} ({}, {} evidence)",
            f.points,
            f.kind,
            f.id,
            f.detail,
            f.cite,
            f.strength.name()
        );
    }
    for m in &r.modifiers {
        let _ = writeln!(o, "   ×{:.2}  {}: {}", m.value, m.id, m.detail);
    }
    if verbose {
        for n in &r.not_assessed {
            let _ = writeln!(o, "     -   {}: not assessed: {}", n.id, n.reason);
        }
    }
    if !r.this_week.is_empty() {
        let _ = writeln!(o, "This week:");
        for p in &r.this_week {
            let _ = writeln!(o, "  - {p}");
        }
    }
    let _ = writeln!(o, "  ({})", r.disclaimer);
    let _ = writeln!(o, "  See a clinician: {}", r.see_a_clinician);
}

/// The files that could not be analysed, with their errors.
fn failed_section(o: &mut String, b: &Block) {
    if b.failures.is_empty() {
        return;
    }
    let _ = writeln!(o, "\nFailed:");
    // The error is the reason alone: the path is printed once, here.
    for x in &b.failures {
        let _ = writeln!(o, "  {}: {}", x.file, x.error);
    }
}

/// The files skipped, with the reason.
fn skipped_section(o: &mut String, b: &Block) {
    if b.skipped.is_empty() {
        return;
    }
    let _ = writeln!(o, "\nSkipped:");
    for x in &b.skipped {
        let _ = writeln!(o, "  {}: {}", x.file, x.reason);
    }
}
