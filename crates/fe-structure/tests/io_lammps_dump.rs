//! LAMMPS text dumps: exact round trips, column forms, frame selection, dumps LAMMPS wrote,
//! and the memory of a 2-million-atom read.

// Helpers outside #[test] functions unwrap too: this whole file is test code.
#![allow(clippy::unwrap_used)]

use std::path::PathBuf;

use fe_structure::io::{self, lammps_dump, Frames, ReadOptions, WriteOptions};
use fe_structure::{Cell, Element, InfoValue, Property, Structure};
use nalgebra::{Matrix3, Vector3};

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn fe_w() -> ReadOptions {
    ReadOptions {
        types: Some(vec![Element::FE, Element::W]),
        ..Default::default()
    }
}

fn read_str(text: &str, opts: &ReadOptions) -> fe_structure::Result<Vec<Structure>> {
    lammps_dump::read(text.as_bytes(), "t.dump", opts)
}

fn write_string(frames: &[Structure]) -> String {
    let mut out = Vec::new();
    lammps_dump::write(&mut out, "t.dump", frames, &WriteOptions::default()).unwrap();
    String::from_utf8(out).unwrap()
}

/// Frame k of a small trajectory: a tilted, partly open cell with every optional field.
fn frame(k: usize, h: Matrix3<f64>, pbc: [bool; 3]) -> Structure {
    let cell = Cell::new(h, pbc).unwrap();
    let species = vec![Element::W, Element::FE, Element::FE];
    let x = k as f64;
    let positions = vec![
        Vector3::new(0.1 + x, 0.2, 0.3),
        Vector3::new(1.0 / 3.0, -2.0f64.sqrt(), 1e-20 * x),
        Vector3::new(9.5, 7.25 - x, -3.0e-7),
    ];
    let mut s = Structure::new(cell, species, positions).unwrap();
    s.set_velocities(Some(vec![Vector3::new(x, -1.0, 0.5); 3]))
        .unwrap();
    s.set_masses(Some(vec![183.84, 55.845, 57.1])).unwrap();
    let forces = [
        Vector3::new(0.1, 0.2, -0.3),
        Vector3::zeros(),
        Vector3::new(1e-12, 3.0, x),
    ];
    s.set_property("forces", Property::vectors(&forces))
        .unwrap();
    s.set_property("c_pe", Property::scalar(vec![-4.1, -4.2, -x]))
        .unwrap();
    let stress = Property::Real {
        components: 2,
        values: vec![1.0, 2.0, 3.0, 4.0, 5.0, 6.5],
    };
    s.set_property("c_s", stress).unwrap();
    s.info_mut()
        .insert("timestep".into(), InfoValue::Int(1000 * k as i64));
    s
}

fn tilted() -> Matrix3<f64> {
    Matrix3::new(5.71, 0.0, 0.0, 1.2, 6.1, 0.0, -0.4, 0.9, 7.3)
}

#[test]
fn lammps_dump_round_trip_is_exact_for_triclinic_and_orthorhombic_frames() {
    let frames = vec![
        frame(0, tilted(), [true, true, false]),
        frame(
            1,
            Matrix3::from_diagonal(&Vector3::new(5.0, 6.0, 7.0)),
            [true; 3],
        ),
        frame(2, tilted(), [false; 3]),
    ];
    let text = write_string(&frames);
    assert!(
        text.contains("ITEM: BOX BOUNDS xy xz yz pp pp ff\n"),
        "{text}"
    );
    assert!(text
        .contains("ITEM: ATOMS id type element mass x y z vx vy vz fx fy fz c_pe c_s[1] c_s[2]\n"));
    let back = read_str(&text, &ReadOptions::default()).unwrap();
    assert_eq!(back.len(), 3);
    for (b, f) in back.iter().zip(&frames) {
        assert_eq!(b, f);
    }
}

#[test]
fn lammps_dump_rotates_general_cells_with_positions_velocities_and_forces() {
    let rot = nalgebra::Rotation3::from_euler_angles(0.3, -0.5, 1.1);
    let mut s = frame(1, tilted() * rot.matrix().transpose(), [true; 3]);
    let turned: Vec<Vector3<f64>> = s.positions().iter().map(|p| rot * p).collect();
    s.positions_mut().copy_from_slice(&turned);
    let f: Vec<Vector3<f64>> = s.positions().iter().map(|p| p * 2.0).collect();
    s.set_property("forces", Property::vectors(&f)).unwrap();
    let back = read_str(&write_string(&[s.clone()]), &ReadOptions::default())
        .unwrap()
        .remove(0);
    assert!((back.cell().matrix() - tilted()).abs().max() < 1e-12);
    let forces = back.property("forces").unwrap().as_real().unwrap();
    for (i, p) in back.positions().iter().enumerate() {
        let expected = rot.inverse() * s.positions()[i];
        assert!((p - expected).norm() < 1e-12);
        let fi = Vector3::new(forces[3 * i], forces[3 * i + 1], forces[3 * i + 2]);
        assert!((fi - 2.0 * expected).norm() < 1e-12);
    }
    // Other properties are not rotated.
    assert_eq!(back.property("c_s"), s.property("c_s"));
}

