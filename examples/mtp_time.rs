//! Time MTP energy + forces on a structure file, for side-by-side runs with the peers' motep
//! tool (`../shared/tools/peers/side_by_side.py`): the neighbour list is built once, then the
//! kernel is timed over repeats; the last stdout line is JSON with `us_per_atom(_min)` (wall)
//! and `cpu_us_per_atom_min` (process CPU time, Linux `/proc/self/stat`).
//!
//! Run: `cargo run --release --example mtp_time -- STRUCTURE POTENTIAL.mtp [THREADS] [REPEATS]`.

use std::error::Error;
use std::path::Path;

use fe::neighbors::{ListKind, NeighborList};
use fe::potentials::mtp::Mtp;
use fe::potentials::{BoundAtoms, Potential, Request};
use fe_testkit::timing::PerItemTimes;

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
    pool.install(|| pot.compute(&atoms, &list, request))?;
    let (times, r) = PerItemTimes::measure(repeats, s.len() as f64, || {
        pool.install(|| pot.compute(&atoms, &list, request))
    })?;
    println!(
        "{{\"tool\": \"fe mtp_time\", \"natoms\": {}, \"threads\": {threads}, \"instruction_set\": \"{}\", \"energy\": {}, {}}}",
        s.len(),
        pot.instruction_set(),
        r.energy,
        times.json_fields()
    );
    Ok(())
}
