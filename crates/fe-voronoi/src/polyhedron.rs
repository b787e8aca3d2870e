//! The convex-polyhedron kernel: a cell that starts as a parallelepiped and is cut by
//! half-spaces, as every Voronoi cell of the crate (atoms and grains) is built.
//!
//! A [`Polyhedron`] holds its vertices and, for every face, the plane that made it (unit
//! outward normal $\hat n$, offset $d$ with $\hat n \cdot x = d$ on the face) and the caller's id
//! of what generated the plane; face polygons come out counter-clockwise seen from outside
//! (along $+\hat n$). [`Polyhedron::clip`] keeps the part of the cell in the half-space
//! $n \cdot x \le d$.
//!
//! The cell is a vertex-edge graph (each vertex with its neighbours in order around it), and
//! a cut touches only the vertices the plane removes and their edges, after one pass that
//! evaluates the plane on every vertex (the module `graph`). When a vertex next to the removed ones lies
//! on the plane within the tolerance below (perfect lattices, 4 or more planes through a
//! vertex), the cut falls back to clipping every face polygon (Sutherland-Hodgman; the module
//! `polygon_clip`) and the graph is rebuilt from the polygons. Both give the same cell.
//!
//! # Tolerance and degenerate inputs
//!
//! Every comparison of a vertex with a plane uses the tolerance
//! $\tau = 10^{-10} R$, where $R$ is the largest distance of a vertex from the coordinate
//! origin (callers put the cell's generator, the atom or seed, at the origin, so $R$ is the
//! cell size). A vertex is *outside* a plane when $\hat n \cdot x - d > \tau$, *on* it when
//! $|\hat n \cdot x - d| \le \tau$ and *inside* otherwise.
//!
//! - A plane that puts no vertex outside does not change the cell and makes no face. So a
//!   plane that only touches the cell at a vertex or along an edge (in perfect lattices: the
//!   second-neighbour planes of fcc through the 4-fold vertices of the rhombic dodecahedron,
//!   the <110> and <111> planes of simple cubic) never gives a face: **zero-area faces are never
//!   counted**. Perfect bcc gives 14 faces (8 hexagons, 6 squares; all vertices 3-fold), fcc 12
//!   and simple cubic 6.
//! - Vertices on a cutting plane (within $\tau$) are kept and become vertices of the new face;
//!   no vertex is ever moved, so 4 or more planes meeting at one vertex cost nothing special.
//! - A face left with fewer than 3 vertices, or with no vertex strictly inside the cutting
//!   plane (it then lies on the line where the two planes meet), is dropped.
//! - A plane that puts every vertex outside or on it leaves an empty cell
//!   ([`Clip::Emptied`]); further clips do nothing.
//!
//! Faces that are real but tiny (a slightly rattled lattice) are kept however small their
//! area; callers that want a threshold apply it to [`Polyhedron::faces`] (as
//! [`crate::atoms`] does).

use nalgebra::Vector3;

use crate::error::{Result, VoronoiError};

mod graph;
mod polygon_clip;

/// Relative tolerance of the vertex-plane classification (times the cell size $R$).
pub const RELATIVE_TOLERANCE: f64 = 1e-10;

/// What a call of [`Polyhedron::clip`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Clip {
    /// No vertex was outside the plane (beyond the tolerance): the cell is unchanged and the
    /// plane made no face.
    Unchanged,
    /// The plane cut the cell and is now one of its faces.
    Cut,
    /// The plane removed the whole cell (or the cell was already empty).
    Emptied,
}

/// One face of a [`Polyhedron`], as returned by [`Polyhedron::face`].
#[derive(Debug, Clone, PartialEq)]
pub struct Face {
    /// The caller's id of the plane (the neighbour, grain or wall across this face).
    pub id: usize,
    /// Area in length units squared, $\frac12 \left| \sum_k (v_k - v_0) \times (v_{k+1} - v_0) \right|$.
    pub area: f64,
    /// Unit outward normal of the generating plane.
    pub normal: Vector3<f64>,
    /// Offset $d$ of the plane, $\hat n \cdot x = d$ on the face.
    pub offset: f64,
    /// Area centroid of the face polygon.
    pub centroid: Vector3<f64>,
    /// Vertex polygon, counter-clockwise seen from outside (along `normal`).
    pub vertices: Vec<Vector3<f64>>,
}

/// Face record of the polygon representation: plane, id and a slice of the shared
/// vertex-index buffer.
#[derive(Debug, Clone, Copy)]
struct FaceRec {
    normal: Vector3<f64>,
    offset: f64,
    id: usize,
    start: u32,
    len: u32,
}

/// A face of the graph representation: its plane, the caller's id and one directed edge
/// `v -> nbr[vstart[v] + k]` of its counter-clockwise boundary (where a walk starts).
#[derive(Debug, Clone, Copy)]
struct PlaneRec {
    normal: Vector3<f64>,
    offset: f64,
    id: usize,
    v: u32,
    k: u32,
}

