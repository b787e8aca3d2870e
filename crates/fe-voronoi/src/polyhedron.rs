//! The convex-polyhedron kernel: a cell that starts as a parallelepiped and is cut by
//! half-spaces, as every Voronoi cell of the crate (atoms and grains) is built.
//!
//! A [`Polyhedron`] holds its vertices and, for every face, the plane that made it (unit
//! outward normal $\hat n$, offset $d$ with $\hat n \cdot x = d$ on the face), the caller's id of
//! what generated the plane, and the face's vertex polygon, ordered counter-clockwise seen
//! from outside (along $+\hat n$). [`Polyhedron::clip`] keeps the part of the cell in the
//! half-space $n \cdot x \le d$.
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

/// Face record: plane, id and a slice of the shared vertex-index buffer.
#[derive(Debug, Clone, Copy)]
struct FaceRec {
    normal: Vector3<f64>,
    offset: f64,
    id: usize,
    start: u32,
    len: u32,
}

/// A convex polyhedron built from a parallelepiped by half-space clipping.
///
/// The struct keeps scratch buffers so that [`Polyhedron::reset_parallelepiped`] followed by
/// many [`Polyhedron::clip`] calls allocates nothing once the buffers have grown; one
/// polyhedron per thread is the intended use in hot loops.
#[derive(Debug, Clone, Default)]
pub struct Polyhedron {
    verts: Vec<Vector3<f64>>,
    faces: Vec<FaceRec>,
    idx: Vec<u32>,
    /// Largest squared vertex distance from the origin.
    max_r2: f64,
    empty: bool,
    // scratch
    dist: Vec<f64>,
    class: Vec<u8>,
    remap: Vec<u32>,
    new_faces: Vec<FaceRec>,
    new_idx: Vec<u32>,
    edge_cache: Vec<(u32, u32, u32)>,
    segments: Vec<(u32, u32)>,
    chain_ok: bool,
    plane_pts: Vec<(f64, u32)>,
}

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
        Ok(())
    }

    fn update_radius(&mut self) {
        self.max_r2 = self
            .verts
            .iter()
            .map(|v| v.norm_squared())
            .fold(0.0, f64::max);
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
        self.dist.clear();
        self.class.clear();
        let mut n_out = 0usize;
        let mut n_in = 0usize;
        for v in &self.verts {
            let s = n.dot(v) - d;
            let c = if s > tol {
                n_out += 1;
                OUT
            } else if s < -tol {
                n_in += 1;
                IN
            } else {
                ON
            };
            self.dist.push(s);
            self.class.push(c);
        }
        if n_out == 0 {
            return Ok(Clip::Unchanged);
        }
        if n_in == 0 {
            self.verts.clear();
            self.faces.clear();
            self.idx.clear();
            self.max_r2 = 0.0;
            self.empty = true;
            return Ok(Clip::Emptied);
        }
        self.cut();
        self.new_faces_push_plane(&n, d, id);
        self.compact(self.plane_pts.len() >= 3);
        Ok(Clip::Cut)
    }

    /// Clip every face polygon (Sutherland-Hodgman) against the classified vertices;
    /// intersection vertices are appended to `verts`, shared by the two faces of their edge;
    /// the vertices on the plane are gathered in `plane_pts`.
    fn cut(&mut self) {
        self.new_faces.clear();
        self.new_idx.clear();
        self.edge_cache.clear();
        self.plane_pts.clear();
        self.segments.clear();
        self.chain_ok = true;
        for f in 0..self.faces.len() {
            let rec = self.faces[f];
            let (s0, len) = (rec.start as usize, rec.len as usize);
            let ids = &self.idx[s0..s0 + len];
            let mut any_out = false;
            let mut any_in = false;
            for &a in ids {
                match self.class[a as usize] {
                    OUT => any_out = true,
                    IN => any_in = true,
                    _ => {
                        if !self.plane_pts.iter().any(|p| p.1 == a) {
                            self.plane_pts.push((0.0, a));
                        }
                    }
                }
            }
            if !any_in {
                continue;
            }
            let start = self.new_idx.len();
            if !any_out {
                // An edge of an untouched face lying in the plane is an edge of the new
                // face, traversed the other way.
                if self.plane_pts.len() >= 2 {
                    let mut a = ids[len - 1];
                    for &b in ids {
                        if self.class[a as usize] == ON && self.class[b as usize] == ON {
                            self.segments.push((b, a));
                        }
                        a = b;
                    }
                }
                self.new_idx.extend_from_slice(ids);
                self.new_faces.push(FaceRec {
                    start: start as u32,
                    ..rec
                });
                continue;
            }
            let mut a = ids[len - 1];
            let mut ca = self.class[a as usize];
            // Where the polygon leaves the kept side and comes back, on the plane.
            let (mut exit, mut entry) = (None, None);
            for k in 0..len {
                let b = self.idx[s0 + k];
                let cb = self.class[b as usize];
                // Edge a -> b: emit the intersection when it crosses strictly, then b.
                if (ca == IN && cb == OUT) || (ca == OUT && cb == IN) {
                    let key = if a < b { (a, b) } else { (b, a) };
                    let m = match self
                        .edge_cache
                        .iter()
                        .find(|e| e.0 == key.0 && e.1 == key.1)
                    {
                        Some(e) => e.2,
                        None => {
                            // From the inside end, so both faces of the edge get the same point:
                            // x = v_in + (v_out - v_in) s_in / (s_in - s_out).
                            let (i, o) = if ca == IN { (a, b) } else { (b, a) };
                            let (si, so) = (self.dist[i as usize], self.dist[o as usize]);
                            let (vi, vo) = (self.verts[i as usize], self.verts[o as usize]);
                            let x = vi + (vo - vi) * (si / (si - so));
                            let m = self.verts.len() as u32;
                            self.verts.push(x);
                            self.edge_cache.push((key.0, key.1, m));
                            self.plane_pts.push((0.0, m));
                            m
                        }
                    };
                    self.new_idx.push(m);
                    if ca == IN {
                        self.chain_ok &= exit.replace(m).is_none();
                    } else {
                        self.chain_ok &= entry.replace(m).is_none();
                    }
                } else if ca == ON && cb == OUT {
                    self.chain_ok &= exit.replace(a).is_none();
                } else if ca == OUT && cb == ON {
                    self.chain_ok &= entry.replace(b).is_none();
                }
                if cb != OUT {
                    self.new_idx.push(b);
                }
                a = b;
                ca = cb;
            }
            match (entry, exit) {
                (Some(en), Some(ex)) if en != ex => self.segments.push((en, ex)),
                _ => self.chain_ok = false,
            }
            let new_len = self.new_idx.len() - start;
            if new_len >= 3 {
                self.new_faces.push(FaceRec {
                    start: start as u32,
                    len: new_len as u32,
                    ..rec
                });
            } else {
                self.new_idx.truncate(start);
            }
        }
    }

    /// The new face: every vertex on the plane, sorted by angle around their mean.
    fn new_faces_push_plane(&mut self, n: &Vector3<f64>, d: f64, id: usize) {
        if self.plane_pts.len() < 3 {
            return;
        }
        let start = self.new_idx.len() as u32;
        if !(self.chain_ok && self.chain()) {
            let mean = self
                .plane_pts
                .iter()
                .fold(Vector3::zeros(), |acc, p| acc + self.verts[p.1 as usize])
                / self.plane_pts.len() as f64;
            let (e1, e2) = plane_basis(n);
            for p in self.plane_pts.iter_mut() {
                let q = self.verts[p.1 as usize] - mean;
                p.0 = pseudo_angle(q.dot(&e1), q.dot(&e2));
            }
            self.plane_pts.sort_unstable_by(|x, y| x.0.total_cmp(&y.0));
            for p in &self.plane_pts {
                self.new_idx.push(p.1);
            }
        }
        self.new_faces.push(FaceRec {
            normal: *n,
            offset: d,
            id,
            start,
            len: self.plane_pts.len() as u32,
        });
    }

    /// The new face from the segments that the clipped faces left on the plane (each one
    /// `(from, to)` along the new face's counter-clockwise order): pushes its vertices and
    /// returns true when they form one cycle through every vertex on the plane; false otherwise (the
    /// caller then sorts by angle).
    fn chain(&mut self) -> bool {
        let k = self.segments.len();
        if k < 3 || k != self.plane_pts.len() {
            return false;
        }
        let start = self.new_idx.len();
        let first = self.segments[0].0;
        let mut cur = first;
        for _ in 0..k {
            self.new_idx.push(cur);
            match self.segments.iter().find(|s| s.0 == cur) {
                Some(s) => cur = s.1,
                None => break,
            }
        }
        let n = self.new_idx.len() - start;
        // One closed cycle through k distinct vertices.
        let ok = n == k && cur == first && {
            let cyc = &self.new_idx[start..];
            (0..k).all(|i| !cyc[i + 1..].contains(&cyc[i]))
        };
        if !ok {
            self.new_idx.truncate(start);
        }
        ok
    }

    /// Drop the vertices outside (and any left unreferenced), renumber, and swap the new
    /// faces in.
    ///
    /// With `by_class`, the vertices kept are those not outside and the new ones (every one is
    /// referenced once the new face holds all vertices on the plane); otherwise the vertices
    /// the new faces reference.
    fn compact(&mut self, by_class: bool) {
        self.remap.clear();
        if by_class {
            self.remap.extend(
                self.class
                    .iter()
                    .map(|&c| if c == OUT { u32::MAX } else { 0 }),
            );
            self.remap.resize(self.verts.len(), 0);
        } else {
            self.remap.resize(self.verts.len(), u32::MAX);
            for &i in &self.new_idx {
                self.remap[i as usize] = 0;
            }
        }
        let mut w = 0usize;
        let mut r2max = 0.0f64;
        for r in 0..self.verts.len() {
            if self.remap[r] == 0 {
                self.remap[r] = w as u32;
                let v = self.verts[r];
                r2max = r2max.max(v.norm_squared());
                self.verts[w] = v;
                w += 1;
            }
        }
        self.verts.truncate(w);
        self.idx.clear();
        for &i in &self.new_idx {
            self.idx.push(self.remap[i as usize]);
        }
        std::mem::swap(&mut self.faces, &mut self.new_faces);
        self.max_r2 = r2max;
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
        self.faces.len()
    }

    /// The id of face `k` (`k < n_faces()`), without computing its geometry.
    pub fn face_id(&self, k: usize) -> usize {
        self.faces[k].id
    }

    /// The ids of all faces, in face order.
    pub fn face_ids(&self) -> impl Iterator<Item = usize> + '_ {
        self.faces.iter().map(|f| f.id)
    }

    /// The vertex polygon of face `k`, counter-clockwise seen from outside.
    pub fn face_polygon(&self, k: usize) -> impl Iterator<Item = &Vector3<f64>> + '_ {
        let f = self.faces[k];
        self.idx[f.start as usize..(f.start + f.len) as usize]
            .iter()
            .map(move |&i| &self.verts[i as usize])
    }

    /// Area of face `k`, $\frac12 \hat n \cdot \sum_k (v_k - v_0) \times (v_{k+1} - v_0)$.
    pub fn face_area(&self, k: usize) -> f64 {
        let (area, _) = self.face_area_centroid(k);
        area
    }

    fn face_area_centroid(&self, k: usize) -> (f64, Vector3<f64>) {
        let f = self.faces[k];
        let ids = &self.idx[f.start as usize..(f.start + f.len) as usize];
        let v0 = self.verts[ids[0] as usize];
        let mut area = 0.0;
        let mut c = Vector3::zeros();
        for w in ids[1..].windows(2) {
            let (v1, v2) = (self.verts[w[0] as usize], self.verts[w[1] as usize]);
            let a = 0.5 * (v1 - v0).cross(&(v2 - v0)).dot(&f.normal);
            area += a;
            c += (v0 + v1 + v2) * (a / 3.0);
        }
        if area > 0.0 {
            (area, c / area)
        } else {
            // A (numerically) zero-area face: the vertex mean stands in for the centroid.
            let mean = ids
                .iter()
                .fold(Vector3::zeros(), |acc, &i| acc + self.verts[i as usize])
                / ids.len() as f64;
            (area.max(0.0), mean)
        }
    }

    /// Face `k` with its geometry (area, unit normal, centroid, polygon).
    pub fn face(&self, k: usize) -> Face {
        let f = self.faces[k];
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
        (0..self.faces.len()).map(|k| self.face(k)).collect()
    }

    /// Total surface area (sum of the face areas).
    pub fn surface_area(&self) -> f64 {
        (0..self.faces.len()).map(|k| self.face_area(k)).sum()
    }

    /// Volume, from the tetrahedra joining a reference vertex $p$ to every fan triangle
    /// $(v_0, v_k, v_{k+1})$ of every face:
    /// $V = \frac16 \sum (v_0 - p) \cdot \left[(v_k - p) \times (v_{k+1} - p)\right]$.
    /// Zero for an empty cell.
    pub fn volume(&self) -> f64 {
        let Some(&p) = self.verts.first() else {
            return 0.0;
        };
        let mut vol = 0.0;
        for f in &self.faces {
            let ids = &self.idx[f.start as usize..(f.start + f.len) as usize];
            let v0 = self.verts[ids[0] as usize] - p;
            for w in ids[1..].windows(2) {
                let v1 = self.verts[w[0] as usize] - p;
                let v2 = self.verts[w[1] as usize] - p;
                vol += v0.dot(&v1.cross(&v2));
            }
        }
        vol / 6.0
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
    /// An edge is a pair of consecutive vertices of a face polygon.
    pub fn edges(&self) -> Vec<(usize, usize)> {
        let mut e = Vec::new();
        for f in &self.faces {
            let ids = &self.idx[f.start as usize..(f.start + f.len) as usize];
            for k in 0..ids.len() {
                let (a, b) = (ids[k] as usize, ids[(k + 1) % ids.len()] as usize);
                e.push((a.min(b), a.max(b)));
            }
        }
        e.sort_unstable();
        e.dedup();
        e
    }

    /// The lengths of the edges of face `k`, in polygon order (edge $v_j v_{j+1}$).
    pub fn face_edge_lengths(&self, k: usize) -> impl Iterator<Item = f64> + '_ {
        let f = self.faces[k];
        let ids = &self.idx[f.start as usize..(f.start + f.len) as usize];
        (0..ids.len()).map(move |j| {
            (self.verts[ids[(j + 1) % ids.len()] as usize] - self.verts[ids[j] as usize]).norm()
        })
    }
}

