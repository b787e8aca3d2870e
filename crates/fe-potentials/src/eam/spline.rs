//! The cubic spline LAMMPS' `pair_style eam` builds over every table (METHODS.md section 11.2),
//! reproduced operation for operation so that tabulated potentials agree with LAMMPS to the
//! last bits.
//!
//! On a uniform grid x_m = m·Δ (0-based here) with values f_m, the slopes per grid step are
//! $$ s_0 = f_1 - f_0,\ s_1 = \tfrac12(f_2 - f_0),\ s_{n-2} = \tfrac12(f_{n-1} - f_{n-3}),\
//!    s_{n-1} = f_{n-1} - f_{n-2}, $$
//! $$ s_m = \frac{(f_{m-2} - f_{m+2}) + 8 (f_{m+1} - f_{m-1})}{12} \quad (2 \le m \le n-3), $$
//! and on interval m the value is v(p) = ((c3 p + c4) p + s) p + f with
//! c4 = 3(f_{m+1} - f_m) - 2 s_m - s_{m+1}, c3 = s_m + s_{m+1} - 2 (f_{m+1} - f_m), p in [0, 1].

/// A LAMMPS EAM spline over a uniform grid starting at 0.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Spline {
    /// Per grid point: [3 c3/Δ, 2 c4/Δ, s/Δ, c3, c4, s, f] as LAMMPS stores them.
    coeff: Vec<[f64; 7]>,
    inv_delta: f64,
}

/// How a lookup clamps the interval index below (LAMMPS differs between r and rho tables).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Clamp {
    /// r tables: the index is only clamped at the top.
    Upper,
    /// Embedding tables: clamped to the first interval at the bottom too.
    Both,
}

impl Spline {
    /// The spline of `values` (at least two) on a grid of step `delta` starting at 0.
    pub(crate) fn new(values: &[f64], delta: f64) -> Spline {
        let n = values.len();
        debug_assert!(n >= 2, "a spline needs two points");
        let f = values;
        let mut s = vec![0.0; n];
        if n >= 5 {
            s[0] = f[1] - f[0];
            s[1] = 0.5 * (f[2] - f[0]);
            s[n - 2] = 0.5 * (f[n - 1] - f[n - 3]);
            s[n - 1] = f[n - 1] - f[n - 2];
            for m in 2..n - 2 {
                s[m] = ((f[m - 2] - f[m + 2]) + 8.0 * (f[m + 1] - f[m - 1])) / 12.0;
            }
        } else {
            // Tiny tables (never in real files): one-sided and central differences.
            for m in 0..n {
                s[m] = match m {
                    0 => f[1] - f[0],
                    _ if m == n - 1 => f[n - 1] - f[n - 2],
                    _ => 0.5 * (f[m + 1] - f[m - 1]),
                };
            }
        }
        let mut coeff = vec![[0.0; 7]; n];
        for m in 0..n {
            let (c4, c3) = if m + 1 < n {
                (
                    3.0 * (f[m + 1] - f[m]) - 2.0 * s[m] - s[m + 1],
                    s[m] + s[m + 1] - 2.0 * (f[m + 1] - f[m]),
                )
            } else {
                (0.0, 0.0)
            };
            coeff[m] = [
                3.0 * c3 / delta,
                2.0 * c4 / delta,
                s[m] / delta,
                c3,
                c4,
                s[m],
                f[m],
            ];
        }
        Spline {
            coeff,
            inv_delta: 1.0 / delta,
        }
    }

    /// Number of grid points.
    pub(crate) fn len(&self) -> usize {
        self.coeff.len()
    }

    /// Interval index (0-based) and local coordinate p of `x`, as LAMMPS finds them:
    /// p = x/Δ + 1, m = trunc(p) clamped to [.., n-1] (or [1, n-1]), p -= m, p = min(p, 1);
    /// then m is shifted to 0-based.
    #[inline]
    fn locate(&self, x: f64, clamp: Clamp) -> (usize, f64) {
        Spline::locate_in(self.coeff.len(), self.inv_delta, x, clamp)
    }

    /// [`Spline::locate`] on any grid of `len` points and inverse step `inv_delta`.
    #[inline]
    pub(crate) fn locate_in(len: usize, inv_delta: f64, x: f64, clamp: Clamp) -> (usize, f64) {
        let n = len as i64;
        let p = x * inv_delta + 1.0;
        // `as` truncates toward zero like a C cast and saturates for huge values.
        let mut m = (p as i64).min(n - 1);
        if clamp == Clamp::Both || m < 1 {
            m = m.max(1);
        }
        let q = p - m as f64;
        // min(q, 1), written so that it compiles to one `minsd` (f64::min also handles NaN,
        // which gives the same value here: 1).
        let q = if q < 1.0 { q } else { 1.0 };
        ((m - 1) as usize, q)
    }

