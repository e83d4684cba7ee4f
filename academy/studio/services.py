"""Studio actions: one transaction each (the caller commits), every rule in one place.

A revision holds the whole text of a content file. Publishing parses it with
the same loader and validator as `academy content sync` and hands it to the
same publisher, so a lesson published here renders exactly like one synced
from disk. Learners' attempts and runs keep the version they started (quiz
versions and scenario versions are stored per attempt/run).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from academy.accounts.models import User
from academy.catalog.assessment import drill_text_warnings, module_text_warnings
from academy.catalog.models import ContentRevision, Module
from academy.catalog.scenario_files import ScenarioFile, write_text_atomically
from academy.catalog.scenario_models import Scenario as ScenarioRow
from academy.catalog.sync import SyncReport, forget_content_snapshot
from academy.courses.loader import parse_module
from academy.courses.policy import Policy, load_policy
from academy.courses.quality import QualitySettings, load_quality_settings
from academy.credentials.services import record_audit
from academy.extensions import db
from academy.scenarios import validate_scenario_text
from academy.sourcemap import Problem
from academy.studio import workflow
from academy.studio.models import StudioDocument, StudioReview, StudioRevision
from academy.timeutil import utcnow
from academy.vocabulary import DISCIPLINES

MODULE = "module"
DRILL = "drill"
KINDS = (MODULE, DRILL)
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
TAKEN = "this name is already taken: open the existing one from the studio list"
SLUG_HELP = "use lowercase letters, digits and dashes (e.g. night-calls)"
MAX_TEXT = 400_000  # characters in one file saved in the studio
#: Characters a drill or a lesson may have to be checked, previewed and published. The
#: longest shipped drill has about 17,000 and the longest lesson about 10,000; checking
#: a drill costs ~1 s per 50,000 characters (pure-Python YAML), rendering a lesson about
#: as much, so longer texts are refused at once with this limit in the message.
MAX_CHECKED = 100_000


class StudioError(ValueError):
    """A refused studio action; `message` is shown to the person."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


@dataclass
class Conflict(Exception):
    """Someone saved since this editor opened the document: both versions are kept."""

    document: StudioDocument
    theirs: StudioRevision
    mine: str


def actor_of(user: User) -> workflow.Actor:
    return workflow.Actor(user.id, user.role == "admin")


def source_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# --- validation --------------------------------------------------------------------------


def content_settings() -> tuple[Policy, QualitySettings]:
    """The company policy numbers and quality settings of the configured courses folder."""
    from flask import current_app, has_app_context

    if not has_app_context():
        return Policy(), QualitySettings()
    courses = current_app.config["COURSES_DIR"]
    return load_policy(courses)[0], load_quality_settings(courses)[0]


def validate(
    kind: str, text: str, path: str, key: str, *, quality: bool = True
) -> tuple[object | None, list[Problem]]:
    """Check a revision's text as `content check` would: (parsed content or None, problems).

    Errors are those of `content sync` (they block publishing); warnings include the
    assessment-quality rules of `academy content check`.
    """
    if len(text) > MAX_CHECKED:
        what = "lesson" if kind == MODULE else "drill"
        return None, [
            Problem(
                path,
                1,
                f"the {what} is {len(text):,} characters long; at most {MAX_CHECKED:,} are"
                f" checked and published: split it into several {what}s",
            )
        ]
    policy, settings = content_settings()
    if kind == MODULE:
        source, problems = parse_module(text, path, policy)
        if source is not None and source.key != key:
            problems.append(
                Problem(path, 1, f"discipline and file name give '{source.key}', not '{key}'")
            )
            source = None
        if source is not None and quality:
            problems.extend(module_text_warnings(text, path, policy, settings))
        return source, problems
    scenario, problems = validate_scenario_text(text, path, key, policy)
    problems = list(problems)
    if scenario is not None and quality:
        problems.extend(drill_text_warnings(text, path, scenario, policy, settings))
    return scenario, problems


# --- documents ---------------------------------------------------------------------------


def module_path(discipline: str, order: int, slug: str) -> str:
    return f"courses/{discipline}/{order:02d}-{slug}.md"


def drill_path(slug: str) -> str:
    return f"scenarios/{slug}.yaml"


NEW_MODULE = """---
title: {title}
discipline: {discipline}
order: {order}
objectives:
  - 能够……
axes: [attitude]
---

## 为什么要学

在这里写课文。
"""

