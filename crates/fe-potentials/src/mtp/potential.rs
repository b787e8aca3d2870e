//! [`Mtp`]: a trained MTP bound to elements, evaluated by the kernel of `kernel.rs`.

use std::path::Path;

use fe_neighbors::NeighborList;
use fe_structure::Element;
use nalgebra::{Matrix3, Vector3};
use rayon::prelude::*;

use super::almtp::Almtp;
use super::isa::{Isa, Job};
use super::kernel::{Basis, Input, Work, LANES};
use super::model::MtpModel;
use super::parse::parse_mtp;
use crate::error::{PotentialError, Result};
use crate::potential::{check_list, BoundAtoms, Potential, Request, Results};

/// Atoms per rayon task; fixed, so results do not depend on the number of threads.
const CHUNK: usize = 32;

/// Read an MLIP `.mtp` file, or the MTP part of an `.almtp` file (the text before its first
/// `#`).
///
/// # Errors
/// I/O errors and the reader's errors naming file, line and what was expected.
pub fn read_mtp(path: &Path) -> Result<MtpModel> {
    let name = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|source| PotentialError::Io {
        file: name.clone(),
        source,
    })?;
    let end = bytes.iter().position(|&b| b == b'#').unwrap_or(bytes.len());
    let text = std::str::from_utf8(&bytes[..end]).map_err(|_| PotentialError::File {
        file: name.clone(),
        message: "not UTF-8 text".into(),
    })?;
    Ok(parse_mtp(text, &name)?.0)
}

/// Parse `.mtp` text held in memory (`name` is used in error messages).
///
/// # Errors
/// As [`read_mtp`].
pub fn parse_mtp_str(text: &str, name: &str) -> Result<MtpModel> {
    Ok(parse_mtp(text, name)?.0)
}

/// A moment tensor potential (MTP.md 2) whose species `0..C` are the given elements.
///
/// Site energies $E_i = \xi_{t_i} + \sum_s \theta_s B_s(i)$ (eV) with the basis functions
/// $B_s$ of MTP.md 2.4-2.5; forces and virial by the backward pass of MTP.md 2.7. Pairs
/// interact for $r < $ `max_dist` (strict); pairs closer than `min_dist` are evaluated as
/// MLIP evaluates them, with the Chebyshev polynomials taken outside $[-1, 1]$ (no clamping,
/// no error: the potential is extrapolating there; [`Mtp::close_pairs`] counts them).
///
/// The kernel runs with AVX2 when the CPU has it (chosen once, here; `FE_SIMD=baseline`
/// forces the SSE2 build): results are bit-identical either way.
#[derive(Debug, Clone)]
pub struct Mtp {
    model: MtpModel,
    elements: Vec<Element>,
    basis: Basis,
    isa: Isa,
}

/// The basis-function values of one atom and their derivatives with respect to its pair
/// vectors (for MaxVol and training).
#[derive(Debug, Clone, PartialEq)]
pub struct SiteBasis {
    /// $B_s(i)$, `s = 0..n_s` (the order of `alpha_moment_mapping`).
    pub values: Vec<f64>,
    /// Neighbour atom of every pair within the cutoff.
    pub neighbors: Vec<usize>,
    /// Pair vectors $\mathbf r_{ij} = \mathbf x_j + \text{shift} - \mathbf x_i$ (Angstrom).
    pub vectors: Vec<Vector3<f64>>,
    /// $\partial B_s(i)/\partial \mathbf r_{ij}$ at `s * n_pairs + p` (1/Angstrom units of
    /// the basis function). Moving neighbour `j` by `dx` changes $B_s$ by `+deriv . dx`,
    /// moving atom `i` changes it by `-deriv . dx` per pair.
    pub derivatives: Vec<Vector3<f64>>,
}

