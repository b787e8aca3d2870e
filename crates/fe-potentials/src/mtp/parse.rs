//! Reader of MLIP `.mtp` text (version 1.1.0, MTP.md 4.2): `MTP` and `version = 1.1.0` on the
//! first two lines, then `key = value` items in MLIP's order, separated by any whitespace
//! (tabs, CRLF line ends and a missing final newline are all accepted). Lists are `{a, b, ...}`
//! and lists of lists `{{...}, {...}}`. The text ends at the end of the file or at the first
//! `#` (the start of an `.almtp` active-learning section).

use super::model::{MtpModel, RadialCoeffs, RADIAL_BASIS_TYPE};
use crate::error::{PotentialError, Result};

/// A cursor over the text that knows its line.
struct Scanner<'a> {
    file: &'a str,
    text: &'a str,
    pos: usize,
    line: usize,
}

impl<'a> Scanner<'a> {
    fn err(&self, message: impl std::fmt::Display) -> PotentialError {
        PotentialError::Parse {
            file: self.file.to_string(),
            line: self.line,
            message: message.to_string(),
        }
    }

    fn skip_ws(&mut self) {
        let bytes = self.text.as_bytes();
        while self.pos < bytes.len() && bytes[self.pos].is_ascii_whitespace() {
            if bytes[self.pos] == b'\n' {
                self.line += 1;
            }
            self.pos += 1;
        }
    }

    fn at_end(&mut self) -> bool {
        self.skip_ws();
        self.pos >= self.text.len() || self.text.as_bytes()[self.pos] == b'#'
    }

    fn peek(&mut self) -> Option<u8> {
        self.skip_ws();
        self.text.as_bytes().get(self.pos).copied()
    }

    /// A word: everything up to whitespace, `=`, `,`, `{` or `}`.
    fn word(&mut self, what: &str) -> Result<&'a str> {
        self.skip_ws();
        let start = self.pos;
        let bytes = self.text.as_bytes();
        while self.pos < bytes.len()
            && !bytes[self.pos].is_ascii_whitespace()
            && !matches!(bytes[self.pos], b'=' | b',' | b'{' | b'}')
        {
            self.pos += 1;
        }
        if self.pos == start {
            return Err(if start >= bytes.len() {
                self.err(format_args!("unexpected end of file, expected {what}"))
            } else {
                self.err(format_args!(
                    "expected {what}, found `{}`",
                    char::from(bytes[start])
                ))
            });
        }
        Ok(&self.text[start..self.pos])
    }

    fn expect(&mut self, c: u8, context: &str) -> Result<()> {
        match self.peek() {
            Some(x) if x == c => {
                self.pos += 1;
                Ok(())
            }
            Some(x) => Err(self.err(format_args!(
                "expected `{}` {context}, found `{}`",
                char::from(c),
                char::from(x)
            ))),
            None => Err(self.err(format_args!(
                "unexpected end of file, expected `{}` {context}",
                char::from(c)
            ))),
        }
    }

    fn real(&mut self, what: &str) -> Result<f64> {
        let w = self.word(what)?;
        match w.parse::<f64>() {
            Ok(x) if x.is_finite() => Ok(x),
            _ => Err(self.err(format_args!(
                "expected {what} (a finite number), found `{w}`"
            ))),
        }
    }

    fn int(&mut self, what: &str) -> Result<usize> {
        let w = self.word(what)?;
        w.parse::<usize>().map_err(|_| {
            self.err(format_args!(
                "expected {what} (a whole number), found `{w}`"
            ))
        })
    }

    /// `= value` of a key.
    fn eq(&mut self, key: &str) -> Result<()> {
        self.expect(b'=', &format!("after `{key}`"))
    }

    /// `{x, y, ...}` with items read by `item`.
    fn list<T>(
        &mut self,
        what: &str,
        mut item: impl FnMut(&mut Self) -> Result<T>,
    ) -> Result<Vec<T>> {
        self.expect(b'{', &format!("to open {what}"))?;
        let mut v = Vec::new();
        if self.peek() == Some(b'}') {
            self.pos += 1;
            return Ok(v);
        }
        loop {
            v.push(item(self)?);
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    self.pos += 1;
                    return Ok(v);
                }
                Some(x) => {
                    return Err(self.err(format_args!(
                        "expected `,` or `}}` in {what}, found `{}`",
                        char::from(x)
                    )))
                }
                None => return Err(self.err(format_args!("unexpected end of file in {what}"))),
            }
        }
    }

    /// A list of rows of exactly four whole numbers.
    fn rows4(&mut self, what: &str) -> Result<Vec<[usize; 4]>> {
        self.list(what, |s| {
            let line = s.line;
            let v = s.list(what, |s| s.int(what))?;
            <[usize; 4]>::try_from(v.as_slice()).map_err(|_| PotentialError::Parse {
                file: s.file.to_string(),
                line,
                message: format!("{what}: a row holds {} numbers, expected 4", v.len()),
            })
        })
    }

    /// The rest of the current line (without the line end), moving past it.
    fn rest_of_line(&mut self) -> &'a str {
        let bytes = self.text.as_bytes();
        // skip blanks but not the line end
        while self.pos < bytes.len() && matches!(bytes[self.pos], b' ' | b'\t') {
            self.pos += 1;
        }
        let start = self.pos;
        while self.pos < bytes.len() && bytes[self.pos] != b'\n' {
            self.pos += 1;
        }
        self.text[start..self.pos].trim_end_matches('\r')
    }
}

