//! The line search of the conjugate-gradient minimizer.
//!
//! Along $\phi(\alpha) = \mathcal H(x + \alpha d)$ with $\phi'(0) < 0$ it accepts a step that
//! satisfies the strong Wolfe conditions
//! $$ \phi(\alpha) \le \phi(0) + c_1\alpha\phi'(0), \qquad |\phi'(\alpha)| \le c_2|\phi'(0)|, $$
//! or, when the energy difference is below round-off
//! ($\phi(\alpha) \le \phi(0) + \epsilon_f$, $\epsilon_f = 10^{-12}(|\phi(0)| + 1)$ eV), the
//! curvature condition alone (Hager and Zhang's approximate Wolfe idea: near a minimum only the
//! gradient still carries information). Trial steps: the given first guess, then the secant
//! root of $\phi'$ between the bracketing points (exact for a quadratic), safeguarded inside the
//! bracket, or an extrapolation by the secant (at most 4x) until a bracket is found. No
//! coordinate moves more than `max_step`; a trial whose evaluation fails (atoms too close,
//! non-finite results) counts as $\phi = +\infty$. At most [`MAX_TRIALS`] evaluations.

use crate::error::{DynamicsError, Result};
use crate::system::{Point, Relaxable};

use super::{dot, max_move};

/// Largest number of evaluations in one line search.
pub(crate) const MAX_TRIALS: usize = 20;
/// Sufficient decrease constant.
const C1: f64 = 1e-4;

/// What a line search found.
pub(crate) enum Outcome {
    /// An accepted point and its step length.
    Accepted(Point, f64),
    /// No trial lowered the objective (or met the round-off rules).
    Stuck,
}

#[derive(Clone, Copy)]
struct Sample {
    alpha: f64,
    phi: f64,
    dphi: f64,
}

/// Constants and limits of one line search.
#[derive(Clone, Copy)]
pub(crate) struct Limits {
    /// Curvature constant.
    pub(crate) c2: f64,
    /// Largest move of any coordinate (Å).
    pub(crate) max_step: f64,
    /// Stop trying once the system has made this many evaluations.
    pub(crate) max_evaluations: usize,
    /// Iteration number (for error messages).
    pub(crate) step: usize,
}

/// Search along `d` from `start`; `alpha0` is the first trial step; a trial for which `done`
/// holds (force tolerance met) is accepted without the curvature test. Counts its evaluations
/// through `sys`.
pub(crate) fn search(
    sys: &mut Relaxable<'_>,
    start: &Point,
    d: &[f64],
    alpha0: f64,
    limits: &Limits,
    done: impl Fn(&Point) -> bool,
) -> Result<Outcome> {
    let Limits {
        c2,
        max_step,
        max_evaluations,
        step,
    } = *limits;
    let phi0 = start.objective;
    let dphi0 = dot(&start.gradient, d);
    if dphi0.is_nan() || dphi0 >= 0.0 {
        return Ok(Outcome::Stuck);
    }
    let eps_f = 1e-12 * (phi0.abs() + 1.0);
    let dmax = max_move(d, sys.n_atoms());
    if !(dmax > 0.0 && dmax.is_finite()) {
        return Ok(Outcome::Stuck);
    }
    let alpha_cap = max_step / dmax;
    let mut lo = Sample {
        alpha: 0.0,
        phi: phi0,
        dphi: dphi0,
    };
    let mut hi: Option<Sample> = None;
    let mut alpha = alpha0.min(alpha_cap);
    if !(alpha > 0.0 && alpha.is_finite()) {
        alpha = alpha_cap;
    }
    let mut best: Option<Point> = None;
    let mut x = vec![0.0; d.len()];
    for _ in 0..MAX_TRIALS {
        if sys.evaluations() >= max_evaluations {
            break;
        }
        for ((xi, si), di) in x.iter_mut().zip(&start.x).zip(d) {
            *xi = si + alpha * di;
        }
        let trial = match sys.evaluate(&x, step) {
            Ok(p) => Some(p),
            Err(DynamicsError::Potential(_)) | Err(DynamicsError::NonFinite { .. }) => None,
            Err(e) => return Err(e),
        };
        let Some(p) = trial else {
            // Unphysical trial: shrink towards the lower end.
            hi = Some(Sample {
                alpha,
                phi: f64::INFINITY,
                dphi: f64::INFINITY,
            });
            alpha = lo.alpha + 0.25 * (alpha - lo.alpha);
            continue;
        };
        let s = Sample {
            alpha,
            phi: p.objective,
            dphi: dot(&p.gradient, d),
        };
        let armijo = s.phi <= phi0 + C1 * alpha * dphi0;
        let flat = s.phi <= phi0 + eps_f;
        let curvature = s.dphi.abs() <= c2 * dphi0.abs();
        let lower = s.phi < best.as_ref().map_or(phi0, |b| b.objective);
        if (armijo || flat) && (curvature || done(&p)) {
            return Ok(Outcome::Accepted(p, alpha));
        }
        if s.phi > phi0 + eps_f || s.dphi >= 0.0 {
            hi = Some(s);
        } else {
            lo = s;
        }
        if lower && (armijo || s.phi < phi0 - eps_f) {
            best = Some(p);
        }
        alpha = match hi {
            Some(h) => {
                let w = h.alpha - lo.alpha;
                let guess = if h.dphi.is_finite() && h.dphi > lo.dphi {
                    lo.alpha - lo.dphi * w / (h.dphi - lo.dphi)
                } else {
                    lo.alpha + 0.5 * w
                };
                guess.clamp(lo.alpha + 0.1 * w, h.alpha - 0.1 * w)
            }
            None => {
                if lo.alpha >= alpha_cap * (1.0 - 1e-12) {
                    // Capped step that still descends: take it.
                    return Ok(match best {
                        Some(b) => Outcome::Accepted(b, lo.alpha),
                        None => Outcome::Stuck,
                    });
                }
                // Secant extrapolation from the origin's slope, between 1.5x and 4x.
                let guess = if lo.dphi > dphi0 {
                    lo.alpha * dphi0 / (dphi0 - lo.dphi)
                } else {
                    4.0 * lo.alpha
                };
                guess.clamp(1.5 * lo.alpha, 4.0 * lo.alpha).min(alpha_cap)
            }
        };
        if let Some(h) = hi {
            if (h.alpha - lo.alpha) <= 1e-14 * h.alpha.max(1e-300) {
                break;
            }
        }
    }
    Ok(match best {
        Some(b) => {
            let a = lo.alpha;
            Outcome::Accepted(b, a)
        }
        None => Outcome::Stuck,
    })
}
