//! [`Eam`]: a tabulated EAM potential exactly as LAMMPS `pair_style eam`, `eam/alloy` and
//! `eam/fs` evaluate it (spline tables built once at construction, METHODS.md 11.2-11.3).

use std::path::Path;

use fe_neighbors::{ListKind, NeighborList};
use fe_structure::Element;

use super::kernel::{self, EamFunctions, PairTerms};
use super::parse::{self, Funcfl};
use super::rtable::RTables;
use super::setfl::SetflTables;
use super::spline::{Clamp, Spline};
use crate::error::{PotentialError, Result};
use crate::potential::{BoundAtoms, Potential, Request, Results};

/// Hartree Bohr in eV A, with the rounded constants LAMMPS uses to turn funcfl effective
/// charges into r phi(r): z_ij(r) = 27.2 * 0.529 * Z_i(r) Z_j(r).
const HARTREE_BOHR: f64 = 27.2 * 0.529;

/// The flavour of a tabulated EAM file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EamStyle {
    /// DYNAMO funcfl files (`pair_style eam`), one element each.
    Funcfl,
    /// setfl (`pair_style eam/alloy`).
    Alloy,
    /// Finnis-Sinclair setfl (`pair_style eam/fs`): one density table per element pair.
    FinnisSinclair,
}

/// A tabulated EAM potential.
///
/// ```no_run
/// use fe_potentials::eam::Eam;
/// use fe_potentials::Potential;
/// let eam = Eam::from_path("Fe_mm.eam.fs".as_ref()).unwrap();
/// assert_eq!(eam.elements()[0].symbol(), "Fe");
/// ```
#[derive(Debug, Clone)]
pub struct Eam {
    style: EamStyle,
    elements: Vec<Element>,
    masses: Vec<f64>,
    cutoff: f64,
    dr: f64,
    drho: f64,
    rho_max: f64,
    frho: Vec<Spline>,
    /// Density splines at `from * n + at`.
    rhor: Vec<Spline>,
    /// r phi(r) splines at `a * n + b` (symmetric).
    z2r: Vec<Spline>,
    /// `rhor` and `z2r` interleaved for the kernel.
    tables: RTables,
}

impl Eam {
    /// Read a tabulated EAM file, choosing the style by name: `.eam` funcfl, `.eam.alloy`
    /// setfl, `.eam.fs` Finnis-Sinclair.
    ///
    /// # Errors
    /// I/O errors, an unknown extension, and parse errors naming file and line.
    pub fn from_path(path: &Path) -> Result<Eam> {
        let name = path.to_string_lossy().to_ascii_lowercase();
        let style = if name.ends_with(".eam.fs") {
            EamStyle::FinnisSinclair
        } else if name.ends_with(".eam.alloy") {
            EamStyle::Alloy
        } else if name.ends_with(".eam") {
            EamStyle::Funcfl
        } else {
            return Err(PotentialError::File {
                file: path.display().to_string(),
                message: "cannot tell the EAM style from the name (.eam, .eam.alloy, .eam.fs)"
                    .into(),
            });
        };
        Eam::from_paths(&[path], style)
    }

    /// Read one setfl/fs file or one or more funcfl files (mixed as LAMMPS mixes them).
    ///
    /// # Errors
    /// As [`Eam::from_path`]; several files for a setfl style.
    pub fn from_paths(paths: &[&Path], style: EamStyle) -> Result<Eam> {
        let mut texts = Vec::with_capacity(paths.len());
        for p in paths {
            let text = std::fs::read_to_string(p).map_err(|source| PotentialError::Io {
                file: p.display().to_string(),
                source,
            })?;
            texts.push((p.display().to_string(), text));
        }
        match style {
            EamStyle::Funcfl => {
                let files = texts
                    .iter()
                    .map(|(name, text)| parse::funcfl(text, name))
                    .collect::<Result<Vec<_>>>()?;
                Eam::from_funcfl(&files)
            }
            _ if texts.len() != 1 => Err(PotentialError::Unsupported(
                "setfl and eam/fs potentials come in exactly one file".into(),
            )),
            _ => {
                let fs = style == EamStyle::FinnisSinclair;
                Eam::from_setfl(&parse::setfl(&texts[0].1, &texts[0].0, fs)?)
            }
        }
    }

    /// Read a setfl or eam/fs text (for files held in memory).
    ///
    /// # Errors
    /// Parse errors naming `name` and the line.
    pub fn from_setfl_str(text: &str, name: &str, style: EamStyle) -> Result<Eam> {
        match style {
            EamStyle::Funcfl => Eam::from_funcfl(&[parse::funcfl(text, name)?]),
            _ => {
                let fs = style == EamStyle::FinnisSinclair;
                Eam::from_setfl(&parse::setfl(text, name, fs)?)
            }
        }
    }

