"""`academy demo` shows the point of the product: the shifts are visible after a year."""

from __future__ import annotations

from sqlalchemy import func, select


def test_the_demo_year_shows_growth_for_zhangwei_the_cohort_and_hr(app):
    """zhangwei rises over the year; the trainer sees observations; HR's trend goes up."""
    from academy.accounts.models import User
    from academy.assignments.services import COMPANY_TZ
    from academy.demo import build_demo
    from academy.extensions import db
    from academy.growth import DEFAULT, employee_trend, extract
    from academy.practice import snapshots
    from academy.practice.evidence import evidence_for_users
    from academy.practice.models import FeedbackCard, Observation, Reflection
    from academy.timeutil import utcnow

    with app.app_context():
        summary = build_demo()
        assert "growth history:" in summary and "HR growth figures for 12 employee(s)" in summary
        zhang = db.session.scalar(select(User).where(User.username == "zhangwei"))
        observed = db.session.scalar(
            select(func.count(Observation.id)).where(Observation.employee_id == zhang.id)
        )
        assert observed >= 8  # about one a month
        assert db.session.scalar(select(func.count(Reflection.id))) > 12
        assert db.session.scalar(
            select(func.count(FeedbackCard.id)).where(FeedbackCard.employee_id.is_(None))
        )
        evidence = evidence_for_users(db.session.connection(), [zhang.id])[zhang.id]
        now = utcnow()
        months = snapshots.months_for(now)
        trend = employee_trend(extract(evidence, DEFAULT), months, zone=COMPANY_TZ)
        for axis in ("behaviour", "language", "attitude", "work"):
            early = [v for v in trend[axis][:4] if v is not None]
            late = [v for v in trend[axis][-3:] if v is not None]
            assert late and (not early or min(late) > max(early) + 5), (axis, trend[axis])
        points = snapshots.trend(None, months)
        for axis in ("language", "attitude", "work"):
            assert points[-2].means[axis] > points[2].means[axis] + 5, axis


def test_a_demo_of_many_employees_keeps_growth_history_light(app):
    """Beyond the named twelve and the featured department, a few records each, no snapshot."""
    from academy.demo import build_demo
    from academy.extensions import db
    from academy.practice import demo as growth_demo
    from academy.practice.models import Observation

    with app.app_context():
        limit, growth_demo.SNAPSHOT_LIMIT = growth_demo.SNAPSHOT_LIMIT, 20
        try:
            summary = build_demo(employees=40)
        finally:
            growth_demo.SNAPSHOT_LIMIT = limit
        assert "run `academy growth snapshot`" in summary
        per_person = db.session.execute(
            select(Observation.employee_id, func.count(Observation.id)).group_by(
                Observation.employee_id
            )
        ).all()
        light = [n for _, n in per_person if n <= 3]
        assert len(per_person) == 40 and len(light) >= 20


def test_growth_snapshot_command_rebuilds_hr_figures(app, runner, make_user):
    """`academy growth snapshot` (nightly from cron) stores the figures and says what it did."""
    from growth_support import add_history

    from academy.cli import cli
    from academy.extensions import db
    from academy.practice import snapshots

    for seed in range(3):
        add_history(app, make_user("employee", department="客服窗口"), statements=30, seed=seed)
    result = runner.invoke(cli, ["growth", "snapshot"])
    assert result.exit_code == 0, result.output
    assert "growth snapshot: 3 employees (3 assessed), 90 statements, 36 rows" in result.output
    with app.app_context():
        assert not snapshots.is_stale()
        db.session.remove()
