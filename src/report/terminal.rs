//! The human summary printed by `gaitguard analyze`: what the file is, a metric table with
//! zones (and the watch's own averages beside ours), the drift over the run, warm-up and
//! hills, and every warning. Plain text, 100 columns at most, no colour codes.

use crate::metrics::MetricSummary;
use crate::session::SessionDoc;
use crate::vocab::Channel;
use crate::vocab::{self, MetricDef};
use std::fmt::Write;

/// Human label, unit and decimals of a metric by its JSON name, from the one metric table
/// ([`crate::vocab::METRICS`]); `("?", "", 2)` for a name it does not hold.
pub fn label(metric: &str) -> (&'static str, &'static str, usize) {
    crate::vocab::metric_by_name(metric).map_or(("?", "", 2), |m| (m.label, m.unit, m.decimals))
}

/// `h:mm:ss`.
pub fn clock(s: f64) -> String {
    let t = s.max(0.0).round() as u64;
    format!("{}:{:02}:{:02}", t / 3600, (t / 60) % 60, t % 60)
}

fn pace(speed_mps: f64) -> String {
    if speed_mps <= 0.2 {
        return "–".into();
    }
    let s = (1000.0 / speed_mps).round() as u64;
    format!("{}:{:02} /km", s / 60, s % 60)
}

fn num(v: f64, dp: usize) -> String {
    format!("{v:.dp$}")
}

fn watch_value(doc: &SessionDoc, metric: &str) -> Option<f64> {
    if doc.summary.sessions.len() != 1 {
        return None;
    }
    let d = &doc.summary.sessions[0].device_averages;
    match crate::vocab::metric_by_name(metric)?.channel {
        Channel::CadenceSpm => d.cadence_spm,
        Channel::GroundContactMs => d.ground_contact_ms,
        Channel::VerticalOscillationCm => d.vertical_oscillation_cm,
        Channel::VerticalRatioPct => d.vertical_ratio_pct,
        Channel::StepLengthM => d.step_length_m,
        Channel::GctBalanceLeftPct => d.gct_balance_left_pct,
        Channel::SpeedMps => d.speed_mps,
        Channel::HeartRateBpm => d.heart_rate_bpm,
        Channel::PowerW => d.power_w,
        _ => None,
    }
}

/// Render the summary (top risk factors only).
pub fn render(doc: &SessionDoc) -> String {
    render_with(doc, false)
}

/// Render the summary; `explain` lists every risk factor, assessed or not, with its evidence.
/// Every line fits in [`WIDTH`] columns.
pub fn render_with(doc: &SessionDoc, explain: bool) -> String {
    let mut o = String::new();
    file_header(&mut o, doc);
    if let Some(r) = &doc.raw {
        raw_header(&mut o, r);
    }
    let _ = writeln!(o);
    metric_table(&mut o, doc);
    drift_section(&mut o, doc);
    warmup_line(&mut o, doc);
    hills_line(&mut o, doc);
    sessions_line(&mut o, doc);
    if let Some(r) = &doc.raw {
        raw_checks(&mut o, r);
    }
    if let (Some(ov), Some(risk)) = (&doc.overstriding, &doc.risk) {
        overstriding_section(&mut o, ov, explain);
        risk_section(&mut o, risk, explain);
    }
    notes_section(&mut o, doc);
    let _ = writeln!(o);
    let _ = writeln!(
        o,
        "  gaitguard gives indicators, not diagnoses. Pain that persists, swelling or a pop in the calf: see a clinician."
    );
    fit_width(&o, WIDTH)
}

