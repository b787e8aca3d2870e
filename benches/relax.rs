//! Conjugate-gradient relaxation of rattled bcc Fe (`Fe_mm.eam.fs`, 3,456 atoms, rattle
//! 0.05 A) to a force two-norm of 1e-6 eV/A, the whole minimization per iteration (neighbour
//! lists and every force evaluation included). The 16,000-atom case of issue 6 is measured
//! once against LAMMPS `min_style cg` with `fe relax` (docs/benchmarks.md).
//!
//! Needs `Fe_mm.eam.fs` from the shared data (`FE_SHARED_DIR`, default `../shared`); without it
//! the bench says so and relaxes with the embedded `zhou2004` Fe instead.

mod common;

use std::path::PathBuf;
use std::sync::Arc;

use criterion::{BenchmarkId, Criterion, Throughput};
use fe::dynamics::minimize::{minimize, Algorithm, MinimizeOptions};
use fe::potentials::eam::{Eam, Zhou2004};
use fe::potentials::{Evaluator, Potential};
use fe::structure::Element;

fn potential() -> (Arc<dyn Potential>, &'static str) {
    let shared = std::env::var_os("FE_SHARED_DIR").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared"),
        PathBuf::from,
    );
    match Eam::from_path(&shared.join("data/potentials/Fe_mm.eam.fs")) {
        Ok(eam) => (Arc::new(eam), "fe_mm"),
        Err(e) => {
            eprintln!("{e}: relaxing with zhou2004 Fe instead");
            (
                Arc::new(Zhou2004::new(&[Element::FE]).expect("Fe is in the Zhou table")),
                "zhou2004",
            )
        }
    }
}

fn relax(c: &mut Criterion) {
    let (pot, name) = potential();
    let mut group = c.benchmark_group(format!("relax/cg_fnorm_1e-6/{name}"));
    group.sample_size(10);
    let options = MinimizeOptions {
        fmax: None,
        fnorm: Some(1e-6),
        ..MinimizeOptions::default()
    };
    for algorithm in [Algorithm::Cg, Algorithm::Fire] {
        let s = common::bcc_fe(12, 1);
        group.throughput(Throughput::Elements(s.len() as u64));
        group.bench_with_input(
            BenchmarkId::new(format!("{algorithm:?}"), s.len()),
            &s,
            |b, s| {
                b.iter(|| {
                    let mut t = s.clone();
                    let mut ev = Evaluator::new(pot.clone());
                    minimize(&mut t, &mut ev, algorithm, &options).expect("relaxation")
                })
            },
        );
    }
    group.finish();
}

// `criterion_group!` would generate an undocumented public function; this is its expansion.
fn main() {
    let mut c = Criterion::default().configure_from_args();
    relax(&mut c);
    c.final_summary();
}
