//! LAMMPS data files: exact round trips, the reading rules, and files LAMMPS wrote.

// Helpers outside #[test] functions unwrap too: this whole file is test code.
#![allow(clippy::unwrap_used)]

use std::path::PathBuf;

use fe_structure::io::{self, lammps_data, Format, ReadOptions, WriteOptions};
use fe_structure::{Cell, Element, Property, Structure};
use nalgebra::{Matrix3, Vector3};

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn read_str(text: &str, opts: &ReadOptions) -> fe_structure::Result<Structure> {
    let mut frames = lammps_data::read(text.as_bytes(), "t.data", opts)?;
    assert_eq!(frames.len(), 1);
    Ok(frames.remove(0))
}

fn write_string(s: &Structure, opts: &WriteOptions) -> String {
    let mut out = Vec::new();
    lammps_data::write(&mut out, "t.data", s, opts).unwrap();
    String::from_utf8(out).unwrap()
}

/// Fe and W atoms in a restricted-triclinic cell, some outside it, with awkward numbers.
fn sample(h: Matrix3<f64>) -> Structure {
    let cell = Cell::new(h, [true; 3]).unwrap();
    let species = vec![
        Element::W,
        Element::FE,
        Element::FE,
        Element::W,
        Element::FE,
    ];
    let positions = vec![
        Vector3::new(0.1, 0.2, 0.3),
        Vector3::new(1.0 / 3.0, 2.0f64.sqrt(), -1e-20),
        Vector3::new(-0.7, 9.25, 3.0e-7),
        Vector3::new(12.5, -3.0, 7.123456789012345),
        Vector3::new(2.855, 2.855, 2.855),
    ];
    Structure::new(cell, species, positions).unwrap()
}

fn tilted() -> Matrix3<f64> {
    Matrix3::new(5.71, 0.0, 0.0, 1.2, 6.1, 0.0, -0.4, 0.9, 7.3)
}

#[test]
fn lammps_data_round_trip_is_exact_for_triclinic_cell_with_velocities_and_masses() {
    let mut s = sample(tilted());
    let v: Vec<Vector3<f64>> = (0..5)
        .map(|i| Vector3::new(i as f64 * 0.1, -1.5, 1e-9))
        .collect();
    s.set_velocities(Some(v)).unwrap();
    // W keeps its standard mass, Fe gets an isotope mass.
    let m = s
        .species()
        .iter()
        .map(|e| if *e == Element::FE { 56.935 } else { e.mass() });
    s.set_masses(Some(m.collect())).unwrap();
    let text = write_string(&s, &WriteOptions::default());
    assert!(text.contains("1.2 -0.4 0.9 xy xz yz"), "{text}");
    assert!(
        text.contains("1 56.935 # Fe") && text.contains("2 183.84 # W"),
        "{text}"
    );
    let back = read_str(&text, &ReadOptions::default()).unwrap();
    assert_eq!(back.cell().matrix(), s.cell().matrix());
    assert_eq!(back.cell().pbc(), [true; 3]);
    assert_eq!(back.species(), s.species());
    assert_eq!(back.positions(), s.positions());
    assert_eq!(back.velocities(), s.velocities());
    assert_eq!(back.masses(), s.masses());
}

#[test]
fn lammps_data_round_trip_of_orthorhombic_cell_keeps_standard_masses_implicit() {
    let s = sample(Matrix3::from_diagonal(&Vector3::new(5.71, 6.1, 7.3)));
    let text = write_string(&s, &WriteOptions::default());
    assert!(
        !text.contains("xy xz yz") && !text.contains("Velocities"),
        "{text}"
    );
    let back = read_str(&text, &ReadOptions::default()).unwrap();
    assert_eq!(back.positions(), s.positions());
    assert_eq!(back.cell().matrix(), s.cell().matrix());
    assert!(back.masses().is_none() && back.velocities().is_none());
}

