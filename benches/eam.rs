//! EAM energy and forces of rattled bcc Fe with `Fe_mm.eam.fs` (Mendelev 2003), 16,000 and
//! 128,000 atoms, one and two threads. The neighbour list (cutoff + 1 A skin) is built once
//! outside the timed closure, as in MD steps between rebuilds, so the figure compares with the
//! `Pair` time of LAMMPS `pair_style eam/fs` per atom-step.
//!
//! Needs `Fe_mm.eam.fs` from the shared data (`FE_SHARED_DIR`, default `../shared`); without it
//! the bench says so and measures the embedded `zhou2004` Fe instead.

mod common;

use std::path::PathBuf;
use std::sync::Arc;

use criterion::{Criterion, Throughput};
use fe::potentials::eam::{Eam, Zhou2004};
use fe::potentials::Potential;
use fe::structure::Element;

fn potential() -> (Arc<dyn Potential>, &'static str) {
    let shared = std::env::var_os("FE_SHARED_DIR").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared"),
        PathBuf::from,
    );
    let path = shared.join("data/potentials/Fe_mm.eam.fs");
    match Eam::from_path(&path) {
        Ok(eam) => (Arc::new(eam), "fe_mm"),
        Err(e) => {
            eprintln!("{e}: benchmarking zhou2004 Fe instead");
            (
                Arc::new(Zhou2004::new(&[Element::FE]).expect("Fe is in the Zhou table")),
                "zhou2004",
            )
        }
    }
}

fn eam(c: &mut Criterion) {
    let (pot, name) = potential();
    let mut group = c.benchmark_group(format!("eam/energy_forces/{name}"));
    group.sample_size(10);
    for reps in [20, 40] {
        let s = common::bcc_fe(reps, 1);
        let n = s.len();
        group.throughput(Throughput::Elements(n as u64));
        common::energy_forces(&mut group, &pot, &s);
    }
    group.finish();
}

// `criterion_group!` would generate an undocumented public function; this is its expansion.
fn main() {
    let mut c = Criterion::default().configure_from_args();
    eam(&mut c);
    c.final_summary();
}
