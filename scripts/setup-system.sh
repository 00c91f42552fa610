#!/usr/bin/env bash
# Debian packages the project needs beyond Node (Jupyter for the notebook tests, fonts for PNG text,
# Slurm and munge for the cluster test and `npm run slurm:demo`, Chromium for the browser tests
# of the report and notebook exports, driven by playwright-core).
# Idempotent: installs only what is missing. Needs root (CI and the dev machines run as root).
set -euo pipefail
need=()
for p in jupyter-notebook jupyter-nbconvert python3-ipykernel jupyter-client python3-nbclient fonts-dejavu-core slurm-wlm munge chromium; do
  dpkg -s "$p" >/dev/null 2>&1 || need+=("$p")
done
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then echo "setup-system: need root to install: ${need[*]}" >&2; exit 1; fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
