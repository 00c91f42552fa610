#!/usr/bin/env bash
# The whole cluster recipe on one machine (npm run slurm:demo): start a single-node Slurm,
# index DATA as N shards in a job array, merge after the array (afterok), index the same DATA
# on this machine in one run, compare the two databases row for row, stop the daemons.
# Ends with one line saying whether the merged database equals the single-machine one.
#
#   scripts/slurm/demo.sh [DATA=datasets] [N=4]
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
DATA="$(realpath "${1:-$REPO/datasets}")"; N="${2:-4}"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/ionsift-slurm-demo.XXXXXX")"
export IONSIFT_SLURM_DIR="${IONSIFT_SLURM_DIR:-$WORK/cluster}"
cd "$REPO"
[ -f dist/cli/main.js ] || npm run build >/dev/null
trap 'bash "$HERE/cluster.sh" stop; rm -rf "$WORK"' EXIT
eval "$(bash "$HERE/cluster.sh" start)"   # sets SLURM_CONF
echo "slurm: $(sinfo -h -o '%P %D node(s) %T') ($SLURM_CONF)"
read -r ARRAY MERGE < <(bash "$HERE/submit.sh" "$DATA" "$WORK/out" "$WORK/merged.duckdb" "$N")
echo "submitted: index array $ARRAY (1-$N), merge $MERGE (afterok:$ARRAY)"
bash "$HERE/wait-job.sh" "$ARRAY"
bash "$HERE/wait-job.sh" "$MERGE" || { cat "$WORK"/out/logs/merge-*.log >&2; exit 1; }
cat "$WORK"/out/logs/merge-*.log
node bin/ionsift.js index "$DATA" --db "$WORK/single.duckdb" --progress none >/dev/null
if node bin/ionsift.js diff "$WORK/merged.duckdb" "$WORK/single.duckdb" >"$WORK/diff.txt"; then
  echo "slurm demo: the merged database of $N shards equals the single-machine run, row for row"
else
  cat "$WORK/diff.txt"
  echo "slurm demo: the merged database of $N shards DIFFERS from the single-machine run"
  exit 1
fi
