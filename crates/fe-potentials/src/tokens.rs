//! Whitespace tokens of a potential file with their line numbers: LAMMPS reads tabulated
//! values regardless of line breaks, but our errors still say where a token was.

use crate::error::{PotentialError, Result};

/// The tokens of a text, each with its 1-based line number.
pub(crate) struct Tokens<'a> {
    file: &'a str,
    lines: Vec<&'a str>,
    line: usize,
    rest: std::str::SplitWhitespace<'a>,
}

impl<'a> Tokens<'a> {
    /// Tokens of `text`, starting at line `first_line` (1-based), reporting against `file`.
    pub(crate) fn new(text: &'a str, file: &'a str, first_line: usize) -> Tokens<'a> {
        let lines: Vec<&str> = text.lines().collect();
        let rest = lines
            .get(first_line.saturating_sub(1))
            .copied()
            .unwrap_or("")
            .split_whitespace();
        Tokens {
            file,
            lines,
            line: first_line.max(1),
            rest,
        }
    }

    /// A parse error at the current line.
    pub(crate) fn err(&self, message: impl std::fmt::Display) -> PotentialError {
        PotentialError::Parse {
            file: self.file.to_string(),
            line: self.line,
            message: message.to_string(),
        }
    }

    /// The next token; the end of the file is an error saying `what` was expected.
    pub(crate) fn next(&mut self, what: &str) -> Result<&'a str> {
        loop {
            if let Some(t) = self.rest.next() {
                return Ok(t);
            }
            if self.line >= self.lines.len() {
                return Err(PotentialError::Parse {
                    file: self.file.to_string(),
                    line: self.lines.len() + 1,
                    message: format!("unexpected end of file, expected {what}"),
                });
            }
            self.line += 1;
            self.rest = self.lines[self.line - 1].split_whitespace();
        }
    }

    /// The rest of the current line as one string (for element lists and headers); moves to
    /// the next line.
    pub(crate) fn rest_of_line(&mut self) -> Vec<&'a str> {
        let v: Vec<&str> = self.rest.by_ref().collect();
        v
    }

    /// The next token as a finite real number. Fortran `D` exponents are refused, as LAMMPS
    /// refuses them.
    pub(crate) fn real(&mut self, what: &str) -> Result<f64> {
        let t = self.next(what)?;
        match t.parse::<f64>() {
            Ok(x) if x.is_finite() => Ok(x),
            Ok(_) => Err(self.err(format_args!("expected a finite {what}, found `{t}`"))),
            Err(_) if t.contains(['D', 'd']) && t.replace(['D', 'd'], "e").parse::<f64>().is_ok() => {
                Err(self.err(format_args!(
                    "Fortran exponent in `{t}` ({what}): LAMMPS does not read `D` exponents; write `E`"
                )))
            }
            Err(_) => Err(self.err(format_args!("expected {what} (a number), found `{t}`"))),
        }
    }

    /// The next token as a positive integer count.
    pub(crate) fn count(&mut self, what: &str) -> Result<usize> {
        let t = self.next(what)?;
        // LAMMPS accepts counts written as reals (e.g. `2000.0`) only if integral; we do too.
        let v = t.parse::<usize>().ok().or_else(|| {
            t.parse::<f64>()
                .ok()
                .filter(|x| x.fract() == 0.0 && *x >= 0.0)
                .map(|x| x as usize)
        });
        v.ok_or_else(|| {
            self.err(format_args!(
                "expected {what} (a whole number), found `{t}`"
            ))
        })
    }

    /// `n` real numbers.
    pub(crate) fn reals(&mut self, n: usize, what: &str) -> Result<Vec<f64>> {
        let mut v = Vec::with_capacity(n);
        for k in 0..n {
            let x = self.real(what).map_err(|e| match e {
                PotentialError::Parse {
                    file,
                    line,
                    message,
                } if message.starts_with("unexpected end") => PotentialError::Parse {
                    file,
                    line,
                    message: format!("{message} (value {} of {n})", k + 1),
                },
                other => other,
            })?;
            v.push(x);
        }
        Ok(v)
    }

    /// Skip to the start of the next line (what remains of this one is ignored).
    pub(crate) fn next_line(&mut self) {
        self.rest = "".split_whitespace();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_cross_lines_and_report_line_numbers() {
        let text = "comment\n1 2.5\n\n3e0 x\n";
        let mut t = Tokens::new(text, "f.eam", 2);
        assert_eq!(t.count("n").unwrap(), 1);
        assert_eq!(t.real("dr").unwrap(), 2.5);
        assert_eq!(t.real("v").unwrap(), 3.0);
        let e = t.real("v").unwrap_err().to_string();
        assert_eq!(e, "f.eam:4: expected v (a number), found `x`");
        let e = t.real("v").unwrap_err().to_string();
        assert!(e.starts_with("f.eam:5: unexpected end of file"), "{e}");
    }

    #[test]
    fn tokens_refuse_fortran_exponents_and_nan() {
        let mut t = Tokens::new("1.0D+00 nan", "f", 1);
        assert!(t
            .real("x")
            .unwrap_err()
            .to_string()
            .contains("Fortran exponent"));
        assert!(t.real("x").unwrap_err().to_string().contains("finite"));
    }
}
