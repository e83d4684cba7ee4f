"""Quiz pages: form contract, no leaked keys, exactly-once submit, ownership, limits, stats."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from quiz_fixtures import (
    EVERY_KIND,
    MODULE,
    QUIZ_URL,
    RIGHT_FORM,
    open_paper,
    result_figures,
    set_quiz,
    submit,
)
from sqlalchemy import func, select


@pytest.fixture
def every_kind(app):
    """The test module's quiz has one question of every kind."""
    set_quiz(app, EVERY_KIND)
    return EVERY_KIND


def counts(app, user_id=None):
    """(submitted attempts, quiz ledger statements), for one user or everyone."""
    from academy.extensions import db
    from academy.progress.models import Statement
    from academy.progress.quiz_models import QuizAttempt

    with app.app_context():
        attempts = select(func.count(QuizAttempt.id)).where(QuizAttempt.submitted_at.is_not(None))
        statements = select(func.count(Statement.id)).where(Statement.object_type == "quiz")
        if user_id is not None:
            attempts = attempts.where(QuizAttempt.user_id == user_id)
            statements = statements.where(Statement.actor_id == user_id)
        return db.session.scalar(attempts), db.session.scalar(statements)


def take(auth, client, answers, url=QUIZ_URL):
    """Open a paper, submit `answers`, follow to the result: (html, token)."""
    _html, token = open_paper(client, url)
    response = submit(auth, token, answers, url)
    assert response.status_code == 303, response.get_data(as_text=True)[:400]
    assert response.headers["Location"].endswith(f"/quiz/attempts/{token}")
    page = client.get(response.headers["Location"])
    assert page.status_code == 200
    return page.get_data(as_text=True), token


# --- the form contract ------------------------------------------------------------------


def test_every_kind_posted_by_file_index_gets_full_marks(auth, client, every_kind):
    """Exact field names with file indices score 100, whatever order the page showed."""
    auth.login_as("employee")
    html, _token = take(auth, client, RIGHT_FORM)
    assert result_figures(html) == (100.0, True)
    assert html.count('data-correct="true"') == 7


def test_quiz_page_fields_follow_the_contract(auth, client, every_kind):
    """The page names fields qN / qN-i and offers file indices, true/false and positions."""
    auth.login_as("employee")
    html, _token = open_paper(client)
    fields = FieldParser.parse(html)
    assert sorted(fields["q1"]) == ["0", "1", "2"]
    assert sorted(fields["q2"]) == ["0", "1", "2"]
    assert sorted(fields["q3"]) == ["false", "true"]
    for i in range(3):
        assert sorted(fields[f"q4-{i}"]) == ["", "0", "1", "2"]
    for i in range(4):
        assert sorted(fields[f"q5-{i}"]) == ["", "1", "2", "3", "4"]
    assert fields["q6"] == [""] and fields["q7"] == [""]
    assert 'name="csrf_token"' in html and 'name="attempt"' in html


def test_every_input_has_a_label_and_each_question_a_legend(auth, client, every_kind):
    """Accessible form: fieldset and legend per question, a label for every input."""
    auth.login_as("employee")
    html, _token = open_paper(client)
    assert html.count("<fieldset") == html.count("<legend") == 7
    parser = FieldParser.parse_all(html)
    for control in parser.controls:
        if control.get("type") in ("hidden", "submit"):
            continue
        wrapped = control.get("_in_label")
        assert wrapped or control.get("id") in parser.label_for, control


def test_wrong_partial_and_missing_answers_are_graded_with_notes(auth, client, every_kind):
    """Wrong, partial and missing answers count as wrong, with feedback and a note."""
    auth.login_as("employee")
    answers = dict(RIGHT_FORM, q1="0", q3="true", q6="")
    answers.pop("q7")
    html, _token = take(auth, client, answers)
    score, passed = result_figures(html)
    assert passed is False and score == pytest.approx(100 * 3 / 7, abs=0.01)
    assert "FB-SINGLE-WAIT" in html and "FB-SINGLE-GREET" in html  # chosen and right
    assert "GENERAL-FB-SINGLE" in html
    assert "FB-TF-TRUE" in html and "FB-TF-FALSE" in html
    assert "KEYLATENT" in html  # the key is shown after submission
    assert html.count("Note: no answer") == 2
    assert 'id="retake-quiz"' in html


