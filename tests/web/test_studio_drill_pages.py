"""The studio's drill forms (Flask test client): every route × role, saving nodes, choices
and the header as revisions, refusals naming the field, conflicts and play-testing."""

from __future__ import annotations

import re
from typing import Any

import pytest
import yaml
from helpers import count_queries, csrf_token
from sqlalchemy import select

from academy.extensions import db
from academy.studio.models import StudioDocument, StudioRevision

ROLES = ("anonymous", "employee", "hr", "trainer", "admin")
AUTHORS = ("trainer", "admin")


def _doc(app: Any, key: str = "night-calls") -> StudioDocument:
    with app.app_context():
        doc = db.session.scalar(select(StudioDocument).where(StudioDocument.key == key))
        db.session.expunge(doc)
        return doc


def _head(app: Any, key: str = "night-calls") -> dict[str, Any]:
    with app.app_context():
        doc = db.session.scalar(select(StudioDocument).where(StudioDocument.key == key))
        rev = db.session.scalar(
            select(StudioRevision).where(
                StudioRevision.document_id == doc.id, StudioRevision.number == doc.head_number
            )
        )
        return yaml.safe_load(rev.text)


def _revisions(app: Any, doc: StudioDocument) -> int:
    with app.app_context():
        return db.session.query(StudioRevision).filter_by(document_id=doc.id).count()


@pytest.fixture
def drill(app: Any, auth: Any) -> StudioDocument:
    auth.login_as("trainer", username="ana")
    made = auth.post("/studio/new/drill", {"slug": "night-calls", "title": "夜间来电"})
    assert made.status_code == 303
    return _doc(app)


def _node_fields(doc: StudioDocument, **changes: Any) -> dict[str, Any]:
    data = {
        "base_version": str(doc.lock_version),
        "action": "save",
        "id": "start",
        "speaker": "phone",
        "text": "半夜电话响了：“我家停电了！”",
        "ending": "",
        "tags": ["judgement"],
        "choice_count": "2",
        "effect_names": "",
        "choice-0-text": "先问地址和是不是整栋楼都停",
        "choice-0-goto": "good-end",
        "choice-0-feedback": "先问清范围，是一访三问的问需。",
        "choice-0-score-listen": "2",
        "choice-0-axis-work": "1",
        "choice-1-text": "“明天再打吧。”",
        "choice-1-goto": "bad-end",
        "choice-1-feedback": "推给明天就是“拖”。",
        "choice-1-score-listen": "-1",
        "note": "写开头",
    }
    data.update(changes)
    return data


def _routes(doc_id: int) -> list[tuple[str, str]]:
    return [
        ("GET", f"/studio/{doc_id}/drill"),
        ("POST", f"/studio/{doc_id}/drill"),
        ("POST", f"/studio/{doc_id}/drill/add"),
        ("GET", f"/studio/{doc_id}/drill/node/start"),
        ("POST", f"/studio/{doc_id}/drill/node/start"),
        ("GET", f"/studio/{doc_id}/drill/delete/bad-end"),
        ("POST", f"/studio/{doc_id}/drill/delete/bad-end"),
        ("GET", f"/studio/{doc_id}/play?from=start"),
    ]


@pytest.mark.parametrize("role", ROLES)
def test_every_drill_form_route_is_for_authors_only(
    app: Any, auth: Any, client: Any, drill: StudioDocument, role: str
) -> None:
    client.post("/logout", data={"csrf_token": csrf_token(client)})
    if role != "anonymous":
        auth.login_as(role)
    for method, path in _routes(drill.id):
        if method == "GET":
            response = client.get(path)
        else:
            response = auth.post(path, {"base_version": "1"})
        if role in AUTHORS:
            # an empty form is refused, naming what is missing: never a 500, nothing written
            assert response.status_code == (200 if method == "GET" else 422), (path, role)
        elif role == "anonymous":
            assert response.status_code == 302 and "/login" in response.headers["Location"]
        else:
            assert response.status_code == 403, (path, role)
    assert _revisions(app, drill) == 1


