"""The main menu and where each role lands after signing in."""

from __future__ import annotations

import re

import pytest
from helpers import PASSWORD, csrf_token

LANDING = {
    "employee": "/me/",
    "trainer": "/trainer/cohort",
    "hr": "/hr/",
    "admin": "/admin/users",
}


def _menu(html: str) -> dict[str, list[str]]:
    """Group key → the menu's link targets, in order."""
    nav = html[html.index('<nav id="site-nav"') :].split("</nav>", 1)[0]
    groups: dict[str, list[str]] = {}
    for key, body in re.findall(
        r'<div class="nav-group nav-group--(\w+)[^"]*">([\s\S]*?)</ul>', nav
    ):
        groups[key] = re.findall(r'<a href="([^"]+)"', body)
    return groups


@pytest.mark.parametrize("role", sorted(LANDING))
def test_login_lands_each_role_on_its_work(auth, role):
    """Employees on their page, trainers on coaching, HR on the desk, admins on people."""
    user = auth.make_user(role)
    response = auth.login(user.username)
    assert response.status_code == 302
    assert response.headers["Location"] == LANDING[role]


@pytest.mark.parametrize("role", sorted(LANDING))
def test_home_sends_each_role_to_its_start_page_which_opens(auth, client, role):
    """'/' redirects to the role's start page, and that page answers 200."""
    auth.login_as(role)
    response = client.get("/")
    assert response.status_code == 302 and response.headers["Location"] == LANDING[role]
    assert client.get(LANDING[role]).status_code == 200


def test_home_sends_visitors_to_login(client):
    assert client.get("/").headers["Location"].startswith("/login")


@pytest.mark.parametrize("role", ["trainer", "hr", "admin"])
def test_a_safe_next_wins_over_the_landing_page(auth, client, role):
    """A same-site `next` is followed; another site's is ignored for the landing page."""
    user = auth.make_user(role)
    token = csrf_token(client)
    form = {"username": user.username, "password": PASSWORD, "csrf_token": token}
    response = client.post("/login?next=/courses/", data=form)
    assert response.headers["Location"] == "/courses/"
    client.post("/logout", data={"csrf_token": csrf_token(client)})
    token = csrf_token(client)
    response = client.post("/login?next=https://evil.example/", data={**form, "csrf_token": token})
    assert response.headers["Location"] == LANDING[role]


def test_employee_menu_is_their_learning_only(auth, client):
    auth.login_as("employee")
    menu = _menu(client.get("/me/").get_data(as_text=True))
    assert list(menu) == ["learn"]
    assert menu["learn"][:2] == ["/me/", "/courses/"]
    assert "/me/growth" in menu["learn"] and "/handouts/" in menu["learn"]


def test_trainer_menu_has_their_tools_first_with_the_observation_form(auth, client):
    """Trainers see their tools first (observation form included), then their own learning."""
    auth.login_as("trainer")
    html = client.get("/trainer/cohort").get_data(as_text=True)
    menu = _menu(html)
    assert list(menu) == ["train", "learn"]
    assert "/trainer/observe" in menu["train"] and "/assignments/" in menu["train"]
    assert "/me/" in menu["learn"]
    assert 'class="nav-group nav-group--train nav-group--primary"' in html
    assert re.search(r'<a href="/trainer/cohort" aria-current="page">', html)


def test_hr_and_admin_menus_group_tools_and_list_each_page_once(auth, client):
    auth.login_as("hr")
    menu = _menu(client.get("/hr/").get_data(as_text=True))
    assert list(menu) == ["hr", "learn"]
    assert menu["hr"][0] == "/hr/"
    client.post("/logout", data={"csrf_token": csrf_token(client)})
    auth.login_as("admin")
    menu = _menu(client.get("/admin/users").get_data(as_text=True))
    assert list(menu) == ["admin", "hr", "train", "learn"]
    links = [link for group in menu.values() for link in group]
    assert len(links) == len(set(links))  # assignments and the HR desk appear once
    assert "/trainer/observe" in menu["train"] and "/admin/audit/" in menu["admin"]


@pytest.mark.parametrize("role", sorted(LANDING))
def test_every_menu_link_opens_for_its_role(auth, client, role):
    """No menu item leads to a refusal or an error."""
    auth.login_as(role, department="客服窗口")
    menu = _menu(client.get(LANDING[role]).get_data(as_text=True))
    for link in (link for group in menu.values() for link in group):
        assert client.get(link).status_code == 200, link


def test_menu_works_without_javascript_and_names_its_buttons(auth, client):
    """Checkbox toggles with labels; the current group is marked; a slot waits for search."""
    auth.login_as("admin")
    html = client.get("/hr/people").get_data(as_text=True)
    assert '<input type="checkbox" id="site-menu-toggle"' in html
    assert '<label for="site-menu-toggle" class="menu-button"' in html and ">Menu</label>" in html
    assert "nav-group__button nav-group__button--current" in html  # HR holds this page
    assert '<div class="site-header__search">' in html
    assert 'aria-label="Main"' in html


def test_menu_is_in_chinese_by_default(auth, client):
    auth.login_as("trainer")
    client.environ_base.pop("HTTP_ACCEPT_LANGUAGE", None)
    html = client.get("/trainer/cohort").get_data(as_text=True)
    assert "带教" in html and "现场观察" in html
