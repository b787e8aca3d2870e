//! The GB report of a relaxed polycrystal: one call that does METHODS.md sections 3 and 4
//! (average and per-GB energies, distances to the GB centre, Voronoi profiles), used by both
//! `fe gb-energy` and the main job.
//!
//! ```
//! use fe_gbanalysis::{gb_report, GbOptions, Grains, ProfileOptions};
//! use fe_structure::{build::bcc, Cell, Element};
//! use nalgebra::Vector3;
//! // Perfect bcc "bicrystal" (two seeds, same lattice): no excess energy, bulk volumes.
//! let a = 2.8553;
//! let s = bcc(Element::FE, a).unwrap().replicate(3, 3, 6).unwrap();
//! let grains = Grains::new(s.cell(), &[Vector3::new(0.1, 0.1, 4.0),
//!                                      Vector3::new(0.1, 0.1, 12.5)], vec![]).unwrap();
//! let e = vec![-4.0; s.len()];
//! let options = GbOptions { profile: Some(ProfileOptions::bcc(a)), ..GbOptions::default() };
//! let r = gb_report(&s, &e, &grains, -4.0, &options).unwrap();
//! // Two GB planes of 3a x 3a (each slab grain also meets its own images across x and y).
//! let gb: f64 = r.per_gb.iter().chain(&r.small_gbs).map(|g| g.area).sum();
//! assert!((gb - 2.0 * 9.0 * a * a).abs() < 1e-9);
//! assert!(r.excess_energy.abs() < 1e-9);
//! let p = r.profile.unwrap();
//! assert!(p.centre_volume_change_0_5.unwrap_or(0.0).abs() < 1e-9);
//! ```

use std::path::Path;

use fe_structure::Structure;
use fe_voronoi::{voronoi_atoms, VoronoiOptions};
use serde::Serialize;
use serde_json::Value;

use crate::distance::{facet_distances, FacetDistances, DEFAULT_AMBIGUITY_MARGIN};
use crate::energy::average_gb_energy;
use crate::error::{GbError, Result};
use crate::facets::Grains;
use crate::misorientation::disorientation_angle;
use crate::pergb::{per_gb_csv, per_gb_energies, GbEnergy, DEFAULT_AREA_THRESHOLD};
use crate::profile::{layers_csv, profile_csv, volume_profile, ProfileOptions, VolumeProfile};

/// Options of [`gb_report`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GbOptions {
    /// GBs with a mapped area not above this (Angstrom^2) go to
    /// [`GbReport::small_gbs`] (Paper I: 1000).
    pub area_threshold: f64,
    /// Two nearest facets closer than this (Angstrom) make an atom's assignment ambiguous.
    pub ambiguity_margin: f64,
    /// Voronoi volume and coordination profiles (the per-atom Voronoi tessellation, the
    /// costliest step); `None` skips them.
    pub profile: Option<ProfileOptions>,
}

impl Default for GbOptions {
    fn default() -> Self {
        GbOptions {
            area_threshold: DEFAULT_AREA_THRESHOLD,
            ambiguity_margin: DEFAULT_AMBIGUITY_MARGIN,
            profile: None,
        }
    }
}

/// What [`gb_report`] found. Serializes to the JSON of `fe gb-energy` (CLI.md keys
/// `average_gb_energy_J_per_m2`, `gb_area_A2`, `excess_energy_eV`, `per_gb`).
#[derive(Debug, Clone, Serialize)]
pub struct GbReport {
    /// Number of atoms N.
    pub natoms: usize,
    /// Potential energy E = sum of the per-atom energies (eV).
    #[serde(rename = "energy_eV")]
    pub energy: f64,
    /// Bulk energy per atom (eV).
    #[serde(rename = "e_bulk_eV")]
    pub e_bulk: f64,
    /// E - N e_bulk (eV).
    #[serde(rename = "excess_energy_eV")]
    pub excess_energy: f64,
    /// Total facet area in the tessellation's cell (Angstrom^2).
    #[serde(rename = "gb_area_initial_A2")]
    pub gb_area_initial: f64,
    /// Total facet area in the structure's cell (Angstrom^2), self-image facets included.
    #[serde(rename = "gb_area_A2")]
    pub gb_area: f64,
    /// $\bar\gamma = (E - N e_\text{bulk})/A_\text{GB}$ (J/m^2), also the area-weighted mean
    /// of every facet's $\gamma_k$.
    #[serde(rename = "average_gb_energy_J_per_m2")]
    pub average_gb_energy: f64,
    /// Plain mean of $\gamma_k$ over [`GbReport::per_gb`] (`None` when it is empty).
    #[serde(rename = "mean_per_gb_energy_J_per_m2")]
    pub mean_per_gb_energy: Option<f64>,
    /// The area threshold used (Angstrom^2).
    #[serde(rename = "area_threshold_A2")]
    pub area_threshold: f64,
    /// GBs between different grains with area above the threshold.
    pub per_gb: Vec<GbEnergy>,
    /// GBs between different grains with area not above the threshold.
    pub small_gbs: Vec<GbEnergy>,
    /// Facets between a grain and its own periodic image (in the area and the sums, reported
    /// apart).
    pub self_image_gbs: Vec<GbEnergy>,
    /// Fraction of atoms whose two nearest facets are within the margin of each other.
    pub ambiguous_fraction: f64,
    /// The ambiguity margin (Angstrom).
    #[serde(rename = "ambiguity_margin_A")]
    pub ambiguity_margin: f64,
    /// Voronoi profiles, when asked for.
    pub profile: Option<VolumeProfile>,
    /// Per atom: distance to the GB centre, nearest facet, ambiguity (not serialized).
    #[serde(skip)]
    pub distances: FacetDistances,
    /// Per-atom Voronoi volumes (Angstrom^3) and face counts, when profiles were made (not
    /// serialized).
    #[serde(skip)]
    pub voronoi: Option<(Vec<f64>, Vec<u32>)>,
}

