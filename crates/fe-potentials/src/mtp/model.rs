//! [`MtpModel`]: every field of an MLIP `.mtp` file (version 1.1.0), and its validation.

use crate::error::{PotentialError, Result};

/// The only radial basis we evaluate (MTP.md 2.2).
pub const RADIAL_BASIS_TYPE: &str = "RBChebyshev";

/// The content of an MLIP `.mtp` file, field by field, as MLIP writes it (MTP.md 4.1).
///
/// Index conventions (MTP.md 1): species `a, b` in `0..C`, radial functions `mu` in `0..K`,
/// Chebyshev polynomials `beta` in `0..R`. A model without `radial_coeffs`,
/// `species_coeffs` and `moment_coeffs` is an untrained template (MTP.md 4.3); it can be read,
/// written and validated but not evaluated.
#[derive(Debug, Clone, PartialEq)]
pub struct MtpModel {
    /// `potential_name` (MLIP writes `MTP1m`), if present.
    pub potential_name: Option<String>,
    /// Global `scaling` `s` of the radial basis (1 when absent). A `scaling` line inside the
    /// radial block is multiplied into it on reading, as MLIP does.
    pub scaling: f64,
    /// `species_count` as written, if present (MLIP-3 writes it for trained potentials and
    /// its templates).
    pub species_count: Option<usize>,
    /// `potential_tag`: the rest of its line after `= ` (usually empty), if present.
    pub potential_tag: Option<String>,
    /// `min_dist` `R_min` (Angstrom): only scales the Chebyshev argument.
    pub min_dist: f64,
    /// `max_dist` `R_cut` (Angstrom): the cutoff.
    pub max_dist: f64,
    /// `radial_basis_size` `R`.
    pub radial_basis_size: usize,
    /// `radial_funcs_count` `K`.
    pub radial_funcs_count: usize,
    /// The radial coefficient blocks, in file order (`a` outer, `b` inner), if present.
    pub radial_coeffs: Option<RadialCoeffs>,
    /// `alpha_moments_count` `n_m`: basic moments plus product slots.
    pub alpha_moments_count: usize,
    /// `alpha_index_basic` rows `(mu, alpha, beta, gamma)`.
    pub alpha_index_basic: Vec<[usize; 4]>,
    /// `alpha_index_times` rows `(i, j, mult, k)`: `M_k += mult M_i M_j`, in order.
    pub alpha_index_times: Vec<[usize; 4]>,
    /// `alpha_moment_mapping`: the slot of every scalar basis function.
    pub alpha_moment_mapping: Vec<usize>,
    /// `species_coeffs` `xi[t]` (eV), if present.
    pub species_coeffs: Option<Vec<f64>>,
    /// `moment_coeffs` `theta[s]` (eV), if present.
    pub moment_coeffs: Option<Vec<f64>>,
}

/// The radial coefficients `c[a][b][mu][beta]` of MTP.md 2.3 with their block labels.
#[derive(Debug, Clone, PartialEq)]
pub struct RadialCoeffs {
    /// Block labels as written (`a-b`), one per block, `C^2` of them.
    pub labels: Vec<String>,
    /// Coefficients flattened as `((a C + b) K + mu) R + beta`.
    pub values: Vec<f64>,
}

impl MtpModel {
    /// Number of species `C`: `species_count` when written, otherwise the square root of the
    /// number of radial blocks, otherwise the length of `species_coeffs`, otherwise 1.
    pub fn n_species(&self) -> usize {
        if let Some(c) = self.species_count {
            return c;
        }
        if let Some(rc) = &self.radial_coeffs {
            return (rc.labels.len() as f64).sqrt().round() as usize;
        }
        self.species_coeffs.as_ref().map_or(1, Vec::len)
    }

    /// Number of scalar basis functions `n_s` (`alpha_scalar_moments`).
    pub fn n_basis(&self) -> usize {
        self.alpha_moment_mapping.len()
    }

    /// True when the file holds every coefficient, so it can be evaluated.
    pub fn is_trained(&self) -> bool {
        self.radial_coeffs.is_some()
            && self.species_coeffs.is_some()
            && self.moment_coeffs.is_some()
    }

    /// Number of parameters `C^2 K R + C + n_s` in MLIP's order (MTP.md 2.8).
    pub fn n_params(&self) -> usize {
        let c = self.n_species();
        c * c * self.radial_funcs_count * self.radial_basis_size + c + self.n_basis()
    }

