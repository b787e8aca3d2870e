//! Writing POSCAR files (VASP 5 layout).

use std::fmt::Write as _;
use std::io::Write;

use super::{Coordinates, SELECTIVE_DYNAMICS, VASP_VELOCITY_TO_A_PER_PS};
use crate::element::Element;
use crate::error::{Result, StructureError};
use crate::io::extxyz::push_field;
use crate::structure::{InfoValue, Property, Structure};

/// Contiguous runs of one element, in atom order.
fn runs(species: &[Element]) -> Vec<(Element, usize)> {
    let mut out: Vec<(Element, usize)> = Vec::new();
    for &e in species {
        match out.last_mut() {
            Some((last, n)) if *last == e => *n += 1,
            _ => out.push((e, 1)),
        }
    }
    out
}

/// Per-axis flags (true = may move), when selective dynamics must be written.
fn selective_flags(s: &Structure) -> Option<Vec<bool>> {
    let prop = match s.property(SELECTIVE_DYNAMICS) {
        Some(Property::Bool {
            components: 3,
            values,
        }) => Some(values),
        _ => None,
    };
    if prop.is_none() && s.fixed().is_none() {
        return None;
    }
    Some(
        (0..3 * s.len())
            .map(|k| prop.is_none_or(|p| p[k]) && !s.is_fixed(k / 3))
            .collect(),
    )
}

/// Write one structure.
pub(super) fn write_poscar<W: Write>(
    mut w: W,
    name: &str,
    s: &Structure,
    coordinates: Coordinates,
) -> Result<()> {
    if s.is_empty() {
        return Err(StructureError::Invalid(format!(
            "{name}: a POSCAR needs at least one atom"
        )));
    }
    let runs = runs(s.species());
    let symbols: Vec<&str> = runs.iter().map(|(e, _)| e.symbol()).collect();
    let mut buf = String::with_capacity(128 * (s.len() + 10));
    match s.info().get("comment") {
        Some(InfoValue::Str(c)) => buf.push_str(&c.replace(['\n', '\r'], " ")),
        _ => buf.push_str(&symbols.join(" ")),
    }
    buf.push_str("\n1.0\n");
    let h = s.cell().matrix();
    for a in 0..3 {
        for b in 0..3 {
            push_field(&mut buf, h[(a, b)]);
        }
        buf.push('\n');
    }
    for sym in &symbols {
        let _ = write!(buf, " {sym:>4}");
    }
    buf.push('\n');
    for (_, n) in &runs {
        let _ = write!(buf, " {n:>4}");
    }
    buf.push('\n');
    let flags = selective_flags(s);
    if flags.is_some() {
        buf.push_str("Selective dynamics\n");
    }
    buf.push_str(match coordinates {
        Coordinates::Direct => "Direct\n",
        Coordinates::Cartesian => "Cartesian\n",
    });
    for (i, r) in s.positions().iter().enumerate() {
        let x = match coordinates {
            Coordinates::Direct => s.cell().to_fractional(r),
            Coordinates::Cartesian => *r,
        };
        x.iter().for_each(|&x| push_field(&mut buf, x));
        if let Some(f) = &flags {
            for &m in &f[3 * i..3 * i + 3] {
                buf.push_str(if m { " T" } else { " F" });
            }
        }
        buf.push('\n');
    }
    if let Some(v) = s.velocities() {
        buf.push('\n');
        for v in v {
            (v / VASP_VELOCITY_TO_A_PER_PS)
                .iter()
                .for_each(|&x| push_field(&mut buf, x));
            buf.push('\n');
        }
    }
    let io = |e| StructureError::Io {
        file: name.to_string(),
        source: e,
    };
    w.write_all(buf.as_bytes()).map_err(io)?;
    w.flush().map_err(io)
}