/// One frame in a 2 x 3 x 4 box with tilt xy = 1 (bounding box x from 0 to 3).
fn one_frame(columns: &str, lines: &[&str]) -> String {
    let mut t = format!(
        "ITEM: TIMESTEP\n7\nITEM: NUMBER OF ATOMS\n{}\nITEM: BOX BOUNDS xy xz yz pp fs pp\n\
         0 3 1\n0 3 0\n0 4 0\nITEM: ATOMS {columns}\n",
        lines.len()
    );
    for l in lines {
        t.push_str(l);
        t.push('\n');
    }
    t
}

#[test]
fn lammps_dump_reads_any_column_order_and_every_position_form() {
    // Atom id 1 unwrapped at (1.5, 1.5, 2) + a - c = (3.5, 1.5, -2); id 2 at (0.5, 0.75, 1).
    let forms = [
        one_frame(
            "x y z ix iy iz id type",
            &["0.5 0.75 1 0 0 0 2 1", "1.5 1.5 2 1 0 -1 1 2"],
        ),
        one_frame(
            "id iz type ys xs zs iy ix",
            &["2 0 1 0.25 0.125 0.25 0 0", "1 -1 2 0.5 0.5 0.5 0 1"],
        ),
        one_frame("zu type yu xu id", &["-2 2 1.5 3.5 1", "1 1 0.75 0.5 2"]),
        one_frame(
            "xsu ysu zsu type id",
            &["1.5 0.5 -0.5 2 1", "0.125 0.25 0.25 1 2"],
        ),
    ];
    for text in &forms {
        let s = read_str(text, &fe_w()).unwrap().remove(0);
        assert_eq!(s.species(), [Element::W, Element::FE], "{text}");
        assert_eq!(s.positions()[0], Vector3::new(3.5, 1.5, -2.0), "{text}");
        assert_eq!(s.positions()[1], Vector3::new(0.5, 0.75, 1.0), "{text}");
        assert_eq!(s.cell().pbc(), [true, false, true]);
        assert_eq!(
            s.cell().matrix(),
            &Matrix3::new(2.0, 0.0, 0.0, 1.0, 3.0, 0.0, 0.0, 0.0, 4.0)
        );
        assert_eq!(s.info()["timestep"], InfoValue::Int(7));
    }
}

#[test]
fn lammps_dump_needs_elements_from_a_column_or_the_type_map() {
    let text = one_frame("id type x y z", &["1 1 0 0 0", "2 3 1 1 1"]);
    let e = read_str(&text, &ReadOptions::default())
        .unwrap_err()
        .to_string();
    assert!(e.starts_with("t.dump:9: cannot tell the elements"), "{e}");
    let e = read_str(&text, &fe_w()).unwrap_err().to_string();
    assert!(
        e.starts_with("t.dump:11: atom type 3 has no element"),
        "{e}"
    );
    let text = one_frame("element type x y z", &["W 1 0 0 0", "Fe 3 1 1 1"]);
    let s = read_str(&text, &ReadOptions::default()).unwrap().remove(0);
    assert_eq!(s.species(), [Element::W, Element::FE]);
    assert!(s.masses().is_none() && s.properties().is_empty());
}

fn trajectory(n: usize) -> String {
    let frames: Vec<Structure> = (0..n).map(|k| frame(k, tilted(), [true; 3])).collect();
    write_string(&frames)
}

#[test]
fn lammps_dump_selects_frames_and_skips_the_others_unparsed() {
    let mut text = trajectory(4);
    // Garbage in frame 1's numbers must not matter unless frame 1 is read.
    let at = text.match_indices("ITEM: ATOMS").nth(1).unwrap().0;
    let line_end = at + text[at..].find('\n').unwrap() + 1;
    text.replace_range(line_end..line_end + 1, "#");
    let read = |frames| {
        read_str(
            &text,
            &ReadOptions {
                frames,
                ..Default::default()
            },
        )
    };
    let only = read(Frames::Index(2)).unwrap();
    assert_eq!(only.len(), 1);
    assert_eq!(only[0].info()["timestep"], InfoValue::Int(2000));
    assert_eq!(only[0], frame(2, tilted(), [true; 3]));
    let last = read(Frames::Last).unwrap_err().to_string();
    assert!(
        last.contains("t.dump:"),
        "the garbage line is reached: {last}"
    );
    let first = read(Frames::Index(0)).unwrap();
    assert_eq!(first[0], frame(0, tilted(), [true; 3]));
    assert!(read(Frames::Index(9)).unwrap().is_empty());
    let clean = trajectory(4);
    let last = read_str(
        &clean,
        &ReadOptions {
            frames: Frames::Last,
            ..Default::default()
        },
    );
    assert_eq!(last.unwrap(), [frame(3, tilted(), [true; 3])]);
    let all = read_str(&clean, &ReadOptions::default()).unwrap();
    assert_eq!(all.len(), 4);
}

