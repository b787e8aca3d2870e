//! The MEAM kernel: three passes over a full neighbour list built at
//! $\sqrt{e_b}\,r_c$ (so that every screening atom of a pair is in the row of either atom).
//!
//! 1. per atom, the row entries within the screening range ([`RowGeometry`]); for every pair
//!    within r_c that the atom owns (the atom with the smaller (index, image) key) and that
//!    is not fully screened: $S_{ij}$, $s_{ij} = S_{ij} f_c$, the distance, the pair function
//!    and both atomic densities, kept as a [`Pair`]; the other entries within r_c are noted
//!    for the next pass;
//! 2. partial densities of every atom from its own pairs and, through a search in the
//!    owner's pairs, from the pairs it does not own; its embedding energy and derivative
//!    coefficients ([`super::density::embed`]) and its share of the pair energy;
//! 3. per owned pair: the density and pair forces, and the screening forces on i, j and
//!    every screening atom k; the force on i is summed per atom, the others are listed per
//!    chunk and added in chunk order.
//!
//! Work is cut in chunks of a fixed number of atoms and partial sums are added in chunk order,
//! so results are bit-identical for any number of threads. The per-chunk buffers are kept
//! between calls ([`Scratch`]).

use std::sync::Mutex;

use fe_neighbors::NeighborList;
use nalgebra::{Matrix3, Vector3};
use rayon::prelude::*;

use super::density::{embed, Coef, Sums};
use super::funcs::{dfcut, fcut};
use super::screening::{screening_forces, Screener};
use super::Meam;
use crate::error::{PotentialError, Result};
use crate::potential::{check_list, BoundAtoms, Request, Results};

/// Atoms per parallel task.
const CHUNK: usize = 128;
/// Closest distance accepted (A).
const R_MIN: f64 = 1e-4;
/// Screening factors below this are zero (LAMMPS' threshold).
const S_ZERO: f64 = 1e-20;

/// The sortable key of an entry, as the neighbour list orders its rows.
#[inline]
fn key(j: u32, s: [i8; 3]) -> u64 {
    (u64::from(j) << 24)
        | (u64::from((i16::from(s[0]) + 128) as u8) << 16)
        | (u64::from((i16::from(s[1]) + 128) as u8) << 8)
        | u64::from((i16::from(s[2]) + 128) as u8)
}

/// Whether the row of i owns its entry (j, S): j > i, or j = i with S > 0 lexicographically.
#[inline]
fn owns(i: usize, j: u32, s: [i8; 3]) -> bool {
    let j = j as usize;
    j > i || (j == i && s > [0, 0, 0])
}

/// One entry of a [`RowGeometry`] before sorting: displacement, squared length, neighbour,
/// image shift and bucket.
type Entry = ([f64; 3], f64, u32, [i8; 3], u8);

/// Buckets of squared distance in a [`RowGeometry`].
const BUCKETS: usize = 16;

/// The entries of one row within the screening range ($r^2 \le e_b r_c^2$: farther list
/// entries neither interact nor screen): displacements r_j + S H - r_i, squared lengths,
/// neighbour indices, image shifts and species, ordered by buckets of $r^2$ (list order within
/// a bucket) so that the search for the screening atoms of a pair stops at its range.
#[derive(Debug, Default)]
pub(super) struct RowGeometry {
    /// Number of entries (the vectors may be longer).
    pub(super) n: usize,
    pub(super) d: Vec<[f64; 3]>,
    pub(super) r2: Vec<f64>,
    pub(super) nb: Vec<u32>,
    pub(super) sh: Vec<[i8; 3]>,
    pub(super) sp: Vec<u16>,
    /// The position of each entry, in list order.
    pub(super) order: Vec<u32>,
    /// End of each bucket.
    end: [usize; BUCKETS],
    /// Buckets per unit of r^2.
    scale: f64,
    /// The entries in list order before sorting.
    tmp: Vec<Entry>,
}

impl RowGeometry {
    /// The bucket of a squared distance.
    #[inline(always)]
    fn bucket(&self, r2: f64) -> usize {
        ((r2 * self.scale) as usize).min(BUCKETS - 1)
    }

    /// The number of leading entries that hold every entry with $r^2 \le$ `r2`.
    #[inline(always)]
    pub(super) fn within(&self, r2: f64) -> usize {
        self.end[self.bucket(r2)]
    }

