"""Growth pages for each role: the ladders, the forms on a phone, privacy, query counts."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from drill_fixtures import SUCCESS, play
from growth_support import add_history, observation_form, passed_quiz, switch_to
from sqlalchemy import func, select

from academy.timeutil import utcnow

LADDER = re.compile(
    r'<section class="ladder[^"]*" data-axis="(\w+)" data-stage="(\d?)" data-score="([\d.]*)"'
)
SECRET = "我的私人反思：今天我差点对居民发火，下次要先深呼吸再回答。"


def ladders(html):
    """{axis: (stage or None, score or None)} read from the ladders' data attributes."""
    return {
        axis: (int(stage) if stage else None, float(score) if score else None)
        for axis, stage, score in LADDER.findall(html)
    }


@pytest.fixture
def window(make_user):
    """The service window: a trainer, two employees; another department's employee; HR."""
    return {
        "trainer": make_user("trainer", username="trainer", department="客服窗口"),
        "zhang": make_user("employee", username="zhangwei", department="客服窗口"),
        "li": make_user("employee", username="lina", department="客服窗口"),
        "wang": make_user("employee", username="wangqiang", department="供水车间"),
        "hr": make_user("hr", username="hr"),
    }


def count(model):
    from academy.extensions import db

    return db.session.scalar(select(func.count()).select_from(model))


def test_a_newcomers_dashboard_shows_four_ladders_without_stages(auth, client, window):
    """Four ladders say 'not enough evidence yet', the pentagon is drawn, one next step."""
    auth.login("zhangwei")
    html = client.get("/me/").get_data(as_text=True)
    assert ladders(html) == dict.fromkeys(
        ("behaviour", "language", "attitude", "work"), (None, None)
    )
    assert html.count("Not enough evidence yet") >= 4
    assert 'class="chart chart--radar"' in html
    assert 'id="next-activity" data-kind="module" data-key="look/first-look"' in html
    for terms in ("他律 → 自律", "粗俗 → 文明", "生硬 → 礼貌", "习惯 → 标准"):
        assert terms in html
    assert "External discipline → self-discipline" in html


def test_a_year_of_evidence_shows_stages_reasons_and_a_timeline(app, auth, client, window):
    """Stages on the ladders, the evidence that moved them, the latest evidence, a link to all."""
    add_history(app, window["zhang"], persona="growing", statements=150, seed=7)
    auth.login("zhangwei")
    html = client.get("/me/").get_data(as_text=True)
    found = ladders(html)
    assert all(score is not None for _, score in found.values())
    assert any(stage for stage, _ in found.values())
    assert "Why: the evidence that moved it most" in html
    assert html.count('class="timeline__item') == 6
    assert 'href="/me/growth"' in html
    page = client.get("/me/growth?page=2")
    assert page.status_code == 200
    assert page.get_data(as_text=True).count('class="timeline__item') == 30
    assert client.get("/me/growth?page=999999999").status_code == 200


def test_the_dashboard_in_chinese_uses_the_stage_names_staff_know(auth, client, window, app):
    """zh: 需要督促 / 按要求完成 / 坚持践行 / 自觉自律 on every ladder."""
    add_history(app, window["zhang"], persona="self_disciplined", statements=80, seed=2)
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "zh-CN"
    auth.login("zhangwei")
    html = client.get("/me/").get_data(as_text=True)
    for name in ("需要督促", "按要求完成", "坚持践行", "自觉自律", "我的成长", "五项修炼"):
        assert name in html


def test_dashboard_query_count_does_not_grow_with_evidence(app, auth, client, window, queries):
    """Three times the evidence, the same number of queries for /me/."""
    add_history(app, window["zhang"], statements=40, seed=1)
    auth.login("zhangwei")
    client.get("/me/")  # warm the content caches
    with queries() as few:
        assert client.get("/me/").status_code == 200
    add_history(app, window["zhang"], statements=120, seed=2)
    passed_quiz(app, window["zhang"], days_ago=30)
    with queries() as many:
        assert client.get("/me/").status_code == 200
    assert len(many) == len(few), (len(few), len(many))


def test_observing_on_the_form_moves_the_employees_ladder(app, auth, client, window):
    """Pre-filled from the coaching page, saved once, the attitude ladder's score goes up."""
    add_history(app, window["zhang"], persona="directed", statements=60, seed=3)
    auth.login("trainer")
    person = f"/trainer/people/{window['zhang'].id}"
    before = ladders(client.get(person).get_data(as_text=True))["attitude"]
    form_page = client.get("/trainer/observe?employee=zhangwei").get_data(as_text=True)
    assert f'id="observe-person" data-person="{window["zhang"].id}"' in form_page
    assert re.search(r'name="employee" type="text" value="[^"]* · zhangwei"', form_page)
    key = re.search(r'name="form_key" value="([^"]+)"', form_page).group(1)
    data = observation_form("zhangwei", form_key=key)
    response = auth.post("/trainer/observe", data)
    assert response.status_code == 303 and response.headers["Location"].endswith(person)
    assert auth.post("/trainer/observe", data).status_code == 303  # resent: still one
    after = ladders(client.get(person).get_data(as_text=True))["attitude"]
    assert after[1] > before[1]
    from academy.practice.models import Observation

    with app.app_context():
        assert count(Observation) == 1


