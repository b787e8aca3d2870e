//! MTP on a synthetic three-species potential written here (no shared data): energies
//! against an independent brute-force evaluation of the contractions, forces and virial
//! against finite differences on random triclinic cells (some smaller than twice the
//! cutoff), invariances, basis-function and parameter derivatives, text round trip and the
//! errors of malformed files.
#![allow(clippy::unwrap_used)] // test helpers outside #[test] functions

mod common;

use common::{check_fd, eval};

use fe_neighbors::{ListKind, NeighborList};
use fe_potentials::mtp::{parse_mtp_str, write_mtp, Mtp, MtpModel, RadialCoeffs};
use fe_potentials::{from_spec, BoundAtoms, Potential, PotentialError, Request};
use fe_structure::{Cell, Element, Structure};
use fe_testkit::brute_force_neighbors;
use nalgebra::{Matrix3, Rotation3, Vector3};
use rand::{Rng, SeedableRng};
use rand_pcg::Pcg64;

const RMIN: f64 = 1.9;
const RCUT: f64 = 4.2;
const K: usize = 2;
const R: usize = 5;
fn els() -> [Element; 3] {
    [Element::FE, Element::W, Element::from_z(28).unwrap()]
}

/// Basic moments: M_{0,0}, M_{1,0}, M_{0,1} (3), M_{0,2} (6), M_{1,1} (3).
fn basic() -> Vec<[usize; 4]> {
    vec![
        [0, 0, 0, 0],
        [1, 0, 0, 0],
        [0, 1, 0, 0],
        [0, 0, 1, 0],
        [0, 0, 0, 1],
        [0, 2, 0, 0],
        [0, 1, 1, 0],
        [0, 1, 0, 1],
        [0, 0, 2, 0],
        [0, 0, 1, 1],
        [0, 0, 0, 2],
        [1, 1, 0, 0],
        [1, 0, 1, 0],
        [1, 0, 0, 1],
    ]
}

/// Products: 14 = M00^2; 15 = M01.M11; 16 = M02:M02; 17-19 = v_b = sum_a M0a M0ab;
/// 20 = sum_b v_b M1b; 21 = M10 * slot 15.
fn times() -> Vec<[usize; 4]> {
    vec![
        [0, 0, 1, 14],
        [2, 11, 1, 15],
        [3, 12, 1, 15],
        [4, 13, 1, 15],
        [5, 5, 1, 16],
        [6, 6, 2, 16],
        [7, 7, 2, 16],
        [8, 8, 1, 16],
        [9, 9, 2, 16],
        [10, 10, 1, 16],
        [2, 5, 1, 17],
        [3, 6, 1, 17],
        [4, 7, 1, 17],
        [2, 6, 1, 18],
        [3, 8, 1, 18],
        [4, 9, 1, 18],
        [2, 7, 1, 19],
        [3, 9, 1, 19],
        [4, 10, 1, 19],
        [11, 17, 1, 20],
        [12, 18, 1, 20],
        [13, 19, 1, 20],
        [1, 15, 1, 21],
    ]
}

fn model(seed: u64, c: usize) -> MtpModel {
    let mut rng = Pcg64::seed_from_u64(seed);
    let labels = (0..c)
        .flat_map(|a| (0..c).map(move |b| format!("{a}-{b}")))
        .collect();
    // numbers with 16 significant digits, as the file holds them
    let mut num = |a: f64| -> f64 { format!("{:.15e}", rng.gen_range(-a..a)).parse().unwrap() };
    let values = (0..c * c * K * R).map(|_| num(1.0)).collect();
    let theta = (0..7).map(|_| num(0.5)).collect();
    MtpModel {
        potential_name: Some("MTP1m".into()),
        scaling: 0.3,
        species_count: Some(c),
        potential_tag: Some(String::new()),
        min_dist: RMIN,
        max_dist: RCUT,
        radial_basis_size: R,
        radial_funcs_count: K,
        radial_coeffs: Some(RadialCoeffs { labels, values }),
        alpha_moments_count: 22,
        alpha_index_basic: basic(),
        alpha_index_times: times(),
        alpha_moment_mapping: vec![0, 1, 14, 15, 16, 20, 21],
        species_coeffs: Some((0..c).map(|t| -3.0 - t as f64).collect()),
        moment_coeffs: Some(theta),
    }
}

