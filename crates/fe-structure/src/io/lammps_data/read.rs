//! Reading LAMMPS data files (see the module docs for the rules).

use std::io::BufRead;

use nalgebra::{Matrix3, Vector3};

use super::header::Header;
use super::sections::{entries, next_section, skip_unknown, SectionStart};
use crate::cell::Cell;
use crate::element::Element;
use crate::error::{Result, StructureError};
use crate::io::lammps_common::{id_order, permute_rows, split_comment, unwrap_image};
use crate::io::text::{Line, LineReader};
use crate::io::ReadOptions;
use crate::structure::{Property, Structure};

/// Largest number of atoms reserved up front from a header count (larger files grow).
const MAX_RESERVE: usize = 1 << 20;
/// What the file says about one atom type.
#[derive(Default, Clone)]
struct TypeInfo {
    mass: Option<f64>,
    comment: Option<Element>,
    label: Option<String>,
    /// The first line of the Atoms section using this type (0: unused).
    first_use: usize,
}

/// The `Atoms` section, sorted by id once complete.
#[derive(Default)]
struct Atoms {
    ids: Vec<i64>,
    types: Vec<u32>,
    positions: Vec<Vector3<f64>>,
    charges: Option<Vec<f64>>,
}

/// The file read so far.
struct State {
    header: Header,
    h: Matrix3<f64>,
    types: Vec<TypeInfo>,
    atoms: Option<Atoms>,
    velocities: Option<Vec<Vector3<f64>>>,
}

/// Read a LAMMPS data file (atom style `atomic` or `charge`) as one structure.
///
/// # Errors
/// [`StructureError::Parse`] naming the file and line for malformed text (bad numbers, NaN,
/// wrong counts, duplicate ids, unknown types, unsupported atom styles), and
/// [`StructureError::File`] when the file lacks an `Atoms` section or an atom type's element
/// cannot be told (see the module docs for how it is found).
pub fn read<R: BufRead>(reader: R, name: &str, opts: &ReadOptions) -> Result<Vec<Structure>> {
    let mut r = LineReader::new(reader, name);
    r.expect_line("the title line")?;
    let mut header = Header::default();
    let mut next = None;
    while let Some(line) = r.next_line()? {
        let (body, _) = split_comment(line.text);
        if !body.is_empty() && !header.parse_line(&line, body)? {
            next = Some(SectionStart::new(&line));
            break;
        }
    }
    let h = header.cell_matrix(name)?;
    let mut state = State {
        types: vec![TypeInfo::default(); header.ntypes],
        header,
        h,
        atoms: None,
        velocities: None,
    };
    while let Some(sec) = next {
        next = state.section(&mut r, &sec)?;
    }
    let end_line = r.line_no() + 1;
    state.finish(name, opts, end_line).map(|s| vec![s])
}
/// Atom style of the `Atoms` section.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Style {
    Atomic,
    Charge,
}

