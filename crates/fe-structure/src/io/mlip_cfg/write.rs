//! Writing one configuration in MLIP's default or lossless layout.

use std::fmt::Write as _;

use super::atoms::is_mlip_column;
use super::format::{push_fixed, push_sci16};
use super::read::VOIGT;
use super::{
    Layout, CHARGE, COLUMN_PREFIX, EN_DER_M, FEATURE_PREFIX, FORCES, GHOST, MAGMOM, NBH_GRADES,
    SITE_ENERGY,
};
use crate::element::Element;
use crate::error::{Result, StructureError};
use crate::structure::{InfoValue, Property, Structure};

/// Width and precision of one kind of number in the default layout (C `%W.Pf`).
#[derive(Clone, Copy)]
struct Fixed(usize, usize);

const LATTICE: Fixed = Fixed(13, 6);
const POSITION: Fixed = Fixed(13, 6);
const ENERGY: Fixed = Fixed(20, 12);
const STRESS: Fixed = Fixed(11, 5);
const UNKNOWN: Fixed = Fixed(13, 6);

/// A per-atom column group as MLIP writes it: property, header text, separator before the
/// group, number format.
struct Group<'a> {
    values: &'a [f64],
    components: usize,
    header: String,
    lead: &'static str,
    fixed: Fixed,
}

/// MLIP's column groups in its order: (property, components, header, lead, format).
const GROUPS: [(&str, usize, &str, &str, Fixed); 6] = [
    (SITE_ENERGY, 1, "            site_en", "  ", Fixed(17, 12)),
    (
        FORCES,
        3,
        "           fx          fy          fz",
        "  ",
        Fixed(11, 6),
    ),
    (CHARGE, 1, "      charge", "    ", Fixed(8, 4)),
    (
        MAGMOM,
        3,
        "      magmom_x     magmom_y     magmom_z",
        "  ",
        Fixed(12, 6),
    ),
    (
        EN_DER_M,
        3,
        "      en_der_mx     en_der_my     en_der_mz",
        "  ",
        Fixed(13, 5),
    ),
    (NBH_GRADES, 1, "       nbh_grades", "  ", Fixed(15, 5)),
];

fn invalid(message: String) -> StructureError {
    StructureError::Invalid(message)
}

fn push_num(buf: &mut String, x: f64, layout: Layout, f: Fixed) {
    match layout {
        Layout::Lossless => push_sci16(buf, x),
        Layout::Default => push_fixed(buf, x, f.0, f.1),
    }
}

fn check_finite(values: &[f64], what: &str) -> Result<()> {
    match values.iter().position(|x| !x.is_finite()) {
        None => Ok(()),
        Some(k) => Err(StructureError::NonFinite {
            what: format!("{what} (value {k})"),
        }),
    }
}

/// The real column groups of `s` to write, before and after the ghost column.
fn groups(s: &Structure) -> Result<(Vec<Group<'_>>, Vec<Group<'_>>)> {
    let (mut before, mut after) = (Vec::new(), Vec::new());
    for &(name, components, header, lead, fixed) in &GROUPS {
        let Some(p) = s.property(name) else { continue };
        let values = match p {
            Property::Real {
                components: c,
                values,
            } if *c == components => values,
            _ => {
                return Err(invalid(format!(
                    "property `{name}` must be real with {components} component(s) to be \
                     written to a .cfg file"
                )))
            }
        };
        check_finite(values, &format!("property `{name}`"))?;
        let g = Group {
            values,
            components,
            header: header.to_string(),
            lead,
            fixed,
        };
        if name == NBH_GRADES {
            after.push(g);
        } else {
            before.push(g);
        }
    }
    for (name, p) in s.properties() {
        let Some(column) = name.strip_prefix(COLUMN_PREFIX) else {
            continue;
        };
        let values = match p {
            Property::Real {
                components: 1,
                values,
            } if !is_mlip_column(column) => values,
            _ => {
                return Err(invalid(format!(
                    "property `{name}` would be the .cfg column `{column}`: it must be real \
                     with one component and not name a column MLIP defines"
                )))
            }
        };
        check_finite(values, &format!("property `{name}`"))?;
        after.push(Group {
            values,
            components: 1,
            header: format!("  {column:>13}"),
            lead: "  ",
            fixed: UNKNOWN,
        });
    }
    Ok((before, after))
}

/// The ghost flags of `s`, if it has a `ghost` column.
fn ghost(s: &Structure) -> Result<Option<&[bool]>> {
    match s.property(GHOST) {
        None => Ok(None),
        Some(Property::Bool {
            components: 1,
            values,
        }) => Ok(Some(values)),
        Some(_) => Err(invalid(format!(
            "property `{GHOST}` must be logical with one component to be written to a .cfg file"
        ))),
    }
}

/// The `PlusStress` values (xx yy zz yz xz xy) from info `virial`, or from ASE's `stress` of a
/// fully periodic cell.
fn plus_stress(s: &Structure) -> Result<Option<[f64; 6]>> {
    let voigt = |m: &[f64]| VOIGT.map(|(a, b)| 0.5 * (m[3 * a + b] + m[3 * b + a]));
    let (key, scale) = match (s.info().get("virial"), s.info().get("stress")) {
        (Some(_), _) => ("virial", 1.0),
        (None, Some(_)) if s.cell().pbc() == [true; 3] => ("stress", -s.cell().volume()),
        _ => return Ok(None),
    };
    let v = s.info()[key]
        .as_reals()
        .filter(|v| v.len() == 9 || v.len() == 6)
        .ok_or_else(|| invalid(format!("info `{key}` must hold 9 or 6 numbers")))?;
    let w = if v.len() == 9 {
        voigt(&v)
    } else {
        [v[0], v[1], v[2], v[3], v[4], v[5]]
    };
    let w = w.map(|x| x * scale);
    check_finite(&w, &format!("info `{key}`"))?;
    Ok(Some(w))
}

