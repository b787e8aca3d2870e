//! Reading `.cfg` files configuration by configuration.

use std::collections::BTreeMap;
use std::io::BufRead;

use nalgebra::{Matrix3, Vector3};

use super::atoms::{parse_header, read_atoms, Atoms, Header};
use super::open_cell::complete_cell;
use super::{FEATURE_PREFIX, GHOST};
use crate::element::Element;
use crate::error::{Result, StructureError};
use crate::io::text::{Line, LineReader};
use crate::structure::{InfoValue, Property, Structure};

/// Block names, for messages.
const BLOCKS: &str =
    "`Size`, `Supercell`, `AtomData:`, `Energy`, `PlusStress:`, `Feature` or `END_CFG`";

/// A streaming reader of the configurations of a `.cfg` file, one [`Structure`] at a time,
/// mapping MLIP type t to `types[t]`. It is also an iterator of `Result<Structure>`; after an
/// error the iterator ends.
///
/// ```
/// use fe_structure::{io::mlip_cfg::Configurations, Element};
/// let text = "BEGIN_CFG\n Size\n    1\n AtomData:  id type cartes_x cartes_y cartes_z\n    1 0 0.0 0.0 0.0\nEND_CFG\n";
/// let mut configs = Configurations::new(text.as_bytes(), "<memory>", Some(vec![Element::W]));
/// let s = configs.next_structure().unwrap().unwrap();
/// assert_eq!(s.species(), &[Element::W]);
/// assert!(!s.cell().is_periodic());
/// assert!(configs.next_structure().unwrap().is_none());
/// ```
pub struct Configurations<R> {
    lines: LineReader<R>,
    types: Option<Vec<Element>>,
    failed: bool,
}

/// A configuration between `BEGIN_CFG` and `END_CFG`.
#[derive(Default)]
struct Partial {
    begin: usize,
    size: Option<usize>,
    supercell: Option<usize>,
    rows: Vec<Vector3<f64>>,
    atoms: Option<Atoms>,
    energy: Option<f64>,
    virial: Option<[f64; 9]>,
    features: BTreeMap<String, String>,
}

fn duplicate(line: &Line<'_>, block: &str) -> StructureError {
    line.err(format_args!(
        "a second `{block}` block in one configuration"
    ))
}

impl<R: BufRead> Configurations<R> {
    /// A reader over `reader`, naming `name` in messages; `types[t]` is the element of MLIP
    /// type t (`None`: reading any atom fails, asking for the type order).
    pub fn new(reader: R, name: &str, types: Option<Vec<Element>>) -> Self {
        Configurations {
            lines: LineReader::new(reader, name),
            types,
            failed: false,
        }
    }

