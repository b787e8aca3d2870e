//! The header of a LAMMPS data file: counts and box.

use nalgebra::{Matrix3, Vector3};

use crate::cell::LammpsBox;
use crate::error::{Result, StructureError};
use crate::io::text::Line;

/// Counts of topology types, for skipping their coefficient sections.
#[derive(Debug, Default, Clone, Copy)]
pub(super) struct TopologyTypes {
    pub bond: usize,
    pub angle: usize,
    pub dihedral: usize,
    pub improper: usize,
}

/// Everything the header says.
#[derive(Debug)]
pub(super) struct Header {
    pub natoms: usize,
    pub ntypes: usize,
    pub topology: TopologyTypes,
    lo: Vector3<f64>,
    hi: Vector3<f64>,
    tilt: [f64; 3],
    /// Line of the first restricted-box keyword, if any.
    restricted_line: Option<usize>,
    /// General triclinic `avec`, `bvec`, `cvec`.
    general: [Option<Vector3<f64>>; 3],
    /// Line of the first general-triclinic keyword, if any.
    general_line: Option<usize>,
}

impl Default for Header {
    fn default() -> Self {
        Header {
            natoms: 0,
            ntypes: 0,
            topology: TopologyTypes::default(),
            lo: Vector3::repeat(-0.5),
            hi: Vector3::repeat(0.5),
            tilt: [0.0; 3],
            restricted_line: None,
            general: [None; 3],
            general_line: None,
        }
    }
}

/// Most atom types accepted (LAMMPS itself allows more, but no file we read needs them).
const MAX_TYPES: usize = 1 << 20;

/// Counts that belong to molecular or extended atom styles.
const OTHER_STYLE_COUNTS: [&str; 8] = [
    "bonds",
    "angles",
    "dihedrals",
    "impropers",
    "ellipsoids",
    "lines",
    "triangles",
    "bodies",
];

impl Header {
    /// Parse one header line (comment already removed, `body` not blank). Returns false when
    /// the line is not a header line (it starts the sections).
    pub fn parse_line(&mut self, line: &Line<'_>, body: &str) -> Result<bool> {
        let toks: Vec<&str> = body.split_whitespace().collect();
        let numeric = |t: &str| {
            t.chars()
                .next()
                .is_some_and(|c| c.is_ascii_digit() || matches!(c, '-' | '+' | '.'))
        };
        if !numeric(toks[0]) {
            return Ok(false);
        }
        let nums = toks.iter().take_while(|t| numeric(t)).count();
        let count = |what: &str| {
            if nums == 1 {
                line.parse::<usize>(toks[0], what)
            } else {
                Err(line.err(format_args!("expected one number ({what}), found {nums}")))
            }
        };
        match toks[nums..] {
            ["atoms"] => self.natoms = count("the number of atoms")?,
            ["atom", "types"] => {
                self.ntypes = count("the number of atom types")?;
                if self.ntypes > MAX_TYPES {
                    return Err(line.err(format_args!(
                        "expected at most {MAX_TYPES} atom types, found {}",
                        self.ntypes
                    )));
                }
            }
            [kind, "types"] if matches!(kind, "bond" | "angle" | "dihedral" | "improper") => {
                let n = count("a number of types")?;
                let t = &mut self.topology;
                *match kind {
                    "bond" => &mut t.bond,
                    "angle" => &mut t.angle,
                    "dihedral" => &mut t.dihedral,
                    _ => &mut t.improper,
                } = n;
            }
            [kind] if OTHER_STYLE_COUNTS.contains(&kind) => {
                if count(&format!("the number of {kind}"))? > 0 {
                    return Err(line.err(format_args!(
                        "this file has {kind}, which atom style atomic cannot hold; only atom \
                         styles atomic and charge are supported"
                    )));
                }
            }
            ["extra", _, "per", "atom"] => {
                count("a count")?;
            }
            [lo @ ("xlo" | "ylo" | "zlo"), hi @ ("xhi" | "yhi" | "zhi")] => {
                if lo.as_bytes()[0] != hi.as_bytes()[0] {
                    return Err(unknown(line, body));
                }
                let a = usize::from(lo.as_bytes()[0] - b'x');
                let v = line.reals(2, &format!("{lo} {hi}"), true)?;
                if v[1] <= v[0] {
                    return Err(line.err(format_args!(
                        "expected {hi} > {lo}, found {lo} = {} and {hi} = {}",
                        v[0], v[1]
                    )));
                }
                (self.lo[a], self.hi[a]) = (v[0], v[1]);
                self.restricted_line.get_or_insert(line.no);
            }
            ["xy", "xz", "yz"] => {
                let v = line.reals(3, "xy xz yz", true)?;
                self.tilt = [v[0], v[1], v[2]];
                self.restricted_line.get_or_insert(line.no);
            }
            [v @ ("avec" | "bvec" | "cvec")] => {
                let x = line.reals(3, v, true)?;
                let i = usize::from(v.as_bytes()[0] - b'a');
                self.general[i] = Some(Vector3::new(x[0], x[1], x[2]));
                self.general_line.get_or_insert(line.no);
            }
            ["abc", "origin"] => {
                // Positions keep their absolute coordinates, so the origin is not needed.
                line.reals(3, "abc origin", true)?;
                self.general_line.get_or_insert(line.no);
            }
            _ => return Err(unknown(line, body)),
        }
        Ok(true)
    }

    /// The cell rows the header describes.
    pub fn cell_matrix(&self, file: &str) -> Result<Matrix3<f64>> {
        let err = |line: usize, message: String| StructureError::Parse {
            file: file.to_string(),
            line,
            message,
        };
        match (self.restricted_line, self.general_line) {
            (Some(r), Some(g)) => Err(err(
                g,
                format!(
                    "the header mixes `xlo xhi`-style bounds (line {r}) with the general \
                     triclinic `avec bvec cvec` form; use one of them"
                ),
            )),
            (_, Some(g)) => match self.general {
                [Some(a), Some(b), Some(c)] => Ok(Matrix3::from_rows(&[
                    a.transpose(),
                    b.transpose(),
                    c.transpose(),
                ])),
                _ => Err(err(
                    g,
                    "the general triclinic header needs all of avec, bvec and cvec".into(),
                )),
            },
            _ => {
                let [xy, xz, yz] = self.tilt;
                Ok(LammpsBox::from_lo_hi(self.lo, self.hi, xy, xz, yz).matrix())
            }
        }
    }
}

fn unknown(line: &Line<'_>, body: &str) -> StructureError {
    line.err(format_args!(
        "expected a header line (`N atoms`, `N atom types`, `xlo xhi`, `xy xz yz`, `avec`, ...), \
         found `{body}`"
    ))
}
