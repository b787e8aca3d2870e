//! Neighbour lists: build a full list of a sheared triclinic bcc Fe crystal, walk the neighbours
//! of one atom with their displacement vectors, and reuse a list built with a Verlet skin while
//! atoms move.
//!
//! Run: `cargo run --release --example neighbor_list` (well under a second). Expected output:
//! atom 0's 8 first neighbours (2.36-2.60 A in the sheared cell) with their image shifts, and
//! that the list is rebuilt only after some atom has moved more than half the skin.

use std::error::Error;

use fe::neighbors::{ListKind, NeighborList, SkinTracker};
use fe::structure::build::{bcc, rattle};
use fe::structure::Element;
use nalgebra::Matrix3;

fn main() -> Result<(), Box<dyn Error>> {
    let mut s = bcc(Element::FE, 2.855)?.replicate(6, 6, 6)?;
    // Shear the cell (and atoms) so the list works in a triclinic frame.
    s.deform(&Matrix3::new(1.0, 0.15, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 1.0))?;

    let list = NeighborList::new(&s, 2.7, ListKind::Full)?;
    println!("atom 0 has {} neighbours within 2.7 A:", list.row(0).len());
    for k in list.row(0) {
        let d = list.displacement(s.cell(), s.positions(), 0, k);
        println!(
            "  atom {:4} image {:?}  |d| = {:.4} A",
            list.neighbors()[k],
            list.shifts()[k],
            d.norm()
        );
    }

    // A list at cutoff + skin stays valid until some atom moves more than skin / 2.
    let (cutoff, skin) = (5.3, 1.0);
    let mut tracker = SkinTracker::new(skin)?;
    let _list = tracker.build(&s, cutoff, ListKind::Full)?;
    for step in 1..=10 {
        rattle(&mut s, 0.05, step)?;
        let rebuild = tracker.needs_rebuild(s.positions(), s.cell());
        println!("step {step}: rebuild needed = {rebuild}");
        if rebuild {
            let _list = tracker.build(&s, cutoff, ListKind::Full)?;
        }
    }
    Ok(())
}
