//! Inputs shared by the criterion benches: seeded, rattled bcc supercells, built outside the
//! timed closures.
#![allow(dead_code)]

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