/// A convex polyhedron built from a parallelepiped by half-space clipping.
///
/// The cell is held as a vertex-edge graph: every vertex has its neighbours in
/// counter-clockwise order seen from outside, and for each of its edges the face whose
/// counter-clockwise boundary runs along that edge away from the vertex. Faces are walked on
/// the graph, never stored as polygons (see [`Polyhedron::clip`] for the cut).
///
/// The struct keeps scratch buffers so that [`Polyhedron::reset_parallelepiped`] followed by
/// many [`Polyhedron::clip`] calls allocates nothing once the buffers have grown; one
/// polyhedron per thread is the intended use in hot loops.
#[derive(Debug, Clone, Default)]
pub struct Polyhedron {
    verts: Vec<Vector3<f64>>,
    // graph: vertex v has neighbours nbr[vstart[v]..vstart[v] + vdeg[v]] (counter-clockwise
    // seen from outside) and nfid[..] the faces (indices into `planes`) of those edges
    vstart: Vec<u32>,
    vdeg: Vec<u32>,
    nbr: Vec<u32>,
    nfid: Vec<u32>,
    /// Back pointers: `w = nbr[vstart[v] + k]` lists `v` at `nbr[vstart[w] + nbp[..]]`.
    nbp: Vec<u32>,
    /// Number of edge slots in use: `nbr`, `nbp` and `nfid` are at least this long (a cut
    /// appends its new vertices' slots here, growing the buffers only when they are full).
    nslot: usize,
    planes: Vec<PlaneRec>,
    /// The faces of the cell (indices into `planes`), in the order they were made.
    live: Vec<u32>,
    /// Largest squared vertex distance from the origin.
    max_r2: f64,
    /// $|v|^2$ of every vertex (as `verts`), kept by the graph cut so that `max_r2` is one
    /// pass over a slice.
    vr2: Vec<f64>,
    empty: bool,
    // scratch of the graph cut
    /// $s(v) = \hat n \cdot v - d$ of every vertex for the plane being cut.
    sval: Vec<f64>,
    stack: Vec<u32>,
    /// The vertices outside the plane being cut.
    outl: Vec<u32>,
    bnd: Vec<Boundary>,
    /// Per edge slot (as `nbr`): the index in `bnd` of the cut edge in that slot (valid
    /// only for the slots of outside vertices during a cut).
    bidx: Vec<u32>,
    remap: Vec<u32>,
    // the polygon representation, used by the fallback clip only
    faces: Vec<FaceRec>,
    idx: Vec<u32>,
    // scratch of the polygon clip
    dist: Vec<f64>,
    class: Vec<u8>,
    new_faces: Vec<FaceRec>,
    new_idx: Vec<u32>,
    edge_cache: Vec<(u32, u32, u32)>,
    segments: Vec<(u32, u32)>,
    chain_ok: bool,
    plane_pts: Vec<(f64, u32)>,
}

/// An edge from a removed vertex `u` (its `k`-th) to a kept vertex `w` (where `u` is the
/// `pw`-th neighbour), with the point `x` where the plane crosses it, and the cut edges
/// before and after it around the new face (indices into the cut's boundary list).
#[derive(Debug, Clone, Copy)]
struct Boundary {
    u: u32,
    k: u32,
    w: u32,
    pw: u32,
    x: Vector3<f64>,
    next: u32,
    prev: u32,
}

/// The largest of non-negative numbers (0 for none).
fn max_of(x: &[f64]) -> f64 {
    x.iter().fold(0.0, |m, &v| if v > m { v } else { m })
}

// The graph of a right-handed axis-aligned box (as `graph_parallelepiped` builds it; the
// test `cube_table_matches_parallelepiped` checks the tables against it).
const CUBE_NBR: [u32; 24] = [
    1, 4, 2, 0, 3, 5, 3, 0, 6, 2, 7, 1, 5, 6, 0, 4, 1, 7, 7, 2, 4, 6, 5, 3,
];
const CUBE_NBP: [u32; 24] = [
    0, 2, 1, 0, 2, 1, 0, 2, 1, 0, 2, 1, 0, 2, 1, 0, 2, 1, 0, 2, 1, 0, 2, 1,
];
const CUBE_NFID: [u32; 24] = [
    2, 0, 4, 4, 1, 2, 4, 0, 3, 3, 1, 4, 5, 0, 2, 2, 1, 5, 3, 0, 5, 5, 1, 3,
];
const CUBE_FACE_START: [(u32, u32); 6] = [(6, 1), (7, 1), (5, 0), (7, 2), (3, 2), (7, 0)];

const OUT: u8 = 2;
const ON: u8 = 1;
const IN: u8 = 0;

impl Polyhedron {
    /// The parallelepiped $\{ o + s_1 a + s_2 b + s_3 c : 0 \le s_i \le 1 \}$ with
    /// `edges = [a, b, c]` (either handedness). `ids` name its faces in the order
    /// $s_1 = 0, s_1 = 1, s_2 = 0, s_2 = 1, s_3 = 0, s_3 = 1$.
    ///
    /// # Errors
    /// [`VoronoiError::DegenerateBox`] when a coordinate is not finite or the edges span no
    /// volume.
    pub fn parallelepiped(
        origin: &Vector3<f64>,
        edges: &[Vector3<f64>; 3],
        ids: [usize; 6],
    ) -> Result<Polyhedron> {
        let mut p = Polyhedron::default();
        p.reset_parallelepiped(origin, edges, ids)?;
        Ok(p)
    }

    /// The axis-aligned box $[lo, hi]$; `ids` name the faces $x = lo_x$, $x = hi_x$,
    /// $y = lo_y$, $y = hi_y$, $z = lo_z$, $z = hi_z$.
    ///
    /// # Errors
    /// [`VoronoiError::DegenerateBox`] when a bound is not finite or `hi <= lo` on an axis.
    pub fn cuboid(lo: &Vector3<f64>, hi: &Vector3<f64>, ids: [usize; 6]) -> Result<Polyhedron> {
        let d = hi - lo;
        if (0..3).any(|k| d[k].is_nan() || d[k] <= 0.0) {
            return Err(VoronoiError::DegenerateBox {
                reason: format!("cuboid bounds lo {lo:?} hi {hi:?} do not enclose a volume"),
            });
        }
        let edges = [
            Vector3::new(d.x, 0.0, 0.0),
            Vector3::new(0.0, d.y, 0.0),
            Vector3::new(0.0, 0.0, d.z),
        ];
        Polyhedron::parallelepiped(lo, &edges, ids)
    }