#[test]
fn lammps_data_writer_follows_the_type_order_and_rejects_mixed_masses_per_type() {
    let s = sample(tilted());
    let opts = WriteOptions {
        types: Some(vec![Element::W, Element::FE]),
    };
    let text = write_string(&s, &opts);
    assert!(text.contains("\n1 183.84 # W\n2 55.845 # Fe\n"), "{text}");
    assert!(text.contains("\n1 1 0.1 0.2 0.3\n2 2 "), "{text}");
    let mut s2 = s.clone();
    s2.set_masses(Some(vec![183.84, 55.845, 56.0, 183.84, 55.845]))
        .unwrap();
    let mut out = Vec::new();
    let e = lammps_data::write(&mut out, "t.data", &s2, &opts)
        .unwrap_err()
        .to_string();
    assert!(e.contains("different masses"), "{e}");
}

#[test]
fn lammps_data_general_cell_is_rotated_into_lammps_form_keeping_the_geometry() {
    // A rotated, right-handed cell: the writer must rotate atoms and velocities with it.
    let rot = nalgebra::Rotation3::from_euler_angles(0.3, -0.5, 1.1);
    let h = tilted() * rot.matrix().transpose();
    let mut s = sample(h);
    let r0: Vec<Vector3<f64>> = s.positions().iter().map(|p| rot * p).collect();
    s.positions_mut().copy_from_slice(&r0);
    s.set_velocities(Some(r0.iter().map(|p| p * 0.5).collect()))
        .unwrap();
    let back = read_str(
        &write_string(&s, &WriteOptions::default()),
        &Default::default(),
    )
    .unwrap();
    assert!((back.cell().matrix() - tilted()).abs().max() < 1e-12);
    for (i, p) in back.positions().iter().enumerate() {
        let expected = rot.inverse() * s.positions()[i];
        assert!((p - expected).norm() < 1e-12, "atom {i}: {p} vs {expected}");
        let v = back.velocities().unwrap()[i];
        assert!((v - expected * 0.5).norm() < 1e-12);
    }
    let left = Cell::new(-tilted(), [true; 3]).unwrap();
    let mut bad = s.clone();
    bad.set_cell(left);
    let mut out = Vec::new();
    assert!(lammps_data::write(&mut out, "t.data", &bad, &Default::default()).is_err());
}

const SHUFFLED: &str = "\
title line, ignored
# a comment line
    3 atoms  # count
  2 atom types
 0 bond types
 -1.0 4.0 xlo xhi
 0 5 ylo yhi
 0 6 zlo zhi
 0.5 0 0 xy xz yz

Pair Coeffs # eam

1 1.0 2.0
2 1.0 2.0

Masses

1 55.845 # Fe
2 183.84

Atoms # atomic

7 2 1.0 2.0 3.0 1 -1 2
2 1 0.5 0.5 0.5 0 0 0
5 1 -1.0 0.0 6.0 0 0 -1

Velocities

5 0.3 0.2 0.1
2 1 2 3
7 -1 -2 -3
";

#[test]
fn lammps_data_reader_sorts_by_id_unwraps_image_flags_and_skips_other_sections() {
    let s = read_str(SHUFFLED, &ReadOptions::default()).unwrap();
    // Atom order: ids 2, 5, 7. Type 2 has no comment: W from its mass.
    assert_eq!(s.species(), [Element::FE, Element::FE, Element::W]);
    assert_eq!(s.positions()[0], Vector3::new(0.5, 0.5, 0.5));
    assert_eq!(s.positions()[1], Vector3::new(-1.0, 0.0, 0.0));
    // 1*a - 1*b + 2*c with a = (5,0,0), b = (0.5,5,0), c = (0,0,6).
    assert_eq!(
        s.positions()[2],
        Vector3::new(1.0 + 5.0 - 0.5, 2.0 - 5.0, 3.0 + 12.0)
    );
    assert_eq!(s.velocities().unwrap()[1], Vector3::new(0.3, 0.2, 0.1));
    assert_eq!(s.velocities().unwrap()[2], Vector3::new(-1.0, -2.0, -3.0));
    assert_eq!(s.cell().matrix()[(1, 0)], 0.5);
    assert!(s.masses().is_none());
}

