//! The periodic table as far as the toolkit needs it: symbol, atomic number and standard mass.
//!
//! Masses are the IUPAC 2016 standard atomic weights in amu (g/mol), abridged to one value per
//! element as ASE tabulates them; for elements without a stable isotope (Tc, Pm, Po and beyond)
//! the mass of the longest-lived isotope. `X` (Z = 0) is a placeholder for an unknown species,
//! with mass 1.

use std::fmt;
use std::str::FromStr;

use crate::error::StructureError;

/// (symbol, standard mass in amu), indexed by atomic number Z = 0..=92.
const TABLE: [(&str, f64); 93] = [
    ("X", 1.0),
    ("H", 1.008),
    ("He", 4.002602),
    ("Li", 6.94),
    ("Be", 9.0121831),
    ("B", 10.81),
    ("C", 12.011),
    ("N", 14.007),
    ("O", 15.999),
    ("F", 18.998403163),
    ("Ne", 20.1797),
    ("Na", 22.98976928),
    ("Mg", 24.305),
    ("Al", 26.9815385),
    ("Si", 28.085),
    ("P", 30.973761998),
    ("S", 32.06),
    ("Cl", 35.45),
    ("Ar", 39.948),
    ("K", 39.0983),
    ("Ca", 40.078),
    ("Sc", 44.955908),
    ("Ti", 47.867),
    ("V", 50.9415),
    ("Cr", 51.9961),
    ("Mn", 54.938044),
    ("Fe", 55.845),
    ("Co", 58.933194),
    ("Ni", 58.6934),
    ("Cu", 63.546),
    ("Zn", 65.38),
    ("Ga", 69.723),
    ("Ge", 72.630),
    ("As", 74.921595),
    ("Se", 78.971),
    ("Br", 79.904),
    ("Kr", 83.798),
    ("Rb", 85.4678),
    ("Sr", 87.62),
    ("Y", 88.90584),
    ("Zr", 91.224),
    ("Nb", 92.90637),
    ("Mo", 95.95),
    ("Tc", 97.90721),
    ("Ru", 101.07),
    ("Rh", 102.90550),
    ("Pd", 106.42),
    ("Ag", 107.8682),
    ("Cd", 112.414),
    ("In", 114.818),
    ("Sn", 118.710),
    ("Sb", 121.760),
    ("Te", 127.60),
    ("I", 126.90447),
    ("Xe", 131.293),
    ("Cs", 132.90545196),
    ("Ba", 137.327),
    ("La", 138.90547),
    ("Ce", 140.116),
    ("Pr", 140.90766),
    ("Nd", 144.242),
    ("Pm", 144.91276),
    ("Sm", 150.36),
    ("Eu", 151.964),
    ("Gd", 157.25),
    ("Tb", 158.92535),
    ("Dy", 162.500),
    ("Ho", 164.93033),
    ("Er", 167.259),
    ("Tm", 168.93422),
    ("Yb", 173.054),
    ("Lu", 174.9668),
    ("Hf", 178.49),
    ("Ta", 180.94788),
    ("W", 183.84),
    ("Re", 186.207),
    ("Os", 190.23),
    ("Ir", 192.217),
    ("Pt", 195.084),
    ("Au", 196.966569),
    ("Hg", 200.592),
    ("Tl", 204.38),
    ("Pb", 207.2),
    ("Bi", 208.98040),
    ("Po", 208.98243),
    ("At", 209.98715),
    ("Rn", 222.01758),
    ("Fr", 223.01974),
    ("Ra", 226.02541),
    ("Ac", 227.02775),
    ("Th", 232.0377),
    ("Pa", 231.03588),
    ("U", 238.02891),
];

/// A chemical element, stored as its atomic number (Z = 0 is the placeholder `X`).
///
/// ```
/// use fe_structure::Element;
/// let fe: Element = "Fe".parse().unwrap();
/// assert_eq!(fe.z(), 26);
/// assert_eq!(fe.symbol(), "Fe");
/// assert!((fe.mass() - 55.845).abs() < 1e-12);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Element(u8);

impl Element {
    /// Iron.
    pub const FE: Element = Element(26);
    /// Tungsten.
    pub const W: Element = Element(74);
    /// The placeholder for an unknown species (Z = 0).
    pub const X: Element = Element(0);
    /// The largest atomic number in the table.
    pub const MAX_Z: u8 = 92;

    /// The element with atomic number `z`.
    ///
    /// # Errors
    /// [`StructureError::UnknownElement`] when `z` is beyond the table.
    pub fn from_z(z: u32) -> Result<Element, StructureError> {
        if z <= u32::from(Self::MAX_Z) {
            Ok(Element(z as u8))
        } else {
            Err(StructureError::UnknownElement(format!("Z = {z}")))
        }
    }

    /// The element with this symbol; the case of the letters is normalised (`fe`, `FE` and `Fe`
    /// are iron).
    ///
    /// # Errors
    /// [`StructureError::UnknownElement`] naming the symbol.
    pub fn from_symbol(symbol: &str) -> Result<Element, StructureError> {
        let s = symbol.trim();
        TABLE
            .iter()
            .position(|(sym, _)| sym.eq_ignore_ascii_case(s))
            .map(|z| Element(z as u8))
            .ok_or_else(|| StructureError::UnknownElement(s.to_string()))
    }

    /// The element whose standard mass is within `tolerance` amu of `mass`, if exactly one is.
    pub fn from_mass(mass: f64, tolerance: f64) -> Option<Element> {
        let mut found = TABLE
            .iter()
            .enumerate()
            .skip(1)
            .filter(|(_, (_, m))| (m - mass).abs() <= tolerance);
        match (found.next(), found.next()) {
            (Some((z, _)), None) => Some(Element(z as u8)),
            _ => None,
        }
    }

    /// Atomic number.
    pub fn z(self) -> u8 {
        self.0
    }

    /// Chemical symbol (`"Fe"`).
    pub fn symbol(self) -> &'static str {
        TABLE[usize::from(self.0)].0
    }

    /// Standard atomic mass in amu.
    pub fn mass(self) -> f64 {
        TABLE[usize::from(self.0)].1
    }
}

impl fmt::Display for Element {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.symbol())
    }
}

impl FromStr for Element {
    type Err = StructureError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Element::from_symbol(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn element_table_covers_h_to_bi_with_increasing_z() {
        assert_eq!(Element::from_symbol("H").unwrap().z(), 1);
        assert_eq!(Element::from_symbol("Bi").unwrap().z(), 83);
        assert_eq!(Element::from_symbol("w").unwrap(), Element::W);
        for z in 1..=u32::from(Element::MAX_Z) {
            let e = Element::from_z(z).unwrap();
            assert_eq!(Element::from_symbol(e.symbol()).unwrap(), e);
            assert!(e.mass() > 0.9);
        }
    }

    #[test]
    fn element_unknown_symbol_and_z_are_errors() {
        assert!(Element::from_symbol("Qq").is_err());
        assert!(Element::from_z(200).is_err());
    }

    #[test]
    fn element_from_mass_finds_iron_and_rejects_ambiguity() {
        assert_eq!(Element::from_mass(55.85, 0.01), Some(Element::FE));
        assert_eq!(Element::from_mass(183.84, 0.01), Some(Element::W));
        assert_eq!(Element::from_mass(1000.0, 0.01), None);
        // Co (58.933) and Ni (58.693) are both within 0.3 of 58.8
        assert_eq!(Element::from_mass(58.8, 0.3), None);
    }
}