    /// Check every count against its list, every index against its range, the order of the
    /// product table and the finiteness of every number (MTP.md 2.5, 4.2).
    ///
    /// # Errors
    /// [`PotentialError::File`] naming `file` and the first inconsistency.
    pub fn validate(&self, file: &str) -> Result<()> {
        let bad = |message: String| {
            Err(PotentialError::File {
                file: file.to_string(),
                message,
            })
        };
        let (c, k, r) = (
            self.n_species(),
            self.radial_funcs_count,
            self.radial_basis_size,
        );
        if c == 0 {
            return bad("species_count must be at least 1".into());
        }
        if k == 0 || r == 0 {
            return bad(format!(
                "radial_funcs_count ({k}) and radial_basis_size ({r}) must be at least 1"
            ));
        }
        if !(self.min_dist.is_finite()
            && self.max_dist.is_finite()
            && self.min_dist < self.max_dist
            && self.max_dist > 0.0)
        {
            return bad(format!(
                "need finite 0 < max_dist and min_dist < max_dist, found min_dist {} and max_dist {}",
                self.min_dist, self.max_dist
            ));
        }
        if !self.scaling.is_finite() {
            return bad(format!("scaling {} is not finite", self.scaling));
        }
        let nb = self.alpha_index_basic.len();
        let nm = self.alpha_moments_count;
        if nb > nm {
            return bad(format!(
                "alpha_index_basic_count {nb} exceeds alpha_moments_count {nm}"
            ));
        }
        let mut max_mu = 0;
        for (row, b) in self.alpha_index_basic.iter().enumerate() {
            if b[0] >= k {
                return bad(format!(
                    "alpha_index_basic row {row}: radial function {} but radial_funcs_count is {k}",
                    b[0]
                ));
            }
            if b[1] + b[2] + b[3] > MAX_RANK {
                return bad(format!(
                    "alpha_index_basic row {row}: tensor rank {} above the supported {MAX_RANK}",
                    b[1] + b[2] + b[3]
                ));
            }
            max_mu = max_mu.max(b[0]);
        }
        if nb > 0 && max_mu + 1 != k {
            return bad(format!(
                "the largest radial function in alpha_index_basic is {max_mu}, but radial_funcs_count is {k} (MLIP requires {})",
                max_mu + 1
            ));
        }
        // Product rows: indices in range, targets are product slots, and no row reads a slot
        // that a later row still writes.
        let mut last_write = vec![None; nm];
        for (row, t) in self.alpha_index_times.iter().enumerate() {
            let [i, j, mult, kk] = *t;
            if i >= nm || j >= nm || kk >= nm {
                return bad(format!(
                    "alpha_index_times row {row}: index out of range 0..{nm} in {{{i}, {j}, {mult}, {kk}}}"
                ));
            }
            if kk < nb {
                return bad(format!(
                    "alpha_index_times row {row}: writes slot {kk}, a basic moment (< {nb})"
                ));
            }
            last_write[kk] = Some(row);
        }
        for (row, t) in self.alpha_index_times.iter().enumerate() {
            for src in [t[0], t[1]] {
                if let Some(w) = last_write[src] {
                    if w >= row {
                        return bad(format!(
                            "alpha_index_times row {row} reads slot {src}, which row {w} writes later: the product table is not in evaluation order"
                        ));
                    }
                }
            }
        }
        if let Some(s) = self.alpha_moment_mapping.iter().position(|&m| m >= nm) {
            return bad(format!(
                "alpha_moment_mapping entry {s} is {}, out of range 0..{nm}",
                self.alpha_moment_mapping[s]
            ));
        }
        if let Some(rc) = &self.radial_coeffs {
            if rc.labels.len() != c * c {
                return bad(format!(
                    "{} radial coefficient blocks for {c} species (need {})",
                    rc.labels.len(),
                    c * c
                ));
            }
            if rc.values.len() != c * c * k * r {
                return bad(format!(
                    "{} radial coefficients, need {}",
                    rc.values.len(),
                    c * c * k * r
                ));
            }
            if rc.values.iter().any(|x| !x.is_finite()) {
                return bad("non-finite radial coefficient".into());
            }
        }
        if let Some(xi) = &self.species_coeffs {
            if xi.len() != c {
                return bad(format!("{} species_coeffs for {c} species", xi.len()));
            }
            if xi.iter().any(|x| !x.is_finite()) {
                return bad("non-finite species coefficient".into());
            }
        }
        if let Some(th) = &self.moment_coeffs {
            if th.len() != self.n_basis() {
                return bad(format!(
                    "{} moment_coeffs for {} basis functions",
                    th.len(),
                    self.n_basis()
                ));
            }
            if th.iter().any(|x| !x.is_finite()) {
                return bad("non-finite moment coefficient".into());
            }
        }
        Ok(())
    }
}

/// Largest tensor rank `alpha + beta + gamma` of a basic moment we evaluate (MLIP's
/// templates stop at 10; we allow some headroom).
pub const MAX_RANK: usize = 16;
