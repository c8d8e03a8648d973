//! Left and right (Lee et al. 2010: the sign of the medio-lateral acceleration in stance
//! votes for a side) and step-time asymmetry.
//!
//! Votes alone are noisy; steps alternate. So within each chain of running steps (a new
//! chain starts after a pause of more than 1 s) the even steps are all one side and the odd
//! steps the other, and the majority of the chain's votes decides which. The share of votes
//! that agree with the alternation is the confidence; sides are assigned at ≥ 0.8 with at
//! least 6 votes.

use super::{Side, SidesReport, Step, median};
use crate::recording::Warning;
use crate::vocab::GaitActivity;
use crate::vocab::WarningCode;

/// Left/right labels decided by alternation, with the votes behind them.
#[derive(Debug, Clone, PartialEq)]
struct Alternation {
    /// Per running step: `Some(true)` = left.
    labels: Vec<Option<bool>>,
    /// Votes that agree with the labels.
    agree: usize,
    /// Votes cast.
    total: usize,
}

/// Assign sides to the running steps from their Lee 2010 votes (`votes`: one per running
/// step in time order, `Some(true)` = left), and report the asymmetry. `None` with fewer
/// than 6 running steps or when the votes do not match the running steps.
pub(super) fn assign_sides(steps: &mut [Step], votes: &[Option<bool>]) -> Option<SidesReport> {
    let running: Vec<usize> = (0..steps.len())
        .filter(|&i| steps[i].activity == GaitActivity::Running)
        .collect();
    if running.len() < 6 || votes.len() != running.len() {
        return None;
    }
    let times: Vec<f64> = running.iter().map(|&i| steps[i].time_s).collect();
    let parity = chain_parity(&times);
    let alt = alternate(&parity, votes);
    let confidence = if alt.total > 0 {
        alt.agree as f64 / alt.total as f64
    } else {
        0.5
    };
    let assigned = confidence >= 0.8 && alt.total >= 6;
    let mut rep = SidesReport {
        method: "lee2010_ml_sign",
        confidence,
        assigned,
        left_steps: 0,
        right_steps: 0,
        gct_balance_left_pct: None,
        step_time_symmetry_pct: None,
        step_time_asymmetry_pct: alternate_step_asymmetry(steps, &running, &parity),
    };
    if assigned {
        for (j, &i) in running.iter().enumerate() {
            steps[i].side = alt.labels[j].map(|l| if l { Side::Left } else { Side::Right });
        }
        side_balance(steps, &mut rep);
    }
    Some(rep)
}

/// Position of each step in its chain (0, 1, 2, …), from the step times `times_s`, s: a
/// new chain starts after a gap of more than 1 s.
fn chain_parity(times_s: &[f64]) -> Vec<usize> {
    let mut parity = Vec::with_capacity(times_s.len());
    let mut p = 0usize;
    for j in 0..times_s.len() {
        if j > 0 {
            p = if times_s[j] - times_s[j - 1] > 1.0 {
                0
            } else {
                p + 1
            };
        }
        parity.push(p);
    }
    parity
}

/// Strict alternation per chain: hypothesis "even positions are left", kept or flipped by
/// the majority of the chain's votes (a tie keeps it). Chains are independent.
fn alternate(parity: &[usize], votes: &[Option<bool>]) -> Alternation {
    let n = parity.len();
    let mut alt = Alternation {
        labels: vec![None; n],
        agree: 0,
        total: 0,
    };
    let mut chain_start = 0;
    for j in 0..=n {
        if j == n || (j > 0 && parity[j] == 0) {
            let (mut a, mut b) = (0usize, 0usize);
            for q in chain_start..j {
                if let Some(v) = votes[q] {
                    if v == (parity[q] % 2 == 0) {
                        a += 1;
                    } else {
                        b += 1;
                    }
                }
            }
            let even_left = a >= b;
            alt.agree += a.max(b);
            alt.total += a + b;
            for q in chain_start..j {
                alt.labels[q] = Some((parity[q] % 2 == 0) == even_left);
            }
            chain_start = j;
        }
    }
    alt
}

/// Unsigned step-time asymmetry from alternate steps, needing no side labels:
/// `100·|even − odd| / mean` of the median step times at even and odd chain positions, %.
fn alternate_step_asymmetry(steps: &[Step], running: &[usize], parity: &[usize]) -> Option<f64> {
    let at = |odd: usize| {
        let times: Vec<f64> = running
            .iter()
            .zip(parity)
            .filter(|(_, p)| *p % 2 == odd)
            .filter_map(|(&i, _)| steps[i].step_time_ms)
            .collect();
        median(&times)
    };
    match (at(0), at(1)) {
        (Some(a), Some(b)) => Some(100.0 * (a - b).abs() / (0.5 * (a + b))),
        _ => None,
    }
}

