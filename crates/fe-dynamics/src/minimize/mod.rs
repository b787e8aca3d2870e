//! Energy minimization of atoms and, optionally, the cell: [`Algorithm::Cg`] (nonlinear
//! conjugate gradient with the Hager-Zhang direction and a bracketing line search, see
//! [`cg`]) and [`Algorithm::Fire`] (FIRE 2.0, see [`fire`]).
//!
//! Both minimize the objective $\mathcal H$ of [`crate::cell_dof`] over the coordinates of
//! [`Relaxable`] and stop on the first of: the largest force below `fmax`, the force two-norm
//! below `fnorm`, a relative objective change below `etol`
//! ($|\mathcal H_k - \mathcal H_{k-1}| \le \mathrm{etol}\,(|\mathcal H_k| + |\mathcal
//! H_{k-1}| + 10^{-8})/2$, LAMMPS' test), the step or evaluation limits, or a line search that
//! can make no progress. The [`Report`] says which; only the three tolerances count as
//! converged. A minimizer never loops forever (every loop is bounded by the limits) and never
//! returns NaN: non-finite values end the run with [`DynamicsError::NonFinite`], a cell that
//! runs away with [`DynamicsError::CellExploded`].

pub mod cg;
pub mod fire;
mod linesearch;

use fe_potentials::Evaluator;
use fe_structure::units::NKTV2P;
use fe_structure::Structure;
use nalgebra::Matrix3;

use crate::cell_dof::{CellDof, Target};
use crate::error::{DynamicsError, Result};
use crate::system::{Point, Relaxable};

/// Which minimizer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Algorithm {
    /// Nonlinear conjugate gradient ([`cg`]).
    #[default]
    Cg,
    /// FIRE 2.0 ([`fire`]).
    Fire,
}

/// Tolerances, limits and cell degrees of freedom of a minimization.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MinimizeOptions {
    /// Stop when every free atom's force and every cell-gradient component is below this
    /// (eV/Å); `None` disables the test.
    pub fmax: Option<f64>,
    /// Stop when the two-norm of the forces (and cell gradient) is below this (eV/Å), as
    /// LAMMPS' `ftol`; `None` disables the test.
    pub fnorm: Option<f64>,
    /// Stop on a relative objective change below this (LAMMPS' `etol`); `None` disables it.
    pub etol: Option<f64>,
    /// Largest number of iterations (CG line searches or FIRE steps).
    pub max_steps: usize,
    /// Largest number of force evaluations.
    pub max_evaluations: usize,
    /// Largest move of any coordinate in one step (Å): an atom's displacement norm or a cell
    /// coordinate (a strain times $\sqrt{V_0/\text{Å}}$).
    pub max_step: f64,
    /// Which cell degrees of freedom relax.
    pub cell: CellDof,
    /// The target pressure or stress of the cell relaxation.
    pub target: Target,
    /// Keep the space-group symmetry the starting structure has within this tolerance (Å):
    /// forces and virial are projected onto it at every evaluation ([`crate::Symmetry`]), so a
    /// structure that starts on a symmetric saddle point stays on it instead of leaving it
    /// along an unstable mode seeded by round-off (ASE's `FixSymmetry`; LAMMPS keeps such
    /// starts by its arithmetic). `None` (the default) relaxes without constraint.
    pub symmetry_tolerance: Option<f64>,
}

impl Default for MinimizeOptions {
    /// `fmax` 1e-6 eV/Å (METHODS.md section 2.1), no other tolerance, 10,000 steps,
    /// 100,000 evaluations, 0.2 Å steps at most, fixed cell, zero pressure.
    fn default() -> Self {
        MinimizeOptions {
            fmax: Some(1e-6),
            fnorm: None,
            etol: None,
            max_steps: 10_000,
            max_evaluations: 100_000,
            max_step: 0.2,
            cell: CellDof::None,
            target: Target::default(),
            symmetry_tolerance: None,
        }
    }
}

