#!/bin/sh
# Runs a libFuzzer target for a bounded time, on a scratch corpus seeded
# with the test fixtures (which are only read).  On a finding, the input
# that triggered it is kept and its path printed.
# Usage: run-fuzzer.sh FUZZER SECONDS [SEED_DIR...]
# FUZZ_SECONDS in the environment overrides SECONDS.
set -u
fuzzer=$1
seconds=${FUZZ_SECONDS:-$2}
shift 2
work=$(mktemp -d) || exit 1
mkdir "$work/corpus"
"$fuzzer" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
          -artifact_prefix="$work/" "$work/corpus" "$@" >"$work/log" 2>&1
rc=$?
tail -n 5 "$work/log"
if [ $rc -ne 0 ]; then
  cat "$work/log" >&2
  echo "$(basename "$fuzzer") found a problem; inputs kept in $work" >&2
  exit $rc
fi
rm -rf "$work"
exit 0
