//! The built `fe` binary on fixtures: CLI.md keys, exit codes, nothing but results on stdout.

#![allow(clippy::unwrap_used)] // test helpers outside #[test] functions

mod common;

use common::{fe, fixture, json_stdout, temp};

use std::path::Path;

use fe_structure::io::{read_one, ReadOptions};
use fe_testkit::brute_force_neighbors;
use serde_json::Value;

#[test]
fn fe_info_reports_atoms_species_cell_and_density() {
    let v = json_stdout(&fe(&["info", &fixture("fe_tric16.extxyz")]));
    assert_eq!(v["natoms"], 16);
    assert_eq!(v["species"]["Fe"], 16);
    assert_eq!(v["cell"][1][0].as_f64().unwrap(), 1.2);
    assert_eq!(v["pbc"], serde_json::json!([true, true, true]));
    let vol = v["volume_A3"].as_f64().unwrap();
    assert!((vol - 5.71f64.powi(3)).abs() < 1e-9, "{vol}");
    let rho = v["density_g_per_cm3"].as_f64().unwrap();
    let expected = 16.0 * 55.845 / vol * 1.660_539_066_6;
    assert!((rho - expected).abs() < 1e-9);
    assert_eq!(v["energy"].as_f64().unwrap(), -66.0);
}

#[test]
fn fe_neighbors_counts_match_brute_force_and_pairs_are_half_the_sum() {
    let path = fixture("fe_tric16.extxyz");
    let s = read_one(Path::new(&path), &ReadOptions::default()).unwrap();
    // 6.5 A exceeds half of this 5.7 A cell: several images per pair, self-images included.
    for cutoff in ["2.6", "4.1", "6.5"] {
        let v = json_stdout(&fe(&["neighbors", "--input", &path, "--cutoff", cutoff]));
        let brute = brute_force_neighbors(&s, cutoff.parse().unwrap());
        let counts: Vec<u64> = v["counts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c.as_u64().unwrap())
            .collect();
        let expected: Vec<u64> = brute.iter().map(|r| r.len() as u64).collect();
        assert_eq!(counts, expected, "cutoff {cutoff}");
        assert_eq!(
            v["pairs"].as_u64().unwrap(),
            expected.iter().sum::<u64>() / 2
        );
        assert_eq!(
            v["cutoff"].as_f64().unwrap(),
            cutoff.parse::<f64>().unwrap()
        );
    }
}

#[test]
fn fe_convert_round_trips_through_every_format() {
    let src = fixture("fe_tric16.extxyz");
    let original = read_one(Path::new(&src), &ReadOptions::default()).unwrap();
    for name in ["a.data", "a.dump", "POSCAR", "a.cfg", "b.extxyz"] {
        let out = temp(name);
        let o = fe(&["convert", &src, out.to_str().unwrap(), "--quiet"]);
        assert!(
            o.status.success(),
            "{name}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        assert!(o.stdout.is_empty(), "convert prints nothing on stdout");
        let back = fe(&["info", out.to_str().unwrap(), "--types", "Fe"]);
        let v = json_stdout(&back);
        assert_eq!(v["natoms"], 16, "{name}");
        let vol = v["volume_A3"].as_f64().unwrap();
        assert!(
            (vol - original.cell().volume()).abs() < 1e-8,
            "{name}: {vol}"
        );
    }
}

#[test]
fn fe_reports_bad_input_on_stderr_with_line_and_fails() {
    let o = fe(&["info", &fixture("truncated.extxyz")]);
    assert_eq!(o.status.code(), Some(1));
    assert!(o.stdout.is_empty());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.starts_with("error: "), "{err}");
    assert!(err.contains("truncated.extxyz:4"), "{err}");

    let o = fe(&["info", "/nonexistent/x.extxyz"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("/nonexistent/x.extxyz"));

    let o = fe(&["info", "file.unknown"]);
    assert_eq!(o.status.code(), Some(1));

    let o = fe(&[
        "neighbors",
        "--input",
        &fixture("fe_tric16.extxyz"),
        "--cutoff",
        "-1",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(o.stdout.is_empty());

    let o = fe(&["neighbors", "--cutoff", "2.0"]);
    assert_eq!(
        o.status.code(),
        Some(2),
        "a missing required argument is a usage error"
    );
}

#[test]
#[ignore = "needs ../shared reference data"]
fn fe_neighbors_reproduces_reference_counts_exactly() {
    let shared = fe_testkit::shared_dir();
    let dir = shared.join("reference/neighbors");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    assert!(!files.is_empty());
    let mut checked = 0;
    for f in files {
        let reference: Value = serde_json::from_str(&std::fs::read_to_string(&f).unwrap()).unwrap();
        let structure = shared
            .join("reference")
            .join(reference["structure"].as_str().unwrap());
        for (key, result) in reference["results"].as_object().unwrap() {
            let v = json_stdout(&fe(&[
                "neighbors",
                "--input",
                structure.to_str().unwrap(),
                "--cutoff",
                key,
            ]));
            assert_eq!(
                v["counts"],
                result["per_atom_counts"],
                "{} at {key}",
                f.display()
            );
            assert_eq!(
                v["pairs"],
                result["unique_pairs"],
                "{} at {key}",
                f.display()
            );
            checked += 1;
        }
    }
    assert!(checked >= 20, "only {checked} cases checked");
}
