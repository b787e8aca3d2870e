//! `fe relax`: minimize the energy of a structure (and its cell with `--box`).

use std::path::PathBuf;

use clap::Args;
use fe_dynamics::minimize::{minimize, Algorithm, MinimizeOptions};
use fe_dynamics::{CellDof, Target};
use fe_potentials::{from_spec, Evaluator};
use fe_structure::io::{write_path, WriteOptions};
use serde_json::json;

use crate::common::{matrix_json, spinner, write_json, InputArgs, Layout};
use crate::error::CliError;

/// Arguments of `fe relax`.
#[derive(Debug, Args)]
pub struct RelaxArgs {
    /// Potential: `zhou2004`, `eam:PATH`, ...
    #[arg(long)]
    pub potential: String,
    /// Structure file.
    #[arg(long)]
    pub input: PathBuf,
    #[command(flatten)]
    pub read: InputArgs,
    /// Relaxed structure file (format from the name).
    #[arg(long)]
    pub output: PathBuf,
    /// Cell degrees of freedom: none, iso, aniso or tri.
    #[arg(long = "box", default_value = "none")]
    pub cell: String,
    /// Target pressure of the cell relaxation (bar).
    #[arg(long, default_value_t = 0.0, allow_negative_numbers = true)]
    pub pressure: f64,
    /// Stop when every force (and cell-gradient component) is below this (eV/A).
    #[arg(long, default_value_t = 1e-6)]
    pub fmax: f64,
    /// Also stop when the force two-norm is below this (eV/A; LAMMPS' ftol).
    #[arg(long)]
    pub fnorm: Option<f64>,
    /// Also stop on a relative energy change below this (LAMMPS' etol).
    #[arg(long)]
    pub etol: Option<f64>,
    /// Largest number of iterations.
    #[arg(long, default_value_t = 10_000)]
    pub max_steps: usize,
    /// Largest number of force evaluations.
    #[arg(long, default_value_t = 100_000)]
    pub max_evaluations: usize,
    /// Minimizer: cg or fire.
    #[arg(long, default_value = "cg")]
    pub algorithm: String,
    /// Keep the space-group symmetry of the input: forces and virial are projected onto the
    /// symmetry operations found within this tolerance (A; 1e-5 when given without a value),
    /// so a structure that starts on a symmetric saddle point (a <100> dumbbell in bcc W, say)
    /// stays on it instead of leaving it through round-off. Off by default.
    #[arg(long, value_name = "TOL", num_args = 0..=1, default_missing_value = "1e-5")]
    pub symmetric: Option<f64>,
    /// Write the report JSON here instead of stdout.
    #[arg(long)]
    pub report: Option<PathBuf>,
}

/// Run `fe relax`: the relaxed structure goes to `--output` (written even when the run did not
/// converge), the report `{"energy", "natoms", "steps", "fmax", "converged", "cell", ...}` to
/// `--report` or stdout.
pub fn run(args: &RelaxArgs, quiet: bool) -> Result<(), CliError> {
    let cell = CellDof::from_name(&args.cell).ok_or_else(|| {
        CliError::Usage(format!(
            "--box must be none, iso, aniso or tri, not `{}`",
            args.cell
        ))
    })?;
    let algorithm = match args.algorithm.as_str() {
        "cg" => Algorithm::Cg,
        "fire" => Algorithm::Fire,
        other => {
            return Err(CliError::Usage(format!(
                "--algorithm must be cg or fire, not `{other}`"
            )))
        }
    };
    let mut s = args.read.read_one(&args.input, quiet)?;
    let potential = from_spec(&args.potential, &s.elements())?;
    let options = MinimizeOptions {
        fmax: Some(args.fmax),
        fnorm: args.fnorm,
        etol: args.etol,
        max_steps: args.max_steps,
        max_evaluations: args.max_evaluations,
        cell,
        target: Target::pressure(args.pressure),
        symmetry_tolerance: args.symmetric,
        ..MinimizeOptions::default()
    };
    let bar = spinner(&format!("relaxing {} atoms", s.len()), quiet);
    let mut evaluator = Evaluator::new(potential);
    let report = minimize(&mut s, &mut evaluator, algorithm, &options);
    bar.finish_and_clear();
    let report = report?;
    let types = args.read.type_elements()?;
    write_path(&args.output, &[s.clone()], &WriteOptions { types })?;
    let w = report.virial;
    let out = json!({
        "energy": report.energy,
        "natoms": s.len(),
        "steps": report.steps,
        "fmax": report.fmax,
        "converged": report.converged,
        "cell": matrix_json(&report.cell),
        "fnorm": report.fnorm,
        "force_evaluations": report.force_evaluations,
        "stop": report.stop.describe(),
        "algorithm": args.algorithm,
        "box": args.cell,
        "pressure_bar": report.pressure_bar,
        "virial": [w[(0, 0)], w[(1, 1)], w[(2, 2)], w[(1, 2)], w[(0, 2)], w[(0, 1)]],
        "volume": s.cell().volume(),
        "symmetry_operations": report.symmetry_operations,
    });
    write_json(&out, args.report.as_ref(), Layout::Pretty)
}
