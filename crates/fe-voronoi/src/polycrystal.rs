//! The Voronoi nano-polycrystal builder (Atomsk's method, METHODS.md section 1).
//!
//! # Method
//!
//! 1. **Seeds** $\mathbf p_g$: given, or drawn uniformly in the cell ([`random_seeds`]),
//!    redrawing any seed closer than `min_seed_distance` (default 1 Angstrom) to an earlier
//!    one (minimum image).
//! 2. **Orientations** $R_g$: given, or uniform on SO(3) ([`random_rotations`], Shoemake's
//!    quaternion method). The columns of $R_g$ are the crystal axes \[100\], \[010\], \[001\] in the
//!    box frame.
//! 3. **Grains**: the periodic Voronoi cells of the seeds ([`GrainTessellation`]).
//! 4. **Filling**: grain g receives the lattice points
//!    $$ \mathbf x = \mathbf p_g + R_g\,C^\mathsf{T}(\mathbf i + \mathbf f_b), \qquad
//!    \mathbf i \in \mathbb Z^3, $$
//!    ($C$: conventional cell, rows in Angstrom; $\mathbf f_b$: basis in its fractional
//!    coordinates; lattice translation $\mathbf t_g = 0$) that lie in its cell, tested on the
//!    *unwrapped* point against every seed image $\mathbf q$ whose bisector reaches the cell:
//!    $(\mathbf x - \mathbf p_g)\cdot(\mathbf q - \mathbf p_g) < \tfrac12|\mathbf q - \mathbf
//!    p_g|^2$. A point on a bisector (within $10^{-10}|\mathbf q - \mathbf p_g|^2$) goes to the
//!    lower (grain, image shift) key, so special orientations (one grain, identity rotation)
//!    give each site exactly once. Kept points are wrapped into the cell. The scan runs row by
//!    row: for each lattice row the planes give the range of indices directly, so the work is
//!    linear in the number of atoms; rows of slabs are filled in parallel and concatenated in
//!    order (grain, then lattice indices), independent of the number of threads.
//! 5. **Close pairs**: one atom of every pair closer than `min_distance` (default 2.0
//!    Angstrom, every periodic image) is deleted by [`fe_neighbors::remove_close_pairs`]:
//!    atoms are visited in order and an atom is deleted when it is closer than `min_distance`
//!    to an earlier atom that is kept. Of a pair the *later* atom goes (the mirror of LAMMPS'
//!    `delete_atoms overlap`, which deletes the lower ID); with atoms ordered by grain, the
//!    higher grain index loses its atoms at an interface. Only atoms closer than
//!    `min_distance` to a bisector plane of their grain can have a close partner (the lattice
//!    itself has none, which is checked), so the search runs over those atoms only, with the
//!    same result as over all.
//! 6. **Output**: the structure with the per-atom integer property `grain` (0-based grain
//!    index, as in [`GrainTessellation`]), the tessellation, the rotations and the atom counts.
//!
//! # Failure modes
//!
//! - Two seeds closer than `min_seed_distance` (minimum image, coincident ones included):
//!   [`VoronoiError::SeedsTooClose`].
//! - A cell narrower than one conventional lattice cell or than `min_distance` (every atom
//!   would meet its own image): [`VoronoiError::BoxTooSmall`].
//! - A grain whose cell holds no lattice point, or whose atoms are all deleted as close
//!   pairs: [`VoronoiError::EmptyGrain`]. Such a grain would be a seed without atoms; move the
//!   seed or use fewer grains.
//! - A lattice whose own nearest-neighbour distance is below `min_distance` (the deletion
//!   would eat the grains): [`VoronoiError::InvalidInput`].

mod fill;

use std::sync::atomic::{AtomicUsize, Ordering};

use fe_structure::build::{conventional, random_rotation, stream_rng, Lattice};
use fe_structure::{Cell, Element, Property, Structure};
use nalgebra::{Matrix3, Vector3};
use rayon::prelude::*;

use crate::error::{Result, VoronoiError};
use crate::grains::GrainTessellation;
use fill::{GrainFill, LatticeCell, Slab};

/// Default minimum distance between atoms (Angstrom), Paper I's value.
pub const DEFAULT_MIN_DISTANCE: f64 = 2.0;

/// Default minimum distance between seeds (Angstrom; Atomsk aborts below 0.11 and warns below
/// 2).
pub const DEFAULT_MIN_SEED_DISTANCE: f64 = 1.0;

/// Random stream of [`random_seeds`] under the user seed ([`stream_rng`]).
pub const SEED_STREAM: u64 = 0;

/// Random stream of [`random_rotations`] under the user seed ([`stream_rng`]).
pub const ROTATION_STREAM: u64 = 1;

