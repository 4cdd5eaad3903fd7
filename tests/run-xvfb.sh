#!/bin/sh
# Runs a command on a private Xvfb display and a private D-Bus session bus.
# Xvfb picks its own display number (-displayfd), so parallel tests never race.
F=$(mktemp)
Xvfb -displayfd 3 -screen 0 1280x1024x24 -nolisten tcp 3>"$F" 2>/dev/null &
XPID=$!
i=0
while [ ! -s "$F" ] && [ $i -lt 250 ]; do sleep 0.02; i=$((i+1)); done
if [ ! -s "$F" ]; then
  echo "Bail out! Xvfb did not start" >&2
  kill $XPID 2>/dev/null
  rm -f "$F"
  exit 1
fi
DISPLAY=":$(cat "$F")" dbus-run-session -- "$@"
rc=$?
kill $XPID 2>/dev/null
wait $XPID 2>/dev/null
rm -f "$F"
exit $rc