fn potential(seed: u64, c: usize) -> Mtp {
    Mtp::new(model(seed, c), &els()[..c]).unwrap()
}

/// A random triclinic cell with edges in `l` and tilts up to 0.3, `n` atoms of random
/// species (of the first `c`), no two closer than 2 A (all images), some outside the cell.
fn mixed(seed: u64, n: usize, l: (f64, f64), c: usize) -> Structure {
    let mut rng = Pcg64::seed_from_u64(seed);
    let e = [0, 1, 2].map(|_| rng.gen_range(l.0..=l.1));
    let mut h = Matrix3::from_diagonal(&Vector3::from(e));
    h[(1, 0)] = rng.gen_range(-0.3..0.3) * e[0];
    h[(2, 0)] = rng.gen_range(-0.3..0.3) * e[0];
    h[(2, 1)] = rng.gen_range(-0.3..0.3) * e[1];
    let cell = Cell::new(h, [true; 3]).unwrap();
    let mut pos: Vec<Vector3<f64>> = Vec::new();
    let mut tries = 0;
    while pos.len() < n && tries < 100_000 {
        tries += 1;
        let frac = Vector3::new(rng.gen(), rng.gen(), rng.gen());
        let r = cell.to_cartesian(&frac);
        if pos.iter().all(|p| cell.distance(p, &r) > 2.0) {
            pos.push(r);
        }
    }
    for r in pos.iter_mut().step_by(3) {
        *r += h.tr_mul(&Vector3::new(1.0, -1.0, 2.0));
    }
    let species = (0..pos.len()).map(|_| els()[rng.gen_range(0..c)]).collect();
    let s = Structure::new(cell, species, pos).unwrap();
    assert_eq!(s.len(), n, "could not place {n} atoms");
    s
}

/// The seven basis functions of atom i computed directly as tensor contractions from the
/// brute-force neighbour list (MTP.md 2.3-2.5, 3.1), with our own Chebyshev recursion.
fn brute_site_energies(m: &MtpModel, s: &Structure) -> Vec<f64> {
    let c = m.n_species();
    let species: Vec<usize> = s
        .species()
        .iter()
        .map(|e| els().iter().position(|x| x == e).unwrap())
        .collect();
    let rc = &m.radial_coeffs.as_ref().unwrap().values;
    let h = s.cell().matrix();
    let nbs = brute_force_neighbors(s, RCUT);
    (0..s.len())
        .map(|i| {
            let ti = species[i];
            let mut m0 = [0.0; K];
            let mut v1 = [Vector3::zeros(); K];
            let mut t2 = Matrix3::zeros();
            for nb in &nbs[i] {
                let n = Vector3::new(
                    f64::from(nb.shift[0]),
                    f64::from(nb.shift[1]),
                    f64::from(nb.shift[2]),
                );
                let d = s.positions()[nb.j] + h.tr_mul(&n) - s.positions()[i];
                let r = d.norm();
                let u = d / r;
                let x = (2.0 * r - (RMIN + RCUT)) / (RCUT - RMIN);
                let mut t = vec![1.0, x];
                for b in 2..R {
                    t.push(2.0 * x * t[b - 1] - t[b - 2]);
                }
                let blk = (ti * c + species[nb.j]) * K * R;
                for mu in 0..K {
                    let f: f64 = (0..R)
                        .map(|b| m.scaling * rc[blk + mu * R + b] * t[b] * (RCUT - r).powi(2))
                        .sum();
                    m0[mu] += f;
                    v1[mu] += f * u;
                    if mu == 0 {
                        t2 += f * u * u.transpose();
                    }
                }
            }
            let b = [
                m0[0],
                m0[1],
                m0[0] * m0[0],
                v1[0].dot(&v1[1]),
                t2.component_mul(&t2).sum(),
                (v1[0].transpose() * t2 * v1[1])[0],
                m0[1] * v1[0].dot(&v1[1]),
            ];
            let th = m.moment_coeffs.as_ref().unwrap();
            m.species_coeffs.as_ref().unwrap()[ti]
                + b.iter().zip(th).map(|(x, y)| x * y).sum::<f64>()
        })
        .collect()
}

