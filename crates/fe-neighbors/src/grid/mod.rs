//! The cell list shared by the neighbour-list builder, the point locator and the close-pair
//! remover.
//!
//! Atoms are binned in fractional coordinates. Along a periodic axis each atom is first moved
//! into the cell by an integer image `n` (its *wrapped* position is `r - n H`), and the unit
//! interval is cut into `nb` bins; along an open axis the bins cover the fractional extent of
//! the positions. Bins are about half the cutoff wide along the perpendicular width of their
//! axis (at least `cutoff * (1 + 2e-9) / 2`, as LAMMPS' default binning), so two points
//! closer than the cutoff lie at most `reach = 2` bins apart: a 5 x 5 x 5 stencil, which visits
//! about half the candidates of 27 cutoff-wide bins. When the cutoff exceeds a periodic width,
//! the stencil reaches `ceil(cutoff / bin width)` bins and wraps several times, and each wrap
//! is a distinct image `q`. A candidate in bin slot `k` found through image `q` of a centre
//! with image `n_i` has the shift `S = q + n_i - n_j`.

use fe_structure::Cell;
use nalgebra::{Matrix3, Vector3};
use rayon::prelude::*;

use crate::error::{NeighborError, Result};

mod search;

pub(crate) use search::Scratch;

/// The stencil covers this much (relatively) more than the cutoff, so that rounding in the
/// bin assignment can never hide a neighbour one bin further out.
const WIDTH_MARGIN: f64 = 1e-9;

/// Largest fractional coordinate (in cells) accepted before image indices become unusable.
const MAX_CELLS: f64 = 1e8;

/// Largest stencil reach (bins on each side) accepted: beyond it the search would enumerate an
/// absurd number of images.
const MAX_REACH: i64 = 1000;

/// Atoms per task in the parallel passes (fixed, so results never depend on the thread count).
pub(crate) const CHUNK: usize = 1024;

/// A run of consecutive bins along one axis reached through one image `q`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Run {
    /// First bin (inclusive).
    pub lo: u32,
    /// Last bin (inclusive).
    pub hi: u32,
    /// Image along this axis, in lattice vectors.
    pub q: i32,
    /// Offset in bins of `lo` from the centre's bin, before wrapping.
    pub d: i64,
}

/// Binned atoms. See the module documentation.
#[derive(Debug)]
pub(crate) struct Grid {
    h: Matrix3<f64>,
    frac: Matrix3<f64>,
    pbc: [bool; 3],
    nb: [usize; 3],
    /// Fractional coordinate where bin 0 starts (0 along periodic axes).
    origin: [f64; 3],
    /// Bins per unit of fractional coordinate.
    inv_bw: [f64; 3],
    /// How many bins the stencil reaches on each side.
    reach: [i64; 3],
    /// Slot range of every bin (`start[b]..start[b + 1]`).
    start: Vec<usize>,
    /// Wrapped Cartesian positions in bin order, one array per component (vectorisable).
    slot_xyz: [Vec<f64>; 3],
    /// Atom index of every slot.
    pub slot_atom: Vec<u32>,
    /// Image `n` of every slot's atom (`r = wrapped + n H`).
    pub slot_image: Vec<[i32; 3]>,
    /// Slot of every atom.
    pub atom_slot: Vec<u32>,
    /// Bin coordinates of every atom.
    pub atom_bin: Vec<[u32; 3]>,
    /// Bin width along each axis (Angstrom).
    bin_len: [f64; 3],
    /// True when the lattice vectors are mutually orthogonal: then the perpendicular gaps to a
    /// bin along the three axes add in squares, and bins beyond the cutoff are skipped.
    orthogonal: bool,
    /// Runs of the stencil around every bin coordinate, per axis.
    runs: [Vec<Vec<Run>>; 3],
    /// Absolute distance tolerance (Angstrom) below which wrapped and exact distances may
    /// differ; candidates that close to the cutoff are re-checked exactly.
    pub tol: f64,
}

/// Position of a point in the grid: image, bin coordinates (possibly outside the grid along
/// open axes) and wrapped Cartesian position.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Placed {
    pub image: [i32; 3],
    pub bin: [i64; 3],
    pub wrapped: [f64; 3],
}

