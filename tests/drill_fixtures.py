"""Helpers for the drill tests: play the test drills through the web pages or the services.

`tests/data/app_scenarios/front-desk.yaml` (slug ``front-desk``):

    arrive ─0→ listening ─0 (if mood <= 5)→ resolved   (success, 7 of 7 points)
           │            └─1→ half-done                 (partial, 2 points: 28.5)
           ├─1→ queue ─0→ arrive  (a loop that costs a point)
           │         └─1→ walked-out                   (failure)
           └─2→ walked-out                             (failure, 0)
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import func, select

SLUG = "front-desk"
SUCCESS = [("arrive", 0), ("listening", 0)]
PARTIAL = [("arrive", 0), ("listening", 1)]
FAILURE = [("arrive", 2)]
LOOP = [("arrive", 1), ("queue", 0)]  # back at arrive after two steps

_STEP = re.compile(r'name="step" value="(\d+)"')
_NODE = re.compile(r'name="node" value="([^"]*)"')
_CHOICE = re.compile(r'name="choice" value="(\d+)"')
_START_KEY = re.compile(r'name="start_key" value="([^"]+)"')


def start(auth: Any, client: Any, slug: str = SLUG, start_key: str | None = None) -> int:
    """Start a run through the drill page's form; returns the run id."""
    page = client.get(f"/scenarios/{slug}")
    assert page.status_code == 200, page.status_code
    key = start_key or _START_KEY.search(page.get_data(as_text=True)).group(1)
    response = auth.post(f"/scenarios/{slug}/runs", {"start_key": key})
    assert response.status_code == 303, response.get_data(as_text=True)[:300]
    return int(response.headers["Location"].rsplit("/", 1)[1])


def form_of(client: Any, run_id: int) -> dict[str, Any]:
    """The run page's form: node, step and the offered choice indexes."""
    page = client.get(f"/scenarios/runs/{run_id}")
    assert page.status_code == 200, page.status_code
    html = page.get_data(as_text=True)
    return {
        "html": html,
        "node": _NODE.search(html).group(1),
        "step": int(_STEP.search(html).group(1)),
        "choices": [int(c) for c in _CHOICE.findall(html)],
    }


def post_choice(auth: Any, run_id: int, node: str, choice: Any, step: Any = None) -> Any:
    """POST one choice (with the step field when given)."""
    data = {"node": node, "choice": str(choice)}
    if step is not None:
        data["step"] = str(step)
    return auth.post(f"/scenarios/runs/{run_id}", data)


def play(auth: Any, client: Any, path: list[tuple[str, int]], slug: str = SLUG) -> int:
    """Start a run and take `path` through the pages, as a person would; returns the run id."""
    run_id = start(auth, client, slug)
    for node, choice in path:
        form = form_of(client, run_id)
        assert form["node"] == node, (form["node"], node)
        response = post_choice(auth, run_id, node, choice, form["step"])
        assert response.status_code == 303
    return run_id


def run_row(app: Any, run_id: int) -> Any:
    """The stored run, detached (step, node, finished_at, score, …)."""
    from academy.extensions import db
    from academy.progress.run_models import DrillRun

    with app.app_context():
        run = db.session.get(DrillRun, run_id)
        db.session.expunge(run)
        return run


def counts(app: Any, run_id: int | None = None) -> tuple[int, int]:
    """(drill steps stored, drill ledger statements), for one run or all."""
    from academy.extensions import db
    from academy.progress.models import Statement
    from academy.progress.run_models import DrillStep

    with app.app_context():
        steps = select(func.count(DrillStep.id))
        statements = select(func.count(Statement.id)).where(Statement.object_type == "scenario")
        if run_id is not None:
            steps = steps.where(DrillStep.run_id == run_id)
            statements = statements.where(Statement.dedupe_key == f"drill-run:{run_id}")
        return db.session.scalar(steps), db.session.scalar(statements)


def switch_to(auth: Any, client: Any, role: str, **kwargs: Any) -> Any:
    """Sign out and sign in as a new user with `role`; returns the user."""
    from helpers import csrf_token

    client.post("/logout", data={"csrf_token": csrf_token(client)})
    return auth.login_as(role, **kwargs)