/// The first lines: file name, dialect, device and sensors; sport, start, elapsed time and
/// distance; activity, running and walking time, record rate and the dynamics sensor.
fn file_header(o: &mut String, doc: &SessionDoc) {
    let _ = writeln!(o, "gaitguard · {}", doc.file);
    let mut what = doc.format.to_string();
    if let Some(d) = &doc.device {
        let _ = write!(what, " · {d}");
    }
    if !doc.sensors.is_empty() {
        let _ = write!(what, " · sensors: {}", doc.sensors.join(", "));
    }
    let _ = writeln!(o, "  file      {what}");
    let mut line = String::new();
    if let Some(s) = &doc.sport {
        let _ = write!(line, "{s}");
    } else {
        line.push_str("sport not stated");
    }
    match &doc.start_time {
        Some(t) => {
            let _ = write!(
                line,
                " · started {}",
                t.replace('T', " ").replace('Z', " UTC")
            );
        }
        None => match &doc.start_time_rejected {
            Some(t) => {
                let _ = write!(
                    line,
                    " · start time unknown (the clock's {t} is implausible)"
                );
            }
            None => line.push_str(" · start time unknown"),
        },
    }
    let _ = write!(line, " · {} elapsed", clock(doc.summary.duration_s));
    if let Some(d) = doc.summary.distance_m {
        let _ = write!(line, " · {:.2} km", d / 1000.0);
    }
    let _ = writeln!(o, "  session   {line}");
    let mut act = format!(
        "{} · running {} · walking {}",
        doc.summary.activity.name(),
        clock(doc.summary.running_time_s),
        clock(doc.summary.walking_time_s)
    );
    if doc.raw.is_none() {
        let _ = write!(act, " · {:.2} records/s", doc.summary.sample_rate_hz);
    }
    if let (Some(p), None) = (doc.placement, &doc.raw) {
        let _ = write!(act, " · dynamics sensor: {}", json_name(&p));
    }
    let _ = writeln!(o, "  activity  {act}");
}

/// The metric table: mean, median, p10–p90 and zone of each metric present (and the watch's
/// own average beside ours for a single session), then pace, the derived-metric note, the
/// metrics not available and what the zones are.
fn metric_table(o: &mut String, doc: &SessionDoc) {
    let has_watch = doc.summary.sessions.len() == 1;
    let _ = writeln!(
        o,
        "  {:<26} {:>8} {:>8} {:>15}  {:<7}{}",
        format!("{} metrics", doc.summary.metrics_from.name()),
        "mean",
        "median",
        "p10 – p90",
        "zone",
        if has_watch { "   watch" } else { "" }
    );
    let mut absent = Vec::new();
    for def in vocab::core_metrics().iter().chain(vocab::extra_metrics()) {
        match doc.summary.metrics.get(def.name()) {
            None => {}
            Some(None) => absent.push(def.label),
            Some(Some(m)) => metric_row(o, doc, def, m, has_watch),
        }
    }
    if let Some(sp) = doc
        .summary
        .metrics
        .get(Channel::SpeedMps.name())
        .copied()
        .flatten()
    {
        let _ = writeln!(o, "  {:<26} {:>8}", "pace (mean speed)", pace(sp.mean));
    }
    if doc
        .summary
        .metrics
        .values()
        .any(|m| m.is_some_and(|m| m.derived))
    {
        let _ = writeln!(
            o,
            "  * derived by gaitguard from other fields (see --json for definitions)"
        );
    }
    if !absent.is_empty() {
        let _ = writeln!(o, "  not available: {}", absent.join(", "));
    }
    let _ = writeln!(
        o,
        "  zones are Garmin's population bands (purple/blue/green/orange/red), not targets"
    );
}

/// One row of the metric table (`*` marks a metric gaitguard derived).
fn metric_row(
    o: &mut String,
    doc: &SessionDoc,
    def: &MetricDef,
    m: &MetricSummary,
    has_watch: bool,
) {
    let dp = def.decimals;
    let title = format!(
        "{} ({}){}",
        def.label,
        def.unit,
        if m.derived { "*" } else { "" }
    );
    let watch = if has_watch {
        watch_value(doc, def.name())
            .map(|v| format!(" {:>7}", num(v, dp)))
            .unwrap_or_else(|| format!(" {:>7}", "–"))
    } else {
        String::new()
    };
    let low = doc
        .summary
        .confidence
        .get(def.name())
        .is_some_and(|c| c.level == crate::vocab::Confidence::Low);
    let _ = writeln!(
        o,
        "  {:<26} {:>8} {:>8} {:>15}  {:<7}{}{}",
        title,
        num(m.mean, dp),
        num(m.median, dp),
        format!("{} – {}", num(m.p10, dp), num(m.p90, dp)),
        m.zone.map(|z| z.name()).unwrap_or(""),
        watch,
        if low {
            "  low confidence (--json says why)"
        } else {
            ""
        }
    );
}

/// Drift of the core metrics: first third → last third of the analysed time, % change.
fn drift_section(o: &mut String, doc: &SessionDoc) {
    let drifts: Vec<String> = vocab::core_metrics()
        .iter()
        .filter_map(|def| {
            let d = doc.summary.drift.get(def.name())?.as_ref()?;
            let dp = def.decimals;
            Some(format!(
                "  {:<26} {:>8} → {:<8} {:+.1} %",
                format!("{} ({})", def.label, def.unit),
                num(d.first_third, dp),
                num(d.last_third, dp),
                d.change_pct
            ))
        })
        .collect();
    if !drifts.is_empty() {
        let _ = writeln!(o);
        let _ = writeln!(o, "  drift: first third → last third of the analysed time");
        for d in drifts {
            let _ = writeln!(o, "{d}");
        }
    }
}

