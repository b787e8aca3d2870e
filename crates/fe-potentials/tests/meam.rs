//! MEAM: self-contained library and parameter texts checked against finite differences on
//! rattled triclinic cells (with pairs in the radial cut-off and partial screening), analytic
//! facts of the reference structures, invariances and bad input.
#![allow(clippy::unwrap_used)] // test helpers outside #[test] functions

mod common;

use common::{check_fd, eval};

use std::sync::Arc;

use fe_neighbors::{ListKind, NeighborList};
use fe_potentials::meam::Meam;
use fe_potentials::{from_spec, BoundAtoms, Evaluator, Potential, PotentialError, Request};
use fe_structure::build::{bcc, fcc, hcp, rattle};
use fe_structure::{Element, Structure};
use nalgebra::Matrix3;

/// Library entries: Fe and W as in LAMMPS' library.meam (Baskes 1992), Fe of the 2NN set
/// (Lee et al. 2001 via library_2nn.meam), Cu (fcc), Mg (hcp), H (dimer) with illustrative
/// parameters, and Fe variants with other G(Gamma) forms.
const LIB: &str = "\
# elt lat z ielement atwt / alpha b0 b1 b2 b3 alat esub asub / t0 t1 t2 t3 rozero ibar
'Fe'        'bcc'   8.      26           55.847
5.07292627  2.935   1.00    1.00080073   1.00  2.866   4.29    0.89
1.0         5.13579244      4.12042448   -2.7          1.      0
'W'         'bcc'   8.      74           183.85
5.62777409  3.978   1.00    1.00065894   1.00  3.165   8.66    0.98
1.0         3.16353338      8.24586928   -2.7          1.      0
'Fe2'   'bcc'   8       26   55.8470
5.1571615396 4.150 1.000 1.000 1.000 2.8636573352 4.290 0.560
1.00 2.600 1.800 -7.200 1.000 3
'Fe1' 'bcc' 8 26 55.847 5.07 2.935 1.2 1.8 0.8 2.866 4.29 0.89 1.0 5.1 4.1 -2.7 1. 1
'W5' 'bcc' 8 74 183.85 5.63 3.978 1.5 1.0 2.0 3.165 8.66 0.98 1.0 3.2 8.2 -2.7 1. -5
'Fe4' 'bcc' 8 26 55.847 5.07 2.935 1.0 1.0 1.0 2.866 4.29 0.89 1.0 5.1 4.1 -2.7 1.2 4
'Cu'  'fcc' 12 29 63.54 5.10570729 3.634 2.20 6 2.20 3.62 3.54 1.07 1.0 3.13803254 2.49438711 2.95269237 1. 0
'Mg'  'hcp' 12 12 24.305 5.52 4.0 3.0 0.2 1.2 3.194 1.51 0.80 1.0 10.04 9.49 -4.3 0.63 -5
'H'   'dim' 1 1 1.008 2.96 2.96 3.0 3.0 3.0 0.74 2.35 2.5 1.0 0.2 -0.1 0.0 1.0 -5
";

/// The 2NN Fe settings (Fe_2nn.meam).
const P2NN: &str = "rc = 4.8\ndelr = 0.1\naugt1 = 0\nerose_form = 2\nialloy = 2\nzbl(1,1) = 0\n\
nn2(1,1) = 1\nrho0(1) = 1.000\nEc(1,1) = 4.290\nre(1,1) = 2.4800\nalpha(1,1) = 5.15716154\n\
repuls(1,1) = 0.05\nattrac(1,1) = 0.05\nCmin(1,1,1) = 0.36\nCmax(1,1,1) = 2.80\n";

fn meam(params: Option<&str>, entries: &[&str]) -> Meam {
    Meam::from_strs(LIB, "lib.meam", params.map(|p| (p, "p.meam")), entries).unwrap()
}