    /// The entries of row i, with $d = r_j + S H - r_i$.
    pub(super) fn fill(&mut self, ctx: &Ctx<'_>, i: usize) {
        let row = ctx.list.row(i);
        if self.tmp.len() < row.len() {
            let len = row.len();
            self.tmp.resize(len, ([0.0; 3], 0.0, 0, [0; 3], 0));
            self.d.resize(len, [0.0; 3]);
            self.r2.resize(len, 0.0);
            self.nb.resize(len, 0);
            self.sh.resize(len, [0; 3]);
            self.sp.resize(len, 0);
            self.order.resize(len, 0);
        }
        self.scale = BUCKETS as f64 / ctx.rs2;
        // every entry is written, the next one overwrites it unless it is in range
        let mut n = 0;
        let mut count = [0usize; BUCKETS];
        let pi = ctx.pos[i];
        let h = &ctx.h;
        for (&j, &sh) in ctx.nb[row.clone()].iter().zip(&ctx.sh[row]) {
            let pj = ctx.pos[j as usize];
            let mut d = [pj[0] - pi[0], pj[1] - pi[1], pj[2] - pi[2]];
            if sh != [0, 0, 0] {
                let s = sh.map(f64::from);
                for a in 0..3 {
                    d[a] += s[0] * h[0][a] + s[1] * h[1][a] + s[2] * h[2][a];
                }
            }
            let r2 = d[0] * d[0] + d[1] * d[1] + d[2] * d[2];
            let b = self.bucket(r2);
            self.tmp[n] = (d, r2, j, sh, b as u8);
            let inside = r2 <= ctx.rs2;
            count[b] += usize::from(inside);
            n += usize::from(inside);
        }
        self.n = n;
        let mut start = [0usize; BUCKETS];
        let mut acc = 0;
        for b in 0..BUCKETS {
            start[b] = acc;
            acc += count[b];
            self.end[b] = acc;
        }
        for (e, &(d, r2, j, sh, b)) in self.tmp[..n].iter().enumerate() {
            let at = start[usize::from(b)];
            start[usize::from(b)] += 1;
            self.order[e] = at as u32;
            self.d[at] = d;
            self.r2[at] = r2;
            self.nb[at] = j;
            self.sh[at] = sh;
            self.sp[at] = ctx.species[j as usize];
        }
    }
}

/// What every pass reads.
pub(super) struct Ctx<'a> {
    pub(super) m: &'a Meam,
    pub(super) list: &'a NeighborList,
    pub(super) pos: &'a [Vector3<f64>],
    pub(super) species: &'a [u16],
    pub(super) nb: &'a [u32],
    pub(super) sh: &'a [[i8; 3]],
    pub(super) h: [[f64; 3]; 3],
    pub(super) rc2: f64,
    /// Squared screening range $e_b r_c^2$ (largest $e_b$ of all pairs).
    pub(super) rs2: f64,
}

/// An owned pair (i, j) within r_c that is not fully screened, with what the later passes
/// need: the displacement d = r_j + S H - r_i, r = |d|, $S_{ij}$, $s_{ij} = S_{ij} f_c$, the
/// pair function and its derivative, and the atomic densities of both elements at r.
#[derive(Debug, Clone, Copy)]
pub(super) struct Pair {
    j: u32,
    sh: [i8; 3],
    d: [f64; 3],
    r2: f64,
    r: f64,
    scr: f64,
    sfc: f64,
    phi: f64,
    dphi: f64,
    /// rho^(l)(r) of j's element (what j adds to the owner's densities).
    rho_nb: [f64; 4],
    /// rho^(l)(r) of the owner's element (what the owner adds to j's densities).
    rho_own: [f64; 4],
    /// This pair's partially screening atoms in the chunk's `screeners`.
    screened: (u32, u32),
}

/// One chunk's buffers, kept between calls.
#[derive(Debug, Default)]
pub(super) struct Chunk {
    pairs: Vec<Pair>,
    /// End of each atom's pairs in `pairs`.
    pair_end: Vec<u32>,
    /// Entries within r_c that the atom does not own: (j, S).
    back: Vec<(u32, [i8; 3])>,
    /// End of each atom's entries in `back`.
    back_end: Vec<u32>,
    screeners: Vec<Screener>,
    g: RowGeometry,
    scatter: Vec<(u32, [f64; 3])>,
}

