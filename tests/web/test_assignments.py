"""Assignments: trainers and HR give work with a due date; evidence closes it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from helpers import csrf_token
from sqlalchemy import select

ROLES = ("anonymous", "employee", "trainer", "hr", "admin")


def tomorrow() -> str:
    from academy.assignments.services import today_local

    return (today_local() + timedelta(days=1)).isoformat()


def department_id(app, name):
    from academy.accounts.models import Department
    from academy.extensions import db

    with app.app_context():
        return db.session.scalar(select(Department.id).where(Department.name == name))


def make_assignment(auth, app, item="module:look/second-look", department="供水车间", due=None):
    return auth.post(
        "/assignments/new",
        {
            "item": item,
            "departments": str(department_id(app, department)),
            "due": due or tomorrow(),
        },
    )


def test_trainer_assigns_a_lesson_to_their_department(app, auth, client, make_user):
    """A trainer assigns to their own department; each employee gets a target."""
    make_user("employee", username="a1", department="供水车间")
    make_user("employee", username="a2", department="供水车间")
    make_user("employee", username="other", department="供电车间")
    auth.login_as("trainer", department="供水车间")
    response = make_assignment(auth, app)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    detail = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "a1" in detail and "a2" in detail and "other" not in detail


def test_trainer_cannot_assign_outside_their_departments(app, auth, make_user):
    """Departments a trainer does not coach are refused with a message."""
    make_user("employee", department="供电车间")
    auth.login_as("trainer", department="供水车间")
    response = make_assignment(auth, app, department="供电车间")
    assert response.status_code == 422
    assert "only assign to your own departments" in response.get_data(as_text=True)


def test_assignment_form_errors(app, auth, make_user):
    """Past due dates, unknown items and unknown people come back 422 by field."""
    make_user("employee", department="供水车间")
    auth.login_as("hr")
    past = make_assignment(auth, app, due="2020-01-01")
    assert past.status_code == 422 and "in the past" in past.get_data(as_text=True)
    unknown = make_assignment(auth, app, item="module:look/nope")
    assert unknown.status_code == 422 and "Choose something to assign" in unknown.get_data(
        as_text=True
    )
    nobody = auth.post(
        "/assignments/new",
        {"item": "module:look/second-look", "due": tomorrow(), "people": "ghost, 不存在"},
    )
    assert nobody.status_code == 422 and "Unknown people: ghost" in nobody.get_data(as_text=True)
    garbage = auth.post(
        "/assignments/new", {"item": "x", "due": "not-a-date", "departments": "abc"}
    )
    assert garbage.status_code == 422


def test_hr_assigns_people_by_username_or_employee_number(app, auth, make_user):
    """HR can name people by username or employee number."""
    from academy.accounts.models import User
    from academy.extensions import db

    make_user("employee", username="zhangwei", department="客服窗口")
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == "zhangwei"))
        user.employee_no = "E042"
        db.session.commit()
    make_user("employee", username="lina", department="供水车间")
    auth.login_as("hr")
    response = auth.post(
        "/assignments/new",
        {"item": "module:listen/listen-log", "due": tomorrow(), "people": "E042，lina"},
    )
    assert response.status_code == 302


def test_completion_closes_the_assignment_on_time_and_marks_initiative(
    app, auth, client, make_user
):
    """Completing an assigned lesson closes it on time and records 'assigned' initiative."""
    from academy.assignments.models import AssignmentTarget
    from academy.extensions import db
    from academy.progress.models import Statement

    employee = make_user("employee", username="worker", department="供水车间")
    auth.login_as("trainer", department="供水车间")
    make_assignment(auth, app)
    client.post("/logout", data={"csrf_token": csrf_token(client)})
    auth.login("worker")
    dashboard = client.get("/me/").get_data(as_text=True)
    assert "入户观察" in dashboard and 'data-overdue="false"' in dashboard
    client.post("/courses/look/second-look/complete", data={"csrf_token": csrf_token(client)})
    with app.app_context():
        target = db.session.scalar(
            select(AssignmentTarget).where(AssignmentTarget.user_id == employee.id)
        )
        assert target.completed_at is not None and target.on_time is True
        statement = db.session.scalar(
            select(Statement).where(
                Statement.actor_id == employee.id, Statement.verb == "completed"
            )
        )
        assert statement.initiative == "assigned" and statement.on_time is True
        assert statement.assignment_id == target.assignment_id


def test_self_initiated_work_is_recorded_as_such(app, auth, client):
    """Work nobody assigned is recorded with initiative 'self'."""
    from academy.extensions import db
    from academy.progress.models import Statement

    user = auth.login_as("employee")
    client.post("/courses/smile/one-metre/complete", data={"csrf_token": csrf_token(client)})
    with app.app_context():
        statement = db.session.scalar(
            select(Statement).where(Statement.actor_id == user.id, Statement.verb == "completed")
        )
        assert statement.initiative == "self" and statement.assignment_id is None


def test_module_with_quiz_needs_the_quiz_passed(app, auth, client, make_user):
    """Marking a lesson with a quiz completed does not close it; passing its quiz does."""
    from academy.accounts.models import User
    from academy.assignments.models import AssignmentTarget
    from academy.extensions import db
    from academy.progress import ledger

    employee = make_user("employee", username="quizzer", department="供水车间")
    auth.login_as("hr")
    make_assignment(auth, app, item="module:look/first-look")
    with app.app_context():
        actor = db.session.get(User, employee.id)
        ledger.record(actor, "completed", "module", "look/first-look")
        db.session.commit()
        target = db.session.scalar(select(AssignmentTarget))
        assert target.completed_at is None
        ledger.record(actor, "passed", "quiz", "look/first-look", score=100, success=True)
        db.session.commit()
        db.session.refresh(target)
        assert target.completed_at is not None


def test_overdue_work_stands_out_and_sorts_first(app, auth, client, make_user):
    """Overdue items are marked and listed before ones due later."""
    from academy.assignments.models import AssignmentTarget
    from academy.extensions import db

    make_user("employee", username="late", department="供水车间")
    auth.login_as("hr")
    make_assignment(auth, app, item="module:look/second-look")
    make_assignment(auth, app, item="module:listen/listen-log")
    with app.app_context():
        first = db.session.scalar(
            select(AssignmentTarget).where(AssignmentTarget.object_id == "listen/listen-log")
        )
        first.due_at = first.due_at - timedelta(days=5)
        db.session.commit()
    client.post("/logout", data={"csrf_token": csrf_token(client)})
    auth.login("late")
    html = client.get("/me/").get_data(as_text=True)
    assert 'data-overdue="true"' in html
    assert html.index("倾听一本记录") < html.index("入户观察")
    assert "Overdue since" in html


def test_withdrawing_needs_post_and_keeps_done_work(app, auth, client, make_user):
    """Withdrawing closes the open part; the list shows it withdrawn."""
    make_user("employee", department="供水车间")
    auth.login_as("hr")
    location = make_assignment(auth, app).headers["Location"]
    assignment_id = int(location.rstrip("/").split("/")[-1])
    assert client.post(f"/assignments/{assignment_id}/cancel").status_code == 400
    assert auth.post(f"/assignments/{assignment_id}/cancel").status_code == 302
    assert "withdrawn" in client.get("/assignments/").get_data(as_text=True)


def test_trainer_cannot_see_other_departments_assignments(app, auth, client, make_user):
    """An assignment reaching only another department is a 404 for a trainer."""
    make_user("employee", department="供电车间")
    auth.login_as("hr")
    location = make_assignment(auth, app, department="供电车间").headers["Location"]
    client.post("/logout", data={"csrf_token": csrf_token(client)})
    auth.login_as("trainer", department="供水车间")
    assert client.get(location).status_code == 404
    assert "入户观察" not in client.get("/assignments/").get_data(as_text=True)


def test_list_and_dashboard_query_counts_are_constant(app, auth, client, make_user, queries):
    """More assignments do not mean more queries on the list or the dashboard."""
    for i in range(3):
        make_user("employee", username=f"e{i}", department="供水车间")
    auth.login_as("hr")
    make_assignment(auth, app)
    with queries() as few:
        client.get("/assignments/")
    for item in (
        "module:listen/listen-log",
        "module:smile/one-metre",
        "module:act/needs-are-commands",
    ):
        make_assignment(auth, app, item=item)
    with queries() as many:
        client.get("/assignments/")
    assert len(few) == len(many)


ROUTES = [
    ("GET", "/me/", ROLES[1:]),
    ("GET", "/assignments/", ("trainer", "hr", "admin")),
    ("GET", "/assignments/new", ("trainer", "hr", "admin")),
]


@pytest.mark.parametrize("method,path,allowed", ROUTES)
@pytest.mark.parametrize("role", ROLES)
def test_assignment_route_access(auth, client, role, method, path, allowed):
    """Each assignment route admits its roles, refuses others, sends anonymous to login."""
    if role != "anonymous":
        auth.login_as(role, department="供水车间")
    response = client.open(path, method=method)
    if role in allowed:
        assert response.status_code == 200
    elif role == "anonymous":
        assert response.status_code == 302 and "/login" in response.headers["Location"]
    else:
        assert response.status_code == 403


@pytest.mark.parametrize("role", ROLES)
def test_assignment_detail_and_cancel_access(app, auth, client, make_user, role):
    """Detail and withdraw: trainers/HR/admin only."""
    make_user("employee", department="供水车间")
    auth.login_as("hr", username="boss-hr")
    location = make_assignment(auth, app).headers["Location"]
    client.post("/logout", data={"csrf_token": csrf_token(client)})
    if role != "anonymous":
        auth.login_as(role, department="供水车间")
    detail = client.get(location)
    cancel = client.post(location + "/cancel", data={"csrf_token": csrf_token(client)})
    if role in ("trainer", "hr", "admin"):
        assert detail.status_code == 200 and cancel.status_code == 302
    elif role == "anonymous":
        assert detail.status_code == 302 and cancel.status_code == 302
        assert "/login" in detail.headers["Location"]
    else:
        assert detail.status_code == 403 and cancel.status_code == 403


def test_admin_sets_the_departments_a_trainer_coaches(app, auth, client, make_user):
    """An admin gives a trainer two departments; the trainer can assign to both."""
    trainer = make_user("trainer", username="coach", department="客服窗口")
    make_user("employee", department="供电车间")
    water, power = department_id(app, "客服窗口"), department_id(app, "供电车间")
    auth.login_as("admin")
    response = auth.post(
        f"/admin/users/{trainer.id}",
        {
            "username": "coach",
            "display_name": "教练",
            "role": "trainer",
            "department": "客服窗口",
            "coached": [str(water), str(power)],
            "active": "y",
        },
    )
    assert response.status_code == 302
    html = client.get(f"/admin/users/{trainer.id}").get_data(as_text=True)
    assert html.count("checked") >= 2
    client.post("/logout", data={"csrf_token": csrf_token(client)})
    auth.login("coach")
    assert make_assignment(auth, app, department="供电车间").status_code == 302