/// A bcc crystal of n^3 cells, rattled, sheared into a triclinic cell; every third atom
/// turned into `second` when given.
fn rattled_bcc(a: f64, n: usize, sigma: f64, seed: u64, second: Option<Element>) -> Structure {
    let mut s = bcc(Element::FE, a).unwrap().replicate(n, n, n).unwrap();
    if let Some(e) = second {
        for (k, x) in s.species_mut().iter_mut().enumerate() {
            if k % 3 == 1 {
                *x = e;
            }
        }
    }
    rattle(&mut s, sigma, seed).unwrap();
    let shear = Matrix3::new(1.0, 0.06, -0.04, 0.02, 1.0, 0.05, -0.03, 0.01, 1.0);
    s.deform(&shear).unwrap();
    s
}

/// Counts, by brute force over a full list, of pairs in the radial cut-off transition
/// (rc - delr < r < rc) and of triplets (i, j, k) with Cmin < C < Cmax (partial screening).
fn transitions(s: &Structure, rc: f64, delr: f64, cmin: f64, cmax: f64) -> (usize, usize) {
    let list = NeighborList::new(s, rc * 1.1, ListKind::Full).unwrap();
    let (mut radial, mut partial) = (0, 0);
    for i in 0..s.len() {
        let d: Vec<_> = list
            .row(i)
            .map(|k| list.displacement(s.cell(), s.positions(), i, k))
            .collect();
        for (e, dij) in d.iter().enumerate() {
            let rij2 = dij.norm_squared();
            if rij2 >= rc * rc {
                continue;
            }
            if rij2.sqrt() > rc - delr {
                radial += 1;
            }
            for (k, dik) in d.iter().enumerate() {
                if k == e {
                    continue;
                }
                let x = dik.norm_squared() / rij2;
                let y = (dik - dij).norm_squared() / rij2;
                let a = 1.0 - (x - y) * (x - y);
                if a <= 0.0 {
                    continue;
                }
                let c = (2.0 * (x + y) + a - 2.0) / a;
                if c > cmin && c < cmax {
                    partial += 1;
                }
            }
        }
    }
    (radial, partial)
}

#[test]
fn meam_1nn_fe_forces_and_virial_match_finite_differences_near_transitions() {
    let pot = meam(None, &["Fe"]);
    // third neighbours at a sqrt(2) = 4.04 A straddle rc = 4 A; second neighbours sit at
    // C = 2 = Cmin, so rattling leaves many partially screened
    let s = rattled_bcc(2.855, 3, 0.1, 11, None);
    let (radial, partial) = transitions(&s, 4.0, 0.1, 2.0, 2.8);
    assert!(radial > 10 && partial > 50, "{radial} {partial}");
    check_fd(&pot, &s, 1e-5);
}

#[test]
fn meam_forces_and_virial_match_finite_differences_on_random_triclinic_cells() {
    // random positions (pairs down to 0.5 A: the ZBL blend) in random sheared cells, with
    // atoms outside the cell; one and two elements
    let pot = meam(None, &["Fe"]);
    for seed in [31, 32] {
        let s = fe_testkit::random_structure(seed, 24, 6.5, 8.0, 0.3, [true; 3], true);
        let (radial, partial) = transitions(&s, 4.0, 0.1, 2.0, 2.8);
        assert!(radial > 0 && partial > 0, "{radial} {partial}");
        check_fd(&pot, &s, 1e-5);
    }
    let pot = meam(Some("lattce(1,2) = b2\nnn2(1,2) = 1\n"), &["Fe", "W"]);
    let mut s = fe_testkit::random_structure(33, 24, 6.5, 8.0, 0.3, [true; 3], true);
    for (k, e) in s.species_mut().iter_mut().enumerate() {
        if k % 2 == 0 {
            *e = Element::W;
        }
    }
    check_fd(&pot, &s, 1e-5);
}

