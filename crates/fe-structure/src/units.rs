//! Physical constants and unit conversions, LAMMPS `metal` units throughout.
//!
//! Where results are compared with LAMMPS we use LAMMPS' own values for `metal` units
//! (`src/update.cpp`, `force->boltz` etc.), not CODATA; report conversions to SI use CODATA 2018.

/// Boltzmann constant k_B in eV/K (LAMMPS `metal` value).
pub const BOLTZMANN_EV_PER_K: f64 = 8.617343e-5;
/// Planck constant h in eV ps (LAMMPS `metal` value).
pub const PLANCK_EV_PS: f64 = 4.135667403e-3;
/// Kinetic energy conversion: (1/2) m v^2 with m in amu and v in A/ps, times this, is eV
/// (LAMMPS `mvv2e`).
pub const MVV2E: f64 = 1.0364269e-4;
/// Pressure conversion: eV/A^3 times this is bar (LAMMPS `nktv2p`).
pub const NKTV2P: f64 = 1.6021765e6;
/// Coulomb conversion e^2/A to eV (LAMMPS `qqr2e`).
pub const QQR2E: f64 = 14.399645;
/// 1 eV/A^2 in J/m^2 (CODATA 2018 elementary charge).
pub const EV_PER_A2_TO_J_PER_M2: f64 = 16.021_766_34;
/// 1 eV/A^3 in GPa (CODATA 2018).
pub const EV_PER_A3_TO_GPA: f64 = 160.217_663_4;
/// 1 amu/A^3 in g/cm^3 (1 amu = 1.660 539 066 60e-24 g, CODATA 2018).
pub const AMU_PER_A3_TO_G_PER_CM3: f64 = 1.660_539_066_60;
