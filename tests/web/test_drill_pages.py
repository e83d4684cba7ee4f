"""Drill pages: list, start, play, stale posts, resume, ownership, debrief, map, access."""

from __future__ import annotations

import re

import pytest
from drill_fixtures import (
    FAILURE,
    LOOP,
    PARTIAL,
    SLUG,
    SUCCESS,
    counts,
    form_of,
    play,
    post_choice,
    run_row,
    start,
    switch_to,
)
from sqlalchemy import select

ROLES = ("employee", "trainer", "hr", "admin")


def debrief_attrs(html):
    """(data-score, data-passed, data-ending-type) of the debrief element."""
    match = re.search(
        r'id="drill-debrief"[^>]*data-score="([^"]*)" data-passed="([^"]*)"'
        r'[^>]*data-ending-type="([^"]*)"',
        html,
        re.S,
    )
    assert match, html[:500]
    return match.group(1), match.group(2), match.group(3)


def assert_no_inline_code(html):
    """No inline script or style attribute (the CSP would block them)."""
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)
    assert not re.search(r"\sstyle=", html)
    assert "<style" not in html


def debrief_of(client, run_id):
    page = client.get(f"/scenarios/runs/{run_id}/debrief")
    assert page.status_code == 200, page.status_code
    return page.get_data(as_text=True)


# --- list and start -----------------------------------------------------------------------


def test_list_shows_each_drill_with_length_and_disciplines(auth, client):
    """/scenarios/ lists the published drills with minutes, scenes and disciplines."""
    auth.login_as("employee")
    html = client.get("/scenarios/").get_data(as_text=True)
    assert 'data-scenario="front-desk"' in html and 'data-scenario="hotline"' in html
    assert "A resident at the window" in html and "A call on the hotline" in html
    assert "about 3 min" in html and "6 scenes" in html and "3 endings" in html
    assert "drill-discipline--look" in html
    assert "Not played yet" in html
    assert "<strong>web</strong>" in html  # the summary's Markdown, rendered at sync


def test_list_shows_the_best_result_and_resume(auth, client):
    """After a partial and a successful run the list shows 100 and passed; then resume."""
    auth.login_as("employee")
    play(auth, client, PARTIAL)
    play(auth, client, SUCCESS)
    html = client.get("/scenarios/").get_data(as_text=True)
    assert 'data-scenario="front-desk" data-best="100" data-passed="true"' in html
    assert "2 runs finished" in html
    unfinished = start(auth, client)
    html = client.get("/scenarios/").get_data(as_text=True)
    assert f'data-resume="{unfinished}"' in html


def test_drill_page_shows_the_sanitised_setting_and_a_start_button(auth, client):
    """The setting is rendered Markdown without the authored script; a start form is there."""
    auth.login_as("employee")
    html = client.get(f"/scenarios/{SLUG}").get_data(as_text=True)
    assert "<strong>service window</strong>" in html
    assert "<script>alert" not in html and "alert(&#34;setting" not in html.lower()
    assert 'action="/scenarios/front-desk/runs"' in html and 'name="start_key"' in html


def test_unknown_drill_is_404(auth, client):
    """A slug that is not published gives 404 on every drill page."""
    auth.login_as("trainer")
    for path in ("/scenarios/nope", "/scenarios/nope/map"):
        assert client.get(path).status_code == 404
    assert auth.post("/scenarios/nope/runs").status_code == 404


def test_starting_again_makes_a_new_run_and_keeps_the_old(auth, client, app):
    """Each start is a new run; all are kept."""
    auth.login_as("employee")
    first = start(auth, client)
    second = start(auth, client)
    assert second != first
    assert run_row(app, first).step == 0 and run_row(app, second).step == 0


def test_the_same_start_form_posted_twice_opens_one_run(auth, client):
    """A double click on start (same start key) lands on the same run."""
    auth.login_as("employee")
    key = "k" * 22
    assert start(auth, client, start_key=key) == start(auth, client, start_key=key)


def test_start_without_csrf_token_is_refused(auth, client, app):
    """The start form needs its CSRF token."""
    auth.login_as("employee")
    response = client.post(f"/scenarios/{SLUG}/runs", data={"start_key": "x" * 22})
    assert response.status_code == 400
    assert counts(app) == (0, 0)


