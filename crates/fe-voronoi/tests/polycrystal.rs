//! The polycrystal builder: perfect crystal for one grain, atom counts against density times
//! grain volume, no close pairs left, the same deletions as over all atoms, inputs that must
//! fail, reproducibility and thread-count independence.

#![allow(clippy::unwrap_used)] // test helpers outside #[test] functions

use fe_neighbors::{remove_close_pairs, ListKind, NeighborList};
use fe_structure::build::Lattice;
use fe_structure::{Cell, Element, Property, Structure};
use fe_voronoi::polycrystal::{random_rotations, random_seeds};
use fe_voronoi::{build_polycrystal, Polycrystal, PolycrystalSpec, VoronoiError};
use nalgebra::{Matrix3, Vector3};

const A: f64 = 2.8553;

fn build(cell: &Cell, n: usize, seed: u64, spec: &PolycrystalSpec) -> Polycrystal {
    let seeds = random_seeds(cell, n, seed, 1.0).unwrap();
    build_polycrystal(cell, &seeds, &random_rotations(n, seed), spec, &|_| {}).unwrap()
}

fn grain_ids(s: &Structure) -> Vec<i64> {
    match s.property("grain") {
        Some(Property::Int { values, .. }) => values.clone(),
        other => panic!("no integer grain property: {other:?}"),
    }
}

fn triclinic() -> Cell {
    Cell::new(
        Matrix3::new(60.0, 0.0, 0.0, 15.0, 55.0, 0.0, -10.0, 12.0, 58.0),
        [true; 3],
    )
    .unwrap()
}

#[test]
fn one_grain_with_identity_rotation_is_the_perfect_crystal() {
    let n = 6usize;
    let cell = Cell::cubic(n as f64 * A).unwrap();
    // The seed on a lattice site (every boundary site is a tie) and at a general point.
    for seed in [Vector3::zeros(), Vector3::new(0.37, 5.1, 11.9)] {
        let p = build_polycrystal(
            &cell,
            &[seed],
            &[Matrix3::identity()],
            &PolycrystalSpec::default(),
            &|_| {},
        )
        .unwrap();
        assert_eq!(p.structure.len(), 2 * n.pow(3), "seed {seed:?}");
        assert_eq!(p.removed(), 0);
        // Every site once: the nearest neighbours are the 8 at a sqrt(3)/2.
        let list = NeighborList::new(&p.structure, 2.5, ListKind::Full).unwrap();
        assert!(list.counts().iter().all(|&c| c == 8), "seed {seed:?}");
    }
}

#[test]
fn atoms_per_grain_before_deletion_are_density_times_grain_volume_within_one_percent() {
    let specs = [
        (Lattice::Bcc, A),
        (Lattice::Fcc, 3.6),
        (Lattice::Hcp { c_over_a: 1.6 }, 2.5),
    ];
    for (cell, n, seed) in [(Cell::cubic(30.0 * A).unwrap(), 4, 1), (triclinic(), 2, 2)] {
        for (lattice, a) in specs {
            let spec = PolycrystalSpec {
                lattice,
                a,
                ..PolycrystalSpec::default()
            };
            let conv = fe_structure::build::conventional(lattice, Element::FE, a).unwrap();
            let density = conv.len() as f64 / conv.cell().volume();
            let p = build(&cell, n, seed, &spec);
            for (g, gc) in p.tessellation.grains().iter().enumerate() {
                let expected = density * gc.volume;
                let got = p.filled_per_grain[g] as f64;
                assert!(
                    (got - expected).abs() < 0.01 * expected,
                    "{}: grain {g}: {got} atoms, density x volume {expected}",
                    lattice.name()
                );
            }
        }
    }
}

#[test]
fn no_pair_is_closer_than_the_minimum_distance_and_atoms_lie_in_the_cell() {
    for (cell, n) in [(Cell::cubic(12.0 * A).unwrap(), 8), (triclinic(), 5)] {
        let p = build(&cell, n, 3, &PolycrystalSpec::default());
        let s = &p.structure;
        let list = NeighborList::new(s, 2.0, ListKind::Half).unwrap();
        assert_eq!(list.n_entries(), 0);
        for x in s.positions() {
            let f = cell.to_fractional(x);
            assert!(f.iter().all(|&c| (0.0..1.0).contains(&c)), "{f:?}");
        }
        let ids = grain_ids(s);
        assert_eq!(ids.len(), s.len());
        assert!(
            ids.windows(2).all(|w| w[0] <= w[1]),
            "atoms ordered by grain"
        );
        for g in 0..n {
            let count = ids.iter().filter(|&&i| i == g as i64).count();
            assert_eq!(count, p.atoms_per_grain[g]);
        }
        assert!(p.removed() > 0);
    }
}

