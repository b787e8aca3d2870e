//! `fe grade --potential FILE.almtp --input FILE`: MaxVol extrapolation grades per atom.

use std::path::{Path, PathBuf};

use clap::Args;
use fe_maxvol::{AlState, GradeClass, Thresholds};
use fe_structure::io::Frames;
use fe_structure::{Element, Structure};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde_json::{json, Value};

use crate::common::{write_json, InputArgs, Layout};
use crate::error::CliError;

/// Arguments of `fe grade`.
#[derive(Debug, Args)]
pub struct GradeArgs {
    /// Active-learning state: an MLIP-3 `.almtp` file or our state file (JSON, from
    /// `fe select build`).
    #[arg(long)]
    pub potential: PathBuf,
    /// Structure file; every configuration of a multi-frame file is graded unless
    /// `--frame` picks one.
    #[arg(long)]
    pub input: PathBuf,
    #[command(flatten)]
    pub read: InputArgs,
    /// Elements of the potential's species in order, for an `.almtp` file (default: the
    /// `--types` list, else the single element of the input).
    #[arg(long, value_delimiter = ',')]
    pub elements: Option<Vec<String>>,
    /// Upper ends of the grade classes: interpolation, reliable extrapolation, label
    /// (above: break); adds `"classes"` counts to the output.
    #[arg(long, value_delimiter = ',', num_args = 3, default_values_t = [1.0, 2.0, 10.0])]
    pub thresholds: Vec<f64>,
    /// Write the JSON here instead of stdout.
    #[arg(long)]
    pub output: Option<PathBuf>,
}

/// A progress bar over `len` items on stderr, hidden with `--quiet`.
pub(crate) fn bar(len: usize, message: &str, quiet: bool) -> ProgressBar {
    let b = if quiet {
        ProgressBar::hidden()
    } else {
        ProgressBar::with_draw_target(Some(len as u64), ProgressDrawTarget::stderr())
    };
    b.set_style(
        ProgressStyle::with_template("{msg} {bar:30} {pos}/{len} [{elapsed}]")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    b.set_message(message.to_string());
    b
}

/// The elements of a state's species: `--elements`, else `--types`, else the single element
/// of the given structures.
pub(crate) fn state_elements(
    explicit: Option<&Vec<String>>,
    read: &InputArgs,
    frames: &[Structure],
) -> Result<Vec<Element>, CliError> {
    if let Some(e) = explicit {
        return e
            .iter()
            .map(|s| Element::from_symbol(s).map_err(CliError::from))
            .collect();
    }
    if let Some(t) = read.type_elements()? {
        return Ok(t);
    }
    let mut present: Vec<Element> = frames.iter().flat_map(|s| s.elements()).collect();
    present.sort();
    present.dedup();
    if present.len() == 1 {
        Ok(present)
    } else {
        Err(CliError::Usage(
            "name the potential's elements in species order with --elements El1,El2,...".into(),
        ))
    }
}

/// Load an `.almtp` or our JSON state.
pub(crate) fn load_state(path: &Path, elements: &[Element]) -> Result<AlState, CliError> {
    Ok(AlState::load(path, Some(elements))?)
}

/// The thresholds of `--thresholds`.
pub(crate) fn thresholds(v: &[f64]) -> Result<Thresholds, CliError> {
    match v {
        [a, b, c] if a.is_finite() && a <= b && b <= c => Ok(Thresholds {
            interpolation: *a,
            label: *b,
            stop: *c,
        }),
        _ => Err(CliError::Usage(
            "--thresholds needs three increasing numbers, e.g. 1,2,10".into(),
        )),
    }
}

/// Run `fe grade`: JSON `{"grade": [per atom], "max_grade": g, "classes": {...}}`, or a
/// list of those for an input with several configurations.
pub fn run(args: &GradeArgs, quiet: bool) -> Result<(), CliError> {
    let t = thresholds(&args.thresholds)?;
    let frames = match args.read.frame {
        Some(_) => vec![args.read.read_one(&args.input, quiet)?],
        None => args.read.read_frames(&args.input, Frames::All, quiet)?,
    };
    if frames.is_empty() {
        return Err(CliError::Usage(format!(
            "{}: no structure",
            args.input.display()
        )));
    }
    let elements = state_elements(args.elements.as_ref(), &args.read, &frames)?;
    let state = load_state(&args.potential, &elements)?;
    let b = bar(frames.len(), "grading", quiet);
    let mut out = Vec::with_capacity(frames.len());
    for s in &frames {
        let g = state.grade(s)?;
        let h = t.histogram(&g.rows);
        let classes: serde_json::Map<String, Value> = GradeClass::ALL
            .iter()
            .zip(h)
            .map(|(c, n)| (c.name().to_string(), json!(n)))
            .collect();
        out.push(json!({"grade": g.rows, "max_grade": g.max, "classes": classes}));
        b.inc(1);
    }
    b.finish_and_clear();
    let value = if out.len() == 1 {
        out.pop().unwrap_or(Value::Null)
    } else {
        Value::Array(out)
    };
    write_json(&value, args.output.as_ref(), Layout::Compact)
}
