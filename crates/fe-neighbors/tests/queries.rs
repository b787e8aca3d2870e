//! Radius queries, close-pair removal and the Verlet skin against brute force.

mod common;

use common::{bcc, random};
use fe_neighbors::{
    remove_close_pairs, ListKind, NeighborError, NeighborList, PointLocator, SkinTracker,
};
use fe_structure::Structure;
use fe_testkit::brute_force_neighbors;
use nalgebra::{Matrix3, Vector3};
use rand::{Rng, SeedableRng};
use rand_pcg::Pcg64;

/// Every (j, shift, distance) with |r_j + S H - p| < r, sorted by (distance, j, shift).
fn brute_within(s: &Structure, p: &Vector3<f64>, r: f64) -> Vec<(usize, [i32; 3], f64)> {
    let cell = s.cell();
    let widths = cell.perpendicular_widths();
    let far = s
        .positions()
        .iter()
        .chain(std::iter::once(p))
        .map(|x| cell.to_fractional(x).amax().abs().ceil() as i32)
        .max()
        .unwrap_or(0);
    let span = [0, 1, 2].map(|a| {
        if cell.pbc()[a] {
            (r / widths[a]).ceil() as i32 + 2 * far + 2
        } else {
            0
        }
    });
    let mut out = Vec::new();
    for (j, rj) in s.positions().iter().enumerate() {
        for n0 in -span[0]..=span[0] {
            for n1 in -span[1]..=span[1] {
                for n2 in -span[2]..=span[2] {
                    let n = Vector3::new(f64::from(n0), f64::from(n1), f64::from(n2));
                    let d = (rj + cell.matrix().tr_mul(&n) - p).norm();
                    if d < r {
                        out.push((j, [n0, n1, n2], d));
                    }
                }
            }
        }
    }
    out.sort_by(|a, b| a.2.total_cmp(&b.2).then(a.0.cmp(&b.0)).then(a.1.cmp(&b.1)));
    out
}

#[test]
fn radius_queries_match_brute_force_for_points_anywhere() {
    let mut rng = Pcg64::seed_from_u64(11);
    let mut total = 0;
    for seed in 0..12_u64 {
        let pbc = [seed % 2 == 0, seed % 3 != 0, true];
        // Every third cell orthogonal (far bins skipped there).
        let tilt = if seed % 3 == 0 { 0.0 } else { 0.7 };
        let (s, what) = random(600 + seed, 15, 2.0, 7.0, tilt, pbc, seed % 4 == 1);
        let locator = PointLocator::new(&s, 6.0).expect("locator");
        for _ in 0..10 {
            let f = Vector3::new(
                rng.gen_range(-2.5..2.5),
                rng.gen_range(-2.5..2.5),
                rng.gen_range(-2.5..2.5),
            );
            let p = s.cell().to_cartesian(&f);
            for r in [1.0, 3.7, 6.0] {
                let hits = locator.within(&p, r).expect("query");
                let expected = brute_within(&s, &p, r);
                let ours: Vec<(usize, [i32; 3])> = hits.iter().map(|h| (h.j, h.shift)).collect();
                let theirs: Vec<(usize, [i32; 3])> = expected.iter().map(|e| (e.0, e.1)).collect();
                assert_eq!(ours, theirs, "{what}: point {p:?}, radius {r}");
                for (h, e) in hits.iter().zip(&expected) {
                    assert!((h.distance - e.2).abs() <= 1e-12);
                    assert!((h.vector.norm() - h.distance).abs() <= 1e-12);
                }
                total += hits.len();
            }
        }
    }
    assert!(
        total > 1000,
        "queries found too little to test anything: {total}"
    );
}

#[test]
fn radius_query_rejects_bad_radii_and_points() {
    let s = bcc(2, 2.855, 0.0, 0.0, 1);
    let locator = PointLocator::new(&s, 4.0).expect("locator");
    let p = Vector3::zeros();
    assert!(matches!(
        locator.within(&p, 4.5),
        Err(NeighborError::RadiusTooLarge { .. })
    ));
    assert!(matches!(
        locator.within(&p, 0.0),
        Err(NeighborError::InvalidRadius { .. })
    ));
    assert!(matches!(
        locator.within(&Vector3::new(f64::NAN, 0.0, 0.0), 1.0),
        Err(NeighborError::NonFinite { .. })
    ));
    assert!(matches!(
        PointLocator::new(&s, f64::INFINITY),
        Err(NeighborError::InvalidRadius { .. })
    ));
    // An atom at the query point is found at distance 0.
    let hits = locator.within(&s.positions()[3], 1.0).expect("query");
    assert_eq!((hits.len(), hits[0].j, hits[0].distance), (1, 3, 0.0));
}

/// The removal rule applied with the brute-force oracle.
fn brute_remove(s: &Structure, d: f64) -> Vec<usize> {
    let rows = brute_force_neighbors(s, d);
    let mut removed = vec![false; s.len()];
    let mut out = Vec::new();
    for (i, row) in rows.iter().enumerate() {
        if row.iter().any(|b| b.j < i && !removed[b.j]) {
            removed[i] = true;
            out.push(i);
        }
    }
    out
}

