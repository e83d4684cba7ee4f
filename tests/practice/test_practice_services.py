"""Observations, feedback cards and reflections: the rows, the ledger statements, the rules."""

from __future__ import annotations

from datetime import timedelta

import pytest
from growth_support import load
from sqlalchemy import func, select

from academy.evidence import Evidence


@pytest.fixture
def people(app, make_user):
    """A trainer of 客服窗口, two of its employees, one employee of 供水车间, HR."""
    return {
        "trainer": make_user("trainer", department="客服窗口"),
        "zhang": make_user("employee", username="zhangwei", department="客服窗口"),
        "li": make_user("employee", username="lina", department="客服窗口"),
        "wang": make_user("employee", username="wangqiang", department="供水车间"),
        "hr": make_user("hr"),
    }


def statements(object_type):
    from academy.extensions import db
    from academy.progress.models import Statement

    return list(db.session.scalars(select(Statement).where(Statement.object_type == object_type)))


def test_observation_writes_a_row_and_an_observed_statement_by_the_trainer(app, people):
    """The statement is about the employee, recorded by the trainer, detail per the contract."""
    from academy.extensions import db
    from academy.practice.models import Observation
    from academy.practice.observations import record_observation

    with app.app_context():
        trainer, zhang = load(app, people["trainer"]), load(app, people["zhang"])
        obs = record_observation(
            trainer,
            zhang,
            seven_ones={"smile": "done", "seat": "partly", "record": "not", "greet": ""},
            ratings={"attitude": 4, "behaviour": None},
            note="  记录不全  ",
        )
        db.session.commit()
        row = db.session.get(Observation, obs.id)
        (st,) = statements("observation")
        assert (st.actor_id, st.recorded_by_id, st.verb) == (zhang.id, trainer.id, "observed")
        assert st.object_id == str(row.id) and row.statement_id == st.id
        assert st.result == {
            "seven_ones": {"smile": "done", "seat": "partly", "record": "not"},
            "axes": {"attitude": 4},
            "note": "记录不全",
        }
        assert row.department_id == zhang.department_id and row.observer_id == trainer.id


def test_observation_is_only_for_the_trainers_departments(app, people):
    """Another department's employee, HR as observer, or a trainer as subject are refused."""
    from academy.practice.observations import record_observation
    from academy.practice.people import PracticeError

    with app.app_context():
        trainer = load(app, people["trainer"])
        for observer, subject in (
            (trainer, load(app, people["wang"])),
            (load(app, people["hr"]), load(app, people["zhang"])),
            (trainer, trainer),
        ):
            with pytest.raises(PracticeError) as refused:
                record_observation(observer, subject, seven_ones={"smile": "done"}, ratings={})
            assert refused.value.field == "employee"
        assert statements("observation") == []


@pytest.mark.parametrize(
    "ones,ratings,field",
    [
        ({}, {}, "seven_ones"),
        ({"smile": "great"}, {}, "one_smile"),
        ({"wave": "done"}, {}, "seven_ones"),
        ({}, {"attitude": 6}, "rating_attitude"),
        ({}, {"attitude": True}, "rating_attitude"),
        ({}, {"mood": 3}, "rating"),
    ],
)
def test_observation_refuses_empty_or_malformed_input(app, people, ones, ratings, field):
    """Nothing marked, an unknown status, item or axis, a rating out of 1–5: refused."""
    from academy.practice.observations import record_observation
    from academy.practice.people import PracticeError

    with app.app_context():
        with pytest.raises(PracticeError) as refused:
            record_observation(
                load(app, people["trainer"]),
                load(app, people["zhang"]),
                seven_ones=ones,
                ratings=ratings,
            )
        assert refused.value.field == field


def test_the_same_observation_form_posted_twice_is_recorded_once(app, people):
    """A resent form (double tap, flaky network) returns the first observation."""
    from academy.extensions import db
    from academy.practice.models import Observation
    from academy.practice.observations import record_observation

    with app.app_context():
        args = (load(app, people["trainer"]), load(app, people["zhang"]))
        first = record_observation(
            *args, seven_ones={"smile": "done"}, ratings={}, form_key="k" * 20
        )
        again = record_observation(
            *args, seven_ones={"smile": "not"}, ratings={}, form_key="k" * 20
        )
        db.session.commit()
        assert again.id == first.id
        assert db.session.scalar(select(func.count(Observation.id))) == 1
        assert len(statements("observation")) == 1


def test_card_naming_an_employee_is_rated_evidence_about_them(app, people):
    """Score = rating on 0–100, detail = rating + texts, recorded by who entered it."""
    from academy.extensions import db
    from academy.practice.cards import record_card

    with app.app_context():
        li = load(app, people["trainer"])  # a trainer transcribes a paper card
        card = record_card(
            li, rating=4, good=" 很耐心 ", bad="", employee=load(app, people["zhang"])
        )
        db.session.commit()
        (st,) = statements("feedback_card")
        assert (st.verb, st.object_id, st.score) == ("rated", str(card.id), 75.0)
        assert st.actor_id == people["zhang"].id and st.recorded_by_id == li.id
        assert st.result == {"rating": 4, "good": "很耐心", "bad": ""}
        assert card.department_id == people["zhang"].department_id


def test_card_naming_no_one_counts_for_the_department_only(app, people):
    """No statement; the card appears in the department's signal of the trainer's cohort."""
    from academy.extensions import db
    from academy.practice.cards import record_card
    from academy.practice.growth import cohort

    with app.app_context():
        zhang = load(app, people["zhang"])
        record_card(zhang, rating=2, bad="等了很久", department=zhang.department)
        db.session.commit()
        assert statements("feedback_card") == []
        found = cohort(load(app, people["trainer"]))
        signal = found.signals[zhang.department_id]
        assert signal.cards == 1 and signal.mean_rating == 2.0
        assert signal.comments[0].bad == "等了很久"