impl State {
    /// Read one section and return the next one.
    fn section<R: BufRead>(
        &mut self,
        r: &mut LineReader<R>,
        sec: &SectionStart,
    ) -> Result<Option<SectionStart>> {
        let nt = self.header.ntypes;
        let top = self.header.topology;
        let n = match sec.name.as_str() {
            "Atoms" => {
                self.read_atoms(r, sec)?;
                self.header.natoms
            }
            "Velocities" => {
                self.read_velocities(r, sec)?;
                self.header.natoms
            }
            "Masses" => {
                let types = &mut self.types;
                entries(r, sec, nt, |line, body, comment, _| {
                    mass_line(line, body, comment, types)
                })?;
                nt
            }
            "Atom Type Labels" => {
                let types = &mut self.types;
                entries(r, sec, nt, |line, body, _, _| label_line(line, body, types))?;
                nt
            }
            "Bonds" | "Angles" | "Dihedrals" | "Impropers" | "Ellipsoids" | "Lines"
            | "Triangles" | "Bodies" => {
                return Err(sec.err(
                    r.name(),
                    format_args!(
                        "a {} section belongs to another atom style; only atom styles atomic \
                         and charge are supported",
                        sec.name
                    ),
                ))
            }
            other => {
                let count = match other {
                    "Pair Coeffs" => Some(nt),
                    "PairIJ Coeffs" => Some(nt * (nt + 1) / 2),
                    "Bond Coeffs" | "Bond Type Labels" => Some(top.bond),
                    "Angle Coeffs" | "BondBond Coeffs" | "BondAngle Coeffs"
                    | "Angle Type Labels" => Some(top.angle),
                    "Dihedral Coeffs"
                    | "MiddleBondTorsion Coeffs"
                    | "EndBondTorsion Coeffs"
                    | "AngleTorsion Coeffs"
                    | "AngleAngleTorsion Coeffs"
                    | "BondBond13 Coeffs"
                    | "Dihedral Type Labels" => Some(top.dihedral),
                    "Improper Coeffs" | "AngleAngle Coeffs" | "Improper Type Labels" => {
                        Some(top.improper)
                    }
                    _ => None,
                };
                match count {
                    Some(c) => {
                        entries(r, sec, c, |_, _, _, _| Ok(()))?;
                        c
                    }
                    None => return skip_unknown(r),
                }
            }
        };
        next_section(r, sec, n)
    }

    fn read_atoms<R: BufRead>(&mut self, r: &mut LineReader<R>, sec: &SectionStart) -> Result<()> {
        let file = r.name().to_string();
        if self.atoms.is_some() {
            return Err(sec.err(&file, "a second Atoms section"));
        }
        let hint = sec
            .hint
            .as_deref()
            .and_then(|h| h.split_whitespace().next());
        let mut style = match hint {
            Some("atomic") => Some(Style::Atomic),
            Some("charge") => Some(Style::Charge),
            Some(other) => {
                return Err(sec.err(
                    &file,
                    format_args!(
                        "atom style `{other}` is not supported; only atomic and charge are"
                    ),
                ))
            }
            None => None,
        };
        let n = self.header.natoms;
        let cap = n.min(MAX_RESERVE);
        let mut atoms = Atoms {
            ids: Vec::with_capacity(cap),
            types: Vec::with_capacity(cap),
            positions: Vec::with_capacity(cap),
            charges: (style == Some(Style::Charge)).then(|| Vec::with_capacity(cap)),
        };
        let mut first_line = 0;
        let mut first_use = vec![None; self.types.len()];
        entries(r, sec, n, |line, body, _, k| {
            if k == 0 {
                first_line = line.no;
            }
            let mut toks = [""; 10];
            let mut count = 0;
            for t in body.split_whitespace() {
                if count < toks.len() {
                    toks[count] = t;
                }
                count += 1;
            }
            let style = *match &mut style {
                Some(s) => s,
                None => match count {
                    5 | 8 => style.insert(Style::Atomic),
                    _ => {
                        return Err(line.err(format_args!(
                            "cannot tell the atom style from {count} columns; write \
                             `Atoms # atomic` (id type x y z) or `Atoms # charge` (id type q x y \
                             z)"
                        )))
                    }
                },
            };
            let (base, what) = match style {
                Style::Atomic => (5, "atomic: id type x y z [ix iy iz]"),
                Style::Charge => (6, "charge: id type q x y z [ix iy iz]"),
            };
            if count != base && count != base + 3 {
                return Err(line.err(format_args!(
                    "expected {base} or {} columns ({what}), found {count}",
                    base + 3
                )));
            }
            let id: i64 = line.parse(toks[0], "a positive atom id")?;
            if id <= 0 {
                return Err(line.err(format_args!("expected a positive atom id, found `{id}`")));
            }
            let t = type_index(line, toks[1], &self.types)?;
            first_use[t as usize - 1].get_or_insert(line.no);
            let off = base - 3;
            if let Some(q) = &mut atoms.charges {
                q.push(line.real(toks[2], "charge")?);
            }
            let mut x = Vector3::zeros();
            for a in 0..3 {
                x[a] = line.real(toks[off + a], "coordinate")?;
            }
            if count == base + 3 {
                let mut image = [0i64; 3];
                for a in 0..3 {
                    image[a] = line.parse(toks[base + a], "an integer image flag")?;
                }
                x = unwrap_image(x, image, &self.h);
            }
            atoms.ids.push(id);
            atoms.types.push(t);
            atoms.positions.push(x);
            Ok(())
        })?;
        match id_order(&atoms.ids) {
            Ok(None) => {}
            Ok(Some(order)) => {
                permute_rows(&mut atoms.ids, &order, 1);
                permute_rows(&mut atoms.types, &order, 1);
                permute_rows(&mut atoms.positions, &order, 1);
                if let Some(q) = &mut atoms.charges {
                    permute_rows(q, &order, 1);
                }
            }
            Err((i, j)) => {
                return Err(StructureError::Parse {
                    file,
                    line: first_line + i.max(j),
                    message: format!(
                        "duplicate atom id {} (also on line {})",
                        atoms.ids[i],
                        first_line + i.min(j)
                    ),
                })
            }
        }
        for (info, first) in self.types.iter_mut().zip(first_use) {
            info.first_use = first.unwrap_or(0);
        }
        self.atoms = Some(atoms);
        Ok(())
    }