def test_overview_lists_nodes_beside_the_map_with_their_checks(
    auth: Any, client: Any, drill: StudioDocument
) -> None:
    page = client.get(f"/studio/{drill.id}/drill")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "<svg" in html and 'id="node-list"' in html
    for node in ("start", "good-end", "bad-end"):
        assert f'/studio/{drill.id}/drill/node/{node}"' in html
    # the new-drill template lacks judgement and constraint tags: warnings, on the drill
    assert "problem--warning" in html and "judgement" in html
    editor = client.get(f"/studio/{drill.id}").get_data(as_text=True)
    assert f'href="/studio/{drill.id}/drill"' in editor


def test_a_node_saved_through_the_form_is_a_revision_keeping_the_rest(
    app: Any, auth: Any, client: Any, drill: StudioDocument
) -> None:
    before = _head(app)
    response = auth.post(f"/studio/{drill.id}/drill/node/start", _node_fields(drill))
    assert response.status_code == 303, response.get_data(as_text=True)
    data = _head(app)
    assert list(data["nodes"]) == list(before["nodes"])
    assert data["setting"] == before["setting"] and data["title"] == before["title"]
    start = data["nodes"]["start"]
    assert start["speaker"] == "phone" and start["tags"] == ["judgement"]
    assert start["choices"][0] == {
        "text": "先问地址和是不是整栋楼都停",
        "goto": "good-end",
        "scores": {"listen": 2},
        "axes": {"work": 1},
        "feedback": "先问清范围，是一访三问的问需。",
    }
    assert _revisions(app, drill) == 2
    page = client.get(f"/studio/{drill.id}/drill/node/start").get_data(as_text=True)
    assert "先问地址" in page and "<svg" in page and "Play-test from here" in page


def test_add_and_remove_choice_redraw_the_form_without_saving(
    app: Any, auth: Any, drill: StudioDocument
) -> None:
    added = auth.post(
        f"/studio/{drill.id}/drill/node/start", _node_fields(drill, action="add-choice")
    )
    assert added.status_code == 200
    html = added.get_data(as_text=True)
    assert 'name="choice-2-text"' in html and 'value="3"' in html
    removed = auth.post(
        f"/studio/{drill.id}/drill/node/start", _node_fields(drill, action="remove-0")
    )
    html = removed.get_data(as_text=True)
    assert removed.status_code == 200 and "choice-1-text" not in html
    assert "明天再打吧" in html and "先问地址" not in html
    assert _revisions(app, drill) == 1


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"choice-0-score-look": "lots"}, "choice-0-score-look"),
        ({"choice-1-goto": "nowhere"}, "choice-1-goto"),
        ({"choice-0-feedback": "  "}, "choice-0-feedback"),
        ({"speaker": "<script>alert(1)</script>"}, "speaker"),
        ({"id": "bad [id]"}, "id"),
        ({"text": "x" * 20_001}, "text"),
        ({"choice-0-axis-work": "1e999"}, "choice-0-axis-work"),
        ({"tags": ["charisma"]}, "tags"),
        ({"ending": "success", "tags": []}, "ending"),
    ],
)
def test_hostile_node_input_is_refused_naming_the_field(
    app: Any, auth: Any, drill: StudioDocument, changes: dict[str, Any], field: str
) -> None:
    response = auth.post(f"/studio/{drill.id}/drill/node/start", _node_fields(drill, **changes))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert f'id="{field}-error"' in html
    assert "<script>alert" not in html
    assert _revisions(app, drill) == 1


def test_malformed_forms_are_bad_requests(app: Any, auth: Any, drill: StudioDocument) -> None:
    path = f"/studio/{drill.id}/drill/node/start"
    assert auth.post(path, _node_fields(drill, choice_count="9999")).status_code == 400
    assert auth.post(path, _node_fields(drill, action="explode")).status_code == 400
    no_version = _node_fields(drill)
    del no_version["base_version"]
    assert auth.post(path, no_version).status_code == 400
    assert auth.post(f"/studio/{drill.id}/drill/node/missing", _node_fields(drill)).status_code
    assert _revisions(app, drill) == 1