NEW_DRILL = """title: {title}
summary: 一句话说明这个演练练什么。
setting: |
  **时间**：

  **地点**：
disciplines: [listen, speak]
start: start
pass_score: 70
nodes:
  start:
    speaker: resident
    text: 居民开口说的第一句话。
    choices:
      - text: 你的第一种做法
        goto: good-end
        scores: {{listen: 2}}
        feedback: 为什么这样做好。
      - text: 另一种做法
        goto: bad-end
        scores: {{listen: -1}}
        feedback: 为什么这样做不好。
  good-end:
    ending: success
    text: 结局。
  bad-end:
    ending: failure
    text: 结局。
"""


def create_module(user: User, *, discipline: str, slug: str, title: str) -> StudioDocument:
    """A new module as a first draft from a template."""
    if discipline not in DISCIPLINES:
        raise StudioError("choose one of the five disciplines", field="discipline")
    if not SLUG_RE.fullmatch(slug or "") or len(slug) > 80:
        raise StudioError(SLUG_HELP, field="slug")
    if not title.strip() or len(title) > 200:
        raise StudioError("a title of 1–200 characters is required", field="title")
    key = f"{discipline}/{slug}"
    _refuse_taken(MODULE, key)
    order = 1 + max(
        db.session.scalars(select(Module.position).where(Module.discipline == discipline)).all()
        or [0]
    )
    text = NEW_MODULE.format(title=title.strip(), discipline=discipline, order=order)
    path = module_path(discipline, order, slug)
    return _new_document(user, MODULE, key, path, title.strip(), text, "新建")


def create_drill(user: User, *, slug: str, title: str) -> StudioDocument:
    if not SLUG_RE.fullmatch(slug or "") or len(slug) > 80:
        raise StudioError(SLUG_HELP, field="slug")
    if not title.strip() or len(title) > 200:
        raise StudioError("a title of 1–200 characters is required", field="title")
    _refuse_taken(DRILL, slug)
    text = NEW_DRILL.format(title=title.strip())
    return _new_document(user, DRILL, slug, drill_path(slug), title.strip(), text, "新建")


def import_draft(
    user: User, kind: str, key: str, text: str, note: str, *, title: str = ""
) -> StudioDocument:
    """A draft made from imported text (Twine, GIFT): problems are for the author to fix.

    A module's key is ``discipline/slug``; its file is numbered after the discipline's
    last module, as `create_module` does.
    """
    if kind == DRILL:
        path = drill_path(key)
    else:
        discipline, _, slug = key.partition("/")
        if discipline not in DISCIPLINES or not SLUG_RE.fullmatch(slug or ""):
            raise StudioError(SLUG_HELP, field="slug")
        path = module_path(discipline, next_module_order(discipline), slug)
    _refuse_taken(kind, key)
    return _new_document(user, kind, key, path, title or key, text, note)


def next_module_order(discipline: str) -> int:
    """The order number a new module of `discipline` gets: after the last one."""
    return 1 + max(
        db.session.scalars(select(Module.position).where(Module.discipline == discipline)).all()
        or [0]
    )


def _refuse_taken(kind: str, key: str) -> None:
    taken = db.session.scalar(
        select(StudioDocument.id).where(StudioDocument.kind == kind, StudioDocument.key == key)
    )
    published = (
        db.session.scalar(select(Module.id).where(Module.key == key))
        if kind == MODULE
        else db.session.scalar(select(ScenarioRow.id).where(ScenarioRow.slug == key))
    )
    if taken or published:
        raise StudioError(TAKEN, field="slug")


def _new_document(
    user: User | None, kind: str, key: str, path: str, title: str, text: str, note: str
) -> StudioDocument:
    document = StudioDocument(
        kind=kind,
        key=key,
        path=path,
        title=title[:200],
        state=workflow.DRAFT,
        lock_version=0,
        head_number=0,
        created_by_id=user.id if user else None,
        updated_at=utcnow(),
    )
    db.session.add(document)
    db.session.flush()
    _add_revision(document, user, text, note)
    return document


def open_published(kind: str, key: str) -> StudioDocument:
    """The studio document of published content, made on first opening from its live text."""
    document = db.session.scalar(
        select(StudioDocument).where(StudioDocument.kind == kind, StudioDocument.key == key)
    )
    if document is not None:
        return document
    revision_kind = "module" if kind == MODULE else "scenario"
    live = db.session.scalar(
        select(ContentRevision)
        .where(ContentRevision.kind == revision_kind, ContentRevision.key == key)
        .order_by(ContentRevision.revision.desc())
        .limit(1)
    )
    if live is None:
        raise StudioError(f"no published content '{key}'")
    if kind == MODULE:
        row = db.session.scalar(select(Module).where(Module.key == key))
        path, title = row.source_path, row.title
    else:
        row = db.session.scalar(select(ScenarioRow).where(ScenarioRow.slug == key))
        path, title = drill_path(key), row.title
    document = _new_document(None, kind, key, path, title, live.source_text, "已发布的版本")
    document.state = workflow.PUBLISHED if row.published else workflow.UNPUBLISHED
    document.published_number = document.head_number
    document.revisions[-1].published_at = live.created_at
    return document


