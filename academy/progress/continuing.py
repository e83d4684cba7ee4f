"""Where "continue learning" leads: assigned work that is due first, then the next lesson.

Pure: the caller passes the learner's open assigned work (soonest due first),
the published modules in course order and the lesson statuses.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

#: Kinds of assigned work a learner continues with (certificates are reached through them).
LEARNING_KINDS = ("module", "scenario")


@dataclass(frozen=True)
class NextStep:
    """What to do next: `work` (an assigned item) or `module` (the next lesson in order)."""

    work: Any = None
    module: Any = None


def continue_with(
    open_work: Iterable[Any], modules: Sequence[Any], statuses: Mapping[str, str]
) -> NextStep | None:
    """The soonest due open assignment of a lesson or drill, else the first lesson not done.

    `open_work` items have ``target.kind``, ``target.object_id``, ``target.due_at`` and
    ``target.completed_at``; `modules` have ``key``; `statuses` maps keys to
    ``completed`` and other states.
    """
    pending = [
        w
        for w in open_work
        if w.target.completed_at is None
        and w.target.kind in LEARNING_KINDS
        and not (w.target.kind == "module" and statuses.get(w.target.object_id) == "completed")
    ]
    if pending:
        return NextStep(work=min(pending, key=lambda w: w.target.due_at))
    module = next((m for m in modules if statuses.get(m.key) != "completed"), None)
    return NextStep(module=module) if module is not None else None
