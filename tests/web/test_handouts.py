"""Handout pages: pocket cards for staff, pre-shift guides for trainers, built at sync."""

from __future__ import annotations

import pytest

ROLES = ("employee", "trainer", "hr", "admin")
POCKET = "/handouts/pocket/look"
GUIDE = "/trainer/pre-shift/look/first-look"


@pytest.mark.parametrize("role", ROLES)
def test_pocket_cards_for_every_signed_in_role(auth, client, role):
    """Scripts on the front, the checklist on the back, the A6 print sheet linked."""
    auth.login_as(role)
    page = client.get(POCKET)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "您好，今天想办什么事？" in html and "看用户手里拿着什么" in html
    assert 'id="pocket-front"' in html and 'id="pocket-back"' in html
    assert "pocket.css" in html
    assert client.get("/handouts/").status_code == 200


@pytest.mark.parametrize("role", ROLES)
def test_pre_shift_guides_for_trainers_only(auth, client, role):
    """Trainers and admins read the guide with the quiz key; employees and HR are refused."""
    auth.login_as(role)
    page = client.get(GUIDE)
    if role in ("trainer", "admin"):
        assert page.status_code == 200
        html = page.get_data(as_text=True)
        assert "居民拿着缴费单站在窗口前" in html and "起身问候，问他今天办什么事" in html
        assert 'id="part-discussion"' in html and "10" in html
    else:
        assert page.status_code == 403


@pytest.mark.parametrize("path", [POCKET, GUIDE, "/handouts/"])
def test_handouts_need_a_login(client, path):
    """Signed out: to the login page."""
    response = client.get(path)
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_unknown_discipline_or_module_is_404(auth, client):
    """Nothing to print for what does not exist."""
    auth.login_as("trainer")
    assert client.get("/handouts/pocket/nothing").status_code == 404
    assert client.get("/trainer/pre-shift/look/nothing").status_code == 404


def test_catalogue_and_lesson_link_the_handouts(auth, client):
    """The catalogue links each pocket card; a trainer's lesson page the guide too."""
    auth.login_as("trainer")
    assert f'href="{POCKET}"' in client.get("/courses/").get_data(as_text=True)
    lesson = client.get("/courses/look/first-look").get_data(as_text=True)
    assert f'href="{POCKET}"' in lesson and f'href="{GUIDE}"' in lesson


def test_the_data_is_built_at_sync_and_stored(app):
    """The module row holds the handout; pages never parse the lesson."""
    from sqlalchemy import select

    from academy.catalog.models import Module
    from academy.extensions import db

    with app.app_context():
        row = db.session.scalar(select(Module).where(Module.key == "look/first-look"))
        assert row.handout["scripts"] == ["您好，今天想办什么事？", "您先坐，我帮您看一下。"]
        assert row.handout["checklist"] == ["起身，微笑，先问候", "看用户手里拿着什么"]
