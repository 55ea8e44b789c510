#!/bin/sh
# Confirm a browser's native "save as" dialog on the X display $DISPLAY, as a person does: wait for
# the dialog, replace the proposed file name by the full path OUT, press Enter.
# save_dialog.sh OUT firefox|chromium [SHOT.png]: SHOT is the whole screen just before Enter.
set -eu
out=$1
case $2 in
  firefox) title='Enter name of file|Save As|Opslaan' ;;
  chromium) title='Save File|Save As|Opslaan' ;;
  *) echo "save_dialog.sh: unknown browser $2" >&2; exit 2 ;;
esac
win=
i=0
while [ -z "$win" ]; do
  i=$((i + 1))
  if [ $i -gt 60 ]; then
    echo "save_dialog.sh: no save dialog for $2 after 30 s; windows:" >&2
    xdotool search --onlyvisible --name '.' getwindowname %@ >&2 || true
    exit 1
  fi
  sleep 0.5
  win=$(xdotool search --onlyvisible --name "$title" 2>/dev/null | tail -1 || true)
done
echo "save_dialog.sh: dialog $win: $(xdotool getwindowname "$win")"
sleep 1
xdotool windowfocus --sync "$win" 2>/dev/null || xdotool windowfocus "$win"
xdotool key --window "$win" --clearmodifiers ctrl+a
sleep 0.3
xdotool type --window "$win" --delay 20 "$out"
sleep 0.5
if [ -n "${3:-}" ]; then
  "${PYTHON:-python3}" -c 'import sys; from PIL import ImageGrab; ImageGrab.grab(xdisplay=sys.argv[1]).save(sys.argv[2])' "$DISPLAY" "$3" || true
fi
xdotool windowfocus "$win" 2>/dev/null || true
xdotool key --clearmodifiers Return
sleep 2
# Chromium's dialog takes no Enter from xdotool (Firefox's does): then its Save button, bottom right,
# is clicked with the mouse.
if xdotool search --onlyvisible --name "$title" >/dev/null 2>&1; then
  eval "$(xdotool getwindowgeometry --shell "$win")"
  xdotool mousemove --window "$win" $((WIDTH - 45)) $((HEIGHT - 25)) click 1
  sleep 1
fi
if [ -n "${3:-}" ]; then
  "${PYTHON:-python3}" -c 'import sys; from PIL import ImageGrab; ImageGrab.grab(xdisplay=sys.argv[1]).save(sys.argv[2])' "$DISPLAY" "${3%.png}-after.png" || true
fi