def test_hostile_values_count_as_wrong_and_never_fail(auth, client, every_kind):
    """Huge, negative, foreign and repeated values are notes on the result, not errors."""
    auth.login_as("employee")
    answers = {
        "q1": ["99999999999999999999", "1"],
        "q2": ["-1", "abc", "2" * 5000],
        "q3": "maybe",
        "q4-0": "x",
        "q4-1": "7",
        "q5-0": "0",
        "q5-9": "1",
        "q6": "k" * 100_000,
        "q7": "1e999",
        "q99": "1",
        "<script>": "alert(1)",
    }
    html, _token = take(auth, client, answers)
    score, passed = result_figures(html)
    assert score == 0 and passed is False
    for note in (
        "more than one answer for a single-choice question",
        "not one of the options",
        "not true or false",
        "not a number",
        "some items had an invalid answer",
    ):
        assert note in html, note
    assert "<script>" not in html


def test_result_notes_are_translated(auth, client, every_kind):
    """Grading notes and True/False from the pure domain are shown in Chinese."""
    auth.login_as("employee")
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "zh-CN"
    html, _token = take(auth, client, {"q3": "true"})
    assert "no answer" not in html and "未作答" in html
    assert ">对<" in html or ">错<" in html


# --- nothing leaks before submission ----------------------------------------------------


def test_quiz_page_carries_no_key_weight_or_feedback(auth, client, every_kind):
    """The quiz page HTML has no correct flags, weights, feedback or typed-answer keys."""
    auth.login_as("employee")
    html, _token = open_paper(client)
    parser = FieldParser.parse_all(html)
    text = " ".join(parser.texts)
    attributes = " ".join(f"{k}={v}" for k, v in parser.attributes)
    for secret in ("FB-", "GENERAL-FB", "KEYLATENT", "keylatent"):
        assert secret not in html, secret
    for word in ("correct", "weight", "credit", "feedback", "answer_key"):
        assert word not in attributes.lower(), word
    assert "1234" not in text, "numeric key shown"
    # The only values an option carries are file indices, true/false or positions.
    for control in parser.controls:
        if control.get("name", "").startswith("q"):
            assert re.fullmatch(r"\d*|true|false", control.get("value", "")), control


def test_reload_shows_the_same_paper(auth, client, every_kind):
    """A reload keeps the attempt token and the shuffled order of every question."""
    auth.login_as("employee")
    first, token = open_paper(client)
    second, token2 = open_paper(client)
    assert token == token2
    assert FieldParser.parse(first) == FieldParser.parse(second)


def test_a_drawn_paper_is_kept_and_graded_on_its_own_questions(app, auth, client):
    """With draw: N the page shows N questions, a reload the same N, and only they count."""
    set_quiz(app, dict(EVERY_KIND, draw=3))
    auth.login_as("employee")
    first, token = open_paper(client)
    again, _same = open_paper(client)
    shown = re.findall(r'<fieldset class="quiz-question[^"]*" id="(q\d+)"', first)
    assert len(shown) == 3 and re.findall(r'id="(q\d+)" data-kind', again) == shown
    response = submit(auth, token, RIGHT_FORM)
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert result_figures(html) == (100.0, True)
    assert re.findall(r'data-question="(\d+)"', html) == [name[1:] for name in shown]


# --- exactly once, ownership, malformed requests ----------------------------------------


