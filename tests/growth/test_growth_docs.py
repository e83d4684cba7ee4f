"""docs/growth-model.md stays true: every parameter with its default, every key explained."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import fields
from pathlib import Path

import pytest

from academy.growth import DEFAULT, EVIDENCE_KINDS, STAGES
from academy.growth.explain import LABELS, NEXT_STEP_TEXT
from academy.vocabulary import AXIS_TERMS

DOC = Path(__file__).resolve().parents[2] / "docs" / "growth-model.md"
TEXT = DOC.read_text("utf-8")


def shown(value: object) -> str:
    """A default as the parameter table prints it."""
    if isinstance(value, int | float):
        return f"{value:g}"
    if isinstance(value, tuple):
        return " / ".join(shown(v) for v in value)
    assert isinstance(value, Mapping)
    return ", ".join(f"{k} {v if isinstance(v, str) else shown(v)}" for k, v in value.items())


def table_rows() -> dict[str, list[str]]:
    """Rows of the 'All parameters' table: name -> cells."""
    section = TEXT.split("## All parameters", 1)[1].split("\n## ", 1)[0]
    rows = {}
    for line in section.splitlines():
        match = re.match(r"\| `(\w+)` \|(.*)\|\s*$", line)
        if match:
            rows[match.group(1)] = [cell.strip() for cell in match.group(2).split("|")]
    return rows


@pytest.mark.parametrize("name", [f.name for f in fields(DEFAULT)])
def test_every_parameter_is_documented_with_its_default(name):
    """The parameter table lists each Params field, its default as in the code, and a meaning."""
    rows = table_rows()
    assert name in rows, f"{name} missing from the parameter table"
    default, meaning = rows[name]
    assert default == shown(getattr(DEFAULT, name))
    assert meaning


def test_the_table_lists_no_parameter_that_does_not_exist():
    """No stale rows."""
    assert set(table_rows()) == {f.name for f in fields(DEFAULT)}


def test_every_evidence_kind_and_key_is_documented():
    """Evidence kinds, stage keys, next-step keys and contribution kinds all appear in the doc."""
    for verb, object_type in EVIDENCE_KINDS:
        assert f"`{verb}`" in TEXT and f"`{object_type}`" in TEXT
    for key in STAGES.values():
        assert f"`{key}`" in TEXT
    for key in NEXT_STEP_TEXT:
        assert f"| `{key}` |" in TEXT
    for kind in LABELS:
        assert kind.split("_")[0] in TEXT


def test_the_chinese_axis_names_are_there():
    """HR and trainers read the axes as staff name them."""
    for start, end in AXIS_TERMS.values():
        assert f"{start}→{end}" in TEXT
