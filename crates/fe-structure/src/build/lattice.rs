//! Conventional unit cells of the common crystal lattices.

use nalgebra::{Matrix3, Vector3};

use crate::cell::Cell;
use crate::element::Element;
use crate::error::{Result, StructureError};
use crate::structure::Structure;

/// A crystal lattice with a one-element basis, as built by [`conventional`].
///
/// The cubic lattices use a conventional cube of edge a; hcp uses the hexagonal cell with
/// c = `c_over_a` * a.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub enum Lattice {
    /// Body-centred cubic: 2 atoms per cube, nearest neighbours 8 at a sqrt(3)/2.
    Bcc,
    /// Face-centred cubic: 4 atoms per cube, nearest neighbours 12 at a/sqrt(2).
    Fcc,
    /// Simple cubic: 1 atom per cube, nearest neighbours 6 at a.
    Sc,
    /// Diamond (fcc with a two-atom basis): 8 atoms per cube, nearest neighbours 4 at
    /// a sqrt(3)/4.
    Diamond,
    /// Hexagonal close packed: 2 atoms per hexagonal cell.
    Hcp {
        /// The ratio c/a (ideal sqrt(8/3) = 1.633).
        c_over_a: f64,
    },
}

/// Basis positions of the cubic lattices in units of a/4 (exact integers), in build order.
const SC_BASIS: [[i64; 3]; 1] = [[0, 0, 0]];
const BCC_BASIS: [[i64; 3]; 2] = [[0, 0, 0], [2, 2, 2]];
const FCC_BASIS: [[i64; 3]; 4] = [[0, 0, 0], [0, 2, 2], [2, 0, 2], [2, 2, 0]];
const DIAMOND_BASIS: [[i64; 3]; 8] = [
    [0, 0, 0],
    [0, 2, 2],
    [1, 1, 1],
    [1, 3, 3],
    [2, 0, 2],
    [2, 2, 0],
    [3, 1, 3],
    [3, 3, 1],
];

impl Lattice {
    /// Atoms per conventional cell (1, 2, 4, 8; 2 for hcp).
    pub fn atoms_per_cell(&self) -> usize {
        match self {
            Lattice::Sc => 1,
            Lattice::Bcc | Lattice::Hcp { .. } => 2,
            Lattice::Fcc => 4,
            Lattice::Diamond => 8,
        }
    }

    /// True for the cubic lattices (everything but hcp).
    pub fn is_cubic(&self) -> bool {
        !matches!(self, Lattice::Hcp { .. })
    }

    /// Fractional coordinates of the basis in the conventional cell, in the order
    /// [`conventional`] places the atoms. For the cubic lattices this is the order of the
    /// fractional coordinates with x slowest and z fastest, the order of
    /// [`oriented`](super::oriented) cells.
    ///
    /// - sc: (0, 0, 0);
    /// - bcc: the corner (0, 0, 0), then the body centre (1/2, 1/2, 1/2);
    /// - fcc: (0, 0, 0), (0, 1/2, 1/2), (1/2, 0, 1/2), (1/2, 1/2, 0);
    /// - diamond: the fcc sites and their partners shifted by (1/4, 1/4, 1/4), sorted by x,
    ///   then y, then z: (0, 0, 0), (0, 1/2, 1/2), (1/4, 1/4, 1/4), (1/4, 3/4, 3/4),
    ///   (1/2, 0, 1/2), (1/2, 1/2, 0), (3/4, 1/4, 3/4), (3/4, 3/4, 1/4);
    /// - hcp: (1/3, 2/3, 1/4), (2/3, 1/3, 3/4) (Wyckoff 2c of P6_3/mmc; ASE's `bulk` uses the
    ///   same structure shifted to put the first atom at the origin).
    pub fn basis(&self) -> Vec<Vector3<f64>> {
        match self {
            Lattice::Hcp { .. } => vec![
                Vector3::new(1.0 / 3.0, 2.0 / 3.0, 0.25),
                Vector3::new(2.0 / 3.0, 1.0 / 3.0, 0.75),
            ],
            _ => self
                .cubic_basis_quarters()
                .iter()
                .map(|q| Vector3::new(q[0] as f64, q[1] as f64, q[2] as f64) / 4.0)
                .collect(),
        }
    }

    /// The cubic basis in units of a/4; empty for hcp.
    pub(crate) fn cubic_basis_quarters(&self) -> &'static [[i64; 3]] {
        match self {
            Lattice::Sc => &SC_BASIS,
            Lattice::Bcc => &BCC_BASIS,
            Lattice::Fcc => &FCC_BASIS,
            Lattice::Diamond => &DIAMOND_BASIS,
            Lattice::Hcp { .. } => &[],
        }
    }

    /// The pure translations of the cubic lattices inside the cube, in units of a/4 (the
    /// centring vectors: diamond has the translations of fcc); empty for hcp.
    pub(crate) fn centring_quarters(&self) -> &'static [[i64; 3]] {
        match self {
            Lattice::Diamond => &FCC_BASIS,
            other => other.cubic_basis_quarters(),
        }
    }

    /// Lowercase name (`bcc`, `fcc`, `sc`, `diamond`, `hcp`).
    pub fn name(&self) -> &'static str {
        match self {
            Lattice::Bcc => "bcc",
            Lattice::Fcc => "fcc",
            Lattice::Sc => "sc",
            Lattice::Diamond => "diamond",
            Lattice::Hcp { .. } => "hcp",
        }
    }
}

