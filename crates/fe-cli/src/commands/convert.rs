//! `fe convert IN OUT`: any structure format to any other, atom order kept.

use std::path::PathBuf;

use clap::Args;
use fe_structure::io::{self, Format, Frames, WriteOptions};

use crate::common::InputArgs;
use crate::error::CliError;

/// Arguments of `fe convert`.
#[derive(Debug, Args)]
pub struct ConvertArgs {
    /// Input structure file.
    pub input: PathBuf,
    /// Output structure file (format from the name, or `--output-format`).
    pub output: PathBuf,
    #[command(flatten)]
    pub read: InputArgs,
    /// Output format, overriding the file name.
    #[arg(long)]
    pub output_format: Option<String>,
    /// Type order for formats that number species (LAMMPS, MLIP), e.g. `Fe,W`
    /// (default: the elements present, by atomic number).
    #[arg(long, value_delimiter = ',')]
    pub output_types: Option<Vec<String>>,
}

/// Run `fe convert`: every frame goes to a multi-frame output unless `--frame` picks one; a
/// single-frame output (POSCAR, LAMMPS data) takes the selected frame, by default the last.
pub fn run(args: &ConvertArgs, quiet: bool) -> Result<(), CliError> {
    let format = match &args.output_format {
        Some(name) => Format::from_name(name)
            .ok_or_else(|| CliError::Usage(format!("unknown output format `{name}`")))?,
        None => Format::from_path(&args.output).ok_or_else(|| {
            fe_structure::StructureError::UnknownFormat {
                file: args.output.display().to_string(),
            }
        })?,
    };
    let frames = if format.is_multi_frame() && args.read.frame.is_none() {
        args.read.read_frames(&args.input, Frames::All, quiet)?
    } else {
        vec![args.read.read_one(&args.input, quiet)?]
    };
    let types = args
        .output_types
        .as_ref()
        .map(|t| {
            t.iter()
                .map(|s| fe_structure::Element::from_symbol(s).map_err(CliError::from))
                .collect::<Result<Vec<_>, _>>()
        })
        .transpose()?;
    let opts = WriteOptions { types };
    io::write_path_as(&args.output, format, &frames, &opts)?;
    Ok(())
}
