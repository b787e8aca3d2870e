//! Spherical neighbourhoods around extrapolative atoms, cut out as clusters for labelling
//! (MLIP-3's `cut_extrapolative_nbh`, MTP.md 8.7).

use fe_neighbors::PointLocator;
use fe_structure::io::mlip_cfg::FEATURE_PREFIX;
use fe_structure::{Cell, InfoValue, Structure};
use nalgebra::Vector3;

use crate::error::{MaxVolError, Result};

/// How to cut a neighbourhood.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CutOptions {
    /// Radius of the sphere (Angstrom, strict; default 8).
    pub radius: f64,
    /// `Some(r_cut)`: put the cluster, centred, in a periodic cubic box of side
    /// $2R + \max(r_\text{cut}, 10)$ Angstrom (no image within any cutoff); `None`: a
    /// non-periodic cluster as MLIP writes it.
    pub vacuum_box: Option<f64>,
}

impl Default for CutOptions {
    fn default() -> Self {
        CutOptions {
            radius: 8.0,
            vacuum_box: None,
        }
    }
}

/// The neighbourhood of atom `i` of `s`: atom `i` at the origin (its element), then every
/// other atom image strictly within `radius` at its pair vector $\mathbf r_{ij}$, sorted by
/// distance, then by pair vector (MTP.md 8.7). With `vacuum_box` the cluster is shifted to
/// the centre of a periodic cubic box.
///
/// # Errors
/// [`MaxVolError::Invalid`] for an atom out of range or a radius that is not finite and
/// positive; neighbour and structure errors.
pub fn cut_neighbourhood(s: &Structure, i: usize, opts: &CutOptions) -> Result<Structure> {
    if i >= s.len() {
        return Err(MaxVolError::Invalid(format!(
            "atom {i} out of range ({} atoms)",
            s.len()
        )));
    }
    if !(opts.radius.is_finite() && opts.radius > 0.0) {
        return Err(MaxVolError::Invalid(format!(
            "cut radius must be positive, got {}",
            opts.radius
        )));
    }
    let locator = PointLocator::new(s, opts.radius)?;
    let centre = s.positions()[i];
    let mut hits: Vec<(f64, Vector3<f64>, usize)> = locator
        .within(&centre, opts.radius)?
        .into_iter()
        .filter(|h| !(h.j == i && h.shift == [0, 0, 0]))
        .map(|h| (h.distance, h.vector, h.j))
        .collect();
    hits.sort_by(|a, b| {
        a.0.total_cmp(&b.0)
            .then(a.1.x.total_cmp(&b.1.x))
            .then(a.1.y.total_cmp(&b.1.y))
            .then(a.1.z.total_cmp(&b.1.z))
    });
    let mut species = vec![s.species()[i]];
    let mut pos = vec![Vector3::zeros()];
    for (_, v, j) in &hits {
        species.push(s.species()[*j]);
        pos.push(*v);
    }
    let cell = match opts.vacuum_box {
        None => Cell::enclosing(&pos, 0.0)?,
        Some(rc) => {
            let side = 2.0 * opts.radius + rc.max(10.0);
            let c = Vector3::repeat(side / 2.0);
            pos.iter_mut().for_each(|p| *p += c);
            Cell::cubic(side)?
        }
    };
    Ok(Structure::new(cell, species, pos)?)
}

/// Attach MLIP's features to a cut cluster: `cfg#` (the running count of written clusters),
/// `nbh#` (the centre atom, 0-based) and `extrapolation_grade` (`%f`).
pub fn label_cluster(cluster: &mut Structure, count: usize, atom: usize, grade: f64) {
    let info = cluster.info_mut();
    for (k, v) in [
        ("cfg#", count.to_string()),
        ("nbh#", atom.to_string()),
        ("extrapolation_grade", format!("{grade:.6}")),
    ] {
        info.insert(format!("{FEATURE_PREFIX}{k}"), InfoValue::Str(v));
    }
}
