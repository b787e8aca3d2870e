//! Structure files: extended XYZ, LAMMPS data and dump, VASP POSCAR and MLIP `.cfg`.
//!
//! Every reader takes a [`BufRead`](std::io::BufRead) plus a display name for messages and
//! streams line by line (memory stays proportional to the atoms kept); every writer takes a
//! [`Write`]. [`read_path`] and [`write_path`] pick the format from the file
//! name ([`Format::from_path`]). Atom order is preserved by every reader and writer.
//!
//! Formats whose atoms carry a type number instead of an element (LAMMPS data and dump
//! without an element column, MLIP `.cfg`) map type numbers to elements through
//! [`ReadOptions::types`]: LAMMPS type 1 and MLIP type 0 are `types[0]`.

pub mod extxyz;
pub(crate) mod lammps_common;
pub mod lammps_data;
pub mod lammps_dump;
pub mod mlip_cfg;
pub mod poscar;
pub(crate) mod text;

use std::fs::File;
use std::io::{BufReader, BufWriter, Write};
use std::path::Path;

use crate::element::Element;
use crate::error::{Result, StructureError};
use crate::structure::Structure;

/// A structure file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Extended XYZ as ASE writes it (`.extxyz`, `.xyz`).
    ExtXyz,
    /// LAMMPS data file, atomic style (`.data`, `.lmp`).
    LammpsData,
    /// LAMMPS text dump, `custom` or `atom` style (`.dump`, `.lammpstrj`).
    LammpsDump,
    /// VASP POSCAR/CONTCAR (`POSCAR*`, `CONTCAR*`, `.vasp`, `.poscar`).
    Poscar,
    /// MLIP configurations (`.cfg`).
    MlipCfg,
}

impl Format {
    /// The format named by a file's extension or name, if any.
    pub fn from_path(path: &Path) -> Option<Format> {
        let name = path.file_name()?.to_str()?.to_ascii_lowercase();
        let ext = name.rsplit_once('.').map(|(_, e)| e).unwrap_or("");
        match ext {
            "extxyz" | "xyz" => Some(Format::ExtXyz),
            "data" | "lmp" => Some(Format::LammpsData),
            "dump" | "lammpstrj" => Some(Format::LammpsDump),
            "vasp" | "poscar" => Some(Format::Poscar),
            "cfg" => Some(Format::MlipCfg),
            _ if name.starts_with("poscar") || name.starts_with("contcar") => Some(Format::Poscar),
            _ => None,
        }
    }

    /// The format with this short name (`extxyz`, `lammps-data`, `lammps-dump`, `poscar`,
    /// `cfg`), for overriding the extension.
    pub fn from_name(name: &str) -> Option<Format> {
        match name.to_ascii_lowercase().as_str() {
            "extxyz" | "xyz" => Some(Format::ExtXyz),
            "lammps-data" | "data" | "lmp" => Some(Format::LammpsData),
            "lammps-dump" | "dump" => Some(Format::LammpsDump),
            "poscar" | "vasp" => Some(Format::Poscar),
            "cfg" | "mlip-cfg" => Some(Format::MlipCfg),
            _ => None,
        }
    }

    /// True for formats that hold several structures.
    pub fn is_multi_frame(self) -> bool {
        matches!(self, Format::ExtXyz | Format::LammpsDump | Format::MlipCfg)
    }
}

/// Which frames of a multi-frame file to keep.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Frames {
    /// Every frame, in file order.
    #[default]
    All,
    /// Only frame `i` (0-based); the others are parsed and dropped.
    Index(usize),
    /// Only the last frame.
    Last,
}

impl Frames {
    /// Whether a reader should build frame `i` (0-based). With `Last` every frame is built
    /// and replaces the one before ([`Frames::push`]), so memory holds at most two frames.
    pub fn wants(self, i: usize) -> bool {
        match self {
            Frames::All | Frames::Last => true,
            Frames::Index(k) => k == i,
        }
    }

    /// Whether a reader may stop reading after frame `i`.
    pub fn done_after(self, i: usize) -> bool {
        matches!(self, Frames::Index(k) if i >= k)
    }

    /// Add a built frame to a reader's output under this selection.
    pub fn push(self, frames: &mut Vec<Structure>, frame: Structure) {
        if self == Frames::Last {
            frames.clear();
        }
        frames.push(frame);
    }
}

/// Options for readers.
#[derive(Debug, Clone, Default)]
pub struct ReadOptions {
    /// Element of each atom type: LAMMPS type 1 and MLIP type 0 map to `types[0]`.
    pub types: Option<Vec<Element>>,
    /// Which frames to keep.
    pub frames: Frames,
}

/// Options for writers.
#[derive(Debug, Clone, Default)]
pub struct WriteOptions {
    /// Type order for formats that number species (LAMMPS, MLIP): element `types[k]` gets
    /// LAMMPS type k + 1 and MLIP type k. Default: the elements present, by atomic number.
    pub types: Option<Vec<Element>>,
}

impl WriteOptions {
    /// The type order for these frames: the given one (checked to cover every element
    /// present) or the elements present ordered by atomic number.
    ///
    /// # Errors
    /// [`StructureError::Invalid`] naming an element that the given order lacks.
    pub fn type_order(&self, frames: &[Structure]) -> Result<Vec<Element>> {
        let mut present: Vec<Element> = frames.iter().flat_map(|s| s.elements()).collect();
        present.sort();
        present.dedup();
        match &self.types {
            None => Ok(present),
            Some(t) => {
                if let Some(e) = present.iter().find(|e| !t.contains(e)) {
                    return Err(StructureError::Invalid(format!(
                        "element {e} is not in the type order {}",
                        t.iter().map(|e| e.symbol()).collect::<Vec<_>>().join(",")
                    )));
                }
                Ok(t.clone())
            }
        }
    }
}

