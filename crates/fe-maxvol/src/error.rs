//! [`MaxVolError`]: everything the MaxVol machinery can fail with.

/// Errors of `fe-maxvol`. No function of the crate returns a NaN grade: a non-finite number
/// anywhere on the way is one of these.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum MaxVolError {
    /// Reading or evaluating the potential failed (an element it lacks, a bad file, ...).
    #[error(transparent)]
    Potential(#[from] fe_potentials::PotentialError),
    /// Building a neighbour list failed.
    #[error(transparent)]
    Neighbors(#[from] fe_neighbors::NeighborError),
    /// Reading or writing a structure failed.
    #[error(transparent)]
    Structure(#[from] fe_structure::StructureError),
    /// A training set without configurations or without atoms.
    #[error("empty training set: {0}")]
    EmptyTrainingSet(String),
    /// The active matrix is singular or too ill-conditioned to invert (full-pivot LU: a
    /// pivot below `n eps` times the largest, or a reciprocal 1-norm condition number below
    /// `n eps`).
    #[error("singular active matrix ({what}): {detail}")]
    Singular {
        /// Which matrix.
        what: String,
        /// Rank or condition found.
        detail: String,
    },
    /// A structure holds an element whose species no active row covers: the grade would
    /// only measure the initial rows `eps e_k`.
    #[error("element {element} (species {species}) has no neighbourhood in the active set: grades of its atoms are meaningless; add training data with {element}")]
    UncoveredSpecies {
        /// The element.
        element: String,
        /// Its species index in the potential.
        species: usize,
    },
    /// Rows or matrices whose sizes do not match.
    #[error("dimension mismatch: {0}")]
    Dimension(String),
    /// A non-finite number where a grade, a row or a matrix entry was expected.
    #[error("non-finite {0}")]
    NonFinite(String),
    /// A malformed state file.
    #[error("{file}: {message}")]
    State {
        /// The file.
        file: String,
        /// What was expected.
        message: String,
    },
    /// An I/O error on a file.
    #[error("cannot access {file}")]
    Io {
        /// The file.
        file: String,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// An argument that makes no sense (a threshold below 1, a negative radius, ...).
    #[error("{0}")]
    Invalid(String),
}

/// `Result` with [`MaxVolError`].
pub type Result<T> = std::result::Result<T, MaxVolError>;
