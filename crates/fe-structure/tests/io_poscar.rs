//! VASP POSCAR: files written by ASE 3.29 and round trips through files.

// Test code: a failed unwrap is a failed test (helpers are outside `#[test]` functions).
#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};

use fe_structure::io::poscar::{self, Coordinates, SELECTIVE_DYNAMICS};
use fe_structure::io::{self, ReadOptions, WriteOptions};
use fe_structure::{Cell, Element, InfoValue, Property, Structure};
use nalgebra::{Matrix3, Vector3};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn temp_path(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("fe-io-poscar-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

fn close(a: f64, b: f64, tol: f64) -> bool {
    (a - b).abs() <= tol
}

#[test]
fn poscar_reads_ase_selective_dynamics_direct_file_with_velocities() {
    let s = io::read_one(&fixture("good/ase_selective.vasp"), &ReadOptions::default()).unwrap();
    assert_eq!(
        s.species(),
        &[Element::FE, Element::W, Element::FE, Element::FE]
    );
    let h = Matrix3::new(5.71, 0.0, 0.0, 0.4, 2.855, 0.0, 0.0, 0.0, 2.855);
    assert_eq!(s.cell().matrix(), &h);
    // numbers printed by tests/scripts/make_ase_fixtures.py; ASE writes 16 decimals
    let p2 = [
        2.830498883471646,
        0.0015228046075401618,
        0.027176468434830754,
    ];
    assert!((0..3).all(|a| close(s.positions()[2][a], p2[a], 1e-14)));
    assert_eq!(s.fixed(), Some(&[true, false, false, false][..]));
    let flags = s.property(SELECTIVE_DYNAMICS).unwrap();
    let want = [
        false, false, false, true, true, true, true, false, true, true, true, true,
    ];
    assert_eq!(
        flags,
        &Property::Bool {
            components: 3,
            values: want.to_vec()
        }
    );
    let v1 = [-1.1780248848571768, 0.07319501720094497, 0.5664645768078638];
    let v = s.velocities().unwrap();
    assert!((0..3).all(|a| close(v[1][a], v1[a], 1e-12)));
    assert_eq!(s.info()["comment"], InfoValue::Str("Fe W  Fe".into()));
}

#[test]
fn poscar_reads_ase_vasp4_file_with_types() {
    let path = fixture("good/POSCAR_ase_vasp4");
    let opts = ReadOptions {
        types: Some(vec![Element::FE]),
        ..ReadOptions::default()
    };
    let s = io::read_one(&path, &opts).unwrap();
    assert_eq!(s.species(), &[Element::FE, Element::FE]);
    assert_eq!(s.positions()[1], Vector3::repeat(1.4275));
    let e = io::read_one(&path, &ReadOptions::default())
        .unwrap_err()
        .to_string();
    assert!(e.ends_with("POSCAR_ase_vasp4:6: this VASP 4 POSCAR has no element line: pass the elements in ReadOptions::types"), "{e}");
}

/// Interleaved species, a triclinic cell, a fixed atom, per-axis flags and velocities.
fn sample() -> Structure {
    let h = Matrix3::new(8.5, 0.0, 0.0, 1.0 / 3.0, 8.25, 0.0, -0.7, 0.1, 9.0);
    let cell = Cell::new(h, [true; 3]).unwrap();
    let species = vec![
        Element::W,
        Element::FE,
        Element::FE,
        Element::W,
        Element::FE,
    ];
    let pos = vec![
        Vector3::new(0.1, 0.2, 0.3),
        Vector3::new(4.0, 4.1, 4.2),
        Vector3::new(-1.0, 9.5, 0.7),
        Vector3::new(1e-9, 2.0 / 3.0, 8.999),
        Vector3::new(7.0, 1.0, 3.0),
    ];
    let mut s = Structure::new(cell, species, pos).unwrap();
    s.set_fixed(Some(vec![false, true, false, false, false]))
        .unwrap();
    let flags = vec![
        true, true, true, false, false, false, true, false, true, true, true, true, false, true,
        true,
    ];
    s.set_property(
        SELECTIVE_DYNAMICS,
        Property::Bool {
            components: 3,
            values: flags,
        },
    )
    .unwrap();
    s.set_velocities(Some(vec![Vector3::new(1.25, -3.5, 0.0); 5]))
        .unwrap();
    s.info_mut()
        .insert("comment".into(), InfoValue::Str("W/Fe sample".into()));
    s
}

#[test]
fn poscar_round_trip_through_a_file_keeps_order_flags_and_velocities() {
    let s = sample();
    let path = temp_path("POSCAR");
    io::write_path(&path, std::slice::from_ref(&s), &WriteOptions::default()).unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(
        text.contains("\n    W   Fe    W   Fe\n    1    2    1    1\nSelective dynamics\nDirect\n"),
        "{text}"
    );
    let back = io::read_one(&path, &ReadOptions::default()).unwrap();
    assert_eq!(back.species(), s.species());
    assert_eq!(back.cell(), s.cell());
    assert_eq!(back.fixed(), s.fixed());
    assert_eq!(back.properties(), s.properties());
    assert_eq!(back.info(), s.info());
    // direct coordinates: the position comes back within a few units in the last place
    for (a, b) in back.positions().iter().zip(s.positions()) {
        assert!((a - b).norm() <= 1e-14, "{a} vs {b}");
    }
    for (a, b) in back
        .velocities()
        .unwrap()
        .iter()
        .zip(s.velocities().unwrap())
    {
        assert!(
            (a - b).norm() <= 2.0 * f64::EPSILON * b.norm(),
            "{a} vs {b}"
        );
    }
    let _ = std::fs::remove_file(&path);
}

#[test]
fn poscar_cartesian_round_trip_is_exact() {
    let mut s = sample();
    s.set_velocities(None).unwrap();
    let mut buf = Vec::new();
    poscar::write_with(&mut buf, "P", &s, Coordinates::Cartesian).unwrap();
    let back = poscar::read(buf.as_slice(), "P", &ReadOptions::default()).unwrap();
    assert_eq!(back, vec![s]);
}

#[test]
fn poscar_writes_fixed_atoms_without_flags_property_as_selective_dynamics() {
    let mut s = sample();
    s.remove_property(SELECTIVE_DYNAMICS).unwrap();
    s.info_mut().clear();
    let mut buf = Vec::new();
    poscar::write(&mut buf, "P", &s, &WriteOptions::default()).unwrap();
    let text = String::from_utf8(buf).unwrap();
    // without a comment the symbols are the first line
    assert!(text.starts_with("W Fe W Fe\n1.0\n"), "{text}");
    let rows: Vec<&str> = text.lines().skip(9).take(2).collect();
    assert!(
        rows[0].ends_with(" T T T") && rows[1].ends_with(" F F F"),
        "{rows:?}"
    );
    let back = &poscar::read(text.as_bytes(), "P", &ReadOptions::default()).unwrap()[0];
    assert_eq!(back.fixed(), s.fixed());
}
