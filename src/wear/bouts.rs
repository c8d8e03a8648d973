//! The bout finder: epochs of free-living wear → running and walking bouts, online (each
//! epoch is judged when it completes, a bout is closed as soon as it cannot continue).
//!
//! **Epoch labels** ([`label`]). Gait is rhythmic: an epoch is gait when its autocorrelation
//! has a step or stride peak of at least [`RHYTHM_MIN`] (Moe-Nilssen & Helbostad 2004 report
//! step and stride regularity of 0.6–0.9 in walking; irregular movement such as typing,
//! gesturing, chores or a vehicle's vibration lies well below) and the sensor moves at least
//! as much as slow walking does ([`WALK_SD_G`]). Gait at a running intensity
//! ([`RUN_SD_G`]: |a| varies by ±0.35 g SD or more; walking at the wrist or trunk stays near
//! 0.1–0.3 g SD, running with its flight phases and impacts of 2–3 g exceeds 0.5 g; Bhattacharya
//! et al. 1980 J Appl Physiol 49:881 and Hildebrand et al. 2014 MSSE 46:1816 for the
//! acceleration magnitudes of walking and running at the trunk and wrist) is a **running
//! candidate**; gait below it is walking. A bus ride shakes the sensor (ISO 2631-1
//! whole-body vibration of buses is around 0.05–0.15 g RMS, broadband 1–30 Hz) without a
//! gait rhythm and below running intensity, so it is never a candidate; typing moves a wrist
//! by a few hundredths of a g.
//!
//! **Bouts.** Candidate epochs separated by less than [`RUN_GAP_S`] (a traffic light, a
//! shoelace) form one running bout, kept when it holds at least [`MIN_RUN_S`] of candidate
//! epochs; the gait engine then analyses its samples and has the last word on which steps
//! were run. Walking epochs separated by less than [`WALK_GAP_S`] form a walking bout, kept
//! from [`MIN_WALK_S`] (Orendurff et al. 2008, J Rehabil Res Dev 45:1077: most free-living
//! walking bouts are short; a 30 s floor keeps purposeful walking).

use super::epochs::{EPOCH_S, Epoch, MOVING_SD_G};
use serde::Serialize;

/// Lowest autocorrelation peak of gait.
pub const RHYTHM_MIN: f64 = 0.5;
/// Lowest SD of |a| of walking, g.
pub const WALK_SD_G: f64 = 0.08;
/// Lowest SD of |a| of a running candidate, g.
pub const RUN_SD_G: f64 = 0.35;
/// Longest pause inside a running bout, s.
pub const RUN_GAP_S: f64 = 60.0;
/// Shortest running bout (candidate epochs), s.
pub const MIN_RUN_S: f64 = 60.0;
/// Longest pause inside a walking bout, s.
pub const WALK_GAP_S: f64 = 10.0;
/// Shortest walking bout, s.
pub const MIN_WALK_S: f64 = 30.0;
/// Epochs with less of their bins covered by samples are not judged (gaps, edges).
const MIN_COVERAGE: f64 = 0.5;

/// What an epoch looks like.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EpochLabel {
    /// Barely moving (sleep, sitting, a desk, the sensor off the body) or no samples.
    Still,
    /// Moving without a gait rhythm (typing, chores, a vehicle).
    Moving,
    /// Gait at walking intensity.
    Walking,
    /// Gait at running intensity.
    Running,
}

/// The label of one epoch.
pub fn label(e: &Epoch) -> EpochLabel {
    if e.coverage < MIN_COVERAGE || e.sd_g < MOVING_SD_G {
        EpochLabel::Still
    } else if e.rhythm < RHYTHM_MIN || e.period_s.is_none() || e.sd_g < WALK_SD_G {
        EpochLabel::Moving
    } else if e.sd_g >= RUN_SD_G {
        EpochLabel::Running
    } else {
        EpochLabel::Walking
    }
}

/// Which kind of bout.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BoutKind {
    /// A running candidate (confirmed by the gait engine).
    Running,
    /// Walking.
    Walking,
}

