//! Placeholder, being written.
#![allow(missing_docs, clippy::missing_errors_doc)]
use super::{ReadOptions, WriteOptions};
use crate::error::{Result, StructureError};
use crate::structure::Structure;
use std::io::{BufRead, Write};
pub fn read<R: BufRead>(_reader: R, name: &str, _opts: &ReadOptions) -> Result<Vec<Structure>> {
    Err(StructureError::Invalid(format!(
        "{name}: lammps_dump reader not written yet"
    )))
}
pub fn write<W: Write>(
    _writer: W,
    name: &str,
    _frames: &[Structure],
    _opts: &WriteOptions,
) -> Result<()> {
    Err(StructureError::Invalid(format!(
        "{name}: lammps_dump writer not written yet"
    )))
}
