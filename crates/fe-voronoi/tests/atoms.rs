//! Per-atom Voronoi cells against analytic facts and brute force: perfect lattices, volumes
//! adding up to the box, every sampled point in the cell of its nearest atom image, face
//! neighbours consistent from both sides, open axes bounded by the walls.
#![allow(clippy::unwrap_used)]

use fe_structure::build::{bcc, fcc, rattle, sc};
use fe_structure::{Cell, Element, Structure};
use fe_testkit::random_structure;
use fe_voronoi::{voronoi_atoms, AtomVoronoi, VoronoiOptions, WALL};
use nalgebra::Vector3;
use rand::{Rng, SeedableRng};
use rand_pcg::Pcg64;

fn tessellate(s: &Structure) -> AtomVoronoi {
    voronoi_atoms(s, &VoronoiOptions::default()).unwrap()
}

fn assert_sum_is_box(s: &Structure, v: &AtomVoronoi, what: &str) {
    let bv = s.cell().volume();
    let rel = (v.total_volume() - bv).abs() / bv;
    assert!(
        rel < 1e-9,
        "{what}: sum {} box {bv} rel {rel:e}",
        v.total_volume()
    );
}

/// Brute force: the atom with the nearest image of a point (minimum image of the cell,
/// exact for any cell shape; open axes do not wrap).
fn nearest(s: &Structure, p: &Vector3<f64>) -> usize {
    let mut best = (usize::MAX, f64::INFINITY);
    for (j, r) in s.positions().iter().enumerate() {
        let d = s.cell().minimum_image(&(r - p)).norm_squared();
        if d < best.1 {
            best = (j, d);
        }
    }
    best.0
}

/// Monte Carlo: the fraction of random box points whose nearest atom is i estimates
/// V_i / V_box; check every atom's count against its volume (5 sigma plus slack), and that
/// the point lies in exactly one cell as its face list describes it.
fn check_against_brute_force(s: &Structure, v: &AtomVoronoi, samples: usize, seed: u64) {
    let mut rng = Pcg64::seed_from_u64(seed);
    let mut counts = vec![0usize; s.len()];
    let mut ties = 0;
    for _ in 0..samples {
        let f = Vector3::new(rng.gen(), rng.gen(), rng.gen());
        let p = s.cell().to_cartesian(&f);
        let i = nearest(s, &p);
        counts[i] += 1;
        // Exactly one cell, described by its face list, holds the point: the nearest atom's.
        let mut holders = Vec::new();
        for (k, rk) in s.positions().iter().enumerate() {
            let x = s.cell().minimum_image(&(p - rk));
            let margin = v
                .faces_of(k)
                .iter()
                .filter(|f| f.neighbor != WALL)
                .map(|f| {
                    let n = Vector3::new(
                        f64::from(f.shift[0]),
                        f64::from(f.shift[1]),
                        f64::from(f.shift[2]),
                    );
                    let d = s.positions()[f.neighbor] + s.cell().to_cartesian(&n) - rk;
                    x.dot(&d) - 0.5 * d.norm_squared()
                });
            if margin.fold(f64::NEG_INFINITY, f64::max) <= 1e-9 {
                holders.push(k);
            }
        }
        assert!(
            holders.contains(&i) && holders.len() <= 2,
            "point {p:?}: nearest {i}, cells {holders:?}"
        );
        if holders.len() == 2 {
            ties += 1;
        }
    }
    assert!(ties < samples / 1000, "{ties} points on two cells");
    let bv = s.cell().volume();
    for (i, &c) in counts.iter().enumerate() {
        let q = v.volumes()[i] / bv;
        let sigma = (q * (1.0 - q) / samples as f64).sqrt();
        let est = c as f64 / samples as f64;
        assert!(
            (est - q).abs() < 5.0 * sigma + 1e-4,
            "atom {i}: {est} vs {q}"
        );
    }
}

#[test]
fn perfect_bcc_has_14_faces_and_half_a_cubed() {
    let a = 2.8553;
    let s = bcc(Element::FE, a).unwrap().replicate(3, 3, 3).unwrap();
    let v = tessellate(&s);
    for i in 0..s.len() {
        assert!((v.volumes()[i] - a * a * a / 2.0).abs() < 1e-12 * a * a * a);
        assert_eq!(v.n_faces()[i], 14);
        let mut hex = 0;
        for f in v.faces_of(i) {
            assert!(f.n_edges == 6 || f.n_edges == 4);
            hex += usize::from(f.n_edges == 6);
        }
        assert_eq!(hex, 8);
    }
    assert_sum_is_box(&s, &v, "bcc");
}