impl Mtp {
    /// A potential from a trained, validated model; `elements[t]` is species `t`.
    ///
    /// # Errors
    /// [`PotentialError::File`] for an untrained model, an invalid one, or a number of
    /// elements different from the model's species count.
    pub fn new(model: MtpModel, elements: &[Element]) -> Result<Mtp> {
        model.validate("MTP model")?;
        if !model.is_trained() {
            return Err(PotentialError::File {
                file: "MTP model".into(),
                message: "untrained potential (no radial_coeffs, species_coeffs or moment_coeffs): cannot evaluate".into(),
            });
        }
        let c = model.n_species();
        if elements.len() != c {
            return Err(PotentialError::File {
                file: "MTP model".into(),
                message: format!(
                    "the potential has {c} species but {} elements were given ({})",
                    elements.len(),
                    elements
                        .iter()
                        .map(|e| e.symbol())
                        .collect::<Vec<_>>()
                        .join(",")
                ),
            });
        }
        let mut sorted = elements.to_vec();
        sorted.sort();
        sorted.dedup();
        if sorted.len() != elements.len() {
            return Err(PotentialError::File {
                file: "MTP model".into(),
                message: "an element is given for two species".into(),
            });
        }
        let basis = Basis::new(&model);
        Ok(Mtp {
            model,
            elements: elements.to_vec(),
            basis,
            isa: Isa::detect(),
        })
    }

    /// The instruction set the kernel runs with on this CPU: `"avx2"` or `"baseline"`
    /// (SSE2 on x86-64; forced by `FE_SIMD=baseline`). Results are bit-identical.
    pub fn instruction_set(&self) -> &'static str {
        self.isa.name()
    }

    /// Read an `.mtp` (or the MTP part of an `.almtp`) file for `elements`.
    ///
    /// # Errors
    /// As [`read_mtp`] and [`Mtp::new`] (errors name the file).
    pub fn from_path(path: &Path, elements: &[Element]) -> Result<Mtp> {
        let model = read_mtp(path)?;
        Mtp::new(model, elements).map_err(|e| match e {
            PotentialError::File { message, .. } => PotentialError::File {
                file: path.display().to_string(),
                message,
            },
            other => other,
        })
    }

    /// Read an `.almtp` file's potential for `elements`.
    ///
    /// # Errors
    /// As [`Almtp::from_path`] and [`Mtp::new`].
    pub fn from_almtp(a: &Almtp, elements: &[Element]) -> Result<Mtp> {
        Mtp::new(a.model.clone(), elements)
    }

    /// The model.
    pub fn model(&self) -> &MtpModel {
        &self.model
    }

    /// Number of scalar basis functions `n_s`.
    pub fn n_basis(&self) -> usize {
        self.basis.mapping.len()
    }

    /// Number of pairs (counted from each side) closer than `min_dist`, where the radial
    /// basis is extrapolated as MLIP does.
    ///
    /// # Errors
    /// A list that does not fit (see [`check_list`]).
    pub fn close_pairs(&self, atoms: &BoundAtoms<'_>, list: &NeighborList) -> Result<usize> {
        check_list(atoms, list, self.cutoff())?;
        let s = atoms.structure();
        let mut n = 0;
        for i in 0..atoms.len() {
            for e in list.row(i) {
                let d = list.displacement(s.cell(), s.positions(), i, e);
                if d.norm() < self.basis.min_dist {
                    n += 1;
                }
            }
        }
        Ok(n)
    }

    /// The kernel's input, after checking that the list fits the cutoff.
    fn input<'a, 'b>(
        &self,
        atoms: &'a BoundAtoms<'b>,
        list: &'a NeighborList,
    ) -> Result<Input<'a, 'b>> {
        check_list(atoms, list, self.cutoff())?;
        let h = atoms.structure().cell().matrix();
        Ok(Input {
            atoms,
            list,
            rows: [0, 1, 2].map(|a| [h[(a, 0)], h[(a, 1)], h[(a, 2)]]),
        })
    }

    /// Basis-function values of every atom: `values[i * n_s + s]` = $B_s(i)$ (MTP.md 2.5).
    ///
    /// # Errors
    /// A list that does not fit.
    pub fn basis_values(&self, atoms: &BoundAtoms<'_>, list: &NeighborList) -> Result<Vec<f64>> {
        let input = self.input(atoms, list)?;
        let b = &self.basis;
        let ns = self.n_basis().max(1);
        let mut out = vec![0.0; atoms.len() * self.n_basis()];
        out.par_chunks_mut(CHUNK * ns).enumerate().for_each_init(
            || Work::new(b),
            |w, (c, chunk)| {
                self.isa.run(ValuesJob {
                    basis: b,
                    w,
                    first: c * CHUNK,
                    out: chunk,
                    input: &input,
                })
            },
        );
        Ok(out)
    }

    /// Basis-function values of atom `i` and their derivatives with respect to its pair
    /// vectors (one backward pass per basis function).
    ///
    /// # Errors
    /// A list that does not fit; `i` out of range.
    pub fn site_basis(
        &self,
        atoms: &BoundAtoms<'_>,
        list: &NeighborList,
        i: usize,
    ) -> Result<SiteBasis> {
        let input = self.input(atoms, list)?;
        if i >= atoms.len() {
            return Err(PotentialError::List(format!(
                "atom {i} out of range ({} atoms)",
                atoms.len()
            )));
        }
        let b = &self.basis;
        let mut w = Work::new(b);
        let (values, derivatives) = self.isa.run(SiteJob {
            basis: b,
            w: &mut w,
            i,
            input: &input,
        });
        let np = w.pairs[0].np;
        let p = &w.pairs[0];
        Ok(SiteBasis {
            values,
            neighbors: p.nb[..np].iter().map(|&j| j as usize).collect(),
            vectors: p.d[..np].iter().map(|d| Vector3::from(*d)).collect(),
            derivatives,
        })
    }

    /// The derivatives of every site energy with respect to the parameters, in MLIP's order
    /// (MTP.md 2.8): `rows[i * n + q]` = $\partial E_i/\partial p_q$ with
    /// $n = C^2 K R + C + n_s$: radial coefficients `c[a][b][mu][beta]` first
    /// ($[a = t_i] \sum_{j, t_j = b} Q_\beta(r_{ij}) \sum_{k: \mu_k = \mu} g_k P_k$), then
    /// species offsets ($[t = t_i]$), then moment coefficients ($B_s(i)$).
    ///
    /// # Errors
    /// A list that does not fit.
    pub fn site_energy_gradients(
        &self,
        atoms: &BoundAtoms<'_>,
        list: &NeighborList,
    ) -> Result<Vec<f64>> {
        let input = self.input(atoms, list)?;
        let b = &self.basis;
        let n = self.model.n_params();
        let mut out = vec![0.0; atoms.len() * n];
        out.par_chunks_mut(CHUNK * n).enumerate().for_each_init(
            || Work::new(b),
            |w, (ch, chunk)| {
                self.isa.run(GradientsJob {
                    basis: b,
                    w,
                    first: ch * CHUNK,
                    out: chunk,
                    n_params: n,
                    scaling: self.model.scaling,
                    input: &input,
                })
            },
        );
        Ok(out)
    }
}

