//! Verlet skin: build once at cutoff + skin, reuse until an atom has moved more than skin / 2.

use fe_structure::{Cell, Structure};
use nalgebra::{Matrix3, Vector3};
use rayon::prelude::*;

use crate::error::{NeighborError, Result};
use crate::list::{ListKind, NeighborList};

/// Remembers the positions and cell of the last build of a list made at `cutoff + skin`, and
/// tells when that list may have lost a pair closer than `cutoff`.
///
/// While no atom has moved more than skin / 2 from where it was at the build (and the cell and
/// the number of atoms are unchanged), every pair now closer than `cutoff` is in the list: two
/// atoms approach each other by at most `skin`. When the cell changes too (cell relaxation,
/// NPT), the list stays valid under a bound that splits each motion into the cell's affine map
/// and the rest; see [`SkinTracker::needs_rebuild`]. The list then also holds pairs between `cutoff`
/// and `cutoff + skin`; users skip them by recomputing each distance from the current
/// positions with [`NeighborList::displacement`] and ignoring entries with `r >= cutoff`:
///
/// ```
/// use fe_neighbors::{ListKind, SkinTracker};
/// use fe_structure::{Cell, Element, Structure};
/// use nalgebra::Vector3;
/// let a = 2.855;
/// let mut s = Structure::new(Cell::cubic(a).unwrap(), vec![Element::FE; 2],
///     vec![Vector3::zeros(), Vector3::repeat(a / 2.0)]).unwrap();
/// let (cutoff, skin) = (2.6, 0.5);
/// let mut tracker = SkinTracker::new(skin).unwrap();
/// let list = tracker.build(&s, cutoff, ListKind::Full).unwrap();
/// s.positions_mut()[1].x += 0.1;
/// assert!(!tracker.needs_rebuild(s.positions(), s.cell()));
/// let close = list.row(0).filter(|&k| {
///     list.displacement(s.cell(), s.positions(), 0, k).norm() < cutoff
/// });
/// assert_eq!(close.count(), 8);
/// s.positions_mut()[1].x += 0.2; // 0.3 A in total: more than skin / 2
/// assert!(tracker.needs_rebuild(s.positions(), s.cell()));
/// ```
#[derive(Debug, Clone)]
pub struct SkinTracker {
    skin: f64,
    reference: Option<Reference>,
}

/// The state of the last build.
#[derive(Debug, Clone)]
struct Reference {
    positions: Vec<Vector3<f64>>,
    cell: Cell,
    /// H^-1 of the cell at the build (rows are lattice vectors).
    inverse: Option<Matrix3<f64>>,
    /// The radius the list was built at (cutoff + skin), when known.
    radius: Option<f64>,
}

impl SkinTracker {
    /// A tracker for lists built `skin` Angstrom beyond the cutoff (0 allowed: rebuild on any
    /// motion).
    ///
    /// # Errors
    /// [`NeighborError::InvalidRadius`] for a negative or non-finite skin.
    pub fn new(skin: f64) -> Result<SkinTracker> {
        if !(skin.is_finite() && skin >= 0.0) {
            return Err(NeighborError::InvalidRadius {
                what: "skin",
                value: skin,
            });
        }
        Ok(SkinTracker {
            skin,
            reference: None,
        })
    }

    /// The skin (Angstrom).
    pub fn skin(&self) -> f64 {
        self.skin
    }

    /// Build the list of `structure` at `cutoff + skin` and remember its positions and cell.
    ///
    /// # Errors
    /// As [`NeighborList::new`] (`cutoff` must be finite and positive).
    pub fn build(
        &mut self,
        structure: &Structure,
        cutoff: f64,
        kind: ListKind,
    ) -> Result<NeighborList> {
        crate::error::check_radius("cutoff", cutoff)?;
        let list = NeighborList::new(structure, cutoff + self.skin, kind)?;
        self.remember(
            structure.positions(),
            structure.cell(),
            Some(cutoff + self.skin),
        );
        Ok(list)
    }

    /// Remember `positions` and `cell` as those of the last build (when the list was built
    /// elsewhere at cutoff + skin). The build radius is then unknown, so any later change of
    /// the cell asks for a rebuild.
    pub fn record(&mut self, positions: &[Vector3<f64>], cell: &Cell) {
        self.remember(positions, cell, None);
    }

    fn remember(&mut self, positions: &[Vector3<f64>], cell: &Cell, radius: Option<f64>) {
        self.reference = Some(Reference {
            positions: positions.to_vec(),
            cell: cell.clone(),
            inverse: cell.matrix().try_inverse(),
            radius,
        });
    }

    /// True when the list must be rebuilt: nothing was built yet, the number of atoms or the
    /// periodicity changed, or the motion since the build may have brought a pair that is not
    /// in the list closer than the cutoff.
    ///
    /// With the cell unchanged that is when some atom moved more than skin / 2 (plain Cartesian
    /// displacement: an atom wrapped back into the cell counts as moved, because the stored
    /// image shifts no longer fit it). When the cell changed from $H_0$ to $H$ (rows are
    /// lattice vectors), write each position as the affine image of its old one plus a rest,
    /// $\mathbf r_i = \mathbf r_i^0 M + \mathbf u_i$ with $M = H_0^{-1} H$; every pair vector
    /// becomes $\mathbf d = \mathbf d^0 M + \mathbf u_j - \mathbf u_i$, so a pair that was at
    /// least $R$ = cutoff + skin apart is still at least $(1 - \varepsilon) R - 2\delta$ apart,
    /// with $\varepsilon = \lVert M - I \rVert_F$ and $\delta = \max_i \lvert \mathbf u_i \rvert$.
    /// The list is kept while $\varepsilon R + 2\delta \le$ skin. A list given by
    /// [`SkinTracker::record`] (radius unknown) is rebuilt on any change of the cell.
    pub fn needs_rebuild(&self, positions: &[Vector3<f64>], cell: &Cell) -> bool {
        let Some(old) = &self.reference else {
            return true;
        };
        if old.positions.len() != positions.len() || old.cell.pbc() != cell.pbc() {
            return true;
        }
        let (map, eps) = if old.cell == *cell {
            (None, 0.0)
        } else {
            match (old.inverse, old.radius) {
                (Some(inverse), Some(radius)) => {
                    let m = inverse * cell.matrix();
                    (Some(m), (m - Matrix3::identity()).norm() * radius)
                }
                _ => return true,
            }
        };
        // What the skin leaves for the non-affine motion of two atoms, each moving delta.
        let half = 0.5 * (self.skin - eps);
        if half.is_nan() || half < 0.0 {
            return true;
        }
        let limit2 = half * half;
        // Written so that a NaN position also asks for a rebuild.
        old.positions.par_iter().zip(positions).any(|(a, b)| {
            let moved = match &map {
                Some(m) => b - (a.transpose() * m).transpose(),
                None => b - a,
            };
            let d2 = moved.norm_squared();
            d2.is_nan() || d2 > limit2
        })
    }
}
