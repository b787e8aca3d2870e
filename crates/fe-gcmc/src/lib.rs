//! Grand canonical Monte Carlo with local energy updates and PCC-GCMC (clusters to periodic
//! cells). Not built yet: see the project's issues.
