//! Disorientation between cubic grains and the Mackenzie distribution (METHODS.md section 5).
//!
//! # Conventions
//!
//! The orientation of grain g is the rotation $R_g$ whose columns are the crystal axes
//! \[100\], \[010\], \[001\] in the box frame (as `build_polycrystal` and GRAINS.json store
//! them), or its unit quaternion $q_g$ (scalar first; $q$ and $-q$ are the same rotation).
//! The misorientation from A to B in the crystal frame of A is
//! $$ \Delta R = R_A^\mathsf{T} R_B, \qquad \Delta q = \bar q_A \otimes q_B. $$
//! The cubic proper rotation group $O$ has the 24 signed permutation matrices of determinant
//! +1 ([`cubic_rotations`]). The disorientation angle is the smallest rotation angle in the
//! class $\{S\,\Delta R : S \in O\}$:
//! $$ \theta = \min_{S \in O} \arccos\frac{\operatorname{tr}(S\,\Delta R) - 1}{2}, $$
//! the same as the two-sided minimum over $S_1 \Delta R S_2$ (conjugation keeps angles).
//!
//! [`disorientation_angle`] uses the exact closed form: with $a_0 \ge a_1 \ge a_2 \ge a_3$ the
//! sorted absolute components of $\Delta q$,
//! $$ w = \max\!\Big(a_0,\ \tfrac{a_0 + a_1}{\sqrt 2},\ \tfrac{a_0 + a_1 + a_2 + a_3}{2}\Big),
//!    \qquad \theta = 2 \arccos \min(w, 1), $$
//! the three terms being the best of the identity and 4-fold, the 2-fold $\langle 110\rangle$
//! and the 3-fold cosets of $O$. [`disorientation_angle_brute_force`] takes the minimum over
//! the 24 matrices; the tests check that both agree.
//!
//! [`disorientation`] also returns the axis, in the standard stereographic triangle
//! $0 \le u_3 \le u_2 \le u_1$.
//!
//! For uniformly random orientations the angle follows Mackenzie's distribution
//! ([`mackenzie_density`]): mean 40.74 degrees, maximum [`MACKENZIE_MAX_DEG`] = 62.80 degrees.

use nalgebra::{Matrix3, Quaternion, Rotation3, UnitQuaternion, Vector3};

use crate::error::{GbError, Result};

/// Largest deviation of $R^\mathsf{T}R$ from $I$ and of $\det R$ from 1 accepted for a grain
/// orientation (GRAINS.json stores rotations with enough digits for much better).
pub const ROTATION_TOLERANCE: f64 = 1e-6;

/// The largest disorientation angle between cubic crystals, in degrees:
/// $\theta_\text{max} = 2 \arctan\sqrt{23 - 16\sqrt 2} = 62.80^\circ$.
pub const MACKENZIE_MAX_DEG: f64 = 62.799_429_619_838_08;

/// A disorientation: the smallest rotation between two cubic crystals, and its axis.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Disorientation {
    /// Disorientation angle $\theta$ in degrees, in $[0, 62.80]$.
    pub angle_deg: f64,
    /// Unit rotation axis in the crystal frame of the first grain, brought to the standard
    /// stereographic triangle $0 \le u_3 \le u_2 \le u_1$ (signed permutations and the
    /// grain-exchange symmetry, which reverses the axis). The zero vector when the two
    /// orientations are equivalent ($\theta$ below $10^{-9}$ degrees), where no axis exists.
    pub axis: Vector3<f64>,
}