# --- playing ---------------------------------------------------------------------------


def test_run_page_shows_speaker_text_mood_and_choices(auth, client):
    """Who speaks, what they say (sanitised), a mood meter with the number, choice buttons."""
    auth.login_as("employee")
    run_id = start(auth, client)
    form = form_of(client, run_id)
    html = form["html"]
    assert form["node"] == "arrive" and form["step"] == 0 and sorted(form["choices"]) == [0, 1, 2]
    assert "Resident" in html and "<em>Tuesday</em>" in html
    assert "onerror" not in html
    assert '<meter id="mood-meter" min="0" max="10"' in html and 'value="8"' in html
    assert "<strong>8</strong> / 10" in html and 'for="mood-meter"' in html
    assert 'name="csrf_token"' in html and "What do you do?" in html
    assert_no_inline_code(html)


def test_condition_offers_a_choice_only_when_mood_allows(auth, client):
    """At `listening` the dispatcher call (if mood <= 5) is offered once the mood is 5."""
    auth.login_as("employee")
    run_id = start(auth, client)
    post_choice(auth, run_id, "arrive", 0, 0)
    form = form_of(client, run_id)
    assert form["node"] == "listening" and sorted(form["choices"]) == [0, 1]
    assert 'value="5"' in form["html"]


@pytest.mark.parametrize(
    "path,score,passed,ending",
    [
        (SUCCESS, "100", "true", "success"),
        (PARTIAL, "28.5", "false", "partial"),
        (FAILURE, "0", "false", "failure"),
    ],
)
def test_full_runs_reach_each_ending_type(auth, client, app, path, score, passed, ending):
    """Playing to each ending lands on the debrief with the right score and verdict."""
    auth.login_as("employee")
    run_id = play(auth, client, path)
    row = run_row(app, run_id)
    assert row.finished_at is not None and row.ending_type == ending
    assert client.get(f"/scenarios/runs/{run_id}").status_code == 303  # finished: to the debrief
    html = debrief_of(client, run_id)
    assert debrief_attrs(html) == (score, passed, ending)
    assert counts(app, run_id) == (len(path), 1)


def test_last_choice_redirects_to_the_debrief(auth, client):
    """The choice that ends the run goes straight to its debrief."""
    auth.login_as("employee")
    run_id = start(auth, client)
    response = post_choice(auth, run_id, "arrive", 2, 0)
    assert response.headers["Location"].endswith(f"/scenarios/runs/{run_id}/debrief")


def test_debrief_replays_the_path_with_feedback_charts_and_evidence(auth, client):
    """Each step with feedback and the better choice; mood and radar SVGs; axes; ending."""
    auth.login_as("employee")
    run_id = play(auth, client, PARTIAL)
    html = debrief_of(client, run_id)
    steps = re.findall(r'class="drill-step" data-step="(\d+)" data-node="([^"]+)"', html)
    assert steps == [("1", "arrive"), ("2", "listening")]
    assert "The seven &#34;ones&#34; start with a <strong>smile</strong>" in html or (
        'The seven "ones" start with a <strong>smile</strong>' in html
    )
    assert "A vague promise is no promise." in html
    assert "A better choice" in html and "Ring the dispatcher" in html
    assert "The resident leaves calmer, but without a time." in html
    assert "Calmer, but nothing arranged." in html
    assert html.count('class="chart chart--line"') == 1 and html.count("chart--radar") == 1
    assert "Mood before the first step and after each" in html and "8, 5, 6" in html
    assert '<tr data-discipline="smile"><th scope="row">Smile' in html
    assert 'data-axis="attitude" data-value="1"' in html
    assert 'data-axis="work" data-value="0"' in html
    assert "Pass mark: 70" in html
    assert_no_inline_code(html)


def test_better_choice_named_by_the_engine_when_the_author_gave_none(auth, client):
    """Taking the taboo phrase shows the standing-up choice as the better one."""
    auth.login_as("employee")
    run_id = play(auth, client, FAILURE)
    html = debrief_of(client, run_id)
    assert "A better choice" in html and "Stand, smile, offer a seat" in html


