//! Readers for LAMMPS MEAM files (`pair_style meam`): the element library (19 values per
//! entry, spanning lines, quotes stripped, `#` comments) and the parameter file
//! (`keyword = value` or `keyword(i[,j[,k]]) = value`, one per line). Every keyword the
//! LAMMPS documentation lists is read; anything else is an error naming file, line and the
//! keyword.

use crate::error::{PotentialError, Result};

use super::lattice::Lattice;

/// One element entry of a MEAM library file.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct LibraryEntry {
    /// The entry name (`elt`).
    pub name: String,
    /// Line of the name in the file (1-based).
    pub line: usize,
    pub lat: Lattice,
    pub ielement: i32,
    pub atwt: f64,
    pub alpha: f64,
    /// beta0..beta3.
    pub beta: [f64; 4],
    pub alat: f64,
    pub esub: f64,
    pub asub: f64,
    /// t1..t3 (t0 must be 1).
    pub t: [f64; 3],
    pub rozero: f64,
    pub ibar: i32,
}

/// Values per library entry.
const PER_ENTRY: usize = 19;

/// A parse error.
fn err(file: &str, line: usize, message: impl Into<String>) -> PotentialError {
    PotentialError::Parse {
        file: file.to_string(),
        line,
        message: message.into(),
    }
}

/// A finite real number, or an error naming `what`.
fn real(tok: &str, file: &str, line: usize, what: &str) -> Result<f64> {
    match tok.parse::<f64>() {
        Ok(x) if x.is_finite() => Ok(x),
        _ if tok.contains(['D', 'd']) && tok.replace(['D', 'd'], "e").parse::<f64>().is_ok() => {
            Err(err(
                file,
                line,
                format!("Fortran exponent in `{tok}` ({what}): write `E`"),
            ))
        }
        _ => Err(err(
            file,
            line,
            format!("expected {what} (a number), found `{tok}`"),
        )),
    }
}

/// An integer written as an integer or an integral real (`12.`), or an error.
fn integer(tok: &str, file: &str, line: usize, what: &str) -> Result<i32> {
    let x = real(tok, file, line, what)?;
    if x.fract() != 0.0 || x.abs() > 1e9 {
        return Err(err(
            file,
            line,
            format!("expected {what} (a whole number), found `{tok}`"),
        ));
    }
    Ok(x as i32)
}

