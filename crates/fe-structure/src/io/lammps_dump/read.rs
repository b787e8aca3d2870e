//! Reading LAMMPS text dumps frame by frame (see the module docs).

use std::io::BufRead;

use nalgebra::{Matrix3, Vector3};

use super::columns::{Col, Layout, PosKind};
use crate::cell::{Cell, LammpsBox};
use crate::element::Element;
use crate::error::{Result, StructureError};
use crate::io::lammps_common::{id_order, permute_rows, unwrap_image};
use crate::io::text::{Line, LineReader};
use crate::io::ReadOptions;
use crate::structure::{InfoValue, Property, Structure};

/// Read the frames of a LAMMPS text dump that `opts.frames` selects.
///
/// # Errors
/// [`StructureError::Parse`] naming the file and line for malformed text: a missing or
/// unknown `ITEM:`, bad or non-finite numbers, a wrong number of columns, a truncated frame,
/// duplicate ids, or atom types without an element (no `element` column and no
/// [`ReadOptions::types`]).
pub fn read<R: BufRead>(reader: R, name: &str, opts: &ReadOptions) -> Result<Vec<Structure>> {
    let mut r = LineReader::new(reader, name);
    let mut frames = Vec::new();
    let mut index = 0;
    loop {
        let wanted = opts.frames.wants(index);
        let Some(frame) = read_frame(&mut r, opts, wanted)? else {
            break;
        };
        if let Some(frame) = frame {
            opts.frames.push(&mut frames, frame);
        }
        if opts.frames.done_after(index) {
            break;
        }
        index += 1;
    }
    Ok(frames)
}

/// What a frame's items say before its atoms.
struct FrameHeader {
    timestep: Option<i64>,
    time: Option<f64>,
    natoms: Option<(usize, usize)>,
    cell: Option<DumpBox>,
}

/// The box of a frame.
struct DumpBox {
    /// Cell rows.
    h: Matrix3<f64>,
    /// Lower corner: scaled coordinates s give r = origin + s H.
    origin: Vector3<f64>,
    pbc: [bool; 3],
    /// Line of `ITEM: BOX BOUNDS`.
    line: usize,
}

/// Read one frame: `None` at the end of the file, `Some(None)` for a frame skipped because
/// it is not wanted.
fn read_frame<R: BufRead>(
    r: &mut LineReader<R>,
    opts: &ReadOptions,
    wanted: bool,
) -> Result<Option<Option<Structure>>> {
    let mut head = FrameHeader {
        timestep: None,
        time: None,
        natoms: None,
        cell: None,
    };
    let mut first = true;
    let layout = loop {
        let line = if first {
            match r.next_nonblank()? {
                Some(l) => l,
                None => return Ok(None),
            }
        } else {
            r.expect_line("an `ITEM:` line")?
        };
        first = false;
        let Some(item) = line.text.trim().strip_prefix("ITEM:").map(str::trim) else {
            return Err(line.err(format_args!(
                "expected an `ITEM:` line (ITEM: TIMESTEP starts a frame), found `{}`",
                line.text
            )));
        };
        let no = line.no;
        if let Some(cols) = item.strip_prefix("ATOMS") {
            let names: Vec<&str> = cols.split_whitespace().collect();
            let layout = if wanted {
                Some(Layout::parse(&line, &names)?)
            } else {
                None
            };
            break (layout, no);
        }
        let item = item.to_string();
        if let Some(rest) = item.strip_prefix("BOX BOUNDS") {
            let flags: Vec<String> = rest.split_whitespace().map(str::to_string).collect();
            head.cell = Some(read_box(r, &flags, wanted, no)?);
            continue;
        }
        let value = r.expect_line(&format!("the value of ITEM: {item}"))?;
        let text = value.text.trim();
        match item.as_str() {
            "TIMESTEP" => head.timestep = Some(value.parse(text, "an integer timestep")?),
            "TIME" => head.time = Some(value.real(text, "time")?),
            "UNITS" => {}
            "NUMBER OF ATOMS" => {
                head.natoms = Some((value.parse(text, "a number of atoms")?, value.no));
            }
            _ => {
                return Err(parse_err(
                    r.name(),
                    no,
                    format_args!(
                        "expected ITEM: TIMESTEP, TIME, UNITS, NUMBER OF ATOMS, BOX BOUNDS or \
                         ATOMS, found `ITEM: {item}`"
                    ),
                ))
            }
        }
    };
    let (layout, atoms_line) = layout;
    let Some((natoms, _)) = head.natoms else {
        return Err(parse_err(
            r.name(),
            atoms_line,
            "ITEM: ATOMS before ITEM: NUMBER OF ATOMS",
        ));
    };
    let Some(layout) = layout else {
        for k in 0..natoms {
            r.expect_line(&format!("atom line {} of {natoms}", k + 1))?;
        }
        return Ok(Some(None));
    };
    let Some(cell) = &head.cell else {
        return Err(parse_err(
            r.name(),
            atoms_line,
            "ITEM: ATOMS before ITEM: BOX BOUNDS",
        ));
    };
    let frame = read_atoms(r, opts, &layout, &head, cell, natoms, atoms_line)?;
    Ok(Some(Some(frame)))
}

