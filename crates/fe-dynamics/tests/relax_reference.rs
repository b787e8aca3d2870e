//! Conformance with `../shared/reference/relax/*.json` (LAMMPS `min_style cg`): the zero-pressure
//! lattice constant (1e-5 Å), the cohesive energy (1e-6 eV) and the relaxed vacancy and
//! dumbbell formation energies (1e-4 eV) in 6x6x6 cells, every potential of the folder.
//! Defects whose LAMMPS relaxation kept the symmetry of the start relax with
//! `symmetry_tolerance` (symmetry-preserving CG); the others from a seeded 1e-3 A rattle.
#![allow(clippy::unwrap_used)]

use std::sync::Arc;

use fe_dynamics::minimize::{minimize, Algorithm, MinimizeOptions};
use fe_dynamics::{CellDof, Target};
use fe_potentials::{from_spec, Evaluator, Potential};
use fe_structure::build::{add_dumbbell, bcc, nearest_atom, rattle, vacancy_at};
use fe_structure::{Element, Structure};
use nalgebra::Vector3;
use serde_json::Value;

/// The potential spec (CLI.md) of a reference file: `eam:PATH` or `meam:LIBRARY:PARAMS`.
fn spec_of(reference: &Value) -> String {
    let pot = &reference["potential"];
    let dir = fe_testkit::shared_dir().join("data/potentials");
    let files: Vec<String> = pot["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| dir.join(f.as_str().unwrap()).display().to_string())
        .collect();
    let style = pot["pair_style"].as_str().unwrap();
    if style.starts_with("eam") {
        format!("eam:{}", files[0])
    } else {
        format!("meam:{}", files.join(":"))
    }
}

fn relax(s: &mut Structure, ev: &mut Evaluator, cell: CellDof, symmetric: bool) -> f64 {
    let opts = MinimizeOptions {
        fmax: None,
        fnorm: Some(1e-10),
        cell,
        target: Target::pressure(0.0),
        symmetry_tolerance: symmetric.then_some(1e-5),
        ..MinimizeOptions::default()
    };
    let r = minimize(s, ev, Algorithm::Cg, &opts).unwrap();
    assert!(
        r.converged || r.fnorm < 1e-8,
        "not converged: {:?} fnorm {}",
        r.stop,
        r.fnorm
    );
    r.energy
}

/// Whether LAMMPS' relaxed dumbbell kept the symmetry of its start, read from the reference
/// file: the relaxed axis along the initial one and the midpoint on the site (1e-6).
fn lammps_kept_symmetry(entry: &Value) -> bool {
    let unit = |v: &Value| -> Vec<f64> {
        let mut a: Vec<f64> = v
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_f64().unwrap().abs())
            .collect();
        let n = a.iter().map(|x| x * x).sum::<f64>().sqrt();
        a.iter_mut().for_each(|x| *x /= n);
        a
    };
    let (initial, relaxed) = (unit(&entry["initial_axis"]), unit(&entry["relaxed_axis"]));
    let axis_kept = initial
        .iter()
        .zip(&relaxed)
        .all(|(a, b)| (a - b).abs() < 1e-6);
    let midpoint_kept = entry["relaxed_midpoint_minus_site_A"]
        .as_array()
        .unwrap()
        .iter()
        .all(|x| x.as_f64().unwrap().abs() < 1e-6);
    axis_kept && midpoint_kept
}

/// Dumbbells whose LAMMPS relaxation left the symmetry of the start after a long path
/// (1,000 to 27,000 force evaluations) in a landscape with many stationary points, so that
/// the end point is chaotic: LAMMPS itself, run on the same input with every coordinate
/// perturbed by 1e-9 A (Gaussian, numpy seed 1), ends at E_f = -1.239 eV (`meam_fe_1nn`
/// `<110>`, reference 0.966; 0.047 eV at 1e-8 A), 1.084 eV (`meam_fe_1nn` `<100>`, reference
/// 1.284; -1.133 eV at 1e-8 A), 5.542 eV (`meam_w_1nn` `<100>`, reference 5.525) and 7.182274
/// eV (`meam_w_1nn` `<111>`, reference 7.186152; our free CG gives the same 7.182274). No
/// minimizer can be held to 1e-4 eV of one such end point (docs/benchmarks.md, "Relaxation
/// reference"); these cases are checked to be converged stationary points that the reference
/// marks as having left the symmetry, and reported. The start structures and their energies
/// agree with LAMMPS' (3.5e-11 eV); `1NN` MEAM Fe relaxes to states below the perfect crystal
/// (negative formation energies), so its bcc lattice is not a stable reference there.
const CHAOTIC: [(&str, &str); 4] = [
    ("meam_fe_1nn", "dumbbell_110"),
    ("meam_fe_1nn", "dumbbell_100"),
    ("meam_w_1nn", "dumbbell_111"),
    ("meam_w_1nn", "dumbbell_100"),
];

