//! The error type of `fe-gbanalysis`.

/// Everything that can go wrong in a grain-boundary analysis.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum GbError {
    /// A cell that cannot carry the analysis (singular, inverted).
    #[error("cell: {0}")]
    Cell(String),
    /// Inputs that do not make sense together (non-positive areas, non-finite energies).
    #[error("{0}")]
    Input(String),
    /// A plot that could not be drawn or written (names the file).
    #[error("plot {path}: {message}")]
    Plot {
        /// The SVG file.
        path: String,
        /// What went wrong.
        message: String,
    },
}

/// Results of this crate.
pub type Result<T> = std::result::Result<T, GbError>;
