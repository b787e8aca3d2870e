//! # Structure files
//!
//! [`crate::structure::io`] reads and writes five formats, chosen by file name
//! ([`crate::structure::io::Format::from_path`]) or explicitly:
//!
//! | format | names | frames | species |
//! |---|---|---|---|
//! | extended XYZ (as ASE writes it) | `.extxyz`, `.xyz` | many | symbols |
//! | LAMMPS data, atomic style | `.data`, `.lmp` | one | `Masses` comments, `--types`, or masses |
//! | LAMMPS text dump | `.dump`, `.lammpstrj` | many | `element` column or `--types` |
//! | VASP POSCAR/CONTCAR | `POSCAR*`, `CONTCAR*`, `.vasp` | one | symbol line (VASP 5) or `--types` |
//! | MLIP configurations | `.cfg` | many | `--types` (type 0 first) |
//!
//! Every reader streams line by line and keeps atom order; every parse error names the file,
//! the line and what was expected there. Writers write under a temporary name and rename when
//! done, so a failed write never truncates an existing file.
//!
//! Per-structure values (energy, virial, stress, MLIP features, dump timestep) go to
//! [`Structure::info`](crate::structure::Structure::info); per-atom columns that are not
//! positions, species, velocities, masses or the fixed mask go to named
//! [`Property`](crate::structure::Property) columns (forces are the 3-component `forces`).
//!
//! ```
//! use fe::structure::io::{read, write, Format, ReadOptions, WriteOptions};
//! use fe::structure::{build::bcc, Element};
//! let s = bcc(Element::W, 3.165).unwrap();
//! let mut text = Vec::new();
//! write(&mut text, "<memory>", Format::ExtXyz, &[s.clone()], &WriteOptions::default()).unwrap();
//! let back = read(&text[..], "<memory>", Format::ExtXyz, &ReadOptions::default()).unwrap();
//! assert_eq!(back[0].positions(), s.positions());
//! ```