/// The warm-up verdict: pace and heart rate of the first 10 minutes against the rest.
fn warmup_line(o: &mut String, doc: &SessionDoc) {
    let Some(w) = &doc.summary.warmup else { return };
    let _ = writeln!(o);
    let mut parts = Vec::new();
    if let (Some(a), Some(b)) = (w.first_10min_speed_mps, w.rest_speed_mps) {
        parts.push(format!("pace {} then {}", pace(a), pace(b)));
    }
    if let (Some(a), Some(b)) = (w.first_10min_heart_rate_bpm, w.rest_heart_rate_bpm) {
        parts.push(format!("heart rate {a:.0} then {b:.0} bpm"));
    }
    let verdict = if w.hard_start {
        "started as hard as the rest (no easy first 10 minutes)"
    } else {
        "eased in over the first 10 minutes"
    };
    let _ = writeln!(o, "  warm-up   {verdict}: {}", parts.join("; "));
}

/// Elevation gain and loss, and the time on grades steeper than ±5 %.
fn hills_line(o: &mut String, doc: &SessionDoc) {
    let Some(e) = &doc.summary.elevation else {
        return;
    };
    let mut line = format!("+{:.0} m / −{:.0} m", e.gain_m, e.loss_m);
    if let (Some(u), Some(d)) = (e.time_uphill_steep_s, e.time_downhill_steep_s) {
        let _ = write!(
            line,
            " · {} on > +5 % grades, {} on < −5 %",
            clock(u),
            clock(d)
        );
    }
    let _ = writeln!(o, "  hills     {line}");
}

/// Which sessions of a multi-session file were analysed and which skipped.
fn sessions_line(o: &mut String, doc: &SessionDoc) {
    if doc.summary.skipped_sessions.is_empty() && doc.summary.sessions.len() <= 1 {
        return;
    }
    let _ = writeln!(
        o,
        "  sessions  analysed: {} · skipped: {}",
        doc.summary
            .sessions
            .iter()
            .map(|s| format!("#{} {}", s.index + 1, s.sport))
            .collect::<Vec<_>>()
            .join(", "),
        if doc.summary.skipped_sessions.is_empty() {
            "none".to_string()
        } else {
            doc.summary.skipped_sessions.join(", ")
        }
    );
}

/// The recording's warnings, one bullet each.
fn notes_section(o: &mut String, doc: &SessionDoc) {
    if doc.summary.warnings.is_empty() {
        return;
    }
    let _ = writeln!(o);
    let _ = writeln!(o, "  notes");
    for w in &doc.summary.warnings {
        let _ = writeln!(o, "  - {}", w.message);
    }
}

/// The widest line the summaries print, in columns (characters).
pub const WIDTH: usize = 100;

/// Fit every line of `text` into `width` columns (characters, not bytes): a line that fits is
/// kept byte for byte; a longer one is broken at spaces (never inside a word or a number, and
/// never between a number and its short unit, as in `4.4 %`), its continuation lines indented
/// to [`hanging_indent`]. A single word wider than the room left stays whole.
pub fn fit_width(text: &str, width: usize) -> String {
    let mut o = String::with_capacity(text.len() + text.len() / 16);
    for line in text.split_inclusive('\n') {
        let (body, nl) = match line.strip_suffix('\n') {
            Some(b) => (b, "\n"),
            None => (line, ""),
        };
        if body.chars().count() <= width {
            o.push_str(body);
        } else {
            o.push_str(&wrap_line(body, width).join("\n"));
        }
        o.push_str(nl);
    }
    o
}

/// Columns of a string.
fn cols(s: &str) -> usize {
    s.chars().count()
}

/// The words of a line with the spaces before each (one or more), a number's short unit
/// glued to it; the line's indent is the first word's separator.
fn words(line: &str) -> Vec<(usize, String)> {
    let mut out: Vec<(usize, String)> = Vec::new();
    let mut gap = 0usize;
    for tok in line.split(' ') {
        if tok.is_empty() {
            gap += 1;
            continue;
        }
        let sep = if out.is_empty() { gap } else { gap + 1 };
        gap = 0;
        let glue = out.last().is_some_and(|(_, prev)| glued(prev, tok));
        match out.last_mut() {
            Some((_, prev)) if glue => {
                prev.push_str(&" ".repeat(sep));
                prev.push_str(tok);
            }
            _ => out.push((sep, tok.to_string())),
        }
    }
    out
}

