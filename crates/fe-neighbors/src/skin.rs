//! Verlet skin: build once at cutoff + skin, reuse until an atom has moved more than skin / 2.

use fe_structure::{Cell, Structure};
use nalgebra::Vector3;

use crate::error::{NeighborError, Result};
use crate::list::{ListKind, NeighborList};

/// Remembers the positions and cell of the last build of a list made at `cutoff + skin`, and
/// tells when that list may have lost a pair closer than `cutoff`.
///
/// While no atom has moved more than skin / 2 from where it was at the build (and the cell and
/// the number of atoms are unchanged), every pair now closer than `cutoff` is in the list: two
/// atoms approach each other by at most `skin`. The list then also holds pairs between `cutoff`
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
    reference: Option<(Vec<Vector3<f64>>, Cell)>,
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
        self.record(structure.positions(), structure.cell());
        Ok(list)
    }

    /// Remember `positions` and `cell` as those of the last build (when the list was built
    /// elsewhere at cutoff + skin).
    pub fn record(&mut self, positions: &[Vector3<f64>], cell: &Cell) {
        self.reference = Some((positions.to_vec(), cell.clone()));
    }

    /// True when the list must be rebuilt: nothing was built yet, the number of atoms or the
    /// cell (matrix or periodicity) changed, or some atom moved more than skin / 2 from its
    /// position at the build (plain Cartesian displacement: an atom wrapped back into the cell
    /// counts as moved, because the stored image shifts no longer fit it).
    pub fn needs_rebuild(&self, positions: &[Vector3<f64>], cell: &Cell) -> bool {
        let Some((old, old_cell)) = &self.reference else {
            return true;
        };
        if old.len() != positions.len() || old_cell != cell {
            return true;
        }
        let limit2 = (0.5 * self.skin).powi(2);
        // Written so that a NaN position also asks for a rebuild.
        old.iter().zip(positions).any(|(a, b)| {
            let d2 = (b - a).norm_squared();
            d2.is_nan() || d2 > limit2
        })
    }
}
