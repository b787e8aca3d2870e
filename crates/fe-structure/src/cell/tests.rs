use approx::assert_relative_eq;
use nalgebra::{Matrix3, Vector3};
use rand::{Rng, SeedableRng};
use rand_pcg::Pcg64;

use super::*;

fn random_cell(rng: &mut Pcg64, shear: f64) -> Cell {
    let mut h = Matrix3::from_diagonal(&Vector3::new(
        rng.gen_range(3.0..8.0),
        rng.gen_range(3.0..8.0),
        rng.gen_range(3.0..8.0),
    ));
    for (i, j) in [(1, 0), (2, 0), (2, 1), (0, 1), (0, 2), (1, 2)] {
        h[(i, j)] = rng.gen_range(-shear..shear);
    }
    Cell::new(h, [true; 3]).unwrap()
}

/// Shortest image by brute force: every lattice translation t with |d + t| <= bound, found by
/// bounding each fractional coordinate with the reciprocal-vector norms
/// (|s_a| <= |v| |a*_a| for any vector v).
fn brute_min_image(cell: &Cell, d: &Vector3<f64>, bound: f64) -> f64 {
    let recip = cell.reciprocal();
    let s = cell.to_fractional(d);
    let range = |a: usize| {
        let w = bound * recip.row(a).norm() + 1.0;
        ((-s[a] - w).floor() as i64, (-s[a] + w).ceil() as i64)
    };
    let (r0, r1, r2) = (range(0), range(1), range(2));
    let mut best = f64::INFINITY;
    for i in r0.0..=r0.1 {
        for j in r1.0..=r1.1 {
            for k in r2.0..=r2.1 {
                let t = cell.to_cartesian(&Vector3::new(i as f64, j as f64, k as f64));
                best = best.min((d + t).norm());
            }
        }
    }
    best
}

#[test]
fn cell_rejects_singular_and_non_finite_matrices() {
    assert!(matches!(
        Cell::new(Matrix3::zeros(), [true; 3]),
        Err(StructureError::SingularCell { .. })
    ));
    let mut h = Matrix3::identity();
    h[(1, 1)] = f64::NAN;
    assert!(matches!(
        Cell::new(h, [true; 3]),
        Err(StructureError::NonFinite { .. })
    ));
}

#[test]
fn cell_fractional_cartesian_round_trip_on_triclinic_cell() {
    let mut rng = Pcg64::seed_from_u64(1);
    let cell = random_cell(&mut rng, 4.0);
    let r = Vector3::new(1.3, -2.1, 7.7);
    let s = cell.to_fractional(&r);
    assert_relative_eq!(cell.to_cartesian(&s), r, epsilon = 1e-12);
    // a row of H is fractional (1, 0, 0)
    assert_relative_eq!(
        cell.to_fractional(&cell.vector(0)),
        Vector3::x(),
        epsilon = 1e-12
    );
    let recip = cell.reciprocal();
    assert_relative_eq!(
        cell.matrix() * recip.transpose(),
        Matrix3::identity(),
        epsilon = 1e-12
    );
}

#[test]
fn cell_volume_widths_lengths_of_orthorhombic_box() {
    let cell = Cell::orthorhombic(2.0, 3.0, 4.0).unwrap();
    assert_relative_eq!(cell.volume(), 24.0);
    assert_eq!(cell.perpendicular_widths(), [2.0, 3.0, 4.0]);
    assert_eq!(cell.lengths(), [2.0, 3.0, 4.0]);
    assert_relative_eq!(cell.angles_deg()[2], 90.0);
}

#[test]
fn cell_left_handed_is_kept_with_positive_volume_but_refused_by_lammps() {
    let h = Matrix3::new(0.0, 3.0, 0.0, 3.0, 0.0, 0.0, 0.0, 0.0, 3.0);
    let cell = Cell::new(h, [true; 3]).unwrap();
    assert_relative_eq!(cell.volume(), 27.0);
    assert!(cell.signed_volume() < 0.0);
    assert!(cell.to_lammps().is_err());
}

#[test]
fn cell_wrap_puts_periodic_fractions_in_unit_interval_and_leaves_open_axes() {
    let cell = Cell::new(
        Matrix3::new(4.0, 0.0, 0.0, 1.5, 4.0, 0.0, 0.7, -0.9, 5.0),
        [true, true, false],
    )
    .unwrap();
    for r in [
        Vector3::new(-7.3, 9.1, 12.0),
        Vector3::new(-1e-17, 0.0, -3.0),
        Vector3::new(100.0, -100.0, 0.5),
    ] {
        let w = cell.wrap(&r);
        let s = cell.to_fractional(&w);
        let s0 = cell.to_fractional(&r);
        assert!(
            (0.0..1.0).contains(&s[0]) && (0.0..1.0).contains(&s[1]),
            "{s:?}"
        );
        assert_relative_eq!(s[2], s0[2], epsilon = 1e-12);
        // moved by whole lattice vectors only
        let ds = s - s0;
        assert_relative_eq!(ds[0], ds[0].round(), epsilon = 1e-9);
        assert_relative_eq!(ds[1], ds[1].round(), epsilon = 1e-9);
    }
}

