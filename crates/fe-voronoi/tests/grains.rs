//! Grain tessellation: volumes tile the box, facets agree from both sides and with each
//! grain's surface, random points lie in the cell of their nearest seed, triple junctions are
//! equidistant from their three seeds, on cubic and triclinic boxes.

#![allow(clippy::unwrap_used)] // test helpers outside #[test] functions

use fe_structure::Cell;
use fe_voronoi::GrainTessellation;
use nalgebra::{Matrix3, Vector3};
use rand::{Rng, SeedableRng};
use rand_pcg::Pcg64;

fn cubic(l: f64) -> Cell {
    Cell::cubic(l).unwrap()
}

/// A strongly sheared triclinic cell.
fn triclinic() -> Cell {
    Cell::new(
        Matrix3::new(40.0, 0.0, 0.0, 13.0, 35.0, 0.0, -9.0, 11.0, 30.0),
        [true; 3],
    )
    .unwrap()
}

/// A left-handed cell with rows in no particular form.
fn general() -> Cell {
    Cell::new(
        Matrix3::new(2.0, 31.0, 3.0, 29.0, -1.0, 4.0, 5.0, 7.0, 26.0),
        [true; 3],
    )
    .unwrap()
}

fn random_seeds(cell: &Cell, n: usize, seed: u64) -> Vec<Vector3<f64>> {
    let mut rng = Pcg64::seed_from_u64(seed);
    (0..n)
        .map(|_| {
            // Some seeds outside the cell: the tessellation wraps them.
            let s = Vector3::new(rng.gen_range(-1.0..2.0), rng.gen::<f64>(), rng.gen::<f64>());
            cell.to_cartesian(&s)
        })
        .collect()
}

/// Every (seed grain, image vector) within a generous range of `x`: the nearest one by
/// brute force over a block of images.
fn nearest_image(cell: &Cell, seeds: &[Vector3<f64>], x: &Vector3<f64>) -> (usize, Vector3<f64>) {
    let mut best = (usize::MAX, Vector3::zeros(), f64::INFINITY);
    for (g, p) in seeds.iter().enumerate() {
        for i in -3..=3 {
            for j in -3..=3 {
                for k in -3..=3 {
                    let q = p + cell.to_cartesian(&Vector3::new(
                        f64::from(i),
                        f64::from(j),
                        f64::from(k),
                    ));
                    let d = (q - x).norm();
                    if d < best.2 {
                        best = (g, q, d);
                    }
                }
            }
        }
    }
    (best.0, best.1)
}

fn cases() -> Vec<(String, Cell, Vec<Vector3<f64>>)> {
    let mut out = Vec::new();
    for (name, cell) in [
        ("cubic", cubic(57.1)),
        ("triclinic", triclinic()),
        ("general", general()),
    ] {
        for (n, seed) in [(1, 1), (2, 2), (3, 3), (8, 4), (8, 5), (20, 6)] {
            out.push((
                format!("{name}, {n} seeds, rng {seed}"),
                cell.clone(),
                random_seeds(&cell, n, seed),
            ));
        }
    }
    out
}

#[test]
fn grain_volumes_sum_to_the_box_volume() {
    for (name, cell, seeds) in cases() {
        let t = GrainTessellation::new(&cell, &seeds).unwrap();
        let total: f64 = t.grains().iter().map(|g| g.volume).sum();
        let rel = (total - cell.volume()).abs() / cell.volume();
        assert!(
            rel < 1e-9,
            "{name}: volumes sum to {total}, box {}",
            cell.volume()
        );
        assert!(t.grains().iter().all(|g| g.volume > 0.0), "{name}");
    }
}