/// Whether `next` stays on the line of `prev`: a unit or a short word after a number (`4.4 %`,
/// `0.47 g`, `2 skipped`), so that a break never parts a number from what it counts.
fn glued(prev: &str, next: &str) -> bool {
    let starts_number = next.starts_with(|c: char| c.is_ascii_digit() || "(+-−".contains(c));
    let prev_is_number = prev.chars().any(|c| c.is_ascii_digit())
        && prev
            .chars()
            .all(|c| c.is_ascii_digit() || ".,+-−".contains(c));
    let prev_ends_in_digit = prev.ends_with(|c: char| c.is_ascii_digit());
    !starts_number
        && ((prev_is_number && cols(next) <= 10) || (prev_ends_in_digit && cols(next) <= 4))
}

/// The indent of a wrapped line's continuation lines: the start of the last column (text
/// after two or more spaces) that begins within `width`; else the column after a leading
/// bullet (`- `, `→ `, `! `, `· `); else the line's indent plus two. Falls back to the indent
/// plus two when the column would leave less than 20 columns.
pub fn hanging_indent(line: &str, width: usize) -> usize {
    let indent = line.len() - line.trim_start_matches(' ').len();
    let fallback = indent + 2;
    let chars: Vec<char> = line.chars().collect();
    let column = (indent + 2..chars.len().min(width))
        .rfind(|&i| chars[i] != ' ' && chars[i - 1] == ' ' && chars[i - 2] == ' ');
    let bullet = ["- ", "→ ", "! ", "· "]
        .iter()
        .any(|b| line[indent..].starts_with(b));
    match column {
        Some(c) if c + 20 <= width => c,
        _ if bullet => indent + 2,
        _ => fallback,
    }
}

/// Break one line wider than `width` at spaces, greedily, continuation lines indented to
/// [`hanging_indent`] (or the indent plus two where a word would not fit there).
fn wrap_line(line: &str, width: usize) -> Vec<String> {
    let ws = words(line);
    let mut hang = hanging_indent(line, width);
    if ws.iter().skip(1).any(|(_, w)| hang + cols(w) > width) {
        hang = (line.len() - line.trim_start_matches(' ').len() + 2).min(hang);
    }
    let mut lines = Vec::new();
    let mut cur = String::new();
    for (i, (sep, w)) in ws.iter().enumerate() {
        if i == 0 {
            cur = format!("{}{w}", " ".repeat(*sep));
        } else if cols(&cur) + sep + cols(w) <= width {
            cur.push_str(&" ".repeat(*sep));
            cur.push_str(w);
        } else {
            lines.push(std::mem::take(&mut cur));
            cur = format!("{}{w}", " ".repeat(hang));
        }
    }
    lines.push(cur);
    lines
}

/// The JSON text of a unit-like enum value (its serde name).
pub(crate) fn json_name<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// The raw-sensor lines of the header: sensor, quality, bouts.
fn raw_header(o: &mut String, r: &crate::gait::RawReport) {
    sensor_line(o, r);
    quality_line(o, r);
    bouts_line(o, r);
}

/// Where the sensor sat (and how that was decided), the sampling rate and what it allows, the
/// acceleration unit and whether gravity is included (and how each was decided).
fn sensor_line(o: &mut String, r: &crate::gait::RawReport) {
    let p = &r.placement;
    let _ = writeln!(
        o,
        "  sensor    {} ({}, {} confidence) · {:.1} Hz ({}) · {} ({}) · gravity {} ({})",
        json_name(&p.placement),
        p.decided,
        p.confidence,
        r.sample_rate_hz,
        if r.rate_tier == "full" {
            "full event timing"
        } else {
            "cadence and VO only"
        },
        json_name(&r.accel_unit),
        json_name(&r.accel_unit_decided),
        if r.gravity_included {
            "included"
        } else {
            "removed"
        },
        json_name(&r.gravity_decided),
    );
}

