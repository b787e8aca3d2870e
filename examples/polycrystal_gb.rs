//! The main job: build an 8-grain bcc Fe Voronoi nano-polycrystal (Atomsk's method, Paper I),
//! relax it by conjugate gradient with isotropic cell relaxation (optionally anneal it by NPT
//! MD at 300 K, cool it to 0.1 K and relax it again, METHODS.md section 2), and report its
//! grain boundaries (METHODS.md sections 3 to 5): the average GB energy
//!
//! $$ \bar\gamma = \frac{E - N e_\text{bulk}}{A_\text{GB}}, $$
//!
//! with $e_\text{bulk}$ the energy per atom of the same potential's zero-pressure bcc crystal
//! and $A_\text{GB}$ the facet area of the seed tessellation carried to the relaxed cell by
//! Nanson's formula; per-GB energies with their disorientation angles; Voronoi volume and
//! coordination profiles against the distance to the GB centre; and plots like the paper's
//! Figs. 7, 8 and 9.
//!
//! Run: `cargo run --release --example polycrystal_gb` (about a minute on 2 cores with the
//! embedded `zhou2004` potential; no file needed). Options, all optional:
//!
//! ```text
//! --potential SPEC     zhou2004 (default), eam:PATH, meam:..., mtp:...
//! --size N             box side in lattice constants (default 16: 4.6 nm, ~7,000 atoms)
//! --grains G           number of grains (default 8)
//! --seed S             seeds and orientations (default 1)
//! --fmax F             force tolerance of the relaxations, eV/A (default 1e-3)
//! --output FILE        also write the relaxed structure here (format from the name)
//! --output-dir DIR     where everything goes (default polycrystal_gb_out)
//! --no-profiles        skip the Voronoi volume/coordination profiles
//! --anneal             CG, then NPT MD at --temperature, cool to 0.1 K, CG again
//! --anneal-steps N     MD steps held at the anneal temperature (default 2000 = 2 ps)
//! --cool-steps N       MD steps of the linear ramp to 0.1 K (default 1000 = 1 ps)
//! --temperature T      anneal temperature, K (default 300)
//! --timestep DT        MD time step, ps (default 0.001)
//! --quiet              no progress bars
//! ```
//!
//! Paper I anneals 0.2 ns (200,000 steps) and cools over 0.1 ns; on 2 cores that costs hours
//! for EAM at 5.66 nm (METHODS.md 2.2), so the defaults are short and the flags say so. With
//! `--anneal` the job also reports how many atoms away from the GBs no longer have the
//! orientation of their seed grain (`fe_gbanalysis::reoriented_fraction`; grain growth makes
//! the seed tessellation, and so $A_\text{GB}$, stale: METHODS.md 2.3).
//!
//! The steps are the analysis calls of `fe-gbanalysis` (bulk reference, GB report,
//! reoriented fraction, plots) between the build (`fe-voronoi`) and relaxation
//! (`fe-dynamics`) calls; this file only strings them together and writes the files.
//!
//! Outputs in DIR: `GRAINS.json` (CLI.md format), `relaxed.xyz`, `gb_report.json` (the full
//! report of `fe_gbanalysis::gb_report` plus the run's settings), `gb_gbs.csv`,
//! `gb_profile.csv`, `gb_layers.csv`, `summary.json`, `summary.csv` (one row: what
//! `scripts/polycrystal_study.sh` collects) and the plots `gb_energy_histogram.svg`,
//! `gb_energy_vs_misorientation.svg`, `misorientation_histogram.svg`,
//! `volume_profile.svg`, `coordination_profile.svg`. Standard output: the summary JSON, then
//! the line `average GB energy: ... J/m^2`. Classical potentials give about 1.1-1.3 J/m^2 for
//! small boxes (METHODS.md section 3.5); Paper I's MTP gives 1.57 J/m^2 at 28.3 nm.

use std::error::Error;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use fe::dynamics::md::{maxwell_boltzmann, Barostat, Md, MdOptions, Schedule, Thermostat};
use fe::dynamics::minimize::{minimize, Algorithm, MinimizeOptions, Report};
use fe::dynamics::CellDof;
use fe::gbanalysis::plot;
use fe::gbanalysis::{
    average_gb_energy, bcc_bulk_reference, built_grains, facet_distances, gb_report,
    reoriented_fraction, BulkReference, GbOptions, GbReport, Grains, ProfileOptions, Reoriented,
    ReorientedOptions, DEFAULT_AMBIGUITY_MARGIN,
};
use fe::potentials::{from_spec, Evaluator, Potential, Request};
use fe::structure::io::{write_path, WriteOptions};
use fe::structure::{Cell, Element, Structure};
use fe::voronoi::polycrystal::{random_rotations, random_seeds, BuildStep};
use fe::voronoi::{build_polycrystal, Polycrystal, PolycrystalSpec};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use nalgebra::{Matrix3, Vector3};
use serde_json::{json, Value};

