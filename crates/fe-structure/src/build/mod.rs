//! Lattice builders, replication, oriented supercells, random rotations, rattles and point
//! defects.
//!
//! - [`conventional`] (and [`bcc`], [`fcc`], [`sc`], [`diamond`], [`hcp`]) build the
//!   conventional cell of a [`Lattice`]; [`Structure::replicate`](crate::Structure::replicate)
//!   repeats any structure along its lattice vectors, cell by cell with the last index fastest.
//! - [`oriented`] builds an orthorhombic supercell of a cubic crystal whose box axes are given
//!   Miller directions ([`orientation`] is the rotation it applies).
//! - [`random_rotation`] draws uniform rotations (Shoemake 1992) and
//!   [`Structure::rotate`](crate::Structure::rotate) applies one.
//! - [`rattle`] adds seeded Gaussian displacements from per-chunk [`stream_rng`] streams.
//! - [`vacancy_at`], [`add_interstitial`] and [`add_dumbbell`] make point defects;
//!   [`bcc_octahedral_sites`] and [`bcc_tetrahedral_sites`] locate bcc interstitial sites.
//!
//! Homogeneous strains are [`Structure::deform`](crate::Structure::deform) and
//! [`Cell::strained`](crate::Cell::strained). Lengths are in Angstrom.
//!
//! ```
//! use fe_structure::build::{oriented, rattle, Lattice};
//! use fe_structure::Element;
//! // A bcc Fe box with x = [1-10], y = [11-2], z = [111], 2 x 1 x 3 repeat units, rattled.
//! let mut s = oriented(Lattice::Bcc, Element::FE, 2.855,
//!                      [[1, -1, 0], [1, 1, -2], [1, 1, 1]], [2, 1, 3]).unwrap();
//! rattle(&mut s, 0.01, 1).unwrap();
//! assert_eq!(s.len(), 36);
//! ```

mod defects;
mod lattice;
mod oriented;
mod random;
mod replicate;
mod rotation;

pub use defects::{
    add_dumbbell, add_interstitial, bcc_octahedral_sites, bcc_tetrahedral_sites, nearest_atom,
    vacancy_at,
};
pub use lattice::{bcc, conventional, diamond, fcc, hcp, sc, Lattice};
pub use oriented::{orientation, oriented};
pub use random::{rattle, stream_rng, RATTLE_CHUNK};
pub use rotation::{random_rotation, random_rotation_seeded};
