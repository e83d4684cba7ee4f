"""The studio in the browser's shoes (Flask test client): every route × role, and the
whole authoring loop with bad and hostile input."""

from __future__ import annotations

import re
from typing import Any

import pytest
from helpers import count_queries, csrf_token
from sqlalchemy import select

from academy.catalog.models import Module
from academy.extensions import db
from academy.studio.models import StudioDocument, StudioRevision

ROLES = ("anonymous", "employee", "hr", "trainer", "admin")
AUTHORS = ("trainer", "admin")
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _doc(app: Any, key: str = "look/night-round") -> StudioDocument:
    with app.app_context():
        doc = db.session.scalar(select(StudioDocument).where(StudioDocument.key == key))
        db.session.expunge(doc)
        return doc


def _create(auth: Any, slug: str = "night-round", title: str = "夜巡") -> Any:
    return auth.post("/studio/new/module", {"discipline": "look", "slug": slug, "title": title})


def _lesson_fields(app: Any, doc: StudioDocument, **changes: Any) -> dict[str, Any]:
    data = {
        "title": "夜巡",
        "order": "3",
        "minutes": "5",
        "objectives": "能够在夜巡时先看人",
        "axes": ["work"],
        "body": "## 夜巡\n\n先看配电箱，再看人。\n",
        "quiz": "",
        "note": "第一稿",
        "base_version": str(doc.lock_version),
    }
    data.update(changes)
    return data


@pytest.fixture
def studio_doc(app: Any, auth: Any) -> StudioDocument:
    auth.login_as("trainer", username="ana")
    assert _create(auth).status_code == 303
    return _doc(app)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    "path",
    ["/studio/", "/studio/new/module", "/studio/new/drill", "/studio/csrf", "/studio/import"],
)
def test_only_authors_reach_the_studio(auth: Any, client: Any, role: str, path: str) -> None:
    if role != "anonymous":
        auth.login_as(role)
    response = client.get(path)
    if role in AUTHORS:
        assert response.status_code == 200
    elif role == "anonymous":
        assert response.status_code == 302 and "/login" in response.headers["Location"]
    else:
        assert response.status_code == 403


@pytest.mark.parametrize("role", ("employee", "hr"))
def test_document_pages_and_actions_refuse_other_roles(
    app: Any, auth: Any, client: Any, studio_doc: StudioDocument, role: str
) -> None:
    client.post("/logout", data={"csrf_token": csrf_token(client)})
    auth.login_as(role)
    doc = studio_doc.id
    for path in (
        f"/studio/{doc}",
        f"/studio/{doc}/history",
        f"/studio/{doc}/diff",
        f"/studio/{doc}/source",
        f"/studio/{doc}/try",
        f"/studio/{doc}/play",
    ):
        assert client.get(path).status_code == 403, path
    for path in (f"/studio/{doc}/save", f"/studio/{doc}/act/submit", "/studio/preview"):
        assert auth.post(path, {"base_version": "1"}).status_code == 403, path
    assert auth.post("/studio/open/module/smile/one-metre").status_code == 403


def test_studio_is_in_the_trainer_menu_only(auth: Any, client: Any) -> None:
    auth.login_as("trainer")
    assert 'href="/studio/"' in client.get("/courses/").get_data(as_text=True)
    client.post("/logout", data={"csrf_token": csrf_token(client)})
    auth.login_as("employee")
    assert 'href="/studio/"' not in client.get("/courses/").get_data(as_text=True)


