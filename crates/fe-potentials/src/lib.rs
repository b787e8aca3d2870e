//! Interatomic potentials for the fe toolkit: the [`Potential`] trait, its [`Request`] and
//! [`Results`], the binding of a structure's elements to a potential's species, and the
//! [`Evaluator`] that keeps a neighbour list with a Verlet skin between calls.
//!
//! Potentials (EAM as LAMMPS evaluates it, the embedded Zhou 2004 EAM, MEAM, MTP) are being
//! added: see the project's issues.
//!
//! Units are LAMMPS `metal`: Angstrom, eV, eV/A; the virial is W = -dE/d(eps) in eV.

pub mod eam;
pub mod error;
pub mod evaluator;
pub mod meam;
pub mod mtp;
pub mod potential;
pub mod spec;
mod tokens;

pub use error::{PotentialError, Result};
pub use evaluator::Evaluator;
pub use potential::{check_list, Binding, BoundAtoms, Potential, Request, Results};
pub use spec::from_spec;
