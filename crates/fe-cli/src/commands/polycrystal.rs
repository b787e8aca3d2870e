//! `fe polycrystal --box L[,LY,LZ] --grains N --lattice bcc --a A --element Fe --seed S
//! [--min-distance 2.0] --output FILE --grains-out GRAINS.json`: a Voronoi nano-polycrystal
//! (Atomsk's method, METHODS.md section 1).

use std::path::{Path, PathBuf};
use std::time::Duration;

use clap::Args;
use fe_structure::build::Lattice;
use fe_structure::io::{write_path, WriteOptions};
use fe_structure::{Cell, Element};
use fe_voronoi::polycrystal::{
    build_polycrystal, random_rotations, random_seeds, BuildStep, Polycrystal, PolycrystalSpec,
    DEFAULT_MIN_DISTANCE, DEFAULT_MIN_SEED_DISTANCE, ROTATION_STREAM, SEED_STREAM,
};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use nalgebra::{Matrix3, Vector3};
use serde_json::{json, Value};

use crate::common::{matrix_json, spinner, write_json, Layout};
use crate::error::CliError;

/// Arguments of `fe polycrystal`.
#[derive(Debug, Args)]
pub struct PolycrystalArgs {
    /// Box edges in Angstrom: `L` (cube) or `LX,LY,LZ`.
    #[arg(long = "box", value_delimiter = ',', required = true)]
    pub box_lengths: Vec<f64>,
    /// Tilt factors `XY,XZ,YZ` (Angstrom) of a triclinic box with rows (LX,0,0), (XY,LY,0),
    /// (XZ,YZ,LZ).
    #[arg(long, value_delimiter = ',', allow_negative_numbers = true)]
    pub tilt: Option<Vec<f64>>,
    /// Number of grains (random seeds); with `--seeds-from`, must match the file if given.
    #[arg(long)]
    pub grains: Option<usize>,
    /// Crystal lattice: bcc, fcc, sc, diamond or hcp.
    #[arg(long, default_value = "bcc")]
    pub lattice: String,
    /// c/a ratio of hcp (default ideal, sqrt(8/3)).
    #[arg(long)]
    pub c_over_a: Option<f64>,
    /// Lattice constant in Angstrom.
    #[arg(long, default_value_t = 2.8553)]
    pub a: f64,
    /// Element of every atom.
    #[arg(long, default_value = "Fe")]
    pub element: String,
    /// Random seed of the seed points and orientations.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// One atom of every pair closer than this (Angstrom) is deleted.
    #[arg(long, default_value_t = DEFAULT_MIN_DISTANCE)]
    pub min_distance: f64,
    /// Seed points closer than this (Angstrom) are redrawn (random) or rejected (given).
    #[arg(long, default_value_t = DEFAULT_MIN_SEED_DISTANCE)]
    pub min_seed_distance: f64,
    /// Take the seed points (and the rotations, if present) from this JSON file, e.g. a
    /// GRAINS.json: `{"seeds": [[x,y,z], ...], "rotations": [3x3, ...]}`.
    #[arg(long)]
    pub seeds_from: Option<PathBuf>,
    /// Structure file to write (format from the name; extended XYZ keeps the `grain` column).
    #[arg(long)]
    pub output: PathBuf,
    /// Write the grain geometry (CLI.md GRAINS.json) here.
    #[arg(long)]
    pub grains_out: Option<PathBuf>,
}