#[test]
fn lammps_dump_reports_truncated_frames_and_duplicate_ids_with_lines() {
    let text = trajectory(2);
    let cut = &text[..text.len() - 30];
    let e = read_str(cut, &ReadOptions::default())
        .unwrap_err()
        .to_string();
    let lines = cut.lines().count();
    assert!(e.contains(&format!("t.dump:{}:", lines)), "{e}");
    let text = one_frame("id type x y z", &["1 1 0 0 0", "2 1 1 1 1", "1 2 2 2 2"]);
    let e = read_str(&text, &fe_w()).unwrap_err().to_string();
    assert!(
        e.starts_with("t.dump:12: duplicate atom id 1 (also on line 10)"),
        "{e}"
    );
}

/// Unwrapped position of LAMMPS atom `id` at `step`, from the script that made the fixtures
/// (tests/fixtures/make_lammps_fixtures.py): ballistic motion r0 + v t with dt = 1 fs.
fn ballistic(id: usize, step: usize) -> Vector3<f64> {
    let h = Matrix3::new(5.0, 0.0, 0.0, 1.0, 6.0, 0.0, 0.5, -0.7, 7.0);
    let (r0, v) = match id {
        1 => (Vector3::new(1.0, 1.0, 1.0), Vector3::new(1.5, -2.0, 0.25)),
        2 => (Vector3::new(4.5, 3.0, 6.5), Vector3::new(40.0, 30.0, -20.0)),
        3 => (
            Vector3::new(2.0, 3.0, 0.5) - h.row(0).transpose() + 2.0 * h.row(2).transpose(),
            Vector3::new(-35.0, 10.0, 50.0),
        ),
        _ => (Vector3::new(3.0, 0.5, 6.0), Vector3::new(0.0, -45.0, -60.0)),
    };
    r0 + v * (step as f64 * 0.001)
}

#[test]
fn lammps_dump_reads_lammps_custom_and_atom_dumps_in_every_position_form() {
    let files = [
        ("good/lammps_custom_image.dump", ReadOptions::default()),
        ("good/lammps_custom_scaled.dump", fe_w()),
        ("good/lammps_custom_unwrapped.dump", ReadOptions::default()),
        ("good/lammps_atom.dump", fe_w()),
    ];
    for (name, opts) in files {
        let frames = io::read_path(&fixture(name), &opts).unwrap();
        assert_eq!(frames.len(), 5, "{name}");
        for (k, s) in frames.iter().enumerate() {
            assert_eq!(s.info()["timestep"], InfoValue::Int(25 * k as i64));
            assert_eq!(
                s.species(),
                [Element::FE, Element::W, Element::FE, Element::W]
            );
            for (i, p) in s.positions().iter().enumerate() {
                let expected = ballistic(i + 1, 25 * k);
                assert!(
                    (p - expected).norm() < 1e-9,
                    "{name} frame {k} atom {i}: {p}"
                );
            }
        }
    }
    let s = io::read_path(
        &fixture("good/lammps_custom_image.dump"),
        &ReadOptions::default(),
    )
    .unwrap()
    .remove(0);
    assert_eq!(s.velocities().unwrap()[1], Vector3::new(40.0, 30.0, -20.0));
    assert_eq!(s.property("c_st").map(Property::components), Some(3));
    assert_eq!(s.property("forces").map(Property::components), Some(3));
    // ke/atom = m v^2 / 2 in eV (LAMMPS mvv2e): checks the column stayed with its atom.
    let ke = s.property("c_ke").unwrap().as_real().unwrap();
    let v2: f64 = Vector3::new(40.0, 30.0, -20.0).norm_squared();
    assert!((ke[1] - 0.5 * 183.84 * v2 * fe_structure::units::MVV2E).abs() < 1e-9);
}

fn status_kb(key: &str) -> usize {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let line = status.lines().find(|l| l.starts_with(key)).unwrap();
    line.split_whitespace().nth(1).unwrap().parse().unwrap()
}

