//! Time MEAM energy + forces on a structure file, for side-by-side runs with the peers'
//! LAMMPS tool (`../shared/tools/peers/side_by_side.py` against `lammps_time.py
//! --pair-style meam`): the neighbour list (screening range + 1 A skin) is built once, then
//! the kernel is timed over repeats; the last stdout line is JSON with `us_per_atom(_min)`
//! (wall) and `cpu_us_per_atom_min` (process CPU time, Linux `/proc/self/stat`).
//!
//! Run: `cargo run --release --example meam_time -- STRUCTURE LIBRARY PARAMS|NULL ENTRY
//! [THREADS] [REPEATS] [CALLS]` (CALLS kernel calls per repeat; the figures are per call).

use std::error::Error;
use std::path::Path;

use fe::neighbors::{ListKind, NeighborList};
use fe::potentials::meam::Meam;
use fe::potentials::{BoundAtoms, Potential, Request};
use fe_testkit::timing::PerItemTimes;

fn main() -> Result<(), Box<dyn Error>> {
    let args: Vec<String> = std::env::args().collect();
    if args.len() < 5 {
        return Err(
            "usage: meam_time STRUCTURE LIBRARY PARAMS|NULL ENTRY [THREADS] [REPEATS] [CALLS]"
                .into(),
        );
    }
    let threads: usize = args.get(5).map_or(Ok(1), |t| t.parse())?;
    let repeats: usize = args.get(6).map_or(Ok(3), |t| t.parse())?;
    let calls: usize = args.get(7).map_or(Ok(1), |t| t.parse())?;
    let s = fe::structure::io::read_one(Path::new(&args[1]), &Default::default())?;
    let elements = s.elements();
    let pot = Meam::from_paths(
        Path::new(&args[2]),
        Some(Path::new(&args[3])),
        &[args[4].as_str()],
    )?;
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
    let calls = calls.max(1);
    let (times, energy) = PerItemTimes::measure(repeats, (s.len() * calls) as f64, || {
        let mut energy = 0.0;
        for _ in 0..calls {
            energy = pool.install(|| pot.compute(&atoms, &list, request))?.energy;
        }
        Ok::<_, fe::potentials::PotentialError>(energy)
    })?;
    println!(
        "{{\"tool\": \"fe meam_time\", \"natoms\": {}, \"threads\": {threads}, \"energy\": {energy:.12}, {}}}",
        s.len(),
        times.json_fields()
    );
    Ok(())
}
