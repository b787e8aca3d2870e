//! Per-atom Voronoi tessellation of a [`Structure`] in a periodic triclinic box, or a box with
//! open axes.
//!
//! The cell of atom $i$ is the set of points closer to $r_i$ than to any other atom image
//! $r_j + S H$ ($S$ an integer shift along periodic axes), and, along open axes, inside the
//! box walls $0 \le s_k \le 1$ (fractional coordinates). Each cell is a [`Polyhedron`] with the
//! atom at the origin, clipped by the bisector planes
//! $$ d \cdot x \le |d|^2 / 2, \qquad d = r_j + S H - r_i, $$
//! taken in order of increasing $|d|$. A neighbour with $|d| > 2 R$, where $R$ is the largest
//! distance of a vertex of the current cell from the atom, cannot cut the cell any more (its
//! plane lies beyond every vertex), so the search stops there. Candidates come from one full
//! [`NeighborList`] at $r_c = 1.6\, v^{1/3}$ ($v$ the volume per atom); a cell that is not
//! closed within $r_c / 2$ (a surface, a void) is redone with a [`PointLocator`] at the radius
//! that the first pass proves sufficient, so the result is exact for every atom. The cost is
//! linear in the atoms; atoms run in parallel (rayon) in fixed chunks and the output does not
//! depend on the number of threads.
//!
//! Faces: every face the [`Polyhedron`] kernel makes is counted, however small (zero-area
//! contacts of perfect lattices make no face: see the kernel's documentation; perfect bcc has
//! 14 faces and volume $a^3/2$). [`VoronoiOptions::face_area_threshold`] drops faces whose
//! area is not above an absolute threshold (as OVITO's and LAMMPS' face threshold); the
//! volume always is the whole cell's. [`VoronoiOptions::edge_length_threshold`] drops edges
//! not longer than a threshold from each face's edge count [`AtomFace::n_edges`].
//!
//! Positions are used as given (never wrapped). Along an open axis every atom must lie inside
//! the box ($0 \le s_k \le 1$), otherwise the walls would not bound its cell: that is an error.
//! Two atoms at the same place (or an atom on its own periodic image) are an error.
//!
//! ```
//! use fe_structure::{build::bcc, Element};
//! use fe_voronoi::{voronoi_atoms, VoronoiOptions};
//! // Perfect bcc: every cell is a truncated octahedron of volume a^3 / 2 with 14 faces.
//! let a = 2.8553;
//! let s = bcc(Element::FE, a).unwrap().replicate(2, 2, 2).unwrap();
//! let v = voronoi_atoms(&s, &VoronoiOptions::default()).unwrap();
//! assert!(v.volumes().iter().all(|&x| (x - a * a * a / 2.0).abs() < 1e-12));
//! assert!(v.n_faces().iter().all(|&f| f == 14));
//! ```

use std::sync::atomic::{AtomicUsize, Ordering};

use fe_neighbors::{ListKind, NeighborList, PointLocator};
use fe_structure::Structure;
use nalgebra::Vector3;
use rayon::prelude::*;

use crate::error::{Result, VoronoiError};
use crate::polyhedron::Polyhedron;

/// The neighbour id of a face on a box wall (open axes): no atom.
/// [`AtomFace::shift`] then says which wall: $\pm 1$ on the wall's axis ($-1$ for $s_k = 0$,
/// $+1$ for $s_k = 1$), 0 elsewhere.
pub const WALL: usize = usize::MAX;

/// Candidate search radius in units of $v^{1/3}$.
const CUTOFF_FACTOR: f64 = 1.6;
/// Atoms per parallel work unit.
const CHUNK: usize = 256;
/// Face ids of the starting cube and of the walls (above every candidate index).
const CUBE_ID: usize = usize::MAX;
const WALL_ID0: usize = usize::MAX - 8;

/// Options of [`voronoi_atoms`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct VoronoiOptions {
    /// Faces with area $\le$ this (Angstrom^2, absolute) are dropped from the face counts and
    /// face lists; 0 (the default) keeps every face.
    pub face_area_threshold: f64,
    /// Edges with length $\le$ this (Angstrom) are not counted in [`AtomFace::n_edges`];
    /// 0 (the default) counts every edge.
    pub edge_length_threshold: f64,
    /// Keep every face (neighbour, shift, area, edges); otherwise only volumes, face counts
    /// and smallest face areas are stored.
    pub store_faces: bool,
}

