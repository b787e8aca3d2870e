//! Seeded random displacements (rattles) with a documented, thread-count-free stream layout.

use rand::SeedableRng;
use rand_distr::{Distribution, Normal};
use rand_pcg::Pcg64;

use crate::error::{Result, StructureError};
use crate::structure::Structure;

/// Atoms per random stream in [`rattle`]: atoms `c * RATTLE_CHUNK .. (c + 1) * RATTLE_CHUNK`
/// draw from stream `c`. Fixed, so results never depend on how the work is split.
pub const RATTLE_CHUNK: usize = 4096;

/// SplitMix64 finaliser (Steele, Lea and Flood 2014): a bijective 64-bit mixer.
fn splitmix64(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE5_E4B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The generator of random stream `stream` under the user seed `seed`:
/// `Pcg64::seed_from_u64(splitmix64(seed ^ splitmix64(stream)))`, where `Pcg64` is PCG
/// XSL-RR 128/64 (rand_pcg 0.3), `seed_from_u64` is rand_core 0.6's seed expansion and
/// splitmix64 is the SplitMix64 output function applied to x + 0x9E3779B97F4A7C15.
///
/// Streams for different (seed, stream) pairs are seeded with well-mixed, distinct-looking
/// states, so chunks of a parallel loop can each own one and reproduce serial results.
pub fn stream_rng(seed: u64, stream: u64) -> Pcg64 {
    Pcg64::seed_from_u64(splitmix64(seed ^ splitmix64(stream)))
}

/// Displace every coordinate of every non-fixed atom by an independent normal draw
/// N(0, sigma^2), sigma in Angstrom:
/// $$ x_{ia} \to x_{ia} + \sigma\,\xi_{ia}, \qquad \xi_{ia} \sim \mathcal N(0, 1). $$
///
/// Reproducible: atom i draws its three numbers (x, y, z in turn) from
/// [`stream_rng`]`(seed, i / RATTLE_CHUNK)`, after the atoms of its chunk that precede it, with
/// rand_distr 0.4's `Normal` (ziggurat). Fixed atoms draw too but are not moved, so fixing an
/// atom does not change the displacements of the others, and an atom's displacement does not
/// depend on the atoms after it. Positions are not wrapped afterwards.
///
/// ```
/// let mut s = fe_structure::build::bcc(fe_structure::Element::FE, 2.855).unwrap();
/// fe_structure::build::rattle(&mut s, 0.05, 42).unwrap();
/// assert!(s.positions()[0].norm() > 0.0);
/// ```
///
/// # Errors
/// [`StructureError::Invalid`] when `sigma` is negative or not finite.
pub fn rattle(structure: &mut Structure, sigma: f64, seed: u64) -> Result<()> {
    if !(sigma.is_finite() && sigma >= 0.0) {
        return Err(StructureError::Invalid(format!(
            "rattle sigma must be finite and non-negative, got {sigma} A"
        )));
    }
    let normal = Normal::new(0.0, sigma)
        .map_err(|e| StructureError::Invalid(format!("rattle sigma {sigma} A: {e}")))?;
    let fixed: Option<Vec<bool>> = structure.fixed().map(<[bool]>::to_vec);
    let positions = structure.positions_mut();
    for (c, chunk) in positions.chunks_mut(RATTLE_CHUNK).enumerate() {
        let mut rng = stream_rng(seed, c as u64);
        for (k, r) in chunk.iter_mut().enumerate() {
            let dx = normal.sample(&mut rng);
            let dy = normal.sample(&mut rng);
            let dz = normal.sample(&mut rng);
            let i = c * RATTLE_CHUNK + k;
            if !fixed.as_ref().is_some_and(|f| f[i]) {
                *r += nalgebra::Vector3::new(dx, dy, dz);
            }
        }
    }
    Ok(())
}
