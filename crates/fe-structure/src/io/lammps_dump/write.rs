//! Writing LAMMPS text dumps (see the module docs).

use std::io::Write;

use nalgebra::{Matrix3, Vector3};

use crate::element::Element;
use crate::error::{Result, StructureError};
use crate::io::lammps_common::{write_err, Real};
use crate::io::WriteOptions;
use crate::structure::{InfoValue, Property, Structure};

/// Column names the reader gives a meaning of their own, which properties may not take.
const TAKEN: [&str; 23] = [
    "id", "type", "element", "mass", "x", "y", "z", "xs", "ys", "zs", "xu", "yu", "zu", "xsu",
    "ysu", "zsu", "ix", "iy", "iz", "vx", "vy", "vz", "fx",
];

/// Write frames as a LAMMPS text dump (`dump custom` layout).
///
/// # Errors
/// [`StructureError::Invalid`] for a left-handed cell (from [`Cell::to_lammps`]), an element
/// missing from `opts.types`, or a property whose name is a dump column with its own meaning
/// (`x`, `type`, ...); [`StructureError::Io`] when writing fails.
///
/// [`Cell::to_lammps`]: crate::Cell::to_lammps
pub fn write<W: Write>(
    mut w: W,
    name: &str,
    frames: &[Structure],
    opts: &WriteOptions,
) -> Result<()> {
    let order = opts.type_order(frames)?;
    for (index, frame) in frames.iter().enumerate() {
        write_frame(&mut w, name, frame, index, &order)?;
    }
    w.flush().map_err(write_err(name))
}

/// A real property to write: name, components, values, and whether it rotates with the cell.
struct Extra<'a> {
    name: &'a str,
    components: usize,
    values: &'a [f64],
    rotate: bool,
}

fn extras(frame: &Structure) -> Result<Vec<Extra<'_>>> {
    let mut out = Vec::new();
    for (name, p) in frame.properties() {
        let Property::Real { components, values } = p else {
            continue;
        };
        let forces = name == "forces" && *components == 3;
        if !forces && (TAKEN.contains(&name.as_str()) || matches!(name.as_str(), "fy" | "fz")) {
            return Err(StructureError::Invalid(format!(
                "property `{name}` has the name of a LAMMPS dump column with its own meaning; \
                 rename it before writing a dump"
            )));
        }
        let e = Extra {
            name,
            components: *components,
            values,
            rotate: forces,
        };
        if forces {
            out.insert(0, e);
        } else {
            out.push(e);
        }
    }
    Ok(out)
}

fn write_frame<W: Write>(
    w: &mut W,
    name: &str,
    frame: &Structure,
    index: usize,
    order: &[Element],
) -> Result<()> {
    let io = write_err(name);
    let (lbox, rot) = frame.cell().to_lammps()?;
    let rotate = rot != Matrix3::identity();
    let turn = |v: Vector3<f64>| if rotate { rot * v } else { v };
    let extras = extras(frame)?;
    if let Some(t) = frame.info().get("time").and_then(InfoValue::as_real) {
        writeln!(w, "ITEM: TIME\n{}", Real(t)).map_err(&io)?;
    }
    let timestep = match frame.info().get("timestep") {
        Some(InfoValue::Int(t)) => *t,
        _ => index as i64,
    };
    writeln!(
        w,
        "ITEM: TIMESTEP\n{timestep}\nITEM: NUMBER OF ATOMS\n{}",
        frame.len()
    )
    .map_err(&io)?;
    let flags = frame
        .cell()
        .pbc()
        .map(|p| if p { "pp" } else { "ff" })
        .join(" ");
    let (lo, hi) = lbox.dump_bounds();
    if lbox.is_triclinic() {
        writeln!(w, "ITEM: BOX BOUNDS xy xz yz {flags}").map_err(&io)?;
        for (a, t) in [lbox.xy, lbox.xz, lbox.yz].into_iter().enumerate() {
            writeln!(w, "{} {} {}", Real(lo[a]), Real(hi[a]), Real(t)).map_err(&io)?;
        }
    } else {
        writeln!(w, "ITEM: BOX BOUNDS {flags}").map_err(&io)?;
        for a in 0..3 {
            writeln!(w, "{} {}", Real(lo[a]), Real(hi[a])).map_err(&io)?;
        }
    }
    write!(w, "ITEM: ATOMS id type element").map_err(&io)?;
    let masses = frame.masses();
    if masses.is_some() {
        write!(w, " mass").map_err(&io)?;
    }
    write!(w, " x y z").map_err(&io)?;
    let velocities = frame.velocities();
    if velocities.is_some() {
        write!(w, " vx vy vz").map_err(&io)?;
    }
    for e in &extras {
        match (e.rotate, e.components) {
            (true, _) => write!(w, " fx fy fz"),
            (false, 1) => write!(w, " {}", e.name),
            (false, c) => (1..=c).try_for_each(|k| write!(w, " {}[{k}]", e.name)),
        }
        .map_err(&io)?;
    }
    writeln!(w).map_err(&io)?;
    let types: Vec<usize> = order.iter().map(|e| e.z() as usize).collect();
    let mut type_of_z = [0usize; 256];
    for (k, z) in types.iter().enumerate() {
        type_of_z[*z] = k + 1;
    }
    for (i, (r, e)) in frame.positions().iter().zip(frame.species()).enumerate() {
        let r = turn(*r);
        let t = type_of_z[usize::from(e.z())];
        write!(w, "{} {t} {}", i + 1, e.symbol()).map_err(&io)?;
        if let Some(m) = masses {
            write!(w, " {}", Real(m[i])).map_err(&io)?;
        }
        write!(w, " {} {} {}", Real(r.x), Real(r.y), Real(r.z)).map_err(&io)?;
        if let Some(v) = velocities {
            let v = turn(v[i]);
            write!(w, " {} {} {}", Real(v.x), Real(v.y), Real(v.z)).map_err(&io)?;
        }
        for e in &extras {
            let row = &e.values[i * e.components..(i + 1) * e.components];
            if e.rotate {
                let f = turn(Vector3::new(row[0], row[1], row[2]));
                write!(w, " {} {} {}", Real(f.x), Real(f.y), Real(f.z)).map_err(&io)?;
            } else {
                for x in row {
                    write!(w, " {}", Real(*x)).map_err(&io)?;
                }
            }
        }
        writeln!(w).map_err(&io)?;
    }
    Ok(())
}
