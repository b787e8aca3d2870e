//! MEAM energy and forces of rattled bcc Fe (16,000 atoms: 20^3 cells, a = 2.8553 A, rattle
//! 0.05 A, seed 1), one and two threads, with the 1NN Fe entry of LAMMPS' `library.meam` and
//! `Fe_1nn.meam` (rc = 4.5 A, delr = 0.1 A) of `../shared/tools/peers`, the setting
//! `lammps_time.py` times for `pair_style meam`; also the 2NN Fe entry (`library_2nn.meam`,
//! `Fe_2nn.meam`). The neighbour list (screening range + 1 A skin) is built once outside the
//! timed closure, as in MD steps between rebuilds, so the figure compares with the `Pair` time
//! of LAMMPS per atom-step.
//!
//! Needs the shared data (`FE_SHARED_DIR`, default `../shared`); without it the bench says so
//! and uses the same 1NN Fe parameters written inline.

mod common;

use std::path::PathBuf;
use std::sync::Arc;

use criterion::{Criterion, Throughput};
use fe::potentials::meam::Meam;
use fe::potentials::Potential;

/// The Fe entry of LAMMPS' library.meam (Baskes 1992) and the benchmark's rc and delr.
const FE_1NN: &str = "'Fe' 'bcc' 8. 26 55.847\n5.07292627 2.935 1.00 1.00080073 1.00 2.866 \
4.29 0.89\n1.0 5.13579244 4.12042448 -2.7 1. 0\n";

fn potentials() -> Vec<(Arc<dyn Potential>, &'static str)> {
    let shared = std::env::var_os("FE_SHARED_DIR").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared"),
        PathBuf::from,
    );
    let pots = shared.join("data/potentials");
    let one = Meam::from_paths(
        &pots.join("library.meam"),
        Some(&shared.join("tools/peers/Fe_1nn.meam")),
        &["Fe"],
    );
    let two = Meam::from_paths(
        &pots.join("library_2nn.meam"),
        Some(&pots.join("Fe_2nn.meam")),
        &["Fe"],
    );
    match (one, two) {
        (Ok(a), Ok(b)) => vec![(Arc::new(a), "fe_1nn"), (Arc::new(b), "fe_2nn")],
        (Err(e), _) | (_, Err(e)) => {
            eprintln!("{e}: benchmarking the inline 1NN Fe parameters");
            let m = Meam::from_strs(
                FE_1NN,
                "inline",
                Some(("rc = 4.5\ndelr = 0.1\n", "inline")),
                &["Fe"],
            )
            .expect("the inline Fe parameters are valid");
            vec![(Arc::new(m), "fe_1nn_inline")]
        }
    }
}

fn meam(c: &mut Criterion) {
    let s = common::bcc_fe(20, 1);
    let n = s.len();
    for (pot, name) in potentials() {
        let mut group = c.benchmark_group(format!("meam/energy_forces/{name}"));
        group.sample_size(10);
        group.throughput(Throughput::Elements(n as u64));
        common::energy_forces(&mut group, &pot, &s);
        group.finish();
    }
}

// `criterion_group!` would generate an undocumented public function; this is its expansion.
fn main() {
    let mut c = Criterion::default().configure_from_args();
    meam(&mut c);
    c.final_summary();
}
