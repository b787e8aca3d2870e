//! Moment tensor potentials (Shapeev 2016) as MLIP-2/MLIP-3 evaluate them, specified in
//! `../shared/docs/MTP.md`: the `.mtp` format ([`MtpModel`], [`read_mtp`], [`write_mtp`]),
//! the `.almtp` active-learning file ([`Almtp`]) and the evaluator ([`Mtp`]).
//!
//! Site energy of atom $i$ of species $t_i$:
//! $$ E_i = \xi_{t_i} + \sum_s \theta_s B_s(i), \qquad
//!    M_k(i) = \sum_j f_{\mu_k}^{(t_i t_j)}(r_{ij})\, \hat x^{\alpha_k} \hat y^{\beta_k}
//!    \hat z^{\gamma_k}, $$
//! with $f_\mu(r) = s \sum_\beta c_{\mu\beta} T_\beta(\xi(r)) (R_{cut} - r)^2$ for
//! $r < R_{cut}$, products $M_k \mathrel{+}= m\, M_i M_j$ in table order, and
//! $B_s = M_{\sigma(s)}$ with $\sigma$ = `alpha_moment_mapping`. Energies in eV, distances in Angstrom.

mod almtp;
mod isa;
mod kernel;
mod model;
mod parse;
mod potential;
mod template;
mod write;

pub(crate) use potential::from_mtp_spec;

pub use almtp::Almtp;
pub use model::{MtpModel, RadialCoeffs, MAX_RANK, RADIAL_BASIS_TYPE};
pub use potential::{parse_mtp_str, read_mtp, Mtp, SiteBasis};
pub use template::{basic_moments, contractions, radial_funcs_of_level, template, Contraction};
pub use write::write_mtp;
