//! Grain tessellation: the periodic Voronoi cells of a few seed points (the grains of a
//! polycrystal), their facets and their triple-junction lines.
//!
//! # Definition
//!
//! The cell $H$ has lattice vectors as rows; an image of seed $h$ is
//! $\mathbf q = \mathbf p_h + \mathbf n H$ for an integer shift $\mathbf n \in \mathbb Z^3$
//! (row vector). Grain $g$ is the set of points closer to its seed $\mathbf p_g$ than to every
//! other image of every seed, the images of $\mathbf p_g$ itself included (METHODS.md 1.2,
//! step 3):
//! $$ \Omega_g = \{ \mathbf x : (\mathbf x - \mathbf p_g)\cdot(\mathbf q - \mathbf p_g)
//!    \le \tfrac12 |\mathbf q - \mathbf p_g|^2 \ \ \forall\, \mathbf q \ne \mathbf p_g \}. $$
//! The cells tile the periodic box: their volumes sum to $|\det H|$.
//!
//! # Algorithm
//!
//! Each cell is a [`Polyhedron`] (the crate's one convex-cell kernel) with the seed at the
//! origin: a cube of half-width $\tfrac12(|\mathbf a| + |\mathbf b| + |\mathbf c|)$ (it holds
//! the Wigner-Seitz cell of the box lattice, hence the grain) is clipped by the bisector
//! planes $\mathbf n\cdot\mathbf x \le \tfrac12|\mathbf r|^2$, $\mathbf r = \mathbf q - \mathbf
//! p_g$, of the seed images in order of distance, shell by shell (radius doubling) until the
//! next image is farther than twice the largest seed-to-vertex distance (it can no longer cut).
//! Cells are built in parallel (one task per grain) and collected in grain order, so the result
//! does not depend on the number of threads.
//!
//! # Output
//!
//! - [`GrainCell`]: volume, surface, vertices and faces of each grain, in absolute
//!   coordinates unwrapped around its seed (they may lie outside the box).
//! - [`Facet`]: every interface once, from the side of the lower grain index (for a grain
//!   with its own periodic image: the side whose image shift is lexicographically positive).
//!   Each facet is also a face of both grains, with equal area and opposite normals.
//! - [`TripleJunction`]: every Voronoi edge once (a segment where three cells meet), in the
//!   frame of its first grain; edges shorter than $10^{-9}$ times the box size (degenerate
//!   vertices where four or more cells meet) are left out. Face polygons are matched to the
//!   cell's vertices within $10^{-9}$ times the box size, not by exact coordinates. Where four or more cells meet along
//!   an edge (degenerate seed sets: one seed in a cube), the edge is listed once for each
//!   triple of cells that its two faces in some cell give.

use std::collections::BTreeMap;

use fe_structure::Cell;
use nalgebra::Vector3;
use rayon::prelude::*;

use crate::error::{Result, VoronoiError};
use crate::polyhedron::{Clip, Polyhedron};

/// Face ids of the starting cube (never left on a finished cell).
const BOX_FACE: usize = usize::MAX - 8;

/// Seeds closer than this times the box size count as coincident.
const COINCIDENT_RELATIVE: f64 = 1e-8;

/// Junction edges shorter than this times the box size are degenerate and left out.
const MIN_EDGE_RELATIVE: f64 = 1e-9;

/// A face-polygon vertex is the cell vertex nearest to it when closer than this times the box
/// size (the kernel stores each vertex once and the polygons repeat it, so the match is exact
/// in practice; the tolerance keeps it when rounding makes two copies differ in the last
/// bits). Not above [`MIN_EDGE_RELATIVE`]: two vertices this close bound only an edge that is
/// left out anyway.
const VERTEX_MATCH_RELATIVE: f64 = 1e-9;

/// One face of a grain cell, seen from that grain.
#[derive(Debug, Clone, PartialEq)]
pub struct GrainFace {
    /// The grain across the face.
    pub neighbor: usize,
    /// Image shift $\mathbf n$ of the neighbour: its seed image is $\mathbf p_h + \mathbf n H$.
    pub shift: [i32; 3],
    /// Area (Angstrom^2).
    pub area: f64,
    /// Unit normal pointing out of this grain, towards the neighbour image.
    pub normal: Vector3<f64>,
    /// Area centroid (Angstrom, absolute, in this grain's unwrapped frame).
    pub centroid: Vector3<f64>,
    /// Vertex polygon, counter-clockwise seen along `normal` (Angstrom, absolute).
    pub polygon: Vec<Vector3<f64>>,
}

