"""Studio: Markdown beyond the renderer's limits is a message with its line, never a hang."""

from __future__ import annotations

import time
from typing import Any

from helpers import csrf_token
from sqlalchemy import select

from academy.catalog.models import Module
from academy.extensions import db
from academy.studio.models import StudioDocument

LINKS = "正文。\n\n" + "[a](b) " * 5000


def test_preview_names_the_line_beyond_a_limit(auth: Any) -> None:
    auth.login_as("trainer", username="ana")
    started = time.perf_counter()
    response = auth.post("/studio/preview", {"kind": "module", "text": LINKS})
    assert response.status_code == 200
    html = response.get_json()["html"]
    assert "Line 3" in html and "links or brackets in one paragraph" in html
    assert time.perf_counter() - started < 2


def test_a_lesson_beyond_a_limit_cannot_be_published(app: Any, auth: Any, client: Any) -> None:
    auth.login_as("trainer", username="ana")
    auth.post("/studio/new/module", {"discipline": "look", "slug": "night-round", "title": "夜巡"})
    with app.app_context():
        doc = db.session.scalar(
            select(StudioDocument).where(StudioDocument.key == "look/night-round")
        )
        doc_id, version = doc.id, doc.lock_version
    text = "---\ntitle: 夜巡\ndiscipline: look\norder: 3\n---\n" + LINKS
    started = time.perf_counter()
    auth.post(f"/studio/{doc_id}/source", {"text": text, "base_version": str(version)})
    page = client.get(f"/studio/{doc_id}")
    assert page.status_code == 200
    assert "links or brackets in one paragraph" in page.get_data(as_text=True)
    auth.post(f"/studio/{doc_id}/act/submit")
    client.post("/logout", data={"csrf_token": csrf_token(client)})
    auth.login_as("admin")
    auth.post(f"/studio/{doc_id}/act/approve")
    refused = auth.post(f"/studio/{doc_id}/act/publish")
    assert refused.status_code == 422
    assert "links or brackets in one paragraph" in refused.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(Module).where(Module.key == "look/night-round")) is None
    assert time.perf_counter() - started < 5
