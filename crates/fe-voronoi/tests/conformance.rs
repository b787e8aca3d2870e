//! Per-atom Voronoi volumes and face counts against `../shared/reference/voronoi/*.json`
//! (LAMMPS `compute voronoi/atom`, voro++): every volume within 1e-8 relative, face counts
//! identical where the reference cell's smallest face is at least 1e-3 A^2.

use fe_structure::io::{read_path, ReadOptions};
use fe_testkit::{shared_dir, shared_json};
use fe_voronoi::{voronoi_atoms, VoronoiOptions};

#[test]
#[ignore = "needs ../shared reference data"]
fn volumes_and_face_counts_match_the_shared_reference() {
    let dir = shared_dir().join("reference/voronoi");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("reference/voronoi folder")
        .map(|e| e.expect("directory entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no reference files in {}", dir.display());
    for file in &files {
        let name = file
            .file_name()
            .and_then(|n| n.to_str())
            .expect("file name");
        let data = shared_json(&format!("reference/voronoi/{name}"));
        let structure_path = dir
            .parent()
            .expect("reference folder")
            .join(data["structure"].as_str().expect("structure path"));
        let frames = read_path(&structure_path, &ReadOptions::default()).expect("structure file");
        let s = &frames[0];
        let n = data["natoms"].as_u64().expect("natoms") as usize;
        assert_eq!(s.len(), n, "{name}");
        let floats = |key: &str| -> Vec<f64> {
            data[key]
                .as_array()
                .expect(key)
                .iter()
                .map(|v| v.as_f64().expect("number"))
                .collect()
        };
        let volume = floats("volume");
        let min_area = floats("min_face_area");
        let n_faces: Vec<u32> = floats("n_faces").iter().map(|&x| x as u32).collect();
        let v = voronoi_atoms(s, &VoronoiOptions::default()).expect("tessellation");
        let mut worst = 0.0f64;
        let mut compared = 0;
        for i in 0..n {
            let rel = (v.volumes()[i] - volume[i]).abs() / volume[i];
            worst = worst.max(rel);
            assert!(
                rel < 1e-8,
                "{name} atom {i}: volume {} vs {}",
                v.volumes()[i],
                volume[i]
            );
            if min_area[i] >= 1e-3 {
                compared += 1;
                assert_eq!(
                    v.n_faces()[i],
                    n_faces[i],
                    "{name} atom {i}: face count (reference smallest face {} A^2, ours {})",
                    min_area[i],
                    v.min_face_area()[i]
                );
            }
        }
        let box_volume = s.cell().volume();
        let sum_rel = (v.total_volume() - box_volume).abs() / box_volume;
        assert!(
            sum_rel < 1e-9,
            "{name}: volumes sum {} vs box {box_volume}",
            v.total_volume()
        );
        eprintln!(
            "{name}: {n} atoms, worst volume error {worst:.2e} relative, {compared} face counts \
             compared, sum error {sum_rel:.2e}"
        );
    }
}