/// What one rayon task returns.
struct Chunk {
    energy: f64,
    virial: Matrix3<f64>,
    /// Forces on the task's own atoms (sum of their pair gradients).
    own: Vec<[f64; 3]>,
    /// (neighbour, gradient) of every pair, to subtract from the neighbour's force.
    scatter: Vec<(u32, [f64; 3])>,
    site: Vec<f64>,
}

impl Potential for Mtp {
    fn cutoff(&self) -> f64 {
        self.basis.max_dist
    }

    fn elements(&self) -> &[Element] {
        &self.elements
    }

    /// $E = \sum_i E_i$; with $\mathbf G_p = \partial E_i / \partial \mathbf r_{ij}$ for
    /// every pair $p = (i, j)$ (MTP.md 2.7), forces
    /// $\mathbf F_i = \sum_{p \in i} \mathbf G_p - \sum_{p:\, j_p = i} \mathbf G_p$ and
    /// virial $W = -\sum_p \mathbf r_p \otimes \mathbf G_p$ (eV). Per-chunk partial sums
    /// and the neighbour scatter are combined in chunk order, so results do not depend on
    /// the number of threads.
    fn compute(
        &self,
        atoms: &BoundAtoms<'_>,
        list: &NeighborList,
        request: Request,
    ) -> Result<Results> {
        let input = self.input(atoms, list)?;
        let n = atoms.len();
        let b = &self.basis;
        let n_chunks = n.div_ceil(CHUNK);
        let chunks: Vec<Chunk> = (0..n_chunks)
            .into_par_iter()
            .map_init(
                || Work::new(b),
                |w, c| {
                    self.isa.run(ComputeJob {
                        basis: b,
                        w,
                        range: c * CHUNK..((c + 1) * CHUNK).min(n),
                        request,
                        input: &input,
                    })
                },
            )
            .collect();
        let mut energy = 0.0;
        let mut virial = Matrix3::zeros();
        let mut forces = if request.forces {
            Vec::with_capacity(n)
        } else {
            Vec::new()
        };
        let mut site = Vec::with_capacity(if request.per_atom_energy { n } else { 0 });
        for ch in &chunks {
            energy += ch.energy;
            virial += ch.virial;
            if request.forces {
                forces.extend(ch.own.iter().map(|f| Vector3::from(*f)));
            }
            if request.per_atom_energy {
                site.extend_from_slice(&ch.site);
            }
        }
        if request.forces {
            for ch in &chunks {
                for (j, g) in &ch.scatter {
                    let f: &mut Vector3<f64> = &mut forces[*j as usize];
                    f.x -= g[0];
                    f.y -= g[1];
                    f.z -= g[2];
                }
            }
        }
        if !energy.is_finite()
            || forces.iter().any(|f| !f.iter().all(|x| x.is_finite()))
            || !virial.iter().all(|x| x.is_finite())
        {
            return Err(PotentialError::NonFinite {
                what: "MTP energy, forces or virial".into(),
            });
        }
        Ok(Results {
            energy,
            forces: request.forces.then_some(forces),
            virial: request.virial.then_some(virial),
            per_atom_energy: request.per_atom_energy.then_some(site),
        })
    }
}

