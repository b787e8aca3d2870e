//! Grain-boundary analysis: GB energies, distance to the GB, profiles, misorientation, CNA and
//! tilt GB builders. Not built yet: see the project's issues.
