//! The GB facets of a polycrystal: the interfaces of its seed tessellation (METHODS.md 1.2),
//! carried from the cell $H_0$ in which the tessellation was made to the current cell $H_1$
//! by the affine map of the cell change (METHODS.md 3.1).
//!
//! With row-vector positions a point moves as $\mathbf x_1 = \mathbf x_0 M$,
//! $M = H_0^{-1} H_1$; in column form the deformation gradient is $F = M^{\mathsf T}$. Polygon
//! vertices and area centroids move with the point map (an affine map keeps area centroids);
//! normals and areas follow Nanson's formula
//! $$ A' \mathbf n' = \det F \, F^{-\mathsf T} A \mathbf n . $$
//!
//! [`Grains`] holds the tessellation and the grain orientations; [`Grains::read`] takes them
//! from a GRAINS.json of `fe polycrystal` (only its `cell`, `seeds` and `rotations` are used: the
//! tessellation is recomputed, so the facet polygons are exact and need not be in the file).

use std::path::Path;

use fe_structure::Cell;
use fe_voronoi::GrainTessellation;
use nalgebra::{Matrix3, Vector3};
use serde::Deserialize;

use crate::error::{GbError, Result};

/// A homogeneous deformation with its inverse transpose and determinant, built once and
/// applied to many facets.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Deformation {
    /// Deformation gradient $F$ (column form: $\mathbf x_1 = F \mathbf x_0$).
    pub f: Matrix3<f64>,
    /// $F^{-\mathsf T}$.
    pub f_inv_t: Matrix3<f64>,
    /// $\det F > 0$.
    pub det: f64,
}

impl Deformation {
    /// The deformation `f` (column form).
    ///
    /// # Errors
    /// [`GbError::Cell`] when `f` is singular, not finite or inverts orientation.
    pub fn new(f: &Matrix3<f64>) -> Result<Deformation> {
        let det = f.determinant();
        if !(det > 0.0 && det.is_finite()) {
            return Err(GbError::Cell(format!(
                "the cell deformation has determinant {det}"
            )));
        }
        let inv = f
            .try_inverse()
            .ok_or_else(|| GbError::Cell("the cell deformation is singular".into()))?;
        Ok(Deformation {
            f: *f,
            f_inv_t: inv.transpose(),
            det,
        })
    }

    /// The deformation that carries cell `from` to cell `to`:
    /// $F = H_1^{\mathsf T} H_0^{-\mathsf T}$ ([`Cell::deformation_to`]).
    ///
    /// # Errors
    /// As [`Deformation::new`].
    pub fn between(from: &Cell, to: &Cell) -> Result<Deformation> {
        Deformation::new(&from.deformation_to(to))
    }

    /// The image $F \mathbf x$ of a point (Angstrom).
    pub fn point(&self, x: &Vector3<f64>) -> Vector3<f64> {
        self.f * x
    }

    /// The mapped area and unit normal of a plane facet of area `area` and normal `normal`
    /// (Nanson): $A' = A \det F\, |F^{-\mathsf T}\mathbf n|$,
    /// $\mathbf n' = F^{-\mathsf T}\mathbf n / |F^{-\mathsf T}\mathbf n|$.
    pub fn area_normal(&self, area: f64, normal: &Vector3<f64>) -> (f64, Vector3<f64>) {
        let m = self.f_inv_t * normal.normalize();
        let norm = m.norm();
        (area * self.det * norm, m / norm)
    }
}