    fn read_velocities<R: BufRead>(
        &mut self,
        r: &mut LineReader<R>,
        sec: &SectionStart,
    ) -> Result<()> {
        let Some(atoms) = &self.atoms else {
            return Err(sec.err(
                r.name(),
                "the Velocities section must follow the Atoms section",
            ));
        };
        let n = self.header.natoms;
        let mut v = vec![Vector3::zeros(); n];
        let mut seen = vec![false; n];
        entries(r, sec, n, |line, body, _, _| {
            let toks: Vec<&str> = body.split_whitespace().collect();
            if toks.len() != 4 {
                return Err(line.err(format_args!(
                    "expected 4 columns (id vx vy vz), found {}",
                    toks.len()
                )));
            }
            let id: i64 = line.parse(toks[0], "an atom id")?;
            let i = atoms
                .ids
                .binary_search(&id)
                .map_err(|_| line.err(format_args!("no atom has id {id}")))?;
            if std::mem::replace(&mut seen[i], true) {
                return Err(line.err(format_args!("a second velocity for atom id {id}")));
            }
            for a in 0..3 {
                v[i][a] = line.real(toks[1 + a], "velocity")?;
            }
            Ok(())
        })?;
        self.velocities = Some(v);
        Ok(())
    }

    /// Build the structure once every section is read.
    fn finish(self, file: &str, opts: &ReadOptions, end_line: usize) -> Result<Structure> {
        let file_err = |message: String| StructureError::File {
            file: file.to_string(),
            message,
        };
        let line_err = |line: usize, message: String| StructureError::Parse {
            file: file.to_string(),
            line,
            message,
        };
        let atoms = match self.atoms {
            Some(a) => a,
            None if self.header.natoms == 0 => Atoms::default(),
            None => {
                return Err(line_err(
                    end_line,
                    format!(
                        "the header says {} atoms but the file ends without an Atoms section",
                        self.header.natoms
                    ),
                ))
            }
        };
        let used: Vec<bool> = self.types.iter().map(|i| i.first_use > 0).collect();
        let mut elements = vec![Element::X; self.types.len()];
        for (k, info) in self.types.iter().enumerate().filter(|(k, _)| used[*k]) {
            elements[k] = type_element(k, info, opts).ok_or_else(|| {
                line_err(
                    info.first_use,
                    format!(
                        "cannot tell the element of atom type {t}: add a comment after its mass \
                         (`{t} 55.845 # Fe` in Masses) or give the element of each type (read \
                         option `types`, `--types Fe,W` on the command line)",
                        t = k + 1
                    ),
                )
            })?;
        }
        let explicit_mass = self
            .types
            .iter()
            .enumerate()
            .any(|(k, info)| used[k] && info.mass.is_some_and(|m| m != elements[k].mass()));
        let species: Vec<Element> = atoms
            .types
            .iter()
            .map(|&t| elements[t as usize - 1])
            .collect();
        let cell = Cell::new(self.h, [true; 3]).map_err(|e| file_err(format!("box: {e}")))?;
        let mut s = Structure::new(cell, species, atoms.positions)?;
        if explicit_mass {
            let per_type: Vec<f64> = (0..self.types.len())
                .map(|k| self.types[k].mass.unwrap_or(elements[k].mass()))
                .collect();
            s.set_masses(Some(
                atoms
                    .types
                    .iter()
                    .map(|&t| per_type[t as usize - 1])
                    .collect(),
            ))?;
        }
        s.set_velocities(self.velocities)?;
        if let Some(q) = atoms.charges {
            s.set_property("charge", Property::scalar(q))?;
        }
        Ok(s)
    }
}

