//! The symmetry detection and the symmetry-preserving relaxation (`symmetry_tolerance`).
#![allow(clippy::unwrap_used)]

use std::sync::Arc;

use fe_dynamics::minimize::{minimize, Algorithm, MinimizeOptions};
use fe_dynamics::Symmetry;
use fe_potentials::eam::Zhou2004;
use fe_potentials::Evaluator;
use fe_structure::build::{add_dumbbell, bcc, nearest_atom, rattle};
use fe_structure::Element;
use nalgebra::{Matrix3, Vector3};

/// A 4x4x4 bcc Fe cell with a dumbbell along `axis` at the site nearest the centre.
fn dumbbell(axis: [f64; 3]) -> fe_structure::Structure {
    let a = 2.8553;
    let mut s = bcc(Element::FE, a).unwrap().replicate(4, 4, 4).unwrap();
    let (i, _) = nearest_atom(&s, &Vector3::repeat(2.0 * a)).unwrap();
    add_dumbbell(&mut s, i, Vector3::from(axis), 0.7 * a).unwrap();
    s
}

#[test]
fn group_orders_are_the_crystallographic_ones() {
    // Perfect bcc: 48 rotations times the 2 x 3^3 lattice translations of the 3x3x3 cell.
    let perfect = bcc(Element::FE, 2.8553)
        .unwrap()
        .replicate(3, 3, 3)
        .unwrap();
    let g = Symmetry::detect(&perfect, 1e-5).unwrap();
    assert_eq!((g.rotations(), g.translations()), (48, 54));
    // Dumbbells: D4h, D2h, D3d.
    for (axis, order) in [
        ([1.0, 0.0, 0.0], 16),
        ([1.0, 1.0, 0.0], 8),
        ([1.0, 1.0, 1.0], 12),
    ] {
        let g = Symmetry::detect(&dumbbell(axis), 1e-5).unwrap();
        assert_eq!((g.order(), g.translations()), (order, 1), "{axis:?}");
    }
    // A rattled cell has only the identity.
    let mut s = dumbbell([1.0, 0.0, 0.0]);
    rattle(&mut s, 0.01, 3).unwrap();
    assert_eq!(Symmetry::detect(&s, 1e-5).unwrap().order(), 1);
    assert!(Symmetry::detect(&s, -1.0).is_err());
    assert!(Symmetry::detect(&s, f64::NAN).is_err());
}

#[test]
fn the_group_average_is_a_projector() {
    let s = dumbbell([1.0, 1.0, 0.0]);
    let g = Symmetry::detect(&s, 1e-5).unwrap();
    // Arbitrary vectors: projecting twice changes nothing; the sum over atoms of a projected
    // field is invariant under every rotation of the group.
    let mut f: Vec<Vector3<f64>> = (0..s.len())
        .map(|i| {
            let x = i as f64;
            Vector3::new((0.7 * x).sin(), (1.3 * x).cos(), (0.2 * x + 1.0).sin())
        })
        .collect();
    g.symmetrize_vectors(&mut f);
    let once = f.clone();
    g.symmetrize_vectors(&mut f);
    let diff = once
        .iter()
        .zip(&f)
        .map(|(a, b)| (a - b).norm())
        .fold(0.0, f64::max);
    assert!(diff < 1e-14, "{diff}");
    // The <110> dumbbell's two atoms (the last two) get opposite forces along the axis
    // ([1,1,0]) only: no component along [1,-1,0] or z.
    let n = s.len();
    let d = f[n - 2];
    assert!((d.x - d.y).abs() < 1e-14 && d.z.abs() < 1e-14, "{d:?}");
    assert!((f[n - 2] + f[n - 1]).norm() < 1e-14);
    // A tensor average keeps only the invariant part: for D2h about <110>, xx = yy.
    let w = Matrix3::new(1.0, 0.2, 0.3, 0.2, 2.0, 0.5, 0.3, 0.5, 4.0);
    let ws = g.symmetrize_tensor(&w);
    assert!((ws[(0, 0)] - 1.5).abs() < 1e-14 && ws[(0, 2)].abs() < 1e-14);
    assert!((g.symmetrize_tensor(&ws) - ws).amax() < 1e-14);
}

#[test]
fn symmetric_relaxation_keeps_the_starting_symmetry() {
    let mut s = dumbbell([1.0, 0.0, 0.0]);
    let mut ev = Evaluator::new(Arc::new(Zhou2004::new(&[Element::FE]).unwrap()));
    let opts = MinimizeOptions {
        fmax: Some(1e-4),
        symmetry_tolerance: Some(1e-5),
        ..MinimizeOptions::default()
    };
    let r = minimize(&mut s, &mut ev, Algorithm::Cg, &opts).unwrap();
    assert!(r.converged, "{:?}", r.stop);
    assert_eq!(r.symmetry_operations, 16);
    // Still D4h within 1e-9 A, and the dumbbell still along x.
    assert_eq!(Symmetry::detect(&s, 1e-9).unwrap().order(), 16);
    let n = s.len();
    let axis = s.positions()[n - 2] - s.positions()[n - 1];
    assert!(axis.y.abs() < 1e-9 && axis.z.abs() < 1e-9, "{axis:?}");
    // FIRE keeps it too.
    let mut t = dumbbell([1.0, 0.0, 0.0]);
    let r = minimize(&mut t, &mut ev, Algorithm::Fire, &opts).unwrap();
    assert!(r.converged);
    assert_eq!(Symmetry::detect(&t, 1e-9).unwrap().order(), 16);
}