def test_debrief_of_an_unfinished_run_redirects_to_the_run(auth, client):
    """/debrief before an ending goes back to the run page."""
    auth.login_as("employee")
    run_id = start(auth, client)
    response = client.get(f"/scenarios/runs/{run_id}/debrief")
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/scenarios/runs/{run_id}")


def test_a_finished_run_writes_one_ledger_record(auth, client, app):
    """verb completed, object scenario, score, success, ending, disciplines, maxima, axes."""
    from academy.extensions import db
    from academy.progress.models import Statement

    user = auth.login_as("employee")
    run_id = play(auth, client, SUCCESS)
    post_choice(auth, run_id, "listening", 0, 1)  # a late double click
    with app.app_context():
        rows = db.session.scalars(select(Statement).where(Statement.actor_id == user.id)).all()
        assert len(rows) == 1
        statement = rows[0]
        assert (statement.verb, statement.object_type, statement.object_id) == (
            "completed",
            "scenario",
            SLUG,
        )
        assert statement.score == 100 and statement.success is True
        assert statement.dedupe_key == f"drill-run:{run_id}"
        result = statement.result
        assert result["ending"] == "resolved" and result["ending_type"] == "success"
        assert result["points"] == {"look": 1, "listen": 1, "smile": 2, "speak": 1, "act": 2}
        assert result["discipline_max"] == {
            "look": 1,
            "listen": 1,
            "smile": 2,
            "speak": 1,
            "act": 2,
        }
        assert result["axes"] == {"behaviour": 1, "language": 0, "attitude": 1, "work": 1}
        assert statement.context == {"run_id": run_id, "revision": 1}
        assert statement.initiative == "self"


# --- stale and hostile posts -------------------------------------------------------------


def test_double_click_applies_the_choice_once(auth, client, app):
    """The same node and choice posted twice: the second changes nothing."""
    auth.login_as("employee")
    run_id = start(auth, client)
    first = post_choice(auth, run_id, "arrive", 1, 0)
    second = post_choice(auth, run_id, "arrive", 1, 0)
    assert first.status_code == second.status_code == 303
    assert second.headers["Location"].endswith(f"/scenarios/runs/{run_id}")
    assert run_row(app, run_id).step == 1 and run_row(app, run_id).node == "queue"
    assert counts(app, run_id) == (1, 0)
    page = client.get(f"/scenarios/runs/{run_id}").get_data(as_text=True)
    assert "That page was out of date" in page


def test_back_button_post_from_an_old_node_is_not_applied(auth, client, app):
    """A post for the previous node lands on the current node, unchanged."""
    auth.login_as("employee")
    run_id = start(auth, client)
    post_choice(auth, run_id, "arrive", 0, 0)
    response = post_choice(auth, run_id, "arrive", 2)  # the old page, without a step field
    assert response.status_code == 303
    assert run_row(app, run_id).node == "listening" and counts(app, run_id) == (1, 0)


def test_old_page_of_the_same_node_after_a_loop_is_not_applied(auth, client, app):
    """Back at `arrive` after a loop, the first page's post (step 0) is stale."""
    auth.login_as("employee")
    run_id = start(auth, client)
    for number, (node, choice) in enumerate(LOOP):
        post_choice(auth, run_id, node, choice, number)
    assert run_row(app, run_id).node == "arrive" and run_row(app, run_id).step == 2
    post_choice(auth, run_id, "arrive", 2, 0)
    assert run_row(app, run_id).step == 2 and run_row(app, run_id).node == "arrive"
    post_choice(auth, run_id, "arrive", 0, 2)  # the current page is fine
    assert run_row(app, run_id).node == "listening" and counts(app, run_id) == (3, 0)


def test_a_long_run_shows_the_last_exchanges_and_keeps_every_step(auth, client, app):
    """After ten steps the page lists the last eight; the debrief replays all of them."""
    auth.login_as("employee")
    run_id = start(auth, client)
    for number, (node, choice) in enumerate(LOOP * 5):
        post_choice(auth, run_id, node, choice, number)
    html = form_of(client, run_id)["html"]
    assert "The conversation so far (10 steps)" in html
    assert "2 earlier steps are in the debrief at the end." in html
    assert html.count('class="drill-transcript__you"') == 8
    post_choice(auth, run_id, "arrive", 2, 10)
    assert len(re.findall(r'class="drill-step" data-step', debrief_of(client, run_id))) == 11


