//! `fe gb-energy --potential SPEC --input RELAXED_FILE --grains GRAINS.json
//! [--bulk-energy E_PER_ATOM] --output OUT.json`: average and per-GB energies of a relaxed
//! polycrystal (METHODS.md section 3), and with `--profiles` the Voronoi volume and
//! coordination profiles against the distance to the GB centre (section 4).

use std::path::PathBuf;

use clap::Args;
use fe_gbanalysis::{
    bcc_bulk_reference, gb_report, GbOptions, Grains, ProfileOptions, DEFAULT_AMBIGUITY_MARGIN,
    DEFAULT_AREA_THRESHOLD,
};
use fe_potentials::{from_spec, Evaluator, Request};
use serde_json::{json, Value};

use crate::common::{with_spinner, write_json, InputArgs, Layout};
use crate::error::CliError;

/// Arguments of `fe gb-energy`.
#[derive(Debug, Args)]
pub struct GbEnergyArgs {
    /// Potential: `zhou2004`, `eam:PATH`, `meam:...`, `mtp:...`.
    #[arg(long)]
    pub potential: String,
    /// The relaxed polycrystal (structure file).
    #[arg(long)]
    pub input: PathBuf,
    #[command(flatten)]
    pub read: InputArgs,
    /// GRAINS.json of `fe polycrystal` (its cell, seeds and rotations are used).
    #[arg(long)]
    pub grains: PathBuf,
    /// Bulk energy per atom (eV); default: relax the potential's perfect bcc crystal (CG, iso
    /// cell, zero pressure).
    #[arg(long, allow_negative_numbers = true)]
    pub bulk_energy: Option<f64>,
    /// Bulk lattice constant (Angstrom) for V_bulk = a^3/2 of the profiles; default: from the
    /// bulk relaxation.
    #[arg(long)]
    pub lattice_constant: Option<f64>,
    /// GBs with a smaller area (Angstrom^2) are reported apart (`small_gbs`).
    #[arg(long, default_value_t = DEFAULT_AREA_THRESHOLD)]
    pub area_threshold: f64,
    /// Margin (Angstrom) under which an atom's two nearest facets count as ambiguous.
    #[arg(long, default_value_t = DEFAULT_AMBIGUITY_MARGIN)]
    pub ambiguity_margin: f64,
    /// Also compute per-atom Voronoi volumes and face counts and their profiles against the
    /// distance to the GB centre (key `profile`).
    #[arg(long)]
    pub profiles: bool,
    /// Profiles: distance bin width (Angstrom).
    #[arg(long, default_value_t = 0.25)]
    pub bin_width: f64,
    /// Profiles: one atomic layer (Angstrom).
    #[arg(long, default_value_t = 2.45)]
    pub layer_width: f64,
    /// Profiles: number of layers histogrammed.
    #[arg(long, default_value_t = 3)]
    pub layers: usize,
    /// Profiles: volume histogram bin width (Angstrom^3).
    #[arg(long, default_value_t = 0.05)]
    pub volume_bin_width: f64,
    /// Profiles: Voronoi faces with area not above this (Angstrom^2) are not counted.
    #[arg(long, default_value_t = 0.0)]
    pub face_threshold: f64,
    /// Also write the tables as CSV: PREFIX_gbs.csv (and PREFIX_profile.csv,
    /// PREFIX_layers.csv with --profiles).
    #[arg(long)]
    pub csv: Option<PathBuf>,
    /// Also write per-atom JSON `{"distance", "facet", "ambiguous", "excess_energy", ["volume",
    /// "faces"]}` here.
    #[arg(long)]
    pub per_atom: Option<PathBuf>,
    /// Write the JSON here instead of stdout.
    #[arg(long)]
    pub output: Option<PathBuf>,
}