/// Check that a length parameter is finite and positive.
pub(crate) fn check_length(what: &str, x: f64) -> Result<()> {
    if x.is_finite() && x > 0.0 {
        Ok(())
    } else {
        Err(StructureError::Invalid(format!(
            "{what} must be finite and positive, got {x} A"
        )))
    }
}

/// The conventional cell of `lattice` with lattice constant `a` (Angstrom), every atom of
/// `element`, periodic along all three axes, atoms in the order of [`Lattice::basis`].
///
/// Cubic lattices get the cube H = a I. Hcp gets the hexagonal cell in the standard setting,
/// with a along x:
/// $$ \mathbf a = (a, 0, 0),\quad \mathbf b = (-a/2, a\sqrt3/2, 0),\quad \mathbf c = (0, 0, c),
/// \qquad c = (c/a)\,a. $$
///
/// # Errors
/// [`StructureError::Invalid`] when `a` (or c/a for hcp) is not finite and positive.
pub fn conventional(lattice: Lattice, element: Element, a: f64) -> Result<Structure> {
    check_length("lattice constant a", a)?;
    match lattice {
        Lattice::Hcp { c_over_a } => {
            if !(c_over_a.is_finite() && c_over_a > 0.0) {
                return Err(StructureError::Invalid(format!(
                    "hcp c/a must be finite and positive, got {c_over_a}"
                )));
            }
            hexagonal(element, a, c_over_a * a)
        }
        _ => with_basis(Matrix3::from_diagonal_element(a), &lattice.basis(), element),
    }
}

/// Atoms of `element` at the fractional `basis` positions of the periodic cell with rows `h`.
fn with_basis(h: Matrix3<f64>, basis: &[Vector3<f64>], element: Element) -> Result<Structure> {
    let cell = Cell::new(h, [true; 3])?;
    let positions: Vec<Vector3<f64>> = basis.iter().map(|s| cell.to_cartesian(s)).collect();
    Structure::new(cell, vec![element; positions.len()], positions)
}

/// The hcp cell with validated a and c.
fn hexagonal(element: Element, a: f64, c: f64) -> Result<Structure> {
    let h = Matrix3::new(
        a,
        0.0,
        0.0,
        -0.5 * a,
        0.5 * 3f64.sqrt() * a,
        0.0,
        0.0,
        0.0,
        c,
    );
    with_basis(h, &Lattice::Hcp { c_over_a: c / a }.basis(), element)
}

/// The 2-atom conventional bcc cube of edge `a` (Angstrom): the corner (0, 0, 0), then the
/// body centre (a/2, a/2, a/2).
///
/// ```
/// let fe = fe_structure::build::bcc(fe_structure::Element::FE, 2.855).unwrap();
/// assert_eq!(fe.len(), 2);
/// assert!((fe.positions()[1].x - 1.4275).abs() < 1e-12);
/// ```
///
/// # Errors
/// [`StructureError::Invalid`] when `a` is not finite and positive.
pub fn bcc(element: Element, a: f64) -> Result<Structure> {
    conventional(Lattice::Bcc, element, a)
}

/// The 4-atom conventional fcc cube of edge `a` (Angstrom), atoms as in [`Lattice::basis`].
///
/// # Errors
/// [`StructureError::Invalid`] when `a` is not finite and positive.
pub fn fcc(element: Element, a: f64) -> Result<Structure> {
    conventional(Lattice::Fcc, element, a)
}

/// The 1-atom simple cubic cell of edge `a` (Angstrom).
///
/// # Errors
/// [`StructureError::Invalid`] when `a` is not finite and positive.
pub fn sc(element: Element, a: f64) -> Result<Structure> {
    conventional(Lattice::Sc, element, a)
}

/// The 8-atom conventional diamond cube of edge `a` (Angstrom), atoms as in
/// [`Lattice::basis`].
///
/// # Errors
/// [`StructureError::Invalid`] when `a` is not finite and positive.
pub fn diamond(element: Element, a: f64) -> Result<Structure> {
    conventional(Lattice::Diamond, element, a)
}

/// The 2-atom hexagonal close-packed cell with lattice constants `a` and `c` (Angstrom), a
/// along x (see [`conventional`] for the cell and [`Lattice::basis`] for the atoms).
///
/// # Errors
/// [`StructureError::Invalid`] when `a` or `c` is not finite and positive.
pub fn hcp(element: Element, a: f64, c: f64) -> Result<Structure> {
    check_length("lattice constant a", a)?;
    check_length("lattice constant c", c)?;
    hexagonal(element, a, c)
}