/// Timing jitter, resampling, gaps, dropped samples, clipping and the steps detected.
fn quality_line(o: &mut String, r: &crate::gait::RawReport) {
    let q = &r.quality;
    let mut quality = format!("jitter {:.1} %", q.jitter_pct);
    if q.resampled {
        quality.push_str(" · resampled");
    }
    if !q.gaps.is_empty() {
        let _ = write!(
            quality,
            " · {} gap(s), {} segment(s)",
            q.gaps.len(),
            q.segments
        );
    }
    if q.bridged_gaps > 0 {
        let _ = write!(quality, " · {} short gap(s) bridged", q.bridged_gaps);
    }
    if q.dropped_samples > 0 {
        let _ = write!(quality, " · {} sample(s) dropped", q.dropped_samples);
    }
    if !q.clipping.is_empty() {
        let _ = write!(
            quality,
            " · clipped at ±{:.1} g",
            q.clipping[0].full_scale_g
        );
    }
    let _ = write!(quality, " · {} steps", r.steps_detected);
    let _ = writeln!(o, "  quality   {quality}");
}

/// The first six activity bouts (walking, running …) with their times.
fn bouts_line(o: &mut String, r: &crate::gait::RawReport) {
    if !r.bouts.is_empty() {
        let bouts: Vec<String> = r
            .bouts
            .iter()
            .take(6)
            .map(|b| format!("{} {}–{}", b.activity, clock(b.start_s), clock(b.end_s)))
            .collect();
        let more = if r.bouts.len() > 6 {
            format!(" (+{} more)", r.bouts.len() - 6)
        } else {
            String::new()
        };
        let _ = writeln!(o, "  bouts     {}{more}", bouts.join(", "));
    }
}

fn raw_checks(o: &mut String, r: &crate::gait::RawReport) {
    let _ = writeln!(o);
    let _ = writeln!(o, "  checks");
    if let Some(c) = &r.cadence_check {
        let f = |v: Option<f64>| v.map(|s| format!("{s:.1}")).unwrap_or("–".into());
        let _ = writeln!(
            o,
            "  - cadence: {} spm from {} (spectrum {:.1}, single steps {}, strides {}){}",
            f(c.cadence_spm),
            c.source,
            c.spectrum_spm,
            f(c.steps_spm),
            f(c.strides_spm),
            match c.agree {
                Some(true) => " (agree)",
                Some(false) => " (DISAGREE)",
                None => "",
            }
        );
    }
    if let Some(v) = &r.vo_check {
        let _ = writeln!(
            o,
            "  - vertical oscillation: integrated {:.1} cm, spring-mass model {:.1} cm ({:+.0} %)",
            v.integrated_cm, v.spring_mass_cm, v.difference_pct
        );
    }
    if let Some(s) = &r.sides {
        sides_line(o, s);
    }
    for w in &r.withheld {
        let _ = writeln!(o, "  - withheld {}: {}", w.metric, w.reason);
    }
}

/// Left/right: the GCT balance and step-time symmetry when the sides were told apart, else
/// the unsigned step-time asymmetry.
fn sides_line(o: &mut String, s: &crate::gait::SidesReport) {
    if s.assigned {
        let _ = writeln!(
            o,
            "  - left/right (confidence {:.2}): GCT balance {} % left, step-time symmetry {} %",
            s.confidence,
            s.gct_balance_left_pct
                .map(|v| format!("{v:.1}"))
                .unwrap_or("–".into()),
            s.step_time_symmetry_pct
                .map(|v| format!("{v:+.1}"))
                .unwrap_or("–".into()),
        );
    } else {
        let _ = writeln!(
            o,
            "  - left/right unassigned (confidence {:.2}); unsigned step-time asymmetry {} %",
            s.confidence,
            s.step_time_asymmetry_pct
                .map(|v| format!("{v:.1}"))
                .unwrap_or("–".into()),
        );
    }
}

/// The overstriding verdict with its index, and its indicators (flagged ones; all with
/// `explain`) against their references.
fn overstriding_section(
    o: &mut String,
    ov: &crate::risk::overstriding::Overstriding,
    explain: bool,
) {
    let _ = writeln!(o);
    let _ = writeln!(
        o,
        "  overstriding  {}{}",
        ov.verdict,
        match ov.index {
            Some(x) => format!(" (index {x:.2}, {} confidence)", ov.confidence),
            None => String::new(),
        }
    );
    for i in &ov.indicators {
        if explain || i.flagged == Some(true) {
            let _ = writeln!(
                o,
                "    {} {:<30} {:>7.2} {:<8} {}",
                match i.flagged {
                    Some(true) => "!",
                    Some(false) => "·",
                    None => " ",
                },
                i.id,
                i.value,
                i.unit,
                i.reference_note
            );
        }
    }
}