def test_posting_without_the_step_field_follows_the_documented_contract(auth, client, app):
    """`choice` + `node` + `csrf_token` is enough to play."""
    auth.login_as("employee")
    run_id = start(auth, client)
    post_choice(auth, run_id, "arrive", 0)
    assert run_row(app, run_id).node == "listening"


@pytest.mark.parametrize(
    "data",
    [
        {"node": "arrive", "choice": "7"},
        {"node": "arrive", "choice": "3"},
        {"node": "arrive", "choice": "abc"},
        {"node": "arrive", "choice": "-1"},
        {"node": "arrive", "choice": "1e3"},
        {"node": "arrive", "choice": " 1"},
        {"node": "arrive", "choice": "99999999999999999999"},
        {"node": "arrive", "choice": ""},
        {"node": "arrive"},
        {"choice": "0"},
        {"node": "", "choice": "0"},
        {"node": "x" * 5000, "choice": "0"},
        {"node": "nowhere", "choice": "0"},
        {"node": "居民\x00<script>", "choice": "0"},
        {"node": "arrive", "choice": "0", "step": "x"},
        {"node": "arrive", "choice": "0", "step": "-1"},
        {"node": "arrive", "choice": "0", "step": "5"},
        {"node": "arrive", "choice": "0", "step": "99999999999999"},
        {"node": "arrive", "choice": "٠"},  # an Arabic-Indic zero: int() would accept it
        {"node": "arrive", "choice": "0", "step": "٠"},
        {"node": "arrive", "choice": ["0", "1"]},  # two answers to one question
        {"node": ["arrive", "arrive"], "choice": "0"},
    ],
)
def test_garbled_or_unavailable_posts_change_nothing(auth, client, app, data):
    """Bad values never give a 500 and never move the run."""
    auth.login_as("employee")
    run_id = start(auth, client)
    response = auth.post(f"/scenarios/runs/{run_id}", data)
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/scenarios/runs/{run_id}")
    assert run_row(app, run_id).step == 0 and counts(app, run_id) == (0, 0)
    assert client.get(f"/scenarios/runs/{run_id}").status_code == 200


def test_a_choice_hidden_by_its_condition_cannot_be_posted(auth, client, app):
    """The dispatcher call (if mood <= 5) is refused while the mood is higher."""
    from academy.extensions import db
    from academy.progress.run_models import DrillRun

    auth.login_as("employee")
    run_id = start(auth, client)
    post_choice(auth, run_id, "arrive", 0, 0)
    with app.app_context():  # make the resident angrier than the condition allows
        run = db.session.get(DrillRun, run_id)
        run.state = {**run.state, "state": {"mood": 9}}
        db.session.commit()
    assert form_of(client, run_id)["choices"] == [1]
    post_choice(auth, run_id, "listening", 0, 1)
    assert run_row(app, run_id).step == 1


def test_posting_to_a_finished_run_goes_to_the_debrief(auth, client, app):
    """After the ending, any post shows the debrief and changes nothing."""
    auth.login_as("employee")
    run_id = play(auth, client, FAILURE)
    response = post_choice(auth, run_id, "walked-out", 0, 1)
    assert response.headers["Location"].endswith(f"/scenarios/runs/{run_id}/debrief")
    assert counts(app, run_id) == (1, 1)


def test_choice_without_csrf_token_is_refused(auth, client, app):
    """The choice form needs its CSRF token."""
    auth.login_as("employee")
    run_id = start(auth, client)
    response = client.post(f"/scenarios/runs/{run_id}", data={"node": "arrive", "choice": "0"})
    assert response.status_code == 400
    assert run_row(app, run_id).step == 0