    /// The next configuration, or `None` at the end of the file.
    ///
    /// # Errors
    /// [`StructureError::Parse`] naming file and line for malformed text, a type without an
    /// element, or a `Stress:`/`Virial:` block; I/O errors.
    pub fn next_structure(&mut self) -> Result<Option<Structure>> {
        let Some(line) = self.lines.next_nonblank()? else {
            return Ok(None);
        };
        if line.fields().next() != Some("BEGIN_CFG") {
            return Err(line.err(format_args!(
                "expected `BEGIN_CFG`, found `{}` (MLIP's old `BEGIN` and binary \
                 configuration formats are not supported)",
                line.fields().next().unwrap_or("")
            )));
        }
        only_token(&line)?;
        let begin = line.no;
        let mut cfg = Partial {
            begin,
            ..Partial::default()
        };
        let mut in_supercell = false;
        loop {
            let Some(line) = self.lines.next_nonblank()? else {
                return Err(self.lines.error_at_next(format_args!(
                    "unexpected end of file, expected `END_CFG` (the configuration begins at \
                     line {begin})"
                )));
            };
            let no = line.no;
            let first = line.fields().next().unwrap_or("");
            if in_supercell && first.parse::<f64>().is_ok() {
                if cfg.rows.len() == 3 {
                    return Err(line.err("expected at most 3 `Supercell` rows, found a fourth"));
                }
                let v = line.reals(3, "a lattice row", false)?;
                cfg.rows.push(Vector3::new(v[0], v[1], v[2]));
                continue;
            }
            in_supercell = false;
            match first {
                "Size" => {
                    only_token(&line)?;
                    if cfg.size.is_some() {
                        return Err(duplicate(&line, "Size"));
                    }
                    let l = self.lines.expect_line("the number of atoms after `Size`")?;
                    let tok = single(&l, "the number of atoms")?;
                    cfg.size = Some(l.parse(tok, "the number of atoms (an integer >= 0)")?);
                }
                "Supercell" | "SuperCell" => {
                    only_token(&line)?;
                    if cfg.supercell.is_some() {
                        return Err(duplicate(&line, "Supercell"));
                    }
                    cfg.supercell = Some(no);
                    in_supercell = true;
                }
                "AtomData:" | "Atomic_data:" => {
                    if cfg.atoms.is_some() {
                        return Err(duplicate(&line, "AtomData:"));
                    }
                    let Some(n) = cfg.size else {
                        return Err(line.err("expected `Size` before `AtomData:`"));
                    };
                    let (targets, slots, direct) = parse_header(&line)?;
                    let names: Vec<String> = line.fields().skip(1).map(String::from).collect();
                    let header = Header {
                        line: no,
                        names,
                        targets,
                        direct,
                    };
                    let atoms =
                        read_atoms(&mut self.lines, self.types.as_deref(), n, &header, slots)?;
                    cfg.atoms = Some(atoms);
                }
                "Energy" => {
                    only_token(&line)?;
                    if cfg.energy.is_some() {
                        return Err(duplicate(&line, "Energy"));
                    }
                    let l = self.lines.expect_line("the energy after `Energy`")?;
                    let tok = single(&l, "the energy")?;
                    cfg.energy = Some(l.real(tok, "the energy")?);
                }
                "PlusStress:" => {
                    if cfg.virial.is_some() {
                        return Err(duplicate(&line, "PlusStress:"));
                    }
                    let order = stress_order(&line)?;
                    let l = self.lines.expect_line("the six `PlusStress:` values")?;
                    let v = l.reals(6, "PlusStress components", false)?;
                    let mut w = [0.0; 9];
                    for (&k, &x) in order.iter().zip(&v) {
                        let (a, b) = VOIGT[k];
                        w[3 * a + b] = x;
                        w[3 * b + a] = x;
                    }
                    cfg.virial = Some(w);
                }
                "Stress:" => {
                    return Err(line.err(
                        "`Stress:` blocks are not supported: give the virial W in eV as \
                         `PlusStress:` (MLIP's `Stress:` is its negative)",
                    ))
                }
                "Virial:" => {
                    return Err(line.err(
                        "`Virial:` blocks are not supported: give the virial W in eV as \
                         `PlusStress:` (MLIP's `Virial:` is W divided by the volume)",
                    ))
                }
                "Feature" => {
                    let Some((key, value)) = split_feature(self.lines.raw_text()) else {
                        return Err(StructureError::Parse {
                            file: self.lines.name().to_string(),
                            line: self.lines.line_no(),
                            message: "expected a key, a TAB and a value after `Feature`".into(),
                        });
                    };
                    cfg.features
                        .entry(key.to_string())
                        .and_modify(|v| {
                            v.push('\n');
                            v.push_str(value);
                        })
                        .or_insert_with(|| value.to_string());
                }
                "END_CFG" => {
                    only_token(&line)?;
                    return self.finish(cfg, no).map(Some);
                }
                "BEGIN_CFG" => {
                    return Err(line.err(format_args!(
                        "expected `END_CFG` before the next `BEGIN_CFG` (the configuration \
                         begins at line {begin})"
                    )))
                }
                tok => {
                    let hint = if tok.parse::<f64>().is_ok() && cfg.atoms.is_some() {
                        " (more atom lines than `Size` says?)"
                    } else {
                        ""
                    };
                    return Err(line.err(format_args!(
                        "expected one of {BLOCKS}, found `{tok}`{hint}"
                    )));
                }
            }
        }
    }