/// Read the entries `wanted` (in that order) from a library text. Every entry of the file must
/// have 19 values; the first entry of a name wins, as in LAMMPS.
pub(crate) fn library(text: &str, file: &str, wanted: &[String]) -> Result<Vec<LibraryEntry>> {
    let mut tokens: Vec<(&str, usize)> = Vec::new();
    for (k, raw) in text.lines().enumerate() {
        let line = raw.split('#').next().unwrap_or("");
        tokens.extend(
            line.split(|c: char| c == '\'' || c == '"' || c.is_whitespace())
                .filter(|t| !t.is_empty())
                .map(|t| (t, k + 1)),
        );
    }
    if tokens.len() % PER_ENTRY != 0 {
        let start = tokens.len() - tokens.len() % PER_ENTRY;
        return Err(err(
            file,
            tokens[start].1,
            format!(
                "incomplete library entry `{}`: {} of {PER_ENTRY} values",
                tokens[start].0,
                tokens.len() - start
            ),
        ));
    }
    let mut found: Vec<Option<LibraryEntry>> = vec![None; wanted.len()];
    for chunk in tokens.chunks(PER_ENTRY) {
        let (name, line) = chunk[0];
        let Some(slot) = wanted.iter().position(|w| w == name) else {
            continue;
        };
        if found[slot].is_some() {
            continue;
        }
        let v = |k: usize, what: &str| real(chunk[k].0, file, chunk[k].1, what);
        let lat = Lattice::from_name(chunk[1].0, true).ok_or_else(|| {
            err(
                file,
                chunk[1].1,
                format!(
                    "unknown or unsupported library lattice `{}` for `{name}` (fcc, bcc, hcp, dim, dia, dia3, lin, zig, tri, sc)",
                    chunk[1].0
                ),
            )
        })?;
        let z = v(2, "z")?;
        if z != f64::from(lat.z1()) {
            return Err(err(
                file,
                chunk[2].1,
                format!(
                    "`{name}`: z = {z} does not match the {} lattice (z = {})",
                    lat.name(),
                    lat.z1()
                ),
            ));
        }
        let ielement = integer(chunk[3].0, file, chunk[3].1, "ielement")?;
        let t0 = v(13, "t0")?;
        if (t0 - 1.0).abs() >= 1e-20 {
            return Err(err(
                file,
                chunk[13].1,
                format!("`{name}`: t0 = {t0}; LAMMPS supports only t0 = 1"),
            ));
        }
        let ibar = integer(chunk[18].0, file, chunk[18].1, "ibar")?;
        if ![0, 1, 3, 4, -5].contains(&ibar) {
            return Err(err(
                file,
                chunk[18].1,
                format!("`{name}`: ibar = {ibar} is not one of 0, 1, 3, 4, -5"),
            ));
        }
        let entry = LibraryEntry {
            name: name.to_string(),
            line,
            lat,
            ielement,
            atwt: v(4, "atwt")?,
            alpha: v(5, "alpha")?,
            beta: [v(6, "b0")?, v(7, "b1")?, v(8, "b2")?, v(9, "b3")?],
            alat: v(10, "alat")?,
            esub: v(11, "esub")?,
            asub: v(12, "asub")?,
            t: [v(14, "t1")?, v(15, "t2")?, v(16, "t3")?],
            rozero: v(17, "rozero")?,
            ibar,
        };
        if entry.alat <= 0.0 || entry.rozero <= 0.0 {
            return Err(err(
                file,
                line,
                format!("`{name}`: alat and rozero must be positive"),
            ));
        }
        found[slot] = Some(entry);
    }
    let missing: Vec<&str> = wanted
        .iter()
        .zip(&found)
        .filter(|(_, f)| f.is_none())
        .map(|(w, _)| w.as_str())
        .collect();
    if !missing.is_empty() {
        return Err(PotentialError::File {
            file: file.to_string(),
            message: format!("no library entry for {}", missing.join(", ")),
        });
    }
    Ok(found.into_iter().flatten().collect())
}

/// The keywords of a LAMMPS MEAM parameter file and how many element indices each takes.
pub(crate) const KEYWORDS: [(&str, usize); 22] = [
    ("Ec", 2),
    ("alpha", 2),
    ("rho0", 1),
    ("delta", 2),
    ("lattce", 2),
    ("attrac", 2),
    ("repuls", 2),
    ("nn2", 2),
    ("Cmin", 3),
    ("Cmax", 3),
    ("rc", 0),
    ("delr", 0),
    ("augt1", 0),
    ("gsmooth_factor", 0),
    ("re", 2),
    ("ialloy", 0),
    ("mixture_ref_t", 0),
    ("erose_form", 0),
    ("zbl", 2),
    ("emb_lin_neg", 0),
    ("bkgd_dyn", 0),
    ("theta", 2),
];

/// The value of one parameter-file setting.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Value {
    /// A number.
    Number(f64),
    /// A lattice name (`lattce`).
    Lattice(Lattice),
}

/// One setting of a parameter file: keyword, 0-based element indices, value, line.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Setting {
    pub keyword: &'static str,
    pub index: Vec<usize>,
    pub value: Value,
    pub line: usize,
}