/// A bout found in the epochs.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct FoundBout {
    /// Running candidate or walking.
    pub kind: BoutKind,
    /// Start of its first epoch, s on the stream's time axis.
    pub start_s: f64,
    /// End of its last epoch, s.
    pub end_s: f64,
    /// Time in epochs of its own label, s.
    pub active_s: f64,
}

/// A bout being built.
#[derive(Debug, Clone, Copy)]
struct Open {
    start_s: f64,
    end_s: f64,
    active_s: f64,
}

/// One kind's rule: the gap it bridges and the least active time it keeps.
#[derive(Debug, Clone, Copy)]
struct Rule {
    kind: BoutKind,
    gap_s: f64,
    min_s: f64,
}

/// Bouts of one kind, online.
#[derive(Debug)]
struct Track {
    rule: Rule,
    open: Option<Open>,
}

impl Track {
    /// Feed an epoch that is (`active`) or is not of this kind; a bout it closes.
    fn feed(&mut self, e: &Epoch, active: bool) -> Option<FoundBout> {
        let end = e.start_s + EPOCH_S;
        let mut closed = None;
        if let Some(o) = self.open {
            let bridged = if active { e.start_s } else { end };
            if bridged - o.end_s > self.rule.gap_s {
                closed = self.close();
            }
        }
        if active {
            let o = self.open.get_or_insert(Open {
                start_s: e.start_s,
                end_s: end,
                active_s: 0.0,
            });
            o.end_s = end;
            o.active_s += EPOCH_S;
        }
        closed
    }

    /// Close the open bout: kept when it is long enough.
    fn close(&mut self) -> Option<FoundBout> {
        let o = self.open.take()?;
        (o.active_s >= self.rule.min_s).then_some(FoundBout {
            kind: self.rule.kind,
            start_s: o.start_s,
            end_s: o.end_s,
            active_s: o.active_s,
        })
    }
}

/// The online bout finder.
#[derive(Debug)]
pub struct BoutFinder {
    run: Track,
    walk: Track,
}

impl Default for BoutFinder {
    fn default() -> Self {
        BoutFinder {
            run: Track {
                rule: Rule {
                    kind: BoutKind::Running,
                    gap_s: RUN_GAP_S,
                    min_s: MIN_RUN_S,
                },
                open: None,
            },
            walk: Track {
                rule: Rule {
                    kind: BoutKind::Walking,
                    gap_s: WALK_GAP_S,
                    min_s: MIN_WALK_S,
                },
                open: None,
            },
        }
    }
}

impl BoutFinder {
    /// A finder with no open bout.
    pub fn new() -> Self {
        BoutFinder::default()
    }

    /// Feed the next epoch and its label; the bouts it closes.
    pub fn feed(&mut self, e: &Epoch, l: EpochLabel) -> Vec<FoundBout> {
        let mut out = Vec::new();
        out.extend(self.run.feed(e, l == EpochLabel::Running));
        out.extend(self.walk.feed(e, l == EpochLabel::Walking));
        out
    }

    /// Start of the open running candidate, s, if one is open.
    pub fn open_run_start_s(&self) -> Option<f64> {
        self.run.open.map(|o| o.start_s)
    }

    /// Close the open running candidate now (a bout that reached the longest piece the
    /// engine analyses at once); `None` when none is open or it is too short.
    pub fn cut_run(&mut self) -> Option<FoundBout> {
        self.run.close()
    }

    /// Close every open bout (the end of the stream).
    pub fn finish(&mut self) -> Vec<FoundBout> {
        self.run
            .close()
            .into_iter()
            .chain(self.walk.close())
            .collect()
    }
}