/// One rayon task of [`Potential::compute`]: energies, and with `request.forces` or
/// `request.virial` the pair gradients, of the atoms `range`.
struct ComputeJob<'a, 'b> {
    basis: &'a Basis,
    w: &'a mut Work,
    range: std::ops::Range<usize>,
    request: Request,
    input: &'a Input<'a, 'b>,
}

impl Job for ComputeJob<'_, '_> {
    type Out = Chunk;

    #[inline(always)]
    fn run(self) -> Chunk {
        let (b, w, range, request) = (self.basis, self.w, self.range, self.request);
        let species = self.input.atoms.species();
        let deriv = request.forces || request.virial;
        let mut out = Chunk {
            energy: 0.0,
            virial: Matrix3::zeros(),
            own: Vec::with_capacity(if deriv { range.len() } else { 0 }),
            scatter: Vec::new(),
            site: Vec::with_capacity(range.len()),
        };
        for g0 in range.clone().step_by(LANES) {
            let nl = LANES.min(range.end - g0);
            w.load_batch(b, g0, nl, self.input);
            let e = w.products(b);
            for (l, &el) in e.iter().enumerate().take(nl) {
                let e = b.xi[usize::from(species[g0 + l])] + el;
                out.energy += e;
                out.site.push(e);
            }
            if !deriv {
                continue;
            }
            w.seed_energy(b);
            w.backward_products(b);
            for l in 0..nl {
                w.backward_pairs(b, l, l);
                let pw = &w.pairs[l];
                let mut fi = [0.0; 3];
                for p in 0..pw.np {
                    let g = pw.grad[p];
                    fi[0] += g[0];
                    fi[1] += g[1];
                    fi[2] += g[2];
                    if request.forces {
                        out.scatter.push((pw.nb[p], g));
                    }
                    if request.virial {
                        for (a, da) in pw.d[p].iter().enumerate() {
                            for (bb, gb) in g.iter().enumerate() {
                                out.virial[(a, bb)] -= da * gb;
                            }
                        }
                    }
                }
                out.own.push(fi);
            }
        }
        out
    }
}

/// One rayon task of [`Mtp::basis_values`]: the basis functions of the atoms from `first`
/// into `out` (`n_s` values per atom).
struct ValuesJob<'a, 'b> {
    basis: &'a Basis,
    w: &'a mut Work,
    first: usize,
    out: &'a mut [f64],
    input: &'a Input<'a, 'b>,
}

impl Job for ValuesJob<'_, '_> {
    type Out = ();

    #[inline(always)]
    fn run(self) {
        let (b, w) = (self.basis, self.w);
        let ns = b.mapping.len().max(1);
        let here = self.out.len() / ns;
        for g0 in (0..here).step_by(LANES) {
            let nl = LANES.min(here - g0);
            w.load_batch(b, self.first + g0, nl, self.input);
            w.products(b);
            for l in 0..nl {
                let vals = &mut self.out[(g0 + l) * ns..(g0 + l + 1) * ns];
                for (v, &m) in vals.iter_mut().zip(&b.mapping) {
                    *v = w.m[m][l];
                }
            }
        }
    }
}