/// Command-line options of the main job.
struct Options {
    potential: String,
    size: usize,
    grains: usize,
    seed: u64,
    fmax: f64,
    output: Option<String>,
    output_dir: PathBuf,
    profiles: bool,
    anneal: bool,
    anneal_steps: usize,
    cool_steps: usize,
    temperature: f64,
    timestep: f64,
    quiet: bool,
}

const USAGE: &str = "polycrystal_gb [--potential SPEC] [--size N] [--grains G] [--seed S] \
[--fmax F] [--output FILE] [--output-dir DIR] [--no-profiles] [--anneal] [--anneal-steps N] \
[--cool-steps N] [--temperature T] [--timestep DT] [--quiet]";

fn options() -> Result<Options, Box<dyn Error>> {
    let mut o = Options {
        potential: "zhou2004".into(),
        size: 16,
        grains: 8,
        seed: 1,
        fmax: 1e-3,
        output: None,
        output_dir: PathBuf::from("polycrystal_gb_out"),
        profiles: true,
        anneal: false,
        anneal_steps: 2000,
        cool_steps: 1000,
        temperature: 300.0,
        timestep: 0.001,
        quiet: false,
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
            "--output-dir" => o.output_dir = PathBuf::from(value()?),
            "--no-profiles" => o.profiles = false,
            "--anneal" => o.anneal = true,
            "--anneal-steps" => o.anneal_steps = value()?.parse()?,
            "--cool-steps" => o.cool_steps = value()?.parse()?,
            "--temperature" => o.temperature = value()?.parse()?,
            "--timestep" => o.timestep = value()?.parse()?,
            "--quiet" => o.quiet = true,
            "--help" | "-h" => {
                println!("{USAGE}");
                std::process::exit(0);
            }
            other => return Err(format!("unknown option {other} (try --help)").into()),
        }
    }
    if o.anneal && o.anneal_steps + o.cool_steps == 0 {
        return Err("--anneal needs --anneal-steps or --cool-steps above 0".into());
    }
    Ok(o)
}

/// A spinner with elapsed time on stderr (hidden with --quiet).
fn spinner(message: String, quiet: bool) -> ProgressBar {
    let bar = if quiet {
        ProgressBar::hidden()
    } else {
        ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr())
    };
    if let Ok(style) = ProgressStyle::with_template("{spinner} {msg} [{elapsed}]") {
        bar.set_style(style);
    }
    bar.set_message(message);
    bar.enable_steady_tick(Duration::from_millis(150));
    bar
}

/// A progress bar of `total` items on stderr (hidden with --quiet).
fn progress(total: u64, message: String, quiet: bool) -> ProgressBar {
    let bar = if quiet {
        ProgressBar::hidden()
    } else {
        ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr())
    };
    if let Ok(style) =
        ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len} [{elapsed} < {eta}]")
    {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.set_message(message);
    bar
}

/// CG with isotropic cell relaxation to zero pressure, behind a spinner.
fn relax(
    s: &mut Structure,
    ev: &mut Evaluator,
    fmax: f64,
    what: &str,
    quiet: bool,
) -> Result<Report, Box<dyn Error>> {
    let opts = MinimizeOptions {
        fmax: Some(fmax),
        max_evaluations: 20_000,
        cell: CellDof::Iso,
        ..MinimizeOptions::default()
    };
    let bar = spinner(
        format!(
            "{what}: CG, iso cell, fmax {fmax:e} eV/A, {} atoms",
            s.len()
        ),
        quiet,
    );
    let r = minimize(s, ev, Algorithm::Cg, &opts);
    bar.finish_and_clear();
    Ok(r?)
}

/// A log line on stderr with the time since `t0`.
fn log(t0: &Instant, message: std::fmt::Arguments) {
    eprintln!("[{:6.1} s] {message}", t0.elapsed().as_secs_f64());
}

/// A 3x3 matrix as JSON rows.
fn rows(m: &Matrix3<f64>) -> Value {
    json!([
        [m[(0, 0)], m[(0, 1)], m[(0, 2)]],
        [m[(1, 0)], m[(1, 1)], m[(1, 2)]],
        [m[(2, 0)], m[(2, 1)], m[(2, 2)]],
    ])
}

