//! Trajectory files: extended XYZ or LAMMPS text dump frames appended every N steps, written
//! by fe-structure's writers.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use fe_structure::io::{self, Format, WriteOptions};
use fe_structure::{InfoValue, Structure};

use crate::error::{DynamicsError, Result};

/// An open trajectory: each [`Trajectory::write`] appends one frame (with its velocities),
/// tagged `timestep` and `time` (ps) in the frame's info (the dump's `ITEM: TIMESTEP`).
#[derive(Debug)]
pub struct Trajectory {
    path: PathBuf,
    format: Format,
    writer: BufWriter<File>,
    options: WriteOptions,
}

impl Trajectory {
    /// Create (truncate) `path`; the format comes from the name and must be multi-frame
    /// (`.extxyz`/`.xyz` or `.dump`/`.lammpstrj`).
    ///
    /// # Errors
    /// [`DynamicsError::Invalid`] for another format, [`DynamicsError::Output`] when the file
    /// cannot be created.
    pub fn create(path: &Path, options: WriteOptions) -> Result<Trajectory> {
        let format = match Format::from_path(path) {
            Some(f @ (Format::ExtXyz | Format::LammpsDump)) => f,
            _ => {
                return Err(DynamicsError::Invalid(format!(
                    "{}: trajectories are written as .extxyz/.xyz or .dump/.lammpstrj",
                    path.display()
                )))
            }
        };
        let file = File::create(path).map_err(|source| DynamicsError::Output {
            file: path.display().to_string(),
            source,
        })?;
        Ok(Trajectory {
            path: path.to_path_buf(),
            format,
            writer: BufWriter::new(file),
            options,
        })
    }

    /// Append `structure` as the frame of step `step` at `time` ps.
    ///
    /// # Errors
    /// The writer's errors.
    pub fn write(&mut self, structure: &Structure, step: usize, time: f64) -> Result<()> {
        let mut frame = structure.clone();
        frame
            .info_mut()
            .insert("timestep".into(), InfoValue::Int(step as i64));
        frame
            .info_mut()
            .insert("time".into(), InfoValue::Real(time));
        let name = self.path.display().to_string();
        io::write(
            &mut self.writer,
            &name,
            self.format,
            &[frame],
            &self.options,
        )?;
        Ok(())
    }

    /// Flush to disk.
    ///
    /// # Errors
    /// [`DynamicsError::Output`].
    pub fn flush(&mut self) -> Result<()> {
        self.writer.flush().map_err(|source| DynamicsError::Output {
            file: self.path.display().to_string(),
            source,
        })
    }
}
