"""Behaviour: observed conduct outweighs e-learning; a journal entry's length does not count."""

from __future__ import annotations

import pytest
from growth.growth_samples import NOW, card, lesson, observation, quiz, reflection, refresher
from hypothesis import given, settings
from hypothesis import strategies as st

from academy.growth import DEFAULT, assess
from academy.growth.signals import elearning_factors


def e_learning(count: int) -> list:
    """`count` self-initiated quizzes, refreshers and lessons (each says 100 on behaviour)."""
    kinds = (quiz, refresher, lesson)
    return [kinds[n % 3](f"look/m{n}", 5 + n, initiative="self") for n in range(count)]


def test_without_observed_conduct_e_learning_counts_in_full():
    """No observation or card yet: the plain weighted mean of e-learning."""
    behaviour = assess(e_learning(12), NOW).axes["behaviour"]
    assert behaviour.score > 90


def test_once_observed_conduct_exists_e_learning_weighs_at_most_the_cap():
    """A poor trainer rating is not drowned by a pile of self-started quizzes."""
    history = [*e_learning(30), observation("o1", 3, {"behaviour": 2})]
    behaviour = assess(history, NOW).axes["behaviour"]
    # The mean is 40 % e-learning (100) and 60 % the observation (25): 55, shrunk by P.
    mean = behaviour.score * (DEFAULT.prior_weight + behaviour.weight) / behaviour.weight
    assert mean == pytest.approx(0.4 * 100 + 0.6 * 25)
    uncapped = assess(history, NOW, params=_params(behaviour_elearning_cap=1.0))
    assert uncapped.axes["behaviour"].score > behaviour.score + 15


def test_a_resident_card_is_observed_conduct_on_behaviour():
    """A card rated 1 with many quizzes: the card's view weighs 60 %."""
    history = [*e_learning(30), card("c1", 2, 1)]
    behaviour = assess(history, NOW).axes["behaviour"]
    mean = behaviour.score * (DEFAULT.prior_weight + behaviour.weight) / behaviour.weight
    assert mean == pytest.approx(40.0)


def test_the_total_weight_is_kept_so_the_amount_of_evidence_still_counts():
    """The cap changes the mix, not how much evidence there is."""
    history = [*e_learning(30), observation("o1", 3, {"behaviour": 4})]
    capped = assess(history, NOW).axes["behaviour"]
    uncapped = assess(history, NOW, params=_params(behaviour_elearning_cap=1.0)).axes["behaviour"]
    assert capped.weight == pytest.approx(uncapped.weight)


@settings(max_examples=200, deadline=None)
@given(
    st.floats(min_value=0, max_value=50),
    st.floats(min_value=0, max_value=50),
    st.floats(min_value=0, max_value=50),
    st.floats(min_value=0.05, max_value=1),
)
def test_the_factors_cap_the_share_and_keep_the_total(elearning, observed, other, cap):
    """After the factors e-learning is at most `cap` of the weight, and the total is kept."""
    scaled, every = elearning_factors(elearning, observed, other, cap)
    total = elearning + observed + other
    new_e = elearning * scaled * every
    new_total = new_e + (observed + other) * every
    assert new_total == pytest.approx(total)
    if observed > 1e-9 and total > 0:
        assert new_e <= cap * new_total + 1e-9
    else:
        assert (scaled, every) == (1.0, 1.0)


@pytest.mark.parametrize("length", [20, 60, 400, 1000])
def test_a_journal_entry_weighs_the_same_whatever_its_length(length):
    """Padding an entry earns nothing: every counted entry weighs `reflection_weight`."""
    behaviour = assess([reflection("j1", 1, length=length)], NOW).axes["behaviour"]
    assert behaviour.weight == pytest.approx(DEFAULT.reflection_weight, rel=0.01)


def _params(**changes):
    import dataclasses

    return dataclasses.replace(DEFAULT, **changes)
