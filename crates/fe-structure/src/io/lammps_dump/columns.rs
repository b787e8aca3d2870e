//! The meaning of the columns of an `ITEM: ATOMS` line.

use crate::error::Result;
use crate::io::text::Line;
use crate::structure::RESERVED_PROPERTY_NAMES;

/// What one column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Col {
    /// Not used (an alternative form of the positions, or image flags not needed).
    Skip,
    /// Atom id.
    Id,
    /// Atom type number.
    Type,
    /// Element symbol.
    Element,
    /// Per-atom mass.
    Mass,
    /// Position component (x, y or z; Cartesian or scaled per [`Layout::pos`]).
    Pos(usize),
    /// Image flag along axis a.
    Image(usize),
    /// Velocity component.
    Vel(usize),
    /// Component `comp` of property `index` in [`Layout::props`].
    Prop { index: usize, comp: usize },
}

/// How positions are given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum PosKind {
    /// `x y z`, wrapped or not (unwrapped with image flags when present).
    Cartesian,
    /// `xs ys zs`, fractional in the LAMMPS box.
    Scaled,
    /// `xu yu zu`.
    Unwrapped,
    /// `xsu ysu zsu`.
    ScaledUnwrapped,
}

/// The column layout of a frame.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Layout {
    pub cols: Vec<Col>,
    pub pos: PosKind,
    pub images: bool,
    pub has_id: bool,
    pub has_type: bool,
    pub has_element: bool,
    pub has_mass: bool,
    pub has_vel: bool,
    /// Real properties: name and number of components.
    pub props: Vec<(String, usize)>,
}

/// Position column names by kind, in the order tried.
const POSITION_SETS: [(PosKind, [&str; 3]); 4] = [
    (PosKind::Unwrapped, ["xu", "yu", "zu"]),
    (PosKind::ScaledUnwrapped, ["xsu", "ysu", "zsu"]),
    (PosKind::Cartesian, ["x", "y", "z"]),
    (PosKind::Scaled, ["xs", "ys", "zs"]),
];

impl Layout {
    /// The layout of the column names after `ITEM: ATOMS` on `line`.
    pub fn parse(line: &Line<'_>, names: &[&str]) -> Result<Layout> {
        for (k, n) in names.iter().enumerate() {
            if names[..k].contains(n) {
                return Err(line.err(format_args!("column `{n}` appears twice")));
            }
        }
        let find = |n: &str| names.iter().position(|c| *c == n);
        let all = |set: [&str; 3]| -> Option<[usize; 3]> {
            Some([find(set[0])?, find(set[1])?, find(set[2])?])
        };
        let Some((pos, pos_cols)) = POSITION_SETS
            .iter()
            .find_map(|(kind, set)| all(*set).map(|c| (*kind, c)))
        else {
            return Err(line.err(
                "expected a complete set of position columns (x y z, xs ys zs, xu yu zu or \
                 xsu ysu zsu)",
            ));
        };
        let image_cols =
            all(["ix", "iy", "iz"]).filter(|_| matches!(pos, PosKind::Cartesian | PosKind::Scaled));
        let vel_cols = all(["vx", "vy", "vz"]);
        let force_cols = all(["fx", "fy", "fz"]);
        let mut layout = Layout {
            cols: vec![Col::Skip; names.len()],
            pos,
            images: image_cols.is_some(),
            has_id: false,
            has_type: false,
            has_element: false,
            has_mass: false,
            has_vel: vel_cols.is_some(),
            props: Vec::new(),
        };
        for a in 0..3 {
            layout.cols[pos_cols[a]] = Col::Pos(a);
            if let Some(c) = image_cols {
                layout.cols[c[a]] = Col::Image(a);
            }
            if let Some(c) = vel_cols {
                layout.cols[c[a]] = Col::Vel(a);
            }
        }
        if let Some(c) = force_cols {
            layout.props.push(("forces".into(), 3));
            for (a, &k) in c.iter().enumerate() {
                layout.cols[k] = Col::Prop { index: 0, comp: a };
            }
        }
        let position_like = POSITION_SETS.iter().flat_map(|(_, s)| s.iter());
        let skipped: Vec<&str> = position_like.copied().chain(["ix", "iy", "iz"]).collect();
        for (k, &n) in names.iter().enumerate() {
            if layout.cols[k] != Col::Skip || skipped.contains(&n) {
                continue;
            }
            layout.cols[k] = match n {
                "id" => Col::Id,
                "type" => Col::Type,
                "element" => Col::Element,
                "mass" => Col::Mass,
                _ => layout.property_column(line, names, n)?,
            };
        }
        layout.has_id = layout.cols.contains(&Col::Id);
        layout.has_type = layout.cols.contains(&Col::Type);
        layout.has_element = layout.cols.contains(&Col::Element);
        layout.has_mass = layout.cols.contains(&Col::Mass);
        Ok(layout)
    }

