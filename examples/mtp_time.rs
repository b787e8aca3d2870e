//! Time MTP energy + forces on a structure file, for side-by-side runs with the peers' motep
//! tool (`../shared/tools/peers/side_by_side.py`): the neighbour list is built once, then the
//! kernel is timed over repeats; the last stdout line is JSON with `us_per_atom(_min)` (wall)
//! and `cpu_us_per_atom_min` (process CPU time, Linux `/proc/self/stat`).
//!
//! Run: `cargo run --release --example mtp_time -- STRUCTURE POTENTIAL.mtp [THREADS] [REPEATS]`.

use std::error::Error;
use std::path::Path;
use std::time::Instant;

use fe::neighbors::{ListKind, NeighborList};
use fe::potentials::mtp::Mtp;
use fe::potentials::{BoundAtoms, Potential, Request};

/// Process CPU seconds (user + system) from `/proc/self/stat`, assuming 100 ticks/s.
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let after = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let f: Vec<f64> = after
        .split_whitespace()
        .map(|x| x.parse().unwrap_or(0.0))
        .collect();
    // fields 14 and 15 of the line are 12 and 13 after the command name
    (f.get(11).copied().unwrap_or(0.0) + f.get(12).copied().unwrap_or(0.0)) / 100.0
}

fn main() -> Result<(), Box<dyn Error>> {
    let args: Vec<String> = std::env::args().collect();
    if args.len() < 3 {
        return Err("usage: mtp_time STRUCTURE POTENTIAL.mtp [THREADS] [REPEATS]".into());
    }
    let threads: usize = args.get(3).map_or(Ok(1), |t| t.parse())?;
    let repeats: usize = args.get(4).map_or(Ok(3), |t| t.parse())?;
    let s = fe::structure::io::read_one(Path::new(&args[1]), &Default::default())?;
    let elements = s.elements();
    let pot = Mtp::from_path(Path::new(&args[2]), &elements)?;
    let binding = pot.bind(&elements)?;
    let atoms = BoundAtoms::new(&s, &binding)?;
    let list = NeighborList::new(&s, pot.cutoff() + 1.0, ListKind::Full)?;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()?;
    let request = Request {
        forces: true,
        ..Request::ENERGY
    };
    let n = s.len() as f64;
    let mut wall = Vec::new();
    let mut cpu = Vec::new();
    let mut energy = 0.0;
    pool.install(|| pot.compute(&atoms, &list, request))?;
    for _ in 0..repeats {
        let (t0, c0) = (Instant::now(), cpu_seconds());
        energy = pool.install(|| pot.compute(&atoms, &list, request))?.energy;
        wall.push(t0.elapsed().as_secs_f64() * 1e6 / n);
        cpu.push((cpu_seconds() - c0) * 1e6 / n);
    }
    let min = |v: &[f64]| v.iter().copied().fold(f64::INFINITY, f64::min);
    let mut sorted = wall.clone();
    sorted.sort_by(f64::total_cmp);
    println!(
        "{{\"tool\": \"fe mtp_time\", \"natoms\": {}, \"threads\": {threads}, \"instruction_set\": \"{}\", \"energy\": {energy}, \"us_per_atom\": {}, \"us_per_atom_min\": {}, \"cpu_us_per_atom_min\": {}}}",
        s.len(),
        pot.instruction_set(),
        sorted[sorted.len() / 2],
        min(&wall),
        min(&cpu)
    );
    Ok(())
}