    /// Build the potential from setfl or eam/fs tables (the layout follows from the number of
    /// density tables, [`SetflTables::is_finnis_sinclair`]); every table becomes LAMMPS'
    /// cubic spline on its grid.
    ///
    /// # Errors
    /// [`PotentialError::Unsupported`] when the table counts or lengths do not fit the element
    /// count, a grid step or the cutoff is not positive, or a table has fewer than 5 points.
    pub fn from_setfl(f: &SetflTables) -> Result<Eam> {
        let n = f.elements.len();
        let bad = |what: &str| Err(PotentialError::Unsupported(format!("setfl tables: {what}")));
        if n == 0 {
            return bad("no elements");
        }
        if f.masses.len() != n
            || f.frho.len() != n
            || (f.rhor.len() != n && f.rhor.len() != n * n)
            || f.z2r.len() != n * (n + 1) / 2
        {
            return bad("the number of masses or tables does not fit the element count");
        }
        let nrho = f.frho[0].len();
        let nr = f.rhor[0].len();
        if nrho < 5
            || nr < 5
            || f.frho.iter().any(|t| t.len() != nrho)
            || f.rhor.iter().chain(&f.z2r).any(|t| t.len() != nr)
        {
            return bad("tables of unequal length or with fewer than 5 points");
        }
        if !(f.drho > 0.0 && f.dr > 0.0 && f.cutoff > 0.0) {
            return bad("grid steps and cutoff must be positive");
        }
        let fs = f.is_finnis_sinclair();
        let frho = f.frho.iter().map(|v| Spline::new(v, f.drho)).collect();
        let rhor: Vec<Spline> = (0..n * n)
            .map(|k| {
                let (from, at) = (k / n, k % n);
                let table = if fs {
                    &f.rhor[from * n + at]
                } else {
                    &f.rhor[from]
                };
                Spline::new(table, f.dr)
            })
            .collect();
        let z2r: Vec<Spline> = (0..n * n)
            .map(|k| {
                let (a, b) = (k / n, k % n);
                let (i, j) = if a >= b { (a, b) } else { (b, a) };
                Spline::new(&f.z2r[i * (i + 1) / 2 + j], f.dr)
            })
            .collect();
        Ok(Eam {
            style: if fs {
                EamStyle::FinnisSinclair
            } else {
                EamStyle::Alloy
            },
            elements: f.elements.clone(),
            masses: f.masses.clone(),
            cutoff: f.cutoff,
            dr: f.dr,
            drho: f.drho,
            rho_max: (nrho - 1) as f64 * f.drho,
            tables: RTables::new(n, &rhor, &z2r),
            frho,
            rhor,
            z2r,
        })
    }

    /// Several funcfl files on LAMMPS' common grid: dr and drho the largest of the files,
    /// r_max and rho_max the largest extents, n = round(max / step) points (one fewer than a
    /// single file has), every table resampled with 4-point Lagrange interpolation.
    fn from_funcfl(files: &[Funcfl]) -> Result<Eam> {
        let mut elements: Vec<Element> = Vec::new();
        for f in files {
            if elements.contains(&f.element) {
                return Err(PotentialError::Unsupported(format!(
                    "two funcfl files for {}",
                    f.element
                )));
            }
            elements.push(f.element);
        }
        let dr = files.iter().map(|f| f.dr).fold(0.0, f64::max);
        let drho = files.iter().map(|f| f.drho).fold(0.0, f64::max);
        let r_max = files
            .iter()
            .map(|f| (f.zr.len() - 1) as f64 * f.dr)
            .fold(0.0, f64::max);
        let rho_max = files
            .iter()
            .map(|f| (f.frho.len() - 1) as f64 * f.drho)
            .fold(0.0, f64::max);
        let nr = (r_max / dr + 0.5) as usize;
        let nrho = (rho_max / drho + 0.5) as usize;
        let n = files.len();
        let frho = files
            .iter()
            .map(|f| Spline::new(&resample(&f.frho, f.drho, nrho, drho), drho))
            .collect();
        let rho_own: Vec<Spline> = files
            .iter()
            .map(|f| Spline::new(&resample(&f.rhor, f.dr, nr, dr), dr))
            .collect();
        let z: Vec<Vec<f64>> = files
            .iter()
            .map(|f| resample(&f.zr, f.dr, nr, dr))
            .collect();
        let rhor: Vec<Spline> = (0..n * n).map(|k| rho_own[k / n].clone()).collect();
        let z2r: Vec<Spline> = (0..n * n)
            .map(|k| {
                let (a, b) = (k / n, k % n);
                let zz: Vec<f64> = z[a]
                    .iter()
                    .zip(&z[b])
                    .map(|(x, y)| HARTREE_BOHR * x * y)
                    .collect();
                Spline::new(&zz, dr)
            })
            .collect();
        Ok(Eam {
            style: EamStyle::Funcfl,
            tables: RTables::new(n, &rhor, &z2r),
            elements,
            masses: files.iter().map(|f| f.mass).collect(),
            cutoff: files.iter().map(|f| f.cutoff).fold(0.0, f64::max),
            dr,
            drho,
            rho_max,
            frho,
            rhor,
            z2r,
        })
    }

