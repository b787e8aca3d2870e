//! Operations on cells: wrapping, minimum images and homogeneous deformation.

use nalgebra::{Matrix3, Vector3};

use super::Cell;
use crate::error::Result;

impl Cell {
    /// The position moved by lattice vectors of the periodic axes so that its fractional
    /// coordinates along them lie in [0, 1); open axes are left alone.
    pub fn wrap(&self, r: &Vector3<f64>) -> Vector3<f64> {
        let mut s = self.to_fractional(r);
        let mut moved = false;
        for a in 0..3 {
            if self.pbc[a] {
                let f = s[a].floor();
                if f != 0.0 {
                    s[a] -= f;
                    moved = true;
                }
                // s - floor(s) rounds to 1.0 for tiny negative s.
                if s[a] >= 1.0 {
                    s[a] = 0.0;
                    moved = true;
                }
            }
        }
        if moved {
            self.to_cartesian(&s)
        } else {
            *r
        }
    }

    /// The shortest vector equivalent to `d` under the periodic lattice translations
    /// (the minimum image), correct for any cell shape, strongly sheared ones included: the
    /// periodic rows are Minkowski-reduced once at construction and the 27 images around the
    /// rounded fractional difference are compared. Ties are broken towards the first image
    /// found. Open axes never wrap.
    pub fn minimum_image(&self, d: &Vector3<f64>) -> Vector3<f64> {
        let mut s = self.reduced_frac * d;
        for a in 0..3 {
            if self.pbc[a] {
                s[a] -= s[a].round();
            }
        }
        let base = self.reduced.tr_mul(&s);
        let range = |a: usize| if self.pbc[a] { -1..=1 } else { 0..=0 };
        let rows = [0, 1, 2].map(|i| self.reduced.row(i).transpose());
        let mut best = base;
        let mut best_n2 = base.norm_squared();
        for i in range(0) {
            for j in range(1) {
                for k in range(2) {
                    if i == 0 && j == 0 && k == 0 {
                        continue;
                    }
                    let cand = base
                        + f64::from(i) * rows[0]
                        + f64::from(j) * rows[1]
                        + f64::from(k) * rows[2];
                    let n2 = cand.norm_squared();
                    if n2 < best_n2 {
                        best = cand;
                        best_n2 = n2;
                    }
                }
            }
        }
        best
    }

    /// Minimum-image distance between two positions (Angstrom).
    pub fn distance(&self, r1: &Vector3<f64>, r2: &Vector3<f64>) -> f64 {
        self.minimum_image(&(r2 - r1)).norm()
    }

    /// The cell after the homogeneous deformation r -> F r: rows H become H Fᵀ.
    ///
    /// # Errors
    /// As [`Cell::new`] when F is singular or non-finite.
    pub fn deformed(&self, f: &Matrix3<f64>) -> Result<Cell> {
        Cell::new(self.h * f.transpose(), self.pbc)
    }

    /// The cell after the small strain eps: F = I + eps.
    ///
    /// # Errors
    /// As [`Cell::deformed`].
    pub fn strained(&self, eps: &Matrix3<f64>) -> Result<Cell> {
        self.deformed(&(Matrix3::identity() + eps))
    }

    /// The deformation gradient F with `other = self` deformed by F, i.e. Hᵀ_other = F Hᵀ_self.
    pub fn deformation_to(&self, other: &Cell) -> Matrix3<f64> {
        other.h.transpose() * self.frac
    }
}
