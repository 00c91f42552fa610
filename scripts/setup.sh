#!/usr/bin/env bash
# One-shot set-up on a fresh machine: Debian packages (Jupyter, fonts), npm packages, build,
# and the ionsift Jupyter kernel. Safe to rerun.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-system.sh
npm ci --no-audit --no-fund
npm run build
if [ -f dist/cli/kernel.js ]; then node bin/ionsift.js kernel install || echo "setup: kernel install failed (notebooks only)" >&2; fi
