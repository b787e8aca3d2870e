//! Filling one grain cell with its rotated lattice, row by row (METHODS.md 1.2, step 4).

use fe_structure::Cell;
use nalgebra::{Matrix3, Vector3};

use crate::grains::{images_in_shell, owns_tie, GrainCell};

/// Relative tolerance of the bisector test: a point with
/// $|\mathbf y\cdot\mathbf r - \tfrac12|\mathbf r|^2| \le 10^{-10}|\mathbf r|^2$ lies on the
/// plane, and the tie goes to the lower (grain, shift) key.
const TIE_RELATIVE: f64 = 1e-10;

/// A conventional lattice cell: rows `conv` (Angstrom) and the basis in its fractional
/// coordinates.
#[derive(Debug, Clone)]
pub(crate) struct LatticeCell {
    pub conv: Matrix3<f64>,
    pub basis: Vec<Vector3<f64>>,
}

/// One bisector plane of a grain, in the lattice coordinates of that grain: a lattice point
/// $\mathbf u$ (conventional-cell fractional coordinates) lies inside when
/// $\mathbf u\cdot\mathbf w < h$ (or within the tie tolerance, when the grain owns the tie).
#[derive(Debug, Clone, Copy)]
struct Plane {
    /// $\mathbf w = C R^\mathsf{T} \mathbf r$.
    w: Vector3<f64>,
    /// $h = \tfrac12|\mathbf r|^2$.
    h: f64,
    /// Tie tolerance $10^{-10}|\mathbf r|^2$.
    tol: f64,
    /// Whether this grain owns points on the plane.
    owner: bool,
    /// $1/|\mathbf r|$, to turn $h - \mathbf u\cdot\mathbf w$ into a distance.
    inv_norm: f64,
}

/// Everything needed to fill one grain.
#[derive(Debug, Clone)]
pub(crate) struct GrainFill {
    seed: Vector3<f64>,
    /// $R\,C^\mathsf{T}$: lattice coordinates to box-frame offsets from the seed.
    to_box: Matrix3<f64>,
    planes: Vec<Plane>,
    basis: Vec<Vector3<f64>>,
    /// Inclusive index ranges of the conventional cells to scan.
    lo: [i64; 3],
    hi: [i64; 3],
    /// Atoms closer than this to a bisector plane are flagged (Angstrom).
    flag_distance: f64,
}

/// The atoms of one slab i0 of a grain: wrapped positions and near-boundary flags.
#[derive(Debug, Default)]
pub(crate) struct Slab {
    pub positions: Vec<Vector3<f64>>,
    pub near: Vec<bool>,
}

impl GrainFill {
    /// Prepare grain g of the tessellation of `seeds` in `cell`; `rotation` is the grain's
    /// rotation (columns: crystal axes in the box frame).
    pub(crate) fn new(
        cell: &Cell,
        seeds: &[Vector3<f64>],
        grain: &GrainCell,
        g: usize,
        lattice: &LatticeCell,
        rotation: &Matrix3<f64>,
        flag_distance: f64,
    ) -> GrainFill {
        let seed = grain.seed;
        let (conv, basis) = (&lattice.conv, &lattice.basis);
        let ct = conv.transpose();
        let to_box = rotation * ct;
        let cr = conv * rotation.transpose();
        // Every bisector that reaches the cell (a face, or one touching it at a vertex or an
        // edge), so that ties on degenerate vertices are settled as everywhere else.
        let reach = 2.0 * grain.radius * (1.0 + 1e-9) + 1e-9;
        let planes = images_in_shell(cell, seeds, g, 0.0, reach)
            .into_iter()
            .filter(|im| {
                let h = 0.5 * im.r2;
                let tol = TIE_RELATIVE * im.r2;
                grain
                    .vertices
                    .iter()
                    .any(|v| (v - seed).dot(&im.r) >= h - tol)
            })
            .map(|im| Plane {
                w: cr * im.r,
                h: 0.5 * im.r2,
                tol: TIE_RELATIVE * im.r2,
                owner: owns_tie(g, im.grain, im.shift),
                inv_norm: 1.0 / im.r2.sqrt(),
            })
            .collect();
        // Bounding box of the cell in lattice coordinates, widened by the basis and one cell.
        let to_lattice = to_box.try_inverse().unwrap_or_else(Matrix3::zeros);
        let mut smin = Vector3::repeat(f64::INFINITY);
        let mut smax = Vector3::repeat(f64::NEG_INFINITY);
        for v in &grain.vertices {
            let s = to_lattice * (v - seed);
            smin = smin.inf(&s);
            smax = smax.sup(&s);
        }
        let fmin = basis
            .iter()
            .fold(Vector3::repeat(f64::INFINITY), |m, f| m.inf(f));
        let fmax = basis
            .iter()
            .fold(Vector3::repeat(f64::NEG_INFINITY), |m, f| m.sup(f));
        let lo = [0, 1, 2].map(|k| (smin[k] - fmax[k]).floor() as i64 - 1);
        let hi = [0, 1, 2].map(|k| (smax[k] - fmin[k]).ceil() as i64 + 1);
        GrainFill {
            seed,
            to_box,
            planes,
            basis: basis.to_vec(),
            lo,
            hi,
            flag_distance,
        }
    }

