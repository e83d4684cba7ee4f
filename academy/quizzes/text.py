"""Text rules shared by the quiz kinds: how typed answers are compared and numbers read.

Pure helpers, no framework imports. Learners type on counter PCs and phones, in
Chinese and in English, so comparison folds Unicode compatibility forms
(full-width letters and digits), case and every kind of whitespace.
"""

from __future__ import annotations

import math
import re
import unicodedata
from decimal import Decimal

#: Longest typed answer kept from a form; the rest is dropped before comparing.
MAX_TYPED_ANSWER = 1000

_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]{1,4})?", re.ASCII)
_MAX_NUMBER_TEXT = 100


def normalise_answer(text: str) -> str:
    """Fold a typed answer for comparison: NFKC, all whitespace removed, casefolded."""
    folded = unicodedata.normalize("NFKC", text)
    folded = unicodedata.normalize("NFKC", folded.casefold())
    return "".join(folded.split())


def parse_number(text: str) -> float | None:
    """Read a typed number (full-width digits and spaces allowed); None if it is not one."""
    if len(text) > _MAX_NUMBER_TEXT * 4:
        return None
    folded = unicodedata.normalize("NFKC", text).replace("\u2212", "-")
    folded = "".join(folded.split())
    if len(folded) > _MAX_NUMBER_TEXT or not _NUMBER.fullmatch(folded):
        return None
    value = float(folded)
    return value if math.isfinite(value) else None


def clean_text(text: str) -> str:
    """Canonical form of authored text: one newline convention, no outer whitespace."""
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


def number_data(value: float) -> int | float:
    """A number as data: an int when it is whole (so YAML shows `80`, not `80.0`)."""
    if value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value


def number_text(value: float) -> str:
    """A number written positionally and exactly (no exponent), for GIFT and display."""
    if value.is_integer() and abs(value) < 2**53:
        return str(int(value))
    text = format(Decimal(repr(value)), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text
