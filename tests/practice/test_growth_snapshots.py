"""HR's materialised growth figures equal the pure model's cohort functions."""

from __future__ import annotations

import pytest
from growth_support import add_history

PERSONAS = ("directed", "compliant", "growing", "self_disciplined", "growing")


@pytest.fixture
def staff(app, make_user):
    """Five employees in two departments with a synthetic year each, and one newcomer."""
    people = []
    for index, persona in enumerate(PERSONAS):
        user = make_user("employee", department="客服窗口" if index < 3 else "供电车间")
        add_history(app, user, persona=persona, statements=70, seed=10 + index)
        people.append(user)
    people.append(make_user("employee", department="客服窗口"))
    return people


def evidence_of(app, people):
    from academy.extensions import db
    from academy.practice.evidence import evidence_for_users

    with app.app_context():
        return evidence_for_users(db.session.connection(), [p.id for p in people])


def test_rebuild_stores_twelve_months_per_employee_and_matches_monthly_trend(app, staff):
    """Past months average to `monthly_trend`; the current month is the assessment now."""
    from academy.assignments.services import COMPANY_TZ
    from academy.extensions import db
    from academy.growth import assess, monthly_trend, stage_distribution
    from academy.practice import snapshots
    from academy.timeutil import utcnow

    evidence = evidence_of(app, staff)
    with app.app_context():
        now = utcnow()
        report = snapshots.rebuild(now)
        db.session.commit()
        assert (report.employees, report.rows) == (6, 72)
        months = snapshots.months_for(now)
        points = snapshots.trend(None, months)
        expected = monthly_trend(evidence, months[:-1], zone=COMPANY_TZ)
        for axis, values in expected.items():
            for point, (month, mean) in zip(points[:-1], values, strict=True):
                assert point.month == month
                assert (
                    point.means[axis] == pytest.approx(mean)
                    if mean is not None
                    else (point.means[axis] is None)
                )
        current = [
            assess(ev, now.astimezone(COMPANY_TZ), explain=False) for ev in evidence.values()
        ]
        for axis in ("behaviour", "language", "attitude", "work"):
            scores = [a.axes[axis].score for a in current if a.axes[axis].enough_evidence]
            assert points[-1].means[axis] == pytest.approx(sum(scores) / len(scores))
            assert points[-1].staff[axis] == len(scores)
        assert snapshots.stage_counts(None, months[-1]) == stage_distribution(current)
        assert not snapshots.is_stale(now)


def test_department_filter_and_a_second_rebuild_do_not_duplicate(app, staff):
    """Per-department counts add up; rebuilding again replaces the rows."""
    from academy.extensions import db
    from academy.practice import snapshots
    from academy.timeutil import utcnow

    with app.app_context():
        now = utcnow()
        snapshots.rebuild(now)
        snapshots.rebuild(now)
        db.session.commit()
        month = snapshots.months_for(now)[-1]
        whole = snapshots.stage_counts(None, month)
        parts = [snapshots.stage_counts(p.department_id, month) for p in (staff[0], staff[3])]
        for axis, counts in whole.items():
            assert sum(counts.values()) == 6
            for stage, count in counts.items():
                assert count == sum(part[axis][stage] for part in parts)


def test_worker_processes_give_the_same_rows(app, staff):
    """Spread over two processes in small batches, the rebuild stores the same figures."""
    from sqlalchemy import select

    from academy.extensions import db
    from academy.practice import snapshots
    from academy.practice.models import GrowthSnapshot
    from academy.timeutil import utcnow

    def rows():
        return sorted(
            (r.user_id, r.month, r.behaviour_score, r.work_stage)
            for r in db.session.scalars(select(GrowthSnapshot))
        )

    with app.app_context():
        now = utcnow()
        snapshots.rebuild(now)
        db.session.commit()
        single = rows()
        report = snapshots.rebuild(now, workers=2, batch=2)
        db.session.commit()
        assert report.workers == 2
        assert rows() == single


def test_stale_until_rebuilt_today(app, staff):
    """No snapshot: stale; after a rebuild: fresh until the company's next day."""
    from datetime import timedelta

    from academy.extensions import db
    from academy.practice import snapshots
    from academy.timeutil import utcnow

    with app.app_context():
        assert snapshots.is_stale() and snapshots.computed_at() is None
        now = utcnow()
        snapshots.rebuild(now)
        db.session.commit()
        assert not snapshots.is_stale(now)
        assert snapshots.is_stale(now + timedelta(days=1))