fn parse_err(file: &str, line: usize, message: impl std::fmt::Display) -> StructureError {
    StructureError::Parse {
        file: file.to_string(),
        line,
        message: message.to_string(),
    }
}

/// The three bound lines after `ITEM: BOX BOUNDS <flags>`: cell rows, origin, periodicity.
fn read_box<R: BufRead>(
    r: &mut LineReader<R>,
    flags: &[String],
    wanted: bool,
    no: usize,
) -> Result<DumpBox> {
    let general = flags.iter().any(|f| f == "abc");
    let tilted = flags.iter().any(|f| f == "xy");
    let bc: Vec<&String> = flags
        .iter()
        .filter(|f| !matches!(f.as_str(), "abc" | "origin" | "xy" | "xz" | "yz"))
        .collect();
    let pbc = match bc.len() {
        0 => [true; 3],
        3 => [0, 1, 2].map(|a| bc[a].starts_with('p')),
        _ => {
            return Err(parse_err(
                r.name(),
                no,
                "expected three boundary flags (pp, ff, ss, fm, ...) after BOX BOUNDS",
            ))
        }
    };
    let per_line = if general {
        4
    } else if tilted {
        3
    } else {
        2
    };
    let mut v = [[0.0; 4]; 3];
    for row in &mut v {
        let line = r.expect_line("a box bounds line")?;
        if wanted {
            let x = line.reals(per_line, "box bounds", false)?;
            row[..per_line].copy_from_slice(&x);
        }
    }
    let mut b = DumpBox {
        h: Matrix3::identity(),
        origin: Vector3::zeros(),
        pbc,
        line: no,
    };
    if !wanted {
        return Ok(b);
    }
    if general {
        b.h = Matrix3::new(
            v[0][0], v[0][1], v[0][2], v[1][0], v[1][1], v[1][2], v[2][0], v[2][1], v[2][2],
        );
        b.origin = Vector3::new(v[0][3], v[1][3], v[2][3]);
        return Ok(b);
    }
    let lo = Vector3::new(v[0][0], v[1][0], v[2][0]);
    let hi = Vector3::new(v[0][1], v[1][1], v[2][1]);
    let lbox = if tilted {
        LammpsBox::from_dump_bounds(lo, hi, v[0][2], v[1][2], v[2][2])
    } else {
        LammpsBox::from_lo_hi(lo, hi, 0.0, 0.0, 0.0)
    };
    b.h = lbox.matrix();
    b.origin = lbox.lo;
    Ok(b)
}

/// Per-atom arrays of one frame, in file order.
struct Columns {
    ids: Vec<i64>,
    species: Vec<Element>,
    positions: Vec<Vector3<f64>>,
    velocities: Vec<Vector3<f64>>,
    masses: Vec<f64>,
    props: Vec<Vec<f64>>,
}

fn reserve<T>(v: &mut Vec<T>, n: usize, file: &str, line: usize) -> Result<()> {
    v.try_reserve_exact(n).map_err(|_| {
        parse_err(
            file,
            line,
            format_args!("cannot allocate memory for {n} atoms"),
        )
    })
}