/// The keys of a `.mtp` file in the order MLIP writes and reads them.
const KEYS: [&str; 19] = [
    "potential_name",
    "scaling",
    "species_count",
    "potential_tag",
    "radial_basis_type",
    "min_dist",
    "max_dist",
    "radial_basis_size",
    "radial_funcs_count",
    "radial_coeffs",
    "alpha_moments_count",
    "alpha_index_basic_count",
    "alpha_index_basic",
    "alpha_index_times_count",
    "alpha_index_times",
    "alpha_scalar_moments",
    "alpha_moment_mapping",
    "species_coeffs",
    "moment_coeffs",
];

/// Parse the text of an `.mtp` file (or the MTP part of an `.almtp`) named `file`; returns the
/// model and the byte offset where the MTP text ended (the end, or the first `#`).
///
/// # Errors
/// [`PotentialError::Parse`] naming file, line and what was expected, for a wrong header,
/// version or radial basis type, an unknown or misplaced key, a malformed list or a count that
/// disagrees with its list; then [`MtpModel::validate`]'s errors.
pub(crate) fn parse_mtp(text: &str, file: &str) -> Result<(MtpModel, usize)> {
    let mut lines = text.split('\n');
    let l1 = lines.next().unwrap_or("").trim();
    if l1 != "MTP" {
        return Err(PotentialError::Parse {
            file: file.into(),
            line: 1,
            message: format!("expected `MTP` on the first line, found `{l1}`"),
        });
    }
    let l2 = lines.next().unwrap_or("").trim();
    let version: Vec<&str> = l2.split_whitespace().collect();
    if version != ["version", "=", "1.1.0"] {
        return Err(PotentialError::Parse {
            file: file.into(),
            line: 2,
            message: format!("expected `version = 1.1.0`, found `{l2}`"),
        });
    }
    let start = text.find('\n').map_or(text.len(), |a| {
        text[a + 1..]
            .find('\n')
            .map_or(text.len(), |b| a + 1 + b + 1)
    });
    let mut s = Scanner {
        file,
        text,
        pos: start,
        line: 3,
    };
    let mut m = MtpModel {
        potential_name: None,
        scaling: 1.0,
        species_count: None,
        potential_tag: None,
        min_dist: f64::NAN,
        max_dist: f64::NAN,
        radial_basis_size: 0,
        radial_funcs_count: 0,
        radial_coeffs: None,
        alpha_moments_count: 0,
        alpha_index_basic: Vec::new(),
        alpha_index_times: Vec::new(),
        alpha_moment_mapping: Vec::new(),
        species_coeffs: None,
        moment_coeffs: None,
    };
    let mut seen = [false; KEYS.len()];
    let mut rank_at = 0;
    let mut counts = [None::<(usize, usize)>; 3]; // (value, line) of basic, times, scalar
    while !s.at_end() {
        let key_line = s.line;
        let key = s.word("a key")?;
        let Some(rank) = KEYS.iter().position(|&k| k == key) else {
            return Err(s.err(format_args!("unknown key `{key}`")));
        };
        // A `scaling` inside the radial block (after radial_basis_type) multiplies the global one.
        let radial_scaling = key == "scaling" && seen[4];
        if !radial_scaling {
            if seen[rank] {
                return Err(s.err(format_args!("`{key}` appears twice")));
            }
            if rank < rank_at {
                return Err(s.err(format_args!(
                    "`{key}` is out of order: it must come before `{}`",
                    KEYS[rank_at]
                )));
            }
            seen[rank] = true;
            rank_at = rank;
        }
        match key {
            "potential_name" => {
                s.eq(key)?;
                m.potential_name = Some(s.word("the potential name")?.to_string());
            }
            "scaling" => {
                s.eq(key)?;
                let x = s.real("the scaling")?;
                m.scaling *= x;
            }
            "species_count" => {
                s.eq(key)?;
                m.species_count = Some(s.int("the species count")?);
            }
            "potential_tag" => {
                s.eq(key)?;
                m.potential_tag = Some(s.rest_of_line().to_string());
            }
            "radial_basis_type" => {
                s.eq(key)?;
                let t = s.word("the radial basis type")?;
                if t != RADIAL_BASIS_TYPE {
                    return Err(s.err(format_args!(
                        "radial basis type `{t}` is not supported (only {RADIAL_BASIS_TYPE}; magnetic and repulsive variants are not)"
                    )));
                }
            }
            "min_dist" => {
                s.eq(key)?;
                m.min_dist = s.real("min_dist")?;
            }
            "max_dist" => {
                s.eq(key)?;
                m.max_dist = s.real("max_dist")?;
            }
            "radial_basis_size" => {
                s.eq(key)?;
                m.radial_basis_size = s.int("radial_basis_size")?;
            }
            "radial_funcs_count" => {
                s.eq(key)?;
                m.radial_funcs_count = s.int("radial_funcs_count")?;
            }
            "radial_coeffs" => {
                if !seen[7] || !seen[8] {
                    return Err(
                        s.err("radial_coeffs before radial_basis_size and radial_funcs_count")
                    );
                }
                let (k, r) = (m.radial_funcs_count, m.radial_basis_size);
                let mut labels = Vec::new();
                let mut values = Vec::new();
                // Blocks `a-b` follow until the next key.
                while !s.at_end() && s.peek() != Some(b'{') {
                    let save = (s.pos, s.line);
                    let label = s.word("a radial block label `a-b`")?;
                    let is_label = label
                        .split_once('-')
                        .is_some_and(|(a, b)| a.parse::<u32>().is_ok() && b.parse::<u32>().is_ok());
                    if !is_label {
                        (s.pos, s.line) = save;
                        break;
                    }
                    labels.push(label.to_string());
                    for mu in 0..k {
                        let row_line = s.line;
                        let row = s.list("a radial coefficient row", |s| {
                            s.real("a radial coefficient")
                        })?;
                        if row.len() != r {
                            return Err(PotentialError::Parse {
                                file: file.into(),
                                line: row_line,
                                message: format!(
                                    "radial block {label}, function {mu}: {} coefficients, expected radial_basis_size = {r}",
                                    row.len()
                                ),
                            });
                        }
                        values.extend(row);
                    }
                }
                if s.peek() == Some(b'{') {
                    return Err(s.err(format_args!(
                        "too many radial coefficient rows: each block has radial_funcs_count = {k}"
                    )));
                }
                m.radial_coeffs = Some(RadialCoeffs { labels, values });
            }
            "alpha_moments_count" => {
                s.eq(key)?;
                m.alpha_moments_count = s.int(key)?;
            }
            "alpha_index_basic_count" | "alpha_index_times_count" | "alpha_scalar_moments" => {
                s.eq(key)?;
                let v = s.int(key)?;
                let slot = match key {
                    "alpha_index_basic_count" => 0,
                    "alpha_index_times_count" => 1,
                    _ => 2,
                };
                counts[slot] = Some((v, key_line));
            }
            "alpha_index_basic" => {
                s.eq(key)?;
                m.alpha_index_basic = s.rows4(key)?;
                check_count(file, counts[0], m.alpha_index_basic.len(), key)?;
            }
            "alpha_index_times" => {
                s.eq(key)?;
                m.alpha_index_times = s.rows4(key)?;
                check_count(file, counts[1], m.alpha_index_times.len(), key)?;
            }
            "alpha_moment_mapping" => {
                s.eq(key)?;
                m.alpha_moment_mapping = s.list(key, |s| s.int("a moment index"))?;
                check_count(file, counts[2], m.alpha_moment_mapping.len(), key)?;
            }
            "species_coeffs" => {
                s.eq(key)?;
                m.species_coeffs = Some(s.list(key, |s| s.real("a species coefficient"))?);
            }
            "moment_coeffs" => {
                s.eq(key)?;
                m.moment_coeffs = Some(s.list(key, |s| s.real("a moment coefficient"))?);
            }
            _ => unreachable!("every key of KEYS is handled"),
        }
    }
    for (rank, what) in [
        (5, "min_dist"),
        (6, "max_dist"),
        (7, "radial_basis_size"),
        (8, "radial_funcs_count"),
        (10, "alpha_moments_count"),
        (12, "alpha_index_basic"),
        (16, "alpha_moment_mapping"),
    ] {
        if !seen[rank] {
            return Err(PotentialError::File {
                file: file.into(),
                message: format!("no `{what}`"),
            });
        }
    }
    if !seen[4] {
        return Err(PotentialError::File {
            file: file.into(),
            message: "no `radial_basis_type`".into(),
        });
    }
    if seen[14] != counts[1].is_some() || seen[12] != counts[0].is_some() || counts[2].is_none() {
        return Err(PotentialError::File {
            file: file.into(),
            message: "every index list needs its count (alpha_index_basic_count, alpha_index_times_count, alpha_scalar_moments)".into(),
        });
    }
    m.validate(file)?;
    Ok((m, s.pos))
}

fn check_count(file: &str, count: Option<(usize, usize)>, len: usize, key: &str) -> Result<()> {
    match count {
        Some((n, _)) if n == len => Ok(()),
        Some((n, line)) => Err(PotentialError::Parse {
            file: file.into(),
            line,
            message: format!("the count says {n} but `{key}` holds {len} entries"),
        }),
        None => Err(PotentialError::File {
            file: file.into(),
            message: format!("`{key}` without its count before it"),
        }),
    }
}
