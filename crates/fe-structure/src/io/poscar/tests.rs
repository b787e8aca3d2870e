use super::*;
use crate::structure::{InfoValue, Property};
use crate::Element;
use nalgebra::{Matrix3, Vector3};

fn read_str(text: &str, types: Option<Vec<Element>>) -> Result<Structure> {
    let opts = ReadOptions {
        types,
        ..ReadOptions::default()
    };
    read(text.as_bytes(), "POSCAR", &opts).map(|mut v| v.remove(0))
}

const HEADER: &str = "test cell\n";

#[test]
fn poscar_reads_repeated_species_runs_in_file_order() {
    let text = format!(
        "{HEADER}2.0\n1 0 0\n0 1 0\n0 0 1\nFe W Fe\n2 1 1\nDirect\n\
         0 0 0\n0.5 0 0\n0 0.5 0\n0 0 0.5\n"
    );
    let s = read_str(&text, None).unwrap();
    assert_eq!(
        s.species(),
        &[Element::FE, Element::FE, Element::W, Element::FE]
    );
    assert_eq!(s.cell().matrix(), &Matrix3::from_diagonal_element(2.0));
    assert_eq!(s.positions()[3], Vector3::new(0.0, 0.0, 1.0));
    assert_eq!(s.info()["comment"], InfoValue::Str("test cell".into()));
    assert_eq!(s.cell().pbc(), [true; 3]);
    assert!(s.fixed().is_none() && s.velocities().is_none());
}

#[test]
fn poscar_negative_scale_is_the_volume_and_three_scales_act_per_axis() {
    // det of the lattice is 8 A^3; volume 27 A^3 asks for a factor 1.5
    let text = "v\n-27\n2 0 0\n0 2 0\n0 0 2\nW\n1\nCartesian\n1 1 1\n";
    let s = read_str(text, None).unwrap();
    assert!((s.cell().volume() - 27.0).abs() < 1e-12);
    assert!((s.positions()[0] - Vector3::repeat(1.5)).norm() < 1e-15);
    let text = "v\n1 2 3\n1 0 0\n0 1 0\n1 1 1\nW\n1\nCartesian\n1 1 1\n";
    let s = read_str(text, None).unwrap();
    assert_eq!(
        s.cell().matrix(),
        &Matrix3::new(1.0, 0.0, 0.0, 0.0, 2.0, 0.0, 1.0, 2.0, 3.0)
    );
    assert_eq!(s.positions()[0], Vector3::new(1.0, 2.0, 3.0));
}

#[test]
fn poscar_vasp4_takes_elements_from_types_or_fails_clearly() {
    let text = "no symbols\n1.0\n3 0 0\n0 3 0\n0 0 3\n1 1\nd\n0 0 0\n0.5 0.5 0.5\n";
    let s = read_str(text, Some(vec![Element::W, Element::FE])).unwrap();
    assert_eq!(s.species(), &[Element::W, Element::FE]);
    let e = read_str(text, None).unwrap_err().to_string();
    assert!(
        e.contains("POSCAR:6: this VASP 4 POSCAR has no element line"),
        "{e}"
    );
}

#[test]
fn poscar_selective_dynamics_sets_flags_and_fixed_mask() {
    let text = "sd\n1\n2 0 0\n0 2 0\n0 0 2\nFe_pv/abc\n3\nselective\nDirect\n\
                0 0 0 F F F\n0.5 0 0 T F T ! comment\n0 0.5 0 T T T\n";
    let s = read_str(text, None).unwrap();
    assert_eq!(s.species(), &[Element::FE; 3]);
    assert_eq!(s.fixed(), Some(&[true, false, false][..]));
    let want = [false, false, false, true, false, true, true, true, true];
    assert_eq!(
        s.property(SELECTIVE_DYNAMICS),
        Some(&Property::Bool {
            components: 3,
            values: want.to_vec()
        })
    );
}

#[test]
fn poscar_velocities_in_a_per_fs_become_a_per_ps_after_lattice_block() {
    let text = "v\n1\n2 0 0\n0 2 0\n0 0 2\nFe\n2\nDirect\n0 0 0\n0.5 0.5 0.5\n\
                Lattice velocities and vectors\n1\n0 0 0\n0 0 0\n0 0 0\n2 0 0\n0 2 0\n0 0 2\n\
                \n0.001 -0.002 0.5\n0 0 0\n\n 0.1\n";
    let s = read_str(text, None).unwrap();
    let v = s.velocities().unwrap();
    assert_eq!(v[0], Vector3::new(1.0, -2.0, 500.0));
    assert_eq!(v[1], Vector3::zeros());
    // a CONTCAR of a relaxation: blank line and nothing else
    let plain = "v\n1\n2 0 0\n0 2 0\n0 0 2\nFe\n1\nDirect\n0 0 0\n\n";
    assert!(read_str(plain, None).unwrap().velocities().is_none());
}