/// The 24 proper rotations of the cube: the signed permutation matrices with determinant +1
/// (identity first).
pub fn cubic_rotations() -> Vec<Matrix3<f64>> {
    const PERMUTATIONS: [[usize; 3]; 6] = [
        [0, 1, 2],
        [1, 2, 0],
        [2, 0, 1],
        [0, 2, 1],
        [2, 1, 0],
        [1, 0, 2],
    ];
    let mut out = Vec::with_capacity(24);
    for p in PERMUTATIONS {
        for signs in 0..8u32 {
            let mut m = Matrix3::zeros();
            for (row, &col) in p.iter().enumerate() {
                m[(row, col)] = if signs & (1 << row) == 0 { 1.0 } else { -1.0 };
            }
            if m.determinant() > 0.0 {
                out.push(m);
            }
        }
    }
    out
}

/// Check that `r` is a proper rotation within [`ROTATION_TOLERANCE`].
fn check_rotation(r: &Matrix3<f64>, what: &str) -> Result<()> {
    let orth = (r.transpose() * r - Matrix3::identity()).abs().max();
    let det = r.determinant();
    if orth.is_finite() && orth <= ROTATION_TOLERANCE && (det - 1.0).abs() <= ROTATION_TOLERANCE {
        Ok(())
    } else {
        Err(GbError::Input(format!(
            "{what} is not a proper rotation (|R^T R - I| = {orth:.3e}, det R = {det})"
        )))
    }
}

/// The unit quaternion of the proper rotation `r` (Shepperd's method, via nalgebra).
///
/// # Errors
/// [`GbError::Input`] when `r` is not a proper rotation within [`ROTATION_TOLERANCE`].
pub fn quaternion(r: &Matrix3<f64>) -> Result<UnitQuaternion<f64>> {
    check_rotation(r, "the orientation")?;
    Ok(UnitQuaternion::from_rotation_matrix(
        &Rotation3::from_matrix_unchecked(*r),
    ))
}

/// Rotation angle of the rotation matrix `r` in radians,
/// $\omega = \arccos\big((\operatorname{tr} R - 1)/2\big)$ with the argument clamped to
/// $[-1, 1]$.
pub fn rotation_angle(r: &Matrix3<f64>) -> f64 {
    ((r.trace() - 1.0) / 2.0).clamp(-1.0, 1.0).acos()
}

/// The misorientation quaternion $\Delta q = \bar q_A \otimes q_B$ of $R_A^\mathsf{T} R_B$.
fn delta_q(ra: &Matrix3<f64>, rb: &Matrix3<f64>) -> Result<Quaternion<f64>> {
    check_rotation(ra, "orientation A")?;
    check_rotation(rb, "orientation B")?;
    Ok((quaternion(ra)?.inverse() * quaternion(rb)?).into_inner())
}

/// Disorientation angle (degrees) between cubic grains of orientations `ra` and `rb` by the
/// closed form of the module documentation (sorted quaternion components).
///
/// # Errors
/// [`GbError::Input`] when either matrix is not a proper rotation.
pub fn disorientation_angle(ra: &Matrix3<f64>, rb: &Matrix3<f64>) -> Result<f64> {
    let q = delta_q(ra, rb)?;
    let mut a = [q.w.abs(), q.i.abs(), q.j.abs(), q.k.abs()];
    a.sort_by(|x, y| y.total_cmp(x));
    let w = a[0]
        .max((a[0] + a[1]) * std::f64::consts::FRAC_1_SQRT_2)
        .max(0.5 * (a[0] + a[1] + a[2] + a[3]));
    Ok((2.0 * w.min(1.0).acos()).to_degrees())
}

/// Disorientation angle (degrees) by brute force: the smallest rotation angle of
/// $S\,R_A^\mathsf{T} R_B$ over the 24 matrices $S$ of [`cubic_rotations`].
///
/// # Errors
/// [`GbError::Input`] when either matrix is not a proper rotation.
pub fn disorientation_angle_brute_force(ra: &Matrix3<f64>, rb: &Matrix3<f64>) -> Result<f64> {
    check_rotation(ra, "orientation A")?;
    check_rotation(rb, "orientation B")?;
    let dr = ra.transpose() * rb;
    Ok(cubic_rotations()
        .iter()
        .map(|s| rotation_angle(&(s * dr)))
        .fold(f64::INFINITY, f64::min)
        .to_degrees())
}

