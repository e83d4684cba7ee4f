"""Build the search index at publish time (`content sync` and the studio), never per request.

`refresh()` compares every live lesson and drill with its entry by source hash
and (re)indexes only what changed, in the caller's transaction. Unpublished
content keeps its entry; queries join the live row and skip it.
"""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import delete, select, text, update

from academy.catalog.models import Module
from academy.catalog.scenario_models import Scenario, ScenarioVersion
from academy.extensions import db
from academy.search import text as words
from academy.search.models import DRILL, FTS_TABLE, LESSON, SearchEntry
from academy.timeutil import utcnow

logger = logging.getLogger(__name__)


def _dialect() -> str:
    return db.session.get_bind().dialect.name


def refresh() -> int:
    """(Re)index every lesson and drill whose source changed; the number indexed."""
    entries = {
        (kind, key): (entry_id, source_hash)
        for entry_id, kind, key, source_hash in db.session.execute(
            select(SearchEntry.id, SearchEntry.kind, SearchEntry.key, SearchEntry.source_hash)
        )
    }
    live = [
        (LESSON, key, source_hash)
        for key, source_hash in db.session.execute(select(Module.key, Module.source_hash))
    ] + [
        (DRILL, slug, source_hash)
        for slug, source_hash in db.session.execute(select(Scenario.slug, Scenario.source_hash))
    ]
    stale_lessons = [
        k for kind, k, h in live if kind == LESSON and entries.get((kind, k), (0, ""))[1] != h
    ]
    stale_drills = [
        k for kind, k, h in live if kind == DRILL and entries.get((kind, k), (0, ""))[1] != h
    ]
    count = 0
    if stale_lessons:
        for module in db.session.scalars(select(Module).where(Module.key.in_(stale_lessons))):
            _write(entries, LESSON, module.key, module.source_hash, **_lesson_fields(module))
            count += 1
    if stale_drills:
        rows = db.session.execute(
            select(Scenario, ScenarioVersion.rendered)
            .join(ScenarioVersion, ScenarioVersion.id == Scenario.version_id)
            .where(Scenario.slug.in_(stale_drills))
        )
        for scenario, rendered in rows:
            _write(
                entries,
                DRILL,
                scenario.slug,
                scenario.source_hash,
                **_drill_fields(scenario, rendered),
            )
            count += 1
    if count:
        db.session.flush()
        logger.info("search index: %d entries (re)built", count)
    return count


def _lesson_fields(module: Module) -> dict[str, str]:
    return {
        "title": module.title,
        "objectives": " ".join(module.objectives or []),
        "body": words.html_text(module.body_html),
    }


def _drill_fields(scenario: Scenario, rendered: dict[str, Any]) -> dict[str, str]:
    parts = [words.html_text(rendered.get("setting") or "")]
    for node in (rendered.get("nodes") or {}).values():
        parts.append(words.html_text(node.get("text") or ""))
        for choice in node.get("choices") or []:
            parts.append(words.html_text(choice.get("text") or ""))
    return {
        "title": scenario.title,
        "objectives": words.html_text(rendered.get("summary") or "") or scenario.summary,
        "body": " ".join(p for p in parts if p),
    }


def _write(
    entries: dict[tuple[str, str], tuple[int, str]],
    kind: str,
    key: str,
    source_hash: str,
    *,
    title: str,
    objectives: str,
    body: str,
) -> None:
    values = {
        "source_hash": source_hash,
        "title": title,
        "text": " ".join(p for p in (objectives, body) if p),
        "title_terms": words.index_tokens(title),
        "objectives_terms": words.index_tokens(objectives),
        "body_terms": words.index_tokens(body),
        "grams": words.index_grams(" ".join((title, objectives, body))),
        "indexed_at": utcnow(),
    }
    found = entries.get((kind, key))
    if found is None:
        entry = SearchEntry(kind=kind, key=key, **values)
        db.session.add(entry)
        db.session.flush()
        entry_id = entry.id
    else:
        entry_id = found[0]
        db.session.execute(update(SearchEntry).where(SearchEntry.id == entry_id).values(**values))
    if _dialect() == "sqlite":
        db.session.execute(text(f"DELETE FROM {FTS_TABLE} WHERE rowid = :id"), {"id": entry_id})
        db.session.execute(
            text(
                f"INSERT INTO {FTS_TABLE} (rowid, title, objectives, body, grams) "
                "VALUES (:id, :title, :objectives, :body, :grams)"
            ),
            {
                "id": entry_id,
                "title": values["title_terms"],
                "objectives": values["objectives_terms"],
                "body": values["body_terms"],
                "grams": values["grams"],
            },
        )
    elif _dialect() == "postgresql":
        db.session.execute(
            text(
                "UPDATE search_entries SET tsv = "
                "setweight(to_tsvector('simple', title_terms), 'A') || "
                "setweight(to_tsvector('simple', objectives_terms), 'B') || "
                "setweight(to_tsvector('simple', body_terms), 'C') || "
                "setweight(to_tsvector('simple', grams), 'D') WHERE id = :id"
            ),
            {"id": entry_id},
        )


def rebuild() -> int:
    """Drop every entry and index everything again (after changing the segmentation)."""
    if _dialect() == "sqlite":
        db.session.execute(text(f"DELETE FROM {FTS_TABLE}"))
    db.session.execute(delete(SearchEntry))
    db.session.flush()
    return refresh()
