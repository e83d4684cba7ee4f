"""Fill empty msgstr entries of the zh_Hans catalogue from a JSON/Python mapping.

Usage (maintainers): pybabel extract/update as in docs/operations.md, then
    python tools/fill_translations.py new-terms.json
and review the diff. Existing translations are never overwritten.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

PO = Path(__file__).resolve().parent.parent / "academy/translations/zh_Hans/LC_MESSAGES/messages.po"


def main(mapping_file: str) -> None:
    mapping = json.loads(Path(mapping_file).read_text(encoding="utf-8"))
    with PO.open("rb") as handle:
        catalog = read_po(handle, locale="zh_Hans")
    missing = []
    for message in catalog:
        if not message.id:
            continue
        key = message.id if isinstance(message.id, str) else message.id[0]
        current = message.string if isinstance(message.string, str) else message.string[0]
        if current:
            continue
        if key in mapping:
            value = mapping[key]
            message.string = value if isinstance(message.id, str) else (value,)
            message.flags.discard("fuzzy")
        else:
            missing.append(key)
    with PO.open("wb") as handle:
        write_po(handle, catalog, width=100, omit_header=False, sort_output=True)
    for key in missing:
        print(f"untranslated: {key}")
    print(f"{len(missing)} untranslated")


if __name__ == "__main__":
    main(sys.argv[1])
