//! Thread-count independence, error cases and memory of the neighbour list.

mod common;

use common::{bcc, random};
use fe_neighbors::{remove_close_pairs, ListKind, NeighborError, NeighborList};
use fe_structure::{Cell, Element, Structure};
use nalgebra::Vector3;

fn in_pool<T: Send>(threads: usize, f: impl FnOnce() -> T + Send) -> T {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .expect("thread pool")
        .install(f)
}

#[test]
fn lists_are_bit_identical_for_one_two_and_three_threads() {
    // 3456 atoms: four build chunks.
    let s = bcc(12, 2.855, 0.08, 0.15, 21);
    for kind in [ListKind::Full, ListKind::Half] {
        let one = in_pool(1, || NeighborList::new(&s, 5.3, kind).expect("list"));
        assert!(one.n_entries() > 50 * s.len() / if kind == ListKind::Half { 2 } else { 1 });
        for threads in [2, 3] {
            let other = in_pool(threads, || NeighborList::new(&s, 5.3, kind).expect("list"));
            assert_eq!(one, other, "{kind:?} list differs with {threads} threads");
        }
    }
}

#[test]
fn lists_spanning_several_build_waves_are_thread_independent() {
    // 35,152 atoms: 35 chunks of 1024, more than one wave of 32 chunks.
    let s = bcc(26, 2.855, 0.02, 0.0, 23);
    let one = in_pool(1, || {
        NeighborList::new(&s, 2.65, ListKind::Full).expect("list")
    });
    // First neighbours within 2.472 +- 0.07 A, second ones beyond 2.78 A: 8 per atom at 2.65 A.
    assert!(one.counts().iter().all(|&c| c == 8));
    let two = in_pool(2, || {
        NeighborList::new(&s, 2.65, ListKind::Full).expect("list")
    });
    assert_eq!(one, two);
    let m = one.memory();
    assert_eq!(m.allocated_entry_bytes, m.entry_bytes, "{m:?}");
}

#[test]
fn close_pair_removal_is_the_same_for_one_two_and_three_threads() {
    // 3456 atoms with many pairs closer than 2.3 A: four search chunks.
    let s = bcc(12, 2.855, 0.25, 0.0, 22);
    let run = |threads| {
        in_pool(threads, || {
            let mut t = s.clone();
            let removed = remove_close_pairs(&mut t, 2.3).expect("removal");
            (removed, t)
        })
    };
    let one = run(1);
    assert!(one.0.len() > 20, "only {} atoms removed", one.0.len());
    for threads in [2, 3] {
        assert_eq!(run(threads), one, "removal differs with {threads} threads");
    }
}

#[test]
fn memory_is_exactly_the_entries() {
    let s = bcc(8, 2.855, 0.05, 0.0, 5);
    let list = NeighborList::new(&s, 6.5, ListKind::Full).expect("list");
    let m = list.memory();
    assert_eq!(m.entries, list.n_entries());
    assert_eq!(m.entry_bytes, 7 * m.entries);
    assert!(m.allocated_entry_bytes * 2 <= 3 * m.entry_bytes, "{m:?}");
    assert_eq!(list.counts().iter().sum::<usize>(), m.entries);
}

#[test]
fn empty_structure_gives_an_empty_list() {
    let s = Structure::empty(Cell::cubic(3.0).expect("cell"));
    let list = NeighborList::new(&s, 5.0, ListKind::Full).expect("list");
    assert_eq!(
        (list.n_atoms(), list.n_entries(), list.offsets()),
        (0, 0, &[0_usize][..])
    );
    assert!(list.is_empty());
}

#[test]
fn bad_cutoffs_are_errors() {
    let (s, _) = random(1, 5, 3.0, 4.0, 0.2, [true; 3], false);
    for c in [0.0, -1.0, f64::NAN, f64::INFINITY] {
        let e = NeighborList::new(&s, c, ListKind::Full);
        assert!(
            matches!(e, Err(NeighborError::InvalidRadius { .. })),
            "cutoff {c}: {e:?}"
        );
    }
}

#[test]
fn shifts_beyond_i8_are_errors_not_panics() {
    // A cutoff of 130 lattice vectors.
    let s = Structure::new(
        Cell::cubic(1.0).expect("cell"),
        vec![Element::FE],
        vec![Vector3::zeros()],
    )
    .expect("structure");
    let e = NeighborList::new(&s, 130.0, ListKind::Full);
    assert!(
        matches!(e, Err(NeighborError::ShiftOverflow { .. })),
        "{e:?}"
    );
    // Two atoms 0.5 A apart through an image 200 cells away.
    let s = Structure::new(
        Cell::cubic(5.0).expect("cell"),
        vec![Element::FE; 2],
        vec![Vector3::zeros(), Vector3::new(1000.5, 0.0, 0.0)],
    )
    .expect("structure");
    let e = NeighborList::new(&s, 2.0, ListKind::Half);
    match e {
        Err(NeighborError::ShiftOverflow { i, j, shift, .. }) => {
            assert_eq!((i, j, shift), (0, 1, [-200, 0, 0]));
        }
        other => panic!("expected a shift overflow, got {other:?}"),
    }
    // The same pair far apart along an open axis is simply no neighbour.
    let open = Structure::new(
        Cell::new(
            *Cell::cubic(5.0).expect("cell").matrix(),
            [false, true, true],
        )
        .expect("cell"),
        s.species().to_vec(),
        s.positions().to_vec(),
    )
    .expect("structure");
    assert!(NeighborList::new(&open, 2.0, ListKind::Full)
        .expect("list")
        .is_empty());
}

#[test]
fn far_away_atoms_keep_small_shifts_between_each_other() {
    // Every atom 100 cells out: shifts between them stay small and match the unshifted list.
    let s = bcc(3, 2.855, 0.05, 0.1, 9);
    let mut t = s.clone();
    let far = s.cell().to_cartesian(&Vector3::new(100.0, -100.0, 50.0));
    t.translate(&far);
    let a = NeighborList::new(&s, 6.0, ListKind::Full).expect("list");
    let b = NeighborList::new(&t, 6.0, ListKind::Full).expect("list");
    assert_eq!(a.neighbors(), b.neighbors());
    assert_eq!(a.shifts(), b.shifts());
}
