//! Voronoi polycrystal build time (tessellation, filling, close-pair deletion; no file
//! output): 8-grain bcc Fe (a = 2.8553 A) in cubic boxes of 20a (about 14,600 atoms) and 40a
//! (about 123,000 atoms), seed 1, in local pools of one and two threads. Group names:
//! `polycrystal/<ideal sites>`; throughput in ideal sites 2 (L/a)^3.

use std::time::Duration;

use criterion::{BenchmarkId, Criterion, Throughput};
use fe_structure::Cell;
use fe_voronoi::polycrystal::{build_polycrystal, random_rotations, random_seeds};
use fe_voronoi::PolycrystalSpec;

const FE_A: f64 = 2.8553;

fn pool(threads: usize) -> rayon::ThreadPool {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .expect("a local rayon pool")
}

fn bench_case(c: &mut Criterion, reps: usize) {
    let cell = Cell::cubic(reps as f64 * FE_A).expect("a valid cubic box");
    let seeds = random_seeds(&cell, 8, 1, 1.0).expect("8 seeds fit");
    let rotations = random_rotations(8, 1);
    let spec = PolycrystalSpec::default();
    let sites = 2 * reps.pow(3);
    let mut group = c.benchmark_group(format!("polycrystal/{sites}"));
    group.throughput(Throughput::Elements(sites as u64));
    if sites > 50_000 {
        group.sample_size(10);
        group.measurement_time(Duration::from_secs(5));
    }
    for threads in [1, 2] {
        let p = pool(threads);
        group.bench_function(BenchmarkId::new("threads", threads), |b| {
            b.iter(|| {
                p.install(|| {
                    build_polycrystal(&cell, &seeds, &rotations, &spec, &|_| {})
                        .expect("polycrystal")
                })
            });
        });
    }
    group.finish();
}

fn polycrystal(c: &mut Criterion) {
    for reps in [20, 40] {
        bench_case(c, reps);
    }
}

// `criterion_group!` would generate an undocumented public function; this is its expansion.
fn main() {
    let mut c = Criterion::default().configure_from_args();
    polycrystal(&mut c);
    c.final_summary();
}
