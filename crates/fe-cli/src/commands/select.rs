//! `fe select build|add|cut`: MaxVol active learning (MTP.md 8.3, 8.5, 8.7).

use std::fs::File;
use std::io::BufWriter;
use std::path::{Path, PathBuf};

use clap::{Args, Subcommand};
use fe_maxvol::{
    cut_neighbourhood, label_cluster, AlState, CutOptions, RowMode, SelectOptions, SELECT_THRESHOLD,
};
use fe_potentials::mtp::Mtp;
use fe_structure::io::mlip_cfg::{self, Layout as CfgLayout};
use fe_structure::io::Frames;
use fe_structure::{Element, InfoValue, Structure};
use serde_json::json;

use crate::commands::grade::{bar, load_state, state_elements};
use crate::common::{write_json, InputArgs, Layout};
use crate::error::CliError;

/// Arguments of `fe select`.
#[derive(Debug, Args)]
pub struct SelectArgs {
    #[command(subcommand)]
    pub action: SelectAction,
}

/// What `fe select` does.
#[derive(Debug, Subcommand)]
pub enum SelectAction {
    /// Build an active set from a training `.cfg` and save the state (JSON).
    Build(BuildArgs),
    /// Select the candidates that extend the active set most (MLIP-3's select_add).
    Add(AddArgs),
    /// Cut the neighbourhood of the most extrapolative atom of every configuration.
    Cut(CutArgs),
}

/// Arguments of `fe select build`.
#[derive(Debug, Args)]
pub struct BuildArgs {
    /// Trained potential: `.mtp` or `.almtp` (its active set is ignored).
    #[arg(long)]
    pub potential: PathBuf,
    /// Training configurations.
    #[arg(long)]
    pub training: PathBuf,
    #[command(flatten)]
    pub read: InputArgs,
    /// Elements of the potential's species in order (default: `--types`, else the single
    /// element of the training set).
    #[arg(long, value_delimiter = ',')]
    pub elements: Option<Vec<String>>,
    /// Rows per neighbourhood (`nbh`) or per configuration (`cfg`, energy weight 1,
    /// weight scaling 2).
    #[arg(long, default_value = "nbh")]
    pub mode: String,
    /// Selection threshold (above 1).
    #[arg(long, default_value_t = SELECT_THRESHOLD)]
    pub threshold: f64,
    /// The state file to write (JSON, docs/maxvol-state.md).
    #[arg(long)]
    pub output: PathBuf,
    /// Write the summary JSON here instead of stdout.
    #[arg(long)]
    pub report: Option<PathBuf>,
}

/// Arguments of `fe select add`.
#[derive(Debug, Args)]
pub struct AddArgs {
    /// State: `.almtp` or our JSON state.
    #[arg(long)]
    pub state: PathBuf,
    /// Training configurations (selected first at 1.001 and again at the end).
    #[arg(long)]
    pub training: Option<PathBuf>,
    /// Candidate configurations.
    #[arg(long)]
    pub candidates: PathBuf,
    #[command(flatten)]
    pub read: InputArgs,
    /// Elements of the potential's species in order.
    #[arg(long, value_delimiter = ',')]
    pub elements: Option<Vec<String>>,
    /// Selection threshold for the candidates (above 1).
    #[arg(long, default_value_t = SELECT_THRESHOLD)]
    pub threshold: f64,
    /// At most this many candidate configurations.
    #[arg(long)]
    pub limit: Option<usize>,
    /// The selected candidates (`.cfg`, MLIP's default layout, feature `ID` = candidate index).
    #[arg(long)]
    pub output: PathBuf,
    /// Also save the updated state here (JSON).
    #[arg(long)]
    pub state_out: Option<PathBuf>,
    /// Write the summary JSON here instead of stdout.
    #[arg(long)]
    pub report: Option<PathBuf>,
}

/// Arguments of `fe select cut`.
#[derive(Debug, Args)]
pub struct CutArgs {
    /// State used to grade the atoms: `.almtp` or our JSON state.
    #[arg(long)]
    pub state: PathBuf,
    /// Configurations to cut from.
    #[arg(long)]
    pub input: PathBuf,
    #[command(flatten)]
    pub read: InputArgs,
    /// Elements of the potential's species in order.
    #[arg(long, value_delimiter = ',')]
    pub elements: Option<Vec<String>>,
    /// Sphere radius (Angstrom).
    #[arg(long, default_value_t = 8.0)]
    pub radius: f64,
    /// Skip configurations whose largest grade is below this.
    #[arg(long, default_value_t = 1.1)]
    pub min_grade: f64,
    /// Put each cluster in a periodic cubic box with vacuum (side 2 R + max(cutoff, 10 A)).
    #[arg(long)]
    pub vacuum: bool,
    /// The clusters (`.cfg`, MLIP's default layout).
    #[arg(long)]
    pub output: PathBuf,
    /// Write the summary JSON here instead of stdout.
    #[arg(long)]
    pub report: Option<PathBuf>,
}

