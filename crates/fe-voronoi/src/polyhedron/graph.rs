//! The vertex-edge graph of a [`Polyhedron`]: the plane cut on the graph, walks around faces,
//! and the conversions to and from face polygons (for the fallback clip).
//!
//! # The graph
//!
//! Vertex $v$ has its neighbours $w_0, \dots, w_{m-1}$ in counter-clockwise order seen from
//! outside the cell, and for each edge $v \to w_k$ the face whose counter-clockwise boundary
//! (seen from outside) runs along it: the face between the edges $k$ and $k+1$, which passes
//! $w_{k+1} \to v \to w_k$. Walking a face: after the directed edge $a \to b$, where $a$ is
//! the $p$-th neighbour of $b$, comes $b \to w_{p-1}(b)$.
//!
//! # The cut
//!
//! With $s(v) = \hat n \cdot v - d$ and the tolerance $\tau$ of the module documentation:
//!
//! 1. Evaluate $s$ on every vertex (one pass over a few dozen points, cheaper than walking
//!    the graph uphill from one vertex) and list the vertices outside ($s > \tau$): none
//!    means the plane does not cut, all means the cell is gone.
//! 2. Each edge from an outside vertex $u$ to an inside one $w$ ($s < -\tau$) is cut at
//!    $x = w + (u - w)\, s_w / (s_w - s_u)$; the cut edge is remembered in a table indexed by
//!    the edge slot. A neighbour on the plane ($|s| \le \tau$) ends the graph cut: the
//!    polygon clip does it.
//! 3. For each cut edge, walk the face on its kept side ($w \to u \to \dots$) through outside
//!    vertices to the next cut edge: that is the next vertex of the new face. The new
//!    vertices must form one cycle (otherwise the polygon clip does the cut).
//! 4. The new vertex $x$ on edge $(w, u)$ has neighbours $(w, x_{\rm prev}, x_{\rm next})$
//!    with faces (the face of $u \to w$, the new face, the face of $w \to u$); $w$ points to
//!    $x$ where it pointed to $u$. The outside vertices are dropped: the kept vertices
//!    numbered past the new count move into their places (no general renumbering).
//!
//! The cut works on plain slices of the buffers and appends its edge slots to buffers that
//! only grow, so a cut allocates nothing once a cell or two have been built.

use nalgebra::Vector3;

use super::{Boundary, Clip, PlaneRec, Polyhedron};
use crate::error::{Result, VoronoiError};

/// A walk around one face: yields its directed edges `(a, b)` counter-clockwise.
pub(super) struct FaceWalk<'a> {
    p: &'a Polyhedron,
    start: (u32, u32),
    cur: (u32, u32),
    left: usize,
}

impl Iterator for FaceWalk<'_> {
    type Item = (u32, u32);

    fn next(&mut self) -> Option<(u32, u32)> {
        if self.left == 0 {
            return None;
        }
        let (v, k) = self.cur;
        let slot = (self.p.vstart[v as usize] + k) as usize;
        let w = self.p.nbr[slot];
        let next = (w, self.p.prev_slot(w, self.p.nbp[slot]));
        self.left = if next == self.start { 0 } else { self.left - 1 };
        self.cur = next;
        Some((v, w))
    }
}

impl Polyhedron {
    /// Slot of `a` in the neighbour list of `b`.
    #[inline]
    fn position(&self, b: u32, a: u32) -> Option<u32> {
        let s = self.vstart[b as usize] as usize;
        let d = self.vdeg[b as usize] as usize;
        self.nbr[s..s + d]
            .iter()
            .position(|&x| x == a)
            .map(|p| p as u32)
    }

    /// The slot before `k` at vertex `b` (cyclically).
    #[inline]
    fn prev_slot(&self, b: u32, k: u32) -> u32 {
        if k == 0 {
            self.vdeg[b as usize] - 1
        } else {
            k - 1
        }
    }