    /// The range of slab indices i0.
    pub(crate) fn slabs(&self) -> std::ops::RangeInclusive<i64> {
        self.lo[0]..=self.hi[0]
    }

    /// Whether lattice point `u` belongs to this grain, and whether it lies closer than the
    /// flag distance to a bisector plane.
    fn classify(&self, u: &Vector3<f64>) -> Option<bool> {
        let mut near = false;
        for p in &self.planes {
            let d = u.dot(&p.w) - p.h;
            if d > p.tol || (d >= -p.tol && !p.owner) {
                return None;
            }
            near |= -d * p.inv_norm < self.flag_distance;
        }
        Some(near)
    }

    /// The atoms of slab i0, ordered by (i1, i2, basis atom), wrapped into `cell`.
    ///
    /// Along each lattice row the planes give, in closed form, the index range that can lie in
    /// the cell (widened by one index) and the range that lies farther than the flag distance
    /// from every plane (narrowed by one index). Points of the second range are kept without a
    /// test (they are strictly inside: no tie is possible); the others, near the boundary or
    /// at the row ends, get the exact test of [`GrainFill::classify`].
    pub(crate) fn fill_slab(&self, cell: &Cell, i0: i64) -> Slab {
        let mut out = Slab::default();
        let mut ranges: Vec<[i64; 4]> = Vec::with_capacity(self.basis.len());
        for i1 in self.lo[1]..=self.hi[1] {
            ranges.clear();
            let (mut lo_all, mut hi_all) = (i64::MAX, i64::MIN);
            for f in &self.basis {
                let (u0, u1) = (i0 as f64 + f.x, i1 as f64 + f.y);
                let (lo, hi) = self.row_range(u0, u1, f.z, false);
                let (far_lo, far_hi) = self.row_range(u0, u1, f.z, true);
                ranges.push([lo, hi, far_lo, far_hi]);
                lo_all = lo_all.min(lo);
                hi_all = hi_all.max(hi);
            }
            for i2 in lo_all..=hi_all {
                for (f, &[lo, hi, far_lo, far_hi]) in self.basis.iter().zip(&ranges) {
                    if i2 < lo || i2 > hi {
                        continue;
                    }
                    let u = Vector3::new(i0 as f64, i1 as f64, i2 as f64) + f;
                    let near = if far_lo <= i2 && i2 <= far_hi {
                        Some(false)
                    } else {
                        self.classify(&u)
                    };
                    if let Some(near) = near {
                        out.positions
                            .push(cell.wrap(&(self.seed + self.to_box * u)));
                        out.near.push(near);
                    }
                }
            }
        }
        out
    }

    /// The range of i2 (inclusive) for the row $\mathbf u = (u_0, u_1, i_2 + f_2)$: with
    /// `far` false, where the row can satisfy every plane ($\mathbf u\cdot\mathbf w \le h +$
    /// tol), widened by one index; with `far` true, where it lies at least the flag distance
    /// inside every plane ($\mathbf u\cdot\mathbf w \le h - d|\mathbf r|$), narrowed by one
    /// index. Empty as (1, 0).
    fn row_range(&self, u0: f64, u1: f64, f2: f64, far: bool) -> (i64, i64) {
        let (mut lo, mut hi) = (self.lo[2] as f64, self.hi[2] as f64);
        let pad = if far { -1.0 } else { 1.0 };
        for p in &self.planes {
            let limit = if far {
                p.h - self.flag_distance / p.inv_norm
            } else {
                p.h + p.tol
            };
            // u0 w0 + u1 w1 + (i2 + f2) w2 <= limit
            let rest = limit - u0 * p.w.x - u1 * p.w.y - f2 * p.w.z;
            let scale = p.w.norm();
            if p.w.z.abs() <= 1e-14 * scale {
                // The row runs parallel to the plane; when far, stay clear of rounding.
                let margin = if far { 1e-9 * p.h } else { 0.0 };
                if rest < margin {
                    return (1, 0);
                }
            } else if p.w.z > 0.0 {
                hi = hi.min((rest / p.w.z).floor() + pad);
            } else {
                lo = lo.max((rest / p.w.z).ceil() - pad);
            }
            if lo > hi {
                return (1, 0);
            }
        }
        (lo as i64, hi as i64)
    }
}
