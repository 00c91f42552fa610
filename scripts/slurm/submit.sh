#!/usr/bin/env bash
# Submit a sharded index of DATA as a Slurm job array, and the merge as a job that runs only
# when every task succeeded (--dependency=afterok). Prints "<array job id> <merge job id>".
#
#   scripts/slurm/submit.sh DATA OUT DB N [extra sbatch options for the index tasks…]
#
# IONSIFT_TASKS=2,5 submits only those tasks of the n (to rerun shards that failed); the merge
# then waits for them and reads all n shards.
#
# On a real cluster, the lines that change are marked "cluster:" below (partition, CPUs per
# task, time limit, and OUT on a shared scratch file system every node can see).
set -euo pipefail
[ $# -ge 4 ] || { echo "usage: submit.sh DATA OUT DB N [sbatch options…]" >&2; exit 2; }
DATA="$(realpath "$1")"; OUT="$(realpath -m "$2")"; DB="$(realpath -m "$3")"; N="$4"; shift 4
HERE="$(cd "$(dirname "$0")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
mkdir -p "$OUT/logs"
ARRAY=$(sbatch --parsable --array="${IONSIFT_TASKS:-1-$N}" --chdir="$REPO" \
  --output="$OUT/logs/index-%A_%a.log" \
  --export="ALL,IONSIFT_DATA=$DATA,IONSIFT_OUT=$OUT,IONSIFT_SHARDS=$N" \
  "$@" "$HERE/index-array.sh")
# cluster: add --partition, --cpus-per-task, --time to the index tasks via the extra options.
MERGE=$(sbatch --parsable --dependency="afterok:$ARRAY" --kill-on-invalid-dep=yes --chdir="$REPO" \
  --job-name=ionsift-merge --output="$OUT/logs/merge-%j.log" \
  --wrap "node bin/ionsift.js merge '$OUT' --db '$DB'")
echo "$ARRAY $MERGE"
