#!/bin/bash
# One task of the sharded index: task i of n indexes a deterministic slice of the sorted file
# list into OUT/<table>/shard=i/. Submitted by submit.sh as `sbatch --array=1-n`.
#SBATCH --job-name=ionsift-index
#SBATCH --cpus-per-task=1
set -euo pipefail
: "${IONSIFT_DATA:?}" "${IONSIFT_OUT:?}" "${IONSIFT_SHARDS:?}"
exec node "${IONSIFT_BIN:-bin/ionsift.js}" index "$IONSIFT_DATA" \
  --jobs "${SLURM_CPUS_PER_TASK:-1}" --progress plain \
  --shard "${SLURM_ARRAY_TASK_ID}/${IONSIFT_SHARDS}" --out "$IONSIFT_OUT"
