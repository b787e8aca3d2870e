//! `fe relax` and `fe md` (CLI.md keys, outputs, errors).

mod common;

use common::{assert_ok, fe, fixture, json_stdout, read_json, temp};
use fe_structure::io::{read_path, Frames, ReadOptions};

#[test]
fn fe_relax_reports_the_cli_md_keys_and_writes_the_structure() {
    let out = temp("relaxed.extxyz");
    let report = temp("relax.json");
    let input = fixture("fe_tric16.extxyz");
    for cell in ["none", "iso", "tri"] {
        let o = fe(&[
            "relax",
            "--potential",
            "zhou2004",
            "--input",
            &input,
            "--output",
            out.to_str().unwrap(),
            "--box",
            cell,
            "--fmax",
            "1e-5",
            "--report",
            report.to_str().unwrap(),
            "-q",
        ]);
        assert_ok(&o);
        let r = read_json(&report);
        for key in [
            "energy",
            "natoms",
            "steps",
            "fmax",
            "converged",
            "cell",
            "force_evaluations",
        ] {
            assert!(r.get(key).is_some(), "{cell}: missing {key}");
        }
        assert_eq!(r["natoms"], 16);
        assert_eq!(r["converged"], true, "{cell}: {r}");
        assert!(r["fmax"].as_f64().unwrap() < 1e-5);
        let s = &read_path(&out, &ReadOptions::default()).unwrap()[0];
        assert_eq!(s.len(), 16);
        let h = s.cell().matrix();
        let c = &r["cell"];
        for a in 0..3 {
            for b in 0..3 {
                assert!((h[(a, b)] - c[a][b].as_f64().unwrap()).abs() < 1e-9);
            }
        }
    }
    // Report on stdout when --report is absent; a step limit is reported, not an error.
    let o = fe(&[
        "relax",
        "--potential",
        "zhou2004",
        "--input",
        &input,
        "--output",
        out.to_str().unwrap(),
        "--max-steps",
        "1",
    ]);
    let r = json_stdout(&o);
    assert_eq!(r["converged"], false);
}

#[test]
fn fe_relax_and_md_reject_bad_arguments() {
    let input = fixture("fe_tric16.extxyz");
    let out = temp("bad.extxyz");
    let o = fe(&[
        "relax",
        "--potential",
        "zhou2004",
        "--input",
        &input,
        "--output",
        out.to_str().unwrap(),
        "--box",
        "cubic",
    ]);
    assert_eq!(o.status.code(), Some(2));
    let o = fe(&[
        "md",
        "--potential",
        "zhou2004",
        "--input",
        &input,
        "--ensemble",
        "nvx",
        "--temperature",
        "300",
        "--steps",
        "2",
        "--timestep",
        "0.001",
        "--output",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    let o = fe(&[
        "md",
        "--potential",
        "zhou2004",
        "--input",
        &input,
        "--ensemble",
        "nve",
        "--temperature",
        "300",
        "--steps",
        "2",
        "--timestep",
        "0",
        "--output",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("error:"));
}

#[test]
fn fe_md_writes_frames_and_thermo_for_every_ensemble() {
    let input = fixture("fe_tric16.extxyz");
    for (ensemble, traj) in [
        ("nve", "md.extxyz"),
        ("nvt", "md.dump"),
        ("npt", "md_npt.extxyz"),
    ] {
        let traj = temp(traj);
        let thermo = temp("thermo.jsonl");
        let o = fe(&[
            "md",
            "--potential",
            "zhou2004",
            "--input",
            &input,
            "--ensemble",
            ensemble,
            "--temperature",
            "300",
            "--steps",
            "20",
            "--timestep",
            "0.001",
            "--output",
            traj.to_str().unwrap(),
            "--seed",
            "3",
            "--traj-every",
            "10",
            "--thermo-every",
            "5",
            "--thermo",
            thermo.to_str().unwrap(),
        ]);
        let r = json_stdout(&o);
        assert_eq!(r["steps"], 20, "{ensemble}");
        assert_eq!(r["force_evaluations"], 21, "{ensemble}");
        let opts = ReadOptions {
            types: Some(vec![fe_structure::Element::FE]),
            frames: Frames::All,
        };
        let frames = read_path(&traj, &opts).unwrap();
        assert_eq!(frames.len(), 3, "{ensemble}");
        assert!(frames[2].velocities().is_some());
        let lines = std::fs::read_to_string(&thermo).unwrap();
        assert_eq!(lines.lines().count(), 5, "{ensemble}");
        for l in lines.lines() {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            assert!(v["temperature_K"].as_f64().unwrap().is_finite());
        }
    }
}

#[test]
fn fe_relax_symmetric_keeps_a_dumbbell_on_its_axis() {
    use fe_structure::build::{add_dumbbell, bcc, nearest_atom};
    use fe_structure::io::{write_path, WriteOptions};
    use nalgebra::Vector3;
    let a = 2.8553;
    let mut s = bcc(fe_structure::Element::FE, a)
        .unwrap()
        .replicate(3, 3, 3)
        .unwrap();
    let (i, _) = nearest_atom(&s, &Vector3::repeat(1.5 * a)).unwrap();
    add_dumbbell(&mut s, i, Vector3::new(1.0, 0.0, 0.0), 0.7 * a).unwrap();
    let input = temp("dumbbell100.extxyz");
    write_path(&input, &[s], &WriteOptions::default()).unwrap();
    let out = temp("dumbbell100_relaxed.extxyz");
    let o = fe(&[
        "relax",
        "--potential",
        "zhou2004",
        "--input",
        input.to_str().unwrap(),
        "--output",
        out.to_str().unwrap(),
        "--fmax",
        "1e-4",
        "--symmetric",
        "-q",
    ]);
    let r = json_stdout(&o);
    assert_eq!(r["converged"], true, "{r}");
    assert_eq!(r["symmetry_operations"], 16, "{r}");
    let relaxed = &read_path(&out, &ReadOptions::default()).unwrap()[0];
    let n = relaxed.len();
    let axis = relaxed.positions()[n - 2] - relaxed.positions()[n - 1];
    assert!(axis.y.abs() < 1e-6 && axis.z.abs() < 1e-6, "{axis:?}");
    // A bad tolerance is a usage error, not a panic.
    let o = fe(&[
        "relax",
        "--potential",
        "zhou2004",
        "--input",
        input.to_str().unwrap(),
        "--output",
        out.to_str().unwrap(),
        "--symmetric",
        "-1",
        "-q",
    ]);
    assert!(!o.status.success());
}