/// Run `fe gb-energy`: JSON `{"average_gb_energy_J_per_m2", "gb_area_A2", "excess_energy_eV",
/// "per_gb": [{"grains", "area_A2", "energy_J_per_m2", "misorientation_deg", ...}], ...}`.
pub fn run(args: &GbEnergyArgs, quiet: bool) -> Result<(), CliError> {
    let s = args.read.read_one(&args.input, quiet)?;
    let grains = Grains::read(&args.grains)?;
    let potential = from_spec(&args.potential, &s.elements())?;

    let needs_bulk =
        args.bulk_energy.is_none() || (args.profiles && args.lattice_constant.is_none());
    let bulk = if needs_bulk {
        let elements = s.elements();
        let [element] = elements.as_slice() else {
            return Err(CliError::Usage(format!(
                "the bulk reference needs a one-element structure (found {}); give \
                 --bulk-energy (and --lattice-constant with --profiles)",
                elements.len()
            )));
        };
        // Starting lattice constant from the polycrystal's volume per atom (bcc: a^3 / 2).
        let a_guess = (2.0 * s.cell().volume() / s.len().max(1) as f64).cbrt();
        let message = format!("relaxing bulk bcc {} (CG, iso cell)", element.symbol());
        Some(with_spinner(&message, quiet, || {
            bcc_bulk_reference(potential.clone(), *element, a_guess)
        })?)
    } else {
        None
    };
    let e_bulk = args
        .bulk_energy
        .or(bulk.map(|b| b.e_bulk))
        .ok_or_else(|| CliError::Usage("no bulk energy".into()))?;
    let a0 = args.lattice_constant.or(bulk.map(|b| b.a0));

    let request = Request {
        per_atom_energy: true,
        ..Request::ENERGY
    };
    let per_atom = with_spinner(&format!("evaluating {} atoms", s.len()), quiet, || {
        Evaluator::new(potential).evaluate(&s, request)
    })?
    .per_atom_energy
    .ok_or_else(|| CliError::Usage("the potential gave no per-atom energies".into()))?;

    let profile = match (args.profiles, a0) {
        (false, _) => None,
        (true, None) => {
            return Err(CliError::Usage(
                "--profiles needs --lattice-constant when --bulk-energy is given".into(),
            ))
        }
        (true, Some(a)) => Some(ProfileOptions {
            bin_width: args.bin_width,
            layer_width: args.layer_width,
            layers: args.layers,
            volume_bin_width: args.volume_bin_width,
            face_area_threshold: args.face_threshold,
            ..ProfileOptions::bcc(a)
        }),
    };
    let options = GbOptions {
        area_threshold: args.area_threshold,
        ambiguity_margin: args.ambiguity_margin,
        profile,
    };
    let message = format!(
        "distances to {} GB facets{}",
        grains.tessellation().facets().len(),
        if args.profiles {
            ", Voronoi profiles"
        } else {
            ""
        }
    );
    let report = with_spinner(&message, quiet, || {
        gb_report(&s, &per_atom, &grains, e_bulk, &options)
    })?;

    if let Some(prefix) = &args.csv {
        report.write_csv(prefix)?;
    }
    if let Some(path) = &args.per_atom {
        let excess: Vec<f64> = per_atom.iter().map(|e| e - e_bulk).collect();
        let mut doc = json!({
            "distance": report.distances.distance,
            "facet": report.distances.facet,
            "ambiguous": report.distances.ambiguous,
            "excess_energy": excess,
        });
        if let Some((v, f)) = &report.voronoi {
            doc["volume"] = json!(v);
            doc["faces"] = json!(f);
        }
        write_json(&doc, Some(path), Layout::Compact)?;
    }
    let bulk_doc = match (args.bulk_energy, bulk) {
        (Some(e), _) => json!({"e_bulk_eV": e, "source": "--bulk-energy", "a0_A": a0}),
        (None, Some(b)) => b.to_json(),
        (None, None) => Value::Null,
    };
    let doc = report.to_json_value([
        ("potential", json!(args.potential)),
        ("input", json!(args.input.display().to_string())),
        ("grains_file", json!(args.grains.display().to_string())),
        ("bulk", bulk_doc),
    ])?;
    write_json(&doc, args.output.as_ref(), Layout::Pretty)
}