#[test]
fn facet_areas_summed_per_grain_equal_its_surface_area() {
    for (name, cell, seeds) in cases() {
        let t = GrainTessellation::new(&cell, &seeds).unwrap();
        let mut per_grain = vec![0.0; t.len()];
        for f in t.facets() {
            per_grain[f.grains[0]] += f.area;
            per_grain[f.grains[1]] += f.area;
            assert_eq!(f.self_image, f.grains[0] == f.grains[1]);
            assert!(f.grains[0] <= f.grains[1]);
            assert!((f.normal.norm() - 1.0).abs() < 1e-12);
        }
        for (g, gc) in t.grains().iter().enumerate() {
            let rel = (per_grain[g] - gc.surface_area).abs() / gc.surface_area;
            assert!(
                rel < 1e-9,
                "{name}: grain {g}: facets {} vs surface {}",
                per_grain[g],
                gc.surface_area
            );
        }
        let faces: usize = t.grains().iter().map(|g| g.faces.len()).sum();
        assert_eq!(
            faces,
            2 * t.facets().len(),
            "{name}: every facet is two faces"
        );
    }
}

#[test]
fn each_facet_is_a_face_of_both_grains_with_equal_area_and_opposite_normal() {
    for (name, cell, seeds) in cases() {
        let t = GrainTessellation::new(&cell, &seeds).unwrap();
        for f in t.facets() {
            let [g, h] = f.grains;
            let back = [-f.shift[0], -f.shift[1], -f.shift[2]];
            let twin = t.grains()[h]
                .faces
                .iter()
                .find(|x| x.neighbor == g && x.shift == back)
                .unwrap_or_else(|| panic!("{name}: facet {g}-{h} {:?} has no twin", f.shift));
            assert!((twin.area - f.area).abs() <= 1e-9 * f.area, "{name}");
            assert!((twin.normal + f.normal).norm() < 1e-9, "{name}");
            // The twin's centroid is the same point seen from grain h's frame.
            let s = Vector3::new(
                f64::from(f.shift[0]),
                f64::from(f.shift[1]),
                f64::from(f.shift[2]),
            );
            let moved = twin.centroid + cell.to_cartesian(&s);
            assert!((moved - f.centroid).norm() < 1e-7, "{name}");
            // The facet lies on the bisector of the two seed images.
            let q = seeds_wrapped(&t)[h] + cell.to_cartesian(&s);
            let p = seeds_wrapped(&t)[g];
            for v in &f.polygon {
                assert!(((v - p).norm() - (v - q).norm()).abs() < 1e-7, "{name}");
            }
        }
    }
}

fn seeds_wrapped(t: &GrainTessellation) -> Vec<Vector3<f64>> {
    t.seeds()
}

#[test]
fn random_points_lie_in_the_cell_of_their_nearest_seed() {
    let mut rng = Pcg64::seed_from_u64(99);
    for (name, cell, seeds) in cases() {
        let t = GrainTessellation::new(&cell, &seeds).unwrap();
        let wrapped = t.seeds();
        for _ in 0..300 {
            let s = Vector3::new(rng.gen::<f64>(), rng.gen::<f64>(), rng.gen::<f64>());
            let x = cell.to_cartesian(&s);
            let (g, q) = nearest_image(&cell, &wrapped, &x);
            // x seen from grain g's own (unwrapped) frame.
            let y = x - q + wrapped[g];
            let gc = &t.grains()[g];
            for f in &gc.faces {
                let offset = f.normal.dot(&f.polygon[0]);
                assert!(
                    f.normal.dot(&y) <= offset + 1e-9,
                    "{name}: point {x:?} nearest to grain {g} lies outside its cell"
                );
            }
        }
    }
}

