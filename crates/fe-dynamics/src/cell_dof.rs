//! Cell degrees of freedom of a relaxation and the target stress they relax towards.
//!
//! The cell is deformed from its starting matrix $H_0$ by a deformation gradient
//! $F = I + \varepsilon$ (rows $H = H_0 F^{\mathsf T}$, positions $\mathbf r = F\mathbf u$),
//! with $\varepsilon$ isotropic ($e I$), diagonal, or symmetric (six strains: every cell shape up
//! to a rotation, by the polar decomposition). The minimizer sees the strains as coordinates
//! $p = c\,\varepsilon$ scaled by $c = \sqrt{V_0/1\,\text{Å}}$, so that a cell coordinate has
//! the stiffness $9BV_0/c^2 = 9B \cdot 1$ Å (about 10 eV/Å² for Fe), like an atom's, and its
//! "force" is in eV/Å. The quantity minimized is the enthalpy-like
//! $$ \mathcal H = E + pV + V_0\,\mathrm{tr}\!\left(D^{\mathsf T}(F - I)\right), $$
//! with $p$ the target pressure and $D$ the deviatoric part of the target pressure tensor
//! (zero for a hydrostatic target), whose gradient is
//! $$ \frac{\partial\mathcal H}{\partial F} = -(W - pV I)\,F^{-\mathsf T} + V_0 D. $$
//! At a minimum the pressure tensor $W/V$ equals the target ($pI$ exactly; $pI + D$ to first
//! order in the strain, as LAMMPS `fix box/relax` does it with its reference box).

use nalgebra::Matrix3;

use fe_structure::units::NKTV2P;

/// Which cell degrees of freedom relax.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CellDof {
    /// Fixed cell.
    #[default]
    None,
    /// One isotropic strain (the shape is kept), like `fix box/relax iso`.
    Iso,
    /// Three normal strains along x, y, z, like `fix box/relax aniso`.
    Aniso,
    /// Six symmetric strains (any shape), like `fix box/relax tri`.
    Tri,
}

impl CellDof {
    /// Number of cell coordinates: 0, 1, 3 or 6.
    pub fn len(self) -> usize {
        match self {
            CellDof::None => 0,
            CellDof::Iso => 1,
            CellDof::Aniso => 3,
            CellDof::Tri => 6,
        }
    }

    /// True for a fixed cell.
    pub fn is_empty(self) -> bool {
        self == CellDof::None
    }

    /// Parse `none`, `iso`, `aniso` or `tri`.
    pub fn from_name(name: &str) -> Option<CellDof> {
        match name {
            "none" => Some(CellDof::None),
            "iso" => Some(CellDof::Iso),
            "aniso" => Some(CellDof::Aniso),
            "tri" => Some(CellDof::Tri),
            _ => None,
        }
    }

    /// The strain $\varepsilon$ of the scaled cell coordinates `p` (scale `c`).
    pub fn strain(self, p: &[f64], c: f64) -> Matrix3<f64> {
        let mut e = Matrix3::zeros();
        match self {
            CellDof::None => {}
            CellDof::Iso => {
                for a in 0..3 {
                    e[(a, a)] = p[0] / c;
                }
            }
            CellDof::Aniso => {
                for a in 0..3 {
                    e[(a, a)] = p[a] / c;
                }
            }
            CellDof::Tri => {
                for a in 0..3 {
                    e[(a, a)] = p[a] / c;
                }
                for (k, (a, b)) in OFF_DIAGONAL.iter().enumerate() {
                    let v = p[3 + k] / (std::f64::consts::SQRT_2 * c);
                    e[(*a, *b)] = v;
                    e[(*b, *a)] = v;
                }
            }
        }
        e
    }

    /// The scaled coordinates of a strain (inverse of [`CellDof::strain`] on its subspace).
    pub fn coordinates(self, e: &Matrix3<f64>, c: f64) -> Vec<f64> {
        match self {
            CellDof::None => Vec::new(),
            CellDof::Iso => vec![e.trace() / 3.0 * c],
            CellDof::Aniso => (0..3).map(|a| e[(a, a)] * c).collect(),
            CellDof::Tri => {
                let mut p: Vec<f64> = (0..3).map(|a| e[(a, a)] * c).collect();
                for (a, b) in OFF_DIAGONAL {
                    p.push(0.5 * (e[(a, b)] + e[(b, a)]) * std::f64::consts::SQRT_2 * c);
                }
                p
            }
        }
    }

