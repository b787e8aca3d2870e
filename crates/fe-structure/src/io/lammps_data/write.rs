//! Writing LAMMPS data files, atom style `atomic` (see the module docs).

use std::io::Write;

use nalgebra::{Matrix3, Vector3};

use crate::error::{Result, StructureError};
use crate::io::lammps_common::{write_err, Real};
use crate::io::WriteOptions;
use crate::structure::Structure;

/// Write one structure as a LAMMPS data file, atom style `atomic`.
///
/// # Errors
/// [`StructureError::Invalid`] for a left-handed cell (from [`Cell::to_lammps`]), an element
/// missing from `opts.types`, or atoms of one type with different explicit masses;
/// [`StructureError::Io`] when writing fails.
///
/// [`Cell::to_lammps`]: crate::Cell::to_lammps
pub fn write<W: Write>(mut w: W, name: &str, frame: &Structure, opts: &WriteOptions) -> Result<()> {
    let order = opts.type_order(std::slice::from_ref(frame))?;
    let (lbox, rot) = frame.cell().to_lammps()?;
    let type_of: Vec<usize> = frame
        .species()
        .iter()
        .map(|e| {
            let k = order.iter().position(|o| o == e);
            k.expect("type_order covers every element present") + 1
        })
        .collect();
    let masses = type_masses(frame, &order, &type_of)?;
    let rotate = rot != Matrix3::identity();
    let turn = |v: &Vector3<f64>| if rotate { rot * v } else { *v };
    let io = write_err(name);

    writeln!(
        w,
        "LAMMPS data file (atom_style atomic) written by fe-structure {}",
        env!("CARGO_PKG_VERSION")
    )
    .map_err(&io)?;
    writeln!(w, "\n{} atoms\n{} atom types\n", frame.len(), order.len()).map_err(&io)?;
    let l = lbox.lengths;
    writeln!(w, "0 {} xlo xhi", Real(l.x)).map_err(&io)?;
    writeln!(w, "0 {} ylo yhi", Real(l.y)).map_err(&io)?;
    writeln!(w, "0 {} zlo zhi", Real(l.z)).map_err(&io)?;
    if lbox.is_triclinic() {
        let (xy, xz, yz) = (Real(lbox.xy), Real(lbox.xz), Real(lbox.yz));
        writeln!(w, "{xy} {xz} {yz} xy xz yz").map_err(&io)?;
    }
    writeln!(w, "\nMasses\n").map_err(&io)?;
    for (k, (e, m)) in order.iter().zip(&masses).enumerate() {
        writeln!(w, "{} {} # {}", k + 1, Real(*m), e.symbol()).map_err(&io)?;
    }
    writeln!(w, "\nAtoms # atomic\n").map_err(&io)?;
    for (i, (r, t)) in frame.positions().iter().zip(&type_of).enumerate() {
        let r = turn(r);
        writeln!(w, "{} {t} {} {} {}", i + 1, Real(r.x), Real(r.y), Real(r.z)).map_err(&io)?;
    }
    if let Some(v) = frame.velocities() {
        writeln!(w, "\nVelocities\n").map_err(&io)?;
        for (i, v) in v.iter().enumerate() {
            let v = turn(v);
            writeln!(w, "{} {} {} {}", i + 1, Real(v.x), Real(v.y), Real(v.z)).map_err(&io)?;
        }
    }
    w.flush().map_err(&io)
}

/// The mass of each type: the explicit mass its atoms share, or the element's standard mass.
fn type_masses(
    frame: &Structure,
    order: &[crate::element::Element],
    type_of: &[usize],
) -> Result<Vec<f64>> {
    let mut masses: Vec<Option<f64>> = vec![None; order.len()];
    if let Some(m) = frame.masses() {
        for (i, (&t, &mi)) in type_of.iter().zip(m).enumerate() {
            match masses[t - 1] {
                None => masses[t - 1] = Some(mi),
                Some(m0) if m0 != mi => {
                    return Err(StructureError::Invalid(format!(
                        "atoms of type {t} ({}) have different masses ({m0} and {mi} amu at atom \
                         {i}); a LAMMPS data file holds one mass per type",
                        order[t - 1]
                    )))
                }
                Some(_) => {}
            }
        }
    }
    Ok(masses
        .iter()
        .zip(order)
        .map(|(m, e)| m.unwrap_or(e.mass()))
        .collect())
}
