//! [`Structure`]: atoms in a cell, as a struct of arrays.
//!
//! Every per-atom array has exactly [`Structure::len`] entries, and atom order is never changed
//! by anything in this crate except where a function's name says so (removal keeps the order of
//! the atoms that remain).

mod property;

pub use property::{InfoValue, Property};

use std::collections::BTreeMap;

use nalgebra::{Matrix3, Vector3};

use crate::cell::Cell;
use crate::element::Element;
use crate::error::{Result, StructureError};
use crate::units::AMU_PER_A3_TO_G_PER_CM3;

/// Atoms in a cell: positions (Angstrom), species and the cell, plus optional velocities
/// (A/ps), masses (amu), a fixed-atom mask, named per-atom properties and per-structure info.
///
/// ```
/// use fe_structure::{Cell, Element, Structure};
/// use nalgebra::Vector3;
/// let cell = Cell::cubic(2.855).unwrap();
/// let s = Structure::new(
///     cell,
///     vec![Element::FE, Element::FE],
///     vec![Vector3::zeros(), Vector3::repeat(1.4275)],
/// )
/// .unwrap();
/// assert_eq!(s.len(), 2);
/// assert!((s.density_g_per_cm3() - 7.97).abs() < 0.01);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Structure {
    cell: Cell,
    species: Vec<Element>,
    positions: Vec<Vector3<f64>>,
    velocities: Option<Vec<Vector3<f64>>>,
    masses: Option<Vec<f64>>,
    fixed: Option<Vec<bool>>,
    properties: BTreeMap<String, Property>,
    info: BTreeMap<String, InfoValue>,
}

/// Names a per-atom property may not take: dedicated fields of [`Structure`] own them.
pub const RESERVED_PROPERTY_NAMES: [&str; 6] = [
    "species",
    "pos",
    "positions",
    "velocities",
    "masses",
    "fixed",
];

fn check_len(what: &str, expected: usize, got: usize) -> Result<()> {
    if expected == got {
        Ok(())
    } else {
        Err(StructureError::LengthMismatch {
            what: what.into(),
            expected,
            got,
        })
    }
}

fn check_finite(what: &str, v: &[Vector3<f64>]) -> Result<()> {
    match v.iter().position(|p| !p.iter().all(|x| x.is_finite())) {
        None => Ok(()),
        Some(i) => Err(StructureError::NonFinite {
            what: format!("{what} of atom {i}"),
        }),
    }
}

impl Structure {
    /// Atoms of the given species at the given Cartesian positions (Angstrom).
    ///
    /// # Errors
    /// [`StructureError::LengthMismatch`] when the arrays differ in length,
    /// [`StructureError::NonFinite`] for a NaN or infinite coordinate.
    pub fn new(cell: Cell, species: Vec<Element>, positions: Vec<Vector3<f64>>) -> Result<Self> {
        check_len("positions", species.len(), positions.len())?;
        check_finite("position", &positions)?;
        Ok(Structure {
            cell,
            species,
            positions,
            velocities: None,
            masses: None,
            fixed: None,
            properties: BTreeMap::new(),
            info: BTreeMap::new(),
        })
    }

    /// A cell with no atoms.
    pub fn empty(cell: Cell) -> Self {
        Structure {
            cell,
            species: Vec::new(),
            positions: Vec::new(),
            velocities: None,
            masses: None,
            fixed: None,
            properties: BTreeMap::new(),
            info: BTreeMap::new(),
        }
    }

    /// Number of atoms.
    pub fn len(&self) -> usize {
        self.species.len()
    }

    /// True when there are no atoms.
    pub fn is_empty(&self) -> bool {
        self.species.is_empty()
    }

    /// The cell.
    pub fn cell(&self) -> &Cell {
        &self.cell
    }

    /// Replace the cell; positions are kept as they are (Cartesian).
    pub fn set_cell(&mut self, cell: Cell) {
        self.cell = cell;
    }

    /// Cartesian positions (Angstrom).
    pub fn positions(&self) -> &[Vector3<f64>] {
        &self.positions
    }

    /// Mutable positions; the slice cannot change the number of atoms.
    pub fn positions_mut(&mut self) -> &mut [Vector3<f64>] {
        &mut self.positions
    }

    /// Species of every atom.
    pub fn species(&self) -> &[Element] {
        &self.species
    }

    /// Mutable species; the slice cannot change the number of atoms.
    pub fn species_mut(&mut self) -> &mut [Element] {
        &mut self.species
    }

    /// Velocities (A/ps), if set.
    pub fn velocities(&self) -> Option<&[Vector3<f64>]> {
        self.velocities.as_deref()
    }

    /// Mutable velocities, if set.
    pub fn velocities_mut(&mut self) -> Option<&mut [Vector3<f64>]> {
        self.velocities.as_deref_mut()
    }

