//! The one EAM kernel, generic over where the functions come from (LAMMPS tables or the
//! analytic Zhou 2004 forms): two passes over a full neighbour list, gathering forces.

use fe_neighbors::NeighborList;
use nalgebra::{Matrix3, Vector3};
use rayon::prelude::*;

use crate::error::{PotentialError, Result};
use crate::potential::{check_list, BoundAtoms, Request, Results};

/// Atoms per parallel task; fixed, so results do not depend on the number of threads.
const CHUNK: usize = 256;

/// The EAM functions of every species (pair). Units: r in Angstrom, rho in the file's density
/// units, energies in eV.
pub(crate) trait EamFunctions: Sync {
    /// Interaction cutoff (Angstrom): pairs with r >= cutoff are skipped.
    fn cutoff(&self) -> f64;
    /// Smallest pair distance the functions accept (Angstrom); closer pairs are an error.
    fn min_distance(&self) -> f64;
    /// Embedding energy F_s(rho) and F_s'(rho) of species `s`.
    fn embedding(&self, s: usize, rho: f64) -> (f64, f64);
    /// Density f_{from->at}(r) that an atom of species `from` contributes at a site of species
    /// `at`.
    fn density(&self, from: usize, at: usize, r: f64) -> f64;
    /// Everything the force pass needs for a pair (i of species `si`, j of species `sj`) at
    /// distance r, from one table lookup.
    fn pair_terms(&self, si: usize, sj: usize, r: f64) -> PairTerms;
}

/// The pair quantities of the force pass at one distance.
#[derive(Debug, Clone, Copy)]
pub(crate) struct PairTerms {
    /// phi_ij(r) (eV).
    pub phi: f64,
    /// phi_ij'(r) (eV/A).
    pub dphi: f64,
    /// d f_{j->i} / dr: the derivative of the density j puts at i.
    pub drho_at_i: f64,
    /// d f_{i->j} / dr: the derivative of the density i puts at j.
    pub drho_at_j: f64,
}

/// Per-chunk partial results, combined in chunk order.
struct Partial {
    energy: f64,
    virial: Matrix3<f64>,
}

/// The translations S H of image shifts as three tables, one per lattice vector, indexed by
/// the shift's byte: `S H = T0[s0] + T1[s1] + T2[s2]`, summed in the order of
/// s0 h0 + s1 h1 + s2 h2 (the tables change no bit, and need no scan of the list).
struct Images([[[f64; 3]; 256]; 3]);

impl Images {
    fn new(rows: [[f64; 3]; 3]) -> Box<Images> {
        let mut t = Box::new(Images([[[0.0; 3]; 256]; 3]));
        for (table, h) in t.0.iter_mut().zip(rows) {
            for (b, v) in table.iter_mut().enumerate() {
                let s = f64::from(b as u8 as i8);
                *v = h.map(|x| s * x);
            }
        }
        t
    }

    /// r_j + S H - r_i; with `SHIFTED` false the shift must be zero and is not looked up
    /// (adding its zero translation would change no bit).
    #[inline(always)]
    fn displacement<const SHIFTED: bool>(
        &self,
        pi: &Vector3<f64>,
        pj: &Vector3<f64>,
        s: [i8; 3],
    ) -> [f64; 3] {
        let d = [pj.x - pi.x, pj.y - pi.y, pj.z - pi.z];
        if !SHIFTED {
            return d;
        }
        let t0 = &self.0[0][usize::from(s[0] as u8)];
        let t1 = &self.0[1][usize::from(s[1] as u8)];
        let t2 = &self.0[2][usize::from(s[2] as u8)];
        [
            d[0] + ((t0[0] + t1[0]) + t2[0]),
            d[1] + ((t0[1] + t1[1]) + t2[1]),
            d[2] + ((t0[2] + t1[2]) + t2[2]),
        ]
    }
}

/// Whether any entry of a row has a nonzero image shift.
#[inline]
fn has_shifts(sh: &[[i8; 3]]) -> bool {
    sh.as_flattened().iter().fold(0, |a, &b| a | b) != 0
}

