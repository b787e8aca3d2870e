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
    /// A GRAINS.json (or other input document) that does not parse.
    #[error("{source_name}: line {line}: {message}")]
    Parse {
        /// The file (or other source) read.
        source_name: String,
        /// 1-based line of the problem (0 when it concerns the document as a whole).
        line: usize,
        /// What was wrong and what was expected.
        message: String,
    },
    /// A file that cannot be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// A neighbour list could not be built.
    #[error(transparent)]
    Neighbors(#[from] fe_neighbors::NeighborError),
    /// The grain or atom Voronoi tessellation failed.
    #[error(transparent)]
    Voronoi(#[from] fe_voronoi::VoronoiError),
}

/// Results of this crate.
pub type Result<T> = std::result::Result<T, GbError>;
