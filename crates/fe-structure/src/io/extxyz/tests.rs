use super::*;
use crate::io::Frames;
use crate::structure::{InfoValue, Property};
use crate::{Cell, Element};
use nalgebra::{Matrix3, Vector3};

fn read_str(text: &str, frames: Frames) -> Result<Vec<Structure>> {
    read(
        text.as_bytes(),
        "t.extxyz",
        &ReadOptions {
            types: None,
            frames,
        },
    )
}

fn err(text: &str) -> String {
    read_str(text, Frames::All).unwrap_err().to_string()
}

#[test]
fn extxyz_reads_ase_style_frame_with_lattice_properties_and_info() {
    let text =
        "2\nLattice=\"3 0 0 0 4 0 1 0 5\" Properties=species:S:1:pos:R:3:forces:R:3:tags:I:1 \
                energy=-1 virial=\"1 2 3 4 5 6 7 8 9\" name=\"a b\" pbc=\"F T t\"\n\
                fe 0 0 0 0.5 0 0 7\nW 1 2 3 -0.5 0 0 8\n";
    let s = &read_str(text, Frames::All).unwrap()[0];
    assert_eq!(s.species(), &[Element::FE, Element::W]);
    assert_eq!(s.positions()[1], Vector3::new(1.0, 2.0, 3.0));
    let h = Matrix3::new(3.0, 0.0, 0.0, 0.0, 4.0, 0.0, 1.0, 0.0, 5.0);
    assert_eq!(s.cell().matrix(), &h);
    assert_eq!(s.cell().pbc(), [false, true, true]);
    assert_eq!(s.energy(), Some(-1.0));
    assert_eq!(s.info()["energy"], InfoValue::Real(-1.0));
    // the file lists the tensor column by column
    let w: Vec<f64> = vec![1.0, 4.0, 7.0, 2.0, 5.0, 8.0, 3.0, 6.0, 9.0];
    assert_eq!(s.info()["virial"], InfoValue::Reals(w));
    assert_eq!(s.info()["name"], InfoValue::Str("a b".into()));
    assert_eq!(
        s.property("forces"),
        Some(&Property::Real {
            components: 3,
            values: vec![0.5, 0.0, 0.0, -0.5, 0.0, 0.0]
        })
    );
    assert_eq!(
        s.property("tags"),
        Some(&Property::Int {
            components: 1,
            values: vec![7, 8]
        })
    );
}

#[test]
fn extxyz_without_lattice_is_an_open_enclosing_box() {
    let s = &read_str("2\n\nFe 0 0 0\nFe 2 -3 1\n", Frames::All).unwrap()[0];
    assert_eq!(s.cell().pbc(), [false; 3]);
    let want = Cell::enclosing(s.positions(), 0.0).unwrap();
    assert_eq!(s.cell(), &want);
    assert!(s.info().is_empty());
}

#[test]
fn extxyz_frames_selection_streams_and_skips() {
    let frame = |n: usize, e: f64| {
        let mut t = format!("{n}\nenergy={e:?}\n");
        for i in 0..n {
            t += &format!("Fe {i} 0 0\n");
        }
        t
    };
    let text = frame(1, 1.0) + &frame(2, 2.0) + "\n\n" + &frame(3, 3.0);
    let all = read_str(&text, Frames::All).unwrap();
    assert_eq!(
        all.iter().map(Structure::len).collect::<Vec<_>>(),
        [1, 2, 3]
    );
    let one = read_str(&text, Frames::Index(1)).unwrap();
    assert_eq!((one.len(), one[0].energy()), (1, Some(2.0)));
    let last = read_str(&text, Frames::Last).unwrap();
    assert_eq!((last.len(), last[0].energy()), (1, Some(3.0)));
    // frames after the selected one are never read, so garbage there is fine
    let tail = frame(1, 1.0) + "garbage\n";
    assert_eq!(read_str(&tail, Frames::Index(0)).unwrap().len(), 1);
}

