"""The search pages: lessons and drills for everyone, people for trainers and HR."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import update

ROLES = ("anonymous", "employee", "trainer", "hr", "admin")
ROUTES = [
    ("/search?q=倾听", ROLES[1:]),
    ("/search", ROLES[1:]),
    ("/search/people?q=a", ("trainer", "hr", "admin")),
    ("/search/people?q=a&fragment=1", ("trainer", "hr", "admin")),
]


@pytest.mark.parametrize("path,allowed", ROUTES)
@pytest.mark.parametrize("role", ROLES)
def test_route_access(auth, client, role, path, allowed):
    if role != "anonymous":
        auth.login_as(role)
    response = client.get(path)
    if role in allowed:
        assert response.status_code == 200
    elif role == "anonymous":
        assert response.status_code == 302 and "/login" in response.headers["Location"]
    else:
        assert response.status_code == 403


def test_header_has_the_search_box_when_signed_in(auth, client):
    assert 'id="site-search"' not in client.get("/login").get_data(as_text=True)
    auth.login_as("employee")
    page = client.get("/courses/").get_data(as_text=True)
    assert 'role="search"' in page and 'action="/search"' in page and 'id="site-search"' in page


def test_lesson_found_highlighted_and_linked(auth, client):
    auth.login_as("employee")
    page = client.get("/search?q=倾听").get_data(as_text=True)
    assert "<mark>倾听</mark>一本记录" in page
    assert 'href="/courses/listen/listen-log"' in page
    assert "1 result" in page


def test_drill_found_by_its_text(auth, client):
    auth.login_as("employee")
    page = client.get("/search?q=hotline").get_data(as_text=True)
    assert 'href="/scenarios/hotline"' in page
    assert "<mark>hotline</mark>" in page


def test_empty_states(auth, client):
    auth.login_as("employee")
    assert "Type a word" in client.get("/search").get_data(as_text=True)
    nothing = client.get("/search?q=zzqqxx").get_data(as_text=True)
    assert "Nothing found for “zzqqxx”" in nothing and 'href="/courses/"' in nothing
    assert "no words to search for" in client.get("/search?q=%22%2A").get_data(as_text=True)


def test_results_are_paginated(app, auth, client, monkeypatch):
    from academy.web import search

    monkeypatch.setattr(search, "RESULTS_PAGE", 1)
    auth.login_as("employee")
    first = client.get("/search?q=the").get_data(as_text=True)
    assert "Page 1 of 2" in first and 'rel="next"' in first
    second = client.get("/search?q=the&page=2").get_data(as_text=True)
    assert 'rel="prev"' in second
    links = [p for p in ("/scenarios/hotline", "/scenarios/front-desk") if p in first]
    assert len(links) == 1 and links[0] not in second
    assert client.get("/search?q=the&page=99999999999").status_code == 200


def test_unpublished_content_is_not_found(app, auth, client):
    from academy.catalog.models import Module
    from academy.catalog.scenario_models import Scenario
    from academy.extensions import db

    auth.login_as("employee")
    assert "listen-log" in client.get("/search?q=倾听").get_data(as_text=True)
    assert "/scenarios/hotline" in client.get("/search?q=hotline").get_data(as_text=True)
    with app.app_context():
        db.session.execute(
            update(Module).where(Module.slug == "listen-log").values(published=False)
        )
        db.session.execute(
            update(Scenario).where(Scenario.slug == "hotline").values(published=False)
        )
        db.session.commit()
    assert "listen-log" not in client.get("/search?q=倾听").get_data(as_text=True)
    assert "/scenarios/hotline" not in client.get("/search?q=hotline").get_data(as_text=True)


def test_index_follows_a_changed_lesson_at_sync_time(app, auth, client):
    """A new revision is indexed when published; a request never rebuilds the index."""
    from academy.catalog.models import Module
    from academy.extensions import db
    from academy.search.index import refresh

    auth.login_as("employee")
    with app.app_context():
        db.session.execute(
            update(Module)
            .where(Module.slug == "listen-log")
            .values(title="热线回访", source_hash="changed", body_html="<p>回访用户</p>")
        )
        db.session.commit()
    assert "Nothing found" in client.get("/search?q=回访").get_data(as_text=True)
    with app.app_context():
        assert refresh() == 1
        db.session.commit()
        assert refresh() == 0  # nothing else changed
    page = client.get("/search?q=回访").get_data(as_text=True)
    assert "<mark>回访</mark>" in page and "listen-log" in page


@pytest.mark.parametrize(
    "raw", ['"', "*", "NEAR(", "OR", "a OR b", "x:*", "'", "\\", "%", "(((", '倾听"*', "\x00x"]
)
def test_query_syntax_never_errors(auth, client, raw):
    auth.login_as("employee")
    assert client.get("/search", query_string={"q": raw}).status_code == 200


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(raw=st.text(max_size=60))
def test_any_query_string_runs_on_this_database(app, raw):
    """Straight against the configured database (SQLite or PostgreSQL)."""
    from academy.search.queries import search_content

    with app.app_context():
        search_content(raw.replace("\x00", ""))


def test_content_search_query_count_is_constant(auth, client, queries):
    auth.login_as("employee")
    client.get("/search?q=倾听")
    with queries() as one:
        client.get("/search?q=倾听")
    with queries() as many:
        client.get("/search?q=the")
    assert len(one) == len(many) <= 4, many


# --- people ------------------------------------------------------------------------------


@pytest.fixture
def people(make_user):
    make_user("employee", username="liming", display_name="李明", department="客服窗口")
    make_user("employee", username="wangfang", display_name="王芳", department="供水车间")
    make_user("employee", username="li_x", display_name="李晓", department="供水车间")
    make_user("employee", username="old", display_name="李旧", department="客服窗口", active=False)


def test_people_search_by_name_username_and_employee_number(app, auth, client, people):
    from academy.accounts.models import User
    from academy.extensions import db

    with app.app_context():
        db.session.execute(
            update(User).where(User.username == "wangfang").values(employee_no="E0042")
        )
        db.session.commit()
    auth.login_as("hr")
    page = client.get("/search/people?q=李").get_data(as_text=True)
    assert "李明" in page and "李晓" in page and "王芳" not in page
    assert "李旧" not in page  # deactivated
    assert "王芳" in client.get("/search/people?q=e004").get_data(as_text=True)
    assert "李明" in client.get("/search/people?q=LIMI").get_data(as_text=True)
    assert "Nobody found" in client.get("/search/people?q=%25").get_data(as_text=True)
    only = client.get("/search/people?q=_").get_data(as_text=True)  # _ is not a wildcard
    assert "李晓" in only and "李明" not in only


def test_trainers_find_only_people_of_their_departments(auth, client, people):
    auth.login_as("trainer", department="客服窗口")
    page = client.get("/search/people?q=李").get_data(as_text=True)
    assert "李明" in page and "李晓" not in page
    assert "王芳" not in client.get("/search/people?q=wangfang").get_data(as_text=True)


def test_people_search_query_count_is_constant(auth, client, people, queries):
    auth.login_as("hr")
    client.get("/search/people?q=李")
    with queries() as few:
        client.get("/search/people?q=zz")
    with queries() as many:
        client.get("/search/people?q=李")
    assert len(many) <= len(few) + 1 <= 5, many


def test_admin_user_list_search_escapes_wildcards(auth, client, people):
    auth.login_as("admin")
    assert "李晓" in client.get("/admin/users?q=li_").get_data(as_text=True)
    assert "李明" not in client.get("/admin/users?q=li_").get_data(as_text=True)
    assert "李明" not in client.get("/admin/users?q=%25").get_data(as_text=True)


def test_cohort_table_searches_people(app, auth, client, people):
    auth.login_as("trainer", department="供水车间")
    page = client.get("/trainer/cohort?q=王").get_data(as_text=True)
    table = page.split('id="cohort"')[1]
    assert "王芳" in table and "李晓" not in table
    assert "Nobody found" in client.get("/trainer/cohort?q=zzz").get_data(as_text=True)


def test_assignment_form_has_the_people_picker(auth, client):
    auth.login_as("trainer", department="客服窗口")
    response = client.get("/assignments/new")
    page = response.get_data(as_text=True)
    assert response.status_code == 200, page[:300]
    assert "data-people-picker" in page and "people-picker.js" in page
    assert "/search/people?fragment=1" in page


def test_reindex_command_rebuilds_the_index(app, runner, auth, client):
    from academy.cli import cli

    result = runner.invoke(cli, ["content", "reindex"])
    assert result.exit_code == 0, result.output
    assert "lessons and drills indexed" in result.output
    auth.login_as("employee")
    assert "<mark>倾听</mark>" in client.get("/search?q=倾听").get_data(as_text=True)
