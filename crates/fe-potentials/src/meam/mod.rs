//! The modified embedded-atom method (MEAM) exactly as LAMMPS `pair_style meam` evaluates it
//! (Baskes, Phys. Rev. B 46, 2727 (1992); Lee and Baskes, Phys. Rev. B 62, 8564 (2000) for
//! the second-neighbour form): [`Meam`], read from a LAMMPS library file and an optional
//! parameter file.
//!
//! The energy is
//! $$ E = \sum_i F_i(\hat\rho_i) + \sum_{i<j} \phi_{ij}(r_{ij})\, s_{ij}, \qquad
//!    s_{ij} = f_c\!\left(\frac{r_c - r_{ij}}{\Delta r}\right) \prod_k S_{ikj}, $$
//! with the embedding $F(\hat\rho) = A E_c \hat\rho\ln\hat\rho$,
//! $\hat\rho_i = \rho_{0,i}\, G(\Gamma_i)/\rho_{bkgd}$,
//! $\Gamma_i = \sum_{l=1}^3 \bar t_{l,i} (\rho_{l,i})^2/\rho_{0,i}^2$ from the partial
//! densities
//! $\rho_0 = \sum_j s\rho^{(0)}_j$,
//! $(\rho_1)^2 = |\sum_j s\rho^{(1)}_j \hat u|^2$,
//! $(\rho_2)^2 = \|\sum_j s\rho^{(2)}_j \hat u\hat u\|^2 - \tfrac13(\sum_j s\rho^{(2)}_j)^2$,
//! $(\rho_3)^2 = \|\sum_j s\rho^{(3)}_j \hat u\hat u\hat u\|^2 - \tfrac35|\sum_j s\rho^{(3)}_j\hat u|^2$,
//! atomic densities $\rho^{(l)}(r) = \rho_0 e^{-\beta_l(r/r_e - 1)}$, the screening
//! $S_{ikj} = f_c((C_{ikj} - C_{min})/(C_{max} - C_{min}))$ of the ellipse parameter
//! $C = (2(X_{ik} + X_{jk}) - (X_{ik} - X_{jk})^2 - 1)/(1 - (X_{ik} - X_{jk})^2)$,
//! $X = (r/r_{ij})^2$, and the pair function $\phi$ from the reference structure
//! ($\phi = (2E^u - F_a - F_b)/Z$ with the Rose energy $E^u$, a second-neighbour series when
//! nn2 = 1, ZBL blending when zbl = 1), tabulated on 1000 points up to 1.1 r_c and
//! interpolated as LAMMPS does. Energies in eV, distances in Angstrom; METHODS.md 11.6 has
//! every switch. Per-atom energies are $F_i + \tfrac12\sum_j \phi_{ij}s_{ij}$.

// Component loops over fixed 3-vectors and tensors read as the equations they implement.
#![allow(clippy::needless_range_loop)]

mod density;
mod funcs;
mod kernel;
mod lattice;
mod params;
mod parse;
mod reference;
mod screening;

use std::path::Path;

use fe_neighbors::NeighborList;
use fe_structure::Element;

use crate::error::{PotentialError, Result};
use crate::potential::{BoundAtoms, Potential, Request, Results};

pub use lattice::Lattice;
use params::Params;
use reference::PairTable;

/// A MEAM potential as LAMMPS `pair_style meam` defines it (`pair_coeff * * LIBRARY El_1 ...
/// El_n PARAMS|NULL ...`).
///
/// ```no_run
/// use fe_potentials::meam::Meam;
/// use fe_potentials::Potential;
/// let meam = Meam::from_paths("library.meam".as_ref(), Some("Fe.meam".as_ref()), &["Fe"]).unwrap();
/// assert_eq!(meam.elements()[0].symbol(), "Fe");
/// ```
#[derive(Debug, Clone)]
pub struct Meam {
    names: Vec<String>,
    elements: Vec<Element>,
    p: Params,
    rho_ref: Vec<f64>,
    /// Pair tables at `a * n + b` (symmetric).
    tables: Vec<PairTable>,
    /// -beta_l / re per element, for the atomic density derivatives.
    dlog: Vec<[f64; 4]>,
    /// The kernel's buffers, kept between calls.
    scratch: kernel::Scratch,
}

impl Meam {
    /// Read a library file and an optional parameter file (`None`, or a path named `NULL`,
    /// for LAMMPS' defaults), selecting the library entries `entries` (El_1 ... El_n, which
    /// also number the elements of the parameter file). An entry whose name is not an element
    /// symbol takes its element from the library's atomic number (`WL` is W).
    ///
    /// # Errors
    /// I/O errors, parse errors naming file and line, unknown keywords, missing entries,
    /// unsupported reference lattices, and two entries of the same element.
    pub fn from_paths(library: &Path, params: Option<&Path>, entries: &[&str]) -> Result<Meam> {
        let read = |p: &Path| {
            std::fs::read_to_string(p).map_err(|source| PotentialError::Io {
                file: p.display().to_string(),
                source,
            })
        };
        let lib = read(library)?;
        let params = params.filter(|p| p.as_os_str() != "NULL");
        let par = match params {
            Some(p) => Some((read(p)?, p.display().to_string())),
            None => None,
        };
        Meam::from_strs(
            &lib,
            &library.display().to_string(),
            par.as_ref().map(|(t, n)| (t.as_str(), n.as_str())),
            entries,
        )
    }