impl MinimizeOptions {
    fn check(&self) -> Result<()> {
        let bad = |what: &str, v: f64| {
            Err(DynamicsError::Invalid(format!(
                "{what} must be finite and positive, got {v}"
            )))
        };
        for (what, v) in [
            ("fmax", self.fmax),
            ("fnorm", self.fnorm),
            ("etol", self.etol),
            ("symmetry_tolerance", self.symmetry_tolerance),
        ] {
            if let Some(v) = v {
                if !(v.is_finite() && v > 0.0) {
                    return bad(what, v);
                }
            }
        }
        if !(self.max_step.is_finite() && self.max_step > 0.0) {
            return bad("max_step", self.max_step);
        }
        if self.max_steps == 0 || self.max_evaluations == 0 {
            return Err(DynamicsError::Invalid(
                "max_steps and max_evaluations must be at least 1".into(),
            ));
        }
        Ok(())
    }
}

/// Why a minimization stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stop {
    /// The largest force fell below `fmax` (converged).
    Fmax,
    /// The force two-norm fell below `fnorm` (converged).
    Fnorm,
    /// The relative objective change fell below `etol` (converged).
    EnergyChange,
    /// `max_steps` iterations were taken.
    MaxSteps,
    /// `max_evaluations` force evaluations were made.
    MaxEvaluations,
    /// The line search (or FIRE) could not lower the objective any further: the forces are
    /// not below the tolerance but the energy is flat to round-off along the search direction.
    NoProgress,
}

impl Stop {
    /// True for the three tolerances.
    pub fn is_converged(self) -> bool {
        matches!(self, Stop::Fmax | Stop::Fnorm | Stop::EnergyChange)
    }

    /// A short description.
    pub fn describe(self) -> &'static str {
        match self {
            Stop::Fmax => "max force below fmax",
            Stop::Fnorm => "force two-norm below fnorm",
            Stop::EnergyChange => "relative energy change below etol",
            Stop::MaxSteps => "step limit reached",
            Stop::MaxEvaluations => "force-evaluation limit reached",
            Stop::NoProgress => "line search could not lower the energy (round-off)",
        }
    }
}

/// What a minimization did and where it ended.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    /// Potential energy at the end (eV).
    pub energy: f64,
    /// Objective at the end: energy plus the target's work terms (eV); the energy for a fixed
    /// cell.
    pub objective: f64,
    /// Iterations taken.
    pub steps: usize,
    /// Force evaluations made.
    pub force_evaluations: usize,
    /// Largest free-atom force and cell-gradient component at the end (eV/Å).
    pub fmax: f64,
    /// Two-norm of the forces and cell gradient at the end (eV/Å).
    pub fnorm: f64,
    /// Virial at the end (eV).
    pub virial: Matrix3<f64>,
    /// Static pressure tensor $W/V$ at the end (bar).
    pub pressure_tensor_bar: Matrix3<f64>,
    /// Static pressure $\mathrm{tr}(W)/(3V)$ at the end (bar).
    pub pressure_bar: f64,
    /// Cell rows at the end (Å).
    pub cell: Matrix3<f64>,
    /// Why it stopped.
    pub stop: Stop,
    /// True when a tolerance was met.
    pub converged: bool,
    /// Order of the symmetry group the relaxation kept (1 without `symmetry_tolerance`).
    pub symmetry_operations: usize,
}

/// Bookkeeping shared by the algorithms: limits and the convergence tests.
pub(crate) struct Monitor<'o> {
    options: &'o MinimizeOptions,
    previous: Option<f64>,
}

impl<'o> Monitor<'o> {
    pub(crate) fn new(options: &'o MinimizeOptions) -> Self {
        Monitor {
            options,
            previous: None,
        }
    }