/// Disorientation angle and axis between cubic grains of orientations `ra` and `rb`: the
/// element $q_S \otimes \Delta q$ of smallest angle $2\arctan(|\mathbf v| / |w|)$ over the 24
/// cubic rotations, its axis $\operatorname{sign}(w)\,\mathbf v / |\mathbf v|$ brought to the
/// standard triangle by taking absolute values and sorting them in decreasing order.
///
/// # Errors
/// [`GbError::Input`] when either matrix is not a proper rotation.
pub fn disorientation(ra: &Matrix3<f64>, rb: &Matrix3<f64>) -> Result<Disorientation> {
    let dq = delta_q(ra, rb)?;
    let mut best = (f64::INFINITY, Vector3::zeros());
    for s in cubic_rotations() {
        let qs = UnitQuaternion::from_rotation_matrix(&Rotation3::from_matrix_unchecked(s));
        let q = qs.into_inner() * dq;
        let v = q.imag();
        let angle = 2.0 * v.norm().atan2(q.w.abs());
        if angle < best.0 {
            best = (angle, if q.w < 0.0 { -v } else { v });
        }
    }
    let angle_deg = best.0.to_degrees();
    let axis = if angle_deg < 1e-9 {
        Vector3::zeros()
    } else {
        let mut u = [best.1.x.abs(), best.1.y.abs(), best.1.z.abs()];
        u.sort_by(|x, y| y.total_cmp(x));
        Vector3::from(u).normalize()
    };
    Ok(Disorientation { angle_deg, axis })
}

/// Area of the intersection of two spherical caps of angular radii `a` and `b` whose centres
/// are `g` apart on the unit sphere (all in radians, both caps smaller than a hemisphere):
/// $S = 2[\pi - C(a,b,g) - \cos a\,C(g,a,b) - \cos b\,C(b,g,a)]$ with
/// $C(x,y,z) = \arccos\big((\cos z - \cos x \cos y)/(\sin x \sin y)\big)$.
fn cap_overlap(a: f64, b: f64, g: f64) -> f64 {
    let c = |x: f64, y: f64, z: f64| {
        ((z.cos() - x.cos() * y.cos()) / (x.sin() * y.sin()))
            .clamp(-1.0, 1.0)
            .acos()
    };
    2.0 * (std::f64::consts::PI - c(a, b, g) - a.cos() * c(g, a, b) - b.cos() * c(b, g, a))
}

/// Mackenzie's density of the disorientation angle of independent uniformly random cubic
/// orientations, per radian, at `theta` radians (METHODS.md section 5.2):
/// $$ p(\theta) = \frac{24}{\pi}(1 - \cos\theta)\,\chi(\theta), \qquad r = \tan(\theta/2), $$
/// with $\chi$ the fraction of the Rodrigues sphere of radius r inside the cubic fundamental
/// zone (inclusion-exclusion of the caps cut by the {100} and {111} faces and of their
/// pairwise overlaps). Zero outside $[0, \theta_\text{max}]$; $\int p\,d\theta = 1$. Per degree,
/// multiply by $\pi/180$ ([`mackenzie_density_per_degree`]).
pub fn mackenzie_density(theta: f64) -> f64 {
    use std::f64::consts::{PI, SQRT_2};
    if !(theta.is_finite() && theta >= 0.0 && theta <= MACKENZIE_MAX_DEG.to_radians()) {
        return 0.0;
    }
    let r = (theta / 2.0).tan();
    let sqrt3 = 3f64.sqrt();
    let mut chi = 1.0;
    if r > SQRT_2 - 1.0 {
        chi = 3.0 * (SQRT_2 - 1.0) / r - 2.0;
    }
    if r > 1.0 / sqrt3 {
        chi += 4.0 * (1.0 / (sqrt3 * r) - 1.0);
    }
    if r > 2.0 - SQRT_2 {
        let a1 = ((SQRT_2 - 1.0) / r).acos();
        let a2 = (1.0 / (sqrt3 * r)).acos();
        chi += 3.0 / PI * cap_overlap(a1, a1, PI / 2.0)
            + 6.0 / PI * cap_overlap(a1, a2, (1.0 / sqrt3).acos());
    }
    24.0 / PI * (1.0 - theta.cos()) * chi.max(0.0)
}

