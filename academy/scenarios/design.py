"""Drill design rules from ASSESSMENT.md that the format itself does not enforce.

Warnings (never errors: an author may publish a drill in progress), located
by path into the drill's data so the caller maps them to ``file:line``:

* ``disciplines:`` lists 2-3 *primary* disciplines: certificates count a drill
  only toward these, so a drill listing all five would count for every
  certificate.
* at least `MIN_JUDGEMENT` nodes tagged ``judgement`` and at least
  `MIN_CONSTRAINT` tagged ``constraint``.

Pure: reads a validated `Scenario`.
"""

from __future__ import annotations

from typing import Final

from academy.scenarios.model import Scenario
from academy.sourcemap import PathProblem

#: A drill declares this many primary disciplines (certificates count it toward these).
MIN_PRIMARY: Final = 2
MAX_PRIMARY: Final = 3
#: Decision nodes a drill needs with each tag.
MIN_JUDGEMENT: Final = 3
MIN_CONSTRAINT: Final = 1


def discipline_problems(scenario: Scenario) -> list[PathProblem]:
    """A warning when the drill does not list 2-3 primary disciplines."""
    count = len(scenario.disciplines)
    if MIN_PRIMARY <= count <= MAX_PRIMARY:
        return []
    listed = ", ".join(scenario.disciplines) or "none"
    return [
        PathProblem(
            ("disciplines",),
            f"a drill lists {MIN_PRIMARY}-{MAX_PRIMARY} primary disciplines, this one has"
            f" {count} ({listed}); certificates count a drill only toward the disciplines in"
            " 'disciplines', so keep the 2-3 it mainly trains and score only those",
            "warning",
        )
    ]


def tag_problems(scenario: Scenario) -> list[PathProblem]:
    """Warnings when too few decisions are tagged ``judgement`` or ``constraint``."""
    decisions = [node for node in scenario.nodes if not node.is_ending]
    judgement = [node.id for node in decisions if "judgement" in node.tags]
    constraint = [node.id for node in decisions if "constraint" in node.tags]
    problems: list[PathProblem] = []
    if len(judgement) < MIN_JUDGEMENT:
        named = f" ({', '.join(judgement)})" if judgement else ""
        problems.append(
            PathProblem(
                ("nodes",),
                f"{len(judgement)} of {len(decisions)} decisions are tagged 'judgement'{named};"
                f" a drill needs at least {MIN_JUDGEMENT}: decisions where two choices are"
                " defensible and the difference is what to do first, what to promise or when"
                " to hand over (tags: [judgement])",
                "warning",
            )
        )
    if len(constraint) < MIN_CONSTRAINT:
        problems.append(
            PathProblem(
                ("nodes",),
                f"no decision is tagged 'constraint'; a drill needs at least {MIN_CONSTRAINT}"
                " situation where the honest answer is 'we cannot, and here is what we will do'"
                " (no truck, no part, policy forbids: tags: [constraint])",
                "warning",
            )
        )
    return problems


def design_problems(scenario: Scenario) -> list[PathProblem]:
    """Every design warning of a drill."""
    return [*discipline_problems(scenario), *tag_problems(scenario)]


__all__ = [
    "MAX_PRIMARY",
    "MIN_CONSTRAINT",
    "MIN_JUDGEMENT",
    "MIN_PRIMARY",
    "design_problems",
    "discipline_problems",
    "tag_problems",
]
