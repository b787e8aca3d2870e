//! The content of a setfl file (`eam/alloy`) or Finnis-Sinclair setfl file (`eam/fs`): what
//! the reader returns, what [`crate::eam::Eam`] is built from, and what we write for LAMMPS.

use std::io::Write;

use fe_structure::Element;

use crate::error::{PotentialError, Result};

/// The content of a setfl or eam/fs file: three comment lines, the element list, the grids,
/// per element F(rho) and its density table(s), then r phi(r) for the pairs (1,1), (2,1),
/// (2,2), (3,1), ...
///
/// The layout follows from the number of density tables: one per element is setfl
/// (`eam/alloy`, f_b(r) whatever the host), n per element is eam/fs (f_{b->a}(r) for host a,
/// stored at `b * n + a`). With one element the two layouts are the same file.
#[derive(Debug, Clone, PartialEq)]
pub struct SetflTables {
    /// The three comment lines.
    pub comments: [String; 3],
    /// Elements in file order.
    pub elements: Vec<Element>,
    /// Masses (amu).
    pub masses: Vec<f64>,
    /// Lattice constants (Angstrom) for the element lines (informational; 0 when a file
    /// gives none).
    pub lattice_constants: Vec<f64>,
    /// Lattice types for the element lines (informational; empty when a file gives none).
    pub lattice_types: Vec<String>,
    /// Density grid step.
    pub drho: f64,
    /// Radial grid step (Angstrom).
    pub dr: f64,
    /// Cutoff (Angstrom).
    pub cutoff: f64,
    /// F(rho) per element (eV).
    pub frho: Vec<Vec<f64>>,
    /// Density tables f(r): `n` (setfl, per element) or `n * n` (eam/fs, per (from, at) pair
    /// at `from * n + at`).
    pub rhor: Vec<Vec<f64>>,
    /// r phi(r) per pair (eV A), lower triangle in file order.
    pub z2r: Vec<Vec<f64>>,
}

impl SetflTables {
    /// Whether the tables hold one density per element pair (eam/fs layout) rather than one
    /// per element (setfl).
    pub fn is_finnis_sinclair(&self) -> bool {
        let n = self.elements.len();
        n > 1 && self.rhor.len() == n * n
    }

    /// Write the file, five values per line with 17 significant digits (`%.16e`), which
    /// LAMMPS and our reader parse back exactly.
    ///
    /// # Errors
    /// I/O errors, and [`PotentialError::Unsupported`] for inconsistent table sizes.
    pub fn write<W: Write>(&self, mut w: W, name: &str) -> Result<()> {
        let n = self.elements.len();
        let nrho = self.frho.first().map_or(0, Vec::len);
        let nr = self.rhor.first().map_or(0, Vec::len);
        let consistent = self.frho.len() == n
            && (self.rhor.len() == n || self.rhor.len() == n * n)
            && self.lattice_constants.len() == n
            && self.lattice_types.len() == n
            && self.masses.len() == n
            && self.z2r.len() == n * (n + 1) / 2
            && self.frho.iter().all(|t| t.len() == nrho)
            && self.rhor.iter().chain(&self.z2r).all(|t| t.len() == nr);
        if !consistent || n == 0 {
            return Err(PotentialError::Unsupported(
                "inconsistent setfl tables: sizes do not match the element count".into(),
            ));
        }
        let io = |source| PotentialError::Io {
            file: name.to_string(),
            source,
        };
        let mut out = String::new();
        for c in &self.comments {
            out.push_str(c);
            out.push('\n');
        }
        let names: Vec<&str> = self.elements.iter().map(|e| e.symbol()).collect();
        out.push_str(&format!("{n} {}\n", names.join(" ")));
        out.push_str(&format!(
            "{nrho} {:.16e} {nr} {:.16e} {:.16e}\n",
            self.drho, self.dr, self.cutoff
        ));
        let table = |out: &mut String, v: &[f64]| {
            for chunk in v.chunks(5) {
                let line: Vec<String> = chunk.iter().map(|x| format!("{x:.16e}")).collect();
                out.push_str(&line.join(" "));
                out.push('\n');
            }
        };
        let per_element = self.rhor.len() / n;
        for k in 0..n {
            out.push_str(&format!(
                "{} {} {} {}\n",
                self.elements[k].z(),
                self.masses[k],
                self.lattice_constants[k],
                self.lattice_types[k]
            ));
            table(&mut out, &self.frho[k]);
            for t in &self.rhor[k * per_element..(k + 1) * per_element] {
                table(&mut out, t);
            }
        }
        for t in &self.z2r {
            table(&mut out, t);
        }
        w.write_all(out.as_bytes()).map_err(io)
    }
}
