#!/bin/sh
# Checks the translations in po/: every language in po/LINGUAS compiles
# with msgfmt --check and has no untranslated or fuzzy message, and no
# message of the template was cut short by a format macro that xgettext
# cannot see (a G_GINT64_FORMAT inside _(), which leaves a msgid ending in
# "%" that never matches at runtime).
#
# With --current it extracts the template from the tree as it is now
# instead, and checks that every language translates every message of it
# (and that none is cut short), so that a new string without a translation
# fails here rather than on screen.
#
# Usage: check-translations.sh [--current] [SOURCE_ROOT]
set -u

current=false
if [ "${1:-}" = "--current" ]; then
  current=true
  shift
fi
root=${1:-$(dirname "$0")/..}
cd "$root" || exit 2

for tool in msgfmt msgattrib msgmerge xgettext; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "$tool is missing: install gettext" >&2
    exit 1
  fi
done

languages=$(sed -e 's/#.*//' po/LINGUAS 2>/dev/null | tr -s ' \t' '\n\n' | sed -e '/^$/d')
if [ -z "$languages" ]; then
  echo "po/LINGUAS lists no language" >&2
  exit 1
fi

status=0
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT

# The msgids of a catalogue, one a line, without the header; a message of
# several lines (msgid "" then "...") is joined, so that it is listed too.
msgids () {
  awk '/^msgid /      { id = substr($0, 7); in_id = 1; next }
       in_id && /^"/  { id = id $0; next }
       /^msgstr/      { if (in_id && id != "\"\"") print "msgid " id; in_id = 0 }'
}

# A msgid that ends in an odd number of "%": cut short at a macro.
cut_short () {
  msgattrib --no-obsolete --no-wrap "$1" 2>/dev/null |
    grep -E '^msgid(_plural)? "(.*[^%])?(%%)*%"$'
}

for lang in $languages; do
  $current && break
  po=po/$lang.po
  if [ ! -f "$po" ]; then
    echo "po/LINGUAS lists $lang, but $po does not exist" >&2
    status=1
    continue
  fi

  if ! stats=$(LC_ALL=C msgfmt --check --statistics -o /dev/null "$po" 2>&1); then
    printf '%s\n' "$stats" >&2
    echo "$po: msgfmt --check failed" >&2
    status=1
    continue
  fi
  echo "$po: $stats"
  case $stats in
    *untranslated* | *fuzzy*)
      msgattrib --untranslated --no-obsolete --no-wrap "$po" | msgids | sed -e 's/^/untranslated: /' >&2
      msgattrib --only-fuzzy --no-obsolete --no-wrap "$po" | msgids | sed -e 's/^/fuzzy: /' >&2
      echo "$po: every message must be translated, and none fuzzy" >&2
      status=1
      ;;
  esac

  if broken=$(cut_short "$po"); then
    printf '%s\n' "$broken" >&2
    echo "$po: these messages end inside a format directive: a G_*_FORMAT macro inside _()" >&2
    echo "  is invisible to xgettext; use a plain directive such as %lld with a cast instead" >&2
    status=1
  fi
done

if $current; then
  # The options of meson's i18n.gettext(preset: 'glib'), which makes
  # po/waybill.pot the same way.
  if ! xgettext --package-name=waybill -f po/POTFILES.in -D . -k_ -o "$tmp/waybill.pot" \
         --from-code=UTF-8 --add-comments \
         --keyword=_ --keyword=N_ --keyword=C_:1c,2 --keyword=NC_:1c,2 \
         --keyword=g_dcgettext:2 --keyword=g_dngettext:2,3 --keyword=g_dpgettext2:2c,3 \
         --flag=N_:1:pass-c-format --flag=C_:2:pass-c-format --flag=NC_:2:pass-c-format \
         --flag=g_dngettext:2:pass-c-format --flag=g_strdup_printf:1:c-format \
         --flag=g_string_printf:2:c-format --flag=g_string_append_printf:2:c-format \
         --flag=g_error_new:3:c-format --flag=g_set_error:4:c-format \
         --flag=g_markup_printf_escaped:1:c-format --flag=g_log:3:c-format \
         --flag=g_print:1:c-format --flag=g_printerr:1:c-format --flag=g_printf:1:c-format \
         --flag=g_fprintf:2:c-format --flag=g_sprintf:2:c-format --flag=g_snprintf:3:c-format \
         2>"$tmp/xgettext.log"; then
    cat "$tmp/xgettext.log" >&2
    echo "xgettext could not extract the messages of po/POTFILES.in" >&2
    exit 1
  fi
  if broken=$(cut_short "$tmp/waybill.pot"); then
    printf '%s\n' "$broken" >&2
    grep 'ends in the middle of a directive' "$tmp/xgettext.log" >&2
    echo "these messages of the sources end inside a format directive: a G_*_FORMAT macro" >&2
    echo "  inside _() is invisible to xgettext; use a plain directive such as %lld with a cast" >&2
    status=1
  fi
  for lang in $languages; do
    if [ ! -f "po/$lang.po" ]; then
      echo "po/LINGUAS lists $lang, but po/$lang.po does not exist" >&2
      status=1
      continue
    fi
    # The catalogue as it would be for the sources of now: what is new in
    # them comes out untranslated.
    msgmerge --no-fuzzy-matching --quiet "po/$lang.po" "$tmp/waybill.pot" -o "$tmp/$lang.po"
    missing=$(msgattrib --untranslated --no-obsolete --no-wrap "$tmp/$lang.po" | msgids)
    if [ -n "$missing" ]; then
      printf '%s\n' "$missing" | sed -e 's/^/not translated: /' >&2
      echo "po/$lang.po does not translate every message of the sources: run" >&2
      echo "  meson compile -C BUILDDIR waybill-pot && msgmerge -U po/$lang.po po/waybill.pot" >&2
      echo "and translate what is new" >&2
      status=1
    else
      echo "po/$lang.po translates every message of the sources"
    fi
  done
fi

exit $status