def _add_revision(
    document: StudioDocument, user: User | None, text: str, note: str
) -> StudioRevision:
    document.head_number += 1
    document.lock_version += 1
    document.updated_at = utcnow()
    revision = StudioRevision(
        document=document,
        number=document.head_number,
        text=text,
        source_hash=source_hash(text),
        note=(note or "").strip()[:500],
        author_id=user.id if user else None,
        created_at=utcnow(),
    )
    db.session.add(revision)
    db.session.flush()
    return revision


def head(document: StudioDocument) -> StudioRevision:
    return db.session.scalar(
        select(StudioRevision).where(
            StudioRevision.document_id == document.id,
            StudioRevision.number == document.head_number,
        )
    )


def revision(document: StudioDocument, number: int) -> StudioRevision:
    found = db.session.scalar(
        select(StudioRevision).where(
            StudioRevision.document_id == document.id, StudioRevision.number == number
        )
    )
    if found is None:
        raise StudioError(f"no revision {number}")
    return found


def lock_document(document_id: int) -> StudioDocument | None:
    """The document, locked for this transaction (one writer at a time per document)."""
    return db.session.scalar(
        select(StudioDocument).where(StudioDocument.id == document_id).with_for_update()
    )


def save(
    document: StudioDocument, user: User, text: str, *, base_version: int, note: str = ""
) -> StudioRevision:
    """A new revision, unless someone saved since `base_version` (then `Conflict`).

    Saving the same text as the head is a no-op (a double submit adds nothing).
    """
    text = text.replace("\r\n", "\n")
    if len(text) > MAX_TEXT:
        raise StudioError(f"the text is longer than {MAX_TEXT:,} characters", field="text")
    current = head(document)
    if current is not None and current.source_hash == source_hash(text):
        return current
    if base_version != document.lock_version:
        raise Conflict(document, current, text)
    document.state = workflow.next_state(
        document.state, workflow.SAVE, actor_of(user), author_id=None
    )
    if document.kind == MODULE:
        document.title = _module_title(text) or document.title
    return _add_revision(document, user, text, note)


def _module_title(text: str) -> str | None:
    match = re.search(r"^title:\s*(.+)$", text, re.MULTILINE)
    return match.group(1).strip().strip("'\"")[:200] if match else None


def restore(document: StudioDocument, user: User, number: int) -> StudioRevision:
    """An earlier revision's text saved again as the newest draft."""
    old = revision(document, number)
    return save(
        document, user, old.text, base_version=document.lock_version, note=f"恢复第 {number} 版"
    )


def act(document: StudioDocument, user: User, action: str, comment: str = "") -> StudioReview:
    """submit / withdraw / approve / return / publish / unpublish, with its review entry."""
    current = head(document)
    author_id = current.author_id if current is not None else None
    new_state = workflow.next_state(
        document.state, action, actor_of(user), author_id=author_id, comment=comment
    )
    if action == workflow.PUBLISH:
        publish_revision(document, current, user)
    elif action == workflow.UNPUBLISH:
        _set_published(document, False)
    document.state = new_state
    document.updated_at = utcnow()
    entry = StudioReview(
        document_id=document.id,
        revision_number=document.head_number,
        action=action,
        comment=comment.strip(),
        actor_id=user.id,
        created_at=utcnow(),
    )
    db.session.add(entry)
    if action in (workflow.APPROVE, workflow.PUBLISH, workflow.UNPUBLISH):
        record_audit(
            user,
            f"studio_{action}",
            reason=comment.strip() or None,
            detail={"kind": document.kind, "key": document.key, "revision": current.number},
        )
    db.session.flush()
    return entry


