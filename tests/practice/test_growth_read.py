"""The growth read side: evidence loading, one person's growth, a trainer's cohort."""

from __future__ import annotations

import pytest
from growth_support import add_history, load


def test_the_fast_loader_reads_what_the_ledger_holds(app, make_user):
    """Bulk loading gives the same evidence as the ledger's own reader (detail where read)."""
    from academy.extensions import db
    from academy.practice.evidence import DETAILED, evidence_for_departments, evidence_for_users
    from academy.progress.ledger import as_evidence, statements_for

    user = make_user("employee", department="客服窗口")
    add_history(app, user, statements=80)
    with app.app_context():
        fast = evidence_for_users(db.session.connection(), [user.id])[user.id]
        by_department = evidence_for_departments(db.session.connection(), [user.department_id])
        slow = [as_evidence(s) for s in statements_for(user.id)]
        assert len(fast) == len(slow) == 80
        assert by_department[user.id] == fast
        for a, b in zip(fast, slow, strict=True):
            assert (a.verb, a.object_type, a.object_id, a.at, a.score, a.success) == (
                b.verb,
                b.object_type,
                b.object_id,
                b.at,
                b.score,
                b.success,
            )
            assert (a.initiative, a.on_time) == (b.initiative, b.on_time)
            assert a.detail == (b.detail if a.object_type in DETAILED else {})
            assert a.at.tzinfo is not None


def test_person_growth_assesses_the_ledger_and_recommends_one_activity(app, make_user):
    """A year of growing practice: scores, stages, contributors, a timeline newest first."""
    from academy.practice.growth import person_growth

    user = make_user("employee", department="客服窗口")
    add_history(app, user, statements=120, seed=3)
    with app.app_context():
        found = person_growth(load(app, user))
        a = found.assessment
        assert all(a.axes[axis].score is not None for axis in a.axes)
        assert any(a.axes[axis].stage for axis in a.axes)
        assert all(len(a.axes[axis].contributors) <= 5 for axis in a.axes)
        times = [t.at for t in found.timeline]
        assert times == sorted(times, reverse=True) and len(times) == 120
        assert found.recommendation.reason


def test_a_newcomer_has_no_stage_and_starts_with_the_first_lesson(app, make_user):
    """No evidence: every stage is 'not enough evidence yet', the first lesson of 看 is next."""
    from academy.practice.growth import person_growth

    user = make_user("employee")
    with app.app_context():
        found = person_growth(load(app, user))
        assert {r.stage for r in found.assessment.axes.values()} == {None}
        assert (found.recommendation.kind, found.recommendation.key) == (
            "module",
            "look/first-look",
        )


def test_the_catalogue_knows_which_axes_each_drill_trains(app):
    """Drill axes come from the choices of the published version (cached per version)."""
    from academy.practice.growth import content_index

    with app.app_context():
        found = {s.slug: s for s in content_index().catalogue.scenarios}
        assert set(found) == {"front-desk", "hotline"}
        assert set(found["front-desk"].axes) >= {"attitude"}
        assert content_index().title("scenario", "gone-drill") == "gone-drill"


def test_cohort_is_the_trainers_departments_with_movers(app, make_user):
    """Only the trainer's departments; someone who grew this month is among the improved."""
    from academy.extensions import db
    from academy.practice.growth import cohort
    from academy.practice.observations import record_observation

    trainer = make_user("trainer", department="客服窗口")
    mine = make_user("employee", department="客服窗口")
    other = make_user("employee", department="供水车间")
    add_history(app, mine, persona="compliant", statements=60, seed=4)
    add_history(app, other, persona="compliant", statements=60, seed=5)
    with app.app_context():
        t = load(app, trainer)
        for _ in range(3):
            record_observation(
                t,
                load(app, mine),
                seven_ones=dict.fromkeys(("smile", "seat", "greet", "promise"), "done"),
                ratings={"attitude": 5, "language": 5, "work": 5, "behaviour": 5},
            )
        db.session.commit()
        found = cohort(t)
        assert [r.person.id for r in found.rows] == [mine.id]
        improved = {(m.employee, m.axis) for m in found.movers.improved}
        assert (mine.id, "attitude") in improved
        assert found.rows[0].last_observed is not None
        assert sum(found.distribution["attitude"].values()) == 1


@pytest.mark.parametrize("role", ["employee", "hr"])
def test_cohort_is_empty_for_people_who_coach_no_one(app, make_user, role):
    """Employees and HR coach no department: an empty cohort, not everyone."""
    from academy.practice.growth import cohort

    person = make_user(role, department="客服窗口")
    make_user("employee", department="客服窗口")
    with app.app_context():
        assert cohort(load(app, person)).rows == []
