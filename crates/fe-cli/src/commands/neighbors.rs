//! `fe neighbors --input FILE --cutoff R`: pair count and per-atom full neighbour counts.

use std::path::PathBuf;

use clap::Args;
use fe_neighbors::{ListKind, NeighborList};
use serde_json::json;

use crate::common::{spinner, write_json, InputArgs, Layout};
use crate::error::CliError;

/// Arguments of `fe neighbors`.
#[derive(Debug, Args)]
pub struct NeighborsArgs {
    /// Structure file.
    #[arg(long)]
    pub input: PathBuf,
    /// Cutoff radius in Angstrom (pairs with distance strictly below it count).
    #[arg(long, allow_negative_numbers = true)]
    pub cutoff: f64,
    #[command(flatten)]
    pub read: InputArgs,
    /// Write the JSON here instead of stdout.
    #[arg(long)]
    pub output: Option<PathBuf>,
}

/// Run `fe neighbors`: `{"cutoff": R, "pairs": P, "counts": [...]}` where `pairs` counts
/// unordered pairs once per periodic image and `counts[i]` is atom i's full-list count.
pub fn run(args: &NeighborsArgs, quiet: bool) -> Result<(), CliError> {
    let s = args.read.read_one(&args.input, quiet)?;
    let bar = spinner("building the neighbour list", quiet);
    let list = NeighborList::new(&s, args.cutoff, ListKind::Full);
    bar.finish_and_clear();
    let list = list?;
    let counts = list.counts();
    let total: usize = counts.iter().sum();
    let out = json!({
        "cutoff": args.cutoff,
        "pairs": total / 2,
        "counts": counts,
    });
    write_json(&out, args.output.as_ref(), Layout::Compact)
}
