#!/usr/bin/env bash
# The polycrystal study of issue 8: the main job (examples/polycrystal_gb.rs) over potentials x
# box sizes x seeds, every run in its own directory, and one table of their summaries.
#
#   scripts/polycrystal_study.sh [OUT_DIR]          (default polycrystal_study/)
#
# Environment (defaults in brackets):
#   POTENTIALS  specs, space-separated  [zhou2004 eam:$SHARED/data/potentials/Fe_mm.eam.fs]
#   SIZES       box sides in lattice constants  [20 40]   (20 = 5.66 nm, 40 = 11.3 nm)
#   SEEDS       [1 2 3]
#   EXTRA       more flags for every run, e.g. "--anneal --anneal-steps 20000"  []
#   FORCE=1     rerun runs whose summary.csv exists (otherwise they are kept: resumable)
#   FE_SHARED_DIR  [../shared]
# The MTP case of the issue: POTENTIALS=mtp:$SHARED/data/potentials/Fe_mtp_L16.mtp SIZES=20.
# Cost on 2 cores (CG only): zhou2004 at 20a a few minutes per seed; 40a (1.3e5 atoms) and
# the MTP take hours. Output: OUT_DIR/study.csv (one row per run: potential, size, seed,
# gamma, unrelaxed gamma, mean per-GB energy, GBs above 1000 A^2, Voronoi volume change at
# the GB centre, ...) and OUT_DIR/<run>/ with each run's report, plots and log.
set -euo pipefail
cd "$(dirname "$0")/.."
shared="${FE_SHARED_DIR:-$(cd .. && pwd)/shared}"
out="${1:-polycrystal_study}"
potentials="${POTENTIALS:-zhou2004 eam:$shared/data/potentials/Fe_mm.eam.fs}"
sizes="${SIZES:-20 40}"
seeds="${SEEDS:-1 2 3}"
extra="${EXTRA:-}"

cargo build --release --example polycrystal_gb
bin=target/release/examples/polycrystal_gb
mkdir -p "$out"
for pot in $potentials; do
  name=$(basename "${pot#*:}" | tr -c 'A-Za-z0-9_.\n-' '_')
  for size in $sizes; do
    for seed in $seeds; do
      dir="$out/${name}_size${size}_seed${seed}"
      if [ -f "$dir/summary.csv" ] && [ -z "${FORCE:-}" ]; then
        echo "kept $dir (done)"
        continue
      fi
      mkdir -p "$dir"
      echo "running $dir"
      # shellcheck disable=SC2086
      "$bin" --potential "$pot" --size "$size" --seed "$seed" --output-dir "$dir" --quiet \
        $extra >"$dir/stdout.json" 2>"$dir/log.txt"
      tail -n 1 "$dir/stdout.json"
    done
  done
done

table="$out/study.csv"
first=1
: >"$table"
for f in "$out"/*/summary.csv; do
  [ -f "$f" ] || continue
  if [ $first = 1 ]; then head -n 1 "$f" >"$table"; first=0; fi
  tail -n +2 "$f" >>"$table"
done
echo "table: $table"
column -s, -t <"$table" 2>/dev/null || cat "$table"