#[test]
fn meam_2nn_fe_forces_and_virial_match_finite_differences() {
    let pot = meam(Some(P2NN), &["Fe2"]);
    let s = rattled_bcc(2.8636, 3, 0.12, 12, None);
    let (radial, partial) = transitions(&s, 4.8, 0.1, 0.36, 2.8);
    assert!(radial > 5 && partial > 50, "{radial} {partial}");
    check_fd(&pot, &s, 1e-5);
}

#[test]
fn meam_alloy_b2_nn2_ialloy1_forces_match_finite_differences() {
    let params = "ialloy = 1\nemb_lin_neg = 1\nlattce(1,2) = b2\nnn2(1,2) = 1\nnn2(1,1) = 1\n\
        re(1,2) = 2.6\nCmin(1,2,1) = 0.8\nCmin(1,1,2) = 1.2\nCmax(1,2,2) = 2.6\nEc(1,2) = 6.2\n\
        attrac(1,2) = 0.02\nrepuls(1,2) = 0.04\nzbl(1,2) = 1\ndelta(1,2) = 0.1\nrc = 4.2\ndelr = 0.3\n";
    let pot = meam(Some(params), &["Fe1", "W"]);
    assert_eq!(pot.elements(), &[Element::FE, Element::W]);
    let s = rattled_bcc(2.95, 3, 0.1, 13, Some(Element::W));
    check_fd(&pot, &s, 1e-5);
}

#[test]
fn meam_alloy_b1_mixture_ref_t_and_other_switches_match_finite_differences() {
    let params = "mixture_ref_t = 1\nbkgd_dyn = 0\nerose_form = 1\ngsmooth_factor = 30\n\
        augt1 = 0\nlattce(1,2) = 'b1'\nnn2(1,2) = 1\nre(1,2) = 2.5\nalpha(1,2) = 5.3\n\
        zbl(1,1) = 0\nrepuls(1,1) = 0.1\nattrac(1,1) = 0.05\n";
    let pot = meam(Some(params), &["Fe4", "W5"]);
    let s = rattled_bcc(2.95, 3, 0.1, 14, Some(Element::W));
    check_fd(&pot, &s, 1e-5);
    let pot = meam(Some("bkgd_dyn = 1\n"), &["Fe4", "W5"]);
    check_fd(&pot, &s, 1e-5);
}

#[test]
fn meam_fcc_hcp_and_dimer_references_match_finite_differences() {
    let pot = meam(None, &["Cu"]);
    let mut s = fcc(el("Cu"), 3.62).unwrap().replicate(2, 2, 2).unwrap();
    rattle(&mut s, 0.1, 15).unwrap();
    s.deform(&Matrix3::new(
        1.0, 0.05, 0.0, 0.0, 1.0, -0.04, 0.03, 0.0, 1.0,
    ))
    .unwrap();
    check_fd(&pot, &s, 1e-5);
    let pot = meam(Some("nn2(1,1) = 1\nCmin(1,1,1) = 0.8\n"), &["Mg"]);
    let mut s = hcp(el("Mg"), 3.194, 3.194 * 1.633)
        .unwrap()
        .replicate(3, 3, 2)
        .unwrap();
    rattle(&mut s, 0.1, 16).unwrap();
    check_fd(&pot, &s, 1e-5);
    let pot = meam(None, &["H"]);
    let mut s = fcc(el("H"), 2.2).unwrap().replicate(2, 2, 2).unwrap();
    rattle(&mut s, 0.1, 17).unwrap();
    check_fd(&pot, &s, 1e-5);
}