/// One row of the list as the passes see it: centre, neighbours and shifts.
#[derive(Clone, Copy)]
struct Row<'a> {
    pi: &'a Vector3<f64>,
    nb: &'a [u32],
    sh: &'a [[i8; 3]],
}

/// What pass 1 reads for every row.
struct Geometry<'a> {
    pos: &'a [Vector3<f64>],
    species: &'a [u16],
    images: &'a Images,
    cut2: f64,
}

/// The centre atom of a row in pass 2: species and F'.
#[derive(Clone, Copy)]
struct Centre {
    si: usize,
    fp: f64,
}

/// Per-atom data every row of pass 2 reads, and what was asked for.
struct Shared<'a> {
    pos: &'a [Vector3<f64>],
    species: &'a [u16],
    f_prime: &'a [f64],
    images: &'a Images,
    /// Forces or virial wanted.
    deriv: bool,
    virial: bool,
}

impl Row<'_> {
    /// Pass 1: r^2 of every entry into `r2s` and the within-cutoff bits into `words`
    /// (branch-free), then the host density of the centre (species `si`) over the marked
    /// entries; returns it with the smallest r^2 among them.
    #[inline(always)]
    fn density<const SHIFTED: bool, F: EamFunctions>(
        self,
        funcs: &F,
        si: usize,
        ctx: &Geometry<'_>,
        r2s: &mut [f64],
        words: &mut [u64],
    ) -> (f64, f64) {
        for (w, word) in words.iter_mut().enumerate() {
            let span = w * BITS..((w + 1) * BITS).min(self.nb.len());
            let mut bits = 0_u64;
            for (b, ((&j, &s), r2)) in self.nb[span.clone()]
                .iter()
                .zip(&self.sh[span.clone()])
                .zip(&mut r2s[span])
                .enumerate()
            {
                let d = ctx
                    .images
                    .displacement::<SHIFTED>(self.pi, &ctx.pos[j as usize], s);
                *r2 = d[0] * d[0] + d[1] * d[1] + d[2] * d[2];
                bits |= u64::from(*r2 < ctx.cut2) << b;
            }
            *word = bits;
        }
        let mut rho = 0.0;
        let mut r2_min = f64::INFINITY;
        for_set_bits(words, |k| {
            let r2 = r2s[k];
            // min without NaN handling: r2 < cut2 is never NaN.
            r2_min = if r2 < r2_min { r2 } else { r2_min };
            let sj = usize::from(ctx.species[self.nb[k] as usize]);
            rho += funcs.density(sj, si, r2.sqrt());
        });
        (rho, r2_min)
    }

    /// Pass 2 over the entries marked in `words`: the row's sum of phi and its force
    /// sum_j psi'_ij d_ij / r_ij (d = r_j + S H - r_i), adding -psi'/(2r) d (x) d to `virial`.
    #[inline(always)]
    fn forces<const SHIFTED: bool, F: EamFunctions>(
        self,
        funcs: &F,
        centre: Centre,
        words: &[u64],
        ctx: &Shared<'_>,
        virial: &mut Matrix3<f64>,
    ) -> (f64, [f64; 3]) {
        let (deriv, want_virial) = (ctx.deriv, ctx.virial);
        let mut phi_sum = 0.0;
        let mut fi = [0.0; 3];
        for_set_bits(words, |k| {
            let j = self.nb[k] as usize;
            let d = ctx
                .images
                .displacement::<SHIFTED>(self.pi, &ctx.pos[j], self.sh[k]);
            let r = (d[0] * d[0] + d[1] * d[1] + d[2] * d[2]).sqrt();
            let t = funcs.pair_terms(centre.si, usize::from(ctx.species[j]), r);
            phi_sum += t.phi;
            if deriv {
                let dpsi = centre.fp * t.drho_at_i + ctx.f_prime[j] * t.drho_at_j + t.dphi;
                // d = r_j - r_i = -r_ij: f_i = -sum psi' r_ij / r = sum psi' d / r.
                let g = dpsi * (1.0 / r);
                fi[0] += g * d[0];
                fi[1] += g * d[1];
                fi[2] += g * d[2];
                if want_virial {
                    let hg = 0.5 * g;
                    for a in 0..3 {
                        for b in 0..3 {
                            virial[(a, b)] -= (hg * d[a]) * d[b];
                        }
                    }
                }
            }
        });
        (phi_sum, fi)
    }
}

