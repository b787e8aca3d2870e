//! Vacancies, interstitials, dumbbells and bcc interstitial sites.
#![allow(clippy::unwrap_used)] // test helpers outside #[test] functions

use std::path::PathBuf;

use fe_structure::build::{
    add_dumbbell, add_interstitial, bcc, bcc_octahedral_sites, bcc_tetrahedral_sites, nearest_atom,
    vacancy_at,
};
use fe_structure::{Cell, Element, Structure};
use nalgebra::Vector3;

const A: f64 = 2.855;

fn bcc_supercell(n: usize) -> Structure {
    bcc(Element::FE, A).unwrap().replicate(n, n, n).unwrap()
}

/// Sorted minimum-image distances from `p` to every atom.
fn distances_to(s: &Structure, p: &Vector3<f64>) -> Vec<f64> {
    let mut d: Vec<f64> = s
        .positions()
        .iter()
        .map(|r| s.cell().minimum_image(&(r - p)).norm())
        .collect();
    d.sort_by(f64::total_cmp);
    d
}

#[test]
fn vacancy_removes_the_nearest_atom_through_the_periodic_boundary() {
    let s0 = bcc_supercell(3);
    // Nearest to a point just below the origin is atom 0 (through the boundary).
    for p in [Vector3::repeat(-0.2), Vector3::repeat(3.0 * A - 0.2)] {
        let mut s = s0.clone();
        assert_eq!(vacancy_at(&mut s, &p).unwrap(), 0);
        assert_eq!(s.len(), s0.len() - 1);
        assert_eq!(s.positions(), &s0.positions()[1..]);
    }
    // Body centre of cube (1, 2, 0): index 2 * ((1 * 3 + 2) * 3 + 0) + 1 = 31.
    let mut s = s0.clone();
    let centre = Vector3::new(1.5, 2.5, 0.5) * A + Vector3::new(0.3, -0.2, 0.1);
    assert_eq!(vacancy_at(&mut s, &centre).unwrap(), 31);
    assert_eq!(&s.positions()[..31], &s0.positions()[..31]);
    assert_eq!(&s.positions()[31..], &s0.positions()[32..]);
}

#[test]
fn vacancy_errors_on_empty_structures_and_bad_points() {
    let mut empty = Structure::empty(Cell::cubic(5.0).unwrap());
    assert!(vacancy_at(&mut empty, &Vector3::zeros()).is_err());
    assert!(nearest_atom(&empty, &Vector3::zeros()).is_none());
    let mut s = bcc_supercell(2);
    assert!(vacancy_at(&mut s, &Vector3::new(f64::NAN, 0.0, 0.0)).is_err());
    assert_eq!(s.len(), 16);
}

#[test]
fn interstitial_respects_min_distance_by_minimum_image() {
    let mut s = bcc_supercell(3);
    let octa = (bcc_octahedral_sites()[0] + Vector3::repeat(1.0)) * A;
    // The octahedral site is a/2 from its two nearest atoms.
    let e = add_interstitial(&mut s, Element::W, &octa, A / 2.0 + 0.01).unwrap_err();
    assert!(e.to_string().contains("closer than"), "{e}");
    assert_eq!(s.len(), 54);
    add_interstitial(&mut s, Element::W, &octa, A / 2.0 - 0.01).unwrap();
    assert_eq!(s.len(), 55);
    assert_eq!(s.species()[54], Element::W);
    assert_eq!(s.positions()[54], octa);
    // 0.2 A from atom 0 through the boundary.
    let e = add_interstitial(&mut s, Element::W, &Vector3::new(-0.2, 0.0, 0.0), 1.0).unwrap_err();
    assert!(e.to_string().contains("from atom 0"), "{e}");
    assert!(add_interstitial(&mut s, Element::W, &octa, -1.0).is_err());
    assert!(add_interstitial(&mut s, Element::W, &Vector3::repeat(f64::INFINITY), 0.0).is_err());
    assert_eq!(s.len(), 55);
}

