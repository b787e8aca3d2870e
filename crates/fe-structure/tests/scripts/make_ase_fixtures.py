"""Write the ASE-made fixtures of tests/fixtures/good/ (ASE 3.29; run from the crate root).

    peers-python tests/scripts/make_ase_fixtures.py

Prints the values the integration tests check (they come from ASE, not from our reader).
"""
import numpy as np
from ase.build import bulk
from ase.calculators.singlepoint import SinglePointCalculator
from ase.constraints import FixAtoms, FixCartesian, FixScaled
from ase.io import write

OUT = "tests/fixtures/good/"
rng = np.random.default_rng(7)

# rattled bcc Fe with one W, forces, energy, Voigt stress, tags, pbc F T T
a = bulk("Fe", "bcc", a=2.855, cubic=True).repeat((2, 1, 1))
a.symbols[3] = "W"
a.positions += rng.normal(0, 0.05, a.positions.shape)
a.pbc = [False, True, True]
a.set_tags([1, 2, 3, 4])
forces = rng.normal(0, 0.3, (len(a), 3))
stress = np.array([0.01, 0.02, 0.03, -0.004, 0.005, -0.006])
a.calc = SinglePointCalculator(a, energy=-16.25, forces=forces, stress=stress)
a.info["config_type"] = "rattled bcc"
write(OUT + "ase_rattled_bcc.extxyz", a)
print("rattled pos[3]", repr(a.positions[3].tolist()))
print("rattled forces[1]", repr(forces[1].tolist()))

# three frames of growing size
frames = []
for k, n in enumerate([1, 2, 3]):
    f = bulk("W", "bcc", a=3.165, cubic=True).repeat((n, 1, 1))
    f.info["step"] = k
    f.calc = SinglePointCalculator(f, energy=-8.9 * len(f))
    frames.append(f)
write(OUT + "ase_multi.extxyz", frames)
print("multi energies", [f.get_potential_energy() for f in frames])

# FixAtoms, explicit masses and momenta (velocities)
c = bulk("Fe", "bcc", a=2.855, cubic=True).repeat((1, 1, 2))
c.set_constraint(FixAtoms(indices=[0, 2]))
c.set_masses([55.0, 56.0, 57.0, 58.0])
c.set_momenta(rng.normal(0, 0.5, (len(c), 3)))
write(OUT + "ase_fixatoms.extxyz", c)
print("fixatoms velocities A/ps", repr((c.get_velocities() * 1000 * __import__("ase").units.fs).tolist()))

# FixCartesian holding atom 1 along x and z only
d = bulk("Fe", "bcc", a=2.855, cubic=True)
d.set_constraint([FixCartesian(1, mask=[True, False, True]), FixAtoms(indices=[0])])
write(OUT + "ase_fixcartesian.extxyz", d)

# POSCAR with selective dynamics (FixAtoms + FixScaled), direct coordinates, velocities
p = bulk("Fe", "bcc", a=2.855, cubic=True).repeat((2, 1, 1))
p.symbols[1] = "W"
p.cell[1, 0] = 0.4
p.positions += rng.normal(0, 0.02, p.positions.shape)
p.set_constraint([FixAtoms(indices=[0]), FixScaled(2, [False, True, False], p.cell)])
p.set_velocities(rng.normal(0, 0.01, (len(p), 3)))
write(OUT + "ase_selective.vasp", p, format="vasp", direct=True)
print("poscar positions[2]", repr(p.positions[2].tolist()))
print("poscar cell", repr(p.cell[:].tolist()))
print("poscar velocities[1] A/ps", repr((p.get_velocities()[1] * 1000 * __import__("ase").units.fs).tolist()))

# VASP 4 (no symbol line): W then Fe with ReadOptions::types = [Fe, W]... counts follow atom runs
q = bulk("Fe", "bcc", a=2.855, cubic=True)
write(OUT + "POSCAR_ase_vasp4", q, format="vasp", vasp5=False)
