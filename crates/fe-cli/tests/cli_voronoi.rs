//! `fe voronoi`: output keys, volumes adding up to the box, the face threshold, errors, and
//! the shared LAMMPS/voro++ reference.
#![allow(clippy::unwrap_used)]

mod common;

use common::{fe, fixture, json_stdout, temp};
use fe_structure::io::{read_path, ReadOptions};
use serde_json::Value;

fn floats(v: &Value) -> Vec<f64> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap())
        .collect()
}

#[test]
fn fe_voronoi_volumes_fill_the_box_and_the_threshold_drops_faces() {
    let path = fixture("fe_tric16.extxyz");
    let s = read_path(std::path::Path::new(&path), &ReadOptions::default()).unwrap();
    let box_volume = s[0].cell().volume();
    let v = json_stdout(&fe(&["voronoi", "--input", &path]));
    let volume = floats(&v["volume"]);
    let faces = floats(&v["faces"]);
    assert_eq!((volume.len(), faces.len()), (16, 16));
    let sum: f64 = volume.iter().sum();
    assert!(
        (sum - box_volume).abs() < 1e-9 * box_volume,
        "{sum} vs {box_volume}"
    );
    // A convex cell has at least 4 faces; a huge threshold drops them all, and the volume
    // stays the whole cell's.
    assert!(faces.iter().all(|&f| f >= 4.0 && f.fract() == 0.0));
    let out = temp("voronoi.json");
    let o = fe(&[
        "voronoi",
        "--input",
        &path,
        "--face-threshold",
        "1e6",
        "--output",
        out.to_str().unwrap(),
        "--quiet",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let w: Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert!(floats(&w["faces"]).iter().all(|&f| f == 0.0));
    assert_eq!(floats(&w["volume"]), volume);
}

#[test]
fn fe_voronoi_rejects_bad_thresholds_and_missing_files() {
    let path = fixture("fe_tric16.extxyz");
    for bad in ["-1", "nan"] {
        let o = fe(&["voronoi", "--input", &path, "--face-threshold", bad]);
        assert_eq!(o.status.code(), Some(1), "{bad}");
        assert!(String::from_utf8_lossy(&o.stderr).contains("threshold"));
    }
    let o = fe(&["voronoi", "--input", "no/such/file.extxyz"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(o.stdout.is_empty());
}

#[test]
#[ignore = "needs ../shared reference data"]
fn fe_voronoi_reproduces_the_reference_volumes_and_face_counts() {
    let shared = fe_testkit::shared_dir();
    let dir = shared.join("reference/voronoi");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    assert!(!files.is_empty());
    for f in files {
        let reference: Value = serde_json::from_str(&std::fs::read_to_string(&f).unwrap()).unwrap();
        let structure = shared
            .join("reference")
            .join(reference["structure"].as_str().unwrap());
        let v = json_stdout(&fe(&["voronoi", "--input", structure.to_str().unwrap()]));
        let (ours, theirs) = (floats(&v["volume"]), floats(&reference["volume"]));
        assert_eq!(ours.len(), theirs.len());
        for (a, b) in ours.iter().zip(&theirs) {
            assert!((a - b).abs() < 1e-8 * b, "{}: {a} vs {b}", f.display());
        }
        let min_area = floats(&reference["min_face_area"]);
        let (nf, rf) = (floats(&v["faces"]), floats(&reference["n_faces"]));
        for i in 0..nf.len() {
            if min_area[i] >= 1e-3 {
                assert_eq!(nf[i], rf[i], "{} atom {i}", f.display());
            }
        }
    }
}
