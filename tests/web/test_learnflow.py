"""Completion rule, due dates, continue learning, assigned drills, forms naming every error."""

from __future__ import annotations

from datetime import timedelta

import pytest
from drill_fixtures import FAILURE, SLUG, SUCCESS, play
from helpers import csrf_token
from quiz_fixtures import EVERY_KIND, RIGHT_FORM, open_paper, set_quiz, submit
from sqlalchemy import select


def _due(days: int = 1) -> str:
    from academy.assignments.services import today_local

    return (today_local() + timedelta(days=days)).isoformat()


def _department(app, name):
    from academy.accounts.models import Department
    from academy.extensions import db

    with app.app_context():
        return db.session.scalar(select(Department.id).where(Department.name == name))


def _assign(auth, item, people, due=None):
    return auth.post("/assignments/new", {"item": item, "people": people, "due": due or _due()})


# --- the completion rule -------------------------------------------------------------------


def test_a_quiz_lesson_completes_when_the_quiz_is_passed_not_when_marked(app, auth, client):
    set_quiz(app, EVERY_KIND)
    auth.login_as("employee")
    page = client.get("/courses/look/first-look").get_data(as_text=True)
    assert 'data-rule="quiz"' in page and 'id="complete-lesson"' not in page
    refused = auth.post("/courses/look/first-look/complete")
    assert refused.status_code == 422
    assert "completed by passing its quiz" in refused.get_data(as_text=True)
    _html, token = open_paper(client)
    submit(auth, token, {"q1": "0"})  # failed: not completed
    page = client.get("/courses/look/first-look").get_data(as_text=True)
    assert 'data-status="read"' in page
    _html, token = open_paper(client)
    submit(auth, token, RIGHT_FORM)
    page = client.get("/courses/look/first-look").get_data(as_text=True)
    assert 'id="lesson-status" data-status="completed"' in page


def test_a_lesson_without_quiz_says_it_completes_when_marked_read(auth, client):
    auth.login_as("employee")
    page = client.get("/courses/listen/listen-log").get_data(as_text=True)
    assert 'data-rule="read"' in page and 'id="complete-lesson"' in page


# --- due dates and continue learning ---------------------------------------------------------


def test_due_dates_show_on_the_catalogue_and_the_lesson(app, auth, client, make_user):
    make_user("employee", username="due1", department="供水车间")
    auth.login_as("hr")
    assert _assign(auth, "module:listen/listen-log", "due1", _due(2)).status_code == 302
    client.post("/logout", data={"csrf_token": csrf_token(client)})
    auth.login("due1")
    catalogue = client.get("/courses/").get_data(as_text=True)
    item = catalogue.split('data-module="listen/listen-log"', 1)[1].split("</li>", 1)[0]
    assert "module-list__due" in item and "Due in 2 days" in item
    lesson = client.get("/courses/listen/listen-log").get_data(as_text=True)
    assert 'id="lesson-due"' in lesson


def test_continue_learning_prefers_assigned_work_due_soonest(app, auth, client, make_user):
    make_user("employee", username="cont1", department="供水车间")
    auth.login_as("hr")
    assert _assign(auth, "module:listen/listen-log", "cont1", _due(9)).status_code == 302
    assert _assign(auth, f"scenario:{SLUG}", "cont1", _due(3)).status_code == 302
    client.post("/logout", data={"csrf_token": csrf_token(client)})
    auth.login("cont1")
    page = client.get("/me/").get_data(as_text=True)
    section = page.split('id="continue-learning"', 1)[1].split("</section>", 1)[0]
    assert 'data-kind="assigned"' in page and f"/scenarios/{SLUG}" in section


# --- drills assigned -------------------------------------------------------------------------


