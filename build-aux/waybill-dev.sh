#!/bin/sh
# The README's two commands.
#
#   build-aux/waybill-dev.sh run    install what is needed, build, fill a demo
#                                   database in build/demo-data and open Waybill on it,
#                                   its carriers simulated on 127.0.0.1 (the fake
#                                   carrier server of the tests, parcels moving on
#                                   their own)
#   build-aux/waybill-dev.sh test   install what is needed, build, run every test
#                                   headless, then again under AddressSanitizer and
#                                   UndefinedBehaviorSanitizer
#
# Works on a fresh Debian 12/13 or Ubuntu 22.04+ machine, as root or with sudo.
set -eu

cd "$(dirname "$0")/.."

PACKAGES="build-essential meson ninja-build pkg-config gettext
libglib2.0-dev libglib2.0-bin libgtk-4-dev libadwaita-1-dev libsoup-3.0-dev
libjson-glib-dev libnotify-dev libsecret-1-dev libsqlite3-dev sqlite3
desktop-file-utils appstream flatpak-builder xvfb xauth dbus dbus-x11
python3-dbusmock gnome-keyring locales libcurl4-openssl-dev python3-aiosmtpd"

# locales: the sources localedef makes de_DE.UTF-8 of, for the German dates
# of the translation test (it needs no generated locale and no root).

say() { printf '%s\n' "$*" >&2; }

install_packages() {
  missing=""
  for p in $PACKAGES; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
  done
  [ -z "$missing" ] && return 0

  say "Installing:$missing"
  if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -q
  # shellcheck disable=SC2086
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends $missing
}

# clang with libFuzzer runs the parsers' fuzz targets; best effort, since
# the package names differ between releases.
install_fuzz_packages() {
  if command -v clang >/dev/null 2>&1 && dpkg-query -W -f='${Status}' libclang-rt-dev 2>/dev/null | grep -q "install ok installed"; then
    return 0
  fi
  if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends clang libclang-rt-dev \
    || say "clang with libFuzzer is not available here: the fuzz targets are skipped."
}

build() {
  dir=$1; shift
  if [ ! -f "$dir/build.ninja" ]; then
    meson setup "$dir" "$@"
  fi
  meson compile -C "$dir"
}

case "${1:-}" in
  run)
    install_packages
    build build
    data="$PWD/build/demo-data"
    if [ ! -f "$data/waybill.db" ]; then
      ./build/src/waybill demo --data-dir "$data"
    fi
    if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
      say "There is no display to open the window on. The demo database is in $data;"
      say "try: ./build/src/waybill list --data-dir $data"
      exit 1
    fi
    # The carriers' APIs are played on 127.0.0.1 by the fake carrier server
    # of the tests (tests/demo-carrier-server.c), every parcel moving one
    # stage every DEMO_STEP_SECONDS: the window refreshes, records and
    # announces the changes through the real pipeline.  Its rate limits are
    # off and every parcel is checked every WAYBILL_REFRESH_SECONDS (both
    # only with WAYBILL_SIMULATED_CARRIERS set, which also puts up the
    # window's "simulated carrier data" banner).
    envfile="$data/demo-carriers.env"
    rm -f "$envfile"
    ./build/tests/waybill-demo-carriers --step-seconds "${DEMO_STEP_SECONDS:-20}" \
      --env-file "$envfile" --data-dir "$data" >/dev/null &
    carriers=$!
    trap 'kill "$carriers" 2>/dev/null || true' EXIT INT TERM
    tries=0
    while [ ! -s "$envfile" ]; do
      tries=$((tries + 1))
      if [ "$tries" -gt 100 ] || ! kill -0 "$carriers" 2>/dev/null; then
        say "The simulated carrier server did not start."
        exit 1
      fi
      sleep 0.1
    done
    # shellcheck disable=SC1090
    . "$envfile"
    export WAYBILL_SIMULATED_CARRIERS=1
    export WAYBILL_REFRESH_SECONDS="${WAYBILL_REFRESH_SECONDS:-15}"
    say "Carrier APIs simulated on $WAYBILL_UPS_URL: parcels move on their own"
    say "(rm -r build/demo-data for a fresh demo)."
    status=0
    GSETTINGS_SCHEMA_DIR="$PWD/build/data" ./build/src/waybill --data-dir "$data" || status=$?
    exit "$status"
    ;;
  test)
    install_packages
    build build
    meson test -C build --print-errorlogs
    say "Again under AddressSanitizer and UndefinedBehaviorSanitizer:"
    build build-sanitize -Db_sanitize=address,undefined -Db_lundef=false -Dbuildtype=debug
    ASAN_OPTIONS="detect_leaks=1:abort_on_error=1" \
    LSAN_OPTIONS="suppressions=$PWD/tests/lsan.supp:print_suppressions=0" \
    UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1" \
      meson test -C build-sanitize --print-errorlogs --timeout-multiplier 3 --no-suite ui
    # The window tests with whole allocation stacks (slower): GLib, built
    # without frame pointers, hides where its own allocations come from, and
    # a process with more than 2048 quarks drops GLib's first quark block
    # on purpose; tests/lsan.supp can only tell that one apart by the
    # library constructor (_dl_init) that allocated it.
    ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:fast_unwind_on_malloc=0:malloc_context_size=10" \
    LSAN_OPTIONS="suppressions=$PWD/tests/lsan.supp:print_suppressions=0" \
    UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1" \
      meson test -C build-sanitize --print-errorlogs --timeout-multiplier 5 --suite ui
    install_fuzz_packages
    if command -v clang >/dev/null 2>&1; then
      say "The parsers under libFuzzer, ${FUZZ_SECONDS:-10} s each:"
      CC=clang build build-fuzz
      FUZZ_SECONDS="${FUZZ_SECONDS:-10}" meson test -C build-fuzz --suite fuzz --print-errorlogs
    fi
    ;;
  *)
    say "usage: $0 run|test"
    exit 2
    ;;
esac