/// MLIP's escapes for white space in feature keys.
fn push_escaped_key(buf: &mut String, key: &str) {
    for c in key.chars() {
        match c {
            ' ' => buf.push_str("\\_"),
            '\t' => buf.push_str("\\t"),
            '\n' => buf.push_str("\\n"),
            '\r' => buf.push_str("\\r"),
            c => buf.push(c),
        }
    }
}

/// Append the `Feature` lines of `s`, keys in byte order, one line per line of a value.
fn push_features(buf: &mut String, s: &Structure) -> Result<()> {
    for (k, v) in s.info() {
        let Some(key) = k.strip_prefix(FEATURE_PREFIX) else {
            continue;
        };
        let text = match v {
            InfoValue::Str(t) => t.clone(),
            InfoValue::Int(i) => i.to_string(),
            InfoValue::Real(x) => x.to_string(),
            _ => {
                return Err(invalid(format!(
                    "info `{k}` must be text or a single number to be written as a .cfg feature"
                )))
            }
        };
        if key.is_empty() {
            continue;
        }
        // As MLIP: each line of the value on its own `Feature` line; a final newline gives
        // a last empty line; an empty value is not written.
        let mut rest = text.as_str();
        while !rest.is_empty() {
            let (part, tail, more) = match rest.find('\n') {
                Some(cut) => (&rest[..cut], &rest[cut + 1..], true),
                None => (rest, "", false),
            };
            for line in std::iter::once(part).chain((more && tail.is_empty()).then_some("")) {
                buf.push_str(" Feature   ");
                push_escaped_key(buf, key);
                buf.push('\t');
                buf.push_str(line);
                buf.push('\n');
            }
            rest = tail;
        }
    }
    Ok(())
}

/// Append one configuration of `s` to `buf`; element `types[k]` is MLIP type k.
pub(super) fn config(
    buf: &mut String,
    s: &Structure,
    types: &[Element],
    layout: Layout,
) -> Result<()> {
    let type_of = |e: Element| {
        types.iter().position(|&t| t == e).ok_or_else(|| {
            invalid(format!(
                "element {e} is not in the type order {}",
                types
                    .iter()
                    .map(|t| t.symbol())
                    .collect::<Vec<_>>()
                    .join(",")
            ))
        })
    };
    let type_ids = s
        .species()
        .iter()
        .map(|&e| type_of(e))
        .collect::<Result<Vec<_>>>()?;
    let (before, after) = groups(s)?;
    let ghost = ghost(s)?;
    let energy = match s.info().get("energy") {
        None => None,
        Some(v) => Some(
            v.as_real()
                .ok_or_else(|| invalid("info `energy` must be a number".into()))?,
        ),
    };
    check_finite(energy.as_slice(), "info `energy`")?;
    let stress = plus_stress(s)?;
    let lossless = layout == Layout::Lossless;
    let (n, cell) = (s.len(), s.cell());

    buf.push_str("BEGIN_CFG\n Size\n");
    writeln!(buf, "    {n}").expect("writing to a String cannot fail");
    if let Some(last) = (0..3).rev().find(|&k| cell.pbc()[k]) {
        buf.push_str(" Supercell\n");
        for k in 0..=last {
            let row = if cell.pbc()[k] {
                cell.vector(k)
            } else {
                Default::default()
            };
            for a in 0..3 {
                buf.push_str(if a == 0 { "    " } else { " " });
                push_num(buf, row[a], layout, LATTICE);
            }
            buf.push('\n');
        }
    }
    if n > 0 {
        buf.push_str(" AtomData:  id type       cartes_x      cartes_y      cartes_z");
        for g in &before {
            buf.push_str(&g.header);
        }
        if ghost.is_some() {
            buf.push_str("     ghost");
        }
        for g in &after {
            buf.push_str(&g.header);
        }
        buf.push('\n');
        for (i, r) in s.positions().iter().enumerate() {
            if lossless {
                write!(buf, "    {} {}", i + 1, type_ids[i])
            } else {
                write!(buf, "    {:>10} {:>4}", i + 1, type_ids[i])
            }
            .expect("writing to a String cannot fail");
            for a in 0..3 {
                buf.push_str(if a == 0 { "  " } else { " " });
                push_num(buf, r[a], layout, POSITION);
            }
            let push_group = |buf: &mut String, g: &Group<'_>| {
                buf.push_str(g.lead);
                for c in 0..g.components {
                    if c > 0 {
                        buf.push(' ');
                    }
                    push_num(buf, g.values[i * g.components + c], layout, g.fixed);
                }
            };
            for g in &before {
                push_group(buf, g);
            }
            if let Some(gh) = ghost {
                buf.push_str(if gh[i] { "     true " } else { "     false" });
            }
            for g in &after {
                push_group(buf, g);
            }
            buf.push('\n');
        }
    }
    if let Some(e) = energy {
        buf.push_str(" Energy\n    ");
        push_num(buf, e, layout, ENERGY);
        buf.push('\n');
    }
    if let Some(w) = stress {
        buf.push_str(
            " PlusStress:  xx          yy          zz          yz          xz          xy\n",
        );
        for (k, x) in w.iter().enumerate() {
            buf.push_str(if k == 0 { "     " } else { " " });
            push_num(buf, *x, layout, STRESS);
        }
        buf.push('\n');
    }
    push_features(buf, s)?;
    buf.push_str("END_CFG\n\n");
    Ok(())
}
