"""Reading lessons: catalogue, lesson page, completion as evidence."""

from __future__ import annotations

import re

from helpers import csrf_token
from sqlalchemy import func, select


def statuses(html: str) -> dict[str, str]:
    return dict(re.findall(r'data-module="([^"]+)" data-status="([^"]+)"', html))


def test_catalogue_lists_five_disciplines_with_modules(auth, client):
    """/courses/ shows each discipline, its modules in order, minutes and status."""
    auth.login_as("employee")
    html = client.get("/courses/").get_data(as_text=True)
    for name in ("Look", "Listen", "Smile", "Speak", "Act"):
        assert name in html
    assert html.index("第一眼:读懂来意") < html.index("入户观察")
    assert "5 min" in html
    assert statuses(html)["look/first-look"] == "not_started"


def test_opening_a_lesson_marks_it_read(auth, client):
    """Opening a lesson records it as read; the catalogue shows it."""
    auth.login_as("employee")
    html = client.get("/courses/look/first-look").get_data(as_text=True)
    assert 'data-status="read"' in html
    assert statuses(client.get("/courses/").get_data(as_text=True))["look/first-look"] == "read"


def test_lesson_page_shows_body_objectives_navigation_and_breadcrumbs(auth, client):
    """The lesson renders its stored HTML, objectives, prev/next and breadcrumbs."""
    auth.login_as("employee")
    html = client.get("/courses/look/first-look").get_data(as_text=True)
    assert "<table>" in html and "admonition tip" in html
    assert "能够区分现实需求与潜在需求" in html
    assert 'class="breadcrumbs"' in html
    assert 'rel="next" href="/courses/look/second-look"' in html
    html2 = client.get("/courses/look/second-look").get_data(as_text=True)
    assert 'rel="prev" href="/courses/look/first-look"' in html2
    assert 'rel="next" href="/courses/listen/listen-log"' in html2


def test_completing_is_idempotent_evidence(app, auth, client):
    """Completing a lesson without a quiz twice records one statement and shows completed."""
    from academy.extensions import db
    from academy.progress.models import Statement

    user = auth.login_as("employee")
    for _ in range(2):
        response = client.post(
            "/courses/listen/listen-log/complete", data={"csrf_token": csrf_token(client)}
        )
        assert response.status_code == 302
    with app.app_context():
        count = db.session.scalar(
            select(func.count(Statement.id)).where(
                Statement.actor_id == user.id, Statement.verb == "completed"
            )
        )
    assert count == 1
    html = client.get("/courses/").get_data(as_text=True)
    assert statuses(html)["listen/listen-log"] == "completed"


def test_complete_without_csrf_is_refused(auth, client):
    """Completion needs the CSRF token."""
    auth.login_as("employee")
    assert client.post("/courses/look/first-look/complete").status_code == 400


def test_unknown_lesson_is_404(auth, client):
    """A lesson that does not exist (or a bad discipline) is a 404."""
    auth.login_as("employee")
    assert client.get("/courses/look/nope").status_code == 404
    assert client.get("/courses/../etc/passwd").status_code == 404
    assert (
        client.post(
            "/courses/look/nope/complete", data={"csrf_token": csrf_token(client)}
        ).status_code
        == 404
    )


def test_catalogue_query_count_is_constant(app, auth, client, queries):
    """/courses/ runs the same small number of queries however many lessons were read."""
    auth.login_as("employee")
    client.get("/courses/")
    with queries() as few:
        client.get("/courses/")
    for path in (
        "/courses/look/first-look",
        "/courses/look/second-look",
        "/courses/listen/listen-log",
    ):
        client.get(path)
        client.post(path + "/complete", data={"csrf_token": csrf_token(client)})
    with queries() as many:
        client.get("/courses/")
    assert len(few) == len(many)
    assert len(many) <= 4, many


def test_lesson_query_count_is_small(app, auth, client, queries):
    """A lesson page (already read) needs at most 4 queries, and one more for its quiz block."""
    auth.login_as("employee")
    client.get("/courses/look/second-look")
    with queries() as seen:
        client.get("/courses/look/second-look")
    assert len(seen) <= 4, seen
    client.get("/courses/look/first-look")
    with queries() as seen:
        client.get("/courses/look/first-look")
    assert len(seen) <= 5, seen


def test_lesson_page_does_not_render_markdown(app, auth, client, monkeypatch):
    """Serving a lesson never calls the Markdown renderer (it is rendered at sync)."""
    import academy.courses.render as render

    auth.login_as("employee")

    def boom(*args, **kwargs):
        raise AssertionError("markdown rendered per request")

    monkeypatch.setattr(render, "render_markdown", boom)
    monkeypatch.setattr(render.markdown, "Markdown", boom)
    assert client.get("/courses/look/first-look").status_code == 200
