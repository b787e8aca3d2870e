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
    /// Two grain seeds closer than the minimum seed distance (minimum image).
    #[error("seeds {i} and {j} are {distance:.4} A apart, closer than the minimum seed distance {min_distance} A")]
    SeedsTooClose {
        /// The first seed.
        i: usize,
        /// The second seed.
        j: usize,
        /// Their minimum-image distance (Angstrom).
        distance: f64,
        /// The minimum distance required (Angstrom).
        min_distance: f64,
    },
    /// A cell too narrow for the polycrystal's lattice or minimum distance.
    #[error("the cell is {width:.4} A wide, narrower than the {required:.4} A needed (one conventional lattice cell and the minimum distance)")]
    BoxTooSmall {
        /// The smallest perpendicular width of the cell (Angstrom).
        width: f64,
        /// The width needed (Angstrom).
        required: f64,
    },
    /// A grain left without atoms.
    #[error("grain {grain} (cell volume {volume:.3} A^3) holds no atom after {stage}; move its seed or use fewer grains")]
    EmptyGrain {
        /// The grain.
        grain: usize,
        /// Its cell volume (Angstrom^3).
        volume: f64,
        /// The step that left it empty (`filling` or `close-pair deletion`).
        stage: &'static str,
    },
}

/// Result alias of this crate.
pub type Result<T> = std::result::Result<T, VoronoiError>;
