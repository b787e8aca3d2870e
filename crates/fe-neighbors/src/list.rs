//! [`NeighborList`]: compressed rows of (neighbour, image shift).

use std::ops::Range;

use fe_structure::{Cell, Structure};
use nalgebra::Vector3;

use crate::build::build_rows;
use crate::error::{check_radius, Result};

/// Which pairs a list holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ListKind {
    /// Every pair twice: (i, j, S) and (j, i, -S).
    Full,
    /// Every pair once: (i, j, S) with i < j, or i == j and S lexicographically positive.
    Half,
}

/// Bytes held by a list, to compare what is allocated with what the entries need.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MemoryUsage {
    /// Number of (neighbour, shift) entries.
    pub entries: usize,
    /// What the entries themselves need: 7 bytes each (a `u32` index and three `i8`).
    pub entry_bytes: usize,
    /// Bytes allocated for the entries (capacities of the index and shift arrays).
    pub allocated_entry_bytes: usize,
    /// Bytes allocated for the row offsets.
    pub offset_bytes: usize,
}

/// A neighbour list in compressed rows.
///
/// Row `i` holds the entries `offsets[i]..offsets[i + 1]` of [`NeighborList::neighbors`] and
/// [`NeighborList::shifts`]. Entry `k` of row `i` stands for the vector (Angstrom)
/// $$ \mathbf d = \mathbf r_j + \mathbf S\,H - \mathbf r_i $$
/// with the positions exactly as they were given (never wrapped), `j = neighbors[k]` and
/// `S = shifts[k]` in lattice vectors; its length is strictly below [`NeighborList::cutoff`].
/// Rows are sorted by (j, S), so content and order never depend on the number of threads.
#[derive(Debug, Clone, PartialEq)]
pub struct NeighborList {
    pub(crate) kind: ListKind,
    pub(crate) cutoff: f64,
    pub(crate) offsets: Vec<usize>,
    pub(crate) neighbors: Vec<u32>,
    pub(crate) shifts: Vec<[i8; 3]>,
}

impl NeighborList {
    /// The list of `structure` at `cutoff` (Angstrom, strict `<`).
    ///
    /// ```
    /// use fe_neighbors::{ListKind, NeighborList};
    /// use fe_structure::{Cell, Element, Structure};
    /// use nalgebra::Vector3;
    /// // Two-atom bcc Fe cell: 8 first neighbours at sqrt(3)/2 a, 6 second at a.
    /// let a = 2.855;
    /// let cell = Cell::cubic(a).unwrap();
    /// let s = Structure::new(cell, vec![Element::FE; 2],
    ///     vec![Vector3::zeros(), Vector3::repeat(a / 2.0)]).unwrap();
    /// let list = NeighborList::new(&s, 2.6, ListKind::Full).unwrap();
    /// assert_eq!(list.row(0).len(), 8);
    /// let list = NeighborList::new(&s, 3.0, ListKind::Full).unwrap();
    /// assert_eq!(list.row(0).len(), 14);
    /// for k in list.row(0) {
    ///     let d = list.displacement(s.cell(), s.positions(), 0, k);
    ///     assert!(d.norm() < 3.0);
    /// }
    /// ```
    ///
    /// # Errors
    /// As [`NeighborList::from_positions`].
    pub fn new(structure: &Structure, cutoff: f64, kind: ListKind) -> Result<NeighborList> {
        NeighborList::from_positions(structure.cell(), structure.positions(), cutoff, kind)
    }

