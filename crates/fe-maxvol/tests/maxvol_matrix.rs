//! MaxVol on plain random matrices: determinant growth against a direct determinant, the
//! final coefficient bound, inverse drift, and the singular-matrix errors.
#![allow(clippy::unwrap_used)]

use fe_maxvol::{ActiveSet, Link, MaxVolError, Pool, SelectOptions};
use nalgebra::DMatrix;
use rand::{Rng, SeedableRng};
use rand_pcg::Pcg64;

fn random_pool(m: usize, n: usize, seed: u64) -> Pool {
    let mut rng = Pcg64::seed_from_u64(seed);
    Pool {
        rows: (0..m * n).map(|_| rng.gen_range(-1.0..1.0)).collect(),
        links: (0..m)
            .map(|i| Link {
                cfg: i as i64,
                eqn: 0,
            })
            .collect(),
    }
}

/// $\ln|\det A|$ by a direct determinant (nalgebra's partial-pivot LU).
fn direct_log_det(a: &[f64], n: usize) -> f64 {
    DMatrix::from_row_slice(n, n, a).determinant().abs().ln()
}

#[test]
fn every_swap_grows_the_determinant_by_the_swapped_coefficient() {
    for (seed, n, m) in [(1, 3, 10), (2, 5, 30), (3, 6, 12), (4, 8, 50)] {
        let mut set = ActiveSet::initial(n, 1e-3).unwrap();
        let mut pool = random_pool(m, n, seed);
        let opts = SelectOptions {
            swap_limit: Some(1),
            ..SelectOptions::default()
        };
        let mut swaps = 0;
        loop {
            // The largest |coefficient| is the factor the next swap must give.
            let c = set.coefficients(&pool.rows).unwrap();
            let cmax = c.iter().fold(0.0_f64, |a, x| a.max(x.abs()));
            let before = direct_log_det(set.matrix(), n);
            // Brute force: replacing row j of A by pool row i multiplies |det A| by |c_ij|.
            for i in 0..m {
                for j in 0..n {
                    let mut a = set.matrix().to_vec();
                    a[j * n..(j + 1) * n].copy_from_slice(&pool.rows[i * n..(i + 1) * n]);
                    let want = c[i * n + j].abs().ln();
                    let got = direct_log_det(&a, n) - before;
                    assert!(
                        (got - want).abs() < 1e-8 * want.abs().max(1.0) || want < -20.0,
                        "seed {seed}: swap ({i}, {j}): {got} vs {want}"
                    );
                }
            }
            let r = set.select(&mut pool, &opts).unwrap();
            if r.swaps == 0 {
                assert!(cmax <= opts.threshold);
                break;
            }
            swaps += 1;
            let after = direct_log_det(set.matrix(), n);
            assert!(cmax > opts.threshold);
            assert!(
                (after - before - cmax.ln()).abs() < 1e-9,
                "seed {seed}: log det grew by {} for |c| = {cmax}",
                after - before
            );
            assert!((r.log_det_gain - cmax.ln()).abs() < 1e-12);
            assert!(swaps < 1000);
        }
        // Final state: every pool row has coefficients <= threshold, A rows grade 1.
        let g = set.grades(&pool.rows).unwrap();
        assert!(g.iter().all(|&g| g <= 1.001 + 1e-9), "{g:?}");
        let ga = set.grades(set.matrix()).unwrap();
        assert!(ga.iter().all(|g| (g - 1.0).abs() < 1e-9), "{ga:?}");
    }
}

#[test]
fn full_selection_matches_a_direct_determinant_and_a_fresh_inverse() {
    let (n, m) = (12, 400);
    let mut set = ActiveSet::initial(n, 1e-6).unwrap();
    let mut pool = random_pool(m, n, 7);
    let before = set.log_abs_det();
    let opts = SelectOptions {
        refresh_every: usize::MAX,
        ..SelectOptions::default()
    };
    let r = set.select(&mut pool, &opts).unwrap();
    assert!(r.swaps >= n);
    let after = direct_log_det(set.matrix(), n);
    assert!((after - before - r.log_det_gain).abs() < 1e-8 * r.log_det_gain.abs());
    assert!(r.max_coefficient <= 1.001);
    assert!(set.links().iter().all(|l| !l.is_initial()));
    // One refresh at the end: the rank-one inverse had drifted by at most 1e-8.
    assert_eq!(r.refreshes, 1);
    assert!(r.inverse_drift < 1e-8, "drift {}", r.inverse_drift);
    assert!(set.inverse_error() < 1e-10);
    let g = set.grades(&pool.rows).unwrap();
    assert!(g.iter().all(|&g| g <= 1.001 + 1e-9));
}

#[test]
fn singular_and_rank_deficient_matrices_are_errors() {
    let n = 4;
    let links = vec![Link::INITIAL; n];
    // Rank 3: the last row is the sum of the first two.
    let mut a = vec![0.0; n * n];
    let mut rng = Pcg64::seed_from_u64(3);
    for x in a.iter_mut().take(3 * n) {
        *x = rng.gen_range(-1.0..1.0);
    }
    for c in 0..n {
        a[3 * n + c] = a[c] + a[n + c];
    }
    assert!(matches!(
        ActiveSet::from_matrix(a, links.clone()),
        Err(MaxVolError::Singular { .. })
    ));
    assert!(matches!(
        ActiveSet::from_matrix(vec![0.0; n * n], links.clone()),
        Err(MaxVolError::Singular { .. })
    ));
    // Ill-conditioned beyond n eps.
    let mut b = vec![0.0; n * n];
    for k in 0..n {
        b[k * n + k] = if k == 0 { 1.0 } else { 1e-17 };
    }
    assert!(matches!(
        ActiveSet::from_matrix(b, links.clone()),
        Err(MaxVolError::Singular { .. })
    ));
    let mut nan = vec![0.0; n * n];
    nan[0] = f64::NAN;
    assert!(matches!(
        ActiveSet::from_matrix(nan, links),
        Err(MaxVolError::NonFinite(_))
    ));
    // A NaN row is an error, never a NaN grade.
    let set = ActiveSet::initial(n, 1.0).unwrap();
    assert!(set.grades(&[1.0, f64::NAN, 0.0, 0.0]).is_err());
    let mut pool = Pool {
        rows: vec![f64::INFINITY, 0.0, 0.0, 0.0],
        links: vec![Link::INITIAL],
    };
    assert!(ActiveSet::initial(n, 1.0)
        .unwrap()
        .select(&mut pool, &SelectOptions::default())
        .is_err());
}
