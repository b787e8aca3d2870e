//! The main job: build an 8-grain bcc Fe Voronoi nano-polycrystal (Atomsk's method, Paper I),
//! relax it by conjugate gradient with isotropic cell relaxation, and report its average
//! grain-boundary energy (METHODS.md sections 1, 2 and 3.1):
//!
//! $$ \bar\gamma = \frac{E - N e_\text{bulk}}{A_\text{GB}}, $$
//!
//! with $e_\text{bulk}$ the energy per atom of the same potential's zero-pressure bcc crystal
//! and $A_\text{GB}$ the facet area of the seed tessellation, carried to the relaxed cell by
//! Nanson's formula.
//!
//! Run: `cargo run --release --example polycrystal_gb` (about a minute on 2 cores with the
//! embedded `zhou2004` potential; no file needed). Options, all optional:
//!
//! ```text
//! --potential SPEC   zhou2004 (default), eam:PATH, meam:..., mtp:...
//! --size N           box side in lattice constants (default 16: 4.6 nm, ~7,000 atoms)
//! --grains G         number of grains (default 8)
//! --seed S           seeds and orientations (default 1)
//! --fmax F           force tolerance of the relaxation, eV/A (default 1e-3)
//! --output FILE      also write the relaxed structure (format from the name)
//! ```
//!
//! Output: progress lines, then one JSON object with the atom count, e_bulk and the lattice
//! constant, the GB area, the unrelaxed and relaxed average GB energies in J/m^2, and the
//! relaxation report. Classical potentials give about 1.1-1.3 J/m^2 for small boxes (METHODS.md
//! section 3.5); Paper I's MTP gives 1.57 J/m^2 at 28.3 nm.

use std::error::Error;
use std::time::Instant;

use fe::dynamics::minimize::{minimize, Algorithm, MinimizeOptions, Report};
use fe::dynamics::CellDof;
use fe::gbanalysis::{average_gb_energy, mapped_area};
use fe::potentials::{from_spec, Evaluator, Request};
use fe::structure::build::bcc;
use fe::structure::io::{write_path, WriteOptions};
use fe::structure::{Cell, Element, Structure};
use fe::voronoi::polycrystal::{random_rotations, random_seeds};
use fe::voronoi::{build_polycrystal, PolycrystalSpec};
use nalgebra::Matrix3;

/// Command-line options of the main job.
struct Options {
    potential: String,
    size: usize,
    grains: usize,
    seed: u64,
    fmax: f64,
    output: Option<String>,
}

fn options() -> Result<Options, Box<dyn Error>> {
    let mut o = Options {
        potential: "zhou2004".into(),
        size: 16,
        grains: 8,
        seed: 1,
        fmax: 1e-3,
        output: None,
    };
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let mut value = || args.next().ok_or(format!("{flag} needs a value"));
        match flag.as_str() {
            "--potential" => o.potential = value()?,
            "--size" => o.size = value()?.parse()?,
            "--grains" => o.grains = value()?.parse()?,
            "--seed" => o.seed = value()?.parse()?,
            "--fmax" => o.fmax = value()?.parse()?,
            "--output" => o.output = Some(value()?),
            "--help" | "-h" => {
                println!(
                    "polycrystal_gb [--potential SPEC] [--size N] [--grains G] [--seed S] \
                     [--fmax F] [--output FILE]"
                );
                std::process::exit(0);
            }
            other => return Err(format!("unknown option {other} (try --help)").into()),
        }
    }
    Ok(o)
}

/// CG with isotropic cell relaxation to zero pressure.
fn relax(
    s: &mut Structure,
    ev: &mut Evaluator,
    fmax: f64,
    max_evaluations: usize,
) -> Result<Report, Box<dyn Error>> {
    let opts = MinimizeOptions {
        fmax: Some(fmax),
        max_evaluations,
        cell: CellDof::Iso,
        ..MinimizeOptions::default()
    };
    Ok(minimize(s, ev, Algorithm::Cg, &opts)?)
}

