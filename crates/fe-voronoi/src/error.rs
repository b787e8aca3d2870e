//! The error type of `fe-voronoi`.

use fe_neighbors::NeighborError;
use fe_structure::StructureError;

/// Everything that can go wrong while building convex cells and Voronoi tessellations.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum VoronoiError {
    /// A clipping plane whose normal is zero, NaN or infinite, or whose offset is not finite.
    #[error("invalid clipping plane (normal {normal:?}, offset {offset}): {reason}")]
    InvalidPlane {
        /// The normal given.
        normal: [f64; 3],
        /// The offset given.
        offset: f64,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// A starting box (parallelepiped) whose edge vectors are not finite or span no volume.
    #[error("degenerate starting box: {reason}")]
    DegenerateBox {
        /// What is wrong with it.
        reason: String,
    },
    /// An input that the tessellation cannot handle (empty structure, non-finite position,
    /// coincident atoms, invalid threshold, ...).
    #[error("{0}")]
    InvalidInput(String),
    /// A structure-level error (cell, I/O) passed through.
    #[error(transparent)]
    Structure(#[from] StructureError),
    /// A neighbour-search error passed through.
    #[error(transparent)]
    Neighbors(#[from] NeighborError),
}

/// Result alias of this crate.
pub type Result<T> = std::result::Result<T, VoronoiError>;
