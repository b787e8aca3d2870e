//! The one EAM kernel, generic over where the functions come from (LAMMPS tables or the
//! analytic Zhou 2004 forms): two passes that evaluate every pair once, as LAMMPS does with a
//! half list and Newton's third law, in a fixed partition of the atoms so that results do not
//! depend on the number of threads.

use std::ops::{AddAssign, Range};

use fe_neighbors::{ListKind, NeighborList};
use nalgebra::{Matrix3, Vector3};
use rayon::prelude::*;

use crate::error::{PotentialError, Result};
use crate::potential::{check_list_rows, BoundAtoms, Request, Results};

/// The most blocks the atoms are split into; a power of two.
const MAX_BLOCKS: usize = 8;
/// The fewest atoms per block before the atoms are split further.
const MIN_BLOCK_ATOMS: usize = 256;
/// Atoms per task of the per-atom steps (embedding, reductions).
const CHUNK: usize = 4096;

/// The EAM functions of every species (pair). Units: r in Angstrom, rho in the file's density
/// units, energies in eV.
pub(crate) trait EamFunctions: Sync {
    /// Interaction cutoff (Angstrom): pairs with r >= cutoff are skipped.
    fn cutoff(&self) -> f64;
    /// Smallest pair distance the functions accept (Angstrom); closer pairs are an error.
    fn min_distance(&self) -> f64;
    /// Embedding energy F_s(rho) and F_s'(rho) of species `s`.
    fn embedding(&self, s: usize, rho: f64) -> (f64, f64);
    /// The densities a pair (i of species `si`, j of species `sj`) at distance r puts at its
    /// two ends: (f_{j->i}(r), f_{i->j}(r)).
    fn densities(&self, si: usize, sj: usize, r: f64) -> (f64, f64);
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

/// Whether the entry (i, j, S) of a full list is the one a half list keeps: i < j, or i == j
/// and S lexicographically positive.
#[inline(always)]
fn canonical(i: usize, j: usize, s: [i8; 3]) -> bool {
    let positive = s[0] > 0 || (s[0] == 0 && (s[1] > 0 || (s[1] == 0 && s[2] > 0)));
    j > i || (j == i && positive)
}

/// One row of the list as the passes see it: centre, its index, neighbours and shifts.
#[derive(Clone, Copy)]
struct Row<'a> {
    i: usize,
    pi: &'a Vector3<f64>,
    nb: &'a [u32],
    sh: &'a [[i8; 3]],
}

/// What every row of both passes reads.
struct Shared<'a> {
    pos: &'a [Vector3<f64>],
    species: &'a [u16],
    images: &'a Images,
    cut2: f64,
    /// The list holds every pair twice: keep only the canonical entry.
    full: bool,
}

/// The embedding derivatives and what pass 2 was asked for.
struct Pass2<'a> {
    f_prime: &'a [f64],
    /// Forces or virial wanted.
    deriv: bool,
    /// The virial wanted.
    virial: bool,
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

/// Sums over pairs that a block adds to atoms `start..start + values.len()`.
struct Local<T> {
    start: usize,
    values: Vec<T>,
}

impl<T: Copy + Default> Local<T> {
    /// Zeroed sums for atoms `start..end`.
    fn zeroed(start: usize, end: usize) -> Local<T> {
        Local {
            start,
            values: vec![T::default(); end - start],
        }
    }

    /// One past the last atom the sums reach.
    fn end(&self) -> usize {
        self.start + self.values.len()
    }

    #[inline(always)]
    fn at(&mut self, j: usize) -> &mut T {
        &mut self.values[j - self.start]
    }
}

/// `out[j]` = the sum over blocks, in block order, of what each added to atom j. The order is
/// fixed by the partition, so the result does not depend on the number of threads.
fn reduce<T: Copy + Default + AddAssign + Send + Sync>(n: usize, locals: &[&Local<T>]) -> Vec<T> {
    let mut out = vec![T::default(); n];
    out.par_chunks_mut(CHUNK).enumerate().for_each(|(c, out)| {
        let here = c * CHUNK..c * CHUNK + out.len();
        for local in locals {
            let lo = here.start.max(local.start);
            let hi = here.end.min(local.start + local.values.len());
            for j in lo..hi {
                out[j - here.start] += local.values[j - local.start];
            }
        }
    });
    out
}

/// The fixed partition of `n` atoms into contiguous blocks: a power of two of them, at most
/// [`MAX_BLOCKS`], with at least [`MIN_BLOCK_ATOMS`] atoms each when there are more blocks
/// than one. It depends on `n` only.
fn blocks(n: usize) -> Vec<Range<usize>> {
    let mut count = 1;
    while count < MAX_BLOCKS && n / (2 * count) >= MIN_BLOCK_ATOMS {
        count *= 2;
    }
    let size = n.div_ceil(count).max(1);
    (0..count)
        .map(|b| (b * size).min(n)..((b + 1) * size).min(n))
        .collect()
}

