#!/usr/bin/env bash
# Set up a fresh Debian machine for the tests and run them all: ruff, mypy (strict), pytest.
# Installs the PDF engines the tests fill and render with (poppler, qpdf, pdftk, MuPDF from
# Debian; pdf.js and pdf-lib from npm; PDFium and PyMuPDF from PyPI) into this checkout, and the
# fonts the rendering tests rely on: DejaVu, and URW's base35 fonts, so that poppler draws the
# standard 14 fonts (Helvetica, ZapfDingbats) that PDFs name without embedding with a fixed,
# known font (see tests/test_visual.py), and LibreOffice Calc (headless), which must open the XLSX
# workbook (tests/test_people.py). Fast and idempotent when everything is there.
set -euo pipefail
cd "$(dirname "$0")/.."

# Waits for another apt/dpkg run (unattended upgrades, a second job) instead of failing at once.
APT=(apt-get -o DPkg::Lock::Timeout=600)

missing=()
for pair in pdftoppm:poppler-utils qpdf:qpdf pdftk:pdftk-java mutool:mupdf-tools /usr/bin/time:time \
    fc-match:fontconfig soffice:libreoffice-calc-nogui; do
    command -v "${pair%%:*}" >/dev/null 2>&1 || missing+=("${pair#*:}")
done
for font in fonts-dejavu-core fonts-urw-base35; do
    dpkg-query -W -f='${Status}' "$font" 2>/dev/null | grep -q "install ok installed" || missing+=("$font")
done
if ((${#missing[@]})); then
    echo "==> installing Debian packages: ${missing[*]}"
    sudo_=""
    [ "$(id -u)" = 0 ] || sudo_="sudo"
    $sudo_ "${APT[@]}" update -qq
    $sudo_ env DEBIAN_FRONTEND=noninteractive "${APT[@]}" install -y -qq --no-install-recommends \
        "${missing[@]}" >/dev/null
fi

if [ ! -x .venv/bin/python ]; then
    echo "==> creating .venv"
    python3 -m venv .venv
fi
echo "==> installing the package with its test extras into .venv"
.venv/bin/python -m pip install -q --disable-pip-version-check -e ".[test]"

if [ -f tests/engines/package.json ]; then
    echo "==> npm ci in tests/engines"
    (cd tests/engines && npm ci --silent --no-audit --no-fund)
fi

echo "==> ruff"
.venv/bin/ruff check werkbladen tests scripts
.venv/bin/ruff format --check werkbladen tests scripts
echo "==> mypy"
.venv/bin/mypy
echo "==> pytest"
.venv/bin/python -m pytest "$@"
