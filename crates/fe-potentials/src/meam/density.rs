//! Per-atom MEAM densities: the partial-density sums of one atom, and from them the
//! embedding energy and the coefficients of its first derivative with respect to each sum.

use super::funcs::{embedding, g_gamma};
use super::params::Params;

/// Multiplicities of the 6 independent components (xx, xy, xz, yy, yz, zz) of a symmetric
/// rank-2 tensor.
const M2: [f64; 6] = [1.0, 2.0, 2.0, 1.0, 2.0, 1.0];
/// Multiplicities of the 10 independent components (xxx, xxy, xxz, xyy, xyz, xzz, yyy, yyz,
/// yzz, zzz) of a symmetric rank-3 tensor.
const M3: [f64; 10] = [1.0, 3.0, 3.0, 3.0, 6.0, 3.0, 1.0, 3.0, 3.0, 1.0];

/// The partial-density sums at one atom i over its neighbours j (weights s_ij, unit vectors
/// u = (r_j - r_i)/r):
/// $\rho_0 = \sum s\rho^{(0)}$, $A_1 = \sum s\rho^{(1)} u$, $A_2 = \sum s\rho^{(2)} uu$,
/// $\bar A_2 = \sum s\rho^{(2)}$, $A_3 = \sum s\rho^{(3)} uuu$, $\bar A_3 = \sum s\rho^{(3)}u$,
/// $T_l = \sum s t_l \rho^{(0)}$, $Q_l = \sum s t_l^2 \rho^{(0)}$.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Sums {
    pub rho0: f64,
    pub a1: [f64; 3],
    pub a2: [f64; 6],
    pub a2b: f64,
    pub a3: [f64; 10],
    pub a3b: [f64; 3],
    pub t: [f64; 3],
    pub tsq: [f64; 3],
}

impl Sums {
    /// Add neighbour contributions `rho` = s (rho0, rho1, rho2, rho3) along `u`, with the
    /// neighbour's t values (`ts` = None when ialloy = 2 needs no averages, otherwise
    /// Some((t, with_squares))).
    #[inline(always)]
    pub fn add(&mut self, rho: [f64; 4], u: [f64; 3], ts: Option<(&[f64; 3], bool)>) {
        let [x, y, z] = u;
        self.rho0 += rho[0];
        for a in 0..3 {
            self.a1[a] += rho[1] * u[a];
            self.a3b[a] += rho[3] * u[a];
        }
        let (xx, xy, xz, yy, yz, zz) = (x * x, x * y, x * z, y * y, y * z, z * z);
        let q = [xx, xy, xz, yy, yz, zz];
        for k in 0..6 {
            self.a2[k] += rho[2] * q[k];
        }
        self.a2b += rho[2];
        let c = [
            xx * x,
            xx * y,
            xx * z,
            xy * y,
            xy * z,
            xz * z,
            yy * y,
            yy * z,
            yz * z,
            zz * z,
        ];
        for k in 0..10 {
            self.a3[k] += rho[3] * c[k];
        }
        if let Some((t, squares)) = ts {
            for l in 0..3 {
                self.t[l] += t[l] * rho[0];
                if squares {
                    self.tsq[l] += t[l] * t[l] * rho[0];
                }
            }
        }
    }
}

/// The first derivatives of an atom's embedding energy with respect to its [`Sums`]: a
/// neighbour's contribution changes the energy by
/// $$ q_0\rho^{(0)} + \rho^{(1)} g_1\cdot u + \rho^{(2)}(u\cdot g_2 u + \bar g_2) +
///   \rho^{(3)}(g_3 : uuu + \bar g_3\cdot u) $$
/// per unit weight, with $q_0 = c_0 + \sum_l (c_{T,l} t_l + c_{Q,l} t_l^2)$ for the
/// neighbour's t.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Coef {
    pub c0: f64,
    pub ct: [f64; 3],
    pub cq: [f64; 3],
    pub g1: [f64; 3],
    pub g2: [f64; 6],
    pub g2b: f64,
    pub g3: [f64; 10],
    pub g3b: [f64; 3],
}

