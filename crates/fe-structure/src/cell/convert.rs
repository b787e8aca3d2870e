//! Fractional and Cartesian coordinates, and LAMMPS' restricted triclinic form.

use nalgebra::{Matrix3, Vector3};

use super::Cell;
use crate::error::{Result, StructureError};

impl Cell {
    /// Fractional coordinates s = r H⁻¹ of a Cartesian position (Angstrom).
    pub fn to_fractional(&self, r: &Vector3<f64>) -> Vector3<f64> {
        self.frac * r
    }

    /// Cartesian position r = s H (Angstrom) of fractional coordinates.
    pub fn to_cartesian(&self, s: &Vector3<f64>) -> Vector3<f64> {
        self.h.tr_mul(s)
    }
}

/// A box in LAMMPS' restricted triclinic form: a = (lx, 0, 0), b = (xy, ly, 0),
/// c = (xz, yz, lz), with lx, ly, lz > 0, placed at the origin `lo` (Angstrom).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LammpsBox {
    /// Lower corner (xlo, ylo, zlo).
    pub lo: Vector3<f64>,
    /// Edge lengths lx, ly, lz.
    pub lengths: Vector3<f64>,
    /// Tilt factors xy, xz, yz.
    pub xy: f64,
    /// Tilt factor xz.
    pub xz: f64,
    /// Tilt factor yz.
    pub yz: f64,
}

impl LammpsBox {
    /// The LAMMPS box from a dump's or data file's bounds: `lo`/`hi` are the box corners in
    /// the `xlo xhi` sense (not the `xlo_bound` of dumps; see [`LammpsBox::from_dump_bounds`]).
    pub fn from_lo_hi(lo: Vector3<f64>, hi: Vector3<f64>, xy: f64, xz: f64, yz: f64) -> Self {
        LammpsBox {
            lo,
            lengths: hi - lo,
            xy,
            xz,
            yz,
        }
    }

    /// The LAMMPS box from the `ITEM: BOX BOUNDS xy xz yz` lines of a dump, whose x and y
    /// bounds are the bounding box of the tilted cell:
    /// xlo = xlo_bound - min(0, xy, xz, xy + xz), xhi = xhi_bound - max(0, xy, xz, xy + xz),
    /// ylo = ylo_bound - min(0, yz), yhi = yhi_bound - max(0, yz).
    pub fn from_dump_bounds(
        lo_bound: Vector3<f64>,
        hi_bound: Vector3<f64>,
        xy: f64,
        xz: f64,
        yz: f64,
    ) -> Self {
        let xs = [0.0, xy, xz, xy + xz];
        let xmin = xs.iter().copied().fold(f64::INFINITY, f64::min);
        let xmax = xs.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let lo = Vector3::new(lo_bound.x - xmin, lo_bound.y - yz.min(0.0), lo_bound.z);
        let hi = Vector3::new(hi_bound.x - xmax, hi_bound.y - yz.max(0.0), hi_bound.z);
        LammpsBox::from_lo_hi(lo, hi, xy, xz, yz)
    }

    /// The dump bounds (`xlo_bound xhi_bound`, ...) of this box, the inverse of
    /// [`LammpsBox::from_dump_bounds`].
    pub fn dump_bounds(&self) -> (Vector3<f64>, Vector3<f64>) {
        let xs = [0.0, self.xy, self.xz, self.xy + self.xz];
        let xmin = xs.iter().copied().fold(f64::INFINITY, f64::min);
        let xmax = xs.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let hi = self.lo + self.lengths;
        (
            Vector3::new(self.lo.x + xmin, self.lo.y + self.yz.min(0.0), self.lo.z),
            Vector3::new(hi.x + xmax, hi.y + self.yz.max(0.0), hi.z),
        )
    }

    /// The lattice matrix (rows a, b, c) of this box.
    pub fn matrix(&self) -> Matrix3<f64> {
        let l = self.lengths;
        Matrix3::new(l.x, 0.0, 0.0, self.xy, l.y, 0.0, self.xz, self.yz, l.z)
    }

    /// True when any tilt factor is non-zero.
    pub fn is_triclinic(&self) -> bool {
        self.xy != 0.0 || self.xz != 0.0 || self.yz != 0.0
    }
}

impl Cell {
    /// The LAMMPS restricted-triclinic form of this cell and the rotation that takes Cartesian
    /// positions into it (`r_lammps = R r`):
    /// $$ l_x = |\mathbf a|,\ xy = \mathbf b\cdot\hat{\mathbf a},\
    ///    l_y = |\hat{\mathbf a}\times\mathbf b|,\ xz = \mathbf c\cdot\hat{\mathbf a},\
    ///    yz = \frac{\mathbf b\cdot\mathbf c - xy\,xz}{l_y},\
    ///    l_z = \sqrt{|\mathbf c|^2 - xz^2 - yz^2}. $$
    /// The box origin `lo` is zero. A cell already in the restricted form gives exactly its own
    /// numbers and R = I.
    ///
    /// # Errors
    /// [`StructureError::Invalid`] for a left-handed cell (det H < 0), which LAMMPS cannot hold
    /// without a reflection; reorder its vectors first.
    pub fn to_lammps(&self) -> Result<(LammpsBox, Matrix3<f64>)> {
        if self.signed_volume() <= 0.0 {
            return Err(StructureError::Invalid(
                "LAMMPS needs a right-handed cell (det H > 0); reorder or negate a lattice vector"
                    .into(),
            ));
        }
        let h = &self.h;
        let restricted = h[(0, 1)] == 0.0 && h[(0, 2)] == 0.0 && h[(1, 2)] == 0.0;
        if restricted && h[(0, 0)] > 0.0 && h[(1, 1)] > 0.0 && h[(2, 2)] > 0.0 {
            let b = LammpsBox {
                lo: Vector3::zeros(),
                lengths: Vector3::new(h[(0, 0)], h[(1, 1)], h[(2, 2)]),
                xy: h[(1, 0)],
                xz: h[(2, 0)],
                yz: h[(2, 1)],
            };
            return Ok((b, Matrix3::identity()));
        }
        let [a, b, c] = [0, 1, 2].map(|i| self.vector(i));
        let lx = a.norm();
        let ahat = a / lx;
        let xy = b.dot(&ahat);
        let ly = ahat.cross(&b).norm();
        let xz = c.dot(&ahat);
        let yz = (b.dot(&c) - xy * xz) / ly;
        let lz = (c.norm_squared() - xz * xz - yz * yz).max(0.0).sqrt();
        let lbox = LammpsBox {
            lo: Vector3::zeros(),
            lengths: Vector3::new(lx, ly, lz),
            xy,
            xz,
            yz,
        };
        // R maps H's rows onto the restricted rows: Hᵀ_new = R Hᵀ, so R = Hᵀ_new (Hᵀ)⁻¹.
        let rotation = lbox.matrix().transpose() * self.frac;
        Ok((lbox, rotation))
    }

    /// The cell of a LAMMPS box, periodic where `pbc` says (the box origin is not part of a
    /// cell; positions keep their absolute coordinates).
    ///
    /// # Errors
    /// As [`Cell::new`].
    pub fn from_lammps(lbox: &LammpsBox, pbc: [bool; 3]) -> Result<Cell> {
        Cell::new(lbox.matrix(), pbc)
    }
}
