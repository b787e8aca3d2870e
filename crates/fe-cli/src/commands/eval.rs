//! `fe eval --potential SPEC --input FILE`: energy, forces, virial and per-atom energies.

use std::path::PathBuf;

use clap::Args;
use fe_potentials::{from_spec, Evaluator, Request};
use serde_json::json;

use crate::common::{spinner, write_json, InputArgs, Layout};
use crate::error::CliError;

/// Arguments of `fe eval`.
#[derive(Debug, Args)]
pub struct EvalArgs {
    /// Potential: `zhou2004`, `eam:PATH` (.eam, .eam.alloy, .eam.fs), `mtp:PATH[@El,...]`, ...
    #[arg(long)]
    pub potential: String,
    /// Structure file.
    #[arg(long)]
    pub input: PathBuf,
    #[command(flatten)]
    pub read: InputArgs,
    /// Write the JSON here instead of stdout.
    #[arg(long)]
    pub output: Option<PathBuf>,
}

/// Run `fe eval`: JSON `{"natoms", "energy", "forces", "virial" (xx yy zz yz xz xy, eV),
/// "per_atom_energy"}` with energies in eV and forces in eV/A; the virial is W = -dE/d(eps),
/// positive when atoms repel.
pub fn run(args: &EvalArgs, quiet: bool) -> Result<(), CliError> {
    let s = args.read.read_one(&args.input, quiet)?;
    let potential = from_spec(&args.potential, &s.elements())?;
    let bar = spinner("evaluating", quiet);
    let r = Evaluator::new(potential).evaluate(&s, Request::ALL);
    bar.finish_and_clear();
    let r = r?;
    let forces: Vec<[f64; 3]> = r
        .forces
        .unwrap_or_default()
        .iter()
        .map(|f| [f.x, f.y, f.z])
        .collect();
    let w = r.virial.unwrap_or_default();
    let out = json!({
        "natoms": s.len(),
        "energy": r.energy,
        "forces": forces,
        "virial": [w[(0, 0)], w[(1, 1)], w[(2, 2)], w[(1, 2)], w[(0, 2)], w[(0, 1)]],
        "per_atom_energy": r.per_atom_energy.unwrap_or_default(),
    });
    write_json(&out, args.output.as_ref(), Layout::Compact)
}
