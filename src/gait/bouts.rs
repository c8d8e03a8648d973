//! Activity bouts: consecutive steps of one activity.

use super::{Bout, Step};

/// Group time-ordered steps into bouts: a step joins the current bout when it has the same
/// activity and starts less than 2 s after the bout's end (a step ends one step time after
/// its contact).
pub(super) fn bouts_of(steps: &[Step]) -> Vec<Bout> {
    let mut out: Vec<Bout> = Vec::new();
    for s in steps {
        let end = s.time_s + s.step_time_ms.unwrap_or(0.0) / 1000.0;
        match out.last_mut() {
            Some(b) if b.activity == s.activity && s.time_s - b.end_s < 2.0 => {
                b.end_s = end.max(b.end_s);
                b.steps += 1;
            }
            _ => out.push(Bout {
                activity: s.activity,
                start_s: s.time_s,
                end_s: end,
                steps: 1,
            }),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vocab::GaitActivity;

    fn step(time_s: f64, activity: &'static str) -> Step {
        Step {
            time_s,
            activity: if activity == "running" {
                GaitActivity::Running
            } else {
                GaitActivity::Walking
            },
            step_time_ms: Some(500.0),
            ..Step::default()
        }
    }

    #[test]
    fn a_change_of_activity_or_a_pause_of_2_s_starts_a_bout() {
        let steps = [
            step(0.0, "running"),
            step(0.5, "running"),
            step(1.0, "walking"),
            step(1.5, "walking"),
            step(4.0, "walking"),
        ];
        let b = bouts_of(&steps);
        let spans: Vec<(&str, f64, f64, usize)> = b
            .iter()
            .map(|b| (b.activity.name(), b.start_s, b.end_s, b.steps))
            .collect();
        assert_eq!(
            spans,
            [
                ("running", 0.0, 1.0, 2),
                ("walking", 1.0, 2.0, 2),
                ("walking", 4.0, 4.5, 1)
            ]
        );
    }
}
