#!/bin/sh
# Checks that po/POTFILES.in lists every source file with translatable strings,
# and that every file it lists exists. Files listed in po/POTFILES.skip (if
# any) are known to hold no strings for translators and are not reported.
# Usage: check-potfiles.sh [SOURCE_ROOT]
set -u

root=${1:-$(dirname "$0")/..}
cd "$root" || exit 2

potfiles=po/POTFILES.in
if [ ! -f "$potfiles" ]; then
  echo "$potfiles: no such file" >&2
  exit 1
fi

# The entries of a POTFILES-style list: no comments, no blank lines.
entries () {
  [ -f "$1" ] || return 0
  sed -e '/^[[:space:]]*#/d' -e 's/^[[:space:]]*//' -e 's/[[:space:]]*$//' -e '/^$/d' "$1"
}

listed=$(entries "$potfiles")
skipped=$(entries po/POTFILES.skip)

# Whether a file holds strings that xgettext extracts for translators.
is_translatable () {
  case $1 in
    *.c | *.h)
      grep -q -E '(^|[^A-Za-z0-9_])(_|N_|C_|NC_|Q_) *\(|(^|[^A-Za-z0-9_])(g_)?(d|dc|n|dn|p|np|dp|dcn)?gettext2? *\(' "$1" ;;
    *.ui)
      grep -q -E "translatable=[\"'](yes|true|1)[\"']" "$1" ;;
    *.desktop.in | *.desktop.in.in)
      grep -q -E '^_?(Name|GenericName|Comment|Keywords)(\[[^]]*\])?=' "$1" ;;
    *.metainfo.xml.in | *.metainfo.xml.in.in | *.appdata.xml.in | *.appdata.xml.in.in)
      grep -q -E '<_?(name|summary|description|caption|keyword|developer_name)[[:space:]>]' "$1" ;;
    *.gschema.xml | *.gschema.xml.in)
      grep -q -E '<(summary|description)[[:space:]>]|l10n=' "$1" ;;
    *)
      grep -q -E "translatable=[\"'](yes|true|1)[\"']|<_[A-Za-z]|^_[A-Za-z-]+=" "$1" ;;
  esac
}

status=0

# Listed files must exist.
for f in $listed; do
  if [ ! -f "$f" ]; then
    echo "$potfiles lists $f, which does not exist" >&2
    status=1
  fi
done

# Files with translatable strings must be listed.
dirs=
for d in src data; do
  [ -d "$d" ] && dirs="$dirs $d"
done
if [ -n "$dirs" ]; then
  # shellcheck disable=SC2086
  unlisted=$(find $dirs -type f \( -name '*.c' -o -name '*.h' -o -name '*.ui' \
                                  -o -name '*.in' -o -name '*.gschema.xml' \) | LC_ALL=C sort |
    while IFS= read -r f; do
      case $f in data/*.c | data/*.h) continue ;; esac
      if printf '%s\n' "$listed" "$skipped" | grep -F -x -q -- "$f"; then
        continue
      fi
      if is_translatable "$f"; then
        printf '%s\n' "$f"
      fi
    done)
  if [ -n "$unlisted" ]; then
    printf '%s\n' "$unlisted" | while IFS= read -r f; do
      echo "$f has translatable strings but is missing from $potfiles" >&2
    done
    status=1
  fi
fi

if [ $status -eq 0 ]; then
  echo "$potfiles is complete"
fi
exit $status