/// All bouts of a finished list of epochs (for tests and whole-signal callers).
pub fn find_all(epochs: &[Epoch]) -> Vec<FoundBout> {
    let mut f = BoutFinder::new();
    let mut out: Vec<FoundBout> = epochs.iter().flat_map(|e| f.feed(e, label(e))).collect();
    out.extend(f.finish());
    out.sort_by(|a, b| a.start_s.total_cmp(&b.start_s));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ep(k: usize, sd_g: f64, rhythm: f64) -> Epoch {
        Epoch {
            start_s: k as f64 * EPOCH_S,
            sd_g,
            enmo_g: 0.0,
            rhythm,
            period_s: (rhythm > 0.0).then_some(0.36),
            coverage: 1.0,
        }
    }

    /// A timeline of (epochs, sd, rhythm) parts.
    fn timeline(parts: &[(usize, f64, f64)]) -> Vec<Epoch> {
        let mut out = Vec::new();
        for &(n, sd, r) in parts {
            for _ in 0..n {
                out.push(ep(out.len(), sd, r));
            }
        }
        out
    }

    #[test]
    fn labels_follow_intensity_and_rhythm() {
        assert_eq!(label(&ep(0, 0.01, 0.0)), EpochLabel::Still);
        // Typing or a bus: moving, no rhythm.
        assert_eq!(label(&ep(0, 0.12, 0.2)), EpochLabel::Moving);
        assert_eq!(label(&ep(0, 0.2, 0.8)), EpochLabel::Walking);
        assert_eq!(label(&ep(0, 0.7, 0.8)), EpochLabel::Running);
        // Vigorous but irregular (chores, a bumpy ride): not a candidate.
        assert_eq!(label(&ep(0, 0.7, 0.3)), EpochLabel::Moving);
        let mut gap = ep(0, 0.7, 0.8);
        gap.coverage = 0.2;
        assert_eq!(label(&gap), EpochLabel::Still);
    }

    #[test]
    fn a_run_with_a_traffic_light_is_one_bout_and_a_sprint_for_the_bus_is_none() {
        // 10 min still, 20 min run, 40 s stop, 10 min run, 10 min still, 30 s sprint.
        let e = timeline(&[
            (120, 0.01, 0.0),
            (240, 0.7, 0.85),
            (8, 0.02, 0.0),
            (120, 0.7, 0.85),
            (120, 0.01, 0.0),
            (6, 0.7, 0.85),
            (12, 0.01, 0.0),
        ]);
        let b = find_all(&e);
        assert_eq!(b.len(), 1, "{b:?}");
        assert_eq!(b[0].kind, BoutKind::Running);
        assert!((b[0].start_s - 600.0).abs() < 1e-9);
        assert!((b[0].end_s - (600.0 + 1200.0 + 40.0 + 600.0)).abs() < 1e-9);
        assert!((b[0].active_s - 1800.0).abs() < 1e-9);
    }

    #[test]
    fn a_long_stop_splits_runs_and_walks_bridge_only_short_gaps() {
        let e = timeline(&[
            (24, 0.7, 0.85),
            (14, 0.01, 0.0), // 70 s > 60 s
            (24, 0.7, 0.85),
            (12, 0.2, 0.8), // 60 s walk
            (3, 0.01, 0.0), // 15 s > 10 s
            (6, 0.2, 0.8),  // 30 s walk
            (1, 0.01, 0.0),
        ]);
        let b = find_all(&e);
        let kinds: Vec<_> = b.iter().map(|b| (b.kind, b.active_s)).collect();
        assert_eq!(
            kinds,
            [
                (BoutKind::Running, 120.0),
                (BoutKind::Running, 120.0),
                (BoutKind::Walking, 60.0),
                (BoutKind::Walking, 30.0),
            ]
        );
    }

    #[test]
    fn more_candidate_epochs_never_lose_a_bout() {
        // Property: turning a still epoch into a running one never removes running time.
        let base = timeline(&[(10, 0.7, 0.85), (5, 0.01, 0.0), (10, 0.7, 0.85)]);
        let run_s = |e: &[Epoch]| -> f64 {
            find_all(e)
                .iter()
                .filter(|b| b.kind == BoutKind::Running)
                .map(|b| b.active_s)
                .sum()
        };
        let before = run_s(&base);
        for k in 0..base.len() {
            let mut e = base.clone();
            e[k].sd_g = 0.7;
            e[k].rhythm = 0.85;
            e[k].period_s = Some(0.36);
            assert!(run_s(&e) >= before, "epoch {k}");
        }
    }
}
