//! The MaxVol rows of a structure (MTP.md 8.1): derivatives of site energies, or of the total
//! energy, with respect to every parameter of the potential, in MLIP's order (MTP.md 2.8).

use fe_neighbors::{ListKind, NeighborList};
use fe_potentials::mtp::Mtp;
use fe_potentials::{Binding, BoundAtoms, Potential};
use fe_structure::Structure;

use crate::active::{Link, Pool};
use crate::error::{MaxVolError, Result};

/// Which equations give the rows (MTP.md 8.1).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum RowMode {
    /// One row per atom, $\partial E_i / \partial \theta$ (MLIP's "nbh" mode, site-energy
    /// weight non-zero): the grade of every neighbourhood.
    Neighbourhood,
    /// One row per configuration,
    /// $w_E\, N^{-s/2} \sum_i \partial E_i / \partial \theta$ (MLIP's "cfg" mode) with
    /// `energy_weight` $w_E$ and `weight_scaling` $s$.
    Configuration {
        /// Energy weight $w_E$.
        energy_weight: f64,
        /// Exponent $s$ of the atom count.
        weight_scaling: i64,
    },
}

/// The layout of MLIP's parameter vector for a potential: `C^2 K R` radial coefficients,
/// `C` species offsets, `n_s` moment coefficients.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ParamLayout {
    /// Number of species `C`.
    pub species: usize,
    /// Index of the first species offset, `C^2 K R`.
    pub offsets: usize,
    /// Total number of parameters `n`.
    pub n: usize,
}

impl ParamLayout {
    /// The layout of `mtp`'s parameters.
    pub fn of(mtp: &Mtp) -> ParamLayout {
        let m = mtp.model();
        let c = m.n_species();
        ParamLayout {
            species: c,
            offsets: c * c * m.radial_funcs_count * m.radial_basis_size,
            n: m.n_params(),
        }
    }
}

/// The site-energy rows of every atom of a structure: `rows[i * n + q]` =
/// $\partial E_i / \partial p_q$ (MTP.md 2.8), with the species index of every atom.
#[derive(Debug, Clone, PartialEq)]
pub struct SiteRows {
    /// Number of parameters.
    pub n: usize,
    /// Row-major rows, one per atom.
    pub rows: Vec<f64>,
    /// Species index of every atom under the potential.
    pub species: Vec<u16>,
}

/// The site-energy rows of `s` under `mtp` (full neighbour list at the cutoff, strict).
///
/// # Errors
/// [`MaxVolError::Potential`] for an element the potential lacks or a non-finite position;
/// neighbour-list errors; [`MaxVolError::NonFinite`] for a non-finite row entry.
pub fn site_rows(mtp: &Mtp, s: &Structure) -> Result<SiteRows> {
    let list = NeighborList::new(s, mtp.cutoff(), ListKind::Full)?;
    site_rows_with_list(mtp, s, &list)
}

/// [`site_rows`] with a full neighbour list built by the caller (at least at the cutoff; a
/// skin list of an MD run serves), so that grading during MD reuses the force list.
///
/// # Errors
/// As [`site_rows`], and a list that does not fit the structure.
pub fn site_rows_with_list(mtp: &Mtp, s: &Structure, list: &NeighborList) -> Result<SiteRows> {
    let binding = Binding::new(mtp.elements(), &s.elements())?;
    let atoms = BoundAtoms::new(s, &binding)?;
    let rows = mtp.site_energy_gradients(&atoms, list)?;
    if let Some(k) = rows.iter().position(|x| !x.is_finite()) {
        let n = mtp.model().n_params();
        return Err(MaxVolError::NonFinite(format!(
            "parameter derivative {} of atom {}",
            k % n,
            k / n
        )));
    }
    Ok(SiteRows {
        n: mtp.model().n_params(),
        rows,
        species: atoms.species().to_vec(),
    })
}

/// The rows of configuration number `cfg` in `mode`, with their links.
///
/// # Errors
/// As [`site_rows`].
pub fn config_pool(mtp: &Mtp, s: &Structure, cfg: usize, mode: RowMode) -> Result<Pool> {
    let r = site_rows(mtp, s)?;
    let natoms = s.len();
    Ok(match mode {
        RowMode::Neighbourhood => Pool {
            rows: r.rows,
            links: (0..natoms).map(|i| Link::site(cfg, natoms, i)).collect(),
        },
        RowMode::Configuration {
            energy_weight,
            weight_scaling,
        } => {
            if natoms == 0 {
                return Ok(Pool::default());
            }
            let scale = energy_weight / (natoms as f64).powf(weight_scaling as f64 / 2.0);
            let mut row = vec![0.0; r.n];
            for site in r.rows.chunks_exact(r.n) {
                for (x, y) in row.iter_mut().zip(site) {
                    *x += y;
                }
            }
            row.iter_mut().for_each(|x| *x *= scale);
            Pool {
                rows: row,
                links: vec![Link::energy(cfg)],
            }
        }
    })
}