/// A vector as a JSON triple.
fn xyz(v: &Vector3<f64>) -> Value {
    json!([v.x, v.y, v.z])
}

/// Zero-pressure bcc Fe of the potential: (a0, e_bulk) and the reference for the report.
fn bulk_reference(
    potential: &Arc<dyn Potential>,
    quiet: bool,
) -> Result<BulkReference, Box<dyn Error>> {
    let bar = spinner("bulk bcc Fe: CG, iso cell".into(), quiet);
    let bulk = bcc_bulk_reference(potential.clone(), Element::FE, 2.8553);
    bar.finish_and_clear();
    Ok(bulk?)
}

/// The polycrystal built at the lattice constant `a0` (METHODS.md 2.3) in a cubic box of
/// `o.size` lattice constants.
fn build(o: &Options, a0: f64) -> Result<Polycrystal, Box<dyn Error>> {
    let side = o.size as f64 * a0;
    let cell = Cell::new(Matrix3::from_diagonal_element(side), [true; 3])?;
    let spec = PolycrystalSpec {
        a: a0,
        ..PolycrystalSpec::default()
    };
    let seeds = random_seeds(&cell, o.grains, o.seed, spec.min_seed_distance)?;
    let rotations = random_rotations(o.grains, o.seed);
    let bar = progress(1, "building the polycrystal".into(), o.quiet);
    let poly = build_polycrystal(&cell, &seeds, &rotations, &spec, &|step| {
        if let BuildStep::Filling { done, total } = step {
            bar.set_length(total as u64);
            bar.set_position(done as u64);
        }
    })?;
    bar.finish_and_clear();
    Ok(poly)
}