/// Draws per seed before [`random_seeds`] gives up.
const MAX_DRAWS_PER_SEED: usize = 10_000;

/// Largest deviation of $R^\mathsf{T}R$ from $I$ and of $\det R$ from 1 accepted for a given
/// rotation.
const ROTATION_TOLERANCE: f64 = 1e-9;

/// What to fill the grains with.
#[derive(Debug, Clone, PartialEq)]
pub struct PolycrystalSpec {
    /// The crystal lattice (default bcc).
    pub lattice: Lattice,
    /// Lattice constant a (Angstrom; default 2.8553, bcc Fe).
    pub a: f64,
    /// The element of every atom (default Fe).
    pub element: Element,
    /// One atom of every pair closer than this is deleted (Angstrom; default 2.0).
    pub min_distance: f64,
    /// Seeds closer than this are rejected (Angstrom; default 1.0).
    pub min_seed_distance: f64,
}

impl Default for PolycrystalSpec {
    fn default() -> Self {
        PolycrystalSpec {
            lattice: Lattice::Bcc,
            a: 2.8553,
            element: Element::FE,
            min_distance: DEFAULT_MIN_DISTANCE,
            min_seed_distance: DEFAULT_MIN_SEED_DISTANCE,
        }
    }
}

/// Progress of [`build_polycrystal`], reported to its callback.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum BuildStep {
    /// The grain tessellation is done.
    Tessellated,
    /// `done` of `total` slabs of lattice rows are filled (called from worker threads).
    Filling {
        /// Slabs filled so far.
        done: usize,
        /// All slabs.
        total: usize,
    },
    /// Close pairs are being deleted among `candidates` atoms near the grain boundaries.
    RemovingClosePairs {
        /// Atoms close enough to a boundary to have a close partner.
        candidates: usize,
    },
}

/// A built polycrystal.
#[derive(Debug, Clone)]
pub struct Polycrystal {
    /// The atoms, ordered by grain, with the per-atom integer property `grain`.
    pub structure: Structure,
    /// The grain tessellation of the seeds.
    pub tessellation: GrainTessellation,
    /// The rotation of each grain (columns: crystal axes in the box frame).
    pub rotations: Vec<Matrix3<f64>>,
    /// Atoms per grain after filling, before the close-pair deletion.
    pub filled_per_grain: Vec<usize>,
    /// Atoms per grain in the final structure.
    pub atoms_per_grain: Vec<usize>,
}

impl Polycrystal {
    /// Atoms deleted as close pairs.
    pub fn removed(&self) -> usize {
        self.filled_per_grain.iter().sum::<usize>() - self.structure.len()
    }
}

/// `n` seeds drawn uniformly in `cell` (fractional coordinates uniform in [0, 1)), from the
/// generator [`stream_rng`]`(seed, SEED_STREAM)` (Pcg64), three draws per attempt; an attempt
/// closer than `min_seed_distance` (Angstrom, minimum image) to an earlier seed is redrawn.
///
/// # Errors
/// [`VoronoiError::InvalidInput`] for a negative or non-finite `min_seed_distance`, or when a
/// seed cannot be placed in 10,000 draws (too many seeds for the cell at that distance).
pub fn random_seeds(
    cell: &Cell,
    n: usize,
    seed: u64,
    min_seed_distance: f64,
) -> Result<Vec<Vector3<f64>>> {
    use rand::Rng;
    if !(min_seed_distance.is_finite() && min_seed_distance >= 0.0) {
        return Err(VoronoiError::InvalidInput(format!(
            "minimum seed distance must be finite and non-negative, got {min_seed_distance} A"
        )));
    }
    let mut rng = stream_rng(seed, SEED_STREAM);
    let mut seeds: Vec<Vector3<f64>> = Vec::with_capacity(n);
    for k in 0..n {
        let mut placed = false;
        for _ in 0..MAX_DRAWS_PER_SEED {
            let s = Vector3::new(rng.gen::<f64>(), rng.gen::<f64>(), rng.gen::<f64>());
            let x = cell.to_cartesian(&s);
            if seeds
                .iter()
                .all(|p| cell.distance(p, &x) >= min_seed_distance)
            {
                seeds.push(x);
                placed = true;
                break;
            }
        }
        if !placed {
            return Err(VoronoiError::InvalidInput(format!(
                "cannot place seed {k} of {n} at least {min_seed_distance} A from the others in \
                 a cell of {:.1} A^3 ({MAX_DRAWS_PER_SEED} draws)",
                cell.volume()
            )));
        }
    }
    Ok(seeds)
}

/// `n` rotations drawn uniformly from SO(3) by
/// [`random_rotation`] (Shoemake), in turn from the
/// generator [`stream_rng`]`(seed, ROTATION_STREAM)` (Pcg64).
pub fn random_rotations(n: usize, seed: u64) -> Vec<Matrix3<f64>> {
    let mut rng = stream_rng(seed, ROTATION_STREAM);
    (0..n).map(|_| random_rotation(&mut rng)).collect()
}

