//! Minimizers and molecular dynamics for the fe toolkit.
//!
//! - [`minimize`]: FIRE 2.0 and nonlinear conjugate gradient (Hager-Zhang direction with a
//!   bracketing cubic line search) over atoms and, optionally, the cell ([`CellDof`]: isotropic,
//!   anisotropic or full triclinic) towards a target pressure or stress, with fixed-atom masks,
//!   force, force-norm and energy-change tolerances, step and evaluation limits, and a
//!   [`minimize::Report`] that always says whether it converged and why it stopped; optionally
//!   symmetry-preserving ([`Symmetry`]: forces and virial projected onto the space group the
//!   starting structure has).
//! - [`md`]: velocity Verlet NVE, Langevin (BAOAB) and Nose-Hoover chain NVT, NPT with the
//!   stochastic cell rescaling barostat (Bernetti and Bussi 2020), Maxwell-Boltzmann
//!   velocities, temperature schedules, thermo records and trajectories.
//!
//! Every force call goes through [`fe_potentials::Evaluator`], which keeps a neighbour list with
//! a Verlet skin; the minimizers and integrators count their force evaluations.
//!
//! Units are LAMMPS `metal`: Angstrom, eV, ps, amu, K, bar. The virial is
//! $W = -\partial E/\partial\varepsilon$ (eV, positive when atoms repel), the pressure tensor is
//! $P_{ab} = (\sum_i m_i v_{ia} v_{ib}\,\mathrm{mvv2e} + W_{ab})/V$ and the stress is $-P$.

pub mod cell_dof;
pub mod error;
pub mod md;
pub mod minimize;
pub mod symmetry;
pub mod system;

pub use cell_dof::{CellDof, Target};
pub use error::{DynamicsError, Result};
pub use symmetry::Symmetry;
pub use system::Relaxable;