def test_a_lesson_written_reviewed_and_published_in_the_browser(
    app: Any, auth: Any, client: Any, studio_doc: StudioDocument
) -> None:
    page = client.get(f"/studio/{studio_doc.id}").get_data(as_text=True)
    assert 'name="base_version"' in page and "studio.js" in page
    quiz = (
        "pass_mark: 50\nquestions:\n"
        "  - kind: true_false\n    prompt: 夜巡先看人。\n    answer: true\n"
        "    feedback_true: 对。\n    feedback_false: 先看人。\n"
    )
    saved = auth.post(f"/studio/{studio_doc.id}/save", _lesson_fields(app, studio_doc, quiz=quiz))
    assert saved.status_code == 303
    assert auth.post(f"/studio/{studio_doc.id}/act/submit").status_code == 303
    own = auth.post(f"/studio/{studio_doc.id}/act/approve")
    assert own.status_code == 303
    assert "own change" in client.get(f"/studio/{studio_doc.id}").get_data(as_text=True)

    client.post("/logout", data={"csrf_token": csrf_token(client)})
    auth.login_as("trainer", username="bo")
    assert auth.post(f"/studio/{studio_doc.id}/act/return", {"comment": ""}).status_code == 303
    assert _doc(app).state == "submitted"  # a return needs a comment
    auth.post(f"/studio/{studio_doc.id}/act/approve")
    assert auth.post(f"/studio/{studio_doc.id}/act/publish").status_code == 303
    lesson = client.get("/courses/look/night-round")
    assert lesson.status_code == 200 and "先看配电箱" in lesson.get_data(as_text=True)
    found = client.get("/search?q=配电箱").get_data(as_text=True)  # indexed at publish
    assert 'href="/courses/look/night-round"' in found and "<mark>配电箱</mark>" in found
    with app.app_context():
        assert db.session.scalar(select(Module).where(Module.key == "look/night-round")).published
    history = client.get(f"/studio/{studio_doc.id}/history").get_data(as_text=True)
    assert "Revision 2" in history
    diff = client.get(f"/studio/{studio_doc.id}/diff?a=1&b=2").get_data(as_text=True)
    assert "先看配电箱" in diff and "diff-line--add" in diff


def test_two_editors_get_a_conflict_not_an_overwrite(
    app: Any, auth: Any, client: Any, studio_doc: StudioDocument
) -> None:
    first = auth.post(f"/studio/{studio_doc.id}/save", _lesson_fields(app, studio_doc))
    assert first.status_code == 303
    stale = _lesson_fields(app, studio_doc, body="另一个人写的。\n")  # same old base version
    response = auth.post(f"/studio/{studio_doc.id}/save", stale)
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "另一个人写的" in page and "先看配电箱" in page
    with app.app_context():
        count = db.session.query(StudioRevision).filter_by(document_id=studio_doc.id).count()
    assert count == 2


def test_bad_fields_are_named_and_nothing_is_saved(
    app: Any, auth: Any, studio_doc: StudioDocument
) -> None:
    bad_quiz = auth.post(
        f"/studio/{studio_doc.id}/save", _lesson_fields(app, studio_doc, quiz="questions: [\n")
    )
    assert bad_quiz.status_code == 422
    assert "the quiz is not valid YAML" in bad_quiz.get_data(as_text=True)
    no_title = auth.post(f"/studio/{studio_doc.id}/save", _lesson_fields(app, studio_doc, title=""))
    assert no_title.status_code == 422
    assert _doc(app).head_number == 1
    missing = auth.post(f"/studio/{studio_doc.id}/save", {"title": "x"})
    assert missing.status_code == 400
    dup = _create(auth)
    assert dup.status_code == 422 and "already taken" in dup.get_data(as_text=True)
    bad_slug = _create(auth, slug="Bad Slug!")
    assert bad_slug.status_code == 422


def test_hostile_markdown_is_sanitised_in_preview_and_publish(
    app: Any, auth: Any, client: Any, studio_doc: StudioDocument
) -> None:
    hostile = (
        "<script>alert(1)</script>\n\n[x](javascript:alert(2))\n\n"
        '<img src="x" onerror="alert(3)">\n\n<a href="#" onclick="alert(4)">a</a>\n'
    )
    preview = auth.post("/studio/preview", {"kind": "module", "text": hostile}).get_json()
    for bad in ("<script", "javascript:", "onerror", "onclick"):
        assert bad not in preview["html"]
    auth.post(f"/studio/{studio_doc.id}/save", _lesson_fields(app, studio_doc, body=hostile))
    page = client.get(f"/studio/{studio_doc.id}").get_data(as_text=True)
    assert "<script>alert(1)" not in page


