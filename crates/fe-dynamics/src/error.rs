//! The error type of fe-dynamics.

/// Everything a minimizer or an MD run can fail with. A run that merely stops before its
/// tolerance is not an error: its report says `converged: false` and why it stopped.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DynamicsError {
    /// Evaluating the potential failed (unknown element, atoms too close, ...).
    #[error(transparent)]
    Potential(#[from] fe_potentials::PotentialError),
    /// Building or writing a structure failed (singular cell, I/O, ...).
    #[error(transparent)]
    Structure(#[from] fe_structure::StructureError),
    /// An option that makes no sense (negative time step, zero temperature damping, ...).
    #[error("invalid option: {0}")]
    Invalid(String),
    /// A non-finite energy, force, virial, velocity or cell appeared.
    #[error("non-finite {what} at step {step}")]
    NonFinite {
        /// What became NaN or infinite.
        what: String,
        /// Step (MD) or iteration (minimizer) where it happened.
        step: usize,
    },
    /// The cell deformed beyond what a physical run allows (volume or shape changed by more
    /// than the safety limit since the start).
    #[error("the cell exploded at step {step}: {message}")]
    CellExploded {
        /// Step or iteration.
        step: usize,
        /// What grew out of bounds.
        message: String,
    },
    /// Writing thermo or trajectory output failed.
    #[error("cannot write {file}")]
    Output {
        /// The file.
        file: String,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
}

/// Result with [`DynamicsError`].
pub type Result<T> = std::result::Result<T, DynamicsError>;
