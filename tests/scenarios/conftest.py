"""Fixtures for the pure scenario tests: tiny hermetic files in tests/data/scenarios."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from academy.scenarios import Scenario, check_scenario_source
from academy.sourcemap import Problem

DATA = Path(__file__).resolve().parent.parent / "data" / "scenarios"
REPO = Path(__file__).resolve().parents[2]

Checked = tuple[Scenario | None, list[Problem]]


def check_file(path: Path) -> Checked:
    """Validate one scenario file; problems come back as `file:line` problems."""
    scenario, problems, linemap = check_scenario_source(path.read_text("utf-8"), path.stem)
    return scenario, linemap.locate(path.name, problems)


@pytest.fixture
def check_fixture() -> Callable[[str], Checked]:
    """Validate tests/data/scenarios/<name>.yaml."""
    return lambda name: check_file(DATA / f"{name}.yaml")


@pytest.fixture
def tiny() -> Scenario:
    """The 3-node test scenario, validated."""
    scenario, problems = check_file(DATA / "tiny.yaml")
    assert scenario is not None, problems
    return scenario
