"""Residents' QR feedback cards: the public card, its protections, and managing the codes."""

from __future__ import annotations

import pytest
from helpers import csrf_token, make_test_app
from sqlalchemy import func, select

ROLES = ("employee", "trainer", "hr", "admin")


def make_point(app, kind="point", employee=None, department="客服窗口"):
    """A feedback point (or a badge for `employee`), made by an admin; returns its code."""
    from academy.accounts.models import Department, User
    from academy.extensions import db
    from academy.practice import points

    with app.app_context():
        admin = db.session.scalar(select(User).where(User.role == "admin"))
        if admin is None:
            admin = User(username="root", display_name="管理员", role="admin", password_hash="x")
            db.session.add(admin)
            db.session.flush()
        if kind == "badge":
            made = points.badge_of(admin, db.session.get(User, employee.id))
        else:
            dep = db.session.scalar(select(Department).where(Department.name == department))
            if dep is None:
                dep = Department(name=department)
                db.session.add(dep)
                db.session.flush()
            made = points.create_point(admin, "南区营业厅 2号窗口", dep)
        db.session.commit()
        return made.code


def card_count(app):
    from academy.extensions import db
    from academy.practice.models import FeedbackCard

    with app.app_context():
        return db.session.scalar(select(func.count(FeedbackCard.id)))


def post_card(client, code, **data):
    payload = {"csrf_token": csrf_token(client, f"/r/{code}"), "rating": "5", **data}
    return client.post(f"/r/{code}", data=payload)


# --- the resident's card ------------------------------------------------------------------


