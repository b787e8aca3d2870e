//! `fe info FILE`: atoms, species counts, cell and density of a structure, as JSON.

use std::path::PathBuf;

use clap::Args;
use serde_json::{json, Map, Value};

use crate::common::{matrix_json, write_json, InputArgs, Layout};
use crate::error::CliError;

/// Arguments of `fe info`.
#[derive(Debug, Args)]
pub struct InfoArgs {
    /// Structure file (format from the name: .extxyz .xyz .data .lmp .dump POSCAR .vasp .cfg).
    pub file: PathBuf,
    #[command(flatten)]
    pub input: InputArgs,
    /// Write the JSON here instead of stdout.
    #[arg(long)]
    pub output: Option<PathBuf>,
}

/// Run `fe info`.
pub fn run(args: &InfoArgs, quiet: bool) -> Result<(), CliError> {
    let s = args.input.read_one(&args.file, quiet)?;
    let cell = s.cell();
    let species: Map<String, Value> = s
        .species_counts()
        .into_iter()
        .map(|(e, n)| (e.symbol().to_string(), json!(n)))
        .collect();
    let mut out = json!({
        "file": args.file.display().to_string(),
        "natoms": s.len(),
        "species": species,
        "cell": matrix_json(cell.matrix()),
        "pbc": cell.pbc(),
        "lengths_A": cell.lengths(),
        "angles_deg": cell.angles_deg(),
        "volume_A3": cell.volume(),
        "density_g_per_cm3": if s.is_empty() { Value::Null } else { json!(s.density_g_per_cm3()) },
        "properties": s.properties().keys().collect::<Vec<_>>(),
        "info_keys": s.info().keys().collect::<Vec<_>>(),
        "has_velocities": s.velocities().is_some(),
    });
    if let (Some(e), Some(map)) = (s.energy(), out.as_object_mut()) {
        map.insert("energy".into(), json!(e));
    }
    write_json(&out, args.output.as_ref(), Layout::Pretty)
}