def test_card_scope_employees_name_their_own_department_only(app, people):
    """An employee cannot name, or file for, another department; a trainer neither; HR can."""
    from academy.extensions import db
    from academy.practice.cards import record_card
    from academy.practice.people import PracticeError

    with app.app_context():
        zhang, wang = load(app, people["zhang"]), load(app, people["wang"])
        for enterer in (zhang, load(app, people["trainer"])):
            with pytest.raises(PracticeError) as refused:
                record_card(enterer, rating=5, employee=wang)
            assert refused.value.field == "employee"
            with pytest.raises(PracticeError) as refused:
                record_card(enterer, rating=5, department=wang.department)
            assert refused.value.field == "department"
        with pytest.raises(PracticeError) as refused:
            record_card(zhang, rating=5)
        assert refused.value.field == "department"
        record_card(load(app, people["hr"]), rating=5, employee=wang)
        db.session.commit()
        assert len(statements("feedback_card")) == 1


def test_paper_card_keeps_its_date_within_the_last_year(app, people):
    """A paper card dated last week is evidence of last week; a future or old date is refused."""
    from academy.practice.cards import record_card
    from academy.practice.people import PracticeError
    from academy.timeutil import utcnow

    with app.app_context():
        trainer, zhang = load(app, people["trainer"]), load(app, people["zhang"])
        now = utcnow()
        week_ago = (now - timedelta(days=7)).date()
        card = record_card(trainer, rating=3, employee=zhang, source="paper", received_on=week_ago)
        assert card.received_at.date() == week_ago
        (st,) = statements("feedback_card")
        assert st.timestamp.date() == week_ago
        for bad in (now.date() + timedelta(days=2), now.date() - timedelta(days=400)):
            with pytest.raises(PracticeError):
                record_card(trainer, rating=3, employee=zhang, received_on=bad)
        with pytest.raises(PracticeError):
            record_card(trainer, rating=6, employee=zhang)


def test_reflection_statement_carries_ratings_and_length_never_the_text(app, people):
    """The model sees self-ratings, the drill and the length; the words stay in the journal."""
    from academy.extensions import db
    from academy.practice.reflections import write_reflection

    with app.app_context():
        text = "下次我会先请居民坐下，再把故障写进记录本，并告诉他维修时间。"
        entry = write_reflection(
            load(app, people["zhang"]), text, self_ratings={"attitude": 4}, about="front-desk"
        )
        db.session.commit()
        (st,) = statements("reflection")
        assert (st.verb, st.object_id, st.actor_id) == ("reflected", str(entry.id), entry.user_id)
        assert st.result == {
            "self_ratings": {"attitude": 4},
            "about": "front-desk",
            "length": len(text),
        }
        assert text not in str(st.result) and entry.text == text


def test_reflection_too_short_or_with_a_bad_rating_is_refused(app, people):
    """Under 20 characters (the model would not count it), or a self-rating of 7: refused."""
    from academy.practice.people import PracticeError
    from academy.practice.reflections import write_reflection

    with app.app_context():
        zhang = load(app, people["zhang"])
        with pytest.raises(PracticeError) as refused:
            write_reflection(zhang, "还行")
        assert refused.value.field == "text"
        with pytest.raises(PracticeError) as refused:
            write_reflection(
                zhang, "这一次我学会了先听完居民的话再解释原因。", self_ratings={"work": 7}
            )
        assert refused.value.field == "self_work"
        assert statements("reflection") == []


def test_reflection_counts_per_department_are_counts(app, people):
    """HR's numbers: entries per department since a date."""
    from academy.extensions import db
    from academy.practice.reflections import reflection_counts, write_reflection
    from academy.timeutil import utcnow

    with app.app_context():
        for key in ("zhang", "li", "wang"):
            write_reflection(load(app, people[key]), "今天我把每一位居民的诉求都写进了记录本。")
        db.session.commit()
        counts = reflection_counts(None, utcnow() - timedelta(days=1))
        assert counts == {people["zhang"].department_id: 2, people["wang"].department_id: 1}


def test_the_growth_model_reads_practice_evidence_as_written(app, people):
    """Observation, card and reflection statements move the model: observed axis, calibration."""
    from academy.extensions import db
    from academy.growth import assess
    from academy.practice.cards import record_card
    from academy.practice.observations import record_observation
    from academy.practice.reflections import write_reflection
    from academy.progress.ledger import as_evidence, statements_for
    from academy.timeutil import utcnow

    with app.app_context():
        trainer, zhang = load(app, people["trainer"]), load(app, people["zhang"])
        record_observation(trainer, zhang, seven_ones={"smile": "done"}, ratings={"attitude": 4})
        record_card(trainer, rating=5, employee=zhang)
        write_reflection(
            zhang, "我给自己的态度打四分，和培训师看到的一样。", self_ratings={"attitude": 4}
        )
        db.session.commit()
        evidence = [as_evidence(s) for s in statements_for(zhang.id)]
        assert all(isinstance(e, Evidence) for e in evidence)
        result = assess(evidence, utcnow() + timedelta(minutes=1))
        assert result.facts.observations["attitude"] == 1
        assert result.facts.calibration_pairs["attitude"] == 1
        assert result.facts.reflections == 1
        assert result.ignored == 0
