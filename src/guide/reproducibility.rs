//! # Threads, seeds and determinism
//!
//! - Kernels run in parallel with rayon; callers never configure it. To limit threads, run
//!   the work inside a local pool (`rayon::ThreadPoolBuilder::new().num_threads(1).build()`) or
//!   set `RAYON_NUM_THREADS`.
//! - Results do not depend on the number of threads: work is cut into chunks of a fixed size,
//!   partial results are combined in order, and each atom's data is written by one task. The
//!   neighbour list's rows are sorted by (j, image), so a list is bit-identical for any thread
//!   count.
//! - Every random step takes an explicit seed and names its generator (PCG64 from `rand_pcg`,
//!   seeded with `seed_from_u64`); the same seed gives the same structure on every machine.
