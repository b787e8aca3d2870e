//! Temperature schedules: a hold, a linear ramp, or any piecewise-linear program in time, for
//! anneal-and-cool protocols.

use crate::error::{DynamicsError, Result};

/// Target temperature as a piecewise-linear function of time: points $(t_k, T_k)$ with
/// increasing $t_k$ (ps) and $T_k \ge 0$ (K),
/// $T(t) = T_k + (T_{k+1} - T_k)(t - t_k)/(t_{k+1} - t_k)$ between points and constant before
/// the first and after the last.
#[derive(Debug, Clone, PartialEq)]
pub struct Schedule {
    points: Vec<(f64, f64)>,
}

impl Schedule {
    /// A constant temperature (K).
    ///
    /// # Errors
    /// A negative or non-finite temperature.
    pub fn hold(temperature: f64) -> Result<Schedule> {
        Schedule::piecewise(vec![(0.0, temperature)])
    }

    /// A linear ramp from `from` to `to` (K) over `duration` ps from time 0, then `to`.
    ///
    /// # Errors
    /// Negative or non-finite temperatures, a duration that is not finite and positive.
    pub fn ramp(from: f64, to: f64, duration: f64) -> Result<Schedule> {
        Schedule::piecewise(vec![(0.0, from), (duration, to)])
    }

    /// Any program of (time ps, temperature K) points.
    ///
    /// # Errors
    /// No points, times not finite and strictly increasing, temperatures negative or not
    /// finite.
    pub fn piecewise(points: Vec<(f64, f64)>) -> Result<Schedule> {
        if points.is_empty() {
            return Err(DynamicsError::Invalid("a schedule needs a point".into()));
        }
        for (k, &(t, temp)) in points.iter().enumerate() {
            if !(t.is_finite() && temp.is_finite() && temp >= 0.0) {
                return Err(DynamicsError::Invalid(format!(
                    "schedule point {k}: time {t} ps, temperature {temp} K (need finite, T >= 0)"
                )));
            }
            if k > 0 && t <= points[k - 1].0 {
                return Err(DynamicsError::Invalid(format!(
                    "schedule times must increase: point {k} at {t} ps"
                )));
            }
        }
        Ok(Schedule { points })
    }

    /// The target temperature at time `t` (ps).
    pub fn at(&self, t: f64) -> f64 {
        let p = &self.points;
        if t <= p[0].0 {
            return p[0].1;
        }
        for w in p.windows(2) {
            let ((t0, a), (t1, b)) = (w[0], w[1]);
            if t <= t1 {
                return a + (b - a) * (t - t0) / (t1 - t0);
            }
        }
        p[p.len() - 1].1
    }

    /// The lowest temperature of the program (K).
    pub fn min_temperature(&self) -> f64 {
        self.points
            .iter()
            .map(|p| p.1)
            .fold(f64::INFINITY, f64::min)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ramp_interpolates_and_holds() {
        let s = Schedule::ramp(300.0, 0.1, 100.0).unwrap();
        assert_eq!(s.at(-1.0), 300.0);
        assert!((s.at(50.0) - 150.05).abs() < 1e-12);
        assert_eq!(s.at(200.0), 0.1);
        assert!(Schedule::piecewise(vec![(0.0, 1.0), (0.0, 2.0)]).is_err());
        assert!(Schedule::hold(-1.0).is_err());
        assert!(Schedule::hold(f64::NAN).is_err());
    }
}
