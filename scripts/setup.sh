#!/usr/bin/env bash
# One-shot set-up on a fresh machine: Debian packages (Jupyter, fonts), npm packages, build,
# and the ionsift Jupyter kernel. Safe to rerun.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-system.sh
npm ci --no-audit --no-fund
npm run build
# The kernel "ionsift" is this checkout's unless another checkout registered it first: then this
# one gets its own name (ionsift-<hash>), said on the terminal, never a silent re-point.
if [ -f dist/cli/kernel.js ]; then
  rc=0; node bin/ionsift.js kernel install || rc=$?
  if [ "$rc" = 4 ]; then node bin/ionsift.js kernel install --per-checkout || rc=$?; rc=0; fi
  if [ "$rc" != 0 ]; then echo "setup: kernel install failed (notebooks only)" >&2; fi
  node bin/ionsift.js kernel list || true
fi
