//! Stage 2, **signal** (raw sensors only): a raw accelerometer recording → clean, uniformly sampled segments
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
