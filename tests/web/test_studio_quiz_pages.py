"""The studio's quiz pages (Flask test client): every route × role, the forms of the
kinds, bad input named and nothing written, stale versions → the conflict page."""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from helpers import count_queries, csrf_token
from sqlalchemy import func, select

from academy.extensions import db
from academy.studio import documents
from academy.studio.models import StudioDocument, StudioRevision

ROLES = ("anonymous", "employee", "hr", "trainer", "admin")


def _doc(app: Any, key: str = "look/night-round") -> StudioDocument:
    with app.app_context():
        doc = db.session.scalar(select(StudioDocument).where(StudioDocument.key == key))
        db.session.expunge(doc)
        return doc


def _revisions(app: Any, doc: StudioDocument) -> int:
    with app.app_context():
        return db.session.scalar(
            select(func.count())
            .select_from(StudioRevision)
            .where(StudioRevision.document_id == doc.id)
        )


def _quiz(app: Any, doc: StudioDocument) -> Any:
    with app.app_context():
        d = db.session.get(StudioDocument, doc.id)
        text = db.session.scalar(
            select(StudioRevision.text).where(
                StudioRevision.document_id == d.id, StudioRevision.number == d.head_number
            )
        )
    return documents.split_lesson(text).front.get("quiz")


def _version(app: Any, doc: StudioDocument) -> str:
    return str(_doc(app, doc.key).lock_version)


SINGLE = {
    "kind": "single",
    "prompt": "夜里十一点到配电室，第一件事？",
    "rows": "3",
    "correct": "0",
    "option-0-text": "先看门口有没有人",
    "option-0-feedback": "先看人。",
    "option-1-text": "先抄表",
    "option-1-weight": "25",
    "option-2-text": "先打电话",
}
TRUE_FALSE = {"kind": "true_false", "prompt": "带电作业前必须验电。", "answer": "true"}
NUMERIC = {
    "kind": "numeric",
    "prompt": "几小时内回访？",
    "rows": "1",
    "answer-0-value": "24",
    "answer-0-tolerance": "1",
}


def _add(auth: Any, app: Any, doc: StudioDocument, fields: dict[str, str]) -> Any:
    return auth.post(f"/studio/{doc.id}/quiz/new", {**fields, "base_version": _version(app, doc)})


@pytest.fixture
def studio_doc(app: Any, auth: Any) -> StudioDocument:
    auth.login_as("trainer", username="ana")
    response = auth.post(
        "/studio/new/module", {"discipline": "look", "slug": "night-round", "title": "夜巡"}
    )
    assert response.status_code == 303
    return _doc(app)


@pytest.fixture
def with_quiz(app: Any, auth: Any, studio_doc: StudioDocument) -> StudioDocument:
    for fields in (SINGLE, TRUE_FALSE, NUMERIC):
        assert _add(auth, app, studio_doc, fields).status_code == 303
    return studio_doc


def _paths(doc: int) -> tuple[list[str], list[str]]:
    gets = [
        f"/studio/{doc}/quiz",
        f"/studio/{doc}/quiz/new?kind=single",
        f"/studio/{doc}/quiz/1",
        f"/studio/{doc}/quiz/1/delete",
    ]
    posts = [
        f"/studio/{doc}/quiz/settings",
        f"/studio/{doc}/quiz/gift",
        f"/studio/{doc}/quiz/new",
        f"/studio/{doc}/quiz/1",
        f"/studio/{doc}/quiz/1/move",
        f"/studio/{doc}/quiz/1/delete",
    ]
    return gets, posts


@pytest.mark.parametrize("role", ("trainer", "admin"))
def test_authors_reach_every_quiz_page(
    app: Any, auth: Any, client: Any, with_quiz: StudioDocument, role: str
) -> None:
    client.post("/logout", data={"csrf_token": csrf_token(client)})
    auth.login_as(role)
    gets, _posts = _paths(with_quiz.id)
    for path in gets:
        assert client.get(path).status_code == 200, path


