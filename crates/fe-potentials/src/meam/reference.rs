//! The MEAM pair function from the reference structure (Baskes 1992, eq. 13; Lee and Baskes
//! 2000, eq. 21 for the second-neighbour series), the background densities of the reference
//! structures, and LAMMPS' tabulation of the pair function (1000 points up to 1.1 r_c, cubic
//! Hermite with five-point slopes).

use super::funcs::{embedding, erose, fcut, g_gamma, zbl};
use super::lattice::Lattice;
use super::params::Params;

/// Points of the pair table (LAMMPS `nr`).
const NR: usize = 1000;

/// $\rho^{ref}_a$: the background density of element a in its reference structure,
/// $[\rho_0 Z + \text{nn2}\, Z_2 S_2 \rho_0 e^{-\beta_0 (a_r - 1)}]\,\bar G$ with
/// $\bar G = G(\sum_l t_l s_l / Z^2)$ (1 for `ibar` <= 0).
pub(crate) fn reference_density(p: &Params, a: usize) -> f64 {
    let aa = p.ab(a, a);
    let lat = p.lattce[aa];
    let z = f64::from(lat.z1());
    let gbar = if p.ibar[a] <= 0 {
        1.0
    } else {
        let s = lat.shape();
        let t = p.t[a];
        g_gamma(
            (t[0] * s[0] + t[1] * s[1] + t[2] * s[2]) / (z * z),
            p.ibar[a],
            p.gsmooth,
        )
        .0
    };
    let mut rho = p.rho0[a] * z;
    if p.nn2[aa] {
        let c = p.ijk(a, a, a);
        let (z2, arat, scrn) = lat.z2(p.cmin[c], p.cmax[c], p.stheta[aa]);
        rho += f64::from(z2) * p.rho0[a] * (-p.beta[a][0] * (arat - 1.0)).exp() * scrn;
    }
    rho * gbar
}

/// Partial densities of both atoms of an a-b pair at distance r in the reference lattice of
/// the pair: (rho0, rho1, rho2, rho3) at a (from its b neighbours) and at b.
fn densities(p: &Params, r: f64, a: usize, b: usize) -> ([f64; 4], [f64; 4]) {
    let at = |e: usize| {
        let x = r / p.re[p.ab(e, e)] - 1.0;
        p.beta[e].map(|beta| p.rho0[e] * (-beta * x).exp())
    };
    let (ra, rb) = (at(a), at(b));
    let ab = p.ab(a, b);
    let lat = p.lattce[ab];
    let z = f64::from(lat.z1());
    let mut d1 = [z * rb[0], 0.0, 0.0, 0.0];
    let mut d2 = [z * ra[0], 0.0, 0.0, 0.0];
    let s = lat.shape();
    match lat {
        Lattice::Dia | Lattice::Dia3 | Lattice::Hcp => {
            d1[3] = s[2] * rb[3] * rb[3];
            d2[3] = s[2] * ra[3] * ra[3];
        }
        Lattice::Dim => {
            for l in 1..4 {
                d1[l] = s[l - 1] * rb[l] * rb[l];
                d2[l] = s[l - 1] * ra[l] * ra[l];
            }
        }
        _ => {}
    }
    if p.nn2[ab] {
        let xa = |e: usize, arat: f64| {
            p.rho0[e] * (-p.beta[e][0] * (arat * r / p.re[p.ab(e, e)] - 1.0)).exp()
        };
        let c = p.ijk(a, a, b);
        let (z2, arat, scrn) = lat.z2(p.cmin[c], p.cmax[c], p.stheta[ab]);
        d1[0] += f64::from(z2) * scrn * xa(a, arat);
        let c = p.ijk(b, b, a);
        let (z2, arat, scrn) = lat.z2(p.cmin[c], p.cmax[c], p.stheta[ab]);
        d2[0] += f64::from(z2) * scrn * xa(b, arat);
    }
    (d1, d2)
}