impl Row<'_> {
    /// Pass 1 for one row: r^2 of every entry into `r2s` and, branch-free, one bit per entry
    /// that is within the cutoff (and canonical, on a full list) into `words`; then the
    /// densities of the marked pairs, added to the centre (returned) and to the neighbours in
    /// `rho`. Also returns the smallest r^2 among the marked entries.
    #[inline(always)]
    fn density<const SHIFTED: bool, F: EamFunctions>(
        self,
        funcs: &F,
        ctx: &Shared<'_>,
        r2s: &mut [f64],
        words: &mut [u64],
        rho: &mut Local<f64>,
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
                let keep = !ctx.full || canonical(self.i, j as usize, s);
                bits |= u64::from(*r2 < ctx.cut2 && keep) << b;
            }
            *word = bits;
        }
        let si = usize::from(ctx.species[self.i]);
        let mut rho_i = 0.0;
        let mut r2_min = f64::INFINITY;
        for_set_bits(words, |k| {
            let r2 = r2s[k];
            // min without NaN handling: r2 < cut2 is never NaN.
            r2_min = if r2 < r2_min { r2 } else { r2_min };
            let j = self.nb[k] as usize;
            let (at_i, at_j) = funcs.densities(si, usize::from(ctx.species[j]), r2.sqrt());
            rho_i += at_i;
            *rho.at(j) += at_j;
        });
        (rho_i, r2_min)
    }

    /// Pass 2 over the entries marked in `words`: adds psi'_ij d_ij / r_ij to the centre's
    /// force and subtracts it from the neighbour's (d = r_j + S H - r_i), phi/2 to both
    /// per-atom pair energies (the fourth component of `acc`), and -psi'/r d (x) d to
    /// `virial`. Returns the row's sum of phi.
    /// `DERIV`: forces or virial wanted; `VIRIAL`: the virial wanted (implies `DERIV`).
    #[inline(always)]
    fn forces<const SHIFTED: bool, const DERIV: bool, const VIRIAL: bool, F: EamFunctions>(
        self,
        funcs: &F,
        words: &[u64],
        ctx: &Shared<'_>,
        p2: &Pass2<'_>,
        acc: &mut Local<ForceEnergy>,
        virial: &mut Matrix3<f64>,
    ) -> f64 {
        let (deriv, want_virial) = (DERIV, VIRIAL);
        let si = usize::from(ctx.species[self.i]);
        let fp_i = p2.f_prime[self.i];
        let mut phi_sum = 0.0;
        let mut fi = [0.0; 3];
        for_set_bits(words, |k| {
            let j = self.nb[k] as usize;
            let d = ctx
                .images
                .displacement::<SHIFTED>(self.pi, &ctx.pos[j], self.sh[k]);
            let r = (d[0] * d[0] + d[1] * d[1] + d[2] * d[2]).sqrt();
            let t = funcs.pair_terms(si, usize::from(ctx.species[j]), r);
            phi_sum += t.phi;
            let aj = &mut acc.at(j).0;
            aj[3] += 0.5 * t.phi;
            if deriv {
                let dpsi = fp_i * t.drho_at_i + p2.f_prime[j] * t.drho_at_j + t.dphi;
                // d = r_j - r_i = -r_ij: f_i = -psi' r_ij / r = psi' d / r, f_j = -f_i.
                let g = dpsi * (1.0 / r);
                let f = [g * d[0], g * d[1], g * d[2]];
                fi[0] += f[0];
                fi[1] += f[1];
                fi[2] += f[2];
                aj[0] -= f[0];
                aj[1] -= f[1];
                aj[2] -= f[2];
                if want_virial {
                    for a in 0..3 {
                        for b in 0..3 {
                            virial[(a, b)] -= f[a] * d[b];
                        }
                    }
                }
            }
        });
        let ai = &mut acc.at(self.i).0;
        ai[0] += fi[0];
        ai[1] += fi[1];
        ai[2] += fi[2];
        ai[3] += 0.5 * phi_sum;
        phi_sum
    }
}

/// Force (eV/A) and pair energy (eV) added to one atom.
#[derive(Debug, Clone, Copy, Default)]
struct ForceEnergy([f64; 4]);

impl AddAssign for ForceEnergy {
    #[inline]
    fn add_assign(&mut self, o: ForceEnergy) {
        for (a, b) in self.0.iter_mut().zip(o.0) {
            *a += b;
        }
    }
}