/// Embedding energy (eV) of an atom of element `e` with density sums `s`, and its [`Coef`].
///
/// $(\rho_1)^2 = |A_1|^2$, $(\rho_2)^2 = A_2\!:\!A_2 - \bar A_2^2/3$,
/// $(\rho_3)^2 = A_3\!:\!A_3 - \tfrac35|\bar A_3|^2$, $\bar t_l$ by `ialloy`,
/// $\Gamma = \sum_l \bar t_l (\rho_l)^2/\rho_0^2$, $\hat\rho = \rho_0 G(\Gamma)/\rho_{bkgd}$,
/// $E = F(\hat\rho)$.
pub(crate) fn embed(p: &Params, rho_ref: f64, e: usize, s: &Sums) -> (f64, Coef) {
    let ee = p.ab(e, e);
    let p1: f64 = s.a1.iter().map(|x| x * x).sum();
    let p2 = (0..6).map(|k| M2[k] * s.a2[k] * s.a2[k]).sum::<f64>() - s.a2b * s.a2b / 3.0;
    let p3 = (0..10).map(|k| M3[k] * s.a3[k] * s.a3[k]).sum::<f64>()
        - 0.6 * s.a3b.iter().map(|x| x * x).sum::<f64>();
    let pl = [p1, p2, p3];
    let mut tbar = s.t;
    if s.rho0 > 0.0 {
        for l in 0..3 {
            tbar[l] = match p.ialloy {
                1 => {
                    if s.tsq[l].abs() < 1e-20 {
                        0.0
                    } else {
                        s.t[l] / s.tsq[l]
                    }
                }
                2 => p.t[e][l],
                _ => s.t[l] / s.rho0,
            };
        }
    }
    let mut gamma = tbar[0] * p1 + tbar[1] * p2 + tbar[2] * p3;
    if s.rho0 > 0.0 {
        gamma /= s.rho0 * s.rho0;
    }
    let (g, dg) = g_gamma(gamma, p.ibar[e], p.gsmooth);
    let lat = p.lattce[ee];
    let z = f64::from(lat.z1());
    let shp = lat.shape();
    let (bkgd, gbar, dgbar) = if p.mix_ref_t {
        let (gb, dgb) = if p.ibar[e] <= 0 {
            (1.0, 0.0)
        } else {
            let gam = (tbar[0] * shp[0] + tbar[1] * shp[1] + tbar[2] * shp[2]) / (z * z);
            g_gamma(gam, p.ibar[e], p.gsmooth)
        };
        (p.rho0[e] * z * gb, gb, dgb)
    } else if p.bkgd_dyn {
        (p.rho0[e] * z, 1.0, 0.0)
    } else {
        (rho_ref, 1.0, 0.0)
    };
    let rhob = s.rho0 * g / bkgd;
    let dgamma1 = (g - 2.0 * dg * gamma) / bkgd;
    let dgamma2 = if s.rho0.abs() < 1e-20 {
        0.0
    } else {
        dg / s.rho0 / bkgd
    };
    let dgamma3 = if p.mix_ref_t {
        s.rho0 * g * dgbar / (gbar * z * z) / bkgd
    } else {
        0.0
    };
    let (f, fp) = embedding(p.a[e] * p.ec[ee], rhob, p.emb_lin_neg);
    let mut c = Coef {
        c0: fp * dgamma1,
        ..Coef::default()
    };
    let k = fp * dgamma2;
    if s.rho0 > 0.0 && p.ialloy != 2 {
        for l in 0..3 {
            let det = k * pl[l] - fp * dgamma3 * shp[l];
            if p.ialloy == 1 {
                if s.tsq[l].abs() >= 1e-20 {
                    c.ct[l] = det / s.tsq[l];
                    c.cq[l] = -det * tbar[l] / s.tsq[l];
                }
            } else {
                c.ct[l] = det / s.rho0;
                c.c0 -= det * tbar[l] / s.rho0;
            }
        }
    }
    for a in 0..3 {
        c.g1[a] = 2.0 * k * tbar[0] * s.a1[a];
        c.g3b[a] = -1.2 * k * tbar[2] * s.a3b[a];
    }
    for m in 0..6 {
        c.g2[m] = 2.0 * k * tbar[1] * s.a2[m];
    }
    c.g2b = -2.0 / 3.0 * k * tbar[1] * s.a2b;
    for m in 0..10 {
        c.g3[m] = 2.0 * k * tbar[2] * s.a3[m];
    }
    (f, c)
}

impl Coef {
    /// The energy change per unit weight of a neighbour contribution (`rho`, `drho` = the
    /// neighbour's atomic densities rho^(l)(r) and their r-derivatives, `t` its t values)
    /// along the unit vector `u` at distance `r`, and its gradient with respect to the
    /// displacement d = r u.
    #[inline(always)]
    pub fn side(
        &self,
        rho: &[f64; 4],
        drho: &[f64; 4],
        t: &[f64; 3],
        u: [f64; 3],
        r: f64,
    ) -> (f64, [f64; 3]) {
        let [x, y, z] = u;
        let q0 = self.c0
            + self.ct[0] * t[0]
            + self.ct[1] * t[1]
            + self.ct[2] * t[2]
            + self.cq[0] * t[0] * t[0]
            + self.cq[1] * t[1] * t[1]
            + self.cq[2] * t[2] * t[2];
        let g1 = self.g1;
        let a1 = g1[0] * x + g1[1] * y + g1[2] * z;
        let g2 = &self.g2;
        let g2u = [
            g2[0] * x + g2[1] * y + g2[2] * z,
            g2[1] * x + g2[3] * y + g2[4] * z,
            g2[2] * x + g2[4] * y + g2[5] * z,
        ];
        let a2 = g2u[0] * x + g2u[1] * y + g2u[2] * z;
        let g = &self.g3;
        let (xx, xy, xz, yy, yz, zz) = (x * x, x * y, x * z, y * y, y * z, z * z);
        let v = [
            g[0] * xx + 2.0 * g[1] * xy + 2.0 * g[2] * xz + g[3] * yy + 2.0 * g[4] * yz + g[5] * zz,
            g[1] * xx + 2.0 * g[3] * xy + 2.0 * g[4] * xz + g[6] * yy + 2.0 * g[7] * yz + g[8] * zz,
            g[2] * xx + 2.0 * g[4] * xy + 2.0 * g[5] * xz + g[7] * yy + 2.0 * g[8] * yz + g[9] * zz,
        ];
        let a3 = v[0] * x + v[1] * y + v[2] * z;
        let b3 = self.g3b[0] * x + self.g3b[1] * y + self.g3b[2] * z;
        let h = q0 * rho[0] + rho[1] * a1 + rho[2] * (a2 + self.g2b) + rho[3] * (a3 + b3);
        let inv_r = 1.0 / r;
        let radial = q0 * drho[0] + drho[1] * a1 + drho[2] * (a2 + self.g2b) + drho[3] * (a3 + b3)
            - (rho[1] * a1 + 2.0 * rho[2] * a2 + rho[3] * (3.0 * a3 + b3)) * inv_r;
        let mut grad = [0.0; 3];
        for a in 0..3 {
            grad[a] = radial * u[a]
                + (rho[1] * g1[a] + 2.0 * rho[2] * g2u[a] + rho[3] * (3.0 * v[a] + self.g3b[a]))
                    * inv_r;
        }
        (h, grad)
    }
}