/// The reference pair function of an a-b pair at r without the second-neighbour series and
/// ZBL: $\phi = [2E^u(r) - F_a(\hat\rho_a(r)) - F_b(\hat\rho_b(r))]/Z_{ab}$ (eV); zero at r = 0
/// and where both reference densities are below 1e-14.
pub(crate) fn phi_plain(p: &Params, r: f64, a: usize, b: usize) -> f64 {
    let (d1, d2) = densities(p, r, a, b);
    if d1[0] <= 1e-14 && d2[0] <= 1e-14 {
        return 0.0;
    }
    let ab = p.ab(a, b);
    let z12 = f64::from(p.lattce[ab].z1());
    // ialloy 2: every atom keeps its own t; otherwise the neighbours' (all of the other kind)
    let (ta, tb) = if p.ialloy == 2 {
        (p.t[a], p.t[b])
    } else {
        (p.t[b], p.t[a])
    };
    let rhobar = |d: [f64; 4], t: [f64; 3], e: usize| {
        let ee = p.ab(e, e);
        let gam = if d[0] < 1e-14 {
            0.0
        } else {
            (t[0] * d[1] + t[1] * d[2] + t[2] * d[3]) / (d[0] * d[0])
        };
        let g = g_gamma(gam, p.ibar[e], p.gsmooth).0;
        let bkgd = if p.mix_ref_t {
            let lat = p.lattce[ee];
            let z = f64::from(lat.z1());
            let gref = if p.ibar[e] <= 0 {
                1.0
            } else {
                let s = lat.shape();
                let gam = (s[0] * t[0] + s[1] * t[1] + s[2] * t[2]) / (z * z);
                g_gamma(gam, p.ibar[e], p.gsmooth).0
            };
            p.rho0[e] * z * gref
        } else if p.bkgd_dyn {
            p.rho0[e] * f64::from(p.lattce[ee].z1())
        } else {
            reference_density(p, e)
        };
        d[0] / bkgd * g
    };
    let f1 = embedding(p.a[a] * p.ec[p.ab(a, a)], rhobar(d1, ta, a), p.emb_lin_neg).0;
    let f2 = embedding(p.a[b] * p.ec[p.ab(b, b)], rhobar(d2, tb, b), p.emb_lin_neg).0;
    let eu = erose(
        r,
        p.re[ab],
        p.alpha[ab],
        p.ec[ab],
        p.repuls[ab],
        p.attrac[ab],
        p.erose_form,
    );
    if r.abs() < 1e-20 {
        return 0.0;
    }
    (2.0 * eu - f1 - f2) / z12
}

/// $\sum_{n=1}^{10} (-Z_2 S/Z_1)^n \phi(a^n r)$, stopping at the first zero term.
#[allow(clippy::too_many_arguments)]
fn series(p: &Params, scrn: f64, z1: i32, z2: i32, a: usize, b: usize, r: f64, arat: f64) -> f64 {
    let mut sum = 0.0;
    if scrn > 0.0 {
        let b2nn = -f64::from(z2) * scrn / f64::from(z1);
        for n in 1..=10 {
            let v = b2nn.powi(n) * phi_plain(p, r * arat.powi(n), a, b);
            if v.abs() < 1e-20 {
                break;
            }
            sum += v;
        }
    }
    sum
}

