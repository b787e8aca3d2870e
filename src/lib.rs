//! The fe toolkit: fast atomistic simulation of grain boundaries in bcc metals.
//!
//! This facade re-exports the workspace crates under short names:
//!
//! | module | crate | holds |
//! |---|---|---|
//! | [`structure`] | `fe-structure` | cells, structures, elements, lattice builders, file formats |
//! | [`neighbors`] | `fe-neighbors` | cell-list neighbour lists, radius queries |
//! | [`potentials`] | `fe-potentials` | the `Potential` trait, tabulated EAM, Zhou 2004 EAM (MEAM, MTP to come) |
//! | [`dynamics`] | `fe-dynamics` | minimizers (CG, FIRE, cell relaxation) and MD (NVE, NVT, NPT) |
//! | [`voronoi`] | `fe-voronoi` | Voronoi tessellation and polycrystals (to come) |
//! | [`maxvol`] | `fe-maxvol` | MaxVol active learning: grades, selection, cutting |
//! | [`gcmc`] | `fe-gcmc` | grand canonical Monte Carlo (to come) |
//! | [`gbanalysis`] | `fe-gbanalysis` | grain-boundary analysis (to come) |

pub use fe_dynamics as dynamics;
pub use fe_gbanalysis as gbanalysis;
pub use fe_gcmc as gcmc;
pub use fe_maxvol as maxvol;
pub use fe_neighbors as neighbors;
pub use fe_potentials as potentials;
pub use fe_structure as structure;
pub use fe_voronoi as voronoi;

pub mod guide;
