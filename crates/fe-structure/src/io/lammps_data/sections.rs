//! The sections of a data file: keyword lines, counted entries, and skipping.

use std::io::BufRead;

use crate::error::{Result, StructureError};
use crate::io::lammps_common::split_comment;
use crate::io::text::{Line, LineReader};

/// Section keywords LAMMPS knows (fix sections have names chosen by the input script).
pub(super) const SECTIONS: [&str; 30] = [
    "Atoms",
    "Velocities",
    "Masses",
    "Ellipsoids",
    "Lines",
    "Triangles",
    "Bodies",
    "Bonds",
    "Angles",
    "Dihedrals",
    "Impropers",
    "Pair Coeffs",
    "PairIJ Coeffs",
    "Bond Coeffs",
    "Angle Coeffs",
    "Dihedral Coeffs",
    "Improper Coeffs",
    "BondBond Coeffs",
    "BondAngle Coeffs",
    "MiddleBondTorsion Coeffs",
    "EndBondTorsion Coeffs",
    "AngleTorsion Coeffs",
    "AngleAngleTorsion Coeffs",
    "BondBond13 Coeffs",
    "AngleAngle Coeffs",
    "Atom Type Labels",
    "Bond Type Labels",
    "Angle Type Labels",
    "Dihedral Type Labels",
    "Improper Type Labels",
];

/// A section keyword line: the name with single spaces, the comment after it, the line.
pub(super) struct SectionStart {
    pub name: String,
    pub hint: Option<String>,
    pub line: usize,
}

impl SectionStart {
    pub fn new(line: &Line<'_>) -> Self {
        let (body, comment) = split_comment(line.text);
        SectionStart {
            name: body.split_whitespace().collect::<Vec<_>>().join(" "),
            hint: comment.map(str::to_string),
            line: line.no,
        }
    }

    pub fn err(&self, file: &str, message: impl std::fmt::Display) -> StructureError {
        StructureError::Parse {
            file: file.to_string(),
            line: self.line,
            message: message.to_string(),
        }
    }
}

/// Read the `n` entry lines of a section (blank lines before the first are skipped), giving
/// `f` each line, its text without comment, the comment and the entry index.
pub(super) fn entries<R: BufRead>(
    r: &mut LineReader<R>,
    sec: &SectionStart,
    n: usize,
    mut f: impl FnMut(&Line<'_>, &str, Option<&str>, usize) -> Result<()>,
) -> Result<()> {
    for k in 0..n {
        let line = if k == 0 {
            r.next_nonblank()?
        } else {
            r.next_line()?
        };
        let Some(line) = line else {
            return Err(r.error_at_next(format_args!(
                "unexpected end of file after {k} of the {n} lines of the {} section",
                sec.name
            )));
        };
        let (body, comment) = split_comment(line.text);
        let found = if body.is_empty() {
            Some("a blank line".to_string())
        } else if SECTIONS.contains(&body) {
            Some(format!("the {body} section"))
        } else {
            None
        };
        if let Some(found) = found {
            return Err(line.err(format_args!(
                "expected {n} lines in the {} section (the count from the header), found {found} \
                 after {k}",
                sec.name
            )));
        }
        f(&line, body, comment, k)?;
    }
    Ok(())
}

/// The section after one whose `n` entries were read.
pub(super) fn next_section<R: BufRead>(
    r: &mut LineReader<R>,
    sec: &SectionStart,
    n: usize,
) -> Result<Option<SectionStart>> {
    let Some(line) = r.next_nonblank()? else {
        return Ok(None);
    };
    let s = SectionStart::new(&line);
    if s.name
        .starts_with(|c: char| c.is_ascii_digit() || c == '-' || c == '+')
    {
        return Err(line.err(format_args!(
            "expected a section keyword after the {n} lines of the {} section (the count from \
             the header), found `{}`",
            sec.name, line.text
        )));
    }
    Ok(Some(s))
}

/// Skip a section of unknown length: its lines up to the next blank line.
pub(super) fn skip_unknown<R: BufRead>(r: &mut LineReader<R>) -> Result<Option<SectionStart>> {
    let mut seen = false;
    loop {
        let Some(line) = r.next_line()? else {
            return Ok(None);
        };
        let blank = line.text.trim().is_empty();
        if blank && seen {
            break;
        }
        seen |= !blank;
    }
    let Some(line) = r.next_nonblank()? else {
        return Ok(None);
    };
    Ok(Some(SectionStart::new(&line)))
}
