//! `fe grade` and `fe select`: grades of the W `.almtp` (MTP.md 9.4), a state built from a
//! training `.cfg`, selection with a limit, neighbourhood cutting, and errors.
#![allow(clippy::unwrap_used)]

mod common;

use common::{fe, fixture, json_stdout, temp};
use fe_structure::build::{bcc, rattle};
use fe_structure::io::{write_path, WriteOptions};
use fe_structure::{Element, Structure};

fn w_cells(count: usize, scale: f64, seed: u64) -> Vec<Structure> {
    (0..count)
        .map(|k| {
            let mut s = bcc(Element::W, 3.17 * (scale + 0.01 * k as f64))
                .unwrap()
                .replicate(2, 2, 2)
                .unwrap();
            rattle(&mut s, 0.05, seed + k as u64).unwrap();
            s
        })
        .collect()
}

#[test]
fn missing_state_and_bad_thresholds_are_errors() {
    let out = fe(&[
        "grade",
        "--potential",
        "/nonexistent/state.almtp",
        "--input",
        &fixture("fe_tric16.extxyz"),
        "--quiet",
    ]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("error"));
    let out = fe(&[
        "grade",
        "--potential",
        "/nonexistent/state.json",
        "--input",
        &fixture("fe_tric16.extxyz"),
        "--thresholds",
        "3,2,1",
        "--quiet",
    ]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
#[ignore = "needs ../shared reference data"]
fn grade_with_the_w_almtp() {
    let almtp = fe_testkit::shared_dir().join("data/potentials/W-mlip3-basic.almtp");
    let input = fe_testkit::shared_dir().join("reference/structures/w_bcc444_r010.extxyz");
    let v = json_stdout(&fe(&[
        "grade",
        "--potential",
        almtp.to_str().unwrap(),
        "--input",
        input.to_str().unwrap(),
        "--quiet",
    ]));
    assert_eq!(v["grade"].as_array().unwrap().len(), 128);
    let g = v["max_grade"].as_f64().unwrap();
    assert!((g - 0.6695).abs() < 1e-4, "{g}");
    assert_eq!(v["classes"]["interpolation"].as_u64(), Some(128));
}

#[test]
#[ignore = "needs ../shared reference data"]
fn build_grade_add_cut() {
    let mtp = fe_testkit::shared_dir().join("data/potentials/W-mlip3-basic.mtp");
    let almtp = fe_testkit::shared_dir().join("data/potentials/W-mlip3-basic.almtp");
    let train = temp("train.cfg");
    let cand = temp("cand.cfg");
    write_path(&train, &w_cells(3, 1.0, 1), &WriteOptions::default()).unwrap();
    write_path(&cand, &w_cells(2, 0.9, 7), &WriteOptions::default()).unwrap();
    let state = temp("state.json");
    let t = train.to_str().unwrap();
    let c = cand.to_str().unwrap();
    let st = state.to_str().unwrap();
    let b = json_stdout(&fe(&[
        "select",
        "build",
        "--potential",
        mtp.to_str().unwrap(),
        "--training",
        t,
        "--types",
        "W",
        "--output",
        st,
        "--quiet",
    ]));
    assert!(b["swaps"].as_u64().unwrap() > 0);
    // Training configurations interpolate: a list of three results.
    let g = json_stdout(&fe(&[
        "grade",
        "--potential",
        st,
        "--input",
        t,
        "--types",
        "W",
        "--quiet",
    ]));
    let list = g.as_array().unwrap();
    assert_eq!(list.len(), 3);
    for r in list {
        assert!(r["max_grade"].as_f64().unwrap() <= 1.001 + 1e-9);
    }
    // Compressed candidates extrapolate; at most one is selected.
    let sel = temp("selected.cfg");
    let a = json_stdout(&fe(&[
        "select",
        "add",
        "--state",
        st,
        "--training",
        t,
        "--candidates",
        c,
        "--types",
        "W",
        "--limit",
        "1",
        "--output",
        sel.to_str().unwrap(),
        "--quiet",
    ]));
    assert_eq!(a["selected"].as_array().unwrap().len(), 1);
    assert!(std::fs::read_to_string(&sel).unwrap().contains("BEGIN_CFG"));
    // Cut the most extrapolative neighbourhood of each candidate with the .almtp state.
    let nbh = temp("nbh.cfg");
    let k = json_stdout(&fe(&[
        "select",
        "cut",
        "--state",
        almtp.to_str().unwrap(),
        "--input",
        c,
        "--types",
        "W",
        "--radius",
        "5",
        "--min-grade",
        "0",
        "--output",
        nbh.to_str().unwrap(),
        "--quiet",
    ]));
    assert_eq!(k["clusters"].as_array().unwrap().len(), 2);
    let text = std::fs::read_to_string(&nbh).unwrap();
    assert_eq!(text.matches("BEGIN_CFG").count(), 2);
    assert!(text.contains("extrapolation_grade"));
    assert!(!text.contains("Supercell"));
}
