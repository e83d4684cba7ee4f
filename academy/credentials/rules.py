"""The published certification rules and content index, cached per content version.

The rules file (``<courses>/certifications.yaml``, or ``CERTIFICATION_RULES``)
is published by the content sync like any other content: validated against the
modules and drills just synced, stored as a `ContentRevision` of kind
``rules``, and a broken file keeps the previous revision live. Every app
server reads the published revision from the database, so several servers
sharing one PostgreSQL judge by the same rules.

`published()` answers the rules and the `ContentIndex` with one cheap query
(the content version); they are rebuilt only when the content changes.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from dataclasses import dataclass
from pathlib import Path

from flask import current_app, g, has_app_context
from sqlalchemy import func, select

from academy.catalog.models import ContentRevision, Module
from academy.catalog.scenario_models import Scenario
from academy.catalog.sync import SYNCERS, SyncReport
from academy.certification import ContentIndex, ModuleInfo, Ruleset, ScenarioInfo, parse_rules_text
from academy.extensions import db

logger = logging.getLogger(__name__)

KIND = "rules"
KEY = "certifications"
RULES_FILE = "certifications.yaml"


@dataclass(frozen=True)
class Published:
    """The rules in force (None when none are published) and the content they judge."""

    ruleset: Ruleset | None
    content: ContentIndex
    version: tuple[int, int, int]


_cache: dict[str, Published] = {}
_lock = threading.Lock()


def content_version() -> tuple[int, int, int]:
    """(latest content revision id, published modules, published drills): one query.

    Every publish adds a content revision; unpublishing changes the counts.
    """
    row = db.session.execute(
        select(
            select(func.coalesce(func.max(ContentRevision.id), 0)).scalar_subquery(),
            select(func.count(Module.id)).where(Module.published.is_(True)).scalar_subquery(),
            select(func.count(Scenario.id)).where(Scenario.published.is_(True)).scalar_subquery(),
        )
    ).one()
    return int(row[0]), int(row[1]), int(row[2])


def published() -> Published:
    """The published rules and content index (rebuilt only when the content changed).

    Within one application context (a request, a command) the answer is kept on
    `g`: a page or a batch may ask many times, and a sync in the same context
    drops it (`sync_rules`, `forget`).
    """
    found = g.get("_academy_published")
    if found is None:
        found = g._academy_published = _published()
    return found  # type: ignore[no-any-return]


def _published() -> Published:
    version = content_version()
    cache_key = f"{db.engine.url}"
    with _lock:
        found = _cache.get(cache_key)
        if found is not None and found.version == version:
            return found
    content = build_content_index()
    ruleset = _load_published_rules(content)
    result = Published(ruleset=ruleset, content=content, version=version)
    with _lock:
        _cache[cache_key] = result
    return result


def forget() -> None:
    """Drop the caches (tests that change content behind the sync's back)."""
    with _lock:
        _cache.clear()
    if has_app_context():
        g.pop("_academy_published", None)


def build_content_index() -> ContentIndex:
    """The published modules and drills as the certification rules see them (two queries)."""
    modules = tuple(
        ModuleInfo(
            key=m.key,
            discipline=m.discipline,
            title=m.title,
            order=m.position,
            has_quiz=bool(m.quiz) and bool(m.question_count),
            pass_mark=_pass_mark(m.quiz),
        )
        for m in db.session.scalars(select(Module).where(Module.published.is_(True)))
    )
    scenarios = tuple(
        ScenarioInfo(
            slug=s.slug,
            title=s.title,
            disciplines=tuple(s.disciplines or ()),
            pass_score=s.pass_score,
        )
        for s in db.session.scalars(select(Scenario).where(Scenario.published.is_(True)))
    )
    return ContentIndex(modules=modules, scenarios=scenarios)


def _pass_mark(quiz: object) -> float | None:
    if isinstance(quiz, dict):
        mark = quiz.get("pass_mark")
        if isinstance(mark, int | float) and not isinstance(mark, bool):
            return float(mark)
    return None


def _latest_revision() -> ContentRevision | None:
    return db.session.scalar(
        select(ContentRevision)
        .where(ContentRevision.kind == KIND, ContentRevision.key == KEY)
        .order_by(ContentRevision.revision.desc())
        .limit(1)
    )


def _load_published_rules(content: ContentIndex) -> Ruleset | None:
    revision = _latest_revision()
    if revision is None:
        return None
    ruleset, problems = parse_rules_text(revision.source_text, RULES_FILE, content)
    if ruleset is None:  # pragma: no cover - only valid files are published
        logger.error("published rules are invalid: %s", [str(p) for p in problems])
    return ruleset


def rules_path(courses_dir: Path) -> Path:
    """The rules file to publish: ``CERTIFICATION_RULES`` or ``<courses>/certifications.yaml``."""
    configured = current_app.config.get("CERTIFICATION_RULES") if has_app_context() else None
    return Path(configured) if configured else courses_dir / RULES_FILE


def sync_rules(*, courses_dir: Path, scenarios_dir: Path, prefer_files: bool = False) -> SyncReport:
    """Publish the rules file if it changed and is valid; a broken file keeps the old rules."""
    del scenarios_dir, prefer_files  # drills synced just before (SYNCERS order); no studio
    g.pop("_academy_published", None)  # later reads in this context see the new rules
    report = SyncReport()
    path = rules_path(courses_dir)
    if not path.is_file():
        return report
    name = f"{KIND}:{KEY}"
    text = path.read_text(encoding="utf-8")
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    db.session.flush()
    _ruleset, problems = parse_rules_text(text, _shown(path, courses_dir), build_content_index())
    # Warnings (e.g. a reserved requirement kind) are `academy content check`'s to show.
    errors = [p for p in problems if p.severity == "error"]
    report.problems.extend(errors)
    current = _latest_revision()
    if errors:
        if current is not None:
            report.kept.append(name)
        return report
    if current is not None and current.source_hash == digest:
        report.unchanged.append(name)
        return report
    db.session.add(
        ContentRevision(
            kind=KIND,
            key=KEY,
            revision=(current.revision + 1) if current is not None else 1,
            source_hash=digest,
            source_text=text,
        )
    )
    db.session.flush()
    (report.updated if current is not None else report.added).append(name)
    logger.info("content sync (rules): published %s", name)
    return report


def _shown(path: Path, courses_dir: Path) -> str:
    try:
        return str(path.resolve().relative_to(courses_dir.resolve().parent))
    except ValueError:
        return str(path)


if sync_rules not in SYNCERS:
    SYNCERS.append(sync_rules)