/// Run `fe select`.
pub fn run(args: &SelectArgs, quiet: bool) -> Result<(), CliError> {
    match &args.action {
        SelectAction::Build(a) => build(a, quiet),
        SelectAction::Add(a) => add(a, quiet),
        SelectAction::Cut(a) => cut(a, quiet),
    }
}

fn select_opts(threshold: f64) -> SelectOptions {
    SelectOptions {
        threshold,
        ..SelectOptions::default()
    }
}

fn write_cfg(path: &Path, frames: &[Structure], types: &[Element]) -> Result<(), CliError> {
    let name = path.display().to_string();
    let f = File::create(path).map_err(|source| CliError::Output {
        file: name.clone(),
        source,
    })?;
    mlip_cfg::write_with_layout(BufWriter::new(f), &name, frames, types, CfgLayout::Default)?;
    Ok(())
}

fn build(a: &BuildArgs, quiet: bool) -> Result<(), CliError> {
    let training = a.read.read_frames(&a.training, Frames::All, quiet)?;
    let elements = state_elements(a.elements.as_ref(), &a.read, &training)?;
    let mtp = Mtp::from_path(&a.potential, &elements)?;
    let mode = match a.mode.as_str() {
        "nbh" => RowMode::Neighbourhood,
        "cfg" => RowMode::Configuration {
            energy_weight: 1.0,
            weight_scaling: 2,
        },
        m => {
            return Err(CliError::Usage(format!(
                "--mode must be nbh or cfg, not `{m}`"
            )))
        }
    };
    let b = bar(training.len(), "rows", quiet);
    let (state, report) =
        AlState::build(mtp, &training, mode, &select_opts(a.threshold), &mut |k| {
            b.set_position(k as u64)
        })?;
    b.finish_and_clear();
    state.save(&a.output)?;
    let out = json!({
        "configurations": training.len(),
        "active_configurations": state.configurations().len(),
        "swaps": report.swaps,
        "initial_rows": state.active().initial_rows(),
        "log_abs_det": state.active().log_abs_det(),
        "inverse_drift": report.inverse_drift,
    });
    write_json(&out, a.report.as_ref(), Layout::Pretty)
}

fn add(a: &AddArgs, quiet: bool) -> Result<(), CliError> {
    let candidates = a.read.read_frames(&a.candidates, Frames::All, quiet)?;
    let training = match &a.training {
        Some(p) => a.read.read_frames(p, Frames::All, quiet)?,
        None => Vec::new(),
    };
    let elements = state_elements(a.elements.as_ref(), &a.read, &candidates)?;
    let mut state = load_state(&a.state, &elements)?;
    let b = bar(training.len() + candidates.len(), "rows", quiet);
    let r = state.select_add(
        &training,
        &candidates,
        &select_opts(a.threshold),
        a.limit,
        &mut |k| b.set_position(k as u64),
    )?;
    b.finish_and_clear();
    let selected: Vec<Structure> = r
        .selected
        .iter()
        .map(|&i| {
            let mut s = candidates[i].clone();
            s.info_mut().insert(
                format!("{}ID", mlip_cfg::FEATURE_PREFIX),
                InfoValue::Str(i.to_string()),
            );
            s
        })
        .collect();
    write_cfg(&a.output, &selected, &elements)?;
    if let Some(p) = &a.state_out {
        state.save(p)?;
    }
    let out = json!({
        "candidates": candidates.len(),
        "selected": r.selected,
        "swaps": r.reports.iter().map(|x| x.swaps).collect::<Vec<_>>(),
    });
    write_json(&out, a.report.as_ref(), Layout::Pretty)
}

fn cut(a: &CutArgs, quiet: bool) -> Result<(), CliError> {
    let frames = a.read.read_frames(&a.input, Frames::All, quiet)?;
    let elements = state_elements(a.elements.as_ref(), &a.read, &frames)?;
    let state = load_state(&a.state, &elements)?;
    let opts = CutOptions {
        radius: a.radius,
        vacuum_box: a.vacuum.then(|| {
            use fe_potentials::Potential;
            state.mtp().cutoff()
        }),
    };
    let b = bar(frames.len(), "cutting", quiet);
    let mut clusters = Vec::new();
    let mut cut_from = Vec::new();
    for (k, s) in frames.iter().enumerate() {
        let g = state.neighbourhood_grades(s)?;
        b.inc(1);
        let Some((i, &gmax)) = g
            .iter()
            .enumerate()
            .max_by(|x, y| x.1.total_cmp(y.1).then(y.0.cmp(&x.0)))
        else {
            continue;
        };
        if gmax < a.min_grade {
            continue;
        }
        let mut c = cut_neighbourhood(s, i, &opts)?;
        label_cluster(&mut c, clusters.len(), i, gmax);
        clusters.push(c);
        cut_from.push(json!({"configuration": k, "atom": i, "grade": gmax}));
    }
    b.finish_and_clear();
    write_cfg(&a.output, &clusters, &elements)?;
    write_json(
        &json!({"clusters": cut_from}),
        a.report.as_ref(),
        Layout::Pretty,
    )
}
