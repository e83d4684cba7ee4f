"""Every growth and practice route × every role: allowed, refused, or sent to log in."""

from __future__ import annotations

import pytest

ROLES = ("anonymous", "employee", "trainer", "hr", "admin")
EVERYONE = ROLES[1:]

# (method, path, roles allowed). "Allowed" means neither a login redirect nor a 403.
ROUTES = [
    ("GET", "/me/growth", EVERYONE),
    ("GET", "/growth/explained", EVERYONE),
    ("GET", "/me/journal/new", EVERYONE),
    ("POST", "/me/journal/new", EVERYONE),
    ("GET", "/feedback-cards/new", EVERYONE),
    ("POST", "/feedback-cards/new", EVERYONE),
    ("GET", "/me/refreshers/look/first-look", EVERYONE),
    ("POST", "/me/refreshers/look/first-look", EVERYONE),
    ("GET", "/me/refreshers/attempts/aaaaaaaaaaaaaaaaaaaaaaaa", EVERYONE),
    ("GET", "/trainer/cohort", ("trainer", "admin")),
    ("GET", "/trainer/observe", ("trainer", "admin")),
    ("POST", "/trainer/observe", ("trainer", "admin")),
    ("GET", "/trainer/people/1", ("trainer", "admin")),
    ("GET", "/hr/growth", ("hr", "admin")),
    ("GET", "/hr/growth.csv", ("hr", "admin")),
    ("POST", "/hr/growth/refresh", ("hr", "admin")),
]


@pytest.mark.parametrize("method,path,allowed", ROUTES)
@pytest.mark.parametrize("role", ROLES)
def test_growth_route_access(auth, client, role, method, path, allowed):
    """Allowed roles reach the view (any answer but 302/403); others get 403 or the login page."""
    if role != "anonymous":
        auth.login_as(role)
    if method == "POST":
        response = auth.post(path, {}) if role != "anonymous" else client.post(path)
    else:
        response = client.get(path)
    if role in allowed:
        assert response.status_code not in (302, 401, 403), response.status_code
    elif role == "anonymous":
        # Anonymous POSTs fail the CSRF check first (400) or are sent to log in.
        assert response.status_code in (302, 400)
        if response.status_code == 302:
            assert "/login" in response.headers["Location"]
    else:
        assert response.status_code == 403


def test_every_growth_route_is_in_this_matrix(app):
    """A new route in the growth or practice blueprints must be added above."""
    listed = {(method, path) for method, path, _ in ROUTES}
    for rule in app.url_map.iter_rules():
        if rule.endpoint.split(".")[0] not in ("growth", "practice"):
            continue
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            concrete = (
                rule.rule.replace("<discipline>", "look")
                .replace("<slug>", "first-look")
                .replace("<token>", "a" * 24)
                .replace("<int:user_id>", "1")
            )
            assert (method, concrete) in listed, (method, rule.rule)
