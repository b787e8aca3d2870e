//! [`Evaluator`]: a potential plus the neighbour list it needs, kept between calls.

use std::borrow::Cow;
use std::sync::Arc;

use fe_neighbors::{NeighborList, SkinTracker};
use fe_structure::{Element, Structure};

use crate::error::Result;
use crate::potential::{BoundAtoms, Potential, Request, Results};

/// Default Verlet skin (Angstrom).
pub const DEFAULT_SKIN: f64 = 1.0;

/// Owns a potential, the binding of the structure's elements and a neighbour list of the kind
/// the potential prefers ([`Potential::list_kind`]), built at cutoff + skin. The list is
/// rebuilt only when an atom moved more than skin/2 since the last build, the cell changed,
/// or atoms were added or removed; positions are never wrapped. Because rows are sorted and kernels filter by the true cutoff, a reused list gives results
/// bit-identical to a fresh one.
///
/// Minimizers, MD and Monte Carlo call [`Evaluator::evaluate`] every step.
#[derive(Debug)]
pub struct Evaluator {
    potential: Arc<dyn Potential>,
    tracker: SkinTracker,
    list: Option<NeighborList>,
    binding: Option<Bound>,
    builds: usize,
}

impl Evaluator {
    /// An evaluator with the default skin of 1 Angstrom.
    pub fn new(potential: Arc<dyn Potential>) -> Evaluator {
        Evaluator {
            potential,
            tracker: SkinTracker::new(DEFAULT_SKIN).expect("the default skin is valid"),
            list: None,
            binding: None,
            builds: 0,
        }
    }

    /// An evaluator with another skin (Angstrom, >= 0).
    ///
    /// # Errors
    /// A negative or non-finite skin.
    pub fn with_skin(potential: Arc<dyn Potential>, skin: f64) -> Result<Evaluator> {
        let mut e = Evaluator::new(potential);
        e.tracker = SkinTracker::new(skin)?;
        Ok(e)
    }

    /// The potential.
    pub fn potential(&self) -> &Arc<dyn Potential> {
        &self.potential
    }

    /// How many times the neighbour list was built.
    pub fn list_builds(&self) -> usize {
        self.builds
    }

    /// Forget the list and binding, so the next call rebuilds both.
    pub fn invalidate(&mut self) {
        self.list = None;
        self.binding = None;
    }

    /// Evaluate `structure`, rebuilding the list and the binding only when needed.
    ///
    /// # Errors
    /// Unknown elements, neighbour-list failures and the potential's own errors.
    pub fn evaluate(&mut self, structure: &Structure, request: Request) -> Result<Results> {
        let same_atoms = self
            .binding
            .as_ref()
            .is_some_and(|b| b.elements_of_atoms.as_slice() == structure.species());
        if !same_atoms {
            let binding = self.potential.bind(&structure.elements())?;
            let species = BoundAtoms::new(structure, &binding)?.species().to_vec();
            self.binding = Some(Bound {
                elements_of_atoms: structure.species().to_vec(),
                species,
            });
        }
        let bound = self.binding.as_ref().expect("bound just above");
        let atoms = BoundAtoms::with_species(structure, Cow::Borrowed(&bound.species))?;
        if self.list.is_none()
            || self
                .tracker
                .needs_rebuild(structure.positions(), structure.cell())
        {
            self.list = Some(self.tracker.build(
                structure,
                self.potential.cutoff(),
                self.potential.list_kind(),
            )?);
            self.builds += 1;
        }
        let list = self.list.as_ref().expect("built just above");
        self.potential.compute(&atoms, list, request)
    }
}

/// The species of every atom, kept while the atoms' elements do not change.
#[derive(Debug)]
struct Bound {
    elements_of_atoms: Vec<Element>,
    species: Vec<u16>,
}
