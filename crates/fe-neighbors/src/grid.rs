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

    /// The stencil runs along axis `a` around bin coordinate `b` (which may lie outside the
    /// grid along an open axis).
    pub fn axis_runs(&self, a: usize, b: i64) -> Vec<Run> {
        let nb = self.nb[a] as i64;
        let m = self.reach[a];
        let mut runs: Vec<Run> = Vec::new();
        if !self.pbc[a] {
            let lo = (b - m).max(0);
            let hi = (b + m).min(nb - 1);
            if lo <= hi {
                // 0 <= lo <= hi < nb <= u32::MAX bins.
                runs.push(Run {
                    lo: lo as u32,
                    hi: hi as u32,
                    q: 0,
                    d: lo - b,
                });
            }
            return runs;
        }
        for d in -m..=m {
            let x = b + d;
            let q = x.div_euclid(nb) as i32;
            let bin = x.rem_euclid(nb) as u32;
            match runs.last_mut() {
                Some(run) if run.q == q && run.hi + 1 == bin => run.hi = bin,
                _ => runs.push(Run {
                    lo: bin,
                    hi: bin,
                    q,
                    d,
                }),
            }
        }
        runs
    }

    /// The precomputed stencil runs of an in-grid bin coordinate.
    pub fn runs_of(&self, bin: [u32; 3]) -> [&[Run]; 3] {
        [0, 1, 2].map(|a| self.runs[a][bin[a] as usize].as_slice())
    }

    /// The lattice translation q H (Angstrom).
    pub fn translation(&self, q: [i32; 3]) -> [f64; 3] {
        let t = self.h.tr_mul(&Vector3::new(
            f64::from(q[0]),
            f64::from(q[1]),
            f64::from(q[2]),
        ));
        [t.x, t.y, t.z]
    }

    /// Where a wrapped point lies inside bin `bin`, in units of bins along each axis (0 to 1
    /// for points inside it).
    pub fn offset_in_bin(&self, wrapped: &[f64; 3], bin: [i64; 3]) -> [f64; 3] {
        let s = self.frac * Vector3::new(wrapped[0], wrapped[1], wrapped[2]);
        [0, 1, 2].map(|a| (s[a] - self.origin[a]) * self.inv_bw[a] - bin[a] as f64)
    }

    /// Squared lower bound (Angstrom^2) of the distance along axis `a` from a point at
    /// `offset` bins inside its bin to the bin `d` bins away (before wrapping), less the
    /// rounding tolerance.
    #[inline]
    fn gap2(&self, a: usize, offset: f64, d: i64) -> f64 {
        let g = match d.cmp(&0) {
            std::cmp::Ordering::Greater => d as f64 - offset,
            std::cmp::Ordering::Less => offset - (d + 1) as f64,
            std::cmp::Ordering::Equal => 0.0,
        };
        let len = (g * self.bin_len[a] - self.tol).max(0.0);
        len * len
    }

    /// Call `f(slot, d2, q)` for every slot within squared distance `r2` of the wrapped point
    /// `centre`, over the stencil `runs` (squared distances from wrapped positions). `offset`
    /// is [`Grid::offset_in_bin`] of the centre; in orthogonal cells it lets whole bins farther
    /// than `sqrt(r2)` be skipped. `scratch` is working memory reused between calls.
    #[inline]
    pub fn visit(
        &self,
        runs: [&[Run]; 3],
        centre: &[f64; 3],
        offset: &[f64; 3],
        r2: f64,
        scratch: &mut Scratch,
        mut f: impl FnMut(usize, f64, [i32; 3]),
    ) {
        let [nb1, nb2] = [self.nb[1], self.nb[2]];
        let prune = self.orthogonal;
        let gap2 = |a: usize, d: i64| {
            if prune {
                self.gap2(a, offset[a], d)
            } else {
                0.0
            }
        };
        for r0 in runs[0] {
            for b0 in r0.lo..=r0.hi {
                let g0 = gap2(0, r0.d + i64::from(b0 - r0.lo));
                if g0 >= r2 {
                    continue;
                }
                for r1 in runs[1] {
                    for b1 in r1.lo..=r1.hi {
                        let g01 = g0 + gap2(1, r1.d + i64::from(b1 - r1.lo));
                        if g01 >= r2 {
                            continue;
                        }
                        let base = (b0 as usize * nb1 + b1 as usize) * nb2;
                        for r2r in runs[2] {
                            // Trim the run to the bins within reach along the third axis.
                            let far = |b: u32| g01 + gap2(2, r2r.d + i64::from(b - r2r.lo)) >= r2;
                            let mut lo = r2r.lo;
                            while lo <= r2r.hi && far(lo) {
                                lo += 1;
                            }
                            if lo > r2r.hi {
                                continue;
                            }
                            let mut hi = r2r.hi;
                            while hi > lo && far(hi) {
                                hi -= 1;
                            }
                            let q = [r0.q, r1.q, r2r.q];
                            let c = if q == [0, 0, 0] {
                                *centre
                            } else {
                                let t = self.translation(q);
                                [centre[0] - t[0], centre[1] - t[1], centre[2] - t[2]]
                            };
                            let first = self.start[base + lo as usize];
                            let last = self.start[base + hi as usize + 1];
                            let xyz = [0, 1, 2].map(|a| &self.slot_xyz[a][first..last]);
                            let found = within(xyz, &c, r2, scratch);
                            for &k in &scratch.hits[..found] {
                                f(first + k as usize, scratch.d2[k as usize], q);
                            }
                        }
                    }
                }
            }
        }
    }
}

/// Working memory of [`Grid::visit`], reused between calls.
#[derive(Debug, Default)]
pub(crate) struct Scratch {
    d2: Vec<f64>,
    hits: Vec<u32>,
}

/// Squared distances of the points `xyz` (one slice per component) from `c` into
/// `scratch.d2`, and the indices of those below `r2` at the front of `scratch.hits`; returns
/// how many. Two passes: a vectorisable distance loop, then a branch-free compaction that
/// writes every index and advances only on hits.
#[inline]
fn within(xyz: [&[f64]; 3], c: &[f64; 3], r2: f64, scratch: &mut Scratch) -> usize {
    let n = xyz[0].len();
    if scratch.d2.len() < n {
        scratch.d2.resize(n, 0.0);
        scratch.hits.resize(n, 0);
    }
    let d2 = &mut scratch.d2[..n];
    for (((d, x), y), z) in d2
        .iter_mut()
        .zip(xyz[0])
        .zip(&xyz[1][..n])
        .zip(&xyz[2][..n])
    {
        let dx = x - c[0];
        let dy = y - c[1];
        let dz = z - c[2];
        *d = dx * dx + dy * dy + dz * dz;
    }
    let hits = &mut scratch.hits[..n];
    let mut found = 0;
    for (k, &d) in d2.iter().enumerate() {
        // found <= k < n == hits.len(); a bin run holds fewer than 2^32 atoms.
        hits[found] = k as u32;
        found += usize::from(d < r2);
    }
    found
}

/// The wrapped position of slot `k`.
impl Grid {
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
