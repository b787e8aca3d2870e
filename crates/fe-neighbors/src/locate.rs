//! Radius queries around arbitrary points.

use fe_structure::Structure;
use nalgebra::Vector3;

use crate::error::{check_radius, NeighborError, Result};
use crate::grid::{Grid, Scratch};

/// One atom image found by [`PointLocator::within`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Hit {
    /// Atom index.
    pub j: usize,
    /// Image shift S in lattice vectors (the image sits at r_j + S H).
    pub shift: [i32; 3],
    /// r_j + S H - p (Angstrom), from the point p to the image.
    pub vector: Vector3<f64>,
    /// Length of `vector` (Angstrom).
    pub distance: f64,
}

/// Finds every atom image within a radius of any point, through a cell list built once.
///
/// ```
/// use fe_neighbors::PointLocator;
/// use fe_structure::{Cell, Element, Structure};
/// use nalgebra::Vector3;
/// let a = 2.855;
/// let s = Structure::new(Cell::cubic(a).unwrap(), vec![Element::FE; 2],
///     vec![Vector3::zeros(), Vector3::repeat(a / 2.0)]).unwrap();
/// let locator = PointLocator::new(&s, 3.0).unwrap();
/// // The octahedral site (a/2, a/2, 0) has 2 atoms at a/2 and 4 at a/sqrt(2).
/// let hits = locator.within(&Vector3::new(a / 2.0, a / 2.0, 0.0), 2.5).unwrap();
/// assert_eq!(hits.len(), 6);
/// assert!((hits[0].distance - a / 2.0).abs() < 1e-12);
/// ```
#[derive(Debug)]
pub struct PointLocator<'a> {
    structure: &'a Structure,
    grid: Grid,
    max_radius: f64,
}

impl<'a> PointLocator<'a> {
    /// Bin the atoms of `structure` for queries up to `max_radius` (Angstrom).
    ///
    /// # Errors
    /// [`NeighborError::InvalidRadius`] for a radius that is not finite and positive, and the
    /// input errors of [`NeighborList::from_positions`](crate::NeighborList::from_positions).
    pub fn new(structure: &'a Structure, max_radius: f64) -> Result<PointLocator<'a>> {
        check_radius("max_radius", max_radius)?;
        let grid = Grid::new(structure.cell(), structure.positions(), max_radius)?;
        Ok(PointLocator {
            structure,
            grid,
            max_radius,
        })
    }

    /// The largest radius a query may use (Angstrom).
    pub fn max_radius(&self) -> f64 {
        self.max_radius
    }

    /// Every atom image strictly closer than `radius` (Angstrom) to `point` (Angstrom, anywhere),
    /// sorted by distance, then atom index, then shift. An atom sitting exactly at the point is
    /// included (distance 0).
    ///
    /// # Errors
    /// [`NeighborError::InvalidRadius`] for a radius that is not finite and positive,
    /// [`NeighborError::RadiusTooLarge`] above [`PointLocator::max_radius`],
    /// [`NeighborError::NonFinite`] or [`NeighborError::FarOutside`] for an unusable point.
    pub fn within(&self, point: &Vector3<f64>, radius: f64) -> Result<Vec<Hit>> {
        check_radius("radius", radius)?;
        if radius > self.max_radius {
            return Err(NeighborError::RadiusTooLarge {
                radius,
                max_radius: self.max_radius,
            });
        }
        if !point.iter().all(|x| x.is_finite()) {
            return Err(NeighborError::NonFinite {
                what: "query point".into(),
            });
        }
        let mut hits = Vec::new();
        if self.structure.is_empty() {
            return Ok(hits);
        }
        let g = &self.grid;
        let placed = g.place(point, || "query point".into())?;
        let runs = [0, 1, 2].map(|a| g.axis_runs(a, placed.bin[a]));
        let runs = [runs[0].as_slice(), runs[1].as_slice(), runs[2].as_slice()];
        let hi2 = (radius + g.tol).powi(2);
        let h = self.structure.cell().matrix();
        let positions = self.structure.positions();
        let mut scratch = Scratch::default();
        let offset = g.offset_in_bin(&placed.wrapped, placed.bin);
        g.visit(
            runs,
            &placed.wrapped,
            &offset,
            hi2,
            &mut scratch,
            |k, _, q| {
                let j = g.slot_atom[k] as usize;
                let nj = g.slot_image[k];
                let shift = [0, 1, 2].map(|a| q[a] + placed.image[a] - nj[a]);
                let n = Vector3::new(
                    f64::from(shift[0]),
                    f64::from(shift[1]),
                    f64::from(shift[2]),
                );
                let vector = positions[j] + h.tr_mul(&n) - point;
                let distance = vector.norm();
                if distance < radius {
                    hits.push(Hit {
                        j,
                        shift,
                        vector,
                        distance,
                    });
                }
            },
        );
        hits.sort_by(|a, b| {
            a.distance
                .total_cmp(&b.distance)
                .then(a.j.cmp(&b.j))
                .then(a.shift.cmp(&b.shift))
        });
        Ok(hits)
    }
}