#[test]
fn meam_reference_lattices_give_minus_ec_at_equilibrium() {
    // 1NN: the reference crystal at its lattice constant has E = -Ec (up to the tabulation)
    for (entry, a, ec) in [("Fe", 2.866, 4.29), ("W", 3.165, 8.66)] {
        let pot = meam(None, &[entry]);
        let mut s = bcc(Element::FE, a).unwrap().replicate(3, 3, 3).unwrap();
        let el = pot.elements()[0];
        s.species_mut().iter_mut().for_each(|x| *x = el);
        let r = eval(&pot, &s, Request::ALL);
        let e = r.energy / s.len() as f64;
        assert!((e + ec).abs() < 1e-8, "{entry}: {e}");
        assert!(r.forces.unwrap().iter().all(|f| f.norm() < 1e-10));
    }
    let pot = meam(None, &["Cu"]);
    let s = fcc(el("Cu"), 3.62).unwrap().replicate(3, 3, 3).unwrap();
    let e = eval(&pot, &s, Request::ENERGY).energy / s.len() as f64;
    assert!((e + 3.54).abs() < 1e-8, "Cu: {e}");
    // 2NN Fe: third neighbours within rc = 4.8 A are not fully screened (METHODS.md 11.7)
    let pot = meam(Some(P2NN), &["Fe2"]);
    let s = bcc(Element::FE, 2.8636573352)
        .unwrap()
        .replicate(3, 3, 3)
        .unwrap();
    let e = eval(&pot, &s, Request::ENERGY).energy / s.len() as f64;
    assert!((e + 4.290210).abs() < 5e-7, "Fe 2NN: {e}");
}

#[test]
fn meam_invariances_threads_energy_only_skin_and_evaluator() {
    let pot = Arc::new(meam(Some(P2NN), &["Fe2"]));
    let s = rattled_bcc(2.8636, 3, 0.1, 21, None);
    let full = eval(pot.as_ref(), &s, Request::ALL);
    let energy_only = eval(pot.as_ref(), &s, Request::ENERGY);
    assert_eq!(full.energy, energy_only.energy);
    for threads in [1, 2, 3] {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        let r = pool.install(|| eval(pot.as_ref(), &s, Request::ALL));
        assert_eq!(r, full, "{threads} threads");
    }
    // a longer list (skin) changes nothing beyond round-off
    let binding = pot.bind(&s.elements()).unwrap();
    let atoms = BoundAtoms::new(&s, &binding).unwrap();
    let list = NeighborList::new(&s, pot.cutoff() + 3.0, ListKind::Full).unwrap();
    let long = pot.compute(&atoms, &list, Request::ALL).unwrap();
    assert!((long.energy - full.energy).abs() < 1e-10 * full.energy.abs());
    let df = common_max_diff(long.forces.as_ref().unwrap(), full.forces.as_ref().unwrap());
    assert!(df < 1e-10, "{df}");
    // the evaluator (list with skin, reused) agrees
    let mut ev = Evaluator::new(pot.clone());
    let r = ev.evaluate(&s, Request::ALL).unwrap();
    assert!((r.energy - full.energy).abs() < 1e-10 * full.energy.abs());
    // replication scales the energy; the cutoff exceeds the screening range
    let big = s.replicate(2, 1, 1).unwrap();
    let rb = eval(pot.as_ref(), &big, Request::ENERGY);
    assert!((rb.energy - 2.0 * full.energy).abs() < 1e-9 * full.energy.abs());
    assert!(pot.cutoff() > pot.rc());
}

fn common_max_diff(a: &[nalgebra::Vector3<f64>], b: &[nalgebra::Vector3<f64>]) -> f64 {
    fe_testkit::max_abs_diff(a, b)
}

#[test]
fn meam_small_cell_with_self_images_matches_finite_differences() {
    // 2 atoms in a 2.9 A cell: every pair and screening atom is a periodic image
    let pot = meam(None, &["Fe"]);
    let mut s = bcc(Element::FE, 2.9).unwrap();
    rattle(&mut s, 0.08, 22).unwrap();
    s.deform(&Matrix3::new(1.0, 0.1, 0.0, 0.0, 1.0, 0.05, 0.0, 0.0, 1.0))
        .unwrap();
    check_fd(&pot, &s, 1e-5);
}