    /// Value and derivative (per unit of x) at `x`.
    #[inline]
    pub(crate) fn eval(&self, x: f64, clamp: Clamp) -> (f64, f64) {
        let at = self.locate(x, clamp);
        (self.value_at(at), self.slope_at(at))
    }

    /// The value at a position found by [`Spline::locate`].
    #[inline]
    fn value_at(&self, (m, p): (usize, f64)) -> f64 {
        let c = &self.coeff[m];
        ((c[3] * p + c[4]) * p + c[5]) * p + c[6]
    }

    /// The derivative (per unit of x) at a position found by [`Spline::locate`].
    #[inline]
    fn slope_at(&self, (m, p): (usize, f64)) -> f64 {
        let c = &self.coeff[m];
        (c[0] * p + c[1]) * p + c[2]
    }

    /// The inverse grid step 1/Δ.
    pub(crate) fn inv_delta(&self) -> f64 {
        self.inv_delta
    }

    /// The value coefficients [c3, c4, s, f] of interval `m`.
    pub(crate) fn value_coeffs(&self, m: usize) -> [f64; 4] {
        let c = &self.coeff[m];
        [c[3], c[4], c[5], c[6]]
    }

    /// The slope coefficients [3 c3/Δ, 2 c4/Δ, s/Δ] of interval `m`.
    pub(crate) fn slope_coeffs(&self, m: usize) -> [f64; 3] {
        let c = &self.coeff[m];
        [c[0], c[1], c[2]]
    }

    /// The tabulated value at grid point `m`.
    pub(crate) fn node(&self, m: usize) -> f64 {
        self.coeff[m][6]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spline_reproduces_nodes_and_interior_cubics_exactly() {
        let delta = 0.1;
        let cubic = |x: f64| 0.3 * x * x * x - 1.2 * x * x + 0.5 * x - 2.0;
        let dcubic = |x: f64| 0.9 * x * x - 2.4 * x + 0.5;
        let values: Vec<f64> = (0..40).map(|m| cubic(m as f64 * delta)).collect();
        let s = Spline::new(&values, delta);
        assert_eq!(s.len(), 40);
        for (m, value) in values.iter().enumerate() {
            let (v, _) = s.eval(m as f64 * delta, Clamp::Upper);
            assert!((v - value).abs() < 1e-12, "node {m}");
        }
        // Away from the two end intervals the 5-point slopes are exact for cubics.
        for k in 0..200 {
            let x = 0.25 + k as f64 * 0.0155;
            let (v, d) = s.eval(x, Clamp::Upper);
            assert!((v - cubic(x)).abs() < 1e-11, "value at {x}");
            assert!((d - dcubic(x)).abs() < 1e-9, "slope at {x}");
        }
    }

    #[test]
    fn spline_is_c1_at_knots_and_freezes_beyond_the_end() {
        let values: Vec<f64> = (0..20).map(|m| (m as f64 * 0.37).sin()).collect();
        let s = Spline::new(&values, 0.2);
        for m in 1..19 {
            let x = m as f64 * 0.2;
            let (_, dl) = s.eval(x - 1e-9, Clamp::Upper);
            let (_, dr) = s.eval(x + 1e-9, Clamp::Upper);
            assert!((dl - dr).abs() < 1e-6, "slope jump at knot {m}");
        }
        let (v_end, d_end) = s.eval(19.0 * 0.2, Clamp::Upper);
        let (v_far, d_far) = s.eval(100.0, Clamp::Upper);
        assert_eq!(v_far, v_end);
        assert_eq!(d_far, d_end);
        assert!((v_end - values[19]).abs() < 1e-14);
    }

    #[test]
    fn spline_below_zero_extrapolates_first_interval() {
        let values: Vec<f64> = (0..10).map(|m| m as f64 * m as f64).collect();
        let s = Spline::new(&values, 1.0);
        let (v, _) = s.eval(-0.5, Clamp::Both);
        let c = s.coeff[0];
        let p = -0.5;
        assert_eq!(v, ((c[3] * p + c[4]) * p + c[5]) * p + c[6]);
    }
}
