//! Uniformly distributed random rotations and rigid rotation of structures.

use nalgebra::{Matrix3, Quaternion, UnitQuaternion};
use rand::{Rng, SeedableRng};
use rand_pcg::Pcg64;

use crate::error::{Result, StructureError};
use crate::structure::Structure;

/// Largest deviation of RᵀR from the identity, and of det R from 1, that
/// [`Structure::rotate`] accepts.
const ROTATION_TOLERANCE: f64 = 1e-9;

/// A rotation matrix drawn uniformly (Haar measure) from SO(3).
///
/// Shoemake's subgroup algorithm: with u1, u2, u3 uniform on [0, 1) the unit quaternion
/// $$ q = \big(\sqrt{1-u_1}\sin 2\pi u_2,\; \sqrt{1-u_1}\cos 2\pi u_2,\;
///             \sqrt{u_1}\sin 2\pi u_3,\; \sqrt{u_1}\cos 2\pi u_3\big) $$
/// is uniform on the 3-sphere, and so is its rotation on SO(3) (K. Shoemake, "Uniform random
/// rotations", in Graphics Gems III, ed. D. Kirk, Academic Press 1992, pp. 124-132,
/// doi:10.1016/B978-0-08-050755-2.50036-1). The rotation angle w then has the density
/// (1 - cos w)/pi on [0, pi]. Three uniform draws are consumed from `rng`.
///
/// ```
/// use rand::SeedableRng;
/// let mut rng = rand_pcg::Pcg64::seed_from_u64(7);
/// let r = fe_structure::build::random_rotation(&mut rng);
/// assert!((r.determinant() - 1.0).abs() < 1e-12);
/// ```
pub fn random_rotation<R: Rng + ?Sized>(rng: &mut R) -> Matrix3<f64> {
    let u1: f64 = rng.gen();
    let u2: f64 = rng.gen();
    let u3: f64 = rng.gen();
    let tau = std::f64::consts::TAU;
    let (s1, c1) = ((1.0 - u1).sqrt(), u1.sqrt());
    // Quaternion::new takes (w, i, j, k); any assignment of the four components is uniform.
    let q = Quaternion::new(
        c1 * (tau * u3).cos(),
        s1 * (tau * u2).sin(),
        s1 * (tau * u2).cos(),
        c1 * (tau * u3).sin(),
    );
    UnitQuaternion::from_quaternion(q)
        .to_rotation_matrix()
        .into_inner()
}

/// [`random_rotation`] from a [`Pcg64`] generator seeded with
/// `Pcg64::seed_from_u64(seed)` (rand_core 0.6's seed expansion): the same seed gives the same
/// rotation on every platform.
pub fn random_rotation_seeded(seed: u64) -> Matrix3<f64> {
    random_rotation(&mut Pcg64::seed_from_u64(seed))
}

impl Structure {
    /// Rotate the structure rigidly by the proper rotation `r`: every position r_i -> R r_i,
    /// every cell row h -> R h (H -> H Rᵀ) and every velocity v_i -> R v_i.
    ///
    /// Not rotated: named per-atom properties (a `forces` column, for example) and per-structure
    /// info (`virial`, `stress`), which are stored as plain numbers without a declared tensor
    /// character; rotate or drop them yourself. Fractional coordinates are unchanged.
    ///
    /// # Errors
    /// [`StructureError::Invalid`] when `r` is not finite, not orthogonal or has determinant
    /// -1 (|RᵀR - I| or |det R - 1| above 1e-9); use [`Structure::deform`] for general maps.
    pub fn rotate(&mut self, r: &Matrix3<f64>) -> Result<()> {
        let off = (r.transpose() * r - Matrix3::identity()).abs().max();
        let det = r.determinant();
        if !(off <= ROTATION_TOLERANCE && (det - 1.0).abs() <= ROTATION_TOLERANCE) {
            return Err(StructureError::Invalid(format!(
                "not a proper rotation: max |R^T R - I| = {off:e}, det R = {det}"
            )));
        }
        self.deform(r)?;
        if let Some(v) = self.velocities_mut() {
            for vi in v.iter_mut() {
                *vi = r * *vi;
            }
        }
        Ok(())
    }
}