def test_publishing_with_errors_is_refused_and_changes_nothing(
    app: Any, auth: Any, client: Any, studio_doc: StudioDocument
) -> None:
    source = client.get(f"/studio/{studio_doc.id}/source").get_data(as_text=True)
    assert "discipline: look" in source
    broken = "---\ntitle: 夜巡\ndiscipline: look\norder: 3\n---\n"  # empty body
    auth.post(f"/studio/{studio_doc.id}/source", {"text": broken, "base_version": "1"})
    auth.post(f"/studio/{studio_doc.id}/act/submit")
    client.post("/logout", data={"csrf_token": csrf_token(client)})
    auth.login_as("admin")
    auth.post(f"/studio/{studio_doc.id}/act/approve")
    refused = auth.post(f"/studio/{studio_doc.id}/act/publish")
    assert refused.status_code == 422
    assert "the lesson body is empty" in refused.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(Module).where(Module.key == "look/night-round")) is None
    assert _doc(app).state == "approved"


def test_gift_adds_questions_or_names_the_bad_line(
    app: Any, auth: Any, client: Any, studio_doc: StudioDocument
) -> None:
    bad = auth.post(f"/studio/{studio_doc.id}/gift", {"gift": "::Q:: 问题 {=对 ~错\n"})
    assert bad.status_code == 422 and "line 1" in bad.get_data(as_text=True)
    good = "::Q1:: 夜巡先做什么？ {=先看人 ~先看表}\n\n::Q2:: 夜巡要带手电。 {T}\n"
    assert auth.post(f"/studio/{studio_doc.id}/gift", {"gift": good}).status_code == 303
    page = client.get(f"/studio/{studio_doc.id}").get_data(as_text=True)
    assert "夜巡先做什么" in page
    trial = client.get(f"/studio/{studio_doc.id}/try")
    assert trial.status_code == 200
    body = trial.get_data(as_text=True)
    assert "先看人" in body and "correct" not in body  # no key before submission
    graded = auth.post(f"/studio/{studio_doc.id}/try", {})
    assert "Score" in graded.get_data(as_text=True)


def test_images_upload_by_content_and_are_served_safely(
    app: Any, auth: Any, client: Any, studio_doc: StudioDocument
) -> None:
    from io import BytesIO

    def upload(data: bytes, name: str) -> Any:
        stream = BytesIO(data)
        response = client.post(
            "/studio/media",
            data={"image": (stream, name)},
            headers={"X-CSRFToken": csrf_token(client)},
            content_type="multipart/form-data",
        )
        response.close()
        stream.close()
        return response

    ok = upload(PNG, "图.png")
    assert ok.status_code == 200
    url = ok.get_json()["url"]
    assert ok.get_json()["markdown"] == f"![图]({url})"
    served = client.get(url)
    assert served.status_code == 200 and served.mimetype == "image/png"
    assert "sandbox" in served.headers["Content-Security-Policy"]
    served.close()
    html = upload(b"<html><script>x</script></html>", "photo.png")
    assert html.status_code == 422 and "photo.png" in html.get_json()["error"]
    huge = client.post(  # refused by its declared length, before it is read
        "/studio/media",
        data=b"-" * (20 * 1024 * 1024),
        headers={"X-CSRFToken": csrf_token(client)},
        content_type="multipart/form-data; boundary=x",
    )
    huge_json = huge.get_json()
    assert huge.status_code == 413, huge.get_data(as_text=True)[:300]
    assert "2 MB" in huge_json["error"]
    assert client.get("/studio/media/../../etc/passwd").status_code == 404
    forged = client.post("/studio/media", data={"image": (BytesIO(PNG), "a.png")})
    assert forged.status_code == 400  # no CSRF header


