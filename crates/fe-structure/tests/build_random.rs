//! Random rotations, rigid rotation of structures and Gaussian rattles.
#![allow(clippy::unwrap_used)] // test helpers outside #[test] functions

use fe_structure::build::{bcc, random_rotation, random_rotation_seeded, rattle, RATTLE_CHUNK};
use fe_structure::{Element, Structure};
use nalgebra::{Matrix3, Rotation3, Vector3};
use rand::{Rng, SeedableRng};
use rand_pcg::Pcg64;

/// Kolmogorov-Smirnov statistic of `samples` against the rotation-angle CDF of uniform
/// rotations, F(w) = (w - sin w) / pi on [0, pi].
fn ks_rotation_angle(mut samples: Vec<f64>) -> f64 {
    samples.sort_by(f64::total_cmp);
    let n = samples.len() as f64;
    samples
        .iter()
        .enumerate()
        .map(|(i, &w)| {
            let f = (w - w.sin()) / std::f64::consts::PI;
            (f - i as f64 / n).abs().max(((i + 1) as f64 / n - f).abs())
        })
        .fold(0.0, f64::max)
}

fn angle(r: &Matrix3<f64>) -> f64 {
    ((r.trace() - 1.0) / 2.0).clamp(-1.0, 1.0).acos()
}

#[test]
fn random_rotations_are_proper_and_orthonormal() {
    let mut rng = Pcg64::seed_from_u64(1);
    for _ in 0..2000 {
        let r = random_rotation(&mut rng);
        assert!((r.transpose() * r - Matrix3::identity()).abs().max() < 1e-13);
        assert!((r.determinant() - 1.0).abs() < 1e-13);
    }
}

#[test]
fn random_rotations_are_uniform_on_so3() {
    let n = 20_000;
    let mut rng = Pcg64::seed_from_u64(2024);
    let mut mean = Matrix3::zeros();
    let mut angles = Vec::with_capacity(n);
    for _ in 0..n {
        let r = random_rotation(&mut rng);
        mean += r / n as f64;
        angles.push(angle(&r));
    }
    // Each entry of a Haar rotation has mean 0 and variance 1/3: standard error 0.004.
    assert!(mean.abs().max() < 0.02, "mean rotation {mean}");
    // KS critical value at 1 % is 1.63 / sqrt(n) = 0.0115.
    let d = ks_rotation_angle(angles);
    assert!(d < 1.63 / (n as f64).sqrt(), "KS statistic {d}");
    // The test has power: a uniform angle about a random axis is not uniform on SO(3)
    // (its KS distance is max sin(w)/pi = 0.32).
    let naive: Vec<f64> = (0..n)
        .map(|_| {
            let axis = Vector3::from_fn(|_, _| rng.gen::<f64>() - 0.5);
            let w = rng.gen::<f64>() * std::f64::consts::PI;
            angle(Rotation3::from_axis_angle(&nalgebra::Unit::new_normalize(axis), w).matrix())
        })
        .collect();
    assert!(ks_rotation_angle(naive) > 0.25);
}

#[test]
fn seeded_rotation_is_reproducible() {
    assert_eq!(random_rotation_seeded(5), random_rotation_seeded(5));
    assert_ne!(random_rotation_seeded(5), random_rotation_seeded(6));
    let mut rng = Pcg64::seed_from_u64(5);
    assert_eq!(random_rotation(&mut rng), random_rotation_seeded(5));
}

fn sample_structure() -> Structure {
    let mut s = bcc(Element::FE, 2.855).unwrap().replicate(3, 2, 2).unwrap();
    rattle(&mut s, 0.1, 3).unwrap();
    let v = (0..s.len())
        .map(|i| Vector3::new(i as f64, 1.0, -0.5 * i as f64))
        .collect();
    s.set_velocities(Some(v)).unwrap();
    s
}

#[test]
fn rotate_moves_positions_cell_and_velocities_rigidly() {
    let s0 = sample_structure();
    let r = random_rotation_seeded(11);
    let mut s = s0.clone();
    s.rotate(&r).unwrap();
    assert!((s.cell().volume() - s0.cell().volume()).abs() < 1e-9);
    for i in 0..s.len() {
        assert!((s.positions()[i] - r * s0.positions()[i]).norm() < 1e-12);
        assert!((s.velocities().unwrap()[i] - r * s0.velocities().unwrap()[i]).norm() < 1e-12);
        let f0 = s0.cell().to_fractional(&s0.positions()[i]);
        let f = s.cell().to_fractional(&s.positions()[i]);
        assert!(
            (f - f0).norm() < 1e-12,
            "fractional coordinates of atom {i} changed"
        );
    }
    for k in 0..3 {
        assert!((s.cell().vector(k) - r * s0.cell().vector(k)).norm() < 1e-12);
    }
    let d0 = s0.cell().distance(&s0.positions()[0], &s0.positions()[7]);
    let d = s.cell().distance(&s.positions()[0], &s.positions()[7]);
    assert!((d - d0).abs() < 1e-12);
    s.rotate(&r.transpose()).unwrap();
    for i in 0..s.len() {
        assert!((s.positions()[i] - s0.positions()[i]).norm() < 1e-12);
    }
}

