//! Supercells by replication of a cell along its lattice vectors.

use nalgebra::Vector3;

use crate::cell::Cell;
use crate::error::{Result, StructureError};
use crate::structure::Structure;

impl Structure {
    /// The supercell made of `na` x `nb` x `nc` copies of this structure along its lattice
    /// vectors a, b, c.
    ///
    /// The new rows are (na a, nb b, nc c), periodicity is kept. The atoms come cell by cell:
    /// copy (i, j, k) holds the atoms of this structure in their order, shifted by
    /// i a + j b + k c, and the copies run with i slowest and k fastest:
    /// $$ \text{atom } n \text{ of copy } (i, j, k) \;\to\; \text{index }
    ///    ((i\,n_b + j)\,n_c + k)\,N + n. $$
    /// For [`bcc`](crate::build::bcc) this is the order of the reference supercells: cube by
    /// cube, (i, j, k) ascending with k fastest, corner then body centre. Velocities, masses,
    /// the fixed mask and per-atom properties are copied with their atoms; per-structure info
    /// is kept as it is (extensive values such as `energy` are not rescaled).
    ///
    /// ```
    /// let fe = fe_structure::build::bcc(fe_structure::Element::FE, 2.855).unwrap();
    /// let big = fe.replicate(2, 1, 1).unwrap();
    /// assert_eq!(big.len(), 4);
    /// assert!((big.positions()[2].x - 2.855).abs() < 1e-12);
    /// ```
    ///
    /// # Errors
    /// [`StructureError::Invalid`] for a zero count or an atom count that overflows `usize`.
    pub fn replicate(&self, na: usize, nb: usize, nc: usize) -> Result<Structure> {
        if na == 0 || nb == 0 || nc == 0 {
            return Err(StructureError::Invalid(format!(
                "replication counts must be at least 1, got {na} x {nb} x {nc}"
            )));
        }
        let copies = na
            .checked_mul(nb)
            .and_then(|x| x.checked_mul(nc))
            .filter(|&c| c.checked_mul(self.len()).is_some())
            .ok_or_else(|| {
                StructureError::Invalid(format!(
                    "{na} x {nb} x {nc} copies of {} atoms overflow the atom count",
                    self.len()
                ))
            })?;
        let h = self.cell().matrix();
        let mut scaled = *h;
        for (row, n) in [na, nb, nc].into_iter().enumerate() {
            let factor = n as f64;
            scaled.row_mut(row).scale_mut(factor);
        }
        let cell = Cell::new(scaled, self.cell().pbc())?;
        let rows = [0, 1, 2].map(|r| self.cell().vector(r));
        let n = self.len();
        let mut source = Vec::with_capacity(copies * n);
        let mut positions = Vec::with_capacity(copies * n);
        for i in 0..na {
            for j in 0..nb {
                for k in 0..nc {
                    let shift: Vector3<f64> =
                        rows[0] * i as f64 + rows[1] * j as f64 + rows[2] * k as f64;
                    source.extend(0..n);
                    positions.extend(self.positions().iter().map(|r| r + shift));
                }
            }
        }
        let mut out = self.gather(&source, positions)?;
        out.set_cell(cell);
        Ok(out)
    }
}
