#!/bin/sh
# Runs a test on a private D-Bus session bus, with a home of its own, so
# that services the bus activates (gnome-keyring for the Secret Service)
# never touch the developer's keyring or files.  Their output goes to
# stderr: stdout is the test's TAP stream.
# Usage: run-private-session.sh TEST [ARGS...]
T=$(mktemp -d) || exit 1
export HOME="$T" XDG_DATA_HOME="$T/data" XDG_CONFIG_HOME="$T/config" \
       XDG_CACHE_HOME="$T/cache" XDG_RUNTIME_DIR="$T/run" WAYBILL_TEST_PRIVATE_BUS=1
mkdir -p -m 700 "$XDG_RUNTIME_DIR"
exec 3>&1
dbus-run-session -- sh -c 'exec "$@" 1>&3 3>&-' sh "$@" 1>&2
rc=$?
exec 3>&-
rm -rf "$T"
exit $rc