#[test]
fn remove_close_pairs_follows_the_rule_and_leaves_no_close_pair() {
    let mut removed_total = 0;
    for seed in 0..16_u64 {
        let pbc = [true, seed % 2 == 0, seed % 5 != 0];
        let (s, what) = random(700 + seed, 60, 6.0, 10.0, 0.5, pbc, seed % 3 == 0);
        for d in [1.2, 2.0] {
            let expected = brute_remove(&s, d);
            let mut t = s.clone();
            let removed = remove_close_pairs(&mut t, d).expect("removal");
            assert_eq!(removed, expected, "{what}, d {d}");
            assert_eq!(t.len(), s.len() - removed.len());
            assert!(
                brute_force_neighbors(&t, d).iter().all(Vec::is_empty),
                "{what}: close pair left"
            );
            // The kept atoms are the original ones, in order.
            let kept: Vec<usize> = (0..s.len()).filter(|i| !removed.contains(i)).collect();
            for (k, &i) in kept.iter().enumerate() {
                assert_eq!(t.positions()[k], s.positions()[i]);
            }
            removed_total += removed.len();
        }
    }
    assert!(
        removed_total > 50,
        "too few removals to test the rule: {removed_total}"
    );
}

#[test]
fn remove_close_pairs_refuses_a_cell_smaller_than_the_distance() {
    let (mut s, _) = random(5, 3, 1.5, 1.8, 0.0, [true; 3], false);
    let before = s.clone();
    assert!(matches!(
        remove_close_pairs(&mut s, 2.0),
        Err(NeighborError::SelfImageTooClose { .. })
    ));
    assert_eq!(s, before, "structure changed on error");
    assert!(matches!(
        remove_close_pairs(&mut s, -1.0),
        Err(NeighborError::InvalidRadius { .. })
    ));
}

/// Every row of the skin list `list`, filtered by `cutoff` at the current positions and cell,
/// equals the row of a fresh list of the same kind built at `cutoff`.
fn assert_skin_list_is_fresh(list: &NeighborList, s: &Structure, cutoff: f64, moves: usize) {
    let fresh = NeighborList::new(s, cutoff, list.kind()).expect("fresh");
    for i in 0..s.len() {
        let kept: Vec<(u32, [i8; 3])> = list
            .row(i)
            .filter(|&k| list.displacement(s.cell(), s.positions(), i, k).norm() < cutoff)
            .map(|k| (list.neighbors()[k], list.shifts()[k]))
            .collect();
        let want: Vec<(u32, [i8; 3])> = fresh
            .neighbors_of(i)
            .iter()
            .copied()
            .zip(fresh.shifts_of(i).iter().copied())
            .collect();
        assert_eq!(kept, want, "row {i} after {moves} moves");
    }
}

#[test]
fn skin_list_survives_small_cell_changes_and_equals_a_fresh_list_until_rebuild_is_asked() {
    let (cutoff, skin) = (5.3, 1.0);
    let mut s = bcc(4, 2.855, 0.05, 0.2, 3);
    let mut tracker = SkinTracker::new(skin).expect("skin");
    let list = tracker.build(&s, cutoff, ListKind::Full).expect("build");
    let mut rng = Pcg64::seed_from_u64(5);
    let mut moves = 0;
    loop {
        // A random small strain of the cell (atoms follow it) plus small random moves.
        let mut eps = Matrix3::zeros();
        for e in eps.iter_mut() {
            *e = rng.gen_range(-0.002..0.002);
        }
        let f = Matrix3::identity() + eps;
        let mut trial = s.clone();
        trial.deform(&f).expect("deform");
        for r in trial.positions_mut() {
            *r += Vector3::new(
                rng.gen_range(-0.02..0.02),
                rng.gen_range(-0.02..0.02),
                rng.gen_range(-0.02..0.02),
            );
        }
        if tracker.needs_rebuild(trial.positions(), trial.cell()) {
            break;
        }
        s = trial;
        moves += 1;
        assert_skin_list_is_fresh(&list, &s, cutoff, moves);
    }
    assert!(moves >= 3, "the skin allowed only {moves} cell changes");
    // A list given by `record` (build radius unknown) is rebuilt on any cell change.
    tracker.record(s.positions(), s.cell());
    let mut t = s.clone();
    t.deform(&(Matrix3::identity() * 1.0001)).expect("deform");
    assert!(tracker.needs_rebuild(t.positions(), t.cell()));
}

#[test]
fn skin_list_filtered_by_cutoff_equals_a_fresh_list_until_rebuild_is_asked() {
    let (cutoff, skin) = (5.3, 0.6);
    let mut s = bcc(4, 2.855, 0.05, 0.2, 3);
    let mut tracker = SkinTracker::new(skin).expect("skin");
    assert!(tracker.needs_rebuild(s.positions(), s.cell()));
    let list = tracker.build(&s, cutoff, ListKind::Half).expect("build");
    assert!((list.cutoff() - (cutoff + skin)).abs() < 1e-15);
    let mut rng = Pcg64::seed_from_u64(4);
    let mut moves = 0;
    loop {
        // Random moves of at most 0.05 A per component per step.
        let mut trial = s.clone();
        for r in trial.positions_mut() {
            *r += Vector3::new(
                rng.gen_range(-0.05..0.05),
                rng.gen_range(-0.05..0.05),
                rng.gen_range(-0.05..0.05),
            );
        }
        if tracker.needs_rebuild(trial.positions(), trial.cell()) {
            break;
        }
        s = trial;
        moves += 1;
        assert_skin_list_is_fresh(&list, &s, cutoff, moves);
    }
    assert!(moves >= 2, "the skin allowed only {moves} moves");
    // Cell change and atom count change ask for a rebuild too.
    tracker.record(s.positions(), s.cell());
    assert!(!tracker.needs_rebuild(s.positions(), s.cell()));
    let other = s.cell().with_pbc([true, true, false]);
    assert!(tracker.needs_rebuild(s.positions(), &other));
    assert!(tracker.needs_rebuild(&s.positions()[1..], s.cell()));
    assert!(SkinTracker::new(-0.1).is_err());
}