/// An orthonormal pair $(e_1, e_2)$ with $e_1 \times e_2 = \hat n$.
fn plane_basis(n: &Vector3<f64>) -> (Vector3<f64>, Vector3<f64>) {
    let a = n.abs();
    let axis = if a.x <= a.y && a.x <= a.z {
        Vector3::x()
    } else if a.y <= a.z {
        Vector3::y()
    } else {
        Vector3::z()
    };
    let e1 = n.cross(&axis).normalize();
    let e2 = n.cross(&e1);
    (e1, e2)
}

/// A monotonic stand-in for `atan2(y, x)` on $[0, 4)$ (the "diamond angle").
fn pseudo_angle(x: f64, y: f64) -> f64 {
    let s = x.abs() + y.abs();
    if s == 0.0 {
        return 0.0;
    }
    let (x, y) = (x / s, y / s);
    if y >= 0.0 {
        if x >= 0.0 {
            y
        } else {
            1.0 - x
        }
    } else if x < 0.0 {
        2.0 - y
    } else {
        3.0 + x
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

    #[test]
    fn pseudo_angle_is_monotonic() {
        let mut last = -1.0;
        for k in 0..720 {
            let t = k as f64 * std::f64::consts::PI / 360.0;
            let p = pseudo_angle(t.cos(), t.sin());
            assert!(p > last);
            last = p;
        }
    }
}
