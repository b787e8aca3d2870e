//! The NPT barostat: stochastic cell rescaling (Bernetti and Bussi, J. Chem. Phys. 153, 114107,
//! 2020; anisotropic form after Del Tatto, Raiteri, Bernetti and Bussi, Appl. Sci. 12, 1139,
//! 2022).
//!
//! Why this barostat rather than MTK (Martyna-Tobias-Klein, LAMMPS `fix npt`): it is first
//! order, so the volume relaxes without the slow oscillations of a barostat mass (no resonance
//! while annealing or ramping temperature, no "piston" to tune), yet its noise term makes it
//! sample the isothermal-isobaric ensemble exactly (volume fluctuations included), unlike
//! Berendsen. It needs only the instantaneous pressure tensor, works with any thermostat
//! (Langevin or Nose-Hoover chain here), is stable with large coupling steps, and extends to
//! anisotropic and triclinic cells by scaling the cell with a symmetric matrix. The ensemble
//! averages (mean lattice constant, mean pressure) are those of any correct NPT method, so
//! they are compared with LAMMPS' MTK `fix npt` in the acceptance tests.
//!
//! Every `every` steps ($\Delta t_b$ = `every` x time step), with $\beta$ the compressibility
//! parameter (sets only the coupling speed), $\tau_p$ the damping time, $P_0$ the target, $T$
//! the schedule's temperature, $V$ the volume and $P_\text{int}$ the instantaneous pressure
//! tensor (kinetic plus virial):
//!
//! - isotropic, $\varepsilon = \ln V$:
//!   $$ d\varepsilon = -\frac{\beta}{\tau_p}\left(P_0 - \bar P_\text{int} - \frac{k_BT}{V}
//!   \right)\Delta t_b + \sqrt{\frac{2k_BT\beta\,\Delta t_b}{V\tau_p}}\,\xi, $$
//!   positions and cell scaled by $e^{d\varepsilon/3}$, velocities by $e^{-d\varepsilon/3}$;
//! - anisotropic, independent logarithmic strains of x, y, z:
//!   $d\varepsilon_a = \frac{\beta}{3\tau_p}(P_{\text{int},aa} - P_0 + k_BT/V)\Delta t_b +
//!   \sqrt{2k_BT\beta\Delta t_b/(3V\tau_p)}\,\xi_a$ (their sum is the isotropic equation);
//! - triclinic: the same diagonal plus symmetric shears
//!   $d\varepsilon_{ab} = \frac{\beta}{3\tau_p}P_{\text{int},ab}\Delta t_b +
//!   \sqrt{k_BT\beta\Delta t_b/(3V\tau_p)}\,\xi_{ab}$ ($a<b$), the cell and positions
//!   deformed by $M = \exp(d\varepsilon)$ and velocities by $M^{-1}$ (symmetric $M$: no
//!   rotation). The shear equations omit the $O(k_BT/V)$ measure terms of the flexible-cell
//!   ensemble, which change no mean at zero target shear.

use fe_structure::units::{BOLTZMANN_EV_PER_K, NKTV2P};
use nalgebra::{Matrix3, SymmetricEigen};
use rand_distr::{Distribution, StandardNormal};
use rand_pcg::Pcg64;

use crate::cell_dof::CellDof;

/// Stochastic cell rescaling parameters.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Barostat {
    /// Target pressure (bar).
    pub pressure: f64,
    /// Damping time $\tau_p$ (ps).
    pub damping: f64,
    /// Compressibility parameter $\beta$ (1/bar); about $1/B$ of the material gives a volume
    /// relaxation time near $\tau_p$ (Fe: 5.6e-7 /bar).
    pub compressibility: f64,
    /// Which cell degrees of freedom fluctuate: [`CellDof::Iso`], [`CellDof::Aniso`] or
    /// [`CellDof::Tri`].
    pub cell: CellDof,
    /// Apply the barostat every this many steps (each application rebuilds the neighbour
    /// list).
    pub every: usize,
}

impl Barostat {
    /// Isotropic coupling to `pressure` bar with $\tau_p$ = 1 ps, $\beta$ = 5.6e-7 /bar,
    /// every 10 steps.
    pub fn isotropic(pressure: f64) -> Barostat {
        Barostat {
            pressure,
            damping: 1.0,
            compressibility: 5.6e-7,
            cell: CellDof::Iso,
            every: 10,
        }
    }

    /// The deformation $M$ (symmetric) of one barostat application over `dt_b` ps, given the
    /// instantaneous pressure tensor `p_int` (bar), the volume (Å³) and the temperature (K).
    pub(crate) fn deformation(
        &self,
        p_int: &Matrix3<f64>,
        volume: f64,
        temperature: f64,
        dt_b: f64,
        rng: &mut Pcg64,
    ) -> Matrix3<f64> {
        let beta = self.compressibility * NKTV2P; // 1/(eV/A^3)
        let kt = BOLTZMANN_EV_PER_K * temperature;
        let p0 = self.pressure / NKTV2P;
        let p = p_int / NKTV2P;
        let tau = self.damping;
        let mut normal = || -> f64 { StandardNormal.sample(rng) };
        let mut e = Matrix3::zeros();
        match self.cell {
            CellDof::None => return Matrix3::identity(),
            CellDof::Iso => {
                let drift = -(beta / tau) * (p0 - p.trace() / 3.0 - kt / volume) * dt_b;
                let noise = (2.0 * kt * beta * dt_b / (volume * tau)).sqrt() * normal();
                let s = ((drift + noise) / 3.0).exp();
                return Matrix3::identity() * s;
            }
            CellDof::Aniso | CellDof::Tri => {
                let mu = beta / (3.0 * tau);
                for a in 0..3 {
                    e[(a, a)] = mu * (p[(a, a)] - p0 + kt / volume) * dt_b
                        + (2.0 * kt * mu * dt_b / volume).sqrt() * normal();
                }
                if self.cell == CellDof::Tri {
                    for (a, b) in [(1, 2), (0, 2), (0, 1)] {
                        let v = mu * 0.5 * (p[(a, b)] + p[(b, a)]) * dt_b
                            + (kt * mu * dt_b / volume).sqrt() * normal();
                        e[(a, b)] = v;
                        e[(b, a)] = v;
                    }
                }
            }
        }
        let eig = SymmetricEigen::new(e);
        let d = Matrix3::from_diagonal(&eig.eigenvalues.map(f64::exp));
        eig.eigenvectors * d * eig.eigenvectors.transpose()
    }
}