def test_a_run_whose_stored_version_no_longer_loads_says_so(auth, client, app):
    """A stored definition that fails validation gives a clear 422, never a 500."""
    from academy.catalog.scenario_models import ScenarioVersion
    from academy.extensions import db

    auth.login_as("employee")
    run_id = start(auth, client)
    with app.app_context():
        version = db.session.scalars(select(ScenarioVersion)).first()
        version.definition = {**version.definition, "start": "missing"}
        db.session.commit()
    app.extensions.pop("academy.drills", None)  # as after a restart
    response = client.get(f"/scenarios/runs/{run_id}")
    assert response.status_code == 422
    assert "can no longer be played" in response.get_data(as_text=True)
    assert post_choice(auth, run_id, "arrive", 0, 0).status_code == 422


# --- resume and ownership ----------------------------------------------------------------


def test_closing_the_browser_and_coming_back_resumes(auth, client, app):
    """A new session shows the run where it stood; the list links to it."""
    from helpers import PASSWORD

    user = auth.login_as("employee")
    run_id = start(auth, client)
    post_choice(auth, run_id, "arrive", 0, 0)
    fresh = app.test_client()
    fresh.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    auth.client = fresh
    auth.login(user.username, PASSWORD)
    assert f'data-resume="{run_id}"' in fresh.get("/scenarios/").get_data(as_text=True)
    form = form_of(fresh, run_id)
    assert form["node"] == "listening" and form["step"] == 1
    assert "The conversation so far (1 step)" in form["html"]
    post_choice(auth, run_id, "listening", 0, 1)
    assert run_row(app, run_id).ending_type == "success"


def test_another_users_run_is_not_found(auth, client, app, make_user):
    """Run, choice and debrief of someone else's run are 404 (even for a trainer)."""
    auth.login_as("employee")
    run_id = play(auth, client, FAILURE)
    open_run = start(auth, client)
    for role in ("employee", "trainer", "admin"):
        switch_to(auth, client, role)
        assert client.get(f"/scenarios/runs/{run_id}").status_code == 404
        assert client.get(f"/scenarios/runs/{run_id}/debrief").status_code == 404
        assert client.get(f"/scenarios/runs/{open_run}").status_code == 404
        assert post_choice(auth, open_run, "arrive", 0, 0).status_code == 404
    assert client.get("/scenarios/runs/999999").status_code == 404
    assert run_row(app, open_run).step == 0


# --- the trainers' map -------------------------------------------------------------------


def test_map_draws_the_graph_and_counts_real_runs(auth, client):
    """The SVG and the reach table show visits and choice counts from runs."""
    auth.login_as("employee")
    play(auth, client, SUCCESS)
    play(auth, client, PARTIAL)
    play(auth, client, FAILURE)
    waiting = start(auth, client)
    post_choice(auth, waiting, "arrive", 1, 0)
    switch_to(auth, client, "trainer")
    response = client.get(f"/scenarios/{SLUG}/map")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert '<svg xmlns="http://www.w3.org/2000/svg" role="img" class="scenario-map"' in html
    assert_no_inline_code(html)
    assert 'data-runs="4" data-finished="3" data-passed="1"' in html
    visits = dict(re.findall(r'<tr data-node="([^"]+)" data-visits="(\d+)"', html))
    assert visits == {
        "arrive": "4",
        "queue": "1",
        "listening": "2",
        "resolved": "1",
        "half-done": "1",
        "walked-out": "1",
    }
    arrive = html[html.index('<tr data-node="arrive"') :].split("</tr>", 1)[0]
    taken = re.findall(r'data-choice="(\d)" data-count="(\d+)"', arrive)
    assert taken == [("0", "2"), ("1", "1"), ("2", "1")]
    assert "visits: 4" in html  # the boxes carry the counts too


def test_map_labels_are_translated(auth, client):
    """In Chinese the map's speakers and counts are Chinese."""
    auth.login_as("trainer")
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "zh-CN"
    html = client.get(f"/scenarios/{SLUG}/map").get_data(as_text=True)
    assert "居民" in html and "到达：0" in html and "演练流程图：" in html


def test_pages_speak_chinese(auth, client):
    """The nav item is 演练 and the speaker 居民 for a Chinese browser."""
    auth.login_as("employee")
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "zh-CN"
    run_id = start(auth, client)
    html = client.get(f"/scenarios/runs/{run_id}").get_data(as_text=True)
    assert ">演练</a>" in html and "居民" in html and "你怎么做？" in html


