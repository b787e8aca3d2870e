//! Per-atom Voronoi tessellation in periodic triclinic cells, grain tessellation and the Voronoi
//! nano-polycrystal builder.
//!
//! - [`polyhedron`]: the one convex-cell kernel (a parallelepiped clipped by half-spaces),
//!   shared by every tessellation of the crate.
//! - [`grains`]: the periodic Voronoi cells of grain seeds, their facets and triple junctions.
//! - [`polycrystal`]: the Voronoi nano-polycrystal builder (Atomsk's method).

pub mod error;
pub mod polyhedron;

pub use error::{Result, VoronoiError};
pub use polyhedron::{Clip, Face, Polyhedron};
pub mod atoms;
pub use atoms::{
    voronoi_atoms, voronoi_atoms_with_progress, AtomFace, AtomVoronoi, VoronoiOptions, WALL,
};
pub mod grains;
pub mod polycrystal;
pub use grains::{Facet, GrainCell, GrainFace, GrainTessellation, TripleJunction};
pub use polycrystal::{build_polycrystal, Polycrystal, PolycrystalSpec};
