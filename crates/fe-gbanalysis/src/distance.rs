//! Distance of every atom to the GB centre: the nearest facet polygon of the (mapped) seed
//! tessellation, over periodic images (METHODS.md 4.1).
//!
//! For a planar convex polygon $P$ with area centroid $\mathbf c$ and unit normal
//! $\mathbf n$, the point $\mathbf r$ is projected onto the plane,
//! $\mathbf r_p = \mathbf r - ((\mathbf r - \mathbf c)\cdot\mathbf n)\,\mathbf n$; if
//! $\mathbf r_p$ lies inside $P$ (on the inner side of every edge) the distance is
//! $|(\mathbf r - \mathbf c)\cdot\mathbf n|$, otherwise it is the smallest distance from
//! $\mathbf r$ to the edge segments. Then
//! $$ d_i = \min_k \min_{\mathbf n \in \mathbb Z^3} \operatorname{dist}(\mathbf r_i,
//!    P_k + \mathbf n H). $$
//!
//! Algorithm: per atom, a first bound $d^*$ from the image of every facet whose centroid is
//! nearest (minimum image); then every image of every facet whose bounding sphere (centre
//! $\mathbf c_k$, radius $R_k$) comes within $d^* + \delta$ ($\delta$ the ambiguity margin)
//! is tested exactly. The image ranges follow from the perpendicular widths $w$:
//! $|s_a - n_a| \le (R_k + d^* + \delta)/w_a$. The cost is linear in the atoms (times the
//! fixed number of facets); atoms run in parallel (rayon) and the result does not depend on the
//! thread count.

use fe_structure::Cell;
use nalgebra::Vector3;
use rayon::prelude::*;

use crate::error::{GbError, Result};
use crate::facets::GbFacet;

/// Default margin (Angstrom) below which an atom's two nearest facets make its assignment
/// ambiguous (METHODS.md 3.4).
pub const DEFAULT_AMBIGUITY_MARGIN: f64 = 0.5;

/// A facet polygon prepared for distance queries.
#[derive(Debug, Clone)]
struct Prepared {
    centroid: Vector3<f64>,
    normal: Vector3<f64>,
    vertices: Vec<Vector3<f64>>,
    /// Edge vectors $\mathbf v_{j+1} - \mathbf v_j$.
    edges: Vec<Vector3<f64>>,
    /// $1/|\mathbf e_j|^2$ (0 for a degenerate edge).
    inv_len2: Vec<f64>,
    /// In-plane normals of the edges pointing into the polygon.
    inward: Vec<Vector3<f64>>,
    /// Largest centroid-to-vertex distance.
    radius: f64,
}

impl Prepared {
    fn new(f: &GbFacet) -> Prepared {
        let n = f.polygon.len();
        let mut edges = Vec::with_capacity(n);
        let mut inv_len2 = Vec::with_capacity(n);
        let mut inward = Vec::with_capacity(n);
        for j in 0..n {
            let v = f.polygon[j];
            let e = f.polygon[(j + 1) % n] - v;
            let l2 = e.norm_squared();
            let mut m = f.normal.cross(&e);
            if m.dot(&(f.centroid - v)) < 0.0 {
                m = -m;
            }
            edges.push(e);
            inv_len2.push(if l2 > 0.0 { 1.0 / l2 } else { 0.0 });
            inward.push(m);
        }
        let radius = f
            .polygon
            .iter()
            .map(|v| (v - f.centroid).norm())
            .fold(0.0, f64::max);
        Prepared {
            centroid: f.centroid,
            normal: f.normal,
            vertices: f.polygon.clone(),
            edges,
            inv_len2,
            inward,
            radius,
        }
    }

    /// Distance from `r` to the polygon (METHODS.md 4.1).
    fn distance(&self, r: &Vector3<f64>) -> f64 {
        let inside = self
            .vertices
            .iter()
            .zip(&self.inward)
            .all(|(v, m)| (r - v).dot(m) >= 0.0);
        if inside {
            return (r - self.centroid).dot(&self.normal).abs();
        }
        let mut best = f64::INFINITY;
        for ((v, e), il2) in self.vertices.iter().zip(&self.edges).zip(&self.inv_len2) {
            let d = r - v;
            let t = (d.dot(e) * il2).clamp(0.0, 1.0);
            best = best.min((d - e * t).norm_squared());
        }
        best.sqrt()
    }
}

