//! The error type of `fe-structure`.

use std::path::Path;

/// Everything that can go wrong while building, transforming, reading or writing structures.
///
/// Parse errors name the file (a path, `<stdin>` or `<memory>`), the 1-based line and what was
/// expected there: `Fe.extxyz:12: expected 4 columns, found 3`.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StructureError {
    /// Malformed text in a structure file.
    #[error("{file}:{line}: {message}")]
    Parse {
        /// File name as given by the caller.
        file: String,
        /// 1-based line number.
        line: usize,
        /// What was expected and what was found.
        message: String,
    },
    /// A problem with a whole file found after or outside line-by-line parsing.
    #[error("{file}: {message}")]
    File {
        /// File name as given by the caller.
        file: String,
        /// What is wrong.
        message: String,
    },
    /// An operating-system error while reading or writing a file.
    #[error("{file}: {source}")]
    Io {
        /// File name as given by the caller.
        file: String,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// The file extension does not name a format we know.
    #[error("{file}: cannot tell the file format from the name (known: .extxyz, .xyz, .data, .lmp, .dump, POSCAR, .vasp, .cfg)")]
    UnknownFormat {
        /// File name as given by the caller.
        file: String,
    },
    /// A cell matrix with (nearly) zero volume.
    #[error("singular cell: |det H| = {volume:e} A^3")]
    SingularCell {
        /// The absolute determinant of the matrix.
        volume: f64,
    },
    /// A NaN or infinite number where a finite one is required.
    #[error("non-finite value in {what}")]
    NonFinite {
        /// Which quantity (and atom, where known).
        what: String,
    },
    /// A chemical symbol or atomic number not in the element table.
    #[error("unknown element `{0}`")]
    UnknownElement(String),
    /// A per-atom array whose length differs from the number of atoms.
    #[error("{what} has {got} entries, expected {expected}")]
    LengthMismatch {
        /// Which array.
        what: String,
        /// Number of atoms.
        expected: usize,
        /// Entries given.
        got: usize,
    },
    /// An argument outside its allowed range.
    #[error("invalid argument: {0}")]
    Invalid(String),
}

impl StructureError {
    /// An I/O error on the file `path`.
    pub fn io(path: &Path, source: std::io::Error) -> Self {
        StructureError::Io {
            file: path.display().to_string(),
            source,
        }
    }
}

/// Shorthand for results of this crate.
pub type Result<T, E = StructureError> = std::result::Result<T, E>;
