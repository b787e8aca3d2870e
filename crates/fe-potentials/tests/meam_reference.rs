//! MEAM against the LAMMPS reference data of ../shared/reference/meam (ignored without it).
#![allow(clippy::unwrap_used)] // test helpers outside #[test] functions

mod common;

use common::{eval, reference_errors};

use fe_potentials::meam::Meam;
use fe_potentials::Request;

/// Every MEAM case of reference/meam/ to the README's tolerances: energy 1e-7 eV/atom, forces
/// 1e-5 eV/A, virial 1e-5 x max(1, |W|), per-atom energies 1e-7 eV.
#[test]
#[ignore = "needs ../shared reference data"]
fn meam_matches_lammps_reference_data() {
    let shared = fe_testkit::shared_dir();
    let dir = shared.join("reference/meam");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    assert!(files.len() >= 10, "10 MEAM cases expected");
    let mut report = Vec::new();
    for f in files {
        let v: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&f).unwrap()).unwrap();
        // pair_coeff "* * LIBRARY El_1 ... El_n PARAMS T_1 ... T_m"
        let pc: Vec<&str> = v["potential"]["pair_coeff"]
            .as_str()
            .unwrap()
            .split_whitespace()
            .collect();
        let ntypes = v["potential"]["type_order"].as_array().unwrap().len();
        let library = pc[2];
        let entries = &pc[3..pc.len() - ntypes - 1];
        let params = pc[pc.len() - ntypes - 1];
        let pot_dir = shared.join("data/potentials");
        let params_path = pot_dir.join(params);
        let pot = Meam::from_paths(
            &pot_dir.join(library),
            (params != "NULL").then_some(params_path.as_path()),
            entries,
        )
        .unwrap();
        let structure = shared
            .join("reference")
            .join(v["structure"].as_str().unwrap());
        let s = fe_structure::io::read_one(&structure, &Default::default()).unwrap();
        let r = eval(&pot, &s, Request::ALL);
        let err = reference_errors(&r, &v, s.len());
        let (e_err, f_err, w_err, pe_err, scale) = (
            err.energy_per_atom,
            err.force,
            err.virial,
            err.per_atom_energy,
            err.virial_scale,
        );
        let line = format!(
            "{}: dE/atom {e_err:.1e}, max dF {f_err:.1e}, max dW {w_err:.1e} (scale {scale:.0}), max de_i {pe_err:.1e}",
            f.file_name().unwrap().to_string_lossy()
        );
        println!("{line}");
        assert!(e_err < 1e-7, "{line}");
        assert!(f_err < 1e-5, "{line}");
        assert!(w_err < 1e-5 * scale, "{line}");
        assert!(pe_err < 1e-7, "{line}");
        report.push(line);
    }
    println!("{}", report.join("\n"));
}