#[test]
fn triple_junction_ends_are_equidistant_from_three_seeds_and_no_other_is_closer() {
    for (name, cell, seeds) in cases() {
        let t = GrainTessellation::new(&cell, &seeds).unwrap();
        let wrapped = t.seeds();
        if t.len() > 1 {
            assert!(!t.junctions().is_empty(), "{name}");
        }
        for j in t.junctions() {
            assert_eq!(j.shifts[0], [0, 0, 0]);
            assert!((j.length - (j.ends[1] - j.ends[0]).norm()).abs() < 1e-9);
            for end in j.ends.iter().chain([(j.ends[0] + j.ends[1]) / 2.0].iter()) {
                let d: Vec<f64> = (0..3)
                    .map(|k| {
                        let s = j.shifts[k].map(f64::from);
                        let q = wrapped[j.grains[k]]
                            + cell.to_cartesian(&Vector3::new(s[0], s[1], s[2]));
                        (q - end).norm()
                    })
                    .collect();
                assert!(
                    (d[0] - d[1]).abs() < 1e-7 && (d[0] - d[2]).abs() < 1e-7,
                    "{name}"
                );
                let (_, nearest) = nearest_image(&cell, &wrapped, end);
                assert!((nearest - end).norm() > d[0] - 1e-7, "{name}");
            }
        }
    }
}

#[test]
fn one_seed_in_a_cube_is_the_cube_with_three_self_image_facets() {
    let l = 12.5;
    let t = GrainTessellation::new(&cubic(l), &[Vector3::new(3.0, -4.0, 20.0)]).unwrap();
    let g = &t.grains()[0];
    assert!((g.volume - l.powi(3)).abs() < 1e-9 * l.powi(3));
    assert!((g.surface_area - 6.0 * l * l).abs() < 1e-9 * l * l);
    assert_eq!(g.faces.len(), 6);
    assert_eq!(t.facets().len(), 3);
    for f in t.facets() {
        assert!(f.self_image);
        assert!((f.area - l * l).abs() < 1e-9 * l * l);
    }
    // Four images of the grain meet along every cube edge (a degenerate junction): each of
    // the 12 edges of the cell is listed once, for the triple of images its two faces give.
    assert_eq!(t.junctions().len(), 12);
    assert!(t
        .junctions()
        .iter()
        .all(|j| (j.length - l).abs() < 1e-9 * l));
}

#[test]
fn coincident_seeds_are_an_error() {
    let p = Vector3::new(1.0, 2.0, 3.0);
    let cell = cubic(10.0);
    assert!(GrainTessellation::new(&cell, &[p, p]).is_err());
    // The same point through a periodic image.
    assert!(GrainTessellation::new(&cell, &[p, p + Vector3::new(10.0, 0.0, -10.0)]).is_err());
    assert!(GrainTessellation::new(&cell, &[]).is_err());
    assert!(GrainTessellation::new(&cell, &[Vector3::new(f64::NAN, 0.0, 0.0)]).is_err());
}

#[test]
fn tessellation_is_identical_in_pools_of_one_two_and_three_threads() {
    let cell = triclinic();
    let seeds = random_seeds(&cell, 12, 8);
    let runs: Vec<GrainTessellation> = [1, 2, 3]
        .iter()
        .map(|&n| {
            rayon::ThreadPoolBuilder::new()
                .num_threads(n)
                .build()
                .unwrap()
                .install(|| GrainTessellation::new(&cell, &seeds).unwrap())
        })
        .collect();
    assert_eq!(runs[0], runs[1]);
    assert_eq!(runs[0], runs[2]);
}

#[test]
fn nearly_coincident_seeds_give_thin_cells_that_still_tile_the_box() {
    let cell = triclinic();
    let mut seeds = random_seeds(&cell, 6, 21);
    // Distinct but 1e-3 A apart: a correct, very thin pair of cells (the polycrystal builder
    // rejects seeds closer than its minimum seed distance, 1 A by default).
    seeds.push(seeds[2] + Vector3::new(1e-3, 0.0, 0.0));
    let t = GrainTessellation::new(&cell, &seeds).unwrap();
    let total: f64 = t.grains().iter().map(|g| g.volume).sum();
    assert!((total - cell.volume()).abs() < 1e-9 * cell.volume());
    let shared = t
        .facets()
        .iter()
        .find(|f| f.grains == [2, 6] && f.shift == [0, 0, 0])
        .unwrap();
    assert!((shared.normal.x.abs() - 1.0).abs() < 1e-9);
}
