//! `fe mtp template --level L --species S --min-dist A --max-dist B --radial-basis-size N
//! --output FILE.mtp`: an untrained moment tensor potential of that level in MLIP's `.mtp`
//! format (MTP.md 3 and 4.3).

use std::path::PathBuf;

use clap::{Args, Subcommand};
use fe_potentials::mtp::{template, write_mtp};

use crate::error::CliError;

/// Arguments of `fe mtp`.
#[derive(Debug, Args)]
pub struct MtpArgs {
    /// What to do.
    #[command(subcommand)]
    pub command: MtpCommand,
}

/// The `fe mtp` subcommands.
#[derive(Debug, Subcommand)]
pub enum MtpCommand {
    /// Write an untrained MTP of a level (2-28): MLIP's basic moments, every contraction of
    /// the level as a basis function, no coefficients.
    Template(TemplateArgs),
}

/// Arguments of `fe mtp template`.
#[derive(Debug, Args)]
pub struct TemplateArgs {
    /// Level (even, 2 to 28).
    #[arg(long)]
    pub level: usize,
    /// Number of species.
    #[arg(long, default_value_t = 1)]
    pub species: usize,
    /// Lower end of the radial basis interval (Angstrom).
    #[arg(long)]
    pub min_dist: f64,
    /// Cutoff (Angstrom).
    #[arg(long)]
    pub max_dist: f64,
    /// Number of Chebyshev polynomials.
    #[arg(long, default_value_t = 8)]
    pub radial_basis_size: usize,
    /// Output `.mtp` file.
    #[arg(long)]
    pub output: PathBuf,
}

/// Run `fe mtp`.
pub fn run(args: &MtpArgs, _quiet: bool) -> Result<(), CliError> {
    match &args.command {
        MtpCommand::Template(t) => {
            if t.level % 2 != 0 {
                return Err(CliError::Usage(format!(
                    "MTP levels are even (2, 4, ..., 28), got {}",
                    t.level
                )));
            }
            let m = template(
                t.level,
                t.species,
                t.min_dist,
                t.max_dist,
                t.radial_basis_size,
            )?;
            let name = t.output.display().to_string();
            std::fs::write(&t.output, write_mtp(&m))
                .map_err(|source| CliError::Output { file: name, source })
        }
    }
}
