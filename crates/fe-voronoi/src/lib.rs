//! Per-atom Voronoi tessellation in periodic triclinic cells, grain tessellation and the Voronoi
//! nano-polycrystal builder.
//!
//! - [`polyhedron`]: the one convex-cell kernel (a parallelepiped clipped by half-spaces),
//!   shared by every tessellation of the crate.

pub mod error;
pub mod polyhedron;

pub use error::{Result, VoronoiError};
pub use polyhedron::{Clip, Face, Polyhedron};
pub mod atoms;
pub use atoms::{
    voronoi_atoms, voronoi_atoms_with_progress, AtomFace, AtomVoronoi, VoronoiOptions, WALL,
};
