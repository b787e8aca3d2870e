//! MTP energy and forces of rattled bcc Fe (16,000 atoms) with the published level-16 and
//! "level-22" (structurally level-24) Fe potentials, one and two threads. The neighbour list
//! (cutoff + 1 A skin) is built once outside the timed closure, as in MD steps between
//! rebuilds, so the figure compares with motep's repeated calculate() (`motep_time.py`,
//! `us_per_atom`).
//!
//! Needs `Fe_mtp_L16.mtp` and `Fe_mtp_L22.mtp` from the shared data (`FE_SHARED_DIR`, default
//! `../shared`); without them the bench says so and measures nothing.

mod common;

use std::path::PathBuf;
use std::sync::Arc;

use criterion::{Criterion, Throughput};
use fe::potentials::mtp::Mtp;
use fe::potentials::Potential;
use fe::structure::Element;

fn potentials() -> Vec<(Arc<dyn Potential>, &'static str)> {
    let shared = std::env::var_os("FE_SHARED_DIR").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared"),
        PathBuf::from,
    );
    let mut out: Vec<(Arc<dyn Potential>, &'static str)> = Vec::new();
    for (file, name) in [("Fe_mtp_L16.mtp", "L16"), ("Fe_mtp_L22.mtp", "L22")] {
        match Mtp::from_path(&shared.join("data/potentials").join(file), &[Element::FE]) {
            Ok(p) => out.push((Arc::new(p), name)),
            Err(e) => eprintln!("{e}: not benchmarked"),
        }
    }
    out
}

fn mtp(c: &mut Criterion) {
    let reps: usize = std::env::var("FE_MTP_BENCH_REPS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20);
    let s = common::bcc_fe(reps, 1);
    let n = s.len();
    for (pot, name) in potentials() {
        let mut group = c.benchmark_group(format!("mtp/energy_forces/{name}"));
        group.sample_size(10);
        group.throughput(Throughput::Elements(n as u64));
        common::energy_forces(&mut group, &pot, &s);
        group.finish();
    }
}

// `criterion_group!` would generate an undocumented public function; this is its expansion.
fn main() {
    let mut c = Criterion::default().configure_from_args();
    mtp(&mut c);
    c.final_summary();
}
