//! MTP level templates: counts of MTP.md 3.3, MLIP's basic list, and every generated basis
//! function equal to its contraction-graph value (brute force over neighbour tuples).
#![allow(clippy::unwrap_used)] // test helpers outside #[test] functions

use fe_neighbors::{ListKind, NeighborList};
use fe_potentials::mtp::{
    basic_moments, contractions, parse_mtp_str, template, write_mtp, Contraction, Mtp, MtpModel,
    RadialCoeffs,
};
use fe_potentials::{BoundAtoms, Potential};
use fe_structure::{Cell, Element, Structure};
use nalgebra::{Matrix3, Vector3};
use rand::{Rng, SeedableRng};
use rand_pcg::Pcg64;

/// MTP.md 3.3: (level, K, basis n_s, basic n_b).
const COUNTS: [(usize, usize, usize, usize); 14] = [
    (2, 1, 1, 1),
    (4, 1, 2, 1),
    (6, 2, 5, 5),
    (8, 2, 9, 11),
    (10, 3, 16, 25),
    (12, 3, 29, 46),
    (14, 4, 52, 81),
    (16, 4, 92, 130),
    (18, 5, 163, 201),
    (20, 5, 288, 295),
    (22, 6, 500, 421),
    (24, 6, 864, 581),
    (26, 6, 1464, 706),
    (28, 6, 2445, 866),
];

#[test]
fn template_counts_match_mlip_up_to_level_20() {
    for &(level, k, ns, nb) in COUNTS.iter().filter(|c| c.0 <= 20) {
        let t = template(level, 1, 2.0, 5.0, 8).unwrap();
        println!(
            "level {level}: K {} basis {} basic {} moments {} products {}",
            t.radial_funcs_count,
            t.alpha_moment_mapping.len(),
            t.alpha_index_basic.len(),
            t.alpha_moments_count,
            t.alpha_index_times.len()
        );
        assert_eq!(
            (
                t.radial_funcs_count,
                t.alpha_moment_mapping.len(),
                t.alpha_index_basic.len()
            ),
            (k, ns, nb),
            "level {level}"
        );
        t.validate("template").unwrap();
        let text = write_mtp(&t);
        assert!(text.ends_with("}\n"));
        assert_eq!(parse_mtp_str(&text, "t.mtp").unwrap(), t);
    }
}

#[test]
#[ignore = "slow: levels 22-28 (seconds in release, minutes at opt-level 1)"]
fn template_counts_match_mlip_at_levels_22_to_28() {
    for &(level, k, ns, nb) in COUNTS.iter().filter(|c| c.0 > 20) {
        let t = template(level, 1, 2.0, 5.0, 8).unwrap();
        println!(
            "level {level}: basis {} basic {} moments {} products {}",
            t.alpha_moment_mapping.len(),
            t.alpha_index_basic.len(),
            t.alpha_moments_count,
            t.alpha_index_times.len()
        );
        assert_eq!(
            (
                t.radial_funcs_count,
                t.alpha_moment_mapping.len(),
                t.alpha_index_basic.len()
            ),
            (k, ns, nb),
            "level {level}"
        );
        t.validate("template").unwrap();
    }
}

/// f_mu(r) of the test radial coefficients (MTP.md 2.2-2.3), written out here.
fn radial(c: &[f64], mu: usize, r: f64, rmin: f64, rcut: f64, nr: usize) -> f64 {
    let x = (2.0 * r - (rmin + rcut)) / (rcut - rmin);
    let mut t = vec![1.0, x];
    for b in 2..nr {
        t.push(2.0 * x * t[b - 1] - t[b - 2]);
    }
    (0..nr).map(|b| c[mu * nr + b] * t[b]).sum::<f64>() * (rcut - r).powi(2)
}

/// The value of a contraction graph on a neighbourhood, by brute force over k-tuples.
fn graph_value(g: &Contraction, f: &[Vec<f64>], u: &[Vector3<f64>]) -> f64 {
    let k = g.mu.len();
    let n = u.len();
    let mut total = 0.0;
    let mut idx = vec![0; k];
    loop {
        let mut term = 1.0;
        for v in 0..k {
            term *= f[g.mu[v]][idx[v]];
        }
        for a in 0..k {
            for b in a + 1..k {
                term *= u[idx[a]].dot(&u[idx[b]]).powi(g.p[a * k + b] as i32);
            }
        }
        total += term;
        let mut i = 0;
        while i < k {
            idx[i] += 1;
            if idx[i] < n {
                break;
            }
            idx[i] = 0;
            i += 1;
        }
        if i == k {
            return total;
        }
    }
}