#[test]
fn perfect_fcc_and_sc_count_no_zero_area_faces() {
    let a = 3.52;
    let s = fcc(Element::FE, a).unwrap().replicate(2, 2, 2).unwrap();
    let v = tessellate(&s);
    assert!(v.n_faces().iter().all(|&n| n == 12));
    assert!(v
        .volumes()
        .iter()
        .all(|&x| (x - a * a * a / 4.0).abs() < 1e-12 * a * a * a));
    let s = sc(Element::FE, 2.5).unwrap().replicate(3, 3, 3).unwrap();
    let v = tessellate(&s);
    assert!(v.n_faces().iter().all(|&n| n == 6));
    assert!(v
        .volumes()
        .iter()
        .all(|&x| (x - 2.5f64.powi(3)).abs() < 1e-11));
}

#[test]
fn faces_are_seen_from_both_sides() {
    let mut s = bcc(Element::FE, 2.8553)
        .unwrap()
        .replicate(3, 3, 3)
        .unwrap();
    rattle(&mut s, 0.1, 7).unwrap();
    let v = tessellate(&s);
    for i in 0..s.len() {
        for f in v.faces_of(i) {
            let back = v
                .faces_of(f.neighbor)
                .iter()
                .find(|g| g.neighbor == i && g.shift == f.shift.map(|x| -x))
                .unwrap();
            assert!((back.area - f.area).abs() < 1e-9 * f.area.max(1.0));
        }
    }
    assert_sum_is_box(&s, &v, "rattled bcc");
}

#[test]
fn random_triclinic_volumes_sum_to_the_box_and_match_brute_force() {
    for seed in 0..12u64 {
        let n = 5 + (seed as usize * 7) % 40;
        let s = random_structure(seed, n, 5.0, 11.0, 0.6, [true; 3], seed % 2 == 0);
        let v = tessellate(&s);
        assert_sum_is_box(&s, &v, &format!("seed {seed}"));
        assert!(v.volumes().iter().all(|&x| x > 0.0));
        if seed < 4 {
            check_against_brute_force(&s, &v, 6_000, seed);
        }
    }
}

#[test]
fn tiny_cells_with_self_images() {
    // One atom per cell: the cell is the Wigner-Seitz cell of the lattice.
    for seed in 20..30u64 {
        let s = random_structure(seed, 1 + seed as usize % 3, 2.0, 4.0, 0.9, [true; 3], true);
        let v = tessellate(&s);
        assert_sum_is_box(&s, &v, &format!("seed {seed}"));
    }
}

#[test]
fn open_axes_are_bounded_by_the_walls() {
    for (seed, pbc) in [
        [false, false, false],
        [true, false, true],
        [false, true, true],
        [true, true, false],
    ]
    .into_iter()
    .enumerate()
    {
        let s = random_structure(40 + seed as u64, 30, 6.0, 10.0, 0.4, pbc, false);
        let v = tessellate(&s);
        assert_sum_is_box(&s, &v, &format!("pbc {pbc:?}"));
        check_against_brute_force(&s, &v, 6_000, seed as u64);
        let walls: usize = (0..s.len())
            .map(|i| v.faces_of(i).iter().filter(|f| f.neighbor == WALL).count())
            .sum();
        assert!(walls > 0);
        for i in 0..s.len() {
            for f in v.faces_of(i).iter().filter(|f| f.neighbor == WALL) {
                let k = f.shift.iter().position(|&x| x != 0).unwrap();
                assert!(!pbc[k]);
            }
        }
    }
}

#[test]
fn an_isolated_atom_fills_its_open_box() {
    // Far from everything: the cell reaches the walls (the fallback search radius grows).
    let cell = Cell::new(
        nalgebra::Matrix3::from_diagonal(&Vector3::new(40.0, 30.0, 50.0)),
        [false; 3],
    )
    .unwrap();
    let s = Structure::new(
        cell,
        vec![Element::FE; 3],
        vec![
            Vector3::new(1.0, 1.0, 1.0),
            Vector3::new(3.0, 1.0, 1.0),
            Vector3::new(30.0, 20.0, 40.0),
        ],
    )
    .unwrap();
    let v = tessellate(&s);
    assert_sum_is_box(&s, &v, "sparse open box");
    check_against_brute_force(&s, &v, 6_000, 3);
}