impl Default for VoronoiOptions {
    fn default() -> Self {
        VoronoiOptions {
            face_area_threshold: 0.0,
            edge_length_threshold: 0.0,
            store_faces: true,
        }
    }
}

/// One face of an atom's Voronoi cell.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AtomFace {
    /// The atom across the face, or [`WALL`].
    pub neighbor: usize,
    /// Image shift $S$ of the neighbour (the face bisects $r_i$ and $r_j + S H$); for a wall,
    /// the wall's direction (see [`WALL`]).
    pub shift: [i32; 3],
    /// Face area (Angstrom^2).
    pub area: f64,
    /// Number of edges longer than [`VoronoiOptions::edge_length_threshold`].
    pub n_edges: u32,
}

/// The per-atom Voronoi tessellation (atom order of the structure).
#[derive(Debug, Clone, Default)]
pub struct AtomVoronoi {
    volumes: Vec<f64>,
    n_faces: Vec<u32>,
    min_face_area: Vec<f64>,
    offsets: Vec<usize>,
    faces: Vec<AtomFace>,
}

impl AtomVoronoi {
    /// Cell volumes (Angstrom^3).
    pub fn volumes(&self) -> &[f64] {
        &self.volumes
    }

    /// Number of faces of every cell (above the face-area threshold).
    pub fn n_faces(&self) -> &[u32] {
        &self.n_faces
    }

    /// The smallest counted face area of every cell (Angstrom^2; infinite for a cell with no
    /// counted face).
    pub fn min_face_area(&self) -> &[f64] {
        &self.min_face_area
    }

    /// The faces of atom `i` (empty unless [`VoronoiOptions::store_faces`]).
    ///
    /// # Panics
    /// If `i` is not an atom index.
    pub fn faces_of(&self, i: usize) -> &[AtomFace] {
        if self.offsets.is_empty() {
            return &[];
        }
        &self.faces[self.offsets[i]..self.offsets[i + 1]]
    }

    /// Sum of the cell volumes (Angstrom^3).
    pub fn total_volume(&self) -> f64 {
        self.volumes.iter().sum()
    }

    /// Number of atoms.
    pub fn len(&self) -> usize {
        self.volumes.len()
    }

    /// Whether there are no atoms.
    pub fn is_empty(&self) -> bool {
        self.volumes.is_empty()
    }
}

/// Per-atom Voronoi cells of `structure` (module documentation).
///
/// # Errors
/// [`VoronoiError::InvalidInput`] for negative or non-finite thresholds, an atom outside the
/// box along an open axis, or two coincident atom images; neighbour-search errors pass through.
pub fn voronoi_atoms(structure: &Structure, options: &VoronoiOptions) -> Result<AtomVoronoi> {
    voronoi_atoms_with_progress(structure, options, &|_| {})
}

