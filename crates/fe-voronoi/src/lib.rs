//! Per-atom Voronoi tessellation in periodic triclinic cells, grain tessellation and the Voronoi
//! nano-polycrystal builder. Not built yet: see the project's issues.