/// The Voronoi cell of one grain.
#[derive(Debug, Clone, PartialEq)]
pub struct GrainCell {
    /// The seed point (Angstrom, wrapped into the box).
    pub seed: Vector3<f64>,
    /// Volume (Angstrom^3).
    pub volume: f64,
    /// Surface area, the sum of the face areas (Angstrom^2).
    pub surface_area: f64,
    /// Largest distance from the seed to a vertex (Angstrom).
    pub radius: f64,
    /// Vertices (Angstrom, absolute, unwrapped around the seed).
    pub vertices: Vec<Vector3<f64>>,
    /// Faces, sorted by (neighbour, shift).
    pub faces: Vec<GrainFace>,
}

/// An interface between two grains (or a grain and its own periodic image), listed once.
#[derive(Debug, Clone, PartialEq)]
pub struct Facet {
    /// The grain pair $(g, h)$, $g \le h$.
    pub grains: [usize; 2],
    /// Image shift of grain h (its seed image is $\mathbf p_h + \mathbf n H$).
    pub shift: [i32; 3],
    /// Area (Angstrom^2).
    pub area: f64,
    /// Unit normal from grain g towards grain h.
    pub normal: Vector3<f64>,
    /// Area centroid (Angstrom, in grain g's unwrapped frame).
    pub centroid: Vector3<f64>,
    /// Vertex polygon (Angstrom, in grain g's unwrapped frame), counter-clockwise seen along
    /// `normal`.
    pub polygon: Vec<Vector3<f64>>,
    /// True for an interface between a grain and its own periodic image (no misorientation).
    pub self_image: bool,
}

/// A Voronoi edge: the segment where three grain cells meet.
#[derive(Debug, Clone, PartialEq)]
pub struct TripleJunction {
    /// The three grains, sorted by (grain, shift).
    pub grains: [usize; 3],
    /// Their image shifts; the first is always (0, 0, 0).
    pub shifts: [[i32; 3]; 3],
    /// End points (Angstrom, in the unwrapped frame of the first grain).
    pub ends: [Vector3<f64>; 2],
    /// Length (Angstrom).
    pub length: f64,
}

/// The periodic Voronoi tessellation of a set of grain seeds.
#[derive(Debug, Clone, PartialEq)]
pub struct GrainTessellation {
    cell: Cell,
    grains: Vec<GrainCell>,
    facets: Vec<Facet>,
    junctions: Vec<TripleJunction>,
}

/// An image of a seed as seen from another: grain, shift and vector from the centre seed.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Image {
    pub grain: usize,
    pub shift: [i32; 3],
    pub r: Vector3<f64>,
    pub r2: f64,
}

impl GrainTessellation {
    /// Tessellate the periodic `cell` (all three axes must be periodic) by the `seeds`
    /// (Angstrom; wrapped into the cell first).
    ///
    /// ```
    /// use fe_structure::Cell;
    /// use fe_voronoi::GrainTessellation;
    /// use nalgebra::Vector3;
    /// let cell = Cell::cubic(10.0).unwrap();
    /// // Two seeds on a line: two slabs, each 10 x 10 x 5, two facets of 100 A^2.
    /// let t = GrainTessellation::new(&cell, &[Vector3::new(1.0, 2.0, 2.5),
    ///                                         Vector3::new(1.0, 2.0, 7.5)]).unwrap();
    /// assert!((t.grains()[0].volume - 500.0).abs() < 1e-9);
    /// assert_eq!(t.facets().iter().filter(|f| f.grains == [0, 1]).count(), 2);
    /// ```
    ///
    /// # Errors
    /// [`VoronoiError::InvalidInput`] for no seeds, a non-finite seed or an axis that is not
    /// periodic; [`VoronoiError::SeedsTooClose`] for two coincident seeds (closer than
    /// $10^{-8}$ times the box size, minimum image). Seeds that are close but distinct give
    /// thin cells, correctly.
    pub fn new(cell: &Cell, seeds: &[Vector3<f64>]) -> Result<GrainTessellation> {
        if seeds.is_empty() {
            return Err(VoronoiError::InvalidInput(
                "grain tessellation needs at least one seed".into(),
            ));
        }
        if cell.pbc() != [true; 3] {
            return Err(VoronoiError::InvalidInput(format!(
                "grain tessellation needs a cell periodic along every axis, got pbc {:?}",
                cell.pbc()
            )));
        }
        if let Some(i) = seeds.iter().position(|p| !p.iter().all(|x| x.is_finite())) {
            return Err(VoronoiError::InvalidInput(format!(
                "seed {i} is not finite: {:?}",
                seeds[i].as_slice()
            )));
        }
        let wrapped: Vec<Vector3<f64>> = seeds.iter().map(|p| cell.wrap(p)).collect();
        let min_distance = COINCIDENT_RELATIVE * cell.volume().cbrt();
        for i in 0..wrapped.len() {
            for j in 0..i {
                let distance = cell.distance(&wrapped[i], &wrapped[j]);
                if distance < min_distance {
                    return Err(VoronoiError::SeedsTooClose {
                        i: j,
                        j: i,
                        distance,
                        min_distance,
                    });
                }
            }
        }
        let grains = (0..wrapped.len())
            .into_par_iter()
            .map(|g| grain_cell(cell, &wrapped, g))
            .collect::<Result<Vec<_>>>()?;
        let facets = collect_facets(&grains);
        let junctions = collect_junctions(cell, &grains);
        Ok(GrainTessellation {
            cell: cell.clone(),
            grains,
            facets,
            junctions,
        })
    }

