//! Atomic structures for the fe toolkit: the simulation [`Cell`], the [`Structure`] (atoms in a
//! cell), the [`Element`] table, lattice builders and defects ([`build`]), and structure files
//! ([`io`]: extended XYZ, LAMMPS data and dump, VASP POSCAR, MLIP `.cfg`).
//!
//! Units are LAMMPS `metal` units ([`units`]): Angstrom, eV, ps, amu, K, bar. Positions are
//! Cartesian; a cell's rows are its lattice vectors.
//!
//! ```
//! use fe_structure::build::bcc;
//! let fe = bcc(fe_structure::Element::FE, 2.855).unwrap().replicate(4, 4, 4).unwrap();
//! assert_eq!(fe.len(), 128);
//! ```
//!
//! Feature flags: `serde` derives `Serialize`/`Deserialize` for the public data types.

pub mod build;
pub mod cell;
pub mod element;
pub mod error;
pub mod io;
pub mod structure;
pub mod units;

pub use cell::{Cell, LammpsBox};
pub use element::Element;
pub use error::{Result, StructureError};
pub use structure::{InfoValue, Property, Structure};