/// One GB facet mapped to the current cell.
#[derive(Debug, Clone, PartialEq)]
pub struct GbFacet {
    /// Its index in the tessellation's [`GrainTessellation::facets`].
    pub index: usize,
    /// The grain pair $(g, h)$, $g \le h$.
    pub grains: [usize; 2],
    /// Image shift of grain h (see [`fe_voronoi::Facet::shift`]).
    pub shift: [i32; 3],
    /// True for a grain against its own periodic image.
    pub self_image: bool,
    /// Area in the tessellation's cell (Angstrom^2).
    pub area0: f64,
    /// Area in the current cell (Angstrom^2, Nanson).
    pub area: f64,
    /// Unit normal in the current cell, from grain g towards grain h.
    pub normal: Vector3<f64>,
    /// Area centroid in the current cell (Angstrom, grain g's unwrapped frame).
    pub centroid: Vector3<f64>,
    /// Vertex polygon in the current cell (Angstrom, grain g's unwrapped frame).
    pub polygon: Vec<Vector3<f64>>,
}

/// A polycrystal's grain geometry: the seed tessellation and the grain orientations.
#[derive(Debug, Clone)]
pub struct Grains {
    tessellation: GrainTessellation,
    rotations: Vec<Matrix3<f64>>,
}

/// GRAINS.json as far as this crate reads it.
#[derive(Debug, Deserialize)]
struct GrainsFile {
    cell: [[f64; 3]; 3],
    seeds: Vec<[f64; 3]>,
    #[serde(default)]
    rotations: Vec<[[f64; 3]; 3]>,
}

impl Grains {
    /// Tessellate `cell` by `seeds` ([`GrainTessellation::new`]); `rotations` are the grain
    /// orientations (columns = crystal axes in the box frame), one per seed, or empty when
    /// unknown.
    ///
    /// # Errors
    /// [`GbError::Input`] for a rotation count that is neither 0 nor the seed count, or a
    /// rotation that is not orthonormal with determinant +1 (to 1e-6); the tessellation's
    /// errors.
    pub fn new(
        cell: &Cell,
        seeds: &[Vector3<f64>],
        rotations: Vec<Matrix3<f64>>,
    ) -> Result<Grains> {
        let tessellation = GrainTessellation::new(cell, seeds)?;
        Grains::from_tessellation(tessellation, rotations)
    }

    /// Wrap an existing tessellation (e.g. [`fe_voronoi::Polycrystal::tessellation`]) and its
    /// grain rotations (one per grain, or empty).
    ///
    /// # Errors
    /// As [`Grains::new`] for the rotations.
    pub fn from_tessellation(
        tessellation: GrainTessellation,
        rotations: Vec<Matrix3<f64>>,
    ) -> Result<Grains> {
        if !rotations.is_empty() && rotations.len() != tessellation.len() {
            return Err(GbError::Input(format!(
                "{} rotations for {} grains",
                rotations.len(),
                tessellation.len()
            )));
        }
        for (g, r) in rotations.iter().enumerate() {
            let off = (r.transpose() * r - Matrix3::identity()).abs().max();
            if !(off < 1e-6 && (r.determinant() - 1.0).abs() < 1e-6) {
                return Err(GbError::Input(format!(
                    "rotation of grain {g} is not a proper rotation (|R^T R - I| = {off:e}, \
                     det = {})",
                    r.determinant()
                )));
            }
        }
        Ok(Grains {
            tessellation,
            rotations,
        })
    }

    /// Parse a GRAINS.json document (`{"cell": 3x3 rows, "seeds": [[x,y,z], ...],
    /// "rotations": [3x3, ...]}`, Angstrom; other keys are ignored); `source` names it in
    /// errors.
    ///
    /// # Errors
    /// [`GbError::Parse`] naming `source`, the line and column, and what was expected;
    /// then as [`Grains::new`] (a left-handed or singular cell is an error).
    pub fn from_json_str(text: &str, source: &str) -> Result<Grains> {
        let doc: GrainsFile = serde_json::from_str(text).map_err(|e| GbError::Parse {
            source_name: source.to_string(),
            line: e.line(),
            message: format!(
                "{e} (expected GRAINS.json: {{\"cell\": 3x3, \"seeds\": [[x,y,z], ...], \
                 \"rotations\": [3x3, ...]}})"
            ),
        })?;
        let bad = |message: String| GbError::Parse {
            source_name: source.to_string(),
            line: 0,
            message,
        };
        let h = Matrix3::from_row_slice(doc.cell.as_flattened());
        let cell = Cell::new(h, [true; 3]).map_err(|e| bad(format!("`cell`: {e}")))?;
        if doc.seeds.is_empty() {
            return Err(bad("`seeds` is empty".into()));
        }
        let seeds: Vec<Vector3<f64>> = doc.seeds.iter().map(|p| Vector3::from(*p)).collect();
        let rotations = doc
            .rotations
            .iter()
            .map(|r| Matrix3::from_row_slice(r.as_flattened()))
            .collect();
        Grains::new(&cell, &seeds, rotations).map_err(|e| bad(e.to_string()))
    }

