//! LAMMPS data files (`read_data` / `write_data`), atom styles `atomic` and `charge`.
//!
//! # Reading
//!
//! - **Header.** The first line is a title and is ignored. Header lines (any order, `#`
//!   comments allowed) give `N atoms`, `N atom types`, `xlo xhi`, `ylo yhi`, `zlo zhi` and
//!   optionally `xy xz yz`, or LAMMPS' general-triclinic form `avec`, `bvec`, `cvec` and
//!   `abc origin` (then the cell rows are those three vectors, kept exactly). Missing bounds
//!   default to -0.5 0.5, as in LAMMPS. Non-zero counts of bonds, angles, dihedrals,
//!   impropers, ellipsoids, lines, triangles or bodies mean another atom style and are an
//!   error; `N bond types` and similar are accepted (their coefficient sections are skipped).
//! - **Sections.** `Atoms`, `Velocities`, `Masses` and `Atom Type Labels` are read; every
//!   other section (`Pair Coeffs`, ...) is skipped. As in LAMMPS, `Velocities` must follow
//!   `Atoms`. `Atoms` is read as style `atomic` (`id type x y z [ix iy iz]`) or, with the hint
//!   `Atoms # charge`, as style `charge` (`id type q x y z [ix iy iz]`; q becomes the per-atom
//!   property `charge`). Without a hint, 5 or 8 columns mean `atomic`; anything else is an
//!   error asking for the hint. A type may be a number or a label from `Atom Type Labels`.
//! - **Order.** Atoms may be listed in any id order; atom i of the result is the atom with the
//!   i-th smallest id (LAMMPS atom-ID order). Ids must be unique.
//! - **Image flags.** With `ix iy iz`, the position is unwrapped:
//!   $$ \mathbf r = \mathbf x + i_x\,\mathbf a + i_y\,\mathbf b + i_z\,\mathbf c. $$
//!   Positions otherwise keep their absolute coordinates (the box origin `xlo ylo zlo` is not
//!   part of a [`Cell`](crate::Cell)).
//! - **Elements.** The element of atom type t is taken, in this order, from a comment after
//!   its mass (`1 55.845 # Fe`, as ASE writes it), from its label in `Atom Type Labels` (as
//!   LAMMPS `write_data` writes after `labelmap`), from [`ReadOptions::types`] (`types[t-1]`),
//!   or from its mass ([`Element::from_mass`] within 0.01 amu). A type that none of these
//!   identifies is an error naming the type. A mass that differs from the element's standard
//!   mass is kept as explicit per-atom masses ([`Structure::masses`]).
//! - **Periodicity.** Data files do not record it (the input script's `boundary` does), so
//!   every axis is read as periodic.
//!
//! # Writing
//!
//! The cell is rotated into LAMMPS' restricted triclinic form with [`Cell::to_lammps`] (a
//! cell already in that form is written unchanged; left-handed cells are an error), with the
//! box at the origin (`0 lx xlo xhi`). Positions and velocities are rotated by the same R and
//! written as they are, unwrapped, without image flags, in the shortest text that reads back
//! to the same `f64`: our reader gives back exactly the positions written, and LAMMPS'
//! `read_data` wraps atoms outside the box on periodic axes itself, recording image flags, so
//! the unwrapped geometry is kept. (Along an axis the input script makes non-periodic, atoms
//! outside the box are lost by LAMMPS; wrap or move them first.) The header has `N atom types`
//! from [`WriteOptions::type_order`], a `Masses` section with `# El` comments (explicit masses
//! when the structure has them, one per type), `Atoms # atomic` and, when the structure has
//! velocities, `Velocities`. Per-atom properties (charges included) are not written.
//!
//! [`ReadOptions::types`]: super::ReadOptions::types
//! [`WriteOptions::type_order`]: super::WriteOptions::type_order
//! [`Element::from_mass`]: crate::Element::from_mass
//! [`Structure::masses`]: crate::Structure::masses
//! [`Cell::to_lammps`]: crate::Cell::to_lammps

mod header;
mod read;
mod sections;
mod write;

pub use read::read;
pub use write::write;
