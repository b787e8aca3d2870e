//! Reading POSCAR/CONTCAR files.

use std::io::BufRead;

use nalgebra::{Matrix3, Vector3};

use super::{SELECTIVE_DYNAMICS, VASP_VELOCITY_TO_A_PER_PS};
use crate::cell::Cell;
use crate::element::Element;
use crate::error::{Result, StructureError};
use crate::io::text::{Line, LineReader};
use crate::structure::{InfoValue, Property, Structure};

/// Largest per-atom capacity reserved from the counts before the atoms are read.
const MAX_RESERVE: usize = 1 << 22;

/// The scale line.
enum Scale {
    Factor(f64),
    Volume(f64),
    Axes([f64; 3]),
}

/// What a line after the positions announces.
enum Mode {
    Blank,
    Cartesian,
    Direct,
    LatticeVelocities,
    Other,
}

fn mode(text: &str) -> Mode {
    match text
        .trim_start()
        .chars()
        .next()
        .map(|c| c.to_ascii_lowercase())
    {
        None => Mode::Blank,
        Some('c' | 'k') => Mode::Cartesian,
        Some('d') => Mode::Direct,
        Some('l') => Mode::LatticeVelocities,
        Some(_) => Mode::Other,
    }
}

/// The leading numbers of the scale line (one, or three positive ones).
fn parse_scale(l: &Line<'_>) -> Result<Scale> {
    let nums: Vec<f64> = l
        .fields()
        .take(3)
        .map_while(|t| t.parse::<f64>().ok())
        .collect();
    let bad = |what: &str| Err(l.err(format_args!("expected {what}, found `{}`", l.text.trim())));
    match nums.as_slice() {
        [s] if s.is_finite() && *s > 0.0 => Ok(Scale::Factor(*s)),
        [s] if s.is_finite() && *s < 0.0 => Ok(Scale::Volume(-s)),
        [_] => bad("a non-zero finite scale factor"),
        [a, b, c] if [a, b, c].iter().all(|x| x.is_finite() && **x > 0.0) => {
            Ok(Scale::Axes([*a, *b, *c]))
        }
        [_, _, _] => bad("three positive finite scale factors"),
        _ => bad("one scale factor or three"),
    }
}

/// Atom counts up to the end of the line or a `!` comment.
fn parse_counts(l: &Line<'_>) -> Result<Vec<usize>> {
    let counts = l
        .fields()
        .take_while(|t| !t.contains('!'))
        .map(|t| l.parse::<usize>(t, "an atom count (an integer >= 0)"))
        .collect::<Result<Vec<_>>>()?;
    let total = counts.iter().try_fold(0_usize, |t, &c| t.checked_add(c));
    if counts.is_empty() || !matches!(total, Some(t) if t > 0) {
        return Err(l.err(format_args!(
            "expected atom counts adding up to at least 1, found `{}`",
            l.text.trim()
        )));
    }
    Ok(counts)
}

/// The element of a symbol or POTCAR label (`Fe`, `Fe_pv`, `Fe_pv/1a2b`).
fn symbol(l: &Line<'_>, tok: &str) -> Result<Element> {
    let label = tok.split('/').next().unwrap_or(tok);
    let sym = label.split('_').next().unwrap_or(label);
    Element::from_symbol(sym).map_err(|_| l.err(format_args!("unknown element `{tok}`")))
}

/// The elements and counts: a symbol line and a count line (VASP 5), or only counts with the
/// elements from `types` (VASP 4).
fn species_block<R: BufRead>(
    lines: &mut LineReader<R>,
    types: Option<&[Element]>,
) -> Result<(Vec<Element>, Vec<usize>)> {
    let l = lines.expect_line("the element symbols or the atom counts")?;
    let Some(first) = l.fields().next() else {
        return Err(l.err("expected the element symbols or the atom counts, found an empty line"));
    };
    if first.parse::<usize>().is_ok() {
        let counts = parse_counts(&l)?;
        let types = types.ok_or_else(|| {
            l.err("this VASP 4 POSCAR has no element line: pass the elements in ReadOptions::types")
        })?;
        if types.len() < counts.len() {
            return Err(l.err(format_args!(
                "expected at most {} atom counts (one per element of ReadOptions::types), found {}",
                types.len(),
                counts.len()
            )));
        }
        return Ok((types[..counts.len()].to_vec(), counts));
    }
    let elements = l
        .fields()
        .map(|t| symbol(&l, t))
        .collect::<Result<Vec<_>>>()?;
    let lc = lines.expect_line("the atom counts")?;
    let counts = parse_counts(&lc)?;
    if counts.len() != elements.len() {
        return Err(lc.err(format_args!(
            "expected {} atom counts (one per element), found {}",
            elements.len(),
            counts.len()
        )));
    }
    Ok((elements, counts))
}

/// T or F in any case.
fn flag(l: &Line<'_>, tok: &str) -> Result<bool> {
    match tok {
        "T" | "t" => Ok(true),
        "F" | "f" => Ok(false),
        _ => Err(l.err(format_args!(
            "expected a selective dynamics flag T or F, found `{tok}`"
        ))),
    }
}

