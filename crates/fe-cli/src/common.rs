//! Plumbing shared by the commands: reading inputs with their options, writing JSON results,
//! progress display.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

use clap::Args;
use fe_structure::io::{self, Format, Frames, ReadOptions};
use fe_structure::{Element, Structure};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::error::CliError;

/// How to read an input structure file.
#[derive(Debug, Clone, Args)]
pub struct InputArgs {
    /// Frame of a multi-frame input (0-based; negative counts from the end; default: the last).
    #[arg(long, allow_negative_numbers = true)]
    pub frame: Option<i64>,
    /// Elements of the atom types, in type order (LAMMPS type 1 / MLIP type 0 first),
    /// e.g. `--types Fe,W`; needed for files that number species.
    #[arg(long, value_delimiter = ',')]
    pub types: Option<Vec<String>>,
    /// Input format, overriding the file name (extxyz, lammps-data, lammps-dump, poscar, cfg).
    #[arg(long)]
    pub input_format: Option<String>,
}

impl InputArgs {
    /// The element list of `--types`.
    pub fn type_elements(&self) -> Result<Option<Vec<Element>>, CliError> {
        self.types
            .as_ref()
            .map(|t| {
                t.iter()
                    .map(|s| Element::from_symbol(s).map_err(CliError::from))
                    .collect()
            })
            .transpose()
    }

    fn format(&self, path: &Path) -> Result<Format, CliError> {
        match &self.input_format {
            Some(name) => Format::from_name(name)
                .ok_or_else(|| CliError::Usage(format!("unknown input format `{name}`"))),
            None => Format::from_path(path).ok_or_else(|| {
                fe_structure::StructureError::UnknownFormat {
                    file: path.display().to_string(),
                }
                .into()
            }),
        }
    }

    /// Read one structure: the frame selected by `--frame`, by default the last.
    pub fn read_one(&self, path: &Path, quiet: bool) -> Result<Structure, CliError> {
        let frames = match self.frame {
            None | Some(-1) => Frames::Last,
            Some(i) if i >= 0 => Frames::Index(i as usize),
            Some(i) => {
                // Counting from the end needs every frame.
                let all = self.read_frames(path, Frames::All, quiet)?;
                let k = all.len() as i64 + i;
                return usize::try_from(k)
                    .ok()
                    .and_then(|k| all.into_iter().nth(k))
                    .ok_or_else(|| {
                        CliError::Usage(format!("{}: frame {i} does not exist", path.display()))
                    });
            }
        };
        let mut v = self.read_frames(path, frames, quiet)?;
        v.pop()
            .ok_or_else(|| CliError::Usage(format!("{}: no structure", path.display())))
    }

    /// Read the frames `sel` of a file.
    pub fn read_frames(
        &self,
        path: &Path,
        frames: Frames,
        quiet: bool,
    ) -> Result<Vec<Structure>, CliError> {
        let format = self.format(path)?;
        let opts = ReadOptions {
            types: self.type_elements()?,
            frames,
        };
        let message = format!("reading {}", path.display());
        Ok(with_spinner(&message, quiet, || {
            io::read_path_as(path, format, &opts)
        })?)
    }
}

/// A spinner on stderr, hidden with `--quiet` or when stderr is not a terminal.
pub fn spinner(message: &str, quiet: bool) -> ProgressBar {
    let bar = if quiet {
        ProgressBar::hidden()
    } else {
        ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr())
    };
    bar.set_style(
        ProgressStyle::with_template("{spinner} {msg} [{elapsed}]")
            .unwrap_or_else(|_| ProgressStyle::default_spinner()),
    );
    bar.set_message(message.to_string());
    bar.enable_steady_tick(Duration::from_millis(120));
    bar
}

/// Run `work` behind a [`spinner`] showing `message`, and clear the spinner when it returns
/// (also on error: the result is handed back as it is).
pub fn with_spinner<T>(message: &str, quiet: bool, work: impl FnOnce() -> T) -> T {
    let bar = spinner(message, quiet);
    let out = work();
    bar.finish_and_clear();
    out
}

/// A progress bar of `len` steps on stderr in the indicatif `template`, hidden with `--quiet`
/// or when stderr is not a terminal.
pub fn progress_bar(len: u64, template: &str, quiet: bool) -> ProgressBar {
    let bar = if quiet {
        ProgressBar::hidden()
    } else {
        ProgressBar::with_draw_target(Some(len), ProgressDrawTarget::stderr())
    };
    bar.set_style(
        ProgressStyle::with_template(template).unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    bar
}

/// Create the output file `path` for buffered writing; the error names the file.
pub fn create_output(path: &Path) -> Result<std::io::BufWriter<std::fs::File>, CliError> {
    std::fs::File::create(path)
        .map(std::io::BufWriter::new)
        .map_err(|source| CliError::Output {
            file: path.display().to_string(),
            source,
        })
}

/// How to lay out JSON output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// Indented, for small summaries people read.
    Pretty,
    /// One line, for per-atom arrays of any length.
    Compact,
}

/// Write a JSON value to `output` (a file) or to stdout, followed by a newline.
pub fn write_json(
    value: &serde_json::Value,
    output: Option<&PathBuf>,
    layout: Layout,
) -> Result<(), CliError> {
    let text = match layout {
        Layout::Pretty => serde_json::to_string_pretty(value),
        Layout::Compact => serde_json::to_string(value),
    }
    .map_err(|e| CliError::Output {
        file: "JSON".into(),
        source: e.into(),
    })?;
    match output {
        Some(path) => std::fs::write(path, text + "\n").map_err(|source| CliError::Output {
            file: path.display().to_string(),
            source,
        }),
        None => {
            let mut out = std::io::stdout().lock();
            writeln!(out, "{text}").map_err(|source| CliError::Output {
                file: "<stdout>".into(),
                source,
            })
        }
    }
}

/// A 3x3 matrix as nested JSON rows.
pub fn matrix_json(m: &nalgebra::Matrix3<f64>) -> serde_json::Value {
    serde_json::json!([
        [m[(0, 0)], m[(0, 1)], m[(0, 2)]],
        [m[(1, 0)], m[(1, 1)], m[(1, 2)]],
        [m[(2, 0)], m[(2, 1)], m[(2, 2)]],
    ])
}
