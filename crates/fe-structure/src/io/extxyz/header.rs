//! The comment line of a frame as the reader needs it: cell, periodicity, columns and info.

use std::collections::BTreeMap;

use nalgebra::Matrix3;

use super::comment::{infer, split_pairs, Pair};
use crate::cell::Cell;
use crate::error::Result;
use crate::io::text::Line;
use crate::structure::InfoValue;

/// What a column feeds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Target {
    Species,
    Z,
    Pos,
    Masses,
    Momenta,
    MoveMask,
    Other,
}

/// The value type of a column (`R`, `I`, `L`, `S`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Kind {
    Real,
    Int,
    Bool,
    Str,
}

/// One `name:T:n` entry of `Properties`.
#[derive(Debug, Clone)]
pub(super) struct Column {
    pub name: String,
    pub kind: Kind,
    pub width: usize,
    pub target: Target,
}

/// The parsed comment line of a frame.
pub(super) struct Header {
    /// The cell given by `Lattice` (with `pbc`, default all periodic).
    pub cell: Option<Cell>,
    /// `pbc` as given.
    pub pbc: Option<[bool; 3]>,
    pub columns: Vec<Column>,
    pub info: BTreeMap<String, InfoValue>,
    /// `Properties` as written, for messages.
    pub properties: String,
    /// Line number of the comment line.
    pub line: usize,
}

/// Largest accepted column count of one property.
const MAX_WIDTH: usize = 1 << 20;

/// ASE's `Properties` when the comment line has none.
const DEFAULT_PROPERTIES: &str = "species:S:1:pos:R:3";

/// Parse the comment line of a frame.
pub(super) fn parse_header(l: &Line<'_>) -> Result<Header> {
    let pairs = split_pairs(l.text).map_err(|m| l.err(m))?;
    let mut lattice = None;
    let mut pbc = None;
    let mut properties = None;
    let mut info = BTreeMap::new();
    for Pair { key, value } in pairs {
        if key.eq_ignore_ascii_case("lattice") {
            lattice = Some(parse_lattice(l, value.as_deref())?);
        } else if key.eq_ignore_ascii_case("properties") {
            properties = Some(value.ok_or_else(|| l.err("expected a value for Properties"))?);
        } else if key.eq_ignore_ascii_case("pbc") {
            pbc = Some(parse_pbc(l, value.as_deref())?);
        } else {
            let v = value.map_or(InfoValue::Bool(true), |v| infer(&v));
            let v = well_known(l, &key, v)?;
            info.insert(key, v);
        }
    }
    let properties = properties.unwrap_or_else(|| DEFAULT_PROPERTIES.to_string());
    let columns = parse_properties(l, &properties)?;
    let cell = match lattice {
        Some(h) => Some(
            Cell::new(h, pbc.unwrap_or([true; 3]))
                .map_err(|e| l.err(format_args!("invalid Lattice: {e}")))?,
        ),
        None => None,
    };
    Ok(Header {
        cell,
        pbc,
        columns,
        info,
        properties,
        line: l.no,
    })
}

/// Nine finite numbers, the rows a, b, c.
fn parse_lattice(l: &Line<'_>, value: Option<&str>) -> Result<Matrix3<f64>> {
    let value = value.unwrap_or("");
    let toks: Vec<&str> = value.split_whitespace().collect();
    if toks.len() != 9 {
        return Err(l.err(format_args!(
            "expected 9 numbers in Lattice, found {} (`{value}`)",
            toks.len()
        )));
    }
    let mut h = Matrix3::zeros();
    for (k, tok) in toks.iter().enumerate() {
        h[(k / 3, k % 3)] = l.real(tok, "Lattice component")?;
    }
    Ok(h)
}

/// One or three of T/F/True/False (any case); a bare `pbc` means all periodic.
fn parse_pbc(l: &Line<'_>, value: Option<&str>) -> Result<[bool; 3]> {
    let Some(value) = value else {
        return Ok([true; 3]);
    };
    let flags: Option<Vec<bool>> = value
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|t| !t.is_empty())
        .map(logical)
        .collect();
    match flags.as_deref() {
        Some(&[p]) => Ok([p; 3]),
        Some(&[a, b, c]) => Ok([a, b, c]),
        _ => Err(l.err(format_args!(
            "expected pbc=\"T T T\" (three of T or F), found `{value}`"
        ))),
    }
}

/// T/F/True/False in any case.
pub(super) fn logical(tok: &str) -> Option<bool> {
    if tok.eq_ignore_ascii_case("t") || tok.eq_ignore_ascii_case("true") {
        Some(true)
    } else if tok.eq_ignore_ascii_case("f") || tok.eq_ignore_ascii_case("false") {
        Some(false)
    } else {
        None
    }
}

