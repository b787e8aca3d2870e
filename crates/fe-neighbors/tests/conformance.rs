//! Neighbour counts against `../shared/reference/neighbors/*.json` (matscipy full lists,
//! re-derived there by brute-force enumeration): `per_atom_counts` and `unique_pairs` exact.

use fe_neighbors::{ListKind, NeighborList};
use fe_structure::io::{read_path, ReadOptions};
use fe_testkit::{shared_dir, shared_json};

#[test]
#[ignore = "needs ../shared reference data"]
fn neighbor_counts_match_the_shared_reference_exactly() {
    let dir = shared_dir().join("reference/neighbors");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("reference/neighbors folder")
        .map(|e| e.expect("directory entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no reference files in {}", dir.display());
    let mut checked = 0;
    for file in files {
        let name = file
            .file_name()
            .and_then(|n| n.to_str())
            .expect("file name");
        let data = shared_json(&format!("reference/neighbors/{name}"));
        let structure_path = shared_dir()
            .join("reference")
            .join(data["structure"].as_str().expect("structure path"));
        let frames = read_path(&structure_path, &ReadOptions::default()).expect("structure file");
        let s = &frames[0];
        assert_eq!(
            s.len() as u64,
            data["natoms"].as_u64().expect("natoms"),
            "{name}"
        );
        let results = data["results"].as_object().expect("results");
        for (key, r) in results {
            let cutoff = r["cutoff"].as_f64().expect("cutoff");
            let full = NeighborList::new(s, cutoff, ListKind::Full).expect("full list");
            let half = NeighborList::new(s, cutoff, ListKind::Half).expect("half list");
            let expected: Vec<usize> = r["per_atom_counts"]
                .as_array()
                .expect("per_atom_counts")
                .iter()
                .map(|c| c.as_u64().expect("count") as usize)
                .collect();
            let counts = full.counts();
            let worst = counts
                .iter()
                .zip(&expected)
                .enumerate()
                .find(|(_, (a, b))| a != b);
            assert!(
                worst.is_none(),
                "{name} at {key} A: first differing atom {worst:?}"
            );
            let pairs = r["unique_pairs"].as_u64().expect("unique_pairs") as usize;
            assert_eq!(half.n_entries(), pairs, "{name} at {key} A: unique pairs");
            assert_eq!(
                full.n_entries(),
                2 * pairs,
                "{name} at {key} A: full entries"
            );
            let self_pairs = (0..s.len())
                .map(|i| {
                    half.neighbors_of(i)
                        .iter()
                        .filter(|&&j| j as usize == i)
                        .count()
                })
                .sum::<usize>();
            assert_eq!(
                self_pairs as u64,
                r["self_image_pairs"].as_u64().expect("self_image_pairs"),
                "{name} at {key} A: self-image pairs"
            );
            checked += 1;
        }
    }
    assert!(
        checked >= 15,
        "only {checked} (structure, cutoff) cases checked"
    );
}
