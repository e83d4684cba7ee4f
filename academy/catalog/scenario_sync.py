"""Publish drill files: validate, render every text once, keep each revision playable.

Same rules as modules (`academy.catalog.sync`): a sync is one transaction the
caller commits; a broken file keeps its previous revision live and says so;
a file that disappeared is unpublished, never deleted; every published
revision is kept as a `ContentRevision` (the source text) and as a
`ScenarioVersion` (the definition and its HTML), which runs started on it keep
playing. Importing this module registers `sync_scenarios` in
`academy.catalog.sync.SYNCERS` (``academy/catalog/sync.py`` imports it at its
end, so every content sync includes drills).
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from sqlalchemy import select

from academy.catalog.models import ContentRevision
from academy.catalog.scenario_files import (
    ScenarioFile,
    drill_policy,
    read_scenario_file,
    scenario_files,
)
from academy.catalog.scenario_models import Scenario, ScenarioVersion
from academy.catalog.sync import SYNCERS, SyncReport, _tell_studio, studio_conflict, studio_edited
from academy.courses.render import render_inline
from academy.extensions import db
from academy.scenarios import Scenario as Drill
from academy.scenarios import discipline_maxima
from academy.sourcemap import Problem
from academy.timeutil import utcnow

logger = logging.getLogger(__name__)

KIND = "scenario"


def render_phrase(text: str) -> str:
    """A one-paragraph Markdown text as inline HTML (for a button or a list line)."""
    html = render_inline(text).strip()
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        return html[3:-4]
    return html


def render_drill(drill: Drill) -> dict[str, Any]:
    """The sanitised HTML of every authored text of a drill (see `ScenarioVersion`)."""
    return {
        "setting": render_inline(drill.setting) if drill.setting else "",
        "summary": render_phrase(drill.summary) if drill.summary else "",
        "nodes": {
            node.id: {
                "text": render_inline(node.text) if node.text else "",
                "summary": render_phrase(node.summary) if node.summary else "",
                "choices": [
                    {
                        "text": render_phrase(choice.text),
                        "feedback": render_inline(choice.feedback),
                        "better": render_phrase(choice.better) if choice.better else None,
                    }
                    for choice in node.choices
                ],
            }
            for node in drill.nodes
        },
    }


def sync_scenarios(
    *, courses_dir: Path, scenarios_dir: Path, prefer_files: bool = False
) -> SyncReport:
    """Publish every valid drill under `scenarios_dir`; keep old versions of broken ones.

    A drill last published from the studio is kept as it is (see `sync_modules`).
    """
    policy = drill_policy(courses_dir)  # drills live in their own folder; numbers in courses/
    report = SyncReport()
    studio = {} if prefer_files else studio_edited(KIND)
    existing = {s.slug: s for s in db.session.scalars(select(Scenario))}
    seen: set[str] = set()
    for file in scenario_files(scenarios_dir):
        source = read_scenario_file(file, scenarios_dir, policy)
        report.problems.extend(source.problems)
        current = existing.get(source.slug)
        if source.broken:
            if current is not None and current.published:
                seen.add(source.slug)
                report.kept.append(_key(source.slug))
                report.problems.append(
                    Problem(
                        source.shown,
                        1,
                        f"not published: revision {current.revision} of drill "
                        f"'{source.slug}' stays live until the errors above are fixed",
                        "warning",
                    )
                )
            continue
        seen.add(source.slug)
        if current is not None and current.source_hash == source.source_hash:
            if current.published:
                report.unchanged.append(_key(source.slug))
            else:  # the same file came back: its version is still there
                current.published = True
                current.source_path = source.shown
                current.synced_at = utcnow()
                report.updated.append(_key(source.slug))
            continue
        if current is not None and source.slug in studio:
            report.kept.append(_key(source.slug))
            report.problems.append(
                studio_conflict(source.shown, _key(source.slug), studio[source.slug])
            )
            continue
        _publish(source, current, report)
        _tell_studio("drill", source.slug, source.text)
    for slug, row in existing.items():
        if slug not in seen and row.published and slug not in studio:
            row.published = False
            report.unpublished.append(_key(slug))
    db.session.flush()
    logger.info("content sync (drills): %s", report.summary())
    return report


def _key(slug: str) -> str:
    return f"scenarios/{slug}"


def _publish(source: ScenarioFile, current: Scenario | None, report: SyncReport) -> None:
    drill = source.scenario
    assert drill is not None and source.text is not None
    revision = 1 if current is None else current.revision + 1
    maxima = discipline_maxima(drill)
    rendered = render_drill(drill)
    version = ScenarioVersion(
        slug=drill.slug,
        revision=revision,
        title=drill.title,
        source_hash=source.source_hash,
        definition=drill.to_data(),
        rendered=rendered,
        pass_score=float(drill.pass_score),
        max_points=None if drill.max_points is None else float(drill.max_points),
        discipline_max=dict(maxima),
    )
    db.session.add(version)
    db.session.flush()
    if current is None:
        current = Scenario(slug=drill.slug)
        db.session.add(current)
        report.added.append(_key(drill.slug))
    else:
        report.updated.append(_key(drill.slug))
    current.revision = revision
    current.version_id = version.id
    current.title = drill.title
    current.summary = drill.summary
    current.summary_html = rendered["summary"]
    current.setting_html = rendered["setting"]
    current.disciplines = list(drill.disciplines)
    current.minutes = None if drill.minutes is None else float(drill.minutes)
    current.pass_score = float(drill.pass_score)
    current.max_points = version.max_points
    current.node_count = len(drill.nodes)
    current.ending_count = len(drill.endings)
    current.source_path = source.shown
    current.source_hash = source.source_hash
    current.published = True
    current.synced_at = utcnow()
    db.session.add(
        ContentRevision(
            kind=KIND,
            key=drill.slug,
            revision=revision,
            source_hash=source.source_hash,
            source_text=source.text,
        )
    )


if sync_scenarios not in SYNCERS:
    SYNCERS.append(sync_scenarios)