    /// Reset this polyhedron to a parallelepiped (as [`Polyhedron::parallelepiped`]),
    /// keeping its buffers.
    ///
    /// # Errors
    /// As [`Polyhedron::parallelepiped`].
    pub fn reset_parallelepiped(
        &mut self,
        origin: &Vector3<f64>,
        edges: &[Vector3<f64>; 3],
        ids: [usize; 6],
    ) -> Result<()> {
        let [a, b, c] = edges;
        let finite = origin
            .iter()
            .chain(a.iter())
            .chain(b.iter())
            .chain(c.iter())
            .all(|x| x.is_finite());
        let det = a.dot(&b.cross(c));
        let scale = a.norm() * b.norm() * c.norm();
        if !finite || det.abs() <= 1e-12 * scale {
            return Err(VoronoiError::DegenerateBox {
                reason: format!(
                    "edges {:?}, {:?}, {:?} from {:?} span no volume or are not finite",
                    a.as_slice(),
                    b.as_slice(),
                    c.as_slice(),
                    origin.as_slice()
                ),
            });
        }
        self.verts.clear();
        self.faces.clear();
        self.idx.clear();
        self.empty = false;
        // vertex (i, j, k) at index i + 2 j + 4 k
        for m in 0..8usize {
            let (i, j, k) = (m & 1, (m >> 1) & 1, (m >> 2) & 1);
            self.verts
                .push(origin + a * i as f64 + b * j as f64 + c * k as f64);
        }
        let centre = origin + (a + b + c) * 0.5;
        // For axis `ax` fixed at side `s`, the other two axes (p, q) walk the 4 corners.
        for ax in 0..3usize {
            let (p, q) = ((ax + 1) % 3, (ax + 2) % 3);
            for s in 0..2usize {
                let corner = |u: usize, v: usize| -> u32 {
                    let mut bits = [0usize; 3];
                    bits[ax] = s;
                    bits[p] = u;
                    bits[q] = v;
                    (bits[0] + 2 * bits[1] + 4 * bits[2]) as u32
                };
                let mut cyc = [corner(0, 0), corner(1, 0), corner(1, 1), corner(0, 1)];
                let v0 = self.verts[cyc[0] as usize];
                let v1 = self.verts[cyc[1] as usize];
                let v2 = self.verts[cyc[2] as usize];
                let mut n = (v1 - v0).cross(&(v2 - v0));
                let fc = cyc
                    .iter()
                    .fold(Vector3::zeros(), |acc, &i| acc + self.verts[i as usize])
                    * 0.25;
                if n.dot(&(fc - centre)) < 0.0 {
                    cyc.reverse();
                    n = -n;
                }
                let n = n.normalize();
                let start = self.idx.len() as u32;
                self.idx.extend_from_slice(&cyc);
                self.faces.push(FaceRec {
                    normal: n,
                    offset: n.dot(&v0),
                    id: ids[2 * ax + s],
                    start,
                    len: 4,
                });
            }
        }
        self.update_radius();
        self.graph_parallelepiped(det > 0.0);
        Ok(())
    }

    /// Reset this polyhedron to the cube $[-h, h]^3$ (as [`Polyhedron::cuboid`] with
    /// `lo` $= (-h, -h, -h)$, `hi` $= (h, h, h)$), keeping its buffers: the starting cell of a
    /// Voronoi cell whose generator is at the origin. The same cell as
    /// [`Polyhedron::reset_parallelepiped`] gives, with the graph copied from a fixed table.
    ///
    /// # Errors
    /// [`VoronoiError::DegenerateBox`] when `half` is not finite or not positive.
    pub fn reset_cube(&mut self, half: f64, ids: [usize; 6]) -> Result<()> {
        if !(half.is_finite() && half > 0.0) {
            return Err(VoronoiError::DegenerateBox {
                reason: format!("cube half-width {half} must be finite and positive"),
            });
        }
        self.verts.clear();
        self.faces.clear();
        self.idx.clear();
        self.empty = false;
        // vertex (i, j, k) at index i + 2 j + 4 k
        self.verts.extend((0..8u32).map(|m| {
            let c = |b: u32| if m & b == 0 { -half } else { half };
            Vector3::new(c(1), c(2), c(4))
        }));
        self.update_radius();
        self.vstart.clear();
        self.vstart.extend((0..8).map(|m| 3 * m));
        self.vdeg.clear();
        self.vdeg.extend(std::iter::repeat_n(3, 8));
        if self.nbr.len() < 24 {
            self.nbr.resize(24, 0);
            self.nbp.resize(24, 0);
            self.nfid.resize(24, 0);
        }
        self.nbr[..24].copy_from_slice(&CUBE_NBR);
        self.nbp[..24].copy_from_slice(&CUBE_NBP);
        self.nfid[..24].copy_from_slice(&CUBE_NFID);
        self.nslot = 24;
        self.planes.clear();
        self.planes.extend((0..6).map(|f| {
            let mut normal = Vector3::zeros();
            normal[f / 2] = if f % 2 == 0 { -1.0 } else { 1.0 };
            PlaneRec {
                normal,
                offset: half,
                id: ids[f],
                v: CUBE_FACE_START[f].0,
                k: CUBE_FACE_START[f].1,
            }
        }));
        self.live.clear();
        self.live.extend(0..6);
        Ok(())
    }

    /// Recompute `vr2` and `max_r2` from the vertices.
    fn update_radius(&mut self) {
        self.vr2.clear();
        self.vr2.extend(self.verts.iter().map(|v| v.norm_squared()));
        self.max_r2 = max_of(&self.vr2);
    }

    /// The tolerance $\tau = 10^{-10} R$ used to classify vertices against planes (module
    /// documentation).
    pub fn tolerance(&self) -> f64 {
        RELATIVE_TOLERANCE * self.max_r2.sqrt()
    }