impl Grid {
    /// Bin `positions` in `cell` for neighbour searches up to `cutoff` (Angstrom, already
    /// validated as finite and positive).
    pub fn new(cell: &Cell, positions: &[Vector3<f64>], cutoff: f64) -> Result<Grid> {
        let n = positions.len();
        if u32::try_from(n).is_err() {
            return Err(NeighborError::TooManyAtoms { n });
        }
        if let Some(i) = positions
            .iter()
            .position(|p| !p.iter().all(|x| x.is_finite()))
        {
            return Err(NeighborError::NonFinite {
                what: format!("position of atom {i}"),
            });
        }
        let h = *cell.matrix();
        let frac = cell.reciprocal();
        let pbc = cell.pbc();
        let widths = cell.perpendicular_widths();
        let fr: Vec<Vector3<f64>> = positions.par_iter().map(|r| frac * r).collect();
        let (lo, hi) = extent(&fr);
        let wide = cutoff * (1.0 + WIDTH_MARGIN);
        // Target bin width: half the cutoff (a 5 x 5 x 5 stencil), with twice the margin so the
        // reach below stays 2 despite rounding.
        let target = 0.5 * cutoff * (1.0 + 2.0 * WIDTH_MARGIN);
        let mut nb = [1_usize; 3];
        let mut origin = [0.0; 3];
        let mut span = [1.0; 3];
        for a in 0..3 {
            if pbc[a] {
                nb[a] = bins_along(widths[a], target);
            } else {
                // Bins cover the extent of the positions, and are never narrower than `wide`.
                origin[a] = lo[a];
                span[a] = (hi[a] - lo[a]).max(wide / widths[a]);
                nb[a] = bins_along(span[a] * widths[a], target);
            }
        }
        limit_bins(&mut nb, n);
        let mut inv_bw = [0.0; 3];
        let mut reach = [1_i64; 3];
        for (a, &nba) in nb.iter().enumerate() {
            inv_bw[a] = nba as f64 / span[a];
            // Perpendicular bin width span * w / nb; the stencil must cover `wide`.
            let bin_width = span[a] * widths[a] / nba as f64;
            let r = (wide / bin_width).ceil();
            if r.is_nan() || r > MAX_REACH as f64 {
                return Err(NeighborError::TooManyImages {
                    cutoff,
                    axis: a,
                    width: widths[a],
                });
            }
            reach[a] = (r as i64).max(1);
        }
        let mut grid = Grid {
            h,
            frac,
            pbc,
            nb,
            origin,
            inv_bw,
            reach,
            start: Vec::new(),
            slot_xyz: [Vec::new(), Vec::new(), Vec::new()],
            slot_atom: Vec::new(),
            slot_image: Vec::new(),
            atom_slot: Vec::new(),
            atom_bin: Vec::new(),
            bin_len: [0, 1, 2].map(|a| span[a] * widths[a] / nb[a] as f64),
            orthogonal: is_orthogonal(&h),
            runs: [Vec::new(), Vec::new(), Vec::new()],
            tol: 0.0,
        };
        let placed = fr
            .par_iter()
            .zip(positions.par_iter())
            .enumerate()
            .map(|(i, (s, r))| grid.place_fractional(s, r, || format!("atom {i}")))
            .collect::<Vec<Result<Placed>>>()
            .into_iter()
            // Sequentially, so the first failing atom is reported whatever the thread count.
            .collect::<Result<Vec<Placed>>>()?;
        grid.fill(&placed);
        grid.runs = [0, 1, 2].map(|a| (0..nb[a] as i64).map(|b| grid.axis_runs(a, b)).collect());
        grid.tol = tolerance(&h, positions, &grid.slot_image, reach);
        Ok(grid)
    }

    /// Counting sort of the placed atoms into bins (atoms keep index order inside a bin).
    fn fill(&mut self, placed: &[Placed]) {
        let n = placed.len();
        let nbins = self.nb[0] * self.nb[1] * self.nb[2];
        let bin_of = |p: &Placed| {
            // Atoms always lie inside the grid (bins clamped in `place_fractional`).
            let b = p.bin.map(|x| x as usize);
            (b[0] * self.nb[1] + b[1]) * self.nb[2] + b[2]
        };
        let mut start = vec![0_usize; nbins + 1];
        for p in placed {
            start[bin_of(p) + 1] += 1;
        }
        for b in 0..nbins {
            start[b + 1] += start[b];
        }
        let mut next = start.clone();
        let mut slot_xyz = [vec![0.0; n], vec![0.0; n], vec![0.0; n]];
        let mut slot_atom = vec![0_u32; n];
        let mut slot_image = vec![[0_i32; 3]; n];
        let mut atom_slot = vec![0_u32; n];
        let mut atom_bin = vec![[0_u32; 3]; n];
        for (i, p) in placed.iter().enumerate() {
            let b = bin_of(p);
            let k = next[b];
            next[b] += 1;
            for (component, x) in slot_xyz.iter_mut().zip(p.wrapped) {
                component[k] = x;
            }
            // n < 2^32 was checked in `new`.
            slot_atom[k] = i as u32;
            slot_image[k] = p.image;
            atom_slot[i] = k as u32;
            atom_bin[i] = p.bin.map(|x| x as u32);
        }
        self.start = start;
        self.slot_xyz = slot_xyz;
        self.slot_atom = slot_atom;
        self.slot_image = slot_image;
        self.atom_slot = atom_slot;
        self.atom_bin = atom_bin;
    }

