"""Load content files into the database: validate, render once, publish.

A sync is one transaction (the caller commits). A broken file never replaces
the good version already published: it is reported and its previous revision
stays live. Files that disappeared are unpublished, never deleted, so history
keeps pointing at something.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select

from academy.catalog.models import ContentRevision, Module
from academy.courses.handouts import module_handout
from academy.courses.loader import load_library
from academy.courses.model import ModuleSource
from academy.courses.render import MarkdownLimitError, render_markdown
from academy.extensions import db
from academy.sourcemap import Problem
from academy.timeutil import utcnow

logger = logging.getLogger(__name__)


@dataclass
class SyncReport:
    """What a sync did and what it refused."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    unpublished: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # broken files whose old version stays
    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    def merge(self, other: SyncReport) -> None:
        """Add another report's lines (modules + scenarios in one sync)."""
        for name in ("added", "updated", "unchanged", "unpublished", "kept", "problems"):
            getattr(self, name).extend(getattr(other, name))

    def summary(self) -> str:
        return (
            f"{len(self.added)} added, {len(self.updated)} updated, "
            f"{len(self.unchanged)} unchanged, {len(self.unpublished)} unpublished, "
            f"{len(self.errors)} error(s)"
        )


def studio_edited(kind: str) -> dict[str, int]:
    """Keys whose live revision was published from the studio → that revision number."""
    rows = db.session.execute(
        select(ContentRevision.key, ContentRevision.revision, ContentRevision.origin)
        .where(ContentRevision.kind == kind)
        .order_by(ContentRevision.key, ContentRevision.revision)
    )
    latest: dict[str, tuple[int, str]] = {}
    for key, revision, origin in rows:
        latest[key] = (revision, origin)
    return {key: rev for key, (rev, origin) in latest.items() if origin == "studio"}


def studio_conflict(shown: str, key: str, revision: int) -> Problem:
    """The message when a file and the studio both changed the same content."""
    return Problem(
        shown,
        1,
        f"not synced: '{key}' was edited and published in the studio (revision {revision} "
        "is live) and this file differs from it; the studio version stays live. "
        "Run `academy content export` to write the studio version to this file and merge "
        "the two by hand, or `academy content sync --prefer-files` to publish the file",
        "warning",
    )


def sync_modules(root: Path, *, prefer_files: bool = False) -> SyncReport:
    """Publish every valid module under `root`; keep old versions of broken ones.

    A module last published from the studio is never overwritten by a different
    file, nor unpublished because it has no file, unless `prefer_files`.
    """
    report = SyncReport()
    studio = {} if prefer_files else studio_edited("module")
    library = load_library(root)
    report.problems.extend(library.problems)
    broken = library.broken_files()
    existing = {m.key: m for m in db.session.scalars(select(Module))}
    by_path = {m.source_path: m for m in existing.values()}
    seen: set[str] = set()
    for source in library.modules:
        if source.path in broken:
            continue
        seen.add(source.key)
        current = existing.get(source.key)
        if current is not None and current.source_hash == source.source_hash and current.published:
            if current.handout is None:  # synced before handouts existed: build them now
                current.handout = module_handout(source)
                current.synced_at = utcnow()  # content caches notice the change
            report.unchanged.append(source.key)
            continue
        if current is not None and source.key in studio:
            report.kept.append(source.key)
            report.problems.append(studio_conflict(source.path, source.key, studio[source.key]))
            continue
        try:
            with db.session.begin_nested():
                _publish(source, current, report)
        except MarkdownLimitError as exc:  # validated already: only a renderer surprise
            report.problems.append(
                Problem(source.path, source.body_line + exc.line - 1, exc.message)
            )
            continue
        _tell_studio("module", source.key, source.text)
    # A broken file keeps its previous version published (found by its path).
    for path in sorted(broken):
        old = by_path.get(path)
        if old is not None and old.published:
            seen.add(old.key)
            report.kept.append(old.key)
            report.problems.append(
                Problem(
                    path,
                    1,
                    f"not published: revision {old.revision} of '{old.key}' stays live "
                    "until the errors above are fixed",
                    "warning",
                )
            )
    for key, module in existing.items():
        if key not in seen and module.published and key not in studio:
            module.published = False
            module.synced_at = utcnow()  # content caches notice the change
            report.unpublished.append(key)
    db.session.flush()
    logger.info("content sync (modules): %s", report.summary())
    return report


def _publish(source: ModuleSource, current: Module | None, report: SyncReport) -> None:
    rendered = render_markdown(source.body)
    quiz_data = source.quiz.to_data() if source.quiz is not None else None
    if current is None:
        current = Module(key=source.key, revision=1)
        db.session.add(current)
        report.added.append(source.key)
    else:
        current.revision += 1
        report.updated.append(source.key)
    current.discipline = source.discipline
    current.slug = source.slug
    current.position = source.order
    current.title = source.title
    current.minutes = source.minutes
    current.objectives = list(source.objectives)
    current.axes = list(source.axes)
    current.body_html = rendered.html
    current.toc = [list(entry) for entry in rendered.toc]
    current.handout = module_handout(source)
    current.quiz = quiz_data
    current.question_count = len(source.quiz.questions) if source.quiz is not None else 0
    current.source_path = source.path
    current.source_hash = source.source_hash
    current.published = True
    current.synced_at = utcnow()
    db.session.add(
        ContentRevision(
            kind="module",
            key=source.key,
            revision=current.revision,
            source_hash=source.source_hash,
            source_text=source.text,
        )
    )


#: Other content kinds add their sync function here (scenarios, certification rules).
SYNCERS: list = []


def _tell_studio(kind: str, key: str, text: str) -> None:
    from academy.studio.services import record_file_publish

    record_file_publish(kind, key, text)


def sync_content(
    courses_dir: Path, scenarios_dir: Path, *, prefer_files: bool = False
) -> SyncReport:
    """Sync every kind of content in one transaction (the caller commits)."""
    report = sync_modules(courses_dir, prefer_files=prefer_files)
    for syncer in SYNCERS:
        report.merge(
            syncer(courses_dir=courses_dir, scenarios_dir=scenarios_dir, prefer_files=prefer_files)
        )
    from academy.search.index import refresh as refresh_search_index

    refresh_search_index()
    forget_content_snapshot()
    return report


def forget_content_snapshot() -> None:
    """Drop the content this request already read, so it sees what was just synced."""
    from flask import g, has_app_context

    if has_app_context():
        g.pop("_academy_content", None)


# Kinds of content that register a syncer on import (kept last: they import this module).
import academy.catalog.scenario_sync  # noqa: E402, F401, I001
