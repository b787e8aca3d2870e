//! Molecular dynamics: velocity Verlet NVE, Langevin (BAOAB) and Nose-Hoover chain NVT, and
//! NPT with the stochastic cell rescaling barostat ([`Barostat`]), under a temperature
//! [`Schedule`], with [`Thermo`] records and [`Trajectory`] frames every N steps.
//!
//! One step of [`Md::step`] (time step $\Delta t$, accelerations
//! $\mathbf a_i = \mathbf f_i/(m_i\,\mathrm{mvv2e})$ in Å/ps²):
//!
//! 1. Nose-Hoover chain half step (if any);
//! 2. $\mathbf v \leftarrow \mathbf v + \tfrac{\Delta t}{2}\mathbf a$;
//!    $\mathbf r \leftarrow \mathbf r + \tfrac{\Delta t}{2}\mathbf v$;
//! 3. Langevin O step over $\Delta t$ (if any);
//! 4. $\mathbf r \leftarrow \mathbf r + \tfrac{\Delta t}{2}\mathbf v$;
//! 5. barostat every `every` steps (cell, positions and velocities rescaled);
//! 6. one force evaluation; $\mathbf v \leftarrow \mathbf v + \tfrac{\Delta t}{2}\mathbf a$;
//! 7. Nose-Hoover chain half step (if any).
//!
//! Without thermostat and barostat this is velocity Verlet; with Langevin it is BAOAB. Fixed
//! atoms keep zero velocity and do not move (they follow the cell under a barostat).

mod barostat;
mod integrator;
mod schedule;
mod thermostat;
mod trajectory;
mod velocities;

pub use barostat::Barostat;
pub use integrator::{Md, MdOptions, Thermo};
pub use schedule::Schedule;
pub use thermostat::Thermostat;
pub use trajectory::Trajectory;
pub use velocities::{
    degrees_of_freedom, kinetic_tensor, maxwell_boltzmann, temperature, zero_momentum,
    VELOCITY_CHUNK,
};
