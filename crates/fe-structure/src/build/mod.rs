//! Lattice builders, replication, random rotations, rattles and point defects.
//! Being written.
