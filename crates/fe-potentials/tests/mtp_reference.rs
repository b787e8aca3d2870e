//! MTP against the shared reference data (`../shared/reference/mtp/`, motep 0.2.0): every
//! case's energy, forces, virial and per-atom energies; byte-exact round trips of the
//! published `.mtp` and `.almtp` files; the bcc Fe lattice constants; finite clusters of
//! MTP.md 9.3. All ignored without the shared folder.
#![allow(clippy::unwrap_used)] // test helpers outside #[test] functions

mod common;

use common::eval;

use std::path::PathBuf;

use fe_potentials::mtp::{read_mtp, write_mtp, Almtp, Mtp};
use fe_potentials::{Potential, Request};
use fe_structure::{Cell, Element, Structure};
use fe_testkit::{shared_dir, shared_json};
use nalgebra::{Matrix3, Vector3};

fn potential_path(name: &str) -> PathBuf {
    shared_dir().join("data/potentials").join(name)
}

fn fe_mtps() -> [&'static str; 4] {
    [
        "Fe_mtp_L16.mtp",
        "Fe_mtp_L18.mtp",
        "Fe_mtp_L20.mtp",
        "Fe_mtp_L22.mtp",
    ]
}

#[test]
#[ignore = "needs ../shared reference data"]
fn mtp_published_files_round_trip_byte_for_byte() {
    for name in fe_mtps() {
        let path = potential_path(name);
        let text = std::fs::read_to_string(&path).unwrap();
        let m = read_mtp(&path).unwrap();
        let out = write_mtp(&m);
        assert!(out == text, "{name}: written text differs from the file");
        let back = fe_potentials::mtp::parse_mtp_str(&out, name).unwrap();
        assert_eq!(back, m, "{name}");
    }
    // The W .mtp was cut out of the .almtp: our text plus one final newline.
    let path = potential_path("W-mlip3-basic.mtp");
    let text = std::fs::read_to_string(&path).unwrap();
    let m = read_mtp(&path).unwrap();
    assert_eq!(write_mtp(&m) + "\n", text);
    // CRLF line ends read to the same model.
    let crlf = text.replace('\n', "\r\n");
    assert_eq!(fe_potentials::mtp::parse_mtp_str(&crlf, "crlf").unwrap(), m);
}

#[test]
#[ignore = "needs ../shared reference data"]
fn almtp_round_trips_byte_for_byte_and_decodes_its_state() {
    let path = potential_path("W-mlip3-basic.almtp");
    let bytes = std::fs::read(&path).unwrap();
    let a = Almtp::from_path(&path).unwrap();
    assert!(
        a.to_bytes() == bytes,
        "the .almtp is not rebuilt byte for byte"
    );
    // MTP.md 6.3: nbh mode, n = 4*8 + 1 + 92 = 125, 11 initial rows, A S^T = I.
    let n = a.model.n_params();
    assert_eq!(n, 125);
    assert_eq!(
        (
            a.energy_weight,
            a.force_weight,
            a.stress_weight,
            a.site_en_weight
        ),
        (0.0, 0.0, 0.0, 1.0)
    );
    assert_eq!(a.weight_scaling, 2);
    assert_eq!(a.links.iter().filter(|l| **l == (-1, -1)).count(), 11);
    let mut worst: f64 = 0.0;
    for r in 0..n {
        for c in 0..n {
            let dot: f64 = (0..n)
                .map(|k| a.active[r * n + k] * a.inverse_transposed[c * n + k])
                .sum();
            let want = if r == c { 1.0 } else { 0.0 };
            worst = worst.max((dot - want).abs());
        }
    }
    assert!(worst < 1e-6, "A S^T - I = {worst}");
    assert_eq!(a.configurations.matches("BEGIN_CFG").count(), 52);
    // The MTP part is the W .mtp.
    assert_eq!(
        a.model,
        read_mtp(&potential_path("W-mlip3-basic.mtp")).unwrap()
    );
}

