//! Grain-boundary analysis (METHODS.md sections 3 to 5).
//!
//! - [`bulk`]: $e_\text{bulk}$ and $a_0$ of a potential's zero-pressure bcc crystal.
//! - [`energy`]: the average GB energy $\bar\gamma$ and Nanson's area map.
//! - [`facets`]: the grain geometry ([`Grains`], GRAINS.json reader) and its facets mapped to
//!   the current cell.
//! - [`distance`]: the distance of every atom to the nearest facet polygon (the GB centre).
//! - [`pergb`]: per-GB energies $\gamma_k$.
//! - [`profile`]: Voronoi volume and coordination against the distance to the GB centre.
//! - [`misorientation`]: disorientations between cubic grains and the Mackenzie distribution.
//! - [`orientation`]: grain-assignment stability, the fraction of atoms away from the GBs
//!   that lost their seed grain's orientation.
//! - [`plot`]: SVG plots of the report after Paper I's figures 7, 8 and 9.
//! - [`report`]: [`gb_report`], all of the above in one call (used by `fe gb-energy` and the
//!   main job).

pub mod bulk;
pub mod distance;
pub mod energy;
pub mod error;
pub mod facets;
pub mod misorientation;
pub mod orientation;
pub mod pergb;
pub mod plot;
pub mod profile;
pub mod report;

pub use bulk::{bcc_bulk_reference, BulkReference};
pub use distance::{facet_distances, FacetDistances, DEFAULT_AMBIGUITY_MARGIN};
pub use energy::{average_gb_energy, mapped_area, AverageGbEnergy, EV_PER_A2_IN_J_PER_M2};
pub use error::{GbError, Result};
pub use facets::{map_facets, Deformation, GbFacet, Grains};
pub use misorientation::{
    disorientation, disorientation_angle, mackenzie_density, mackenzie_density_per_degree,
    Disorientation, Histogram,
};
pub use orientation::{built_grains, reoriented_fraction, Reoriented, ReorientedOptions};
pub use pergb::{per_gb_csv, per_gb_energies, GbEnergy, DEFAULT_AREA_THRESHOLD};
pub use profile::{layers_csv, profile_csv, volume_profile, ProfileOptions, Stats, VolumeProfile};
pub use report::{gb_report, GbOptions, GbReport};
