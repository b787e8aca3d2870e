//! One module per `fe` subcommand: each parses nothing itself, calls the crates, writes results.

pub mod convert;
pub mod eval;
pub mod export_eam;
pub mod gb_energy;
pub mod grade;
pub mod info;
pub mod md;
pub mod mtp;
pub mod neighbors;
pub mod polycrystal;
pub mod relax;
pub mod select;
pub mod voronoi;
