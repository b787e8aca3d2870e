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
