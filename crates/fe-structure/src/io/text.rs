//! Line-oriented reading shared by every text format: each line carries its file name and
//! 1-based number, so any parse error can say where it happened.

use std::fmt::Display;
use std::io::BufRead;
use std::str::FromStr;

use crate::error::{Result, StructureError};

/// Reads a text file line by line, counting lines from 1.
pub(crate) struct LineReader<R> {
    inner: R,
    name: String,
    line_no: usize,
    buf: String,
}

/// One line of a file, with where it came from.
#[derive(Clone, Copy)]
pub(crate) struct Line<'a> {
    /// The text without the line end (`\n` or `\r\n`).
    pub text: &'a str,
    /// File name for messages.
    pub file: &'a str,
    /// 1-based line number.
    pub no: usize,
}

impl<R: BufRead> LineReader<R> {
    /// A reader over `inner`, reporting errors against `name`.
    pub fn new(inner: R, name: &str) -> Self {
        LineReader {
            inner,
            name: name.to_string(),
            line_no: 0,
            buf: String::new(),
        }
    }

    /// File name for messages.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Number of the last line read (0 before the first).
    pub fn line_no(&self) -> usize {
        self.line_no
    }

    /// The last line read with only its final `\n` removed: a `\r` before it, or any other
    /// trailing character, is kept (for formats with values "verbatim to the end of the line").
    /// Empty before the first line.
    pub fn raw_text(&self) -> &str {
        self.buf.strip_suffix('\n').unwrap_or(&self.buf)
    }

    /// The next line, or `None` at the end of the file.
    pub fn next_line(&mut self) -> Result<Option<Line<'_>>> {
        self.buf.clear();
        let n = self
            .inner
            .read_line(&mut self.buf)
            .map_err(|e| match e.kind() {
                std::io::ErrorKind::InvalidData => StructureError::Parse {
                    file: self.name.clone(),
                    line: self.line_no + 1,
                    message: "the line is not valid UTF-8 text".into(),
                },
                _ => StructureError::Io {
                    file: self.name.clone(),
                    source: e,
                },
            })?;
        if n == 0 {
            return Ok(None);
        }
        self.line_no += 1;
        let text = self.buf.trim_end_matches('\n').trim_end_matches('\r');
        Ok(Some(Line {
            text,
            file: &self.name,
            no: self.line_no,
        }))
    }

    /// The next line; the end of the file is an error saying `what` was expected.
    pub fn expect_line(&mut self, what: &str) -> Result<Line<'_>> {
        let (name, next) = (self.name.clone(), self.line_no + 1);
        self.next_line()?.ok_or_else(|| StructureError::Parse {
            file: name,
            line: next,
            message: format!("unexpected end of file, expected {what}"),
        })
    }

    /// The next line that is not blank, or `None` at the end of the file.
    pub fn next_nonblank(&mut self) -> Result<Option<Line<'_>>> {
        loop {
            // Two-step borrow: decide on a copy of the flag, then re-borrow to return.
            let blank = match self.next_line()? {
                None => return Ok(None),
                Some(l) => l.text.trim().is_empty(),
            };
            if !blank {
                return Ok(Some(Line {
                    text: self.buf.trim_end_matches('\n').trim_end_matches('\r'),
                    file: &self.name,
                    no: self.line_no,
                }));
            }
        }
    }

    /// An error at the line after the last one read (for a missing line).
    pub fn error_at_next(&self, message: impl Display) -> StructureError {
        StructureError::Parse {
            file: self.name.clone(),
            line: self.line_no + 1,
            message: message.to_string(),
        }
    }
}

/// Parse a real number as Fortran and C print them (`1.5`, `-2e-3`, `1.0D+00`).
pub(crate) fn parse_real(tok: &str) -> Option<f64> {
    tok.parse::<f64>().ok().or_else(|| {
        if tok.contains(['D', 'd']) {
            tok.replace(['D', 'd'], "e").parse().ok()
        } else {
            None
        }
    })
}

impl<'a> Line<'a> {
    /// A parse error at this line.
    pub fn err(&self, message: impl Display) -> StructureError {
        StructureError::Parse {
            file: self.file.to_string(),
            line: self.no,
            message: message.to_string(),
        }
    }

    /// White-space separated fields.
    pub fn fields(&self) -> std::str::SplitWhitespace<'a> {
        self.text.split_whitespace()
    }

    /// Parse `tok` as `T`; the error says `expected {what}, found `tok``.
    pub fn parse<T: FromStr>(&self, tok: &str, what: &str) -> Result<T> {
        tok.parse()
            .map_err(|_| self.err(format_args!("expected {what}, found `{tok}`")))
    }

    /// Parse a finite real number; NaN and infinities are errors.
    pub fn real(&self, tok: &str, what: &str) -> Result<f64> {
        match parse_real(tok) {
            Some(x) if x.is_finite() => Ok(x),
            Some(_) => Err(self.err(format_args!("expected a finite {what}, found `{tok}`"))),
            None => Err(self.err(format_args!("expected {what} (a number), found `{tok}`"))),
        }
    }

    /// Exactly `n` finite real numbers filling the line (or its first `n` fields when
    /// `allow_more`).
    pub fn reals(&self, n: usize, what: &str, allow_more: bool) -> Result<Vec<f64>> {
        let toks: Vec<&str> = self.fields().collect();
        if toks.len() < n || (!allow_more && toks.len() > n) {
            return Err(self.err(format_args!(
                "expected {n} numbers ({what}), found {} fields",
                toks.len()
            )));
        }
        toks[..n].iter().map(|t| self.real(t, what)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_reader_counts_lines_and_names_file_in_errors() {
        let text = "a\r\n\n  \nb 1.0 x\n";
        let mut r = LineReader::new(text.as_bytes(), "t.txt");
        assert_eq!(r.next_line().unwrap().unwrap().text, "a");
        assert_eq!(r.raw_text(), "a\r");
        let l = r.next_nonblank().unwrap().unwrap();
        assert_eq!((l.text, l.no), ("b 1.0 x", 4));
        let err = l.real("x", "a coordinate").unwrap_err().to_string();
        assert_eq!(err, "t.txt:4: expected a coordinate (a number), found `x`");
        assert!(r.next_line().unwrap().is_none());
        let e = r.expect_line("a cell line").err().unwrap().to_string();
        assert_eq!(e, "t.txt:5: unexpected end of file, expected a cell line");
    }

    #[test]
    fn parse_real_accepts_fortran_exponents_and_line_rejects_nan() {
        assert_eq!(parse_real("1.5D+01"), Some(15.0));
        let l = Line {
            text: "nan",
            file: "f",
            no: 1,
        };
        assert!(l.real("nan", "x").is_err());
        assert!(l.real("inf", "x").is_err());
    }
}
