//! Extended XYZ: round trips, files written by ASE 3.29, fixtures, and the shared structures.

// Test code: a failed unwrap is a failed test (helpers are outside `#[test]` functions).
#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};

use fe_structure::io::{self, extxyz, Format, Frames, ReadOptions, WriteOptions};
use fe_structure::{Cell, Element, InfoValue, Property, Structure};
use nalgebra::{Matrix3, Vector3};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn read_all(path: &Path) -> Vec<Structure> {
    io::read_path(path, &ReadOptions::default()).unwrap()
}

fn temp_path(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("fe-io-extxyz-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

fn close(a: f64, b: f64, tol: f64) -> bool {
    (a - b).abs() <= tol
}

/// A frame using every field and every info and property kind, with awkward numbers.
fn rich_structure() -> Structure {
    let h = Matrix3::new(7.1, 0.0, 0.0, 1.0 / 3.0, 8.2, 0.0, -0.25, 1e-9, 9.3);
    let cell = Cell::new(h, [false, true, true]).unwrap();
    let species = vec![Element::FE, Element::W, Element::FE];
    let pos = vec![
        Vector3::new(0.1, 0.2, 0.30000000000000004),
        Vector3::new(-1e-12, 4.5, 123456.789),
        Vector3::new(2.0 / 3.0, -0.0, 7.0),
    ];
    let mut s = Structure::new(cell, species, pos).unwrap();
    s.set_masses(Some(vec![55.845, 183.84, 56.5])).unwrap();
    s.set_fixed(Some(vec![false, true, false])).unwrap();
    s.set_velocities(Some(vec![
        Vector3::new(1.5, -2.25, 0.0),
        Vector3::new(0.0, 0.0, 0.0),
        Vector3::new(1e-3, 13.7, -42.0),
    ]))
    .unwrap();
    s.set_property(
        "forces",
        Property::vectors(&[Vector3::new(0.1, 0.2, 0.3); 3]),
    )
    .unwrap();
    let ints = Property::Int {
        components: 2,
        values: vec![1, -2, 3, 4, 5, i64::MAX],
    };
    s.set_property("ids", ints).unwrap();
    let flags = Property::Bool {
        components: 1,
        values: vec![true, false, true],
    };
    s.set_property("surface", flags).unwrap();
    let labels = Property::Str {
        values: vec!["a".into(), "gb".into(), "bulk_1".into()],
    };
    s.set_property("label", labels).unwrap();
    let info = s.info_mut();
    info.insert("energy".into(), InfoValue::Real(-24.123456789012345));
    let w = vec![1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.5];
    info.insert("virial".into(), InfoValue::Reals(w));
    info.insert(
        "stress".into(),
        InfoValue::Reals(vec![0.5, 0.0, 0.0, 0.0, 0.25, 0.0, 0.0, 0.0, 0.125]),
    );
    info.insert("step".into(), InfoValue::Int(42));
    info.insert("relaxed".into(), InfoValue::Bool(false));
    info.insert(
        "comment".into(),
        InfoValue::Str("Fe/W \"GB\" a=b x\\y".into()),
    );
    info.insert("angles".into(), InfoValue::Reals(vec![36.87, 53.13]));
    info.insert("one".into(), InfoValue::Ints(vec![3]));
    info.insert("mask".into(), InfoValue::Bools(vec![true, false, true]));
    s
}

/// The structure without velocities, and its velocities.
fn split_velocities(s: &Structure) -> (Structure, Vec<Vector3<f64>>) {
    let mut t = s.clone();
    let v = t.velocities().map(<[_]>::to_vec).unwrap_or_default();
    t.set_velocities(None).unwrap();
    (t, v)
}

#[test]
fn extxyz_round_trip_is_exact_for_every_field_and_info_kind() {
    let s = rich_structure();
    let path = temp_path("rich.extxyz");
    io::write_path(&path, std::slice::from_ref(&s), &WriteOptions::default()).unwrap();
    let back = io::read_one(&path, &ReadOptions::default()).unwrap();
    let (want, v_want) = split_velocities(&s);
    let (got, v_got) = split_velocities(&back);
    assert_eq!(got, want);
    // velocities travel as ASE momenta: equal to a few units in the last place
    for (a, b) in v_got.iter().zip(&v_want) {
        assert!(
            (a - b).norm() <= 4.0 * f64::EPSILON * b.norm(),
            "{a} vs {b}"
        );
    }
    let text = std::fs::read_to_string(&path).unwrap();
    let header = text.lines().nth(1).unwrap();
    assert!(header.starts_with(
        "Lattice=\"7.1 0.0 0.0 0.3333333333333333 8.2 0.0 -0.25 1e-9 9.3\" \
         Properties=species:S:1:pos:R:3:move_mask:L:1:masses:R:1:momenta:R:3:forces:R:3:ids:I:2:label:S:1:surface:L:1 "
    ), "{header}");
    assert!(header.ends_with(" pbc=\"F T T\""), "{header}");
    assert!(header.contains(" one=\"_JSON [3]\" "), "{header}");
    // virial is written column by column, as ASE does
    assert!(
        header.contains(" virial=\"1.0 4.0 7.0 2.0 5.0 8.0 3.0 6.0 9.5\" "),
        "{header}"
    );
    let _ = std::fs::remove_file(&path);
}

#[test]
fn extxyz_multi_frame_round_trip_and_frame_selection() {
    let mut frames = Vec::new();
    for k in 0..4 {
        let mut s = rich_structure();
        s.set_velocities(None).unwrap();
        s.positions_mut()[0].x += f64::from(k);
        s.info_mut().insert("step".into(), InfoValue::Int(k.into()));
        if k == 2 {
            s.remove(&[1]).unwrap();
        }
        frames.push(s);
    }
    let mut buf = Vec::new();
    io::write(
        &mut buf,
        "m",
        Format::ExtXyz,
        &frames,
        &WriteOptions::default(),
    )
    .unwrap();
    let read = |sel| {
        let opts = ReadOptions {
            types: None,
            frames: sel,
        };
        io::read(buf.as_slice(), "m.extxyz", Format::ExtXyz, &opts)
    };
    assert_eq!(read(Frames::All).unwrap(), frames);
    assert_eq!(read(Frames::Index(2)).unwrap(), vec![frames[2].clone()]);
    assert_eq!(read(Frames::Last).unwrap(), vec![frames[3].clone()]);
    let e = read(Frames::Index(4)).unwrap_err().to_string();
    assert_eq!(e, "m.extxyz: frame 4 does not exist");
}

#[test]
fn extxyz_open_cell_round_trip_keeps_the_enclosing_box() {
    let pos = vec![Vector3::new(0.0, 0.0, 0.0), Vector3::new(1.5, -2.0, 0.5)];
    let cell = Cell::enclosing(&pos, 0.0).unwrap();
    let s = Structure::new(cell, vec![Element::W; 2], pos).unwrap();
    let mut buf = Vec::new();
    extxyz::write(
        &mut buf,
        "o",
        std::slice::from_ref(&s),
        &WriteOptions::default(),
    )
    .unwrap();
    let back = extxyz::read(buf.as_slice(), "o", &ReadOptions::default()).unwrap();
    assert_eq!(back, vec![s]);
}

#[test]
fn extxyz_writer_rejects_what_the_format_cannot_hold() {
    let mut s = rich_structure();
    let bad = Property::Str {
        values: vec!["a b".into(), "x".into(), "y".into()],
    };
    s.set_property("label", bad).unwrap();
    let e = extxyz::write(Vec::new(), "w", &[s], &WriteOptions::default()).unwrap_err();
    assert!(
        e.to_string()
            .contains("string property `label` holds `a b`"),
        "{e}"
    );
    let mut s = rich_structure();
    s.set_property("a:b", Property::scalar(vec![0.0; 3]))
        .unwrap();
    let e = extxyz::write(Vec::new(), "w", &[s], &WriteOptions::default()).unwrap_err();
    assert!(e.to_string().contains("property name `a:b`"), "{e}");
}

#[test]
fn extxyz_reads_ase_rattled_bcc_with_calculator_results() {
    let s = &read_all(&fixture("good/ase_rattled_bcc.extxyz"))[0];
    assert_eq!(
        s.species(),
        &[Element::FE, Element::FE, Element::FE, Element::W]
    );
    assert_eq!(s.cell().pbc(), [false, true, true]);
    assert_eq!(
        s.cell().matrix(),
        &Matrix3::new(5.71, 0.0, 0.0, 0.0, 2.855, 0.0, 0.0, 0.0, 2.855)
    );
    // numbers printed by tests/scripts/make_ase_fixtures.py (ASE writes 8 decimals)
    let p = [4.251476255009003, 1.45199210250926, 1.445344350408003];
    assert!((0..3).all(|a| close(s.positions()[3][a], p[a], 5e-9)));
    let f = s.property("forces").and_then(Property::as_real).unwrap();
    let f1 = [
        0.20859095833748634,
        -0.4032643641855246,
        -0.13728472831206545,
    ];
    assert!((0..3).all(|a| close(f[3 + a], f1[a], 5e-9)));
    assert_eq!(s.energy(), Some(-16.25));
    // ASE wrote its Voigt stress [0.01, 0.02, 0.03, -0.004, 0.005, -0.006] as the full 3x3
    let full = vec![
        0.01, -0.006, 0.005, -0.006, 0.02, -0.004, 0.005, -0.004, 0.03,
    ];
    assert_eq!(s.info()["stress"], InfoValue::Reals(full));
    assert_eq!(
        s.info()["config_type"],
        InfoValue::Str("rattled bcc".into())
    );
    let tags = Property::Int {
        components: 1,
        values: vec![1, 2, 3, 4],
    };
    assert_eq!(s.property("tags"), Some(&tags));
    assert!(s.fixed().is_none() && s.velocities().is_none());
}

#[test]
fn extxyz_reads_ase_multi_frame_file() {
    let frames = read_all(&fixture("good/ase_multi.extxyz"));
    assert_eq!(
        frames.iter().map(Structure::len).collect::<Vec<_>>(),
        [2, 4, 6]
    );
    let e: Vec<f64> = frames.iter().filter_map(Structure::energy).collect();
    assert_eq!(e, [-17.8, -35.6, -53.400000000000006]);
    for (k, f) in frames.iter().enumerate() {
        assert_eq!(f.info()["step"], InfoValue::Int(k as i64));
        assert!(close(f.cell().lengths()[0], 3.165 * (k + 1) as f64, 1e-12));
    }
}

#[test]
fn extxyz_reads_ase_fix_atoms_masses_and_momenta() {
    let s = &read_all(&fixture("good/ase_fixatoms.extxyz"))[0];
    assert_eq!(s.fixed(), Some(&[true, false, true, false][..]));
    assert_eq!(s.masses(), Some(&[55.0, 56.0, 57.0, 58.0][..]));
    // ASE's velocities in A/ps (printed by the fixture script); momenta are written to 8 decimals
    let v1 = [
        -0.47244784826922964,
        -0.04253660568095446,
        0.0993749630625747,
    ];
    let v3 = [-0.6849104600363357, 0.8983520154330288, -0.6838074695591931];
    let v = s.velocities().unwrap();
    assert!((0..3).all(|a| close(v[1][a], v1[a], 1e-7) && close(v[3][a], v3[a], 1e-7)));
    assert_eq!(v[0], Vector3::zeros());
    assert!(s.property("initial_magmoms").is_some());
}

#[test]
fn extxyz_reads_ase_fix_cartesian_as_fixed_mask_and_flags() {
    let s = &read_all(&fixture("good/ase_fixcartesian.extxyz"))[0];
    assert_eq!(s.fixed(), Some(&[true, false][..]));
    let flags = Property::Bool {
        components: 3,
        values: vec![false, false, false, false, true, false],
    };
    assert_eq!(s.property("move_mask"), Some(&flags));
    // written back, the per-axis flags survive
    let mut buf = Vec::new();
    extxyz::write(
        &mut buf,
        "c",
        std::slice::from_ref(s),
        &WriteOptions::default(),
    )
    .unwrap();
    let text = String::from_utf8(buf).unwrap();
    assert!(
        text.contains("Properties=species:S:1:pos:R:3:move_mask:L:3:initial_magmoms:R:1 "),
        "{text}"
    );
    assert_eq!(
        extxyz::read(text.as_bytes(), "c", &ReadOptions::default()).unwrap()[0],
        *s
    );
}

/// Files of `dir` whose format (by name) is extended XYZ or POSCAR.
fn my_fixtures(dir: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(fixture(dir))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| matches!(Format::from_path(p), Some(Format::ExtXyz | Format::Poscar)))
        .collect();
    files.sort();
    files
}

fn walker_options() -> ReadOptions {
    ReadOptions {
        types: Some(vec![Element::FE, Element::W]),
        frames: Frames::All,
    }
}

#[test]
fn extxyz_and_poscar_good_fixtures_read() {
    let files = my_fixtures("good");
    assert!(files.len() >= 6);
    for f in files {
        let frames = io::read_path(&f, &walker_options()).unwrap_or_else(|e| panic!("{e}"));
        assert!(
            !frames.is_empty() && frames.iter().all(|s| !s.is_empty()),
            "{}",
            f.display()
        );
    }
}

#[test]
fn extxyz_and_poscar_bad_fixtures_fail_with_their_expected_message() {
    let files = my_fixtures("bad");
    assert!(files.len() >= 20);
    for f in files {
        let mut expected_path = f.clone().into_os_string();
        expected_path.push(".expected");
        let expected = std::fs::read_to_string(&expected_path).unwrap();
        let e = io::read_path(&f, &walker_options()).expect_err(&f.display().to_string());
        let msg = e.to_string();
        assert!(
            msg.contains(expected.trim_end()),
            "{msg:?} lacks {expected:?}"
        );
        assert!(msg.starts_with(&f.display().to_string()), "{msg}");
    }
}

#[test]
#[ignore = "needs ../shared reference data"]
fn extxyz_reads_every_shared_reference_structure_as_recipes_json_describes() {
    let dir = fe_testkit::shared_dir().join("reference/structures");
    let recipes = fe_testkit::shared_json("reference/structures/recipes.json");
    let list = recipes["structures"]
        .as_object()
        .expect("recipes.json has `structures`");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "extxyz"))
        .collect();
    files.sort();
    assert!(
        files.len() >= list.len(),
        "fewer structure files than recipes"
    );
    for path in files {
        let key = path.file_stem().unwrap().to_str().unwrap();
        let r = &list
            .get(key)
            .unwrap_or_else(|| panic!("{key} is not in recipes.json"));
        let s = io::read_one(&path, &ReadOptions::default()).unwrap();
        assert_eq!(
            s.len() as u64,
            r["natoms"].as_u64().unwrap(),
            "{key} natoms"
        );
        for (sym, n) in r["species"].as_object().unwrap() {
            let e = Element::from_symbol(sym).unwrap();
            assert_eq!(
                s.species_counts().get(&e).copied().unwrap_or(0) as u64,
                n.as_u64().unwrap(),
                "{key} {sym}"
            );
        }
        for a in 0..3 {
            for b in 0..3 {
                let want = r["cell"][a][b].as_f64().unwrap();
                assert!(
                    close(s.cell().matrix()[(a, b)], want, 1e-12),
                    "{key} cell[{a}][{b}]"
                );
            }
        }
        let v = r["volume_A3"].as_f64().unwrap();
        assert!(close(s.cell().volume(), v, 1e-9 * v), "{key} volume");
        assert_eq!(s.cell().pbc(), [true; 3], "{key} pbc");
        let outside = s
            .positions()
            .iter()
            .filter(|p| {
                s.cell()
                    .to_fractional(p)
                    .iter()
                    .any(|x| !(0.0..1.0).contains(x))
            })
            .count();
        assert_eq!(
            outside as u64,
            r["atoms_outside_cell"].as_u64().unwrap(),
            "{key} outside"
        );
    }
}
