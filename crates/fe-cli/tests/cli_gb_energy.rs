//! `fe gb-energy` through the built binary on a small unrelaxed polycrystal: the CLI.md keys,
//! the sum rule, agreement with `fe eval`, the bulk relaxation, profiles, CSV and errors.

mod common;

use common::{assert_ok, fe, json_stdout, num as f, read_json, small_polycrystal, temp};

#[test]
fn gb_energy_reports_the_cli_keys_and_obeys_the_sum_rule() {
    let (s, g) = small_polycrystal("gbe");
    let eval = json_stdout(&fe(&[
        "eval",
        "--potential",
        "zhou2004",
        "--input",
        &s,
        "--quiet",
    ]));
    let e_bulk = -4.2;
    let eb = e_bulk.to_string();
    let csv = temp("gbe_tables").display().to_string();
    let r = json_stdout(&fe(&[
        "gb-energy",
        "--potential",
        "zhou2004",
        "--input",
        &s,
        "--grains",
        &g,
        "--bulk-energy",
        &eb,
        "--csv",
        &csv,
        "--quiet",
    ]));
    let natoms = eval["natoms"].as_u64().unwrap() as f64;
    let excess = f(&eval["energy"]) - natoms * e_bulk;
    assert!((f(&r["excess_energy_eV"]) - excess).abs() < 1e-8 * excess.abs());
    let area = f(&r["gb_area_A2"]);
    let gamma = f(&r["average_gb_energy_J_per_m2"]);
    assert!((gamma - excess / area * 16.021_766_34).abs() < 1e-9 * gamma.abs());
    // Sum rule over every facet: sum_k gamma_k A_k = E - N e_bulk.
    let mut sum = 0.0;
    let mut total_area = 0.0;
    for key in ["per_gb", "small_gbs", "self_image_gbs"] {
        for gb in r[key].as_array().unwrap() {
            // GRAINS.json has rotations: every GB gets a cubic disorientation, 0 for a grain
            // against its own image.
            let m = f(&gb["misorientation_deg"]);
            assert!((0.0..=62.81).contains(&m), "{m}");
            if gb["self_image"].as_bool().unwrap() {
                assert!(m.abs() < 1e-6);
            }
            sum += f(&gb["energy_J_per_m2"]) / 16.021_766_34 * f(&gb["area_A2"]);
            total_area += f(&gb["area_A2"]);
        }
    }
    assert!(
        (sum - excess).abs() < 1e-9 * excess.abs(),
        "{sum} vs {excess}"
    );
    assert!((total_area - area).abs() < 1e-9 * area);
    let table = std::fs::read_to_string(format!("{csv}_gbs.csv")).unwrap();
    assert!(table.starts_with("facet,grain_i,grain_j"));
    // Nothing moved: the mapped area is the tessellation's.
    assert!((area - f(&r["gb_area_initial_A2"])).abs() < 1e-9 * area);
}

#[test]
fn gb_energy_relaxes_the_bulk_and_makes_profiles() {
    let (s, g) = small_polycrystal("gbp");
    let out = temp("gbp_report.json");
    let o = fe(&[
        "gb-energy",
        "--potential",
        "zhou2004",
        "--input",
        &s,
        "--grains",
        &g,
        "--profiles",
        "--output",
        out.to_str().unwrap(),
        "--quiet",
    ]);
    assert_ok(&o);
    let r = read_json(&out);
    // zhou2004 Fe: a0 near 2.83-2.87 A, e_bulk near -4.1 to -4.4 eV (METHODS.md 13).
    let a0 = f(&r["bulk"]["a0_A"]);
    assert!((2.80..2.90).contains(&a0), "{a0}");
    assert!(r["bulk"]["converged"].as_bool().unwrap());
    let gamma = f(&r["average_gb_energy_J_per_m2"]);
    assert!(gamma > 0.5 && gamma < 5.0, "{gamma}");
    let p = &r["profile"];
    let bins = p["bins"].as_array().unwrap();
    let counted: u64 = bins
        .iter()
        .map(|b| b["volume_A3"]["count"].as_u64().unwrap())
        .sum();
    assert_eq!(counted, r["natoms"].as_u64().unwrap());
    let fl = f(&p["looser_fraction"]) + f(&p["tighter_fraction"]);
    assert!(fl <= 1.0 + 1e-12 && fl > 0.9);
    assert_eq!(p["layers"].as_array().unwrap().len(), 3);
}

#[test]
fn gb_energy_rejects_bad_grains_files() {
    let (s, _) = small_polycrystal("gbbad");
    let bad = temp("gbbad_grains.json");
    std::fs::write(
        &bad,
        "{\"cell\": [[20,0,0],[0,20,0]],\n\"seeds\": [[1,2,3]]}",
    )
    .unwrap();
    let o = fe(&[
        "gb-energy",
        "--potential",
        "zhou2004",
        "--input",
        &s,
        "--grains",
        bad.to_str().unwrap(),
        "--bulk-energy",
        "-4.2",
        "--quiet",
    ]);
    assert!(!o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("gbbad_grains.json") && err.contains("line"),
        "{err}"
    );
}
