//! `fe polycrystal` through the built binary: the structure file, GRAINS.json keys of CLI.md,
//! reproducibility, given seeds, and errors on bad input.

#![allow(clippy::unwrap_used)] // test helpers outside #[test] functions

mod common;

use common::{fe, json_stdout, temp};

use std::path::Path;

use fe_structure::io::{read_one, ReadOptions};
use fe_structure::Property;
use serde_json::Value;

/// Run `fe polycrystal` with `extra` arguments, writing `name.extxyz` and `name.json`; returns
/// the stdout summary, the structure path and GRAINS.json.
fn polycrystal(name: &str, extra: &[&str]) -> (Value, String, Value) {
    let out = temp(&format!("{name}.extxyz")).display().to_string();
    let grains = temp(&format!("{name}.json")).display().to_string();
    let mut args = vec![
        "polycrystal",
        "--output",
        &out,
        "--grains-out",
        &grains,
        "--quiet",
    ];
    args.extend_from_slice(extra);
    let o = fe(&args);
    assert!(
        o.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let summary = json_stdout(&o);
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(&grains).unwrap()).unwrap();
    (summary, out, doc)
}

fn floats(v: &Value) -> Vec<f64> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap())
        .collect()
}

const SMALL: &[&str] = &[
    "--box",
    "28.553",
    "--grains",
    "4",
    "--lattice",
    "bcc",
    "--a",
    "2.8553",
    "--element",
    "Fe",
    "--seed",
    "3",
    "--min-distance",
    "2.0",
];

#[test]
fn fe_polycrystal_writes_the_structure_and_the_cli_md_grains_json() {
    let (summary, out, doc) = polycrystal("small", SMALL);
    let s = read_one(Path::new(&out), &ReadOptions::default()).unwrap();
    assert_eq!(summary["natoms"].as_u64().unwrap() as usize, s.len());
    assert!((s.cell().volume() - 28.553f64.powi(3)).abs() < 1e-6);
    // Per-atom grain ids, 0-based, and the counts GRAINS.json reports.
    let Some(Property::Int { values, .. }) = s.property("grain") else {
        panic!("no grain column");
    };
    let counts: Vec<u64> = (0..4)
        .map(|g| values.iter().filter(|&&x| x == g).count() as u64)
        .collect();
    let reported: Vec<u64> = doc["atoms_per_grain"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_u64().unwrap())
        .collect();
    assert_eq!(counts, reported);
    // CLI.md keys.
    let cell = doc["cell"].as_array().unwrap();
    assert_eq!(cell.len(), 3);
    assert_eq!(floats(&cell[0]), vec![28.553, 0.0, 0.0]);
    assert_eq!(doc["seeds"].as_array().unwrap().len(), 4);
    for r in doc["rotations"].as_array().unwrap() {
        let rows: Vec<Vec<f64>> = r.as_array().unwrap().iter().map(floats).collect();
        for i in 0..3 {
            for j in 0..3 {
                let dot: f64 = (0..3).map(|k| rows[k][i] * rows[k][j]).sum();
                let want = if i == j { 1.0 } else { 0.0 };
                assert!((dot - want).abs() < 1e-12, "columns are orthonormal");
            }
        }
    }
    let facets = doc["facets"].as_array().unwrap();
    assert!(!facets.is_empty());
    let mut area = 0.0;
    let mut per_grain = [0.0; 4];
    for f in facets {
        let g = f["grains"].as_array().unwrap();
        let (i, j) = (g[0].as_u64().unwrap(), g[1].as_u64().unwrap());
        assert!(i <= j && j < 4);
        let a = f["area"].as_f64().unwrap();
        area += a;
        per_grain[i as usize] += a;
        per_grain[j as usize] += a;
        let n = floats(&f["normal"]);
        assert!((n.iter().map(|x| x * x).sum::<f64>() - 1.0).abs() < 1e-12);
        assert_eq!(floats(&f["centroid"]).len(), 3);
        assert!(f["polygon"].as_array().unwrap().len() >= 3);
    }
    assert!((area - summary["gb_area_A2"].as_f64().unwrap()).abs() < 1e-9 * area);
    // Facets per grain add up to each grain's surface; volumes to the box.
    let surfaces = floats(&doc["grain_surface_areas"]);
    for g in 0..4 {
        assert!((per_grain[g] - surfaces[g]).abs() < 1e-9 * surfaces[g]);
    }
    let volume: f64 = floats(&doc["grain_volumes"]).iter().sum();
    assert!((volume - 28.553f64.powi(3)).abs() < 1e-9 * volume);
    assert!(!doc["triple_junctions"].as_array().unwrap().is_empty());
    assert_eq!(doc["seed"], 3);
}

