use approx::assert_relative_eq;
use nalgebra::{Matrix3, Vector3};

use super::*;

fn two_atoms() -> Structure {
    Structure::new(
        Cell::cubic(3.0).unwrap(),
        vec![Element::FE, Element::W],
        vec![Vector3::zeros(), Vector3::repeat(1.5)],
    )
    .unwrap()
}

#[test]
fn structure_rejects_mismatched_and_non_finite_input() {
    let cell = Cell::cubic(3.0).unwrap();
    assert!(Structure::new(cell.clone(), vec![Element::FE], vec![]).is_err());
    assert!(matches!(
        Structure::new(
            cell,
            vec![Element::FE],
            vec![Vector3::new(f64::NAN, 0.0, 0.0)]
        ),
        Err(StructureError::NonFinite { .. })
    ));
    let mut s = two_atoms();
    assert!(s.set_velocities(Some(vec![Vector3::zeros()])).is_err());
    assert!(s.set_masses(Some(vec![1.0, -1.0])).is_err());
    assert!(s.set_fixed(Some(vec![true])).is_err());
    assert!(s.set_property("q", Property::scalar(vec![1.0])).is_err());
    assert!(s
        .set_property("species", Property::scalar(vec![1.0, 2.0]))
        .is_err());
}

#[test]
fn structure_push_and_remove_keep_per_atom_arrays_in_step() {
    let mut s = two_atoms();
    s.set_velocities(Some(vec![Vector3::x(), Vector3::y()]))
        .unwrap();
    s.set_fixed(Some(vec![true, false])).unwrap();
    s.set_property("q", Property::scalar(vec![1.0, 2.0]))
        .unwrap();
    s.set_property(
        "tag",
        Property::Str {
            values: vec!["a".into(), "b".into()],
        },
    )
    .unwrap();
    s.push(Element::FE, Vector3::new(1.0, 0.0, 0.0)).unwrap();
    assert_eq!(s.len(), 3);
    assert_eq!(s.velocities().unwrap()[2], Vector3::zeros());
    s.remove(&[0]).unwrap();
    assert_eq!(s.species(), &[Element::W, Element::FE]);
    assert_eq!(s.velocities().unwrap()[0], Vector3::y());
    assert_eq!(s.fixed().unwrap(), &[false, false]);
    assert_eq!(s.property("q").unwrap().as_real().unwrap(), &[2.0, 0.0]);
    assert_eq!(
        s.property("tag").unwrap(),
        &Property::Str {
            values: vec!["b".into(), String::new()]
        }
    );
    assert!(s.remove(&[5]).is_err());
}

#[test]
fn structure_masses_default_to_element_table() {
    let mut s = two_atoms();
    assert_relative_eq!(s.mass(1), 183.84);
    assert_relative_eq!(s.total_mass(), 55.845 + 183.84);
    s.set_masses(Some(vec![1.0, 2.0])).unwrap();
    assert_relative_eq!(s.total_mass(), 3.0);
}

#[test]
fn structure_deform_keeps_fractional_coordinates() {
    let mut s = two_atoms();
    let f = Matrix3::new(1.1, 0.1, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.9);
    let before: Vec<_> = s
        .positions()
        .iter()
        .map(|r| s.cell().to_fractional(r))
        .collect();
    s.deform(&f).unwrap();
    for (r, sb) in s.positions().iter().zip(&before) {
        assert_relative_eq!(s.cell().to_fractional(r), *sb, epsilon = 1e-12);
    }
    let mut t = two_atoms();
    t.set_cell_scaling_atoms(s.cell().clone());
    assert_relative_eq!(t.positions()[1], s.positions()[1], epsilon = 1e-12);
}

#[test]
fn structure_gather_repeats_atoms_with_their_data() {
    let mut s = two_atoms();
    s.set_property("q", Property::scalar(vec![1.0, 2.0]))
        .unwrap();
    let g = s.gather(&[1, 1, 0], vec![Vector3::zeros(); 3]).unwrap();
    assert_eq!(g.species(), &[Element::W, Element::W, Element::FE]);
    assert_eq!(
        g.property("q").unwrap().as_real().unwrap(),
        &[2.0, 2.0, 1.0]
    );
}
