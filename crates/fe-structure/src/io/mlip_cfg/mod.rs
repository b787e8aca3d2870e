//! MLIP configuration files (`.cfg`), as MLIP-2 and MLIP-3 read and write them.
//!
//! A file is a sequence of configurations, each between `BEGIN_CFG` and `END_CFG`:
//!
//! ```text
//! BEGIN_CFG
//!  Size
//!     2
//!  Supercell
//!     3.1600000000000001e+00 0.0000000000000000e+00 0.0000000000000000e+00
//!     0.0000000000000000e+00 3.1600000000000001e+00 0.0000000000000000e+00
//!     0.0000000000000000e+00 0.0000000000000000e+00 3.1600000000000001e+00
//!  AtomData:  id type       cartes_x      cartes_y      cartes_z           fx          fy          fz
//!     1 0  0.0000000000000000e+00 0.0000000000000000e+00 0.0000000000000000e+00  1.0000000000000000e-01 0.0000000000000000e+00 0.0000000000000000e+00
//!     2 0  1.5800000000000001e+00 1.5800000000000001e+00 1.5800000000000001e+00  -1.0000000000000000e-01 0.0000000000000000e+00 0.0000000000000000e+00
//!  Energy
//!     -2.5800000000000001e+01
//!  PlusStress:  xx          yy          zz          yz          xz          xy
//!      1.0000000000000000e+00 1.0000000000000000e+00 1.0000000000000000e+00 0.0000000000000000e+00 0.0000000000000000e+00 0.0000000000000000e+00
//!  Feature   EFS_by<TAB>VASP
//! END_CFG
//! ```
//!
//! (`<TAB>` stands for one tab character.)
//!
//! The specification is section 5 of `docs/MTP.md` in the shared documentation.
//!
//! # Mapping to [`Structure`]
//!
//! | in the file | in the structure |
//! |---|---|
//! | `type` t (0-based; all 0 without a `type` column) | element `ReadOptions::types[t]`; without a type order reading fails and says to give one (`--types W` on the command line) |
//! | `cartes_x/y/z`, or `direct_x/y/z` (fractional, needs three `Supercell` rows) | Cartesian positions (Å) |
//! | `Supercell` rows (1 to 3; an all-zero row counts as absent) | periodic lattice rows of the cell, see below |
//! | `fx fy fz` | Real property [`FORCES`] (3 components, eV/Å) |
//! | `site_en` | Real property [`SITE_ENERGY`] (eV) |
//! | `charge` | Real property [`CHARGE`] |
//! | `magmom_x/y/z` | Real property [`MAGMOM`] (3 components) |
//! | `en_der_mx/my/mz` | Real property [`EN_DER_M`] (3 components) |
//! | `ghost` (`true`/`false`) | Bool property [`GHOST`] |
//! | `nbh_grades` | Real property [`NBH_GRADES`] |
//! | any other column `name` (numbers) | Real property `mlip_<name>` ([`COLUMN_PREFIX`]) |
//! | `Energy` | info `energy` (Real, eV) |
//! | `PlusStress:` (columns in the header's order) | info `virial`: 9 reals, the symmetric virial W (eV) row-major, as ARCHITECTURE.md defines it (positive when atoms repel; ASE's stress is -W/V) |
//! | `Feature   key<TAB>value` | info `mlip_feature:key` ([`FEATURE_PREFIX`]), Str |
//!
//! `id` must count 1, 2, 3, ... in order. `Stress:` (MLIP's negated stress) and `Virial:`
//! (MLIP's virial per volume) blocks are rejected with an error naming `PlusStress:`.
//!
//! **Features.** The key is kept as written in the file, with MLIP's escapes (`\_` for a space,
//! `\t`, `\n`, `\r`) left in place, so an info key never contains white space. The value runs
//! from the character after the TAB to the end of the line, verbatim: a `\r` before the line
//! end (files written on Windows) is part of the value. A key repeated within one configuration
//! continues a multi-line value; the lines are joined with `\n`. The writer emits features in
//! byte order of the key (MLIP keeps them in a sorted map), one line per line of the value, and
//! escapes white space in keys given by the caller; like MLIP it skips features with an empty
//! value.
//!
//! **Cells.** `Supercell` rows are the periodic lattice vectors. A configuration with fewer
//! than three (or with all-zero rows, MLIP's way of marking an open axis) gets the missing
//! rows built here, non-periodic: orthogonal to the periodic rows (and to each other), as long
//! as the largest |r·d| of any atom along their direction d (at least 1 Å), and oriented so
//! that the cell is right-handed. One periodic row a: the first missing row lies along the
//! Cartesian axis least aligned with a, made orthogonal to a; the second along their cross
//! product. No `Supercell`: [`Cell::enclosing`](crate::Cell::enclosing) with no padding, every axis open.
//! The writer writes the rows up to the last periodic one, writing zeros for open rows before
//! it, exactly as MLIP does; so periodic axes keep their position and a read-back gives the
//! same periodicity and the same periodic rows. The open rows themselves are not stored.
//!
//! **Not stored in a `.cfg`:** velocities, masses, the fixed mask, other properties and other
//! info entries; the writer leaves them out. Info `virial` (9 reals, or 6 in Voigt order
//! xx yy zz yz xz xy) gives the `PlusStress` block, symmetrised as (W_ab + W_ba)/2; without it,
//! ASE's `stress` (9 or 6 Voigt) of a fully periodic cell is converted as W = -V stress.
//!
//! # Layouts
//!
//! [`Layout::Lossless`] is MLIP's `SAVE_NO_LOSS` layout: every real as C's `%.16e`, which
//! round-trips every `f64`; reading and writing a file in this layout reproduces it byte for
//! byte (all 1026 configurations of the W DFT dataset do). [`Layout::Default`] is MLIP's
//! fixed-width layout (`%13.6f` coordinates, `%11.6f` forces, `%20.12f` energy, ...), which
//! loses digits. [`write()`] uses the lossless layout. Positions are always written Cartesian.

