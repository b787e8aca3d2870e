//! Helpers shared by the potential tests.
#![allow(clippy::unwrap_used, dead_code)] // test helpers; not every test file uses all

use fe_neighbors::{ListKind, NeighborList};
use fe_potentials::{BoundAtoms, Potential, Request, Results};
use fe_structure::Structure;
use fe_testkit::{fd_forces, fd_virial, max_abs_diff};
use nalgebra::Vector3;

/// Evaluate `s` with `pot` on a fresh full list at the potential's cutoff.
pub fn eval(pot: &dyn Potential, s: &Structure, request: Request) -> Results {
    let binding = pot.bind(&s.elements()).unwrap();
    let atoms = BoundAtoms::new(s, &binding).unwrap();
    let list = NeighborList::new(s, pot.cutoff(), ListKind::Full).unwrap();
    pot.compute(&atoms, &list, request).unwrap()
}

/// Forces (every third atom) and virial against 4-point central differences, with the force
/// tolerance `rel_tol` times the largest force; also per-atom energies summing to the total and
/// a vanishing net force.
pub fn check_fd(pot: &dyn Potential, s: &Structure, rel_tol: f64) {
    let r = eval(pot, s, Request::ALL);
    let e_of = |t: &Structure| eval(pot, t, Request::ENERGY).energy;
    let atoms: Vec<usize> = (0..s.len()).step_by(3).collect();
    let fd = fd_forces(s, &atoms, 1e-5, e_of);
    let forces = r.forces.as_ref().unwrap();
    let analytic: Vec<_> = atoms.iter().map(|&i| forces[i]).collect();
    let fmax = forces.iter().map(|f| f.abs().max()).fold(0.0, f64::max);
    let err = max_abs_diff(&fd, &analytic);
    assert!(
        err < rel_tol * fmax.max(1.0),
        "force FD error {err} (fmax {fmax})"
    );
    assert!(
        err > 0.0,
        "analytic and FD forces are bit-identical: the test cannot fail"
    );
    let w = r.virial.unwrap();
    let wfd = fd_virial(s, 1e-6, e_of);
    let werr = (w - wfd).abs().max();
    assert!(
        werr < 1e-5 * w.abs().max().max(1.0),
        "virial FD error {werr}\n{w}\n{wfd}"
    );
    // per-atom energies sum to the total; net force vanishes
    let pe: f64 = r.per_atom_energy.unwrap().iter().sum();
    assert!((pe - r.energy).abs() < 1e-10 * r.energy.abs().max(1.0));
    let net: Vector3<f64> = forces.iter().sum();
    assert!(net.abs().max() < 1e-10, "net force {net}");
}

/// Largest deviations of `r` from a LAMMPS reference case `v` (keys `energy`, `forces`,
/// `virial` in Voigt order xx yy zz yz xz xy, `per_atom_energy`) of a structure of `n` atoms.
#[derive(Debug, Clone, Copy)]
pub struct ReferenceErrors {
    /// |dE| / n (eV/atom).
    pub energy_per_atom: f64,
    /// Largest force component error (eV/A).
    pub force: f64,
    /// Largest virial component error (eV).
    pub virial: f64,
    /// max(1, |W_ref|): what the virial tolerance is relative to.
    pub virial_scale: f64,
    /// Largest per-atom energy error (eV).
    pub per_atom_energy: f64,
}

/// The errors of `r` (evaluated with `Request::ALL`) against the reference case `v`.
pub fn reference_errors(r: &Results, v: &serde_json::Value, n: usize) -> ReferenceErrors {
    let energy_per_atom = (r.energy - v["energy"].as_f64().unwrap()).abs() / n as f64;
    let forces = r.forces.as_ref().unwrap();
    let mut force: f64 = 0.0;
    for (i, row) in v["forces"].as_array().unwrap().iter().enumerate() {
        for a in 0..3 {
            force = force.max((forces[i][a] - row[a].as_f64().unwrap()).abs());
        }
    }
    let w = r.virial.unwrap();
    let voigt = [(0, 0), (1, 1), (2, 2), (1, 2), (0, 2), (0, 1)];
    let wref: Vec<f64> = v["virial"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap())
        .collect();
    let virial_scale = wref.iter().fold(1.0_f64, |m, x| m.max(x.abs()));
    let virial = voigt
        .iter()
        .zip(&wref)
        .map(|(&(a, b), x)| (w[(a, b)] - x).abs())
        .fold(0.0, f64::max);
    let per_atom_energy = r
        .per_atom_energy
        .as_ref()
        .unwrap()
        .iter()
        .zip(v["per_atom_energy"].as_array().unwrap())
        .map(|(a, b)| (a - b.as_f64().unwrap()).abs())
        .fold(0.0, f64::max);
    ReferenceErrors {
        energy_per_atom,
        force,
        virial,
        virial_scale,
        per_atom_energy,
    }
}
