#!/usr/bin/env bash
# Set up a fresh machine and run the main job: build the blank PDFs into output/.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x .venv/bin/python ]; then
    echo "==> creating .venv"
    python3 -m venv .venv
fi
echo "==> installing the package into .venv"
.venv/bin/python -m pip install -q --disable-pip-version-check -e .
echo "==> building the blank PDFs into output/"
.venv/bin/werkbladen build -o output "$@"
