"""Feedback points and residents' own cards: who names whom, what a card is evidence of."""

from __future__ import annotations

import pytest
from growth_support import load
from sqlalchemy import select


@pytest.fixture
def staff(app, make_user):
    return {
        "zhang": make_user("employee", username="zhangwei", department="客服窗口"),
        "li": make_user("employee", username="lina", department="客服窗口"),
        "wang": make_user("employee", username="wangqiang", department="抢修班"),
        "trainer": make_user("trainer", username="trainer", department="客服窗口"),
        "hr": make_user("hr", username="hr"),
        "admin": make_user("admin", username="admin"),
    }


def ledger_cards():
    from academy.extensions import db
    from academy.progress.models import Statement

    return list(
        db.session.scalars(select(Statement).where(Statement.object_type == "feedback_card"))
    )


def test_nobody_names_themselves_and_employees_name_no_colleague(app, staff):
    """`can_name_on_card`: employees never (self or colleague); trainers and HR others only."""
    from academy.practice.people import can_name_on_card

    with app.app_context():
        zhang, li, wang = (load(app, staff[k]) for k in ("zhang", "li", "wang"))
        trainer, hr = load(app, staff["trainer"]), load(app, staff["hr"])
        assert not can_name_on_card(zhang, zhang)
        assert not can_name_on_card(zhang, li)
        assert can_name_on_card(trainer, li) and not can_name_on_card(trainer, wang)
        assert not can_name_on_card(trainer, trainer)
        assert can_name_on_card(hr, wang) and not can_name_on_card(hr, hr)


def test_an_employee_entering_a_card_about_themselves_is_refused(app, staff):
    """The service refuses it too, whatever the form sent."""
    from academy.practice.cards import record_card
    from academy.practice.people import PracticeError

    with app.app_context():
        zhang = load(app, staff["zhang"])
        for named in (zhang, load(app, staff["li"])):
            with pytest.raises(PracticeError) as refused:
                record_card(zhang, rating=5, employee=named)
            assert refused.value.field == "employee"


def test_a_badge_card_is_evidence_about_the_worker_through_the_code(app, staff):
    """Through a badge: ``rated`` · ``feedback_card`` about the worker, source resident."""
    from academy.extensions import db
    from academy.practice import cards, points

    with app.app_context():
        badge = points.badge_of(load(app, staff["trainer"]), load(app, staff["li"]))
        again = points.badge_of(load(app, staff["trainer"]), load(app, staff["li"]))
        assert again.id == badge.id  # one active badge per worker
        card = cards.record_resident_card(badge, rating=5, good=" 很耐心 ", form_key="k" * 20)
        twice = cards.record_resident_card(badge, rating=5, good="很耐心", form_key="k" * 20)
        db.session.commit()
        assert twice.id == card.id
        (st,) = ledger_cards()
        assert st.actor_id == staff["li"].id and st.context == {"point": badge.code}
        assert st.score == 100.0 and st.result["source"] == "resident"
        assert (card.source, card.entered_by_id, card.point_id) == ("resident", None, badge.id)


def test_a_window_card_counts_for_its_department_only(app, staff):
    """Through a window's code: a department card, no statement about anyone."""
    from academy.accounts.models import Department
    from academy.extensions import db
    from academy.practice import cards, points

    with app.app_context():
        window = db.session.scalar(select(Department).where(Department.name == "客服窗口"))
        point = points.create_point(load(app, staff["trainer"]), " 2号  窗口 ", window)
        assert point.name == "2号 窗口" and points.is_code(point.code)
        card = cards.record_resident_card(point, rating=2, bad="等了很久")
        db.session.commit()
        assert ledger_cards() == []
        assert card.employee_id is None and card.department_id == window.id


def test_points_are_managed_in_scope_only(app, staff):
    """A trainer makes codes for their departments only; employees and HR make none."""
    from academy.accounts.models import Department
    from academy.extensions import db
    from academy.practice import points
    from academy.practice.people import PracticeError

    with app.app_context():
        repair = db.session.scalar(select(Department).where(Department.name == "抢修班"))
        for who in ("trainer", "zhang", "hr"):
            with pytest.raises(PracticeError):
                points.create_point(load(app, staff[who]), "抢修班 值班室", repair)
        for who in ("zhang", "hr"):
            with pytest.raises(PracticeError):
                points.badge_of(load(app, staff[who]), load(app, staff["li"]))
        assert points.create_point(load(app, staff["admin"]), "抢修班 值班室", repair).id


def test_a_stopped_code_and_a_departed_worker_take_no_cards(app, staff):
    """Deactivated codes and badges of inactive workers are not found."""
    from academy.extensions import db
    from academy.practice import points

    with app.app_context():
        trainer = load(app, staff["trainer"])
        badge = points.badge_of(trainer, load(app, staff["zhang"]))
        other = points.badge_of(trainer, load(app, staff["li"]))
        db.session.commit()
        assert points.active_point(badge.code).id == badge.id
        points.deactivate(trainer, badge)
        load(app, staff["li"]).active = False
        db.session.commit()
        assert points.active_point(badge.code) is None
        assert points.active_point(other.code) is None
        assert points.active_point("not a code!") is None
