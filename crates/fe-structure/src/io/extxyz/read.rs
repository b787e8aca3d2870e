//! Reading extended XYZ frames, one at a time, straight into their final arrays.

use std::io::BufRead;

use nalgebra::Vector3;

use super::header::{logical, parse_header, Column, Header, Kind, Target};
use super::ASE_VELOCITY_UNIT_A_PER_PS;
use crate::cell::Cell;
use crate::element::Element;
use crate::error::{Result, StructureError};
use crate::io::text::{parse_real, Line, LineReader};
use crate::io::Frames;
use crate::structure::{Property, Structure};

/// Largest per-atom capacity reserved from a frame's atom count before any atom is read, so a
/// corrupt count cannot request absurd memory; larger frames grow as they are read.
const MAX_RESERVE: usize = 1 << 22;

/// A column's values while its atoms are read.
enum Data {
    Elements(Vec<Element>),
    Vectors(Vec<Vector3<f64>>),
    Real(Vec<f64>),
    Int(Vec<i64>),
    Bool(Vec<bool>),
    Str(Vec<String>),
}

/// Read the frames selected by `frames`.
pub(crate) fn read_frames<R: BufRead>(
    reader: R,
    name: &str,
    frames: Frames,
) -> Result<Vec<Structure>> {
    let mut lines = LineReader::new(reader, name);
    let mut out = Vec::new();
    let mut index = 0;
    loop {
        let natoms = match lines.next_nonblank()? {
            None => break,
            Some(l) => atom_count(&l)?,
        };
        if frames.wants(index) {
            let s = read_frame(&mut lines, natoms)?;
            frames.push(&mut out, s);
        } else {
            skip_frame(&mut lines, natoms)?;
        }
        if frames.done_after(index) {
            break;
        }
        index += 1;
    }
    Ok(out)
}

/// The atom count that opens a frame.
fn atom_count(l: &Line<'_>) -> Result<usize> {
    let mut f = l.fields();
    match (f.next(), f.next()) {
        (Some(tok), None) => l.parse(tok, "the number of atoms (an integer >= 0)"),
        _ => Err(l.err(format_args!(
            "expected the number of atoms (one integer) at the start of a frame, found `{}`",
            l.text.trim()
        ))),
    }
}

fn truncated<R: BufRead>(lines: &LineReader<R>, k: usize, natoms: usize) -> StructureError {
    lines.error_at_next(format_args!(
        "unexpected end of file, expected atom line {} of {natoms}",
        k + 1
    ))
}

/// Skip a frame that is not wanted: its comment and atom lines are only counted.
fn skip_frame<R: BufRead>(lines: &mut LineReader<R>, natoms: usize) -> Result<()> {
    if lines.next_line()?.is_none() {
        return Err(lines.error_at_next("unexpected end of file, expected the comment line"));
    }
    for k in 0..natoms {
        if lines.next_line()?.is_none() {
            return Err(truncated(lines, k, natoms));
        }
    }
    Ok(())
}

fn read_frame<R: BufRead>(lines: &mut LineReader<R>, natoms: usize) -> Result<Structure> {
    let header = match lines.next_line()? {
        Some(l) => parse_header(&l)?,
        None => {
            return Err(lines.error_at_next("unexpected end of file, expected the comment line"))
        }
    };
    let mut data: Vec<Data> = header
        .columns
        .iter()
        .map(|c| {
            let n = natoms.min(MAX_RESERVE);
            match (c.target, c.kind) {
                (Target::Species | Target::Z, _) => Data::Elements(Vec::with_capacity(n)),
                (Target::Pos | Target::Momenta, _) => Data::Vectors(Vec::with_capacity(n)),
                (_, Kind::Real) => Data::Real(Vec::with_capacity(
                    n.saturating_mul(c.width).min(MAX_RESERVE),
                )),
                (_, Kind::Int) => Data::Int(Vec::with_capacity(
                    n.saturating_mul(c.width).min(MAX_RESERVE),
                )),
                (_, Kind::Bool) => Data::Bool(Vec::with_capacity(
                    n.saturating_mul(c.width).min(MAX_RESERVE),
                )),
                (_, Kind::Str) => Data::Str(Vec::with_capacity(n)),
            }
        })
        .collect();
    let n_fields: usize = header.columns.iter().map(|c| c.width).sum();
    let mut cache: Option<(String, Element)> = None;
    for k in 0..natoms {
        let Some(line) = lines.next_line()? else {
            return Err(truncated(lines, k, natoms));
        };
        let mut toks = line.fields();
        let short = |line: &Line<'_>| {
            line.err(format_args!(
                "expected {n_fields} fields ({}), found {}",
                header.properties,
                line.fields().count()
            ))
        };
        for (c, d) in header.columns.iter().zip(data.iter_mut()) {
            parse_column(&line, &mut toks, c, d, &mut cache)
                .map_err(|e| e.unwrap_or_else(|| short(&line)))?;
        }
        if toks.next().is_some() {
            return Err(short(&line));
        }
    }
    build(header, data, lines.name())
}

