"""The evidence ledger: one writer, xAPI-shaped, idempotent by key."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select


def test_record_writes_an_xapi_shaped_statement(app, make_user):
    """A statement keeps actor, verb, object, result and context."""
    from academy.accounts.models import User
    from academy.extensions import db
    from academy.progress import ledger

    user = make_user("employee")
    with app.app_context():
        actor = db.session.get(User, user.id)
        statement = ledger.record(
            actor,
            "passed",
            "quiz",
            "look/first-look",
            score=85.0,
            success=True,
            duration_s=120,
            result={"answers": 2},
            context={"revision": 1},
        )
        db.session.commit()
        xapi = ledger.to_xapi(statement, "https://academy.example")
    assert xapi["verb"]["id"] == "http://adlnet.gov/expapi/verbs/passed"
    assert xapi["object"]["id"].endswith("/quiz/look/first-look")
    assert xapi["result"]["score"]["scaled"] == 0.85
    assert xapi["result"]["duration"] == "PT120S"
    assert xapi["actor"]["account"]["name"] == user.username
    assert xapi["context"]["extensions"]["https://academy.example/xapi/initiative"] == "self"


def test_record_rejects_unknown_verbs_and_bad_scores(app, make_user):
    """Unknown verbs, object types and out-of-range scores are refused."""
    from academy.accounts.models import User
    from academy.extensions import db
    from academy.progress import ledger

    user = make_user("employee")
    with app.app_context():
        actor = db.session.get(User, user.id)
        with pytest.raises(ledger.LedgerError):
            ledger.record(actor, "liked", "module", "x")
        with pytest.raises(ledger.LedgerError):
            ledger.record(actor, "completed", "banana", "x")
        with pytest.raises(ledger.LedgerError):
            ledger.record(actor, "passed", "quiz", "x", score=101)


def test_dedupe_key_returns_the_first_statement(app, make_user):
    """Recording the same dedupe key twice keeps one statement."""
    from academy.accounts.models import User
    from academy.extensions import db
    from academy.progress import ledger
    from academy.progress.models import Statement

    user = make_user("employee")
    with app.app_context():
        actor = db.session.get(User, user.id)
        first = ledger.record(actor, "completed", "module", "look/a", dedupe_key="k1")
        second = ledger.record(actor, "completed", "module", "look/a", dedupe_key="k1")
        db.session.commit()
        assert first.id == second.id
        assert db.session.scalar(select(func.count(Statement.id))) == 1


def test_concurrent_records_with_one_key_store_one(app, make_user):
    """Eight threads recording the same key at once store exactly one statement."""
    from academy.accounts.models import User
    from academy.extensions import db
    from academy.progress import ledger
    from academy.progress.models import Statement

    user = make_user("employee")
    barrier = threading.Barrier(8)
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            with app.app_context():
                from academy.extensions import sqlite_begin

                sqlite_begin.set("IMMEDIATE")  # as for a POST request
                barrier.wait(timeout=10)
                actor = db.session.get(User, user.id)
                ledger.record(actor, "completed", "module", "look/a", dedupe_key="same")
                db.session.commit()
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with app.app_context():
        assert db.session.scalar(select(func.count(Statement.id))) == 1


def test_after_record_hooks_run_in_the_same_transaction(app, make_user):
    """Hooks see the new statement; a failing hook rolls everything back."""
    from academy.accounts.models import User
    from academy.extensions import db
    from academy.progress import ledger
    from academy.progress.models import Statement

    user = make_user("employee")
    seen = []

    def hook(statement):
        seen.append(statement.verb)
        if statement.object_id == "boom":
            raise RuntimeError("hook failed")

    ledger.AFTER_RECORD.append(hook)
    try:
        with app.app_context():
            actor = db.session.get(User, user.id)
            ledger.record(actor, "completed", "module", "ok")
            with pytest.raises(RuntimeError):
                ledger.record(actor, "completed", "module", "boom")
            db.session.rollback()
            assert db.session.scalar(select(func.count(Statement.id))) == 0
    finally:
        ledger.AFTER_RECORD.remove(hook)
    assert seen == ["completed", "completed"]


def test_as_evidence_gives_the_pure_view(app, make_user):
    """Stored statements convert to framework-free Evidence."""
    from academy.accounts.models import User
    from academy.evidence import Evidence
    from academy.extensions import db
    from academy.progress import ledger

    user = make_user("employee")
    with app.app_context():
        actor = db.session.get(User, user.id)
        statement = ledger.record(actor, "passed", "quiz", "look/a", score=90, success=True)
        evidence = ledger.as_evidence(statement)
    assert isinstance(evidence, Evidence)
    assert (evidence.verb, evidence.score, evidence.initiative) == ("passed", 90, "self")
    assert evidence.at.tzinfo is not None
