#!/usr/bin/env bash
# Refresh the translation catalogue after changing interface strings:
#   tools/i18n.sh            extract, merge into zh_Hans, compile
# Then fill new msgstr entries (by hand, or: python tools/fill_translations.py new.json),
# run tools/i18n.sh again to compile, and commit messages.po and messages.mo.
set -euo pipefail
cd "$(dirname "$0")/.."
pybabel extract -F babel.cfg -k _l -k lazy_gettext -o academy/translations/messages.pot \
  --no-location --sort-output --omit-header . >/dev/null 2>&1
pybabel update -i academy/translations/messages.pot -d academy/translations -l zh_Hans \
  --no-fuzzy-matching --ignore-obsolete >/dev/null 2>&1
pybabel compile -d academy/translations --statistics
