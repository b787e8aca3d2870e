//! Bad input to potentials: errors that name the problem, never a panic or a NaN.

use std::sync::Arc;

use fe_potentials::eam::Zhou2004;
use fe_potentials::{from_spec, Evaluator, PotentialError, Request};
use fe_structure::build::bcc;
use fe_structure::Element;
use nalgebra::Vector3;

#[test]
fn non_finite_coordinates_are_an_error_naming_the_atom() {
    let mut s = bcc(Element::FE, 2.855).unwrap().replicate(3, 3, 3).unwrap();
    s.positions_mut()[5] = Vector3::new(f64::NAN, 0.0, 0.0);
    let mut ev = Evaluator::new(Arc::new(Zhou2004::new(&[Element::FE]).unwrap()));
    let e = ev.evaluate(&s, Request::ALL).unwrap_err();
    assert!(matches!(e, PotentialError::NonFinite { .. }), "{e}");
    assert!(e.to_string().contains("atom 5"), "{e}");
}

#[test]
fn coincident_atoms_are_an_error_not_a_nan() {
    let mut s = bcc(Element::W, 3.165).unwrap().replicate(2, 2, 2).unwrap();
    let p = s.positions()[0];
    s.positions_mut()[1] = p;
    let mut ev = Evaluator::new(Arc::new(Zhou2004::new(&[Element::W]).unwrap()));
    let e = ev.evaluate(&s, Request::ALL).unwrap_err();
    assert!(
        matches!(e, PotentialError::TooClose { i: 0, j: 1, .. }),
        "{e}"
    );
}

#[test]
fn very_close_atoms_give_finite_zhou_results() {
    // 0.3 A apart: below the 0.5 A floor where the functions freeze, still finite.
    let mut s = bcc(Element::W, 3.165).unwrap().replicate(2, 2, 2).unwrap();
    let p = s.positions()[0];
    s.positions_mut()[1] = p + Vector3::new(0.3, 0.0, 0.0);
    let mut ev = Evaluator::new(Arc::new(Zhou2004::new(&[Element::W]).unwrap()));
    let r = ev.evaluate(&s, Request::ALL).unwrap();
    assert!(r.energy.is_finite());
    assert!(r
        .forces
        .unwrap()
        .iter()
        .all(|f| f.iter().all(|x| x.is_finite())));
}

#[test]
fn specs_that_name_nothing_are_errors() {
    for spec in ["", "eam:", "lj:1", "meam:", "meam:lib.meam:", "zhou"] {
        let e = from_spec(spec, &[Element::FE]).unwrap_err();
        assert!(
            e.to_string().contains("specification") || e.to_string().contains(spec),
            "{spec}: {e}"
        );
    }
    let e = from_spec("zhou2004", &[Element::from_symbol("U").unwrap()]).unwrap_err();
    assert!(matches!(e, PotentialError::UnknownElement { .. }), "{e}");
}
