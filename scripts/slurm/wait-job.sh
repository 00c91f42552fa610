#!/usr/bin/env bash
# Wait until every task of Slurm job ID has left the queue; print its final state(s) and exit
# 0 only when all COMPLETED. Uses scontrol (no accounting database needed).
set -euo pipefail
ID="$1"; TIMEOUT="${2:-600}"
for _ in $(seq "$((TIMEOUT * 5))"); do
  [ -z "$(squeue -h -j "$ID" 2>/dev/null)" ] && break
  sleep 0.2
done
[ -z "$(squeue -h -j "$ID" 2>/dev/null)" ] || { echo "job $ID still queued after ${TIMEOUT} s" >&2; exit 1; }
states=$(scontrol -o show job "$ID" 2>/dev/null | grep -o 'JobState=[A-Z_]*' | cut -d= -f2 | sort | uniq -c | tr -s ' ' | sed 's/^ //')
echo "job $ID: ${states:-unknown}"
[ -n "$states" ] && ! echo "$states" | grep -vq 'COMPLETED'
