"""Drill run services: start, exactly-once choices (also concurrently), finish, pinning, stats."""

from __future__ import annotations

import shutil
import threading
from datetime import timedelta

import pytest
from drill_fixtures import FAILURE, PARTIAL, SLUG, SUCCESS
from helpers import DATA, TEST_DB_URL, make_test_app, reset_postgres
from sqlalchemy import func, select

from academy.scenarios import StaleChoiceError


@pytest.fixture
def ctx(app):
    with app.app_context():
        yield app


@pytest.fixture
def user(ctx, make_user):
    from academy.accounts.models import User
    from academy.extensions import db

    made = make_user("employee")
    return db.session.get(User, made.id)


def scenario_row(slug=SLUG):
    from academy.progress import drills

    row = drills.published_scenario(slug)
    assert row is not None
    return row


def play_path(user, path, slug=SLUG):
    """Start and play `path` through the services, committing each step like a request."""
    from academy.extensions import db
    from academy.progress import drills

    run = drills.start_drill(user, scenario_row(slug))
    db.session.commit()
    for node, choice in path:
        drills.apply_choice(user, run, node, choice, step=run.step)
        db.session.commit()
    return run


def test_start_puts_the_run_at_the_start_with_the_initial_state(user):
    """A new run stands at `start` with mood 8 and step 0, pinned to the current version."""
    from academy.extensions import db
    from academy.progress import drills

    row = scenario_row()
    run = drills.start_drill(user, row)
    db.session.commit()
    assert (run.node, run.step, run.finished_at) == ("arrive", 0, None)
    assert run.state["state"] == {"mood": 8} and run.state["path"] == []
    assert (run.version_id, run.scenario_revision) == (row.version_id, row.revision)


def test_a_start_key_opens_one_run_per_user(user, make_user):
    """The same key returns the same run; another user's key is never shown to them."""
    from academy.accounts.models import User
    from academy.extensions import db
    from academy.progress import drills

    other_id = make_user("employee").id
    db.session.rollback()  # see the user committed by the factory
    other = db.session.get(User, other_id)
    key = "abcDEF0123456789-_xyzw"
    first = drills.start_drill(user, scenario_row(), start_key=key)
    db.session.commit()
    assert drills.start_drill(user, scenario_row(), start_key=key).id == first.id
    theirs = drills.start_drill(other, scenario_row(), start_key=key)
    assert theirs.id != first.id and theirs.user_id == other.id and theirs.start_key is None
    # A malformed key is ignored: every start is a new run.
    one = drills.start_drill(user, scenario_row(), start_key="bad key!")
    two = drills.start_drill(user, scenario_row(), start_key="bad key!")
    assert one.id != two.id


def test_apply_choice_moves_the_run_and_logs_the_step(user):
    """A choice updates state, node and step, and writes one drill step row."""
    from academy.extensions import db
    from academy.progress.run_models import DrillStep

    run = play_path(user, [("arrive", 0)])
    db.session.refresh(run)
    assert (run.node, run.step) == ("listening", 1)
    assert run.state["state"] == {"mood": 5}
    assert run.state["path"] == [{"node": "arrive", "choice": 0, "state": {"mood": 5}}]
    steps = db.session.scalars(select(DrillStep).where(DrillStep.run_id == run.id)).all()
    assert [(s.number, s.node, s.choice, s.scenario_slug) for s in steps] == [
        (1, "arrive", 0, SLUG)
    ]


@pytest.mark.parametrize(
    "node,choice,step",
    [("arrive", 0, 1), ("listening", 0, 0), ("arrive", 9, 0), ("arrive", 0, 5)],
)
def test_stale_choices_raise_and_change_nothing(user, node, choice, step):
    """Wrong step, old node, unknown choice: StaleChoiceError and the run stays."""
    from academy.extensions import db
    from academy.progress import drills

    run = play_path(user, [])
    with pytest.raises(StaleChoiceError):
        drills.apply_choice(user, run, node, choice, step=step)
    db.session.rollback()
    db.session.refresh(run)
    assert run.step == 0 and run.node == "arrive"


def test_the_conditional_update_refuses_a_run_loaded_before_another_step(user):
    """A request that loaded step 0 cannot apply after another request took step 1."""
    from sqlalchemy.orm.attributes import set_committed_value

    from academy.extensions import db
    from academy.progress import drills
    from academy.progress.run_models import DrillRun

    run = play_path(user, [])
    before = dict(run.state)
    drills.apply_choice(user, run, "arrive", 0)
    db.session.commit()
    # This copy is what a concurrent request read before the first choice landed.
    stale = db.session.get(DrillRun, run.id)
    for name, value in (("step", 0), ("node", "arrive"), ("state", before)):
        set_committed_value(stale, name, value)
    with pytest.raises(StaleChoiceError):
        drills.apply_choice(user, stale, "arrive", 2)
    db.session.rollback()
    fresh = db.session.get(DrillRun, run.id)
    assert (fresh.step, fresh.node) == (1, "listening")


