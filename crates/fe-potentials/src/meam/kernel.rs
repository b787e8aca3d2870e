//! The MEAM kernel: four passes over a full neighbour list built at
//! $\sqrt{e_b}\,r_c$ (so that every screening atom of a pair is in the row of either atom).
//!
//! 1. screening $S_{ij}$ and cut-off of every pair, once per pair (from the row of its owner,
//!    the atom with the smaller (index, image) key), and the reverse of the other entries;
//! 2. partial densities of every atom from its own row, its embedding energy and derivative
//!    coefficients ([`super::density::embed`]);
//! 3. per owned pair: pair energy, the density and pair forces, and the screening forces on
//!    i, j and every screening atom k; the force on i is summed in its row, the others are
//!    listed per chunk;
//! 4. the listed forces are added in chunk order.
//!
//! Work is cut in chunks of a fixed number of atoms and partial sums are added in chunk order,
//! so results are bit-identical for any number of threads.

use fe_neighbors::NeighborList;
use nalgebra::{Matrix3, Vector3};
use rayon::prelude::*;

use super::density::{embed, Coef, Sums};
use super::funcs::{dfcut, fcut};
use super::screening::screening_forces;
use super::Meam;
use crate::error::{PotentialError, Result};
use crate::potential::{check_list, BoundAtoms, Request, Results};

/// Atoms per parallel task.
const CHUNK: usize = 128;
/// Closest distance accepted (A).
const R_MIN: f64 = 1e-4;

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

/// The displacements r_j + S H - r_i and squared lengths of one row.
pub(super) struct RowGeometry {
    pub(super) d: Vec<[f64; 3]>,
    pub(super) r2: Vec<f64>,
}

impl RowGeometry {
    fn new() -> RowGeometry {
        RowGeometry {
            d: Vec::new(),
            r2: Vec::new(),
        }
    }

    pub(super) fn fill(&mut self, ctx: &Ctx<'_>, i: usize) {
        let row = ctx.list.row(i);
        let len = row.len();
        self.d.resize(len, [0.0; 3]);
        self.r2.resize(len, 0.0);
        for ((k, d), r2) in row.zip(&mut self.d).zip(&mut self.r2) {
            *d = ctx.disp(i, k);
            *r2 = d[0] * d[0] + d[1] * d[1] + d[2] * d[2];
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
}

impl Ctx<'_> {
    /// The displacement r_j + S H - r_i of entry k of row i.
    #[inline(always)]
    pub(super) fn disp(&self, i: usize, k: usize) -> [f64; 3] {
        let pi = self.pos[i];
        let pj = self.pos[self.nb[k] as usize];
        let sh = self.sh[k];
        let mut d = [pj[0] - pi[0], pj[1] - pi[1], pj[2] - pi[2]];
        if sh != [0, 0, 0] {
            let s = sh.map(f64::from);
            let h = &self.h;
            for a in 0..3 {
                d[a] += s[0] * h[0][a] + s[1] * h[1][a] + s[2] * h[2][a];
            }
        }
        d
    }
}

/// Split `v` into the pieces `bounds[c]..bounds[c + 1]`.
fn split<'a, T>(mut v: &'a mut [T], bounds: &[usize]) -> Vec<&'a mut [T]> {
    let mut out = Vec::with_capacity(bounds.len().saturating_sub(1));
    for w in bounds.windows(2) {
        let (a, b) = std::mem::take(&mut v).split_at_mut(w[1] - w[0]);
        out.push(a);
        v = b;
    }
    out
}

/// Per-chunk partial results: pair energy, virial, and forces on atoms of other rows (atom,
/// force) in the order they were computed.
pub(super) struct Partial {
    pub(super) energy: f64,
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
    let ctx = Ctx {
        m,
        list,
        pos: s.positions(),
        species: atoms.species(),
        nb: list.neighbors(),
        sh: list.shifts(),
        h: [0, 1, 2].map(|a| [hm[(a, 0)], hm[(a, 1)], hm[(a, 2)]]),
        rc2: m.p.rc * m.p.rc,
    };
    let offsets = list.offsets();
    let n_entries = list.n_entries();
    let nchunks = n.div_ceil(CHUNK);
    let bounds: Vec<usize> = (0..=nchunks).map(|c| offsets[(c * CHUNK).min(n)]).collect();
    let p = &m.p;

