use nalgebra::Vector3;

use super::open_cell::complete_cell;
use super::read::split_feature;

#[test]
fn split_feature_keeps_value_verbatim_after_one_tab() {
    assert_eq!(
        split_feature(" Feature   EFS_by\tVASP\r"),
        Some(("EFS_by", "VASP\r"))
    );
    assert_eq!(
        split_feature(" Feature   k\t a  b \t"),
        Some(("k", " a  b \t"))
    );
    assert_eq!(split_feature(" Feature   k"), Some(("k", "")));
    assert_eq!(split_feature(" Feature   "), None);
}

#[test]
fn complete_cell_builds_right_handed_orthogonal_open_rows() {
    let atoms = [Vector3::new(0.5, 7.0, -9.0), Vector3::new(1.0, -2.0, 3.0)];
    let a = Vector3::new(3.0, 0.2, 0.1);
    let b = Vector3::new(0.3, 4.0, 0.0);
    // One periodic row, in each position; two periodic rows with the open one in each place.
    let cases: [(Vec<Vector3<f64>>, [bool; 3]); 5] = [
        (vec![a], [true, false, false]),
        (vec![Vector3::zeros(), a], [false, true, false]),
        (vec![a, b], [true, true, false]),
        (vec![a, Vector3::zeros(), b], [true, false, true]),
        (vec![Vector3::zeros(), a, b], [false, true, true]),
    ];
    for (rows, pbc) in cases {
        let cell = complete_cell(&rows, &atoms).unwrap();
        assert_eq!(cell.pbc(), pbc);
        assert!(cell.signed_volume() > 0.0, "{pbc:?}");
        for k in 0..3 {
            if pbc[k] {
                assert_eq!(cell.vector(k), rows[k]);
                continue;
            }
            let d = cell.vector(k);
            for j in (0..3).filter(|&j| j != k) {
                assert!(d.dot(&cell.vector(j)).abs() < 1e-12 * d.norm() * cell.vector(j).norm());
            }
            let extent = atoms
                .iter()
                .map(|r| r.dot(&d.normalize()).abs())
                .fold(1.0_f64, f64::max);
            assert!((d.norm() - extent).abs() < 1e-12);
        }
    }
    assert!(complete_cell(&[a, a * 2.0], &atoms).is_err());
    let open = complete_cell(&[], &atoms).unwrap();
    assert_eq!(open.pbc(), [false; 3]);
}