/// Max errors of one reference case: (energy per atom, force component, virial relative,
/// per-atom energy).
fn check_case(case: &serde_json::Value) -> [f64; 4] {
    let result = case["result"].as_str().unwrap();
    let r = shared_json(&format!("reference/mtp/{result}"));
    let dir = shared_dir().join("reference/mtp");
    let s = fe_structure::io::read_one(
        &dir.join(r["structure"].as_str().unwrap()),
        &Default::default(),
    )
    .unwrap();
    let el: Vec<Element> = r["species_map"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e.as_str().unwrap().parse().unwrap())
        .collect();
    let pot = Mtp::from_path(&potential_path(r["potential"].as_str().unwrap()), &el).unwrap();
    let out = eval(&pot, &s, Request::ALL);
    let n = s.len() as f64;
    let de = (out.energy - r["energy"].as_f64().unwrap()).abs() / n;
    let f = out.forces.unwrap();
    let mut df: f64 = 0.0;
    for (i, row) in r["forces"].as_array().unwrap().iter().enumerate() {
        for a in 0..3 {
            df = df.max((f[i][a] - row[a].as_f64().unwrap()).abs());
        }
    }
    let w = out.virial.unwrap();
    let wr: Vec<f64> = r["virial"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap())
        .collect();
    let ours = [
        w[(0, 0)],
        w[(1, 1)],
        w[(2, 2)],
        w[(1, 2)],
        w[(0, 2)],
        w[(0, 1)],
    ];
    let scale = wr.iter().fold(1.0_f64, |m, x| m.max(x.abs()));
    let dw = ours
        .iter()
        .zip(&wr)
        .map(|(a, b)| (a - b).abs() / scale)
        .fold(0.0, f64::max);
    let pe = out.per_atom_energy.unwrap();
    let dpe = pe
        .iter()
        .zip(r["per_atom_energy"].as_array().unwrap())
        .map(|(a, b)| (a - b.as_f64().unwrap()).abs())
        .fold(0.0, f64::max);
    println!("{result}: dE/N {de:.1e} dF {df:.1e} dW/max(1,|W|) {dw:.1e} dE_i {dpe:.1e}");
    [de, df, dw, dpe]
}

#[test]
#[ignore = "needs ../shared reference data"]
fn mtp_matches_every_reference_case() {
    let index = shared_json("reference/mtp/index.json");
    let cases = index["cases"].as_array().unwrap();
    assert!(cases.len() >= 14);
    let mut worst = [0.0_f64; 4];
    for case in cases {
        let e = check_case(case);
        for k in 0..4 {
            worst[k] = worst[k].max(e[k]);
        }
        assert!(e[0] < 1e-8, "{case}: energy per atom off by {}", e[0]);
        assert!(e[1] < 1e-6, "{case}: force off by {}", e[1]);
        assert!(e[2] < 1e-6, "{case}: virial off by {} relative", e[2]);
        assert!(e[3] < 1e-8, "{case}: per-atom energy off by {}", e[3]);
    }
    println!("worst over all cases: {worst:?}");
}

fn bcc2(a: f64) -> Structure {
    let cell = Cell::new(Matrix3::from_diagonal_element(a), [true; 3]).unwrap();
    Structure::new(
        cell,
        vec![Element::FE; 2],
        vec![Vector3::zeros(), Vector3::repeat(a / 2.0)],
    )
    .unwrap()
}

