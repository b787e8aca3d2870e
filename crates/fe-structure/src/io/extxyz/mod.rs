//! Extended XYZ, as ASE 3.29 (`ase/io/extxyz.py`) writes and reads it.
//!
//! A frame is an atom count, a comment line of `key=value` pairs, and one line per atom:
//!
//! ```text
//! 2
//! Lattice="2.855 0.0 0.0 0.0 2.855 0.0 0.0 0.0 2.855" Properties=species:S:1:pos:R:3:forces:R:3 energy=-8.5 pbc="T T T"
//! Fe 0.0 0.0 0.0 0.1 0.0 0.0
//! Fe 1.4275 1.4275 1.4275 -0.1 0.0 0.0
//! ```
//!
//! # Comment line
//! - Values are bare or quoted with `"..."`, `'...'`, `{...}` or `[...]`; a backslash escapes the
//!   next character anywhere; a key without `=` means `T`. Unbalanced quotes are errors.
//! - `Lattice="ax ay az bx by bz cx cy cz"`: the rows of the cell. Without it the frame is a free
//!   cluster in [`Cell::enclosing`](crate::Cell::enclosing)`(positions, 0)`.
//! - `pbc="T T F"` (also `True`/`False`, any case; one value sets all three). Default: all
//!   periodic with a `Lattice`, none without.
//! - `Properties=name:T:n:...` with T one of `S`, `R`, `I`, `L`; default `species:S:1:pos:R:3`.
//! - Every other key goes to [`Structure::info`] with ASE's type inference: all tokens (split at
//!   white space and commas) integers gives [`InfoValue::Int`]/[`InfoValue::Ints`], else all
//!   reals gives `Real`/`Reals`, else all of `T F true false True False TRUE FALSE` gives
//!   `Bool`/`Bools`, else a `_JSON [...]` list of numbers or booleans gives an array, else
//!   [`InfoValue::Str`]. Special keys: `energy` is always `Real`; `virial` (9 numbers) and
//!   `stress` (9, or 6 in Voigt order xx yy zz yz xz xy) are `Reals`. A 3x3 tensor is stored row
//!   major while the file, like `Lattice` in ASE's code, lists it column by column (Fortran
//!   order); the two agree for symmetric tensors.
//! - An empty value (`key=""`) is the empty string (ASE reads an empty array).
//!
//! # Columns
//! - `species:S:1` (symbols, any case) or `Z:I:1` (atomic numbers; wins over `species`, as in
//!   ASE) and `pos:R:3` (finite) are required.
//! - `masses:R:1` (amu, positive) sets [`Structure::masses`].
//! - `momenta:R:3` (ASE's only velocity column, in amu Å per ASE time unit) sets the
//!   velocities: v = p / m × [`ASE_VELOCITY_UNIT_A_PER_PS`] Å/ps, with m from `masses` or the
//!   element table (equal to ASE's for every element). Other velocity columns (`velo`, `vel`,
//!   ...) stay plain properties: their units differ between codes (libAtoms uses Å/fs, OVITO the
//!   unit of its source).
//! - `move_mask:L:1` (ASE's export of `FixAtoms`, true = movable) sets the fixed mask to its
//!   negation; `move_mask:L:3` (`FixCartesian`) fixes the atoms whose three flags are all false
//!   and, when some atom is held along only some axes, keeps the flags as a `Bool` property
//!   `move_mask` with 3 components.
//! - Every other column becomes a [`Property`](crate::Property) of its kind and width (`S`
//!   columns must have width 1). Columns named `positions`, `velocities` or `fixed` are errors
//!   (those names belong to [`Structure`] fields).
//!
//! # Writing
//! `Lattice=... Properties=species:S:1:pos:R:3[:move_mask:L:n][:masses:R:1][:momenta:R:3][:props]
//! [info keys, sorted] pbc="..."`, ASE's order. Reals use the shortest text that reads back to
//! the same `f64` (always with a `.` or an exponent, so they stay reals), so this crate reads
//! back exactly what it wrote, with three exceptions: velocities go through ASE momenta and
//! come back within a few units in the last place; a 6-component `stress` is written as the
//! full symmetric 3x3 (ASE cannot read six numbers); and a `Str` info value that reads as a
//! number, boolean or JSON list comes back typed (ASE does the same). One-element and empty
//! arrays are written as `_JSON [...]` so they stay arrays (an empty array reads back as
//! `Reals`). Info keys `Lattice`, `Properties` and `pbc` are not written (the frame sets them).
//! ASE reads these files back (checked with ASE 3.29: positions, cell, info, arrays,
//! constraints and calculator results) with one limit of its own: it parses `I` columns as
//! 32-bit integers, so integer properties beyond ±2^31 are for this crate only.
//!
//! # Streaming
//! Frames are read one at a time; atoms go straight into their final arrays (capacity from the
//! atom count), so memory is the kept frames plus one line. Frames that
//! [`Frames`](super::Frames) does not want are skipped without parsing their atom lines.

mod comment;
mod header;
mod read;
mod write;

#[cfg(test)]
mod tests;

use std::io::{BufRead, Write};

use super::{ReadOptions, WriteOptions};
use crate::error::Result;
use crate::structure::Structure;

#[cfg(doc)]
use crate::structure::InfoValue;

pub(crate) use comment::push_field;

/// One ASE velocity unit (Å per ASE time unit, Å·sqrt(eV/amu)) in Å/ps: `1000 * ase.units.fs`
/// of ASE 3.29, whose default constants are CODATA 2014 (e = 1.6021766208e-19 C,
/// amu = 1.660539040e-27 kg), so one ASE time unit is about 10.18 fs.
pub const ASE_VELOCITY_UNIT_A_PER_PS: f64 = 98.226_947_884_640_64;

/// Read the frames of an extended XYZ file selected by `opts.frames` (`opts.types` is not
/// used: every atom names its element).
///
/// # Errors
/// [`StructureError::Parse`](crate::StructureError::Parse) with file and line for a malformed
/// count, comment or atom line (wrong number of fields, bad or non-finite number, unknown
/// element, bad `Lattice` or `Properties`, unbalanced quotes, truncated frame);
/// [`StructureError::Io`](crate::StructureError::Io) when reading fails.
pub fn read<R: BufRead>(reader: R, name: &str, opts: &ReadOptions) -> Result<Vec<Structure>> {
    read::read_frames(reader, name, opts.frames)
}

/// Write frames as extended XYZ (see the module documentation for the layout).
///
/// # Errors
/// [`StructureError::Invalid`](crate::StructureError::Invalid) for what the format cannot hold
/// (a property name with `:` or white space, a string value with white space, an info string
/// with a line break, an empty info key); [`StructureError::Io`](crate::StructureError::Io)
/// when writing fails.
pub fn write<W: Write>(
    writer: W,
    name: &str,
    frames: &[Structure],
    _opts: &WriteOptions,
) -> Result<()> {
    write::write_frames(writer, name, frames)
}