/// Build the polycrystal of the grains seeded at `seeds` (Angstrom; wrapped into `cell`) with
/// the given `rotations`, as the module documentation describes. `progress` is called with
/// each [`BuildStep`] (from worker threads while filling).
///
/// ```
/// use fe_structure::Cell;
/// use fe_voronoi::polycrystal::{build_polycrystal, random_rotations, random_seeds};
/// use fe_voronoi::PolycrystalSpec;
/// let cell = Cell::cubic(30.0).unwrap();
/// let seeds = random_seeds(&cell, 3, 7, 1.0).unwrap();
/// let p = build_polycrystal(&cell, &seeds, &random_rotations(3, 7),
///                           &PolycrystalSpec::default(), &|_| {}).unwrap();
/// assert_eq!(p.atoms_per_grain.iter().sum::<usize>(), p.structure.len());
/// ```
///
/// # Errors
/// See the module documentation (failure modes); also [`VoronoiError::InvalidInput`] for
/// counts of seeds and rotations that differ, an improper rotation, an open cell axis or an
/// invalid lattice constant or distance.
pub fn build_polycrystal(
    cell: &Cell,
    seeds: &[Vector3<f64>],
    rotations: &[Matrix3<f64>],
    spec: &PolycrystalSpec,
    progress: &(dyn Fn(BuildStep) + Sync),
) -> Result<Polycrystal> {
    let lattice = check_inputs(cell, seeds, rotations, spec)?;
    let tessellation = GrainTessellation::new(cell, seeds)?;
    progress(BuildStep::Tessellated);
    let wrapped = tessellation.seeds();
    let fills: Vec<GrainFill> = tessellation
        .grains()
        .iter()
        .enumerate()
        .map(|(g, gc)| {
            GrainFill::new(
                cell,
                &wrapped,
                gc,
                g,
                &lattice,
                &rotations[g],
                spec.min_distance,
            )
        })
        .collect();
    let work: Vec<(usize, i64)> = fills
        .iter()
        .enumerate()
        .flat_map(|(g, f)| f.slabs().map(move |i0| (g, i0)))
        .collect();
    let done = AtomicUsize::new(0);
    let slabs: Vec<Slab> = work
        .par_iter()
        .map(|&(g, i0)| {
            let slab = fills[g].fill_slab(cell, i0);
            let d = done.fetch_add(1, Ordering::Relaxed) + 1;
            progress(BuildStep::Filling {
                done: d,
                total: work.len(),
            });
            slab
        })
        .collect();
    let mut filled_per_grain = vec![0usize; seeds.len()];
    for (&(g, _), s) in work.iter().zip(&slabs) {
        filled_per_grain[g] += s.positions.len();
    }
    check_filled(&tessellation, &filled_per_grain, "filling")?;
    let n: usize = filled_per_grain.iter().sum();
    let mut positions = Vec::with_capacity(n);
    let mut near = Vec::with_capacity(n);
    let mut grain_ids = Vec::with_capacity(n);
    for (&(g, _), s) in work.iter().zip(slabs) {
        grain_ids.extend(std::iter::repeat_n(g as i64, s.positions.len()));
        positions.extend(s.positions);
        near.extend(s.near);
    }
    let mut structure = Structure::new(cell.clone(), vec![spec.element; n], positions)?;
    structure.set_property(
        "grain",
        Property::Int {
            components: 1,
            values: grain_ids,
        },
    )?;
    remove_close_pairs_near(&mut structure, &near, spec.min_distance, progress)?;
    let mut atoms_per_grain = vec![0usize; seeds.len()];
    if let Some(Property::Int { values, .. }) = structure.property("grain") {
        for &g in values {
            atoms_per_grain[g as usize] += 1;
        }
    }
    check_filled(&tessellation, &atoms_per_grain, "close-pair deletion")?;
    Ok(Polycrystal {
        structure,
        tessellation,
        rotations: rotations.to_vec(),
        filled_per_grain,
        atoms_per_grain,
    })
}

/// Delete close pairs among the flagged atoms (the only ones that can have a close partner),
/// with the rule of [`fe_neighbors::remove_close_pairs`] applied in the original order.
fn remove_close_pairs_near(
    structure: &mut Structure,
    near: &[bool],
    d: f64,
    progress: &(dyn Fn(BuildStep) + Sync),
) -> Result<()> {
    let idx: Vec<usize> = (0..near.len()).filter(|&i| near[i]).collect();
    progress(BuildStep::RemovingClosePairs {
        candidates: idx.len(),
    });
    let positions = idx.iter().map(|&i| structure.positions()[i]).collect();
    let mut sub = Structure::new(
        structure.cell().clone(),
        idx.iter().map(|&i| structure.species()[i]).collect(),
        positions,
    )?;
    let removed = fe_neighbors::remove_close_pairs(&mut sub, d)?;
    let global: Vec<usize> = removed.iter().map(|&k| idx[k]).collect();
    structure.remove(&global)?;
    Ok(())
}