#[test]
fn extxyz_errors_name_line_and_problem() {
    assert!(err("2\n\nFe 0 0 0\n")
        .contains("t.extxyz:4: unexpected end of file, expected atom line 2 of 2"));
    assert!(err("1\n\nFe 0 0\n").contains(":3: expected 4 fields (species:S:1:pos:R:3), found 3"));
    assert!(err("1\n\nFe 0 0 0 9\n").contains(":3: expected 4 fields"));
    assert!(err("1\n\nFe 0 x 0\n").contains(":3: expected `pos` value (a number), found `x`"));
    assert!(err("1\n\nFe 0 nan 0\n").contains(":3: expected a finite `pos` value, found `nan`"));
    assert!(err("1\n\nQq 0 0 0\n").contains(":3: unknown element `Qq`"));
    assert!(err("1\nLattice=\"1 0 0 0 1 0 0 0\"\nFe 0 0 0\n")
        .contains(":2: expected 9 numbers in Lattice"));
    assert!(err("1\nLattice=\"1 0 0 0 1 0 0 0 0\"\nFe 0 0 0\n")
        .contains(":2: invalid Lattice: singular cell"));
    assert!(err("1\na=\"1 2\nFe 0 0 0\n").contains(":2: unbalanced quote"));
    assert!(err("x\n").contains(":1: expected the number of atoms"));
    assert!(err("1\n\nFe 0 0 0\n1 2\n").contains(":4: expected the number of atoms (one integer)"));
    assert!(err("1\nProperties=species:S:1:pos:R:2\nFe 0 0\n")
        .contains(":2: expected column `pos:R:3`"));
    assert!(err("1\nProperties=species:S:1:pos:R:3:m:X:1\nFe 0 0 0 1\n")
        .contains("expected type S, R, I or L"));
    assert!(err("1\nProperties=pos:R:3\n0 0 0\n").contains(":2: Properties has no `species:S:1`"));
    assert!(
        err("1\nProperties=species:S:1:pos:R:3:masses:R:1\nFe 0 0 0 -1\n")
            .contains(":3: expected a positive mass")
    );
    assert!(err("1\nvirial=\"1 2 3\"\nFe 0 0 0\n").contains(":2: expected 9 numbers for virial"));
    assert!(err("1\nenergy=abc\nFe 0 0 0\n").contains(":2: expected a number for energy"));
}

#[test]
fn extxyz_z_column_momenta_masses_and_move_mask_map_to_fields() {
    let p = 2.0 * 55.845 / ASE_VELOCITY_UNIT_A_PER_PS;
    let text = format!(
        "2\nProperties=Z:I:1:pos:R:3:move_mask:L:3:masses:R:1:momenta:R:3\n\
         26 0 0 0 F F F 2.0 {p} 0 0\n74 1 1 1 T F T 183.84 0 0 0\n"
    );
    let s = &read_str(&text, Frames::All).unwrap()[0];
    assert_eq!(s.species(), &[Element::FE, Element::W]);
    assert_eq!(s.fixed(), Some(&[true, false][..]));
    assert_eq!(s.masses(), Some(&[2.0, 183.84][..]));
    // momentum p of an atom of mass 2 amu: v = p / 2 in ASE units
    let v = s.velocities().unwrap()[0].x;
    assert!((v - 55.845).abs() < 1e-12, "{v}");
    assert_eq!(
        s.property("move_mask"),
        Some(&Property::Bool {
            components: 3,
            values: vec![false, false, false, true, false, true]
        })
    );
}

#[test]
fn extxyz_write_then_read_is_exact_for_awkward_numbers() {
    let cell = Cell::new(
        Matrix3::new(10.0, 0.0, 0.0, 0.1 + 0.2, 11.0, 0.0, -1e-17, 1e-300, 12.5),
        [true, false, true],
    )
    .unwrap();
    let pos = vec![
        Vector3::new(-0.0, 1e-7, 1e17),
        Vector3::new(1.0 / 3.0, 2.0, f64::MIN_POSITIVE),
    ];
    let mut s = Structure::new(cell, vec![Element::W, Element::FE], pos).unwrap();
    s.info_mut().insert("energy".into(), InfoValue::Real(-3.0));
    let mut out = Vec::new();
    write(
        &mut out,
        "t",
        std::slice::from_ref(&s),
        &WriteOptions::default(),
    )
    .unwrap();
    let text = String::from_utf8(out).unwrap();
    assert!(text.starts_with("2\nLattice=\"10.0 0.0 0.0 0.30000000000000004 11.0 0.0 -1e-17 1e-300 12.5\" Properties=species:S:1:pos:R:3 energy=-3.0 pbc=\"T F T\"\n"), "{text}");
    let back = read_str(&text, Frames::All).unwrap();
    assert_eq!(back, vec![s]);
}

#[test]
fn extxyz_huge_counts_and_widths_are_errors_not_allocations() {
    let e = err("1\nProperties=species:S:1:pos:R:3:x:R:99999999999999999999\nFe 0 0 0 1\n");
    assert!(
        e.contains(":2: expected a column count from 1 to 1048576 for `x`"),
        "{e}"
    );
    let e = err("99999999999999\n\nFe 0 0 0\n");
    assert!(
        e.contains(":4: unexpected end of file, expected atom line 2 of 99999999999999"),
        "{e}"
    );
}
