"""Quiz answers saved as they are given: autosave, restore, count, confirmation."""

from __future__ import annotations

import pytest
from helpers import csrf_token
from quiz_fixtures import EVERY_KIND, RIGHT_FORM, open_paper, set_quiz, submit
from sqlalchemy import func, select


@pytest.fixture
def every_kind(app):
    set_quiz(app, EVERY_KIND)


def _save(auth, token, answers, **extra):
    return auth.post(f"/quiz/attempts/{token}/answers", {"attempt": token, **answers, **extra})


def test_saved_answers_come_back_on_the_page(auth, client, every_kind):
    auth.login_as("employee")
    _html, token = open_paper(client)
    response = _save(auth, token, {"q1": "1", "q3": "false", "q6": "latent"})
    assert response.status_code == 200
    assert response.get_json() == {"saved": True, "answered": 3, "total": 7}
    html, again = open_paper(client)
    assert again == token
    assert 'name="q1" value="1" checked' in html
    assert 'name="q3" value="false" checked' in html
    assert 'value="latent"' in html
    assert 'data-answered="3"' in html and "Answered 3 of 7" in html


def test_saving_twice_is_idempotent_and_the_reply_has_no_key(auth, client, every_kind):
    auth.login_as("employee")
    _html, token = open_paper(client)
    first = _save(auth, token, RIGHT_FORM)
    second = _save(auth, token, RIGHT_FORM)
    assert first.get_json() == second.get_json() == {"saved": True, "answered": 7, "total": 7}
    assert "FB-" not in second.get_data(as_text=True)


def test_a_submitted_attempt_takes_no_more_answers(app, auth, client, every_kind):
    from academy.extensions import db
    from academy.progress.quiz_models import QuizAttempt

    auth.login_as("employee")
    _html, token = open_paper(client)
    _save(auth, token, {"q1": "0"})
    assert submit(auth, token, RIGHT_FORM).status_code == 303
    late = _save(auth, token, {"q1": "2"})
    assert late.status_code == 409 and late.get_json()["saved"] is False
    with app.app_context():
        attempt = db.session.scalar(select(QuizAttempt).where(QuizAttempt.token == token))
        assert attempt.draft is None and attempt.score == 100


def test_someone_elses_attempt_is_404_and_bad_input_is_refused(auth, client, every_kind):
    auth.login_as("employee")
    _html, token = open_paper(client)
    client.post("/logout", data={"csrf_token": csrf_token(client)})
    auth.login_as("employee")
    assert _save(auth, token, {"q1": "1"}).status_code == 404
    _html, mine = open_paper(client)
    assert _save(auth, "bad token!", {}).status_code in (400, 404)
    assert _save(auth, mine, {"q1": "1"}, attempt=token).status_code in (400, 422)


def test_autosave_needs_csrf_and_a_sign_in(auth, client, every_kind):
    auth.login_as("employee")
    _html, token = open_paper(client)
    assert client.post(f"/quiz/attempts/{token}/answers", data={"q1": "1"}).status_code == 400
    client.post("/logout", data={"csrf_token": csrf_token(client)})
    anonymous = client.post(f"/quiz/attempts/{token}/answers", data={"q1": "1"})
    assert anonymous.status_code in (302, 400)


def test_submitting_with_unanswered_questions_asks_first(app, auth, client, every_kind):
    from academy.extensions import db
    from academy.progress.quiz_models import QuizAttempt

    auth.login_as("employee")
    _html, token = open_paper(client)
    answers = {k: v for k, v in RIGHT_FORM.items() if k != "q3"}
    asked = submit(auth, token, answers, confirm=False)
    assert asked.status_code == 200
    html = asked.get_data(as_text=True)
    assert 'id="quiz-confirm"' in html and 'name="confirm"' in html and 'href="#q3"' in html
    assert "Answered 6 of 7" in html and 'name="q1" value="1" checked' in html
    with app.app_context():
        attempt = db.session.scalar(select(QuizAttempt).where(QuizAttempt.token == token))
        assert attempt.submitted_at is None and attempt.draft["q1"] == ["1"]
    done = submit(auth, token, answers, confirm=True)
    assert done.status_code == 303
    # A double submit after that lands on the same result, with no new attempt.
    again = submit(auth, token, {}, confirm=False)
    assert again.status_code == 303 and again.headers["Location"] == done.headers["Location"]
    with app.app_context():
        assert db.session.scalar(select(func.count(QuizAttempt.id))) == 1


def test_a_complete_sheet_is_graded_without_a_confirmation(auth, client, every_kind):
    auth.login_as("employee")
    _html, token = open_paper(client)
    assert submit(auth, token, RIGHT_FORM, confirm=False).status_code == 303


def test_result_summary_takes_the_focus(auth, client, every_kind):
    auth.login_as("employee")
    _html, token = open_paper(client)
    location = submit(auth, token, RIGHT_FORM).headers["Location"]
    html = client.get(location).get_data(as_text=True)
    assert 'id="result-summary" tabindex="-1" autofocus' in html