    /// Set or clear the velocities (A/ps).
    ///
    /// # Errors
    /// Length mismatch or non-finite values.
    pub fn set_velocities(&mut self, v: Option<Vec<Vector3<f64>>>) -> Result<()> {
        if let Some(v) = &v {
            check_len("velocities", self.len(), v.len())?;
            check_finite("velocity", v)?;
        }
        self.velocities = v;
        Ok(())
    }

    /// Explicit per-atom masses (amu), if set; otherwise [`Structure::mass`] gives the
    /// elements' standard masses.
    pub fn masses(&self) -> Option<&[f64]> {
        self.masses.as_deref()
    }

    /// Set or clear explicit masses (amu).
    ///
    /// # Errors
    /// Length mismatch, or a mass that is not finite and positive.
    pub fn set_masses(&mut self, m: Option<Vec<f64>>) -> Result<()> {
        if let Some(m) = &m {
            check_len("masses", self.len(), m.len())?;
            if let Some(i) = m.iter().position(|x| !(x.is_finite() && *x > 0.0)) {
                return Err(StructureError::Invalid(format!(
                    "mass of atom {i} is {} amu; masses must be finite and positive",
                    m[i]
                )));
            }
        }
        self.masses = m;
        Ok(())
    }

    /// Mass of atom `i` (amu): the explicit mass if set, else the element's standard mass.
    ///
    /// # Panics
    /// If `i >= len()`.
    pub fn mass(&self, i: usize) -> f64 {
        match &self.masses {
            Some(m) => m[i],
            None => self.species[i].mass(),
        }
    }

    /// The fixed-atom mask, if set (true = the atom does not move).
    pub fn fixed(&self) -> Option<&[bool]> {
        self.fixed.as_deref()
    }

    /// True when atom `i` is fixed.
    ///
    /// # Panics
    /// If `i >= len()` while a mask is set.
    pub fn is_fixed(&self, i: usize) -> bool {
        self.fixed.as_ref().is_some_and(|f| f[i])
    }

    /// Set or clear the fixed-atom mask.
    ///
    /// # Errors
    /// Length mismatch.
    pub fn set_fixed(&mut self, f: Option<Vec<bool>>) -> Result<()> {
        if let Some(f) = &f {
            check_len("fixed mask", self.len(), f.len())?;
        }
        self.fixed = f;
        Ok(())
    }

    /// Named per-atom columns, ordered by name.
    pub fn properties(&self) -> &BTreeMap<String, Property> {
        &self.properties
    }

    /// One named per-atom column.
    pub fn property(&self, name: &str) -> Option<&Property> {
        self.properties.get(name)
    }

    /// Add or replace a named per-atom column.
    ///
    /// # Errors
    /// [`StructureError::LengthMismatch`] when the column does not cover every atom, and
    /// [`StructureError::Invalid`] for an empty name, a zero-component column or a name that
    /// a dedicated field owns (`species`, `pos`, `positions`, `velocities`, `masses`, `fixed`).
    pub fn set_property(&mut self, name: &str, p: Property) -> Result<()> {
        if name.is_empty()
            || name.contains(char::is_whitespace)
            || RESERVED_PROPERTY_NAMES.contains(&name)
        {
            return Err(StructureError::Invalid(format!(
                "`{name}` cannot name a per-atom property (empty, white space, or reserved)"
            )));
        }
        if p.components() == 0 {
            return Err(StructureError::Invalid(format!(
                "property `{name}` has no components"
            )));
        }
        let got = match &p {
            Property::Real { values, .. } => values.len(),
            Property::Int { values, .. } => values.len(),
            Property::Bool { values, .. } => values.len(),
            Property::Str { values } => values.len(),
        };
        check_len(
            &format!("property `{name}`"),
            self.len() * p.components(),
            got,
        )?;
        self.properties.insert(name.to_string(), p);
        Ok(())
    }

    /// Remove a named per-atom column, returning it.
    pub fn remove_property(&mut self, name: &str) -> Option<Property> {
        self.properties.remove(name)
    }

    /// Per-structure values (energy, virial, timestep, ...), ordered by key.
    pub fn info(&self) -> &BTreeMap<String, InfoValue> {
        &self.info
    }

    /// Mutable per-structure values.
    pub fn info_mut(&mut self) -> &mut BTreeMap<String, InfoValue> {
        &mut self.info
    }

    /// The `energy` info value (eV), if present.
    pub fn energy(&self) -> Option<f64> {
        self.info.get("energy").and_then(InfoValue::as_real)
    }

    /// Append one atom. Optional per-atom arrays grow with defaults: zero velocity, the
    /// element's standard mass, not fixed, zero/false/empty properties.
    ///
    /// # Errors
    /// [`StructureError::NonFinite`] for a non-finite position.
    pub fn push(&mut self, element: Element, position: Vector3<f64>) -> Result<()> {
        check_finite("position", &[position])?;
        self.species.push(element);
        self.positions.push(position);
        if let Some(v) = &mut self.velocities {
            v.push(Vector3::zeros());
        }
        if let Some(m) = &mut self.masses {
            m.push(element.mass());
        }
        if let Some(f) = &mut self.fixed {
            f.push(false);
        }
        for p in self.properties.values_mut() {
            p.push_default();
        }
        Ok(())
    }

