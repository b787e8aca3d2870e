//! Minimizers on small systems with the embedded Zhou 2004 EAM: gradients against finite
//! differences, convergence of CG and FIRE with and without the cell, fixed atoms, limits and
//! failures that must end cleanly.
#![allow(clippy::unwrap_used)]

use std::sync::Arc;

use fe_dynamics::minimize::{minimize, Algorithm, MinimizeOptions, Stop};
use fe_dynamics::{CellDof, DynamicsError, Relaxable, Target};
use fe_potentials::eam::Zhou2004;
use fe_potentials::{Evaluator, Potential};
use fe_structure::build::{bcc, rattle};
use fe_structure::units::NKTV2P;
use fe_structure::{Element, Structure};
use nalgebra::Matrix3;

fn zhou() -> Arc<dyn Potential> {
    Arc::new(Zhou2004::new(&[Element::FE]).unwrap())
}

fn rattled(reps: usize, sigma: f64, seed: u64) -> Structure {
    let mut s = bcc(Element::FE, 2.87)
        .unwrap()
        .replicate(reps, reps, reps)
        .unwrap();
    rattle(&mut s, sigma, seed).unwrap();
    s
}

#[test]
fn gradient_matches_finite_differences_for_every_cell_mode() {
    let mut s = rattled(2, 0.1, 3);
    // A sheared start so off-diagonal terms matter.
    s.deform(&Matrix3::new(
        1.01, 0.02, 0.0, 0.0, 0.99, 0.03, 0.01, 0.0, 1.0,
    ))
    .unwrap();
    let mut target = Target::pressure(5000.0);
    target.pressure_tensor_bar[(0, 1)] = 2000.0;
    target.pressure_tensor_bar[(1, 0)] = 2000.0;
    for dof in [CellDof::None, CellDof::Iso, CellDof::Aniso, CellDof::Tri] {
        let mut ev = Evaluator::new(zhou());
        let mut sys = Relaxable::new(s.clone(), &mut ev, dof, target).unwrap();
        let mut x = sys.coordinates();
        // Move off the starting cell so F != I.
        let n = x.len();
        for v in x.iter_mut().skip(3 * s.len()) {
            *v += 0.3;
        }
        let p = sys.evaluate(&x, 0).unwrap();
        let h = 1e-5;
        let mut worst: f64 = 0.0;
        let check: Vec<usize> = (0..6).chain(3 * s.len()..n).collect();
        for k in check {
            let mut xp = x.clone();
            xp[k] += h;
            let fp = sys.evaluate(&xp, 0).unwrap().objective;
            xp[k] -= 2.0 * h;
            let fm = sys.evaluate(&xp, 0).unwrap().objective;
            let fd = (fp - fm) / (2.0 * h);
            worst = worst.max((fd - p.gradient[k]).abs());
        }
        assert!(worst < 1e-6, "{dof:?}: gradient error {worst}");
    }
}

#[test]
fn cg_and_fire_converge_to_the_same_minimum() {
    let s0 = rattled(3, 0.08, 5);
    let opts = MinimizeOptions {
        fmax: Some(1e-6),
        ..MinimizeOptions::default()
    };
    let mut energies = Vec::new();
    for alg in [Algorithm::Cg, Algorithm::Fire] {
        let mut s = s0.clone();
        let mut ev = Evaluator::new(zhou());
        let r = minimize(&mut s, &mut ev, alg, &opts).unwrap();
        assert!(r.converged && r.fmax < 1e-6, "{alg:?}: {r:?}");
        assert_eq!(r.stop, Stop::Fmax);
        assert!(r.force_evaluations >= r.steps);
        energies.push(r.energy);
    }
    // Rattled perfect crystal: both relax back to the perfect lattice.
    let perfect = bcc(Element::FE, 2.87).unwrap().replicate(3, 3, 3).unwrap();
    let e_perfect = Evaluator::new(zhou())
        .evaluate(&perfect, fe_potentials::Request::ENERGY)
        .unwrap()
        .energy;
    for e in energies {
        assert!((e - e_perfect).abs() < 1e-8, "{e} vs {e_perfect}");
    }
}