#[test]
fn rotate_rejects_matrices_that_are_not_proper_rotations() {
    let mut s = sample_structure();
    let before = s.clone();
    for m in [
        Matrix3::identity() * 2.0,
        -Matrix3::identity(),
        Matrix3::new(1.0, 0.1, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 1.0),
        Matrix3::repeat(f64::NAN),
    ] {
        let e = s.rotate(&m).unwrap_err().to_string();
        assert!(e.contains("not a proper rotation"), "{e}");
    }
    assert_eq!(s, before);
}

// ------------------------------------------------------------------------------- rattle

fn displacements(before: &Structure, after: &Structure) -> Vec<Vector3<f64>> {
    before
        .positions()
        .iter()
        .zip(after.positions())
        .map(|(a, b)| b - a)
        .collect()
}

#[test]
fn rattle_has_the_requested_mean_and_spread() {
    let s0 = bcc(Element::FE, 2.855)
        .unwrap()
        .replicate(20, 20, 20)
        .unwrap();
    assert!(s0.len() > 3 * RATTLE_CHUNK);
    let sigma = 0.1;
    let mut s = s0.clone();
    rattle(&mut s, sigma, 77).unwrap();
    let d = displacements(&s0, &s);
    let n = (3 * d.len()) as f64;
    let all: Vec<f64> = d.iter().flat_map(|v| [v.x, v.y, v.z]).collect();
    let mean = all.iter().sum::<f64>() / n;
    let var = all.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0);
    assert!(mean.abs() < 5.0 * sigma / n.sqrt(), "mean {mean}");
    assert!(
        (var.sqrt() / sigma - 1.0).abs() < 0.02,
        "std {}",
        var.sqrt()
    );
    // Components and neighbouring streams are uncorrelated (5 standard errors).
    let corr = |a: &[f64], b: &[f64]| {
        let m = a.len() as f64;
        a.iter().zip(b).map(|(x, y)| x * y).sum::<f64>() / m / (sigma * sigma)
    };
    let xs: Vec<f64> = d.iter().map(|v| v.x).collect();
    let ys: Vec<f64> = d.iter().map(|v| v.y).collect();
    assert!(corr(&xs, &ys).abs() < 5.0 / (xs.len() as f64).sqrt());
    let c = RATTLE_CHUNK;
    let r01 = corr(&xs[..c], &xs[c..2 * c]);
    assert!(
        r01.abs() < 5.0 / (c as f64).sqrt(),
        "streams 0 and 1 correlate: {r01}"
    );
}

#[test]
fn rattle_is_reproducible_and_seed_dependent() {
    let s0 = bcc(Element::W, 3.165).unwrap().replicate(4, 4, 4).unwrap();
    let (mut a, mut b, mut c) = (s0.clone(), s0.clone(), s0.clone());
    rattle(&mut a, 0.05, 9).unwrap();
    rattle(&mut b, 0.05, 9).unwrap();
    rattle(&mut c, 0.05, 10).unwrap();
    assert_eq!(a, b);
    assert!(displacements(&a, &c).iter().all(|v| v.norm() > 0.0));
    let mut z = s0.clone();
    rattle(&mut z, 0.0, 9).unwrap();
    assert_eq!(z, s0);
}

#[test]
fn rattle_leaves_fixed_atoms_and_does_not_depend_on_later_atoms() {
    let s0 = bcc(Element::FE, 2.855)
        .unwrap()
        .replicate(14, 14, 14)
        .unwrap();
    let n = s0.len();
    let mut free = s0.clone();
    rattle(&mut free, 0.1, 5).unwrap();
    let mut pinned = s0.clone();
    let mask: Vec<bool> = (0..n).map(|i| i % 3 == 0).collect();
    pinned.set_fixed(Some(mask.clone())).unwrap();
    rattle(&mut pinned, 0.1, 5).unwrap();
    for (i, &fixed) in mask.iter().enumerate() {
        if fixed {
            assert_eq!(
                pinned.positions()[i],
                s0.positions()[i],
                "fixed atom {i} moved"
            );
        } else {
            assert_eq!(pinned.positions()[i], free.positions()[i], "atom {i}");
        }
    }
    // A prefix that ends inside a chunk draws the same numbers.
    let k = RATTLE_CHUNK + 123;
    let mut prefix = s0.clone();
    prefix
        .retain(&(0..n).map(|i| i < k).collect::<Vec<_>>())
        .unwrap();
    rattle(&mut prefix, 0.1, 5).unwrap();
    assert_eq!(prefix.positions(), &free.positions()[..k]);
}

#[test]
fn rattle_rejects_bad_sigma() {
    let mut s = bcc(Element::FE, 2.855).unwrap();
    for sigma in [-0.1, f64::NAN, f64::INFINITY] {
        let e = rattle(&mut s, sigma, 1).unwrap_err().to_string();
        assert!(e.contains("sigma"), "{e}");
    }
}
