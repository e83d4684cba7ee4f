"""Evidence as the pure domain sees it: one learning record, framework-free.

The ledger (`academy.progress`) stores statements shaped like xAPI; the pure
rule engines (certification, growth model) read them as `Evidence` values.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class Evidence:
    """One fact about one employee's learning or practice.

    verb: ``experienced`` (read a lesson), ``completed`` (lesson or drill run),
    ``passed`` / ``failed`` (quiz attempt), ``observed`` (trainer observation),
    ``rated`` (resident feedback card), ``reflected`` (journal entry),
    ``earned`` / ``revoked`` (certificate).
    object_type: ``module``, ``quiz``, ``scenario``, ``observation``,
    ``feedback_card``, ``reflection``, ``refresher``, ``certificate``.
    object_id: a stable content key (``"listen/one-visit-three-asks"``, a
    scenario slug) or a record id for evidence that has no content.
    score: 0..100 where the record has one. initiative: ``"self"`` or
    ``"assigned"``. on_time: for assigned work, whether it met its due date.
    detail: kind-specific result (per-discipline points, axis evidence, …).
    """

    verb: str
    object_type: str
    object_id: str
    at: datetime
    score: float | None = None
    success: bool | None = None
    initiative: str = "self"
    on_time: bool | None = None
    detail: Mapping[str, Any] = field(default_factory=dict)
