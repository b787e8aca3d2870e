//! Minimizers (FIRE, conjugate gradient, cell relaxation) and molecular dynamics (NVE, NVT, NPT)
//! for the fe toolkit. Not built yet: see the project's issues.