def test_finishing_stores_the_debrief_and_one_ledger_record(user):
    """The last choice writes ending, score, passed, debrief and a deduplicated statement."""
    from academy.extensions import db
    from academy.progress import ledger
    from academy.progress.models import Statement

    run = play_path(user, PARTIAL)
    db.session.refresh(run)
    assert run.ending == "half-done" and run.ending_type == "partial"
    assert run.score == 28.5 and run.passed is False
    assert run.debrief["total_points"] == 2 and run.debrief["max_points"] == 7
    assert [s["node"] for s in run.debrief["steps"]] == ["arrive", "listening"]
    statement = ledger.find_by_dedupe_key(f"drill-run:{run.id}")
    assert statement is not None and statement.score == 28.5 and statement.success is False
    assert statement.duration_s is not None and statement.duration_s >= 0
    assert db.session.scalar(select(func.count(Statement.id))) == 1


def test_a_finished_run_takes_no_more_choices(user):
    """After the ending every choice is stale."""
    from academy.extensions import db
    from academy.progress import drills

    run = play_path(user, FAILURE)
    db.session.refresh(run)
    with pytest.raises(StaleChoiceError):
        drills.apply_choice(user, run, "walked-out", 0)


def test_another_users_run_cannot_be_played(user, make_user):
    """apply_choice refuses a run that belongs to someone else; find_run hides it."""
    from academy.accounts.models import User
    from academy.extensions import db
    from academy.progress import drills

    other_id = make_user("employee").id
    db.session.rollback()
    other = db.session.get(User, other_id)
    run = play_path(user, [])
    assert drills.find_run(other, run.id) is None
    with pytest.raises(StaleChoiceError):
        drills.apply_choice(other, run, "arrive", 0)


