"""Ageing stored figures: without new evidence a score only fades, exactly, until the gates move."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from academy.evidence import Evidence
from academy.growth import (
    DEFAULT,
    aged_axis,
    evaluate,
    extract,
    stage_gates,
    unchanged_until,
)
from academy.growth.signals import days
from academy.growth.synthetic import PERSONAS, synthetic_history

NOW = datetime(2026, 6, 1, 8, 0, tzinfo=UTC)


def aged_from(assessment, axis, elapsed):
    unmet = stage_gates(axis, assessment.facts, DEFAULT)
    found = assessment.axes[axis]
    gates = {n: not unmet[n] for n in (2, 3, 4)}
    return aged_axis(found.score, found.weight, found.items, gates, elapsed, DEFAULT)


@settings(max_examples=60, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    persona=st.sampled_from(sorted(PERSONAS)),
    later=st.floats(0.0, 400.0),
)
def test_ageing_equals_assessing_later_while_the_gates_hold(seed, persona, later):
    """Score, enough-evidence and (before `unchanged_until`) stage equal a later assessment."""
    history = synthetic_history(
        random.Random(seed), NOW - timedelta(days=300), persona=persona, statements=60, days=290
    )
    timeline = extract(history, DEFAULT)
    before = evaluate(timeline, NOW, DEFAULT, explain=False)
    then = NOW + timedelta(days=later)
    after = evaluate(timeline, then, DEFAULT, explain=False)
    still = days(then) <= unchanged_until(timeline, NOW, DEFAULT)
    for axis, found in after.axes.items():
        aged = aged_from(before, axis, later)
        assert aged.score == (pytest.approx(found.score) if found.score is not None else None)
        assert aged.weight == pytest.approx(found.weight)
        assert aged.enough_evidence == found.enough_evidence
        if still:
            assert aged.stage == found.stage, (axis, later)


def test_stage_3_holds_until_the_newest_observation_of_the_axis_leaves_the_window():
    """Attitude at stage 3 on observations 178–170 days old: it may drop in ten days."""
    seen = [NOW - timedelta(days=d) for d in (178, 177, 176, 174, 172, 171, 170)]
    evidence = [
        Evidence("observed", "observation", str(n), at, detail={"axes": {"attitude": 4 + n % 2}})
        for n, at in enumerate(seen)
    ]
    timeline = extract(evidence, DEFAULT)
    now = evaluate(timeline, NOW, DEFAULT, explain=False)
    assert now.axes["attitude"].stage == 3
    until = unchanged_until(timeline, NOW, DEFAULT)
    assert until == pytest.approx(days(seen[-1]) + DEFAULT.gate_window_days)
    later = evaluate(timeline, NOW + timedelta(days=11), DEFAULT, explain=False)
    assert later.axes["attitude"].stage == 2  # the gate moved, as announced


def test_low_scores_have_no_gate_to_lose():
    """Below 60 the gates do not matter: the stages only fade, for ever."""
    evidence = [
        Evidence(
            "observed",
            "observation",
            "1",
            NOW - timedelta(days=170),
            detail={"axes": {"attitude": 2}},
        ),
        Evidence("rated", "feedback_card", "2", NOW - timedelta(days=20), score=25.0),
    ]
    assert unchanged_until(extract(evidence, DEFAULT), NOW, DEFAULT) == float("inf")


def test_evidence_dated_later_ends_the_stable_period():
    """A statement dated after now becomes known then: ageing must stop there."""
    later = NOW + timedelta(days=3)
    evidence = [Evidence("rated", "feedback_card", "2", later, score=75.0)]
    assert unchanged_until(extract(evidence, DEFAULT), NOW, DEFAULT) == pytest.approx(days(later))
    assert unchanged_until(extract([], DEFAULT), NOW, DEFAULT) == float("inf")


def test_no_evidence_stays_no_score():
    """An axis with no evidence has no score to age."""
    aged = aged_axis(None, 0.0, 0, {2: True, 3: True, 4: True}, 30.0)
    assert (aged.score, aged.enough_evidence, aged.stage) == (None, False, None)