impl Chunk {
    #[inline]
    fn range(end: &[u32], o: usize) -> std::ops::Range<usize> {
        let start = if o == 0 { 0 } else { end[o - 1] as usize };
        start..end[o] as usize
    }

    /// The pairs owned by atom `o` of the chunk.
    #[inline]
    fn pairs_of(&self, o: usize) -> &[Pair] {
        &self.pairs[Chunk::range(&self.pair_end, o)]
    }
}

impl Chunk {
    /// Pass 1 for the atoms `atoms`: the pairs they own that are not fully screened, their
    /// partially screening atoms, and the entries within r_c they do not own.
    #[inline(never)]
    fn find_pairs(&mut self, ctx: &Ctx<'_>, atoms: std::ops::Range<usize>) -> Result<()> {
        let m = ctx.m;
        let p = &m.p;
        self.pairs.clear();
        self.pair_end.clear();
        self.back.clear();
        self.back_end.clear();
        self.screeners.clear();
        for i in atoms {
            self.g.fill(ctx, i);
            let g = &self.g;
            let ei = usize::from(ctx.species[i]);
            for &e in &g.order[..g.n] {
                let e = e as usize;
                let r2 = g.r2[e];
                if r2 >= ctx.rc2 {
                    continue;
                }
                let (j, sh) = (g.nb[e], g.sh[e]);
                if r2 < R_MIN * R_MIN {
                    return Err(PotentialError::TooClose {
                        i,
                        j: j as usize,
                        r: r2.sqrt(),
                        r_min: R_MIN,
                    });
                }
                if !owns(i, j, sh) {
                    self.back.push((j, sh));
                    continue;
                }
                let first = self.screeners.len();
                let scr = ctx.screening(ei, g, e, &mut self.screeners);
                if scr.abs() < S_ZERO {
                    self.screeners.truncate(first);
                    continue;
                }
                let r = r2.sqrt();
                let ej = usize::from(g.sp[e]);
                let (phi, dphi) = m.tables[p.ab(ei, ej)].eval(r);
                let rho_nb = m.atomic(ej, r);
                self.pairs.push(Pair {
                    j,
                    sh,
                    d: g.d[e],
                    r2,
                    r,
                    scr,
                    sfc: scr * fcut((p.rc - r) / p.delr),
                    phi,
                    dphi,
                    rho_nb,
                    rho_own: if ei == ej { rho_nb } else { m.atomic(ei, r) },
                    screened: (first as u32, self.screeners.len() as u32),
                });
            }
            self.pair_end.push(self.pairs.len() as u32);
            self.back_end.push(self.back.len() as u32);
        }
        Ok(())
    }

    /// Pass 3 for the atoms `atoms` (forces on them into `f_own`): forces of their pairs and
    /// the screening forces; forces on other atoms are listed in the returned [`Partial`].
    #[inline(never)]
    fn forces(
        &mut self,
        ctx: &Ctx<'_>,
        atoms: std::ops::Range<usize>,
        coef: &[Coef],
        want_virial: bool,
        f_own: &mut [Vector3<f64>],
    ) -> Partial {
        let m = ctx.m;
        let p = &m.p;
        let mut scatter = std::mem::take(&mut self.scatter);
        scatter.clear();
        let mut part = Partial {
            virial: [[0.0; 3]; 3],
            scatter,
        };
        for (o, i) in atoms.enumerate() {
            let mut fi = [0.0; 3];
            let ei = usize::from(ctx.species[i]);
            for q in &self.pairs[Chunk::range(&self.pair_end, o)] {
                let (sij, r, d) = (q.sfc, q.r, q.d);
                let j = q.j as usize;
                let ej = usize::from(ctx.species[j]);
                let u = d.map(|x| x / r);
                let (dj, di) = (m.dr(ej, &q.rho_nb), m.dr(ei, &q.rho_own));
                let (h1, g1) = coef[i].side(&q.rho_nb, &dj, &p.t[ej], u, r);
                let (h2, g2) = coef[j].side(&q.rho_own, &di, &p.t[ei], u.map(|x| -x), r);
                let hsum = h1 + h2 + q.phi;
                let mut gd = [0.0; 3];
                for a in 0..3 {
                    gd[a] = sij * (g1[a] - g2[a] + q.dphi * u[a]);
                }
                let mut pij = 0.0; // dE/d(r_ij^2) from the cut-off and screening
                let mut fj = [0.0; 3];
                if sij.abs() >= S_ZERO && (sij - 1.0).abs() >= S_ZERO {
                    let dfc = dfcut((p.rc - r) / p.delr).1;
                    pij += -hsum * q.scr * dfc / p.delr / (2.0 * r);
                    let (a, b) = q.screened;
                    screening_forces(
                        &self.screeners[a as usize..b as usize],
                        d,
                        q.r2,
                        hsum * sij,
                        &mut pij,
                        &mut fi,
                        &mut fj,
                        &mut part,
                    );
                }
                for a in 0..3 {
                    let t = gd[a] + 2.0 * pij * d[a];
                    fi[a] += t;
                    fj[a] -= t;
                }
                part.scatter.push((q.j, fj));
                if want_virial {
                    for a in 0..3 {
                        for b in 0..3 {
                            part.virial[a][b] -= (gd[a] + 2.0 * pij * d[a]) * d[b];
                        }
                    }
                }
            }
            f_own[o] = Vector3::from(fi);
        }
        part
    }
}