#[test]
fn thresholds_drop_small_faces_and_short_edges() {
    let mut s = bcc(Element::FE, 2.8553)
        .unwrap()
        .replicate(3, 3, 3)
        .unwrap();
    rattle(&mut s, 0.1, 3).unwrap();
    let all = tessellate(&s);
    let opts = VoronoiOptions {
        face_area_threshold: 0.5,
        edge_length_threshold: 0.3,
        ..VoronoiOptions::default()
    };
    let cut = voronoi_atoms(&s, &opts).unwrap();
    for i in 0..s.len() {
        assert_eq!(cut.volumes()[i], all.volumes()[i]);
        let expect = all.faces_of(i).iter().filter(|f| f.area > 0.5).count();
        assert_eq!(cut.n_faces()[i] as usize, expect);
        assert!(cut.faces_of(i).iter().all(|f| f.area > 0.5));
        assert!(cut.min_face_area()[i] > 0.5);
    }
    assert!(voronoi_atoms(
        &s,
        &VoronoiOptions {
            face_area_threshold: -1.0,
            ..VoronoiOptions::default()
        }
    )
    .is_err());
    assert!(voronoi_atoms(
        &s,
        &VoronoiOptions {
            edge_length_threshold: f64::NAN,
            ..VoronoiOptions::default()
        }
    )
    .is_err());
}

#[test]
fn bad_inputs_are_errors() {
    let cell = Cell::cubic(10.0).unwrap();
    let s = Structure::new(
        cell.clone(),
        vec![Element::FE; 2],
        vec![Vector3::new(1.0, 2.0, 3.0); 2],
    )
    .unwrap();
    assert!(voronoi_atoms(&s, &VoronoiOptions::default()).is_err());
    let open = cell.with_pbc([true, false, true]);
    let s = Structure::new(
        open,
        vec![Element::FE; 2],
        vec![Vector3::new(1.0, 2.0, 3.0), Vector3::new(1.0, 12.0, 3.0)],
    )
    .unwrap();
    assert!(voronoi_atoms(&s, &VoronoiOptions::default()).is_err());
    let empty = Structure::empty(Cell::cubic(5.0).unwrap());
    assert!(voronoi_atoms(&empty, &VoronoiOptions::default())
        .unwrap()
        .is_empty());
}

#[test]
fn same_result_with_one_and_two_threads() {
    let mut s = bcc(Element::FE, 2.8553)
        .unwrap()
        .replicate(6, 6, 6)
        .unwrap();
    rattle(&mut s, 0.05, 1).unwrap();
    let run = |t: usize| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(t)
            .build()
            .unwrap()
            .install(|| tessellate(&s))
    };
    let (a, b) = (run(1), run(2));
    assert_eq!(a.volumes(), b.volumes());
    assert_eq!(a.n_faces(), b.n_faces());
}

#[test]
fn a_cluster_in_vacuum_keeps_bulk_cells_inside() {
    // A 4x4x4 bcc block in the middle of a 40 A open box: the cells of atoms with all 14
    // first and second neighbours in the block are the bulk truncated octahedra; the surface
    // cells reach the walls; together they fill the box.
    let a = 2.8553;
    let block = bcc(Element::FE, a).unwrap().replicate(4, 4, 4).unwrap();
    let shift = Vector3::from_element(20.0 - 2.0 * a);
    let cell = Cell::new(nalgebra::Matrix3::from_diagonal_element(40.0), [false; 3]).unwrap();
    let positions: Vec<Vector3<f64>> = block.positions().iter().map(|r| r + shift).collect();
    let s = Structure::new(cell, vec![Element::FE; positions.len()], positions).unwrap();
    let v = tessellate(&s);
    assert_sum_is_box(&s, &v, "cluster");
    let lo = shift + Vector3::from_element(a * 0.99);
    let hi = shift + Vector3::from_element(2.5 * a * 1.001);
    let mut inner = 0;
    for (i, r) in s.positions().iter().enumerate() {
        if (0..3).all(|k| r[k] >= lo[k] && r[k] <= hi[k]) {
            inner += 1;
            assert_eq!(v.n_faces()[i], 14, "atom {i}");
            assert!((v.volumes()[i] - a * a * a / 2.0).abs() < 1e-12 * a * a * a);
        }
    }
    assert!(inner >= 16);
}