@pytest.mark.parametrize("role", ("anonymous", "employee", "hr"))
def test_other_roles_never_reach_the_quiz_pages(
    app: Any, auth: Any, client: Any, with_quiz: StudioDocument, role: str
) -> None:
    client.post("/logout", data={"csrf_token": csrf_token(client)})
    if role != "anonymous":
        auth.login_as(role)
    gets, posts = _paths(with_quiz.id)
    for path in gets:
        response = client.get(path)
        if role == "anonymous":
            assert response.status_code == 302 and "/login" in response.headers["Location"]
        else:
            assert response.status_code == 403, path
            assert "先看门口" not in response.get_data(as_text=True)
    for path in posts:
        response = auth.post(path, {**SINGLE, "base_version": "99", "direction": "up"})
        assert response.status_code in ((302,) if role == "anonymous" else (403,)), path
    assert _revisions(app, with_quiz) == 4


def test_the_quiz_page_lists_questions_with_their_checks(
    app: Any, client: Any, with_quiz: StudioDocument
) -> None:
    page = client.get(f"/studio/{with_quiz.id}/quiz").get_data(as_text=True)
    assert "3 questions" in page
    for text in ("Single choice", "True or false", "Number", "夜里十一点到配电室"):
        assert text in page
    # quality checks sit next to their question (a numeric question is a recall item)
    assert page.count("problem--warning") >= 2
    assert 'id="question-3"' in page and "recall" in page.split('id="question-3"')[1]
    edit = client.get(f"/studio/{with_quiz.id}").get_data(as_text=True)
    assert f'href="/studio/{with_quiz.id}/quiz"' in edit and "Try the quiz" in edit


def test_questions_are_added_as_revisions_in_the_file_format(
    app: Any, with_quiz: StudioDocument
) -> None:
    quiz = _quiz(app, with_quiz)
    assert quiz["pass_mark"] == 80
    assert quiz["questions"] == [
        {
            "kind": "single",
            "prompt": "夜里十一点到配电室，第一件事？",
            "options": [
                {"text": "先看门口有没有人", "correct": True, "feedback": "先看人。"},
                {"text": "先抄表", "weight": 25},
                {"text": "先打电话"},
            ],
        },
        {"kind": "true_false", "prompt": "带电作业前必须验电。", "answer": True},
        {"kind": "numeric", "prompt": "几小时内回访？", "answer": 24, "tolerance": 1},
    ]
    assert _revisions(app, with_quiz) == 4


def test_every_kind_has_a_form(app: Any, client: Any, studio_doc: StudioDocument) -> None:
    for kind in (
        "single",
        "multiple",
        "true_false",
        "matching",
        "ordering",
        "numeric",
        "short_answer",
    ):
        page = client.get(f"/studio/{studio_doc.id}/quiz/new?kind={kind}")
        assert page.status_code == 200, kind
        html = page.get_data(as_text=True)
        assert f'name="kind" value="{kind}"' in html and 'name="prompt"' in html
    matching = client.get(f"/studio/{studio_doc.id}/quiz/new?kind=matching").get_data(as_text=True)
    assert 'name="pair-2-right"' in matching
    assert client.get(f"/studio/{studio_doc.id}/quiz/new?kind=essay").status_code == 400
    assert client.get(f"/studio/{studio_doc.id}/quiz/9").status_code == 404


def test_editing_a_question_shows_its_values_and_saves_only_it(
    app: Any, auth: Any, client: Any, with_quiz: StudioDocument
) -> None:
    page = client.get(f"/studio/{with_quiz.id}/quiz/1").get_data(as_text=True)
    assert 'value="先看门口有没有人"' in page and 'value="25"' in page
    assert 'name="correct" value="0" checked' in page
    before = _quiz(app, with_quiz)
    changed = {**SINGLE, "option-2-text": "先打电话给班长", "correct": "2", "option-1-weight": ""}
    response = auth.post(
        f"/studio/{with_quiz.id}/quiz/1", {**changed, "base_version": _version(app, with_quiz)}
    )
    assert response.status_code == 303 and response.headers["Location"].endswith("#question-1")
    after = _quiz(app, with_quiz)
    assert after["questions"][0]["options"][2] == {"text": "先打电话给班长", "correct": True}
    assert after["questions"][1:] == before["questions"][1:]