/// [`voronoi_atoms`], calling `progress(done)` with the number of atoms finished so far
/// after every chunk of atoms (from any thread).
///
/// # Errors
/// As [`voronoi_atoms`].
pub fn voronoi_atoms_with_progress(
    structure: &Structure,
    options: &VoronoiOptions,
    progress: &(dyn Fn(usize) + Sync),
) -> Result<AtomVoronoi> {
    for (what, v) in [
        ("face area threshold", options.face_area_threshold),
        ("edge length threshold", options.edge_length_threshold),
    ] {
        if !(v.is_finite() && v >= 0.0) {
            return Err(VoronoiError::InvalidInput(format!(
                "{what} must be finite and non-negative, got {v}"
            )));
        }
    }
    let n = structure.len();
    if n == 0 {
        return Ok(AtomVoronoi {
            offsets: if options.store_faces { vec![0] } else { vec![] },
            ..AtomVoronoi::default()
        });
    }
    let walls = Walls::new(structure)?;
    // Volume per atom of the region the atoms occupy (along open axes, the span of their
    // fractional coordinates), so a cluster in a large vacuum box gets a short candidate list;
    // cells reaching into the vacuum are finished by the exact fallback below.
    let occupied: f64 = walls.span.iter().map(|&x| x.max(1e-3)).product();
    let v_atom = structure.cell().volume() * occupied / n as f64;
    let rc = CUTOFF_FACTOR * v_atom.cbrt();
    let list = NeighborList::new(structure, rc, ListKind::Full)?;
    let ctx = Context {
        structure,
        options,
        walls: &walls,
    };
    let done = AtomicUsize::new(0);
    let chunks: Vec<Result<ChunkOut>> = (0..n.div_ceil(CHUNK))
        .into_par_iter()
        .map_init(Worker::default, |w, c| {
            let range = c * CHUNK..((c + 1) * CHUNK).min(n);
            let out = ctx.chunk_from_list(w, &list, range.clone());
            progress(done.fetch_add(range.len(), Ordering::Relaxed) + range.len());
            out
        })
        .collect();
    drop(list);
    let chunks = chunks.into_iter().collect::<Result<Vec<ChunkOut>>>()?;
    // Cells not closed within the list's reach: redo them with a locator at the radius the
    // first pass proved sufficient (or twice the old one while the cell was still open).
    let mut pending: Vec<(usize, f64)> = chunks
        .iter()
        .flat_map(|c| c.pending.iter().copied())
        .collect();
    let mut redone: Vec<(usize, CellOut)> = Vec::new();
    while !pending.is_empty() {
        let rmax = pending.iter().map(|p| p.1).fold(0.0, f64::max);
        let locator = PointLocator::new(structure, rmax)?;
        let results: Vec<Result<(usize, Outcome)>> = pending
            .par_iter()
            .map_init(Worker::default, |w, &(i, r)| {
                Ok((i, ctx.cell_from_locator(w, &locator, i, r)?))
            })
            .collect();
        pending.clear();
        for res in results {
            match res? {
                (i, Outcome::Done(out)) => redone.push((i, out)),
                (i, Outcome::Grow(r)) => pending.push((i, r)),
            }
        }
    }
    redone.sort_unstable_by_key(|r| r.0);
    // Assemble in atom order.
    let mut result = AtomVoronoi {
        volumes: Vec::with_capacity(n),
        n_faces: Vec::with_capacity(n),
        min_face_area: Vec::with_capacity(n),
        offsets: Vec::new(),
        faces: Vec::new(),
    };
    if options.store_faces {
        result.offsets.reserve(n + 1);
        result.offsets.push(0);
        result
            .faces
            .reserve(chunks.iter().map(|c| c.faces.len()).sum());
    }
    let mut redone = redone.into_iter().peekable();
    for chunk in &chunks {
        for (a, cell) in chunk.cells.iter().enumerate() {
            let i = chunk.first + a;
            match redone.next_if(|r| r.0 == i) {
                Some((_, c)) => result.push(&c, &c.faces_owned),
                None => result.push(cell, &chunk.faces[cell.face_range.clone()]),
            }
        }
    }
    Ok(result)
}

impl AtomVoronoi {
    fn push(&mut self, cell: &CellOut, faces: &[AtomFace]) {
        self.volumes.push(cell.volume);
        self.n_faces.push(cell.n_faces);
        self.min_face_area.push(cell.min_face_area);
        if !self.offsets.is_empty() {
            self.faces.extend_from_slice(faces);
            self.offsets.push(self.faces.len());
        }
    }
}

/// The box walls along open axes, as planes $g_k \cdot r \le$ const in global coordinates.
struct Walls {
    /// (axis, gradient of s_k) for every open axis.
    open: Vec<(usize, Vector3<f64>)>,
    /// Span (max - min) of the atoms' fractional coordinate along each open axis.
    span: Vec<f64>,
}

impl Walls {
    fn new(structure: &Structure) -> Result<Walls> {
        let cell = structure.cell();
        let pbc = cell.pbc();
        let e = [Vector3::x(), Vector3::y(), Vector3::z()];
        let mut open = Vec::new();
        for (k, periodic) in pbc.into_iter().enumerate() {
            if !periodic {
                let g = Vector3::new(
                    cell.to_fractional(&e[0])[k],
                    cell.to_fractional(&e[1])[k],
                    cell.to_fractional(&e[2])[k],
                );
                open.push((k, g));
            }
        }
        let (mut lo, mut hi) = ([f64::INFINITY; 3], [f64::NEG_INFINITY; 3]);
        for (i, r) in structure.positions().iter().enumerate() {
            if !r.iter().all(|x| x.is_finite()) {
                return Err(VoronoiError::InvalidInput(format!(
                    "atom {i} has a non-finite position"
                )));
            }
            for &(k, g) in &open {
                let s = g.dot(r);
                lo[k] = lo[k].min(s);
                hi[k] = hi[k].max(s);
                if !(0.0..=1.0).contains(&s) {
                    return Err(VoronoiError::InvalidInput(format!(
                        "atom {i} lies outside the box along open axis {k} (fractional \
                         coordinate {s}); Voronoi cells along open axes are bounded by the box \
                         walls, so every atom must be inside them"
                    )));
                }
            }
        }
        let span = open
            .iter()
            .map(|&(k, _)| (hi[k] - lo[k]).max(0.0))
            .collect();
        Ok(Walls { open, span })
    }
}

