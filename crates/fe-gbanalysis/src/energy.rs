//! The average grain-boundary energy of a polycrystal (METHODS.md section 3.1): the excess
//! energy over the bulk crystal divided by the GB area of the initial grain tessellation, with
//! facet areas carried to the relaxed cell by the cell's affine deformation (Nanson's formula).

use nalgebra::{Matrix3, Vector3};

use crate::error::{GbError, Result};
use crate::facets::Deformation;

/// 1 eV/Angstrom^2 in J/m^2: 1.602176634e-19 J / 1e-20 m^2.
pub const EV_PER_A2_IN_J_PER_M2: f64 = 16.021_766_34;

/// The area (Angstrom^2) of a plane facet of area `area` and unit normal `normal` after the
/// affine deformation `f` (Nanson's formula; for the change from the built cell to the relaxed
/// one, `f = built.deformation_to(&relaxed)` of [`fe_structure::Cell`]):
/// $$ A' \mathbf n' = \det F \, F^{-\mathsf T} A \mathbf n
///    \quad\Rightarrow\quad A' = A \det F \, \lvert F^{-\mathsf T} \mathbf n \rvert. $$
///
/// # Errors
/// [`GbError::Cell`] when `f` is singular or inverts orientation. For many facets build one
/// [`Deformation`] and call [`Deformation::area_normal`].
pub fn mapped_area(area: f64, normal: &Vector3<f64>, f: &Matrix3<f64>) -> Result<f64> {
    Ok(Deformation::new(f)?.area_normal(area, normal).0)
}

/// The average GB energy of a polycrystal.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AverageGbEnergy {
    /// Potential energy of the relaxed polycrystal E (eV).
    pub energy: f64,
    /// Number of atoms N.
    pub atoms: usize,
    /// Bulk energy per atom e_bulk (eV), same potential, zero-pressure perfect crystal.
    pub e_bulk: f64,
    /// GB area A_GB (Angstrom^2), each facet once, mapped to the relaxed cell.
    pub area: f64,
    /// Excess energy E - N e_bulk (eV).
    pub excess: f64,
    /// $\bar\gamma = (E - N e_{bulk}) / A_{GB}$ in eV/Angstrom^2.
    pub ev_per_a2: f64,
    /// $\bar\gamma$ in J/m^2.
    pub j_per_m2: f64,
}

/// $\bar\gamma = (E - N e_{bulk}) / A_{GB}$ (METHODS.md section 3.1), with `energy` in eV,
/// `e_bulk` in eV per atom and `area` in Angstrom^2.
///
/// # Errors
/// [`GbError::Input`] for a non-positive or non-finite area, or non-finite energies.
pub fn average_gb_energy(
    energy: f64,
    atoms: usize,
    e_bulk: f64,
    area: f64,
) -> Result<AverageGbEnergy> {
    if !(area > 0.0 && area.is_finite()) {
        return Err(GbError::Input(format!(
            "the GB area must be positive, got {area} A^2"
        )));
    }
    if !(energy.is_finite() && e_bulk.is_finite()) {
        return Err(GbError::Input(format!(
            "energies must be finite (E = {energy} eV, e_bulk = {e_bulk} eV/atom)"
        )));
    }
    let excess = energy - atoms as f64 * e_bulk;
    let ev_per_a2 = excess / area;
    Ok(AverageGbEnergy {
        energy,
        atoms,
        e_bulk,
        area,
        excess,
        ev_per_a2,
        j_per_m2: ev_per_a2 * EV_PER_A2_IN_J_PER_M2,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use approx::assert_relative_eq;
    use fe_structure::Cell;

    fn cell(rows: [[f64; 3]; 3]) -> Cell {
        Cell::new(Matrix3::from_row_slice(rows.as_flattened()), [true; 3]).unwrap()
    }

    /// Area of a planar polygon (vertices in order).
    fn polygon_area(p: &[Vector3<f64>]) -> f64 {
        let mut s = Vector3::zeros();
        for k in 1..p.len() - 1 {
            s += (p[k] - p[0]).cross(&(p[k + 1] - p[0]));
        }
        0.5 * s.norm()
    }

    #[test]
    fn isotropic_scaling_multiplies_areas_by_its_square() {
        let h0 = cell([[10.0, 0.0, 0.0], [0.0, 11.0, 0.0], [0.0, 0.0, 12.0]]);
        let s = 0.976;
        let h1 = h0.deformed(&(Matrix3::identity() * s)).unwrap();
        let f = h0.deformation_to(&h1);
        for n in [Vector3::x(), Vector3::new(1.0, 2.0, -0.5)] {
            assert_relative_eq!(
                mapped_area(7.0, &n, &f).unwrap(),
                7.0 * s * s,
                epsilon = 1e-13
            );
        }
    }

    #[test]
    fn nanson_matches_the_explicitly_transformed_polygon_in_a_sheared_cell() {
        let h0 = cell([[10.0, 0.0, 0.0], [1.0, 11.0, 0.0], [-2.0, 0.5, 12.0]]);
        let h1 = cell([[10.4, 0.3, -0.2], [2.5, 10.1, 0.4], [-1.0, 1.5, 12.9]]);
        let f = h0.deformation_to(&h1);
        // A pentagon in the plane through c with normal n.
        let n = Vector3::new(0.3, -0.8, 0.52).normalize();
        let u = n.cross(&Vector3::z()).normalize();
        let v = n.cross(&u);
        let c = Vector3::new(3.0, 4.0, 5.0);
        let poly: Vec<Vector3<f64>> = (0..5)
            .map(|k| {
                let t = std::f64::consts::TAU * k as f64 / 5.0;
                c + u * (2.0 * t.cos()) + v * (1.3 * t.sin())
            })
            .collect();
        // Row-vector positions move as r1 = r0 H0^-1 H1.
        let m = h0.matrix().try_inverse().unwrap() * h1.matrix();
        let moved: Vec<Vector3<f64>> = poly
            .iter()
            .map(|p| (p.transpose() * m).transpose())
            .collect();
        let a0 = polygon_area(&poly);
        assert_relative_eq!(
            mapped_area(a0, &n, &f).unwrap(),
            polygon_area(&moved),
            max_relative = 1e-12
        );
    }

    #[test]
    fn average_energy_in_both_units() {
        let g = average_gb_energy(-1000.0, 250, -4.1, 120.0).unwrap();
        assert_relative_eq!(g.excess, 25.0, epsilon = 1e-12);
        assert_relative_eq!(g.ev_per_a2, 25.0 / 120.0, epsilon = 1e-15);
        // 1 J/m^2 = 0.062415 eV/A^2.
        assert_relative_eq!(
            g.j_per_m2 * 0.062_415_090_744,
            g.ev_per_a2,
            max_relative = 1e-10
        );
        assert!(average_gb_energy(-1.0, 1, -1.0, 0.0).is_err());
        assert!(average_gb_energy(f64::NAN, 1, -1.0, 1.0).is_err());
    }

    #[test]
    fn singular_or_inverting_deformations_are_errors() {
        let f = Matrix3::from_diagonal(&Vector3::new(1.0, 1.0, -1.0));
        assert!(mapped_area(1.0, &Vector3::x(), &f).is_err());
        assert!(mapped_area(1.0, &Vector3::x(), &Matrix3::zeros()).is_err());
    }
}
