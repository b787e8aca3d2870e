//! Oriented orthorhombic supercells of cubic crystals.
#![allow(clippy::unwrap_used)] // test helpers outside #[test] functions

use fe_structure::build::{conventional, orientation, oriented, Lattice};
use fe_structure::{Element, Structure};
use nalgebra::{Matrix3, Vector3};

const A: f64 = 2.855;

/// Count, for every atom, the neighbours closer than `r_nn + 1e-6` (minimum image) and check
/// that none is closer than `r_nn - 1e-9`.
fn assert_bulk_coordination(s: &Structure, z: usize, r_nn: f64) {
    let w = s.cell().perpendicular_widths();
    assert!(
        w.iter().all(|&x| x > 2.0 * (r_nn + 0.1)),
        "box too small for minimum image: {w:?}"
    );
    let r = s.positions();
    for i in 0..s.len() {
        let mut n = 0;
        for j in 0..s.len() {
            if j == i {
                continue;
            }
            let d = s.cell().minimum_image(&(r[j] - r[i])).norm();
            assert!(d > r_nn - 1e-9, "atoms {i} and {j} at {d} A < {r_nn} A");
            if d < r_nn + 1e-6 {
                n += 1;
            }
        }
        assert_eq!(n, z, "atom {i} has {n} neighbours at {r_nn} A");
    }
}

/// Rotate positions back into the cube frame and check each sits on a lattice site.
fn assert_on_lattice(s: &Structure, lattice: Lattice, dirs: [[i32; 3]; 3], a: f64) {
    let r = orientation(dirs).unwrap();
    let basis = lattice.basis();
    for (i, p) in s.positions().iter().enumerate() {
        let f = r.transpose() * p / a;
        let on = basis.iter().any(|b| {
            let d = f - b;
            d.iter().all(|x| (x - x.round()).abs() < 1e-9)
        });
        assert!(
            on,
            "atom {i} at cube fraction {f:?} is not a {lattice:?} site"
        );
    }
}

fn check(
    lattice: Lattice,
    dirs: [[i32; 3]; 3],
    reps: [usize; 3],
    z: usize,
    r_nn: f64,
) -> Structure {
    let s = oriented(lattice, Element::FE, A, dirs, reps).unwrap();
    let h = s.cell().matrix();
    assert_eq!(
        *h,
        Matrix3::from_diagonal(&h.diagonal()),
        "cell must be orthorhombic"
    );
    let per_atom = A.powi(3) / lattice.atoms_per_cell() as f64;
    let expect = s.cell().volume() / per_atom;
    assert!(
        (s.len() as f64 - expect).abs() < 1e-6,
        "{} atoms vs volume/{per_atom}: {expect}",
        s.len()
    );
    let l = h.diagonal();
    for p in s.positions() {
        assert!(
            (0..3).all(|k| p[k] >= 0.0 && p[k] < l[k]),
            "{p:?} outside [0, L)"
        );
    }
    assert_bulk_coordination(&s, z, r_nn);
    assert_on_lattice(&s, lattice, dirs, A);
    s
}

#[test]
fn bcc_110_112_111_box_has_shortest_periods_and_bulk_coordination() {
    let dirs = [[1, -1, 0], [1, 1, -2], [1, 1, 1]];
    let s = check(Lattice::Bcc, dirs, [2, 1, 3], 8, A * 3f64.sqrt() / 2.0);
    let l = s.cell().matrix().diagonal();
    assert!((l.x - 2.0 * A * 2f64.sqrt()).abs() < 1e-12);
    assert!((l.y - A * 6f64.sqrt()).abs() < 1e-12);
    assert!((l.z - 3.0 * A * 3f64.sqrt() / 2.0).abs() < 1e-12);
}

#[test]
fn fcc_and_diamond_boxes_have_bulk_coordination() {
    let dirs = [[1, -1, 0], [1, 1, -2], [1, 1, 1]];
    let s = check(Lattice::Fcc, dirs, [3, 2, 3], 12, A / 2f64.sqrt());
    // [110] period in fcc is a/sqrt(2), [112] is a sqrt(6)/2, [111] is a sqrt(3).
    let l = s.cell().matrix().diagonal();
    assert!((l.x - 3.0 * A / 2f64.sqrt()).abs() < 1e-12);
    assert!((l.y - 2.0 * A * 6f64.sqrt() / 2.0).abs() < 1e-12);
    assert!((l.z - 3.0 * A * 3f64.sqrt()).abs() < 1e-12);
    check(
        Lattice::Diamond,
        [[1, 1, 0], [-1, 1, 0], [0, 0, 1]],
        [3, 3, 2],
        4,
        A * 3f64.sqrt() / 4.0,
    );
    check(
        Lattice::Sc,
        [[0, 1, 0], [0, 0, 1], [1, 0, 0]],
        [3, 3, 3],
        6,
        A,
    );
}

