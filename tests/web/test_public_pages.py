"""Public endpoints: health, language, errors."""

from __future__ import annotations

from helpers import csrf_token


def test_healthz_is_public_json(client):
    """/healthz answers 200 {"status": "ok"} without login."""
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}


def test_home_redirects_anonymous_to_login(client):
    """The start page sends visitors to the login form."""
    response = client.get("/")
    assert response.status_code == 302 and response.headers["Location"].endswith("/login")


def test_404_page_uses_the_site_layout(client):
    """Unknown pages get a friendly 404 in the same look."""
    response = client.get("/no/such/page")
    assert response.status_code == 404
    html = response.get_data(as_text=True)
    assert "Page not found" in html and "site-header" in html


def test_default_language_is_chinese(app):
    """Without a preference the interface is in Simplified Chinese."""
    client = app.test_client()
    html = client.get("/login").get_data(as_text=True)
    assert 'lang="zh-Hans"' in html
    assert "登录" in html


def test_language_switch_sets_cookie_and_redirects_safely(client):
    """Switching language stores a cookie and only follows local next paths."""
    token = csrf_token(client)
    response = client.post(
        "/language", data={"lang": "zh_Hans", "next": "https://evil.example", "csrf_token": token}
    )
    assert response.status_code == 302
    assert "evil" not in response.headers["Location"]
    assert "lang=zh_Hans" in response.headers["Set-Cookie"]
    html = client.get("/login").get_data(as_text=True)
    assert "登录" in html
