"""Properties of the model: monotone in good evidence, fading with time, order-free, staged."""

from __future__ import annotations

from datetime import timedelta

from growth.growth_samples import EVIDENCE, NOW, card, drill, good_evidence, observation, scores
from hypothesis import given
from hypothesis import strategies as st

from academy.growth import DEFAULT, assess, stage_for

TOLERANCE = 1e-9


@given(EVIDENCE, st.lists(good_evidence(), min_size=1, max_size=3))
def test_more_good_evidence_never_lowers_a_score(history, good):
    """Adding good evidence (see growth_samples.good_evidence) never lowers any score."""
    before = scores(assess(history, NOW))
    after = scores(assess(history + good, NOW))
    for target, score in before.items():
        if score is not None:
            assert after[target] is not None
            assert after[target] >= score - TOLERANCE, target


@given(EVIDENCE, st.floats(min_value=0, max_value=2000, allow_nan=False))
def test_time_passing_never_raises_a_score(history, later):
    """With no new evidence, moving the assessment date forward only lowers scores."""
    before = scores(assess(history, NOW))
    after = scores(assess(history, NOW + timedelta(days=later)))
    for target, score in before.items():
        if score is None:
            assert after[target] is None
        else:
            assert after[target] <= score + TOLERANCE, target


@given(EVIDENCE.flatmap(lambda h: st.tuples(st.just(h), st.permutations(h))))
def test_input_order_does_not_matter(pair):
    """The assessment of a shuffled evidence list is identical, explanations included."""
    history, shuffled = pair
    assert assess(shuffled, NOW) == assess(history, NOW)


@given(EVIDENCE)
def test_assessment_is_deterministic(history):
    """The same evidence and date give the same assessment twice."""
    assert assess(history, NOW) == assess(list(history), NOW)


@given(EVIDENCE)
def test_stages_follow_scores_and_the_minimum_evidence_rule(history):
    """Stage None iff not enough evidence; otherwise never above what the score alone reaches."""
    result = assess(history, NOW)
    for found in result.axes.values():
        assert (found.stage is None) == (not found.enough_evidence)
        assert found.score_stage == stage_for(found.score, enough=found.enough_evidence)
        if found.stage is not None:
            assert 1 <= found.stage <= found.score_stage
        if found.score is not None:
            assert 0.0 <= found.score <= 100.0


@given(
    st.floats(min_value=0, max_value=100, allow_nan=False),
    st.floats(min_value=0, max_value=100, allow_nan=False),
    st.fixed_dictionaries({3: st.booleans(), 4: st.booleans()}),
    st.booleans(),
)
def test_stage_is_monotone_in_the_score(low, high, gates, enough):
    """For the same gates and evidence, a higher score never means a lower stage."""
    low, high = sorted((low, high))
    a = stage_for(low, enough=enough, gates=gates)
    b = stage_for(high, enough=enough, gates=gates)
    assert (a is None) == (b is None) == (not enough)
    if a is not None and b is not None:
        assert a <= b


@given(EVIDENCE)
def test_contributors_are_the_largest_effects_in_order(history):
    """Contributors are sorted by the size of their effect, at most top_contributors of them."""
    result = assess(history, NOW)
    for found in (*result.axes.values(), *result.disciplines.values()):
        sizes = [abs(c.points) for c in found.contributors]
        assert sizes == sorted(sizes, reverse=True)
        assert len(found.contributors) <= DEFAULT.top_contributors
        assert (found.score is None) == (found.contributors == ())


@given(EVIDENCE)
def test_points_are_the_score_without_the_item(history):
    """Each contributor's points = score − (score with that item's weight taken out)."""
    result = assess(history, NOW)
    prior = DEFAULT.prior_weight
    for found in (*result.axes.values(), *result.disciplines.values()):
        for c in found.contributors:
            denominator = prior + found.weight
            without = (found.score * denominator - c.weight * c.value) / (denominator - c.weight)
            assert abs(c.points - (found.score - without)) < 1e-6
            assert (c.points > 0) == (c.value > found.score) or abs(c.points) < 1e-9


def test_exact_ties_are_broken_by_content_not_by_input_order():
    """Records identical but for id and note, at the same instant: same result either way."""
    first = observation("obs-a", 10, {"attitude": 4}, note="first")
    second = observation("obs-b", 10, {"attitude": 4}, note="second")
    runs = [drill("window", 3, axes={"work": 1}), drill("window", 3, axes={"work": 1})]
    history = [first, second, *runs, card("c1", 1, 2)]
    assert assess(history, NOW) == assess(history[::-1], NOW)
    top = assess(history, NOW).axes["attitude"].contributors
    assert {c.object_id for c in top[:2]} == {"obs-a", "obs-b"}