    /// Place a Cartesian point (an atom or a query point). Bins along open axes are clamped
    /// into the grid for atoms (`clamp`), left unclamped for query points.
    pub fn place(&self, r: &Vector3<f64>, what: impl Fn() -> String) -> Result<Placed> {
        let s = self.frac * r;
        let mut p = self.place_fractional(&s, r, what)?;
        for a in 0..3 {
            if !self.pbc[a] {
                let b = ((s[a] - self.origin[a]) * self.inv_bw[a]).floor();
                // Far away along an open axis: any bin beyond the stencil's reach is the same.
                let far = (self.nb[a] as i64 + self.reach[a] + 1) as f64;
                p.bin[a] = b.clamp(-far, far) as i64;
            }
        }
        Ok(p)
    }

    fn place_fractional(
        &self,
        s: &Vector3<f64>,
        r: &Vector3<f64>,
        what: impl Fn() -> String,
    ) -> Result<Placed> {
        let mut image = [0_i32; 3];
        let mut bin = [0_i64; 3];
        let mut shifted = false;
        for a in 0..3 {
            let mut x = s[a];
            if self.pbc[a] {
                let f = x.floor();
                if f.abs() > MAX_CELLS {
                    return Err(NeighborError::FarOutside {
                        what: what(),
                        axis: a,
                        cells: f,
                    });
                }
                // |f| <= 1e8 fits in i32.
                image[a] = f as i32;
                shifted |= image[a] != 0;
                x -= f;
            } else {
                x -= self.origin[a];
            }
            let b = (x * self.inv_bw[a]).floor().max(0.0) as i64;
            bin[a] = b.min(self.nb[a] as i64 - 1);
        }
        let wrapped = if shifted {
            let n = Vector3::new(
                f64::from(image[0]),
                f64::from(image[1]),
                f64::from(image[2]),
            );
            r - self.h.tr_mul(&n)
        } else {
            *r
        };
        Ok(Placed {
            image,
            bin,
            wrapped: [wrapped.x, wrapped.y, wrapped.z],
        })
    }

    /// The wrapped position of slot `k` (Angstrom).
    pub fn slot_position(&self, k: usize) -> [f64; 3] {
        [
            self.slot_xyz[0][k],
            self.slot_xyz[1][k],
            self.slot_xyz[2][k],
        ]
    }
}

/// True when the rows of `h` are mutually orthogonal (to 1e-12 relative).
fn is_orthogonal(h: &Matrix3<f64>) -> bool {
    let rows = [0, 1, 2].map(|i| h.row(i).transpose());
    [(0, 1), (0, 2), (1, 2)]
        .iter()
        .all(|&(i, j)| rows[i].dot(&rows[j]).abs() <= 1e-12 * rows[i].norm() * rows[j].norm())
}

/// Smallest and largest fractional coordinate along each axis (zeros when empty).
fn extent(fr: &[Vector3<f64>]) -> ([f64; 3], [f64; 3]) {
    if fr.is_empty() {
        return ([0.0; 3], [0.0; 3]);
    }
    let mut lo = [f64::INFINITY; 3];
    let mut hi = [f64::NEG_INFINITY; 3];
    for s in fr {
        for a in 0..3 {
            lo[a] = lo[a].min(s[a]);
            hi[a] = hi[a].max(s[a]);
        }
    }
    (lo, hi)
}

/// Number of bins at least `wide` across in a slab `width` thick (at least one).
fn bins_along(width: f64, wide: f64) -> usize {
    let nb = (width / wide).floor();
    if nb >= 1.0 {
        nb.min(1e6) as usize
    } else {
        1
    }
}

/// Halve the finest axis until there are at most about two bins per atom (sparse systems with
/// small cutoffs would otherwise allocate far more bins than atoms). Wider bins stay correct.
fn limit_bins(nb: &mut [usize; 3], n: usize) {
    let limit = 2 * n + 64;
    while nb[0] * nb[1] * nb[2] > limit {
        let a = (0..3).max_by_key(|&a| nb[a]).unwrap_or(0);
        nb[a] = (nb[a] / 2).max(1);
    }
}

/// Distance tolerance for the exact re-check: a generous multiple of the rounding error of
/// wrapped coordinates, which scales with the largest coordinate involved.
fn tolerance(
    h: &Matrix3<f64>,
    positions: &[Vector3<f64>],
    images: &[[i32; 3]],
    reach: [i64; 3],
) -> f64 {
    let rmax = positions.iter().map(|r| r.amax()).fold(0.0, f64::max);
    let nmax = images
        .iter()
        .flat_map(|n| n.iter().map(|x| x.unsigned_abs()))
        .max()
        .unwrap_or(0);
    let hmax = h.row_iter().map(|r| r.abs().sum()).fold(0.0, f64::max);
    let qmax = reach.iter().copied().max().unwrap_or(1) as f64;
    let scale = rmax + (f64::from(nmax) + qmax + 1.0) * hmax;
    1e-12 * scale.max(1.0)
}
