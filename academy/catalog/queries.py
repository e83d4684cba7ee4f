"""Read side of the content store: what the learning pages list and show.

Published modules change only when content is synced, yet every lesson and
catalogue page needs them. Each process keeps them in memory as immutable
`ModuleView`s and checks at most every ``CONTENT_CACHE_SECONDS`` (default 2)
whether a sync changed anything, with one small aggregate query. A sync on
another process or server is therefore visible within that many seconds.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from types import MappingProxyType
from typing import Any

from flask import current_app, g, has_app_context
from sqlalchemy import func, select

from academy.catalog.models import Module
from academy.extensions import db
from academy.vocabulary import DISCIPLINES


@dataclass(frozen=True)
class ModuleLink:
    """Enough of a module to link to it."""

    key: str
    discipline: str
    slug: str
    title: str


@dataclass(frozen=True)
class ModuleView:
    """A published module as pages read it (same field names as the `Module` row)."""

    id: int
    key: str
    discipline: str
    slug: str
    position: int
    title: str
    minutes: int
    objectives: tuple[str, ...]
    axes: tuple[str, ...]
    body_html: str
    toc: tuple[tuple[int, str, str], ...]
    quiz: (
        dict[str, Any] | None
    )  # the stored quiz, answer key included: server side only; never mutate
    question_count: int
    revision: int
    source_path: str
    synced_at: datetime
    published: bool = True
    handout: Mapping[str, Any] | None = None  # built at sync: scripts, checklist, situation

    @property
    def has_quiz(self) -> bool:
        return bool(self.question_count)

    def link(self) -> ModuleLink:
        return ModuleLink(self.key, self.discipline, self.slug, self.title)


@dataclass(frozen=True)
class _Snapshot:
    version: tuple[Any, ...]
    modules: tuple[ModuleView, ...]
    by_key: MappingProxyType[str, int]
    # Parsed quizzes, filled on first use (parsing validates: do it once per version).
    quizzes: dict[str, Any] = field(default_factory=dict)
    # Anything else derived from this version only (e.g. rendered page fragments).
    memo: dict[Any, Any] = field(default_factory=dict)


class ContentCache:
    """The published modules of one app, shared by the threads of a process."""

    def __init__(self, ttl: float) -> None:
        self.ttl = ttl
        self._snapshot: _Snapshot | None = None
        self._checked_at = 0.0
        self._lock = threading.Lock()

    def snapshot(self) -> _Snapshot:
        now = time.monotonic()
        current = self._snapshot
        if current is not None and now - self._checked_at < self.ttl:
            return current
        version = _content_version()
        if current is not None and current.version == version:
            self._checked_at = now
            return current
        with self._lock:
            fresh = _load(version)
            self._snapshot, self._checked_at = fresh, now
        return fresh


def _content_version() -> tuple[Any, ...]:
    row = db.session.execute(
        select(func.count(Module.id), func.max(Module.synced_at), func.sum(Module.revision)).where(
            Module.published.is_(True)
        )
    ).one()
    return tuple(row)


def _load(version: tuple[Any, ...]) -> _Snapshot:
    order = {d: i for i, d in enumerate(DISCIPLINES)}
    rows = list(db.session.scalars(select(Module).where(Module.published.is_(True))))
    rows.sort(key=lambda m: (order.get(m.discipline, 99), m.position))
    modules = tuple(_view(m) for m in rows)
    return _Snapshot(version, modules, MappingProxyType({m.key: i for i, m in enumerate(modules)}))


def _view(module: Module) -> ModuleView:
    return ModuleView(
        id=module.id,
        key=module.key,
        discipline=module.discipline,
        slug=module.slug,
        position=module.position,
        title=module.title,
        minutes=module.minutes,
        objectives=tuple(module.objectives or ()),
        axes=tuple(module.axes or ()),
        body_html=module.body_html,
        toc=tuple(tuple(entry) for entry in module.toc or ()),  # type: ignore[misc]
        quiz=module.quiz or None,
        question_count=module.question_count,
        revision=module.revision,
        source_path=module.source_path,
        synced_at=module.synced_at,
        handout=module.handout or None,
    )


def _snapshot() -> _Snapshot:
    """The content snapshot for this request (looked up once per request)."""
    if has_app_context():
        held = g.get("_academy_content")
        if held is not None:
            return held
        snapshot = g._academy_content = _cache().snapshot()
        return snapshot
    return _cache().snapshot()


def _cache() -> ContentCache:
    cache = current_app.extensions.get("academy_content")
    if cache is None:
        ttl = float(current_app.config.get("CONTENT_CACHE_SECONDS", 2.0))
        cache = current_app.extensions.setdefault("academy_content", ContentCache(ttl))
    return cache


def published_modules() -> tuple[ModuleView, ...]:
    """All published modules in discipline then lesson order."""
    return _snapshot().modules


def published_module(discipline: str, slug: str) -> ModuleView | None:
    """The published module at ``discipline/slug``, or None."""
    snapshot = _snapshot()
    index = snapshot.by_key.get(f"{discipline}/{slug}")
    return None if index is None else snapshot.modules[index]


def neighbours(module: ModuleView) -> tuple[ModuleLink | None, ModuleLink | None]:
    """Previous and next published modules across the whole course."""
    snapshot = _snapshot()
    index = snapshot.by_key.get(module.key)
    if index is None:
        return None, None
    previous = snapshot.modules[index - 1].link() if index > 0 else None
    following = snapshot.modules[index + 1].link() if index + 1 < len(snapshot.modules) else None
    return previous, following


def parsed_quiz(module: ModuleView) -> Any:
    """The module's quiz as an `academy.quizzes.Quiz`, parsed once per content version."""
    from academy.quizzes import Quiz

    snapshot = _snapshot()
    current = (
        snapshot.modules[snapshot.by_key[module.key]] if module.key in snapshot.by_key else None
    )
    if current is None or current.revision != module.revision or module.quiz is None:
        return Quiz.from_data(module.quiz)  # not the published version: parse it as given
    quiz = snapshot.quizzes.get(module.key)
    if quiz is None:
        quiz = snapshot.quizzes[module.key] = Quiz.from_data(module.quiz)
    return quiz


def content_memo(key: Any, make: Any) -> Any:
    """`make()` computed once per content version (and per `key`), then reused."""
    memo = _snapshot().memo
    value = memo.get(key)
    if value is None:
        value = memo[key] = make()
    return value