    /// Keep the part of the cell in the half-space $n \cdot x \le d$ (`normal` $= n$, need not
    /// be a unit vector; `offset` $= d$ in the same scaling). When the plane cuts the cell,
    /// it becomes a face with id `id`. For the Voronoi bisector of a generator at the origin
    /// and a neighbour at $r$, use $n = r$, $d = |r|^2 / 2$.
    ///
    /// # Errors
    /// [`VoronoiError::InvalidPlane`] when `normal` is zero or not finite or `offset` is not
    /// finite; the cell is then unchanged.
    pub fn clip(&mut self, normal: &Vector3<f64>, offset: f64, id: usize) -> Result<Clip> {
        let nn = normal.norm();
        if !nn.is_finite() || !offset.is_finite() {
            return Err(VoronoiError::InvalidPlane {
                normal: [normal.x, normal.y, normal.z],
                offset,
                reason: "normal and offset must be finite",
            });
        }
        if nn <= 0.0 {
            return Err(VoronoiError::InvalidPlane {
                normal: [normal.x, normal.y, normal.z],
                offset,
                reason: "normal must be nonzero",
            });
        }
        if self.empty {
            return Ok(Clip::Emptied);
        }
        let n = normal / nn;
        let d = offset / nn;
        let r = self.max_r2.sqrt();
        let tol = RELATIVE_TOLERANCE * r;
        // Every vertex has |x| <= R, so n.x <= R < d - tol puts none outside.
        if d > r + tol {
            return Ok(Clip::Unchanged);
        }
        self.clip_unit(&n, d, tol, id)
    }

    /// The clip by a unit-normal plane: the graph cut, or the polygon clip when a vertex next
    /// to the removed ones lies on the plane within `tol`.
    fn clip_unit(&mut self, n: &Vector3<f64>, d: f64, tol: f64, id: usize) -> Result<Clip> {
        if let Some(c) = self.graph_cut(n, d, tol, id) {
            return Ok(c);
        }
        self.polys_from_graph();
        let c = self.polygon_clip(n, d, tol, id);
        if c == Clip::Cut {
            self.update_radius();
            self.graph_from_polys()?;
        }
        Ok(c)
    }

    fn make_empty(&mut self) {
        self.verts.clear();
        self.vstart.clear();
        self.vdeg.clear();
        self.nbr.clear();
        self.nfid.clear();
        self.nbp.clear();
        self.nslot = 0;
        self.planes.clear();
        self.live.clear();
        self.faces.clear();
        self.idx.clear();
        self.max_r2 = 0.0;
        self.vr2.clear();
        self.empty = true;
    }

    /// Whether a clip has removed the whole cell.
    pub fn is_empty(&self) -> bool {
        self.empty
    }

    /// The vertices (each vertex once).
    pub fn vertices(&self) -> &[Vector3<f64>] {
        &self.verts
    }

    /// Number of faces.
    pub fn n_faces(&self) -> usize {
        self.live.len()
    }

    /// The id of face `k` (`k < n_faces()`), without computing its geometry.
    pub fn face_id(&self, k: usize) -> usize {
        self.planes[self.live[k] as usize].id
    }

