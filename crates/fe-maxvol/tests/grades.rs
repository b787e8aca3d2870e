//! Grades with a small MTP: the active set built from a training set interpolates its own
//! training set, its rows grade 1, grades are invariant under rotation, translation and
//! permutation, and bad inputs give errors.
#![allow(clippy::unwrap_used)]

mod common;

use fe_maxvol::{
    cut_neighbourhood, AlState, CutOptions, MaxVolError, RowMode, SelectOptions, Thresholds,
};
use fe_structure::{Cell, Element, Structure};
use nalgebra::{Rotation3, Unit, Vector3};

fn built(seed: u64) -> (AlState, Vec<Structure>) {
    let mtp = common::toy_mtp(6, &[Element::FE], seed);
    let train = common::training(Element::FE, 6, seed);
    let (state, report) = AlState::build(
        mtp,
        &train,
        RowMode::Neighbourhood,
        &SelectOptions::default(),
        &mut |_| {},
    )
    .unwrap();
    assert!(report.swaps > 0);
    (state, train)
}

#[test]
fn training_set_interpolates_and_active_rows_grade_one() {
    let (state, train) = built(11);
    let tol = 1e-6;
    for s in &train {
        let g = state.grade(s).unwrap();
        assert!(g.max <= 1.001 + tol, "training grade {}", g.max);
        assert_eq!(g.rows.len(), s.len());
    }
    // Every row of A: grade 1 (it is its own basis vector).
    let ga = state.active().grades(state.active().matrix()).unwrap();
    assert!(ga.iter().all(|g| (g - 1.0).abs() < 1e-9), "{ga:?}");
    // Every linked row is the site row of its configuration's atom (MTP.md 6.2 numbering).
    for (want, got) in common::linked_rows(&state) {
        assert_eq!(want, got);
    }
}

#[test]
fn grades_are_invariant_under_rotation_translation_permutation() {
    let (state, _) = built(12);
    let s = common::cell(Element::FE, 2.86, 1.03, 0.04, 0.15, 99);
    let g0 = state.grade(&s).unwrap().rows;
    assert!(
        g0.iter().any(|&g| g > 1.0),
        "want an extrapolative test structure"
    );
    // Rotation of cell and atoms by 0.7 rad about (1,1,1) plus a translation.
    let rot = Rotation3::from_axis_angle(&Unit::new_normalize(Vector3::new(1.0, 1.0, 1.0)), 0.7);
    let mut r = s.clone();
    r.deform(rot.matrix()).unwrap();
    r.translate(&Vector3::new(0.3, -1.1, 2.0));
    let g1 = state.grade(&r).unwrap().rows;
    for (a, b) in g0.iter().zip(&g1) {
        assert!((a - b).abs() < 1e-9 * a.max(1.0), "{a} vs {b}");
    }
    // Permutation: grades follow the atoms.
    let perm: Vec<usize> = (0..s.len()).rev().collect();
    let p = Structure::new(
        s.cell().clone(),
        perm.iter().map(|&i| s.species()[i]).collect(),
        perm.iter().map(|&i| s.positions()[i]).collect(),
    )
    .unwrap();
    let g2 = state.grade(&p).unwrap().rows;
    for (k, &i) in perm.iter().enumerate() {
        assert!((g2[k] - g0[i]).abs() < 1e-9 * g0[i].max(1.0));
    }
}

#[test]
fn bad_inputs_are_errors_never_nan() {
    // Empty training set.
    let mtp = common::toy_mtp(4, &[Element::FE], 1);
    let r = AlState::build(
        mtp.clone(),
        &[],
        RowMode::Neighbourhood,
        &SelectOptions::default(),
        &mut |_| {},
    );
    assert!(matches!(r, Err(MaxVolError::EmptyTrainingSet(_))));
    let empty = Structure::empty(Cell::cubic(10.0).unwrap());
    let r = AlState::build(
        mtp,
        &[empty],
        RowMode::Neighbourhood,
        &SelectOptions::default(),
        &mut |_| {},
    );
    assert!(matches!(r, Err(MaxVolError::EmptyTrainingSet(_))));
    // Two species, trained on Fe only: W atoms are not covered.
    let mtp2 = common::toy_mtp(4, &[Element::FE, Element::W], 2);
    let train = common::training(Element::FE, 3, 5);
    let (state, _) = AlState::build(
        mtp2,
        &train,
        RowMode::Neighbourhood,
        &SelectOptions::default(),
        &mut |_| {},
    )
    .unwrap();
    assert_eq!(state.covered_species(), vec![true, false]);
    let mut mixed = train[0].clone();
    mixed.species_mut()[3] = Element::W;
    assert!(matches!(
        state.grade(&mixed),
        Err(MaxVolError::UncoveredSpecies { species: 1, .. })
    ));
    // An element the potential does not know.
    let mut ni = train[0].clone();
    ni.species_mut()[0] = Element::from_symbol("Ni").unwrap();
    assert!(matches!(state.grade(&ni), Err(MaxVolError::Potential(_))));
}

