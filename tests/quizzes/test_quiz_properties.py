"""Properties of grading over generated quizzes, papers and forms (hypothesis)."""

from __future__ import annotations

import json
import random
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from quizzes.quiz_samples import quizzes

from academy.quizzes import (
    Answers,
    Paper,
    Quiz,
    Result,
    grade,
    key_form,
    make_paper,
    parse_quiz,
    present,
    question_stats,
    read_answers,
)

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

form_values = st.one_of(
    st.integers(-3, 8).map(str),
    st.sampled_from(["true", "false", "", " ", "1.5", "一访三问", "nan", "9" * 50]),
    st.text(max_size=6),
)


@st.composite
def attempts(draw: st.DrawFn) -> tuple[Quiz, Paper, dict[str, list[str]]]:
    """A quiz, a paper, and a random form touching the paper's fields and more."""
    quiz = draw(quizzes())
    paper = make_paper(quiz, random.Random(draw(st.integers(0, 2**32))))
    form: dict[str, list[str]] = {}
    for index in range(len(quiz.questions)):
        field = f"q{index + 1}"
        if draw(st.booleans()):
            form[field] = draw(st.lists(form_values, max_size=3))
        for item in range(draw(st.integers(0, 5))):
            form[f"{field}-{item}"] = draw(st.lists(form_values, max_size=2))
    return quiz, paper, form


@SETTINGS
@given(attempts())
def test_score_is_always_between_0_and_100(
    attempt: tuple[Quiz, Paper, dict[str, list[str]]],
) -> None:
    """Whatever is posted, the score is within 0..100 and each fraction within 0..1."""
    quiz, paper, form = attempt
    result = grade(quiz, paper, read_answers(quiz, paper, form))
    assert 0 <= result.score <= 100
    assert all(0 <= q.fraction <= 1 and 0 <= q.earned <= q.points for q in result.questions)
    assert result.passed == (result.score >= quiz.pass_mark)
    assert result.score == round(result.score, 2)


@SETTINGS
@given(quizzes(), st.integers(0, 2**32))
def test_answering_the_key_gives_100(quiz: Quiz, seed: int) -> None:
    """The answer key of any paper scores exactly 100 and passes."""
    paper = make_paper(quiz, random.Random(seed))
    result = grade(quiz, paper, read_answers(quiz, paper, key_form(quiz, paper)))
    assert result.score == 100
    assert result.passed
    assert all(q.correct for q in result.questions)


@SETTINGS
@given(attempts(), st.integers(0, 2**32))
def test_another_shuffle_never_changes_the_grade(
    attempt: tuple[Quiz, Paper, dict[str, list[str]]], seed: int
) -> None:
    """The same logical answers on a differently shuffled paper grade the same."""
    quiz, paper, form = attempt
    other = make_paper(quiz, random.Random(seed))
    common = set(paper.indices) & set(other.indices)
    first = grade(quiz, paper, read_answers(quiz, paper, form))
    second = grade(quiz, other, read_answers(quiz, other, form))
    by_number = {q.number: q for q in second.questions}
    for question in first.questions:
        if question.number - 1 in common:
            assert by_number[question.number] == question
    if paper.indices == other.indices:
        assert first == second


hostile_values = st.one_of(
    st.lists(st.one_of(st.text(), st.integers(), st.none(), st.binary(max_size=4)), max_size=4),
    st.text(),
    st.integers(),
    st.none(),
    st.dictionaries(st.text(max_size=2), st.text(max_size=2), max_size=2),
)
hostile_keys = st.one_of(
    st.integers(1, 7).map(lambda n: f"q{n}"),
    st.tuples(st.integers(-1, 7), st.integers(-2, 6)).map(lambda t: f"q{t[0]}-{t[1]}"),
    st.text(max_size=6),
    st.integers(),
)


@SETTINGS
@given(quizzes(), st.dictionaries(hostile_keys, hostile_values, max_size=12))
def test_read_answers_never_raises(quiz: Quiz, form: dict[Any, Any]) -> None:
    """Arbitrary dictionaries of odd keys and values are read without an exception."""
    paper = make_paper(quiz, random.Random(0))
    answers = read_answers(quiz, paper, form)
    assert [r.index for r in answers.responses] == list(paper.indices)
    assert 0 <= grade(quiz, paper, answers).score <= 100


@SETTINGS
@given(attempts())
def test_everything_stored_round_trips_through_json(
    attempt: tuple[Quiz, Paper, dict[str, list[str]]],
) -> None:
    """Quiz, paper, answers and result read back equal from JSON."""
    quiz, paper, form = attempt
    answers = read_answers(quiz, paper, form)
    result = grade(quiz, paper, answers)
    assert parse_quiz(json.loads(json.dumps(quiz.to_data()))) == (quiz, [])
    assert Paper.from_data(json.loads(json.dumps(paper.to_data()))) == paper
    assert Answers.from_data(json.loads(json.dumps(answers.to_data()))) == answers
    assert Result.from_data(json.loads(json.dumps(result.to_data()))) == result


@SETTINGS
@given(attempts())
def test_presented_view_matches_the_paper(
    attempt: tuple[Quiz, Paper, dict[str, list[str]]],
) -> None:
    """Every drawn question is shown once, with all its options and items."""
    quiz, paper, _ = attempt
    shown = present(quiz, paper)
    assert [q.number - 1 for q in shown] == list(paper.indices)
    for question, item in zip(shown, paper.items, strict=True):
        listed = question.options or question.choices or question.items
        assert [index for index, _ in listed] == list(item.order)


@SETTINGS
@given(attempts())
def test_stats_count_what_grading_counts(attempt: tuple[Quiz, Paper, dict[str, list[str]]]) -> None:
    """Per-question statistics agree with grading: shown, fully correct, and no misconception
    recorded for a fully right single-answer kind."""
    quiz, paper, form = attempt
    answers = read_answers(quiz, paper, form)
    result = grade(quiz, paper, answers)
    stats = question_stats(quiz, [(paper, answers)])
    assert sum(entry.shown for entry in stats) == len(paper.items)
    for question in result.questions:
        entry = stats[question.number - 1]
        assert (entry.shown, entry.correct) == (1, int(question.correct))
        assert entry.top_wrong_count in (0, 1)
        assert (entry.top_wrong is None) == (entry.top_wrong_count == 0)
        if question.correct and question.kind != "multiple":
            assert entry.top_wrong is None