def test_two_threads_posting_the_same_choice_apply_it_once(app, make_user):
    """Concurrent identical posts (two tabs, a double click): exactly one applies."""
    from academy.accounts.models import User
    from academy.extensions import db, intend_to_write
    from academy.progress import drills
    from academy.progress.run_models import DrillRun, DrillStep

    made = make_user("employee")
    with app.app_context():
        user = db.session.get(User, made.id)
        run_id = drills.start_drill(user, scenario_row()).id
        db.session.commit()
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def post() -> None:
        with app.app_context():
            intend_to_write()  # as a POST request does (BEGIN IMMEDIATE on SQLite)
            try:
                barrier.wait(timeout=10)
                me = db.session.get(User, made.id)
                run = db.session.get(DrillRun, run_id)
                drills.apply_choice(me, run, "arrive", 2, step=0)
                db.session.commit()
                outcomes.append("applied")
            except StaleChoiceError:
                db.session.rollback()
                outcomes.append("stale")
            finally:
                db.session.remove()

    threads = [threading.Thread(target=post) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["applied", "stale"]
    with app.app_context():
        run = db.session.get(DrillRun, run_id)
        assert run.step == 1 and run.ending_type == "failure"
        assert db.session.scalar(select(func.count(DrillStep.id))) == 1
        from academy.progress.models import Statement

        assert db.session.scalar(select(func.count(Statement.id))) == 1


def test_the_same_step_row_cannot_be_written_twice(user):
    """drill_steps refuses a second row with the same run and number."""
    from sqlalchemy.exc import IntegrityError

    from academy.extensions import db
    from academy.progress.run_models import DrillStep

    run = play_path(user, [("arrive", 0)])
    db.session.add(DrillStep(run_id=run.id, number=1, scenario_slug=SLUG, node="arrive", choice=1))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_history_best_results_unfinished_and_runs_of(user):
    """Best score and passed per drill in one query; unfinished runs newest first."""
    from academy.progress import drills

    play_path(user, PARTIAL)
    play_path(user, SUCCESS)
    play_path(user, FAILURE, slug=SLUG)
    waiting = play_path(user, [("ring", 1)][:0], slug="hotline")
    best = drills.best_results(user)
    assert set(best) == {SLUG}
    assert best[SLUG].best_score == 100 and best[SLUG].passed and best[SLUG].finished == 3
    unfinished = drills.unfinished_runs(user)
    assert [r.id for r in unfinished] == [waiting.id]
    assert unfinished[0].title == "A call on the hotline"
    runs = drills.runs_of(user, SLUG)
    assert [r.ending_type for r in runs] == ["failure", "success", "partial"]


def test_reach_statistics_count_visits_and_choices(user):
    """Visits include where runs stand now; choice counts are per (node, index)."""
    from academy.progress import drills

    play_path(user, SUCCESS)
    play_path(user, PARTIAL)
    play_path(user, FAILURE)
    play_path(user, [("arrive", 1)])
    stats = drills.reach_statistics(SLUG, scenario_row().revision)
    assert stats.visits == {
        "arrive": 4,
        "listening": 2,
        "resolved": 1,
        "half-done": 1,
        "walked-out": 1,
        "queue": 1,
    }
    assert stats.choice_counts == {
        ("arrive", 0): 2,
        ("arrive", 1): 1,
        ("arrive", 2): 1,
        ("listening", 0): 1,
        ("listening", 1): 1,
    }
    assert (stats.runs, stats.finished, stats.passed, stats.older_revisions) == (4, 3, 1, 0)
    assert stats.endings == {"success": 1, "partial": 1, "failure": 1}
    assert stats.average_score == round((100 + 28.5 + 0) / 3, 1)


def test_loaded_versions_are_cached_per_app(user):
    """The second lookup of a version costs no query and returns the same object."""
    from academy.progress import drills

    row = scenario_row()
    first = drills.playable(row.version_id)
    assert drills.playable(row.version_id) is first
    assert first.scenario.slug == SLUG and first.discipline_max["smile"] == 2
    assert first.rendered["nodes"]["arrive"]["text"].startswith("<p>You promised me <em>")


def test_a_resync_in_the_middle_of_a_run_never_breaks_it(tmp_path, password_hash):
    """Runs keep the version they started on; new runs get the new revision."""
    from academy.accounts.models import User
    from academy.catalog.sync import sync_content
    from academy.extensions import db
    from academy.progress import drills

    folder = tmp_path / "scenarios"
    shutil.copytree(DATA / "app_scenarios", folder)
    app = make_test_app(tmp_path, SCENARIOS_DIR=folder)
    with app.app_context():
        if TEST_DB_URL:
            reset_postgres(db)
        else:
            db.create_all()
        sync_content(app.config["COURSES_DIR"], folder)
        user = User(username="u", display_name="U", role="employee", password_hash=password_hash)
        db.session.add(user)
        db.session.commit()
        old = drills.start_drill(user, drills.published_scenario(SLUG))
        drills.apply_choice(user, old, "arrive", 0)
        db.session.commit()
        # The author renames `listening` and reorders its choices.
        path = folder / "front-desk.yaml"
        text = path.read_text(encoding="utf-8").replace("listening", "when-coming")
        path.write_text(text, encoding="utf-8")
        report = sync_content(app.config["COURSES_DIR"], folder)
        db.session.commit()
        assert "scenarios/front-desk" in report.updated
        row = drills.published_scenario(SLUG)
        assert row.revision == 2
        db.session.refresh(old)
        assert old.node == "listening" and old.scenario_revision == 1
        drills.apply_choice(user, old, "listening", 0, step=1)
        db.session.commit()
        db.session.refresh(old)
        assert old.ending_type == "success" and old.score == 100
        new = drills.start_drill(user, row)
        drills.apply_choice(user, new, "arrive", 0)
        db.session.commit()
        db.session.refresh(new)
        assert new.scenario_revision == 2 and new.node == "when-coming"
        stats = drills.reach_statistics(SLUG, row.revision)
        assert stats.older_revisions == 1
        db.session.remove()
        db.engine.dispose()


def test_demo_history_gives_employees_finished_runs(ctx, make_user):
    """The demo extension plays good and poor runs through the services."""
    from academy.accounts.models import User
    from academy.extensions import db
    from academy.progress.demo_drills import add_demo_drill_runs
    from academy.progress.run_models import DrillRun
    from academy.timeutil import utcnow

    ids = [make_user("employee").id for _ in range(4)]
    db.session.rollback()
    users = [db.session.get(User, ident) for ident in ids]
    note = add_demo_drill_runs(users, now=utcnow() + timedelta(days=60))
    db.session.commit()
    assert note and "finished run" in note
    runs = db.session.scalars(select(DrillRun)).all()
    finished = [r for r in runs if r.finished_at is not None]
    assert len(finished) >= 8
    assert {r.passed for r in finished} == {True, False}
    assert any(r.finished_at is None for r in runs)  # one run to resume
