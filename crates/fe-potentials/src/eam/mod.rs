//! Embedded-atom method potentials: one kernel over LAMMPS-style spline tables ([`Eam`]) or
//! the analytic Zhou 2004 functions ([`Zhou2004`]), and the setfl/eam-fs tables they read and write
//! ([`SetflTables`]).
//!
//! The energy is
//! $$ E = \sum_i F_{s_i}(\bar\rho_i) + \tfrac12 \sum_i \sum_{j\ne i} \phi_{s_i s_j}(r_{ij}),
//!    \qquad \bar\rho_i = \sum_{j\ne i} f_{s_j\to s_i}(r_{ij}), $$
//! in eV with r in Angstrom; pairs interact when r < r_c (strict), as LAMMPS `pair_style eam`.
//! Tables are LAMMPS' cubic splines (METHODS.md 11.2); past the last grid point a function
//! freezes at its end value, and past the largest tabulated density the embedding energy
//! continues linearly with the end slope, as in LAMMPS.

pub(crate) mod kernel;
mod parse;
mod rtable;
mod setfl;
pub(crate) mod spline;
mod tabulated;
mod zhou;
mod zhou_table;

pub use setfl::SetflTables;
pub use tabulated::{Eam, EamStyle};
pub use zhou::Zhou2004;
