//! The MD driver [`Md`]: state, one step, thermo records.

use fe_potentials::{Evaluator, Request};
use fe_structure::build::stream_rng;
use fe_structure::units::{BOLTZMANN_EV_PER_K, MVV2E, NKTV2P};
use fe_structure::Structure;
use nalgebra::{Matrix3, Vector3};
use rand_pcg::Pcg64;

use super::barostat::Barostat;
use super::schedule::Schedule;
use super::thermostat::{langevin_o, Chain, Thermostat};
use super::velocities::{degrees_of_freedom, kinetic_tensor, temperature, zero_momentum};
use crate::cell_dof::CellDof;
use crate::error::{DynamicsError, Result};

/// Largest relative volume change from the start (factor) before a run stops as an exploding
/// cell, and largest strain of one barostat application.
const MAX_VOLUME_FACTOR: f64 = 2.0;
const MAX_BAROSTAT_STRAIN: f64 = 0.05;
/// Random stream of the thermostat and barostat noise (the velocity streams use 0, 1, ...).
const NOISE_STREAM: u64 = 1 << 40;

/// What an MD run does.
#[derive(Debug, Clone, PartialEq)]
pub struct MdOptions {
    /// Time step (ps), e.g. 0.001.
    pub timestep: f64,
    /// Thermostat.
    pub thermostat: Thermostat,
    /// Barostat (NPT) or `None` (fixed cell).
    pub barostat: Option<Barostat>,
    /// Target temperature program (used by thermostat and barostat).
    pub schedule: Schedule,
    /// Seed of the thermostat and barostat noise (PCG64 stream `1 << 40` of
    /// `fe_structure::build::stream_rng`).
    pub seed: u64,
}

/// One thermo record.
#[derive(Debug, Clone, PartialEq)]
pub struct Thermo {
    /// Step.
    pub step: usize,
    /// Time (ps).
    pub time: f64,
    /// Temperature $2K/(n_\text{dof}k_B)$ (K).
    pub temperature: f64,
    /// Target temperature of the schedule now (K).
    pub target_temperature: f64,
    /// Potential energy (eV).
    pub potential_energy: f64,
    /// Kinetic energy (eV).
    pub kinetic_energy: f64,
    /// Total energy (eV).
    pub total_energy: f64,
    /// Conserved quantity (eV): total energy for NVE; minus the heat the Langevin thermostat
    /// added; plus the chain energy for Nose-Hoover at constant target; `None` under a
    /// barostat or a changing Nose-Hoover target.
    pub conserved: Option<f64>,
    /// Pressure $\mathrm{tr}(P)/3$ with kinetic part (bar).
    pub pressure: f64,
    /// Pressure tensor (bar).
    pub pressure_tensor: Matrix3<f64>,
    /// Volume (Å³).
    pub volume: f64,
    /// Cell rows (Å).
    pub cell: Matrix3<f64>,
}

/// A running MD simulation.
#[derive(Debug)]
pub struct Md<'e> {
    structure: Structure,
    velocities: Vec<Vector3<f64>>,
    forces: Vec<Vector3<f64>>,
    virial: Matrix3<f64>,
    energy: f64,
    evaluator: &'e mut Evaluator,
    options: MdOptions,
    dof: usize,
    chain: Option<Chain>,
    rng: Pcg64,
    heat: f64,
    step: usize,
    evaluations: usize,
    volume0: f64,
}

