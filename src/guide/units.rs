//! # Units, signs and tensors
//!
//! Everything uses LAMMPS `metal` units: length Angstrom, energy eV, time ps, mass amu,
//! temperature K, pressure bar; velocities A/ps, forces eV/A. Reports may add SI units, named in
//! the key (`average_gb_energy_J_per_m2`). The constants live in [`crate::structure::units`], with
//! LAMMPS' own values where we compare with LAMMPS (k_B = 8.617343e-5 eV/K,
//! nktv2p = 1.6021765e6 bar A^3/eV).
//!
//! ## Cells and positions
//! A cell is a matrix H whose **rows** are the lattice vectors a, b, c. Positions and fractional
//! coordinates are row vectors, r = s H. Any non-singular cell is accepted (left-handed too,
//! volume |det H|); only the LAMMPS writers rotate it into LAMMPS' restricted triclinic form.
//! Atoms may lie outside the cell; nothing wraps them unless asked to.
//!
//! ```
//! use fe::structure::Cell;
//! use nalgebra::Vector3;
//! let cell = Cell::cubic(2.0).unwrap();
//! let s = cell.to_fractional(&Vector3::new(1.0, 3.0, -1.0));
//! assert_eq!(s, Vector3::new(0.5, 1.5, -0.5));
//! ```
//!
//! ## Forces and the virial
//! Forces are -dE/dr. The virial is the symmetric 3x3 tensor
//! $$ W_{ab} = \sum_{\text{pairs}} r_{ij,a} f_{ij,b} = -\frac{\partial E}{\partial \varepsilon_{ab}}, $$
//! with r_ij = r_i - r_j and f_ij the force on i due to j, in eV, positive when atoms repel, so
//! the static pressure is P = tr W / (3V). It is LAMMPS' virial times the volume. ASE's stress
//! is -W/V. Voigt order in files is xx yy zz yz xz xy.
//!
//! ## Neighbour images
//! A neighbour entry (j, S) of atom i stands for the displacement r_j + S H - r_i with the
//! positions exactly as stored; S counts lattice vectors along each axis. Every image counts
//! separately, so in a cell smaller than twice the cutoff an atom can be its own neighbour.
