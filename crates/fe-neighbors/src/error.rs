//! The error type of `fe-neighbors`.

use fe_structure::StructureError;

/// Everything that can go wrong while building neighbour lists, answering radius queries or
/// thinning close pairs.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum NeighborError {
    /// A cutoff or radius that is zero, negative, NaN or infinite.
    #[error("{what} must be finite and positive, got {value} A")]
    InvalidRadius {
        /// Which quantity (`cutoff`, `radius`, `skin`, ...).
        what: &'static str,
        /// The value given, in Angstrom.
        value: f64,
    },
    /// A radius query asked for more than the locator was built for.
    #[error("query radius {radius} A exceeds the locator's maximum radius {max_radius} A")]
    RadiusTooLarge {
        /// The radius asked for, in Angstrom.
        radius: f64,
        /// The radius the locator was built with, in Angstrom.
        max_radius: f64,
    },
    /// A neighbour needs an image shift outside the range of `i8` (-128..=127).
    #[error(
        "neighbour {j} of atom {i} needs image shift {shift:?}, outside -128..=127: the cutoff \
         {cutoff} A is too large for the cell or the atoms lie too far outside it"
    )]
    ShiftOverflow {
        /// The central atom.
        i: usize,
        /// The neighbour atom.
        j: usize,
        /// The shift that does not fit, in lattice vectors.
        shift: [i64; 3],
        /// The build cutoff, in Angstrom.
        cutoff: f64,
    },
    /// The cutoff spans more than 1000 perpendicular widths of the cell along an axis, so the
    /// search would enumerate an absurd number of images.
    #[error("cutoff {cutoff} A spans more than 1000 times the perpendicular width {width} A of axis {axis}")]
    TooManyImages {
        /// The cutoff or radius, in Angstrom.
        cutoff: f64,
        /// Lattice axis (0 = a, 1 = b, 2 = c).
        axis: usize,
        /// Perpendicular width of the cell along that axis, in Angstrom.
        width: f64,
    },
    /// More atoms than a `u32` neighbour index can address.
    #[error("{n} atoms is more than a neighbour list can index (at most 4294967295)")]
    TooManyAtoms {
        /// The number of atoms given.
        n: usize,
    },
    /// An atom (or query point) so far outside the cell that its image index is unusable.
    #[error("{what} lies {cells:e} cells outside the cell along axis {axis}")]
    FarOutside {
        /// Which atom or point.
        what: String,
        /// Lattice axis (0 = a, 1 = b, 2 = c).
        axis: usize,
        /// How many cells away (fractional coordinate).
        cells: f64,
    },
    /// A NaN or infinite coordinate.
    #[error("non-finite value in {what}")]
    NonFinite {
        /// Which quantity.
        what: String,
    },
    /// An atom is closer than the requested distance to its own periodic image, so no choice of
    /// atoms to remove can separate it (the cell is too small for that distance).
    #[error(
        "atom {i} lies {distance} A from its own periodic image, closer than {min_distance} A"
    )]
    SelfImageTooClose {
        /// The atom.
        i: usize,
        /// Distance to its nearest image, in Angstrom.
        distance: f64,
        /// The distance asked for, in Angstrom.
        min_distance: f64,
    },
    /// An error from `fe-structure` (for example while removing atoms).
    #[error(transparent)]
    Structure(#[from] StructureError),
}

/// Shorthand for results of this crate.
pub type Result<T, E = NeighborError> = std::result::Result<T, E>;

/// Check that `value` is finite and positive.
pub(crate) fn check_radius(what: &'static str, value: f64) -> Result<()> {
    if value.is_finite() && value > 0.0 {
        Ok(())
    } else {
        Err(NeighborError::InvalidRadius { what, value })
    }
}