#[test]
fn every_generated_basis_function_equals_its_contraction() {
    let mut rng = Pcg64::seed_from_u64(3);
    let (rmin, rcut, nr) = (1.5, 5.0, 4);
    // a centre and 6 neighbours
    let mut pos = vec![Vector3::zeros()];
    while pos.len() < 7 {
        let v = Vector3::new(
            rng.gen_range(-3.0..3.0),
            rng.gen_range(-3.0..3.0),
            rng.gen_range(-3.0..3.0),
        );
        if v.norm() > 1.8 && v.norm() < 4.5 && pos.iter().skip(1).all(|p| (p - v).norm() > 1.0) {
            pos.push(v);
        }
    }
    let cell = Cell::new(Matrix3::from_diagonal_element(30.0), [false; 3]).unwrap();
    let s = Structure::new(cell, vec![Element::FE; pos.len()], pos.clone()).unwrap();
    for level in [2, 4, 6, 8, 10, 12, 14] {
        let mut m: MtpModel = template(level, 1, rmin, rcut, nr).unwrap();
        let kk = m.radial_funcs_count;
        let coeffs: Vec<f64> = (0..kk * nr).map(|_| rng.gen_range(-0.5..0.5)).collect();
        m.radial_coeffs = Some(RadialCoeffs {
            labels: vec!["0-0".into()],
            values: coeffs.clone(),
        });
        m.species_coeffs = Some(vec![0.0]);
        m.moment_coeffs = Some(vec![0.0; m.alpha_moment_mapping.len()]);
        let pot = Mtp::new(m.clone(), &[Element::FE]).unwrap();
        let binding = pot.bind(&[Element::FE]).unwrap();
        let atoms = BoundAtoms::new(&s, &binding).unwrap();
        let list = NeighborList::new(&s, rcut, ListKind::Full).unwrap();
        let ns = pot.n_basis();
        let vals = &pot.basis_values(&atoms, &list).unwrap()[..ns];
        let u: Vec<Vector3<f64>> = pos[1..].iter().map(|p| p.normalize()).collect();
        let f: Vec<Vec<f64>> = (0..kk)
            .map(|mu| {
                pos[1..]
                    .iter()
                    .map(|p| radial(&coeffs, mu, p.norm(), rmin, rcut, nr))
                    .collect()
            })
            .collect();
        for (g, v) in contractions(level).iter().zip(vals) {
            let want = graph_value(g, &f, &u);
            assert!(
                (v - want).abs() < 1e-11 * want.abs().max(1e-3),
                "level {level} graph {g:?}: {v} vs {want}"
            );
        }
    }
}

#[test]
fn basic_list_rule_reproduces_the_first_rows() {
    let b = basic_moments(16);
    assert_eq!(b.len(), 130);
    assert_eq!(
        &b[..5],
        &[
            [0, 0, 0, 0],
            [0, 1, 0, 0],
            [0, 0, 1, 0],
            [0, 0, 0, 1],
            [0, 2, 0, 0]
        ]
    );
}

#[test]
#[ignore = "needs ../shared reference data"]
fn published_bases_equal_our_templates_function_for_function() {
    let dir = fe_testkit::shared_dir().join("data/potentials");
    let mut rng = Pcg64::seed_from_u64(5);
    // a bcc-like neighbourhood, rattled, within 6.5 A
    let mut pos = vec![Vector3::zeros()];
    for i in -2i32..=2 {
        for j in -2i32..=2 {
            for k in -2i32..=2 {
                for half in [0.0, 0.5] {
                    let v = Vector3::new(
                        f64::from(i) + half,
                        f64::from(j) + half,
                        f64::from(k) + half,
                    ) * 2.83
                        + Vector3::new(
                            rng.gen_range(-0.1..0.1),
                            rng.gen_range(-0.1..0.1),
                            rng.gen_range(-0.1..0.1),
                        );
                    if v.norm() > 1.0 && v.norm() < 6.4 {
                        pos.push(v);
                    }
                }
            }
        }
    }
    let cell = Cell::new(Matrix3::from_diagonal_element(40.0), [false; 3]).unwrap();
    let s = Structure::new(cell, vec![Element::FE; pos.len()], pos).unwrap();
    for (file, level) in [
        ("Fe_mtp_L16.mtp", 16),
        ("Fe_mtp_L18.mtp", 18),
        ("Fe_mtp_L20.mtp", 20),
        ("Fe_mtp_L22.mtp", 24),
    ] {
        let published = fe_potentials::mtp::read_mtp(&dir.join(file)).unwrap();
        assert_eq!(published.alpha_index_basic, basic_moments(level), "{file}");
        let mut ours = template(level, 1, published.min_dist, published.max_dist, 8).unwrap();
        ours.scaling = published.scaling;
        ours.radial_coeffs = published.radial_coeffs.clone();
        ours.species_coeffs = Some(vec![0.0]);
        ours.moment_coeffs = Some(vec![0.0; ours.alpha_moment_mapping.len()]);
        let values = |m: MtpModel| {
            let pot = Mtp::new(m, &[Element::FE]).unwrap();
            let binding = pot.bind(&[Element::FE]).unwrap();
            let atoms = BoundAtoms::new(&s, &binding).unwrap();
            let list = NeighborList::new(&s, pot.cutoff(), ListKind::Full).unwrap();
            let ns = pot.n_basis();
            let mut v = pot.basis_values(&atoms, &list).unwrap()[..ns].to_vec();
            v.sort_by(f64::total_cmp);
            v
        };
        let (a, b) = (values(published), values(ours));
        assert_eq!(a.len(), b.len(), "{file}");
        for (x, y) in a.iter().zip(&b) {
            assert!(
                (x - y).abs() <= 1e-9 * x.abs().max(1e-12),
                "{file}: {x} vs {y}"
            );
        }
        for w in a.windows(2) {
            assert!(
                w[1] - w[0] > 1e-7 * w[1].abs(),
                "{file}: values not distinct"
            );
        }
        println!(
            "{file}: {} basis functions match our level-{level} template",
            a.len()
        );
    }
}
