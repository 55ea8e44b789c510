#!/usr/bin/env bash
# Set up a fresh Debian machine for the tests and run them all: ruff, mypy (strict), pytest.
# Installs the PDF engines the tests fill and render with (poppler, qpdf, pdftk, MuPDF from
# Debian; pdf.js and pdf-lib from npm; PDFium and PyMuPDF from PyPI) into this checkout.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
for pair in pdftoppm:poppler-utils qpdf:qpdf pdftk:pdftk-java mutool:mupdf-tools /usr/bin/time:time; do
    command -v "${pair%%:*}" >/dev/null 2>&1 || missing+=("${pair#*:}")
done
if ((${#missing[@]})); then
    echo "installing Debian packages: ${missing[*]}"
    sudo_=""; [ "$(id -u)" = 0 ] || sudo_="sudo"
    $sudo_ apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo_ apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check -e ".[test]"

if [ -f tests/engines/package.json ]; then
    (cd tests/engines && npm ci --silent --no-audit --no-fund)
fi

.venv/bin/ruff check werkbladen tests scripts
.venv/bin/ruff format --check werkbladen tests scripts
.venv/bin/mypy
.venv/bin/python -m pytest "$@"
