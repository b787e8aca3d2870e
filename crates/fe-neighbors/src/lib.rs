//! Neighbour lists for periodic triclinic cells. Being written.