#[test]
fn cell_relaxation_reaches_the_target_pressure() {
    for (dof, alg) in [
        (CellDof::Iso, Algorithm::Cg),
        (CellDof::Aniso, Algorithm::Cg),
        (CellDof::Tri, Algorithm::Cg),
        (CellDof::Iso, Algorithm::Fire),
    ] {
        for target in [0.0, 10_000.0] {
            let mut s = rattled(2, 0.05, 9);
            let mut ev = Evaluator::new(zhou());
            let opts = MinimizeOptions {
                fmax: Some(1e-7),
                cell: dof,
                target: Target::pressure(target),
                ..MinimizeOptions::default()
            };
            let r = minimize(&mut s, &mut ev, alg, &opts).unwrap();
            assert!(r.converged, "{dof:?} {alg:?}: {r:?}");
            // fmax bounds the cell gradient: |P - p| <= fmax / sqrt(V) (eV/A^3) per component.
            let tol = 1e-7 / s.cell().volume().sqrt() * NKTV2P * 3.0;
            assert!(
                (r.pressure_bar - target).abs() < tol.max(1e-3),
                "{dof:?} {alg:?}: P {} vs {target}",
                r.pressure_bar
            );
        }
    }
}

#[test]
fn fixed_atoms_stay_put() {
    let mut s = rattled(2, 0.1, 11);
    let fixed: Vec<bool> = (0..s.len()).map(|i| i % 3 == 0).collect();
    s.set_fixed(Some(fixed.clone())).unwrap();
    let before = s.positions().to_vec();
    let mut ev = Evaluator::new(zhou());
    let r = minimize(&mut s, &mut ev, Algorithm::Cg, &MinimizeOptions::default()).unwrap();
    assert!(r.converged);
    for (i, f) in fixed.iter().enumerate() {
        if *f {
            assert_eq!(s.positions()[i], before[i]);
        }
    }
}

#[test]
fn limits_give_a_not_converged_report() {
    let mut s = rattled(2, 0.1, 13);
    let mut ev = Evaluator::new(zhou());
    let opts = MinimizeOptions {
        max_steps: 3,
        ..MinimizeOptions::default()
    };
    let r = minimize(&mut s, &mut ev, Algorithm::Cg, &opts).unwrap();
    assert!(!r.converged);
    assert_eq!(r.stop, Stop::MaxSteps);
    assert!(r.energy.is_finite() && r.fmax.is_finite());
    let opts = MinimizeOptions {
        max_evaluations: 5,
        ..MinimizeOptions::default()
    };
    let r = minimize(&mut s, &mut ev, Algorithm::Fire, &opts).unwrap();
    assert_eq!(r.stop, Stop::MaxEvaluations);
    assert!(!r.converged);
}

#[test]
fn bad_options_and_runaway_cells_are_errors() {
    let s = rattled(2, 0.05, 17);
    let mut ev = Evaluator::new(zhou());
    for opts in [
        MinimizeOptions {
            fmax: Some(f64::NAN),
            ..MinimizeOptions::default()
        },
        MinimizeOptions {
            target: Target::pressure(f64::INFINITY),
            cell: CellDof::Iso,
            ..MinimizeOptions::default()
        },
        MinimizeOptions {
            max_steps: 0,
            ..MinimizeOptions::default()
        },
    ] {
        let mut t = s.clone();
        assert!(matches!(
            minimize(&mut t, &mut ev, Algorithm::Cg, &opts),
            Err(DynamicsError::Invalid(_))
        ));
    }
    // A huge tension pulls the crystal apart: the cell must stop at the strain limit, not
    // run to infinity or NaN.
    for alg in [Algorithm::Cg, Algorithm::Fire] {
        let mut t = s.clone();
        let opts = MinimizeOptions {
            cell: CellDof::Iso,
            target: Target::pressure(-5e6),
            max_steps: 2000,
            ..MinimizeOptions::default()
        };
        match minimize(&mut t, &mut ev, alg, &opts) {
            Err(DynamicsError::CellExploded { .. }) => {}
            Ok(r) => {
                assert!(!r.converged || r.pressure_bar.is_finite(), "{alg:?}: {r:?}");
                assert!(r.energy.is_finite());
            }
            Err(e) => panic!("{alg:?}: unexpected error {e}"),
        }
    }
}

#[test]
fn non_finite_potential_results_end_with_an_error() {
    // Two atoms on top of each other: the potential refuses or returns non-finite values.
    let mut s = rattled(2, 0.0, 1);
    let p = s.positions()[1];
    s.positions_mut()[0] = p;
    let mut ev = Evaluator::new(zhou());
    let r = minimize(&mut s, &mut ev, Algorithm::Cg, &MinimizeOptions::default());
    assert!(r.is_err(), "{r:?}");
}
