//! Grain-boundary analysis (METHODS.md sections 3 to 5).
//!
//! Built so far: the average GB energy of a polycrystal with facet areas mapped to the relaxed
//! cell ([`energy`]). Per-GB energies, distance-to-GB profiles, misorientation and the tilt-GB
//! builders are still open (see the project's issues).

pub mod energy;
pub mod error;

pub use energy::{average_gb_energy, mapped_area, AverageGbEnergy};
pub use error::{GbError, Result};
