//! `fe md`: molecular dynamics (NVE, NVT, NPT) with a trajectory file.

use std::io::Write;
use std::path::PathBuf;

use clap::Args;
use fe_dynamics::md::{
    maxwell_boltzmann, Barostat, Md, MdOptions, Schedule, Thermo, Thermostat, Trajectory,
};
use fe_dynamics::{CellDof, DynamicsError};
use fe_potentials::{from_spec, Evaluator};
use fe_structure::io::WriteOptions;
use serde_json::json;

use crate::common::{create_output, matrix_json, progress_bar, write_json, InputArgs, Layout};
use crate::error::CliError;

/// Arguments of `fe md`.
#[derive(Debug, Args)]
pub struct MdArgs {
    /// Potential: `zhou2004`, `eam:PATH`, ...
    #[arg(long)]
    pub potential: String,
    /// Structure file.
    #[arg(long)]
    pub input: PathBuf,
    #[command(flatten)]
    pub read: InputArgs,
    /// nve, nvt or npt.
    #[arg(long)]
    pub ensemble: String,
    /// Temperature (K): of the initial velocities, and the thermostat's target.
    #[arg(long)]
    pub temperature: f64,
    /// Ramp the target linearly from --temperature to this over the run (K).
    #[arg(long)]
    pub final_temperature: Option<f64>,
    /// Number of steps.
    #[arg(long)]
    pub steps: usize,
    /// Time step (ps), e.g. 0.001.
    #[arg(long)]
    pub timestep: f64,
    /// Trajectory file (.extxyz/.xyz or .dump/.lammpstrj).
    #[arg(long)]
    pub output: PathBuf,
    /// Seed of the initial velocities and of the thermostat/barostat noise.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Keep the input's velocities instead of drawing Maxwell-Boltzmann ones.
    #[arg(long)]
    pub keep_velocities: bool,
    /// Thermostat of nvt/npt: nose-hoover (chain of 3) or langevin.
    #[arg(long, default_value = "nose-hoover")]
    pub thermostat: String,
    /// Thermostat damping time (ps).
    #[arg(long, default_value_t = 0.1)]
    pub tdamp: f64,
    /// Target pressure of npt (bar).
    #[arg(long, default_value_t = 0.0, allow_negative_numbers = true)]
    pub pressure: f64,
    /// Barostat damping time (ps).
    #[arg(long, default_value_t = 1.0)]
    pub pdamp: f64,
    /// Cell degrees of freedom of npt: iso, aniso or tri.
    #[arg(long = "box", default_value = "iso")]
    pub cell: String,
    /// Thermo record every this many steps.
    #[arg(long, default_value_t = 100)]
    pub thermo_every: usize,
    /// Trajectory frame every this many steps.
    #[arg(long, default_value_t = 100)]
    pub traj_every: usize,
    /// Thermo records as JSON lines in this file.
    #[arg(long)]
    pub thermo: Option<PathBuf>,
    /// Write the summary JSON here instead of stdout.
    #[arg(long)]
    pub report: Option<PathBuf>,
}

fn thermo_json(t: &Thermo) -> serde_json::Value {
    json!({
        "step": t.step, "time_ps": t.time, "temperature_K": t.temperature,
        "target_K": t.target_temperature, "pe_eV": t.potential_energy,
        "ke_eV": t.kinetic_energy, "etotal_eV": t.total_energy, "conserved_eV": t.conserved,
        "pressure_bar": t.pressure, "volume_A3": t.volume, "cell": matrix_json(&t.cell),
    })
}

