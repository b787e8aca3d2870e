//! The simulation cell: three lattice vectors as the rows of a matrix H, and periodicity per axis.
//!
//! Positions and fractional coordinates are row vectors related by
//! $$ \mathbf r = \mathbf s\,H, \qquad \mathbf s = \mathbf r\,H^{-1}, $$
//! so with nalgebra's column vectors `r = Hᵀ s`. Lengths are in Angstrom. Any non-singular
//! matrix is kept exactly as given (left-handed ones too; the volume is |det H|); only the LAMMPS
//! writers rotate it into LAMMPS' restricted form ([`Cell::to_lammps`]).
//!
//! A non-periodic axis still has a lattice vector: it defines the fractional coordinate along
//! that axis but never creates periodic images. Readers give free clusters (no lattice in the
//! file) an orthorhombic box that encloses them, with every axis open.

mod convert;
mod ops;
mod reduce;

pub use convert::LammpsBox;

use nalgebra::{Matrix3, Vector3};

use crate::error::{Result, StructureError};

/// Smallest |det H| accepted, in A^3.
const MIN_VOLUME: f64 = 1e-10;

/// A triclinic cell with per-axis periodicity.
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    /// Rows are the lattice vectors a, b, c (Angstrom).
    h: Matrix3<f64>,
    /// (Hᵀ)⁻¹: fractional = `frac` * cartesian (column vectors).
    frac: Matrix3<f64>,
    pbc: [bool; 3],
    /// The periodic rows reduced (Minkowski) for minimum-image searches, as a full matrix whose
    /// open rows are the original ones, and its transposed inverse.
    reduced: Matrix3<f64>,
    reduced_frac: Matrix3<f64>,
}

impl Cell {
    /// A cell whose lattice vectors are the rows of `h` (Angstrom), periodic where `pbc` is true.
    ///
    /// # Errors
    /// [`StructureError::NonFinite`] for NaN or infinite entries, [`StructureError::SingularCell`]
    /// when |det H| < 1e-10 A^3.
    pub fn new(h: Matrix3<f64>, pbc: [bool; 3]) -> Result<Cell> {
        if h.iter().any(|x| !x.is_finite()) {
            return Err(StructureError::NonFinite {
                what: "cell matrix".into(),
            });
        }
        let det = h.determinant();
        if det.abs() < MIN_VOLUME {
            return Err(StructureError::SingularCell { volume: det.abs() });
        }
        let frac = h
            .transpose()
            .try_inverse()
            .ok_or(StructureError::SingularCell { volume: det.abs() })?;
        let reduced = reduce::reduce_periodic_rows(&h, pbc);
        let reduced_frac = reduced
            .transpose()
            .try_inverse()
            .ok_or(StructureError::SingularCell { volume: det.abs() })?;
        Ok(Cell {
            h,
            frac,
            pbc,
            reduced,
            reduced_frac,
        })
    }

    /// A periodic cell from three row vectors.
    ///
    /// # Errors
    /// As [`Cell::new`].
    pub fn from_rows(a: Vector3<f64>, b: Vector3<f64>, c: Vector3<f64>) -> Result<Cell> {
        Cell::new(
            Matrix3::from_rows(&[a.transpose(), b.transpose(), c.transpose()]),
            [true; 3],
        )
    }

    /// A periodic orthorhombic box lx x ly x lz (Angstrom).
    ///
    /// # Errors
    /// As [`Cell::new`] (a zero or non-finite length).
    pub fn orthorhombic(lx: f64, ly: f64, lz: f64) -> Result<Cell> {
        Cell::new(Matrix3::from_diagonal(&Vector3::new(lx, ly, lz)), [true; 3])
    }

    /// A periodic cubic box of edge `l` (Angstrom).
    ///
    /// # Errors
    /// As [`Cell::new`].
    pub fn cubic(l: f64) -> Result<Cell> {
        Cell::orthorhombic(l, l, l)
    }

    /// An open (non-periodic) orthorhombic box from the origin that encloses every position
    /// with at least `padding` Angstrom to spare on the positive side (each edge at least 1 A).
    /// The box is a frame of reference only: no axis is periodic.
    ///
    /// # Errors
    /// [`StructureError::NonFinite`] for non-finite positions or padding.
    pub fn enclosing(positions: &[Vector3<f64>], padding: f64) -> Result<Cell> {
        let mut hi = Vector3::repeat(0.0_f64);
        for p in positions {
            if !p.iter().all(|x| x.is_finite()) {
                return Err(StructureError::NonFinite {
                    what: "positions".into(),
                });
            }
            hi = hi.sup(&p.abs());
        }
        let l = (hi + Vector3::repeat(padding)).map(|x| x.max(1.0));
        Cell::new(Matrix3::from_diagonal(&l), [false; 3])
    }

    /// The same lattice with other periodicity.
    pub fn with_pbc(&self, pbc: [bool; 3]) -> Cell {
        Cell::new(self.h, pbc).expect("a valid cell stays valid with other periodicity")
    }

    /// The matrix H whose rows are the lattice vectors (Angstrom).
    pub fn matrix(&self) -> &Matrix3<f64> {
        &self.h
    }

    /// Lattice vector `i` (0 = a, 1 = b, 2 = c) as a column vector.
    ///
    /// # Panics
    /// If `i > 2`.
    pub fn vector(&self, i: usize) -> Vector3<f64> {
        self.h.row(i).transpose()
    }

    /// Periodicity per axis.
    pub fn pbc(&self) -> [bool; 3] {
        self.pbc
    }

    /// True when at least one axis is periodic.
    pub fn is_periodic(&self) -> bool {
        self.pbc.iter().any(|&p| p)
    }

    /// Signed volume det H (negative for a left-handed cell), A^3.
    pub fn signed_volume(&self) -> f64 {
        self.h.determinant()
    }

    /// Volume |det H| in A^3.
    pub fn volume(&self) -> f64 {
        self.signed_volume().abs()
    }

    /// Lengths |a|, |b|, |c| in Angstrom.
    pub fn lengths(&self) -> [f64; 3] {
        [0, 1, 2].map(|i| self.vector(i).norm())
    }

    /// Angles (alpha = b^c, beta = a^c, gamma = a^b) in degrees.
    pub fn angles_deg(&self) -> [f64; 3] {
        let [a, b, c] = [0, 1, 2].map(|i| self.vector(i));
        let ang = |u: Vector3<f64>, v: Vector3<f64>| u.angle(&v).to_degrees();
        [ang(b, c), ang(a, c), ang(a, b)]
    }

    /// Perpendicular widths: the distance between opposite faces along each axis,
    /// $$ w_a = V / |\mathbf b \times \mathbf c| \text{ (and cyclically)}, $$
    /// in Angstrom. A sphere of radius r fits in the cell without touching its own images
    /// exactly when 2r < min(w).
    pub fn perpendicular_widths(&self) -> [f64; 3] {
        let [a, b, c] = [0, 1, 2].map(|i| self.vector(i));
        let v = self.volume();
        [
            v / b.cross(&c).norm(),
            v / c.cross(&a).norm(),
            v / a.cross(&b).norm(),
        ]
    }

    /// Reciprocal vectors as rows, without the factor 2 pi: a*·a = 1, a*·b = 0, ...
    /// (the matrix H⁻ᵀ, A^-1).
    pub fn reciprocal(&self) -> Matrix3<f64> {
        self.frac
    }
}

#[cfg(test)]
mod tests;