/// The element of type k + 1: mass comment, type label, read option, or mass.
fn type_element(k: usize, info: &TypeInfo, opts: &ReadOptions) -> Option<Element> {
    info.comment
        .or_else(|| {
            info.label
                .as_deref()
                .and_then(|l| Element::from_symbol(l).ok())
        })
        .or_else(|| opts.types.as_ref().and_then(|t| t.get(k).copied()))
        .or_else(|| info.mass.and_then(|m| Element::from_mass(m, 0.01)))
}

/// The 1-based type number of a type token (a number or a type label).
fn type_index(line: &Line<'_>, tok: &str, types: &[TypeInfo]) -> Result<u32> {
    let n = types.len();
    if let Ok(t) = tok.parse::<u32>() {
        if t >= 1 && t as usize <= n {
            return Ok(t);
        }
        return Err(line.err(format_args!(
            "expected an atom type from 1 to {n} (`{n} atom types` in the header), found `{tok}`"
        )));
    }
    types
        .iter()
        .position(|i| i.label.as_deref() == Some(tok))
        .map(|k| k as u32 + 1)
        .ok_or_else(|| {
            line.err(format_args!(
                "expected an atom type (1 to {n} or a label from Atom Type Labels), found `{tok}`"
            ))
        })
}

fn mass_line(
    line: &Line<'_>,
    body: &str,
    comment: Option<&str>,
    types: &mut [TypeInfo],
) -> Result<()> {
    let toks: Vec<&str> = body.split_whitespace().collect();
    if toks.len() != 2 {
        return Err(line.err(format_args!(
            "expected 2 columns (type mass), found {}",
            toks.len()
        )));
    }
    let t = type_index(line, toks[0], types)? as usize - 1;
    let m = line.real(toks[1], "mass")?;
    if m <= 0.0 {
        return Err(line.err(format_args!(
            "expected a positive mass, found `{}`",
            toks[1]
        )));
    }
    types[t].mass = Some(m);
    types[t].comment = comment
        .and_then(|c| c.split_whitespace().next())
        .and_then(|s| Element::from_symbol(s).ok());
    Ok(())
}

fn label_line(line: &Line<'_>, body: &str, types: &mut [TypeInfo]) -> Result<()> {
    let toks: Vec<&str> = body.split_whitespace().collect();
    if toks.len() != 2 {
        return Err(line.err(format_args!(
            "expected 2 columns (type label), found {}",
            toks.len()
        )));
    }
    let t = type_index(line, toks[0], types)? as usize - 1;
    types[t].label = Some(toks[1].to_string());
    Ok(())
}
