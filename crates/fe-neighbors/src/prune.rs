//! Removing one atom of every pair closer than a distance.

use fe_structure::Structure;
use rayon::prelude::*;

use crate::build::exact_distance;
use crate::error::{check_radius, NeighborError, Result};
use crate::grid::{Grid, Scratch, CHUNK};

/// Delete one atom of every pair closer than `d` (Angstrom, strict `<`, every periodic image
/// counted) and return the original indices of the removed atoms, ascending.
///
/// Rule: atoms are visited in index order; atom i is removed when it lies closer than `d` to
/// an earlier atom that is kept. The first atom is therefore always kept, and of a close pair
/// the later atom goes unless its partner was itself removed. The remaining atoms keep their
/// order and all their per-atom data. Runs in O(N) through a cell list (the search for earlier
/// close atoms is parallel, the decision sequential).
///
/// ```
/// use fe_neighbors::remove_close_pairs;
/// use fe_structure::{Cell, Element, Structure};
/// use nalgebra::Vector3;
/// let mut s = Structure::new(Cell::cubic(10.0).unwrap(), vec![Element::FE; 3], vec![
///     Vector3::new(0.0, 0.0, 0.0),
///     Vector3::new(1.0, 0.0, 0.0),  // 1 A from atom 0: removed
///     Vector3::new(9.5, 0.0, 0.0),  // 0.5 A from atom 0 through the boundary: removed
/// ]).unwrap();
/// assert_eq!(remove_close_pairs(&mut s, 1.5).unwrap(), vec![1, 2]);
/// assert_eq!(s.len(), 1);
/// ```
///
/// # Errors
/// [`NeighborError::InvalidRadius`] for a distance that is not finite and positive,
/// [`NeighborError::SelfImageTooClose`] when an atom is closer than `d` to its own periodic
/// image (the cell is too small: no removal can help), and the input errors of
/// [`NeighborList::from_positions`](crate::NeighborList::from_positions). The structure is left
/// unchanged on error.
pub fn remove_close_pairs(structure: &mut Structure, d: f64) -> Result<Vec<usize>> {
    check_radius("distance", d)?;
    let n = structure.len();
    if n == 0 {
        return Ok(Vec::new());
    }
    let cell = structure.cell();
    let positions = structure.positions();
    let grid = Grid::new(cell, positions, d)?;
    let lo2 = (d - grid.tol).max(0.0).powi(2);
    let hi2 = (d + grid.tol).powi(2);
    // For every atom, the earlier atoms closer than d (any image), chunk by chunk.
    let chunks = (0..n.div_ceil(CHUNK))
        .into_par_iter()
        .map(|c| -> Result<Vec<(u32, u32)>> {
            let mut pairs = Vec::new();
            let mut scratch = Scratch::default();
            for i in c * CHUNK..((c + 1) * CHUNK).min(n) {
                let slot = grid.atom_slot[i] as usize;
                let ni = grid.slot_image[slot];
                let mut self_image: Option<f64> = None;
                let centre = grid.slot_position(slot);
                let bin = grid.atom_bin[i];
                let offset = grid.offset_in_bin(&centre, bin.map(i64::from));
                grid.visit(
                    grid.runs_of(bin),
                    &centre,
                    &offset,
                    hi2,
                    &mut scratch,
                    |k, d2, q| {
                        let j = grid.slot_atom[k] as usize;
                        if j > i || (j == i && q == [0, 0, 0]) {
                            return;
                        }
                        let nj = grid.slot_image[k];
                        let s = [0, 1, 2]
                            .map(|a| i64::from(q[a]) + i64::from(ni[a]) - i64::from(nj[a]));
                        let r = if d2 < lo2 {
                            d2.sqrt()
                        } else {
                            exact_distance(cell, positions, i, j, s)
                        };
                        if r >= d {
                            return;
                        }
                        if j == i {
                            self_image = Some(self_image.map_or(r, |x| x.min(r)));
                        } else if pairs.last() != Some(&(i as u32, j as u32)) {
                            // Indices are below 2^32 (checked by the grid).
                            pairs.push((i as u32, j as u32));
                        }
                    },
                );
                if let Some(distance) = self_image {
                    return Err(NeighborError::SelfImageTooClose {
                        i,
                        distance,
                        min_distance: d,
                    });
                }
            }
            Ok(pairs)
        })
        .collect::<Vec<_>>();
    let mut removed = vec![false; n];
    let mut out = Vec::new();
    let mut chunks = chunks
        .into_iter()
        .collect::<Result<Vec<_>>>()?
        .into_iter()
        .flatten()
        .peekable();
    for i in 0..n {
        let mut close_to_kept = false;
        while let Some(&(a, j)) = chunks.peek() {
            if a as usize != i {
                break;
            }
            close_to_kept |= !removed[j as usize];
            chunks.next();
        }
        if close_to_kept {
            removed[i] = true;
            out.push(i);
        }
    }
    structure.remove(&out)?;
    Ok(out)
}
