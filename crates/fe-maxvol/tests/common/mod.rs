//! Shared fixtures: a small MTP with seeded random coefficients and rattled, strained bcc
//! cells.
#![allow(dead_code, clippy::unwrap_used)]

use fe_maxvol::AlState;
use fe_potentials::mtp::{template, Mtp, RadialCoeffs};
use fe_structure::build::{bcc, rattle};
use fe_structure::{Element, Structure};
use nalgebra::Matrix3;
use rand::{Rng, SeedableRng};
use rand_pcg::Pcg64;

/// A level-`level` MTP for `elements` (cutoff 4.5 A, 6 Chebyshev polynomials) with seeded
/// random coefficients: smooth enough to give distinct, finite rows.
pub fn toy_mtp(level: usize, elements: &[Element], seed: u64) -> Mtp {
    let c = elements.len();
    let mut m = template(level, c, 1.9, 4.5, 6).unwrap();
    let mut rng = Pcg64::seed_from_u64(seed);
    let nval = c * c * m.radial_funcs_count * m.radial_basis_size;
    m.radial_coeffs = Some(RadialCoeffs {
        labels: (0..c)
            .flat_map(|a| (0..c).map(move |b| format!("{a}-{b}")))
            .collect(),
        values: (0..nval).map(|_| rng.gen_range(-0.5..0.5)).collect(),
    });
    m.species_coeffs = Some((0..c).map(|_| rng.gen_range(-4.0..-3.0)).collect());
    m.moment_coeffs = Some(
        (0..m.alpha_moment_mapping.len())
            .map(|_| rng.gen_range(-0.1..0.1))
            .collect(),
    );
    Mtp::new(m, elements).unwrap()
}

/// A 2x2x2 bcc cell of `element` (16 atoms), isotropically scaled by `scale`, sheared by
/// `shear` (xy) and rattled with `sigma` (seed `seed`).
pub fn cell(element: Element, a: f64, scale: f64, shear: f64, sigma: f64, seed: u64) -> Structure {
    let mut s = bcc(element, a).unwrap().replicate(2, 2, 2).unwrap();
    let mut f = Matrix3::identity() * scale;
    f[(0, 1)] = shear;
    s.deform(&f).unwrap();
    rattle(&mut s, sigma, seed).unwrap();
    s
}

/// A small training set of bcc Fe: strained and rattled 16-atom cells.
pub fn training(element: Element, count: usize, seed: u64) -> Vec<Structure> {
    (0..count)
        .map(|k| {
            let x = k as f64 / count.max(1) as f64;
            cell(
                element,
                2.86,
                0.96 + 0.08 * x,
                0.05 * (x - 0.5),
                0.08,
                seed + k as u64,
            )
        })
        .collect()
}

/// Every row of the active set that is linked to an atom of a stored configuration (MTP.md
/// 6.2 numbering: equation `1 + 3 N + 9 + atom`), as (that atom's site row recomputed from
/// its configuration, the row stored in `A`).
pub fn linked_rows(state: &AlState) -> Vec<(Vec<f64>, Vec<f64>)> {
    let n = state.active().n();
    let mut out = Vec::new();
    for (r, l) in state.active().links().iter().enumerate() {
        if l.is_initial() {
            continue;
        }
        let s = &state.configurations()[l.cfg as usize];
        let atom = l.eqn as usize - 1 - 3 * s.len() - 9;
        let rows = state.rows(s).unwrap();
        out.push((
            rows[atom * n..(atom + 1) * n].to_vec(),
            state.active().matrix()[r * n..(r + 1) * n].to_vec(),
        ));
    }
    out
}
