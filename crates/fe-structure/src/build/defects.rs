//! Point defects: vacancies, interstitials, split dumbbells, and the interstitial sites of bcc.
//!
//! Each function makes one defect with a linear scan over the atoms (minimum-image distances),
//! O(N) per call.

use nalgebra::Vector3;

use crate::element::Element;
use crate::error::{Result, StructureError};
use crate::structure::Structure;

fn check_point(what: &str, p: &Vector3<f64>) -> Result<()> {
    if p.iter().all(|x| x.is_finite()) {
        Ok(())
    } else {
        Err(StructureError::NonFinite { what: what.into() })
    }
}

/// The index of the atom nearest to `point` (minimum image) and its distance (Angstrom);
/// ties go to the lowest index. `None` for an empty structure.
pub fn nearest_atom(structure: &Structure, point: &Vector3<f64>) -> Option<(usize, f64)> {
    let cell = structure.cell();
    let mut best: Option<(usize, f64)> = None;
    for (i, r) in structure.positions().iter().enumerate() {
        let d2 = cell.minimum_image(&(r - point)).norm_squared();
        if best.is_none_or(|(_, b)| d2 < b) {
            best = Some((i, d2));
        }
    }
    best.map(|(i, d2)| (i, d2.sqrt()))
}

/// Remove the atom nearest to `point` (Cartesian, Angstrom; minimum image, ties to the lowest
/// index) and return its index. The other atoms keep their order.
///
/// ```
/// use fe_structure::build::{bcc, vacancy_at};
/// let mut s = bcc(fe_structure::Element::FE, 2.855).unwrap().replicate(3, 3, 3).unwrap();
/// let i = vacancy_at(&mut s, &nalgebra::Vector3::repeat(1.5 * 2.855)).unwrap();
/// assert_eq!((i, s.len()), (27, 53)); // cube (1, 1, 1), body centre
/// ```
///
/// # Errors
/// [`StructureError::Invalid`] for an empty structure, [`StructureError::NonFinite`] for a
/// non-finite point.
pub fn vacancy_at(structure: &mut Structure, point: &Vector3<f64>) -> Result<usize> {
    check_point("vacancy point", point)?;
    let (i, _) = nearest_atom(structure, point).ok_or_else(|| {
        StructureError::Invalid("cannot make a vacancy in a structure without atoms".into())
    })?;
    structure.remove(&[i])?;
    Ok(i)
}

/// Append an atom of `element` at `position` (Angstrom), refusing when any atom (minimum
/// image) is closer than `min_distance` (Angstrom). Optional per-atom arrays grow as in
/// [`Structure::push`].
///
/// # Errors
/// [`StructureError::Invalid`] when an atom lies closer than `min_distance` (naming it and the
/// distance) or `min_distance` is negative or not finite; [`StructureError::NonFinite`] for a
/// non-finite position.
pub fn add_interstitial(
    structure: &mut Structure,
    element: Element,
    position: &Vector3<f64>,
    min_distance: f64,
) -> Result<()> {
    check_point("interstitial position", position)?;
    if !(min_distance.is_finite() && min_distance >= 0.0) {
        return Err(StructureError::Invalid(format!(
            "min_distance must be finite and non-negative, got {min_distance} A"
        )));
    }
    if let Some((j, r)) = nearest_atom(structure, position) {
        if r < min_distance {
            return Err(StructureError::Invalid(format!(
                "interstitial at ({:.4}, {:.4}, {:.4}) A is {r:.4} A from atom {j}, closer than \
                 min_distance {min_distance} A",
                position.x, position.y, position.z
            )));
        }
    }
    structure.push(element, *position)
}

/// Replace atom `site` by a split dumbbell: the atom is removed and two atoms of its element
/// are appended at the end of the list, first at r + (s/2) u then at r - (s/2) u, with r the
/// site position, u = axis/|axis| and s = `separation` (Angstrom). This is the construction of
/// the reference relaxation data (`relax/` in the shared reference README: site (3, 3, 3) a0,
/// s = 0.7 a0). The two new atoms get default per-atom data (as [`Structure::push`]); the other
/// atoms keep their order, so indices above `site` shift down by one.
///
/// ```
/// use fe_structure::build::{add_dumbbell, bcc};
/// let mut s = bcc(fe_structure::Element::FE, 2.855).unwrap().replicate(2, 2, 2).unwrap();
/// add_dumbbell(&mut s, 0, nalgebra::Vector3::new(1.0, 1.0, 0.0), 1.0).unwrap();
/// assert_eq!(s.len(), 17);
/// assert!((s.positions()[15].x - 0.5 / 2f64.sqrt()).abs() < 1e-12);
/// ```
///
/// # Errors
/// [`StructureError::Invalid`] for a site out of range, a zero or non-finite axis, or a
/// separation that is not finite and positive.
pub fn add_dumbbell(
    structure: &mut Structure,
    site: usize,
    axis: Vector3<f64>,
    separation: f64,
) -> Result<()> {
    if site >= structure.len() {
        return Err(StructureError::Invalid(format!(
            "dumbbell site {site} out of range ({} atoms)",
            structure.len()
        )));
    }
    let norm = axis.norm();
    if !(norm.is_finite() && norm > 0.0) {
        return Err(StructureError::Invalid(format!(
            "dumbbell axis ({}, {}, {}) has no direction",
            axis.x, axis.y, axis.z
        )));
    }
    if !(separation.is_finite() && separation > 0.0) {
        return Err(StructureError::Invalid(format!(
            "dumbbell separation must be finite and positive, got {separation} A"
        )));
    }
    let centre = structure.positions()[site];
    let element = structure.species()[site];
    let half = axis * (0.5 * separation / norm);
    structure.remove(&[site])?;
    structure.push(element, centre + half)?;
    structure.push(element, centre - half)
}

/// The 6 octahedral interstitial sites of the conventional bcc cube, as fractions of a:
/// the face centres (1/2, 1/2, 0), (1/2, 0, 1/2), (0, 1/2, 1/2) and the edge centres
/// (1/2, 0, 0), (0, 1/2, 0), (0, 0, 1/2). Each has 2 atoms at a/2 and 4 at a/sqrt(2).
pub fn bcc_octahedral_sites() -> [Vector3<f64>; 6] {
    [
        Vector3::new(0.5, 0.5, 0.0),
        Vector3::new(0.5, 0.0, 0.5),
        Vector3::new(0.0, 0.5, 0.5),
        Vector3::new(0.5, 0.0, 0.0),
        Vector3::new(0.0, 0.5, 0.0),
        Vector3::new(0.0, 0.0, 0.5),
    ]
}

/// The 12 tetrahedral interstitial sites of the conventional bcc cube, as fractions of a:
/// four on each cube face, (1/2, 1/4, 0), (1/2, 3/4, 0), (1/4, 1/2, 0), (3/4, 1/2, 0) on
/// z = 0 and their cyclic permutations on x = 0 and y = 0. Each has 4 atoms at a sqrt(5)/4.
pub fn bcc_tetrahedral_sites() -> [Vector3<f64>; 12] {
    let face = [[0.5, 0.25], [0.5, 0.75], [0.25, 0.5], [0.75, 0.5]];
    let mut out = [Vector3::zeros(); 12];
    for (f, [u, v]) in face.into_iter().enumerate() {
        out[f] = Vector3::new(u, v, 0.0);
        out[4 + f] = Vector3::new(0.0, u, v);
        out[8 + f] = Vector3::new(v, 0.0, u);
    }
    out
}
