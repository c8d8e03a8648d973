//! The human summary printed by `gaitguard analyze`: what the file is, a metric table with
//! zones (and the watch's own averages beside ours), the drift over the run, warm-up and
//! hills, and every warning. Plain text, 100 columns at most, no colour codes.

use crate::metrics::MetricSummary;
use crate::session::SessionDoc;
use std::fmt::Write;

/// Human label, unit and decimals of each metric.
pub fn label(metric: &str) -> (&'static str, &'static str, usize) {
    match metric {
        "cadence_spm" => ("cadence", "spm", 0),
        "ground_contact_ms" => ("ground contact", "ms", 0),
        "flight_ms" => ("flight time", "ms", 0),
        "vertical_oscillation_cm" => ("vertical oscillation", "cm", 1),
        "vertical_ratio_pct" => ("vertical ratio", "%", 1),
        "step_length_m" => ("step length", "m", 2),
        "gct_balance_left_pct" => ("GCT balance (left)", "%", 1),
        "speed_mps" => ("speed", "m/s", 2),
        "heart_rate_bpm" => ("heart rate", "bpm", 0),
        "power_w" => ("power", "W", 0),
        "temperature_c" => ("temperature", "°C", 1),
        "form_power_w" => ("form power", "W", 0),
        "leg_spring_stiffness_kn_per_m" => ("leg spring stiffness", "kN/m", 1),
        "braking_g" => ("braking", "g", 2),
        "impact_g" => ("impact", "g", 2),
        "footstrike_type" => ("footstrike type", "1–15", 1),
        "pronation_deg" => ("pronation", "°", 1),
        "duty_factor_pct" => ("duty factor", "%", 1),
        "step_speed_loss_mps" => ("step speed loss", "m/s", 2),
        _ => ("?", "", 2),
    }
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
    match metric {
        "cadence_spm" => d.cadence_spm,
        "ground_contact_ms" => d.ground_contact_ms,
        "vertical_oscillation_cm" => d.vertical_oscillation_cm,
        "vertical_ratio_pct" => d.vertical_ratio_pct,
        "step_length_m" => d.step_length_m,
        "gct_balance_left_pct" => d.gct_balance_left_pct,
        "speed_mps" => d.speed_mps,
        "heart_rate_bpm" => d.heart_rate_bpm,
        "power_w" => d.power_w,
        _ => None,
    }
}

/// Render the summary (top risk factors only).
pub fn render(doc: &SessionDoc) -> String {
    render_with(doc, false)
}

/// Render the summary; `explain` lists every risk factor, assessed or not, with its evidence.
pub fn render_with(doc: &SessionDoc, explain: bool) -> String {
    let mut o = String::new();
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
        None => line.push_str(" · start time unknown"),
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
        let _ = write!(
            act,
            " · dynamics sensor: {}",
            serde_json::to_value(p)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default()
        );
    }
    let _ = writeln!(o, "  activity  {act}");
    if let Some(r) = &doc.raw {
        raw_header(&mut o, r);
    }
    let _ = writeln!(o);

    // Metric table.
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
    let order = crate::metrics::CORE_METRICS
        .iter()
        .copied()
        .chain(crate::metrics::EXTRA_METRICS.iter().map(|(_, n)| *n));
    for (name, m) in order.filter_map(|n| doc.summary.metrics.get_key_value(n)) {
        let (lab, unit, dp) = label(name);
        match m {
            None => absent.push(lab),
            Some(MetricSummary {
                mean,
                median,
                p10,
                p90,
                zone,
                derived,
                ..
            }) => {
                let title = format!("{lab} ({unit}){}", if *derived { "*" } else { "" });
                let watch = if has_watch {
                    watch_value(doc, name)
                        .map(|v| format!(" {:>7}", num(v, dp)))
                        .unwrap_or_else(|| format!(" {:>7}", "–"))
                } else {
                    String::new()
                };
                let _ = writeln!(
                    o,
                    "  {:<26} {:>8} {:>8} {:>15}  {:<7}{}",
                    title,
                    num(*mean, dp),
                    num(*median, dp),
                    format!("{} – {}", num(*p10, dp), num(*p90, dp)),
                    zone.map(|z| z.name()).unwrap_or(""),
                    watch
                );
            }
        }
    }
    if let Some(sp) = doc.summary.metrics.get("speed_mps").copied().flatten() {
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

    // Drift.
    let drifts: Vec<String> = crate::metrics::CORE_METRICS
        .iter()
        .filter_map(|n| doc.summary.drift.get_key_value(n))
        .filter_map(|(name, d)| {
            let d = d.as_ref()?;
            let (lab, unit, dp) = label(name);
            Some(format!(
                "  {:<26} {:>8} → {:<8} {:+.1} %",
                format!("{lab} ({unit})"),
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
    if let Some(w) = &doc.summary.warmup {
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
    if let Some(e) = &doc.summary.elevation {
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
    if !doc.summary.skipped_sessions.is_empty() || doc.summary.sessions.len() > 1 {
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
    if let Some(r) = &doc.raw {
        raw_checks(&mut o, r);
    }
    if let (Some(ov), Some(risk)) = (&doc.overstriding, &doc.risk) {
        risk_section(&mut o, ov, risk, explain);
    }
    if !doc.summary.warnings.is_empty() {
        let _ = writeln!(o);
        let _ = writeln!(o, "  notes");
        for w in &doc.summary.warnings {
            let _ = writeln!(o, "  - {}", w.message);
        }
    }
    let _ = writeln!(o);
    let _ = writeln!(
        o,
        "  gaitguard gives indicators, not diagnoses. Pain that persists, swelling or a pop in the calf: see a clinician."
    );
    o
}

/// The JSON text of a unit-like enum value (its serde name).
pub(crate) fn json_name<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

fn raw_header(o: &mut String, r: &crate::gait::RawReport) {
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
        let _ = writeln!(
            o,
            "  - cadence: spectrum {:.1} spm, detected steps {} spm{}",
            c.spectrum_spm,
            c.steps_spm.map(|s| format!("{s:.1}")).unwrap_or("–".into()),
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
    for w in &r.withheld {
        let _ = writeln!(o, "  - withheld {}: {}", w.metric, w.reason);
    }
}

fn risk_section(
    o: &mut String,
    ov: &crate::risk::overstriding::Overstriding,
    risk: &crate::risk::RiskAssessment,
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
        let pts = if f.kind == "modifier" {
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
        }
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
