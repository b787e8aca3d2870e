//! Writing extended XYZ frames in ASE's layout.

use std::fmt::Write as _;
use std::io::Write;

use nalgebra::Vector3;

use super::comment::{push_field as field, push_quoted, push_real, value_text};
use super::header::transpose9;
use super::ASE_VELOCITY_UNIT_A_PER_PS;
use crate::error::{Result, StructureError};
use crate::structure::{InfoValue, Property, Structure};

/// Bytes gathered before handing them to the writer.
const CHUNK: usize = 1 << 16;

/// A column to write.
enum Out<'a> {
    Species,
    Pos,
    MoveMask { width: usize, values: Vec<bool> },
    Masses(&'a [f64]),
    Momenta(Vec<Vector3<f64>>),
    Prop(&'a str, &'a Property),
}

impl Out<'_> {
    /// `name:T:n` for `Properties`.
    fn spec(&self) -> String {
        match self {
            Out::Species => "species:S:1".into(),
            Out::Pos => "pos:R:3".into(),
            Out::MoveMask { width, .. } => format!("move_mask:L:{width}"),
            Out::Masses(_) => "masses:R:1".into(),
            Out::Momenta(_) => "momenta:R:3".into(),
            Out::Prop(name, p) => {
                let t = match p {
                    Property::Real { .. } => "R",
                    Property::Int { .. } => "I",
                    Property::Bool { .. } => "L",
                    Property::Str { .. } => "S",
                };
                format!("{name}:{t}:{}", p.components())
            }
        }
    }
}

/// Write every frame.
pub(crate) fn write_frames<W: Write>(mut w: W, name: &str, frames: &[Structure]) -> Result<()> {
    let io = |e| StructureError::Io {
        file: name.to_string(),
        source: e,
    };
    let mut buf = String::with_capacity(CHUNK + 1024);
    for s in frames {
        let cols = columns(s, name)?;
        let _ = writeln!(buf, "{}", s.len());
        comment_line(&mut buf, s, &cols, name)?;
        for i in 0..s.len() {
            atom_line(&mut buf, s, &cols, i);
            if buf.len() >= CHUNK {
                w.write_all(buf.as_bytes()).map_err(io)?;
                buf.clear();
            }
        }
    }
    w.write_all(buf.as_bytes()).map_err(io)?;
    w.flush().map_err(io)
}

fn invalid(name: &str, message: String) -> StructureError {
    StructureError::Invalid(format!("{name}: {message}"))
}

/// The columns of a frame, in ASE's order.
fn columns<'a>(s: &'a Structure, name: &str) -> Result<Vec<Out<'a>>> {
    let mut cols = vec![Out::Species, Out::Pos];
    let mask_prop = match s.property("move_mask") {
        Some(Property::Bool {
            components: c @ (1 | 3),
            values,
        }) => Some((*c, values)),
        _ => None,
    };
    match (mask_prop, s.fixed()) {
        (Some((width, values)), _) => {
            let values = values
                .iter()
                .enumerate()
                .map(|(k, &m)| m && !s.is_fixed(k / width))
                .collect();
            cols.push(Out::MoveMask { width, values });
        }
        (None, Some(fixed)) => cols.push(Out::MoveMask {
            width: 1,
            values: fixed.iter().map(|f| !f).collect(),
        }),
        (None, None) => {}
    }
    if let Some(m) = s.masses() {
        cols.push(Out::Masses(m));
    }
    if let Some(v) = s.velocities() {
        let p = v
            .iter()
            .enumerate()
            .map(|(i, v)| s.mass(i) * (v / ASE_VELOCITY_UNIT_A_PER_PS))
            .collect();
        cols.push(Out::Momenta(p));
    }
    for (key, p) in s.properties() {
        if key == "move_mask" && mask_prop.is_some() {
            continue;
        }
        if key == "momenta" || key == "Z" {
            return Err(invalid(
                name,
                format!("property `{key}` would be read back as velocities or species; rename it"),
            ));
        }
        if key.contains(':') || key.contains(['"', '\'', '=', '{', '}', '[', ']', '\\', ',']) {
            return Err(invalid(
                name,
                format!("property name `{key}` cannot be written to extended XYZ"),
            ));
        }
        if let Property::Str { values } = p {
            if let Some(v) = values
                .iter()
                .find(|v| v.is_empty() || v.contains(char::is_whitespace))
            {
                return Err(invalid(
                    name,
                    format!("string property `{key}` holds `{v}`; values must be non-empty without white space"),
                ));
            }
        }
        cols.push(Out::Prop(key, p));
    }
    Ok(cols)
}