mod atoms;
mod format;
mod open_cell;
mod read;
mod write;

use std::io::{BufRead, Write};

use super::{ReadOptions, WriteOptions};
use crate::element::Element;
use crate::error::Result;
use crate::structure::Structure;

pub use read::Configurations;

/// Property holding the `fx fy fz` columns (3 components, eV/Å).
pub const FORCES: &str = "forces";
/// Property holding the `site_en` column (eV).
pub const SITE_ENERGY: &str = "site_energy";
/// Property holding the `charge` column.
pub const CHARGE: &str = "charge";
/// Property holding the `magmom_x/y/z` columns (3 components).
pub const MAGMOM: &str = "magmom";
/// Property holding the `en_der_mx/my/mz` columns (3 components).
pub const EN_DER_M: &str = "en_der_m";
/// Bool property holding the `ghost` column.
pub const GHOST: &str = "ghost";
/// Property holding the `nbh_grades` column.
pub const NBH_GRADES: &str = "nbh_grades";
/// Prefix of the properties that hold columns MLIP does not define (`mlip_<column>`).
pub const COLUMN_PREFIX: &str = "mlip_";
/// Prefix of the info keys that hold features (`mlip_feature:<key>`).
pub const FEATURE_PREFIX: &str = "mlip_feature:";

/// The number layout of a written `.cfg` file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// MLIP's default fixed-width layout (`Save` without flags); loses digits.
    Default,
    /// MLIP's `SAVE_NO_LOSS` layout: every real as `%.16e`; exact.
    Lossless,
}

/// Read the configurations of a `.cfg` file selected by `opts.frames`, streaming one
/// configuration at a time; types map to elements through `opts.types`.
///
/// # Errors
/// [`StructureError::Parse`](crate::StructureError::Parse) naming file and line for malformed
/// text, a type without an element, or a `Stress:`/`Virial:` block; I/O errors.
pub fn read<R: BufRead>(reader: R, name: &str, opts: &ReadOptions) -> Result<Vec<Structure>> {
    let mut configs = Configurations::new(reader, name, opts.types.clone());
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(s) = configs.next_structure()? {
        if opts.frames.wants(i) {
            opts.frames.push(&mut out, s);
        }
        if opts.frames.done_after(i) {
            break;
        }
        i += 1;
    }
    Ok(out)
}

/// Write configurations in the lossless layout, with the type order of
/// [`WriteOptions::type_order`].
///
/// # Errors
/// As [`write_with_layout`], and an element missing from the given type order.
pub fn write<W: Write>(
    writer: W,
    name: &str,
    frames: &[Structure],
    opts: &WriteOptions,
) -> Result<()> {
    let types = opts.type_order(frames)?;
    write_with_layout(writer, name, frames, &types, Layout::Lossless)
}

/// Write configurations in the given layout; element `types[k]` is written as MLIP type k.
///
/// # Errors
/// [`StructureError::Invalid`](crate::StructureError::Invalid) for an element not in `types`,
/// a property of a known name with the wrong kind or width (`forces` must be real with 3
/// components, ...), a malformed `virial`/`stress` info or a feature value that is not text;
/// [`StructureError::NonFinite`](crate::StructureError::NonFinite) for a NaN or infinite
/// value; I/O errors naming `name`.
pub fn write_with_layout<W: Write>(
    mut writer: W,
    name: &str,
    frames: &[Structure],
    types: &[Element],
    layout: Layout,
) -> Result<()> {
    let mut buf = String::new();
    for s in frames {
        buf.clear();
        write::config(&mut buf, s, types, layout)?;
        writer
            .write_all(buf.as_bytes())
            .map_err(|e| crate::StructureError::Io {
                file: name.to_string(),
                source: e,
            })?;
    }
    Ok(())
}

#[cfg(test)]
mod tests;