impl GbReport {
    /// Every GB (per_gb, small_gbs, self_image_gbs) in facet order.
    pub fn all_gbs(&self) -> Vec<&GbEnergy> {
        let mut all: Vec<&GbEnergy> = self
            .per_gb
            .iter()
            .chain(&self.small_gbs)
            .chain(&self.self_image_gbs)
            .collect();
        all.sort_by_key(|g| g.facet);
        all
    }

    /// The report as pretty JSON.
    ///
    /// # Errors
    /// [`GbError::Input`] if serialization fails (it does not for finite numbers).
    pub fn to_json(&self) -> Result<String> {
        serde_json::to_string_pretty(self)
            .map_err(|e| GbError::Input(format!("cannot serialize the GB report: {e}")))
    }

    /// The report as a JSON object (the keys of `fe gb-energy`, CLI.md) with the caller's
    /// own keys `extra` added, e.g. `("potential", json!("zhou2004"))` or the bulk reference
    /// ([`BulkReference::to_json`](crate::BulkReference::to_json)); an `extra` key replaces a
    /// report key of the same name.
    ///
    /// # Errors
    /// [`GbError::Input`] if serialization fails (it does not for finite numbers).
    pub fn to_json_value<'k>(
        &self,
        extra: impl IntoIterator<Item = (&'k str, Value)>,
    ) -> Result<Value> {
        let mut doc = serde_json::to_value(self)
            .map_err(|e| GbError::Input(format!("cannot serialize the GB report: {e}")))?;
        if let Value::Object(map) = &mut doc {
            for (key, value) in extra {
                map.insert(key.to_string(), value);
            }
        }
        Ok(doc)
    }

    /// The GBs a plot shows: those above the area threshold (Paper I), or every interface
    /// between different grains when none is that large (small boxes).
    pub fn plotted_gbs(&self) -> Vec<&GbEnergy> {
        if self.per_gb.is_empty() {
            self.small_gbs.iter().collect()
        } else {
            self.per_gb.iter().collect()
        }
    }

    /// Write the tables as CSV files `PREFIX_gbs.csv` (every GB, facet order; the `kind`
    /// follows from `self_image` and the area threshold) and, with profiles,
    /// `PREFIX_profile.csv` and `PREFIX_layers.csv`; returns the paths written.
    ///
    /// # Errors
    /// [`GbError::Io`] naming the file that cannot be written.
    pub fn write_csv(&self, prefix: &Path) -> Result<Vec<std::path::PathBuf>> {
        let name = |suffix: &str| {
            let mut s = prefix.as_os_str().to_owned();
            s.push(suffix);
            std::path::PathBuf::from(s)
        };
        let gbs: Vec<GbEnergy> = self.all_gbs().into_iter().cloned().collect();
        let mut files = vec![(name("_gbs.csv"), per_gb_csv(&gbs))];
        if let Some(p) = &self.profile {
            files.push((name("_profile.csv"), profile_csv(p)));
            files.push((name("_layers.csv"), layers_csv(p)));
        }
        let mut written = Vec::new();
        for (path, text) in files {
            std::fs::write(&path, text).map_err(|source| GbError::Io {
                path: path.display().to_string(),
                source,
            })?;
            written.push(path);
        }
        Ok(written)
    }
}