    /// The cell that was tessellated.
    pub fn cell(&self) -> &Cell {
        &self.cell
    }

    /// The grain cells, in seed order.
    pub fn grains(&self) -> &[GrainCell] {
        &self.grains
    }

    /// Number of grains.
    pub fn len(&self) -> usize {
        self.grains.len()
    }

    /// Always false: a tessellation has at least one grain.
    pub fn is_empty(&self) -> bool {
        self.grains.is_empty()
    }

    /// The seeds (wrapped into the cell), in grain order.
    pub fn seeds(&self) -> Vec<Vector3<f64>> {
        self.grains.iter().map(|g| g.seed).collect()
    }

    /// Every interface once, sorted by (grains, shift).
    pub fn facets(&self) -> &[Facet] {
        &self.facets
    }

    /// Every triple-junction line once, sorted by (grains, shifts).
    pub fn junctions(&self) -> &[TripleJunction] {
        &self.junctions
    }

    /// Total interface area: the sum of [`GrainTessellation::facets`] areas (Angstrom^2),
    /// interfaces of a grain with its own image included.
    pub fn total_facet_area(&self) -> f64 {
        self.facets.iter().map(|f| f.area).sum()
    }
}

/// The vector, as a Cartesian column, of the row-vector shift n H.
fn shift_vector(cell: &Cell, n: [i32; 3]) -> Vector3<f64> {
    cell.to_cartesian(&Vector3::new(
        f64::from(n[0]),
        f64::from(n[1]),
        f64::from(n[2]),
    ))
}

/// Every image of every seed at distance in (r_lo, r_hi] from seed g (its own position
/// excluded), sorted by (distance, grain, shift).
pub(crate) fn images_in_shell(
    cell: &Cell,
    seeds: &[Vector3<f64>],
    g: usize,
    r_lo: f64,
    r_hi: f64,
) -> Vec<Image> {
    let widths = cell.perpendicular_widths();
    let sg = cell.to_fractional(&seeds[g]);
    let mut out = Vec::new();
    for (h, p) in seeds.iter().enumerate() {
        let ds = cell.to_fractional(p) - sg;
        // |r| <= r_hi needs |ds_k + n_k| <= r_hi / w_k along every axis.
        let range = |k: usize| {
            let m = r_hi / widths[k];
            let lo = (-ds[k] - m).floor() as i32;
            let hi = (-ds[k] + m).ceil() as i32;
            lo..=hi
        };
        for i in range(0) {
            for j in range(1) {
                for k in range(2) {
                    let shift = [i, j, k];
                    if h == g && shift == [0, 0, 0] {
                        continue;
                    }
                    let r = cell.to_cartesian(
                        &(ds + Vector3::new(f64::from(i), f64::from(j), f64::from(k))),
                    );
                    let r2 = r.norm_squared();
                    if r2 > r_lo * r_lo && r2 <= r_hi * r_hi {
                        out.push(Image {
                            grain: h,
                            shift,
                            r,
                            r2,
                        });
                    }
                }
            }
        }
    }
    out.sort_by(|a, b| {
        a.r2.total_cmp(&b.r2)
            .then(a.grain.cmp(&b.grain))
            .then(a.shift.cmp(&b.shift))
    });
    out
}