#[test]
fn mtp_energies_equal_brute_force_contractions_for_three_species() {
    let m = model(1, 3);
    let pot = Mtp::new(m.clone(), &els()).unwrap();
    for seed in [2, 3] {
        let s = mixed(seed, 14, (5.0, 7.0), 3);
        let r = eval(&pot, &s, Request::ALL);
        let brute = brute_site_energies(&m, &s);
        let pe = r.per_atom_energy.unwrap();
        for (a, b) in pe.iter().zip(&brute) {
            assert!((a - b).abs() < 1e-11 * b.abs().max(1.0), "{a} vs {b}");
        }
        let total: f64 = brute.iter().sum();
        assert!((r.energy - total).abs() < 1e-10 * total.abs().max(1.0));
    }
}

#[test]
fn mtp_block_a_b_belongs_to_central_a_neighbour_b() {
    // Swapping blocks 0-1 and 1-0 changes the energy of a mixed dimer; the brute-force
    // evaluation (central a, neighbour b) agrees with the unswapped file.
    let m = model(4, 2);
    let mut swapped = m.clone();
    let rc = swapped.radial_coeffs.as_mut().unwrap();
    let (b01, b10) = (K * R, 2 * K * R);
    for x in 0..K * R {
        rc.values.swap(b01 + x, b10 + x);
    }
    let cell = Cell::new(Matrix3::from_diagonal_element(20.0), [false; 3]).unwrap();
    let s = Structure::new(
        cell,
        vec![Element::FE, Element::W],
        vec![Vector3::zeros(), Vector3::new(2.3, 0.4, 0.1)],
    )
    .unwrap();
    let pe = |m: MtpModel| {
        eval(&Mtp::new(m, &els()[..2]).unwrap(), &s, Request::ALL)
            .per_atom_energy
            .unwrap()
    };
    let (e, e_sw) = (pe(m.clone()), pe(swapped));
    let brute = brute_site_energies(&m, &s);
    for a in 0..2 {
        assert!((e[a] - brute[a]).abs() < 1e-12 * brute[a].abs());
        assert!((e[a] - e_sw[a]).abs() > 1e-6);
    }
}

#[test]
fn mtp_forces_and_virial_match_finite_differences() {
    let pot = potential(5, 3);
    // cells smaller than twice the cutoff (several images per pair) and larger ones
    for (seed, n, l) in [(6, 6, (3.6, 5.0)), (7, 12, (5.0, 7.0)), (8, 20, (7.0, 9.0))] {
        let s = mixed(seed, n, l, 3);
        check_fd(&pot, &s, 1e-7);
    }
    // a finite cluster
    let t = mixed(9, 6, (5.0, 5.0), 3);
    let cell = Cell::new(Matrix3::from_diagonal_element(5.0), [false; 3]).unwrap();
    let s = Structure::new(cell, t.species().to_vec(), t.positions().to_vec()).unwrap();
    check_fd(&pot, &s, 1e-7);
}

#[test]
fn mtp_energy_is_invariant_and_forces_co_rotate() {
    let pot = potential(10, 3);
    let s = mixed(11, 12, (5.0, 7.0), 3);
    let r0 = eval(&pot, &s, Request::ALL);
    // rotation by 0.7 rad about (1,1,1)/sqrt3, then a translation
    let rot = Rotation3::from_axis_angle(
        &nalgebra::Unit::new_normalize(Vector3::new(1.0, 1.0, 1.0)),
        0.7,
    );
    let mut t = s.clone();
    t.deform(rot.matrix()).unwrap();
    t.translate(&Vector3::new(0.3, -1.1, 2.0));
    let r1 = eval(&pot, &t, Request::ALL);
    assert!((r0.energy - r1.energy).abs() < 1e-10 * r0.energy.abs());
    let (f0, f1) = (r0.forces.unwrap(), r1.forces.unwrap());
    for (a, b) in f0.iter().zip(&f1) {
        assert!((rot * a - b).norm() < 1e-9);
    }
    let w0 = rot.matrix() * r0.virial.unwrap() * rot.matrix().transpose();
    assert!((w0 - r1.virial.unwrap()).abs().max() < 1e-9);
    assert!(
        (r0.virial.unwrap() - r0.virial.unwrap().transpose())
            .abs()
            .max()
            < 1e-10
    );
    // permutation: reverse the atoms
    let idx: Vec<usize> = (0..s.len()).rev().collect();
    let pos = idx.iter().map(|&i| s.positions()[i]).collect();
    let p = s.gather(&idx, pos).unwrap();
    let r2 = eval(&pot, &p, Request::ALL);
    assert!((r0.energy - r2.energy).abs() < 1e-10 * r0.energy.abs());
    let f2 = r2.forces.unwrap();
    for (k, &i) in idx.iter().enumerate() {
        assert!((f0[i] - f2[k]).norm() < 1e-10);
    }
}