/// Step counts per side, contact-time balance (median left / (median left + median right),
/// %) and signed step-time symmetry index `100·(R − L)/mean`, %, of labelled steps.
fn side_balance(steps: &[Step], rep: &mut SidesReport) {
    let pick = |side: Side, f: fn(&Step) -> Option<f64>| {
        median(
            &steps
                .iter()
                .filter(|s| s.side == Some(side))
                .filter_map(f)
                .collect::<Vec<_>>(),
        )
    };
    rep.left_steps = steps.iter().filter(|s| s.side == Some(Side::Left)).count();
    rep.right_steps = steps.iter().filter(|s| s.side == Some(Side::Right)).count();
    if let (Some(l), Some(r)) = (
        pick(Side::Left, |s| s.ground_contact_ms),
        pick(Side::Right, |s| s.ground_contact_ms),
    ) {
        rep.gct_balance_left_pct = Some(100.0 * l / (l + r));
    }
    if let (Some(l), Some(r)) = (
        pick(Side::Left, |s| s.step_time_ms),
        pick(Side::Right, |s| s.step_time_ms),
    ) {
        rep.step_time_symmetry_pct = Some(100.0 * (r - l) / (0.5 * (r + l)));
    }
}

/// `sides_uncertain` when sides were looked for but not assigned.
pub(super) fn uncertain_warning(rep: &SidesReport) -> Option<Warning> {
    (!rep.assigned).then(|| {
        Warning::new(
            WarningCode::SidesUncertain,
            format!(
                "left and right could not be told apart reliably (alternation confidence {:.2} < 0.80): only the unsigned step-time asymmetry is reported",
                rep.confidence
            ),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pause_of_more_than_a_second_restarts_the_chain() {
        assert_eq!(chain_parity(&[0.0, 0.35, 0.7, 2.0, 2.35]), [0, 1, 2, 0, 1]);
    }

    #[test]
    fn the_majority_of_a_chain_flips_its_alternation() {
        // One chain of four, three votes say odd positions are left, one disagrees.
        let votes = [Some(false), Some(true), Some(true), Some(true)];
        let alt = alternate(&[0, 1, 2, 3], &votes);
        assert_eq!(
            alt.labels,
            [Some(false), Some(true), Some(false), Some(true)]
        );
        assert_eq!((alt.agree, alt.total), (3, 4));
        // Two chains decide independently; a chain without votes keeps even = left.
        let alt = alternate(&[0, 1, 0, 1], &[Some(false), Some(true), None, None]);
        assert_eq!(
            alt.labels,
            [Some(false), Some(true), Some(true), Some(false)]
        );
        assert_eq!((alt.agree, alt.total), (2, 2));
    }

    fn run(n: usize, left_first: bool) -> (Vec<Step>, Vec<Option<bool>>) {
        // Left steps: 340 ms with 200 ms contact; right: 360 ms with 300 ms contact.
        let mut steps = Vec::new();
        let mut votes = Vec::new();
        let mut t = 0.0;
        for k in 0..n {
            let left = (k % 2 == 0) == left_first;
            let (st, gct) = if left { (340.0, 200.0) } else { (360.0, 300.0) };
            steps.push(Step {
                time_s: t,
                activity: GaitActivity::Running,
                step_time_ms: Some(st),
                ground_contact_ms: Some(gct),
                ..Step::default()
            });
            votes.push(Some(left));
            t += st / 1000.0;
        }
        (steps, votes)
    }

    #[test]
    fn consistent_votes_assign_sides_and_give_the_balance() {
        let (mut steps, votes) = run(8, false);
        let rep = assign_sides(&mut steps, &votes).unwrap();
        assert!(rep.assigned);
        assert_eq!(rep.confidence, 1.0);
        assert_eq!((rep.left_steps, rep.right_steps), (4, 4));
        assert_eq!(steps[0].side, Some(Side::Right));
        assert!((rep.gct_balance_left_pct.unwrap() - 40.0).abs() < 1e-9);
        assert!((rep.step_time_symmetry_pct.unwrap() - 100.0 * 20.0 / 350.0).abs() < 1e-9);
        assert!((rep.step_time_asymmetry_pct.unwrap() - 100.0 * 20.0 / 350.0).abs() < 1e-9);
        assert!(uncertain_warning(&rep).is_none());
    }

    #[test]
    fn split_votes_leave_sides_unassigned_but_keep_the_unsigned_asymmetry() {
        let (mut steps, mut votes) = run(8, true);
        for v in votes.iter_mut().skip(4) {
            *v = v.map(|l| !l);
        }
        let rep = assign_sides(&mut steps, &votes).unwrap();
        assert!(!rep.assigned);
        assert_eq!(rep.confidence, 0.5);
        assert!(steps.iter().all(|s| s.side.is_none()));
        assert!(rep.step_time_asymmetry_pct.is_some());
        assert_eq!(
            uncertain_warning(&rep).unwrap().code,
            WarningCode::SidesUncertain
        );
        assert!(assign_sides(&mut steps[..5], &votes[..5]).is_none());
    }
}