/// Zero of tr W on the 2-atom cubic cell, by bisection (tr W > 0 when compressed).
fn a0(pot: &dyn Potential) -> f64 {
    let tr = |a: f64| {
        eval(pot, &bcc2(a), Request::FORCES_VIRIAL)
            .virial
            .unwrap()
            .trace()
    };
    let (mut lo, mut hi) = (2.75, 2.92);
    assert!(tr(lo) > 0.0 && tr(hi) < 0.0);
    for _ in 0..60 {
        let mid = 0.5 * (lo + hi);
        if tr(mid) > 0.0 {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    0.5 * (lo + hi)
}

#[test]
#[ignore = "needs ../shared reference data"]
fn bcc_fe_lattice_constants_of_the_published_potentials() {
    let lc = shared_json("reference/mtp/lattice_constants.json");
    for name in fe_mtps() {
        let pot = Mtp::from_path(&potential_path(name), &[Element::FE]).unwrap();
        let a = a0(&pot);
        let want = lc["potentials"][name]["a0_A"].as_f64().unwrap();
        let e = eval(&pot, &bcc2(a), Request::ENERGY).energy / 2.0;
        let e_want = lc["potentials"][name]["energy_per_atom_at_a0_eV"]
            .as_f64()
            .unwrap();
        println!("{name}: a0 = {a:.7} A (motep {want:.7}), E = {e:.9} eV/atom");
        assert!((a - want).abs() < 1e-6, "{name}: a0 {a} vs {want}");
        assert!(
            (a - 2.830).abs() < 3e-3,
            "{name}: a0 {a} vs the paper's 2.830"
        );
        assert!((e - e_want).abs() < 1e-8);
    }
}

fn cluster(pos: &[[f64; 3]], el: Element) -> Structure {
    let cell = Cell::new(Matrix3::from_diagonal_element(30.0), [false; 3]).unwrap();
    Structure::new(
        cell,
        vec![el; pos.len()],
        pos.iter().map(|p| Vector3::from(*p)).collect(),
    )
    .unwrap()
}

#[test]
#[ignore = "needs ../shared reference data"]
fn finite_clusters_of_mtp_md_9_3() {
    // (file, element, positions, energy, force on atom 0): MTP.md 9.3, reference NumPy code.
    type Case<'a> = (&'a str, Element, Vec<[f64; 3]>, f64, [f64; 3]);
    let three = vec![[0.0, 0.0, 0.0], [2.4, 0.0, 0.0], [0.5, 2.1, 0.3]];
    let cases: Vec<Case> = vec![
        (
            "Fe_mtp_L16.mtp",
            Element::FE,
            vec![[0.0, 0.0, 0.0], [2.5, 0.0, 0.0]],
            -8.177625784388,
            [1.359984229, 0.0, 0.0],
        ),
        (
            "Fe_mtp_L16.mtp",
            Element::FE,
            three.clone(),
            -14.131325447065,
            [0.692850752, -0.342410751, -0.048915822],
        ),
        (
            "Fe_mtp_L22.mtp",
            Element::FE,
            three,
            -14.880671268774,
            [1.007671098, 0.147086072, 0.021012296],
        ),
        (
            "W-mlip3-basic.mtp",
            Element::W,
            vec![[0.0, 0.0, 0.0], [2.7, 0.0, 0.0]],
            -15.877517259800,
            [-4.429184443, 0.0, 0.0],
        ),
        (
            "W-mlip3-basic.mtp",
            Element::W,
            vec![
                [0.0, 0.0, 0.0],
                [2.7, 0.2, 0.1],
                [0.4, 2.6, -0.3],
                [1.1, 1.0, 2.2],
            ],
            -35.007169263063,
            [-2.170802755, -2.731139661, -0.848614353],
        ),
        (
            "Fe_mtp_L16.mtp",
            Element::FE,
            vec![[0.0, 0.0, 0.0]],
            -3.360929599665794,
            [0.0; 3],
        ),
    ];
    for (file, el, pos, e, f0) in cases {
        let pot = Mtp::from_path(&potential_path(file), &[el]).unwrap();
        let r = eval(&pot, &cluster(&pos, el), Request::ALL);
        assert!((r.energy - e).abs() < 1e-9, "{file}: E {} vs {e}", r.energy);
        let f = r.forces.unwrap()[0];
        for a in 0..3 {
            assert!((f[a] - f0[a]).abs() < 1e-8, "{file}: F0 {f} vs {f0:?}");
        }
    }
}