/// The pair (j, i, -S) of the entry (i, j, S) that j owns, if it is not fully screened (the
/// pairs of an atom are in list order, sorted by [`key`]).
#[inline]
fn owner_pair(chunks: &[Chunk], i: usize, j: u32, sh: [i8; 3]) -> Option<&Pair> {
    let j = j as usize;
    let theirs = chunks[j / CHUNK].pairs_of(j % CHUNK);
    let back = key(i as u32, sh.map(|x| x.wrapping_neg()));
    theirs
        .binary_search_by_key(&back, |q| key(q.j, q.sh))
        .ok()
        .map(|at| &theirs[at])
}

/// Pass 2 for chunk `c`: densities, embedding energies and derivative coefficients, and the
/// pair energies of its atoms, summed in list order (the entries an atom does not own come
/// first in its row).
#[inline(never)]
fn densities(
    ctx: &Ctx<'_>,
    chunks: &[Chunk],
    c: usize,
    coef: &mut [Coef],
    e_atom: &mut [f64],
    e_pair: &mut [f64],
) {
    let m = ctx.m;
    let p = &m.p;
    let with_t = p.ialloy != 2;
    let squares = p.ialloy == 1;
    let ch = &chunks[c];
    for o in 0..coef.len() {
        let i = c * CHUNK + o;
        let mut sums = Sums::default();
        let mut ep = 0.0;
        for &(j, sh) in &ch.back[Chunk::range(&ch.back_end, o)] {
            let Some(q) = owner_pair(chunks, i, j, sh) else {
                continue;
            };
            let ej = usize::from(ctx.species[j as usize]);
            let u = q.d.map(|x| -x / q.r);
            let ts = with_t.then_some((&p.t[ej], squares));
            sums.add(q.rho_own.map(|x| x * q.sfc), u, ts);
            ep += 0.5 * q.phi * q.sfc;
        }
        for q in ch.pairs_of(o) {
            let ej = usize::from(ctx.species[q.j as usize]);
            let u = q.d.map(|x| x / q.r);
            let ts = with_t.then_some((&p.t[ej], squares));
            sums.add(q.rho_nb.map(|x| x * q.sfc), u, ts);
            ep += 0.5 * q.phi * q.sfc;
        }
        let ei = usize::from(ctx.species[i]);
        let (f, cf) = embed(p, m.rho_ref[ei], ei, &sums);
        e_atom[o] = f;
        coef[o] = cf;
        e_pair[o] = ep;
    }
}

/// The per-chunk buffers of the last call, reused by the next (a call that finds them in use
/// allocates its own).
#[derive(Default)]
pub(super) struct Scratch(Mutex<Vec<Chunk>>);

impl Scratch {
    fn take(&self) -> Vec<Chunk> {
        self.0
            .try_lock()
            .map(|mut v| std::mem::take(&mut *v))
            .unwrap_or_default()
    }

    fn put(&self, chunks: Vec<Chunk>) {
        if let Ok(mut v) = self.0.try_lock() {
            *v = chunks;
        }
    }
}

impl Clone for Scratch {
    fn clone(&self) -> Scratch {
        Scratch::default()
    }
}

