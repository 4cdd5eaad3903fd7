#!/bin/sh
# Runs a test on a private Xvfb display, a private D-Bus session bus and a
# home of its own, so that nothing it starts (the keyring daemon, D-Bus
# activated by the preferences) touches the user's files.  Only the test's
# own output reaches stdout, where meson reads TAP.
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
T=$(mktemp -d)
export HOME="$T" XDG_DATA_HOME="$T/data" XDG_CONFIG_HOME="$T/config" \
       XDG_CACHE_HOME="$T/cache" XDG_RUNTIME_DIR="$T/run"
mkdir -p -m 700 "$XDG_RUNTIME_DIR"
exec 4>&1
DISPLAY=":$(cat "$F")" dbus-run-session -- sh -c 'exec "$@" 1>&4 4>&-' sh "$@" 1>&2
rc=$?
exec 4>&-
kill $XPID 2>/dev/null
wait $XPID 2>/dev/null
rm -f "$F"
rm -rf "$T"
exit $rc
