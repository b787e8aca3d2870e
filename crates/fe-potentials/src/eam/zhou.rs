//! The Zhou-Johnson-Wadley 2004 analytic EAM ([`Zhou2004`], spec `zhou2004`), evaluated from
//! its published parameters with exact derivatives (METHODS.md 11.4).
//!
//! With x = r / r_e:
//! $$ f(r) = \frac{f_e\, e^{-\beta_1 (x-1)}}{1 + (x - \lambda_1)^{20}}, \qquad
//!    \phi(r) = \frac{A\, e^{-\alpha (x-1)}}{1 + (x-\kappa)^{20}}
//!            - \frac{B\, e^{-\beta (x-1)}}{1 + (x-\lambda)^{20}}, $$
//! $$ \phi_{ab} = \tfrac12\left[\frac{f_b}{f_a}\phi_{aa} + \frac{f_a}{f_b}\phi_{bb}\right], $$
//! and the embedding energy in three pieces split at ρ_n = rhol ρ_e and ρ_o = rhoh ρ_e:
//! $F = \sum_{i=0}^{3} F_{ni} (\rho/\rho_n - 1)^i$ below ρ_n,
//! $F = \sum_{i=0}^{2} F_i (\rho/\rho_e - 1)^i + F_3 (\rho/\rho_e - 1)^3$ up to ρ_o (F_3 = `Fm3`
//! below ρ_e and `Fm4` above), and $F = F_e [1 - \eta \ln(\rho/\rho_s)] (\rho/\rho_s)^\eta$
//! beyond. As in the LAMMPS generator, F(0) = 0 exactly, every function is evaluated at
//! max(r, 0.5 A) with r phi(r) held constant below 0.5 A, and pairs interact below
//! r_c = sqrt(5) max r_e (the largest r_e of the elements in use). Units: Angstrom, eV.

use fe_neighbors::{ListKind, NeighborList};
use fe_structure::Element;

use super::kernel::{self, EamFunctions, PairTerms};
use super::setfl::SetflTables;
use super::zhou_table::{ZhouParams, ZHOU_2004};
use crate::error::{PotentialError, Result};
use crate::potential::{BoundAtoms, Potential, Request, Results};

/// Below this distance (Angstrom) the functions are frozen, as in the published tables.
const R_FLOOR: f64 = 0.5;

/// The embedded Zhou 2004 EAM for a chosen set of elements.
///
/// ```
/// use fe_potentials::eam::Zhou2004;
/// use fe_structure::Element;
/// let w = Zhou2004::new(&[Element::W]).unwrap();
/// assert!((fe_potentials::Potential::cutoff(&w) - 6.1287).abs() < 1e-4);
/// ```
#[derive(Debug, Clone)]
pub struct Zhou2004 {
    elements: Vec<Element>,
    params: Vec<ZhouParams>,
    cutoff: f64,
}

/// (value, derivative) of C exp(-a (x - 1)) / (1 + (x - k)^20) with respect to x.
#[inline]
fn term(c: f64, a: f64, k: f64, x: f64) -> (f64, f64) {
    let e = (-a * (x - 1.0)).exp();
    let y = x - k;
    let y19 = y.powi(19);
    let den = 1.0 + y19 * y;
    let v = c * e / den;
    (v, v * (-a - 20.0 * y19 / den))
}

impl Zhou2004 {
    /// The elements of the published table.
    pub fn known_elements() -> Vec<Element> {
        ZHOU_2004
            .iter()
            .map(|p| Element::from_z(u32::from(p.z)).expect("the table holds real elements"))
            .collect()
    }

