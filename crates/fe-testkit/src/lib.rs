//! Test oracles and fixtures shared by the fe crates (not published).
//!
//! - [`shared_dir`]: where the conformance data live (`FE_SHARED_DIR`, default `../shared`
//!   beside the workspace root); tests that need it are `#[ignore]`d and fail loudly without it.
//! - [`brute_force_neighbors`]: every (j, image) within a cutoff by enumerating all images.
//! - [`random_structure`]: seeded random triclinic cells with atoms kept apart.
//! - [`timing`]: per-atom wall and CPU times for the side-by-side drivers.

pub mod timing;

use std::path::PathBuf;

use fe_structure::{Cell, Element, Structure};
use nalgebra::{Matrix3, Vector3};
use rand::{Rng, SeedableRng};
use rand_pcg::Pcg64;

/// The folder of shared reference data: `$FE_SHARED_DIR`, or `../shared` next to the workspace
/// root.
///
/// # Panics
/// When the folder does not exist, with a message naming `FE_SHARED_DIR`: a conformance test
/// must never pass silently without its data.
pub fn shared_dir() -> PathBuf {
    let dir = std::env::var_os("FE_SHARED_DIR").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared"),
        PathBuf::from,
    );
    assert!(
        dir.join("reference").is_dir(),
        "shared reference data not found at {}: set FE_SHARED_DIR to the shared/ folder",
        dir.display()
    );
    dir
}

/// Read a JSON file of the shared folder (path relative to it).
///
/// # Panics
/// When the file is missing or not JSON.
pub fn shared_json(relative: &str) -> serde_json::Value {
    let path = shared_dir().join(relative);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// One neighbour entry of the oracle: atom j, the image shift n (r_j + n H - r_i) and the
/// distance.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BruteNeighbor {
    /// Neighbour atom index.
    pub j: usize,
    /// Image shift in lattice vectors.
    pub shift: [i32; 3],
    /// Distance in Angstrom.
    pub distance: f64,
}

/// Every (j, n) with |r_j + n H - r_i| < cutoff and (j, n) != (i, 0), for every atom i, by
/// enumerating all images within ceil(cutoff / w) + 1 cells along the periodic axes (plus the
/// span of the positions, so atoms far outside the cell are handled). Rows are sorted by
/// (j, shift). O(N^2 images): for small test systems only.
pub fn brute_force_neighbors(s: &Structure, cutoff: f64) -> Vec<Vec<BruteNeighbor>> {
    let cell = s.cell();
    let h = cell.matrix();
    let widths = cell.perpendicular_widths();
    let pos = s.positions();
    let mut span = [0_i32; 3];
    for a in 0..3 {
        let fr: Vec<f64> = pos.iter().map(|r| cell.to_fractional(r)[a]).collect();
        let lo = fr.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = fr.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let extent = if fr.is_empty() { 0.0 } else { hi - lo };
        span[a] = if cell.pbc()[a] {
            (cutoff / widths[a]).ceil() as i32 + extent.ceil() as i32 + 1
        } else {
            0
        };
    }
    (0..s.len())
        .map(|i| {
            let mut row = Vec::new();
            for j in 0..s.len() {
                for n0 in -span[0]..=span[0] {
                    for n1 in -span[1]..=span[1] {
                        for n2 in -span[2]..=span[2] {
                            if i == j && n0 == 0 && n1 == 0 && n2 == 0 {
                                continue;
                            }
                            let n = Vector3::new(f64::from(n0), f64::from(n1), f64::from(n2));
                            let d = (pos[j] + h.tr_mul(&n) - pos[i]).norm();
                            if d < cutoff {
                                row.push(BruteNeighbor {
                                    j,
                                    shift: [n0, n1, n2],
                                    distance: d,
                                });
                            }
                        }
                    }
                }
            }
            row.sort_by_key(|a| (a.j, a.shift));
            row
        })
        .collect()
}