#[test]
fn dumbbell_replaces_the_site_by_two_atoms_appended_plus_first() {
    // The reference construction: 6x6x6 cells, site (3, 3, 3) a, offsets +-0.35 a along the axis.
    let s0 = bcc_supercell(6);
    let site = 2 * ((3 * 6 + 3) * 6 + 3);
    assert_eq!(s0.positions()[site], Vector3::repeat(3.0 * A));
    for axis in [
        Vector3::new(1.0, 1.0, 0.0),
        Vector3::new(1.0, 1.0, 1.0),
        Vector3::new(0.0, 0.0, 2.0),
    ] {
        let mut s = s0.clone();
        add_dumbbell(&mut s, site, axis, 0.7 * A).unwrap();
        assert_eq!(s.len(), 433);
        let u = axis / axis.norm();
        let (p, m) = (s.positions()[431], s.positions()[432]);
        assert!((p - (Vector3::repeat(3.0 * A) + 0.35 * A * u)).norm() < 1e-12);
        assert!((m - (Vector3::repeat(3.0 * A) - 0.35 * A * u)).norm() < 1e-12);
        assert!(((p - m).norm() - 0.7 * A).abs() < 1e-12);
        assert_eq!(&s.positions()[..site], &s0.positions()[..site]);
        assert_eq!(&s.positions()[site..431], &s0.positions()[site + 1..]);
    }
}

#[test]
fn dumbbell_rejects_bad_input() {
    let mut s = bcc_supercell(2);
    let x = Vector3::x();
    assert!(add_dumbbell(&mut s, 16, x, 1.0)
        .unwrap_err()
        .to_string()
        .contains("out of range"));
    assert!(add_dumbbell(&mut s, 0, Vector3::zeros(), 1.0).is_err());
    assert!(add_dumbbell(&mut s, 0, Vector3::repeat(f64::NAN), 1.0).is_err());
    assert!(add_dumbbell(&mut s, 0, x, 0.0).is_err());
    assert!(add_dumbbell(&mut s, 0, x, f64::NAN).is_err());
    assert_eq!(s, bcc_supercell(2));
}

#[test]
fn bcc_interstitial_sites_have_their_textbook_environments() {
    let s = bcc_supercell(3);
    let octa = bcc_octahedral_sites();
    let tetra = bcc_tetrahedral_sites();
    for f in octa {
        let d = distances_to(&s, &((f + Vector3::repeat(1.0)) * A));
        assert!((d[0] - A / 2.0).abs() < 1e-12 && (d[1] - A / 2.0).abs() < 1e-12);
        assert!(
            d[2..6].iter().all(|x| (x - A / 2f64.sqrt()).abs() < 1e-12),
            "{:?}",
            &d[..7]
        );
        assert!(d[6] > A / 2f64.sqrt() + 0.1);
    }
    let rt = A * 5f64.sqrt() / 4.0;
    for f in tetra {
        let d = distances_to(&s, &((f + Vector3::repeat(1.0)) * A));
        assert!(
            d[..4].iter().all(|x| (x - rt).abs() < 1e-12),
            "{:?}",
            &d[..5]
        );
        assert!(d[4] > rt + 0.1);
    }
    // All distinct within the cell (no site listed twice).
    let all: Vec<Vector3<f64>> = octa.iter().chain(tetra.iter()).copied().collect();
    for i in 0..all.len() {
        for j in 0..i {
            let d = all[i] - all[j];
            assert!(
                d.map(|x| x - x.round()).norm() > 0.1,
                "sites {i} and {j} coincide"
            );
        }
    }
}

/// The shared reference folder: FE_SHARED_DIR or `../shared` next to the workspace.
fn shared_dir() -> PathBuf {
    let dir = std::env::var("FE_SHARED_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|_| PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared")));
    assert!(
        dir.join("reference").is_dir(),
        "shared reference data not found at {}; set FE_SHARED_DIR",
        dir.display()
    );
    dir
}

#[test]
#[ignore = "needs ../shared reference data"]
fn vacancy_at_body_centre_matches_reference_fe_bcc555_vac() {
    // README: site index 125, the body centre (2.5, 2.5, 2.5) a, removed before a 0.05 A rattle.
    let mut s = bcc_supercell(5);
    assert_eq!(vacancy_at(&mut s, &Vector3::repeat(2.5 * A)).unwrap(), 125);
    let path = shared_dir().join("reference/structures/fe_bcc555_vac_r005.extxyz");
    let text = std::fs::read_to_string(path).unwrap();
    let rows: Vec<Vector3<f64>> = text
        .lines()
        .skip(2)
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let f: Vec<f64> = l
                .split_whitespace()
                .skip(1)
                .map(|x| x.parse().unwrap())
                .collect();
            Vector3::new(f[0], f[1], f[2])
        })
        .collect();
    assert_eq!(rows.len(), s.len());
    let worst = rows
        .iter()
        .zip(s.positions())
        .map(|(p, q)| s.cell().minimum_image(&(p - q)).norm())
        .fold(0.0, f64::max);
    assert!(
        worst < 0.3,
        "worst atom {worst} A from its site (6 sigma = 0.3 A)"
    );
}