fn main() -> Result<(), Box<dyn Error>> {
    let o = options()?;
    let t0 = Instant::now();
    let elements = [Element::FE];
    let potential = from_spec(&o.potential, &elements)?;

    // 1. The bulk reference: zero-pressure bcc Fe of the same potential.
    let mut bulk = bcc(Element::FE, 2.8553)?.replicate(4, 4, 4)?;
    let mut ev = Evaluator::new(potential.clone());
    let bulk_report = relax(&mut bulk, &mut ev, 1e-8, 10_000)?;
    let e_bulk = bulk_report.energy / bulk.len() as f64;
    let a0 = bulk.cell().matrix()[(0, 0)] / 4.0;
    eprintln!(
        "[{:6.1} s] bulk bcc Fe: a0 = {a0:.5} A, e_bulk = {e_bulk:.6} eV/atom ({} evaluations)",
        t0.elapsed().as_secs_f64(),
        bulk_report.force_evaluations
    );

    // 2. The polycrystal, built at the potential's own lattice constant (METHODS.md 2.3).
    let side = o.size as f64 * a0;
    let cell = Cell::new(Matrix3::from_diagonal_element(side), [true; 3])?;
    let spec = PolycrystalSpec {
        a: a0,
        ..PolycrystalSpec::default()
    };
    let seeds = random_seeds(&cell, o.grains, o.seed, spec.min_seed_distance)?;
    let rotations = random_rotations(o.grains, o.seed);
    let poly = build_polycrystal(&cell, &seeds, &rotations, &spec, &|_| {})?;
    let mut s = poly.structure.clone();
    let facets = poly.tessellation.facets();
    let area0: f64 = facets.iter().map(|f| f.area).sum();
    eprintln!(
        "[{:6.1} s] polycrystal: {} grains in a {:.2} nm box, {} atoms ({} deleted as close \
         pairs), {} GB facets, {:.0} A^2",
        t0.elapsed().as_secs_f64(),
        o.grains,
        side / 10.0,
        s.len(),
        poly.removed(),
        facets.len(),
        area0
    );

    // 3. Energy before and after relaxation.
    let mut ev = Evaluator::new(potential);
    let e_built = ev.evaluate(&s, Request::ENERGY)?.energy;
    let unrelaxed = average_gb_energy(e_built, s.len(), e_bulk, area0)?;
    eprintln!(
        "[{:6.1} s] unrelaxed: gamma = {:.4} J/m^2; relaxing (CG, iso cell, fmax {:e} eV/A)...",
        t0.elapsed().as_secs_f64(),
        unrelaxed.j_per_m2,
        o.fmax
    );
    let report = relax(&mut s, &mut ev, o.fmax, 20_000)?;
    eprintln!(
        "[{:6.1} s] relaxed: {} steps, {} force evaluations, fmax {:.2e} eV/A, P {:.3} bar, {}",
        t0.elapsed().as_secs_f64(),
        report.steps,
        report.force_evaluations,
        report.fmax,
        report.pressure_bar,
        report.stop.describe()
    );

    // 4. GB area in the relaxed cell (Nanson) and the average GB energy.
    let f = cell.deformation_to(s.cell());
    let area = facets
        .iter()
        .map(|facet| mapped_area(facet.area, &facet.normal, &f))
        .sum::<Result<f64, _>>()?;
    let gamma = average_gb_energy(report.energy, s.len(), e_bulk, area)?;
    if let Some(path) = &o.output {
        write_path(
            std::path::Path::new(path),
            std::slice::from_ref(&s),
            &WriteOptions::default(),
        )?;
    }

    let summary = serde_json::json!({
        "potential": o.potential,
        "grains": o.grains,
        "seed": o.seed,
        "box_nm": side / 10.0,
        "natoms": s.len(),
        "deleted_close_pairs": poly.removed(),
        "a0_A": a0,
        "e_bulk_eV": e_bulk,
        "gb_facets": facets.len(),
        "gb_area_built_A2": area0,
        "gb_area_relaxed_A2": area,
        "gamma_unrelaxed_J_m2": unrelaxed.j_per_m2,
        "gamma_J_m2": gamma.j_per_m2,
        "energy_eV": report.energy,
        "excess_energy_eV": gamma.excess,
        "relaxation": {
            "steps": report.steps,
            "force_evaluations": report.force_evaluations,
            "fmax_eV_A": report.fmax,
            "pressure_bar": report.pressure_bar,
            "converged": report.converged,
            "stop": report.stop.describe(),
        },
        "seconds": t0.elapsed().as_secs_f64(),
    });
    println!("{}", serde_json::to_string_pretty(&summary)?);
    println!(
        "average GB energy: {:.4} J/m^2 ({} atoms, {} potential)",
        gamma.j_per_m2,
        s.len(),
        o.potential
    );
    Ok(())
}