#[test]
#[ignore = "slow: 2-million-atom read"]
fn lammps_dump_reads_two_million_atoms_within_three_times_their_memory() {
    let n = 2_000_000usize;
    let path = std::env::temp_dir().join(format!("fe-2m-{}.dump", std::process::id()));
    {
        use std::io::Write;
        let mut w = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
        write!(w, "ITEM: TIMESTEP\n0\nITEM: NUMBER OF ATOMS\n{n}\n").unwrap();
        write!(w, "ITEM: BOX BOUNDS pp pp pp\n0 800\n0 800\n0 800\n").unwrap();
        writeln!(w, "ITEM: ATOMS id type x y z").unwrap();
        // Ids in reverse order, so the reader has to sort.
        for i in 0..n {
            let x = (i % 1000) as f64 * 0.8 + 0.123456789;
            let y = ((i / 1000) % 1000) as f64 * 0.8 + 0.0123456789;
            let z = (i / 1_000_000) as f64 * 0.8 + 0.5;
            writeln!(w, "{} {} {x} {y} {z}", n - i, 1 + i % 2).unwrap();
        }
    }
    let size_mb = std::fs::metadata(&path).unwrap().len() as f64 / 1e6;
    let rss0 = status_kb("VmRSS:");
    let start = std::time::Instant::now();
    let s = io::read_path(&path, &fe_w()).unwrap().remove(0);
    let seconds = start.elapsed().as_secs_f64();
    let hwm = status_kb("VmHWM:");
    std::fs::remove_file(&path).unwrap();
    assert_eq!(s.len(), n);
    assert_eq!(s.positions()[0].z, 1.3);
    let data_bytes = n * 25;
    let growth = (hwm.saturating_sub(rss0) * 1024) as f64;
    println!(
        "2M-atom dump ({size_mb:.0} MB): {seconds:.2} s, peak growth {:.0} MB = {:.2} x the \
         {:.0} MB of positions + species",
        growth / 1e6,
        growth / data_bytes as f64,
        data_bytes as f64 / 1e6
    );
    assert!(
        growth < 3.0 * data_bytes as f64,
        "peak growth {growth} bytes"
    );
}

#[test]
fn lammps_dump_hand_fixture_with_bounding_box_and_unsorted_ids_reads_as_designed() {
    let frames = io::read_path(&fixture("good/hand_unsorted_scaled.dump"), &fe_w()).unwrap();
    assert_eq!(frames.len(), 2);
    let s = &frames[0];
    // Bounds -0.5..3.0 with xy = 0.5: xlo = -0.5, xhi = 2.5.
    let h = Matrix3::new(3.0, 0.0, 0.0, 0.5, 3.0, 0.0, 0.0, 0.0, 3.0);
    assert_eq!(s.cell().matrix(), &h);
    assert_eq!(s.cell().pbc(), [true, true, false]);
    assert_eq!(s.species(), [Element::FE, Element::W]);
    assert_eq!(s.positions()[0], Vector3::new(-0.5, 0.0, 0.0));
    assert_eq!(s.positions()[1], Vector3::new(1.25, 1.5, 1.5));
    assert_eq!(s.property("c_cna"), Some(&Property::scalar(vec![3.0, 1.0])));
    assert_eq!(s.property("q"), Some(&Property::scalar(vec![0.25, -0.25])));
    assert!((frames[1].positions()[0] - Vector3::new(-0.2, 0.0, 0.0)).norm() < 1e-15);
    assert_eq!(frames[1].info()["timestep"], InfoValue::Int(20));
}

/// LAMMPS' general triclinic form: `avec bvec cvec` in data files and `BOX BOUNDS abc origin`
/// in dumps (fixtures from make_lammps_fixtures.py) give the same cell, atoms and velocities.
#[test]
fn lammps_general_triclinic_data_and_dump_agree() {
    let data = io::read_path(&fixture("good/lammps_general_triclinic.data"), &fe_w())
        .unwrap()
        .remove(0);
    let dump = io::read_path(&fixture("good/lammps_general_triclinic.dump"), &fe_w())
        .unwrap()
        .remove(0);
    let h = Matrix3::new(3.0, 0.2, 0.1, 0.5, 3.1, -0.3, 0.2, 0.4, 3.2);
    for s in [&data, &dump] {
        assert!((s.cell().matrix() - h).abs().max() < 1e-14);
        assert_eq!(s.species(), [Element::FE, Element::W]);
        // The script set v = (1, 2, 3) in LAMMPS' rotated frame: only the norm is frame-free.
        let v = s.velocities().unwrap()[0];
        assert!((v.norm() - 14f64.sqrt()).abs() < 1e-12);
    }
    for (a, b) in data.positions().iter().zip(dump.positions()) {
        assert!((a - b).norm() < 1e-12, "{a} vs {b}");
    }
}