    /// The gradient with respect to the scaled coordinates, given $G = \partial\mathcal H /
    /// \partial F$ (eV): $\partial\mathcal H/\partial p = \sum_{ab} G_{ab}\,
    /// \partial\varepsilon_{ab}/\partial p$ (eV/Å).
    pub fn gradient(self, g: &Matrix3<f64>, c: f64) -> Vec<f64> {
        match self {
            CellDof::None => Vec::new(),
            CellDof::Iso => vec![g.trace() / c],
            CellDof::Aniso => (0..3).map(|a| g[(a, a)] / c).collect(),
            CellDof::Tri => {
                let mut out: Vec<f64> = (0..3).map(|a| g[(a, a)] / c).collect();
                for (a, b) in OFF_DIAGONAL {
                    out.push((g[(a, b)] + g[(b, a)]) / (std::f64::consts::SQRT_2 * c));
                }
                out
            }
        }
    }
}

/// The off-diagonal strains of [`CellDof::Tri`], in Voigt order yz, xz, xy.
const OFF_DIAGONAL: [(usize, usize); 3] = [(1, 2), (0, 2), (0, 1)];

/// The target of a cell relaxation: a pressure tensor in bar (compression positive, the
/// negative of the stress). A hydrostatic target is `Target::pressure(p)`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Target {
    /// Target pressure tensor (bar), symmetric.
    pub pressure_tensor_bar: Matrix3<f64>,
}

impl Default for Target {
    fn default() -> Self {
        Target::pressure(0.0)
    }
}

impl Target {
    /// A hydrostatic target pressure (bar).
    pub fn pressure(bar: f64) -> Target {
        Target {
            pressure_tensor_bar: Matrix3::identity() * bar,
        }
    }

    /// The hydrostatic part $p = \mathrm{tr}(P)/3$ in eV/Å³.
    pub fn hydrostatic_ev_per_a3(&self) -> f64 {
        self.pressure_tensor_bar.trace() / 3.0 / NKTV2P
    }

    /// The deviatoric part $D = P - pI$ in eV/Å³ (symmetrized).
    pub fn deviatoric_ev_per_a3(&self) -> Matrix3<f64> {
        let p = self.pressure_tensor_bar;
        let sym = 0.5 * (p + p.transpose());
        (sym - Matrix3::identity() * (sym.trace() / 3.0)) / NKTV2P
    }

    /// True when every entry is finite.
    pub fn is_finite(&self) -> bool {
        self.pressure_tensor_bar.iter().all(|x| x.is_finite())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coordinates_invert_strain() {
        let p = [0.1, -0.2, 0.3, 0.05, -0.07, 0.02];
        for dof in [CellDof::Iso, CellDof::Aniso, CellDof::Tri] {
            let n = dof.len();
            let e = dof.strain(&p[..n], 7.0);
            let back = dof.coordinates(&e, 7.0);
            for k in 0..n {
                assert!((back[k] - p[k]).abs() < 1e-14);
            }
        }
    }

    #[test]
    fn gradient_is_the_chain_rule() {
        // H = sum_ab G_ab eps_ab is linear in eps, so dH/dp equals the finite difference.
        let g = Matrix3::new(1.0, 0.3, -0.2, 0.5, 2.0, 0.7, 0.1, -0.4, 3.0);
        let c = 3.0;
        let h = |dof: CellDof, p: &[f64]| -> f64 { g.component_mul(&dof.strain(p, c)).sum() };
        for dof in [CellDof::Iso, CellDof::Aniso, CellDof::Tri] {
            let n = dof.len();
            let grad = dof.gradient(&g, c);
            for k in 0..n {
                let mut p = vec![0.0; n];
                p[k] = 1.0;
                assert!((h(dof, &p) - grad[k]).abs() < 1e-12, "{dof:?} {k}");
            }
        }
    }
}
