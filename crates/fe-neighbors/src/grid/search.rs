//! Searching the grid: stencil runs around a bin, skipping far bins, and the distance filter.

use std::cmp::Ordering;

use nalgebra::Vector3;

use super::{Grid, Run};

impl Grid {
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
            Ordering::Greater => d as f64 - offset,
            Ordering::Less => offset - (d + 1) as f64,
            Ordering::Equal => 0.0,
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