/// Read a parameter file for `n` elements.
pub(crate) fn parameters(text: &str, file: &str, n: usize) -> Result<Vec<Setting>> {
    let mut out = Vec::new();
    for (k, raw) in text.lines().enumerate() {
        let line = k + 1;
        let body = raw.split('#').next().unwrap_or("");
        let words: Vec<&str> = body
            .split(|c: char| "=(),'".contains(c) || c.is_whitespace())
            .filter(|t| !t.is_empty())
            .collect();
        if words.is_empty() {
            continue;
        }
        let Some(&(keyword, nidx)) = KEYWORDS.iter().find(|(kw, _)| *kw == words[0]) else {
            return Err(err(
                file,
                line,
                format!(
                    "unknown MEAM keyword `{}` (known: {})",
                    words[0],
                    KEYWORDS.map(|k| k.0).join(", ")
                ),
            ));
        };
        if words.len() != nidx + 2 {
            return Err(err(
                file,
                line,
                format!(
                    "`{keyword}` takes {nidx} element indices and one value; found {} words after it",
                    words.len() - 1
                ),
            ));
        }
        let mut index = Vec::with_capacity(nidx);
        for w in &words[1..=nidx] {
            match w.parse::<usize>() {
                Ok(i) if (1..=n).contains(&i) => index.push(i - 1),
                _ => {
                    return Err(err(
                        file,
                        line,
                        format!("`{keyword}`: element index `{w}` is not in 1..={n}"),
                    ))
                }
            }
        }
        let tok = words[nidx + 1];
        let value = if keyword == "lattce" {
            Value::Lattice(
                Lattice::from_name(tok, false)
                    .ok_or_else(|| err(file, line, format!("`lattce`: unknown lattice `{tok}`")))?,
            )
        } else {
            Value::Number(real(tok, file, line, keyword)?)
        };
        out.push(Setting {
            keyword,
            index,
            value,
            line,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIB: &str = "# comment\n'Fe' 'bcc' 8 26 55.847\n5.07 2.935 1.00 1.0008 1.00 2.866 4.29 0.89\n1.0 5.13 4.12 -2.7 1. 0\n'W' 'bcc' 8. 74 183.85 5.6 3.9 1 1 1 3.165 8.66 0.98 1 3.1 8.2 -2.7 1 0\n";

    #[test]
    fn meam_library_entries_span_lines_and_keep_the_first() {
        let e = library(LIB, "lib", &["W".into(), "Fe".into()]).unwrap();
        assert_eq!(e[0].name, "W");
        assert_eq!(e[1].line, 2);
        assert_eq!(e[1].t, [5.13, 4.12, -2.7]);
        let twice = format!("{LIB}'Fe' 'fcc' 12 26 1 1 1 1 1 1 3 1 1 1 1 1 1 1 0\n");
        let e = library(&twice, "lib", &["Fe".into()]).unwrap();
        assert_eq!(e[0].lat, Lattice::Bcc);
    }

    #[test]
    fn meam_library_errors_name_file_line_and_problem() {
        let e = library(LIB, "lib", &["Ni".into()]).unwrap_err().to_string();
        assert!(e.contains("lib") && e.contains("Ni"), "{e}");
        let bad = LIB.replace("'bcc' 8 26", "'bcc' 12 26");
        let e = library(&bad, "lib", &["Fe".into()])
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("lib:2:") && e.contains("z = 12"), "{e}");
        let bad = LIB.replace("1.0 5.13", "0.9 5.13");
        let e = library(&bad, "lib", &["Fe".into()])
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("lib:4:") && e.contains("t0"), "{e}");
        let bad = LIB.replace("'bcc' 8 26", "'b1' 8 26");
        let e = library(&bad, "lib", &["Fe".into()])
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("lib:2:") && e.contains("b1"), "{e}");
        let e = library(&LIB[..LIB.len() - 4], "lib", &["Fe".into()])
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("lib:5:") && e.contains("incomplete"), "{e}");
        let bad = LIB.replace("4.29", "4.29x");
        let e = library(&bad, "lib", &["Fe".into()])
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("lib:3:") && e.contains("esub"), "{e}");
    }

    #[test]
    fn meam_parameter_file_reads_every_keyword_and_names_unknown_ones() {
        let text = "rc = 4.5 # cutoff\nCmin(1,1,2) = 0.36\nlattce(1,2) = 'b1'\n\nzbl(1,2)=0\n";
        let s = parameters(text, "p", 2).unwrap();
        assert_eq!(s.len(), 4);
        assert_eq!(s[1].index, vec![0, 0, 1]);
        assert_eq!(s[2].value, Value::Lattice(Lattice::B1));
        let e = parameters("foo = 1\n", "p", 1).unwrap_err().to_string();
        assert!(e.starts_with("p:1:") && e.contains("`foo`"), "{e}");
        let e = parameters("rc = 4\nEc(1,3) = 1\n", "p", 2)
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("p:2:") && e.contains("index"), "{e}");
        let e = parameters("Cmin(1,1) = 1\n", "p", 2)
            .unwrap_err()
            .to_string();
        assert!(e.contains("3 element indices"), "{e}");
        let e = parameters("lattce(1,1) = xyz\n", "p", 1)
            .unwrap_err()
            .to_string();
        assert!(e.contains("xyz"), "{e}");
    }
}