#[test]
fn bcc_high_index_tilt_boxes_are_complete() {
    // Sigma5 (310)[001] and Sigma3 (112)[1-10] style orientations, plus a non-primitive input.
    check(
        Lattice::Bcc,
        [[3, 1, 0], [-1, 3, 0], [0, 0, 1]],
        [1, 1, 3],
        8,
        A * 3f64.sqrt() / 2.0,
    );
    check(
        Lattice::Bcc,
        [[1, 1, 2], [1, 1, -1], [-1, 1, 0]],
        [1, 3, 2],
        8,
        A * 3f64.sqrt() / 2.0,
    );
    let doubled = oriented(
        Lattice::Bcc,
        Element::FE,
        A,
        [[2, 6, 0], [-3, 1, 0], [0, 0, 2]],
        [1, 1, 3],
    );
    let plain = oriented(
        Lattice::Bcc,
        Element::FE,
        A,
        [[1, 3, 0], [-3, 1, 0], [0, 0, 1]],
        [1, 1, 3],
    );
    assert_eq!(doubled.unwrap(), plain.unwrap());
}

#[test]
fn identity_orientation_equals_replicated_conventional_cell() {
    let id = [[1, 0, 0], [0, 1, 0], [0, 0, 1]];
    for lattice in [Lattice::Sc, Lattice::Bcc, Lattice::Fcc, Lattice::Diamond] {
        let a = oriented(lattice, Element::W, 3.165, id, [2, 3, 1]).unwrap();
        let b = conventional(lattice, Element::W, 3.165)
            .unwrap()
            .replicate(2, 3, 1)
            .unwrap();
        assert_eq!(a.len(), b.len());
        assert!((a.cell().matrix() - b.cell().matrix()).abs().max() < 1e-12);
        for (i, (p, q)) in a.positions().iter().zip(b.positions()).enumerate() {
            assert!(
                (p - q).norm() < 1e-12,
                "{lattice:?} atom {i}: {p:?} vs {q:?}"
            );
        }
    }
}

#[test]
fn orientation_rows_are_unit_directions() {
    let r = orientation([[1, -1, 0], [1, 1, -2], [1, 1, 1]]).unwrap();
    assert!((r * r.transpose() - Matrix3::identity()).abs().max() < 1e-14);
    assert!((r.determinant() - 1.0).abs() < 1e-14);
    let x = r * Vector3::new(1.0, -1.0, 0.0);
    assert!((x - Vector3::new(2f64.sqrt(), 0.0, 0.0)).norm() < 1e-14);
}

#[test]
fn oriented_rejects_bad_directions_and_lattices() {
    let ok = [[1, -1, 0], [1, 1, -2], [1, 1, 1]];
    let err = |dirs, reps, lattice| match oriented(lattice, Element::FE, A, dirs, reps) {
        Ok(s) => panic!("expected an error, got {} atoms", s.len()),
        Err(e) => e.to_string(),
    };
    let e = err([[0, 0, 0], [1, 1, -2], [1, 1, 1]], [1, 1, 1], Lattice::Bcc);
    assert!(e.contains("zero"), "{e}");
    let e = err([[1, 0, 0], [1, 1, 0], [0, 0, 1]], [1, 1, 1], Lattice::Bcc);
    assert!(e.contains("not orthogonal"), "{e}");
    let e = err(
        [[1, -1, 0], [1, 1, -2], [-1, -1, -1]],
        [1, 1, 1],
        Lattice::Bcc,
    );
    assert!(e.contains("left-handed") && e.contains("[1, 1, 1]"), "{e}");
    let e = err(ok, [1, 0, 1], Lattice::Bcc);
    assert!(e.contains("at least 1"), "{e}");
    let e = err(ok, [1, 1, 1], Lattice::Hcp { c_over_a: 1.633 });
    assert!(e.contains("cubic"), "{e}");
    let e = err(
        [[2_000_000, 0, 0], [0, 1, 0], [0, 0, 1]],
        [1, 1, 1],
        Lattice::Bcc,
    );
    assert!(e.contains("index"), "{e}");
    let e = err(
        [[10000, 9999, 0], [-9999, 10000, 0], [0, 0, 1]],
        [1, 1, 1],
        Lattice::Bcc,
    );
    assert!(e.contains("repeat unit"), "{e}");
    assert!(orientation([[1, 0, 0], [0, 1, 0], [0, 0, -1]]).is_err());
}
