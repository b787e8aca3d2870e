//! Interatomic potentials for the fe toolkit: the `Potential` trait, tabulated and analytic EAM
//! (including the embedded Zhou 2004 model), LAMMPS-compatible MEAM and moment tensor potentials.
//! Not built yet: see the project's issues.