    /// The list of atoms at `positions` (Angstrom) in `cell` at `cutoff` (Angstrom, strict
    /// `<`). Periodic axes give every image within the cutoff, however many (a cutoff larger
    /// than the cell gives several images per pair and atoms seeing their own images); open
    /// axes give none. Atoms may lie anywhere, also several cells outside the cell.
    ///
    /// # Errors
    /// [`NeighborError::InvalidRadius`](crate::NeighborError::InvalidRadius) for a cutoff that
    /// is not finite and positive, [`NeighborError::ShiftOverflow`](crate::NeighborError::ShiftOverflow)
    /// when a neighbour needs an image shift outside `i8`,
    /// [`NeighborError::NonFinite`](crate::NeighborError::NonFinite),
    /// [`NeighborError::FarOutside`](crate::NeighborError::FarOutside) and
    /// [`NeighborError::TooManyAtoms`](crate::NeighborError::TooManyAtoms) for unusable input.
    pub fn from_positions(
        cell: &Cell,
        positions: &[Vector3<f64>],
        cutoff: f64,
        kind: ListKind,
    ) -> Result<NeighborList> {
        check_radius("cutoff", cutoff)?;
        let (offsets, neighbors, shifts) = build_rows(cell, positions, cutoff, kind)?;
        Ok(NeighborList {
            kind,
            cutoff,
            offsets,
            neighbors,
            shifts,
        })
    }

    /// Full or half.
    pub fn kind(&self) -> ListKind {
        self.kind
    }

    /// The build cutoff (Angstrom); every entry is strictly closer.
    pub fn cutoff(&self) -> f64 {
        self.cutoff
    }

    /// Number of atoms (rows).
    pub fn n_atoms(&self) -> usize {
        self.offsets.len() - 1
    }

    /// Number of entries over all rows.
    pub fn n_entries(&self) -> usize {
        self.neighbors.len()
    }

    /// True when there are no entries.
    pub fn is_empty(&self) -> bool {
        self.neighbors.is_empty()
    }

    /// Row offsets (`n_atoms() + 1` entries, starting at 0).
    pub fn offsets(&self) -> &[usize] {
        &self.offsets
    }

    /// Neighbour indices of all rows.
    pub fn neighbors(&self) -> &[u32] {
        &self.neighbors
    }

    /// Image shifts of all rows, in lattice vectors.
    pub fn shifts(&self) -> &[[i8; 3]] {
        &self.shifts
    }

    /// Entry indices of row `i`.
    ///
    /// # Panics
    /// If `i >= n_atoms()`.
    pub fn row(&self, i: usize) -> Range<usize> {
        self.offsets[i]..self.offsets[i + 1]
    }

    /// Neighbour indices of row `i`.
    ///
    /// # Panics
    /// If `i >= n_atoms()`.
    pub fn neighbors_of(&self, i: usize) -> &[u32] {
        &self.neighbors[self.row(i)]
    }

    /// Image shifts of row `i`.
    ///
    /// # Panics
    /// If `i >= n_atoms()`.
    pub fn shifts_of(&self, i: usize) -> &[[i8; 3]] {
        &self.shifts[self.row(i)]
    }

    /// The vector r_j + S H - r_i (Angstrom) of entry `k` of row `i`, from the positions and
    /// cell given (normally those the list was built from, or moved positions within a skin).
    ///
    /// # Panics
    /// If `i` or `k` or the neighbour index is out of range of `positions` or the list.
    pub fn displacement(
        &self,
        cell: &Cell,
        positions: &[Vector3<f64>],
        i: usize,
        k: usize,
    ) -> Vector3<f64> {
        let j = self.neighbors[k] as usize;
        positions[j] + shift_vector(cell, self.shifts[k]) - positions[i]
    }

    /// Number of entries of every row.
    pub fn counts(&self) -> Vec<usize> {
        self.offsets.windows(2).map(|w| w[1] - w[0]).collect()
    }

    /// Allocated versus needed bytes.
    pub fn memory(&self) -> MemoryUsage {
        let entries = self.neighbors.len();
        MemoryUsage {
            entries,
            entry_bytes: 7 * entries,
            allocated_entry_bytes: 4 * self.neighbors.capacity() + 3 * self.shifts.capacity(),
            offset_bytes: std::mem::size_of::<usize>() * self.offsets.capacity(),
        }
    }
}

/// The lattice translation S H (Angstrom) of an image shift.
pub fn shift_vector(cell: &Cell, shift: [i8; 3]) -> Vector3<f64> {
    let n = Vector3::new(
        f64::from(shift[0]),
        f64::from(shift[1]),
        f64::from(shift[2]),
    );
    cell.matrix().tr_mul(&n)
}