/// What pass 1 keeps of a block: the near-entry masks of its rows and the densities it added.
struct Block1 {
    mask: Vec<u64>,
    rho: Local<f64>,
}

/// What pass 2 keeps of a block: pair energy, virial, and forces and per-atom pair energies.
struct Block2 {
    energy: f64,
    virial: Matrix3<f64>,
    acc: Local<ForceEnergy>,
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
/// Every pair is evaluated once, from the row of its canonical entry (a half list holds only
/// those; on a full list the other entries are skipped), and its terms are added to both
/// atoms. The atoms are split into a fixed set of contiguous blocks (see [`blocks`]) that run
/// in parallel; each block adds into its own sums over the atoms its rows reach, and the sums
/// are combined in block order. So results are bit-identical for any number of threads, and
/// a full list gives the same bits as the half list of the same structure.
///
/// Pass 1 computes densities, keeping one bit per list entry for "within the cutoff" (rows
/// padded to 64 bits); after the embedding step, pass 2 evaluates pair energies and forces on
/// the marked entries only.
pub(crate) fn compute<F: EamFunctions>(
    funcs: &F,
    atoms: &BoundAtoms<'_>,
    list: &NeighborList,
    request: Request,
) -> Result<Results> {
    let cutoff = funcs.cutoff();
    check_list_rows(atoms, list, cutoff)?;
    let n = atoms.len();
    let s = atoms.structure();
    let h = s.cell().matrix();
    let images = Images::new([0, 1, 2].map(|a| [h[(a, 0)], h[(a, 1)], h[(a, 2)]]));
    let ctx = Shared {
        pos: s.positions(),
        species: atoms.species(),
        images: &images,
        cut2: cutoff * cutoff,
        full: list.kind() == ListKind::Full,
    };
    let r_min = funcs.min_distance();
    let offsets = list.offsets();
    let (neighbors, shifts) = (list.neighbors(), list.shifts());
    let words_of = |i: usize| (offsets[i + 1] - offsets[i]).div_ceil(BITS);
    let row = |i: usize| {
        let range = offsets[i]..offsets[i + 1];
        Row {
            i,
            pi: &ctx.pos[i],
            nb: &neighbors[range.clone()],
            sh: &shifts[range],
        }
    };
    let blocks = blocks(n);

    // Pass 1: host densities; each block also marks which entries of its rows it evaluates,
    // so that pass 2 visits only those.
    let pass1: Vec<Result<Block1>> = blocks
        .par_iter()
        .map(|block| {
            let mut mask = vec![0_u64; block.clone().map(words_of).sum()];
            let longest = block.clone().map(|i| offsets[i + 1] - offsets[i]).max();
            let mut r2s = vec![0.0; longest.unwrap_or(0)];
            // The rows reach their own atoms and the larger indices their entries name; rows
            // are sorted by neighbour, so a row's last entry names its largest.
            let reach = block
                .clone()
                .filter(|&i| offsets[i + 1] > offsets[i])
                .map(|i| neighbors[offsets[i + 1] - 1] as usize + 1)
                .fold(block.end, usize::max);
            let mut rho = Local::zeroed(block.start, reach);
            let mut at_word = 0;
            for i in block.clone() {
                let this = row(i);
                let words = &mut mask[at_word..at_word + words_of(i)];
                at_word += words.len();
                let r2s = &mut r2s[..this.nb.len()];
                let (rho_i, r2_min) = if has_shifts(this.sh) {
                    this.density::<true, F>(funcs, &ctx, r2s, words, &mut rho)
                } else {
                    this.density::<false, F>(funcs, &ctx, r2s, words, &mut rho)
                };
                *rho.at(i) += rho_i;
                // sqrt is monotonic: one test per row finds any pair closer than r_min.
                if r2_min.sqrt() < r_min {
                    let marked = |k: usize| words[k / BITS] >> (k % BITS) & 1 == 1;
                    if let Some(k) =
                        (0..this.nb.len()).find(|&k| marked(k) && r2s[k].sqrt() < r_min)
                    {
                        return Err(PotentialError::TooClose {
                            i,
                            j: this.nb[k] as usize,
                            r: r2s[k].sqrt(),
                            r_min,
                        });
                    }
                }
            }
            Ok(Block1 { mask, rho })
        })
        .collect();
    let pass1 = pass1.into_iter().collect::<Result<Vec<Block1>>>()?;
    let rho = reduce(n, &pass1.iter().map(|b| &b.rho).collect::<Vec<_>>());

    // Embedding energies and their derivatives.
    let mut f_prime = vec![0.0; n];
    let mut e_embed = vec![0.0; n];
    let embed_sums: Vec<f64> = f_prime
        .par_chunks_mut(CHUNK)
        .zip(e_embed.par_chunks_mut(CHUNK))
        .enumerate()
        .map(|(c, (fp, ee))| {
            let mut sum = 0.0;
            for (off, (fpi, eei)) in fp.iter_mut().zip(ee.iter_mut()).enumerate() {
                let i = c * CHUNK + off;
                let (e, d) = funcs.embedding(usize::from(ctx.species[i]), rho[i]);
                *fpi = d;
                *eei = e;
                sum += e;
            }
            sum
        })
        .collect();
    let mut energy: f64 = embed_sums.iter().sum();

    // Pass 2: pair energies, forces and the virial.
    let p2 = Pass2 {
        f_prime: &f_prime,
        deriv: request.forces || request.virial,
        virial: request.virial,
    };
    let pass2: Vec<Block2> =
        blocks
            .par_iter()
            .zip(&pass1)
            .map(|(block, b1)| {
                let mut out = Block2 {
                    energy: 0.0,
                    virial: Matrix3::zeros(),
                    acc: Local::zeroed(block.start, b1.rho.end()),
                };
                let mut at_word = 0;
                for i in block.clone() {
                    let this = row(i);
                    let words = &b1.mask[at_word..at_word + words_of(i)];
                    at_word += words.len();
                    let (acc, w) = (&mut out.acc, &mut out.virial);
                    out.energy +=
                        match (has_shifts(this.sh), p2.deriv, p2.virial) {
                            (true, _, true) => {
                                this.forces::<true, true, true, F>(funcs, words, &ctx, &p2, acc, w)
                            }
                            (true, true, false) => {
                                this.forces::<true, true, false, F>(funcs, words, &ctx, &p2, acc, w)
                            }
                            (true, false, false) => this
                                .forces::<true, false, false, F>(funcs, words, &ctx, &p2, acc, w),
                            (false, _, true) => {
                                this.forces::<false, true, true, F>(funcs, words, &ctx, &p2, acc, w)
                            }
                            (false, true, false) => this
                                .forces::<false, true, false, F>(funcs, words, &ctx, &p2, acc, w),
                            (false, false, false) => this
                                .forces::<false, false, false, F>(funcs, words, &ctx, &p2, acc, w),
                        };
                }
                out
            })
            .collect();
    let mut virial = Matrix3::zeros();
    for b in &pass2 {
        energy += b.energy;
        virial += b.virial;
    }
    if !energy.is_finite() {
        return Err(PotentialError::NonFinite {
            what: "EAM energy".into(),
        });
    }
    let acc = reduce(n, &pass2.iter().map(|b| &b.acc).collect::<Vec<_>>());
    Ok(Results {
        energy,
        forces: request.forces.then(|| {
            acc.iter()
                .map(|a| Vector3::new(a.0[0], a.0[1], a.0[2]))
                .collect()
        }),
        virial: request.virial.then_some(virial),
        per_atom_energy: request
            .per_atom_energy
            .then(|| e_embed.iter().zip(&acc).map(|(e, a)| e + a.0[3]).collect()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_cover_the_atoms_in_order() {
        for n in [0, 1, 255, 256, 511, 512, 1000, 16_000, 128_000, 1_000_003] {
            let b = blocks(n);
            assert!(b.len().is_power_of_two() && b.len() <= MAX_BLOCKS);
            assert_eq!(b.first().map(|r| r.start), Some(0));
            assert_eq!(b.last().map(|r| r.end), Some(n));
            assert!(b.windows(2).all(|w| w[0].end == w[1].start));
            if b.len() > 1 {
                assert!(b.iter().all(|r| r.len() >= MIN_BLOCK_ATOMS));
            }
        }
    }

    #[test]
    fn canonical_keeps_one_entry_of_each_pair() {
        let shifts = [[0, 0, 0], [1, 0, 0], [-1, 2, 0], [0, -1, 1], [0, 0, -1]];
        for s in shifts {
            let back = s.map(|x: i8| -x);
            for (i, j) in [(0, 1), (1, 0), (3, 3)] {
                if i == j && s == [0, 0, 0] {
                    continue;
                }
                assert!(canonical(i, j, s) != canonical(j, i, back), "{i} {j} {s:?}");
            }
        }
    }

    #[test]
    fn reduce_sums_in_block_order() {
        let a = Local {
            start: 0,
            values: vec![1.0, 2.0, 3.0],
        };
        let b = Local {
            start: 2,
            values: vec![10.0, 20.0],
        };
        assert_eq!(reduce(5, &[&a, &b]), vec![1.0, 2.0, 13.0, 20.0, 0.0]);
    }
}
