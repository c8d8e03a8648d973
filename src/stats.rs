//! Statistics, the base layer's one definition of each:
//!
//! * [`median`]: the sample median, the middle value of the sorted sample, and for an even
//!   count the mean of the two middle values (Hyndman & Fan 1996, Am Stat 50:361, type 7 at
//!   p = 0.5); found by selection in O(n). [`median_of_finite`] skips NaN and infinities.
//! * [`quantile`], [`quantile_in_place`]: other quantiles by nearest rank (index
//!   `round(p·(n − 1))`, Hyndman & Fan's type 3 family), for robust levels and thresholds
//!   (a 95th percentile of acceleration, a 0.5 % floor), selected in O(n).
//! * [`summarize`], [`quantile_sorted`], [`weighted_mean`]: time-weighted statistics.
//!
//! Watch records are not evenly spaced (smart recording writes a record only when something
//! changes, pauses leave gaps), so every value is weighted by the time it stands for. The
//! weighted quantile is the inverse of the time-weighted distribution: each value covers its
//! share of the total time, and a quantile that falls exactly between two values takes their
//! mean (with equal weights this is the usual median of an even-sized sample).

use serde::Serialize;

/// Mean, median, 10th and 90th percentiles and the number of records used.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Summary {
    /// Time-weighted mean.
    pub mean: f64,
    /// Time-weighted median.
    pub median: f64,
    /// Time-weighted 10th percentile.
    pub p10: f64,
    /// Time-weighted 90th percentile.
    pub p90: f64,
    /// Number of records that contributed.
    pub n: usize,
}

/// Summarise `(value, weight)` pairs; `None` when there are none with positive weight.
pub fn summarize(pairs: &mut [(f64, f64)]) -> Option<Summary> {
    let total: f64 = pairs.iter().map(|p| p.1).sum();
    if pairs.is_empty() || total.is_nan() || total <= 0.0 {
        return None;
    }
    let mean = pairs.iter().map(|(v, w)| v * w).sum::<f64>() / total;
    pairs.sort_unstable_by(|a, b| a.0.partial_cmp(&b.0).unwrap_or(std::cmp::Ordering::Equal));
    Some(Summary {
        mean,
        median: quantile_sorted(pairs, total, 0.5),
        p10: quantile_sorted(pairs, total, 0.1),
        p90: quantile_sorted(pairs, total, 0.9),
        n: pairs.len(),
    })
}

/// Weighted quantile of pairs sorted by value: each value covers the span of cumulative
/// weight `[C_{i−1}, C_i]`; the quantile is the value whose span holds `q·W`, and the mean of
/// the two neighbours when `q·W` falls exactly on a boundary.
pub fn quantile_sorted(sorted: &[(f64, f64)], total: f64, q: f64) -> f64 {
    let target = q * total;
    let eps = 1e-12 * total.max(1.0);
    let mut cum = 0.0;
    for (i, &(v, w)) in sorted.iter().enumerate() {
        cum += w;
        if (target - cum).abs() <= eps {
            return match sorted.get(i + 1) {
                Some(&(next, _)) => 0.5 * (v + next),
                None => v,
            };
        }
        if target < cum {
            return v;
        }
    }
    sorted.last().map(|p| p.0).unwrap_or(f64::NAN)
}

/// Weighted mean of `(value, weight)` pairs.
pub fn weighted_mean(pairs: impl Iterator<Item = (f64, f64)>) -> Option<f64> {
    let (mut s, mut w) = (0.0, 0.0);
    for (v, wt) in pairs {
        s += v * wt;
        w += wt;
    }
    if w > 0.0 { Some(s / w) } else { None }
}

/// The sample median of `v` (reorders it): the middle value, or for an even count the mean
/// of the two middle values; `None` when `v` is empty. NaN sorts last (`f64::total_cmp`).
pub fn median(v: &mut [f64]) -> Option<f64> {
    let n = v.len();
    if n == 0 {
        return None;
    }
    let (lower, mid, _) = v.select_nth_unstable_by(n / 2, f64::total_cmp);
    let upper = *mid;
    if n % 2 == 1 {
        return Some(upper);
    }
    let below = lower
        .iter()
        .copied()
        .max_by(f64::total_cmp)
        .unwrap_or(upper);
    Some(0.5 * (below + upper))
}

/// The sample median ([`median`]) of the finite values of `v`, on a copy.
pub fn median_of_finite(v: &[f64]) -> Option<f64> {
    let mut s: Vec<f64> = v.iter().copied().filter(|x| x.is_finite()).collect();
    median(&mut s)
}

/// The `p` quantile of the finite values of `v` by nearest rank (index `round(p·(n − 1))`),
/// found by selection in O(n) on a copy. NaN when `v` has no finite value.
pub fn quantile(v: &[f64], p: f64) -> f64 {
    let mut s: Vec<f64> = v.iter().copied().filter(|x| x.is_finite()).collect();
    quantile_in_place(&mut s, p)
}

/// The `p` quantile of `v` by nearest rank (as [`quantile`], NaN sorting last), selected in
/// place without a copy; reorders `v`. NaN when `v` is empty.
pub fn quantile_in_place(v: &mut [f64], p: f64) -> f64 {
    if v.is_empty() {
        return f64::NAN;
    }
    let k = ((p.clamp(0.0, 1.0) * (v.len() - 1) as f64).round() as usize).min(v.len() - 1);
    *v.select_nth_unstable_by(k, f64::total_cmp).1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_weights_give_the_usual_quantiles() {
        let mut p: Vec<(f64, f64)> = (1..=10).map(|i| (i as f64, 1.0)).collect();
        let s = summarize(&mut p).unwrap();
        assert_eq!(s.mean, 5.5);
        assert_eq!(s.median, 5.5);
        // p10 falls on the boundary between the first and second value.
        assert!((s.p10 - 1.5).abs() < 1e-12, "{}", s.p10);
        assert!((s.p90 - 9.5).abs() < 1e-12, "{}", s.p90);
        assert_eq!(s.n, 10);
    }

    #[test]
    fn weights_shift_the_mean_and_median() {
        // 170 spm for 9 s, 150 spm for 1 s: the mean is 168, the median 170.
        let mut p = vec![(170.0, 9.0), (150.0, 1.0)];
        let s = summarize(&mut p).unwrap();
        assert!((s.mean - 168.0).abs() < 1e-12);
        assert_eq!(s.median, 170.0);
    }

    #[test]
    fn empty_is_none() {
        assert!(summarize(&mut []).is_none());
        assert!(summarize(&mut [(1.0, 0.0)]).is_none());
    }

    #[test]
    fn median_is_the_middle_or_the_mean_of_the_two_middles() {
        assert_eq!(median(&mut [3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(&mut [4.0, 1.0, 3.0, 2.0]), Some(2.5));
        assert_eq!(median(&mut [7.0]), Some(7.0));
        assert_eq!(median(&mut []), None);
        assert_eq!(
            median_of_finite(&[f64::NAN, 1.0, f64::INFINITY, 3.0]),
            Some(2.0)
        );
        assert_eq!(median_of_finite(&[f64::NAN]), None);
    }

    #[test]
    fn nearest_rank_quantiles() {
        let v: Vec<f64> = (0..=10).map(f64::from).rev().collect();
        assert_eq!(quantile(&v, 0.0), 0.0);
        assert_eq!(quantile(&v, 0.95), 10.0);
        assert_eq!(quantile(&v, 0.3), 3.0);
        assert!(quantile(&[f64::NAN], 0.5).is_nan());
    }
}
