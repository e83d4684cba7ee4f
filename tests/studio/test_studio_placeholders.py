"""A lesson imported from GIFT keeps its ``TODO:`` placeholders until they are written:
`content check`, `content sync` and studio publishing refuse it, naming file:line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from helpers import csrf_token
from sqlalchemy import select

from academy.catalog.models import Module
from academy.courses.loader import parse_module
from academy.extensions import db
from academy.studio import imports
from academy.studio.models import StudioDocument, StudioRevision

GIFT = "::Q1:: 夜里谁接热线？ {=调度员 ~没有人}\n\n::Q2:: 停电要先通知居民。 {T}\n"


def _draft_text() -> str:
    draft = imports.gift_lesson_text(GIFT, discipline="listen", title="热线", order=3)
    assert draft.text is not None and draft.imported == 2
    return draft.text


def test_the_gift_draft_is_refused_at_each_placeholder_line() -> None:
    text = _draft_text()
    module, problems = parse_module(text, "courses/listen/03-hotline.md")
    assert module is None
    lines = text.split("\n")
    found = {(p.line, p.message) for p in problems if p.severity == "error"}
    objective = next(i for i, line in enumerate(lines, 1) if imports.OBJECTIVE_PLACEHOLDER in line)
    body = next(i for i, line in enumerate(lines, 1) if imports.LESSON_PLACEHOLDER in line)
    assert (
        objective,
        "'objectives' still holds an import placeholder (TODO: …): write it before publishing",
    ) in found
    assert (
        body,
        "the lesson text still holds an import placeholder (TODO: …): write it before publishing",
    ) in found
    assert len(found) == 2, found


def test_written_placeholders_validate_and_only_a_real_marker_counts() -> None:
    text = (
        _draft_text()
        .replace(imports.OBJECTIVE_PLACEHOLDER, "能够说出夜里谁接热线")
        .replace(imports.LESSON_PLACEHOLDER, "夜里由调度员接热线。写 TODO 清单不算占位。")
    )
    module, problems = parse_module(text, "courses/listen/03-hotline.md")
    assert module is not None, problems
    quiz_placeholder = text.replace("夜里谁接热线？", "TODO：写题目")
    _module, problems = parse_module(quiz_placeholder, "courses/listen/03-hotline.md")
    assert any("'prompt' still holds an import placeholder" in p.message for p in problems)


def test_content_check_names_file_and_line(runner: Any, tmp_path: Path, monkeypatch: Any) -> None:
    from academy.cli import cli

    folder = tmp_path / "courses" / "listen"
    folder.mkdir(parents=True)
    text = _draft_text()
    (folder / "03-hotline.md").write_text(text, encoding="utf-8")
    monkeypatch.setenv("ACADEMY_COURSES", str(tmp_path / "courses"))
    monkeypatch.setenv("ACADEMY_SCENARIOS", str(tmp_path / "scenarios"))
    result = runner.invoke(cli, ["content", "check"])
    assert result.exit_code == 1
    body = text.split("\n").index(imports.LESSON_PLACEHOLDER) + 1
    assert (
        f"courses/listen/03-hotline.md:{body}: the lesson text still holds an import placeholder"
        in result.output
    )
    assert "'objectives' still holds an import placeholder" in result.output


def test_studio_publish_of_an_unwritten_gift_draft_is_refused(
    app: Any, auth: Any, client: Any
) -> None:
    auth.login_as("trainer", username="ana")
    imported = auth.post(
        "/studio/import",
        {
            "what": "gift",
            "gift-discipline": "listen",
            "gift-title": "热线",
            "gift-slug": "hotline",
            "gift-text": GIFT,
        },
    )
    assert imported.status_code == 200, imported.get_data(as_text=True)
    with app.app_context():
        key = StudioDocument.key == "listen/hotline"
        doc = db.session.scalar(select(StudioDocument).where(key))
        doc_id = doc.id
        text = db.session.scalars(select(StudioRevision.text)).one()
    body = text.split("\n").index(imports.LESSON_PLACEHOLDER) + 1
    editor = client.get(f"/studio/{doc_id}").get_data(as_text=True)
    assert "still holds an import placeholder" in editor  # shown while editing
    assert auth.post(f"/studio/{doc_id}/act/submit").status_code == 303
    client.post("/logout", data={"csrf_token": csrf_token(client)})
    auth.login_as("trainer", username="bo")
    assert auth.post(f"/studio/{doc_id}/act/approve").status_code == 303
    refused = auth.post(f"/studio/{doc_id}/act/publish")
    page = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert (
        f'problem__where">line {body}</span> the lesson text still holds an import placeholder'
        in page
    )
    with app.app_context():
        assert db.session.scalar(select(Module).where(Module.key == "listen/hotline")) is None
        assert db.session.get(StudioDocument, doc_id).state == "approved"