/// The GB report of `structure` (a relaxed polycrystal) with per-atom energies
/// `per_atom_energy` (eV, from the same evaluation as its energy E = their sum; e.g.
/// `Evaluator::evaluate(&s, Request { per_atom_energy: true, ..Request::ENERGY })`), the
/// grain geometry `grains` of the built structure (its tessellation cell $H_0$, seeds and
/// rotations: [`Grains::new`], [`Grains::from_tessellation`] on
/// `Polycrystal::tessellation`, or [`Grains::read`] of a GRAINS.json), and the bulk energy
/// per atom `e_bulk` (eV) of the same potential at zero pressure.
///
/// Steps: facets mapped to the structure's cell (METHODS.md 3.1), the distance of every atom
/// to the nearest facet (4.1), per-GB energies $\gamma_k$ (3.2), $\bar\gamma$ (3.1) and, with
/// [`GbOptions::profile`], the per-atom Voronoi tessellation and the profiles (4.2, 4.3).
/// Misorientations are filled when `grains` has rotations.
///
/// # Errors
/// [`GbError::Input`] for a per-atom energy count that is not the atom count or other
/// inconsistent inputs; [`GbError::Cell`] for a cell change that inverts the cell;
/// [`GbError::Voronoi`] from the atom tessellation.
pub fn gb_report(
    structure: &Structure,
    per_atom_energy: &[f64],
    grains: &Grains,
    e_bulk: f64,
    options: &GbOptions,
) -> Result<GbReport> {
    if per_atom_energy.len() != structure.len() {
        return Err(GbError::Input(format!(
            "{} per-atom energies for {} atoms",
            per_atom_energy.len(),
            structure.len()
        )));
    }
    if !(options.area_threshold >= 0.0 && options.area_threshold.is_finite()) {
        return Err(GbError::Input(format!(
            "the area threshold must be finite and non-negative, got {}",
            options.area_threshold
        )));
    }
    let facets = grains.facets_in(structure.cell())?;
    let distances = facet_distances(
        structure.positions(),
        structure.cell(),
        &facets,
        options.ambiguity_margin,
    )?;
    let mut gbs = per_gb_energies(&facets, &distances.facet, per_atom_energy, e_bulk)?;
    for g in &mut gbs {
        g.misorientation_deg = misorientation_deg(grains, g.grains)?;
    }
    let energy: f64 = per_atom_energy.iter().sum();
    let gb_area: f64 = facets.iter().map(|f| f.area).sum();
    let average = average_gb_energy(energy, structure.len(), e_bulk, gb_area)?;
    let (mut per_gb, mut small_gbs, mut self_image_gbs) = (Vec::new(), Vec::new(), Vec::new());
    for g in gbs {
        if g.self_image {
            self_image_gbs.push(g);
        } else if g.area > options.area_threshold {
            per_gb.push(g);
        } else {
            small_gbs.push(g);
        }
    }
    let mean_per_gb_energy = if per_gb.is_empty() {
        None
    } else {
        Some(per_gb.iter().map(|g| g.energy_j_per_m2).sum::<f64>() / per_gb.len() as f64)
    };
    let (profile, voronoi) = match &options.profile {
        None => (None, None),
        Some(po) => {
            let v = voronoi_atoms(
                structure,
                &VoronoiOptions {
                    face_area_threshold: po.face_area_threshold,
                    store_faces: false,
                    ..VoronoiOptions::default()
                },
            )?;
            let p = volume_profile(&distances.distance, v.volumes(), v.n_faces(), po)?;
            (Some(p), Some((v.volumes().to_vec(), v.n_faces().to_vec())))
        }
    };
    Ok(GbReport {
        natoms: structure.len(),
        energy,
        e_bulk,
        excess_energy: average.excess,
        gb_area_initial: facets.iter().map(|f| f.area0).sum(),
        gb_area,
        average_gb_energy: average.j_per_m2,
        mean_per_gb_energy,
        area_threshold: options.area_threshold,
        per_gb,
        small_gbs,
        self_image_gbs,
        ambiguous_fraction: distances.ambiguous_fraction(),
        ambiguity_margin: distances.margin,
        profile,
        distances,
        voronoi,
    })
}

/// Disorientation angle (degrees, cubic symmetry, METHODS.md 5.1) of a grain pair when the
/// rotations are known.
fn misorientation_deg(grains: &Grains, pair: [usize; 2]) -> Result<Option<f64>> {
    let r = grains.rotations();
    if pair[0] == pair[1] && pair[0] < r.len() {
        // A grain against its own periodic image: no misorientation, exactly.
        return Ok(Some(0.0));
    }
    match (r.get(pair[0]), r.get(pair[1])) {
        (Some(a), Some(b)) => Ok(Some(disorientation_angle(a, b)?)),
        _ => Ok(None),
    }
}