def test_same_token_twice_records_one_attempt_and_the_same_result(app, auth, client, every_kind):
    """Double submit: one attempt, one ledger statement, the first result kept."""
    user = auth.login_as("employee")
    _html, token = open_paper(client)
    first = submit(auth, token, RIGHT_FORM)
    second = submit(auth, token, {"q1": "0"})
    assert first.status_code == second.status_code == 303
    assert first.headers["Location"] == second.headers["Location"]
    assert counts(app, user.id) == (1, 1)
    html = client.get(second.headers["Location"]).get_data(as_text=True)
    assert result_figures(html) == (100.0, True)


def test_another_users_attempt_is_404(auth, client, every_kind):
    """A token belongs to its user: posting or viewing it as someone else is 404."""
    auth.login_as("employee")
    _html, token = open_paper(client)
    submit(auth, token, RIGHT_FORM)
    client.post("/logout", data={"csrf_token": _csrf(client)})
    auth.login_as("employee")
    assert submit(auth, token, RIGHT_FORM).status_code == 404
    assert client.get(f"/quiz/attempts/{token}").status_code == 404


@pytest.mark.parametrize(
    "token,status,message",
    [
        (None, 400, "no valid attempt number"),
        ("", 400, "no valid attempt number"),
        ("../../etc/passwd", 400, "no valid attempt number"),
        ("x" * 5000, 400, "no valid attempt number"),
        ("A" * 32, 404, "Page not found"),
    ],
)
def test_malformed_submissions_get_a_clear_status(auth, client, every_kind, token, status, message):
    """A missing, malformed or unknown attempt token is 400 or 404 with a message."""
    auth.login_as("employee")
    data = dict(RIGHT_FORM)
    if token is not None:
        data["attempt"] = token
    response = auth.post(QUIZ_URL, data)
    assert response.status_code == status
    assert message in response.get_data(as_text=True)


def test_token_of_another_module_is_refused(app, auth, client, every_kind):
    """An attempt of one module posted to another module's quiz is a 400 with a message."""
    set_quiz(app, EVERY_KIND, key="look/second-look")
    auth.login_as("employee")
    _html, token = open_paper(client)
    response = auth.post("/courses/look/second-look/quiz", {"attempt": token, **RIGHT_FORM})
    assert response.status_code == 400
    assert "belongs to another quiz" in response.get_data(as_text=True)


def test_post_without_csrf_is_refused(auth, client, every_kind):
    """The quiz form needs its CSRF token."""
    auth.login_as("employee")
    _html, token = open_paper(client)
    assert client.post(QUIZ_URL, data={"attempt": token}).status_code == 400


def test_module_without_quiz_has_no_quiz_page(auth, client):
    """A lesson without a quiz, or an unknown module, has no quiz page (404)."""
    auth.login_as("employee")
    assert client.get("/courses/listen/listen-log/quiz").status_code == 404
    assert client.get("/courses/look/nope/quiz").status_code == 404
    assert client.get("/quiz/attempts/nope").status_code == 404


# --- attempt limits ------------------------------------------------------------------------


def test_max_attempts_closes_the_quiz_with_a_message(app, auth, client):
    """After max_attempts finished attempts the quiz says so and opens no new paper."""
    set_quiz(app, dict(EVERY_KIND, max_attempts=2))
    auth.login_as("employee")
    take(auth, client, {})
    html, _token = take(auth, client, {})
    assert 'id="retake-closed"' in html and "used all your attempts" in html
    response = client.get(QUIZ_URL)
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and 'data-gate="max_attempts"' in page
    assert 'name="attempt"' not in page
    assert "used all your attempts" in page


def test_retry_after_minutes_says_when(app, auth, client):
    """Within retry_after_minutes the quiz page says from when a retake is possible."""
    set_quiz(app, dict(EVERY_KIND, retry_after_minutes=90))
    auth.login_as("employee")
    html, _token = take(auth, client, {})
    assert "You can take this quiz again from" in html
    page = client.get(QUIZ_URL).get_data(as_text=True)
    assert 'data-gate="retry_after"' in page and "You can take this quiz again from" in page
    assert 'name="attempt"' not in page