def test_an_assigned_drill_is_due_and_a_passing_run_completes_it(app, auth, client, make_user):
    from academy.assignments.models import AssignmentTarget
    from academy.extensions import db

    make_user("employee", username="drill1", department="供水车间")
    auth.login_as("trainer", department="供水车间")
    form = client.get("/assignments/new").get_data(as_text=True)
    assert f'value="scenario:{SLUG}"' in form
    created = auth.post(
        "/assignments/new",
        {
            "item": f"scenario:{SLUG}",
            "departments": str(_department(app, "供水车间")),
            "due": _due(),
        },
    )
    assert created.status_code == 302
    detail = client.get(created.headers["Location"]).get_data(as_text=True)
    assert "drill1" in detail
    listing = client.get("/assignments/").get_data(as_text=True)
    assert "Drill" in listing
    client.post("/logout", data={"csrf_token": csrf_token(client)})
    auth.login("drill1")
    assert f"/scenarios/{SLUG}" in client.get("/me/").get_data(as_text=True)
    assert 'data-assigned="true"' in client.get("/scenarios/").get_data(as_text=True)
    assert 'id="drill-due"' in client.get(f"/scenarios/{SLUG}").get_data(as_text=True)
    play(auth, client, FAILURE)
    with app.app_context():
        target = db.session.scalar(select(AssignmentTarget))
        assert target.completed_at is None  # a failed run does not complete it
    play(auth, client, SUCCESS)
    with app.app_context():
        target = db.session.scalar(select(AssignmentTarget))
        assert target.completed_at is not None and target.on_time is True


def test_after_a_choice_the_new_prompt_takes_the_focus(auth, client):
    auth.login_as("employee")
    run_id = play(auth, client, SUCCESS[:1])
    html = client.get(f"/scenarios/runs/{run_id}").get_data(as_text=True)
    assert 'id="drill-prompt"' in html and 'tabindex="-1" autofocus' in html


# --- forms name every invalid field at once -----------------------------------------------------


def test_the_assignment_form_names_every_invalid_field(auth, client, make_user):
    auth.login_as("hr")
    response = auth.post(
        "/assignments/new", {"item": "module:look/nope", "due": "2020-01-01", "people": "ghost"}
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    for message in ("Choose something to assign", "in the past", "Unknown people: ghost"):
        assert message in html
    assert html.count('href="#item"') == 1 and 'href="#due"' in html and 'href="#people"' in html


def test_the_assignment_form_with_an_unreadable_date_still_checks_the_rest(auth):
    auth.login_as("hr")
    response = auth.post("/assignments/new", {"item": "x", "due": "not-a-date", "people": "ghost"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "Unknown people: ghost" in html
    assert "Choose something to assign" in html


def test_the_new_user_form_names_every_invalid_field(auth, make_user):
    make_user("employee", username="taken")
    auth.login_as("admin")
    response = auth.post(
        "/admin/users/new",
        {
            "username": "taken",
            "display_name": "",
            "role": "employee",
            "department": "",
            "email": "not-an-email",
            "password": "short",
        },
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    for field in ("username", "display_name", "email", "password"):
        assert f'href="#{field}"' in html, field
    assert "already taken" in html


@pytest.mark.parametrize("role", ["employee", "trainer"])
def test_assigning_is_refused_to_employees_and_users_form_to_non_admins(auth, role):
    auth.login_as(role)
    expected = 403
    assert auth.post("/admin/users/new", {"username": "x"}).status_code == expected
    if role == "employee":
        assert _assign(auth, f"scenario:{SLUG}", "x").status_code == expected


def test_catalogue_queries_do_not_grow_with_assignments(app, auth, client, make_user, queries):
    user = make_user("employee", username="q1", department="供水车间")
    auth.login_as("hr")
    _assign(auth, "module:listen/listen-log", "q1")
    client.post("/logout", data={"csrf_token": csrf_token(client)})
    auth.login(user.username)
    client.get("/courses/")
    with queries() as one:
        client.get("/courses/")
    client.post("/logout", data={"csrf_token": csrf_token(client)})
    auth.login_as("hr")
    for item in ("module:look/first-look", "module:look/second-look", f"scenario:{SLUG}"):
        _assign(auth, item, "q1")
    client.post("/logout", data={"csrf_token": csrf_token(client)})
    auth.login(user.username)
    client.get("/courses/")
    with queries() as many:
        client.get("/courses/")
    assert len(many) == len(one)
