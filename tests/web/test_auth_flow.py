"""Signing in and out: CSRF, safe redirects, rate limits, sessions."""

from __future__ import annotations

from helpers import PASSWORD, csrf_token


def test_login_page_has_fields_and_csrf(client):
    """The login form has username, password and csrf_token fields with labels."""
    html = client.get("/login").get_data(as_text=True)
    for name in (
        'name="username"',
        'name="password"',
        'name="csrf_token"',
        '<label for="username"',
    ):
        assert name in html


def test_login_succeeds_and_lands_on_home(auth, client):
    """Good credentials redirect to the role's start page."""
    user = auth.make_user("employee")
    response = auth.login(user.username)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/me/")


def test_login_is_case_insensitive_on_username(auth):
    """Usernames are case-insensitive."""
    auth.make_user("employee", username="zhangwei")
    assert auth.login("ZhangWei").status_code == 302


def test_wrong_password_is_refused_with_message(auth):
    """A wrong password gives 401 and a clear message next to the field."""
    user = auth.make_user("employee")
    response = auth.login(user.username, "nope-nope")
    assert response.status_code == 401
    assert "Wrong username or password." in response.get_data(as_text=True)


def test_unknown_user_gets_the_same_message(auth):
    """An unknown username is indistinguishable from a wrong password."""
    response = auth.login("ghost", PASSWORD)
    assert response.status_code == 401
    assert "Wrong username or password." in response.get_data(as_text=True)


def test_disabled_user_cannot_log_in(auth):
    """Deactivated accounts cannot sign in."""
    user = auth.make_user("employee", active=False)
    assert auth.login(user.username).status_code == 401


def test_login_without_csrf_is_rejected(client, make_user):
    """A login POST without the CSRF token is refused with 400."""
    user = make_user("employee")
    response = client.post("/login", data={"username": user.username, "password": PASSWORD})
    assert response.status_code == 400


def test_safe_next_redirect_is_followed(auth, client):
    """A same-site next path is followed after login."""
    user = auth.make_user("employee")
    token = csrf_token(client)
    response = client.post(
        "/login?next=/courses/look/first-look",
        data={"username": user.username, "password": PASSWORD, "csrf_token": token},
    )
    assert response.headers["Location"].endswith("/courses/look/first-look")


def test_offsite_next_redirect_is_ignored(auth, client):
    """Off-site, protocol-relative and backslash next values are ignored."""
    for target in ("https://evil.example/", "//evil.example", "/\\evil.example", "javascript:x"):
        user = auth.make_user("employee")
        token = csrf_token(client)
        response = client.post(
            "/login",
            data={
                "username": user.username,
                "password": PASSWORD,
                "csrf_token": token,
                "next": target,
            },
        )
        assert response.status_code == 302
        assert "evil" not in response.headers["Location"]
        client.post("/logout", data={"csrf_token": csrf_token(client)})


def test_login_required_redirects_with_next(client):
    """Anonymous visitors to a protected page go to login with next set."""
    response = client.get("/courses/")
    assert response.status_code == 302
    assert "/login?next=%2Fcourses%2F" in response.headers["Location"]


def test_logout_requires_post_with_csrf(auth, client):
    """GET /logout is not allowed; POST with CSRF signs out."""
    auth.login_as("employee")
    assert client.get("/logout").status_code == 405
    response = client.post("/logout", data={"csrf_token": csrf_token(client)})
    assert response.status_code == 302
    assert client.get("/courses/").status_code == 302


def test_login_rate_limit_per_username(auth):
    """After 10 failed attempts on one username, the 11th gets 429 with a message."""
    user = auth.make_user("employee")
    statuses = [auth.login(user.username, "wrong-pass").status_code for _ in range(11)]
    assert statuses[:10] == [401] * 10
    assert statuses[10] == 429
    response = auth.login(user.username, PASSWORD)
    assert response.status_code == 429
    assert "Too many attempts" in response.get_data(as_text=True)


def test_successful_logins_do_not_count_against_the_limit(auth, client):
    """Only failures are counted."""
    user = auth.make_user("employee")
    for _ in range(12):
        assert auth.login(user.username).status_code == 302
        client.post("/logout", data={"csrf_token": csrf_token(client)})


def test_change_password_ends_other_sessions(app, auth, client):
    """Changing one's password keeps this session and ends the others."""
    user = auth.login_as("employee")
    other = app.test_client()
    other.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    token = csrf_token(other)
    other.post(
        "/login", data={"username": user.username, "password": PASSWORD, "csrf_token": token}
    )
    assert other.get("/courses/").status_code == 200
    response = auth.post(
        "/account/password",
        {"current": PASSWORD, "password": "new-password-1", "confirm": "new-password-1"},
    )
    assert response.status_code == 302
    assert client.get("/courses/").status_code == 200
    assert other.get("/courses/").status_code == 302


def test_change_password_validates(auth):
    """Wrong current password and mismatched confirmation are explained, 422."""
    auth.login_as("employee")
    response = auth.post(
        "/account/password", {"current": "bad", "password": "new-password-1", "confirm": "x"}
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "The passwords differ." in html


def test_security_headers_are_set(client):
    """Every response carries CSP, nosniff, frame denial and a referrer policy."""
    response = client.get("/login")
    headers = response.headers
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "same-origin"


def test_no_inline_script_in_pages(auth, client):
    """Pages load scripts from static files only (the CSP forbids inline script)."""
    auth.login_as("employee")
    for path in ("/login", "/courses/", "/courses/look/first-look"):
        html = client.get(path).get_data(as_text=True)
        assert "<script>" not in html and "onclick=" not in html


def test_session_cookie_is_httponly(auth, client):
    """The session cookie is HttpOnly and SameSite=Lax."""
    user = auth.make_user("employee")
    response = auth.login(user.username)
    cookies = response.headers.getlist("Set-Cookie")
    session = next(c for c in cookies if c.startswith("session="))
    assert "HttpOnly" in session and "SameSite=Lax" in session


def test_login_limit_is_shared_by_processes_on_one_instance(app, auth, tmp_path):
    """Two app processes on one instance folder (two gunicorn workers) count together."""
    from helpers import make_test_app

    from academy.extensions import db

    user = auth.make_user("employee")
    second = make_test_app(tmp_path)
    other = second.test_client()
    try:
        assert other.get("/login").status_code == 200
        for _ in range(5):
            assert auth.login(user.username, "wrong-pass").status_code == 401
        token = csrf_token(other, "/login")
        statuses = [
            other.post(
                "/login",
                data={"username": user.username, "password": "wrong", "csrf_token": token},
            ).status_code
            for _ in range(6)
        ]
        assert statuses == [401] * 5 + [429]
    finally:
        with second.app_context():
            db.session.remove()
            db.engine.dispose()
