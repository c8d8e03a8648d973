//! Stage 2a, **signal**: a raw accelerometer recording → clean, uniformly sampled segments
//! in a gravity-aligned frame.
//!
//! * [`preprocess`]: sampling rate from the median time step, jitter and non-monotonic time
//!   stamps (resampling to a uniform grid), gaps (split, never interpolated across a step),
//!   missing and absurd samples, clipping.
//! * [`filter`]: zero-phase Butterworth filters (sci-rs, matches SciPy) and integration.
//! * [`orient`]: gravity alignment (nalgebra rotations) and the forward axis and its sign.
//! * [`spectrum`]: dominant step or stride frequency (rustfft).

pub mod filter;
pub mod orient;
pub mod preprocess;
pub mod spectrum;
