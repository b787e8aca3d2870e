//! Energy per GB (METHODS.md 3.2): every atom's excess energy $e_i - e_\text{bulk}$ goes to
//! its nearest facet $k(i)$ ([`crate::distance`]), and
//! $$ \gamma_k = \frac{\sum_{i:\,k(i)=k} (e_i - e_\text{bulk})}{A'_k} $$
//! with $A'_k$ the facet's area in the current cell. Since every atom is assigned exactly once,
//! $\sum_k \gamma_k A'_k = E - N e_\text{bulk}$ (the sum rule), and the area-weighted mean of
//! the $\gamma_k$ over all facets is the average GB energy $\bar\gamma$.

use serde::Serialize;

use crate::energy::EV_PER_A2_IN_J_PER_M2;
use crate::error::{GbError, Result};
use crate::facets::GbFacet;

/// Paper I's threshold: GBs with a smaller area (Angstrom^2) are reported apart.
pub const DEFAULT_AREA_THRESHOLD: f64 = 1000.0;

/// The energy of one GB facet.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GbEnergy {
    /// Index of the facet in the tessellation's facet list.
    pub facet: usize,
    /// The grain pair $(g, h)$, $g \le h$.
    pub grains: [usize; 2],
    /// Image shift of grain h.
    pub shift: [i32; 3],
    /// True for a grain against its own periodic image.
    pub self_image: bool,
    /// Facet area in the tessellation's cell (Angstrom^2).
    #[serde(rename = "area_initial_A2")]
    pub area_initial: f64,
    /// Facet area $A'_k$ in the current cell (Angstrom^2).
    #[serde(rename = "area_A2")]
    pub area: f64,
    /// Number of atoms assigned to the facet.
    pub atoms: usize,
    /// $\sum_{i \to k} (e_i - e_\text{bulk})$ (eV).
    #[serde(rename = "excess_energy_eV")]
    pub excess_energy: f64,
    /// $\gamma_k$ (J/m^2).
    #[serde(rename = "energy_J_per_m2")]
    pub energy_j_per_m2: f64,
    /// Disorientation angle between the two grains (degrees; METHODS.md 5), when the grain
    /// rotations are known.
    pub misorientation_deg: Option<f64>,
}

/// Per-facet energies: `assignment[i]` is atom i's facet (an index into `facets`),
/// `per_atom_energy[i]` its energy $e_i$ (eV), `e_bulk` the bulk energy per atom (eV).
/// Misorientations are left empty (filled by [`crate::gb_report`]).
///
/// # Errors
/// [`GbError::Input`] for lengths that differ, an assignment out of range, a non-finite energy
/// or a facet without positive finite area.
pub fn per_gb_energies(
    facets: &[GbFacet],
    assignment: &[usize],
    per_atom_energy: &[f64],
    e_bulk: f64,
) -> Result<Vec<GbEnergy>> {
    if assignment.len() != per_atom_energy.len() {
        return Err(GbError::Input(format!(
            "{} facet assignments for {} per-atom energies",
            assignment.len(),
            per_atom_energy.len()
        )));
    }
    if !e_bulk.is_finite() {
        return Err(GbError::Input(format!(
            "e_bulk = {e_bulk} eV is not finite"
        )));
    }
    if let Some(f) = facets
        .iter()
        .find(|f| !(f.area > 0.0 && f.area.is_finite()))
    {
        return Err(GbError::Input(format!(
            "facet {} (grains {:?}) has area {} A^2",
            f.index, f.grains, f.area
        )));
    }
    let mut excess = vec![0.0; facets.len()];
    let mut atoms = vec![0usize; facets.len()];
    for (i, (&k, &e)) in assignment.iter().zip(per_atom_energy).enumerate() {
        if k >= facets.len() {
            return Err(GbError::Input(format!(
                "atom {i} is assigned to facet {k}, but there are {} facets",
                facets.len()
            )));
        }
        if !e.is_finite() {
            return Err(GbError::Input(format!("atom {i} has energy {e} eV")));
        }
        excess[k] += e - e_bulk;
        atoms[k] += 1;
    }
    Ok(facets
        .iter()
        .enumerate()
        .map(|(k, f)| GbEnergy {
            facet: f.index,
            grains: f.grains,
            shift: f.shift,
            self_image: f.self_image,
            area_initial: f.area0,
            area: f.area,
            atoms: atoms[k],
            excess_energy: excess[k],
            energy_j_per_m2: excess[k] / f.area * EV_PER_A2_IN_J_PER_M2,
            misorientation_deg: None,
        })
        .collect())
}

/// Per-GB energies as CSV (header line, one row per GB; empty misorientation when unknown).
pub fn per_gb_csv(gbs: &[GbEnergy]) -> String {
    let mut s = String::from(
        "facet,grain_i,grain_j,shift_a,shift_b,shift_c,self_image,area_initial_A2,area_A2,\
         atoms,excess_energy_eV,energy_J_per_m2,misorientation_deg\n",
    );
    for g in gbs {
        s.push_str(&format!(
            "{},{},{},{},{},{},{},{},{},{},{},{},{}\n",
            g.facet,
            g.grains[0],
            g.grains[1],
            g.shift[0],
            g.shift[1],
            g.shift[2],
            g.self_image,
            g.area_initial,
            g.area,
            g.atoms,
            g.excess_energy,
            g.energy_j_per_m2,
            g.misorientation_deg
                .map(|m| m.to_string())
                .unwrap_or_default()
        ));
    }
    s
}