/// Transpose a 3x3 tensor given as 9 numbers (column-major in the file, row-major in memory).
pub(super) fn transpose9(v: &[f64]) -> Vec<f64> {
    (0..9).map(|k| v[3 * (k % 3) + k / 3]).collect()
}

/// `energy` as a real; `virial` (9) and `stress` (9 or 6) as reals, 3x3 ones transposed from
/// the file's column order.
fn well_known(l: &Line<'_>, key: &str, v: InfoValue) -> Result<InfoValue> {
    let shown = |v: &InfoValue| match v {
        InfoValue::Str(s) => format!("`{s}`"),
        other => format!("{other:?}"),
    };
    match key {
        "energy" => v.as_real().map(InfoValue::Real).ok_or_else(|| {
            l.err(format_args!(
                "expected a number for energy, found {}",
                shown(&v)
            ))
        }),
        "virial" | "stress" => {
            let allowed: &[usize] = if key == "virial" { &[9] } else { &[9, 6] };
            match v.as_reals() {
                Some(x) if x.len() == 9 => Ok(InfoValue::Reals(transpose9(&x))),
                Some(x) if allowed.contains(&x.len()) => Ok(InfoValue::Reals(x)),
                _ => Err(l.err(format_args!(
                    "expected {} numbers for {key}, found {}",
                    if key == "virial" {
                        "9"
                    } else {
                        "9 (or 6, Voigt)"
                    },
                    shown(&v)
                ))),
            }
        }
        _ => Ok(v),
    }
}

/// Parse `name:T:n:...` into columns, deciding what each feeds.
fn parse_properties(l: &Line<'_>, s: &str) -> Result<Vec<Column>> {
    let f: Vec<&str> = s.split(':').collect();
    if f.len() % 3 != 0 {
        return Err(l.err(format_args!(
            "expected name:type:count triples in Properties, found `{s}`"
        )));
    }
    let mut columns: Vec<Column> = Vec::with_capacity(f.len() / 3);
    for t in f.chunks(3) {
        let (name, ty, n) = (t[0], t[1], t[2]);
        if name.is_empty() {
            return Err(l.err(format_args!("empty column name in Properties `{s}`")));
        }
        let kind = match ty {
            "R" => Kind::Real,
            "I" => Kind::Int,
            "L" => Kind::Bool,
            "S" => Kind::Str,
            _ => {
                return Err(l.err(format_args!(
                    "expected type S, R, I or L for column `{name}`, found `{ty}`"
                )))
            }
        };
        let width: usize = match n.parse() {
            Ok(w) if (1..=MAX_WIDTH).contains(&w) => w,
            _ => {
                return Err(l.err(format_args!(
                    "expected a column count from 1 to {MAX_WIDTH} for `{name}`, found `{n}`"
                )))
            }
        };
        if columns.iter().any(|c| c.name == name) {
            return Err(l.err(format_args!("column `{name}` appears twice in Properties")));
        }
        let target = target(name, kind, width).map_err(|m| l.err(m))?;
        columns.push(Column {
            name: name.to_string(),
            kind,
            width,
            target,
        });
    }
    if !columns
        .iter()
        .any(|c| matches!(c.target, Target::Species | Target::Z))
    {
        return Err(l.err("Properties has no `species:S:1` or `Z:I:1` column"));
    }
    if !columns.iter().any(|c| c.target == Target::Pos) {
        return Err(l.err("Properties has no `pos:R:3` column"));
    }
    Ok(columns)
}

/// What a column named `name` of this kind and width feeds, or why it cannot be read.
fn target(name: &str, kind: Kind, width: usize) -> Result<Target, String> {
    let expect = |want: &str| {
        Err(format!(
            "expected column `{want}`, found `{name}` of another type or width"
        ))
    };
    match (name, kind, width) {
        ("species", Kind::Str, 1) => Ok(Target::Species),
        ("species", ..) => expect("species:S:1"),
        ("Z", Kind::Int, 1) => Ok(Target::Z),
        ("Z", ..) => expect("Z:I:1"),
        ("pos", Kind::Real, 3) => Ok(Target::Pos),
        ("pos", ..) => expect("pos:R:3"),
        ("masses", Kind::Real, 1) => Ok(Target::Masses),
        ("masses", ..) => expect("masses:R:1"),
        ("momenta", Kind::Real, 3) => Ok(Target::Momenta),
        ("move_mask", Kind::Bool, 1 | 3) => Ok(Target::MoveMask),
        ("positions" | "velocities" | "fixed", ..) => Err(format!(
            "column name `{name}` is reserved (positions are `pos`, velocities `momenta`, fixed atoms `move_mask`)"
        )),
        (_, Kind::Str, w) if w != 1 => Err(format!(
            "string column `{name}` must have width 1, found {w}"
        )),
        _ => Ok(Target::Other),
    }
}
