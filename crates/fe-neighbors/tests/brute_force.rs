//! Neighbour lists against the all-images brute-force oracle of fe-testkit.

mod common;

use common::{bcc, check_against_brute_force, random};

#[test]
fn lists_match_brute_force_in_tiny_cells_with_cutoff_beyond_the_box() {
    for seed in 0..24 {
        let n = 1 + (seed as usize % 5);
        let (s, what) = random(seed, n, 1.5, 4.0, 0.4, [true; 3], false);
        check_against_brute_force(&s, 6.0, &what);
    }
}

#[test]
fn lists_match_brute_force_in_strongly_tilted_cells() {
    for seed in 100..112 {
        let (s, what) = random(seed, 30, 6.0, 9.0, 1.8, [true; 3], false);
        check_against_brute_force(&s, 4.5, &what);
    }
}

#[test]
fn lists_match_brute_force_with_open_axes() {
    let pbcs = [
        [false, false, false],
        [true, false, false],
        [false, true, false],
        [false, false, true],
        [true, true, false],
        [true, false, true],
        [false, true, true],
    ];
    for (k, pbc) in pbcs.into_iter().enumerate() {
        for seed in 0..3 {
            let (s, what) = random(200 + 10 * k as u64 + seed, 25, 3.0, 8.0, 0.6, pbc, false);
            check_against_brute_force(&s, 5.0, &what);
            // Tiny cells along the periodic axes.
            let (s, what) = random(300 + 10 * k as u64 + seed, 4, 1.5, 3.0, 0.3, pbc, false);
            check_against_brute_force(&s, 6.0, &what);
        }
    }
}

#[test]
fn lists_match_brute_force_with_atoms_outside_the_cell() {
    for seed in 400..412 {
        let pbc = [seed % 2 == 0, true, seed % 3 != 0];
        let (s, what) = random(seed, 12, 2.5, 6.0, 0.8, pbc, true);
        check_against_brute_force(&s, 5.5, &what);
    }
}

#[test]
fn lists_match_brute_force_on_rattled_bcc_at_several_cutoffs() {
    let s = bcc(3, 2.855, 0.1, 0.0, 7);
    for cutoff in [2.6, 3.5, 5.3, 6.5, 9.0] {
        check_against_brute_force(&s, cutoff, "bcc 3x3x3");
    }
    let s = bcc(3, 2.855, 0.1, 0.35, 8);
    for cutoff in [2.6, 5.3, 8.0] {
        check_against_brute_force(&s, cutoff, "sheared bcc 3x3x3");
    }
}

#[test]
fn lists_match_brute_force_for_many_atoms_and_bins() {
    let (s, what) = random(500, 400, 14.0, 18.0, 0.3, [true; 3], false);
    check_against_brute_force(&s, 3.0, &what);
    check_against_brute_force(&s, 5.3, &what);
}

#[test]
fn lists_match_brute_force_in_orthogonal_cells_where_far_bins_are_skipped() {
    for seed in 800..830_u64 {
        let pbc = [seed % 2 == 0, seed % 3 != 0, seed % 5 != 0];
        let (lmin, lmax, n) = if seed % 4 == 0 {
            (1.5, 3.5, 3)
        } else {
            (5.0, 12.0, 40)
        };
        let (s, what) = random(seed, n, lmin, lmax, 0.0, pbc, seed % 3 == 0);
        check_against_brute_force(&s, 5.3, &what);
        check_against_brute_force(&s, 2.7, &what);
    }
}
