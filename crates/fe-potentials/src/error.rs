//! The error type of `fe-potentials`.

use fe_neighbors::NeighborError;
use fe_structure::StructureError;

/// Everything that can go wrong while reading, building or evaluating a potential.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PotentialError {
    /// Malformed text in a potential file.
    #[error("{file}:{line}: {message}")]
    Parse {
        /// File name as given.
        file: String,
        /// 1-based line number.
        line: usize,
        /// What was expected and what was found.
        message: String,
    },
    /// A problem with a whole potential file (after parsing, or not tied to one line).
    #[error("{file}: {message}")]
    File {
        /// File name as given.
        file: String,
        /// What is wrong.
        message: String,
    },
    /// An operating-system error on a potential file.
    #[error("{file}: {source}")]
    Io {
        /// File name as given.
        file: String,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// The structure holds an element the potential does not describe.
    #[error("the potential has no parameters for {element} (it knows {known})")]
    UnknownElement {
        /// The element's symbol.
        element: String,
        /// The elements the potential knows, comma separated.
        known: String,
    },
    /// Two atoms closer than the potential's tables or formulas allow.
    #[error("atoms {i} and {j} are {r:.6} A apart, closer than the potential allows ({r_min} A)")]
    TooClose {
        /// First atom.
        i: usize,
        /// Second atom.
        j: usize,
        /// Their distance (Angstrom).
        r: f64,
        /// The smallest distance allowed (Angstrom).
        r_min: f64,
    },
    /// A NaN or infinite number in the input or the result.
    #[error("non-finite value: {what}")]
    NonFinite {
        /// What was not finite (with the first atom where known).
        what: String,
    },
    /// The neighbour list given does not fit the potential or the structure.
    #[error("neighbour list: {0}")]
    List(String),
    /// A quantity the potential cannot provide, or an unsupported option.
    #[error("{0}")]
    Unsupported(String),
    /// A potential specification string that names nothing we know.
    #[error("bad potential specification `{spec}`: {message}")]
    Spec {
        /// The specification as given.
        spec: String,
        /// What is wrong with it.
        message: String,
    },
    /// Building a neighbour list failed.
    #[error(transparent)]
    Neighbors(#[from] NeighborError),
    /// A structure-level error (building, reading).
    #[error(transparent)]
    Structure(#[from] StructureError),
}

/// Shorthand for results of this crate.
pub type Result<T, E = PotentialError> = std::result::Result<T, E>;
