"""Continue learning: assigned work due soonest first, then the next lesson (pure)."""

from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace as NS

from academy.assignments.services import open_work_by_item
from academy.progress.continuing import continue_with

MODULES = [NS(key="look/a"), NS(key="look/b"), NS(key="listen/c")]


def work(kind, object_id, day, done=False):
    due = datetime(2026, 12, day, tzinfo=UTC)
    return NS(
        target=NS(kind=kind, object_id=object_id, due_at=due, completed_at=due if done else None)
    )


def test_assigned_work_due_soonest_comes_first():
    items = [work("module", "listen/c", 20), work("scenario", "front-desk", 12)]
    step = continue_with(items, MODULES, {})
    assert step.work is items[1]


def test_done_certificates_and_completed_lessons_are_skipped():
    items = [
        work("certificate", "c1", 9),
        work("module", "look/a", 10),
        work("module", "look/b", 11, done=True),
    ]
    step = continue_with(items, MODULES, {"look/a": "completed"})
    assert step.work is None and step.module.key == "look/b"


def test_nothing_left_gives_none():
    assert (
        continue_with([], MODULES, dict.fromkeys(("look/a", "look/b", "listen/c"), "completed"))
        is None
    )


def test_open_work_by_item_keeps_the_soonest_open_one():
    items = [
        work("module", "look/a", 20),
        work("module", "look/a", 10),
        work("module", "look/b", 5, True),
    ]
    found = open_work_by_item(items)
    assert list(found) == [("module", "look/a")] and found[("module", "look/a")] is items[1]
