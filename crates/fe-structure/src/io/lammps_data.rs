//! Placeholder, being written.
#![allow(missing_docs, clippy::missing_errors_doc)]
use super::{ReadOptions, WriteOptions};
use crate::error::{Result, StructureError};
use crate::structure::Structure;
use std::io::{BufRead, Write};
pub fn read<R: BufRead>(_reader: R, name: &str, _opts: &ReadOptions) -> Result<Vec<Structure>> {
    Err(StructureError::Invalid(format!(
        "{name}: lammps_data reader not written yet"
    )))
}
pub fn write<W: Write>(
    _writer: W,
    name: &str,
    _frame: &Structure,
    _opts: &WriteOptions,
) -> Result<()> {
    Err(StructureError::Invalid(format!(
        "{name}: lammps_data writer not written yet"
    )))
}
