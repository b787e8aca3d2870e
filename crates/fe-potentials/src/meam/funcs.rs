//! The scalar functions of LAMMPS' MEAM (Baskes 1992; Lee and Baskes 2000): cut-off, G(Gamma),
//! embedding, Rose energy and the ZBL universal screened Coulomb potential.

/// The cut-off (smoothing) function
/// $$ f_c(x) = \begin{cases} 1 & x \ge 1 \\ [1 - (1-x)^4]^2 & 0 < x < 1 \\ 0 & x \le 0 \end{cases} $$
/// (dimensionless).
#[inline]
pub(crate) fn fcut(x: f64) -> f64 {
    if x >= 1.0 {
        1.0
    } else if x <= 0.0 {
        0.0
    } else {
        let a = 1.0 - x;
        let a4 = (a * a) * (a * a);
        let b = 1.0 - a4;
        b * b
    }
}

/// $f_c(x)$ and $f_c'(x) = 8 [1 - (1-x)^4] (1-x)^3$.
#[inline]
pub(crate) fn dfcut(x: f64) -> (f64, f64) {
    if x >= 1.0 {
        (1.0, 0.0)
    } else if x <= 0.0 {
        (0.0, 0.0)
    } else {
        let a = 1.0 - x;
        let a3 = a * a * a;
        let b = 1.0 - a * a3;
        (b * b, 8.0 * b * a3)
    }
}

/// G(Gamma) by `ibar` (dimensionless):
/// 0 and 4: $\sqrt{1+\Gamma}$, smoothly continued below $\Gamma_s = -g/(g+1)$ by
/// $\sqrt{(1/(g+1))(\Gamma_s/\Gamma)^g}$ with g = `gsmooth_factor`; 1: $e^{\Gamma/2}$;
/// 3: $2/(1+e^{-\Gamma})$; -5: $\pm\sqrt{|1+\Gamma|}$ with the sign of $1+\Gamma$.
/// Returns (G, dG/dGamma). `ibar` is validated when the library is read.
#[inline]
pub(crate) fn g_gamma(gamma: f64, ibar: i32, gsmooth: f64) -> (f64, f64) {
    match ibar {
        0 | 4 => {
            let switch = -gsmooth / (gsmooth + 1.0);
            if gamma < switch {
                let g = (1.0 / (gsmooth + 1.0) * (switch / gamma).powf(gsmooth)).sqrt();
                (g, -gsmooth * g / (2.0 * gamma))
            } else {
                let g = (1.0 + gamma).sqrt();
                (g, 1.0 / (2.0 * g))
            }
        }
        1 => {
            let g = (gamma / 2.0).exp();
            (g, g / 2.0)
        }
        3 => {
            let g = 2.0 / (1.0 + (-gamma).exp());
            (g, g * (2.0 - g) / 2.0)
        }
        _ => {
            // -5
            if 1.0 + gamma >= 0.0 {
                let g = (1.0 + gamma).sqrt();
                (g, 1.0 / (2.0 * g))
            } else {
                let g = -(-1.0 - gamma).sqrt();
                (g, -1.0 / (2.0 * g))
            }
        }
    }
}

/// Embedding energy (eV) and its derivative:
/// $F(\hat\rho) = A E_c \hat\rho \ln\hat\rho$ for $\hat\rho > 0$; for $\hat\rho \le 0$ zero
/// (`emb_lin_neg` = 0) or $-A E_c \hat\rho$ (`emb_lin_neg` = 1).
#[inline]
pub(crate) fn embedding(a_ec: f64, rho: f64, lin_neg: bool) -> (f64, f64) {
    if rho > 0.0 {
        let l = rho.ln();
        (a_ec * rho * l, a_ec * (1.0 + l))
    } else if lin_neg {
        (-a_ec * rho, -a_ec)
    } else {
        (0.0, 0.0)
    }
}

/// The Rose universal energy (eV) at distance r (A), with $a^* = \alpha(r/r_e - 1)$ and
/// $a_3$ = `attrac` for $a^* \ge 0$, `repuls` otherwise:
/// form 0: $-E_c(1 + a^* + a_3 a^{*3}/(r/r_e))e^{-a^*}$;
/// form 1: $-E_c(1 + a^* + (-\text{attrac} + \text{repuls}/r) a^{*3})e^{-a^*}$;
/// form 2: $-E_c(1 + a^* + a_3 a^{*3})e^{-a^*}$. Zero at r = 0.
#[allow(clippy::too_many_arguments)]
pub(crate) fn erose(
    r: f64,
    re: f64,
    alpha: f64,
    ec: f64,
    repuls: f64,
    attrac: f64,
    form: i32,
) -> f64 {
    if r <= 0.0 {
        return 0.0;
    }
    let astar = alpha * (r / re - 1.0);
    let a3 = if astar >= 0.0 { attrac } else { repuls };
    let cube = astar * astar * astar;
    let poly = match form {
        1 => 1.0 + astar + (-attrac + repuls / r) * cube,
        2 => 1.0 + astar + a3 * cube,
        _ => 1.0 + astar + a3 * cube / (r / re),
    };
    -ec * poly * (-astar).exp()
}

/// The ZBL universal screened Coulomb pair energy (eV) with LAMMPS' MEAM constants:
/// $\phi = 14.3997\, Z_1 Z_2 / r \sum_k c_k e^{-d_k r/a}$, $a = 0.4685/(Z_1^{0.23} + Z_2^{0.23})$
/// (A); at r = 0 the bare sum $\sum_k c_k$, as LAMMPS tabulates it.
pub(crate) fn zbl(r: f64, z1: i32, z2: i32) -> f64 {
    const C: [f64; 4] = [0.028171, 0.28022, 0.50986, 0.18175];
    const D: [f64; 4] = [0.20162, 0.40290, 0.94229, 3.1998];
    let a = 0.4685 / (f64::from(z1).powf(0.23) + f64::from(z2).powf(0.23));
    let x = r / a;
    let mut sum = 0.0;
    for k in 0..4 {
        sum += C[k] * (-D[k] * x).exp();
    }
    if r > 0.0 {
        sum * f64::from(z1) * f64::from(z2) / r * 14.3997
    } else {
        sum
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn meam_functions_have_consistent_derivatives() {
        let h = 1e-6;
        for x in [0.1, 0.5, 0.93] {
            let (_, d) = dfcut(x);
            let fd = (fcut(x + h) - fcut(x - h)) / (2.0 * h);
            assert!((d - fd).abs() < 1e-7, "{x}");
        }
        for ibar in [0, 1, 3, -5] {
            for g in [-0.995, -0.5, 0.0, 0.7] {
                let (_, d) = g_gamma(g, ibar, 99.0);
                let fd = (g_gamma(g + h, ibar, 99.0).0 - g_gamma(g - h, ibar, 99.0).0) / (2.0 * h);
                assert!((d - fd).abs() < 1e-5 * d.abs().max(1.0), "{ibar} {g}");
            }
            assert_eq!(g_gamma(0.0, ibar, 99.0).0, 1.0);
        }
        let (_, d) = embedding(2.0, 0.8, false);
        let fd = (embedding(2.0, 0.8 + h, false).0 - embedding(2.0, 0.8 - h, false).0) / (2.0 * h);
        assert!((d - fd).abs() < 1e-8);
        assert_eq!(embedding(2.0, -0.1, true), (0.2, -2.0));
        // the Rose energy has its minimum -Ec at re
        assert!((erose(2.5, 2.5, 5.0, 4.29, 0.05, 0.05, 2) + 4.29).abs() < 1e-15);
    }
}
