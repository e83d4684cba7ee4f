"""Every interface string has a Simplified Chinese translation, compiled and consistent."""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "academy/translations/zh_Hans/LC_MESSAGES"
METHODS = [("academy/**.py", "python"), ("academy/web/templates/**.html", "jinja2")]
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None}
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


def source_messages() -> set[str]:
    found: set[str] = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(ROOT), METHODS, keywords=KEYWORDS
    ):
        found.add(message if isinstance(message, str) else message[0])
    found.discard("")
    return found


def load_po():
    with (CATALOGUE / "messages.po").open("rb") as handle:
        return read_po(handle, locale="zh_Hans")


def test_every_source_string_is_translated():
    """Each gettext string in code and templates has a non-empty zh_Hans translation."""
    catalog = load_po()
    translated = {}
    for message in catalog:
        key = message.id if isinstance(message.id, str) else message.id[0]
        value = message.string if isinstance(message.string, str) else message.string[0]
        if key and value and "fuzzy" not in message.flags:
            translated[key] = value
    missing = sorted(source_messages() - set(translated))
    assert missing == [], "untranslated (see docs/operations.md, Translations): " + repr(missing)


def test_placeholders_match():
    """Translations keep exactly the placeholders of their source string."""
    for message in load_po():
        if not message.id:
            continue
        source = message.id if isinstance(message.id, str) else message.id[0]
        target = message.string if isinstance(message.string, str) else message.string[0]
        if target:
            assert sorted(PLACEHOLDER.findall(source)) == sorted(PLACEHOLDER.findall(target)), (
                source
            )


def test_compiled_catalogue_is_up_to_date():
    """messages.mo holds exactly what messages.po says (run `pybabel compile` after edits)."""

    def plain(value):
        return tuple(value) if isinstance(value, list | tuple) else value

    po = {plain(m.id): plain(m.string) for m in load_po() if m.id and m.string}
    with (CATALOGUE / "messages.mo").open("rb") as handle:
        mo = {plain(m.id): plain(m.string) for m in read_mo(handle) if m.id and m.string}
    assert po == mo