    // Pass 1: S_ij and s_ij = S_ij fc_ij of owned pairs; for the other entries within r_c,
    // the reverse entry (where the owner stored them).
    let mut rev = vec![u32::MAX; n_entries];
    let mut scr = vec![0.0; n_entries];
    let mut sfc = vec![0.0; n_entries];
    let mut near = vec![false; n_entries];
    split(&mut rev, &bounds)
        .into_par_iter()
        .zip(split(&mut scr, &bounds))
        .zip(split(&mut sfc, &bounds))
        .zip(split(&mut near, &bounds))
        .enumerate()
        .try_for_each(|(c, (((rev, scr), sfc), near))| -> Result<()> {
            let mut g = RowGeometry::new();
            let base = bounds[c];
            for i in c * CHUNK..((c + 1) * CHUNK).min(n) {
                let row = list.row(i);
                g.fill(&ctx, i);
                for (e, k) in row.clone().enumerate() {
                    let r2 = g.r2[e];
                    if r2 >= ctx.rc2 {
                        continue;
                    }
                    near[k - base] = true;
                    let (j, sh) = (ctx.nb[k], ctx.sh[k]);
                    if r2 < R_MIN * R_MIN {
                        return Err(PotentialError::TooClose {
                            i,
                            j: j as usize,
                            r: r2.sqrt(),
                            r_min: R_MIN,
                        });
                    }
                    if owns(i, j, sh) {
                        let sij = ctx.screening(i, &g, e);
                        scr[k - base] = sij;
                        sfc[k - base] = sij * fcut((p.rc - r2.sqrt()) / p.delr);
                    } else {
                        rev[k - base] = reverse(&ctx, i, j, sh)?;
                    }
                }
            }
            Ok(())
        })?;
    // where entry k's pair values are stored
    let at = |i: usize, k: usize| {
        if owns(i, ctx.nb[k], ctx.sh[k]) {
            k
        } else {
            rev[k] as usize
        }
    };

    // Pass 2: densities, embedding energies and derivative coefficients.
    let mut coef = vec![Coef::default(); n];
    let mut e_atom = vec![0.0; n];
    let with_t = p.ialloy != 2;
    let squares = p.ialloy == 1;
    coef.par_chunks_mut(CHUNK)
        .zip(e_atom.par_chunks_mut(CHUNK))
        .enumerate()
        .for_each(|(c, (coef, e_atom))| {
            for (o, i) in (c * CHUNK..((c + 1) * CHUNK).min(n)).enumerate() {
                let mut sums = Sums::default();
                for k in list.row(i) {
                    if !near[k] {
                        continue;
                    }
                    let kk = at(i, k);
                    if scr[kk].abs() < 1e-20 {
                        continue;
                    }
                    let sij = sfc[kk];
                    let eb = usize::from(ctx.species[ctx.nb[k] as usize]);
                    let d = ctx.disp(i, k);
                    let r = (d[0] * d[0] + d[1] * d[1] + d[2] * d[2]).sqrt();
                    let rho = m.atomic(eb, r);
                    let u = d.map(|x| x / r);
                    let ts = with_t.then_some((&p.t[eb], squares));
                    sums.add(rho.map(|x| x * sij), u, ts);
                }
                let ei = usize::from(ctx.species[i]);
                let (f, cf) = embed(p, m.rho_ref[ei], ei, &sums);
                e_atom[o] = f;
                coef[o] = cf;
            }
        });

