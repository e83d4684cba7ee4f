"""The order a run shows a node's choices in: shuffled per run, fixed within it."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from academy.scenarios import presented_order


@settings(max_examples=200, deadline=None)
@given(
    seed=st.integers(min_value=0, max_value=2**31 - 1),
    node=st.text(min_size=1, max_size=20),
    indices=st.sets(st.integers(min_value=0, max_value=30), max_size=8),
)
def test_the_order_is_a_permutation_and_stable(seed, node, indices):
    """The same seed and node give the same order, always of the offered indices."""
    first = presented_order(seed, node, sorted(indices))
    assert sorted(first) == sorted(indices)
    assert presented_order(seed, node, sorted(indices, reverse=True)) == first


def test_always_first_is_not_always_the_first_in_the_file():
    """Across runs, the first button shown is each of the choices about as often."""
    firsts = [presented_order(seed, "arrive", [0, 1, 2])[0] for seed in range(600)]
    for index in (0, 1, 2):
        assert 150 <= firsts.count(index) <= 250, firsts.count(index)


def test_nodes_of_one_run_are_ordered_independently():
    """One run does not put the same file position first at every node."""
    orders = {tuple(presented_order(7, f"n{i}", [0, 1, 2, 3])) for i in range(20)}
    assert len(orders) > 5