def test_observation_form_refuses_other_departments_and_bad_values(app, auth, client, window):
    """Another department's employee or a made-up status: 400 with the reason, nothing stored."""
    from academy.practice.models import Observation

    auth.login("trainer")
    response = auth.post("/trainer/observe", observation_form("wangqiang"))
    assert response.status_code == 400
    assert "Choose someone from your departments" in response.get_data(as_text=True)
    response = auth.post("/trainer/observe", observation_form("zhangwei", one_smile="maybe"))
    assert response.status_code == 400
    response = auth.post("/trainer/observe", {"employee": "zhangwei"})
    assert response.status_code == 400
    assert "Mark at least one of the seven ones" in response.get_data(as_text=True)
    page = client.get("/trainer/observe?employee=wangqiang")
    assert "No one in your departments is called that." in page.get_data(as_text=True)
    with app.app_context():
        assert count(Observation) == 0


def test_coaching_pages_are_only_for_the_trainers_departments(auth, client, window):
    """Own department: the page; another department or no such person: 404."""
    auth.login("trainer")
    assert client.get(f"/trainer/people/{window['zhang'].id}").status_code == 200
    assert client.get(f"/trainer/people/{window['wang'].id}").status_code == 404
    assert client.get(f"/trainer/people/{window['trainer'].id}").status_code == 404
    assert client.get("/trainer/people/999999").status_code == 404
    html = client.get("/trainer/cohort").get_data(as_text=True)
    assert f'data-person="{window["zhang"].id}"' in html
    assert f'data-person="{window["wang"].id}"' not in html
    assert "/trainer/observe?employee=zhangwei" in html


def test_journals_are_private_to_their_author_and_their_trainers(app, auth, client, window):
    """The author and their trainer read it; a colleague never; HR sees a count, not the text."""
    auth.login("zhangwei")
    response = auth.post("/me/journal/new", {"text": SECRET, "self_attitude": "3"})
    assert response.status_code == 303
    assert SECRET in client.get("/me/growth").get_data(as_text=True)
    switch_to(client, auth, window["li"])
    assert SECRET not in client.get("/me/growth").get_data(as_text=True)
    assert SECRET not in client.get("/me/").get_data(as_text=True)
    assert client.get(f"/trainer/people/{window['zhang'].id}").status_code == 403
    switch_to(client, auth, window["trainer"])
    assert SECRET in client.get(f"/trainer/people/{window['zhang'].id}").get_data(as_text=True)
    switch_to(client, auth, window["hr"])
    html = client.get("/hr/growth").get_data(as_text=True)
    assert SECRET not in html
    assert 'data-count="1" id="reflection-count"' in html
    assert "never what they say" in html
    assert client.get(f"/trainer/people/{window['zhang'].id}").status_code == 403
    csv = client.get("/hr/growth.csv").get_data(as_text=True)
    assert SECRET not in csv


def test_reflection_after_a_drill_names_the_drill(app, auth, client, window):
    """The debrief links to the journal; the entry is about that drill."""
    from academy.extensions import db
    from academy.practice.models import Reflection

    auth.login("zhangwei")
    run_id = play(auth, client, SUCCESS)
    debrief = client.get(f"/scenarios/runs/{run_id}/debrief").get_data(as_text=True)
    assert f'href="/me/journal/new?run={run_id}"' in debrief
    form = client.get(f"/me/journal/new?run={run_id}").get_data(as_text=True)
    assert f'name="run" value="{run_id}"' in form
    response = auth.post(
        "/me/journal/new",
        {
            "text": "先让座、再记录，居民的火气就小了一半，下次我一开始就这样做。",
            "run": str(run_id),
        },
    )
    assert response.status_code == 303
    short = auth.post("/me/journal/new", {"text": "好"})
    assert short.status_code == 400
    with app.app_context():
        entry = db.session.scalar(select(Reflection))
        assert (entry.about, entry.run_id) == ("front-desk", run_id)