def test_row_buttons_show_the_form_again_and_write_nothing(
    app: Any, auth: Any, with_quiz: StudioDocument
) -> None:
    version = _version(app, with_quiz)
    added = auth.post(
        f"/studio/{with_quiz.id}/quiz/1", {**SINGLE, "op": "add", "base_version": version}
    )
    assert added.status_code == 200 and 'name="option-3-text"' in added.get_data(as_text=True)
    removed = auth.post(
        f"/studio/{with_quiz.id}/quiz/new",
        {**SINGLE, "op": "remove-0", "base_version": version},
    )
    html = removed.get_data(as_text=True)
    assert removed.status_code == 200 and "先看门口有没有人" not in html
    assert 'value="先抄表"' in html
    bad = auth.post(
        f"/studio/{with_quiz.id}/quiz/1", {**SINGLE, "op": "explode", "base_version": version}
    )
    assert bad.status_code == 400
    assert _revisions(app, with_quiz) == 4


def test_bad_input_is_named_and_nothing_is_written(
    app: Any, auth: Any, with_quiz: StudioDocument
) -> None:
    version = _version(app, with_quiz)
    no_text = auth.post(
        f"/studio/{with_quiz.id}/quiz/new",
        {**SINGLE, "option-2-text": "", "option-2-feedback": "只有反馈", "base_version": version},
    )
    assert no_text.status_code == 422
    html = no_text.get_data(as_text=True)
    assert "Option 3: the text is required." in html and 'id="f-option-2-text-error"' in html
    two_right = auth.post(
        f"/studio/{with_quiz.id}/quiz/new",
        {**SINGLE, "option-1-weight": "100", "base_version": version},
    )
    assert two_right.status_code == 422
    assert "exactly one correct option" in two_right.get_data(as_text=True)
    not_number = auth.post(
        f"/studio/{with_quiz.id}/quiz/3",
        {**NUMERIC, "answer-0-value": "3,5", "base_version": version},
    )
    assert not_number.status_code == 422
    assert "Answer 1: answer: &#39;3,5&#39; is not a number." in not_number.get_data(as_text=True)
    settings = auth.post(
        f"/studio/{with_quiz.id}/quiz/settings",
        {"pass_mark": "120", "draw": "5", "base_version": version},
    )
    assert settings.status_code == 422
    html = settings.get_data(as_text=True)
    assert "The pass mark must be between 0 and 100." in html
    assert "questions drawn (5) is more than the 3 questions" in html
    assert (
        auth.post(
            f"/studio/{with_quiz.id}/quiz/1/move", {"base_version": version, "direction": "left"}
        ).status_code
        == 400
    )
    assert (
        auth.post(f"/studio/{with_quiz.id}/quiz/settings", {"pass_mark": "50"}).status_code == 400
    )
    no_csrf = auth.client.post(
        f"/studio/{with_quiz.id}/quiz/settings", data={"pass_mark": "50", "base_version": version}
    )
    assert no_csrf.status_code == 400
    gift = auth.post(
        f"/studio/{with_quiz.id}/quiz/gift", {"gift": "问题 {=甲 =乙 ~丙", "base_version": version}
    )
    assert gift.status_code == 422 and "line 1" in gift.get_data(as_text=True)
    assert _revisions(app, with_quiz) == 4