/// The full symmetric 3x3 of a Voigt 6-vector (xx yy zz yz xz xy), row major.
fn voigt_to_full(v: &[f64]) -> Vec<f64> {
    vec![v[0], v[5], v[4], v[5], v[1], v[3], v[4], v[3], v[2]]
}

/// `Lattice=... Properties=... info... pbc=...` and a line end.
fn comment_line(buf: &mut String, s: &Structure, cols: &[Out<'_>], name: &str) -> Result<()> {
    buf.push_str("Lattice=\"");
    let h = s.cell().matrix();
    for k in 0..9 {
        if k > 0 {
            buf.push(' ');
        }
        push_real(buf, h[(k / 3, k % 3)]);
    }
    buf.push_str("\" Properties=");
    let specs: Vec<String> = cols.iter().map(Out::spec).collect();
    buf.push_str(&specs.join(":"));
    for (key, value) in s.info() {
        if ["lattice", "properties", "pbc"]
            .iter()
            .any(|k| key.eq_ignore_ascii_case(k))
        {
            continue;
        }
        if key.is_empty() || key.contains(['\n', '\r']) {
            return Err(invalid(name, format!("info key `{key}` cannot be written")));
        }
        let value = match (key.as_str(), value) {
            ("virial" | "stress", InfoValue::Reals(v)) if v.len() == 9 => {
                InfoValue::Reals(transpose9(v))
            }
            ("stress", InfoValue::Reals(v)) if v.len() == 6 => InfoValue::Reals(voigt_to_full(v)),
            _ => value.clone(),
        };
        let text = value_text(&value);
        if text.contains(['\n', '\r']) {
            return Err(invalid(name, format!("info `{key}` contains a line break")));
        }
        buf.push(' ');
        push_quoted(buf, key);
        buf.push('=');
        push_quoted(buf, &text);
    }
    let tf = |p: bool| if p { 'T' } else { 'F' };
    let [a, b, c] = s.cell().pbc();
    let _ = writeln!(buf, " pbc=\"{} {} {}\"", tf(a), tf(b), tf(c));
    Ok(())
}

/// One atom's line.
fn atom_line(buf: &mut String, s: &Structure, cols: &[Out<'_>], i: usize) {
    for col in cols {
        match col {
            Out::Species => {
                let _ = write!(buf, "{:<2}", s.species()[i].symbol());
            }
            Out::Pos => s.positions()[i].iter().for_each(|&x| field(buf, x)),
            Out::MoveMask { width, values } => {
                for &m in &values[i * width..(i + 1) * width] {
                    buf.push_str(if m { " T" } else { " F" });
                }
            }
            Out::Masses(m) => field(buf, m[i]),
            Out::Momenta(p) => p[i].iter().for_each(|&x| field(buf, x)),
            Out::Prop(_, p) => {
                let c = p.components();
                match p {
                    Property::Real { values, .. } => {
                        values[i * c..(i + 1) * c]
                            .iter()
                            .for_each(|&x| field(buf, x));
                    }
                    Property::Int { values, .. } => {
                        for v in &values[i * c..(i + 1) * c] {
                            let _ = write!(buf, " {v:>8}");
                        }
                    }
                    Property::Bool { values, .. } => {
                        for &v in &values[i * c..(i + 1) * c] {
                            buf.push_str(if v { " T" } else { " F" });
                        }
                    }
                    Property::Str { values } => {
                        buf.push(' ');
                        buf.push_str(&values[i]);
                    }
                }
            }
        }
    }
    buf.push('\n');
}
