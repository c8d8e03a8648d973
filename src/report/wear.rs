//! The terminal summary of free-living wear (`gaitguard.wear/1`): the recording, time by
//! kind, one line per run (its start, running time, cadence, contact and risk), the days,
//! and how bouts were found.

use super::terminal::{WIDTH, fit_width};
use crate::session::SessionDoc;
use crate::wear::WearResult;
use crate::wear::doc::WearDoc;
use crate::wear::sink::{RunSession, Verdict};
use std::fmt::Write;

/// The session document and analysis of the run with the most running time, if any.
pub fn longest_run<'a>(
    doc: &'a WearDoc,
    w: &'a WearResult,
) -> Option<(&'a SessionDoc, &'a RunSession)> {
    doc.sessions.iter().zip(&w.runs).max_by(|a, b| {
        a.0.summary
            .running_time_s
            .total_cmp(&b.0.summary.running_time_s)
    })
}

/// A duration: `7 min` under an hour, `2 h 05 min` from it.
fn hours(s: f64) -> String {
    let min = (s.max(0.0) / 60.0).round() as u64;
    if min < 60 {
        format!("{min} min")
    } else {
        format!("{} h {:02} min", min / 60, min % 60)
    }
}

/// A session metric's median, formatted, or `–`.
fn median(doc: &SessionDoc, key: &str, unit: &str) -> String {
    match doc.summary.metrics.get(key).copied().flatten() {
        Some(m) => format!("{:.0} {unit}", m.median),
        None => "–".into(),
    }
}

/// The summary.
pub fn render(doc: &WearDoc) -> String {
    let mut o = String::new();
    header(&mut o, doc);
    runs(&mut o, doc);
    days(&mut o, doc);
    for w in &doc.warnings {
        let _ = writeln!(o, "  note: {}", w.message);
    }
    let _ = writeln!(o);
    let _ = writeln!(
        o,
        "  Bouts come from 5-s epochs of the acceleration's rhythm and intensity; each running bout is analysed by the gait engine, which decides what was run."
    );
    let _ = writeln!(
        o,
        "  gaitguard gives indicators, not diagnoses. Pain that persists, swelling or a pop in the calf: see a clinician."
    );
    fit_width(&o, WIDTH)
}

/// File, device, start and length; time by kind.
fn header(o: &mut String, doc: &WearDoc) {
    let _ = writeln!(o, "gaitguard · free-living wear");
    let rate = doc
        .sample_rate_hz
        .map(|r| format!(" · {r:.1} Hz"))
        .unwrap_or_default();
    let device = doc
        .device
        .as_deref()
        .map(|d| format!(" · {d}"))
        .unwrap_or_default();
    let _ = writeln!(o, "  {} · {}{device}{rate}", doc.file, doc.format);
    let _ = writeln!(
        o,
        "  {} · {:.1} days ({} samples)",
        doc.start_time.as_deref().unwrap_or("start time unknown"),
        doc.duration_s / 86_400.0,
        doc.samples
    );
    let t = &doc.totals;
    let _ = writeln!(o);
    let _ = writeln!(
        o,
        "  Time: still {} · moving without a gait rhythm {} · walking {} ({} bouts) · running {} ({} runs)",
        hours(t.still_s),
        hours(t.moving_s),
        hours(t.walking_s),
        t.walking_bouts,
        hours(t.running_s),
        t.runs
    );
}

/// One line per run, and the candidates the engine did not confirm.
fn runs(o: &mut String, doc: &WearDoc) {
    let _ = writeln!(o);
    if doc.sessions.is_empty() {
        let _ = writeln!(o, "  Runs: none found.");
    } else {
        let _ = writeln!(
            o,
            "  Runs\n   #  start (UTC)          running   cadence   contact   risk"
        );
    }
    for (k, s) in doc.sessions.iter().enumerate() {
        let start = s
            .start_time
            .as_deref()
            .map(|t| t.replace('T', " ").chars().take(16).collect::<String>())
            .unwrap_or_else(|| "–".into());
        let risk = s
            .risk
            .as_ref()
            .map(|r| format!("{} {}", r.score, r.level.name()))
            .unwrap_or_else(|| "–".into());
        let _ = writeln!(
            o,
            "  {:>2}  {start:<19}  {:>6.1} min  {:>8}  {:>8}   {risk}",
            k + 1,
            s.summary.running_time_s / 60.0,
            median(s, "cadence_spm", "spm"),
            median(s, "ground_contact_ms", "ms"),
        );
    }
    let unconfirmed = doc
        .bouts
        .iter()
        .filter(|b| matches!(b.verdict, Some(Verdict::NotRunning | Verdict::Failed)))
        .count();
    if unconfirmed > 0 {
        let _ = writeln!(
            o,
            "  {unconfirmed} vigorous rhythmic bout(s) were not confirmed as running by the gait engine."
        );
    }
}

/// One line per day.
fn days(o: &mut String, doc: &WearDoc) {
    let _ = writeln!(o);
    let _ = writeln!(o, "  Day          recorded   walking   runs");
    for d in &doc.days {
        let name = d
            .date
            .clone()
            .or_else(|| d.day.map(|k| format!("day {k}")))
            .unwrap_or_default();
        let _ = writeln!(
            o,
            "  {name:<11}  {:>8}  {:>8}   {}",
            hours(d.totals.recorded_s),
            hours(d.totals.walking_s),
            d.runs
        );
    }
}