def test_a_published_drill_is_play_tested_without_recording(
    app: Any, auth: Any, client: Any
) -> None:
    auth.login_as("trainer")
    opened = auth.post("/studio/open/drill/front-desk")
    assert opened.status_code == 303
    doc = _doc(app, "front-desk")
    page = client.get(f"/studio/{doc.id}").get_data(as_text=True)
    assert "<svg" in page
    play = client.get(f"/studio/{doc.id}/play")
    assert play.status_code == 200
    first = re.search(r'href="(/studio/\d+/play\?[^"]+steps=\d+)"', play.get_data(as_text=True))
    assert first, "a choice link"
    step = client.get(first.group(1).replace("&amp;", "&"))
    assert step.status_code == 200 and "Feedback so far" in step.get_data(as_text=True)
    preview = auth.post(
        "/studio/preview", {"kind": "drill", "doc": str(doc.id), "text": "title: [\n"}
    ).get_json()
    assert preview["svg"] is None and preview["problems"]
    from academy.progress.run_models import DrillRun

    with app.app_context():
        assert db.session.query(DrillRun).count() == 0


def test_the_studio_list_costs_few_queries(app: Any, auth: Any, client: Any) -> None:
    auth.login_as("trainer")
    for n in range(6):
        _create(auth, slug=f"lesson-{n}", title=f"课{n}")
    with count_queries(app) as queries:
        assert client.get("/studio/?q=课").status_code == 200
    assert len(queries) <= 10, queries


TWEE = (
    ":: StoryTitle\n停电的楼道\n\n:: StoryData\n"
    '{"ifid": "11111111-2222-4333-8444-555555555555", "format": "Harlowe", "start": "Start"}\n\n'
    ":: Start\n楼道里一片漆黑。\n[[去看配电箱->Box]]\n[[先安慰居民|Calm]]\n\n"
    ":: Box\n保险丝烧了。\n\n:: Calm\n居民平静下来。\n"
)
GIFT = "Who answers the hotline at night? {=the dispatcher ~nobody}\n\nA {=b ~c} d.\n"


@pytest.mark.parametrize("role", ("employee", "hr"))
def test_import_refuses_other_roles(auth: Any, client: Any, role: str) -> None:
    auth.login_as(role)
    response = auth.post("/studio/import", {"what": "twee", "twee-slug": "x", "twee-text": TWEE})
    assert response.status_code == 403


def test_import_a_twine_story_and_a_gift_file(app: Any, auth: Any, client: Any) -> None:
    from io import BytesIO

    auth.login_as("trainer", username="ana")
    assert 'id="import"' in client.get("/studio/").get_data(as_text=True)
    no_token = client.post("/studio/import", data={"what": "twee", "twee-slug": "dark"})
    assert no_token.status_code in (400, 422)
    done = auth.post("/studio/import", {"what": "twee", "twee-slug": "dark", "twee-text": TWEE})
    page = done.get_data(as_text=True)
    assert done.status_code == 200, page
    assert "choice &#39;去看配电箱&#39; has no feedback" in page
    doc = _doc(app, "dark")
    assert doc.kind == "drill" and doc.state == "draft"
    again = auth.post("/studio/import", {"what": "twee", "twee-slug": "dark", "twee-text": TWEE})
    assert again.status_code == 422
    upload = auth.post(
        "/studio/import",
        {
            "what": "gift",
            "gift-discipline": "listen",
            "gift-title": "热线",
            "gift-slug": "hotline-gift",
            "gift-upload": (BytesIO(GIFT.encode()), "hotline.gift"),
        },
        content_type="multipart/form-data",
    )
    page = upload.get_data(as_text=True)
    assert upload.status_code == 200, page
    assert "missing-word question" in page
    doc = _doc(app, "listen/hotline-gift")
    assert doc.kind == "module"
    empty = auth.post(
        "/studio/import",
        {"what": "gift", "gift-discipline": "listen", "gift-title": "空", "gift-slug": "empty"},
    )
    assert empty.status_code == 422