/// [`mackenzie_density`] per degree at `theta_deg` degrees; for $\theta \le 45^\circ$ it is
/// $\tfrac{2}{15}(1 - \cos\theta)$.
pub fn mackenzie_density_per_degree(theta_deg: f64) -> f64 {
    mackenzie_density(theta_deg.to_radians()) * std::f64::consts::PI / 180.0
}

/// A histogram of equal-width bins over $[lo, hi)$.
#[derive(Debug, Clone, PartialEq)]
pub struct Histogram {
    /// Lower edge of the first bin.
    pub lo: f64,
    /// Bin width.
    pub width: f64,
    /// Count per bin; bin k holds $lo + k\,w \le x < lo + (k+1)\,w$ (the last bin also holds
    /// $x = hi$).
    pub counts: Vec<usize>,
    /// Values below `lo` or above `hi` (not in any bin).
    pub outside: usize,
}

impl Histogram {
    /// The histogram of `values` in `bins` bins over $[lo, hi]$.
    ///
    /// # Errors
    /// [`GbError::Input`] for zero bins, $hi \le lo$, non-finite bounds, or a non-finite
    /// value.
    pub fn new(values: &[f64], lo: f64, hi: f64, bins: usize) -> Result<Histogram> {
        if bins == 0 || !(lo.is_finite() && hi.is_finite() && hi > lo) {
            return Err(GbError::Input(format!(
                "a histogram needs bins > 0 and finite lo < hi, got {bins} bins over [{lo}, {hi}]"
            )));
        }
        let width = (hi - lo) / bins as f64;
        let mut counts = vec![0; bins];
        let mut outside = 0;
        for &x in values {
            if !x.is_finite() {
                return Err(GbError::Input(format!(
                    "cannot histogram the non-finite value {x}"
                )));
            }
            if x < lo || x > hi {
                outside += 1;
            } else {
                let k = (((x - lo) / width) as usize).min(bins - 1);
                counts[k] += 1;
            }
        }
        Ok(Histogram {
            lo,
            width,
            counts,
            outside,
        })
    }

    /// Centre of every bin.
    pub fn centers(&self) -> Vec<f64> {
        (0..self.counts.len())
            .map(|k| self.lo + (k as f64 + 0.5) * self.width)
            .collect()
    }

