"""The one-page Chinese explanation of the growth model: in the docs, and in the app."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ROLES = ("employee", "trainer", "hr", "admin")


def test_the_doc_is_the_file_the_app_ships():
    """docs/growth-model.zh.md is the packaged file (one text, no copy to drift)."""
    from importlib import resources

    shipped = resources.files("academy.growth").joinpath("growth-model.zh.md").read_text("utf-8")
    assert (ROOT / "docs" / "growth-model.zh.md").read_text("utf-8") == shipped


def test_the_explanation_says_what_hr_must_know_with_the_models_numbers():
    """Fading, the observation gate for stage 3, the e-learning cap, constant journal weight."""
    from academy.growth import DEFAULT

    text = (ROOT / "docs" / "growth-model.zh.md").read_text("utf-8")
    assert f"{DEFAULT.half_life_days:g} 天减半" in text
    assert "不会自己往上涨" in text
    assert "第 3 阶段及以上一定要有培训师的现场观察" in text
    assert f"{DEFAULT.behaviour_elearning_cap:.0%}" in text
    assert f"{DEFAULT.reflection_weight:g}，与字数无关" in text
    low, middle, high = DEFAULT.stage_thresholds
    assert f"| {middle:g} 起 |" in text and f"| {high:g} 起 |" in text
    assert f"{DEFAULT.gate_window_days:g} 天" in text


@pytest.mark.parametrize("role", ROLES)
def test_every_signed_in_role_reads_it(auth, client, role):
    """Supervisors, HR and staff alike: the page renders the Chinese text."""
    auth.login_as(role)
    page = client.get("/growth/explained")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "成长模型说明" in html and "<table>" in html


def test_signed_out_goes_to_the_login(client):
    """Not public: the login page first."""
    response = client.get("/growth/explained")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_rendered_once_not_per_request(auth, client):
    """Two requests, one Markdown rendering."""
    from academy.web.growth import explained_html

    explained_html.cache_clear()
    auth.login_as("hr")
    client.get("/growth/explained")
    client.get("/growth/explained")
    assert explained_html.cache_info().misses == 1


@pytest.mark.parametrize(
    ("role", "path"),
    [("employee", "/me/growth"), ("trainer", "/trainer/cohort"), ("hr", "/hr/growth")],
)
def test_the_growth_pages_link_to_it(auth, client, role, path):
    """Each growth page links the explanation."""
    auth.login_as(role)
    assert 'href="/growth/explained"' in client.get(path).get_data(as_text=True)
