//! `fe eval` and `fe export-eam` through the built binary.

#![allow(clippy::unwrap_used)] // test helpers outside #[test] functions

mod common;

use common::{fe, fixture, json_stdout, temp};

use serde_json::Value;

#[test]
fn fe_eval_zhou2004_gives_the_cli_md_keys_consistently() {
    let v = json_stdout(&fe(&[
        "eval",
        "--potential",
        "zhou2004",
        "--input",
        &fixture("fe_tric16.extxyz"),
    ]));
    assert_eq!(v["natoms"], 16);
    let e = v["energy"].as_f64().unwrap();
    let forces = v["forces"].as_array().unwrap();
    assert_eq!(forces.len(), 16);
    let mut net = [0.0; 3];
    for f in forces {
        let f = f.as_array().unwrap();
        assert_eq!(f.len(), 3);
        for a in 0..3 {
            net[a] += f[a].as_f64().unwrap();
        }
    }
    assert!(net.iter().all(|x| x.abs() < 1e-9), "net force {net:?}");
    assert_eq!(v["virial"].as_array().unwrap().len(), 6);
    let pe: f64 = v["per_atom_energy"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap())
        .sum();
    assert!(
        (pe - e).abs() < 1e-9 * e.abs(),
        "per-atom energies sum to {pe}, energy {e}"
    );
    assert!(e < 0.0 && e.is_finite());
}

#[test]
fn fe_export_eam_of_zhou2004_evaluates_like_the_analytic_model() {
    let out = temp("FeW.eam.alloy");
    let o = fe(&[
        "export-eam",
        "--potential",
        "zhou2004",
        "--elements",
        "Fe,W",
        "--output",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(o.stdout.is_empty());
    let spec = format!("eam:{}", out.display());
    let a = json_stdout(&fe(&[
        "eval",
        "--potential",
        "zhou2004",
        "--input",
        &fixture("fe_tric16.extxyz"),
    ]));
    let b = json_stdout(&fe(&[
        "eval",
        "--potential",
        &spec,
        "--input",
        &fixture("fe_tric16.extxyz"),
    ]));
    let de = (a["energy"].as_f64().unwrap() - b["energy"].as_f64().unwrap()).abs() / 16.0;
    assert!(de < 1e-6, "analytic vs exported table: {de} eV/atom");
}

#[test]
fn fe_eval_reports_bad_specs_and_unknown_elements() {
    let o = fe(&[
        "eval",
        "--potential",
        "lj:1,2",
        "--input",
        &fixture("fe_tric16.extxyz"),
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(o.stdout.is_empty());
    assert!(String::from_utf8_lossy(&o.stderr).contains("lj:1,2"));
    // a W-only table cannot evaluate Fe
    let out = temp("W.eam.alloy");
    let o = fe(&[
        "export-eam",
        "--potential",
        "zhou2004",
        "--elements",
        "W",
        "--output",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success());
    let spec = format!("eam:{}", out.display());
    let o = fe(&[
        "eval",
        "--potential",
        &spec,
        "--input",
        &fixture("fe_tric16.extxyz"),
    ]);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("Fe") && err.contains('W'), "{err}");
    let o = fe(&[
        "eval",
        "--potential",
        "eam:/nonexistent/x.eam.fs",
        "--input",
        &fixture("fe_tric16.extxyz"),
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("/nonexistent/x.eam.fs"));
}

#[test]
#[ignore = "needs ../shared reference data"]
fn fe_eval_reproduces_the_lammps_eam_reference() {
    let shared = fe_testkit::shared_dir();
    let mut n = 0;
    for entry in std::fs::read_dir(shared.join("reference/eam")).unwrap() {
        let path = entry.unwrap().path();
        let r: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let files: Vec<String> = r["potential"]["files"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                shared
                    .join("data/potentials")
                    .join(f.as_str().unwrap())
                    .display()
                    .to_string()
            })
            .collect();
        let spec = format!("eam:{}", files.join(","));
        let input = shared
            .join("reference")
            .join(r["structure"].as_str().unwrap());
        let v = json_stdout(&fe(&[
            "eval",
            "--potential",
            &spec,
            "--input",
            input.to_str().unwrap(),
        ]));
        let natoms = v["natoms"].as_f64().unwrap();
        let de = (v["energy"].as_f64().unwrap() - r["energy"].as_f64().unwrap()).abs() / natoms;
        assert!(de < 1e-8, "{}: {de} eV/atom", path.display());
        for (a, b) in v["virial"]
            .as_array()
            .unwrap()
            .iter()
            .zip(r["virial"].as_array().unwrap())
        {
            let (a, b) = (a.as_f64().unwrap(), b.as_f64().unwrap());
            assert!(
                (a - b).abs() < 1e-6 * b.abs().max(1.0),
                "{}: virial {a} vs {b}",
                path.display()
            );
        }
        n += 1;
    }
    assert_eq!(n, 12);
}
