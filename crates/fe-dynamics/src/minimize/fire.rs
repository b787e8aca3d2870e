//! FIRE 2.0 (Guénolé, Nöhring, Vaid, Houllé, Xie, Prakash and Bitzek, Comput. Mater. Sci. 175,
//! 109584, 2020) on the generalized coordinates with unit masses:
//! semi-implicit Euler steps $v \leftarrow v + \Delta t\,F$,
//! $v \leftarrow (1-\alpha)v + \alpha\,|v|\,\hat F$, $x \leftarrow x + \Delta t\,v$ with
//! $F = -\partial\mathcal H/\partial x$ (eV/Å); while $P = F\cdot v > 0$ for more than
//! $N_\text{delay} = 20$ steps, $\Delta t \leftarrow \min(1.1\Delta t, \Delta t_\text{max})$ and
//! $\alpha \leftarrow 0.99\alpha$; when $P \le 0$, $x \leftarrow x - \Delta t\,v/2$, $v
//! \leftarrow 0$, $\Delta t \leftarrow \max(\Delta t/2, \Delta t_\text{min})$, $\alpha
//! \leftarrow \alpha_0 = 0.25$ (not during the first $N_\text{delay}$ steps), and after 2,000
//! consecutive uphill steps the run stops as not converged. Time unit: Å (amu/eV)^½ with unit
//! mass; $\Delta t_0 = 0.1$, $\Delta t_\text{max} = 1$, $\Delta t_\text{min} = 0.02$. No
//! coordinate moves more than `max_step` per step. One force evaluation per step.

use crate::error::Result;
use crate::system::{Point, Relaxable};

use super::{dot, max_move, MinimizeOptions, Monitor, Stop};

const N_DELAY: usize = 20;
const N_NEGATIVE_MAX: usize = 2000;
const F_INC: f64 = 1.1;
const F_DEC: f64 = 0.5;
const ALPHA0: f64 = 0.25;
const F_ALPHA: f64 = 0.99;
const DT0: f64 = 0.1;
const DT_MAX: f64 = 1.0;
const DT_MIN: f64 = 0.02;

/// Run FIRE from the structure's coordinates.
pub(crate) fn run(
    sys: &mut Relaxable<'_>,
    options: &MinimizeOptions,
) -> Result<(Point, usize, Stop)> {
    let movable = sys.movable();
    let n = sys.n_atoms();
    let x0 = sys.coordinates();
    let mut p = sys.evaluate(&x0, 0)?;
    let mut monitor = Monitor::new(options);
    if let Some(stop) = monitor.converged(&p) {
        return Ok((p, 0, stop));
    }
    let mut v = vec![0.0; x0.len()];
    let mut x = x0;
    let mut dt = DT0;
    let mut alpha = ALPHA0;
    let (mut n_pos, mut n_neg) = (0usize, 0usize);
    let mut best = p.clone();
    let mut steps = 0;
    loop {
        if let Some(stop) = monitor.limit(steps, sys.evaluations()) {
            return Ok((best, steps, stop));
        }
        steps += 1;
        let force: Vec<f64> = p
            .gradient
            .iter()
            .zip(&movable)
            .map(|(g, &m)| if m { -g } else { 0.0 })
            .collect();
        let power = dot(&force, &v);
        if power > 0.0 {
            n_pos += 1;
            n_neg = 0;
            if n_pos > N_DELAY {
                dt = (dt * F_INC).min(DT_MAX);
                alpha *= F_ALPHA;
            }
        } else {
            n_neg += 1;
            n_pos = 0;
            if n_neg > N_NEGATIVE_MAX {
                return Ok((best, steps, Stop::NoProgress));
            }
            if steps > N_DELAY {
                dt = (dt * F_DEC).max(DT_MIN);
                alpha = ALPHA0;
            }
            for (xi, vi) in x.iter_mut().zip(&v) {
                *xi -= 0.5 * dt * vi;
            }
            v.iter_mut().for_each(|vi| *vi = 0.0);
        }
        for (vi, fi) in v.iter_mut().zip(&force) {
            *vi += dt * fi;
        }
        let v_norm = dot(&v, &v).sqrt();
        let f_norm = dot(&force, &force).sqrt();
        if f_norm > 0.0 {
            for (vi, fi) in v.iter_mut().zip(&force) {
                *vi = (1.0 - alpha) * *vi + alpha * v_norm * fi / f_norm;
            }
        }
        let mut dx: Vec<f64> = v.iter().map(|vi| dt * vi).collect();
        let largest = max_move(&dx, n);
        if largest > options.max_step {
            let s = options.max_step / largest;
            dx.iter_mut().for_each(|d| *d *= s);
        }
        for (xi, di) in x.iter_mut().zip(&dx) {
            *xi += di;
        }
        p = sys.evaluate(&x, steps)?;
        if p.objective <= best.objective || p.fmax < best.fmax {
            best = p.clone();
        }
        if let Some(stop) = monitor.converged(&p) {
            return Ok((p, steps, stop));
        }
    }
}