/// Sort the keys in place: by insertion for a short list (the candidates of one cell, a
/// dozen or two, where it does the fewest operations), otherwise by the standard sort (long
/// lists come from the exact fallback's larger radius).
fn sort_keys(x: &mut [(u64, u32)]) {
    if x.len() > 32 {
        x.sort_unstable();
        return;
    }
    for i in 1..x.len() {
        let v = x[i];
        let mut j = i;
        while j > 0 && x[j - 1] > v {
            x[j] = x[j - 1];
            j -= 1;
        }
        x[j] = v;
    }
}

/// One candidate neighbour: bisector data and identity.
#[derive(Debug, Clone, Copy)]
struct Candidate {
    d2: f64,
    d: Vector3<f64>,
    j: usize,
    shift: [i32; 3],
}

#[derive(Debug, Default)]
struct Worker {
    cell: Polyhedron,
    cands: Vec<Candidate>,
    /// The candidates in order of increasing distance: (bits of $|d|^2$, index in `cands`).
    order: Vec<(u64, u32)>,
    areas: Vec<f64>,
}

#[derive(Debug, Clone, Default)]
struct CellOut {
    volume: f64,
    n_faces: u32,
    min_face_area: f64,
    face_range: std::ops::Range<usize>,
    faces_owned: Vec<AtomFace>,
}

enum Outcome {
    Done(CellOut),
    /// Search again within this radius.
    Grow(f64),
}

struct ChunkOut {
    first: usize,
    cells: Vec<CellOut>,
    faces: Vec<AtomFace>,
    pending: Vec<(usize, f64)>,
}

struct Context<'a> {
    structure: &'a Structure,
    options: &'a VoronoiOptions,
    walls: &'a Walls,
}

