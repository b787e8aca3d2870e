//! The bulk reference of a potential: energy per atom $e_\text{bulk}$ and lattice constant
//! $a_0$ of its zero-pressure perfect bcc crystal (METHODS.md 0.4), by conjugate gradient with
//! isotropic cell relaxation (fe-dynamics).

use std::sync::Arc;

use fe_dynamics::minimize::{minimize, Algorithm, MinimizeOptions};
use fe_dynamics::CellDof;
use fe_potentials::{Evaluator, Potential};
use fe_structure::build::bcc;
use fe_structure::Element;
use serde::Serialize;

use crate::error::{GbError, Result};

/// The zero-pressure perfect crystal of a potential.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct BulkReference {
    /// Energy per atom (eV).
    #[serde(rename = "e_bulk_eV")]
    pub e_bulk: f64,
    /// Lattice constant (Angstrom).
    #[serde(rename = "a0_A")]
    pub a0: f64,
    /// Pressure left after the relaxation (bar).
    pub pressure_bar: f64,
    /// Whether the minimizer met its tolerance.
    pub converged: bool,
}

impl BulkReference {
    /// How [`bcc_bulk_reference`] obtained it, as reports say it.
    pub const SOURCE: &'static str = "relaxed perfect bcc crystal (CG, iso cell, zero pressure)";

    /// The reference as JSON: `{"e_bulk_eV", "a0_A", "pressure_bar", "converged", "source"}`.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "e_bulk_eV": self.e_bulk, "a0_A": self.a0, "pressure_bar": self.pressure_bar,
            "converged": self.converged, "source": Self::SOURCE,
        })
    }
}

/// Relax a 4x4x4 bcc supercell of `element` (starting lattice constant `a_guess`, Angstrom)
/// with `potential` by CG with isotropic cell relaxation to zero pressure (max force 1e-8
/// eV/Angstrom), and return $e_\text{bulk} = E/N$ and $a_0$.
///
/// # Errors
/// [`GbError::Input`] for a non-positive `a_guess` or a crystal that the potential cannot
/// evaluate; [`GbError::Input`] naming the minimizer's error.
pub fn bcc_bulk_reference(
    potential: Arc<dyn Potential>,
    element: Element,
    a_guess: f64,
) -> Result<BulkReference> {
    if !(a_guess > 0.0 && a_guess.is_finite()) {
        return Err(GbError::Input(format!(
            "the starting lattice constant must be positive, got {a_guess} A"
        )));
    }
    let n = 4;
    let mut s = bcc(element, a_guess)
        .and_then(|c| c.replicate(n, n, n))
        .map_err(|e| GbError::Input(format!("cannot build bcc {}: {e}", element.symbol())))?;
    let mut ev = Evaluator::new(potential);
    let options = MinimizeOptions {
        fmax: Some(1e-8),
        max_steps: 10_000,
        cell: CellDof::Iso,
        ..MinimizeOptions::default()
    };
    let report = minimize(&mut s, &mut ev, Algorithm::Cg, &options)
        .map_err(|e| GbError::Input(format!("relaxing the bulk crystal: {e}")))?;
    Ok(BulkReference {
        e_bulk: report.energy / s.len() as f64,
        a0: s.cell().volume().cbrt() / n as f64,
        pressure_bar: report.pressure_bar,
        converged: report.converged,
    })
}
