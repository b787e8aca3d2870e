//! Maxwell-Boltzmann velocities, kinetic energy, temperature and degrees of freedom.

use fe_structure::build::stream_rng;
use fe_structure::units::{BOLTZMANN_EV_PER_K, MVV2E};
use fe_structure::Structure;
use nalgebra::{Matrix3, Vector3};
use rand_distr::{Distribution, StandardNormal};

use crate::error::{DynamicsError, Result};

/// Atoms per random stream of [`maxwell_boltzmann`] (as `fe_structure::build::RATTLE_CHUNK`).
pub const VELOCITY_CHUNK: u64 = 4096;

/// Degrees of freedom of the free atoms: $3N_\text{free} - 3$ when no atom is fixed (total
/// momentum is conserved and set to zero), $3N_\text{free}$ otherwise; at least 1.
pub fn degrees_of_freedom(structure: &Structure) -> usize {
    let free = (0..structure.len())
        .filter(|&i| !structure.is_fixed(i))
        .count();
    let dof = if free == structure.len() {
        (3 * free).saturating_sub(3)
    } else {
        3 * free
    };
    dof.max(1)
}

/// Twice the kinetic-energy tensor $\sum_i m_i \mathbf v_i \mathbf v_i^{\mathsf T}\,
/// \mathrm{mvv2e}$ (eV).
pub fn kinetic_tensor(structure: &Structure, velocities: &[Vector3<f64>]) -> Matrix3<f64> {
    velocities
        .iter()
        .enumerate()
        .fold(Matrix3::zeros(), |acc, (i, v)| {
            acc + v * v.transpose() * (structure.mass(i) * MVV2E)
        })
}

/// Temperature $T = 2K/(n_\text{dof} k_B)$ (K) of kinetic energy `kinetic` (eV).
pub fn temperature(kinetic: f64, dof: usize) -> f64 {
    2.0 * kinetic / (dof as f64 * BOLTZMANN_EV_PER_K)
}

/// Remove the centre-of-mass velocity of the free atoms (only when no atom is fixed).
pub fn zero_momentum(structure: &Structure, velocities: &mut [Vector3<f64>]) {
    if structure.fixed().is_some_and(|f| f.iter().any(|&x| x)) || velocities.is_empty() {
        return;
    }
    let (mut p, mut m) = (Vector3::zeros(), 0.0);
    for (i, v) in velocities.iter().enumerate() {
        p += v * structure.mass(i);
        m += structure.mass(i);
    }
    let vcm = p / m;
    for v in velocities.iter_mut() {
        *v -= vcm;
    }
}

/// Set Maxwell-Boltzmann velocities at `temperature` (K): each component of free atom $i$ is
/// $\sqrt{k_BT/(m_i\,\mathrm{mvv2e})}\,\xi$ (Å/ps), $\xi \sim \mathcal N(0,1)$, then the total
/// momentum is set to zero (when no atom is fixed) and the velocities are scaled so that the
/// temperature is exactly `temperature` over [`degrees_of_freedom`] (LAMMPS `velocity create
/// ... mom yes dist gaussian` does the same). Fixed atoms get zero velocity.
///
/// Reproducible for any thread count: atom $i$ draws its three numbers from
/// `fe_structure::build::stream_rng(seed, i / 4096)` after the atoms of its chunk before it
/// (PCG64, rand_distr 0.4 `StandardNormal`).
///
/// # Errors
/// [`DynamicsError::Invalid`] for a negative or non-finite temperature.
pub fn maxwell_boltzmann(structure: &mut Structure, temperature_k: f64, seed: u64) -> Result<()> {
    if !(temperature_k.is_finite() && temperature_k >= 0.0) {
        return Err(DynamicsError::Invalid(format!(
            "temperature must be finite and non-negative, got {temperature_k} K"
        )));
    }
    let n = structure.len();
    let kt = BOLTZMANN_EV_PER_K * temperature_k;
    let mut v = vec![Vector3::zeros(); n];
    let mut rng = stream_rng(seed, 0);
    for (i, vi) in v.iter_mut().enumerate() {
        if i as u64 % VELOCITY_CHUNK == 0 {
            rng = stream_rng(seed, i as u64 / VELOCITY_CHUNK);
        }
        let s = (kt / (structure.mass(i) * MVV2E)).sqrt();
        let xi: [f64; 3] = [
            StandardNormal.sample(&mut rng),
            StandardNormal.sample(&mut rng),
            StandardNormal.sample(&mut rng),
        ];
        if !structure.is_fixed(i) {
            *vi = Vector3::new(xi[0], xi[1], xi[2]) * s;
        }
    }
    zero_momentum(structure, &mut v);
    let dof = degrees_of_freedom(structure);
    let t_now = temperature(0.5 * kinetic_tensor(structure, &v).trace(), dof);
    if t_now > 0.0 {
        let f = (temperature_k / t_now).sqrt();
        v.iter_mut().for_each(|x| *x *= f);
    }
    structure.set_velocities(Some(v))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use fe_structure::build::bcc;
    use fe_structure::Element;

    #[test]
    fn exact_temperature_zero_momentum_and_reproducible() {
        let mut s = bcc(Element::FE, 2.855).unwrap().replicate(4, 4, 4).unwrap();
        maxwell_boltzmann(&mut s, 600.0, 11).unwrap();
        let v = s.velocities().unwrap().to_vec();
        let t = temperature(0.5 * kinetic_tensor(&s, &v).trace(), degrees_of_freedom(&s));
        assert!((t - 600.0).abs() < 1e-9);
        let p: Vector3<f64> = v.iter().sum();
        assert!(p.norm() < 1e-9);
        let mut again = s.clone();
        maxwell_boltzmann(&mut again, 600.0, 11).unwrap();
        assert_eq!(again.velocities().unwrap(), &v[..]);
        maxwell_boltzmann(&mut again, 600.0, 12).unwrap();
        assert_ne!(again.velocities().unwrap(), &v[..]);
        assert!(maxwell_boltzmann(&mut again, -1.0, 1).is_err());
    }
}
