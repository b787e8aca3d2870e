//! Potential specifications (`--potential SPEC`, CLI.md): `zhou2004`, `eam:PATH`,
//! `meam:LIBRARY[:PARAMS]`, `mtp:PATH[@El,...]`.

use std::path::Path;
use std::sync::Arc;

use fe_structure::Element;

use crate::eam::{Eam, EamStyle, Zhou2004};
use crate::error::{PotentialError, Result};
use crate::meam::Meam;
use crate::potential::Potential;

/// Build the potential a specification names. `elements` are the elements of the structure it
/// will evaluate (used by `zhou2004`, which takes its elements from the structure).
///
/// - `zhou2004`: the embedded Zhou-Johnson-Wadley 2004 EAM for `elements`;
/// - `eam:PATH`: a tabulated EAM (`.eam` funcfl, `.eam.alloy` setfl, `.eam.fs`
///   Finnis-Sinclair); several funcfl files are mixed as LAMMPS mixes them when given as
///   `eam:A.eam,B.eam`;
/// - `meam:LIBRARY[:PARAMS][@E1,E2,...]`: a LAMMPS MEAM library and parameter file (`NULL` or
///   none for LAMMPS' defaults); the entries E1, E2, ... (LAMMPS' `El_1 ... El_n`, which
///   number the parameter file's elements) default to the structure's elements.
/// - `mtp:PATH[@El,...]`: an MLIP `.mtp` or `.almtp` file, species `i` being the `i`-th listed
///   element (a one-species potential defaults to the structure's single element).
///
/// # Errors
/// [`PotentialError::Spec`] for an unknown or not yet supported form, and the readers' errors.
pub fn from_spec(spec: &str, elements: &[Element]) -> Result<Arc<dyn Potential>> {
    let bad = |message: &str| PotentialError::Spec {
        spec: spec.to_string(),
        message: message.to_string(),
    };
    if spec == "zhou2004" {
        let mut els = elements.to_vec();
        els.sort();
        els.dedup();
        return Ok(Arc::new(Zhou2004::new(&els)?));
    }
    let (kind, rest) = spec
        .split_once(':')
        .ok_or_else(|| bad("expected zhou2004, eam:PATH, meam:LIBRARY[:PARAMS] or mtp:PATH"))?;
    match kind {
        "eam" => {
            if rest.is_empty() {
                return Err(bad("eam: needs a file path"));
            }
            let paths: Vec<&Path> = rest.split(',').map(Path::new).collect();
            if paths.len() == 1 {
                Ok(Arc::new(Eam::from_path(paths[0])?))
            } else {
                Ok(Arc::new(Eam::from_paths(&paths, EamStyle::Funcfl)?))
            }
        }
        "meam" => {
            let (files, entries) = match rest.rsplit_once('@') {
                Some((f, e)) => (f, e.split(',').map(str::to_string).collect::<Vec<_>>()),
                None => (
                    rest,
                    elements.iter().map(|e| e.symbol().to_string()).collect(),
                ),
            };
            let (library, params) = match files.split_once(':') {
                Some((l, p)) => (l, Some(p)),
                None => (files, None),
            };
            if library.is_empty() || params == Some("") || entries.iter().any(String::is_empty) {
                return Err(bad("expected meam:LIBRARY[:PARAMS][@E1,E2,...]"));
            }
            let mut names: Vec<&str> = Vec::new();
            for e in &entries {
                if !names.contains(&e.as_str()) {
                    names.push(e);
                }
            }
            let params = params.filter(|p| *p != "NULL").map(Path::new);
            Ok(Arc::new(Meam::from_paths(
                Path::new(library),
                params,
                &names,
            )?))
        }
        "mtp" => crate::mtp::from_mtp_spec(spec, rest, elements),
        _ => Err(bad(&format!("unknown potential kind `{kind}`"))),
    }
}
