//! Thermostats: Langevin (the O step of BAOAB) and the Nose-Hoover chain.

use fe_structure::units::{BOLTZMANN_EV_PER_K, MVV2E};
use fe_structure::Structure;
use nalgebra::Vector3;
use rand_distr::{Distribution, StandardNormal};
use rand_pcg::Pcg64;

/// Which thermostat an MD run uses.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Thermostat {
    /// None (NVE, or NPT with an unthermostatted barostat: not recommended).
    None,
    /// Langevin dynamics integrated as BAOAB (Leimkuhler and Matthews 2013): in the middle of
    /// each step the exact Ornstein-Uhlenbeck update
    /// $\mathbf v \leftarrow c\,\mathbf v + \sqrt{(1-c^2)\,k_BT/(m\,\mathrm{mvv2e})}\,
    /// \boldsymbol\xi$, $c = e^{-\Delta t/\tau}$, then the centre-of-mass velocity is removed
    /// (the thermostat does not drive the total momentum, like LAMMPS `fix langevin ... zero
    /// yes`).
    Langevin {
        /// Damping time $\tau = 1/\gamma$ (ps).
        damping: f64,
    },
    /// Nose-Hoover chain (Martyna, Klein and Tuckerman 1992) with masses
    /// $Q_1 = n_\text{dof}k_BT\tau^2$, $Q_{j>1} = k_BT\tau^2$, integrated by the Trotter
    /// splitting of Martyna, Tuckerman, Tobias and Klein 1996 (half a chain step before and
    /// after velocity Verlet), as LAMMPS `fix nvt` (`tchain` 3 by default).
    NoseHooverChain {
        /// Damping time $\tau$ (ps).
        damping: f64,
        /// Chain length (at least 1).
        chain: usize,
    },
}

/// State of a Nose-Hoover chain: thermostat velocities $v_{\xi_j}$ (1/ps) and positions
/// $\xi_j$.
#[derive(Debug, Clone)]
pub(crate) struct Chain {
    pub(crate) v: Vec<f64>,
    pub(crate) xi: Vec<f64>,
}

impl Chain {
    pub(crate) fn new(length: usize) -> Chain {
        Chain {
            v: vec![0.0; length],
            xi: vec![0.0; length],
        }
    }

    fn masses(&self, dof: usize, kt: f64, tau: f64) -> Vec<f64> {
        (0..self.v.len())
            .map(|j| if j == 0 { dof as f64 } else { 1.0 } * kt * tau * tau)
            .collect()
    }

    /// Half a step (`dt` is the full MD step) of the chain acting on kinetic energy
    /// `kinetic` (eV); returns the velocity scale factor to apply to the particles.
    pub(crate) fn half_step(
        &mut self,
        kinetic: f64,
        dof: usize,
        kt: f64,
        tau: f64,
        dt: f64,
    ) -> f64 {
        let m = self.v.len();
        let q = self.masses(dof, kt, tau);
        let nkt = dof as f64 * kt;
        let dt2 = 0.5 * dt;
        let dt4 = 0.25 * dt;
        let dt8 = 0.125 * dt;
        let force = |j: usize, v: &[f64], ke: f64| -> f64 {
            if j == 0 {
                (2.0 * ke - nkt) / q[0]
            } else {
                (q[j - 1] * v[j - 1] * v[j - 1] - kt) / q[j]
            }
        };
        let mut ke = kinetic;
        // Chain velocities from the end down.
        for j in (0..m).rev() {
            if j + 1 < m {
                self.v[j] *= (-self.v[j + 1] * dt8).exp();
            }
            self.v[j] += force(j, &self.v, ke) * dt4;
            if j + 1 < m {
                self.v[j] *= (-self.v[j + 1] * dt8).exp();
            }
        }
        let scale = (-self.v[0] * dt2).exp();
        ke *= scale * scale;
        for j in 0..m {
            self.xi[j] += self.v[j] * dt2;
        }
        for j in 0..m {
            if j + 1 < m {
                self.v[j] *= (-self.v[j + 1] * dt8).exp();
            }
            self.v[j] += force(j, &self.v, ke) * dt4;
            if j + 1 < m {
                self.v[j] *= (-self.v[j + 1] * dt8).exp();
            }
        }
        scale
    }

    /// The chain's energy $\sum_j Q_jv_{\xi_j}^2/2 + n_\text{dof}k_BT\xi_1 + k_BT\sum_{j>1}
    /// \xi_j$ (eV), which makes the extended Hamiltonian conserved at constant $T$.
    pub(crate) fn energy(&self, dof: usize, kt: f64, tau: f64) -> f64 {
        let q = self.masses(dof, kt, tau);
        let mut e = 0.0;
        for (j, ((qj, vj), xj)) in q.iter().zip(&self.v).zip(&self.xi).enumerate() {
            e += 0.5 * qj * vj * vj;
            e += if j == 0 { dof as f64 } else { 1.0 } * kt * xj;
        }
        e
    }
}

/// The Langevin O step on the free atoms; returns the kinetic energy it added (eV).
pub(crate) fn langevin_o(
    structure: &Structure,
    velocities: &mut [Vector3<f64>],
    temperature: f64,
    damping: f64,
    dt: f64,
    rng: &mut Pcg64,
) -> f64 {
    let c = (-dt / damping).exp();
    let kt = BOLTZMANN_EV_PER_K * temperature;
    let noise = (1.0 - c * c).sqrt();
    let mut added = 0.0;
    for (i, v) in velocities.iter_mut().enumerate() {
        if structure.is_fixed(i) {
            continue;
        }
        let m = structure.mass(i);
        let s = noise * (kt / (m * MVV2E)).sqrt();
        let before = v.norm_squared();
        for a in 0..3 {
            let xi: f64 = StandardNormal.sample(rng);
            v[a] = c * v[a] + s * xi;
        }
        added += 0.5 * m * MVV2E * (v.norm_squared() - before);
    }
    added
}