/// Read one structure.
pub(super) fn read_poscar<R: BufRead>(
    reader: R,
    name: &str,
    types: Option<&[Element]>,
) -> Result<Structure> {
    let mut lines = LineReader::new(reader, name);
    let comment = lines
        .expect_line("the comment line")?
        .text
        .trim()
        .to_string();
    let scale = parse_scale(&lines.expect_line("the scale factor")?)?;
    let mut h = Matrix3::zeros();
    for a in 0..3 {
        let l = lines.expect_line("a lattice vector")?;
        let v = l.reals(3, "lattice vector", true)?;
        h.set_row(a, &Vector3::new(v[0], v[1], v[2]).transpose());
    }
    let lattice_line = lines.line_no();
    let factors = match scale {
        Scale::Factor(s) => Vector3::repeat(s),
        Scale::Volume(v) => Vector3::repeat((v / h.determinant().abs()).cbrt()),
        Scale::Axes([a, b, c]) => Vector3::new(a, b, c),
    };
    for a in 0..3 {
        let row = h.row(a).transpose().component_mul(&factors);
        h.set_row(a, &row.transpose());
    }
    let cell = Cell::new(h, [true; 3]).map_err(|e| StructureError::Parse {
        file: name.to_string(),
        line: lattice_line,
        message: format!("invalid lattice: {e}"),
    })?;
    let (elements, counts) = species_block(&mut lines, types)?;
    // counts come from the file: fill the species while the positions are read, so a huge
    // count ends in a truncated-file error, not in a huge allocation
    let n: usize = counts.iter().sum();
    let mut runs = elements
        .iter()
        .zip(&counts)
        .flat_map(|(&e, &c)| std::iter::repeat_n(e, c));
    let reserve = n.min(MAX_RESERVE);
    let mut species = Vec::with_capacity(reserve);

    let l = lines.expect_line("`Selective dynamics`, `Direct` or `Cartesian`")?;
    let selective = l.text.trim_start().starts_with(['s', 'S']);
    let l = if selective {
        lines.expect_line("`Direct` or `Cartesian`")?
    } else {
        l
    };
    let cartesian = match mode(l.text) {
        Mode::Cartesian => true,
        Mode::Direct => false,
        _ => {
            return Err(l.err(format_args!(
                "expected `Direct` or `Cartesian`, found `{}`",
                l.text.trim()
            )))
        }
    };

    let mut positions = Vec::with_capacity(reserve);
    let mut flags = Vec::with_capacity(if selective { 3 * reserve } else { 0 });
    for k in 0..n {
        let Some(l) = lines.next_line()? else {
            return Err(lines.error_at_next(format_args!(
                "unexpected end of file, expected position {} of {n}",
                k + 1
            )));
        };
        let toks: Vec<&str> = l.fields().collect();
        let need = if selective { 6 } else { 3 };
        if toks.len() < need {
            return Err(l.err(format_args!(
                "expected {need} fields (coordinates{}), found {}",
                if selective { " and T/F flags" } else { "" },
                toks.len()
            )));
        }
        let mut r = Vector3::zeros();
        for a in 0..3 {
            r[a] = l.real(toks[a], "coordinate")?;
        }
        species.push(runs.next().expect("the runs hold exactly n atoms"));
        positions.push(if cartesian {
            r.component_mul(&factors)
        } else {
            cell.to_cartesian(&r)
        });
        if selective {
            for tok in &toks[3..6] {
                flags.push(flag(&l, tok)?);
            }
        }
    }
    let velocities = read_velocities(&mut lines, n)?;

    let mut s = Structure::new(cell, species, positions)?;
    if !comment.is_empty() {
        s.info_mut()
            .insert("comment".into(), InfoValue::Str(comment));
    }
    if selective {
        let fixed = flags.chunks(3).map(|f| f.iter().all(|m| !m)).collect();
        s.set_fixed(Some(fixed))?;
        s.set_property(
            SELECTIVE_DYNAMICS,
            Property::Bool {
                components: 3,
                values: flags,
            },
        )?;
    }
    s.set_velocities(velocities)?;
    Ok(s)
}

/// An error at the last line read.
fn at_last<R: BufRead>(lines: &LineReader<R>, message: &str) -> StructureError {
    StructureError::Parse {
        file: lines.name().to_string(),
        line: lines.line_no(),
        message: message.to_string(),
    }
}

/// The optional velocity block after the positions (Å/fs in the file, Å/ps returned).
fn read_velocities<R: BufRead>(
    lines: &mut LineReader<R>,
    n: usize,
) -> Result<Option<Vec<Vector3<f64>>>> {
    let mut m = match lines.next_line()? {
        None => return Ok(None),
        Some(l) => mode(l.text),
    };
    if let Mode::LatticeVelocities = m {
        for _ in 0..7 {
            lines.expect_line("the lattice velocities and vectors block (7 lines)")?;
        }
        m = match lines.next_line()? {
            None => return Ok(None),
            Some(l) => mode(l.text),
        };
    }
    match m {
        Mode::Blank | Mode::Cartesian => {}
        Mode::Direct => {
            return Err(at_last(
                lines,
                "velocities in direct coordinates are not supported (they need the time step)",
            ))
        }
        Mode::LatticeVelocities | Mode::Other => {
            return Err(at_last(
                lines,
                "expected a blank line or `Cartesian` before the velocities",
            ))
        }
    }
    let mut v = Vec::with_capacity(n.min(MAX_RESERVE));
    for k in 0..n {
        let Some(l) = lines.next_line()? else {
            if k == 0 {
                return Ok(None);
            }
            return Err(lines.error_at_next(format_args!(
                "unexpected end of file, expected velocity {} of {n}",
                k + 1
            )));
        };
        if k == 0 && l.fields().count() <= 1 {
            // a blank line, or the MD predictor block: no velocities
            return Ok(None);
        }
        let x = l.reals(3, "velocity components (A/fs)", false)?;
        v.push(Vector3::new(x[0], x[1], x[2]) * VASP_VELOCITY_TO_A_PER_PS);
    }
    Ok(Some(v))
}
