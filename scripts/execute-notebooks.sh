#!/bin/sh
# Re-executes notebooks in place with the transportlab kernel, saving their outputs.
# usage: scripts/execute-notebooks.sh [notebooks/<name>.ipynb ...]   (default: every notebook)
# Needs the compiled package (npm run build) and Debian's jupyter-nbconvert.
set -eu
cd "$(dirname "$0")/.."
node dist/cli/main.js install --prefix build/jupyter >/dev/null
[ "$#" -gt 0 ] || set -- notebooks/*.ipynb
for nb in "$@"; do
  echo "executing $nb"
  JUPYTER_PATH="$PWD/build/jupyter/share/jupyter" /usr/bin/jupyter nbconvert --to notebook --execute --inplace \
    --ExecutePreprocessor.timeout=600 "$nb"
done