/// The cell of grain g as a polyhedron (seed at the origin) and the images its face ids
/// refer to.
pub(crate) fn grain_polyhedron(
    cell: &Cell,
    seeds: &[Vector3<f64>],
    g: usize,
) -> Result<(Polyhedron, Vec<Image>)> {
    let half = 0.5 * cell.lengths().iter().sum::<f64>() * (1.0 + 1e-6);
    let mut poly = Polyhedron::cuboid(
        &Vector3::repeat(-half),
        &Vector3::repeat(half),
        [BOX_FACE; 6],
    )?;
    // A first shell holding a few images per seed on average, then doubling.
    let per_seed = (cell.volume() / seeds.len() as f64).cbrt();
    let mut r_lo = 0.0;
    let mut r_hi = 2.0 * per_seed;
    let mut images: Vec<Image> = Vec::new();
    loop {
        let shell = images_in_shell(cell, seeds, g, r_lo, r_hi);
        for im in shell {
            // Past twice the farthest vertex a bisector cannot cut any more.
            if im.r2 > 4.0 * poly.max_radius_sq() {
                break;
            }
            let id = images.len();
            images.push(im);
            if poly.clip(&im.r, 0.5 * im.r2, id)? == Clip::Emptied {
                return Err(VoronoiError::InvalidInput(format!(
                    "grain {g}: its cell vanished (seed image of grain {} at {} A)",
                    im.grain,
                    im.r2.sqrt()
                )));
            }
        }
        if 4.0 * poly.max_radius_sq() <= r_hi * r_hi {
            break;
        }
        r_lo = r_hi;
        r_hi *= 2.0;
    }
    if poly.face_ids().any(|id| id == BOX_FACE) {
        return Err(VoronoiError::InvalidInput(format!(
            "grain {g}: the starting box was not clipped away (internal error)"
        )));
    }
    Ok((poly, images))
}

/// Build grain g's cell record.
fn grain_cell(cell: &Cell, seeds: &[Vector3<f64>], g: usize) -> Result<GrainCell> {
    let (poly, images) = grain_polyhedron(cell, seeds, g)?;
    let p = seeds[g];
    let mut faces: Vec<GrainFace> = poly
        .faces()
        .into_iter()
        .map(|f| {
            let im = images[f.id];
            GrainFace {
                neighbor: im.grain,
                shift: im.shift,
                area: f.area,
                normal: f.normal,
                centroid: f.centroid + p,
                polygon: f.vertices.iter().map(|v| v + p).collect(),
            }
        })
        .collect();
    faces.sort_by(|a, b| a.neighbor.cmp(&b.neighbor).then(a.shift.cmp(&b.shift)));
    Ok(GrainCell {
        seed: p,
        volume: poly.volume(),
        surface_area: poly.surface_area(),
        radius: poly.max_radius_sq().sqrt(),
        vertices: poly.vertices().iter().map(|v| v + p).collect(),
        faces,
    })
}

/// True when the key (g, 0) comes before (h, n): lower grain first, then shift.
pub(crate) fn owns_tie(g: usize, h: usize, n: [i32; 3]) -> bool {
    g < h || (g == h && n > [0, 0, 0])
}

/// Each interface once, from the side that owns it ([`owns_tie`]).
fn collect_facets(grains: &[GrainCell]) -> Vec<Facet> {
    let mut facets = Vec::new();
    for (g, cell) in grains.iter().enumerate() {
        for f in &cell.faces {
            if owns_tie(g, f.neighbor, f.shift) {
                facets.push(Facet {
                    grains: [g, f.neighbor],
                    shift: f.shift,
                    area: f.area,
                    normal: f.normal,
                    centroid: f.centroid,
                    polygon: f.polygon.clone(),
                    self_image: g == f.neighbor,
                });
            }
        }
    }
    facets
}

/// Three (grain, image shift) members of a junction.
type Triple = [(usize, [i32; 3]); 3];

/// Translate a triple of (grain, shift) so that each member in turn has shift 0, sort, and
/// keep the smallest; returns it with the shift that was subtracted.
fn canonical_triple(t: Triple) -> (Triple, [i32; 3]) {
    let mut best: Option<(Triple, [i32; 3])> = None;
    for r in 0..3 {
        let o = t[r].1;
        let mut c = t.map(|(g, s)| (g, [s[0] - o[0], s[1] - o[1], s[2] - o[2]]));
        c.sort();
        if c[0].1 != [0, 0, 0] {
            continue;
        }
        if best.as_ref().is_none_or(|b| c < b.0) {
            best = Some((c, o));
        }
    }
    // Translating by the smallest member's own shift always puts it at shift 0.
    best.unwrap_or((t, [0, 0, 0]))
}