def test_feedback_cards_from_the_window_and_from_paper(app, auth, client, window):
    """An employee files a department card; the trainer enters a dated paper card naming someone."""
    from academy.extensions import db
    from academy.practice.models import FeedbackCard

    auth.login("zhangwei")
    page = client.get("/feedback-cards/new").get_data(as_text=True)
    assert "wangqiang" not in page  # only colleagues are suggested
    response = auth.post(
        "/feedback-cards/new",
        {"rating": "4", "good": "很耐心", "department": str(window["zhang"].department_id)},
    )
    assert response.status_code == 303
    assert auth.post("/feedback-cards/new", {"rating": "9"}).status_code == 400
    refused = auth.post("/feedback-cards/new", {"rating": "5", "employee": "wangqiang"})
    assert refused.status_code == 400
    switch_to(client, auth, window["trainer"])
    day = (utcnow() - timedelta(days=5)).date()
    card = {
        "rating": "2",
        "bad": "答应的时间没来",
        "employee": "lina",
        "source": "paper",
        "received_on": day.isoformat(),
    }
    response = auth.post("/feedback-cards/new", card)
    assert response.status_code == 303
    assert "source=paper" in response.headers["Location"]  # the next card keeps the source
    assert (
        auth.post("/feedback-cards/new", {**card, "received_on": "2020-01-01"}).status_code == 400
    )
    with app.app_context():
        cards = list(db.session.scalars(select(FeedbackCard).order_by(FeedbackCard.id)))
        assert len(cards) == 2
        assert cards[0].employee_id is None and cards[0].entered_by_id == window["zhang"].id
        assert cards[1].employee_id == window["li"].id and cards[1].source == "paper"
        assert cards[1].received_at.date() == day


def test_a_due_refresher_is_listed_taken_and_graded(app, auth, client, window):
    """Passed ten days ago: listed on /me/, opened, submitted once, the result page shows it."""
    passed_quiz(app, window["zhang"], "look/first-look", days_ago=10)
    auth.login("zhangwei")
    html = client.get("/me/").get_data(as_text=True)
    assert 'href="/me/refreshers/look/first-look"' in html
    page = client.get("/me/refreshers/look/first-look").get_data(as_text=True)
    token = re.search(r'name="attempt" value="([^"]+)"', page).group(1)
    response = auth.post("/me/refreshers/look/first-look", {"attempt": token, "q1": "1"})
    assert response.status_code == 303
    result = client.get(response.headers["Location"]).get_data(as_text=True)
    assert 'id="refresher-result"' in result and "data-passed=" in result
    assert client.get("/me/refreshers/look/second-look").status_code == 404  # never passed
    assert client.get("/me/refreshers/attempts/" + "b" * 32).status_code == 404


def test_hr_report_trend_stages_and_csv(app, auth, client, window):
    """Twelve months in the table, stage counts, a UTF-8 CSV with BOM, recompute on demand."""
    for index, key in enumerate(("zhang", "li", "wang")):
        add_history(app, window[key], persona="growing", statements=80, seed=20 + index)
    auth.login("hr")
    html = client.get("/hr/growth").get_data(as_text=True)
    assert html.count('<tr data-month="') == 12
    assert 'class="chart chart--line"' in html and 'class="chart chart--bars"' in html
    assert html.count('data-stage="1" data-count=') == 4
    department = client.get(f"/hr/growth?department={window['wang'].department_id}")
    assert department.status_code == 200
    assert client.get("/hr/growth?department=999999").status_code == 404
    csv = client.get("/hr/growth.csv")
    text = csv.get_data(as_text=True)
    assert csv.mimetype == "text/csv" and text.startswith("\ufeff")
    assert len(text.strip().splitlines()) == 13 and "他律→自律" in text.splitlines()[0]
    stages = client.get("/hr/growth.csv?table=stages").get_data(as_text=True)
    assert len(stages.strip().splitlines()) == 5
    response = auth.post("/hr/growth/refresh", {})
    assert response.status_code == 303
    assert "Growth figures recomputed for 3 employees" in client.get("/hr/growth").get_data(
        as_text=True
    )


@pytest.mark.parametrize("page", ["/trainer/cohort", "/hr/growth"])
def test_cohort_and_report_query_counts_do_not_grow(app, auth, client, make_user, queries, page):
    """More people and more evidence: the same number of queries (the HR figures once rebuilt)."""
    trainer = make_user("trainer", department="客服窗口")
    make_user("hr", username="hr2")
    first = [make_user("employee", department="客服窗口") for _ in range(2)]
    for index, person in enumerate(first):
        add_history(app, person, statements=30, seed=index)
    auth.login(trainer.username if page.startswith("/trainer") else "hr2")
    client.get(page)
    with queries() as few:
        assert client.get(page).status_code == 200
    more = [make_user("employee", department="客服窗口") for _ in range(4)]
    for index, person in enumerate(more):
        add_history(app, person, statements=60, seed=10 + index)
    if page.startswith("/hr"):
        assert auth.post("/hr/growth/refresh", {}).status_code == 303
    with queries() as many:
        assert client.get(page).status_code == 200
    assert len(many) == len(few), (len(few), len(many))
