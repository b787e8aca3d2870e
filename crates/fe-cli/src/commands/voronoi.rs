//! `fe voronoi --input FILE [--face-threshold A]`: per-atom Voronoi volumes and face counts.

use std::path::PathBuf;

use clap::Args;
use fe_voronoi::{voronoi_atoms_with_progress, VoronoiOptions};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde_json::json;

use crate::common::{write_json, InputArgs, Layout};
use crate::error::CliError;

/// Arguments of `fe voronoi`.
#[derive(Debug, Args)]
pub struct VoronoiArgs {
    /// Structure file.
    #[arg(long)]
    pub input: PathBuf,
    /// Count only faces whose area is above this (Angstrom^2, absolute); 0 counts every face.
    #[arg(long, default_value_t = 0.0, allow_negative_numbers = true)]
    pub face_threshold: f64,
    #[command(flatten)]
    pub read: InputArgs,
    /// Write the JSON here instead of stdout.
    #[arg(long)]
    pub output: Option<PathBuf>,
}

/// A progress bar over the atoms on stderr, hidden with `--quiet` or when stderr is not a
/// terminal.
fn atom_bar(n: usize, quiet: bool) -> ProgressBar {
    let bar = if quiet {
        ProgressBar::hidden()
    } else {
        ProgressBar::with_draw_target(Some(n as u64), ProgressDrawTarget::stderr())
    };
    bar.set_style(
        ProgressStyle::with_template(
            "Voronoi cells {wide_bar} {pos}/{len} atoms [{elapsed}<{eta}]",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    bar
}

/// Run `fe voronoi`: `{"volume": [...], "faces": [...]}`, atom i's cell volume (Angstrom^3)
/// and number of faces with area above the threshold (every face for 0).
pub fn run(args: &VoronoiArgs, quiet: bool) -> Result<(), CliError> {
    let s = args.read.read_one(&args.input, quiet)?;
    let options = VoronoiOptions {
        face_area_threshold: args.face_threshold,
        store_faces: false,
        ..VoronoiOptions::default()
    };
    let bar = atom_bar(s.len(), quiet);
    let result = voronoi_atoms_with_progress(&s, &options, &|done| bar.set_position(done as u64));
    bar.finish_and_clear();
    let v = result?;
    let out = json!({
        "volume": v.volumes(),
        "faces": v.n_faces(),
    });
    write_json(&out, args.output.as_ref(), Layout::Compact)
}