#[test]
fn deletion_near_boundaries_equals_deletion_over_all_atoms() {
    let cell = Cell::cubic(12.0 * A).unwrap();
    // A tiny minimum distance keeps every filled site (grains never share a site).
    let all = PolycrystalSpec {
        min_distance: 1e-3,
        ..PolycrystalSpec::default()
    };
    let mut filled = build(&cell, 6, 4, &all).structure;
    let p = build(&cell, 6, 4, &PolycrystalSpec::default());
    assert_eq!(filled.len(), p.filled_per_grain.iter().sum::<usize>());
    remove_close_pairs(&mut filled, 2.0).unwrap();
    assert_eq!(filled.positions(), p.structure.positions());
    assert_eq!(grain_ids(&filled), grain_ids(&p.structure));
}

#[test]
fn same_seed_same_polycrystal_in_pools_of_one_two_and_three_threads() {
    let cell = triclinic();
    let runs: Vec<Polycrystal> = [1, 2, 3]
        .iter()
        .map(|&t| {
            rayon::ThreadPoolBuilder::new()
                .num_threads(t)
                .build()
                .unwrap()
                .install(|| build(&cell, 5, 11, &PolycrystalSpec::default()))
        })
        .collect();
    for r in &runs[1..] {
        assert_eq!(r.structure.positions(), runs[0].structure.positions());
        assert_eq!(grain_ids(&r.structure), grain_ids(&runs[0].structure));
        assert_eq!(r.tessellation, runs[0].tessellation);
    }
    let other = build(&cell, 5, 12, &PolycrystalSpec::default());
    assert_ne!(other.structure.len(), runs[0].structure.len());
}

#[test]
fn random_seeds_keep_their_distance_and_rotations_are_proper() {
    let cell = Cell::cubic(20.0).unwrap();
    let seeds = random_seeds(&cell, 50, 5, 3.0).unwrap();
    for i in 0..seeds.len() {
        for j in 0..i {
            assert!(cell.distance(&seeds[i], &seeds[j]) >= 3.0);
        }
    }
    assert_eq!(seeds, random_seeds(&cell, 50, 5, 3.0).unwrap());
    // 1000 seeds 3 A apart do not fit in 8000 A^3.
    assert!(random_seeds(&cell, 1000, 5, 3.0).is_err());
    for r in random_rotations(20, 5) {
        assert!((r.transpose() * r - Matrix3::identity()).abs().max() < 1e-12);
        assert!((r.determinant() - 1.0).abs() < 1e-12);
    }
}

#[test]
fn coincident_and_nearly_coincident_seeds_are_an_error() {
    let cell = Cell::cubic(10.0 * A).unwrap();
    let r = random_rotations(2, 1);
    let p = Vector3::new(3.0, 4.0, 5.0);
    for q in [
        p,
        p + Vector3::new(0.3, 0.0, 0.0),
        p + Vector3::new(10.0 * A, 0.0, 0.0),
    ] {
        let e = build_polycrystal(&cell, &[p, q], &r, &PolycrystalSpec::default(), &|_| {});
        assert!(
            matches!(e, Err(VoronoiError::SeedsTooClose { i: 0, j: 1, .. })),
            "{e:?}"
        );
    }
}

#[test]
fn a_box_too_small_for_the_lattice_is_an_error() {
    let r = random_rotations(1, 1);
    for cell in [
        Cell::cubic(2.0).unwrap(),
        Cell::orthorhombic(30.0, 30.0, 1.9).unwrap(),
    ] {
        let e = build_polycrystal(
            &cell,
            &[Vector3::zeros()],
            &r,
            &PolycrystalSpec::default(),
            &|_| {},
        );
        assert!(matches!(e, Err(VoronoiError::BoxTooSmall { .. })), "{e:?}");
    }
}

#[test]
fn a_grain_that_loses_every_atom_is_an_error() {
    // Grain 6 is a 1.2 A cube in the middle of six seeds: its only site is its seed, closer
    // than 2 A to the seed sites of the earlier grains, so the deletion empties it.
    let cell = Cell::cubic(10.0 * A).unwrap();
    let c = Vector3::repeat(14.0);
    let mut seeds: Vec<Vector3<f64>> = (0..3)
        .flat_map(|k| {
            let mut e = Vector3::zeros();
            e[k] = 1.2;
            [c + e, c - e]
        })
        .collect();
    seeds.push(c);
    let e = build_polycrystal(
        &cell,
        &seeds,
        &random_rotations(7, 2),
        &PolycrystalSpec::default(),
        &|_| {},
    );
    assert!(
        matches!(e, Err(VoronoiError::EmptyGrain { grain: 6, .. })),
        "{e:?}"
    );
}

