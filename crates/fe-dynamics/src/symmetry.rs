//! The space-group symmetry a structure has, and the projection of forces and virials onto
//! it: the symmetry-preserving relaxation of [`crate::minimize::MinimizeOptions::symmetry_tolerance`]
//! (the idea of ASE's `FixSymmetry`).
//!
//! An operation $g = (R, \mathbf t)$ maps atom $i$ onto an atom $p_g(i)$ of the same species
//! (and the same fixed flag): $R\mathbf r_i + \mathbf t \equiv \mathbf r_{p_g(i)}$ modulo the
//! periodic lattice, within a distance tolerance. The energy is invariant under the group
//! $G$ of all such operations, so the exact forces and virial are covariant,
//! $\mathbf f_{p_g(i)} = R\,\mathbf f_i$ and $W = R^{\mathsf T} W R$; the computed ones
//! are only so to round-off. [`Symmetry::symmetrize_vectors`] and
//! [`Symmetry::symmetrize_tensor`] apply the group average (a projector)
//! $$ \mathbf f_i \leftarrow \frac{1}{|G|}\sum_{g\in G} R_g^{\mathsf T}\mathbf f_{p_g(i)},
//! \qquad W \leftarrow \frac{1}{|G|}\sum_{g\in G} R_g^{\mathsf T} W R_g, $$
//! which removes those round-off components. Without it a structure that starts on a
//! symmetric saddle point (a `<100>` dumbbell in bcc W, for example) leaves it along the
//! unstable mode seeded by round-off, and the minimizer ends on another stationary point than
//! one whose arithmetic keeps the symmetry exactly; with it the relaxation stays in the
//! subspace of the starting symmetry and ends on the stationary point of that symmetry.
//!
//! Detection: candidate rotations are the lattice automorphisms $M$ with entries in
//! $\{-1, 0, 1\}$ of the cell rows $H$ ($M H H^{\mathsf T} M^{\mathsf T} = H H^{\mathsf T}$;
//! complete for reduced cells such as the cubic and orthorhombic supercells of defect and
//! boundary calculations), in Cartesian form $R = (H^{-1} M H)^{\mathsf T}$. For each, the
//! translations are those carrying an anchor atom (one of the rarest local environment) onto
//! an atom of the same environment, each checked on every atom. The pure translations $T$
//! (the supercell's own lattice, a normal subgroup) are kept as orbits, the other operations
//! as one representative $g_k$ per rotation (a coset of $T$), so that
//! $\frac{1}{|G|}\sum_G = \frac{1}{m}\sum_k g_k \circ \frac{1}{|T|}\sum_T$ costs
//! $O(mN)$ per call with $m \le 48$.

use fe_neighbors::PointLocator;
use fe_structure::{Element, Structure};
use nalgebra::{Matrix3, Vector3};

use crate::error::{DynamicsError, Result};

/// The symmetry operations of a structure found within a tolerance.
#[derive(Debug, Clone, PartialEq)]
pub struct Symmetry {
    /// Cartesian rotations $R_k$ of the coset representatives (the identity first).
    rotations: Vec<Matrix3<f64>>,
    /// `images[k][i]`: the atom onto which representative k maps atom i.
    images: Vec<Vec<u32>>,
    /// Orbit of each atom under the pure translations.
    orbit: Vec<u32>,
    /// Number of atoms in each orbit (every orbit has |T| atoms).
    orbit_size: Vec<u32>,
}

