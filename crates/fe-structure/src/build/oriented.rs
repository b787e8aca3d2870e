//! Orthorhombic supercells of cubic crystals whose box axes are chosen crystal directions.
//!
//! Given three mutually orthogonal Miller directions d_x, d_y, d_z (right-handed, in the
//! conventional cubic frame), the crystal is rotated by
//! $$ R = \begin{pmatrix} \hat d_x^{\mathsf T} \\ \hat d_y^{\mathsf T} \\ \hat d_z^{\mathsf T}
//!    \end{pmatrix}, \qquad \mathbf r_\text{box} = a\,R\,\mathbf p_\text{crystal}, $$
//! (the columns of R are the cube axes in the box frame) and cut into a box whose edge along
//! each axis is the shortest lattice translation along that direction (centring vectors
//! included): with d' = d / gcd(d) the primitive direction,
//! $$ L = t\,a\,|d'|, \qquad t = \tfrac12 \text{ if } d'/2 \text{ is a lattice translation,
//!    else } 1, $$
//! so a sqrt(3)/2 along [111] in bcc, a sqrt(2)/2 along [110] in fcc, a along [100] in both.
//!
//! All membership tests are exact integer arithmetic (positions in units of a/4), so no atom
//! is lost or doubled on the box faces.

use nalgebra::{Matrix3, Vector3};

use super::lattice::{check_length, Lattice};
use crate::cell::Cell;
use crate::element::Element;
use crate::error::{Result, StructureError};
use crate::structure::Structure;

/// Largest repeat unit [`oriented`] builds before the replication (atoms).
const MAX_UNIT_ATOMS: u64 = 50_000_000;

/// Largest Miller index accepted (keeps the integer arithmetic far from overflow).
const MAX_INDEX: i64 = 1_000_000;

fn dot(u: [i64; 3], v: [i64; 3]) -> i64 {
    u[0] * v[0] + u[1] * v[1] + u[2] * v[2]
}

fn gcd(a: i64, b: i64) -> i64 {
    if b == 0 {
        a.abs()
    } else {
        gcd(b, a % b)
    }
}

/// Check three Miller directions: non-zero, mutually orthogonal, right-handed. Returns them
/// as i64 triples.
fn check_directions(dirs: [[i32; 3]; 3]) -> Result<[[i64; 3]; 3]> {
    let d = dirs.map(|v| v.map(i64::from));
    let names = ["x", "y", "z"];
    for (i, v) in d.iter().enumerate() {
        if v.iter().any(|c| c.abs() > MAX_INDEX) {
            return Err(StructureError::Invalid(format!(
                "the {} direction {:?} has an index beyond +-{MAX_INDEX}",
                names[i], dirs[i]
            )));
        }
        if *v == [0, 0, 0] {
            return Err(StructureError::Invalid(format!(
                "the {} direction is the zero vector [0 0 0]",
                names[i]
            )));
        }
    }
    for (i, j) in [(0, 1), (0, 2), (1, 2)] {
        let p = dot(d[i], d[j]);
        if p != 0 {
            return Err(StructureError::Invalid(format!(
                "directions {} = {:?} and {} = {:?} are not orthogonal (dot product {p})",
                names[i], dirs[i], names[j], dirs[j]
            )));
        }
    }
    let [x, y, z] = d;
    let cross = [
        x[1] * y[2] - x[2] * y[1],
        x[2] * y[0] - x[0] * y[2],
        x[0] * y[1] - x[1] * y[0],
    ];
    if dot(cross, z) < 0 {
        return Err(StructureError::Invalid(format!(
            "directions x = {:?}, y = {:?}, z = {:?} form a left-handed triple; negate z to {:?}",
            dirs[0],
            dirs[1],
            dirs[2],
            dirs[2].map(|c| -c)
        )));
    }
    Ok(d)
}

/// The rotation R from the conventional cubic frame to the box frame whose x, y, z axes are
/// the Miller directions `dirs`: its rows are the unit directions, its columns the cube axes
/// in the box frame, and r_box = R r_crystal.
///
/// ```
/// let r = fe_structure::build::orientation([[1, -1, 0], [1, 1, -2], [1, 1, 1]]).unwrap();
/// let z = r * nalgebra::Vector3::new(1.0, 1.0, 1.0);
/// assert!(z.x.abs() < 1e-12 && z.y.abs() < 1e-12);
/// ```
///
/// # Errors
/// [`StructureError::Invalid`] for a zero direction, two directions that are not orthogonal,
/// a left-handed triple (the message suggests negating z), or an index beyond 1e6.
pub fn orientation(dirs: [[i32; 3]; 3]) -> Result<Matrix3<f64>> {
    let d = check_directions(dirs)?;
    let rows = d.map(|v| {
        Vector3::new(v[0] as f64, v[1] as f64, v[2] as f64)
            .normalize()
            .transpose()
    });
    Ok(Matrix3::from_rows(&rows))
}

/// True when the vector `q` (units of a/4) is a translation of the lattice.
fn is_translation(lattice: &Lattice, q: [i64; 3]) -> bool {
    lattice
        .centring_quarters()
        .iter()
        .any(|c| (0..3).all(|k| (q[k] - c[k]).rem_euclid(4) == 0))
}

/// The shortest lattice translation along `d`, in units of a/2 (exact integers).
fn period_halves(lattice: &Lattice, d: [i64; 3]) -> [i64; 3] {
    let g = gcd(gcd(d[0], d[1]), d[2]);
    let p = d.map(|c| c / g);
    // d'/2 in units of a/4 is 2 d'; in units of a/2 it is d'.
    if is_translation(lattice, p.map(|c| 2 * c)) {
        p
    } else {
        p.map(|c| 2 * c)
    }
}