/// Error on a grain without atoms.
fn check_filled(t: &GrainTessellation, counts: &[usize], stage: &'static str) -> Result<()> {
    match counts.iter().position(|&c| c == 0) {
        Some(g) => Err(VoronoiError::EmptyGrain {
            grain: g,
            volume: t.grains()[g].volume,
            stage,
        }),
        None => Ok(()),
    }
}

/// Validate the inputs and return the conventional lattice cell.
fn check_inputs(
    cell: &Cell,
    seeds: &[Vector3<f64>],
    rotations: &[Matrix3<f64>],
    spec: &PolycrystalSpec,
) -> Result<LatticeCell> {
    if seeds.is_empty() || seeds.len() != rotations.len() {
        return Err(VoronoiError::InvalidInput(format!(
            "a polycrystal needs at least one grain and one rotation per seed, got {} seeds and \
             {} rotations",
            seeds.len(),
            rotations.len()
        )));
    }
    if cell.pbc() != [true; 3] {
        return Err(VoronoiError::InvalidInput(format!(
            "a polycrystal needs a cell periodic along every axis, got pbc {:?}",
            cell.pbc()
        )));
    }
    for (name, x) in [
        ("minimum distance", spec.min_distance),
        ("minimum seed distance", spec.min_seed_distance),
    ] {
        if !(x.is_finite() && x > 0.0) {
            return Err(VoronoiError::InvalidInput(format!(
                "{name} must be finite and positive, got {x} A"
            )));
        }
    }
    for (g, r) in rotations.iter().enumerate() {
        let off = (r.transpose() * r - Matrix3::identity()).abs().max();
        let det = r.determinant();
        if !(off <= ROTATION_TOLERANCE && (det - 1.0).abs() <= ROTATION_TOLERANCE) {
            return Err(VoronoiError::InvalidInput(format!(
                "rotation {g} is not a proper rotation: max |R^T R - I| = {off:e}, det R = {det}"
            )));
        }
    }
    let conv = conventional(spec.lattice, spec.element, spec.a)?;
    let lattice = LatticeCell {
        conv: *conv.cell().matrix(),
        basis: conv
            .positions()
            .iter()
            .map(|x| conv.cell().to_fractional(x))
            .collect(),
    };
    let nn = nearest_neighbor_distance(&lattice);
    if nn < spec.min_distance {
        return Err(VoronoiError::InvalidInput(format!(
            "the {} lattice with a = {} A has neighbours at {nn:.4} A, below the minimum \
             distance {} A: the close-pair deletion would remove atoms inside the grains",
            spec.lattice.name(),
            spec.a,
            spec.min_distance
        )));
    }
    let edge = conv.cell().lengths().into_iter().fold(0.0, f64::max);
    let width = cell
        .perpendicular_widths()
        .into_iter()
        .fold(f64::INFINITY, f64::min);
    let required = edge.max(spec.min_distance);
    if width < required {
        return Err(VoronoiError::BoxTooSmall { width, required });
    }
    for i in 0..seeds.len() {
        if let Some(p) = seeds.get(i).filter(|p| !p.iter().all(|x| x.is_finite())) {
            return Err(VoronoiError::InvalidInput(format!(
                "seed {i} is not finite: {:?}",
                p.as_slice()
            )));
        }
        for j in 0..i {
            let distance = cell.distance(&seeds[i], &seeds[j]);
            if distance < spec.min_seed_distance {
                return Err(VoronoiError::SeedsTooClose {
                    i: j,
                    j: i,
                    distance,
                    min_distance: spec.min_seed_distance,
                });
            }
        }
    }
    Ok(lattice)
}

/// The shortest distance between two sites of the lattice (Angstrom), over the basis and the
/// neighbouring conventional cells.
fn nearest_neighbor_distance(l: &LatticeCell) -> f64 {
    let ct = l.conv.transpose();
    let mut best = f64::INFINITY;
    for fi in &l.basis {
        for fj in &l.basis {
            for i in -1..=1 {
                for j in -1..=1 {
                    for k in -1..=1 {
                        let n = Vector3::new(f64::from(i), f64::from(j), f64::from(k));
                        let d = (ct * (fj - fi + n)).norm();
                        if d > 0.0 {
                            best = best.min(d);
                        }
                    }
                }
            }
        }
    }
    best
}
