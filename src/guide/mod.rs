//! Guides: prose that must stay true, kept as documentation modules so their examples compile
//! and run with the tests.
//!
//! - [`units`]: units, signs and tensor conventions.
//! - [`formats`]: structure files, what each reader keeps and how species are named.
//! - [`reproducibility`]: threads, seeds and determinism.

pub mod formats;
pub mod reproducibility;
pub mod units;
