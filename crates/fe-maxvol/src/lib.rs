//! MaxVol (D-optimality) active learning for moment tensor potentials, as MLIP-3 does it
//! (`../shared/docs/MTP.md` section 8).
//!
//! - Rows ([`rows`]): per neighbourhood, the derivatives $\partial E_i/\partial p$ of the
//!   site energy with respect to **every** parameter of the potential in MLIP's order
//!   (radial coefficients, species offsets, moment coefficients; MTP.md 2.8, 8.1), or per
//!   configuration the weighted energy row. One active matrix for all species (MTP.md 8.8).
//! - [`ActiveSet`]: the `n x n` active matrix `A`, its inverse and the origin of every row;
//!   greedy MaxVol selection by row swaps with Sherman-Morrison updates and periodic fresh
//!   re-inversion (MTP.md 8.3); grades $\gamma(b) = \max_j |(b A^{-1})_j|$ (MTP.md 8.2).
//! - [`AlState`]: potential plus active set: built from a training set, read from an MLIP-3
//!   `.almtp` file, saved and loaded in our JSON format (`docs/maxvol-state.md`); grades of
//!   structures, `select_add` (MTP.md 8.5).
//! - [`Thresholds`]: grade classes (MTP.md 8.4); [`cut`]: spherical neighbourhoods around
//!   extrapolative atoms as clusters (MTP.md 8.7).

pub mod active;
pub mod cut;
pub mod error;
pub mod grade;
pub mod rows;
pub mod state;

pub use active::{
    invert, ActiveSet, Link, Pool, SelectOptions, SelectReport, INIT_VALUE, SELECT_THRESHOLD,
};
pub use cut::{cut_neighbourhood, label_cluster, CutOptions};
pub use error::{MaxVolError, Result};
pub use grade::{GradeClass, Grades, Thresholds};
pub use rows::{config_pool, site_rows, site_rows_with_list, ParamLayout, RowMode, SiteRows};
pub use state::{AlState, SelectAdd, STATE_FORMAT, STATE_VERSION};
