//! Helpers shared by the integration tests (included with `mod common;`).
#![allow(dead_code)]

use fe_neighbors::{ListKind, NeighborList};
use fe_structure::{Cell, Element, Structure};
use fe_testkit::{brute_force_neighbors, random_structure};
use nalgebra::{Matrix3, Vector3};
use rand::{Rng, SeedableRng};
use rand_pcg::Pcg64;

/// A rattled bcc supercell of `reps^3` conventional cells (lattice constant `a`), optionally
/// sheared into a triclinic cell.
pub fn bcc(reps: usize, a: f64, rattle: f64, shear: f64, seed: u64) -> Structure {
    let l = a * reps as f64;
    let h = Matrix3::new(
        l,
        0.0,
        0.0,
        shear * l,
        l,
        0.0,
        0.5 * shear * l,
        -shear * l,
        l,
    );
    let cell = Cell::new(h, [true; 3]).expect("valid bcc cell");
    let mut rng = Pcg64::seed_from_u64(seed);
    let mut pos = Vec::new();
    let n = reps as f64;
    for x in 0..reps {
        for y in 0..reps {
            for z in 0..reps {
                for b in [0.0, 0.5] {
                    let s = Vector3::new(x as f64 + b, y as f64 + b, z as f64 + b) / n;
                    let jitter = Vector3::new(
                        rng.gen_range(-rattle..=rattle),
                        rng.gen_range(-rattle..=rattle),
                        rng.gen_range(-rattle..=rattle),
                    );
                    pos.push(cell.to_cartesian(&s) + jitter);
                }
            }
        }
    }
    Structure::new(cell, vec![Element::FE; pos.len()], pos).expect("finite positions")
}

/// Check the full and half lists of `s` at `cutoff` against the brute-force oracle: identical
/// (j, shift) rows in identical order, distances within 1e-12 A, half = full filtered by the
/// half-list rule.
pub fn check_against_brute_force(s: &Structure, cutoff: f64, what: &str) {
    let full = NeighborList::new(s, cutoff, ListKind::Full).expect("full list");
    let half = NeighborList::new(s, cutoff, ListKind::Half).expect("half list");
    let brute = brute_force_neighbors(s, cutoff);
    assert_eq!(full.n_atoms(), s.len(), "{what}");
    assert_eq!(full.offsets().len(), s.len() + 1, "{what}");
    assert_eq!(full.n_entries() % 2, 0, "{what}: odd full list");
    assert!(full.n_entries() > 0, "{what}: empty list tests nothing");
    assert_eq!(
        half.n_entries() * 2,
        full.n_entries(),
        "{what}: half != full / 2"
    );
    for (i, row) in brute.iter().enumerate() {
        let ours: Vec<(usize, [i32; 3])> = full
            .neighbors_of(i)
            .iter()
            .zip(full.shifts_of(i))
            .map(|(&j, s)| (j as usize, s.map(i32::from)))
            .collect();
        let theirs: Vec<(usize, [i32; 3])> = row.iter().map(|b| (b.j, b.shift)).collect();
        assert_eq!(ours, theirs, "{what}: row {i} differs at cutoff {cutoff}");
        for (k, b) in full.row(i).zip(row) {
            let d = full.displacement(s.cell(), s.positions(), i, k).norm();
            assert!(
                (d - b.distance).abs() <= 1e-12,
                "{what}: distance {d} vs {}",
                b.distance
            );
            assert!(d < cutoff);
        }
        let expected_half: Vec<(usize, [i32; 3])> = theirs
            .iter()
            .copied()
            .filter(|&(j, sh)| i < j || (i == j && sh > [0, 0, 0]))
            .collect();
        let ours_half: Vec<(usize, [i32; 3])> = half
            .neighbors_of(i)
            .iter()
            .zip(half.shifts_of(i))
            .map(|(&j, s)| (j as usize, s.map(i32::from)))
            .collect();
        assert_eq!(ours_half, expected_half, "{what}: half row {i} differs");
    }
}

/// `random_structure` with a label for messages.
pub fn random(
    seed: u64,
    n: usize,
    lmin: f64,
    lmax: f64,
    tilt: f64,
    pbc: [bool; 3],
    outside: bool,
) -> (Structure, String) {
    let s = random_structure(seed, n, lmin, lmax, tilt, pbc, outside);
    let what = format!(
        "seed {seed}, {} atoms, edges {lmin}-{lmax}, tilt {tilt}, pbc {pbc:?}, outside {outside}",
        s.len()
    );
    (s, what)
}
