//! The `AtomData:` block: header columns and atom lines.

use std::io::BufRead;

use nalgebra::Vector3;

use super::{CHARGE, COLUMN_PREFIX, EN_DER_M, FORCES, MAGMOM, NBH_GRADES, SITE_ENERGY};
use crate::element::Element;
use crate::error::Result;
use crate::io::text::{parse_real, Line, LineReader};

/// The real-valued per-atom columns MLIP defines: (column, property, component, components).
pub(super) const KNOWN_COLUMNS: [(&str, &str, usize, usize); 12] = [
    ("site_en", SITE_ENERGY, 0, 1),
    ("fx", FORCES, 0, 3),
    ("fy", FORCES, 1, 3),
    ("fz", FORCES, 2, 3),
    ("charge", CHARGE, 0, 1),
    ("magmom_x", MAGMOM, 0, 3),
    ("magmom_y", MAGMOM, 1, 3),
    ("magmom_z", MAGMOM, 2, 3),
    ("en_der_mx", EN_DER_M, 0, 3),
    ("en_der_my", EN_DER_M, 1, 3),
    ("en_der_mz", EN_DER_M, 2, 3),
    ("nbh_grades", NBH_GRADES, 0, 1),
];

/// True when MLIP itself defines the `AtomData:` column `name`.
pub(super) fn is_mlip_column(name: &str) -> bool {
    matches!(
        name,
        "id" | "type" | "cartes_x" | "cartes_y" | "cartes_z" | "direct_x" | "direct_y" | "direct_z"
    ) || name == "ghost"
        || KNOWN_COLUMNS.iter().any(|c| c.0 == name)
}

/// Where an `AtomData:` column goes.
#[derive(Clone, Copy)]
pub(super) enum Target {
    Id,
    Type,
    Position(usize),
    Real { slot: usize, component: usize },
    Ghost,
}

/// A real-valued property being filled.
pub(super) struct Slot {
    pub(super) name: String,
    pub(super) components: usize,
    pub(super) seen: [bool; 3],
    pub(super) values: Vec<f64>,
}

/// The atoms of a configuration as read.
pub(super) struct Atoms {
    pub(super) line: usize,
    pub(super) species: Vec<Element>,
    pub(super) positions: Vec<Vector3<f64>>,
    pub(super) direct: bool,
    pub(super) slots: Vec<Slot>,
    pub(super) ghost: Option<Vec<bool>>,
}

/// Parse an `AtomData:` header into column targets, the real-valued properties it fills
/// (without values yet) and whether positions are fractional.
pub(super) fn parse_header(line: &Line<'_>) -> Result<(Vec<Target>, Vec<Slot>, bool)> {
    let mut targets = Vec::new();
    let mut slots: Vec<Slot> = Vec::new();
    let (mut cartes, mut direct) = ([false; 3], [false; 3]);
    let (mut id, mut ty, mut ghost) = (false, false, false);
    let twice = |tok: &str| line.err(format_args!("the `AtomData:` column `{tok}` appears twice"));
    for tok in line.fields().skip(1) {
        let target = match tok {
            "id" | "type" | "ghost" => {
                let flag = match tok {
                    "id" => &mut id,
                    "type" => &mut ty,
                    _ => &mut ghost,
                };
                if std::mem::replace(flag, true) {
                    return Err(twice(tok));
                }
                match tok {
                    "id" => Target::Id,
                    "type" => Target::Type,
                    _ => Target::Ghost,
                }
            }
            _ if tok.starts_with("cartes_") || tok.starts_with("direct_") => {
                let axis = match tok.as_bytes().last() {
                    Some(b'x') if tok.len() == 8 => 0,
                    Some(b'y') if tok.len() == 8 => 1,
                    Some(b'z') if tok.len() == 8 => 2,
                    _ => return Err(line.err(format_args!("unknown `AtomData:` column `{tok}`"))),
                };
                let set = if tok.starts_with('c') {
                    &mut cartes
                } else {
                    &mut direct
                };
                if std::mem::replace(&mut set[axis], true) {
                    return Err(twice(tok));
                }
                Target::Position(axis)
            }
            _ => {
                let (name, component, components) = match KNOWN_COLUMNS.iter().find(|c| c.0 == tok)
                {
                    Some(&(_, prop, c, n)) => (prop.to_string(), c, n),
                    None => (format!("{COLUMN_PREFIX}{tok}"), 0, 1),
                };
                let slot = match slots.iter().position(|s| s.name == name) {
                    Some(k) => k,
                    None => {
                        slots.push(Slot {
                            name,
                            components,
                            seen: [false; 3],
                            values: Vec::new(),
                        });
                        slots.len() - 1
                    }
                };
                if std::mem::replace(&mut slots[slot].seen[component], true) {
                    return Err(twice(tok));
                }
                Target::Real { slot, component }
            }
        };
        targets.push(target);
    }
    let is_direct = match (cartes, direct) {
        ([true, true, true], [false, false, false]) => false,
        ([false, false, false], [true, true, true]) => true,
        _ => {
            return Err(line.err(
                "expected positions as `cartes_x cartes_y cartes_z` or `direct_x direct_y \
                 direct_z` in the `AtomData:` header",
            ))
        }
    };
    for s in &slots {
        if s.seen[..s.components].iter().any(|&seen| !seen) {
            return Err(line.err(format_args!(
                "the `AtomData:` header gives only some components of `{}`",
                s.name
            )));
        }
    }
    Ok((targets, slots, is_direct))
}