    /// As [`Meam::from_paths`] on texts held in memory, with the names errors should give.
    ///
    /// # Errors
    /// As [`Meam::from_paths`].
    pub fn from_strs(
        library: &str,
        library_name: &str,
        params: Option<(&str, &str)>,
        entries: &[&str],
    ) -> Result<Meam> {
        if entries.is_empty() {
            return Err(PotentialError::Unsupported(
                "a MEAM potential needs at least one library entry".into(),
            ));
        }
        let names: Vec<String> = entries.iter().map(|s| s.to_string()).collect();
        let lib = parse::library(library, library_name, &names)?;
        let mut elements = Vec::with_capacity(lib.len());
        for e in &lib {
            let el = Element::from_symbol(&e.name)
                .or_else(|_| Element::from_z(e.ielement.max(0) as u32))
                .map_err(|_| PotentialError::Parse {
                    file: library_name.to_string(),
                    line: e.line,
                    message: format!(
                        "`{}` is not an element symbol and ielement = {} is no atomic number",
                        e.name, e.ielement
                    ),
                })?;
            if elements.contains(&el) {
                return Err(PotentialError::Unsupported(format!(
                    "two MEAM entries map to {el}; select one per element"
                )));
            }
            elements.push(el);
        }
        let mut p = Params::from_library(&lib);
        let file = params.map_or(library_name, |(_, name)| name);
        if let Some((text, name)) = params {
            for s in parse::parameters(text, name, lib.len())? {
                p.apply(&s, name)?;
            }
        }
        p.finish(&names, file)?;
        let n = p.n;
        let rho_ref: Vec<f64> = (0..n)
            .map(|a| reference::reference_density(&p, a))
            .collect();
        let mut tables = Vec::with_capacity(n * n);
        for a in 0..n {
            for b in 0..n {
                let (lo, hi) = (a.min(b), a.max(b));
                tables.push(PairTable::new(p.rc, |r| reference::phi(&p, r, lo, hi)));
            }
        }
        let dlog = (0..n)
            .map(|e| {
                let re = p.re[p.ab(e, e)];
                p.beta[e].map(|b| -b / re)
            })
            .collect();
        Ok(Meam {
            names,
            elements,
            p,
            rho_ref,
            tables,
            dlog,
            scratch: kernel::Scratch::default(),
        })
    }

    /// The library entry names, in species order.
    pub fn entry_names(&self) -> &[String] {
        &self.names
    }

    /// Masses (amu) from the library.
    pub fn masses(&self) -> &[f64] {
        &self.p.mass
    }

    /// The pair cut-off r_c (Angstrom).
    pub fn rc(&self) -> f64 {
        self.p.rc
    }

    /// The reference lattice of the element pair (a, b) (species indices).
    pub fn lattice(&self, a: usize, b: usize) -> Lattice {
        self.p.lattce[self.p.ab(a, b)]
    }

    /// The pair function phi_ab(r) (eV) of species a and b as tabulated (LAMMPS' spline).
    pub fn pair(&self, a: usize, b: usize, r: f64) -> f64 {
        self.tables[self.p.ab(a, b)].eval(r).0
    }

    /// The neighbour-list range needed: $\sqrt{e_b}\, r_c$ with
    /// $e_b = \max C_{max}^2/(4(C_{max} - 1))$, the farthest a screening atom can be.
    fn list_cutoff(&self) -> f64 {
        let eb = self.p.ebound.iter().copied().fold(0.0, f64::max);
        eb.sqrt() * self.p.rc
    }

    /// Atomic densities rho^(l)(r) of element e (times t_l for l >= 1 when ialloy = 1).
    #[inline(always)]
    fn atomic(&self, e: usize, r: f64) -> [f64; 4] {
        let p = &self.p;
        let x = r / p.re[p.ab(e, e)] - 1.0;
        let b = &p.beta[e];
        let r0 = p.rho0[e];
        let e0 = (-b[0] * x).exp();
        // equal betas share one exponential (common in library files)
        let e1 = (-b[1] * x).exp();
        let e2 = if b[2] == b[1] { e1 } else { (-b[2] * x).exp() };
        let e3 = if b[3] == b[1] {
            e1
        } else if b[3] == b[2] {
            e2
        } else {
            (-b[3] * x).exp()
        };
        let mut v = [r0 * e0, r0 * e1, r0 * e2, r0 * e3];
        if p.ialloy == 1 {
            for l in 1..4 {
                v[l] *= p.t[e][l - 1];
            }
        }
        v
    }

    /// d rho^(l)/dr from the values.
    #[inline(always)]
    fn dr(&self, e: usize, rho: &[f64; 4]) -> [f64; 4] {
        let d = &self.dlog[e];
        [rho[0] * d[0], rho[1] * d[1], rho[2] * d[2], rho[3] * d[3]]
    }
}

impl Potential for Meam {
    /// $\sqrt{e_b}\,r_c$: pairs interact below r_c, but atoms up to this distance screen them.
    fn cutoff(&self) -> f64 {
        self.list_cutoff()
    }

    fn elements(&self) -> &[Element] {
        &self.elements
    }

    fn compute(
        &self,
        atoms: &BoundAtoms<'_>,
        list: &NeighborList,
        request: Request,
    ) -> Result<Results> {
        kernel::compute(self, atoms, list, request)
    }
}
