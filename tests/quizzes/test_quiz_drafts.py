"""Drafts: answers given so far, cleaned against the paper and counted (pure)."""

from __future__ import annotations

import random

from hypothesis import given
from hypothesis import strategies as st
from quiz_fixtures import EVERY_KIND, RIGHT_FORM

from academy.quizzes import Quiz, make_paper, present
from academy.quizzes.drafts import (
    answered_count,
    clean_draft,
    draft_from_data,
    is_answered,
    unanswered,
)

QUIZ = Quiz.from_data(EVERY_KIND)
QUESTIONS = present(QUIZ, make_paper(QUIZ, random.Random(4)))


def test_the_right_form_answers_every_question():
    draft = clean_draft(QUESTIONS, RIGHT_FORM)
    assert answered_count(QUESTIONS, draft) == len(QUESTIONS) == 7
    assert unanswered(QUESTIONS, draft) == []


def test_only_fields_and_values_the_page_could_send_are_kept():
    form = {
        "q1": ["1", "9"],  # one value for a single choice, an option that exists
        "q2": ["0", "0", "7", "2"],
        "q3": "maybe",
        "q4-0": "0",
        "q4-9": "1",
        "q6": "  " + "x" * 5000,
        "csrf_token": "t",
        "attempt": "a",
        "q99": "1",
    }
    draft = clean_draft(QUESTIONS, form)
    assert draft == {"q1": ["1"], "q2": ["0", "2"], "q4-0": ["0"], "q6": ["x" * 1000]}


def test_a_matching_or_ordering_question_counts_when_every_item_has_a_value():
    partial = {"q4-0": "0", "q4-1": "1", "q5-0": "1"}
    draft = clean_draft(QUESTIONS, partial)
    by_kind = {q.kind: q for q in QUESTIONS}
    assert not is_answered(by_kind["matching"], draft)
    assert is_answered(by_kind["matching"], clean_draft(QUESTIONS, {**partial, "q4-2": "2"}))
    assert not is_answered(by_kind["ordering"], draft)


def test_unanswered_gives_paper_positions():
    draft = clean_draft(QUESTIONS, {QUESTIONS[1].field: RIGHT_FORM.get(QUESTIONS[1].field, "x")})
    missing = unanswered(QUESTIONS, draft)
    assert len(missing) == 6 and 1 in missing and 2 not in missing


def test_blank_typed_text_is_no_answer():
    assert clean_draft(QUESTIONS, {"q6": "   ", "q7": ""}) == {}


def test_a_stored_draft_reads_back_the_same():
    draft = clean_draft(QUESTIONS, RIGHT_FORM)
    assert clean_draft(QUESTIONS, draft_from_data(draft)) == draft
    assert draft_from_data("garbage") == {} and draft_from_data({"q1": "1"}) == {}


@given(
    st.dictionaries(
        st.text(max_size=8),
        st.one_of(st.text(max_size=20), st.lists(st.text(max_size=20), max_size=5), st.integers()),
        max_size=12,
    )
)
def test_any_posted_mapping_cleans_without_raising(form):
    draft = clean_draft(QUESTIONS, form)
    allowed = {q.field for q in QUESTIONS} | {f"q{n}-{i}" for n in (4, 5) for i in range(4)}
    assert set(draft) <= allowed
    assert 0 <= answered_count(QUESTIONS, draft) <= len(QUESTIONS)
