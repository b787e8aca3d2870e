//! Lattice reduction of the periodic rows, so that minimum images can be found by rounding
//! plus a search over the 27 (or fewer) neighbouring images.
//!
//! Two periodic vectors are Lagrange-Gauss reduced; three follow the greedy algorithm of
//! Nguyen and Stehlé (ACM Trans. Algorithms 5, 46 (2009), doi:10.1145/1597036.1597050), which
//! gives a Minkowski-reduced basis in three dimensions. In a Minkowski-reduced basis the
//! shortest vector of any coset d + L is d - round(s) plus one of the 27 neighbouring
//! combinations, which is what [`Cell::minimum_image`](super::Cell::minimum_image) searches.

use nalgebra::{Matrix3, Vector3};

/// Largest number of reduction rounds; Minkowski reduction of a 3-D basis converges in a
/// number of rounds logarithmic in the skewness, far below this.
const MAX_ROUNDS: usize = 10_000;

/// H with its periodic rows replaced by a reduced basis of the lattice they span.
pub(super) fn reduce_periodic_rows(h: &Matrix3<f64>, pbc: [bool; 3]) -> Matrix3<f64> {
    let idx: Vec<usize> = (0..3).filter(|&i| pbc[i]).collect();
    let mut basis: Vec<Vector3<f64>> = idx.iter().map(|&i| h.row(i).transpose()).collect();
    match basis.len() {
        2 => gauss(&mut basis[..]),
        3 => greedy3(&mut basis),
        _ => {}
    }
    let mut out = *h;
    for (k, &i) in idx.iter().enumerate() {
        out.set_row(i, &basis[k].transpose());
    }
    out
}

/// Lagrange-Gauss reduction of two vectors: afterwards |u| <= |v| and |u.v| <= |u|^2 / 2.
fn gauss(b: &mut [Vector3<f64>]) {
    for _ in 0..MAX_ROUNDS {
        if b[0].norm_squared() > b[1].norm_squared() {
            b.swap(0, 1);
        }
        let m = (b[0].dot(&b[1]) / b[0].norm_squared()).round();
        if m == 0.0 {
            return;
        }
        let u = b[0];
        b[1] -= m * u;
    }
}

/// Greedy reduction of three vectors (Nguyen-Stehlé): sort, reduce the first two, move the
/// third by the closest vector of the plane lattice, repeat while the third shrinks.
fn greedy3(b: &mut [Vector3<f64>]) {
    for _ in 0..MAX_ROUNDS {
        b.sort_by(|x, y| x.norm_squared().total_cmp(&y.norm_squared()));
        gauss(&mut b[..2]);
        let (u, v, w) = (b[0], b[1], b[2]);
        // Real coefficients of the projection of w onto span(u, v).
        let (uu, uv, vv) = (u.dot(&u), u.dot(&v), v.dot(&v));
        let (uw, vw) = (u.dot(&w), v.dot(&w));
        let det = uu * vv - uv * uv;
        let x0 = (uw * vv - vw * uv) / det;
        let x1 = (vw * uu - uw * uv) / det;
        let mut best = w;
        for i in -1..=1 {
            for j in -1..=1 {
                let c = (x0.round() + f64::from(i)) * u + (x1.round() + f64::from(j)) * v;
                let cand = w - c;
                if cand.norm_squared() < best.norm_squared() {
                    best = cand;
                }
            }
        }
        if best.norm_squared() >= w.norm_squared() * (1.0 - 1e-12) {
            return;
        }
        b[2] = best;
    }
}