/// An orthorhombic supercell of the cubic `lattice` (lattice constant `a`, Angstrom) whose
/// x, y and z axes are the Miller directions `dirs = [x, y, z]`, repeated `reps` times along
/// them.
///
/// The repeat unit has edges L_x, L_y, L_z given in the module docs, and holds
/// V_unit / (a^3 / n_cell) atoms, sorted by their fractional coordinates with x slowest and z
/// fastest; the supercell is that unit passed to [`Structure::replicate`]. Positions lie in
/// [0, L) along each axis. With `dirs = [[1, 0, 0], [0, 1, 0], [0, 0, 1]]` the result equals
/// [`conventional`](super::conventional) replicated by `reps`.
///
/// ```
/// use fe_structure::build::{oriented, Lattice};
/// let s = oriented(Lattice::Bcc, fe_structure::Element::FE, 2.855,
///                  [[1, -1, 0], [1, 1, -2], [1, 1, 1]], [1, 1, 1]).unwrap();
/// assert_eq!(s.len(), 6); // a sqrt(2) x a sqrt(6) x a sqrt(3)/2 = 3 a^3 at 2 atoms per a^3
/// ```
///
/// # Errors
/// [`StructureError::Invalid`] when `a` is not finite and positive, for hcp (cubic lattices
/// only), for directions that are zero, not orthogonal or left-handed (see [`orientation`]),
/// for a zero repetition count, and for indices so high that the repeat unit would exceed
/// 5e7 atoms.
pub fn oriented(
    lattice: Lattice,
    element: Element,
    a: f64,
    dirs: [[i32; 3]; 3],
    reps: [usize; 3],
) -> Result<Structure> {
    check_length("lattice constant a", a)?;
    if !lattice.is_cubic() {
        return Err(StructureError::Invalid(format!(
            "oriented supercells are built for cubic lattices only, not {}",
            lattice.name()
        )));
    }
    if reps.contains(&0) {
        return Err(StructureError::Invalid(format!(
            "replication counts must be at least 1, got {reps:?}"
        )));
    }
    let d = check_directions(dirs)?;
    // Box edges as lattice vectors in units of a/2, and their squared lengths.
    let v = d.map(|di| period_halves(&lattice, di));
    let vv = v.map(|vi| dot(vi, vi));
    // The unit holds |det| / 8 conventional cubes (det in (a/2)^3); orthogonal rows give
    // |det| = sqrt(|v_x|^2 |v_y|^2 |v_z|^2).
    let det_sq = (vv[0] as f64) * (vv[1] as f64) * (vv[2] as f64);
    let n_unit = (det_sq.sqrt() / 8.0 * lattice.atoms_per_cell() as f64).round();
    if n_unit > MAX_UNIT_ATOMS as f64 {
        return Err(StructureError::Invalid(format!(
            "directions {dirs:?} give a repeat unit of {n_unit:e} atoms (limit {MAX_UNIT_ATOMS})"
        )));
    }
    let lengths = vv.map(|x| 0.5 * a * (x as f64).sqrt());
    let unit = fill_unit(&lattice, element, &v, &vv, lengths)?;
    debug_assert_eq!(unit.len() as f64, n_unit, "atom count of the oriented unit");
    unit.replicate(reps[0], reps[1], reps[2])
}

/// The lattice sites inside the oriented repeat unit spanned by `v` (units of a/2).
///
/// A site p (units of a/4, integers P) has fractional coordinate along box axis i
/// $$ s_i = \frac{\mathbf p\cdot\mathbf v_i}{\mathbf v_i\cdot\mathbf v_i}
///        = \frac{P\cdot V_i}{2\,V_i\cdot V_i}, $$
/// kept when 0 <= s_i < 1 (exact integer test).
fn fill_unit(
    lattice: &Lattice,
    element: Element,
    v: &[[i64; 3]; 3],
    vv: &[i64; 3],
    lengths: [f64; 3],
) -> Result<Structure> {
    // Bounding box of the unit in cube coordinates (units of a): corners are sums of the v_i/2.
    let mut lo = [0i64; 3];
    let mut hi = [0i64; 3];
    for mask in 0..8u32 {
        for k in 0..3 {
            let c: i64 = (0..3)
                .filter(|i| mask & (1 << i) != 0)
                .map(|i| v[i][k])
                .sum();
            lo[k] = lo[k].min(c.div_euclid(2) - 1);
            hi[k] = hi[k].max(c.div_euclid(2) + 1);
        }
    }
    let den = vv.map(|x| 2 * x);
    let mut sites: Vec<[i64; 3]> = Vec::new();
    for i in lo[0]..=hi[0] {
        for j in lo[1]..=hi[1] {
            for k in lo[2]..=hi[2] {
                for b in lattice.cubic_basis_quarters() {
                    let p = [4 * i + b[0], 4 * j + b[1], 4 * k + b[2]];
                    let num = v.map(|vi| dot(p, vi));
                    if (0..3).all(|m| num[m] >= 0 && num[m] < den[m]) {
                        sites.push(num);
                    }
                }
            }
        }
    }
    sites.sort_unstable();
    let positions = sites
        .iter()
        .map(|num| Vector3::from_fn(|m, _| num[m] as f64 / den[m] as f64 * lengths[m]))
        .collect::<Vec<_>>();
    let cell = Cell::new(Matrix3::from_diagonal(&Vector3::from(lengths)), [true; 3])?;
    Structure::new(cell, vec![element; positions.len()], positions)
}
