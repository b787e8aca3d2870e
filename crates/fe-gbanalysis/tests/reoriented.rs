//! The reoriented-fraction diagnostic on structures with known answers: a built polycrystal
//! and a perfect rotated crystal keep every orientation, a rattle of 0.05 A changes nothing,
//! and a region rotated by 30 degrees away from its seed orientation loses all of it.

#![allow(clippy::unwrap_used)] // test helpers outside #[test] functions

use fe_gbanalysis::{
    built_grains, facet_distances, reoriented_fraction, Grains, ReorientedOptions,
    DEFAULT_AMBIGUITY_MARGIN,
};
use fe_structure::build::{bcc, random_rotation_seeded, rattle};
use fe_structure::{Cell, Element, Structure};
use fe_voronoi::polycrystal::{random_rotations, random_seeds};
use fe_voronoi::{build_polycrystal, Polycrystal, PolycrystalSpec};
use nalgebra::{Matrix3, Rotation3, Vector3};

const A: f64 = 2.8553;

/// A built, unrelaxed 4-grain polycrystal of side 10 a and its facet distances.
fn polycrystal() -> (Polycrystal, Vec<f64>) {
    let cell = Cell::cubic(10.0 * A).unwrap();
    let spec = PolycrystalSpec {
        a: A,
        ..PolycrystalSpec::default()
    };
    let seeds = random_seeds(&cell, 4, 2, spec.min_seed_distance).unwrap();
    let p = build_polycrystal(&cell, &seeds, &random_rotations(4, 2), &spec, &|_| {}).unwrap();
    let grains = Grains::from_tessellation(p.tessellation.clone(), p.rotations.clone()).unwrap();
    let facets = grains.facets_in(p.structure.cell()).unwrap();
    let d = facet_distances(
        p.structure.positions(),
        p.structure.cell(),
        &facets,
        DEFAULT_AMBIGUITY_MARGIN,
    )
    .unwrap()
    .distance;
    (p, d)
}

/// A periodic 5x5x5 bcc crystal rotated rigidly by `r` (cell included).
fn rotated_crystal(r: &Matrix3<f64>) -> Structure {
    let mut s = bcc(Element::FE, A).unwrap().replicate(5, 5, 5).unwrap();
    s.rotate(r).unwrap();
    s
}

#[test]
fn a_built_polycrystal_keeps_every_orientation_away_from_the_facets() {
    let (p, d) = polycrystal();
    let g = built_grains(&p.structure).unwrap();
    let options = ReorientedOptions::bcc(A);
    let r = reoriented_fraction(&p.structure, &g, &p.rotations, &d, &options).unwrap();
    assert!(r.considered > 150, "{r:?}");
    assert_eq!(r.lost, 0, "{r:?}");
    assert_eq!(r.fraction, 0.0);
    // Atoms at the facets are not bulk-like: without the distance limit some are lost.
    let near = ReorientedOptions {
        min_distance: -1.0,
        ..options
    };
    let all = reoriented_fraction(&p.structure, &g, &p.rotations, &d, &near).unwrap();
    assert_eq!(all.considered, p.structure.len());
    assert!(all.lost > 0);
}

#[test]
fn a_rotated_crystal_keeps_its_orientation_also_after_a_rattle() {
    let r = random_rotation_seeded(11);
    let mut s = rotated_crystal(&r);
    let n = s.len();
    let far = vec![f64::INFINITY; n];
    let options = ReorientedOptions::bcc(A);
    let out = reoriented_fraction(&s, &vec![0; n], &[r], &far, &options).unwrap();
    assert_eq!((out.considered, out.lost), (n, 0));
    rattle(&mut s, 0.05, 3).unwrap();
    let out = reoriented_fraction(&s, &vec![0; n], &[r], &far, &options).unwrap();
    assert_eq!((out.considered, out.lost), (n, 0), "{out:?}");
}

#[test]
fn a_region_rotated_by_30_degrees_loses_its_orientation() {
    // A whole crystal whose seed orientation is off by 30 degrees about a cube axis.
    let r = random_rotation_seeded(5);
    let s = rotated_crystal(&r);
    let n = s.len();
    let about_cube_axis =
        *Rotation3::from_axis_angle(&Vector3::z_axis(), 30f64.to_radians()).matrix();
    let seed_orientation = r * about_cube_axis;
    let out = reoriented_fraction(
        &s,
        &vec![0; n],
        &[seed_orientation],
        &vec![f64::INFINITY; n],
        &ReorientedOptions::bcc(A),
    )
    .unwrap();
    assert_eq!(out.lost, n, "{out:?}");
    // One grain of a polycrystal whose orientation is off by 30 degrees about a generic
    // axis: all of its atoms away from the facets are lost, none of the others.
    let (p, d) = polycrystal();
    let g = built_grains(&p.structure).unwrap();
    let mut seeds_orientation = p.rotations.clone();
    let axis = nalgebra::Unit::new_normalize(Vector3::new(1.0, 2.0, 3.0));
    seeds_orientation[1] =
        p.rotations[1] * Rotation3::from_axis_angle(&axis, 30f64.to_radians()).matrix();
    let out = reoriented_fraction(
        &p.structure,
        &g,
        &seeds_orientation,
        &d,
        &ReorientedOptions::bcc(A),
    )
    .unwrap();
    let (n1, lost1) = out.per_grain[1];
    assert!(n1 > 20, "{out:?}");
    assert!(lost1 as f64 >= 0.99 * n1 as f64, "{out:?}");
    assert_eq!(out.lost, lost1, "{out:?}");
}

#[test]
fn bad_inputs_are_errors() {
    let s = rotated_crystal(&Matrix3::identity());
    let n = s.len();
    let far = vec![f64::INFINITY; n];
    let o = ReorientedOptions::bcc(A);
    let id = [Matrix3::identity()];
    assert!(reoriented_fraction(&s, &vec![0; n - 1], &id, &far, &o).is_err());
    assert!(reoriented_fraction(&s, &vec![1; n], &id, &far, &o).is_err());
    assert!(reoriented_fraction(&s, &vec![0; n], &id, &far[1..], &o).is_err());
    let bad = ReorientedOptions { a0: 0.0, ..o };
    assert!(reoriented_fraction(&s, &vec![0; n], &id, &far, &bad).is_err());
    assert!(built_grains(&s).is_err());
}