impl Symmetry {
    /// The symmetry of `structure` within `tolerance` (Å): every operation maps each atom
    /// within `tolerance` of an atom of the same species and fixed flag.
    ///
    /// # Errors
    /// [`DynamicsError::Invalid`] for a tolerance that is not finite and positive or not below
    /// a tenth of the smallest distance, an empty structure, or operations that do not form a
    /// group (a tolerance at the edge of a near-symmetry: use a smaller or larger one).
    pub fn detect(structure: &Structure, tolerance: f64) -> Result<Symmetry> {
        if !(tolerance.is_finite() && tolerance > 0.0) {
            return Err(DynamicsError::Invalid(format!(
                "the symmetry tolerance must be finite and positive, got {tolerance}"
            )));
        }
        let n = structure.len();
        if n == 0 {
            return Err(DynamicsError::Invalid("the structure has no atoms".into()));
        }
        let cell = structure.cell();
        let h = *cell.matrix();
        let pbc = cell.pbc();
        let positions = structure.positions();
        // A length scale between the first and third neighbour shells of dense metals.
        let per_atom = (cell.volume() / n as f64).cbrt();
        let rc = 1.6 * per_atom;
        if tolerance > 0.1 * per_atom {
            return Err(DynamicsError::Invalid(format!(
                "symmetry tolerance {tolerance} A is too large for atoms {per_atom:.3} A apart"
            )));
        }
        let locator = PointLocator::new(structure, rc).map_err(neighbor_error)?;
        let mut kinds: Vec<(Element, bool)> = (0..n)
            .map(|i| (structure.species()[i], structure.is_fixed(i)))
            .collect::<Vec<_>>();
        kinds.sort_unstable();
        kinds.dedup();
        let kind = |i: usize| -> usize {
            let k = (structure.species()[i], structure.is_fixed(i));
            kinds.binary_search(&k).unwrap_or(0)
        };
        // Environment fingerprint sum_j (1 + kind_j) (1 - d/rc)^2: smooth in the positions, so
        // symmetric atoms have equal values within ~tolerance.
        let mut fp = Vec::with_capacity(n);
        for r in positions {
            let hits = locator.within(r, rc).map_err(neighbor_error)?;
            let v: f64 = hits
                .iter()
                .filter(|hit| hit.distance > 0.5 * per_atom)
                .map(|hit| (1.0 + kind(hit.j) as f64) * (1.0 - hit.distance / rc).powi(2))
                .sum();
            fp.push(v);
        }
        // Classes of equal kind and fingerprint (within a loose tolerance).
        let fp_tol = 100.0 * tolerance * (1.0 + kinds.len() as f64);
        let mut order: Vec<usize> = (0..n).collect();
        order.sort_by(|&a, &b| kind(a).cmp(&kind(b)).then(fp[a].total_cmp(&fp[b])));
        let mut class = vec![0usize; n];
        let mut sizes: Vec<usize> = Vec::new();
        for (pos, &i) in order.iter().enumerate() {
            let new_class = pos == 0 || {
                let prev = order[pos - 1];
                kind(prev) != kind(i) || fp[i] - fp[prev] > fp_tol
            };
            if new_class {
                sizes.push(0);
            }
            class[i] = sizes.len() - 1;
            sizes[class[i]] += 1;
        }
        // Anchor in the rarest class; check the rarest atoms first (fast rejection).
        let anchor = (0..n).min_by_key(|&i| (sizes[class[i]], i)).unwrap_or(0);
        let candidates: Vec<usize> = (0..n).filter(|&j| class[j] == class[anchor]).collect();
        let mut check_order: Vec<usize> = (0..n).collect();
        check_order.sort_by_key(|&i| (sizes[class[i]], i));

        let map = |rot: &Matrix3<f64>, t: &Vector3<f64>| -> Result<Option<Vec<u32>>> {
            let mut image = vec![u32::MAX; n];
            let mut taken = vec![false; n];
            for &i in &check_order {
                let q = cell.wrap(&(rot * positions[i] + t));
                let hits = locator.within(&q, tolerance).map_err(neighbor_error)?;
                let Some(hit) = hits.iter().find(|hit| kind(hit.j) == kind(i)) else {
                    return Ok(None);
                };
                if taken[hit.j] {
                    return Ok(None);
                }
                taken[hit.j] = true;
                image[i] = hit.j as u32;
            }
            Ok(Some(image))
        };

        let mut rotations = Vec::new();
        let mut images = Vec::new();
        // Pure translations: union-find of the orbits.
        let mut parent: Vec<usize> = (0..n).collect();
        fn find(parent: &mut [usize], mut i: usize) -> usize {
            while parent[i] != i {
                parent[i] = parent[parent[i]];
                i = parent[i];
            }
            i
        }
        let identity = Matrix3::identity();
        for &j in &candidates {
            if j == anchor || find(&mut parent, j) == find(&mut parent, anchor) {
                continue;
            }
            let t = positions[j] - positions[anchor];
            if let Some(image) = map(&identity, &t)? {
                for (i, &p) in image.iter().enumerate() {
                    let (a, b) = (find(&mut parent, i), find(&mut parent, p as usize));
                    parent[a] = b;
                }
            }
        }
        let roots: Vec<usize> = (0..n).map(|i| find(&mut parent, i)).collect();
        let mut orbit_of_root = vec![u32::MAX; n];
        let mut orbit_size: Vec<u32> = Vec::new();
        let mut orbit = vec![0u32; n];
        for i in 0..n {
            let r = roots[i];
            if orbit_of_root[r] == u32::MAX {
                orbit_of_root[r] = orbit_size.len() as u32;
                orbit_size.push(0);
            }
            orbit[i] = orbit_of_root[r];
            orbit_size[orbit[i] as usize] += 1;
        }
        rotations.push(identity);
        images.push((0..n as u32).collect::<Vec<u32>>());

        // One representative per rotation of the lattice.
        for rot in lattice_rotations(&h, pbc, tolerance) {
            if (rot - identity).amax() < 1e-9 {
                continue;
            }
            let mut tried = vec![false; orbit_size.len()];
            for &j in &candidates {
                let o = orbit[j] as usize;
                if tried[o] {
                    continue;
                }
                tried[o] = true;
                let t = positions[j] - rot * positions[anchor];
                if let Some(image) = map(&rot, &t)? {
                    rotations.push(rot);
                    images.push(image);
                    break;
                }
            }
        }
        // The rotations must form a group (closure modulo the lattice).
        for a in &rotations {
            for b in &rotations {
                let ab = a * b;
                if !rotations.iter().any(|c| (c - ab).amax() < 1e-6) {
                    return Err(DynamicsError::Invalid(format!(
                        "the operations found within the symmetry tolerance {tolerance} A do not \
                         form a group (a near-symmetry at the edge of the tolerance): use a \
                         smaller or larger tolerance"
                    )));
                }
            }
        }
        Ok(Symmetry {
            rotations,
            images,
            orbit,
            orbit_size,
        })
    }

