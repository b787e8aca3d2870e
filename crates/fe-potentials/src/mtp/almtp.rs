//! MLIP-3 `.almtp` files: an MTP plus its MaxVol active-learning state (MTP.md 6).
//!
//! Byte layout, all of which [`Almtp`] decodes and [`Almtp::to_bytes`] rebuilds:
//!
//! ```text
//! <MTP text (MTP.md 4.1), no final newline>
//! \n#MVS_v1.1\n
//! energy_weight <%.16e>\n   force_weight ..\n   stress_weight ..\n   site_en_weight ..\n
//! weight_scaling <int>\n
//! #<A: n*n little-endian f64, row-major><S: n*n little-endian f64>
//! \n#\n
//! <cfg> <eqn>\n  x n          (row r of A is equation <eqn> of configuration <cfg>; -1 -1: initial row)
//! #\n
//! <the active-set configurations, MLIP .cfg text, kept verbatim>
//! ```
//!
//! `n` is the number of parameters in MLIP's order (MTP.md 2.8). `A` holds the active
//! equations (rows: parameter derivatives of the selected equations); `S` is `A^{-1}` stored
//! column-major, so that `A S^T = I`. The weights say which kind of equation rows hold
//! (MTP.md 8.1: energy, forces, stress, or site energies in "neighbourhood" mode). The
//! configurations (with their `selected_eqn_inds` features, MTP.md 6.2) are kept as text
//! for the `.cfg` reader of the MaxVol work.

use std::path::Path;

use super::model::MtpModel;
use super::parse::parse_mtp;
use super::write::{c_sci, write_mtp};
use crate::error::{PotentialError, Result};

/// The MaxVol state section header.
const MVS_HEADER: &str = "\n#MVS_v1.1\n";

/// An `.almtp` file: the MTP and the active-learning sections, decoded and kept intact.
#[derive(Debug, Clone, PartialEq)]
pub struct Almtp {
    /// The potential (the text before `#MVS_v1.1`).
    pub model: MtpModel,
    /// `energy_weight`: weight of total-energy rows.
    pub energy_weight: f64,
    /// `force_weight`: weight of force rows.
    pub force_weight: f64,
    /// `stress_weight`: weight of stress rows.
    pub stress_weight: f64,
    /// `site_en_weight`: non-zero selects site-energy ("neighbourhood") rows.
    pub site_en_weight: f64,
    /// `weight_scaling`: exponent of the atom count dividing energy and stress rows.
    pub weight_scaling: i64,
    /// The active matrix `A` (n x n, row-major, rows = selected equations).
    pub active: Vec<f64>,
    /// The matrix `S` as stored (n x n, row-major): `S[r][c] = (A^{-1})[c][r]`.
    pub inverse_transposed: Vec<f64>,
    /// Per row of `A`: (configuration index, equation index), `(-1, -1)` for an initial row.
    pub links: Vec<(i64, i64)>,
    /// The active-set configurations as MLIP `.cfg` text, verbatim.
    pub configurations: String,
}

impl Almtp {
    /// Read an `.almtp` file.
    ///
    /// # Errors
    /// I/O errors; the `.mtp` reader's errors for the MTP part; [`PotentialError::File`] for
    /// a missing or malformed active-learning section.
    pub fn from_path(path: &Path) -> Result<Almtp> {
        let bytes = std::fs::read(path).map_err(|source| PotentialError::Io {
            file: path.display().to_string(),
            source,
        })?;
        Almtp::from_bytes(&bytes, &path.display().to_string())
    }

