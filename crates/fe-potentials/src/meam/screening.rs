//! MEAM many-body screening (Baskes 1997 ellipse): the factor $S_{ikj}$ of one triplet, the
//! product $S_{ij}$ of a pair with its partially screening atoms, and the forces that come
//! from its derivative.

use super::funcs::dfcut;
use super::kernel::{Ctx, Partial, RowGeometry};

/// A partial screening factor $0 < S_{ikj} < 1$ and what its derivative needs.
#[derive(Debug, Clone, Copy)]
struct Factor {
    /// $S_{ikj}$.
    s: f64,
    /// $dS_{ikj}/dC$.
    ds_dc: f64,
    /// $x = r_{ik}^2/r_{ij}^2$, $y = r_{jk}^2/r_{ij}^2$.
    x: f64,
    y: f64,
    /// $\partial C/\partial x$, $\partial C/\partial y$.
    cx: f64,
    cy: f64,
}

/// A partially screening atom k of a pair (i, j), as [`screening_forces`] needs it.
#[derive(Debug, Clone, Copy)]
pub(super) struct Screener {
    /// The atom k.
    k: u32,
    /// r_k - r_i (A).
    dik: [f64; 3],
    f: Factor,
}

/// One screening triplet (i, j, k).
enum Triplet {
    /// k does not screen (outside the ellipse or C >= Cmax).
    None,
    /// k screens completely (C <= Cmin).
    Full,
    /// k screens partially.
    Partial(Factor),
}

impl Ctx<'_> {
    /// The screening of pair (i, j) by atom k, from r_ij^2, r_ik^2 and r_jk^2:
    /// $x = r_{ik}^2/r_{ij}^2$, $y = r_{jk}^2/r_{ij}^2$, $a = 1-(x-y)^2$,
    /// $C = (2(x+y) + a - 2)/a$, $S_{ikj} = f_c((C - C_{min})/(C_{max} - C_{min}))$.
    #[inline(always)]
    fn triplet(&self, ei: usize, ej: usize, ek: usize, rij2: f64, rik2: f64, rjk2: f64) -> Triplet {
        let p = &self.m.p;
        let inv = 1.0 / rij2;
        let x = rik2 * inv;
        let y = rjk2 * inv;
        let a = 1.0 - (x - y) * (x - y);
        if a <= 0.0 {
            return Triplet::None;
        }
        let c = (2.0 * (x + y) + a - 2.0) / a;
        let t = p.ijk(ei, ej, ek);
        let (cmin, cmax) = (p.cmin[t], p.cmax[t]);
        if c >= cmax {
            Triplet::None
        } else if c <= cmin {
            Triplet::Full
        } else {
            let (s, ds) = dfcut((c - cmin) / (cmax - cmin));
            let w = 4.0 * (x + y - 1.0) * (x - y) / (a * a);
            Triplet::Partial(Factor {
                s,
                ds_dc: ds / (cmax - cmin),
                x,
                y,
                cx: 2.0 / a + w,
                cy: 2.0 / a - w,
            })
        }
    }

    /// $S_{ij} = \prod_k S_{ikj}$ for the entry `e` of the row geometry `g` of an atom of
    /// element `ei`. The partially screening atoms are appended to `out` (nothing is
    /// appended when the result is 0).
    pub(super) fn screening(
        &self,
        ei: usize,
        g: &RowGeometry,
        e: usize,
        out: &mut Vec<Screener>,
    ) -> f64 {
        let start = out.len();
        let ej = usize::from(g.sp[e]);
        let rij2 = g.r2[e];
        let rbound = self.m.p.ebound[self.m.p.ab(ei, ej)] * rij2;
        let dij = g.d[e];
        let mut s = 1.0;
        let n = g.within(rbound);
        for (k, (&rik2, &dik)) in g.r2[..n].iter().zip(&g.d[..n]).enumerate() {
            if rik2 > rbound || k == e {
                continue;
            }
            let djk = [dik[0] - dij[0], dik[1] - dij[1], dik[2] - dij[2]];
            let rjk2 = djk[0] * djk[0] + djk[1] * djk[1] + djk[2] * djk[2];
            if rjk2 > rbound {
                continue;
            }
            let ek = usize::from(g.sp[k]);
            match self.triplet(ei, ej, ek, rij2, rik2, rjk2) {
                Triplet::None => {}
                Triplet::Full => {
                    out.truncate(start);
                    return 0.0;
                }
                Triplet::Partial(f) => {
                    s *= f.s;
                    out.push(Screener { k: g.nb[k], dik, f });
                }
            }
        }
        s
    }
}

/// Forces from the screening of the owned pair (i, j) (displacement `dij`, squared length
/// `rij2`) by its partially screening atoms `screeners`: with
/// $w = H s_{ij}\, (\partial S_{ikj}/\partial C)/S_{ikj}$ and $E$ depending on the squared
/// distances q through C, adds $\partial E/\partial q_{ij}$ to `pij`, the i part to `fi`,
/// the j part to `fj`, lists the k parts, and adds the k-triangle virial.
#[allow(clippy::too_many_arguments)]
#[inline(never)]
pub(super) fn screening_forces(
    screeners: &[Screener],
    dij: [f64; 3],
    rij2: f64,
    h_s: f64,
    pij: &mut f64,
    fi: &mut [f64; 3],
    fj: &mut [f64; 3],
    part: &mut Partial,
) {
    for sc in screeners {
        let (dik, f) = (sc.dik, &sc.f);
        let djk = [dik[0] - dij[0], dik[1] - dij[1], dik[2] - dij[2]];
        let w = h_s * f.ds_dc / f.s;
        let p_ik = w * f.cx / rij2;
        let p_jk = w * f.cy / rij2;
        *pij -= w * (f.x * f.cx + f.y * f.cy) / rij2;
        let mut fk = [0.0; 3];
        for a in 0..3 {
            let ti = 2.0 * p_ik * dik[a];
            let tj = 2.0 * p_jk * djk[a];
            fi[a] += ti;
            fj[a] += tj;
            fk[a] = -(ti + tj);
        }
        part.scatter.push((sc.k, fk));
        for a in 0..3 {
            for b in 0..3 {
                part.virial[a][b] -= 2.0 * (p_ik * dik[a] * dik[b] + p_jk * djk[a] * djk[b]);
            }
        }
    }
}