/// [`Mtp::site_basis`]: the basis functions of atom `i` and their derivatives with respect
/// to its pair vectors, `[s * n_pairs + p]`; the pairs stay in `w.pairs[0]`.
struct SiteJob<'a, 'b> {
    basis: &'a Basis,
    w: &'a mut Work,
    i: usize,
    input: &'a Input<'a, 'b>,
}

impl Job for SiteJob<'_, '_> {
    type Out = (Vec<f64>, Vec<Vector3<f64>>);

    #[inline(always)]
    fn run(self) -> Self::Out {
        let (b, w) = (self.basis, self.w);
        w.load(b, 0, self.i, self.input);
        // Every lane holds this atom; the lanes differentiate LANES basis functions at once.
        w.broadcast(b);
        w.products(b);
        let ns = b.mapping.len();
        let values = b.mapping.iter().map(|&m| w.m[m][0]).collect();
        let np = w.pairs[0].np;
        let mut derivatives = vec![Vector3::zeros(); ns * np];
        for s0 in (0..ns).step_by(LANES) {
            w.seed_basis(b, std::array::from_fn(|l| (s0 + l < ns).then_some(s0 + l)));
            w.backward_products(b);
            for l in 0..LANES.min(ns - s0) {
                w.backward_pairs(b, 0, l);
                let s = s0 + l;
                for (d, g) in derivatives[s * np..(s + 1) * np]
                    .iter_mut()
                    .zip(&w.pairs[0].grad[..np])
                {
                    *d = Vector3::from(*g);
                }
            }
        }
        (values, derivatives)
    }
}

/// One rayon task of [`Mtp::site_energy_gradients`]: the parameter derivatives of the site
/// energies of the atoms from `first` into `out` (`n_params` values per atom).
struct GradientsJob<'a, 'b> {
    basis: &'a Basis,
    w: &'a mut Work,
    first: usize,
    out: &'a mut [f64],
    n_params: usize,
    scaling: f64,
    input: &'a Input<'a, 'b>,
}

impl Job for GradientsJob<'_, '_> {
    type Out = ();

    #[inline(always)]
    fn run(self) {
        let (b, w, n) = (self.basis, self.w, self.n_params);
        let species = self.input.atoms.species();
        let (c, kk, rr) = (b.n_species, b.k, b.r);
        let here = self.out.len() / n;
        for g0 in (0..here).step_by(LANES) {
            let nl = LANES.min(here - g0);
            w.load_batch(b, self.first + g0, nl, self.input);
            w.products(b);
            w.seed_energy(b);
            w.backward_products(b);
            for l in 0..nl {
                let i = self.first + g0 + l;
                let ti = usize::from(species[i]);
                let row = &mut self.out[(g0 + l) * n..(g0 + l + 1) * n];
                w.backward_pairs(b, l, l);
                let pw = &w.pairs[l];
                for p in 0..pw.np {
                    let tj = pw.neighbor_species(p);
                    let blk = (ti * c + tj) * kk * rr;
                    for mu in 0..kk {
                        let adj = pw.radial_adjoint(mu, p) * self.scaling;
                        for beta in 0..rr {
                            row[blk + mu * rr + beta] += adj * pw.q(beta, p);
                        }
                    }
                }
                row[c * c * kk * rr + ti] = 1.0;
                for (s, &m) in b.mapping.iter().enumerate() {
                    row[c * c * kk * rr + c + s] = w.m[m][l];
                }
            }
        }
    }
}

