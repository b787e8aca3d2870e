//! Neighbour lists for periodic triclinic cells, radius queries and close-pair removal.
//!
//! # Definitions
//!
//! Positions are Cartesian row vectors (Angstrom) and the cell's rows are its lattice vectors,
//! so an image of atom j sits at r_j + S H for an integer shift S (in lattice vectors, zero
//! along open axes). Atom j is a neighbour of atom i through image S when
//! $$ |\mathbf r_j + \mathbf S\,H - \mathbf r_i| < r_c, \qquad (j, \mathbf S) \ne (i, \mathbf 0), $$
//! strictly below the cutoff r_c, with the positions exactly as given: they are never wrapped,
//! and atoms may lie anywhere, several cells outside the cell included. Each image counts
//! separately, so any cutoff works: beyond half the cell a pair appears with several shifts,
//! and beyond the shortest lattice vector an atom is its own neighbour (i, i, S != 0).
//!
//! - A **full** list holds (i, j, S) and (j, i, -S).
//! - A **half** list keeps (i, j, S) when i < j, or when i == j and S is lexicographically
//!   positive (the first non-zero component is positive); it holds exactly half the entries of
//!   the full list.
//!
//! A [`NeighborList`] stores compressed rows (`offsets`, `neighbors: Vec<u32>`,
//! `shifts: Vec<[i8; 3]>`, 7 bytes per entry), each row sorted by (j, S). Displacements are
//! recomputed with [`NeighborList::displacement`]. A shift outside `i8` is an error.
//!
//! # Algorithm
//!
//! A cell list in fractional coordinates: bins at least half the cutoff wide along every
//! perpendicular width (a 5 x 5 x 5 stencil of bins), covering the unit cell along periodic
//! axes and the extent of the positions along open ones. The build runs on rayon in fixed chunks of atoms; rows are sorted,
//! so the result is bit-identical for any number of threads. Distances close to the cutoff
//! (within a rounding tolerance) are re-checked from the unwrapped positions, so every entry
//! satisfies the definition above exactly as [`NeighborList::displacement`] computes it.
//!
//! # Also here
//!
//! - [`SkinTracker`]: Verlet skin, build at cutoff + skin and rebuild when an atom moved more
//!   than skin / 2.
//! - [`PointLocator`]: every atom image within a radius of any point.
//! - [`remove_close_pairs`]: delete one atom of every pair closer than a distance.
//!
//! ```
//! use fe_neighbors::{ListKind, NeighborList};
//! use fe_structure::{Cell, Element, Structure};
//! use nalgebra::Vector3;
//! // One atom in a 2 A cube with a 3 A cutoff: its own images at (+-1, 0, 0), ... (6),
//! // (+-1, +-1, 0), ... (12) at 2.83 A; a half list keeps one of each +-S pair.
//! let s = Structure::new(Cell::cubic(2.0).unwrap(), vec![Element::FE],
//!     vec![Vector3::new(5.0, -3.0, 0.5)]).unwrap();
//! let full = NeighborList::new(&s, 3.0, ListKind::Full).unwrap();
//! let half = NeighborList::new(&s, 3.0, ListKind::Half).unwrap();
//! assert_eq!((full.n_entries(), half.n_entries()), (18, 9));
//! assert_eq!(half.shifts_of(0)[0], [0, 0, 1]);
//! ```
//!
//! Feature flags: none.

mod build;
mod error;
mod grid;
mod list;
mod locate;
mod prune;
mod skin;

pub use error::{NeighborError, Result};
pub use list::{shift_vector, ListKind, MemoryUsage, NeighborList};
pub use locate::{Hit, PointLocator};
pub use prune::remove_close_pairs;
pub use skin::SkinTracker;