/// Read the frames of a file, choosing the format by name.
///
/// # Errors
/// [`StructureError::UnknownFormat`], I/O errors and parse errors naming file and line.
pub fn read_path(path: &Path, opts: &ReadOptions) -> Result<Vec<Structure>> {
    let format = Format::from_path(path).ok_or_else(|| StructureError::UnknownFormat {
        file: path.display().to_string(),
    })?;
    read_path_as(path, format, opts)
}

/// Read the frames of a file in the given format.
///
/// # Errors
/// I/O errors and parse errors naming file and line; [`StructureError::File`] when the
/// requested frame does not exist or the file holds no structure.
pub fn read_path_as(path: &Path, format: Format, opts: &ReadOptions) -> Result<Vec<Structure>> {
    let file = File::open(path).map_err(|e| StructureError::io(path, e))?;
    let reader = BufReader::with_capacity(1 << 20, file);
    read(reader, &path.display().to_string(), format, opts)
}

/// Read frames from any reader in the given format.
///
/// # Errors
/// As [`read_path_as`].
pub fn read<R: std::io::BufRead>(
    reader: R,
    name: &str,
    format: Format,
    opts: &ReadOptions,
) -> Result<Vec<Structure>> {
    let frames = match format {
        Format::ExtXyz => extxyz::read(reader, name, opts)?,
        Format::LammpsData => lammps_data::read(reader, name, opts)?,
        Format::LammpsDump => lammps_dump::read(reader, name, opts)?,
        Format::Poscar => poscar::read(reader, name, opts)?,
        Format::MlipCfg => mlip_cfg::read(reader, name, opts)?,
    };
    select_frames(frames, name, format, opts.frames)
}

/// Check what a reader returned against the selection. Multi-frame readers return every frame
/// for [`Frames::All`] and only the selected one otherwise; single-frame formats hold frame 0.
fn select_frames(
    mut frames: Vec<Structure>,
    name: &str,
    format: Format,
    sel: Frames,
) -> Result<Vec<Structure>> {
    if let (false, Frames::Index(i)) = (format.is_multi_frame(), sel) {
        if i > 0 {
            frames.clear();
        }
    }
    if frames.is_empty() {
        let message = match sel {
            Frames::Index(i) => format!("frame {i} does not exist"),
            _ => "the file holds no structure".to_string(),
        };
        return Err(StructureError::File {
            file: name.to_string(),
            message,
        });
    }
    Ok(frames)
}

/// Read exactly one structure: the only one, or the frame that `opts.frames` selects
/// (default: the last).
///
/// # Errors
/// As [`read_path`].
pub fn read_one(path: &Path, opts: &ReadOptions) -> Result<Structure> {
    let mut opts = opts.clone();
    if opts.frames == Frames::All {
        opts.frames = Frames::Last;
    }
    let mut frames = read_path(path, &opts)?;
    frames.pop().ok_or_else(|| StructureError::File {
        file: path.display().to_string(),
        message: "the file holds no structure".into(),
    })
}

/// Write frames to a file, choosing the format by name. The file is written under a temporary
/// name beside the target and renamed when complete, so a failed write never leaves a
/// truncated file or destroys an existing one.
///
/// # Errors
/// [`StructureError::UnknownFormat`], I/O errors, and [`StructureError::Invalid`] when the
/// format cannot hold what is given (several frames in a single-frame format, a left-handed
/// cell for LAMMPS, ...).
pub fn write_path(path: &Path, frames: &[Structure], opts: &WriteOptions) -> Result<()> {
    let format = Format::from_path(path).ok_or_else(|| StructureError::UnknownFormat {
        file: path.display().to_string(),
    })?;
    write_path_as(path, format, frames, opts)
}

/// Write frames to a file in the given format (atomically, as [`write_path`]).
///
/// # Errors
/// As [`write_path`].
pub fn write_path_as(
    path: &Path,
    format: Format,
    frames: &[Structure],
    opts: &WriteOptions,
) -> Result<()> {
    let name = path.display().to_string();
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = path.with_file_name(format!(".{file_name}.tmp{}", std::process::id()));
    let result = (|| {
        let file = File::create(&tmp).map_err(|e| StructureError::io(path, e))?;
        let mut w = BufWriter::with_capacity(1 << 20, file);
        write(&mut w, &name, format, frames, opts)?;
        w.flush().map_err(|e| StructureError::io(path, e))?;
        std::fs::rename(&tmp, path).map_err(|e| StructureError::io(path, e))
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// Write frames to any writer in the given format.
///
/// # Errors
/// As [`write_path`].
pub fn write<W: Write>(
    writer: W,
    name: &str,
    format: Format,
    frames: &[Structure],
    opts: &WriteOptions,
) -> Result<()> {
    if !format.is_multi_frame() && frames.len() != 1 {
        return Err(StructureError::Invalid(format!(
            "{name}: this format holds exactly one structure, got {}",
            frames.len()
        )));
    }
    match format {
        Format::ExtXyz => extxyz::write(writer, name, frames, opts),
        Format::LammpsData => lammps_data::write(writer, name, &frames[0], opts),
        Format::LammpsDump => lammps_dump::write(writer, name, frames, opts),
        Format::Poscar => poscar::write(writer, name, &frames[0], opts),
        Format::MlipCfg => mlip_cfg::write(writer, name, frames, opts),
    }
}