impl<'e> Md<'e> {
    /// Start MD from `structure` (its velocities, zero if it has none) with `evaluator`;
    /// makes the first force evaluation.
    ///
    /// # Errors
    /// Invalid options (non-positive time step or damping, Nose-Hoover at 0 K, a barostat on
    /// a cell that is not fully periodic or with [`CellDof::None`]), the potential's errors,
    /// non-finite results.
    pub fn new(
        structure: Structure,
        evaluator: &'e mut Evaluator,
        options: MdOptions,
    ) -> Result<Md<'e>> {
        let positive = |what: &str, v: f64| -> Result<()> {
            if v.is_finite() && v > 0.0 {
                Ok(())
            } else {
                Err(DynamicsError::Invalid(format!(
                    "{what} must be finite and positive, got {v}"
                )))
            }
        };
        positive("time step", options.timestep)?;
        if structure.is_empty() {
            return Err(DynamicsError::Invalid("the structure has no atoms".into()));
        }
        let chain = match options.thermostat {
            Thermostat::None => None,
            Thermostat::Langevin { damping } => {
                positive("Langevin damping", damping)?;
                None
            }
            Thermostat::NoseHooverChain { damping, chain } => {
                positive("Nose-Hoover damping", damping)?;
                if chain == 0 {
                    return Err(DynamicsError::Invalid(
                        "a Nose-Hoover chain needs length >= 1".into(),
                    ));
                }
                if options.schedule.min_temperature() <= 0.0 {
                    return Err(DynamicsError::Invalid(
                        "Nose-Hoover needs a target temperature above 0 K".into(),
                    ));
                }
                Some(Chain::new(chain))
            }
        };
        if let Some(b) = &options.barostat {
            positive("barostat damping", b.damping)?;
            positive("barostat compressibility", b.compressibility)?;
            if !b.pressure.is_finite() {
                return Err(DynamicsError::Invalid(
                    "the target pressure is not finite".into(),
                ));
            }
            if b.cell == CellDof::None || b.every == 0 {
                return Err(DynamicsError::Invalid(
                    "a barostat needs iso, aniso or tri cell degrees of freedom and every >= 1"
                        .into(),
                ));
            }
            if structure.cell().pbc() != [true; 3] {
                return Err(DynamicsError::Invalid(
                    "NPT needs a cell periodic along all three axes".into(),
                ));
            }
        }
        let mut velocities = structure.velocities().map_or_else(
            || vec![Vector3::zeros(); structure.len()],
            <[Vector3<f64>]>::to_vec,
        );
        for (i, v) in velocities.iter_mut().enumerate() {
            if structure.is_fixed(i) {
                *v = Vector3::zeros();
            }
        }
        let dof = degrees_of_freedom(&structure);
        let volume0 = structure.cell().volume();
        let rng = stream_rng(options.seed, NOISE_STREAM);
        let mut md = Md {
            structure,
            velocities,
            forces: Vec::new(),
            virial: Matrix3::zeros(),
            energy: 0.0,
            evaluator,
            options,
            dof,
            chain,
            rng,
            heat: 0.0,
            step: 0,
            evaluations: 0,
            volume0,
        };
        md.compute_forces()?;
        Ok(md)
    }

    fn compute_forces(&mut self) -> Result<()> {
        let r = self
            .evaluator
            .evaluate(&self.structure, Request::FORCES_VIRIAL)?;
        self.evaluations += 1;
        let forces = r.forces.unwrap_or_default();
        let w = r.virial.unwrap_or_else(Matrix3::zeros);
        if !r.energy.is_finite()
            || forces.len() != self.structure.len()
            || forces.iter().any(|f| !f.iter().all(|c| c.is_finite()))
            || w.iter().any(|c| !c.is_finite())
        {
            return Err(DynamicsError::NonFinite {
                what: "energy, force or virial from the potential".into(),
                step: self.step,
            });
        }
        self.energy = r.energy;
        self.forces = forces;
        self.virial = w;
        Ok(())
    }

    /// Steps taken.
    pub fn steps(&self) -> usize {
        self.step
    }

    /// Simulated time (ps).
    pub fn time(&self) -> f64 {
        self.step as f64 * self.options.timestep
    }

    /// Force evaluations made (one per step plus the first).
    pub fn force_evaluations(&self) -> usize {
        self.evaluations
    }

    /// Degrees of freedom used for the temperature.
    pub fn degrees_of_freedom(&self) -> usize {
        self.dof
    }

    /// The current structure, with its velocities.
    pub fn structure(&self) -> Structure {
        let mut s = self.structure.clone();
        // Lengths always match, so this cannot fail.
        let _ = s.set_velocities(Some(self.velocities.clone()));
        s
    }

    /// Kinetic energy (eV).
    pub fn kinetic_energy(&self) -> f64 {
        0.5 * kinetic_tensor(&self.structure, &self.velocities).trace()
    }

    /// Potential energy (eV) at the current positions.
    pub fn potential_energy(&self) -> f64 {
        self.energy
    }

    fn kick(&mut self, half_dt: f64) {
        for (i, (v, f)) in self.velocities.iter_mut().zip(&self.forces).enumerate() {
            if !self.structure.is_fixed(i) {
                *v += f * (half_dt / (self.structure.mass(i) * MVV2E));
            }
        }
    }

    fn drift(&mut self, dt: f64) {
        let fixed: Vec<bool> = (0..self.structure.len())
            .map(|i| self.structure.is_fixed(i))
            .collect();
        for ((r, v), fx) in self
            .structure
            .positions_mut()
            .iter_mut()
            .zip(&self.velocities)
            .zip(fixed)
        {
            if !fx {
                *r += v * dt;
            }
        }
    }

    fn chain_half(&mut self, target: f64) {
        let Thermostat::NoseHooverChain { damping, .. } = self.options.thermostat else {
            return;
        };
        let ke = self.kinetic_energy();
        let kt = BOLTZMANN_EV_PER_K * target;
        let dof = self.dof;
        let dt = self.options.timestep;
        if let Some(chain) = self.chain.as_mut() {
            let s = chain.half_step(ke, dof, kt, damping, dt);
            self.velocities.iter_mut().for_each(|v| *v *= s);
        }
    }

    fn pressure_tensor_ev(&self) -> Matrix3<f64> {
        (kinetic_tensor(&self.structure, &self.velocities) + self.virial)
            / self.structure.cell().volume()
    }

    fn barostat(&mut self, b: Barostat, target: f64) -> Result<()> {
        let volume = self.structure.cell().volume();
        let p_int = self.pressure_tensor_ev() * NKTV2P;
        let dt_b = b.every as f64 * self.options.timestep;
        let m = b.deformation(&p_int, volume, target, dt_b, &mut self.rng);
        if m.iter().any(|x| !x.is_finite()) {
            return Err(DynamicsError::NonFinite {
                what: "barostat deformation".into(),
                step: self.step,
            });
        }
        let strain = (m - Matrix3::identity()).amax();
        if strain > MAX_BAROSTAT_STRAIN {
            return Err(DynamicsError::CellExploded {
                step: self.step,
                message: format!(
                    "one barostat step would strain the cell by {strain:.3} (limit {MAX_BAROSTAT_STRAIN})"
                ),
            });
        }
        let minv = m.try_inverse().ok_or_else(|| DynamicsError::CellExploded {
            step: self.step,
            message: "singular barostat deformation".into(),
        })?;
        let cell = self
            .structure
            .cell()
            .deformed(&m)
            .map_err(|e| DynamicsError::CellExploded {
                step: self.step,
                message: e.to_string(),
            })?;
        let ratio = cell.volume() / self.volume0;
        if !(1.0 / MAX_VOLUME_FACTOR..=MAX_VOLUME_FACTOR).contains(&ratio) {
            return Err(DynamicsError::CellExploded {
                step: self.step,
                message: format!("the volume changed by a factor {ratio:.3} since the start"),
            });
        }
        self.structure.set_cell_scaling_atoms(cell);
        for v in &mut self.velocities {
            *v = minv * *v;
        }
        Ok(())
    }

    /// Advance one time step.
    ///
    /// # Errors
    /// The potential's errors, [`DynamicsError::NonFinite`] (velocities or forces),
    /// [`DynamicsError::CellExploded`] under a barostat.
    pub fn step(&mut self) -> Result<()> {
        let dt = self.options.timestep;
        let t_now = self.options.schedule.at(self.time());
        let t_next = self.options.schedule.at(self.time() + dt);
        let t_mid = 0.5 * (t_now + t_next);
        self.chain_half(t_now);
        self.kick(0.5 * dt);
        self.drift(0.5 * dt);
        if let Thermostat::Langevin { damping } = self.options.thermostat {
            let before = self.kinetic_energy();
            langevin_o(
                &self.structure,
                &mut self.velocities,
                t_mid,
                damping,
                dt,
                &mut self.rng,
            );
            zero_momentum(&self.structure, &mut self.velocities);
            self.heat += self.kinetic_energy() - before;
        }
        self.drift(0.5 * dt);
        self.step += 1;
        if let Some(b) = self.options.barostat {
            if self.step % b.every == 0 {
                self.barostat(b, t_mid)?;
            }
        }
        self.compute_forces()?;
        self.kick(0.5 * dt);
        self.chain_half(t_next);
        if self
            .velocities
            .iter()
            .any(|v| !v.iter().all(|c| c.is_finite()))
        {
            return Err(DynamicsError::NonFinite {
                what: "velocities".into(),
                step: self.step,
            });
        }
        Ok(())
    }

    /// The thermo record of the current state.
    pub fn thermo(&self) -> Thermo {
        let ke = self.kinetic_energy();
        let target = self.options.schedule.at(self.time());
        let pt = self.pressure_tensor_ev() * NKTV2P;
        let total = self.energy + ke;
        let conserved = match (self.options.barostat, self.options.thermostat) {
            (Some(_), _) => None,
            (None, Thermostat::None) => Some(total),
            (None, Thermostat::Langevin { .. }) => Some(total - self.heat),
            (None, Thermostat::NoseHooverChain { damping, .. }) => {
                let constant = self.options.schedule.min_temperature()
                    == self.options.schedule.at(f64::INFINITY)
                    && self.options.schedule.at(0.0) == self.options.schedule.min_temperature();
                match (&self.chain, constant) {
                    (Some(c), true) => {
                        Some(total + c.energy(self.dof, BOLTZMANN_EV_PER_K * target, damping))
                    }
                    _ => None,
                }
            }
        };
        Thermo {
            step: self.step,
            time: self.time(),
            temperature: temperature(ke, self.dof),
            target_temperature: target,
            potential_energy: self.energy,
            kinetic_energy: ke,
            total_energy: total,
            conserved,
            pressure: pt.trace() / 3.0,
            pressure_tensor: pt,
            volume: self.structure.cell().volume(),
            cell: *self.structure.cell().matrix(),
        }
    }

    /// Run `steps` steps, calling `observe` with the thermo record and the MD state at the
    /// start and every `every` steps (and after the last step); `observe` may write
    /// trajectories or stop the run by returning an error.
    ///
    /// # Errors
    /// As [`Md::step`], and `observe`'s errors.
    pub fn run(
        &mut self,
        steps: usize,
        every: usize,
        mut observe: impl FnMut(&Thermo, &Md<'e>) -> Result<()>,
    ) -> Result<()> {
        let every = every.max(1);
        let first = self.step;
        if first == 0 || first % every != 0 {
            observe(&self.thermo(), self)?;
        }
        for k in 1..=steps {
            self.step()?;
            if self.step % every == 0 || k == steps {
                observe(&self.thermo(), self)?;
            }
        }
        Ok(())
    }
}
