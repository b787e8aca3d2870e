//! [`Relaxable`]: a structure seen by a minimizer as one vector of generalized coordinates
//! (atoms in the reference frame of the cell, then the scaled cell strains of [`CellDof`]).

use fe_potentials::{Evaluator, Request};
use fe_structure::{Cell, Structure};
use nalgebra::{Matrix3, Vector3};

use crate::cell_dof::{CellDof, Target};
use crate::error::{DynamicsError, Result};
use crate::symmetry::Symmetry;

/// Largest strain component a relaxation may reach from its starting cell before it is
/// stopped as an exploding cell.
pub const MAX_STRAIN: f64 = 0.5;

/// One evaluated point of the generalized coordinates.
#[derive(Debug, Clone)]
pub struct Point {
    /// Coordinates $x$: $3N$ reference-frame positions $\mathbf u_i = F^{-1}\mathbf r_i$ (Å),
    /// then the scaled cell strains (Å).
    pub x: Vec<f64>,
    /// Objective $\mathcal H$ (eV): the energy plus the target's work terms.
    pub objective: f64,
    /// Potential energy $E$ (eV).
    pub energy: f64,
    /// Gradient $\partial\mathcal H/\partial x$ (eV/Å), zero on fixed atoms.
    pub gradient: Vec<f64>,
    /// Largest atomic force $\max_i |\mathbf f_i|$ over free atoms and largest cell-gradient
    /// component (eV/Å).
    pub fmax: f64,
    /// Two-norm of the free atoms' forces and the cell gradient (eV/Å).
    pub fnorm: f64,
    /// Virial (eV).
    pub virial: Matrix3<f64>,
    /// Volume (Å³).
    pub volume: f64,
}

/// A structure, its evaluator and the cell degrees of freedom that relax, as a function of one
/// coordinate vector. Counts every force evaluation.
#[derive(Debug)]
pub struct Relaxable<'e> {
    structure: Structure,
    evaluator: &'e mut Evaluator,
    reference: Matrix3<f64>,
    pbc: [bool; 3],
    v0: f64,
    scale: f64,
    dof: CellDof,
    target: Target,
    free: Vec<bool>,
    evaluations: usize,
    symmetry: Option<Symmetry>,
}