    /// The tolerance met at `p`, if any (the energy-change test compares with the previous
    /// accepted point).
    pub(crate) fn converged(&mut self, p: &Point) -> Option<Stop> {
        let o = self.options;
        let prev = self.previous.replace(p.objective);
        if o.fmax.is_some_and(|t| p.fmax < t) {
            return Some(Stop::Fmax);
        }
        if o.fnorm.is_some_and(|t| p.fnorm < t) {
            return Some(Stop::Fnorm);
        }
        if let (Some(t), Some(prev)) = (o.etol, prev) {
            if (p.objective - prev).abs() <= t * 0.5 * (p.objective.abs() + prev.abs() + 1e-8) {
                return Some(Stop::EnergyChange);
            }
        }
        None
    }

    /// The limit reached after `steps` iterations and `evaluations` force calls, if any.
    pub(crate) fn limit(&self, steps: usize, evaluations: usize) -> Option<Stop> {
        if steps >= self.options.max_steps {
            Some(Stop::MaxSteps)
        } else if evaluations >= self.options.max_evaluations {
            Some(Stop::MaxEvaluations)
        } else {
            None
        }
    }
}

/// Minimize `structure` in place with `evaluator`. The structure ends at the last accepted
/// point (the lowest objective found), whether or not the run converged; the report says.
///
/// ```
/// use std::sync::Arc;
/// use fe_dynamics::minimize::{minimize, Algorithm, MinimizeOptions};
/// use fe_potentials::{eam::Zhou2004, Evaluator};
/// use fe_structure::{build::{bcc, rattle}, Element};
///
/// let mut s = bcc(Element::FE, 2.87).unwrap().replicate(3, 3, 3).unwrap();
/// rattle(&mut s, 0.05, 7).unwrap();
/// let mut ev = Evaluator::new(Arc::new(Zhou2004::new(&[Element::FE]).unwrap()));
/// let opts = MinimizeOptions { fmax: Some(1e-5), ..MinimizeOptions::default() };
/// let report = minimize(&mut s, &mut ev, Algorithm::Cg, &opts).unwrap();
/// assert!(report.converged && report.fmax < 1e-5);
/// ```
///
/// # Errors
/// Invalid options, the potential's errors at the starting point,
/// [`DynamicsError::NonFinite`] and [`DynamicsError::CellExploded`].
pub fn minimize(
    structure: &mut Structure,
    evaluator: &mut Evaluator,
    algorithm: Algorithm,
    options: &MinimizeOptions,
) -> Result<Report> {
    options.check()?;
    let mut sys = Relaxable::new(structure.clone(), evaluator, options.cell, options.target)?;
    if let Some(tol) = options.symmetry_tolerance {
        sys = sys.with_symmetry(tol)?;
    }
    let symmetry_operations = sys.symmetry().map_or(1, crate::Symmetry::order);
    let (point, steps, stop) = match algorithm {
        Algorithm::Cg => cg::run(&mut sys, options)?,
        Algorithm::Fire => fire::run(&mut sys, options)?,
    };
    sys.set_coordinates(&point.x, steps)?;
    let force_evaluations = sys.evaluations();
    *structure = sys.into_structure();
    let pt = point.virial / point.volume * NKTV2P;
    Ok(Report {
        energy: point.energy,
        objective: point.objective,
        steps,
        force_evaluations,
        fmax: point.fmax,
        fnorm: point.fnorm,
        virial: point.virial,
        pressure_tensor_bar: pt,
        pressure_bar: pt.trace() / 3.0,
        cell: *structure.cell().matrix(),
        stop,
        converged: stop.is_converged(),
        symmetry_operations,
    })
}

/// Dot product.
pub(crate) fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// The largest move of one "particle" of a direction: the norm of an atom's three components,
/// or the absolute value of a cell coordinate.
pub(crate) fn max_move(d: &[f64], n_atoms: usize) -> f64 {
    let atoms = d[..3 * n_atoms]
        .chunks_exact(3)
        .map(|c| (c[0] * c[0] + c[1] * c[1] + c[2] * c[2]).sqrt())
        .fold(0.0, f64::max);
    d[3 * n_atoms..].iter().fold(atoms, |m, v| m.max(v.abs()))
}
