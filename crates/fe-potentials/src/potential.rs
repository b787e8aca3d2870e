//! The [`Potential`] trait, what it is asked ([`Request`]) and what it answers ([`Results`]),
//! and how a structure's elements are bound to a potential's species ([`Binding`],
//! [`BoundAtoms`]).

use std::borrow::Cow;

use fe_neighbors::{ListKind, NeighborList};
use fe_structure::{Element, Structure};
use nalgebra::{Matrix3, Vector3};
use rayon::prelude::*;

use crate::error::{PotentialError, Result};

/// What to compute besides the total energy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Request {
    /// Forces -dE/dr (eV/A).
    pub forces: bool,
    /// The virial W = -dE/d(eps) (eV).
    pub virial: bool,
    /// Per-atom energies (eV) summing to the total.
    pub per_atom_energy: bool,
}

impl Request {
    /// The energy only.
    pub const ENERGY: Request = Request {
        forces: false,
        virial: false,
        per_atom_energy: false,
    };
    /// Energy, forces and virial (what minimizers and MD need).
    pub const FORCES_VIRIAL: Request = Request {
        forces: true,
        virial: true,
        per_atom_energy: false,
    };
    /// Everything.
    pub const ALL: Request = Request {
        forces: true,
        virial: true,
        per_atom_energy: true,
    };
}

/// What a potential answers: the total energy always, the rest when requested.
#[derive(Debug, Clone, PartialEq)]
pub struct Results {
    /// Total potential energy (eV).
    pub energy: f64,
    /// Forces -dE/dr_i (eV/A), one per atom.
    pub forces: Option<Vec<Vector3<f64>>>,
    /// Virial W_ab = sum over pairs r_ij,a f_ij,b = -dE/d(eps_ab) (eV), symmetric.
    pub virial: Option<Matrix3<f64>>,
    /// Per-atom energies (eV), summing to `energy`.
    pub per_atom_energy: Option<Vec<f64>>,
}

/// An interatomic potential: stateless, thread-safe and immutable after construction.
///
/// A potential evaluates a structure whose elements were first mapped to its species by
/// [`Potential::bind`], on a neighbour list built at least at [`Potential::cutoff`] (a longer
/// list, e.g. with a Verlet skin, is fine: kernels filter by the true cutoff, `r < cutoff`).
/// Every potential takes a **full** list; one whose [`Potential::list_kind`] is
/// [`ListKind::Half`] also takes a half list, and is fastest with it. The
/// [`crate::Evaluator`] does both steps, builds the kind the potential prefers and keeps the
/// list between calls.
pub trait Potential: Send + Sync + std::fmt::Debug {
    /// Interaction cutoff (Angstrom); pairs at `r >= cutoff` do not interact.
    fn cutoff(&self) -> f64;

    /// The kind of neighbour list this potential is fastest with. [`ListKind::Full`] (the
    /// default) means it needs a full list; [`ListKind::Half`] means it takes either kind and
    /// gives the same result with both.
    fn list_kind(&self) -> ListKind {
        ListKind::Full
    }

    /// The elements this potential describes, in its species order.
    fn elements(&self) -> &[Element];

    /// Map the elements present in a structure to species indices.
    ///
    /// # Errors
    /// [`PotentialError::UnknownElement`] naming the first element the potential lacks.
    fn bind(&self, present: &[Element]) -> Result<Binding> {
        Binding::new(self.elements(), present)
    }

    /// Energy (and on request forces, virial, per-atom energies) of `atoms` with the
    /// neighbour list `list` (full, or of the potential's [`Potential::list_kind`]).
    ///
    /// # Errors
    /// A list of a kind the potential does not take or shorter than the cutoff, atoms closer than the potential
    /// allows, non-finite results.
    fn compute(
        &self,
        atoms: &BoundAtoms<'_>,
        list: &NeighborList,
        request: Request,
    ) -> Result<Results>;
}

/// The species index of every element a potential knows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Binding {
    known: Vec<Element>,
}