#[test]
fn poscar_errors_name_the_line() {
    let cases = [
        ("c\nx\n", "POSCAR:2: expected one scale factor or three"),
        (
            "c\n0\n",
            "POSCAR:2: expected a non-zero finite scale factor",
        ),
        (
            "c\n1 -1 1\n",
            "POSCAR:2: expected three positive finite scale factors",
        ),
        (
            "c\n1\n1 0 0\n0 1\n",
            "POSCAR:4: expected 3 numbers (lattice vector), found 2 fields",
        ),
        (
            "c\n1\n1 0 0\n0 1 0\n0 2 0\nFe\n1\nD\n0 0 0\n",
            "POSCAR:5: invalid lattice: singular cell",
        ),
        (
            "c\n1\n1 0 0\n0 1 0\n0 0 1\nQq\n1\n",
            "POSCAR:6: unknown element `Qq`",
        ),
        (
            "c\n1\n1 0 0\n0 1 0\n0 0 1\nFe W\n1\n",
            "POSCAR:7: expected 2 atom counts (one per element), found 1",
        ),
        (
            "c\n1\n1 0 0\n0 1 0\n0 0 1\nFe\n1\nX\n",
            "POSCAR:8: expected `Direct` or `Cartesian`, found `X`",
        ),
        (
            "c\n1\n1 0 0\n0 1 0\n0 0 1\nFe\n2\nD\n0 0 0\n",
            "POSCAR:10: unexpected end of file, expected position 2 of 2",
        ),
        (
            "c\n1\n1 0 0\n0 1 0\n0 0 1\nFe\n1\nD\n0 inf 0\n",
            "POSCAR:9: expected a finite coordinate",
        ),
        (
            "c\n1\n1 0 0\n0 1 0\n0 0 1\nFe\n1\nS\nD\n0 0 0 T X T\n",
            "POSCAR:10: expected a selective dynamics flag T or F, found `X`",
        ),
        (
            "c\n1\n1 0 0\n0 1 0\n0 0 1\nFe\n1\nD\n0 0 0\nDirect\n1 1 1\n",
            "POSCAR:10: velocities in direct coordinates",
        ),
        (
            "c\n1\n1 0 0\n0 1 0\n0 0 1\nFe\n2\nD\n0 0 0\n0 0 0.5\n\n1 1 1\n",
            "POSCAR:13: unexpected end of file, expected velocity 2 of 2",
        ),
    ];
    for (text, want) in cases {
        let e = read_str(text, None).unwrap_err().to_string();
        assert!(e.contains(want), "{e:?} lacks {want:?}");
    }
}

#[test]
fn poscar_writer_keeps_runs_flags_comment_and_velocities() {
    let text =
        "my comment\n1\n3 0 0\n0 3 0\n0.5 0 3\nFe W Fe\n1 1 1\nSelective dynamics\nCartesian\n\
                0 0 0 F F F\n1 1 1 T F T\n2 2 2 T T T\n\n0.001 0 0\n0 0 0\n0 0 -0.25\n";
    let s = read_str(text, None).unwrap();
    for coords in [Coordinates::Direct, Coordinates::Cartesian] {
        let mut out = Vec::new();
        write_with(&mut out, "POSCAR", &s, coords).unwrap();
        let written = String::from_utf8(out).unwrap();
        let back = read_str(&written, None).unwrap();
        assert_eq!(back.species(), s.species());
        assert_eq!(back.cell(), s.cell());
        assert_eq!(back.fixed(), s.fixed());
        assert_eq!(back.properties(), s.properties());
        assert_eq!(back.info(), s.info());
        assert_eq!(back.velocities(), s.velocities());
        for (a, b) in back.positions().iter().zip(s.positions()) {
            assert!((a - b).norm() <= 1e-15 * 3.0, "{a} {b}");
        }
        if coords == Coordinates::Cartesian {
            assert_eq!(back.positions(), s.positions());
        }
        assert!(
            written.contains("\n   Fe    W   Fe\n    1    1    1\nSelective dynamics\n"),
            "{written}"
        );
    }
    let empty = Structure::empty(s.cell().clone());
    assert!(write(Vec::new(), "P", &empty, &WriteOptions::default()).is_err());
}

#[test]
fn poscar_huge_or_overflowing_counts_are_errors_not_allocations() {
    let huge = "c\n1\n1 0 0\n0 1 0\n0 0 1\nFe\n99999999999999\nD\n0 0 0\n";
    let e = read_str(huge, None).unwrap_err().to_string();
    assert!(
        e.contains("POSCAR:10: unexpected end of file, expected position 2 of 99999999999999"),
        "{e}"
    );
    let overflow = "c\n1\n1 0 0\n0 1 0\n0 0 1\nFe W\n18446744073709551615 1\n";
    let e = read_str(overflow, None).unwrap_err().to_string();
    assert!(
        e.contains("POSCAR:7: expected atom counts adding up to at least 1"),
        "{e}"
    );
}
