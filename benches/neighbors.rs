//! Neighbour-list build time on rattled bcc Fe: 16,000, 128,000 and 1,024,000 atoms at
//! cutoffs 5.3 and 6.5 A, full lists, in local pools of one and two threads (plus a half list at
//! 16,000 atoms). Group names: `neighbors/<kind>/<cutoff>/<atoms>`; throughput in atoms.

mod common;

use std::time::Duration;

use criterion::{BenchmarkId, Criterion, Throughput};
use fe_neighbors::{ListKind, NeighborList};

fn pool(threads: usize) -> rayon::ThreadPool {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .expect("a local rayon pool")
}

fn bench_case(c: &mut Criterion, reps: usize, cutoff: f64, kind: ListKind) {
    let s = common::bcc_fe(reps, 1);
    let n = s.len();
    let name = match kind {
        ListKind::Full => "full",
        ListKind::Half => "half",
    };
    let mut group = c.benchmark_group(format!("neighbors/{name}/{cutoff}/{n}"));
    group.throughput(Throughput::Elements(n as u64));
    if n > 500_000 {
        group.sample_size(10);
        group.warm_up_time(Duration::from_secs(1));
        group.measurement_time(Duration::from_secs(15));
    } else if n > 50_000 {
        group.sample_size(10);
        group.measurement_time(Duration::from_secs(5));
    }
    for threads in [1, 2] {
        let p = pool(threads);
        group.bench_function(BenchmarkId::new("threads", threads), |b| {
            b.iter(|| p.install(|| NeighborList::new(&s, cutoff, kind).expect("neighbour list")));
        });
    }
    group.finish();
}

fn neighbors(c: &mut Criterion) {
    for reps in [20, 40, 80] {
        for cutoff in [5.3, 6.5] {
            bench_case(c, reps, cutoff, ListKind::Full);
        }
    }
    bench_case(c, 20, 5.3, ListKind::Half);
}

// `criterion_group!` would generate an undocumented public function; this is its expansion.
fn main() {
    let mut c = Criterion::default().configure_from_args();
    neighbors(&mut c);
    c.final_summary();
}
