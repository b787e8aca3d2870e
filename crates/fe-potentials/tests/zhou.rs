//! The embedded Zhou 2004 EAM: finite differences, the published physical checks for all 17
//! elements, export round trips, and agreement with the NIST W table (shared data).
#![allow(clippy::unwrap_used)] // test helpers outside #[test] functions

mod common;

use common::{check_fd, eval};

use fe_potentials::eam::{Eam, EamStyle, Zhou2004};
use fe_potentials::{Potential, Request};
use fe_structure::build::{bcc, fcc, hcp, rattle};
use fe_structure::Element;
use fe_testkit::{max_abs_diff, random_structure};

#[test]
fn zhou_forces_and_virial_match_finite_differences_for_fe_w_and_the_alloy() {
    let fe = Zhou2004::new(&[Element::FE]).unwrap();
    let mut s = bcc(Element::FE, 2.855).unwrap().replicate(3, 3, 3).unwrap();
    rattle(&mut s, 0.1, 11).unwrap();
    check_fd(&fe, &s, 1e-6);
    let both = Zhou2004::new(&[Element::FE, Element::W]).unwrap();
    let mut t = random_structure(12, 40, 8.0, 9.0, 0.3, [true; 3], true);
    for (k, e) in t.species_mut().iter_mut().enumerate() {
        if k % 2 == 0 {
            *e = Element::W;
        }
    }
    check_fd(&both, &t, 1e-6);
}

#[test]
fn zhou_reproduces_published_lattice_densities_and_cohesive_energies() {
    // (element, lattice, E_coh in eV) from the paper, as METHODS.md 11.4 lists them
    let table = [
        ("Cu", "fcc", 3.540),
        ("Ag", "fcc", 2.850),
        ("Au", "fcc", 3.930),
        ("Ni", "fcc", 4.450),
        ("Pd", "fcc", 3.910),
        ("Pt", "fcc", 5.770),
        ("Al", "fcc", 3.580),
        ("Pb", "fcc", 2.020),
        ("Fe", "bcc", 4.290),
        ("Mo", "bcc", 6.810),
        ("Ta", "bcc", 8.090),
        ("W", "bcc", 8.760),
        ("Cr", "bcc", 4.100),
        ("Mg", "hcp", 1.550),
        ("Co", "hcp", 4.410),
        ("Ti", "hcp", 4.870),
        ("Zr", "hcp", 6.36),
    ];
    assert_eq!(Zhou2004::known_elements().len(), 17);
    for (sym, lattice, ecoh) in table {
        let el: Element = sym.parse().unwrap();
        let pot = Zhou2004::new(&[el]).unwrap();
        // nearest-neighbour distance r_e: read it back from the cutoff sqrt(5) r_e
        let re = pot.cutoff() / 5.0_f64.sqrt();
        let s = match lattice {
            "fcc" => fcc(el, re * 2.0_f64.sqrt()).unwrap(),
            "bcc" => bcc(el, re * 2.0 / 3.0_f64.sqrt()).unwrap(),
            _ => hcp(el, re, re * (8.0_f64 / 3.0).sqrt()).unwrap(),
        }
        .replicate(4, 4, 4)
        .unwrap();
        let r = eval(&pot, &s, Request::ALL);
        let e = r.energy / s.len() as f64;
        assert!((e + ecoh).abs() < 2e-3, "{sym}: E_coh {e} vs -{ecoh}");
        // zero pressure at r_e within the accuracy of the published fits
        let p = r.virial.unwrap().trace() / 3.0 / s.cell().volume();
        assert!(p.abs() < 2e-3, "{sym}: pressure {p} eV/A^3 at r_e");
    }
}

#[test]
fn zhou_exported_setfl_read_back_agrees_with_the_analytic_model() {
    let pot = Zhou2004::new(&[Element::FE, Element::W]).unwrap();
    let mut text = Vec::new();
    pot.setfl_tables().write(&mut text, "<memory>").unwrap();
    let text = String::from_utf8(text).unwrap();
    let tab = Eam::from_setfl_str(&text, "<memory>", EamStyle::Alloy).unwrap();
    assert_eq!(tab.elements(), pot.elements());
    let mut s = bcc(Element::FE, 2.87).unwrap().replicate(4, 4, 4).unwrap();
    for (k, e) in s.species_mut().iter_mut().enumerate() {
        if k % 5 == 0 {
            *e = Element::W;
        }
    }
    rattle(&mut s, 0.05, 3).unwrap();
    let a = eval(&pot, &s, Request::ALL);
    let b = eval(&tab, &s, Request::ALL);
    let de = (a.energy - b.energy).abs() / s.len() as f64;
    assert!(de < 1e-6, "analytic vs exported table: {de} eV/atom");
    let df = max_abs_diff(a.forces.as_ref().unwrap(), b.forces.as_ref().unwrap());
    assert!(df < 1e-4, "forces differ by {df}");
}

#[test]
fn zhou_rejects_elements_outside_the_table() {
    let e = Zhou2004::new(&[Element::from_symbol("U").unwrap()]).unwrap_err();
    assert!(e.to_string().contains("U"), "{e}");
    assert!(Zhou2004::new(&[]).is_err());
}

#[test]
#[ignore = "needs ../shared reference data"]
fn zhou_w_agrees_with_the_nist_table_within_its_interpolation_error() {
    let shared = fe_testkit::shared_dir();
    let table = Eam::from_path(&shared.join("data/potentials/W_Zhou04.eam.alloy")).unwrap();
    let pot = Zhou2004::new(&[Element::W]).unwrap();
    assert!((pot.cutoff() - Potential::cutoff(&table)).abs() < 1e-9);
    // Our tabulation reproduces the file's nodes.
    let ours = pot.setfl_tables();
    let text = std::fs::read_to_string(shared.join("data/potentials/W_Zhou04.eam.alloy")).unwrap();
    let theirs = Eam::from_setfl_str(&text, "W_Zhou04.eam.alloy", EamStyle::Alloy)
        .unwrap()
        .setfl_tables();
    let maxdiff = |a: &Vec<Vec<f64>>, b: &Vec<Vec<f64>>| {
        a.iter()
            .flatten()
            .zip(b.iter().flatten())
            .map(|(x, y)| (x - y).abs())
            .fold(0.0, f64::max)
    };
    let (df, drho, dz) = (
        maxdiff(&ours.frho, &theirs.frho),
        maxdiff(&ours.rhor, &theirs.rhor),
        maxdiff(&ours.z2r, &theirs.z2r),
    );
    println!("node differences: F {df:.1e}, rho {drho:.1e}, r phi {dz:.1e}");
    assert!(
        df < 1e-12 && drho < 1e-11 && dz < 1e-11,
        "F {df}, rho {drho}, rphi {dz}"
    );
    // Energies of rattled crystals agree within the table's interpolation error.
    let mut worst: f64 = 0.0;
    for (seed, sigma) in [(1, 0.05), (2, 0.1), (3, 0.2)] {
        let mut s = bcc(Element::W, 3.165).unwrap().replicate(4, 4, 4).unwrap();
        rattle(&mut s, sigma, seed).unwrap();
        let a = eval(&pot, &s, Request::ENERGY).energy;
        let b = eval(&table, &s, Request::ENERGY).energy;
        worst = worst.max((a - b).abs() / s.len() as f64);
    }
    println!("analytic vs W_Zhou04.eam.alloy: {worst:.2e} eV/atom");
    assert!(worst < 1e-6, "{worst} eV/atom");
}