impl std::fmt::Debug for Scratch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Scratch")
    }
}

/// Per-chunk partial results of the force pass: virial, and forces on atoms of other rows
/// (atom, force) in the order they were computed.
pub(super) struct Partial {
    pub(super) virial: [[f64; 3]; 3],
    pub(super) scatter: Vec<(u32, [f64; 3])>,
}

/// Energy, forces, virial and per-atom energies of `m` (see the module docs of
/// [`crate::meam`] for the equations).
pub(crate) fn compute(
    m: &Meam,
    atoms: &BoundAtoms<'_>,
    list: &NeighborList,
    request: Request,
) -> Result<Results> {
    check_list(atoms, list, m.list_cutoff())?;
    let n = atoms.len();
    let s = atoms.structure();
    let hm = s.cell().matrix();
    let rs = m.list_cutoff();
    let ctx = Ctx {
        m,
        list,
        pos: s.positions(),
        species: atoms.species(),
        nb: list.neighbors(),
        sh: list.shifts(),
        h: [0, 1, 2].map(|a| [hm[(a, 0)], hm[(a, 1)], hm[(a, 2)]]),
        rc2: m.p.rc * m.p.rc,
        rs2: rs * rs,
    };
    let nchunks = n.div_ceil(CHUNK);
    let atoms_of = |c: usize| c * CHUNK..((c + 1) * CHUNK).min(n);
    let mut chunks = m.scratch.take();
    chunks.truncate(nchunks);
    chunks.resize_with(nchunks, Chunk::default);

    // Pass 1: row geometry, and the owned pairs that are not fully screened.
    chunks
        .par_iter_mut()
        .enumerate()
        .try_for_each(|(c, ch)| ch.find_pairs(&ctx, atoms_of(c)))?;

    // Pass 2: densities, embedding energies and derivative coefficients, pair energies, in
    // list order (the entries an atom does not own come first in its row).
    let mut coef = vec![Coef::default(); n];
    let mut e_atom = vec![0.0; n];
    let mut e_pair = vec![0.0; n];
    coef.par_chunks_mut(CHUNK)
        .zip(e_atom.par_chunks_mut(CHUNK))
        .zip(e_pair.par_chunks_mut(CHUNK))
        .enumerate()
        .for_each(|(c, ((coef, e_atom), e_pair))| {
            densities(&ctx, &chunks, c, coef, e_atom, e_pair);
        });
    let mut energy = 0.0;
    for c in 0..nchunks {
        for i in atoms_of(c) {
            energy += e_atom[i];
        }
        let mut pair = 0.0;
        for i in atoms_of(c) {
            pair += e_pair[i];
        }
        energy += pair;
    }
    if !energy.is_finite() {
        return Err(PotentialError::NonFinite {
            what: "MEAM energy".into(),
        });
    }

    // Pass 3: forces of owned pairs, screening forces. The force on i is summed here; forces
    // on j and on screening atoms k go to a per-chunk list.
    let deriv = request.forces || request.virial;
    let mut forces = vec![Vector3::zeros(); n];
    let mut w = [[0.0; 3]; 3];
    if deriv {
        let want_virial = request.virial;
        let parts: Vec<Partial> = chunks
            .par_iter_mut()
            .zip(forces.par_chunks_mut(CHUNK))
            .enumerate()
            .map(|(c, (ch, f_own))| ch.forces(&ctx, atoms_of(c), &coef, want_virial, f_own))
            .collect();
        // the listed forces, added in chunk order
        for (ch, part) in chunks.iter_mut().zip(parts) {
            for a in 0..3 {
                for b in 0..3 {
                    w[a][b] += part.virial[a][b];
                }
            }
            if request.forces {
                for &(j, f) in &part.scatter {
                    forces[j as usize] += Vector3::from(f);
                }
            }
            ch.scatter = part.scatter;
        }
    }
    m.scratch.put(chunks);
    let virial = Matrix3::from_fn(|a, b| 0.5 * (w[a][b] + w[b][a]));
    Ok(Results {
        energy,
        forces: request.forces.then_some(forces),
        virial: request.virial.then_some(virial),
        per_atom_energy: request
            .per_atom_energy
            .then(|| e_atom.iter().zip(&e_pair).map(|(a, b)| a + b).collect()),
    })
}