    /// Keep the atoms where `keep[i]` is true, in their order, with all their per-atom data.
    ///
    /// # Errors
    /// Length mismatch of `keep`.
    pub fn retain(&mut self, keep: &[bool]) -> Result<()> {
        check_len("keep mask", self.len(), keep.len())?;
        fn filter<T: Clone>(v: &mut Vec<T>, keep: &[bool]) {
            let mut k = keep.iter();
            v.retain(|_| k.next().copied().unwrap_or(false));
        }
        filter(&mut self.species, keep);
        filter(&mut self.positions, keep);
        if let Some(v) = &mut self.velocities {
            filter(v, keep);
        }
        if let Some(m) = &mut self.masses {
            filter(m, keep);
        }
        if let Some(f) = &mut self.fixed {
            filter(f, keep);
        }
        for p in self.properties.values_mut() {
            p.retain_atoms(keep);
        }
        Ok(())
    }

    /// Remove the atoms with the given indices (any order, duplicates allowed); the others keep
    /// their order.
    ///
    /// # Errors
    /// [`StructureError::Invalid`] for an index out of range.
    pub fn remove(&mut self, indices: &[usize]) -> Result<()> {
        let mut keep = vec![true; self.len()];
        for &i in indices {
            *keep.get_mut(i).ok_or_else(|| {
                StructureError::Invalid(format!(
                    "atom index {i} out of range ({} atoms)",
                    self.len()
                ))
            })? = false;
        }
        self.retain(&keep)
    }

    /// A new structure made of the atoms `source[0], source[1], ...` of this one (repeats
    /// allowed), with the same cell and info, at the given positions.
    ///
    /// # Errors
    /// Length mismatch of `positions` against `source`, an index out of range, or a
    /// non-finite position.
    pub fn gather(&self, source: &[usize], positions: Vec<Vector3<f64>>) -> Result<Structure> {
        check_len("positions", source.len(), positions.len())?;
        if let Some(&i) = source.iter().find(|&&i| i >= self.len()) {
            return Err(StructureError::Invalid(format!(
                "atom index {i} out of range ({} atoms)",
                self.len()
            )));
        }
        let mut out = Structure::new(
            self.cell.clone(),
            source.iter().map(|&i| self.species[i]).collect(),
            positions,
        )?;
        out.velocities = self
            .velocities
            .as_ref()
            .map(|v| source.iter().map(|&i| v[i]).collect());
        out.masses = self
            .masses
            .as_ref()
            .map(|m| source.iter().map(|&i| m[i]).collect());
        out.fixed = self
            .fixed
            .as_ref()
            .map(|f| source.iter().map(|&i| f[i]).collect());
        out.properties = self
            .properties
            .iter()
            .map(|(k, p)| (k.clone(), p.gather(source)))
            .collect();
        out.info = self.info.clone();
        Ok(out)
    }

    /// Counts of each element, ordered by atomic number.
    pub fn species_counts(&self) -> BTreeMap<Element, usize> {
        let mut m = BTreeMap::new();
        for &e in &self.species {
            *m.entry(e).or_insert(0) += 1;
        }
        m
    }

    /// The distinct elements present, ordered by atomic number.
    pub fn elements(&self) -> Vec<Element> {
        self.species_counts().into_keys().collect()
    }

    /// Total mass (amu).
    pub fn total_mass(&self) -> f64 {
        (0..self.len()).map(|i| self.mass(i)).sum()
    }

    /// Mass density in g/cm^3 (total mass over the cell volume).
    pub fn density_g_per_cm3(&self) -> f64 {
        self.total_mass() / self.cell.volume() * AMU_PER_A3_TO_G_PER_CM3
    }

    /// Wrap every position into the cell along the periodic axes ([`Cell::wrap`]).
    pub fn wrap(&mut self) {
        for r in &mut self.positions {
            *r = self.cell.wrap(r);
        }
    }

    /// Move every atom by `t` (Angstrom).
    pub fn translate(&mut self, t: &Vector3<f64>) {
        for r in &mut self.positions {
            *r += t;
        }
    }

    /// Apply the homogeneous deformation r -> F r to the cell and to every position
    /// (velocities are left unchanged).
    ///
    /// # Errors
    /// As [`Cell::deformed`].
    pub fn deform(&mut self, f: &Matrix3<f64>) -> Result<()> {
        self.cell = self.cell.deformed(f)?;
        for r in &mut self.positions {
            *r = f * *r;
        }
        Ok(())
    }

    /// Replace the cell by `cell` and move the atoms with it: fractional coordinates are kept
    /// (the affine map from the old cell to the new one).
    pub fn set_cell_scaling_atoms(&mut self, cell: Cell) {
        let f = self.cell.deformation_to(&cell);
        for r in &mut self.positions {
            *r = f * *r;
        }
        self.cell = cell;
    }
}

#[cfg(test)]
mod tests;