#[test]
fn cell_minimum_image_matches_brute_force_on_strongly_sheared_cells() {
    let mut rng = Pcg64::seed_from_u64(7);
    for trial in 0..200 {
        // tilts up to 3 box lengths: far from the reduced form
        let cell = random_cell(&mut rng, if trial % 2 == 0 { 20.0 } else { 3.0 });
        for _ in 0..10 {
            let d = Vector3::new(
                rng.gen_range(-30.0..30.0),
                rng.gen_range(-30.0..30.0),
                rng.gen_range(-30.0..30.0),
            );
            let mi = cell.minimum_image(&d);
            let brute = brute_min_image(&cell, &d, mi.norm() + 1e-6);
            assert_relative_eq!(mi.norm(), brute, epsilon = 1e-9);
            // equivalent to d
            let ds = cell.to_fractional(&(mi - d));
            for a in 0..3 {
                assert_relative_eq!(ds[a], ds[a].round(), epsilon = 1e-8);
            }
        }
    }
}

#[test]
fn cell_minimum_image_ignores_open_axes() {
    let cell = Cell::orthorhombic(4.0, 4.0, 4.0)
        .unwrap()
        .with_pbc([true, false, true]);
    let d = Vector3::new(3.0, 3.0, -3.5);
    assert_relative_eq!(
        cell.minimum_image(&d),
        Vector3::new(-1.0, 3.0, 0.5),
        epsilon = 1e-12
    );
}

#[test]
fn cell_lammps_form_round_trip_keeps_distances() {
    let mut rng = Pcg64::seed_from_u64(3);
    for _ in 0..50 {
        let mut cell = random_cell(&mut rng, 3.0);
        if cell.signed_volume() < 0.0 {
            cell = Cell::new(-cell.matrix(), [true; 3]).unwrap();
        }
        let (lbox, rot) = cell.to_lammps().unwrap();
        assert_relative_eq!(rot * rot.transpose(), Matrix3::identity(), epsilon = 1e-12);
        assert_relative_eq!(rot.determinant(), 1.0, epsilon = 1e-12);
        // rotated rows equal the restricted rows
        let rotated = cell.matrix() * rot.transpose();
        assert_relative_eq!(rotated, lbox.matrix(), epsilon = 1e-10);
        assert!(lbox.lengths.iter().all(|&l| l > 0.0));
        let back = Cell::from_lammps(&lbox, [true; 3]).unwrap();
        assert_relative_eq!(back.volume(), cell.volume(), max_relative = 1e-12);
    }
}

#[test]
fn cell_lammps_form_of_restricted_cell_is_exact() {
    let h = Matrix3::new(
        14.41775, 0.0, 0.0, 3.74005, 14.13225, 0.0, 2.041325, 0.77085, 12.8475,
    );
    let cell = Cell::new(h, [true; 3]).unwrap();
    let (lbox, rot) = cell.to_lammps().unwrap();
    assert_eq!(rot, Matrix3::identity());
    assert_eq!(lbox.matrix(), h);
}

#[test]
fn lammps_dump_bounds_round_trip() {
    let lbox = LammpsBox {
        lo: Vector3::new(-1.0, 2.0, 0.5),
        lengths: Vector3::new(10.0, 11.0, 12.0),
        xy: -2.5,
        xz: 1.5,
        yz: -0.75,
    };
    let (lo, hi) = lbox.dump_bounds();
    let back = LammpsBox::from_dump_bounds(lo, hi, lbox.xy, lbox.xz, lbox.yz);
    assert_relative_eq!(back.lo, lbox.lo, epsilon = 1e-12);
    assert_relative_eq!(back.lengths, lbox.lengths, epsilon = 1e-12);
}

#[test]
fn cell_deformation_round_trip() {
    let mut rng = Pcg64::seed_from_u64(5);
    let cell = random_cell(&mut rng, 2.0);
    let f = Matrix3::new(1.01, 0.02, 0.0, -0.01, 0.99, 0.03, 0.0, 0.0, 1.05);
    let other = cell.deformed(&f).unwrap();
    assert_relative_eq!(cell.deformation_to(&other), f, epsilon = 1e-12);
    assert_relative_eq!(
        other.volume(),
        cell.volume() * f.determinant(),
        max_relative = 1e-12
    );
}

#[test]
fn cell_enclosing_box_is_open_and_contains_points() {
    let pts = vec![Vector3::new(1.0, -2.0, 0.0), Vector3::new(3.0, 4.0, 5.0)];
    let cell = Cell::enclosing(&pts, 2.0).unwrap();
    assert!(!cell.is_periodic());
    assert_relative_eq!(cell.lengths()[1], 6.0);
}
