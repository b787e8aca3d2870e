//! Inputs shared by the criterion benches: seeded, rattled bcc supercells, built outside the
//! timed closures, and the one energy-and-forces measurement of the potential benches.
#![allow(dead_code)]

use std::sync::Arc;

use criterion::measurement::WallTime;
use criterion::{BenchmarkGroup, BenchmarkId};
use fe_potentials::{Evaluator, Potential, Request};
use fe_structure::build::{bcc, rattle};
use fe_structure::{Element, Structure};

/// Lattice constant of bcc Fe used by the benches (Angstrom).
pub const FE_A: f64 = 2.8553;

/// Rattle amplitude (Gaussian standard deviation, Angstrom).
pub const RATTLE: f64 = 0.05;

/// A bcc Fe supercell of `reps^3` conventional cells (2 reps^3 atoms), rattled with seed
/// `seed`: 20 gives 16,000 atoms, 40 gives 128,000, 80 gives 1,024,000.
///
/// # Panics
/// Never for positive `reps` (the builders only fail on invalid constants).
pub fn bcc_fe(reps: usize, seed: u64) -> Structure {
    let mut s = bcc(Element::FE, FE_A)
        .and_then(|c| c.replicate(reps, reps, reps))
        .expect("bcc Fe supercell with valid constants");
    rattle(&mut s, RATTLE, seed).expect("valid rattle amplitude");
    s
}

/// Energy and forces of `s` with `pot` through an [`Evaluator`], on one and two threads, into
/// `group` as `1-thread`/`2-thread`. The neighbour list is built by a first call outside the
/// timed closure, as in MD steps between rebuilds.
///
/// # Panics
/// When the potential cannot evaluate `s`.
pub fn energy_forces(
    group: &mut BenchmarkGroup<'_, WallTime>,
    pot: &Arc<dyn Potential>,
    s: &Structure,
) {
    let request = Request {
        forces: true,
        ..Request::ENERGY
    };
    for threads in [1, 2] {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .expect("a local thread pool");
        let mut ev = Evaluator::new(pot.clone());
        pool.install(|| ev.evaluate(s, request))
            .expect("evaluation of the bench structure");
        group.bench_with_input(
            BenchmarkId::new(format!("{threads}-thread"), s.len()),
            s,
            |b, s| {
                b.iter(|| {
                    pool.install(|| ev.evaluate(s, request))
                        .expect("evaluation")
                })
            },
        );
    }
}