    /// The file style.
    pub fn style(&self) -> EamStyle {
        self.style
    }

    /// Masses (amu) the file gives for its elements.
    pub fn masses(&self) -> &[f64] {
        &self.masses
    }

    /// The tables as a setfl or eam/fs file holds them (the grid nodes LAMMPS interpolates),
    /// for export: setfl layout when every element's density is the same in every host (all
    /// funcfl and setfl potentials, and eam/fs files that do not use the freedom), eam/fs
    /// layout otherwise. Funcfl potentials export their common-grid tables with the mixed
    /// pair terms. `Eam::from_setfl(&eam.setfl_tables())` evaluates exactly as `eam`.
    pub fn setfl_tables(&self) -> SetflTables {
        let n = self.elements.len();
        let nodes = |sp: &Spline| (0..sp.len()).map(|m| sp.node(m)).collect::<Vec<f64>>();
        let all: Vec<Vec<f64>> = self.rhor.iter().map(nodes).collect();
        let host_independent =
            (0..n).all(|from| (1..n).all(|at| all[from * n + at] == all[from * n]));
        let rhor = if host_independent {
            (0..n).map(|from| all[from * n].clone()).collect()
        } else {
            all
        };
        let mut z2r = Vec::with_capacity(n * (n + 1) / 2);
        for i in 0..n {
            for j in 0..=i {
                z2r.push(nodes(&self.z2r[i * n + j]));
            }
        }
        SetflTables {
            comments: [
                "exported by fe (fe-potentials) from a tabulated EAM".into(),
                format!("original style: {:?}", self.style),
                "UNITS: metal".into(),
            ],
            elements: self.elements.clone(),
            masses: self.masses.clone(),
            lattice_constants: vec![0.0; n],
            lattice_types: vec!["unknown".into(); n],
            drho: self.drho,
            dr: self.dr,
            cutoff: self.cutoff,
            frho: self.frho.iter().map(nodes).collect(),
            rhor,
            z2r,
        }
    }
}

/// Resample a table of step `d_file` onto `n` points of step `d` with LAMMPS' 4-point Lagrange
/// interpolation (the identity, up to rounding, when the grids coincide).
fn resample(values: &[f64], d_file: f64, n: usize, d: f64) -> Vec<f64> {
    let nf = values.len() as i64;
    (0..n)
        .map(|m| {
            let x = m as f64 * d;
            let mut p = x / d_file + 1.0;
            let k = (p as i64).min(nf - 2).max(2);
            p -= k as f64;
            let p = p.min(2.0);
            let c1 = -p * (p - 1.0) * (p - 2.0) / 6.0;
            let c2 = 0.5 * (p * p - 1.0) * (p - 2.0);
            let c3 = -0.5 * p * (p + 1.0) * (p - 2.0);
            let c4 = p * (p * p - 1.0) / 6.0;
            let k = k as usize; // 1-based index of the second stencil point
            c1 * values[k - 2] + c2 * values[k - 1] + c3 * values[k] + c4 * values[k + 1]
        })
        .collect()
}

impl EamFunctions for Eam {
    fn cutoff(&self) -> f64 {
        self.cutoff
    }

    fn min_distance(&self) -> f64 {
        // phi = z / r is singular at r = 0 and no table resolves its first interval.
        self.dr
    }

    #[inline]
    fn embedding(&self, s: usize, rho: f64) -> (f64, f64) {
        let (mut f, fp) = self.frho[s].eval(rho, Clamp::Both);
        if rho > self.rho_max {
            f += fp * (rho - self.rho_max);
        }
        (f, fp)
    }

    #[inline]
    fn densities(&self, si: usize, sj: usize, r: f64) -> (f64, f64) {
        self.tables.densities(si, sj, r)
    }

    #[inline]
    fn pair_terms(&self, si: usize, sj: usize, r: f64) -> PairTerms {
        let (z, dz, drho_at_i, drho_at_j) = self.tables.pair(si, sj, r);
        // As LAMMPS: phi = z/r, phi' = z'/r - phi/r with one reciprocal.
        let inv = 1.0 / r;
        let phi = z * inv;
        PairTerms {
            phi,
            dphi: dz * inv - phi * inv,
            drho_at_i,
            drho_at_j,
        }
    }
}

impl Potential for Eam {
    fn cutoff(&self) -> f64 {
        self.cutoff
    }

    fn list_kind(&self) -> ListKind {
        ListKind::Half
    }

    fn elements(&self) -> &[Element] {
        &self.elements
    }

    fn compute(
        &self,
        atoms: &BoundAtoms<'_>,
        list: &NeighborList,
        request: Request,
    ) -> Result<Results> {
        kernel::compute(self, atoms, list, request)
    }
}
