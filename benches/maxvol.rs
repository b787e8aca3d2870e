//! MaxVol grading of rattled bcc Fe (128,000 atoms by default) with a level-16 active set,
//! against one MTP energy-and-forces evaluation of the same structure, one and two threads.
//!
//! The active set is built from a small training set (eight rattled and strained 16-atom bcc
//! Fe cells) with the published `Fe_mtp_L16.mtp`. Grading = the site-energy parameter rows of
//! every atom (forward pass plus the adjoint of the products, MTP.md 8.1) and
//! $c = b A^{-1}$ as blocked matrix products. Both use a neighbour list built once outside
//! the timed closure. Needs the shared data (`FE_SHARED_DIR`, default `../shared`); without
//! it the bench says so and measures nothing. `FE_MAXVOL_BENCH_REPS` (default 40) sets the
//! supercell (2 reps^3 atoms).

mod common;

use std::path::PathBuf;
use std::sync::Arc;

use criterion::{BenchmarkId, Criterion, Throughput};
use fe::maxvol::{AlState, RowMode, SelectOptions};
use fe::neighbors::{ListKind, NeighborList};
use fe::potentials::mtp::Mtp;
use fe::potentials::Potential;
use fe::structure::build::{bcc, rattle};
use fe::structure::Element;
use nalgebra::Matrix3;

fn maxvol(c: &mut Criterion) {
    let shared = std::env::var_os("FE_SHARED_DIR").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared"),
        PathBuf::from,
    );
    let mtp = match Mtp::from_path(
        &shared.join("data/potentials/Fe_mtp_L16.mtp"),
        &[Element::FE],
    ) {
        Ok(m) => m,
        Err(e) => {
            eprintln!("{e}: not benchmarked");
            return;
        }
    };
    let training: Vec<_> = (0..8)
        .map(|k| {
            let x = k as f64 / 8.0;
            let mut s = bcc(Element::FE, 2.8553)
                .and_then(|c| c.replicate(2, 2, 2))
                .expect("bcc Fe cell");
            let mut f = Matrix3::identity() * (0.97 + 0.06 * x);
            f[(0, 1)] = 0.04 * (x - 0.5);
            s.deform(&f).expect("strain");
            rattle(&mut s, 0.1, 100 + k).expect("rattle");
            s
        })
        .collect();
    let (state, report) = AlState::build(
        mtp.clone(),
        &training,
        RowMode::Neighbourhood,
        &SelectOptions::default(),
        &mut |_| {},
    )
    .expect("active set");
    eprintln!(
        "active set: n = {}, {} swaps, {} initial rows",
        state.active().n(),
        report.swaps,
        state.active().initial_rows()
    );
    let reps: usize = std::env::var("FE_MAXVOL_BENCH_REPS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(40);
    let s = common::bcc_fe(reps, 1);
    let n = s.len();
    let pot: Arc<dyn Potential> = Arc::new(mtp.clone());
    let list = NeighborList::new(&s, mtp.cutoff(), ListKind::Full).expect("neighbour list");
    let mut group = c.benchmark_group("maxvol/L16");
    group.sample_size(10);
    group.throughput(Throughput::Elements(n as u64));
    for threads in [1, 2] {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .expect("a local thread pool");
        group.bench_with_input(
            BenchmarkId::new(format!("grade/{threads}-thread"), n),
            &s,
            |b, s| {
                b.iter(|| {
                    pool.install(|| state.grade_with_list(s, &list))
                        .expect("grades")
                })
            },
        );
    }
    common::energy_forces(&mut group, &pot, &s);
    group.finish();
}

// `criterion_group!` would generate an undocumented public function; this is its expansion.
fn main() {
    let mut c = Criterion::default().configure_from_args();
    maxvol(&mut c);
    c.final_summary();
}
