//! Nonlinear conjugate gradient with the Hager-Zhang direction update (CG_DESCENT, Hager and
//! Zhang 2005):
//! $$ d_{k+1} = -g_{k+1} + \beta_k d_k, \qquad
//! \beta_k = \max\!\left(\beta^{HZ}_k, \eta_k\right), \quad
//! \beta^{HZ}_k = \frac{1}{d_k^{\mathsf T}y_k}\left(y_k - 2d_k\frac{\|y_k\|^2}{d_k^{\mathsf T}y_k}
//! \right)^{\!\mathsf T} g_{k+1}, \quad
//! \eta_k = \frac{-1}{\|d_k\|\min(0.01, \|g_k\|)}, $$
//! with $y_k = g_{k+1} - g_k$, which keeps a sufficient descent direction whatever the line
//! search accuracy. The direction restarts along $-g$ when it is not a descent direction or
//! when $d_k^{\mathsf T} y_k \le 0$. The first trial step of each line search is the minimum
//! of the quadratic model with the curvature measured along the previous direction,
//! $\alpha = -g_k^{\mathsf T}d_k / (\kappa_{k-1}\|d_k\|^2)$ with
//! $\kappa_{k-1} = (\phi'_{k-1}(\alpha_{k-1}) - \phi'_{k-1}(0))/(\alpha_{k-1}\|d_{k-1}\|^2)$
//! (falling back to Nocedal and Wright's eq. 3.60, the same first-order decrease as the last
//! step, when that curvature is not positive), and 0.1 Å of largest move on the first
//! iteration. The line search is in `linesearch` (strong Wolfe, $c_2 = 0.97$; a trial point
//! that already meets the force tolerance is accepted at once).

use crate::error::Result;
use crate::system::{Point, Relaxable};

use super::linesearch::{search, Limits, Outcome};
use super::{dot, max_move, MinimizeOptions, Monitor, Stop};

/// Curvature constant of the line search. Loose on purpose: the Hager-Zhang direction keeps
/// sufficient descent for any Wolfe step, and on the 16,000-atom rattled Fe case a loose test
/// (one evaluation for most line searches) needs fewer force evaluations in total than an
/// exact search (c2 = 0.1: 219, 0.5: 210, 0.9: 196, 0.97: 176; LAMMPS cg: 194).
const C2: f64 = 0.97;
/// Largest move of the first trial step (Å).
const FIRST_MOVE: f64 = 0.1;

/// Run CG from the structure's coordinates; returns the last accepted point, the number of
/// iterations and why it stopped.
pub(crate) fn run(
    sys: &mut Relaxable<'_>,
    options: &MinimizeOptions,
) -> Result<(Point, usize, Stop)> {
    let movable = sys.movable();
    let x0 = sys.coordinates();
    let mut p = sys.evaluate(&x0, 0)?;
    let mut monitor = Monitor::new(options);
    if let Some(stop) = monitor.converged(&p) {
        return Ok((p, 0, stop));
    }
    let n = sys.n_atoms();
    let mut d: Vec<f64> = p.gradient.iter().map(|g| -g).collect();
    mask(&mut d, &movable);
    let mut alpha_prev = 0.0;
    let mut slope_prev = 0.0;
    let mut curv_prev: f64 = 0.0;
    let mut steps = 0;
    let mut restarted = true;
    loop {
        if let Some(stop) = monitor.limit(steps, sys.evaluations()) {
            return Ok((p, steps, stop));
        }
        let slope = dot(&p.gradient, &d);
        let alpha0 = if curv_prev > 0.0 && slope < 0.0 {
            -slope / (curv_prev * dot(&d, &d))
        } else if alpha_prev > 0.0 && slope < 0.0 {
            alpha_prev * slope_prev / slope
        } else {
            FIRST_MOVE / max_move(&d, n).max(1e-300)
        };
        steps += 1;
        let limits = Limits {
            c2: C2,
            max_step: options.max_step,
            max_evaluations: options.max_evaluations,
            step: steps,
        };
        let outcome = search(sys, &p, &d, alpha0, &limits, |q| {
            options.fmax.is_some_and(|t| q.fmax < t) || options.fnorm.is_some_and(|t| q.fnorm < t)
        })?;
        let (q, alpha) = match outcome {
            Outcome::Accepted(q, a) => (q, a),
            Outcome::Stuck => {
                if restarted {
                    return Ok((p, steps, Stop::NoProgress));
                }
                // Retry once along steepest descent.
                d = p.gradient.iter().map(|g| -g).collect();
                mask(&mut d, &movable);
                restarted = true;
                alpha_prev = 0.0;
                continue;
            }
        };
        alpha_prev = alpha;
        slope_prev = slope;
        {
            let dq = dot(&q.gradient, &d);
            curv_prev = (dq - slope) / (alpha * dot(&d, &d));
        }
        // Hager-Zhang update.
        let y: Vec<f64> = q
            .gradient
            .iter()
            .zip(&p.gradient)
            .map(|(a, b)| a - b)
            .collect();
        let dy = dot(&d, &y);
        let g_norm = dot(&p.gradient, &p.gradient).sqrt();
        p = q;
        if let Some(stop) = monitor.converged(&p) {
            return Ok((p, steps, stop));
        }
        let mut beta = 0.0;
        restarted = true;
        if dy > 0.0 {
            let yy = dot(&y, &y);
            let yg = dot(&y, &p.gradient);
            let dg = dot(&d, &p.gradient);
            let hz = (yg - 2.0 * yy / dy * dg) / dy;
            let d_norm = dot(&d, &d).sqrt();
            let eta = -1.0 / (d_norm * g_norm.min(0.01));
            beta = hz.max(eta);
            restarted = false;
        }
        for ((di, gi), &m) in d.iter_mut().zip(&p.gradient).zip(&movable) {
            *di = if m { -gi + beta * *di } else { 0.0 };
        }
        let descent = dot(&d, &p.gradient);
        if descent.is_nan() || descent >= 0.0 || d.iter().any(|v| !v.is_finite()) {
            d = p.gradient.iter().map(|g| -g).collect();
            mask(&mut d, &movable);
            restarted = true;
        }
    }
}

fn mask(d: &mut [f64], movable: &[bool]) {
    for (v, &m) in d.iter_mut().zip(movable) {
        if !m {
            *v = 0.0;
        }
    }
}