/// Run `fe polycrystal`: write the structure (per-atom `grain`, 0-based), GRAINS.json, and a
/// JSON summary on stdout.
pub fn run(args: &PolycrystalArgs, quiet: bool) -> Result<(), CliError> {
    let cell = box_cell(&args.box_lengths, args.tilt.as_deref())?;
    let spec = PolycrystalSpec {
        lattice: lattice(&args.lattice, args.c_over_a)?,
        a: args.a,
        element: Element::from_symbol(&args.element)?,
        min_distance: args.min_distance,
        min_seed_distance: args.min_seed_distance,
    };
    let (seeds, rotations) = seeds_and_rotations(args, &cell)?;
    let bar = spinner("tessellating", quiet);
    let filling = hidden_or_stderr(quiet);
    filling.set_style(
        ProgressStyle::with_template("filling grains {bar:40} {pos}/{len} slabs [{elapsed}]")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let pruning = hidden_or_stderr(quiet);
    pruning.set_style(
        ProgressStyle::with_template("{spinner} {msg} [{elapsed}]")
            .unwrap_or_else(|_| ProgressStyle::default_spinner()),
    );
    let progress = |step: BuildStep| match step {
        BuildStep::Tessellated => bar.finish_and_clear(),
        BuildStep::Filling { done, total } => {
            filling.set_length(total as u64);
            filling.set_position(done as u64);
        }
        BuildStep::RemovingClosePairs { candidates } => {
            filling.finish_and_clear();
            pruning.set_message(format!(
                "removing close pairs among {candidates} atoms near the boundaries"
            ));
            pruning.enable_steady_tick(Duration::from_millis(120));
        }
        _ => {}
    };
    let built = build_polycrystal(&cell, &seeds, &rotations, &spec, &progress);
    for b in [&bar, &filling, &pruning] {
        b.finish_and_clear();
    }
    let p = built?;
    let writing = spinner(&format!("writing {}", args.output.display()), quiet);
    let written = write_path(
        &args.output,
        std::slice::from_ref(&p.structure),
        &WriteOptions::default(),
    );
    writing.finish_and_clear();
    written?;
    let random_points = args.seeds_from.is_none();
    if let Some(path) = &args.grains_out {
        let doc = grains_json(&p, &spec, args.seed, random_points);
        write_json(&doc, Some(path), Layout::Pretty)?;
    }
    let summary = json!({
        "natoms": p.structure.len(),
        "grains": p.tessellation.len(),
        "removed": p.removed(),
        "facets": p.tessellation.facets().len(),
        "gb_area_A2": p.tessellation.total_facet_area(),
        "output": args.output.display().to_string(),
        "grains_out": args.grains_out.as_ref().map(|g| g.display().to_string()),
    });
    write_json(&summary, None, Layout::Pretty)
}

/// A progress bar on stderr, hidden with `--quiet` (and by indicatif when stderr is not a
/// terminal).
fn hidden_or_stderr(quiet: bool) -> ProgressBar {
    if quiet {
        ProgressBar::hidden()
    } else {
        ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr())
    }
}

/// The periodic box from `--box` and `--tilt`.
fn box_cell(lengths: &[f64], tilt: Option<&[f64]>) -> Result<Cell, CliError> {
    let l = match lengths {
        [l] => [*l; 3],
        [x, y, z] => [*x, *y, *z],
        _ => {
            return Err(CliError::Usage(format!(
                "--box takes L or LX,LY,LZ, got {} numbers",
                lengths.len()
            )))
        }
    };
    let t = match tilt {
        None => [0.0; 3],
        Some([xy, xz, yz]) => [*xy, *xz, *yz],
        Some(t) => {
            return Err(CliError::Usage(format!(
                "--tilt takes XY,XZ,YZ, got {} numbers",
                t.len()
            )))
        }
    };
    if let Some(x) = l.iter().find(|x| !(x.is_finite() && **x > 0.0)) {
        return Err(CliError::Usage(format!(
            "box edges must be finite and positive, got {x} A"
        )));
    }
    let h = Matrix3::new(l[0], 0.0, 0.0, t[0], l[1], 0.0, t[1], t[2], l[2]);
    Ok(Cell::new(h, [true; 3])?)
}

/// The lattice named by `--lattice`.
fn lattice(name: &str, c_over_a: Option<f64>) -> Result<Lattice, CliError> {
    let l = match name.to_ascii_lowercase().as_str() {
        "bcc" => Lattice::Bcc,
        "fcc" => Lattice::Fcc,
        "sc" => Lattice::Sc,
        "diamond" => Lattice::Diamond,
        "hcp" => Lattice::Hcp {
            c_over_a: c_over_a.unwrap_or((8.0f64 / 3.0).sqrt()),
        },
        other => {
            return Err(CliError::Usage(format!(
                "unknown lattice `{other}` (bcc, fcc, sc, diamond, hcp)"
            )))
        }
    };
    if c_over_a.is_some() && !matches!(l, Lattice::Hcp { .. }) {
        return Err(CliError::Usage("--c-over-a applies to hcp only".into()));
    }
    Ok(l)
}

/// Seed points (Angstrom) and grain rotations.
type SeedsAndRotations = (Vec<Vector3<f64>>, Vec<Matrix3<f64>>);

/// Seeds and rotations: drawn from `--seed`, or read from `--seeds-from`.
fn seeds_and_rotations(args: &PolycrystalArgs, cell: &Cell) -> Result<SeedsAndRotations, CliError> {
    let Some(path) = &args.seeds_from else {
        let n = args
            .grains
            .ok_or_else(|| CliError::Usage("--grains N is required".into()))?;
        if n == 0 {
            return Err(CliError::Usage("--grains must be at least 1".into()));
        }
        let seeds = random_seeds(cell, n, args.seed, args.min_seed_distance)?;
        return Ok((seeds, random_rotations(n, args.seed)));
    };
    let text = std::fs::read_to_string(path)
        .map_err(|e| CliError::Usage(format!("cannot read seeds from {}: {e}", path.display())))?;
    let doc: Value = serde_json::from_str(&text)
        .map_err(|e| CliError::Usage(format!("{}: not JSON: {e}", path.display())))?;
    let seeds: Vec<Vector3<f64>> = numbers(path, &doc, "seeds", 3)?
        .into_iter()
        .map(|v| Vector3::new(v[0], v[1], v[2]))
        .collect();
    if seeds.is_empty() {
        return Err(CliError::Usage(format!("{}: no seeds", path.display())));
    }
    if let Some(n) = args.grains.filter(|&n| n != seeds.len()) {
        return Err(CliError::Usage(format!(
            "--grains {n} but {} holds {} seeds",
            path.display(),
            seeds.len()
        )));
    }
    let rotations = if doc.get("rotations").is_some() {
        numbers(path, &doc, "rotations", 9)?
            .into_iter()
            .map(|v| Matrix3::from_row_slice(&v))
            .collect()
    } else {
        random_rotations(seeds.len(), args.seed)
    };
    Ok((seeds, rotations))
}