    /// Parse the bytes of an `.almtp` file named `file`.
    ///
    /// # Errors
    /// As [`Almtp::from_path`].
    pub fn from_bytes(bytes: &[u8], file: &str) -> Result<Almtp> {
        let bad = |message: String| PotentialError::File {
            file: file.to_string(),
            message,
        };
        let hash = bytes
            .iter()
            .position(|&b| b == b'#')
            .ok_or_else(|| bad("no `#MVS_v1.1` section: not an .almtp file".into()))?;
        let text = std::str::from_utf8(&bytes[..hash])
            .map_err(|_| bad("the MTP part is not UTF-8 text".into()))?;
        let (model, _) = parse_mtp(text, file)?;
        let mut at = hash.saturating_sub(1);
        if !bytes[at..].starts_with(MVS_HEADER.as_bytes()) {
            return Err(bad("expected `\\n#MVS_v1.1\\n` after the MTP part".into()));
        }
        at += MVS_HEADER.len();
        let line = |name: &str, at: &mut usize| -> Result<String> {
            let end = bytes[*at..]
                .iter()
                .position(|&b| b == b'\n')
                .ok_or_else(|| bad(format!("unexpected end of file in `{name}`")))?;
            let l = std::str::from_utf8(&bytes[*at..*at + end])
                .map_err(|_| bad(format!("`{name}` line is not text")))?;
            *at += end + 1;
            match l.split_once(' ') {
                Some((k, v)) if k == name => Ok(v.to_string()),
                _ => Err(bad(format!("expected `{name} <value>`, found `{l}`"))),
            }
        };
        let real = |name: &str, at: &mut usize| -> Result<f64> {
            let v = line(name, at)?;
            v.parse::<f64>()
                .map_err(|_| bad(format!("`{name}`: `{v}` is not a number")))
        };
        let energy_weight = real("energy_weight", &mut at)?;
        let force_weight = real("force_weight", &mut at)?;
        let stress_weight = real("stress_weight", &mut at)?;
        let site_en_weight = real("site_en_weight", &mut at)?;
        let ws = line("weight_scaling", &mut at)?;
        let weight_scaling = ws
            .parse::<i64>()
            .map_err(|_| bad(format!("`weight_scaling`: `{ws}` is not an integer")))?;
        let n = model.n_params();
        if bytes.get(at) != Some(&b'#') {
            return Err(bad("expected `#` before the binary matrices".into()));
        }
        at += 1;
        let len = n * n * 8;
        if bytes.len() < at + 2 * len {
            return Err(bad(format!(
                "the binary matrices need 2 x {n} x {n} doubles, the file ends before"
            )));
        }
        let doubles = |from: usize| -> Vec<f64> {
            bytes[from..from + len]
                .chunks_exact(8)
                .map(|c| {
                    let mut b = [0u8; 8];
                    b.copy_from_slice(c);
                    f64::from_le_bytes(b)
                })
                .collect()
        };
        let active = doubles(at);
        let inverse_transposed = doubles(at + len);
        at += 2 * len;
        if !bytes[at..].starts_with(b"\n#\n") {
            return Err(bad("expected `\\n#\\n` after the binary matrices".into()));
        }
        at += 3;
        let mut links = Vec::with_capacity(n);
        for r in 0..n {
            let end = bytes[at..]
                .iter()
                .position(|&b| b == b'\n')
                .ok_or_else(|| bad(format!("unexpected end of file in link line {r}")))?;
            let l = std::str::from_utf8(&bytes[at..at + end]).unwrap_or("");
            let pair: Vec<i64> = l
                .split(' ')
                .map(|t| t.parse::<i64>())
                .collect::<std::result::Result<_, _>>()
                .map_err(|_| bad(format!("link line {r}: expected two integers, found `{l}`")))?;
            if pair.len() != 2 {
                return Err(bad(format!(
                    "link line {r}: expected two integers, found `{l}`"
                )));
            }
            links.push((pair[0], pair[1]));
            at += end + 1;
        }
        if !bytes[at..].starts_with(b"#\n") {
            return Err(bad(format!(
                "expected `#` after the {n} link lines (one per parameter)"
            )));
        }
        at += 2;
        let configurations = String::from_utf8(bytes[at..].to_vec())
            .map_err(|_| bad("the configurations are not UTF-8 text".into()))?;
        Ok(Almtp {
            model,
            energy_weight,
            force_weight,
            stress_weight,
            site_en_weight,
            weight_scaling,
            active,
            inverse_transposed,
            links,
            configurations,
        })
    }

    /// The file's bytes, in the layout above.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut o = write_mtp(&self.model).into_bytes();
        if o.last() == Some(&b'\n') {
            o.pop();
        }
        o.extend_from_slice(MVS_HEADER.as_bytes());
        for (k, v) in [
            ("energy_weight", self.energy_weight),
            ("force_weight", self.force_weight),
            ("stress_weight", self.stress_weight),
            ("site_en_weight", self.site_en_weight),
        ] {
            o.extend_from_slice(format!("{k} {}\n", c_sci(v, 16)).as_bytes());
        }
        o.extend_from_slice(format!("weight_scaling {}\n#", self.weight_scaling).as_bytes());
        for x in self.active.iter().chain(&self.inverse_transposed) {
            o.extend_from_slice(&x.to_le_bytes());
        }
        o.extend_from_slice(b"\n#\n");
        for (c, e) in &self.links {
            o.extend_from_slice(format!("{c} {e}\n").as_bytes());
        }
        o.extend_from_slice(b"#\n");
        o.extend_from_slice(self.configurations.as_bytes());
        o
    }
}
