//! Tabulated EAM: synthetic funcfl/setfl/fs files (self-contained) checked against finite
//! differences and invariances; the shared LAMMPS reference data (ignored without it).
#![allow(clippy::unwrap_used)] // test helpers outside #[test] functions

mod common;

use common::{check_fd, eval, reference_errors};

use std::path::PathBuf;
use std::sync::Arc;

use fe_neighbors::{ListKind, NeighborList};
use fe_potentials::eam::{Eam, EamStyle};
use fe_potentials::{BoundAtoms, Evaluator, Potential, PotentialError, Request};
use fe_structure::{Cell, Element, Structure};
use fe_testkit::{max_abs_diff, random_structure};
use nalgebra::Vector3;

/// Smooth toy functions tabulated into a file: F(rho) = -sqrt(rho) + 0.01 rho^2,
/// f(r) = A exp(-2 r) cut smoothly at rc, r phi(r) = r B (exp(-3(r-1)) - 2 exp(-1.5(r-1))) cut.
fn cut(r: f64, rc: f64) -> f64 {
    if r >= rc {
        0.0
    } else {
        let x = (rc - r) / rc;
        x * x * x * x
    }
}
fn f_embed(rho: f64, k: f64) -> f64 {
    -k * rho.max(0.0).sqrt() + 0.01 * rho * rho
}
fn f_dens(r: f64, a: f64, rc: f64) -> f64 {
    a * (-1.2 * r).exp() * cut(r, rc) * 40.0
}
fn f_rphi(r: f64, b: f64, rc: f64) -> f64 {
    r * b * ((-3.0 * (r - 2.5)).exp() - 2.0 * (-1.5 * (r - 2.5)).exp()) * cut(r, rc)
}