    /// The model for `elements` (in this species order).
    ///
    /// # Errors
    /// [`PotentialError::UnknownElement`] for an element outside the table, or an empty or
    /// repeated element list.
    pub fn new(elements: &[Element]) -> Result<Zhou2004> {
        if elements.is_empty() {
            return Err(PotentialError::Unsupported(
                "zhou2004 needs at least one element".into(),
            ));
        }
        let mut params = Vec::with_capacity(elements.len());
        for (k, e) in elements.iter().enumerate() {
            if elements[..k].contains(e) {
                return Err(PotentialError::Unsupported(format!(
                    "element {e} given twice"
                )));
            }
            let p = ZHOU_2004.iter().find(|p| p.z == e.z()).ok_or_else(|| {
                PotentialError::UnknownElement {
                    element: e.symbol().to_string(),
                    known: ZHOU_2004
                        .iter()
                        .map(|p| p.symbol)
                        .collect::<Vec<_>>()
                        .join(", "),
                }
            })?;
            params.push(*p);
        }
        let re_max = params.iter().map(|p| p.re).fold(0.0, f64::max);
        Ok(Zhou2004 {
            elements: elements.to_vec(),
            params,
            cutoff: 5.0_f64.sqrt() * re_max,
        })
    }

    /// Density function f(r) of one element and df/dr, at r >= 0.5 A.
    fn f_raw(p: &ZhouParams, r: f64) -> (f64, f64) {
        let (v, dx) = term(p.fe, p.beta1, p.lambda1, r / p.re);
        (v, dx / p.re)
    }

    /// Same-element pair function phi(r) and its derivative, at r >= 0.5 A.
    fn phi_raw(p: &ZhouParams, r: f64) -> (f64, f64) {
        let x = r / p.re;
        let (a, da) = term(p.a, p.alpha, p.kappa, x);
        let (b, db) = term(p.b, p.beta, p.lambda, x);
        (a - b, (da - db) / p.re)
    }

    /// phi_ab and its derivative at r >= 0.5 A (the alloy mixing rule for a != b).
    fn phi_ab_raw(&self, a: usize, b: usize, r: f64) -> (f64, f64) {
        let (pa, pb) = (&self.params[a], &self.params[b]);
        if a == b {
            return Zhou2004::phi_raw(pa, r);
        }
        let (fa, dfa) = Zhou2004::f_raw(pa, r);
        let (fb, dfb) = Zhou2004::f_raw(pb, r);
        let (paa, dpaa) = Zhou2004::phi_raw(pa, r);
        let (pbb, dpbb) = Zhou2004::phi_raw(pb, r);
        let ba = fb / fa;
        let ab = fa / fb;
        let dba = (dfb * fa - fb * dfa) / (fa * fa);
        let dab = (dfa * fb - fa * dfb) / (fb * fb);
        (
            0.5 * (ba * paa + ab * pbb),
            0.5 * (dba * paa + ba * dpaa + dab * pbb + ab * dpbb),
        )
    }

    /// Embedding energy F(rho) and F'(rho) of species `s`.
    fn embed_raw(p: &ZhouParams, rho: f64) -> (f64, f64) {
        let rho_n = p.rho_low * p.rhoe;
        let rho_o = p.rho_high * p.rhoe;
        if rho < rho_n {
            let t = rho / rho_n - 1.0;
            let c = &p.fn_;
            let f = ((c[3] * t + c[2]) * t + c[1]) * t + c[0];
            let d = ((3.0 * c[3] * t + 2.0 * c[2]) * t + c[1]) / rho_n;
            (if rho == 0.0 { 0.0 } else { f }, d)
        } else if rho < rho_o {
            let t = rho / p.rhoe - 1.0;
            let c3 = if rho < p.rhoe { p.f[3] } else { p.f3_above };
            let f = ((c3 * t + p.f[2]) * t + p.f[1]) * t + p.f[0];
            let d = ((3.0 * c3 * t + 2.0 * p.f[2]) * t + p.f[1]) / p.rhoe;
            (f, d)
        } else {
            let u = rho / p.rhos;
            let ln = u.ln();
            let ue = u.powf(p.eta);
            (
                p.f_e * (1.0 - p.eta * ln) * ue,
                -p.f_e * p.eta * p.eta * ln * ue / rho,
            )
        }
    }

