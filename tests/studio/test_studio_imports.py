"""Twine stories and GIFT files become studio drafts; placeholders block publishing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from academy.extensions import db
from academy.scenarios.parse import PLACEHOLDER_RE
from academy.studio import imports
from academy.studio import services as studio
from academy.studio import workflow as wf
from academy.studio.models import StudioDocument
from academy.studio.services import PublishRefused, StudioError

DATA = Path(__file__).resolve().parents[1] / "data"
STORY = (DATA / "twee-peers" / "05-sugarcube-basic.twee").read_text("utf-8")
GIFT = (DATA / "gift" / "moodle-gift-documentation.gift").read_text("utf-8")


@pytest.fixture
def people(app: Any, make_user: Any) -> dict[str, Any]:
    return {"ana": make_user("trainer", "ana"), "bo": make_user("trainer", "bo")}


def _user(name: str) -> Any:
    from academy.accounts.models import User

    return db.session.scalar(select(User).where(User.username == name))


def test_a_twine_story_becomes_a_draft_that_cannot_be_published_half_written(
    app: Any, people: Any
) -> None:
    with app.app_context():
        doc, result = imports.import_twee(_user("ana"), STORY, "locked-room", "room.twee")
        assert doc is not None and doc.kind == studio.DRILL and doc.state == wf.DRAFT
        assert doc.path == "scenarios/locked-room.yaml"
        assert any("has no feedback" in str(w) for w in result.warnings)
        text = studio.head(doc).text
        _, problems = studio.validate(doc.kind, text, doc.path, doc.key)
        assert any("import placeholder" in p.message for p in problems)
        studio.act(doc, _user("ana"), wf.SUBMIT)
        studio.act(doc, _user("bo"), wf.APPROVE)
        with pytest.raises(PublishRefused):
            studio.act(doc, _user("bo"), wf.PUBLISH)
        # Filled in, it validates.
        filled = PLACEHOLDER_RE.sub("写好了：", text)
        scenario, problems = studio.validate(doc.kind, filled, doc.path, doc.key, quality=False)
        assert scenario is not None, problems


def test_a_gift_file_becomes_a_draft_lesson_with_its_quiz(app: Any, people: Any) -> None:
    with app.app_context():
        doc, result = imports.import_gift(
            _user("ana"), GIFT, discipline="listen", slug="gift-doc", title="GIFT 示例", shown="x"
        )
        assert doc is not None and doc.kind == studio.MODULE and doc.key == "listen/gift-doc"
        assert doc.path.startswith("courses/listen/") and doc.path.endswith("-gift-doc.md")
        assert result.imported == 44 and result.skipped == 2
        text = studio.head(doc).text
        parsed, problems = studio.validate(doc.kind, text, doc.path, doc.key)
        errors = [p.message for p in problems if p.severity == "error"]
        assert parsed is None and len(errors) == 2  # the objective and the lesson text
        assert all("still holds an import placeholder" in e for e in errors)
        filled = PLACEHOLDER_RE.sub("写好了：", text)
        parsed, problems = studio.validate(doc.kind, filled, doc.path, doc.key)
        assert parsed is not None, [p for p in problems if p.severity == "error"]
        assert len(parsed.quiz.questions) == 44


def test_import_refuses_a_taken_name_and_bad_input(app: Any, people: Any) -> None:
    with app.app_context():
        imports.import_twee(_user("ana"), STORY, "locked-room", "room.twee")
        with pytest.raises(StudioError):
            imports.import_twee(_user("ana"), STORY, "locked-room", "room.twee")
        with pytest.raises(StudioError):
            imports.import_twee(_user("ana"), STORY, "Bad Slug", "room.twee")
        doc, result = imports.import_twee(_user("ana"), "no story here", "nothing", "x.twee")
        assert doc is None and not result.imported
        doc, gift = imports.import_gift(
            _user("ana"), "Just text.", discipline="listen", slug="empty", title="空", shown="x"
        )
        assert doc is None and gift.skipped == 1
        assert (
            db.session.scalar(select(StudioDocument).where(StudioDocument.key == "nothing")) is None
        )


def test_cli_drafts(app: Any, people: Any, tmp_path: Path) -> None:
    from academy.cli import cli

    story = tmp_path / "Locked Room.twee"
    story.write_text(STORY, encoding="utf-8")
    gift = tmp_path / "doc.gift"
    gift.write_text(GIFT, encoding="utf-8")
    runner = app.test_cli_runner()
    result = runner.invoke(
        cli, ["scenarios", "import-twee", "--draft", str(story), "--author", "ana"]
    )
    assert result.exit_code == 0, result.output
    assert "studio draft drill 'locked-room' made" in result.output
    assert "warning: choice 'Search the desk' has no feedback" in result.output
    result = runner.invoke(
        cli,
        [
            "quiz",
            "import-gift",
            "--draft",
            str(gift),
            "--module",
            "listen/gift-doc",
            "--title",
            "示例",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "studio draft 'listen/gift-doc': 44 question(s), 2 not imported" in result.output
    assert "warning: missing-word question" in result.output
    with app.app_context():
        keys = set(db.session.scalars(select(StudioDocument.key)))
        assert {"locked-room", "listen/gift-doc"} <= keys
    result = runner.invoke(
        cli, ["scenarios", "import-twee", "--draft", str(story), "--author", "zz"]
    )
    assert result.exit_code != 0 and "no trainer or admin 'zz'" in result.output