/// Every Voronoi edge once: for each cell, the edges between two of its faces.
fn collect_junctions(cell: &Cell, grains: &[GrainCell]) -> Vec<TripleJunction> {
    let size = cell.volume().cbrt();
    let mut found: BTreeMap<Triple, TripleJunction> = BTreeMap::new();
    for (g, gc) in grains.iter().enumerate() {
        // Each polygon vertex is the nearest cell vertex within the match tolerance.
        let tol2 = (VERTEX_MATCH_RELATIVE * size).powi(2);
        let index = |v: &Vector3<f64>| -> Option<usize> {
            gc.vertices
                .iter()
                .map(|w| (w - v).norm_squared())
                .enumerate()
                .filter(|&(_, d2)| d2 <= tol2)
                .min_by(|a, b| a.1.total_cmp(&b.1))
                .map(|(i, _)| i)
        };
        let mut edge_faces: BTreeMap<(usize, usize), Vec<usize>> = BTreeMap::new();
        for (k, f) in gc.faces.iter().enumerate() {
            let ids: Vec<Option<usize>> = f.polygon.iter().map(index).collect();
            for m in 0..ids.len() {
                if let (Some(a), Some(b)) = (ids[m], ids[(m + 1) % ids.len()]) {
                    if a != b {
                        edge_faces.entry((a.min(b), a.max(b))).or_default().push(k);
                    }
                }
            }
        }
        for ((a, b), fs) in edge_faces {
            if fs.len() != 2 {
                continue;
            }
            let (va, vb) = (gc.vertices[a], gc.vertices[b]);
            let length = (vb - va).norm();
            if length <= MIN_EDGE_RELATIVE * size {
                continue;
            }
            let (f1, f2) = (&gc.faces[fs[0]], &gc.faces[fs[1]]);
            let (key, o) = canonical_triple([
                (g, [0, 0, 0]),
                (f1.neighbor, f1.shift),
                (f2.neighbor, f2.shift),
            ]);
            found.entry(key).or_insert_with(|| {
                let t = shift_vector(cell, o);
                let mut ends = [va - t, vb - t];
                if ends[1].as_slice() < ends[0].as_slice() {
                    ends.swap(0, 1);
                }
                TripleJunction {
                    grains: key.map(|(g, _)| g),
                    shifts: key.map(|(_, s)| s),
                    ends,
                    length,
                }
            });
        }
    }
    found.into_values().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Junctions survive polygon vertices that differ from the stored cell vertices by
    /// rounding (a few ulps, up to 1e-12 of the box).
    #[test]
    fn junctions_match_vertices_that_differ_by_rounding() {
        let cell = Cell::new(
            nalgebra::Matrix3::new(20.0, 0.0, 0.0, 1.5, 18.0, 0.0, -2.0, 1.0, 22.0),
            [true; 3],
        )
        .unwrap();
        let seeds = [
            Vector3::new(1.0, 2.0, 3.0),
            Vector3::new(11.0, 4.0, 8.0),
            Vector3::new(5.0, 13.0, 15.0),
            Vector3::new(15.0, 14.0, 2.0),
            Vector3::new(8.0, 8.0, 19.0),
        ];
        let t = GrainTessellation::new(&cell, &seeds).unwrap();
        assert!(t.junctions().len() > 5);
        let mut grains = t.grains().to_vec();
        let size = cell.volume().cbrt();
        for (g, gc) in grains.iter_mut().enumerate() {
            for (k, f) in gc.faces.iter_mut().enumerate() {
                for (m, v) in f.polygon.iter_mut().enumerate() {
                    // Alternate one-ulp steps and 1e-12-relative offsets.
                    if (g + k + m) % 2 == 0 {
                        v.x = f64::from_bits(v.x.to_bits() + 1);
                        v.z = f64::from_bits(v.z.to_bits().saturating_sub(1));
                    } else {
                        *v += Vector3::new(1.0, -0.5, 0.25) * 1e-12 * size;
                    }
                }
            }
        }
        let rounded = collect_junctions(&cell, &grains);
        assert_eq!(rounded.len(), t.junctions().len());
        for (a, b) in rounded.iter().zip(t.junctions()) {
            assert_eq!((a.grains, a.shifts), (b.grains, b.shifts));
            assert!((a.length - b.length).abs() < 1e-12 * size);
        }
        // Offsets far above the tolerance lose the match (and so the junctions).
        for gc in &mut grains {
            for f in &mut gc.faces {
                for v in &mut f.polygon {
                    *v += Vector3::new(1e-6, 0.0, 0.0) * size;
                }
            }
        }
        assert!(collect_junctions(&cell, &grains).is_empty());
    }
}