/// GRAINS.json (CLI.md) of the built polycrystal.
fn grains_json(poly: &Polycrystal, a0: f64, seed: u64) -> Value {
    json!({
        "cell": rows(poly.tessellation.cell().matrix()),
        "seeds": poly.tessellation.seeds().iter().map(xyz).collect::<Vec<_>>(),
        "rotations": poly.rotations.iter().map(rows).collect::<Vec<_>>(),
        "facets": poly.tessellation.facets().iter().map(|f| json!({
            "grains": f.grains, "area": f.area, "normal": xyz(&f.normal),
            "centroid": xyz(&f.centroid), "shift": f.shift, "self_image": f.self_image,
            "polygon": f.polygon.iter().map(xyz).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "atoms_per_grain": poly.atoms_per_grain,
        "lattice": "bcc", "a": a0, "element": "Fe", "seed": seed,
    })
}

/// NPT MD at `o.temperature` for `o.anneal_steps`, then a linear cool to 0.1 K over
/// `o.cool_steps` (Nose-Hoover chain 0.1 ps, isotropic stochastic cell rescaling at 0 bar;
/// METHODS.md 2.1), from Maxwell-Boltzmann velocities. Returns the thermo records (every
/// 100 steps) as JSON.
fn anneal(
    s: &mut Structure,
    potential: &Arc<dyn Potential>,
    o: &Options,
) -> Result<Vec<Value>, Box<dyn Error>> {
    maxwell_boltzmann(s, o.temperature, o.seed)?;
    let dt = o.timestep;
    let t_hold = o.anneal_steps as f64 * dt;
    let mut points = vec![(0.0, o.temperature)];
    if o.anneal_steps > 0 {
        points.push((t_hold, o.temperature));
    }
    if o.cool_steps > 0 {
        points.push((t_hold + o.cool_steps as f64 * dt, 0.1));
    }
    let options = MdOptions {
        timestep: dt,
        thermostat: Thermostat::NoseHooverChain {
            damping: 0.1,
            chain: 3,
        },
        barostat: Some(Barostat::isotropic(0.0)),
        schedule: Schedule::piecewise(points)?,
        seed: o.seed,
    };
    let total = o.anneal_steps + o.cool_steps;
    let bar = progress(
        total as u64,
        format!(
            "NPT {} K for {} steps, cooling to 0.1 K in {}",
            o.temperature, o.anneal_steps, o.cool_steps
        ),
        o.quiet,
    );
    let mut thermo = Vec::new();
    let mut ev = Evaluator::new(potential.clone());
    let mut md = Md::new(s.clone(), &mut ev, options)?;
    md.run(total, 100, |th, _| {
        bar.set_position(th.step as u64);
        thermo.push(json!({
            "step": th.step, "time_ps": th.time, "T_K": th.temperature,
            "T_target_K": th.target_temperature, "pe_eV": th.potential_energy,
            "P_bar": th.pressure, "volume_A3": th.volume,
        }));
        Ok(())
    })?;
    bar.finish_and_clear();
    *s = md.structure();
    Ok(thermo)
}

/// The reoriented fraction of `s` against the grains it was built in, facets mapped to its
/// cell (METHODS.md 2.3).
fn reoriented(
    s: &Structure,
    built_grain: &[usize],
    grains: &Grains,
    options: &ReorientedOptions,
) -> Result<Reoriented, Box<dyn Error>> {
    let facets = grains.facets_in(s.cell())?;
    let distance = facet_distances(s.positions(), s.cell(), &facets, DEFAULT_AMBIGUITY_MARGIN)?;
    Ok(reoriented_fraction(
        s,
        built_grain,
        grains.rotations(),
        &distance.distance,
        options,
    )?)
}

/// The one-row summary of a run (stdout, summary.json, summary.csv).
struct Summary<'a> {
    o: &'a Options,
    poly: &'a Polycrystal,
    bulk: &'a BulkReference,
    s: &'a Structure,
    gb: &'a GbReport,
    gamma_unrelaxed: f64,
    report: &'a Report,
    plots: Vec<&'static str>,
    seconds: f64,
}

impl Summary<'_> {
    fn json(&self) -> Value {
        let (o, gb, report) = (self.o, self.gb, self.report);
        json!({
            "potential": o.potential,
            "grains": o.grains,
            "seed": o.seed,
            "size": o.size,
            "box_nm": self.s.cell().volume().cbrt() / 10.0,
            "box_built_nm": self.poly.tessellation.cell().volume().cbrt() / 10.0,
            "natoms": self.s.len(),
            "deleted_close_pairs": self.poly.removed(),
            "a0_A": self.bulk.a0,
            "e_bulk_eV": self.bulk.e_bulk,
            "gb_facets": self.poly.tessellation.facets().len(),
            "gb_area_built_A2": gb.gb_area_initial,
            "gb_area_relaxed_A2": gb.gb_area,
            "gamma_unrelaxed_J_m2": self.gamma_unrelaxed,
            "gamma_J_m2": gb.average_gb_energy,
            "mean_per_gb_energy_J_m2": gb.mean_per_gb_energy,
            "gbs_above_threshold": gb.per_gb.len(),
            "volume_change_at_gb_centre": self.centre(),
            "energy_eV": report.energy,
            "excess_energy_eV": gb.excess_energy,
            "annealed": o.anneal,
            "relaxation": {
                "steps": report.steps,
                "force_evaluations": report.force_evaluations,
                "fmax_eV_A": report.fmax,
                "pressure_bar": report.pressure_bar,
                "converged": report.converged,
                "stop": report.stop.describe(),
            },
            "output_dir": o.output_dir.display().to_string(),
            "plots": self.plots,
            "seconds": self.seconds,
        })
    }

    fn centre(&self) -> Option<f64> {
        self.gb
            .profile
            .as_ref()
            .and_then(|p| p.centre_volume_change_0_25)
    }

    fn csv(&self) -> String {
        let opt = |x: Option<f64>| x.map_or(String::new(), |v| format!("{v:.6}"));
        format!(
            "potential,size,seed,annealed,natoms,box_nm,gamma_J_m2,gamma_unrelaxed_J_m2,\
             mean_per_gb_J_m2,gbs_above_1000A2,volume_change_at_gb_centre,converged,seconds\n\
             {},{},{},{},{},{:.4},{:.6},{:.6},{},{},{},{},{:.1}\n",
            self.o.potential,
            self.o.size,
            self.o.seed,
            self.o.anneal,
            self.s.len(),
            self.s.cell().volume().cbrt() / 10.0,
            self.gb.average_gb_energy,
            self.gamma_unrelaxed,
            opt(self.gb.mean_per_gb_energy),
            self.gb.per_gb.len(),
            opt(self.centre()),
            self.report.converged,
            self.seconds
        )
    }
}

/// Step 3b (`--anneal`): from the CG-relaxed `s` (its CG report `first`), anneal, cool and
/// relax again, logging the reoriented fraction before and after; returns the final CG report
/// and the `anneal` document of gb_report.json.
#[allow(clippy::too_many_arguments)] // the job's state, passed down once
fn anneal_stage(
    s: &mut Structure,
    ev: &mut Evaluator,
    potential: &Arc<dyn Potential>,
    o: &Options,
    t0: &Instant,
    grains: &Grains,
    built_grain: &[usize],
    bulk: &BulkReference,
    first: &Report,
) -> Result<(Report, Value), Box<dyn Error>> {
    let (a0, e_bulk) = (bulk.a0, bulk.e_bulk);
    let area = grains
        .facets_in(s.cell())?
        .iter()
        .map(|f| f.area)
        .sum::<f64>();
    let gamma_cg = average_gb_energy(first.energy, s.len(), e_bulk, area)?.j_per_m2;
    let orientation = ReorientedOptions::bcc(a0);
    let before = reoriented(s, built_grain, grains, &orientation)?;
    let thermo = anneal(s, potential, o)?;
    let t_hold = o.anneal_steps as f64 * o.timestep;
    let t_cool = (t_hold + o.cool_steps as f64 * o.timestep) - t_hold;
    log(
        t0,
        format_args!(
            "annealed: {} MD steps of {} ps ({t_hold} ps at {} K, {t_cool} ps cooling)",
            o.anneal_steps + o.cool_steps,
            o.timestep,
            o.temperature,
        ),
    );
    let report = relax(s, ev, o.fmax, "relaxing again", o.quiet)?;
    log(
        t0,
        format_args!(
            "relaxed again: {} steps, fmax {:.2e} eV/A, P {:.3} bar, {}",
            report.steps,
            report.fmax,
            report.pressure_bar,
            report.stop.describe()
        ),
    );
    let after = reoriented(s, built_grain, grains, &orientation)?;
    log(
        t0,
        format_args!(
            "grain assignment: {:.2} % of the {} atoms farther than {} A from a GB lost \
             their seed grain's orientation (after CG: {:.2} %); a large change means \
             grain growth, and the seed facets then overstate the GB area",
            100.0 * after.fraction,
            before.considered,
            orientation.min_distance,
            100.0 * before.fraction
        ),
    );
    let doc = json!({
        "temperature_K": o.temperature, "timestep_ps": o.timestep,
        "anneal_steps": o.anneal_steps, "cool_steps": o.cool_steps,
        "thermostat": "Nose-Hoover chain, 0.1 ps, 3",
        "barostat": "stochastic cell rescaling, isotropic, 0 bar, 1 ps",
        "gamma_after_first_cg_J_m2": gamma_cg,
        "reoriented_fraction_after_first_cg": before.fraction,
        "reoriented_fraction_after_anneal": after.fraction,
        "reoriented_atoms_considered": before.considered,
        "reoriented_definition": orientation.describe(),
        "thermo": thermo,
    });
    Ok((report, doc))
}

/// Step 4: the GB report of the relaxed `s` (per-atom energies from `ev`, facets mapped to
/// its cell, Voronoi profiles unless `--no-profiles`).
fn analyse(
    s: &Structure,
    ev: &mut Evaluator,
    grains: &Grains,
    bulk: &BulkReference,
    o: &Options,
    t0: &Instant,
) -> Result<GbReport, Box<dyn Error>> {
    let per_atom = ev
        .evaluate(
            s,
            Request {
                per_atom_energy: true,
                ..Request::ENERGY
            },
        )?
        .per_atom_energy
        .ok_or("the potential gave no per-atom energies")?;
    let gb_options = GbOptions {
        profile: o.profiles.then(|| ProfileOptions::bcc(bulk.a0)),
        ..GbOptions::default()
    };
    let what = if o.profiles { ", Voronoi volumes" } else { "" };
    let bar = spinner(
        format!(
            "GB report: distances to {} facets{what}",
            grains.tessellation().facets().len()
        ),
        o.quiet,
    );
    let gb = gb_report(s, &per_atom, grains, bulk.e_bulk, &gb_options);
    bar.finish_and_clear();
    let gb = gb?;
    log(
        t0,
        format_args!(
            "GB report: {} GBs above {} A^2, {} smaller, {} grain-self-image facets; \
             {:.1} % of atoms ambiguously assigned",
            gb.per_gb.len(),
            gb.area_threshold,
            gb.small_gbs.len(),
            gb.self_image_gbs.len(),
            100.0 * gb.ambiguous_fraction
        ),
    );
    Ok(gb)
}

fn main() -> Result<(), Box<dyn Error>> {
    let o = options()?;
    let t0 = Instant::now();
    let potential = from_spec(&o.potential, &[Element::FE])?;
    std::fs::create_dir_all(&o.output_dir)
        .map_err(|e| format!("cannot create {}: {e}", o.output_dir.display()))?;
    let out = |name: &str| o.output_dir.join(name);

    // 1. The bulk reference: zero-pressure bcc Fe of the same potential.
    let bulk = bulk_reference(&potential, o.quiet)?;
    let (a0, e_bulk) = (bulk.a0, bulk.e_bulk);
    log(
        &t0,
        format_args!("bulk bcc Fe: a0 = {a0:.5} A, e_bulk = {e_bulk:.6} eV/atom"),
    );

    // 2. The polycrystal, built at the potential's own lattice constant (METHODS.md 2.3).
    let poly = build(&o, a0)?;
    let mut s = poly.structure.clone();
    let built_grain = built_grains(&s)?;
    let grains = Grains::from_tessellation(poly.tessellation.clone(), poly.rotations.clone())?;
    let n_facets = poly.tessellation.facets().len();
    let area0 = poly.tessellation.total_facet_area();
    log(
        &t0,
        format_args!(
            "polycrystal: {} grains in a {:.2} nm box, {} atoms ({} deleted as close pairs), \
             {n_facets} GB facets, {area0:.0} A^2",
            o.grains,
            poly.tessellation.cell().volume().cbrt() / 10.0,
            s.len(),
            poly.removed(),
        ),
    );
    let grains_doc = serde_json::to_string_pretty(&grains_json(&poly, a0, o.seed))?;
    std::fs::write(out("GRAINS.json"), grains_doc)?;

    // 3. Relaxation: CG with cell; optionally anneal, cool and CG again (METHODS.md 2).
    let mut ev = Evaluator::new(potential.clone());
    let e_built = ev.evaluate(&s, Request::ENERGY)?.energy;
    let unrelaxed = average_gb_energy(e_built, s.len(), e_bulk, area0)?.j_per_m2;
    log(&t0, format_args!("unrelaxed: gamma = {unrelaxed:.4} J/m^2"));
    let mut report = relax(&mut s, &mut ev, o.fmax, "relaxing", o.quiet)?;
    log(
        &t0,
        format_args!(
            "relaxed: {} steps, {} force evaluations, fmax {:.2e} eV/A, P {:.3} bar, {}",
            report.steps,
            report.force_evaluations,
            report.fmax,
            report.pressure_bar,
            report.stop.describe()
        ),
    );
    let mut anneal_doc = Value::Null;
    if o.anneal {
        let first = report;
        (report, anneal_doc) = anneal_stage(
            &mut s,
            &mut ev,
            &potential,
            &o,
            &t0,
            &grains,
            &built_grain,
            &bulk,
            &first,
        )?;
    }

    // 4. The GB report: per-atom energies of the relaxed structure, facets in its cell.
    let gb = analyse(&s, &mut ev, &grains, &bulk, &o, &t0)?;

    // 5. Files: structure, report JSON and CSV, plots, summary.
    let frames = std::slice::from_ref(&s);
    write_path(&out("relaxed.xyz"), frames, &WriteOptions::default())?;
    if let Some(path) = &o.output {
        write_path(Path::new(path), frames, &WriteOptions::default())?;
    }
    let report_doc = gb.to_json_value([
        ("potential", json!(o.potential)),
        ("bulk", bulk.to_json()),
        ("grains_file", json!("GRAINS.json")),
        ("anneal", anneal_doc),
    ])?;
    std::fs::write(
        out("gb_report.json"),
        serde_json::to_string_pretty(&report_doc)?,
    )?;
    gb.write_csv(&out("gb"))?;
    let plots = plot::report_plots(&gb, &o.output_dir)?;
    let summary = Summary {
        o: &o,
        poly: &poly,
        bulk: &bulk,
        s: &s,
        gb: &gb,
        gamma_unrelaxed: unrelaxed,
        report: &report,
        plots,
        seconds: t0.elapsed().as_secs_f64(),
    };
    let summary_json = serde_json::to_string_pretty(&summary.json())?;
    std::fs::write(out("summary.json"), &summary_json)?;
    std::fs::write(out("summary.csv"), summary.csv())?;
    println!("{summary_json}");
    println!(
        "average GB energy: {:.4} J/m^2 ({} atoms, {} potential; report and plots in {})",
        gb.average_gb_energy,
        s.len(),
        o.potential,
        o.output_dir.display()
    );
    Ok(())
}