    /// The order of the group $|G|$ (rotations times pure translations).
    pub fn order(&self) -> usize {
        self.rotations.len() * self.translations()
    }

    /// The number of distinct rotations (the order of the point group).
    pub fn rotations(&self) -> usize {
        self.rotations.len()
    }

    /// The number of pure translations (1 when no smaller cell repeats the structure).
    pub fn translations(&self) -> usize {
        self.orbit_size.first().map_or(1, |&s| s as usize)
    }

    /// Replace per-atom vectors (forces, velocities) by their group average
    /// $\mathbf f_i \leftarrow |G|^{-1}\sum_g R_g^{\mathsf T}\mathbf f_{p_g(i)}$ (O(mN) for m
    /// rotations). A slice of another length than the structure's atoms is left unchanged.
    pub fn symmetrize_vectors(&self, f: &mut [Vector3<f64>]) {
        let n = self.orbit.len();
        if f.len() != n || self.order() == 1 {
            return;
        }
        let mut avg = vec![Vector3::zeros(); self.orbit_size.len()];
        for (i, v) in f.iter().enumerate() {
            avg[self.orbit[i] as usize] += v;
        }
        for (a, &s) in avg.iter_mut().zip(&self.orbit_size) {
            *a /= f64::from(s);
        }
        let m = self.rotations.len() as f64;
        for (i, out) in f.iter_mut().enumerate() {
            let mut sum = Vector3::zeros();
            for (rot, image) in self.rotations.iter().zip(&self.images) {
                sum += rot.tr_mul(&avg[self.orbit[image[i] as usize] as usize]);
            }
            *out = sum / m;
        }
    }

    /// The group average of a rank-2 tensor (virial, stress),
    /// $W \leftarrow |G|^{-1}\sum_g R_g^{\mathsf T} W R_g$.
    pub fn symmetrize_tensor(&self, w: &Matrix3<f64>) -> Matrix3<f64> {
        let sum: Matrix3<f64> = self
            .rotations
            .iter()
            .map(|rot| rot.transpose() * w * rot)
            .sum();
        sum / self.rotations.len() as f64
    }
}

/// Cartesian rotations $R = (H^{-1}MH)^{\mathsf T}$ of the integer matrices $M$ with entries in
/// $\{-1, 0, 1\}$ and $|\det M| = 1$ that preserve the metric $HH^{\mathsf T}$ within the
/// tolerance and keep open axes on themselves.
fn lattice_rotations(h: &Matrix3<f64>, pbc: [bool; 3], tolerance: f64) -> Vec<Matrix3<f64>> {
    let Some(hinv) = h.try_inverse() else {
        return Vec::new();
    };
    let g = h * h.transpose();
    let lmax = (0..3).map(|a| h.row(a).norm()).fold(0.0, f64::max);
    let mut out = Vec::new();
    for code in 0..3usize.pow(9) {
        let mut m = Matrix3::zeros();
        let mut c = code;
        for e in m.iter_mut() {
            *e = (c % 3) as f64 - 1.0;
            c /= 3;
        }
        if (m.determinant().abs() - 1.0).abs() > 1e-9 {
            continue;
        }
        let open_ok = (0..3)
            .all(|a| pbc[a] || (0..3).all(|b| b == a || (m[(a, b)] == 0.0 && m[(b, a)] == 0.0)));
        if !open_ok {
            continue;
        }
        if (m * g * m.transpose() - g).amax() > 4.0 * tolerance * lmax {
            continue;
        }
        out.push((hinv * m * h).transpose());
    }
    out
}

fn neighbor_error(e: fe_neighbors::NeighborError) -> DynamicsError {
    DynamicsError::Invalid(format!("symmetry detection: {e}"))
}