# --- access: every route × role -------------------------------------------------------------

PAGES = [
    ("GET", "/scenarios/", ROLES),
    ("GET", f"/scenarios/{SLUG}", ROLES),
    ("GET", f"/scenarios/{SLUG}/map", ("trainer", "admin")),
    ("GET", "/scenarios/runs/{run}", ROLES),
    ("GET", "/scenarios/runs/{done}/debrief", ROLES),
    ("POST", f"/scenarios/{SLUG}/runs", ROLES),
    ("POST", "/scenarios/runs/{run}", ROLES),
]


@pytest.mark.parametrize("method,path,allowed", PAGES)
@pytest.mark.parametrize("role", ("anonymous", *ROLES))
def test_every_drill_route_for_every_role(auth, client, role, method, path, allowed):
    """Signed-in roles play; the map is for trainers and admins; anonymous goes to login."""
    run_id = done_id = 1
    if role != "anonymous":
        auth.login_as(role)
        run_id = start(auth, client)
        done_id = play(auth, client, FAILURE)
    url = path.format(run=run_id, done=done_id)
    if method == "GET":
        response = client.get(url)
    else:
        response = auth.post(url, {"node": "arrive", "choice": "0", "step": "0"})
    if role == "anonymous":
        assert response.status_code == 302 and "/login" in response.headers["Location"]
    elif role in allowed:
        assert response.status_code in (200, 303), response.status_code
    else:
        assert response.status_code == 403


def test_drill_routes_are_all_in_the_matrix(app):
    """Every route of the drills blueprint appears in PAGES."""
    tested = {re.sub(r"\{\w+\}", "<int:run_id>", path) for _, path, _ in PAGES}
    tested = {p.replace(SLUG, "<slug>") for p in tested}
    routes = {rule.rule for rule in app.url_map.iter_rules() if rule.endpoint.startswith("drills.")}
    assert routes == tested


# --- query counts ----------------------------------------------------------------------------


def test_list_and_map_query_counts_do_not_grow_with_runs(auth, client, queries):
    """/scenarios/ and the map cost the same number of queries with 2 or 12 runs."""
    auth.login_as("admin")
    play(auth, client, SUCCESS)
    start(auth, client)

    def measure(path):
        with queries() as statements:
            assert client.get(path).status_code == 200
        return len(statements)

    before = (measure("/scenarios/"), measure(f"/scenarios/{SLUG}/map"))
    for path in (SUCCESS, PARTIAL, FAILURE, LOOP, PARTIAL):
        play(auth, client, path)
    start(auth, client, "hotline")
    after = (measure("/scenarios/"), measure(f"/scenarios/{SLUG}/map"))
    assert after == before
    assert before[0] <= 6 and before[1] <= 6, before


# --- the order of the choices -------------------------------------------------------------


def test_choices_keep_their_order_on_every_render_of_a_run(auth, client, app):
    """A reload shows the same order; it is stored with the run (its seed)."""
    auth.login_as("employee")
    run_id = start(auth, client)
    first = form_of(client, run_id)["choices"]
    assert form_of(client, run_id)["choices"] == first
    assert run_row(app, run_id).choice_seed is not None


def test_always_the_first_button_does_not_follow_the_model_answer(auth, client, app):
    """Over several runs the first button shown at step 1 is not always the file's first."""
    auth.login_as("employee")
    firsts = set()
    for _ in range(12):
        run_id = start(auth, client)
        firsts.add(form_of(client, run_id)["choices"][0])
    assert len(firsts) > 1, firsts


def test_the_posted_index_names_the_choice_whatever_its_position(auth, client, app):
    """The button posts the file index: the shown position never changes what is applied."""
    auth.login_as("employee")
    run_id = start(auth, client)
    form = form_of(client, run_id)
    position = form["choices"].index(0)
    assert 'data-choice="0"' in form["html"]
    post_choice(auth, run_id, "arrive", form["choices"][position], 0)
    assert run_row(app, run_id).node == "listening"
    # The old page posted again (a position that was valid) changes nothing.
    post_choice(auth, run_id, "arrive", form["choices"][position], 0)
    assert run_row(app, run_id).step == 1
