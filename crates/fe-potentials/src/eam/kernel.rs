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

/// E, forces, virial and per-atom energies of the EAM
/// $$ E = \sum_i F_{s_i}(\bar\rho_i) + \tfrac12 \sum_i \sum_{j \ne i} \phi_{s_i s_j}(r_{ij}),
///    \qquad \bar\rho_i = \sum_{j \ne i} f_{s_j \to s_i}(r_{ij}), $$
/// with, for r_ij = r_i - r_j and
/// $\psi'_{ij} = F'_i f'_{j\to i} + F'_j f'_{i \to j} + \phi'_{ij}$,
/// forces $\mathbf f_i = -\sum_j \psi'_{ij} \mathbf r_{ij}/r_{ij}$, virial
/// $W = -\sum_{\text{pairs}} \psi'_{ij}\, \mathbf r_{ij} \otimes \mathbf r_{ij} / r_{ij}$ and
/// per-atom energies $e_i = F_i + \tfrac12 \sum_j \phi_{ij}$ (LAMMPS `pair_style eam`).
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
    let rows = [0, 1, 2].map(|a| h.row(a).transpose());
    let cut2 = cutoff * cutoff;
    let r_min = funcs.min_distance();
    let neighbors = list.neighbors();
    let shifts = list.shifts();

    // Vector from atom i to entry k's image of j: r_j + S H - r_i.
    let disp = |i: usize, k: usize| -> Vector3<f64> {
        let sh = shifts[k];
        let mut d = pos[neighbors[k] as usize] - pos[i];
        if sh != [0, 0, 0] {
            d += f64::from(sh[0]) * rows[0]
                + f64::from(sh[1]) * rows[1]
                + f64::from(sh[2]) * rows[2];
        }
        d
    };
    let too_close = |i: usize, k: usize, r: f64| PotentialError::TooClose {
        i,
        j: neighbors[k] as usize,
        r,
        r_min,
    };

    // Pass 1: host densities, embedding energies and their derivatives.
    let mut f_prime = vec![0.0; n];
    let mut e_embed = vec![0.0; n];
    let pass1: Vec<Result<f64>> = f_prime
        .par_chunks_mut(CHUNK)
        .zip(e_embed.par_chunks_mut(CHUNK))
        .enumerate()
        .map(|(c, (fp, ee))| {
            let mut sum = 0.0;
            for (off, (fpi, eei)) in fp.iter_mut().zip(ee.iter_mut()).enumerate() {
                let i = c * CHUNK + off;
                let si = usize::from(species[i]);
                let mut rho = 0.0;
                for k in list.row(i) {
                    let r2 = disp(i, k).norm_squared();
                    if r2 < cut2 {
                        let r = r2.sqrt();
                        if r < r_min {
                            return Err(too_close(i, k, r));
                        }
                        let sj = usize::from(species[neighbors[k] as usize]);
                        rho += funcs.density(sj, si, r);
                    }
                }
                let (e, d) = funcs.embedding(si, rho);
                *fpi = d;
                *eei = e;
                sum += e;
            }
            Ok(sum)
        })
        .collect();
    let mut energy = 0.0;
    for p in pass1 {
        energy += p?;
    }

    // Pass 2: pair energies, forces and the virial, gathered per atom.
    let mut forces = vec![Vector3::zeros(); n];
    let mut e_pair = vec![0.0; n];
    let f_prime = &f_prime;
    let pass2: Vec<Partial> = e_pair
        .par_chunks_mut(CHUNK)
        .enumerate()
        .zip(forces.par_chunks_mut(CHUNK))
        .map(|((c, ep), fc)| {
            let mut part = Partial {
                energy: 0.0,
                virial: Matrix3::zeros(),
            };
            let need_deriv = request.forces || request.virial;
            for (off, epi) in ep.iter_mut().enumerate() {
                let i = c * CHUNK + off;
                let si = usize::from(species[i]);
                let mut phi_sum = 0.0;
                let mut fi = Vector3::zeros();
                for k in list.row(i) {
                    let d = disp(i, k);
                    let r2 = d.norm_squared();
                    if r2 >= cut2 {
                        continue;
                    }
                    let r = r2.sqrt();
                    let j = neighbors[k] as usize;
                    let sj = usize::from(species[j]);
                    let t = funcs.pair_terms(si, sj, r);
                    phi_sum += t.phi;
                    if need_deriv {
                        let dpsi = f_prime[i] * t.drho_at_i + f_prime[j] * t.drho_at_j + t.dphi;
                        // d = r_j - r_i = -r_ij: f_i = -sum psi' r_ij / r = sum psi' d / r.
                        let g = dpsi / r;
                        fi += g * d;
                        if request.virial {
                            part.virial -= (0.5 * g) * d * d.transpose();
                        }
                    }
                }
                *epi = 0.5 * phi_sum;
                part.energy += 0.5 * phi_sum;
                fc[off] = fi;
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