# --- history and the module page -------------------------------------------------------------


def test_history_lists_attempts_newest_first_and_paginates(app, auth, client, every_kind):
    """/me/attempts shows date, module, score and passed, newest first, page by page."""
    app.config["PAGE_SIZE"] = 2
    auth.login_as("employee")
    take(auth, client, {})
    take(auth, client, dict(RIGHT_FORM, q1="2"))
    _html, best = take(auth, client, RIGHT_FORM)
    html = client.get("/me/attempts").get_data(as_text=True)
    rows = re.findall(r'data-attempt="([^"]+)" data-score="([^"]*)" data-passed="(\w+)"', html)
    assert rows[0] == (best, "100", "true")
    assert rows[1][1:] == ("92.86", "true")
    assert "第一眼:读懂来意" in html and 'rel="next"' in html
    page2 = client.get("/me/attempts?page=2").get_data(as_text=True)
    assert re.findall(r'data-score="([^"]*)" data-passed="(\w+)"', page2) == [("0", "false")]


@pytest.mark.parametrize("page", ["99999999999999999999", "-5", "0", "abc", "2.5"])
def test_history_survives_any_page_number(auth, client, page):
    """Absurd page numbers give a page, never a server error."""
    auth.login_as("employee")
    assert client.get(f"/me/attempts?page={page}").status_code == 200


def test_history_shows_only_ones_own_attempts(auth, client, every_kind):
    """Another learner's attempts never appear in my history."""
    auth.login_as("employee")
    take(auth, client, RIGHT_FORM)
    client.post("/logout", data={"csrf_token": _csrf(client)})
    auth.login_as("employee")
    html = client.get("/me/attempts").get_data(as_text=True)
    assert "data-attempt=" not in html and "No quiz submitted yet" in html


def test_module_page_shows_best_score_attempts_and_retake(auth, client, every_kind):
    """The lesson page's quiz block: best score, attempts and a retake button."""
    auth.login_as("employee")
    html = client.get("/courses/look/first-look").get_data(as_text=True)
    assert 'data-attempts="0"' in html and "Take the quiz" in html
    take(auth, client, {})
    take(auth, client, RIGHT_FORM)
    html = client.get("/courses/look/first-look").get_data(as_text=True)
    assert 'data-attempts="2" data-best="100" data-passed="true"' in html
    assert "Retake the quiz" in html and "Your best score: 100%" in html


def test_module_page_says_when_the_quiz_is_closed(app, auth, client):
    """With every attempt used, the lesson page gives the reason instead of the button."""
    set_quiz(app, dict(EVERY_KIND, max_attempts=1))
    auth.login_as("employee")
    take(auth, client, {})
    html = client.get("/courses/look/first-look").get_data(as_text=True)
    assert 'id="take-quiz"' not in html and 'data-gate="max_attempts"' in html


# --- trainer statistics ----------------------------------------------------------------------


def test_trainer_statistics_count_answers_and_the_top_wrong_option(app, auth, client, every_kind):
    """Per question: answered, percent correct and the most chosen wrong option."""
    for answers in (dict(RIGHT_FORM, q1="0"), dict(RIGHT_FORM, q1="0", q3="true"), RIGHT_FORM):
        auth.login_as("employee")
        take(auth, client, answers)
        client.post("/logout", data={"csrf_token": _csrf(client)})
    auth.login_as("trainer")
    html = client.get(f"/trainer/quizzes/{MODULE}").get_data(as_text=True)
    assert 'data-attempts="3" data-learners="3" data-passed="2"' in html
    q1 = _question_block(html, 1)
    assert 'data-answered="3"' in q1 and 'data-percent-correct="33.33"' in q1
    assert 'data-top-wrong-count="2"' in q1 and "Wait until they speak" in q1
    q3 = _question_block(html, 3)
    assert 'data-percent-correct="66.67"' in q3 and ">True<" in q3
    index = client.get("/trainer/quizzes/").get_data(as_text=True)
    assert f'data-module="{MODULE}" data-attempts="3" data-pass-rate="66.7"' in index