/// Bits per word of the near-entry masks.
const BITS: usize = 64;

/// Calls `f(k)` for the set bits k of a row's mask words, in increasing order.
#[inline(always)]
fn for_set_bits(words: &[u64], mut f: impl FnMut(usize)) {
    for (w, &word) in words.iter().enumerate() {
        let mut bits = word;
        while bits != 0 {
            let k = w * BITS + bits.trailing_zeros() as usize;
            bits &= bits - 1;
            f(k);
        }
    }
}

/// E, forces, virial and per-atom energies of the EAM
/// $$ E = \sum_i F_{s_i}(\bar\rho_i) + \tfrac12 \sum_i \sum_{j \ne i} \phi_{s_i s_j}(r_{ij}),
///    \qquad \bar\rho_i = \sum_{j \ne i} f_{s_j \to s_i}(r_{ij}), $$
/// with, for r_ij = r_i - r_j and
/// $\psi'_{ij} = F'_i f'_{j\to i} + F'_j f'_{i \to j} + \phi'_{ij}$,
/// forces $\mathbf f_i = -\sum_j \psi'_{ij} \mathbf r_{ij}/r_{ij}$, virial
/// $W = -\sum_{\text{pairs}} \psi'_{ij}\, \mathbf r_{ij} \otimes \mathbf r_{ij} / r_{ij}$ and
/// per-atom energies $e_i = F_i + \tfrac12 \sum_j \phi_{ij}$ (LAMMPS `pair_style eam`).
///
/// Two passes over the full list, in chunks of [`CHUNK`] atoms: densities and F' first, then
/// pair energies and forces, each atom's force gathered from its own row (so every pair is
/// evaluated once from each side, as the gather requires). Pass 1 computes r^2 for every
/// entry without branching on it and keeps one bit per entry for r < r_c (rows padded to 64
/// bits: 16 bytes per atom at 60-120 entries, held until pass 2); both passes evaluate the
/// functions only on the marked entries. Per-chunk sums are added in chunk order, so results
/// are bit-identical for any number of threads.
pub(crate) fn compute<F: EamFunctions>(
    funcs: &F,
    atoms: &BoundAtoms<'_>,
    list: &NeighborList,
    request: Request,
) -> Result<Results> {
    let cutoff = funcs.cutoff();
    check_list(atoms, list, cutoff)?;
    let n = atoms.len();
    let s = atoms.structure();
    let pos = s.positions();
    let species = atoms.species();
    let h = s.cell().matrix();
    let rows = [0, 1, 2].map(|a| [h[(a, 0)], h[(a, 1)], h[(a, 2)]]);
    let cut2 = cutoff * cutoff;
    let r_min = funcs.min_distance();
    let neighbors = list.neighbors();
    let shifts = list.shifts();
    let offsets = list.offsets();
    let images = Images::new(rows);
    let images = &*images;
    // Mask words of row i (one bit per entry, each row starting a new word).
    let words_of = |i: usize| (offsets[i + 1] - offsets[i]).div_ceil(BITS);

    let geometry = Geometry {
        pos,
        species,
        images,
        cut2,
    };

    // Pass 1: host densities, embedding energies and their derivatives. Each chunk also marks
    // which entries of its rows lie within the cutoff, so that pass 2 visits only those.
    let mut f_prime = vec![0.0; n];
    let mut e_embed = vec![0.0; n];
    let pass1: Vec<Result<(f64, Vec<u64>)>> = f_prime
        .par_chunks_mut(CHUNK)
        .zip(e_embed.par_chunks_mut(CHUNK))
        .enumerate()
        .map(|(c, (fp, ee))| {
            let atoms = c * CHUNK..c * CHUNK + fp.len();
            let mut mask = vec![0_u64; atoms.clone().map(words_of).sum()];
            let longest = atoms.map(|i| offsets[i + 1] - offsets[i]).max();
            let mut r2s = vec![0.0; longest.unwrap_or(0)];
            let mut at_word = 0;
            let mut sum = 0.0;
            for (off, (fpi, eei)) in fp.iter_mut().zip(ee.iter_mut()).enumerate() {
                let i = c * CHUNK + off;
                let si = usize::from(species[i]);
                let row = list.row(i);
                let (nb, sh) = (&neighbors[row.clone()], &shifts[row.clone()]);
                let words = &mut mask[at_word..at_word + words_of(i)];
                at_word += words.len();
                let this = Row {
                    pi: &pos[i],
                    nb,
                    sh,
                };
                let r2s = &mut r2s[..row.len()];
                let (rho, r2_min) = if has_shifts(sh) {
                    this.density::<true, F>(funcs, si, &geometry, r2s, words)
                } else {
                    this.density::<false, F>(funcs, si, &geometry, r2s, words)
                };
                // sqrt is monotonic: one test per row finds any pair closer than r_min.
                if r2_min.sqrt() < r_min {
                    let k = (0..row.len())
                        .find(|&k| r2s[k] < cut2 && r2s[k].sqrt() < r_min)
                        .expect("the closest pair");
                    return Err(PotentialError::TooClose {
                        i,
                        j: nb[k] as usize,
                        r: r2s[k].sqrt(),
                        r_min,
                    });
                }
                let (e, d) = funcs.embedding(si, rho);
                *fpi = d;
                *eei = e;
                sum += e;
            }
            Ok((sum, mask))
        })
        .collect();
    let mut energy = 0.0;
    let mut masks = Vec::with_capacity(pass1.len());
    for p in pass1 {
        let (e, mask) = p?;
        energy += e;
        masks.push(mask);
    }

    // Pass 2: pair energies, forces and the virial, gathered per atom.
    let mut forces = vec![Vector3::zeros(); n];
    let mut e_pair = vec![0.0; n];
    let f_prime = &f_prime;
    let ctx = Shared {
        pos,
        species,
        f_prime,
        images,
        deriv: request.forces || request.virial,
        virial: request.virial,
    };
    let pass2: Vec<Partial> = e_pair
        .par_chunks_mut(CHUNK)
        .enumerate()
        .zip(forces.par_chunks_mut(CHUNK))
        .map(|((c, ep), fc)| {
            let words = &masks[c];
            let mut at_word = 0;
            let mut part = Partial {
                energy: 0.0,
                virial: Matrix3::zeros(),
            };
            for (off, (epi, fci)) in ep.iter_mut().zip(fc.iter_mut()).enumerate() {
                let i = c * CHUNK + off;
                let si = usize::from(species[i]);
                let row = list.row(i);
                let (nb, sh) = (&neighbors[row.clone()], &shifts[row]);
                let words = &words[at_word..at_word + words_of(i)];
                at_word += words.len();
                let this = Row {
                    pi: &pos[i],
                    nb,
                    sh,
                };
                let centre = Centre { si, fp: f_prime[i] };
                let (phi_sum, fi) = if has_shifts(sh) {
                    this.forces::<true, F>(funcs, centre, words, &ctx, &mut part.virial)
                } else {
                    this.forces::<false, F>(funcs, centre, words, &ctx, &mut part.virial)
                };
                *epi = 0.5 * phi_sum;
                part.energy += 0.5 * phi_sum;
                *fci = Vector3::from(fi);
            }
            part
        })
        .collect();
    let mut virial = Matrix3::zeros();
    for p in pass2 {
        energy += p.energy;
        virial += p.virial;
    }
    if !energy.is_finite() {
        return Err(PotentialError::NonFinite {
            what: "EAM energy".into(),
        });
    }
    Ok(Results {
        energy,
        forces: request.forces.then_some(forces),
        virial: request.virial.then_some(virial),
        per_atom_energy: request
            .per_atom_energy
            .then(|| e_embed.iter().zip(&e_pair).map(|(a, b)| a + b).collect()),
    })
}