/// The calf-strain risk: score and level, the factors that scored (all with `explain`, with
/// their thresholds), what was not assessed, and when to see a clinician.
fn risk_section(o: &mut String, risk: &crate::risk::RiskAssessment, explain: bool) {
    let _ = writeln!(o);
    let _ = writeln!(
        o,
        "  calf-strain risk: {}/100 ({}) — an indicator, not a diagnosis",
        risk.score,
        risk.level.name()
    );
    let shown: Vec<_> = risk
        .factors
        .iter()
        .filter(|f| explain || f.points >= 0.5)
        .collect();
    if shown.is_empty() {
        let _ = writeln!(
            o,
            "    no factor scored in the data this file holds ({} not assessed: --explain lists them)",
            risk.not_assessed.len()
        );
    }
    for f in shown {
        factor_lines(o, f, explain);
    }
    if explain {
        for n in &risk.not_assessed {
            let _ = writeln!(o, "     n/a   {}: {}", n.id, n.reason);
        }
    } else if !risk.not_assessed.is_empty() {
        let _ = writeln!(
            o,
            "    not assessed: {} (--explain says why)",
            risk.not_assessed
                .iter()
                .map(|n| n.id)
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    let _ = writeln!(o, "    {}", risk.see_a_clinician);
}

/// One risk factor: its points (×value for a modifier) and detail; its advice with the
/// citation when it scored (or with `explain`); its threshold and full points with `explain`.
fn factor_lines(o: &mut String, f: &crate::risk::Factor, explain: bool) {
    let pts = if f.kind == crate::risk::FactorKind::Modifier {
        format!("×{:.2}", f.value)
    } else {
        format!("+{:.0}", f.points)
    };
    let _ = writeln!(o, "    {pts:>5}  {}", f.detail);
    if f.points >= 0.5 || explain {
        let _ = writeln!(
            o,
            "           → {} ({}, {} evidence)",
            f.advice,
            f.cite,
            f.strength.name()
        );
    }
    if explain {
        let _ = writeln!(
            o,
            "           {}: threshold {} {}, full points {} at {}; {:.1} of {} points",
            f.id, f.threshold, f.unit, f.max_points, f.full, f.points, f.max_points
        );
        if !f.sensors.is_empty() {
            let names: Vec<&str> = f.sensors.iter().map(|s| s.label()).collect();
            let _ = writeln!(o, "           thresholds for: {}", names.join(", "));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A line that fits is kept byte for byte, trailing spaces and all.
    #[test]
    fn short_lines_are_untouched() {
        let text = "  a  b   \n\n  cadence (spm)   167  \n";
        assert_eq!(fit_width(text, 23), text);
    }

    /// A bullet wraps under its text; a number keeps its unit.
    #[test]
    fn a_bullet_wraps_under_its_text() {
        let got = fit_width("  - contact rose by 4.4 % over the run\n", 24);
        assert_eq!(got, "  - contact rose by\n    4.4 % over the run\n");
    }

    /// A table row wraps under its last column.
    #[test]
    fn a_table_row_wraps_under_its_last_column() {
        let line = "  x   1.0 g   provisional reference 0.55 g: no published cut-off";
        let got = fit_width(line, 44);
        assert_eq!(
            got,
            "  x   1.0 g   provisional reference 0.55 g:\n              no published cut-off"
        );
        assert!(got.lines().all(|l| l.chars().count() <= 44));
    }

    /// A plain line gets a hanging indent of two; columns are counted in characters.
    #[test]
    fn columns_are_characters_not_bytes() {
        let got = fit_width("gaitguard · ein → zwei · drei · vier", 20);
        assert_eq!(got, "gaitguard · ein →\n  zwei · drei · vier");
    }

    /// A word wider than the room is not cut.
    #[test]
    fn a_long_word_stays_whole() {
        let got = fit_width("  file  ../a/very/long/path/name.csv", 12);
        assert!(got.contains("../a/very/long/path/name.csv"), "{got}");
    }

    /// A number and what it counts stay together.
    #[test]
    fn numbers_keep_their_units_and_counts() {
        assert!(glued("4.4", "%"));
        assert!(glued("0", "failed,"));
        assert!(glued("0.47", "g"));
        assert!(!glued("4.4", "12"));
        assert!(!glued("cadence", "drop"));
    }
}
