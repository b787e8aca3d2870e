//! The robust face-polygon clip (Sutherland-Hodgman on every face polygon), the fallback
//! of the graph cut whenever a vertex lies on the cutting plane within the tolerance.

use nalgebra::Vector3;

use super::{Clip, FaceRec, Polyhedron, IN, ON, OUT};

impl Polyhedron {
    /// Clip the face polygons (`faces`, `idx`, which must describe the cell) by the unit-normal
    /// plane $\hat n \cdot x \le d$ with tolerance `tol`. On [`Clip::Cut`] the polygons hold
    /// the new cell (the caller rebuilds the graph from them); on [`Clip::Emptied`] everything
    /// is cleared.
    pub(super) fn polygon_clip(&mut self, n: &Vector3<f64>, d: f64, tol: f64, id: usize) -> Clip {
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
            return Clip::Unchanged;
        }
        if n_in == 0 {
            self.make_empty();
            return Clip::Emptied;
        }
        self.cut();
        self.new_faces_push_plane(n, d, id);
        self.compact(self.plane_pts.len() >= 3);
        Clip::Cut
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
