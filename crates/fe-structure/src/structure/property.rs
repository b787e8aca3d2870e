//! Named per-atom columns and per-structure metadata, typed so that file round trips keep them.

/// A named per-atom column: `components` values per atom, stored atom after atom.
///
/// Extended XYZ `forces:R:3` becomes `Real { components: 3, .. }`; `tags:I:1` becomes
/// `Int { components: 1, .. }`.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum Property {
    /// Real numbers.
    Real {
        /// Values per atom.
        components: usize,
        /// `n_atoms * components` values.
        values: Vec<f64>,
    },
    /// Integers.
    Int {
        /// Values per atom.
        components: usize,
        /// `n_atoms * components` values.
        values: Vec<i64>,
    },
    /// Logical values.
    Bool {
        /// Values per atom.
        components: usize,
        /// `n_atoms * components` values.
        values: Vec<bool>,
    },
    /// One string per atom (no white space inside).
    Str {
        /// `n_atoms` values.
        values: Vec<String>,
    },
}

impl Property {
    /// A real column from one value per atom.
    pub fn scalar(values: Vec<f64>) -> Property {
        Property::Real {
            components: 1,
            values,
        }
    }

    /// A real column from one 3-vector per atom.
    pub fn vectors(values: &[nalgebra::Vector3<f64>]) -> Property {
        Property::Real {
            components: 3,
            values: values.iter().flat_map(|v| [v.x, v.y, v.z]).collect(),
        }
    }

    /// Values per atom.
    pub fn components(&self) -> usize {
        match self {
            Property::Real { components, .. }
            | Property::Int { components, .. }
            | Property::Bool { components, .. } => *components,
            Property::Str { .. } => 1,
        }
    }

    /// Number of atoms the column covers (0 for a zero-component column).
    pub fn n_atoms(&self) -> usize {
        let n = match self {
            Property::Real { values, .. } => values.len(),
            Property::Int { values, .. } => values.len(),
            Property::Bool { values, .. } => values.len(),
            Property::Str { values } => values.len(),
        };
        n.checked_div(self.components()).unwrap_or(0)
    }

    /// The real values, if this is a real column.
    pub fn as_real(&self) -> Option<&[f64]> {
        match self {
            Property::Real { values, .. } => Some(values),
            _ => None,
        }
    }

    /// Keep the rows of the atoms where `keep` is true (internal helper for atom removal).
    pub(crate) fn retain_atoms(&mut self, keep: &[bool]) {
        let c = self.components();
        fn filter<T: Clone>(v: &mut Vec<T>, c: usize, keep: &[bool]) {
            let mut out = Vec::with_capacity(v.len());
            for (i, chunk) in v.chunks(c.max(1)).enumerate() {
                if keep.get(i).copied().unwrap_or(false) {
                    out.extend_from_slice(chunk);
                }
            }
            *v = out;
        }
        match self {
            Property::Real { values, .. } => filter(values, c, keep),
            Property::Int { values, .. } => filter(values, c, keep),
            Property::Bool { values, .. } => filter(values, c, keep),
            Property::Str { values } => filter(values, 1, keep),
        }
    }

    /// Append one atom of default values (0, false or an empty string).
    pub(crate) fn push_default(&mut self) {
        let c = self.components();
        match self {
            Property::Real { values, .. } => values.extend(std::iter::repeat_n(0.0, c)),
            Property::Int { values, .. } => values.extend(std::iter::repeat_n(0, c)),
            Property::Bool { values, .. } => values.extend(std::iter::repeat_n(false, c)),
            Property::Str { values } => values.push(String::new()),
        }
    }

    /// Repeat every atom's rows in the order given by `source` (atom indices).
    pub(crate) fn gather(&self, source: &[usize]) -> Property {
        let c = self.components();
        fn pick<T: Clone>(v: &[T], c: usize, source: &[usize]) -> Vec<T> {
            source
                .iter()
                .flat_map(|&i| v[i * c..(i + 1) * c].iter().cloned())
                .collect()
        }
        match self {
            Property::Real { values, .. } => Property::Real {
                components: c,
                values: pick(values, c, source),
            },
            Property::Int { values, .. } => Property::Int {
                components: c,
                values: pick(values, c, source),
            },
            Property::Bool { values, .. } => Property::Bool {
                components: c,
                values: pick(values, c, source),
            },
            Property::Str { values } => Property::Str {
                values: pick(values, 1, source),
            },
        }
    }
}

/// A per-structure value (extended XYZ info, MLIP `.cfg` energy, stress and features,
/// LAMMPS dump timestep).
///
/// Well-known keys: `energy` (`Real`, eV), `virial` (`Reals` of 9, the 3x3 virial W in eV,
/// row-major, positive under compression as in ARCHITECTURE.md), `stress` (`Reals` of 9 or 6,
/// ASE's stress -W/V in eV/A^3), `timestep` (`Int`).
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum InfoValue {
    /// A logical value.
    Bool(bool),
    /// An integer.
    Int(i64),
    /// A real number.
    Real(f64),
    /// Text.
    Str(String),
    /// Several logical values.
    Bools(Vec<bool>),
    /// Several integers.
    Ints(Vec<i64>),
    /// Several real numbers.
    Reals(Vec<f64>),
}

impl InfoValue {
    /// The value as a real number, if it is one (integers convert).
    pub fn as_real(&self) -> Option<f64> {
        match self {
            InfoValue::Real(x) => Some(*x),
            InfoValue::Int(i) => Some(*i as f64),
            _ => None,
        }
    }

    /// The value as real numbers, if it is a real or integer array.
    pub fn as_reals(&self) -> Option<Vec<f64>> {
        match self {
            InfoValue::Reals(v) => Some(v.clone()),
            InfoValue::Ints(v) => Some(v.iter().map(|&i| i as f64).collect()),
            _ => None,
        }
    }
}