def stored(app):
    """{(user, month): (four scores, four stages)} as stored."""
    from sqlalchemy import select

    from academy.extensions import db
    from academy.practice.models import GrowthSnapshot

    axes = ("behaviour", "language", "attitude", "work")
    with app.app_context():
        return {
            (r.user_id, r.month): (
                tuple(getattr(r, f"{a}_score") for a in axes),
                tuple(getattr(r, f"{a}_stage") for a in axes),
                r.department_id,
            )
            for r in db.session.scalars(select(GrowthSnapshot))
        }


def assert_same(found, expected):
    assert found.keys() == expected.keys()
    for key, (scores, stages, department) in expected.items():
        got_scores, got_stages, got_department = found[key]
        assert got_stages == stages, key
        assert got_department == department, key
        for got, want in zip(got_scores, scores, strict=True):
            assert got == (pytest.approx(want) if want is not None else None), key


@pytest.fixture
def quiet_staff(app, make_user):
    """Five employees whose year of evidence ended 80 days ago, and one newcomer."""
    people = []
    for index, persona in enumerate(PERSONAS):
        user = make_user("employee", department="客服窗口" if index < 3 else "供电车间")
        add_history(app, user, persona=persona, statements=70, seed=30 + index, ended_days_ago=80)
        people.append(user)
    people.append(make_user("employee", department="客服窗口"))
    return people


@pytest.mark.parametrize("later", [1, 17, 45, 75])
def test_refresh_ages_unchanged_people_exactly_as_a_rebuild(app, quiet_staff, later, monkeypatch):
    """Days or months later, with news for one person and a move for another: same rows."""
    from datetime import timedelta

    from academy.accounts.models import Department, User
    from academy.extensions import db
    from academy.practice import snapshots
    from academy.progress import ledger
    from academy.timeutil import utcnow

    monkeypatch.setattr(snapshots, "WATERMARK_MARGIN", 0)  # a test database is all "recent"
    start = utcnow() - timedelta(days=later)
    with app.app_context():
        snapshots.rebuild(start)
        db.session.commit()
        news = db.session.get(User, quiet_staff[1].id)
        ledger.record(
            news,
            "rated",
            "feedback_card",
            "x1",
            score=100.0,
            result={"rating": 5},
            at=start + timedelta(hours=1),
        )
        moved = db.session.get(User, quiet_staff[0].id)
        moved.department_id = db.session.scalar(
            db.select(Department.id).where(Department.name == "供电车间")
        )
        db.session.commit()
        now = utcnow()
        report = snapshots.refresh(now)
        db.session.commit()
    refreshed = stored(app)
    assert 1 <= report.assessed < len(quiet_staff)  # the one with news (and any whose gates moved)
    with app.app_context():
        snapshots.rebuild(now)
        db.session.commit()
    assert_same(refreshed, stored(app))


def test_refresh_with_nothing_stored_rebuilds_and_people_who_leave_drop_out(app, staff):
    """A first refresh runs the model for all; a deactivated employee's rows go."""
    from academy.accounts.models import User
    from academy.extensions import db
    from academy.practice import snapshots

    with app.app_context():
        first = snapshots.refresh()
        db.session.commit()
        assert first.assessed == 6
        db.session.get(User, staff[2].id).active = False
        db.session.commit()
        again = snapshots.refresh()
        db.session.commit()
        assert again.employees == 5  # (recent authors are re-assessed: the watermark margin)
    assert {user for user, _ in stored(app)} == {p.id for p in staff} - {staff[2].id}


def test_a_refresh_makes_the_figures_fresh_again(app, quiet_staff):
    """After yesterday's figures are refreshed today, they are not stale."""
    from datetime import timedelta

    from academy.extensions import db
    from academy.practice import snapshots
    from academy.timeutil import utcnow

    with app.app_context():
        now = utcnow()
        snapshots.rebuild(now - timedelta(days=2))
        db.session.commit()
        assert snapshots.is_stale(now)
        snapshots.refresh(now)
        db.session.commit()
        assert not snapshots.is_stale(now)
        assert snapshots.computed_at() == now
