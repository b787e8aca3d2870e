//! VASP POSCAR and CONTCAR files.
//!
//! ```text
//! bcc Fe with a W atom             comment (kept as info `comment`)
//! 1.0                              scale: s > 0 scales; s < 0 is the volume; or sx sy sz
//!   2.855 0.0 0.0                  lattice vectors a, b, c (rows)
//!   0.0 2.855 0.0
//!   0.0 0.0 2.855
//! Fe W                             element symbols (VASP 5; absent in VASP 4)
//! 1 1                              atoms per symbol
//! Selective dynamics               optional
//! Direct                           or Cartesian (first letter, any case; K means Cartesian)
//!   0.0 0.0 0.0 F F F              position, then a T/F flag per axis with selective dynamics
//!   0.5 0.5 0.5 T T T
//!                                  optional: blank line (or `Cartesian`), then velocities
//!   0.001 0.0 0.0                  in Å/fs, Cartesian
//!   0.0 0.0 0.0
//! ```
//!
//! # Reading
//! - The symbol line may repeat elements (`Fe W Fe` / `2 1 3`); atoms keep file order.
//!   POTCAR labels such as `Fe_pv` or `Fe_pv/1a2b3c` name their element. Without a symbol line
//!   (VASP 4) the elements come from [`ReadOptions::types`], one per count, else it is an error.
//! - One scale factor s > 0 multiplies the lattice vectors and Cartesian positions; s < 0 asks
//!   for the volume |s| (the factor is the cube root of |s| / |det H|); three factors must be
//!   positive and scale the x, y and z components.
//! - Selective dynamics flags are kept as the `Bool` property [`SELECTIVE_DYNAMICS`] (3 per
//!   atom, true = may move along that lattice vector); atoms with three `F` are also fixed
//!   ([`Structure::fixed`]).
//! - Velocities (after a blank line or one starting with C or K) are Cartesian Å/fs, as VASP
//!   writes them in CONTCAR, and are stored ×1000 in Å/ps. A `Lattice velocities and vectors`
//!   block before them is skipped. Velocities in direct coordinates (a mode line starting with
//!   D) need the time step and are an error. Anything after the velocities (the MD predictor
//!   block) is ignored.
//! - The cell is periodic along all three axes.
//!
//! # Writing
//! VASP 5 layout: the comment (info `comment`, else the symbols), scale `1.0`, the cell rows,
//! the symbol and count lines of contiguous runs of one element (so atom order is kept exactly;
//! an element may appear in several runs, as ASE's `sort=False` writes), `Selective dynamics`
//! when the structure has a fixed mask or a [`SELECTIVE_DYNAMICS`] property (fixed atoms get
//! `F F F`), the positions, and the velocities in Å/fs after a blank line, as CONTCAR has them.
//! Numbers are the shortest text that reads back as the same `f64`. [`write()`] uses direct
//! (fractional) coordinates, VASP's own choice for CONTCAR; converting to fractions and back
//! moves positions by a few units in the last place, so use [`write_with`] and
//! [`Coordinates::Cartesian`] when positions must come back bit for bit. Info other than
//! `comment`, properties other than [`SELECTIVE_DYNAMICS`], and non-periodic axes cannot be
//! stored in a POSCAR.

mod read;
mod write;

#[cfg(test)]
mod tests;

use std::io::{BufRead, Write};

use super::{ReadOptions, WriteOptions};
use crate::error::Result;
use crate::structure::Structure;

/// Name of the `Bool` property (3 per atom, true = may move along lattice vector a, b, c)
/// holding POSCAR selective dynamics flags.
pub const SELECTIVE_DYNAMICS: &str = "selective_dynamics";

/// Factor from VASP velocities (Å/fs) to ours (Å/ps).
pub const VASP_VELOCITY_TO_A_PER_PS: f64 = 1000.0;

/// How positions are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Coordinates {
    /// Fractional coordinates of the cell rows (`Direct`).
    #[default]
    Direct,
    /// Cartesian coordinates in Å (`Cartesian`), exact through a round trip.
    Cartesian,
}

/// Read a POSCAR or CONTCAR: one structure.
///
/// # Errors
/// [`StructureError::Parse`](crate::StructureError::Parse) with file and line for a malformed
/// or truncated file (bad scale, lattice, counts or coordinates, unknown element, counts that
/// do not match the symbols, a VASP 4 file without [`ReadOptions::types`], a singular cell);
/// [`StructureError::Io`](crate::StructureError::Io) when reading fails.
pub fn read<R: BufRead>(reader: R, name: &str, opts: &ReadOptions) -> Result<Vec<Structure>> {
    Ok(vec![read::read_poscar(
        reader,
        name,
        opts.types.as_deref(),
    )?])
}

/// Write one structure as a VASP 5 POSCAR in direct coordinates (`opts` is not used: the
/// atom order fixes the species order).
///
/// # Errors
/// As [`write_with`].
pub fn write<W: Write>(
    writer: W,
    name: &str,
    frame: &Structure,
    _opts: &WriteOptions,
) -> Result<()> {
    write_with(writer, name, frame, Coordinates::Direct)
}

/// Write one structure as a VASP 5 POSCAR with the given coordinates.
///
/// # Errors
/// [`StructureError::Invalid`](crate::StructureError::Invalid) for a structure without atoms;
/// [`StructureError::Io`](crate::StructureError::Io) when writing fails.
pub fn write_with<W: Write>(
    writer: W,
    name: &str,
    frame: &Structure,
    coordinates: Coordinates,
) -> Result<()> {
    write::write_poscar(writer, name, frame, coordinates)
}
