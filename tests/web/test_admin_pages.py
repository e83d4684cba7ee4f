"""Administrators manage people, departments and content in the app."""

from __future__ import annotations

from helpers import PASSWORD, csrf_token
from sqlalchemy import select


def test_admin_lists_and_filters_people(auth, client, make_user):
    """The people list filters by role and search and paginates."""
    auth.login_as("admin")
    make_user("trainer", username="wangxl", display_name="王秀兰", department="客服窗口")
    make_user("employee", username="zhangwei", display_name="张伟")
    html = client.get("/admin/users?role=trainer").get_data(as_text=True)
    assert "王秀兰" in html and "张伟" not in html
    html = client.get("/admin/users?q=张").get_data(as_text=True)
    assert "张伟" in html and "王秀兰" not in html


def test_admin_creates_user_with_generated_password(app, auth, client):
    """Creating a user without a password shows a generated one once."""
    from academy.accounts.models import User
    from academy.extensions import db

    auth.login_as("admin")
    response = auth.post(
        "/admin/users/new",
        {
            "username": "liNa",
            "display_name": "李娜",
            "role": "employee",
            "department": "",
            "active": "y",
        },
        follow_redirects=True,
    )
    assert response.status_code == 200
    assert "password (shown once)" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(User).where(User.username == "lina")) is not None


def test_admin_user_form_errors_name_the_field(auth):
    """A taken username and a bad email come back 422 next to their fields."""
    auth.login_as("admin", username="boss")
    response = auth.post(
        "/admin/users/new",
        {
            "username": "boss",
            "display_name": "x",
            "role": "employee",
            "department": "",
            "email": "not-an-email",
        },
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'id="username-error"' in html


def test_admin_cannot_demote_themselves(auth, client):
    """An admin cannot remove their own admin role."""
    admin = auth.login_as("admin", username="boss", display_name="老板")
    response = auth.post(
        f"/admin/users/{admin.id}",
        {
            "username": "boss",
            "display_name": "老板",
            "role": "employee",
            "department": "",
            "active": "y",
        },
    )
    assert response.status_code == 422
    assert "cannot remove your own administrator access" in response.get_data(as_text=True)


def test_disabling_a_user_ends_their_session(app, auth, make_user):
    """Deactivating a user logs them out everywhere."""
    victim = make_user("employee", username="victim", display_name="受害者")
    other = app.test_client()
    other.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    other.post(
        "/login", data={"username": "victim", "password": PASSWORD, "csrf_token": csrf_token(other)}
    )
    assert other.get("/courses/").status_code == 200
    auth.login_as("admin")
    response = auth.post(
        f"/admin/users/{victim.id}",
        {"username": "victim", "display_name": "受害者", "role": "employee", "department": ""},
    )
    assert response.status_code == 302
    assert other.get("/courses/").status_code == 302


def test_departments_add_rename_delete(auth, client, make_user):
    """Departments can be added, renamed, and deleted only when empty."""
    auth.login_as("admin")
    assert auth.post("/admin/departments", {"name": "供水车间"}).status_code == 302
    dup = auth.post("/admin/departments", {"name": "供水车间"})
    assert dup.status_code == 422 and "already exists" in dup.get_data(as_text=True)
    html = client.get("/admin/departments").get_data(as_text=True)
    assert "供水车间" in html and "data-confirm" in html
    make_user("employee", department="供电车间")
    from academy.accounts.models import Department
    from academy.extensions import db

    with client.application.app_context():
        water = db.session.scalar(select(Department).where(Department.name == "供水车间"))
        power = db.session.scalar(select(Department).where(Department.name == "供电车间"))
        water_id, power_id = water.id, power.id
    assert auth.post(f"/admin/departments/{water_id}", {"name": "供水一车间"}).status_code == 302
    refused = auth.post(f"/admin/departments/{power_id}/delete", follow_redirects=True)
    assert "still has 1 people" in refused.get_data(as_text=True)
    assert auth.post(f"/admin/departments/{water_id}/delete").status_code == 302
    assert "供水一车间" not in client.get("/admin/departments").get_data(as_text=True)


def test_admin_content_sync_reports(auth, client):
    """The content page syncs files and shows the report."""
    auth.login_as("admin")
    response = auth.post("/admin/content", {})
    assert response.status_code == 200
    assert "unchanged" in response.get_data(as_text=True)


def test_edit_unknown_user_is_404(auth, client):
    """Editing a user that does not exist is a 404."""
    auth.login_as("admin")
    assert client.get("/admin/users/99999").status_code == 404


def test_absurd_page_numbers_do_not_crash(auth, client):
    """Huge, negative or non-numeric page numbers give a page, never a 500."""
    auth.login_as("admin")
    for page in ("99999999999999999999", "-3", "abc", "٣", "0"):
        assert client.get(f"/admin/users?page={page}").status_code == 200
