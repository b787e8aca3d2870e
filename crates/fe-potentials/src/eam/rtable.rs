//! The r-dependent spline coefficients of a tabulated EAM rearranged for the kernel: every
//! lookup of a pass reads one cache line.
//!
//! The density pass needs only values, ((c3 p + c4) p + s) p + f, so its rows hold the four
//! coefficients [c3, c4, s, f] of f_{from->at} (32 bytes). The force pass needs, for a pair
//! (i of species a, j of species b), z_ab = r phi_ab with its derivative and the derivative of
//! the density j puts at i; its 64-byte rows interleave z's [c3, c4, s, f] with the density's
//! [3 c3/Δ, 2 c4/Δ, s/Δ] at the same grid point. The derivative of z is evaluated as
//! ((3 c3 p + 2 c4) p + s)/Δ, which differs from LAMMPS' ((3 c3/Δ) p + 2 c4/Δ) p + s/Δ only
//! in rounding (relative 1e-16). When f_{a->b} and f_{b->a} differ (eam/fs with several
//! elements) the derivative of the density i puts at j comes from the density rows.

use super::spline::{Clamp, Spline};

/// Value coefficients [c3, c4, s, f] of one grid point, on their own half cache line.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
#[repr(C, align(32))]
pub(crate) struct ValueRow(pub [f64; 4]);

/// z = r phi at one grid point ([c3, c4, s, f]) next to the slope coefficients
/// [3 c3/Δ, 2 c4/Δ, s/Δ] of the density the neighbour puts at the centre: one cache line.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
#[repr(C, align(64))]
pub(crate) struct ForceRow {
    pub z: [f64; 4],
    pub drho: [f64; 3],
    _pad: f64,
}

/// Interleaved r tables of all species pairs, on the common grid of step Δ.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct RTables {
    /// Species count.
    ns: usize,
    /// Grid points per table.
    len: usize,
    inv_delta: f64,
    /// f_{from->at} at `(from * ns + at) * len + m`.
    rho: Vec<ValueRow>,
    /// Pair (a, b) at `(a * ns + b) * len + m`: z_ab and f'_{b->a}.
    force: Vec<ForceRow>,
    /// Whether f_{a->b} and f_{b->a} are identical, at `a * ns + b`.
    rho_same: Vec<bool>,
}

impl RTables {
    /// Tables of `ns` species from the density splines (`from * ns + at`) and the pair splines
    /// (`a * ns + b`), all on one grid.
    pub(crate) fn new(ns: usize, rhor: &[Spline], z2r: &[Spline]) -> RTables {
        let len = z2r[0].len();
        debug_assert!(rhor.iter().chain(z2r).all(|s| s.len() == len));
        let mut rho = Vec::with_capacity(ns * ns * len);
        let mut force = Vec::with_capacity(ns * ns * len);
        for k in 0..ns * ns {
            let (a, b) = (k / ns, k % ns);
            let f_ba = &rhor[b * ns + a];
            for m in 0..len {
                rho.push(ValueRow(rhor[k].value_coeffs(m)));
                force.push(ForceRow {
                    z: z2r[k].value_coeffs(m),
                    drho: f_ba.slope_coeffs(m),
                    _pad: 0.0,
                });
            }
        }
        let rho_same = (0..ns * ns)
            .map(|k| rhor[k] == rhor[(k % ns) * ns + k / ns])
            .collect();
        RTables {
            ns,
            len,
            inv_delta: z2r[0].inv_delta(),
            rho,
            force,
            rho_same,
        }
    }

    /// Interval and local coordinate of a distance, as LAMMPS locates it on an r table.
    #[inline]
    fn locate(&self, r: f64) -> (usize, f64) {
        Spline::locate_in(self.len, self.inv_delta, r, Clamp::Upper)
    }

    /// For i of species `a` and j of species `b` at distance r: (f_{b->a}(r), f_{a->b}(r)),
    /// from one location on the grid.
    #[inline]
    pub(crate) fn densities(&self, a: usize, b: usize, r: f64) -> (f64, f64) {
        let (m, p) = self.locate(r);
        let value = |from: usize, at: usize| {
            let c = &self.rho[(from * self.ns + at) * self.len + m].0;
            ((c[0] * p + c[1]) * p + c[2]) * p + c[3]
        };
        let at_a = value(b, a);
        let at_b = if self.rho_same[a * self.ns + b] {
            at_a
        } else {
            value(a, b)
        };
        (at_a, at_b)
    }

    /// For i of species `a` and j of species `b` at distance r: (z_ab, z_ab', f'_{b->a},
    /// f'_{a->b}), derivatives per unit r.
    #[inline]
    pub(crate) fn pair(&self, a: usize, b: usize, r: f64) -> (f64, f64, f64, f64) {
        let (m, p) = self.locate(r);
        let ab = a * self.ns + b;
        let row = &self.force[ab * self.len + m];
        let c = &row.z;
        let z = ((c[0] * p + c[1]) * p + c[2]) * p + c[3];
        let dz = ((3.0 * c[0] * p + 2.0 * c[1]) * p + c[2]) * self.inv_delta;
        let d = &row.drho;
        let drho_ba = (d[0] * p + d[1]) * p + d[2];
        let drho_ab = if self.rho_same[ab] {
            drho_ba
        } else {
            let c = &self.rho[ab * self.len + m].0;
            ((3.0 * c[0] * p + 2.0 * c[1]) * p + c[2]) * self.inv_delta
        };
        (z, dz, drho_ba, drho_ab)
    }
}