/// The atom lines of a wanted frame, and the frame they make.
fn read_atoms<R: BufRead>(
    r: &mut LineReader<R>,
    opts: &ReadOptions,
    layout: &Layout,
    head: &FrameHeader,
    bx: &DumpBox,
    natoms: usize,
    atoms_line: usize,
) -> Result<Structure> {
    let file = r.name().to_string();
    if !(layout.has_element || layout.has_type && opts.types.is_some()) {
        return Err(parse_err(
            &file,
            atoms_line,
            "cannot tell the elements: dump an `element` column (dump_modify element) or give \
             the element of each type (read option `types`, `--types Fe,W` on the command line)",
        ));
    }
    let types: &[Element] = opts.types.as_deref().unwrap_or(&[]);
    let mut c = Columns {
        ids: Vec::new(),
        species: Vec::new(),
        positions: Vec::new(),
        velocities: Vec::new(),
        masses: Vec::new(),
        props: vec![Vec::new(); layout.props.len()],
    };
    reserve(&mut c.species, natoms, &file, atoms_line)?;
    reserve(&mut c.positions, natoms, &file, atoms_line)?;
    if layout.has_id {
        reserve(&mut c.ids, natoms, &file, atoms_line)?;
    }
    if layout.has_vel {
        reserve(&mut c.velocities, natoms, &file, atoms_line)?;
    }
    if layout.has_mass {
        reserve(&mut c.masses, natoms, &file, atoms_line)?;
    }
    for (p, (_, comps)) in c.props.iter_mut().zip(&layout.props) {
        reserve(p, natoms.saturating_mul(*comps), &file, atoms_line)?;
    }
    let ncols = layout.cols.len();
    for k in 0..natoms {
        let line = r.expect_line(&format!("atom line {} of {natoms}", k + 1))?;
        parse_atom(&line, layout, types, bx, &mut c, ncols)?;
    }
    let first = atoms_line + 1;
    if layout.has_id {
        match id_order(&c.ids) {
            Ok(None) => {}
            Ok(Some(order)) => {
                c.ids = Vec::new();
                permute_rows(&mut c.species, &order, 1);
                permute_rows(&mut c.positions, &order, 1);
                if layout.has_vel {
                    permute_rows(&mut c.velocities, &order, 1);
                }
                if layout.has_mass {
                    permute_rows(&mut c.masses, &order, 1);
                }
                for (p, (_, comps)) in c.props.iter_mut().zip(&layout.props) {
                    permute_rows(p, &order, *comps);
                }
            }
            Err((i, j)) => {
                let message = format!(
                    "duplicate atom id {} (also on line {})",
                    c.ids[i],
                    first + i.min(j)
                );
                return Err(parse_err(&file, first + i.max(j), message));
            }
        }
    }
    let cell =
        Cell::new(bx.h, bx.pbc).map_err(|e| parse_err(&file, bx.line, format_args!("box: {e}")))?;
    let explicit_mass = c.masses.iter().zip(&c.species).any(|(m, e)| *m != e.mass());
    let mut s = Structure::new(cell, c.species, c.positions)?;
    if layout.has_vel {
        s.set_velocities(Some(c.velocities))?;
    }
    if explicit_mass {
        s.set_masses(Some(c.masses))?;
    }
    for (values, (name, comps)) in c.props.into_iter().zip(&layout.props) {
        let p = Property::Real {
            components: *comps,
            values,
        };
        s.set_property(name, p)?;
    }
    if let Some(t) = head.timestep {
        s.info_mut().insert("timestep".into(), InfoValue::Int(t));
    }
    if let Some(t) = head.time {
        s.info_mut().insert("time".into(), InfoValue::Real(t));
    }
    Ok(s)
}

/// Parse one atom line into the columns.
fn parse_atom(
    line: &Line<'_>,
    layout: &Layout,
    types: &[Element],
    bx: &DumpBox,
    c: &mut Columns,
    ncols: usize,
) -> Result<()> {
    let mut p = Vector3::zeros();
    let mut v = Vector3::zeros();
    let mut image = [0i64; 3];
    let mut element = None;
    let mut type_element = None;
    let mut count = 0;
    for (values, (_, comps)) in c.props.iter_mut().zip(&layout.props) {
        values.extend(std::iter::repeat_n(0.0, *comps));
    }
    for (t, tok) in line.text.split_whitespace().enumerate() {
        count += 1;
        let Some(col) = layout.cols.get(t) else {
            continue;
        };
        match *col {
            Col::Skip => {}
            Col::Id => c.ids.push(line.parse(tok, "an integer atom id")?),
            Col::Type if !layout.has_element => type_element = Some(atom_type(line, tok, types)?),
            Col::Type => {}
            Col::Element => {
                element = Some(Element::from_symbol(tok).map_err(|_| {
                    line.err(format_args!("expected an element symbol, found `{tok}`"))
                })?);
            }
            Col::Mass => {
                let m = line.real(tok, "mass")?;
                if m <= 0.0 {
                    return Err(line.err(format_args!("expected a positive mass, found `{tok}`")));
                }
                c.masses.push(m);
            }
            Col::Pos(a) => p[a] = line.real(tok, "coordinate")?,
            Col::Image(a) => image[a] = line.parse(tok, "an integer image flag")?,
            Col::Vel(a) => v[a] = line.real(tok, "velocity")?,
            Col::Prop { index, comp } => {
                let comps = layout.props[index].1;
                let values = &mut c.props[index];
                let x = line.real(tok, &layout.props[index].0)?;
                let row = values.len() - comps;
                values[row + comp] = x;
            }
        }
    }
    if count != ncols {
        return Err(line.err(format_args!(
            "expected {ncols} columns (as in ITEM: ATOMS), found {count}"
        )));
    }
    if matches!(layout.pos, PosKind::Scaled | PosKind::ScaledUnwrapped) {
        p = bx.origin + bx.h.tr_mul(&p);
    }
    if layout.images {
        p = unwrap_image(p, image, &bx.h);
    }
    let e = element
        .or(type_element)
        .ok_or_else(|| line.err("no element for this atom"))?;
    c.species.push(e);
    c.positions.push(p);
    if layout.has_vel {
        c.velocities.push(v);
    }
    Ok(())
}

/// The element of a `type` token through the type map (or the token itself if it is an
/// element symbol, as `dump_modify ... types labels` writes).
fn atom_type(line: &Line<'_>, tok: &str, types: &[Element]) -> Result<Element> {
    match tok.parse::<usize>() {
        Ok(t) if t >= 1 && t <= types.len() => Ok(types[t - 1]),
        Ok(t) => Err(line.err(format_args!(
            "atom type {t} has no element: the type map gives {} types",
            types.len()
        ))),
        Err(_) => Element::from_symbol(tok)
            .map_err(|_| line.err(format_args!("expected an atom type, found `{tok}`"))),
    }
}
