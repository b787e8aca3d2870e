//! `gb_report` end to end on small structures with known answers: the sum rule on a built
//! polycrystal with real per-atom energies, exact Nanson areas after a shear, and perfect bcc
//! profiles (every Voronoi volume a^3/2, 14 faces).

use fe_gbanalysis::{gb_report, map_facets, Deformation, GbOptions, Grains, ProfileOptions};
use fe_potentials::{from_spec, Evaluator, Request};
use fe_structure::build::bcc;
use fe_structure::{Cell, Element};
use fe_voronoi::polycrystal::{random_rotations, random_seeds};
use fe_voronoi::{build_polycrystal, PolycrystalSpec};
use nalgebra::{Matrix3, Vector3};

#[test]
fn sum_rule_and_sheared_areas_on_a_small_polycrystal() {
    let a = 2.8553;
    let cell = Cell::cubic(8.0 * a).unwrap();
    let spec = PolycrystalSpec {
        a,
        ..PolycrystalSpec::default()
    };
    let seeds = random_seeds(&cell, 3, 5, spec.min_seed_distance).unwrap();
    let rotations = random_rotations(3, 5);
    let p = build_polycrystal(&cell, &seeds, &rotations, &spec, &|_| {}).unwrap();
    let grains = Grains::from_tessellation(p.tessellation.clone(), p.rotations.clone()).unwrap();
    // Shear the structure (cell and atoms) as a relaxation might.
    let f = Matrix3::new(1.01, 0.03, 0.0, 0.0, 0.99, -0.02, 0.01, 0.0, 1.02);
    let mut s = p.structure.clone();
    s.deform(&f).unwrap();
    let potential = from_spec("zhou2004", &[Element::FE]).unwrap();
    let r = Evaluator::new(potential)
        .evaluate(
            &s,
            Request {
                per_atom_energy: true,
                ..Request::ENERGY
            },
        )
        .unwrap();
    let e = r.per_atom_energy.unwrap();
    let e_bulk = -4.28;
    let report = gb_report(&s, &e, &grains, e_bulk, &GbOptions::default()).unwrap();
    let excess = r.energy - s.len() as f64 * e_bulk;
    assert!((report.excess_energy - excess).abs() < 1e-9 * excess.abs());
    // Sum rule: every atom once, so sum_k gamma_k A'_k = E - N e_bulk.
    let all = report.all_gbs();
    let sum: f64 = all
        .iter()
        .map(|g| g.energy_j_per_m2 / fe_gbanalysis::EV_PER_A2_IN_J_PER_M2 * g.area)
        .sum();
    assert!(
        (sum - excess).abs() < 1e-9 * excess.abs(),
        "{sum} vs {excess}"
    );
    assert_eq!(
        all.iter().map(|g| g.atoms).sum::<usize>(),
        s.len(),
        "every atom assigned once"
    );
    // Areas: Nanson with F equals the area of the explicitly moved polygons.
    let d = Deformation::new(&f).unwrap();
    for (g, f0) in all.iter().zip(p.tessellation.facets()) {
        let moved: Vec<Vector3<f64>> = f0.polygon.iter().map(|v| f * v).collect();
        let mut twice = Vector3::zeros();
        for k in 1..moved.len() - 1 {
            twice += (moved[k] - moved[0]).cross(&(moved[k + 1] - moved[0]));
        }
        assert!((g.area - 0.5 * twice.norm()).abs() < 1e-9 * g.area);
        assert!((g.area - d.area_normal(f0.area, &f0.normal).0).abs() < 1e-9 * g.area);
    }
    let mapped = map_facets(&p.tessellation, s.cell()).unwrap();
    let total: f64 = mapped.iter().map(|m| m.area).sum();
    assert!((report.gb_area - total).abs() < 1e-9 * total);
}

