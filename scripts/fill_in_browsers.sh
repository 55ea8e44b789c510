#!/bin/sh
# Fill the werkbladen by hand, as a person does, in real Firefox (pdf.js) and real Chromium (PDFium),
# save them from the viewer, and keep the saves as golden files (issue 12, items 3 and 8).
#
#   scripts/fill_in_browsers.sh [firefox|chromium ...]     (default: both)
#
# Installs what it needs (Debian: firefox-esr chromium xvfb xdotool; npm ci in tests/engines), starts
# a private Xvfb, runs tests/engines/browsers/fill_{firefox,chromium}.mjs on output/werkboek.pdf and
# output/stap-2.pdf, and writes tests/golden/browsers/<browser>-<major>-<pdf> with a JSON beside it
# (what was typed where, versions, date) and the README's screenshots (docs/images/browsers/). Not
# run in CI: tests/test_browsers.py reads the goldens. About 3-4 minutes on 2 shared cores.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
PYTHON=${PYTHON:-$root/.venv/bin/python}
[ -x "$PYTHON" ] || PYTHON=/work/main/.venv/bin/python
export PYTHON PYTHONPATH="$root"
browsers=${*:-firefox chromium}

need=
for pair in firefox-esr:/usr/bin/firefox-esr chromium:/usr/bin/chromium xvfb:/usr/bin/Xvfb xdotool:/usr/bin/xdotool; do
  [ -x "${pair#*:}" ] || need="$need ${pair%%:*}"
done
if [ -n "$need" ]; then
  apt-get install -y $need
fi
[ -d tests/engines/node_modules/puppeteer-core ] && [ -d tests/engines/node_modules/playwright-core ] ||
  (cd tests/engines && npm ci)

work=$(mktemp -d /tmp/werkbladen-browsers.XXXXXX)
display=
for n in 91 92 93 94 95 96 97 98 99; do
  if [ ! -e /tmp/.X11-unix/X$n ] && [ ! -e /tmp/.X$n-lock ]; then display=:$n; break; fi
done
[ -n "$display" ] || { echo "no free X display" >&2; exit 1; }
Xvfb "$display" -screen 0 1280x1024x24 -nolisten tcp >"$work/xvfb.log" 2>&1 &
xvfb=$!
cleanup() { kill "$xvfb" 2>/dev/null || true; wait "$xvfb" 2>/dev/null || true; }
trap cleanup EXIT INT TERM
export DISPLAY=$display
sleep 2

status=0
for pdf in werkboek.pdf stap-2.pdf; do
  "$PYTHON" tests/engines/browsers/plan.py "output/$pdf" >"$work/${pdf%.pdf}.plan.json"
  for browser in $browsers; do
    start=$(date +%s)
    if timeout 300 node "tests/engines/browsers/fill_$browser.mjs" "output/$pdf" "$work/${pdf%.pdf}.plan.json" \
      "$work/out/$browser-$pdf" "$work/shots" >"$work/$browser-${pdf%.pdf}.log"; then
      echo "$browser $pdf: saved in $(($(date +%s) - start)) s"
      "$PYTHON" tests/engines/browsers/finish.py "$browser" "output/$pdf" "$work/out/$browser-$pdf" \
        "$work/$browser-${pdf%.pdf}.log" "$work/shots"
    else
      echo "$browser $pdf: FAILED after $(($(date +%s) - start)) s (log, screenshots: $work)" >&2
      cat "$work/$browser-${pdf%.pdf}.log" >&2
      status=1
    fi
  done
done
echo "work files (logs, all screenshots): $work"
exit $status