    // Pass 3: pair terms and forces of owned pairs, screening forces. The force on i is
    // summed here; forces on j and on screening atoms k go to a per-chunk list.
    let mut forces = vec![Vector3::zeros(); n];
    let mut e_pair = vec![0.0; n];
    let want_virial = request.virial;
    let deriv = request.forces || request.virial;
    let parts: Vec<Partial> = forces
        .par_chunks_mut(CHUNK)
        .zip(e_pair.par_chunks_mut(CHUNK))
        .enumerate()
        .map(|(c, (f_own, e_pair))| {
            let mut g = RowGeometry::new();
            let mut part = Partial {
                energy: 0.0,
                virial: [[0.0; 3]; 3],
                scatter: Vec::new(),
            };
            for (o, i) in (c * CHUNK..((c + 1) * CHUNK).min(n)).enumerate() {
                let mut filled = false;
                let mut fi = [0.0; 3];
                let mut ep = 0.0;
                let ei = usize::from(ctx.species[i]);
                let row = list.row(i);
                for k in row.clone() {
                    if !near[k] {
                        continue;
                    }
                    let kk = at(i, k);
                    if scr[kk].abs() < 1e-20 {
                        continue;
                    }
                    let sij = sfc[kk];
                    let j = ctx.nb[k] as usize;
                    let ej = usize::from(ctx.species[j]);
                    let d = ctx.disp(i, k);
                    let r = (d[0] * d[0] + d[1] * d[1] + d[2] * d[2]).sqrt();
                    let (phi, dphi) = m.tables[p.ab(ei, ej)].eval(r);
                    ep += 0.5 * phi * sij;
                    if !deriv || kk != k {
                        continue;
                    }
                    let u = d.map(|x| x / r);
                    let rho_j = m.atomic(ej, r);
                    let rho_i = if ei == ej { rho_j } else { m.atomic(ei, r) };
                    let (dj, di) = (m.dr(ej, &rho_j), m.dr(ei, &rho_i));
                    let (h1, g1) = coef[i].side(&rho_j, &dj, &p.t[ej], u, r);
                    let (h2, g2) = coef[j].side(&rho_i, &di, &p.t[ei], u.map(|x| -x), r);
                    let hsum = h1 + h2 + phi;
                    let mut gd = [0.0; 3];
                    for a in 0..3 {
                        gd[a] = sij * (g1[a] - g2[a] + dphi * u[a]);
                    }
                    let mut pij = 0.0; // dE/d(r_ij^2) from the cut-off and screening
                    let mut fj = [0.0; 3];
                    if sij.abs() >= 1e-20 && (sij - 1.0).abs() >= 1e-20 {
                        let dfc = dfcut((p.rc - r) / p.delr).1;
                        pij += -hsum * scr[k] * dfc / p.delr / (2.0 * r);
                        if !filled {
                            g.fill(&ctx, i);
                            filled = true;
                        }
                        let e = k - row.start;
                        screening_forces(
                            &ctx,
                            i,
                            &g,
                            e,
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
                    part.scatter.push((j as u32, fj));
                    if want_virial {
                        for a in 0..3 {
                            for b in 0..3 {
                                part.virial[a][b] -= (gd[a] + 2.0 * pij * d[a]) * d[b];
                            }
                        }
                    }
                }
                f_own[o] = Vector3::from(fi);
                e_pair[o] = ep;
                part.energy += ep;
            }
            part
        })
        .collect();

    // Pass 4: the listed forces, added in chunk order.
    let mut energy = 0.0;
    let mut w = [[0.0; 3]; 3];
    for (c, part) in parts.iter().enumerate() {
        for i in c * CHUNK..((c + 1) * CHUNK).min(n) {
            energy += e_atom[i];
        }
        energy += part.energy;
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
    }
    if !energy.is_finite() {
        return Err(PotentialError::NonFinite {
            what: "MEAM energy".into(),
        });
    }
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

/// The position in the list of the reverse (j, i, -S) of the entry (i, j, S); rows are sorted
/// by [`key`].
fn reverse(ctx: &Ctx<'_>, i: usize, j: u32, sh: [i8; 3]) -> Result<u32> {
    let back = key(i as u32, sh.map(|x| x.wrapping_neg()));
    let rj = ctx.list.row(j as usize);
    let (nbj, shj) = (&ctx.nb[rj.clone()], &ctx.sh[rj.clone()]);
    let (mut lo, mut hi) = (0, nbj.len());
    while lo < hi {
        let mid = (lo + hi) / 2;
        if key(nbj[mid], shj[mid]) < back {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    if lo >= nbj.len() || key(nbj[lo], shj[lo]) != back {
        return Err(PotentialError::List("the list is not symmetric".into()));
    }
    Ok((rj.start + lo) as u32)
}