    /// Build the structure of a complete configuration (`end` is the `END_CFG` line).
    fn finish(&mut self, cfg: Partial, end: usize) -> Result<Structure> {
        let err = |line: usize, message: String| StructureError::Parse {
            file: self.lines.name().to_string(),
            line,
            message,
        };
        let begin = cfg.begin;
        let Some(n) = cfg.size else {
            return Err(err(
                end,
                format!("expected `Size` in the configuration that begins at line {begin}"),
            ));
        };
        let atoms = match cfg.atoms {
            Some(a) => a,
            None if n == 0 => Atoms {
                line: end,
                species: Vec::new(),
                positions: Vec::new(),
                direct: false,
                slots: Vec::new(),
                ghost: None,
            },
            None => {
                return Err(err(
                    end,
                    format!("expected `AtomData:` for the {n} atoms of `Size` before `END_CFG`"),
                ))
            }
        };
        let sc_line = cfg.supercell.unwrap_or(begin);
        let mut positions = atoms.positions;
        if atoms.direct {
            if cfg.rows.len() != 3 || cfg.rows.iter().any(|r| *r == Vector3::zeros()) {
                return Err(err(
                    atoms.line,
                    "direct coordinates need a `Supercell` of three non-zero rows".into(),
                ));
            }
            let h = Matrix3::from_rows(&[
                cfg.rows[0].transpose(),
                cfg.rows[1].transpose(),
                cfg.rows[2].transpose(),
            ]);
            for r in &mut positions {
                *r = h.transpose() * *r;
            }
        }
        let cell = complete_cell(&cfg.rows, &positions).map_err(|m| err(sc_line, m))?;
        let mut s = Structure::new(cell, atoms.species, positions)?;
        for slot in atoms.slots {
            let p = Property::Real {
                components: slot.components,
                values: slot.values,
            };
            s.set_property(&slot.name, p)
                .map_err(|e| err(atoms.line, e.to_string()))?;
        }
        if let Some(g) = atoms.ghost {
            s.set_property(
                GHOST,
                Property::Bool {
                    components: 1,
                    values: g,
                },
            )?;
        }
        let info = s.info_mut();
        if let Some(e) = cfg.energy {
            info.insert("energy".into(), InfoValue::Real(e));
        }
        if let Some(w) = cfg.virial {
            info.insert("virial".into(), InfoValue::Reals(w.to_vec()));
        }
        for (k, v) in cfg.features {
            info.insert(format!("{FEATURE_PREFIX}{k}"), InfoValue::Str(v));
        }
        Ok(s)
    }
}

impl<R: BufRead> Iterator for Configurations<R> {
    type Item = Result<Structure>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.failed {
            return None;
        }
        let r = self.next_structure();
        self.failed = r.is_err();
        r.transpose()
    }
}

/// Voigt components (a, b) in MLIP's `PlusStress:` order xx yy zz yz xz xy.
pub(super) const VOIGT: [(usize, usize); 6] = [(0, 0), (1, 1), (2, 2), (1, 2), (0, 2), (0, 1)];

/// The Voigt index of each column of a `PlusStress:` header.
fn stress_order(line: &Line<'_>) -> Result<Vec<usize>> {
    const NAMES: [&str; 6] = ["xx", "yy", "zz", "yz", "xz", "xy"];
    let mut order = Vec::with_capacity(6);
    for tok in line.fields().skip(1) {
        let k = NAMES.iter().position(|n| *n == tok).ok_or_else(|| {
            line.err(format_args!(
                "expected `PlusStress:` columns xx yy zz yz xz xy, found `{tok}`"
            ))
        })?;
        if order.contains(&k) {
            return Err(line.err(format_args!(
                "the `PlusStress:` column `{tok}` appears twice"
            )));
        }
        order.push(k);
    }
    if order.len() != 6 {
        return Err(line.err(format_args!(
            "expected the six `PlusStress:` columns xx yy zz yz xz xy, found {}",
            order.len()
        )));
    }
    Ok(order)
}

/// Fail unless the line holds nothing but its block name.
fn only_token(line: &Line<'_>) -> Result<()> {
    match line.fields().nth(1) {
        None => Ok(()),
        Some(tok) => Err(line.err(format_args!(
            "expected nothing after `{}` on its line, found `{tok}`",
            line.fields().next().unwrap_or("")
        ))),
    }
}

/// The only field of a line holding `what`.
fn single<'a>(line: &Line<'a>, what: &str) -> Result<&'a str> {
    let mut f = line.fields();
    match (f.next(), f.next()) {
        (Some(tok), None) => Ok(tok),
        (None, _) => Err(line.err(format_args!("expected {what}, found an empty line"))),
        (Some(_), Some(_)) => Err(line.err(format_args!(
            "expected {what} alone on the line, found {} fields",
            line.fields().count()
        ))),
    }
}

/// Split a raw `Feature` line into key and value: the key is the first word after `Feature`,
/// the value everything after the one character (a TAB) that follows it, verbatim.
pub(super) fn split_feature(raw: &str) -> Option<(&str, &str)> {
    let rest = raw.trim_start().strip_prefix("Feature")?;
    let rest = rest.trim_start_matches([' ', '\t']);
    let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
    let (key, tail) = rest.split_at(end);
    if key.is_empty() {
        return None;
    }
    let mut chars = tail.chars();
    chars.next();
    Some((key, chars.as_str()))
}
