//! Readers for LAMMPS' tabulated EAM files (METHODS.md section 11.3): funcfl (`pair_style eam`,
//! DYNAMO single-element files), setfl (`eam/alloy`) and Finnis-Sinclair setfl (`eam/fs`).
//! Values are whitespace tokens regardless of line breaks; errors name file and line.

use fe_structure::Element;

use super::setfl::SetflTables;
use crate::error::{PotentialError, Result};
use crate::tokens::Tokens;

/// One funcfl file: a single element, its embedding function F(rho), effective charge Z(r)
/// (sqrt(Hartree Bohr)) and density rho(r), each on its own uniform grid from 0.
#[derive(Debug, Clone)]
pub(crate) struct Funcfl {
    pub element: Element,
    pub mass: f64,
    pub drho: f64,
    pub dr: f64,
    pub cutoff: f64,
    pub frho: Vec<f64>,
    pub zr: Vec<f64>,
    pub rhor: Vec<f64>,
}

/// Reject a header that declares other units than LAMMPS `metal`.
fn check_units(first: &str, file: &str) -> Result<()> {
    let mut words = first.split_whitespace();
    while let Some(w) = words.next() {
        if w.eq_ignore_ascii_case("UNITS:") {
            if let Some(u) = words.next() {
                if !u.eq_ignore_ascii_case("metal") {
                    return Err(PotentialError::Parse {
                        file: file.to_string(),
                        line: 1,
                        message: format!(
                            "the file declares `UNITS: {u}`; only metal units are supported"
                        ),
                    });
                }
            }
        }
    }
    Ok(())
}

/// Grid spacing and count checks shared by the formats.
fn check_grid(t: &Tokens<'_>, n: usize, d: f64, what: &str) -> Result<()> {
    if n < 5 {
        return Err(t.err(format_args!(
            "{what} table has {n} points; at least 5 are needed"
        )));
    }
    if d <= 0.0 {
        return Err(t.err(format_args!("{what} spacing must be positive, found {d}")));
    }
    Ok(())
}

/// The grid line shared by every format: N_rho, d_rho, N_r, d_r, cutoff.
struct Grid {
    nrho: usize,
    drho: f64,
    nr: usize,
    dr: f64,
    cutoff: f64,
}

/// Read and check the grid line.
fn grid(t: &mut Tokens<'_>) -> Result<Grid> {
    let g = Grid {
        nrho: t.count("N_rho")?,
        drho: t.real("d_rho")?,
        nr: t.count("N_r")?,
        dr: t.real("d_r")?,
        cutoff: t.real("cutoff")?,
    };
    check_grid(t, g.nrho, g.drho, "embedding")?;
    check_grid(t, g.nr, g.dr, "radial")?;
    check_cutoff(t, g.cutoff)?;
    Ok(g)
}

/// Parse a funcfl file.
pub(crate) fn funcfl(text: &str, file: &str) -> Result<Funcfl> {
    check_units(text.lines().next().unwrap_or(""), file)?;
    let mut t = Tokens::new(text, file, 2);
    let z = t.count("atomic number")?;
    let element =
        Element::from_z(z as u32).map_err(|_| t.err(format_args!("unknown atomic number {z}")))?;
    let mass = t.real("mass")?;
    t.next_line();
    let Grid {
        nrho,
        drho,
        nr,
        dr,
        cutoff,
    } = grid(&mut t)?;
    let frho = t.reals(nrho, "F(rho) value")?;
    let zr = t.reals(nr, "Z(r) value")?;
    let rhor = t.reals(nr, "rho(r) value")?;
    Ok(Funcfl {
        element,
        mass,
        drho,
        dr,
        cutoff,
        frho,
        zr,
        rhor,
    })
}

fn check_cutoff(t: &Tokens<'_>, cutoff: f64) -> Result<()> {
    if cutoff > 0.0 {
        Ok(())
    } else {
        Err(t.err(format_args!("cutoff must be positive, found {cutoff}")))
    }
}

/// Parse a setfl (`fs == false`) or Finnis-Sinclair setfl (`fs == true`) file.
pub(crate) fn setfl(text: &str, file: &str, fs: bool) -> Result<SetflTables> {
    check_units(text.lines().next().unwrap_or(""), file)?;
    let mut t = Tokens::new(text, file, 4);
    let n = t.count("number of elements")?;
    if n == 0 {
        return Err(t.err("the file declares no elements"));
    }
    let names = t.rest_of_line();
    if names.len() < n {
        return Err(t.err(format_args!(
            "expected {n} element names, found {}",
            names.len()
        )));
    }
    let mut elements = Vec::with_capacity(n);
    for name in &names[..n] {
        let e = Element::from_symbol(name)
            .map_err(|_| t.err(format_args!("`{name}` is not an element symbol")))?;
        if elements.contains(&e) {
            return Err(t.err(format_args!("element {name} is listed twice")));
        }
        elements.push(e);
    }
    let Grid {
        nrho,
        drho,
        nr,
        dr,
        cutoff,
    } = grid(&mut t)?;
    t.next_line();
    let mut masses = Vec::with_capacity(n);
    let mut lattice_constants = Vec::with_capacity(n);
    let mut lattice_types = Vec::with_capacity(n);
    let mut frho = Vec::with_capacity(n);
    let mut rhor = Vec::with_capacity(if fs { n * n } else { n });
    for e in &elements {
        t.count(&format!("atomic number of {e}"))?;
        masses.push(t.real(&format!("mass of {e}"))?);
        // LAMMPS reads only Z and the mass; the lattice constant and type are kept if present.
        let rest = t.rest_of_line();
        lattice_constants.push(rest.first().and_then(|a| a.parse().ok()).unwrap_or(0.0));
        lattice_types.push(rest.get(1).map_or(String::new(), |s| s.to_string()));
        t.next_line();
        frho.push(t.reals(nrho, &format!("F(rho) value of {e}"))?);
        for _ in 0..if fs { n } else { 1 } {
            rhor.push(t.reals(nr, &format!("density value of {e}"))?);
        }
    }
    let mut z2r = Vec::with_capacity(n * (n + 1) / 2);
    for i in 0..n {
        for j in 0..=i {
            let what = format!("r*phi value of {}-{}", elements[i], elements[j]);
            z2r.push(t.reals(nr, &what)?);
        }
    }
    if let Ok(extra) = t.next("nothing") {
        return Err(t.err(format_args!(
            "unexpected `{extra}` after the last table (wrong N_r, N_rho or element count?)"
        )));
    }
    let mut comments = text.lines().map(|l| l.trim_end().to_string());
    let mut comment = || comments.next().unwrap_or_default();
    Ok(SetflTables {
        comments: [comment(), comment(), comment()],
        elements,
        masses,
        lattice_constants,
        lattice_types,
        drho,
        dr,
        cutoff,
        frho,
        rhor,
        z2r,
    })
}