    /// The ids of all faces, in face order.
    pub fn face_ids(&self) -> impl Iterator<Item = usize> + '_ {
        self.live.iter().map(|&f| self.planes[f as usize].id)
    }

    /// The vertex polygon of face `k`, counter-clockwise seen from outside.
    pub fn face_polygon(&self, k: usize) -> impl Iterator<Item = &Vector3<f64>> + '_ {
        self.face_walk(k).map(|(a, _)| &self.verts[a as usize])
    }

    /// Area of face `k`, $\frac12 \hat n \cdot \sum_k (v_k - v_0) \times (v_{k+1} - v_0)$.
    pub fn face_area(&self, k: usize) -> f64 {
        let n = self.planes[self.live[k] as usize].normal;
        let mut w = self.face_walk(k).map(|(a, _)| self.verts[a as usize]);
        let (Some(v0), Some(mut v1)) = (w.next(), w.next()) else {
            return 0.0;
        };
        let mut area = 0.0;
        for v2 in w {
            area += (v1 - v0).cross(&(v2 - v0)).dot(&n);
            v1 = v2;
        }
        (0.5 * area).max(0.0)
    }

    fn face_area_centroid(&self, k: usize) -> (f64, Vector3<f64>) {
        let n = self.planes[self.live[k] as usize].normal;
        let mut w = self.face_walk(k).map(|(a, _)| self.verts[a as usize]);
        let (Some(v0), Some(mut v1)) = (w.next(), w.next()) else {
            return (0.0, Vector3::zeros());
        };
        let mut area = 0.0;
        let mut c = Vector3::zeros();
        let mut mean = v0 + v1;
        let mut count = 2.0;
        for v2 in w {
            let a = 0.5 * (v1 - v0).cross(&(v2 - v0)).dot(&n);
            area += a;
            c += (v0 + v1 + v2) * (a / 3.0);
            mean += v2;
            count += 1.0;
            v1 = v2;
        }
        if area > 0.0 {
            (area, c / area)
        } else {
            // A (numerically) zero-area face: the vertex mean stands in for the centroid.
            (area.max(0.0), mean / count)
        }
    }

    /// Face `k` with its geometry (area, unit normal, centroid, polygon).
    pub fn face(&self, k: usize) -> Face {
        let f = self.planes[self.live[k] as usize];
        let (area, centroid) = self.face_area_centroid(k);
        Face {
            id: f.id,
            area,
            normal: f.normal,
            offset: f.offset,
            centroid,
            vertices: self.face_polygon(k).copied().collect(),
        }
    }

    /// Every face with its geometry.
    pub fn faces(&self) -> Vec<Face> {
        (0..self.live.len()).map(|k| self.face(k)).collect()
    }

    /// Total surface area (sum of the face areas).
    pub fn surface_area(&self) -> f64 {
        (0..self.live.len()).map(|k| self.face_area(k)).sum()
    }

    /// Volume, from the pyramids joining a reference vertex $p$ (the first vertex) to every
    /// face: $V = \frac13 \sum_f (d_f - \hat n_f \cdot p)\, A_f$ with $A_f$ the face area and
    /// $\hat n_f \cdot x = d_f$ its plane. Zero for an empty cell.
    pub fn volume(&self) -> f64 {
        self.volume_and_face_areas(&mut Vec::new())
    }

    /// The volume (as [`Polyhedron::volume`]) and, in `areas` (cleared first), the area of every
    /// face in face order (as [`Polyhedron::face_area`]), from one walk around each face.
    ///
    /// With $A_f = \frac12 \hat n_f \cdot \sum_k (v_k - v_0) \times (v_{k+1} - v_0)$ the area of
    /// face $f$ (plane $\hat n_f \cdot x = d_f$), the volume is the sum of the pyramids from the
    /// reference vertex $p$ (the first vertex), $V = \frac13 \sum_f (d_f - \hat n_f \cdot p)\, A_f$
    /// (the same cell volume as the tetrahedra of [`Polyhedron::volume`], to rounding).
    pub fn volume_and_face_areas(&self, areas: &mut Vec<f64>) -> f64 {
        areas.clear();
        let Some(&p) = self.verts.first() else {
            return 0.0;
        };
        let nv = self.verts.len();
        let (verts, vstart, vdeg) = (&self.verts[..], &self.vstart[..nv], &self.vdeg[..nv]);
        let (nbr, nbp) = (&self.nbr[..self.nslot], &self.nbp[..self.nslot]);
        let mut vol = 0.0;
        for &f in &self.live {
            let pl = &self.planes[f as usize];
            let (v0, k0) = (pl.v, pl.k);
            let x0 = verts[v0 as usize];
            // The walk of `FaceWalk`: after the edge a -> b (a the j-th neighbour of b)
            // comes b -> nbr(b, j - 1).
            let slot = (vstart[v0 as usize] + k0) as usize;
            let mut b = nbr[slot] as usize;
            let mut j = nbp[slot];
            let mut x1 = verts[b] - x0;
            let mut twice_area = Vector3::zeros();
            for _ in 0..nbr.len() {
                let q = if j == 0 { vdeg[b] - 1 } else { j - 1 };
                let slot = (vstart[b] + q) as usize;
                let c = nbr[slot];
                if c == v0 {
                    break;
                }
                let x2 = verts[c as usize] - x0;
                twice_area += x1.cross(&x2);
                x1 = x2;
                j = nbp[slot];
                b = c as usize;
            }
            let area = 0.5 * twice_area.dot(&pl.normal);
            vol += (pl.offset - pl.normal.dot(&p)) * area;
            areas.push(area.max(0.0));
        }
        vol / 3.0
    }

    /// Largest squared distance of a vertex from the origin, $\max_v |v|^2$ (0 for an empty
    /// cell). With the generator at the origin, a neighbour farther than
    /// $2 \sqrt{\max_v |v|^2}$ cannot cut the cell (its bisector lies beyond every vertex):
    /// the "security radius" that ends a search over neighbours sorted by distance.
    pub fn max_radius_sq(&self) -> f64 {
        self.max_r2
    }

    /// Largest squared distance of a vertex from a point $p$.
    pub fn max_radius_sq_from(&self, p: &Vector3<f64>) -> f64 {
        self.verts
            .iter()
            .map(|v| (v - p).norm_squared())
            .fold(0.0, f64::max)
    }

    /// The edges, each once, as pairs of vertex indices into [`Polyhedron::vertices`].
    pub fn edges(&self) -> Vec<(usize, usize)> {
        let mut e = Vec::new();
        for v in 0..self.verts.len() {
            let s = self.vstart[v] as usize;
            for &w in &self.nbr[s..s + self.vdeg[v] as usize] {
                if (w as usize) > v {
                    e.push((v, w as usize));
                }
            }
        }
        e.sort_unstable();
        e
    }

    /// The lengths of the edges of face `k`, in polygon order (edge $v_j v_{j+1}$).
    pub fn face_edge_lengths(&self, k: usize) -> impl Iterator<Item = f64> + '_ {
        self.face_walk(k)
            .map(|(a, b)| (self.verts[b as usize] - self.verts[a as usize]).norm())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng, SeedableRng};
    use rand_pcg::Pcg64;

    const IDS: [usize; 6] = [100, 101, 102, 103, 104, 105];

    fn cube(h: f64) -> Polyhedron {
        Polyhedron::cuboid(&Vector3::from_element(-h), &Vector3::from_element(h), IDS).unwrap()
    }

    /// Closure and consistency checks that hold for every convex polyhedron:
    /// $\sum_f A_f \hat n_f = 0$, $V = \frac13 \sum_f A_f (\hat n_f \cdot c_f)$, Euler
    /// $V - E + F = 2$, every vertex inside every face plane, faces planar.
    fn check_invariants(p: &Polyhedron) {
        if p.is_empty() {
            assert_eq!((p.n_faces(), p.vertices().len()), (0, 0));
            return;
        }
        let faces = p.faces();
        let scale = p.max_radius_sq().sqrt().max(1.0);
        let closure: Vector3<f64> = faces.iter().map(|f| f.normal * f.area).sum();
        assert!(
            closure.norm() < 1e-11 * scale * scale,
            "closure {closure:?}"
        );
        let v_div: f64 = faces
            .iter()
            .map(|f| f.area * f.normal.dot(&f.centroid))
            .sum::<f64>()
            / 3.0;
        assert!((v_div - p.volume()).abs() < 1e-11 * scale.powi(3));
        let e = p.edges().len();
        assert_eq!(p.vertices().len() + faces.len(), e + 2, "Euler");
        for f in &faces {
            assert!(f.area > 0.0);
            for v in &f.vertices {
                assert!((f.normal.dot(v) - f.offset).abs() < 1e-9 * scale);
            }
            for g in &faces {
                for v in &f.vertices {
                    assert!(g.normal.dot(v) - g.offset < 1e-9 * scale);
                }
            }
        }
    }

    #[test]
    fn cube_table_matches_parallelepiped() {
        for h in [0.5, 1.0, 3.7] {
            let p = cube(h);
            let mut q = Polyhedron::default();
            q.reset_cube(h, IDS).unwrap();
            assert_eq!(p.verts, q.verts);
            assert_eq!((&p.vstart, &p.vdeg), (&q.vstart, &q.vdeg));
            assert_eq!((&p.nbr, &p.nbp, &p.nfid), (&q.nbr, &q.nbp, &q.nfid));
            assert_eq!(p.live, q.live);
            assert_eq!(p.max_r2, q.max_r2);
            assert_eq!(p.planes.len(), q.planes.len());
            for (a, b) in p.planes.iter().zip(&q.planes) {
                assert_eq!(
                    (a.normal, a.offset, a.id, a.v, a.k),
                    (b.normal, b.offset, b.id, b.v, b.k)
                );
            }
        }
        assert!(Polyhedron::default().reset_cube(0.0, IDS).is_err());
        assert!(Polyhedron::default().reset_cube(f64::NAN, IDS).is_err());
    }

    #[test]
    fn cube_geometry() {
        let p = cube(1.0);
        assert_eq!(p.n_faces(), 6);
        assert!((p.volume() - 8.0).abs() < 1e-14);
        assert!((p.surface_area() - 24.0).abs() < 1e-13);
        assert!((p.max_radius_sq() - 3.0).abs() < 1e-14);
        let mut ids: Vec<usize> = p.face_ids().collect();
        ids.sort_unstable();
        assert_eq!(ids, IDS.to_vec());
        for f in p.faces() {
            assert!((f.area - 4.0).abs() < 1e-14);
            assert!((f.normal.dot(&f.centroid) - 1.0).abs() < 1e-14);
        }
        check_invariants(&p);
    }

    #[test]
    fn left_handed_and_skew_parallelepiped() {
        let edges = [
            Vector3::new(2.0, 0.0, 0.0),
            Vector3::new(0.0, 0.0, 3.0),
            Vector3::new(0.5, 1.5, 0.2),
        ];
        let det: f64 = edges[0].dot(&edges[1].cross(&edges[2]));
        let p = Polyhedron::parallelepiped(&Vector3::new(-1.0, -1.0, -1.0), &edges, IDS).unwrap();
        assert!((p.volume() - det.abs()).abs() < 1e-13);
        check_invariants(&p);
    }

    #[test]
    fn degenerate_boxes_and_planes_are_errors() {
        let flat = [Vector3::x(), Vector3::y(), Vector3::x() + Vector3::y()];
        assert!(Polyhedron::parallelepiped(&Vector3::zeros(), &flat, IDS).is_err());
        let nan = [Vector3::x(), Vector3::y(), Vector3::new(0.0, 0.0, f64::NAN)];
        assert!(Polyhedron::parallelepiped(&Vector3::zeros(), &nan, IDS).is_err());
        assert!(Polyhedron::cuboid(&Vector3::zeros(), &Vector3::new(1.0, 0.0, 1.0), IDS).is_err());
        let mut p = cube(1.0);
        assert!(p.clip(&Vector3::zeros(), 0.0, 1).is_err());
        assert!(p.clip(&Vector3::x(), f64::NAN, 1).is_err());
        assert!(p
            .clip(&Vector3::new(f64::INFINITY, 0.0, 0.0), 0.0, 1)
            .is_err());
        assert!((p.volume() - 8.0).abs() < 1e-14);
    }

    #[test]
    fn clip_outcomes() {
        let mut p = cube(1.0);
        assert_eq!(p.clip(&Vector3::x(), 1.0, 7).unwrap(), Clip::Unchanged);
        assert_eq!(p.clip(&Vector3::x(), 5.0, 7).unwrap(), Clip::Unchanged);
        // Touching along an edge / at a vertex: no face.
        assert_eq!(
            p.clip(&Vector3::new(1.0, 1.0, 0.0), 2.0, 8).unwrap(),
            Clip::Unchanged
        );
        assert_eq!(
            p.clip(&Vector3::new(1.0, 1.0, 1.0), 3.0, 9).unwrap(),
            Clip::Unchanged
        );
        assert_eq!(p.n_faces(), 6);
        assert_eq!(p.clip(&Vector3::x(), 0.0, 7).unwrap(), Clip::Cut);
        assert!((p.volume() - 4.0).abs() < 1e-14);
        assert_eq!(p.n_faces(), 6);
        assert!(p.face_ids().any(|i| i == 7));
        assert!(!p.face_ids().any(|i| i == 101));
        check_invariants(&p);
        // x >= 0 leaves only the face x = 0 (on the plane): the cell is empty.
        assert_eq!(p.clip(&(-Vector3::x()), 0.0, 3).unwrap(), Clip::Emptied);
        assert!(p.is_empty());
        assert_eq!(p.volume(), 0.0);
        assert_eq!(p.n_faces(), 0);
        assert_eq!(p.clip(&Vector3::y(), 0.0, 3).unwrap(), Clip::Emptied);
    }

    #[test]
    fn corner_cut_is_a_triangle() {
        let mut p = cube(1.0);
        // Plane x + y + z = 2 cuts the corner (1,1,1): tetrahedron of legs 1 removed.
        assert_eq!(
            p.clip(&Vector3::new(1.0, 1.0, 1.0), 2.0, 9).unwrap(),
            Clip::Cut
        );
        assert!((p.volume() - (8.0 - 1.0 / 6.0)).abs() < 1e-14);
        assert_eq!(p.n_faces(), 7);
        let tri = p.faces().into_iter().find(|f| f.id == 9).unwrap();
        assert_eq!(tri.vertices.len(), 3);
        assert!((tri.area - 3f64.sqrt() / 2.0).abs() < 1e-14);
        assert!((tri.centroid - Vector3::from_element(2.0 / 3.0)).norm() < 1e-14);
        check_invariants(&p);
        // x + y + z <= 1 passes exactly through three cube vertices (on the plane, kept) and
        // removes the earlier triangle: the remaining volume is 8 (1 - P(U1+U2+U3 > 2)) =
        // 8 (1 - 1/6), the new face the triangle of side 2 sqrt 2.
        assert_eq!(
            p.clip(&Vector3::new(1.0, 1.0, 1.0), 1.0, 10).unwrap(),
            Clip::Cut
        );
        assert!((p.volume() - 20.0 / 3.0).abs() < 1e-14);
        assert_eq!(p.n_faces(), 7);
        assert!(!p.face_ids().any(|i| i == 9));
        let tri = p.faces().into_iter().find(|f| f.id == 10).unwrap();
        assert_eq!(tri.vertices.len(), 3);
        assert!((tri.area - 2.0 * 3f64.sqrt()).abs() < 1e-14);
        assert_eq!(p.vertices().len(), 7);
        check_invariants(&p);
    }

    /// A plane and its complement split the volume exactly: $V(P) + V(\bar P) = V$.
    #[test]
    fn complementary_cuts_add_up() {
        let mut rng = Pcg64::seed_from_u64(11);
        for _ in 0..200 {
            let mut base = cube(1.0);
            for _ in 0..6 {
                let n = Vector3::new(
                    rng.gen_range(-1.0..1.0),
                    rng.gen_range(-1.0..1.0),
                    rng.gen_range(-1.0..1.0),
                );
                base.clip(&n, rng.gen_range(0.3..1.0) * n.norm(), 1)
                    .unwrap();
            }
            let n = Vector3::new(
                rng.gen_range(-1.0..1.0),
                rng.gen_range(-1.0..1.0),
                rng.gen_range(-1.0..1.0),
            );
            let d = rng.gen_range(-0.3..0.3);
            let (mut a, mut b) = (base.clone(), base.clone());
            a.clip(&n, d, 2).unwrap();
            b.clip(&(-n), -d, 3).unwrap();
            assert!((a.volume() + b.volume() - base.volume()).abs() < 1e-13);
            let fa = a.faces().into_iter().find(|f| f.id == 2);
            let fb = b.faces().into_iter().find(|f| f.id == 3);
            if let (Some(fa), Some(fb)) = (fa, fb) {
                assert!((fa.area - fb.area).abs() < 1e-13);
            }
            check_invariants(&base);
            check_invariants(&a);
            check_invariants(&b);
        }
    }

    /// The graph cut and the face-polygon clip (its fallback) give the same cells.
    #[test]
    fn graph_cut_matches_polygon_clip() {
        let mut rng = Pcg64::seed_from_u64(14);
        for _ in 0..50 {
            let (mut g, mut q) = (cube(1.0), cube(1.0));
            for k in 0..25 {
                let n = Vector3::new(
                    rng.gen_range(-1.0..1.0),
                    rng.gen_range(-1.0..1.0),
                    rng.gen_range(-1.0..1.0),
                );
                let d = rng.gen_range(0.2..1.0) * n.norm();
                let cg = g.clip(&n, d, k).unwrap();
                // The polygon clip alone, on the same unit-normal plane and tolerance.
                let (nu, du) = (n / n.norm(), d / n.norm());
                let tol = q.tolerance();
                q.polys_from_graph();
                let cq = if du > q.max_radius_sq().sqrt() + tol {
                    Clip::Unchanged
                } else {
                    q.polygon_clip(&nu, du, tol, k)
                };
                if cq == Clip::Cut {
                    q.graph_from_polys().unwrap();
                }
                assert_eq!(cg, cq);
                assert!((g.volume() - q.volume()).abs() < 1e-13);
                let mut a: Vec<usize> = g.face_ids().collect();
                let mut b: Vec<usize> = q.face_ids().collect();
                a.sort_unstable();
                b.sort_unstable();
                assert_eq!(a, b);
            }
            check_invariants(&g);
        }
    }

    /// The cell does not depend on the order of the cuts.
    #[test]
    fn order_independent() {
        let mut rng = Pcg64::seed_from_u64(12);
        let planes: Vec<(Vector3<f64>, f64)> = (0..40)
            .map(|_| {
                let n = Vector3::new(
                    rng.gen_range(-1.0..1.0),
                    rng.gen_range(-1.0..1.0),
                    rng.gen_range(-1.0..1.0),
                );
                (n, rng.gen_range(0.5..1.2) * n.norm())
            })
            .collect();
        let mut p1 = cube(2.0);
        for (k, (n, d)) in planes.iter().enumerate() {
            p1.clip(n, *d, k).unwrap();
        }
        let mut p2 = cube(2.0);
        for (k, (n, d)) in planes.iter().enumerate().rev() {
            p2.clip(n, *d, k).unwrap();
        }
        assert!((p1.volume() - p2.volume()).abs() < 1e-13);
        let mut a: Vec<usize> = p1.face_ids().collect();
        let mut b: Vec<usize> = p2.face_ids().collect();
        a.sort_unstable();
        b.sort_unstable();
        assert_eq!(a, b);
        check_invariants(&p1);
    }

    fn lattice_cell(basis: &[Vector3<f64>], a: f64, order: &mut Pcg64) -> Polyhedron {
        let mut pts = Vec::new();
        for i in -3i32..=3 {
            for j in -3i32..=3 {
                for k in -3i32..=3 {
                    for b in basis {
                        let r = (Vector3::new(i as f64, j as f64, k as f64) + b) * a;
                        if r.norm() > 1e-9 {
                            pts.push(r);
                        }
                    }
                }
            }
        }
        // Random order: the result must not depend on it.
        for k in (1..pts.len()).rev() {
            pts.swap(k, order.gen_range(0..=k));
        }
        let mut p = cube(3.0 * a);
        for (k, r) in pts.iter().enumerate() {
            p.clip(r, 0.5 * r.norm_squared(), k).unwrap();
        }
        p
    }

    /// Perfect bcc: truncated octahedron, $V = a^3/2$, 8 hexagons of area
    /// $\frac{3\sqrt3}{2}\ell^2$ and 6 squares of area $\ell^2$ with edge $\ell = a\sqrt2/4$.
    #[test]
    fn perfect_bcc_is_a_truncated_octahedron() {
        let a = 2.8553;
        let mut rng = Pcg64::seed_from_u64(3);
        for _ in 0..3 {
            let p = lattice_cell(&[Vector3::zeros(), Vector3::from_element(0.5)], a, &mut rng);
            assert_eq!(p.n_faces(), 14);
            assert!((p.volume() - a * a * a / 2.0).abs() < 1e-12 * a * a * a);
            let l2 = a * a / 8.0;
            let mut hex = 0;
            let mut sq = 0;
            for f in p.faces() {
                if f.vertices.len() == 6 {
                    hex += 1;
                    assert!((f.area - 1.5 * 3f64.sqrt() * l2).abs() < 1e-12 * a * a);
                } else {
                    assert_eq!(f.vertices.len(), 4);
                    sq += 1;
                    assert!((f.area - l2).abs() < 1e-12 * a * a);
                }
            }
            assert_eq!((hex, sq), (8, 6));
            assert_eq!(p.vertices().len(), 24);
            check_invariants(&p);
        }
    }

    /// Perfect fcc: rhombic dodecahedron, $V = a^3/4$, 12 faces; the 6 second neighbours'
    /// planes only touch the 4-fold vertices and make no face.
    #[test]
    fn perfect_fcc_is_a_rhombic_dodecahedron() {
        let a = 3.52;
        let basis = [
            Vector3::zeros(),
            Vector3::new(0.5, 0.5, 0.0),
            Vector3::new(0.5, 0.0, 0.5),
            Vector3::new(0.0, 0.5, 0.5),
        ];
        let mut rng = Pcg64::seed_from_u64(4);
        for _ in 0..3 {
            let p = lattice_cell(&basis, a, &mut rng);
            assert_eq!(p.n_faces(), 12);
            assert_eq!(p.vertices().len(), 14);
            assert!((p.volume() - a * a * a / 4.0).abs() < 1e-12 * a * a * a);
            for f in p.faces() {
                assert_eq!(f.vertices.len(), 4);
                // rhombus with diagonals a/sqrt2 and a/2... area = a^2 sqrt2 / 8
                assert!((f.area - a * a * 2f64.sqrt() / 8.0).abs() < 1e-12 * a * a);
            }
            check_invariants(&p);
        }
    }

    /// Perfect simple cubic: the cube; the <110> and <111> planes touch edges and vertices.
    #[test]
    fn perfect_simple_cubic_is_a_cube() {
        let a = 2.0;
        let mut rng = Pcg64::seed_from_u64(5);
        let p = lattice_cell(&[Vector3::zeros()], a, &mut rng);
        assert_eq!(p.n_faces(), 6);
        assert_eq!(p.vertices().len(), 8);
        assert!((p.volume() - a * a * a).abs() < 1e-12);
        check_invariants(&p);
    }

    /// Random cells: every vertex is where three or more planes meet, and points sampled in
    /// the starting box are inside the cell exactly when they satisfy every plane.
    #[test]
    fn membership_matches_planes() {
        let mut rng = Pcg64::seed_from_u64(13);
        let planes: Vec<(Vector3<f64>, f64)> = (0..30)
            .map(|_| {
                let n = Vector3::new(
                    rng.gen_range(-1.0..1.0),
                    rng.gen_range(-1.0..1.0),
                    rng.gen_range(-1.0..1.0),
                );
                (n, rng.gen_range(0.4..1.0) * n.norm())
            })
            .collect();
        let mut p = cube(1.0);
        for (k, (n, d)) in planes.iter().enumerate() {
            p.clip(n, *d, k).unwrap();
        }
        check_invariants(&p);
        // Monte Carlo volume against the exact one (4 sigma).
        let m = 200_000;
        let mut hits = 0;
        for _ in 0..m {
            let x = Vector3::new(
                rng.gen_range(-1.0..1.0),
                rng.gen_range(-1.0..1.0),
                rng.gen_range(-1.0..1.0),
            );
            if planes.iter().all(|(n, d)| n.dot(&x) <= *d) {
                hits += 1;
            }
        }
        let f = p.volume() / 8.0;
        let est = hits as f64 / m as f64;
        let sigma = (f * (1.0 - f) / m as f64).sqrt();
        assert!((est - f).abs() < 4.0 * sigma, "{est} vs {f}");
    }
}
