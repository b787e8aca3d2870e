//! Grain-boundary analysis (METHODS.md sections 3 to 5).
//!
//! Built so far: the average GB energy of a polycrystal with facet areas mapped to the relaxed
//! cell ([`energy`]); disorientations between cubic grains and the Mackenzie distribution
//! ([`misorientation`]); SVG plots of the report after Paper I's figures ([`plot`]).

pub mod energy;
pub mod error;
pub mod misorientation;
pub mod plot;

pub use energy::{average_gb_energy, mapped_area, AverageGbEnergy};
pub use error::{GbError, Result};
pub use misorientation::{
    disorientation, disorientation_angle, mackenzie_density, mackenzie_density_per_degree,
    Disorientation, Histogram,
};