/// Check one reference file; returns the worst errors (a0, e_coh, formation energy).
fn check(key: &str) -> (f64, f64, f64) {
    let reference = fe_testkit::shared_json(&format!("reference/relax/{key}.json"));
    let element = Element::from_symbol(reference["element"].as_str().unwrap()).unwrap();
    let pot: Arc<dyn Potential> = from_spec(&spec_of(&reference), &[element]).unwrap();
    let a_ref = reference["a0"].as_f64().unwrap();
    let e_ref = reference["cohesive_energy_per_atom"].as_f64().unwrap();

    // Zero-pressure lattice constant from a cell 1 % too large.
    let mut cell = bcc(element, a_ref * 1.01).unwrap();
    let mut ev = Evaluator::new(pot.clone());
    let e2 = relax(&mut cell, &mut ev, CellDof::Iso, false);
    let a0 = cell.cell().matrix()[(0, 0)];
    let e_coh = e2 / 2.0;
    let (da, de) = ((a0 - a_ref).abs(), (e_coh - e_ref).abs());
    println!(
        "{key}: a0 {a0:.10} (ref {a_ref:.10}, diff {da:.2e}); e_coh {e_coh:.10} (diff {de:.2e})"
    );
    assert!(da < 1e-5, "{key}: a0 {a0} vs {a_ref}");
    assert!(de < 1e-6, "{key}: e_coh {e_coh} vs {e_ref}");

    let perfect = bcc(element, a0).unwrap().replicate(6, 6, 6).unwrap();
    let site = Vector3::repeat(3.0 * a0);
    let mut worst: f64 = 0.0;
    for defect in ["vacancy", "dumbbell_110", "dumbbell_111", "dumbbell_100"] {
        let mut s = perfect.clone();
        let entry = &reference[defect];
        // LAMMPS keeps the symmetry of a symmetric start by its arithmetic (the vacancy always,
        // a dumbbell where the file says so); we keep it by projecting the forces onto the
        // symmetry group of the start (`symmetry_tolerance`), which holds the relaxation on a
        // symmetric saddle point exactly where LAMMPS stays on it.
        let symmetric = defect == "vacancy" || lammps_kept_symmetry(entry);
        if defect == "vacancy" {
            vacancy_at(&mut s, &site).unwrap();
        } else {
            let axis: Vec<f64> = entry["initial_axis"]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_f64().unwrap())
                .collect();
            let (i, _) = nearest_atom(&s, &site).unwrap();
            add_dumbbell(&mut s, i, Vector3::new(axis[0], axis[1], axis[2]), 0.7 * a0).unwrap();
            if !symmetric {
                // LAMMPS left the symmetric start: so do we, by a seeded 1e-3 A rattle.
                rattle(&mut s, 1e-3, 1).unwrap();
            }
        }
        let mut ev = Evaluator::new(pot.clone());
        let n = s.len() as f64;
        let e = relax(&mut s, &mut ev, CellDof::None, symmetric);
        let ef = e - n * e_coh;
        let ef_ref = entry["formation_energy"].as_f64().unwrap();
        let err = (ef - ef_ref).abs();
        println!(
            "{key} {defect} ({}): E_f {ef:.6} (ref {ef_ref:.6}, diff {err:.2e})",
            if symmetric { "symmetric" } else { "free" }
        );
        if CHAOTIC.contains(&(key, defect)) {
            assert!(
                !symmetric,
                "{key} {defect} is listed as chaotic but LAMMPS kept its symmetry"
            );
            println!("  chaotic end point (LAMMPS left the symmetry): reported, not compared");
            continue;
        }
        worst = worst.max(err);
        assert!(err < 1e-4, "{key} {defect}: E_f {ef} vs {ef_ref}");
    }
    (da, de, worst)
}

#[test]
#[ignore = "needs ../shared reference data"]
fn eam_relaxations_match_lammps() {
    for key in ["eam_fe_mm", "eam_w_zhou", "eam_w_zhou04"] {
        check(key);
    }
}

#[test]
#[ignore = "needs ../shared reference data"]
fn meam_relaxations_match_lammps() {
    for key in ["meam_fe_1nn", "meam_fe_2nn", "meam_w_1nn"] {
        check(key);
    }
}
