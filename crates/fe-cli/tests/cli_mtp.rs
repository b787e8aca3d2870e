//! `fe mtp template` and `fe eval --potential mtp:...` through the built binary.

#![allow(clippy::unwrap_used)] // test helpers outside #[test] functions

mod common;

use common::{fe, json_stdout, temp};

#[test]
fn fe_mtp_template_writes_an_untrained_level_16_file() {
    let out = temp("t16.mtp");
    let o = fe(&[
        "mtp",
        "template",
        "--level",
        "16",
        "--species",
        "2",
        "--min-dist",
        "1.4",
        "--max-dist",
        "6.5",
        "--radial-basis-size",
        "8",
        "--output",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(text.starts_with("MTP\nversion = 1.1.0\npotential_name = MTP1m\nspecies_count = 2\n"));
    assert!(text.contains("\tmin_dist = 1.4\n\tmax_dist = 6.5\n"));
    assert!(text.contains("alpha_index_basic_count = 130\n"));
    assert!(text.contains("alpha_scalar_moments = 92\n"));
    // An odd level is a usage error (status 2) that says why.
    let o = fe(&[
        "mtp",
        "template",
        "--level",
        "15",
        "--min-dist",
        "1",
        "--max-dist",
        "5",
        "--output",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("even"));
    // An untrained file cannot be evaluated, and the error says so.
    let s = temp("one.extxyz");
    std::fs::write(
        &s,
        "1\nLattice=\"10 0 0 0 10 0 0 0 10\" Properties=species:S:1:pos:R:3 pbc=\"T T T\"\nFe 0 0 0\n",
    )
    .unwrap();
    let o = fe(&[
        "eval",
        "--potential",
        &format!("mtp:{}@Fe,W", out.display()),
        "--input",
        s.to_str().unwrap(),
    ]);
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("untrained"));
}

#[test]
#[ignore = "needs ../shared reference data"]
fn fe_eval_mtp_matches_the_reference() {
    let dir = fe_testkit::shared_dir();
    let r = fe_testkit::shared_json("reference/mtp/fe_tric_shear96_r006__Fe_mtp_L16.json");
    let pot = dir.join("data/potentials/Fe_mtp_L16.mtp");
    let input = dir.join("reference/mtp/fe_tric_shear96_r006.extxyz");
    let v = json_stdout(&fe(&[
        "eval",
        "--potential",
        &format!("mtp:{}", pot.display()),
        "--input",
        input.to_str().unwrap(),
    ]));
    let n = r["natoms"].as_f64().unwrap();
    assert_eq!(v["natoms"], r["natoms"]);
    let de = (v["energy"].as_f64().unwrap() - r["energy"].as_f64().unwrap()).abs() / n;
    assert!(de < 1e-8, "{de}");
    for (a, b) in v["forces"]
        .as_array()
        .unwrap()
        .iter()
        .zip(r["forces"].as_array().unwrap())
    {
        for k in 0..3 {
            assert!((a[k].as_f64().unwrap() - b[k].as_f64().unwrap()).abs() < 1e-6);
        }
    }
    for (a, b) in v["virial"]
        .as_array()
        .unwrap()
        .iter()
        .zip(r["virial"].as_array().unwrap())
    {
        assert!((a.as_f64().unwrap() - b.as_f64().unwrap()).abs() < 1e-6 * 200.0);
    }
    // with the element named explicitly
    let v2 = json_stdout(&fe(&[
        "eval",
        "--potential",
        &format!("mtp:{}@Fe", pot.display()),
        "--input",
        input.to_str().unwrap(),
    ]));
    assert_eq!(v2["energy"], v["energy"]);
}