impl Context<'_> {
    fn chunk_from_list(
        &self,
        w: &mut Worker,
        list: &NeighborList,
        range: std::ops::Range<usize>,
    ) -> Result<ChunkOut> {
        let pos = self.structure.positions();
        let h = *self.structure.cell().matrix();
        let rc = list.cutoff();
        let mut out = ChunkOut {
            first: range.start,
            cells: Vec::with_capacity(range.len()),
            faces: Vec::new(),
            pending: Vec::new(),
        };
        for i in range {
            w.cands.clear();
            let nbrs = list.neighbors_of(i);
            let shifts = list.shifts_of(i);
            let ri = pos[i];
            for (&j, s) in nbrs.iter().zip(shifts) {
                // $d = r_j + S H - r_i$ (as `NeighborList::displacement`).
                let sv = Vector3::new(f64::from(s[0]), f64::from(s[1]), f64::from(s[2]));
                let d = pos[j as usize] + h.tr_mul(&sv) - ri;
                w.cands.push(Candidate {
                    d2: d.norm_squared(),
                    d,
                    j: j as usize,
                    shift: s.map(i32::from),
                });
            }
            match self.build_cell(w, i, rc)? {
                None => {
                    let start = out.faces.len();
                    let mut c = self.collect(w, &mut out.faces);
                    c.face_range = start..out.faces.len();
                    out.cells.push(c);
                }
                Some(r) => {
                    out.pending.push((i, r));
                    out.cells.push(CellOut::default());
                }
            }
        }
        Ok(out)
    }

    fn cell_from_locator(
        &self,
        w: &mut Worker,
        locator: &PointLocator<'_>,
        i: usize,
        radius: f64,
    ) -> Result<Outcome> {
        let ri = self.structure.positions()[i];
        w.cands.clear();
        for h in locator.within(&ri, radius)? {
            if h.j == i && h.shift == [0, 0, 0] {
                continue;
            }
            w.cands.push(Candidate {
                d2: h.distance * h.distance,
                d: h.vector,
                j: h.j,
                shift: h.shift,
            });
        }
        Ok(match self.build_cell(w, i, radius)? {
            None => {
                let mut faces = Vec::new();
                let mut c = self.collect(w, &mut faces);
                c.faces_owned = faces;
                Outcome::Done(c)
            }
            Some(r) => Outcome::Grow(r),
        })
    }

    /// Clip the cell of atom `i` by the candidates in `w.cands` (every atom image closer than
    /// `radius`). `None` when the cell is proven exact, otherwise the radius to search next.
    fn build_cell(&self, w: &mut Worker, i: usize, radius: f64) -> Result<Option<f64>> {
        // Sort small keys rather than the candidates (non-negative floats order as their
        // bits); the face ids stay the candidates' indices.
        w.order.clear();
        w.order.extend(
            w.cands
                .iter()
                .enumerate()
                .map(|(k, c)| (c.d2.to_bits(), k as u32)),
        );
        sort_keys(&mut w.order);
        let ri = self.structure.positions()[i];
        w.cell.reset_cube(radius, [CUBE_ID; 6])?;
        for &(k, g) in &self.walls.open {
            let s = g.dot(&ri);
            w.cell.clip(&(-g), s, WALL_ID0 + 2 * k)?;
            w.cell.clip(&g, 1.0 - s, WALL_ID0 + 2 * k + 1)?;
        }
        let mut closed = false;
        for &(_, k) in &w.order {
            let (k, c) = (k as usize, &w.cands[k as usize]);
            if c.d2 > 4.0 * w.cell.max_radius_sq() {
                closed = true;
                break;
            }
            if c.d2 == 0.0 {
                return Err(VoronoiError::InvalidInput(format!(
                    "atom {i} and atom {} (image shift {:?}) are at the same place",
                    c.j, c.shift
                )));
            }
            w.cell.clip(&c.d, 0.5 * c.d2, k)?;
        }
        let r2 = w.cell.max_radius_sq();
        if closed || 4.0 * r2 <= radius * radius {
            return Ok(None);
        }
        let bounded = !w.cell.face_ids().any(|id| id == CUBE_ID);
        let r = 2.0 * r2.sqrt();
        Ok(Some(if bounded {
            // The true cell lies inside the current one: images within 2 R are all it needs.
            r * (1.0 + 1e-9) + 1e-9
        } else {
            (2.0 * radius).max(r)
        }))
    }

    /// Volume, counted faces and (when stored) the face list of the cell in `w.cell`.
    fn collect(&self, w: &mut Worker, faces: &mut Vec<AtomFace>) -> CellOut {
        let opts = self.options;
        let p = &w.cell;
        let mut out = CellOut {
            volume: p.volume_and_face_areas(&mut w.areas),
            min_face_area: f64::INFINITY,
            ..CellOut::default()
        };
        for (f, &area) in w.areas.iter().enumerate() {
            if opts.face_area_threshold > 0.0 && area <= opts.face_area_threshold {
                continue;
            }
            out.n_faces += 1;
            out.min_face_area = out.min_face_area.min(area);
            if opts.store_faces {
                let id = p.face_id(f);
                let (neighbor, shift) = if id >= WALL_ID0 {
                    let k = (id - WALL_ID0) / 2;
                    let mut s = [0; 3];
                    if k < 3 {
                        s[k] = if (id - WALL_ID0) % 2 == 0 { -1 } else { 1 };
                    }
                    (WALL, s)
                } else {
                    let c = w.cands[id];
                    (c.j, c.shift)
                };
                let n_edges = p
                    .face_edge_lengths(f)
                    .filter(|&l| l > opts.edge_length_threshold)
                    .count() as u32;
                faces.push(AtomFace {
                    neighbor,
                    shift,
                    area,
                    n_edges,
                });
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng, SeedableRng};
    use rand_pcg::Pcg64;

    /// Short (insertion) and long (standard) key lists come out as the standard sort has them.
    #[test]
    fn sort_keys_matches_the_standard_sort() {
        let mut rng = Pcg64::seed_from_u64(21);
        for len in [0, 1, 2, 14, 32, 33, 200] {
            let mut x: Vec<(u64, u32)> = (0..len)
                .map(|k| (rng.gen_range(0.0..10.0f64).to_bits() % 50, k))
                .collect();
            let mut y = x.clone();
            sort_keys(&mut x);
            y.sort_unstable();
            assert_eq!(x, y);
        }
    }
}
