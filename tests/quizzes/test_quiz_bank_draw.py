"""Drawing from a quiz bank: what the person saw last time comes back only when it must."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from academy.quizzes import Paper, Quiz, draw_indices, make_paper, prompt_key, seen_prompts


def bank(size: int, draw: int | None = None) -> Quiz:
    data = {
        "pass_mark": 50,
        "questions": [
            {"kind": "true_false", "prompt": f"情境 {n}", "answer": True} for n in range(size)
        ],
    }
    if draw is not None:
        data["draw"] = draw
    return Quiz.from_data(data)


@st.composite
def banks(draw):
    size = draw(st.integers(min_value=1, max_value=25))
    prompts = [f"Q{n}" for n in range(size)]
    wanted = draw(st.integers(min_value=1, max_value=size))
    recent = draw(st.sets(st.sampled_from(prompts)))
    older = draw(st.sets(st.sampled_from(prompts)))
    seed = draw(st.integers(min_value=0, max_value=10**6))
    return prompts, wanted, [frozenset(p.casefold() for p in recent), frozenset(older)], seed


@settings(max_examples=300, deadline=None)
@given(banks())
def test_the_draw_repeats_only_what_the_bank_cannot_avoid(case):
    """Distinct, ascending, `draw` of them; repeats only when too few are fresh, recent last."""
    prompts, wanted, avoid, seed = case
    recent = {p for p in prompts if prompt_key(p) in avoid[0]}
    older = {p for p in prompts if prompt_key(p) in avoid[1]} - recent
    fresh = set(prompts) - recent - older
    chosen = [prompts[i] for i in draw_indices(prompts, wanted, random.Random(seed), avoid)]
    assert len(chosen) == wanted == len(set(chosen))
    assert chosen == sorted(chosen, key=prompts.index)
    assert len(fresh & set(chosen)) == min(wanted, len(fresh))
    assert len((fresh | older) & set(chosen)) == min(wanted, len(fresh | older))


def test_a_retake_of_fifteen_with_draw_ten_brings_the_five_unseen_first():
    """15 questions, draw 10: the retake has all 5 unseen and only 5 repeats."""
    quiz = bank(15, 10)
    first = make_paper(quiz, random.Random(1))
    seen = seen_prompts(quiz, first)
    second = make_paper(quiz, random.Random(2), [seen])
    assert len(second.items) == 10
    assert len(set(second.indices) - set(first.indices)) == 5


def test_prompts_match_across_content_versions():
    """A new version (reordered, respaced) still counts the same questions as seen."""
    old = bank(15, 10)
    paper = make_paper(old, random.Random(3))
    seen = seen_prompts(old, paper)
    new_data = old.to_data()
    new_data["questions"] = list(reversed(new_data["questions"]))
    for question in new_data["questions"]:
        question["prompt"] = "  " + question["prompt"].replace(" ", "  ") + " "
    new = Quiz.from_data(new_data)
    again = make_paper(new, random.Random(4), [seen])
    repeated = {prompt_key(new.questions[i].prompt) for i in again.indices} & seen
    assert len(repeated) == 5


def test_without_history_or_draw_the_paper_is_as_before():
    """No avoid list: the same seeded draw as ever; no `draw`: every question."""
    quiz = bank(15, 10)
    assert make_paper(quiz, random.Random(5)) == make_paper(quiz, random.Random(5), [])
    assert make_paper(bank(4), random.Random(5), [frozenset({"情境 1"})]).indices == (0, 1, 2, 3)


def test_a_paper_that_does_not_fit_shows_nothing_seen():
    """A stored paper of another quiz counts as nothing seen (no crash)."""
    assert seen_prompts(bank(3), Paper.from_data({"questions": [{"index": 9}]})) == frozenset()