#[test]
fn fe_polycrystal_is_reproducible_and_replays_from_its_grains_json() {
    let (_, a, doc) = polycrystal("rep_a", SMALL);
    let (_, b, _) = polycrystal("rep_b", SMALL);
    let text_a = std::fs::read_to_string(&a).unwrap();
    assert_eq!(text_a, std::fs::read_to_string(&b).unwrap());
    // Seeds and rotations given through --seeds-from: the same crystal.
    let grains = temp("rep_a.json").display().to_string();
    let (_, c, again) = polycrystal(
        "rep_c",
        &["--box", "28.553", "--seeds-from", &grains, "--seed", "99"],
    );
    assert_eq!(text_a, std::fs::read_to_string(&c).unwrap());
    assert_eq!(doc["facets"], again["facets"]);
    // Another seed, another crystal.
    let mut other = SMALL.to_vec();
    let k = other.len() - 3;
    other[k] = "4";
    let (_, d, _) = polycrystal("rep_d", &other);
    assert_ne!(text_a, std::fs::read_to_string(&d).unwrap());
}

#[test]
fn fe_polycrystal_builds_triclinic_boxes_and_other_lattices() {
    let (summary, out, doc) = polycrystal(
        "tric_fcc",
        &[
            "--box",
            "30,28,26",
            "--tilt",
            "5,-4,3",
            "--grains",
            "3",
            "--lattice",
            "fcc",
            "--a",
            "3.6",
            "--element",
            "Cu",
        ],
    );
    let s = read_one(Path::new(&out), &ReadOptions::default()).unwrap();
    assert_eq!(s.len() as u64, summary["natoms"].as_u64().unwrap());
    assert_eq!(doc["lattice"], "fcc");
    assert_eq!(floats(&doc["cell"][1]), vec![5.0, 28.0, 0.0]);
    let volume: f64 = floats(&doc["grain_volumes"]).iter().sum();
    assert!((volume - s.cell().volume()).abs() < 1e-9 * volume);
}

#[test]
fn fe_polycrystal_rejects_bad_input_with_a_clear_message() {
    let out = temp("bad.extxyz").display().to_string();
    let run = |extra: &[&str]| {
        let mut args = vec!["polycrystal", "--output", &out];
        args.extend_from_slice(extra);
        let o = fe(&args);
        assert!(o.stdout.is_empty(), "nothing on stdout on failure");
        (
            o.status.code().unwrap(),
            String::from_utf8_lossy(&o.stderr).into_owned(),
        )
    };
    let (code, err) = run(&["--box", "2.0", "--grains", "1"]);
    assert_eq!(code, 1);
    assert!(err.contains("error:") && err.contains("narrower"), "{err}");
    let (code, err) = run(&["--box", "1,2", "--grains", "2"]);
    assert_eq!(code, 2, "{err}");
    let (code, err) = run(&["--box", "20", "--grains", "2", "--lattice", "bct"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("unknown lattice"), "{err}");
    // Coincident seeds (one through a periodic image).
    let seeds = temp("coincident.json");
    std::fs::write(&seeds, r#"{"seeds": [[1, 2, 3], [21, 2, 3]]}"#).unwrap();
    let (code, err) = run(&["--box", "20", "--seeds-from", seeds.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(err.contains("seeds 0 and 1"), "{err}");
    let (code, err) = run(&["--box", "20", "--grains", "2", "--min-distance", "2.6"]);
    assert_eq!(code, 1);
    assert!(err.contains("minimum distance"), "{err}");
}