    /// Read a GRAINS.json file (see [`Grains::from_json_str`]).
    ///
    /// # Errors
    /// [`GbError::Io`] when the file cannot be read; as [`Grains::from_json_str`].
    pub fn read(path: &Path) -> Result<Grains> {
        let text = std::fs::read_to_string(path).map_err(|e| GbError::Io {
            path: path.display().to_string(),
            source: e,
        })?;
        Grains::from_json_str(&text, &path.display().to_string())
    }

    /// The seed tessellation.
    pub fn tessellation(&self) -> &GrainTessellation {
        &self.tessellation
    }

    /// The cell $H_0$ of the tessellation.
    pub fn cell(&self) -> &Cell {
        self.tessellation.cell()
    }

    /// Grain rotations (columns = crystal axes in the box frame); empty when unknown.
    pub fn rotations(&self) -> &[Matrix3<f64>] {
        &self.rotations
    }

    /// Every facet of the tessellation mapped to `current` (see [`map_facets`]).
    ///
    /// # Errors
    /// As [`map_facets`].
    pub fn facets_in(&self, current: &Cell) -> Result<Vec<GbFacet>> {
        map_facets(&self.tessellation, current)
    }
}

/// Every facet of `tessellation` (each interface once, self-image facets included), carried
/// from the tessellation's cell $H_0$ to `current` ($H_1$) by $\mathbf x \mapsto \mathbf x M$,
/// $M = H_0^{-1} H_1$: polygons and centroids by the point map, areas and normals by
/// Nanson's formula (one [`Deformation`] for all facets).
///
/// # Errors
/// [`GbError::Cell`] when the cell change is singular or inverts orientation.
pub fn map_facets(tessellation: &GrainTessellation, current: &Cell) -> Result<Vec<GbFacet>> {
    let d = Deformation::between(tessellation.cell(), current)?;
    Ok(tessellation
        .facets()
        .iter()
        .enumerate()
        .map(|(index, f)| {
            let (area, normal) = d.area_normal(f.area, &f.normal);
            GbFacet {
                index,
                grains: f.grains,
                shift: f.shift,
                self_image: f.self_image,
                area0: f.area,
                area,
                normal,
                centroid: d.point(&f.centroid),
                polygon: f.polygon.iter().map(|v| d.point(v)).collect(),
            }
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use approx::assert_relative_eq;

    fn polygon_area(p: &[Vector3<f64>]) -> f64 {
        let mut s = Vector3::zeros();
        for k in 1..p.len() - 1 {
            s += (p[k] - p[0]).cross(&(p[k + 1] - p[0]));
        }
        0.5 * s.norm()
    }

    #[test]
    fn periodic_bicrystal_has_twice_the_cross_section() {
        let cell = Cell::orthorhombic(10.0, 12.0, 16.0).unwrap();
        let seeds = [Vector3::new(1.0, 2.0, 4.0), Vector3::new(1.0, 2.0, 12.0)];
        let g = Grains::new(&cell, &seeds, vec![]).unwrap();
        let facets = g.facets_in(&cell).unwrap();
        // Two GB planes of 10 x 12; each slab grain also meets its own x and y images.
        let gb: f64 = facets
            .iter()
            .filter(|f| !f.self_image)
            .map(|f| f.area)
            .sum();
        assert_relative_eq!(gb, 2.0 * 120.0, max_relative = 1e-12);
        assert!(facets.iter().all(|f| f.self_image || f.grains == [0, 1]));
        let own: f64 = facets.iter().filter(|f| f.self_image).map(|f| f.area).sum();
        assert_relative_eq!(own, 2.0 * (12.0 * 8.0 + 10.0 * 8.0), max_relative = 1e-12);
    }

    #[test]
    fn sheared_cell_maps_polygons_and_areas_consistently() {
        let h0 = Cell::new(
            Matrix3::new(20.0, 0.0, 0.0, 1.0, 22.0, 0.0, -2.0, 0.5, 24.0),
            [true; 3],
        )
        .unwrap();
        let h1 = Cell::new(
            Matrix3::new(20.4, 0.3, -0.2, 2.5, 21.1, 0.4, -1.0, 1.5, 24.9),
            [true; 3],
        )
        .unwrap();
        let seeds = [
            Vector3::new(2.0, 3.0, 4.0),
            Vector3::new(12.0, 5.0, 9.0),
            Vector3::new(6.0, 15.0, 17.0),
            Vector3::new(15.0, 17.0, 3.0),
        ];
        let g = Grains::new(&h0, &seeds, vec![]).unwrap();
        let m = h0.matrix().try_inverse().unwrap() * h1.matrix();
        let facets = g.facets_in(&h1).unwrap();
        assert_eq!(facets.len(), g.tessellation().facets().len());
        for (f, f0) in facets.iter().zip(g.tessellation().facets()) {
            // The explicitly moved polygon (row vectors times M) has the Nanson area.
            let moved: Vec<Vector3<f64>> = f0
                .polygon
                .iter()
                .map(|p| (p.transpose() * m).transpose())
                .collect();
            assert_relative_eq!(f.area, polygon_area(&moved), max_relative = 1e-10);
            for (a, b) in f.polygon.iter().zip(&moved) {
                assert_relative_eq!(a, b, epsilon = 1e-10);
            }
            // The mapped normal is perpendicular to the mapped polygon's edges.
            for k in 0..f.polygon.len() {
                let e = f.polygon[(k + 1) % f.polygon.len()] - f.polygon[k];
                assert!(e.dot(&f.normal).abs() < 1e-9 * e.norm().max(1.0));
            }
        }
        // The whole-box isotropic scaling multiplies every area by s^2.
        let s = 1.013;
        let h2 = h0.deformed(&(Matrix3::identity() * s)).unwrap();
        for (f, f0) in g
            .facets_in(&h2)
            .unwrap()
            .iter()
            .zip(g.tessellation().facets())
        {
            assert_relative_eq!(f.area, s * s * f0.area, max_relative = 1e-13);
        }
    }

    #[test]
    fn grains_json_is_read_and_bad_files_are_named() {
        let text = r#"{"cell": [[10,0,0],[0,10,0],[0,0,20]],
                       "seeds": [[1,1,5],[1,1,15]],
                       "rotations": [[[1,0,0],[0,1,0],[0,0,1]], [[0,-1,0],[1,0,0],[0,0,1]]],
                       "facets": []}"#;
        let g = Grains::from_json_str(text, "G.json").unwrap();
        assert_eq!(g.tessellation().len(), 2);
        assert_eq!(g.rotations().len(), 2);
        let e = Grains::from_json_str("{\"cell\": [[1,0,0]],\n \"seeds\": []}", "bad.json")
            .unwrap_err()
            .to_string();
        assert!(e.contains("bad.json") && e.contains("line"), "{e}");
        let e = Grains::from_json_str(
            r#"{"cell": [[10,0,0],[0,10,0],[0,0,10]], "seeds": [[1,1,1]],
                "rotations": [[[2,0,0],[0,1,0],[0,0,1]]]}"#,
            "rot.json",
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("rot.json") && e.contains("rotation"), "{e}");
        assert!(Grains::read(Path::new("/nonexistent/GRAINS.json")).is_err());
    }
}