fn table(n: usize, d: f64, f: impl Fn(f64) -> f64) -> String {
    let v: Vec<String> = (0..n)
        .map(|m| format!("{:.16e}", f(m as f64 * d)))
        .collect();
    v.chunks(5)
        .map(|c| c.join(" "))
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

const RC: f64 = 4.6;
const NR: usize = 3000;
const NRHO: usize = 3000;
const DR: f64 = 0.002;
const DRHO: f64 = 0.05;

fn setfl_text(elements: &[&str], fs: bool) -> String {
    let n = elements.len();
    let mut s = format!("toy\nsynthetic\nfile\n{n} {}\n", elements.join(" "));
    s += &format!("{NRHO} {DRHO} {NR} {DR} {RC}\n");
    for (i, e) in elements.iter().enumerate() {
        let el: Element = e.parse().unwrap();
        s += &format!("{} {} 2.855 bcc\n", el.z(), el.mass());
        let k = 1.0 + 0.3 * i as f64;
        s += &table(NRHO, DRHO, |rho| f_embed(rho, k));
        for j in 0..if fs { n } else { 1 } {
            let a = 1.0 + 0.2 * i as f64 + 0.1 * j as f64;
            s += &table(NR, DR, |r| f_dens(r, a, RC));
        }
    }
    for i in 0..n {
        for j in 0..=i {
            let b = 0.4 + 0.05 * (i + j) as f64;
            s += &table(NR, DR, |r| f_rphi(r, b, RC));
        }
    }
    s
}

fn funcfl_text(z: u32) -> String {
    let mut s = format!("toy funcfl\n{z} 55.845 2.855 bcc\n{NRHO} {DRHO} {NR} {DR} {RC}\n");
    s += &table(NRHO, DRHO, |rho| f_embed(rho, 1.0));
    // Z(r) small and smooth; z2r = 27.2 * 0.529 * Z^2.
    s += &table(NR, DR, |r| 0.5 * (-0.8 * r).exp() * cut(r, RC));
    s += &table(NR, DR, |r| f_dens(r, 1.0, RC));
    s
}

/// A rattled bcc crystal in a sheared triclinic cell, optionally with a second species.
fn test_structure(seed: u64, two_species: bool) -> Structure {
    let mut s = random_structure(seed, 30, 7.0, 8.5, 0.3, [true; 3], true);
    if two_species {
        for (k, e) in s.species_mut().iter_mut().enumerate() {
            if k % 3 == 0 {
                *e = Element::W;
            }
        }
    }
    s
}

fn temp_file(name: &str, text: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("fe-eam-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

#[test]
fn eam_setfl_forces_and_virial_match_finite_differences_on_sheared_cells() {
    let pot = Eam::from_setfl_str(
        &setfl_text(&["Fe", "W"], false),
        "toy.eam.alloy",
        EamStyle::Alloy,
    )
    .unwrap();
    for seed in [1, 2] {
        check_fd(&pot, &test_structure(seed, true), 1e-5);
    }
}

#[test]
fn eam_fs_forces_and_virial_match_finite_differences_with_two_species() {
    let pot = Eam::from_setfl_str(
        &setfl_text(&["Fe", "W"], true),
        "toy.eam.fs",
        EamStyle::FinnisSinclair,
    )
    .unwrap();
    check_fd(&pot, &test_structure(3, true), 1e-5);
}

#[test]
fn eam_setfl_and_fs_tables_round_trip_through_the_writer() {
    let s = test_structure(5, true);
    for (style, fs) in [(EamStyle::Alloy, false), (EamStyle::FinnisSinclair, true)] {
        let text = setfl_text(&["Fe", "W"], fs);
        let pot = Eam::from_setfl_str(&text, "toy", style).unwrap();
        let tables = pot.setfl_tables();
        // The toy eam/fs densities depend on the host, so only the fs layout can hold them.
        assert_eq!(tables.is_finnis_sinclair(), fs);
        let mut written = Vec::new();
        tables.write(&mut written, "<memory>").unwrap();
        let again =
            Eam::from_setfl_str(std::str::from_utf8(&written).unwrap(), "w", style).unwrap();
        let back = again.setfl_tables();
        assert_eq!(back.frho, tables.frho);
        assert_eq!(back.rhor, tables.rhor);
        assert_eq!(back.z2r, tables.z2r);
        // The tables build the same potential, bit for bit.
        let read = Eam::from_setfl(&tables).unwrap();
        for other in [&again, &read] {
            let (a, b) = (eval(&pot, &s, Request::ALL), eval(other, &s, Request::ALL));
            assert_eq!(a.energy, b.energy);
            assert_eq!(a.forces, b.forces);
        }
    }
    // Inconsistent tables are refused, not evaluated.
    let mut broken = Eam::from_setfl_str(&setfl_text(&["Fe"], false), "t", EamStyle::Alloy)
        .unwrap()
        .setfl_tables();
    broken.z2r.push(broken.z2r[0].clone());
    assert!(matches!(
        Eam::from_setfl(&broken),
        Err(PotentialError::Unsupported(_))
    ));
    assert!(broken.write(&mut Vec::new(), "x").is_err());
}

#[test]
fn eam_funcfl_forces_and_virial_match_finite_differences_and_mix_two_files() {
    let pot = Eam::from_setfl_str(&funcfl_text(26), "toy.eam", EamStyle::Funcfl).unwrap();
    check_fd(&pot, &test_structure(4, false), 1e-5);
    let a = temp_file("fe.eam", &funcfl_text(26));
    let b = temp_file("w.eam", &funcfl_text(74));
    let mixed = Eam::from_paths(&[a.as_path(), b.as_path()], EamStyle::Funcfl).unwrap();
    assert_eq!(mixed.elements(), &[Element::FE, Element::W]);
    check_fd(&mixed, &test_structure(5, true), 1e-5);
}

#[test]
fn eam_small_cell_below_twice_the_cutoff_matches_finite_differences() {
    // edges 3.5-4 A against a 4.6 A cutoff: several images of every pair
    let pot = Eam::from_setfl_str(
        &setfl_text(&["Fe"], false),
        "toy.eam.alloy",
        EamStyle::Alloy,
    )
    .unwrap();
    let s = random_structure(9, 3, 3.5, 4.0, 0.2, [true; 3], false);
    check_fd(&pot, &s, 1e-5);
}

#[test]
fn eam_gives_the_same_bits_for_any_thread_count_and_either_list_kind() {
    let pot = Eam::from_setfl_str(
        &setfl_text(&["Fe", "W"], true),
        "toy.eam.fs",
        EamStyle::FinnisSinclair,
    )
    .unwrap();
    // 1,440 atoms, several blocks; atoms shuffled so that rows reach far-away indices.
    let s = test_structure(7, true).replicate(4, 4, 3).unwrap();
    let mut order: Vec<usize> = (0..s.len()).collect();
    order.sort_by_key(|&i| (i * 7919) % s.len());
    let s = s
        .gather(&order, order.iter().map(|&i| s.positions()[i]).collect())
        .unwrap();
    let binding = pot.bind(&s.elements()).unwrap();
    let atoms = BoundAtoms::new(&s, &binding).unwrap();
    let full = NeighborList::new(&s, pot.cutoff() + 0.5, ListKind::Full).unwrap();
    let half = NeighborList::new(&s, pot.cutoff() + 0.5, ListKind::Half).unwrap();
    let reference = pot.compute(&atoms, &full, Request::ALL).unwrap();
    for threads in [1, 2, 3] {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        for list in [&full, &half] {
            let r = pool
                .install(|| pot.compute(&atoms, list, Request::ALL))
                .unwrap();
            assert_eq!(r, reference, "{threads} threads, {:?} list", list.kind());
        }
    }
    // Per-atom energies sum to the total and forces to zero, pairs counted once.
    let e: f64 = reference.per_atom_energy.as_ref().unwrap().iter().sum();
    assert!((e - reference.energy).abs() < 1e-10 * reference.energy.abs());
    let net: Vector3<f64> = reference.forces.as_ref().unwrap().iter().sum();
    assert!(net.norm() < 1e-9, "net force {net}");
}

#[test]
fn eam_invariances_thread_count_energy_only_and_list_reuse() {
    let pot = Arc::new(
        Eam::from_setfl_str(
            &setfl_text(&["Fe", "W"], false),
            "toy.eam.alloy",
            EamStyle::Alloy,
        )
        .unwrap(),
    );
    let s = test_structure(6, true);
    let full = eval(pot.as_ref(), &s, Request::ALL);
    let energy_only = eval(pot.as_ref(), &s, Request::ENERGY);
    assert_eq!(full.energy, energy_only.energy);
    assert!(energy_only.forces.is_none() && energy_only.virial.is_none());
    // thread counts: bit-identical
    for threads in [1, 2, 3] {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        let r = pool.install(|| eval(pot.as_ref(), &s, Request::ALL));
        assert_eq!(r, full, "{threads} threads");
    }
    // translation and wrapping do not change the energy
    let mut moved = s.clone();
    moved.translate(&Vector3::new(0.3, -7.1, 2.2));
    moved.wrap();
    let r = eval(pot.as_ref(), &moved, Request::ALL);
    assert!((r.energy - full.energy).abs() < 1e-9 * full.energy.abs());
    // rotation of cell and atoms rotates forces
    let rot = nalgebra::Rotation3::from_euler_angles(0.3, -0.7, 1.1).into_inner();
    let mut rotated = s.clone();
    rotated.deform(&rot).unwrap();
    let rr = eval(pot.as_ref(), &rotated, Request::ALL);
    assert!((rr.energy - full.energy).abs() < 1e-9 * full.energy.abs());
    let f0 = full.forces.as_ref().unwrap();
    let back: Vec<_> = rr
        .forces
        .unwrap()
        .iter()
        .map(|f| rot.transpose() * f)
        .collect();
    assert!(max_abs_diff(&back, f0) < 1e-9);
    // permutation of atoms permutes forces
    let order: Vec<usize> = (0..s.len()).rev().collect();
    let perm = s
        .gather(&order, order.iter().map(|&i| s.positions()[i]).collect())
        .unwrap();
    let rp = eval(pot.as_ref(), &perm, Request::ALL);
    assert!((rp.energy - full.energy).abs() < 1e-9 * full.energy.abs());
    assert!((rp.forces.unwrap()[0] - f0[s.len() - 1]).abs().max() < 1e-10);
    // the evaluator's reused list equals a fresh build bit for bit
    let mut ev = Evaluator::new(pot.clone());
    let mut t = s.clone();
    ev.evaluate(&t, Request::ALL).unwrap();
    t.positions_mut()[0].x += 0.1;
    let reused = ev.evaluate(&t, Request::ALL).unwrap();
    assert_eq!(ev.list_builds(), 1);
    assert_eq!(reused, eval(pot.as_ref(), &t, Request::ALL));
    // replication scales the energy
    let big = s.replicate(2, 1, 1).unwrap();
    let rb = eval(pot.as_ref(), &big, Request::ENERGY);
    assert!((rb.energy - 2.0 * full.energy).abs() < 1e-9 * full.energy.abs());
}

#[test]
fn eam_errors_name_the_problem() {
    let pot = Eam::from_setfl_str(
        &setfl_text(&["Fe"], false),
        "toy.eam.alloy",
        EamStyle::Alloy,
    )
    .unwrap();
    // an element the potential lacks
    let s = test_structure(7, true);
    let e = pot.bind(&s.elements()).unwrap_err();
    assert!(matches!(e, PotentialError::UnknownElement { .. }), "{e}");
    assert!(e.to_string().contains('W'), "{e}");
    // two atoms on top of each other
    let cell = Cell::cubic(6.0).unwrap();
    let s = Structure::new(
        cell,
        vec![Element::FE; 2],
        vec![Vector3::zeros(), Vector3::new(0.0, 0.0, 1e-4)],
    )
    .unwrap();
    let binding = pot.bind(&s.elements()).unwrap();
    let atoms = BoundAtoms::new(&s, &binding).unwrap();
    let list = NeighborList::new(&s, pot.cutoff(), ListKind::Full).unwrap();
    let e = pot.compute(&atoms, &list, Request::ALL).unwrap_err();
    assert!(matches!(e, PotentialError::TooClose { .. }), "{e}");
    // a half list is refused
    let half = NeighborList::new(&s, pot.cutoff(), ListKind::Half).unwrap();
    assert!(pot.compute(&atoms, &half, Request::ALL).is_err());
    // malformed files: truncated table, bad number, Fortran exponent, wrong units
    let text = setfl_text(&["Fe"], false);
    let cut_at = text.len() / 2;
    let e = Eam::from_setfl_str(&text[..cut_at], "t.eam.alloy", EamStyle::Alloy)
        .unwrap_err()
        .to_string();
    assert!(
        e.starts_with("t.eam.alloy:") && e.contains("unexpected end of file"),
        "{e}"
    );
    let bad = text.replacen("3000 0.05", "3000 x", 1);
    let e = Eam::from_setfl_str(&bad, "b.eam.alloy", EamStyle::Alloy)
        .unwrap_err()
        .to_string();
    assert!(e.starts_with("b.eam.alloy:5:"), "{e}");
    let fortran = text.replacen("3000 0.05", "3000 5.0D-02", 1);
    let e = Eam::from_setfl_str(&fortran, "d.eam.alloy", EamStyle::Alloy)
        .unwrap_err()
        .to_string();
    assert!(e.contains("Fortran"), "{e}");
    let units = text.replacen("toy", "toy UNITS: real", 1);
    let e = Eam::from_setfl_str(&units, "u.eam.alloy", EamStyle::Alloy)
        .unwrap_err()
        .to_string();
    assert!(e.contains("metal"), "{e}");
    // an fs file read as alloy: the tables do not line up, and the error says where
    let e = Eam::from_setfl_str(
        &setfl_text(&["Fe", "W"], true),
        "x.eam.alloy",
        EamStyle::Alloy,
    )
    .unwrap_err()
    .to_string();
    assert!(
        e.starts_with("x.eam.alloy:") && e.contains("expected"),
        "{e}"
    );
    // trailing numbers after the last table are refused
    let e = Eam::from_setfl_str(
        &(text.clone() + "1.0 2.0\n"),
        "z.eam.alloy",
        EamStyle::Alloy,
    )
    .unwrap_err()
    .to_string();
    assert!(e.contains("after the last table"), "{e}");
}

/// The shared reference: every EAM case of reference/eam/ to the README's tolerances.
#[test]
#[ignore = "needs ../shared reference data"]
fn eam_matches_lammps_reference_data() {
    let shared = fe_testkit::shared_dir();
    let dir = shared.join("reference/eam");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert_eq!(files.len(), 12, "12 EAM cases expected");
    let mut report = Vec::new();
    for f in files {
        let v: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&f).unwrap()).unwrap();
        let pot_files = v["potential"]["files"].as_array().unwrap();
        let style = match v["potential"]["pair_style"].as_str().unwrap() {
            "eam" => EamStyle::Funcfl,
            "eam/alloy" => EamStyle::Alloy,
            "eam/fs" => EamStyle::FinnisSinclair,
            other => panic!("unexpected style {other}"),
        };
        let paths: Vec<PathBuf> = pot_files
            .iter()
            .map(|p| shared.join("data/potentials").join(p.as_str().unwrap()))
            .collect();
        let refs: Vec<&std::path::Path> = paths.iter().map(|p| p.as_path()).collect();
        let pot = Eam::from_paths(&refs, style).unwrap();
        let structure = shared
            .join("reference")
            .join(v["structure"].as_str().unwrap());
        let s = fe_structure::io::read_one(&structure, &Default::default()).unwrap();
        let r = eval(&pot, &s, Request::ALL);
        let err = reference_errors(&r, &v, s.len());
        let (e_err, f_err, w_err, pe_err) = (
            err.energy_per_atom,
            err.force,
            err.virial,
            err.per_atom_energy,
        );
        assert!(
            e_err < 1e-8,
            "{}: energy error {e_err} eV/atom",
            f.display()
        );
        assert!(f_err < 1e-6, "{}: force error {f_err}", f.display());
        assert!(
            w_err < 1e-6 * err.virial_scale,
            "{}: virial error {w_err}",
            f.display()
        );
        assert!(
            pe_err < 1e-8,
            "{}: per-atom energy error {pe_err}",
            f.display()
        );
        report.push(format!(
            "{}: dE/atom {e_err:.1e}, max dF {f_err:.1e}, max dW {w_err:.1e}, max de_i {pe_err:.1e}",
            f.file_name().unwrap().to_string_lossy()
        ));
    }
    println!("{}", report.join("\n"));
}
