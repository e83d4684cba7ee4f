"""Studio services on a real database: revisions, locks, review, publish, sync, export."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from helpers import DATA
from sqlalchemy import select

from academy.catalog.models import ContentRevision, Module
from academy.catalog.scenario_models import Scenario
from academy.catalog.sync import sync_content
from academy.credentials.models import AuditLog
from academy.extensions import db
from academy.studio import services as studio
from academy.studio import workflow as wf
from academy.studio.models import StudioDocument
from academy.studio.services import Conflict, PublishRefused, StudioError


@pytest.fixture
def people(app: Any, make_user: Any) -> dict[str, Any]:
    return {
        "ana": make_user("trainer", "ana"),
        "bo": make_user("trainer", "bo"),
        "admin": make_user("admin", "root"),
    }


def _user(name: str) -> Any:
    from academy.accounts.models import User

    return db.session.scalar(select(User).where(User.username == name))


def _new_lesson(text_body: str = "## 开场\n\n先看人，再看事。\n") -> StudioDocument:
    doc = studio.create_module(_user("ana"), discipline="look", slug="night-round", title="夜巡")
    text = studio.head(doc).text.replace("## 为什么要学\n\n在这里写课文。\n", text_body)
    studio.save(doc, _user("ana"), text, base_version=doc.lock_version, note="第一稿")
    return doc


def _publish(doc: StudioDocument) -> None:
    studio.act(doc, _user("ana"), wf.SUBMIT)
    studio.act(doc, _user("bo"), wf.APPROVE)
    studio.act(doc, _user("bo"), wf.PUBLISH)


def test_a_new_lesson_goes_through_review_and_is_published(app: Any, people: Any) -> None:
    with app.app_context():
        doc = _new_lesson()
        assert (doc.state, doc.head_number) == (wf.DRAFT, 2)
        studio.act(doc, _user("ana"), wf.SUBMIT)
        with pytest.raises(wf.TransitionRefused, match="own change"):
            studio.act(doc, _user("ana"), wf.APPROVE)
        studio.act(doc, _user("bo"), wf.RETURN, "写清楚夜巡看什么")
        assert doc.state == wf.RETURNED
        text = studio.head(doc).text + "\n夜巡先看配电箱。\n"
        studio.save(doc, _user("ana"), text, base_version=doc.lock_version, note="补上")
        _publish(doc)
        db.session.commit()
        module = db.session.scalar(select(Module).where(Module.key == "look/night-round"))
        assert module.published and "夜巡先看配电箱" in module.body_html
        assert module.source_path == "courses/look/03-night-round.md"  # after 01-first-look
        revision = db.session.scalar(
            select(ContentRevision).where(ContentRevision.key == "look/night-round")
        )
        assert revision.origin == "studio"
        actions = db.session.scalars(select(AuditLog.action)).all()
        assert actions == ["studio_approve", "studio_publish"]
        assert doc.published_number == doc.head_number == 3


def test_saving_from_an_old_version_is_a_conflict_with_both_texts(app: Any, people: Any) -> None:
    with app.app_context():
        doc = _new_lesson()
        opened = doc.lock_version
        studio.save(doc, _user("bo"), studio.head(doc).text + "\nbo\n", base_version=opened)
        with pytest.raises(Conflict) as caught:
            studio.save(doc, _user("ana"), studio.head(doc).text + "\nana\n", base_version=opened)
        assert caught.value.theirs.text.endswith("\nbo\n")
        assert caught.value.mine.endswith("\nana\n")
        assert doc.head_number == 3  # nothing overwritten


def test_saving_the_same_text_twice_adds_one_revision(app: Any, people: Any) -> None:
    with app.app_context():
        doc = _new_lesson()
        text = studio.head(doc).text + "\n再一句。\n"
        version = doc.lock_version
        first = studio.save(doc, _user("ana"), text, base_version=version)
        again = studio.save(doc, _user("ana"), text, base_version=version)  # double submit
        assert first.id == again.id and doc.head_number == 3


def test_publishing_refuses_errors_and_keeps_the_live_version(app: Any, people: Any) -> None:
    with app.app_context():
        doc = _new_lesson()
        _publish(doc)
        db.session.commit()
        broken = studio.head(doc).text.replace("discipline: look", "discipline: sing")
        studio.save(doc, _user("ana"), broken, base_version=doc.lock_version)
        studio.act(doc, _user("ana"), wf.SUBMIT)
        studio.act(doc, _user("bo"), wf.APPROVE)
        with pytest.raises(PublishRefused) as caught:
            studio.act(doc, _user("bo"), wf.PUBLISH)
        assert any("unknown discipline 'sing'" in p.message for p in caught.value.problems)
        assert caught.value.problems[0].file == "courses/look/03-night-round.md"
        db.session.rollback()
        module = db.session.scalar(select(Module).where(Module.key == "look/night-round"))
        assert module.published and module.revision == 1


def test_unpublish_and_roll_back_to_an_earlier_published_revision(app: Any, people: Any) -> None:
    with app.app_context():
        doc = _new_lesson("第一版课文。\n")
        _publish(doc)
        first = doc.published_number
        text = studio.head(doc).text.replace("第一版课文。", "第二版课文。")
        studio.save(doc, _user("ana"), text, base_version=doc.lock_version)
        _publish(doc)
        studio.act(doc, _user("bo"), wf.UNPUBLISH)
        module = db.session.scalar(select(Module).where(Module.key == "look/night-round"))
        assert not module.published
        with pytest.raises(StudioError, match="was published"):
            studio.rollback(doc, _user("bo"), 1)  # the template was never live
        studio.rollback(doc, _user("bo"), first)
        db.session.commit()
        assert module.published and "第一版课文" in module.body_html
        assert doc.state == wf.PUBLISHED
        assert "studio_rollback" in db.session.scalars(select(AuditLog.action)).all()


def test_a_published_drill_edited_in_the_studio(app: Any, people: Any) -> None:
    with app.app_context():
        doc = studio.open_published(studio.DRILL, "front-desk")
        assert doc.state == wf.PUBLISHED and doc.published_number == 1
        text = studio.head(doc).text
        studio.save(doc, _user("ana"), text + "\n", base_version=doc.lock_version)
        _publish(doc)
        db.session.commit()
        drill = db.session.scalar(select(Scenario).where(Scenario.slug == "front-desk"))
        assert drill.revision == 2 and drill.published


def test_sync_never_silently_overwrites_a_studio_edit(
    app: Any, people: Any, tmp_path: Path
) -> None:
    courses = tmp_path / "courses"
    shutil.copytree(DATA / "courses", courses)
    scenarios = tmp_path / "scenarios"
    shutil.copytree(DATA / "app_scenarios", scenarios)
    with app.app_context():
        doc = studio.open_published(studio.MODULE, "smile/one-metre")
        text = studio.head(doc).text.replace("先见微笑。", "先见微笑，再开口。")
        studio.save(doc, _user("ana"), text, base_version=doc.lock_version)
        _publish(doc)
        studio_doc = _new_lesson()  # exists only in the studio: no file on disk
        _publish(studio_doc)
        db.session.commit()

        # The file changed on disk too: sync keeps the studio version and says so.
        file = courses / "smile" / "01-one-metre.md"
        file.write_text(file.read_text(encoding="utf-8") + "\n文件里加的一句。\n", "utf-8")
        report = sync_content(courses, scenarios)
        db.session.commit()
        assert "smile/one-metre" in report.kept
        warning = next(p for p in report.problems if "studio" in p.message)
        assert warning.file == "courses/smile/01-one-metre.md"
        assert "revision 2" in warning.message and "content export" in warning.message
        module = db.session.scalar(select(Module).where(Module.key == "smile/one-metre"))
        assert "再开口" in module.body_html and "文件里加的一句" not in module.body_html
        assert db.session.scalar(select(Module).where(Module.key == "look/night-round")).published

        # Export writes the studio versions; sync then finds nothing to change.
        written = studio.export_content(tmp_path)
        assert "courses/look/03-night-round.md" in written
        assert "再开口" in file.read_text(encoding="utf-8")
        again = sync_content(courses, scenarios)
        assert again.updated == [] and again.added == [] and again.unpublished == []

        # --prefer-files publishes the file, and the studio sees it as a revision.
        file.write_text(file.read_text(encoding="utf-8") + "\n文件胜出。\n", "utf-8")
        sync_content(courses, scenarios, prefer_files=True)
        db.session.commit()
        assert "文件胜出" in module.body_html
        assert "文件胜出" in studio.head(doc).text and doc.state == wf.PUBLISHED


def test_export_of_synced_content_round_trips_byte_for_byte(app: Any, tmp_path: Path) -> None:
    with app.app_context():
        written = studio.export_content(tmp_path)
    for relative in written:
        if relative.startswith("courses/"):
            original = DATA / relative
        else:
            original = DATA / "app_scenarios" / Path(relative).name
        assert (tmp_path / relative).read_bytes() == original.read_bytes()
    assert len(written) >= 8


def test_new_content_is_refused_with_field_messages(app: Any, people: Any) -> None:
    with app.app_context():
        with pytest.raises(StudioError) as bad_slug:
            studio.create_module(_user("ana"), discipline="look", slug="Night Round", title="t")
        assert bad_slug.value.field == "slug"
        with pytest.raises(StudioError) as taken:
            studio.create_module(_user("ana"), discipline="smile", slug="one-metre", title="t")
        assert "already exists" in taken.value.message
        with pytest.raises(StudioError) as discipline:
            studio.create_module(_user("ana"), discipline="sing", slug="x", title="t")
        assert discipline.value.field == "discipline"
        with pytest.raises(StudioError, match="longer than"):
            doc = studio.create_drill(_user("ana"), slug="huge", title="大")
            studio.save(doc, _user("ana"), "x" * 500_000, base_version=doc.lock_version)