#[test]
fn bad_rotations_distances_and_lattices_are_errors() {
    let cell = Cell::cubic(10.0 * A).unwrap();
    let seeds = [Vector3::zeros()];
    let spec = PolycrystalSpec::default();
    let mirror = Matrix3::from_diagonal(&Vector3::new(1.0, 1.0, -1.0));
    let bad = |rot: &[Matrix3<f64>], spec: &PolycrystalSpec| {
        build_polycrystal(&cell, &seeds, rot, spec, &|_| {}).is_err()
    };
    assert!(bad(&[mirror], &spec));
    assert!(bad(&[Matrix3::identity() * 1.01], &spec));
    assert!(bad(&[], &spec));
    for d in [0.0, -1.0, f64::NAN, 2.6] {
        // 2.6 A exceeds bcc Fe's nearest-neighbour distance (2.47 A).
        let s = PolycrystalSpec {
            min_distance: d,
            ..spec.clone()
        };
        assert!(bad(&[Matrix3::identity()], &s), "min distance {d}");
    }
    let open = Cell::new(*cell.matrix(), [true, true, false]).unwrap();
    assert!(build_polycrystal(&open, &seeds, &[Matrix3::identity()], &spec, &|_| {}).is_err());
}

/// The 24 proper rotations of the cube: signed permutation matrices with determinant +1.
fn cubic_rotations() -> Vec<Matrix3<f64>> {
    let perms = [
        [0, 1, 2],
        [0, 2, 1],
        [1, 0, 2],
        [1, 2, 0],
        [2, 0, 1],
        [2, 1, 0],
    ];
    let mut out = Vec::new();
    for p in perms {
        for signs in 0..8 {
            let mut m = Matrix3::zeros();
            for (row, &col) in p.iter().enumerate() {
                m[(row, col)] = if signs >> row & 1 == 1 { -1.0 } else { 1.0 };
            }
            if m.determinant() > 0.0 {
                out.push(m);
            }
        }
    }
    out
}

#[test]
fn random_orientations_follow_the_mackenzie_distribution() {
    // METHODS.md 5.2: disorientations of random cubic orientations have mean 40.74 deg and
    // 2.28 % below 15 deg (Mackenzie 1958).
    let n = 20_000;
    let rotations = random_rotations(2 * n, 17);
    let symmetry = cubic_rotations();
    assert_eq!(symmetry.len(), 24);
    let mut sum = 0.0;
    let mut below_15 = 0usize;
    for pair in rotations.chunks(2) {
        let delta = pair[0].transpose() * pair[1];
        let cos_max = symmetry
            .iter()
            .map(|s| ((s * delta).trace() - 1.0) / 2.0)
            .fold(f64::NEG_INFINITY, f64::max);
        let angle = cos_max.clamp(-1.0, 1.0).acos().to_degrees();
        sum += angle;
        below_15 += usize::from(angle < 15.0);
    }
    let mean = sum / n as f64;
    let fraction = below_15 as f64 / n as f64;
    // Standard errors: about 0.07 deg for the mean, 0.1 % for the fraction.
    assert!((mean - 40.74).abs() < 0.4, "mean disorientation {mean} deg");
    assert!((fraction - 0.0228).abs() < 0.005, "{fraction} below 15 deg");
}

#[test]
#[ignore = "slow: builds the 1.9-million-atom (28.3 nm)^3 polycrystal"]
fn the_28_nm_polycrystal_has_about_two_million_atoms_and_grain_counts_match_volumes() {
    let cell = Cell::cubic(283.0).unwrap();
    let p = build(&cell, 8, 1, &PolycrystalSpec::default());
    let density = 2.0 / A.powi(3);
    let total: f64 = p.tessellation.grains().iter().map(|g| g.volume).sum();
    assert!((total - cell.volume()).abs() < 1e-9 * cell.volume());
    for (g, gc) in p.tessellation.grains().iter().enumerate() {
        let expected = density * gc.volume;
        let got = p.filled_per_grain[g] as f64;
        assert!((got - expected).abs() < 0.001 * expected, "grain {g}");
    }
    let n = p.structure.len() as f64;
    assert!((1.85e6..1.95e6).contains(&n), "{n} atoms");
    // METHODS.md 1.3: under 2 % deleted at 100a.
    assert!((p.removed() as f64) < 0.02 * n);
}

#[test]
fn every_atom_is_nearest_to_its_own_grain_seed_by_brute_force() {
    // Before deletion (a tiny minimum distance keeps every filled site), on a sheared box and
    // the three lattice kinds.
    for (lattice, a) in [
        (Lattice::Bcc, A),
        (Lattice::Fcc, 3.6),
        (Lattice::Hcp { c_over_a: 1.6 }, 2.5),
    ] {
        let spec = PolycrystalSpec {
            lattice,
            a,
            min_distance: 1e-3,
            ..PolycrystalSpec::default()
        };
        let cell = triclinic();
        let p = build(&cell, 6, 8, &spec);
        let seeds = p.tessellation.seeds();
        let ids = grain_ids(&p.structure);
        for (x, &g) in p.structure.positions().iter().zip(&ids) {
            let own = cell.distance(x, &seeds[g as usize]);
            let nearest = seeds
                .iter()
                .map(|s| cell.distance(x, s))
                .fold(f64::INFINITY, f64::min);
            assert!(
                own <= nearest + 1e-9,
                "{}: atom of grain {g}",
                lattice.name()
            );
        }
    }
}