def test_trainer_statistics_keep_quiz_versions_apart(app, auth, client, every_kind):
    """After the quiz changes, statistics start afresh and the earlier version stays listed."""
    auth.login_as("employee")
    take(auth, client, RIGHT_FORM)
    changed = dict(EVERY_KIND, pass_mark=50)
    set_quiz(app, changed)
    take(auth, client, {})
    client.post("/logout", data={"csrf_token": _csrf(client)})
    auth.login_as("trainer")
    html = client.get(f"/trainer/quizzes/{MODULE}").get_data(as_text=True)
    assert 'data-attempts="1"' in html and "Earlier version" in html
    older = re.search(r'href="([^"]+\?version=\d+)"[^>]*>\s*Earlier', html).group(1)
    older_html = client.get(older.replace("&amp;", "&")).get_data(as_text=True)
    assert 'data-percent-correct="100"' in _question_block(older_html, 1)


# --- access: every route × every role ------------------------------------------------------

ROLES = ("anonymous", "employee", "trainer", "hr", "admin")
SIGNED_IN = ROLES[1:]
TRAINERS = ("trainer", "admin")


@pytest.mark.parametrize(
    "method,path,allowed",
    [
        ("GET", QUIZ_URL, SIGNED_IN),
        ("POST", QUIZ_URL, SIGNED_IN),
        ("GET", "/quiz/attempts/<own>", SIGNED_IN),
        ("POST", "/quiz/attempts/<own>/answers", SIGNED_IN),
        ("GET", "/me/attempts", SIGNED_IN),
        ("GET", "/trainer/quizzes/", TRAINERS),
        ("GET", f"/trainer/quizzes/{MODULE}", TRAINERS),
    ],
)
@pytest.mark.parametrize("role", ROLES)
def test_route_access(app, auth, client, every_kind, role, method, path, allowed):
    """Allowed roles get the page; others 403; anonymous visitors go to the login page."""
    token = "A" * 32
    if role != "anonymous":
        auth.login_as(role)
        _html, token = open_paper(client)
        submit(auth, token, {})
    path = path.replace("<own>", token)
    if method == "POST":
        response = auth.post(path, {"attempt": token})
    else:
        response = client.get(path)
    if role in allowed:
        # The autosave of a submitted attempt answers 409 (no more answers).
        assert response.status_code in (200, 303, 409), response.status_code
    elif role == "anonymous":
        assert response.status_code == 302 and "/login" in response.headers["Location"]
    else:
        assert response.status_code == 403


def test_every_quiz_route_is_in_the_access_matrix(app):
    """Each route of the quiz blueprint appears in test_route_access."""
    tested = {
        "/courses/<discipline>/<slug>/quiz",
        "/quiz/attempts/<token>",
        "/quiz/attempts/<token>/answers",
        "/me/attempts",
        "/trainer/quizzes/",
        "/trainer/quizzes/<discipline>/<slug>",
    }
    routes = {rule.rule for rule in app.url_map.iter_rules() if rule.endpoint.startswith("quiz.")}
    assert routes == tested


def test_nav_shows_trainer_area_to_trainers_only(auth, client):
    """The Trainer item is in the navigation of trainers and admins, not of employees."""
    auth.login_as("employee")
    assert 'href="/trainer/quizzes/"' not in client.get("/me/attempts").get_data(as_text=True)
    client.post("/logout", data={"csrf_token": _csrf(client)})
    auth.login_as("trainer")
    assert 'href="/trainer/quizzes/"' in client.get("/me/attempts").get_data(as_text=True)


# --- queries per page ------------------------------------------------------------------------


