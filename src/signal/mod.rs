//! Stage 2a, **signal**: a raw accelerometer recording → clean, uniformly sampled segments
//! in a gravity-aligned frame.
//!
//! * [`preprocess`]: sampling rate from the median time step, jitter and non-monotonic time
//!   stamps (resampling to a uniform grid), gaps (split, never interpolated across a step),
//!   missing and absurd samples, clipping.
//! * [`filter`]: zero-phase Butterworth filters (sci-rs, matches SciPy) and integration.
//! * [`orient`]: gravity alignment (nalgebra rotations) and the forward axis and its sign.
//! * [`spectrum`]: dominant step or stride frequency (rustfft).

// Numerical code: index loops over several parallel arrays read more clearly than
// zipped iterators, and `!(x > 0.0)` deliberately treats NaN as failing the test.
#![allow(clippy::needless_range_loop, clippy::neg_cmp_op_on_partial_ord)]

pub mod filter;
pub mod orient;
pub mod preprocess;
pub mod spectrum;

/// The `p` quantile of the finite values of `v` by nearest rank (index `round(p·(n − 1))`;
/// for `p = 0.5` the upper middle value), found by selection in O(n) on a copy. NaN when `v`
/// has no finite value.
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
