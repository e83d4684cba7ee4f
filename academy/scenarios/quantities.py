"""Exact arithmetic for scenario numbers (state values, deltas, points).

Authors write integers and decimals (``mood: 8``, ``trust: 0.5``). YAML and
JSON hand us ``int`` and ``float``; adding floats directly would drift
(``0.1 + 0.2``) and make two runs that should meet in the same state differ.
So every sum goes through :class:`decimal.Decimal` built from the number's
shortest decimal spelling, and results come back as ``int`` when whole and as
``float`` otherwise: plain JSON-friendly values for the web layer.
"""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction

Number = int | float


def is_number(value: object) -> bool:
    """True for ints and finite floats (booleans are not numbers here)."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return True
    return isinstance(value, float) and math.isfinite(value)


def exact(value: Number | Decimal) -> Decimal:
    """The exact decimal a number stands for (``0.1`` means one tenth)."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int):
        return Decimal(value)
    return Decimal(repr(value))


def plain(value: Decimal | Number) -> Number:
    """A JSON-friendly number: ``int`` when whole, else ``float``."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    dec = exact(value)
    if dec == dec.to_integral_value():
        return int(dec)
    return float(dec)


def add(a: Number, b: Number) -> Number:
    """Exact decimal sum of two numbers."""
    if isinstance(a, int) and isinstance(b, int):
        return a + b
    return plain(exact(a) + exact(b))


def clamp(value: Decimal, low: Decimal, high: Decimal) -> Decimal:
    """`value` held inside ``[low, high]``."""
    return max(low, min(high, value))


def percent_floor(part: Decimal, whole: Decimal) -> float:
    """``100 * part / whole`` rounded down to one decimal (never flatters a run)."""
    ratio = Fraction(part) * 100 / Fraction(whole)
    return math.floor(ratio * 10) / 10


def fmt(value: Number | Decimal) -> str:
    """A number as an author would write it (``8``, ``0.5``)."""
    return str(plain(value))
