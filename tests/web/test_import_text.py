"""Import warnings are shown in the reader's language: every message the Twine and GIFT
importers give on the peer files has a msgid with its quoted parts as placeholders."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from academy.quizzes.gift import GiftProblem, parse_gift
from academy.scenarios.twine_import import import_twine_draft
from academy.web import import_text

DATA = Path(__file__).resolve().parents[1] / "data"


def _messages() -> list[Any]:
    found = []
    for file in sorted((DATA / "twee-peers").glob("*.twee")):
        draft = import_twine_draft(file.read_text("utf-8"), "peer", file.name)
        found.extend(draft.warnings)
    for file in sorted((DATA / "gift").glob("*.gift")):
        found.extend(parse_gift(file.read_text("utf-8"), lenient=True)[1])
    found.extend(parse_gift("::Q:: 问题 {=对 ~错\n\n只有一句话。\n", lenient=True)[1])
    found.extend(import_twine_draft("no story here", "x", "x.twee").warnings)
    return found


def test_every_importer_message_on_the_peer_files_is_translatable() -> None:
    messages = _messages()
    assert len(messages) > 30
    unknown = sorted({p.message for p in messages if not import_text.known(p.message)})
    assert unknown == []


def test_translation_keeps_the_quoted_parts(app: Any) -> None:
    with app.test_request_context(headers={"Accept-Language": "en"}):
        for problem in _messages():
            assert import_text.translate(problem.message) == problem.message  # English
        text = import_text.problem_text(GiftProblem(7, "unknown annotation 'x'", "warning"))
        assert text == "line 7: warning: unknown annotation 'x'"
        assert import_text.problem_text(GiftProblem(3, "something new")) == "line 3: something new"
        assert import_text.translate("Snowman JavaScript <% … %> is not imported") == (
            "Snowman JavaScript <% … %> is not imported"
        )


def test_chinese_is_used_when_the_catalogue_has_it(app: Any, monkeypatch: pytest.MonkeyPatch):
    import flask_babel

    from academy.web import import_text as module

    chinese = {
        "choice '%(choice)s' has no feedback: fill it in before publishing": (
            "选项“%(choice)s”没有反馈：发布前请填写"
        ),
        "line %(n)d: warning: %(message)s": "第 %(n)d 行：提醒：%(message)s",
    }

    def fake(msgid: str, **variables: Any) -> str:
        text = chinese.get(msgid, msgid)
        return text % variables if variables else text

    monkeypatch.setattr(module, "_", fake)
    monkeypatch.setattr(flask_babel, "gettext", fake)
    problem = GiftProblem(12, "choice '去看配电箱' has no feedback: fill it in before publishing")
    object.__setattr__(problem, "severity", "warning")
    with app.test_request_context():
        assert (
            import_text.problem_text(problem)
            == "第 12 行：提醒：选项“去看配电箱”没有反馈：发布前请填写"
        )


@settings(max_examples=50)
@given(st.text(max_size=80))
def test_any_message_translates_without_error(message: str) -> None:
    assert isinstance(import_text.known(message), bool)
