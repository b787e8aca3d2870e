//! `fe eval --potential meam:...` through the built binary.

#![allow(clippy::unwrap_used)] // test helpers outside #[test] functions

mod common;

use common::{fe, fixture, json_stdout, temp};

/// The Fe entry of LAMMPS' library.meam (Baskes 1992).
const LIB: &str =
    "'Fe' 'bcc' 8. 26 55.847\n5.07292627 2.935 1.00 1.00080073 1.00 2.866 4.29 0.89\n\
1.0 5.13579244 4.12042448 -2.7 1. 0\n";

#[test]
fn fe_eval_meam_gives_the_cli_md_keys_and_names_bad_keywords() {
    let lib = temp("cli_meam_library.meam");
    std::fs::write(&lib, LIB).unwrap();
    let params = temp("cli_meam_Fe.meam");
    std::fs::write(&params, "rc = 4.0\ndelr = 0.1\n").unwrap();
    let input = fixture("fe_tric16.extxyz");
    let run = |spec: String| json_stdout(&fe(&["eval", "--potential", &spec, "--input", &input]));
    let a = run(format!("meam:{}", lib.display()));
    let b = run(format!("meam:{}:{}@Fe", lib.display(), params.display()));
    assert_eq!(a["natoms"], 16);
    assert_eq!(a, b, "the defaults written out give the NULL numbers");
    let e = a["energy"].as_f64().unwrap();
    let pe: f64 = a["per_atom_energy"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap())
        .sum();
    assert!((pe - e).abs() < 1e-9 * e.abs(), "{pe} vs {e}");
    assert_eq!(a["forces"].as_array().unwrap().len(), 16);
    assert_eq!(a["virial"].as_array().unwrap().len(), 6);
    // an unknown keyword is an error naming file, line and keyword
    std::fs::write(&params, "rc = 4.0\nfoo = 1\n").unwrap();
    let o = fe(&[
        "eval",
        "--potential",
        &format!("meam:{}:{}", lib.display(), params.display()),
        "--input",
        &input,
    ]);
    assert!(!o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("cli_meam_Fe.meam:2") && err.contains("foo"),
        "{err}"
    );
}

/// `fe eval` on a reference structure reproduces LAMMPS (../shared/reference/meam).
#[test]
#[ignore = "needs ../shared reference data"]
fn fe_eval_meam_matches_the_lammps_reference() {
    let shared = fe_testkit::shared_dir();
    let pot = shared.join("data/potentials");
    for (case, spec) in [
        (
            "fe_tric_shear_r008__meam_fe_2nn.json",
            format!(
                "meam:{}:{}",
                pot.join("library_2nn.meam").display(),
                pot.join("Fe_2nn.meam").display()
            ),
        ),
        (
            "w_bcc222_r005__meam_w_1nn.json",
            format!("meam:{}:NULL@W", pot.join("library.meam").display()),
        ),
    ] {
        let v = fe_testkit::shared_json(&format!("reference/meam/{case}"));
        let structure = shared
            .join("reference")
            .join(v["structure"].as_str().unwrap());
        let out = json_stdout(&fe(&[
            "eval",
            "--potential",
            &spec,
            "--input",
            structure.to_str().unwrap(),
        ]));
        let n = v["natoms"].as_f64().unwrap();
        let de = (out["energy"].as_f64().unwrap() - v["energy"].as_f64().unwrap()).abs() / n;
        assert!(de < 1e-7, "{case}: {de}");
        let mut df: f64 = 0.0;
        for (a, b) in out["forces"]
            .as_array()
            .unwrap()
            .iter()
            .zip(v["forces"].as_array().unwrap())
        {
            for k in 0..3 {
                df = df.max((a[k].as_f64().unwrap() - b[k].as_f64().unwrap()).abs());
            }
        }
        assert!(df < 1e-5, "{case}: {df}");
    }
}