def test_settings_move_delete_and_gift_are_revisions(
    app: Any, auth: Any, client: Any, with_quiz: StudioDocument
) -> None:
    doc = with_quiz.id
    saved = auth.post(
        f"/studio/{doc}/quiz/settings",
        {
            "pass_mark": "60",
            "draw": "2",
            "max_attempts": "3",
            "retry_after_minutes": "10",
            "base_version": _version(app, with_quiz),
        },
    )
    assert saved.status_code == 303
    quiz = _quiz(app, with_quiz)
    assert (quiz["pass_mark"], quiz["draw"], quiz["max_attempts"]) == (60, 2, 3)
    assert quiz["retry_after_minutes"] == 10 and len(quiz["questions"]) == 3
    moved = auth.post(
        f"/studio/{doc}/quiz/3/move", {"direction": "up", "base_version": _version(app, with_quiz)}
    )
    assert moved.status_code == 303
    kinds = [q["kind"] for q in _quiz(app, with_quiz)["questions"]]
    assert kinds == ["single", "numeric", "true_false"]
    confirm = client.get(f"/studio/{doc}/quiz/2/delete").get_data(as_text=True)
    assert "几小时内回访" in confirm and 'id="confirm-delete"' in confirm
    deleted = auth.post(f"/studio/{doc}/quiz/2/delete", {"base_version": _version(app, with_quiz)})
    assert deleted.status_code == 303
    assert [q["kind"] for q in _quiz(app, with_quiz)["questions"]] == ["single", "true_false"]
    gift = auth.post(
        f"/studio/{doc}/quiz/gift",
        {"gift": "::安全:: 带电作业前必须验电。 {T}\n", "base_version": _version(app, with_quiz)},
    )
    assert gift.status_code == 303
    assert len(_quiz(app, with_quiz)["questions"]) == 3
    assert _revisions(app, with_quiz) == 8
    assert client.get(f"/studio/{doc}/try").status_code == 200
    # the YAML textarea (advanced) still shows the quiz the forms wrote
    editor = client.get(f"/studio/{doc}").get_data(as_text=True)
    assert "retry_after_minutes: 10" in editor


def test_a_stale_version_shows_the_conflict_page(
    app: Any, auth: Any, with_quiz: StudioDocument
) -> None:
    stale = str(int(_version(app, with_quiz)) - 1)
    for path, data in (
        (f"/studio/{with_quiz.id}/quiz/1", {**SINGLE, "option-2-text": "别人改的"}),
        (f"/studio/{with_quiz.id}/quiz/new", TRUE_FALSE | {"prompt": "新问题"}),
        (f"/studio/{with_quiz.id}/quiz/settings", {"pass_mark": "55"}),
        (f"/studio/{with_quiz.id}/quiz/2/move", {"direction": "down"}),
        (f"/studio/{with_quiz.id}/quiz/2/delete", {}),
    ):
        response = auth.post(path, {**data, "base_version": stale})
        assert response.status_code == 409, path
        assert "Someone else saved first" in response.get_data(as_text=True)
    assert _revisions(app, with_quiz) == 4


def test_a_module_without_readable_front_matter_is_not_rewritten(
    app: Any, auth: Any, studio_doc: StudioDocument
) -> None:
    broken = "---\ntitle: [夜巡\n---\n\n正文\n"
    auth.post(f"/studio/{studio_doc.id}/source", {"text": broken, "base_version": "1"})
    response = auth.post(
        f"/studio/{studio_doc.id}/quiz/new",
        {**TRUE_FALSE, "base_version": _version(app, studio_doc)},
    )
    assert response.status_code == 422
    assert _revisions(app, studio_doc) == 2


def test_the_yaml_written_reads_back_as_a_valid_quiz(app: Any, with_quiz: StudioDocument) -> None:
    from academy.quizzes import parse_quiz

    quiz, problems = parse_quiz(yaml.safe_load(documents.dump_yaml(_quiz(app, with_quiz))))
    assert problems == [] and quiz is not None and len(quiz.questions) == 3


def test_the_quiz_pages_run_a_few_queries_whatever_the_number_of_questions(
    app: Any, auth: Any, client: Any, with_quiz: StudioDocument
) -> None:
    def counted(path: str) -> int:
        with count_queries(app) as queries:
            assert client.get(path).status_code == 200
        return len(queries)

    few = counted(f"/studio/{with_quiz.id}/quiz")
    for _ in range(5):
        assert _add(auth, app, with_quiz, SINGLE).status_code == 303
    assert counted(f"/studio/{with_quiz.id}/quiz") == few <= 8
    assert counted(f"/studio/{with_quiz.id}/quiz/2") <= 8
    with count_queries(app) as queries:
        saved = _add(auth, app, with_quiz, TRUE_FALSE)
    assert saved.status_code == 303 and len(queries) <= 12, queries
