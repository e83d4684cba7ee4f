"""Shared by the growth and practice tests: people in departments, ledger shortcuts."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from typing import Any

from helpers import csrf_token

NOW = datetime(2026, 11, 20, 6, 0, tzinfo=UTC)


def load(app: Any, user: Any) -> Any:
    """The user row, attached to the current session."""
    from academy.accounts.models import User
    from academy.extensions import db

    return db.session.get(User, user.id)


def record(app: Any, user: Any, verb: str, object_type: str, object_id: str, **kw: Any) -> None:
    """Write one ledger statement for `user` (committed)."""
    from academy.extensions import db
    from academy.progress import ledger

    with app.app_context():
        ledger.record(load(app, user), verb, object_type, object_id, **kw)
        db.session.commit()


def passed_quiz(app: Any, user: Any, key: str = "look/first-look", days_ago: float = 10) -> None:
    """A passed quiz `days_ago` days ago (starts the module's refreshers)."""
    from academy.timeutil import utcnow

    at = utcnow() - timedelta(days=days_ago)
    record(app, user, "passed", "quiz", key, score=90.0, success=True, initiative="self", at=at)


def switch_to(client: Any, auth: Any, user: Any) -> None:
    """Sign out, then sign in as `user`."""
    client.post("/logout", data={"csrf_token": csrf_token(client)})
    response = auth.login(user.username)
    assert response.status_code == 302, response.status_code


def observation_form(employee: str, **extra: str) -> dict[str, str]:
    """A filled observation form: every one done, attitude 5, behaviour 4."""
    form = {
        "employee": employee,
        "one_smile": "done",
        "one_seat": "done",
        "one_greet": "done",
        "one_record": "partly",
        "one_promise": "done",
        "one_arrange": "done",
        "one_goodbye": "done",
        "rating_attitude": "5",
        "rating_behaviour": "4",
        "note": "起身相迎，记录清楚。",
    }
    form.update(extra)
    return form


def add_history(
    app: Any,
    user: Any,
    persona: str = "growing",
    statements: int = 60,
    seed: int = 1,
    days: int = 365,
    ended_days_ago: int = 0,
) -> list[Any]:
    """Bulk-insert a synthetic year of evidence for `user` (as the demo does), ending
    `ended_days_ago` days before now."""
    from sqlalchemy import insert

    from academy.extensions import db
    from academy.growth.synthetic import synthetic_history
    from academy.progress.models import Statement
    from academy.timeutil import utcnow

    now = utcnow()
    history = synthetic_history(
        random.Random(seed),
        now - timedelta(days=days),
        persona=persona,
        statements=statements,
        days=days - 1 - ended_days_ago,
    )
    rows = [
        {
            "actor_id": user.id,
            "verb": e.verb,
            "object_type": e.object_type,
            "object_id": e.object_id,
            "score": e.score,
            "success": e.success,
            "result": dict(e.detail) or None,
            "initiative": e.initiative,
            "on_time": e.on_time,
            "recorded_by_id": user.id,
            "timestamp": e.at,
            "stored_at": e.at,
        }
        for e in history
    ]
    with app.app_context():
        db.session.execute(insert(Statement), rows)
        db.session.commit()
    return history