#[test]
fn meam_bad_input_names_file_line_and_keyword() {
    let e = Meam::from_strs(LIB, "lib.meam", Some(("foo(1) = 2\n", "p.meam")), &["Fe"])
        .unwrap_err()
        .to_string();
    assert!(e.starts_with("p.meam:1:") && e.contains("`foo`"), "{e}");
    let e = Meam::from_strs(
        LIB,
        "lib.meam",
        Some(("rc = 4\n\nialloy = 3\n", "p.meam")),
        &["Fe"],
    )
    .unwrap_err()
    .to_string();
    assert!(e.starts_with("p.meam:3:") && e.contains("ialloy"), "{e}");
    let e = Meam::from_strs(
        LIB,
        "lib.meam",
        Some(("nn2(1,1) = 0.5\n", "p.meam")),
        &["Fe"],
    )
    .unwrap_err()
    .to_string();
    assert!(e.starts_with("p.meam:1:") && e.contains("nn2"), "{e}");
    // an unsupported reference lattice is refused by name
    let e = Meam::from_strs(
        LIB,
        "lib.meam",
        Some(("lattce(1,2) = l12\n", "p.meam")),
        &["Fe", "W"],
    )
    .unwrap_err()
    .to_string();
    assert!(e.contains("l12") && e.contains("p.meam"), "{e}");
    // b1 without re(1,2)... gets the mean of re; a b2 pair without nn2 data is fine; nn2 on a dimer is not
    let e = Meam::from_strs(LIB, "lib.meam", Some(("nn2(1,1) = 1\n", "p.meam")), &["H"])
        .unwrap_err()
        .to_string();
    assert!(e.contains("dim") && e.contains("nn2"), "{e}");
    let e = Meam::from_strs(LIB, "lib.meam", None, &["Ni"])
        .unwrap_err()
        .to_string();
    assert!(e.contains("lib.meam") && e.contains("Ni"), "{e}");
    let bad = LIB.replace("4.29    0.89", "4.29    0.89x");
    let e = Meam::from_strs(&bad, "lib.meam", None, &["Fe"])
        .unwrap_err()
        .to_string();
    assert!(e.starts_with("lib.meam:3:") && e.contains("asub"), "{e}");
    // two entries of one element cannot be bound by element
    let e = Meam::from_strs(LIB, "lib.meam", None, &["Fe", "Fe1"])
        .unwrap_err()
        .to_string();
    assert!(e.contains("Fe"), "{e}");
    // a structure element the potential lacks
    let pot = meam(None, &["Fe"]);
    let e = pot.bind(&[Element::W]).unwrap_err();
    assert!(matches!(e, PotentialError::UnknownElement { .. }), "{e}");
    // atoms on top of each other
    let s = Structure::new(
        fe_structure::Cell::cubic(6.0).unwrap(),
        vec![Element::FE; 2],
        vec![
            nalgebra::Vector3::zeros(),
            nalgebra::Vector3::new(0.0, 0.0, 1e-6),
        ],
    )
    .unwrap();
    let binding = pot.bind(&s.elements()).unwrap();
    let atoms = BoundAtoms::new(&s, &binding).unwrap();
    let list = NeighborList::new(&s, pot.cutoff(), ListKind::Full).unwrap();
    let e = pot.compute(&atoms, &list, Request::ALL).unwrap_err();
    assert!(matches!(e, PotentialError::TooClose { .. }), "{e}");
    // a list shorter than the screening range is refused
    let short = NeighborList::new(&s, pot.rc(), ListKind::Full).unwrap();
    assert!(pot.compute(&atoms, &short, Request::ALL).is_err());
    // specs: missing files name the file
    let e = from_spec("meam:/nonexistent/lib.meam:NULL", &[Element::FE])
        .unwrap_err()
        .to_string();
    assert!(e.contains("/nonexistent/lib.meam"), "{e}");
}

fn el(symbol: &str) -> Element {
    Element::from_symbol(symbol).unwrap()
}