impl<'e> Relaxable<'e> {
    /// Relax `structure` with `evaluator`; the cell relaxes along `dof` towards `target`.
    /// Atoms of the structure's fixed mask never move (they follow the cell affinely).
    ///
    /// # Errors
    /// [`DynamicsError::Invalid`] for an empty structure, a non-finite target, or cell
    /// relaxation of a cell that is not periodic along every axis.
    pub fn new(
        structure: Structure,
        evaluator: &'e mut Evaluator,
        dof: CellDof,
        target: Target,
    ) -> Result<Relaxable<'e>> {
        if structure.is_empty() {
            return Err(DynamicsError::Invalid("the structure has no atoms".into()));
        }
        if !target.is_finite() {
            return Err(DynamicsError::Invalid(
                "the target pressure is not finite".into(),
            ));
        }
        if !dof.is_empty() && structure.cell().pbc() != [true; 3] {
            return Err(DynamicsError::Invalid(
                "cell relaxation needs a cell periodic along all three axes".into(),
            ));
        }
        let free = (0..structure.len())
            .map(|i| !structure.is_fixed(i))
            .collect();
        let v0 = structure.cell().volume();
        Ok(Relaxable {
            reference: *structure.cell().matrix(),
            pbc: structure.cell().pbc(),
            scale: v0.sqrt(),
            v0,
            structure,
            evaluator,
            dof,
            target,
            free,
            evaluations: 0,
            symmetry: None,
        })
    }

    /// Keep the symmetry of the starting structure: every evaluation projects the forces and
    /// the virial onto the space group found within `tolerance` (Å) ([`Symmetry`]), so the
    /// coordinates never leave the subspace of that symmetry.
    ///
    /// # Errors
    /// Those of [`Symmetry::detect`].
    pub fn with_symmetry(mut self, tolerance: f64) -> Result<Relaxable<'e>> {
        self.symmetry = Some(Symmetry::detect(&self.structure, tolerance)?);
        Ok(self)
    }

    /// The symmetry the forces are projected onto, if any.
    pub fn symmetry(&self) -> Option<&Symmetry> {
        self.symmetry.as_ref()
    }

    /// Number of coordinates: 3N plus the cell coordinates.
    pub fn dim(&self) -> usize {
        3 * self.structure.len() + self.dof.len()
    }

    /// Number of atoms.
    pub fn n_atoms(&self) -> usize {
        self.structure.len()
    }

    /// The cell degrees of freedom.
    pub fn dof(&self) -> CellDof {
        self.dof
    }

    /// Force evaluations so far.
    pub fn evaluations(&self) -> usize {
        self.evaluations
    }

    /// The structure at the coordinates last set or evaluated.
    pub fn structure(&self) -> &Structure {
        &self.structure
    }

    /// Hand back the structure (at the coordinates last set or evaluated).
    pub fn into_structure(self) -> Structure {
        self.structure
    }

    /// Which coordinates may move: free atoms' three components, and every cell coordinate.
    pub fn movable(&self) -> Vec<bool> {
        let mut m: Vec<bool> = self.free.iter().flat_map(|&f| [f, f, f]).collect();
        m.extend(std::iter::repeat_n(true, self.dof.len()));
        m
    }

    /// The coordinates of the current structure.
    pub fn coordinates(&self) -> Vec<f64> {
        let f = self.deformation();
        let finv = f.try_inverse().unwrap_or_else(Matrix3::identity);
        let mut x = Vec::with_capacity(self.dim());
        for r in self.structure.positions() {
            let u = finv * r;
            x.extend_from_slice(&[u.x, u.y, u.z]);
        }
        let e = f - Matrix3::identity();
        x.extend(self.dof.coordinates(&e, self.scale));
        x
    }

    /// The deformation gradient of the current cell from the starting one.
    fn deformation(&self) -> Matrix3<f64> {
        let h = self.structure.cell().matrix();
        // H = H0 F^T  =>  F^T = H0^-1 H.
        match self.reference.try_inverse() {
            Some(inv) => (inv * h).transpose(),
            None => Matrix3::identity(),
        }
    }

    /// Put the structure at coordinates `x` (atoms and cell), without evaluating.
    ///
    /// # Errors
    /// [`DynamicsError::NonFinite`] for non-finite coordinates, [`DynamicsError::CellExploded`]
    /// when a strain exceeds [`MAX_STRAIN`] or the cell becomes singular.
    pub fn set_coordinates(&mut self, x: &[f64], step: usize) -> Result<Matrix3<f64>> {
        if x.len() != self.dim() {
            return Err(DynamicsError::Invalid(format!(
                "{} coordinates for a system of {}",
                x.len(),
                self.dim()
            )));
        }
        if x.iter().any(|v| !v.is_finite()) {
            return Err(DynamicsError::NonFinite {
                what: "coordinates".into(),
                step,
            });
        }
        let n = self.structure.len();
        let e = self.dof.strain(&x[3 * n..], self.scale);
        if e.amax() > MAX_STRAIN {
            return Err(DynamicsError::CellExploded {
                step,
                message: format!(
                    "a strain component reached {:.3} (limit {MAX_STRAIN})",
                    e.amax()
                ),
            });
        }
        let f = Matrix3::identity() + e;
        if !self.dof.is_empty() {
            let cell = Cell::new(self.reference * f.transpose(), self.pbc).map_err(|err| {
                DynamicsError::CellExploded {
                    step,
                    message: err.to_string(),
                }
            })?;
            self.structure.set_cell(cell);
        }
        for (i, r) in self.structure.positions_mut().iter_mut().enumerate() {
            let u = Vector3::new(x[3 * i], x[3 * i + 1], x[3 * i + 2]);
            *r = f * u;
        }
        Ok(f)
    }

    /// Evaluate the objective and its gradient at `x` (one force evaluation).
    ///
    /// # Errors
    /// As [`Relaxable::set_coordinates`], the potential's errors, and
    /// [`DynamicsError::NonFinite`] for a non-finite energy, force or virial.
    pub fn evaluate(&mut self, x: &[f64], step: usize) -> Result<Point> {
        let f = self.set_coordinates(x, step)?;
        let r = self
            .evaluator
            .evaluate(&self.structure, Request::FORCES_VIRIAL)?;
        self.evaluations += 1;
        let mut forces = r.forces.unwrap_or_default();
        let mut w = r.virial.unwrap_or_else(Matrix3::zeros);
        if !r.energy.is_finite()
            || forces.len() != self.structure.len()
            || forces.iter().any(|v| !v.iter().all(|c| c.is_finite()))
            || w.iter().any(|c| !c.is_finite())
        {
            return Err(DynamicsError::NonFinite {
                what: "energy, force or virial from the potential".into(),
                step,
            });
        }
        if let Some(sym) = &self.symmetry {
            sym.symmetrize_vectors(&mut forces);
            w = sym.symmetrize_tensor(&w);
        }
        let volume = self.structure.cell().volume();
        let p = self.target.hydrostatic_ev_per_a3();
        let d = self.target.deviatoric_ev_per_a3();
        let e = f - Matrix3::identity();
        let mut objective = r.energy;
        let mut gradient = Vec::with_capacity(self.dim());
        let ft = f.transpose();
        let mut fmax2: f64 = 0.0;
        let mut fnorm2 = 0.0;
        for (i, fi) in forces.iter().enumerate() {
            if self.free[i] {
                let g = -(ft * fi);
                gradient.extend_from_slice(&[g.x, g.y, g.z]);
                let n2 = fi.norm_squared();
                fmax2 = fmax2.max(n2);
                fnorm2 += n2;
            } else {
                gradient.extend_from_slice(&[0.0; 3]);
            }
        }
        if !self.dof.is_empty() {
            objective += p * volume + self.v0 * d.component_mul(&e).sum();
            let finv_t = f
                .try_inverse()
                .ok_or_else(|| DynamicsError::CellExploded {
                    step,
                    message: "singular deformation".into(),
                })?
                .transpose();
            let g = -(w - Matrix3::identity() * (p * volume)) * finv_t + d * self.v0;
            for c in self.dof.gradient(&g, self.scale) {
                fmax2 = fmax2.max(c * c);
                fnorm2 += c * c;
                gradient.push(c);
            }
        }
        Ok(Point {
            x: x.to_vec(),
            objective,
            energy: r.energy,
            gradient,
            fmax: fmax2.sqrt(),
            fnorm: fnorm2.sqrt(),
            virial: w,
            volume,
        })
    }
}
