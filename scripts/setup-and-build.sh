#!/usr/bin/env bash
# Set up a fresh machine and run the main job: build the blank PDFs into output/.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check -e .
.venv/bin/werkbladen build -o output "$@"