/// Run `fe md`: frames to `--output`, thermo lines to `--thermo`, and a summary JSON
/// `{"natoms", "steps", "time_ps", "force_evaluations", "seed", "final": {...}}` to stdout.
pub fn run(args: &MdArgs, quiet: bool) -> Result<(), CliError> {
    let usage = |m: String| CliError::Usage(m);
    let schedule = match args.final_temperature {
        Some(t1) => Schedule::ramp(
            args.temperature,
            t1,
            (args.steps.max(1) as f64) * args.timestep,
        ),
        None => Schedule::hold(args.temperature),
    }
    .map_err(|e| usage(e.to_string()))?;
    let thermostat = match (args.ensemble.as_str(), args.thermostat.as_str()) {
        ("nve", _) => Thermostat::None,
        (_, "nose-hoover") => Thermostat::NoseHooverChain {
            damping: args.tdamp,
            chain: 3,
        },
        (_, "langevin") => Thermostat::Langevin {
            damping: args.tdamp,
        },
        (_, other) => {
            return Err(usage(format!(
                "--thermostat must be nose-hoover or langevin, not `{other}`"
            )))
        }
    };
    let barostat = match args.ensemble.as_str() {
        "nve" | "nvt" => None,
        "npt" => {
            let cell = CellDof::from_name(&args.cell)
                .filter(|c| *c != CellDof::None)
                .ok_or_else(|| {
                    usage(format!(
                        "--box must be iso, aniso or tri, not `{}`",
                        args.cell
                    ))
                })?;
            Some(Barostat {
                pressure: args.pressure,
                damping: args.pdamp,
                cell,
                ..Barostat::isotropic(args.pressure)
            })
        }
        other => {
            return Err(usage(format!(
                "--ensemble must be nve, nvt or npt, not `{other}`"
            )))
        }
    };
    let mut s = args.read.read_one(&args.input, quiet)?;
    if !args.keep_velocities || s.velocities().is_none() {
        maxwell_boltzmann(&mut s, args.temperature, args.seed).map_err(CliError::from)?;
    }
    let potential = from_spec(&args.potential, &s.elements())?;
    let mut evaluator = Evaluator::new(potential);
    let options = MdOptions {
        timestep: args.timestep,
        thermostat,
        barostat,
        schedule,
        seed: args.seed,
    };
    let types = args.read.type_elements()?;
    let mut traj = Trajectory::create(&args.output, WriteOptions { types })?;
    let mut thermo_file = match &args.thermo {
        Some(p) => Some((p.clone(), create_output(p)?)),
        None => None,
    };
    let bar = progress_bar(
        args.steps as u64,
        "{bar:40} {pos}/{len} steps {msg} [{elapsed}<{eta}]",
        quiet,
    );
    let mut md = Md::new(s, &mut evaluator, options)?;
    let every = args.thermo_every.max(1);
    let traj_every = args.traj_every.max(1);
    let mut last = md.thermo();
    let result = md.run(args.steps, gcd(every, traj_every), |t, state| {
        if t.step % traj_every == 0 || t.step == args.steps {
            traj.write(&state.structure(), t.step, t.time)?;
        }
        if t.step % every == 0 || t.step == args.steps {
            if let Some((path, w)) = thermo_file.as_mut() {
                writeln!(w, "{}", thermo_json(t)).map_err(|source| DynamicsError::Output {
                    file: path.display().to_string(),
                    source,
                })?;
            }
            bar.set_position(t.step as u64);
            bar.set_message(format!("T {:.1} K", t.temperature));
        }
        last = t.clone();
        Ok(())
    });
    bar.finish_and_clear();
    traj.flush()?;
    if let Some((path, w)) = thermo_file.as_mut() {
        w.flush().map_err(|source| CliError::Output {
            file: path.display().to_string(),
            source,
        })?;
    }
    result?;
    let out = json!({
        "natoms": md.structure().len(),
        "steps": md.steps(),
        "time_ps": md.time(),
        "force_evaluations": md.force_evaluations(),
        "seed": args.seed,
        "generator": "PCG64 (rand_pcg 0.3) via fe_structure::build::stream_rng",
        "ensemble": args.ensemble,
        "final": thermo_json(&last),
    });
    write_json(&out, args.report.as_ref(), Layout::Pretty)
}

fn gcd(a: usize, b: usize) -> usize {
    if b == 0 {
        a
    } else {
        gcd(b, a % b)
    }
}