/// The element of MLIP type `t`.
fn element_of(types: Option<&[Element]>, t: usize, line: &Line<'_>) -> Result<Element> {
    let Some(types) = types else {
        return Err(line.err(
            "MLIP types need an element order: give the element of each type (type 0 first; \
             `ReadOptions::types`, `--types W` on the command line)",
        ));
    };
    types.get(t).copied().ok_or_else(|| {
        line.err(format_args!(
            "type {t} has no element: the type order {} names {} type(s)",
            types
                .iter()
                .map(|e| e.symbol())
                .collect::<Vec<_>>()
                .join(","),
            types.len()
        ))
    })
}

/// A parsed `AtomData:` header.
pub(super) struct Header {
    pub(super) line: usize,
    pub(super) names: Vec<String>,
    pub(super) targets: Vec<Target>,
    pub(super) direct: bool,
}

/// Read the `n` atom lines after an `AtomData:` header.
pub(super) fn read_atoms<R: BufRead>(
    lines: &mut LineReader<R>,
    types: Option<&[Element]>,
    n: usize,
    header: &Header,
    mut slots: Vec<Slot>,
) -> Result<Atoms> {
    let targets = &header.targets[..];
    for s in &mut slots {
        s.values = vec![0.0; n * s.components];
    }
    let has_ghost = targets.iter().any(|t| matches!(t, Target::Ghost));
    let mut ghost = Vec::with_capacity(if has_ghost { n } else { 0 });
    let has_type = targets.iter().any(|t| matches!(t, Target::Type));
    let mut species = Vec::with_capacity(n);
    let mut positions = Vec::with_capacity(n);
    for i in 0..n {
        let line = lines.expect_line(&format!("atom {} of {n} (`Size` is {n})", i + 1))?;
        let count = line.fields().count();
        if count != targets.len() {
            let first = line.fields().next().unwrap_or("");
            return Err(if first.parse::<f64>().is_err() {
                line.err(format_args!(
                    "expected atom {} of {n} (`Size` is {n}), found `{first}`",
                    i + 1
                ))
            } else {
                line.err(format_args!(
                    "expected {} columns as the `AtomData:` header at line {} names, found {count}",
                    targets.len(),
                    header.line
                ))
            });
        }
        let mut r = Vector3::zeros();
        let mut element = None;
        let mut is_ghost = false;
        let number = |tok: &str, column: usize| match parse_real(tok) {
            Some(x) if x.is_finite() => Ok(x),
            _ => Err(line.err(format_args!(
                "expected a finite number in column `{}`, found `{tok}`",
                header.names[column]
            ))),
        };
        for (column, (tok, target)) in line.fields().zip(targets).enumerate() {
            match *target {
                Target::Id => {
                    if tok.parse::<usize>().ok() != Some(i + 1) {
                        return Err(line.err(format_args!(
                            "expected atom id {} (ids count 1, 2, 3, ... in order), found `{tok}`",
                            i + 1
                        )));
                    }
                }
                Target::Type => {
                    let t: usize = line.parse(tok, "a type (an integer >= 0)")?;
                    element = Some(element_of(types, t, &line)?);
                }
                Target::Position(a) => r[a] = number(tok, column)?,
                Target::Real { slot, component } => {
                    let s = &mut slots[slot];
                    s.values[i * s.components + component] = number(tok, column)?;
                }
                Target::Ghost => {
                    is_ghost = match tok {
                        "true" => true,
                        "false" => false,
                        _ => {
                            return Err(line.err(format_args!(
                                "expected `true` or `false` in the `ghost` column, found `{tok}`"
                            )))
                        }
                    }
                }
            }
        }
        if !has_type {
            element = Some(element_of(types, 0, &line)?);
        }
        if has_ghost {
            ghost.push(is_ghost);
        }
        species.push(element.expect("set by the type column or defaulted to type 0"));
        positions.push(r);
    }
    Ok(Atoms {
        line: header.line,
        species,
        positions,
        direct: header.direct,
        slots,
        ghost: has_ghost.then_some(ghost),
    })
}