/// The full pair function of an a-b pair (a <= b) at r, as LAMMPS tabulates it: the reference
/// pair function, its second-neighbour series (nn2 = 1; for b1, b2 and dia the like-pair
/// second-neighbour terms are subtracted instead), and the ZBL blend for
/// $a^* = \alpha(r/r_e - 1) < -1$ (zbl = 1).
pub(crate) fn phi(p: &Params, r: f64, a: usize, b: usize) -> f64 {
    let ab = p.ab(a, b);
    let lat = p.lattce[ab];
    let mut v = phi_plain(p, r, a, b);
    if p.nn2[ab] {
        let z1 = lat.z1();
        let c = p.ijk(a, a, b);
        let (z2, arat, scrn) = lat.z2(p.cmin[c], p.cmax[c], p.stheta[ab]);
        if matches!(lat, Lattice::B1 | Lattice::B2 | Lattice::Dia) {
            let rarat = r * arat;
            let like = |e: usize| {
                let ee = p.ab(e, e);
                let le = p.lattce[ee];
                let c = p.ijk(e, e, e);
                let (z2e, arate, scrne) = le.z2(p.cmin[c], p.cmax[c], p.stheta[ee]);
                phi_plain(p, rarat, e, e) + series(p, scrne, le.z1(), z2e, e, e, rarat, arate)
            };
            let (phiaa, phibb) = (like(a), like(b));
            v -= f64::from(z2) * scrn / (2.0 * f64::from(z1)) * phiaa;
            let c = p.ijk(b, b, a);
            let (z2b, _, scrn2) = lat.z2(p.cmin[c], p.cmax[c], p.stheta[ab]);
            v -= f64::from(z2b) * scrn2 / (2.0 * f64::from(z1)) * phibb;
        } else {
            v += series(p, scrn, z1, z2, a, b, r, arat);
        }
    }
    if p.zbl[ab] {
        let astar = p.alpha[ab] * (r / p.re[ab] - 1.0);
        if astar <= -3.0 {
            v = zbl(r, p.ielt[a], p.ielt[b]);
        } else if astar < -1.0 {
            let frac = fcut(1.0 - (astar + 1.0) / (-3.0 + 1.0));
            v = frac * v + (1.0 - frac) * zbl(r, p.ielt[a], p.ielt[b]);
        }
    }
    v
}

/// The tabulated pair function of one element pair: values and cubic coefficients per grid
/// interval, as LAMMPS `interpolate_meam`.
#[derive(Debug, Clone)]
pub(crate) struct PairTable {
    /// 1 / dr.
    inv_dr: f64,
    /// Per point m: [f_m, s_m, c4_m, c3_m, s_m/dr, 2 c4_m/dr, 3 c3_m/dr].
    coef: Vec<[f64; 7]>,
}

impl PairTable {
    /// Tabulate `phi` at r_m = m dr, m = 0..1000, dr = 1.1 r_c / 1000.
    pub(crate) fn new(rc: f64, phi: impl Fn(f64) -> f64) -> PairTable {
        let dr = 1.1 * rc / NR as f64;
        let f: Vec<f64> = (0..NR).map(|m| phi(m as f64 * dr)).collect();
        let n = NR;
        let mut s = vec![0.0; n];
        s[0] = f[1] - f[0];
        s[1] = 0.5 * (f[2] - f[0]);
        s[n - 2] = 0.5 * (f[n - 1] - f[n - 3]);
        s[n - 1] = 0.0;
        for m in 2..n - 2 {
            s[m] = ((f[m - 2] - f[m + 2]) + 8.0 * (f[m + 1] - f[m - 1])) / 12.0;
        }
        let coef = (0..n)
            .map(|m| {
                let (c4, c3) = if m + 1 < n {
                    (
                        3.0 * (f[m + 1] - f[m]) - 2.0 * s[m] - s[m + 1],
                        s[m] + s[m + 1] - 2.0 * (f[m + 1] - f[m]),
                    )
                } else {
                    (0.0, 0.0)
                };
                [f[m], s[m], c4, c3, s[m] / dr, 2.0 * c4 / dr, 3.0 * c3 / dr]
            })
            .collect();
        PairTable {
            inv_dr: 1.0 / dr,
            coef,
        }
    }

    /// phi(r) (eV) and phi'(r) (eV/A) by LAMMPS' lookup: p = r/dr, k = min(trunc p, n - 2),
    /// p <- min(p - k, 1).
    #[inline]
    pub(crate) fn eval(&self, r: f64) -> (f64, f64) {
        let pp = r * self.inv_dr;
        let k = (pp as usize).min(NR - 2);
        let p = (pp - k as f64).min(1.0);
        let c = &self.coef[k];
        (
            ((c[3] * p + c[2]) * p + c[1]) * p + c[0],
            (c[6] * p + c[5]) * p + c[4],
        )
    }
}
