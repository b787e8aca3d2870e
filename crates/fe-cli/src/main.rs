//! `fe`: the command-line face of the fe toolkit (see `docs/CLI.md` in the shared docs for the
//! stable contract). Results go to stdout or files as JSON; progress goes to stderr and is hidden
//! with `--quiet` or when stderr is not a terminal. Errors print `error: ...` and each
//! `caused by: ...` on stderr and exit with status 1 (2 for usage errors).

mod commands;
mod common;
mod error;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::error::CliError;

/// Fast atomistic toolkit for grain boundaries in bcc metals.
#[derive(Debug, Parser)]
#[command(name = "fe", version, about, propagate_version = true)]
struct Cli {
    /// Hide progress output.
    #[arg(long, short, global = true)]
    quiet: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Atoms, species counts, cell and density of a structure file (JSON).
    Info(commands::info::InfoArgs),
    /// Convert a structure file to another format (extxyz, LAMMPS data/dump, POSCAR, MLIP cfg).
    Convert(commands::convert::ConvertArgs),
    /// Neighbour pair count and per-atom counts within a cutoff (JSON).
    Neighbors(commands::neighbors::NeighborsArgs),
    /// Energy, forces, virial and per-atom energies of a structure with a potential (JSON).
    Eval(commands::eval::EvalArgs),
    /// Write an EAM potential as a setfl (eam/alloy) file for LAMMPS.
    ExportEam(commands::export_eam::ExportEamArgs),
    /// Build a Voronoi nano-polycrystal (Atomsk's method) and its GRAINS.json.
    Polycrystal(commands::polycrystal::PolycrystalArgs),
    /// Average and per-GB energies of a relaxed polycrystal, with Voronoi profiles (JSON).
    GbEnergy(commands::gb_energy::GbEnergyArgs),
    /// Per-atom Voronoi volumes and face counts (JSON).
    Voronoi(commands::voronoi::VoronoiArgs),
    /// Minimize the energy of a structure (and its cell with --box); report JSON.
    Relax(commands::relax::RelaxArgs),
    /// Molecular dynamics (nve, nvt, npt) writing a trajectory.
    Md(commands::md::MdArgs),
    /// Moment tensor potentials: untrained level templates.
    Mtp(commands::mtp::MtpArgs),
    /// MaxVol extrapolation grades of every atom with an active-learning state (JSON).
    Grade(commands::grade::GradeArgs),
    /// Active learning: build an active set, select candidates, cut neighbourhoods.
    Select(commands::select::SelectArgs),
}

fn run(cli: &Cli) -> Result<(), CliError> {
    match &cli.command {
        Command::Info(a) => commands::info::run(a, cli.quiet),
        Command::Convert(a) => commands::convert::run(a, cli.quiet),
        Command::Neighbors(a) => commands::neighbors::run(a, cli.quiet),
        Command::Eval(a) => commands::eval::run(a, cli.quiet),
        Command::ExportEam(a) => commands::export_eam::run(a, cli.quiet),
        Command::Polycrystal(a) => commands::polycrystal::run(a, cli.quiet),
        Command::GbEnergy(a) => commands::gb_energy::run(a, cli.quiet),
        Command::Voronoi(a) => commands::voronoi::run(a, cli.quiet),
        Command::Relax(a) => commands::relax::run(a, cli.quiet),
        Command::Md(a) => commands::md::run(a, cli.quiet),
        Command::Mtp(a) => commands::mtp::run(a, cli.quiet),
        Command::Grade(a) => commands::grade::run(a, cli.quiet),
        Command::Select(a) => commands::select::run(a, cli.quiet),
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(&cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            let mut source = std::error::Error::source(&e);
            while let Some(s) = source {
                eprintln!("caused by: {s}");
                source = s.source();
            }
            ExitCode::from(if matches!(e, CliError::Usage(_)) {
                2
            } else {
                1
            })
        }
    }
}
