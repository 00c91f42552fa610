#!/usr/bin/env bash
# Notebook set-up, offline and idempotent: Jupyter from Debian's packages where missing
# (scripts/setup-system.sh: jupyter-notebook, nbconvert, ipykernel, jupyter-client, nbclient,
# fonts-dejavu-core for text in PNGs), a built dist/, and the Jupyter kernels:
#   ionsift  "ionsift (TypeScript)"  tslab with the ionsift library preloaded
#   tslab    "TypeScript (tslab)"    plain tslab (this checkout's node_modules, no global install)
# Extra arguments go to `ionsift kernel install` (e.g. --sys-prefix, --prefix DIR).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-system.sh
if [ ! -f dist/notebook/kernel.js ] || [ ! -f dist/cli/main.js ]; then
  npm run build
fi
node bin/ionsift.js kernel install --plain "$@"
PYDEVD_DISABLE_FILE_VALIDATION=1 jupyter kernelspec list 2>/dev/null