/// The potential of a spec `mtp:PATH[@El,...]` (`rest` is what follows `mtp:`); `present`
/// are the structure's elements, used when no elements are listed.
pub(crate) fn from_mtp_spec(
    spec: &str,
    rest: &str,
    present: &[Element],
) -> Result<std::sync::Arc<dyn Potential>> {
    let bad = |message: String| PotentialError::Spec {
        spec: spec.to_string(),
        message,
    };
    let (path, list) = match rest.rsplit_once('@') {
        Some((p, l)) => (p, Some(l)),
        None => (rest, None),
    };
    if path.is_empty() {
        return Err(bad("mtp: needs a file path".into()));
    }
    let model = read_mtp(Path::new(path))?;
    let elements: Vec<Element> = match list {
        Some(l) => l
            .split(',')
            .map(|e| {
                e.trim()
                    .parse::<Element>()
                    .map_err(|_| bad(format!("unknown element `{e}`")))
            })
            .collect::<Result<_>>()?,
        None => {
            let mut p = present.to_vec();
            p.sort();
            p.dedup();
            if model.n_species() == 1 && p.len() == 1 {
                p
            } else {
                return Err(bad(format!(
                    "the potential has {} species and the structure {} elements: name them in species order, mtp:PATH@El1,El2,...",
                    model.n_species(),
                    p.len()
                )));
            }
        }
    };
    if elements.len() != model.n_species() {
        return Err(bad(format!(
            "{} elements listed for a potential of {} species",
            elements.len(),
            model.n_species()
        )));
    }
    Ok(std::sync::Arc::new(Mtp::from_path(
        Path::new(path),
        &elements,
    )?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mtp::{template, RadialCoeffs};
    use fe_neighbors::ListKind;
    use fe_structure::Structure;
    use rand::{Rng, SeedableRng};
    use rand_pcg::Pcg64;

    /// A level-12 basis for `c` species with random coefficients.
    fn random_mtp(c: usize) -> Mtp {
        let mut m = template(12, c, 1.9, 4.6, 6).unwrap();
        let mut rng = Pcg64::seed_from_u64(7);
        let n_rad = c * c * m.radial_funcs_count * m.radial_basis_size;
        m.radial_coeffs = Some(RadialCoeffs {
            labels: (0..c)
                .flat_map(|a| (0..c).map(move |b| format!("{a}-{b}")))
                .collect(),
            values: (0..n_rad).map(|_| rng.gen_range(-1.0..1.0)).collect(),
        });
        m.species_coeffs = Some((0..c).map(|t| -3.0 - t as f64).collect());
        m.moment_coeffs = Some(
            (0..m.alpha_moment_mapping.len())
                .map(|_| rng.gen_range(-0.5..0.5))
                .collect(),
        );
        Mtp::new(m, &[Element::FE, Element::W][..c]).unwrap()
    }

    /// Every entry point gives bit-identical results with the baseline build and with the
    /// instruction set detected on this CPU (AVX2 where it exists; on a CPU without it
    /// both runs take the baseline path and the test checks nothing new).
    #[test]
    fn instruction_sets_give_bit_identical_results() {
        for c in [1, 2] {
            let s = fe_testkit::random_structure(3, 70, 9.0, 11.0, 0.2, [true; 3], true);
            let species: Vec<Element> = (0..s.len())
                .map(|i| {
                    if c == 2 && i % 3 == 0 {
                        Element::W
                    } else {
                        Element::FE
                    }
                })
                .collect();
            let s = Structure::new(s.cell().clone(), species, s.positions().to_vec()).unwrap();
            let detected = random_mtp(c);
            let mut baseline = detected.clone();
            baseline.isa = Isa::BASELINE;
            let binding = detected.bind(&s.elements()).unwrap();
            let atoms = BoundAtoms::new(&s, &binding).unwrap();
            let list = NeighborList::new(&s, detected.cutoff(), ListKind::Full).unwrap();
            let run = |p: &Mtp| {
                let r = p.compute(&atoms, &list, Request::ALL).unwrap();
                let mut bits: Vec<u64> = vec![r.energy.to_bits()];
                bits.extend(
                    r.forces
                        .unwrap()
                        .iter()
                        .flat_map(|f| f.iter().map(|x| x.to_bits())),
                );
                bits.extend(r.virial.unwrap().iter().map(|x| x.to_bits()));
                bits.extend(r.per_atom_energy.unwrap().iter().map(|x| x.to_bits()));
                bits.extend(
                    p.basis_values(&atoms, &list)
                        .unwrap()
                        .iter()
                        .map(|x| x.to_bits()),
                );
                let g = p.site_energy_gradients(&atoms, &list).unwrap();
                bits.extend(g.iter().map(|x| x.to_bits()));
                let sb = p.site_basis(&atoms, &list, 5).unwrap();
                bits.extend(sb.values.iter().map(|x| x.to_bits()));
                bits.extend(
                    sb.derivatives
                        .iter()
                        .flat_map(|d| d.iter().map(|x| x.to_bits())),
                );
                bits
            };
            println!("detected instruction set: {}", detected.instruction_set());
            assert!(run(&detected) == run(&baseline), "{c} species");
        }
    }
}