#[test]
fn configuration_mode_and_thresholds() {
    let mtp = common::toy_mtp(4, &[Element::FE], 3);
    let train = common::training(Element::FE, 8, 21);
    let mode = RowMode::Configuration {
        energy_weight: 1.0,
        weight_scaling: 2,
    };
    let (state, _) =
        AlState::build(mtp, &train, mode, &SelectOptions::default(), &mut |_| {}).unwrap();
    for s in &train {
        let g = state.grade(s).unwrap();
        assert_eq!(g.rows.len(), 1);
        assert!(g.max <= 1.001 + 1e-6);
    }
    let t = Thresholds::default();
    assert_eq!(
        t.histogram(&[0.5, 1.0, 1.5, 2.0, 3.0, 10.0, 11.0]),
        [2, 2, 2, 1]
    );
}

#[test]
fn state_round_trip_is_exact() {
    let (state, train) = built(13);
    let dir = std::env::temp_dir().join(format!("fe-maxvol-state-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("state.json");
    state.save(&path).unwrap();
    let back = AlState::load(&path, None).unwrap();
    assert_eq!(back.active(), state.active());
    assert_eq!(back.mode(), state.mode());
    assert_eq!(back.mtp().model(), state.mtp().model());
    assert_eq!(back.configurations().len(), state.configurations().len());
    for (a, b) in back.configurations().iter().zip(state.configurations()) {
        assert_eq!(a.positions(), b.positions());
        assert_eq!(a.species(), b.species());
    }
    assert_eq!(
        serde_json::to_string(&back.to_json().unwrap()).unwrap(),
        serde_json::to_string(&state.to_json().unwrap()).unwrap()
    );
    assert_eq!(
        back.grade(&train[0]).unwrap(),
        state.grade(&train[0]).unwrap()
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn select_add_picks_extrapolative_candidates_within_the_limit() {
    let (mut state, train) = built(14);
    let candidates: Vec<Structure> = (0..4)
        .map(|k| common::cell(Element::FE, 2.86, 0.9 + 0.05 * k as f64, 0.1, 0.2, 300 + k))
        .collect();
    let before: Vec<f64> = candidates
        .iter()
        .map(|c| state.grade(c).unwrap().max)
        .collect();
    assert!(before.iter().any(|&g| g > 1.001));
    let mut limited = state.clone();
    let r = limited
        .select_add(
            &train,
            &candidates,
            &SelectOptions::default(),
            Some(1),
            &mut |_| {},
        )
        .unwrap();
    assert!(r.selected.len() <= 1 && !r.selected.is_empty());
    let r = state
        .select_add(
            &train,
            &candidates,
            &SelectOptions::default(),
            None,
            &mut |_| {},
        )
        .unwrap();
    assert!(!r.selected.is_empty());
    // The last pass re-selects the training set: it interpolates again.
    for s in &train {
        assert!(state.grade(s).unwrap().max <= 1.001 + 1e-6);
    }
}

#[test]
fn cut_neighbourhood_is_a_sphere_around_the_atom() {
    let s = common::cell(Element::FE, 2.86, 1.0, 0.0, 0.05, 4);
    let c = cut_neighbourhood(
        &s,
        3,
        &CutOptions {
            radius: 5.0,
            vacuum_box: None,
        },
    )
    .unwrap();
    assert_eq!(c.positions()[0], Vector3::zeros());
    assert!(!c.cell().is_periodic());
    // Brute force: count images of all atoms within 5 A of atom 3.
    let h = s.cell().matrix();
    let mut count = 0;
    for j in 0..s.len() {
        for a in -3..=3 {
            for b in -3..=3 {
                for cc in -3..=3 {
                    let shift = h.transpose() * Vector3::new(a as f64, b as f64, cc as f64);
                    let d = (s.positions()[j] + shift - s.positions()[3]).norm();
                    if d < 5.0 && d > 0.0 {
                        count += 1;
                    }
                }
            }
        }
    }
    assert_eq!(c.len(), count + 1);
    let d: Vec<f64> = c.positions().iter().map(|p| p.norm()).collect();
    assert!(d.windows(2).all(|w| w[0] <= w[1]));
    let boxed = cut_neighbourhood(
        &s,
        3,
        &CutOptions {
            radius: 5.0,
            vacuum_box: Some(4.5),
        },
    )
    .unwrap();
    assert!(boxed.cell().is_periodic());
    assert!((boxed.cell().lengths()[0] - 20.0).abs() < 1e-12);
    assert_eq!(boxed.positions()[0], Vector3::repeat(10.0));
}
