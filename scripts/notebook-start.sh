#!/usr/bin/env bash
# Jupyter Notebook on loopback only (127.0.0.1), serving notebooks/. The URL with the access
# token is printed at start. Port: $IONSIFT_NOTEBOOK_PORT (default 8888). Extra arguments go
# to `jupyter notebook`. Run scripts/notebook-setup.sh (npm run notebook:setup) once first.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! jupyter kernelspec list 2>/dev/null | grep -q '^ *ionsift '; then
  echo "notebook-start: the ionsift kernel is not registered; run: npm run notebook:setup" >&2
  exit 1
fi
extra=()
# Jupyter refuses to run as root without this (containers, CI boxes).
[ "$(id -u)" = 0 ] && extra+=(--allow-root)
export PYDEVD_DISABLE_FILE_VALIDATION=1
exec jupyter notebook --ip=127.0.0.1 --port="${IONSIFT_NOTEBOOK_PORT:-8888}" --no-browser \
  --notebook-dir=notebooks "${extra[@]}" "$@"
