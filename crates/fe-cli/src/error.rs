//! The error type of the `fe` command.

/// Everything a command can fail with; each variant keeps the lower-layer error as its source so
/// `main` can print the whole chain.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CliError {
    /// Reading, writing or building a structure failed.
    #[error(transparent)]
    Structure(#[from] fe_structure::StructureError),
    /// Building a neighbour list failed.
    #[error(transparent)]
    Neighbors(#[from] fe_neighbors::NeighborError),
    /// Reading, building or evaluating a potential failed.
    #[error(transparent)]
    Potential(#[from] fe_potentials::PotentialError),
    /// Building a Voronoi tessellation or a polycrystal failed.
    #[error(transparent)]
    Voronoi(#[from] fe_voronoi::VoronoiError),
    /// A grain-boundary analysis failed.
    #[error(transparent)]
    GbAnalysis(#[from] fe_gbanalysis::GbError),
    /// A minimization or MD run failed.
    #[error(transparent)]
    Dynamics(#[from] fe_dynamics::DynamicsError),
    /// Active learning (grades, selection, state files) failed.
    #[error(transparent)]
    MaxVol(#[from] fe_maxvol::MaxVolError),
    /// Writing an output file or stdout failed.
    #[error("cannot write {file}")]
    Output {
        /// Where the output was going.
        file: String,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// An argument that parsed but makes no sense.
    #[error("{0}")]
    Usage(String),
}
