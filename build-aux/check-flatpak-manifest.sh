#!/bin/sh
# Checks a Flatpak manifest offline: flatpak-builder must parse it without an
# error and without a warning (a misspelled key is only a warning, rc 0).
# Usage: check-flatpak-manifest.sh FLATPAK_BUILDER MANIFEST
set -u

if [ $# -ne 2 ]; then
  echo "usage: $0 FLATPAK_BUILDER MANIFEST" >&2
  exit 2
fi
builder=$1
manifest=$2

if [ ! -f "$manifest" ]; then
  echo "$manifest: no such file" >&2
  exit 1
fi

# Run in a private directory and home, so nothing is left in the tree.
tmp=$(mktemp -d) || exit 1
(cd "$tmp" && HOME="$tmp" "$builder" --show-manifest "$manifest" >"$tmp/stdout" 2>"$tmp/stderr")
rc=$?
stderr=$(cat "$tmp/stderr")
rm -rf "$tmp"

if [ $rc -ne 0 ]; then
  printf '%s\n' "$stderr" >&2
  echo "$manifest: flatpak-builder --show-manifest failed (rc $rc)" >&2
  exit 1
fi

if printf '%s\n' "$stderr" | grep -q -E 'Unknown property|WARNING|CRITICAL'; then
  printf '%s\n' "$stderr" >&2
  echo "$manifest: flatpak-builder reported problems" >&2
  exit 1
fi

echo "$manifest: OK"