#[test]
fn lammps_data_reader_takes_elements_from_labels_options_or_masses() {
    let base = "t\n\n2 atoms\n2 atom types\n0 3 xlo xhi\n0 3 ylo yhi\n0 3 zlo zhi\n\n";
    let atoms = "\nAtoms\n\n1 1 0 0 0\n2 2 1 1 1\n";
    let labelled = format!("{base}Atom Type Labels\n\n1 W\n2 Fe\n{atoms}");
    let s = read_str(&labelled, &ReadOptions::default()).unwrap();
    assert_eq!(s.species(), [Element::W, Element::FE]);
    let bare = format!("{base}{atoms}");
    let e = read_str(&bare, &ReadOptions::default())
        .unwrap_err()
        .to_string();
    assert!(
        e.starts_with("t.data:12: cannot tell the element of atom type 1"),
        "{e}"
    );
    let opts = ReadOptions {
        types: Some(vec![Element::FE, Element::W]),
        ..Default::default()
    };
    assert_eq!(
        read_str(&bare, &opts).unwrap().species(),
        [Element::FE, Element::W]
    );
    // A mass 0.002 amu off the table still names the element but is kept explicitly.
    let massed = format!("{base}Masses\n\n1 55.847\n2 183.84\n{atoms}");
    let s = read_str(&massed, &ReadOptions::default()).unwrap();
    assert_eq!(s.species(), [Element::FE, Element::W]);
    assert_eq!(s.masses().unwrap(), [55.847, 183.84]);
}

#[test]
fn lammps_data_reader_accepts_charge_style_and_general_triclinic_header() {
    let text = "t\n\n2 atoms\n1 atom types\n3 0 0 avec\n1 3 0 bvec\n0 1 3 cvec\n0 0 0 abc origin\n\
                \nMasses\n\n1 55.845\n\nAtoms # charge\n\n2 1 -0.5 1 1 1\n1 1 0.5 0 0 0 1 0 -1\n";
    let s = read_str(text, &ReadOptions::default()).unwrap();
    let h = Matrix3::new(3.0, 0.0, 0.0, 1.0, 3.0, 0.0, 0.0, 1.0, 3.0);
    assert_eq!(s.cell().matrix(), &h);
    assert_eq!(s.positions()[0], Vector3::new(3.0, -1.0, -3.0));
    assert_eq!(
        s.property("charge"),
        Some(&Property::scalar(vec![0.5, -0.5]))
    );
}

#[test]
fn lammps_data_reader_rejects_other_styles_and_ambiguous_columns() {
    let base = "t\n\n1 atoms\n1 atom types\n";
    let cases = [
        (
            format!("{base}\nAtoms # full\n\n1 1 1 0 0 0 0\n"),
            ":6: atom style `full`",
        ),
        (
            format!("{base}\nAtoms\n\n1 1 1 0 0 0\n"),
            ":8: cannot tell the atom style",
        ),
        (format!("{base}3 bonds\n"), ":5: this file has bonds"),
        (
            format!("{base}\nAtoms\n\n1 1 0 0 0\n\nVelocities\n\n2 0 0 0\n"),
            ":12: no atom has id 2",
        ),
        (
            format!("{base}\nVelocities\n\n1 0 0 0\n"),
            ":6: the Velocities section must follow",
        ),
    ];
    for (text, expected) in cases {
        let e = read_str(&text, &ReadOptions::default())
            .unwrap_err()
            .to_string();
        assert!(e.contains(expected), "{e}\n--- expected {expected}");
    }
}