def _attempts_by(app, n, user=None, make_user=None):
    """Store `n` submitted attempts (for `user`, else for new learners) through the services."""
    from academy.accounts.models import User
    from academy.catalog.models import Module
    from academy.extensions import db
    from academy.progress import quizzing
    from academy.quizzes import key_form

    ids = [user.id if user else make_user("employee").id for _ in range(n)]
    with app.app_context():
        module = db.session.scalar(select(Module).where(Module.key == MODULE))
        for i, user_id in enumerate(ids):
            learner = db.session.get(User, user_id)
            attempt = quizzing.open_attempt(learner, module)
            quiz, paper = quizzing.quiz_and_paper(attempt)
            form = key_form(quiz, paper) if i % 2 else {}
            quizzing.submit_attempt(learner, attempt, form)
            db.session.commit()


def test_statistics_pages_query_count_does_not_grow(app, auth, client, queries, make_user):
    """The trainer pages run the same number of queries for 3 or 12 attempts."""
    set_quiz(app, EVERY_KIND)
    auth.login_as("trainer")
    client.get(f"/trainer/quizzes/{MODULE}")  # warm the process's content cache
    seen = []
    for n in (3, 9):
        _attempts_by(app, n, make_user=make_user)
        for path in (f"/trainer/quizzes/{MODULE}", "/trainer/quizzes/"):
            with queries() as statements:
                assert client.get(path).status_code == 200
            seen.append((path, len(statements)))
    assert seen[0][1] == seen[2][1] and seen[1][1] == seen[3][1], seen


def test_history_query_count_does_not_grow(app, auth, client, queries):
    """/me/attempts runs the same number of queries for 2 or 8 attempts."""
    set_quiz(app, EVERY_KIND)
    user = auth.login_as("employee")
    seen = []
    for n in (2, 6):
        _attempts_by(app, n, user=user)
        with queries() as statements:
            assert client.get("/me/attempts").status_code == 200
        seen.append(len(statements))
    assert seen[0] == seen[1], seen


# --- helpers ---------------------------------------------------------------------------------


def _csrf(client):
    from helpers import csrf_token

    return csrf_token(client)


def _question_block(html, number):
    match = re.search(
        rf'<li class="quiz-stat card" data-question="{number}".*?</li>\s*(?=<li|</ol)', html, re.S
    )
    assert match, f"question {number} not on the page"
    return match.group(0)


class FieldParser(HTMLParser):
    """Collect form controls, labels, texts and attributes of a page."""

    def __init__(self):
        super().__init__()
        self.controls = []
        self.label_for = set()
        self.texts = []
        self.attributes = []
        self._label_depth = 0
        self._select = None
        self._in_form = False

    @classmethod
    def parse_all(cls, html):
        parser = cls()
        start = html.index('<form method="post" action="/courses/')
        parser.feed(html[start : html.index("</form>", start) + 7])
        return parser

    @classmethod
    def parse(cls, html):
        """Field name → offered values (options in page order), from the quiz form only."""
        fields = {}
        for control in cls.parse_all(html).controls:
            name = control.get("name", "")
            if re.fullmatch(r"q\d+(-\d+)?", name):
                fields.setdefault(name, []).extend(
                    control.get("_values", [control.get("value", "")])
                )
        return fields

    def handle_starttag(self, tag, attrs):
        data = dict(attrs)
        self.attributes.extend(attrs)
        if tag == "label":
            self._label_depth += 1
            if "for" in data:
                self.label_for.add(data["for"])
        elif tag in ("input", "textarea"):
            data["_in_label"] = self._label_depth > 0
            self.controls.append(data)
        elif tag == "select":
            data["_in_label"] = self._label_depth > 0
            data["_values"] = []
            self._select = data
            self.controls.append(data)
        elif tag == "option" and self._select is not None:
            self._select["_values"].append(data.get("value", ""))

    def handle_endtag(self, tag):
        if tag == "label":
            self._label_depth -= 1
        elif tag == "select":
            self._select = None

    def handle_data(self, data):
        if data.strip():
            self.texts.append(data.strip())
