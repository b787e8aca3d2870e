//! Per-atom Voronoi tessellation of rattled bcc Fe (a = 2.8553 A, rattle 0.05 A, seed 1):
//! 128,000 atoms in local pools of one and two threads; 1,024,000 atoms too when
//! `FE_BENCH_VORONOI_LARGE=1`. Group names: `voronoi/atoms/<atoms>`; throughput in atoms.
//! Volumes and face counts only (as LAMMPS `compute voronoi/atom` returns them).
//!
//! Side-by-side mode for `../shared/tools/peers/side_by_side.py`: with
//! `FE_VORONOI_TIME_FILE=<structure file>` (and optionally `FE_VORONOI_THREADS`,
//! `FE_VORONOI_REPEATS`), the bench binary skips criterion, tessellates that file and prints one
//! JSON line with `us_per_atom(_min)` (wall) and `cpu_us_per_atom_min` (process CPU time), the
//! keys of `lammps_voronoi_time.py`.

mod common;

use std::time::Duration;

use criterion::{BenchmarkId, Criterion, Throughput};
use fe_testkit::timing::PerItemTimes;
use fe_voronoi::{voronoi_atoms, VoronoiOptions};

fn pool(threads: usize) -> rayon::ThreadPool {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .expect("a local rayon pool")
}

const OPTIONS: VoronoiOptions = VoronoiOptions {
    face_area_threshold: 0.0,
    edge_length_threshold: 0.0,
    store_faces: false,
};

fn bench_case(c: &mut Criterion, reps: usize) {
    let s = common::bcc_fe(reps, 1);
    let n = s.len();
    let mut group = c.benchmark_group(format!("voronoi/atoms/{n}"));
    group.throughput(Throughput::Elements(n as u64));
    group.sample_size(10);
    if n > 500_000 {
        group.warm_up_time(Duration::from_secs(1));
        group.measurement_time(Duration::from_secs(30));
    } else {
        group.measurement_time(Duration::from_secs(8));
    }
    for threads in [1, 2] {
        let p = pool(threads);
        group.bench_function(BenchmarkId::new("threads", threads), |b| {
            b.iter(|| p.install(|| voronoi_atoms(&s, &OPTIONS).expect("tessellation")));
        });
    }
    group.finish();
}

/// The side-by-side mode (module documentation).
fn time_file(path: &str) {
    let threads = std::env::var("FE_VORONOI_THREADS")
        .ok()
        .and_then(|t| t.parse().ok())
        .unwrap_or(1);
    let repeats: usize = std::env::var("FE_VORONOI_REPEATS")
        .ok()
        .and_then(|t| t.parse().ok())
        .unwrap_or(3);
    let frames = fe_structure::io::read_path(
        std::path::Path::new(path),
        &fe_structure::io::ReadOptions::default(),
    )
    .expect("structure file");
    let s = &frames[0];
    let n = s.len() as f64;
    let p = pool(threads);
    let (times, v) = PerItemTimes::measure(repeats, n, || p.install(|| voronoi_atoms(s, &OPTIONS)))
        .expect("tessellation");
    let faces: u64 = v.n_faces().iter().map(|&f| u64::from(f)).sum();
    println!(
        "{{\"tool\": \"fe voronoi bench\", \"natoms\": {}, \"threads\": {threads}, {}, \
         \"sum_volumes_A3\": {}, \"box_volume_A3\": {}, \"mean_faces_per_atom\": {}}}",
        s.len(),
        times.json_fields(),
        v.total_volume(),
        s.cell().volume(),
        faces as f64 / n
    );
}

// `criterion_group!` would generate an undocumented public function; this is its expansion.
fn main() {
    if let Ok(path) = std::env::var("FE_VORONOI_TIME_FILE") {
        time_file(&path);
        return;
    }
    let mut c = Criterion::default().configure_from_args();
    bench_case(&mut c, 40);
    if std::env::var("FE_BENCH_VORONOI_LARGE").is_ok_and(|v| v == "1") {
        bench_case(&mut c, 80);
    }
    c.final_summary();
}