impl Binding {
    /// A binding of `present` elements onto the potential's `known` species order.
    ///
    /// # Errors
    /// [`PotentialError::UnknownElement`] for an element of `present` missing from `known`.
    pub fn new(known: &[Element], present: &[Element]) -> Result<Binding> {
        if let Some(e) = present.iter().find(|e| !known.contains(e)) {
            return Err(PotentialError::UnknownElement {
                element: e.symbol().to_string(),
                known: known
                    .iter()
                    .map(|e| e.symbol())
                    .collect::<Vec<_>>()
                    .join(", "),
            });
        }
        Ok(Binding {
            known: known.to_vec(),
        })
    }

    /// Species index of `element`, if known.
    pub fn species_of(&self, element: Element) -> Option<usize> {
        self.known.iter().position(|&e| e == element)
    }

    /// Number of species of the potential.
    pub fn n_species(&self) -> usize {
        self.known.len()
    }
}

/// A structure together with the species index of every atom under a [`Binding`].
#[derive(Debug, Clone)]
pub struct BoundAtoms<'a> {
    structure: &'a Structure,
    species: Cow<'a, [u16]>,
}

impl<'a> BoundAtoms<'a> {
    /// Bind every atom of `structure`.
    ///
    /// # Errors
    /// [`PotentialError::UnknownElement`] when an atom's element is not in the binding, and
    /// [`PotentialError::NonFinite`] for a non-finite position.
    pub fn new(structure: &'a Structure, binding: &Binding) -> Result<BoundAtoms<'a>> {
        let species = structure
            .species()
            .iter()
            .map(|&e| {
                binding.species_of(e).map(|s| s as u16).ok_or_else(|| {
                    PotentialError::UnknownElement {
                        element: e.symbol().to_string(),
                        known: binding
                            .known
                            .iter()
                            .map(|e| e.symbol())
                            .collect::<Vec<_>>()
                            .join(", "),
                    }
                })
            })
            .collect::<Result<Vec<u16>>>()?;
        BoundAtoms::with_species(structure, Cow::Owned(species))
    }

    /// A structure with species indices bound earlier (the evaluator keeps them while the
    /// atoms' elements do not change); checks the positions only.
    pub(crate) fn with_species(
        structure: &'a Structure,
        species: Cow<'a, [u16]>,
    ) -> Result<BoundAtoms<'a>> {
        debug_assert_eq!(species.len(), structure.len());
        if let Some(i) = structure
            .positions()
            .par_iter()
            .position_first(|r| !r.iter().all(|x| x.is_finite()))
        {
            return Err(PotentialError::NonFinite {
                what: format!("position of atom {i}"),
            });
        }
        Ok(BoundAtoms { structure, species })
    }

    /// The structure.
    pub fn structure(&self) -> &'a Structure {
        self.structure
    }

    /// Species index of every atom.
    pub fn species(&self) -> &[u16] {
        &self.species
    }

    /// Number of atoms.
    pub fn len(&self) -> usize {
        self.species.len()
    }

    /// True when there are no atoms.
    pub fn is_empty(&self) -> bool {
        self.species.is_empty()
    }
}

/// Check that `list` can serve a potential of cutoff `cutoff` on `atoms`: full, built at
/// least at the cutoff, one row per atom.
///
/// # Errors
/// [`PotentialError::List`] saying what does not fit.
pub fn check_list(atoms: &BoundAtoms<'_>, list: &NeighborList, cutoff: f64) -> Result<()> {
    if list.kind() != ListKind::Full {
        return Err(PotentialError::List("potentials need a full list".into()));
    }
    check_list_rows(atoms, list, cutoff)
}

/// [`check_list`] without the kind: for kernels that take a half or a full list.
pub(crate) fn check_list_rows(
    atoms: &BoundAtoms<'_>,
    list: &NeighborList,
    cutoff: f64,
) -> Result<()> {
    if list.cutoff() < cutoff {
        return Err(PotentialError::List(format!(
            "built at {} A, shorter than the potential's cutoff {cutoff} A",
            list.cutoff()
        )));
    }
    if list.n_atoms() != atoms.len() {
        return Err(PotentialError::List(format!(
            "{} rows for {} atoms",
            list.n_atoms(),
            atoms.len()
        )));
    }
    Ok(())
}