def test_stale_base_version_shows_the_conflict(app: Any, auth: Any, drill: StudioDocument) -> None:
    stale = _node_fields(drill)
    assert auth.post(f"/studio/{drill.id}/drill/node/start", stale).status_code == 303
    other = _node_fields(drill, **{"choice-0-text": "另一个人写的做法"})  # old base version
    response = auth.post(f"/studio/{drill.id}/drill/node/start", other)
    assert response.status_code == 409
    assert "另一个人写的做法" in response.get_data(as_text=True)
    header = auth.post(
        f"/studio/{drill.id}/drill",
        {"base_version": str(drill.lock_version), "title": "改名", "start": "start"},
    )
    assert header.status_code == 409
    assert _revisions(app, drill) == 2


def test_header_saves_title_state_and_pass_mark(
    app: Any, auth: Any, client: Any, drill: StudioDocument
) -> None:
    fields = {
        "base_version": str(drill.lock_version),
        "title": "夜间停电来电",
        "summary": "半夜停电，居民打来电话。",
        "setting": "**时间**：凌晨一点",
        "disciplines": ["listen", "speak"],
        "start": "start",
        "pass_score": "75",
        "minutes": "8",
        "state_count": "1",
        "state-0-name": "mood",
        "state-0-initial": "7",
        "state-0-min": "0",
        "state-0-max": "10",
    }
    bad = auth.post(f"/studio/{drill.id}/drill", {**fields, "pass_score": "101"})
    assert bad.status_code == 422 and 'id="pass_score-error"' in bad.get_data(as_text=True)
    bad_state = auth.post(f"/studio/{drill.id}/drill", {**fields, "state-0-initial": "11"})
    assert bad_state.status_code == 422
    assert 'id="state-0-initial-error"' in bad_state.get_data(as_text=True)
    assert _revisions(app, drill) == 1
    assert auth.post(f"/studio/{drill.id}/drill", fields).status_code == 303
    data = _head(app)
    assert data["title"] == "夜间停电来电" and data["state"] == {"mood": 7}
    assert data["pass_score"] == 75 and list(data)[-1] == "nodes"
    assert _doc(app).title == "夜间停电来电"
    node = client.get(f"/studio/{drill.id}/drill/node/start").get_data(as_text=True)
    assert 'name="choice-0-effect-mood"' in node


def test_add_rename_and_delete_nodes_with_refusals_naming_the_choices(
    app: Any, auth: Any, client: Any, drill: StudioDocument
) -> None:
    add = f"/studio/{drill.id}/drill/add"
    made = auth.post(add, {"base_version": str(drill.lock_version), "id": "island"})
    assert made.status_code == 303 and made.headers["Location"].endswith("/drill/node/island")
    doc = _doc(app)
    dup = auth.post(add, {"base_version": str(doc.lock_version), "id": "island"})
    assert dup.status_code == 422 and 'id="id-error"' in dup.get_data(as_text=True)
    overview = client.get(f"/studio/{drill.id}/drill").get_data(as_text=True)
    assert "drillform-node--error" in overview and "cannot be reached" in overview
    confirm = client.get(f"/studio/{drill.id}/drill/delete/bad-end").get_data(as_text=True)
    assert "choice 2 of node &#39;start&#39;" in confirm and "disabled" in confirm
    refused = auth.post(
        f"/studio/{drill.id}/drill/delete/bad-end", {"base_version": str(doc.lock_version)}
    )
    assert refused.status_code == 422 and "choice 2 of node" in refused.get_data(as_text=True)
    rename = auth.post(
        f"/studio/{drill.id}/drill/node/bad-end",
        {
            "base_version": str(doc.lock_version),
            "action": "save",
            "id": "bad-ending",
            "speaker": "narrator",
            "ending": "failure",
            "text": "结局。",
            "choice_count": "0",
        },
    )
    assert rename.status_code == 422
    assert "choice 2 of node &#39;start&#39;" in rename.get_data(as_text=True)
    gone = auth.post(
        f"/studio/{drill.id}/drill/delete/island", {"base_version": str(doc.lock_version)}
    )
    assert gone.status_code == 303
    assert "island" not in _head(app)["nodes"]
    assert _revisions(app, drill) == 3