def rollback(document: StudioDocument, user: User, number: int) -> StudioRevision:
    """Publish again a revision that was published before (as a new revision)."""
    old = revision(document, number)
    if old.published_at is None:
        raise StudioError("only a revision that was published can be rolled back to")
    workflow.next_state(document.state, workflow.ROLLBACK, actor_of(user), author_id=None)
    new = _add_revision(document, user, old.text, f"回滚到第 {number} 版")
    publish_revision(document, new, user)
    document.state = workflow.PUBLISHED
    db.session.add(
        StudioReview(
            document_id=document.id,
            revision_number=new.number,
            action=workflow.ROLLBACK,
            comment=f"第 {number} 版",
            actor_id=user.id,
            created_at=utcnow(),
        )
    )
    record_audit(
        user,
        "studio_rollback",
        detail={"kind": document.kind, "key": document.key, "to": number, "revision": new.number},
    )
    db.session.flush()
    return new


class PublishRefused(StudioError):
    def __init__(self, problems: list[Problem]) -> None:
        errors = [p for p in problems if p.severity == "error"]
        super().__init__(f"{len(errors)} error(s) block publishing")
        self.problems = problems


def publish_revision(document: StudioDocument, rev: StudioRevision, user: User | None) -> None:
    """Validate fully and publish `rev` as the live content, in the caller's transaction."""
    parsed, problems = validate(document.kind, rev.text, document.path, document.key)
    if parsed is None or any(p.severity == "error" for p in problems):
        raise PublishRefused(problems)
    from academy.catalog import scenario_sync, sync

    report = SyncReport()
    if document.kind == MODULE:
        current = db.session.scalar(select(Module).where(Module.key == document.key))
        sync._publish(parsed, current, report)  # noqa: SLF001 - the one publisher
    else:
        current = db.session.scalar(select(ScenarioRow).where(ScenarioRow.slug == document.key))
        source = ScenarioFile(
            Path(document.path),
            document.path,
            document.key,
            rev.text,
            rev.source_hash,
            parsed,
            tuple(problems),
        )
        scenario_sync._publish(source, current, report)  # noqa: SLF001
    db.session.flush()
    _mark_origin(document, "studio")
    rev.published_at = utcnow()
    document.published_number = rev.number
    from academy.search.index import refresh as refresh_search_index

    refresh_search_index()
    forget_content_snapshot()


def _mark_origin(document: StudioDocument, origin: str) -> None:
    revision_kind = "module" if document.kind == MODULE else "scenario"
    latest = db.session.scalar(
        select(ContentRevision)
        .where(ContentRevision.kind == revision_kind, ContentRevision.key == document.key)
        .order_by(ContentRevision.revision.desc())
        .limit(1)
    )
    if latest is not None:
        latest.origin = origin


def _set_published(document: StudioDocument, published: bool) -> None:
    if document.kind == MODULE:
        row = db.session.scalar(select(Module).where(Module.key == document.key))
    else:
        row = db.session.scalar(select(ScenarioRow).where(ScenarioRow.slug == document.key))
    if row is not None:
        row.published = published
        row.synced_at = utcnow()
    forget_content_snapshot()


# --- files: export, and what sync does with studio edits ---------------------------------


def record_file_publish(kind: str, key: str, text: str) -> None:
    """`content sync` published a file: its studio document (if any) gets it as a revision."""
    document = db.session.scalar(
        select(StudioDocument).where(StudioDocument.kind == kind, StudioDocument.key == key)
    )
    if document is None:
        return
    rev = _add_revision(document, None, text, "来自文件同步（content sync）")
    rev.published_at = utcnow()
    document.published_number = rev.number
    document.state = workflow.PUBLISHED


def export_content(to: Path, keys: set[str] | None = None) -> list[str]:
    """Write the live text of every published module and drill under `to` (same layout
    as `courses/` and `scenarios/`); returns the paths written."""
    written = []
    latest: dict[tuple[str, str], ContentRevision] = {}
    for rev in db.session.scalars(select(ContentRevision).order_by(ContentRevision.revision)):
        latest[(rev.kind, rev.key)] = rev
    for module in db.session.scalars(select(Module).order_by(Module.key)):
        if keys and module.key not in keys:
            continue
        rev = latest.get(("module", module.key))
        if rev is not None:
            written.append(_write(to, module.source_path, rev.source_text))
    for drill in db.session.scalars(select(ScenarioRow).order_by(ScenarioRow.slug)):
        if keys and drill.slug not in keys and f"scenarios/{drill.slug}" not in keys:
            continue
        rev = latest.get(("scenario", drill.slug))
        if rev is not None:
            written.append(_write(to, drill_path(drill.slug), rev.source_text))
    return written


def _write(to: Path, relative: str, text: str) -> str:
    target = to / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    if not target.exists() or target.read_text(encoding="utf-8") != text:
        write_text_atomically(target, text)
    return relative