/// A seeded random structure: a triclinic cell with edges in [lmin, lmax] Angstrom and tilts
/// up to `tilt` times the edge, `n` atoms of `element` placed uniformly (then moved up to 2
/// cells outside the cell at random when `outside` is true) with no two closer than 0.5 A.
///
/// # Panics
/// When the random cell is singular (it cannot be with these ranges).
pub fn random_structure(
    seed: u64,
    n: usize,
    lmin: f64,
    lmax: f64,
    tilt: f64,
    pbc: [bool; 3],
    outside: bool,
) -> Structure {
    let mut rng = Pcg64::seed_from_u64(seed);
    let l = [0, 1, 2].map(|_| rng.gen_range(lmin..=lmax));
    let mut h = Matrix3::from_diagonal(&Vector3::new(l[0], l[1], l[2]));
    if tilt > 0.0 {
        h[(1, 0)] = rng.gen_range(-tilt..tilt) * l[0];
        h[(2, 0)] = rng.gen_range(-tilt..tilt) * l[0];
        h[(2, 1)] = rng.gen_range(-tilt..tilt) * l[1];
    }
    let cell = Cell::new(h, pbc).expect("random cell is not singular");
    let mut pos: Vec<Vector3<f64>> = Vec::new();
    let mut tries = 0;
    while pos.len() < n && tries < 100 * n + 100 {
        tries += 1;
        let s = Vector3::new(rng.gen(), rng.gen(), rng.gen());
        let r = cell.to_cartesian(&s);
        if pos.iter().all(|p| cell.distance(p, &r) > 0.5) {
            pos.push(r);
        }
    }
    if outside {
        for r in &mut pos {
            let shift = Vector3::new(
                f64::from(rng.gen_range(-2..=2)),
                f64::from(rng.gen_range(-2..=2)),
                f64::from(rng.gen_range(-2..=2)),
            );
            *r += cell.to_cartesian(&shift);
        }
    }
    let species = vec![Element::FE; pos.len()];
    Structure::new(cell, species, pos).expect("finite random positions")
}

/// Central finite-difference forces -dE/dr_i (eV/A) of `energy` for the atoms `atoms`, with
/// the 4-point stencil
/// $$ f \approx -\frac{-E(x+2h) + 8E(x+h) - 8E(x-h) + E(x-2h)}{12h}. $$
/// Positions are displaced one component at a time; the cell is left alone.
pub fn fd_forces(
    s: &Structure,
    atoms: &[usize],
    h: f64,
    mut energy: impl FnMut(&Structure) -> f64,
) -> Vec<Vector3<f64>> {
    let mut work = s.clone();
    atoms
        .iter()
        .map(|&i| {
            let mut f = Vector3::zeros();
            for a in 0..3 {
                let mut e_at = |dx: f64| {
                    let r0 = s.positions()[i][a];
                    work.positions_mut()[i][a] = r0 + dx;
                    let e = energy(&work);
                    work.positions_mut()[i][a] = r0;
                    e
                };
                let (e2p, e1p, e1m, e2m) = (e_at(2.0 * h), e_at(h), e_at(-h), e_at(-2.0 * h));
                f[a] = -(-e2p + 8.0 * e1p - 8.0 * e1m + e2m) / (12.0 * h);
            }
            f
        })
        .collect()
}

/// Central finite-difference virial W_ab = -dE/d(eps_ab) (eV) of `energy`: the strain
/// x_a -> x_a + eps x_b is applied to cell and atoms (F = I + eps e_a e_bᵀ, so off-diagonal
/// components use the unsymmetrised strain, and W is symmetric only if the energy is
/// rotation-invariant), with the 4-point stencil of [`fd_forces`].
pub fn fd_virial(s: &Structure, h: f64, mut energy: impl FnMut(&Structure) -> f64) -> Matrix3<f64> {
    let mut w = Matrix3::zeros();
    for a in 0..3 {
        for b in 0..3 {
            let mut e_at = |eps: f64| {
                let mut f = Matrix3::identity();
                f[(a, b)] += eps;
                let mut t = s.clone();
                t.deform(&f).expect("a small strain keeps the cell valid");
                energy(&t)
            };
            let (e2p, e1p, e1m, e2m) = (e_at(2.0 * h), e_at(h), e_at(-h), e_at(-2.0 * h));
            w[(a, b)] = -(-e2p + 8.0 * e1p - 8.0 * e1m + e2m) / (12.0 * h);
        }
    }
    w
}

/// Largest absolute component difference between two lists of vectors.
pub fn max_abs_diff(a: &[Vector3<f64>], b: &[Vector3<f64>]) -> f64 {
    a.iter()
        .zip(b)
        .map(|(x, y)| (x - y).abs().max())
        .fold(0.0, f64::max)
}