#[test]
fn lammps_data_path_round_trip_through_io_dispatch() {
    let dir = std::env::temp_dir().join(format!("fe-lammps-data-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("s.lmp");
    let s = sample(tilted());
    io::write_path(&path, std::slice::from_ref(&s), &WriteOptions::default()).unwrap();
    let back = io::read_path(&path, &ReadOptions::default()).unwrap();
    assert_eq!(back[0].positions(), s.positions());
    assert_eq!(Format::from_path(&path), Some(Format::LammpsData));
    std::fs::remove_dir_all(&dir).unwrap();
}

/// `write_data` output of LAMMPS 22 Jul 2025 (see tests/fixtures/make_lammps_fixtures.py):
/// a tilted box with type labels, image flags and velocities.
#[test]
fn lammps_data_reads_lammps_write_data_output() {
    let s = io::read_path(
        &fixture("good/lammps_write_data.data"),
        &ReadOptions::default(),
    )
    .unwrap()
    .remove(0);
    assert_eq!(s.len(), 4);
    assert_eq!(
        s.species(),
        [Element::FE, Element::W, Element::FE, Element::W]
    );
    let h = Matrix3::new(5.0, 0.0, 0.0, 1.0, 6.0, 0.0, 0.5, -0.7, 7.0);
    assert_eq!(s.cell().matrix(), &h);
    // The input script placed atoms at these unwrapped positions and moved atom 3 by -a + 2c.
    let expected = [
        Vector3::new(1.0, 1.0, 1.0),
        Vector3::new(4.5, 3.0, 6.5),
        Vector3::new(2.0, 3.0, 0.5) - h.row(0).transpose() + 2.0 * h.row(2).transpose(),
        Vector3::new(3.0, 0.5, 6.0),
    ];
    for (p, e) in s.positions().iter().zip(&expected) {
        assert!((p - e).norm() < 1e-12, "{p} vs {e}");
    }
    assert_eq!(s.velocities().unwrap()[0], Vector3::new(1.5, -2.0, 0.25));
    assert!(s.masses().is_none());
}

/// The LAMMPS fixtures (`.data`, `.lmp`, `.dump`) under tests/fixtures: good ones read, bad
/// ones fail with the message of their `.expected` file (line number included).
#[test]
fn lammps_fixtures_good_read_and_bad_fail_with_their_expected_message() {
    let opts = ReadOptions {
        types: Some(vec![Element::FE, Element::W]),
        ..Default::default()
    };
    let is_lammps = |p: &PathBuf| {
        matches!(
            p.extension().and_then(|e| e.to_str()),
            Some("data" | "lmp" | "dump")
        )
    };
    let list = |dir: &str| {
        let mut v: Vec<PathBuf> = std::fs::read_dir(fixture(dir))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(is_lammps)
            .collect();
        v.sort();
        v
    };
    let good = list("good");
    assert!(good.len() >= 7);
    for path in &good {
        let frames = io::read_path(path, &opts).unwrap_or_else(|e| panic!("{e}"));
        assert!(!frames.is_empty());
    }
    let bad = list("bad");
    assert!(bad.len() >= 18);
    for path in &bad {
        let expected = std::fs::read_to_string(format!("{}.expected", path.display())).unwrap();
        let e = io::read_path(path, &opts).unwrap_err().to_string();
        assert!(e.contains(expected.trim()), "{e}\n--- expected: {expected}");
        assert!(e.starts_with(&path.display().to_string()), "{e}");
    }
}

#[test]
fn lammps_data_ase_style_fixture_names_elements_by_mass_comments() {
    let s = io::read_path(&fixture("good/ase_style_fe_w.lmp"), &ReadOptions::default())
        .unwrap()
        .remove(0);
    assert_eq!(s.species(), [Element::FE, Element::FE, Element::W]);
    assert_eq!(s.positions()[1], Vector3::new(2.85, 0.0, 2.85));
    assert_eq!(s.cell().matrix(), &Matrix3::from_diagonal_element(5.7));
}