def test_anyone_opens_the_card_without_signing_in(app, client):
    """No login: the card, in Chinese by default, with CSRF token and the honeypot."""
    code = make_point(app)
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "zh-CN"
    page = client.get(f"/r/{code}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "南区营业厅 2号窗口" in html and 'name="csrf_token"' in html
    assert 'name="website"' in html and 'name="form_key"' in html
    assert "user-menu" not in html
    assert 'lang="zh-Hans"' in html


def test_unknown_or_stopped_codes_are_404(app, client):
    """A code nobody made, or garbage, finds nothing."""
    assert client.get("/r/AAAAAAAAAAAA").status_code == 404
    assert client.get("/r/..%2Fadmin").status_code == 404


def test_a_resident_card_through_a_badge_names_the_worker(app, client, make_user):
    """Posted once (double tap with the same form key): one card, one statement about her."""
    from academy.extensions import db
    from academy.progress.models import Statement

    li = make_user("employee", username="lina", department="客服窗口")
    code = make_point(app, "badge", li)
    assert "测试employee" in client.get(f"/r/{code}").get_data(as_text=True)
    response = post_card(client, code, good="讲得很清楚", form_key="f" * 20)
    assert response.status_code == 303 and response.headers["Location"].endswith("/thanks")
    assert post_card(client, code, good="讲得很清楚", form_key="f" * 20).status_code == 303
    assert card_count(app) == 1
    with app.app_context():
        (st,) = db.session.scalars(select(Statement).where(Statement.verb == "rated"))
        assert st.actor_id == li.id and st.result["source"] == "resident"
    assert client.get(f"/r/{code}/thanks").status_code == 200


def test_bad_rating_is_a_400_with_the_message(app, client):
    """No rating: the card comes back with the error, nothing stored."""
    code = make_point(app)
    response = post_card(client, code, rating="9")
    assert response.status_code == 400
    assert "from 1 to 5" in response.get_data(as_text=True)
    assert card_count(app) == 0


def test_the_honeypot_swallows_bots(app, client):
    """A filled hidden field: thanked, nothing recorded."""
    code = make_point(app)
    response = post_card(client, code, website="http://spam.example")
    assert response.status_code == 303
    assert card_count(app) == 0


def test_csrf_is_still_required(app, client):
    """Without the token the post is refused."""
    code = make_point(app)
    client.get(f"/r/{code}")
    assert client.post(f"/r/{code}", data={"rating": "5"}).status_code == 400
    assert card_count(app) == 0


def test_cards_are_rate_limited_per_address(app, client):
    """The sixth card from one phone in ten minutes is refused (429)."""
    code = make_point(app)
    statuses = [post_card(client, code).status_code for _ in range(6)]
    assert statuses[:5] == [303] * 5 and statuses[5] == 429
    assert card_count(app) == 5


def test_cards_are_rate_limited_per_code(tmp_path):
    """Many phones, one code: past the code's budget further cards are refused."""
    from helpers import TEST_DB_URL, reset_postgres

    from academy.catalog.sync import sync_content
    from academy.extensions import db

    app = make_test_app(tmp_path, RATELIMIT_RESIDENT_CODE="3 per hour")
    with app.app_context():
        if TEST_DB_URL:
            reset_postgres(db)
        else:
            db.create_all()
        sync_content(app.config["COURSES_DIR"], app.config["SCENARIOS_DIR"])
        db.session.commit()
    try:
        code = make_point(app)
        statuses = []
        for n in range(4):
            phone = app.test_client()
            phone.environ_base["REMOTE_ADDR"] = f"10.0.0.{n + 1}"
            statuses.append(post_card(phone, code).status_code)
        assert statuses == [303, 303, 303, 429]
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


# --- staff entering cards -----------------------------------------------------------------


def test_staff_cannot_name_themselves_or_a_colleague(app, auth, client, make_user):
    """The employee's form has no name field; a forged post naming someone is refused."""
    zhang = auth.login_as("employee", username="zhangwei", department="客服窗口")
    make_user("employee", username="lina", department="客服窗口")
    page = client.get("/feedback-cards/new").get_data(as_text=True)
    assert 'name="employee"' not in page and "card-names-nobody" in page
    for named in ("zhangwei", "lina"):
        response = auth.post("/feedback-cards/new", {"rating": "5", "employee": named})
        assert response.status_code == 400
    assert card_count(app) == 0
    assert zhang.id


# --- managing the codes -----------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("path", ["/trainer/feedback-points", "/trainer/feedback-points/print"])
def test_management_pages_for_every_role(auth, client, role, path):
    """Trainers and admins manage codes; employees and HR are refused."""
    auth.login_as(role, department="客服窗口")
    status = client.get(path).status_code
    assert status == (200 if role in ("trainer", "admin") else 403)


@pytest.mark.parametrize("path", ["/trainer/feedback-points", "/trainer/feedback-points/print"])
def test_management_pages_need_a_login(client, path):
    """Signed out: to the login page."""
    response = client.get(path)
    assert response.status_code == 302 and "/login" in response.headers["Location"]


@pytest.mark.parametrize("role", ROLES)
def test_making_codes_for_every_role(app, auth, client, make_user, role):
    """A trainer makes a window code and a badge in their department; others are refused."""
    from academy.accounts.models import User
    from academy.extensions import db

    user = auth.login_as(role, department="客服窗口")
    make_user("employee", username="lina", department="客服窗口")
    with app.app_context():
        dep_id = db.session.get(User, user.id).department_id
    point = auth.post(
        "/trainer/feedback-points",
        {"kind": "point", "name": "2号窗口", "department": str(dep_id)},
    )
    badge = auth.post("/trainer/feedback-points", {"kind": "badge", "employee": "lina"})
    if role in ("trainer", "admin"):
        assert (point.status_code, badge.status_code) == (303, 303)
        sheet = client.get("/trainer/feedback-points/print").get_data(as_text=True)
        codes = sheet.count("<svg") - sheet.count('<svg aria-hidden="true"')  # not icons
        assert codes == 2 and "2号窗口" in sheet and "/r/" in sheet
    else:
        assert (point.status_code, badge.status_code) == (403, 403)


def test_a_trainer_cannot_make_codes_for_another_department(app, auth, client, make_user):
    """Another department's worker or department: 400 with the reason, nothing made."""
    from academy.accounts.models import Department
    from academy.extensions import db
    from academy.practice.models import FeedbackPoint

    auth.login_as("trainer", department="客服窗口")
    make_user("employee", username="wangqiang", department="抢修班")
    with app.app_context():
        other = db.session.scalar(select(Department).where(Department.name == "抢修班"))
        other_id = other.id
    assert (
        auth.post(
            "/trainer/feedback-points",
            {"kind": "point", "name": "值班室", "department": str(other_id)},
        ).status_code
        == 400
    )
    refused = auth.post("/trainer/feedback-points", {"kind": "badge", "employee": "wangqiang"})
    assert refused.status_code == 400
    with app.app_context():
        assert db.session.scalar(select(func.count(FeedbackPoint.id))) == 0


def test_stopping_a_code(app, auth, client):
    """After stopping, the resident's address is 404; another trainer's scope is refused."""
    code = make_point(app)
    from academy.extensions import db
    from academy.practice.models import FeedbackPoint

    with app.app_context():
        point_id = db.session.scalar(select(FeedbackPoint.id).where(FeedbackPoint.code == code))
    auth.login_as("trainer", department="抢修班")
    assert auth.post(f"/trainer/feedback-points/{point_id}/deactivate").status_code == 403
    client.post("/logout", data={"csrf_token": csrf_token(client)})
    auth.login_as("trainer", department="客服窗口")
    assert auth.post(f"/trainer/feedback-points/{point_id}/deactivate").status_code == 303
    assert client.get(f"/r/{code}").status_code == 404