/// Parse one column's fields of an atom line; `Err(None)` means the line ran out of fields.
fn parse_column<'a>(
    line: &Line<'a>,
    toks: &mut impl Iterator<Item = &'a str>,
    c: &Column,
    d: &mut Data,
    cache: &mut Option<(String, Element)>,
) -> Result<(), Option<StructureError>> {
    let mut next = || toks.next().ok_or(None);
    match d {
        Data::Elements(v) => {
            let tok = next()?;
            v.push(element(line, tok, c.target, cache)?);
        }
        Data::Vectors(v) => {
            let mut r = Vector3::zeros();
            for a in 0..3 {
                r[a] = finite(line, next()?, c)?;
            }
            v.push(r);
        }
        Data::Real(v) => {
            for _ in 0..c.width {
                let tok = next()?;
                let x = if c.target == Target::Other {
                    parse_real(tok).ok_or_else(|| real_error(line, tok, c))?
                } else {
                    finite(line, tok, c)?
                };
                if c.target == Target::Masses && x <= 0.0 {
                    return Err(Some(line.err(format_args!(
                        "expected a positive mass (amu), found `{tok}`"
                    ))));
                }
                v.push(x);
            }
        }
        Data::Int(v) => {
            for _ in 0..c.width {
                let tok = next()?;
                v.push(tok.parse::<i64>().map_err(|_| {
                    line.err(format_args!(
                        "expected an integer for `{}`, found `{tok}`",
                        c.name
                    ))
                })?);
            }
        }
        Data::Bool(v) => {
            for _ in 0..c.width {
                let tok = next()?;
                v.push(logical(tok).ok_or_else(|| {
                    line.err(format_args!(
                        "expected T or F for `{}`, found `{tok}`",
                        c.name
                    ))
                })?);
            }
        }
        Data::Str(v) => v.push(next()?.to_string()),
    }
    Ok(())
}

fn real_error(line: &Line<'_>, tok: &str, c: &Column) -> StructureError {
    match line.real(tok, &format!("`{}` value", c.name)) {
        Err(e) => e,
        Ok(_) => line.err(format_args!(
            "expected a number for `{}`, found `{tok}`",
            c.name
        )),
    }
}

/// A finite real; the error names the column.
fn finite(line: &Line<'_>, tok: &str, c: &Column) -> Result<f64> {
    match tok.parse::<f64>() {
        Ok(x) if x.is_finite() => Ok(x),
        _ => line.real(tok, &format!("`{}` value", c.name)),
    }
}

/// The element of a species symbol or atomic number, remembering the last one seen.
fn element(
    line: &Line<'_>,
    tok: &str,
    target: Target,
    cache: &mut Option<(String, Element)>,
) -> Result<Element> {
    if let Some((t, e)) = cache {
        if t == tok {
            return Ok(*e);
        }
    }
    let e = if target == Target::Z {
        let z: u32 = line.parse(tok, "an atomic number")?;
        Element::from_z(z).map_err(|_| line.err(format_args!("unknown element `Z = {tok}`")))?
    } else {
        Element::from_symbol(tok).map_err(|_| line.err(format_args!("unknown element `{tok}`")))?
    };
    *cache = Some((tok.to_string(), e));
    Ok(e)
}

/// Assemble the structure of a frame from its header and columns.
fn build(header: Header, data: Vec<Data>, file: &str) -> Result<Structure> {
    let mut species = None;
    let mut z = None;
    let mut positions = None;
    let mut masses = None;
    let mut momenta = None;
    let mut move_mask = None;
    let mut others = Vec::new();
    for (c, d) in header.columns.into_iter().zip(data) {
        match (c.target, d) {
            (Target::Species, Data::Elements(v)) => species = Some(v),
            (Target::Z, Data::Elements(v)) => z = Some(v),
            (Target::Pos, Data::Vectors(v)) => positions = Some(v),
            (Target::Momenta, Data::Vectors(v)) => momenta = Some(v),
            (Target::Masses, Data::Real(v)) => masses = Some(v),
            (Target::MoveMask, Data::Bool(v)) => move_mask = Some((c.width, v)),
            (_, d) => others.push((c, d)),
        }
    }
    let at_header = |message: String| StructureError::Parse {
        file: file.to_string(),
        line: header.line,
        message,
    };
    let species = z
        .or(species)
        .ok_or_else(|| at_header("Properties has no `species:S:1` or `Z:I:1` column".into()))?;
    let positions =
        positions.ok_or_else(|| at_header("Properties has no `pos:R:3` column".into()))?;
    let cell = match header.cell {
        Some(cell) => cell,
        None => Cell::enclosing(&positions, 0.0)?.with_pbc(header.pbc.unwrap_or([false; 3])),
    };
    let mut s = Structure::new(cell, species, positions)?;
    if let Some(p) = momenta {
        let v = p
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let m = masses
                    .as_ref()
                    .map_or_else(|| s.species()[i].mass(), |m| m[i]);
                p / m * ASE_VELOCITY_UNIT_A_PER_PS
            })
            .collect();
        s.set_velocities(Some(v))
            .map_err(|e| at_header(format!("momenta: {e}")))?;
    }
    if let Some(m) = masses {
        s.set_masses(Some(m))?;
    }
    if let Some((width, v)) = move_mask {
        let fixed: Vec<bool> = v.chunks(width).map(|row| row.iter().all(|m| !m)).collect();
        let partial = v
            .chunks(width)
            .any(|row| row.iter().any(|&m| m) && !row.iter().all(|&m| m));
        s.set_fixed(Some(fixed))?;
        if partial {
            s.set_property(
                "move_mask",
                Property::Bool {
                    components: width,
                    values: v,
                },
            )?;
        }
    }
    for (c, d) in others {
        let p = match d {
            Data::Real(values) => Property::Real {
                components: c.width,
                values,
            },
            Data::Int(values) => Property::Int {
                components: c.width,
                values,
            },
            Data::Bool(values) => Property::Bool {
                components: c.width,
                values,
            },
            Data::Str(values) => Property::Str { values },
            Data::Elements(_) | Data::Vectors(_) => {
                unreachable!("only species, Z, pos and momenta columns hold elements or vectors")
            }
        };
        s.set_property(&c.name, p)
            .map_err(|e| at_header(format!("column `{}`: {e}", c.name)))?;
    }
    *s.info_mut() = header.info;
    Ok(s)
}
