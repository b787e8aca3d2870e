//! Completing the lattice of a configuration with fewer than three periodic rows.

use nalgebra::{Matrix3, Vector3};

use crate::cell::Cell;

/// The cell of a configuration: the given non-zero rows are periodic; missing or zero rows
/// are completed by open axes (see the module docs). The error is a message for the
/// `Supercell` line.
pub(super) fn complete_cell(
    rows: &[Vector3<f64>],
    positions: &[Vector3<f64>],
) -> std::result::Result<Cell, String> {
    let mut h = [Vector3::zeros(); 3];
    let mut pbc = [false; 3];
    for (k, r) in rows.iter().enumerate() {
        if *r != Vector3::zeros() {
            h[k] = *r;
            pbc[k] = true;
        }
    }
    let periodic: Vec<usize> = (0..3).filter(|&k| pbc[k]).collect();
    let dirs: Vec<Vector3<f64>> = match periodic[..] {
        [] => return Cell::enclosing(positions, 0.0).map_err(|e| e.to_string()),
        [_, _, _] => Vec::new(),
        [i, j] => {
            let n = h[i].cross(&h[j]);
            if n.norm() <= 1e-12 * h[i].norm() * h[j].norm() {
                return Err("the two `Supercell` rows are parallel".into());
            }
            vec![n.normalize()]
        }
        [i] => {
            let a = h[i].normalize();
            let e = (0..3)
                .min_by(|&x, &y| a[x].abs().total_cmp(&a[y].abs()))
                .map(|k| Vector3::ith(k, 1.0))
                .expect("three axes");
            let u = (e - a * a.dot(&e)).normalize();
            vec![u, a.cross(&u)]
        }
        _ => unreachable!("at most three rows"),
    };
    let missing: Vec<usize> = (0..3).filter(|&k| !pbc[k]).collect();
    for (&k, d) in missing.iter().zip(&dirs) {
        let extent = positions.iter().map(|r| r.dot(d).abs()).fold(1.0, f64::max);
        h[k] = d * extent;
    }
    let mut m = Matrix3::from_rows(&[h[0].transpose(), h[1].transpose(), h[2].transpose()]);
    if let Some(&k) = missing.last() {
        if m.determinant() < 0.0 {
            m.row_mut(k).neg_mut();
        }
    }
    Cell::new(m, pbc).map_err(|e| format!("the `Supercell` rows give an unusable cell: {e}"))
}