/// Distances of points to the nearest GB facet.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FacetDistances {
    /// $d_i$ (Angstrom), per atom.
    pub distance: Vec<f64>,
    /// Index (into the facet list given) of the nearest facet, per atom.
    pub facet: Vec<usize>,
    /// True when another facet is within the ambiguity margin of the nearest one.
    pub ambiguous: Vec<bool>,
    /// The ambiguity margin used (Angstrom).
    pub margin: f64,
}

impl FacetDistances {
    /// Fraction of the atoms with an ambiguous assignment (0 for no atoms).
    pub fn ambiguous_fraction(&self) -> f64 {
        if self.ambiguous.is_empty() {
            return 0.0;
        }
        self.ambiguous.iter().filter(|&&a| a).count() as f64 / self.ambiguous.len() as f64
    }
}

/// Nearest and second-nearest (other facet) distances of one point.
#[derive(Debug, Clone, Copy)]
struct Nearest {
    d1: f64,
    k1: usize,
    d2: f64,
}

impl Nearest {
    fn offer(&mut self, d: f64, k: usize) {
        if k == self.k1 {
            self.d1 = self.d1.min(d);
        } else if d < self.d1 {
            self.d2 = self.d1;
            self.d1 = d;
            self.k1 = k;
        } else {
            self.d2 = self.d2.min(d);
        }
    }
}

