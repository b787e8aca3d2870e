//! Grade classes (MTP.md 8.4) and the grades of a structure.

/// Grade ranges of MLIP-3 and both papers (MTP.md 8.4), configurable: a grade
/// $\gamma \le$ `interpolation` is interpolation, up to `label` a reliable extrapolation,
/// up to `stop` an extrapolation to label, above it a break.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Thresholds {
    /// Upper end of interpolation (default 1).
    pub interpolation: f64,
    /// Upper end of reliable extrapolation; above it configurations are saved for labelling
    /// (default 2).
    pub label: f64,
    /// Above this the potential is unreliable: stop the simulation (default 10).
    pub stop: f64,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            interpolation: 1.0,
            label: 2.0,
            stop: 10.0,
        }
    }
}

/// The class of a grade under [`Thresholds`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum GradeClass {
    /// $\gamma \le$ `interpolation`.
    Interpolation,
    /// `interpolation` $< \gamma \le$ `label`: extrapolation, still reliable.
    Extrapolation,
    /// `label` $< \gamma \le$ `stop`: risky extrapolation, label it.
    ToLabel,
    /// $\gamma >$ `stop`: unreliable.
    Break,
}

impl GradeClass {
    /// All classes in increasing order.
    pub const ALL: [GradeClass; 4] = [
        GradeClass::Interpolation,
        GradeClass::Extrapolation,
        GradeClass::ToLabel,
        GradeClass::Break,
    ];

    /// Short name (`interpolation`, `extrapolation`, `to_label`, `break`).
    pub fn name(self) -> &'static str {
        match self {
            GradeClass::Interpolation => "interpolation",
            GradeClass::Extrapolation => "extrapolation",
            GradeClass::ToLabel => "to_label",
            GradeClass::Break => "break",
        }
    }
}

impl Thresholds {
    /// The class of grade `g`.
    pub fn classify(&self, g: f64) -> GradeClass {
        if g <= self.interpolation {
            GradeClass::Interpolation
        } else if g <= self.label {
            GradeClass::Extrapolation
        } else if g <= self.stop {
            GradeClass::ToLabel
        } else {
            GradeClass::Break
        }
    }

    /// How many grades fall in each class, in the order of [`GradeClass::ALL`].
    pub fn histogram(&self, grades: &[f64]) -> [usize; 4] {
        let mut h = [0; 4];
        for &g in grades {
            h[self.classify(g) as usize] += 1;
        }
        h
    }
}

/// The grades of one structure.
#[derive(Debug, Clone, PartialEq)]
pub struct Grades {
    /// One grade per row: per atom in neighbourhood mode, one value in configuration mode.
    pub rows: Vec<f64>,
    /// The configuration's grade: the largest row grade.
    pub max: f64,
}