    /// Probability density per bin, $n_k / (N\,w)$ with N all values given (those outside
    /// included), so that it compares with a density such as [`mackenzie_density_per_degree`].
    /// All zeros for an empty histogram.
    pub fn density(&self) -> Vec<f64> {
        let total = self.counts.iter().sum::<usize>() + self.outside;
        self.counts
            .iter()
            .map(|&n| {
                if total == 0 {
                    0.0
                } else {
                    n as f64 / (total as f64 * self.width)
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use approx::assert_relative_eq;
    use fe_structure::build::{random_rotation, stream_rng};

    fn axis_angle(axis: [f64; 3], deg: f64) -> Matrix3<f64> {
        let u = nalgebra::Unit::new_normalize(Vector3::from(axis));
        *Rotation3::from_axis_angle(&u, deg.to_radians()).matrix()
    }

    #[test]
    fn the_cubic_group_has_24_distinct_proper_rotations_closed_under_products() {
        let o = cubic_rotations();
        assert_eq!(o.len(), 24);
        assert_eq!(o[0], Matrix3::identity());
        let find = |m: &Matrix3<f64>| o.iter().position(|s| (s - m).abs().max() < 1e-12);
        for (i, a) in o.iter().enumerate() {
            assert_eq!(find(a), Some(i));
            assert_relative_eq!(a.determinant(), 1.0);
            for b in &o {
                assert!(find(&(a * b)).is_some());
            }
        }
    }

    #[test]
    fn fast_formula_equals_brute_force_on_random_pairs() {
        let mut rng = stream_rng(11, 0);
        let mut worst: f64 = 0.0;
        for _ in 0..10_000 {
            let (a, b) = (random_rotation(&mut rng), random_rotation(&mut rng));
            let fast = disorientation_angle(&a, &b).unwrap();
            let brute = disorientation_angle_brute_force(&a, &b).unwrap();
            let full = disorientation(&a, &b).unwrap().angle_deg;
            worst = worst.max((fast - brute).abs()).max((full - brute).abs());
            assert!(fast <= MACKENZIE_MAX_DEG + 1e-9);
        }
        assert!(worst < 1e-9, "max |fast - brute| = {worst:e} degrees");
    }

    #[test]
    fn coincidence_boundaries_come_out_exactly() {
        // 180 degrees about each axis (METHODS.md section 5.4); the analytic angles are
        // Sigma3 60, Sigma5 2 atan(1/3) about <100>, Sigma9 2 atan(1/(2 sqrt 2)) and Sigma11
        // 2 atan(sqrt(2)/3) about <110>.
        let s5 = (2.0 * (1.0f64 / 3.0).atan()).to_degrees();
        let s9 = (2.0 * (1.0 / 8f64.sqrt()).atan()).to_degrees();
        let s11 = (2.0 * (2f64.sqrt() / 3.0).atan()).to_degrees();
        let (u111, u110, u100) = ([1.0, 1.0, 1.0], [1.0, 1.0, 0.0], [1.0, 0.0, 0.0]);
        let cases: [([f64; 3], f64, [f64; 3]); 8] = [
            ([1.0, 1.0, 1.0], 60.0, u111),
            ([1.0, 1.0, 2.0], 60.0, u111),
            ([1.0, 1.0, 4.0], s9, u110),
            ([2.0, 2.0, 1.0], s9, u110),
            ([1.0, 1.0, 3.0], s11, u110),
            ([3.0, 3.0, 2.0], s11, u110),
            ([3.0, 1.0, 0.0], s5, u100),
            ([2.0, 1.0, 0.0], s5, u100),
        ];
        let i = Matrix3::identity();
        for (axis, expected, disaxis) in cases {
            let b = axis_angle(axis, 180.0);
            let d = disorientation(&i, &b).unwrap();
            assert_relative_eq!(d.angle_deg, expected, epsilon = 1e-9);
            assert_relative_eq!(
                disorientation_angle(&i, &b).unwrap(),
                expected,
                epsilon = 1e-9
            );
            assert_relative_eq!(
                disorientation_angle_brute_force(&i, &b).unwrap(),
                expected,
                epsilon = 1e-9
            );
            assert_relative_eq!(d.axis, Vector3::from(disaxis).normalize(), epsilon = 1e-9);
        }
        // The values METHODS.md tabulates.
        for (a, b) in [(s5, 36.870), (s9, 38.942), (s11, 50.479)] {
            assert!((a - b).abs() < 5e-4);
        }
        // Sigma3 as 60 degrees about [111] directly, in grains rotated in the box frame.
        let g = axis_angle([0.3, -0.7, 0.2], 33.0);
        let d = disorientation(&g, &(g * axis_angle([1.0, 1.0, 1.0], 60.0))).unwrap();
        assert_relative_eq!(d.angle_deg, 60.0, epsilon = 1e-9);
        assert_relative_eq!(
            d.axis,
            Vector3::new(1.0, 1.0, 1.0).normalize(),
            epsilon = 1e-9
        );
        // Sigma5: 36.87 degrees about [100].
        let d = disorientation(&g, &(g * axis_angle([0.0, 0.0, -1.0], s5))).unwrap();
        assert_relative_eq!(d.angle_deg, s5, epsilon = 1e-9);
        assert_relative_eq!(d.axis, Vector3::x(), epsilon = 1e-9);
    }

    #[test]
    fn invariances() {
        let o = cubic_rotations();
        let mut rng = stream_rng(5, 3);
        for _ in 0..50 {
            let (a, b) = (random_rotation(&mut rng), random_rotation(&mut rng));
            let g = random_rotation(&mut rng);
            let t = disorientation_angle(&a, &b).unwrap();
            // Exchange of the grains.
            assert_relative_eq!(disorientation_angle(&b, &a).unwrap(), t, epsilon = 1e-9);
            // A rotation of the box frame.
            assert_relative_eq!(
                disorientation_angle(&(g * a), &(g * b)).unwrap(),
                t,
                epsilon = 1e-9
            );
            // Cubic symmetry on either side: theta(S1 dR S2) = theta(dR).
            let dr = a.transpose() * b;
            let i = Matrix3::identity();
            for (k, s1) in o.iter().enumerate() {
                let s2 = &o[(7 * k + 3) % 24];
                assert_relative_eq!(
                    disorientation_angle(&i, &(s1 * dr * s2)).unwrap(),
                    t,
                    epsilon = 1e-9
                );
                assert_relative_eq!(
                    disorientation_angle(&(a * s1), &(b * s2)).unwrap(),
                    t,
                    epsilon = 1e-9
                );
            }
            assert_relative_eq!(
                disorientation_angle(&i, &dr.transpose()).unwrap(),
                t,
                epsilon = 1e-9
            );
            let d = disorientation(&a, &b).unwrap();
            let u = d.axis;
            assert!(u.z >= 0.0 && u.y >= u.z && u.x >= u.y);
            assert_relative_eq!(u.norm(), 1.0, epsilon = 1e-12);
            // The axis is that of the reversed disorientation too.
            assert_relative_eq!(disorientation(&b, &a).unwrap().axis, u, epsilon = 1e-6);
        }
        assert_eq!(
            disorientation(&o[5], &o[17]).unwrap().axis,
            Vector3::zeros()
        );
    }

    #[test]
    fn improper_or_distorted_matrices_are_errors() {
        let i = Matrix3::identity();
        let mirror = Matrix3::from_diagonal(&Vector3::new(1.0, 1.0, -1.0));
        assert!(disorientation_angle(&i, &mirror).is_err());
        assert!(disorientation(&(i * 1.01), &i).is_err());
        assert!(disorientation_angle_brute_force(&i, &(i * f64::NAN)).is_err());
    }

    /// Simpson's rule of f over [a, b] with n (even) intervals.
    fn simpson(f: impl Fn(f64) -> f64, a: f64, b: f64, n: usize) -> f64 {
        let h = (b - a) / n as f64;
        let mut s = f(a) + f(b);
        for k in 1..n {
            s += f(a + k as f64 * h) * if k % 2 == 1 { 4.0 } else { 2.0 };
        }
        s * h / 3.0
    }

    #[test]
    fn mackenzie_density_is_normalised_and_continuous() {
        use std::f64::consts::SQRT_2;
        let max = MACKENZIE_MAX_DEG.to_radians();
        assert_relative_eq!(
            max,
            2.0 * (23.0 - 16.0 * SQRT_2).sqrt().atan(),
            epsilon = 1e-14
        );
        // Integrate piecewise between the kinks (45, 60, 60.72 degrees).
        let kinks = [
            0.0,
            2.0 * (SQRT_2 - 1.0).atan(),
            2.0 * (1.0 / 3f64.sqrt()).atan(),
            2.0 * (2.0 - SQRT_2).atan(),
            max,
        ];
        let total: f64 = kinks
            .windows(2)
            .map(|w| simpson(mackenzie_density, w[0], w[1], 2000))
            .sum();
        assert_relative_eq!(total, 1.0, epsilon = 1e-9);
        let mean: f64 = kinks
            .windows(2)
            .map(|w| simpson(|t| t * mackenzie_density(t), w[0], w[1], 2000))
            .sum();
        assert!(
            (mean.to_degrees() - 40.74).abs() < 0.01,
            "{}",
            mean.to_degrees()
        );
        // Continuity across the kinks; zero outside.
        for k in &kinks[1..4] {
            let (lo, hi) = (mackenzie_density(k - 1e-9), mackenzie_density(k + 1e-9));
            assert!((lo - hi).abs() < 1e-6, "{lo} {hi}");
        }
        assert!(mackenzie_density(max - 1e-6) < 1e-3);
        assert_eq!(mackenzie_density(max + 1e-9), 0.0);
        assert_eq!(mackenzie_density(-0.1), 0.0);
        assert_eq!(mackenzie_density(f64::NAN), 0.0);
        // Below 45 degrees, (2/15)(1 - cos) per degree.
        let t = 30f64;
        assert_relative_eq!(
            mackenzie_density_per_degree(t),
            2.0 / 15.0 * (1.0 - t.to_radians().cos()),
            epsilon = 1e-15
        );
    }

    #[test]
    fn random_orientations_follow_the_mackenzie_distribution() {
        // 2e5 pairs: the standard error of the mean is 11.32 / sqrt(2e5) = 0.025 degrees.
        let n = 200_000;
        let mut rng = stream_rng(2026, 7);
        let angles: Vec<f64> = (0..n)
            .map(|_| {
                let (a, b) = (random_rotation(&mut rng), random_rotation(&mut rng));
                disorientation_angle(&a, &b).unwrap()
            })
            .collect();
        let mean = angles.iter().sum::<f64>() / n as f64;
        let max = angles.iter().copied().fold(0.0, f64::max);
        let se = 11.32 / (n as f64).sqrt();
        assert!((mean - 40.74).abs() < 4.0 * se, "mean {mean}");
        assert!(
            max <= MACKENZIE_MAX_DEG + 1e-9 && max > MACKENZIE_MAX_DEG - 0.5,
            "max {max}"
        );
        // Histogram against the density, bin by bin within 5 standard errors.
        let h = Histogram::new(&angles, 0.0, 63.0, 63).unwrap();
        assert_eq!(h.outside, 0);
        for (c, (d, &count)) in h.centers().iter().zip(h.density().iter().zip(&h.counts)) {
            let expected = simpson(
                mackenzie_density_per_degree,
                c - 0.5,
                (c + 0.5).min(MACKENZIE_MAX_DEG),
                200,
            );
            let sigma = (expected * (1.0 - expected) / n as f64).sqrt();
            assert!(
                (d - expected).abs() <= 5.0 * sigma + 1e-4,
                "bin {c}: {d} vs {expected} ({count})"
            );
        }
    }

    #[test]
    fn histogram_bins_and_density() {
        let h = Histogram::new(&[0.0, 0.5, 1.0, 2.9, 3.0, 3.5, -1.0], 0.0, 3.0, 3).unwrap();
        assert_eq!(h.counts, vec![2, 1, 2]);
        assert_eq!(h.outside, 2);
        assert_eq!(h.centers(), vec![0.5, 1.5, 2.5]);
        assert_relative_eq!(h.density()[0], 2.0 / 7.0);
        assert!(Histogram::new(&[1.0], 1.0, 1.0, 3).is_err());
        assert!(Histogram::new(&[f64::NAN], 0.0, 1.0, 3).is_err());
        assert!(Histogram::new(&[], 0.0, 1.0, 0).is_err());
    }
}
