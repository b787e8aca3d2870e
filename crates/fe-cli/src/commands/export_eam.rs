//! `fe export-eam --potential SPEC --elements Fe,W --output FILE`: write an EAM we hold as a
//! setfl (`eam/alloy`) file that LAMMPS reads, or as an eam/fs file when its densities depend
//! on the host element.

use std::path::PathBuf;

use clap::Args;
use fe_potentials::eam::{Eam, Zhou2004};
use fe_structure::Element;

use crate::error::CliError;

/// Arguments of `fe export-eam`.
#[derive(Debug, Args)]
pub struct ExportEamArgs {
    /// Potential: `zhou2004` or `eam:PATH`.
    #[arg(long)]
    pub potential: String,
    /// Elements to export, in file order (for `zhou2004`; a tabulated file keeps its own).
    #[arg(long, value_delimiter = ',')]
    pub elements: Vec<String>,
    /// Output file: setfl (`.eam.alloy`), or `.eam.fs` for an eam/fs potential whose densities
    /// depend on the host element.
    #[arg(long)]
    pub output: PathBuf,
}

/// Run `fe export-eam`.
pub fn run(args: &ExportEamArgs, _quiet: bool) -> Result<(), CliError> {
    let elements = args
        .elements
        .iter()
        .map(|s| Element::from_symbol(s).map_err(CliError::from))
        .collect::<Result<Vec<_>, _>>()?;
    let tables = if args.potential == "zhou2004" {
        if elements.is_empty() {
            return Err(CliError::Usage(
                "zhou2004 needs --elements, e.g. --elements Fe,W".into(),
            ));
        }
        Zhou2004::new(&elements)?.setfl_tables()
    } else if let Some(path) = args.potential.strip_prefix("eam:") {
        let eam = Eam::from_path(path.as_ref())?;
        if !elements.is_empty() && elements != fe_potentials::Potential::elements(&eam) {
            return Err(CliError::Usage(
                "a tabulated EAM is exported with its own element order; drop --elements".into(),
            ));
        }
        eam.setfl_tables()
    } else {
        return Err(CliError::Usage(format!(
            "cannot export `{}`: export-eam takes zhou2004 or eam:PATH",
            args.potential
        )));
    };
    let name = args.output.display().to_string();
    if tables.is_finnis_sinclair() && !name.ends_with(".fs") {
        return Err(CliError::Usage(format!(
            "the densities of this potential depend on the host element, which only the eam/fs \
             layout holds; name the output `*.eam.fs` (pair_style eam/fs), not `{name}`"
        )));
    }
    let mut buf = Vec::new();
    tables.write(&mut buf, &name)?;
    std::fs::write(&args.output, buf).map_err(|source| CliError::Output { file: name, source })
}