    /// The walk around face `k` (index into the faces of the cell).
    pub(super) fn face_walk(&self, k: usize) -> FaceWalk<'_> {
        let f = self.planes[self.live[k] as usize];
        FaceWalk {
            p: self,
            start: (f.v, f.k),
            cur: (f.v, f.k),
            left: self.nslot,
        }
    }

    /// The cut of the module documentation by $\hat n \cdot x \le d$ (unit $\hat n$); `None`
    /// when it meets a vertex on the plane or an inconsistent graph (the cell is then
    /// untouched and the caller clips the polygons).
    pub(super) fn graph_cut(
        &mut self,
        n: &Vector3<f64>,
        d: f64,
        tol: f64,
        id: usize,
    ) -> Option<Clip> {
        let nv = self.verts.len();
        if nv == 0 {
            return None;
        }
        if self.sval.len() < nv {
            self.sval.resize(nv, 0.0);
        }
        if self.bidx.len() < self.nslot {
            self.bidx.resize(self.nslot, 0);
        }
        // Steps 1-3 only read the graph: plain slices, so that the buffers' addresses and
        // lengths stay in registers.
        let nslot = self.nslot;
        let verts = &self.verts[..nv];
        let vr2 = &self.vr2[..nv];
        let vstart = &self.vstart[..nv];
        let vdeg = &self.vdeg[..nv];
        let nbr = &self.nbr[..nslot];
        let nbp = &self.nbp[..nslot];
        let sval = &mut self.sval[..nv];
        let bidx = &mut self.bidx[..nslot];
        let outl = &mut self.outl;
        let bnd = &mut self.bnd;
        // 1. s on every vertex (one pass over a few dozen points costs less than walking the
        // graph uphill), and the vertices outside, in increasing index order.
        outl.clear();
        for (i, (s, x)) in sval.iter_mut().zip(verts).enumerate() {
            let v = n.dot(x) - d;
            *s = v;
            if v > tol {
                outl.push(i as u32);
            }
        }
        let nout = outl.len();
        if nout == 0 {
            return Some(Clip::Unchanged);
        }
        if nout == nv {
            self.make_empty();
            return Some(Clip::Emptied);
        }
        // 2. The cut edges, from each outside vertex to each inside neighbour.
        bnd.clear();
        let mut out_r2 = 0.0f64;
        for &u in outl.iter() {
            let ui = u as usize;
            let s0 = vstart[ui] as usize;
            let deg = vdeg[ui] as usize;
            let su = sval[ui];
            let xu = verts[ui];
            out_r2 = out_r2.max(vr2[ui]);
            for (k, (&w, &pw)) in nbr[s0..s0 + deg].iter().zip(&nbp[s0..s0 + deg]).enumerate() {
                let sw = sval[w as usize];
                if sw > tol {
                    continue;
                }
                if sw >= -tol {
                    return None;
                }
                bidx[s0 + k] = bnd.len() as u32;
                let xw = verts[w as usize];
                bnd.push(Boundary {
                    u,
                    k: k as u32,
                    w,
                    pw,
                    x: xw + (xu - xw) * (sw / (sw - su)),
                    next: 0,
                    prev: 0,
                });
            }
        }
        let nb = bnd.len();
        if nb < 3 {
            return None;
        }
        // 3. The order of the new vertices around the new face: from each cut edge walk the
        // face on its kept side through outside vertices to the next cut edge.
        for e in bnd.iter_mut() {
            let (mut b, mut p) = (e.u as usize, e.k);
            let mut steps = 0;
            e.next = loop {
                let q = if p == 0 { vdeg[b] - 1 } else { p - 1 };
                let slot = (vstart[b] + q) as usize;
                let c = nbr[slot] as usize;
                if sval[c] > tol {
                    p = nbp[slot];
                    b = c;
                    steps += 1;
                    if steps > nslot {
                        return None;
                    }
                } else {
                    // c is strictly inside (checked in step 2), so this slot is a cut edge.
                    break bidx[slot];
                }
            };
        }
        let (mut j, mut count) = (0usize, 0usize);
        loop {
            let nx = bnd[j].next as usize;
            if nx >= nb {
                return None;
            }
            bnd[nx].prev = j as u32;
            j = nx;
            count += 1;
            if j == 0 || count > nb {
                break;
            }
        }
        if j != 0 || count != nb {
            return None;
        }
        // 4. New vertices and links.
        let base = nv as u32;
        let np = self.planes.len() as u32;
        let slot0 = nslot;
        let slots = slot0 + 3 * nb;
        if self.nbr.len() < slots {
            let len = 2 * slots;
            self.nbr.resize(len, 0);
            self.nbp.resize(len, 0);
            self.nfid.resize(len, 0);
        }
        self.nslot = slots;
        self.verts.reserve(nb);
        self.vr2.reserve(nb);
        self.vstart.reserve(nb);
        self.vdeg.reserve(nb);
        {
            let nbr = &mut self.nbr[..slots];
            let nbp = &mut self.nbp[..slots];
            let nfid = &mut self.nfid[..slots];
            let planes = &mut self.planes[..];
            for (i, b) in self.bnd.iter().enumerate() {
                let xi = base + i as u32;
                let t = slot0 + 3 * i;
                self.verts.push(b.x);
                self.vr2.push(b.x.norm_squared());
                self.vstart.push(t as u32);
                self.vdeg.push(3);
                let sw = (self.vstart[b.w as usize] + b.pw) as usize;
                let fid_a = nfid[sw];
                let fid_b = nfid[(self.vstart[b.u as usize] + b.k) as usize];
                nbr[sw] = xi;
                nbp[sw] = 0;
                nbr[t..t + 3].copy_from_slice(&[b.w, base + b.prev, base + b.next]);
                nbp[t..t + 3].copy_from_slice(&[b.pw, 2, 1]);
                nfid[t..t + 3].copy_from_slice(&[fid_b, np, fid_a]);
                let a = &mut planes[fid_a as usize];
                a.v = xi;
                a.k = 2;
            }
        }
        self.planes.push(PlaneRec {
            normal: *n,
            offset: d,
            id,
            v: base,
            k: 1,
        });
        // Faces whose walk started at a removed vertex and got no new edge are gone.
        let sval = &self.sval[..nv];
        let planes = &self.planes[..];
        let live = &mut self.live[..];
        let mut kept = 0;
        for j in 0..live.len() {
            let f = live[j];
            let v = planes[f as usize].v as usize;
            if v >= nv || sval[v] <= tol {
                live[kept] = f;
                kept += 1;
            }
        }
        self.live.truncate(kept);
        self.live.push(np);
        // 5. Drop the outside vertices: the kept ones numbered past the new count move into
        // their places (the outside vertices below the new count, a prefix of `outl`); their
        // neighbours are found through the back pointers, and a face that starts at a moved
        // vertex starts on one of its edges.
        let total = nv + nb;
        let newlen = total - nout;
        {
            let verts = &mut self.verts[..total];
            let vr2 = &mut self.vr2[..total];
            let vstart = &mut self.vstart[..total];
            let vdeg = &mut self.vdeg[..total];
            let nbr = &mut self.nbr[..slots];
            let nbp = &self.nbp[..slots];
            let nfid = &self.nfid[..slots];
            let planes = &mut self.planes[..];
            let mut holes = self.outl.iter();
            for m in newlen..total {
                if m < nv && sval[m] > tol {
                    continue;
                }
                let h = *holes.next()?;
                let hu = h as usize;
                verts[hu] = verts[m];
                vr2[hu] = vr2[m];
                let (s, deg) = (vstart[m], vdeg[m]);
                vstart[hu] = s;
                vdeg[hu] = deg;
                let r = s as usize..(s + deg) as usize;
                for (slot, (&p, &f)) in r.clone().zip(nbp[r].iter().zip(&nfid[s as usize..])) {
                    let pl = &mut planes[f as usize];
                    if pl.v as usize == m {
                        pl.v = h;
                    }
                    let xs = (vstart[nbr[slot] as usize] + p) as usize;
                    nbr[xs] = h;
                }
            }
        }
        self.verts.truncate(newlen);
        self.vstart.truncate(newlen);
        self.vdeg.truncate(newlen);
        self.vr2.truncate(newlen);
        // The new vertices lie on edges of the old cell, so no farther out than its old
        // vertices: the largest radius only changes when a removed vertex had it.
        if out_r2 >= self.max_r2 {
            self.max_r2 = super::max_of(&self.vr2);
        }
        Some(Clip::Cut)
    }

    /// The graph of the parallelepiped whose polygons `reset_parallelepiped` just made:
    /// vertex $m = i + 2j + 4k$ at $o + i a + j b + k c$, face $2 r + s$ the one at $s_r = s$.
    /// `right_handed` when $a \cdot (b \times c) > 0$.
    pub(super) fn graph_parallelepiped(&mut self, right_handed: bool) {
        self.vstart.clear();
        self.vdeg.clear();
        self.nbr.clear();
        self.nbp.clear();
        self.nfid.clear();
        self.planes.clear();
        self.live.clear();
        for f in &self.faces {
            self.planes.push(PlaneRec {
                normal: f.normal,
                offset: f.offset,
                id: f.id,
                v: 0,
                k: 0,
            });
        }
        for m in 0..8u32 {
            // Counter-clockwise seen from outside: axes (0, 1, 2) at the corner (1, 1, 1) of a
            // right-handed box; each mirror (a zero bit, or left-handed edges) reverses it.
            let zeros = 3 - m.count_ones();
            let axes: [u32; 3] = if right_handed == (zeros % 2 == 0) {
                [0, 1, 2]
            } else {
                [0, 2, 1]
            };
            self.vstart.push(3 * m);
            self.vdeg.push(3);
            for k in 0..3 {
                let (p, q) = (axes[k], axes[(k + 1) % 3]);
                let r = 3 - p - q;
                let w = m ^ (1 << p);
                self.nbr.push(w);
                let f = 2 * r + ((m >> r) & 1);
                self.nfid.push(f);
                let pl = &mut self.planes[f as usize];
                pl.v = m;
                pl.k = k as u32;
            }
        }
        for slot in 0..24 {
            let (v, w) = (slot as u32 / 3, self.nbr[slot]);
            // w lists its neighbour v along the same axis; find its slot.
            let ws = 3 * w as usize;
            let p = (0..3).find(|&j| self.nbr[ws + j] == v).unwrap_or(0);
            self.nbp.push(p as u32);
        }
        self.nslot = self.nbr.len();
        self.live.extend(0..6);
    }

    /// Fill the face polygons (`faces`, `idx`) from the graph.
    pub(super) fn polys_from_graph(&mut self) {
        let mut idx = std::mem::take(&mut self.idx);
        let mut faces = std::mem::take(&mut self.faces);
        idx.clear();
        faces.clear();
        for k in 0..self.live.len() {
            let start = idx.len() as u32;
            idx.extend(self.face_walk(k).map(|(a, _)| a));
            let f = self.planes[self.live[k] as usize];
            faces.push(super::FaceRec {
                normal: f.normal,
                offset: f.offset,
                id: f.id,
                start,
                len: idx.len() as u32 - start,
            });
        }
        self.idx = idx;
        self.faces = faces;
    }

    /// Build the graph from the face polygons (`faces`, `idx`, counter-clockwise seen from
    /// outside, every vertex referenced).
    ///
    /// # Errors
    /// [`VoronoiError::InvalidInput`] when the polygons do not close around every vertex (a
    /// vertex in fewer than 3 faces, or its faces not one fan).
    pub(super) fn graph_from_polys(&mut self) -> Result<()> {
        let nv = self.verts.len();
        self.vdeg.clear();
        self.vdeg.resize(nv, 0);
        for &i in &self.idx {
            self.vdeg[i as usize] += 1;
        }
        self.vstart.clear();
        let mut total = 0u32;
        for &m in &self.vdeg {
            self.vstart.push(total);
            total += m;
        }
        // At v in face f (... p -> v -> q ...): the edge v -> q belongs to f and is followed,
        // counter-clockwise around v, by the edge v -> p.
        // `nbr` holds q, `remap` p and `nfid` f, per vertex in arbitrary order first.
        self.nbr.clear();
        self.nbr.resize(total as usize, 0);
        self.nfid.clear();
        self.nfid.resize(total as usize, 0);
        self.remap.clear();
        self.remap.resize(total as usize, 0);
        self.stack.clear();
        self.stack.resize(nv, 0);
        self.planes.clear();
        self.live.clear();
        for (f, rec) in self.faces.iter().enumerate() {
            let ids = &self.idx[rec.start as usize..(rec.start + rec.len) as usize];
            let len = ids.len();
            for j in 0..len {
                let (p, v, q) = (ids[(j + len - 1) % len], ids[j], ids[(j + 1) % len]);
                let slot = (self.vstart[v as usize] + self.stack[v as usize]) as usize;
                self.stack[v as usize] += 1;
                self.nbr[slot] = q;
                self.remap[slot] = p;
                self.nfid[slot] = f as u32;
            }
            self.planes.push(PlaneRec {
                normal: rec.normal,
                offset: rec.offset,
                id: rec.id,
                v: ids[0],
                k: 0,
            });
            self.live.push(f as u32);
        }
        // Order each vertex's edges: after the edge to q comes the edge to p.
        for v in 0..nv {
            let s = self.vstart[v] as usize;
            let m = self.vdeg[v] as usize;
            let bad = || {
                VoronoiError::InvalidInput(format!(
                    "degenerate cell: vertex {v} is not surrounded by one fan of faces"
                ))
            };
            if m < 3 {
                return Err(bad());
            }
            for k in 0..m - 1 {
                let want = self.remap[s + k];
                let j = (k + 1..m)
                    .find(|&j| self.nbr[s + j] == want)
                    .ok_or_else(bad)?;
                self.nbr.swap(s + k + 1, s + j);
                self.remap.swap(s + k + 1, s + j);
                self.nfid.swap(s + k + 1, s + j);
            }
            if self.remap[s + m - 1] != self.nbr[s] {
                return Err(bad());
            }
        }
        // Back pointers: where each edge's far end lists the near one.
        self.nbp.clear();
        self.nbp.resize(total as usize, 0);
        self.nslot = total as usize;
        for v in 0..nv {
            let s = self.vstart[v] as usize;
            for slot in s..s + self.vdeg[v] as usize {
                let w = self.nbr[slot];
                self.nbp[slot] = self.position(w, v as u32).ok_or_else(|| {
                    VoronoiError::InvalidInput("degenerate cell: an edge is one-sided".into())
                })?;
            }
        }
        // Each face starts at its first vertex, on the edge to its second.
        for f in 0..self.planes.len() {
            let rec = self.faces[f];
            let v = self.idx[rec.start as usize];
            let q = self.idx[(rec.start + 1) as usize];
            self.planes[f].k = self.position(v, q).ok_or_else(|| {
                VoronoiError::InvalidInput("degenerate cell: a face edge is missing".into())
            })?;
        }
        Ok(())
    }
}