def test_play_test_from_a_middle_node_records_nothing(
    app: Any, auth: Any, client: Any, drill: StudioDocument
) -> None:
    auth.post(f"/studio/{drill.id}/drill/add", {"base_version": "1", "id": "middle"})
    doc = _doc(app)
    fields = _node_fields(doc, id="middle", tags=[])
    assert auth.post(f"/studio/{drill.id}/drill/node/middle", fields).status_code == 303
    doc = _doc(app)
    first = _node_fields(doc, **{"choice-0-goto": "middle"})
    assert auth.post(f"/studio/{drill.id}/drill/node/start", first).status_code == 303
    overview = client.get(f"/studio/{drill.id}/drill").get_data(as_text=True)
    assert f'href="/studio/{drill.id}/play?from=middle"' in overview
    play = client.get(f"/studio/{drill.id}/play?from=middle")
    html = play.get_data(as_text=True)
    assert play.status_code == 200 and "半夜电话响了" in html and "middle" in html
    step = re.search(r'href="(/studio/\d+/play\?[^"]+steps=0)"', html)
    assert step
    end = client.get(step.group(1).replace("&amp;", "&")).get_data(as_text=True)
    assert "Feedback so far" in end
    from academy.progress.run_models import DrillRun

    with app.app_context():
        assert db.session.query(DrillRun).count() == 0


def test_the_drill_pages_cost_the_same_few_queries_however_many_nodes(
    app: Any, auth: Any, client: Any, drill: StudioDocument
) -> None:
    def cost() -> int:
        with count_queries(app) as queries:
            assert client.get(f"/studio/{drill.id}/drill").status_code == 200
            assert client.get(f"/studio/{drill.id}/drill/node/start").status_code == 200
        return len(queries)

    few = cost()
    for n in range(8):
        doc = _doc(app)
        auth.post(
            f"/studio/{drill.id}/drill/add",
            {"base_version": str(doc.lock_version), "id": f"extra-{n}"},
        )
    assert len(_head(app)["nodes"]) == 11
    assert cost() == few <= 20


def test_a_file_the_forms_cannot_read_sends_back_to_the_source_editor(
    app: Any, auth: Any, client: Any, drill: StudioDocument
) -> None:
    saved = auth.post(
        f"/studio/{drill.id}/source",
        {"base_version": str(drill.lock_version), "text": "title: [\n"},
    )
    assert saved.status_code == 303
    for path in (f"/studio/{drill.id}/drill", f"/studio/{drill.id}/drill/node/start"):
        response = client.get(path)
        assert response.status_code == 303 and response.headers["Location"].endswith(
            f"/studio/{drill.id}"
        )
    editor = client.get(f"/studio/{drill.id}").get_data(as_text=True)
    assert "not valid YAML" in editor
    refused = auth.post(f"/studio/{drill.id}/drill/add", {"base_version": "2", "id": "x"})
    assert refused.status_code == 303
    assert _revisions(app, drill) == 2


def test_a_lesson_has_no_drill_forms(
    app: Any, auth: Any, client: Any, drill: StudioDocument
) -> None:
    made = auth.post("/studio/new/module", {"discipline": "look", "slug": "x-y", "title": "课"})
    lesson = made.headers["Location"].rsplit("/", 1)[-1]
    assert client.get(f"/studio/{lesson}/drill").status_code == 404
    assert client.get("/studio/99999/drill").status_code == 404


def test_preview_draws_the_map_and_checks_of_the_form_as_typed_saving_nothing(
    app: Any, auth: Any, drill: StudioDocument
) -> None:
    path = f"/studio/{drill.id}/drill/node/start"
    typed = _node_fields(drill, action="preview", **{"choice-0-text": "先问清是哪一栋楼"})
    data = auth.post(path, typed).get_json()
    assert data["error"] is None and "<svg" in data["svg"] and "先问清是哪一栋楼" in data["svg"]
    hidden = _node_fields(drill, action="preview", **{"choice-1-if": "mood >= 3"})
    data = auth.post(path, hidden).get_json()
    assert any("unknown state name" in p["message"] for p in data["problems"])
    assert {p["choice"] for p in data["problems"]} == {1}
    bad = auth.post(path, _node_fields(drill, action="preview", **{"choice-0-score-act": "x"}))
    assert bad.get_json()["error"]["field"] == "choice-0-score-act"
    assert _revisions(app, drill) == 1