#[test]
fn perfect_bcc_profile_is_flat_at_the_bulk_volume() {
    let a = 2.8553;
    let s = bcc(Element::FE, a).unwrap().replicate(4, 4, 4).unwrap();
    let grains = Grains::new(
        s.cell(),
        &[Vector3::new(1.0, 2.0, 3.0), Vector3::new(6.0, 7.0, 9.0)],
        vec![],
    )
    .unwrap();
    let e = vec![-4.0; s.len()];
    let options = GbOptions {
        profile: Some(ProfileOptions::bcc(a)),
        ..GbOptions::default()
    };
    let r = gb_report(&s, &e, &grains, -4.0, &options).unwrap();
    let p = r.profile.unwrap();
    let v_bulk = a * a * a / 2.0;
    for b in p.bins.iter().filter(|b| b.volume.count > 0) {
        assert!((b.volume.mean.unwrap() - v_bulk).abs() < 1e-10 * v_bulk);
        assert!(b.volume.std.unwrap() < 1e-9);
        assert_eq!(b.faces.min, Some(14.0));
        assert_eq!(b.faces.max, Some(14.0));
    }
    assert_eq!(p.looser_fraction, 0.0);
    assert_eq!(p.tighter_fraction, 0.0);
    assert_eq!(
        p.layers.iter().map(|l| l.atoms).sum::<usize>(),
        p.atoms_within_layers
    );
}

#[test]
fn report_json_and_plots_of_a_small_polycrystal() {
    let a = 2.8553;
    let cell = Cell::cubic(8.0 * a).unwrap();
    let spec = PolycrystalSpec {
        a,
        ..PolycrystalSpec::default()
    };
    let seeds = random_seeds(&cell, 3, 4, spec.min_seed_distance).unwrap();
    let p = build_polycrystal(&cell, &seeds, &random_rotations(3, 4), &spec, &|_| {}).unwrap();
    let grains = Grains::from_tessellation(p.tessellation.clone(), p.rotations.clone()).unwrap();
    let e: Vec<f64> = (0..p.structure.len())
        .map(|i| -4.0 + 0.01 * (i % 7) as f64)
        .collect();
    let options = GbOptions {
        profile: Some(ProfileOptions::bcc(a)),
        ..GbOptions::default()
    };
    let r = gb_report(&p.structure, &e, &grains, -4.0, &options).unwrap();
    // The JSON: the report's keys, the extra keys, an extra key replacing a report key.
    let bulk = fe_gbanalysis::BulkReference {
        e_bulk: -4.0,
        a0: a,
        pressure_bar: 0.0,
        converged: true,
    };
    let doc = r
        .to_json_value([
            ("potential", serde_json::json!("test")),
            ("bulk", bulk.to_json()),
            ("natoms", serde_json::json!(-1)),
        ])
        .unwrap();
    assert_eq!(doc["potential"], "test");
    assert_eq!(doc["bulk"]["a0_A"], a);
    assert_eq!(doc["bulk"]["source"], fe_gbanalysis::BulkReference::SOURCE);
    assert_eq!(doc["natoms"], -1);
    assert_eq!(
        doc["average_gb_energy_J_per_m2"].as_f64(),
        Some(r.average_gb_energy)
    );
    // Small box: no GB above 1000 A^2, so the plots show the small ones.
    assert!(r.per_gb.is_empty());
    assert_eq!(r.plotted_gbs().len(), r.small_gbs.len());
    let dir = std::env::temp_dir().join(format!("fe-gbanalysis-plots-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let written = fe_gbanalysis::plot::report_plots(&r, &dir).unwrap();
    assert_eq!(written, fe_gbanalysis::plot::REPORT_PLOTS);
    for name in written {
        let svg = std::fs::read_to_string(dir.join(name)).unwrap();
        assert!(svg.trim_end().ends_with("</svg>"), "{name}");
    }
    // Without rotations and profiles only the energy histogram is drawn.
    let bare = Grains::new(&cell, &p.tessellation.seeds(), vec![]).unwrap();
    let r = gb_report(&p.structure, &e, &bare, -4.0, &GbOptions::default()).unwrap();
    let written = fe_gbanalysis::plot::report_plots(&r, &dir).unwrap();
    assert_eq!(written, ["gb_energy_histogram.svg"]);
}