    /// The column `n` as a property: `name[k]` columns whose indices are exactly 1..=K
    /// form one property `name` of K components; any other column is a property of its own.
    fn property_column(&mut self, line: &Line<'_>, names: &[&str], n: &str) -> Result<Col> {
        if let Some((base, k)) = split_index(n) {
            let ks: Vec<usize> = names
                .iter()
                .filter_map(|c| split_index(c).filter(|(b, _)| *b == base).map(|(_, k)| k))
                .collect();
            let complete = (1..=ks.len()).all(|k| ks.contains(&k));
            if complete {
                let index = match self.props.iter().position(|(p, _)| p == base) {
                    Some(i) => i,
                    None => {
                        self.props.push((self.checked_name(line, base)?, ks.len()));
                        self.props.len() - 1
                    }
                };
                return Ok(Col::Prop { index, comp: k - 1 });
            }
        }
        self.props.push((self.checked_name(line, n)?, 1));
        Ok(Col::Prop {
            index: self.props.len() - 1,
            comp: 0,
        })
    }

    /// `name` if no other property has it and it is not reserved.
    fn checked_name(&self, line: &Line<'_>, name: &str) -> Result<String> {
        if RESERVED_PROPERTY_NAMES.contains(&name) || self.props.iter().any(|(p, _)| p == name) {
            return Err(line.err(format_args!(
                "column `{name}` cannot be kept as a per-atom property (reserved or repeated name)"
            )));
        }
        Ok(name.to_string())
    }
}

/// `("c_foo", 2)` for `c_foo[2]`.
fn split_index(name: &str) -> Option<(&str, usize)> {
    let (base, rest) = name.split_once('[')?;
    let k: usize = rest.strip_suffix(']')?.parse().ok()?;
    (!base.is_empty() && k >= 1).then_some((base, k))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn layout(cols: &str) -> Result<Layout> {
        let line = Line {
            text: cols,
            file: "t.dump",
            no: 9,
        };
        Layout::parse(&line, &cols.split_whitespace().collect::<Vec<_>>())
    }

    #[test]
    fn layout_prefers_unwrapped_positions_and_groups_indexed_columns() {
        let l = layout("c_s[2] id x y z xu yu zu ix iy iz type c_s[1] q").unwrap();
        assert_eq!(l.pos, PosKind::Unwrapped);
        assert!(!l.images);
        assert_eq!(l.props, [("c_s".to_string(), 2), ("q".to_string(), 1)]);
        assert_eq!(l.cols[0], Col::Prop { index: 0, comp: 1 });
        assert_eq!(l.cols[2], Col::Skip);
        assert_eq!(l.cols[5], Col::Pos(0));
        assert_eq!(l.cols[12], Col::Prop { index: 0, comp: 0 });
        assert!(l.has_id && l.has_type && !l.has_element);
    }

    #[test]
    fn layout_uses_image_flags_with_wrapped_positions_and_keeps_gappy_indices_apart() {
        let l = layout("id type xs ys zs iz iy ix fx fy fz v_a[1] v_a[3]").unwrap();
        assert_eq!(l.pos, PosKind::Scaled);
        assert!(l.images);
        assert_eq!(l.cols[5], Col::Image(2));
        assert_eq!(l.props[0], ("forces".to_string(), 3));
        assert_eq!(l.props[1], ("v_a[1]".to_string(), 1));
        assert_eq!(l.props[2], ("v_a[3]".to_string(), 1));
    }

    #[test]
    fn layout_rejects_missing_positions_and_repeated_columns() {
        let e = layout("id type x y").unwrap_err().to_string();
        assert!(e.starts_with("t.dump:9: expected a complete set"), "{e}");
        let e = layout("id x y z id").unwrap_err().to_string();
        assert!(e.contains("`id` appears twice"), "{e}");
    }
}