/// The array `key` of `doc` as lists of `k` numbers each (3-vectors, or 3x3 matrices as rows).
fn numbers(path: &Path, doc: &Value, key: &str, k: usize) -> Result<Vec<Vec<f64>>, CliError> {
    let bad = |what: String| CliError::Usage(format!("{}: `{key}`: {what}", path.display()));
    let items = doc
        .get(key)
        .and_then(Value::as_array)
        .ok_or_else(|| bad("expected an array".into()))?;
    items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let flat: Option<Vec<f64>> = match item.as_array() {
                Some(rows) if k == 9 => rows
                    .iter()
                    .map(Value::as_array)
                    .collect::<Option<Vec<_>>>()
                    .and_then(|r| r.iter().flat_map(|x| x.iter()).map(Value::as_f64).collect()),
                Some(xs) => xs.iter().map(Value::as_f64).collect(),
                None => None,
            };
            flat.filter(|v| v.len() == k).ok_or_else(|| {
                bad(format!(
                    "entry {i}: expected {}",
                    if k == 9 { "a 3x3 matrix" } else { "3 numbers" }
                ))
            })
        })
        .collect()
}

fn vec_json(v: &Vector3<f64>) -> Value {
    json!([v.x, v.y, v.z])
}

/// GRAINS.json as CLI.md specifies it, plus the extras METHODS.md 1.2 asks for.
fn grains_json(p: &Polycrystal, spec: &PolycrystalSpec, seed: u64, random_points: bool) -> Value {
    let t = &p.tessellation;
    let facets: Vec<Value> = t
        .facets()
        .iter()
        .map(|f| {
            json!({
                "grains": f.grains,
                "area": f.area,
                "normal": vec_json(&f.normal),
                "centroid": vec_json(&f.centroid),
                "shift": f.shift,
                "self_image": f.self_image,
                "polygon": f.polygon.iter().map(vec_json).collect::<Vec<_>>(),
            })
        })
        .collect();
    let junctions: Vec<Value> = t
        .junctions()
        .iter()
        .map(|j| {
            json!({
                "grains": j.grains,
                "shifts": j.shifts,
                "ends": [vec_json(&j.ends[0]), vec_json(&j.ends[1])],
                "length": j.length,
            })
        })
        .collect();
    let generator = format!(
        "Pcg64 from fe_structure::build::stream_rng(seed, stream): stream {SEED_STREAM} for \
         the seed points{}, stream {ROTATION_STREAM} for the rotations (Shoemake)",
        if random_points {
            ""
        } else {
            " (not used: seeds given)"
        }
    );
    json!({
        "cell": matrix_json(t.cell().matrix()),
        "seeds": t.seeds().iter().map(vec_json).collect::<Vec<_>>(),
        "rotations": p.rotations.iter().map(matrix_json).collect::<Vec<_>>(),
        "facets": facets,
        "triple_junctions": junctions,
        "grain_volumes": t.grains().iter().map(|g| g.volume).collect::<Vec<_>>(),
        "grain_surface_areas": t.grains().iter().map(|g| g.surface_area).collect::<Vec<_>>(),
        "atoms_per_grain": p.atoms_per_grain,
        "filled_per_grain": p.filled_per_grain,
        "natoms": p.structure.len(),
        "removed": p.removed(),
        "lattice": spec.lattice.name(),
        "a": spec.a,
        "element": spec.element.symbol(),
        "min_distance": spec.min_distance,
        "seed": seed,
        "generator": generator,
        "units": "Angstrom",
        "conventions": "grain indices are 0-based (the per-atom `grain` property too); a facet \
            [i, j] lies between grain i and the image of grain j whose seed is seeds[j] + \
            shift[0] a + shift[1] b + shift[2] c (a, b, c: the rows of cell), its normal points from i \
            towards that image, and its centroid and polygon are in grain i's unwrapped frame \
            (they may lie outside the cell); a facet [i, i] with self_image true is a grain \
            against its own periodic image; a rotation's columns are the crystal axes in the box \
            frame",
    })
}
