"""Every route × every role: allowed, refused (403) or sent to log in."""

from __future__ import annotations

import pytest

ROLES = ("anonymous", "employee", "trainer", "hr", "admin")

# (method, path, roles allowed). Status for allowed roles is "not 302/403".
ROUTES = [
    ("GET", "/healthz", ROLES),
    ("GET", "/courses/", ROLES[1:]),
    ("GET", "/courses/look/first-look", ROLES[1:]),
    ("GET", "/account/password", ROLES[1:]),
    ("GET", "/admin/users", ("admin",)),
    ("GET", "/admin/users/new", ("admin",)),
    ("GET", "/admin/users/1", ("admin",)),
    ("GET", "/admin/departments", ("admin",)),
    ("GET", "/admin/content", ("admin",)),
]


@pytest.mark.parametrize("method,path,allowed", ROUTES)
@pytest.mark.parametrize("role", ROLES)
def test_route_access(auth, client, role, method, path, allowed):
    """Allowed roles get the page; others get 403, or the login page when anonymous."""
    if role != "anonymous":
        auth.login_as(role)
    response = client.open(path, method=method)
    if role in allowed:
        assert response.status_code not in (302, 401, 403), response.status_code
    elif role == "anonymous":
        assert response.status_code == 302 and "/login" in response.headers["Location"]
    else:
        assert response.status_code == 403


def test_every_route_is_role_checked_or_public(app):
    """No view escapes access control: each is role-checked or marked public."""
    unguarded = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        view = app.view_functions[rule.endpoint]
        if not (getattr(view, "required_roles", None) or getattr(view, "is_public", False)):
            unguarded.append(rule.rule)
    assert unguarded == []


def test_every_get_route_is_in_the_matrix_or_parametrised(app):
    """Each blueprint's GET pages appear in some access test (guards against forgetting)."""
    tested = {path for _, path, _ in ROUTES}
    known_elsewhere = {
        "/",
        "/login",
        "/courses/<discipline>/<slug>",
        "/admin/users/<int:user_id>",
        "/admin/departments/<int:department_id>",
    }
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint == "static":
            continue
        if rule.rule in tested or rule.rule in known_elsewhere:
            continue
        if rule.endpoint.split(".")[0] in ACCESS_TESTED_ELSEWHERE:
            continue
        raise AssertionError(f"{rule.rule} is not covered by an access test")


#: Blueprints whose access tests live in their own test modules.
ACCESS_TESTED_ELSEWHERE: set[str] = {
    "assign",
    "search",  # tests/web/test_search_pages.py
    "me",
    "quiz",
    "drills",
    # certificates, verification, HR desk, audit log: tests/web/test_hr_desk.py
    "certificates",
    "verify",
    "hr",
    "audit",
    # growth pages and practice forms: tests/web/test_growth_access.py
    "growth",
    "practice",
    # the authoring studio: tests/web/test_studio_pages.py
    "studio",
    # residents' QR feedback cards and their codes: tests/web/test_feedback_points.py
    "points",
    # pocket cards and pre-shift guides: tests/web/test_handouts.py
    "handouts",
}
