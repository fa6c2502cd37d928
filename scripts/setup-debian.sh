#!/usr/bin/env bash
# Installs the Debian packages transportlab needs: Jupyter's server, classic notebook UI,
# nbconvert/nbclient and the kernel test suite; OpenBLAS headers for the optional native addon;
# Chromium for the browser tests (never a downloaded browser). Skips what is already there.
#   bash scripts/setup-debian.sh            # what `npm start` and `npm test` need
#   bash scripts/setup-debian.sh --bench    # also python3-torch, for `npm run bench`
set -euo pipefail
packages=(jupyter-core jupyter-notebook jupyter-nbconvert python3-nbclient python3-jupyter-client
  python3-jupyter-server python3-jupyterlab-server python3-jupyter-kernel-test python3-ipykernel
  libopenblas-dev chromium)
[ "${1:-}" = "--bench" ] && packages+=(python3-torch)
command -v dpkg >/dev/null || { echo "setup-debian: not a Debian system; install Jupyter yourself (see environment.yml)"; exit 0; }
missing=()
for p in "${packages[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -q
  $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