    /// The tables of the LAMMPS `create_eam.py` recipe for a setfl file: 2000 points on
    /// r in [0, r_c] and rho in [0, rho_max], rho_max = max(largest f on the grid,
    /// 2 max rho_e, 100), element lines "Z mass sqrt(2) r_e fcc".
    pub fn setfl_tables(&self) -> SetflTables {
        const N: usize = 2000;
        let dr = self.cutoff / (N - 1) as f64;
        let r_grid: Vec<f64> = (0..N).map(|m| m as f64 * dr).collect();
        let dens: Vec<Vec<f64>> = (0..self.params.len())
            .map(|a| r_grid.iter().map(|&r| self.densities(a, a, r).0).collect())
            .collect();
        let f_max = dens.iter().flatten().copied().fold(0.0, f64::max);
        let rhoe_max = self.params.iter().map(|p| p.rhoe).fold(0.0, f64::max);
        let rho_max = f_max.max(2.0 * rhoe_max).max(100.0);
        let drho = rho_max / (N - 1) as f64;
        let n = self.params.len();
        let mut z2r = Vec::with_capacity(n * (n + 1) / 2);
        for i in 0..n {
            for j in 0..=i {
                z2r.push(
                    r_grid
                        .iter()
                        .map(|&r| {
                            let rr = r.max(R_FLOOR);
                            rr * self.phi_ab_raw(i, j, rr).0
                        })
                        .collect(),
                );
            }
        }
        SetflTables {
            comments: [
                "Zhou-Johnson-Wadley 2004 EAM (X. W. Zhou, R. A. Johnson, H. N. G. Wadley, Phys. Rev. B 69, 144113 (2004))".into(),
                "tabulated by fe (fe-potentials zhou2004) with the LAMMPS create_eam.py recipe".into(),
                "UNITS: metal".into(),
            ],
            elements: self.elements.clone(),
            masses: self.params.iter().map(|p| p.mass).collect(),
            lattice_constants: self.params.iter().map(|p| 2.0_f64.sqrt() * p.re).collect(),
            lattice_types: vec!["fcc".into(); n],
            drho,
            dr,
            cutoff: self.cutoff,
            frho: self
                .params
                .iter()
                .map(|p| (0..N).map(|m| Zhou2004::embed_raw(p, m as f64 * drho).0).collect())
                .collect(),
            rhor: dens,
            z2r,
        }
    }
}

impl EamFunctions for Zhou2004 {
    fn cutoff(&self) -> f64 {
        self.cutoff
    }

    fn min_distance(&self) -> f64 {
        // Every function is finite down to r = 0; only coincident atoms have no direction.
        1e-8
    }

    #[inline]
    fn embedding(&self, s: usize, rho: f64) -> (f64, f64) {
        Zhou2004::embed_raw(&self.params[s], rho)
    }

    #[inline]
    fn densities(&self, si: usize, sj: usize, r: f64) -> (f64, f64) {
        let r = r.max(R_FLOOR);
        let at_i = Zhou2004::f_raw(&self.params[sj], r).0;
        let at_j = if si == sj {
            at_i
        } else {
            Zhou2004::f_raw(&self.params[si], r).0
        };
        (at_i, at_j)
    }

    #[inline]
    fn pair_terms(&self, si: usize, sj: usize, r: f64) -> PairTerms {
        if r < R_FLOOR {
            let z0 = R_FLOOR * self.phi_ab_raw(si, sj, R_FLOOR).0;
            return PairTerms {
                phi: z0 / r,
                dphi: -z0 / (r * r),
                drho_at_i: 0.0,
                drho_at_j: 0.0,
            };
        }
        let (phi, dphi) = self.phi_ab_raw(si, sj, r);
        let drho_at_i = Zhou2004::f_raw(&self.params[sj], r).1;
        let drho_at_j = if si == sj {
            drho_at_i
        } else {
            Zhou2004::f_raw(&self.params[si], r).1
        };
        PairTerms {
            phi,
            dphi,
            drho_at_i,
            drho_at_j,
        }
    }
}

impl Potential for Zhou2004 {
    fn cutoff(&self) -> f64 {
        self.cutoff
    }

    fn list_kind(&self) -> ListKind {
        ListKind::Half
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