/// The distance of every position to the nearest of `facets` (polygons in the frame of
/// `cell`, e.g. from [`crate::Grains::facets_in`]), minimum image over every periodic axis,
/// with the facet it belongs to and whether a second facet lies within `margin` Angstrom
/// of it (an ambiguous assignment, METHODS.md 3.4).
///
/// # Errors
/// [`GbError::Input`] for no facets, a facet with fewer than 3 vertices, a non-finite
/// position, a negative or non-finite margin, or a cell that is not periodic along every axis.
pub fn facet_distances(
    positions: &[Vector3<f64>],
    cell: &Cell,
    facets: &[GbFacet],
    margin: f64,
) -> Result<FacetDistances> {
    if facets.is_empty() {
        return Err(GbError::Input(
            "no GB facets to measure distances to".into(),
        ));
    }
    if let Some(f) = facets.iter().find(|f| f.polygon.len() < 3) {
        return Err(GbError::Input(format!(
            "facet {} (grains {:?}) has {} vertices",
            f.index,
            f.grains,
            f.polygon.len()
        )));
    }
    if !(margin >= 0.0 && margin.is_finite()) {
        return Err(GbError::Input(format!(
            "the ambiguity margin must be finite and non-negative, got {margin}"
        )));
    }
    if cell.pbc() != [true; 3] {
        return Err(GbError::Input(format!(
            "GB distances need a cell periodic along every axis, got pbc {:?}",
            cell.pbc()
        )));
    }
    if let Some(i) = positions
        .iter()
        .position(|p| !p.iter().all(|x| x.is_finite()))
    {
        return Err(GbError::Input(format!(
            "atom {i} has a non-finite position"
        )));
    }
    let prepared: Vec<Prepared> = facets.iter().map(Prepared::new).collect();
    let widths = cell.perpendicular_widths();
    let h_rows = [cell.vector(0), cell.vector(1), cell.vector(2)];
    let nearest = |r: &Vector3<f64>| -> Nearest {
        let fracs: Vec<Vector3<f64>> = prepared
            .iter()
            .map(|p| cell.to_fractional(&(r - p.centroid)))
            .collect();
        let shift = |n: [f64; 3]| h_rows[0] * n[0] + h_rows[1] * n[1] + h_rows[2] * n[2];
        let mut best = Nearest {
            d1: f64::INFINITY,
            k1: usize::MAX,
            d2: f64::INFINITY,
        };
        // A first bound: the minimum image of each facet's centroid.
        for (k, (p, s)) in prepared.iter().zip(&fracs).enumerate() {
            let t = shift([s.x.round(), s.y.round(), s.z.round()]);
            best.offer(p.distance(&(r - t)), k);
        }
        for (k, (p, s)) in prepared.iter().zip(&fracs).enumerate() {
            let reach = p.radius + best.d1 + margin;
            let range = |a: usize| {
                let m = reach / widths[a];
                ((s[a] - m).ceil() as i64)..=((s[a] + m).floor() as i64)
            };
            for i in range(0) {
                for j in range(1) {
                    for l in range(2) {
                        let q = r - shift([i as f64, j as f64, l as f64]);
                        let lower = (q - p.centroid).norm() - p.radius;
                        if lower > best.d1 + margin {
                            continue;
                        }
                        best.offer(p.distance(&q), k);
                    }
                }
            }
        }
        best
    };
    let found: Vec<Nearest> = positions.par_iter().map(nearest).collect();
    Ok(FacetDistances {
        distance: found.iter().map(|n| n.d1).collect(),
        facet: found.iter().map(|n| n.k1).collect(),
        ambiguous: found.iter().map(|n| n.d2 - n.d1 < margin).collect(),
        margin,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facets::Grains;
    use approx::assert_relative_eq;
    use nalgebra::Matrix3;
    use rand::{Rng, SeedableRng};
    use rand_pcg::Pcg64;

    #[test]
    fn bicrystal_atoms_get_their_plane_distance() {
        let cell = Cell::orthorhombic(10.0, 12.0, 16.0).unwrap();
        let seeds = [Vector3::new(1.0, 2.0, 4.0), Vector3::new(1.0, 2.0, 12.0)];
        let g = Grains::new(&cell, &seeds, vec![]).unwrap();
        // The two GB planes only (the slabs also meet their own images across x and y).
        let facets: Vec<GbFacet> = g
            .facets_in(&cell)
            .unwrap()
            .into_iter()
            .filter(|f| !f.self_image)
            .collect();
        assert_eq!(facets.len(), 2);
        let mut rng = Pcg64::seed_from_u64(3);
        let pts: Vec<Vector3<f64>> = (0..200)
            .map(|_| {
                Vector3::new(
                    rng.gen_range(-10.0..20.0),
                    rng.gen_range(-5.0..17.0),
                    rng.gen_range(-16.0..32.0),
                )
            })
            .collect();
        let d = facet_distances(&pts, &cell, &facets, 0.5).unwrap();
        for (p, (&di, &ki)) in pts.iter().zip(d.distance.iter().zip(&d.facet)) {
            let z = p.z.rem_euclid(16.0);
            let want = (z - 8.0).abs().min(z).min(16.0 - z);
            assert_relative_eq!(di, want, epsilon = 1e-12);
            // The facet at z = 8 or the one at z = 0 (16).
            let fz = facets[ki].centroid.z.rem_euclid(16.0);
            let plane = if (fz - 8.0).abs() < 1e-9 { 8.0 } else { 0.0 };
            let dz = (z - plane).abs();
            assert_relative_eq!(dz.min(16.0 - dz), want, epsilon = 1e-9);
        }
    }

    #[test]
    fn a_point_beyond_an_edge_gets_the_edge_distance() {
        let cell = Cell::cubic(100.0).unwrap();
        // A 4 x 4 square in the plane z = 50, centred on (50, 50).
        let polygon = vec![
            Vector3::new(48.0, 48.0, 50.0),
            Vector3::new(52.0, 48.0, 50.0),
            Vector3::new(52.0, 52.0, 50.0),
            Vector3::new(48.0, 52.0, 50.0),
        ];
        let facet = GbFacet {
            index: 0,
            grains: [0, 1],
            shift: [0; 3],
            self_image: false,
            area0: 16.0,
            area: 16.0,
            normal: Vector3::z(),
            centroid: Vector3::new(50.0, 50.0, 50.0),
            polygon,
        };
        let pts = [
            Vector3::new(51.0, 49.0, 53.0), // above the interior: plane distance 3
            Vector3::new(55.0, 50.0, 54.0), // beyond the x = 52 edge: sqrt(9 + 16) = 5
            Vector3::new(55.0, 56.0, 50.0), // beyond a corner, in the plane: 5
            Vector3::new(151.0, 49.0, 47.0), // an image of a point above the interior
        ];
        let d = facet_distances(&pts, &cell, &[facet], 0.5).unwrap();
        assert_relative_eq!(d.distance[0], 3.0, epsilon = 1e-12);
        assert_relative_eq!(d.distance[1], 5.0, epsilon = 1e-12);
        assert_relative_eq!(d.distance[2], 5.0, epsilon = 1e-12);
        assert_relative_eq!(d.distance[3], 3.0, epsilon = 1e-12);
        assert!(d.ambiguous.iter().all(|a| !a));
    }

    /// Point-to-triangle distance by barycentric projection (a different decomposition from
    /// the kernel's edge test).
    fn triangle_distance(
        p: &Vector3<f64>,
        a: &Vector3<f64>,
        b: &Vector3<f64>,
        c: &Vector3<f64>,
    ) -> f64 {
        let n = (b - a).cross(&(c - a));
        let area2 = n.norm_squared();
        let h = (p - a).dot(&n) / area2;
        let q = p - n * h;
        let u = (c - b).cross(&(q - b)).dot(&n) / area2;
        let v = (a - c).cross(&(q - c)).dot(&n) / area2;
        let w = 1.0 - u - v;
        if u >= 0.0 && v >= 0.0 && w >= 0.0 {
            return (p - q).norm();
        }
        let seg = |x: &Vector3<f64>, y: &Vector3<f64>| {
            let e = y - x;
            let t = ((p - x).dot(&e) / e.norm_squared()).clamp(0.0, 1.0);
            (p - x - e * t).norm()
        };
        seg(a, b).min(seg(b, c)).min(seg(c, a))
    }

    #[test]
    fn matches_brute_force_over_images_in_a_random_triclinic_cell() {
        let mut rng = Pcg64::seed_from_u64(11);
        let h0 = Cell::new(
            Matrix3::new(18.0, 0.0, 0.0, 4.0, 16.0, 0.0, -3.0, 2.5, 20.0),
            [true; 3],
        )
        .unwrap();
        let h1 = Cell::new(
            Matrix3::new(18.5, 0.4, -0.3, 3.1, 16.4, 0.2, -2.0, 3.0, 19.2),
            [true; 3],
        )
        .unwrap();
        let seeds: Vec<Vector3<f64>> = (0..5)
            .map(|_| h0.to_cartesian(&Vector3::new(rng.gen(), rng.gen(), rng.gen())))
            .collect();
        let g = Grains::new(&h0, &seeds, vec![]).unwrap();
        let facets = g.facets_in(&h1).unwrap();
        let pts: Vec<Vector3<f64>> = (0..300)
            .map(|_| {
                h1.to_cartesian(&Vector3::new(
                    rng.gen_range(-0.5..1.5),
                    rng.gen_range(-0.5..1.5),
                    rng.gen_range(-0.5..1.5),
                ))
            })
            .collect();
        let d = facet_distances(&pts, &h1, &facets, 0.5).unwrap();
        for (i, p) in pts.iter().enumerate() {
            let mut best = f64::INFINITY;
            let mut per_facet = vec![f64::INFINITY; facets.len()];
            for n0 in -3..=3 {
                for n1 in -3..=3 {
                    for n2 in -3..=3 {
                        let t = h1.to_cartesian(&Vector3::new(n0 as f64, n1 as f64, n2 as f64));
                        let q = p - t;
                        for (k, f) in facets.iter().enumerate() {
                            let v = &f.polygon;
                            for m in 1..v.len() - 1 {
                                let dd = triangle_distance(&q, &v[0], &v[m], &v[m + 1]);
                                per_facet[k] = per_facet[k].min(dd);
                                best = best.min(dd);
                            }
                        }
                    }
                }
            }
            assert_relative_eq!(d.distance[i], best, epsilon = 1e-9);
            assert_relative_eq!(per_facet[d.facet[i]], best, epsilon = 1e-9);
            let mut sorted = per_facet.clone();
            sorted.sort_by(f64::total_cmp);
            assert_eq!(d.ambiguous[i], sorted[1] - sorted[0] < 0.5, "atom {i}");
        }
    }

    #[test]
    fn bad_inputs_are_errors() {
        let cell = Cell::cubic(10.0).unwrap();
        assert!(facet_distances(&[Vector3::zeros()], &cell, &[], 0.5).is_err());
        let g = Grains::new(
            &cell,
            &[Vector3::new(1.0, 1.0, 2.0), Vector3::new(1.0, 1.0, 7.0)],
            vec![],
        )
        .unwrap();
        let f = g.facets_in(&cell).unwrap();
        assert!(facet_distances(&[Vector3::new(f64::NAN, 0.0, 0.0)], &cell, &f, 0.5).is_err());
        assert!(facet_distances(&[Vector3::zeros()], &cell, &f, -1.0).is_err());
    }
}