#[test]
fn mtp_results_do_not_depend_on_threads_or_request() {
    let pot = potential(12, 2);
    let s = mixed(13, 80, (9.0, 11.0), 2);
    let full = eval(&pot, &s, Request::ALL);
    for threads in [1, 2, 3] {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        assert_eq!(pool.install(|| eval(&pot, &s, Request::ALL)), full);
    }
    assert_eq!(eval(&pot, &s, Request::ENERGY).energy, full.energy);
}

#[test]
fn mtp_basis_derivatives_and_parameter_rows_match_finite_differences() {
    let m = model(14, 2);
    let pot = Mtp::new(m.clone(), &els()[..2]).unwrap();
    let s = mixed(15, 10, (5.0, 6.0), 2);
    let binding = pot.bind(&s.elements()).unwrap();
    let list = NeighborList::new(&s, RCUT, ListKind::Full).unwrap();
    let atoms = BoundAtoms::new(&s, &binding).unwrap();
    let ns = pot.n_basis();
    let values = pot.basis_values(&atoms, &list).unwrap();
    let i = 3;
    let site = pot.site_basis(&atoms, &list, i).unwrap();
    assert_eq!(&values[i * ns..(i + 1) * ns], &site.values[..]);
    // d B_s(i) / d x_i = -sum_p deriv: finite differences of basis_values.
    let h = 1e-5;
    for a in 0..3 {
        let vals_at = |dx: f64| {
            let mut t = s.clone();
            t.positions_mut()[i][a] += dx;
            let list = NeighborList::new(&t, RCUT, ListKind::Full).unwrap();
            let atoms = BoundAtoms::new(&t, &binding).unwrap();
            pot.basis_values(&atoms, &list).unwrap()[i * ns..(i + 1) * ns].to_vec()
        };
        let (p, mi) = (vals_at(h), vals_at(-h));
        let np = site.neighbors.len();
        for sidx in 0..ns {
            let fd = (p[sidx] - mi[sidx]) / (2.0 * h);
            let an: f64 = -(0..np)
                .filter(|&q| site.neighbors[q] != i)
                .map(|q| site.derivatives[sidx * np + q][a])
                .sum::<f64>();
            assert!(
                (fd - an).abs() < 1e-6 * an.abs().max(1.0),
                "s {sidx} axis {a}: {fd} vs {an}"
            );
        }
    }
    // Parameter rows: every parameter by central differences of site energies.
    let rows = pot.site_energy_gradients(&atoms, &list).unwrap();
    let n = m.n_params();
    let site_e = |mm: &MtpModel| {
        let p = Mtp::new(mm.clone(), &els()[..2]).unwrap();
        p.compute(&atoms, &list, Request::ALL)
            .unwrap()
            .per_atom_energy
            .unwrap()
    };
    let nr = 2 * 2 * K * R;
    for q in 0..n {
        let bump = |d: f64| {
            let mut mm = m.clone();
            if q < nr {
                mm.radial_coeffs.as_mut().unwrap().values[q] += d;
            } else if q < nr + 2 {
                mm.species_coeffs.as_mut().unwrap()[q - nr] += d;
            } else {
                mm.moment_coeffs.as_mut().unwrap()[q - nr - 2] += d;
            }
            site_e(&mm)
        };
        let (p, mi) = (bump(1e-6), bump(-1e-6));
        for at in 0..s.len() {
            let fd = (p[at] - mi[at]) / 2e-6;
            let an = rows[at * n + q];
            assert!(
                (fd - an).abs() < 1e-6 * an.abs().max(1.0),
                "param {q} atom {at}: {fd} vs {an}"
            );
        }
    }
}

#[test]
fn mtp_text_round_trips_and_isolated_atoms_get_their_offset() {
    let m = model(16, 3);
    let text = write_mtp(&m);
    assert!(text.ends_with('}'));
    let back = parse_mtp_str(&text, "x.mtp").unwrap();
    assert_eq!(back, m);
    assert_eq!(write_mtp(&back), text);
    // An isolated atom has E = xi[t] and no force.
    let cell = Cell::new(Matrix3::from_diagonal_element(10.0), [false; 3]).unwrap();
    let s = Structure::new(cell, vec![Element::W], vec![Vector3::zeros()]).unwrap();
    let r = eval(&potential(16, 3), &s, Request::ALL);
    assert_eq!(r.energy, -4.0);
    assert_eq!(r.forces.unwrap()[0], Vector3::zeros());
}

fn parse_err(text: &str) -> String {
    parse_mtp_str(text, "bad.mtp").unwrap_err().to_string()
}

#[test]
fn malformed_mtp_files_are_errors_that_name_the_problem() {
    let good = write_mtp(&model(17, 1));
    let cases: Vec<(String, &str)> = vec![
        (good.replacen("MTP", "MPT", 1), "bad.mtp:1: expected `MTP`"),
        (
            good.replace("1.1.0", "1.0.0"),
            "bad.mtp:2: expected `version = 1.1.0`",
        ),
        (
            good.replace("RBChebyshev", "RBShapeev"),
            "radial basis type `RBShapeev` is not supported",
        ),
        (
            good.replace(
                "alpha_index_basic_count = 14",
                "alpha_index_basic_count = 13",
            ),
            "the count says 13 but `alpha_index_basic` holds 14",
        ),
        (
            good.replace("{1, 15, 1, 21}", "{1, 15, 1, 22}"),
            "index out of range",
        ),
        (
            good.replace("{0, 0, 1, 14}", "{0, 21, 1, 14}"),
            "not in evaluation order",
        ),
        (
            good.replace("alpha_moments_count", "alpha_moment_count"),
            "unknown key `alpha_moment_count`",
        ),
        (
            good.replace("radial_funcs_count = 2", "radial_funcs_count = 3"),
            "expected `{` to open a radial coefficient row",
        ),
        (good.replace("-3.000000000000000e+00", "nan"), "finite"),
        (good[..good.len() - 40].to_string(), "end of file"),
    ];
    for (text, want) in cases {
        let e = parse_err(&text);
        assert!(e.contains(want), "`{e}` does not contain `{want}`");
    }
    // Species mismatches.
    let e = Mtp::new(model(17, 2), &[Element::FE])
        .unwrap_err()
        .to_string();
    assert!(e.contains("2 species but 1 elements"), "{e}");
    let dir = std::env::temp_dir().join(format!("fe-mtp-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("two.mtp");
    std::fs::write(&path, write_mtp(&model(17, 2))).unwrap();
    let spec = format!("mtp:{}", path.display());
    let e = from_spec(&spec, &[Element::FE]).unwrap_err().to_string();
    assert!(e.contains("name them in species order"), "{e}");
    let e = from_spec(&format!("{spec}@Fe"), &[Element::FE])
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("1 elements listed for a potential of 2 species"),
        "{e}"
    );
    let pot = from_spec(&format!("{spec}@W,Fe"), &[Element::FE]).unwrap();
    assert_eq!(pot.elements(), &[Element::W, Element::FE]);
    let e = pot.bind(&[Element::from_z(28).unwrap()]).unwrap_err();
    assert!(matches!(e, PotentialError::UnknownElement { .. }));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn pairs_closer_than_min_dist_are_evaluated_and_counted() {
    // MLIP evaluates the Chebyshev basis outside [-1, 1] below min_dist: finite results whose
    // forces still match finite differences; close_pairs counts such pairs from both sides.
    let pot = potential(18, 2);
    let cell = Cell::new(Matrix3::from_diagonal_element(20.0), [false; 3]).unwrap();
    let s = Structure::new(
        cell,
        vec![Element::FE, Element::W, Element::FE],
        vec![
            Vector3::zeros(),
            Vector3::new(1.5, 0.1, 0.0),
            Vector3::new(0.2, 2.6, 0.3),
        ],
    )
    .unwrap();
    let binding = pot.bind(&s.elements()).unwrap();
    let atoms = BoundAtoms::new(&s, &binding).unwrap();
    let list = NeighborList::new(&s, RCUT, ListKind::Full).unwrap();
    assert_eq!(pot.close_pairs(&atoms, &list).unwrap(), 2);
    check_fd(&pot, &s, 1e-7);
}
